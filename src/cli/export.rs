//! `faro export review`: a module as one self-contained HTML file for the people who sign content
//! off (see `docs/authoring.md`, "A review copy for sign-off"). The document is made by
//! [`crate::review`]; this file reads the arguments, validates and writes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostic::Diagnostic;
use crate::validate::Context;

/// Arguments of `faro export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

/// What `faro export` writes.
#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// One HTML file per module for reviewers: every page, scenario moment, choice, feedback,
    /// unsafe explanation, ending, question and answer, English and Spanish side by side, the
    /// maps, the version and the content fingerprint on every printed page. It loads nothing from
    /// the network; print it to PDF from a browser.
    ///
    /// DIR is a module folder (then --out is the HTML file to write) or a folder of module folders
    /// (then --out is a folder, and each module is written to it as FOLDER-NAME.html). Modules
    /// with validation errors are refused, with the errors, and nothing is written.
    ///
    /// Exit status: 0 written, 1 validation errors or a file that cannot be read or written,
    /// 2 usage errors.
    Review(ReviewArgs),
}

/// Arguments of `faro export review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// A module folder, or a folder of module folders.
    pub dir: PathBuf,
    /// The HTML file to write (one module), or the folder to write one file per module into.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Runs `faro export`.
pub fn run(args: &Args) -> ExitCode {
    match &args.what {
        What::Review(review) => super::exit_with("faro export review", export_review(review)),
    }
}

/// Validates every module under `args.dir`, then writes their review copies; an error is the exit
/// code and what to say.
fn export_review(args: &ReviewArgs) -> Result<(), (u8, String)> {
    if !args.dir.exists() {
        return Err((2, format!("{}: no such file or folder", args.dir.display())));
    }
    let dirs = crate::load::module_dirs(&args.dir)
        .map_err(|e| (1, format!("cannot list {}: {e}", args.dir.display())))?;
    let dirs: Vec<PathBuf> =
        dirs.into_iter().filter(|d| d.join(crate::load::MODULE_FILE).is_file()).collect();
    if dirs.is_empty() {
        return Err((1, format!("no module folders found in {}", args.dir.display())));
    }
    let targets = targets(&dirs, &args.out)?;
    let findings = refuse_errors(&args.dir)?;
    // Every copy is made before any is written: a module that cannot be read writes nothing.
    let mut copies = Vec::with_capacity(dirs.len());
    for (dir, out) in dirs.iter().zip(targets) {
        let loaded = crate::load::load_module_dir(dir).map_err(|d| (1, d.to_string()))?;
        let fingerprint = crate::records::content_hash(dir).map_err(|e| (1, e.to_string()))?;
        let warnings: Vec<Diagnostic> =
            findings.iter().filter(|d| d.file.starts_with(dir)).cloned().collect();
        let html = crate::review::review_html(&loaded, &fingerprint, &warnings);
        copies.push((out, html, loaded.module.id, loaded.module.version, fingerprint));
    }
    for (out, html, id, version, fingerprint) in copies {
        crate::data::store::write_atomic(&out, html.as_bytes()).map_err(|e| (1, e.to_string()))?;
        println!("{}: {id} {version}, content SHA-256 {fingerprint}", out.display());
    }
    Ok(())
}

/// Where each module's copy goes: `out` itself for one module (or `out/NAME.html` when `out` is
/// a folder), `out/NAME.html` for several. A copy written inside a module folder would change
/// that module's fingerprint, so it is refused.
fn targets(dirs: &[PathBuf], out: &Path) -> Result<Vec<PathBuf>, (u8, String)> {
    let into_folder = dirs.len() > 1 || out.is_dir();
    if dirs.len() > 1 && out.exists() && !out.is_dir() {
        return Err((
            2,
            format!(
                "{} modules to export, so --out must be a folder (one FOLDER-NAME.html each), and {} is a file",
                dirs.len(),
                out.display()
            ),
        ));
    }
    let targets: Vec<PathBuf> = if into_folder {
        dirs.iter()
            .map(|dir| {
                let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                out.join(format!("{name}.html"))
            })
            .collect()
    } else {
        vec![out.to_owned()]
    };
    let folder_of = |path: &Path| {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        parent.canonicalize().ok()
    };
    for target in &targets {
        let Some(folder) = folder_of(target) else { continue };
        for dir in dirs {
            if dir.canonicalize().is_ok_and(|d| folder.starts_with(d)) {
                return Err((
                    2,
                    format!(
                        "{} is inside the module folder {}: the copy would change the module's content fingerprint; write it elsewhere",
                        target.display(),
                        dir.display()
                    ),
                ));
            }
        }
    }
    Ok(targets)
}

/// Validates the modules under `dir` as `faro validate dir` does; with errors, prints them and
/// refuses; without, returns the warnings.
fn refuse_errors(dir: &Path) -> Result<Vec<Diagnostic>, (u8, String)> {
    let regions = crate::bundled::regions().map_err(|d| (1, d.to_string()))?;
    let terms = crate::bundled::terms().map_err(|d| (1, d.to_string()))?;
    let ctx = Context::for_author(chrono::Local::now().date_naive(), &regions, Some(terms));
    let options = super::validate::PolicyOptions { file: None, page: false };
    let (diagnostics, _, _) = super::validate::check_paths(&[dir.to_owned()], &ctx, &options);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if errors == 0 {
        return Ok(diagnostics);
    }
    diagnostics.iter().filter(|d| d.is_error()).for_each(|d| eprintln!("{d}"));
    Err((
        1,
        format!(
            "{errors} error(s) (listed above), so no review copy was written: a copy for sign-off must show \
             what learners will get. Fix them first (faro validate {}).",
            dir.display()
        ),
    ))
}
