//! The training matrix at an organisation's size (issue 25): 200 learners × 7 modules in a
//! 1280×800 window. The column headings, the summary row and the learner names stay in view
//! however far the rows scroll; the seven modules fit the width; more modules than fit go to
//! pages of columns, with the learner column still first.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::{World, click, settle, type_into};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use faro::app::FaroApp;
use faro::records::{DeviceKey, SignedRecord};

const WIDTH: f32 = 1280.0;
const HEIGHT: f32 = 800.0;

/// Titles as long as the bundled modules' (the longest real one is about this long).
fn title(m: usize) -> String {
    format!("Module {m}: recognizing and responding to what you see")
}

/// `learners` × `modules` signed records from the fixture's first record, one per pair: most
/// passed on a day spread over the last year and a half (valid 12 months), some not passed.
pub fn records(learners: usize, modules: usize) -> Vec<SignedRecord> {
    let (fixture, _) =
        faro::records::read_records_file(Path::new("tests/fixtures/records/records-laptop-a.json")).unwrap();
    let template = fixture.into_iter().next().unwrap().record;
    let key = DeviceKey::from_secret([9; 32]);
    let start = Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
    let mut out = Vec::new();
    for l in 0..learners {
        for m in 0..modules {
            let mut r = template.clone();
            let ended = start + Duration::days(((l * 7 + m * 31) % 540) as i64);
            r.id = format!("rec-{l}-{m}");
            r.learner_id = format!("learner-{l:03}");
            r.learner_name = format!("Learner {l:03}");
            r.module_id = format!("module-{m:02}");
            r.module_title = BTreeMap::from([("en".to_owned(), title(m)), ("es".to_owned(), title(m))]);
            r.started = ended - Duration::minutes(20);
            r.ended = ended;
            r.passed = (l + m) % 9 != 0;
            r.valid_until = r.passed.then(|| faro::records::valid_until(ended.date_naive(), 12));
            out.push(key.sign(r).unwrap());
        }
    }
    out
}

/// The Coordinator screen of a 1280×800 window, with these records imported.
fn coordinator(world: &World, records: &[SignedRecord]) -> (Harness<'static, FaroApp>, tempfile::TempDir) {
    coordinator_in(Harness::builder(), world, records)
}

/// The same, drawn by `builder` (the snapshot test's renders pixels).
pub fn coordinator_in(
    builder: egui_kittest::HarnessBuilder<FaroApp>,
    world: &World,
    records: &[SignedRecord],
) -> (Harness<'static, FaroApp>, tempfile::TempDir) {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("laptops.json");
    std::fs::write(&file, faro::records::records_file_json(records, None).unwrap()).unwrap();
    let mut h = builder
        .with_size([WIDTH, HEIGHT])
        .build_ui_state(|ui, app: &mut FaroApp| app.show(ui), FaroApp::new(world.config()));
    settle(&mut h);
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    type_into(&mut h, "Records file or folder", &file.display().to_string());
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    (h, folder)
}

/// What a node says: a label's text is its accesskit value, a field's typed text too.
fn text_of(node: &egui_kittest::Node<'_>) -> String {
    let node = node.accesskit_node();
    node.value().or_else(|| node.label()).unwrap_or_default().to_owned()
}

fn in_window(rect: egui::Rect) -> bool {
    rect.left() >= 0.0 && rect.top() >= 0.0 && rect.right() <= WIDTH && rect.bottom() <= HEIGHT
}

#[test]
fn headings_and_names_stay_in_view_for_200_learners_and_7_modules() {
    let world = World::with_fixtures(&["good/minimal"]);
    let (mut h, _folder) = coordinator(&world, &records(200, 7));
    h.get_by_label_contains("200 of 200 learners, 7 module(s)");
    // Every module column fits the window: no page buttons, every heading in view.
    assert!(h.query_by_label("Next modules").is_none(), "seven modules fit 1280 pixels");
    let heading = |h: &Harness<'_, FaroApp>, m: usize| h.get_by_label(&title(m)).rect();
    for m in 0..7 {
        assert!(in_window(heading(&h, m)), "module {m}'s heading {:?}", heading(&h, m));
    }
    // The summary row counts the 200 learners of each module.
    let summary_label = format!("All learners shown, {}: ", title(0));
    let summary = h.get_by_label_contains(&summary_label);
    let counted = text_of(&summary);
    assert!(counted.contains(" valid") && counted.contains(" not passed yet"), "{counted}");
    assert!(in_window(summary.rect()));

    // Down to learner 180, by the keyboard: Tab from one cell to the next.
    let target = "Learner 180";
    let last_cell = format!("Learner 179, {}: ", title(6));
    h.get_by_label_contains(&last_cell).focus();
    h.run();
    h.key_press(egui::Key::Tab);
    settle(&mut h);
    let name = h.get_by_label(target);
    assert!(name.is_focused(), "Tab goes on to the next learner's name");
    let name = name.rect();
    let headings_bottom = (0..7).map(|m| heading(&h, m).bottom()).fold(0.0, f32::max);
    assert!(in_window(name), "the focused learner is scrolled into view: {name:?}");
    assert!(name.top() > headings_bottom, "the learner is below the headings, not under them");
    for m in 0..7 {
        assert!(in_window(heading(&h, m)), "module {m}'s heading stays in view: {:?}", heading(&h, m));
    }
    // The row's cells are beside its name, in the same line.
    let cell = h.get_by_label_contains(&format!("{target}, {}: ", title(3))).rect();
    assert!((cell.center().y - name.center().y).abs() < 2.0 && in_window(cell), "{cell:?} beside {name:?}");
    // And the first learner's row has scrolled away under the headings.
    let first = h.get_by_label("Learner 000").rect();
    assert!(!in_window(first) || first.bottom() <= headings_bottom, "{first:?}");
}

#[test]
fn modules_that_do_not_fit_go_to_pages_with_the_learner_column_kept() {
    let world = World::with_fixtures(&["good/minimal"]);
    let (mut h, _folder) = coordinator(&world, &records(3, 12));
    let page = text_of(&h.get_by_label_contains("Modules 1–"));
    assert!(page.ends_with("of 12"), "{page}");
    assert!(h.query_by_label(&title(11)).is_none(), "the last module is on the next page");
    click(&mut h, "Next modules");
    h.get_by_label(&title(11));
    assert!(in_window(h.get_by_label(&title(11)).rect()));
    assert!(in_window(h.get_by_label("Learner 002").rect()), "the learner column is still first");
    h.get_by_label_contains(&format!("Learner 002, {}: ", title(11)));
    click(&mut h, "Previous modules");
    h.get_by_label(&title(0));
    assert!(h.query_by_label(&title(11)).is_none());
}

#[test]
fn due_in_the_next_30_days_lists_only_learners_with_something_due() {
    let world = World::with_fixtures(&["good/minimal"]);
    let (mut h, _folder) = coordinator(&world, &records(40, 3));
    click(&mut h, "Due in the next 30 days");
    // Judged on 2026-11-25 (the test worlds' today): due before 2026-12-25.
    let field = text_of(&h.get_by_label("Due before"));
    assert_eq!(field, "2026-12-25");
    let matrix = faro::records::TrainingMatrix::build(
        &faro::records::merge(
            &[_folder.path().to_owned()],
            &faro::records::MergeOptions {
                as_of: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                trust: None,
            },
        ),
        &faro::records::MatrixOptions::new(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
    );
    let before = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
    let due: std::collections::BTreeSet<usize> =
        matrix.due_before(before).iter().map(|d| d.learner).collect();
    assert!(!due.is_empty() && due.len() < 40, "some learners, not all, are due: {}", due.len());
    h.get_by_label_contains(&format!("{} of 40 learners", due.len()));
    for (i, learner) in matrix.learners.iter().enumerate() {
        assert_eq!(h.query_by_label(&learner.name).is_some(), due.contains(&i), "{}", learner.name);
    }
}

/// Issue 25 item 3: records files are merged on a worker thread. While the import is held (a
/// test hook), the window keeps drawing a progress bar of the files read, asks for no frames
/// while idle, and offers no second import, but keeps a file dropped meanwhile; released, the
/// matrix of all the files arrives and the bar goes.
#[test]
fn records_import_on_a_worker_thread_with_a_progress_bar() {
    let world = World::with_fixtures(&["good/minimal"]);
    let folder = tempfile::tempdir().unwrap();
    let all = records(12, 2);
    for (n, laptop) in all.chunks(6).enumerate() {
        let file = folder.path().join(format!("laptop-{n}.json"));
        std::fs::write(&file, faro::records::records_file_json(laptop, None).unwrap()).unwrap();
    }
    let mut h = Harness::builder()
        .with_size([WIDTH, HEIGHT])
        .build_ui_state(|ui, app: &mut FaroApp| app.show(ui), FaroApp::new(world.config()));
    settle(&mut h);
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    let gate = faro::app::LoadGate::default();
    let faro::app::Screen::Coordinator(c) = &mut h.state_mut().screen else { panic!("not the Coordinator") };
    c.import_gate = Some(gate.clone());
    type_into(&mut h, "Records file or folder", &folder.path().display().to_string());
    h.key_press(egui::Key::Enter);
    for _ in 0..400 {
        h.step();
        if h.query_by_label_contains("Reading records files").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run();
    assert!(h.state().importing_records());
    h.get_by_label("Reading records files: 0 of 4");
    // Nothing asks for frames while the import waits: an idle window stays idle.
    assert!(h.try_run().is_ok());
    for button in ["Import", "Choose files…", "Add this laptop's records"] {
        assert!(h.get_by_label(button).accesskit_node().is_disabled(), "{button} waits for the import");
    }
    // A file dropped on the window meanwhile is not lost: it is merged once the import is done.
    let late = tempfile::tempdir().unwrap();
    let late_file = late.path().join("late-laptop.json");
    std::fs::write(&late_file, faro::records::records_file_json(&records(15, 2)[24..], None).unwrap())
        .unwrap();
    h.input_mut().dropped_files.push(std::sync::Arc::new(common::Dropped(late_file)));
    h.run();

    gate.release();
    settle(&mut h);
    assert!(!h.state().importing_records());
    assert!(h.query_by_label_contains("Reading records files").is_none(), "the bar goes with the import");
    h.get_by_label_contains("15 of 15 learners, 2 module(s)");
    assert!(!h.get_by_label("Import").accesskit_node().is_disabled());
}
