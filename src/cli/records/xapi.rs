//! What `faro records export` and `merge` share for spreadsheets and learning record stores:
//! leaving tampered records out, and writing xAPI statements with the module texts.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Failure, problem, usage};
use crate::data::DataDir;
use crate::format::invisible::reveal;
use crate::records::{self, HomePage, ModuleIndex, SignedRecord, XapiLayout, XapiOptions, XapiWriter};

/// Leaves records whose signature does not match out of an export, or keeps them when
/// `include` is set; each is named on standard error. Returns the records to export and how many
/// were tampered.
pub(super) fn sort_out_tampered(records: Vec<SignedRecord>, include: bool) -> (Vec<SignedRecord>, usize) {
    let (mut authentic, tampered) = records::split_tampered(records);
    let what =
        if include { "kept, marked as tampered" } else { "left out (--include-tampered keeps it, marked)" };
    for t in &tampered {
        eprintln!(
            "faro records: record {} ({}, {}): {}: {what}",
            t.record.record.id,
            reveal(&t.record.record.learner_name),
            t.record.record.module_id,
            t.error
        );
    }
    let count = tampered.len();
    if include {
        authentic.extend(tampered.into_iter().map(|t| t.record));
    }
    (authentic, count)
}

/// How `--xapi` / `--format xapi` lay statements out: `--batch N` and `--ndjson`.
#[derive(Clone, Copy, Debug)]
pub(super) struct XapiOutput {
    pub batch: usize,
    pub ndjson: bool,
}

/// Where statements go, record by record (see [`write_xapi`]).
pub(super) type Sink<'m> = XapiWriter<'m, Box<dyn std::io::Write>>;

/// Writes xAPI statements to `out`, with the module texts found on this computer (installed
/// packs, `FARO_MODULES_DIR`, the modules beside the program and built in): numbered files of at
/// most `--batch` statements, or one NDJSON file; one stream to standard output or to a device or
/// pipe. `modules` are the module ids of the records; `feed` gives the records to the sink one by
/// one and returns how many it gave. Returns how many problems were reported (module contents
/// not found, unknown answers).
pub(super) fn write_xapi(
    out: &Path,
    layout: XapiOutput,
    modules: &BTreeSet<String>,
    home_page: Option<&HomePage>,
    data: Option<&DataDir>,
    feed: impl FnOnce(&mut Sink<'_>) -> Result<usize, Failure>,
) -> Result<usize, Failure> {
    // Without a data folder, installed packs are unknown but the built-in modules still unpack.
    let data = data.cloned().unwrap_or_else(|| DataDir::at(std::env::temp_dir().join("faro")));
    let home_page = match home_page {
        Some(chosen) => chosen.clone(),
        None => configured_home_page(&data)?.unwrap_or_default(),
    };
    let (roots, folder_problems) = crate::locations::module_roots(&data);
    let (index, unreadable) = ModuleIndex::load(&roots, modules);
    let options = XapiOptions { home_page };
    let (mut sink, to_files): (Sink<'_>, bool) = if out == Path::new("-") {
        let stdout = std::io::BufWriter::new(std::io::stdout().lock());
        (XapiWriter::stream(Box::new(stdout), layout.ndjson, &index, &options), false)
    } else if out.exists() && !out.is_file() {
        // A device or a pipe (`/dev/null`, a FIFO) is written to, never replaced (see `write_out`).
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(out)
            .map_err(|e| problem(format!("{}: {e}", out.display())))?;
        (XapiWriter::stream(Box::new(std::io::BufWriter::new(file)), layout.ndjson, &index, &options), false)
    } else {
        let how = if layout.ndjson { XapiLayout::Lines } else { XapiLayout::Batches(layout.batch) };
        (XapiWriter::files(out, how, &index, &options).map_err(problem)?, true)
    };
    let written = feed(&mut sink)?;
    let files = sink.finish().map_err(|e| {
        if to_files {
            problem(e)
        } else {
            problem(format!(
                "{}: {e}",
                if out == Path::new("-") { "stdout".to_owned() } else { out.display().to_string() }
            ))
        }
    })?;
    let report = &files.report;

    for m in &report.missing {
        eprintln!(
            "faro records: module {} {} (content {}…) is not on this computer: the {} answered \
             statement(s) of its {} record(s) were left out. Install the pack that holds this \
             version, or set FARO_MODULES_DIR to a folder holding it, and export again.",
            reveal(&m.module_id),
            reveal(&m.module_version),
            m.content_hash.get(..12).unwrap_or(&m.content_hash),
            m.statements,
            m.records
        );
    }
    if !report.missing.is_empty() {
        for p in &folder_problems {
            eprintln!("faro records: note: {}", reveal(&p.to_string()));
        }
        for p in &unreadable {
            eprintln!("faro records: note: a module folder could not be read: {}", reveal(&p.to_string()));
        }
    }
    for item in &report.unknown_items {
        eprintln!("faro records: {} is not in the record's module; left out", reveal(item));
    }
    if to_files {
        for stale in &files.removed {
            eprintln!("faro records: removed {}, left by an earlier, longer export", stale.display());
        }
        let names = match files.files.as_slice() {
            [one] => one.display().to_string(),
            [first, .., last] => {
                format!("{} files, {} … {}", files.files.len(), first.display(), last.display())
            }
            [] => String::new(),
        };
        eprintln!("{} statement(s) from {written} record(s) written to {names}", report.statements);
    }
    Ok(report.missing.len() + report.unknown_items.len())
}

/// The home page set on the Coordinator screen of this laptop (`coordinator.ron`), if any. Read
/// only: the command line never rewrites the coordinator's settings, even damaged ones.
fn configured_home_page(data: &DataDir) -> Result<Option<HomePage>, Failure> {
    let settings = crate::coordinator_settings::load(data, false);
    if let crate::coordinator_settings::Lock::Damaged { problem, .. } = &settings.lock {
        // Falling back to the default home page would send every learner under another
        // identity, and the LRS would refuse each batch holding a statement it already has (409).
        return Err(usage(format!(
            "{} is damaged ({}), so the xAPI home page set there cannot be read: give --homepage \
             with the address your statements were sent under until now, or reset the file (see \
             docs/records.md, \"Forgotten passphrase\") and set the home page again",
            crate::coordinator_settings::settings_path(data).display(),
            reveal(problem)
        )));
    }
    let Some(text) = settings.xapi_home_page else { return Ok(None) };
    HomePage::parse(&text).map(Some).map_err(|e| {
        usage(format!(
            "the xAPI home page set on the Coordinator screen is not usable ({e}); fix it there, or give --homepage"
        ))
    })
}
