//! What stays around every screen: the top bar, the help panel and the notices.

pub mod help;
pub mod top_bar;

use crate::app::command::Command;
use crate::app::shared::Shared;
use crate::app::theme::{self, Accent};

/// The notices above the screen (damaged files set aside, save failures, installs), each with a
/// button to dismiss it.
pub fn notices_ui(shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings();
    let mut commands = Vec::new();
    for (i, notice) in shared.notices.iter().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(theme::accent(shared.settings.theme, Accent::Note), notice);
                if ui.button(s.dismiss).clicked() {
                    commands.push(Command::DismissNotice(i));
                }
            });
        });
    }
    commands
}
