//! Discouraged terms (`terms.ron`) found in one pass over a text, however many terms there are.
//!
//! Each term was looked for on its own, and the text was lowercased and its spaces collapsed again
//! for every term: a 500-term list beside a 3.9 MB module took 8.3 s (issue 26). Now the text is
//! normalised once per language, and at each word start the word is looked up among the terms'
//! first words, so the cost is the text's length plus the terms that start with the words found.

use std::collections::HashMap;

use crate::format::Discouraged;

/// First word → (each term starting with it, normalised, and its index in the list).
type ByFirstWord = HashMap<String, Vec<(String, usize)>>;

/// The discouraged terms by language and first word, normalised.
pub(super) struct TermIndex<'t> {
    /// By language.
    by_first_word: HashMap<&'t str, ByFirstWord>,
    /// Terms that do not start with a letter or digit, looked for one by one (no real list has
    /// them; they keep the old meaning rather than being dropped).
    others: Vec<(String, usize)>,
    terms: &'t [Discouraged],
}

impl<'t> TermIndex<'t> {
    pub(super) fn new(terms: &'t [Discouraged]) -> Self {
        let mut by_first_word: HashMap<&str, ByFirstWord> = HashMap::new();
        let mut others = Vec::new();
        for (i, d) in terms.iter().enumerate() {
            let term = words_normalised(&d.term);
            let first: String = term.chars().take_while(|c| c.is_alphanumeric()).collect();
            if term.is_empty() {
                continue;
            }
            if first.is_empty() {
                others.push((term, i));
            } else {
                by_first_word.entry(d.lang.as_str()).or_default().entry(first).or_default().push((term, i));
            }
        }
        Self { by_first_word, others, terms }
    }

    /// The discouraged terms `text`, in language `lang`, uses (each once, in list order).
    pub(super) fn used_in(&self, lang: &str, text: &str) -> Vec<&'t Discouraged> {
        let index = self.by_first_word.get(lang);
        let others: Vec<&(String, usize)> =
            self.others.iter().filter(|(_, i)| self.terms.get(*i).is_some_and(|d| d.lang == lang)).collect();
        if index.is_none() && others.is_empty() {
            return Vec::new();
        }
        let text = words_normalised(text);
        let mut found = vec![false; self.terms.len()];
        let mut mark = |i: usize| {
            if let Some(f) = found.get_mut(i) {
                *f = true;
            }
        };
        if let Some(index) = index {
            let mut previous: Option<char> = None;
            for (at, c) in text.char_indices() {
                let starts_word = c.is_alphanumeric() && !previous.is_some_and(char::is_alphanumeric);
                previous = Some(c);
                if !starts_word {
                    continue;
                }
                let rest = text.get(at..).unwrap_or("");
                let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
                let Some(candidates) = rest.get(..end).and_then(|word| index.get(word)) else { continue };
                for (term, i) in candidates {
                    if rest.starts_with(term.as_str()) && used_at(&text, at, term.len()) {
                        mark(*i);
                    }
                }
            }
        }
        for (term, i) in others {
            if text.match_indices(term.as_str()).any(|(at, _)| used_at(&text, at, term.len())) {
                mark(*i);
            }
        }
        self.terms.iter().zip(found).filter(|(_, f)| *f).map(|(d, _)| d).collect()
    }
}

/// Whether the term of `len` bytes at `at` in the normalised `text` is used as whole words. A
/// term in quotation marks or italics (“tráfico de personas”) is mentioned, not used: that is how
/// a module explains why it avoids it.
fn used_at(text: &str, at: usize, len: usize) -> bool {
    let before = text.get(..at).and_then(|t| t.chars().next_back());
    let after = text.get(at + len..).and_then(|t| t.chars().next());
    let quoted =
        before.is_some_and(|c| "“\"«‘'*_".contains(c)) && after.is_some_and(|c| "”\"»’'*_".contains(c));
    !quoted && !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Lowercase, with each run of white space made one space.
fn words_normalised(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(lang: &str, term: &str) -> Discouraged {
        Discouraged { lang: lang.into(), term: term.into(), instead: "x".into(), why: "y".into() }
    }

    #[test]
    fn whole_words_ignoring_case_and_spacing_not_quoted() {
        let terms = [term("es", "tráfico de personas"), term("es", "tráfico"), term("en", "victim")];
        let index = TermIndex::new(&terms);
        let used = |lang: &str, text: &str| -> Vec<&str> {
            index.used_in(lang, text).into_iter().map(|d| d.term.as_str()).collect()
        };
        assert_eq!(used("es", "Es un caso de Tráfico de  personas."), ["tráfico de personas", "tráfico"]);
        // The quoted phrase is mentioned; the single word inside it is not quoted on its own.
        assert_eq!(used("es", "Mucha gente dice “tráfico de personas”."), ["tráfico"]);
        assert_eq!(used("es", "Mucha gente dice “tráfico”."), Vec::<&str>::new());
        assert_eq!(used("es", "narcotráfico de personas"), Vec::<&str>::new());
        assert_eq!(used("es", "tráfico ilícito"), ["tráfico"]);
        assert_eq!(used("en", "tráfico"), Vec::<&str>::new());
        assert_eq!(used("en", "a victim's rights"), ["victim"]);
        assert_eq!(used("en", "victims"), Vec::<&str>::new());
    }

    /// 500 terms against a long text: the text is walked once, not once per term.
    #[test]
    fn many_terms_find_each_use_once() {
        let terms: Vec<Discouraged> = (0..500).map(|i| term("en", &format!("word{i} here"))).collect();
        let index = TermIndex::new(&terms);
        let text = "nothing to see, word7 here and word499 here. ".repeat(20_000);
        let used: Vec<&str> = index.used_in("en", &text).into_iter().map(|d| d.term.as_str()).collect();
        assert_eq!(used, ["word7 here", "word499 here"]);
    }
}
