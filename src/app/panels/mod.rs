//! What stays around every screen: the top bar, the help panel and the notices.

pub mod help;
pub mod top_bar;

use crate::app::command::Command;
use crate::app::shared::Shared;
use crate::app::theme::{self, Accent};
use crate::app::widgets::speech;

/// The notices above the screen (damaged files set aside, save failures, installs), each with a
/// button to dismiss it. The button carries its notice as its accessible description, and a notice
/// that appears while the window is open (an install's result, an export, a failed save) takes the
/// keyboard focus on its button: a screen reader then reads it (Orca 43 does not speak live
/// regions), and Enter dismisses it.
pub fn notices_ui(shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings();
    let mut commands = Vec::new();
    let arrived = new_notice(ui.ctx(), &shared.notices);
    for (i, notice) in shared.notices.iter().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(theme::accent(shared.settings.theme, Accent::Note), notice);
                // Per notice, so a screen reader sees a new widget (not a renamed one) for each.
                let dismiss = ui.push_id(notice, |ui| ui.button(s.dismiss)).inner;
                speech::describe(ui, &dismiss, notice);
                if arrived == Some(i) {
                    speech::take_focus(ui, &dismiss);
                    dismiss.scroll_to_me(None);
                }
                if dismiss.clicked() {
                    commands.push(Command::DismissNotice(i));
                }
            });
        });
    }
    commands
}

/// The notice to give the focus to in this pass: the last one, when notices changed since the
/// last pass (one arrived, or one was dismissed and others remain, so the focus stays among them).
/// Notices already there when the window opens take no focus: the screen's own landing comes first.
fn new_notice(ctx: &egui::Context, notices: &[String]) -> Option<usize> {
    let key = egui::Id::unique("faro-notices-last-pass");
    let before = ctx.data_mut(|d| {
        let before = d.get_temp::<Vec<String>>(key);
        d.insert_temp(key, notices.to_vec());
        before
    })?;
    (!notices.is_empty() && before != notices).then(|| notices.len() - 1)
}
