//! Running the `faro` binary as a person would from a shell, for the CLI tests.

use std::path::Path;
use std::process::Command;

/// What one run of `faro` gave: exit code, stdout, stderr.
pub type Ran = (i32, String, String);

/// Runs `faro` with `FARO_DATA_DIR=data` (when given) and `FARO_MODULES_DIR=modules` (unset for
/// `None`), with no terminal on stdin.
pub fn faro_with(data: Option<&Path>, modules: Option<&Path>, args: &[&str]) -> Ran {
    let mut command = Command::new(env!("CARGO_BIN_EXE_faro"));
    command.args(args).env_remove("FARO_MODULES_DIR");
    if let Some(data) = data {
        command.env("FARO_DATA_DIR", data);
    }
    if let Some(dir) = modules {
        command.env("FARO_MODULES_DIR", dir);
    }
    let out = command.output().expect("faro runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `faro` with the environment the tests were started with, less `FARO_MODULES_DIR`.
pub fn faro(args: &[&str]) -> Ran {
    faro_with(None, None, args)
}
