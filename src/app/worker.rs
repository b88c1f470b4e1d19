//! Work that would freeze the window (installing a pack, importing records files) runs on a
//! thread of its own; the window takes the result when the worker asks for a repaint. Nothing
//! polls, so a window waiting for a worker stays idle.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::library_load::LoadGate;
use crate::steps::Steps;

/// A result being made on a worker thread.
pub struct Worker<T> {
    receiver: Receiver<T>,
}

/// What a worker has for the window.
pub enum Finished<T> {
    Pending,
    Done(T),
    /// The worker ended without a result (it panicked, which is a bug).
    Lost,
}

impl<T: Send + 'static> Worker<T> {
    /// Runs `work` on a thread named `name` and asks `ctx` for a repaint when its result is
    /// ready. With no thread to be had (the system is out of them), runs it here: late rather
    /// than never.
    pub fn start<F>(name: &str, ctx: &egui::Context, work: F) -> Self
    where
        F: FnOnce() -> T + Clone + Send + 'static,
    {
        let (sender, receiver) = mpsc::channel();
        let repaint = ctx.clone();
        let fallback = (work.clone(), sender.clone());
        let run = move || {
            // A send fails only when the app is gone, and then nobody needs the result.
            if sender.send(work()).is_ok() {
                repaint.request_repaint();
            }
        };
        if std::thread::Builder::new().name(name.to_owned()).spawn(run).is_err() {
            let (work, sender) = fallback;
            let _ = sender.send(work());
        }
        Self { receiver }
    }

    /// The result, once the worker has one.
    pub fn try_take(&self) -> Finished<T> {
        match self.receiver.try_recv() {
            Ok(result) => Finished::Done(result),
            Err(TryRecvError::Empty) => Finished::Pending,
            Err(TryRecvError::Disconnected) => Finished::Lost,
        }
    }
}

/// Asks `ctx` for a repaint whenever the work's `steps` reach another whole percent, so a progress
/// bar moves without the window drawing idle frames. With a `gate` (a test hook), the work waits,
/// the first time it reports (once it has counted its steps, before it changes anything), until
/// the gate is released.
pub fn repaint_on_progress(steps: &Steps, ctx: &egui::Context, gate: Option<LoadGate>) {
    let wake = ctx.clone();
    let hold = AtomicBool::new(gate.is_some());
    steps.watch(move || {
        wake.request_repaint();
        if let Some(gate) = &gate
            && hold.swap(false, Ordering::SeqCst)
        {
            gate.wait();
        }
    });
}
