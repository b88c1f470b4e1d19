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
    // Opened with F1 or the Get help button, the panel takes the keyboard focus: its first
    // contact's first number, which carries the region's note as well as the card.
    let just_opened = super::first_pass_of(ui, "faro-help-panel");
    egui::ScrollArea::vertical().show(ui, |ui| {
        super::keyboard_scrolling(ui);
        let note = region.note.as_ref().map(|n| n.get(lang));
        if let Some(note) = note {
            ui.label(egui::RichText::new(note).strong());
        }
        for (i, card) in region.contacts.iter().enumerate() {
            let land = (just_opened && i == 0).then_some(note.unwrap_or(""));
            if let Some(number) = contact_card_ui(ui, s, lang, card, app.copied.as_deref(), land) {
                actions.push(Action::Copy(number));
            }
        }
    });
    actions
}

/// A contact card: the name, numbers large and copyable, hours, languages and when to use it.
/// Returns the number to copy when the learner presses its Copy button. With `land`, the first
/// Copy button is where the keyboard focus lands (the help panel has just opened), carrying
/// that text before the card's own details.
pub fn contact_card_ui(
    ui: &mut egui::Ui,
    s: &Strings,
    lang: &str,
    card: &ContactCard,
    copied: Option<&str>,
    mut land: Option<&str>,
) -> Option<String> {
    let mut copy = None;
    // What a screen reader says after a Copy button's name: when to use the service, its hours
    // and languages (the visible labels beside the button are not read with it).
    let details = super::speech::joined([
        card.when.get(lang),
        card.hours.as_ref().map_or("", |h| h.get(lang)),
        card.languages.as_ref().map_or("", |l| l.get(lang)),
    ]);
    egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new(card.name.get(lang)).strong());
        for (kind, named, number) in
            [(s.phone, s.copy_phone_named, &card.phone), (s.text_sms, s.copy_sms_named, &card.sms)]
        {
            let Some(number) = number else { continue };
            ui.horizontal(|ui| {
                ui.label(format!("{kind}:"));
                ui.label(egui::RichText::new(number).size(24.0).strong());
                let done = copied == Some(number.as_str());
                let label = if done { s.copied } else { s.copy_number };
                let name = if done {
                    format!("{} {number}", s.copied)
                } else {
                    named.replace("{service}", card.name.get(lang)).replace("{number}", number)
                };
                let button = copy_button(ui, label, &name);
                super::speech::describe(ui, &button, &details);
                if let Some(context) = land.take() {
                    super::speech::landing(
                        ui,
                        &button,
                        Some(&super::speech::joined([context, details.as_str()])),
                    );
                }
                if button.clicked() {
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

/// A short "Copy" button whose accessible name says what it copies ("Copy the Emergency number,
/// 911").
pub fn copy_button(ui: &mut egui::Ui, text: &str, accessible: &str) -> egui::Response {
    let response = ui.button(text).on_hover_text(accessible);
    let accessible = accessible.to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, accessible.clone()));
    response
}
