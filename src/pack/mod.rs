//! Module packs: manifest, hashing, signing and verification, safe extraction and install.
//!
//! A pack (`.faropack`) is a zip holding `faro-pack.ron` (the [`Manifest`]), `faro-pack.sig`
//! (an ed25519 signature over the manifest's exact bytes) and `modules/<folder>/…`. The format is
//! described in `docs/pack-format.md`. Nothing here knows about egui; the app and the CLI call
//! [`build`], [`verify`], [`install`], [`installed`] and [`remove`].

mod build;
mod durable;
mod error;
mod extract;
mod install;
mod installed;
mod layout;
mod manifest;
mod owners;
mod progress;
mod publisher;
mod recovery;
mod replace_bundled;
mod sign;
mod store;
mod trust;
mod validation_cache;
mod verify;

pub use build::{BuildOptions, Built, build};
pub use error::{FailurePoint, PackError};
pub use install::{InstallOptions, InstallReport, MovedProgress, install};
pub use installed::{installed, installed_module_dirs, remove};
pub use manifest::{
    MANIFEST_FORMAT, Manifest, ManifestFile, ManifestModule, PackId, Sha256Hash, check_name, check_path,
};
pub use owners::{OwnedModule, describe_owned, modules_of_other_publishers};
pub use progress::InstallProgress;
pub use publisher::{
    BUILT_PACKS_DIR, BuildHistory, BuiltPack, PUBLISHER_DIR, back_up_publisher_key, create_publisher_key,
    default_output_dir, diagnostics_by_module, publisher_dir, publisher_key,
};
pub use recovery::recover;
pub use replace_bundled::{REPLACEMENT_CONSENT_NAME, bundled_modules_in, describe_bundled};
pub use sign::{
    Fingerprint, KeyFiles, PUBLIC_KEY_FILE, PackSignature, SECRET_KEY_FILE, generate_key, key_from_hex,
    key_to_hex, keygen, read_public_key, read_secret_key,
};
pub use store::{InstalledPack, pack_dir, packs_dir};
pub use trust::{
    TrustDecision, TrustStatus, TrustStore, TrustedPublisher, load_trust_store, trust_status,
    trust_store_path,
};
pub use validation_cache::{
    CacheKey, CheckedModule, CheckedPack, SaveCache, VALIDATION_CACHE_NAME, load_checked, regions_digest,
};
pub use verify::{SignedManifest, VerifiedPack, read_signed, verify};

pub use ed25519_dalek::{SigningKey, VerifyingKey};

/// The manifest's name inside a pack (and inside an installed pack's folder).
pub const MANIFEST_NAME: &str = "faro-pack.ron";
/// The signature's name inside a pack (and inside an installed pack's folder).
pub const SIGNATURE_NAME: &str = "faro-pack.sig";
/// The folder inside a pack that holds the module folders.
pub const MODULES_DIR: &str = "modules";
/// The usual extension of pack files.
pub const PACK_EXTENSION: &str = "faropack";

/// Most files a pack may hold (modules hold a dozen or so each).
pub const MAX_PACK_FILES: usize = 10_000;
/// Most bytes a pack may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;
/// Largest pack file accepted; compression makes a real pack smaller than what it unpacks to.
pub const MAX_PACK_FILE_BYTES: u64 = MAX_UNPACKED_BYTES + 64 * 1024 * 1024;
/// Largest manifest accepted (10,000 files take about 1.5 MiB).
pub const MAX_MANIFEST_BYTES: u64 = 4 * 1024 * 1024;
/// Largest signature file accepted.
pub const MAX_SIGNATURE_BYTES: u64 = 4 * 1024;
/// Highest compression ratio accepted for an entry larger than [`RATIO_CHECK_MIN_BYTES`].
pub const MAX_COMPRESSION_RATIO: u64 = 100;
/// Entries smaller than this are not ratio-checked: tiny files of repeated text compress very well.
pub const RATIO_CHECK_MIN_BYTES: u64 = 1024 * 1024;
