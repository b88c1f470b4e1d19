//! The window around the screen: the top bar, the help panel, the author's sidebar, the banner
//! and notices, then the screen showing; files dropped on the window; and keeping the keyboard
//! focus where a keyboard or screen-reader user can follow it.

use super::command::Command;
use super::coordinator_lock;
use super::panels::{self, help, top_bar};
use super::screens::{about, coordinator, data_folder, pack_builder_ui, pack_offer, path_prompt, studio};
use super::widgets::{self, speech};
use super::{Action, FaroApp, Screen, route};

/// Draws the whole window: top bar, notices, help panel, and the current screen.
pub fn frame_ui(app: &mut FaroApp, ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions: Vec<Action> = Vec::new();
    follow_focus(ui.ctx());
    actions.extend(dropped_files(app, ui));
    let FaroApp { shared, screen, coordinator_lock, studio, images, path_prompt, .. } = app;
    let shared = &*shared;
    let s = shared.strings();
    let showing = screen.kind();
    egui::Panel::top("top_bar").show(ui, |ui| actions.extend(commands(top_bar::ui(shared, showing, ui))));
    if shared.help_open {
        egui::Panel::right("help")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| actions.extend(commands(help::ui(shared, ui))));
        name_resize_handle(ui, "help", s.resize_panel);
    }
    let current = screen.player().map(|p| &p.attempt);
    if let Some(studio) = studio.as_deref() {
        egui::Panel::left("studio").resizable(true).default_size(340.0).show(ui, |ui| {
            actions.extend(studio::sidebar_ui(studio, shared, current, ui).into_iter().map(Action::Studio));
        });
        name_resize_handle(ui, "studio", s.resize_panel);
    }
    let current_step = current.map(|attempt| attempt.step);
    egui::CentralPanel::default().show(ui, |ui| {
        if !matches!(screen, Screen::DataFolder(_)) {
            actions.extend(commands(data_folder::banner_ui(shared, ui)));
        }
        actions.extend(commands(panels::notices_ui(shared, ui)));
        if let Some(studio) = studio.as_deref_mut() {
            if studio.session.good().is_none() {
                studio::nothing_yet_ui(studio, shared, ui);
                return;
            }
            if studio.show_map {
                let asked = studio::map_ui(studio, shared, current_step, ui);
                actions.extend(asked.into_iter().map(Action::Studio));
                return;
            }
        }
        match screen {
            Screen::Start(start) => actions.extend(route(start.ui(shared, ui), Action::Start)),
            Screen::Library(library) => actions.extend(route(library.ui(shared, ui), Action::Library)),
            Screen::Player(player) => actions.extend(route(player.ui(shared, images, ui), Action::Player)),
            Screen::Coordinator(c) => {
                let asked = coordinator_lock::gated(coordinator_lock, shared, ui, |ui, lock| {
                    coordinator::ui(c, shared, lock, ui)
                });
                actions.extend(route(asked, Action::Coordinator));
            }
            Screen::PackBuilder(b) => {
                let asked = coordinator_lock::gated(coordinator_lock, shared, ui, |ui, _| {
                    pack_builder_ui(b, shared, ui)
                });
                actions.extend(route(asked, Action::PackBuilder));
            }
            Screen::DataFolder(folder) => actions.extend(commands(folder.ui(shared, ui))),
            Screen::About(_) => actions.extend(commands(about::ui(shared, ui))),
        }
    });
    actions.extend(commands(pack_offer::confirm_replace_ui(shared, ui.ctx())));
    if let Some(prompt) = path_prompt {
        actions.extend(commands(path_prompt::ui(prompt, shared, ui.ctx())));
    }
    speech::lapse_landing(ui.ctx());
    crate::app::widgets::markdown::track_focus_visibility(ui.ctx());
    focus_moved_in_pass(ui.ctx());
    actions
}

fn commands(commands: Vec<Command>) -> impl Iterator<Item = Action> {
    commands.into_iter().map(Action::App)
}

/// Dropped packs are offered for install; dropped records files go to the coordinator.
fn dropped_files(app: &FaroApp, ui: &egui::Ui) -> Vec<Action> {
    let dropped: Vec<std::path::PathBuf> = ui.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_owned())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    let (packs, records): (Vec<_>, Vec<_>) =
        dropped.into_iter().partition(|p| p.extension().is_some_and(|e| e == crate::pack::PACK_EXTENSION));
    let mut actions: Vec<Action> = packs.into_iter().map(|p| Command::OfferPack(p).into()).collect();
    if !records.is_empty() {
        if !matches!(app.screen, Screen::Coordinator(_)) {
            actions.push(Command::OpenCoordinator.into());
        }
        actions.push(Action::Coordinator(coordinator::CoordinatorAction::Import(records)));
    }
    actions
}

/// egui names a panel's resize handle in English ("Resize panel"); this names it in the UI
/// language. The id is egui's: the panel's id (scope and salt) with "__resize".
fn name_resize_handle(ui: &egui::Ui, panel: &str, name: &'static str) {
    let handle = ui.scope_id().with_salt(egui::IdSalt::new(panel)).with("__resize");
    if ui.ctx().has_accesskit_node(handle) {
        ui.ctx().accesskit_node_builder(handle, |node| node.set_label(name));
    }
}

/// Tab moves the focus while the pass is drawn, and the arrow keys at its end: another pass is
/// asked for, so [`follow_focus`] scrolls the newly focused control into view at once rather
/// than at the next input (with no mouse moving, that could be the next key press).
fn focus_moved_in_pass(ctx: &egui::Context) {
    let seen = ctx.data_mut(|d| d.get_temp::<Option<egui::Id>>(egui::Id::unique(FOCUS_LAST_PASS))).flatten();
    if ctx.memory(|m| m.focused()) != seen {
        ctx.request_repaint();
    }
}

/// Egui temporary-memory key of the widget that had the focus when [`follow_focus`] last ran.
const FOCUS_LAST_PASS: &str = "faro-focus-last-pass";

/// Keeps the keyboard focus where a keyboard or screen-reader user can follow it:
/// - egui drops the focus when Escape is pressed (closing a list, or anywhere outside a module,
///   where Escape is not Quick exit), which leaves a screen reader on the bare window: the focus
///   goes back to the widget that had it, if that widget is still on screen;
/// - when the focus moved since the last pass (Tab, the arrow keys, a landing), the widget that
///   has it is scrolled into view: egui moves the focus but does not scroll to it. Its place is
///   handed to [`widgets::scroll_focus_into_view`], which the scroll area holding it calls: egui
///   0.37 applies a scroll request only from inside a scroll area's content.
pub(super) fn follow_focus(ctx: &egui::Context) {
    widgets::forget_focus_to_show(ctx);
    let key = egui::Id::unique(FOCUS_LAST_PASS);
    let mut focused = ctx.memory(|m| m.focused());
    let before = ctx.data_mut(|d| d.get_temp::<Option<egui::Id>>(key)).flatten();
    if focused.is_none()
        && let Some(before) = before
        && ctx.input(|i| i.key_pressed(egui::Key::Escape))
        && ctx.read_response(before).is_some()
    {
        ctx.memory_mut(|m| m.request_focus(before));
        focused = Some(before);
    }
    if focused != before {
        ctx.data_mut(|d| d.insert_temp(key, focused));
        if let Some(response) = focused.and_then(|id| ctx.read_response(id)) {
            widgets::show_focus_at(ctx, response.rect);
        }
    }
}
