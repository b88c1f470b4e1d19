//! Where the preview stands in a module (a step, and a node in a scenario) and where a diagnostic
//! points, so a reload can keep the author's place and a click on a diagnostic can go there.

use chrono::{DateTime, Utc};

use crate::diagnostic::{Diagnostic, Position};
use crate::format::{Module, Step};
use crate::load::{Anchor, LoadedModule};
use crate::progress::{Attempt, Event, RunState};

/// A step, by id, and for a scenario the node being shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub step: String,
    pub node: Option<String>,
}

impl Place {
    /// The step of that id, at its beginning.
    pub fn step(id: impl Into<String>) -> Self {
        Self { step: id.into(), node: None }
    }

    /// A node of the scenario step `step`.
    pub fn node(step: impl Into<String>, node: impl Into<String>) -> Self {
        Self { step: step.into(), node: Some(node.into()) }
    }
}

/// Where `attempt` stands in `module`: its step, and the current node if that step is a scenario
/// whose run is under way past its start.
pub fn place_of(module: &Module, attempt: &Attempt) -> Option<Place> {
    let step = attempt.current_step(module)?;
    let node = match attempt.current_run(module) {
        Some((scenario, run)) if run.node != scenario.start || run.note_acknowledged => {
            Some(run.node.clone())
        }
        _ => None,
    };
    Some(Place { step: step.id().to_owned(), node })
}

/// A fresh attempt at `place` in `module`, or as near as the module allows: the same step if it
/// still exists (else the step at `fallback_index`, the one the old place had, or the last), the
/// same node if it still exists (else the scenario's start).
pub fn attempt_at(
    module: &Module,
    lang: &str,
    place: Option<&Place>,
    fallback_index: usize,
    now: DateTime<Utc>,
) -> Attempt {
    let mut attempt = Attempt::new(module, lang, now);
    let Some(place) = place else { return attempt };
    let step = module
        .steps
        .iter()
        .position(|s| s.id() == place.step)
        .unwrap_or_else(|| fallback_index.min(module.steps.len().saturating_sub(1)));
    let node = match (module.steps.get(step), place.node.as_deref()) {
        (Some(Step::Scenario(s)), Some(node)) if s.node(node).is_some() => Some(node),
        _ => None,
    };
    if let (Some(Step::Scenario(s)), Some(target)) = (module.steps.get(step), node)
        && let Some(walked) = walk_to(module, &attempt, step, s, target, now)
    {
        return walked;
    }
    if step != 0 || node.is_some() {
        attempt.jump(module, step, node);
    }
    attempt
}

/// `attempt` at node `target` of the scenario `s` (step `step`) by the shortest path of choices
/// from its start, with the flags and score that path sets; `None` when no such path is taken
/// (the node's state is then unknown, see [`super::replay::state_known`]).
fn walk_to(
    module: &Module,
    attempt: &Attempt,
    step: usize,
    s: &crate::format::Scenario,
    target: &str,
    now: DateTime<Utc>,
) -> Option<Attempt> {
    let path = super::replay::shortest_path(s, target)?;
    let mut walked = attempt.clone();
    walked.jump(module, step, None);
    walked.scenarios.get_mut(&s.id)?.note_acknowledged = true;
    for choice in path {
        walked.apply(module, Event::Choose(choice), now).ok()?;
    }
    let (_, run) = walked.current_run(module)?;
    (run.node == target && run.state == RunState::InProgress).then_some(walked)
}

/// The places written in a module file, in file order: where each step and each scenario node is
/// declared. Found once per load through the source index, so it stays linear in the file.
#[derive(Clone, Debug, Default)]
pub struct SourcePlaces {
    starts: Vec<(Position, Place)>,
}

impl SourcePlaces {
    /// Indexes where the steps and nodes of `loaded` are written.
    pub fn new(loaded: &LoadedModule) -> Self {
        let loc = loaded.locator();
        let mut starts = Vec::new();
        let mut after = Anchor(0);
        for step in &loaded.module.steps {
            let Some(at) = loc.field_value(after, "id", step.id()) else { continue };
            after = at;
            starts.push((loc.position(at), Place::step(step.id())));
            if let Step::Scenario(s) = step {
                let mut node_after = at;
                for node in &s.nodes {
                    let Some(node_at) = loc.field_value(node_after, "id", &node.id) else { continue };
                    node_after = node_at;
                    starts.push((loc.position(node_at), Place::node(&s.id, &node.id)));
                }
                // Endings and later parts of the step belong to the step, not its last node.
                if let Some(endings) = loc.field(node_after, "endings") {
                    starts.push((loc.position(endings), Place::step(&s.id)));
                }
            }
        }
        starts.sort_by_key(|(pos, _)| *pos);
        Self { starts }
    }

    /// The step or node a diagnostic of this module's file is about: the last one declared at or
    /// before its line and column. `None` for another file or the whole file.
    pub fn of(&self, diagnostic: &Diagnostic, file: &std::path::Path) -> Option<&Place> {
        if diagnostic.file != file || diagnostic.line == 0 {
            return None;
        }
        // An id is written a few characters after the `(` that opens its step or node, so a
        // finding on that opening line belongs to it too.
        let at = Position { line: diagnostic.line, column: usize::MAX };
        let i = self.starts.partition_point(|(pos, _)| *pos <= at);
        self.starts.get(i.checked_sub(1)?).map(|(_, place)| place)
    }
}
