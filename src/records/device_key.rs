//! This installation's signing key: made on first use, kept in the data directory, owner-only.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer, SigningKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::signed::{decode_fixed, signed_message};
use super::{Record, RecordError, SignedRecord};
use crate::data::DataDir;
use crate::data::store::{self, Quarantined};
use crate::data::store::{DataBytes, read_data_file};

/// The key's file name in the data directory.
pub const DEVICE_KEY_FILE: &str = "device-key.ron";

/// The key file: the secret, and the public key so that a damaged pair is noticed.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: u32,
    /// ed25519 secret key, 64 hex digits. Whoever holds it can sign records as this laptop.
    secret: String,
    public: String,
    created: DateTime<Utc>,
}

/// The ed25519 key that signs this installation's records.
pub struct DeviceKey {
    signing: SigningKey,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("DeviceKey").field("public", &self.public_hex()).finish_non_exhaustive()
    }
}

impl DeviceKey {
    /// The key in `data`, made and saved (owner-only) if there is none yet.
    ///
    /// A damaged key file is set aside and a new key made, so records can still be signed; the
    /// returned notice says where the old file went. Records signed with the old key still verify
    /// (each carries its public key) but show as another device in a coordinator's trust list.
    pub fn load_or_create(data: &DataDir) -> Result<(DeviceKey, Option<Quarantined>), RecordError> {
        let path = key_path(data);
        let notice = match read_key(&path) {
            Ok(Some(key)) => return Ok((key, None)),
            Ok(None) => None,
            Err(problem) => Some(store::quarantine(&path, problem)?),
        };
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| RecordError::Random(e.to_string()))?;
        let key = DeviceKey::from_secret(secret);
        match key.save_new(data) {
            Ok(()) => Ok((key, notice)),
            // Another Faro process made a key at the same moment: use that one.
            Err(RecordError::Write { source, .. }) if source.kind() == std::io::ErrorKind::AlreadyExists => {
                match read_key(&path) {
                    Ok(Some(existing)) => Ok((existing, notice)),
                    Ok(None) => Err(RecordError::BadKey { path, problem: "it vanished".to_owned() }),
                    Err(problem) => Err(RecordError::BadKey { path, problem }),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The key in `data`, if there is one; never creates or moves anything.
    pub fn load(data: &DataDir) -> Result<Option<DeviceKey>, RecordError> {
        let path = key_path(data);
        read_key(&path).map_err(|problem| RecordError::BadKey { path, problem })
    }

    /// A key from its 32 secret bytes (tests and fixtures; real keys come from [`Self::load_or_create`]).
    pub fn from_secret(secret: [u8; 32]) -> DeviceKey {
        DeviceKey { signing: SigningKey::from_bytes(&secret) }
    }

    /// Saves this key as the data directory's key, owner-only; fails if a key is already there,
    /// because replacing it would orphan every record signed with it.
    pub fn save_new(&self, data: &DataDir) -> Result<(), RecordError> {
        let file = KeyFile {
            format: 1,
            secret: data_encoding::HEXLOWER.encode(self.signing.as_bytes()),
            public: self.public_hex(),
            created: Utc::now(),
        };
        let text = ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::default())
            .map_err(|e| RecordError::Encode(e.to_string()))?;
        write_private_new(&key_path(data), text.as_bytes())
    }

    /// The public key, 64 hex digits; coordinators put it in their trust list.
    pub fn public_hex(&self) -> String {
        data_encoding::HEXLOWER.encode(self.signing.verifying_key().as_bytes())
    }

    /// The short fingerprint of the public key.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public_hex())
    }

    /// Signs a record.
    pub fn sign(&self, record: Record) -> Result<SignedRecord, RecordError> {
        let message = signed_message(&record)?;
        let signature = self.signing.sign(&message);
        Ok(SignedRecord {
            record,
            device_key: self.public_hex(),
            signature: data_encoding::HEXLOWER.encode(&signature.to_bytes()),
        })
    }
}

/// A short, stable name for a device key: the first 16 hex digits of SHA-256 of the key's bytes
/// (of the text itself when it is not hex).
pub fn fingerprint(public_hex: &str) -> String {
    let digest = match decode_fixed::<32>(public_hex) {
        Some(bytes) => Sha256::digest(bytes),
        None => Sha256::digest(public_hex.as_bytes()),
    };
    let hex = data_encoding::HEXLOWER.encode(&digest);
    hex.get(..16).unwrap_or(&hex).to_owned()
}

fn key_path(data: &DataDir) -> PathBuf {
    data.root().join(DEVICE_KEY_FILE)
}

/// Reads the key file: `Ok(None)` if absent, `Err(problem)` if damaged.
fn read_key(path: &Path) -> Result<Option<DeviceKey>, String> {
    let bytes = match read_data_file(path) {
        Ok(DataBytes::Read(bytes)) => bytes,
        Ok(DataBytes::Missing) => return Ok(None),
        Ok(DataBytes::TooLarge) => return Err("the file is far larger than a key file".to_owned()),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let text = String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_owned())?;
    let file: KeyFile = crate::load::data_options().from_str(&text).map_err(|e| e.to_string())?;
    let secret = decode_fixed::<32>(&file.secret).ok_or("the secret is not 64 hex digits")?;
    let key = DeviceKey::from_secret(secret);
    if !key.public_hex().eq_ignore_ascii_case(&file.public) {
        return Err("the public key does not match the secret".to_owned());
    }
    tighten_permissions(path);
    Ok(Some(key))
}

/// A key file copied with looser permissions (a checkout, a backup) is made owner-only again.
fn tighten_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::fs;
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            // Best effort: reading still works if the owner cannot change the mode (read-only media).
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Writes a new owner-only file atomically, refusing to replace an existing one.
fn write_private_new(path: &Path, bytes: &[u8]) -> Result<(), RecordError> {
    crate::data::store::write_new(path, bytes, true)
        .map_err(|source| RecordError::Write { path: path.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn key_is_made_once_owner_only_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path().to_owned());
        assert!(DeviceKey::load(&data).unwrap().is_none());
        let (k1, notice) = DeviceKey::load_or_create(&data).unwrap();
        assert!(notice.is_none());
        let (k2, _) = DeviceKey::load_or_create(&data).unwrap();
        assert_eq!(k1.public_hex(), k2.public_hex());
        assert!(k1.save_new(&data).is_err(), "an existing key is never replaced");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(DEVICE_KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!format!("{k1:?}").contains(&data_encoding::HEXLOWER.encode(k1.signing.as_bytes())));
    }

    #[test]
    fn damaged_key_is_set_aside_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path().to_owned());
        fs::write(dir.path().join(DEVICE_KEY_FILE), "KeyFile(").unwrap();
        assert!(DeviceKey::load(&data).is_err());
        let (_, notice) = DeviceKey::load_or_create(&data).unwrap();
        let notice = notice.expect("the damaged file is reported");
        assert!(notice.kept_at.exists());
    }
}
