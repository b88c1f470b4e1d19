//! The coordinator passphrase, kept only as an Argon2id hash (a PHC string with a random salt).

use std::fmt;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params};
use serde::{Deserialize, Serialize};

/// Shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// The most memory (KiB), passes and lanes a stored hash may ask for. The app's own hashes use
/// Argon2's defaults (19 MiB, 2 passes, 1 lane); a file edited to ask for gigabytes would freeze
/// the window at every try, so such a hash is refused like any damaged file.
const MAX_MEMORY_KIB: u32 = 256 * 1024;
const MAX_PASSES: u32 = 16;
const MAX_LANES: u32 = 8;

/// Why a passphrase could not be set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PassphraseError {
    #[error("the passphrase is shorter than {MIN_PASSPHRASE_CHARS} characters")]
    TooShort,
    #[error("the two passphrases differ")]
    Mismatch,
    #[error("the passphrase could not be hashed: {0}")]
    Hashing(String),
}

/// An Argon2id hash of the coordinator passphrase, as a PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`). It cannot hold anything else: parsing
/// refuses other algorithms and excessive costs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PassphraseHash(String);

impl PassphraseHash {
    /// Hashes a newly chosen passphrase, typed twice, with a fresh random salt.
    pub fn choose(passphrase: &str, confirmation: &str) -> Result<Self, PassphraseError> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(PassphraseError::TooShort);
        }
        if passphrase != confirmation {
            return Err(PassphraseError::Mismatch);
        }
        let hash = Argon2::default()
            .hash_password(passphrase.as_bytes())
            .map_err(|e| PassphraseError::Hashing(e.to_string()))?;
        Ok(Self(hash.to_string()))
    }

    /// Whether `attempt` is the passphrase (compared by Argon2, in constant time).
    pub fn matches(&self, attempt: &str) -> bool {
        let Ok(hash) = PasswordHash::new(&self.0) else { return false };
        Argon2::default().verify_password(attempt.as_bytes(), &hash).is_ok()
    }

    /// The PHC string as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PassphraseHash {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let hash = PasswordHash::new(&text).map_err(|e| format!("not a PHC password hash: {e}"))?;
        if hash.algorithm != Algorithm::Argon2id.ident() {
            return Err(format!("the hash uses {}, not argon2id", hash.algorithm));
        }
        if hash.salt.is_none() || hash.hash.is_none() {
            return Err("the hash has no salt or no output".to_owned());
        }
        let params = Params::try_from(&hash).map_err(|e| format!("the hash parameters are invalid: {e}"))?;
        if params.m_cost() > MAX_MEMORY_KIB || params.t_cost() > MAX_PASSES || params.p_cost() > MAX_LANES {
            return Err("the hash asks for more memory or time than Faro allows".to_owned());
        }
        Ok(Self(text))
    }
}

impl From<PassphraseHash> for String {
    fn from(hash: PassphraseHash) -> String {
        hash.0
    }
}

/// Only the algorithm is shown: the hash is nobody's business in a log.
impl fmt::Debug for PassphraseHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PassphraseHash(argon2id)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_passphrase_matches_only_itself() {
        let hash = PassphraseHash::choose("correct horse", "correct horse").unwrap();
        assert!(hash.as_str().starts_with("$argon2id$v=19$"), "{}", hash.as_str());
        assert!(!hash.as_str().contains("correct horse"));
        assert!(hash.matches("correct horse"));
        assert!(!hash.matches("correct hors"));
        assert!(!hash.matches(""));
        // A fresh salt each time: the same passphrase never gives the same string.
        let again = PassphraseHash::choose("correct horse", "correct horse").unwrap();
        assert_ne!(hash.as_str(), again.as_str());
        assert!(again.matches("correct horse"));
    }

    #[test]
    fn short_or_mistyped_passphrases_are_refused() {
        assert_eq!(PassphraseHash::choose("short", "short"), Err(PassphraseError::TooShort));
        assert_eq!(PassphraseHash::choose("long enough", "long enougj"), Err(PassphraseError::Mismatch));
        // Characters, not bytes: eight accented letters are enough.
        assert!(PassphraseHash::choose("áéíóúñüç", "áéíóúñüç").is_ok());
    }

    #[test]
    fn stored_hashes_are_parsed_not_trusted() {
        let good = PassphraseHash::choose("correct horse", "correct horse").unwrap();
        let parsed = PassphraseHash::try_from(good.as_str().to_owned()).unwrap();
        assert!(parsed.matches("correct horse"));
        for bad in [
            "",
            "correct horse",
            "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
            "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
            "$argon2id$v=19$m=19456,t=2,p=1",
        ] {
            assert!(PassphraseHash::try_from(bad.to_owned()).is_err(), "accepted {bad:?}");
        }
    }
}
