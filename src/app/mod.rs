//! The egui viewer. Screens draw state and return [`Action`]s; [`FaroApp::apply`] carries them
//! out after the frame, so every user action is testable without a window.

pub mod catalog;
pub mod frame_report;
mod images;
mod library_load;
mod screens;
pub mod strings;
pub mod strings_coordinator_tools;
pub mod strings_studio;
pub mod theme;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::format::Regions;
use crate::locations::{DataLocation, ModuleFolder};
use crate::progress::store::{self, Loaded};
use crate::progress::{Attempt, DataDir, DataLock, DataProblem, Event, NameError, Profiles};
#[doc(hidden)]
pub use library_load::LoadGate;
pub use screens::coordinator::{Coordinator, CoordinatorAction, HistoryTarget, View as CoordinatorView};
pub use screens::coordinator_lock::{CoordinatorLock, LockAction};
pub use screens::pack_builder::{BuilderAction, PackBuilder};
pub use screens::studio::{Studio, StudioAction};
pub use screens::{PendingPack, PendingStep};
use strings::Strings;
use theme::Theme;

/// Choices that survive a restart, saved in the data directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub lang: String,
    pub theme: Theme,
    pub zoom: f32,
    /// `us` or `mx`: which contacts the Get help panel shows first.
    pub region: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self { lang: "en".into(), theme: Theme::Light, zoom: 1.0, region: "us".into() }
    }
}

/// Where the app gets its data; tests point these at temporary folders.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: DataDir,
    /// Why the data folder is where it is, for the About screen (`None` in tests).
    pub data_location: Option<DataLocation>,
    /// Folders of modules in precedence order (installed packs come first, from `data_dir`).
    pub module_folders: Vec<ModuleFolder>,
    pub regions: Regions,
    pub today: NaiveDate,
    /// Problems met while finding the folders, shown as notices.
    pub problems: Vec<String>,
    /// The UI language of a first launch, before any setting is saved (the system's, when Faro
    /// speaks it; see [`strings::language_for_locale`]).
    pub first_language: String,
    /// For tests: holds the loading of installed packs until released, so a test can see the
    /// window as it is before they arrive (`None`: load at once).
    #[doc(hidden)]
    pub installed_load_gate: Option<LoadGate>,
}

impl Config {
    /// The real configuration (see [`crate::locations`]): the data folder, the module folders
    /// including the built-in modules, and the bundled regions.
    pub fn locate() -> Result<Self, String> {
        let location = crate::locations::data_location()
            .ok_or("no data folder: set FARO_DATA_DIR to a folder, or start Faro with --portable")?;
        let data_dir = location.data_dir();
        let regions = crate::bundled::regions().map_err(|d| d.to_string())?;
        let found = crate::locations::module_folders(&data_dir);
        Ok(Self {
            data_dir,
            data_location: Some(location),
            module_folders: found.folders,
            regions,
            today: chrono::Local::now().date_naive(),
            problems: found.problems,
            first_language: strings::system_language().to_owned(),
            installed_load_gate: None,
        })
    }
}

/// The module being taken.
pub struct Player {
    /// Index into the library entries.
    pub entry: usize,
    pub attempt: Attempt,
    /// The module's content note was read this session.
    pub note_read: bool,
    /// Answers ticked for multiple-select questions, before they are submitted.
    pub ticked: BTreeMap<String, BTreeSet<String>>,
    /// The signed record of this attempt, once it has ended and been stored.
    pub record: Option<crate::records::SignedRecord>,
    /// Where the certificate was saved, once the learner asked for it.
    pub certificate: Option<PathBuf>,
}

/// Which screen is showing.
pub enum Screen {
    Start,
    Library,
    Player(Box<Player>),
    Coordinator(Box<Coordinator>),
    /// Building and signing a module pack (opened from the Coordinator screen).
    PackBuilder(Box<PackBuilder>),
    /// The data folder cannot be used: say why and offer another folder (shown at start-up).
    DataFolder,
    /// Version and diagnostics; closing it returns to the screen it was opened from.
    About(Box<Screen>),
}

/// Something the learner asked for, applied after the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    PickLearner(String),
    CreateLearner,
    SwitchLearner,
    OpenModule(usize),
    ReadModuleNote,
    Journey(Event),
    /// Tick or untick an answer of a multiple-select question.
    Tick {
        question: String,
        answer: String,
    },
    /// Save and go to the library (take a break, back to modules).
    ToLibrary,
    /// Leave at once for the library, and lock the coordinator's screens again.
    QuickExit,
    /// Save the xAPI home page for exports from this laptop (empty: the default).
    SaveXapiHomePage(String),
    ToggleHelp,
    SetRegion(String),
    SetLanguage(String),
    SetTheme(Theme),
    Zoom(f32),
    Copy(String),
    DismissNotice(usize),
    OpenCoordinator,
    /// Something for the coordinator screen, which carries it out itself.
    Coordinator(CoordinatorAction),
    SaveCertificate,
    ExportMyRecords,
    /// Ask to delete the current learner's data (shows a confirmation).
    AskDeleteMyData,
    ConfirmDeleteMyData,
    CancelDelete,
    /// Ask for a pack file with the system's file dialog.
    PickPack,
    /// A pack file was chosen or dropped: check who signed it, then install or ask.
    OfferPack(PathBuf),
    /// The person compared the fingerprint and trusts the pending pack's publisher.
    TrustPendingPack,
    /// The person agreed that the pending pack replaces modules that come with Faro.
    ReplaceBundled,
    CancelPendingPack,
    RemovePack(String),
    /// Ask for another data folder with the system's folder dialog.
    ChooseDataFolder,
    /// Move to this data folder, copying what is saved (see `screens::data_folder`).
    UseDataFolder(PathBuf),
    /// Use the app although this window cannot save.
    ContinueWithoutSaving,
    OpenAbout,
    CloseAbout,
    /// Set, try or remove the coordinator passphrase (`screens::coordinator_lock`).
    Lock(LockAction),
    OpenPackBuilder,
    PackBuilder(BuilderAction),
    /// Something for the author preview (`screens::studio`).
    Studio(StudioAction),
}

/// The Faro app.
pub struct FaroApp {
    pub config: Config,
    pub settings: Settings,
    pub profiles: Profiles,
    pub learner: Option<String>,
    /// The library: installed packs' modules (once loaded) and the folders', one usable per id.
    pub entries: Vec<catalog::Entry>,
    /// The modules in folders (built in, beside Faro, `FARO_MODULES_DIR`), loaded at once.
    folder_entries: Vec<catalog::Entry>,
    /// The modules of installed packs, once loaded off the UI thread.
    installed_entries: Vec<catalog::Entry>,
    /// Installed packs being loaded on a worker thread (see `library_load`).
    installed_load: Option<library_load::InstalledLoad>,
    /// The current learner's saved attempts by module id.
    pub attempts: BTreeMap<String, Attempt>,
    pub screen: Screen,
    pub help_open: bool,
    /// The widget that had the keyboard focus when the help panel opened; it gets it back when
    /// the panel closes.
    help_opener: Option<egui::Id>,
    /// The window title last sent, "Faro — <screen>" (also the window's accessible name).
    window_title: String,
    /// Messages the learner should see (damaged files set aside, save failures).
    pub notices: Vec<String>,
    pub name_input: String,
    pub name_error: Option<NameError>,
    pub copied: Option<String>,
    /// The learner asked to delete their data and must confirm.
    pub confirm_delete: bool,
    /// A pack offered for install, waiting for the person to trust its publisher or agree that it
    /// replaces modules that come with Faro.
    pub pending_pack: Option<PendingPack>,
    /// Why this window does not save (another window has the data folder, or it cannot be
    /// written); `None` when saving works.
    pub data_problem: Option<DataProblem>,
    /// Why the last folder chosen on the data folder screen could not be used.
    pub data_choice_error: Option<String>,
    /// A folder path typed on the data folder screen (for systems without a folder dialog).
    pub data_path_input: String,
    /// The graphics adapter in use, once the renderer is known (for the About screen).
    pub renderer: Option<String>,
    /// The optional passphrase in front of the coordinator's screens.
    pub coordinator_lock: CoordinatorLock,
    /// Held while this window saves in the data folder, so a second window cannot.
    data_lock: Option<DataLock>,
    images: images::ImageCache,
    applied_theme: Option<Theme>,
    /// The author preview (`faro preview DIR`); `None` in the learners' app.
    pub studio: Option<Box<Studio>>,
}

impl FaroApp {
    /// Loads profiles, settings and the library; never fails: problems become notices, and a data
    /// folder that cannot be used opens the data folder screen.
    pub fn new(config: Config) -> Self {
        let mut notices: Vec<String> = Vec::new();
        // The lock comes first: an interrupted pack install is finished below only by the window
        // that owns the folder.
        let (data_lock, data_problem) = match config.data_dir.claim() {
            Ok(lock) => (Some(lock), None),
            Err(problem) => (None, Some(problem)),
        };
        // A file where the data folder should be: the data folder screen explains it once, so the
        // read errors it causes are not shown as well.
        let mut read_errors: Vec<String> = Vec::new();
        let settings = match store::load_ron::<Settings>(&config.data_dir.settings_path()) {
            Ok(Loaded::Ok(s)) => s,
            Ok(Loaded::Quarantined(q)) => {
                notices.push(format!("{}: {}", q.kept_at.display(), q.problem));
                Settings::default()
            }
            Ok(Loaded::Missing) => Settings { lang: config.first_language.clone(), ..Settings::default() },
            Err(e) => {
                read_errors.push(e.to_string());
                Settings::default()
            }
        };
        let profiles = match config.data_dir.load_profiles() {
            Ok((p, q)) => {
                if let Some(q) = q {
                    notices.push(format!("{}: {}", q.kept_at.display(), q.problem));
                }
                p
            }
            Err(e) => {
                read_errors.push(e.to_string());
                Profiles::default()
            }
        };
        if !config.data_dir.root().is_file() {
            notices.extend(read_errors);
        }
        // Finish or undo a pack install that was interrupted (power cut, crash) before listing packs.
        if data_problem.is_none()
            && let Err(e) = crate::pack::recover(&config.data_dir)
        {
            notices.push(e.to_string());
        }
        notices.extend(config.problems.iter().cloned());
        let coordinator_lock = CoordinatorLock::load(&config.data_dir, data_problem.is_none());
        let mut app = Self {
            config,
            settings,
            profiles,
            learner: None,
            entries: Vec::new(),
            folder_entries: Vec::new(),
            installed_entries: Vec::new(),
            installed_load: None,
            attempts: BTreeMap::new(),
            screen: Screen::Start,
            help_open: false,
            help_opener: None,
            window_title: String::new(),
            notices,
            name_input: String::new(),
            name_error: None,
            copied: None,
            confirm_delete: false,
            pending_pack: None,
            data_problem,
            data_choice_error: None,
            data_path_input: String::new(),
            renderer: None,
            coordinator_lock,
            data_lock,
            images: Default::default(),
            applied_theme: None,
            studio: None,
        };
        app.load_library();
        if let Some(last) = app.profiles.last_used.clone()
            && app.profiles.get(&last).is_some()
        {
            app.pick_learner(last);
        }
        if app.data_problem.is_some() {
            app.screen = Screen::DataFolder;
        }
        app
    }

    /// Whether this window saves in its data folder. When it does not, the banner says so, and
    /// `tell` adds a notice for a save the learner asked for explicitly.
    fn saving(&mut self, tell: bool) -> bool {
        if self.data_problem.is_none() {
            return true;
        }
        if tell {
            self.notices.push(self.strings().not_saving_skipped.to_owned());
        }
        false
    }

    /// The UI strings in the current language.
    pub fn strings(&self) -> &'static Strings {
        strings::strings(&self.settings.lang)
    }

    /// Draws one frame and applies what the learner did.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.settings.theme) {
            theme::apply(&ctx, self.settings.theme);
            self.applied_theme = Some(self.settings.theme);
        }
        if (ctx.zoom_factor() - self.settings.zoom).abs() > f32::EPSILON {
            // Our settings own the zoom (Ctrl +/- are handled in `screens::keyboard`), so it is remembered.
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            ctx.set_zoom_factor(self.settings.zoom);
        }
        self.images.poll(&ctx);
        screens::studio::poll(self, &ctx);
        self.receive_installed(&ctx);
        let mut actions = screens::keyboard(self, &ctx);
        actions.extend(screens::frame_ui(self, ui));
        for action in actions {
            self.apply(action, &ctx);
        }
        // The learner may have just closed a module, which is when installed packs that
        // arrived meanwhile join the library.
        self.receive_installed(&ctx);
        self.name_window(&ctx);
    }

    /// Keeps the window title, which is also its accessible name, on "Faro — <screen>", so a
    /// screen reader says where the learner is when the window takes the focus.
    fn name_window(&mut self, ctx: &egui::Context) {
        let s = self.strings();
        let screen = match &self.screen {
            Screen::Start => s.window_start.to_owned(),
            Screen::Library => s.window_library.to_owned(),
            Screen::Player(p) => match self.entries.get(p.entry).map(|e| &e.module) {
                Some(Ok(module)) => module.title.get(&self.settings.lang).to_owned(),
                _ => s.window_library.to_owned(),
            },
            Screen::Coordinator(_) => s.coordinator.to_owned(),
            Screen::PackBuilder(_) => s.tools.builder_title.to_owned(),
            Screen::DataFolder => s.window_data_folder.to_owned(),
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

    /// Whether an action changes what is on screen, so the keyboard focus should land on what
    /// the learner acts on next ([`screens::arm_landing`]). Settings, copying and ticking a box
    /// leave the focus where it is.
    fn moves_focus(action: &Action) -> bool {
        !matches!(
            action,
            Action::Copy(_)
                | Action::Tick { .. }
                | Action::Zoom(_)
                | Action::SetTheme(_)
                | Action::SetLanguage(_)
                | Action::SetRegion(_)
                | Action::Coordinator(_)
                | Action::DismissNotice(_)
                | Action::ToggleHelp
                | Action::Studio(StudioAction::Reload)
        )
    }

    /// Carries out one action.
    pub fn apply(&mut self, action: Action, ctx: &egui::Context) {
        if Self::moves_focus(&action) {
            screens::arm_landing(ctx);
        }
        match action {
            Action::PickLearner(id) => self.pick_learner(id),
            Action::CreateLearner => match self.profiles.add(&self.name_input) {
                Ok(p) => {
                    self.name_input.clear();
                    self.name_error = None;
                    self.pick_learner(p.id);
                }
                Err(e) => self.name_error = Some(e),
            },
            Action::SwitchLearner => {
                // Another person is about to use the laptop.
                self.coordinator_lock.lock();
                self.leave_module();
                self.learner = None;
                self.attempts.clear();
                self.screen = Screen::Start;
            }
            Action::OpenModule(i) => self.open_module(i),
            Action::ReadModuleNote => {
                if let Screen::Player(p) = &mut self.screen {
                    p.note_read = true;
                }
            }
            Action::Journey(event) => self.journey(event),
            Action::Tick { question, answer } => {
                if let Screen::Player(p) = &mut self.screen {
                    let set = p.ticked.entry(question).or_default();
                    if !set.remove(&answer) {
                        set.insert(answer);
                    }
                }
            }
            Action::ToLibrary => self.leave_module(),
            Action::SaveXapiHomePage(text) => screens::coordinator_lock::save_home_page(self, &text),
            Action::QuickExit => {
                self.coordinator_lock.lock();
                self.leave_module();
            }
            Action::ToggleHelp => {
                self.help_open = !self.help_open;
                if self.help_open {
                    // The help panel takes the focus (see `screens::help`); remember where from.
                    self.help_opener = ctx.memory(|m| m.focused());
                    screens::arm_landing(ctx);
                } else if let Some(opener) = self.help_opener.take() {
                    ctx.memory_mut(|m| m.request_focus(opener));
                }
            }
            Action::SetRegion(r) => {
                self.settings.region = r;
                self.save_settings();
            }
            Action::SetLanguage(lang) => {
                self.settings.lang = lang.clone();
                self.save_settings();
                // The attempt follows the UI language; the learner stays on the same step and node.
                if let Screen::Player(_) = self.screen {
                    self.journey(Event::SwitchLanguage(lang));
                }
            }
            Action::SetTheme(t) => {
                self.settings.theme = t;
                self.save_settings();
            }
            Action::Zoom(z) => {
                // Round to tenths so repeated steps land on the same sizes.
                self.settings.zoom = ((z * 10.0).round() / 10.0).clamp(0.6, 2.5);
                self.save_settings();
            }
            Action::Copy(text) => {
                ctx.copy_text(text.clone());
                self.copied = Some(text);
            }
            Action::DismissNotice(i) => {
                if i < self.notices.len() {
                    self.notices.remove(i);
                }
            }
            Action::OpenCoordinator => {
                self.leave_module();
                self.screen = Screen::Coordinator(Box::default());
            }
            Action::Coordinator(action) => {
                if let Screen::Coordinator(c) = &mut self.screen {
                    c.apply(action, self.config.today);
                }
            }
            Action::SaveCertificate => self.save_certificate(),
            Action::ExportMyRecords => self.export_my_records(),
            Action::AskDeleteMyData => self.confirm_delete = true,
            Action::CancelDelete => self.confirm_delete = false,
            Action::ConfirmDeleteMyData => self.delete_my_data(),
            Action::PickPack => {
                let picked = rfd::FileDialog::new()
                    .add_filter("Faro pack", &[crate::pack::PACK_EXTENSION])
                    .pick_file();
                if let Some(path) = picked {
                    self.offer_pack(path);
                }
            }
            Action::OfferPack(path) => {
                if self.saving(true) {
                    self.offer_pack(path);
                }
            }
            Action::ChooseDataFolder => {
                if let Some(dir) = rfd::FileDialog::new().pick_folder() {
                    self.use_data_folder(dir);
                }
            }
            Action::UseDataFolder(dir) => self.use_data_folder(dir),
            Action::ContinueWithoutSaving => self.screen = self.home_screen(),
            Action::OpenAbout => {
                if !matches!(self.screen, Screen::About(_)) {
                    let back = std::mem::replace(&mut self.screen, Screen::Start);
                    self.screen = Screen::About(Box::new(back));
                }
            }
            Action::CloseAbout => {
                if let Screen::About(back) = std::mem::replace(&mut self.screen, Screen::Start) {
                    self.screen = *back;
                }
            }
            Action::TrustPendingPack => self.trust_pending_pack(),
            Action::ReplaceBundled => self.replace_bundled_with_pending_pack(),
            Action::CancelPendingPack => self.pending_pack = None,
            Action::Lock(action) => screens::coordinator_lock::apply(self, action),
            Action::OpenPackBuilder => screens::pack_builder::open(self),
            Action::PackBuilder(action) => screens::pack_builder::apply(self, action),
            Action::Studio(action) => screens::studio::apply(self, action, ctx),
            Action::RemovePack(id) => {
                if !self.saving(true) {
                    return;
                }
                self.leave_module();
                match crate::pack::remove(&self.config.data_dir, &id) {
                    Ok(()) => self.reload_library(),
                    Err(e) => self.notices.push(e.to_string()),
                }
            }
        }
    }

    /// Reloads the library (after a pack was installed or removed) and the learner's progress;
    /// installed packs join when loaded.
    fn reload_library(&mut self) {
        self.load_library();
        self.load_attempts();
    }

    fn save_certificate(&mut self) {
        if !self.saving(true) {
            return;
        }
        let Screen::Player(p) = &mut self.screen else { return };
        let Some(record) = &p.record else { return };
        let code = crate::records::verification_code(record);
        let html = crate::records::certificate_html(record, &self.settings.lang);
        let path = self.config.data_dir.root().join("certificates").join(format!(
            "{}-{}.html",
            record.record.module_id,
            code.replace('-', "")
        ));
        match store::write_atomic(&path, html.as_bytes()) {
            Ok(()) => p.certificate = Some(path),
            Err(e) => self.notices.push(e.to_string()),
        }
    }

    fn export_my_records(&mut self) {
        if !self.saving(true) {
            return;
        }
        let Some(learner) = self.learner.clone() else { return };
        let (records, problems) = crate::records::load_learner(&self.config.data_dir, &learner);
        for p in problems {
            self.notices.push(format!("{}: {}", p.path.display(), p.message));
        }
        // A record copied into the wrong folder by hand still names its learner.
        let mine: Vec<_> = records.into_iter().filter(|r| r.record.learner_id == learner).collect();
        let name = self.learner_name().unwrap_or("learner").to_owned();
        let file = format!("records-{}-{}.json", sanitize(&name), self.config.today);
        let path = self.config.data_dir.root().join("exports").join(file);
        let result = crate::records::records_file_json(&mine, None)
            .map_err(|e| e.to_string())
            .and_then(|json| store::write_atomic(&path, json.as_bytes()).map_err(|e| e.to_string()));
        let s = self.strings();
        match result {
            Ok(()) => self.notices.push(s.exported_to.replace("{path}", &path.display().to_string())),
            Err(e) => self.notices.push(e),
        }
    }

    fn delete_my_data(&mut self) {
        self.confirm_delete = false;
        if !self.saving(true) {
            return;
        }
        let Some(learner) = self.learner.clone() else { return };
        match crate::records::delete_learner(&self.config.data_dir, &learner) {
            Ok(_) => {
                self.profiles.learners.retain(|p| p.id != learner);
                self.profiles.last_used = None;
                self.learner = None;
                self.attempts.clear();
                self.screen = Screen::Start;
            }
            Err(e) => self.notices.push(e.to_string()),
        }
    }

    fn pick_learner(&mut self, id: String) {
        if self.profiles.get(&id).is_none() {
            return;
        }
        self.profiles.last_used = Some(id.clone());
        self.save_profiles();
        self.learner = Some(id);
        self.load_attempts();
        self.screen = Screen::Library;
    }

    /// Loads the current learner's saved attempts and records; damaged files are set aside with a
    /// notice.
    fn load_attempts(&mut self) {
        self.attempts.clear();
        let Some(learner) = self.learner.clone() else { return };
        self.load_attempts_for(self.usable_module_ids());
        // The learner's completion records too: the store sets a damaged one aside; say so here,
        // where the learner can still ask their coordinator about it.
        let (_, problems) = crate::records::load_learner(&self.config.data_dir, &learner);
        for problem in problems {
            let notice = match &problem.kept_at {
                Some(kept) => {
                    self.strings().notice_record_damaged.replace("{path}", &kept.display().to_string())
                }
                None => problem.to_string(),
            };
            self.notices.push(notice);
        }
    }

    /// The ids of the modules the library can open.
    fn usable_module_ids(&self) -> Vec<String> {
        self.entries.iter().filter_map(|e| e.module.as_ref().ok()).map(|m| m.id.clone()).collect()
    }

    /// Loads the current learner's saved attempts at modules `ids`.
    fn load_attempts_for(&mut self, ids: Vec<String>) {
        let Some(learner) = self.learner.clone() else { return };
        for id in ids {
            match self.config.data_dir.load_attempt(&learner, &id) {
                Ok(Loaded::Ok(a)) => {
                    self.attempts.insert(id, a);
                }
                Ok(Loaded::Missing) => {}
                Ok(Loaded::Quarantined(q)) => {
                    let path = q.kept_at.display().to_string();
                    self.notices.push(self.strings().notice_corrupt.replace("{path}", &path));
                }
                Err(e) => self.notices.push(e.to_string()),
            }
        }
    }

    fn open_module(&mut self, index: usize) {
        let Some(Ok(module)) = self.entries.get(index).map(|e| &e.module) else { return };
        let attempt = match self.attempts.get(&module.id) {
            // A finished attempt is shown as its completion screen; "start again" restarts it.
            Some(a) if a.module_version == module.version && a.step < module.steps.len() => {
                let mut a = a.clone();
                let _ = a.apply(module, Event::SwitchLanguage(self.settings.lang.clone()), Utc::now());
                a
            }
            _ => Attempt::new(module, &self.settings.lang, Utc::now()),
        };
        let note_read = module.content_note.is_none();
        // A finished attempt reopens on its completion screen, with the record signed back then.
        let record = match (&attempt.finished, &self.learner) {
            (Some(finished), Some(learner)) => {
                crate::records::load_learner(&self.config.data_dir, learner).0.into_iter().find(|r| {
                    r.record.learner_id == *learner
                        && r.record.module_id == module.id
                        && r.record.ended == finished.at
                })
            }
            _ => None,
        };
        self.screen = Screen::Player(Box::new(Player {
            entry: index,
            attempt,
            note_read,
            ticked: BTreeMap::new(),
            record,
            certificate: None,
        }));
    }

    fn journey(&mut self, event: Event) {
        let Screen::Player(p) = &mut self.screen else { return };
        let Some(Ok(module)) = self.entries.get(p.entry).map(|e| &e.module) else { return };
        let restart = event == Event::Restart;
        let was_finished = p.attempt.finished.is_some();
        if p.attempt.apply(module, event, Utc::now()).is_ok() {
            if restart {
                p.ticked.clear();
                p.record = None;
                p.certificate = None;
            }
            if !was_finished && p.attempt.finished.is_some() {
                self.record_finished_attempt();
            }
            self.save_current();
        }
    }

    /// Signs and stores the record of the attempt that just ended.
    fn record_finished_attempt(&mut self) {
        // An author's preview is not training: nothing is signed.
        if self.studio.is_some() || !self.saving(true) {
            return;
        }
        let Screen::Player(p) = &mut self.screen else { return };
        let Some(entry) = self.entries.get(p.entry) else { return };
        let Ok(module) = &entry.module else { return };
        let Some(profile) = self.learner.as_deref().and_then(|id| self.profiles.get(id)) else { return };
        match crate::records::record_attempt(&self.config.data_dir, module, &entry.dir, &p.attempt, profile) {
            Ok(saved) => {
                if let Some(q) = saved.key_notice {
                    self.notices.push(format!("{}: {}", q.kept_at.display(), q.problem));
                }
                p.record = Some(saved.record);
            }
            Err(e) => self.notices.push(e.to_string()),
        }
    }

    /// Saves the attempt being played and mirrors it in the library's view.
    fn save_current(&mut self) {
        if self.studio.is_some() {
            return;
        }
        let (Screen::Player(p), Some(learner)) = (&self.screen, &self.learner) else { return };
        let attempt = p.attempt.clone();
        let learner = learner.clone();
        self.save(|app| app.config.data_dir.save_attempt(&learner, &attempt));
        self.attempts.insert(attempt.module_id.clone(), attempt);
    }

    fn leave_module(&mut self) {
        match self.screen {
            Screen::Player(_) => {
                self.save_current();
                self.screen = Screen::Library;
            }
            Screen::Coordinator(_) | Screen::PackBuilder(_) => self.screen = self.home_screen(),
            Screen::About(_) => {
                // Leave the screen About was opened from, as if it were showing.
                if let Screen::About(back) = std::mem::replace(&mut self.screen, Screen::Start) {
                    self.screen = *back;
                    self.leave_module();
                }
            }
            Screen::Start | Screen::Library | Screen::DataFolder => {}
        }
    }

    /// Runs one write in the data folder, unless this window is not saving; a failure becomes a
    /// notice.
    fn save(&mut self, write: impl FnOnce(&Self) -> Result<(), store::StoreError>) {
        if self.saving(false)
            && let Err(e) = write(self)
        {
            self.notices.push(self.strings().notice_save_failed.replace("{error}", &e.to_string()));
        }
    }

    fn save_settings(&mut self) {
        self.save(|app| store::save_ron(&app.config.data_dir.settings_path(), &app.settings));
    }

    fn save_profiles(&mut self) {
        self.save(|app| app.config.data_dir.save_profiles(&app.profiles));
    }

    /// Where the app goes when nothing else is open: the library, or the start screen.
    fn home_screen(&self) -> Screen {
        if self.learner.is_some() { Screen::Library } else { Screen::Start }
    }

    /// The current learner's display name.
    pub fn learner_name(&self) -> Option<&str> {
        self.learner.as_deref().and_then(|id| self.profiles.get(id)).map(|p| p.name.as_str())
    }

    /// What the app shows, in one line, for the frame report (`FARO_FRAME_REPORT`).
    pub fn view_summary(&self) -> String {
        let (loading, ready) = self.images.counts();
        let screen = match &self.screen {
            Screen::Start => "start".to_owned(),
            Screen::Library => {
                let usable = self.entries.iter().filter(|e| e.module.is_ok()).count();
                format!("library, {usable} modules")
            }
            Screen::DataFolder => "data-folder".to_owned(),
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
}

/// A name made safe to use in a file name.
fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).take(40).collect()
}

impl eframe::App for FaroApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.renderer.is_none()
            && let Some(render_state) = frame.wgpu_render_state()
        {
            let info = render_state.adapter.get_info();
            self.renderer =
                Some(format!("{} ({:?}, {} {})", info.name, info.backend, info.driver, info.driver_info));
        }
        self.show(ui);
    }
}

/// Opens the app window; returns when it is closed.
pub fn run(config: Config) -> eframe::Result {
    run_app(config, FaroApp::new)
}

/// Opens the author preview of the module folder `dir` (`faro preview`); `data` is the
/// throwaway data folder named in `config`, deleted when the window closes.
pub fn run_preview(config: Config, dir: PathBuf, data: Option<tempfile::TempDir>) -> eframe::Result {
    run_app(config, move |config| FaroApp::preview(config, &dir, data))
}

fn run_app(config: Config, make: impl FnOnce(Config) -> FaroApp + Send + 'static) -> eframe::Result {
    let zoom = {
        let app = store::load_ron::<Settings>(&config.data_dir.settings_path());
        match app {
            Ok(Loaded::Ok(s)) => s.zoom,
            _ => 1.0,
        }
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Faro")
        .with_app_id("io.github.faro_training.Faro")
        .with_inner_size([1100.0, 760.0])
        .with_min_inner_size([640.0, 480.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/faro-icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        persistence_path: Some(config.data_dir.root().join("window.ron")),
        ..Default::default()
    };
    // Loading the library (the folders' modules, profiles, progress) runs while eframe opens the
    // window and sets up the renderer, which takes longer: start-up waits for the slower of the
    // two, not for both in turn. Installed packs start loading then too, on a worker thread that
    // the first frame does not wait for (see `library_load`).
    let loading = std::thread::spawn(move || make(config));
    eframe::run_native(
        "Faro",
        options,
        Box::new(move |cc| {
            cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
            cc.egui_ctx.set_zoom_factor(zoom);
            let app = loading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok(Box::new(frame_report::FrameReport::from_env(app).describing(FaroApp::view_summary)))
        }),
    )
}
