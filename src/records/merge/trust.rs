//! The coordinator's trust list: the device keys whose records count without a flag.

use std::collections::BTreeSet;
use std::path::Path;

use crate::records::{RecordError, fingerprint};

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
