//! `faro records`: export, certificate, verify, merge.

use std::process::ExitCode;

/// Arguments of `faro records`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `faro records`.
pub fn run(_args: &Args) -> ExitCode {
    eprintln!("faro records: not available yet");
    ExitCode::from(2)
}
