//! Building a pack from the Coordinator screen: the publisher key made once and backed up, a pack
//! that `faro::pack::verify` accepts, the next version suggested, and a module that fails
//! validation shown with its errors while nothing is written.

use crate::common;

use std::path::{Path, PathBuf};

use common::{World, click, settle, type_into};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use faro::app::{FaroApp, PackBuilder, Screen};

/// Scrolls the widget labelled `label` into view (the builder is taller than the window), then
/// clicks it.
fn click_below(h: &mut Harness<'_, FaroApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    click(h, label);
}

fn builder<'h>(h: &'h mut Harness<'_, FaroApp>) -> &'h mut PackBuilder {
    match &mut h.state_mut().screen {
        Screen::PackBuilder(b) => b,
        _ => panic!("not on the pack builder"),
    }
}

/// Opens the pack builder from a fresh start, declining the passphrase offer.
fn open_builder(h: &mut Harness<'_, FaroApp>) {
    click(h, "Coordinator");
    click(h, "Not now");
    click(h, "Build a pack…");
    h.get_by_label("Build a module pack");
}

/// Clicks Build and waits for the worker thread to finish.
fn build(h: &mut Harness<'_, FaroApp>) {
    click_below(h, "Check and build the pack");
    for _ in 0..1500 {
        h.step();
        if !builder(h).running() {
            settle(h);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the build did not finish");
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}

#[test]
fn a_pack_built_from_the_app_is_signed_with_the_data_folders_key_and_verifies() {
    let world = World::with_fixtures(&["good/minimal"]);
    let out = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let mut h = world.launch();
    open_builder(&mut h);

    // The key is made on first use, in the data folder, and its backup is asked for.
    click(&mut h, "Create my publisher key");
    let data = world.config().data_dir;
    let key = faro::pack::publisher_key(&data).unwrap().expect("key in the data folder");
    let fingerprint = faro::pack::Fingerprint::of(&key.verifying_key());
    h.get_by_label_contains(&format!("Key fingerprint: {fingerprint}"));
    h.get_by_label_contains("If it is lost");
    type_into(&mut h, "Back up to folder", &usb.path().display().to_string());
    click(&mut h, "Back up the key");
    h.get_by_label_contains("Key copied to ");
    let backup = faro::pack::read_secret_key(&usb.path().join(faro::pack::SECRET_KEY_FILE)).unwrap();
    assert_eq!(backup.to_bytes(), key.to_bytes());

    // A bundled or installed module is ticked; the rest is typed.
    h.get_by_label("A minimal example (minimal-example 1.0.0)").click();
    settle(&mut h);
    type_into(&mut h, "Pack id", "border-basics");
    type_into(&mut h, "Title", "Border basics");
    type_into(&mut h, "Publisher name", "Casa Esperanza volunteers");
    h.get_by_label("Leave empty for 1.0.0.");
    builder(&mut h).output_input = out.path().display().to_string();
    build(&mut h);

    let pack = out.path().join("border-basics-1.0.0.faropack");
    h.get_by_label(&format!("Pack written to {}", pack.display()));
    let verified = faro::pack::verify(&pack, Some(&key.verifying_key())).expect("the pack verifies");
    let m = &verified.manifest;
    assert_eq!((m.id.as_str(), m.version.to_string().as_str()), ("border-basics", "1.0.0"));
    assert_eq!((m.title.as_str(), m.publisher.as_str()), ("Border basics", "Casa Esperanza volunteers"));
    assert_eq!(m.modules.len(), 1);

    // The next build suggests the next patch version, and an old version is refused.
    h.get_by_label_contains("Leave empty for 1.0.1, the next version after 1.0.0");
    type_into(&mut h, "Version", "1.0.0");
    click_below(&mut h, "Check and build the pack");
    h.get_by_label_contains("Version 1.0.0 is not newer than 1.0.0");
    builder(&mut h).version_input.clear();
    build(&mut h);
    let second = out.path().join("border-basics-1.0.1.faropack");
    h.get_by_label(&format!("Pack written to {}", second.display()));
    faro::pack::verify(&second, Some(&key.verifying_key())).expect("the update verifies");

    // What was built is remembered in the data folder, for the next session.
    click_below(&mut h, "Back to the Coordinator screen");
    click(&mut h, "Build a pack…");
    type_into(&mut h, "Pack id", "border-basics");
    h.get_by_label_contains("Leave empty for 1.0.2");
    assert_eq!(builder(&mut h).publisher_input, "Casa Esperanza volunteers");
}

#[test]
fn a_module_failing_validation_shows_its_errors_and_writes_nothing() {
    let world = World::with_fixtures(&["good/minimal"]);
    let out = tempfile::tempdir().unwrap();
    let mut h = world.launch();
    open_builder(&mut h);
    click(&mut h, "Create my publisher key");
    let broken = std::fs::canonicalize("tests/fixtures/bad/missing-target").unwrap();
    type_into(&mut h, "Module folder", &broken.display().to_string());
    click(&mut h, "Add folder");
    h.get_by_label("A minimal example (minimal-example 1.0.0)").click();
    settle(&mut h);
    h.get_by_label("Remove missing-target");
    type_into(&mut h, "Pack id", "border-basics");
    type_into(&mut h, "Title", "Border basics");
    type_into(&mut h, "Publisher name", "Casa Esperanza volunteers");
    builder(&mut h).output_input = out.path().display().to_string();
    build(&mut h);

    h.get_by_label("The pack was not built: fix these problems and try again. Nothing was written.");
    // Grouped under the module's folder, in the `faro pack build` format: file:line:col: error: message.
    h.get_by_label("missing-target");
    let located = format!("{}:96:35: error: choice \"nobody\" leads to", broken.join("module.ron").display());
    h.get_by_label_contains(&located);
    assert!(files_in(out.path()).is_empty(), "nothing written: {:?}", files_in(out.path()));
    let history = faro::pack::publisher_dir(&world.config().data_dir).join("built-packs.ron");
    assert!(!history.exists(), "no build remembered");

    // Missing details are listed before anything runs.
    click(&mut h, "Remove missing-target");
    h.get_by_label("A minimal example (minimal-example 1.0.0)").click();
    builder(&mut h).id_input = "Border Basics".into();
    builder(&mut h).title_input.clear();
    settle(&mut h);
    click_below(&mut h, "Check and build the pack");
    h.get_by_label("Choose at least one module.");
    h.get_by_label("Pack id: use 1 to 64 of a-z, 0-9 and -, not starting or ending with -.");
    h.get_by_label("Give the pack a title.");
    assert!(!builder(&mut h).running());
}
