//! Journeys through the viewer, driven by accessible label as a screen reader user would.

use crate::common;

use common::{click, create_learner, settle};

use common::World;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use faro::app::Screen;
use faro::data::DataDir;
use faro::progress::RunState;

/// New learner Ana opens the example and takes the safe first choice of its scenario.
fn walk_to_second_node(h: &mut egui_kittest::Harness<'_, faro::app::FaroApp>) {
    create_learner(h, "Ana", "Your name", "Create profile");
    click(h, "Start: A minimal example");
    click(h, "I am ready, continue");
    click(h, "Next");
    click(h, "I am ready, continue");
    click(h, "1. Note the details and step away to call.");
}

fn scenario_node(h: &egui_kittest::Harness<'_, faro::app::FaroApp>) -> Option<String> {
    match &h.state().screen {
        Screen::Player(p) => p.attempt.scenarios.get("station").map(|r| r.node.clone()),
        _ => None,
    }
}

#[test]
fn full_journey_in_english_with_a_critical_choice_then_a_pass() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    assert!(matches!(h.state().screen, Screen::Library(_)));
    h.get_by_label_contains("Not started");
    click(&mut h, "Start: A minimal example");
    // Module content note first.
    common::shown(&h, "This module mentions exploitation");
    click(&mut h, "I am ready, continue");
    h.get_by_label("Step 1 of 3");
    h.get_by_label("911");
    click(&mut h, "Next");
    // Scenario content note, then the scenario.
    h.get_by_label("A child may be at risk.");
    click(&mut h, "I am ready, continue");
    click(&mut h, "2. Tell the adult you know what he is doing.");
    h.get_by_label("This choice is unsafe");
    h.get_by_label("Confronting can put the girl and you in danger.");
    h.get_by_label("What to do instead");
    assert!(h.query_by_label("Next").is_some_and(|n| n.accesskit_node().is_disabled()));
    click(&mut h, "Try the scenario again");
    // Number keys choose: 1 = "Note the details and step away to call."
    h.key_press(egui::Key::Num1);
    settle(&mut h);
    h.get_by_label("Good: you stay safe and keep the facts.");
    assert_eq!(scenario_node(&h).as_deref(), Some("call"));
    click(&mut h, "1. The hotline, with your notes.");
    h.get_by_label("Well done: a safe response.");
    click(&mut h, "Next");
    click(&mut h, "False");
    common::shown(&h, "Right: notice, note, report.");
    click(&mut h, "Finish");
    h.get_by_label("You passed this module.");
    h.get_by_label("Unsafe choices made along the way: 1");
    // The finished attempt is on disk.
    let files = world.progress_files();
    assert_eq!(files.len(), 1);
    let saved = std::fs::read_to_string(&files[0]).unwrap();
    assert!(saved.contains("passed: true"), "{saved}");
    click(&mut h, "Back to modules");
    h.get_by_label_contains("Passed");
}

#[test]
fn full_journey_in_spanish() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    click(&mut h, "Español");
    create_learner(&mut h, "Luisa", "Su nombre", "Crear perfil");
    click(&mut h, "Empezar: Un ejemplo mínimo");
    click(&mut h, "Estoy listo(a), continuar");
    h.get_by_label("Paso 1 de 3");
    click(&mut h, "Siguiente");
    click(&mut h, "Estoy listo(a), continuar");
    click(&mut h, "2. Decirle al adulto que usted sabe lo que hace.");
    h.get_by_label("Esta decisión no es segura");
    h.get_by_label("Qué hacer en su lugar");
    click(&mut h, "Intentar el escenario de nuevo");
    click(&mut h, "1. Anotar los detalles y alejarse para llamar.");
    click(&mut h, "1. A la línea directa, con sus notas.");
    h.get_by_label("Bien hecho: una respuesta segura.");
    click(&mut h, "Siguiente");
    click(&mut h, "Falso");
    click(&mut h, "Terminar");
    h.get_by_label("Usted aprobó este módulo.");
}

#[test]
fn switching_language_mid_scenario_keeps_the_node() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    walk_to_second_node(&mut h);
    h.get_by_label("You are out of sight. Who do you call?");
    click(&mut h, "Español");
    assert_eq!(scenario_node(&h).as_deref(), Some("call"));
    h.get_by_label("Está fuera de vista. ¿A quién llama?");
    h.get_by_label("1. A la línea directa, con sus notas.");
    click(&mut h, "English");
    h.get_by_label("You are out of sight. Who do you call?");
}

#[test]
fn quitting_and_reopening_resumes_at_the_same_step_and_node() {
    let world = World::with_fixtures(&["good/minimal"]);
    {
        let mut h = world.launch();
        walk_to_second_node(&mut h);
    } // The window closes without any explicit save.
    let mut h = world.launch();
    // The last learner is remembered; the card says where they were.
    h.get_by_label_contains("In progress (Step 2 of 3)");
    click(&mut h, "Continue: A minimal example");
    click(&mut h, "I am ready, continue"); // The module note is shown again on each opening.
    h.get_by_label("You are out of sight. Who do you call?");
    let Screen::Player(p) = &h.state().screen else { panic!("not in the player") };
    assert_eq!(p.attempt.step, 1);
    assert_eq!(p.attempt.scenarios["station"].state, RunState::InProgress);
    assert!(p.attempt.scenarios["station"].flags.contains("noted"));
}

#[test]
fn alt_right_on_the_module_content_note_moves_nothing_and_enter_reads_it() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    click(&mut h, "Start: A minimal example");
    common::shown(&h, "This module mentions exploitation");
    // Alt+→ is Next everywhere else; behind the content note it once moved the step unseen.
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
    settle(&mut h);
    common::shown(&h, "This module mentions exploitation");
    let Screen::Player(p) = &h.state().screen else { panic!("not in the player") };
    assert_eq!(p.attempt.step, 0, "the step behind the note did not move");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h.get_by_label("Step 1 of 3");
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
    settle(&mut h);
    h.get_by_label("A child may be at risk.");
}

#[test]
fn quick_exit_leaves_content_at_once_and_keeps_progress() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    click(&mut h, "Start: A minimal example");
    click(&mut h, "I am ready, continue");
    click(&mut h, "Next");
    // Enter reads the scenario's content note; Esc is the quick exit.
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h.get_by_label("A girl looks scared. An adult answers for her.");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(matches!(h.state().screen, Screen::Library(_)));
    assert!(h.query_by_label("A child may be at risk.").is_none());
    h.get_by_label_contains("In progress (Step 2 of 3)");
}

#[test]
fn corrupt_progress_file_is_set_aside_with_a_notice() {
    let world = World::with_fixtures(&["good/minimal"]);
    let learner_id = {
        let mut h = world.launch();
        create_learner(&mut h, "Ana", "Your name", "Create profile");
        click(&mut h, "Start: A minimal example");
        click(&mut h, "I am ready, continue");
        click(&mut h, "Next");
        h.state().shared.learner.clone().unwrap()
    };
    let files = world.progress_files();
    assert_eq!(files.len(), 1);
    std::fs::write(&files[0], "Attempt(module_id: \"minimal-example\", step: ").unwrap();
    let mut h = world.launch();
    h.get_by_label_contains("A damaged progress file was set aside");
    h.get_by_label_contains("Not started");
    let kept: Vec<_> = std::fs::read_dir(files[0].parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept for recovery");
    assert_eq!(h.state().shared.learner.as_deref(), Some(learner_id.as_str()));
    click(&mut h, "Dismiss");
    assert!(h.query_by_label_contains("A damaged progress file").is_none());
}

#[test]
fn an_invalid_module_shows_its_error_and_the_rest_still_work() {
    let world = World::with_fixtures(&["good/minimal", "bad/truncated"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    h.get_by_label("This module cannot be opened. Tell your coordinator:");
    h.get_by_label_contains("module.ron:60:22: error: Node( opened at line 60 is never closed");
    click(&mut h, "Start: A minimal example");
    assert!(matches!(h.state().screen, Screen::Player(_)));
}

#[test]
fn tab_reaches_the_help_cards_without_a_number() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    h.key_press(egui::Key::F1);
    settle(&mut h);
    click(&mut h, "Mexico side");
    let child = "A child or teen: through your coordinator to the Procuraduría de Protección / DIF";
    // Tab goes through the cards in order: 911's Copy, the card that has no number, 089's Copy.
    h.get_by_label("Copy the Emergency (Mexico) number, 911").focus();
    settle(&mut h);
    h.key_press(egui::Key::Tab);
    settle(&mut h);
    assert!(h.get_by_label(child).is_focused(), "Tab skipped the card without a number");
    let card = h.get_by_label(child);
    let description = card.accesskit_node().description().unwrap_or_default().to_owned();
    assert!(description.contains("Tell your coordinator at once"), "{description}");
    // Orca reads a focused label's text, not its description: when to use it is a stop too.
    h.key_press(egui::Key::Tab);
    settle(&mut h);
    assert!(h.get_by_label_contains("When to use: A child or teen traveling alone").is_focused());
    h.key_press(egui::Key::Tab);
    settle(&mut h);
    assert!(
        h.query_by(|n| n.is_focused())
            .is_some_and(|n| n.accesskit_node().label().is_some_and(|l| l.ends_with("089")))
    );
}

#[test]
fn help_panel_opens_with_f1_and_shows_each_side_of_the_border() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    h.key_press(egui::Key::F1);
    h.run();
    h.get_by_label("Get help or report");
    h.get_by_label("1-888-373-7888");
    h.get_by_label("233733");
    click(&mut h, "Mexico side");
    h.get_by_label("800 5533 000");
    h.get_by_label("089");
    // A card with no number (FACTS §11: none for the Procuraduría) is shown by name and "when".
    h.get_by_label("A child or teen: through your coordinator to the Procuraduría de Protección / DIF");
    h.get_by_label_contains("Tell your coordinator at once");
    assert!(h.query_by_label("1-888-373-7888").is_none());
    // The Mexico side's cards (911, a child through the coordinator, 089, the Línea Nacional) are
    // taller than the panel: scroll to the Línea's Copy button as a learner would.
    h.get_by(|n| {
        n.role() == egui::accesskit::Role::Button
            && n.label().is_some_and(|l| l.ends_with(" number, 800 5533 000"))
    })
    .scroll_to_me();
    h.run();
    h.get_by(|n| {
        n.role() == egui::accesskit::Role::Button
            && n.label().is_some_and(|l| l.ends_with(" number, 800 5533 000"))
    })
    .click();
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .any(|c| c == &egui::OutputCommand::CopyText("800 5533 000".into()));
    assert!(copied, "the number is on the clipboard");
    settle(&mut h);
    h.get_by_label("Copied 800 5533 000");
    click(&mut h, "Close help");
    assert!(h.query_by_label("Get help or report").is_none());
}

#[test]
fn a_learner_profile_needs_a_real_unique_name() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    click(&mut h, "Create profile");
    h.get_by_label("Please type a name.");
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    click(&mut h, "Switch learner");
    create_learner(&mut h, "ana", "Your name", "Create profile");
    h.get_by_label_contains("That name is already used");
    // Looks like a new "Bo" but holds a zero-width space (issue 17): refused, with a reason.
    h.get_by_label("Your name").focus();
    h.run();
    for _ in 0.."ana".len() {
        h.key_press(egui::Key::Backspace);
    }
    create_learner(&mut h, "Bo\u{200B}", "Your name", "Create profile");
    h.get_by_label_contains(
        "The name holds a character that does not show what it is (U+200B ZERO WIDTH SPACE;",
    );
    assert!(h.query_by_label_contains("Continue as Bo").is_none(), "no learner was created");
    click(&mut h, "Continue as Ana");
    assert_eq!(h.state().learner_name(), Some("Ana"));
}

#[test]
fn theme_and_text_size_are_remembered() {
    let world = World::with_fixtures(&["good/minimal"]);
    {
        let mut h = world.launch();
        click(&mut h, "A+");
        click(&mut h, "A+");
        h.get_by_label("Theme: Light").click();
        h.run();
        click(&mut h, "High contrast");
    }
    let h = world.launch();
    assert_eq!(h.state().shared.settings.theme, faro::app::theme::Theme::HighContrast);
    assert!((h.state().shared.settings.zoom - 1.2).abs() < 0.01, "{}", h.state().shared.settings.zoom);
}

/// The one-line view the frame report prints (`FARO_FRAME_REPORT`, used by
/// `examples/viewer_probe.rs` to know what it measured) follows the screen, the step and the
/// images as they decode.
#[test]
fn the_frame_report_view_follows_screen_step_and_images() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    assert_eq!(h.state().view_summary(), "start; images loading 0, ready 0");
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    assert_eq!(h.state().view_summary(), "library, 1 modules; images loading 0, ready 0");
    click(&mut h, "Start: A minimal example");
    // `click` waits until the page's figure has been decoded on its worker thread.
    click(&mut h, "I am ready, continue");
    assert_eq!(h.state().view_summary(), "player minimal-example step 1; images loading 0, ready 1");
    click(&mut h, "Next");
    assert!(h.state().view_summary().starts_with("player minimal-example step 2;"));
}

/// A keyboard user lands on the suggested module's button when the library opens (the first in
/// progress, else the first not started), so Enter opens it.
#[test]
fn the_library_focuses_the_next_module_so_enter_opens_it() {
    let world = World::with_fixtures(&["good/minimal"]);
    let second = world.modules.path().join("zz-second");
    common::copy_dir(&world.modules.path().join("minimal"), &second);
    let text = std::fs::read_to_string(second.join("module.ron")).unwrap();
    let text = text
        .replace("\"minimal-example\"", "\"second-example\"")
        .replace("A minimal example", "A second example");
    std::fs::write(second.join("module.ron"), text).unwrap();
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    settle(&mut h);
    assert!(h.get_by_label("Start: A minimal example").is_focused());
    // Progress in the second module: coming back, it is the one suggested.
    click(&mut h, "Start: A second example");
    click(&mut h, "I am ready, continue");
    click(&mut h, "Next");
    click(&mut h, "Take a break");
    assert!(matches!(h.state().screen, Screen::Library(_)));
    assert!(h.get_by_label("Continue: A second example").is_focused());
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    match &h.state().screen {
        Screen::Player(p) => assert_eq!(p.attempt.module_id, "second-example"),
        _ => panic!("Enter should open the suggested module"),
    }
}

/// A first-time volunteer types a name and presses Enter, without reaching for the mouse.
#[test]
fn typing_a_name_and_pressing_enter_creates_the_profile() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    settle(&mut h);
    assert!(h.get_by_label("Your name").is_focused(), "the name field has the focus at first launch");
    h.get_by_label("Your name").type_text("Ana");
    settle(&mut h);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert!(matches!(h.state().screen, Screen::Library(_)));
    assert_eq!(h.state().learner_name(), Some("Ana"));
}

/// A damaged completion record is set aside (kept for recovery) with a notice in the learner's
/// language, and the app goes on.
#[test]
fn a_damaged_record_is_set_aside_with_a_notice() {
    let world = World::with_fixtures(&["good/minimal"]);
    let learner_id = {
        let mut h = world.launch();
        create_learner(&mut h, "Ana", "Your name", "Create profile");
        h.state().shared.learner.clone().unwrap()
    };
    let records =
        faro::records::learner_dir(&DataDir::at(world.data.path().to_owned()), &learner_id).join("records");
    std::fs::create_dir_all(&records).unwrap();
    std::fs::write(records.join("torn.ron"), "SignedRecord(record: (id: \"abc\", ").unwrap();
    let h = world.launch();
    h.get_by_label_contains("A damaged completion record was set aside");
    let kept: Vec<_> = std::fs::read_dir(&records)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("torn.ron.corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged record is kept for recovery");
    assert!(matches!(h.state().screen, Screen::Library(_)));
}

/// S9 (issue 13): reaching the Pass ending below pass_score is never shown as a pass alone: the
/// verdict says "not passed yet" with the score, then which choice cost the point.
#[test]
fn a_pass_ending_below_pass_score_says_not_passed_and_what_was_missed() {
    let world = World::with_fixtures(&["bad/low-score-pass"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    click(&mut h, "Start: A minimal example");
    click(&mut h, "I am ready, continue");
    click(&mut h, "Next");
    click(&mut h, "I am ready, continue");
    click(&mut h, "2. Wave and go to the phone without noting anything.");
    click(&mut h, "1. The hotline, with your notes.");
    h.get_by_label(
        "Not passed yet: this run scored 1 of the 2 points the scenario needs. The story ended, but some steps were missed.",
    );
    assert!(h.query_by_label("Well done: a safe response.").is_none());
    h.get_by_label("Where points were missed");
    h.get_by_label(
        "You chose: “Wave and go to the phone without noting anything.”\nA better choice: “Note the details and step away to call.”",
    );
    // The scenario is over (the learner may go on) but it is not passed.
    let Screen::Player(p) = &h.state().screen else { panic!("still in the player") };
    assert_eq!(p.attempt.scenarios["station"].state, RunState::Ended("reported".into()));
}

#[test]
fn a_first_launch_speaks_the_system_language_and_a_saved_choice_wins_afterwards() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut config = world.config();
    config.first_language = "es".into();
    let mut h = common::harness(faro::app::FaroApp::new(config.clone()));
    assert!(h.query_by_label("Su nombre").is_some(), "a Spanish system's first window is not in Spanish");
    // The learner switches to English; that choice is saved and outlives the system's language.
    click(&mut h, "English");
    drop(h);
    let h = common::harness(faro::app::FaroApp::new(config));
    assert!(h.query_by_label("Your name").is_some(), "the saved language was not kept");
}
