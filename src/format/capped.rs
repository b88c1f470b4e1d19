//! Lists and translation maps that stop at their limit while the file is read.
//!
//! The validator reports a list over its limit ([`super::limits`]), but only after the whole
//! file has been turned into values: a 4 MiB module of 280,000 one-line blocks on one page took
//! 350 MiB to read before the limit of 200 blocks could be reported (issue 26, item 3b). Reading
//! through these functions refuses the first element past the limit, at its line and column, so
//! what a module can make Faro hold in memory is bounded by the limits, not by what a publisher
//! writes. The elements past the limit are not kept.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::limits;
use super::{Answer, Block, Choice, Condition, Ending, Lang, Node, Question, Source, Step, Text};

/// Lists with no limit of their own in the format (regions, cited sources, required acts,
/// claimed flags): far above any real module, which uses a handful.
pub const MAX_SHORT_LIST: usize = 200;

/// The message for a list or map found longer than `limit` while reading.
fn over_limit(limit: usize, what: &str) -> String {
    format!("more than {limit} {what}, the limit (docs/module-format.md, \"Limits\"); split it up")
}

struct CappedSeq<T> {
    limit: usize,
    what: &'static str,
    element: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for CappedSeq<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of at most {} {}", self.limit, self.what)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // The size hint comes from the file; it is never trusted past the limit.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.limit));
        while out.len() < self.limit {
            match seq.next_element()? {
                Some(element) => out.push(element),
                None => return Ok(out),
            }
        }
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(out),
            Some(_) => Err(A::Error::custom(over_limit(self.limit, self.what))),
        }
    }
}

fn capped<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
    limit: usize,
    what: &'static str,
) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_seq(CappedSeq { limit, what, element: PhantomData })
}

macro_rules! capped_list {
    ($(#[$doc:meta])* $name:ident, $element:ty, $limit:expr, $what:literal) => {
        $(#[$doc])*
        pub(super) fn $name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<$element>, D::Error> {
            capped(deserializer, $limit, $what)
        }
    };
}

capped_list!(languages, Lang, limits::MAX_LANGUAGES, "languages in the module");
capped_list!(sources, Source, limits::MAX_SOURCES, "sources in the module");
capped_list!(steps, Step, limits::MAX_STEPS, "steps in the module");
capped_list!(blocks, Block, limits::MAX_BLOCKS_PER_PAGE, "blocks on one page");
capped_list!(indicators, Text, limits::MAX_INDICATORS, "items in one indicator list");
capped_list!(nodes, Node, limits::MAX_NODES, "nodes in one scenario");
capped_list!(endings, Ending, limits::MAX_ENDINGS, "endings of one scenario");
capped_list!(choices, Choice, limits::MAX_CHOICES_PER_NODE, "choices at one node");
capped_list!(flags, String, limits::MAX_FLAGS_PER_CHOICE, "flags set by one choice");
capped_list!(terms, Condition, limits::MAX_CONDITION_TERMS, "terms in one condition");
capped_list!(questions, Question, limits::MAX_QUESTIONS, "questions in one check");
capped_list!(answers, Answer, limits::MAX_ANSWERS, "answers to one question");
capped_list!(
    short_list,
    String,
    MAX_SHORT_LIST,
    "entries in one list (regions, cited sources, required acts, claims)"
);

/// The entries of a [`Text`], at most one per language a module may have.
pub(super) fn translations<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<Lang, String>, D::Error> {
    struct Translations;

    impl<'de> Visitor<'de> for Translations {
        type Value = BTreeMap<Lang, String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a text in each language, written {{\"en\": \"...\", \"es\": \"...\"}}")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            let mut entries = 0;
            while let Some(lang) = map.next_key::<Lang>()? {
                entries += 1;
                if entries > limits::MAX_LANGUAGES {
                    return Err(A::Error::custom(over_limit(limits::MAX_LANGUAGES, "languages in one text")));
                }
                let text: String = map.next_value()?;
                out.insert(lang, text);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(Translations)
}

#[cfg(test)]
mod tests {
    use crate::format::{Page, Text};

    fn page_with(blocks: usize) -> String {
        let block = "Text({\"en\": \"x\"})";
        format!("(id: \"p\", title: {{\"en\": \"P\"}}, blocks: [{}])", vec![block; blocks].join(", "))
    }

    #[test]
    fn a_list_at_its_limit_reads_and_one_more_is_refused_where_it_is_written() {
        let limit = crate::format::limits::MAX_BLOCKS_PER_PAGE;
        let page: Page = ron::from_str(&page_with(limit)).expect("at the limit");
        assert_eq!(page.blocks.len(), limit);

        // 100,000 blocks on one line: refused at the first block past the limit; the reader does
        // not go on to the end of the list (nor keep what it read past the limit).
        let over = page_with(100_000);
        let err = ron::from_str::<Page>(&over).expect_err("over the limit");
        assert!(err.code.to_string().contains("more than 200 blocks on one page"), "{err}");
        let block_starts: Vec<usize> = over.match_indices("Text(").map(|(i, _)| i + 1).collect();
        let (past_limit, next) = (block_starts[limit], block_starts[limit + 1]);
        let column = err.span.end.col;
        assert!(err.span.end.line == 1 && column > past_limit && column <= next, "{err}: column {column}");
    }

    #[test]
    fn a_text_with_more_languages_than_a_module_may_have_is_refused() {
        let entries: Vec<String> = (0..21).map(|i| format!("\"l{i}\": \"x\"")).collect();
        let err = ron::from_str::<Text>(&format!("{{{}}}", entries.join(", "))).expect_err("21 languages");
        assert!(err.code.to_string().contains("more than 20 languages in one text"), "{err}");
        let text: Text = ron::from_str("{\"en\": \"a\", \"es\": \"b\"}").expect("two languages");
        assert_eq!((text.get("en"), text.get("es")), ("a", "b"));
    }
}
