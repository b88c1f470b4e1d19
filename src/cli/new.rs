//! `faro new module`: start a module from a small, valid example.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::scaffold::{NewModule, ScaffoldError};

/// Arguments of `faro new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: NewCommand,
}

/// What to make.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Write a small, valid module into DIR that shows every building block once (a page with
    /// text, an image, a callout and a contact card; a scenario; a check), with comments saying
    /// what to change.
    ///
    /// Exit status: 0 written, 1 the files could not be written, 2 usage errors (a bad id or
    /// language, or DIR exists and is not empty: nothing is overwritten).
    Module {
        /// The folder to make; it must not exist, or be empty.
        dir: PathBuf,
        /// The module id: a-z, 0-9 and -, used in progress and records (e.g. shelter-intake).
        #[arg(long)]
        id: String,
        /// The title, the same in every language until you translate it; default: from the id.
        #[arg(long)]
        title: Option<String>,
        /// The module's languages, comma-separated: en, es, or both.
        #[arg(long, value_delimiter = ',', default_value = "en,es")]
        languages: Vec<String>,
    },
}

/// Runs `faro new`.
pub fn run(args: &Args) -> ExitCode {
    let NewCommand::Module { dir, id, title, languages } = &args.command;
    let new = NewModule {
        id: id.clone(),
        title: title.clone(),
        languages: languages.iter().map(|l| l.trim().to_owned()).collect(),
        today: chrono::Local::now().date_naive(),
    };
    match new.write(dir) {
        Ok(files) => {
            for file in files {
                println!("wrote {}", file.display());
            }
            let dir = dir.display();
            println!("next: faro preview {dir}    (then edit module.ron: every save shows in the preview)");
            println!("      faro validate {dir}    (the same checks, in the terminal)");
            println!("      faro map {dir} --format svg --out map.svg    (the scenario as a graph)");
            ExitCode::SUCCESS
        }
        Err(e @ ScaffoldError::Write { .. }) | Err(e @ ScaffoldError::Image(_)) => {
            eprintln!("faro new module: {e}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("faro new module: {e}");
            ExitCode::from(2)
        }
    }
}
