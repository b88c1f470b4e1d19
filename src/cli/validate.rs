//! `faro validate`: check module folders.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Position};
use crate::validate::{self, Context};

/// Arguments of `faro validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Module folders, or folders of module folders (default: modules/ in the current folder).
    pub paths: Vec<PathBuf>,
    /// Check the modules built into this program (what a volunteer sees with no other modules).
    #[arg(long)]
    pub bundled: bool,
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
    // `unpacked` holds the temporary copy of the bundled modules until the check is done.
    let Some((paths, unpacked)) = paths_to_check(args) else { return ExitCode::from(2) };
    let regions = match &args.regions {
        Some(path) => match crate::load::load_regions(path) {
            Ok(r) => r,
            Err(d) => {
                eprintln!("{d}");
                return ExitCode::from(2);
            }
        },
        None => match crate::bundled::regions() {
            Ok(r) => r,
            Err(d) => {
                eprintln!("{d}");
                return ExitCode::from(1);
            }
        },
    };
    let terms = match crate::bundled::terms() {
        Ok(t) => t,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::from(1);
        }
    };
    let ctx = Context {
        today: chrono::Local::now().date_naive(),
        regions: Some(&regions),
        terms: Some(terms),
        decode_images: true,
    };
    let (mut diagnostics, checked) = check_paths(&paths, &ctx);
    if let Some(unpacked) = &unpacked {
        // Name built-in files as in the source tree, not by the temporary folder (whose first
        // level is `bundled-<digest>`).
        for d in &mut diagnostics {
            if let Ok(inside) = d.file.strip_prefix(unpacked.path()) {
                d.file =
                    Path::new("(built in)/modules").join(inside.components().skip(1).collect::<PathBuf>());
            }
        }
    }
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

/// The folders to check (and the temporary folder holding the bundled modules, if asked for),
/// or `None` after saying why there are none.
fn paths_to_check(args: &Args) -> Option<(Vec<PathBuf>, Option<tempfile::TempDir>)> {
    let mut paths = args.paths.clone();
    let mut unpacked = None;
    if args.bundled {
        // Unpacked into a private temporary folder: the check reads exactly the embedded bytes.
        let parent = match tempfile::tempdir() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("faro validate: cannot make a temporary folder for the bundled modules: {e}");
                return None;
            }
        };
        match crate::bundled::unpack_into(parent.path()) {
            Ok(dir) => {
                paths.push(dir);
                unpacked = Some(parent);
            }
            Err(e) => {
                eprintln!("faro validate: {e}");
                return None;
            }
        }
    } else if paths.is_empty() {
        let here = PathBuf::from("modules");
        if !here.is_dir() {
            eprintln!(
                "faro validate: no module folders given, and there is no modules/ folder here.\n\
                 Give module folders (faro validate path/to/module), or check the modules built into \
                 Faro with: faro validate --bundled"
            );
            return None;
        }
        paths.push(here);
    }
    for p in &paths {
        if !p.exists() {
            eprintln!("faro validate: {}: no such file or folder", p.display());
            return None;
        }
    }
    Some((paths, unpacked))
}

/// Validates every module folder under `paths`, each with the `terms.ron` beside it if there is one
/// (else `ctx.terms`); returns the findings and how many modules were checked.
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
        let local_terms = match crate::load::terms_beside(path) {
            Ok(terms) => terms,
            Err(d) => {
                // A broken terms list is an error to fix; the modules are still checked (with the
                // bundled list) so one mistake does not hide the others.
                out.push(d);
                None
            }
        };
        let ctx = Context { terms: local_terms.as_ref().or(ctx.terms), ..ctx.clone() };
        for dir in dirs {
            checked += 1;
            out.extend(validate::check_dir(&dir, &ctx).diagnostics);
        }
    }
    (out, checked)
}
