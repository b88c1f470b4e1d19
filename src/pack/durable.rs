//! Flushing to disk on a second thread, so the disk works while the CPU hashes and unpacks.
//!
//! Installs and builds must be durable (every file on disk before the rename that makes it
//! count), but waiting for each flush in turn leaves the CPU idle while the disk writes, and the
//! disk idle while the CPU hashes. The flushes here run beside that work; callers must call
//! `finish` (which waits for every flush and reports the first failure) before they commit.

use std::fs::File;
use std::path::PathBuf;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use super::PackError;

/// How many written files may wait for their flush (each holds a file handle).
const MAX_PENDING: usize = 32;

/// Files waiting for `sync_all`, flushed in order by a worker thread.
pub(crate) struct BackgroundSync(Worker<(File, PathBuf)>);

impl BackgroundSync {
    pub(crate) fn start() -> Self {
        // Bounded, so a pack of many small files never holds more than this many open at once.
        Self(Worker::start(MAX_PENDING, |(file, path): (File, PathBuf)| {
            file.sync_all().map_err(|e| PackError::io(path, e))
        }))
    }

    /// Flushes `file` (written in full) soon; the file is closed once flushed. Waits when
    /// `MAX_PENDING` files are already waiting.
    pub(crate) fn push(&self, file: File, path: PathBuf) {
        if let Some(sender) = &self.0.sender {
            // A send fails only when the worker stopped on an error, which `finish` reports.
            let _ = sender.send((file, path));
        }
    }

    /// Waits until every pushed file is on disk; the first failure, if any.
    pub(crate) fn finish(self) -> Result<(), PackError> {
        self.0.finish()
    }
}

/// Starts writing a growing file back to disk while it is still being written, so the final
/// `sync_all` has little left to wait for.
pub(crate) struct EarlyWriteback(Worker<()>);

impl EarlyWriteback {
    /// `file` is a second handle to the file being written (see `File::try_clone`).
    pub(crate) fn start(file: File, path: PathBuf) -> Self {
        Self(Worker::start(1, move |()| file.sync_data().map_err(|e| PackError::io(&path, e))))
    }

    /// Asks for what was written so far to go to disk; never waits (a flush already asked for
    /// will also take this data, and a stopped worker's error is reported by `finish`).
    pub(crate) fn nudge(&self) {
        if let Some(sender) = &self.0.sender {
            let _ = sender.try_send(());
        }
    }

    /// Waits for the flushes asked for; the first failure, if any. The caller still makes the
    /// file durable with its own `sync_all`.
    pub(crate) fn finish(self) -> Result<(), PackError> {
        self.0.finish()
    }
}

/// A thread that handles messages from a bounded queue in order and stops at its first failure
/// (dropping the queue, so later sends fail at once).
struct Worker<M> {
    sender: Option<SyncSender<M>>,
    thread: Option<JoinHandle<Result<(), PackError>>>,
}

impl<M: Send + 'static> Worker<M> {
    fn start(capacity: usize, mut handle: impl FnMut(M) -> Result<(), PackError> + Send + 'static) -> Self {
        let (sender, receiver) = sync_channel::<M>(capacity);
        let thread = std::thread::spawn(move || receiver.into_iter().try_for_each(&mut handle));
        Self { sender: Some(sender), thread: Some(thread) }
    }

    /// Closes the queue, waits for the thread; its first failure, if any.
    fn finish(mut self) -> Result<(), PackError> {
        self.sender = None;
        match self.thread.take().map(JoinHandle::join) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(e),
            Some(Err(_)) => {
                Err(PackError::io(PathBuf::new(), std::io::Error::other("the disk-flush thread failed")))
            }
        }
    }
}

impl<M> Drop for Worker<M> {
    fn drop(&mut self) {
        // An early return (an error elsewhere): stop taking work and wait for the thread, so no
        // thread outlives the folder it writes in.
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A worker that records what it handled, failing on `fail_on` if given.
    fn recording(capacity: usize, fail_on: Option<u32>) -> (Worker<u32>, Arc<Mutex<Vec<u32>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let worker = Worker::start(capacity, move |n: u32| {
            if Some(n) == fail_on {
                return Err(PackError::io(format!("file-{n}"), std::io::Error::other("disk full")));
            }
            // Slower than the sender, so the bounded queue fills and `send` has to wait.
            std::thread::sleep(std::time::Duration::from_millis(1));
            log.lock().expect("log").push(n);
            Ok(())
        });
        (worker, seen)
    }

    #[test]
    fn finish_returns_only_after_every_message_was_handled_in_order() {
        let (worker, seen) = recording(2, None);
        for n in 0..50 {
            worker.sender.as_ref().expect("open").send(n).expect("worker running");
        }
        worker.finish().expect("no failure");
        assert_eq!(*seen.lock().expect("log"), (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn the_first_failure_stops_the_worker_and_finish_reports_it() {
        let (worker, seen) = recording(2, Some(5));
        for n in 0..50 {
            // Sends after the failure fail at once instead of blocking on a full queue.
            let _ = worker.sender.as_ref().expect("open").send(n);
        }
        let error = worker.finish().expect_err("the failure is reported");
        assert!(error.to_string().contains("file-5"), "{error}");
        assert_eq!(*seen.lock().expect("log"), (0..5).collect::<Vec<_>>());
    }
}
