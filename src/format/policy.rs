//! The safety policy (`assets/safety-policy.ron`): the acts the course teaches about, each with one
//! class for the whole course, so that a module cannot grade an unsafe act more kindly than another.

use serde::{Deserialize, Serialize};

use super::{Choice, Node, Text};

/// Every act the course grades, with its class.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SafetyPolicy {
    pub acts: Vec<Act>,
}

/// One act a choice may perform (`act: "promise-secrecy"`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Act {
    /// Stable id that choices name; final once modules use it.
    pub id: String,
    pub class: ActClass,
    /// What the act is, for reviewers and the `faro validate --policy` page.
    pub name: Text,
    /// The section of the course facts that says why (`"FACTS §4"`).
    pub facts: String,
}

/// How every choice that performs an act must be graded.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActClass {
    /// The choice is `critical`: it ends the run with why and what to do instead.
    Critical,
    /// Not critical, scores `<= 0`, and no run that contains it may reach a `Pass` ending.
    Disqualifying,
    /// Not critical and scores `< 0`: it costs points, a Pass is still possible.
    Detour,
    /// A good act a scenario may require; not critical and scores `>= 0`.
    Safe,
}

impl ActClass {
    /// Every class, in the order the policy page lists them.
    pub const ALL: [ActClass; 4] =
        [ActClass::Critical, ActClass::Disqualifying, ActClass::Detour, ActClass::Safe];

    /// The class as written in the policy file.
    pub fn name(self) -> &'static str {
        match self {
            ActClass::Critical => "Critical",
            ActClass::Disqualifying => "Disqualifying",
            ActClass::Detour => "Detour",
            ActClass::Safe => "Safe",
        }
    }

    /// What the grading of a choice performing an act of this class must be, for messages.
    pub fn rule(self) -> &'static str {
        match self {
            ActClass::Critical => "the choice must be critical",
            ActClass::Disqualifying => "the choice must not be critical and must score 0 or less",
            ActClass::Detour => "the choice must not be critical and must score less than 0",
            ActClass::Safe => "the choice must not be critical and must score 0 or more",
        }
    }

    /// Whether a choice graded with `critical` and `score` follows this class.
    pub fn allows(self, critical: bool, score: i32) -> bool {
        match self {
            ActClass::Critical => critical,
            ActClass::Disqualifying => !critical && score <= 0,
            ActClass::Detour => !critical && score < 0,
            ActClass::Safe => !critical && score >= 0,
        }
    }
}

impl SafetyPolicy {
    /// The act with this id.
    pub fn act(&self, id: &str) -> Option<&Act> {
        self.acts.iter().find(|a| a.id == id)
    }

    /// The class of the act with this id.
    pub fn class_of(&self, id: &str) -> Option<ActClass> {
        self.act(id).map(|a| a.class)
    }

    /// Indexes of the best choices at `node` (see [`best_choices`]).
    pub fn best_choices(&self, node: &Node) -> Vec<usize> {
        best_choices(node, |act| self.class_of(act))
    }
}

/// Indexes of the best choices at `node`: not critical, performing no act that is Critical,
/// Disqualifying, Detour or unknown to the policy (`class_of` gives an act's class), and scoring
/// the most among such choices. These are the "correct" answers a record export reports: a
/// detour is not correct although the run goes on.
pub fn best_choices(node: &Node, class_of: impl Fn(&str) -> Option<ActClass>) -> Vec<usize> {
    let eligible = |c: &Choice| {
        c.critical.is_none() && c.act.as_deref().is_none_or(|act| class_of(act) == Some(ActClass::Safe))
    };
    let Some(top) = node.choices.iter().filter(|c| eligible(c)).map(|c| c.score).max() else {
        return Vec::new();
    };
    node.choices.iter().enumerate().filter(|(_, c)| eligible(c) && c.score == top).map(|(i, _)| i).collect()
}
