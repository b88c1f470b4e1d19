//! The laptops behind a merge (issue 25 item 5): for each device key that signed records, the
//! name its coordinator gave it, when it last reported (the newest export time of the records
//! files it exported), and how many records and learners it holds. Like Kolibri's coaches seeing
//! each device's last sync: a coordinator sees which laptops have not reported for a while.
//!
//! The records and learners are counted from signed records. The name and the export time come
//! from the records files' headers, which are not signed: they say which laptop is which and
//! when a file was written, not who trained; anyone can write a file claiming another laptop's
//! key and name (docs/records.md, "Laptops").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Roster, fingerprint, parse_device_label};

/// Records files larger than this are not read for their header (as `merge` refuses them).
const MAX_HEADER_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One laptop (device key) that signed records in a merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Laptop {
    pub device_key: String,
    pub fingerprint: String,
    /// The name from the newest records file this laptop exported, if it carried one.
    pub label: Option<String>,
    /// The newest export time among the records files this laptop exported (`None` when its
    /// records came only in files without a header naming it: a copied data folder, another
    /// laptop's export, an old Faro's file).
    pub last_reported: Option<DateTime<Utc>>,
    pub records: usize,
    pub learners: usize,
    /// The end time of its newest record.
    pub newest_record: Option<DateTime<Utc>>,
    /// The files its records were found in.
    pub files: Vec<PathBuf>,
}

/// What a records file says about the laptop that wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileHeader {
    pub device_key: Option<String>,
    pub device_label: Option<String>,
    pub exported_at: Option<DateTime<Utc>>,
}

/// The laptops behind `roster`, the one whose last report is oldest (or unknown) first, then by
/// fingerprint. Reads the header of each records file the roster's records came from.
pub fn laptops(roster: &Roster) -> Vec<Laptop> {
    #[derive(Default)]
    struct Seen<'a> {
        records: usize,
        learners: BTreeSet<&'a str>,
        newest: Option<DateTime<Utc>>,
        files: BTreeSet<&'a Path>,
    }
    let mut by_key: BTreeMap<&str, Seen> = BTreeMap::new();
    for row in &roster.rows {
        let seen = by_key.entry(&*row.record.device_key).or_default();
        seen.records += 1;
        seen.learners.insert(row.record.learner_id.as_str());
        seen.newest = seen.newest.max(Some(row.record.ended));
        seen.files.insert(&*row.source);
    }
    // Each file's header once: (export time, name) per device key it names.
    let mut reported: BTreeMap<String, (Option<DateTime<Utc>>, Option<String>)> = BTreeMap::new();
    let files: BTreeSet<&Path> = by_key.values().flat_map(|s| s.files.iter().copied()).collect();
    for file in files {
        let Some(header) = read_header(file) else { continue };
        let Some(key) = header.device_key else { continue };
        let entry = reported.entry(key).or_default();
        if header.exported_at >= entry.0 {
            *entry = (header.exported_at, header.device_label);
        }
    }
    let mut laptops: Vec<Laptop> = by_key
        .into_iter()
        .map(|(key, seen)| {
            let (last_reported, label) = reported.remove(key).unwrap_or_default();
            Laptop {
                device_key: key.to_owned(),
                fingerprint: fingerprint(key),
                label,
                last_reported,
                records: seen.records,
                learners: seen.learners.len(),
                newest_record: seen.newest,
                files: seen.files.into_iter().map(Path::to_owned).collect(),
            }
        })
        .collect();
    laptops.sort_by(|a, b| (a.last_reported, &a.fingerprint).cmp(&(b.last_reported, &b.fingerprint)));
    laptops
}

/// The header of a Faro records file: who exported it, under what name, when. `None` for a file
/// that is not one (a single record's `.ron`, a damaged file: `merge` reports those). The
/// records themselves are skipped, not kept. A name that is not a plain, short label (see
/// [`parse_device_label`]) is dropped: names come from other laptops.
pub fn read_header(path: &Path) -> Option<FileHeader> {
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        device_key: Option<String>,
        device_label: Option<String>,
        exported_at: Option<DateTime<Utc>>,
        #[serde(rename = "records")]
        _records: Option<IgnoredAny>,
    }
    if path.extension().is_none_or(|e| e != "json") {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    if file.metadata().ok()?.len() > MAX_HEADER_FILE_BYTES {
        return None;
    }
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    let header: Header = serde_json::from_reader(reader).ok()?;
    if header.format.as_deref() != Some(super::RECORDS_FILE_FORMAT) {
        return None;
    }
    // A key is 64 hex digits; anything else names no laptop.
    let device_key = header.device_key.filter(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit()));
    let device_label = header.device_label.and_then(|l| parse_device_label(&l).ok().flatten());
    Some(FileHeader { device_key, device_label, exported_at: header.exported_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_header_says_who_exported_the_file_and_drops_what_is_not_a_plain_name() {
        let dir = tempfile::tempdir().unwrap();
        let key = "ab".repeat(32);
        let good = format!(
            r#"{{"format":"faro-records","version":1,"exported_at":"2026-11-20T10:00:00Z","device_key":"{key}","device_label":"Shelter laptop 3","records":[{{"any":"thing"}}]}}"#
        );
        let header = read_header(&write(dir.path(), "good.json", &good)).unwrap();
        assert_eq!(header.device_key.as_deref(), Some(key.as_str()));
        assert_eq!(header.device_label.as_deref(), Some("Shelter laptop 3"));
        assert_eq!(header.exported_at.map(|t| t.to_rfc3339()), Some("2026-11-20T10:00:00+00:00".to_owned()));

        let hostile = r#"{"format":"faro-records","exported_at":"2026-11-20T10:00:00Z","device_key":"not-a-key","device_label":"x\u001b]0;owned\u0007","records":[]}"#;
        let header = read_header(&write(dir.path(), "hostile.json", hostile)).unwrap();
        assert_eq!((header.device_key, header.device_label), (None, None));

        assert!(read_header(&write(dir.path(), "other.json", r#"{"format":"something-else"}"#)).is_none());
        assert!(read_header(&write(dir.path(), "broken.json", r#"{"format":"faro-records","#)).is_none());
        assert!(read_header(&write(dir.path(), "record.ron", "(format: 1)")).is_none());
        assert!(read_header(&dir.path().join("missing.json")).is_none());
    }
}
