//! Every bundled module walked from its first step to a passed completion through the viewer, in
//! English and in Spanish, by accessible label as a keyboard or screen-reader user would. The
//! harness fails on an unlabeled widget or a glyph the font lacks, so this is also the on-screen
//! check of the content of each module, new ones included.

use crate::common;

use std::path::Path;

use common::{World, click, create_learner, settle};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use faro::app::{FaroApp, Screen, strings};
use faro::format::{Module, QuestionKind, Step};
use faro::progress::RunState;

type Harness = egui_kittest::Harness<'static, FaroApp>;

/// Scrolls to the first button or checkbox with exactly this label, then clicks it, as a keyboard
/// user tabbing to it would. Answer buttons such as "True" repeat across questions (and stay as
/// plain text under answered ones); the first button belongs to the first unanswered question.
fn press(h: &mut Harness, label: &str) {
    use egui::accesskit::Role;
    let first_button = |h: &Harness| {
        h.query_all_by_label(label)
            .find(|n| matches!(n.accesskit_node().role(), Role::Button | Role::RadioButton | Role::CheckBox))
            .unwrap_or_else(|| panic!("no button labelled {label:?}"))
            .accesskit_node()
            .id()
    };
    let id = first_button(h);
    h.get_by(move |n| n.id() == id).scroll_to_me();
    settle(h);
    let id = first_button(h);
    h.get_by(move |n| n.id() == id).click();
    settle(h);
}

fn player(h: &Harness) -> &faro::app::Player {
    match &h.state().screen {
        Screen::Player(p) => p,
        _ => panic!("expected the module player"),
    }
}

/// One walk: the content note, every page, the best-scoring safe choice at every scenario node,
/// the right answers of every check, then Finish; returns whether the attempt passed.
fn walk(folder: &str, lang: &str) -> bool {
    let world = World::with_fixtures(&[]);
    common::copy_dir(&Path::new("modules").join(folder), &world.modules.path().join(folder));
    let module: Module =
        faro::load::load_module_dir(&Path::new("modules").join(folder)).expect("loads").module;
    let mut h = world.launch();
    create_learner(&mut h, "Ana", "Your name", "Create profile");
    if lang == "es" {
        click(&mut h, "Español");
    }
    let s = strings::strings(lang);
    click(&mut h, &format!("{}: {}", s.start, module.title.get(lang)));
    click(&mut h, s.content_note_continue);

    for _ in 0..1000 {
        let p = player(&h);
        if p.attempt.finished.is_some() {
            return p.attempt.finished.as_ref().is_some_and(|f| f.passed);
        }
        let last = p.attempt.step + 1 == module.steps.len();
        let step = &module.steps[p.attempt.step];
        let advance = if last { s.finish } else { s.next };
        match step {
            Step::Page(_) => press(&mut h, advance),
            Step::Scenario(sc) => {
                let run = &p.attempt.scenarios[&sc.id];
                if !run.note_acknowledged {
                    press(&mut h, s.content_note_continue);
                    continue;
                }
                match &run.state {
                    RunState::InProgress => {
                        let offered = p.attempt.offered_choices(&module);
                        let (i, best) = offered
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| c.critical.is_none())
                            .max_by_key(|(i, c)| (c.score, std::cmp::Reverse(*i)))
                            .expect("a safe choice is offered");
                        let label = format!("{}. {}", i + 1, best.text.get(lang));
                        press(&mut h, &label);
                    }
                    RunState::Ended(_) => press(&mut h, advance),
                    RunState::Critical { .. } => panic!("the walk never makes a critical choice"),
                }
            }
            Step::Check(c) => {
                let answered = p.attempt.answers.get(&c.id).map_or(0, |a| a.len());
                let Some((qi, q)) = c.questions.iter().enumerate().nth(answered) else {
                    press(&mut h, advance);
                    continue;
                };
                let right: Vec<String> =
                    q.answers.iter().filter(|a| a.correct).map(|a| a.text.get(lang).to_owned()).collect();
                if q.kind == QuestionKind::Multiple {
                    for text in &right {
                        press(&mut h, text);
                    }
                    press(&mut h, &format!("{} {}", s.submit_answer, qi + 1));
                } else {
                    press(&mut h, &right[0]);
                }
                assert!(
                    player(&h).attempt.answers[&c.id].len() > answered,
                    "question {} of {} was not answered",
                    q.id,
                    c.id
                );
            }
        }
    }
    panic!("{folder} ({lang}) did not finish within 1000 actions");
}

#[test]
fn every_bundled_module_can_be_walked_to_a_pass_in_english_and_spanish() {
    let folders = faro::load::module_dirs(Path::new("modules")).expect("modules/ exists");
    assert!(folders.len() >= 7, "{folders:?}");
    for dir in folders {
        let folder = dir.file_name().unwrap().to_str().unwrap().to_owned();
        for lang in ["en", "es"] {
            assert!(walk(&folder, lang), "{folder} ({lang}): the best safe path did not pass");
        }
    }
}
