//! The row of tools at the top of the Coordinator screen: build a pack, and the lock's buttons.

use crate::app::command::Command;
use crate::app::strings::Strings;
use crate::coordinator_settings::Lock;

use crate::app::command::LockAction;
use crate::app::coordinator_lock::CoordinatorLock;

/// Draws the tools row.
pub fn tools_ui(ui: &mut egui::Ui, s: &Strings, lock: &CoordinatorLock) -> Vec<Command> {
    let s = s.tools;
    let mut actions = Vec::new();
    ui.horizontal_wrapped(|ui| {
        if ui.button(s.build_pack).clicked() {
            actions.push(Command::OpenPackBuilder);
        }
        match lock.settings.lock {
            Lock::Passphrase(_) => {
                if ui.button(s.lock_now).clicked() {
                    actions.push(Command::Lock(LockAction::LockNow));
                }
                if ui.button(s.remove_passphrase).clicked() {
                    actions.push(Command::Lock(LockAction::RemovePassphrase));
                }
            }
            Lock::NoPassphrase => {
                if ui.button(s.set_passphrase_later).clicked() {
                    actions.push(Command::Lock(LockAction::OfferPassphrase));
                }
            }
            Lock::Damaged { .. } => {}
        }
    });
    actions
}
