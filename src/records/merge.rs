//! The coordinator's merge: records files from many laptops into one roster, with statistics.

mod reread;
mod stats;
mod trust;

pub use trust::Trust;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use super::records_file::{read_records_entries, unreadable_entry};
use super::{FileHeader, Problem, RecordError, RowRecord, SignedRecord, row_record};
use crate::steps::Steps;

/// A completion is flagged `expiring` this many days before its last valid day.
const EXPIRING_DAYS: u64 = 30;

/// How the merge judges records.
#[derive(Clone, Debug)]
pub struct MergeOptions {
    /// The day validity is judged on (usually today).
    pub as_of: NaiveDate,
    /// When given, records from other devices are flagged `unknown-device`.
    pub trust: Option<Trust>,
}

/// The state of one row of the roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowStatus {
    /// Passed, authentic, and valid for more than 30 days after the as-of date.
    Valid,
    /// Passed and authentic, but its last valid day is within 30 days.
    Expiring,
    /// Passed and authentic, but its validity is over.
    Expired,
    /// Authentic, but the attempt did not pass.
    Failed,
    /// The signature does not match: the record was changed after signing; or two different
    /// signed versions of the same record were found, so neither can be believed.
    Tampered,
    /// Authentic, but signed by a device that is not in the trust list.
    UnknownDevice,
}

impl RowStatus {
    /// Every status, in the order rosters list them.
    pub const ALL: [RowStatus; 6] = [
        RowStatus::Valid,
        RowStatus::Expiring,
        RowStatus::Expired,
        RowStatus::Failed,
        RowStatus::Tampered,
        RowStatus::UnknownDevice,
    ];

    /// The word used in the roster CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Valid => "valid",
            RowStatus::Expiring => "expiring",
            RowStatus::Expired => "expired",
            RowStatus::Failed => "failed",
            RowStatus::Tampered => "tampered",
            RowStatus::UnknownDevice => "unknown-device",
        }
    }
}

/// One attempt in the roster.
#[derive(Clone, Debug)]
pub struct RosterRow {
    pub status: RowStatus,
    /// Why the row has its status, for a person (empty for `valid`).
    pub reason: String,
    /// What the roster keeps of the record; [`Roster::read_records`] reads the whole record
    /// again from `source`.
    pub record: RowRecord,
    /// The file the record came from (the first one, for a record found in several files).
    pub source: Arc<Path>,
    /// Where in `source`, the digest that tells copies apart, and what it adds to the statistics.
    origin: Origin,
}

impl RosterRow {
    /// A row for `record`, as the merge makes them (for callers that build rosters by hand, such
    /// as tests: its answers are not in the roster's statistics, and it cannot be read again).
    pub fn new(status: RowStatus, reason: String, record: &SignedRecord, source: &Path) -> RosterRow {
        RosterRow {
            status,
            reason,
            record: RowRecord::of(record),
            source: Arc::from(source),
            origin: Origin { file: usize::MAX, content: record.content_digest(), ..Origin::default() },
        }
    }
}

/// Where a row's record is, and what the merge needs of it besides the roster's columns.
#[derive(Clone, Debug, Default)]
struct Origin {
    /// The index of the file among those the merge read (`usize::MAX`: none).
    file: usize,
    /// Where the record starts in that file (see `read_entry_at`; 0 for a `.ron` record file).
    at: u64,
    /// SHA-256 of the record's canonical form (see `SignedRecord::check`).
    content: Option<[u8; 32]>,
    /// What the record adds to the statistics (see `stats::Tally`).
    answers: stats::Answers,
}

/// How often one choice was made at one scenario node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceStat {
    pub module_id: String,
    pub step: String,
    pub node: String,
    pub choice: String,
    pub critical: bool,
    /// Times this choice was made (retries included).
    pub taken: u32,
    /// Times any choice was made at this node.
    pub node_total: u32,
}

/// How often one check question was missed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionStat {
    pub module_id: String,
    pub step: String,
    pub question: String,
    /// Attempts that reached this question's check (answered or not).
    pub attempts: u32,
    /// Attempts that did not answer it correctly.
    pub missed: u32,
}

/// The merged records: one row per attempt, statistics, and what could not be read.
#[derive(Clone, Debug)]
pub struct Roster {
    pub as_of: NaiveDate,
    /// Sorted by module, learner name, end time, record id.
    pub rows: Vec<RosterRow>,
    /// Per scenario choice, from every row except tampered ones.
    pub choices: Vec<ChoiceStat>,
    /// Per check question, from every row except tampered ones.
    pub questions: Vec<QuestionStat>,
    /// Files or entries that could not be read (treat as tampered), and changed copies of records
    /// whose authentic copy was also found.
    pub problems: Vec<Problem>,
    /// Records found more than once (same record id) and merged.
    pub duplicates: usize,
    /// The records files read whose header names the laptop that exported them, with that
    /// header (unsigned: see [`super::laptops`]).
    pub files: Vec<(Arc<Path>, FileHeader)>,
}

impl Roster {
    /// Rows with this status.
    pub fn count(&self, status: RowStatus) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }

    /// Whether anything needs the coordinator's attention: tampered or unknown-device rows, or
    /// unreadable files.
    pub fn has_findings(&self) -> bool {
        !self.problems.is_empty()
            || self.rows.iter().any(|r| matches!(r.status, RowStatus::Tampered | RowStatus::UnknownDevice))
    }

    /// Passed, authentic completions per day (for a chart over time).
    pub fn completions_by_day(&self) -> BTreeMap<NaiveDate, u32> {
        let mut out = BTreeMap::new();
        for row in self.rows.iter().filter(|r| r.status != RowStatus::Tampered && r.record.passed) {
            *out.entry(row.record.ended.date_naive()).or_insert(0) += 1;
        }
        out
    }

    /// The `n` questions missed most often.
    pub fn most_missed(&self, n: usize) -> Vec<&QuestionStat> {
        let mut qs: Vec<&QuestionStat> = self.questions.iter().filter(|q| q.missed > 0).collect();
        qs.sort_by_key(|q| std::cmp::Reverse(q.missed));
        qs.truncate(n);
        qs
    }

    /// The `n` critical choices made most often.
    pub fn most_taken_critical(&self, n: usize) -> Vec<&ChoiceStat> {
        let mut cs: Vec<&ChoiceStat> = self.choices.iter().filter(|c| c.critical && c.taken > 0).collect();
        cs.sort_by_key(|c| std::cmp::Reverse(c.taken));
        cs.truncate(n);
        cs
    }
}

/// Merges records files (Faro records files, single `.ron` record files, or folders holding
/// either, such as a copy of a data directory), de-duplicating by record id.
///
/// The files are read entry by entry and each record is judged as it is read; the roster keeps
/// only its columns ([`RowRecord`]) and what it adds to the statistics, so memory grows by a few
/// hundred bytes a record, not by the records. [`Roster::read_records`] reads whole records
/// again, for an export.
pub fn merge(paths: &[PathBuf], options: &MergeOptions) -> Roster {
    merge_counting(paths, options, &Steps::default())
}

/// [`merge`], counting each file read in `steps` (for a progress bar: the app merges on a
/// worker thread).
pub fn merge_counting(paths: &[PathBuf], options: &MergeOptions, steps: &Steps) -> Roster {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files, &mut problems);
    }
    steps.begin(files.len());
    let mut rows: Vec<RosterRow> = Vec::new();
    let mut tally = stats::Tally::default();
    let mut headers: Vec<(Arc<Path>, FileHeader)> = Vec::new();
    let mut shared = row_record::Shared::default();
    for (file_index, file) in files.into_iter().enumerate() {
        let source: Arc<Path> = Arc::from(file.as_path());
        // The rows of one file are kept aside until the whole file has been read: a file that
        // turns out not to be a records file adds nothing.
        let mut read = Vec::new();
        let header = read_any(&file, &mut problems, |at, record| {
            let (content, verified) = record.check();
            let (status, reason) = classify(&record, verified, options);
            let answers = tally.answers(&record.record);
            let origin = Origin { file: file_index, at, content, answers };
            let row_record = RowRecord::shared(&record, &mut shared);
            read.push(RosterRow { status, reason, record: row_record, source: Arc::clone(&source), origin });
        });
        if let Some(header) = header {
            rows.append(&mut read);
            // Only headers that name a laptop are kept: one small entry per laptop's file.
            if header.device_key.is_some() {
                headers.push((Arc::clone(&source), header));
            }
        }
        steps.advance();
    }
    // Copies of one record side by side, in the order they were read (file, then place in it):
    // each later copy is weighed against the one kept so far, as if they came one by one.
    rows.sort_unstable_by(|a, b| {
        (a.record.id.as_str(), a.origin.file, a.origin.at).cmp(&(
            b.record.id.as_str(),
            b.origin.file,
            b.origin.at,
        ))
    });
    let mut duplicates = 0;
    let mut conflicts: HashSet<String> = HashSet::new();
    rows.dedup_by(|copy, kept| {
        if copy.record.id != kept.record.id {
            return false;
        }
        duplicates += 1;
        keep_one(kept, copy, &mut conflicts, &mut problems);
        true
    });
    rows.shrink_to_fit();
    // Equal keys in record id order, so that the order never depends on the order of the files.
    rows.sort_unstable_by(|a, b| {
        fn key(r: &RosterRow) -> (&str, &str, chrono::DateTime<chrono::Utc>, &str) {
            let r = &r.record;
            (&*r.module_id, r.learner_name.as_str(), r.ended, r.id.as_str())
        }
        key(a).cmp(&key(b))
    });
    let counted = rows.iter().filter(|r| r.status != RowStatus::Tampered).map(|r| &r.origin.answers);
    let (choices, questions) = tally.stats(counted);
    Roster { as_of: options.as_of, rows, choices, questions, problems, duplicates, files: headers }
}

/// Whether two rows hold the very same signed record (content, key and signature).
fn same_signed(a: &RosterRow, b: &RosterRow) -> bool {
    same_content(a, b)
        && a.record.device_key == b.record.device_key
        && a.record.signature == b.record.signature
}

/// Whether two rows hold the same record content (signed by the same device or not).
fn same_content(a: &RosterRow, b: &RosterRow) -> bool {
    a.origin.content.is_some() && a.origin.content == b.origin.content
}

/// Two copies of one record id: decides which row the roster keeps, and reports what is wrong.
///
/// An exact copy changes nothing. An authentic copy wins over a changed one, wherever it was
/// found, and a trusted one over one from an unknown device; the loser is reported, since someone
/// made it. Two authentic copies that differ mean the same attempt was signed twice with
/// different content (a forgery signed with another key, or a copied key): neither can be
/// believed, so the record is kept as `tampered` and never counts, whatever copies come later.
fn keep_one(
    kept: &mut RosterRow,
    copy: &mut RosterRow,
    conflicts: &mut HashSet<String>,
    problems: &mut Vec<Problem>,
) {
    if same_signed(kept, copy) || conflicts.contains(&kept.record.id) {
        return;
    }
    let changed = |r: &RosterRow| r.status == RowStatus::Tampered;
    let untrusted = |r: &RosterRow| r.status == RowStatus::UnknownDevice;
    let prefer_copy = if changed(kept) != changed(copy) {
        Some(changed(kept))
    } else if changed(kept) {
        // Both changed: the first stays, flagged; the second adds nothing to believe.
        return;
    } else if untrusted(kept) != untrusted(copy) {
        Some(untrusted(kept))
    } else if same_content(kept, copy) {
        // The same content signed by two devices: nothing to decide between.
        return;
    } else {
        None
    };
    let id = kept.record.id.clone();
    match prefer_copy {
        Some(use_copy) => {
            let (bad, good) = if use_copy { (&*kept, &*copy) } else { (&*copy, &*kept) };
            let name = crate::format::invisible::reveal(&bad.record.learner_name);
            let message = if changed(bad) {
                format!(
                    "record {id} ({name}) was changed in this copy ({}); the authentic copy in {} is used",
                    bad.reason,
                    good.source.display()
                )
            } else {
                format!(
                    "record {id} ({name}) has another signed version here ({}); the trusted copy in {} is used",
                    bad.reason,
                    good.source.display()
                )
            };
            problems.push(Problem { kept_at: None, path: bad.source.to_path_buf(), message });
            if use_copy {
                std::mem::swap(kept, copy);
            }
        }
        None => {
            // Which copy the roster keeps (and an xAPI export on request carries, marked) must
            // not depend on the order the files came in: the one with the smaller signature.
            let mut pair = [
                (kept.record.device_fingerprint(), Arc::clone(&kept.source)),
                (copy.record.device_fingerprint(), Arc::clone(&copy.source)),
            ];
            pair.sort();
            let [(first_device, first_file), (second_device, second_file)] = pair;
            let reason = format!(
                "two different signed versions of this record: device {first_device} in {} and device \
                 {second_device} in {}; neither counts",
                first_file.display(),
                second_file.display()
            );
            let noticed_in = copy.source.to_path_buf();
            if copy.record.signature < kept.record.signature {
                std::mem::swap(&mut kept.record, &mut copy.record);
                std::mem::swap(&mut kept.source, &mut copy.source);
                std::mem::swap(&mut kept.origin, &mut copy.origin);
            }
            problems.push(Problem {
                kept_at: None,
                path: noticed_in,
                message: format!(
                    "record {id} ({}): {reason}",
                    crate::format::invisible::reveal(&kept.record.learner_name)
                ),
            });
            kept.status = RowStatus::Tampered;
            kept.reason = reason;
            conflicts.insert(id);
        }
    }
}

/// A record's status and why, given whether its signature checked.
fn classify(
    signed: &SignedRecord,
    verified: Result<(), RecordError>,
    options: &MergeOptions,
) -> (RowStatus, String) {
    if let Err(e) = verified {
        return (RowStatus::Tampered, e.to_string());
    }
    if let Some(trust) = &options.trust
        && !trust.trusts(&signed.device_key)
    {
        let fp = signed.device_fingerprint();
        return (RowStatus::UnknownDevice, format!("device {fp} is not in the trust list"));
    }
    let r = &signed.record;
    if !r.passed {
        return (RowStatus::Failed, "the attempt did not pass".to_owned());
    }
    let Some(until) = r.valid_until else { return (RowStatus::Valid, String::new()) };
    if until < options.as_of {
        (RowStatus::Expired, format!("expired after {until}"))
    } else if options.as_of.checked_add_days(chrono::Days::new(EXPIRING_DAYS)).is_none_or(|d| until <= d) {
        (RowStatus::Expiring, format!("valid until {until}"))
    } else {
        (RowStatus::Valid, String::new())
    }
}

/// Files to read under `path`: the path itself, or the `.json` files and the `.ron` files in
/// `records` folders beneath a folder (other data files, such as a device key, are never read).
fn collect(path: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    if !path.is_dir() {
        if path.exists() {
            out.push(path.to_owned());
        } else {
            problems.push(Problem {
                kept_at: None,
                path: path.to_owned(),
                message: "no such file or folder".to_owned(),
            });
        }
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(e) => e.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            problems.push(Problem {
                kept_at: None,
                path: path.to_owned(),
                message: format!("cannot list folder: {e}"),
            });
            return;
        }
    };
    entries.sort();
    let in_records = path.file_name().is_some_and(|n| n == "records");
    for entry in entries {
        let ext = entry.extension().and_then(|e| e.to_str()).unwrap_or("");
        if entry.is_dir() {
            collect(&entry, out, problems);
        } else if ext == "json" || (ext == "ron" && in_records) {
            out.push(entry);
        }
    }
}

/// Reads a records file or a `.ron` record file, calling `each` with where each record starts
/// and the record, as it is read; what cannot be read goes to `problems`. Returns the file's
/// header when the file could be read: when not, the records already given must be thrown away
/// (see `read_records_entries`).
fn read_any(
    file: &Path,
    problems: &mut Vec<Problem>,
    mut each: impl FnMut(u64, SignedRecord),
) -> Option<FileHeader> {
    if file.extension().is_some_and(|e| e == "ron") {
        match read_record_file(file) {
            Ok(r) => each(0, r),
            Err(e) => problems.push(Problem {
                kept_at: None,
                path: file.to_owned(),
                message: format!("unreadable record: {e}"),
            }),
        }
        // A record file of a data folder says nothing of who exported it.
        return Some(FileHeader::default());
    }
    let mut unreadable = Vec::new();
    let read = read_records_entries(file, |i, at, entry| match entry {
        Ok(r) => each(at, r),
        Err(e) => unreadable.push(unreadable_entry(file, i, &e)),
    });
    match read {
        Ok(header) => {
            problems.append(&mut unreadable);
            Some(header)
        }
        Err(e) => {
            problems.push(Problem { kept_at: None, path: file.to_owned(), message: e.to_string() });
            None
        }
    }
}

/// Reads one record file (`.ron`, as the data store keeps it) with the store's size cap, without
/// setting anything aside: it may come from anyone's copy of a data folder.
pub(crate) fn read_record_file(file: &Path) -> Result<SignedRecord, String> {
    use crate::data::store::{DataBytes, MAX_DATA_FILE_BYTES, read_data_file};
    let bytes = match read_data_file(file).map_err(|e| e.to_string())? {
        DataBytes::Read(bytes) => bytes,
        DataBytes::Missing => return Err("no such file".to_owned()),
        DataBytes::TooLarge => {
            return Err(format!(
                "the file is larger than the {} MiB limit, far larger than any record",
                MAX_DATA_FILE_BYTES / (1024 * 1024)
            ));
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_owned())?;
    crate::load::data_options().from_str::<SignedRecord>(&text).map_err(|e| e.to_string())
}
