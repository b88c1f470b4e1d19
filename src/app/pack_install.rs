//! Installing a pack without freezing the window (issue 26): verifying, unpacking and checking a
//! pack of large modules takes seconds to minutes, so it runs on a worker thread, which asks for
//! a repaint when it is done. Meanwhile the library stays usable and says what is being
//! installed; nothing polls, so a window waiting for an install stays idle. One install at a time
//! (the pack lock would refuse a second anyway).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::library_load::LoadGate;
use super::worker::{Finished, Worker, repaint_on_progress};
use crate::data::DataDir;
use crate::pack::{InstallOptions, InstallProgress, InstallReport, PackError, TrustDecision};

/// What an install needs, taken to the worker thread.
pub struct InstallRequest {
    pub data: DataDir,
    pub path: PathBuf,
    pub trust: TrustDecision,
    pub options: InstallOptions,
    /// The pack's title, shown while it installs.
    pub title: String,
    /// The pack's id: its installed modules stay closed until the install is done.
    pub pack_id: String,
}

/// A pack being installed on a worker thread.
pub struct InstallJob {
    worker: Worker<Result<InstallReport, PackError>>,
    title: String,
    pack_id: String,
    /// Set by Cancel; the install stops before it changes anything.
    cancel: Arc<AtomicBool>,
    /// Counted by the install; the window is asked for a repaint when a whole percent is done.
    progress: Arc<InstallProgress>,
}

impl InstallJob {
    /// Starts installing; `ctx` is asked for a repaint at each whole percent and when it is
    /// done. With a `gate` (a test hook), the install waits, once it has counted its steps and
    /// before it changes anything, until the gate is released.
    pub fn start(request: InstallRequest, ctx: &egui::Context, gate: Option<LoadGate>) -> Self {
        let InstallRequest { data, path, trust, mut options, title, pack_id } = request;
        let cancel = Arc::new(AtomicBool::new(false));
        options.cancel = Some(Arc::clone(&cancel));
        let progress = Arc::new(InstallProgress::default());
        repaint_on_progress(&progress, ctx, gate);
        options.progress = Some(Arc::clone(&progress));
        let worker = Worker::start("faro-pack-install", ctx, move || {
            crate::pack::install(&data, &path, trust, &options)
        });
        Self { worker, title, pack_id, cancel, progress }
    }

    /// The title of the pack being installed.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Asks the install to stop before it changes anything (it says so when it has).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// Whether Cancel was asked for.
    pub fn cancelling(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// Steps done and the install's total (0 until it has counted them).
    pub fn progress(&self) -> (usize, usize) {
        self.progress.counts()
    }

    /// The id of the pack being installed.
    pub fn pack_id(&self) -> &str {
        &self.pack_id
    }

    /// The result, once the worker has one.
    pub fn try_take(&self) -> Finished<Result<InstallReport, PackError>> {
        self.worker.try_take()
    }
}
