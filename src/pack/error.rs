//! The one error type of the pack area: every message names the file or entry and says what to do.

use std::path::PathBuf;

use crate::data::store::StoreError;
use crate::diagnostic::Diagnostic;

use super::sign::Fingerprint;

/// Why a pack could not be built, verified, installed or removed.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: not a Faro pack: {reason}")]
    NotAPack { path: PathBuf, reason: String },
    #[error("the pack file is {size} bytes; packs are at most {limit} bytes")]
    PackFileTooLarge { size: u64, limit: u64 },
    #[error("the pack holds {count} entries; packs hold at most {limit} files")]
    TooManyFiles { count: u64, limit: u64 },
    #[error("the pack unpacks to more than {limit_mib} MiB; split it into smaller packs")]
    TooMuchData { limit_mib: u64 },
    #[error("entry {name:?} has a name that is not valid UTF-8; packs only hold plain file names")]
    NonUtf8Name { name: String },
    #[error("entry {name:?} is unsafe: {reason}")]
    UnsafePath { name: String, reason: &'static str },
    #[error("entry {name:?} is a symbolic link; packs hold only regular files")]
    Symlink { name: String },
    #[error("entry {name:?} appears twice in the pack (names are compared ignoring case)")]
    DuplicateEntry { name: String },
    #[error(
        "entry {name:?} unpacks to {size} bytes from {compressed} ({ratio}:1), \
         more than the {limit}:1 limit: this looks like a zip bomb"
    )]
    ZipBomb { name: String, size: u64, compressed: u64, ratio: u64, limit: u64 },
    #[error("entry {name:?} is not laid out as `faro pack build` writes it: {reason}")]
    NonCanonical { name: String, reason: String },
    #[error("the pack has no {name}: it is not a Faro pack, or it is damaged")]
    MissingPackFile { name: &'static str },
    #[error("the signature file is damaged: {reason}")]
    BadSignatureFile { reason: String },
    #[error(
        "the pack is signed by key {found}, not by the trusted key {expected}; \
         ask the publisher which key they use"
    )]
    WrongKey { expected: Fingerprint, found: Fingerprint },
    #[error(
        "the signature does not match the manifest: the pack was changed after it was signed, \
         or is damaged; get a fresh copy from the publisher"
    )]
    BadSignature,
    #[error("the manifest is invalid: {reason}")]
    BadManifest { reason: String },
    #[error("the pack holds {name:?}, which its manifest does not list")]
    Unlisted { name: String },
    #[error("the manifest lists {name:?}, but the pack does not hold it")]
    Missing { name: String },
    #[error("{name:?} is {found} bytes, but the manifest says {expected}")]
    SizeMismatch { name: String, expected: u64, found: u64 },
    #[error("{name:?} does not match its SHA-256 hash in the manifest: the file was changed or damaged")]
    HashMismatch { name: String },
    #[error("cannot unpack {name:?}: {reason}; the pack file is damaged or was altered: get a fresh copy")]
    Unpack { name: String, reason: String },
    #[error("image {name:?} is {width}×{height} pixels; the limit is {limit}×{limit}")]
    OversizedImage { name: String, width: u32, height: u32, limit: u32 },
    #[error("image {name:?} cannot be read: {reason}")]
    BadImage { name: String, reason: String },
    #[error("{} error(s) in the modules; the first: {}", count_errors(.diagnostics), first_error(.diagnostics))]
    InvalidModules { diagnostics: Vec<Diagnostic> },
    #[error("module folder {dir:?} holds module {found:?}, but the manifest says {expected:?}")]
    ModuleIdMismatch { dir: String, expected: String, found: String },
    #[error("cannot build the pack from {path}: {reason}")]
    BuildInput { path: PathBuf, reason: String },
    #[error("{path}: {reason}")]
    KeyFile { path: PathBuf, reason: String },
    #[error("{path} already exists; choose another folder, or move the old keys away first")]
    KeyExists { path: PathBuf },
    #[error("pack id {id:?} is invalid: {reason}")]
    InvalidPackId { id: String, reason: &'static str },
    #[error(
        "publisher {publisher:?} (key {fingerprint}) is not trusted on this computer yet; \
         check the fingerprint with the publisher, then trust the key"
    )]
    UnknownPublisher { publisher: String, fingerprint: Fingerprint },
    #[error(
        "WARNING: pack {pack_id:?} is installed from key {installed}, but this copy is signed by \
         key {offered}. It may not come from the same publisher. Not installed; if the publisher \
         really changed keys, remove the old pack first (faro pack remove {pack_id})"
    )]
    KeyChanged { pack_id: String, installed: Fingerprint, offered: Fingerprint },
    #[error(
        "pack {pack_id:?} {installed} is installed; this file is the older {offered}. \
         Not installed (use --allow-downgrade to replace the newer version)"
    )]
    Downgrade { pack_id: String, installed: semver::Version, offered: semver::Version },
    #[error(
        "pack {pack_id:?} {version} is installed with different content; the publisher must raise \
         the version (or use --allow-downgrade to replace it anyway)"
    )]
    SameVersionDiffers { pack_id: String, version: semver::Version },
    #[error(
        "this pack carries {modules}, which Faro already bundles. Not installed: installing it \
         with --replace-bundled makes the publisher's version replace Faro's own, and learners' \
         progress and completion records for that module will then refer to the publisher's \
         content, not Faro's"
    )]
    ReplacesBundled { modules: String },
    #[error(
        "this pack, signed by publisher {publisher:?} (key {fingerprint}), carries {modules}. \
         Not installed: a module belongs to the publisher it was installed from; installing this \
         pack with --replace makes {publisher:?}'s version take its place, and learners' progress \
         and completion records for it will then refer to {publisher:?}'s content"
    )]
    ReplacesPublisher { publisher: String, fingerprint: Fingerprint, modules: String },
    #[error("no pack {pack_id:?} is installed")]
    NotInstalled { pack_id: String },
    #[error("{path} is damaged ({reason}); fix it, or delete it and trust your publishers again")]
    DamagedTrustStore { path: PathBuf, reason: String },
    #[error("installed pack {path} is damaged ({reason}); remove it and install it again")]
    DamagedInstall { path: PathBuf, reason: String },
    #[error("the bundled region data does not parse: {0}")]
    Regions(Diagnostic),
    #[error("another Faro is installing or removing a pack in {path}; try again when it has finished")]
    Busy { path: PathBuf },
    #[error("no data folder: set FARO_DATA_DIR to a folder Faro may write to")]
    NoDataDir,
    #[error("the install stopped on purpose at {0:?} (a test of interrupted installs)")]
    Simulated(FailurePoint),
    #[error("the install was cancelled; nothing was changed")]
    Cancelled,
}

impl PackError {
    /// An I/O error about `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

fn first_error(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().find(|d| d.is_error()).map_or_else(String::new, ToString::to_string)
}

/// Where an install fails on purpose, to test that failures and crashes change nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailurePoint {
    /// An error after the first file is unpacked.
    MidExtract,
    /// The final rename of the new pack into place fails (after progress was moved aside).
    FinalRename,
    /// The process "dies" just before the final rename: nothing is undone until [`recover`].
    CrashBeforeRename,
}
