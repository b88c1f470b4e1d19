//! Learner profiles and per-learner progress in the data directory.
//!
//! Layout: `profiles.ron` (the list of learners), `learners/<learner-id>/progress/<module-id>.ron`
//! (one saved [`Attempt`] per module). A learner is a chosen display name and a random id; nothing else.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::attempt::Attempt;
use crate::data::DataDir;
use crate::data::store::{self, Loaded, Quarantined, StoreError};

/// One learner on this laptop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Random id, used in records instead of anything identifying.
    pub id: String,
    pub name: String,
}

/// The learners on this laptop and who used it last.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profiles {
    pub learners: Vec<Profile>,
    pub last_used: Option<String>,
}

/// Why a display name was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name is longer than 60 characters")]
    TooLong,
    #[error("a learner with this name already exists")]
    Taken,
    /// A character that hides or blanks text (a right-to-left override, a zero-width space, a
    /// Hangul filler, a pile of combining marks…) would make the name on screen and on
    /// certificates differ from what it is; named as `U+3164 HANGUL FILLER`.
    #[error("the name contains {0}, which does not show what it is")]
    Invisible(String),
}

impl Profiles {
    /// Adds a learner with a new random id; the name is trimmed.
    pub fn add(&mut self, name: &str) -> Result<Profile, NameError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.chars().count() > 60 {
            return Err(NameError::TooLong);
        }
        if let Some(c) = crate::format::invisible::first_invisible(name) {
            return Err(NameError::Invisible(crate::format::invisible::code_point(c)));
        }
        if self.learners.iter().any(|p| p.name.eq_ignore_ascii_case(name)) {
            return Err(NameError::Taken);
        }
        let profile = Profile { id: uuid::Uuid::new_v4().to_string(), name: name.to_owned() };
        self.learners.push(profile.clone());
        Ok(profile)
    }

    /// The learner with this id.
    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.learners.iter().find(|p| p.id == id)
    }
}

impl DataDir {
    fn profiles_path(&self) -> PathBuf {
        self.root().join("profiles.ron")
    }

    /// The saved attempt file for a learner and module.
    pub fn progress_path(&self, learner: &str, module: &str) -> PathBuf {
        self.root()
            .join("learners")
            .join(safe_name(learner))
            .join("progress")
            .join(format!("{}.ron", safe_name(module)))
    }

    /// Loads the profiles; a damaged file is quarantined and an empty list returned with the notice.
    pub fn load_profiles(&self) -> Result<(Profiles, Option<Quarantined>), StoreError> {
        Ok(match store::load_ron(&self.profiles_path())? {
            Loaded::Missing => (Profiles::default(), None),
            Loaded::Ok(p) => (p, None),
            Loaded::Quarantined(q) => (Profiles::default(), Some(q)),
        })
    }

    /// Saves the profiles atomically.
    pub fn save_profiles(&self, profiles: &Profiles) -> Result<(), StoreError> {
        store::save_ron(&self.profiles_path(), profiles)
    }

    /// Loads a learner's attempt at a module, quarantining a damaged file.
    pub fn load_attempt(&self, learner: &str, module: &str) -> Result<Loaded<Attempt>, StoreError> {
        store::load_ron(&self.progress_path(learner, module))
    }

    /// Saves a learner's attempt atomically.
    pub fn save_attempt(&self, learner: &str, attempt: &Attempt) -> Result<(), StoreError> {
        store::save_ron(&self.progress_path(learner, &attempt.module_id), attempt)
    }
}

/// Keeps ids usable as file names whatever they contain.
fn safe_name(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(80)
        .collect();
    if cleaned.is_empty() { "_".to_owned() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_unique_and_bounded() {
        let mut p = Profiles::default();
        let ana = p.add("  Ana ").unwrap();
        assert_eq!(ana.name, "Ana");
        assert_eq!(p.add("ana"), Err(NameError::Taken));
        assert_eq!(p.add("   "), Err(NameError::Empty));
        assert_eq!(p.add(&"x".repeat(61)), Err(NameError::TooLong));
        let invisible = |s: &str| Err(NameError::Invisible(s.to_owned()));
        assert_eq!(p.add("Ana\u{200B}"), invisible("U+200B ZERO WIDTH SPACE"), "looks like Ana, is not");
        assert_eq!(p.add("\u{202E}anA"), invisible("U+202E RIGHT-TO-LEFT OVERRIDE"));
        let luis = p.add("Luis").unwrap();
        assert_ne!(ana.id, luis.id);
    }

    /// Issue 26: names that look blank, or hide what is around them, are refused naming the
    /// character; names with emoji joined by zero-width joiners are not.
    #[test]
    fn blank_looking_names_are_refused_naming_the_character() {
        let mut p = Profiles::default();
        for (name, character) in [
            ("Ana\u{2028}Luisa", "U+2028 LINE SEPARATOR"),
            ("Ana\u{2029}Luisa", "U+2029 PARAGRAPH SEPARATOR"),
            ("\u{3164}", "U+3164 HANGUL FILLER"),
            ("Bo\u{115F}", "U+115F HANGUL CHOSEONG FILLER"),
            ("\u{2800}\u{2800}", "U+2800 BRAILLE PATTERN BLANK"),
            ("Ana\u{034F}", "U+034F COMBINING GRAPHEME JOINER"),
            ("Ana\u{0336}\u{0336}\u{0336}\u{0336}\u{0336}", "U+0336"),
        ] {
            assert_eq!(p.add(name), Err(NameError::Invisible(character.to_owned())), "{name:?}");
        }
        assert!(p.add("Ana \u{1F469}\u{200D}\u{2695}\u{FE0F}").is_ok(), "an emoji with a joiner");
        assert!(p.add("Nguy\u{1EC5}n").is_ok());
        assert!(p.learners.len() == 2);
    }

    #[test]
    fn ids_cannot_escape_the_data_directory() {
        let d = DataDir::at(PathBuf::from("/data"));
        let p = d.progress_path("../../etc", "x/../../y");
        assert!(p.starts_with("/data/learners"));
        assert!(!p.to_string_lossy().contains(".."));
    }
}
