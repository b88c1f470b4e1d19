//! Kill test: a writer process saves a learner's progress and profiles, records finished attempts
//! (signed completion records) and makes installation keys, in a loop, and is killed with SIGKILL
//! at random moments. After every kill the saved data must be the previous or a newer state:
//! progress never goes back, records are never lost, changed or half-written, keys always load.
//!
//! The writer is this same test binary, re-run with `FARO_WRITER_DIR` set (see `writer_child`).
//! `cargo test` kills it 150 times; the full run: `FARO_KILLS=1000 cargo test --test it crash_safety::`
//! (add `--release` for a faster writer, hence more writes per kill).

#![cfg(unix)]

use crate::common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use faro::data::DataDir;
use faro::data::store::Loaded;
use faro::progress::{Attempt, Event, Profile, Profiles};
use faro::records::{self, DEVICE_KEY_FILE, DeviceKey, MergeOptions, RowStatus, SignedRecord, Trust};

const MODULE_DIR: &str = "tests/fixtures/good/minimal";
const MODULE_ID: &str = "minimal-example";
/// The learner whose one attempt grows without end (progress is rewritten in place).
const LEARNER: &str = "learner-under-test";
/// The learner who finishes an attempt every round; each one is recorded.
const RECORDER: &str = "0a7e6b1c-2d3f-4e5a-8b9c-0d1e2f3a4b5c";
/// Folder of the data directory under which the writer makes new installations' keys.
const INSTALLS: &str = "new-installs";

fn module() -> faro::format::Module {
    faro::load::load_module_dir(Path::new(MODULE_DIR)).expect("example").module
}

fn recorder() -> Profile {
    Profile { id: RECORDER.to_owned(), name: "Rosa".to_owned() }
}

/// Saves ever-growing states until killed: each round adds one choice to one learner's log, and
/// records one more finished attempt of another learner, as the app does (record, then progress).
#[test]
#[ignore = "runs only as the child process of the kill test"]
fn writer_child() {
    let Some(dir) = std::env::var_os("FARO_WRITER_DIR") else { return };
    let dir = PathBuf::from(dir);
    let data = DataDir::at(dir.clone());
    let m = module();
    let mut attempt = match data.load_attempt(LEARNER, &m.id) {
        Ok(Loaded::Ok(a)) => a,
        _ => {
            let mut a = Attempt::new(&m, "en", Utc::now());
            a.apply(&m, Event::Next, Utc::now()).expect("next");
            a.apply(&m, Event::AcknowledgeNote, Utc::now()).expect("note");
            a
        }
    };
    let mut profiles = Profiles {
        learners: vec![Profile { id: LEARNER.to_owned(), name: "Ana".to_owned() }, recorder()],
        last_used: None,
    };
    if let Some(ready) = std::env::var_os("FARO_WRITER_READY") {
        std::fs::write(ready, b"").expect("ready marker");
    }
    for round in 0u64.. {
        // Critical choice, then retry: the log grows by one entry per round.
        attempt.apply(&m, Event::Choose("confront".into()), Utc::now()).expect("choose");
        attempt.apply(&m, Event::RetryScenario, Utc::now()).expect("retry");
        data.save_attempt(LEARNER, &attempt).expect("save attempt");
        profiles.last_used = Some(attempt.log.len().to_string());
        data.save_profiles(&profiles).expect("save profiles");

        // The app's order when an attempt ends (`record_finished_attempt`, then `save_current`):
        // the key is made on first use, the record signed and stored, then the progress saved.
        let done = common::finished_minimal_attempt(&m, Utc::now() - chrono::Duration::minutes(10));
        records::record_attempt(&data, &m, Path::new(MODULE_DIR), &done, &recorder()).expect("record");
        data.save_attempt(RECORDER, &done).expect("save finished attempt");

        // A first run somewhere else: a new installation makes its key.
        let install = dir.join(INSTALLS).join(format!("{}-{round}", std::process::id()));
        DeviceKey::load_or_create(&DataDir::at(install)).expect("new installation key");
    }
}

/// Microseconds over which to spread a kill: three of the writer's rounds as long as one takes
/// here and now (at least 40 ms, at most 2 s). A fixed window missed whole rounds on a loaded
/// machine, where every flush to disk waits (all tests share one process and 2 cores).
fn kill_window(scratch: &Path) -> u64 {
    let data = DataDir::at(scratch.join("timing"));
    let m = module();
    let started = Instant::now();
    let done = common::finished_minimal_attempt(&m, Utc::now() - chrono::Duration::minutes(10));
    data.save_attempt(LEARNER, &done).expect("save attempt");
    let profiles = Profiles { learners: vec![recorder()], last_used: None };
    data.save_profiles(&profiles).expect("save profiles");
    records::record_attempt(&data, &m, Path::new(MODULE_DIR), &done, &recorder()).expect("record");
    data.save_attempt(RECORDER, &done).expect("save finished attempt");
    DeviceKey::load_or_create(&DataDir::at(scratch.join("timing-install"))).expect("installation key");
    let one = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    one.saturating_mul(3).clamp(40_000, 2_000_000)
}

/// What the checks have seen so far, carried from one kill to the next.
#[derive(Default)]
struct Seen {
    /// Length of the growing attempt's log, and in how many rounds it grew.
    log_len: usize,
    progress_advanced: usize,
    /// Every record found so far, by id: none may vanish or change.
    records: HashMap<String, SignedRecord>,
    /// Rounds in which new records appeared.
    records_advanced: usize,
    /// The installation key (public, hex), once it exists: it must never change.
    key: Option<String>,
    /// New installations whose key was whole, and those killed before their key existed.
    install_keys_complete: usize,
    install_keys_interrupted: usize,
    /// Temporary files in the records folder after the last kill (left by kills, never read).
    temp_files_now: usize,
}

#[test]
fn killed_writers_never_leave_corrupt_or_missing_progress_or_records() {
    let kills: usize = std::env::var("FARO_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(150);
    let dir = tempfile::tempdir().expect("temp dir");
    let data = DataDir::at(dir.path().to_owned());
    let exe = std::env::current_exe().expect("test binary");
    let started = Instant::now();
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let mut seen = Seen::default();
    // Outside the data folder, whose every file the checks below look at.
    let marker_dir = tempfile::tempdir().expect("temp dir");
    let ready = marker_dir.path().join("ready");
    let window = kill_window(marker_dir.path());
    for round in 0..kills {
        let _ = std::fs::remove_file(&ready);
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_safety::writer_child", "--ignored", "--nocapture"])
            .env("FARO_WRITER_DIR", dir.path())
            .env("FARO_WRITER_READY", &ready)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        // The kill lands during the writes, not while the test binary starts.
        let waiting = Instant::now();
        while !ready.exists() && waiting.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_micros(2_000 + rng % window));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        check_progress(&data, round, &mut seen);
        check_key(&data, round, &mut seen);
        check_records(&data, round, &mut seen);
        check_new_installations(&dir.path().join(INSTALLS), round, &mut seen);
        if round % 50 == 49 || round + 1 == kills {
            check_merge(&data, round, &seen);
        }
    }
    println!(
        "crash safety: {kills} kills in {:.1?}; progress advanced in {} of them (final log length {}), \
         records in {} ({} records, all verified); {} new installation keys checked whole, {} \
         installations killed before their key existed; {} temporary files left in the records \
         folder (never read)",
        started.elapsed(),
        seen.progress_advanced,
        seen.log_len,
        seen.records_advanced,
        seen.records.len(),
        seen.install_keys_complete,
        seen.install_keys_interrupted,
        seen.temp_files_now,
    );
    assert!(seen.progress_advanced > 0, "the writer made progress between kills");
    assert!(seen.records_advanced > 0, "the writer made records between kills");
    assert!(seen.install_keys_complete > 0, "the writer made installation keys between kills");
}

/// The growing attempt is as long or longer than before; profiles load whole.
fn check_progress(data: &DataDir, round: usize, seen: &mut Seen) {
    match data.load_attempt(LEARNER, MODULE_ID).expect("readable") {
        Loaded::Ok(a) => {
            let len = a.log.len();
            assert!(len >= seen.log_len, "round {round}: state went back from {} to {len}", seen.log_len);
            if len > seen.log_len {
                seen.progress_advanced += 1;
            }
            seen.log_len = len;
        }
        Loaded::Missing => assert_eq!(seen.log_len, 0, "round {round}: progress vanished"),
        Loaded::Quarantined(q) => panic!("round {round}: corrupt progress: {}", q.problem),
    }
    let (profiles, quarantined) = data.load_profiles().expect("profiles readable");
    assert!(quarantined.is_none(), "round {round}: corrupt profiles: {quarantined:?}");
    assert!(
        profiles.learners.is_empty() || profiles.learners.len() == 2,
        "round {round}: profiles half-written: {profiles:?}"
    );
}

/// The installation key loads whenever it exists (never damaged, never set aside), and it is
/// the same key every time.
fn check_key(data: &DataDir, round: usize, seen: &mut Seen) {
    match DeviceKey::load(data) {
        Ok(Some(key)) => {
            let public = key.public_hex();
            if let Some(before) = &seen.key {
                assert_eq!(before, &public, "round {round}: the installation key changed");
            }
            seen.key = Some(public);
        }
        Ok(None) => assert!(seen.key.is_none(), "round {round}: the installation key vanished"),
        Err(e) => panic!("round {round}: damaged installation key: {e}"),
    }
    for name in file_names(data.root()) {
        assert!(
            !name.starts_with(&format!("{DEVICE_KEY_FILE}.corrupt")),
            "round {round}: the installation key was set aside as damaged: {name}"
        );
    }
}

/// Every record file loads through the app's loader and verifies; none vanished or changed; the
/// only other files in the records folder are temporary files left by a kill, which the loader
/// never reads; a finished attempt on disk already has its record (the record is written first).
fn check_records(data: &DataDir, round: usize, seen: &mut Seen) {
    let (loaded, problems) = records::load_all(data);
    assert!(problems.is_empty(), "round {round}: damaged records: {problems:?}");
    let before = seen.records.len();
    let ids: std::collections::HashSet<&str> = loaded.iter().map(|r| r.record.id.as_str()).collect();
    assert_eq!(ids.len(), loaded.len(), "round {round}: a record is stored twice");
    for r in &loaded {
        match seen.records.get(&r.record.id) {
            Some(old) => assert_eq!(old, r, "round {round}: record {} changed", r.record.id),
            None => {
                r.verify().unwrap_or_else(|e| panic!("round {round}: record {}: {e}", r.record.id));
                assert_eq!(
                    Some(&r.device_key),
                    seen.key.as_ref(),
                    "round {round}: record {} is not signed by the installation key",
                    r.record.id
                );
                seen.records.insert(r.record.id.clone(), r.clone());
            }
        }
    }
    assert_eq!(
        loaded.len(),
        seen.records.len(),
        "round {round}: records vanished ({before} before, {} loaded now)",
        loaded.len()
    );
    if seen.records.len() > before {
        seen.records_advanced += 1;
    }
    let folder = data.root().join("learners").join(RECORDER).join("records");
    let mut record_files = 0;
    seen.temp_files_now = 0;
    for name in file_names(&folder) {
        if name.ends_with(".ron") && !name.starts_with('.') {
            record_files += 1;
        } else if name.starts_with('.') && name.ends_with(".tmp") {
            seen.temp_files_now += 1;
        } else {
            panic!("round {round}: unexpected file in the records folder: {name}");
        }
    }
    assert_eq!(record_files, loaded.len(), "round {round}: a record file was not loaded");
    match data.load_attempt(RECORDER, MODULE_ID).expect("readable") {
        Loaded::Ok(a) => {
            let finished = a.finished.expect("only finished attempts are saved for the recorder");
            let recorded = seen.records.values().any(|r| r.record.ended == finished.at);
            assert!(recorded, "round {round}: a finished attempt was saved without its record");
        }
        Loaded::Missing => {}
        Loaded::Quarantined(q) => panic!("round {round}: corrupt finished attempt: {}", q.problem),
    }
}

/// Keys made by new installations load or do not exist yet; never half-written. Checked folders
/// are removed so that each round checks only the keys made since the last kill.
fn check_new_installations(installs: &Path, round: usize, seen: &mut Seen) {
    for name in file_names(installs) {
        let install = installs.join(&name);
        match DeviceKey::load(&DataDir::at(install.clone())) {
            Ok(Some(_)) => seen.install_keys_complete += 1,
            Ok(None) => seen.install_keys_interrupted += 1,
            Err(e) => panic!("round {round}: installation {name}: damaged key: {e}"),
        }
        for file in file_names(&install) {
            let temp = file.starts_with(&format!(".{DEVICE_KEY_FILE}.")) && file.ends_with(".tmp");
            assert!(file == DEVICE_KEY_FILE || temp, "round {round}: installation {name}: unexpected {file}");
        }
        std::fs::remove_dir_all(&install).expect("remove checked installation");
    }
}

/// The coordinator's merge of a copy of the data directory finds every record valid and
/// trusted, and reads nothing else (progress, keys, temporary files).
fn check_merge(data: &DataDir, round: usize, seen: &Seen) {
    let Some(key) = &seen.key else { return };
    let trust = Trust::from_entries(std::slice::from_ref(key)).expect("trust entry");
    let options = MergeOptions { as_of: Utc::now().date_naive(), trust: Some(trust) };
    let roster = records::merge(&[data.root().to_owned()], &options);
    assert!(roster.problems.is_empty(), "round {round}: merge problems: {:?}", roster.problems);
    assert_eq!(roster.rows.len(), seen.records.len(), "round {round}: merge found other records");
    assert_eq!(roster.count(RowStatus::Valid), roster.rows.len(), "round {round}: invalid rows");
}

/// The names of the entries of a folder (none if it does not exist).
fn file_names(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            entries.map(|e| e.expect("folder entry").file_name().to_string_lossy().into_owned()).collect()
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("cannot list {}: {e}", dir.display()),
    }
}
