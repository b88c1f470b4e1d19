//! Bundled modules are Faro's own. A pack that carries a module with the id of a bundled module
//! would replace it, and learners' progress and records for that module would then refer to the
//! publisher's content; so it is installed only when the person installing agrees
//! (`--replace-bundled`, or the app's confirmation), and that consent is kept with the installed
//! pack (`.replaces-bundled.ron`), where the library looks for it (issue 17).

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::PackError;
use super::manifest::Manifest;
use crate::bundled::BundledModule;

/// The consent file's name inside an installed pack's folder (a dotfile beside the manifest, so
/// it is never taken for a module or a pack).
pub const REPLACEMENT_CONSENT_NAME: &str = ".replaces-bundled.ron";

/// The consent lists a few module ids; anything larger is not ours.
const MAX_CONSENT_BYTES: u64 = 64 * 1024;

/// What the person installing accepted: these bundled modules may be replaced by the pack's.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplacementConsent {
    /// Module ids of bundled modules.
    modules: Vec<String>,
    accepted_at: DateTime<Utc>,
}

/// The bundled modules that `manifest`'s modules would replace, in manifest order.
pub fn bundled_modules_in(manifest: &Manifest) -> Vec<BundledModule> {
    let bundled = crate::bundled::modules();
    manifest.modules.iter().filter_map(|listed| bundled.iter().find(|b| b.id == listed.id)).cloned().collect()
}

/// "“What trafficking is” (what-is-trafficking)", joined with commas, for messages.
pub fn describe_bundled(modules: &[BundledModule]) -> String {
    modules
        .iter()
        .map(|m| format!("\u{201c}{}\u{201d} ({})", m.title.get("en"), m.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Records in the (staged) pack folder `pack_root` that `modules` may be replaced.
pub(crate) fn write_consent(
    pack_root: &Path,
    modules: &[BundledModule],
    now: DateTime<Utc>,
) -> Result<(), PackError> {
    let consent =
        ReplacementConsent { modules: modules.iter().map(|m| m.id.clone()).collect(), accepted_at: now };
    Ok(crate::data::store::save_ron(&pack_root.join(REPLACEMENT_CONSENT_NAME), &consent)?)
}

/// The bundled module ids the installed pack in `pack_dir` may replace. No file, or one that
/// cannot be read, is no consent: the bundled modules stay in use, and the library says how to
/// accept the replacement.
pub(crate) fn read_consent(pack_dir: &Path) -> Vec<String> {
    let path = pack_dir.join(REPLACEMENT_CONSENT_NAME);
    if !path.is_file() {
        return Vec::new();
    }
    let Ok(text) = crate::load::read_text_capped(&path, MAX_CONSENT_BYTES) else { return Vec::new() };
    crate::load::data_options()
        .from_str::<ReplacementConsent>(&text)
        .map(|consent| consent.modules)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_round_trips_and_damage_means_no_consent() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_consent(dir.path()).is_empty(), "no file: no consent");
        let bundled = crate::bundled::modules()[..1].to_vec();
        write_consent(dir.path(), &bundled, Utc::now()).unwrap();
        assert_eq!(read_consent(dir.path()), vec![bundled[0].id.clone()]);
        std::fs::write(dir.path().join(REPLACEMENT_CONSENT_NAME), "(modules: [\"x\"], extra: 1)").unwrap();
        assert!(read_consent(dir.path()).is_empty(), "a damaged file is no consent");
    }

    #[test]
    fn describes_modules_by_title_and_id() {
        let first = crate::bundled::modules().iter().find(|m| m.id == "what-is-trafficking").unwrap();
        assert_eq!(
            describe_bundled(std::slice::from_ref(first)),
            "\u{201c}What trafficking is\u{201d} (what-is-trafficking)"
        );
    }
}
