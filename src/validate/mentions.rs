//! Phone numbers, text short codes and web addresses written in prose, found by their shape.
//!
//! Prose is full of numbers that are not phone numbers (years, dates, ages, counts, legal
//! citations such as 18 U.S.C. §§ 2251, 2252A), so only shapes that phone numbers have are read:
//!
//! - a **phone number** is 9 to 11 digits (after a leading `+1`, `+52` or `1` country code is
//!   dropped) written in groups of 2 to 4 digits joined by a space, `-`, `.` or parentheses, with
//!   a first group of at most 3 (so `2026-11-25` is a date), or 10 digits written together. It is
//!   *typical* when it has 10 digits together or a group of 4 (`888-373-7888`, `800 5533 000`):
//!   only typical numbers are reported as unknown, while any phone number is compared with the
//!   known ones (so `1-888-373-788`, a digit short, is caught);
//! - a **short code** is 5 or 6 digits standing alone;
//! - three-digit numbers (911, 089, 711) are not read at all: too many other numbers have three
//!   digits.
//!
//! A number glued to a letter or to `/`, `.`, `-` or `:` on either side is part of something else
//! (`I-914`, `uscode/text/22/7102`, `10:30`, `1-800-THE-LOST`) and is skipped. Each scan goes
//! through the text once.

/// Something in a text that may be a way to reach someone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mention<'a> {
    /// A phone number as written, its national digits (country code dropped), and whether it
    /// has the usual shape of one (see the module documentation).
    Phone { written: &'a str, digits: String, typical: bool },
    /// A standalone run of 5 or 6 digits; `texting` when a word about texting comes just before.
    ShortCode { written: &'a str, texting: bool },
    /// A web address as written, its host (lowercase, without `www.`) and its path (lowercase,
    /// without a trailing `/`).
    Web { written: &'a str, host: String, path: String },
}

/// Every phone number, short code and web address in `text`, numbers first.
pub(crate) fn mentions(text: &str) -> Vec<Mention<'_>> {
    let mut out = Vec::new();
    numbers(text, &mut out);
    web_addresses(text, &mut out);
    out
}

/// Bytes before a short code searched for a word about texting ("Text 233733", "mensaje de texto
/// al 233733"); a fixed window keeps the scan linear.
const TEXTING_WINDOW: usize = 40;

fn numbers<'a>(text: &'a str, out: &mut Vec<Mention<'a>>) {
    let bytes = text.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let opens = (b == b'+' || b == b'(') && digit_at(i + 1);
        if !b.is_ascii_digit() && !opens {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = if opens { i + 1 } else { i };
        let mut groups: Vec<&str> = Vec::new();
        loop {
            let group_start = j;
            while digit_at(j) {
                j += 1;
            }
            groups.push(text.get(group_start..j).unwrap_or(""));
            // A run of more than 4 digits after a separator starts another number
            // ("1-888-373-7888 233733").
            match separator_len(bytes, j) {
                Some(n) if (1..=4).contains(&(j + n..).take_while(|&k| digit_at(k)).count()) => j += n,
                _ => break,
            }
        }
        i = j;
        if !free_before(text, start) || !free_after(text, j) {
            continue;
        }
        let Some(written) = text.get(start..j) else { continue };
        if let Some((digits, typical)) = phone_digits(&groups, b == b'+') {
            let written =
                if written.contains(')') { written } else { written.strip_prefix('(').unwrap_or(written) };
            out.push(Mention::Phone { written, digits, typical });
        } else if let [code] = groups.as_slice()
            && !opens
            && (5..=6).contains(&code.len())
        {
            out.push(Mention::ShortCode { written, texting: texting_before(text, start) });
        }
    }
}

/// The length of a separator between digit groups at `at`: one of ` -.()`, or `) `, ` (`, `)-`.
/// Not `. ` or `, `: those end a sentence or a list.
fn separator_len(bytes: &[u8], at: usize) -> Option<usize> {
    let first = *bytes.get(at)?;
    let second = bytes.get(at + 1).copied();
    match (first, second) {
        (b')', Some(b' ' | b'-')) | (b' ', Some(b'(')) => Some(2),
        (b' ' | b'-' | b'.' | b'(' | b')', _) => Some(1),
        _ => None,
    }
}

/// The national digits of a number written in these groups, if it has a phone number's shape,
/// and whether that shape is typical.
fn phone_digits(groups: &[&str], plus: bool) -> Option<(String, bool)> {
    let total: usize = groups.iter().map(|g| g.len()).sum();
    let mut national = groups;
    if let [first, rest @ ..] = groups
        && !rest.is_empty()
        && (*first == "1" || (plus && *first == "52"))
        && (9..=11).contains(&(total - first.len()))
    {
        national = rest;
    }
    if let [only] = national {
        let digits = match only.len() {
            10 => only,
            11 => only.strip_prefix('1')?,
            12 if plus => only.strip_prefix("52")?,
            _ => return None,
        };
        return Some((digits.to_owned(), true));
    }
    let digits: String = national.concat();
    let shaped = national.iter().all(|g| (2..=4).contains(&g.len()))
        && national.first().is_some_and(|g| g.len() <= 3)
        && (9..=11).contains(&digits.len());
    let typical = national.iter().any(|g| g.len() == 4);
    shaped.then_some((digits, typical))
}

/// Whether the number starting at `at` stands on its own on the left.
fn free_before(text: &str, at: usize) -> bool {
    let Some(before) = text.get(..at) else { return false };
    !before.chars().next_back().is_some_and(|c| c.is_alphanumeric() || "/.-_:#=?&%$@§".contains(c))
}

/// Whether the number ending at `at` stands on its own on the right.
fn free_after(text: &str, at: usize) -> bool {
    let Some(after) = text.get(at..) else { return false };
    let mut chars = after.chars();
    match chars.next() {
        None => true,
        Some(c) if c.is_alphanumeric() || c == '%' || c == '/' => false,
        Some('.' | ':' | '-' | ',') => !chars.next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    }
}

/// Whether a word about texting comes shortly before `at`.
fn texting_before(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(TEXTING_WINDOW);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = text.get(from..at).unwrap_or("").to_lowercase();
    ["text", "sms", "mensaje", "texto"].iter().any(|w| window.contains(w))
}

/// Endings of the bare domains recognised without `http(s)://` (`humantraffickinghotline.org`).
const TOP_LEVEL_DOMAINS: &[&str] = &["com", "org", "net", "gov", "edu", "int", "info", "io", "mx", "us"];

/// Characters that end a web address in prose (Markdown links, quotes, brackets).
fn ends_address(c: char) -> bool {
    c.is_whitespace() || "<>\"'`)]|*".contains(c)
}

fn web_addresses<'a>(text: &'a str, out: &mut Vec<Mention<'a>>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let rest = text.get(i..).unwrap_or("");
        let scheme = ["https://", "http://"]
            .into_iter()
            .find(|s| rest.get(..s.len()).is_some_and(|r| r.eq_ignore_ascii_case(s)));
        if let Some(scheme) = scheme {
            let end = i + rest.find(ends_address).unwrap_or(rest.len());
            let written = trim_punctuation(text.get(i..end).unwrap_or(""));
            if let Some(address) = written.get(scheme.len()..)
                && let Some((host, path)) = host_and_path(address)
            {
                out.push(Mention::Web { written, host, path });
            }
            i = end.max(i + 1);
            continue;
        }
        if !b.is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let run = i + rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
            .unwrap_or(rest.len());
        let starts_free = !text
            .get(..i)
            .and_then(|t| t.chars().next_back())
            .is_some_and(|c| c.is_alphanumeric() || "@.-/:_".contains(c));
        let domain = text.get(i..run).unwrap_or("").trim_end_matches(['.', '-']);
        if starts_free && is_bare_domain(domain) {
            let after = text.get(i + domain.len()..).unwrap_or("");
            let path_len =
                if after.starts_with('/') { after.find(ends_address).unwrap_or(after.len()) } else { 0 };
            let written = trim_punctuation(text.get(i..i + domain.len() + path_len).unwrap_or(""));
            if let Some((host, path)) = host_and_path(written) {
                out.push(Mention::Web { written, host, path });
            }
            i += domain.len() + path_len;
        }
        i = i.max(run).max(i + 1);
    }
}

/// Whether `s` is a domain such as `ice.gov` or `report.cybertip.org`.
fn is_bare_domain(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    let Some((tld, names)) = labels.split_last() else { return false };
    !names.is_empty()
        && TOP_LEVEL_DOMAINS.iter().any(|t| t.eq_ignore_ascii_case(tld))
        && names.iter().all(|l| !l.is_empty())
        && names.last().is_some_and(|l| l.chars().any(|c| c.is_ascii_alphabetic()))
}

/// An address without its scheme, split into a host (lowercase, no `www.`, no port) and a path
/// (lowercase, no query, no trailing `/`).
pub(crate) fn host_and_path(address: &str) -> Option<(String, String)> {
    let address = address.split(['?', '#']).next().unwrap_or("");
    let (host, path) = address.split_once('/').unwrap_or((address, ""));
    let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    if host.is_empty() {
        return None;
    }
    Some((host, path.trim_end_matches('/').to_ascii_lowercase()))
}

/// Drops the punctuation a sentence puts after an address.
fn trim_punctuation(s: &str) -> &str {
    s.trim_end_matches(['.', ',', ';', ':', '!', '?', '_', '*'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phones(text: &str) -> Vec<String> {
        mentions(text)
            .into_iter()
            .filter_map(|m| match m {
                Mention::Phone { digits, .. } => Some(digits),
                _ => None,
            })
            .collect()
    }

    fn webs(text: &str) -> Vec<(String, String)> {
        mentions(text)
            .into_iter()
            .filter_map(|m| match m {
                Mention::Web { host, path, .. } => Some((host, path)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn phone_numbers_in_the_ways_people_write_them() {
        for written in [
            "Call 1-888-373-7888 now.",
            "Call (1-888-373-7888).",
            "Call +1 888 373 7888.",
            "Call (888) 373-7888.",
            "Call 888.373.7888!",
            "Call 8883737888.",
            "Call 18883737888.",
        ] {
            assert_eq!(phones(written), vec!["8883737888"], "{written}");
        }
        assert_eq!(phones("Llame al 800 5533 000."), vec!["8005533000"]);
        assert_eq!(phones("Llame al +52 800 5533 000."), vec!["8005533000"]);
        assert_eq!(phones("**1-888-373-788**"), vec!["888373788"], "a dropped digit is still read");
    }

    #[test]
    fn numbers_that_are_not_phone_numbers_are_left_alone() {
        for text in [
            "18 U.S.C. §§ 2251, 2252A and 22 U.S.C. § 7102; 8 U.S.C. § 1232(b)(3).",
            "Texas Family Code § 261.101.",
            "Review by 2026-11-25, or 25.11.2026, or 11/25/2026 at 10:30.",
            "From 2000-2008 and 1990–2010.",
            "Under 18; 25% of 1,000,000 people; 72 hours; 200+ languages.",
            "John 3:16, verse 2251-2252, Form I-914.",
            "1-800-THE-LOST",
            "Mil millones: 1 000 000 000; 25 000 000 000 pesos.",
            "https://www.law.cornell.edu/uscode/text/22/7102",
            "Call 911 or 089; TTY: 711.",
            "24/7",
        ] {
            let found: Vec<_> = mentions(text)
                .into_iter()
                .filter(|m| matches!(m, Mention::ShortCode { .. } | Mention::Phone { typical: true, .. }))
                .collect();
            assert!(found.is_empty(), "{text}: {found:?}");
        }
    }

    #[test]
    fn short_codes_stand_alone_and_know_their_context() {
        assert_eq!(
            mentions("Text 233733 (BeFree)."),
            vec![Mention::ShortCode { written: "233733", texting: true }]
        );
        assert_eq!(
            mentions("Envíe un mensaje de texto al 233722."),
            vec![Mention::ShortCode { written: "233722", texting: true }]
        );
        assert_eq!(
            mentions("In 78501, a town."),
            vec![Mention::ShortCode { written: "78501", texting: false }]
        );
        assert!(mentions("$10,000 and 1234").is_empty());
    }

    #[test]
    fn web_addresses_with_and_without_a_scheme() {
        assert_eq!(
            webs("Chat at humantraffickinghotline.org."),
            vec![("humantraffickinghotline.org".to_owned(), String::new())]
        );
        assert_eq!(
            webs("See **report.cybertip.org**"),
            vec![("report.cybertip.org".to_owned(), String::new())]
        );
        assert_eq!(
            webs("[tips](https://www.ICE.gov/Tips/)"),
            vec![("ice.gov".to_owned(), "tips".to_owned())]
        );
        assert_eq!(webs("Online at ice.gov/tips, or"), vec![("ice.gov".to_owned(), "tips".to_owned())]);
        assert!(webs("E-mail information@ORRNCC.com; U.S.C.; e.g. module.ron; i.e.").is_empty());
    }

    /// Long runs of digit groups and dotted words that are neither numbers nor addresses (a
    /// scanner that restarted from each separator would make this test crawl).
    #[test]
    fn long_runs_of_near_numbers_and_dotted_words_are_neither() {
        let text = "1-2-3-4 ".repeat(100_000) + &"a.b.".repeat(100_000);
        let found = mentions(&text);
        assert!(found.is_empty(), "{:?}", found.iter().take(3).collect::<Vec<_>>());
    }
}
