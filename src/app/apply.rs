//! Carrying out what was asked in a frame: a screen's own action goes to that screen's `apply`;
//! a [`Command`] changes the app (the screen showing, settings, the learner, packs, the data
//! folder). Screen changes happen only here.

use std::path::{Path, PathBuf};

use super::command::Command;
use super::coordinator_lock;
use super::file_dialog::{self, FileDialogs, PathError, PathPrompt, PathPurpose, SystemPick};
use super::screens::coordinator::CoordinatorAction;
use super::screens::data_folder::reason_text;
use super::screens::pack_builder::{self, BuilderAction};
use super::screens::pack_offer::{self, Offer};
use super::screens::studio;
use super::shared::Shared;
use super::strings::Strings;
use super::widgets::speech;
use super::{Action, FaroApp, Player, Screen};
use crate::data::DataDir;
use crate::locations::DataLocation;
use crate::progress::Event;

impl FaroApp {
    /// Carries out one action (a [`Command`] converts into one).
    pub fn apply(&mut self, action: impl Into<Action>, ctx: &egui::Context) {
        let action = action.into();
        if moves_focus(&action) {
            speech::arm_landing(ctx);
        }
        let follow_ups = match action {
            Action::App(command) => {
                self.command(command, ctx);
                Vec::new()
            }
            Action::Start(action) => match &mut self.screen {
                Screen::Start(start) => start.apply(action, &mut self.shared),
                _ => Vec::new(),
            },
            Action::Library(action) => match &mut self.screen {
                Screen::Library(library) => library.apply(action, &mut self.shared),
                _ => Vec::new(),
            },
            Action::Player(action) => {
                if let Screen::Player(player) = &mut self.screen {
                    player.apply(action, &mut self.shared);
                }
                Vec::new()
            }
            Action::Coordinator(CoordinatorAction::PickFiles) => {
                self.choose_path(PathPurpose::Records, ctx);
                Vec::new()
            }
            Action::Coordinator(action) => {
                if let Screen::Coordinator(c) = &mut self.screen {
                    c.apply(action, self.shared.config.today, ctx);
                }
                Vec::new()
            }
            Action::PackBuilder(action) => {
                self.pack_builder(action, ctx);
                Vec::new()
            }
            Action::Studio(action) => {
                self.studio(action, ctx);
                Vec::new()
            }
        };
        for command in follow_ups {
            self.command(command, ctx);
        }
    }

    /// Carries out a command for the whole app.
    fn command(&mut self, command: Command, ctx: &egui::Context) {
        let shared = &mut self.shared;
        match command {
            Command::PickLearner(id) => {
                if shared.pick_learner(id) {
                    self.screen = Screen::Library(Default::default());
                }
            }
            Command::SwitchLearner => {
                // Another person is about to use the laptop.
                self.coordinator_lock.lock();
                self.leave_module();
                self.shared.forget_learner();
                self.screen = Screen::Start(Default::default());
            }
            Command::OpenModule(index) => {
                if shared.being_installed(index) {
                    shared.notices.push(shared.strings().pack_install_module_busy.to_owned());
                    return;
                }
                if let Some(player) = Player::open(shared, index) {
                    self.screen = Screen::Player(Box::new(player));
                }
            }
            Command::ToLibrary => self.leave_module(),
            Command::QuickExit => {
                self.coordinator_lock.lock();
                self.leave_module();
                // Nothing of the module's subject stays on screen: the hotline panel closes too,
                // and the focus lands in the library rather than going back into the panel's opener.
                self.shared.help_open = false;
                self.help_opener = None;
            }
            Command::ToggleHelp => {
                shared.help_open = !shared.help_open;
                if shared.help_open {
                    // The help panel takes the focus (see `panels::help`); remember where from.
                    self.help_opener = ctx.memory(|m| m.focused());
                    speech::arm_landing(ctx);
                } else if let Some(opener) = self.help_opener.take() {
                    ctx.memory_mut(|m| m.request_focus(opener));
                }
            }
            Command::SetRegion(region) => {
                shared.settings.region = region;
                shared.save_settings();
            }
            Command::SetLanguage(lang) => {
                shared.settings.lang = lang.clone();
                shared.save_settings();
                // The attempt follows the UI language; the learner stays on the same step and node.
                if let Screen::Player(player) = &mut self.screen {
                    player.journey(Event::SwitchLanguage(lang), shared);
                }
            }
            Command::SetTheme(theme) => {
                shared.settings.theme = theme;
                shared.save_settings();
            }
            Command::Zoom(zoom) => {
                // Round to tenths so repeated steps land on the same sizes.
                shared.settings.zoom = ((zoom * 10.0).round() / 10.0).clamp(0.6, 2.5);
                shared.save_settings();
            }
            Command::Copy(text) => {
                ctx.copy_text(text.clone());
                shared.copied = Some(text);
            }
            Command::DismissNotice(i) => {
                if i < shared.notices.len() {
                    shared.notices.remove(i);
                }
                // The focused Dismiss button is gone with the last notice: the screen's own
                // landing takes the focus, not the window (others remaining keep it among them).
                if shared.notices.is_empty() {
                    speech::arm_landing(ctx);
                }
            }
            Command::OpenCoordinator => {
                self.leave_module();
                self.screen = Screen::Coordinator(Box::default());
            }
            Command::OpenAbout => {
                if !matches!(self.screen, Screen::About(_)) {
                    let back = std::mem::replace(&mut self.screen, Screen::Start(Default::default()));
                    self.screen = Screen::About(Box::new(back));
                }
            }
            Command::CloseAbout => {
                if let Screen::About(back) =
                    std::mem::replace(&mut self.screen, Screen::Start(Default::default()))
                {
                    self.screen = *back;
                }
            }
            Command::PickPack => self.choose_path(PathPurpose::ImportPack, ctx),
            Command::OfferPack(path) => {
                if shared.saving(true) {
                    let offer = pack_offer::offer(shared, path);
                    self.take_pack(offer, ctx);
                }
            }
            Command::TrustPendingPack => {
                let offer = pack_offer::trust_pending(shared);
                self.take_pack(offer, ctx);
            }
            Command::ReplaceBundled => {
                let offer = pack_offer::replace_confirmed(shared);
                self.take_pack(offer, ctx);
            }
            Command::CancelPendingPack => shared.pending_pack = None,
            Command::CancelInstall => shared.cancel_install(),
            Command::RemovePack(id) => {
                if !shared.saving(true) {
                    return;
                }
                self.leave_module();
                match crate::pack::remove(&self.shared.config.data_dir, &id) {
                    Ok(()) => self.shared.reload_library(),
                    Err(e) => self.shared.notices.push(e.to_string()),
                }
            }
            Command::ChooseDataFolder => self.choose_path(PathPurpose::DataFolder, ctx),
            Command::TypeDataFolder => self.path_prompt = Some(PathPrompt::new(PathPurpose::DataFolder)),
            Command::SaveCertificateCopy(source) => self.choose_path(PathPurpose::Certificate(source), ctx),
            Command::PathPromptOk => self.path_prompt_ok(ctx),
            Command::PathPromptCancel => self.path_prompt = None,
            Command::UseDataFolder(dir) => self.use_data_folder(dir),
            Command::UseTypedDataFolder(text) => {
                match file_dialog::check_typed(&PathPurpose::DataFolder, &text) {
                    Ok(dir) => self.use_data_folder(dir),
                    Err(error) => shared.data_choice_error = Some(error_text(&error, shared.strings())),
                }
            }
            Command::ContinueWithoutSaving => self.screen = self.home_screen(),
            Command::Lock(action) => {
                let lock_now = action == coordinator_lock::LockAction::LockNow;
                coordinator_lock::apply(&mut self.coordinator_lock, action, shared);
                if lock_now {
                    self.leave_module();
                }
            }
            Command::SaveXapiHomePage(text) => {
                coordinator_lock::save_home_page(&mut self.coordinator_lock, shared, &text);
            }
            Command::SaveDeviceLabel(text) => {
                coordinator_lock::save_device_label(&mut self.coordinator_lock, shared, &text);
            }
            Command::OpenPackBuilder => {
                if !self.coordinator_lock.is_open() {
                    return;
                }
                let coordinator = std::mem::replace(&mut self.screen, Screen::Start(Default::default()));
                self.screen = match coordinator {
                    Screen::Coordinator(c) => Screen::PackBuilder(Box::new(pack_builder::open(c, shared))),
                    other => other,
                };
            }
        }
    }

    /// A pack that was offered: the module being taken is closed first when the pack is to be
    /// installed or asked about (an install may move its progress).
    pub(super) fn take_pack(&mut self, offer: Offer, ctx: &egui::Context) {
        match offer {
            Offer::Refused => {}
            Offer::Ask => {
                if !matches!(self.screen, Screen::Library(_) | Screen::Start(_)) {
                    self.leave_module();
                }
            }
            Offer::Install { path, trust, replace } => {
                self.leave_module();
                pack_offer::install(&mut self.shared, &path, *trust, replace, ctx);
            }
        }
    }

    /// A pack builder action; "back" returns to the Coordinator screen it was opened from.
    fn pack_builder(&mut self, action: pack_builder::BuilderAction, ctx: &egui::Context) {
        // Defence in depth: the screen is not drawn while locked, so its actions cannot come.
        if !self.coordinator_lock.is_open() {
            return;
        }
        // Folders are asked for as every path is: the system's dialog, or the typed-path field.
        let purpose = match action {
            BuilderAction::PickBackupFolder => Some(PathPurpose::KeyBackupFolder),
            BuilderAction::PickFolders => Some(PathPurpose::ModuleFolders),
            BuilderAction::PickOutputFolder => Some(PathPurpose::PackOutputFolder),
            _ => None,
        };
        if let Some(purpose) = purpose {
            self.choose_path(purpose, ctx);
            return;
        }
        if action == pack_builder::BuilderAction::Back {
            if let Screen::PackBuilder(b) =
                std::mem::replace(&mut self.screen, Screen::Start(Default::default()))
            {
                self.screen = Screen::Coordinator(b.coordinator);
            }
            return;
        }
        if let Screen::PackBuilder(b) = &mut self.screen {
            pack_builder::apply(b, action, &mut self.shared);
        }
    }

    /// An author's action in the preview; the player shows what it asks for.
    fn studio(&mut self, action: studio::StudioAction, ctx: &egui::Context) {
        let Some(studio) = self.studio.as_deref_mut() else { return };
        let current = self.screen.player().map(|p| &p.attempt);
        if let Some(attempt) = studio::apply(studio, action, &mut self.shared, current, ctx) {
            self.screen = Screen::Player(Box::new(Player::showing(0, attempt, None)));
        }
    }

    /// Leaves the module (saving it) or the coordinator's screens for the library or start.
    pub(super) fn leave_module(&mut self) {
        match &self.screen {
            Screen::Player(player) => {
                let attempt = player.attempt.clone();
                self.shared.save_attempt(&attempt);
                self.screen = Screen::Library(Default::default());
            }
            Screen::Coordinator(_) | Screen::PackBuilder(_) => self.screen = self.home_screen(),
            Screen::About(_) => {
                // Leave the screen About was opened from, as if it were showing.
                if let Screen::About(back) =
                    std::mem::replace(&mut self.screen, Screen::Start(Default::default()))
                {
                    self.screen = *back;
                    self.leave_module();
                }
            }
            Screen::Start(_) | Screen::Library(_) | Screen::DataFolder(_) => {}
        }
    }

    /// Moves to another data folder, which must be writable and not in use.
    ///
    /// - An empty folder receives a copy of everything saved in the current one (nothing in
    ///   either folder is overwritten), then what this window holds (settings, learners, progress,
    ///   which may be newer than the copies) is saved there.
    /// - A folder that already holds Faro data (the one chosen last time the stick was read-only)
    ///   is used as it is: the window reloads from it, and nothing saved there is replaced by the
    ///   older copies in the current folder. What this window did without saving is not kept,
    ///   as the banner said.
    pub fn use_data_folder(&mut self, dir: PathBuf) {
        let s = self.shared.strings();
        let new = DataDir::at(dir.clone());
        if new.root() == self.shared.config.data_dir.root() && self.shared.data_problem.is_none() {
            return;
        }
        let lock = match new.claim() {
            Ok(lock) => lock,
            Err(problem) => {
                self.shared.data_choice_error =
                    Some(s.data_choose_failed.replace("{reason}", &reason_text(&problem, s)));
                return;
            }
        };
        let mut config = self.shared.config.clone();
        config.data_dir = new.clone();
        config.data_location = Some(DataLocation::Chosen(dir.clone()));
        if new.has_data() {
            // Reopen on the folder's own data; the new window takes the lock itself.
            drop(lock);
            let renderer = self.shared.renderer.take();
            let renderer_choice = self.shared.renderer_choice;
            let file_dialogs = self.file_dialogs;
            *self = FaroApp::new(config);
            self.file_dialogs = file_dialogs;
            self.shared.renderer = renderer;
            self.shared.renderer_choice = renderer_choice;
            self.shared.notices.push(s.data_reopened.replace("{dir}", &dir.display().to_string()));
            return;
        }
        let copied = match self.shared.config.data_dir.copy_into(&new) {
            Ok(n) => n,
            Err(e) => {
                self.shared.data_choice_error =
                    Some(s.data_choose_failed.replace("{reason}", &e.to_string()));
                return;
            }
        };
        let shared = &mut self.shared;
        shared.config = config;
        shared.data_lock = Some(lock);
        shared.data_problem = None;
        shared.data_choice_error = None;
        // The coordinator settings were copied too: read them where they now live (which also
        // asks for the passphrase again).
        self.coordinator_lock = coordinator_lock::CoordinatorLock::load(&shared.config.data_dir, true);
        save_everything(shared);
        if let Some(player) = self.screen.player() {
            let attempt = player.attempt.clone();
            self.shared.save_attempt(&attempt);
        }
        if matches!(self.screen, Screen::DataFolder(_)) {
            self.screen = self.home_screen();
        }
        self.shared.notices.push(
            s.data_moved.replace("{dir}", &dir.display().to_string()).replace("{count}", &copied.to_string()),
        );
        if !matches!(self.screen, Screen::Player(_)) {
            self.shared.reload_library();
        }
    }
}

/// Saves what this window holds (settings, learners, the learner's progress) in its data folder.
fn save_everything(shared: &mut Shared) {
    shared.save_settings();
    shared.save_profiles();
    if let Some(learner) = shared.learner.clone() {
        shared.save(|shared| {
            shared.attempts.values().try_for_each(|a| shared.config.data_dir.save_attempt(&learner, a))
        });
    }
}

/// Whether an action changes what is on screen, so the keyboard focus should land on what the
/// learner acts on next ([`speech::arm_landing`]). Settings, copying and ticking a box leave the
/// focus where it is.
fn moves_focus(action: &Action) -> bool {
    !matches!(
        action,
        Action::App(
            Command::Copy(_)
                | Command::Zoom(_)
                | Command::SetTheme(_)
                | Command::SetLanguage(_)
                | Command::SetRegion(_)
                | Command::DismissNotice(_)
                | Command::ToggleHelp
        ) | Action::Player(super::PlayerAction::Tick { .. })
            | Action::Coordinator(_)
            | Action::Studio(studio::StudioAction::Reload)
    )
}

/// Asking for a path: the system's dialog where there is one, else the typed-path field
/// (`screens::path_prompt`); then using the path for what it was asked for.
impl FaroApp {
    /// Asks for a path for `purpose`. When the system's dialog cannot be shown, the typed-path
    /// field opens instead, and stays the way for the rest of the session.
    pub(super) fn choose_path(&mut self, purpose: PathPurpose, ctx: &egui::Context) {
        if self.file_dialogs == FileDialogs::System {
            match file_dialog::system_pick(&purpose) {
                SystemPick::Chosen(paths) => {
                    self.use_paths(purpose, paths, ctx);
                    return;
                }
                SystemPick::Cancelled => return,
                SystemPick::Unavailable => self.file_dialogs = FileDialogs::Typed,
            }
        }
        self.path_prompt = Some(PathPrompt::new(purpose));
    }

    /// The person confirmed the typed path: it is used, or the field says why it cannot be.
    pub(super) fn path_prompt_ok(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.path_prompt else { return };
        let s = self.shared.strings();
        match file_dialog::check_typed(&prompt.purpose, &prompt.input) {
            Ok(path) => {
                let purpose = prompt.purpose.clone();
                self.path_prompt = None;
                self.use_paths(purpose.clone(), vec![path], ctx);
                // A folder that cannot hold the data keeps the field open, saying why.
                if purpose == PathPurpose::DataFolder
                    && let Some(error) = self.shared.data_choice_error.clone()
                {
                    let mut prompt = PathPrompt::new(purpose);
                    prompt.error = Some(error);
                    self.path_prompt = Some(prompt);
                }
            }
            Err(PathError::NotWritable(reason)) => {
                prompt.error = Some(s.path_not_writable.replace("{reason}", &reason));
            }
            Err(error) => prompt.error = Some(error_text(&error, s)),
        }
    }

    /// Uses the chosen paths (one, but for records files and module folders) for what they were
    /// asked for. The Coordinator's and the pack builder's paths go to their screen, if it is
    /// still the one showing.
    fn use_paths(&mut self, purpose: PathPurpose, mut paths: Vec<PathBuf>, ctx: &egui::Context) {
        match purpose {
            PathPurpose::Records => {
                if let Screen::Coordinator(c) = &mut self.screen {
                    c.apply(CoordinatorAction::Import(paths), self.shared.config.today, ctx);
                }
                return;
            }
            PathPurpose::ModuleFolders => {
                self.pack_builder(BuilderAction::AddFolders(paths), ctx);
                return;
            }
            _ => {}
        }
        let Some(path) = paths.pop() else { return };
        match purpose {
            PathPurpose::Records | PathPurpose::ModuleFolders => {}
            PathPurpose::KeyBackupFolder => {
                if let Screen::PackBuilder(b) = &mut self.screen {
                    b.backup_input = path.display().to_string();
                }
                self.pack_builder(BuilderAction::BackUpKey(path), ctx);
            }
            PathPurpose::PackOutputFolder => {
                if let Screen::PackBuilder(b) = &mut self.screen {
                    b.output_input = path.display().to_string();
                }
            }
            PathPurpose::ImportPack => {
                let offer = pack_offer::offer(&mut self.shared, path);
                self.take_pack(offer, ctx);
            }
            PathPurpose::DataFolder => self.use_data_folder(path),
            PathPurpose::Certificate(source) => {
                let s = self.shared.strings();
                match copy_certificate(&source, &path) {
                    Ok(()) => self
                        .shared
                        .notices
                        .push(s.certificate_copy_saved.replace("{path}", &path.display().to_string())),
                    Err(reason) => {
                        // Asked again, saying why, so the person can type another place.
                        let mut prompt = PathPrompt::new(PathPurpose::Certificate(source));
                        prompt.input = path.display().to_string();
                        prompt.error = Some(s.path_not_writable.replace("{reason}", &reason));
                        self.path_prompt = Some(prompt);
                    }
                }
            }
        }
    }
}

/// Copies the saved certificate to `to`, atomically.
fn copy_certificate(source: &Path, to: &Path) -> Result<(), String> {
    let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
    crate::data::store::write_atomic(to, &bytes).map_err(|e| e.to_string())
}

fn error_text(error: &PathError, s: &Strings) -> String {
    match error {
        PathError::Empty => s.path_empty.to_owned(),
        PathError::Missing => s.path_missing.to_owned(),
        PathError::NotAPack => s.path_not_a_pack.to_owned(),
        PathError::NotAFolder => s.path_not_a_folder.to_owned(),
        PathError::NotWritable(reason) => s.path_not_writable.replace("{reason}", reason),
    }
}
