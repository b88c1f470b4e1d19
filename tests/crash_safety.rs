//! Kill test: a writer process saves a learner's progress in a loop and is killed with SIGKILL at
//! random moments. After every kill the saved attempt must load as the previous or a newer state:
//! never corrupt, never missing.
//!
//! The writer is this same test binary, re-run with `FARO_WRITER_DIR` set (see `writer_child`).
//! `cargo test` kills it 150 times; the full run: `FARO_KILLS=1000 cargo test --release --test crash_safety`.

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use faro::progress::store::Loaded;
use faro::progress::{Attempt, DataDir, Event, Profiles};

const LEARNER: &str = "learner-under-test";

fn module() -> faro::format::Module {
    faro::load::load_module_dir(Path::new("tests/fixtures/good/minimal")).expect("example").module
}

/// Saves ever-growing states until killed: each save adds one choice to the log.
#[test]
#[ignore = "runs only as the child process of the kill test"]
fn writer_child() {
    let Some(dir) = std::env::var_os("FARO_WRITER_DIR") else { return };
    let data = DataDir::at(dir.into());
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
    let mut profiles = Profiles::default();
    profiles.add("Ana").expect("name");
    loop {
        // Critical choice, then retry: the log grows by one entry per round.
        attempt.apply(&m, Event::Choose("confront".into()), Utc::now()).expect("choose");
        attempt.apply(&m, Event::RetryScenario, Utc::now()).expect("retry");
        data.save_attempt(LEARNER, &attempt).expect("save attempt");
        profiles.last_used = Some(attempt.log.len().to_string());
        data.save_profiles(&profiles).expect("save profiles");
    }
}

#[test]
fn killed_writers_never_leave_corrupt_or_missing_progress() {
    let kills: usize = std::env::var("FARO_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(150);
    let dir = tempfile::tempdir().expect("temp dir");
    let data = DataDir::at(dir.path().to_owned());
    let exe = std::env::current_exe().expect("test binary");
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let mut last_len = 0usize;
    let mut saw_progress = 0;
    for round in 0..kills {
        let mut child = Command::new(&exe)
            .args(["--exact", "writer_child", "--ignored", "--nocapture"])
            .env("FARO_WRITER_DIR", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_micros(2_000 + rng % 30_000));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        match data.load_attempt(LEARNER, "minimal-example").expect("readable") {
            Loaded::Ok(a) => {
                assert!(
                    a.log.len() >= last_len,
                    "round {round}: state went back from {last_len} to {}",
                    a.log.len()
                );
                if a.log.len() > last_len {
                    saw_progress += 1;
                }
                last_len = a.log.len();
            }
            Loaded::Missing => assert_eq!(last_len, 0, "round {round}: progress vanished"),
            Loaded::Quarantined(q) => panic!("round {round}: corrupt progress: {}", q.problem),
        }
        let (_, quarantined) = data.load_profiles().expect("profiles readable");
        assert!(quarantined.is_none(), "round {round}: corrupt profiles: {quarantined:?}");
    }
    println!(
        "crash safety: {kills} kills, the saved state advanced in {saw_progress} of them, final log length {last_len}"
    );
    assert!(saw_progress > 0, "the writer made progress between kills");
}
