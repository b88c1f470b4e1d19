//! `faro validate`: check module folders.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Position};
use crate::validate::{self, Context};

/// Arguments of `faro validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Module folders, or folders of module folders (default: modules/).
    pub paths: Vec<PathBuf>,
    /// Print diagnostics as JSON.
    #[arg(long)]
    pub json: bool,
    /// Region contact data to check contact cards against (default: the bundled data).
    #[arg(long)]
    pub regions: Option<PathBuf>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    modules_checked: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

/// Runs the validation and prints the findings.
pub fn run(args: &Args) -> ExitCode {
    let paths = if args.paths.is_empty() { vec![super::bundled_modules_dir()] } else { args.paths.clone() };
    for p in &paths {
        if !p.exists() {
            eprintln!("faro validate: {}: no such file or folder", p.display());
            return ExitCode::from(2);
        }
    }
    let regions = match &args.regions {
        Some(path) => match crate::load::load_regions(path) {
            Ok(r) => r,
            Err(d) => {
                eprintln!("{d}");
                return ExitCode::from(2);
            }
        },
        None => match crate::load::parse_regions("assets/regions.ron".as_ref(), crate::BUNDLED_REGIONS) {
            Ok(r) => r,
            Err(d) => {
                eprintln!("{d}");
                return ExitCode::from(1);
            }
        },
    };
    let ctx =
        Context { today: chrono::Local::now().date_naive(), regions: Some(&regions), decode_images: true };
    let (diagnostics, checked) = check_paths(&paths, &ctx);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if args.json {
        let report = JsonReport { modules_checked: checked, errors, warnings, diagnostics: &diagnostics };
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("faro validate: cannot encode JSON: {e}"),
        }
    } else {
        for d in &diagnostics {
            println!("{d}");
        }
        eprintln!("{checked} module(s) checked: {errors} error(s), {warnings} warning(s)");
    }
    if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Validates every module folder under `paths`; returns the findings and how many modules were checked.
pub fn check_paths(paths: &[PathBuf], ctx: &Context<'_>) -> (Vec<Diagnostic>, usize) {
    let mut out = Vec::new();
    let mut checked = 0;
    for path in paths {
        let dirs = match crate::load::module_dirs(path) {
            Ok(d) => d,
            Err(e) => {
                out.push(Diagnostic::error(path, Position::FILE, format!("cannot list folder: {e}")));
                continue;
            }
        };
        if dirs.is_empty() {
            out.push(Diagnostic::error(path, Position::FILE, "no module folders found here"));
        }
        for dir in dirs {
            checked += 1;
            out.extend(validate::check_dir(&dir, ctx).diagnostics);
        }
    }
    (out, checked)
}
