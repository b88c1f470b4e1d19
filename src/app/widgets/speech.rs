//! What a screen reader needs beyond labels: after a transition the keyboard focus lands on the
//! widget the learner acts on next, that widget carries the text the transition brought as its
//! accessible description, and the same text is announced through a live region.
//!
//! Only AccessKit's portable properties are used (focus, description, `Live`, roles), so the
//! same tree drives AT-SPI (Orca), UI Automation (NVDA, Narrator) and macOS (VoiceOver).

use egui::accesskit::{Live, Role};

/// Egui temporary-memory key of the armed landing: the pass number it was armed in.
const LANDING: &str = "faro-landing";

/// Arms a landing: in the next pass, the first widget passed to [`landing`] takes the keyboard
/// focus. The app arms one after every action that changes what is on screen.
pub fn arm_landing(ctx: &egui::Context) {
    let pass = ctx.cumulative_pass_nr();
    ctx.data_mut(|d| d.insert_temp(egui::Id::unique(LANDING), pass));
    ctx.request_repaint();
}

/// Offers `response` as the place the keyboard focus lands after a transition: the first widget
/// offered in the pass after [`arm_landing`] takes the focus (and is scrolled into view). Whether
/// or not it lands, the widget carries `context`, the text that came with the transition, as its
/// accessible description, so a screen reader that reads the focused widget reads that too.
pub fn landing(ui: &egui::Ui, response: &egui::Response, context: Option<&str>) {
    if let Some(text) = context.filter(|t| !t.trim().is_empty()) {
        describe(ui, response, text);
    }
    let pass = ui.ctx().cumulative_pass_nr();
    let armed = ui.ctx().data_mut(|d| {
        let armed = d.get_temp::<u64>(egui::Id::unique(LANDING));
        // Armed after the previous pass was drawn, so this is the first pass of the new screen. A
        // landing nobody took (a screen with no landing widget) lapses instead of stealing the
        // focus later.
        if armed.is_some() {
            d.remove_temp::<u64>(egui::Id::unique(LANDING));
        }
        armed.is_some_and(|armed| armed + 1 >= pass)
    });
    if armed {
        response.request_focus();
        response.scroll_to_me(None);
    }
}

/// Whether a landing is armed for this pass: a screen whose usual landing is drawn only once can
/// offer it again after a transition that left the focus nowhere.
pub fn landing_armed(ctx: &egui::Context) -> bool {
    let pass = ctx.cumulative_pass_nr();
    ctx.data(|d| d.get_temp::<u64>(egui::Id::unique(LANDING))).is_some_and(|armed| armed + 1 >= pass)
}

/// Gives `response` the focus outside a landing (a notice that has just arrived, a question that
/// has just opened) and drops any armed landing, so no widget offered later in the pass takes the
/// focus away from it.
pub fn take_focus(ui: &egui::Ui, response: &egui::Response) {
    ui.ctx().data_mut(|d| d.remove_temp::<u64>(egui::Id::unique(LANDING)));
    response.request_focus();
}

/// Drops a landing that no widget took in the pass after it was armed.
pub fn lapse_landing(ctx: &egui::Context) {
    let pass = ctx.cumulative_pass_nr();
    ctx.data_mut(|d| {
        if d.get_temp::<u64>(egui::Id::unique(LANDING)).is_some_and(|armed| armed < pass) {
            d.remove_temp::<u64>(egui::Id::unique(LANDING));
        }
    });
}

/// Sets the accessible description of a widget drawn this pass.
pub fn describe(ui: &egui::Ui, response: &egui::Response, text: &str) {
    ui.ctx().accesskit_node_builder(response.id, |node| node.set_description(text));
}

/// Names the resize handles of the window `window` (an `egui::Window` of the middle order, the
/// default) in the UI language: egui names them in English. `names` in egui's order: the right,
/// left, bottom and top edges, then the bottom-right, top-right, bottom-left and top-left corners.
pub fn name_window_resize_handles(ctx: &egui::Context, window: egui::Id, names: &[&str; 8]) {
    // egui's own id for the handles (`do_resize_interaction` in egui's window.rs).
    let handles = egui::Id::unique(egui::LayerId::new(egui::Order::Middle, window)).with("edge_drag");
    let sides = ["right", "left", "bottom", "top", "right_bottom", "right_top", "left_bottom", "left_top"];
    for (side, name) in sides.iter().zip(names) {
        let id = handles.with(side);
        if ctx.has_accesskit_node(id) {
            ctx.accesskit_node_builder(id, |node| node.set_label(*name));
        }
    }
}

/// Makes a label a heading of `level`, named by `name`: a label's text is its value, a heading is
/// named by its text (Orca says "heading level 1" after it).
pub fn heading(ui: &egui::Ui, label: &egui::Response, name: &str, level: usize) {
    ui.ctx().accesskit_node_builder(label.id, |node| {
        node.set_role(Role::Heading);
        node.set_level(level);
        node.set_label(name);
    });
}

/// Gives the `Ui` node `ui_id` the role `role` (a group, a radio group) named by `label`.
pub fn group(ui: &egui::Ui, ui_id: egui::Id, label: &egui::Response, role: Role) {
    ui.ctx().accesskit_node_builder(ui_id, |node| {
        node.set_role(role);
        node.push_labelled_by(label.id.accesskit_id());
    });
}

/// Makes a button that picks one answer read as an unchecked radio button: choosing it answers
/// the question, so it is never shown checked.
pub fn radio(ui: &egui::Ui, button: &egui::Response) {
    ui.ctx().accesskit_node_builder(button.id, |node| {
        node.set_role(Role::RadioButton);
        node.set_toggled(egui::accesskit::Toggled::False);
    });
}

/// How urgently an announcement interrupts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    /// Said when the screen reader has finished what it is saying (feedback, results).
    Polite,
    /// Said at once (an unsafe choice).
    Assertive,
}

/// Announces `text` through a live region: a status node named by the text, under the current
/// `Ui`. It is announced when it appears and whenever its text changes; drawn again unchanged,
/// it says nothing more. `key` tells apart several announcements in one `Ui`.
pub fn announce(ui: &egui::Ui, key: &str, text: &str, urgency: Urgency) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let id = ui.scope_id().with(("faro-announce", key));
    ui.ctx().accesskit_node_builder(id, |node| {
        node.set_role(Role::Status);
        node.set_label(text);
        node.set_live(match urgency {
            Urgency::Polite => Live::Polite,
            Urgency::Assertive => Live::Assertive,
        });
    });
}

/// Several pieces of text as one, each on its own line, empty ones left out.
pub fn joined<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_skips_empty_parts() {
        assert_eq!(joined(["One", "  ", "Two "]), "One\nTwo");
    }
}
