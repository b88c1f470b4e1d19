//! Light, dark and high-contrast looks, calm and readable.

use egui::{Color32, Visuals};
use serde::{Deserialize, Serialize};

/// The three looks a learner can choose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    #[default]
    Light,
    Dark,
    HighContrast,
}

/// Calm teal used for primary actions and headings.
pub const TEAL: Color32 = Color32::from_rgb(0x1F, 0x6F, 0x78);

/// Applies a theme and sensible text sizes to the context.
pub fn apply(ctx: &egui::Context, theme: Theme) {
    let visuals = match theme {
        Theme::Light => {
            let mut v = Visuals::light();
            v.panel_fill = Color32::from_rgb(0xF7, 0xF4, 0xEE);
            // egui's default grey body text is too faint for tired eyes on old screens.
            v.override_text_color = Some(Color32::from_rgb(0x1E, 0x26, 0x2C));
            v.window_fill = Color32::from_rgb(0xFF, 0xFD, 0xF9);
            v.extreme_bg_color = Color32::WHITE;
            v.hyperlink_color = TEAL;
            v.selection.bg_fill = Color32::from_rgb(0xB8, 0xDA, 0xDD);
            v
        }
        Theme::Dark => {
            let mut v = Visuals::dark();
            v.panel_fill = Color32::from_rgb(0x1C, 0x22, 0x27);
            v.hyperlink_color = Color32::from_rgb(0x7F, 0xC8, 0xD0);
            v
        }
        Theme::HighContrast => {
            let mut v = Visuals::dark();
            v.panel_fill = Color32::BLACK;
            v.window_fill = Color32::BLACK;
            v.extreme_bg_color = Color32::BLACK;
            v.override_text_color = Some(Color32::WHITE);
            v.hyperlink_color = Color32::from_rgb(0xFF, 0xFF, 0x66);
            v.selection.bg_fill = Color32::from_rgb(0x00, 0x55, 0xCC);
            for w in [
                &mut v.widgets.noninteractive,
                &mut v.widgets.inactive,
                &mut v.widgets.hovered,
                &mut v.widgets.active,
                &mut v.widgets.open,
            ] {
                w.bg_stroke = egui::Stroke::new(2.0, Color32::WHITE);
                w.fg_stroke = egui::Stroke::new(2.0, Color32::WHITE);
            }
            v.widgets.inactive.weak_bg_fill = Color32::BLACK;
            v.widgets.inactive.bg_fill = Color32::BLACK;
            v.widgets.hovered.weak_bg_fill = Color32::from_rgb(0x33, 0x33, 0x33);
            v.widgets.active.weak_bg_fill = Color32::from_rgb(0x00, 0x33, 0x88);
            v
        }
    };
    // egui draws a focused widget with its "active" look; a thick outline in a colour the theme
    // does not use elsewhere makes keyboard focus plain to see, even on a primary button.
    let mut visuals = visuals;
    visuals.widgets.active.bg_stroke = egui::Stroke::new(3.0, focus_colour(theme));
    // Both of egui's style slots get our look, so the OS dark/light preference cannot override it.
    ctx.all_styles_mut(|style| {
        style.visuals = visuals.clone();
        use egui::{FontId, TextStyle};
        style.text_styles.insert(TextStyle::Body, FontId::proportional(17.0));
        style.text_styles.insert(TextStyle::Button, FontId::proportional(17.0));
        style.text_styles.insert(TextStyle::Heading, FontId::proportional(26.0));
        style.text_styles.insert(TextStyle::Small, FontId::proportional(13.0));
        style.spacing.button_padding = egui::vec2(12.0, 7.0);
        style.spacing.item_spacing = egui::vec2(10.0, 9.0);
    });
}

/// The outline of the widget that has keyboard focus.
pub fn focus_colour(theme: Theme) -> Color32 {
    match theme {
        Theme::Light => Color32::from_rgb(0x1E, 0x26, 0x2C),
        Theme::Dark => Color32::WHITE,
        // Neither the white of every outline nor the yellow of primary buttons.
        Theme::HighContrast => Color32::from_rgb(0x33, 0xCC, 0xFF),
    }
}

/// A colour for a status or outcome that reads in every theme.
pub fn accent(theme: Theme, kind: Accent) -> Color32 {
    match (theme, kind) {
        (Theme::HighContrast, Accent::Good) => Color32::from_rgb(0x66, 0xFF, 0x66),
        (Theme::HighContrast, Accent::Bad) => Color32::from_rgb(0xFF, 0x88, 0x88),
        (Theme::HighContrast, Accent::Note) => Color32::from_rgb(0xFF, 0xFF, 0x66),
        (Theme::Dark, Accent::Good) => Color32::from_rgb(0x7F, 0xD0, 0x9A),
        (Theme::Dark, Accent::Bad) => Color32::from_rgb(0xF0, 0x90, 0x88),
        (Theme::Dark, Accent::Note) => Color32::from_rgb(0xE0, 0xB4, 0x6C),
        (Theme::Light, Accent::Good) => Color32::from_rgb(0x1E, 0x6B, 0x3A),
        (Theme::Light, Accent::Bad) => Color32::from_rgb(0xA3, 0x32, 0x2E),
        (Theme::Light, Accent::Note) => Color32::from_rgb(0x8A, 0x5A, 0x12),
    }
}

/// What a coloured text means.
#[derive(Clone, Copy, Debug)]
pub enum Accent {
    Good,
    Bad,
    Note,
}

/// The colour of the app name and primary buttons in a theme.
pub fn brand(theme: Theme) -> Color32 {
    match theme {
        Theme::Light => TEAL,
        Theme::Dark => Color32::from_rgb(0x7F, 0xC8, 0xD0),
        Theme::HighContrast => Color32::from_rgb(0xFF, 0xFF, 0x66),
    }
}

/// A prominent button for the obvious next step.
pub fn primary_button(theme: Theme, text: &str) -> egui::Button<'static> {
    let (fill, ink) = match theme {
        Theme::Light => (TEAL, Color32::WHITE),
        Theme::Dark => (Color32::from_rgb(0x2D, 0x8C, 0x96), Color32::WHITE),
        Theme::HighContrast => (Color32::from_rgb(0xFF, 0xFF, 0x66), Color32::BLACK),
    };
    egui::Button::new(egui::RichText::new(text.to_owned()).color(ink).strong())
        .fill(fill)
        .min_size(egui::vec2(0.0, 40.0))
}
