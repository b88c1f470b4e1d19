//! Invisible formatting characters: text that displays differently from what it is.
//!
//! A right-to-left override (U+202E) written before `kcap` makes it show as `pack`, and a
//! zero-width space makes two different names look the same. A publisher's name at a trust
//! prompt, a module title on a library card or a learner's name on a certificate must show what
//! it is, so names and titles refuse these characters, and text that comes from elsewhere shows
//! them as `<U+202E>`.

use std::borrow::Cow;

use unicode_general_category::{GeneralCategory, get_general_category};

/// Whether `c` is a Unicode format character (general category Cf): bidirectional controls,
/// zero-width spaces and joiners, the byte-order mark, soft hyphen, and the rest of that class.
pub fn is_invisible(c: char) -> bool {
    get_general_category(c) == GeneralCategory::Format
}

/// Whether `c` reorders the text around it (bidirectional embeddings, overrides and isolates).
/// A module's text never needs one, and they are what text spoofing is made of; the milder marks
/// (U+200E, U+200F) and joiners that some scripts and emoji need are not among them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first invisible formatting character in `text`, if any.
pub fn first_invisible(text: &str) -> Option<char> {
    text.chars().find(|&c| is_invisible(c))
}

/// `U+202E` for a character, as people look it up.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// `text` with every invisible formatting character and every control character (a terminal's
/// escape sequences, line breaks, bells) shown as `<U+202E>`, for names that come from elsewhere
/// (records from other laptops) and were never checked here: printed in a terminal, a name must
/// not clear the screen or set the window's title.
pub fn reveal(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| is_invisible(c) || c.is_control();
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push('<');
            out.push_str(&code_point(c));
            out.push('>');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bidi_controls_zero_width_and_byte_order_marks() {
        for (text, found) in [
            ("Faro\u{202E}kcap", '\u{202E}'),
            ("Ana\u{200B}", '\u{200B}'),
            ("\u{FEFF}Ana", '\u{FEFF}'),
            ("a\u{2066}b\u{2069}", '\u{2066}'),
            ("pub\u{00AD}lisher", '\u{00AD}'),
        ] {
            assert_eq!(first_invisible(text), Some(found), "{text:?}");
        }
    }

    #[test]
    fn ordinary_text_in_any_script_is_left_alone() {
        for text in ["Peña", "niño o adolescente", "Línea “Nacional”", "Zoë", "平和", "مرحبا", "😀"]
        {
            assert_eq!(first_invisible(text), None, "{text:?}");
            assert!(matches!(reveal(text), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn reveal_shows_each_hidden_character_by_code_point() {
        assert_eq!(reveal("Faro\u{202E}kcap\u{200B}"), "Faro<U+202E>kcap<U+200B>");
        // A terminal's escape sequence (set the window title), a bell, a line break, C1 CSI.
        assert_eq!(reveal("Ana\u{1b}]0;x\u{7}\n\u{9b}2J"), "Ana<U+001B>]0;x<U+0007><U+000A><U+009B>2J");
    }

    #[test]
    fn only_embeddings_overrides_and_isolates_are_bidi_controls() {
        assert!(is_bidi_control('\u{202E}') && is_bidi_control('\u{2067}'));
        assert!(!is_bidi_control('\u{200F}') && !is_bidi_control('\u{200D}'));
    }
}
