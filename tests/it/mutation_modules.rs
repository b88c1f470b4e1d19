//! Mutation harness for the module loader and validator: seeded mutations of real module files.
//! Every input must end in a value or a clear, located error; never a panic or a hang.
//!
//! `cargo test` runs a short pass (3,000 inputs). The full run:
//! `FARO_MUTATIONS=100000 cargo test --release --test it mutation_modules:: -- --nocapture`

use crate::common;

use common::mutate::{Rng, mutate};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use faro::load::{self, LoadedModule};
use faro::validate::{self, Context};

/// Tokens that make mutations structurally interesting rather than just noisy.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    ",",
    ":",
    "Some(",
    "None",
    "-1",
    "99999999999999999999",
    "\"en\": \"x\"",
    "goto: \"nowhere\"",
    "critical: Critical(why: {}, instead: {})",
    "id: \"\"",
    "All([All([",
    "\u{0}",
    "é",
    "\\u{ffff}",
    "//",
    "/*",
    "r#\"",
    "0x",
    "true",
    "Page(",
    "Node(",
    "choices: []",
    "pass_mark: 4294967295",
    "path: \"../../etc/passwd\"",
    "path: \"/etc/hostname\"",
];

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let mut dirs = load::module_dirs(Path::new("modules")).expect("modules/");
    dirs.push(PathBuf::from("tests/fixtures/good/minimal"));
    dirs.into_iter()
        .map(|d| {
            let bytes = std::fs::read(d.join(load::MODULE_FILE)).expect("module file");
            (d, bytes)
        })
        .collect()
}

#[test]
fn mutated_module_files_never_panic_or_hang() {
    let count: usize = std::env::var("FARO_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000);
    let seed: u64 = std::env::var("FARO_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5EED_FA20);
    let regions =
        load::parse_regions(Path::new("assets/regions.ron"), faro::bundled::REGIONS).expect("regions");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    let ctx = Context {
        today,
        regions: Some(&regions),
        terms: faro::bundled::terms().ok(),
        decode_images: false,
        pack: None,
    };
    let corpus = corpus();
    let tokens: Vec<&[u8]> = TOKENS.iter().map(|t| t.as_bytes()).collect();
    let mut rng = Rng(seed);
    let (mut parsed, mut refused, mut slowest) = (0usize, 0usize, Duration::ZERO);
    for i in 0..count {
        let (dir, original) = &corpus[i % corpus.len()];
        let input = mutate(&mut rng, original, &tokens);
        let file = dir.join(load::MODULE_FILE);
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| match String::from_utf8(input.clone()) {
            Err(_) => None,
            Ok(text) => Some(match load::parse_module(&file, &text) {
                Ok(module) => {
                    let loaded = LoadedModule { dir: dir.clone(), file: file.clone(), source: text, module };
                    Ok(validate::validate(&loaded, &ctx))
                }
                Err(d) => Err(d),
            }),
        });
        let elapsed = started.elapsed();
        slowest = slowest.max(elapsed);
        let Ok(outcome) = outcome else {
            let keep = std::env::temp_dir().join(format!("faro-mutation-{seed}-{i}.ron"));
            let _ = std::fs::write(&keep, &input);
            panic!("input {i} (seed {seed}) panicked; kept at {}", keep.display());
        };
        // A guard against hangs, not a measure of speed (the bench measures that): one input of
        // a bundled module's size takes about 0.2 s in a debug build, and a second when the
        // machine's two cores are shared with builds.
        assert!(elapsed < Duration::from_secs(5), "input {i} (seed {seed}) took {elapsed:?}");
        match outcome {
            None => refused += 1,
            Some(Err(d)) => {
                refused += 1;
                assert!(d.is_error() && !d.message.is_empty(), "input {i}: {d}");
                assert!(d.line >= 1, "a parse error has a line: input {i}: {d}");
            }
            Some(Ok(findings)) => {
                parsed += 1;
                assert!(findings.iter().all(|d| !d.message.is_empty()), "input {i}");
            }
        }
    }
    println!(
        "mutation: {count} inputs (seed {seed}): {parsed} parsed and validated, {refused} refused with an error; slowest {slowest:?}"
    );
}
