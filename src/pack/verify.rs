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

/// Verifies the pack at `path` completely, unpacking it into a temporary folder that is then
/// removed. With `trusted_key`, a pack signed by any other key is refused.
pub fn verify(path: &Path, trusted_key: Option<&VerifyingKey>) -> Result<VerifiedPack, PackError> {
    let mut opened = extract::open(path, trusted_key)?;
    let temp = tempfile::Builder::new()
        .prefix("faro-verify-")
        .tempdir()
        .map_err(|e| PackError::io(std::env::temp_dir(), e))?;
    let root = temp.path().join("pack");
    opened.extract_to(&root, false, None)?;
    let warnings = check_modules(&root, &opened.manifest, &bundled_regions()?)?;
    Ok(VerifiedPack {
        fingerprint: opened.signature.fingerprint(),
        public_key: opened.signature.public_key,
        manifest: opened.manifest,
        warnings,
    })
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
) -> Result<Vec<Diagnostic>, PackError> {
    // Images are decoded here as `faro validate` decodes them (header and 4096² check first, then
    // the pixels within the decoder's limits): `faro pack build` decodes too, but a signature only
    // proves who made a pack, not which tool, so a pack that verifies must hold only images that
    // validate (issue 17).
    let ctx =
        Context { today: chrono::Local::now().date_naive(), regions: Some(regions), decode_images: true };
    // Decoding dominates, and modules are independent: check them on every core, in chunks so a
    // pack of many modules never starts more threads than there are cores.
    let threads = std::thread::available_parallelism().map_or(1, usize::from).max(1);
    let chunk = manifest.modules.len().div_ceil(threads).max(1);
    let reports: Vec<validate::Report> = std::thread::scope(|scope| {
        let ctx = &ctx;
        let workers: Vec<_> = manifest
            .modules
            .chunks(chunk)
            .map(|listed| {
                scope.spawn(move || {
                    listed
                        .iter()
                        .map(|m| validate::check_dir(&root.join(MODULES_DIR).join(&m.dir), ctx))
                        .collect::<Vec<validate::Report>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect::<Vec<validate::Report>>()
    });
    let mut diagnostics = Vec::new();
    for (listed, report) in manifest.modules.iter().zip(reports) {
        if let Some(loaded) = &report.module
            && (loaded.module.id != listed.id || loaded.module.version != listed.version)
        {
            return Err(PackError::ModuleIdMismatch {
                dir: listed.dir.clone(),
                expected: format!("{} {}", listed.id, listed.version),
                found: format!("{} {}", loaded.module.id, loaded.module.version),
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
