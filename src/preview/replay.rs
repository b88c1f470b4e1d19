//! The preview keeps the story (issue 28): after a reload, the choices the author made in the
//! current attempt are made again in the new version, as Inky does, so the preview stays where
//! they lead with the flags and score they set. A jump to a node walks the shortest path there.

use std::collections::{BTreeSet, HashMap, VecDeque};

use chrono::{DateTime, Utc};

use crate::format::{Module, Scenario, Step};
use crate::progress::{Attempt, Event, RunState, ScenarioRun};

use super::place::{self, Place};

/// Why a replay stopped before the end of the recorded choices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceGone {
    /// The node the replay stopped at, in the new version.
    pub node: String,
    /// The choice's id, as recorded.
    pub choice: String,
    /// The choice's text in the old version (in the attempt's language), to name it on screen.
    pub text: Option<String>,
}

/// An attempt carried over to a new version of its module.
#[derive(Clone, Debug)]
pub struct Replayed {
    pub attempt: Attempt,
    /// Set when a recorded choice of the current scenario is no longer offered where the replay
    /// arrived: the preview stops there.
    pub stopped: Option<ChoiceGone>,
}

/// Carries `attempt`, made on `old`, over to `new`: the same step (by id, else the same position),
/// and in each scenario the recorded choices made again from its start. A scenario run whose
/// state is unknown (the author jumped to a node no path reaches) stays at that node, if it still
/// exists. Answers to checks that still exist are kept.
pub fn replay(old: &Module, attempt: &Attempt, new: &Module, now: DateTime<Utc>) -> Replayed {
    let here = place::place_of(old, attempt);
    let step_only = here.as_ref().map(|p| Place::step(&p.step));
    let mut carried = place::attempt_at(new, &attempt.lang, step_only.as_ref(), attempt.step, now);
    let current_id = new.steps.get(carried.step).map(|s| s.id().to_owned());
    let mut stopped = None;
    for (index, step) in new.steps.iter().enumerate() {
        match step {
            Step::Scenario(s) => {
                let Some(run) = attempt.scenarios.get(&s.id) else { continue };
                let old_scenario = old.steps.iter().find_map(|o| match o {
                    Step::Scenario(o) if o.id == s.id => Some(o),
                    _ => None,
                });
                let (new_run, gone) = replay_run(old_scenario, run, new, index, &attempt.lang, now);
                if current_id.as_deref() == Some(s.id.as_str()) {
                    stopped = gone;
                }
                carried.scenarios.insert(s.id.clone(), new_run);
            }
            Step::Check(c) => {
                if let Some(given) = attempt.answers.get(&c.id) {
                    carried.answers.insert(c.id.clone(), given.clone());
                }
            }
            Step::Page(_) => {}
        }
    }
    carried.skipped =
        attempt.skipped.iter().filter(|id| new.steps.iter().any(|s| s.id() == *id)).cloned().collect();
    Replayed { attempt: carried, stopped }
}

/// The run of the scenario at step `index` of `new` after making `run`'s recorded choices again.
fn replay_run(
    old: Option<&Scenario>,
    run: &ScenarioRun,
    new: &Module,
    index: usize,
    lang: &str,
    now: DateTime<Utc>,
) -> (ScenarioRun, Option<ChoiceGone>) {
    let mut scratch = Attempt::new(new, lang, now);
    let unknown = !state_known_of(old.map(|o| o.start.as_str()), run);
    if unknown && scratch.jump(new, index, Some(&run.node)) {
        return (current_run(&scratch, new, run), None);
    }
    scratch.jump(new, index, None);
    if let Some(fresh) = scratch.scenarios.values_mut().next() {
        fresh.note_acknowledged = run.note_acknowledged;
    }
    let mut gone = None;
    for (node, choice) in &run.path {
        if scratch.apply(new, Event::Choose(choice.clone()), now).is_err() {
            let at = scratch.current_run(new).map(|(_, r)| r.node.clone()).unwrap_or_default();
            let text = old
                .and_then(|o| o.node(node))
                .and_then(|n| n.choices.iter().find(|c| c.id == *choice))
                .map(|c| c.text.get(lang).to_owned());
            gone = Some(ChoiceGone { node: at, choice: choice.clone(), text });
            break;
        }
    }
    (current_run(&scratch, new, run), gone)
}

/// The scratch attempt's run of its current scenario, counting the runs the author made before.
fn current_run(scratch: &Attempt, new: &Module, old: &ScenarioRun) -> ScenarioRun {
    let mut run = scratch.current_run(new).map(|(_, r)| r.clone()).unwrap_or_else(|| old.clone());
    run.runs = old.runs;
    run
}

/// Whether `run`'s flags and score are the ones its choices set: `false` after a jump to a node
/// that no path of choices reaches, where the preview cannot know them.
pub fn state_known(scenario: &Scenario, run: &ScenarioRun) -> bool {
    state_known_of(Some(&scenario.start), run)
}

fn state_known_of(start: Option<&str>, run: &ScenarioRun) -> bool {
    !run.path.is_empty() || start.is_some_and(|s| s == run.node) || run.state != RunState::InProgress
}

/// The shortest list of choices from `scenario`'s start to `target`, by choice id, through
/// choices that are neither unsafe nor conditional (a condition depends on a state the walk does
/// not know); `None` if there is none. Linear in the scenario's choices.
pub fn shortest_path(scenario: &Scenario, target: &str) -> Option<Vec<String>> {
    let mut came_from: HashMap<&str, (&str, &str)> = HashMap::new();
    let mut seen = BTreeSet::from([scenario.start.as_str()]);
    let mut queue = VecDeque::from([scenario.start.as_str()]);
    while let Some(at) = queue.pop_front() {
        if at == target {
            let mut path = Vec::new();
            let mut node = at;
            while let Some((from, choice)) = came_from.get(node) {
                path.push((*choice).to_owned());
                node = from;
            }
            path.reverse();
            return Some(path);
        }
        let Some(node) = scenario.node(at) else { continue };
        for choice in node.choices.iter().filter(|c| c.critical.is_none() && c.when.is_none()) {
            let Some(next) = choice.goto.as_deref() else { continue };
            if scenario.node(next).is_some() && seen.insert(next) {
                came_from.insert(next, (at, choice.id.as_str()));
                queue.push_back(next);
            }
        }
    }
    None
}
