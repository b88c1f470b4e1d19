//! Signed records in the data directory: `learners/<learner-id>/records/<record-id>.ron`.

use std::fs;
use std::path::{Path, PathBuf};

use super::{DeviceKey, Problem, Record, RecordError, SignedRecord};
use crate::data::DataDir;
use crate::data::store::{self as data_store, Loaded, Quarantined};
use crate::format::Module;
use crate::progress::{Attempt, Profile};

/// The folder of one learner's data (progress and records).
pub fn learner_dir(data: &DataDir, learner_id: &str) -> PathBuf {
    // Derived from the progress path so the learner id is sanitized exactly as progress does it.
    let progress = data.progress_path(learner_id, "_");
    progress
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| data.root().join("learners").join("_"), Path::to_owned)
}

/// Where a record is kept.
pub fn record_path(data: &DataDir, record: &Record) -> PathBuf {
    let file: String =
        record.id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(80).collect();
    learner_dir(data, &record.learner_id).join("records").join(format!("{file}.ron"))
}

/// Saves a signed record atomically and returns its path. A record already saved (same id,
/// i.e. the same attempt) is left exactly as it is.
pub fn save(data: &DataDir, signed: &SignedRecord) -> Result<PathBuf, RecordError> {
    let path = record_path(data, &signed.record);
    if !path.exists() {
        data_store::save_ron(&path, signed)?;
    }
    Ok(path)
}

/// What [`record_attempt`] stored.
#[derive(Debug)]
pub struct Saved {
    pub record: SignedRecord,
    pub path: PathBuf,
    /// The device key file was damaged and set aside (a new key signed this record).
    pub key_notice: Option<Quarantined>,
}

/// Makes, signs and saves the record of a finished attempt, creating the device key on first use.
pub fn record_attempt(
    data: &DataDir,
    module: &Module,
    module_dir: &Path,
    attempt: &Attempt,
    learner: &Profile,
) -> Result<Saved, RecordError> {
    let record = Record::from_attempt(module, module_dir, attempt, learner)?;
    let (key, key_notice) = DeviceKey::load_or_create(data)?;
    let signed = key.sign(record)?;
    let path = save(data, &signed)?;
    Ok(Saved { record: signed, path, key_notice })
}

/// Every record in the data directory, oldest first. A damaged file is set aside (renamed to
/// `.corrupt-…`, never deleted) and reported; the others still load. Signatures are not checked
/// here: see [`SignedRecord::verify`].
pub fn load_all(data: &DataDir) -> (Vec<SignedRecord>, Vec<Problem>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let learners = data.root().join("learners");
    for learner in sorted_entries(&learners, &mut problems) {
        load_folder(&learner.join("records"), &mut records, &mut problems);
    }
    sort_oldest_first(&mut records);
    (records, problems)
}

/// One learner's records, as [`load_all`] loads them, without reading anyone else's.
pub fn load_learner(data: &DataDir, learner_id: &str) -> (Vec<SignedRecord>, Vec<Problem>) {
    let (mut records, mut problems) = (Vec::new(), Vec::new());
    load_folder(&learner_dir(data, learner_id).join("records"), &mut records, &mut problems);
    sort_oldest_first(&mut records);
    (records, problems)
}

/// The records in one learner's `records` folder (none if it does not exist).
fn load_folder(dir: &Path, records: &mut Vec<SignedRecord>, problems: &mut Vec<Problem>) {
    if !dir.is_dir() {
        return;
    }
    for path in sorted_entries(dir, problems) {
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        match data_store::load_ron::<SignedRecord>(&path) {
            Ok(Loaded::Ok(r)) => records.push(r),
            Ok(Loaded::Missing) => {}
            Ok(Loaded::Quarantined(q)) => problems.push(Problem {
                kept_at: Some(q.kept_at.clone()),
                path: q.original,
                message: format!(
                    "damaged record set aside as {} ({}); the other records are unaffected",
                    q.kept_at.display(),
                    q.problem
                ),
            }),
            Err(e) => problems.push(Problem { kept_at: None, path, message: e.to_string() }),
        }
    }
}

fn sort_oldest_first(records: &mut [SignedRecord]) {
    records.sort_by(|a, b| (a.record.ended, &a.record.id).cmp(&(b.record.ended, &b.record.id)));
}

/// The entries of a folder, sorted; a missing folder has none.
fn sorted_entries(dir: &Path, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    match fs::read_dir(dir) {
        Ok(entries) => {
            let mut out: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            out.sort();
            out
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            problems.push(Problem {
                kept_at: None,
                path: dir.to_owned(),
                message: format!("cannot list folder: {e}"),
            });
            Vec::new()
        }
    }
}

/// What [`delete_learner`] removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteReport {
    /// The profile removed from the learner list, if it was there.
    pub profile: Option<Profile>,
    /// Files removed from the learner's folder (progress, records, set-aside copies).
    pub files_removed: usize,
}

/// Removes a learner's progress, records and profile entry from this laptop. Copies already
/// exported elsewhere are not affected.
pub fn delete_learner(data: &DataDir, learner_id: &str) -> Result<DeleteReport, RecordError> {
    let (mut profiles, damaged) = data.load_profiles()?;
    if let Some(q) = damaged {
        return Err(RecordError::ProfilesDamaged { kept_at: q.kept_at });
    }
    let dir = learner_dir(data, learner_id);
    let files_removed = count_files(&dir);
    match fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(RecordError::Write { path: dir, source }),
    }
    let profile =
        profiles.learners.iter().position(|p| p.id == learner_id).map(|i| profiles.learners.remove(i));
    if profile.is_some() || profiles.last_used.as_deref() == Some(learner_id) {
        if profiles.last_used.as_deref() == Some(learner_id) {
            profiles.last_used = None;
        }
        data.save_profiles(&profiles)?;
    }
    Ok(DeleteReport { profile, files_removed })
}

fn count_files(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else { return 0 };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => count_files(&e.path()),
            _ => 1,
        })
        .sum()
}
