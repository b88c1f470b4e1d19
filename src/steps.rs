//! How far a long piece of work has got, for a window to show while the work runs on another
//! thread: a pack install (each file unpacked, each module checked, the final move) or a records
//! import (each records file read).
//!
//! The work counts its steps and calls whoever watches only when the whole percentage changes,
//! so a window showing a progress bar repaints at most a hundred times per job and stays idle
//! otherwise.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

type Watcher = Box<dyn Fn() + Send>;

/// Steps done out of the work's total, shared between the work and its window.
#[derive(Default)]
pub struct Steps {
    done: AtomicUsize,
    total: AtomicUsize,
    watcher: Mutex<Option<Watcher>>,
}

impl fmt::Debug for Steps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (done, total) = self.counts();
        write!(f, "Steps({done} of {total})")
    }
}

impl Steps {
    /// Calls `watch` (from the work's threads) whenever the whole percentage changes.
    pub fn watch(&self, watch: impl Fn() + Send + 'static) {
        *self.watcher.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(watch));
    }

    /// Steps done, and the total (0 until the work has counted them).
    pub fn counts(&self) -> (usize, usize) {
        let total = self.total.load(Ordering::SeqCst);
        (self.done.load(Ordering::SeqCst).min(total), total)
    }

    /// How much is done, from 0 to 1.
    pub fn fraction(&self) -> f32 {
        match self.counts() {
            (_, 0) => 0.0,
            (done, total) => done as f32 / total as f32,
        }
    }

    /// The work knows how many steps it has: it starts again from none done.
    pub(crate) fn begin(&self, total: usize) {
        self.done.store(0, Ordering::SeqCst);
        self.total.store(total, Ordering::SeqCst);
        self.tell();
    }

    /// One more step is done.
    pub(crate) fn advance(&self) {
        let total = self.total.load(Ordering::SeqCst).max(1);
        let before = self.done.fetch_add(1, Ordering::SeqCst);
        if before * 100 / total != (before + 1) * 100 / total {
            self.tell();
        }
    }

    fn tell(&self) {
        if let Some(watch) = self.watcher.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            watch();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::Steps;

    #[test]
    fn the_watcher_hears_each_whole_percent_once_not_every_step() {
        let progress = Steps::default();
        let heard = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&heard);
        progress.watch(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        progress.begin(1_000);
        for _ in 0..1_000 {
            progress.advance();
        }
        assert_eq!(progress.counts(), (1_000, 1_000));
        assert!((progress.fraction() - 1.0).abs() < f32::EPSILON);
        // Once at the start, then once per percent.
        assert_eq!(heard.load(Ordering::SeqCst), 101);
    }

    #[test]
    fn before_the_work_counts_its_steps_nothing_is_done() {
        let progress = Steps::default();
        progress.advance();
        assert_eq!(progress.counts(), (0, 0));
        assert_eq!(progress.fraction(), 0.0);
    }
}
