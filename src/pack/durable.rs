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

    #[test]
    fn background_sync_keeps_every_pushed_file_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sync = BackgroundSync::start();
        for i in 0..20 {
            let path = dir.path().join(format!("f{i}"));
            std::fs::write(&path, vec![i as u8; 1000]).expect("write");
            // Opened for writing, as the installer's files are (Windows flushes only those).
            let file = std::fs::OpenOptions::new().write(true).open(&path).expect("open");
            sync.push(file, path);
        }
        sync.finish().expect("flushed");
        for i in 0..20 {
            assert_eq!(std::fs::read(dir.path().join(format!("f{i}"))).expect("read"), vec![i as u8; 1000]);
        }
    }

    #[test]
    fn early_writeback_does_not_disturb_a_growing_file() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("growing");
        let mut file = File::create(&path).expect("create");
        let writeback = EarlyWriteback::start(file.try_clone().expect("clone"), path.clone());
        for _ in 0..64 {
            file.write_all(&[7u8; 64 * 1024]).expect("write");
            writeback.nudge();
        }
        writeback.finish().expect("flushed");
        file.sync_all().expect("sync");
        assert_eq!(std::fs::metadata(&path).expect("meta").len(), 64 * 64 * 1024);
    }
}
