//! The publishers this computer trusts (`<data>/trusted-publishers.ron`), and trust decisions.
//!
//! Trust is on first use: the first pack from a key is installed only when a person accepts its
//! fingerprint (or gives the publisher's public key file); later packs signed by that key install
//! without asking. A pack id stays bound to the key it was installed from.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use super::PackError;
use super::manifest::PackId;
use super::sign::{Fingerprint, key_from_hex, key_to_hex};
use crate::data::DataDir;

/// The trust store is a short list; anything larger is damaged.
const MAX_TRUST_STORE_BYTES: u64 = 1024 * 1024;

/// What the person installing decided about the pack's signer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustDecision {
    /// Install only if the signer is already trusted; otherwise [`PackError::UnknownPublisher`].
    KnownOnly,
    /// Trust this key (the person compared its fingerprint, or gave the publisher's key file);
    /// a pack signed by any other key is refused.
    Trust(VerifyingKey),
}

/// Where a pack's signer stands on this computer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustStatus {
    /// The key is trusted: install without asking.
    Trusted,
    /// The key is new here: show the fingerprint and ask.
    NewPublisher,
    /// This pack id is installed from another key: refuse, and warn.
    KeyChanged { installed: Fingerprint },
}

/// One trusted publisher key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedPublisher {
    /// The ed25519 public key, 64 hex digits.
    pub public_key: String,
    pub fingerprint: Fingerprint,
    /// The publisher name in the first pack trusted from this key (for people; not checked).
    pub name: String,
    pub trusted_at: DateTime<Utc>,
}

/// The trusted publisher keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustStore {
    pub publishers: Vec<TrustedPublisher>,
}

impl TrustStore {
    /// Whether `key` is trusted.
    pub fn trusts(&self, key: &VerifyingKey) -> bool {
        self.publishers.iter().any(|p| key_from_hex(&p.public_key).as_ref() == Some(key))
    }

    /// Trusts `key`; false when it already was.
    pub fn add(&mut self, key: &VerifyingKey, name: &str, now: DateTime<Utc>) -> bool {
        if self.trusts(key) {
            return false;
        }
        self.publishers.push(TrustedPublisher {
            public_key: key_to_hex(key),
            fingerprint: Fingerprint::of(key),
            name: name.to_owned(),
            trusted_at: now,
        });
        true
    }
}

/// Where the trust store lives.
pub fn trust_store_path(data: &DataDir) -> PathBuf {
    data.root().join("trusted-publishers.ron")
}

/// Reads the trust store; none yet is an empty store. A damaged store is an error rather than
/// being set aside: silently trusting nobody would make people accept keys again without thought.
pub fn load_trust_store(data: &DataDir) -> Result<TrustStore, PackError> {
    let path = trust_store_path(data);
    let text = match raw_trust_store(data)? {
        Some(text) => text,
        None => return Ok(TrustStore::default()),
    };
    crate::load::data_options()
        .from_str(&text)
        .map_err(|e| PackError::DamagedTrustStore { path, reason: e.to_string() })
}

/// The trust store's text, if there is one (kept so a failed install can put it back).
pub(crate) fn raw_trust_store(data: &DataDir) -> Result<Option<String>, PackError> {
    let path = trust_store_path(data);
    if !path.exists() {
        return Ok(None);
    }
    crate::load::read_text_capped(&path, MAX_TRUST_STORE_BYTES)
        .map(Some)
        .map_err(|d| PackError::DamagedTrustStore { path, reason: d.message })
}

/// Saves the trust store atomically.
pub(crate) fn save_trust_store(data: &DataDir, store: &TrustStore) -> Result<(), PackError> {
    Ok(crate::data::store::save_ron(&trust_store_path(data), store)?)
}

/// How a pack with id `pack_id` signed by `key` stands here: the CLI and the app ask this before
/// installing, to know whether to show the fingerprint and ask, or to warn.
pub fn trust_status(data: &DataDir, pack_id: &PackId, key: &VerifyingKey) -> Result<TrustStatus, PackError> {
    if let Some(installed) = super::store::read_installed(data, pack_id)?
        && &installed.public_key != key
    {
        return Ok(TrustStatus::KeyChanged { installed: installed.fingerprint });
    }
    Ok(if load_trust_store(data)?.trusts(key) { TrustStatus::Trusted } else { TrustStatus::NewPublisher })
}
