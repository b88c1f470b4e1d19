//! The laptops view (issue 25 item 5): each laptop whose records were imported, its name, when
//! it last reported and what it holds, the one silent for longest first; like Kolibri's coaches
//! seeing each device's last sync.
//!
//! Each laptop is one keyboard stop whose accessible name says the whole line, so a screen
//! reader hears every laptop with its columns' names.

use chrono::{DateTime, NaiveDate, Utc};

use crate::app::strings::Strings;
use crate::records::{Laptop, display_name};

/// Longest laptop name shown (names are checked to 60 characters when read; this is a guard).
const LABEL_CHARS: usize = 60;

/// Draws the laptops view.
pub fn ui(s: &Strings, ui: &mut egui::Ui, laptops: &[Laptop], today: NaiveDate) {
    ui.label(s.laptops_intro);
    let columns = [s.col_laptop, s.col_last_reported, s.col_records, s.col_learners, s.col_newest_record];
    egui::Grid::new("laptops").striped(true).spacing([24.0, 8.0]).num_columns(columns.len()).show(ui, |ui| {
        for heading in columns {
            ui.label(egui::RichText::new(heading).strong());
        }
        ui.end_row();
        for laptop in laptops {
            let name = match &laptop.label {
                Some(label) => format!("{} · {}", display_name(label, LABEL_CHARS), laptop.fingerprint),
                None => format!("{} · {}", s.laptop_no_name, laptop.fingerprint),
            };
            let reported = when(s, laptop.last_reported, today);
            let newest =
                laptop.newest_record.map_or_else(|| s.not_known.to_owned(), |t| t.date_naive().to_string());
            let cells = [reported, laptop.records.to_string(), laptop.learners.to_string(), newest];
            let spoken = format!(
                "{name}. {}: {}. {}: {}. {}: {}. {}: {}.",
                s.col_last_reported,
                cells[0],
                s.col_records,
                cells[1],
                s.col_learners,
                cells[2],
                s.col_newest_record,
                cells[3]
            );
            // A keyboard stop, outlined when focused from the keyboard; the screen's scroll area
            // brings it into view.
            let first =
                ui.add(egui::Label::new(name).extend().sense(egui::Sense::focusable_noninteractive()));
            crate::app::widgets::markdown::outline_focus(ui, &first);
            first.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, spoken.clone()));
            for cell in cells {
                ui.label(cell);
            }
            ui.end_row();
        }
    });
}

/// A report time as a day and how long ago it was ("2026-11-24 · 13 days ago").
fn when(s: &Strings, time: Option<DateTime<Utc>>, today: NaiveDate) -> String {
    let Some(time) = time else { return s.not_known.to_owned() };
    let day = time.date_naive();
    let days = (today - day).num_days();
    let ago = match days {
        ..=0 => s.today.to_owned(),
        1 => s.yesterday.to_owned(),
        _ => s.days_ago.replace("{days}", &days.to_string()),
    };
    format!("{day} · {ago}")
}
