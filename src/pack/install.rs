//! Installing a pack atomically, and carrying learners' progress across updates.
//!
//! The pack is unpacked and verified in `<data>/packs/.incoming-*/pack`. Before anything outside
//! that folder changes, a journal lists every change to come (trust store, progress moved to
//! history); then the old pack is moved aside and the new one renamed into place. A failure
//! undoes the changes at once; a crash leaves the journal, and [`recover`] (run before every
//! install, and by the app at start-up) undoes an install that had not reached its final rename.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{SubsecRound, Utc};

use super::error::FailurePoint;
use super::extract;
use super::manifest::{Manifest, PackId};
use super::owners::{OwnedModule, describe_owned, modules_of_other_publishers};
use super::recovery::{JOURNAL, Journal, NEW_PACK, OLD_PACK, STAGING_PREFIX, recover_locked, settle};
use super::replace_bundled::{bundled_modules_in, describe_bundled, write_consent};
use super::sign::Fingerprint;
use super::store::{InstalledPack, lock, pack_dir, packs_dir, read_installed};
use super::trust::{TrustDecision, load_trust_store, raw_trust_store, save_trust_store};
use super::{MODULES_DIR, PackError, validation_cache};
use crate::data::DataDir;
use crate::data::store::save_ron;
use crate::diagnostic::Diagnostic;

/// Choices for [`install`].
#[derive(Clone, Debug, Default)]
pub struct InstallOptions {
    /// Let an older version (or the same version with other content) replace the installed one.
    pub allow_downgrade: bool,
    /// Let the pack's modules replace bundled modules with the same id (the person installing
    /// was told, and agreed); without it such a pack is refused.
    pub replace_bundled: bool,
    /// Let the pack's modules replace modules with the same id that installed packs signed with
    /// another key carry (the person installing was shown both publishers, and agreed); without
    /// it such a pack is refused.
    pub replace_other_publishers: bool,
    /// Set by someone else (the app's Cancel) to stop the install before it changes anything:
    /// it is looked at between the steps, up to the last one before the data folder changes.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Counted as the install goes, for a window to show (each file unpacked, each module
    /// checked, the final move).
    pub progress: Option<Arc<super::InstallProgress>>,
    /// For tests only: fail on purpose at this point.
    #[cfg(feature = "test-hooks")]
    pub simulate_failure: Option<FailurePoint>,
}

impl InstallOptions {
    /// Refuses to go on once cancelled: nothing outside the staging folder has changed yet
    /// wherever this is asked, and the staging folder goes when the install returns.
    fn go_on(&self) -> Result<(), PackError> {
        match &self.cancel {
            Some(cancel) if cancel.load(Ordering::SeqCst) => Err(PackError::Cancelled),
            _ => Ok(()),
        }
    }

    /// Where this install fails on purpose (only in builds with the `test-hooks` feature).
    fn simulated_failure(&self) -> Option<FailurePoint> {
        #[cfg(feature = "test-hooks")]
        return self.simulate_failure;
        #[cfg(not(feature = "test-hooks"))]
        None
    }
}

/// A learner's progress on a changed module, kept as history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovedProgress {
    pub learner: String,
    pub module_id: String,
    pub history_file: PathBuf,
}

/// What an install did, so the app can tell learners which modules changed.
#[derive(Clone, Debug)]
pub struct InstallReport {
    pub pack_id: PackId,
    pub title: String,
    pub version: semver::Version,
    /// The version that was replaced, if any.
    pub previous_version: Option<semver::Version>,
    pub publisher: String,
    pub fingerprint: Fingerprint,
    /// Whether the signer was trusted by this install.
    pub newly_trusted: bool,
    /// Module ids new in this pack.
    pub added: Vec<String>,
    /// Module ids whose files changed: progress on them was moved to history.
    pub changed: Vec<String>,
    /// Module ids whose files are identical: progress continues.
    pub unchanged: Vec<String>,
    /// Module ids the new version no longer has (their progress was moved to history too).
    pub removed: Vec<String>,
    pub moved_progress: Vec<MovedProgress>,
    /// Bundled modules the pack's modules now replace (the person installing agreed).
    pub replaced_bundled: Vec<crate::bundled::BundledModule>,
    /// Modules of other publishers' installed packs the pack's modules now replace (the person
    /// installing agreed).
    pub replaced_publishers: Vec<OwnedModule>,
    /// The installed module folders.
    pub module_dirs: Vec<PathBuf>,
    /// Validation warnings about the modules.
    pub warnings: Vec<Diagnostic>,
}

/// The folders an install creates before it takes the pack lock (`packs/`, and the data folder
/// itself on a first install), removed again if the install fails: a refused install into a data
/// folder that held no packs leaves no empty `packs/.lock` behind (issue 17). Folders that
/// existed before are never touched.
struct CreatedFolders {
    packs: Option<PathBuf>,
    root: Option<PathBuf>,
}

impl CreatedFolders {
    fn before_lock(data: &DataDir) -> Self {
        let packs = packs_dir(data);
        let root = data.root().to_owned();
        Self { packs: (!packs.exists()).then_some(packs), root: (!root.exists()).then_some(root) }
    }

    /// The install succeeded: the folders stay.
    fn keep(&mut self) {
        self.packs = None;
        self.root = None;
    }
}

impl Drop for CreatedFolders {
    fn drop(&mut self) {
        if let Some(packs) = self.packs.take() {
            let _ = std::fs::remove_file(packs.join(".lock"));
            // Only if empty: anything else in it is not ours to remove.
            let _ = std::fs::remove_dir(&packs);
        }
        if let Some(root) = self.root.take() {
            let _ = std::fs::remove_dir(&root);
        }
    }
}

/// Verifies `pack_file` and installs it into `data`, as `trust` allows. See the module docs for
/// how failures are kept from changing anything.
pub fn install(
    data: &DataDir,
    pack_file: &Path,
    trust: TrustDecision,
    options: &InstallOptions,
) -> Result<InstallReport, PackError> {
    let trusted_key = match &trust {
        TrustDecision::Trust(key) => Some(key),
        TrustDecision::KnownOnly => None,
    };
    // The pack's own checks (zip layout, manifest, signature) read only the pack file, so they
    // come first: a pack refused here leaves the data folder untouched, not even a lock file in a
    // folder that did not exist before (issue 17).
    let mut opened = extract::open(pack_file, trusted_key)?;
    let progress = options.progress.as_deref();
    if let Some(progress) = progress {
        progress.begin(opened.manifest.files.len() + opened.manifest.modules.len() + 1);
    }
    options.go_on()?;
    // Replacing a bundled module, or another publisher's, needs the person's explicit agreement,
    // asked for before anything is written, so a refusal leaves the data folder untouched.
    let replaced_bundled = bundled_modules_in(&opened.manifest);
    if !replaced_bundled.is_empty() && !options.replace_bundled {
        return Err(PackError::ReplacesBundled { modules: describe_bundled(&replaced_bundled) });
    }
    let signer = opened.signature.public_key;
    let replaced_publishers = modules_of_other_publishers(data, &opened.manifest, &signer)?;
    if !replaced_publishers.is_empty() && !options.replace_other_publishers {
        return Err(PackError::ReplacesPublisher {
            publisher: opened.manifest.publisher.clone(),
            fingerprint: opened.signature.fingerprint(),
            modules: describe_owned(&replaced_publishers),
        });
    }
    // Declared before the lock, so dropped after it: the lock file is closed before it goes.
    let mut created = CreatedFolders::before_lock(data);
    let _lock = lock(data)?;
    recover_locked(data)?;
    let manifest = opened.manifest.clone();
    let fingerprint = opened.signature.fingerprint();
    let previous = read_installed(data, &manifest.id)?;
    if let Some(prev) = &previous
        && prev.public_key != signer
    {
        return Err(PackError::KeyChanged {
            pack_id: manifest.id.to_string(),
            installed: prev.fingerprint.clone(),
            offered: fingerprint,
        });
    }
    let mut store = load_trust_store(data)?;
    let newly_trusted = match trust {
        TrustDecision::KnownOnly if !store.trusts(&signer) => {
            return Err(PackError::UnknownPublisher { publisher: manifest.publisher.clone(), fingerprint });
        }
        TrustDecision::KnownOnly => false,
        TrustDecision::Trust(_) => store.add(&signer, &manifest.publisher, Utc::now().trunc_subsecs(0)),
    };
    if let Some(prev) = &previous {
        check_version(prev, &manifest, options.allow_downgrade)?;
    }

    let packs = packs_dir(data);
    std::fs::create_dir_all(&packs).map_err(|e| PackError::io(&packs, e))?;
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(&packs)
        .map_err(|e| PackError::io(&packs, e))?;
    let new_root = staging.path().join(NEW_PACK);
    let stop_after = (options.simulated_failure() == Some(FailurePoint::MidExtract)).then_some(1);
    opened.extract_to(&new_root, true, stop_after, progress)?;
    options.go_on()?;
    let regions = super::verify::bundled_regions()?;
    let warnings = super::verify::check_modules(&new_root, &manifest, &regions, progress)?;
    options.go_on()?;
    // Kept with the pack, so the app does not validate these modules again at every start; the
    // agreement to replace bundled modules too, so the library honours it.
    validation_cache::record_valid(&new_root, &opened.manifest_text, &manifest, &regions)?;
    if !replaced_bundled.is_empty() {
        write_consent(&new_root, &replaced_bundled, Utc::now().trunc_subsecs(0))?;
    }
    let changes = Changes::between(previous.as_ref().map(|p| &p.manifest), &manifest);

    let mut journal = Journal { pack_id: manifest.id.to_string(), ..Journal::default() };
    if newly_trusted {
        journal.trust_changed = true;
        journal.trust_before = raw_trust_store(data)?;
    }
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let mut moved = Vec::new();
    if let Some(prev) = &previous {
        for id in changes.changed.iter().chain(&changes.removed) {
            let version = prev.manifest.module(id).map(|m| m.version.to_string()).unwrap_or_default();
            for (learner, from) in progress_files(data, id)? {
                let to = history_path(data, &learner, id, &version, &stamp);
                journal.moves.push((relative(data, &from), relative(data, &to)));
                moved.push(MovedProgress { learner, module_id: id.clone(), history_file: to });
            }
        }
    }
    // The last moment to stop: after this the journal exists and the changes begin.
    options.go_on()?;
    let journal_path = staging.path().join(JOURNAL);
    save_ron(&journal_path, &journal)?;

    let target = pack_dir(data, &manifest.id);
    let committed =
        commit(data, staging.path(), &journal, &target, &new_root, newly_trusted.then_some(&store), options);
    match committed {
        Ok(()) => {}
        Err(e @ PackError::Simulated(FailurePoint::CrashBeforeRename)) => {
            // A crash leaves the staging folder and its journal behind for `recover`.
            let _ = staging.keep();
            return Err(e);
        }
        Err(e) => {
            // Undo now; the original error is the one worth reporting.
            let _ = settle(data, staging.path());
            return Err(e);
        }
    }
    let _ = staging.close();
    created.keep();
    if let Some(progress) = progress {
        progress.advance();
    }
    Ok(InstallReport {
        pack_id: manifest.id.clone(),
        title: manifest.title.clone(),
        version: manifest.version.clone(),
        previous_version: previous.map(|p| p.version),
        publisher: manifest.publisher.clone(),
        fingerprint: Fingerprint::of(&signer),
        newly_trusted,
        added: changes.added,
        changed: changes.changed,
        unchanged: changes.unchanged,
        removed: changes.removed,
        moved_progress: moved,
        replaced_bundled,
        replaced_publishers,
        module_dirs: manifest.modules.iter().map(|m| target.join(MODULES_DIR).join(&m.dir)).collect(),
        warnings,
    })
}

/// The changes outside the staging folder, in journal order; the final rename is the commit.
fn commit(
    data: &DataDir,
    staging: &Path,
    journal: &Journal,
    target: &Path,
    new_root: &Path,
    store: Option<&super::trust::TrustStore>,
    options: &InstallOptions,
) -> Result<(), PackError> {
    if let Some(store) = store {
        save_trust_store(data, store)?;
    }
    for (from, to) in &journal.moves {
        let (from, to) = (data.root().join(from), data.root().join(to));
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| PackError::io(parent, e))?;
        }
        std::fs::rename(&from, &to).map_err(|e| PackError::io(&from, e))?;
    }
    if target.exists() {
        let old = staging.join(OLD_PACK);
        std::fs::rename(target, &old).map_err(|e| PackError::io(target, e))?;
    }
    if let Some(point @ (FailurePoint::FinalRename | FailurePoint::CrashBeforeRename)) =
        options.simulated_failure()
    {
        return Err(PackError::Simulated(point));
    }
    std::fs::rename(new_root, target).map_err(|e| PackError::io(target, e))?;
    if let Some(parent) = target.parent() {
        crate::data::store::sync_dir(parent);
    }
    Ok(())
}

/// Refuses an older version, or the same version with other content, unless allowed.
fn check_version(prev: &InstalledPack, new: &Manifest, allow_downgrade: bool) -> Result<(), PackError> {
    if allow_downgrade {
        return Ok(());
    }
    match new.version.cmp(&prev.version) {
        std::cmp::Ordering::Less => Err(PackError::Downgrade {
            pack_id: new.id.to_string(),
            installed: prev.version.clone(),
            offered: new.version.clone(),
        }),
        std::cmp::Ordering::Equal
            if new.files != prev.manifest.files || new.modules != prev.manifest.modules =>
        {
            Err(PackError::SameVersionDiffers { pack_id: new.id.to_string(), version: new.version.clone() })
        }
        _ => Ok(()),
    }
}

/// Which modules are new, changed, unchanged or gone, comparing file hashes.
#[derive(Debug, Default)]
struct Changes {
    added: Vec<String>,
    changed: Vec<String>,
    unchanged: Vec<String>,
    removed: Vec<String>,
}

impl Changes {
    fn between(old: Option<&Manifest>, new: &Manifest) -> Self {
        let mut out = Changes::default();
        for module in &new.modules {
            let id = module.id.clone();
            match old.and_then(|o| o.module_files(&module.id)) {
                None => out.added.push(id),
                Some(files) if new.module_files(&module.id).as_ref() == Some(&files) => {
                    out.unchanged.push(id)
                }
                Some(_) => out.changed.push(id),
            }
        }
        if let Some(old) = old {
            let kept: BTreeSet<&str> = new.modules.iter().map(|m| m.id.as_str()).collect();
            out.removed =
                old.modules.iter().filter(|m| !kept.contains(m.id.as_str())).map(|m| m.id.clone()).collect();
        }
        out
    }
}

/// Every learner's saved progress file for module `id`, as (learner folder name, path).
fn progress_files(data: &DataDir, id: &str) -> Result<Vec<(String, PathBuf)>, PackError> {
    let learners = data.root().join("learners");
    let entries = match std::fs::read_dir(&learners) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(PackError::io(learners, e)),
    };
    let mut out = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        // Faro names learner folders in ASCII; anything else was not made by Faro.
        let Some(learner) = entry.file_name().to_str().map(str::to_owned) else { continue };
        let file = entry.path().join("progress").join(format!("{id}.ron"));
        if file.is_file() {
            out.push((learner, file));
        }
    }
    out.sort();
    Ok(out)
}

/// `learners/<learner>/history/<module>-<old version>-<timestamp>.ron`, not yet taken.
fn history_path(data: &DataDir, learner: &str, id: &str, version: &str, stamp: &str) -> PathBuf {
    let dir = data.root().join("learners").join(learner).join("history");
    let mut path = dir.join(format!("{id}-{version}-{stamp}.ron"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{id}-{version}-{stamp}-{n}.ron"));
        n += 1;
    }
    path
}

fn relative(data: &DataDir, path: &Path) -> String {
    path.strip_prefix(data.root()).unwrap_or(path).to_string_lossy().into_owned()
}
