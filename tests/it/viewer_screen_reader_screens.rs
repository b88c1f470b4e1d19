//! Issue 24: the screens around the learner's path speak too. After the trust question, an
//! install, About, a delete question, an import or a history window, the keyboard focus lands on
//! what the person acts on next, and that widget carries the new text (Orca 43 reads the focused
//! widget, not live regions); closing a question gives the focus back to what opened it.

use crate::common;

use std::path::Path;
use std::sync::Arc;

use common::{Dropped, World, click, create_learner, focused, settle, type_into};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use faro::app::FaroApp;
use faro::pack::{BuildOptions, PackId};

#[track_caller]
fn assert_focus(h: &Harness<'_, FaroApp>, label: &str, says: &[&str]) {
    let (focused_label, description) = focused(h);
    assert_eq!(focused_label, label, "focused widget");
    for text in says {
        assert!(
            description.contains(text),
            "the description of {label:?} says {text:?}; it is {description:?}"
        );
    }
}

fn press(h: &mut Harness<'_, FaroApp>, key: egui::Key) {
    h.key_press(key);
    settle(h);
}

fn library_with_learner(world: &World) -> Harness<'static, FaroApp> {
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    settle(&mut h);
    h
}

#[test]
fn the_trust_question_and_the_install_result_are_read_where_the_focus_lands() {
    let world = World::with_fixtures(&[]);
    let work = tempfile::tempdir().unwrap();
    let key = faro::pack::generate_key().unwrap();
    let fingerprint = faro::pack::Fingerprint::of(&key.verifying_key()).to_string();
    let module = work.path().join("a");
    common::copy_dir(Path::new("tests/fixtures/good/minimal"), &module);
    let options = BuildOptions {
        id: PackId::new("border-extra").unwrap(),
        version: semver::Version::parse("1.0.0").unwrap(),
        title: "Border extra".into(),
        publisher: "Shelter network".into(),
        created: chrono::Utc::now(),
    };
    let pack = work.path().join("border.faropack");
    faro::pack::build(&[module], &key, &options, &pack).unwrap();

    let mut h = library_with_learner(&world);
    h.input_mut().dropped_files.push(Arc::new(Dropped(pack)));
    settle(&mut h);
    // The focus is on the answer, which carries the publisher, the pack and the fingerprint.
    assert_focus(
        &h,
        "The fingerprints match: trust and install",
        &["New publisher", "Shelter network", "Border extra", &fingerprint],
    );
    press(&mut h, egui::Key::Enter);
    settle(&mut h);
    // The result takes the focus, on the button that dismisses it.
    assert_focus(&h, "Dismiss", &["Installed \"Border extra\" 1.0.0."]);
    press(&mut h, egui::Key::Enter);
    assert!(h.query_by_label_contains("Installed \"Border extra\"").is_none());
    // The button went with the notice: the library's landing takes the focus, not the window.
    let (label, _) = focused(&h);
    assert!(label.starts_with("Start: "), "{label}");
}

#[test]
fn about_reads_its_facts_and_says_when_they_were_copied() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = library_with_learner(&world);
    click(&mut h, "About");
    let data = world.data.path().display().to_string();
    assert_focus(&h, "Copy diagnostics", &["Version: ", &data]);
    press(&mut h, egui::Key::Enter);
    let (_, description) = focused(&h);
    assert!(description.starts_with("Diagnostics copied."), "{description}");
    click(&mut h, "Close");
    // Back in the library, on the module to take next (not on the bare window).
    assert_focus(&h, "Start: A minimal example", &[]);
}

#[test]
fn closing_about_on_the_start_screen_lands_on_the_learner() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = library_with_learner(&world);
    click(&mut h, "Switch learner");
    assert_focus(&h, "Continue as Ana", &[]);
    click(&mut h, "About");
    click(&mut h, "Close");
    assert_focus(&h, "Continue as Ana", &[]);
}

#[test]
fn the_delete_question_is_read_on_cancel_which_gives_the_focus_back() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = library_with_learner(&world);
    h.get_by_label("Delete my data").scroll_to_me();
    click(&mut h, "Delete my data");
    assert_focus(&h, "Cancel", &["This cannot be undone."]);
    press(&mut h, egui::Key::Enter);
    assert!(h.query_by_label("Yes, delete my data").is_none(), "the question is gone");
    assert_focus(&h, "Delete my data", &[]);
    // Escape answers Cancel too, and the focus comes back the same way.
    click(&mut h, "Delete my data");
    press(&mut h, egui::Key::Escape);
    assert_focus(&h, "Delete my data", &[]);
}

#[test]
fn the_certificate_button_says_where_the_certificate_went() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = library_with_learner(&world);
    click(&mut h, "Start: A minimal example");
    press(&mut h, egui::Key::Enter);
    // The page's title has the focus: Alt+Right is Next.
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
    settle(&mut h);
    for key in [egui::Key::Enter, egui::Key::Num1, egui::Key::Num1] {
        press(&mut h, key);
    }
    press(&mut h, egui::Key::Enter);
    click(&mut h, "False");
    click(&mut h, "Finish");
    assert_focus(&h, "Save certificate", &["You passed this module."]);
    press(&mut h, egui::Key::Enter);
    let (label, description) = focused(&h);
    assert_eq!(label, "Save certificate");
    assert!(description.starts_with("Certificate saved: "), "{description}");
}

#[test]
fn quick_exit_closes_the_hotline_panel_and_lands_in_the_library() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = library_with_learner(&world);
    click(&mut h, "Start: A minimal example");
    press(&mut h, egui::Key::F1);
    assert!(h.query_all_by_label_contains("Copy the ").count() > 0, "the help panel is open");
    press(&mut h, egui::Key::Escape);
    assert_eq!(
        h.query_all_by_label_contains("Copy the ").count(),
        0,
        "the help panel closed with the module"
    );
    assert_focus(&h, "Start: A minimal example", &[]);
}

#[test]
fn an_import_says_what_came_in_and_the_history_gives_the_focus_back() {
    let world = World::with_fixtures(&["good/minimal"]);
    let folder = tempfile::tempdir().unwrap();
    for f in ["records-laptop-a.json", "records-laptop-b.json", "records-tampered.json"] {
        std::fs::copy(Path::new("tests/fixtures/records").join(f), folder.path().join(f)).unwrap();
    }
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    type_into(&mut h, "Records file or folder", &folder.path().display().to_string());
    press(&mut h, egui::Key::Enter);
    // The first learner of the matrix has the focus and says what the import brought.
    let (label, description) = focused(&h);
    assert_eq!(label, "Ana");
    assert!(description.contains("records from 1 source(s)"), "{description}");
    assert!(description.contains("Files that could not be used"), "{description}");
    assert!(description.contains("3 of 3 learners"), "{description}");

    // A cell opens the history; its Close button reads the rows; closing gives the focus back.
    let cell = "Luis, A minimal example: expired 2026-06-01";
    h.get_by_label(cell).focus();
    h.run();
    press(&mut h, egui::Key::Enter);
    let (label, description) = focused(&h);
    assert_eq!(label, "Close history");
    assert!(description.contains("Luis: A minimal example"), "{description}");
    assert!(description.contains("2025-06-01"), "{description}");
    assert!(description.contains("2026-02-15"), "{description}");
    press(&mut h, egui::Key::Enter);
    assert!(h.query_by_label("Records behind the matrix").is_none());
    assert!(h.get_by_label(cell).is_focused(), "the focus is back on the cell");
    // Escape closes it the same way.
    press(&mut h, egui::Key::Enter);
    press(&mut h, egui::Key::Escape);
    assert!(h.query_by_label("Records behind the matrix").is_none());
    assert!(h.get_by_label(cell).is_focused(), "the focus is back on the cell after Escape");
}

#[test]
fn the_history_window_names_its_resize_handles_in_spanish() {
    let world = World::with_fixtures(&["good/minimal"]);
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new("tests/fixtures/records/records-laptop-a.json"),
        folder.path().join("records-laptop-a.json"),
    )
    .unwrap();
    let mut h = world.launch();
    click(&mut h, "Español");
    click(&mut h, "Coordinación");
    click(&mut h, "Ahora no");
    type_into(&mut h, "Archivo o carpeta de constancias", &folder.path().display().to_string());
    press(&mut h, egui::Key::Enter);
    press(&mut h, egui::Key::Enter);
    assert!(h.query_by_label_contains("Resize window").is_none(), "no English resize handle");
    assert_eq!(h.query_all_by_label_contains("Cambiar el tamaño de la ventana").count(), 8);
}

/// A notice that arrives in the pass a landing was armed for (a quick install's result right after
/// the trust answer; an export's result right after its button) keeps the focus on its Dismiss,
/// not on the library's module (the real Orca heard "Start: …" and never the result when the
/// release build installed that fast). Once the last notice is dismissed, the module takes it.
#[test]
fn a_notice_arriving_with_a_landing_keeps_the_focus_until_dismissed() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = library_with_learner(&world);
    click(&mut h, "Export my records");
    let (label, description) = focused(&h);
    assert_eq!(label, "Dismiss");
    assert!(description.contains("records-Ana-"), "{description}");
    press(&mut h, egui::Key::Enter);
    assert_focus(&h, "Start: A minimal example", &[]);
}
