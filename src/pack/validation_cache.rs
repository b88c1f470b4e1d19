//! What validating an installed pack's modules found, kept in the pack's folder
//! (`.validation-cache.ron`), so the app parses installed modules at start-up but does not
//! validate them again (issue 17: a large module took seconds to validate, at every start).
//!
//! Install writes it (the modules were just validated, images decoded and all); the app writes it
//! again when it had to validate. It holds for one manifest (its SHA-256: the manifest lists every
//! file's hash), one Faro version (validation rules change between releases) and one set of region
//! data (contact cards are checked against it). Missing, unreadable, damaged or made for anything
//! else, it is ignored and the modules are validated again: the cache only saves time, so nothing
//! is refused or shown because of it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::store::text_digest;

use super::manifest::{Manifest, Sha256Hash};
use super::store::{InstalledPack, lock};
use super::{MANIFEST_NAME, MAX_MANIFEST_BYTES, MODULES_DIR, PackError};
use crate::data::DataDir;
use crate::format::{Module, Regions};
use crate::validate::{self, Context};

/// The cache's name inside an installed pack's folder (a dotfile beside the manifest, which
/// nothing that lists or checks installed packs reads).
pub const VALIDATION_CACHE_NAME: &str = ".validation-cache.ron";

/// A cache holds a few lines per module; anything larger is not ours.
const MAX_CACHE_BYTES: u64 = 4 * 1024 * 1024;

/// The validator's first error lines kept per module, as the library shows them.
const ERRORS_SHOWN: usize = 3;

/// What a cached result holds for: when any part differs, the modules are validated again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheKey {
    /// SHA-256 of the installed manifest's exact text.
    pub manifest_sha256: Sha256Hash,
    /// The Faro that validated (`CARGO_PKG_VERSION`).
    pub faro_version: String,
    /// SHA-256 of the region data the contact cards were checked against ([`regions_digest`]).
    pub regions_sha256: Sha256Hash,
}

impl CacheKey {
    /// The key for a manifest with this hash, checked by this Faro against `regions`.
    pub fn new(manifest_sha256: Sha256Hash, regions: &Regions) -> Self {
        Self {
            manifest_sha256,
            faro_version: env!("CARGO_PKG_VERSION").to_owned(),
            regions_sha256: regions_digest(regions),
        }
    }
}

/// A digest of the region data: of its JSON form, which lists fields in a fixed order and
/// languages sorted, so equal data always gives the same digest.
pub fn regions_digest(regions: &Regions) -> Sha256Hash {
    // Serializing plain strings, lists and string-keyed maps cannot fail; should it ever, the
    // digest of nothing matches no real cache, which only means validating again.
    text_digest(&serde_json::to_string(regions).unwrap_or_default())
}

/// The cache file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CacheFile {
    key: CacheKey,
    modules: Vec<CachedModule>,
}

/// One module's result: its folder under `modules/` and its first error lines (none: usable).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CachedModule {
    dir: String,
    errors: Vec<String>,
}

/// An installed module as the library takes it.
#[derive(Clone, Debug)]
pub struct CheckedModule {
    pub dir: PathBuf,
    /// The module, or the validator's first error lines when it cannot be used.
    pub module: Result<Module, String>,
}

/// The modules of one installed pack, and how many of them had to be validated.
#[derive(Clone, Debug)]
pub struct CheckedPack {
    /// In manifest order.
    pub modules: Vec<CheckedModule>,
    /// Modules validated because the cache did not vouch for them (0: all from the cache).
    pub validated: usize,
}

/// Whether [`load_checked`] may write the cache: only a window that owns the data folder
/// writes in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveCache {
    Yes,
    No,
}

/// Loads the modules of `pack`: each is parsed, and validated only when the cache in the pack's
/// folder has no result for it under today's key. When anything was validated, the cache is
/// written again (with `save`).
pub fn load_checked(
    pack: &InstalledPack,
    data: &DataDir,
    regions: &Regions,
    today: NaiveDate,
    save: SaveCache,
) -> CheckedPack {
    let key = CacheKey::new(pack.manifest_sha256, regions);
    let cached = read(&pack.dir, &key);
    let ctx = Context::for_library(today, regions);
    let mut validated = 0;
    let mut results = Vec::with_capacity(pack.manifest.modules.len());
    let mut modules = Vec::with_capacity(pack.manifest.modules.len());
    for listed in &pack.manifest.modules {
        let dir = pack.dir.join(MODULES_DIR).join(&listed.dir);
        // A cached result still needs the module itself; a file that no longer parses is not
        // what the cache describes, so it is validated (which reports the parse error).
        let from_cache = cached
            .get(listed.dir.as_str())
            .and_then(|errors| Some((Some(crate::load::load_module_dir(&dir).ok()?.module), errors.clone())));
        let (module, errors) = from_cache.unwrap_or_else(|| {
            validated += 1;
            validate_dir(&dir, &ctx)
        });
        results.push(CachedModule { dir: listed.dir.clone(), errors: errors.clone() });
        let module = match module {
            Some(module) if errors.is_empty() => Ok(module),
            _ => Err(errors.join("\n")),
        };
        modules.push(CheckedModule { dir, module });
    }
    if validated > 0 && save == SaveCache::Yes {
        save_locked(data, &pack.dir, &CacheFile { key, modules: results });
    }
    CheckedPack { modules, validated }
}

/// Records that every module of the (staged) pack at `root` passed validation: install calls
/// this after `check_modules` accepted them, against the bundled `regions`.
pub(crate) fn record_valid(
    root: &Path,
    manifest_text: &str,
    manifest: &Manifest,
    regions: &Regions,
) -> Result<(), PackError> {
    let file = CacheFile {
        key: CacheKey::new(text_digest(manifest_text), regions),
        modules: manifest
            .modules
            .iter()
            .map(|m| CachedModule { dir: m.dir.clone(), errors: Vec::new() })
            .collect(),
    };
    Ok(crate::data::store::save_ron(&root.join(VALIDATION_CACHE_NAME), &file)?)
}

/// Validates one module folder: the module if it parsed, and its first error lines.
fn validate_dir(dir: &Path, ctx: &Context<'_>) -> (Option<Module>, Vec<String>) {
    let report = validate::check_dir(dir, ctx);
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .take(ERRORS_SHOWN)
        .map(ToString::to_string)
        .collect();
    (report.module.map(|loaded| loaded.module), errors)
}

/// The cached results in `pack_dir` by module folder, if the cache is there, readable and made
/// for `key`; otherwise none.
fn read(pack_dir: &Path, key: &CacheKey) -> BTreeMap<String, Vec<String>> {
    let path = pack_dir.join(VALIDATION_CACHE_NAME);
    let Ok(text) = crate::load::read_text_capped(&path, MAX_CACHE_BYTES) else { return BTreeMap::new() };
    match crate::load::data_options().from_str::<CacheFile>(&text) {
        Ok(file) if file.key == *key => file.modules.into_iter().map(|m| (m.dir, m.errors)).collect(),
        _ => BTreeMap::new(),
    }
}

/// Writes the cache under the pack lock, so no install or removal moves the folder meanwhile,
/// and only if the folder still holds the manifest the results are for. Best effort: when the
/// lock is taken or the folder cannot be written, the next start validates again, which is all a
/// missing cache ever costs; so a failure here is not reported.
fn save_locked(data: &DataDir, pack_dir: &Path, file: &CacheFile) {
    let Ok(_lock) = lock(data) else { return };
    let Ok(text) = crate::load::read_text_capped(&pack_dir.join(MANIFEST_NAME), MAX_MANIFEST_BYTES) else {
        return;
    };
    if text_digest(&text) != file.key.manifest_sha256 {
        return;
    }
    let _ = crate::data::store::save_ron(&pack_dir.join(VALIDATION_CACHE_NAME), file);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{BuildOptions, InstallOptions, PackId, TrustDecision};

    /// A data folder with the minimal fixture installed as pack "cached", and where its
    /// module file is.
    struct Installed {
        _root: tempfile::TempDir,
        data: DataDir,
        module_file: PathBuf,
    }

    fn install_minimal() -> Installed {
        let root = tempfile::tempdir().unwrap();
        let key = crate::pack::generate_key().unwrap();
        let options = BuildOptions {
            id: PackId::new("cached").unwrap(),
            version: semver::Version::new(1, 0, 0),
            title: "Cached".into(),
            publisher: "Test publisher".into(),
            created: chrono::Utc::now(),
        };
        let file = root.path().join("cached.faropack");
        crate::pack::build(&[PathBuf::from("tests/fixtures/good/minimal")], &key, &options, &file).unwrap();
        let data = DataDir::at(root.path().join("data"));
        let trust = TrustDecision::Trust(key.verifying_key());
        let report = crate::pack::install(&data, &file, trust, &InstallOptions::default()).unwrap();
        let module_file = report.module_dirs[0].join(crate::load::MODULE_FILE);
        Installed { _root: root, data, module_file }
    }

    fn regions() -> Regions {
        crate::bundled::regions().unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn pack(data: &DataDir) -> InstalledPack {
        let mut packs = crate::pack::installed(data);
        assert_eq!(packs.len(), 1);
        packs.remove(0).unwrap()
    }

    fn load(data: &DataDir, regions: &Regions, save: SaveCache) -> CheckedPack {
        load_checked(&pack(data), data, regions, today(), save)
    }

    /// Breaks the module in a way only validation notices: it still parses, but a choice now
    /// leads to a node that does not exist.
    fn break_a_goto(installed: &Installed) {
        let text = std::fs::read_to_string(&installed.module_file).unwrap();
        let broken = text.replacen("goto: \"call\"", "goto: \"nowhere\"", 1);
        assert_ne!(text, broken);
        std::fs::write(&installed.module_file, broken).unwrap();
    }

    /// Rewrites the cache file with `change` applied to its key.
    fn edit_key(data: &DataDir, change: impl FnOnce(&mut CacheKey)) {
        let path = pack(data).dir.join(VALIDATION_CACHE_NAME);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut file: CacheFile = crate::load::data_options().from_str(&text).unwrap();
        change(&mut file.key);
        crate::data::store::save_ron(&path, &file).unwrap();
    }

    #[test]
    fn install_writes_the_cache_and_the_next_load_validates_nothing() {
        let installed = install_minimal();
        assert!(pack(&installed.data).dir.join(VALIDATION_CACHE_NAME).is_file());
        // Damage only validation would catch: the cached result is used, so nobody notices.
        break_a_goto(&installed);
        let checked = load(&installed.data, &regions(), SaveCache::Yes);
        assert_eq!(checked.validated, 0);
        let [module] = checked.modules.as_slice() else { panic!("{checked:?}") };
        assert_eq!(module.module.as_ref().map(|m| m.id.as_str()), Ok("minimal-example"));
    }

    #[test]
    fn another_manifest_faro_version_or_region_data_means_validating_again() {
        let installed = install_minimal();
        break_a_goto(&installed);
        let data = &installed.data;
        let stale_keys: [fn(&mut CacheKey); 2] = [
            |key| key.manifest_sha256 = text_digest("another manifest"),
            |key| key.faro_version = "0.0.1-older".into(),
        ];
        for stale in stale_keys {
            let original = std::fs::read(pack(data).dir.join(VALIDATION_CACHE_NAME)).unwrap();
            edit_key(data, stale);
            let checked = load(data, &regions(), SaveCache::No);
            assert_eq!(checked.validated, 1);
            let error = checked.modules[0].module.as_ref().unwrap_err();
            assert!(error.contains("nowhere"), "{error}");
            std::fs::write(pack(data).dir.join(VALIDATION_CACHE_NAME), original).unwrap();
        }
        // The region data changed (a new Faro with new numbers, or another region file).
        let mut other = regions();
        other.regions[0].contacts[0].phone = Some("000".into());
        assert_ne!(regions_digest(&other), regions_digest(&regions()));
        assert_eq!(load(data, &other, SaveCache::No).validated, 1);
        assert_eq!(load(data, &regions(), SaveCache::No).validated, 0, "the cache was not rewritten");
    }

    #[test]
    fn a_damaged_or_missing_cache_is_validated_again_and_rewritten() {
        let installed = install_minimal();
        let data = &installed.data;
        let path = pack(data).dir.join(VALIDATION_CACHE_NAME);
        for damage in ["", "(key: 1)", "\u{0}\u{1} not RON", "(key: (manifest_sha256: \"zz\"), modules: [])"]
        {
            std::fs::write(&path, damage).unwrap();
            let checked = load(data, &regions(), SaveCache::Yes);
            assert_eq!(checked.validated, 1, "{damage:?}");
            assert!(checked.modules[0].module.is_ok());
            assert_eq!(load(data, &regions(), SaveCache::Yes).validated, 0, "rewritten after {damage:?}");
        }
        std::fs::remove_file(&path).unwrap();
        assert_eq!(load(data, &regions(), SaveCache::No).validated, 1);
        assert!(!path.exists(), "a window that does not own the data folder writes nothing");
        assert_eq!(load(data, &regions(), SaveCache::Yes).validated, 1);
        assert_eq!(load(data, &regions(), SaveCache::Yes).validated, 0);
    }

    #[test]
    fn errors_found_by_validating_are_cached_too() {
        let installed = install_minimal();
        let data = &installed.data;
        break_a_goto(&installed);
        edit_key(data, |key| key.faro_version = "0.0.1-older".into());
        assert_eq!(load(data, &regions(), SaveCache::Yes).validated, 1);
        let again = load(data, &regions(), SaveCache::Yes);
        assert_eq!(again.validated, 0);
        assert!(again.modules[0].module.as_ref().unwrap_err().contains("nowhere"));
    }

    #[test]
    fn a_module_that_no_longer_parses_is_validated_whatever_the_cache_says() {
        let installed = install_minimal();
        std::fs::write(&installed.module_file, "Module(").unwrap();
        let checked = load(&installed.data, &regions(), SaveCache::No);
        assert_eq!(checked.validated, 1);
        assert!(checked.modules[0].module.is_err());
    }
}
