//! Invisible formatting characters: text that displays differently from what it is.
//!
//! A right-to-left override (U+202E) written before `kcap` makes it show as `pack`, and a
//! zero-width space makes two different names look the same. A publisher's name at a trust
//! prompt, a module title on a library card or a learner's name on a certificate must show what
//! it is, so names and titles refuse these characters, and text that comes from elsewhere shows
//! them as `<U+202E>`. Blank-looking characters that are not formatting (Hangul fillers, the
//! blank Braille pattern, line and paragraph separators, the combining grapheme joiner) and a
//! pile of combining marks on one letter hide a name just as well, so they count too (issue 26).

use std::borrow::Cow;

use unicode_general_category::{GeneralCategory, get_general_category};

/// Combining marks accepted on one character in a name: Vietnamese stacks two, pointed Hebrew
/// three or four; a stack of dozens (the "Zalgo" pile) paints over the line around it.
pub const MAX_MARKS_PER_CHARACTER: usize = 4;

/// Whether `c` hides or blanks text: a Unicode format character (general category Cf:
/// bidirectional controls, zero-width spaces and joiners, the byte-order mark, soft hyphen…), a
/// line or paragraph separator, a Hangul filler, the blank Braille pattern, or the combining
/// grapheme joiner.
pub fn is_invisible(c: char) -> bool {
    get_general_category(c) == GeneralCategory::Format || BLANK_LOOKING.iter().any(|&(b, _)| b == c)
}

/// Characters outside category Cf that show as nothing, with their Unicode names.
const BLANK_LOOKING: &[(char, &str)] = &[
    ('\u{2028}', "LINE SEPARATOR"),
    ('\u{2029}', "PARAGRAPH SEPARATOR"),
    ('\u{115F}', "HANGUL CHOSEONG FILLER"),
    ('\u{1160}', "HANGUL JUNGSEONG FILLER"),
    ('\u{3164}', "HANGUL FILLER"),
    ('\u{FFA0}', "HALFWIDTH HANGUL FILLER"),
    ('\u{2800}', "BRAILLE PATTERN BLANK"),
    ('\u{034F}', "COMBINING GRAPHEME JOINER"),
];

/// Unicode names of the format characters people meet most, for messages.
const FORMAT_NAMES: &[(char, &str)] = &[
    ('\u{00AD}', "SOFT HYPHEN"),
    ('\u{200B}', "ZERO WIDTH SPACE"),
    ('\u{200C}', "ZERO WIDTH NON-JOINER"),
    ('\u{200D}', "ZERO WIDTH JOINER"),
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2060}', "WORD JOINER"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE"),
];

/// The Unicode name of `c`, for the characters this module refuses that people meet most.
pub fn name_of(c: char) -> Option<&'static str> {
    BLANK_LOOKING.iter().chain(FORMAT_NAMES).find(|&&(k, _)| k == c).map(|&(_, name)| name)
}

/// Whether `c` is a combining mark (general category Mn or Me) that sits on the character before.
fn is_mark(c: char) -> bool {
    matches!(get_general_category(c), GeneralCategory::NonspacingMark | GeneralCategory::EnclosingMark)
}

/// Whether `c` is an emoji-like symbol (category So) a zero-width joiner may join: 👩‍⚕️ is 👩,
/// a joiner and ⚕, and family and profession emoji are written so.
fn is_symbol(c: char) -> bool {
    get_general_category(c) == GeneralCategory::OtherSymbol
}

/// Whether `c` reorders the text around it (bidirectional embeddings, overrides and isolates).
/// A module's text never needs one, and they are what text spoofing is made of; the milder marks
/// (U+200E, U+200F) and joiners that some scripts and emoji need are not among them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first character in `text` that hides or blanks what it shows, if any: see
/// [`is_invisible`], and the first combining mark past [`MAX_MARKS_PER_CHARACTER`] on one
/// character. A zero-width joiner between two symbols (an emoji sequence) is left alone, as are
/// the variation selectors and skin tones inside one.
pub fn first_invisible(text: &str) -> Option<char> {
    let mut marks = 0usize;
    // The last character that was not a mark, a variation selector or a skin tone.
    let mut base: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{200D}' {
            let next_is_symbol = chars.peek().is_some_and(|&n| is_symbol(n));
            if base.is_some_and(is_symbol) && next_is_symbol {
                marks = 0;
                continue;
            }
            return Some(c);
        }
        if is_invisible(c) {
            return Some(c);
        }
        if is_mark(c) {
            marks += 1;
            if marks > MAX_MARKS_PER_CHARACTER {
                return Some(c);
            }
            continue;
        }
        // Skin tones (U+1F3FB–U+1F3FF) modify the emoji before them.
        if !('\u{1F3FB}'..='\u{1F3FF}').contains(&c) {
            base = Some(c);
        }
        marks = 0;
    }
    None
}

/// `U+3164 HANGUL FILLER` (the code point, and its name when it is one people meet), for
/// messages that tell someone which character to remove.
pub fn code_point(c: char) -> String {
    match name_of(c) {
        Some(name) => format!("{} {name}", bare_code_point(c)),
        None => bare_code_point(c),
    }
}

/// `U+202E` for a character, as people look it up: short enough to show in its place.
pub fn bare_code_point(c: char) -> String {
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
            out.push_str(&bare_code_point(c));
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

    #[test]
    fn blank_looking_characters_are_found_and_named() {
        for (c, name) in [
            ('\u{2028}', "U+2028 LINE SEPARATOR"),
            ('\u{2029}', "U+2029 PARAGRAPH SEPARATOR"),
            ('\u{3164}', "U+3164 HANGUL FILLER"),
            ('\u{115F}', "U+115F HANGUL CHOSEONG FILLER"),
            ('\u{2800}', "U+2800 BRAILLE PATTERN BLANK"),
            ('\u{034F}', "U+034F COMBINING GRAPHEME JOINER"),
        ] {
            let text = format!("Ana{c}Luisa");
            assert_eq!(first_invisible(&text), Some(c), "{name}");
            assert_eq!(code_point(c), name);
            assert_eq!(first_invisible(&c.to_string()), Some(c), "{name} alone");
        }
    }

    #[test]
    fn a_pile_of_combining_marks_is_found_a_few_are_not() {
        assert_eq!(first_invisible("Nguy\u{1EC5}n Vi\u{0065}\u{0323}\u{0302}t"), None, "Vietnamese");
        assert_eq!(first_invisible("\u{05E9}\u{05C1}\u{05B8}\u{0591}"), None, "pointed Hebrew");
        let zalgo = format!("Ana{}", "\u{0336}".repeat(MAX_MARKS_PER_CHARACTER + 1));
        assert_eq!(first_invisible(&zalgo), Some('\u{0336}'));
    }

    #[test]
    fn emoji_with_joiners_are_names_too() {
        for text in [
            "Ana \u{1F469}\u{200D}\u{2695}\u{FE0F}",
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
            "\u{1F469}\u{1F3FD}\u{200D}\u{1F692}",
            "1\u{FE0F}\u{20E3}",
        ] {
            assert_eq!(first_invisible(text), None, "{text:?}");
        }
        assert_eq!(first_invisible("An\u{200D}a"), Some('\u{200D}'), "a joiner between letters");
    }
}
