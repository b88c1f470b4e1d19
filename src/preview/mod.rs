//! The author preview's core (`faro preview DIR`): one module folder, reloaded as it is edited.
//!
//! [`Session::reload`] loads and validates the folder as `faro validate` does. A save that does
//! not validate (an editor's half-written file, a typo) never replaces what is shown: the last
//! good version stays, with the new diagnostics. [`replay`] makes the attempt's choices again in
//! the new version, so the preview keeps the story (node, score, flags); [`place`] keeps the
//! author on the same step and node across reloads and finds the step or node each diagnostic is
//! about; [`watch`] says when a save has settled. Nothing here draws: the app's studio screen
//! shows it.

pub mod place;
pub mod replay;
pub mod watch;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::format::Regions;
use crate::load::LoadedModule;
use crate::validate::{self, Context};

pub use place::{Place, SourcePlaces};

/// How the throwaway data folders of previews are named in the system's temporary folder.
pub const DATA_FOLDER_PREFIX: &str = "faro-preview-";

/// Removes the data folders that earlier previews left in `temp` (named with
/// [`DATA_FOLDER_PREFIX`], older than `min_age`) when they were killed: a closed window removes its
/// own. A folder whose lock is held belongs to a preview that is still open and is kept.
pub fn remove_stale_data_folders(temp: &Path, min_age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(temp) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let named = entry.file_name().to_string_lossy().starts_with(DATA_FOLDER_PREFIX);
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age >= min_age));
        if !named || !old || !path.is_dir() {
            continue;
        }
        let Ok(lock) = crate::data::DataDir::at(path.clone()).lock() else { continue };
        // Unlocked first: Windows does not remove a file that is open.
        drop(lock);
        let _ = std::fs::remove_dir_all(&path);
    }
}

/// What the last reload found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The folder's module validates and is the one shown.
    Current,
    /// The module file was saved with errors: the last good version is shown (if there is one).
    Broken,
    /// The folder, or its `module.ron`, is gone (deleted, renamed, or not written yet).
    Missing,
}

/// What a reload changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reloaded {
    /// A new good version replaced the one shown.
    Updated,
    /// The module file is exactly as it was: nothing to redraw but the diagnostics.
    Unchanged,
    /// The save did not validate (or the file is gone): the last good version stays.
    KeptLastGood,
}

/// One module folder under preview.
#[derive(Debug)]
pub struct Session {
    dir: PathBuf,
    regions: Regions,
    today: NaiveDate,
    /// The last version that validated, shown by the preview.
    good: Option<LoadedModule>,
    /// Where steps and nodes are written in the good version's file.
    good_places: SourcePlaces,
    /// The findings of the last reload, errors and warnings, in file order.
    diagnostics: Vec<Diagnostic>,
    /// For each diagnostic, the step or node it is about (in the file as last saved).
    diagnostic_places: Vec<Option<Place>>,
    source: Source,
    /// How many reloads replaced the good version (the first load counts).
    generation: u64,
}

impl Session {
    /// Opens the module in `dir` (which may not validate yet: its diagnostics say why).
    pub fn open(dir: &Path, regions: Regions, today: NaiveDate) -> Self {
        let mut session = Self {
            dir: dir.to_owned(),
            regions,
            today,
            good: None,
            good_places: SourcePlaces::default(),
            diagnostics: Vec::new(),
            diagnostic_places: Vec::new(),
            source: Source::Missing,
            generation: 0,
        };
        session.reload();
        session
    }

    /// Loads and validates the folder again.
    pub fn reload(&mut self) -> Reloaded {
        // The terms list beside the module folder, as `faro validate` finds it, else the bundled
        // one; a broken local list is reported, and the bundled one used.
        let (local_terms, mut diagnostics) = match crate::load::terms_beside(&self.dir) {
            Ok(terms) => (terms, Vec::new()),
            Err(d) => (None, vec![d]),
        };
        let terms = local_terms.as_ref().or(crate::bundled::terms().ok());
        let ctx = Context::for_author(self.today, &self.regions, terms);
        // The safety policy likewise; a broken local one is reported, and the acts are then
        // checked by no policy rather than by one the author did not mean (as `faro validate`).
        let policy = match crate::load::policy_beside(&self.dir) {
            Ok(Some(local)) => Some(std::borrow::Cow::Owned(local)),
            Ok(None) => crate::bundled::policy().ok().map(std::borrow::Cow::Borrowed),
            Err(d) => {
                diagnostics.push(d);
                None
            }
        };
        let check = validate::PolicyCheck { policy: policy.as_deref(), review_untagged: false };
        let report = validate::check_dir_with_policy(&self.dir, &ctx, &check);
        let errors = report.has_errors();
        diagnostics.extend(report.diagnostics);
        let file_exists = self.dir.join(crate::load::MODULE_FILE).is_file();
        let saved_places = report.module.as_ref().map(SourcePlaces::new);
        let places = |d: &Diagnostic| match report.module.as_ref() {
            Some(loaded) => saved_places.as_ref()?.of(d, &loaded.file).cloned(),
            // A file that does not parse has no places of its own: a syntax error goes to the
            // step or node written at or before its line in the last good version, the last
            // good place (a missing bracket is reported where the text before it ends).
            None => self.good_places.of(d, &self.good.as_ref()?.file).cloned(),
        };
        let diagnostic_places = diagnostics.iter().map(places).collect();
        self.diagnostic_places = diagnostic_places;
        self.diagnostics = diagnostics;
        match report.module {
            Some(loaded) if !errors => {
                self.source = Source::Current;
                if self.good.as_ref().is_some_and(|g| g.source == loaded.source) {
                    return Reloaded::Unchanged;
                }
                self.good_places = saved_places.unwrap_or_default();
                self.good = Some(loaded);
                self.generation += 1;
                Reloaded::Updated
            }
            _ => {
                self.source = if file_exists { Source::Broken } else { Source::Missing };
                Reloaded::KeptLastGood
            }
        }
    }

    /// The module folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The last version that validated, if any.
    pub fn good(&self) -> Option<&LoadedModule> {
        self.good.as_ref()
    }

    /// The findings of the last reload.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The step or node diagnostic `i` is about, if it is about one.
    pub fn diagnostic_place(&self, i: usize) -> Option<&Place> {
        self.diagnostic_places.get(i)?.as_ref()
    }

    /// What the last reload found.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// How many times a good version was loaded.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}
