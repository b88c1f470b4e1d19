//! The data folder screen: shown at start-up when this window cannot save (another Faro window
//! has the folder, or it cannot be written), with a way to choose another folder; and the banner
//! that stays while the window is not saving.

use crate::app::command::Command;
use crate::app::shared::Shared;
use crate::app::strings::Strings;
use crate::app::theme::{Accent, accent};
use crate::app::widgets;
use crate::data::{DataProblem, WriteFailure};

/// The data folder screen's own state.
#[derive(Debug, Default)]
pub struct DataFolderScreen {
    /// A folder path typed here (for systems without a folder dialog).
    pub path_input: String,
}

impl DataFolderScreen {
    /// Draws the data folder screen.
    pub fn ui(&mut self, shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
        data_folder_ui(&mut self.path_input, shared, ui)
    }
}

fn data_folder_ui(path_input: &mut String, shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings();
    let theme = shared.settings.theme;
    let mut actions = Vec::new();
    let Some(problem) = &shared.data_problem else { return actions };
    let current = shared.config.data_dir.root().display().to_string();
    widgets::readable_column(ui, |ui| {
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
            if widgets::first_pass_of(ui, "faro-data-folder-screen") {
                choose.request_focus();
            }
            if choose.clicked() {
                actions.push(Command::ChooseDataFolder);
            }
            if ui.button(s.continue_without_saving).clicked() {
                actions.push(Command::ContinueWithoutSaving);
            }
        });
        ui.add_space(8.0);
        // Some Linux desktops have no folder dialog: a typed path always works.
        let label = ui.label(s.data_type_path);
        ui.horizontal_wrapped(|ui| {
            let field =
                ui.add(egui::TextEdit::singleline(path_input).desired_width(420.0)).labelled_by(label.id);
            let typed = ui.button(s.data_use_path).clicked() || widgets::enter_pressed_in(ui, &field);
            if typed {
                actions.push(Command::UseTypedDataFolder(path_input.clone()));
            }
        });
        if let Some(error) = &shared.data_choice_error {
            ui.colored_label(accent(theme, Accent::Bad), error);
        }
    });
    actions
}

/// The line shown above every screen but the data folder screen while this window does not save.
pub fn banner_ui(shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings();
    let mut actions = Vec::new();
    let Some(problem) = &shared.data_problem else { return actions };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(accent(shared.settings.theme, Accent::Bad), s.not_saving_banner);
            ui.label(s.data_unwritable.replace("{reason}", &reason_text(problem, s)));
            if ui.button(s.choose_data_folder).clicked() {
                actions.push(Command::ChooseDataFolder);
            }
            // Where the system has no folder dialog, a typed path always works.
            if ui.button(s.type_data_folder).clicked() {
                actions.push(Command::TypeDataFolder);
            }
        });
        if let Some(error) = &shared.data_choice_error {
            ui.colored_label(accent(shared.settings.theme, Accent::Bad), error);
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
