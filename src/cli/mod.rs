//! The command line: `faro` opens the app; subcommands serve authors and coordinators.

mod pack;
mod records;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Faro: offline training to recognize and respond safely to human trafficking.
#[derive(Debug, Parser)]
#[command(name = "faro", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do; with none, the app opens.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check module folders and print diagnostics as `file:line:col: error: message`.
    ///
    /// Exit status: 0 when there are no errors (warnings allowed), 1 when there are errors,
    /// 2 on usage errors.
    Validate(validate::Args),
    /// Build, sign, verify and install module packs.
    Pack(pack::Args),
    /// Export, verify and merge completion records; print certificates.
    Records(records::Args),
}

/// Runs a subcommand and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Validate(args) => validate::run(&args),
        Command::Pack(args) => pack::run(&args),
        Command::Records(args) => records::run(&args),
    }
}

/// Where bundled modules live: `FARO_MODULES_DIR`, else `modules/` in the current folder,
/// else beside the executable (or two levels up, for `target/release/faro`).
pub fn bundled_modules_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FARO_MODULES_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let here = PathBuf::from("modules");
    if here.is_dir() {
        return here;
    }
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.parent()
    {
        for candidate in [dir.join("modules"), dir.join("../../modules")] {
            if candidate.is_dir() {
                return candidate;
            }
        }
    }
    here
}

/// Opens the viewer with the bundled modules.
pub fn open_app() -> ExitCode {
    let config = match crate::app::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("faro: {e}");
            return ExitCode::from(1);
        }
    };
    match crate::app::run(config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("faro: cannot open the window: {e}");
            ExitCode::from(1)
        }
    }
}
