//! A contact card (a hotline, a tip line, 911): its number with a copy button, and when to use it.

use crate::app::strings::Strings;
use crate::format::ContactCard;

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
        let title = egui::RichText::new(card.name.get(lang)).strong();
        if card.phone.is_some() || card.sms.is_some() {
            ui.label(title);
        } else {
            // A card with no number (the Mexico side's child card: FACTS §11 gives none) has no
            // Copy button: its name takes the keyboard focus instead, so Tab reaches it (and its
            // "when" below, which Orca would not read from this label's description).
            let name = ui.add(egui::Label::new(title).sense(egui::Sense::focusable_noninteractive()));
            super::speech::describe(ui, &name, &details);
            if let Some(context) = land.take() {
                super::speech::landing(ui, &name, Some(&super::speech::joined([context, details.as_str()])));
            }
        }
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
        let when = format!("{}: {}", s.when_to_use, card.when.get(lang));
        if card.phone.is_some() || card.sms.is_some() {
            ui.label(when);
        } else {
            // Orca reads a focused label's text, not its description: without a Copy button to
            // carry it, when to use the card is a stop of its own.
            ui.add(egui::Label::new(when).sense(egui::Sense::focusable_noninteractive()));
        }
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
