//! What every screen shares: the configuration, the saved settings, the learners, the library and
//! the current learner's progress, and the messages shown above every screen. Screens read it
//! while they draw; the app and the screens' `apply` change it after the frame.

use std::collections::BTreeMap;

use std::path::PathBuf;

pub use super::config::{Config, Settings};
use super::library_load::{Delivery, Library};
use super::pack_install::InstallJob;
use super::strings::{self, Strings};
use super::worker::Finished;
use crate::bundled::BundledModule;
use crate::catalog::Entry;
use crate::data::DataLock;
use crate::data::DataProblem;
use crate::data::store::{self, Loaded, StoreError};
use crate::pack::{SaveCache, TrustDecision};
use crate::progress::{Attempt, Profiles};

/// The state every screen shares (see the module comment).
pub struct Shared {
    pub config: Config,
    pub settings: Settings,
    pub profiles: Profiles,
    /// The id of the learner using the app, once picked.
    pub learner: Option<String>,
    /// The library: installed packs' modules (once loaded) and the folders', one usable per id.
    pub entries: Vec<Entry>,
    /// Where the library's entries come from, and installed packs still loading.
    library: Library,
    /// The current learner's saved attempts by module id.
    pub attempts: BTreeMap<String, Attempt>,
    /// Messages the learner should see (damaged files set aside, save failures).
    pub notices: Vec<String>,
    /// The last text copied, so the button that copied it can say so.
    pub copied: Option<String>,
    pub help_open: bool,
    /// A pack offered for install, waiting for the person to trust its publisher or agree that it
    /// replaces modules that come with Faro.
    pub pending_pack: Option<PendingPack>,
    /// A pack being installed on a worker thread (see `app::pack_install`).
    pub(super) install: Option<InstallJob>,
    /// Why this window does not save (another window has the data folder, or it cannot be
    /// written); `None` when saving works.
    pub data_problem: Option<DataProblem>,
    /// Why the last folder chosen for the data could not be used (the data folder screen and the
    /// banner both say it).
    pub data_choice_error: Option<String>,
    /// Held while this window saves in the data folder, so a second window cannot.
    pub(super) data_lock: Option<DataLock>,
    /// The graphics adapter in use, once the renderer is known (for the About screen).
    pub renderer: Option<String>,
    /// The way of drawing that opened the window (`app::run` tries several in turn).
    pub renderer_choice: Option<crate::renderer::Renderer>,
    /// An author's preview (`faro preview`): nothing is signed or saved as training.
    pub previewing: bool,
}

/// The settings when none can be used (none saved yet, unreadable, or quarantined): the defaults
/// in the system's language, so the screens that explain the problem are in the learner's language.
fn first_settings(config: &Config) -> Settings {
    Settings { lang: config.first_language.clone(), ..Settings::default() }
}

impl Shared {
    /// Loads settings and learners from the data folder, takes its lock, and finishes an
    /// interrupted pack install; never fails: problems become notices, and [`Self::data_problem`]
    /// says why the window cannot save.
    pub fn load(config: Config) -> Self {
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
                first_settings(&config)
            }
            Ok(Loaded::Missing) => first_settings(&config),
            Err(e) => {
                read_errors.push(e.to_string());
                first_settings(&config)
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
        Self {
            config,
            settings,
            profiles,
            learner: None,
            entries: Vec::new(),
            library: Library::default(),
            attempts: BTreeMap::new(),
            notices,
            copied: None,
            help_open: false,
            pending_pack: None,
            install: None,
            data_problem,
            data_choice_error: None,
            data_lock,
            renderer: None,
            renderer_choice: None,
            previewing: false,
        }
    }

    /// The UI strings in the current language.
    pub fn strings(&self) -> &'static Strings {
        strings::strings(&self.settings.lang)
    }

    /// Whether this window saves in its data folder. When it does not, the banner says so, and
    /// `tell` adds a notice for a save the learner asked for explicitly.
    pub fn saving(&mut self, tell: bool) -> bool {
        if self.data_problem.is_none() {
            return true;
        }
        if tell {
            self.notices.push(self.strings().not_saving_skipped.to_owned());
        }
        false
    }

    /// Runs one write in the data folder, unless this window is not saving; a failure becomes a
    /// notice. A full disk or a folder that can no longer be written (a stick gone read-only)
    /// stops saving here, in the learner's language: what is in memory is kept, and the banner
    /// offers another folder, where it is saved (see `FaroApp::use_data_folder`).
    pub fn save(&mut self, write: impl FnOnce(&Self) -> Result<(), StoreError>) {
        if !self.saving(false) {
            return;
        }
        let Err(e) = write(self) else { return };
        let s = self.strings();
        match DataProblem::from_failed_save(self.config.data_dir.root(), &e) {
            Some(problem) => {
                let reason = crate::app::screens::data_folder::reason_text(&problem, s);
                self.notices.push(s.notice_save_stopped.replace("{reason}", &reason));
                self.data_problem = Some(problem);
            }
            None => self.notices.push(s.notice_save_failed.replace("{error}", &e.to_string())),
        }
    }

    pub fn save_settings(&mut self) {
        self.save(|shared| store::save_ron(&shared.config.data_dir.settings_path(), &shared.settings));
    }

    pub fn save_profiles(&mut self) {
        self.save(|shared| shared.config.data_dir.save_profiles(&shared.profiles));
    }

    /// The current learner's display name.
    pub fn learner_name(&self) -> Option<&str> {
        self.learner.as_deref().and_then(|id| self.profiles.get(id)).map(|p| p.name.as_str())
    }

    /// Makes `id` the current learner (it must exist), remembering the choice, and loads their
    /// progress. Returns whether it did.
    pub fn pick_learner(&mut self, id: String) -> bool {
        if self.profiles.get(&id).is_none() {
            return false;
        }
        self.profiles.last_used = Some(id.clone());
        self.save_profiles();
        self.learner = Some(id);
        self.load_attempts();
        true
    }

    /// Forgets the current learner (another person is about to use the laptop).
    pub fn forget_learner(&mut self) {
        self.learner = None;
        self.attempts.clear();
    }

    /// Reloads the library (after a pack was installed or removed) and the learner's progress;
    /// installed packs join when loaded.
    pub fn reload_library(&mut self) {
        self.load_library();
        self.load_attempts();
    }

    /// Loads the current learner's saved attempts and records; damaged files are set aside with a
    /// notice.
    pub fn load_attempts(&mut self) {
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

    /// (Re)loads the library: the folders' modules now, installed packs on a worker thread. Only
    /// the window that owns the data folder writes the packs' validation cache.
    pub fn load_library(&mut self) {
        let save = if self.data_problem.is_none() { SaveCache::Yes } else { SaveCache::No };
        self.entries = self.library.load(&self.config, save);
    }

    /// Shows only these entries, loaded by someone else (the author preview's one module), and
    /// stops any loading of installed packs.
    pub fn show_only(&mut self, entries: Vec<Entry>) {
        self.library = Library::only(entries.clone());
        self.entries = entries;
    }

    /// Takes the installed packs into the library once they are loaded (called each frame; it
    /// only looks at a channel), unless a module is open (`module_open`): cards are addressed by
    /// their place in the list, and a pack may replace the very module being taken.
    pub fn receive_installed(&mut self, ctx: &egui::Context, module_open: bool) {
        match self.library.receive(ctx, module_open) {
            Delivery::Pending => {}
            Delivery::Ready(entries) => {
                let known = self.usable_module_ids();
                self.entries = entries;
                let arrived = self.usable_module_ids().into_iter().filter(|id| !known.contains(id)).collect();
                self.load_attempts_for(arrived);
            }
            Delivery::Lost => self.notices.push(self.strings().installed_check_failed.to_owned()),
        }
    }

    /// The title of the pack being installed, while one is.
    pub fn installing(&self) -> Option<&str> {
        self.install.as_ref().map(InstallJob::title)
    }

    /// Steps done and the total of the install that is running, while one is.
    pub fn install_progress(&self) -> Option<(usize, usize)> {
        self.install.as_ref().map(InstallJob::progress)
    }

    /// Whether Cancel was asked for the install that is running.
    pub fn cancelling_install(&self) -> bool {
        self.install.as_ref().is_some_and(InstallJob::cancelling)
    }

    /// Asks the running install to stop before it changes anything.
    pub fn cancel_install(&self) {
        if let Some(job) = &self.install {
            job.cancel();
        }
    }

    /// Whether the entry at `index` comes from the pack being installed: an install may move its
    /// learners' progress to history, so it is not opened until the install is done.
    pub fn being_installed(&self, index: usize) -> bool {
        let Some(job) = &self.install else { return false };
        self.entries.get(index).is_some_and(
            |e| matches!(&e.origin, crate::catalog::Origin::Pack { id, .. } if id == job.pack_id()),
        )
    }

    /// The result of the install running on a worker thread, once it is done.
    pub fn receive_install(&mut self) -> Option<Result<crate::pack::InstallReport, String>> {
        let finished = match self.install.as_ref()?.try_take() {
            Finished::Pending => return None,
            Finished::Done(result) => result.map_err(|e| e.to_string()),
            Finished::Lost => Err(self.strings().pack_install_lost.to_owned()),
        };
        self.install = None;
        Some(finished)
    }

    /// Whether installed packs are still being checked (the library says so).
    pub fn checking_installed(&self) -> bool {
        self.library.loading()
    }

    /// Saves an attempt of the current learner and mirrors it in the library's view. Nothing is
    /// saved in an author's preview.
    pub fn save_attempt(&mut self, attempt: &Attempt) {
        if self.previewing {
            return;
        }
        let Some(learner) = self.learner.clone() else { return };
        self.save(|shared| shared.config.data_dir.save_attempt(&learner, attempt));
        self.attempts.insert(attempt.module_id.clone(), attempt.clone());
    }
}

/// Which screen is showing, for what surrounds it (the top bar offers what fits there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenKind {
    Start,
    Library,
    Player,
    Coordinator,
    PackBuilder,
    DataFolder,
    About,
}

/// A pack offered for install that waits for the person to decide (see `screens::pack_offer`).
#[derive(Clone, Debug)]
pub struct PendingPack {
    pub path: PathBuf,
    pub title: String,
    pub version: String,
    pub publisher: String,
    pub fingerprint: String,
    pub key: crate::pack::VerifyingKey,
    /// Modules that come with Faro which the pack's modules would replace.
    pub replaces_bundled: Vec<BundledModule>,
    /// Modules of other publishers' installed packs which the pack's modules would replace.
    pub replaces_publishers: Vec<crate::pack::OwnedModule>,
    pub step: PendingStep,
}

/// What the person is being asked about a pending pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PendingStep {
    /// Whether to trust a publisher this laptop does not know (the fingerprint is shown).
    TrustPublisher,
    /// Whether the pack may replace modules that come with Faro or another publisher's; the
    /// trust question, if there was one, is answered by this decision.
    ConfirmReplace(TrustDecision),
}
