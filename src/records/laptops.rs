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

use super::{Roster, fingerprint, parse_device_label};

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
/// fingerprint. The names and report times come from the headers of the records files the merge
/// read ([`Roster::files`]); nothing is read again.
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
    // Per device key a file names: its newest export time, and the name that file gave.
    let mut reported: BTreeMap<&str, (Option<DateTime<Utc>>, Option<&str>)> = BTreeMap::new();
    for (_, header) in &roster.files {
        let Some(key) = header.device_key.as_deref() else { continue };
        let entry = reported.entry(key).or_default();
        if header.exported_at >= entry.0 {
            *entry = (header.exported_at, header.device_label.as_deref());
        }
    }
    let mut laptops: Vec<Laptop> = by_key
        .into_iter()
        .map(|(key, seen)| {
            let (last_reported, label) = reported.get(key).copied().unwrap_or_default();
            Laptop {
                device_key: key.to_owned(),
                fingerprint: fingerprint(key),
                label: label.map(str::to_owned),
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

impl FileHeader {
    /// The header fields as a records file has them, read leniently: they are not signed and an
    /// old or foreign file may lack them or hold anything there, which names no laptop rather
    /// than making the file unreadable. A key must be 64 hex digits, a time RFC 3339, and a
    /// name a plain, short label ([`parse_device_label`]): names come from other laptops.
    pub(crate) fn read(
        device_key: Option<serde_json::Value>,
        device_label: Option<serde_json::Value>,
        exported_at: Option<serde_json::Value>,
    ) -> FileHeader {
        let text = |v: Option<serde_json::Value>| match v {
            Some(serde_json::Value::String(s)) => Some(s),
            _ => None,
        };
        FileHeader {
            device_key: text(device_key)
                .filter(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit())),
            device_label: text(device_label).and_then(|l| parse_device_label(&l).ok().flatten()),
            exported_at: text(exported_at)
                .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.to_utc()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_header_names_a_laptop_only_with_a_real_key_a_plain_name_and_a_time() {
        let key = "ab".repeat(32);
        let header = FileHeader::read(
            Some(json!(key)),
            Some(json!("Shelter laptop 3")),
            Some(json!("2026-11-20T10:00:00Z")),
        );
        assert_eq!(header.device_key.as_deref(), Some(key.as_str()));
        assert_eq!(header.device_label.as_deref(), Some("Shelter laptop 3"));
        assert_eq!(header.exported_at.map(|t| t.to_rfc3339()), Some("2026-11-20T10:00:00+00:00".to_owned()));

        let hostile = FileHeader::read(
            Some(json!("not-a-key")),
            Some(json!("x\u{1b}]0;owned\u{7}")),
            Some(json!("yesterday")),
        );
        assert_eq!(hostile, FileHeader::default());
        let wrong_types = FileHeader::read(Some(json!(12)), Some(json!(["a"])), Some(json!({"at": 1})));
        assert_eq!(wrong_types, FileHeader::default());
        assert_eq!(FileHeader::read(None, None, None), FileHeader::default());
    }
}
