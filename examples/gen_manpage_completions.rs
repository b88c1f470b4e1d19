//! Writes Faro's manual pages and shell completions, generated from the command-line definition
//! (`faro::cli::Cli`), so they always match the binary. The Debian package ships them (see
//! `[package.metadata.deb]` in `Cargo.toml` and `packaging/deb-smoke-test.sh`).
//!
//! Run from the crate root:
//!
//! ```sh
//! cargo run --example gen_manpage_completions -- target/packaging
//! ```
//!
//! It writes, under the given folder:
//! - `man/faro.1` and one page per subcommand (`man/faro-validate.1`, …);
//! - `completions/faro.bash`, `completions/_faro` (zsh) and `completions/faro.fish`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed run, not a crash on a laptop

use std::error::Error;
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::CommandFactory as _;
use clap_complete::Shell;
use faro::cli::Cli;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(out), None) = (args.next(), args.next()) else {
        return Err("usage: gen_manpage_completions OUT_DIR".into());
    };
    let out = PathBuf::from(out);
    write_man_pages(&out.join("man"))?;
    write_completions(&out.join("completions"))?;
    println!("wrote manual pages and completions under {}", out.display());
    Ok(())
}

/// `faro.1` and one page per subcommand, as `man faro-validate` expects.
fn write_man_pages(dir: &Path) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .map_err(|e| format!("cannot write manual pages to {}: {e}", dir.display()))?;
    Ok(())
}

/// One completion script per shell, named as each shell's generator names it.
fn write_completions(dir: &Path) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut command = Cli::command();
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command, "faro", &mut script);
        let path = dir.join(clap_complete::Generator::file_name(&shell, "faro"));
        File::create(&path)
            .and_then(|mut f| f.write_all(&script))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
