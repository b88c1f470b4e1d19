//! The Faro records file: what `faro records export --format faro` writes and `merge` reads.

use std::cell::Cell;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{FileHeader, Problem, RecordError, SignedRecord};

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
    let mut records = Vec::new();
    let mut problems = Vec::new();
    read_records_entries(path, |i, _, entry| match entry {
        Ok(r) => records.push(r),
        Err(e) => problems.push(unreadable_entry(path, i, &e)),
    })?;
    Ok((records, problems))
}

/// What is reported for entry `i` (from 0) of a records file that is not a record.
pub(crate) fn unreadable_entry(path: &Path, i: usize, error: &str) -> Problem {
    Problem {
        kept_at: None,
        path: path.to_owned(),
        message: format!("record {}: unreadable, treated as tampered ({error})", i + 1),
    }
}

/// Reads a records file entry by entry, calling `each` with each entry's index (from 0), where
/// it starts (see [`read_entry_at`]) and its record, or why it is not one: memory holds one entry
/// at a time, whatever the size of the file. Returns what the file says about the laptop that
/// exported it. On an error (not a records file, damaged JSON), the entries already given must
/// be thrown away: the file may say only after its records that it is not a records file.
pub(crate) fn read_records_entries(
    path: &Path,
    mut each: impl FnMut(usize, u64, Result<SignedRecord, String>),
) -> Result<FileHeader, RecordError> {
    use serde::de::Deserializer as _;
    let not_records = |problem: String| RecordError::NotRecordsFile { path: path.to_owned(), problem };
    let read_error = |source| RecordError::Read { path: path.to_owned(), source };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > MAX_RECORDS_FILE_BYTES {
        return Err(not_records("it is far larger than any records file".to_owned()));
    }
    // A whole file parsed as one JSON value took several times its size in memory (a 126 MB
    // file of 25,000 records, over a gigabyte); entries are parsed one at a time as they come.
    let position = Rc::new(Cell::new(0));
    let reader = Counting {
        inner: std::io::BufReader::with_capacity(1 << 16, file.take(MAX_RECORDS_FILE_BYTES)),
        read: Rc::clone(&position),
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut count = 0;
    let mut visit = |start: u64, entry: Result<SignedRecord, String>| {
        each(count, start, entry);
        count += 1;
    };
    let parts = de
        .deserialize_map(FileVisitor { each: &mut visit, position })
        .and_then(|parts| de.end().map(|()| parts));
    let file = parts.map_err(|e| {
        if e.is_io() {
            return not_records(format!("cannot read it: {e}"));
        }
        not_records(format!(
            "not valid JSON at line {}, column {} ({}); the file was damaged or edited, ask for a fresh export",
            e.line(),
            e.column(),
            e
        ))
    })?;
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
    if !file.records {
        return Err(not_records("it has no \"records\" list".to_owned()));
    }
    Ok(FileHeader::read(file.device_key, file.device_label, file.exported_at))
}

/// The parts of a records file that are checked; other fields are ignored, as before. The
/// entries of `records` go to the caller as they are read.
#[derive(Default)]
struct FileParts {
    format: Option<Value>,
    version: Option<Value>,
    /// Whether there was a `records` list.
    records: bool,
    /// Who exported the file, read leniently (see [`FileHeader::read`]).
    device_key: Option<Value>,
    device_label: Option<Value>,
    exported_at: Option<Value>,
}

struct FileVisitor<'a, F> {
    each: &'a mut F,
    position: Rc<Cell<u64>>,
}

impl<'de, F: FnMut(u64, Result<SignedRecord, String>)> serde::de::Visitor<'de> for FileVisitor<'_, F> {
    type Value = FileParts;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a records file (a JSON object)")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<FileParts, A::Error> {
        use serde::de::Error as _;
        let mut parts = FileParts::default();
        let (mut format, mut version, mut records) = (false, false, false);
        while let Some(key) = map.next_key::<String>()? {
            let seen = match key.as_str() {
                "format" => std::mem::replace(&mut format, true),
                "version" => std::mem::replace(&mut version, true),
                "records" => std::mem::replace(&mut records, true),
                _ => false,
            };
            if seen {
                return Err(A::Error::custom(format!("duplicate field `{key}`")));
            }
            match key.as_str() {
                "format" => parts.format = map.next_value()?,
                "version" => parts.version = map.next_value()?,
                "device_key" => parts.device_key = map.next_value()?,
                "device_label" => parts.device_label = map.next_value()?,
                "exported_at" => parts.exported_at = map.next_value()?,
                "records" => {
                    let entries = Entries { each: &mut *self.each, position: Rc::clone(&self.position) };
                    parts.records = map.next_value_seed(entries)?;
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(parts)
    }
}

/// The `records` list (or `null`, which is no list): each entry goes to `each`.
struct Entries<'a, F> {
    each: &'a mut F,
    /// Bytes of the file read so far.
    position: Rc<Cell<u64>>,
}

impl<'de, F: FnMut(u64, Result<SignedRecord, String>)> serde::de::DeserializeSeed<'de> for Entries<'_, F> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, F: FnMut(u64, Result<SignedRecord, String>)> serde::de::Visitor<'de> for Entries<'_, F> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        // One entry at a time as a value, so that a damaged entry is reported, not fatal. What
        // was read before an entry ends with the previous entry (or the `[`), or at most one
        // byte past it: the entry starts after whitespace and a comma.
        loop {
            let start = self.position.get();
            let Some(value) = seq.next_element::<Value>()? else { return Ok(true) };
            (self.each)(start, serde_json::from_value(value).map_err(|e| e.to_string()));
        }
    }
}

/// A reader that counts the bytes read through it.
struct Counting<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get().saturating_add(n as u64));
        Ok(n)
    }
}

/// Reads the one record that starts at `start` in a records file (a position
/// [`read_records_entries`] gave), without reading the rest of the file.
pub(crate) fn read_entry_at(path: &Path, start: u64) -> Result<SignedRecord, String> {
    use std::io::{BufRead, Seek};
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    file.seek(std::io::SeekFrom::Start(start)).map_err(|e| e.to_string())?;
    let mut reader = std::io::BufReader::with_capacity(1 << 14, file);
    // Whitespace and at most one comma come before the entry.
    let mut comma = false;
    loop {
        let skip = {
            let buf = reader.fill_buf().map_err(|e| e.to_string())?;
            let mut n = 0;
            for &b in buf {
                match b {
                    b' ' | b'\n' | b'\r' | b'\t' => n += 1,
                    b',' if !comma => {
                        comma = true;
                        n += 1;
                    }
                    _ => break,
                }
            }
            if n == 0 && !buf.is_empty() {
                break;
            }
            if buf.is_empty() {
                return Err("the file ends before the record".to_owned());
            }
            n
        };
        reader.consume(skip);
    }
    let mut de = serde_json::Deserializer::from_reader(reader.take(MAX_RECORDS_FILE_BYTES));
    let value = Value::deserialize(&mut de).map_err(|e| e.to_string())?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record can be read again from where the reader said it starts, however the file is
    /// laid out: pretty, compact, or with entries that are not records before and between them.
    #[test]
    fn a_record_reads_again_from_where_it_starts() {
        let (records, _) =
            read_records_file(Path::new("tests/fixtures/records/records-laptop-a.json")).unwrap();
        assert!(records.len() >= 2);
        let compact: Vec<String> = records.iter().map(|r| serde_json::to_string(r).unwrap()).collect();
        let layouts = [
            records_file_json(&records, None).unwrap(),
            format!(r#"{{"format":"faro-records","records":[{}]}}"#, compact.join(",")),
            format!(
                "{{\"records\" : [ 1 ,\"not a record\",{} ,\n\n\t{}, 2.5e3 ,{} ] , \"format\": \"faro-records\"}}",
                compact[0],
                compact[1],
                compact.last().unwrap()
            ),
        ];
        let dir = tempfile::tempdir().unwrap();
        for (n, text) in layouts.iter().enumerate() {
            let path = dir.path().join(format!("layout-{n}.json"));
            std::fs::write(&path, text).unwrap();
            let mut found = Vec::new();
            read_records_entries(&path, |_, start, entry| {
                if let Ok(record) = entry {
                    found.push((start, record));
                }
            })
            .unwrap();
            assert!(found.len() >= 2, "layout {n}");
            for (start, record) in &found {
                assert_eq!(&read_entry_at(&path, *start).unwrap(), record, "layout {n}, at {start}");
            }
        }
    }
}
