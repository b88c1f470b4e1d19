//! Syntax mistakes explained as an author sees them: which bracket was opened where and never
//! closed, a quote that ends a text early, a comma missing between two fields, and curly quotes
//! pasted from a word processor. RON's own messages ("expected opening `(` for struct
//! `Choice`") name what the parser wanted next, not what the author left out.
//!
//! One pass over the source, with a stack of open brackets (capped by the recursion limit the
//! parser itself enforces, so a file of a million `[` costs one pass and a bounded stack).

use crate::diagnostic::Position;

/// Deepest bracket nesting followed; a module never needs more than a few dozen levels.
const MAX_DEPTH: usize = 256;

/// A syntax mistake found by [`explain`]: where to look (the last good place before it), and what
/// to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    pub at: Position,
    /// Where the mistake shows itself (byte offset): compared with the parser's error position.
    pub noticed: usize,
    pub message: String,
}

/// One open bracket.
struct Open {
    bracket: u8,
    offset: usize,
    what: String,
}

/// The first syntax mistake in `source`, if the brackets, quotes and commas show one.
pub fn explain(source: &str) -> Option<Explained> {
    let bytes = source.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    // The last character written outside comments, and where: a value's end (`5`, `Warning`,
    // `)`) at the end of a line followed by a field name is a missing comma.
    let mut last: Option<(u8, usize)> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let starts_comment = b == b'/' && matches!(bytes.get(i + 1), Some(b'/' | b'*'));
        if !(b.is_ascii_whitespace() || starts_comment) {
            last = Some((b, i));
        }
        match b {
            b'\n' => {
                if let Some((end, at)) = last
                    && (end.is_ascii_alphanumeric() || b"\")]}".contains(&end))
                    && starts_field(source.get(i + 1..).unwrap_or(""))
                {
                    let line = Position::of_offset(source, at).line;
                    return Some(self::at(
                        source,
                        at + 1,
                        i + 1,
                        format!(
                            "a comma is missing at the end of line {line}: add `,` after what is written there"
                        ),
                    ));
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i += source.get(i..).and_then(|r| r.find('\n')).unwrap_or(source.len() - i);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
            }
            b'"' => {
                let Some(end) = string_end(bytes, i + 1) else {
                    return Some(at(
                        source,
                        i,
                        i,
                        format!(
                            "the text opened with \" at line {} is never closed: add \" at its end",
                            Position::of_offset(source, i).line
                        ),
                    ));
                };
                if let Some(found) = after_string(source, i, end) {
                    return Some(found);
                }
                last = Some((b'"', end));
                i = end + 1;
            }
            b'(' | b'[' | b'{' => {
                if stack.len() >= MAX_DEPTH {
                    return None;
                }
                stack.push(Open { bracket: b, offset: i, what: describe(source, i, b) });
                i += 1;
            }
            b')' | b']' | b'}' => {
                let Some(open) = stack.pop() else {
                    return Some(at(
                        source,
                        i,
                        i,
                        format!(
                            "`{}` closes nothing: remove it, or add the bracket that should open it",
                            b as char
                        ),
                    ));
                };
                if closer(open.bracket) != b {
                    let good = last_good_place(source, i);
                    let line = Position::of_offset(source, i).line;
                    return Some(at(
                        source,
                        good,
                        i,
                        format!(
                            "{} opened at line {} is never closed: add `{}` before line {line}, where `{}` closes something else",
                            open.what,
                            Position::of_offset(source, open.offset).line,
                            closer(open.bracket) as char,
                            b as char
                        ),
                    ));
                }
                i += 1;
            }
            _ => {
                let c = source.get(i..).and_then(|r| r.chars().next()).unwrap_or(' ');
                if let Some(name) = curly_quote(c) {
                    return Some(at(
                        source,
                        i,
                        i,
                        format!(
                            "{c} is a {name} (a word processor's \"smart quote\"): texts in module.ron are written between straight quotes \"…\"; replace it (turn smart quotes off, or paste as plain text). Curly quotes inside a text are fine"
                        ),
                    ));
                }
                i += c.len_utf8();
            }
        }
    }
    let open = stack.pop()?;
    Some(at(
        source,
        last_good_place(source, source.len()),
        source.len(),
        format!(
            "{} opened at line {} is never closed: add `{}` to close it",
            open.what,
            Position::of_offset(source, open.offset).line,
            closer(open.bracket) as char
        ),
    ))
}

fn at(source: &str, offset: usize, noticed: usize, message: String) -> Explained {
    Explained { at: Position::of_offset(source, offset), noticed, message }
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// The name of a curly quote, if `c` is one.
fn curly_quote(c: char) -> Option<&'static str> {
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' => Some("curly double quote"),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => Some("curly single quote (smart apostrophe)"),
        '\u{00AB}' | '\u{00BB}' => Some("guillemet"),
        _ => None,
    }
}

/// The offset of the `"` that ends the string whose text starts at `from`.
fn string_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    loop {
        match bytes.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j),
            _ => j += 1,
        }
    }
}

fn skip_block_comment(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut j = from;
    while j < bytes.len() {
        if bytes.get(j) == Some(&b'/') && bytes.get(j + 1) == Some(&b'*') {
            depth += 1;
            j += 2;
        } else if bytes.get(j) == Some(&b'*') && bytes.get(j + 1) == Some(&b'/') {
            depth = depth.saturating_sub(1);
            j += 2;
            if depth == 0 {
                return j;
            }
        } else {
            j += 1;
        }
    }
    j
}

/// What follows a string must be `,` `:` or a closing bracket. Text on the same line means a
/// quote inside the text ended it early; a name on a later line, a missing comma.
fn after_string(source: &str, open: usize, end: usize) -> Option<Explained> {
    let rest = source.get(end + 1..)?;
    let skipped = rest.len() - rest.trim_start().len();
    let next_at = end + 1 + skipped;
    let next = rest.trim_start().chars().next()?;
    if ",:)]}/".contains(next) {
        return None;
    }
    let same_line = !rest.get(..skipped).is_some_and(|s| s.contains('\n'));
    let line = Position::of_offset(source, end).line;
    if same_line {
        let column = Position::of_offset(source, end).column;
        return Some(at(
            source,
            end,
            next_at,
            format!(
                "the quote \" at line {line}, column {column} ends the text that starts at line {}, but the text goes on after it: inside a text write \\\" for a straight quote, or use curly quotes “ ”",
                Position::of_offset(source, open).line
            ),
        ));
    }
    Some(at(
        source,
        end + 1,
        next_at,
        format!(
            "a comma is missing after the text that ends at line {line}: add `,` after its closing quote"
        ),
    ))
}

/// The end of the last thing written before `offset` (spaces, newlines and comment lines
/// skipped backwards): where the missing bracket goes. Each byte is looked at a bounded number of
/// times, so a file of blank lines stays one pass.
fn last_good_place(source: &str, offset: usize) -> usize {
    let mut end = offset.min(source.len());
    loop {
        let trimmed = source.get(..end).unwrap_or("").trim_end();
        let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        let line = trimmed.get(line_start..).unwrap_or("");
        let code = line.get(..code_end(line)).unwrap_or("").trim_end();
        if !code.trim().is_empty() {
            return line_start + code.len();
        }
        if line_start == 0 {
            return offset;
        }
        end = line_start;
    }
}

/// Whether a line starts (after spaces) with a field name and `:`, or a name and `(`.
fn starts_field(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or("").trim_start();
    let name_len = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(line.len());
    name_len > 0
        && line.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && line.get(name_len..).is_some_and(|r| {
            let r = r.trim_start();
            r.starts_with(':') || r.starts_with('(')
        })
}

/// Where the code of a line ends: at a `//` comment outside a quoted text, or the line's end.
fn code_end(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut quoted = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'/' if !quoted && bytes.get(i + 1) == Some(&b'/') => return i,
            _ => {}
        }
        i += 1;
    }
    line.len()
}

/// How to name what the bracket at `at` opens: `Choice(…)`, "the list of choices", "the text
/// of summary".
fn describe(source: &str, at: usize, bracket: u8) -> String {
    let before = source.get(..at).unwrap_or("").trim_end();
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let field = before.strip_suffix(':').map(|b| {
        let b = b.trim_end();
        b.chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<String>()
    });
    match (bracket, field.filter(|f| !f.is_empty())) {
        (b'[', Some(field)) => format!("the list of {field}"),
        (b'[', None) => "a list `[`".to_owned(),
        (b'{', Some(field)) => format!("the translations of {field} `{{`"),
        (b'{', None) => "a text `{`".to_owned(),
        _ if !word.is_empty() => format!("{word}("),
        (_, Some(field)) => format!("the ( of {field}"),
        _ => "a parenthesis `(`".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = include_str!("../../tests/fixtures/good/minimal/module.ron");

    #[test]
    fn a_good_module_has_nothing_to_explain() {
        assert_eq!(explain(GOOD), None);
    }

    #[test]
    fn a_missing_bracket_names_the_list_and_where_it_was_opened() {
        let source =
            "Node(\n  id: \"a\",\n  choices: [\n    Choice(id: \"x\"),\n    Choice(id: \"y\"),\n\n),\n";
        let found = explain(source).unwrap();
        assert_eq!(
            found.message,
            "the list of choices opened at line 3 is never closed: add `]` before line 7, where `)` closes something else"
        );
        assert_eq!(found.at, Position { line: 5, column: 21 }, "the last good place: after the last choice");
    }

    #[test]
    fn an_unclosed_bracket_at_the_end_names_the_innermost() {
        let found = explain("Module(\n  steps: [\n    Page(id: \"p\"),\n").unwrap();
        assert!(found.message.starts_with("the list of steps opened at line 2 is never closed"), "{found:?}");
    }

    #[test]
    fn a_stray_quote_and_a_missing_comma_are_told_apart() {
        let stray = explain("Text({\"en\": \"He said \"stop\" to her.\"})").unwrap();
        assert!(
            stray.message.contains("ends the text that starts at line 1, but the text goes on"),
            "{stray:?}"
        );
        let comma = explain("Page(\n  id: \"p\"\n  title: {\"en\": \"T\"},\n)").unwrap();
        assert!(
            comma.message.starts_with("a comma is missing after the text that ends at line 2"),
            "{comma:?}"
        );
        assert_eq!(comma.at.line, 2);
    }

    #[test]
    fn a_missing_comma_after_a_number_or_a_name_is_found() {
        let found = explain("Module(\n    minutes: 5\n    review_by: \"2099-01-01\",\n)").unwrap();
        assert_eq!(
            found.message,
            "a comma is missing at the end of line 2: add `,` after what is written there"
        );
        assert_eq!(found.at, Position { line: 2, column: 15 });
        let found = explain("(\n    kind: Warning // why\n    text: {},\n)").unwrap();
        assert!(found.message.contains("end of line 2"), "{found:?}");
        assert_eq!(explain("(\n    url: \"https://x.org\", // a comment\n    id: 1,\n)"), None);
    }

    #[test]
    fn the_last_good_place_skips_comment_lines_but_not_addresses() {
        let source = "(\n  url: \"https://x.org/a\",\n  // note\n\n)";
        let at = last_good_place(source, source.len() - 1);
        assert_eq!(
            Position::of_offset(source, at),
            Position { line: 2, column: 26 },
            "after the comma, past the address's //"
        );
    }

    #[test]
    fn curly_quotes_around_a_text_are_named_but_inside_a_text_are_fine() {
        let found = explain("Text({\"en\": “Call now”})").unwrap();
        assert!(found.message.starts_with("“ is a curly double quote"), "{found:?}");
        assert_eq!(explain("Text({\"en\": \"He said “stop” and ‘no’.\"})"), None);
        let apostrophe = explain("Page(id: ‘p’)").unwrap();
        assert!(apostrophe.message.contains("smart apostrophe"), "{apostrophe:?}");
    }

    #[test]
    fn comments_and_escaped_quotes_are_not_mistakes() {
        assert_eq!(explain("// a ( comment “ with ]\nText({\"en\": \"a \\\"b\\\" c\"}) /* ] */"), None);
    }

    #[test]
    fn deep_or_long_input_is_one_bounded_pass() {
        let deep = "[".repeat(1_000_000);
        assert_eq!(explain(&deep), None, "deeper than followed: left to the parser");
        let long = "(a: \"x\"),".repeat(100_000);
        assert_eq!(explain(&long), None);
    }
}
