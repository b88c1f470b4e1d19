//! The command line: `faro` opens the app; subcommands serve authors and coordinators.

mod export;
mod map;
mod new;
mod pack;
mod preview;
mod records;
mod translate;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Faro: offline training to recognize and respond safely to human trafficking.
#[derive(Debug, Parser)]
#[command(name = "faro", version, about)]
pub struct Cli {
    /// Keep all data (learners, progress, records, keys, packs) in a `faro-data` folder beside
    /// the program, for a USB stick or a kiosk. A `faro-data` folder there does the same.
    #[arg(long, global = true)]
    pub portable: bool,
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
    /// Start something new: `faro new module DIR --id ID` writes a small, valid module.
    New(new::Args),
    /// Draw a scenario as a graph, in Graphviz DOT or SVG (no Graphviz needed).
    ///
    /// Critical choices are red, dashed and marked "(!) unsafe"; endings are drawn by outcome;
    /// unreachable nodes are grey and marked; the best-scoring path to a Pass ending is bold.
    /// A module with validation errors is drawn anyway, with a note on stderr.
    ///
    /// Exit status: 0 written, 1 the module does not parse or the file cannot be written,
    /// 2 usage errors (including an unknown or missing --scenario).
    Map(map::Args),
    /// Preview one module folder while you edit it: every save reloads it, the preview stays on
    /// the same step and node, and a sidebar lists the diagnostics (click one to go there), the
    /// steps and nodes, and shows the scenario map. Nothing is saved or signed.
    ///
    /// Exit status: 0 when the window is closed, 1 if it cannot open, 2 usage errors.
    Preview(preview::Args),
    /// Write a module in another form: `faro export review DIR --out FILE.html` makes one
    /// self-contained HTML file for the people who sign content off (see its --help).
    Export(export::Args),
    /// Hand a module's texts to translators as a gettext PO file, and bring the translations back.
    Translate(translate::Args),
}

/// Runs a subcommand and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Validate(args) => validate::run(&args),
        Command::Pack(args) => pack::run(&args),
        Command::Records(args) => records::run(&args),
        Command::New(args) => new::run(&args),
        Command::Map(args) => map::run(&args),
        Command::Preview(args) => preview::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Translate(args) => translate::run(&args),
    }
}

/// A subcommand's end: success, or the exit code and what to say, after `command` (e.g.
/// "faro map").
fn exit_with(command: &str, result: Result<(), (u8, String)>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("{command}: {message}");
            ExitCode::from(code)
        }
    }
}

/// Opens the viewer with every module Faro can find.
pub fn open_app() -> ExitCode {
    let config = match crate::app::Config::locate() {
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
