//! The modules and region data built into the executable, so the binary alone is the whole app.
//!
//! Everything else in Faro (validation, images, record hashes, packs) reads module folders from
//! disk, so the embedded set is unpacked once into a folder named after its digest and used from
//! there. Each start compares that folder with the embedded bytes (about 0.7 MB, a millisecond) and
//! writes it again if anything differs, so a damaged or edited copy is never used.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};
use sha2::{Digest, Sha256};

/// The bundled region contact data (`assets/regions.ron`).
pub const REGIONS: &str = include_str!("../assets/regions.ron");

/// The name under which the embedded regions file is reported in diagnostics.
pub const REGIONS_NAME: &str = "assets/regions.ron";

/// The bundled region contact data, parsed.
pub fn regions() -> Result<crate::format::Regions, crate::diagnostic::Diagnostic> {
    crate::load::parse_regions(std::path::Path::new(REGIONS_NAME), REGIONS)
}

/// The bundled terms list (`assets/terms.ron`), used when no `terms.ron` is beside the modules.
pub const TERMS: &str = include_str!("../assets/terms.ron");

/// The name under which the embedded terms list is reported in diagnostics.
pub const TERMS_NAME: &str = "assets/terms.ron";

/// The bundled terms list, parsed once.
pub fn terms() -> Result<&'static crate::format::Terms, crate::diagnostic::Diagnostic> {
    static TERMS_PARSED: std::sync::OnceLock<Result<crate::format::Terms, crate::diagnostic::Diagnostic>> =
        std::sync::OnceLock::new();
    TERMS_PARSED
        .get_or_init(|| crate::load::parse_terms(Path::new(TERMS_NAME), TERMS))
        .as_ref()
        .map_err(Clone::clone)
}

/// The bundled safety policy (`assets/safety-policy.ron`), used when no `safety-policy.ron` is
/// beside the modules.
pub const POLICY: &str = include_str!("../assets/safety-policy.ron");

/// The name under which the embedded safety policy is reported in diagnostics.
pub const POLICY_NAME: &str = "assets/safety-policy.ron";

/// The bundled safety policy, parsed once.
pub fn policy() -> Result<&'static crate::format::SafetyPolicy, crate::diagnostic::Diagnostic> {
    static POLICY_PARSED: std::sync::OnceLock<
        Result<crate::format::SafetyPolicy, crate::diagnostic::Diagnostic>,
    > = std::sync::OnceLock::new();
    POLICY_PARSED
        .get_or_init(|| crate::load::parse_policy(Path::new(POLICY_NAME), POLICY))
        .as_ref()
        .map_err(Clone::clone)
}

/// The bundled modules (`modules/`), one folder per module.
static MODULES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/modules");

/// One embedded file: its path inside `modules/` (with `/`) and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedFile {
    pub path: &'static str,
    pub bytes: &'static [u8],
}

/// Every embedded module file, sorted by path.
pub fn files() -> Vec<EmbeddedFile> {
    let mut out = Vec::new();
    let mut stack: Vec<&Dir<'static>> = vec![&MODULES];
    while let Some(dir) = stack.pop() {
        for entry in dir.entries() {
            match entry {
                DirEntry::Dir(d) => stack.push(d),
                DirEntry::File(f) => {
                    if let Some(path) = f.path().to_str() {
                        out.push(EmbeddedFile { path, bytes: f.contents() });
                    }
                }
            }
        }
    }
    out.sort_by_key(|f| f.path);
    out
}

/// How many modules are embedded (top-level folders holding a `module.ron`).
pub fn module_count() -> usize {
    let is_module_file = |f: &include_dir::File<'_>| {
        f.path().file_name().is_some_and(|n| n == std::ffi::OsStr::new(crate::load::MODULE_FILE))
    };
    MODULES.dirs().filter(|d| d.files().any(is_module_file)).count()
}

/// A module built into Faro: a pack that carries the same id would replace it (see
/// [`crate::pack::bundled_modules_in`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundledModule {
    pub id: String,
    pub title: crate::format::Text,
}

/// Every embedded module's id and title, parsed once.
pub fn modules() -> &'static [BundledModule] {
    static MODULES_LIST: std::sync::OnceLock<Vec<BundledModule>> = std::sync::OnceLock::new();
    MODULES_LIST.get_or_init(|| {
        let mut out: Vec<BundledModule> = MODULES
            .dirs()
            .filter_map(|dir| {
                dir.files()
                    .find(|f| f.path().file_name() == Some(std::ffi::OsStr::new(crate::load::MODULE_FILE)))
            })
            .filter_map(|file| {
                let text = file.contents_utf8()?;
                // The embedded modules are checked by tests (`faro validate --bundled` in CI), so a
                // module that does not parse here cannot ship; skipping it keeps this infallible.
                let module = crate::load::parse_module(file.path(), text).ok()?;
                Some(BundledModule { id: module.id, title: module.title })
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    })
}

/// A short digest of the embedded set (paths and bytes), naming the folder it is unpacked to.
pub fn digest() -> String {
    let mut hasher = Sha256::new();
    for file in files() {
        hasher.update((file.path.len() as u64).to_le_bytes());
        hasher.update(file.path.as_bytes());
        hasher.update((file.bytes.len() as u64).to_le_bytes());
        hasher.update(file.bytes);
    }
    hex::encode(&hasher.finalize()[..8])
}

/// Why the embedded modules could not be unpacked.
#[derive(Debug, thiserror::Error)]
#[error("cannot unpack the bundled modules into {dir}: {source}")]
pub struct UnpackError {
    pub dir: PathBuf,
    pub source: std::io::Error,
}

/// Unpacks the embedded modules into `parent/bundled-<digest>/` unless an identical copy is
/// already there, and returns that folder (a folder of module folders). Copies of other digests
/// (older versions of Faro) are removed.
pub fn unpack_into(parent: &Path) -> Result<PathBuf, UnpackError> {
    // A copy being unpacked when its Faro was killed stays as a `.tmp` folder; another Faro may
    // be unpacking here right now (a shared temporary folder), so only old ones go.
    crate::data::store::remove_stale_temporaries(parent, crate::data::store::STALE_AFTER);
    let files = files();
    let name = format!("bundled-{}", digest());
    let target = parent.join(&name);
    if matches_embedded(&target, &files) {
        return Ok(target);
    }
    let fail = |source| UnpackError { dir: target.clone(), source };
    fs::create_dir_all(parent).map_err(fail)?;
    // Written beside the target and renamed into place, so a crash never leaves half a copy
    // under the real name.
    static STAGING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = STAGING.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let staging = parent.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let written = write_all(&staging, &files).and_then(|()| {
        if target.exists() {
            // A copy that differs from the embedded bytes (damaged or edited): replace it.
            fs::remove_dir_all(&target)?;
        }
        fs::rename(&staging, &target)
    });
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&staging);
        // Another Faro starting at the same moment may have put the same copy in place.
        if matches_embedded(&target, &files) {
            return Ok(target);
        }
        return Err(fail(e));
    }
    remove_other_copies(parent, &name);
    Ok(target)
}

/// Whether `dir` holds exactly the embedded files, byte for byte.
fn matches_embedded(dir: &Path, files: &[EmbeddedFile]) -> bool {
    if !dir.is_dir() {
        return false;
    }
    let all_equal = files.iter().all(|f| fs::read(dir.join(f.path)).is_ok_and(|bytes| bytes == f.bytes));
    // Extra files would be extra modules or images nobody reviewed.
    all_equal && count_files(dir) == Some(files.len())
}

fn count_files(dir: &Path) -> Option<usize> {
    let mut count = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).ok()? {
            let entry = entry.ok()?;
            let kind = entry.file_type().ok()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                count += 1;
            }
        }
    }
    Some(count)
}

fn write_all(root: &Path, files: &[EmbeddedFile]) -> std::io::Result<()> {
    for f in files {
        let path = root.join(f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut file = fs::File::create(&path)?;
        file.write_all(f.bytes)?;
        file.sync_all()?;
    }
    Ok(())
}

fn remove_other_copies(parent: &Path, keep: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name != keep && name.starts_with("bundled-") && entry.path().is_dir() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_set_is_the_modules_folder() {
        let on_disk: Vec<PathBuf> = crate::load::module_dirs(Path::new("modules")).unwrap();
        assert_eq!(module_count(), on_disk.len());
        for file in files() {
            let bytes = fs::read(Path::new("modules").join(file.path)).unwrap();
            assert!(bytes == file.bytes, "{} differs from modules/", file.path);
        }
    }

    #[test]
    fn the_embedded_terms_list_parses_and_carries_the_spanish_term() {
        let terms = terms().unwrap();
        let d = terms.discouraged.iter().find(|d| d.term == "tráfico de personas").unwrap();
        assert_eq!((d.lang.as_str(), d.instead.as_str()), ("es", "trata de personas"));
        assert!(
            !terms.discouraged.iter().any(|d| d.term.contains("ilícito")),
            "the term for smuggling is right"
        );
    }

    #[test]
    fn the_embedded_safety_policy_parses_with_every_act_of_the_contract() {
        use crate::format::ActClass::{Critical, Disqualifying, Safe};
        let policy = policy().unwrap();
        let expected = [
            ("confront-suspect", Critical),
            ("attempt-rescue", Critical),
            ("take-child-home", Critical),
            ("interview-child-about-abuse", Critical),
            ("promise-secrecy", Critical),
            ("collect-child-sexual-images", Critical),
            ("call-immigration-yourself", Critical),
            ("post-online", Critical),
            ("hotline-instead-of-911", Disqualifying),
            ("wrong-country-line", Disqualifying),
            ("blame-the-person", Disqualifying),
            ("delete-evidence", Disqualifying),
            ("report-without-coordinator", Disqualifying),
            ("call-911", Safe),
            ("report-hotline", Safe),
            ("tell-coordinator", Safe),
            ("note-details", Safe),
            ("route-child-to-protection", Safe),
        ];
        for (id, class) in expected {
            assert_eq!(policy.class_of(id), Some(class), "{id}");
        }
        for act in &policy.acts {
            for lang in ["en", "es"] {
                assert!(!act.name.get(lang).is_empty(), "{} has no {lang} name", act.id);
            }
            assert!(act.facts.starts_with("FACTS §"), "{}: {}", act.id, act.facts);
            let spanish = act.name.get("es").to_lowercase();
            assert!(!spanish.contains("tráfico de personas"), "{}: trata de personas", act.id);
        }
    }

    #[test]
    fn every_embedded_module_is_listed_by_id() {
        let ids: Vec<&str> = modules().iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids.len(), module_count());
        assert!(ids.contains(&"what-is-trafficking"), "{ids:?}");
        let first = modules().iter().find(|m| m.id == "what-is-trafficking").unwrap();
        assert_eq!(first.title.get("en"), "What trafficking is");
    }

    #[test]
    fn unpacks_once_and_repairs_a_changed_copy() {
        let parent = tempfile::tempdir().unwrap();
        let dir = unpack_into(parent.path()).unwrap();
        assert_eq!(count_files(&dir), Some(files().len()));
        let module = dir.join("01-what-is-trafficking/module.ron");
        let original = fs::read(&module).unwrap();

        // Someone edits the unpacked copy, or a crash damaged it: the next start restores it.
        fs::write(&module, "tampered").unwrap();
        assert_eq!(unpack_into(parent.path()).unwrap(), dir);
        assert_eq!(fs::read(&module).unwrap(), original);

        // An extra file is not silently offered either.
        fs::create_dir(dir.join("99-extra")).unwrap();
        fs::write(dir.join("99-extra/module.ron"), "x").unwrap();
        unpack_into(parent.path()).unwrap();
        assert!(!dir.join("99-extra").exists());
    }

    #[test]
    fn older_copies_are_removed_and_no_staging_folder_is_left() {
        let parent = tempfile::tempdir().unwrap();
        fs::create_dir_all(parent.path().join("bundled-0000000000000000/x")).unwrap();
        // A Faro killed while unpacking an hour ago left its half copy; one unpacking now has not
        // finished its own (left alone, then removed here by hand).
        let killed = parent.path().join(".bundled-0000000000000000.4242-0.tmp");
        let running = parent.path().join(".bundled-0000000000000000.4343-0.tmp");
        for staging in [&killed, &running] {
            fs::create_dir_all(staging.join("minimal")).unwrap();
        }
        let old = std::time::SystemTime::now() - 2 * crate::data::store::STALE_AFTER;
        fs::File::open(&killed).unwrap().set_modified(old).unwrap();
        let dir = unpack_into(parent.path()).unwrap();
        assert!(!killed.exists(), "the killed unpacking's folder is removed");
        assert!(running.exists(), "another Faro's unpacking in progress is left alone");
        fs::remove_dir_all(&running).unwrap();
        let names: Vec<String> = fs::read_dir(parent.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![dir.file_name().unwrap().to_string_lossy().into_owned()]);
    }

    #[test]
    fn an_unwritable_place_is_an_error_not_a_panic() {
        let parent = tempfile::tempdir().unwrap();
        let file = parent.path().join("a-file");
        fs::write(&file, "x").unwrap();
        let err = unpack_into(&file.join("under")).unwrap_err();
        assert!(err.to_string().contains("cannot unpack the bundled modules"), "{err}");
    }
}
