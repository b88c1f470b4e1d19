//! Writing statements the way a learning record store takes them: numbered files of at most N
//! statements each (one POST each), or one statement per line (for tools that stream, such as
//! `ralph write -b lrs`). Statements are made record by record and written as they come, so memory
//! holds at most two batches, whatever the number of records.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Mark, StatementMaker, XapiOptions, XapiReport};
use crate::records::{ModuleIndex, RecordError, SignedRecord};

/// Statements per file unless the coordinator says otherwise. One POST of 500 statements is a
/// few hundred KiB to a few MiB, which Ralph and Learning Locker take in a second or two; a
/// single POST of a 5,000-record export (over 100,000 statements, 200 MB) was never answered.
pub const DEFAULT_BATCH: usize = 500;

/// How statements are laid out in files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XapiLayout {
    /// JSON arrays of at most this many statements: `NAME.json` when one file is enough, else
    /// `NAME-0001.json`, `NAME-0002.json`, …
    Batches(usize),
    /// One statement per line (NDJSON), in one file.
    Lines,
}

/// What [`write_xapi_files`] wrote.
#[derive(Clone, Debug, Default)]
pub struct XapiFiles {
    /// The files written, in order.
    pub files: Vec<PathBuf>,
    /// Numbered files of an earlier, longer export under the same name, removed so that
    /// sending `NAME-*.json` never sends stale statements along.
    pub removed: Vec<PathBuf>,
    pub report: XapiReport,
}

/// The name of batch `n` (from 1) of an export named `out`: `statements.json` gives
/// `statements-0001.json`.
pub fn batch_path(out: &Path, n: usize) -> PathBuf {
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("statements");
    let name = match out.extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("{stem}-{n:04}.{ext}"),
        None => format!("{stem}-{n:04}"),
    };
    out.with_file_name(name)
}

/// Writes the statements of `records` (each with its mark, see [`Mark`]) to files at `out`, laid
/// out as `layout` says. Each file is written atomically.
pub fn write_xapi_files(
    out: &Path,
    layout: XapiLayout,
    records: &[(&SignedRecord, Option<Mark>)],
    modules: &ModuleIndex,
    options: &XapiOptions,
) -> Result<XapiFiles, RecordError> {
    let mut maker = StatementMaker::new(modules, options);
    let store = |e: crate::data::store::StoreError| RecordError::Encode(e.to_string());
    match layout {
        XapiLayout::Lines => {
            crate::data::store::write_atomic_with(out, |w| write_lines(w, &mut maker, records))
                .map_err(store)?;
            let mut files = XapiFiles { files: vec![out.to_owned()], ..XapiFiles::default() };
            files.report = maker.finish();
            Ok(files)
        }
        XapiLayout::Batches(size) => {
            let size = size.max(1);
            let mut files = XapiFiles::default();
            // The first batch waits until it is clear whether there is a second: a small export
            // stays one file under the name given.
            let mut held: Option<Vec<u8>> = None;
            let mut batch: Vec<String> = Vec::with_capacity(size.min(DEFAULT_BATCH * 4));
            let flush = |batch: &mut Vec<String>, files: &mut XapiFiles, held: &mut Option<Vec<u8>>| {
                let bytes = array_text(batch);
                batch.clear();
                match held.take() {
                    None if files.files.is_empty() => {
                        *held = Some(bytes);
                        Ok(())
                    }
                    first => {
                        if let Some(first) = first {
                            let path = batch_path(out, 1);
                            crate::data::store::write_atomic(&path, &first).map_err(store)?;
                            files.files.push(path);
                        }
                        let path = batch_path(out, files.files.len() + 1);
                        crate::data::store::write_atomic(&path, &bytes).map_err(store)?;
                        files.files.push(path);
                        Ok::<(), RecordError>(())
                    }
                }
            };
            for (record, mark) in records {
                for statement in maker.record(record, mark.as_ref()) {
                    batch.push(statement);
                    if batch.len() == size {
                        flush(&mut batch, &mut files, &mut held)?;
                    }
                }
            }
            if !batch.is_empty() || (held.is_none() && files.files.is_empty()) {
                flush(&mut batch, &mut files, &mut held)?;
            }
            if let Some(only) = held {
                crate::data::store::write_atomic(out, &only).map_err(store)?;
                files.files.push(out.to_owned());
            }
            files.removed = remove_stale(out, &files.files);
            files.report = maker.finish();
            Ok(files)
        }
    }
}

/// Writes the statements of `records` to `out` as one stream: a JSON array, or one statement per
/// line (standard output, where numbered files cannot go).
pub fn write_xapi_stream<W: Write>(
    mut out: W,
    lines: bool,
    records: &[(&SignedRecord, Option<Mark>)],
    modules: &ModuleIndex,
    options: &XapiOptions,
) -> Result<XapiReport, RecordError> {
    let encode = |e: std::io::Error| RecordError::Encode(e.to_string());
    let mut maker = StatementMaker::new(modules, options);
    if lines {
        write_lines(&mut out, &mut maker, records).map_err(encode)?;
    } else {
        out.write_all(b"[").map_err(encode)?;
        let mut first = true;
        for (record, mark) in records {
            for statement in maker.record(record, mark.as_ref()) {
                out.write_all(if first { b"\n" } else { b",\n" }).map_err(encode)?;
                out.write_all(statement.as_bytes()).map_err(encode)?;
                first = false;
            }
        }
        out.write_all(b"\n]\n").map_err(encode)?;
    }
    out.flush().map_err(encode)?;
    Ok(maker.finish())
}

fn write_lines<W: Write>(
    out: &mut W,
    maker: &mut StatementMaker<'_>,
    records: &[(&SignedRecord, Option<Mark>)],
) -> std::io::Result<()> {
    for (record, mark) in records {
        for statement in maker.record(record, mark.as_ref()) {
            out.write_all(statement.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// A JSON array, one statement per line, as the single-file export has always written it.
fn array_text(statements: &[String]) -> Vec<u8> {
    let mut text = Vec::with_capacity(statements.iter().map(|s| s.len() + 2).sum::<usize>() + 4);
    text.push(b'[');
    for (i, statement) in statements.iter().enumerate() {
        text.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        text.extend_from_slice(statement.as_bytes());
    }
    text.extend_from_slice(b"\n]\n");
    text
}

/// Removes what an earlier export under the same name left that this one did not write:
/// numbered files past the last one written, and the single file when this one is batched.
fn remove_stale(out: &Path, written: &[PathBuf]) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let numbered = written.first().is_some_and(|f| f != out);
    if numbered && out.is_file() && std::fs::remove_file(out).is_ok() {
        removed.push(out.to_owned());
    }
    let first_stale = if numbered { written.len() + 1 } else { 1 };
    // Numbered files are contiguous; stop at the first gap.
    for n in first_stale..=9999 {
        let path = batch_path(out, n);
        if !path.is_file() || std::fs::remove_file(&path).is_err() {
            break;
        }
        removed.push(path);
    }
    removed
}
