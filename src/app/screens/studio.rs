//! The author preview (`faro preview DIR`): the viewer on one module folder, with a sidebar for
//! the author. Saves reload the module (debounced, see [`crate::preview::watch`]); a save that
//! does not validate leaves the last good version on screen under its diagnostics; the preview
//! replays the attempt's choices across reloads and stays where they lead (see
//! [`crate::preview::replay`]). Progress lives in a throwaway data folder:
//! nothing is signed, saved or added to records (see `Shared::previewing`).

use std::time::{Duration, Instant};

use crate::app::shared::Shared;
use crate::app::widgets;
use crate::app::widgets::speech::{self, Urgency};
use crate::catalog::{Entry, Origin};
use crate::diagnostic::Severity;
use crate::format::Step;
use crate::locations::ModuleSource;
use crate::map::ScenarioMap;
use crate::preview::replay::{self, ChoiceGone};
use crate::preview::watch::{Due, Watcher};
use crate::preview::{Place, Reloaded, Session, Source, place};
use crate::progress::Attempt;

/// How often a preview whose folder is gone looks for it again. Only then does the window wake
/// up without input; a watched folder wakes it only when something is saved.
const LOOK_FOR_FOLDER_EVERY: Duration = Duration::from_secs(1);

/// The author preview's state, beside the viewer's.
pub struct Studio {
    pub session: Session,
    watcher: Option<Watcher>,
    /// Why the folder could not be watched, the last time it was tried.
    watch_error: Option<String>,
    /// When to try watching the folder again (it was gone, or watching failed).
    watch_again_at: Option<Instant>,
    /// The scenario map is shown instead of the module.
    pub show_map: bool,
    /// The map's scale.
    pub map_view: super::studio_map::MapView,
    /// When the module was last reloaded (local time, for the status line).
    reloaded_at: chrono::NaiveTime,
    /// The last map drawn: its scenario, language and the version of the module it was laid
    /// out for, so a map is laid out once per change rather than once per frame.
    map: Option<(u64, String, String, ScenarioMap)>,
    /// The recorded choice the last reload could not make again, shown until the author moves on.
    pub stopped: Option<ChoiceGone>,
    /// The preview's own data folder, deleted with it, so learners' data is never touched.
    _data: Option<tempfile::TempDir>,
}

impl Studio {
    /// A studio on `session`; `data` is the throwaway data folder the app was given, if any.
    pub fn new(session: Session, data: Option<tempfile::TempDir>) -> Self {
        Self {
            session,
            watcher: None,
            watch_error: None,
            watch_again_at: None,
            show_map: false,
            map_view: super::studio_map::MapView::default(),
            reloaded_at: chrono::Local::now().time(),
            map: None,
            stopped: None,
            _data: data,
        }
    }

    /// Starts watching the module folder (once it exists), waking the window on changes.
    fn watch(&mut self, ctx: &egui::Context, now: Instant) {
        if !self.session.dir().join(crate::load::MODULE_FILE).is_file() {
            self.watch_again_at = Some(now + LOOK_FOR_FOLDER_EVERY);
            ctx.request_repaint_after(LOOK_FOR_FOLDER_EVERY);
            return;
        }
        let repaint = ctx.clone();
        match Watcher::new(self.session.dir(), Box::new(move |after| repaint.request_repaint_after(after))) {
            Ok(watcher) => {
                self.watcher = Some(watcher);
                self.watch_error = None;
                self.watch_again_at = None;
            }
            Err(e) => {
                self.watch_error = Some(e.to_string());
                self.watch_again_at = Some(now + LOOK_FOR_FOLDER_EVERY * 5);
                ctx.request_repaint_after(LOOK_FOR_FOLDER_EVERY * 5);
            }
        }
    }

    /// The map of the scenario shown at step `current` (or of the module's first scenario) in
    /// `lang`, with that scenario's id; laid out again only when the module or language changed.
    fn map_of(&mut self, current: Option<usize>, lang: &str) -> Option<(&ScenarioMap, &str)> {
        let steps = &self.session.good()?.module.steps;
        let scenario = match current.and_then(|i| steps.get(i)) {
            Some(Step::Scenario(s)) => s,
            _ => steps.iter().find_map(|s| if let Step::Scenario(s) = s { Some(s) } else { None })?,
        };
        let generation = self.session.generation();
        let fresh =
            matches!(&self.map, Some((g, id, l, _)) if *g == generation && *id == scenario.id && l == lang);
        if !fresh {
            self.map =
                Some((generation, scenario.id.clone(), lang.to_owned(), ScenarioMap::new(scenario, lang)));
        }
        self.map.as_ref().map(|(_, id, _, map)| (map, id.as_str()))
    }
}

/// What the author asked for in the sidebar or on the map.
#[derive(Clone, Debug, PartialEq)]
pub enum StudioAction {
    /// Load the folder again now (also done on every save).
    Reload,
    /// Start the module again from its first step.
    Restart,
    ToggleMap,
    /// Preview this step or node.
    GoTo(Place),
    /// Preview the step or node diagnostic `i` is about.
    GoToProblem(usize),
    /// Scale the map.
    Zoom(super::studio_map::ZoomChange),
}

/// Reload now.
const RELOAD: egui::KeyboardShortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::R);
/// Show the scenario map, or back to the preview.
const MAP: egui::KeyboardShortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::M);

/// The author's shortcuts: Ctrl+R reloads, Ctrl+M shows or hides the map; on the map, Ctrl+=,
/// Ctrl+- and Ctrl+0 zoom it and fit it (read before the app's text-size keys, which they
/// replace there).
pub fn keyboard(studio: &Studio, input: &mut egui::InputState) -> Vec<StudioAction> {
    let mut actions = Vec::new();
    if studio.show_map
        && let Some(change) = super::studio_map::keyboard(input)
    {
        actions.push(StudioAction::Zoom(change));
    }
    if input.consume_shortcut(&RELOAD) {
        actions.push(StudioAction::Reload);
    }
    if input.consume_shortcut(&MAP) {
        actions.push(StudioAction::ToggleMap);
    }
    actions
}

/// What the player should show after an author's action or a reload: this attempt of the
/// previewed module (the library's only entry), or nothing new.
pub type Show = Option<Attempt>;

/// Reloads the module when a save has settled; called before every frame. `current` is the
/// attempt the player shows, if it is showing.
pub fn poll(
    studio: &mut Studio,
    shared: &mut Shared,
    current: Option<&Attempt>,
    ctx: &egui::Context,
) -> Show {
    let now = Instant::now();
    if studio.watcher.is_none() && studio.watch_again_at.is_none_or(|at| now >= at) {
        let was_missing = *studio.session.source() == Source::Missing;
        studio.watch(ctx, now);
        // Saves made while nothing watched (the folder was gone) are read now.
        if was_missing && studio.watcher.is_some() {
            return reload(studio, shared, current, ctx);
        }
    }
    match studio.watcher.as_ref().map_or(Due::Idle, |w| w.due(now)) {
        Due::Now => reload(studio, shared, current, ctx),
        Due::Later(wait) => {
            ctx.request_repaint_after(wait);
            None
        }
        Due::Idle => None,
    }
}

/// Loads the folder again and shows the new version if it validates.
fn reload(studio: &mut Studio, shared: &mut Shared, current: Option<&Attempt>, ctx: &egui::Context) -> Show {
    let had_good = studio.session.good().is_some();
    let reloaded = studio.session.reload();
    studio.reloaded_at = chrono::Local::now().time();
    if *studio.session.source() == Source::Missing {
        // A deleted or renamed folder cannot be watched where it was: look for it again.
        studio.watcher = None;
        studio.watch_again_at = Some(Instant::now() + LOOK_FOR_FOLDER_EVERY);
        ctx.request_repaint_after(LOOK_FOR_FOLDER_EVERY);
    }
    if reloaded != Reloaded::Updated {
        return None;
    }
    // The first version that validates opens at the start, as the preview would have.
    show_good_version(studio, shared, current, !had_good)
}

/// Carries out an author's action; `current` is the attempt the player shows, if it is showing.
pub fn apply(
    studio: &mut Studio,
    action: StudioAction,
    shared: &mut Shared,
    current: Option<&Attempt>,
    ctx: &egui::Context,
) -> Show {
    match action {
        StudioAction::Reload => reload(studio, shared, current, ctx),
        StudioAction::Restart => {
            studio.show_map = false;
            show_good_version(studio, shared, current, true)
        }
        StudioAction::ToggleMap => {
            if studio.session.good().is_some() {
                studio.show_map = !studio.show_map;
            }
            None
        }
        StudioAction::GoTo(place) => go_to(studio, shared, &place, 0),
        StudioAction::Zoom(change) => {
            studio.map_view.apply(change);
            None
        }
        StudioAction::GoToProblem(i) => {
            let place = studio.session.diagnostic_place(i).cloned()?;
            go_to(studio, shared, &place, 0)
        }
    }
}

/// Puts the good version in the library, and in the player when it is showing or on `restart`:
/// at the start, or where the recorded choices of the attempt shown lead in the new version.
pub fn show_good_version(
    studio: &mut Studio,
    shared: &mut Shared,
    current: Option<&Attempt>,
    restart: bool,
) -> Show {
    let good = studio.session.good()?;
    let old = shared.entries.first().and_then(|e| e.module.as_ref().ok());
    let module = good.module.clone();
    let now = chrono::Utc::now();
    let (mut attempt, stopped, note_pending) = match (current, old) {
        (Some(attempt), Some(old)) if !restart => {
            let replayed = replay::replay(old, attempt, &module, now);
            (replayed.attempt, replayed.stopped, attempt.module_note_pending)
        }
        _ => (place::attempt_at(&module, &shared.settings.lang, None, 0, now), None, true),
    };
    let good_dir = good.dir.clone();
    studio.stopped = stopped;
    attempt.module_note_pending = note_pending && module.content_note.is_some();
    let entry = Entry { dir: good_dir, module: Ok(module), origin: Origin::Folder(ModuleSource::Preview) };
    shared.show_only(vec![entry]);
    (restart || current.is_some()).then_some(attempt)
}

/// Opens the player at `place` (or the step at `index` if the place is gone).
fn go_to(studio: &mut Studio, shared: &Shared, place: &Place, index: usize) -> Show {
    studio.show_map = false;
    studio.stopped = None;
    let good = studio.session.good()?;
    let mut attempt =
        place::attempt_at(&good.module, &shared.settings.lang, Some(place), index, chrono::Utc::now());
    // Going somewhere on purpose passes the module's content note, as a jump to a node passes the
    // scenario's.
    attempt.module_note_pending = false;
    Some(attempt)
}

/// The author sidebar: status, actions, diagnostics and the list of steps and nodes.
pub fn sidebar_ui(
    studio: &Studio,
    shared: &Shared,
    current: Option<&Attempt>,
    ui: &mut egui::Ui,
) -> Vec<StudioAction> {
    let mut actions = Vec::new();
    let s = shared.strings().studio;
    let theme = shared.settings.theme;
    let session = &studio.session;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading(s.sidebar_title);
        ui.label(
            egui::RichText::new(s.watching.replace("{dir}", &session.dir().display().to_string())).small(),
        );
        let status = match session.source() {
            Source::Current => {
                s.up_to_date.replace("{time}", &studio.reloaded_at.format("%H:%M:%S").to_string())
            }
            Source::Broken if session.good().is_some() => s.broken_save.to_owned(),
            Source::Broken => s.broken_first_load.to_owned(),
            Source::Missing => s.folder_missing.to_owned(),
        };
        let accent = match session.source() {
            Source::Current => crate::app::theme::Accent::Good,
            _ => crate::app::theme::Accent::Bad,
        };
        ui.label(egui::RichText::new(&status).color(crate::app::theme::accent(theme, accent)));
        speech::announce(ui, "studio-status", &status, Urgency::Polite);
        if let Some(error) = &studio.watch_error {
            ui.label(s.not_watching.replace("{error}", error));
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button(s.reload_now).on_hover_text("Ctrl+R").clicked() {
                actions.push(StudioAction::Reload);
            }
            if ui.add_enabled(session.good().is_some(), egui::Button::new(s.restart_attempt)).clicked() {
                actions.push(StudioAction::Restart);
            }
            let map_label = if studio.show_map { s.show_preview } else { s.show_map };
            let map_button = ui.add_enabled(session.good().is_some(), egui::Button::new(map_label));
            if map_button.on_hover_text("Ctrl+M").clicked() {
                actions.push(StudioAction::ToggleMap);
            }
        });
        ui.label(egui::RichText::new(s.preview_note).small());
        run_ui(studio, shared, current, ui);
        ui.separator();
        problems_ui(studio, shared, ui, &mut actions);
        ui.separator();
        steps_ui(studio, shared, current, ui, &mut actions);
    });
    actions
}

/// The current scenario run's score and flags (or that they are unknown), and the recorded choice
/// the last reload could not make again.
fn run_ui(studio: &Studio, shared: &Shared, current: Option<&Attempt>, ui: &mut egui::Ui) {
    let s = shared.strings().studio;
    let Some(good) = studio.session.good() else { return };
    let Some((scenario, run)) = current.and_then(|a| a.current_run(&good.module)) else { return };
    ui.separator();
    if replay::state_known(scenario, run) {
        let flags = if run.flags.is_empty() {
            s.flags_none.to_owned()
        } else {
            run.flags.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
        };
        ui.label(s.run_state.replace("{score}", &run.score.to_string()).replace("{flags}", &flags));
    } else {
        ui.label(s.state_unknown);
    }
    if let Some(gone) = &studio.stopped {
        let choice = gone.text.as_deref().unwrap_or(&gone.choice);
        let text = s.choice_gone.replace("{choice}", choice).replace("{node}", &gone.node);
        let bad = crate::app::theme::accent(shared.settings.theme, crate::app::theme::Accent::Bad);
        ui.label(egui::RichText::new(&text).color(bad));
        speech::announce(ui, "studio-choice-gone", &text, Urgency::Polite);
    }
}

/// Every diagnostic of the last reload, each a button to the step or node it is about.
fn problems_ui(studio: &Studio, shared: &Shared, ui: &mut egui::Ui, actions: &mut Vec<StudioAction>) {
    let s = shared.strings().studio;
    let diagnostics = studio.session.diagnostics();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if diagnostics.is_empty() {
        ui.label(s.no_problems);
        return;
    }
    ui.strong(
        s.problems.replace("{errors}", &errors.to_string()).replace("{warnings}", &warnings.to_string()),
    );
    let bad = crate::app::theme::accent(shared.settings.theme, crate::app::theme::Accent::Bad);
    let note = crate::app::theme::accent(shared.settings.theme, crate::app::theme::Accent::Note);
    for (i, d) in diagnostics.iter().enumerate() {
        let colour = match d.severity {
            Severity::Error => bad,
            Severity::Warning => note,
        };
        // Written as `faro validate` writes it, with the file name only: inside one module folder
        // that is enough, and the sidebar is narrow.
        let file = d.file.file_name().map_or_else(|| d.file.clone(), Into::into);
        let text = crate::diagnostic::Diagnostic { file, ..d.clone() }.to_string();
        let rich = egui::RichText::new(text).color(colour);
        if studio.session.diagnostic_place(i).is_some() {
            let button = ui.add(egui::Button::new(rich).wrap().frame(false));
            speech::describe(ui, &button, s.go_to_problem);
            if button.clicked() {
                actions.push(StudioAction::GoToProblem(i));
            }
        } else {
            ui.label(rich);
        }
    }
}

/// The module's steps, and each scenario's nodes, as buttons to preview them.
fn steps_ui(
    studio: &Studio,
    shared: &Shared,
    current: Option<&Attempt>,
    ui: &mut egui::Ui,
    actions: &mut Vec<StudioAction>,
) {
    let Some(good) = studio.session.good() else { return };
    let s = shared.strings().studio;
    let lang = shared.settings.lang.as_str();
    let here = current.and_then(|attempt| place::place_of(&good.module, attempt));
    ui.strong(s.steps);
    for (n, step) in good.module.steps.iter().enumerate() {
        let kind = match step {
            Step::Page(_) => s.page,
            Step::Scenario(_) => s.scenario,
            Step::Check(_) => s.check,
        };
        let current = here.as_ref().is_some_and(|p| p.step == step.id() && p.node.is_none());
        let mut label = format!("{}. {} ({kind})", n + 1, step.title().get(lang));
        if current {
            label.push_str(&format!(" — {}", s.current));
        }
        if ui.add(egui::Button::selectable(current, label)).clicked() {
            actions.push(StudioAction::GoTo(Place::step(step.id())));
        }
        let Step::Scenario(scenario) = step else { continue };
        ui.indent(("studio-nodes", step.id()), |ui| {
            for node in &scenario.nodes {
                let current =
                    here.as_ref().is_some_and(|p| p.step == step.id() && p.node.as_deref() == Some(&node.id));
                let text = crate::map::short_label(node.text.get(lang), 60);
                let mut label = format!("{} {}: {text}", s.node, node.id);
                if current {
                    label.push_str(&format!(" — {}", s.current));
                }
                if ui.add(egui::Button::selectable(current, label).wrap()).clicked() {
                    actions.push(StudioAction::GoTo(Place::node(&scenario.id, &node.id)));
                }
            }
        });
    }
}

/// In place of the module while no version of it has validated yet: what to do.
pub fn nothing_yet_ui(studio: &Studio, shared: &Shared, ui: &mut egui::Ui) {
    let s = shared.strings().studio;
    widgets::readable_column(ui, |ui| {
        let text = match studio.session.source() {
            Source::Missing => s.folder_missing,
            _ => s.broken_first_load,
        };
        ui.heading(s.sidebar_title);
        ui.label(text);
    });
}

/// The scenario map in place of the module: the scenario being previewed, or the module's first.
pub fn map_ui(
    studio: &mut Studio,
    shared: &Shared,
    current_step: Option<usize>,
    ui: &mut egui::Ui,
) -> Vec<StudioAction> {
    let s = shared.strings().studio;
    let theme = shared.settings.theme;
    let lang = shared.settings.lang.clone();
    let mut view = studio.map_view;
    let Some((map, scenario_id)) = studio.map_of(current_step, &lang) else {
        ui.label(s.map_no_scenario);
        return Vec::new();
    };
    let response = super::studio_map::ui(ui, map, scenario_id, &mut view, s, theme);
    studio.map_view = view;
    response.go_to.map(StudioAction::GoTo).into_iter().chain(response.zoom.map(StudioAction::Zoom)).collect()
}
