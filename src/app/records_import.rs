//! Importing records files without freezing the window (issue 25): merging the files of a
//! hundred laptops and building the matrix takes seconds, so it runs on a worker thread, which
//! asks for a repaint at each whole percent of the files read and when it is done. Nothing polls,
//! so the window stays idle while it waits.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::library_load::LoadGate;
use crate::records::{Laptop, MatrixOptions, MergeOptions, Roster, TrainingMatrix};
use crate::steps::Steps;

/// What an import makes: the merged roster, its matrix, and the laptops behind it.
pub struct Imported {
    pub roster: Roster,
    pub matrix: TrainingMatrix,
    pub laptops: Vec<Laptop>,
}

/// Records files being merged on a worker thread.
pub struct ImportJob {
    receiver: Receiver<Imported>,
    steps: Arc<Steps>,
}

/// What an import has for the screen.
pub enum Finished {
    Pending,
    Done(Box<Imported>),
    /// The worker ended without a result (it panicked, which is a bug).
    Lost,
}

impl ImportJob {
    /// Starts merging `sources`; `ctx` is asked for a repaint at each whole percent of the files
    /// read and when the roster and matrix are ready. With a `gate` (a test hook), the import
    /// waits, once it has counted its files and before it reads them, until the gate is released.
    pub fn start(
        sources: Vec<PathBuf>,
        (merge, matrix): (MergeOptions, MatrixOptions),
        ctx: &egui::Context,
        gate: Option<LoadGate>,
    ) -> Self {
        let (sender, receiver) = mpsc::channel();
        let steps = Arc::new(Steps::default());
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
        let counted = Arc::clone(&steps);
        let run = move || {
            let roster = crate::records::merge_counting(&sources, &merge, &counted);
            let matrix = TrainingMatrix::build(&roster, &matrix);
            let laptops = crate::records::laptops(&roster);
            Imported { roster, matrix, laptops }
        };
        let repaint = ctx.clone();
        let fallback = (run.clone(), sender.clone());
        let work = move || {
            // A send fails only when the app is gone, and then nobody needs the result.
            if sender.send(run()).is_ok() {
                repaint.request_repaint();
            }
        };
        if std::thread::Builder::new().name("faro-records-import".into()).spawn(work).is_err() {
            // No thread to be had (the system is out of them): merge here, late rather than never.
            let (run, sender) = fallback;
            let _ = sender.send(run());
        }
        Self { receiver, steps }
    }

    /// Files read, and how many there are (0 until they are counted).
    pub fn progress(&self) -> (usize, usize) {
        self.steps.counts()
    }

    /// The roster and matrix, once the worker has them.
    pub fn try_take(&self) -> Finished {
        match self.receiver.try_recv() {
            Ok(imported) => Finished::Done(Box::new(imported)),
            Err(TryRecvError::Empty) => Finished::Pending,
            Err(TryRecvError::Disconnected) => Finished::Lost,
        }
    }
}
