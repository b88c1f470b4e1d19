//! Get help / Report: the contact cards for the chosen side of the border, from bundled data.

use crate::app::command::Command;
use crate::app::shared::Shared;
use crate::app::widgets::{self, contact::contact_card_ui};

/// Draws the help panel.
pub fn ui(shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings();
    let lang = shared.settings.lang.as_str();
    let regions = &shared.config.regions;
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.heading(s.help_title);
        if ui.button(s.close_help).clicked() {
            commands.push(Command::ToggleHelp);
        }
    });
    ui.label(s.region);
    ui.horizontal_wrapped(|ui| {
        for region in &regions.regions {
            let selected = shared.settings.region == region.id;
            if ui.selectable_label(selected, region.name.get(lang)).clicked() && !selected {
                commands.push(Command::SetRegion(region.id.clone()));
            }
        }
    });
    ui.separator();
    let region = regions.region(&shared.settings.region).or_else(|| regions.regions.first());
    let Some(region) = region else { return commands };
    // Opened with F1 or the Get help button, the panel takes the keyboard focus: its first
    // contact's first number, which carries the region's note as well as the card.
    let just_opened = widgets::first_pass_of(ui, "faro-help-panel");
    egui::ScrollArea::vertical().show(ui, |ui| {
        widgets::keyboard_scrolling(ui);
        let note = region.note.as_ref().map(|n| n.get(lang));
        if let Some(note) = note {
            ui.label(egui::RichText::new(note).strong());
        }
        for (i, card) in region.contacts.iter().enumerate() {
            let land = (just_opened && i == 0).then_some(note.unwrap_or(""));
            if let Some(number) = contact_card_ui(ui, s, lang, card, shared.copied.as_deref(), land) {
                commands.push(Command::Copy(number));
            }
        }
        widgets::scroll_focus_into_view(ui);
    });
    commands
}
