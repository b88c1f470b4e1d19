//! The section "What each finding means" of `docs/module-format.md` (issue 28, item 2) against
//! the messages Faro really gives: a message renamed in the code, or copied wrong into the docs,
//! fails here, and so does a new validator message nobody explained.

use std::path::{Path, PathBuf};

const DOC: &str = "docs/module-format.md";
const SECTION: &str = "### What each finding means";

/// Where the docs write what changes in a message (an id, a number, the place of a text).
const PLACEHOLDER: char = '…';

/// Named constants that some messages put in with `{NAME}`, and the text the author sees instead.
const CONSTANTS: &[(&str, &str)] = &[("{MODULE_FILE}", "module.ron"), ("{UNTRANSLATED_MARK}", "[traducir]")];

/// Validator messages whose leading words cannot be found in the section as they are written in
/// the code, with the reason. Each is still explained there in its own words.
const NOT_MATCHED_IN_DOCS: &[(&str, &str)] = &[];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The section's text, up to the next heading of its level or above (its groups are `####`).
fn section() -> String {
    let doc = std::fs::read_to_string(root().join(DOC)).unwrap();
    let start = doc.find(SECTION).unwrap_or_else(|| panic!("{DOC} has no section {SECTION:?}"));
    let rest = &doc[start + SECTION.len()..];
    let end = rest
        .match_indices("\n#")
        .map(|(i, _)| i)
        .find(|&i| rest[i + 1..].starts_with("## ") || rest[i + 1..].starts_with("### "))
        .unwrap_or(rest.len());
    rest[..end].to_owned()
}

/// The first cell of each table row of the section (not the header, not the `|---|` line).
fn message_cells(section: &str) -> Vec<String> {
    section
        .lines()
        .filter(|line| {
            line.starts_with('|') && !line.starts_with("|---") && !line.starts_with("| What you see")
        })
        .map(|line| line.split('|').nth(1).unwrap_or("").trim().to_owned())
        .collect()
}

/// The code spans of a Markdown cell: `one` and ``one with a ` inside``.
fn code_spans(cell: &str) -> Vec<String> {
    let mut spans = Vec::new();
    let mut rest = cell;
    while let Some(open) = rest.find('`') {
        let ticks = rest[open..].chars().take_while(|&c| c == '`').count();
        let fence = "`".repeat(ticks);
        let body = &rest[open + ticks..];
        let Some(close) = body.find(&fence) else { break };
        spans.push(body[..close].trim().to_owned());
        rest = &body[close + ticks..];
    }
    spans
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Rust string text as it prints: a `\` at a line's end joins the next line without its
/// indentation, `\"` is `"`, and the named constants are what they say.
fn as_printed(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some('\n')) => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            ('\\', Some('"')) => {
                out.push('"');
                chars.next();
            }
            _ => out.push(c),
        }
    }
    CONSTANTS.iter().fold(out, |text, (name, value)| text.replace(name, value))
}

/// The fixed parts of a documented message, between its placeholders, without the spaces and
/// quotes around them.
fn fixed_parts(message: &str) -> Vec<&str> {
    message
        .split(PLACEHOLDER)
        .map(|part| part.trim_matches(|c: char| c.is_whitespace() || c == '"'))
        .collect()
}

#[test]
fn each_documented_message_is_written_so_in_the_source() {
    let source: String = rust_files(&root().join("src"))
        .iter()
        .map(|file| as_printed(&std::fs::read_to_string(file).unwrap()))
        .collect::<Vec<_>>()
        .join("\n");
    let cells = message_cells(&section());
    // Far fewer rows would mean the table was not read (or the section lost its groups).
    assert!(cells.len() >= 80, "only {} rows read from {SECTION:?}", cells.len());
    let mut wrong = Vec::new();
    for cell in &cells {
        let spans = code_spans(cell);
        let parts: Vec<&str> =
            spans.iter().flat_map(|span| fixed_parts(span)).filter(|p| !p.is_empty()).collect();
        // A row must say enough of a message to be checked at all.
        if parts.iter().map(|p| p.chars().count()).sum::<usize>() < 10 {
            wrong.push(format!("row {cell:?}: too little fixed text to check"));
        }
        for part in parts {
            if !source.contains(part) {
                wrong.push(format!("row {cell:?}: {part:?} is not in src/"));
            }
        }
    }
    assert!(wrong.is_empty(), "{DOC}, {SECTION:?}:\n{}", wrong.join("\n"));
}

/// The calls that report a validator finding, and whether an anchor comes before the message.
const CONSTRUCTORS: &[(&str, bool)] = &[
    ("Found::error(", true),
    ("Found::warning(", true),
    ("self.error(", true),
    ("self.warning(", true),
    ("Judged::Error(", false),
    ("Judged::Warning(", false),
];

/// Where the first argument of a call starting at `text` ends (at its top-level `,`), skipping
/// nested brackets and string literals.
fn after_first_argument(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0i32, false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return None,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The string literal at the start of `text` (after spaces and an optional `format!(`), raw as
/// written in the source.
fn leading_literal(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let text = text.strip_prefix("format!(").map_or(text, str::trim_start);
    let body = text.strip_prefix('"')?;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(&body[..i]),
            _ => {}
        }
    }
    None
}

/// The message strings written directly in a finding's constructor in `src/validate` (messages
/// built elsewhere and passed by name are not seen here; the first test covers those rows).
fn validator_messages() -> Vec<(PathBuf, String)> {
    let mut messages = Vec::new();
    for file in rust_files(&root().join("src/validate")) {
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (call, anchored) in CONSTRUCTORS {
            for (at, _) in code.match_indices(call) {
                let args = &code[at + call.len()..];
                let message =
                    if *anchored { after_first_argument(args).map(|i| &args[i..]) } else { Some(args) };
                if let Some(literal) = message.and_then(leading_literal) {
                    messages.push((file.clone(), as_printed(literal)));
                }
            }
        }
    }
    messages
}

/// The first three words of the longest fixed part of a format string (between `{…}`): many
/// messages start with a placeholder or with one word (`node "{n}"`), so the longest part is
/// the one that tells a message from the others.
fn leading_words(format: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        parts.push(&rest[..open]);
        rest = rest[open..].find('}').map_or("", |close| &rest[open + close + 1..]);
    }
    parts.push(rest);
    let longest = parts
        .iter()
        .map(|p| p.trim_matches(|c: char| c.is_whitespace() || c == '"'))
        .max_by_key(|p| p.len())
        .unwrap_or("");
    longest
        .split_whitespace()
        .skip_while(|w| !w.chars().any(char::is_alphanumeric))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn each_validator_message_is_explained_in_the_docs() {
    let docs = section().split_whitespace().collect::<Vec<_>>().join(" ");
    let messages = validator_messages();
    // The constructors are called with a literal message some 40 times: far fewer means the
    // search no longer finds them.
    assert!(messages.len() >= 30, "only {} messages found in src/validate", messages.len());
    let missing: Vec<String> = messages
        .iter()
        .filter(|(_, m)| !NOT_MATCHED_IN_DOCS.iter().any(|(allowed, _)| m.contains(allowed)))
        .map(|(file, m)| (file, m, leading_words(m)))
        .filter(|(_, _, words)| !docs.contains(words.as_str()))
        .map(|(file, m, words)| format!("{}: {m:?} (looked for {words:?})", file.display()))
        .collect();
    assert!(missing.is_empty(), "not explained in {DOC}, {SECTION:?}:\n{}", missing.join("\n"));
}
