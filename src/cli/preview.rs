//! `faro preview DIR`: the viewer on one module folder, reloading on every save, with the
//! author sidebar (diagnostics, steps and nodes, the scenario map). See `app::screens::studio`.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `faro preview`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module folder (the one holding module.ron), e.g. one made by `faro new module`.
    pub dir: PathBuf,
}

/// Runs `faro preview`.
pub fn run(args: &Args) -> ExitCode {
    if !args.dir.is_dir() {
        eprintln!(
            "faro preview: {} is not a folder; give a module folder (make one with `faro new module DIR --id ID`)",
            args.dir.display()
        );
        return ExitCode::from(2);
    }
    // A folder of modules (such as `modules/`) is not one module: say which ones it holds.
    if !args.dir.join(crate::load::MODULE_FILE).is_file() {
        let modules: Vec<_> = crate::load::module_dirs(&args.dir)
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d.join(crate::load::MODULE_FILE).is_file())
            .collect();
        if let Some(first) = modules.first() {
            eprintln!(
                "faro preview: {} holds {} module folder(s); preview one of them, for example: faro preview {}",
                args.dir.display(),
                modules.len(),
                first.display()
            );
            return ExitCode::from(2);
        }
    }
    let regions = match crate::bundled::regions() {
        Ok(r) => r,
        Err(d) => {
            eprintln!("faro preview: {d}");
            return ExitCode::from(1);
        }
    };
    // Preview progress lives in a folder of its own, deleted when the window closes: learners'
    // progress, records and roster are never touched, and nothing is signed.
    // A preview that was killed could not remove its folder: the next one does. A minute's margin
    // keeps a preview starting at the same moment safe before it locks its folder.
    let temp = std::env::temp_dir();
    crate::preview::remove_stale_data_folders(&temp, std::time::Duration::from_secs(60));
    let data = match tempfile::Builder::new().prefix(crate::preview::DATA_FOLDER_PREFIX).tempdir_in(&temp) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("faro preview: cannot make a temporary folder for the preview's progress: {e}");
            return ExitCode::from(1);
        }
    };
    let config = crate::app::Config {
        data_dir: crate::data::DataDir::at(data.path().to_owned()),
        data_location: None,
        module_folders: Vec::new(),
        regions,
        today: chrono::Local::now().date_naive(),
        problems: Vec::new(),
        first_language: crate::locale::system_language().to_owned(),
        #[cfg(feature = "test-hooks")]
        installed_load_gate: None,
        #[cfg(feature = "test-hooks")]
        install_gate: None,
    };
    match crate::app::run_preview(config, args.dir.clone(), Some(data)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("faro preview: cannot open the window: {e}");
            ExitCode::from(1)
        }
    }
}
