//! The module library as the app sees it: bundled modules, their load errors, and each
//! learner's status. No egui here.

use std::path::{Path, PathBuf};

use chrono::{Months, NaiveDate};

use crate::format::{Module, Regions};
use crate::locations::{ModuleFolder, ModuleSource};
use crate::progress::Attempt;
use crate::validate::{self, Context};

/// One card in the library.
#[derive(Clone, Debug)]
pub struct Entry {
    pub dir: PathBuf,
    /// The module, or the validator's first error lines when it cannot be used.
    pub module: Result<Module, String>,
    /// Bundled with the app, or installed from a pack.
    pub origin: Origin,
}

/// Where a module came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A module folder: built in, beside the executable, or named by `FARO_MODULES_DIR`.
    Folder(ModuleSource),
    /// An installed pack: its id, title, version, publisher and the publisher's key fingerprint.
    Pack { id: String, title: String, version: String, publisher: String, fingerprint: String },
}

/// Every module, in the precedence order of [`crate::locations`]: installed packs in `data`,
/// then each of `folders`. A module with errors, or a damaged pack, becomes an entry with its
/// message; of several usable modules with one id only the newest stays usable.
pub fn load_all(
    folders: &[ModuleFolder],
    data: &crate::progress::DataDir,
    regions: &Regions,
    today: NaiveDate,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    for pack in crate::pack::installed(data) {
        match pack {
            Ok(p) => {
                let origin = Origin::Pack {
                    id: p.id.as_str().to_owned(),
                    title: p.title.clone(),
                    version: p.version.to_string(),
                    publisher: p.publisher.clone(),
                    fingerprint: p.fingerprint.to_string(),
                };
                entries.extend(load_dirs(p.module_dirs, regions, today, &origin));
            }
            Err(e) => entries.push(Entry {
                dir: crate::pack::packs_dir(data),
                module: Err(e.to_string()),
                origin: Origin::Folder(ModuleSource::Bundled),
            }),
        }
    }
    for folder in folders {
        entries.extend(load(&folder.dir, regions, today, &Origin::Folder(folder.source)));
    }
    keep_one_per_module_id(&mut entries);
    entries
}

/// Two places can hold the same module id: a pack may carry a newer edition of a bundled module,
/// or two packs the same module. Progress and records are kept per module id, so two usable cards
/// with one id would overwrite each other's progress. Only the highest version stays usable (the
/// earlier entry on a tie, so the order of [`crate::locations`] decides); the others say what
/// replaced them.
pub fn keep_one_per_module_id(entries: &mut [Entry]) {
    use std::collections::btree_map::{BTreeMap, Entry as Slot};
    // For each id, the entry kept: the first with the highest version.
    let mut kept: BTreeMap<&str, (usize, &Module, &Origin)> = BTreeMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let Ok(module) = &entry.module else { continue };
        match kept.entry(module.id.as_str()) {
            Slot::Vacant(slot) => {
                slot.insert((index, module, &entry.origin));
            }
            Slot::Occupied(mut slot) if module.version > slot.get().1.version => {
                slot.insert((index, module, &entry.origin));
            }
            Slot::Occupied(_) => {}
        }
    }
    let mut replaced = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let Ok(module) = &entry.module else { continue };
        let Some(&(winner, newest, origin)) = kept.get(module.id.as_str()) else { continue };
        if winner != index {
            let message = format!(
                "Not used: module \"{}\" {} is replaced by version {} {}. Progress and records belong \
                 to one module id, so only one version can be taken.",
                module.id,
                module.version,
                newest.version,
                origin.describe()
            );
            replaced.push((index, message));
        }
    }
    for (index, message) in replaced {
        if let Some(entry) = entries.get_mut(index) {
            entry.module = Err(message);
        }
    }
}

impl Origin {
    /// Where the module came from, for messages.
    pub fn describe(&self) -> String {
        match self {
            Origin::Folder(ModuleSource::Bundled) => "bundled with Faro".to_owned(),
            Origin::Folder(ModuleSource::BesideExe) => "from the modules folder beside Faro".to_owned(),
            Origin::Folder(ModuleSource::EnvVar) => {
                format!("from the folder named by {}", crate::locations::MODULES_DIR_ENV)
            }
            Origin::Pack { title, version, .. } => format!("from the pack \"{title}\" {version}"),
        }
    }
}

/// Loads every module folder under `root`; a module with errors becomes an entry with its message.
pub fn load(root: &Path, regions: &Regions, today: NaiveDate, origin: &Origin) -> Vec<Entry> {
    load_dirs(crate::load::module_dirs(root).unwrap_or_default(), regions, today, origin)
}

fn load_dirs(dirs: Vec<PathBuf>, regions: &Regions, today: NaiveDate, origin: &Origin) -> Vec<Entry> {
    let ctx = Context { today, regions: Some(regions), decode_images: false };
    dirs.into_iter()
        .map(|dir| {
            let report = validate::check_dir(&dir, &ctx);
            let errors: Vec<String> =
                report.diagnostics.iter().filter(|d| d.is_error()).take(3).map(ToString::to_string).collect();
            let module = match report.module {
                Some(loaded) if errors.is_empty() => Ok(loaded.module),
                _ => Err(errors.join("\n")),
            };
            Entry { dir, module, origin: origin.clone() }
        })
        .collect()
}

/// Where a learner stands with a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    NotStarted,
    /// Step index and step count.
    InProgress {
        step: usize,
        steps: usize,
    },
    Passed {
        valid_until: NaiveDate,
    },
    Failed,
    /// Passed once, but the validity period is over.
    Expired,
}

/// The learner's status for a module from their saved attempt.
pub fn status(module: &Module, attempt: Option<&Attempt>, today: NaiveDate) -> Status {
    let Some(a) = attempt else { return Status::NotStarted };
    match &a.finished {
        None if a.step == 0 && a.log.is_empty() && a.answers.is_empty() => Status::NotStarted,
        None => Status::InProgress { step: a.step, steps: module.steps.len() },
        Some(f) if f.passed => {
            let valid_until = valid_until(f.at.date_naive(), module.valid_for_months);
            if valid_until < today { Status::Expired } else { Status::Passed { valid_until } }
        }
        Some(_) => Status::Failed,
    }
}

/// The date a completion on `done` stops being valid.
pub fn valid_until(done: NaiveDate, months: u32) -> NaiveDate {
    done.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Share of the module done, 0.0 to 1.0.
pub fn fraction(status: Status) -> f32 {
    match status {
        Status::NotStarted => 0.0,
        Status::InProgress { step, steps } => step as f32 / steps.max(1) as f32,
        Status::Passed { .. } | Status::Failed | Status::Expired => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(version: &str, origin: Origin) -> Entry {
        let mut m = crate::load::load_module_dir(Path::new("tests/fixtures/good/minimal")).unwrap().module;
        m.version = semver::Version::parse(version).unwrap();
        Entry { dir: PathBuf::from(version), module: Ok(m), origin }
    }

    fn pack(title: &str) -> Origin {
        Origin::Pack {
            id: "p".into(),
            title: title.into(),
            version: "1.0.0".into(),
            publisher: "Shelter network".into(),
            fingerprint: "00".into(),
        }
    }

    #[test]
    fn only_the_newest_of_one_module_id_stays_usable() {
        let mut entries = vec![
            entry("1.0.0", Origin::Folder(ModuleSource::Bundled)),
            entry("1.2.0", pack("Update")),
            entry("1.1.0", pack("Old")),
        ];
        keep_one_per_module_id(&mut entries);
        assert!(entries[1].module.is_ok(), "the highest version is kept");
        for loser in [&entries[0], &entries[2]] {
            let message = loser.module.as_ref().unwrap_err();
            assert!(message.contains("is replaced by version 1.2.0 from the pack \"Update\""), "{message}");
        }
    }

    #[test]
    fn on_equal_versions_the_earlier_place_in_the_precedence_list_stays_usable() {
        // load_all lists packs, then FARO_MODULES_DIR, then modules/ beside Faro, then built-in.
        let mut entries = vec![
            entry("1.0.0", pack("Copy")),
            entry("1.0.0", Origin::Folder(ModuleSource::EnvVar)),
            entry("1.0.0", Origin::Folder(ModuleSource::Bundled)),
        ];
        keep_one_per_module_id(&mut entries);
        assert!(entries[0].module.is_ok());
        for loser in &entries[1..] {
            let message = loser.module.as_ref().unwrap_err();
            assert!(message.contains("is replaced by version 1.0.0 from the pack \"Copy\""), "{message}");
        }
    }

    #[test]
    fn load_all_reads_every_folder_in_order() {
        let data = tempfile::tempdir().unwrap();
        let folders = [
            ModuleFolder { source: ModuleSource::EnvVar, dir: "tests/fixtures/good/minimal".into() },
            ModuleFolder { source: ModuleSource::Bundled, dir: "modules".into() },
        ];
        let regions = crate::bundled::regions().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let entries =
            load_all(&folders, &crate::progress::DataDir::at(data.path().to_owned()), &regions, today);
        assert_eq!(entries.len(), 1 + crate::bundled::module_count());
        assert_eq!(entries[0].origin, Origin::Folder(ModuleSource::EnvVar));
        assert!(
            entries[1..]
                .iter()
                .all(|e| e.origin == Origin::Folder(ModuleSource::Bundled) && e.module.is_ok())
        );
    }

    #[test]
    fn expiry_follows_the_validity_period() {
        let m = crate::load::load_module_dir(Path::new("tests/fixtures/good/minimal")).unwrap().module;
        let t = chrono::Utc.with_ymd_and_hms(2026, 1, 31, 10, 0, 0).unwrap();
        let mut a = Attempt::new(&m, "en", t);
        assert_eq!(status(&m, Some(&a), t.date_naive()), Status::NotStarted);
        a.finished = Some(crate::progress::Finished { at: t, passed: true });
        let until = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        assert_eq!(status(&m, Some(&a), until), Status::Passed { valid_until: until });
        assert_eq!(status(&m, Some(&a), until.succ_opt().unwrap()), Status::Expired);
    }
}
