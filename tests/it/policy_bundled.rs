//! The bundled modules under the safety policy: every run of every scenario is played within the
//! module's budget, and no Pass run contains a disqualifying act or misses a required act, no
//! ending claims what its run did not do, and every tagged choice is graded as its act's class.
//! (Until the content is tagged this proves little; once it is, it is the proof of issue 22.)

use std::path::Path;

use faro::validate::PolicyCheck;
use faro::validate::policy::findings;

#[test]
fn every_bundled_scenario_is_proven_against_the_policy_within_the_budget() {
    let policy = faro::bundled::policy().expect("the bundled policy parses");
    let check = PolicyCheck { policy: Some(policy), review_untagged: false };
    let dirs = faro::load::module_dirs(Path::new("modules")).expect("modules/ exists");
    assert_eq!(dirs.len(), 7);
    for dir in dirs {
        let loaded = faro::load::load_module_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        let (found, work) = findings(&loaded, &check);
        let errors: Vec<String> = found.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", loaded.module.id);
        assert_eq!(work.incomplete, 0, "{}: the proof must be complete: {work:?}", loaded.module.id);
    }
}

#[test]
fn the_built_in_modules_page_names_them_as_in_the_source_tree() {
    let (code, stdout, stderr) = crate::common::cli::faro(&["validate", "--bundled", "--policy"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.starts_with("Safety policy assets/safety-policy.ron: "), "{stdout}");
    assert!(stdout.contains("7 module(s)"), "{stdout}");
    assert!(!stdout.contains("bundled-"), "no temporary folder names: {stdout}");
}
