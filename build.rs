//! Build script: rebuild when the bundled modules change, and record the commit for the About
//! screen.
//!
//! The modules and `assets/` are embedded with `include_dir!`, which cannot tell Cargo which
//! files it read on stable Rust; without these lines an edited module would not reach the binary.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=modules");
    println!("cargo:rerun-if-changed=assets");
    println!("cargo:rerun-if-env-changed=FARO_COMMIT");
    // A release built from a source archive has no git; the About screen then says "unknown".
    let commit = std::env::var("FARO_COMMIT").ok().filter(|c| !c.is_empty()).or_else(git_commit);
    if let Some(commit) = commit {
        println!("cargo:rustc-env=FARO_COMMIT={commit}");
    }
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}

fn git_commit() -> Option<String> {
    let out = Command::new("git").args(["rev-parse", "--short=12", "HEAD"]).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let commit = text.trim();
    (out.status.success() && !commit.is_empty()).then(|| commit.to_owned())
}
