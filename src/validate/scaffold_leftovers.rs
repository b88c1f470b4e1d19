//! Texts left from `faro new module`: its placeholder texts (marked by the phrases in
//! [`PLACEHOLDER_MARKS`]) and the mark it puts on what it could not translate. A module published
//! with "replace every text with your own" in its summary, or a Spanish title that is the English
//! one, tells learners nobody finished it.

use super::Found;
use super::texts::language_name;
use crate::format::Text;
use crate::load::Anchor;
use crate::scaffold::{PLACEHOLDER_MARKS, UNTRANSLATED_MARK};

/// Finds the template's placeholder texts and the untranslated mark, in any language.
pub(super) struct ScaffoldLeftovers;

impl ScaffoldLeftovers {
    pub(super) fn new() -> Self {
        Self
    }

    /// One warning per language of a text still a placeholder, or still marked untranslated.
    pub(super) fn check(&self, text: &Text, what: &dyn Fn() -> String, at: Anchor, out: &mut Vec<Found>) {
        for (lang, s) in &text.0 {
            if PLACEHOLDER_MARKS.iter().any(|mark| s.contains(mark)) {
                out.push(Found::warning(
                    at,
                    format!(
                        "{} in {} is still the placeholder text of `faro new module` (\"{}\"): write your own",
                        what(),
                        language_name(lang),
                        shortened(s.trim())
                    ),
                ));
            } else if s.contains(UNTRANSLATED_MARK) {
                out.push(Found::warning(
                    at,
                    format!(
                        "{} in {} still has the mark {UNTRANSLATED_MARK} that `faro new module` put on what it could not translate: translate it and remove the mark",
                        what(),
                        language_name(lang)
                    ),
                ));
            }
        }
    }
}

/// The first words of a text, for a message.
fn shortened(s: &str) -> String {
    const MAX_CHARS: usize = 50;
    if s.chars().count() <= MAX_CHARS {
        return s.to_owned();
    }
    let cut: String = s.chars().take(MAX_CHARS).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pairs: &[(&str, &str)]) -> Vec<String> {
        let mut out = Vec::new();
        let text = Text::from_pairs(pairs.iter().copied());
        ScaffoldLeftovers::new().check(&text, &|| "the summary".to_owned(), Anchor(0), &mut out);
        out.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn a_placeholder_text_in_either_language_is_named() {
        let en = "A short module made from the Faro template: replace every text with your own.";
        let found_en = found(&[("en", en), ("es", "Un resumen propio.")]);
        assert!(
            matches!(found_en.as_slice(), [m] if m.starts_with("the summary in English (en) is still the placeholder text")),
            "{found_en:?}"
        );
        let es = "Reemplace este texto por el suyo. Y algo más.";
        let found_es = found(&[("en", "Our own summary."), ("es", es)]);
        assert!(matches!(found_es.as_slice(), [m] if m.contains("in Spanish (es)")), "{found_es:?}");
        // The template's example content ("True", a safe choice) may be kept.
        assert!(found(&[("en", "True"), ("es", "Verdadero")]).is_empty());
    }

    #[test]
    fn the_untranslated_mark_is_found_and_own_texts_pass() {
        let marked = format!("Shelter intake {UNTRANSLATED_MARK}");
        let found_mark = found(&[("en", "Shelter intake"), ("es", &marked)]);
        assert!(matches!(found_mark.as_slice(), [m] if m.contains("still has the mark")), "{found_mark:?}");
        assert!(found(&[("en", "Shelter intake"), ("es", "Ingreso al albergue")]).is_empty());
    }
}
