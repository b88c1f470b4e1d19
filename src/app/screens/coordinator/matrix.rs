//! The training matrix view: learners × modules, the current status of each as text and colour.
//!
//! Read at a glance: the column headings and the summary row stay above the rows as they
//! scroll, the learner column never scrolls sideways, and the module columns fit the window
//! (when they do not all fit, "Next modules" shows the others in their place).
//!
//! Every cell is a button: Tab and the arrow keys move between cells, Enter opens the records
//! behind it (the learner's name opens all of their records). Its accessible label names the
//! learner, the module and the status, so a screen reader never hears a date without its context.

use std::ops::Range;

use super::{Coordinator, CoordinatorAction, DueInput, HistoryTarget};
use crate::app::strings::Strings;
use crate::app::theme::{Accent, Theme, accent};
use crate::records::{
    Cell, CellStatus, LearnerOrder, MatrixLearner, MatrixQuery, StatusCounts, TrainingMatrix, display_name,
};

/// Longest learner name in the grid; the rest is cut with an ellipsis (the history shows it whole).
const NAME_CHARS: usize = 32;
/// Longest module title a heading or a cell's accessible name carries (real titles are far
/// shorter; titles come from records files, which anyone can write).
const SPOKEN_TITLE_CHARS: usize = 160;
/// The narrowest a module column gets: past it, the other modules go to the next page of columns.
const MIN_COLUMN: f32 = 136.0;
/// The widest a module column gets, so that three modules do not stretch across a wide window.
const MAX_COLUMN: f32 = 260.0;
/// The learner column is as wide as the longest name shown, within these bounds (in a wide
/// window it may take this share of the width, up to the limit).
const NAME_COLUMN: (f32, f32) = (110.0, 220.0);
const NAME_SHARE: f32 = 0.2;
const NAME_LIMIT: f32 = 320.0;
/// Room kept below the grid's rows, as a share of the window's height, when the screen is
/// scrolled so that the grid's headings are at the top: the filters above them stay in reach.
const ROWS_SHARE: f32 = 0.62;
/// The fewest learner rows' worth of height the grid has, however small the window.
const MIN_ROWS: f32 = 6.0;

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
    let as_of = c.matrix.as_ref().map(|m| m.as_of);
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(s.due_before);
        ui.add(egui::TextEdit::singleline(&mut c.due_input).hint_text(s.date_hint).desired_width(120.0))
            .labelled_by(label.id);
        if let Some(as_of) = as_of
            && ui.button(s.due_next_30_days).clicked()
        {
            c.due_input = (as_of + chrono::Days::new(30)).to_string();
        }
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
    let names = names_width(ui, s, matrix, &shown);
    let columns = Columns::fit(ui.available_width(), names, matrix.modules.len(), c.first_module);
    pages_ui(s, ui, &columns, matrix.modules.len(), actions);
    // The first learner says what was imported and what the grid shows; just after an import it
    // takes the focus.
    let first = grid_ui(s, theme, lang, ui, matrix, &shown, &columns, actions);
    if let Some(first) = first {
        crate::app::widgets::speech::describe(ui, &first, &format!("{summary}\n{counts}"));
        if imported {
            first.request_focus();
        }
    }
}

/// Which module columns show, and how wide the columns are.
#[derive(Clone, Debug, PartialEq)]
struct Columns {
    name: f32,
    module: f32,
    /// Indexes into the matrix's modules.
    shown: Range<usize>,
}

impl Columns {
    /// As many module columns as fit `width`, from `first` on (moved back when fewer remain
    /// than fit, so the last page is full).
    fn fit(width: f32, names: f32, modules: usize, first: usize) -> Columns {
        let name = names.clamp(NAME_COLUMN.0, NAME_COLUMN.1.max(width * NAME_SHARE).min(NAME_LIMIT));
        let room = (width - name).max(MIN_COLUMN);
        // At least one column; a float that is not a number (no width yet) gives one too.
        let fit = ((room / MIN_COLUMN).floor() as usize).max(1);
        let first = first.min(modules.saturating_sub(fit));
        let shown = first..(first + fit).min(modules);
        let module = (room / shown.len().max(1) as f32).min(MAX_COLUMN);
        Columns { name, module, shown }
    }

    fn width(&self) -> f32 {
        self.name + self.module * self.shown.len() as f32
    }
}

/// The width the learner column wants: its longest name as a button, and its heading.
fn names_width(ui: &egui::Ui, s: &Strings, matrix: &TrainingMatrix, shown: &[usize]) -> f32 {
    let font = egui::TextStyle::Button.resolve(ui.style());
    let colour = ui.visuals().text_color();
    // Names are cut to NAME_CHARS characters; laying out each is cheap and egui caches it.
    let widest = shown
        .iter()
        .filter_map(|&l| matrix.learners.get(l))
        .map(|learner| learner_label(s, learner))
        .chain([s.col_learner.to_owned()])
        .map(|text| ui.ctx().fonts_mut(|f| f.layout_no_wrap(text, font.clone(), colour).size().x))
        .fold(0.0, f32::max);
    widest + 2.0 * ui.spacing().button_padding.x + 12.0
}

/// "Modules 1–7 of 12", with buttons to the columns before and after, when not all fit.
fn pages_ui(
    s: &Strings,
    ui: &mut egui::Ui,
    columns: &Columns,
    total: usize,
    actions: &mut Vec<CoordinatorAction>,
) {
    if columns.shown.len() >= total {
        return;
    }
    let page = columns.shown.len();
    ui.horizontal(|ui| {
        let previous = ui.add_enabled(columns.shown.start > 0, egui::Button::new(s.previous_modules));
        if previous.clicked() {
            actions.push(CoordinatorAction::ShowModules(columns.shown.start.saturating_sub(page)));
        }
        ui.label(
            s.modules_page
                .replace("{from}", &(columns.shown.start + 1).to_string())
                .replace("{to}", &columns.shown.end.to_string())
                .replace("{total}", &total.to_string()),
        );
        let next = ui.add_enabled(columns.shown.end < total, egui::Button::new(s.next_modules));
        if next.clicked() {
            actions.push(CoordinatorAction::ShowModules(columns.shown.end));
        }
    });
}

/// A box of a fixed width (and at least `height`) in a row of the grid.
fn fixed<R>(
    ui: &mut egui::Ui,
    (width, height): (f32, f32),
    layout: egui::Layout,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    ui.allocate_ui_with_layout(egui::vec2(width, height), layout, |ui| {
        ui.set_min_size(egui::vec2(width, height));
        ui.set_max_width(width);
        ui.spacing_mut().item_spacing.x = 4.0;
        add(ui)
    })
    .inner
}

#[allow(clippy::too_many_arguments)] // the screen's parts, read-only but the actions
fn grid_ui(
    s: &Strings,
    theme: Theme,
    lang: &str,
    ui: &mut egui::Ui,
    matrix: &TrainingMatrix,
    shown: &[usize],
    columns: &Columns,
    actions: &mut Vec<CoordinatorAction>,
) -> Option<egui::Response> {
    let modules = matrix.modules.get(columns.shown.clone()).unwrap_or_default();
    // Every row as tall as a cell's two lines (the status, then its date), so the stripes and
    // the names line up with the cells.
    let two_lines = ui.text_style_height(&egui::TextStyle::Body)
        + ui.text_style_height(&egui::TextStyle::Small)
        + 2.0 * ui.spacing().button_padding.y;
    let row_height = ui.spacing().interact_size.y.max(two_lines);
    let top = egui::Layout::top_down(egui::Align::Min);
    let strong = ui.visuals().strong_text_color();

    let grid_top = ui.cursor().top();
    // The headings and the summary row: above the scrolling rows, so they never scroll away.
    ui.horizontal_top(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        fixed(ui, (columns.name, 0.0), top, |ui| ui.label(egui::RichText::new(s.col_learner).strong()));
        for module in modules {
            let title = display_name(module.title(lang), SPOKEN_TITLE_CHARS);
            fixed(ui, (columns.module, 0.0), top, |ui| {
                // At most two lines; the whole title on hover and for a screen reader.
                let mut job = egui::text::LayoutJob::simple(
                    title.clone(),
                    egui::TextStyle::Body.resolve(ui.style()),
                    strong,
                    columns.module - 8.0,
                );
                job.wrap.max_rows = 2;
                let heading = ui.add(egui::Label::new(job)).on_hover_text(&title);
                heading.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, title.clone()));
            });
        }
    });
    let summary = matrix.module_summary(shown);
    ui.horizontal_top(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        fixed(ui, (columns.name, 0.0), top, |ui| ui.label(egui::RichText::new(s.summary_row).small()));
        for (module, counts) in modules.iter().zip(summary.get(columns.shown.clone()).unwrap_or_default()) {
            let text = summary_text(s, counts);
            fixed(ui, (columns.module, 0.0), top, |ui| {
                let label = ui.add(egui::Label::new(egui::RichText::new(&text).small()).wrap());
                let spoken = format!(
                    "{}, {}: {text}",
                    s.summary_row,
                    display_name(module.title(lang), SPOKEN_TITLE_CHARS)
                );
                label.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, spoken.clone()));
            });
        }
    });
    ui.separator();

    // The rows fill most of the window once the screen is scrolled to the grid.
    let window = ui.ctx().content_rect().height();
    let rows_height = (window * ROWS_SHARE).max(row_height * MIN_ROWS);
    let mut first = None;
    // Each row's widgets (the name, then the cells), for moving between them with the arrows.
    let mut grid: Vec<Vec<egui::Id>> = Vec::with_capacity(shown.len());
    let mut focused = None;
    let mut moved_here = false;
    let cell_layout = egui::Layout::left_to_right(egui::Align::Center);
    egui::ScrollArea::vertical()
        .id_salt("matrix-rows")
        // As tall as that whatever room is left below the filters: the screen scrolls to it.
        .max_height(rows_height)
        .min_scrolled_height(rows_height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.spacing_mut().item_spacing.y = 0.0;
            for (n, &l) in shown.iter().enumerate() {
                let Some(learner) = matrix.learners.get(l) else { continue };
                let row = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(columns.width(), row_height));
                if n % 2 == 1 {
                    ui.painter().rect_filled(row, 0.0, ui.visuals().faint_bg_color);
                }
                let cells = matrix.learner_cells(l);
                let mut row_ids = Vec::with_capacity(columns.shown.len() + 1);
                ui.horizontal(|ui| {
                    ui.spacing_mut().item_spacing.x = 0.0;
                    let name = learner_label(s, learner);
                    let response = fixed(ui, (columns.name, row_height), cell_layout, |ui| {
                        ui.add(egui::Button::new(&name).truncate())
                    });
                    if first.is_none() {
                        first = Some(response.clone());
                    }
                    row_ids.push(response.id);
                    moved_here |= follow_focus(&response);
                    if response.clicked() {
                        actions.push(CoordinatorAction::ShowHistory(HistoryTarget {
                            learner: learner.id.clone(),
                            module: None,
                        }));
                    }
                    for (module, cell) in
                        modules.iter().zip(cells.get(columns.shown.clone()).unwrap_or_default())
                    {
                        let text = cell_text(s, cell);
                        let colour = tone(cell).map_or(strong, |tone| accent(theme, tone));
                        let lines = cell_lines(ui, s, cell, colour, columns.module - 12.0);
                        let response = fixed(ui, (columns.module, row_height), cell_layout, |ui| {
                            ui.add_space(4.0);
                            ui.add(
                                egui::Button::new(lines).frame(false).min_size(egui::vec2(0.0, row_height)),
                            )
                        });
                        let spoken = format!(
                            "{name}, {}: {text}",
                            display_name(module.title(lang), SPOKEN_TITLE_CHARS)
                        );
                        response.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, spoken.clone())
                        });
                        row_ids.push(response.id);
                        moved_here |= follow_focus(&response);
                        if response.clicked() {
                            actions.push(CoordinatorAction::ShowHistory(HistoryTarget {
                                learner: learner.id.clone(),
                                module: Some(module.id.clone()),
                            }));
                        }
                    }
                });
                if let Some(c) = row_ids.iter().position(|&id| ui.memory(|m| m.has_focus(id))) {
                    focused = Some((grid.len(), c));
                }
                grid.push(row_ids);
            }
        });
    // When the focus moves into or within the grid, the whole grid comes into view, headings
    // included (the rows have already scrolled to the focused one), rather than only the
    // focused cell at the window's edge.
    if moved_here {
        let whole = egui::Rect::from_x_y_ranges(ui.max_rect().x_range(), grid_top..=ui.min_rect().bottom());
        ui.scroll_to_rect(whole, None);
        crate::app::widgets::forget_focus_to_show(ui.ctx());
    }
    arrow_keys(ui, &grid, focused);
    first
}

/// The arrow keys move between the grid's cells, as in a spreadsheet: along the row (the name,
/// then each module), and to the same column in the row above or below. egui's own arrow
/// navigation guesses from positions and can land on another row; this one knows the grid.
fn arrow_keys(ui: &egui::Ui, grid: &[Vec<egui::Id>], focused: Option<(usize, usize)>) {
    let Some((row, column)) = focused else { return };
    let Some(&id) = grid.get(row).and_then(|r| r.get(column)) else { return };
    // The focused widget takes the arrows, so egui does not move the focus too.
    let arrows = egui::EventFilter { horizontal_arrows: true, vertical_arrows: true, ..Default::default() };
    ui.memory_mut(|m| m.set_focus_lock_filter(id, arrows));
    let (rows, columns) = (grid.len(), grid.get(row).map_or(0, Vec::len));
    let target = ui.input(|i| {
        if i.key_pressed(egui::Key::ArrowLeft) {
            Some((row, column.saturating_sub(1)))
        } else if i.key_pressed(egui::Key::ArrowRight) {
            Some((row, (column + 1).min(columns.saturating_sub(1))))
        } else if i.key_pressed(egui::Key::ArrowUp) {
            Some((row.saturating_sub(1), column))
        } else if i.key_pressed(egui::Key::ArrowDown) {
            Some(((row + 1).min(rows.saturating_sub(1)), column))
        } else {
            None
        }
    });
    if let Some(&target) = target.and_then(|(r, c)| grid.get(r)?.get(c)) {
        ui.memory_mut(|m| m.request_focus(target));
    }
}

/// Tab and the arrow keys move the focus; the rows follow it out of view (a request
/// made here, inside the rows' scroll area, is one egui carries out).
/// Whether the focus has just come to this widget.
fn follow_focus(response: &egui::Response) -> bool {
    let gained = response.gained_focus();
    if gained {
        response.scroll_to_me(None);
    }
    gained
}

/// A summary cell: how many learners shown are in each status, leaving out the statuses no one is in.
fn summary_text(s: &Strings, counts: &StatusCounts) -> String {
    let parts: Vec<String> = CellStatus::ALL
        .iter()
        .zip(s.summary_counts)
        .filter(|(status, _)| counts.get(**status) > 0)
        .map(|(status, words)| words.replace("{n}", &counts.get(*status).to_string()))
        .collect();
    parts.join(" · ")
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

/// A cell in the grid: the status in words on the first line, and below it, smaller, its date
/// and the records that do not count, each line cut to the column (the cell's accessible name
/// and the history say it all).
fn cell_lines(
    ui: &egui::Ui,
    s: &Strings,
    cell: &Cell,
    colour: egui::Color32,
    width: f32,
) -> egui::text::LayoutJob {
    let template = match cell.status {
        CellStatus::Valid if cell.valid_until.is_some() => s.cell_valid_until,
        CellStatus::Valid => s.cell_valid,
        CellStatus::Expiring => s.cell_expiring,
        CellStatus::Expired => s.cell_expired,
        CellStatus::NotPassed => s.cell_not_passed,
        CellStatus::NotStarted => s.cell_not_started,
        CellStatus::Tampered => s.cell_tampered,
        CellStatus::UnknownDevice => s.cell_unknown_device,
    };
    let word = template.replace("{date}", "").trim().to_owned();
    let mut detail: Vec<String> = cell.valid_until.iter().map(|d| d.to_string()).collect();
    if cell.tampered > 0 && cell.status != CellStatus::Tampered {
        detail.push(s.cell_also_tampered.replace("{n}", &cell.tampered.to_string()));
    }
    if cell.unknown_device > 0 && cell.status != CellStatus::UnknownDevice {
        detail.push(s.cell_also_unknown.replace("{n}", &cell.unknown_device.to_string()));
    }
    let mut job = egui::text::LayoutJob::default();
    let line = |font: egui::TextStyle| egui::TextFormat::simple(font.resolve(ui.style()), colour);
    job.append(&word, 0.0, line(egui::TextStyle::Body));
    if !detail.is_empty() {
        job.append(&format!("\n{}", detail.join(" · ")), 0.0, line(egui::TextStyle::Small));
    }
    job.wrap = egui::text::TextWrapping { max_rows: 2, ..egui::text::TextWrapping::truncate_at_width(width) };
    job
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
