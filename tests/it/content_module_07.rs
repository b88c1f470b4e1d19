//! Module 07, children on the move: the scenario branches on the side of the border, the best
//! path on each side passes, every unsafe choice ends the run, low scores never pass, and the
//! Mexico side names the Procuraduría de Protección without ever giving a number for it.

use crate::common;

use std::collections::BTreeSet;

use common::walk::{module, scenario, walk, walk_attempt};
use faro::format::{Outcome, Scenario};
use faro::progress::{Attempt, Event, RunState};

const DIR: &str = "07-children-on-the-move";
const SCENARIO: &str = "traveling-alone";

const US_BEST: [&str; 6] =
    ["el-paso", "listen-us", "honest-us", "report-orr-texas", "call-911-us", "debrief"];
const MX_BEST: [&str; 6] = ["juarez", "listen-mx", "honest-mx", "tell-coordinator", "call-911-mx", "debrief"];

fn ending_outcome(s: &Scenario, id: &str) -> Outcome {
    s.endings.iter().find(|e| e.id == id).expect("the ending exists").outcome
}

#[test]
fn the_best_path_on_each_side_reaches_a_pass_ending() {
    for best in [US_BEST, MX_BEST] {
        let (m, run) = walk(DIR, SCENARIO, "side", &best);
        let s = scenario(&m, SCENARIO);
        assert_eq!(run.state, RunState::Ended("protected".into()), "{best:?}");
        assert_eq!(ending_outcome(s, "protected"), Outcome::Pass);
        assert!(run.score >= s.pass_score.expect("a pass score"), "{best:?}: score {}", run.score);
        assert!(run.passed(s), "{best:?}");
    }
}

#[test]
fn the_side_sets_a_flag_and_only_that_side_is_offered() {
    let (m, a) = walk_attempt(DIR, SCENARIO, "side", &["el-paso", "listen-us"]);
    let offered: Vec<&str> = a.offered_choices(&m).iter().map(|c| c.id.as_str()).collect();
    assert!(offered.contains(&"honest-us") && !offered.contains(&"honest-mx"), "{offered:?}");
    assert!(a.scenarios[SCENARIO].flags.contains("us-side"));

    let (m, a) = walk_attempt(DIR, SCENARIO, "side", &["juarez", "listen-mx"]);
    let offered: Vec<&str> = a.offered_choices(&m).iter().map(|c| c.id.as_str()).collect();
    assert!(offered.contains(&"honest-mx") && !offered.contains(&"honest-us"), "{offered:?}");

    // A number for the other side of the border sends the learner back to the right node.
    let (_, run) =
        walk(DIR, SCENARIO, "side", &["juarez", "listen-mx", "honest-mx", "texas-line-from-mx", "back-mx"]);
    assert_eq!(run.node, "mx-report");
    let (_, run) =
        walk(DIR, SCENARIO, "side", &["el-paso", "listen-us", "honest-us", "mx-line-from-us", "back-us"]);
    assert_eq!(run.node, "us-report");
}

#[test]
fn each_critical_choice_ends_the_run_critical() {
    let cases: [(&[&str], &str, &str); 13] = [
        (&["el-paso"], "us-notice", "drive-home"),
        (&["el-paso"], "us-notice", "ask-details"),
        (&["el-paso", "listen-us"], "promise", "promise-stay"),
        (&["el-paso", "listen-us"], "promise", "take-home"),
        (&["el-paso", "listen-us"], "promise", "keep-secret"),
        (&["el-paso", "listen-us", "honest-us"], "us-report", "call-cousin"),
        (&["el-paso", "listen-us", "honest-us", "report-orr-texas"], "us-danger", "walk-out"),
        (&["juarez"], "mx-arrival", "find-group"),
        (&["juarez", "listen-mx"], "promise", "promise-stay"),
        (&["juarez", "listen-mx"], "promise", "take-home"),
        (&["juarez", "listen-mx"], "promise", "keep-secret"),
        (&["juarez", "listen-mx", "honest-mx"], "mx-report", "call-inm"),
        (&["juarez", "listen-mx", "honest-mx", "tell-coordinator"], "mx-danger", "go-to-gate"),
    ];
    for (before, node, choice) in cases {
        let path: Vec<&str> = before.iter().copied().chain([choice]).collect();
        let (m, run) = walk(DIR, SCENARIO, "side", &path);
        assert_eq!(run.state, RunState::Critical { node: node.into(), choice: choice.into() }, "{path:?}");
        let s = scenario(&m, SCENARIO);
        let n = s.nodes.iter().find(|n| n.id == node).unwrap();
        let critical = n.choices.iter().find(|c| c.id == choice).unwrap().critical.as_ref().unwrap();
        for lang in ["en", "es"] {
            assert!(!critical.why.get(lang).is_empty() && !critical.instead.get(lang).is_empty());
        }
    }
    // Every critical choice in the scenario is among the cases above.
    let (m, _) = walk(DIR, SCENARIO, "side", &[]);
    let all: BTreeSet<&str> = scenario(&m, SCENARIO)
        .nodes
        .iter()
        .flat_map(|n| n.choices.iter())
        .filter(|c| c.critical.is_some())
        .map(|c| c.id.as_str())
        .collect();
    let tested: BTreeSet<&str> = cases.iter().map(|(_, _, c)| *c).collect();
    assert_eq!(all, tested);
}

/// Blaming Kevin, then apologizing, reaches the end of the story but not the Pass ending: the
/// run ends on the ending that names the blame (claims: ["blamed"]).
#[test]
fn a_run_that_blamed_the_teenager_does_not_get_a_pass() {
    let blamed = ["juarez", "blame", "repair", "honest-mx", "tell-coordinator", "call-911-mx"];
    let (m, a) = walk_attempt(DIR, SCENARIO, "side", &blamed);
    let offered: Vec<&str> = a.offered_choices(&m).iter().map(|c| c.id.as_str()).collect();
    assert!(offered.contains(&"debrief-late") && !offered.contains(&"debrief"), "{offered:?}");
    let path: Vec<&str> = blamed.iter().copied().chain(["debrief-late"]).collect();
    let (m, run) = walk(DIR, SCENARIO, "side", &path);
    let s = scenario(&m, SCENARIO);
    assert_eq!(run.state, RunState::Ended("partly".into()));
    assert_ne!(ending_outcome(s, "partly"), Outcome::Pass);
    assert!(!run.passed(s));
    assert!(s.ending("partly").unwrap().summary.get("en").contains("blamed"));
}

/// Every run a learner can make (conditions applied): a run that reaches a Pass ending always
/// has the pass score, and both sides of the border can pass.
#[test]
fn no_run_reaches_a_pass_ending_below_the_pass_score() {
    let m = module(DIR);
    let s = scenario(&m, SCENARIO);
    let now = chrono::Utc::now();
    let mut start = Attempt::new(&m, "en", now);
    start.step = m.steps.iter().position(|st| st.id() == SCENARIO).unwrap();
    start.apply(&m, Event::AcknowledgeNote, now).unwrap();
    let mut stack = vec![start];
    let mut seen = BTreeSet::new();
    let mut passing_sides = BTreeSet::new();
    while let Some(a) = stack.pop() {
        let run = &a.scenarios[SCENARIO];
        if !seen.insert((run.node.clone(), run.score, run.flags.clone(), format!("{:?}", run.state))) {
            continue;
        }
        match &run.state {
            RunState::InProgress => {
                for c in a.offered_choices(&m) {
                    let mut next = a.clone();
                    next.apply(&m, Event::Choose(c.id.clone()), now).unwrap();
                    stack.push(next);
                }
            }
            RunState::Ended(id) if ending_outcome(s, id) == Outcome::Pass => {
                assert!(run.passed(s), "a Pass ending with score {} on {:?}", run.score, run.path);
                passing_sides.extend(run.flags.iter().cloned());
            }
            _ => {}
        }
    }
    assert!(passing_sides.contains("us-side") && passing_sides.contains("mx-side"));
}

#[test]
fn the_mexico_side_names_the_procuraduria_de_proteccion() {
    let (m, run) = walk(DIR, SCENARIO, "side", &MX_BEST);
    let s = scenario(&m, SCENARIO);
    let mut en = String::new();
    let mut es = String::new();
    for (node, choice) in &run.path {
        let n = s.nodes.iter().find(|n| &n.id == node).unwrap();
        let c = n.choices.iter().find(|c| &c.id == choice).unwrap();
        for t in [Some(&n.text), Some(&c.text), c.feedback.as_ref()].into_iter().flatten() {
            en.push_str(t.get("en"));
            es.push_str(t.get("es"));
        }
    }
    assert!(en.contains("Mexico's child protection authority, the Procuraduría de Protección"), "{en}");
    assert!(es.contains("Procuraduría de Protección de Niñas, Niños y Adolescentes"), "{es}");
    assert!(es.contains("DIF") && es.contains("coordinador(a)"));
}

/// FACTS §11: no number for the Procuraduría goes anywhere. Every phone number in the module's
/// texts is one of the contact cards' numbers.
#[test]
fn every_phone_number_in_the_module_is_a_known_card_number() {
    let known = ["911", "1-800-203-7001", "1-800-252-5400", "1-888-373-7888", "233733", "800 5533 000"];
    let texts = all_texts(DIR);
    let numbers = phone_numbers(&texts);
    assert!(numbers.contains("1-800-203-7001") && numbers.contains("800 5533 000"), "{numbers:?}");
    for n in &numbers {
        assert!(known.contains(&n.as_str()), "unknown number {n}");
    }
}

/// Every learner-visible text of the module, in both languages, as the validator walks them.
fn all_texts(dir: &str) -> String {
    let loaded = faro::load::load_module_dir(&std::path::Path::new("modules").join(dir)).expect("loads");
    let mut out = String::new();
    faro::validate::for_each_text(&loaded.module, &loaded.locator(), &mut |t, _, _| {
        for lang in ["en", "es"] {
            out.push_str(t.get(lang));
            out.push('\n');
        }
    });
    out
}

/// Phone-number-like runs: digits joined by single dashes or spaces, at least three digits,
/// not part of a year, a date or a section number.
fn phone_numbers(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '§')) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut groups = vec![String::new()];
        while j < chars.len() {
            let c = chars[j];
            if c.is_ascii_digit() {
                groups.last_mut().unwrap().push(c);
                j += 1;
            } else if (c == '-' || c == ' ') && chars.get(j + 1).is_some_and(|d| d.is_ascii_digit()) {
                groups.push(String::new());
                j += 1;
            } else {
                break;
            }
        }
        let candidate: String = chars[i..j].iter().collect();
        let digits: usize = groups.iter().map(String::len).sum();
        // Phone numbers: 911, 089, 233733, 1-800-…, 800 5533 000. Not years (2021), not
        // "8 U.S.C. § 1232", not "72 hours", not ages.
        let phone =
            (groups.len() > 1 && digits >= 10) || matches!(candidate.as_str(), "911" | "089" | "233733");
        if phone {
            out.insert(candidate);
        }
        i = j.max(i + 1);
    }
    out
}
