//! `faro translate`: a module's texts out to a gettext PO file for translators, and back.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostic::Diagnostic;
use crate::translate;
use crate::validate::Context;

/// Arguments of `faro translate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: TranslateCommand,
}

/// What `faro translate` does.
#[derive(Debug, clap::Subcommand)]
pub enum TranslateCommand {
    /// Write a PO file of a module's texts for a translator (Poedit, Weblate, any gettext tool).
    ///
    /// msgctxt is where the text is (a path of ids), msgid its English, msgstr its translation
    /// (filled in when the module has one; fuzzy when its English changed since). Untranslated
    /// and fuzzy texts are listed. Exit status: 0 written, 1 the module does not load or the file
    /// cannot be written, 2 usage errors.
    Export {
        /// The module folder.
        dir: PathBuf,
        /// The language to translate into, e.g. fr (French) or ht (Haitian Creole).
        #[arg(long, value_name = "LANG")]
        lang: String,
        /// The PO file to write; `-` writes to standard output.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Bring a translated PO file back into the module's module.ron.
    ///
    /// Each translation is written beside the text's other languages; comments and layout stay.
    /// Fuzzy and untranslated entries are listed and not imported. A file with a syntax error,
    /// an unknown or repeated msgctxt, another module's texts or a broken header is refused with
    /// file:line, and nothing is written. Exit status: 0 imported, 1 refused, 2 usage errors.
    Import {
        /// The module folder.
        dir: PathBuf,
        /// The translated PO file.
        po: PathBuf,
        /// The language of the file (default: its `Language:` header).
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
    },
}

/// Runs `faro translate`.
pub fn run(args: &Args) -> ExitCode {
    match &args.command {
        TranslateCommand::Export { dir, lang, out } => export(dir, lang, out),
        TranslateCommand::Import { dir, po, lang } => import(dir, po, lang.as_deref()),
    }
}

fn export(dir: &Path, lang: &str, out: &Path) -> ExitCode {
    if let Err(why) = translate::check_language(lang) {
        eprintln!("faro translate export: {why}");
        return ExitCode::from(2);
    }
    if !dir.exists() {
        eprintln!("faro translate export: {}: no such file or folder", dir.display());
        return ExitCode::from(2);
    }
    let export = match translate::export_dir(dir, lang) {
        Ok(export) => export,
        Err(problems) => return refused("export", &problems),
    };
    let written = if out == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(export.po.as_bytes()).and_then(|()| stdout.flush()).map_err(|e| {
            eprintln!("faro translate export: cannot write to standard output: {e}");
        })
    } else {
        translate::write_po(out, &export.po).map_err(|problems| {
            for p in problems {
                eprintln!("{p}");
            }
        })
    };
    if written.is_err() {
        return ExitCode::from(1);
    }
    eprint!("faro translate export: {}", export.summary.describe("translated"));
    if out != Path::new("-") {
        eprintln!("faro translate export: wrote {}", out.display());
    }
    ExitCode::SUCCESS
}

fn import(dir: &Path, po: &Path, lang: Option<&str>) -> ExitCode {
    if let Some(Err(why)) = lang.map(translate::check_language) {
        eprintln!("faro translate import: {why}");
        return ExitCode::from(2);
    }
    for path in [dir, po] {
        if !path.exists() {
            eprintln!("faro translate import: {}: no such file or folder", path.display());
            return ExitCode::from(2);
        }
    }
    let regions = match crate::bundled::regions() {
        Ok(regions) => regions,
        Err(d) => return refused("import", &[d]),
    };
    let mut ctx = Context::for_library(chrono::Local::now().date_naive(), &regions);
    let local_terms = match crate::load::terms_beside(dir) {
        Ok(terms) => terms,
        Err(d) => return refused("import", &[d]),
    };
    ctx.terms = local_terms.as_ref().or(ctx.terms);
    match translate::import(dir, po, lang, &ctx) {
        Ok(imported) => {
            let plan = &imported.plan;
            eprint!("faro translate import: {}", plan.summary.describe("translated"));
            eprintln!(
                "faro translate import: {} text(s) written in \"{}\" to {}",
                plan.changed,
                plan.lang,
                dir.join(crate::load::MODULE_FILE).display()
            );
            if plan.language_added {
                eprintln!(
                    "faro translate import: every text now has \"{}\": added it to the module's languages",
                    plan.lang
                );
            } else if imported.warnings > 0 {
                eprintln!(
                    "faro translate import: \"{}\" is not complete yet, so it is not in the module's languages; faro validate gives {} warning(s)",
                    plan.lang, imported.warnings
                );
            }
            ExitCode::SUCCESS
        }
        Err(refusal) if refusal.written => {
            for p in &refusal.problems {
                eprintln!("{p}");
            }
            ExitCode::from(1)
        }
        Err(refusal) => refused("import", &refusal.problems),
    }
}

fn refused(what: &str, problems: &[Diagnostic]) -> ExitCode {
    for p in problems {
        eprintln!("{p}");
    }
    eprintln!("faro translate {what}: nothing was written");
    ExitCode::from(1)
}
