//! Reading module files safely: size caps, UTF-8 checks, RON parsing with located errors.

pub mod footprint;
mod locate;
mod policy;
mod ron_errors;
pub mod syntax;

pub use locate::{Anchor, Locator, MapEntry, MapLiteral, map_literals};
pub use policy::{
    MAX_POLICY_ACTS, MAX_POLICY_FILE_BYTES, POLICY_FILE, load_policy, parse_policy, policy_beside,
};

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Position};
use crate::format::{Module, Regions, Terms};

/// The file name of a module inside its folder.
pub const MODULE_FILE: &str = "module.ron";

/// Module files larger than this are refused before parsing.
pub const MAX_MODULE_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Deepest nesting the parser accepts; real modules nest about a dozen levels.
const RECURSION_LIMIT: usize = 64;

/// A module file that parsed: its folder, its text (for locating ids) and its content.
#[derive(Clone, Debug)]
pub struct LoadedModule {
    /// The module's folder; media paths are relative to it.
    pub dir: PathBuf,
    /// The `module.ron` path, as given (used in diagnostics).
    pub file: PathBuf,
    pub source: String,
    pub module: Module,
}

impl LoadedModule {
    /// Finds where ids are written in the source, for precise diagnostics.
    pub fn locator(&self) -> Locator<'_> {
        Locator::new(&self.source)
    }
}

/// Reads `path` as UTF-8 text of at most `cap` bytes.
pub fn read_text_capped(path: &Path, cap: u64) -> Result<String, Diagnostic> {
    let fail = |msg: String| Diagnostic::error(path, Position::FILE, msg);
    let file = std::fs::File::open(path).map_err(|e| fail(format!("cannot open file: {e}")))?;
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).map_err(|e| fail(format!("cannot read file: {e}")))?;
    if bytes.len() as u64 > cap {
        return Err(fail(format!(
            "file is larger than the {} MiB limit; split it or remove embedded data",
            cap / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes());
        let prefix = text.get(..valid).unwrap_or("");
        let pos = Position::of_offset(prefix, prefix.len());
        Diagnostic::error(path, pos, "file is not valid UTF-8 text; save it as UTF-8")
    })
}

/// The RON options every Faro file is read with.
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(
            ron::extensions::Extensions::IMPLICIT_SOME | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
        )
        .with_recursion_limit(RECURSION_LIMIT)
}

/// The RON options for files Faro writes itself (progress, settings): no extensions, so what
/// the serializer writes always reads back.
pub fn data_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RECURSION_LIMIT)
}

/// Parses module text; errors carry the RON line and column.
pub fn parse_module(file: &Path, source: &str) -> Result<Module, Diagnostic> {
    ron_options().from_str(source).map_err(|e| ron_errors::to_diagnostic_in(file, source, &e))
}

/// Loads `dir/module.ron`.
pub fn load_module_dir(dir: &Path) -> Result<LoadedModule, Diagnostic> {
    let file = dir.join(MODULE_FILE);
    if !file.is_file() {
        return Err(Diagnostic::error(
            dir,
            Position::FILE,
            format!("no {MODULE_FILE} in this folder; a module folder holds {MODULE_FILE} and its media"),
        ));
    }
    let source = read_text_capped(&file, MAX_MODULE_FILE_BYTES)?;
    let module = parse_module(&file, &source)?;
    Ok(LoadedModule { dir: dir.to_owned(), file, source, module })
}

/// Module folders under `root`, sorted by name: `root` itself if it holds a module file,
/// otherwise each subfolder that does (a subfolder without one is reported by the caller).
pub fn module_dirs(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    if root.join(MODULE_FILE).is_file() {
        return Ok(vec![root.to_owned()]);
    }
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(root)?.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    Ok(dirs)
}

/// Loads the region profiles (`assets/regions.ron`).
pub fn load_regions(path: &Path) -> Result<Regions, Diagnostic> {
    let source = read_text_capped(path, MAX_MODULE_FILE_BYTES)?;
    ron_options().from_str(&source).map_err(|e| ron_errors::to_diagnostic(path, &e))
}

/// Parses region profiles from text (the app embeds the bundled file).
pub fn parse_regions(name: &Path, source: &str) -> Result<Regions, Diagnostic> {
    ron_options().from_str(source).map_err(|e| ron_errors::to_diagnostic(name, &e))
}

/// Terms files larger than this are refused before parsing: a real list is a few kilobytes.
pub const MAX_TERMS_FILE_BYTES: u64 = 256 * 1024;

/// Terms, contacts, numbers and addresses in a terms list: each text is compared with all of them,
/// so the list's size multiplies the cost of validating a module.
pub const MAX_TERMS_ENTRIES: usize = 500;

/// The name of the terms file, in the folder that holds the module folders.
pub const TERMS_FILE: &str = "terms.ron";

/// The `terms.ron` in the folder that holds the module folders given as `path` (`path` itself for a
/// folder of modules, its parent for one module folder), if there is one.
pub fn terms_beside(path: &Path) -> Result<Option<Terms>, Diagnostic> {
    let holder = if path.join(MODULE_FILE).is_file() { path.parent() } else { Some(path) };
    let Some(file) = holder.map(|h| h.join(TERMS_FILE)) else { return Ok(None) };
    if !file.is_file() {
        return Ok(None);
    }
    load_terms(&file).map(Some)
}

/// Loads a terms list (`terms.ron`).
pub fn load_terms(path: &Path) -> Result<Terms, Diagnostic> {
    let source = read_text_capped(path, MAX_TERMS_FILE_BYTES)?;
    parse_terms(path, &source)
}

/// Parses a terms list from text (the bundled one is embedded), refusing one above the size cap.
pub fn parse_terms(name: &Path, source: &str) -> Result<Terms, Diagnostic> {
    if source.len() as u64 > MAX_TERMS_FILE_BYTES {
        let message =
            format!("file is larger than the {} KiB limit for a terms list", MAX_TERMS_FILE_BYTES / 1024);
        return Err(Diagnostic::error(name, Position::FILE, message));
    }
    let terms: Terms = ron_options().from_str(source).map_err(|e| ron_errors::to_diagnostic(name, &e))?;
    let entries = terms.discouraged.len()
        + terms.also_known.iter().map(|k| 1 + k.phones.len() + k.sms.len() + k.urls.len()).sum::<usize>();
    if entries > MAX_TERMS_ENTRIES {
        let message = format!(
            "{entries} entries, more than the limit of {}: every text is compared with each of them",
            MAX_TERMS_ENTRIES
        );
        return Err(Diagnostic::error(name, Position::FILE, message));
    }
    Ok(terms)
}
