//! The training matrix view: learners × modules, the current status of each as text and colour.
//!
//! Every cell is a button: Tab and the arrow keys move between cells, Enter opens the records
//! behind it (the learner's name opens all of their records). Its accessible label names the
//! learner, the module and the status, so a screen reader never hears a date without its context.

use super::{Coordinator, CoordinatorAction, DueInput, HistoryTarget};
use crate::app::strings::Strings;
use crate::app::theme::{Accent, Theme, accent};
use crate::records::{
    Cell, CellStatus, LearnerOrder, MatrixLearner, MatrixQuery, TrainingMatrix, display_name,
};

/// Longest learner name in the grid; the rest is cut with an ellipsis (the history shows it whole).
const NAME_CHARS: usize = 32;
/// Longest module title in a column heading (the whole title shows on hover).
const TITLE_CHARS: usize = 28;
/// Longest module title a cell's accessible name carries (real titles are far shorter).
const SPOKEN_TITLE_CHARS: usize = 160;

/// Draws the matrix view: its filters, then the grid.
pub fn ui(
    s: &Strings,
    theme: Theme,
    lang: &str,
    ui: &mut egui::Ui,
    c: &mut Coordinator,
    (summary, imported): (&str, bool),
    actions: &mut Vec<CoordinatorAction>,
) {
    let due_before = c.due_before();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(s.due_before);
        ui.add(egui::TextEdit::singleline(&mut c.due_input).hint_text(s.date_hint).desired_width(120.0))
            .labelled_by(label.id);
        if due_before == DueInput::NotADate {
            ui.colored_label(accent(theme, Accent::Bad), s.due_before_invalid);
        }
        ui.add_space(16.0);
        let label = ui.label(s.expiring_within);
        let mut days = c.expiring_days;
        let drag = ui.add(egui::DragValue::new(&mut days).range(0..=3650)).labelled_by(label.id);
        if drag.changed() {
            actions.push(CoordinatorAction::SetExpiringDays(days));
        }
        ui.add_space(16.0);
        for (order, name) in
            [(LearnerOrder::Name, s.sort_by_name), (LearnerOrder::SoonestExpiry, s.sort_by_expiry)]
        {
            if ui.selectable_label(c.order == order, name).clicked() {
                actions.push(CoordinatorAction::SortLearners(order));
            }
        }
    });
    let Some(matrix) = &c.matrix else { return };
    let query =
        MatrixQuery { name_contains: c.name_filter.clone(), due_before: due_before.date(), order: c.order };
    let shown = matrix.learners_shown(&query);
    let counts = s
        .matrix_shown
        .replace("{shown}", &shown.len().to_string())
        .replace("{total}", &matrix.learners.len().to_string())
        .replace("{modules}", &matrix.modules.len().to_string())
        .replace("{date}", &matrix.as_of.to_string());
    ui.label(&counts);
    if shown.is_empty() {
        ui.label(s.no_learners_match);
        return;
    }
    // The first learner says what was imported and what the grid shows; just after an import it
    // takes the focus.
    let first = egui::ScrollArea::horizontal()
        .id_salt("matrix-columns")
        .show(ui, |ui| grid_ui(s, theme, lang, ui, matrix, &shown, actions))
        .inner;
    if let Some(first) = first {
        crate::app::widgets::speech::describe(ui, &first, &format!("{summary}\n{counts}"));
        if imported {
            first.request_focus();
        }
    }
}

fn grid_ui(
    s: &Strings,
    theme: Theme,
    lang: &str,
    ui: &mut egui::Ui,
    matrix: &TrainingMatrix,
    shown: &[usize],
    actions: &mut Vec<CoordinatorAction>,
) -> Option<egui::Response> {
    let mut first = None;
    egui::Grid::new("training-matrix").striped(true).num_columns(matrix.modules.len() + 1).show(ui, |ui| {
        ui.label(egui::RichText::new(s.col_learner).strong());
        for module in &matrix.modules {
            let title = module.title(lang);
            ui.label(egui::RichText::new(display_name(title, TITLE_CHARS)).strong()).on_hover_text(title);
        }
        ui.end_row();
        for &l in shown {
            let Some(learner) = matrix.learners.get(l) else { continue };
            let name = learner_label(s, learner);
            let response = ui.button(&name);
            if first.is_none() {
                first = Some(response.clone());
            }
            if response.gained_focus() {
                response.scroll_to_me(None);
            }
            if response.clicked() {
                actions.push(CoordinatorAction::ShowHistory(HistoryTarget {
                    learner: learner.id.clone(),
                    module: None,
                }));
            }
            for (module, cell) in matrix.modules.iter().zip(matrix.learner_cells(l)) {
                let text = cell_text(s, cell);
                let colour = match tone(cell) {
                    Some(tone) => accent(theme, tone),
                    None => ui.visuals().strong_text_color(),
                };
                let response =
                    ui.add(egui::Button::new(egui::RichText::new(&text).color(colour)).frame(false));
                // The whole title for a screen reader (only the column heading is cut to fit), yet
                // capped: titles come from records files, which anyone can write.
                let spoken =
                    format!("{name}, {}: {text}", display_name(module.title(lang), SPOKEN_TITLE_CHARS));
                response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, spoken.clone()));
                // egui moves the focus with the arrow keys; the grid follows it out of view.
                if response.gained_focus() {
                    response.scroll_to_me(None);
                }
                if response.clicked() {
                    actions.push(CoordinatorAction::ShowHistory(HistoryTarget {
                        learner: learner.id.clone(),
                        module: Some(module.id.clone()),
                    }));
                }
            }
            ui.end_row();
        }
    });
    first
}

/// A learner's name for the grid: one line, cut, and followed by the start of the id when
/// another learner has the same name.
pub fn learner_label(s: &Strings, learner: &MatrixLearner) -> String {
    let name = display_name(&learner.name, NAME_CHARS);
    let name = if name.trim().is_empty() { s.no_name.to_owned() } else { name };
    if !learner.shares_name {
        return name;
    }
    // Eight characters of a random id tell profiles apart; the history shows the whole id.
    let id_start: String = learner.id.chars().take(8).collect();
    format!("{name} · {}", display_name(&id_start, 16))
}

/// A cell's status in words: the status, its date, and the records that do not count.
pub fn cell_text(s: &Strings, cell: &Cell) -> String {
    let date = cell.valid_until.map(|d| d.to_string()).unwrap_or_default();
    let mut text = match (cell.status, cell.valid_until) {
        (CellStatus::Valid, None) => s.cell_valid.to_owned(),
        (CellStatus::Valid, Some(_)) => s.cell_valid_until.replace("{date}", &date),
        (CellStatus::Expiring, _) => s.cell_expiring.replace("{date}", &date),
        (CellStatus::Expired, _) => s.cell_expired.replace("{date}", &date),
        (CellStatus::NotPassed, _) => s.cell_not_passed.to_owned(),
        (CellStatus::NotStarted, _) => s.cell_not_started.to_owned(),
        (CellStatus::Tampered, _) => s.cell_tampered.to_owned(),
        (CellStatus::UnknownDevice, _) => s.cell_unknown_device.to_owned(),
    };
    if cell.tampered > 0 && cell.status != CellStatus::Tampered {
        text.push_str(" · ");
        text.push_str(&s.cell_also_tampered.replace("{n}", &cell.tampered.to_string()));
    }
    if cell.unknown_device > 0 && cell.status != CellStatus::UnknownDevice {
        text.push_str(" · ");
        text.push_str(&s.cell_also_unknown.replace("{n}", &cell.unknown_device.to_string()));
    }
    text
}

/// The colour family of a cell (`None`: the strong text colour: egui's dark body grey is just
/// under 4.5:1 on a striped row, and its weak grey far under). The words always say the
/// same, so colour is never the only sign; a valid cell with records that do not count is not
/// painted as plainly good.
fn tone(cell: &Cell) -> Option<Accent> {
    match cell.status {
        CellStatus::Valid if cell.tampered + cell.unknown_device > 0 => Some(Accent::Note),
        CellStatus::Valid => Some(Accent::Good),
        CellStatus::Expiring | CellStatus::NotPassed => Some(Accent::Note),
        CellStatus::Expired | CellStatus::Tampered | CellStatus::UnknownDevice => Some(Accent::Bad),
        CellStatus::NotStarted => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(c: egui::Color32) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    fn contrast(a: egui::Color32, b: egui::Color32) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_status_colour_is_readable_on_plain_and_striped_rows_in_every_theme() {
        for theme in [Theme::Light, Theme::Dark, Theme::HighContrast] {
            let ctx = egui::Context::default();
            crate::app::theme::apply(&ctx, theme);
            let visuals = ctx.global_style().visuals.clone();
            for status in CellStatus::ALL {
                let cell = Cell {
                    status,
                    valid_until: None,
                    decided_by: None,
                    rows: Vec::new(),
                    tampered: 0,
                    unknown_device: 0,
                };
                let colour = tone(&cell).map_or_else(|| visuals.strong_text_color(), |t| accent(theme, t));
                // Striped rows paint the (premultiplied, often additive) faint colour over the panel.
                let faint = visuals.faint_bg_color;
                let over = |top: u8, below: u8| {
                    let below = f64::from(below) * (1.0 - f64::from(faint.a()) / 255.0);
                    (f64::from(top) + below).round().min(255.0) as u8
                };
                let panel = visuals.panel_fill;
                let striped = egui::Color32::from_rgb(
                    over(faint.r(), panel.r()),
                    over(faint.g(), panel.g()),
                    over(faint.b(), panel.b()),
                );
                for background in [panel, striped] {
                    let ratio = contrast(colour, background);
                    assert!(
                        ratio >= 4.5,
                        "{theme:?} {status:?}: {colour:?} on {background:?} is {ratio:.2}:1"
                    );
                }
            }
        }
    }
}
