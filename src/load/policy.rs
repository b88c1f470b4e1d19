//! Reading the safety policy (`safety-policy.ron`): the bundled one, or one beside the modules.

use std::collections::HashSet;
use std::path::Path;

use super::{Anchor, Locator, MODULE_FILE, read_text_capped, ron_errors, ron_options};
use crate::diagnostic::{Diagnostic, Position};
use crate::format::SafetyPolicy;

/// Policy files larger than this are refused before parsing: the real one is a few kilobytes.
pub const MAX_POLICY_FILE_BYTES: u64 = 256 * 1024;

/// Acts in one policy: every choice's act is looked up among them, and the policy page lists
/// them all, so a policy made to be huge must not make validation or the page huge.
pub const MAX_POLICY_ACTS: usize = 500;

/// The name of the policy file, in the folder that holds the module folders.
pub const POLICY_FILE: &str = "safety-policy.ron";

/// The `safety-policy.ron` in the folder that holds the module folders given as `path` (`path`
/// itself for a folder of modules, its parent for one module folder), if there is one.
pub fn policy_beside(path: &Path) -> Result<Option<SafetyPolicy>, Diagnostic> {
    let holder = if path.join(MODULE_FILE).is_file() { path.parent() } else { Some(path) };
    let Some(file) = holder.map(|h| h.join(POLICY_FILE)) else { return Ok(None) };
    if !file.is_file() {
        return Ok(None);
    }
    load_policy(&file).map(Some)
}

/// Loads a policy file; a missing file is an error naming it.
pub fn load_policy(path: &Path) -> Result<SafetyPolicy, Diagnostic> {
    let source = read_text_capped(path, MAX_POLICY_FILE_BYTES)?;
    parse_policy(path, &source)
}

/// Parses a policy from text (the bundled one is embedded): RON errors at their line and column,
/// then too many acts, an empty act id or one listed twice, located at the id.
pub fn parse_policy(name: &Path, source: &str) -> Result<SafetyPolicy, Diagnostic> {
    if source.len() as u64 > MAX_POLICY_FILE_BYTES {
        let message =
            format!("file is larger than the {} KiB limit for a safety policy", MAX_POLICY_FILE_BYTES / 1024);
        return Err(Diagnostic::error(name, Position::FILE, message));
    }
    let policy: SafetyPolicy =
        ron_options().from_str(source).map_err(|e| ron_errors::to_diagnostic(name, &e))?;
    let loc = Locator::new(source);
    if policy.acts.len() > MAX_POLICY_ACTS {
        let at = loc.position(loc.field(Anchor(0), "acts").unwrap_or_default());
        let message = format!("{} acts, more than the limit of {MAX_POLICY_ACTS}", policy.acts.len());
        return Err(Diagnostic::error(name, at, message));
    }
    let mut seen = HashSet::new();
    let mut after = Anchor(0);
    for act in &policy.acts {
        let at = loc.id(after, &act.id);
        after = at;
        let problem = if !crate::validate::is_valid_module_id(&act.id) {
            Some(format!("act id \"{}\" must be non-empty and use only a-z, 0-9 and -", act.id))
        } else if !seen.insert(act.id.as_str()) {
            Some(format!("act \"{}\" is listed twice: an act has one class for the whole course", act.id))
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(Diagnostic::error(name, loc.position(at), message));
        }
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> Result<SafetyPolicy, String> {
        parse_policy(Path::new("safety-policy.ron"), source).map_err(|d| d.to_string())
    }

    const ONE: &str = r#"SafetyPolicy(acts: [
    Act(id: "call-911", class: Safe, name: {"en": "Call 911"}, facts: "FACTS §4"),
])"#;

    #[test]
    fn a_policy_parses() {
        let policy = parse(ONE).unwrap();
        assert_eq!(policy.class_of("call-911"), Some(crate::format::ActClass::Safe));
        assert_eq!(policy.class_of("call-912"), None);
    }

    #[test]
    fn an_unknown_class_is_located_with_the_classes_to_choose_from() {
        let err = parse(&ONE.replace("class: Safe", "class: Sfe")).unwrap_err();
        assert!(
            err.starts_with("safety-policy.ron:2:32: error: unknown variant \"Sfe\" in ActClass"),
            "{err}"
        );
        assert!(err.contains("did you mean \"Safe\"?"), "{err}");
        assert!(err.contains("Critical, Disqualifying, Detour, Safe"), "{err}");
    }

    #[test]
    fn malformed_and_unknown_fields_are_located() {
        let err = parse(&ONE.replace("facts:", "fact:")).unwrap_err();
        assert!(err.starts_with("safety-policy.ron:2:"), "{err}");
        assert!(err.contains("unknown field \"fact\""), "{err}");
        let err = parse("SafetyPolicy(acts: [\n    Act(id: \"x\",\n").unwrap_err();
        assert!(err.starts_with("safety-policy.ron:2:17: error: unexpected end of file"), "{err}");
    }

    #[test]
    fn an_act_listed_twice_is_located_at_the_second() {
        let twice = ONE.replace("])", "    Act(id: \"call-911\", class: Detour, name: {}, facts: \"\"),\n])");
        let err = parse(&twice).unwrap_err();
        assert!(err.starts_with("safety-policy.ron:3:13: error: act \"call-911\" is listed twice"), "{err}");
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = load_policy(&dir.path().join(POLICY_FILE)).unwrap_err();
        assert!(err.is_error());
        assert!(err.to_string().contains("safety-policy.ron: error: cannot open file"), "{err}");
    }

    #[test]
    fn a_policy_beside_the_modules_is_found_from_the_folder_or_a_module() {
        let dir = tempfile::tempdir().unwrap();
        let module = dir.path().join("m");
        std::fs::create_dir(&module).unwrap();
        std::fs::write(module.join(MODULE_FILE), "x").unwrap();
        assert_eq!(policy_beside(dir.path()).unwrap(), None);
        std::fs::write(dir.path().join(POLICY_FILE), ONE).unwrap();
        for path in [dir.path(), module.as_path()] {
            let found = policy_beside(path).unwrap().unwrap();
            assert_eq!(found.acts.len(), 1);
        }
        std::fs::write(dir.path().join(POLICY_FILE), "SafetyPolicy(acts: [").unwrap();
        assert!(policy_beside(dir.path()).is_err());
    }

    #[test]
    fn a_huge_policy_is_refused() {
        let acts: String = (0..=MAX_POLICY_ACTS)
            .map(|i| format!("Act(id: \"a{i}\", class: Safe, name: {{}}, facts: \"\"),"))
            .collect();
        let err = parse(&format!("SafetyPolicy(acts: [{acts}])")).unwrap_err();
        assert!(err.contains("more than the limit of 500"), "{err}");
    }
}
