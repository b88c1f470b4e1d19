//! Translated text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A language code such as `en` or `es`.
pub type Lang = String;

/// A learner-visible string in each language, written `{"en": "...", "es": "..."}`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Text(#[serde(deserialize_with = "super::capped::translations")] pub BTreeMap<Lang, String>);

impl Text {
    /// The text in `lang`, falling back to English, then to any language, then to "".
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    /// Whether this text has a non-blank entry for `lang`.
    pub fn has(&self, lang: &str) -> bool {
        self.0.get(lang).is_some_and(|s| !s.trim().is_empty())
    }

    /// Builds a text from `(lang, string)` pairs; handy in tests and generated content.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self(pairs.into_iter().map(|(l, s)| (l.to_owned(), s.to_owned())).collect())
    }
}
