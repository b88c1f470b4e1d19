//! Finding where an item is written in a module file, so validation findings get a line and column.
//!
//! Parsed serde values carry no positions. Ids are unique where it matters (a step in the module,
//! a node in its scenario, a choice in its node), so "the first `id: "<id>"` after the parent's
//! position" finds the right place.
//!
//! The locator reads the source once, as RON tokens: it records where every `field:` key is
//! written and every `field: "value"` pair, whether the value is a plain, escaped or raw string
//! (`r"n17"`, `r#"…"#`), skipping comments and the inside of strings. A query is then a binary
//! search in one list. Building costs O(file size) and a query O(log n), however the file is
//! written: a module made to be slow to locate (thousands of ids written in an unusual way)
//! costs no more than any other module of its size.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::diagnostic::Position;

/// Where keys and values are written in a module's source text.
#[derive(Clone, Debug)]
pub struct Locator<'a> {
    source: &'a str,
    /// Byte offset where each line starts (the first is 0).
    line_starts: Vec<usize>,
    /// For each key name, the offsets of `name:` in file order.
    keys: HashMap<&'a str, Vec<usize>>,
    /// For each key name and string value, the offsets of the value in file order.
    values: HashMap<&'a str, HashMap<Cow<'a, str>, Vec<usize>>>,
    /// The values of maps (`"en": "<value>"`: the texts of a module), with their offsets in file
    /// order; read on the first [`Locator::text`] query, since only findings about a text need it.
    map_values: std::sync::OnceLock<Vec<(usize, Cow<'a, str>)>>,
}

/// How many map values after an element [`Locator::text`] looks at: a page of 200 blocks in two
/// languages holds 400, and a query must stay cheap however a module is written.
const TEXT_SEARCH_WINDOW: usize = 512;

/// A byte offset in the source where an item was found (or 0, the start of the file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Anchor(pub usize);

impl<'a> Locator<'a> {
    /// Reads `source` once and indexes its keys and string values.
    pub fn new(source: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        let mut locator = Self {
            source,
            line_starts: line_starts.collect(),
            keys: HashMap::new(),
            values: HashMap::new(),
            map_values: std::sync::OnceLock::new(),
        };
        locator.index();
        locator
    }

    /// Where `id: "<id>"` is first written after `after`; `after` itself if not found.
    pub fn id(&self, after: Anchor, id: &str) -> Anchor {
        self.field_value(after, "id", id).unwrap_or(after)
    }

    /// Where the value of `<field>: "<value>"` is first written after `after`.
    pub fn field_value(&self, after: Anchor, field: &str, value: &str) -> Option<Anchor> {
        first_after(self.values.get(field)?.get(value)?, after)
    }

    /// Where the map value (a text in one language, `"es": "<value>"`) equal to `value` is first
    /// written after `after`, among the next few hundred map values; `None` if it is not there
    /// (written with another escape, or too far).
    pub fn text(&self, after: Anchor, value: &str) -> Option<Anchor> {
        let values = self.map_values.get_or_init(|| self.index_map_values());
        let from = values.partition_point(|(o, _)| *o <= after.0);
        values.get(from..)?.iter().take(TEXT_SEARCH_WINDOW).find(|(_, v)| v == value).map(|(o, _)| Anchor(*o))
    }

    /// One more pass over the tokens: every string that follows a string and a colon.
    fn index_map_values(&self) -> Vec<(usize, Cow<'a, str>)> {
        let mut scan = Scanner { src: self.source, at: 0 };
        let mut out = Vec::new();
        // 0: nothing; 1: a string was read; 2: a string and a colon.
        let mut state = 0u8;
        while let Some(token) = scan.next_token() {
            state = match (token, state) {
                (Token::Str(value, at), 2) => {
                    out.push((at, value));
                    0
                }
                (Token::Str(..), _) => 1,
                (Token::Colon, 1) => 2,
                _ => 0,
            };
        }
        out
    }

    /// Where `<field>:` is first written after `after`.
    pub fn field(&self, after: Anchor, field: &str) -> Option<Anchor> {
        first_after(self.keys.get(field)?, after)
    }

    /// Line and column (in characters) of an anchor.
    pub fn position(&self, anchor: Anchor) -> Position {
        let offset = anchor.0.min(self.source.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        let column = 1 + self.source.get(line_start..offset).map_or(0, |s| s.chars().count());
        Position { line, column }
    }

    /// The one pass over the tokens.
    fn index(&mut self) {
        let mut scan = Scanner { src: self.source, at: 0 };
        // The identifier just read (a key if a `:` follows), and the key whose value comes next.
        let mut last_ident: Option<(&'a str, usize)> = None;
        let mut key_awaiting_value: Option<&'a str> = None;
        while let Some(token) = scan.next_token() {
            match token {
                Token::Ident(name, at) => {
                    last_ident = Some((name, at));
                    key_awaiting_value = None;
                }
                Token::Colon => {
                    if let Some((name, at)) = last_ident.take() {
                        self.keys.entry(name).or_default().push(at);
                        key_awaiting_value = Some(name);
                    }
                }
                Token::Str(value, at) => {
                    if let Some(key) = key_awaiting_value.take() {
                        self.values.entry(key).or_default().entry(value).or_default().push(at);
                    }
                    last_ident = None;
                }
                Token::Punct(..) | Token::Other => {
                    last_ident = None;
                    key_awaiting_value = None;
                }
            }
        }
    }
}

/// A map literal `{"en": "…", "es": "…"}` as written in a module file: in a module, every map is a
/// text (`Text`), so these are its texts in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapLiteral {
    /// Offset of the `{`.
    pub open: usize,
    /// Offset of the `}`.
    pub close: usize,
    /// The `"key": "value"` entries, in file order.
    pub entries: Vec<MapEntry>,
    /// Whether the map held only string keys and string values, each pair followed by a comma or
    /// the `}`; a map written otherwise is not edited in place.
    pub regular: bool,
}

/// One `"key": "value"` entry of a [`MapLiteral`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapEntry {
    pub key: String,
    pub value: String,
    /// Where the value is written, quotes (and a raw string's `r#`) included.
    pub value_span: std::ops::Range<usize>,
    /// Offset of the comma after the value, if there is one.
    pub comma: Option<usize>,
}

/// Every map literal of a RON text, in file order, in one pass over its tokens (comments and the
/// inside of strings are skipped). Nested maps are not expected in a module; an inner map makes
/// the outer one irregular and is listed on its own.
pub fn map_literals(source: &str) -> Vec<MapLiteral> {
    let mut scan = Scanner { src: source, at: 0 };
    let mut done = Vec::new();
    // Open maps, innermost last, and what each expects next.
    let mut open: Vec<(MapLiteral, Expect)> = Vec::new();
    let mut pending_key: Option<String> = None;
    while let Some(token) = scan.next_token() {
        if let Token::Punct(b'{', at) = token {
            if let Some((outer, _)) = open.last_mut() {
                outer.regular = false;
            }
            open.push((MapLiteral { open: at, close: at, entries: Vec::new(), regular: true }, Expect::Key));
            continue;
        }
        let Some((map, expect)) = open.last_mut() else { continue };
        match (token, *expect) {
            (Token::Punct(b'}', at), Expect::Key | Expect::CommaOrClose) => {
                map.close = at;
                if let Some((map, _)) = open.pop() {
                    done.push(map);
                }
            }
            (Token::Punct(b'}', at), _) => {
                map.close = at;
                map.regular = false;
                if let Some((map, _)) = open.pop() {
                    done.push(map);
                }
            }
            (Token::Str(key, _), Expect::Key) => {
                pending_key = Some(key.into_owned());
                *expect = Expect::Colon;
            }
            (Token::Colon, Expect::Colon) => *expect = Expect::Value,
            (Token::Str(value, at), Expect::Value) => {
                let key = pending_key.take().unwrap_or_default();
                map.entries.push(MapEntry {
                    key,
                    value: value.into_owned(),
                    value_span: at..scan.at,
                    comma: None,
                });
                *expect = Expect::CommaOrClose;
            }
            (Token::Punct(b',', at), Expect::CommaOrClose) => {
                if let Some(last) = map.entries.last_mut() {
                    last.comma = Some(at);
                }
                *expect = Expect::Key;
            }
            _ => map.regular = false,
        }
    }
    // An unclosed map (the RON parser has reported it) is left out.
    done.sort_by_key(|m| m.open);
    done
}

/// What a map literal expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Key,
    Colon,
    Value,
    CommaOrClose,
}

/// The first offset in `sorted` after `after` (strictly: a sibling is looked up from the previous
/// sibling's anchor, so a repeated id is found where it is repeated).
fn first_after(sorted: &[usize], after: Anchor) -> Option<Anchor> {
    sorted.get(sorted.partition_point(|&o| o <= after.0)).map(|&o| Anchor(o))
}

/// What the locator needs to tell apart in RON text.
enum Token<'a> {
    /// An identifier (a field name, a struct or enum name, `true`…) and its offset.
    Ident(&'a str, usize),
    Colon,
    /// A string's value (escapes resolved) and the offset where the string starts.
    Str(Cow<'a, str>, usize),
    /// `{`, `}` or `,` and its offset: what [`map_literals`] needs to take a map apart.
    Punct(u8, usize),
    Other,
}

/// Splits RON text into the tokens above. Never fails: text it does not understand becomes
/// [`Token::Other`] (the RON parser has already reported real syntax errors).
struct Scanner<'a> {
    src: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.src.as_bytes().get(at).copied()
    }

    fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            let b = self.byte(self.at)?;
            match b {
                b if b.is_ascii_whitespace() => self.at += 1,
                b'/' if self.byte(self.at + 1) == Some(b'/') => {
                    self.at = self.src[self.at..].find('\n').map_or(self.src.len(), |n| self.at + n);
                }
                b'/' if self.byte(self.at + 1) == Some(b'*') => self.skip_block_comment(),
                _ => break,
            }
        }
        let start = self.at;
        let b = self.byte(start)?;
        Some(match b {
            b':' if self.byte(start + 1) == Some(b':') => {
                self.at += 2;
                Token::Other
            }
            b':' => {
                self.at += 1;
                Token::Colon
            }
            b'"' => {
                let value = self.quoted(start + 1);
                Token::Str(value, start)
            }
            b'\'' => {
                self.skip_char_literal();
                Token::Other
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let end = self.ident_end(start);
                let word = &self.src[start..end];
                match (word, self.byte(end)) {
                    ("r" | "br", Some(b'"' | b'#')) if self.raw_string_hashes(end).is_some() => {
                        let value = self.raw(end);
                        Token::Str(value, start)
                    }
                    ("b", Some(b'"')) => {
                        let value = self.quoted(end + 1);
                        Token::Str(value, start)
                    }
                    ("r", Some(b'#'))
                        if self.byte(end + 1).is_some_and(|c| c.is_ascii_alphabetic() || c == b'_') =>
                    {
                        // A raw identifier, `r#name`.
                        let name_end = self.ident_end(end + 1);
                        self.at = name_end;
                        Token::Ident(&self.src[end + 1..name_end], start)
                    }
                    _ => {
                        self.at = end;
                        Token::Ident(word, start)
                    }
                }
            }
            b'{' | b'}' | b',' => {
                self.at += 1;
                Token::Punct(b, start)
            }
            _ => {
                // One character (which may be several bytes) that is none of the above.
                self.at += self.src[start..].chars().next().map_or(1, char::len_utf8);
                Token::Other
            }
        })
    }

    fn ident_end(&self, from: usize) -> usize {
        let rest = &self.src.as_bytes()[from..];
        from + rest.iter().position(|c| !(c.is_ascii_alphanumeric() || *c == b'_')).unwrap_or(rest.len())
    }

    /// RON block comments nest.
    fn skip_block_comment(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.byte(self.at) {
            match (b, self.byte(self.at + 1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    self.at += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    self.at += 2;
                    if depth == 0 {
                        return;
                    }
                }
                _ => self.at += 1,
            }
        }
    }

    /// A char literal (`'a'`, `'\''`, `'\u{41}'`); a lone `'` (not valid RON) is skipped alone.
    fn skip_char_literal(&mut self) {
        let body = &self.src[self.at + 1..];
        let len = match body.chars().next() {
            Some('\\') => body.get(2..).and_then(|rest| rest.find('\'')).map(|n| 2 + n + 1),
            Some(c) if body[c.len_utf8()..].starts_with('\'') => Some(c.len_utf8() + 1),
            _ => None,
        };
        self.at = len.map_or(self.at + 1, |n| self.at + 1 + n);
    }

    /// A `"…"` string whose text starts at `from`; leaves the scanner after its closing quote.
    fn quoted(&mut self, from: usize) -> Cow<'a, str> {
        let bytes = self.src.as_bytes();
        let mut i = from;
        let mut has_escapes = false;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => {
                    has_escapes = true;
                    i += 2;
                }
                b'"' => break,
                _ => i += 1,
            }
        }
        let end = i.min(self.src.len());
        self.at = (end + 1).min(self.src.len());
        let raw = self.src.get(from..end).unwrap_or("");
        if has_escapes { Cow::Owned(unescape(raw)) } else { Cow::Borrowed(raw) }
    }

    /// The number of `#` of a raw string starting at `at` (just after its `r`), if it is one.
    fn raw_string_hashes(&self, at: usize) -> Option<usize> {
        let hashes = self.src.as_bytes()[at..].iter().take_while(|&&c| c == b'#').count();
        (self.byte(at + hashes) == Some(b'"')).then_some(hashes)
    }

    /// A raw string `#…#"…"#…#` starting at `at`; leaves the scanner after it.
    fn raw(&mut self, at: usize) -> Cow<'a, str> {
        let hashes = self.raw_string_hashes(at).unwrap_or(0);
        let from = at + hashes + 1;
        let closing: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
        let end = self.src[from..].find(&closing).map_or(self.src.len(), |n| from + n);
        self.at = (end + closing.len()).min(self.src.len());
        Cow::Borrowed(&self.src[from..end])
    }
}

/// Resolves RON string escapes; an escape it does not know is kept as written.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(c @ ('\\' | '"' | '\'' | '/')) => out.push(c),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(b) if b.is_ascii() => out.push(char::from(b)),
                    _ => out.push_str(&format!("\\x{hex}")),
                }
            }
            Some('u') => {
                let rest = chars.as_str();
                let (hex, used) = match rest.strip_prefix('{') {
                    Some(braced) => match braced.find('}') {
                        Some(close) => (&braced[..close], close + 2),
                        None => ("", 0),
                    },
                    None => (rest.get(..4).unwrap_or(""), 4),
                };
                match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => {
                        out.push(decoded);
                        chars = rest[used.min(rest.len())..].chars();
                    }
                    None => out.push_str("\\u"),
                }
            }
            Some('\n') => {
                // A backslash before a line break continues the string on the next line.
                chars = chars.as_str().trim_start().chars();
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_ids_after_their_parent() {
        let src = "A(id: \"x\", nodes: [N(id: \"a\")])\nB(id: \"y\", nodes: [N(id: \"a\")])";
        let loc = Locator::new(src);
        let y = loc.id(Anchor(0), "y");
        let a_in_y = loc.id(y, "a");
        assert_eq!(loc.position(a_in_y), Position { line: 2, column: 26 });
        assert_eq!(loc.position(loc.id(Anchor(0), "a")), Position { line: 1, column: 26 });
    }

    #[test]
    fn ignores_other_fields_with_the_same_value() {
        let src = "C(goto: \"end\"), E(id: \"end\")";
        let loc = Locator::new(src);
        assert_eq!(loc.id(Anchor(0), "end"), Anchor(22));
        assert_eq!(loc.field_value(Anchor(0), "goto", "end"), Some(Anchor(8)));
    }

    #[test]
    fn finds_ids_written_as_raw_or_escaped_strings() {
        let src =
            "[N(id: r\"n1\"), N(id: r#\"n\"2\"#), N(id: \"n\\u{33}\"), N(id: \"n\\\"4\"), N(id : \"n5\")]";
        let loc = Locator::new(src);
        for (id, offset) in [("n1", 7), ("n\"2", 21), ("n3", 38), ("n\"4", 56), ("n5", 72)] {
            assert_eq!(loc.field_value(Anchor(0), "id", id), Some(Anchor(offset)), "id {id:?}");
        }
        // Raw identifiers are keys too.
        let loc = Locator::new("N(r#id: \"z\")");
        assert_eq!(loc.id(Anchor(0), "z"), Anchor(8));
    }

    #[test]
    fn keys_inside_strings_and_comments_are_not_keys() {
        let src =
            "P(text: \"id: \\\"a\\\" and goto: b\", // id: \"a\"\n /* id: \"a\" /* nested */ */ id: \"a\")";
        let loc = Locator::new(src);
        let found = loc.id(Anchor(0), "a");
        assert_eq!(&src[found.0..found.0 + 3], "\"a\"");
        assert_eq!(loc.position(found), Position { line: 2, column: 33 });
        assert_eq!(loc.field(Anchor(0), "goto"), None);
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let src = "T(title: \"añá\", id: \"x\")";
        let loc = Locator::new(src);
        assert_eq!(loc.position(loc.id(Anchor(0), "x")), Position { line: 1, column: 21 });
        assert_eq!(loc.position(Anchor(src.len() + 10)), Position { line: 1, column: 25 });
    }

    #[test]
    fn map_literals_are_found_with_their_entries_and_commas() {
        let src = "A(t: {\"en\": \"a, b\", \"es\": r#\"c\"#}, /* { */ u: Some({\n  \"en\": \"x\",\n}), v: {1: \"y\"})";
        let maps = map_literals(src);
        assert_eq!(maps.len(), 3, "{maps:?}");
        let [first, second, third] = &maps[..] else { unreachable!() };
        assert!(first.regular && second.regular && !third.regular);
        assert_eq!(first.entries.len(), 2);
        assert_eq!(first.entries[0].value, "a, b");
        assert_eq!(first.entries[0].comma.map(|c| &src[c..=c]), Some(","));
        assert_eq!(&src[first.entries[1].value_span.clone()], "r#\"c\"#");
        assert_eq!(first.entries[1].comma, None);
        assert_eq!(&src[first.close..=first.close], "}");
        assert_eq!(second.entries[0].key, "en");
        assert!(second.entries[0].comma.is_some());
    }

    #[test]
    fn survives_unterminated_strings_and_comments() {
        for src in
            ["A(id: \"x", "A(id: r#\"x\"", "A(/* id: \"x\"", "A(c: '", "A(c: '\\", "A(id: \"\\u{", "r#"]
        {
            let loc = Locator::new(src);
            let _ = loc.id(Anchor(0), "x");
            let _ = loc.position(Anchor(src.len()));
        }
    }
}
