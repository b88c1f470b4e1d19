//! Where the app finds modules and keeps data, as a volunteer meets it: the built-in modules from
//! any folder, a broken module folder beside the program, a data folder that is a file, two
//! windows on one data folder, moving to another folder, and the About screen.

use crate::common;

use common::{World, click, harness, settle};
use egui_kittest::kittest::Queryable as _;
use faro::app::{Command, FaroApp, Screen};
use faro::data::{DataDir, DataProblem};
use faro::locations::{ModuleFolder, ModuleSource};

fn create_learner(h: &mut egui_kittest::Harness<'_, FaroApp>, name: &str) {
    common::create_learner(h, name, "Your name", "Create profile");
}

fn usable_modules(app: &FaroApp) -> usize {
    app.shared.entries.iter().filter(|e| e.module.is_ok()).count()
}

/// No `FARO_MODULES_DIR`, nothing beside the program: the seven built-in modules, unpacked from
/// the executable, fill the library.
#[test]
fn the_built_in_modules_alone_fill_the_library() {
    let world = World::with_fixtures(&[]);
    let empty_exe_dir = tempfile::tempdir().unwrap();
    let data = DataDir::at(world.data.path().to_owned());
    let found = faro::locations::module_folders_from(None, Some(empty_exe_dir.path()), &data);
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    let mut config = world.config();
    config.module_folders = found.folders;
    let mut h = harness(FaroApp::new(config));
    create_learner(&mut h, "Ana");
    assert_eq!(usable_modules(h.state()), faro::bundled::module_count());
    assert_eq!(usable_modules(h.state()), 7);
    h.get_by_label("Start: What trafficking is");
}

/// A module folder beside the program that fails validation shows its error; the built-in
/// modules still work.
#[test]
fn a_broken_module_beside_the_program_shows_its_error_and_the_rest_work() {
    let world = World::with_fixtures(&["bad/truncated"]);
    let data = DataDir::at(world.data.path().to_owned());
    let mut config = world.config();
    config.module_folders = vec![
        ModuleFolder { source: ModuleSource::BesideExe, dir: world.modules.path().to_owned() },
        ModuleFolder { source: ModuleSource::Bundled, dir: faro::locations::unpack_bundled(&data).unwrap() },
    ];
    let mut h = harness(FaroApp::new(config));
    create_learner(&mut h, "Ana");
    assert_eq!(usable_modules(h.state()), 7);
    assert!(h.state().shared.entries[0].module.is_err());
    h.get_by_label("This module cannot be opened. Tell your coordinator:");
    click(&mut h, "Start: What trafficking is");
    assert!(matches!(h.state().screen, Screen::Player(_)));
}

/// With no module anywhere, the library says why and what to do, in the learner's language.
#[test]
fn an_empty_library_explains_what_to_do() {
    let world = World::with_fixtures(&[]);
    let mut config = world.config();
    config.problems.push("FARO_MODULES_DIR is set to /nowhere, which is not a folder".into());
    let mut h = harness(FaroApp::new(config));
    create_learner(&mut h, "Ana");
    h.get_by_label("No training modules were found");
    h.get_by_label_contains("FARO_MODULES_DIR is set to /nowhere");
    click(&mut h, "Español");
    h.get_by_label("No se encontró ningún módulo de formación");
    h.get_by_label_contains("carpeta llamada “modules” junto al programa Faro");
}

/// A `faro-data` that is a file: the app opens on a screen that says so, changes nothing, and
/// moving to another folder works.
#[test]
fn a_data_folder_that_is_a_file_is_explained_and_another_can_be_chosen() {
    let world = World::with_fixtures(&["good/minimal"]);
    let file = world.data.path().join("faro-data");
    std::fs::write(&file, "someone's file").unwrap();
    let mut config = world.config();
    config.data_dir = DataDir::at(file.clone());
    let mut h = harness(FaroApp::new(config));
    settle(&mut h);
    assert!(matches!(h.state().screen, Screen::DataFolder(_)));
    h.get_by_label_contains("it is a file, not a folder");
    assert!(h.get_by_label("Choose another folder…").is_focused(), "the way out has the focus");
    // In Spanish, the reason is in Spanish too, not the system's English.
    click(&mut h, "Español");
    h.get_by_label_contains("es un archivo, no una carpeta");
    click(&mut h, "English");

    // Typed, as on a desktop without a folder dialog: checked as the typed-path field checks it
    // (issue 23), so a new folder is made inside one that exists, never a tree of them.
    let other = tempfile::tempdir().unwrap();
    h.get_by_label("Or type the full path of a folder").focus();
    h.run();
    h.get_by_label("Or type the full path of a folder")
        .type_text(&other.path().join("typo/faro").display().to_string());
    settle(&mut h);
    click(&mut h, "Use this folder");
    h.get_by_label_contains("Nothing is at this path.");
    assert!(!other.path().join("typo").exists(), "no folders were made");
    assert!(matches!(h.state().screen, Screen::DataFolder(_)));
    if let Screen::DataFolder(screen) = &mut h.state_mut().screen {
        screen.path_input.clear();
    }
    h.get_by_label("Or type the full path of a folder").focus();
    h.run();
    h.get_by_label("Or type the full path of a folder")
        .type_text(&other.path().join("faro").display().to_string());
    settle(&mut h);
    click(&mut h, "Use this folder");
    assert!(matches!(h.state().screen, Screen::Start(_)));
    assert!(h.state().shared.data_problem.is_none());
    create_learner(&mut h, "Ana");
    assert!(other.path().join("faro/profiles.ron").is_file(), "the new folder is used for saving");
    click(&mut h, "About");
    h.get_by_label(&format!(
        "{} (chosen in this window, until Faro is closed)",
        other.path().join("faro").display()
    ));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "someone's file", "the file is left alone");
}

/// Two windows on one data folder: the second says so and saves nothing, so it cannot overwrite
/// the first window's progress; it can move to a folder of its own, taking a copy of what was saved.
#[test]
fn when_settings_cannot_be_read_the_screens_follow_the_systems_language() {
    // Issue 23: a Spanish system whose data folder is a file sees the explanation in Spanish.
    let world = World::with_fixtures(&[]);
    let file = world.data.path().join("faro-data");
    std::fs::write(&file, "someone's file").unwrap();
    let mut config = world.config();
    config.first_language = "es".into();
    config.data_dir = DataDir::at(file);
    let mut h = harness(FaroApp::new(config.clone()));
    settle(&mut h);
    assert!(matches!(h.state().screen, Screen::DataFolder(_)));
    h.get_by_label_contains("es un archivo, no una carpeta");
    h.get_by_label("Elegir otra carpeta…");
    assert_eq!(h.state().shared.settings.lang, "es");

    // Settings that cannot be parsed are set aside; the defaults follow the system's language too.
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("settings.ron"), "not settings (").unwrap();
    config.data_dir = DataDir::at(data.path().to_owned());
    let app = FaroApp::new(config);
    assert_eq!(app.shared.settings.lang, "es");
}

#[test]
fn a_second_window_on_the_same_data_folder_does_not_save() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut first = world.launch();
    create_learner(&mut first, "Ana");
    let profiles = world.data.path().join("profiles.ron");
    let saved = std::fs::read_to_string(&profiles).unwrap();

    let mut second = world.launch();
    settle(&mut second);
    assert!(matches!(second.state().screen, Screen::DataFolder(_)));
    assert_eq!(second.state().shared.data_problem, Some(DataProblem::InUse(world.data.path().to_owned())));
    second.get_by_label_contains("Faro is already open with this data folder");
    click(&mut second, "Continue without saving");
    second.get_by_label("Not saving: progress and records made now will not be kept.");
    assert!(matches!(second.state().screen, Screen::Library(_)), "Ana, who used this laptop last, goes on");
    second.get_by_label("Choose a module. This window is not saving your progress (see above).");
    click(&mut second, "Switch learner");
    create_learner(&mut second, "Bea");
    click(&mut second, "Start: A minimal example");
    click(&mut second, "I am ready, continue");
    click(&mut second, "Next");
    click(&mut second, "Español");
    assert_eq!(
        std::fs::read_to_string(&profiles).unwrap(),
        saved,
        "the first window's profiles are untouched"
    );
    assert!(!world.data.path().join("settings.ron").exists(), "the language change was not saved");
    let progress = world.progress_files();
    assert!(progress.is_empty(), "the second window wrote progress: {progress:?}");

    // Moving to its own folder: what was saved comes along, and what it holds is saved there.
    let own = tempfile::tempdir().unwrap();
    second.state_mut().apply(Command::UseDataFolder(own.path().to_owned()), &egui::Context::default());
    settle(&mut second);
    assert!(second.state().shared.data_problem.is_none());
    let moved = DataDir::at(own.path().to_owned()).load_profiles().unwrap().0;
    let names: Vec<&str> = moved.learners.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Ana", "Bea"]);
    let bea = moved.learners.iter().find(|p| p.name == "Bea").unwrap();
    assert!(own.path().join("learners").join(&bea.id).join("progress/minimal-example.ron").is_file());
    drop(first);
}

/// A folder already used by another window cannot be chosen either.
#[test]
fn a_folder_in_use_cannot_be_chosen() {
    let world = World::with_fixtures(&["good/minimal"]);
    let busy = tempfile::tempdir().unwrap();
    let _other_window = DataDir::at(busy.path().to_owned()).lock().unwrap();
    let file = world.data.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let mut config = world.config();
    config.data_dir = DataDir::at(file);
    let mut h = harness(FaroApp::new(config));
    h.state_mut().apply(Command::UseDataFolder(busy.path().to_owned()), &egui::Context::default());
    settle(&mut h);
    assert!(matches!(h.state().screen, Screen::DataFolder(_)));
    h.get_by_label_contains("That folder cannot be used: another Faro window is already using");
}

/// About is one Tab-reachable button away, shows where data and modules are, copies the
/// diagnostics, and returns to the module where the learner was.
#[test]
fn about_shows_the_data_folder_and_returns_to_the_module() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana");
    click(&mut h, "Start: A minimal example");
    click(&mut h, "I am ready, continue");
    click(&mut h, "Next");
    click(&mut h, "About");
    assert!(matches!(h.state().screen, Screen::About(_)));
    assert!(h.get_by_label("Copy diagnostics").is_focused());
    h.get_by_label(&format!("{} (this user's data folder)", world.data.path().display()));
    click(&mut h, "Copy diagnostics");
    let copied = h.state().shared.copied.clone().unwrap();
    assert!(copied.starts_with(&format!("Faro {}", env!("CARGO_PKG_VERSION"))), "{copied}");
    assert!(copied.contains(&format!("data folder: {}", world.data.path().display())), "{copied}");
    assert!(copied.contains("minimal-example 1.0.0 (bundled with Faro)"), "{copied}");
    assert!(!copied.contains("Ana"), "no learner names in diagnostics: {copied}");
    click(&mut h, "Close");
    match &h.state().screen {
        Screen::Player(p) => assert_eq!(p.attempt.step, 1, "back on the step the learner was on"),
        _ => panic!("Close returns to the module"),
    }
}

/// Issue 23: the diagnostics say "no names", so the home folder (which names the computer's
/// account) is written `~` in every path they copy.
#[test]
fn copied_diagnostics_do_not_name_the_account_in_paths() {
    let world = World::with_fixtures(&["good/minimal"]);
    let home = directories::BaseDirs::new().expect("a home folder").home_dir().to_owned();
    let in_home = tempfile::Builder::new().prefix(".faro-test-").tempdir_in(&home).unwrap();
    let data = in_home.path().join("faro-data");
    let mut config = world.config();
    config.data_dir = DataDir::at(data.clone());
    let mut h = harness(FaroApp::new(config));
    settle(&mut h);
    create_learner(&mut h, "Ana");
    click(&mut h, "About");
    click(&mut h, "Copy diagnostics");
    let copied = h.state().shared.copied.clone().unwrap();
    let stand_in = if cfg!(windows) { "%USERPROFILE%" } else { "~" };
    let shown = std::path::Path::new(stand_in).join(data.strip_prefix(&home).unwrap());
    assert!(copied.contains(&format!("data folder: {}", shown.display())), "{copied}");
    assert!(!copied.contains(&home.display().to_string()), "{copied}");
}

/// The folder chosen last time (the stick was read-only then too) already holds newer data: the
/// window reopens on it, and nothing there is replaced by the older copies it started from.
#[test]
fn a_chosen_folder_with_data_is_used_as_it_is() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut first = world.launch();
    create_learner(&mut first, "Ana");

    let chosen = tempfile::tempdir().unwrap();
    let chosen_data = DataDir::at(chosen.path().to_owned());
    let mut profiles = faro::progress::Profiles::default();
    let bea = profiles.add("Bea").unwrap();
    profiles.last_used = Some(bea.id.clone());
    chosen_data.save_profiles(&profiles).unwrap();
    let saved = std::fs::read_to_string(chosen.path().join("profiles.ron")).unwrap();

    let mut second = world.launch();
    settle(&mut second);
    assert!(matches!(second.state().screen, Screen::DataFolder(_)));
    second.state_mut().apply(Command::UseDataFolder(chosen.path().to_owned()), &egui::Context::default());
    settle(&mut second);
    assert!(second.state().shared.data_problem.is_none(), "the window saves in the chosen folder");
    assert_eq!(second.state().learner_name(), Some("Bea"), "the chosen folder's learner goes on");
    assert_eq!(std::fs::read_to_string(chosen.path().join("profiles.ron")).unwrap(), saved);
    assert!(!chosen.path().join("learners").exists(), "nothing copied over the chosen folder's data");
    second.get_by_label_contains("Faro now uses the data already saved in");
    assert!(chosen_data.lock().is_err(), "the window holds the chosen folder's lock");
    drop(first);
}
