//! One file per screen; each draws from state and returns [`Action`]s.

mod about;
mod coordinator;
pub mod coordinator_lock;
mod coordinator_tools;
mod data_folder;
mod help;
mod library;
pub mod pack_builder;
mod pack_builder_ui;
mod page;
mod player;
mod start;
mod top_bar;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::{Action, FaroApp, Screen};
use crate::progress::Event;

/// Quick exit: leaves module content for the neutral library at once.
const QUICK_EXIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Escape);
const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);
const BREAK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::B);
const BACK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowLeft);
const NEXT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowRight);
const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
const ZOOM_IN_EQUALS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
const ZOOM_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
const NUMBER_KEYS: [Key; 9] =
    [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5, Key::Num6, Key::Num7, Key::Num8, Key::Num9];

/// Global keyboard shortcuts.
pub fn keyboard(app: &FaroApp, ctx: &egui::Context) -> Vec<Action> {
    let mut actions = Vec::new();
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input_mut(|i| {
        if i.consume_shortcut(&HELP) {
            actions.push(Action::ToggleHelp);
        }
        if i.consume_shortcut(&ZOOM_IN) || i.consume_shortcut(&ZOOM_IN_EQUALS) {
            actions.push(Action::Zoom(app.settings.zoom + 0.1));
        }
        if i.consume_shortcut(&ZOOM_OUT) {
            actions.push(Action::Zoom(app.settings.zoom - 0.1));
        }
        if i.consume_shortcut(&ZOOM_RESET) {
            actions.push(Action::Zoom(1.0));
        }
        // Quick exit also leaves the coordinator's screens, and locks them again.
        if matches!(app.screen, Screen::Coordinator(_) | Screen::PackBuilder(_))
            && i.consume_shortcut(&QUICK_EXIT)
        {
            actions.push(Action::QuickExit);
            return;
        }
        let Screen::Player(player) = &app.screen else { return };
        if i.consume_shortcut(&QUICK_EXIT) {
            actions.push(Action::QuickExit);
            return;
        }
        if i.consume_shortcut(&BREAK) {
            actions.push(Action::ToLibrary);
            return;
        }
        if i.consume_shortcut(&BACK) {
            actions.push(Action::Journey(Event::Back));
        }
        if i.consume_shortcut(&NEXT) {
            actions.push(Action::Journey(Event::Next));
        }
        if typing {
            return;
        }
        let Some(Ok(module)) = app.entries.get(player.entry).map(|e| &e.module) else { return };
        // On a content note, Enter means "I am ready, continue".
        if !player.note_read {
            if i.consume_key(Modifiers::NONE, Key::Enter) {
                actions.push(Action::ReadModuleNote);
            }
            return;
        }
        let note_pending = player.attempt.current_run(module).is_some_and(|(_, r)| !r.note_acknowledged);
        if note_pending {
            if i.consume_key(Modifiers::NONE, Key::Enter) {
                actions.push(Action::Journey(Event::AcknowledgeNote));
            }
            return;
        }
        let offered = player.attempt.offered_choices(module);
        for (key, choice) in NUMBER_KEYS.iter().zip(offered) {
            if i.consume_key(Modifiers::NONE, *key) {
                actions.push(Action::Journey(Event::Choose(choice.id.clone())));
            }
        }
    });
    actions
}

/// Draws the whole window: top bar, notices, help panel, and the current screen.
pub fn frame_ui(app: &mut FaroApp, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    let dropped: Vec<std::path::PathBuf> = ui.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_owned())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    // Dropped packs are offered for install; dropped records files go to the coordinator.
    let (packs, records): (Vec<_>, Vec<_>) =
        dropped.into_iter().partition(|p| p.extension().is_some_and(|e| e == crate::pack::PACK_EXTENSION));
    actions.extend(packs.into_iter().map(Action::OfferPack));
    if !records.is_empty() {
        if !matches!(app.screen, Screen::Coordinator(_)) {
            actions.push(Action::OpenCoordinator);
        }
        actions.push(Action::ImportRecords(records));
    }
    egui::Panel::top("top_bar").show(ui, |ui| actions.extend(top_bar::ui(app, ui)));
    if app.help_open {
        egui::Panel::right("help")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| actions.extend(help::ui(app, ui)));
    }
    egui::CentralPanel::default().show(ui, |ui| {
        actions.extend(data_folder::banner_ui(app, ui));
        actions.extend(notices_ui(app, ui));
        let more = match &app.screen {
            Screen::Start => start::ui(app, ui),
            Screen::Library => library::ui(app, ui),
            Screen::Player(_) => player::ui(app, ui),
            Screen::Coordinator(_) => coordinator_lock::gated(app, ui, coordinator::ui),
            Screen::PackBuilder(_) => coordinator_lock::gated(app, ui, pack_builder_ui::ui),
            Screen::DataFolder => data_folder::ui(app, ui),
            Screen::About(_) => about::ui(app, ui),
        };
        actions.extend(more);
    });
    actions
}

fn notices_ui(app: &FaroApp, ui: &mut egui::Ui) -> Vec<Action> {
    let s = app.strings();
    let mut actions = Vec::new();
    for (i, notice) in app.notices.iter().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    super::theme::accent(app.settings.theme, super::theme::Accent::Note),
                    notice,
                );
                if ui.button(s.dismiss).clicked() {
                    actions.push(Action::DismissNotice(i));
                }
            });
        });
    }
    actions
}

/// Whether the widget group named `key` was not drawn in the previous pass: it has just been
/// shown, so this is the pass to move the keyboard focus into it.
pub fn first_pass_of(ui: &egui::Ui, key: &str) -> bool {
    let id = egui::Id::unique(("faro-last-pass", key));
    let pass = ui.ctx().cumulative_pass_nr();
    let last = ui.ctx().data_mut(|d| {
        let last = d.get_temp::<u64>(id);
        d.insert_temp(id, pass);
        last
    });
    last.is_none_or(|last| last + 1 != pass)
}

/// A centred column of readable width.
pub fn readable_column<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let width = ui.available_width().min(760.0);
    let margin = ((ui.available_width() - width) / 2.0).max(0.0);
    ui.horizontal(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_width(width);
            add(ui)
        })
        .inner
    })
    .inner
}

/// Whether Enter was pressed in this single-line field this frame. egui's usual
/// `lost_focus() && key_pressed(Enter)` is not enough: on the start screen the name field keeps
/// its focus through the Enter press (egui 0.37), so that check never fired and Enter did nothing
/// (`tests/viewer.rs` covers it). Checking "has or just lost focus" catches both behaviours.
fn enter_pressed_in(ui: &egui::Ui, field: &egui::Response) -> bool {
    (field.has_focus() || field.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter))
}
