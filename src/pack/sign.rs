//! Publisher keys (ed25519), their files and fingerprints, and the pack signature.

use std::fmt;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::PackError;

/// The secret key's file name, written by [`keygen`].
pub const SECRET_KEY_FILE: &str = "faro-publisher.key";
/// The public key's file name, written by [`keygen`]; this is the file publishers hand out.
pub const PUBLIC_KEY_FILE: &str = "faro-publisher.pub";

/// The first word of a secret key file, so a key given in the wrong place is recognised.
const SECRET_TAG: &str = "faro-ed25519-secret-key";
/// The first word of a public key file.
const PUBLIC_TAG: &str = "faro-ed25519-public-key";
/// Key files are one short line; anything larger is not a key.
const MAX_KEY_FILE_BYTES: u64 = 1024;

/// A short, human-comparable name for a public key: the first 8 bytes of its SHA-256, in hex
/// groups (`1a2b 3c4d 5e6f 7a8b`). Trust is always decided on the whole key, never on this.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(String);

impl Fingerprint {
    /// The fingerprint of `key`.
    pub fn of(key: &VerifyingKey) -> Self {
        let digest = Sha256::digest(key.as_bytes());
        let groups: Vec<String> = digest.chunks(2).take(4).map(hex::encode).collect();
        Self(groups.join(" "))
    }

    /// The fingerprint as shown to people.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where [`keygen`] wrote the keys.
#[derive(Clone, Debug)]
pub struct KeyFiles {
    pub secret: PathBuf,
    pub public: PathBuf,
    pub fingerprint: Fingerprint,
}

/// A new random signing key from the operating system's generator.
pub fn generate_key() -> Result<SigningKey, PackError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| PackError::KeyFile {
        path: PathBuf::from("(random generator)"),
        reason: format!("the system gave no random numbers for a new key: {e}"),
    })?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Writes a new key pair into `dir` (created if needed): the secret key readable by its owner
/// only, and the public key. Existing key files are never overwritten.
pub fn keygen(dir: &Path) -> Result<KeyFiles, PackError> {
    std::fs::create_dir_all(dir).map_err(|e| PackError::io(dir, e))?;
    let secret = dir.join(SECRET_KEY_FILE);
    let public = dir.join(PUBLIC_KEY_FILE);
    for path in [&secret, &public] {
        if path.exists() {
            return Err(PackError::KeyExists { path: path.clone() });
        }
    }
    let key = generate_key()?;
    let secret_text = format!("{SECRET_TAG} {}\n", hex::encode(key.to_bytes()));
    write_new_file(&secret, secret_text.as_bytes(), true)?;
    let verifying = key.verifying_key();
    let public_text = format!("{PUBLIC_TAG} {}\n", hex::encode(verifying.to_bytes()));
    if let Err(e) = write_new_file(&public, public_text.as_bytes(), false) {
        // Half a key pair is confusing; the secret key was never used, so it can go.
        let _ = std::fs::remove_file(&secret);
        return Err(e);
    }
    Ok(KeyFiles { secret, public, fingerprint: Fingerprint::of(&verifying) })
}

/// Creates `path` atomically (failing if it exists), owner-only (0600) when `private` on Unix.
pub(crate) fn write_new_file(path: &Path, bytes: &[u8], private: bool) -> Result<(), PackError> {
    crate::data::store::write_new(path, bytes, private).map_err(|e| PackError::io(path, e))
}

/// Reads a secret key file written by [`keygen`].
pub fn read_secret_key(path: &Path) -> Result<SigningKey, PackError> {
    let bytes =
        read_key_bytes(path, SECRET_TAG, PUBLIC_TAG, "this is a public key; --key needs the secret key")?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Reads a public key file written by [`keygen`].
pub fn read_public_key(path: &Path) -> Result<VerifyingKey, PackError> {
    let bytes = read_key_bytes(
        path,
        PUBLIC_TAG,
        SECRET_TAG,
        "this is a SECRET key: never hand it out; use the .pub file beside it",
    )?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| PackError::KeyFile {
        path: path.to_owned(),
        reason: "not a valid ed25519 public key".into(),
    })
}

fn read_key_bytes(path: &Path, tag: &str, other_tag: &str, other_hint: &str) -> Result<[u8; 32], PackError> {
    let fail = |reason: String| PackError::KeyFile { path: path.to_owned(), reason };
    let text = crate::load::read_text_capped(path, MAX_KEY_FILE_BYTES).map_err(|d| fail(d.message))?;
    let (found_tag, hex_key) = text.trim().split_once(' ').unwrap_or(("", ""));
    if found_tag == other_tag {
        return Err(fail(other_hint.to_owned()));
    }
    if found_tag != tag {
        return Err(fail(format!("not a Faro key file (it should start with \"{tag}\")")));
    }
    parse_hex32(hex_key.trim()).ok_or_else(|| fail("the key is not 64 hexadecimal digits".to_owned()))
}

/// Parses exactly 32 bytes of hex.
pub(crate) fn parse_hex32(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

/// The public key as hex, as stored in signatures and the trust store.
pub fn key_to_hex(key: &VerifyingKey) -> String {
    hex::encode(key.to_bytes())
}

/// Parses a public key from hex.
pub fn key_from_hex(text: &str) -> Option<VerifyingKey> {
    VerifyingKey::from_bytes(&parse_hex32(text)?).ok()
}

/// The contents of `faro-pack.sig`: which key signed the manifest, and the signature.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatureFile {
    algorithm: String,
    public_key: String,
    signature: String,
}

/// A parsed pack signature.
#[derive(Clone, Debug)]
pub struct PackSignature {
    pub public_key: VerifyingKey,
    pub signature: Signature,
}

impl PackSignature {
    /// Signs the exact manifest bytes.
    pub fn create(key: &SigningKey, manifest: &[u8]) -> Self {
        Self { public_key: key.verifying_key(), signature: key.sign(manifest) }
    }

    /// The signature file's text.
    pub fn to_text(&self) -> Result<String, PackError> {
        let file = SignatureFile {
            algorithm: "ed25519".into(),
            public_key: key_to_hex(&self.public_key),
            signature: hex::encode(self.signature.to_bytes()),
        };
        ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::default())
            .map_err(|e| PackError::BadSignatureFile { reason: e.to_string() })
    }

    /// Parses the signature file's text.
    pub fn parse(text: &str) -> Result<Self, PackError> {
        let fail = |reason: String| PackError::BadSignatureFile { reason };
        let file: SignatureFile =
            crate::load::data_options().from_str(text).map_err(|e| fail(e.to_string()))?;
        if file.algorithm != "ed25519" {
            return Err(fail(format!("unknown algorithm {:?}; this Faro knows ed25519", file.algorithm)));
        }
        let public_key =
            key_from_hex(&file.public_key).ok_or_else(|| fail("the public key is not valid".to_owned()))?;
        let mut sig = [0u8; 64];
        hex::decode_to_slice(&file.signature, &mut sig)
            .map_err(|_| fail("the signature is not 128 hexadecimal digits".to_owned()))?;
        Ok(Self { public_key, signature: Signature::from_bytes(&sig) })
    }

    /// Checks the signature over `manifest`, and that it was made by `trusted` when given.
    pub fn check(&self, manifest: &[u8], trusted: Option<&VerifyingKey>) -> Result<(), PackError> {
        if let Some(trusted) = trusted
            && trusted != &self.public_key
        {
            return Err(PackError::WrongKey {
                expected: Fingerprint::of(trusted),
                found: Fingerprint::of(&self.public_key),
            });
        }
        // Strict verification refuses malleable signatures and weak keys.
        self.public_key.verify_strict(manifest, &self.signature).map_err(|_| PackError::BadSignature)
    }

    /// The signer's fingerprint.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.public_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let files = keygen(dir.path()).unwrap();
        let secret = read_secret_key(&files.secret).unwrap();
        let public = read_public_key(&files.public).unwrap();
        assert_eq!(secret.verifying_key(), public);
        assert_eq!(Fingerprint::of(&public), files.fingerprint);
        assert!(matches!(read_public_key(&files.secret), Err(PackError::KeyFile { .. })));
        assert!(matches!(read_secret_key(&files.public), Err(PackError::KeyFile { .. })));
        assert!(matches!(keygen(dir.path()), Err(PackError::KeyExists { .. })));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&files.secret).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn signatures_check_content_and_key() {
        let key = generate_key().unwrap();
        let other = generate_key().unwrap();
        let sig = PackSignature::create(&key, b"manifest");
        let parsed = PackSignature::parse(&sig.to_text().unwrap()).unwrap();
        parsed.check(b"manifest", None).unwrap();
        parsed.check(b"manifest", Some(&key.verifying_key())).unwrap();
        assert!(matches!(parsed.check(b"manifesT", None), Err(PackError::BadSignature)));
        assert!(matches!(
            parsed.check(b"manifest", Some(&other.verifying_key())),
            Err(PackError::WrongKey { .. })
        ));
        assert_eq!(Fingerprint::of(&key.verifying_key()).as_str().len(), 19);
    }
}
