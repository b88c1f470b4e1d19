//! The coordinator's merge: records files from many laptops into one roster, with statistics.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::steps::Steps;

use super::{Problem, RecordError, SignedRecord, fingerprint, read_records_file};

/// A completion is flagged `expiring` this many days before its last valid day.
const EXPIRING_DAYS: u64 = 30;

/// Device keys the coordinator trusts: full public keys or fingerprints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trust {
    keys: BTreeSet<String>,
    fingerprints: BTreeSet<String>,
}

impl Trust {
    /// Parses trust entries: a public key (64 hex digits), a fingerprint (16 hex digits), or a text
    /// file listing either, one a line (`#` starts a comment).
    pub fn from_entries(entries: &[String]) -> Result<Trust, RecordError> {
        let mut trust = Trust::default();
        for entry in entries {
            if trust.add(entry) {
                continue;
            }
            let path = Path::new(entry);
            if !path.is_file() {
                return Err(RecordError::BadTrust(format!(
                    "\"{entry}\" is not a device key (64 hex digits), a fingerprint (16 hex digits) or a file"
                )));
            }
            let text = std::fs::read_to_string(path)
                .map_err(|source| RecordError::Read { path: path.to_owned(), source })?;
            for (n, line) in text.lines().enumerate() {
                let word = line.split('#').next().unwrap_or("").split_whitespace().next().unwrap_or("");
                if !word.is_empty() && !trust.add(word) {
                    return Err(RecordError::BadTrust(format!(
                        "{}:{}: \"{word}\" is not a device key or fingerprint",
                        path.display(),
                        n + 1
                    )));
                }
            }
        }
        Ok(trust)
    }

    fn add(&mut self, word: &str) -> bool {
        let hex = word.trim().to_ascii_lowercase();
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
        match hex.len() {
            64 => self.keys.insert(hex),
            16 => self.fingerprints.insert(hex),
            _ => return false,
        };
        true
    }

    /// Whether records signed with this public key are trusted.
    pub fn trusts(&self, device_key: &str) -> bool {
        self.keys.contains(&device_key.to_ascii_lowercase())
            || self.fingerprints.contains(&fingerprint(device_key))
    }
}

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
    pub record: SignedRecord,
    /// The file the record came from (the first one, for a record found in several files).
    pub source: PathBuf,
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
    /// Sorted by module, learner name, end time.
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
        for row in self.rows.iter().filter(|r| r.status != RowStatus::Tampered && r.record.record.passed) {
            *out.entry(row.record.record.ended.date_naive()).or_insert(0) += 1;
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
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut rows: Vec<RosterRow> = Vec::new();
    let mut duplicates = 0;
    let mut conflicts: HashSet<String> = HashSet::new();
    for file in files {
        for record in read_any(&file, &mut problems) {
            let (status, reason) = classify(&record, options);
            let row = RosterRow { status, reason, record, source: file.clone() };
            match by_id.get(&row.record.record.id).and_then(|&i| rows.get_mut(i)) {
                Some(kept) => {
                    duplicates += 1;
                    keep_one(kept, row, &mut conflicts, &mut problems);
                }
                None => {
                    by_id.insert(row.record.record.id.clone(), rows.len());
                    rows.push(row);
                }
            }
        }
        steps.advance();
    }
    rows.sort_by(|a, b| {
        let key = |r: &RosterRow| (r.record.record.module_id.clone(), r.record.record.learner_name.clone());
        key(a).cmp(&key(b)).then(a.record.record.ended.cmp(&b.record.record.ended))
    });
    let (choices, questions) = stats(&rows);
    Roster { as_of: options.as_of, rows, choices, questions, problems, duplicates }
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
    copy: RosterRow,
    conflicts: &mut HashSet<String>,
    problems: &mut Vec<Problem>,
) {
    if kept.record == copy.record || conflicts.contains(&kept.record.record.id) {
        return;
    }
    let changed = |r: &RosterRow| r.status == RowStatus::Tampered;
    let untrusted = |r: &RosterRow| r.status == RowStatus::UnknownDevice;
    let prefer_copy = if changed(kept) != changed(&copy) {
        Some(changed(kept))
    } else if changed(kept) {
        // Both changed: the first stays, flagged; the second adds nothing to believe.
        return;
    } else if untrusted(kept) != untrusted(&copy) {
        Some(untrusted(kept))
    } else if kept.record.record == copy.record.record {
        // The same content signed by two devices: nothing to decide between.
        return;
    } else {
        None
    };
    let id = kept.record.record.id.clone();
    match prefer_copy {
        Some(use_copy) => {
            let (bad, good) = if use_copy { (&*kept, &copy) } else { (&copy, &*kept) };
            let name = crate::format::invisible::reveal(&bad.record.record.learner_name);
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
            problems.push(Problem { kept_at: None, path: bad.source.clone(), message });
            if use_copy {
                *kept = copy;
            }
        }
        None => {
            // Which copy the roster keeps (and an xAPI export on request carries, marked) must
            // not depend on the order the files came in: the one with the smaller signature.
            let mut pair = [
                (kept.record.device_fingerprint(), kept.source.clone()),
                (copy.record.device_fingerprint(), copy.source.clone()),
            ];
            pair.sort();
            let [(first_device, first_file), (second_device, second_file)] = pair;
            let reason = format!(
                "two different signed versions of this record: device {first_device} in {} and device \
                 {second_device} in {}; neither counts",
                first_file.display(),
                second_file.display()
            );
            let noticed_in = copy.source.clone();
            if copy.record.signature < kept.record.signature {
                kept.record = copy.record;
                kept.source = copy.source;
            }
            problems.push(Problem {
                kept_at: None,
                path: noticed_in,
                message: format!(
                    "record {id} ({}): {reason}",
                    crate::format::invisible::reveal(&kept.record.record.learner_name)
                ),
            });
            kept.status = RowStatus::Tampered;
            kept.reason = reason;
            conflicts.insert(id);
        }
    }
}

fn classify(signed: &SignedRecord, options: &MergeOptions) -> (RowStatus, String) {
    if let Err(e) = signed.verify() {
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

fn read_any(file: &Path, problems: &mut Vec<Problem>) -> Vec<SignedRecord> {
    if file.extension().is_some_and(|e| e == "ron") {
        return match read_record_file(file) {
            Ok(r) => vec![r],
            Err(e) => {
                problems.push(Problem {
                    kept_at: None,
                    path: file.to_owned(),
                    message: format!("unreadable record: {e}"),
                });
                Vec::new()
            }
        };
    }
    match read_records_file(file) {
        Ok((records, mut unreadable)) => {
            problems.append(&mut unreadable);
            records
        }
        Err(e) => {
            problems.push(Problem { kept_at: None, path: file.to_owned(), message: e.to_string() });
            Vec::new()
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

fn stats(rows: &[RosterRow]) -> (Vec<ChoiceStat>, Vec<QuestionStat>) {
    type NodeKey = (String, String, String);
    let mut taken: BTreeMap<(NodeKey, String), (bool, u32)> = BTreeMap::new();
    let mut node_totals: BTreeMap<NodeKey, u32> = BTreeMap::new();
    let mut questions: BTreeMap<(String, String, String), (u32, u32)> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.status != RowStatus::Tampered) {
        let r = &row.record.record;
        for c in &r.choices {
            let node: NodeKey = (r.module_id.clone(), c.step.clone(), c.node.clone());
            *node_totals.entry(node.clone()).or_insert(0) += 1;
            let e = taken.entry((node, c.choice.clone())).or_insert((c.critical, 0));
            e.0 |= c.critical;
            e.1 += 1;
        }
        for q in &r.questions {
            let e =
                questions.entry((r.module_id.clone(), q.step.clone(), q.question.clone())).or_insert((0, 0));
            e.0 += 1;
            e.1 += u32::from(!q.correct);
        }
    }
    let choices = taken
        .into_iter()
        .map(|((node, choice), (critical, taken))| ChoiceStat {
            node_total: node_totals.get(&node).copied().unwrap_or(taken),
            module_id: node.0,
            step: node.1,
            node: node.2,
            choice,
            critical,
            taken,
        })
        .collect();
    let questions = questions
        .into_iter()
        .map(|((module_id, step, question), (attempts, missed))| QuestionStat {
            module_id,
            step,
            question,
            attempts,
            missed,
        })
        .collect();
    (choices, questions)
}
