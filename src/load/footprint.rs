//! How much memory reading and checking a module will take, told from its text before it is
//! read (issue 26, item 3b).
//!
//! A module file is at most 4 MiB, but what it turns into in memory depends on its shape: a file
//! of short texts becomes far more values per byte than one of long paragraphs (a 4 MiB module of
//! one-word choices needed about 200 MiB to check). Packs come from publishers who may be
//! careless or hostile, and the app keeps every installed module in memory, so a pack is refused
//! when its modules would need more than [`MAX_PACK_FOOTPRINT`], before any of them is read.
//!
//! The estimate is one linear pass over the text counting what allocates: structures, maps,
//! lists and strings. Its costs per item are measured upper bounds (the allocations of reading
//! and validating each shape, on this thread, see `tests/it/module_footprint.rs`), so it errs
//! high; real modules are a small fraction of the limits.

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Position};

/// Bytes counted for each `(`…`)`: a structure such as `Choice(...)`, with what the validator
/// keeps about it.
pub const STRUCT_COST: u64 = 400;
/// Bytes counted for each `{`…`}`: a translated text, whose map allocates a whole node however
/// few languages it has.
pub const MAP_COST: u64 = 700;
/// Bytes counted for each `[`…`]`: a list, and the room it grows into.
pub const LIST_COST: u64 = 128;
/// Bytes counted for each string or raw string: its allocation and its place in the index of
/// ids the validator keeps.
pub const STRING_COST: u64 = 96;
/// Bytes counted per byte of the file: the text itself is kept while the module is checked.
pub const BYTE_COST: u64 = 3;

/// A module needing more than this to read and check is refused in a pack.
pub const MAX_MODULE_FOOTPRINT: u64 = 128 * 1024 * 1024;
/// The modules of one pack together may need at most this.
pub const MAX_PACK_FOOTPRINT: u64 = 256 * 1024 * 1024;

/// What a module's text holds that costs memory once it is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    pub bytes: u64,
    pub structs: u64,
    pub maps: u64,
    pub lists: u64,
    pub strings: u64,
}

impl Footprint {
    /// The estimated memory, in bytes, to read and check the module.
    pub fn estimate(&self) -> u64 {
        self.bytes * BYTE_COST
            + self.structs * STRUCT_COST
            + self.maps * MAP_COST
            + self.lists * LIST_COST
            + self.strings * STRING_COST
    }
}

/// The findings that keep modules out of a pack for the memory they would take: each module
/// over [`MAX_MODULE_FOOTPRINT`], and all of them together over [`MAX_PACK_FOOTPRINT`]. Each
/// module file is read within the module file cap; one that cannot be read is left to the
/// validator, which says why. Linear in the modules' size.
pub fn pack_findings(module_files: &[PathBuf]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut total = 0u64;
    for file in module_files {
        let Ok(source) = super::read_text_capped(file, super::MAX_MODULE_FILE_BYTES) else { continue };
        let estimate = footprint(&source).estimate();
        total = total.saturating_add(estimate);
        if estimate > MAX_MODULE_FOOTPRINT {
            out.push(Diagnostic::error(
                file,
                Position::FILE,
                format!(
                    "reading and checking this module would take about {} MiB of memory, more than the limit of {} MiB \
                     for one module (many short texts and choices cost far more than their length): split it into smaller modules",
                    mib(estimate),
                    mib(MAX_MODULE_FOOTPRINT)
                ),
            ));
        }
    }
    if total > MAX_PACK_FOOTPRINT
        && let Some(first) = module_files.first()
    {
        out.push(Diagnostic::error(
            first,
            Position::FILE,
            format!(
                "the pack's {} modules would take about {} MiB of memory together, more than the limit of {} MiB for one \
                 pack (Faro keeps installed modules in memory): put them in several packs",
                module_files.len(),
                mib(total),
                mib(MAX_PACK_FOOTPRINT)
            ),
        ));
    }
    out
}

fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// Counts what `source` would allocate, in one pass; strings and comments are skipped over, so
/// brackets inside them do not count.
pub fn footprint(source: &str) -> Footprint {
    let bytes = source.as_bytes();
    let mut out = Footprint { bytes: bytes.len() as u64, ..Footprint::default() };
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'(' => out.structs += 1,
            b'{' => out.maps += 1,
            b'[' => out.lists += 1,
            b'"' => {
                out.strings += 1;
                i = after_quoted(bytes, i);
            }
            b'r' if starts_raw_string(bytes, i) => {
                out.strings += 1;
                i = after_raw_string(bytes, i);
            }
            b'/' if bytes.get(i) == Some(&b'/') => {
                i = bytes[i..].iter().position(|&c| c == b'\n').map_or(bytes.len(), |p| i + p);
            }
            b'/' if bytes.get(i) == Some(&b'*') => i = after_block_comment(bytes, i + 1),
            // An identifier such as `r#id` or `for`: its `r` does not start a raw string.
            b'_' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => {
                while bytes.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                    i += 1;
                }
            }
            _ => {}
        }
    }
    out
}

/// The index just past the closing quote of a string whose opening quote ends before `i`.
fn after_quoted(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'\\' => i += 1,
            b'"' => return i,
            _ => {}
        }
    }
    bytes.len()
}

/// Whether `r` (just before `i`) starts a raw string: `r"`, `r#"`, `r##"`…
fn starts_raw_string(bytes: &[u8], i: usize) -> bool {
    let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
    bytes.get(i + hashes) == Some(&b'"')
}

/// The index just past a raw string whose `r` ends before `i`.
fn after_raw_string(bytes: &[u8], i: usize) -> usize {
    let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
    let body = i + hashes + 1;
    let mut j = body;
    while let Some(p) = bytes.get(j..).and_then(|rest| rest.iter().position(|&b| b == b'"')) {
        let quote = j + p;
        let closing = bytes[quote + 1..].iter().take(hashes).take_while(|&&b| b == b'#').count();
        if closing == hashes {
            return quote + 1 + hashes;
        }
        j = quote + 1;
    }
    bytes.len()
}

/// The index just past a block comment (they nest in RON) whose `/*` ends before `i`.
fn after_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 1;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (b'/', Some(b'*')) => {
                depth += 1;
                i += 2;
            }
            (b'*', Some(b'/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count() {
        let source = r####"Node(id: "a(b{c[", text: {"en": r#"x "(" y"#}, // ( { [
            /* ( /* { */ [ */ choices: [])"####;
        let f = footprint(source);
        assert_eq!((f.structs, f.maps, f.lists, f.strings), (1, 1, 1, 3), "{f:?}");
    }

    #[test]
    fn raw_identifiers_are_not_raw_strings() {
        let f = footprint(r#"Choice(r#id: "a", goto: r"b")"#);
        assert_eq!((f.structs, f.strings), (1, 2), "{f:?}");
    }

    #[test]
    fn an_unterminated_string_or_comment_ends_the_count_without_panicking() {
        for source in ["(\"abc", "(r#\"abc\"", "( /* /* */", "(\"\\"] {
            let f = footprint(source);
            assert_eq!(f.structs, 1, "{source}: {f:?}");
        }
    }
}
