//! Get help / Report: the contact cards for the chosen side of the border, from bundled data.

use super::super::strings::Strings;
use super::super::{Action, FaroApp};
use crate::format::ContactCard;

/// Draws the help panel.
pub fn ui(app: &FaroApp, ui: &mut egui::Ui) -> Vec<Action> {
    let s = app.strings();
    let lang = app.settings.lang.as_str();
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        ui.heading(s.help_title);
        if ui.button(s.close_help).clicked() {
            actions.push(Action::ToggleHelp);
        }
    });
    ui.label(s.region);
    ui.horizontal_wrapped(|ui| {
        for region in &app.config.regions.regions {
            let selected = app.settings.region == region.id;
            if ui.selectable_label(selected, region.name.get(lang)).clicked() && !selected {
                actions.push(Action::SetRegion(region.id.clone()));
            }
        }
    });
    ui.separator();
    let region =
        app.config.regions.region(&app.settings.region).or_else(|| app.config.regions.regions.first());
    let Some(region) = region else { return actions };
    egui::ScrollArea::vertical().show(ui, |ui| {
        if let Some(note) = &region.note {
            ui.label(egui::RichText::new(note.get(lang)).strong());
        }
        for card in &region.contacts {
            if let Some(number) = contact_card_ui(ui, s, lang, card, app.copied.as_deref()) {
                actions.push(Action::Copy(number));
            }
        }
    });
    actions
}

/// A contact card: the name, numbers large and copyable, hours, languages and when to use it.
/// Returns the number to copy when the learner presses its Copy button.
pub fn contact_card_ui(
    ui: &mut egui::Ui,
    s: &Strings,
    lang: &str,
    card: &ContactCard,
    copied: Option<&str>,
) -> Option<String> {
    let mut copy = None;
    egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new(card.name.get(lang)).strong());
        for (kind, number) in [(s.phone, &card.phone), (s.text_sms, &card.sms)] {
            let Some(number) = number else { continue };
            ui.horizontal(|ui| {
                ui.label(format!("{kind}:"));
                ui.label(egui::RichText::new(number).size(24.0).strong());
                let label = if copied == Some(number.as_str()) { s.copied } else { s.copy_number };
                if copy_button(ui, label, &format!("{label} {number}")).clicked() {
                    copy = Some(number.clone());
                }
            });
        }
        if let Some(url) = &card.url {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{}:", s.website));
                ui.label(egui::RichText::new(url).monospace());
            });
        }
        if let Some(hours) = &card.hours {
            ui.label(format!("{}: {}", s.hours, hours.get(lang)));
        }
        if let Some(langs) = &card.languages {
            ui.label(format!("{}: {}", s.languages, langs.get(lang)));
        }
        ui.label(format!("{}: {}", s.when_to_use, card.when.get(lang)));
    });
    copy
}

/// A short "Copy" button whose accessible name says what it copies ("Copy 911").
pub fn copy_button(ui: &mut egui::Ui, text: &str, accessible: &str) -> egui::Response {
    let response = ui.button(text).on_hover_text(accessible);
    let accessible = accessible.to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, accessible.clone()));
    response
}
