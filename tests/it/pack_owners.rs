//! Modules belong to their publisher (issue 26, item 3c): a second publisher's pack that carries
//! a module id already installed from another key is refused, naming both publishers, unless the
//! person installing agrees (`--replace`, `InstallOptions::replace_other_publishers`).

use crate::common;

use std::path::{Path, PathBuf};

use common::pack::*;
use faro::data::DataDir;
use faro::pack::{self, BuildOptions, InstallOptions, PackError, PackId, SigningKey, TrustDecision};

/// Publisher A's pack `first` holding the minimal module, installed; publisher B's pack `second`
/// holding the same module id at a higher version, built but not installed.
struct TwoPublishers {
    root: tempfile::TempDir,
    data: DataDir,
    b_key: SigningKey,
    second: PathBuf,
}

fn build_as(dirs: &[PathBuf], key: &SigningKey, id: &str, version: &str, publisher: &str, out: &Path) {
    let options = BuildOptions { publisher: publisher.to_owned(), ..options(id, version) };
    pack::build(dirs, key, &BuildOptions { id: PackId::new(id).unwrap(), ..options }, out).unwrap();
}

impl TwoPublishers {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let data = DataDir::at(root.path().join("data"));
        let dirs = two_modules(&root.path().join("src"));
        let (a_key, b_key) = (pack::generate_key().unwrap(), pack::generate_key().unwrap());
        let first = root.path().join("first.faropack");
        build_as(&dirs[..1], &a_key, "first", "1.0.0", "Publisher A", &first);
        let trust_a = TrustDecision::Trust(a_key.verifying_key());
        pack::install(&data, &first, trust_a, &InstallOptions::default()).unwrap();
        // The same module id, at a higher version, under B's key and another pack id.
        let text = std::fs::read_to_string(dirs[0].join("module.ron")).unwrap();
        std::fs::write(
            dirs[0].join("module.ron"),
            text.replacen("version: \"1.0.0\"", "version: \"9.0.0\"", 1),
        )
        .unwrap();
        let second = root.path().join("second.faropack");
        build_as(&dirs[..1], &b_key, "second", "1.0.0", "Publisher B", &second);
        Self { root, data, b_key, second }
    }

    fn trust_b(&self) -> TrustDecision {
        TrustDecision::Trust(self.b_key.verifying_key())
    }
}

#[test]
fn another_publishers_module_id_is_refused_without_consent_and_nothing_changes() {
    let t = TwoPublishers::new();
    let before: Vec<_> = pack::installed(&t.data).into_iter().map(|p| p.unwrap().id).collect();
    let err = pack::install(&t.data, &t.second, t.trust_b(), &InstallOptions::default()).unwrap_err();
    let PackError::ReplacesPublisher { publisher, modules, .. } = &err else { panic!("{err}") };
    assert_eq!(publisher, "Publisher B");
    assert!(modules.contains("module \"minimal-example\" from publisher \"Publisher A\""), "{modules}");
    let message = err.to_string();
    assert!(message.contains("--replace") && message.contains("\"Publisher B\""), "{message}");
    let after: Vec<_> = pack::installed(&t.data).into_iter().map(|p| p.unwrap().id).collect();
    assert_eq!(before, after, "nothing installed");
    // B was not trusted by the refused install either.
    let store = pack::load_trust_store(&t.data).unwrap();
    assert!(!store.trusts(&t.b_key.verifying_key()));
}

#[test]
fn with_consent_the_replacement_installs_and_says_whose_module_it_replaced() {
    let t = TwoPublishers::new();
    let agreed = InstallOptions { replace_other_publishers: true, ..InstallOptions::default() };
    let report = pack::install(&t.data, &t.second, t.trust_b(), &agreed).unwrap();
    let [owned] = report.replaced_publishers.as_slice() else { panic!("{:?}", report.replaced_publishers) };
    assert_eq!((owned.module_id.as_str(), owned.publisher.as_str()), ("minimal-example", "Publisher A"));
    assert_eq!(owned.pack_id, "first");
}

#[test]
fn the_same_publisher_may_move_a_module_to_another_pack() {
    let root = tempfile::tempdir().unwrap();
    let data = DataDir::at(root.path().join("data"));
    let dirs = two_modules(&root.path().join("src"));
    let key = pack::generate_key().unwrap();
    let (first, second) = (root.path().join("first.faropack"), root.path().join("second.faropack"));
    build_as(&dirs[..1], &key, "first", "1.0.0", "Publisher A", &first);
    build_as(&dirs, &key, "second", "1.0.0", "Publisher A", &second);
    pack::install(&data, &first, TrustDecision::Trust(key.verifying_key()), &InstallOptions::default())
        .unwrap();
    let report = pack::install(&data, &second, TrustDecision::KnownOnly, &InstallOptions::default()).unwrap();
    assert!(report.replaced_publishers.is_empty());
}

#[test]
fn the_cli_refuses_naming_both_publishers_and_installs_with_replace() {
    let t = TwoPublishers::new();
    let data = t.data.root();
    let file = t.second.to_str().unwrap();
    let (code, stdout, stderr) = faro(data, &["pack", "install", file, "--yes"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    for expected in
        ["\"Publisher B\"", "module \"minimal-example\" from publisher \"Publisher A\"", "--replace"]
    {
        assert!(stderr.contains(expected), "{expected:?} in {stderr}");
    }
    assert!(!data.join("packs/second").exists());
    let (code, stdout, stderr) = faro(data, &["pack", "install", file, "--yes", "--replace"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("replaces module \"minimal-example\" of publisher \"Publisher A\""), "{stdout}");
    drop(t.root);
}
