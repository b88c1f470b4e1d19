//! Mutation harness for packs and records files: seeded mutations of a real pack and a real
//! records file. Every input must end in a value or a clear error; never a panic or a hang.
//!
//! - target A: a small valid pack (built here from `tests/fixtures/good/minimal`), mutated byte
//!   by byte, through `faro::pack::verify`;
//! - target B: `tests/fixtures/records/records-laptop-a.json`, mutated, through
//!   `faro::records::read_records_file` and `faro::records::merge`.
//!
//! `cargo test` runs a short pass (1,500 inputs per target). The full run:
//! `FARO_MUTATIONS=100000 cargo test --release --test it mutation_packs_records:: -- --nocapture`
//! A failure names its seed and input; rerun with `FARO_SEED=<seed>` to reproduce it.

use crate::common;

use common::copy_dir;
use common::mutate::{Rng, mutate};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use faro::pack::{self, BuildOptions, PackId, SigningKey};
use faro::records::{self, MergeOptions, RowStatus, Trust};

/// Byte strings that make zip mutations structurally interesting: record signatures, extreme
/// sizes and offsets, path tricks.
const PACK_TOKENS: &[&[u8]] = &[
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"PK\x06\x06",
    b"PK\x06\x07",
    b"PK\x07\x08",
    b"\xff\xff\xff\xff",
    b"\xff\xff",
    b"\x00\x00\x00\x00",
    b"\x00\x00\x00\x80",
    b"../",
    b"/",
    b"modules/",
    b"faro-pack.ron",
    b"faro-pack.sig",
    b"\x08\x00",
    b"\x0c\x00",
];

/// Tokens for JSON records files.
const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "null",
    "true",
    "-1",
    "1e999",
    "99999999999999999999",
    "\"\"",
    "\\u0000",
    "\\ud800",
    "é",
    "\"format\": \"faro-records\"",
    "\"records\": []",
    "\"records\": [{}]",
    "\"record\": null",
    "\"signature\": \"00\"",
    "\"device_key\": \"zz\"",
    "\"ended_at\": \"9999-12-31T23:59:59Z\"",
    "\"started_at\": \"0000-01-01T00:00:00Z\"",
    "\"valid_for_months\": 4294967295",
    "\"score\": -2147483648",
    "[[[[[[[[[[[[[[[[",
];

fn settings() -> (usize, u64) {
    let count = std::env::var("FARO_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_500);
    let seed = std::env::var("FARO_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5EED_FA20);
    (count, seed)
}

/// Keeps a panicking input where it can be found, and fails with its seed and index.
fn report_panic(what: &str, seed: u64, i: usize, input: &[u8], ext: &str) -> ! {
    let keep = std::env::temp_dir().join(format!("faro-mutation-{what}-{seed}-{i}.{ext}"));
    let _ = std::fs::write(&keep, input);
    panic!("{what}: input {i} (seed {seed}) panicked; kept at {}", keep.display());
}

/// A fixed key, so the pack bytes (apart from its creation time) are the same on every run.
fn key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

/// Builds the small pack that target A mutates.
fn small_pack(dir: &Path) -> PathBuf {
    let module = dir.join("minimal");
    copy_dir(Path::new("tests/fixtures/good/minimal"), &module);
    let options = BuildOptions {
        id: PackId::new("mutation-pack").unwrap(),
        version: semver::Version::new(1, 0, 0),
        title: "Mutation pack".into(),
        publisher: "Test publisher".into(),
        created: "2026-11-25T12:00:00Z".parse().unwrap(),
    };
    let out = dir.join("small.faropack");
    pack::build(&[module], &key(), &options, &out).expect("the small pack builds");
    out
}

#[test]
fn mutated_packs_never_panic_or_hang() {
    let (count, seed) = settings();
    let tmp = tempfile::tempdir().unwrap();
    let original = std::fs::read(small_pack(tmp.path())).unwrap();
    let trusted = key().verifying_key();
    // The unmutated pack verifies, so refusals below come from the mutations.
    let file = tmp.path().join("mutant.faropack");
    std::fs::write(&file, &original).unwrap();
    pack::verify(&file, Some(&trusted)).expect("the original pack verifies");

    let tokens: Vec<&[u8]> = PACK_TOKENS.to_vec();
    let mut rng = Rng(seed);
    let (mut accepted, mut refused, mut slowest) = (0usize, 0usize, Duration::ZERO);
    for i in 0..count {
        let input = mutate(&mut rng, &original, &tokens);
        std::fs::write(&file, &input).unwrap();
        // Alternate a trusted key and none (any valid signature), to reach both paths.
        let trust = (i % 2 == 0).then_some(&trusted);
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| pack::verify(&file, trust));
        let elapsed = started.elapsed();
        slowest = slowest.max(elapsed);
        let Ok(outcome) = outcome else { report_panic("pack", seed, i, &input, "faropack") };
        assert!(elapsed < Duration::from_secs(1), "pack: input {i} (seed {seed}) took {elapsed:?}");
        match outcome {
            Ok(_) => accepted += 1,
            Err(e) => {
                refused += 1;
                assert!(!e.to_string().trim().is_empty(), "pack: input {i} (seed {seed}): empty error {e:?}");
            }
        }
    }
    println!(
        "mutation (packs): {count} inputs (seed {seed}): {accepted} verified, {refused} refused with an error; slowest {slowest:?}"
    );
}

#[test]
fn mutated_records_files_never_panic_or_hang() {
    let (count, seed) = settings();
    let original = std::fs::read("tests/fixtures/records/records-laptop-a.json").unwrap();
    let trust =
        Trust::from_entries(&["tests/fixtures/records/trusted-keys.txt".to_owned()]).expect("trusted keys");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("records.json");
    let tokens: Vec<&[u8]> = JSON_TOKENS.iter().map(|t| t.as_bytes()).collect();
    let mut rng = Rng(seed);
    let (mut read_ok, mut refused, mut rows, mut slowest) = (0usize, 0usize, 0usize, Duration::ZERO);
    for i in 0..count {
        let input = mutate(&mut rng, &original, &tokens);
        std::fs::write(&file, &input).unwrap();
        // Alternate merging with a trust list and without, to reach both paths.
        let options = MergeOptions { as_of, trust: (i % 2 == 0).then(|| trust.clone()) };
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| {
            let read = records::read_records_file(&file);
            let roster = records::merge(std::slice::from_ref(&file), &options);
            (read, roster)
        });
        let elapsed = started.elapsed();
        slowest = slowest.max(elapsed);
        let Ok((read, roster)) = outcome else { report_panic("records", seed, i, &input, "json") };
        assert!(elapsed < Duration::from_secs(1), "records: input {i} (seed {seed}) took {elapsed:?}");
        match read {
            Ok((_, problems)) => {
                read_ok += 1;
                assert!(problems.iter().all(|p| !p.message.is_empty()), "records: input {i} (seed {seed})");
            }
            Err(e) => {
                refused += 1;
                assert!(!e.to_string().trim().is_empty(), "records: input {i} (seed {seed}): empty error");
            }
        }
        assert!(roster.problems.iter().all(|p| !p.message.is_empty()), "records: input {i} (seed {seed})");
        for row in &roster.rows {
            assert!(
                row.status == RowStatus::Valid || !row.reason.is_empty(),
                "records: input {i} (seed {seed}): a {} row without a reason",
                row.status.as_str()
            );
        }
        rows += roster.rows.len();
    }
    println!(
        "mutation (records): {count} inputs (seed {seed}): {read_ok} read, {refused} refused with an error, {rows} roster rows; slowest {slowest:?}"
    );
}
