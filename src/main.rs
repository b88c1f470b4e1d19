//! `faro`: opens the app, or runs a subcommand (`faro --help`).

// A double-clicked faro.exe must not open a console window beside the app; subcommands attach to
// the console of the shell they were started from instead (see `attach_parent_console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    attach_parent_console();
    let cli = faro::cli::Cli::parse();
    faro::locations::set_portable_flag(cli.portable);
    match cli.command {
        Some(command) => faro::cli::run(command),
        None => faro::cli::open_app(),
    }
}

/// On Windows, a GUI-subsystem program has no console: attach to the parent's (cmd.exe,
/// PowerShell), if there is one, so `--help`, `--version` and subcommands print there.
#[cfg(windows)]
fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: AttachConsole takes a process id and touches no memory of ours; it fails harmlessly
    // when there is no parent console (started from Explorer or the Start menu).
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

/// Elsewhere the program always has its terminal, if any.
#[cfg(not(windows))]
fn attach_parent_console() {}
