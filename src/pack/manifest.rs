//! The pack manifest: what the pack is, which modules it holds, and every file's size and SHA-256.
//!
//! Parse, don't validate: a [`Manifest`] that parsed has a valid id, safe paths, no duplicates
//! and sizes within the caps, so later code can trust it.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{MAX_PACK_FILES, MAX_UNPACKED_BYTES, MODULES_DIR, PackError};
use crate::load::MODULE_FILE;

/// The manifest format this Faro writes and reads.
pub const MANIFEST_FORMAT: u32 = 1;

/// Longest path inside a pack, in bytes; well under every OS limit once joined to the data folder.
const MAX_PATH_BYTES: usize = 200;
/// Longest single file or folder name inside a pack.
const MAX_NAME_BYTES: usize = 100;
/// Deepest folder nesting inside a pack.
const MAX_DEPTH: usize = 12;
/// Longest title or publisher name.
const MAX_LABEL_CHARS: usize = 200;

/// A pack id: 1 to 64 of `a-z`, `0-9` and `-`; it names the install folder.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PackId(String);

impl PackId {
    /// Parses a pack id.
    pub fn new(id: &str) -> Result<Self, PackError> {
        let fail = |reason| PackError::InvalidPackId { id: id.to_owned(), reason };
        if id.is_empty() || id.len() > 64 {
            return Err(fail("it must be 1 to 64 characters long"));
        }
        if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err(fail("use only a-z, 0-9 and -"));
        }
        if id.starts_with('-') || id.ends_with('-') {
            return Err(fail("it must not start or end with -"));
        }
        Ok(Self(id.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PackId {
    type Error = PackError;
    fn try_from(id: String) -> Result<Self, PackError> {
        Self::new(&id)
    }
}

impl From<PackId> for String {
    fn from(id: PackId) -> String {
        id.0
    }
}

impl fmt::Display for PackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A SHA-256 digest, written as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hash(pub [u8; 32]);

impl TryFrom<String> for Sha256Hash {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        super::sign::parse_hex32(&text).map(Self).ok_or_else(|| format!("{text:?} is not 64 hex digits"))
    }
}

impl From<Sha256Hash> for String {
    fn from(h: Sha256Hash) -> String {
        hex::encode(h.0)
    }
}

impl fmt::Debug for Sha256Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// One module in the pack: its folder under `modules/`, and the id and version of its `module.ron`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestModule {
    pub dir: String,
    pub id: String,
    pub version: semver::Version,
}

/// One file in the pack, with its exact size and hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// `modules/<dir>/<path inside the module>`, with `/` separators.
    pub path: String,
    pub size: u64,
    pub sha256: Sha256Hash,
}

/// The signed description of a pack (`faro-pack.ron`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT`] for packs this Faro can read.
    pub format: u32,
    pub id: PackId,
    /// The pack's semantic version; a newer one replaces an older one on install.
    pub version: semver::Version,
    pub title: String,
    /// Who made the pack, as shown to people; the key fingerprint is what identifies them.
    pub publisher: String,
    pub created: DateTime<Utc>,
    pub modules: Vec<ManifestModule>,
    pub files: Vec<ManifestFile>,
}

/// Reads only the format number, so a newer format gets a clear message instead of a parse error.
#[derive(Deserialize)]
struct FormatProbe {
    format: u32,
}

impl Manifest {
    /// Parses and checks manifest text (already known to be signed).
    pub fn parse(text: &str) -> Result<Self, PackError> {
        let fail = |reason: String| PackError::BadManifest { reason };
        let probe: FormatProbe =
            crate::load::data_options().from_str(text).map_err(|e| fail(e.to_string()))?;
        if probe.format != MANIFEST_FORMAT {
            return Err(fail(format!(
                "format {} is not known to this Faro (it reads format {MANIFEST_FORMAT}); update Faro",
                probe.format
            )));
        }
        let manifest: Manifest =
            crate::load::data_options().from_str(text).map_err(|e| fail(e.to_string()))?;
        manifest.check()?;
        Ok(manifest)
    }

    /// The manifest as pretty RON, the exact bytes that get signed.
    pub fn to_text(&self) -> Result<String, PackError> {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| PackError::BadManifest { reason: format!("cannot encode: {e}") })
    }

    /// Checks everything that types alone do not: labels, module folders, paths, caps.
    pub fn check(&self) -> Result<(), PackError> {
        let fail = |reason: String| PackError::BadManifest { reason };
        check_label("title", &self.title).map_err(fail)?;
        check_label("publisher", &self.publisher).map_err(fail)?;
        if self.modules.is_empty() {
            return Err(fail("the pack holds no modules".to_owned()));
        }
        let mut dirs = HashSet::new();
        let mut ids = HashSet::new();
        for m in &self.modules {
            check_name(&m.dir).map_err(|r| fail(format!("module folder {:?}: {r}", m.dir)))?;
            if !dirs.insert(m.dir.to_ascii_lowercase()) {
                return Err(fail(format!("module folder {:?} is listed twice", m.dir)));
            }
            if m.id.is_empty()
                || !m.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(fail(format!("module id {:?} must use only a-z, 0-9 and -", m.id)));
            }
            if !ids.insert(m.id.as_str()) {
                return Err(fail(format!("module id {:?} is listed twice", m.id)));
            }
        }
        if self.files.len() > MAX_PACK_FILES {
            return Err(PackError::TooManyFiles {
                count: self.files.len() as u64,
                limit: MAX_PACK_FILES as u64,
            });
        }
        let mut total: u64 = 0;
        let mut paths = HashSet::new();
        let mut folders = HashSet::new();
        for f in &self.files {
            total = total.saturating_add(f.size);
            check_path(&f.path).map_err(|r| fail(format!("file {:?}: {r}", f.path)))?;
            let Some((dir, _)) = split_module_path(&f.path) else {
                return Err(fail(format!("file {:?} is not inside {MODULES_DIR}/<module folder>/", f.path)));
            };
            if !self.modules.iter().any(|m| m.dir == dir) {
                return Err(fail(format!(
                    "file {:?} is in a module folder the manifest does not list",
                    f.path
                )));
            }
            if !paths.insert(f.path.to_ascii_lowercase()) {
                return Err(PackError::DuplicateEntry { name: f.path.clone() });
            }
            let mut prefix = f.path.as_str();
            while let Some((parent, _)) = prefix.rsplit_once('/') {
                folders.insert(parent.to_ascii_lowercase());
                prefix = parent;
            }
        }
        if total > MAX_UNPACKED_BYTES {
            return Err(PackError::TooMuchData { limit_mib: MAX_UNPACKED_BYTES / (1024 * 1024) });
        }
        if let Some(f) = self.files.iter().find(|f| folders.contains(&f.path.to_ascii_lowercase())) {
            return Err(fail(format!("{:?} is listed both as a file and as a folder", f.path)));
        }
        for m in &self.modules {
            let module_file = format!("{MODULES_DIR}/{}/{MODULE_FILE}", m.dir);
            if !self.files.iter().any(|f| f.path == module_file) {
                return Err(fail(format!("module folder {:?} has no {MODULE_FILE}", m.dir)));
            }
        }
        Ok(())
    }

    /// The listed file at `path`.
    pub fn file(&self, path: &str) -> Option<&ManifestFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The files of module `id`, by path inside the module folder: what decides whether it changed.
    pub fn module_files(&self, id: &str) -> Option<BTreeMap<&str, Sha256Hash>> {
        let module = self.modules.iter().find(|m| m.id == id)?;
        Some(
            self.files
                .iter()
                .filter_map(|f| {
                    let (dir, rest) = split_module_path(&f.path)?;
                    (dir == module.dir).then_some((rest, f.sha256))
                })
                .collect(),
        )
    }

    /// The module with this id.
    pub fn module(&self, id: &str) -> Option<&ManifestModule> {
        self.modules.iter().find(|m| m.id == id)
    }
}

/// `modules/<dir>/<rest>` split into `(dir, rest)`.
pub(crate) fn split_module_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix(MODULES_DIR)?.strip_prefix('/')?;
    rest.split_once('/')
}

fn check_label(what: &str, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if text.chars().count() > MAX_LABEL_CHARS {
        return Err(format!("the {what} is longer than {MAX_LABEL_CHARS} characters"));
    }
    // Control characters could rewrite a terminal line and fake what the user is asked to trust.
    if text.chars().any(char::is_control) {
        return Err(format!("the {what} contains control characters"));
    }
    // So do invisible formatting characters on screen: a right-to-left override or a zero-width
    // space makes the name the user is asked to trust read differently from what it is.
    if let Some(c) = crate::format::invisible::first_invisible(text) {
        return Err(format!(
            "the {what} contains an invisible formatting character ({}), which can make it display differently from what it is",
            crate::format::invisible::code_point(c)
        ));
    }
    Ok(())
}

/// Checks a path inside a pack: `/`-separated names, each passing [`check_name`].
pub fn check_path(path: &str) -> Result<(), String> {
    if path.len() > MAX_PATH_BYTES {
        return Err(format!("the path is longer than {MAX_PATH_BYTES} bytes"));
    }
    let parts: Vec<&str> = path.split('/').collect();
    if parts.len() > MAX_DEPTH {
        return Err(format!("folders nest deeper than {MAX_DEPTH} levels"));
    }
    for part in parts {
        check_name(part)?;
    }
    Ok(())
}

/// Checks one file or folder name: portable on every OS Faro runs on, and never special.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a name is empty (two / in a row, or a / at the end)".to_owned());
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(format!("the name {name:?} is longer than {MAX_NAME_BYTES} bytes"));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        return Err(format!("the name {name:?} may use only letters a-z, A-Z, digits, '.', '-' and '_'"));
    }
    if name.starts_with('.') || name.ends_with('.') {
        return Err(format!("the name {name:?} must not start or end with '.'"));
    }
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.ends_with(|c: char| c.is_ascii_digit()));
    if reserved {
        return Err(format!("the name {name:?} is reserved on Windows"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_portable_and_safe() {
        assert!(check_path("modules/a-b/images/x_1.png").is_ok());
        for bad in ["../x", "a//b", "a/./b", ".hidden", "a\\b", "con.txt", "a b", "é", "/abs", "x."] {
            assert!(check_path(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn newer_formats_and_unsafe_paths_are_refused_with_a_reason() {
        let newer = "(format: 2, id: \"x\", future_field: true)";
        let err = Manifest::parse(newer).unwrap_err().to_string();
        assert!(err.contains("format 2") && err.contains("update Faro"), "{err}");
        let slip = r#"(format: 1, id: "p", version: "1.0.0", title: "T", publisher: "P",
            created: "2026-01-01T00:00:00Z", modules: [(dir: "m", id: "m", version: "1.0.0")],
            files: [(path: "modules/m/../../x", size: 1, sha256: "%")])"#
            .replace('%', &"0".repeat(64));
        let err = Manifest::parse(&slip).unwrap_err().to_string();
        assert!(err.contains("modules/m/../../x"), "{err}");
    }

    /// A one-module manifest with this title and publisher.
    fn manifest(title: &str, publisher: &str) -> String {
        format!(
            r#"(format: 1, id: "p", version: "1.0.0", title: "{title}", publisher: "{publisher}",
            created: "2026-01-01T00:00:00Z", modules: [(dir: "m", id: "m", version: "1.0.0")],
            files: [(path: "modules/m/module.ron", size: 1, sha256: "{}")])"#,
            "0".repeat(64)
        )
    }

    /// Issue 17: a publisher name or title that would display differently from what it is (a
    /// right-to-left override, a zero-width space) is refused before anyone is asked to trust it.
    #[test]
    fn spoofing_characters_in_the_publisher_or_title_are_refused() {
        assert!(Manifest::parse(&manifest("Border basics", "Faro project")).is_ok());
        let err = Manifest::parse(&manifest("Border basics", "Faro\u{202E}tcejorp")).unwrap_err().to_string();
        assert!(err.contains("publisher") && err.contains("U+202E"), "{err}");
        let err =
            Manifest::parse(&manifest("Border\u{200B} basics", "Faro project")).unwrap_err().to_string();
        assert!(err.contains("title") && err.contains("U+200B"), "{err}");
    }

    /// Issue 26: blank-looking characters outside category Cf, and a pile of combining marks,
    /// are refused too, named; a publisher with an emoji sequence is not.
    #[test]
    fn blank_looking_publishers_and_titles_are_refused_naming_the_character() {
        for (c, name) in [
            ("\u{2028}", "U+2028 LINE SEPARATOR"),
            ("\u{2029}", "U+2029 PARAGRAPH SEPARATOR"),
            ("\u{3164}", "U+3164 HANGUL FILLER"),
            ("\u{115F}", "U+115F HANGUL CHOSEONG FILLER"),
            ("\u{2800}", "U+2800 BRAILLE PATTERN BLANK"),
            ("\u{034F}", "U+034F COMBINING GRAPHEME JOINER"),
            ("\u{20D2}\u{20D2}\u{20D2}\u{20D2}\u{20D2}", "U+20D2"),
        ] {
            let err = Manifest::parse(&manifest("Border basics", &format!("Faro{c} project")))
                .unwrap_err()
                .to_string();
            assert!(err.contains("publisher") && err.contains(name), "{name}: {err}");
            let err = Manifest::parse(&manifest(&format!("Border{c}"), "Faro")).unwrap_err().to_string();
            assert!(err.contains("title") && err.contains(name), "{name}: {err}");
        }
        assert!(
            Manifest::parse(&manifest("Border", "Faro \u{1F469}\u{200D}\u{2695}\u{FE0F} clinic")).is_ok()
        );
    }

    #[test]
    fn pack_ids_are_checked() {
        assert!(PackId::new("border-basics-2").is_ok());
        for bad in ["", "Caps", "-x", "x-", "a/b", "..", &"x".repeat(65)] {
            assert!(PackId::new(bad).is_err(), "{bad} should be refused");
        }
    }
}
