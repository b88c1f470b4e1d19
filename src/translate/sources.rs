//! What each translation was made from: the English of every text when its translation was
//! imported, kept beside the module in `.faro-translations.ron`. When the English changes later,
//! `faro translate export` marks the translation fuzzy and shows the old English (`#| msgid`), as
//! gettext's own tools do.
//!
//! The file starts with a dot, so packs leave it out (learners never need it); authors keep it
//! with `module.ron` in version control.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Position};

/// The file name, in the module folder.
pub const SOURCES_FILE: &str = ".faro-translations.ron";

/// The record's size cap: it holds the English of each text once per language.
pub const MAX_SOURCES_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// For each language, for each text path (`msgctxt`), the English its translation was made from.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TranslationSources {
    pub languages: BTreeMap<String, BTreeMap<String, String>>,
}

impl TranslationSources {
    /// The English the `lang` translation of the text at `context` was made from, if recorded.
    pub fn source(&self, lang: &str, context: &str) -> Option<&str> {
        self.languages.get(lang)?.get(context).map(String::as_str)
    }
}

/// Where the record of the module in `dir` is.
pub fn sources_path(dir: &Path) -> PathBuf {
    dir.join(SOURCES_FILE)
}

/// Reads the record of the module in `dir`; none yet is an empty record.
pub fn load_sources(dir: &Path) -> Result<TranslationSources, Diagnostic> {
    let path = sources_path(dir);
    if !path.is_file() {
        return Ok(TranslationSources::default());
    }
    let text = crate::load::read_text_capped(&path, MAX_SOURCES_FILE_BYTES)?;
    crate::load::data_options().from_str(&text).map_err(|e| {
        let position = Position { line: e.span.start.line, column: e.span.start.col };
        Diagnostic::error(
            &path,
            position,
            format!(
                "{}; this file only records what translations were made from: delete it to start afresh",
                e.code
            ),
        )
    })
}

/// The record as written to disk, with a comment saying what it is.
pub fn to_file_text(sources: &TranslationSources) -> Result<String, String> {
    let body =
        ron::ser::to_string_pretty(sources, ron::ser::PrettyConfig::default()).map_err(|e| e.to_string())?;
    Ok(format!(
        "// Written by `faro translate import`: the English each translation was made from, so that\n// `faro translate export` can mark a translation fuzzy when its English changes. Keep it with module.ron.\n{body}\n"
    ))
}
