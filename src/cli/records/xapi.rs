//! What `faro records export` and `merge` share for spreadsheets and learning record stores:
//! leaving tampered records out, and writing xAPI statements with the module texts.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Failure, problem, usage, write_out};
use crate::data::DataDir;
use crate::format::invisible::reveal;
use crate::records::{self, HomePage, ModuleIndex, SignedRecord, XapiOptions};

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

/// Writes the xAPI statements of `records` to `out`, with the module texts found on this
/// computer (installed packs, `FARO_MODULES_DIR`, the modules beside the program and built in).
/// Returns how many problems were reported (module contents not found, unknown answers).
pub(super) fn write_xapi(
    out: &Path,
    records: &[SignedRecord],
    home_page: Option<&HomePage>,
    data: Option<&DataDir>,
) -> Result<usize, Failure> {
    // Without a data folder, installed packs are unknown but the built-in modules still unpack.
    let data = data.cloned().unwrap_or_else(|| DataDir::at(std::env::temp_dir().join("faro")));
    let (roots, folder_problems) = crate::locations::module_roots(&data);
    let wanted: BTreeSet<String> = records.iter().map(|r| r.record.module_id.clone()).collect();
    let (modules, unreadable) = ModuleIndex::load(&roots, &wanted);
    let home_page = match home_page {
        Some(chosen) => chosen.clone(),
        None => configured_home_page(&data)?.unwrap_or_default(),
    };
    let options = XapiOptions { home_page };
    let mut json = Vec::new();
    let report = records::write_statements(&mut json, records, &modules, &options).map_err(problem)?;
    write_out(out, &json)?;

    for m in &report.missing {
        eprintln!(
            "faro records: module {} {} (content {}…) is not on this computer: the {} answered \
             statement(s) of its {} record(s) were left out. Install the pack that holds this \
             version, or set FARO_MODULES_DIR to a folder holding it, and export again.",
            m.module_id,
            m.module_version,
            m.content_hash.get(..12).unwrap_or(&m.content_hash),
            m.statements,
            m.records
        );
    }
    if !report.missing.is_empty() {
        for p in &folder_problems {
            eprintln!("faro records: note: {p}");
        }
        for p in &unreadable {
            eprintln!("faro records: note: a module folder could not be read: {p}");
        }
    }
    for item in &report.unknown_items {
        eprintln!("faro records: {item} is not in the record's module; left out");
    }
    if out != Path::new("-") {
        eprintln!(
            "{} statement(s) from {} record(s) written to {}",
            report.statements,
            records.len(),
            out.display()
        );
    }
    Ok(report.missing.len() + report.unknown_items.len())
}

/// The home page set on the Coordinator screen of this laptop (`coordinator.ron`), if any. Read
/// only: the command line never rewrites the coordinator's settings, even damaged ones.
fn configured_home_page(data: &DataDir) -> Result<Option<HomePage>, Failure> {
    let settings = crate::coordinator_settings::load(data, false);
    let Some(text) = settings.xapi_home_page else { return Ok(None) };
    HomePage::parse(&text).map(Some).map_err(|e| {
        usage(format!(
            "the xAPI home page set on the Coordinator screen is not usable ({e}); fix it there, or give --homepage"
        ))
    })
}
