//! Importing records files without freezing the window (issue 25): merging the files of a
//! hundred laptops and building the matrix takes seconds, so it runs on a worker thread, which
//! asks for a repaint at each whole percent of the files read and when it is done. Nothing polls,
//! so the window stays idle while it waits.

use std::path::PathBuf;
use std::sync::Arc;

use super::library_load::LoadGate;
use super::worker::{Finished, Worker, repaint_on_progress};
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
    worker: Worker<Box<Imported>>,
    steps: Arc<Steps>,
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
        let steps = Arc::new(Steps::default());
        repaint_on_progress(&steps, ctx, gate);
        let counted = Arc::clone(&steps);
        let worker = Worker::start("faro-records-import", ctx, move || {
            let roster = crate::records::merge_counting(&sources, &merge, &counted);
            let matrix = TrainingMatrix::build(&roster, &matrix);
            let laptops = crate::records::laptops(&roster);
            Box::new(Imported { roster, matrix, laptops })
        });
        Self { worker, steps }
    }

    /// Files read, and how many there are (0 until they are counted).
    pub fn progress(&self) -> (usize, usize) {
        self.steps.counts()
    }

    /// The roster and matrix, once the worker has them.
    pub fn try_take(&self) -> Finished<Box<Imported>> {
        self.worker.try_take()
    }
}
