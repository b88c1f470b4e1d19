//! Issue 23: no dead file-dialog buttons. With the system's file dialog unavailable (no xdg
//! desktop portal: the app is set to the typed-path field, as it sets itself when the system
//! dialog fails), Import pack…, Choose another folder… (the data folder screen and the
//! not-saving banner), saving a copy of the certificate, the Coordinator's Choose files… and the
//! pack builder's three folder buttons open a labelled field that has the focus, say plainly why
//! a wrong path cannot be used, and work with a right one.

use crate::common;

use std::path::Path;

use common::{World, click, harness, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use faro::app::file_dialog::FileDialogs;
use faro::app::{FaroApp, Screen};
use faro::data::DataDir;
use faro::progress::Profiles;

const PACK_FIELD: &str = "Type the full path of the pack file (its name ends in .faropack)";
const FOLDER_FIELD: &str =
    "Type the full path of a folder for Faro's data (a new folder is made inside one that exists)";
const CERTIFICATE_FIELD: &str = "Type the full path of a folder, or of the file to save the certificate as";

/// The app as it is where the system has no file dialog.
fn without_portal(app: FaroApp) -> Harness<'static, FaroApp> {
    let mut app = app;
    app.file_dialogs = FileDialogs::Typed;
    let mut h = harness(app);
    settle(&mut h);
    h
}

/// Replaces what the typed-path field holds with `text`, typed into the field by its label.
fn type_path(h: &mut Harness<'_, FaroApp>, label: &str, text: &str) {
    if let Some(prompt) = h.state_mut().path_prompt.as_mut() {
        prompt.input.clear();
    }
    h.run();
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    settle(h);
}

fn returning_learner(data: &Path) {
    let mut profiles = Profiles::default();
    let ana = profiles.add("Ana").unwrap();
    profiles.last_used = Some(ana.id);
    DataDir::at(data.to_owned()).save_profiles(&profiles).unwrap();
}

#[test]
fn a_pack_is_imported_by_its_typed_path() {
    let world = World::with_fixtures(&[]);
    returning_learner(world.data.path());
    let work = tempfile::tempdir().unwrap();
    let key = faro::pack::generate_key().unwrap();
    let fingerprint = faro::pack::Fingerprint::of(&key.verifying_key()).to_string();
    let modules = common::pack::two_modules(&work.path().join("modules"));
    let pack = work.path().join("border.faropack");
    common::pack::build(&modules, &key, "border", "1.0.0", &pack);
    let text = work.path().join("notes.txt");
    std::fs::write(&text, "not a pack").unwrap();

    let mut h = without_portal(FaroApp::new(world.config()));
    click(&mut h, "Import pack…");
    assert!(h.get_by_label(PACK_FIELD).is_focused(), "the field has the focus when it opens");
    // Wrong paths are refused, saying why, and the field stays open.
    click(&mut h, "OK");
    h.get_by_label("Type a path first.");
    type_path(&mut h, PACK_FIELD, &work.path().join("missing.faropack").display().to_string());
    click(&mut h, "OK");
    h.get_by_label_contains("Nothing is at this path.");
    type_path(&mut h, PACK_FIELD, &text.display().to_string());
    click(&mut h, "OK");
    h.get_by_label("This is not a pack file. A pack's file name ends in .faropack.");
    assert!(h.state().shared.pending_pack.is_none());
    // The right one, with Enter: the trust question follows, as for a pack chosen in a dialog.
    type_path(&mut h, PACK_FIELD, &pack.display().to_string());
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert!(h.state().path_prompt.is_none(), "the field closed");
    assert!(h.query_by_label(PACK_FIELD).is_none());
    h.get_by_label(&fingerprint);
    h.get_by_label("The fingerprints match: trust and install").scroll_to_me();
    settle(&mut h);
    click(&mut h, "The fingerprints match: trust and install");
    h.get_by_label_contains("Installed \"Pack border\" 1.0.0.");

    // Cancel closes the field and changes nothing.
    click(&mut h, "Import pack…");
    click(&mut h, "Cancel");
    assert!(h.state().path_prompt.is_none());
}

#[test]
fn another_data_folder_is_chosen_by_its_typed_path_from_the_screen_and_the_banner() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut first = world.launch();
    common::create_learner(&mut first, "Ana", "Your name", "Create profile");

    // A second window on the same folder cannot save: its screen's button opens the field.
    let mut second = without_portal(FaroApp::new(world.config()));
    assert!(matches!(second.state().screen, Screen::DataFolder(_)));
    click(&mut second, "Choose another folder…");
    assert!(second.get_by_label(FOLDER_FIELD).is_focused());
    click(&mut second, "Cancel");
    assert!(second.state().path_prompt.is_none());

    // After Continue without saving, the banner offers the typed folder directly too.
    click(&mut second, "Continue without saving");
    second.get_by_label("Not saving: progress and records made now will not be kept.");
    click(&mut second, "Type a folder path…");
    assert!(second.get_by_label(FOLDER_FIELD).is_focused());
    let own = tempfile::tempdir().unwrap();
    let file = own.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    type_path(&mut second, FOLDER_FIELD, &file.display().to_string());
    click(&mut second, "OK");
    second.get_by_label("This is a file, not a folder. Type the path of a folder.");
    // A new folder is made inside one that exists, but not a tree of them (a slip of the keyboard).
    type_path(&mut second, FOLDER_FIELD, &own.path().join("nowhere/deeper").display().to_string());
    click(&mut second, "OK");
    second.get_by_label_contains("Nothing is at this path.");
    assert!(!own.path().join("nowhere").exists());
    // The folder the first window holds cannot be used: the field stays, saying why.
    type_path(&mut second, FOLDER_FIELD, &world.data.path().display().to_string());
    click(&mut second, "OK");
    assert!(second.state().path_prompt.as_ref().is_some_and(|p| p.error.is_some()), "refused, with a reason");
    assert!(second.state().shared.data_problem.is_some());
    type_path(&mut second, FOLDER_FIELD, &own.path().display().to_string());
    click(&mut second, "OK");
    assert!(second.state().path_prompt.is_none());
    assert!(second.state().shared.data_problem.is_none(), "the window saves in the typed folder");
    assert!(second.query_by_label("Not saving: progress and records made now will not be kept.").is_none());
    assert!(own.path().join("profiles.ron").is_file(), "what was saved came along");
    drop(first);
}

#[test]
fn a_copy_of_the_certificate_is_saved_to_a_typed_path() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = without_portal(FaroApp::new(world.config()));
    common::create_learner(&mut h, "Ana", "Your name", "Create profile");
    for step in [
        "Start: A minimal example",
        "I am ready, continue",
        "Next",
        "I am ready, continue",
        "1. Note the details and step away to call.",
        "1. The hotline, with your notes.",
        "Next",
        "False",
        "Finish",
        "Save certificate",
    ] {
        click(&mut h, step);
    }
    let Screen::Player(p) = &h.state().screen else { panic!("not on the completion screen") };
    let saved = p.certificate.clone().expect("certificate saved in the data folder");
    click(&mut h, "Save a copy of the certificate…");
    assert!(h.get_by_label(CERTIFICATE_FIELD).is_focused());
    let stick = tempfile::tempdir().unwrap();
    type_path(&mut h, CERTIFICATE_FIELD, &stick.path().join("no-such-folder/c.html").display().to_string());
    click(&mut h, "OK");
    h.get_by_label_contains("Nothing is at this path.");
    // A folder: the copy takes the certificate's own name there.
    type_path(&mut h, CERTIFICATE_FIELD, &stick.path().display().to_string());
    click(&mut h, "OK");
    let copy = stick.path().join(saved.file_name().unwrap());
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&saved).unwrap(), "the copy is the certificate");
    h.get_by_label_contains("Copy of the certificate saved: ");
    assert!(h.state().path_prompt.is_none());
}

const RECORDS_FIELD: &str = "Type the full path of a records file, or of a folder of them";
const MODULE_FIELD: &str = "Type the full path of a module folder";
const BACKUP_FIELD: &str =
    "Type the full path of the folder to back the key up to (on another disk, such as a USB stick)";
const OUTPUT_FIELD: &str =
    "Type the full path of the folder to save the pack in (a new folder is made inside one that exists)";

#[test]
fn the_coordinators_records_are_imported_by_their_typed_path() {
    let world = World::with_fixtures(&["good/minimal"]);
    let records = std::fs::canonicalize("tests/fixtures/records/records-laptop-a.json").unwrap();
    let mut h = without_portal(FaroApp::new(world.config()));
    common::create_learner(&mut h, "Ana", "Your name", "Create profile");
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    click(&mut h, "Choose files…");
    assert!(h.get_by_label(RECORDS_FIELD).is_focused(), "the field has the focus when it opens");
    type_path(&mut h, RECORDS_FIELD, &records.with_extension("nope").display().to_string());
    click(&mut h, "OK");
    h.get_by_label_contains("Nothing is at this path.");
    type_path(&mut h, RECORDS_FIELD, &records.display().to_string());
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert!(h.state().path_prompt.is_none(), "the field closed");
    let Screen::Coordinator(c) = &h.state().screen else { panic!("not on the coordinator screen") };
    assert_eq!(c.sources, vec![records]);
    assert!(c.roster.as_ref().is_some_and(|r| !r.rows.is_empty()), "the records were merged");
}

#[test]
fn the_pack_builders_folders_are_chosen_by_their_typed_paths() {
    let world = World::with_fixtures(&["good/minimal"]);
    let work = tempfile::tempdir().unwrap();
    let modules = common::pack::two_modules(&work.path().join("modules"));
    let usb = tempfile::tempdir().unwrap();
    let mut h = without_portal(FaroApp::new(world.config()));
    common::create_learner(&mut h, "Ana", "Your name", "Create profile");
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    click(&mut h, "Build a pack…");
    click(&mut h, "Create my publisher key");
    let builder = |h: &Harness<'_, FaroApp>| match &h.state().screen {
        Screen::PackBuilder(b) => (b.module_dirs.clone(), b.output_input.clone(), b.backup_done.clone()),
        _ => panic!("not on the pack builder"),
    };

    // The key's backup: a folder that exists, on another disk.
    click(&mut h, "Choose folder…");
    assert!(h.get_by_label(BACKUP_FIELD).is_focused());
    type_path(&mut h, BACKUP_FIELD, &usb.path().join("missing").display().to_string());
    click(&mut h, "OK");
    h.get_by_label_contains("Nothing is at this path.");
    type_path(&mut h, BACKUP_FIELD, &usb.path().display().to_string());
    click(&mut h, "OK");
    assert!(h.state().path_prompt.is_none());
    assert_eq!(builder(&h).2, Some(usb.path().to_owned()));
    assert!(usb.path().join(faro::pack::SECRET_KEY_FILE).is_file(), "the key was backed up");

    // A module folder, typed.
    h.get_by_label("Choose folders…").scroll_to_me();
    settle(&mut h);
    click(&mut h, "Choose folders…");
    assert!(h.get_by_label(MODULE_FIELD).is_focused());
    let not_a_folder = modules[0].join("module.ron");
    type_path(&mut h, MODULE_FIELD, &not_a_folder.display().to_string());
    click(&mut h, "OK");
    h.get_by_label("This is a file, not a folder. Type the path of a folder.");
    type_path(&mut h, MODULE_FIELD, &modules[0].display().to_string());
    click(&mut h, "OK");
    assert_eq!(builder(&h).0, vec![modules[0].clone()]);

    // Where the pack goes: a new folder inside one that exists is accepted (the build makes it).
    h.get_by_label("Choose where to save…").scroll_to_me();
    settle(&mut h);
    click(&mut h, "Choose where to save…");
    assert!(h.get_by_label(OUTPUT_FIELD).is_focused());
    let new_folder = work.path().join("packs");
    type_path(&mut h, OUTPUT_FIELD, &new_folder.join("deeper").display().to_string());
    click(&mut h, "OK");
    h.get_by_label_contains("Nothing is at this path.");
    type_path(&mut h, OUTPUT_FIELD, &new_folder.display().to_string());
    click(&mut h, "OK");
    assert!(h.state().path_prompt.is_none());
    assert_eq!(builder(&h).1, new_folder.display().to_string());
}

#[test]
fn a_full_disk_mid_session_keeps_the_progress_and_offers_another_folder() {
    use faro::data::store::StoreError;
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = without_portal(FaroApp::new(world.config()));
    common::create_learner(&mut h, "Ana", "Your name", "Create profile");
    for step in ["Start: A minimal example", "I am ready, continue", "Next"] {
        click(&mut h, step);
    }
    // The disk fills up: the next save fails as the system reports it (ENOSPC).
    h.state_mut().shared.save(|shared| {
        Err(StoreError::Write {
            path: shared.config.data_dir.settings_path(),
            source: std::io::Error::from(std::io::ErrorKind::StorageFull),
        })
    });
    settle(&mut h);
    h.get_by_label_contains("Faro could not save: the disk is full. What you have done is kept");
    h.get_by_label("Not saving: progress and records made now will not be kept.");
    let Screen::Player(p) = &h.state().screen else { panic!("the module closed") };
    let step = p.attempt.step;
    assert!(step > 0, "the progress is still in memory");
    // The banner says why in the learner's language, not in the system's English message.
    click(&mut h, "Español");
    h.get_by_label("Faro no puede guardar en su carpeta de datos: el disco está lleno.");
    click(&mut h, "English");

    // Another folder, typed: what is in memory is saved there.
    let own = tempfile::tempdir().unwrap();
    click(&mut h, "Type a folder path…");
    type_path(&mut h, FOLDER_FIELD, &own.path().display().to_string());
    click(&mut h, "OK");
    assert!(h.state().shared.data_problem.is_none(), "saving again, in the new folder");
    let learner = h.state().shared.learner.clone().unwrap();
    let saved = DataDir::at(own.path().to_owned()).load_attempt(&learner, "minimal-example").unwrap();
    let faro::data::store::Loaded::Ok(saved) = saved else { panic!("no progress saved: {saved:?}") };
    assert_eq!(saved.step, step, "the progress made before the disk filled up was kept");
}
