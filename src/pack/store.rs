//! The store of installed packs, the lowest room of `pack`: where they live
//! (`<data>/packs/<pack-id>/`), reading one back, and the lock that installs, removals, recovery,
//! trust and the validation cache all take. It imports nothing above it.

use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};

use super::manifest::{Manifest, PackId, Sha256Hash};
use super::sign::{Fingerprint, PackSignature};
use super::{MANIFEST_NAME, MAX_MANIFEST_BYTES, MAX_SIGNATURE_BYTES, MODULES_DIR, PackError, SIGNATURE_NAME};
use crate::data::DataDir;

/// A pack installed in the data folder.
#[derive(Clone, Debug)]
pub struct InstalledPack {
    pub id: PackId,
    pub version: semver::Version,
    pub title: String,
    pub publisher: String,
    pub fingerprint: Fingerprint,
    pub public_key: VerifyingKey,
    /// The pack's folder.
    pub dir: PathBuf,
    /// Its module folders, in manifest order: what the app loads.
    pub module_dirs: Vec<PathBuf>,
    pub manifest: Manifest,
    /// SHA-256 of the manifest's exact text: what the validation cache is kept for.
    pub manifest_sha256: Sha256Hash,
    /// Ids of bundled modules this pack may replace: the person installing agreed to it.
    pub replaces_bundled: Vec<String>,
}

/// The folder that holds every installed pack.
pub fn packs_dir(data: &DataDir) -> PathBuf {
    data.root().join("packs")
}

/// The folder of pack `id`.
pub fn pack_dir(data: &DataDir, id: &PackId) -> PathBuf {
    packs_dir(data).join(id.as_str())
}

/// The ids of the packs installed in `data` (folders with a pack id's name), sorted. Folders
/// starting with "." are installs in progress; other odd names (and files such as the lock) are
/// not packs.
pub(crate) fn installed_ids(data: &DataDir) -> Result<Vec<PackId>, PackError> {
    let dir = packs_dir(data);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(PackError::io(dir, e)),
    };
    let mut ids: Vec<PackId> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().and_then(|name| PackId::new(name).ok()))
        .collect();
    ids.sort();
    Ok(ids)
}

/// Reads the installed pack `id`, if there is one.
pub(crate) fn read_installed(data: &DataDir, id: &PackId) -> Result<Option<InstalledPack>, PackError> {
    let dir = pack_dir(data, id);
    if !dir.is_dir() {
        return Ok(None);
    }
    let damaged = |reason: String| PackError::DamagedInstall { path: dir.clone(), reason };
    let read = |name: &str, cap: u64| {
        crate::load::read_text_capped(&dir.join(name), cap).map_err(|d| damaged(d.message))
    };
    let manifest_text = read(MANIFEST_NAME, MAX_MANIFEST_BYTES)?;
    let signature = PackSignature::parse(&read(SIGNATURE_NAME, MAX_SIGNATURE_BYTES)?)
        .map_err(|e| damaged(e.to_string()))?;
    signature.check(manifest_text.as_bytes(), None).map_err(|e| damaged(e.to_string()))?;
    let manifest = Manifest::parse(&manifest_text).map_err(|e| damaged(e.to_string()))?;
    if &manifest.id != id {
        return Err(damaged(format!("its manifest is for pack {:?}", manifest.id.as_str())));
    }
    let module_dirs = manifest.modules.iter().map(|m| dir.join(MODULES_DIR).join(&m.dir)).collect();
    let replaces_bundled = super::replace_bundled::read_consent(&dir);
    Ok(Some(InstalledPack {
        id: manifest.id.clone(),
        version: manifest.version.clone(),
        title: manifest.title.clone(),
        publisher: manifest.publisher.clone(),
        fingerprint: signature.fingerprint(),
        public_key: signature.public_key,
        dir,
        module_dirs,
        manifest_sha256: text_digest(&manifest_text),
        replaces_bundled,
        manifest,
    }))
}

/// Holds the data folder's pack lock: one install or removal at a time, across processes (the
/// app and the CLI). The operating system releases it if the process dies, so a crash never
/// leaves it stuck.
pub(crate) fn lock(data: &DataDir) -> Result<std::fs::File, PackError> {
    let packs = packs_dir(data);
    std::fs::create_dir_all(&packs).map_err(|e| PackError::io(&packs, e))?;
    let path = packs.join(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| PackError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(PackError::Busy { path: packs }),
        Err(std::fs::TryLockError::Error(e)) => Err(PackError::io(path, e)),
    }
}

/// A path beside `path` named `<prefix>-<name>-<random>` that does not exist yet.
pub(crate) fn unique_sibling(path: &Path, prefix: &str) -> Result<PathBuf, PackError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("pack");
    let temp = tempfile::Builder::new()
        .prefix(&format!("{prefix}-{name}-"))
        .tempdir_in(parent)
        .map_err(|e| PackError::io(parent, e))?;
    // Only the unique name is wanted; the empty folder goes now so a rename can take its place.
    let path = temp.path().to_owned();
    temp.close().map_err(|e| PackError::io(&path, e))?;
    Ok(path)
}

/// SHA-256 of a text's exact bytes (a manifest's: what the validation cache is kept for).
pub fn text_digest(text: &str) -> Sha256Hash {
    Sha256Hash(Sha256::digest(text.as_bytes()).into())
}
