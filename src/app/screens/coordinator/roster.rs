//! The per-record roster: one row per record with its status, filters, problems and plots.

use egui_plot::{Bar, BarChart, Plot};

use super::{Coordinator, CoordinatorAction};
use crate::app::strings::Strings;
use crate::app::theme::{Accent, Theme, accent};
use crate::records::{Roster, RowStatus, display_name};

/// Longest learner name shown in a row; the rest is cut with an ellipsis.
const NAME_CHARS: usize = 40;

/// The line that sums up the merged records, above both views.
pub fn summary_ui(s: &Strings, ui: &mut egui::Ui, roster: &Roster, sources: usize) {
    ui.label(egui::RichText::new(summary_text(s, roster, sources)).strong());
}

/// The import's result in words: the summary line, then the files that could not be used.
pub fn summary_text(s: &Strings, roster: &Roster, sources: usize) -> String {
    let mut text = s
        .roster_summary
        .replace("{rows}", &roster.rows.len().to_string())
        .replace("{files}", &sources.to_string())
        .replace("{tampered}", &roster.count(RowStatus::Tampered).to_string())
        .replace("{expiring}", &roster.count(RowStatus::Expiring).to_string())
        .replace("{expired}", &roster.count(RowStatus::Expired).to_string());
    if !roster.problems.is_empty() {
        text.push_str(&format!("\n{}:", s.problems));
        for p in &roster.problems {
            text.push_str(&format!("\n{}: {}", p.path.display(), p.message));
        }
    }
    text
}

/// Draws the roster view.
pub fn ui(
    s: &Strings,
    theme: Theme,
    ui: &mut egui::Ui,
    c: &Coordinator,
    actions: &mut Vec<CoordinatorAction>,
) {
    let Some(roster) = &c.roster else { return };
    ui.horizontal_wrapped(|ui| {
        if ui.selectable_label(c.filter.is_none(), s.filter_all).clicked() {
            actions.push(CoordinatorAction::FilterRecords(None));
        }
        for status in RowStatus::ALL {
            let label = format!("{} ({})", status.as_str(), roster.count(status));
            if ui.selectable_label(c.filter == Some(status), label).clicked() {
                actions.push(CoordinatorAction::FilterRecords(Some(status)));
            }
        }
    });
    let needle = c.name_filter.trim().to_lowercase();
    egui::Grid::new("roster").striped(true).num_columns(6).show(ui, |ui| {
        for h in [s.col_learner, s.col_module, s.col_date, s.col_score, s.col_status, s.col_valid_until] {
            ui.label(egui::RichText::new(h).strong());
        }
        ui.end_row();
        let shown = roster.rows.iter().filter(|r| {
            c.filter.is_none_or(|f| f == r.status)
                && (needle.is_empty() || r.record.learner_name.to_lowercase().contains(&needle))
        });
        for row in shown {
            let r = &row.record;
            // Records come from other laptops: show control and formatting characters instead of
            // letting them rearrange the name, and keep a long name from widening the grid.
            ui.label(display_name(&r.learner_name, NAME_CHARS));
            ui.label(display_name(&r.module_id, NAME_CHARS));
            ui.label(r.ended.format("%Y-%m-%d").to_string());
            ui.label(format!("{}/{}", r.checks_correct, r.checks_total));
            let tone = match row.status {
                RowStatus::Valid => Accent::Good,
                RowStatus::Expiring | RowStatus::Failed => Accent::Note,
                _ => Accent::Bad,
            };
            ui.colored_label(accent(theme, tone), row.status.as_str()).on_hover_text(&row.reason);
            ui.label(r.valid_until.map(|d| d.to_string()).unwrap_or_default());
            ui.end_row();
        }
    });
    if !roster.problems.is_empty() {
        ui.add_space(8.0);
        ui.label(egui::RichText::new(s.problems).strong());
        for p in &roster.problems {
            ui.colored_label(accent(theme, Accent::Bad), format!("{}: {}", p.path.display(), p.message));
        }
    }
    ui.add_space(12.0);
    plots_ui(s, ui, roster);
}

/// The three charts, each followed by the same figures as text for screen readers.
fn plots_ui(s: &Strings, ui: &mut egui::Ui, roster: &Roster) {
    ui.label(egui::RichText::new(s.completions_over_time).strong());
    let by_day = roster.completions_by_day();
    let days = |d: &chrono::NaiveDate| f64::from((*d - chrono::NaiveDate::default()).num_days() as i32);
    let span = match (by_day.keys().next(), by_day.keys().next_back()) {
        (Some(a), Some(b)) => days(b) - days(a),
        _ => 0.0,
    };
    // Bars a day wide vanish over a long span; keep them visible at about 1/40 of it.
    let width = (span / 40.0).max(1.0);
    let bars: Vec<Bar> = by_day
        .iter()
        .map(|(day, n)| Bar::new(days(day), f64::from(*n)).width(width).name(day.to_string()))
        .collect();
    fixed_plot("completions", 160.0)
        .x_axis_formatter(|mark, _| {
            let date =
                chrono::NaiveDate::default().checked_add_signed(chrono::TimeDelta::days(mark.value as i64));
            date.map(|d| d.to_string()).unwrap_or_default()
        })
        .show(ui, |plot| plot.bar_chart(BarChart::new(s.completions_over_time, bars)));
    for (day, n) in &by_day {
        ui.small(format!("{day}: {n}"));
    }
    ui.add_space(8.0);
    let missed: Vec<Ranked> = roster
        .most_missed(5)
        .into_iter()
        .map(|q| Ranked {
            name: q.question.clone(),
            value: q.missed,
            line: format!(
                "{} / {}: {}",
                q.module_id,
                q.question,
                s.missed_of
                    .replace("{missed}", &q.missed.to_string())
                    .replace("{attempts}", &q.attempts.to_string())
            ),
        })
        .collect();
    ranked_chart_ui(ui, "missed", s.most_missed, &missed);
    ui.add_space(8.0);
    let critical: Vec<Ranked> = roster
        .most_taken_critical(5)
        .into_iter()
        .map(|c| Ranked {
            name: c.choice.clone(),
            value: c.taken,
            line: format!(
                "{} / {} / {}: {}",
                c.module_id,
                c.node,
                c.choice,
                s.taken_times.replace("{n}", &c.taken.to_string())
            ),
        })
        .collect();
    ranked_chart_ui(ui, "critical", s.most_critical, &critical);
}

/// One bar of a ranked chart, with the line that says the same in words.
struct Ranked {
    name: String,
    value: u32,
    line: String,
}

/// A titled horizontal bar chart, followed by its figures as text for screen readers.
fn ranked_chart_ui(ui: &mut egui::Ui, id: &str, title: &str, items: &[Ranked]) {
    ui.label(egui::RichText::new(title).strong());
    let bars: Vec<Bar> =
        items.iter().enumerate().map(|(i, r)| Bar::new(i as f64, f64::from(r.value)).name(&r.name)).collect();
    fixed_plot(id, 140.0).show(ui, |plot| plot.bar_chart(BarChart::new(title, bars).horizontal()));
    for r in items {
        ui.small(&r.line);
    }
}

/// A plot that does not pan or zoom: these charts are read, not explored.
fn fixed_plot(id: &str, height: f32) -> Plot<'static> {
    Plot::new(id.to_owned()).height(height).allow_scroll(false).allow_drag(false).allow_zoom(false)
}
