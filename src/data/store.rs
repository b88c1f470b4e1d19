//! Atomic, corruption-tolerant storage of small RON files in the data directory.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Files in the data directory are small; anything larger is treated as corrupt.
pub const MAX_DATA_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A storage failure, with the path involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot encode data for {path}: {message}")]
    Encode { path: PathBuf, message: String },
}

/// A damaged file that was moved aside so the app could go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarantined {
    /// Where the file was.
    pub original: PathBuf,
    /// Where it is kept now, for recovery.
    pub kept_at: PathBuf,
    /// What was wrong with it.
    pub problem: String,
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename, fsync
/// of the folder. A crash leaves either the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomic_with(path, |file| file.write_all(bytes))
}

/// Like [`write_atomic`], for a file written piece by piece (through a buffer) by `write`, so
/// that a large export never has to be held in memory whole.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut AtomicFile) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    let mut file = AtomicFile::create(path)?;
    write(&mut file).map_err(|source| StoreError::Write { path: path.to_owned(), source })?;
    file.commit()
}

/// A file being written atomically, piece by piece: it takes its place at `path` on
/// [`AtomicFile::commit`] (fsync, rename, fsync of the folder), and is removed if dropped before.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<std::io::BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing a file that will replace `path` (a temporary file in the same folder).
    pub fn create(path: &Path) -> Result<AtomicFile, StoreError> {
        let err = |source| StoreError::Write { path: path.to_owned(), source };
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(err)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("data");
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(err)?;
        Ok(AtomicFile {
            path: path.to_owned(),
            tmp,
            file: Some(std::io::BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// Puts the file in place: a crash leaves either the old file or the new one, never a mix.
    pub fn commit(mut self) -> Result<(), StoreError> {
        let result = (|| {
            let Some(buffered) = self.file.take() else { return Ok(()) };
            let file = buffered.into_inner().map_err(std::io::IntoInnerError::into_error)?;
            file.sync_all()?;
            drop(file);
            fs::rename(&self.tmp, &self.path)?;
            // The rename is durable only once the folder entry is on disk.
            sync_dir(self.path.parent().unwrap_or(Path::new(".")));
            Ok(())
        })();
        result.map_err(|source| StoreError::Write { path: self.path.clone(), source })
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(file) => file.write(buf),
            None => Err(std::io::Error::other("the file was already committed")),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match &mut self.file {
            Some(file) => file.write_all(buf),
            None => Err(std::io::Error::other("the file was already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Not committed (or the commit failed before the rename): the temporary file goes.
        if self.file.take().is_some() || self.tmp.exists() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to a new file at `path`, never replacing a file that is there: a temporary file
/// in the same folder, fsync, a hard link to `path` (which, unlike a rename, fails when `path`
/// exists), fsync of the folder. A crash leaves no file or the whole one. `private` makes it
/// readable by its owner only (on Unix; keys). Where the file system has no hard links (FAT on a
/// USB stick), the file is created in place instead, which still never replaces one.
pub fn write_new(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("data");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = fs::remove_file(&tmp);
    let result = create_new_synced(&tmp, bytes, private).and_then(|()| match fs::hard_link(&tmp, path) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists && !path.exists() => {
            create_new_synced(path, bytes, private)
        }
        other => other,
    });
    let _ = fs::remove_file(&tmp);
    if result.is_ok() {
        sync_dir(dir);
    }
    result
}

/// Creates `path` (failing if it exists), writes `bytes` and flushes them to disk.
fn create_new_synced(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes renames and new entries in `dir` durable, where the platform allows it (Windows cannot
/// open a folder this way; its renames are flushed by the file system).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Serializes `value` as pretty RON and writes it atomically.
pub fn save_ron<T: Serialize>(path: &Path, value: &T) -> Result<(), StoreError> {
    let text = ron::ser::to_string_pretty(value, ron::ser::PrettyConfig::default())
        .map_err(|e| StoreError::Encode { path: path.to_owned(), message: e.to_string() })?;
    write_atomic(path, text.as_bytes())
}

/// What loading a data file found.
#[derive(Debug)]
pub enum Loaded<T> {
    /// There is no such file yet.
    Missing,
    Ok(T),
    /// The file could not be read as `T`; it was moved aside.
    Quarantined(Quarantined),
}

/// A data file's bytes, read with the size cap.
pub enum DataBytes {
    Missing,
    /// Larger than [`MAX_DATA_FILE_BYTES`]: not read beyond the cap.
    TooLarge,
    Read(Vec<u8>),
}

/// Reads a data file (or a file that claims to be one, from someone else's copy of a data
/// folder) without ever holding more than [`MAX_DATA_FILE_BYTES`] of it.
pub fn read_data_file(path: &Path) -> Result<DataBytes, std::io::Error> {
    use std::io::Read as _;
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DataBytes::Missing),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    file.take(MAX_DATA_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_DATA_FILE_BYTES {
        return Ok(DataBytes::TooLarge);
    }
    Ok(DataBytes::Read(bytes))
}

/// Reads a RON data file; a damaged one is moved aside (never overwritten) and reported.
pub fn load_ron<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>, StoreError> {
    let read = read_data_file(path).map_err(|source| StoreError::Read { path: path.to_owned(), source })?;
    let problem = match read {
        DataBytes::Missing => return Ok(Loaded::Missing),
        DataBytes::TooLarge => "the file is far larger than any Faro data file".to_owned(),
        DataBytes::Read(bytes) => match std::str::from_utf8(&bytes) {
            Err(_) => "the file is not UTF-8 text".to_owned(),
            Ok(text) => match crate::load::data_options().from_str::<T>(text) {
                Ok(value) => return Ok(Loaded::Ok(value)),
                Err(e) => format!("{}: {}", e.span.start, e.code),
            },
        },
    };
    quarantine(path, problem).map(Loaded::Quarantined)
}

/// Moves a damaged file to `<name>.corrupt-<timestamp>` beside it.
pub fn quarantine(path: &Path, problem: String) -> Result<Quarantined, StoreError> {
    let kept_at = aside_path(path);
    fs::rename(path, &kept_at).map_err(|source| StoreError::Write { path: kept_at.clone(), source })?;
    Ok(Quarantined { original: path.to_owned(), kept_at, problem })
}

/// Copies a damaged file to `<name>.corrupt-<timestamp>` beside it, leaving the original in place
/// until the caller has safely replaced it (for a file that must never be missing, such as the
/// coordinator's lock).
pub fn copy_aside(path: &Path) -> std::io::Result<PathBuf> {
    let kept_at = aside_path(path);
    fs::copy(path, &kept_at)?;
    Ok(kept_at)
}

/// Where a damaged file is kept: `<name>.corrupt-<timestamp>` beside it.
fn aside_path(path: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("data");
    path.with_file_name(format!("{name}.corrupt-{stamp}"))
}

/// How old a temporary file or folder must be before it is taken for one left by a writer that
/// was killed: no save, export or unpacking takes this long, and the file's time changes while
/// it is being written.
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// At most this many folder entries are looked at by [`remove_stale_temporaries`], so a huge
/// folder cannot make start-up slow.
const MOST_ENTRIES_SWEPT: usize = 200_000;

/// Removes the temporary files and folders that writers killed mid-write (power cut, `kill -9`)
/// left under `root`: [`write_atomic`]'s and [`write_new`]'s `.<name>.<pid>.tmp` files, the
/// write check's `.write-check-<pid>` files and unpacking's `.bundled-….tmp` folders, when they
/// are older than `older_than`. Folders whose names start with a dot are not entered (a pack
/// install's staging folder belongs to its own recovery), nor are symbolic links followed.
/// Returns how many were removed. Callers sweep only a folder no other Faro may be writing in
/// (the data folder, once its lock is held), or one where the age alone says the writer is gone.
pub fn remove_stale_temporaries(root: &Path, older_than: std::time::Duration) -> usize {
    let now = std::time::SystemTime::now();
    let stale = |meta: &fs::Metadata| {
        meta.modified().ok().and_then(|t| now.duration_since(t).ok()).is_some_and(|age| age >= older_than)
    };
    let mut removed = 0;
    let mut seen = 0;
    let mut folders = vec![root.to_owned()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MOST_ENTRIES_SWEPT {
                return removed;
            }
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(meta) = entry.path().symlink_metadata() else { continue };
            let temporary =
                name.starts_with('.') && (name.ends_with(".tmp") || name.starts_with(".write-check-"));
            if temporary {
                if stale(&meta) {
                    let gone = if meta.is_dir() {
                        fs::remove_dir_all(entry.path())
                    } else {
                        fs::remove_file(entry.path())
                    };
                    removed += usize::from(gone.is_ok());
                }
            } else if meta.is_dir() && !name.starts_with('.') {
                folders.push(entry.path());
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temporaries_are_removed_and_fresh_ones_and_staging_folders_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let learner = root.join("learners/ana");
        fs::create_dir_all(&learner).unwrap();
        let staging = root.join("packs/.incoming-x1y2");
        fs::create_dir_all(&staging).unwrap();
        let bundled = root.join("cache/.bundled-0123.4567-0.tmp/minimal");
        fs::create_dir_all(&bundled).unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 60 * 60);
        let make = |path: &Path, age: Option<std::time::SystemTime>| {
            fs::write(path, b"half").unwrap();
            if let Some(t) = age {
                File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
            }
        };
        let killed = learner.join(".minimal-example.ron.4242.tmp");
        make(&killed, Some(old));
        let probe = root.join(".write-check-4242");
        make(&probe, Some(old));
        let running = learner.join(".profiles.ron.4343.tmp");
        make(&running, None);
        let not_ours = learner.join("notes.tmp");
        make(&not_ours, Some(old));
        let in_staging = staging.join(".journal.ron.4242.tmp");
        make(&in_staging, Some(old));
        make(&bundled.join("module.ron"), Some(old));
        File::open(bundled.parent().unwrap()).unwrap().set_modified(old).unwrap();
        let saved = learner.join("minimal-example.ron");
        make(&saved, Some(old));

        assert_eq!(remove_stale_temporaries(root, STALE_AFTER), 3);
        assert!(!killed.exists() && !probe.exists() && !bundled.parent().unwrap().exists());
        assert!(running.exists(), "a file being written now is left alone");
        assert!(not_ours.exists() && saved.exists(), "only Faro's own temporary names are removed");
        assert!(in_staging.exists(), "a pack install's staging folder is left to its recovery");
    }

    #[test]
    fn round_trips_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.ron");
        save_ron(&path, &vec![1, 2, 3]).unwrap();
        save_ron(&path, &vec![4]).unwrap();
        match load_ron::<Vec<i32>>(&path).unwrap() {
            Loaded::Ok(v) => assert_eq!(v, vec![4]),
            other => panic!("expected data, got {other:?}"),
        }
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files remain");
    }

    #[test]
    fn corrupt_file_is_kept_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        fs::write(&path, "[1, 2,").unwrap();
        let Loaded::Quarantined(q) = load_ron::<Vec<i32>>(&path).unwrap() else {
            panic!("expected quarantine")
        };
        assert!(!path.exists());
        assert_eq!(fs::read_to_string(&q.kept_at).unwrap(), "[1, 2,");
        assert!(
            q.problem.starts_with("1:6: Unexpected end of RON"),
            "problem names the position: {}",
            q.problem
        );
        assert!(matches!(load_ron::<Vec<i32>>(&path).unwrap(), Loaded::Missing));
    }
}
