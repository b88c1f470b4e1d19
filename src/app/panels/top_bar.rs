//! The bar at the top: app name, learner, language, help, break, quick exit, look.

use crate::app::command::Command;
use crate::app::shared::{ScreenKind, Shared};
use crate::app::strings::Strings;
use crate::app::theme::{self, Theme};

/// Draws the top bar; `showing` is the screen below it.
pub fn ui(shared: &Shared, showing: ScreenKind, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings();
    let settings = &shared.settings;
    let mut actions = Vec::new();
    ui.horizontal_wrapped(|ui| {
        // Tighter than the content's spacing, so the whole bar fits on one line at the default
        // window width (1100 points) in English and Spanish; the buttons stay 32 points high.
        ui.spacing_mut().button_padding.x = 9.0;
        ui.spacing_mut().item_spacing.x = 6.0;
        ui.heading(egui::RichText::new(s.app_name).color(theme::brand(settings.theme)).strong());
        if let Some(name) = shared.learner_name() {
            ui.label(format!("{}: {name}", s.learner));
        }
        ui.separator();
        let help = ui
            .add(egui::Button::new(egui::RichText::new(s.get_help).strong()).selected(shared.help_open))
            .on_hover_text(s.get_help_tooltip);
        if help.clicked() {
            actions.push(Command::ToggleHelp);
        }
        if showing == ScreenKind::Player {
            if ui.button(s.take_a_break).on_hover_text(s.take_a_break_tooltip).clicked() {
                actions.push(Command::ToLibrary);
            }
            if ui.button(s.quick_exit).on_hover_text(s.quick_exit_tooltip).clicked() {
                actions.push(Command::QuickExit);
            }
        }
        ui.separator();
        // One button, named in the other language: it is what a reader of that language looks
        // for, and the bar stays on one line in Spanish too.
        let (code, name, hint) = if settings.lang == "es" {
            ("en", "English", "Switch to English (Cambiar a inglés)")
        } else {
            ("es", "Español", "Cambiar a español (Switch to Spanish)")
        };
        if ui.button(name).on_hover_text(hint).clicked() {
            actions.push(Command::SetLanguage(code.to_owned()));
        }
        ui.separator();
        // The theme's name says what the menu is ("Light", "High contrast"); the word "Theme" is
        // its accessible name and tooltip rather than a label beside it, to keep the bar short.
        // Named with its value ("Theme: Light"): Orca 43 reads a combo box's name and role but
        // not its value.
        let named = format!("{}: {}", s.theme, theme_name(settings.theme, s));
        let combo = ui.name_inputs(named, |ui| {
            egui::ComboBox::from_id_salt("theme").selected_text(theme_name(settings.theme, s)).show_ui(
                ui,
                |ui| {
                    let mut item_focused = false;
                    for t in [Theme::Light, Theme::Dark, Theme::HighContrast] {
                        let item = ui.selectable_label(settings.theme == t, theme_name(t, s));
                        item_focused |= item.has_focus();
                        if item.clicked() {
                            actions.push(Command::SetTheme(t));
                            // Enter on an item chooses it but leaves egui's list open.
                            ui.close();
                        }
                    }
                    item_focused
                },
            )
        });
        let open = combo.inner.is_some();
        let menu = combo.response.on_hover_text(s.theme);
        // The list's items go with the list (a theme chosen, or Escape), and the focus with them:
        // it goes back to the menu, not to the bare window.
        let in_list = egui::Id::unique("faro-theme-item-focused");
        let was_in_list = ui.ctx().data_mut(|d| d.get_temp::<bool>(in_list)).unwrap_or(false);
        if !open && was_in_list {
            menu.request_focus();
        }
        ui.ctx().data_mut(|d| d.insert_temp(in_list, combo.inner.unwrap_or(false)));
        // Orca 43 does not say "expanded": the open list is also in the menu's description,
        // which Orca reads out when it changes on the focused menu.
        ui.ctx().accesskit_node_builder(menu.id, |node| node.set_expanded(open));
        if open {
            crate::app::widgets::speech::describe(ui, &menu, s.theme_list_open);
        }
        if ui.button("A-").on_hover_text(s.zoom_out).clicked() {
            actions.push(Command::Zoom(settings.zoom - 0.1));
        }
        if ui.button("A+").on_hover_text(s.zoom_in).clicked() {
            actions.push(Command::Zoom(settings.zoom + 0.1));
        }
        if shared.learner.is_some() && showing == ScreenKind::Library && ui.button(s.switch_learner).clicked()
        {
            actions.push(Command::SwitchLearner);
        }
        if matches!(showing, ScreenKind::Library | ScreenKind::Start) && ui.button(s.coordinator).clicked() {
            actions.push(Command::OpenCoordinator);
        }
        if matches!(showing, ScreenKind::Coordinator | ScreenKind::PackBuilder)
            && ui.button(s.back_to_library).clicked()
        {
            actions.push(Command::ToLibrary);
        }
        if showing != ScreenKind::About && ui.button(s.about).on_hover_text(s.about_tooltip).clicked() {
            actions.push(Command::OpenAbout);
        }
    });
    actions
}

fn theme_name(t: Theme, s: &Strings) -> &'static str {
    match t {
        Theme::Light => s.theme_light,
        Theme::Dark => s.theme_dark,
        Theme::HighContrast => s.theme_contrast,
    }
}
