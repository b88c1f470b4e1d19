//! Coordinator: import records files from many laptops; the training matrix (who is trained in
//! what, right now), the per-record roster, and plots.
//!
//! The screen owns its state ([`Coordinator`]) and carries out its own actions
//! ([`Coordinator::apply`]); `app/mod.rs` only routes [`Action::Coordinator`] here.

mod history;
mod laptops;
mod matrix;
mod roster;

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::app::command::{Command, Request};
use crate::app::coordinator_lock::CoordinatorLock;
use crate::app::records_import::ImportJob;
use crate::app::shared::Shared;
use crate::app::widgets::{self, speech};
use crate::app::worker::Finished;
use crate::records::{
    DEFAULT_EXPIRING_DAYS, Laptop, LearnerOrder, MatrixOptions, MergeOptions, Roster, RowStatus,
    TrainingMatrix,
};

/// Which view of the merged records shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// Learners × modules, the current status of each.
    #[default]
    Matrix,
    /// One row per record, with statistics.
    Records,
    /// The laptops behind the records: their names, when they last reported.
    Laptops,
}

/// Whose records the history shows: a learner (by id), in one module or in all of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryTarget {
    pub learner: String,
    pub module: Option<String>,
}

/// The coordinator's view: records files imported, the merged roster and matrix, and filters.
pub struct Coordinator {
    pub sources: Vec<PathBuf>,
    pub roster: Option<Roster>,
    /// Built from `roster`; cells point at its rows.
    pub matrix: Option<TrainingMatrix>,
    /// The laptops behind `roster`, the longest silent first.
    pub laptops: Vec<Laptop>,
    pub path_input: String,
    pub view: View,
    /// Records view: only rows with this status.
    pub filter: Option<RowStatus>,
    /// Both views: only learners whose name contains this text.
    pub name_filter: String,
    /// Matrix view: only learners due before this day, as typed (YYYY-MM-DD).
    pub due_input: String,
    pub order: LearnerOrder,
    /// Matrix view: the first module column shown when they do not all fit the window.
    pub first_module: usize,
    /// A pass is expiring this many days before its last valid day.
    pub expiring_days: u32,
    /// The history being shown, if any.
    pub history: Option<HistoryTarget>,
    /// The xAPI home page as edited here; `None` until edited (the saved one is shown).
    pub home_page_input: Option<String>,
    /// This laptop's name as edited here; `None` until edited (the saved one is shown).
    pub device_label_input: Option<String>,
    /// How many imports were done, so the screen can tell the pass that follows one.
    pub imports: u32,
    /// The import running on a worker thread, if any; its files are already in `sources`.
    pub importing: Option<ImportJob>,
    /// Files arrived while `importing` ran: merge all the sources again when it is done.
    import_again: bool,
    /// A test hook: imports wait, once they have counted their files, until it is released.
    #[cfg(feature = "test-hooks")]
    pub import_gate: Option<crate::app::LoadGate>,
}

impl Default for Coordinator {
    fn default() -> Self {
        Self {
            sources: Vec::new(),
            roster: None,
            matrix: None,
            laptops: Vec::new(),
            path_input: String::new(),
            view: View::default(),
            filter: None,
            name_filter: String::new(),
            due_input: String::new(),
            order: LearnerOrder::default(),
            first_module: 0,
            expiring_days: DEFAULT_EXPIRING_DAYS,
            history: None,
            home_page_input: None,
            device_label_input: None,
            imports: 0,
            importing: None,
            import_again: false,
            #[cfg(feature = "test-hooks")]
            import_gate: None,
        }
    }
}

/// Something the coordinator asked for on this screen.
#[derive(Clone, Debug, PartialEq)]
pub enum CoordinatorAction {
    /// Add records files or folders and merge again.
    Import(Vec<PathBuf>),
    /// Choose records files (the app asks: the system's file dialog, or the typed-path field).
    PickFiles,
    ShowView(View),
    /// Records view: show only rows with this status (or all).
    FilterRecords(Option<RowStatus>),
    SortLearners(LearnerOrder),
    /// Matrix view: show the module columns from this one on.
    ShowModules(usize),
    SetExpiringDays(u32),
    ShowHistory(HistoryTarget),
    CloseHistory,
}

impl Coordinator {
    /// Carries out one action; `today` is the day validity is judged on. An import runs on a
    /// worker thread, which asks `ctx` for a repaint as it goes.
    pub fn apply(&mut self, action: CoordinatorAction, today: NaiveDate, ctx: &egui::Context) {
        match action {
            CoordinatorAction::Import(paths) => self.import(paths, today, ctx),
            // The app asks for the files and sends them back as `Import`.
            CoordinatorAction::PickFiles => {}
            CoordinatorAction::ShowView(view) => self.view = view,
            CoordinatorAction::FilterRecords(filter) => self.filter = filter,
            CoordinatorAction::SortLearners(order) => self.order = order,
            CoordinatorAction::ShowModules(first) => self.first_module = first,
            CoordinatorAction::SetExpiringDays(days) => {
                self.expiring_days = days;
                self.build_matrix(today);
            }
            CoordinatorAction::ShowHistory(target) => self.history = Some(target),
            CoordinatorAction::CloseHistory => self.history = None,
        }
    }

    /// Adds the paths to the sources and merges them all again on a worker thread. The screen
    /// offers no import while one runs, but files dropped on the window meanwhile still arrive:
    /// they are merged, with the others, as soon as the running import is done.
    fn import(&mut self, paths: Vec<PathBuf>, today: NaiveDate, ctx: &egui::Context) {
        for p in paths {
            if !self.sources.contains(&p) {
                self.sources.push(p);
            }
        }
        if self.importing.is_some() {
            self.import_again = true;
        } else {
            self.start_import(today, ctx);
        }
    }

    fn start_import(&mut self, today: NaiveDate, ctx: &egui::Context) {
        let merge = MergeOptions { as_of: today, trust: None };
        let matrix = MatrixOptions { as_of: today, expiring_days: self.expiring_days };
        #[cfg(feature = "test-hooks")]
        let gate = self.import_gate.clone();
        #[cfg(not(feature = "test-hooks"))]
        let gate = None;
        self.importing = Some(ImportJob::start(self.sources.clone(), (merge, matrix), ctx, gate));
        self.path_input.clear();
    }

    /// Takes the finished import's roster and matrix, if the worker has them, and starts the
    /// import of files that arrived meanwhile.
    pub fn receive_import(&mut self, today: NaiveDate, ctx: &egui::Context) {
        let Some(job) = &self.importing else { return };
        match job.try_take() {
            Finished::Pending => return,
            Finished::Done(imported) => {
                self.roster = Some(imported.roster);
                self.matrix = Some(imported.matrix);
                self.laptops = imported.laptops;
                self.imports += 1;
            }
            // A bug; the sources stay, so Import again retries.
            Finished::Lost => {}
        }
        self.importing = None;
        if std::mem::take(&mut self.import_again) {
            self.start_import(today, ctx);
        }
    }

    fn build_matrix(&mut self, today: NaiveDate) {
        let options = MatrixOptions { as_of: today, expiring_days: self.expiring_days };
        self.matrix = self.roster.as_ref().map(|roster| TrainingMatrix::build(roster, &options));
    }

    /// What the "due before" field holds.
    pub fn due_before(&self) -> DueInput {
        let text = self.due_input.trim();
        if text.is_empty() {
            return DueInput::Empty;
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_or(DueInput::NotADate, DueInput::Date)
    }
}

/// The "due before" field, read: nothing typed, a day, or text that is not (yet) a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueInput {
    Empty,
    Date(NaiveDate),
    NotADate,
}

impl DueInput {
    /// The day to filter by, if there is one.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            DueInput::Date(d) => Some(d),
            DueInput::Empty | DueInput::NotADate => None,
        }
    }
}

/// The settings of exports from this laptop, below the day-to-day import: the xAPI home page
/// and the laptop's name in its records files.
fn settings_ui(
    ui: &mut egui::Ui,
    s: &crate::app::strings::Strings,
    lock: &CoordinatorLock,
    c: &mut Coordinator,
) -> Option<Command> {
    let t = &s.tools;
    let home_page = (t.home_page_label, t.home_page_default, t.home_page_save);
    let saved = lock.settings.xapi_home_page.as_deref();
    let home_page = setting_ui(ui, home_page, saved, &mut c.home_page_input).map(Command::SaveXapiHomePage);
    let laptop = (t.device_label, t.device_label_hint, t.device_label_save);
    let saved = lock.settings.device_label.as_deref();
    let laptop = setting_ui(ui, laptop, saved, &mut c.device_label_input).map(Command::SaveDeviceLabel);
    home_page.or(laptop)
}

/// One setting: its label, a field showing the saved value until edited, and a Save button
/// (Enter in the field saves too). Returns the text to save.
fn setting_ui(
    ui: &mut egui::Ui,
    (label, hint, save): (&str, &str, &str),
    saved: Option<&str>,
    input: &mut Option<String>,
) -> Option<String> {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(label);
        let mut text = input.clone().unwrap_or_else(|| saved.unwrap_or_default().to_owned());
        let edit = ui
            .add(egui::TextEdit::singleline(&mut text).hint_text(hint).desired_width(320.0))
            .labelled_by(label.id);
        if edit.changed() {
            *input = Some(text.clone());
        }
        let save = ui.button(save).clicked() || widgets::enter_pressed_in(ui, &edit);
        save.then(|| {
            *input = None;
            text
        })
    })
    .inner
}

/// The import's progress bar: files read of all the files. Its text is its accessible value;
/// the worker asks for a repaint only when a whole percent is done, so it costs no idle frames.
fn import_progress_ui(ui: &mut egui::Ui, s: &crate::app::strings::Strings, (done, total): (usize, usize)) {
    let text =
        s.importing_records.replace("{done}", &done.to_string()).replace("{total}", &total.to_string());
    let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
    let response = ui.add(egui::ProgressBar::new(fraction).text(text).desired_width(360.0));
    widgets::progress_value(ui, &response, done, total);
}

/// Whether this is the first pass after an import (the count of imports changed).
fn just_imported(ctx: &egui::Context, imports: u32) -> bool {
    let key = egui::Id::unique("faro-coordinator-imports");
    let before = ctx.data_mut(|d| {
        let before = d.get_temp::<u32>(key);
        d.insert_temp(key, imports);
        before
    });
    before.unwrap_or(0) != imports
}

/// Draws the coordinator screen.
pub fn ui(
    c: &mut Coordinator,
    shared: &Shared,
    lock: &CoordinatorLock,
    ui: &mut egui::Ui,
) -> Vec<Request<CoordinatorAction>> {
    let s = shared.strings();
    let theme = shared.settings.theme;
    let lang = shared.settings.lang.clone();
    let data_root = shared.config.data_dir.root().to_owned();
    let today = shared.config.today;
    let mut actions = Vec::new();
    // The lock and the pack builder: app actions, apart from the screen's own.
    let mut tools = Vec::new();
    c.receive_import(today, ui.ctx());
    let imported = just_imported(ui.ctx(), c.imports);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading(s.coordinator);
        ui.label(s.coordinator_intro);
        tools.extend(super::coordinator_tools::tools_ui(ui, s, lock));
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(s.records_path);
            let edit = ui
                .add(egui::TextEdit::singleline(&mut c.path_input).desired_width(360.0))
                .labelled_by(label.id);
            // Opening the screen, the focus lands where records are brought in.
            crate::app::widgets::speech::landing(ui, &edit, None);
            // After an import, the field keeps the focus and says what was imported; the matrix's
            // first learner, when there is one, takes the focus below with the same words.
            if let Some(roster) = &c.roster {
                speech::describe(ui, &edit, &roster::summary_text(s, roster, c.sources.len()));
                if imported {
                    edit.request_focus();
                }
            }
            // One import at a time: while one runs, the buttons wait for it.
            let idle = c.importing.is_none();
            let entered = idle && widgets::enter_pressed_in(ui, &edit);
            if (ui.add_enabled(idle, egui::Button::new(s.import)).clicked() || entered)
                && !c.path_input.trim().is_empty()
            {
                actions.push(CoordinatorAction::Import(vec![PathBuf::from(c.path_input.trim())]));
            }
            if ui.add_enabled(idle, egui::Button::new(s.choose_records)).clicked() {
                actions.push(CoordinatorAction::PickFiles);
            }
            if ui.add_enabled(idle, egui::Button::new(s.import_this_laptop)).clicked() {
                actions.push(CoordinatorAction::Import(vec![data_root.join("learners")]));
            }
        });
        if let Some(job) = &c.importing {
            import_progress_ui(ui, s, job.progress());
        }
        ui.small(s.drop_hint);
        tools.extend(settings_ui(ui, s, lock, c));
        ui.separator();
        let Some(roster) = &c.roster else {
            ui.label(s.no_records);
            return;
        };
        roster::summary_ui(s, ui, roster, c.sources.len());
        ui.horizontal_wrapped(|ui| {
            let views = [
                (View::Matrix, s.view_matrix),
                (View::Records, s.view_records),
                (View::Laptops, s.view_laptops),
            ];
            for (view, name) in views {
                if ui.selectable_label(c.view == view, name).clicked() {
                    actions.push(CoordinatorAction::ShowView(view));
                }
            }
            ui.add_space(16.0);
            let label = ui.label(s.search_name);
            ui.add(egui::TextEdit::singleline(&mut c.name_filter).desired_width(200.0)).labelled_by(label.id);
        });
        let result = roster::summary_text(s, roster, c.sources.len());
        match c.view {
            View::Matrix => matrix::ui(s, theme, &lang, ui, c, (&result, imported), &mut actions),
            View::Records => roster::ui(s, theme, ui, c, &mut actions),
            View::Laptops => laptops::ui(s, ui, &c.laptops, today),
        }
        crate::app::widgets::scroll_focus_into_view(ui);
    });
    history::ui(s, &lang, ui, c, &mut actions);
    let mut requests: Vec<Request<CoordinatorAction>> = tools.into_iter().map(Request::App).collect();
    requests.extend(actions.into_iter().map(Request::Screen));
    requests
}
