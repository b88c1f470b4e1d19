//! Issue 16: what a screen reader gets. After every transition the keyboard focus lands on the
//! widget the learner acts on next, that widget carries the text the transition brought as its
//! accessible description, and the same text is announced by a live region. Checked on the
//! AccessKit tree that AT-SPI, UI Automation and VoiceOver read (`.ci/a11y-check` drives the real
//! AT-SPI stack).

use crate::common;

use common::{World, click, create_learner, focused, settle};
use egui::accesskit::{Live, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use faro::app::FaroApp;

/// Asserts the focused widget is `label` and its description contains `says`.
#[track_caller]
fn assert_focus(h: &Harness<'_, FaroApp>, label: &str, says: &str) {
    let (focused_label, description) = focused(h);
    assert_eq!(focused_label, label, "focused widget");
    assert!(description.contains(says), "the description of {label:?} says {says:?}; it is {description:?}");
}

/// The live announcements on screen (status nodes), with their politeness.
fn announcements(h: &Harness<'_, FaroApp>) -> Vec<(String, Live)> {
    h.query_all_by_role(Role::Status)
        .map(|n| {
            let n = n.accesskit_node();
            (n.label().unwrap_or_default(), n.live())
        })
        .collect()
}

#[track_caller]
fn assert_announced(h: &Harness<'_, FaroApp>, says: &str, live: Live) {
    let all = announcements(h);
    assert!(all.iter().any(|(text, l)| text.contains(says) && *l == live), "{says:?} ({live:?}) in {all:?}");
}

fn press(h: &mut Harness<'_, FaroApp>, key: egui::Key) {
    h.key_press(key);
    settle(h);
}

fn into_minimal_module() -> (World, Harness<'static, FaroApp>) {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    settle(&mut h);
    assert!(h.get_by_label("Start: A minimal example").is_focused());
    press(&mut h, egui::Key::Enter);
    (world, h)
}

#[test]
fn focus_and_speech_follow_the_learner_through_a_module() {
    let (_world, mut h) = into_minimal_module();

    // The module's content note: the way on has the focus and carries the note.
    assert_focus(&h, "I am ready, continue", "This module mentions exploitation");
    assert_announced(&h, "This module mentions exploitation", Live::Polite);

    // A page: nothing to act on in the text, so the focus lands on its title, described by where
    // the learner is; then each block is a stop of its own, by Tab or by the arrow keys: the
    // paragraph, the image by its alt text, the warning's kind and then its text. Next is
    // described by the page, not by all of its text.
    press(&mut h, egui::Key::Enter);
    assert_focus(&h, "Welcome", "Step 1 of 3");
    let title = h.get_by_label("Welcome");
    assert_eq!((title.accesskit_node().role(), title.accesskit_node().level()), (Role::Heading, Some(1)));
    press(&mut h, egui::Key::Tab);
    assert_focus(&h, "Volunteers notice and report.", "");
    press(&mut h, egui::Key::ArrowDown);
    assert_focus(&h, "Three circles joined by arrows.", "");
    press(&mut h, egui::Key::Tab);
    assert_focus(&h, "Important", "");
    press(&mut h, egui::Key::Tab);
    assert_focus(&h, "Never confront a suspect.", "");
    press(&mut h, egui::Key::ArrowUp);
    assert_focus(&h, "Important", "");
    let next = h.get_by_label("Next");
    assert_eq!(next.accesskit_node().description().unwrap_or_default(), "Step 1 of 3: Welcome");

    // The scenario's content note, then its first situation: the first choice carries it.
    click(&mut h, "Next");
    assert_focus(&h, "I am ready, continue", "A child may be at risk.");
    click(&mut h, "I am ready, continue");
    assert_focus(&h, "1. Note the details and step away to call.", "A girl looks scared.");

    // An unsafe choice: "try again" has the focus and the explanation, said at once.
    click(&mut h, "2. Tell the adult you know what he is doing.");
    assert_focus(&h, "Try the scenario again", "Confronting can put the girl and you in danger.");
    assert_announced(&h, "Stay calm, note details, and report.", Live::Assertive);
    click(&mut h, "Try the scenario again");
    assert_focus(&h, "1. Note the details and step away to call.", "A girl looks scared.");

    // A safe choice: its feedback takes the focus first (a screen reader reads it before the next
    // choices), and is announced; Tab goes on to the next node's first choice.
    click(&mut h, "1. Note the details and step away to call.");
    assert_focus(&h, "Good: you stay safe and keep the facts.", "");
    assert_announced(&h, "Good: you stay safe and keep the facts.", Live::Polite);
    press(&mut h, egui::Key::Tab);
    assert_focus(&h, "1. The hotline, with your notes.", "");

    // The end of the scenario: Next carries the outcome.
    click(&mut h, "1. The hotline, with your notes.");
    assert_focus(&h, "Next", "You reported safely.");
    assert_announced(&h, "You reported safely.", Live::Polite);

    // The check: the first answer carries the question; after answering, the verdict with its
    // explanations takes the focus, and Tab goes on to Finish, which carries the score.
    click(&mut h, "Next");
    assert_focus(&h, "True", "You should confront a suspected trafficker.");
    click(&mut h, "False");
    let (verdict, _) = focused(&h);
    assert!(verdict.starts_with("Correct") && verdict.contains("Right: notice, note, report."), "{verdict}");
    assert_announced(&h, "1 of 1 correct", Live::Polite);
    press(&mut h, egui::Key::Tab);
    assert_focus(&h, "Back", "");
    press(&mut h, egui::Key::Tab);
    assert_focus(&h, "Finish", "1 of 1 correct");

    // The result: the certificate button has the focus and says the module was passed.
    click(&mut h, "Finish");
    assert_focus(&h, "Save certificate", "You passed this module.");
    assert_announced(&h, "You passed this module.", Live::Polite);
}

#[test]
fn help_takes_the_focus_and_gives_it_back() {
    let (_world, mut h) = into_minimal_module();
    assert_focus(&h, "I am ready, continue", "");
    press(&mut h, egui::Key::F1);
    let (label, description) = focused(&h);
    // The first contact's number, named by service and kind, described by when to use it.
    assert!(label.starts_with("Copy the ") && label.contains(" number, "), "{label}");
    assert!(!description.is_empty());
    press(&mut h, egui::Key::F1);
    assert_focus(&h, "I am ready, continue", "This module mentions exploitation");
}

#[test]
fn contact_buttons_and_progress_say_what_they_are_in_both_languages() {
    let (_world, mut h) = into_minimal_module();
    press(&mut h, egui::Key::Enter);
    // The page's Emergency card: the Copy button names the service and the number.
    assert!(h.query_by_label("Copy the Emergency number, 911").is_some());
    let bar = h.get_by_role(Role::ProgressIndicator);
    let bar = bar.accesskit_node();
    assert_eq!((bar.numeric_value(), bar.max_numeric_value()), (Some(1.0), Some(3.0)));

    click(&mut h, "Español");
    assert!(h.query_by_label("Copiar el número de Emergencias, 911").is_some());
    press(&mut h, egui::Key::F1);
    assert!(h.query_by_label("Cambiar el tamaño del panel").is_some(), "the resize handle speaks Spanish");
    assert!(h.query_by_label("Resize panel").is_none());
}

#[test]
fn page_up_and_down_scroll_the_page() {
    let (_world, mut h) = into_minimal_module();
    press(&mut h, egui::Key::Enter);
    // Nothing focused: Page Down moves the content up (a small window makes the page scroll).
    h.set_size(egui::vec2(700.0, 360.0));
    settle(&mut h);
    let top_of = |h: &Harness<'_, FaroApp>| h.get_by_label("Welcome").rect().min.y;
    let before = top_of(&h);
    press(&mut h, egui::Key::PageDown);
    let after = top_of(&h);
    assert!(after < before - 50.0, "Page Down scrolled: {before} → {after}");
    press(&mut h, egui::Key::Home);
    assert!((top_of(&h) - before).abs() < 1.0, "Home went back to the top");
}

#[test]
fn the_window_is_named_after_the_screen() {
    let (_world, mut h) = into_minimal_module();
    let window_name = |h: &Harness<'_, FaroApp>| h.root().accesskit_node().label().unwrap_or_default();
    assert_eq!(window_name(&h), "Faro — A minimal example");
    press(&mut h, egui::Key::Escape);
    assert_eq!(window_name(&h), "Faro — Training modules");
    click(&mut h, "Español");
    assert_eq!(window_name(&h), "Faro — Módulos de capacitación");
}

#[test]
fn tab_goes_through_the_content_before_back_and_next() {
    let (_world, mut h) = into_minimal_module();
    press(&mut h, egui::Key::Enter);
    assert_focus(&h, "Welcome", "");
    // Tab from the title through every block of the page, then Next (Back is disabled on the
    // first page); nothing is passed twice.
    let mut stops = Vec::new();
    for _ in 0..30 {
        press(&mut h, egui::Key::Tab);
        let (label, _) = focused(&h);
        if label == "Next" {
            break;
        }
        stops.push(label);
    }
    let expected = [
        "Volunteers notice and report.",
        "Three circles joined by arrows.",
        "Important",
        "Never confront a suspect.",
        "Copy the Emergency number, 911",
        "Signs",
        "Someone else speaks for them.",
    ];
    for (i, label) in expected.iter().enumerate() {
        assert!(stops.iter().any(|s| s == label), "{label:?} is a stop: {stops:?}");
        if let Some(before) = i.checked_sub(1) {
            let at = |l: &str| stops.iter().position(|s| s == l);
            assert!(at(expected[before]) < at(label), "{:?} before {label:?}: {stops:?}", expected[before]);
        }
    }
    let unique: std::collections::BTreeSet<_> = stops.iter().collect();
    assert_eq!(unique.len(), stops.len(), "each stop once: {stops:?}");
    assert!(
        stops.last().is_some_and(|l| l.starts_with("DHS Blue Campaign")),
        "the sources come last: {stops:?}"
    );
    // And back: the widget before Next is the page's last block.
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::Tab);
    settle(&mut h);
    assert_eq!(focused(&h).0, *stops.last().unwrap());
}

#[test]
fn answers_are_radio_buttons_in_a_group_named_by_the_question() {
    let (_world, mut h) = into_minimal_module();
    click(&mut h, "I am ready, continue");
    click(&mut h, "Next");
    click(&mut h, "I am ready, continue");
    click(&mut h, "1. Note the details and step away to call.");
    click(&mut h, "1. The hotline, with your notes.");
    click(&mut h, "Next");
    let answer = h.get_by_role_and_label(Role::RadioButton, "True");
    let group = answer.parent().expect("a group");
    let group = group.accesskit_node();
    assert_eq!(group.role(), Role::RadioGroup);
    assert_eq!(group.label().unwrap_or_default(), "1. You should confront a suspected trafficker.");
    h.get_by_role_and_label(Role::RadioButton, "False");
}

#[test]
fn library_buttons_say_status_length_and_progress() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    let (label, description) = focused(&h);
    assert_eq!(label, "Start: A minimal example");
    for part in ["Not started", "5 min", "Progress 0%", "Shows every part of the module format."] {
        assert!(description.contains(part), "{part:?} in {description:?}");
    }
}

#[test]
fn page_text_is_read_in_whole_paragraphs_headings_and_lists() {
    let world = World::with_fixtures(&["good/minimal"]);
    let module = world.modules.path().join("minimal/module.ron");
    let text = std::fs::read_to_string(&module).unwrap().replace(
        r#"Text({"en": "Volunteers **notice** and **report**.", "es": "Las personas voluntarias **observan** y **reportan**."}),"#,
        r####"Text({"en": "### What to do\n\nVolunteers **notice** and *report*.\n\n- Stay calm\n- Call\n\n| | Who |\n|---|---|\n| First | The hotline |", "es": "### Qué hacer\n\nLas personas voluntarias **observan** y *reportan*.\n\n- Calma\n- Llamar"}),"####,
    );
    std::fs::write(&module, text).unwrap();
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    press(&mut h, egui::Key::Enter);
    press(&mut h, egui::Key::Enter);
    let heading = h.get_by_role_and_label(Role::Heading, "What to do");
    let heading = heading.accesskit_node();
    assert_eq!((heading.label().as_deref(), heading.level()), (Some("What to do"), Some(3)));
    common::shown(&h, "Volunteers notice and report.");
    let list = h.get_by_role(Role::List);
    let items: Vec<_> = list.children().map(|item| item.accesskit_node().role()).collect();
    assert_eq!(items, [Role::ListItem, Role::ListItem]);
    assert!(h.query_by_label("Stay calm").is_some());
    // A table of rows and cells, its empty corner cell holding no label.
    let table = h.get_by_role(Role::Table);
    assert_eq!(table.children().count(), 2, "a header row and one row");
    assert!(h.query_by_label("The hotline").is_some());
    // No label without words (egui_commonmark left empty and line-break labels between runs).
    let empty = h
        .query_all_by_role(Role::Label)
        .filter(|n| {
            n.accesskit_node().value().is_none_or(|v| v.trim().is_empty())
                && n.accesskit_node().label().is_none_or(|l| l.trim().is_empty())
        })
        .count();
    assert_eq!(empty, 0, "empty labels on the page");
}

#[test]
fn the_theme_menu_says_whether_it_is_open_and_keeps_the_focus_after_escape() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    h.get_by_label("Theme: Light").focus();
    settle(&mut h);
    let expanded =
        |h: &Harness<'_, FaroApp>| h.get_by_label("Theme: Light").accesskit_node().data().is_expanded();
    assert_eq!(expanded(&h), Some(false));
    press(&mut h, egui::Key::Space);
    assert_eq!(expanded(&h), Some(true), "the list is open");
    // Orca 43 does not say "expanded": the open list is in the description too.
    let (_, description) = focused(&h);
    assert!(description.starts_with("List open: "), "{description}");
    press(&mut h, egui::Key::Escape);
    assert_eq!(expanded(&h), Some(false));
    assert!(h.get_by_label("Theme: Light").is_focused(), "the focus is back on the menu, not the window");

    // Into the list and Escape from an item: the item goes with the list, the focus to the menu.
    press(&mut h, egui::Key::Space);
    press(&mut h, egui::Key::ArrowDown);
    assert_eq!(focused(&h).0, "Light");
    press(&mut h, egui::Key::Escape);
    assert!(h.get_by_label("Theme: Light").is_focused(), "back on the menu after Escape from an item");

    // Enter on an item chooses it, closes the list and gives the focus back to the menu.
    press(&mut h, egui::Key::Space);
    press(&mut h, egui::Key::ArrowDown);
    press(&mut h, egui::Key::ArrowDown);
    assert_eq!(focused(&h).0, "Dark");
    press(&mut h, egui::Key::Enter);
    let menu = h.get_by_label("Theme: Dark");
    assert!(menu.is_focused(), "the focus is on the menu, named with the chosen theme");
    assert_eq!(menu.accesskit_node().data().is_expanded(), Some(false), "the list closed");
}

#[test]
fn answering_a_question_moves_the_focus_to_the_next_one_with_the_verdict() {
    let world = World::with_fixtures(&["good/minimal"]);
    let module = world.modules.path().join("minimal/module.ron");
    let text = std::fs::read_to_string(&module).unwrap().replacen(
        "            questions: [\n",
        r#"            questions: [
                Question(
                    id: "q0",
                    kind: Single,
                    prompt: {"en": "Notes help a report.", "es": "Las notas ayudan a reportar."},
                    answers: [
                        Answer(id: "yes", text: {"en": "Yes", "es": "Sí"}, correct: true, explain: {"en": "Details help the hotline.", "es": "Los detalles ayudan a la línea."}),
                        Answer(id: "no", text: {"en": "No", "es": "No"}, explain: {"en": "They do help.", "es": "Sí ayudan."}),
                    ],
                ),
"#,
        1,
    );
    std::fs::write(&module, text).unwrap();
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    press(&mut h, egui::Key::Enter);
    click(&mut h, "I am ready, continue");
    click(&mut h, "Next");
    click(&mut h, "I am ready, continue");
    click(&mut h, "1. Note the details and step away to call.");
    click(&mut h, "1. The hotline, with your notes.");
    click(&mut h, "Next");
    assert_focus(&h, "Yes", "Notes help a report.");
    click(&mut h, "Yes");
    // The verdict on the answer just given has the focus, read before the next question; Tab goes
    // on to the next question's first answer, which carries its question (not the verdict again).
    let (verdict, _) = focused(&h);
    assert!(verdict.contains("Details help the hotline."), "{verdict}");
    assert_announced(&h, "Details help the hotline.", Live::Polite);
    press(&mut h, egui::Key::Tab);
    assert_focus(&h, "True", "You should confront a suspected trafficker.");
    let (_, description) = focused(&h);
    assert!(!description.contains("Details help the hotline."), "{description}");
}

#[test]
fn escape_outside_a_module_leaves_the_focus_where_it_was() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    assert!(h.get_by_label("Start: A minimal example").is_focused());
    // In the library Escape is not Quick exit; egui alone would drop the focus to the window.
    press(&mut h, egui::Key::Escape);
    assert!(h.get_by_label("Start: A minimal example").is_focused());
}

#[test]
fn opening_the_coordinator_screen_lands_on_the_records_field() {
    let world = World::with_fixtures(&["good/minimal"]);
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    click(&mut h, "Coordinator");
    click(&mut h, "Not now");
    assert!(h.get_by_label("Records file or folder").is_focused());
}

/// Tab and the arrow keys bring the block they reach into view: a sighted keyboard user must see
/// where the focus is on a page taller than the window.
#[test]
fn the_focused_block_is_scrolled_into_view() {
    let (_world, mut h) = into_minimal_module();
    h.set_size(egui::vec2(700.0, 360.0));
    press(&mut h, egui::Key::Enter);
    assert_focus(&h, "Welcome", "");
    let visible = |h: &Harness<'_, FaroApp>, label: &str| {
        let rect = h.get_by_label(label).rect();
        // Above the Back/Next bar at the bottom (56 points) and below the top bar.
        rect.min.y >= 30.0 && rect.max.y <= 360.0 - 56.0
    };
    assert!(!visible(&h, "Someone else speaks for them."), "the window is small enough to scroll");
    for _ in 0..30 {
        press(&mut h, egui::Key::Tab);
        if focused(&h).0 == "Someone else speaks for them." {
            break;
        }
    }
    assert_eq!(focused(&h).0, "Someone else speaks for them.");
    assert!(visible(&h, "Someone else speaks for them."), "Tab scrolled the focused block into view");
    for _ in 0..30 {
        press(&mut h, egui::Key::ArrowUp);
        if focused(&h).0 == "Volunteers notice and report." {
            break;
        }
    }
    assert!(visible(&h, "Volunteers notice and report."), "Up scrolled back to it");
}
