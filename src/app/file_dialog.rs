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
    /// Records files (or a folder of them) for the Coordinator to import.
    Records,
    /// Module folders for the pack builder.
    ModuleFolders,
    /// A folder to back the publisher key up to (it must exist: a USB stick, say).
    KeyBackupFolder,
    /// The folder the pack builder writes the pack in.
    PackOutputFolder,
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
    /// One path, or more where the purpose allows several (records files, module folders).
    Chosen(Vec<PathBuf>),
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
    let dialog = rfd::FileDialog::new();
    let picked = match purpose {
        PathPurpose::ImportPack => {
            dialog.add_filter("Faro pack", &[crate::pack::PACK_EXTENSION]).pick_file().map(|p| vec![p])
        }
        PathPurpose::DataFolder | PathPurpose::KeyBackupFolder | PathPurpose::PackOutputFolder => {
            dialog.pick_folder().map(|p| vec![p])
        }
        PathPurpose::Certificate(source) => {
            dialog.set_file_name(certificate_name(source)).save_file().map(|p| vec![p])
        }
        PathPurpose::Records => dialog.add_filter("Faro records", &["json", "ron"]).pick_files(),
        PathPurpose::ModuleFolders => dialog.pick_folders(),
    };
    match picked {
        Some(paths) if !paths.is_empty() => SystemPick::Chosen(paths),
        _ if started.elapsed() < NOT_SHOWN_WITHIN => SystemPick::Unavailable,
        _ => SystemPick::Cancelled,
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
/// are ignored) and gives the path to use. What is read (a pack, records, module folders, the
/// folder a key is backed up to) must exist. What Faro writes into may be new, one level deep:
/// a data or pack folder that does not exist yet is made by the caller when the folder it goes
/// in exists (so a slip of the keyboard cannot make a tree of folders), and a certificate may
/// name a new file; a name that is a folder saves the certificate inside it under its own name.
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
        PathPurpose::Records => {
            if path.exists() {
                Ok(path)
            } else {
                Err(PathError::Missing)
            }
        }
        PathPurpose::ModuleFolders | PathPurpose::KeyBackupFolder => {
            if !path.exists() {
                Err(PathError::Missing)
            } else if !path.is_dir() {
                Err(PathError::NotAFolder)
            } else {
                Ok(path)
            }
        }
        PathPurpose::DataFolder | PathPurpose::PackOutputFolder => {
            if path.is_dir() {
                Ok(path)
            } else if path.exists() {
                Err(PathError::NotAFolder)
            } else if in_existing_folder(&path) {
                Ok(path)
            } else {
                Err(PathError::Missing)
            }
        }
        PathPurpose::Certificate(source) => {
            if path.is_dir() {
                Ok(path.join(certificate_name(source)))
            } else if in_existing_folder(&path) {
                Ok(path)
            } else {
                Err(PathError::Missing)
            }
        }
    }
}

/// Whether the folder `path` would go in exists (a bare name goes in the working folder).
fn in_existing_folder(path: &Path) -> bool {
    path.parent().is_some_and(|parent| parent.as_os_str().is_empty() || parent.is_dir())
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
        // A new data or pack folder may be named inside one that exists, not deeper.
        let new_folder = dir.path().join("faro-data");
        assert_eq!(check_typed(&folder, &new_folder.display().to_string()), Ok(new_folder.clone()));
        let deeper = new_folder.join("more");
        assert_eq!(check_typed(&folder, &deeper.display().to_string()), Err(PathError::Missing));
        assert_eq!(
            check_typed(&PathPurpose::PackOutputFolder, &deeper.display().to_string()),
            Err(PathError::Missing)
        );
        assert_eq!(
            check_typed(&PathPurpose::PackOutputFolder, &new_folder.display().to_string()),
            Ok(new_folder.clone())
        );
        // What is read must exist.
        for read in [PathPurpose::ModuleFolders, PathPurpose::KeyBackupFolder] {
            assert_eq!(check_typed(&read, &new_folder.display().to_string()), Err(PathError::Missing));
            assert_eq!(check_typed(&read, &text.display().to_string()), Err(PathError::NotAFolder));
            assert_eq!(check_typed(&read, &dir.path().display().to_string()), Ok(dir.path().to_owned()));
        }
        assert_eq!(check_typed(&PathPurpose::Records, &text.display().to_string()), Ok(text.clone()));
        assert_eq!(
            check_typed(&PathPurpose::Records, &dir.path().display().to_string()),
            Ok(dir.path().to_owned())
        );
        assert_eq!(
            check_typed(&PathPurpose::Records, &new_folder.display().to_string()),
            Err(PathError::Missing)
        );
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
