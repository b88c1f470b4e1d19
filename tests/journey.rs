//! The journey engine driven through a whole module, as the viewer and CLI drive it.

use std::path::Path;

use chrono::{TimeZone, Utc};
use faro::format::Module;
use faro::progress::{Attempt, Event, EventError, RunState};

fn module() -> Module {
    faro::load::load_module_dir(Path::new("tests/fixtures/good/minimal")).expect("example loads").module
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().expect("valid time")
}

#[test]
fn critical_choice_then_retry_then_pass() {
    let m = module();
    let mut a = Attempt::new(&m, "es", now());
    assert_eq!(a.lang, "es");
    a.apply(&m, Event::Next, now()).unwrap();
    // The scenario has a content note: no choice until it is acknowledged.
    assert_eq!(a.apply(&m, Event::Choose("note".into()), now()), Err(EventError::NoteNotAcknowledged));
    a.apply(&m, Event::AcknowledgeNote, now()).unwrap();
    a.apply(&m, Event::Choose("confront".into()), now()).unwrap();
    let (_, run) = a.current_run(&m).unwrap();
    assert_eq!(run.state, RunState::Critical { node: "arrive".into(), choice: "confront".into() });
    assert_eq!(a.apply(&m, Event::Next, now()), Err(EventError::StepIncomplete));
    a.apply(&m, Event::RetryScenario, now()).unwrap();
    // "hotline" is offered only after "noted" is set.
    a.apply(&m, Event::Choose("note".into()), now()).unwrap();
    assert_eq!(
        a.offered_choices(&m).iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["hotline", "nobody"]
    );
    a.apply(&m, Event::SwitchLanguage("en".into()), now()).unwrap();
    assert_eq!(a.current_run(&m).unwrap().1.node, "call", "switching language keeps the node");
    a.apply(&m, Event::Choose("hotline".into()), now()).unwrap();
    a.apply(&m, Event::Next, now()).unwrap();
    assert_eq!(a.apply(&m, Event::Next, now()), Err(EventError::StepIncomplete), "check not answered yet");
    a.apply(&m, Event::Answer { question: "q1".into(), answers: vec!["false".into()] }, now()).unwrap();
    assert_eq!(
        a.apply(&m, Event::Answer { question: "q1".into(), answers: vec!["true".into()] }, now()),
        Err(EventError::AlreadyAnswered("q1".into()))
    );
    a.apply(&m, Event::Next, now()).unwrap();
    let finished = a.finished.clone().expect("finished");
    assert!(finished.passed);
    assert_eq!(a.critical_count(), 1);
    assert_eq!(a.log.len(), 3);
    assert_eq!(a.apply(&m, Event::Back, now()), Err(EventError::Finished));
}

#[test]
fn wrong_answer_and_failed_ending_fail_with_review_list() {
    let m = module();
    let mut a = Attempt::new(&m, "en", now());
    a.apply(&m, Event::Next, now()).unwrap();
    a.apply(&m, Event::AcknowledgeNote, now()).unwrap();
    a.apply(&m, Event::Choose("note".into()), now()).unwrap();
    a.apply(&m, Event::Choose("nobody".into()), now()).unwrap();
    a.apply(&m, Event::Next, now()).unwrap();
    a.apply(&m, Event::Answer { question: "q1".into(), answers: vec!["true".into()] }, now()).unwrap();
    a.apply(&m, Event::Next, now()).unwrap();
    assert_eq!(a.finished.as_ref().map(|f| f.passed), Some(false));
    assert_eq!(a.review(&m), ["station", "quiz"]);
    a.apply(&m, Event::Restart, now()).unwrap();
    assert_eq!((a.step, a.finished.is_none(), a.log.len()), (0, true, 0));
}

#[test]
fn skipping_a_hard_scenario_counts_as_not_passed() {
    let m = module();
    let mut a = Attempt::new(&m, "en", now());
    a.apply(&m, Event::Next, now()).unwrap();
    a.apply(&m, Event::Skip, now()).unwrap();
    assert_eq!(a.step, 2);
    assert_eq!(a.review(&m), ["station", "quiz"]);
    // Coming back later and playing it clears the skip.
    a.apply(&m, Event::Back, now()).unwrap();
    a.apply(&m, Event::AcknowledgeNote, now()).unwrap();
    assert!(a.skipped.is_empty());
}

#[test]
fn saved_attempt_resumes_exactly() {
    let m = module();
    let dir = tempfile::tempdir().unwrap();
    let data = faro::progress::DataDir::at(dir.path().to_owned());
    let mut a = Attempt::new(&m, "es", now());
    a.apply(&m, Event::Next, now()).unwrap();
    a.apply(&m, Event::AcknowledgeNote, now()).unwrap();
    a.apply(&m, Event::Choose("note".into()), now()).unwrap();
    data.save_attempt("learner-1", &a).unwrap();
    match data.load_attempt("learner-1", &m.id).unwrap() {
        faro::progress::store::Loaded::Ok(b) => assert_eq!(a, b),
        other => panic!("expected the saved attempt, got {other:?}"),
    }
}

#[test]
fn refuses_unknown_language_and_choices() {
    let m = module();
    let mut a = Attempt::new(&m, "fr", now());
    assert_eq!(a.lang, "en", "falls back to the module's first language");
    assert_eq!(
        a.apply(&m, Event::SwitchLanguage("fr".into()), now()),
        Err(EventError::NoSuchLanguage("fr".into()))
    );
    assert_eq!(a.apply(&m, Event::Choose("note".into()), now()), Err(EventError::NotAScenario));
    assert_eq!(a.apply(&m, Event::Back, now()), Err(EventError::AtStart));
}
