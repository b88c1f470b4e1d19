//! The safety policy over the bundled modules (issue 22): every critical and every negative-score
//! choice names its act, each act is graded as its one class says, and, walking every run a
//! learner can make with the real engine, no run that passes contains a disqualifying act or
//! misses an act its scenario requires, and every ending's claims were set by every run that
//! reaches it.

use std::collections::BTreeSet;

use crate::common;

use common::walk::{finished_runs, scenario};
use faro::format::{ActClass, Module, Outcome, Step};
use faro::progress::RunState;

/// Every bundled module, with its folder name under modules/.
fn bundled() -> Vec<(String, Module)> {
    let dirs = faro::load::module_dirs(std::path::Path::new("modules")).expect("modules/ exists");
    let modules: Vec<(String, Module)> = dirs
        .iter()
        .map(|d| {
            let name = d.file_name().unwrap().to_string_lossy().into_owned();
            (name, faro::load::load_module_dir(d).unwrap_or_else(|e| panic!("{e}")).module)
        })
        .collect();
    assert_eq!(modules.len(), 7);
    modules
}

/// The ids of the scenarios of a module.
fn scenario_ids(m: &Module) -> Vec<String> {
    m.steps.iter().filter_map(|s| if let Step::Scenario(s) = s { Some(s.id.clone()) } else { None }).collect()
}

#[test]
fn every_bundled_module_is_fully_tagged() {
    let policy = faro::bundled::policy().expect("the bundled policy parses");
    let mut tagged = 0;
    for (dir, m) in bundled() {
        for id in scenario_ids(&m) {
            let s = scenario(&m, &id);
            assert!(s.pass_score.is_some(), "{dir} {id} has no pass_score");
            for required in &s.requires {
                assert!(policy.class_of(required).is_some(), "{dir} {id} requires unknown act {required}");
            }
            for node in &s.nodes {
                for c in &node.choices {
                    let at = format!("{dir} {id} {} {}", node.id, c.id);
                    if c.critical.is_some() || c.score < 0 {
                        assert!(c.act.is_some(), "{at}: a critical or negative-score choice without an act");
                    }
                    let Some(act) = &c.act else { continue };
                    let class = policy.class_of(act).unwrap_or_else(|| panic!("{at}: unknown act {act}"));
                    assert!(
                        class.allows(c.critical.is_some(), c.score),
                        "{at}: {act} is {}, but the choice is {}critical with score {}",
                        class.name(),
                        if c.critical.is_some() { "" } else { "not " },
                        c.score
                    );
                    tagged += 1;
                }
            }
        }
    }
    assert!(tagged > 80, "{tagged} tagged choices");
}

/// The same act is graded the same way everywhere: every choice with a Critical act is critical,
/// and no choice with a Disqualifying act scores above 0, in every module (the findings of issue
/// 22 were one act graded three ways).
#[test]
fn each_act_is_graded_one_way_across_the_course() {
    let policy = faro::bundled::policy().unwrap();
    let mut used = BTreeSet::new();
    for (_, m) in bundled() {
        for id in scenario_ids(&m) {
            for c in scenario(&m, &id).nodes.iter().flat_map(|n| &n.choices) {
                let Some(act) = &c.act else { continue };
                used.insert((
                    act.clone(),
                    policy.class_of(act) == Some(ActClass::Critical),
                    c.critical.is_some(),
                ));
            }
        }
    }
    for (act, critical_class, critical_choice) in &used {
        assert_eq!(critical_class, critical_choice, "{act} is graded both ways");
    }
    for must in
        ["interview-child-about-abuse", "promise-secrecy", "blame-the-person", "hotline-instead-of-911"]
    {
        assert!(used.iter().any(|(a, ..)| a == must), "{must} is used by the bundled modules");
    }
}

#[test]
fn no_passing_run_of_any_bundled_scenario_breaks_the_policy() {
    let policy = faro::bundled::policy().unwrap();
    for (dir, m) in bundled() {
        for id in scenario_ids(&m) {
            let (m, runs) = finished_runs(&dir, &id);
            let s = scenario(&m, &id);
            let mut passes = 0;
            for run in &runs {
                let RunState::Ended(ending_id) = &run.state else { continue };
                let ending = s.ending(ending_id).unwrap();
                for flag in &ending.claims {
                    assert!(
                        run.flags.contains(flag),
                        "{dir} {id}: {ending_id} claims {flag}, but {:?}",
                        run.path
                    );
                }
                if ending.outcome != Outcome::Pass {
                    continue;
                }
                assert!(run.passed(s), "{dir} {id}: {ending_id} below pass_score on {:?}", run.path);
                let acts: Vec<&str> =
                    run.path.iter().filter_map(|(n, c)| s.node(n)?.choice(c)?.act.as_deref()).collect();
                for act in &acts {
                    let class = policy.class_of(act);
                    assert!(
                        !matches!(class, Some(ActClass::Disqualifying | ActClass::Critical)),
                        "{dir} {id}: a passing run contains {act}: {:?}",
                        run.path
                    );
                }
                for required in &s.requires {
                    assert!(
                        acts.contains(&required.as_str()),
                        "{dir} {id}: passes without {required}: {:?}",
                        run.path
                    );
                }
                passes += 1;
            }
            assert!(passes > 0, "{dir} {id}: some run passes");
        }
    }
}
