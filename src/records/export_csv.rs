//! CSV for spreadsheets: one row per attempt, and the coordinator's roster and summaries.

use std::io::Write;

use super::{RecordError, Roster, RowRecord, SignedRecord};

/// The UTF-8 byte-order mark that starts every CSV file Faro writes for spreadsheets (unless told
/// not to): without it, Excel on Windows reads a double-clicked file as the local code page and
/// shows "José" as "JosÃ©".
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Column names of the records CSV, in order.
pub fn csv_header() -> Vec<&'static str> {
    vec![
        "record_id",
        "learner_id",
        "learner_name",
        "module_id",
        "module_version",
        "module_title",
        "lang",
        "started",
        "ended",
        "duration_seconds",
        "passed",
        "checks_correct",
        "checks_total",
        "scenarios_passed",
        "scenarios_total",
        "score_percent",
        "critical_count",
        "critical_choices",
        "valid_until",
        "content_hash",
        "device_fingerprint",
        "verification_code",
    ]
}

/// The cells of one record, matching [`csv_header`] (a [`SignedRecord`] gives its cells through
/// [`RowRecord::of`]).
pub fn csv_fields(r: &RowRecord) -> Vec<String> {
    let (sp, st) = (r.scenarios_passed, r.scenarios_total);
    let critical: Vec<String> =
        r.critical.iter().map(|c| format!("{}/{}/{}", c.step, c.node, c.choice)).collect();
    vec![
        r.id.clone(),
        r.learner_id.clone(),
        cell(&r.learner_name),
        cell(&r.module_id),
        r.module_version.to_string(),
        cell(r.title(&r.lang)),
        r.lang.to_string(),
        r.started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        r.ended.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        r.duration_secs.to_string(),
        r.passed.to_string(),
        r.checks_correct.to_string(),
        r.checks_total.to_string(),
        sp.to_string(),
        st.to_string(),
        r.scaled_score().map(|s| format!("{:.0}", s * 100.0)).unwrap_or_default(),
        r.critical.len().to_string(),
        cell(&critical.join("; ")),
        r.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        r.content_hash.to_string(),
        r.device_fingerprint(),
        r.verification_code(),
    ]
}

/// Writes the header and one row per record, with a last column `signature`: `valid`, or
/// `tampered` for a record whose signature does not match (exported only on request).
pub fn write_csv<W: Write>(out: W, records: &[SignedRecord]) -> Result<(), RecordError> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| RecordError::Csv(e.to_string());
    let mut header = csv_header();
    header.push("signature");
    w.write_record(header).map_err(err)?;
    for r in records {
        let mut fields = csv_fields(&RowRecord::of(r));
        fields.push(if r.verify().is_ok() { "valid" } else { "tampered" }.to_owned());
        w.write_record(fields).map_err(err)?;
    }
    w.flush().map_err(|e| RecordError::Csv(e.to_string()))
}

/// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'`, so that a
/// learner name cannot become a formula on the coordinator's computer.
pub(super) fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

fn csv_err(e: impl std::fmt::Display) -> RecordError {
    RecordError::Csv(e.to_string())
}

/// Writes the roster: status, reason, the record columns, and the source file.
pub fn write_roster_csv<W: Write>(out: W, roster: &Roster) -> Result<(), RecordError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["status", "reason"];
    header.extend(csv_header());
    header.push("source");
    w.write_record(header).map_err(csv_err)?;
    for row in &roster.rows {
        let mut fields = vec![row.status.as_str().to_owned(), row.reason.clone()];
        fields.extend(csv_fields(&row.record));
        fields.push(cell(&row.source.display().to_string()));
        w.write_record(fields).map_err(csv_err)?;
    }
    w.flush().map_err(csv_err)
}

/// Writes the per-choice summary: one line per choice made at each scenario node.
pub fn write_choices_csv<W: Write>(out: W, roster: &Roster) -> Result<(), RecordError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "module_id",
        "step",
        "node",
        "choice",
        "critical",
        "taken",
        "node_total",
        "share_percent",
    ])
    .map_err(csv_err)?;
    for c in &roster.choices {
        let share = f64::from(c.taken) * 100.0 / f64::from(c.node_total.max(1));
        w.write_record([
            cell(&c.module_id),
            cell(&c.step),
            cell(&c.node),
            cell(&c.choice),
            c.critical.to_string(),
            c.taken.to_string(),
            c.node_total.to_string(),
            format!("{share:.0}"),
        ])
        .map_err(csv_err)?;
    }
    w.flush().map_err(csv_err)
}

/// Writes the per-question summary: attempts and misses for each check question.
pub fn write_questions_csv<W: Write>(out: W, roster: &Roster) -> Result<(), RecordError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["module_id", "step", "question", "attempts", "missed"]).map_err(csv_err)?;
    for q in &roster.questions {
        w.write_record([
            cell(&q.module_id),
            cell(&q.step),
            cell(&q.question),
            q.attempts.to_string(),
            q.missed.to_string(),
        ])
        .map_err(csv_err)?;
    }
    w.flush().map_err(csv_err)
}

/// Writes one line per laptop (device key) that signed records in the roster, from
/// [`super::laptops`]: its fingerprint, the name it was given and when it last reported (from
/// the records files it exported), how many records and learners it holds, its newest record's
/// end time, its key, and the files its records came from. The laptop that has not reported for
/// longest comes first.
pub fn write_devices_csv<W: Write>(out: W, roster: &Roster) -> Result<(), RecordError> {
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default()
    };
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "device_fingerprint",
        "device_label",
        "last_reported",
        "records",
        "learners",
        "newest_record",
        "device_key",
        "files",
    ])
    .map_err(csv_err)?;
    for laptop in super::laptops(roster) {
        let files: Vec<String> = laptop.files.iter().map(|f| f.display().to_string()).collect();
        w.write_record([
            laptop.fingerprint,
            cell(laptop.label.as_deref().unwrap_or_default()),
            time(laptop.last_reported),
            laptop.records.to_string(),
            laptop.learners.to_string(),
            time(laptop.newest_record),
            cell(&laptop.device_key),
            cell(&files.join("; ")),
        ])
        .map_err(csv_err)?;
    }
    w.flush().map_err(csv_err)
}
