//! Verifying a pack: signature, hashes, exact file list, then the modules themselves.

use std::path::Path;

use ed25519_dalek::VerifyingKey;

use super::manifest::Manifest;
use super::sign::Fingerprint;
use super::{MODULES_DIR, PackError, extract};
use crate::diagnostic::Diagnostic;
use crate::format::Regions;
use crate::validate::{self, Context};

/// A pack whose signature and manifest are sound (its files are not checked yet).
#[derive(Clone, Debug)]
pub struct SignedManifest {
    pub manifest: Manifest,
    pub public_key: VerifyingKey,
    pub fingerprint: Fingerprint,
}

/// A pack that passed every check: signature, layout, hashes, file list and module validation.
#[derive(Clone, Debug)]
pub struct VerifiedPack {
    pub manifest: Manifest,
    /// The key that signed the manifest.
    pub public_key: VerifyingKey,
    /// The signer's short fingerprint, to show people.
    pub fingerprint: Fingerprint,
    /// Validation warnings (errors make verification fail), with paths inside the pack.
    pub warnings: Vec<Diagnostic>,
}

/// Reads the pack's manifest and checks its signature (and the zip layout and file list), without
/// unpacking: quick, for showing what a pack is and who signed it before asking to trust them.
pub fn read_signed(path: &Path) -> Result<SignedManifest, PackError> {
    let opened = extract::open(path, None)?;
    Ok(SignedManifest {
        fingerprint: opened.signature.fingerprint(),
        public_key: opened.signature.public_key,
        manifest: opened.manifest,
    })
}

/// Prefix of the temporary folders [`verify`] unpacks into.
const VERIFY_TEMP_PREFIX: &str = "faro-verify-";
/// The file in such a folder that its verification holds locked while it runs.
const VERIFY_IN_USE: &str = ".in-use";

/// Verifies the pack at `path` completely, unpacking it into a temporary folder that is then
/// removed. With `trusted_key`, a pack signed by any other key is refused.
pub fn verify(path: &Path, trusted_key: Option<&VerifyingKey>) -> Result<VerifiedPack, PackError> {
    let mut opened = extract::open(path, trusted_key)?;
    let temp_root = std::env::temp_dir();
    // An interrupted verification (killed, power lost) cannot clean up after itself; the next one
    // does.
    remove_abandoned_verify_folders(&temp_root);
    let temp = tempfile::Builder::new()
        .prefix(VERIFY_TEMP_PREFIX)
        .tempdir_in(&temp_root)
        .map_err(|e| PackError::io(&temp_root, e))?;
    // Held until this function returns (declared after `temp`, so released before the folder is
    // removed, as Windows requires); the operating system releases it if the process dies.
    let in_use_path = temp.path().join(VERIFY_IN_USE);
    let in_use = std::fs::File::create(&in_use_path).map_err(|e| PackError::io(&in_use_path, e))?;
    in_use.lock().map_err(|e| PackError::io(&in_use_path, e))?;
    let root = temp.path().join("pack");
    opened.extract_to(&root, false, None, None)?;
    let warnings = check_modules(&root, &opened.manifest, &bundled_regions()?, None)?;
    Ok(VerifiedPack {
        fingerprint: opened.signature.fingerprint(),
        public_key: opened.signature.public_key,
        manifest: opened.manifest,
        warnings,
    })
}

/// Removes the folders of earlier verifications that were interrupted: a folder whose in-use file
/// nobody holds locked is abandoned, and so is one without that file (an older Faro's, or one
/// whose verification died before locking it) once it is an hour old. Best effort and silent: a
/// folder that cannot be removed (another user's) is left alone.
pub(crate) fn remove_abandoned_verify_folders(temp_root: &Path) {
    let Ok(entries) = std::fs::read_dir(temp_root) else { return };
    for entry in entries.flatten() {
        let is_ours = entry.file_name().to_str().is_some_and(|n| n.starts_with(VERIFY_TEMP_PREFIX));
        if !is_ours || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let dir = entry.path();
        let abandoned = match std::fs::File::options().write(true).open(dir.join(VERIFY_IN_USE)) {
            // Getting the lock means its verification has ended; the lock goes with `file`.
            Ok(file) => file.try_lock().is_ok(),
            Err(_) => entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > std::time::Duration::from_secs(3600))),
        };
        if abandoned {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// What verify keeps of one module's validation: its id and version, if it parsed, and the
/// findings.
struct Checked {
    module: Option<(String, semver::Version)>,
    diagnostics: Vec<Diagnostic>,
}

impl Checked {
    fn of(report: validate::Report) -> Self {
        let module = report.module.map(|loaded| (loaded.module.id, loaded.module.version));
        Self { module, diagnostics: report.diagnostics }
    }
}

/// The bundled region data that contact cards are checked against.
pub(crate) fn bundled_regions() -> Result<Regions, PackError> {
    crate::bundled::regions().map_err(PackError::Regions)
}

/// Validates every module of an unpacked pack at `root` as `faro validate` would (contact cards
/// against `regions`), and checks that each folder holds the module id and version the manifest
/// names. Returns the warnings.
pub(crate) fn check_modules(
    root: &Path,
    manifest: &Manifest,
    regions: &Regions,
    progress: Option<&super::InstallProgress>,
) -> Result<Vec<Diagnostic>, PackError> {
    // Images are decoded here as `faro validate` decodes them (header and 4096² check first, then
    // the pixels within the decoder's limits): `faro pack build` decodes too, but a signature only
    // proves who made a pack, not which tool, so a pack that verifies must hold only images that
    // validate (issue 17). The modules' searches share one budget for the pack, and a module
    // too complex to check fully is refused.
    // What the modules would take in memory is told from their text, before any is read.
    let files: Vec<std::path::PathBuf> = manifest
        .modules
        .iter()
        .map(|m| root.join(MODULES_DIR).join(&m.dir).join(crate::load::MODULE_FILE))
        .collect();
    let too_large = crate::load::footprint::pack_findings(&files);
    if !too_large.is_empty() {
        let diagnostics = too_large
            .into_iter()
            .map(|mut d| {
                if let Ok(inside) = d.file.strip_prefix(root) {
                    d.file = inside.to_owned();
                }
                d
            })
            .collect();
        return Err(PackError::InvalidModules { diagnostics });
    }
    let pack_budget = validate::PackBudget::default();
    let ctx = Context {
        today: chrono::Local::now().date_naive(),
        regions: Some(regions),
        terms: crate::bundled::terms().ok(),
        decode_images: true,
        pack: Some(&pack_budget),
    };
    // Decoding dominates, and modules are independent: check them on every core, in chunks so a
    // pack of many modules never starts more threads than there are cores.
    let threads = std::thread::available_parallelism().map_or(1, usize::from).max(1);
    let chunk = manifest.modules.len().div_ceil(threads).max(1);
    // Each report keeps only the module's id, version and findings: the parse is dropped as soon
    // as a module is checked, so a pack of large modules is not held in memory all at once.
    let reports: Vec<Checked> = std::thread::scope(|scope| {
        let ctx = &ctx;
        let workers: Vec<_> = manifest
            .modules
            .chunks(chunk)
            .map(|listed| {
                scope.spawn(move || {
                    listed
                        .iter()
                        .map(|m| {
                            let checked =
                                Checked::of(validate::check_dir(&root.join(MODULES_DIR).join(&m.dir), ctx));
                            if let Some(progress) = progress {
                                progress.advance();
                            }
                            checked
                        })
                        .collect::<Vec<Checked>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect::<Vec<Checked>>()
    });
    let mut diagnostics = Vec::new();
    for (listed, report) in manifest.modules.iter().zip(reports) {
        if let Some((id, version)) = &report.module
            && (*id != listed.id || *version != listed.version)
        {
            return Err(PackError::ModuleIdMismatch {
                dir: listed.dir.clone(),
                expected: format!("{} {}", listed.id, listed.version),
                found: format!("{id} {version}"),
            });
        }
        // Paths inside the pack mean something to the person reading; temporary folders do not.
        diagnostics.extend(report.diagnostics.into_iter().map(|mut d| {
            if let Ok(inside) = d.file.strip_prefix(root) {
                d.file = inside.to_owned();
            }
            d
        }));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(PackError::InvalidModules { diagnostics });
    }
    Ok(diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abandoned_verify_folders_are_removed_and_running_ones_kept() {
        let temp = tempfile::tempdir().unwrap();
        let folder = |name: &str| {
            let dir = temp.path().join(name);
            std::fs::create_dir_all(dir.join("pack/modules")).unwrap();
            dir
        };
        let abandoned = folder("faro-verify-abandoned");
        std::fs::File::create(abandoned.join(VERIFY_IN_USE)).unwrap();
        let running = folder("faro-verify-running");
        let held = std::fs::File::create(running.join(VERIFY_IN_USE)).unwrap();
        held.lock().unwrap();
        let starting = folder("faro-verify-starting");
        let other = folder("not-faro");
        std::fs::File::create(other.join(VERIFY_IN_USE)).unwrap();

        remove_abandoned_verify_folders(temp.path());
        assert!(!abandoned.exists(), "nobody holds its lock: removed");
        assert!(running.exists(), "its lock is held: kept");
        assert!(starting.exists(), "no lock file yet, and new: kept");
        assert!(other.exists(), "not a verify folder: kept");

        drop(held);
        remove_abandoned_verify_folders(temp.path());
        assert!(!running.exists(), "once its verification ends, removed by the next");
    }
}
