//! Packs in the viewer: a pack dropped on the window asks to trust a new publisher by its
//! fingerprint, installs, and its module appears in the library; an update tells the learner
//! which modules changed and keeps progress on the others. Installed packs load off the UI
//! thread, and a pack that would replace a module that comes with Faro asks first.

use crate::common;

use common::{click, settle};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::{Dropped, World, harness};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use faro::app::{FaroApp, LoadGate};
use faro::data::DataDir;
use faro::pack::{BuildOptions, InstallOptions, PackId, TrustDecision};
use faro::progress::Profiles;

fn drop_file(h: &mut Harness<'_, FaroApp>, path: &Path) {
    h.input_mut().dropped_files.push(Arc::new(Dropped(path.to_owned())));
    settle(h);
}

/// Drops a file and draws the frames that follow, without waiting for an install to end.
fn drop_file_without_settling(h: &mut Harness<'_, FaroApp>, path: &Path) {
    h.input_mut().dropped_files.push(Arc::new(Dropped(path.to_owned())));
    h.run();
}

/// Builds a pack holding copies of the given fixture modules.
fn build_pack(key: &faro::pack::SigningKey, modules: &[PathBuf], version: &str, out: &Path) {
    build_pack_with_id(key, modules, "border-extra", version, out);
}

fn build_pack_with_id(
    key: &faro::pack::SigningKey,
    modules: &[PathBuf],
    id: &str,
    version: &str,
    out: &Path,
) {
    let options = BuildOptions {
        id: PackId::new(id).unwrap(),
        version: semver::Version::parse(version).unwrap(),
        title: "Border extra".into(),
        publisher: "Shelter network".into(),
        created: chrono::Utc::now(),
    };
    faro::pack::build(modules, key, &options, out).unwrap();
}

/// A valid module "A long walk": six scenarios, each a chain of `nodes` nodes (the structural
/// limit is 1000 per scenario), from the hostile-module generator.
fn write_long_module(dir: &Path, nodes: usize) {
    use common::hostile_modules::{IdStyle, chain, module_titled, next_in};
    std::fs::create_dir_all(dir).unwrap();
    let walks: Vec<String> =
        (0..6).map(|k| chain(&format!("walk-{k}"), nodes, IdStyle::Plain, &next_in(nodes))).collect();
    std::fs::write(dir.join("module.ron"), module_titled("long-walk", "A long walk", &walks)).unwrap();
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
    assert!(h.query_by_label("Continue: A minimal example A").is_none(), "{:?}", h.state().shared.notices);
}

/// Issue 17: the first frame does not wait for installed packs. The loading of installed packs is
/// held (a test hook) while the first frames are drawn: the library is there, with its
/// folder module and a line saying installed modules are being checked, and the window is idle.
/// Released, the pack's large module joins the library, its card naming the publisher.
#[test]
fn the_first_frame_shows_the_library_while_a_pack_with_a_large_module_loads() {
    let world = World::with_fixtures(&["good/minimal"]);
    let work = tempfile::tempdir().unwrap();
    let long = work.path().join("long-walk");
    write_long_module(&long, 900);
    assert!(std::fs::metadata(long.join("module.ron")).unwrap().len() > 500_000);
    let key = faro::pack::generate_key().unwrap();
    let file = work.path().join("long.faropack");
    build_pack_with_id(&key, &[long], "long-walk-pack", "1.0.0", &file);
    let data = DataDir::at(world.data.path().to_owned());
    let trust = TrustDecision::Trust(key.verifying_key());
    faro::pack::install(&data, &file, trust, &InstallOptions::default()).unwrap();
    returning_learner(&data);

    let gate = LoadGate::default();
    let mut config = world.config();
    config.installed_load_gate = Some(gate.clone());
    let mut h = harness(FaroApp::new(config));
    h.get_by_label("Start: A minimal example");
    h.get_by_label("Checking installed modules…");
    assert!(h.query_by_label("Start: A long walk").is_none());
    // Nothing asks for frames while waiting: an idle window stays idle.
    assert!(h.try_run().is_ok());
    assert!(h.state().checking_installed());

    gate.release();
    settle(&mut h);
    h.get_by_label("Start: A long walk");
    h.get_by_label_contains("From Shelter network");
    h.get_by_label("Start: A minimal example");
    assert!(h.query_by_label("Checking installed modules…").is_none());
}

/// Installed packs that arrive while a module is open join the library only when the learner
/// is back in it: the cards are addressed by their place in the list.
#[test]
fn installed_packs_join_the_library_when_the_learner_leaves_the_module() {
    let world = World::with_fixtures(&["good/minimal"]);
    let work = tempfile::tempdir().unwrap();
    let key = faro::pack::generate_key().unwrap();
    let a = copy_module("tests/fixtures/good/minimal", &work.path().join("a"), "pack-a", " A");
    let file = work.path().join("a.faropack");
    build_pack(&key, &[a], "1.0.0", &file);
    let data = DataDir::at(world.data.path().to_owned());
    let trust = TrustDecision::Trust(key.verifying_key());
    faro::pack::install(&data, &file, trust, &InstallOptions::default()).unwrap();

    returning_learner(&data);

    let gate = LoadGate::default();
    let mut config = world.config();
    config.installed_load_gate = Some(gate.clone());
    let mut h = harness(FaroApp::new(config));
    let before = h.state().shared.entries.len();
    // `settle` waits for installed packs too, which do not arrive while the module is open.
    let settle_module = |h: &mut Harness<'_, FaroApp>| {
        for _ in 0..200 {
            if h.try_run().is_ok() && !h.state().images_pending() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the module did not settle");
    };
    h.get_by_label("Start: A minimal example").click();
    settle_module(&mut h);
    gate.release();
    std::thread::sleep(std::time::Duration::from_millis(300));
    settle_module(&mut h);
    assert!(h.state().checking_installed(), "not taken while the module is open");
    assert_eq!(h.state().shared.entries.len(), before);
    h.get_by_label("I am ready, continue").click();
    settle_module(&mut h);
    h.get_by_label("Take a break").click();
    settle(&mut h);
    assert!(!h.state().checking_installed());
    h.get_by_label("Start: A minimal example A");
}

/// Saves a learner profile as last used, so Faro opens on the library.
fn returning_learner(data: &DataDir) {
    let mut profiles = Profiles::default();
    let ana = profiles.add("Ana").unwrap();
    profiles.last_used = Some(ana.id);
    data.save_profiles(&profiles).unwrap();
}

/// Issue 17: a pack carrying a module that comes with Faro asks before replacing it, in a
/// dialog whose Cancel has the focus; once agreed, the library takes the pack's module and its
/// card says whose it is.
#[test]
fn replacing_a_module_that_comes_with_faro_asks_first() {
    let world = World::with_fixtures(&[]);
    let data = DataDir::at(world.data.path().to_owned());
    let mut config = world.config();
    config.module_folders = vec![faro::locations::ModuleFolder {
        source: faro::locations::ModuleSource::Bundled,
        dir: faro::locations::unpack_bundled(&data).unwrap(),
    }];
    let work = tempfile::tempdir().unwrap();
    let ours = work.path().join("what-is-trafficking");
    common::copy_dir(Path::new("modules/01-what-is-trafficking"), &ours);
    let text = std::fs::read_to_string(ours.join("module.ron")).unwrap();
    let text = text.replacen("version: \"1.0.2\"", "version: \"9.0.0\"", 1).replacen(
        "\"What trafficking is\"",
        "\"What trafficking is (shelter edition)\"",
        1,
    );
    std::fs::write(ours.join("module.ron"), text).unwrap();
    let key = faro::pack::generate_key().unwrap();
    let file = work.path().join("lookalike.faropack");
    build_pack(&key, &[ours], "1.0.0", &file);

    let mut h = harness(FaroApp::new(config));
    common::create_learner(&mut h, "Ana", "Your name", "Create profile");
    settle(&mut h);
    h.get_by_label("Start: What trafficking is");

    // The trust question says what is coming; the dialog names the module, the publisher and
    // what happens to progress and records; Enter alone cancels.
    drop_file(&mut h, &file);
    h.get_by_label_contains("This pack also replaces \u{201c}What trafficking is\u{201d}");
    trust_pending(&mut h);
    h.get_by_label("Replace a module that comes with Faro?");
    h.get_by_label_contains(
        "from Shelter network carries its own version of \u{201c}What trafficking is\u{201d}",
    );
    h.get_by_label_contains(
        "progress and completion records for that module will then refer to the publisher's",
    );
    assert!(h.get_by_label("Cancel").is_focused(), "Cancel is the default");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert!(h.query_by_label("Replace a module that comes with Faro?").is_none());
    assert!(faro::pack::installed(&data).is_empty(), "nothing installed");
    assert!(!faro::pack::trust_store_path(&data).exists(), "nor the publisher trusted");

    // Again, this time agreeing, with the keyboard.
    drop_file(&mut h, &file);
    trust_pending(&mut h);
    h.key_press(egui::Key::Tab);
    h.run();
    assert!(h.get_by_label("Replace Faro's module").is_focused());
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h.get_by_label_contains("It replaces \u{201c}What trafficking is\u{201d}, which came with Faro.");
    h.get_by_label("Start: What trafficking is (shelter edition)");
    h.get_by_label_contains("From Shelter network");
    h.get_by_label("Replaces the module that comes with Faro");
    assert!(h.query_by_label("Start: What trafficking is").is_none(), "Faro's own is not offered too");

    // In Spanish, the same dialog.
    click(&mut h, "Español");
    drop_file(&mut h, &file);
    h.get_by_label("¿Reemplazar un módulo que viene con Faro?");
    click(&mut h, "Cancelar");
}

/// Clicks the trust question's button, below the library's cards.
fn trust_pending(h: &mut Harness<'_, FaroApp>) {
    h.get_by_label("The fingerprints match: trust and install").scroll_to_me();
    settle(h);
    click(h, "The fingerprints match: trust and install");
}

/// Issue 26 (item 3c): a pack from another publisher carrying a module id installed from a first
/// publisher asks first, in a dialog naming both publishers and their keys, with Cancel focused;
/// cancelled, nothing changes; agreed, the second publisher's module is the one offered.
#[test]
fn replacing_another_publishers_module_asks_naming_both_publishers() {
    let world = World::with_fixtures(&[]);
    let data = DataDir::at(world.data.path().to_owned());
    let work = tempfile::tempdir().unwrap();
    let first_key = faro::pack::generate_key().unwrap();
    let first_fp = faro::pack::Fingerprint::of(&first_key.verifying_key()).to_string();
    let ours = copy_module("tests/fixtures/good/minimal", &work.path().join("v1/a"), "shared-id", " A");
    let first = work.path().join("first.faropack");
    build_pack_with_id(&first_key, &[ours], "first-pack", "1.0.0", &first);
    let trust = TrustDecision::Trust(first_key.verifying_key());
    faro::pack::install(&data, &first, trust, &InstallOptions::default()).unwrap();

    let theirs =
        copy_module("tests/fixtures/good/minimal", &work.path().join("v2/a"), "shared-id", " (taken)");
    let text = std::fs::read_to_string(theirs.join("module.ron")).unwrap();
    std::fs::write(theirs.join("module.ron"), text.replacen("version: \"1.0.0\"", "version: \"9.0.0\"", 1))
        .unwrap();
    let second_key = faro::pack::generate_key().unwrap();
    let second_fp = faro::pack::Fingerprint::of(&second_key.verifying_key()).to_string();
    let second = work.path().join("second.faropack");
    let options = BuildOptions {
        id: PackId::new("second-pack").unwrap(),
        version: semver::Version::parse("1.0.0").unwrap(),
        title: "Taken over".into(),
        publisher: "Other org".into(),
        created: chrono::Utc::now(),
    };
    faro::pack::build(&[theirs], &second_key, &options, &second).unwrap();

    returning_learner(&data);
    let mut h = world.launch();
    settle(&mut h);
    h.get_by_label("Start: A minimal example A");
    drop_file(&mut h, &second);
    h.get_by_label_contains("This pack also replaces module \"shared-id\", installed from Shelter network");
    trust_pending(&mut h);
    h.get_by_label("Replace another publisher's module?");
    h.get_by_label_contains(&format!(
        "\"Taken over\" 1.0.0 from Other org (key {second_fp}) carries module \"shared-id\", installed from Shelter network (key {first_fp})"
    ));
    assert!(h.get_by_label("Cancel").is_focused(), "Cancel is the default");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert!(h.query_by_label("Replace another publisher's module?").is_none());
    assert_eq!(faro::pack::installed(&data).len(), 1, "nothing installed");
    h.get_by_label("Start: A minimal example A");

    drop_file(&mut h, &second);
    trust_pending(&mut h);
    click(&mut h, "Replace the other publisher's module");
    h.get_by_label_contains("It replaces module \"shared-id\", installed from Shelter network");
    h.get_by_label("Start: A minimal example (taken)");
    assert!(h.query_by_label("Start: A minimal example A").is_none());
}

/// A returning learner trusts and installs a one-module pack ("Border extra") whose install is
/// held by a test gate; returns the window mid-install, the gate, the data folder and the pack.
/// Frames are drawn one by one: `settle` would wait for the held install.
fn held_install() -> (Harness<'static, FaroApp>, LoadGate, DataDir, PathBuf, World, tempfile::TempDir) {
    let world = World::with_fixtures(&["good/minimal"]);
    let data = DataDir::at(world.data.path().to_owned());
    let work = tempfile::tempdir().unwrap();
    let key = faro::pack::generate_key().unwrap();
    let a = copy_module("tests/fixtures/good/minimal", &work.path().join("a"), "pack-a", " A");
    let file = work.path().join("border.faropack");
    build_pack(&key, &[a], "1.0.0", &file);
    returning_learner(&data);

    let gate = LoadGate::default();
    let mut config = world.config();
    config.install_gate = Some(gate.clone());
    let mut h = harness(FaroApp::new(config));
    settle(&mut h);
    drop_file(&mut h, &file);
    h.get_by_label("The fingerprints match: trust and install").scroll_to_me();
    h.run();
    h.get_by_label("The fingerprints match: trust and install").click();
    // The worker opens the pack, counts its steps, asks for one repaint and waits at the gate:
    // frames are drawn until the progress bar shows, then the window is idle.
    for _ in 0..400 {
        h.step();
        if h.query_by_label_contains("steps done").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run();
    (h, gate, data, file, world, work)
}

/// Issue 26 (item 3): a pack installs on a worker thread. While the install is held (a test
/// hook), the window keeps drawing, says what is being installed, asks for no frames while
/// idle, and the library stays usable: a module opens and closes. Released, the pack's modules
/// join the library and the notice says what was installed.
#[test]
fn the_window_keeps_drawing_while_a_pack_installs() {
    let (mut h, gate, data, file, _world, _work) = held_install();
    assert!(h.state().installing_pack());
    h.get_by_label("Installing \"Border extra\"… You can keep using the library meanwhile.");
    // Held once it has counted its steps: the pack's files, its module and the final move.
    let steps = faro::pack::verify(&file, None).unwrap().manifest.files.len() + 2;
    h.get_by_label(&format!("0 of {steps} steps done"));
    // Nothing asks for frames while the install runs: an idle window stays idle.
    assert!(h.try_run().is_ok());

    // The library is usable meanwhile.
    h.get_by_label("Start: A minimal example").click();
    h.run();
    h.get_by_label("I am ready, continue").click();
    h.run();
    h.get_by_label("Take a break").click();
    h.run();
    h.get_by_label("Start: A minimal example");
    assert!(h.state().installing_pack(), "still installing");
    assert!(faro::pack::installed(&data).is_empty());
    // One install at a time: a second is refused with a reason, not queued behind a frozen window.
    drop_file_without_settling(&mut h, &file);
    h.get_by_label("The fingerprints match: trust and install").click();
    h.run();
    h.get_by_label_contains("A pack is being installed; add this one when it is done.");

    gate.release();
    settle(&mut h);
    h.get_by_label_contains("Installed \"Border extra\" 1.0.0.");
    assert!(h.query_by_label_contains("steps done").is_none(), "the bar goes with the install");
    h.get_by_label("Start: A minimal example A");
    assert!(h.query_by_label_contains("Installing \"Border extra\"").is_none());
}

/// Issue 26 (item 3): Cancel stops a running install before it changes anything; the library
/// says so and the pack is not installed, nor its publisher trusted.
#[test]
fn a_cancelled_install_changes_nothing_and_says_so() {
    let (mut h, gate, data, _file, _world, _work) = held_install();
    h.get_by_label("Cancel the install").click();
    h.run();
    h.get_by_label("Cancelling: nothing will be changed…");
    gate.release();
    settle(&mut h);
    h.get_by_label_contains("the install was cancelled; nothing was changed");
    assert!(faro::pack::installed(&data).is_empty());
    assert!(!faro::pack::trust_store_path(&data).exists(), "nor the publisher trusted");
    assert!(h.query_by_label("Start: A minimal example A").is_none());
}
