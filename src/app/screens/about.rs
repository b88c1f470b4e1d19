//! About: version, build, data folder, module sources and graphics adapter, with a button that
//! copies them as plain text, so a coordinator can help a volunteer over the phone.

use crate::app::command::Command;
use crate::app::shared::Shared;
use crate::app::widgets::{self, speech};
use crate::locations::{DataLocation, ModuleSource};

/// The commit Faro was built from (`unknown` for a build without git).
pub const COMMIT: &str = match option_env!("FARO_COMMIT") {
    Some(c) => c,
    None => "unknown",
};

/// Draws the About screen.
pub fn ui(shared: &Shared, ui: &mut egui::Ui) -> Vec<Command> {
    let s = shared.strings();
    let mut actions = Vec::new();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        widgets::readable_column(ui, |ui| {
            ui.heading(s.about_title);
            ui.label(s.about_intro);
            ui.add_space(8.0);
            let copied = shared.copied.as_deref().is_some_and(|c| c.starts_with("Faro "));
            let rows = rows(shared);
            ui.horizontal_wrapped(|ui| {
                let copy =
                    ui.add(crate::app::theme::primary_button(shared.settings.theme, s.copy_diagnostics));
                // The button the focus lands on reads out what the screen shows (version, data
                // folder, …), and, once pressed, that the diagnostics were copied, first: Orca
                // speaks a change of the focused button's description.
                let facts: Vec<String> =
                    rows.iter().map(|(name, value)| format!("{name}: {value}")).collect();
                let done = if copied { s.diagnostics_copied } else { "" };
                let spoken = speech::joined(std::iter::once(done).chain(facts.iter().map(String::as_str)));
                speech::describe(ui, &copy, &spoken);
                if widgets::first_pass_of(ui, "faro-about-screen") {
                    copy.request_focus();
                }
                if copy.clicked() {
                    actions.push(Command::Copy(diagnostics(shared)));
                }
                if ui.button(s.close_about).clicked() {
                    actions.push(Command::CloseAbout);
                }
            });
            if copied {
                ui.label(s.diagnostics_copied);
            }
            ui.add_space(8.0);
            for (name, value) in rows {
                ui.label(egui::RichText::new(name).strong());
                ui.label(egui::RichText::new(value).monospace());
                ui.add_space(4.0);
            }
        });
    });
    actions
}

/// The facts shown, as (name in the UI language, value) pairs.
fn rows(shared: &Shared) -> Vec<(&'static str, String)> {
    let s = shared.strings();
    let data = shared.config.data_dir.root().display().to_string();
    let why = match &shared.config.data_location {
        Some(DataLocation::Portable(_)) => s.about_data_portable,
        Some(DataLocation::EnvVar(_)) => s.about_data_env,
        Some(DataLocation::System(_)) | None => s.about_data_system,
        Some(DataLocation::Chosen(_)) => s.about_data_chosen,
    };
    let saving = match &shared.data_problem {
        None => s.about_saving_ok.to_owned(),
        Some(problem) => format!("{} ({})", s.about_saving_off, super::data_folder::reason_text(problem, s)),
    };
    let usable = shared.entries.iter().filter(|e| e.module.is_ok()).count();
    let modules = s
        .about_modules_count
        .replace("{usable}", &usable.to_string())
        .replace("{broken}", &(shared.entries.len() - usable).to_string());
    vec![
        (s.about_version, env!("CARGO_PKG_VERSION").to_owned()),
        (s.about_commit, COMMIT.to_owned()),
        (s.about_system, format!("{} {}", std::env::consts::OS, std::env::consts::ARCH)),
        (s.about_data_folder, format!("{data} ({why})")),
        (s.about_saving, saving),
        (s.about_modules, modules),
        (s.about_sources, sources(shared).join("\n")),
        (s.about_renderer, shared.renderer.clone().unwrap_or_else(|| s.about_renderer_unknown.to_owned())),
    ]
}

/// Every place modules are read from, in precedence order.
fn sources(shared: &Shared) -> Vec<String> {
    let packs = crate::pack::packs_dir(&shared.config.data_dir);
    let mut out = vec![format!("1. installed packs: {}", packs.display())];
    for (n, folder) in shared.config.module_folders.iter().enumerate() {
        let what = match folder.source {
            ModuleSource::EnvVar => crate::locations::MODULES_DIR_ENV,
            ModuleSource::BesideExe => "modules beside Faro",
            ModuleSource::Bundled => "built into Faro",
            ModuleSource::Preview => "the folder being previewed",
        };
        out.push(format!("{}. {what}: {}", n + 2, folder.dir.display()));
    }
    out
}

/// The diagnostics as plain English text (a coordinator may not read the learner's language).
/// No learner names, answers or scores: only what helps find a problem; the home folder, which
/// names the computer's account, is written `~` (`%USERPROFILE%` on Windows) in every path.
pub fn diagnostics(shared: &Shared) -> String {
    let mut out = format!("Faro {} (build {COMMIT})\n", env!("CARGO_PKG_VERSION"));
    out.push_str(&format!("system: {} {}\n", std::env::consts::OS, std::env::consts::ARCH));
    let why = match &shared.config.data_location {
        Some(DataLocation::Portable(_)) => "portable",
        Some(DataLocation::EnvVar(_)) => "FARO_DATA_DIR",
        Some(DataLocation::System(_)) => "system",
        Some(DataLocation::Chosen(_)) => "chosen in the app",
        None => "given by the caller",
    };
    out.push_str(&format!("data folder: {} ({why})\n", shared.config.data_dir.root().display()));
    match &shared.data_problem {
        None => out.push_str("saving: yes\n"),
        Some(problem) => out.push_str(&format!("saving: no: {problem}\n")),
    }
    out.push_str("module sources:\n");
    for line in sources(shared) {
        out.push_str(&format!("  {line}\n"));
    }
    out.push_str("modules:\n");
    for entry in &shared.entries {
        match &entry.module {
            Ok(m) => out.push_str(&format!("  {} {} ({})\n", m.id, m.version, entry.origin.describe())),
            Err(e) => {
                let first = e.lines().next().unwrap_or_default();
                out.push_str(&format!("  not usable: {}: {first}\n", entry.dir.display()));
            }
        }
    }
    out.push_str(&format!("graphics: {}\n", shared.renderer.as_deref().unwrap_or("not known yet")));
    out.push_str(&format!(
        "language: {}, theme: {:?}, text size: {:.1}\n",
        shared.settings.lang, shared.settings.theme, shared.settings.zoom
    ));
    crate::locations::without_home(&out)
}
