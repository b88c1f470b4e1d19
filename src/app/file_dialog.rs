//! Choosing a file or folder: the system's dialog, or a typed path where there is none (many
//! minimal Linux desktops and kiosks have no xdg desktop portal, and then the system dialog
//! returns at once with nothing). The app holds which to use ([`FileDialogs`]), so tests and
//! kiosks can ask for the typed path directly; a system dialog that fails switches the session
//! to the typed path. Checking a typed path knows nothing of egui.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Which way the app asks for a path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FileDialogs {
    /// The system's dialog (the xdg desktop portal on Linux), falling back to a typed path.
    #[default]
    System,
    /// Faro's own typed-path field only (no system dialog, or it failed this session).
    Typed,
}

/// What the path is wanted for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    /// A pack file to offer for install.
    ImportPack,
    /// Another folder for the data.
    DataFolder,
    /// Where to save a copy of the certificate already saved at this path in the data folder.
    Certificate(PathBuf),
}

/// The typed-path field while it is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPrompt {
    pub purpose: PathPurpose,
    pub input: String,
    /// Why the last path typed could not be used, in the learner's language.
    pub error: Option<String>,
}

impl PathPrompt {
    pub fn new(purpose: PathPurpose) -> Self {
        Self { purpose, input: String::new(), error: None }
    }
}

/// What the system's dialog gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SystemPick {
    Chosen(PathBuf),
    Cancelled,
    /// The dialog could not be shown.
    Unavailable,
}

/// A dialog that returns nothing sooner than this was never shown: nobody reads a file dialog
/// and cancels it this fast, while a missing portal answers in milliseconds. `rfd` reports a
/// failed dialog exactly as a cancelled one (`None`), so the time is what tells them apart.
const NOT_SHOWN_WITHIN: Duration = Duration::from_millis(400);

/// Opens the system's dialog for `purpose` and waits for it.
pub fn system_pick(purpose: &PathPurpose) -> SystemPick {
    let started = Instant::now();
    let picked = match purpose {
        PathPurpose::ImportPack => {
            rfd::FileDialog::new().add_filter("Faro pack", &[crate::pack::PACK_EXTENSION]).pick_file()
        }
        PathPurpose::DataFolder => rfd::FileDialog::new().pick_folder(),
        PathPurpose::Certificate(source) => {
            rfd::FileDialog::new().set_file_name(certificate_name(source)).save_file()
        }
    };
    match picked {
        Some(path) => SystemPick::Chosen(path),
        None if started.elapsed() < NOT_SHOWN_WITHIN => SystemPick::Unavailable,
        None => SystemPick::Cancelled,
    }
}

/// Why a typed path cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    Empty,
    Missing,
    NotAPack,
    NotAFolder,
    /// The certificate cannot be written there (the system's reason).
    NotWritable(String),
}

/// Checks a typed path for `purpose` (surrounding spaces and quotes, as a pasted path often has,
/// are ignored) and gives the path to use. A certificate may name a new file, in a folder that
/// exists; a name that is a folder saves the certificate inside it under its suggested name.
pub fn check_typed(purpose: &PathPurpose, input: &str) -> Result<PathBuf, PathError> {
    let trimmed = input.trim().trim_matches(['"', '\'']).trim();
    if trimmed.is_empty() {
        return Err(PathError::Empty);
    }
    let path = PathBuf::from(trimmed);
    match purpose {
        PathPurpose::ImportPack => {
            if !path.exists() {
                Err(PathError::Missing)
            } else if !path.is_file() || !is_pack_name(&path) {
                Err(PathError::NotAPack)
            } else {
                Ok(path)
            }
        }
        PathPurpose::DataFolder => {
            if !path.exists() {
                Err(PathError::Missing)
            } else if !path.is_dir() {
                Err(PathError::NotAFolder)
            } else {
                Ok(path)
            }
        }
        PathPurpose::Certificate(source) => {
            if path.is_dir() {
                return Ok(path.join(certificate_name(source)));
            }
            match path.parent() {
                Some(parent) if parent.as_os_str().is_empty() || parent.is_dir() => Ok(path),
                _ => Err(PathError::Missing),
            }
        }
    }
}

/// The certificate's own file name, suggested for its copy.
fn certificate_name(source: &Path) -> String {
    source.file_name().map_or_else(|| "certificate.html".to_owned(), |n| n.to_string_lossy().into_owned())
}

fn is_pack_name(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(crate::pack::PACK_EXTENSION))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths_are_checked_for_what_they_are_for() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("border.faropack");
        std::fs::write(&pack, b"x").unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, b"x").unwrap();
        let missing = dir.path().join("nope.faropack");
        let pack_purpose = PathPurpose::ImportPack;
        assert_eq!(check_typed(&pack_purpose, &format!(" \"{}\" ", pack.display())), Ok(pack.clone()));
        assert_eq!(check_typed(&pack_purpose, "  "), Err(PathError::Empty));
        assert_eq!(check_typed(&pack_purpose, &missing.display().to_string()), Err(PathError::Missing));
        assert_eq!(check_typed(&pack_purpose, &text.display().to_string()), Err(PathError::NotAPack));
        assert_eq!(check_typed(&pack_purpose, &dir.path().display().to_string()), Err(PathError::NotAPack));
        let folder = PathPurpose::DataFolder;
        assert_eq!(check_typed(&folder, &dir.path().display().to_string()), Ok(dir.path().to_owned()));
        assert_eq!(check_typed(&folder, &text.display().to_string()), Err(PathError::NotAFolder));
        assert_eq!(check_typed(&folder, &missing.display().to_string()), Err(PathError::Missing));
        let certificate = PathPurpose::Certificate(PathBuf::from("/data/certificates/c.html"));
        assert_eq!(
            check_typed(&certificate, &dir.path().display().to_string()),
            Ok(dir.path().join("c.html"))
        );
        let new_file = dir.path().join("mine.html");
        assert_eq!(check_typed(&certificate, &new_file.display().to_string()), Ok(new_file));
        let nowhere = missing.join("c.html");
        assert_eq!(check_typed(&certificate, &nowhere.display().to_string()), Err(PathError::Missing));
    }
}
