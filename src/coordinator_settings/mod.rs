//! The coordinator's settings on this laptop (`coordinator.ron` in the data folder): for now, the
//! optional passphrase that locks the Coordinator screen on shared laptops. No egui here.
//!
//! The file holds no learner data, so a forgotten passphrase is reset by deleting it by hand
//! (`docs/records.md`, "Coordinator lock"). A damaged file must not open the lock: its bytes are
//! copied aside and the file is replaced by one that keeps the Coordinator screen locked until
//! that reset.

mod passphrase;
mod throttle;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::data::DataDir;
use crate::data::store::{self, DataBytes, StoreError};

pub use passphrase::{MIN_PASSPHRASE_CHARS, PassphraseError, PassphraseHash};
pub use throttle::{Clock, FREE_TRIES, MAX_DELAY, Throttle, delay_after};

/// The settings file's name in the data folder.
pub const SETTINGS_FILE: &str = "coordinator.ron";

/// Where the coordinator settings of `data` are kept.
pub fn settings_path(data: &DataDir) -> PathBuf {
    data.root().join(SETTINGS_FILE)
}

/// Everything in `coordinator.ron`. Fields added later get defaults, so older files still load.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CoordinatorSettings {
    pub lock: Lock,
    /// The `homePage` of learners' accounts in xAPI exports from this laptop (an http(s)
    /// address); `faro records … --homepage` overrides it, and without either the documented
    /// default is used (docs/records.md). Kept once chosen: another makes every learner a new
    /// person in the learning record store.
    pub xapi_home_page: Option<String>,
    /// This laptop's name in the records files it exports ("Shelter laptop 3"), so the
    /// coordinator's laptops list says which laptop is which; checked by
    /// [`crate::records::parse_device_label`].
    pub device_label: Option<String>,
}

/// Whether the Coordinator screen asks for a passphrase.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lock {
    /// No passphrase: the Coordinator screen opens for anyone (and offers to set one).
    #[default]
    NoPassphrase,
    /// The Coordinator screen asks for the passphrase with this hash, once per app session.
    Passphrase(PassphraseHash),
    /// The settings file was damaged, so the passphrase cannot be checked: locked for everyone
    /// until the file is deleted by hand. `kept_at` is the damaged copy, when one could be made.
    Damaged { problem: String, kept_at: Option<PathBuf> },
}

impl Lock {
    /// Whether the Coordinator screen needs unlocking.
    pub fn is_locked(&self) -> bool {
        !matches!(self, Lock::NoPassphrase)
    }
}

/// This laptop's name for its records files, if a coordinator gave it one: read without
/// changing anything (a damaged settings file gives none), and checked again, since the file
/// may have been edited by hand.
pub fn device_label(data: &DataDir) -> Option<String> {
    let label = load(data, false).device_label?;
    crate::records::parse_device_label(&label).ok().flatten()
}

/// Loads the settings. A missing file means no passphrase. A damaged one gives [`Lock::Damaged`];
/// when `may_write` (this window saves in the data folder) its bytes are copied to
/// `coordinator.ron.corrupt-<time>` and the file is replaced by one saying it was damaged, so the
/// lock holds after a restart too. Any failure on the way leaves the damaged file where it was,
/// which is just as locked.
pub fn load(data: &DataDir, may_write: bool) -> CoordinatorSettings {
    let path = settings_path(data);
    let problem = match store::read_data_file(&path) {
        Err(e) => format!("it cannot be read: {e}"),
        Ok(DataBytes::Missing) => return CoordinatorSettings::default(),
        Ok(DataBytes::TooLarge) => "it is far larger than any Faro settings file".to_owned(),
        Ok(DataBytes::Read(bytes)) => match std::str::from_utf8(&bytes) {
            Err(_) => "it is not UTF-8 text".to_owned(),
            Ok(text) => match crate::load::data_options().from_str::<CoordinatorSettings>(text) {
                Ok(settings) => return settings,
                Err(e) => format!("{}: {}", e.span.start, e.code),
            },
        },
    };
    if !may_write {
        return damaged(problem, None);
    }
    match store::copy_aside(&path) {
        Ok(kept_at) => {
            let settings = damaged(problem, Some(kept_at));
            match save(data, &settings) {
                Ok(()) => settings,
                Err(e) => {
                    let Lock::Damaged { problem, kept_at } = settings.lock else { return settings };
                    damaged(format!("{problem}; it could not be replaced: {e}"), kept_at)
                }
            }
        }
        Err(e) => damaged(format!("{problem}; no copy could be kept: {e}"), None),
    }
}

/// Saves the settings atomically.
pub fn save(data: &DataDir, settings: &CoordinatorSettings) -> Result<(), StoreError> {
    store::save_ron(&settings_path(data), settings)
}

fn damaged(problem: String, kept_at: Option<PathBuf>) -> CoordinatorSettings {
    CoordinatorSettings { lock: Lock::Damaged { problem, kept_at }, xapi_home_page: None, device_label: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> (tempfile::TempDir, DataDir) {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path().to_owned());
        (dir, data)
    }

    #[test]
    fn no_file_means_no_passphrase() {
        let (_dir, data) = data();
        assert_eq!(load(&data, true), CoordinatorSettings::default());
        assert!(!load(&data, true).lock.is_locked());
        assert!(!settings_path(&data).exists(), "loading writes nothing");
    }

    #[test]
    fn the_passphrase_is_stored_only_as_its_hash() {
        let (_dir, data) = data();
        let hash = PassphraseHash::choose("river stone 42", "river stone 42").unwrap();
        save(&data, &CoordinatorSettings { lock: Lock::Passphrase(hash), ..Default::default() }).unwrap();
        let text = std::fs::read_to_string(settings_path(&data)).unwrap();
        assert!(text.contains("$argon2id$"), "{text}");
        assert!(!text.contains("river stone"), "{text}");
        let Lock::Passphrase(loaded) = load(&data, true).lock else { panic!("no passphrase loaded") };
        assert!(loaded.matches("river stone 42"));
    }

    #[test]
    fn a_damaged_file_is_kept_aside_and_stays_locked_after_a_restart() {
        let (dir, data) = data();
        std::fs::write(settings_path(&data), "(lock: Passphrase(\"$argon2id$v=19$trunc").unwrap();
        let Lock::Damaged { problem, kept_at: Some(kept_at) } = load(&data, true).lock else {
            panic!("a damaged file must keep the screen locked")
        };
        assert!(problem.starts_with("1:"), "the problem says where: {problem}");
        assert_eq!(std::fs::read_to_string(&kept_at).unwrap(), "(lock: Passphrase(\"$argon2id$v=19$trunc");
        // The next start finds the marker, still locked, and makes no second copy.
        let again = load(&data, true);
        assert!(matches!(&again.lock, Lock::Damaged { kept_at: Some(k), .. } if *k == kept_at));
        let copies = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"));
        assert_eq!(copies.count(), 1);
    }

    #[test]
    fn a_hash_that_is_not_argon2id_counts_as_damage() {
        let (_dir, data) = data();
        std::fs::write(settings_path(&data), "(lock: Passphrase(\"plain text passphrase\"))").unwrap();
        assert!(matches!(load(&data, true).lock, Lock::Damaged { .. }));
    }

    #[test]
    fn a_window_that_does_not_save_leaves_a_damaged_file_alone() {
        let (dir, data) = data();
        std::fs::write(settings_path(&data), [0xff, 0xfe]).unwrap();
        let Lock::Damaged { problem, kept_at: None } = load(&data, false).lock else {
            panic!("locked, nothing copied")
        };
        assert!(problem.contains("UTF-8"), "{problem}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert_eq!(std::fs::read(settings_path(&data)).unwrap(), [0xff, 0xfe]);
    }
}
