//! A record with its device signature, and the canonical form that is signed.

use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Record, RecordError};

/// Prefixed to the canonical record before signing, so a record signature can never be
/// mistaken for a signature over anything else (a module pack, a newer record format).
const SIGNING_CONTEXT: &[u8] = b"faro-record-v1\n";

/// A record, the public key of the device that signed it, and the signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedRecord {
    pub record: Record,
    /// The signing device's ed25519 public key, 64 hex digits.
    pub device_key: String,
    /// ed25519 signature over the canonical JSON of `record`, 128 hex digits.
    pub signature: String,
}

impl SignedRecord {
    /// Checks the signature against `device_key`; any change to the record, the key or the
    /// signature makes this fail with the reason.
    pub fn verify(&self) -> Result<(), RecordError> {
        self.check().1
    }

    /// Like [`SignedRecord::verify`], and also the SHA-256 of the record's canonical form (the
    /// bytes that are signed): two copies of a record have the same digest exactly when their
    /// contents are equal, however their files were formatted. `None` when the record has no
    /// canonical form (then it is not authentic either).
    pub(crate) fn check(&self) -> (Option<[u8; 32]>, Result<(), RecordError>) {
        let message = match signed_message(&self.record) {
            Ok(message) => message,
            Err(e) => return (None, Err(e)),
        };
        let digest = content_digest(&message);
        let verified = (|| {
            let key = parse_public_key(&self.device_key).map_err(RecordError::Tampered)?;
            let sig = decode_fixed::<64>(&self.signature)
                .ok_or_else(|| RecordError::Tampered("the signature is not 128 hex digits".to_owned()))?;
            key.verify_strict(&message, &Signature::from_bytes(&sig))
                .map_err(|_| RecordError::Tampered("the record was changed after it was signed".to_owned()))
        })();
        (Some(digest), verified)
    }

    /// The digest [`SignedRecord::check`] gives, without checking the signature.
    pub(crate) fn content_digest(&self) -> Option<[u8; 32]> {
        signed_message(&self.record).ok().map(|m| content_digest(&m))
    }

    /// The short fingerprint of the signing device's key.
    pub fn device_fingerprint(&self) -> String {
        super::fingerprint(&self.device_key)
    }
}

/// A record whose signature does not match, and why.
#[derive(Debug)]
pub struct Tampered {
    pub record: SignedRecord,
    pub error: RecordError,
}

/// Splits records into those whose signature checks and those whose does not: exports leave the
/// latter out unless asked to keep them.
pub fn split_tampered(records: Vec<SignedRecord>) -> (Vec<SignedRecord>, Vec<Tampered>) {
    let mut authentic = Vec::new();
    let mut tampered = Vec::new();
    for record in records {
        match record.verify() {
            Ok(()) => authentic.push(record),
            Err(error) => tampered.push(Tampered { record, error }),
        }
    }
    (authentic, tampered)
}

/// The bytes that are signed: a context prefix, then the canonical JSON of the record.
pub(super) fn signed_message(record: &Record) -> Result<Vec<u8>, RecordError> {
    let mut message = SIGNING_CONTEXT.to_vec();
    message.extend_from_slice(canonical_json(record)?.as_bytes());
    Ok(message)
}

fn content_digest(message: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(message).into()
}

/// Parses a hex ed25519 public key.
pub(super) fn parse_public_key(hex: &str) -> Result<VerifyingKey, String> {
    let bytes = decode_fixed::<32>(hex).ok_or("the device key is not 64 hex digits")?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| "the device key is not a valid ed25519 key".to_owned())
}

/// Decodes exactly `N` bytes of hex (either case).
pub(super) fn decode_fixed<const N: usize>(hex: &str) -> Option<[u8; N]> {
    let bytes = data_encoding::HEXLOWER_PERMISSIVE.decode(hex.as_bytes()).ok()?;
    bytes.try_into().ok()
}

/// Canonical JSON of `value`: object keys sorted, no spaces, integers only.
///
/// Two serializations of equal values give identical bytes, whatever the field order in the file
/// the value was read from; that is what makes the signature independent of formatting.
pub fn canonical_json<T: Serialize>(value: &T) -> Result<String, RecordError> {
    let value = serde_json::to_value(value).map_err(|e| RecordError::Encode(e.to_string()))?;
    let mut out = String::new();
    write_canonical(&value, &mut out)?;
    Ok(out)
}

fn write_canonical(value: &Value, out: &mut String) -> Result<(), RecordError> {
    match value {
        Value::Null | Value::Bool(_) | Value::String(_) => out.push_str(&value.to_string()),
        Value::Number(n) => {
            // Floats have several textual forms; records hold integers only.
            if n.is_f64() {
                return Err(RecordError::Encode(format!("{n} is not an integer")));
            }
            out.push_str(&n.to_string());
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_has_no_spaces() {
        let v = serde_json::json!({"b": [1, {"z": null, "a": "é\""}], "a": true});
        assert_eq!(canonical_json(&v).unwrap(), r#"{"a":true,"b":[1,{"a":"é\"","z":null}]}"#);
        assert!(canonical_json(&serde_json::json!(1.5)).is_err());
    }
}
