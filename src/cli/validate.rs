//! `faro validate`: check module folders.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Position};
use crate::format::SafetyPolicy;
use crate::validate::{self, Context, PolicyCheck, PolicyPage};

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
    /// Also print the safety policy page: per act, every choice that performs it and its grading;
    /// and warn about untagged choices even in modules that use no act.
    #[arg(long)]
    pub policy: bool,
    /// The safety policy to check acts against (default: a safety-policy.ron beside the modules,
    /// else the bundled one).
    #[arg(long, value_name = "FILE")]
    pub policy_file: Option<PathBuf>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    modules_checked: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
    /// With `--policy`: one page per path given.
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a [PolicyPage]>,
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
    let ctx = Context::for_author(chrono::Local::now().date_naive(), &regions, Some(terms));
    let options = PolicyOptions { file: args.policy_file.as_deref(), page: args.policy };
    let (mut diagnostics, checked, mut pages) = check_paths(&paths, &ctx, &options);
    if let Some(unpacked) = &unpacked {
        // Name built-in files as in the source tree, not by the temporary folder (whose first
        // level is `bundled-<digest>`).
        let built_in = |file: &mut PathBuf| {
            if let Ok(inside) = file.strip_prefix(unpacked.path()) {
                *file =
                    Path::new("(built in)/modules").join(inside.components().skip(1).collect::<PathBuf>());
            }
        };
        diagnostics.iter_mut().for_each(|d| built_in(&mut d.file));
        let listed = pages.iter_mut().flat_map(|p| p.acts.iter_mut().flat_map(|a| &mut a.choices));
        listed.for_each(|c| built_in(&mut c.file));
        pages.iter_mut().flat_map(|p| &mut p.unknown).for_each(|c| built_in(&mut c.file));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if args.json {
        let policy = args.policy.then_some(pages.as_slice());
        let report =
            JsonReport { modules_checked: checked, errors, warnings, diagnostics: &diagnostics, policy };
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("faro validate: cannot encode JSON: {e}"),
        }
    } else {
        for page in &pages {
            println!("{page}");
        }
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

/// Which safety policy the modules are checked against, and whether the policy page is made.
pub struct PolicyOptions<'a> {
    /// A policy file given on the command line, used for every path.
    pub file: Option<&'a Path>,
    /// Make the policy page, and warn about untagged choices in every module.
    pub page: bool,
}

/// Validates every module folder under `paths`, each with the `terms.ron` and `safety-policy.ron`
/// beside it if there are (else `ctx.terms` and the bundled policy, or `policy.file`); returns the
/// findings, how many modules were checked, and (with `policy.page`) one policy page per path.
pub fn check_paths(
    paths: &[PathBuf],
    ctx: &Context<'_>,
    policy: &PolicyOptions<'_>,
) -> (Vec<Diagnostic>, usize, Vec<PolicyPage>) {
    let mut out = Vec::new();
    let mut checked = 0;
    let mut pages = Vec::new();
    // A policy file given on the command line is read once; a broken one is reported once.
    let given = policy.file.map(|file| crate::load::load_policy(file).map_err(|d| out.push(d)).ok());
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
        let (rules, source) = policy_for(path, given.as_ref(), policy.file, &mut out);
        let check = PolicyCheck { policy: rules.as_deref(), review_untagged: policy.page };
        let mut page = match (&rules, policy.page) {
            (Some(p), true) => Some(PolicyPage::new(p, source)),
            _ => None,
        };
        for dir in dirs {
            checked += 1;
            let report = validate::check_dir_with_policy(&dir, &ctx, &check);
            if let (Some(page), Some(loaded)) = (&mut page, &report.module) {
                page.add(loaded);
            }
            out.extend(report.diagnostics);
        }
        pages.extend(page);
    }
    (out, checked, pages)
}

/// A policy: borrowed (bundled, or given once) or read beside one path; `None` when it could not
/// be read.
type Rules<'a> = Option<std::borrow::Cow<'a, SafetyPolicy>>;

/// The policy for the modules under `path`, and how the page names it: the one given on the
/// command line, else a `safety-policy.ron` beside the modules, else the bundled one. A policy
/// that cannot be read is reported (once, into `out`) and the modules are checked without it.
fn policy_for<'a>(
    path: &Path,
    given: Option<&'a Option<SafetyPolicy>>,
    file: Option<&Path>,
    out: &mut Vec<Diagnostic>,
) -> (Rules<'a>, String) {
    use std::borrow::Cow;
    if let (Some(given), Some(file)) = (given, file) {
        return (given.as_ref().map(Cow::Borrowed), file.display().to_string());
    }
    match crate::load::policy_beside(path) {
        Ok(Some(local)) => {
            let holder =
                if path.join(crate::load::MODULE_FILE).is_file() { path.parent() } else { Some(path) };
            let name = holder.map(|h| h.join(crate::load::POLICY_FILE)).unwrap_or_default();
            (Some(Cow::Owned(local)), name.display().to_string())
        }
        Ok(None) => match crate::bundled::policy() {
            Ok(bundled) => (Some(Cow::Borrowed(bundled)), crate::bundled::POLICY_NAME.to_owned()),
            Err(d) => {
                out.push(d);
                (None, crate::bundled::POLICY_NAME.to_owned())
            }
        },
        Err(d) => {
            out.push(d);
            (None, crate::load::POLICY_FILE.to_owned())
        }
    }
}
