//! Installing through the library: updates carry progress, downgrades and key changes are
//! refused, and failed or interrupted installs change nothing.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::pack::*;
use faro::data::DataDir;
use faro::pack::{self, FailurePoint, InstallOptions, PackError, SigningKey, TrustDecision, TrustStatus};
use faro::progress::Attempt;

/// A data folder, two module folders and a key, with v1 built (not installed).
struct Setup {
    root: tempfile::TempDir,
    data: DataDir,
    dirs: Vec<PathBuf>,
    key: SigningKey,
    v1: PathBuf,
}

impl Setup {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let data = DataDir::at(root.path().join("data"));
        let dirs = two_modules(&root.path().join("src"));
        let key = pack::generate_key().unwrap();
        let v1 = root.path().join("v1.faropack");
        build(&dirs, &key, "border", "1.0.0", &v1);
        Self { root, data, dirs, key, v1 }
    }

    fn trust(&self) -> TrustDecision {
        TrustDecision::Trust(self.key.verifying_key())
    }

    /// Builds v2 (1.1.0) with the alpha module changed.
    fn v2(&self) -> PathBuf {
        edit_module(&self.dirs[0]);
        let v2 = self.root.path().join("v2.faropack");
        build(&self.dirs, &self.key, "border", "1.1.0", &v2);
        v2
    }

    /// Saves a fresh attempt for `learner` at the module in `dir`; returns the progress file.
    fn progress(&self, learner: &str, dir: &Path) -> PathBuf {
        let module = faro::load::load_module_dir(dir).unwrap().module;
        let attempt = Attempt::new(&module, "en", chrono::Utc::now());
        self.data.save_attempt(learner, &attempt).unwrap();
        self.data.progress_path(learner, &module.id)
    }

    /// Every file under the data folder with its contents (but the empty lock file).
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.data.root().to_owned()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(self.data.root()).unwrap().to_owned();
                    if rel != Path::new("packs/.lock") {
                        out.insert(rel, std::fs::read(&path).unwrap());
                    }
                }
            }
        }
        out
    }
}

fn no_options() -> InstallOptions {
    InstallOptions::default()
}

#[test]
fn an_update_keeps_progress_on_unchanged_modules_and_files_changed_ones_as_history() {
    let s = Setup::new();
    let first = pack::install(&s.data, &s.v1, s.trust(), &no_options()).unwrap();
    assert!(first.newly_trusted);
    assert_eq!(first.added, ["minimal-example", "minimal-beta"]);
    assert!(first.module_dirs.iter().all(|d| d.join("module.ron").is_file()));

    let alpha_progress = s.progress("learner-1", &s.dirs[0]);
    let beta_progress = s.progress("learner-1", &s.dirs[1]);
    let alpha_text = std::fs::read(&alpha_progress).unwrap();
    let record = s.data.root().join("learners/learner-1/records/minimal-example-2026.ron");
    std::fs::create_dir_all(record.parent().unwrap()).unwrap();
    std::fs::write(&record, "(passed: true)").unwrap();

    let v2 = s.v2();
    let report = pack::install(&s.data, &v2, TrustDecision::KnownOnly, &no_options()).unwrap();
    assert_eq!(report.previous_version, Some(semver::Version::new(1, 0, 0)));
    assert_eq!(report.changed, ["minimal-example"]);
    assert_eq!(report.unchanged, ["minimal-beta"]);
    assert!(report.added.is_empty() && report.removed.is_empty());
    assert!(!report.newly_trusted);

    assert!(beta_progress.is_file(), "progress on the unchanged module continues");
    assert!(!alpha_progress.exists(), "progress on the changed module is moved");
    let [moved] = report.moved_progress.as_slice() else { panic!("{:?}", report.moved_progress) };
    assert_eq!(moved.module_id, "minimal-example");
    let history = moved.history_file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(history.starts_with("minimal-example-1.0.0-") && history.ends_with(".ron"), "{history}");
    assert!(moved.history_file.starts_with(s.data.root().join("learners/learner-1/history")));
    assert_eq!(std::fs::read(&moved.history_file).unwrap(), alpha_text);
    assert_eq!(std::fs::read_to_string(&record).unwrap(), "(passed: true)", "records are never touched");

    let installed: Vec<_> = pack::installed(&s.data).into_iter().map(Result::unwrap).collect();
    assert_eq!(installed.len(), 1);
    assert_eq!(installed[0].version, semver::Version::new(1, 1, 0));
    assert_eq!(pack::installed_module_dirs(&s.data), installed[0].module_dirs);
    let leftovers: Vec<_> = std::fs::read_dir(pack::packs_dir(&s.data)).unwrap().collect();
    assert_eq!(leftovers.len(), 2, "the pack and the lock file; no staging folders remain");
}

#[test]
fn an_older_version_never_silently_replaces_a_newer_one() {
    let s = Setup::new();
    let v2 = s.v2();
    pack::install(&s.data, &v2, s.trust(), &no_options()).unwrap();
    let before = s.snapshot();
    let err = pack::install(&s.data, &s.v1, TrustDecision::KnownOnly, &no_options()).unwrap_err();
    assert!(matches!(err, PackError::Downgrade { .. }), "{err}");
    assert!(err.to_string().contains("--allow-downgrade"), "{err}");
    assert_eq!(s.snapshot(), before);

    let options = InstallOptions { allow_downgrade: true, ..InstallOptions::default() };
    let report = pack::install(&s.data, &s.v1, TrustDecision::KnownOnly, &options).unwrap();
    assert_eq!(report.version, semver::Version::new(1, 0, 0));
    assert_eq!(report.changed, ["minimal-example"]);
}

#[test]
fn the_same_version_with_other_content_is_refused() {
    let s = Setup::new();
    pack::install(&s.data, &s.v1, s.trust(), &no_options()).unwrap();
    // Reinstalling the very same pack is fine (it repairs damaged files).
    let again = pack::install(&s.data, &s.v1, TrustDecision::KnownOnly, &no_options()).unwrap();
    assert_eq!(again.unchanged.len(), 2);
    edit_module(&s.dirs[0]);
    let same_version = s.root.path().join("same.faropack");
    build(&s.dirs, &s.key, "border", "1.0.0", &same_version);
    let err = pack::install(&s.data, &same_version, TrustDecision::KnownOnly, &no_options()).unwrap_err();
    assert!(matches!(err, PackError::SameVersionDiffers { .. }), "{err}");
}

#[test]
fn another_key_for_the_same_pack_id_is_refused_with_a_warning() {
    let s = Setup::new();
    pack::install(&s.data, &s.v1, s.trust(), &no_options()).unwrap();
    let intruder = pack::generate_key().unwrap();
    let fake = s.root.path().join("fake.faropack");
    build(&s.dirs, &intruder, "border", "9.0.0", &fake);
    let before = s.snapshot();
    let signed = pack::read_signed(&fake).unwrap();
    let status = pack::trust_status(&s.data, &signed.manifest.id, &signed.public_key).unwrap();
    assert!(matches!(status, TrustStatus::KeyChanged { .. }), "{status:?}");
    let err = pack::install(&s.data, &fake, TrustDecision::Trust(intruder.verifying_key()), &no_options())
        .unwrap_err();
    assert!(matches!(err, PackError::KeyChanged { .. }), "{err}");
    assert!(err.to_string().starts_with("WARNING"), "{err}");
    assert_eq!(s.snapshot(), before, "nothing changed, not even the trust store");
}

#[test]
fn an_unknown_publisher_is_not_trusted_silently() {
    let s = Setup::new();
    let err = pack::install(&s.data, &s.v1, TrustDecision::KnownOnly, &no_options()).unwrap_err();
    let PackError::UnknownPublisher { fingerprint, .. } = &err else { panic!("{err}") };
    assert_eq!(fingerprint, &pack::Fingerprint::of(&s.key.verifying_key()));
    let other = pack::generate_key().unwrap();
    let err = pack::install(&s.data, &s.v1, TrustDecision::Trust(other.verifying_key()), &no_options())
        .unwrap_err();
    assert!(matches!(err, PackError::WrongKey { .. }), "{err}");
    assert!(s.snapshot().is_empty(), "nothing was written");
}

#[test]
fn failed_installs_change_nothing() {
    for point in [FailurePoint::MidExtract, FailurePoint::FinalRename] {
        // A first install that fails leaves no pack and no trusted key.
        let s = Setup::new();
        s.progress("learner-1", &s.dirs[0]);
        let before = s.snapshot();
        let options = InstallOptions { simulate_failure: Some(point), ..InstallOptions::default() };
        let err = pack::install(&s.data, &s.v1, s.trust(), &options).unwrap_err();
        assert!(matches!(err, PackError::Simulated(p) if p == point), "{err}");
        assert_eq!(s.snapshot(), before, "{point:?}: first install");

        // An update that fails leaves v1, the progress and the trust store as they were.
        pack::install(&s.data, &s.v1, s.trust(), &no_options()).unwrap();
        let v2 = s.v2();
        let before = s.snapshot();
        let err = pack::install(&s.data, &v2, TrustDecision::KnownOnly, &options).unwrap_err();
        assert!(matches!(err, PackError::Simulated(_)), "{err}");
        assert_eq!(s.snapshot(), before, "{point:?}: update");
        assert_eq!(pack::installed(&s.data)[0].as_ref().unwrap().version, semver::Version::new(1, 0, 0));
    }
}

/// Issue 17: a pack refused by its own checks before anything is unpacked (not a zip at all, or
/// signed by another key than the one the learner was told to trust) leaves nothing behind, not
/// even a lock file or the data folder it would have created.
#[test]
fn a_pack_refused_before_unpacking_creates_nothing_in_the_data_folder() {
    let s = Setup::new();
    let junk = s.root.path().join("junk.faropack");
    std::fs::write(&junk, b"not a pack").unwrap();
    let other_key = pack::generate_key().unwrap();
    for (bad, trust) in [(&junk, s.trust()), (&s.v1, TrustDecision::Trust(other_key.verifying_key()))] {
        pack::install(&s.data, bad, trust, &no_options()).unwrap_err();
        assert!(!s.data.root().exists(), "{} created {}", bad.display(), s.data.root().display());
    }
}

#[test]
fn a_crash_before_the_final_rename_is_undone_by_recover() {
    let s = Setup::new();
    pack::install(&s.data, &s.v1, s.trust(), &no_options()).unwrap();
    s.progress("learner-1", &s.dirs[0]);
    let v2 = s.v2();
    let before = s.snapshot();
    let options =
        InstallOptions { simulate_failure: Some(FailurePoint::CrashBeforeRename), ..Default::default() };
    pack::install(&s.data, &v2, TrustDecision::KnownOnly, &options).unwrap_err();
    assert_ne!(s.snapshot(), before, "the crash left a half-done install");
    pack::recover(&s.data).unwrap();
    assert_eq!(s.snapshot(), before);
    // The next install recovers by itself too, and then works.
    let report = pack::install(&s.data, &v2, TrustDecision::KnownOnly, &no_options()).unwrap();
    assert_eq!(report.changed, ["minimal-example"]);
}

#[test]
fn removing_a_pack_keeps_progress_and_records() {
    let s = Setup::new();
    pack::install(&s.data, &s.v1, s.trust(), &no_options()).unwrap();
    let progress = s.progress("learner-1", &s.dirs[1]);
    pack::remove(&s.data, "border").unwrap();
    assert!(pack::installed(&s.data).is_empty());
    assert!(progress.is_file());
    assert!(matches!(pack::remove(&s.data, "border"), Err(PackError::NotInstalled { .. })));
    assert!(matches!(pack::remove(&s.data, "../x"), Err(PackError::InvalidPackId { .. })));
}

#[test]
fn one_install_at_a_time() {
    let s = Setup::new();
    pack::install(&s.data, &s.v1, s.trust(), &no_options()).unwrap();
    // Another process holding the lock (here: this one, through a second handle).
    let lock = std::fs::File::open(pack::packs_dir(&s.data).join(".lock")).unwrap();
    lock.lock().unwrap();
    let err = pack::install(&s.data, &s.v1, TrustDecision::KnownOnly, &no_options()).unwrap_err();
    assert!(matches!(err, PackError::Busy { .. }), "{err}");
    assert!(matches!(pack::remove(&s.data, "border"), Err(PackError::Busy { .. })));
    lock.unlock().unwrap();
    pack::remove(&s.data, "border").unwrap();
}

#[test]
fn verify_reports_the_manifest_and_the_fingerprint() {
    let s = Setup::new();
    let verified = pack::verify(&s.v1, Some(&s.key.verifying_key())).unwrap();
    assert_eq!(verified.fingerprint, pack::Fingerprint::of(&s.key.verifying_key()));
    assert_eq!(verified.manifest.id.as_str(), "border");
    assert_eq!(verified.manifest.modules.len(), 2);
    assert!(verified.manifest.files.iter().all(|f| f.path.starts_with("modules/")));
}

/// Issue 17: a pack carrying a bundled module's id is refused before anything is written unless
/// the person agreed, and the agreement is kept with the installed pack (where the library reads
/// it); an update that no longer replaces it records none.
#[test]
fn replacing_a_bundled_module_needs_consent_which_is_kept_with_the_pack() {
    let s = Setup::new();
    let ours = s.root.path().join("ours.faropack");
    build(&[PathBuf::from("modules/01-what-is-trafficking")], &s.key, "ours", "1.0.0", &ours);
    let err = pack::install(&s.data, &ours, s.trust(), &no_options()).unwrap_err();
    assert!(matches!(err, PackError::ReplacesBundled { .. }), "{err}");
    assert!(!s.data.root().exists(), "refused before anything was written");

    let agreed = InstallOptions { replace_bundled: true, ..InstallOptions::default() };
    let report = pack::install(&s.data, &ours, s.trust(), &agreed).unwrap();
    let replaced: Vec<&str> = report.replaced_bundled.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(replaced, ["what-is-trafficking"]);
    let installed = pack::installed(&s.data).remove(0).unwrap();
    assert_eq!(installed.replaces_bundled, ["what-is-trafficking"]);

    // The flag alone records nothing for a pack that replaces no bundled module.
    pack::install(&s.data, &s.v1, TrustDecision::KnownOnly, &agreed).unwrap();
    let border = pack::installed(&s.data).into_iter().map(Result::unwrap).find(|p| p.id.as_str() == "border");
    assert!(border.unwrap().replaces_bundled.is_empty());
}

/// Issue 17: a pack refused after the pack lock was taken (an unknown publisher when only known
/// ones are allowed; a failure while unpacking) into a data folder that did not exist leaves no
/// empty `packs/.lock`, `packs/` or data folder behind.
#[test]
fn a_pack_refused_after_locking_leaves_no_folders_it_created() {
    let s = Setup::new();
    pack::install(&s.data, &s.v1, TrustDecision::KnownOnly, &no_options()).unwrap_err();
    assert!(!s.data.root().exists(), "an unknown publisher left {}", s.data.root().display());
    let options = InstallOptions { simulate_failure: Some(FailurePoint::MidExtract), ..Default::default() };
    pack::install(&s.data, &s.v1, s.trust(), &options).unwrap_err();
    assert!(!s.data.root().exists(), "a failed unpack left {}", s.data.root().display());
    // Into a data folder that exists, a refusal removes nothing that was there.
    std::fs::create_dir_all(s.data.root()).unwrap();
    std::fs::write(s.data.root().join("profiles.ron"), "()").unwrap();
    pack::install(&s.data, &s.v1, TrustDecision::KnownOnly, &no_options()).unwrap_err();
    assert!(s.data.root().join("profiles.ron").exists());
    assert!(!pack::packs_dir(&s.data).exists());
}

/// Issue 26 (item 3): an install asked to stop (the app's Cancel) changes nothing: no data
/// folder, pack or trusted publisher, and nothing left behind.
#[test]
fn a_cancelled_install_changes_nothing() {
    let s = Setup::new();
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let options = InstallOptions { cancel: Some(cancel), ..Default::default() };
    let err = pack::install(&s.data, &s.v1, s.trust(), &options).unwrap_err();
    assert!(matches!(err, PackError::Cancelled), "{err}");
    assert!(!s.data.root().exists(), "nothing was written");
}

/// Issue 26 (item 3): an install counts its steps (each file unpacked, each module checked, the
/// final move) for the app's progress bar, and tells its watcher as it goes, ending at the total.
#[test]
fn an_install_counts_every_step_and_tells_its_watcher_up_to_the_end() {
    let s = Setup::new();
    let progress = std::sync::Arc::new(pack::InstallProgress::default());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (watched, record) = (std::sync::Arc::clone(&progress), std::sync::Arc::clone(&seen));
    progress.watch(move || record.lock().unwrap().push(watched.counts()));
    let options = InstallOptions { progress: Some(std::sync::Arc::clone(&progress)), ..no_options() };
    pack::install(&s.data, &s.v1, s.trust(), &options).unwrap();

    let manifest = pack::verify(&s.v1, None).unwrap().manifest;
    let total = manifest.files.len() + manifest.modules.len() + 1;
    assert_eq!(progress.counts(), (total, total));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.first(), Some(&(0, total)), "told once the steps are counted: {seen:?}");
    assert_eq!(seen.last(), Some(&(total, total)), "and at the end: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "never backwards: {seen:?}");
}
