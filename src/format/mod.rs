//! The module file format: the serde types an author writes in `modules/<id>/module.ron`.
//!
//! Every learner-visible string is a [`Text`]: one entry per language code. Ids (steps, nodes,
//! choices, questions, answers) are shared across languages, so switching language never moves
//! a learner. `docs/module-format.md` documents every field with a complete example.

mod capped;
pub mod invisible;
pub mod limits;
pub mod plain;
mod policy;
mod regions;
mod terms;
mod text;

pub use policy::{Act, ActClass, SafetyPolicy, best_choices};
pub use regions::{Region, Regions};
pub use terms::{Discouraged, KnownContact, Terms};
pub use text::{Lang, Text};

use serde::{Deserialize, Serialize};

/// A training module: identity, metadata and an ordered list of steps.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Stable identifier, lowercase letters, digits and `-`; used in progress and records.
    pub id: String,
    /// Semantic version of the content (`1.2.0`).
    pub version: semver::Version,
    /// Languages this module is written in; every [`Text`] must have each of them.
    #[serde(deserialize_with = "capped::languages")]
    pub languages: Vec<Lang>,
    pub title: Text,
    pub summary: Text,
    /// Estimated time to complete, in minutes.
    pub minutes: u32,
    /// Date after which the content must be reviewed before it is taught again.
    pub review_by: chrono::NaiveDate,
    /// A completion stays valid this many months; then the learner recertifies.
    pub valid_for_months: u32,
    /// Regions this module is written for (`us`, `mx`).
    #[serde(default, deserialize_with = "capped::short_list")]
    pub regions: Vec<String>,
    /// Where the facts come from.
    #[serde(default, deserialize_with = "capped::sources")]
    pub sources: Vec<Source>,
    /// Shown before the module starts, when it touches on hard subjects.
    #[serde(default)]
    pub content_note: Option<Text>,
    /// What a learner must achieve to pass.
    #[serde(default)]
    pub pass_rule: PassRule,
    #[serde(deserialize_with = "capped::steps")]
    pub steps: Vec<Step>,
}

/// A cited source.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short key used by [`Block::Sources`] (e.g. `"dhs-indicators"`).
    pub id: String,
    /// Title as published (not translated).
    pub title: String,
    pub url: String,
}

/// What counts as passing the module.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PassRule {
    /// Every scenario must end in a `Pass` ending, without a critical choice in that run.
    #[serde(default = "yes")]
    pub scenarios_passed: bool,
    /// Every knowledge check must reach its pass mark.
    #[serde(default = "yes")]
    pub checks_passed: bool,
}

fn yes() -> bool {
    true
}

impl Default for PassRule {
    fn default() -> Self {
        Self { scenarios_passed: true, checks_passed: true }
    }
}

/// One step of a module.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub enum Step {
    Page(Page),
    Scenario(Scenario),
    Check(Check),
}

impl Step {
    /// The step's id, unique in its module.
    pub fn id(&self) -> &str {
        match self {
            Step::Page(p) => &p.id,
            Step::Scenario(s) => &s.id,
            Step::Check(c) => &c.id,
        }
    }

    /// The step's title.
    pub fn title(&self) -> &Text {
        match self {
            Step::Page(p) => &p.title,
            Step::Scenario(s) => &s.title,
            Step::Check(c) => &c.title,
        }
    }
}

/// A page of reading: text, images, callouts, contact cards.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub id: String,
    pub title: Text,
    #[serde(deserialize_with = "capped::blocks")]
    pub blocks: Vec<Block>,
}

/// A piece of a page.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub enum Block {
    /// Markdown text.
    Text(Text),
    /// An image inside the module folder; alt text is required.
    Image(Image),
    /// A highlighted box.
    Callout(Callout),
    /// A way to get help or report.
    Contact(ContactCard),
    /// A titled list of indicators (signs that suggest, never prove).
    Indicators(IndicatorList),
    /// Citations: ids from the module's `sources`.
    #[serde(deserialize_with = "capped::short_list")]
    Sources(Vec<String>),
}

/// An image and its alternative text.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// Path relative to the module folder, e.g. `images/diagram.png`.
    pub path: String,
    /// Describes the image for people who cannot see it.
    pub alt: Text,
    #[serde(default)]
    pub caption: Option<Text>,
}

/// The tone of a callout.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum CalloutKind {
    Tip,
    Warning,
    /// Warns of difficult subject matter ahead.
    ContentNote,
}

/// A highlighted box on a page.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Callout {
    pub kind: CalloutKind,
    pub text: Text,
}

/// A hotline, tip line or emergency number.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ContactCard {
    /// Stable id shared with the region data (`assets/regions.ron`).
    pub id: String,
    pub name: Text,
    /// Country or area the number serves (`us` or `mx`).
    pub region: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub sms: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub hours: Option<Text>,
    #[serde(default)]
    pub languages: Option<Text>,
    /// When to use this contact.
    pub when: Text,
}

/// A titled list of indicators.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IndicatorList {
    pub title: Text,
    #[serde(deserialize_with = "capped::indicators")]
    pub items: Vec<Text>,
}

/// A branching scenario: nodes joined by choices, ending in outcomes.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub title: Text,
    /// Shown before the scenario; the learner may skip it or come back later.
    #[serde(default)]
    pub content_note: Option<Text>,
    /// Id of the first node.
    pub start: String,
    #[serde(deserialize_with = "capped::nodes")]
    pub nodes: Vec<Node>,
    #[serde(deserialize_with = "capped::endings")]
    pub endings: Vec<Ending>,
    /// A `Pass` ending also needs at least this score (default: no minimum).
    #[serde(default)]
    pub pass_score: Option<i32>,
    /// Acts of the safety policy (normally `Safe` ones) that every run reaching a `Pass` ending
    /// must contain, e.g. `["call-911"]` when a child is in immediate danger.
    #[serde(default, deserialize_with = "capped::short_list")]
    pub requires: Vec<String>,
}

/// One moment in a scenario.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    pub text: Text,
    #[serde(default)]
    pub image: Option<Image>,
    #[serde(deserialize_with = "capped::choices")]
    pub choices: Vec<Choice>,
}

/// Something the learner may do at a node.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Unique within its node.
    pub id: String,
    pub text: Text,
    /// Node or ending id this choice leads to; required unless the choice is critical.
    #[serde(default)]
    pub goto: Option<String>,
    /// Shown after the choice is made.
    #[serde(default)]
    pub feedback: Option<Text>,
    /// Added to the scenario score.
    #[serde(default)]
    pub score: i32,
    /// Flags set when the choice is made (scoped to the scenario).
    #[serde(default, deserialize_with = "capped::flags")]
    pub sets: Vec<String>,
    /// The choice is offered only when this holds.
    #[serde(default)]
    pub when: Option<Condition>,
    /// An unsafe act: ends the run with an explanation.
    #[serde(default)]
    pub critical: Option<Critical>,
    /// The act of the safety policy this choice performs (`act: "promise-secrecy"`); its class
    /// decides how the choice must be graded.
    #[serde(default)]
    pub act: Option<String>,
}

/// Why a critical choice is unsafe, and what to do instead.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Critical {
    pub why: Text,
    pub instead: Text,
}

/// When a choice is offered.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum Condition {
    /// Scenario score is at least this.
    ScoreAtLeast(i32),
    /// Scenario score is below this.
    ScoreBelow(i32),
    /// This flag has been set.
    Flag(String),
    /// This flag has not been set.
    NotFlag(String),
    /// This node has been visited in this run.
    Visited(String),
    /// All of these hold.
    #[serde(deserialize_with = "capped::terms")]
    All(Vec<Condition>),
    /// Any of these holds.
    #[serde(deserialize_with = "capped::terms")]
    Any(Vec<Condition>),
}

/// How a scenario ending counts.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Hash)]
pub enum Outcome {
    Pass,
    Fail,
    Neutral,
}

/// A final state of a scenario.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    pub id: String,
    pub outcome: Outcome,
    pub summary: Text,
    /// Flags (from choices' `sets`) that every run reaching this ending has set, because the
    /// summary says the learner did that (`claims: ["noted"]`).
    #[serde(default, deserialize_with = "capped::short_list")]
    pub claims: Vec<String>,
}

/// A knowledge check.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub id: String,
    pub title: Text,
    /// Number of questions that must be answered correctly to pass.
    pub pass_mark: u32,
    #[serde(deserialize_with = "capped::questions")]
    pub questions: Vec<Question>,
}

/// The kind of a question.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum QuestionKind {
    /// Exactly one answer is correct.
    Single,
    /// One or more answers are correct; all must be chosen, and no others.
    Multiple,
    /// Two answers, true and false; exactly one is correct.
    TrueFalse,
}

/// One question of a check.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub prompt: Text,
    #[serde(deserialize_with = "capped::answers")]
    pub answers: Vec<Answer>,
}

/// One possible answer to a question.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub id: String,
    pub text: Text,
    #[serde(default)]
    pub correct: bool,
    /// Why this answer is right or wrong.
    pub explain: Text,
}

impl Module {
    /// The step with this id, and its index.
    pub fn step(&self, id: &str) -> Option<(usize, &Step)> {
        self.steps.iter().enumerate().find(|(_, s)| s.id() == id)
    }
}

impl Scenario {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The ending with this id.
    pub fn ending(&self, id: &str) -> Option<&Ending> {
        self.endings.iter().find(|e| e.id == id)
    }
}

impl Node {
    /// The choice with this id.
    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}

impl Question {
    /// Whether `selected` is exactly the set of correct answers.
    pub fn is_correct(&self, selected: &[String]) -> bool {
        let mut chosen: Vec<&str> = selected.iter().map(String::as_str).collect();
        chosen.sort_unstable();
        chosen.dedup();
        let mut correct: Vec<&str> =
            self.answers.iter().filter(|a| a.correct).map(|a| a.id.as_str()).collect();
        correct.sort_unstable();
        !correct.is_empty() && chosen == correct
    }
}
