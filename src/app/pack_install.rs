//! Installing a pack without freezing the window (issue 26): verifying, unpacking and checking a
//! pack of large modules takes seconds to minutes, so it runs on a worker thread, which asks for
//! a repaint when it is done. Meanwhile the library stays usable and says what is being
//! installed; nothing polls, so a window waiting for an install stays idle. One install at a time
//! (the pack lock would refuse a second anyway).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::library_load::LoadGate;
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
    receiver: Receiver<Result<InstallReport, PackError>>,
    title: String,
    pack_id: String,
    /// Set by Cancel; the install stops before it changes anything.
    cancel: Arc<AtomicBool>,
    /// Counted by the install; the window is asked for a repaint when a whole percent is done.
    progress: Arc<InstallProgress>,
}

/// What an install has for the app.
pub enum Finished {
    Pending,
    Done(Box<Result<InstallReport, PackError>>),
    /// The worker ended without a result (it panicked, which is a bug).
    Lost,
}

impl InstallJob {
    /// Starts installing; `ctx` is asked for a repaint at each whole percent and when it is
    /// done. With a `gate` (a test hook), the install waits, once it has counted its steps and
    /// before it changes anything, until the gate is released.
    pub fn start(request: InstallRequest, ctx: &egui::Context, gate: Option<LoadGate>) -> Self {
        let (sender, receiver) = mpsc::channel();
        let InstallRequest { data, path, trust, mut options, title, pack_id } = request;
        let cancel = Arc::new(AtomicBool::new(false));
        options.cancel = Some(Arc::clone(&cancel));
        let progress = Arc::new(InstallProgress::default());
        let wake = ctx.clone();
        let hold = AtomicBool::new(gate.is_some());
        progress.watch(move || {
            wake.request_repaint();
            if let Some(gate) = &gate
                && hold.swap(false, Ordering::SeqCst)
            {
                gate.wait();
            }
        });
        options.progress = Some(Arc::clone(&progress));
        let repaint = ctx.clone();
        let run = move || crate::pack::install(&data, &path, trust, &options);
        let fallback = (run.clone(), sender.clone());
        let work = move || {
            // A send fails only when the app is gone, and then nobody needs the result.
            if sender.send(run()).is_ok() {
                repaint.request_repaint();
            }
        };
        if std::thread::Builder::new().name("faro-pack-install".into()).spawn(work).is_err() {
            // No thread to be had (the system is out of them): install here, late rather than never.
            let (run, sender) = fallback;
            let _ = sender.send(run());
        }
        Self { receiver, title, pack_id, cancel, progress }
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
    pub fn try_take(&self) -> Finished {
        match self.receiver.try_recv() {
            Ok(result) => Finished::Done(Box::new(result)),
            Err(TryRecvError::Empty) => Finished::Pending,
            Err(TryRecvError::Disconnected) => Finished::Lost,
        }
    }
}
