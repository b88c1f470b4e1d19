//! Writes the completion-record fixtures in `tests/fixtures/records/` (run once, then commit):
//!
//! ```sh
//! cargo run --example make_record_fixtures
//! ```
//!
//! - `sample-data/`: a data directory with two learners, their progress, three signed records
//!   and a device key (a fixed test key: never use it for real records);
//! - `records-laptop-a.json`: that directory's records, exported;
//! - `records-laptop-b.json`: one record from a second laptop (another test key);
//! - `records-tampered.json`: laptop A's export with one character of a learner name changed;
//! - `trusted-keys.txt`: a coordinator's trust list holding laptop A's key only.
//!
//! Records use the fixture module `tests/fixtures/good/minimal`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed run, not a crash on a laptop

use std::error::Error;
use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use faro::data::DataDir;
use faro::format::Module;
use faro::progress::{Attempt, Event, Profile, Profiles};
use faro::records::{self, DeviceKey, Record};
use sha2::{Digest, Sha256};

const OUT: &str = "tests/fixtures/records";
const MODULE_DIR: &str = "tests/fixtures/good/minimal";

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Result<DateTime<Utc>, Box<dyn Error>> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().ok_or_else(|| "bad date".into())
}

/// A fixed test key, derived from a label so the fixtures can be remade identically.
fn test_key(label: &str) -> DeviceKey {
    DeviceKey::from_secret(Sha256::digest(label.as_bytes()).into())
}

/// Plays the minimal module: optionally a critical choice first (then a retry), then the safe
/// path, then answers the check (correctly or not). Each event is 30 seconds after the last.
fn play(
    module: &Module,
    lang: &str,
    start: DateTime<Utc>,
    critical_first: bool,
    answer: &str,
) -> Result<Attempt, Box<dyn Error>> {
    let mut t = start;
    let mut a = Attempt::new(module, lang, t);
    let mut step = |a: &mut Attempt, e: Event| -> Result<(), Box<dyn Error>> {
        t += chrono::Duration::seconds(30);
        a.apply(module, e, t).map_err(|e| e.to_string().into())
    };
    step(&mut a, Event::Next)?;
    step(&mut a, Event::AcknowledgeNote)?;
    if critical_first {
        step(&mut a, Event::Choose("confront".into()))?;
        step(&mut a, Event::RetryScenario)?;
    }
    step(&mut a, Event::Choose("note".into()))?;
    step(&mut a, Event::Choose("hotline".into()))?;
    step(&mut a, Event::Next)?;
    step(&mut a, Event::Answer { question: "q1".into(), answers: vec![answer.into()] })?;
    step(&mut a, Event::Next)?;
    Ok(a)
}

fn main() -> Result<(), Box<dyn Error>> {
    let module = faro::load::load_module_dir(Path::new(MODULE_DIR)).map_err(|d| d.to_string())?.module;
    let out = Path::new(OUT);
    let sample = out.join("sample-data");
    if sample.exists() {
        std::fs::remove_dir_all(&sample)?;
    }
    let data = DataDir::at(sample.clone());

    let ana = Profile { id: "3f6c1a52-9a0e-4c1b-8f0e-5b7d2a9c4e10".into(), name: "Ana".into() };
    let luis = Profile { id: "b82e7d04-61f3-4a9c-9d25-0c4e8f1a7b33".into(), name: "Luis".into() };
    data.save_profiles(&Profiles {
        learners: vec![ana.clone(), luis.clone()],
        last_used: Some(luis.id.clone()),
    })?;

    let key_a = test_key("faro test fixture: laptop A");
    key_a.save_new(&data)?;

    // Ana passes in English; Luis passes in Spanish after a critical choice, a year
    // earlier (expired by mid-2026), then fails the check in a later attempt.
    let attempts = [
        (&ana, play(&module, "en", at(2026, 1, 10, 9, 0, 0)?, false, "false")?),
        (&luis, play(&module, "es", at(2025, 6, 1, 14, 0, 0)?, true, "false")?),
        (&luis, play(&module, "es", at(2026, 2, 15, 16, 0, 0)?, false, "true")?),
    ];
    let mut signed = Vec::new();
    for (learner, attempt) in &attempts {
        let record = Record::from_attempt(&module, Path::new(MODULE_DIR), attempt, learner)?;
        let s = key_a.sign(record)?;
        records::save(&data, &s)?;
        data.save_attempt(&learner.id, attempt)?;
        signed.push(s);
    }
    let (loaded, problems) = records::load_all(&data);
    if !problems.is_empty() || loaded.len() != 3 {
        return Err(format!("fixture data did not read back: {problems:?}").into());
    }
    let export_a = records::records_file_json(&loaded, Some(key_a.public_hex()))?;
    std::fs::write(out.join("records-laptop-a.json"), &export_a)?;

    // One character of Ana's name changed: the signature no longer matches.
    let tampered = export_a.replacen("\"learner_name\": \"Ana\"", "\"learner_name\": \"Ama\"", 1);
    if tampered == export_a {
        return Err("could not find the name to tamper with".into());
    }
    std::fs::write(out.join("records-tampered.json"), tampered)?;

    let key_b = test_key("faro test fixture: laptop B");
    let marta = Profile { id: "e5a9c3f1-07b2-4d6e-a1c8-9f3b5d7e2a64".into(), name: "Marta".into() };
    let attempt = play(&module, "en", at(2026, 3, 2, 11, 0, 0)?, false, "false")?;
    let record = key_b.sign(Record::from_attempt(&module, Path::new(MODULE_DIR), &attempt, &marta)?)?;
    std::fs::write(
        out.join("records-laptop-b.json"),
        records::records_file_json(&[record], Some(key_b.public_hex()))?,
    )?;

    std::fs::write(
        out.join("trusted-keys.txt"),
        format!("# laptop A (test fixture key)\n{}\n", key_a.public_hex()),
    )?;
    println!("wrote {OUT}: laptop A key {}, laptop B key {}", key_a.fingerprint(), key_b.fingerprint());
    Ok(())
}
