//! The module contents on this computer, found by the content hash a record carries.
//!
//! A record names the exact content the learner took by its hash, not its texts. Exports that
//! need the texts (xAPI interaction definitions) look the content up here: only a module folder
//! with the very same hash is used, so a text is never taken from another edition.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use super::{Problem, content_hash};
use crate::format::Module;

/// Modules by content hash.
#[derive(Clone, Debug, Default)]
pub struct ModuleIndex {
    by_hash: HashMap<String, Module>,
}

impl ModuleIndex {
    /// Reads the module folders under `roots` (each a module folder or a folder of them) and
    /// hashes those whose id is in `wanted` (hashing reads every file, so other modules are
    /// skipped). Folders that cannot be read are returned, for a caller that needs to explain a
    /// module it did not find.
    pub fn load(roots: &[PathBuf], wanted: &BTreeSet<String>) -> (ModuleIndex, Vec<Problem>) {
        let mut index = ModuleIndex::default();
        let mut problems = Vec::new();
        let problem =
            |path: &PathBuf, message: String| Problem { path: path.clone(), message, kept_at: None };
        for root in roots {
            let dirs = match crate::load::module_dirs(root) {
                Ok(dirs) => dirs,
                Err(e) => {
                    problems.push(problem(root, format!("cannot list module folders: {e}")));
                    continue;
                }
            };
            for dir in dirs {
                let module = match crate::load::load_module_dir(&dir) {
                    Ok(loaded) => loaded.module,
                    Err(d) => {
                        problems.push(problem(&dir, d.message));
                        continue;
                    }
                };
                if !wanted.contains(&module.id) {
                    continue;
                }
                match content_hash(&dir) {
                    Ok(hash) => index.insert(hash, module),
                    Err(e) => problems.push(problem(&dir, e.to_string())),
                }
            }
        }
        (index, problems)
    }

    /// Adds a module under its content hash.
    pub fn insert(&mut self, content_hash: String, module: Module) {
        self.by_hash.insert(content_hash, module);
    }

    /// The module whose folder has this content hash.
    pub fn get(&self, content_hash: &str) -> Option<&Module> {
        self.by_hash.get(content_hash)
    }

    /// The module whose folder has this content hash, with the hash as this index holds it.
    pub fn get_entry(&self, content_hash: &str) -> Option<(&str, &Module)> {
        self.by_hash.get_key_value(content_hash).map(|(hash, module)| (hash.as_str(), module))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "tests/fixtures/good/minimal";

    fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    #[test]
    fn finds_a_module_by_its_exact_content_only() {
        let hash = content_hash(std::path::Path::new(MINIMAL)).unwrap();
        let wanted = BTreeSet::from(["minimal-example".to_owned()]);
        let (index, problems) = ModuleIndex::load(&[PathBuf::from("tests/fixtures/good")], &wanted);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(index.get(&hash).map(|m| m.id.as_str()), Some("minimal-example"));

        let copy = tempfile::tempdir().unwrap();
        copy_dir(std::path::Path::new(MINIMAL), copy.path());
        std::fs::write(copy.path().join("notes.txt"), "an edit").unwrap();
        let (index, _) = ModuleIndex::load(&[copy.path().to_owned()], &wanted);
        assert!(index.get(&hash).is_none(), "an edited copy is another content");

        let (index, _) = ModuleIndex::load(&[PathBuf::from(MINIMAL)], &BTreeSet::new());
        assert!(index.get(&hash).is_none(), "modules no record needs are not hashed");
    }
}
