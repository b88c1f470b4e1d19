//! Loading the library without stalling the window (issue 17): the modules in folders (the
//! built-in ones, small and embedded) load at once; installed packs, whose modules may be large,
//! load on a worker thread, which asks for a repaint when it is done. Meanwhile the library is
//! usable and says it is checking installed modules; nothing polls, so an idle window stays idle.
//!
//! The installed modules join the library when they arrive, unless a module is open: cards are
//! addressed by their place in the list, and a pack may replace the very module being taken, so
//! they join when the learner is back in the library.

use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use chrono::NaiveDate;

use super::config::Config;
use crate::catalog::{self, Entry};
use crate::data::DataDir;
use crate::format::Regions;
use crate::pack::SaveCache;

/// Called by the worker when its result is ready (the app asks egui for a repaint).
type Waker = Box<dyn Fn() + Send>;

/// Installed packs being loaded on a worker thread.
pub struct InstalledLoad {
    receiver: Receiver<Vec<Entry>>,
    /// Set once the window's context is known (the load starts before the window exists).
    waker: Arc<Mutex<Option<Waker>>>,
    waker_set: bool,
}

/// What the loading of installed packs has for the app.
pub enum Delivery {
    Pending,
    Ready(Vec<Entry>),
    /// The worker ended without a result (it panicked, which is a bug).
    Lost,
}

impl InstalledLoad {
    /// Starts loading the installed packs in `data` (see [`catalog::load_installed`]); with a
    /// `gate`, only once it is released.
    fn start(
        data: DataDir,
        regions: Regions,
        today: NaiveDate,
        save: SaveCache,
        gate: Option<LoadGate>,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        let waker: Arc<Mutex<Option<Waker>>> = Arc::default();
        let wake = Arc::clone(&waker);
        let fallback = (data.clone(), regions.clone(), sender.clone());
        let work = move || {
            if let Some(gate) = gate {
                gate.wait();
            }
            let entries = catalog::load_installed(&data, &regions, today, save);
            // Sent before the waker is read: if the app sets the waker after this read, it polls
            // after setting it and finds the result (see `set_waker`). A send fails only when a
            // newer load replaced this one, and then nobody needs waking.
            if sender.send(entries).is_ok()
                && let Some(wake) = wake.lock().unwrap_or_else(PoisonError::into_inner).as_ref()
            {
                wake();
            }
        };
        if std::thread::Builder::new().name("faro-installed-packs".into()).spawn(work).is_err() {
            // No thread to be had (the system is out of them): load here, late rather than never.
            let (data, regions, sender) = fallback;
            let _ = sender.send(catalog::load_installed(&data, &regions, today, save));
        }
        Self { receiver, waker, waker_set: false }
    }

    /// Lets the worker wake the window when its result is ready; the first call counts.
    fn set_waker(&mut self, wake: impl Fn() + Send + 'static) {
        if !self.waker_set {
            *self.waker.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(wake));
            self.waker_set = true;
        }
    }

    fn try_take(&self) -> Delivery {
        match self.receiver.try_recv() {
            Ok(entries) => Delivery::Ready(entries),
            Err(TryRecvError::Empty) => Delivery::Pending,
            Err(TryRecvError::Disconnected) => Delivery::Lost,
        }
    }
}

/// Holds every load of installed packs until released: a test hook (see
/// [`super::config::Config::installed_load_gate`]), so a test can look at the window before the packs
/// arrive.
#[derive(Clone, Debug, Default)]
pub struct LoadGate(Arc<(Mutex<bool>, Condvar)>);

impl LoadGate {
    /// Lets every held and future load go on.
    #[cfg(feature = "test-hooks")]
    pub fn release(&self) {
        let (released, changed) = &*self.0;
        *released.lock().unwrap_or_else(PoisonError::into_inner) = true;
        changed.notify_all();
    }

    pub(super) fn wait(&self) {
        let (released, changed) = &*self.0;
        let mut open = released.lock().unwrap_or_else(PoisonError::into_inner);
        while !*open {
            open = changed.wait(open).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Where the library's entries come from: the folders' modules, loaded at once, and the installed
/// packs' modules, loaded off the UI thread.
#[derive(Default)]
pub struct Library {
    /// The modules in folders (built in, beside Faro, `FARO_MODULES_DIR`).
    folder_entries: Vec<Entry>,
    /// The modules of installed packs, once loaded.
    installed_entries: Vec<Entry>,
    /// Installed packs being loaded on a worker thread.
    installed_load: Option<InstalledLoad>,
}

impl Library {
    /// (Re)loads the library: the folders' modules now, installed packs on a worker thread;
    /// returns the entries to show meanwhile. Cards of a pack just removed or replaced do not
    /// stay: installed modules are shown again when they arrive.
    pub fn load(&mut self, config: &Config, save: SaveCache) -> Vec<Entry> {
        self.folder_entries = catalog::load_folders(&config.module_folders, &config.regions, config.today);
        self.installed_entries.clear();
        #[cfg(feature = "test-hooks")]
        let gate = config.installed_load_gate.clone();
        #[cfg(not(feature = "test-hooks"))]
        let gate = None;
        self.installed_load = Some(InstalledLoad::start(
            config.data_dir.clone(),
            config.regions.clone(),
            config.today,
            save,
            gate,
        ));
        catalog::combine(&self.installed_entries, &self.folder_entries)
    }

    /// A library of these entries only, loading nothing (the author preview's one module).
    pub fn only(entries: Vec<Entry>) -> Self {
        Self { folder_entries: entries, ..Self::default() }
    }

    /// The whole library once the installed packs have arrived ([`Delivery::Ready`]); asks for a
    /// repaint when they arrive later. While a module is open nothing is taken.
    pub fn receive(&mut self, ctx: &egui::Context, module_open: bool) -> Delivery {
        let Some(load) = &mut self.installed_load else { return Delivery::Pending };
        let repaint = ctx.clone();
        load.set_waker(move || repaint.request_repaint());
        if module_open {
            return Delivery::Pending;
        }
        let delivery = match load.try_take() {
            Delivery::Pending => return Delivery::Pending,
            Delivery::Ready(entries) => {
                self.installed_entries = entries;
                Delivery::Ready(catalog::combine(&self.installed_entries, &self.folder_entries))
            }
            Delivery::Lost => Delivery::Lost,
        };
        self.installed_load = None;
        // Taken after this frame was drawn (on the way back to the library): show it.
        ctx.request_repaint();
        delivery
    }

    /// Whether installed packs are still being loaded.
    pub fn loading(&self) -> bool {
        self.installed_load.is_some()
    }
}
