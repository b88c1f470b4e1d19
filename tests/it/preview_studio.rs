//! The author preview (`faro preview DIR`, issue 14), driven as an author would: jump to a node,
//! save the module file, and check what the window shows. The module is the one `faro new module`
//! writes: a page, the scenario "practice" (nodes "notice" and "call"), and a check.

use crate::common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{harness, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use faro::app::{Config, FaroApp};
use faro::data::DataDir;
use faro::scaffold::NewModule;

const CALL_TEXT: &str = "You are out of their sight. What do you do?";
const REPORT_CHOICE: &str = "Call the hotline (or 911 if she is in immediate danger)";
const CALL_NODE_BUTTON: &str = "node call: You are out of their sight. What do you do?";

/// A scaffolded module folder, and the preview's own data folder, both temporary.
struct Author {
    folders: tempfile::TempDir,
    data: tempfile::TempDir,
}

impl Author {
    /// A scaffolded module whose placeholder texts the author has already replaced (the first
    /// thing `docs/authoring.md` asks), so the sidebar lists no problem above the steps.
    fn new() -> Self {
        let author = Self::scaffolded();
        let mut source = author.source();
        for mark in faro::scaffold::PLACEHOLDER_MARKS {
            source = source.replace(mark, "Our own words");
        }
        source = source.replace(faro::scaffold::UNTRANSLATED_MARK, "(es)");
        std::fs::write(author.module_file(), source).unwrap();
        author
    }

    /// The module exactly as `faro new module` writes it.
    fn scaffolded() -> Self {
        let author = Self { folders: tempfile::tempdir().unwrap(), data: tempfile::tempdir().unwrap() };
        let new = NewModule {
            id: "shelter-intake".into(),
            title: None,
            languages: vec!["en".into(), "es".into()],
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        };
        new.write(&author.dir()).unwrap();
        author
    }

    fn dir(&self) -> PathBuf {
        self.folders.path().join("shelter-intake")
    }

    fn module_file(&self) -> PathBuf {
        self.dir().join("module.ron")
    }

    fn source(&self) -> String {
        std::fs::read_to_string(self.module_file()).unwrap()
    }

    /// Saves the module file with one text replaced, as an editor that writes in place does.
    fn edit(&self, from: &str, to: &str) {
        let source = self.source();
        assert!(source.contains(from), "the template no longer has {from:?}");
        std::fs::write(self.module_file(), source.replacen(from, to, 1)).unwrap();
    }

    /// The preview, gone to the node "call" from the sidebar.
    fn preview_at_call(&self) -> Harness<'static, FaroApp> {
        let mut h = self.preview();
        click(&mut h, CALL_NODE_BUTTON);
        h
    }

    fn preview(&self) -> Harness<'static, FaroApp> {
        let config = Config {
            data_dir: DataDir::at(self.data.path().to_owned()),
            data_location: None,
            module_folders: Vec::new(),
            regions: faro::bundled::regions().unwrap(),
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            problems: Vec::new(),
            first_language: "en".into(),
            installed_load_gate: None,
            #[cfg(feature = "test-hooks")]
            install_gate: None,
        };
        let mut h = harness(FaroApp::preview(config, &self.dir(), None));
        settle(&mut h);
        h
    }
}

fn shows(h: &Harness<'_, FaroApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn click(h: &mut Harness<'_, FaroApp>, label: &str) {
    h.get_by_label(label).click();
    settle(h);
}

fn click_containing(h: &mut Harness<'_, FaroApp>, text: &str) {
    h.get_by_label_contains(text).click();
    settle(h);
}

/// Runs frames until `seen` holds, as the window does while the watcher reports a save; fails
/// after a generous time (this waits for the file system, it does not measure speed).
fn wait_until(h: &mut Harness<'_, FaroApp>, what: &str, seen: impl Fn(&Harness<'_, FaroApp>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        h.step();
        if seen(h) {
            settle(h);
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the preview never showed {what}");
}

#[test]
fn the_preview_opens_the_module_with_the_author_sidebar_and_no_error() {
    let author = Author::scaffolded();
    let h = author.preview();
    assert!(shows(&h, "Author preview"));
    // The template's own texts are warnings (issue 28), never errors.
    assert!(shows(&h, "Errors: 0. Warnings: "));
    assert!(shows(&h, "is still the placeholder text of `faro new module`"));
    assert!(shows(&h, "Up to date"));
    // The module's content note comes first, as learners see it.
    assert!(shows(&h, "I am ready, continue"));
    for step in ["1. What volunteers do (page)", "2. Practice: at the bus station (scenario)"] {
        assert!(shows(&h, step), "the sidebar does not list {step}");
    }
}

#[test]
fn a_node_in_the_sidebar_opens_the_preview_there() {
    let author = Author::new();
    let mut h = author.preview();
    assert!(!shows(&h, REPORT_CHOICE), "the preview should open on the module's start");
    click(&mut h, CALL_NODE_BUTTON);
    assert!(shows(&h, REPORT_CHOICE), "the choices of the node call are not shown");
    assert!(shows(&h, &format!("{CALL_NODE_BUTTON} — current")));
}

#[test]
fn reloading_a_good_save_keeps_the_node_and_shows_the_new_text() {
    let author = Author::new();
    let mut h = author.preview_at_call();
    author.edit(CALL_TEXT, "You have stepped away, out of sight. What now?");
    click(&mut h, "Reload now");
    assert!(shows(&h, "You have stepped away, out of sight. What now?"));
    assert!(shows(&h, REPORT_CHOICE), "the preview left the node call");
    assert!(shows(&h, "node call: You have stepped away, out of sight. What now? — current"));
}

#[test]
fn a_save_is_picked_up_by_the_watcher_without_a_click() {
    let author = Author::new();
    let mut h = author.preview_at_call();
    author.edit(CALL_TEXT, "Saved from the editor: what now?");
    wait_until(&mut h, "the saved text", |h| shows(h, "Saved from the editor: what now?"));
    assert!(shows(&h, REPORT_CHOICE), "the preview left the node call");
}

#[test]
fn an_editor_that_saves_by_renaming_a_new_file_over_the_old_is_followed() {
    // vim and VS Code write a temporary file and rename it over the module file.
    let author = Author::new();
    let mut h = author.preview_at_call();
    let temporary = author.dir().join(".module.ron.swp");
    std::fs::write(&temporary, author.source().replacen(CALL_TEXT, "Renamed into place. What now?", 1))
        .unwrap();
    std::fs::rename(&temporary, author.module_file()).unwrap();
    wait_until(&mut h, "the renamed-in text", |h| shows(h, "Renamed into place. What now?"));
    assert!(shows(&h, REPORT_CHOICE));
}

#[test]
fn a_broken_save_keeps_the_last_good_version_under_its_diagnostics() {
    let author = Author::new();
    let mut h = author.preview_at_call();
    author.edit("goto: \"reported\"", "goto: \"nowhere\"");
    click(&mut h, "Reload now");
    assert!(shows(&h, "The last save has errors. The preview shows the last version that worked"));
    assert!(shows(&h, "\"nowhere\""), "the diagnostic is not listed");
    assert!(!shows(&h, "Errors: 0."), "the error is not counted");
    assert!(shows(&h, REPORT_CHOICE), "the last good version is no longer shown at the node");
}

#[test]
fn a_file_truncated_to_nothing_keeps_the_preview() {
    let author = Author::new();
    let mut h = author.preview_at_call();
    std::fs::write(author.module_file(), "").unwrap();
    click(&mut h, "Reload now");
    assert!(shows(&h, "The last save has errors."));
    assert!(shows(&h, REPORT_CHOICE));
}

#[test]
fn a_click_on_a_diagnostic_goes_to_the_node_it_is_about() {
    let author = Author::new();
    let mut h = author.preview();
    // An untranslated Spanish text is a warning: the module still validates and is shown.
    author.edit(
        "\"es\": \"Ya está fuera de su vista. ¿Qué hace?\"",
        "\"es\": \"You are out of their sight. What do you do?\"",
    );
    click(&mut h, "Reload now");
    assert!(shows(&h, "Up to date"));
    assert!(!shows(&h, REPORT_CHOICE), "the preview should still be on the first step");
    click_containing(&mut h, "warning: ");
    assert!(shows(&h, REPORT_CHOICE), "the click did not go to the node call");
    assert!(shows(&h, &format!("{CALL_NODE_BUTTON} — current")));
}

#[test]
fn the_scenario_map_shows_the_graph_and_a_click_on_a_moment_previews_it() {
    let author = Author::new();
    let mut h = author.preview();
    click(&mut h, "Show scenario map");
    assert!(shows(&h, "Scenario map: Practice: at the bus station"));
    assert!(shows(&h, "Pass ending: reported"));
    assert!(shows(&h, "Fail ending: walked-away"));
    assert!(shows(&h, "(!) unsafe: the run ends"));
    assert!(
        h.get_by_label_contains("notice (start, on the best path)").is_focused(),
        "the focus does not land on the start of the map"
    );
    assert!(shows(&h, "Best-scoring path to a Pass ending: 2 points"));
    click_containing(&mut h, "call (on the best path)");
    assert!(!shows(&h, "Scenario map: Practice"), "the map is still shown");
    assert!(shows(&h, REPORT_CHOICE), "the click did not preview the node call");
}

#[test]
fn a_deleted_or_renamed_folder_keeps_the_preview_and_says_so() {
    let author = Author::new();
    let mut h = author.preview_at_call();
    let moved = author.folders.path().join("renamed");
    std::fs::rename(author.dir(), &moved).unwrap();
    wait_until(&mut h, "the missing-folder message", |h| {
        shows(h, "The module folder or its module.ron is gone")
    });
    assert!(shows(&h, REPORT_CHOICE), "the last good version is gone");
    // Put back, it is watched again (the preview looks for it every second) and reloaded.
    std::fs::rename(&moved, author.dir()).unwrap();
    wait_until(&mut h, "the folder back", |h| shows(h, "Up to date"));
    author.edit(CALL_TEXT, "Back again. What now?");
    wait_until(&mut h, "a save after the folder came back", |h| shows(h, "Back again. What now?"));
}

#[test]
fn a_ten_megabyte_file_is_refused_without_losing_the_preview() {
    let author = Author::new();
    let mut h = author.preview_at_call();
    // Saved beside the module, a big file is not read at all.
    std::fs::write(author.dir().join("recording.bin"), vec![0u8; 10 * 1024 * 1024]).unwrap();
    click(&mut h, "Reload now");
    assert!(shows(&h, "Up to date"));
    // Saved as the module, it is refused before parsing.
    std::fs::write(author.module_file(), "/".repeat(10 * 1024 * 1024)).unwrap();
    click(&mut h, "Reload now");
    assert!(shows(&h, "larger than the 4 MiB limit"));
    assert!(shows(&h, REPORT_CHOICE));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_the_folder_does_not_stop_the_preview() {
    let author = Author::new();
    std::os::unix::fs::symlink(author.dir(), author.dir().join("loop")).unwrap();
    let mut h = author.preview();
    assert!(shows(&h, "Up to date"));
    click(&mut h, CALL_NODE_BUTTON);
    author.edit(CALL_TEXT, "Still followed. What now?");
    wait_until(&mut h, "a save beside a link loop", |h| shows(h, "Still followed. What now?"));
}

#[test]
fn finishing_a_scenario_in_the_preview_signs_and_saves_nothing() {
    let author = Author::new();
    let mut h = author.preview_at_call();
    click_containing(&mut h, REPORT_CHOICE);
    click(&mut h, "Restart this attempt");
    assert!(shows(&h, "I am ready, continue"), "restart did not go back to the start");
    let mut files = Vec::new();
    common::walk(author.data.path(), &mut files);
    assert!(
        files
            .iter()
            .all(|f| !f.to_string_lossy().contains("records") && !f.to_string_lossy().contains("progress")),
        "the preview wrote learner data: {files:#?}"
    );
}

#[test]
fn a_module_with_errors_at_first_says_what_to_do_and_appears_once_fixed() {
    let author = Author::new();
    let good = author.source();
    author.edit("goto: \"reported\"", "goto: \"nowhere\"");
    let mut h = author.preview();
    assert!(shows(&h, "This module has errors, so there is nothing to preview yet."));
    assert!(!shows(&h, "Import pack"), "the learners' empty library is shown to an author");
    std::fs::write(author.module_file(), good).unwrap();
    click(&mut h, "Reload now");
    assert!(shows(&h, "Up to date"));
    assert!(shows(&h, "I am ready, continue"), "the module is not shown once it validates");
}

#[test]
fn the_language_button_switches_the_preview_and_the_sidebar_on_the_same_node() {
    let author = Author::new();
    let mut h = author.preview_at_call();
    click(&mut h, "Español");
    assert!(shows(&h, "Ya está fuera de su vista. ¿Qué hace?"), "the node is not shown in Spanish");
    assert!(shows(&h, "Vista previa para autores"), "the sidebar is not in Spanish");
    assert!(shows(&h, "Recargar ahora"));
    // The map in Spanish: the same unsafe marker, the words around it translated; drawn with the
    // app's font (kittest fails on a character it has no glyph for).
    click(&mut h, "Ver el mapa del escenario");
    assert!(shows(&h, "(!) inseguro: el intento termina"));
    for button in ["Alejar", "Acercar", "Ajustar a la ventana"] {
        h.get_by_label(button);
    }
    assert!(shows(&h, "Escala del mapa: "));
}

#[test]
fn a_save_replays_the_choices_and_keeps_the_node_score_and_flags() {
    let author = Author::new();
    // The choice that leads to the node "call" also sets a flag, so the sidebar has one to show.
    author.edit("score: 1,", "score: 1, sets: [\"noted\"],");
    let mut h = author.preview_at_call();
    // A jump walks the shortest path there: the choice "note" (1 point, flag "noted").
    assert!(shows(&h, "This run: score 1; flags: noted."), "the jump did not set the path's state");
    author.edit(CALL_TEXT, "Edited while previewing: what now?");
    wait_until(&mut h, "the saved text", |h| shows(h, "Edited while previewing: what now?"));
    assert!(
        shows(&h, "node call: Edited while previewing: what now? — current"),
        "the preview left the node"
    );
    assert!(shows(&h, REPORT_CHOICE), "the choices of the node call are not offered");
    assert!(shows(&h, "This run: score 1; flags: noted."), "the reload forgot the score or the flags");
    assert!(!shows(&h, "no longer exists"));
}

#[test]
fn a_save_that_removes_the_chosen_choice_stops_there_and_names_it() {
    let author = Author::new();
    let mut h = author.preview_at_call();
    // The author renames the choice that led here: the recorded one is gone.
    author.edit("id: \"note\"", "id: \"write-down\"");
    wait_until(&mut h, "the stop", |h| shows(h, "no longer exists"));
    assert!(shows(
        &h,
        "Your choice \"Note the details and move away to make a call.\" no longer exists after the last save: the preview stopped at node \"notice\"."
    ));
    assert!(!shows(&h, REPORT_CHOICE), "the preview went on past the missing choice");
    assert!(shows(&h, "This run: score 0; flags: none."));
}

/// The preview of a copy of a bundled module, so the window shows a real scenario.
fn preview_of_bundled(name: &str) -> (tempfile::TempDir, Harness<'static, FaroApp>) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(name);
    common::copy_dir(&std::path::Path::new("modules").join(name), &dir);
    let config = Config {
        data_dir: DataDir::at(temp.path().join("data")),
        data_location: None,
        module_folders: Vec::new(),
        regions: faro::bundled::regions().unwrap(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        problems: Vec::new(),
        first_language: "en".into(),
        installed_load_gate: None,
        #[cfg(feature = "test-hooks")]
        install_gate: None,
    };
    let mut h = harness(FaroApp::preview(config, &dir, None));
    settle(&mut h);
    (temp, h)
}

/// The map's scale, in percent, as the label beside the zoom buttons says it.
fn map_scale(h: &Harness<'_, FaroApp>) -> u32 {
    let node = h.get_by_label_contains("Map scale: ");
    let label = node.accesskit_node().label().or_else(|| node.accesskit_node().value()).unwrap_or_default();
    label
        .trim_start_matches("Map scale: ")
        .trim_end_matches('%')
        .parse()
        .unwrap_or_else(|_| panic!("{label:?}"))
}

/// The rectangles of every box of the map of `module`'s first scenario, found by their text
/// (a box's accessible label is its heading, a line break, then its text).
fn map_boxes(h: &Harness<'_, FaroApp>, module: &str) -> Vec<egui::Rect> {
    let loaded = faro::load::load_module_dir(&std::path::Path::new("modules").join(module)).unwrap();
    let scenario = loaded
        .module
        .steps
        .iter()
        .find_map(|s| match s {
            faro::format::Step::Scenario(s) => Some(s),
            _ => None,
        })
        .unwrap();
    let map = faro::map::ScenarioMap::new(scenario, "en");
    let mut rects: Vec<egui::Rect> = Vec::new();
    for node in map.nodes.iter().filter(|n| n.kind != faro::map::NodeKind::UnsafeEnd) {
        let text = format!("\n{}", node.label);
        let found: Vec<egui::Rect> = h.query_all_by_label_contains(&text).map(|n| n.rect()).collect();
        assert!(!found.is_empty(), "no box for {}", node.id);
        rects.extend(found);
    }
    rects.extend(h.query_all_by_label("(!) unsafe: the run ends").map(|n| n.rect()));
    assert!(rects.len() >= map.nodes.len(), "{} boxes of {}", rects.len(), map.nodes.len());
    rects
}

fn all_inside(rects: &[egui::Rect], window: egui::Rect) -> bool {
    rects.iter().all(|r| window.contains_rect(*r))
}

#[test]
fn the_map_of_a_real_scenario_opens_fitted_and_zooms_with_buttons_keys_and_the_wheel() {
    let module = "07-children-on-the-move";
    let (_temp, mut h) = preview_of_bundled(module);
    click(&mut h, "Show scenario map");
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1100.0, 800.0));
    // Fitted: the whole map of 23 boxes is in the window.
    let fitted = map_scale(&h);
    assert!(fitted < 100, "a real scenario is wider than the window: {fitted}%");
    let boxes = map_boxes(&h, module);
    assert!(all_inside(&boxes, window), "the fitted map does not fit: {boxes:?}");
    let width = boxes[0].width();

    click(&mut h, "Zoom in");
    assert!(map_scale(&h) > fitted, "Zoom in did nothing");
    let zoomed = map_boxes(&h, module);
    assert!((zoomed[0].width() / width - 1.25).abs() < 0.02, "{} → {}", width, zoomed[0].width());
    assert!(!all_inside(&zoomed, window), "zoomed in, the map should be larger than the window");

    click(&mut h, "Zoom out");
    click(&mut h, "Zoom out");
    assert!(map_scale(&h) < fitted, "Zoom out did nothing");

    click(&mut h, "Fit");
    assert_eq!(map_scale(&h), fitted);
    assert!(all_inside(&map_boxes(&h, module), window));

    // The keys zoom the map, not the app's text (Ctrl+= is "larger text" elsewhere).
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Equals);
    settle(&mut h);
    let by_key = map_scale(&h);
    assert!(by_key > fitted, "Ctrl+= did not zoom the map");
    assert_eq!(h.ctx.zoom_factor(), 1.0, "Ctrl+= changed the text size instead");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Minus);
    settle(&mut h);
    assert!(map_scale(&h) < by_key, "Ctrl+- did not zoom out");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num0);
    settle(&mut h);
    assert_eq!(map_scale(&h), fitted, "Ctrl+0 did not fit the map");

    // Ctrl + mouse wheel over the map.
    let over_map = boxes[0].center();
    h.event(egui::Event::PointerMoved(over_map));
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, 3.0),
        modifiers: egui::Modifiers::COMMAND,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
    });
    settle(&mut h);
    assert!(map_scale(&h) > fitted, "Ctrl + wheel did not zoom the map");

    // The wheel zooms about the pointer: the column under it (the last, at the right edge of the
    // fitted map) is still under it after zooming in twice, so the map scrolled to keep it.
    // (Not the row: while the map is shorter than the window it cannot scroll up or down.)
    click(&mut h, "Fit");
    let last = *map_boxes(&h, module).iter().max_by(|a, b| a.right().total_cmp(&b.right())).unwrap();
    for _ in 0..2 {
        h.event(egui::Event::PointerMoved(last.center()));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, 3.0),
            modifiers: egui::Modifiers::COMMAND,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
        });
        settle(&mut h);
    }
    assert!(map_scale(&h) > 2 * fitted, "{}% after two steps from {fitted}%", map_scale(&h));
    let grown = map_boxes(&h, module);
    let x = last.center().x;
    assert!(
        grown.iter().any(|r| r.x_range().contains(x) && r.width() > 1.5 * last.width()),
        "the column under the pointer moved away: {last:?} → {grown:?}"
    );
}
