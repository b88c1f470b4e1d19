//! `faro pack`: keygen, build, verify, install.

use std::process::ExitCode;

/// Arguments of `faro pack`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `faro pack`.
pub fn run(_args: &Args) -> ExitCode {
    eprintln!("faro pack: not available yet");
    ExitCode::from(2)
}
