//! Writes synthetic, signed records of the bundled modules, as laptops would export them, for
//! trying an export against a learning record store (`packaging/lrs-check.sh`):
//!
//! ```sh
//! cargo run --example make_lrs_records -- OUT_DIR [LEARNERS_PER_LAPTOP]
//! ```
//!
//! Two laptops (two fixed test keys: never use them for real records), each with
//! LEARNERS_PER_LAPTOP learners (default 3) who each take every module in `modules/` once, in
//! English or Spanish, choosing at random (a fixed seed, so the files are the same every run):
//! some pass, some make a critical choice, some miss questions. Writes `laptop-1.json`,
//! `laptop-2.json`, and `laptop-1-tampered.json` (laptop 1's file with one learner's name changed
//! after signing, which exports must leave out).
//!
//! `make_lrs_records OUT_DIR --coordinator 5000` writes the records bench's set instead: 5,000
//! records of 200 learners from 100 laptops (`laptop-000.json` …), for measuring `faro records
//! merge` (see `docs/performance.md`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed run, not a crash on a laptop

use std::error::Error;
use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use faro::progress::Profile;
use faro::records::{self, DeviceKey, Record, SignedRecord};
use sha2::{Digest, Sha256};

#[path = "../tests/common/lrs_records.rs"]
mod lrs_records;

use lrs_records::{Dice, play};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: make_lrs_records OUT_DIR [LEARNERS_PER_LAPTOP | --coordinator RECORDS]";
    let out = PathBuf::from(args.next().ok_or(usage)?);
    std::fs::create_dir_all(&out)?;
    let second = args.next();
    if second.as_deref() == Some("--coordinator") {
        let count: usize = args.next().ok_or(usage)?.parse()?;
        return coordinator_files(&out, count);
    }
    let per_laptop: usize = second.map(|n| n.parse()).transpose()?.unwrap_or(3);
    let modules = lrs_records::bundled_modules()?;
    let base: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).single().ok_or("bad date")?;
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut first_file = None;
    for laptop in 1..=2 {
        let key = DeviceKey::from_secret(Sha256::digest(format!("faro lrs check: laptop {laptop}")).into());
        let mut signed: Vec<SignedRecord> = Vec::new();
        for n in 0..per_laptop {
            let label = format!("lrs-check learner {laptop}-{n}");
            let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, label.as_bytes()).to_string();
            let learner = Profile { id, name: format!("Learner {laptop}-{n}") };
            let lang = if n % 2 == 0 { "en" } else { "es" };
            for (m, (dir, module)) in modules.iter().enumerate() {
                let start =
                    base + Duration::days((laptop * 10 + n * 3 + m) as i64) + Duration::hours(n as i64);
                let attempt = play(module, lang, start, &mut dice)?;
                signed.push(key.sign(Record::from_attempt(module, dir, &attempt, &learner)?)?);
            }
        }
        let text = records::records_file_json(&signed, Some(key.public_hex()))?;
        std::fs::write(out.join(format!("laptop-{laptop}.json")), &text)?;
        first_file.get_or_insert(text);
    }
    let text = first_file.ok_or("no laptop")?;
    let tampered = text.replacen("\"learner_name\": \"Learner 1-0\"", "\"learner_name\": \"Learner 1-O\"", 1);
    if tampered == text {
        return Err("could not find a name to change".into());
    }
    std::fs::write(out.join("laptop-1-tampered.json"), tampered)?;
    eprintln!(
        "{} records of {} modules written to {}",
        2 * per_laptop * modules.len(),
        modules.len(),
        out.display()
    );
    Ok(())
}

/// `--coordinator RECORDS`: the records bench's set (see `coordinator_set`), as 100 laptops'
/// records files `laptop-000.json` … `laptop-099.json`, for measuring `faro records merge`.
fn coordinator_files(out: &std::path::Path, count: usize) -> Result<(), Box<dyn Error>> {
    let laptops = lrs_records::coordinator_set(count, 100)?;
    for (i, signed) in laptops.iter().enumerate() {
        std::fs::write(out.join(format!("laptop-{i:03}.json")), records::records_file_json(signed, None)?)?;
    }
    eprintln!("{count} records in {} files written to {}", laptops.len(), out.display());
    Ok(())
}
