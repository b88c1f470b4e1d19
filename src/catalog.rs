//! The module library: which modules Faro offers (module folders and installed packs, one usable
//! per module id), why a module cannot be opened, and where a learner stands in each. The app
//! shows it; the rules live here, in the core.

use std::path::{Path, PathBuf};

use chrono::{Months, NaiveDate};

use crate::format::{Module, Regions};
use crate::locations::{ModuleFolder, ModuleSource};
use crate::pack::SaveCache;
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
    /// An installed pack: its id, title, version, publisher and the publisher's key fingerprint,
    /// and the bundled modules it may replace (the person installing agreed).
    Pack {
        id: String,
        title: String,
        version: String,
        publisher: String,
        fingerprint: String,
        replaces_bundled: Vec<String>,
    },
}

/// Every module, in the precedence order of [`crate::locations`]: installed packs in `data`,
/// then each of `folders`. A module with errors, or a damaged pack, becomes an entry with its
/// message; of several usable modules with one id only one stays usable
/// ([`keep_one_per_module_id`]). The app loads the two parts apart (installed packs off the UI
/// thread) and joins them with [`combine`].
pub fn load_all(
    folders: &[ModuleFolder],
    data: &crate::data::DataDir,
    regions: &Regions,
    today: NaiveDate,
) -> Vec<Entry> {
    let installed = load_installed(data, regions, today, SaveCache::No);
    combine(&installed, &load_folders(folders, regions, today))
}

/// The modules of every installed pack in `data`, validated only where the validation cache kept
/// with each pack does not vouch for them (see [`crate::pack::load_checked`]); `save` writes the
/// cache again when something had to be validated.
pub fn load_installed(
    data: &crate::data::DataDir,
    regions: &Regions,
    today: NaiveDate,
    save: SaveCache,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    for pack in crate::pack::installed(data) {
        match pack {
            Ok(p) => {
                let checked = crate::pack::load_checked(&p, data, regions, today, save);
                let origin = Origin::Pack {
                    id: p.id.as_str().to_owned(),
                    title: p.title,
                    version: p.version.to_string(),
                    publisher: p.publisher,
                    fingerprint: p.fingerprint.to_string(),
                    replaces_bundled: p.replaces_bundled,
                };
                entries.extend(checked.modules.into_iter().map(|m| Entry {
                    dir: m.dir,
                    module: m.module,
                    origin: origin.clone(),
                }));
            }
            Err(e) => entries.push(Entry {
                dir: crate::pack::packs_dir(data),
                module: Err(e.to_string()),
                origin: Origin::Folder(ModuleSource::Bundled),
            }),
        }
    }
    entries
}

/// The modules in `folders` (built in, beside the executable, `FARO_MODULES_DIR`), in order.
pub fn load_folders(folders: &[ModuleFolder], regions: &Regions, today: NaiveDate) -> Vec<Entry> {
    folders
        .iter()
        .flat_map(|folder| load(&folder.dir, regions, today, &Origin::Folder(folder.source)))
        .collect()
}

/// The library: installed entries first, then the folders', with one usable module per id.
pub fn combine(installed: &[Entry], folders: &[Entry]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = installed.iter().chain(folders).cloned().collect();
    keep_one_per_module_id(&mut entries);
    entries
}

/// Two places can hold the same module id: a pack may carry a newer edition of a bundled module,
/// or two packs the same module. Progress and records are kept per module id, so two usable cards
/// with one id would overwrite each other's progress. Only one stays usable; the others say why:
/// - a pack's module never replaces a bundled module unless the person installing the pack agreed
///   (issue 17): then the bundled module stays, and the pack's says how to agree;
/// - otherwise the highest version (the earlier entry on a tie, so the order of
///   [`crate::locations`] decides).
pub fn keep_one_per_module_id(entries: &mut [Entry]) {
    use std::collections::btree_map::{BTreeMap, Entry as Slot};
    let bundled: std::collections::BTreeSet<String> = entries
        .iter()
        .filter(|e| e.origin == Origin::Folder(ModuleSource::Bundled))
        .filter_map(|e| e.module.as_ref().ok().map(|m| m.id.clone()))
        .collect();
    for entry in entries.iter_mut() {
        let (Ok(module), Origin::Pack { title, version, replaces_bundled, .. }) =
            (&entry.module, &entry.origin)
        else {
            continue;
        };
        if bundled.contains(&module.id) && !replaces_bundled.contains(&module.id) {
            entry.module = Err(format!(
                "Not used: the pack \"{title}\" {version} carries module \"{}\", which is also a module \
                 that comes with Faro. A pack replaces one of Faro's own modules only when the person \
                 installing it agrees, and this pack was installed without that agreement, so Faro's \
                 module stays in use. To use the pack's module instead, install the pack again and \
                 confirm the replacement (in Faro, or with faro pack install --replace-bundled).",
                module.id
            ));
        }
    }
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
            Origin::Folder(ModuleSource::Preview) => "from the folder being previewed".to_owned(),
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
    let ctx = Context::for_library(today, regions);
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
            replaces_bundled: Vec::new(),
        }
    }

    /// A pack whose installer agreed that it replaces the bundled module (the fixture's id).
    fn agreed_pack(title: &str) -> Origin {
        let Origin::Pack { id, title, version, publisher, fingerprint, .. } = pack(title) else {
            unreachable!()
        };
        let replaces_bundled = vec!["minimal-example".to_owned()];
        Origin::Pack { id, title, version, publisher, fingerprint, replaces_bundled }
    }

    #[test]
    fn only_the_newest_of_one_module_id_stays_usable() {
        let mut entries = vec![
            entry("1.0.0", Origin::Folder(ModuleSource::BesideExe)),
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
            entry("1.0.0", agreed_pack("Copy")),
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
    fn a_pack_replaces_a_bundled_module_only_when_the_installer_agreed() {
        // Without the agreement (a pack installed before Faro asked, or consent lost), Faro's own
        // module stays, whatever the pack's version; the pack's card says how to agree.
        let mut entries =
            vec![entry("9.0.0", pack("Lookalike")), entry("1.0.0", Origin::Folder(ModuleSource::Bundled))];
        keep_one_per_module_id(&mut entries);
        assert!(entries[1].module.is_ok(), "the bundled module stays in use");
        let message = entries[0].module.as_ref().unwrap_err();
        for expected in ["Not used: the pack \"Lookalike\" 1.0.0", "comes with Faro", "--replace-bundled"] {
            assert!(message.contains(expected), "{expected:?} in {message}");
        }

        // With it, the pack's newer edition is taken.
        let mut entries = vec![
            entry("9.0.0", agreed_pack("Update")),
            entry("1.0.0", Origin::Folder(ModuleSource::Bundled)),
        ];
        keep_one_per_module_id(&mut entries);
        assert!(entries[0].module.is_ok());
        let message = entries[1].module.as_ref().unwrap_err();
        assert!(message.contains("is replaced by version 9.0.0 from the pack \"Update\""), "{message}");

        // The agreement lets the pack compete, not win: a newer Faro's own edition is still taken.
        let mut entries =
            vec![entry("1.0.0", agreed_pack("Old")), entry("2.0.0", Origin::Folder(ModuleSource::Bundled))];
        keep_one_per_module_id(&mut entries);
        assert!(entries[0].module.is_err() && entries[1].module.is_ok());

        // Modules in other folders are the coordinator's own choice: no agreement needed.
        let mut entries =
            vec![entry("2.0.0", pack("Update")), entry("1.0.0", Origin::Folder(ModuleSource::BesideExe))];
        keep_one_per_module_id(&mut entries);
        assert!(entries[0].module.is_ok() && entries[1].module.is_err());
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
        let entries = load_all(&folders, &crate::data::DataDir::at(data.path().to_owned()), &regions, today);
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
