//! The safety policy's rules (issue 22; `docs/module-format.md`, "The safety policy"): every act a
//! choice performs is graded as its class says, and over every run of every scenario no Pass is
//! reached after a disqualifying act or without a required act, and no ending claims a flag the
//! run never set.
//!
//! The rules on single choices are checked here; the rules on runs in [`proof`], by the bounded run
//! search with one budget for the whole module.

mod page;
mod places;
mod proof;

pub use page::{PageAct, PageChoice, PolicyPage};
pub use proof::{MAX_POLICY_CHOICES_CONSIDERED, MAX_POLICY_RUN_STATES, Work};

use std::collections::{HashMap, HashSet};

use super::{Found, closest};
use crate::format::{ActClass, Module, SafetyPolicy, Scenario};
use crate::load::{Anchor, Locator};

/// How the safety policy applies to one validation.
#[derive(Clone, Copy, Debug)]
pub struct PolicyCheck<'a> {
    /// The policy acts are checked against; `None` when it could not be read (whoever read it
    /// reports why): the rules that need no class (untagged choices, `pass_score`, required
    /// acts, claims) still run.
    pub policy: Option<&'a SafetyPolicy>,
    /// In a module that uses no `act` at all (a third-party pack written before the policy),
    /// warn about its untagged critical and negative choices and its scenarios without
    /// `pass_score`. Off in plain validation, so such a pack keeps validating as before; on for
    /// `faro validate --policy`, the reviewer's view.
    pub review_untagged: bool,
}

/// Whether any choice of the module names an act: such a module has opted into the policy,
/// and an untagged unsafe choice in it is an error, not a warning.
pub fn uses_acts(module: &Module) -> bool {
    scenarios(module).any(|s| s.nodes.iter().flat_map(|n| &n.choices).any(|c| c.act.is_some()))
}

fn scenarios(module: &Module) -> impl Iterator<Item = &Scenario> {
    module.steps.iter().filter_map(|s| match s {
        crate::format::Step::Scenario(s) => Some(s),
        _ => None,
    })
}

/// Only the safety policy's findings about a module (in file order, located), and the work its
/// run search did: for tests and tools that look at the proof alone.
pub fn findings(
    loaded: &crate::load::LoadedModule,
    check: &PolicyCheck<'_>,
) -> (Vec<crate::diagnostic::Diagnostic>, Work) {
    let loc = loaded.locator();
    let mut found = Vec::new();
    let budget = super::SearchBudget::new(super::MODULE_SEARCH_BUDGET);
    let work = self::check(&loaded.module, &loc, check, &budget, false, &mut found);
    (super::into_diagnostics(&loaded.file, &loc, found, super::Hidden::default()), work)
}

/// Every policy finding about `module`, and the work the run search did, drawn from the
/// module's `budget`; a proof left incomplete is an error when `must_complete` (a publisher's
/// module in a pack), a warning otherwise.
pub(crate) fn check(
    module: &Module,
    loc: &Locator<'_>,
    check: &PolicyCheck<'_>,
    search_budget: &super::SearchBudget<'_>,
    must_complete: bool,
    out: &mut Vec<Found>,
) -> Work {
    let tagged = uses_acts(module);
    // Untagged choices are errors once a module uses acts, warnings for a reviewer otherwise.
    let untagged: Option<fn(Anchor, String) -> Found> = match (tagged, check.review_untagged) {
        (true, _) => Some(Found::error),
        (false, true) => Some(Found::warning),
        (false, false) => None,
    };
    let classes: Option<HashMap<&str, ActClass>> =
        check.policy.map(|p| p.acts.iter().map(|a| (a.id.as_str(), a.class)).collect());
    let mut budget = proof::Budget::new(search_budget, must_complete);
    for (s, places) in places::scenarios(module, loc) {
        if let Some(untagged) = untagged
            && s.pass_score.is_none()
        {
            let message = format!(
                "scenario \"{}\" has no pass_score: under the safety policy every scenario says the score a Pass needs",
                s.id
            );
            out.push(untagged(places.at, message));
        }
        for (n, node) in s.nodes.iter().enumerate() {
            for (c, choice) in node.choices.iter().enumerate() {
                let at = places.choice(n, c);
                match (&choice.act, untagged) {
                    (Some(act), _) => {
                        let act_at = loc.field_value(at, "act", act).unwrap_or(at);
                        if let Some(classes) = &classes {
                            graded(classes, &choice.id, act, choice.critical.is_some(), choice.score, act_at, out);
                        }
                    }
                    (None, Some(untagged)) if choice.critical.is_some() => out.push(untagged(
                        at,
                        format!(
                            "critical choice \"{}\" names no act: say which act of the safety policy it is (act: \"…\")",
                            choice.id
                        ),
                    )),
                    (None, Some(untagged)) if choice.score < 0 => out.push(untagged(
                        at,
                        format!(
                            "choice \"{}\" scores {} but names no act: say which act of the safety policy costs these points (act: \"…\")",
                            choice.id, choice.score
                        ),
                    )),
                    _ => {}
                }
            }
        }
        if let Some(classes) = &classes {
            for act in &s.requires {
                if !classes.contains_key(act.as_str()) {
                    let at = loc.field(places.at, "requires").unwrap_or(places.at);
                    out.push(Found::error(
                        at,
                        unknown_act(&format!("scenario \"{}\" requires", s.id), act, classes),
                    ));
                }
            }
        }
        claimed_flags_exist(s, &places, loc, out);
        proof::prove(s, &places, classes.as_ref(), &mut budget, out);
    }
    budget.work()
}

/// Rules 1 and 2: the act exists, and the choice is graded as its class says.
fn graded(
    classes: &HashMap<&str, ActClass>,
    choice: &str,
    act: &str,
    critical: bool,
    score: i32,
    at: Anchor,
    out: &mut Vec<Found>,
) {
    let Some(&class) = classes.get(act) else {
        out.push(Found::error(at, unknown_act(&format!("choice \"{choice}\" performs"), act, classes)));
        return;
    };
    if !class.allows(critical, score) {
        let grading = if critical { "it is critical".to_owned() } else { format!("it scores {score}") };
        out.push(Found::error(
            at,
            format!(
                "choice \"{choice}\" performs \"{act}\", a {} act in the safety policy: {}, but {grading}",
                class.name(),
                class.rule()
            ),
        ));
    }
}

fn unknown_act(what: &str, act: &str, classes: &HashMap<&str, ActClass>) -> String {
    let mut message = format!("{what} the act \"{act}\", which the safety policy does not list");
    // Sorted, so the suggestion does not depend on the map's order.
    let mut known: Vec<&str> = classes.keys().copied().collect();
    known.sort_unstable();
    if let Some(best) = closest(act, known) {
        message.push_str(&format!(", did you mean \"{best}\"?"));
    }
    message
}

/// An ending that claims a flag no choice of the scenario sets can never be reached truthfully:
/// said at once, with a did-you-mean, before any run is played.
fn claimed_flags_exist(
    s: &Scenario,
    places: &places::ScenarioPlaces,
    loc: &Locator<'_>,
    out: &mut Vec<Found>,
) {
    if s.endings.iter().all(|e| e.claims.is_empty()) {
        return;
    }
    let set: HashSet<&str> =
        s.nodes.iter().flat_map(|n| &n.choices).flat_map(|c| &c.sets).map(String::as_str).collect();
    for (i, ending) in s.endings.iter().enumerate() {
        for flag in &ending.claims {
            if set.contains(flag.as_str()) {
                continue;
            }
            let at = loc.field(places.ending(i), "claims").unwrap_or(places.ending(i));
            let mut message = format!(
                "ending \"{}\" claims \"{flag}\", but no choice in scenario \"{}\" sets it",
                ending.id, s.id
            );
            let mut known: Vec<&str> = set.iter().copied().collect();
            known.sort_unstable();
            if let Some(best) = closest(flag, known) {
                message.push_str(&format!(", did you mean \"{best}\"?"));
            }
            out.push(Found::error(at, message));
        }
    }
}

#[cfg(test)]
mod tests;
