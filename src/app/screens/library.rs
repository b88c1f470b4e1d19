//! Library: every module as a card with its status for the current learner.

use crate::app::command::{Command, Request};
use crate::app::shared::Shared;
use crate::app::theme::{Accent, accent};
use crate::app::widgets::{self, page::callout, speech};
use crate::catalog::{self, Origin, Status};

/// The library's own state.
#[derive(Debug, Default)]
pub struct LibraryScreen {
    /// The learner asked to delete their data and must confirm.
    pub confirm_delete: bool,
}

/// What the learner did in the library that only the library handles.
#[derive(Clone, Debug, PartialEq)]
pub enum LibraryAction {
    ExportMyRecords,
    /// Ask to delete the current learner's data (shows a confirmation).
    AskDeleteMyData,
    ConfirmDeleteMyData,
    CancelDelete,
}

type Requests = Vec<Request<LibraryAction>>;

impl LibraryScreen {
    /// Draws the library.
    pub fn ui(&self, shared: &Shared, ui: &mut egui::Ui) -> Requests {
        library_ui(self, shared, ui)
    }

    /// Carries out what the learner did; deleting their data returns to the start screen.
    pub fn apply(&mut self, action: LibraryAction, shared: &mut Shared) -> Vec<Command> {
        match action {
            LibraryAction::ExportMyRecords => export_my_records(shared),
            LibraryAction::AskDeleteMyData => self.confirm_delete = true,
            LibraryAction::CancelDelete => self.confirm_delete = false,
            LibraryAction::ConfirmDeleteMyData => {
                self.confirm_delete = false;
                if delete_my_data(shared) {
                    return vec![Command::SwitchLearner];
                }
            }
        }
        Vec::new()
    }
}

fn library_ui(screen: &LibraryScreen, shared: &Shared, ui: &mut egui::Ui) -> Requests {
    let s = shared.strings();
    let lang = shared.settings.lang.as_str();
    let mut actions = Vec::new();
    // The module to focus: in the pass that opens the library, and after a transition that left
    // the focus nowhere on it (the last notice dismissed). In the second case the module is
    // offered as the landing after the rest of the screen is drawn, so whatever else asks for
    // the focus in this pass (the trust question, the delete question, a new notice) has it first.
    let opened = widgets::first_pass_of(ui, "faro-library");
    let lost = !opened && speech::landing_armed(ui.ctx());
    let focus = if opened || lost { suggested_entry(shared) } else { None };
    let mut landing_card = None;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        widgets::readable_column(ui, |ui| {
            ui.heading(s.library);
            // "Your progress is saved after every step" would not be true in a window that is not saving.
            ui.label(if shared.data_problem.is_some() {
                s.library_intro_not_saving
            } else {
                s.library_intro
            });
            if shared.checking_installed() {
                // No spinner: it would repaint every frame; the worker asks for one when done.
                ui.weak(s.checking_installed);
            }
            if let Some(title) = shared.installing() {
                // A line and a bar, not a spinner, for the same reason: the install's worker
                // wakes the window when a whole percent is done, and when it is finished.
                ui.label(s.pack_installing.replace("{title}", title));
                if let Some((done, total)) = shared.install_progress().filter(|&(_, total)| total > 0) {
                    // Its text is its accessible value; the worker asks for a repaint only when a
                    // whole percent is done, so the bar costs no idle frames.
                    let text = s
                        .pack_install_progress
                        .replace("{done}", &done.to_string())
                        .replace("{total}", &total.to_string());
                    let bar = egui::ProgressBar::new(done as f32 / total as f32)
                        .text(text.clone())
                        .desired_width(320.0);
                    let response = ui.add(bar);
                    crate::app::widgets::progress_value(ui, &response, done, total);
                }
                ui.horizontal_wrapped(|ui| {
                    if shared.cancelling_install() {
                        ui.weak(s.pack_install_cancelling);
                    } else if ui.button(s.pack_install_cancel).clicked() {
                        actions.push(Request::App(Command::CancelInstall));
                    }
                });
            }
            ui.add_space(8.0);
            if !shared.checking_installed() && !shared.entries.iter().any(|e| e.module.is_ok()) {
                // Never a blank library: say why, and how to get modules.
                callout(ui, shared.settings.theme, s.library_empty_title, Accent::Note, |ui| {
                    ui.label(s.library_empty_body);
                });
                ui.add_space(8.0);
            }
            for (i, entry) in shared.entries.iter().enumerate() {
                // Widget ids follow the module, not its place in the list: installed packs join
                // the list after it is first shown, and the keyboard focus must stay on the same
                // module's button (usable module ids are unique; error cards have no buttons).
                let card_salt = match &entry.module {
                    Ok(m) => (m.id.as_str(), 0),
                    Err(_) => ("", i),
                };
                ui.push_id(card_salt, |ui| {
                    egui::Frame::group(ui.style()).inner_margin(14.0).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        match &entry.module {
                            Ok(m) => {
                                let status =
                                    catalog::status(m, shared.attempts.get(&m.id), shared.config.today);
                                let title = m.title.get(lang);
                                ui.label(egui::RichText::new(title).heading().size(21.0));
                                ui.label(m.summary.get(lang));
                                if let Origin::Pack { title, version, publisher, replaces_bundled, .. } =
                                    &entry.origin
                                {
                                    // Whose content this is, so a replaced module is visibly not Faro's.
                                    ui.small(
                                        s.card_from_pack
                                            .replace("{publisher}", publisher)
                                            .replace("{title}", title)
                                            .replace("{version}", version),
                                    );
                                    if replaces_bundled.contains(&m.id) {
                                        ui.small(s.card_replaces_bundled);
                                    }
                                }
                                ui.horizontal_wrapped(|ui| {
                                    ui.label(format!("{} {}", m.minutes, s.minutes));
                                    ui.label("·");
                                    ui.label(format!(
                                        "{}: {}",
                                        s.languages,
                                        m.languages.join(", ").to_uppercase()
                                    ));
                                    ui.label("·");
                                    let (text, tone) = status_text(status, s);
                                    ui.colored_label(accent(shared.settings.theme, tone), text);
                                    if m.review_by < shared.config.today {
                                        ui.label("·");
                                        ui.colored_label(
                                            accent(shared.settings.theme, Accent::Note),
                                            s.status_review_due,
                                        );
                                    }
                                });
                                let fraction = catalog::fraction(status);
                                let progress = format!("{} {:.0}%", s.progress_label, fraction * 100.0);
                                let mut bar = egui::ProgressBar::new(fraction)
                                    .desired_width(ui.available_width().min(420.0))
                                    .text(progress.as_str());
                                if fraction <= 0.0 {
                                    // egui draws an empty bar's fill as a dot at its start,
                                    // under the text; at 0 % there is nothing to fill.
                                    bar = bar.fill(egui::Color32::TRANSPARENT);
                                }
                                let bar = ui.add(bar);
                                widgets::progress_value(ui, &bar, (fraction * 100.0).round() as usize, 100);
                                let verb = match status {
                                    Status::NotStarted => s.start,
                                    Status::InProgress { .. } => s.resume,
                                    _ => s.review,
                                };
                                let button = crate::app::theme::primary_button(
                                    shared.settings.theme,
                                    &format!("{verb}: {title}"),
                                );
                                let response = ui.add(button).on_hover_text(s.open_module);
                                // A screen reader reads the button, not the card around it: the
                                // button says the module's status, length, progress and summary.
                                let (status_line, _) = status_text(status, s);
                                let minutes = format!("{} {}", m.minutes, s.minutes);
                                let from = match &entry.origin {
                                    Origin::Pack { publisher, title, version, .. } => s
                                        .card_from_pack
                                        .replace("{publisher}", publisher)
                                        .replace("{title}", title)
                                        .replace("{version}", version),
                                    Origin::Folder(_) => String::new(),
                                };
                                let description = crate::app::widgets::speech::joined([
                                    status_line.as_str(),
                                    minutes.as_str(),
                                    progress.as_str(),
                                    m.summary.get(lang),
                                    from.as_str(),
                                ]);
                                crate::app::widgets::speech::describe(ui, &response, &description);
                                // Keyboard users land on the obvious next step: Enter opens it, and
                                // the top bar is a Shift+Tab away.
                                if focus == Some(i) && lost {
                                    landing_card = Some(response.clone());
                                } else if focus == Some(i) {
                                    response.request_focus();
                                    // The focus shows from the next frame; draw it now, not at the
                                    // first key press.
                                    ui.ctx().request_repaint();
                                }
                                if response.clicked() {
                                    actions.push(Command::OpenModule(i).into());
                                }
                            }
                            Err(error) => {
                                ui.label(egui::RichText::new(entry.dir.display().to_string()).strong());
                                ui.colored_label(
                                    accent(shared.settings.theme, Accent::Bad),
                                    s.module_has_error,
                                );
                                ui.label(egui::RichText::new(error).monospace().small());
                            }
                        }
                    });
                });
                ui.add_space(6.0);
            }
            ui.add_space(12.0);
            packs_ui(shared, ui, &mut actions);
            privacy_ui(screen, shared, ui, &mut actions);
        });
    });
    if let Some(card) = landing_card {
        speech::landing(ui, &card, None);
    }
    actions
}

/// The module to suggest: the first in progress, else the first not started, else the first usable.
fn suggested_entry(shared: &Shared) -> Option<usize> {
    let statuses: Vec<(usize, Status)> = shared
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.module.as_ref().ok().map(|m| (i, m)))
        .map(|(i, m)| (i, catalog::status(m, shared.attempts.get(&m.id), shared.config.today)))
        .collect();
    let first = |wanted: fn(&Status) -> bool| statuses.iter().find(|(_, s)| wanted(s)).map(|(i, _)| *i);
    first(|s| matches!(s, Status::InProgress { .. }))
        .or_else(|| first(|s| matches!(s, Status::NotStarted)))
        .or_else(|| statuses.first().map(|(i, _)| *i))
}

/// Installed packs (publisher, version, key fingerprint, remove), the import button, and the
/// trust question for a pack from a new publisher.
fn packs_ui(shared: &Shared, ui: &mut egui::Ui, actions: &mut Requests) {
    let s = shared.strings();
    actions.extend(super::pack_offer::trust_ui(shared, ui).into_iter().map(Request::App));
    let mut seen = std::collections::BTreeSet::new();
    let packs: Vec<_> = shared
        .entries
        .iter()
        .filter_map(|e| match &e.origin {
            Origin::Pack { id, .. } if seen.insert(id.clone()) => Some(&e.origin),
            _ => None,
        })
        .collect();
    ui.separator();
    ui.label(egui::RichText::new(s.packs).strong());
    for origin in packs {
        let Origin::Pack { id, title, version, publisher, fingerprint, .. } = origin else { continue };
        ui.horizontal_wrapped(|ui| {
            ui.label(
                s.pack_line
                    .replace("{title}", title)
                    .replace("{version}", version)
                    .replace("{publisher}", publisher)
                    .replace("{fingerprint}", fingerprint),
            );
            let remove = ui.button(s.remove_pack);
            let accessible = format!("{} {title}", s.remove_pack);
            remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, accessible.clone()));
            if remove.clicked() {
                actions.push(Command::RemovePack(id.clone()).into());
            }
        });
    }
    if ui.button(s.import_pack).clicked() {
        actions.push(Command::PickPack.into());
    }
}

/// Export my records, and delete my data (with a confirmation).
fn privacy_ui(screen: &LibraryScreen, shared: &Shared, ui: &mut egui::Ui, actions: &mut Requests) {
    let s = shared.strings();
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        if ui.button(s.export_my_records).clicked() {
            actions.push(Request::Screen(LibraryAction::ExportMyRecords));
        }
        let delete = ui.button(s.delete_my_data);
        // Cancel (or Escape) closed the question: the focus goes back to the button that asked it.
        if !screen.confirm_delete && widgets::drawn_last_pass(ui, "faro-delete-confirm") {
            speech::take_focus(ui, &delete);
        }
        if delete.clicked() {
            actions.push(Request::Screen(LibraryAction::AskDeleteMyData));
        }
    });
    if screen.confirm_delete {
        let name = shared.learner_name().unwrap_or_default();
        callout(ui, shared.settings.theme, s.delete_my_data, Accent::Bad, |ui| {
            let question = s.delete_confirm.replace("{name}", name);
            ui.label(&question);
            ui.horizontal(|ui| {
                let yes = ui.button(s.delete_yes);
                let cancel = ui.button(s.cancel);
                // The safe answer has the focus and carries the question ("This cannot be
                // undone"), so a screen reader reads it before anything is deleted.
                speech::describe(ui, &cancel, &question);
                if widgets::first_pass_of(ui, "faro-delete-confirm") {
                    speech::take_focus(ui, &cancel);
                    cancel.scroll_to_me(None);
                }
                if yes.clicked() {
                    actions.push(Request::Screen(LibraryAction::ConfirmDeleteMyData));
                }
                if cancel.clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    actions.push(Request::Screen(LibraryAction::CancelDelete));
                }
            });
        });
    }
}

fn status_text(status: Status, s: &crate::app::strings::Strings) -> (String, Accent) {
    match status {
        Status::NotStarted => (s.status_not_started.to_owned(), Accent::Note),
        Status::InProgress { step, steps } => (
            format!(
                "{} ({})",
                s.status_in_progress,
                s.step_of.replace("{n}", &(step + 1).to_string()).replace("{total}", &steps.to_string())
            ),
            Accent::Note,
        ),
        Status::Passed { valid_until } => (
            format!("{} · {}", s.status_passed, s.valid_until.replace("{date}", &valid_until.to_string())),
            Accent::Good,
        ),
        Status::Failed => (s.status_failed.to_owned(), Accent::Bad),
        Status::Expired => (s.status_expired.to_owned(), Accent::Bad),
    }
}

/// Saves the current learner's records to one file in `exports/`, for them to hand in.
fn export_my_records(shared: &mut Shared) {
    if !shared.saving(true) {
        return;
    }
    let Some(learner) = shared.learner.clone() else { return };
    let data = &shared.config.data_dir;
    let (records, problems) = crate::records::load_learner(data, &learner);
    for p in problems {
        shared.notices.push(format!("{}: {}", p.path.display(), p.message));
    }
    // A record copied into the wrong folder by hand still names its learner.
    let mine: Vec<_> = records.into_iter().filter(|r| r.record.learner_id == learner).collect();
    let name = shared.learner_name().unwrap_or("learner").to_owned();
    let file = format!("records-{}-{}.json", sanitize(&name), shared.config.today);
    let path = shared.config.data_dir.root().join("exports").join(file);
    // The laptop's key and name, so the coordinator's laptops list can say which laptop reported.
    let key = crate::records::DeviceKey::load(data).ok().flatten().map(|k| k.public_hex());
    let label = crate::coordinator_settings::device_label(data);
    let result = crate::records::records_file_json_labelled(&mine, key, label)
        .map_err(|e| e.to_string())
        .and_then(|json| crate::data::store::write_atomic(&path, json.as_bytes()).map_err(|e| e.to_string()));
    let s = shared.strings();
    match result {
        Ok(()) => shared.notices.push(s.exported_to.replace("{path}", &path.display().to_string())),
        Err(e) => shared.notices.push(e),
    }
}

/// Deletes the current learner's profile, progress and records; returns whether it did.
fn delete_my_data(shared: &mut Shared) -> bool {
    if !shared.saving(true) {
        return false;
    }
    let Some(learner) = shared.learner.clone() else { return false };
    match crate::records::delete_learner(&shared.config.data_dir, &learner) {
        Ok(_) => {
            shared.profiles.learners.retain(|p| p.id != learner);
            shared.profiles.last_used = None;
            shared.forget_learner();
            true
        }
        Err(e) => {
            shared.notices.push(e.to_string());
            false
        }
    }
}

/// A name made safe to use in a file name.
fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).take(40).collect()
}
