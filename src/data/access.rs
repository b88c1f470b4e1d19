//! Whether this process may write in a data folder: a write check, a lock against a second copy
//! of the app, and moving to another folder without losing what was saved.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::DataDir;

/// The lock file held by the app for as long as it runs.
pub const LOCK_FILE: &str = "faro.lock";

/// Why this process cannot write in a data folder.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DataProblem {
    /// Another copy of Faro (or another person's session) has it open.
    #[error("another Faro window is already using the data folder {0}")]
    InUse(PathBuf),
    /// It cannot be created or written: read-only media, full disk, permissions, or not a folder.
    /// `failure` is the case a person can act on (the app words it in their language); `reason`
    /// says it in English with the system's own message, for the command line and diagnostics.
    #[error("Faro cannot save in {dir}: {reason}")]
    Unwritable { dir: PathBuf, failure: WriteFailure, reason: String },
}

/// Why a folder cannot be written, in the cases a volunteer can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteFailure {
    /// A file stands where the folder should be.
    IsAFile,
    /// Part of the path is a file, not a folder.
    PathHasAFile,
    ReadOnly,
    PermissionDenied,
    DiskFull,
    /// Anything else; `reason` has the system's message.
    Other,
}

impl WriteFailure {
    fn of(e: &std::io::Error) -> Self {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::PermissionDenied => WriteFailure::PermissionDenied,
            ErrorKind::ReadOnlyFilesystem => WriteFailure::ReadOnly,
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => WriteFailure::DiskFull,
            ErrorKind::NotADirectory => WriteFailure::PathHasAFile,
            _ => WriteFailure::Other,
        }
    }

    /// The case in plain English.
    pub fn describe(self) -> &'static str {
        match self {
            WriteFailure::IsAFile => "it is a file, not a folder; rename or remove that file",
            WriteFailure::PathHasAFile => "part of the path is a file, not a folder",
            WriteFailure::ReadOnly => "the disk or USB stick is read-only",
            WriteFailure::PermissionDenied => {
                "permission denied (the folder or the USB stick may be read-only)"
            }
            WriteFailure::DiskFull => "the disk is full",
            WriteFailure::Other => "",
        }
    }
}

impl DataProblem {
    /// What a save that failed mid-session says about the folder, when it is a case a person acts
    /// on by choosing another folder (the disk is full, the stick became read-only); `None` for
    /// anything else, which stays a one-off failure. A denied permission is one-off too: on
    /// Windows a virus scanner holding the file for a moment is reported the same way.
    pub fn from_failed_save(dir: &Path, error: &super::store::StoreError) -> Option<DataProblem> {
        let super::store::StoreError::Write { source, .. } = error else { return None };
        match WriteFailure::of(source) {
            WriteFailure::DiskFull | WriteFailure::ReadOnly => Some(unwritable(dir, source)),
            _ => None,
        }
    }
}

/// Held while the app runs; other copies of Faro see the folder as in use until it is dropped.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

impl DataDir {
    /// Checks that the folder exists (creating it) and that a file can be written, flushed and
    /// removed in it.
    pub fn check_writable(&self) -> Result<(), DataProblem> {
        let dir = self.root();
        if dir.exists() && !dir.is_dir() {
            let failure = WriteFailure::IsAFile;
            return Err(DataProblem::Unwritable {
                dir: dir.to_owned(),
                failure,
                reason: failure.describe().to_owned(),
            });
        }
        fs::create_dir_all(dir).map_err(|e| unwritable(dir, &e))?;
        let probe = dir.join(format!(".write-check-{}", std::process::id()));
        let written = File::create(&probe).and_then(|mut f| {
            f.write_all(b"faro")?;
            f.sync_all()
        });
        let _ = fs::remove_file(&probe);
        written.map_err(|e| unwritable(dir, &e))
    }

    /// Makes this process the folder's writer: checks it can be written, then takes its lock, then
    /// removes the temporary files an earlier Faro killed mid-write left behind.
    pub fn claim(&self) -> Result<DataLock, DataProblem> {
        self.check_writable()?;
        let lock = self.lock()?;
        // Only the lock holder writes here now: what an earlier Faro killed mid-write left
        // behind (and is old enough not to be a CLI command's write in progress) can go.
        super::store::remove_stale_temporaries(self.root(), super::store::STALE_AFTER);
        Ok(lock)
    }

    /// Takes the folder's lock, so a second copy of Faro cannot write in it at the same time.
    /// The lock goes with the returned value (and with the process, if it crashes).
    pub fn lock(&self) -> Result<DataLock, DataProblem> {
        let dir = self.root();
        fs::create_dir_all(dir).map_err(|e| unwritable(dir, &e))?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
            .map_err(|e| unwritable(dir, &e))?;
        match file.try_lock() {
            Ok(()) => Ok(DataLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(DataProblem::InUse(dir.to_owned())),
            Err(fs::TryLockError::Error(e)) => Err(unwritable(dir, &e)),
        }
    }

    /// Whether the folder holds any Faro data yet (a profiles list).
    pub fn has_data(&self) -> bool {
        self.root().join("profiles.ron").is_file()
    }

    /// Copies everything saved in `self` into `to`, never replacing a file already there, so
    /// moving to a new data folder loses nothing. Returns how many files were copied. The lock,
    /// temporary files and the unpacked bundled modules (rebuilt on demand) are left out.
    pub fn copy_into(&self, to: &DataDir) -> std::io::Result<usize> {
        let mut copied = 0;
        let mut stack: Vec<PathBuf> = vec![PathBuf::new()];
        while let Some(rel) = stack.pop() {
            let from_dir = self.root().join(&rel);
            let Ok(entries) = fs::read_dir(&from_dir) else { continue };
            for entry in entries {
                let entry = entry?;
                let name = entry.file_name();
                let name_str = name.to_string_lossy();
                if rel.as_os_str().is_empty() && (name_str == LOCK_FILE || name_str == "cache") {
                    continue;
                }
                if name_str.ends_with(".tmp") || name_str.starts_with(".write-check-") {
                    continue;
                }
                let rel_path = rel.join(&name);
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    fs::create_dir_all(to.root().join(&rel_path))?;
                    stack.push(rel_path);
                } else if kind.is_file() {
                    let target = to.root().join(&rel_path);
                    if !target.exists() {
                        copy_durably(&entry.path(), &target)?;
                        copied += 1;
                    }
                }
            }
        }
        Ok(copied)
    }
}

fn copy_durably(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::copy(from, to)?;
    File::open(to)?.sync_all()
}

/// The problem for a failed write in `dir`: the case, and the system's message in English.
fn unwritable(dir: &Path, e: &std::io::Error) -> DataProblem {
    let failure = WriteFailure::of(e);
    let reason = match failure {
        WriteFailure::Other => e.to_string(),
        known => format!("{} ({e})", known.describe()),
    };
    DataProblem::Unwritable { dir: dir.to_owned(), failure, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_that_claims_the_folder_removes_stale_temporaries_and_a_refused_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path().join("data"));
        let learner = data.root().join("learners/ana");
        fs::create_dir_all(&learner).unwrap();
        let old = std::time::SystemTime::now() - 2 * super::super::store::STALE_AFTER;
        let left = |name: &str| {
            let path = learner.join(name);
            fs::write(&path, b"half").unwrap();
            File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();
            path
        };
        let killed = left(".minimal-example.ron.4242.tmp");
        let first = data.claim().unwrap();
        assert!(!killed.exists(), "removed by the window that holds the folder");
        let later = left(".minimal-example.ron.4343.tmp");
        assert!(matches!(data.claim(), Err(DataProblem::InUse(_))));
        assert!(later.exists(), "a window that cannot hold the folder removes nothing");
        drop(first);
    }

    #[test]
    fn a_full_disk_or_a_read_only_stick_mid_session_is_a_folder_problem_and_other_failures_are_not() {
        use super::super::store::StoreError;
        use std::io::{Error, ErrorKind};
        let dir = Path::new("/media/stick/faro-data");
        let failed =
            |kind: ErrorKind| StoreError::Write { path: dir.join("settings.ron"), source: Error::from(kind) };
        for (kind, failure) in [
            (ErrorKind::StorageFull, WriteFailure::DiskFull),
            (ErrorKind::QuotaExceeded, WriteFailure::DiskFull),
            (ErrorKind::ReadOnlyFilesystem, WriteFailure::ReadOnly),
        ] {
            match DataProblem::from_failed_save(dir, &failed(kind)) {
                Some(DataProblem::Unwritable { dir: d, failure: f, .. }) => {
                    assert_eq!((d.as_path(), f), (dir, failure))
                }
                other => panic!("{kind:?}: {other:?}"),
            }
        }
        for kind in [ErrorKind::Interrupted, ErrorKind::PermissionDenied] {
            assert_eq!(DataProblem::from_failed_save(dir, &failed(kind)), None, "{kind:?}");
        }
        let encode = StoreError::Encode { path: dir.join("x"), message: "bad".into() };
        assert_eq!(DataProblem::from_failed_save(dir, &encode), None);
    }

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path().join("data"));
        let first = data.lock().unwrap();
        assert_eq!(data.lock().unwrap_err(), DataProblem::InUse(dir.path().join("data")));
        drop(first);
        data.lock().unwrap();
    }

    #[test]
    fn a_file_in_place_of_the_folder_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("faro-data");
        fs::write(&file, "x").unwrap();
        let err = DataDir::at(file.clone()).check_writable().unwrap_err();
        assert!(err.to_string().contains("it is a file, not a folder"), "{err}");
        assert_eq!(fs::read(&file).unwrap(), b"x", "the file is left alone");
        // A folder below a file cannot be created either.
        let below = DataDir::at(file.join("data"));
        assert!(matches!(below.check_writable(), Err(DataProblem::Unwritable { .. })));
        assert!(matches!(below.lock(), Err(DataProblem::Unwritable { .. })));
    }

    #[test]
    fn a_writable_folder_passes_and_is_left_clean() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path().join("new"));
        data.check_writable().unwrap();
        assert_eq!(fs::read_dir(data.root()).unwrap().count(), 0);
    }

    #[test]
    fn copying_keeps_what_is_there_and_skips_the_lock_and_cache() {
        let from = tempfile::tempdir().unwrap();
        let to = tempfile::tempdir().unwrap();
        let old = DataDir::at(from.path().to_owned());
        fs::write(from.path().join("profiles.ron"), "old profiles").unwrap();
        fs::create_dir_all(from.path().join("learners/a/progress")).unwrap();
        fs::write(from.path().join("learners/a/progress/m.ron"), "attempt").unwrap();
        fs::create_dir_all(from.path().join("cache/bundled-x")).unwrap();
        fs::write(from.path().join("cache/bundled-x/f"), "cache").unwrap();
        let _lock = old.lock().unwrap();
        fs::write(to.path().join("profiles.ron"), "newer profiles").unwrap();

        let copied = old.copy_into(&DataDir::at(to.path().to_owned())).unwrap();
        assert_eq!(copied, 1);
        assert_eq!(fs::read_to_string(to.path().join("learners/a/progress/m.ron")).unwrap(), "attempt");
        assert_eq!(fs::read_to_string(to.path().join("profiles.ron")).unwrap(), "newer profiles");
        assert!(!to.path().join("cache").exists());
        assert!(!to.path().join(LOCK_FILE).exists());
    }
}
