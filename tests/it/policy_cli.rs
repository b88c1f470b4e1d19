//! `faro validate --policy` and the safety policy on the command line (issue 22): the page a
//! reviewer reads, exit codes, a policy beside the modules or given, broken policies, and a
//! hostile module that must stay within one budget.

use std::path::Path;

use crate::common::cli::faro;
use crate::common::hostile_modules;

const MINIMAL: &str = "tests/fixtures/good/minimal";

/// A folder holding a copy of the good example as `minimal/`, with `edit` applied to its module
/// file, and `policy` (if any) as the `safety-policy.ron` beside it.
fn modules_with(edit: &dyn Fn(String) -> String, policy: Option<&str>) -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("temp dir");
    let module = root.path().join("minimal");
    std::fs::create_dir_all(module.join("images")).expect("mkdir");
    std::fs::copy(Path::new(MINIMAL).join("images/figure.png"), module.join("images/figure.png"))
        .expect("copy");
    let source = std::fs::read_to_string(Path::new(MINIMAL).join("module.ron")).expect("read");
    std::fs::write(module.join("module.ron"), edit(source)).expect("write module");
    if let Some(policy) = policy {
        std::fs::write(root.path().join("safety-policy.ron"), policy).expect("write policy");
    }
    root
}

/// The good example with its choices tagged: noting is Safe, confronting Critical.
fn tagged(source: String) -> String {
    source
        .replace(r#"goto: "call","#, r#"goto: "call", act: "note-details","#)
        .replace(r#"id: "confront","#, r#"id: "confront", act: "confront-suspect","#)
}

fn path(dir: &tempfile::TempDir) -> &str {
    dir.path().to_str().expect("utf-8 path")
}

#[test]
fn the_policy_page_of_an_untagged_module_lists_every_act_and_warns_only() {
    let (code, stdout, stderr) = faro(&["validate", "--policy", MINIMAL]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with(
            "Safety policy assets/safety-policy.ron: 20 acts; 0 choice(s) in 1 module(s) perform one"
        ),
        "{stdout}"
    );
    for line in [
        "Critical: the choice must be critical",
        "Disqualifying: the choice must not be critical and must score 0 or less",
        "  confront-suspect (FACTS §4): Confront, question or challenge a suspected trafficker or controller",
        "  hotline-instead-of-911 (FACTS §4, §5):",
        "    (no choice performs it)",
        "Untagged: 1 critical choice(s) and 0 choice(s) scoring below 0 name no act",
    ] {
        assert!(stdout.contains(line), "{line:?} in {stdout}");
    }
    assert!(stdout.contains("warning: critical choice \"confront\" names no act"), "{stdout}");
    assert!(stderr.contains("1 module(s) checked: 0 error(s), 1 warning(s)"), "{stderr}");
    // Without --policy, the same module validates exactly as before the policy.
    let (code, stdout, stderr) = faro(&["validate", MINIMAL]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
}

#[test]
fn the_page_names_each_tagged_choice_where_it_is_written_with_its_grading() {
    let root = modules_with(&tagged, None);
    let (code, stdout, stderr) = faro(&["validate", "--policy", path(&root)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("2 choice(s) in 1 module(s) perform one"), "{stdout}");
    let file = root.path().join("minimal/module.ron");
    let confront = format!("    {}:73:", file.display());
    let line =
        stdout.lines().find(|l| l.starts_with(&confront)).unwrap_or_else(|| panic!("{confront} in {stdout}"));
    assert!(line.ends_with("station › arrive › confront  critical"), "{line}");
    assert!(stdout.contains("station › arrive › note  score 1"), "{stdout}");
    assert!(stderr.contains("0 error(s), 0 warning(s)"), "{stderr}");
}

#[test]
fn a_choice_graded_against_its_class_fails_validation_with_or_without_the_page() {
    // Noting is Safe; calling it confronting (Critical) contradicts its grading.
    let root =
        modules_with(&|s| tagged(s).replace("act: \"note-details\"", "act: \"confront-suspect\""), None);
    for args in [vec!["validate", path(&root)], vec!["validate", "--policy", path(&root)]] {
        let (code, stdout, _) = faro(&args);
        assert_eq!(code, 1, "{stdout}");
        assert!(
            stdout.contains(
                ":67:48: error: choice \"note\" performs \"confront-suspect\", a Critical act in the safety policy: \
                 the choice must be critical, but it scores 1"
            ),
            "{stdout}"
        );
    }
    let (_, stdout, _) = faro(&["validate", "--policy", path(&root)]);
    assert!(stdout.contains("station › arrive › note  score 1  ✗ does not follow its class"), "{stdout}");
}

#[test]
fn an_unknown_act_gets_a_did_you_mean() {
    let root = modules_with(&|s| tagged(s).replace("confront-suspect", "confront-suspekt"), None);
    let (code, stdout, _) = faro(&["validate", path(&root)]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "error: choice \"confront\" performs the act \"confront-suspekt\", which the safety policy does not list, \
             did you mean \"confront-suspect\"?"
        ),
        "{stdout}"
    );
}

#[test]
fn a_policy_beside_the_modules_replaces_the_bundled_one() {
    let policy = r#"SafetyPolicy(acts: [
    Act(id: "note-details", class: Detour, name: {"en": "Note"}, facts: "FACTS §4"),
    Act(id: "confront-suspect", class: Critical, name: {"en": "Confront"}, facts: "FACTS §4"),
])"#;
    let root = modules_with(&tagged, Some(policy));
    let (code, stdout, _) = faro(&["validate", "--policy", path(&root)]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("safety-policy.ron: 2 acts"), "{stdout}");
    assert!(stdout.contains("a Detour act in the safety policy"), "{stdout}");
}

#[test]
fn a_malformed_policy_is_located_and_everything_else_is_still_checked() {
    let policy = "SafetyPolicy(acts: [\n    Act(id: \"x\", class: Forbidden, name: {}, facts: \"\"),\n])";
    // A broken graph too: it must still be reported.
    let root = modules_with(&|s| s.replace(r#"goto: "reported""#, r#"goto: "reportd""#), Some(policy));
    let (code, stdout, stderr) = faro(&["validate", path(&root)]);
    assert_eq!(code, 1, "{stdout}");
    let policy_file = root.path().join("safety-policy.ron");
    assert!(stdout.contains(&format!("{}:2:", policy_file.display())), "{stdout}");
    assert!(stdout.contains("unknown variant \"Forbidden\""), "{stdout}");
    assert!(stdout.contains("leads to \"reportd\", which is not a node or ending"), "{stdout}");
    assert!(stderr.contains("1 module(s) checked"), "{stderr}");
}

#[test]
fn a_missing_policy_file_is_an_error_naming_it_and_the_modules_are_still_checked() {
    let (code, stdout, stderr) = faro(&["validate", "--policy-file", "no/such/policy.ron", MINIMAL]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.starts_with("no/such/policy.ron: error: cannot open file"), "{stdout}");
    assert!(stderr.contains("1 module(s) checked: 1 error(s), 0 warning(s)"), "{stderr}");
}

#[test]
fn json_carries_the_page() {
    let root = modules_with(&tagged, None);
    let (code, stdout, _) = faro(&["validate", "--json", "--policy", path(&root)]);
    assert_eq!(code, 0, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    let acts = v["policy"][0]["acts"].as_array().expect("acts");
    let confront = acts.iter().find(|a| a["id"] == "confront-suspect").expect("confront-suspect");
    assert_eq!(confront["class"], "Critical");
    assert_eq!(confront["choices"][0]["choice"], "confront");
    assert_eq!(confront["choices"][0]["agrees"], true);
    // Without --policy, no page.
    let (_, stdout, _) = faro(&["validate", "--json", path(&root)]);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert!(v.get("policy").is_none(), "{v}");
}

/// A scenario `sid` of `nodes` nodes, each with 30 choices (the limit): 28 worth 0 to 27 points,
/// one that blames the person, one guarded by a score condition; so scores, and run states,
/// multiply at every node, and every scenario has a disqualifying act to prove about.
fn wide_scenario(sid: &str, nodes: usize) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        "        Scenario(\n            id: \"{sid}\",\n            title: {{\"en\": \"Wide\"}},\n            start: \"n0\",\n            \
         pass_score: 1,\n            nodes: [\n"
    );
    for i in 0..nodes {
        let next = if i + 1 == nodes { "pass".to_owned() } else { format!("n{}", i + 1) };
        let _ = writeln!(out, "                Node(id: \"n{i}\", text: {{\"en\": \"Step\"}}, choices: [");
        for c in 0..28 {
            let _ = writeln!(
                out,
                "                    Choice(id: \"c{c}\", text: {{\"en\": \"On\"}}, goto: \"{next}\", score: {c}),"
            );
        }
        let _ = writeln!(
            out,
            "                    Choice(id: \"blame\", text: {{\"en\": \"Blame\"}}, goto: \"{next}\", act: \"blame-the-person\"),"
        );
        let _ = writeln!(
            out,
            "                    Choice(id: \"late\", text: {{\"en\": \"Late\"}}, goto: \"{next}\", when: ScoreAtLeast(3)),"
        );
        out.push_str("                ]),\n");
    }
    out.push_str(
        "            ],\n            endings: [Ending(id: \"pass\", outcome: Pass, summary: {\"en\": \"Done\"})],\n        )",
    );
    out
}

#[test]
fn a_hostile_module_of_197_wide_scenarios_stays_within_one_budget_for_the_module() {
    use faro::validate::policy::{MAX_POLICY_CHOICES_CONSIDERED, MAX_POLICY_RUN_STATES, findings};
    let one = wide_scenario("s0", 8);
    let count = 197;
    let steps: Vec<String> = (0..count).map(|k| wide_scenario(&format!("s{k}"), 8)).collect();
    let source = hostile_modules::module(&steps);
    assert!(source.len() as u64 <= faro::load::MAX_MODULE_FILE_BYTES, "{} bytes", source.len());
    assert!(
        source.len() > 3 * 1024 * 1024,
        "near the 4 MiB cap: {} bytes ({} per scenario)",
        source.len(),
        one.len()
    );
    let file = Path::new("hostile/module.ron");
    let module = faro::load::parse_module(file, &source).expect("parses");
    let loaded = faro::load::LoadedModule { dir: "hostile".into(), file: file.into(), source, module };
    let policy = faro::bundled::policy().expect("bundled policy");
    let check = faro::validate::PolicyCheck { policy: Some(policy), review_untagged: false };
    let (found, work) = findings(&loaded, &check);
    // Counted work, not wall-clock time: the whole module within one budget.
    assert!(work.states <= MAX_POLICY_RUN_STATES, "{work:?}");
    assert!(work.choices <= MAX_POLICY_CHOICES_CONSIDERED, "{work:?}");
    assert_eq!(work.searched, count, "every scenario had something to prove: {work:?}");
    // The 28 choices of each node score differently, but past the highest score a condition
    // reads (3) more points change nothing (issue 26): every scenario is proven completely, all
    // within the one budget.
    assert_eq!(work.incomplete, 0, "{work:?}");
    assert!(!found.iter().any(|d| d.message.contains("the safety proof is incomplete")), "{found:#?}");
    // The blame runs reach the Pass ending: the first scenario's finding is real, not a guess.
    assert!(
        found.iter().any(|d| d.is_error() && d.message.contains("scenario \"s0\": Pass ending \"pass\"")),
        "{found:#?}"
    );
}
