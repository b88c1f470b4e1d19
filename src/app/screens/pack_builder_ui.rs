//! Drawing the pack builder (its state and actions are in `pack_builder.rs`).

use std::path::PathBuf;
use std::time::Duration;

use super::pack_builder::{BuilderAction, InputProblem, Outcome, PackBuilder, folder_name};
use crate::app::command::{Command, Request};
use crate::app::shared::Shared;
use crate::app::strings::coordinator_tools::ToolStrings;
use crate::app::theme::{Accent, Theme, accent};
use crate::app::widgets;

/// Draws the pack builder.
pub fn ui(b: &mut PackBuilder, shared: &Shared, ui: &mut egui::Ui) -> Vec<Request<BuilderAction>> {
    let t = shared.strings().tools;
    let theme = shared.settings.theme;
    // The library's usable modules (bundled, beside the program, from installed packs).
    let lang = shared.settings.lang.as_str();
    let on_this_laptop: Vec<(PathBuf, String)> = shared
        .entries
        .iter()
        .filter_map(|e| {
            let m = e.module.as_ref().ok()?;
            Some((e.dir.clone(), format!("{} ({} {})", m.title.get(lang), m.id, m.version)))
        })
        .collect();
    let mut actions = Vec::new();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        widgets::readable_column(ui, |ui| {
            ui.add_space(8.0);
            ui.heading(t.builder_title);
            ui.label(t.builder_intro);
            if ui.button(t.back_to_coordinator).clicked() {
                actions.push(Request::Screen(BuilderAction::Back));
            }
            ui.separator();
            key_ui(ui, t, theme, b, &mut actions);
            ui.separator();
            modules_ui(ui, t, b, &on_this_laptop, &mut actions);
            ui.separator();
            details_ui(ui, t, b, &mut actions);
            ui.add_space(8.0);
            build_ui(ui, t, theme, b, &mut actions);
        });
    });
    if b.running() {
        actions.push(Request::Screen(BuilderAction::Poll));
        ui.ctx().request_repaint_after(Duration::from_millis(100));
    }
    actions
}

/// The publisher key: make it, see its fingerprint, back it up.
fn key_ui(
    ui: &mut egui::Ui,
    t: &ToolStrings,
    theme: Theme,
    b: &mut PackBuilder,
    out: &mut Vec<Request<BuilderAction>>,
) {
    ui.label(egui::RichText::new(t.key_heading).strong());
    let Some(fingerprint) = &b.key else {
        ui.label(t.key_none);
        if ui.button(t.create_key).clicked() {
            out.push(Request::Screen(BuilderAction::CreateKey));
        }
        return;
    };
    ui.label(t.key_fingerprint.replace("{fingerprint}", fingerprint.as_str()));
    // The warning stays prominent until the key has been backed up once.
    let tone = if b.history.key_backup.is_some() { Accent::Note } else { Accent::Bad };
    crate::app::widgets::page::callout(ui, theme, t.key_backup_title, tone, |ui| {
        ui.label(t.key_backup_warning);
        if let Some((dir, when)) = &b.history.key_backup {
            ui.small(
                t.key_backed_up
                    .replace("{dir}", &dir.display().to_string())
                    .replace("{date}", &when.format("%Y-%m-%d").to_string()),
            );
        }
        let label = ui.label(t.backup_folder);
        ui.horizontal_wrapped(|ui| {
            let field = ui
                .add(egui::TextEdit::singleline(&mut b.backup_input).desired_width(360.0))
                .labelled_by(label.id);
            let entered = widgets::enter_pressed_in(ui, &field);
            let typed = b.backup_input.trim();
            if (ui.button(t.back_up_key).clicked() || entered) && !typed.is_empty() {
                out.push(Request::Screen(BuilderAction::BackUpKey(PathBuf::from(typed))));
            }
            if ui.button(t.choose_folder).clicked() {
                out.push(Request::Screen(BuilderAction::PickBackupFolder));
            }
        });
        if let Some(dir) = &b.backup_done {
            ui.colored_label(
                accent(theme, Accent::Good),
                t.key_backup_done.replace("{dir}", &dir.display().to_string()),
            );
        }
    });
}

/// The modules chosen, this laptop's modules to tick, and a folder to add.
fn modules_ui(
    ui: &mut egui::Ui,
    t: &ToolStrings,
    b: &mut PackBuilder,
    on_this_laptop: &[(PathBuf, String)],
    out: &mut Vec<Request<BuilderAction>>,
) {
    ui.label(egui::RichText::new(t.modules_heading).strong());
    if b.module_dirs.is_empty() {
        ui.label(t.no_modules_chosen);
    }
    for dir in &b.module_dirs {
        ui.horizontal_wrapped(|ui| {
            let name = folder_name(dir);
            ui.label(format!("{name}: {}", dir.display()));
            if ui.button(t.remove_module.replace("{name}", &name)).clicked() {
                out.push(Request::Screen(BuilderAction::RemoveModule(dir.clone())));
            }
        });
    }
    ui.add_space(6.0);
    ui.label(t.modules_on_this_laptop);
    for (dir, label) in on_this_laptop {
        let mut ticked = b.module_dirs.contains(dir);
        if ui.checkbox(&mut ticked, label).changed() {
            out.push(Request::Screen(BuilderAction::ToggleModule(dir.clone())));
        }
    }
    ui.add_space(6.0);
    let label = ui.label(t.module_folder);
    ui.horizontal_wrapped(|ui| {
        let field = ui
            .add(egui::TextEdit::singleline(&mut b.folder_input).desired_width(360.0))
            .labelled_by(label.id);
        let entered = widgets::enter_pressed_in(ui, &field);
        let typed = b.folder_input.trim();
        if (ui.button(t.add_folder).clicked() || entered) && !typed.is_empty() {
            out.push(Request::Screen(BuilderAction::AddFolders(vec![PathBuf::from(typed)])));
        }
        if ui.button(t.choose_folders).clicked() {
            out.push(Request::Screen(BuilderAction::PickFolders));
        }
    });
}

/// Id, title, version, publisher and where to save.
fn details_ui(
    ui: &mut egui::Ui,
    t: &ToolStrings,
    b: &mut PackBuilder,
    out: &mut Vec<Request<BuilderAction>>,
) {
    ui.label(egui::RichText::new(t.details_heading).strong());
    // An empty version field shows, and builds, the suggested version.
    let (version_hint, suggestion_line) = match b.suggested_version() {
        Some((version, Some(last))) => (
            version.to_string(),
            t.version_next
                .replace("{version}", &version.to_string())
                .replace("{last}", &last.version.to_string())
                .replace("{date}", &last.created.format("%Y-%m-%d").to_string()),
        ),
        Some((version, None)) => {
            (version.to_string(), t.version_first.replace("{version}", &version.to_string()))
        }
        None => (String::new(), t.pack_id_hint.to_owned()),
    };
    egui::Grid::new("pack-details").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
        let fields: [(&str, &mut String, String); 4] = [
            (t.pack_id, &mut b.id_input, t.pack_id_hint.to_owned()),
            (t.pack_title, &mut b.title_input, String::new()),
            (t.pack_version, &mut b.version_input, version_hint),
            (t.publisher_name, &mut b.publisher_input, String::new()),
        ];
        for (name, text, hint) in fields {
            let label = ui.label(name);
            ui.add(egui::TextEdit::singleline(text).desired_width(360.0).hint_text(hint))
                .labelled_by(label.id);
            ui.end_row();
            // What an empty version field means, right under it.
            if name == t.pack_version {
                ui.label("");
                ui.small(&suggestion_line);
                ui.end_row();
            }
        }
        let label = ui.label(t.output_folder);
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(&mut b.output_input).desired_width(360.0))
                .labelled_by(label.id);
            if ui.button(t.choose_output_folder).clicked() {
                out.push(Request::Screen(BuilderAction::PickOutputFolder));
            }
        });
        ui.end_row();
    });
}

/// The build button, what stops a build, and how the last one ended.
fn build_ui(
    ui: &mut egui::Ui,
    t: &ToolStrings,
    theme: Theme,
    b: &PackBuilder,
    out: &mut Vec<Request<BuilderAction>>,
) {
    for problem in &b.input_problems {
        ui.colored_label(accent(theme, Accent::Bad), problem_text(t, problem));
    }
    ui.horizontal_wrapped(|ui| {
        let build = ui.add_enabled(!b.running(), crate::app::theme::primary_button(theme, t.build));
        if build.clicked() {
            out.push(Request::Screen(BuilderAction::Build));
        }
        if b.running() {
            ui.spinner();
            ui.label(t.building);
        }
    });
    ui.add_space(8.0);
    match &b.outcome {
        None => {}
        Some(Outcome::Written { file, built }) => {
            let title = t.pack_written.replace("{path}", &file.display().to_string());
            crate::app::widgets::page::callout(ui, theme, &title, Accent::Good, |ui| {
                let m = &built.manifest;
                ui.label(
                    t.pack_written_detail
                        .replace("{id}", m.id.as_str())
                        .replace("{version}", &m.version.to_string())
                        .replace("{modules}", &m.modules.len().to_string())
                        .replace("{files}", &m.files.len().to_string())
                        .replace("{fingerprint}", built.fingerprint.as_str()),
                );
                if ui.button(t.copy_pack_path).clicked() {
                    out.push(Command::Copy(file.display().to_string()).into());
                }
                if !built.warnings.is_empty() {
                    ui.label(egui::RichText::new(t.build_warnings).strong());
                    for d in &built.warnings {
                        ui.label(egui::RichText::new(d.to_string()).monospace());
                    }
                }
            });
        }
        Some(Outcome::Refused { module_dirs, diagnostics }) => {
            crate::app::widgets::page::callout(ui, theme, t.build_refused, Accent::Bad, |ui| {
                for (dir, found) in crate::pack::diagnostics_by_module(module_dirs, diagnostics) {
                    let heading = dir.map_or_else(|| t.other_problems.to_owned(), folder_name);
                    ui.label(egui::RichText::new(heading).strong());
                    for d in found {
                        ui.label(egui::RichText::new(d.to_string()).monospace());
                    }
                }
            });
        }
        Some(Outcome::Failed(error)) => {
            ui.colored_label(accent(theme, Accent::Bad), t.build_failed.replace("{error}", error));
        }
    }
}

fn problem_text(t: &ToolStrings, problem: &InputProblem) -> String {
    match problem {
        InputProblem::NeedKey => t.need_key.to_owned(),
        InputProblem::NeedModules => t.need_modules.to_owned(),
        InputProblem::BadPackId => t.bad_pack_id.to_owned(),
        InputProblem::NeedTitle => t.need_title.to_owned(),
        InputProblem::BadVersion => t.bad_version.to_owned(),
        InputProblem::VersionNotNewer { version, last, suggested } => t
            .version_not_newer
            .replace("{version}", &version.to_string())
            .replace("{last}", &last.version.to_string())
            .replace("{date}", &last.created.format("%Y-%m-%d").to_string())
            .replace("{suggested}", &suggested.to_string()),
        InputProblem::NeedPublisher => t.need_publisher.to_owned(),
        InputProblem::NeedOutputFolder => t.need_output_folder.to_owned(),
    }
}
