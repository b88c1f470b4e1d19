//! Records in the viewer: a finished module is signed and stored, a certificate is offered, the
//! coordinator screen shows the record after import, and a learner can export then delete their data.

use crate::common;

use common::{click, settle};

use common::World;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use faro::app::{FaroApp, Screen};

/// Ana passes the example module.
fn pass_the_example(h: &mut Harness<'_, FaroApp>) {
    h.get_by_label("Your name").focus();
    h.get_by_label("Your name").type_text("Ana");
    settle(h);
    click(h, "Create profile");
    click(h, "Start: A minimal example");
    click(h, "I am ready, continue");
    click(h, "Next");
    click(h, "I am ready, continue");
    click(h, "1. Note the details and step away to call.");
    click(h, "1. The hotline, with your notes.");
    click(h, "Next");
    click(h, "False");
    click(h, "Finish");
}

#[test]
fn completion_offers_a_certificate_and_the_coordinator_sees_the_record() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    pass_the_example(&mut h);
    h.get_by_label("Your completion record is saved on this laptop.");
    let Screen::Player(p) = &h.state().screen else { panic!("not on the completion screen") };
    let record = p.record.clone().expect("the finished attempt was recorded");
    assert!(record.verify().is_ok(), "the record is signed by this laptop");
    assert!(record.record.passed);
    let code = faro::records::verification_code(&record);
    h.get_by_label(&format!("Verification code: {code}"));
    click(&mut h, "Save certificate");
    let Screen::Player(p) = &h.state().screen else { panic!("not on the completion screen") };
    let certificate = p.certificate.clone().expect("certificate saved");
    let html = std::fs::read_to_string(&certificate).unwrap();
    assert!(html.contains(&code) && html.contains("<svg"), "certificate has the code and a QR code");
    h.get_by_label_contains("Certificate saved: ");

    click(&mut h, "Back to modules");
    // Reopening the finished module shows the same record and code.
    click(&mut h, "Review: A minimal example");
    click(&mut h, "I am ready, continue");
    h.get_by_label(&format!("Verification code: {code}"));
    click(&mut h, "Back to modules");
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    h.get_by_label("No records yet.");
    click(&mut h, "Add this laptop's records");
    h.get_by_label_contains("1 records from 1 source(s); 0 tampered");
    // The matrix comes first: Ana is trained in the module she just passed.
    h.get_by_label_contains("Ana, A minimal example: valid until ");
    click(&mut h, "All records");
    h.get_by_label("Ana");
    h.get_by_label("minimal-example");
    h.get_by_label("valid");
    h.get_by_label("valid (1)");
    // A coordinator can filter; nothing is tampered.
    click(&mut h, "tampered (0)");
    assert!(h.query_by_label("Ana").is_none());
}

#[test]
fn a_tampered_records_file_is_flagged_on_import() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    let tampered = std::fs::canonicalize("tests/fixtures/records/records-tampered.json").unwrap();
    h.get_by_label("Records file or folder").focus();
    h.get_by_label("Records file or folder").type_text(&tampered.display().to_string());
    settle(&mut h);
    // Enter in the field imports, as the Import button does.
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h.get_by_label("Ama, A minimal example: tampered");
    click(&mut h, "All records");
    h.get_by_label("tampered (1)");
    let Screen::Coordinator(c) = &h.state().screen else { panic!("not on the coordinator screen") };
    let roster = c.roster.as_ref().expect("roster");
    assert!(roster.rows.iter().any(|r| r.status == faro::records::RowStatus::Tampered));
}

#[test]
fn a_learner_exports_then_deletes_their_data_after_confirming() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    pass_the_example(&mut h);
    click(&mut h, "Back to modules");
    click(&mut h, "Export my records");
    h.get_by_label_contains("Records exported to ");
    let exports: Vec<_> = std::fs::read_dir(world.data.path().join("exports")).unwrap().flatten().collect();
    assert_eq!(exports.len(), 1);
    click(&mut h, "Delete my data");
    h.get_by_label_contains("This deletes Ana's progress");
    click(&mut h, "Cancel");
    assert!(h.state().shared.learner.is_some());
    click(&mut h, "Delete my data");
    click(&mut h, "Yes, delete my data");
    assert!(matches!(h.state().screen, Screen::Start(_)));
    assert!(h.state().shared.profiles.learners.is_empty());
    assert!(world.progress_files().is_empty());
    // The export stays: it is the learner's copy.
    assert!(exports[0].path().exists());
}

/// Issue 25 item 5: a coordinator names the laptop on its Coordinator screen; the learner's
/// records file then carries that name, the laptop's key and the export time, for the
/// coordinator's laptops list. A name that hides characters is refused and nothing is saved.
#[test]
fn the_laptops_name_goes_into_the_records_files_it_exports() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    pass_the_example(&mut h);
    click(&mut h, "Back to modules");
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    let field = "This laptop's name in its records files";
    common::type_into(&mut h, field, "Shelter\u{202E} 3");
    click(&mut h, "Save laptop name");
    h.get_by_label_contains("cannot hold control or invisible characters");
    let data = faro::data::DataDir::at(world.data.path().to_owned());
    assert_eq!(faro::coordinator_settings::load(&data, false).device_label, None, "nothing saved");
    h.get_by_label(field).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(field).type_text("Shelter laptop 3");
    h.run();
    click(&mut h, "Save laptop name");
    h.get_by_label_contains("now say they come from \"Shelter laptop 3\"");

    click(&mut h, "Back to modules");
    click(&mut h, "Export my records");
    let exports: Vec<_> = std::fs::read_dir(world.data.path().join("exports")).unwrap().flatten().collect();
    let file: faro::records::RecordsFile =
        serde_json::from_slice(&std::fs::read(exports[0].path()).unwrap()).unwrap();
    assert_eq!(file.device_label.as_deref(), Some("Shelter laptop 3"));
    let key = faro::records::DeviceKey::load(&data).unwrap().expect("the laptop's key").public_hex();
    assert_eq!(file.device_key.as_deref(), Some(key.as_str()), "the file names the laptop that exported it");
    assert_eq!(file.records.len(), 1);
    assert_eq!(file.records[0].device_key, key);
}

/// Issue 25 item 5: the Coordinator screen's Laptops view lists each laptop whose records were
/// imported, with its name and when it last reported, the longest silent first; each laptop is
/// one keyboard stop that says its whole line.
#[test]
fn the_laptops_view_says_which_laptops_reported_and_when() {
    let world = World::with_fixtures(&["good/minimal"]);
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy("tests/fixtures/records/records-laptop-a.json", folder.path().join("a.json")).unwrap();
    let b_file = std::fs::read("tests/fixtures/records/records-laptop-b.json").unwrap();
    let mut b: faro::records::RecordsFile = serde_json::from_slice(&b_file).unwrap();
    b.device_label = Some("Shelter laptop 3".to_owned());
    b.exported_at = "2026-11-15T09:00:00Z".parse().unwrap();
    std::fs::write(folder.path().join("b.json"), serde_json::to_vec(&b).unwrap()).unwrap();

    let mut h = world.launch();
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    common::type_into(&mut h, "Records file or folder", &folder.path().display().to_string());
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    click(&mut h, "Laptops");
    // Judged on 2026-11-25: B reported ten days before, A that day.
    let b = h.get_by_label(
        "Shelter laptop 3 · b75d1fe82ba16d4b. Last reported: 2026-11-15 · 10 days ago. Records: 1. \
         Learners: 1. Newest record: 2026-03-02.",
    );
    let a = h.get_by_label_contains("(no name) · ");
    let node = a.accesskit_node();
    let a_says = node.value().or_else(|| node.label()).unwrap_or_default().to_owned();
    assert!(a_says.contains("Last reported: 2026-11-25 · today. Records: 3. Learners: 2."), "{a_says}");
    assert!(b.rect().top() < a.rect().top(), "the laptop silent for longest comes first");
    b.focus();
    h.run();
    h.key_press(egui::Key::Tab);
    h.run();
    assert!(h.get_by_label_contains("(no name) · ").is_focused(), "Tab goes from laptop to laptop");
}
