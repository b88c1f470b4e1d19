//! Installed packs as the app and the CLI see them: listing them and removing one.

use std::path::PathBuf;

use super::PackError;
use super::manifest::PackId;
use super::recovery::recover_locked;
use super::store::{InstalledPack, installed_ids, lock, pack_dir, read_installed, unique_sibling};
use crate::data::DataDir;

/// Every installed pack, sorted by id; a damaged one is an `Err` in its place, so the others
/// still load and the damage is shown rather than hidden.
pub fn installed(data: &DataDir) -> Vec<Result<InstalledPack, PackError>> {
    let ids = match installed_ids(data) {
        Ok(ids) => ids,
        Err(e) => return vec![Err(e)],
    };
    ids.iter()
        .filter_map(|id| match read_installed(data, id) {
            Ok(Some(pack)) => Some(Ok(pack)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        })
        .collect()
}

/// The module folders of every installed pack, for the app's library (damaged packs are left
/// out here; [`installed`] reports them).
pub fn installed_module_dirs(data: &DataDir) -> Vec<PathBuf> {
    installed(data).into_iter().filter_map(Result::ok).flat_map(|p| p.module_dirs).collect()
}

/// Removes installed pack `pack_id`. Learners' progress and completion records are kept.
pub fn remove(data: &DataDir, pack_id: &str) -> Result<(), PackError> {
    let id = PackId::new(pack_id)?;
    let _lock = lock(data)?;
    recover_locked(data)?;
    let dir = pack_dir(data, &id);
    if !dir.is_dir() {
        return Err(PackError::NotInstalled { pack_id: pack_id.to_owned() });
    }
    // Renaming first makes the pack disappear at once; deleting the files can then take its time.
    let doomed = unique_sibling(&dir, ".removing")?;
    std::fs::rename(&dir, &doomed).map_err(|e| PackError::io(&dir, e))?;
    std::fs::remove_dir_all(&doomed).map_err(|e| PackError::io(&doomed, e))
}
