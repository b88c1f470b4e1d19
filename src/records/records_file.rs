//! The Faro records file: what `faro records export --format faro` writes and `merge` reads.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Problem, RecordError, SignedRecord};

/// The `format` field of a records file.
pub const RECORDS_FILE_FORMAT: &str = "faro-records";

/// Records files larger than this are refused (a laptop's records are a few hundred KiB).
const MAX_RECORDS_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A signed records file: each record carries its own device key and signature, so the file
/// can be checked record by record, and merged with others, without trusting its carrier.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordsFile {
    /// Always [`RECORDS_FILE_FORMAT`].
    pub format: String,
    /// File layout version (1).
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    /// Public key of the laptop that exported the file, when it has one.
    pub device_key: Option<String>,
    /// The name a coordinator gave that laptop, if any (a label, not proof: see `device_label.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_label: Option<String>,
    pub records: Vec<SignedRecord>,
}

/// The records as a pretty-printed records file.
pub fn records_file_json(
    records: &[SignedRecord],
    device_key: Option<String>,
) -> Result<String, RecordError> {
    records_file_json_labelled(records, device_key, None)
}

/// The records as a records file from a laptop with a name (see [`super::parse_device_label`]).
pub fn records_file_json_labelled(
    records: &[SignedRecord],
    device_key: Option<String>,
    device_label: Option<String>,
) -> Result<String, RecordError> {
    let file = RecordsFile {
        format: RECORDS_FILE_FORMAT.to_owned(),
        version: 1,
        exported_at: Utc::now(),
        device_key,
        device_label,
        records: records.to_vec(),
    };
    serde_json::to_string_pretty(&file).map_err(|e| RecordError::Encode(e.to_string()))
}

/// Reads a records file. An entry that is not a record (edited by hand, damaged) is reported
/// and the others are still returned; a file that is not a records file at all is an error.
pub fn read_records_file(path: &Path) -> Result<(Vec<SignedRecord>, Vec<Problem>), RecordError> {
    let not_records = |problem: String| RecordError::NotRecordsFile { path: path.to_owned(), problem };
    let size =
        std::fs::metadata(path).map_err(|source| RecordError::Read { path: path.to_owned(), source })?.len();
    if size > MAX_RECORDS_FILE_BYTES {
        return Err(not_records("it is far larger than any records file".to_owned()));
    }
    let bytes = std::fs::read(path).map_err(|source| RecordError::Read { path: path.to_owned(), source })?;
    // Read entry by entry: the whole file as one JSON value took several times its size in
    // memory (a 126 MB file of 25,000 records, over a gigabyte).
    let file: FileParts = serde_json::from_slice(&bytes).map_err(|e| {
        not_records(format!(
            "not valid JSON at line {}, column {} ({}); the file was damaged or edited, ask for a fresh export",
            e.line(),
            e.column(),
            e
        ))
    })?;
    drop(bytes);
    if file.format.as_ref().and_then(Value::as_str) != Some(RECORDS_FILE_FORMAT) {
        return Err(not_records(format!("its \"format\" is not \"{RECORDS_FILE_FORMAT}\"")));
    }
    // A file from a newer Faro may mean something else by the same fields: say so rather than
    // read it as if it were ours. (Every Faro so far writes version 1; a file without one is
    // read as version 1.)
    match file.version.as_ref().map(Value::as_u64) {
        None | Some(Some(1)) => {}
        Some(Some(v)) if v > 1 => {
            return Err(not_records(format!(
                "it was written by a newer Faro (records file version {v}; this Faro reads version 1): \
                 update Faro on this computer, then merge again"
            )));
        }
        Some(_) => return Err(not_records("its \"version\" is not a version number".to_owned())),
    }
    let Some(entries) = file.records else {
        return Err(not_records("it has no \"records\" list".to_owned()));
    };
    let mut records = Vec::with_capacity(entries.len());
    let mut problems = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        match entry.0 {
            Ok(r) => records.push(r),
            Err(e) => problems.push(Problem {
                kept_at: None,
                path: path.to_owned(),
                message: format!("record {}: unreadable, treated as tampered ({e})", i + 1),
            }),
        }
    }
    Ok((records, problems))
}

/// The parts of a records file that are read; other fields are ignored, as before.
#[derive(Deserialize)]
struct FileParts {
    format: Option<Value>,
    version: Option<Value>,
    records: Option<Vec<Entry>>,
}

/// One entry of `records`: a record, or why it is not one (the other entries still load).
struct Entry(Result<SignedRecord, String>);

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // One entry at a time as a value, so that a damaged entry is reported, not fatal.
        let value = Value::deserialize(deserializer)?;
        Ok(Entry(serde_json::from_value(value).map_err(|e| e.to_string())))
    }
}
