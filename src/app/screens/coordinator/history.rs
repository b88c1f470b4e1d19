//! A learner's history: the records behind a matrix cell (or all of the learner's records),
//! newest first, with the one that decides the status marked and the ones that never count said.

use super::{Coordinator, CoordinatorAction};
use crate::app::strings::Strings;
use crate::app::widgets;
use crate::records::{RowStatus, display_name};

/// Longest module title or file name in a history row.
const CELL_CHARS: usize = 48;

/// Draws the history window, when one is asked for.
pub fn ui(s: &Strings, lang: &str, ui: &mut egui::Ui, c: &Coordinator, actions: &mut Vec<CoordinatorAction>) {
    let opener_key = egui::Id::unique("coordinator-history-opener");
    let (Some(target), Some(matrix), Some(roster)) = (&c.history, &c.matrix, &c.roster) else {
        // Just closed: the focus goes back to the cell or name that opened the history.
        if widgets::drawn_last_pass(ui, "coordinator-history")
            && let Some(opener) =
                ui.ctx().data_mut(|d| d.remove_temp::<Option<egui::Id>>(opener_key)).flatten()
        {
            ui.ctx().memory_mut(|m| m.request_focus(opener));
        }
        return;
    };
    let Some((l, learner)) = matrix.learners.iter().enumerate().find(|(_, l)| l.id == target.learner) else {
        return;
    };
    let module = target.module.as_ref().and_then(|id| matrix.modules.iter().position(|m| &m.id == id));
    let cells: Vec<_> = match module {
        Some(m) => matrix.cell(l, m).into_iter().collect(),
        None => matrix.learner_cells(l),
    };
    let deciding: Vec<usize> = cells.iter().filter_map(|c| c.decided_by).collect();
    let mut rows: Vec<usize> = cells.iter().flat_map(|c| c.rows.iter().copied()).collect();
    rows.sort_by_key(|&i| std::cmp::Reverse(roster.rows.get(i).map(|r| r.record.ended)));
    let name = super::matrix::learner_label(s, learner);
    let heading = match module.and_then(|m| matrix.modules.get(m)) {
        Some(m) => format!("{name}: {}", m.title(lang)),
        None => format!("{name}: {}", s.history_all_modules),
    };
    // What the table says, row by row, for the button the focus lands on: the grid's labels are
    // not focusable, and Orca reads the focused widget.
    let mut spoken = vec![heading.clone()];
    let window = egui::Id::unique("coordinator-history");
    egui::Window::new(s.history_title).id(window).collapsible(false).default_width(760.0).show(
        ui.ctx(),
        |ui| {
            ui.label(egui::RichText::new(heading).strong());
            egui::ScrollArea::both().max_height(380.0).show(ui, |ui| {
                // The whole name, wrapped: the grid cut it to one line.
                ui.label(display_name(&learner.name, usize::MAX));
                ui.small(s.history_learner_id.replace("{id}", &display_name(&learner.id, 64)));
                egui::Grid::new("coordinator-history-rows").striped(true).num_columns(11).show(ui, |ui| {
                    for h in [
                        s.col_date,
                        s.col_module,
                        s.col_version,
                        s.col_result,
                        s.col_score,
                        s.col_valid_until,
                        s.col_signature,
                        s.col_in_matrix,
                        s.col_device,
                        s.verification_code,
                        s.col_file,
                    ] {
                        ui.label(egui::RichText::new(h).strong());
                    }
                    ui.end_row();
                    for &i in &rows {
                        let Some(row) = roster.rows.get(i) else { continue };
                        let r = &row.record;
                        ui.label(r.ended.format("%Y-%m-%d").to_string());
                        ui.label(display_name(r.title(lang), CELL_CHARS));
                        ui.label(display_name(&r.module_version, 16));
                        ui.label(if r.passed { s.result_passed } else { s.result_not_passed });
                        ui.label(format!("{}/{}", r.checks_correct, r.checks_total));
                        ui.label(r.valid_until.map_or_else(|| "—".to_owned(), |d| d.to_string()));
                        let signature = match row.status {
                            RowStatus::Tampered => s.cell_tampered,
                            RowStatus::UnknownDevice => s.cell_unknown_device,
                            _ => s.signature_ok,
                        };
                        ui.label(signature).on_hover_text(&row.reason);
                        let counts = if deciding.contains(&i) {
                            s.history_decides
                        } else if matches!(row.status, RowStatus::Tampered | RowStatus::UnknownDevice) {
                            s.history_never_counts
                        } else {
                            "—"
                        };
                        ui.label(counts);
                        ui.label(row.record.device_fingerprint());
                        ui.label(row.record.verification_code());
                        ui.label(display_name(&row.source.display().to_string(), CELL_CHARS));
                        ui.end_row();
                        spoken.push(format!(
                            "{}, {}, {}, {}, {}: {}/{}, {}: {}, {}, {}",
                            r.ended.format("%Y-%m-%d"),
                            display_name(r.title(lang), CELL_CHARS),
                            display_name(&r.module_version, 16),
                            if r.passed { s.result_passed } else { s.result_not_passed },
                            s.col_score,
                            r.checks_correct,
                            r.checks_total,
                            s.col_valid_until,
                            r.valid_until.map_or_else(|| "—".to_owned(), |d| d.to_string()),
                            signature,
                            counts,
                        ));
                    }
                });
            });
            let close = ui.button(s.close_history);
            widgets::speech::describe(
                ui,
                &close,
                &widgets::speech::joined(spoken.iter().map(String::as_str)),
            );
            // Keyboard users land in the history when it opens; Escape or the button closes it,
            // and the focus goes back to what opened it.
            if widgets::first_pass_of(ui, "coordinator-history") {
                let opener = ui.memory(|m| m.focused());
                ui.ctx().data_mut(|d| d.insert_temp(opener_key, opener));
                close.request_focus();
            }
            if close.clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                actions.push(CoordinatorAction::CloseHistory);
            }
        },
    );
    widgets::speech::name_window_resize_handles(ui.ctx(), window, &s.resize_window);
}
