//! Finishing or undoing an install that was interrupted (a power cut, a crash): the journal an
//! install writes before its first change outside its staging folder, and reading it back.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::PackError;
use super::manifest::PackId;
use super::store::{lock, pack_dir, packs_dir};
use super::trust::trust_store_path;
use crate::data::DataDir;
use crate::data::store::write_atomic;

/// An install's staging folder in `packs/` starts with this.
pub(super) const STAGING_PREFIX: &str = ".incoming-";
/// The journal's name in the staging folder.
pub(super) const JOURNAL: &str = "journal.ron";
/// The new pack's folder in the staging folder, until the final rename moves it into place.
pub(super) const NEW_PACK: &str = "pack";
/// Where the pack it replaces waits, in the staging folder, until the install is committed.
pub(super) const OLD_PACK: &str = "old";

/// Every change an install makes outside its staging folder, written before the first one.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Journal {
    pub(super) pack_id: String,
    /// Whether the trust store was changed, and its text before (None: there was none).
    pub(super) trust_changed: bool,
    pub(super) trust_before: Option<String>,
    /// Progress files moved to history, relative to the data folder: (from, to).
    pub(super) moves: Vec<(String, String)>,
}

/// Finishes every interrupted install in `data`: one that reached its final rename is complete
/// and only its leftovers go; one that did not is undone (old pack, progress and trust store put
/// back). Leftovers of interrupted removals go too.
pub fn recover(data: &DataDir) -> Result<(), PackError> {
    if !packs_dir(data).is_dir() {
        return Ok(());
    }
    let _lock = lock(data)?;
    recover_locked(data)
}

/// [`recover`], for a caller that holds the lock.
pub(crate) fn recover_locked(data: &DataDir) -> Result<(), PackError> {
    let packs = packs_dir(data);
    let entries = match std::fs::read_dir(&packs) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(PackError::io(packs, e)),
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(STAGING_PREFIX) {
            settle(data, &path)?;
        } else if name.starts_with(".removing-") {
            std::fs::remove_dir_all(&path).map_err(|e| PackError::io(&path, e))?;
        }
    }
    Ok(())
}

/// Undoes the install staged in `staging` unless it was committed, then deletes the folder.
pub(super) fn settle(data: &DataDir, staging: &Path) -> Result<(), PackError> {
    let journal_path = staging.join(JOURNAL);
    let committed = !staging.join(NEW_PACK).exists();
    if !committed && journal_path.exists() {
        let text = crate::load::read_text_capped(&journal_path, 16 * 1024 * 1024)
            .map_err(|d| PackError::DamagedInstall { path: journal_path.clone(), reason: d.message })?;
        let journal: Journal = crate::load::data_options()
            .from_str(&text)
            .map_err(|e| PackError::DamagedInstall { path: journal_path.clone(), reason: e.to_string() })?;
        let id = PackId::new(&journal.pack_id)?;
        let target = pack_dir(data, &id);
        let old = staging.join(OLD_PACK);
        if old.exists() && !target.exists() {
            std::fs::rename(&old, &target).map_err(|e| PackError::io(&target, e))?;
        }
        for (from, to) in journal.moves.iter().rev() {
            let (from, to) = (data.root().join(from), data.root().join(to));
            // Progress made since (from exists again) wins over the copy in history.
            if to.exists() && !from.exists() {
                std::fs::rename(&to, &from).map_err(|e| PackError::io(&to, e))?;
            }
        }
        if journal.trust_changed {
            let path = trust_store_path(data);
            match &journal.trust_before {
                Some(text) => write_atomic(&path, text.as_bytes())?,
                None => match std::fs::remove_file(&path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(PackError::io(path, e)),
                    _ => {}
                },
            }
        }
    }
    std::fs::remove_dir_all(staging).map_err(|e| PackError::io(staging, e))
}
