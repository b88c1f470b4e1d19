//! The typed-path field that stands in for the system's file dialog where there is none (see
//! `app::file_dialog`): a labelled field that has the focus when it opens, OK (or Enter) and
//! Cancel, and why the last path typed could not be used.

use crate::app::command::Command;
use crate::app::file_dialog::{PathPrompt, PathPurpose};
use crate::app::shared::Shared;
use crate::app::theme::{Accent, accent};
use crate::app::widgets;

/// Draws the typed-path field over the screen while it is open.
pub fn ui(prompt: &mut PathPrompt, shared: &Shared, ctx: &egui::Context) -> Vec<Command> {
    let s = shared.strings();
    let t = s.tools;
    let mut actions = Vec::new();
    let (title, label) = match prompt.purpose {
        PathPurpose::ImportPack => (s.import_pack, s.path_prompt_pack),
        PathPurpose::DataFolder => (s.choose_data_folder, s.path_prompt_folder),
        PathPurpose::Certificate(_) => (s.certificate_save_copy, s.path_prompt_certificate),
        PathPurpose::Records => (s.choose_records, s.path_prompt_records),
        PathPurpose::ModuleFolders => (t.choose_folders, s.path_prompt_module_folder),
        PathPurpose::KeyBackupFolder => (t.key_backup_title, s.path_prompt_backup_folder),
        PathPurpose::PackOutputFolder => (t.choose_output_folder, s.path_prompt_output_folder),
    };
    let modal = egui::Modal::new(egui::Id::unique("faro-path-prompt")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(title.trim_end_matches('…'));
        ui.add_space(6.0);
        // The label names the field for a screen reader and says what to type.
        let label = ui.label(label);
        let field =
            ui.add(egui::TextEdit::singleline(&mut prompt.input).desired_width(520.0)).labelled_by(label.id);
        if widgets::first_pass_of(ui, "faro-path-prompt") {
            widgets::speech::take_focus(ui, &field);
        }
        let entered = widgets::enter_pressed_in(ui, &field);
        if let Some(error) = &prompt.error {
            ui.colored_label(accent(shared.settings.theme, Accent::Bad), error);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.add(crate::app::theme::primary_button(shared.settings.theme, s.path_ok)).clicked()
                || entered
            {
                actions.push(Command::PathPromptOk);
            }
            if ui.button(s.cancel).clicked() {
                actions.push(Command::PathPromptCancel);
            }
        });
    });
    if modal.should_close() && actions.is_empty() {
        actions.push(Command::PathPromptCancel);
    }
    actions
}
