//! The data folder: where it is, who may write in it, and how files in it are written and read.
//!
//! Progress, records, installed packs and the coordinator's settings all live here, and all of
//! them write through [`store`]: one atomic write (temporary file, fsync, rename, fsync of the
//! folder), one way to create a file once, and one way to set a damaged file aside.

mod access;
pub mod store;

use std::path::{Path, PathBuf};

pub use access::{DataLock, DataProblem, LOCK_FILE, WriteFailure};

/// The environment variable that overrides the data directory (tests, portable use).
pub const DATA_DIR_ENV: &str = "FARO_DATA_DIR";

/// The data directory and the files in it.
#[derive(Clone, Debug)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// A data directory at `root`.
    pub fn at(root: PathBuf) -> Self {
        Self { root }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A file for app settings (language, zoom, theme, region).
    pub fn settings_path(&self) -> PathBuf {
        self.root.join("settings.ron")
    }
}
