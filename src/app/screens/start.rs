//! Start: pick or create a learner profile (a display name only).

use super::super::{Action, FaroApp};
use crate::progress::NameError;

/// Draws the start screen.
pub fn ui(app: &mut FaroApp, ui: &mut egui::Ui) -> Vec<Action> {
    let s = app.strings();
    let mut actions = Vec::new();
    super::readable_column(ui, |ui| {
        ui.add_space(24.0);
        ui.heading(s.tagline);
        ui.add_space(16.0);
        if !app.profiles.learners.is_empty() {
            ui.label(egui::RichText::new(s.who_is_learning).strong());
            for p in &app.profiles.learners {
                let label = format!("{} {}", s.continue_as, p.name);
                if ui.add(egui::Button::new(label).min_size(egui::vec2(280.0, 40.0))).clicked() {
                    actions.push(Action::PickLearner(p.id.clone()));
                }
            }
            ui.add_space(16.0);
        }
        ui.label(egui::RichText::new(s.new_learner).strong());
        let label = ui.label(s.your_name);
        let edit = ui
            .add(egui::TextEdit::singleline(&mut app.name_input).hint_text(s.name_hint).desired_width(320.0));
        let edit = edit.labelled_by(label.id);
        // A first-time volunteer can type their name at once, without finding the field.
        if app.profiles.learners.is_empty() && ui.memory(|m| m.focused().is_none()) {
            edit.request_focus();
        }
        let submitted = super::enter_pressed_in(ui, &edit);
        if ui.add(super::super::theme::primary_button(app.settings.theme, s.create_profile)).clicked()
            || submitted
        {
            actions.push(Action::CreateLearner);
        }
        if let Some(err) = &app.name_error {
            let text = match err {
                NameError::Empty => s.name_empty,
                NameError::TooLong => s.name_too_long,
                NameError::Taken => s.name_taken,
                NameError::Invisible => s.name_invisible,
            };
            ui.colored_label(
                super::super::theme::accent(app.settings.theme, super::super::theme::Accent::Bad),
                text,
            );
        }
        ui.add_space(8.0);
        ui.small(s.name_privacy);
    });
    actions
}
