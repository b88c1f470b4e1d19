//! Each rule of the safety policy on small synthetic modules.

use std::path::Path;

use super::*;
use crate::diagnostic::Severity;
use crate::load::{LoadedModule, parse_module};

/// A small policy with one act of each class (and a second Safe one to require).
const POLICY: &str = r#"SafetyPolicy(acts: [
    Act(id: "promise-secrecy", class: Critical, name: {"en": "Promise secrecy"}, facts: "FACTS §4"),
    Act(id: "blame-the-person", class: Disqualifying, name: {"en": "Blame"}, facts: "FACTS §4"),
    Act(id: "leading-question", class: Detour, name: {"en": "Lead"}, facts: "FACTS §4"),
    Act(id: "call-911", class: Safe, name: {"en": "Call 911"}, facts: "FACTS §5"),
    Act(id: "note-details", class: Safe, name: {"en": "Note"}, facts: "FACTS §4"),
])"#;

fn policy() -> SafetyPolicy {
    crate::load::parse_policy(Path::new("policy.ron"), POLICY).unwrap()
}

/// A module holding the given scenarios (written as RON), in English only.
fn module(scenarios: &str) -> LoadedModule {
    let source = format!(
        r#"Module(
    id: "t",
    version: "1.0.0",
    languages: ["en"],
    title: {{"en": "T"}},
    summary: {{"en": "T"}},
    minutes: 1,
    review_by: "2099-01-01",
    valid_for_months: 12,
    steps: [
{scenarios}
    ],
)"#
    );
    let file = Path::new("t/module.ron");
    let module = parse_module(file, &source).unwrap_or_else(|d| panic!("{d}\n{source}"));
    LoadedModule { dir: "t".into(), file: file.into(), source, module }
}

/// The policy findings as `line: severity: message`.
fn run(loaded: &LoadedModule, policy: Option<&SafetyPolicy>, review_untagged: bool) -> Vec<String> {
    let (found, _) = findings(loaded, &PolicyCheck { policy, review_untagged });
    found
        .iter()
        .map(|d| {
            let severity = if d.severity == Severity::Error { "error" } else { "warning" };
            format!("{}: {severity}: {}", d.line, d.message)
        })
        .collect()
}

fn check(loaded: &LoadedModule) -> Vec<String> {
    run(loaded, Some(&policy()), false)
}

#[track_caller]
fn assert_one(found: &[String], expected: &str) {
    assert!(found.iter().any(|f| f.contains(expected)), "no {expected:?} in {found:#?}");
}

/// A scenario `s` with the given nodes and endings (pass, fail, neutral are always there).
fn scenario(extra: &str, nodes: &str) -> String {
    format!(
        r#"        Scenario(
            id: "s",
            title: {{"en": "S"}},
            start: "a",
            pass_score: 1,
            {extra}
            nodes: [
{nodes}
            ],
            endings: [
                Ending(id: "pass", outcome: Pass, summary: {{"en": "You passed."}}),
                Ending(id: "fail", outcome: Fail, summary: {{"en": "Not this time."}}),
                Ending(id: "neutral", outcome: Neutral, summary: {{"en": "You stopped."}}),
            ],
        ),"#
    )
}

const WHY: &str = r#"critical: Critical(why: {"en": "w"}, instead: {"en": "i"})"#;

#[test]
fn a_clean_tagged_module_has_no_finding() {
    let nodes = format!(
        r#"                Node(id: "a", text: {{"en": "A"}}, choices: [
                    Choice(id: "promise", text: {{"en": "x"}}, act: "promise-secrecy", {WHY}),
                    Choice(id: "lead", text: {{"en": "x"}}, act: "leading-question", goto: "a2", score: -1),
                    Choice(id: "call", text: {{"en": "x"}}, act: "call-911", goto: "pass", score: 2),
                ]),
                Node(id: "a2", text: {{"en": "A"}}, choices: [
                    Choice(id: "call-late", text: {{"en": "x"}}, act: "call-911", goto: "pass", score: 2),
                ]),"#
    );
    let loaded = module(&scenario(r#"requires: ["call-911"],"#, &nodes));
    assert_eq!(check(&loaded), Vec::<String>::new());
}

#[test]
fn an_unknown_act_is_an_error_at_the_act_with_a_did_you_mean() {
    let nodes = r#"                Node(id: "a", text: {"en": "A"}, choices: [
                    Choice(id: "go", text: {"en": "x"}, goto: "pass", score: 1,
                        act: "promise-secrecey"),
                ]),"#;
    let loaded = module(&scenario(r#"requires: ["call-91"],"#, nodes));
    let found = check(&loaded);
    assert_one(
        &found,
        "20: error: choice \"go\" performs the act \"promise-secrecey\", which the safety policy does not list, did you mean \"promise-secrecy\"?",
    );
    assert_one(
        &found,
        "scenario \"s\" requires the act \"call-91\", which the safety policy does not list, did you mean \"call-911\"?",
    );
}

#[test]
fn a_grading_that_contradicts_the_class_names_the_act_and_the_class() {
    let nodes = format!(
        r#"                Node(id: "a", text: {{"en": "A"}}, choices: [
                    Choice(id: "soft-promise", text: {{"en": "x"}}, act: "promise-secrecy", goto: "fail", score: -1),
                    Choice(id: "blame-bonus", text: {{"en": "x"}}, act: "blame-the-person", goto: "neutral", score: 1),
                    Choice(id: "free-lead", text: {{"en": "x"}}, act: "leading-question", goto: "fail", score: 0),
                    Choice(id: "harsh-911", text: {{"en": "x"}}, act: "call-911", {WHY}),
                    Choice(id: "costly-note", text: {{"en": "x"}}, act: "note-details", goto: "pass", score: -1),
                    Choice(id: "ok", text: {{"en": "x"}}, goto: "pass", score: 1),
                ]),"#
    );
    let found = check(&module(&scenario("", &nodes)));
    assert_eq!(found.len(), 5, "{found:#?}");
    assert_one(
        &found,
        "choice \"soft-promise\" performs \"promise-secrecy\", a Critical act in the safety policy: the choice must be critical, but it scores -1",
    );
    assert_one(
        &found,
        "\"blame-bonus\" performs \"blame-the-person\", a Disqualifying act in the safety policy: the choice must not be critical and must score 0 or less, but it scores 1",
    );
    assert_one(
        &found,
        "\"free-lead\" performs \"leading-question\", a Detour act in the safety policy: the choice must not be critical and must score less than 0, but it scores 0",
    );
    assert_one(
        &found,
        "\"harsh-911\" performs \"call-911\", a Safe act in the safety policy: the choice must not be critical and must score 0 or more, but it is critical",
    );
    assert_one(&found, "\"costly-note\" performs \"note-details\", a Safe act");
}

#[test]
fn untagged_unsafe_choices_and_a_missing_pass_score_are_errors_in_a_tagged_module() {
    let nodes = format!(
        r#"                Node(id: "a", text: {{"en": "A"}}, choices: [
                    Choice(id: "promise", text: {{"en": "x"}}, {WHY}),
                    Choice(id: "sigh", text: {{"en": "x"}}, goto: "fail", score: -1),
                    Choice(id: "call", text: {{"en": "x"}}, act: "call-911", goto: "pass", score: 1),
                ]),"#
    );
    let loaded = module(&scenario("", &nodes).replace("pass_score: 1,", ""));
    let found = check(&loaded);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_one(&found, "error: critical choice \"promise\" names no act");
    assert_one(&found, "error: choice \"sigh\" scores -1 but names no act");
    assert_one(&found, "error: scenario \"s\" has no pass_score");
}

#[test]
fn an_untagged_third_party_module_validates_with_warnings_at_most() {
    let nodes = format!(
        r#"                Node(id: "a", text: {{"en": "A"}}, choices: [
                    Choice(id: "promise", text: {{"en": "x"}}, {WHY}),
                    Choice(id: "sigh", text: {{"en": "x"}}, goto: "fail", score: -1),
                    Choice(id: "call", text: {{"en": "x"}}, goto: "pass", score: 1),
                ]),"#
    );
    // No choice leads to the helper's Neutral ending here: an unreachable ending is an error
    // of its own (issue 28), so this module has none.
    let neutral = r#"Ending(id: "neutral", outcome: Neutral, summary: {"en": "You stopped."}),"#;
    let loaded = module(&scenario("", &nodes).replace("pass_score: 1,", "").replace(neutral, ""));
    // Plain validation, as the app and packs do it: nothing at all.
    assert_eq!(check(&loaded), Vec::<String>::new());
    let all = crate::validate::validate(
        &loaded,
        &crate::validate::Context {
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            regions: None,
            terms: None,
            decode_images: false,
            pack: None,
        },
    );
    assert!(all.iter().all(|d| !d.is_error()), "{all:#?}");
    // The reviewer's view (`faro validate --policy`): the same three, as warnings only.
    let reviewed = run(&loaded, Some(&policy()), true);
    assert_eq!(reviewed.len(), 3, "{reviewed:#?}");
    assert!(reviewed.iter().all(|f| f.contains(": warning: ")), "{reviewed:#?}");
}

/// Blaming the person, then apologizing: the repair path reaches the Pass ending.
fn repair(after_apology: &str) -> String {
    r#"                Node(id: "a", text: {"en": "A"}, choices: [
                    Choice(id: "listen", text: {"en": "x"}, act: "note-details", goto: "b", score: 1),
                    Choice(id: "how-could-you", text: {"en": "x"}, act: "blame-the-person", goto: "sorry", score: 0,
                        sets: ["blamed"]),
                ]),
                Node(id: "sorry", text: {"en": "A"}, choices: [
                    Choice(id: "apologize", text: {"en": "x"}, goto: "b", score: 1),
                ]),
                Node(id: "b", text: {"en": "A"}, choices: [
                    Choice(id: "finish", text: {"en": "x"}, goto: "pass", score: 1WHEN),
                    Choice(id: "stop", text: {"en": "x"}, goto: "neutral"),
                ]),"#
        .replace("WHEN", after_apology)
}

#[test]
fn a_pass_reachable_only_through_a_disqualifying_act_by_a_repair_path_is_an_error_with_the_run() {
    let found = check(&module(&scenario("", &repair(""))));
    assert_eq!(found.len(), 1, "{found:#?}");
    // Located at the disqualifying choice (line 20), naming the shortest run.
    assert_eq!(
        found[0],
        "20: error: scenario \"s\": Pass ending \"pass\" can be reached after choice \"how-could-you\" (act \"blame-the-person\", Disqualifying), \
         by the choices \"how-could-you\" → \"apologize\" → \"finish\"; a disqualifying act may be repaired but never passed: \
         lead such runs to a Fail or Neutral ending"
    );
}

#[test]
fn a_repair_path_closed_by_a_condition_passes_as_the_engine_plays_it() {
    let guarded = repair(r#", when: NotFlag("blamed")"#);
    assert_eq!(check(&module(&scenario("", &guarded))), Vec::<String>::new());
}

#[test]
fn a_pass_that_misses_a_required_act_is_an_error_at_the_ending() {
    let nodes = r#"                Node(id: "a", text: {"en": "A"}, choices: [
                    Choice(id: "call-911", text: {"en": "x"}, act: "call-911", goto: "b", score: 1),
                    Choice(id: "call-hotline", text: {"en": "x"}, goto: "b", score: 1),
                ]),
                Node(id: "b", text: {"en": "A"}, choices: [
                    Choice(id: "tell-coordinator", text: {"en": "x"}, goto: "pass", score: 1),
                ]),"#;
    let found = check(&module(&scenario(r#"requires: ["call-911"],"#, nodes)));
    assert_eq!(
        found,
        [
            "27: error: scenario \"s\": Pass ending \"pass\" can be reached without the act \"call-911\", which the scenario \
             requires, by the choices \"call-hotline\" → \"tell-coordinator\""
        ]
    );
}

#[test]
fn an_ending_that_claims_what_a_run_never_did_is_an_error_with_that_run() {
    let nodes = r#"                Node(id: "a", text: {"en": "A"}, choices: [
                    Choice(id: "write-notes", text: {"en": "x"}, goto: "b", score: 1, sets: ["noted"]),
                    Choice(id: "family-matter", text: {"en": "x"}, goto: "b", score: 1),
                ]),
                Node(id: "b", text: {"en": "A"}, choices: [
                    Choice(id: "tell-coordinator", text: {"en": "x"}, goto: "pass", score: 1),
                ]),"#;
    let claiming = scenario("", nodes).replace(
        r#"summary: {"en": "You passed."}"#,
        r#"summary: {"en": "You kept the details."}, claims: ["noted"]"#,
    );
    let found = check(&module(&claiming));
    assert_eq!(
        found,
        [
            "27: error: ending \"pass\" claims \"noted\", but the choices \"family-matter\" → \"tell-coordinator\" reach it \
             without setting it: its text would tell the learner they did something they did not"
        ]
    );
    // With the other path gated on the flag, the claim holds on every run.
    let gated = claiming.replace(
        r#"goto: "pass", score: 1)"#,
        r#"goto: "pass", score: 1, when: Flag("noted")),
                    Choice(id: "give-up", text: {"en": "x"}, goto: "neutral")"#,
    );
    assert_eq!(check(&module(&gated)), Vec::<String>::new());
}

#[test]
fn a_claim_no_choice_sets_is_an_error_with_a_did_you_mean() {
    let nodes = r#"                Node(id: "a", text: {"en": "A"}, choices: [
                    Choice(id: "write-notes", text: {"en": "x"}, goto: "pass", score: 1, sets: ["noted"]),
                ]),"#;
    let claiming = scenario("", nodes).replace(r#""You passed."}"#, r#""You passed."}, claims: ["notd"]"#);
    let found = check(&module(&claiming));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_one(
        &found,
        "error: ending \"pass\" claims \"notd\", but no choice in scenario \"s\" sets it, did you mean \"noted\"?",
    );
}

#[test]
fn without_a_readable_policy_the_rules_that_need_no_class_still_run() {
    let nodes = format!(
        r#"                Node(id: "a", text: {{"en": "A"}}, choices: [
                    Choice(id: "promise", text: {{"en": "x"}}, {WHY}),
                    Choice(id: "go", text: {{"en": "x"}}, act: "no-such-act", goto: "pass", score: 1),
                ]),"#
    );
    let claiming = scenario("", &nodes).replace(r#""You passed."}"#, r#""You passed."}, claims: ["noted"]"#);
    let found = run(&module(&claiming), None, false);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_one(&found, "error: critical choice \"promise\" names no act");
    assert_one(&found, "error: ending \"pass\" claims \"noted\"");
}

/// `n` scenarios, each a loop that adds a point per lap toward a score no run reaches within the
/// budget (so runs never repeat a state, and the score cap does not end them) and a
/// disqualifying act to prove something about.
fn endless(n: usize) -> LoadedModule {
    let one = |i: usize| {
        format!(
            r#"        Scenario(
            id: "s{i}",
            title: {{"en": "S"}},
            start: "a",
            pass_score: 1,
            nodes: [
                Node(id: "a", text: {{"en": "A"}}, choices: [
                    Choice(id: "lap", text: {{"en": "x"}}, goto: "a", score: 1),
                    Choice(id: "blame", text: {{"en": "x"}}, act: "blame-the-person", goto: "b", score: 0),
                    Choice(id: "finish", text: {{"en": "x"}}, goto: "pass", when: ScoreAtLeast(2000000000)),
                ]),
                Node(id: "b", text: {{"en": "A"}}, choices: [
                    Choice(id: "stop", text: {{"en": "x"}}, goto: "neutral"),
                ]),
            ],
            endings: [
                Ending(id: "pass", outcome: Pass, summary: {{"en": "P"}}),
                Ending(id: "neutral", outcome: Neutral, summary: {{"en": "N"}}),
            ],
        ),"#
        )
    };
    module(&(0..n).map(one).collect::<String>())
}

#[test]
fn past_the_budget_the_proof_says_it_is_incomplete_never_silence() {
    let (found, work) =
        findings(&endless(1), &PolicyCheck { policy: Some(&policy()), review_untagged: false });
    assert_eq!(work.incomplete, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(found[0].message.starts_with("scenario \"s0\": the safety proof is incomplete"), "{}", found[0]);
}

#[test]
fn the_budget_is_one_for_the_whole_module_not_one_per_scenario() {
    let (found, work) =
        findings(&endless(5), &PolicyCheck { policy: Some(&policy()), review_untagged: false });
    assert!(work.states <= MAX_POLICY_RUN_STATES, "{work:?}");
    assert!(work.choices <= MAX_POLICY_CHOICES_CONSIDERED, "{work:?}");
    // The first scenario used it all; each later one says it was not proven.
    assert_eq!((work.searched, work.incomplete), (5, 5), "{work:?}");
    assert_eq!(found.iter().filter(|d| d.message.contains("the safety proof is incomplete")).count(), 5);
}

#[test]
fn a_scenario_with_nothing_to_prove_costs_no_search() {
    let nodes = r#"                Node(id: "a", text: {"en": "A"}, choices: [
                    Choice(id: "call", text: {"en": "x"}, act: "call-911", goto: "pass", score: 1),
                ]),"#;
    let (_, work) = findings(
        &module(&scenario("", nodes)),
        &PolicyCheck { policy: Some(&policy()), review_untagged: false },
    );
    assert_eq!(work, Work::default());
}
