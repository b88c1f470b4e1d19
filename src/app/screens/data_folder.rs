//! The data folder screen: shown at start-up when this window cannot save (another Faro window
//! has the folder, or it cannot be written), with a way to choose another folder; and the banner
//! that stays while the window is not saving.

use std::path::PathBuf;

use crate::app::strings::Strings;
use crate::app::theme::{Accent, accent};
use crate::app::{Action, FaroApp, Screen};
use crate::locations::DataLocation;
use crate::progress::{DataDir, DataProblem, WriteFailure};

/// Draws the data folder screen.
pub fn ui(app: &mut FaroApp, ui: &mut egui::Ui) -> Vec<Action> {
    let s = app.strings();
    let theme = app.settings.theme;
    let mut actions = Vec::new();
    let Some(problem) = &app.data_problem else { return actions };
    let current = app.config.data_dir.root().display().to_string();
    super::readable_column(ui, |ui| {
        ui.add_space(12.0);
        ui.heading(s.data_title);
        ui.add_space(8.0);
        let (explanation, what_to_do) = match problem {
            DataProblem::InUse(_) => (s.data_in_use.to_owned(), s.data_what_to_do),
            DataProblem::Unwritable { .. } => (
                s.data_unwritable.replace("{reason}", &reason_text(problem, s)),
                s.data_what_to_do_unwritable,
            ),
        };
        ui.label(&explanation);
        ui.label(s.data_folder_is.replace("{dir}", &current));
        ui.label(s.data_nothing_lost);
        ui.add_space(8.0);
        ui.label(what_to_do);
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            // The explanation rides on the focused button as its description, so a screen reader
            // says why the screen is here, not only the button's name.
            let choose = ui
                .add(crate::app::theme::primary_button(theme, s.choose_data_folder))
                .on_hover_text(format!("{explanation} {}", s.data_nothing_lost));
            // Keyboard and screen-reader users start on the way out.
            if super::first_pass_of(ui, "faro-data-folder-screen") {
                choose.request_focus();
            }
            if choose.clicked() {
                actions.push(Action::ChooseDataFolder);
            }
            if ui.button(s.continue_without_saving).clicked() {
                actions.push(Action::ContinueWithoutSaving);
            }
        });
        ui.add_space(8.0);
        // Some Linux desktops have no folder dialog: a typed path always works.
        let label = ui.label(s.data_type_path);
        ui.horizontal_wrapped(|ui| {
            let field = ui
                .add(egui::TextEdit::singleline(&mut app.data_path_input).desired_width(420.0))
                .labelled_by(label.id);
            let typed = ui.button(s.data_use_path).clicked() || super::enter_pressed_in(ui, &field);
            if typed && !app.data_path_input.trim().is_empty() {
                actions.push(Action::UseDataFolder(PathBuf::from(app.data_path_input.trim())));
            }
        });
        if let Some(error) = &app.data_choice_error {
            ui.colored_label(accent(theme, Accent::Bad), error);
        }
    });
    actions
}

/// The line shown above every screen while this window does not save.
pub fn banner_ui(app: &FaroApp, ui: &mut egui::Ui) -> Vec<Action> {
    let s = app.strings();
    let mut actions = Vec::new();
    let Some(problem) = &app.data_problem else { return actions };
    if matches!(app.screen, Screen::DataFolder) {
        return actions;
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(accent(app.settings.theme, Accent::Bad), s.not_saving_banner);
            ui.label(s.data_unwritable.replace("{reason}", &reason_text(problem, s)));
            if ui.button(s.choose_data_folder).clicked() {
                actions.push(Action::ChooseDataFolder);
            }
        });
        if let Some(error) = &app.data_choice_error {
            ui.colored_label(accent(app.settings.theme, Accent::Bad), error);
        }
    });
    actions
}

/// Why a folder cannot be used, in the learner's language (the system's own message, which is
/// usually English, only when the case is not one of the known ones).
pub fn reason_text(problem: &DataProblem, s: &Strings) -> String {
    match problem {
        DataProblem::InUse(_) => s.data_reason_in_use.to_owned(),
        DataProblem::Unwritable { failure, reason, .. } => match failure {
            WriteFailure::IsAFile => s.data_reason_is_file.to_owned(),
            WriteFailure::PathHasAFile => s.data_reason_path_file.to_owned(),
            WriteFailure::ReadOnly => s.data_reason_read_only.to_owned(),
            WriteFailure::PermissionDenied => s.data_reason_permission.to_owned(),
            WriteFailure::DiskFull => s.data_reason_full.to_owned(),
            WriteFailure::Other => reason.clone(),
        },
    }
}

impl FaroApp {
    /// Moves to another data folder, which must be writable and not in use.
    ///
    /// - An empty folder receives a copy of everything saved in the current one (nothing in
    ///   either folder is overwritten), then what this window holds (settings, learners, progress,
    ///   which may be newer than the copies) is saved there.
    /// - A folder that already holds Faro data (the one chosen last time the stick was read-only)
    ///   is used as it is: the window reloads from it, and nothing saved there is replaced by the
    ///   older copies in the current folder. What this window did without saving is not kept,
    ///   as the banner said.
    pub(crate) fn use_data_folder(&mut self, dir: PathBuf) {
        let s = self.strings();
        let new = DataDir::at(dir.clone());
        if new.root() == self.config.data_dir.root() && self.data_problem.is_none() {
            return;
        }
        let lock = match new.claim() {
            Ok(lock) => lock,
            Err(problem) => {
                self.data_choice_error =
                    Some(s.data_choose_failed.replace("{reason}", &reason_text(&problem, s)));
                return;
            }
        };
        let mut config = self.config.clone();
        config.data_dir = new.clone();
        config.data_location = Some(DataLocation::Chosen(dir.clone()));
        if new.has_data() {
            // Reopen on the folder's own data; the new window takes the lock itself.
            drop(lock);
            let renderer = self.renderer.take();
            *self = FaroApp::new(config);
            self.renderer = renderer;
            self.notices.push(s.data_reopened.replace("{dir}", &dir.display().to_string()));
            return;
        }
        let copied = match self.config.data_dir.copy_into(&new) {
            Ok(n) => n,
            Err(e) => {
                self.data_choice_error = Some(s.data_choose_failed.replace("{reason}", &e.to_string()));
                return;
            }
        };
        self.config = config;
        self.data_lock = Some(lock);
        self.data_problem = None;
        self.data_choice_error = None;
        // The coordinator settings were copied too: read them where they now live (which also
        // asks for the passphrase again).
        self.coordinator_lock = crate::app::CoordinatorLock::load(&self.config.data_dir, true);
        self.save_settings();
        self.save_profiles();
        if let Some(learner) = self.learner.clone() {
            self.save(|app| {
                app.attempts.values().try_for_each(|a| app.config.data_dir.save_attempt(&learner, a))
            });
        }
        self.save_current();
        if matches!(self.screen, Screen::DataFolder) {
            self.screen = self.home_screen();
        }
        self.notices.push(
            s.data_moved.replace("{dir}", &dir.display().to_string()).replace("{count}", &copied.to_string()),
        );
        if !matches!(self.screen, Screen::Player(_)) {
            self.reload_library();
        }
    }
}
