//! Markdown nesting: a text whose quotes, lists or emphasis nest beyond the caps in
//! [`crate::format::limits`] is refused. Four thousand `>` in a 4 KB string once made the app
//! overflow its stack while drawing the page (issue 26); the renderer now draws deep text flat,
//! and the validator says where such a text is, so a publisher's module never relies on that.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::Found;
use crate::format::Text;
use crate::format::limits::{MAX_MARKDOWN_BLOCK_DEPTH, MAX_MARKDOWN_INLINE_DEPTH};
use crate::load::Anchor;

/// The parser options the app draws with (`src/app/widgets/markdown.rs`).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// How deeply `markdown` nests, as (block containers, inline styles). One pass over the parser's
/// events, which pulldown-cmark produces without recursion, so this is linear in the text.
pub fn nesting(markdown: &str) -> (usize, usize) {
    let (mut block, mut inline) = (0usize, 0usize);
    let (mut max_block, mut max_inline) = (0usize, 0usize);
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                block += 1;
                max_block = max_block.max(block);
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => block = block.saturating_sub(1),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }) => {
                inline += 1;
                max_inline = max_inline.max(inline);
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link) => {
                inline = inline.saturating_sub(1)
            }
            _ => {}
        }
    }
    (max_block, max_inline)
}

/// Reports a text (in any language) nested beyond the caps, once per text.
pub(super) fn check(text: &Text, what: &dyn Fn() -> String, at: Anchor, out: &mut Vec<Found>) {
    // A text with no marker character cannot nest at all: most texts are skipped unparsed.
    let markers =
        |s: &&String| s.contains(['>', '-', '+', '*', '_', '~', '[']) || s.contains(char::is_numeric);
    for (lang, s) in text.0.iter().filter(|(_, s)| markers(s)) {
        let (block, inline) = nesting(s);
        let (depth, cap, kind) = if block > MAX_MARKDOWN_BLOCK_DEPTH {
            (block, MAX_MARKDOWN_BLOCK_DEPTH, "quotes and lists")
        } else if inline > MAX_MARKDOWN_INLINE_DEPTH {
            (inline, MAX_MARKDOWN_INLINE_DEPTH, "emphasis and links")
        } else {
            continue;
        };
        let message = format!(
            "{} (\"{lang}\") nests {kind} {depth} deep, more than the limit of {cap} (docs/module-format.md, \"Limits\"): write it flatter",
            what()
        );
        out.push(Found::error(at, message));
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_quotes_lists_and_emphasis() {
        assert_eq!(nesting("plain"), (0, 0));
        assert_eq!(nesting("> - x"), (2, 0));
        assert_eq!(nesting("***x***"), (0, 2));
        assert_eq!(nesting("- a\n  - b\n    - **c**"), (3, 1));
    }

    /// The shapes of issue 26, far beyond the caps; counted without overflowing a test thread's
    /// stack.
    #[test]
    fn four_thousand_levels_are_counted() {
        assert_eq!(nesting(&">".repeat(4_000)).0, 4_000);
        assert!(nesting(&format!("{}x", "- ".repeat(4_000))).0 > MAX_MARKDOWN_BLOCK_DEPTH);
        let deep = format!("{}x{}", "*".repeat(4_000), "*".repeat(4_000));
        assert!(nesting(&deep).1 > MAX_MARKDOWN_INLINE_DEPTH, "{:?}", nesting(&deep));
    }
}
