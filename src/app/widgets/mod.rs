//! Pieces of screens that are not screens: Markdown, pages and contact cards, what a screen
//! reader says, and small layout helpers shared by every screen.

pub mod contact;
pub mod markdown;
pub mod page;
pub mod speech;

use egui::{Key, Modifiers};

/// Egui temporary-memory key: where the widget that has just taken the keyboard focus was drawn.
const FOCUS_TO_SHOW: &str = "faro-focus-to-show";

/// Asks for the widget drawn at `rect` (last pass) to be scrolled into view in this pass.
pub fn show_focus_at(ctx: &egui::Context, rect: egui::Rect) {
    ctx.data_mut(|d| d.insert_temp(egui::Id::unique(FOCUS_TO_SHOW), rect));
}

/// Drops a request of [`show_focus_at`] that no scroll area took in its pass.
pub fn forget_focus_to_show(ctx: &egui::Context) {
    ctx.data_mut(|d| d.remove::<egui::Rect>(egui::Id::unique(FOCUS_TO_SHOW)));
}

/// Scrolls the widget that has just taken the keyboard focus into view, if it is in this scroll
/// area's content. Called last inside a scroll area's content, when the content's extent is
/// known: egui applies a scroll request only from inside the content, so one made before the
/// scroll area is drawn does nothing.
pub fn scroll_focus_into_view(ui: &egui::Ui) {
    let key = egui::Id::unique(FOCUS_TO_SHOW);
    let Some(rect) = ui.ctx().data(|d| d.get_temp::<egui::Rect>(key)) else { return };
    if ui.min_rect().contains(rect.center()) {
        ui.ctx().data_mut(|d| d.remove::<egui::Rect>(key));
        ui.scroll_to_rect(rect, None);
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

/// Whether the widget group named `key` (as given to [`first_pass_of`]) was drawn in the previous
/// pass; unlike [`first_pass_of`] it does not mark it drawn. A group that has just gone gives the
/// focus back to what opened it.
pub fn drawn_last_pass(ui: &egui::Ui, key: &str) -> bool {
    let id = egui::Id::unique(("faro-last-pass", key));
    let pass = ui.ctx().cumulative_pass_nr();
    ui.ctx().data(|d| d.get_temp::<u64>(id)).is_some_and(|last| last + 1 == pass)
}

/// A centred column of readable width.
pub fn readable_column<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let width = ui.available_width().min(760.0);
    let margin = ((ui.available_width() - width) / 2.0).max(0.0);
    ui.horizontal(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_width(width);
            let inner = add(ui);
            // The column is what a screen's scroll area holds: a widget of it that has just
            // taken the focus is scrolled into view.
            scroll_focus_into_view(ui);
            inner
        })
        .inner
    })
    .inner
}

/// Whether Enter was pressed in this single-line field this frame. egui's usual
/// `lost_focus() && key_pressed(Enter)` is not enough: on the start screen the name field keeps
/// its focus through the Enter press (egui 0.37), so that check never fired and Enter did nothing
/// (`tests/it/viewer.rs` covers it). Checking "has or just lost focus" catches both behaviours.
pub fn enter_pressed_in(ui: &egui::Ui, field: &egui::Response) -> bool {
    (field.has_focus() || field.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter))
}
