//! `faro records` as learners' laptops and coordinators use it, on the fixtures in
//! `tests/fixtures/records/` (made by `cargo run --example make_record_fixtures`).

use crate::common;

use common::copy_dir;

use common::cli::{Ran, faro_with};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

const SAMPLE: &str = "tests/fixtures/records/sample-data";
const LAPTOP_A: &str = "tests/fixtures/records/records-laptop-a.json";
const LAPTOP_B: &str = "tests/fixtures/records/records-laptop-b.json";
const TAMPERED: &str = "tests/fixtures/records/records-tampered.json";
const TRUSTED: &str = "tests/fixtures/records/trusted-keys.txt";
const ANA: &str = "3f6c1a52-9a0e-4c1b-8f0e-5b7d2a9c4e10";
const LUIS: &str = "b82e7d04-61f3-4a9c-9d25-0c4e8f1a7b33";

/// The folder holding the records' module, `tests/fixtures/good/minimal`.
const MODULES: &str = "tests/fixtures/good";

/// Runs `faro` with `FARO_DATA_DIR=data`, the records' module on hand (`FARO_MODULES_DIR`);
/// returns exit code, stdout, stderr.
fn faro(data: &Path, args: &[&str]) -> Ran {
    faro_with(Some(data), Some(Path::new(MODULES)), args)
}

/// A scratch copy of the sample data directory, so tests that change it leave the fixture alone.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(SAMPLE), dir.path());
    dir
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok() && s == s.to_ascii_lowercase()
}

fn is_iso_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("PT") else { return false };
    let mut digits = 0;
    let mut units = Vec::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if "HMS".contains(c) && digits > 0 {
            units.push(c);
            digits = 0;
        } else {
            return false;
        }
    }
    digits == 0 && !units.is_empty() && units.windows(2).all(|w| "HMS".find(w[0]) < "HMS".find(w[1]))
}

/// The xAPI 1.0.3 fields a learning record store requires, checked statement by statement.
fn check_statement(s: &Value) {
    let ctx = format!("in statement {s:#}");
    assert!(is_uuid(s["id"].as_str().unwrap_or("")), "id is a UUID {ctx}");
    assert!(s.get("version").is_none(), "a provider should not set version (xAPI 1.0.3 §2.4.10) {ctx}");
    assert_eq!(s["actor"]["objectType"], "Agent", "{ctx}");
    let home = s["actor"]["account"]["homePage"].as_str().unwrap_or("");
    assert!(home.starts_with("https://") && home.len() > 8, "homePage is a locator {ctx}");
    assert!(!s["actor"]["account"]["name"].as_str().unwrap_or("").is_empty(), "{ctx}");
    let verb = s["verb"]["id"].as_str().unwrap_or("");
    assert!(verb.starts_with("http://adlnet.gov/expapi/verbs/"), "{ctx}");
    assert!(!s["verb"]["display"]["en-US"].as_str().unwrap_or("").is_empty(), "{ctx}");
    assert_eq!(s["object"]["objectType"], "Activity", "{ctx}");
    let object = s["object"]["id"].as_str().unwrap_or("");
    assert!(object.starts_with("urn:faro:module:minimal-example"), "{ctx}");
    if let Some(score) = s["result"].get("score") {
        let scaled = score["scaled"].as_f64().expect("scaled is a number");
        assert!((-1.0..=1.0).contains(&scaled), "{ctx}");
    }
    assert!(s["result"]["success"].is_boolean(), "{ctx}");
    assert_ne!(s["result"]["response"], "", "no empty response {ctx}");
    if let Some(d) = s["result"].get("duration") {
        assert!(is_iso_duration(d.as_str().unwrap_or("")), "duration {d} {ctx}");
    }
    let ts = s["timestamp"].as_str().unwrap_or("");
    assert!(chrono::DateTime::parse_from_rfc3339(ts).is_ok(), "{ctx}");
    assert!(is_uuid(s["context"]["registration"].as_str().unwrap_or("")), "{ctx}");
    assert_eq!(s["context"]["extensions"]["urn:faro:ext:module-version"], "1.0.0", "{ctx}");
}

#[test]
fn xapi_export_has_required_fields_and_stable_ids() {
    // A copy: an xAPI export unpacks the built-in modules into the data folder, as the app does.
    let data = sample_copy();
    let (code, first, stderr) = faro(data.path(), &["records", "export", "--format", "xapi"]);
    assert_eq!(code, 0, "{stderr}");
    let statements: Vec<Value> = serde_json::from_str(&first).expect("a JSON array");
    // Per record: completed, passed/failed, one per scenario choice, one per check question.
    assert_eq!(statements.len(), 6 + 5 + 5);
    for s in &statements {
        check_statement(s);
    }
    let verbs: Vec<&str> = statements.iter().filter_map(|s| s["verb"]["id"].as_str()).collect();
    let count = |v: &str| verbs.iter().filter(|x| x.ends_with(v)).count();
    assert_eq!((count("/completed"), count("/passed"), count("/failed"), count("/answered")), (3, 2, 1, 10));
    let ana_done = statements
        .iter()
        .find(|s| {
            s["actor"]["account"]["name"] == ANA && s["verb"]["id"].as_str().unwrap().ends_with("/completed")
        })
        .unwrap();
    assert_eq!(ana_done["result"]["duration"], "PT3M30S");
    assert_eq!(ana_done["result"]["score"]["scaled"], 1.0);
    let critical = statements.iter().find(|s| s["result"]["response"] == "confront").unwrap();
    assert_eq!(critical["result"]["success"], false);
    let ids: HashSet<&str> = statements.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids.len(), statements.len(), "ids are unique");

    let (_, second, _) = faro(data.path(), &["records", "export", "--format", "xapi", "--out", "-"]);
    assert_eq!(first, second, "a second export gives the same statements and ids");
}

/// Ana's record in a copy of the sample data, with her name changed after signing.
fn sample_with_tampered_ana() -> tempfile::TempDir {
    let data = sample_copy();
    let records = data.path().join("learners").join(ANA).join("records");
    let file = std::fs::read_dir(&records).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("learner_name: \"Ana\"", "learner_name: \"Ama\"", 1);
    assert_ne!(edited, text);
    std::fs::write(&file, edited).unwrap();
    data
}

fn tampered_mark(s: &Value) -> Option<&str> {
    s["context"]["extensions"]["urn:faro:ext:tampered"].as_str()
}

#[test]
fn tampered_records_are_left_out_of_csv_and_xapi_unless_asked_for() {
    let data = sample_with_tampered_ana();
    let (code, csv_text, stderr) = faro(data.path(), &["records", "export", "--format", "csv"]);
    assert_eq!(code, 1, "a tampered record is a problem found: {stderr}");
    assert!(stderr.contains("(Ama, minimal-example)") && stderr.contains("left out"), "{stderr}");
    assert!(!csv_text.contains("Ama"), "{csv_text}");
    assert_eq!(csv_text.lines().count(), 1 + 2);

    let (code, csv_text, _) =
        faro(data.path(), &["records", "export", "--format", "csv", "--include-tampered"]);
    assert_eq!(code, 1);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().next_back(), Some("signature"));
    let marks: Vec<(String, String)> = reader
        .records()
        .map(Result::unwrap)
        .map(|r| {
            (
                r[headers.iter().position(|h| h == "learner_name").unwrap()].to_owned(),
                r[r.len() - 1].to_owned(),
            )
        })
        .collect();
    assert_eq!(
        marks.iter().filter(|(_, m)| m == "tampered").collect::<Vec<_>>(),
        [&("Ama".to_owned(), "tampered".to_owned())]
    );
    assert_eq!(marks.iter().filter(|(_, m)| m == "valid").count(), 2);

    let (code, json, stderr) = faro(data.path(), &["records", "export", "--format", "xapi"]);
    assert_eq!(code, 1, "{stderr}");
    let statements: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(statements.len(), 6 + 5, "Ana's five statements are left out");
    assert!(statements.iter().all(|s| s["actor"]["account"]["name"] != ANA && tampered_mark(s).is_none()));

    let (code, json, _) = faro(data.path(), &["records", "export", "--format", "xapi", "--include-tampered"]);
    assert_eq!(code, 1);
    let statements: Vec<Value> = serde_json::from_str(&json).unwrap();
    let marked: Vec<&Value> = statements.iter().filter(|s| tampered_mark(s).is_some()).collect();
    assert_eq!((statements.len(), marked.len()), (16, 5));
    assert!(marked.iter().all(|s| s["actor"]["account"]["name"] == ANA));

    let (code, _, stderr) =
        faro(data.path(), &["records", "export", "--format", "faro", "--include-tampered"]);
    assert_eq!(code, 2, "{stderr}");
}

/// Runs `merge` with `--xapi`; returns the exit code, the statements and stderr.
fn merge_xapi(inputs: &[&str], extra: &[&str], modules: Option<&str>) -> (i32, Vec<Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let (roster, xapi) = (dir.path().join("roster.csv"), dir.path().join("statements.json"));
    let mut args = vec!["records", "merge"];
    args.extend(inputs);
    args.extend([
        "--out",
        roster.to_str().unwrap(),
        "--xapi",
        xapi.to_str().unwrap(),
        "--as-of",
        "2026-03-01",
    ]);
    args.extend(extra);
    let (code, _, stderr) = faro_with(Some(dir.path()), modules.map(Path::new), &args);
    let statements =
        std::fs::read_to_string(&xapi).map(|t| serde_json::from_str(&t).unwrap()).unwrap_or_default();
    (code, statements, stderr)
}

#[test]
fn merge_writes_xapi_from_collected_files() {
    let (code, statements, stderr) = merge_xapi(&[LAPTOP_A, LAPTOP_B, LAPTOP_A], &[], Some(MODULES));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(statements.len(), 16 + 5, "one set per record, repeats merged: {stderr}");
    for s in &statements {
        check_statement(s);
    }
    let ids: HashSet<&str> = statements.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids.len(), statements.len());
    // The same records exported on the laptop give the same statements.
    let data = sample_copy();
    let (_, local, _) = faro(data.path(), &["records", "export", "--format", "xapi"]);
    let local: Vec<Value> = serde_json::from_str(&local).unwrap();
    assert!(local.iter().all(|s| statements.contains(s)), "laptop and coordinator agree");

    let homepage = ["--homepage", "https://training.example.org"];
    let (code, statements, stderr) = merge_xapi(&[TAMPERED, LAPTOP_B], &homepage, Some(MODULES));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("1 tampered record(s) left out of the xAPI file"), "{stderr}");
    assert_eq!(statements.len(), 11 + 5);
    assert!(statements.iter().all(|s| s["actor"]["account"]["homePage"] == "https://training.example.org"));
    let (_, statements, _) = merge_xapi(&[TAMPERED, LAPTOP_B], &["--include-tampered"], Some(MODULES));
    assert_eq!(statements.iter().filter(|s| tampered_mark(s).is_some()).count(), 5);
}

#[test]
fn xapi_without_the_module_leaves_answers_out_and_says_why() {
    let (code, statements, stderr) = merge_xapi(&[LAPTOP_B], &[], None);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(statements.len(), 2, "completed and passed, which need no module texts");
    assert!(
        stderr.contains("module minimal-example 1.0.0") && stderr.contains("FARO_MODULES_DIR"),
        "{stderr}"
    );
}

#[test]
fn the_home_page_must_be_a_web_address() {
    let (code, _, stderr) = merge_xapi(&[LAPTOP_B], &["--homepage", "urn:faro:device:x"], Some(MODULES));
    assert_eq!(code, 2);
    assert!(stderr.contains("does not start with https://"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    let args =
        ["records", "merge", LAPTOP_B, "--out", roster.to_str().unwrap(), "--homepage", "https://x.org"];
    assert_eq!(faro(dir.path(), &args).0, 2, "--homepage needs --xapi");
    let data = sample_copy();
    let args = ["records", "export", "--format", "csv", "--homepage", "https://x.org"];
    assert_eq!(faro(data.path(), &args).0, 2, "--homepage is for xapi");
}

#[test]
fn faro_and_csv_exports_carry_every_record() {
    let data = sample_copy();
    let out = data.path().join("export.json");
    let (code, _, stderr) =
        faro(data.path(), &["records", "export", "--format", "faro", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(file["format"], "faro-records");
    assert_eq!(file["records"].as_array().unwrap().len(), 3);
    assert!(file["records"][0]["signature"].as_str().unwrap().len() == 128);

    let (code, csv_text, _) = faro(data.path(), &["records", "export", "--format", "csv"]);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let luis_first = rows.iter().find(|r| &r[col("critical_count")] == "1").unwrap();
    assert_eq!(&luis_first[col("learner_name")], "Luis");
    assert_eq!(&luis_first[col("critical_choices")], "station/arrive/confront");
}

/// Runs `merge` and returns the exit code and the roster rows as (learner, status).
fn merge(inputs: &[&str], extra: &[&str]) -> (i32, Vec<(String, String)>, String) {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    let mut args = vec!["records", "merge"];
    args.extend(inputs);
    args.extend(["--out", roster.to_str().unwrap()]);
    args.extend(extra);
    let (code, _, stderr) = faro(dir.path(), &args);
    let Ok(mut reader) = csv::Reader::from_path(&roster) else { return (code, Vec::new(), stderr) };
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (s, n) = (col("status"), col("learner_name"));
    let rows = reader.records().map(|r| r.unwrap()).map(|r| (r[n].to_owned(), r[s].to_owned())).collect();
    (code, rows, stderr)
}

fn status_of<'a>(rows: &'a [(String, String)], learner: &str) -> Vec<&'a str> {
    rows.iter().filter(|(n, _)| n == learner).map(|(_, s)| s.as_str()).collect()
}

#[test]
fn one_flipped_character_in_an_export_is_flagged_tampered() {
    let data = sample_copy();
    let out = data.path().join("export.json");
    let (code, _, _) =
        faro(data.path(), &["records", "export", "--format", "faro", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&out).unwrap();
    // Flip one character: Luis's passing score of 1 becomes 0 (no other "checks_correct": 1 precedes it).
    let edited = text.replacen("\"checks_correct\": 1", "\"checks_correct\": 0", 1);
    assert_ne!(edited, text);
    std::fs::write(&out, edited).unwrap();
    let (code, rows, stderr) = merge(&[out.to_str().unwrap()], &["--as-of", "2026-03-01"]);
    assert_eq!(code, 1, "a tampered record is a problem found");
    assert_eq!(rows.iter().filter(|(_, s)| s == "tampered").count(), 1, "{rows:?}");
    assert!(stderr.contains("changed after it was signed"), "{stderr}");

    let (code, rows, _) = merge(&[TAMPERED], &["--as-of", "2026-03-01"]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&rows, "Ama"), ["tampered"]);
    assert_eq!(status_of(&rows, "Luis"), ["valid", "failed"]);
}

#[test]
fn expiry_flags_follow_as_of() {
    let cases = [
        ("2026-03-01", ["valid"], ["valid", "failed"]),
        ("2026-05-15", ["valid"], ["expiring", "failed"]),
        ("2026-06-01", ["valid"], ["expiring", "failed"]),
        ("2026-06-02", ["valid"], ["expired", "failed"]),
        ("2026-12-20", ["expiring"], ["expired", "failed"]),
        ("2027-01-11", ["expired"], ["expired", "failed"]),
    ];
    for (as_of, ana, luis) in cases {
        let (code, rows, stderr) = merge(&[LAPTOP_A], &["--as-of", as_of]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(status_of(&rows, "Ana"), ana, "Ana as of {as_of}");
        assert_eq!(status_of(&rows, "Luis"), luis, "Luis as of {as_of}");
    }
    assert_eq!(merge(&[LAPTOP_A], &["--as-of", "not-a-date"]).0, 2);
}

#[test]
fn merge_deduplicates_flags_unknown_devices_and_summarizes_choices() {
    let dir = tempfile::tempdir().unwrap();
    let choices = dir.path().join("choices.csv");
    let questions = dir.path().join("questions.csv");
    let (code, rows, stderr) = merge(
        &[LAPTOP_A, LAPTOP_B, LAPTOP_A],
        &[
            "--as-of",
            "2026-03-01",
            "--choices",
            choices.to_str().unwrap(),
            "--questions",
            questions.to_str().unwrap(),
            "--trust",
            TRUSTED,
        ],
    );
    assert_eq!(code, 1, "an unknown device is a finding: {stderr}");
    assert_eq!(rows.len(), 4, "the repeated file adds no rows: {rows:?}");
    assert!(stderr.contains("3 duplicate(s) merged"), "{stderr}");
    assert_eq!(status_of(&rows, "Marta"), ["unknown-device"]);
    assert_eq!(status_of(&rows, "Ana"), ["valid"]);

    let text = std::fs::read_to_string(&choices).unwrap();
    let text = text.strip_prefix('\u{FEFF}').expect("a byte-order mark for spreadsheets");
    assert!(
        text.starts_with("module_id,step,node,choice,critical,taken,node_total,share_percent\n"),
        "{text}"
    );
    assert!(text.contains("minimal-example,station,arrive,confront,true,1,5,20\n"), "{text}");
    assert!(text.contains("minimal-example,station,arrive,note,false,4,5,80\n"), "{text}");
    let text = std::fs::read_to_string(&questions).unwrap();
    assert!(text.contains("minimal-example,quiz,q1,4,1\n"), "{text}");

    // Trusting both devices (one by fingerprint) leaves nothing to report.
    let (code, rows, stderr) =
        merge(&[LAPTOP_A, LAPTOP_B], &["--as-of", "2026-03-01", "--trust", TRUSTED, "b75d1fe82ba16d4b"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(status_of(&rows, "Marta"), ["valid"]);
}

/// The verification code of Ana's record, from `faro records list`.
fn ana_code(data: &Path) -> String {
    let (_, list, _) = faro(data, &["records", "list"]);
    let line = list.lines().find(|l| l.contains("Ana")).unwrap();
    line.split_whitespace().next().unwrap().to_owned()
}

#[test]
fn certificate_shows_the_code_and_a_qr_and_verify_checks_it() {
    let data = sample_copy();
    let out = data.path().join("cert.html");
    let (code, _, stderr) = faro(
        data.path(),
        &[
            "records",
            "certificate",
            "--learner",
            "Ana",
            "--module",
            "minimal-example",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(&out).unwrap();
    let code_text = ana_code(data.path());
    assert_eq!(code_text.len(), 11);
    assert!(html.contains(&code_text), "the code is printed");
    assert!(html.contains("<svg") && html.contains("<path"), "an inline SVG QR code");
    assert!(!html.contains("<?xml"), "no XML declaration inside HTML");
    assert!(html.contains("Certificate of completion") && html.contains("January 10, 2026"));
    assert!(html.contains("@page"), "print CSS");

    let (code, stdout, _) = faro(data.path(), &["records", "verify", &code_text]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("valid:") && stdout.contains("Ana"), "{stdout}");
    let (code, stdout, _) =
        faro(data.path(), &["records", "verify", &code_text.to_lowercase().replace('-', "")]);
    assert_eq!(code, 0, "codes are read forgivingly: {stdout}");

    let mut wrong: Vec<char> = code_text.chars().collect();
    wrong[0] = if wrong[0] == 'A' { 'B' } else { 'A' };
    let wrong: String = wrong.into_iter().collect();
    let (code, _, stderr) = faro(data.path(), &["records", "verify", &wrong]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no record with code"), "{stderr}");
    assert_eq!(faro(data.path(), &["records", "verify", "not-a-code"]).0, 2);
}

#[test]
fn certificate_is_in_the_learners_language_and_only_for_a_pass() {
    let data = sample_copy();
    let (code, html, stderr) = faro(
        data.path(),
        &["records", "certificate", "--learner", "luis", "--module", "minimal-example", "--out", "-"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(html.contains("Certificado de finalización") && html.contains("1 de junio de 2026"), "{html}");
    assert!(html.contains("<html lang=\"es\">"));

    let (code, _, stderr) =
        faro(data.path(), &["records", "certificate", "--learner", "Ana", "--module", "other", "--out", "-"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no record"), "{stderr}");
}

#[test]
fn verify_checks_a_records_file_record_by_record() {
    let (code, stdout, _) = faro(Path::new(SAMPLE), &["records", "verify", LAPTOP_A]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.starts_with("valid:")).count(), 3);
    let (code, stdout, _) = faro(Path::new(SAMPLE), &["records", "verify", TAMPERED]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().filter(|l| l.starts_with("invalid:")).count(), 1, "{stdout}");
    assert!(stdout.contains("Ama"));
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().is_dir() {
                out.extend(files_under(&e.path()));
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

#[test]
fn delete_learner_needs_yes_and_removes_only_that_learner() {
    let data = sample_copy();
    let before = files_under(data.path());
    let (code, _, stderr) = faro(data.path(), &["records", "delete-learner", "Ana"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--yes") && stderr.contains("export"), "{stderr}");
    assert_eq!(files_under(data.path()), before, "nothing removed without --yes");

    let (code, _, stderr) = faro(data.path(), &["records", "delete-learner", "Ana", "--yes"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!data.path().join("learners").join(ANA).exists());
    assert!(data.path().join("learners").join(LUIS).join("progress/minimal-example.ron").exists());
    let profiles = std::fs::read_to_string(data.path().join("profiles.ron")).unwrap();
    assert!(!profiles.contains("Ana") && profiles.contains("Luis"), "{profiles}");
    let (code, list, _) = faro(data.path(), &["records", "list"]);
    assert_eq!(code, 0);
    assert_eq!(list.lines().count(), 2);
    assert!(list.lines().all(|l| l.contains("Luis") && !l.contains("SIGNATURE")), "{list}");

    assert_eq!(faro(data.path(), &["records", "delete-learner", "Ana", "--yes"]).0, 1, "already gone");
}

/// Runs `merge` with extra arguments in a scratch folder; returns the exit code, stderr, and the
/// folder (which holds whatever files the arguments named, relative to it).
fn merge_in(dir: &Path, inputs: &[&str], extra: &[&str]) -> (i32, String) {
    let roster = dir.join("roster.csv");
    let mut args = vec!["records", "merge"];
    args.extend(inputs);
    args.extend(["--out", roster.to_str().unwrap()]);
    let extra: Vec<String> = extra
        .iter()
        .map(|a| if a.ends_with(".csv") { dir.join(a).display().to_string() } else { (*a).to_owned() })
        .collect();
    args.extend(extra.iter().map(String::as_str));
    let (code, _, stderr) = faro(dir, &args);
    (code, stderr)
}

/// A CSV file's rows (header first), after checking whether it starts with a byte-order mark.
fn csv_rows(path: &Path, bom: bool) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(bytes.starts_with(b"\xEF\xBB\xBF"), bom, "{}: byte-order mark", path.display());
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

#[test]
fn merge_writes_the_training_matrix_and_who_must_recertify() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = merge_in(
        dir.path(),
        &[LAPTOP_A, LAPTOP_B],
        &["--as-of", "2026-03-01", "--matrix", "matrix.csv", "--due", "due.csv", "--before", "2027-03-01"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("matrix: 3 learner(s) × 1 module(s) as of 2026-03-01: 3 valid"), "{stderr}");
    assert!(stderr.contains("matrix: minimal-example: 3 valid\n"), "the module's summary line: {stderr}");
    assert!(stderr.contains("due: 2 completion(s) must be renewed before 2027-03-01"), "{stderr}");
    // Luis passed in 2025 and failed a retake in 2026: the pass still decides.
    let matrix = csv_rows(&dir.path().join("matrix.csv"), true);
    assert_eq!(
        matrix,
        [
            vec!["learner_name", "learner_id", "minimal-example"],
            vec!["Ana", ANA, "valid 2027-01-10"],
            vec!["Luis", LUIS, "valid 2026-06-01"],
            vec!["Marta", "e5a9c3f1-07b2-4d6e-a1c8-9f3b5d7e2a64", "valid 2027-03-02"],
        ]
    );
    let due = csv_rows(&dir.path().join("due.csv"), true);
    assert_eq!(
        due[0],
        [
            "valid_until",
            "status",
            "days_left",
            "learner_name",
            "learner_id",
            "module_id",
            "module_title",
            "passed_on",
            "device_fingerprint",
            "verification_code"
        ]
    );
    let short: Vec<[&str; 5]> = due[1..].iter().map(|r| [&*r[0], &*r[1], &*r[2], &*r[3], &*r[7]]).collect();
    assert_eq!(
        short,
        [
            ["2026-06-01", "valid", "92", "Luis", "2025-06-01"],
            ["2027-01-10", "valid", "315", "Ana", "2026-01-10"],
        ],
        "soonest first; Marta's pass lasts until 2 March"
    );
    assert_eq!(due[1][6], "A minimal example");
    assert_eq!(due[1][9].len(), 11, "the verification code of the deciding pass");

    // Later, Luis's pass has run out; a wider window makes Ana's expiring.
    let (code, stderr) = merge_in(
        dir.path(),
        &[LAPTOP_A],
        &[
            "--as-of",
            "2026-06-02",
            "--expiring-days",
            "240",
            "--matrix",
            "matrix.csv",
            "--due",
            "due.csv",
            "--before",
            "2026-01-01",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let matrix = csv_rows(&dir.path().join("matrix.csv"), true);
    assert_eq!(matrix[1][2], "expiring 2027-01-10");
    assert_eq!(matrix[2][2], "expired 2026-06-01");
    let due = csv_rows(&dir.path().join("due.csv"), true);
    assert_eq!(due.len(), 2, "already expired counts even before an earlier date: {due:?}");
    assert_eq!((&*due[1][1], &*due[1][2], &*due[1][3]), ("expired", "-1", "Luis"));
    assert!(stderr.contains("(1 already expired as of 2026-06-02)"), "{stderr}");
}

#[test]
fn the_matrix_shows_a_tampered_copy_without_counting_it() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) =
        merge_in(dir.path(), &[TAMPERED], &["--as-of", "2026-03-01", "--matrix", "matrix.csv"]);
    assert_eq!(code, 1, "{stderr}");
    let matrix = csv_rows(&dir.path().join("matrix.csv"), true);
    let ana = matrix.iter().find(|r| r[1] == ANA).unwrap();
    assert_eq!((&*ana[0], &*ana[2]), ("Ama", "tampered"), "shown under the name it now carries");
}

#[test]
fn due_without_before_lists_the_next_30_days_and_before_needs_due() {
    let dir = tempfile::tempdir().unwrap();
    // Ana's pass runs out on 2027-01-10, Luis's ran out on 2026-06-01: as of 2026-12-15, both
    // are due within 30 days; as of 2026-11-01, only Luis (already expired).
    let (code, stderr) = merge_in(dir.path(), &[LAPTOP_A], &["--as-of", "2026-12-15", "--due", "due.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("due: 2 completion(s) must be renewed before 2027-01-14"), "{stderr}");
    let (code, stderr) = merge_in(dir.path(), &[LAPTOP_A], &["--as-of", "2026-11-01", "--due", "due.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("due: 1 completion(s) must be renewed before 2026-12-01"), "{stderr}");
    let due = csv_rows(&dir.path().join("due.csv"), true);
    assert_eq!(due.len(), 2, "the header and Luis only: {due:?}");
    assert_eq!(due[1][3], "Luis");
    let (code, _) = merge_in(dir.path(), &[LAPTOP_A], &["--before", "2027-03-01"]);
    assert_eq!(code, 2);
    std::fs::remove_file(dir.path().join("due.csv")).unwrap();
    let (code, _) = merge_in(dir.path(), &[LAPTOP_A], &["--due", "due.csv", "--before", "1 March"]);
    assert_eq!(code, 2);
    assert!(!dir.path().join("due.csv").exists());
}

#[test]
fn spreadsheet_files_start_with_a_byte_order_mark_unless_told_not_to() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["roster.csv", "choices.csv", "questions.csv", "matrix.csv", "due.csv"];
    let args = [
        "--as-of",
        "2026-03-01",
        "--choices",
        "choices.csv",
        "--questions",
        "questions.csv",
        "--matrix",
        "matrix.csv",
        "--due",
        "due.csv",
        "--before",
        "2027-03-01",
    ];
    for bom in [true, false] {
        let mut extra = args.to_vec();
        if !bom {
            extra.push("--no-bom");
        }
        let (code, stderr) = merge_in(dir.path(), &[LAPTOP_A], &extra);
        assert_eq!(code, 0, "{stderr}");
        for name in names {
            let rows = csv_rows(&dir.path().join(name), bom);
            assert!(!rows.is_empty() && !rows[0][0].starts_with('\u{FEFF}'), "{name}");
        }
        let out = dir.path().join("export.csv");
        let mut export = vec!["records", "export", "--format", "csv", "--out", out.to_str().unwrap()];
        if !bom {
            export.push("--no-bom");
        }
        assert_eq!(faro(Path::new(SAMPLE), &export).0, 0);
        let rows = csv_rows(&out, bom);
        assert_eq!((rows.len(), rows[0][0].as_str()), (4, "record_id"));
    }
    // Standard output gets the mark too (`--no-bom` is for tools), and accents stay UTF-8.
    let (code, text, _) = faro(Path::new(SAMPLE), &["records", "export", "--format", "csv", "--out", "-"]);
    assert_eq!(code, 0);
    assert!(text.starts_with("\u{FEFF}record_id,") && text.contains("Un ejemplo mínimo"), "{text}");
}

/// Laptop A's records re-signed by another laptop's key, under the given learner names (Ana's
/// and Luis's), so names can be anything while every signature still checks out.
fn resigned_with_names(ana: &str, luis: &str) -> String {
    let (records, _) = faro::records::read_records_file(Path::new(LAPTOP_A)).unwrap();
    let key = faro::records::DeviceKey::from_secret([5; 32]);
    let renamed: Vec<_> = records
        .into_iter()
        .map(|mut r| {
            r.record.learner_name = if r.record.learner_id == ANA { ana } else { luis }.to_owned();
            key.sign(r.record).unwrap()
        })
        .collect();
    faro::records::records_file_json(&renamed, None).unwrap()
}

#[test]
fn hostile_names_stay_data_in_the_matrix_and_due_list() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("L\u{7}\n{}", "u".repeat(10_000));
    let file = dir.path().join("hostile.json");
    std::fs::write(&file, resigned_with_names("=HYPERLINK(\"http://x\")", &long)).unwrap();
    let (code, stderr) = merge_in(
        dir.path(),
        &[file.to_str().unwrap()],
        &["--as-of", "2026-03-01", "--matrix", "matrix.csv", "--due", "due.csv", "--before", "2027-03-01"],
    );
    assert_eq!(code, 0, "{stderr}");
    let matrix = csv_rows(&dir.path().join("matrix.csv"), true);
    assert_eq!(matrix.len(), 3, "a name with a line break is still one row: {}", matrix.len());
    assert_eq!(matrix[1][0], "'=HYPERLINK(\"http://x\")", "a formula is never run");
    assert_eq!(matrix[2][0], long, "the full name, quoted, as data");
    let due = csv_rows(&dir.path().join("due.csv"), true);
    assert!(due.iter().any(|r| r[3] == "'=HYPERLINK(\"http://x\")"));
}

#[test]
fn names_with_terminal_control_codes_are_printed_as_code_points() {
    let dir = tempfile::tempdir().unwrap();
    // Clear the screen, set the window title, ring the bell: typed as a name on some laptop.
    let file = dir.path().join("hostile.json");
    std::fs::write(&file, resigned_with_names("Ana\u{1b}[2J\u{1b}]0;pwned\u{7}", "Luis\u{9b}31m")).unwrap();
    let path = file.to_str().unwrap();
    // The same records kept on a laptop, for `records list`.
    let data = faro::data::DataDir::at(dir.path().join("data"));
    let (records, _) = faro::records::read_records_file(&file).unwrap();
    for record in &records {
        faro::records::save(&data, record).unwrap();
    }
    let (list_code, list, list_err) = faro(data.root(), &["records", "list"]);
    let (_, verify, verify_err) = faro(dir.path(), &["records", "verify", path]);
    let (_, merge_err) = merge_in(dir.path(), &[path, LAPTOP_A], &["--as-of", "2026-03-01"]);
    assert_eq!(list_code, 0, "{list_err}");
    assert!(list.contains("Ana<U+001B>[2J<U+001B>]0;pwned<U+0007>"), "{list}");
    assert!(list.contains("Luis<U+009B>31m"), "{list}");
    for (what, out) in [
        ("list", &list),
        ("list", &list_err),
        ("verify", &verify),
        ("verify", &verify_err),
        ("merge", &merge_err),
    ] {
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "records {what} printed a control code: {out:?}"
        );
    }
}

/// Issue 15: the xAPI home page can be set once for a laptop (the Coordinator screen saves it in
/// coordinator.ron); exports use it, `--homepage` overrides it, and an unusable one is refused.
#[test]
fn the_home_page_set_on_the_coordinator_screen_is_used_by_exports() {
    use faro::coordinator_settings::{self, CoordinatorSettings};
    let data = sample_copy();
    let dir = faro::data::DataDir::at(data.path().to_owned());
    let home =
        |statements: &[Value]| statements[0]["actor"]["account"]["homePage"].as_str().unwrap().to_owned();
    let export = |extra: &[&str]| {
        let args: Vec<&str> =
            ["records", "export", "--format", "xapi"].iter().copied().chain(extra.iter().copied()).collect();
        let (code, out, err) = faro(data.path(), &args);
        (code, serde_json::from_str::<Vec<Value>>(&out).unwrap_or_default(), err)
    };
    let (code, statements, err) = export(&[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(home(&statements), "https://github.com/faro-training/faro", "the documented default");

    let settings = CoordinatorSettings {
        xapi_home_page: Some("https://training.example.org".into()),
        ..Default::default()
    };
    coordinator_settings::save(&dir, &settings).unwrap();
    let (code, statements, err) = export(&[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(home(&statements), "https://training.example.org");
    let (_, statements, _) = export(&["--homepage", "https://other.example.org"]);
    assert_eq!(home(&statements), "https://other.example.org", "--homepage wins");

    let settings =
        CoordinatorSettings { xapi_home_page: Some("urn:faro:nowhere".into()), ..Default::default() };
    coordinator_settings::save(&dir, &settings).unwrap();
    let (code, _, err) = export(&[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Coordinator screen"), "{err}");
}

/// Issue 25: Luis's failed retake, turned into a pass valid until 2099 and signed again with a
/// forger's key. Each copy's signature checks out on its own; together they are a conflict, and
/// no statement of either copy goes out under the genuine record's ids, in either file order.
#[test]
fn a_doubly_signed_forged_pass_never_goes_out_under_genuine_ids() {
    let dir = tempfile::tempdir().unwrap();
    let (genuine, _) = faro::records::read_records_file(Path::new(LAPTOP_A)).unwrap();
    let failed = genuine.iter().find(|r| !r.record.passed).unwrap().clone();
    let mut forged = failed.record.clone();
    forged.passed = true;
    forged.valid_until = chrono::NaiveDate::from_ymd_opt(2099, 12, 31);
    let forger = faro::records::DeviceKey::from_secret([42; 32]);
    let forged = forger.sign(forged).unwrap();
    let forged_file = dir.path().join("forged.json");
    std::fs::write(&forged_file, faro::records::records_file_json(&[forged], None).unwrap()).unwrap();
    let forged_file = forged_file.to_str().unwrap();

    let (_, alone, _) = merge_xapi(&[LAPTOP_A], &[], Some(MODULES));
    let is_retake = |s: &Value| s["context"]["registration"] == failed.record.id.as_str();
    let genuine_ids: HashSet<String> =
        alone.iter().filter(|s| is_retake(s)).map(|s| s["id"].as_str().unwrap().to_owned()).collect();
    assert!(!genuine_ids.is_empty());

    let (code, left_out, stderr) = merge_xapi(&[LAPTOP_A, forged_file], &[], Some(MODULES));
    assert_eq!(code, 1, "{stderr}");
    assert!(!left_out.iter().any(is_retake), "left out unless asked for");
    assert!(stderr.contains(&format!("device {}", forger.fingerprint())), "merge names the device: {stderr}");

    let mut outputs = Vec::new();
    for inputs in [[LAPTOP_A, forged_file], [forged_file, LAPTOP_A]] {
        let (code, statements, stderr) = merge_xapi(&inputs, &["--include-tampered"], Some(MODULES));
        assert_eq!(code, 1, "{stderr}");
        let retake: Vec<&Value> = statements.iter().filter(|s| is_retake(s)).collect();
        assert!(!retake.is_empty(), "kept on request");
        for s in &retake {
            let mark = tampered_mark(s).unwrap_or_else(|| panic!("unmarked: {s:#}"));
            assert!(mark.contains("two different signed versions"), "{mark}");
            assert!(!genuine_ids.contains(s["id"].as_str().unwrap()), "a genuine id: {s:#}");
        }
        outputs.push(statements);
    }
    assert_eq!(outputs[0], outputs[1], "the file order changes nothing");
}

/// Issue 25: records from a device outside the trust list stay out of the xAPI file unless
/// asked for, and then are marked, under ids of their own.
#[test]
fn untrusted_devices_stay_out_of_xapi_unless_asked_for() {
    let trust = ["--trust", TRUSTED];
    let (code, statements, stderr) = merge_xapi(&[LAPTOP_A, LAPTOP_B], &trust, Some(MODULES));
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(statements.len(), 16, "laptop B's record is left out: {stderr}");
    assert!(stderr.contains("1 unknown-device record(s) left out of the xAPI file"), "{stderr}");
    let (_, b_alone, _) = merge_xapi(&[LAPTOP_B], &[], Some(MODULES));
    let b_ids: HashSet<&str> = b_alone.iter().filter_map(|s| s["id"].as_str()).collect();

    let (_, statements, _) =
        merge_xapi(&[LAPTOP_A, LAPTOP_B], &["--trust", TRUSTED, "--include-unknown-devices"], Some(MODULES));
    assert_eq!(statements.len(), 16 + 5);
    let marked: Vec<&Value> = statements
        .iter()
        .filter(|s| s["context"]["extensions"]["urn:faro:ext:unknown-device"].is_string())
        .collect();
    assert_eq!(marked.len(), 5);
    assert!(marked.iter().all(|s| !b_ids.contains(s["id"].as_str().unwrap())));
}

/// Issue 25: `--batch N` writes numbered JSON arrays of at most N statements; `--ndjson` one
/// statement per line.
#[test]
fn merge_writes_batches_and_ndjson() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    let xapi = dir.path().join("statements.json");
    let run = |extra: &[&str]| {
        let mut args = vec!["records", "merge", LAPTOP_A, LAPTOP_B, "--out", roster.to_str().unwrap()];
        args.extend(["--xapi", xapi.to_str().unwrap(), "--as-of", "2026-03-01"]);
        args.extend(extra);
        faro_with(Some(dir.path()), Some(Path::new(MODULES)), &args)
    };
    let (code, _, stderr) = run(&["--batch", "8"]);
    assert_eq!(code, 0, "{stderr}");
    let mut all = Vec::new();
    for n in 1..=3 {
        let path = dir.path().join(format!("statements-000{n}.json"));
        let batch: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(batch.len() <= 8);
        all.extend(batch);
    }
    assert_eq!(all.len(), 21);
    assert!(!xapi.exists() && !dir.path().join("statements-0004.json").exists());
    assert!(stderr.contains("21 statement(s) from 4 record(s) written to 3 files"), "{stderr}");

    let (code, _, stderr) = run(&["--ndjson"]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&xapi).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines, all);
    let (code, _, stderr) = run(&["--batch", "0"]);
    assert_eq!(code, 2, "{stderr}");
}

/// Issue 25: a damaged `coordinator.ron` can no longer say which home page statements were sent
/// under; the export stops rather than fall back to the default (every batch would then get 409).
#[test]
fn a_damaged_coordinator_file_stops_the_xapi_export() {
    let data = sample_copy();
    std::fs::write(data.path().join("coordinator.ron"), "(lock: Passphrase(\"cut short").unwrap();
    let (code, stdout, stderr) = faro(data.path(), &["records", "export", "--format", "xapi"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("coordinator.ron is damaged") && stderr.contains("--homepage"), "{stderr}");
    let args = ["records", "export", "--format", "xapi", "--homepage", "https://training.example.org"];
    let (code, stdout, stderr) = faro(data.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("https://training.example.org"));
    let args = ["records", "export", "--format", "xapi", "--homepage", "https://x.org/\"a<b>"];
    assert_eq!(faro(data.path(), &args).0, 2, "a home page an LRS would refuse");
}

/// Issue 25 item 5: `--devices` lists each laptop that signed records: the name it was given
/// and when it last reported (from the records files it exported), its records and learners,
/// and the files they came from; the laptop that has not reported for longest comes first.
#[test]
fn merge_lists_each_laptop_its_name_and_when_it_last_reported() {
    let dir = tempfile::tempdir().unwrap();
    // Laptop B's file again, now exported under a name, a day before laptop A's export.
    let b_file = std::fs::read(LAPTOP_B).unwrap();
    let mut b: faro::records::RecordsFile = serde_json::from_slice(&b_file).unwrap();
    b.device_label = Some("Shelter laptop 3".to_owned());
    b.exported_at = "2026-11-24T09:00:00Z".parse().unwrap();
    let named_b = dir.path().join("laptop-b-named.json");
    std::fs::write(&named_b, serde_json::to_vec(&b).unwrap()).unwrap();
    let devices = dir.path().join("devices.csv");
    let (code, _, stderr) = merge(
        &[LAPTOP_A, named_b.to_str().unwrap(), LAPTOP_A],
        &["--as-of", "2026-03-01", "--no-bom", "--devices", devices.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut reader = csv::Reader::from_path(&devices).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "device_fingerprint",
            "device_label",
            "last_reported",
            "records",
            "learners",
            "newest_record",
            "device_key",
            "files"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "two laptops: {rows:?}");
    // B reported on the 24th, A on the 25th: B first.
    let (b, a) = (&rows[0], &rows[1]);
    assert_eq!((&b[0], &b[1], &b[2]), ("b75d1fe82ba16d4b", "Shelter laptop 3", "2026-11-24T09:00:00Z"));
    assert_eq!((&b[3], &b[4]), ("1", "1"));
    assert!(b[7].ends_with("laptop-b-named.json"), "{b:?}");
    assert_eq!(&a[6], "3989c23de5125481b6a586efa7c55653a0d322ac21eb3af1132dface4c13ced1");
    assert_eq!((&a[1], &a[2]), ("", "2026-11-25T12:26:42Z"), "laptop A has no name");
    assert_eq!((&a[3], &a[4]), ("3", "2"), "laptop A: three records of Ana and Luis");
    assert!(a[7].contains("records-laptop-a.json"), "{a:?}");
}
