//! One file per screen; each draws from state and returns [`Action`]s.

mod about;
pub mod coordinator;
pub mod coordinator_lock;
mod coordinator_tools;
mod data_folder;
mod help;
mod library;
mod markdown;
pub mod pack_builder;
mod pack_builder_ui;
mod pack_offer;
mod page;
mod player;
mod speech;
mod start;
pub mod studio;
mod studio_map;
mod top_bar;

use egui::{Key, KeyboardShortcut, Modifiers};

pub use pack_offer::{PendingPack, PendingStep};

use super::{Action, FaroApp, Screen};
use crate::progress::Event;

pub use speech::arm_landing;

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
    // Only a text field takes the keys for itself: a focused button (where the focus lands
    // after every transition) leaves the number keys to the choices.
    let typing = ctx.text_edit_focused();
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
        if app.studio.is_some() {
            actions.extend(studio::keyboard(i));
        }
        // Quick exit also leaves the coordinator's screens, and locks them again; but with a
        // learner's history open there, Escape closes that window first (as a window's Escape
        // does), and a second Escape leaves.
        let history_open = matches!(&app.screen, Screen::Coordinator(c) if c.history.is_some());
        if matches!(app.screen, Screen::Coordinator(_) | Screen::PackBuilder(_))
            && !history_open
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
    follow_focus(ui.ctx());
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
        actions.push(Action::Coordinator(coordinator::CoordinatorAction::Import(records)));
    }
    egui::Panel::top("top_bar").show(ui, |ui| actions.extend(top_bar::ui(app, ui)));
    if app.help_open {
        egui::Panel::right("help")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| actions.extend(help::ui(app, ui)));
        name_resize_handle(ui, "help", app.strings().resize_panel);
    }
    if app.studio.is_some() {
        egui::Panel::left("studio")
            .resizable(true)
            .default_size(340.0)
            .show(ui, |ui| actions.extend(studio::sidebar_ui(app, ui)));
        name_resize_handle(ui, "studio", app.strings().resize_panel);
    }
    let show_map = app.studio.as_ref().is_some_and(|s| s.show_map);
    let nothing_to_preview = app.studio.as_ref().is_some_and(|s| s.session.good().is_none());
    egui::CentralPanel::default().show(ui, |ui| {
        actions.extend(data_folder::banner_ui(app, ui));
        actions.extend(notices_ui(app, ui));
        let more = match &app.screen {
            _ if nothing_to_preview => studio::nothing_yet_ui(app, ui),
            _ if show_map => studio::map_ui(app, ui),
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
    actions.extend(pack_offer::confirm_replace_ui(app, ui.ctx()));
    speech::lapse_landing(ui.ctx());
    actions
}

/// egui names a panel's resize handle in English ("Resize panel"); this names it in the UI
/// language. The id is egui's: the panel's id (scope and salt) with "__resize".
fn name_resize_handle(ui: &egui::Ui, panel: &str, name: &'static str) {
    let handle = ui.scope_id().with_salt(egui::IdSalt::new(panel)).with("__resize");
    if ui.ctx().has_accesskit_node(handle) {
        ui.ctx().accesskit_node_builder(handle, |node| node.set_label(name));
    }
}

/// Keeps the keyboard focus where a keyboard or screen-reader user can follow it:
/// - egui drops the focus when Escape is pressed (closing a list, or anywhere outside a module,
///   where Escape is not Quick exit), which leaves a screen reader on the bare window: the focus
///   goes back to the widget that had it, if that widget is still on screen;
/// - when the focus moved since the last pass (Tab, a landing), the widget that has it is
///   scrolled into view: egui moves the focus but does not scroll to it.
fn follow_focus(ctx: &egui::Context) {
    let key = egui::Id::unique("faro-focus-last-pass");
    let mut focused = ctx.memory(|m| m.focused());
    let before = ctx.data_mut(|d| d.get_temp::<Option<egui::Id>>(key)).flatten();
    if focused.is_none()
        && let Some(before) = before
        && ctx.input(|i| i.key_pressed(egui::Key::Escape))
        && ctx.read_response(before).is_some()
    {
        ctx.memory_mut(|m| m.request_focus(before));
        focused = Some(before);
    }
    if focused != before {
        ctx.data_mut(|d| d.insert_temp(key, focused));
        if let Some(response) = focused.and_then(|id| ctx.read_response(id)) {
            response.scroll_to_me(None);
        }
    }
}

/// Keyboard scrolling inside a scroll area's contents: Page Up/Down by most of a screen, Home
/// and End to the top and bottom, and the arrow keys by a line when no widget has the focus
/// (with a focused widget they move the focus, as egui does). Not while typing.
pub fn keyboard_scrolling(ui: &egui::Ui) {
    if ui.ctx().text_edit_focused() {
        return;
    }
    let page = ui.clip_rect().height() * 0.85;
    let line = 40.0;
    let nothing_focused = ui.memory(|m| m.focused().is_none());
    let delta = ui.input_mut(|i| {
        let mut delta = 0.0;
        if i.consume_key(Modifiers::NONE, Key::PageDown) {
            delta -= page;
        }
        if i.consume_key(Modifiers::NONE, Key::PageUp) {
            delta += page;
        }
        if i.consume_key(Modifiers::NONE, Key::Home) || i.consume_key(Modifiers::COMMAND, Key::Home) {
            delta += f32::MAX / 4.0;
        }
        if i.consume_key(Modifiers::NONE, Key::End) || i.consume_key(Modifiers::COMMAND, Key::End) {
            delta -= f32::MAX / 4.0;
        }
        if nothing_focused {
            if i.consume_key(Modifiers::NONE, Key::ArrowDown) {
                delta -= line;
            }
            if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
                delta += line;
            }
        }
        delta
    });
    if delta != 0.0 {
        ui.scroll_with_delta(egui::vec2(0.0, delta));
    }
}

/// Gives a progress bar its range and value ("step 3 of 7"), so a screen reader says the right
/// amount (without them Orca said "0 percent" at 28 %).
pub fn progress_value(ui: &egui::Ui, bar: &egui::Response, done: usize, total: usize) {
    ui.ctx().accesskit_node_builder(bar.id, |node| {
        node.set_min_numeric_value(0.0);
        node.set_max_numeric_value(total as f64);
        node.set_numeric_value(done as f64);
    });
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
/// (`tests/it/viewer.rs` covers it). Checking "has or just lost focus" catches both behaviours.
fn enter_pressed_in(ui: &egui::Ui, field: &egui::Response) -> bool {
    (field.has_focus() || field.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter))
}
