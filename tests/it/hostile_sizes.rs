//! The named hostile test "10 MB RON": ten megabytes of well-formed RON, fed to each reader of RON
//! files, is refused or set aside with a message naming the file, quickly and without a panic,
//! and the other data still loads. Module files (4 MiB cap), learner progress (16 MiB data-file
//! cap) and records in the coordinator's merge (16 MiB per record file) are here; the pack
//! manifest (4 MiB cap) is in `pack_hostile.rs`. The content is generated; no fixture is kept.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use faro::data::DataDir;
use faro::data::store::{Loaded, Quarantined};
use faro::format::Module;
use faro::progress::{Attempt, ChoiceLogEntry, Event, Profile, Profiles};
use faro::records::{self, ChoiceRecord, MergeOptions, RecordError, RowStatus, SignedRecord};

const MODULE_DIR: &str = "tests/fixtures/good/minimal";
const TEN_MB: usize = 10_000_000;
/// Just over the 16 MiB cap on data files and on record files.
const OVER_DATA_CAP: usize = 16 * 1024 * 1024 + 1;

fn minimal_text() -> String {
    std::fs::read_to_string(Path::new(MODULE_DIR).join("module.ron")).expect("read example")
}

fn module() -> Module {
    faro::load::load_module_dir(Path::new(MODULE_DIR)).expect("example").module
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 10, 0, 0).unwrap()
}

fn learner() -> Profile {
    Profile { id: "0a7e6b1c-2d3f-4e5a-8b9c-0d1e2f3a4b5c".into(), name: "Rosa".into() }
}

fn pretty<T: serde::Serialize>(value: &T) -> String {
    ron::ser::to_string_pretty(value, ron::ser::PrettyConfig::default()).unwrap()
}

/// `text` followed by a RON comment that brings it to `len` bytes: still the same value.
fn padded(mut text: String, len: usize) -> String {
    text.push_str("\n// ");
    let missing = len.saturating_sub(text.len());
    text.push_str(&"x".repeat(missing));
    text
}

/// The minimal module with its first page repeated (fresh ids each time) past 10 MB.
fn ten_mb_module() -> String {
    let text = minimal_text();
    let start = text.find("        Page(\n").expect("a page");
    let end = text.find("        Scenario(\n").expect("a scenario");
    let page = &text[start..end];
    let mut pages = String::new();
    for i in 0.. {
        if text.len() + pages.len() >= TEN_MB {
            break;
        }
        pages.push_str(&page.replacen("id: \"intro\"", &format!("id: \"intro-{i}\""), 1).replacen(
            "id: \"us-911\"",
            &format!("id: \"us-911-{i}\""),
            1,
        ));
    }
    format!("{}{pages}{}", &text[..end], &text[end..])
}

#[test]
fn ten_mb_ron_module_is_refused_by_validate_with_the_size_limit() {
    let text = ten_mb_module();
    assert!(text.len() >= TEN_MB);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    std::fs::copy(Path::new(MODULE_DIR).join("images/figure.png"), dir.path().join("images/figure.png"))
        .unwrap();
    let file = dir.path().join("module.ron");
    std::fs::write(&file, &text).unwrap();
    let expected = format!(
        "{}: error: file is larger than the 4 MiB limit; split it or remove embedded data",
        file.display()
    );

    let regions = faro::load::parse_regions(Path::new("assets/regions.ron"), faro::bundled::REGIONS).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let ctx = faro::validate::Context {
        today,
        regions: Some(&regions),
        terms: faro::bundled::terms().ok(),
        decode_images: true,
        pack: None,
    };
    let started = Instant::now();
    let report = faro::validate::check_dir(dir.path(), &ctx);
    let elapsed = started.elapsed();
    eprintln!("validate: 10 MB module refused in {elapsed:?}");
    let got: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(got, std::slice::from_ref(&expected));
    assert!(elapsed < Duration::from_secs(2), "refused in {elapsed:?}");

    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_faro"))
        .args(["validate".as_ref(), dir.path().as_os_str()])
        .output()
        .expect("faro runs");
    let elapsed = started.elapsed();
    eprintln!("faro validate: 10 MB module refused in {elapsed:?}");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stdout, format!("{expected}\n"));
    assert!(stderr.contains("1 module(s) checked: 1 error(s), 0 warning(s)"), "{stderr}");
    assert!(elapsed < Duration::from_secs(5), "faro validate took {elapsed:?}");

    // The refusal is the size cap, said before the text is read: read anyway, the same text is
    // well formed and only its length is wrong (the step limit stops it at step 201).
    let read = faro::load::parse_module(&file, &text).expect_err("over the step limit");
    assert!(read.message.contains("more than 200 steps in the module"), "{read}");
}

/// The saved text of an attempt whose log holds `entries` choices.
fn attempt_text(m: &Module, entries: usize) -> String {
    let mut a = Attempt::new(m, "en", t0());
    a.apply(m, Event::Next, t0()).unwrap();
    a.apply(m, Event::AcknowledgeNote, t0()).unwrap();
    for i in 0..entries {
        a.log.push(ChoiceLogEntry {
            step: "station".into(),
            node: "arrive".into(),
            choice: "confront".into(),
            critical: true,
            at: t0() + chrono::Duration::seconds(i as i64),
        });
    }
    pretty(&a)
}

/// A data folder with a profile, progress at another module and a record, beside the file under test.
fn data_with_other_files(root: &Path) -> DataDir {
    let data = DataDir::at(root.to_owned());
    let m = module();
    data.save_profiles(&Profiles { learners: vec![learner()], last_used: Some(learner().id) }).unwrap();
    let mut other = Attempt::new(&m, "en", t0());
    other.module_id = "second-module".into();
    data.save_attempt(&learner().id, &other).unwrap();
    records::record_attempt(
        &data,
        &m,
        Path::new(MODULE_DIR),
        &common::finished_minimal_attempt(&m, t0()),
        &learner(),
    )
    .unwrap();
    data
}

#[track_caller]
fn assert_other_files_load(data: &DataDir) {
    let (profiles, damaged) = data.load_profiles().unwrap();
    assert!(damaged.is_none(), "{damaged:?}");
    assert_eq!(profiles.learners, [learner()]);
    assert!(matches!(data.load_attempt(&learner().id, "second-module").unwrap(), Loaded::Ok(_)));
    let (recs, problems) = records::load_all(data);
    assert_eq!((recs.len(), problems.len()), (1, 0), "{problems:?}");
}

#[test]
fn ten_mb_ron_progress_file_is_set_aside_and_other_data_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_with_other_files(dir.path());
    let m = module();
    // A saved attempt with some 70,000 logged choices, cut short after the last whole entry
    // before 10 MB (a copy that stopped). Whole, it would load: 10 MB is under the 16 MiB cap.
    let mut text = attempt_text(&m, 70_000);
    assert!(text.len() > TEN_MB);
    let cut = text[..TEN_MB].rfind("),\n").expect("logged choices") + 3;
    text.truncate(cut);
    assert!(text.len() > TEN_MB - 1_000, "an entry is a few hundred bytes");
    let (path, q, elapsed) = progress_set_aside(&data, &m, &text);
    assert_eq!(q.original, path);
    // Where parsing stopped (the last line, a choice with no next one) and why.
    let last_line = text.lines().count();
    assert_eq!(q.problem, format!("{last_line}:11: Expected opening `(` for struct `ChoiceLogEntry`"));
    assert_eq!(std::fs::read(&q.kept_at).unwrap(), text.as_bytes(), "kept whole for recovery");
    assert!(elapsed < Duration::from_secs(5), "set aside in {elapsed:?}");
    assert!(matches!(data.load_attempt(&learner().id, &m.id).unwrap(), Loaded::Missing));
    assert_other_files_load(&data);
}

/// Writes `text` as the learner's progress on `m` and loads it, which must set it aside.
fn progress_set_aside(data: &DataDir, m: &Module, text: &str) -> (PathBuf, Quarantined, Duration) {
    let path = data.progress_path(&learner().id, &m.id);
    std::fs::write(&path, text).unwrap();
    let started = Instant::now();
    let loaded = data.load_attempt(&learner().id, &m.id).unwrap();
    let elapsed = started.elapsed();
    eprintln!("{} bytes of progress set aside in {elapsed:?}", text.len());
    let Loaded::Quarantined(q) = loaded else { panic!("expected the file set aside, got {loaded:?}") };
    (path, q, elapsed)
}

#[test]
fn progress_file_over_the_data_cap_is_set_aside_unparsed() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_with_other_files(dir.path());
    let m = module();
    // A whole, valid attempt, made larger than any data file by a trailing comment.
    let text = padded(attempt_text(&m, 70_000), OVER_DATA_CAP);
    faro::load::data_options().from_str::<Attempt>(&text).expect("the padded text is a valid attempt");
    let (path, q, elapsed) = progress_set_aside(&data, &m, &text);
    assert_eq!(
        (q.original.as_path(), q.problem.as_str()),
        (path.as_path(), "the file is far larger than any Faro data file")
    );
    assert!(q.kept_at.exists());
    assert!(elapsed < Duration::from_secs(2), "set aside in {elapsed:?}");
    assert_other_files_load(&data);
}

/// `signed` grown to about 10 MB of RON by 60,000 more logged choices; its signature is kept, so
/// it no longer matches.
fn inflated(signed: &SignedRecord) -> SignedRecord {
    let mut forged = signed.clone();
    forged.record.id = "5d162e5e-b92d-552f-a3df-75b00a705f9b".into();
    forged.record.learner_name = "Mallory".into();
    for i in 0..60_000 {
        forged.record.choices.push(ChoiceRecord {
            step: "station".into(),
            node: "arrive".into(),
            choice: "note".into(),
            critical: false,
            at: t0() + chrono::Duration::seconds(i),
        });
    }
    forged
}

/// A laptop's data folder, under `dir`, holding one genuine record of Rosa's.
fn laptop_with_one_record(dir: &Path) -> (PathBuf, records::Saved) {
    let laptop = dir.join("laptop");
    let data = DataDir::at(laptop.clone());
    let m = module();
    let genuine = records::record_attempt(
        &data,
        &m,
        Path::new(MODULE_DIR),
        &common::finished_minimal_attempt(&m, t0()),
        &learner(),
    )
    .unwrap();
    (laptop, genuine)
}

#[test]
fn ten_mb_ron_records_are_never_accepted_by_the_coordinator_merge() {
    let dir = tempfile::tempdir().unwrap();
    let (laptop, genuine) = laptop_with_one_record(dir.path());
    let options = MergeOptions { as_of: NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(), trust: None };

    // A copy of another laptop's data folder holding a 10 MB record file.
    let text = pretty(&inflated(&genuine.record));
    assert!(text.len() >= TEN_MB, "{} bytes", text.len());
    let hostile = dir.path().join("hostile");
    let records_dir = hostile.join("learners").join("x").join("records");
    std::fs::create_dir_all(&records_dir).unwrap();
    std::fs::write(records_dir.join("5d162e5e-b92d-552f-a3df-75b00a705f9b.ron"), &text).unwrap();
    let started = Instant::now();
    let roster = records::merge(&[laptop.clone(), hostile], &options);
    let elapsed = started.elapsed();
    eprintln!("merge with a 10 MB record file in {elapsed:?}");
    assert!(roster.problems.is_empty(), "{:?}", roster.problems);
    let statuses: Vec<(&str, RowStatus)> =
        roster.rows.iter().map(|r| (r.record.learner_name.as_str(), r.status)).collect();
    assert_eq!(statuses, [("Mallory", RowStatus::Tampered), ("Rosa", RowStatus::Valid)]);
    let reason = &roster.rows[0].reason;
    assert!(reason.contains("the record was changed after it was signed"), "{reason}");
    assert!(elapsed < Duration::from_secs(10), "merged in {elapsed:?}");

    // The same RON given as a records file (the JSON that `faro records export` writes).
    let as_file = dir.path().join("laptop-b.json");
    std::fs::write(&as_file, &text).unwrap();
    let err = records::read_records_file(&as_file).expect_err("not a records file");
    assert!(matches!(err, RecordError::NotRecordsFile { .. }), "{err}");
    let message = err.to_string();
    assert!(message.starts_with(&format!("{}: not a Faro records file", as_file.display())), "{message}");
    assert!(message.contains("not valid JSON at line 1, column 1"), "{message}");
    let roster = records::merge(&[laptop.clone(), as_file.clone()], &options);
    assert_eq!(roster.rows.len(), 1);
    assert_eq!(roster.problems.len(), 1, "{:?}", roster.problems);
    assert_eq!(roster.problems[0].path, as_file);
}

#[test]
fn record_file_over_the_cap_is_refused_unread_by_the_merge() {
    let dir = tempfile::tempdir().unwrap();
    let (laptop, genuine) = laptop_with_one_record(dir.path());
    // An authentic record, made larger than any record file by a trailing comment.
    let text = padded(std::fs::read_to_string(&genuine.path).unwrap(), OVER_DATA_CAP);
    let parsed: SignedRecord = faro::load::data_options().from_str(&text).expect("still the record");
    parsed.verify().expect("still authentic");
    let big = dir.path().join("copy").join("learners").join("y").join("records").join("big.ron");
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    std::fs::write(&big, &text).unwrap();

    let options = MergeOptions { as_of: NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(), trust: None };
    let started = Instant::now();
    let roster = records::merge(&[laptop, dir.path().join("copy")], &options);
    let elapsed = started.elapsed();
    eprintln!("record file over the cap refused in {elapsed:?}");
    assert_eq!(roster.rows.len(), 1, "only the record of the laptop");
    let problems: Vec<String> = roster.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [format!(
            "{}: unreadable record: the file is larger than the 16 MiB limit, far larger than any record",
            big.display()
        )]
    );
    assert!(elapsed < Duration::from_secs(2), "refused in {elapsed:?}");
}
