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
    let data = faro::data::DataDir::at(dir.path().to_owned());
    let mut a = Attempt::new(&m, "es", now());
    a.apply(&m, Event::Next, now()).unwrap();
    a.apply(&m, Event::AcknowledgeNote, now()).unwrap();
    a.apply(&m, Event::Choose("note".into()), now()).unwrap();
    data.save_attempt("learner-1", &a).unwrap();
    match data.load_attempt("learner-1", &m.id).unwrap() {
        faro::data::store::Loaded::Ok(b) => assert_eq!(a, b),
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

/// S9 (issue 13): a run that reaches a Pass ending below `pass_score` is not passed, and the
/// engine says by how much and which choice cost the points, judged against what was offered.
#[test]
fn a_pass_ending_below_pass_score_reports_the_shortfall() {
    let mut m = module();
    let faro::format::Step::Scenario(s) = &mut m.steps[1] else { panic!("step 2 is the scenario") };
    let arrive = s.nodes.iter_mut().find(|n| n.id == "arrive").unwrap();
    let mut wave = arrive.choices[0].clone();
    wave.id = "wave".into();
    wave.score = 0;
    arrive.choices.push(wave);

    let mut a = Attempt::new(&m, "en", now());
    a.apply(&m, Event::Next, now()).unwrap();
    a.apply(&m, Event::AcknowledgeNote, now()).unwrap();
    a.apply(&m, Event::Choose("wave".into()), now()).unwrap();
    a.apply(&m, Event::Choose("hotline".into()), now()).unwrap();
    let (s, run) = a.current_run(&m).unwrap();
    assert_eq!(run.state, RunState::Ended("reported".into()), "the Pass ending itself");
    assert!(!run.passed(s));
    let short = run.shortfall(s).expect("below pass_score 2");
    assert_eq!((short.score, short.needed), (1, 2));
    let missed: Vec<(&str, &str)> =
        short.missed.iter().map(|m| (m.chosen.id.as_str(), m.better.id.as_str())).collect();
    assert_eq!(missed, [("wave", "note")], "hotline was the best offer at its node");

    // The full-score run has no shortfall.
    a.apply(&m, Event::RetryScenario, now()).unwrap();
    a.apply(&m, Event::Choose("note".into()), now()).unwrap();
    a.apply(&m, Event::Choose("hotline".into()), now()).unwrap();
    let (s, run) = a.current_run(&m).unwrap();
    assert!(run.passed(s));
    assert_eq!(run.shortfall(s), None);
}

#[test]
fn nothing_moves_behind_the_modules_content_note_until_it_is_read() {
    let m = module();
    assert!(m.content_note.is_some(), "the fixture has a module content note");
    let mut a = Attempt::new(&m, "en", now());
    // Driven without a window (the CLI, these tests), the note is not in the way.
    assert!(!a.module_note_pending);
    a.present_module_note(&m);
    let before = a.clone();
    for event in [Event::Next, Event::Back, Event::Choose("note".into()), Event::AcknowledgeNote, Event::Skip]
    {
        assert_eq!(a.apply(&m, event, now()), Err(EventError::ModuleNoteUnread));
    }
    assert_eq!(a, before, "a refused event changes nothing");
    // Switching language is not a step: the note is shown in the other language.
    a.apply(&m, Event::SwitchLanguage("es".into()), now()).unwrap();
    a.apply(&m, Event::ReadModuleNote, now()).unwrap();
    a.apply(&m, Event::Next, now()).unwrap();
    assert_eq!(a.step, 1);
    // Restarting keeps the note read: the learner read it when the module was opened.
    a.apply(&m, Event::Restart, now()).unwrap();
    a.apply(&m, Event::Next, now()).unwrap();
    assert_eq!(a.step, 1);
}
