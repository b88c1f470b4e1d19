//! The gettext PO format, as much of it as translators' tools (Poedit, Weblate, msgmerge) write:
//! comments, flags, previous msgids, msgctxt, msgid, msgstr, continued strings, obsolete entries
//! (`#~`, skipped). Read in one pass over the lines; every error names its line.
//!
//! Hand-written because the format is small and no PO crate is in `Cargo.lock`; the writer's
//! output is checked with `msgfmt --check` in the tests.

use std::fmt::Write as _;

/// One entry of a PO file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// Translator comments (`# …`), without the `# `.
    pub comments: Vec<String>,
    /// Extracted comments (`#. …`): what the text is, for the translator.
    pub extracted: Vec<String>,
    /// References (`#: file:line`).
    pub references: Vec<String>,
    /// Flags (`#, fuzzy`).
    pub flags: Vec<String>,
    /// The source text the translation was made from (`#| msgid "…"`), when it changed since.
    pub previous_msgid: Option<String>,
    pub msgctxt: Option<String>,
    pub msgid: String,
    /// Set when the entry is a plural one (`msgid_plural`); Faro's texts have no plurals.
    pub msgid_plural: Option<String>,
    pub msgstr: String,
    /// The 1-based line where the entry starts (its first comment or keyword).
    pub line: usize,
    /// The 1-based line of its `msgctxt` (or `msgid` when it has none).
    pub key_line: usize,
}

impl Entry {
    /// Whether the translator (or Faro) marked the translation as needing review.
    pub fn is_fuzzy(&self) -> bool {
        self.flags.iter().any(|f| f == "fuzzy")
    }

    /// Whether this is the header (`msgid ""` without a context).
    pub fn is_header(&self) -> bool {
        self.msgctxt.is_none() && self.msgid.is_empty()
    }
}

/// A syntax error: the line it is on and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

/// The keyword a string line continues.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Ctxt,
    Id,
    IdPlural,
    Str,
    /// `msgstr[n]`: kept only to know the entry is plural.
    StrPlural,
    PreviousId,
    /// `#| msgctxt`: read and dropped.
    PreviousCtxt,
}

/// Parses a whole PO file; the first syntax error stops it.
pub fn parse(text: &str) -> Result<Vec<Entry>, SyntaxError> {
    entries(text).collect()
}

/// The entries of a PO file one by one, so a large file is never held parsed whole; after a
/// syntax error (which is the last item) the iteration ends.
pub fn entries(text: &str) -> Entries<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Entries {
        lines: text.lines().enumerate(),
        state: State { entry: Entry::default(), has_msgstr: false, has_msgid: false, field: None },
        pending_error: None,
        done: false,
    }
}

/// See [`entries`].
pub struct Entries<'a> {
    lines: std::iter::Enumerate<std::str::Lines<'a>>,
    state: State,
    /// An error on the line that began the next entry, given after the entry before it.
    pending_error: Option<SyntaxError>,
    done: bool,
}

impl Iterator for Entries<'_> {
    type Item = Result<Entry, SyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if let Some(error) = self.pending_error.take() {
            self.done = true;
            return Some(Err(error));
        }
        for (index, raw_line) in self.lines.by_ref() {
            let line = index + 1;
            let trimmed = raw_line.trim();
            // Blank lines separate entries; obsolete entries (`#~`, translations of texts that
            // are gone, kept by tools) are skipped.
            if trimmed.is_empty() || trimmed.starts_with("#~") {
                continue;
            }
            let starts_entry = trimmed.starts_with('#')
                || trimmed.starts_with("msgctxt")
                || (trimmed.starts_with("msgid") && !trimmed.starts_with("msgid_plural"));
            if starts_entry && self.state.has_msgstr {
                let finished = std::mem::take(&mut self.state.entry);
                self.state.has_msgstr = false;
                self.state.has_msgid = false;
                self.state.field = None;
                if let Err(error) = self.state.take_line(line, trimmed) {
                    self.pending_error = Some(error);
                }
                return Some(Ok(finished));
            }
            if let Err(error) = self.state.take_line(line, trimmed) {
                self.done = true;
                return Some(Err(error));
            }
        }
        self.done = true;
        if self.state.entry == Entry::default() {
            return None;
        }
        if !self.state.has_msgstr {
            let line = self.state.entry.key_line.max(self.state.entry.line);
            let message =
                if self.state.has_msgid { "this entry has no msgstr" } else { "this entry has no msgid" };
            return Some(Err(SyntaxError { line, message: message.into() }));
        }
        Some(Ok(std::mem::take(&mut self.state.entry)))
    }
}

/// The entry being read.
struct State {
    entry: Entry,
    /// Whether the entry has its msgstr (so a comment or msgctxt/msgid starts the next).
    has_msgstr: bool,
    has_msgid: bool,
    field: Option<Field>,
}

impl State {
    /// One line of the current entry.
    fn take_line(&mut self, line: usize, trimmed: &str) -> Result<(), SyntaxError> {
        let error = |message: String| SyntaxError { line, message };
        if self.entry.line == 0 {
            self.entry.line = line;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            if self.has_msgid {
                return Err(error("a comment inside an entry, between its msgid and its msgstr".into()));
            }
            // A `#|` line may continue the `#|` string above it; any other comment ends it.
            if !comment.starts_with('|') {
                self.field = None;
            }
            match comment.chars().next() {
                Some('.') => self.entry.extracted.push(comment[1..].trim().to_owned()),
                Some(':') => self.entry.references.push(comment[1..].trim().to_owned()),
                Some(',') => self.entry.flags.extend(
                    comment[1..].split(',').map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned),
                ),
                Some('|') => {
                    let rest = comment[1..].trim();
                    let (keyword, value) = keyword_and_string(rest).map_err(error)?;
                    match keyword {
                        "msgid" => {
                            self.entry.previous_msgid = Some(value);
                            self.field = Some(Field::PreviousId);
                        }
                        "msgctxt" => self.field = Some(Field::PreviousCtxt),
                        "msgid_plural" => self.field = None,
                        "" => match (self.field, self.entry.previous_msgid.as_mut()) {
                            (Some(Field::PreviousId), Some(previous)) => previous.push_str(&value),
                            (Some(Field::PreviousCtxt), _) => {}
                            _ => {
                                return Err(error("a continued `#|` string with nothing to continue".into()));
                            }
                        },
                        other => return Err(error(format!("unknown keyword `{other}` in a `#|` comment"))),
                    }
                }
                _ => self.entry.comments.push(comment.trim().to_owned()),
            }
            return Ok(());
        }
        let (keyword, value) = keyword_and_string(trimmed).map_err(error)?;
        match keyword {
            "msgctxt" => {
                if self.entry.msgctxt.is_some() {
                    return Err(error("a second msgctxt in one entry".into()));
                }
                self.entry.msgctxt = Some(value);
                self.entry.key_line = line;
                self.field = Some(Field::Ctxt);
            }
            "msgid" => {
                if self.entry.key_line == 0 {
                    self.entry.key_line = line;
                }
                self.entry.msgid = value;
                self.has_msgid = true;
                self.field = Some(Field::Id);
            }
            "msgid_plural" => {
                if !self.has_msgid {
                    return Err(error("msgid_plural before msgid".into()));
                }
                self.entry.msgid_plural = Some(value);
                self.field = Some(Field::IdPlural);
            }
            "msgstr" => {
                if !self.has_msgid {
                    return Err(error("msgstr without a msgid before it".into()));
                }
                if self.has_msgstr {
                    return Err(error("a second msgstr in one entry".into()));
                }
                self.entry.msgstr = value;
                self.has_msgstr = true;
                self.field = Some(Field::Str);
            }
            k if k.starts_with("msgstr[") && k.ends_with(']') => {
                if !self.has_msgid {
                    return Err(error("msgstr[n] without a msgid before it".into()));
                }
                self.has_msgstr = true;
                self.field = Some(Field::StrPlural);
            }
            "" => {
                let target = match self.field {
                    Some(Field::Ctxt) => self.entry.msgctxt.as_mut(),
                    Some(Field::Id) => Some(&mut self.entry.msgid),
                    Some(Field::IdPlural) => self.entry.msgid_plural.as_mut(),
                    Some(Field::Str) => Some(&mut self.entry.msgstr),
                    Some(Field::StrPlural | Field::PreviousCtxt) => None,
                    Some(Field::PreviousId) | None => {
                        return Err(error(
                            "a string on its own line continues nothing: put it after msgid or msgstr".into(),
                        ));
                    }
                };
                if let Some(target) = target {
                    target.push_str(&value);
                }
            }
            other => {
                return Err(error(format!("unknown keyword `{other}`; expected msgctxt, msgid or msgstr")));
            }
        }
        Ok(())
    }
}

/// Splits `keyword "string"` (or just `"string"`, keyword ""), resolving the string's escapes.
fn keyword_and_string(line: &str) -> Result<(&str, String), String> {
    let quote = line.find('"').ok_or_else(|| {
        format!("expected a quoted string after `{}`", line.split_whitespace().next().unwrap_or(line))
    })?;
    let keyword = line[..quote].trim();
    if !keyword.is_empty() && keyword.contains(char::is_whitespace) {
        return Err(format!("unexpected text `{keyword}`"));
    }
    let value = unquote(&line[quote..])?;
    Ok((keyword, value))
}

/// Reads one `"…"` string that makes up the rest of the line.
fn unquote(quoted: &str) -> Result<String, String> {
    let body = &quoted[1..];
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                let rest = body[at + 1..].trim();
                if !rest.is_empty() {
                    return Err(format!(
                        "text after the closing quote: `{rest}` (a quote inside a string is written \\\")"
                    ));
                }
                return Ok(out);
            }
            '\\' => {
                let Some((_, escape)) = chars.next() else { break };
                match escape {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    '\\' | '"' | '\'' | '?' => out.push(escape),
                    '0'..='7' => {
                        let mut value = escape.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            match chars.clone().next().and_then(|(_, d)| d.to_digit(8)) {
                                Some(d) => {
                                    value = value * 8 + d;
                                    chars.next();
                                }
                                None => break,
                            }
                        }
                        out.push(byte_char(value)?);
                    }
                    'x' => {
                        let mut value = 0;
                        let mut digits = 0;
                        while let Some(d) = chars.clone().next().and_then(|(_, d)| d.to_digit(16)) {
                            value = value * 16 + d;
                            digits += 1;
                            chars.next();
                            if digits == 2 {
                                break;
                            }
                        }
                        if digits == 0 {
                            return Err("`\\x` without hexadecimal digits".into());
                        }
                        out.push(byte_char(value)?);
                    }
                    other => return Err(format!("unknown escape `\\{other}` in a string")),
                }
            }
            _ => out.push(c),
        }
    }
    Err("the string is not closed: add `\"` at the end of the line".into())
}

/// An escaped byte as a character: only ASCII, since the file is UTF-8 text.
fn byte_char(value: u32) -> Result<char, String> {
    char::from_u32(value).filter(char::is_ascii).ok_or_else(|| {
        format!("the escaped byte {value:#x} is not ASCII; write the character itself (UTF-8)")
    })
}

/// Writes `s` as PO string lines after `keyword`: one line, or `keyword ""` then one line per
/// line of text when it has line breaks inside, as gettext's tools do.
pub fn write_string(out: &mut String, keyword: &str, s: &str) {
    let inner_break = s.find('\n').is_some_and(|i| i + 1 < s.len());
    if !inner_break {
        let _ = writeln!(out, "{keyword} \"{}\"", escape(s));
        return;
    }
    let _ = writeln!(out, "{keyword} \"\"");
    for piece in s.split_inclusive('\n') {
        let _ = writeln!(out, "\"{}\"", escape(piece));
    }
}

/// Like [`write_string`] for a `#|` previous-source comment.
pub fn write_previous(out: &mut String, s: &str) {
    let mut lines = String::new();
    write_string(&mut lines, "msgid", s);
    for line in lines.lines() {
        let _ = writeln!(out, "#| {line}");
    }
}

/// Escapes a string for a PO file.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\{:03o}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The fields of a header entry's msgstr (`Name: value` lines), with their line offsets.
pub fn header_fields(header: &str) -> Vec<(usize, &str, &str)> {
    header
        .split('\n')
        .enumerate()
        .filter_map(|(i, line)| line.split_once(':').map(|(k, v)| (i, k.trim(), v.trim())))
        .collect()
}

/// Checks a `Plural-Forms` value: `nplurals=N; plural=EXPR;` with 1 ≤ N ≤ 6 and an expression
/// made of what C expressions over `n` use.
pub fn check_plural_forms(value: &str) -> Result<(), String> {
    let mut nplurals = None;
    let mut plural = None;
    for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some((k, v)) if k.trim() == "nplurals" => nplurals = Some(v.trim()),
            Some((k, v)) if k.trim() == "plural" => plural = Some(v.trim()),
            _ => return Err(format!("unexpected `{part}`; expected `nplurals=N; plural=EXPRESSION;`")),
        }
    }
    let n = nplurals.ok_or("no `nplurals=N`")?;
    match n.parse::<u32>() {
        Ok(1..=6) => {}
        _ => return Err(format!("`nplurals={n}` is not a number from 1 to 6")),
    }
    let expression = plural.ok_or("no `plural=EXPRESSION`")?;
    let allowed =
        |c: char| c.is_ascii_digit() || c == 'n' || c.is_whitespace() || "()?:<>=!&|%+-*/".contains(c);
    if expression.is_empty() || !expression.chars().all(allowed) {
        return Err(format!("`plural={expression}` is not an expression over n"));
    }
    let mut depth = 0i32;
    for c in expression.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            break;
        }
    }
    if depth != 0 {
        return Err(format!("`plural={expression}` has unbalanced parentheses"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_with_comments_flags_context_and_continued_strings() {
        let text = "msgid \"\"\nmsgstr \"\"\n\"Language: fr\\n\"\n\n# a note\n#. Page title\n#: m.ron:3\n#, fuzzy\n#| msgctxt \"\"\n#| \"module:m/old\"\n#| msgid \"\"\n#| \"Old\"\nmsgctxt \"module:m/title\"\nmsgid \"\"\n\"Two\\n\"\n\"lines \\\"quoted\\\"\"\nmsgstr \"Deux\\nlignes\"\n\n#~ msgid \"gone\"\n#~ msgstr \"parti\"\n";
        let entries = parse(text).unwrap();
        assert_eq!(entries.len(), 2);
        assert!(entries[0].is_header());
        assert_eq!(entries[0].msgstr, "Language: fr\n");
        let e = &entries[1];
        assert_eq!(e.line, 5);
        assert_eq!(e.key_line, 13);
        assert_eq!(e.comments, ["a note"]);
        assert_eq!(e.extracted, ["Page title"]);
        assert_eq!(e.references, ["m.ron:3"]);
        assert!(e.is_fuzzy());
        assert_eq!(e.previous_msgid.as_deref(), Some("Old"));
        assert_eq!(e.msgctxt.as_deref(), Some("module:m/title"));
        assert_eq!(e.msgid, "Two\nlines \"quoted\"");
        assert_eq!(e.msgstr, "Deux\nlignes");
    }

    #[test]
    fn writes_what_it_reads() {
        let tricky = "A \"quote\", a \\ backslash,\ta tab\nand a second line\n";
        let mut out = String::new();
        write_string(&mut out, "msgid", tricky);
        write_string(&mut out, "msgstr", "x\u{1}y");
        assert!(out.starts_with("msgid \"\"\n\"A \\\"quote\\\", a \\\\ backslash,\\ta tab\\n\"\n"), "{out}");
        let entries = parse(&out).unwrap();
        assert_eq!(entries[0].msgid, tricky);
        assert_eq!(entries[0].msgstr, "x\u{1}y");
    }

    #[test]
    fn syntax_errors_name_their_line() {
        let cases = [
            ("msgid \"a\"\nmsgstr \"b\nmsgid \"c\"\nmsgstr \"\"\n", 2, "not closed"),
            ("msgid \"a\"\nmsgstr \"b\" extra\n", 2, "after the closing quote"),
            ("msgid \"a\"\nmsgtxt \"b\"\n", 2, "unknown keyword `msgtxt`"),
            ("msgid \"a\"\nmsgstr \"\\q\"\n", 2, "unknown escape"),
            ("\n\nmsgstr \"b\"\n", 3, "without a msgid"),
            ("msgid \"a\"\nmsgstr \"b\"\nmsgid \"c\"\n", 3, "no msgstr"),
            ("msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", 3, "second msgstr"),
            ("\"orphan\"\n", 1, "continues nothing"),
            ("msgid \"a\"\nmsgstr \"\\xff\"\n", 2, "not ASCII"),
        ];
        for (text, line, words) in cases {
            let error = parse(text).unwrap_err();
            assert_eq!(error.line, line, "{text:?}: {error:?}");
            assert!(error.message.contains(words), "{text:?}: {error:?}");
        }
    }

    #[test]
    fn plural_forms_are_checked() {
        assert!(check_plural_forms("nplurals=2; plural=(n > 1);").is_ok());
        assert!(
            check_plural_forms("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);").is_ok()
        );
        for broken in [
            "nplurals=; plural=n;",
            "plural=(n>1);",
            "nplurals=2; plural=(n > 1;",
            "nplurals=2",
            "nplurals=2; plural=rm -rf;",
            "nplurals=99; plural=n;",
        ] {
            assert!(check_plural_forms(broken).is_err(), "{broken}");
        }
    }
}
