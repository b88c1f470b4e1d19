//! Two checks on the ways to reach someone that a text gives, beside those of [`super::prose`]:
//!
//! - **English and Spanish agree**: a Spanish text that gives another hotline than its English
//!   text, or none at all, sends a Spanish-speaking learner elsewhere, so the phone numbers,
//!   short codes and web sites (hosts) of the two must be the same;
//! - **near misses of the region's short numbers**: "call 991" for 911. Three-digit numbers are
//!   everywhere in prose (ages, counts, page numbers), so one is read only when a word about
//!   calling comes just before it ("call", "dial", "llame al", "marque el", or "or" after a
//!   short number).
//!
//! Both read the text with look-alike characters folded ([`fold_for_numbers`]), one pass each.

use std::collections::BTreeSet;

use super::Found;
use super::mentions::{Mention, mentions};
use super::texts::language_name;
use crate::format::plain::fold_for_numbers;
use crate::format::{Module, Regions, Text};
use crate::load::Anchor;

/// Words after which a three-digit number is a number to call.
const CALL_WORDS: &[&str] = &[
    "call",
    "dial",
    "phone",
    "ring",
    "llame",
    "llamar",
    "llama",
    "llamen",
    "marque",
    "marcar",
    "marca",
    "marquen",
    "telefonee",
];

/// Small words between a call word and the number ("llame al 911", "marque el 089").
const LINKING_WORDS: &[&str] = &["al", "el", "a", "the"];

/// A region's short number (911, 089) and the name of its contact.
#[derive(Clone, Debug)]
struct ShortNumber {
    digits: String,
    name: String,
}

/// The checks, with the region data's short numbers.
pub(super) struct ContactsAgree {
    short_numbers: Vec<ShortNumber>,
    bilingual: bool,
}

impl ContactsAgree {
    pub(super) fn new(module: &Module, regions: Option<&Regions>) -> Self {
        let mut short_numbers: Vec<ShortNumber> = Vec::new();
        for card in regions.iter().flat_map(|r| &r.regions).flat_map(|r| &r.contacts) {
            let Some(phone) = &card.phone else { continue };
            if phone.len() == 3
                && phone.bytes().all(|b| b.is_ascii_digit())
                && !short_numbers.iter().any(|s| &s.digits == phone)
            {
                short_numbers
                    .push(ShortNumber { digits: phone.clone(), name: card.name.get("en").to_owned() });
            }
        }
        let bilingual = ["en", "es"].iter().all(|l| module.languages.iter().any(|m| m == l));
        Self { short_numbers, bilingual }
    }

    pub(super) fn check(&self, text: &Text, what: &dyn Fn() -> String, at: Anchor, out: &mut Vec<Found>) {
        // Most texts give no number or address at all: they end here, after one cheap scan.
        if !text.0.values().any(|s| may_mention(s)) {
            return;
        }
        let mut near_misses = BTreeSet::new();
        for s in text.0.values().filter(|s| s.chars().any(|c| c.is_numeric())) {
            let folded = fold_for_numbers(s);
            for (written, known) in self.near_misses(&folded) {
                near_misses.insert(format!(
                    "{} gives {written} as a number to call, which looks like {} {} but is not it: check it, a wrong number sends people to a stranger",
                    what(),
                    known.name,
                    known.digits
                ));
            }
        }
        for message in near_misses {
            out.push(Found::error(at, message));
        }
        if !self.bilingual {
            return;
        }
        let (Some(en), Some(es)) = (text.0.get("en"), text.0.get("es")) else { return };
        let en = self.contacts(&fold_for_numbers(en));
        let es = self.contacts(&fold_for_numbers(es));
        let only = |a: &BTreeSet<(String, String)>, b: &BTreeSet<(String, String)>| {
            let keys: BTreeSet<&String> = b.iter().map(|(k, _)| k).collect();
            a.iter().filter(|(k, _)| !keys.contains(k)).map(|(_, w)| w.clone()).collect::<Vec<_>>()
        };
        let (only_en, only_es) = (only(&en, &es), only(&es, &en));
        if only_en.is_empty() && only_es.is_empty() {
            return;
        }
        let mut parts = Vec::new();
        if !only_en.is_empty() {
            parts.push(format!("{} only in {}", only_en.join(", "), language_name("en")));
        }
        if !only_es.is_empty() {
            parts.push(format!("{} only in {}", only_es.join(", "), language_name("es")));
        }
        out.push(Found::error(
            at,
            format!(
                "{} gives different contacts in English and Spanish: {}; give the same numbers and addresses in both, a learner must reach the same help in either language",
                what(),
                parts.join("; ")
            ),
        ));
    }

    /// The phone numbers (by national digits), short codes, region short numbers and web hosts
    /// in `text`, each with how it is first written.
    fn contacts(&self, text: &str) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut add = |key: String, written: &str| {
            if seen.insert(key.clone()) {
                out.insert((key, written.to_owned()));
            }
        };
        for mention in mentions(text) {
            match mention {
                Mention::Phone { written, digits, .. } => add(format!("phone {digits}"), written),
                Mention::ShortCode { written, .. } => add(format!("code {written}"), written),
                Mention::Web { written, host, .. } => add(format!("web {host}"), written),
            }
        }
        for (_, digits) in three_digit_numbers(text) {
            if self.short_numbers.iter().any(|s| s.digits == digits) {
                add(format!("phone {digits}"), digits);
            }
        }
        out
    }

    /// Three-digit numbers to call that are one digit (or one swap) away from a region short
    /// number without being one.
    fn near_misses<'t>(&self, text: &'t str) -> Vec<(&'t str, &ShortNumber)> {
        let mut out = Vec::new();
        let mut previous_number: Option<(usize, &str)> = None;
        for (start, digits) in three_digit_numbers(text) {
            let before = text.get(..start).unwrap_or("");
            let after_short_number = previous_number.is_some_and(|(end, prev)| {
                self.short_numbers.iter().any(|s| s.digits == prev)
                    && text.get(end..start).is_some_and(|between| {
                        let w = between.trim().trim_matches(',').trim().to_lowercase();
                        w == "or" || w == "o" || w.is_empty()
                    })
            });
            previous_number = Some((start + digits.len(), digits));
            if self.short_numbers.iter().any(|s| s.digits == digits) {
                continue;
            }
            if !(calls_before(before) || after_short_number) {
                continue;
            }
            if let Some(known) = self.short_numbers.iter().find(|s| one_slip(digits, &s.digits)) {
                out.push((digits, known));
            }
        }
        out
    }
}

/// Whether `s` may give a number or a web address: it has a digit (any script's: fullwidth ones
/// fold to ASCII), or a `.` followed by a top-level domain's letters. One pass, no allocation.
fn may_mention(s: &str) -> bool {
    const DOMAINS: &[&str] = &["com", "org", "net", "gov", "edu", "int", "info", "io", "mx", "us"];
    let bytes = s.as_bytes();
    s.chars().any(char::is_numeric)
        || bytes.iter().enumerate().any(|(i, &b)| {
            b == b'.'
                && DOMAINS.iter().any(|d| {
                    bytes.get(i + 1..i + 1 + d.len()).is_some_and(|w| w.eq_ignore_ascii_case(d.as_bytes()))
                })
        })
}

/// Whether the words just before a number ask to call it.
fn calls_before(before: &str) -> bool {
    let words: Vec<String> = before
        .split(|c: char| !c.is_alphanumeric())
        .rev()
        .filter(|w| !w.is_empty())
        .take(2)
        .map(str::to_lowercase)
        .collect();
    match words.as_slice() {
        [last, ..] if CALL_WORDS.contains(&last.as_str()) => true,
        [last, previous] if LINKING_WORDS.contains(&last.as_str()) => CALL_WORDS.contains(&previous.as_str()),
        _ => false,
    }
}

/// Whether `a` is `b` with one digit changed or two neighbouring digits swapped.
fn one_slip(a: &str, b: &str) -> bool {
    if a.len() != b.len() || a == b {
        return false;
    }
    let differ: Vec<usize> =
        a.bytes().zip(b.bytes()).enumerate().filter(|(_, (x, y))| x != y).map(|(i, _)| i).collect();
    match differ.as_slice() {
        [_] => true,
        [i, j] => {
            *j == i + 1
                && a.get(*i..=*j)
                    .is_some_and(|s| b.get(*i..=*j).is_some_and(|t| s.bytes().rev().eq(t.bytes())))
        }
        _ => false,
    }
}

/// Every run of exactly three ASCII digits standing alone (not part of a longer number, a word,
/// a date or a phone number written in groups), with its byte offset. One pass.
fn three_digit_numbers(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let glued = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b"-./:%$#_@".contains(b));
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let before = start.checked_sub(1).and_then(|b| bytes.get(b));
        // A full stop or comma after the number may end the sentence: only glued when a digit
        // follows (`911.5`, `911,000`).
        let after = bytes.get(i);
        let glued_after = match after {
            Some(b'.' | b',' | b':' | b'-' | b'/') => bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric),
            other => glued(other) && !matches!(other, Some(b'.' | b':')),
        };
        // A space then more digits: part of a number written in groups (`800 5533 000`).
        let grouped_after = after == Some(&b' ') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        let grouped_before = before == Some(&b' ')
            && start.checked_sub(2).and_then(|b| bytes.get(b)).is_some_and(u8::is_ascii_digit);
        if i - start == 3
            && !glued(before)
            && !glued_after
            && !grouped_after
            && !grouped_before
            && let Some(digits) = text.get(start..i)
        {
            out.push((start, digits));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker(languages: &[&str]) -> ContactsAgree {
        let regions = crate::bundled::regions().unwrap();
        let mut module: Module = crate::load::parse_module(
            std::path::Path::new("module.ron"),
            include_str!("../../tests/fixtures/good/minimal/module.ron"),
        )
        .unwrap();
        module.languages = languages.iter().map(|l| (*l).to_owned()).collect();
        ContactsAgree::new(&module, Some(&regions))
    }

    fn found(en: &str, es: &str) -> Vec<String> {
        let mut out = Vec::new();
        let text = Text::from_pairs([("en", en), ("es", es)]);
        checker(&["en", "es"]).check(&text, &|| "the text".to_owned(), Anchor(0), &mut out);
        out.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn a_spanish_text_with_another_hotline_or_none_is_an_error() {
        let en = "Call the hotline at 1-888-373-7888 or text 233733.";
        assert_eq!(found(en, "Llame al 1 888 373 7888 o envíe un mensaje al 233733."), Vec::<String>::new());
        let other = found(en, "Llame al 1-800-843-5678 o envíe un mensaje al 233733.");
        assert!(
            matches!(other.as_slice(), [m] if m.contains("1-888-373-7888 only in English (en)")
                && m.contains("1-800-843-5678 only in Spanish (es)")),
            "{other:?}"
        );
        let none = found(en, "Llame a la línea de ayuda.");
        assert!(
            matches!(none.as_slice(), [m] if m.contains("233733, 1-888-373-7888 only in English")),
            "{none:?}"
        );
        let site = found("See txabusehotline.org.", "Vea humantraffickinghotline.org.");
        assert!(
            matches!(site.as_slice(), [m] if m.contains("txabusehotline.org only in English")),
            "{site:?}"
        );
        let emergency = found("In danger, call 911.", "En peligro, llame a la línea de ayuda.");
        assert!(matches!(emergency.as_slice(), [m] if m.contains("911 only in English")), "{emergency:?}");
    }

    #[test]
    fn a_near_miss_of_a_short_number_to_call_is_an_error() {
        for (en, es) in [
            ("In danger, call 991.", "En peligro, llame al 911."),
            ("Call 911 or 991.", "Llame al 911."),
            ("Dial 912 now.", "Marque el 911."),
        ] {
            let found = found(en, es);
            assert!(
                found.iter().any(|m| m.contains("as a number to call, which looks like Emergency")
                    && m.contains(" 911 but is not it")),
                "{en}: {found:?}"
            );
        }
        let es = found("Call 089.", "Llame al 088 (línea de denuncia).");
        assert!(es.iter().any(|m| m.contains("gives 088") && m.contains("089")), "{es:?}");
    }

    #[test]
    fn three_digit_numbers_that_are_not_numbers_to_call_are_left_alone() {
        for text in [
            "Call 911; TTY: 711.",
            "Of 991 people, 119 were children.",
            "Call 1-800-843-5678, then 911 if in danger.",
            "Llame al 800 5533 000.",
            "Page 912, section 2.911, 11-911.",
            "Call911 or call 912th",
        ] {
            assert_eq!(found(text, text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn dashes_and_no_break_spaces_do_not_hide_a_difference() {
        let found = found(
            "Call 1\u{2013}888\u{2013}373\u{2013}7888.",
            "Llame al 1\u{00A0}800\u{00A0}843\u{00A0}5678.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn only_texts_with_a_digit_or_a_domain_are_read() {
        assert!(may_mention("Call 911.") && may_mention("See ICE.gov/tips") && may_mention("\u{FF19}11"));
        assert!(!may_mention("Stay calm. Note the details, and report them."));
    }

    #[test]
    fn a_one_language_module_has_nothing_to_compare() {
        let mut out = Vec::new();
        let text = Text::from_pairs([("en", "Call 1-888-373-7888."), ("es", "Llame.")]);
        checker(&["en"]).check(&text, &|| "t".to_owned(), Anchor(0), &mut out);
        assert!(out.is_empty());
    }
}
