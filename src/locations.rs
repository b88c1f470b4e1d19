//! Where Faro finds its modules and where it keeps its data.
//!
//! Modules, in precedence order (the newest edition of a module id wins; on a tie, the earlier
//! place in this list):
//! 1. installed packs, in the data folder (listed by [`crate::pack::installed`]);
//! 2. the folder named by `FARO_MODULES_DIR`;
//! 3. a `modules/` folder beside the executable;
//! 4. the modules built into the executable ([`crate::bundled`]).
//!
//! Data (profiles, progress, records, device key, trusted publishers, packs), first match wins:
//! 1. `--portable`: a `faro-data` folder beside the executable (created if missing);
//! 2. `FARO_DATA_DIR`;
//! 3. a `faro-data` folder beside the executable, if there is one (a USB stick, a kiosk);
//! 4. the system's data folder for the user (see the README's table).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::data::DataDir;

/// The environment variable naming an extra folder of module folders.
pub const MODULES_DIR_ENV: &str = "FARO_MODULES_DIR";

/// The folder beside the executable that switches Faro to portable mode.
pub const PORTABLE_DATA_FOLDER: &str = "faro-data";

/// A folder of module folders beside the executable.
pub const MODULES_BESIDE_EXE: &str = "modules";

/// Why Faro looks in a module folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleSource {
    /// Named by `FARO_MODULES_DIR`.
    EnvVar,
    /// A `modules/` folder beside the executable.
    BesideExe,
    /// Built into the executable (unpacked to a cache folder).
    Bundled,
    /// The one folder an author previews (`faro preview DIR`).
    Preview,
}

/// A folder of module folders (or one module folder) and why Faro looks there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleFolder {
    pub source: ModuleSource,
    pub dir: PathBuf,
}

/// The module folders to read, in precedence order, and what went wrong finding them.
#[derive(Clone, Debug, Default)]
pub struct ModuleFolders {
    pub folders: Vec<ModuleFolder>,
    /// Plain-language problems (a `FARO_MODULES_DIR` that is not a folder, bundled modules that
    /// could not be unpacked), to show rather than fail on.
    pub problems: Vec<String>,
}

/// The real module folders: from the environment, the executable's folder and the embedded set.
pub fn module_folders(data: &DataDir) -> ModuleFolders {
    module_folders_from(std::env::var_os(MODULES_DIR_ENV), exe_dir().as_deref(), data)
}

/// The module folders for a given `FARO_MODULES_DIR` value and executable folder (testable).
pub fn module_folders_from(
    env_dir: Option<OsString>,
    exe_dir: Option<&Path>,
    data: &DataDir,
) -> ModuleFolders {
    let mut found = ModuleFolders::default();
    if let Some(dir) = env_dir.filter(|d| !d.is_empty()).map(PathBuf::from) {
        if dir.is_dir() {
            found.folders.push(ModuleFolder { source: ModuleSource::EnvVar, dir });
        } else {
            found.problems.push(format!(
                "{MODULES_DIR_ENV} is set to {}, which is not a folder; Faro ignores it. \
                 Point it at a folder of module folders, or unset it.",
                dir.display()
            ));
        }
    }
    if let Some(dir) = exe_dir.map(|d| d.join(MODULES_BESIDE_EXE)).filter(|d| d.is_dir()) {
        found.folders.push(ModuleFolder { source: ModuleSource::BesideExe, dir });
    }
    match unpack_bundled(data) {
        Ok(dir) => found.folders.push(ModuleFolder { source: ModuleSource::Bundled, dir }),
        Err(problem) => found.problems.push(problem),
    }
    found
}

/// Every folder a module can be read from: the installed packs' module folders, then
/// [`module_folders`]. For finding a module by its content (a record's content hash), where
/// every edition counts, not only the one the library shows per module id.
pub fn module_roots(data: &DataDir) -> (Vec<PathBuf>, Vec<String>) {
    let mut roots = crate::pack::installed_module_dirs(data);
    let found = module_folders(data);
    roots.extend(found.folders.into_iter().map(|f| f.dir));
    (roots, found.problems)
}

/// Unpacks the built-in modules under the data folder (`cache/`), or, if it cannot be written
/// (a read-only USB stick), under the system's temporary folder.
pub fn unpack_bundled(data: &DataDir) -> Result<PathBuf, String> {
    let in_data = crate::bundled::unpack_into(&data.root().join("cache"));
    in_data.or_else(|first| {
        crate::bundled::unpack_into(&std::env::temp_dir().join("faro"))
            .map_err(|second| format!("{first}; {second}"))
    })
}

/// The folder holding the running executable.
pub fn exe_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    // Through a symlink (/usr/local/bin/faro -> …), the real folder is the one with faro-data.
    // Not on Windows, where canonical paths take the `\\?\` form that confuses people reading
    // them on the About screen, and where the program is not reached through symlinks.
    let exe = if cfg!(windows) { exe } else { exe.canonicalize().unwrap_or(exe) };
    exe.parent().map(Path::to_owned)
}

/// Where the data folder is, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataLocation {
    /// Beside the executable: `--portable`, or a `faro-data` folder found there.
    Portable(PathBuf),
    /// Named by `FARO_DATA_DIR`.
    EnvVar(PathBuf),
    /// The system's data folder for this user.
    System(PathBuf),
    /// Chosen in the app because the usual one could not be used (this session only).
    Chosen(PathBuf),
}

impl DataLocation {
    /// The folder itself.
    pub fn dir(&self) -> &Path {
        match self {
            DataLocation::Portable(d)
            | DataLocation::EnvVar(d)
            | DataLocation::System(d)
            | DataLocation::Chosen(d) => d,
        }
    }

    /// The data folder for this location.
    pub fn data_dir(&self) -> DataDir {
        DataDir::at(self.dir().to_owned())
    }
}

/// Set once by the command line when `--portable` is given, before any data folder is opened.
static PORTABLE_FLAG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records the `--portable` flag for every later [`data_location`] and [`data_dir`] call.
pub fn set_portable_flag(portable: bool) {
    PORTABLE_FLAG.store(portable, std::sync::atomic::Ordering::Relaxed);
}

/// The data folder to use (see the module docs for the order).
pub fn data_dir() -> Option<DataDir> {
    data_location().map(|l| l.data_dir())
}

/// The real data location, from the `--portable` flag, the environment and the executable's folder.
pub fn data_location() -> Option<DataLocation> {
    let portable = PORTABLE_FLAG.load(std::sync::atomic::Ordering::Relaxed);
    let system = directories::ProjectDirs::from("org", "Faro", "faro").map(|p| p.data_dir().to_owned());
    data_location_from(portable, std::env::var_os(crate::data::DATA_DIR_ENV), exe_dir().as_deref(), system)
}

/// The data location for given inputs (testable). `None` only when nothing names a folder at all
/// (no executable folder, no `FARO_DATA_DIR`, and no home folder).
pub fn data_location_from(
    portable: bool,
    env_dir: Option<OsString>,
    exe_dir: Option<&Path>,
    system: Option<PathBuf>,
) -> Option<DataLocation> {
    let beside_exe = exe_dir.map(|d| d.join(PORTABLE_DATA_FOLDER));
    if portable && let Some(dir) = beside_exe.clone() {
        return Some(DataLocation::Portable(dir));
    }
    if let Some(dir) = env_dir.filter(|d| !d.is_empty()) {
        return Some(DataLocation::EnvVar(PathBuf::from(dir)));
    }
    // Anything named faro-data counts, even a file: the person meant portable mode, and the
    // data folder check then says plainly what is wrong, instead of data silently going elsewhere.
    if let Some(dir) = beside_exe.filter(|d| d.exists()) {
        return Some(DataLocation::Portable(dir));
    }
    system.map(DataLocation::System)
}

/// `text` with the person's home folder written as `~` (`%USERPROFILE%` on Windows), so text
/// meant to be shared (the About screen's diagnostics) does not carry the account's name in
/// its paths.
pub fn without_home(text: &str) -> String {
    let stand_in = if cfg!(windows) { "%USERPROFILE%" } else { "~" };
    match directories::BaseDirs::new() {
        Some(dirs) => replace_home(text, dirs.home_dir(), stand_in),
        None => text.to_owned(),
    }
}

/// `text` with each path that starts with `home` rewritten to start with `stand_in`; a longer name
/// that only begins like it (`/home/ana` in `/home/anabel`) is left alone, and so is a home
/// folder that is the root of the disk (nothing would be hidden, and every path would change).
pub fn replace_home(text: &str, home: &Path, stand_in: &str) -> String {
    let home = home.to_string_lossy();
    let home = home.trim_end_matches(['/', '\\']);
    if home.is_empty() || home.ends_with(':') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(home) {
        let after = &rest[at + home.len()..];
        let longer_name = after.chars().next().is_some_and(|c| c.is_alphanumeric() || "-_.".contains(c));
        out.push_str(&rest[..at]);
        out.push_str(if longer_name { home } else { stand_in });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_folder_is_written_as_a_stand_in_and_only_where_it_is_the_whole_folder() {
        let text =
            "data folder: /home/ana/.local/share/faro (system)\n  2. /home/anabel/modules\n  /home/ana";
        assert_eq!(
            replace_home(text, Path::new("/home/ana/"), "~"),
            "data folder: ~/.local/share/faro (system)\n  2. /home/anabel/modules\n  ~"
        );
        let windows = r"data folder: C:\Users\Ana\AppData\Roaming\Faro\faro\data (system)";
        assert_eq!(
            replace_home(windows, Path::new(r"C:\Users\Ana"), "%USERPROFILE%"),
            r"data folder: %USERPROFILE%\AppData\Roaming\Faro\faro\data (system)"
        );
        for root in ["/", r"C:\", ""] {
            assert_eq!(replace_home(text, Path::new(root), "~"), text, "{root:?}");
        }
    }

    #[test]
    fn data_location_precedence() {
        let exe = tempfile::tempdir().unwrap();
        let system = Some(PathBuf::from("/system/faro"));
        let env = Some(OsString::from("/env/faro"));
        let portable = exe.path().join(PORTABLE_DATA_FOLDER);

        let at = |flag, env: &Option<OsString>| {
            data_location_from(flag, env.clone(), Some(exe.path()), system.clone())
        };
        assert_eq!(at(false, &None), Some(DataLocation::System("/system/faro".into())));
        assert_eq!(at(false, &env), Some(DataLocation::EnvVar("/env/faro".into())));
        assert_eq!(at(true, &env), Some(DataLocation::Portable(portable.clone())));
        assert_eq!(at(false, &Some(OsString::new())), Some(DataLocation::System("/system/faro".into())));

        // A faro-data folder beside the executable switches to portable mode by itself.
        std::fs::create_dir(&portable).unwrap();
        assert_eq!(at(false, &None), Some(DataLocation::Portable(portable.clone())));
        // FARO_DATA_DIR still wins over a folder that merely exists (tests, kiosks).
        assert_eq!(at(false, &env), Some(DataLocation::EnvVar("/env/faro".into())));
    }

    #[test]
    fn a_faro_data_file_still_means_portable() {
        let exe = tempfile::tempdir().unwrap();
        let portable = exe.path().join(PORTABLE_DATA_FOLDER);
        std::fs::write(&portable, "not a folder").unwrap();
        let found = data_location_from(false, None, Some(exe.path()), Some("/system".into()));
        assert_eq!(found, Some(DataLocation::Portable(portable.clone())));
        // The data folder check explains it.
        let problem = found.unwrap().data_dir().check_writable().unwrap_err();
        assert!(problem.to_string().contains("not a folder"), "{problem}");
    }

    #[test]
    fn module_folders_in_precedence_order() {
        let exe = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let env = tempfile::tempdir().unwrap();
        std::fs::create_dir(exe.path().join(MODULES_BESIDE_EXE)).unwrap();
        let found = module_folders_from(
            Some(env.path().into()),
            Some(exe.path()),
            &DataDir::at(data.path().to_owned()),
        );
        let sources: Vec<ModuleSource> = found.folders.iter().map(|f| f.source).collect();
        assert_eq!(sources, [ModuleSource::EnvVar, ModuleSource::BesideExe, ModuleSource::Bundled]);
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        assert!(found.folders[2].dir.starts_with(data.path().join("cache")));
    }

    #[test]
    fn a_modules_dir_pointing_at_nothing_is_a_problem_not_a_failure() {
        let data = tempfile::tempdir().unwrap();
        let found = module_folders_from(
            Some(OsString::from("/no/such/folder")),
            None,
            &DataDir::at(data.path().to_owned()),
        );
        assert_eq!(found.folders.len(), 1, "the bundled modules are still there");
        assert_eq!(found.folders[0].source, ModuleSource::Bundled);
        assert_eq!(found.problems.len(), 1);
        assert!(
            found.problems[0].contains("FARO_MODULES_DIR is set to /no/such/folder"),
            "{:?}",
            found.problems
        );
    }

    #[test]
    fn bundled_modules_unpack_elsewhere_when_the_data_folder_is_unusable() {
        let parent = tempfile::tempdir().unwrap();
        let file = parent.path().join("faro-data");
        std::fs::write(&file, "x").unwrap();
        let dir = unpack_bundled(&DataDir::at(file)).unwrap();
        assert!(dir.starts_with(std::env::temp_dir()));
        assert!(dir.join("01-what-is-trafficking/module.ron").is_file());
    }
}
