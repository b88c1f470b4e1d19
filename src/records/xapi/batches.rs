//! Writing statements the way a learning record store takes them: numbered files of at most N
//! statements each (one POST each), or one statement per line (for tools that stream, such as
//! `ralph write -b lrs`). Statements are made record by record and written as they come, so memory
//! holds at most two batches, whatever the number of records.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Mark, StatementMaker, XapiOptions, XapiReport};
use crate::data::store::AtomicFile;
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
    let mut writer: XapiWriter<std::io::Sink> = XapiWriter::files(out, layout, modules, options)?;
    for (record, mark) in records {
        writer.push(record, mark.as_ref())?;
    }
    writer.finish()
}

/// Writes the statements of `records` to `out` as one stream: a JSON array, or one statement per
/// line (standard output, where numbered files cannot go).
pub fn write_xapi_stream<W: Write>(
    out: W,
    lines: bool,
    records: &[(&SignedRecord, Option<Mark>)],
    modules: &ModuleIndex,
    options: &XapiOptions,
) -> Result<XapiReport, RecordError> {
    let mut writer = XapiWriter::stream(out, lines, modules, options);
    for (record, mark) in records {
        writer.push(record, mark.as_ref())?;
    }
    Ok(writer.finish()?.report)
}

/// Writes statements as records are given to it, one at a time ([`XapiWriter::push`]), to
/// numbered batch files, one NDJSON file, or a stream: what [`write_xapi_files`] and
/// [`write_xapi_stream`] do for a list of records, for a caller that reads its records one by
/// one (the coordinator's merge reads them again from their files).
pub struct XapiWriter<'m, W: Write = std::fs::File> {
    maker: StatementMaker<'m>,
    out: Output<W>,
}

enum Output<W> {
    /// One statement per line, in one file put in place on `finish`.
    Lines { out: PathBuf, file: AtomicFile },
    /// Numbered files of at most `size` statements.
    Batches {
        out: PathBuf,
        size: usize,
        /// The statements of the batch being filled.
        batch: Vec<String>,
        /// The first batch waits until it is clear whether there is a second: a small export
        /// stays one file under the name given.
        held: Option<Vec<u8>>,
        files: Vec<PathBuf>,
        spool: Spool,
    },
    /// A JSON array or lines, to a stream.
    Stream { out: W, lines: bool, first: bool },
}

impl<'m, W: Write> XapiWriter<'m, W> {
    /// A writer of files at `out`, laid out as `layout` says (`W` is any type: no stream is written).
    pub fn files(
        out: &Path,
        layout: XapiLayout,
        modules: &'m ModuleIndex,
        options: &'m XapiOptions,
    ) -> Result<Self, RecordError> {
        let output = match layout {
            XapiLayout::Lines => {
                Output::Lines { out: out.to_owned(), file: AtomicFile::create(out).map_err(store)? }
            }
            XapiLayout::Batches(size) => {
                let size = size.max(1);
                Output::Batches {
                    out: out.to_owned(),
                    size,
                    batch: Vec::with_capacity(size.min(DEFAULT_BATCH * 4)),
                    held: None,
                    files: Vec::new(),
                    spool: Spool::new(),
                }
            }
        };
        Ok(XapiWriter { maker: StatementMaker::new(modules, options), out: output })
    }

    /// A writer of one stream: a JSON array, or one statement per line when `lines`.
    pub fn stream(out: W, lines: bool, modules: &'m ModuleIndex, options: &'m XapiOptions) -> Self {
        XapiWriter {
            maker: StatementMaker::new(modules, options),
            out: Output::Stream { out, lines, first: true },
        }
    }

    /// Writes the statements of one record, marked with `mark` (or as tampered, whatever `mark`
    /// says, when its signature does not match).
    pub fn push(&mut self, record: &SignedRecord, mark: Option<&Mark>) -> Result<(), RecordError> {
        let statements = self.maker.record(record, mark);
        self.write(statements)
    }

    /// Like [`XapiWriter::push`], for a caller that has checked the signature already (the
    /// merge): a record whose signature does not match must come marked [`Mark::Tampered`].
    pub fn push_checked(&mut self, record: &SignedRecord, mark: Option<&Mark>) -> Result<(), RecordError> {
        let statements = self.maker.record_checked(record, mark);
        self.write(statements)
    }

    fn write(&mut self, statements: Vec<String>) -> Result<(), RecordError> {
        let encode = |e: std::io::Error| RecordError::Encode(e.to_string());
        match &mut self.out {
            Output::Lines { file, .. } => {
                for statement in statements {
                    file.write_all(statement.as_bytes()).map_err(encode)?;
                    file.write_all(b"\n").map_err(encode)?;
                }
            }
            Output::Batches { out, size, batch, held, files, spool } => {
                for statement in statements {
                    batch.push(statement);
                    if batch.len() >= *size {
                        flush_batch(out, batch, held, files, spool)?;
                    }
                }
            }
            Output::Stream { out, lines, first } => {
                for statement in statements {
                    let before: &[u8] = match (*lines, *first) {
                        (true, _) => b"",
                        (false, true) => b"[\n",
                        (false, false) => b",\n",
                    };
                    out.write_all(before).map_err(encode)?;
                    out.write_all(statement.as_bytes()).map_err(encode)?;
                    if *lines {
                        out.write_all(b"\n").map_err(encode)?;
                    }
                    *first = false;
                }
            }
        }
        Ok(())
    }

    /// Puts the last files in place (or ends the stream), and says what was written.
    pub fn finish(self) -> Result<XapiFiles, RecordError> {
        let encode = |e: std::io::Error| RecordError::Encode(e.to_string());
        let mut result = XapiFiles::default();
        match self.out {
            Output::Lines { out, file } => {
                file.commit().map_err(store)?;
                result.files.push(out);
            }
            Output::Batches { out, mut batch, mut held, mut files, mut spool, .. } => {
                if !batch.is_empty() || (held.is_none() && files.is_empty()) {
                    flush_batch(&out, &mut batch, &mut held, &mut files, &mut spool)?;
                }
                spool.wait()?;
                if let Some(only) = held {
                    crate::data::store::write_atomic(&out, &only).map_err(store)?;
                    files.push(out.clone());
                }
                result.removed = remove_stale(&out, &files);
                result.files = files;
            }
            Output::Stream { mut out, lines, first } => {
                if !lines {
                    out.write_all(if first { b"[" } else { b"" }).map_err(encode)?;
                    out.write_all(b"\n]\n").map_err(encode)?;
                }
                out.flush().map_err(encode)?;
            }
        }
        result.report = self.maker.finish();
        Ok(result)
    }
}

fn store(e: crate::data::store::StoreError) -> RecordError {
    RecordError::Encode(e.to_string())
}

/// Ends the batch being filled: held back when it is the first, else written (with the first,
/// numbered, when it was held).
fn flush_batch(
    out: &Path,
    batch: &mut Vec<String>,
    held: &mut Option<Vec<u8>>,
    files: &mut Vec<PathBuf>,
    spool: &mut Spool,
) -> Result<(), RecordError> {
    let bytes = array_text(batch);
    batch.clear();
    match held.take() {
        None if files.is_empty() => {
            *held = Some(bytes);
            Ok(())
        }
        first => {
            if let Some(first) = first {
                let path = batch_path(out, 1);
                spool.write(path.clone(), first)?;
                files.push(path);
            }
            let path = batch_path(out, files.len() + 1);
            spool.write(path.clone(), bytes)?;
            files.push(path);
            Ok(())
        }
    }
}

/// Writes batch files on a thread of its own, each atomically (synced, then renamed), so that
/// making the next batch's statements does not wait for the disk: that wait was a good part of
/// an export's time. At most two batches wait in line; were no thread to be had, each file is
/// written in turn.
struct Spool {
    line: Option<std::sync::mpsc::SyncSender<(PathBuf, Vec<u8>)>>,
    writer: Option<std::thread::JoinHandle<Result<(), RecordError>>>,
}

impl Spool {
    fn new() -> Spool {
        let (line, waiting) = std::sync::mpsc::sync_channel::<(PathBuf, Vec<u8>)>(2);
        let writer = std::thread::Builder::new().name("faro-xapi-files".to_owned()).spawn(move || {
            for (path, bytes) in waiting {
                crate::data::store::write_atomic(&path, &bytes).map_err(store)?;
            }
            Ok(())
        });
        match writer {
            Ok(writer) => Spool { line: Some(line), writer: Some(writer) },
            Err(_) => Spool { line: None, writer: None },
        }
    }

    /// Writes `bytes` to `path`, now or soon; an error of an earlier file comes back here.
    fn write(&mut self, path: PathBuf, bytes: Vec<u8>) -> Result<(), RecordError> {
        let Some(line) = &self.line else {
            return crate::data::store::write_atomic(&path, &bytes).map_err(store);
        };
        match line.send((path, bytes)) {
            Ok(()) => Ok(()),
            // The writer stopped: it says why.
            Err(_) => self
                .wait()
                .and(Err(RecordError::Encode("the xAPI files could not all be written".to_owned()))),
        }
    }

    /// Waits until every file given is written: the first error, if any.
    fn wait(&mut self) -> Result<(), RecordError> {
        self.line = None;
        match self.writer.take() {
            Some(writer) => writer
                .join()
                .unwrap_or_else(|_| Err(RecordError::Encode("the xAPI file writer failed".to_owned()))),
            None => Ok(()),
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        // An export given up half way: the files in line are still written whole, not cut.
        let _ = self.wait();
    }
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
