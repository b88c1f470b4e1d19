//! Checks that read the prose: phone numbers, short codes and web addresses compared with the
//! region data and the terms list, discouraged terms, and Spanish left identical to English.
//!
//! A wrong digit in a hotline number sends a frightened person to a stranger, so a number that
//! looks like a known contact's but is not it is an error; a number or address that is no known
//! contact is a warning, for the author to check. What the shapes are is in [`super::mentions`].

use std::collections::HashSet;

use super::Found;
use super::mentions::{Mention, host_and_path, mentions};
use super::term_index::TermIndex;
use super::texts::language_name;
use crate::format::invisible::code_point;
use crate::format::plain::{fold_for_numbers, invisible_in_number};
use crate::format::{ContactCard, Discouraged, Module, Regions, Terms, Text};
use crate::load::Anchor;

/// Hosts longer than this are not compared for likeness: the comparison is quadratic in length.
const MAX_COMPARED_HOST_LEN: usize = 64;

/// Reports numbers and addresses in prose that differ from the known contacts, discouraged terms,
/// and Spanish texts identical to their English.
pub(super) struct ProseCheck<'t> {
    directory: Option<Directory>,
    discouraged: TermIndex<'t>,
    bilingual: bool,
}

impl<'t> ProseCheck<'t> {
    pub(super) fn new(module: &Module, regions: Option<&Regions>, terms: Option<&'t Terms>) -> Self {
        Self {
            directory: regions.map(|r| Directory::new(r, terms, &module.sources)),
            discouraged: TermIndex::new(terms.map_or(&[][..], |t| t.discouraged.as_slice())),
            bilingual: ["en", "es"].iter().all(|l| module.languages.iter().any(|m| m == l)),
        }
    }

    pub(super) fn check(&self, text: &Text, what: &dyn Fn() -> String, at: Anchor, out: &mut Vec<Found>) {
        let (directory, discouraged, bilingual) = (&self.directory, &self.discouraged, self.bilingual);
        let mut messages = HashSet::new();
        for s in text.0.values() {
            if let Some((c, number)) = invisible_in_number(s) {
                messages.insert(Judged::Error(format!(
                    "{} has an invisible character ({}) inside the number {number}: remove it, a number must read as it is written",
                    what(),
                    code_point(c)
                )));
            }
        }
        if let Some(directory) = &directory {
            for s in text.0.values() {
                // Dashes, no-break and zero-width spaces and fullwidth digits read as plain ones
                // (`1–888–373–7880`), so they cannot carry a wrong number past the check.
                let folded = fold_for_numbers(s);
                for mention in mentions(&folded) {
                    if let Some(found) = directory.judge(&mention, what) {
                        messages.insert(found);
                    }
                }
            }
        }
        for (lang, s) in &text.0 {
            for d in discouraged.used_in(lang, s) {
                messages.insert(Judged::Warning(term_message(d, &what())));
            }
        }
        if bilingual && untranslated(text) {
            let message = format!(
                "{} is the same in {} as in {}: it reads as English, so translate it",
                what(),
                language_name("es"),
                language_name("en")
            );
            messages.insert(Judged::Warning(message));
        }
        let mut messages: Vec<Judged> = messages.into_iter().collect();
        messages.sort();
        for judged in messages {
            out.push(match judged {
                Judged::Error(m) => Found::error(at, m),
                Judged::Warning(m) => Found::warning(at, m),
            });
        }
    }
}

/// A finding about one text, before it is anchored.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Judged {
    Error(String),
    Warning(String),
}

/// A known phone number, short code or site, with the name of its contact.
#[derive(Clone, Debug)]
struct Known {
    name: String,
    written: String,
    /// National digits, the short code, or the host.
    key: String,
}

/// Every way to reach a contact that prose may give.
#[derive(Debug, Default)]
struct Directory {
    phones: Vec<Known>,
    short_codes: Vec<Known>,
    sites: Vec<Known>,
    /// Hosts of the module's own sources: cited on purpose.
    source_hosts: HashSet<String>,
}

impl Directory {
    fn new(regions: &Regions, terms: Option<&Terms>, sources: &[crate::format::Source]) -> Self {
        let mut d = Directory::default();
        for card in regions.regions.iter().flat_map(|r| &r.contacts) {
            d.add_card(card);
        }
        for contact in terms.map_or(&[][..], |t| t.also_known.as_slice()) {
            for written in contact.phones.iter().chain(&contact.urls) {
                d.add_written(&contact.name, written);
            }
            for code in &contact.sms {
                d.short_codes.push(Known {
                    name: contact.name.clone(),
                    written: code.clone(),
                    key: code.clone(),
                });
            }
        }
        for source in sources {
            if let Some((host, _)) = address_of(&source.url) {
                d.source_hosts.insert(host);
            }
        }
        d
    }

    /// A region card's number, short code and site, and the other numbers and sites its own texts
    /// give (the HSI tip line's number from outside the U.S.).
    fn add_card(&mut self, card: &ContactCard) {
        let name = card.name.get("en").to_owned();
        for written in card.phone.iter().chain(&card.url) {
            self.add_written(&name, written);
        }
        if let Some(code) = &card.sms {
            self.short_codes.push(Known { name: name.clone(), written: code.clone(), key: code.clone() });
        }
        let texts = [Some(&card.when), card.hours.as_ref(), card.languages.as_ref()];
        for s in texts.into_iter().flatten().flat_map(|t| t.0.values()) {
            for mention in mentions(s) {
                self.add_mention(&name, &mention);
            }
        }
    }

    /// A number or address written in a contact field (`1-888-373-7888`, `https://ice.gov/tips`).
    fn add_written(&mut self, name: &str, written: &str) {
        let found = mentions(written);
        if found.is_empty() {
            // A scheme-less host such as `tips.fbi.gov/x` in a terms list.
            if let Some((host, _)) = address_of(written) {
                self.sites.push(Known { name: name.to_owned(), written: written.to_owned(), key: host });
            }
        }
        for mention in &found {
            self.add_mention(name, mention);
        }
    }

    fn add_mention(&mut self, name: &str, mention: &Mention<'_>) {
        let (list, written, key) = match mention {
            Mention::Phone { written, digits, .. } => (&mut self.phones, written, digits.clone()),
            Mention::Web { written, host, .. } => (&mut self.sites, written, host.clone()),
            Mention::ShortCode { .. } => return,
        };
        if !list.iter().any(|k| k.key == key) {
            list.push(Known { name: name.to_owned(), written: (*written).to_owned(), key });
        }
    }

    /// What to say about one mention in a text described by `what`, if anything.
    fn judge(&self, mention: &Mention<'_>, what: &dyn Fn() -> String) -> Option<Judged> {
        let unknown = |kind: &str, written: &str| {
            Judged::Warning(format!(
                "{} gives the {kind} {written}, which is not a contact in the region data (assets/regions.ron) or the terms list (terms.ron): check it, and if it is right add it to `also_known` in terms.ron",
                what()
            ))
        };
        let looks_like = |written: &str, known: &Known| {
            Judged::Error(format!(
                "{} gives {written}, which looks like {} {} but is not it: check it, a wrong number or address sends people to a stranger",
                what(),
                known.name,
                known.written
            ))
        };
        match mention {
            Mention::Phone { written, digits, typical } => {
                if self.phones.iter().any(|k| &k.key == digits) {
                    return None;
                }
                match self.phones.iter().find(|k| phone_looks_like(digits, &k.key)) {
                    Some(known) => Some(looks_like(written, known)),
                    None if *typical => Some(unknown("phone number", written)),
                    None => None,
                }
            }
            Mention::ShortCode { written, texting } => {
                if self.short_codes.iter().any(|k| k.key == *written) {
                    return None;
                }
                match self.short_codes.iter().find(|k| differing_digits(written, &k.key) <= 2) {
                    Some(known) => Some(looks_like(written, known)),
                    None if *texting => Some(unknown("text number", written)),
                    None => None,
                }
            }
            Mention::Web { written, host, .. } => {
                if self.source_hosts.contains(host) || self.sites.iter().any(|k| &k.key == host) {
                    return None;
                }
                match self.sites.iter().find(|k| host_looks_like(host, &k.key)) {
                    Some(known) => Some(looks_like(written, known)),
                    None => Some(unknown("web address", written)),
                }
            }
        }
    }
}

/// The host and path of an address written with or without `http(s)://`.
fn address_of(url: &str) -> Option<(String, String)> {
    let lower = url.to_ascii_lowercase();
    let rest = ["https://", "http://"].iter().find_map(|s| lower.strip_prefix(s)).unwrap_or(&lower);
    host_and_path(rest)
}

/// Whether a phone number that is not `known` is probably a mistyped `known`: at most two digits
/// changed, added, dropped or swapped, or the same area code and exchange (first six digits).
fn phone_looks_like(digits: &str, known: &str) -> bool {
    let same_exchange = digits.len() == known.len() && digits.get(..6).is_some_and(|p| known.starts_with(p));
    same_exchange || strsim::levenshtein(digits, known) <= 2
}

/// How many positions differ between two digit strings of the same length (`usize::MAX` if the
/// lengths differ: a short code is mistyped in place, and a zip code is not a short code).
fn differing_digits(a: &str, b: &str) -> usize {
    if a.len() != b.len() {
        return usize::MAX;
    }
    a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count()
}

/// Whether `host` is probably a mistyped `known` host: one edit for a short host, two for a long
/// one (`ice.gov` and `irs.gov` are both real), or the same name under another top-level domain
/// (`txabusehotline.com` for `txabusehotline.org`: a different owner, maybe a hostile one).
fn host_looks_like(host: &str, known: &str) -> bool {
    if host.len() > MAX_COMPARED_HOST_LEN || known.len() > MAX_COMPARED_HOST_LEN {
        return false;
    }
    let name = |h: &str| h.rsplit_once('.').map(|(name, _)| name.to_owned());
    if name(host).is_some_and(|n| n.contains('.') || n.len() >= 4) && name(host) == name(known) {
        return true;
    }
    let allowed = if known.len() < 12 { 1 } else { 2 };
    strsim::levenshtein(host, known) <= allowed
}

fn term_message(d: &Discouraged, what: &str) -> String {
    format!(
        "{what} uses \"{}\" ({}): write \"{}\" instead; {}",
        d.term,
        language_name(&d.lang),
        d.instead,
        d.why
    )
}

/// Common English words that are not also Spanish words: a Spanish text that has one of them is
/// English left untranslated. Names, numbers, acronyms and Spanish terms quoted in both languages
/// ("trata de personas", "DIF", "24/7") have none.
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "you", "your", "is", "are", "was", "to", "of", "in", "it", "this", "that", "with", "for",
    "not", "or", "be", "can", "do", "if", "on", "at", "what", "who", "how", "they", "their", "she", "his",
    "her", "we", "our", "will", "should", "must", "from", "an", "by", "call", "report", "help", "child",
];

/// Whether the Spanish of `text` is its English, and that English has words to translate.
fn untranslated(text: &Text) -> bool {
    let (Some(en), Some(es)) = (text.0.get("en"), text.0.get("es")) else { return false };
    en.trim() == es.trim()
        && en
            .split(|c: char| !c.is_alphabetic())
            .any(|w| ENGLISH_WORDS.iter().any(|e| e.eq_ignore_ascii_case(w)))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::diagnostic::Severity;
    use crate::load::{LoadedModule, parse_module};
    use crate::validate::{Context, validate};

    const MINIMAL: &str = include_str!("../../tests/fixtures/good/minimal/module.ron");

    /// The findings of this check for the good example with `old` replaced by `new`.
    fn findings(old: &str, new: &str) -> Vec<(Severity, String)> {
        assert!(MINIMAL.contains(old), "{old}");
        let source = MINIMAL.replacen(old, new, 1);
        let module = parse_module(Path::new("module.ron"), &source).unwrap();
        let loaded = LoadedModule {
            dir: "tests/fixtures/good/minimal".into(),
            file: "module.ron".into(),
            source,
            module,
        };
        let regions = crate::bundled::regions().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let terms = crate::bundled::terms().ok();
        let ctx = Context { today, regions: Some(&regions), terms, decode_images: false, pack: None };
        // Only the English is changed: that its contacts then differ from the Spanish is
        // another check's finding (`contacts_agree`).
        validate(&loaded, &ctx)
            .into_iter()
            .filter(|d| !d.message.contains("different contacts in English and Spanish"))
            .map(|d| (d.severity, d.message))
            .collect()
    }

    const PLACE: &str = "Volunteers **notice** and **report**.";

    fn say(en: &str) -> Vec<(Severity, String)> {
        findings(PLACE, en)
    }

    #[test]
    fn a_wrong_hotline_number_is_an_error_naming_the_right_one() {
        let found = say("Call 1-888-373-7880 any time.");
        assert_eq!(found.len(), 1, "{found:?}");
        let (severity, message) = &found[0];
        assert_eq!(*severity, Severity::Error);
        assert!(
            message.contains("1-888-373-7880, which looks like National Human Trafficking Hotline (United States) 1-888-373-7888"),
            "{message}"
        );
        for typo in ["1-888-373-788", "1-888-337-7888", "(888) 373-7889", "800 5533 001", "1-800-843-5687"] {
            let found = say(&format!("Call {typo}."));
            assert!(
                matches!(found.as_slice(), [(Severity::Error, m)] if m.contains("looks like")),
                "{typo}: {found:?}"
            );
        }
        let found = say("Text 233722.");
        assert!(matches!(found.as_slice(), [(Severity::Error, m)] if m.contains("233733")), "{found:?}");
        for wrong_domain in
            ["txabusehotline.com", "https://www.txabusehotline.net/report", "humantraffickinghotline.com"]
        {
            let found = say(&format!("Report at {wrong_domain} today."));
            assert!(
                matches!(found.as_slice(), [(Severity::Error, m)] if m.contains("looks like")),
                "{wrong_domain}: {found:?}"
            );
        }
        let found = say("Chat at humantrafickinghotline.org.");
        assert!(
            matches!(found.as_slice(), [(Severity::Error, m)] if m.contains("humantraffickinghotline.org")),
            "{found:?}"
        );
    }

    /// Issue 26: the wrong number written with en dashes, or with a zero-width space inside it,
    /// is still the wrong number; an invisible character inside a number is an error itself.
    #[test]
    fn a_wrong_number_cannot_hide_behind_dashes_spaces_or_invisible_characters() {
        for written in [
            "1\u{2013}888\u{2013}373\u{2013}7880",
            "1\u{2014}888\u{2011}373\u{2010}7880",
            "1\u{00A0}888\u{00A0}373\u{00A0}7880",
            "\u{FF11}-\u{FF18}\u{FF18}\u{FF18}-373-7880",
            "1\u{FE63}888\u{2212}373\u{FF0D}7880",
        ] {
            let found = say(&format!("Call {written} any time."));
            assert!(
                matches!(found.as_slice(), [(Severity::Error, m)] if m.contains("looks like National Human Trafficking Hotline")),
                "{written}: {found:?}"
            );
        }
        for hidden in ['\u{200B}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{200D}'] {
            let found = say(&format!("Call 1-888-373-78{hidden}80 any time."));
            assert!(
                found.iter().any(|(s, m)| *s == Severity::Error
                    && m.contains("invisible character")
                    && m.contains("inside the number 1-888-373-78")),
                "{hidden:?}: {found:?}"
            );
            assert!(found.iter().any(|(_, m)| m.contains("looks like")), "{hidden:?}: {found:?}");
            // Even around the right number, the hidden character is refused.
            let found = say(&format!("Call 1-888-373-78{hidden}88 any time."));
            assert!(
                matches!(found.as_slice(), [(Severity::Error, m)] if m.contains("invisible character")),
                "{found:?}"
            );
        }
        assert_eq!(say("Call 1\u{2013}888\u{2013}373\u{2013}7888 \u{2014} any time."), vec![]);
    }

    #[test]
    fn the_right_numbers_and_sites_pass() {
        for text in [
            "Call 1-888-373-7888, text 233733 or chat at humantraffickinghotline.org.",
            "Llame al 800 5533 000 o al +52 800 5533 000; en peligro, al 911; o al 089.",
            "From outside the U.S.: 1-802-872-6199. Online at ice.gov/tips. TTY: 711.",
            "NCMEC: report.cybertip.org, 1-800-843-5678 (1-800-THE-LOST).",
            "The FBI: tips.fbi.gov, 1-800-CALL-FBI, that is 1-800-225-5324.",
            "Sources: https://www.dhs.gov/blue-campaign/how-can-i-help (cited by the module).",
        ] {
            assert_eq!(say(text), vec![], "{text}");
        }
    }

    #[test]
    fn an_unknown_number_or_site_is_a_warning_naming_it() {
        let found = say("Call 1-555-010-9999 or see example.org/help.");
        let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
        assert!(found.iter().all(|(s, _)| *s == Severity::Warning), "{found:?}");
        assert!(messages.iter().any(|m| m.contains("phone number 1-555-010-9999")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("web address example.org/help")), "{messages:?}");
        let found = say("Text 55555 for help.");
        assert!(
            matches!(found.as_slice(), [(Severity::Warning, m)] if m.contains("text number 55555")),
            "{found:?}"
        );
    }

    /// A text of 2.5 MB full of near misses (a quadratic check would make this test crawl; how
    /// long the checks take is measured by the bench, not here).
    #[test]
    fn a_text_full_of_numbers_and_addresses_reports_each_problem_once() {
        let text = "1-888-373-7880 233722 humantrafickinghotline.org/x 2251, 2252A ".repeat(40_000);
        let found = say(&text);
        // One finding per distinct problem in a text, not one per occurrence.
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn citations_dates_and_counts_are_not_numbers_to_check() {
        let text = "Under 18 U.S.C. §§ 2251, 2252A and 22 U.S.C. § 7102 (Texas Family Code § 261.101), since 2000-2008, on 2026-11-25 at 10:30, 25% of 1,000,000 people in 78501 (John 3:16), within 72 hours.";
        assert_eq!(say(text), vec![]);
    }

    #[test]
    fn the_bundled_terms_flag_trafico_de_personas_in_spanish_only() {
        let es = "Las personas voluntarias **observan** y **reportan**.";
        let found = findings(es, "Es un caso de Tráfico de  personas.");
        assert!(
            matches!(found.as_slice(), [(Severity::Warning, m)] if m.contains("write \"trata de personas\" instead")),
            "{found:?}"
        );
        for fine in [
            "Es tráfico ilícito de migrantes.",
            "Es trafico de personas sin acento.",
            "Mucha gente dice “tráfico de personas”, pero es ambiguo.",
            "Es trata de personas.",
        ] {
            assert_eq!(findings(es, fine), vec![], "{fine}");
        }
        assert_eq!(say("Spanish speakers say tráfico de personas."), vec![], "only Spanish texts");
    }

    #[test]
    fn spanish_identical_to_english_is_a_warning_unless_it_is_names_or_numbers() {
        let both = r#"Text({"en": "Volunteers **notice** and **report**.", "es": "Las personas voluntarias **observan** y **reportan**."})"#;
        let same = |s: &str| findings(both, &format!(r#"Text({{"en": "{s}", "es": "{s}"}})"#));
        let found = same("Call the hotline if you see this.");
        assert!(
            matches!(found.as_slice(), [(Severity::Warning, m)] if m.contains("the same in Spanish (es) as in English (en)")),
            "{found:?}"
        );
        for fine in [
            "911",
            "24/7",
            "DIF",
            "trata de personas",
            "Texas Abuse Hotline",
            "NCMEC CyberTipline",
            "1-888-373-7888",
        ] {
            assert_eq!(same(fine), vec![], "{fine}");
        }
    }
}
