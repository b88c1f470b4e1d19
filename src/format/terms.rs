//! The prose list (`terms.ron`): discouraged terms per language, and the contacts that prose may
//! name besides the region cards.

use serde::{Deserialize, Serialize};

use super::Lang;

/// What the prose checks read besides the region data: `assets/terms.ron`, or a `terms.ron` in
/// the folder that holds the module folders.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// Terms a text in that language should not use, each with what to write instead.
    #[serde(default)]
    pub discouraged: Vec<Discouraged>,
    /// Phone numbers and web sites that prose may give although they are not contact cards in
    /// the region data (e.g. the FBI tip line a sextortion page cites).
    #[serde(default)]
    pub also_known: Vec<KnownContact>,
}

/// A term to avoid in one language.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Discouraged {
    /// The language of the texts the term is looked for in (`es`).
    pub lang: Lang,
    /// One or more whole words, matched ignoring case but not accents.
    pub term: String,
    /// What to write instead.
    pub instead: String,
    /// Why, in a sentence, for the author.
    pub why: String,
}

/// A contact that prose may give, with its numbers and web addresses.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KnownContact {
    /// Named in findings ("looks like the FBI tip line 1-800-225-5324").
    pub name: String,
    #[serde(default)]
    pub phones: Vec<String>,
    /// Text (SMS) short codes.
    #[serde(default)]
    pub sms: Vec<String>,
    #[serde(default)]
    pub urls: Vec<String>,
}
