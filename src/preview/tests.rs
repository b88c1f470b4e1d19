use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

use super::*;
use crate::scaffold::NewModule;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

/// A fresh scaffolded module (a page, the scenario "practice" with nodes "notice" and "call",
/// a check) in a temporary folder.
fn scaffolded() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("shelter-intake");
    let new = NewModule {
        id: "shelter-intake".into(),
        title: None,
        languages: vec!["en".into(), "es".into()],
        today: today(),
    };
    new.write(&dir).unwrap();
    (temp, dir)
}

fn open(dir: &Path) -> Session {
    Session::open(dir, crate::bundled::regions().unwrap(), today())
}

fn module_file(dir: &Path) -> PathBuf {
    dir.join(crate::load::MODULE_FILE)
}

fn edit(dir: &Path, from: &str, to: &str) {
    let source = std::fs::read_to_string(module_file(dir)).unwrap();
    assert!(source.contains(from), "the template no longer has {from:?}");
    std::fs::write(module_file(dir), source.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_valid_folder_opens_current_with_its_module() {
    let (_temp, dir) = scaffolded();
    let session = open(&dir);
    assert_eq!(session.source(), &Source::Current);
    assert_eq!(session.good().unwrap().module.id, "shelter-intake");
    assert_eq!(session.generation(), 1);
    assert!(!session.diagnostics().iter().any(|d| d.is_error()), "{:#?}", session.diagnostics());
}

#[test]
fn a_save_with_errors_keeps_the_last_good_version_and_reports_them() {
    let (_temp, dir) = scaffolded();
    let mut session = open(&dir);
    let good = session.good().unwrap().source.clone();
    edit(&dir, "goto: \"call\"", "goto: \"nowhere\"");
    assert_eq!(session.reload(), Reloaded::KeptLastGood);
    assert_eq!(session.source(), &Source::Broken);
    assert_eq!(session.good().unwrap().source, good, "the shown version changed");
    assert!(session.diagnostics().iter().any(|d| d.is_error() && d.message.contains("nowhere")));
}

#[test]
fn a_file_truncated_to_nothing_keeps_the_last_good_version() {
    let (_temp, dir) = scaffolded();
    let mut session = open(&dir);
    std::fs::write(module_file(&dir), "").unwrap();
    assert_eq!(session.reload(), Reloaded::KeptLastGood);
    assert_eq!(session.source(), &Source::Broken);
    assert!(session.good().is_some());
    assert!(session.diagnostics().iter().any(|d| d.is_error()));
}

#[test]
fn a_deleted_folder_is_missing_and_a_restored_one_is_current_again() {
    let (_temp, dir) = scaffolded();
    let mut session = open(&dir);
    let moved = dir.with_file_name("moved-away");
    std::fs::rename(&dir, &moved).unwrap();
    assert_eq!(session.reload(), Reloaded::KeptLastGood);
    assert_eq!(session.source(), &Source::Missing);
    assert!(session.good().is_some());
    std::fs::rename(&moved, &dir).unwrap();
    assert_eq!(session.reload(), Reloaded::Unchanged);
    assert_eq!(session.source(), &Source::Current);
}

#[test]
fn an_oversized_module_file_is_refused_and_the_last_good_version_stays() {
    let (_temp, dir) = scaffolded();
    let mut session = open(&dir);
    let huge = "/".repeat(10 * 1024 * 1024);
    std::fs::write(module_file(&dir), huge).unwrap();
    assert_eq!(session.reload(), Reloaded::KeptLastGood);
    let message = &session.diagnostics().first().unwrap().message;
    assert!(message.contains("limit"), "{message}");
    assert!(session.good().is_some());
}

#[test]
fn a_good_save_replaces_the_module_and_an_identical_one_changes_nothing() {
    let (_temp, dir) = scaffolded();
    let mut session = open(&dir);
    assert_eq!(session.reload(), Reloaded::Unchanged);
    edit(&dir, "id: \"notice\"", "id: \"noticed\"");
    edit(&dir, "start: \"notice\"", "start: \"noticed\"");
    assert_eq!(session.reload(), Reloaded::Updated);
    assert_eq!(session.generation(), 2);
}

#[test]
fn diagnostics_point_to_the_node_they_are_about() {
    let (_temp, dir) = scaffolded();
    let mut session = open(&dir);
    edit(&dir, "goto: \"call\"", "goto: \"nowhere\"");
    session.reload();
    let i = session.diagnostics().iter().position(|d| d.message.contains("nowhere")).unwrap();
    assert_eq!(session.diagnostic_place(i), Some(&Place::node("practice", "notice")));
}

#[test]
fn a_diagnostic_about_the_whole_file_points_nowhere() {
    let (_temp, dir) = scaffolded();
    let mut session = open(&dir);
    std::fs::write(module_file(&dir), "").unwrap();
    session.reload();
    assert_eq!(session.diagnostic_place(0), None);
}

#[test]
fn a_reloaded_attempt_keeps_its_step_and_node_when_they_still_exist() {
    let (_temp, dir) = scaffolded();
    let session = open(&dir);
    let module = &session.good().unwrap().module;
    let place = Place::node("practice", "call");
    let attempt = place::attempt_at(module, "es", Some(&place), 0, Utc::now());
    assert_eq!(attempt.lang, "es");
    assert_eq!(place::place_of(module, &attempt), Some(place));
    let run = attempt.current_run(module).unwrap().1;
    assert!(run.note_acknowledged, "a jump to a node has read the note");
}

#[test]
fn a_node_that_no_longer_exists_falls_back_to_the_scenario_start() {
    let (_temp, dir) = scaffolded();
    let session = open(&dir);
    let module = &session.good().unwrap().module;
    let attempt = place::attempt_at(module, "en", Some(&Place::node("practice", "gone")), 0, Utc::now());
    assert_eq!(attempt.current_step(module).unwrap().id(), "practice");
    assert_eq!(attempt.current_run(module).unwrap().1.node, "notice");
}

#[test]
fn a_step_that_no_longer_exists_falls_back_to_the_same_position() {
    let (_temp, dir) = scaffolded();
    let session = open(&dir);
    let module = &session.good().unwrap().module;
    let attempt = place::attempt_at(module, "en", Some(&Place::step("renamed")), 2, Utc::now());
    assert_eq!(attempt.step, 2);
    let past_the_end = place::attempt_at(module, "en", Some(&Place::step("renamed")), 99, Utc::now());
    assert_eq!(past_the_end.step, module.steps.len() - 1);
}

#[test]
fn a_local_terms_list_beside_the_folder_is_used() {
    let (temp, dir) = scaffolded();
    std::fs::write(temp.path().join(crate::load::TERMS_FILE), "not a terms list").unwrap();
    let session = open(&dir);
    assert!(
        session.diagnostics().iter().any(|d| d.file.ends_with(crate::load::TERMS_FILE)),
        "{:#?}",
        session.diagnostics()
    );
    assert_eq!(session.source(), &Source::Current, "a broken terms list does not hide the module");
}

#[test]
fn a_safety_policy_beside_the_folder_is_used_and_a_broken_one_reported() {
    let (temp, dir) = scaffolded();
    let policy = temp.path().join(crate::load::POLICY_FILE);
    // The scaffold notes details (Safe in the bundled policy); here noting is a Detour.
    std::fs::write(
        &policy,
        r#"SafetyPolicy(acts: [
    Act(id: "note-details", class: Detour, name: {"en": "Note"}, facts: "FACTS §4"),
    Act(id: "confront-suspect", class: Critical, name: {"en": "Confront"}, facts: "FACTS §4"),
    Act(id: "report-hotline", class: Safe, name: {"en": "Report"}, facts: "FACTS §5"),
])"#,
    )
    .unwrap();
    let session = open(&dir);
    assert!(
        session
            .diagnostics()
            .iter()
            .any(|d| d.is_error() && d.message.contains("a Detour act in the safety policy")),
        "{:#?}",
        session.diagnostics()
    );
    std::fs::write(&policy, "SafetyPolicy(acts: [").unwrap();
    let session = open(&dir);
    assert!(
        session.diagnostics().iter().any(|d| d.file == policy && d.is_error()),
        "{:#?}",
        session.diagnostics()
    );
    assert_eq!(session.source(), &Source::Current, "a broken policy does not hide the module");
}

#[test]
fn the_watcher_reports_a_write_once_the_folder_is_quiet_and_ignores_reads() {
    use std::time::{Duration, Instant};
    use watch::{DEBOUNCE, Due, Watcher};
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("module.ron");
    std::fs::write(&file, "first").unwrap();
    let (woken, wakes) = std::sync::mpsc::channel();
    let watcher = Watcher::new(
        temp.path(),
        Box::new(move |after| {
            let _ = woken.send(after);
        }),
    )
    .unwrap();
    assert_eq!(watcher.due(Instant::now()), Due::Idle);
    std::fs::write(&file, "second").unwrap();
    assert_eq!(wakes.recv_timeout(Duration::from_secs(10)).unwrap(), DEBOUNCE, "no wake-up after a write");
    // Every event of that one write has arrived well within this pause.
    std::thread::sleep(Duration::from_millis(300));
    let later = || Instant::now() + 2 * DEBOUNCE;
    assert_eq!(watcher.due(later()), Due::Now);
    assert_eq!(watcher.due(later()), Due::Idle, "one change is reported once");
    // The reload reads the file: that is not a change.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "second");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(watcher.due(later()), Due::Idle, "reading the file counted as a change");
}

#[test]
fn data_folders_of_killed_previews_are_removed_and_open_ones_kept() {
    let temp = tempfile::tempdir().unwrap();
    let folder = |name: &str| {
        let dir = temp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("profiles.ron"), "()").unwrap();
        dir
    };
    let killed = folder(&format!("{DATA_FOLDER_PREFIX}killed"));
    let open = folder(&format!("{DATA_FOLDER_PREFIX}open"));
    let other = folder("someone-elses");
    let _held = crate::data::DataDir::at(open.clone()).lock().unwrap();
    remove_stale_data_folders(temp.path(), std::time::Duration::ZERO);
    assert!(!killed.exists(), "the killed preview's folder is still there");
    assert!(open.join("profiles.ron").is_file(), "an open preview's folder was removed");
    assert!(other.join("profiles.ron").is_file(), "a folder Faro did not make was removed");
}

#[test]
fn a_fresh_data_folder_is_kept_whatever_its_lock() {
    let temp = tempfile::tempdir().unwrap();
    let fresh = temp.path().join(format!("{DATA_FOLDER_PREFIX}starting"));
    std::fs::create_dir_all(&fresh).unwrap();
    remove_stale_data_folders(temp.path(), std::time::Duration::from_secs(60));
    assert!(fresh.is_dir(), "a preview that is starting lost its folder");
}

/// Issue 28: a file that does not parse has no places of its own; its syntax error goes to the
/// node written at that line in the last good version.
#[test]
fn a_syntax_error_points_to_the_last_good_place_in_the_last_good_version() {
    let (_temp, dir) = scaffolded();
    let mut session = open(&dir);
    // The `]` closing the choices of node "call" (its choice "leave" is the last one).
    edit(
        &dir,
        "goto: \"walked-away\",\n                        ),\n                    ],",
        "goto: \"walked-away\",\n                        ),\n",
    );
    assert_eq!(session.reload(), Reloaded::KeptLastGood);
    let i = session
        .diagnostics()
        .iter()
        .position(|d| d.message.starts_with("the list of choices opened at line"))
        .unwrap_or_else(|| panic!("{:#?}", session.diagnostics()));
    assert_eq!(session.diagnostic_place(i), Some(&Place::node("practice", "call")));
}

mod replay {
    use super::*;
    use crate::format::Step;
    use crate::preview::replay::{self, ChoiceGone};
    use crate::progress::{Attempt, Event};

    fn scenario(module: &crate::format::Module) -> &crate::format::Scenario {
        module.steps.iter().find_map(|s| if let Step::Scenario(s) = s { Some(s) } else { None }).unwrap()
    }

    #[test]
    fn a_jump_to_a_node_walks_the_shortest_path_and_sets_its_score() {
        let (_temp, dir) = scaffolded();
        let session = open(&dir);
        let module = &session.good().unwrap().module;
        let attempt = place::attempt_at(module, "en", Some(&Place::node("practice", "call")), 0, Utc::now());
        let (s, run) = attempt.current_run(module).unwrap();
        assert_eq!(run.path, vec![("notice".to_owned(), "note".to_owned())]);
        assert_eq!(run.score, 1);
        assert!(replay::state_known(s, run));
        assert_eq!(replay::shortest_path(scenario(module), "notice"), Some(Vec::new()));
        assert_eq!(replay::shortest_path(scenario(module), "nowhere"), None);
    }

    #[test]
    fn a_reload_replays_the_choices_into_the_new_version() {
        let (_temp, dir) = scaffolded();
        let mut session = open(&dir);
        let old = session.good().unwrap().module.clone();
        let attempt = place::attempt_at(&old, "en", Some(&Place::node("practice", "call")), 0, Utc::now());
        // The node is renamed (and the choice that leads to it follows): the replay arrives there.
        let source = std::fs::read_to_string(module_file(&dir)).unwrap();
        std::fs::write(module_file(&dir), source.replace("\"call\"", "\"phone\"")).unwrap();
        session.reload();
        let new = &session.good().unwrap().module;
        let replayed = replay::replay(&old, &attempt, new, Utc::now());
        assert_eq!(replayed.stopped, None);
        assert_eq!(place::place_of(new, &replayed.attempt), Some(Place::node("practice", "phone")));
        assert_eq!(replayed.attempt.current_run(new).unwrap().1.score, 1);
    }

    #[test]
    fn a_choice_that_is_gone_stops_the_replay_at_its_node_and_is_named() {
        let (_temp, dir) = scaffolded();
        let mut session = open(&dir);
        let old = session.good().unwrap().module.clone();
        let mut attempt = place::attempt_at(&old, "en", Some(&Place::step("practice")), 0, Utc::now());
        attempt.apply(&old, Event::AcknowledgeNote, Utc::now()).unwrap();
        attempt.apply(&old, Event::Choose("note".into()), Utc::now()).unwrap();
        let source = std::fs::read_to_string(module_file(&dir)).unwrap();
        std::fs::write(module_file(&dir), source.replace("id: \"note\"", "id: \"write-down\"")).unwrap();
        session.reload();
        let new = &session.good().unwrap().module;
        let replayed = replay::replay(&old, &attempt, new, Utc::now());
        let gone = replayed.stopped.unwrap();
        assert_eq!(
            gone,
            ChoiceGone {
                node: "notice".into(),
                choice: "note".into(),
                text: Some("Note the details and move away to make a call.".into()),
            }
        );
        let run = replayed.attempt.current_run(new).unwrap().1;
        assert_eq!((run.node.as_str(), run.score), ("notice", 0));
    }

    #[test]
    fn a_node_no_path_reaches_is_shown_with_its_state_unknown_and_kept_on_reload() {
        let (_temp, dir) = scaffolded();
        let session = open(&dir);
        let module = &session.good().unwrap().module;
        let mut attempt = Attempt::new(module, "en", Utc::now());
        let step = module.steps.iter().position(|s| s.id() == "practice").unwrap();
        attempt.jump(module, step, Some("call"));
        let (s, run) = attempt.current_run(module).unwrap();
        assert!(!replay::state_known(s, run));
        let replayed = replay::replay(module, &attempt, module, Utc::now());
        let (s, run) = replayed.attempt.current_run(module).unwrap();
        assert_eq!(run.node, "call");
        assert!(!replay::state_known(s, run));
    }
}
