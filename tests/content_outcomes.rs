//! Scoring fixes from the content review (issue 13): each walks the path a learner would take
//! through the real bundled module and asserts how the run ends.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;

use faro::format::{Module, Outcome, Scenario, Step};
use faro::progress::{Attempt, Event, RunState, ScenarioRun};

fn module(dir: &str) -> Module {
    faro::load::load_module_dir(Path::new("modules").join(dir).as_path())
        .expect("bundled module loads")
        .module
}

fn scenario<'m>(m: &'m Module, id: &str) -> &'m Scenario {
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
fn path_to(s: &Scenario, node: &str) -> Vec<String> {
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
fn walk_attempt(dir: &str, scenario_id: &str, node: &str, then: &[&str]) -> (Module, Attempt) {
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
fn walk(dir: &str, scenario_id: &str, node: &str, then: &[&str]) -> (Module, ScenarioRun) {
    let (m, a) = walk_attempt(dir, scenario_id, node, then);
    let run = a.scenarios[scenario_id].clone();
    (m, run)
}

/// S1: promising a ~14-year-old that she won't get in trouble and can stay in the U.S. is a
/// critical choice, as in modules 01, 04 and 05; it used to cost one point and could still pass.
#[test]
fn promising_status_at_the_bus_station_is_critical() {
    let (m, run) = walk("02-recognizing-indicators", "bus-station", "alone", &["promise"]);
    assert_eq!(run.state, RunState::Critical { node: "alone".into(), choice: "promise".into() });
    let alone = scenario(&m, "bus-station").nodes.iter().find(|n| n.id == "alone").unwrap();
    let promise = alone.choices.iter().find(|c| c.id == "promise").unwrap();
    let critical = promise.critical.as_ref().expect("critical, with why and what to do instead");
    assert!(critical.why.get("en").contains("can't guarantee"));
    assert!(critical.instead.get("es").contains("911"));
}

/// S2: not calling 911 while the boy is being pulled to the truck ends the run as Fail, as the
/// same failure does in module 01; it used to be Neutral.
#[test]
fn not_calling_911_in_immediate_danger_fails() {
    let (m, run) = walk("04-responding-safely", "evening-meal", "danger", &["wait-inside"]);
    assert_eq!(run.state, RunState::Ended("no-911".into()));
    let ending = scenario(&m, "evening-meal").endings.iter().find(|e| e.id == "no-911").unwrap();
    assert_eq!(ending.outcome, Outcome::Fail);
}

/// S6: after "adults decide", Luis's story says how to act without overriding his choice: tell
/// the coordinator and ask the hotline for advice without giving his name (FACTS §11).
#[test]
fn respecting_luis_still_says_how_to_get_advice_without_his_name() {
    let (m, run) = walk("01-what-is-trafficking", "shelter-debt", "his-fear", &["offer-hotline"]);
    assert_eq!(run.last_choice, Some(("his-fear".into(), "offer-hotline".into())));
    let scenario = scenario(&m, "shelter-debt");
    let mut texts = Vec::new();
    for node in &scenario.nodes {
        for choice in &node.choices {
            texts.extend(choice.feedback.iter().flat_map(|f| [f.get("en"), f.get("es")]));
        }
    }
    let his_fear = scenario.nodes.iter().find(|n| n.id == "his-fear").unwrap();
    let feedback =
        his_fear.choices.iter().find(|c| c.id == "offer-hotline").unwrap().feedback.as_ref().unwrap();
    assert!(feedback.get("en").contains("call the hotline for advice without giving Luis's name"));
    assert!(feedback.get("es").contains("pedir orientación sin dar el nombre de Luis"));
    for text in texts {
        assert!(!text.contains("report what you learned") && !text.contains("lo que sabe"), "{text}");
    }
}

/// S3: waiting ten minutes while the extorter is parked outside, then calling 911, no longer
/// reaches the Pass ending; it ends on its own, non-passing ending. Calling at once still passes.
#[test]
fn a_late_911_call_at_the_youth_group_does_not_pass() {
    let late = ["call-911-now", "report-all", "facts-only", "not-your-fault-late"];
    let (m, run) = walk("03-online-grooming", "youth-group", "still-outside", &late);
    assert_eq!(run.state, RunState::Ended("late-911".into()));
    let scenario = scenario(&m, "youth-group");
    let ending = scenario.endings.iter().find(|e| e.id == "late-911").unwrap();
    assert_ne!(ending.outcome, Outcome::Pass);
    assert!(ending.summary.get("en").contains("call 911 at once"));

    // On the late path the passing words are not offered.
    let (m2, a) = walk_attempt("03-online-grooming", "youth-group", "still-outside", &late[..3]);
    let offered: Vec<&str> = a.offered_choices(&m2).iter().map(|c| c.id.as_str()).collect();
    assert!(offered.contains(&"not-your-fault-late") && !offered.contains(&"not-your-fault"), "{offered:?}");

    // Calling 911 at once (the shortest path) still reaches the Pass ending.
    let (_, run) = walk("03-online-grooming", "youth-group", "in-trouble", &["not-your-fault"]);
    assert_eq!(run.state, RunState::Ended("safe-and-reported".into()));
}

/// S5: in a module set in migrant shelters, the U.S. reporting page gives the route from FACTS
/// §11 instead of listing the ICE HSI Tip Line like any other option: the Hotline first when
/// unsure, federal law enforcement decided with the coordinator, never delaying 911 or a report
/// the law requires about a child.
#[test]
fn the_us_reporting_page_gives_the_route_not_a_flat_list() {
    let m = module("04-responding-safely");
    let page = m
        .steps
        .iter()
        .find_map(|s| match s {
            Step::Page(p) if p.id == "report-us" => Some(p),
            _ => None,
        })
        .expect("the U.S. reporting page");
    let text: String = page
        .blocks
        .iter()
        .filter_map(|b| match b {
            faro::format::Block::Text(t) => Some(format!("{}\n{}", t.get("en"), t.get("es"))),
            _ => None,
        })
        .collect();
    for needle in [
        "If you are unsure, call this first",
        "ask for advice without giving anyone's name",
        "decided **with your coordinator, following your organization's protocol**",
        "never delays 911",
        "Si tiene dudas, llame aquí primero",
        "pedir orientación sin dar el nombre de nadie",
        "se decide **con su coordinador o coordinadora, según el protocolo de su organización**",
        "nunca retrasa una llamada al 911",
    ] {
        assert!(text.contains(needle), "the page should say: {needle}");
    }
}
