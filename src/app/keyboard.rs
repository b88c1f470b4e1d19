//! The keyboard shortcuts that work across screens: help, zoom, Quick exit, a break, Back and
//! Next, the number keys for a scenario's choices, and the author preview's.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::command::Command;
use super::screens::studio;
use super::{Action, FaroApp, PlayerAction, Screen};
use crate::progress::Event;

fn journey(event: Event) -> Action {
    Action::Player(PlayerAction::Journey(event))
}

/// Quick exit: leaves module content for the neutral library at once.
const QUICK_EXIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Escape);
const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);
const BREAK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::B);
const BACK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowLeft);
const NEXT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowRight);
const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
const ZOOM_IN_EQUALS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
const ZOOM_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
const NUMBER_KEYS: [Key; 9] =
    [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5, Key::Num6, Key::Num7, Key::Num8, Key::Num9];

/// Global keyboard shortcuts.
pub fn shortcuts(app: &FaroApp, ctx: &egui::Context) -> Vec<Action> {
    let mut actions = Vec::new();
    // Only a text field takes the keys for itself: a focused button (where the focus lands
    // after every transition) leaves the number keys to the choices.
    let typing = ctx.text_edit_focused();
    let zoom = app.shared.settings.zoom;
    ctx.input_mut(|i| {
        if i.consume_shortcut(&HELP) {
            actions.push(Command::ToggleHelp.into());
        }
        // Before the text-size keys: on the scenario map, Ctrl+= and Ctrl+- zoom the map.
        if let Some(studio) = &app.studio {
            actions.extend(studio::keyboard(studio, i).into_iter().map(Action::Studio));
        }
        if i.consume_shortcut(&ZOOM_IN) || i.consume_shortcut(&ZOOM_IN_EQUALS) {
            actions.push(Command::Zoom(zoom + 0.1).into());
        }
        if i.consume_shortcut(&ZOOM_OUT) {
            actions.push(Command::Zoom(zoom - 0.1).into());
        }
        if i.consume_shortcut(&ZOOM_RESET) {
            actions.push(Command::Zoom(1.0).into());
        }
        // Quick exit also leaves the coordinator's screens, and locks them again; but with a
        // learner's history open there, Escape closes that window first (as a window's Escape
        // does), and a second Escape leaves.
        let history_open = matches!(&app.screen, Screen::Coordinator(c) if c.history.is_some());
        if matches!(app.screen, Screen::Coordinator(_) | Screen::PackBuilder(_))
            && !history_open
            && i.consume_shortcut(&QUICK_EXIT)
        {
            actions.push(Command::QuickExit.into());
            return;
        }
        let Screen::Player(player) = &app.screen else { return };
        if i.consume_shortcut(&QUICK_EXIT) {
            actions.push(Command::QuickExit.into());
            return;
        }
        if i.consume_shortcut(&BREAK) {
            actions.push(Command::ToLibrary.into());
            return;
        }
        if i.consume_shortcut(&BACK) {
            actions.push(journey(Event::Back));
        }
        if i.consume_shortcut(&NEXT) {
            actions.push(journey(Event::Next));
        }
        if typing {
            return;
        }
        let Some(Ok(module)) = app.shared.entries.get(player.entry).map(|e| &e.module) else { return };
        // On a content note, Enter means "I am ready, continue".
        if player.attempt.module_note_pending {
            if i.consume_key(Modifiers::NONE, Key::Enter) {
                actions.push(journey(Event::ReadModuleNote));
            }
            return;
        }
        let note_pending = player.attempt.current_run(module).is_some_and(|(_, r)| !r.note_acknowledged);
        if note_pending {
            if i.consume_key(Modifiers::NONE, Key::Enter) {
                actions.push(journey(Event::AcknowledgeNote));
            }
            return;
        }
        let offered = player.attempt.offered_choices(module);
        for (key, choice) in NUMBER_KEYS.iter().zip(offered) {
            if i.consume_key(Modifiers::NONE, *key) {
                actions.push(journey(Event::Choose(choice.id.clone())));
            }
        }
    });
    actions
}
