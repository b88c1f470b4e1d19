//! Modules belong to their publisher. A module id already installed from one publisher's key is
//! replaced by a pack signed with another key only when the person installing agrees
//! (`--replace`, or the app's confirmation naming both publishers), as for a module that comes
//! with Faro. Without this, any trusted publisher could ship another's module id at a higher
//! version and silently take its place, with the learners' progress and records (issue 26).

use ed25519_dalek::VerifyingKey;

use super::PackError;
use super::manifest::Manifest;
use super::store::{InstalledPack, installed_ids, read_installed};
use crate::data::DataDir;

/// A module of the offered pack that another publisher's installed pack already carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedModule {
    /// The module id both packs carry.
    pub module_id: String,
    /// The installed pack that carries it, and who signed that pack.
    pub pack_id: String,
    pub pack_title: String,
    pub publisher: String,
    pub fingerprint: String,
}

/// The modules of `manifest` (signed by `signer`) that installed packs signed with another key
/// carry, in manifest order. Packs that cannot be read are left out: a damaged pack's modules
/// cannot be opened, so there is nothing of it to take over.
pub fn modules_of_other_publishers(
    data: &DataDir,
    manifest: &Manifest,
    signer: &VerifyingKey,
) -> Result<Vec<OwnedModule>, PackError> {
    let others: Vec<InstalledPack> = installed_ids(data)?
        .iter()
        .filter_map(|id| read_installed(data, id).ok().flatten())
        .filter(|pack| &pack.public_key != signer)
        // The same pack id from another key is refused outright (`PackError::KeyChanged`).
        .filter(|pack| pack.id != manifest.id)
        .collect();
    let mut out = Vec::new();
    for module in &manifest.modules {
        // One line per module is enough to say who owns it.
        if let Some(pack) = others.iter().find(|p| p.manifest.modules.iter().any(|m| m.id == module.id)) {
            out.push(OwnedModule {
                module_id: module.id.clone(),
                pack_id: pack.id.as_str().to_owned(),
                pack_title: pack.title.clone(),
                publisher: pack.publisher.clone(),
                fingerprint: pack.fingerprint.to_string(),
            });
        }
    }
    Ok(out)
}

/// "module \"x\" from \"Publisher A\" (key …, pack \"Title\")", joined with "; ", for messages.
pub fn describe_owned(modules: &[OwnedModule]) -> String {
    modules
        .iter()
        .map(|m| {
            format!(
                "module \"{}\" from publisher \"{}\" (key {}, pack \"{}\")",
                m.module_id, m.publisher, m.fingerprint, m.pack_title
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
