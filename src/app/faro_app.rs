//! The app: the state the screens share, the screen showing, and what belongs to the window
//! (image textures, the focus to give back, the title). One frame: shortcuts, then the window's
//! panels and the screen, then what they asked for.

use std::path::Path;

use super::config::Config;
use super::coordinator_lock::CoordinatorLock;
use super::file_dialog::{FileDialogs, PathPrompt};
use super::images::ImageCache;
use super::screens::studio::{self, Studio};
use super::shared::Shared;
use super::{Action, Player, Screen, frame, keyboard, theme};
use crate::preview::Session;

/// The Faro app.
pub struct FaroApp {
    /// What every screen reads: settings, learners, the library, progress, notices.
    pub shared: Shared,
    /// The screen showing, with its own state.
    pub screen: Screen,
    /// The optional passphrase in front of the coordinator's screens (the Coordinator and the
    /// pack builder, and Quick exit locks it again).
    pub coordinator_lock: CoordinatorLock,
    /// The author preview (`faro preview DIR`); `None` in the learners' app.
    pub studio: Option<Box<Studio>>,
    /// The system's file dialog, or the typed-path field (tests and systems without a portal).
    pub file_dialogs: FileDialogs,
    /// The typed-path field, while it is open.
    pub path_prompt: Option<PathPrompt>,
    pub(super) images: ImageCache,
    /// The widget that had the keyboard focus when the help panel opened; it gets it back when
    /// the panel closes.
    pub(super) help_opener: Option<egui::Id>,
    /// The window title last sent, "Faro — <screen>" (also the window's accessible name).
    window_title: String,
    applied_theme: Option<theme::Theme>,
}

impl FaroApp {
    /// Loads profiles, settings and the library; never fails: problems become notices, and a data
    /// folder that cannot be used opens the data folder screen.
    pub fn new(config: Config) -> Self {
        let mut shared = Shared::load(config);
        let coordinator_lock = CoordinatorLock::load(&shared.config.data_dir, shared.data_problem.is_none());
        shared.load_library();
        let picked = shared.profiles.last_used.clone().is_some_and(|last| shared.pick_learner(last));
        let screen = if shared.data_problem.is_some() {
            Screen::DataFolder(Default::default())
        } else if picked {
            Screen::Library(Default::default())
        } else {
            Screen::Start(Default::default())
        };
        Self {
            shared,
            screen,
            coordinator_lock,
            studio: None,
            file_dialogs: FileDialogs::default(),
            path_prompt: None,
            images: ImageCache::default(),
            help_opener: None,
            window_title: String::new(),
            applied_theme: None,
        }
    }

    /// The viewer as an author preview of the module in `dir`: only that module, a throwaway
    /// data folder (given in `config`, and `data` to delete it when the window closes), a
    /// learner named "Preview", and the module open on its first step.
    pub fn preview(config: Config, dir: &Path, data: Option<tempfile::TempDir>) -> Self {
        let session = Session::open(dir, config.regions.clone(), config.today);
        let mut app = FaroApp::new(config);
        app.shared.previewing = true;
        if app.shared.learner.is_none() {
            match app.shared.profiles.add(app.shared.strings().studio.window) {
                Ok(profile) => {
                    if app.shared.pick_learner(profile.id) {
                        app.screen = Screen::Library(Default::default());
                    }
                }
                Err(e) => app.shared.notices.push(e.to_string()),
            }
        }
        let mut studio = Studio::new(session, data);
        // Installed packs are not part of a preview: the library holds the previewed module only.
        if let Some(attempt) = studio::show_good_version(&mut studio, &mut app.shared, None, true) {
            app.screen = Screen::Player(Box::new(Player::showing(0, attempt, None)));
        } else {
            app.shared.show_only(Vec::new());
        }
        app.studio = Some(Box::new(studio));
        app
    }

    /// Draws one frame and applies what the learner did.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.shared.settings.theme) {
            theme::apply(&ctx, self.shared.settings.theme);
            self.applied_theme = Some(self.shared.settings.theme);
        }
        if (ctx.zoom_factor() - self.shared.settings.zoom).abs() > f32::EPSILON {
            // Our settings own the zoom (Ctrl +/- are handled in `keyboard`), so it is remembered.
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            ctx.set_zoom_factor(self.shared.settings.zoom);
        }
        self.images.poll(&ctx);
        self.poll_studio(&ctx);
        self.receive_installed(&ctx);
        self.receive_install();
        let mut actions: Vec<Action> = keyboard::shortcuts(self, &ctx);
        actions.extend(frame::frame_ui(self, ui));
        for action in actions {
            self.apply(action, &ctx);
        }
        // The learner may have just closed a module, which is when installed packs that
        // arrived meanwhile join the library, and a finished install is told.
        self.receive_installed(&ctx);
        self.receive_install();
        self.name_window(&ctx);
    }

    /// Reloads the previewed module when a save has settled.
    fn poll_studio(&mut self, ctx: &egui::Context) {
        let Some(studio) = self.studio.as_deref_mut() else { return };
        let current = self.screen.player().map(|p| &p.attempt);
        if let Some(attempt) = studio::poll(studio, &mut self.shared, current, ctx) {
            self.screen = Screen::Player(Box::new(Player::showing(0, attempt, None)));
        }
    }

    /// Takes installed packs into the library once loaded, unless a module is open.
    fn receive_installed(&mut self, ctx: &egui::Context) {
        let module_open = self.screen.player().is_some();
        self.shared.receive_installed(ctx, module_open);
    }

    /// Tells what a finished install changed and reloads the library, unless a module is open:
    /// the player addresses its card by its place in the list, which a reload changes, so the
    /// result waits until the learner is back in the library.
    fn receive_install(&mut self) {
        if self.screen.player().is_some() {
            return;
        }
        if let Some(result) = self.shared.receive_install() {
            super::screens::pack_offer::installed(&mut self.shared, result);
        }
    }

    /// Keeps the window title, which is also its accessible name, on "Faro — <screen>", so a
    /// screen reader says where the learner is when the window takes the focus.
    fn name_window(&mut self, ctx: &egui::Context) {
        let s = self.shared.strings();
        let screen = match &self.screen {
            Screen::Start(_) => s.window_start.to_owned(),
            Screen::Library(_) => s.window_library.to_owned(),
            Screen::Player(p) => match self.shared.entries.get(p.entry).map(|e| &e.module) {
                Some(Ok(module)) => module.title.get(&self.shared.settings.lang).to_owned(),
                _ => s.window_library.to_owned(),
            },
            Screen::Coordinator(_) => s.coordinator.to_owned(),
            Screen::PackBuilder(_) => s.tools.builder_title.to_owned(),
            Screen::DataFolder(_) => s.window_data_folder.to_owned(),
            Screen::About(_) => s.about.to_owned(),
        };
        let title = match &self.studio {
            Some(_) => format!("Faro — {} — {screen}", s.studio.window),
            None => format!("Faro — {screen}"),
        };
        // The accessibility tree is rebuilt every pass; its root (the window) is named each time.
        ctx.accesskit_node_builder(egui::accesskit_root_id(), |node| node.set_label(title.as_str()));
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }

    /// Where the app goes when nothing else is open: the library, or the start screen.
    pub(super) fn home_screen(&self) -> Screen {
        if self.shared.learner.is_some() {
            Screen::Library(Default::default())
        } else {
            Screen::Start(Default::default())
        }
    }

    /// What the app shows, in one line, for the frame report (`FARO_FRAME_REPORT`).
    pub fn view_summary(&self) -> String {
        let (loading, ready) = self.images.counts();
        let screen = match &self.screen {
            Screen::Start(_) => "start".to_owned(),
            Screen::Library(_) => {
                let usable = self.shared.entries.iter().filter(|e| e.module.is_ok()).count();
                format!("library, {usable} modules")
            }
            Screen::DataFolder(_) => "data-folder".to_owned(),
            Screen::About(_) => "about".to_owned(),
            Screen::Coordinator(_) => "coordinator".to_owned(),
            Screen::PackBuilder(_) => "pack-builder".to_owned(),
            Screen::Player(p) => format!("player {} step {}", p.attempt.module_id, p.attempt.step + 1),
        };
        format!("{screen}; images loading {loading}, ready {ready}")
    }

    /// Whether images are still decoding (so tests can wait).
    pub fn images_pending(&self) -> bool {
        self.images.pending()
    }

    /// Whether a pack is being installed (on a worker thread).
    pub fn installing_pack(&self) -> bool {
        self.shared.installing().is_some()
    }

    /// Whether the Coordinator screen is importing records files (on a worker thread).
    pub fn importing_records(&self) -> bool {
        matches!(&self.screen, Screen::Coordinator(c) if c.importing.is_some())
    }

    /// Whether installed packs are still being checked (the library says so).
    pub fn checking_installed(&self) -> bool {
        self.shared.checking_installed()
    }

    /// The current learner's display name.
    pub fn learner_name(&self) -> Option<&str> {
        self.shared.learner_name()
    }
}
