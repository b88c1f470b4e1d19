//! How the app is set up: where its data and modules are ([`Config`], from the command line and
//! the system), and the learner's choices that survive a restart ([`Settings`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::theme::Theme;
use crate::data::DataDir;
use crate::format::Regions;
use crate::locations::{DataLocation, ModuleFolder};

/// Choices that survive a restart, saved in the data directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub lang: String,
    pub theme: Theme,
    pub zoom: f32,
    /// `us` or `mx`: which contacts the Get help panel shows first.
    pub region: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self { lang: "en".into(), theme: Theme::Light, zoom: 1.0, region: "us".into() }
    }
}

/// Where the app gets its data; tests point these at temporary folders.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: DataDir,
    /// Why the data folder is where it is, for the About screen (`None` in tests).
    pub data_location: Option<DataLocation>,
    /// Folders of modules in precedence order (installed packs come first, from `data_dir`).
    pub module_folders: Vec<ModuleFolder>,
    pub regions: Regions,
    pub today: NaiveDate,
    /// Problems met while finding the folders, shown as notices.
    pub problems: Vec<String>,
    /// The UI language of a first launch, before any setting is saved (the system's, when Faro
    /// speaks it; see [`crate::locale::language_for_locale`]).
    pub first_language: String,
    /// For tests: holds the loading of installed packs until released, so a test can see the
    /// window as it is before they arrive (`None`: load at once).
    #[cfg(feature = "test-hooks")]
    pub installed_load_gate: Option<super::library_load::LoadGate>,
    /// For tests: holds every pack install until released, so a test can use the window while
    /// an install runs (`None`: install at once).
    #[cfg(feature = "test-hooks")]
    pub install_gate: Option<super::library_load::LoadGate>,
}

impl Config {
    /// The real configuration (see [`crate::locations`]): the data folder, the module folders
    /// including the built-in modules, and the bundled regions.
    pub fn locate() -> Result<Self, String> {
        let location = crate::locations::data_location()
            .ok_or("no data folder: set FARO_DATA_DIR to a folder, or start Faro with --portable")?;
        let data_dir = location.data_dir();
        let regions = crate::bundled::regions().map_err(|d| d.to_string())?;
        let found = crate::locations::module_folders(&data_dir);
        Ok(Self {
            data_dir,
            data_location: Some(location),
            module_folders: found.folders,
            regions,
            today: chrono::Local::now().date_naive(),
            problems: found.problems,
            first_language: crate::locale::system_language().to_owned(),
            #[cfg(feature = "test-hooks")]
            installed_load_gate: None,
            #[cfg(feature = "test-hooks")]
            install_gate: None,
        })
    }
}
