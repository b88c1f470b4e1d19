//! The coordinator lock in the viewer: the offer on the first visit, the passphrase asked once
//! per session (and again after Quick exit or a restart), wrong tries slowed down without ever
//! keeping a learner from their own data, and a damaged settings file that stays locked.

use crate::common;

use std::time::Duration;

use common::{World, click, create_learner, settle, type_into};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use faro::app::{FaroApp, Screen};
use faro::coordinator_settings::{self, Clock, CoordinatorSettings, Lock, PassphraseHash};
use faro::data::DataDir;

const PASSPHRASE: &str = "blue heron at dawn";

/// A world whose data folder already has a coordinator passphrase.
fn world_with_passphrase() -> World {
    let world = World::with_fixtures(&["good/minimal"]);
    let hash = PassphraseHash::choose(PASSPHRASE, PASSPHRASE).unwrap();
    let data = DataDir::at(world.data.path().to_owned());
    coordinator_settings::save(
        &data,
        &CoordinatorSettings { lock: Lock::Passphrase(hash), ..Default::default() },
    )
    .unwrap();
    world
}

/// Types a passphrase at the prompt and presses Enter.
fn try_passphrase(h: &mut Harness<'_, FaroApp>, passphrase: &str) {
    type_into(h, "Passphrase", passphrase);
    h.key_press(egui::Key::Enter);
    settle(h);
}

#[test]
fn the_first_visit_offers_a_passphrase_and_not_now_opens_the_screen_for_this_session() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    h.get_by_label("Protect the Coordinator screen with a passphrase?");
    assert!(h.query_by_label("No records yet.").is_none(), "the offer comes first");
    click(&mut h, "Not now");
    h.get_by_label("No records yet.");
    click(&mut h, "Back to modules");
    click(&mut h, "Coordinator");
    h.get_by_label("No records yet.");
    assert!(!coordinator_settings::settings_path(&world.config().data_dir).exists(), "nothing saved");
    // "Not now" is for this session: the next start offers again, and it can be set from the screen.
    drop(h);
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    h.get_by_label("Protect the Coordinator screen with a passphrase?");
    click(&mut h, "Not now");
    click(&mut h, "Set a passphrase…");
    h.get_by_label("Protect the Coordinator screen with a passphrase?");
}

#[test]
fn a_passphrase_set_on_the_first_visit_is_asked_once_per_session() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    type_into(&mut h, "New passphrase", "short");
    type_into(&mut h, "Type the passphrase again", "short");
    click(&mut h, "Set a passphrase");
    h.get_by_label("The passphrase needs at least 8 characters.");
    h.state_mut().coordinator_lock.passphrase_input.clear();
    h.state_mut().coordinator_lock.confirm_input.clear();
    type_into(&mut h, "New passphrase", PASSPHRASE);
    type_into(&mut h, "Type the passphrase again", "blue heron at dusk");
    click(&mut h, "Set a passphrase");
    h.get_by_label("The two passphrases are not the same. Type them again.");
    h.state_mut().coordinator_lock.passphrase_input.clear();
    h.state_mut().coordinator_lock.confirm_input.clear();
    type_into(&mut h, "New passphrase", PASSPHRASE);
    type_into(&mut h, "Type the passphrase again", PASSPHRASE);
    click(&mut h, "Set a passphrase");
    // The person who set it goes straight on.
    h.get_by_label("No records yet.");
    h.get_by_label_contains("Passphrase set.");
    let saved =
        std::fs::read_to_string(coordinator_settings::settings_path(&world.config().data_dir)).unwrap();
    assert!(saved.contains("$argon2id$") && !saved.contains("heron"), "only the hash is kept: {saved}");

    // Leaving and coming back in the same session asks nothing.
    click(&mut h, "Back to modules");
    click(&mut h, "Coordinator");
    h.get_by_label("No records yet.");

    // A restart asks, in the learner's language too.
    drop(h);
    let mut h = world.launch();
    click(&mut h, "Español");
    click(&mut h, "Coordinación");
    h.get_by_label("La pantalla de Coordinación está bloqueada");
    click(&mut h, "English");
    h.get_by_label("The Coordinator screen is locked");
    h.get_by_label_contains("Forgotten passphrase? Close Faro, delete the file ");
    assert!(h.query_by_label("Add this laptop's records").is_none(), "no records behind the lock");
    try_passphrase(&mut h, "blue heron at dusk");
    h.get_by_label("That is not the passphrase.");
    assert!(h.query_by_label("No records yet.").is_none());
    try_passphrase(&mut h, PASSPHRASE);
    h.get_by_label("No records yet.");
}

#[test]
fn quick_exit_and_lock_lock_the_coordinator_screens_again() {
    let world = world_with_passphrase();
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    try_passphrase(&mut h, PASSPHRASE);
    h.get_by_label("No records yet.");
    // Quick exit (Esc) leaves and locks.
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(matches!(h.state().screen, Screen::Start(_)));
    click(&mut h, "Coordinator");
    h.get_by_label("The Coordinator screen is locked");
    try_passphrase(&mut h, PASSPHRASE);
    // So does the Lock button, and Quick exit from the pack builder.
    click(&mut h, "Lock the Coordinator screen");
    click(&mut h, "Coordinator");
    h.get_by_label("The Coordinator screen is locked");
    try_passphrase(&mut h, PASSPHRASE);
    click(&mut h, "Build a pack…");
    h.get_by_label("Build a module pack");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    click(&mut h, "Coordinator");
    h.get_by_label("The Coordinator screen is locked");
    // The pack builder cannot be opened behind the lock, even by an action sent directly.
    let ctx = h.ctx.clone();
    h.state_mut().apply(faro::app::Command::OpenPackBuilder, &ctx);
    assert!(matches!(h.state().screen, Screen::Coordinator(_)));
}

#[test]
fn wrong_tries_slow_down_but_never_keep_a_learner_from_their_own_data() {
    let world = world_with_passphrase();
    let mut h = world.launch();
    let clock = Clock::manual();
    h.state_mut().coordinator_lock.clock = clock.clone();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    click(&mut h, "Coordinator");
    for _ in 0..2 {
        try_passphrase(&mut h, "guess");
        h.get_by_label("That is not the passphrase.");
    }
    try_passphrase(&mut h, "guess");
    h.get_by_label("Too many wrong tries. You can try again in 1 s.");
    // During the wait even the right passphrase is not looked at.
    try_passphrase(&mut h, PASSPHRASE);
    h.get_by_label("The Coordinator screen is locked");
    h.state_mut().coordinator_lock.passphrase_input.clear();
    clock.advance(Duration::from_millis(400));
    h.run();
    h.get_by_label("Too many wrong tries. You can try again in 1 s.");
    clock.advance(Duration::from_millis(600));
    h.run();
    assert!(h.query_by_label_contains("Too many wrong tries").is_none());
    // Ten wrong tries in all: the wait grows, and stops at 30 s.
    let mut shown = Vec::new();
    for _ in 4..=10 {
        try_passphrase(&mut h, "guess");
        let wait = h.state().coordinator_lock.wait_left().unwrap();
        shown.push(wait.as_secs());
        h.get_by_label(&format!("Too many wrong tries. You can try again in {} s.", wait.as_secs()));
        clock.advance(wait);
        h.run();
    }
    assert_eq!(shown, [2, 4, 8, 16, 30, 30, 30]);
    try_passphrase(&mut h, "guess");
    h.get_by_label("Too many wrong tries. You can try again in 30 s.");

    // Meanwhile the learner's own modules, records and "Delete my data" need no passphrase.
    click(&mut h, "Back to modules");
    click(&mut h, "Start: A minimal example");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    click(&mut h, "Export my records");
    h.get_by_label_contains("Records exported to ");
    click(&mut h, "Delete my data");
    click(&mut h, "Yes, delete my data");
    assert!(h.state().shared.profiles.learners.is_empty());

    // After the wait, the right passphrase opens it.
    clock.advance(Duration::from_secs(30));
    click(&mut h, "Coordinator");
    try_passphrase(&mut h, PASSPHRASE);
    h.get_by_label("No records yet.");
}

#[test]
fn a_damaged_settings_file_is_kept_aside_and_the_screen_stays_locked() {
    let world = World::with_fixtures(&["good/minimal"]);
    let data = world.config().data_dir;
    let path = coordinator_settings::settings_path(&data);
    std::fs::write(&path, "(lock: Passphrase(\"$argon2id$v=19$m=19456,t=2,p=1$cut-off").unwrap();
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    h.get_by_label("The Coordinator screen stays locked");
    h.get_by_label_contains(&format!("delete the file {}", path.display()));
    h.get_by_label_contains("A copy of the damaged file was kept at ");
    assert!(h.query_by_label("Passphrase").is_none(), "no passphrase can open it");
    assert!(h.query_by_label("No records yet.").is_none());
    // Still locked after a restart; deleting the file by hand resets it.
    drop(h);
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    h.get_by_label("The Coordinator screen stays locked");
    std::fs::remove_file(&path).unwrap();
    drop(h);
    let mut h = world.launch();
    click(&mut h, "Coordinator");
    h.get_by_label("Protect the Coordinator screen with a passphrase?");
}

/// Issue 15: the xAPI home page is set on the Coordinator screen and kept in coordinator.ron (with
/// the lock); an address that is not http(s) is refused with the reason and nothing is saved.
#[test]
fn the_xapi_home_page_is_saved_from_the_coordinator_screen() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    let data = DataDir::at(world.data.path().to_owned());
    type_into(&mut h, "xAPI home page (learning record store)", "urn:not-a-page");
    click(&mut h, "Save home page");
    assert!(h.query_by_label_contains("http").is_some());
    assert_eq!(coordinator_settings::load(&data, false).xapi_home_page, None, "nothing saved");

    h.get_by_label("xAPI home page (learning record store)").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("xAPI home page (learning record store)").type_text("https://training.example.org");
    h.run();
    click(&mut h, "Save home page");
    assert_eq!(
        coordinator_settings::load(&data, false).xapi_home_page.as_deref(),
        Some("https://training.example.org")
    );
    h.get_by_label_contains("now name learners' accounts at https://training.example.org");
}
