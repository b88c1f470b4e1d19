//! The coordinator as a publisher, for building packs from the app without a terminal: the
//! publisher key kept in the data folder, its backup, and the packs built with it (to suggest the
//! next version). The build itself is [`super::build`], exactly as `faro pack build` runs it.
//!
//! Layout: `<data>/publisher/faro-publisher.key` and `faro-publisher.pub` (as `faro pack keygen`
//! writes them) and `<data>/publisher/built-packs.ron`; packs go to `<data>/built-packs/` unless
//! another folder is chosen.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::manifest::PackId;
use super::sign::{self, Fingerprint, KeyFiles, PUBLIC_KEY_FILE, SECRET_KEY_FILE};
use super::{Built, PackError, SigningKey};
use crate::data::DataDir;
use crate::data::store::{self, Loaded, Quarantined, StoreError};
use crate::diagnostic::Diagnostic;

/// The folder of the data folder that holds the publisher key and the build history.
pub const PUBLISHER_DIR: &str = "publisher";
/// The build history's file name in [`PUBLISHER_DIR`].
const BUILT_PACKS_FILE: &str = "built-packs.ron";
/// Where packs are written unless the coordinator chooses another folder.
pub const BUILT_PACKS_DIR: &str = "built-packs";

/// The folder holding this data folder's publisher key.
pub fn publisher_dir(data: &DataDir) -> PathBuf {
    data.root().join(PUBLISHER_DIR)
}

/// The folder packs are written to by default.
pub fn default_output_dir(data: &DataDir) -> PathBuf {
    data.root().join(BUILT_PACKS_DIR)
}

/// The data folder's publisher key, or `None` before one was made.
pub fn publisher_key(data: &DataDir) -> Result<Option<SigningKey>, PackError> {
    let secret = publisher_dir(data).join(SECRET_KEY_FILE);
    if !secret.exists() {
        return Ok(None);
    }
    sign::read_secret_key(&secret).map(Some)
}

/// Makes the data folder's publisher key; an existing key is never replaced.
pub fn create_publisher_key(data: &DataDir) -> Result<KeyFiles, PackError> {
    sign::keygen(&publisher_dir(data))
}

/// Copies the publisher key files into `to` (another disk, ideally), never overwriting a file
/// there; returns the copies. A backup inside the data folder would be lost with it, so that is
/// refused.
pub fn back_up_publisher_key(data: &DataDir, to: &Path) -> Result<Vec<PathBuf>, PackError> {
    let inside_data = match (to.canonicalize(), data.root().canonicalize()) {
        (Ok(to), Ok(root)) => to.starts_with(root),
        _ => false,
    };
    if inside_data {
        return Err(PackError::BuildInput {
            path: to.to_owned(),
            reason: "this folder is inside Faro's data folder, which the backup is meant to \
                     survive; choose another disk, such as a USB stick"
                .into(),
        });
    }
    if !to.is_dir() {
        return Err(PackError::BuildInput { path: to.to_owned(), reason: "not a folder".into() });
    }
    let from = publisher_dir(data);
    let names = [(SECRET_KEY_FILE, true), (PUBLIC_KEY_FILE, false)];
    for (name, _) in names {
        if to.join(name).exists() {
            return Err(PackError::KeyExists { path: to.join(name) });
        }
    }
    let mut copies = Vec::new();
    for (name, private) in names {
        let text = crate::load::read_text_capped(&from.join(name), 1024)
            .map_err(|d| PackError::KeyFile { path: from.join(name), reason: d.message })?;
        let copy = to.join(name);
        sign::write_new_file(&copy, text.as_bytes(), private)?;
        copies.push(copy);
    }
    Ok(copies)
}

/// One pack built from the app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuiltPack {
    pub id: PackId,
    pub version: semver::Version,
    pub title: String,
    pub publisher: String,
    pub file: PathBuf,
    pub created: DateTime<Utc>,
    pub fingerprint: Fingerprint,
}

impl BuiltPack {
    /// What to remember of a pack just written to `file`.
    pub fn of(built: &Built, file: &Path) -> Self {
        let m = &built.manifest;
        Self {
            id: m.id.clone(),
            version: m.version.clone(),
            title: m.title.clone(),
            publisher: m.publisher.clone(),
            file: file.to_owned(),
            created: m.created,
            fingerprint: built.fingerprint.clone(),
        }
    }
}

/// What the app remembers about the packs it built and the key's backup.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BuildHistory {
    /// Every pack built, oldest first.
    pub built: Vec<BuiltPack>,
    /// Where and when the key was last backed up; until then the app keeps asking.
    pub key_backup: Option<(PathBuf, DateTime<Utc>)>,
}

impl BuildHistory {
    /// Loads the history; a damaged file is set aside (it only holds suggestions) and an empty
    /// history returned with it.
    pub fn load(data: &DataDir) -> Result<(Self, Option<Quarantined>), StoreError> {
        Ok(match store::load_ron(&Self::path(data))? {
            Loaded::Missing => (Self::default(), None),
            Loaded::Ok(history) => (history, None),
            Loaded::Quarantined(q) => (Self::default(), Some(q)),
        })
    }

    /// Saves the history atomically.
    pub fn save(&self, data: &DataDir) -> Result<(), StoreError> {
        store::save_ron(&Self::path(data), self)
    }

    fn path(data: &DataDir) -> PathBuf {
        publisher_dir(data).join(BUILT_PACKS_FILE)
    }

    /// The highest version built of pack `id`.
    pub fn latest(&self, id: &PackId) -> Option<&BuiltPack> {
        self.built.iter().filter(|b| b.id == *id).max_by(|a, b| a.version.cmp(&b.version))
    }

    /// The version to offer for the next build of `id`: the next patch version after the latest
    /// built, or 1.0.0 for a new pack.
    pub fn suggested_version(&self, id: &PackId) -> semver::Version {
        match self.latest(id) {
            Some(last) => {
                semver::Version::new(last.version.major, last.version.minor, last.version.patch + 1)
            }
            None => semver::Version::new(1, 0, 0),
        }
    }

    /// The latest build of `id` when `version` is not newer than it. Laptops refuse a pack whose
    /// version is installed with other content, so every build needs a higher version.
    pub fn not_newer(&self, id: &PackId, version: &semver::Version) -> Option<&BuiltPack> {
        self.latest(id).filter(|last| *version <= last.version)
    }

    /// The publisher name used last, to offer it again.
    pub fn last_publisher(&self) -> Option<&str> {
        self.built.last().map(|b| b.publisher.as_str())
    }
}

/// Groups a failed build's diagnostics by the module folder they concern, in the order the
/// folders were given; findings outside every folder come last, under `None`.
pub fn diagnostics_by_module<'a>(
    module_dirs: &'a [PathBuf],
    diagnostics: &'a [Diagnostic],
) -> Vec<(Option<&'a Path>, Vec<&'a Diagnostic>)> {
    let mut groups: Vec<(Option<&Path>, Vec<&Diagnostic>)> =
        module_dirs.iter().map(|dir| (Some(dir.as_path()), Vec::new())).collect();
    let mut elsewhere = Vec::new();
    for d in diagnostics {
        // The longest matching folder, in case one module folder sits inside another.
        let owner = groups
            .iter_mut()
            .filter(|(dir, _)| dir.is_some_and(|dir| d.file.starts_with(dir)))
            .max_by_key(|(dir, _)| dir.map_or(0, |dir| dir.as_os_str().len()));
        match owner {
            Some((_, found)) => found.push(d),
            None => elsewhere.push(d),
        }
    }
    groups.retain(|(_, found)| !found.is_empty());
    if !elsewhere.is_empty() {
        groups.push((None, elsewhere));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;

    fn data() -> (tempfile::TempDir, DataDir) {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path().to_owned());
        (dir, data)
    }

    fn built(id: &str, version: &str) -> BuiltPack {
        BuiltPack {
            id: PackId::new(id).unwrap(),
            version: version.parse().unwrap(),
            title: "T".into(),
            publisher: format!("P {version}"),
            file: PathBuf::from("x.faropack"),
            created: Utc::now(),
            fingerprint: Fingerprint::of(&sign::generate_key().unwrap().verifying_key()),
        }
    }

    #[test]
    fn the_key_is_made_once_and_read_back() {
        let (_dir, data) = data();
        assert!(publisher_key(&data).unwrap().is_none());
        let files = create_publisher_key(&data).unwrap();
        let key = publisher_key(&data).unwrap().unwrap();
        assert_eq!(Fingerprint::of(&key.verifying_key()), files.fingerprint);
        assert!(matches!(create_publisher_key(&data), Err(PackError::KeyExists { .. })));
    }

    #[test]
    fn a_backup_copies_both_files_elsewhere_and_never_overwrites() {
        let (_dir, data) = data();
        create_publisher_key(&data).unwrap();
        let usb = tempfile::tempdir().unwrap();
        let copies = back_up_publisher_key(&data, usb.path()).unwrap();
        assert_eq!(copies.len(), 2);
        let key = sign::read_secret_key(&usb.path().join(SECRET_KEY_FILE)).unwrap();
        assert_eq!(Some(key.to_bytes()), publisher_key(&data).unwrap().map(|k| k.to_bytes()));
        assert!(matches!(back_up_publisher_key(&data, usb.path()), Err(PackError::KeyExists { .. })));
        let inside = data.root().join("exports");
        std::fs::create_dir_all(&inside).unwrap();
        assert!(matches!(back_up_publisher_key(&data, &inside), Err(PackError::BuildInput { .. })));
    }

    #[test]
    fn the_next_patch_version_is_suggested_per_pack() {
        let mut history = BuildHistory::default();
        let id = PackId::new("border-basics").unwrap();
        assert_eq!(history.suggested_version(&id).to_string(), "1.0.0");
        history.built.push(built("border-basics", "1.2.0"));
        history.built.push(built("border-basics", "1.10.3-beta.1"));
        history.built.push(built("other", "7.0.0"));
        assert_eq!(history.suggested_version(&id).to_string(), "1.10.4");
        assert!(history.not_newer(&id, &"1.10.3".parse().unwrap()).is_none(), "1.10.3 > 1.10.3-beta.1");
        assert!(history.not_newer(&id, &"1.2.0".parse().unwrap()).is_some());
        assert_eq!(history.last_publisher(), Some("P 7.0.0"));
    }

    #[test]
    fn the_history_round_trips_and_a_damaged_one_is_set_aside() {
        let (_dir, data) = data();
        let mut history = BuildHistory::default();
        history.built.push(built("border-basics", "1.0.0"));
        history.save(&data).unwrap();
        assert_eq!(BuildHistory::load(&data).unwrap(), (history, None));
        std::fs::write(BuildHistory::path(&data), "(built: [").unwrap();
        let (empty, quarantined) = BuildHistory::load(&data).unwrap();
        assert_eq!(empty, BuildHistory::default());
        assert!(quarantined.is_some());
    }

    #[test]
    fn diagnostics_are_grouped_by_module_folder() {
        let dirs = vec![PathBuf::from("/m/a"), PathBuf::from("/m/ab"), PathBuf::from("/m/a/inner")];
        let at = |file: &str| Diagnostic::error(file, Position { line: 1, column: 2 }, "bad");
        let diagnostics =
            vec![at("/m/ab/module.ron"), at("/m/a/module.ron"), at("/m/a/inner/module.ron"), at("/x")];
        let groups = diagnostics_by_module(&dirs, &diagnostics);
        let summary: Vec<(Option<&Path>, usize)> = groups.iter().map(|(d, f)| (*d, f.len())).collect();
        assert_eq!(
            summary,
            [
                (Some(Path::new("/m/a")), 1),
                (Some(Path::new("/m/ab")), 1),
                (Some(Path::new("/m/a/inner")), 1),
                (None, 1)
            ]
        );
    }
}
