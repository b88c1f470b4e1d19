//! Module 06 (`trading-to-survive`): walks the drop-in center scenario as a learner would and
//! checks how each kind of run ends.

use crate::common;

use common::walk::{module, scenario, walk};
use faro::format::Outcome;
use faro::progress::RunState;

const DIR: &str = "06-trading-to-survive";
const SCENARIO: &str = "drop-in";

/// The safest choice at every node, from the start.
const BEST: [&str; 8] =
    ["calm-thanks", "honest", "no-need", "enough", "call-911", "report", "mx-route", "debrief"];

#[test]
fn the_best_path_reaches_the_pass_ending_and_passes() {
    let (m, run) = walk(DIR, SCENARIO, "arrive", &BEST);
    assert_eq!(run.state, RunState::Ended("safe-and-reported".into()));
    let s = scenario(&m, SCENARIO);
    let ending = s.endings.iter().find(|e| e.id == "safe-and-reported").unwrap();
    assert_eq!(ending.outcome, Outcome::Pass);
    assert_eq!(Some(run.score), s.pass_score.map(|p| p + 1), "the best path scores one above the mark");
    assert!(run.passed(s));
}

/// Each unsafe act (a promise that can't be kept, looking at the teen's phone, questioning her
/// for details, confronting the adult, posting on social media, a rescue) ends the run at once,
/// with why and what to do instead in both languages.
#[test]
fn each_critical_choice_ends_the_run_as_critical() {
    let criticals = [
        ("her-story", "promise-secret"),
        ("her-story", "promise-no-police"),
        ("phone", "show-me"),
        ("details", "ask-details"),
        ("outside", "confront"),
        ("after-911", "post-warning"),
        ("rosa", "take-her-home"),
    ];
    let m = module(DIR);
    let s = scenario(&m, SCENARIO);
    let marked: usize =
        s.nodes.iter().map(|n| n.choices.iter().filter(|c| c.critical.is_some()).count()).sum();
    assert_eq!(marked, criticals.len(), "every critical choice is walked here");
    for (node, choice) in criticals {
        let (m, run) = walk(DIR, SCENARIO, node, &[choice]);
        assert_eq!(run.state, RunState::Critical { node: node.into(), choice: choice.into() });
        let s = scenario(&m, SCENARIO);
        assert!(!run.passed(s));
        let n = s.nodes.iter().find(|n| n.id == node).unwrap();
        let critical = n.choices.iter().find(|c| c.id == choice).unwrap().critical.as_ref().unwrap();
        for lang in ["en", "es"] {
            assert!(!critical.why.get(lang).is_empty() && !critical.instead.get(lang).is_empty());
        }
    }
}

/// Blaming her first and sending Rosa to the Texas line (two mistakes) reaches the end of the
/// story, but not the Pass ending.
#[test]
fn a_low_score_path_does_not_pass() {
    let low = ["her-choice", "repair", "honest", "no-need", "enough", "call-911", "report", "texas-line"];
    let (m, a) = common::walk::walk_attempt(DIR, SCENARIO, "arrive", &low);
    let offered: Vec<&str> = a.offered_choices(&m).iter().map(|c| c.id.as_str()).collect();
    assert!(offered.contains(&"debrief-low") && !offered.contains(&"debrief"), "{offered:?}");

    let path: Vec<&str> = low.iter().copied().chain(["debrief-low"]).collect();
    let (m, run) = walk(DIR, SCENARIO, "arrive", &path);
    assert_eq!(run.state, RunState::Ended("partly".into()));
    let s = scenario(&m, SCENARIO);
    let ending = s.endings.iter().find(|e| e.id == "partly").unwrap();
    assert_ne!(ending.outcome, Outcome::Pass);
    assert!(!run.passed(s));
}

/// Letting her leave with him and calling 911 afterwards ends on its own, non-passing ending.
#[test]
fn a_late_911_call_does_not_pass() {
    let (m, run) = walk(DIR, SCENARIO, "outside", &["let-her-go", "call-911-late"]);
    assert_eq!(run.state, RunState::Ended("late-911".into()));
    let s = scenario(&m, SCENARIO);
    assert!(!run.passed(s));
    let ending = s.endings.iter().find(|e| e.id == "late-911").unwrap();
    assert!(ending.summary.get("en").contains("call 911 at once"));
}

/// One mistake that was repaired (brushing it off as her choice at first) still allows a pass.
/// Blaming her ("How could you do that?") does not, even after an apology: see
/// `content_outcomes::blaming_then_apologizing_does_not_pass`.
#[test]
fn one_repaired_mistake_can_still_pass() {
    let path =
        ["her-choice", "repair", "honest", "no-need", "enough", "call-911", "report", "mx-route", "debrief"];
    let (m, run) = walk(DIR, SCENARIO, "arrive", &path);
    assert_eq!(run.state, RunState::Ended("safe-and-reported".into()));
    assert!(run.passed(scenario(&m, SCENARIO)));
}
