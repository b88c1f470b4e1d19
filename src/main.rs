//! `faro`: opens the app, or runs a subcommand (`faro --help`).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = faro::cli::Cli::parse();
    match cli.command {
        Some(command) => faro::cli::run(command),
        None => faro::cli::open_app(),
    }
}
