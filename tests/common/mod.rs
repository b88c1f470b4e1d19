//! Shared set-up for the viewer tests: an app over temporary data and module folders.

#![allow(dead_code)]

pub mod cli;
pub mod hostile_modules;
pub mod mutate;
pub mod pack;
pub mod thread_heap;
pub mod walk;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use faro::app::{Config, FaroApp};
use faro::data::DataDir;
use faro::locations::{ModuleFolder, ModuleSource};

/// Temporary folders for one test: the data directory and a modules directory.
pub struct World {
    pub data: tempfile::TempDir,
    pub modules: tempfile::TempDir,
}

impl World {
    /// A world whose library holds the given fixture modules (folder names under tests/fixtures).
    pub fn with_fixtures(fixtures: &[&str]) -> Self {
        let world = Self { data: tempfile::tempdir().unwrap(), modules: tempfile::tempdir().unwrap() };
        for f in fixtures {
            let from = Path::new("tests/fixtures").join(f);
            let name = from.file_name().unwrap().to_owned();
            copy_dir(&from, &world.modules.path().join(name));
        }
        world
    }

    pub fn config(&self) -> Config {
        Config {
            data_dir: DataDir::at(self.data.path().to_owned()),
            data_location: None,
            module_folders: vec![ModuleFolder {
                source: ModuleSource::Bundled,
                dir: self.modules.path().to_owned(),
            }],
            regions: faro::load::parse_regions(Path::new("assets/regions.ron"), faro::bundled::REGIONS)
                .unwrap(),
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            problems: Vec::new(),
            first_language: "en".into(),
            installed_load_gate: None,
            #[cfg(feature = "test-hooks")]
            install_gate: None,
        }
    }

    /// A fresh app over this world, as if launched again.
    pub fn launch(&self) -> Harness<'static, FaroApp> {
        harness(FaroApp::new(self.config()))
    }

    pub fn progress_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        walk(self.data.path(), &mut out);
        out.retain(|p| p.to_string_lossy().contains("/progress/"));
        out
    }
}

/// Runs frames until the UI is idle, including images decoding, installed packs loading and
/// records files being imported on worker threads.
pub fn settle(h: &mut Harness<'_, FaroApp>) {
    for _ in 0..200 {
        if h.try_run().is_ok()
            && !h.state().images_pending()
            && !h.state().checking_installed()
            && !h.state().installing_pack()
            && !h.state().importing_records()
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the UI did not settle");
}

/// Clicks the widget with this accessible label, then lets the UI settle.
pub fn click(h: &mut Harness<'_, FaroApp>, label: &str) {
    use egui_kittest::kittest::Queryable as _;
    h.get_by_label(label).click();
    settle(h);
}

/// Focuses the text field labelled `label`, types `text` into it, and lets the UI settle.
pub fn type_into(h: &mut Harness<'_, FaroApp>, label: &str, text: &str) {
    use egui_kittest::kittest::Queryable as _;
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    settle(h);
}

/// Types a learner name into the field labelled `field` and clicks `button` (the start screen).
pub fn create_learner(
    h: &mut egui_kittest::Harness<'_, faro::app::FaroApp>,
    name: &str,
    field: &str,
    button: &str,
) {
    type_into(h, field, name);
    click(h, button);
}

/// A harness that draws the app in a 1100×800 window.
pub fn harness(app: FaroApp) -> Harness<'static, FaroApp> {
    let mut h = Harness::builder()
        .with_size([1100.0, 800.0])
        .build_ui_state(|ui, app: &mut FaroApp| app.show(ui), app);
    h.run();
    h
}

/// Copies a folder tree (test fixtures into temporary folders).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`, into `out`.
pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The passing path through `tests/fixtures/good/minimal`: past its content note, the safe choice
/// at each scenario node, and the right answer to its question.
pub fn minimal_passing_path() -> Vec<faro::progress::Event> {
    use faro::progress::Event;
    vec![
        Event::Next,
        Event::AcknowledgeNote,
        Event::Choose("note".into()),
        Event::Choose("hotline".into()),
        Event::Next,
        Event::Answer { question: "q1".into(), answers: vec!["false".into()] },
        Event::Next,
    ]
}

/// A passed attempt at the minimal module, started at `start`, one minute per step.
pub fn finished_minimal_attempt(
    m: &faro::format::Module,
    start: chrono::DateTime<chrono::Utc>,
) -> faro::progress::Attempt {
    let mut a = faro::progress::Attempt::new(m, "en", start);
    for (i, e) in minimal_passing_path().into_iter().enumerate() {
        a.apply(m, e, start + chrono::Duration::minutes(i as i64 + 1)).expect("a step of the passing path");
    }
    assert!(a.finished.is_some(), "the passing path ends the attempt");
    a
}

/// The widget on screen whose label contains `text`, leaving out the live announcements (status
/// nodes), which repeat the text that came with a transition for screen readers.
pub fn shown<'a>(h: &'a Harness<'_, FaroApp>, text: &'a str) -> egui_kittest::Node<'a> {
    use egui_kittest::kittest::{NodeT as _, Queryable as _};
    let mut found = h
        .query_all_by_label_contains(text)
        .filter(|n| n.accesskit_node().role() != egui::accesskit::Role::Status);
    let first = found.next().unwrap_or_else(|| panic!("no widget on screen says {text:?}"));
    assert!(found.next().is_none(), "more than one widget on screen says {text:?}");
    first
}

/// A file dropped on the window, as the desktop hands it to egui.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// The label and description of the widget that has the keyboard focus.
pub fn focused(h: &Harness<'_, FaroApp>) -> (String, String) {
    use egui::accesskit::Role;
    use egui_kittest::kittest::{NodeT as _, Queryable as _};
    let node = h.query_by(|n| n.is_focused()).unwrap_or_else(|| panic!("no widget has the focus"));
    let node = node.accesskit_node();
    assert_ne!(node.role(), Role::Window, "the focus is on a widget, not the window");
    // A label's text is its value; everything else is named by its label.
    let name = node.label().or_else(|| node.value()).unwrap_or_default();
    (name, node.description().unwrap_or_default())
}
