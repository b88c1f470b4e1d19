//! The training matrix on the Coordinator screen, as a coordinator (and a screen reader) meets it:
//! statuses as words, filters, sorting, a learner's records on demand, the keyboard, and names
//! from other laptops that must not break the grid.
//!
//! The fixtures (`tests/fixtures/records/`), judged on the test day 2026-11-25: Ana passed on
//! 2026-01-10 (valid until 2027-01-10); Luis passed on 2025-06-01 (expired after 2026-06-01) and
//! failed a retake on 2026-02-15; Marta passed on 2026-03-02 on laptop B (valid until 2027-03-02).

use crate::common;

use std::path::{Path, PathBuf};

use common::{World, click, settle, type_into};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use faro::app::{FaroApp, Screen};

const ANA: &str = "Ana, A minimal example: valid until 2027-01-10";
const LUIS: &str = "Luis, A minimal example: expired 2026-06-01";
const MARTA: &str = "Marta, A minimal example: valid until 2027-03-02";

/// Opens the Coordinator screen and imports `folder` by typing its path.
fn coordinator_with(world: &World, folder: &Path) -> Harness<'static, FaroApp> {
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    // The first visit offers a coordinator passphrase; these tests do without one.
    click(&mut h, "Not now");
    type_into(&mut h, "Records file or folder", &folder.display().to_string());
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h
}

/// Clears a text field (select all, delete).
fn clear(h: &mut Harness<'_, FaroApp>, field: &str) {
    h.get_by_label(field).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    settle(h);
}

/// A folder holding copies of the given fixture records files.
fn records_folder(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        let from = Path::new("tests/fixtures/records").join(f);
        std::fs::copy(&from, dir.path().join(f)).unwrap();
    }
    dir
}

fn three_laptops() -> tempfile::TempDir {
    records_folder(&["records-laptop-a.json", "records-laptop-b.json", "records-tampered.json"])
}

fn shows(h: &Harness<'_, FaroApp>, label: &str) -> bool {
    h.query_by_label(label).is_some()
}

#[test]
fn the_matrix_shows_who_is_trained_in_words_and_the_records_behind_a_status() {
    let world = World::with_fixtures(&["good/minimal"]);
    let folder = three_laptops();
    let mut h = coordinator_with(&world, folder.path());
    h.get_by_label_contains("3 of 3 learners, 1 module(s), as of 2026-11-25.");
    h.get_by_label("A minimal example");
    // Luis passed in 2025 and failed a retake in 2026: his pass decides, and it has run out.
    for label in [ANA, LUIS, MARTA] {
        h.get_by_label(label);
    }
    // The changed copy of Ana's record is still reported, on the records tab.
    click(&mut h, "All records");
    h.get_by_label("Files that could not be used");
    click(&mut h, "Training matrix");

    click(&mut h, LUIS);
    h.get_by_label("Records behind the matrix");
    h.get_by_label("Luis: A minimal example");
    assert_eq!(h.get_all_by_label("decides the status").count(), 1);
    h.get_by_label("2025-06-01");
    h.get_by_label("2026-02-15");
    h.get_by_label("not passed");
    click(&mut h, "Close history");
    assert!(!shows(&h, "Records behind the matrix"));

    // The learner's name opens all of their records.
    click(&mut h, "Marta");
    h.get_by_label("Marta: all modules");
    h.get_by_label("authentic");
}

#[test]
fn filters_narrow_the_learners_and_sorting_puts_the_soonest_expiry_first() {
    let world = World::with_fixtures(&["good/minimal"]);
    let folder = three_laptops();
    let mut h = coordinator_with(&world, folder.path());

    type_into(&mut h, "Search by name", "LU");
    assert!(shows(&h, LUIS) && !shows(&h, ANA) && !shows(&h, MARTA));
    h.get_by_label_contains("1 of 3 learners");
    type_into(&mut h, "Search by name", "x");
    h.get_by_label("No learner matches these filters.");
    clear(&mut h, "Search by name");

    // Who must recertify before 1 February 2027: Ana (10 January), and Luis, already expired.
    type_into(&mut h, "Due before", "2027-02-01");
    assert!(shows(&h, LUIS) && shows(&h, ANA) && !shows(&h, MARTA));
    clear(&mut h, "Due before");
    type_into(&mut h, "Due before", "1 March");
    h.get_by_label("Type a date like 2027-03-01.");
    assert!(shows(&h, MARTA), "an unfinished date filters nothing");
    clear(&mut h, "Due before");

    let top = |h: &Harness<'_, FaroApp>, label: &str| h.get_by_label(label).rect().top();
    assert!(top(&h, ANA) < top(&h, LUIS) && top(&h, LUIS) < top(&h, MARTA), "by name");
    click(&mut h, "Sort by soonest expiry");
    assert!(top(&h, LUIS) < top(&h, ANA) && top(&h, ANA) < top(&h, MARTA), "soonest expiry first");
}

#[test]
fn the_grid_is_keyboard_navigable() {
    let world = World::with_fixtures(&["good/minimal"]);
    let folder = three_laptops();
    let mut h = coordinator_with(&world, folder.path());
    h.get_by_label(ANA).focus();
    h.run();
    h.key_press(egui::Key::ArrowDown);
    settle(&mut h);
    assert!(h.get_by_label(LUIS).is_focused(), "down moves to the next learner's cell");
    h.key_press(egui::Key::ArrowLeft);
    settle(&mut h);
    assert!(h.get_by_label("Luis").is_focused(), "left moves to the learner's name");
    h.key_press(egui::Key::ArrowRight);
    settle(&mut h);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h.get_by_label("Luis: A minimal example");
    assert!(h.get_by_label("Close history").is_focused(), "the history takes the focus");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(!shows(&h, "Records behind the matrix"));
    let Screen::Coordinator(c) = &h.state().screen else { panic!("not on the coordinator screen") };
    assert!(c.history.is_none());
}

#[test]
fn module_titles_and_statuses_follow_the_ui_language_and_the_expiring_window_is_set_here() {
    let world = World::with_fixtures(&["good/minimal"]);
    let folder = three_laptops();
    let mut h = coordinator_with(&world, folder.path());
    h.state_mut().shared.settings.lang = "es".to_owned();
    settle(&mut h);
    h.get_by_label("Un ejemplo mínimo");
    h.get_by_label("Ana, Un ejemplo mínimo: vigente hasta 2027-01-10");
    h.get_by_label("Luis, Un ejemplo mínimo: venció el 2026-06-01");

    // Sixty days ahead, Ana's pass (10 January) is expiring.
    h.state_mut().shared.settings.lang = "en".to_owned();
    settle(&mut h);
    h.get_by_label("Expiring within (days)").set_value_accesskit(60.0);
    settle(&mut h);
    h.get_by_label("Ana, A minimal example: expiring 2027-01-10");
}

/// Laptop A's records re-signed by another key with Ana's name replaced by `name`.
fn records_named(name: &str) -> (tempfile::TempDir, PathBuf) {
    let (records, _) =
        faro::records::read_records_file(Path::new("tests/fixtures/records/records-laptop-a.json")).unwrap();
    let key = faro::records::DeviceKey::from_secret([6; 32]);
    let renamed: Vec<_> = records
        .into_iter()
        .map(|mut r| {
            if r.record.learner_name == "Ana" {
                r.record.learner_name = name.to_owned();
            }
            key.sign(r.record).unwrap()
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.json");
    std::fs::write(&file, faro::records::records_file_json(&renamed, None).unwrap()).unwrap();
    (dir, file)
}

#[test]
fn a_huge_name_with_control_characters_is_shown_safely_on_one_line() {
    let world = World::with_fixtures(&["good/minimal"]);
    let name = format!("Zoe\u{7}\n\u{202E}{}", "z".repeat(10_000));
    let (_dir, file) = records_named(&name);
    let mut h = coordinator_with(&world, &file);
    let shown = "Zoe<U+0007><U+000A><U+202E>zzzz…";
    let button = h.get_by_label(shown).rect();
    assert!(button.width() < 400.0 && button.height() < 60.0, "one short line: {button:?}");
    let cell = h.get_by_label(&format!("{shown}, A minimal example: valid until 2027-01-10")).rect();
    assert!(cell.right() < 1100.0, "the module column stays in the window: {cell:?}");
    // The history shows the whole name, wrapped, still revealing what is hidden in it.
    click(&mut h, shown);
    h.get_by_label(&format!("Zoe<U+0007><U+000A><U+202E>{}", "z".repeat(10_000)));
    assert!(h.get_by_label("Close history").rect().bottom() < 800.0, "the history fits the window");
}

#[test]
fn two_profiles_with_one_name_are_told_apart() {
    let world = World::with_fixtures(&["good/minimal"]);
    // Luis's profile renamed "Ana" (as on another laptop): two people, one name.
    let (records, _) =
        faro::records::read_records_file(Path::new("tests/fixtures/records/records-laptop-a.json")).unwrap();
    let key = faro::records::DeviceKey::from_secret([8; 32]);
    let renamed: Vec<_> = records
        .into_iter()
        .map(|mut r| {
            r.record.learner_name = "Ana".to_owned();
            key.sign(r.record).unwrap()
        })
        .collect();
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("two-anas.json");
    std::fs::write(&file, faro::records::records_file_json(&renamed, None).unwrap()).unwrap();
    let mut h = coordinator_with(&world, &file);
    h.get_by_label("Ana · 3f6c1a52, A minimal example: valid until 2027-01-10");
    h.get_by_label("Ana · b82e7d04, A minimal example: expired 2026-06-01");
    click(&mut h, "Ana · b82e7d04");
    h.get_by_label("Learner id: b82e7d04-61f3-4a9c-9d25-0c4e8f1a7b33");
}
