//! Coordinator: import records files from many laptops; roster, filters and plots.

use std::path::PathBuf;

use egui_plot::{Bar, BarChart, Plot};

use super::super::strings::Strings;
use super::super::theme::{Accent, accent};
use super::super::{Action, Coordinator, FaroApp, Screen};
use crate::records::{Roster, RowStatus};

/// Draws the coordinator screen.
pub fn ui(app: &mut FaroApp, ui: &mut egui::Ui) -> Vec<Action> {
    let s = app.strings();
    let theme = app.settings.theme;
    let data_root = app.config.data_dir.root().to_owned();
    let lock = &app.coordinator_lock;
    let Screen::Coordinator(c) = &mut app.screen else { return Vec::new() };
    let mut actions = Vec::new();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading(s.coordinator);
        ui.label(s.coordinator_intro);
        actions.extend(super::coordinator_tools::tools_ui(ui, s, lock));
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(s.records_path);
            let edit = ui
                .add(egui::TextEdit::singleline(&mut c.path_input).desired_width(360.0))
                .labelled_by(label.id);
            let entered = super::enter_pressed_in(ui, &edit);
            if (ui.button(s.import).clicked() || entered) && !c.path_input.trim().is_empty() {
                actions.push(Action::ImportRecords(vec![PathBuf::from(c.path_input.trim())]));
            }
            if ui.button(s.choose_records).clicked() {
                actions.push(Action::PickRecords);
            }
            if ui.button(s.import_this_laptop).clicked() {
                actions.push(Action::ImportRecords(vec![data_root.join("learners")]));
            }
        });
        ui.small(s.drop_hint);
        ui.separator();
        match &c.roster {
            None => {
                ui.label(s.no_records);
            }
            Some(roster) => roster_ui(s, theme, ui, c, roster, &mut actions),
        }
    });
    actions
}

fn roster_ui(
    s: &Strings,
    theme: super::super::theme::Theme,
    ui: &mut egui::Ui,
    c: &Coordinator,
    roster: &Roster,
    actions: &mut Vec<Action>,
) {
    let summary = s
        .roster_summary
        .replace("{rows}", &roster.rows.len().to_string())
        .replace("{files}", &c.sources.len().to_string())
        .replace("{tampered}", &roster.count(RowStatus::Tampered).to_string())
        .replace("{expiring}", &roster.count(RowStatus::Expiring).to_string())
        .replace("{expired}", &roster.count(RowStatus::Expired).to_string());
    ui.label(egui::RichText::new(summary).strong());
    ui.horizontal_wrapped(|ui| {
        if ui.selectable_label(c.filter.is_none(), s.filter_all).clicked() {
            actions.push(Action::FilterRoster(None));
        }
        for status in RowStatus::ALL {
            let label = format!("{} ({})", status.as_str(), roster.count(status));
            if ui.selectable_label(c.filter == Some(status), label).clicked() {
                actions.push(Action::FilterRoster(Some(status)));
            }
        }
    });
    egui::Grid::new("roster").striped(true).num_columns(6).show(ui, |ui| {
        for h in [s.col_learner, s.col_module, s.col_date, s.col_score, s.col_status, s.col_valid_until] {
            ui.label(egui::RichText::new(h).strong());
        }
        ui.end_row();
        for row in roster.rows.iter().filter(|r| c.filter.is_none_or(|f| f == r.status)) {
            let r = &row.record.record;
            // Records come from other laptops: show any hidden formatting character instead of
            // letting it rearrange the name.
            ui.label(crate::format::invisible::reveal(&r.learner_name));
            ui.label(&r.module_id);
            ui.label(r.ended.format("%Y-%m-%d").to_string());
            ui.label(format!("{}/{}", r.score.checks_correct, r.score.checks_total));
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
