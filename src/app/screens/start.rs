//! Start: pick or create a learner profile (a display name only).

use crate::app::command::{Command, Request};
use crate::app::shared::Shared;
use crate::app::theme::{self, Accent};
use crate::app::widgets;
use crate::progress::NameError;

/// The start screen's own state: the name being typed and why the last one was refused.
#[derive(Debug, Default)]
pub struct StartScreen {
    pub name_input: String,
    pub name_error: Option<NameError>,
}

/// What the learner did on the start screen.
#[derive(Clone, Debug, PartialEq)]
pub enum StartAction {
    /// Create a learner with the typed name.
    CreateLearner,
}

impl StartScreen {
    /// Draws the start screen.
    pub fn ui(&mut self, shared: &Shared, ui: &mut egui::Ui) -> Vec<Request<StartAction>> {
        let s = shared.strings();
        let theme = shared.settings.theme;
        let mut requests = Vec::new();
        widgets::readable_column(ui, |ui| {
            ui.add_space(24.0);
            ui.heading(s.tagline);
            ui.add_space(16.0);
            if !shared.profiles.learners.is_empty() {
                ui.label(egui::RichText::new(s.who_is_learning).strong());
                for p in &shared.profiles.learners {
                    let label = format!("{} {}", s.continue_as, p.name);
                    let button = ui.add(egui::Button::new(label).min_size(egui::vec2(280.0, 40.0)));
                    // Back from About or a coordinator's screen, the focus lands on the first learner.
                    widgets::speech::landing(ui, &button, None);
                    if button.clicked() {
                        requests.push(Command::PickLearner(p.id.clone()).into());
                    }
                }
                ui.add_space(16.0);
            }
            ui.label(egui::RichText::new(s.new_learner).strong());
            let label = ui.label(s.your_name);
            let edit = ui.add(
                egui::TextEdit::singleline(&mut self.name_input).hint_text(s.name_hint).desired_width(320.0),
            );
            let edit = edit.labelled_by(label.id);
            // With no learner yet, it lands on the name field (after About, Switch learner, …).
            widgets::speech::landing(ui, &edit, None);
            // A first-time volunteer can type their name at once, without finding the field.
            if shared.profiles.learners.is_empty() && ui.memory(|m| m.focused().is_none()) {
                edit.request_focus();
            }
            let submitted = widgets::enter_pressed_in(ui, &edit);
            if ui.add(theme::primary_button(theme, s.create_profile)).clicked() || submitted {
                requests.push(Request::Screen(StartAction::CreateLearner));
            }
            if let Some(err) = &self.name_error {
                let text = match err {
                    NameError::Empty => s.name_empty.to_owned(),
                    NameError::TooLong => s.name_too_long.to_owned(),
                    NameError::Taken => s.name_taken.to_owned(),
                    NameError::Invisible(character) => s.name_invisible.replace("{character}", character),
                };
                ui.colored_label(theme::accent(theme, Accent::Bad), text);
            }
            ui.add_space(8.0);
            ui.small(s.name_privacy);
        });
        requests
    }

    /// Carries out what the learner did; a new learner is picked at once.
    pub fn apply(&mut self, action: StartAction, shared: &mut Shared) -> Vec<Command> {
        match action {
            StartAction::CreateLearner => match shared.profiles.add(&self.name_input) {
                Ok(profile) => {
                    self.name_input.clear();
                    self.name_error = None;
                    vec![Command::PickLearner(profile.id)]
                }
                Err(e) => {
                    self.name_error = Some(e);
                    Vec::new()
                }
            },
        }
    }
}
