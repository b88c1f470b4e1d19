//! Plain forms of look-alike characters, so a check reads a number as a person reads it.
//!
//! `1–888–373–7880` (en dashes), `1-888-373-78<U+200B>80` (a zero-width space) and fullwidth
//! digits look like a phone number to a person but not to a check that looks for ASCII digits
//! and `-`: a wrong hotline number written so once passed every check (issue 26). Checks fold
//! such text first. Shared by the validator's prose checks and the author's checks in the
//! studio.

use std::borrow::Cow;

use unicode_general_category::{GeneralCategory, get_general_category};

/// `text` with every dash (category Pd, and the minus sign) made `-`, every space separator
/// (no-break, narrow, figure…) made a space, fullwidth digits, plus and parentheses made ASCII,
/// and invisible characters ([`super::invisible::is_invisible`]) removed. Borrowed when there is
/// nothing to fold, which is almost always.
pub fn fold_for_numbers(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if let Some(plain) = plain(c) {
            out.push(plain);
        } else if !super::invisible::is_invisible(c) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The plain ASCII form of a look-alike character, if it has one.
fn plain(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    match c {
        '\u{FF10}'..='\u{FF19}' => char::from_u32(u32::from(c) - 0xFF10 + u32::from('0')),
        '\u{FF0B}' => Some('+'),
        '\u{FF08}' => Some('('),
        '\u{FF09}' => Some(')'),
        '\u{2212}' => Some('-'),
        _ => match get_general_category(c) {
            GeneralCategory::DashPunctuation => Some('-'),
            GeneralCategory::SpaceSeparator => Some(' '),
            _ => None,
        },
    }
}

/// Whether `c` reads as a digit: ASCII or fullwidth.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)
}

/// The first invisible character inside a number in `text`, with the number as written around
/// it: between two digits, or between a digit and a separator a number is written with. One pass
/// over the text.
pub fn invisible_in_number(text: &str) -> Option<(char, &str)> {
    use super::invisible::is_invisible;
    // No ASCII character is invisible, and most other texts have none either: they end here,
    // before the two passes below allocate.
    if text.is_ascii() || !text.chars().any(is_invisible) {
        return None;
    }
    let separates = |c: char| plain(c).is_some_and(|p| " -.()".contains(p));
    // The nearest visible character on each side of every character, from one pass each way, so
    // a text of a million zero-width spaces is still one linear scan.
    let mut before = Vec::with_capacity(text.len());
    let mut last = None;
    for c in text.chars() {
        before.push(last);
        if !is_invisible(c) {
            last = Some(c);
        }
    }
    let mut after = Vec::with_capacity(before.len());
    let mut next = None;
    for c in text.chars().rev() {
        after.push(next);
        if !is_invisible(c) {
            next = Some(c);
        }
    }
    after.reverse();
    for (((at, c), b), a) in text.char_indices().zip(before).zip(after) {
        let (true, Some(b), Some(a)) = (is_invisible(c), b, a) else { continue };
        if (is_digit(b) && (is_digit(a) || separates(a))) || (separates(b) && is_digit(a)) {
            return Some((c, number_around(text, at)));
        }
    }
    None
}

/// The run of digits, separators and invisible characters around byte `at`, as written.
fn number_around(text: &str, at: usize) -> &str {
    let part = |c: char| {
        is_digit(c) || plain(c).is_some_and(|p| "-.()+".contains(p)) || super::invisible::is_invisible(c)
    };
    let start = text
        .get(..at)
        .map_or(at, |t| t.char_indices().rev().take_while(|&(_, c)| part(c)).last().map_or(at, |(i, _)| i));
    let end = text.get(at..).map_or(at, |t| {
        at + t.char_indices().take_while(|&(_, c)| part(c)).last().map_or(0, |(i, c)| i + c.len_utf8())
    });
    text.get(start..end).unwrap_or(text).trim_matches(|c: char| !is_digit(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_spaces_and_fullwidth_digits_fold_to_plain_forms() {
        assert_eq!(fold_for_numbers("1\u{2013}888\u{2014}373\u{2011}7880"), "1-888-373-7880");
        assert_eq!(fold_for_numbers("1\u{2010}888\u{2212}373\u{FE58}7880"), "1-888-373-7880");
        assert_eq!(fold_for_numbers("888\u{00A0}373\u{202F}7888"), "888 373 7888");
        assert_eq!(fold_for_numbers("\u{FF11}\u{FF18}\u{FF18}\u{FF18}"), "1888");
        assert_eq!(fold_for_numbers("78\u{200B}80"), "7880");
        assert!(matches!(fold_for_numbers("plain 1-888"), Cow::Borrowed(_)));
        assert_eq!(fold_for_numbers("niño – “sí”"), "niño - “sí”");
    }

    #[test]
    fn an_invisible_character_inside_a_number_is_found_with_the_number() {
        let text = "Call 1-888-373-78\u{200B}80 now.";
        assert_eq!(invisible_in_number(text), Some(('\u{200B}', "1-888-373-78\u{200B}80")));
        assert_eq!(
            invisible_in_number("Call 1-888-\u{2060}373-7880."),
            Some(('\u{2060}', "1-888-\u{2060}373-7880"))
        );
        assert_eq!(invisible_in_number("Ana\u{200B}Luisa 1-888-373-7888"), None);
        assert_eq!(invisible_in_number("\u{1F469}\u{200D}\u{2695} 911"), None);
    }
}
