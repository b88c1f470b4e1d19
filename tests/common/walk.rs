//! Walking a bundled module's scenario as a learner would, for the content tests.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use faro::format::{Module, Scenario, Step};
use faro::progress::{Attempt, Event, RunState, ScenarioRun};

pub fn module(dir: &str) -> Module {
    faro::load::load_module_dir(Path::new("modules").join(dir).as_path())
        .expect("bundled module loads")
        .module
}

pub fn scenario<'m>(m: &'m Module, id: &str) -> &'m Scenario {
    m.steps
        .iter()
        .find_map(|s| match s {
            Step::Scenario(s) if s.id == id => Some(s),
            _ => None,
        })
        .expect("the scenario exists")
}

/// The shortest list of choices from the scenario's start to `node` (breadth first, through
/// choices that lead somewhere), so the test does not depend on how the nodes before it change.
pub fn path_to(s: &Scenario, node: &str) -> Vec<String> {
    let mut came_from: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    let mut queue = VecDeque::from([s.start.as_str()]);
    while let Some(at) = queue.pop_front() {
        if at == node {
            break;
        }
        let Some(n) = s.nodes.iter().find(|n| n.id == at) else { continue };
        for c in &n.choices {
            if let Some(next) = c.goto.as_deref()
                && next != s.start
                && !came_from.contains_key(next)
            {
                came_from.insert(next, (at, c.id.as_str()));
                queue.push_back(next);
            }
        }
    }
    let mut path = Vec::new();
    let mut at = node;
    while at != s.start {
        let (from, choice) = came_from[at];
        path.push(choice.to_owned());
        at = from;
    }
    path.reverse();
    path
}

/// Opens `scenario` of the module in `dir`, walks to `node`, then makes `then`; returns the
/// attempt, whose run of that scenario the tests look at.
pub fn walk_attempt(dir: &str, scenario_id: &str, node: &str, then: &[&str]) -> (Module, Attempt) {
    let m = module(dir);
    let now = chrono::Utc::now();
    let mut a = Attempt::new(&m, "en", now);
    a.step = m.steps.iter().position(|s| s.id() == scenario_id).expect("scenario step");
    let s = scenario(&m, scenario_id);
    if s.content_note.is_some() {
        a.apply(&m, Event::AcknowledgeNote, now).expect("note");
    }
    let choices = path_to(s, node).into_iter().chain(then.iter().map(|c| (*c).to_owned()));
    for choice in choices {
        a.apply(&m, Event::Choose(choice.clone()), now).unwrap_or_else(|e| panic!("choice {choice}: {e}"));
    }
    (m, a)
}

/// The same walk; returns the scenario's run.
pub fn walk(dir: &str, scenario_id: &str, node: &str, then: &[&str]) -> (Module, ScenarioRun) {
    let (m, a) = walk_attempt(dir, scenario_id, node, then);
    let run = a.scenarios[scenario_id].clone();
    (m, run)
}

/// The choice `choice_id` at `node_id` of `scenario_id`.
pub fn choice<'m>(
    m: &'m Module,
    scenario_id: &str,
    node_id: &str,
    choice_id: &str,
) -> &'m faro::format::Choice {
    scenario(m, scenario_id)
        .node(node_id)
        .and_then(|n| n.choice(choice_id))
        .unwrap_or_else(|| panic!("choice {choice_id} at {node_id}"))
}

/// The text and callouts of page `id`, every language, one after the other.
pub fn page_text(m: &Module, id: &str) -> String {
    let page = m
        .steps
        .iter()
        .find_map(|s| match s {
            Step::Page(p) if p.id == id => Some(p),
            _ => None,
        })
        .unwrap_or_else(|| panic!("page {id}"));
    let mut out = String::new();
    for block in &page.blocks {
        let text = match block {
            faro::format::Block::Text(t) => t,
            faro::format::Block::Callout(c) => &c.text,
            _ => continue,
        };
        for lang in ["en", "es"] {
            out.push_str(text.get(lang));
            out.push('\n');
        }
    }
    out
}

/// Every run a learner can make through `scenario_id` of the module in `dir`, from its start to
/// an ending or a critical choice, with the engine's conditions, flags and scores. A run that only
/// goes round a loop again (same node, score, flags and set of choices made) is counted once, so
/// loops such as "go back and choose again" end.
pub fn finished_runs(dir: &str, scenario_id: &str) -> (Module, Vec<ScenarioRun>) {
    let m = module(dir);
    let now = chrono::Utc::now();
    let mut start = Attempt::new(&m, "en", now);
    start.step = m.steps.iter().position(|s| s.id() == scenario_id).expect("scenario step");
    if scenario(&m, scenario_id).content_note.is_some() {
        start.apply(&m, Event::AcknowledgeNote, now).expect("note");
    }
    let mut stack = vec![start];
    let mut seen = BTreeSet::new();
    let mut finished = Vec::new();
    while let Some(a) = stack.pop() {
        let run = &a.scenarios[scenario_id];
        let made: BTreeSet<&(String, String)> = run.path.iter().collect();
        let key = format!("{}|{}|{:?}|{:?}|{made:?}", run.node, run.score, run.flags, run.state);
        if !seen.insert(key) {
            continue;
        }
        if run.state != RunState::InProgress {
            finished.push(run.clone());
            continue;
        }
        for c in a.offered_choices(&m) {
            let mut next = a.clone();
            next.apply(&m, Event::Choose(c.id.clone()), now).expect("an offered choice can be made");
            stack.push(next);
        }
        assert!(seen.len() < 200_000, "{dir} {scenario_id}: too many runs to walk");
    }
    (m, finished)
}

/// Whether `run` made `choice` at `node`.
pub fn made(run: &ScenarioRun, node: &str, choice: &str) -> bool {
    run.path.iter().any(|(n, c)| n == node && c == choice)
}

/// The runs of `scenario_id` in `dir` that pass (a Pass ending with the pass score), with the
/// module, for tests that prove something about every passing run.
pub fn passing_runs(dir: &str, scenario_id: &str) -> (Module, Vec<ScenarioRun>) {
    let (m, runs) = finished_runs(dir, scenario_id);
    let s = scenario(&m, scenario_id);
    let passing: Vec<ScenarioRun> = runs.into_iter().filter(|r| r.passed(s)).collect();
    assert!(!passing.is_empty(), "{dir} {scenario_id}: some run passes");
    (m, passing)
}
