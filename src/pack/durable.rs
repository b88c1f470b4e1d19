//! Flushing to disk on a second thread, so the disk works while the CPU hashes and unpacks.
//!
//! Installs and builds must be durable (every file on disk before the rename that makes it
//! count), but waiting for each flush in turn leaves the CPU idle while the disk writes, and the
//! disk idle while the CPU hashes. The flushes here run beside that work; callers must call
//! `finish` (which waits for every flush and reports the first failure) before they commit.

use std::fs::File;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

use super::PackError;

/// How many written files may wait for their flush (each holds a file handle).
const MAX_PENDING: usize = 32;

/// Files waiting for `sync_all`, flushed in order by a worker thread.
pub(crate) struct BackgroundSync {
    sender: Option<SyncSender<(File, PathBuf)>>,
    worker: Option<JoinHandle<Result<(), PackError>>>,
}

impl BackgroundSync {
    pub(crate) fn start() -> Self {
        // Bounded, so a pack of many small files never holds more than this many open at once.
        let (sender, receiver) = sync_channel::<(File, PathBuf)>(MAX_PENDING);
        let worker = std::thread::spawn(move || {
            for (file, path) in receiver {
                // Stop at the first failure: dropping the receiver makes later sends no-ops and
                // `finish` reports this error.
                file.sync_all().map_err(|e| PackError::io(path, e))?;
            }
            Ok(())
        });
        Self { sender: Some(sender), worker: Some(worker) }
    }

    /// Flushes `file` (written in full) soon; the file is closed once flushed. Waits when
    /// `MAX_PENDING` files are already waiting.
    pub(crate) fn push(&self, file: File, path: PathBuf) {
        if let Some(sender) = &self.sender {
            // A send fails only when the worker stopped on an error, which `finish` reports.
            let _ = sender.send((file, path));
        }
    }

    /// Waits until every pushed file is on disk; the first failure, if any.
    pub(crate) fn finish(mut self) -> Result<(), PackError> {
        self.sender = None;
        join(self.worker.take())
    }
}

impl Drop for BackgroundSync {
    fn drop(&mut self) {
        // An early return (an error elsewhere): stop taking files and wait for the worker, so no
        // thread outlives the folder it writes in.
        self.sender = None;
        let _ = join(self.worker.take());
    }
}

/// Starts writing a growing file back to disk while it is still being written, so the final
/// `sync_all` has little left to wait for.
pub(crate) struct EarlyWriteback {
    nudge: Option<SyncSender<()>>,
    worker: Option<JoinHandle<Result<(), PackError>>>,
}

impl EarlyWriteback {
    /// `file` is a second handle to the file being written (see `File::try_clone`).
    pub(crate) fn start(file: File, path: PathBuf) -> Self {
        let (nudge, nudges): (SyncSender<()>, Receiver<()>) = sync_channel(1);
        let worker = std::thread::spawn(move || {
            for () in nudges {
                file.sync_data().map_err(|e| PackError::io(&path, e))?;
            }
            Ok(())
        });
        Self { nudge: Some(nudge), worker: Some(worker) }
    }

    /// Asks for what was written so far to go to disk; never waits (a flush already asked for
    /// will also take this data).
    pub(crate) fn nudge(&self) {
        if let Some(nudge) = &self.nudge {
            match nudge.try_send(()) {
                Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
            }
        }
    }

    /// Waits for the flushes asked for; the first failure, if any. The caller still makes the
    /// file durable with its own `sync_all`.
    pub(crate) fn finish(mut self) -> Result<(), PackError> {
        self.nudge = None;
        join(self.worker.take())
    }
}

impl Drop for EarlyWriteback {
    fn drop(&mut self) {
        self.nudge = None;
        let _ = join(self.worker.take());
    }
}

fn join(worker: Option<JoinHandle<Result<(), PackError>>>) -> Result<(), PackError> {
    match worker.map(JoinHandle::join) {
        None | Some(Ok(Ok(()))) => Ok(()),
        Some(Ok(Err(e))) => Err(e),
        Some(Err(_)) => {
            Err(PackError::io(PathBuf::new(), std::io::Error::other("the disk-flush thread failed")))
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
