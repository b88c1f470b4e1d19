//! Packs in the viewer: a pack dropped on the window asks to trust a new publisher by its
//! fingerprint, installs, and its module appears in the library; an update tells the learner
//! which modules changed and keeps progress on the others.

mod common;

use common::{click, settle};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::World;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use faro::app::FaroApp;
use faro::pack::{BuildOptions, PackId};

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(h: &mut Harness<'_, FaroApp>, path: &Path) {
    h.input_mut().dropped_files.push(Arc::new(Dropped(path.to_owned())));
    settle(h);
}

/// Builds a pack holding copies of the given fixture modules.
fn build_pack(key: &faro::pack::SigningKey, modules: &[PathBuf], version: &str, out: &Path) {
    let options = BuildOptions {
        id: PackId::new("border-extra").unwrap(),
        version: semver::Version::parse(version).unwrap(),
        title: "Border extra".into(),
        publisher: "Shelter network".into(),
        created: chrono::Utc::now(),
    };
    faro::pack::build(modules, key, &options, out).unwrap();
}

fn copy_module(from: &str, to: &Path, id: &str, title_suffix: &str) -> PathBuf {
    std::fs::create_dir_all(to.join("images")).unwrap();
    let text = std::fs::read_to_string(Path::new(from).join("module.ron")).unwrap();
    let text = text
        .replace("id: \"minimal-example\"", &format!("id: \"{id}\""))
        .replace("\"A minimal example\"", &format!("\"A minimal example{title_suffix}\""));
    std::fs::write(to.join("module.ron"), text).unwrap();
    std::fs::copy(Path::new(from).join("images/figure.png"), to.join("images/figure.png")).unwrap();
    to.to_owned()
}

#[test]
fn a_dropped_pack_is_trusted_by_fingerprint_installed_and_updated() {
    let world = World::with_fixtures(&[]);
    let work = tempfile::tempdir().unwrap();
    let key = faro::pack::generate_key().unwrap();
    let fingerprint = faro::pack::Fingerprint::of(&key.verifying_key()).to_string();
    let a = copy_module("tests/fixtures/good/minimal", &work.path().join("v1/a"), "pack-a", " A");
    let b = copy_module("tests/fixtures/good/minimal", &work.path().join("v1/b"), "pack-b", " B");
    let v1 = work.path().join("border-v1.faropack");
    build_pack(&key, &[a.clone(), b.clone()], "1.0.0", &v1);

    let mut h = world.launch();
    h.get_by_label("Your name").focus();
    h.get_by_label("Your name").type_text("Ana");
    settle(&mut h);
    click(&mut h, "Create profile");
    drop_file(&mut h, &v1);
    // A new publisher: the fingerprint is shown and nothing is installed until the person agrees.
    h.get_by_label(&fingerprint);
    h.get_by_label_contains("Compare this fingerprint with the one your coordinator gave you");
    assert!(h.query_by_label("Start: A minimal example A").is_none());
    click(&mut h, "The fingerprints match: trust and install");
    h.get_by_label_contains("Installed \"Border extra\" 1.0.0.");
    h.get_by_label_contains(&format!("Pack \"Border extra\" 1.0.0 from Shelter network (key {fingerprint})"));

    // Progress on both modules.
    for title in ["A minimal example A", "A minimal example B"] {
        click(&mut h, &format!("Start: {title}"));
        click(&mut h, "I am ready, continue");
        click(&mut h, "Next");
        click(&mut h, "Take a break");
    }

    // Version 2 changes module B only; from the now-trusted publisher it installs without asking.
    let b2 = copy_module("tests/fixtures/good/minimal", &work.path().join("v2/b"), "pack-b", " B, revised");
    let v2 = work.path().join("border-v2.faropack");
    build_pack(&key, &[a, b2], "2.0.0", &v2);
    drop_file(&mut h, &v2);
    h.get_by_label_contains("Installed \"Border extra\" 2.0.0. These modules changed: pack-b.");
    h.get_by_label("Continue: A minimal example A");
    h.get_by_label("Start: A minimal example B, revised");

    h.get_by_label("Remove pack Border extra").scroll_to_me();
    settle(&mut h);
    click(&mut h, "Remove pack Border extra");
    assert!(h.query_by_label("Continue: A minimal example A").is_none(), "{:?}", h.state().notices);
}
