//! Watching a module folder for saves, debounced without a timer thread.
//!
//! An editor's save is a burst of events (write a temporary file, rename it over the old one,
//! touch a backup). Each event only records when it happened and asks the window to look again
//! once the burst should be over; the window reloads when [`Watcher::due`] says the folder has
//! been quiet for [`DEBOUNCE`]. Nothing runs between saves, so an idle preview uses no CPU
//! (a debouncer with its own ticking thread would wake up forever).

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

/// How long the folder must be quiet after a change before the module is reloaded.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

/// Whether a reload is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// Nothing changed since the last reload.
    Idle,
    /// A change is still settling: look again after this long.
    Later(Duration),
    /// The folder changed and has been quiet since: reload now.
    Now,
}

/// Asks the window to look again after the given delay (the app passes egui's
/// `request_repaint_after`).
pub type Wake = Box<dyn Fn(Duration) + Send + Sync>;

/// A module folder being watched; dropping it stops the watching.
pub struct Watcher {
    _watcher: notify::RecommendedWatcher,
    last_change: Arc<Mutex<Option<Instant>>>,
}

impl Watcher {
    /// Watches `dir` and what is inside it. Symbolic links are not followed, so a link loop in the
    /// folder cannot make the watcher walk forever.
    pub fn new(dir: &Path, wake: Wake) -> notify::Result<Self> {
        let last_change: Arc<Mutex<Option<Instant>>> = Arc::default();
        let record = Arc::clone(&last_change);
        let handler = move |event: notify::Result<notify::Event>| {
            // Reading the module (which the reload does) is not a change; errors (an event queue
            // that overflowed, a folder that vanished) may hide one, so they count as one.
            if let Ok(event) = &event
                && !changes_files(&event.kind)
            {
                return;
            }
            *record.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
            wake(DEBOUNCE);
        };
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut watcher = notify::RecommendedWatcher::new(handler, config)?;
        watcher.watch(dir, RecursiveMode::Recursive)?;
        Ok(Self { _watcher: watcher, last_change })
    }

    /// Whether the folder changed and has been quiet for [`DEBOUNCE`] at `now`; answering
    /// [`Due::Now`] consumes the change.
    pub fn due(&self, now: Instant) -> Due {
        let mut last = self.last_change.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(at) = *last else { return Due::Idle };
        let quiet = now.saturating_duration_since(at);
        if quiet >= DEBOUNCE {
            *last = None;
            Due::Now
        } else {
            Due::Later(DEBOUNCE - quiet)
        }
    }
}

/// Whether an event may have changed what the folder holds.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    }
}
