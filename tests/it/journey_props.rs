//! Property tests: for any module that validates and any sequence of events, the engine never
//! panics, stays in bounds, and a finished attempt's outcome agrees with the pass rule.

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use faro::format::*;
use faro::load::LoadedModule;
use faro::progress::{Attempt, Event, RunState};
use proptest::prelude::*;

fn t(s: &str) -> Text {
    Text::from_pairs([("en", s), ("es", s)])
}

/// A random scenario: nodes `n0..`, endings `e0..`, each choice to a random target or critical.
fn scenario() -> impl Strategy<Value = Scenario> {
    (1usize..6, 1usize..4).prop_flat_map(|(nodes, endings)| {
        let targets = nodes + endings;
        let choice = (0..targets, any::<bool>(), -2i32..3, prop::option::of(0u8..3));
        let node = prop::collection::vec(choice, 1..4);
        (
            prop::collection::vec(node, nodes),
            prop::collection::vec(
                prop::sample::select(vec![Outcome::Pass, Outcome::Fail, Outcome::Neutral]),
                endings,
            ),
            prop::option::of(-1i32..4),
        )
            .prop_map(move |(node_choices, outcomes, pass_score)| {
                let target = |i: usize| if i < nodes { format!("n{i}") } else { format!("e{}", i - nodes) };
                Scenario {
                    id: "s".into(),
                    title: t("S"),
                    content_note: None,
                    start: "n0".into(),
                    nodes: node_choices
                        .into_iter()
                        .enumerate()
                        .map(|(i, choices)| Node {
                            id: format!("n{i}"),
                            text: t("node"),
                            image: None,
                            choices: choices
                                .into_iter()
                                .enumerate()
                                .map(|(j, (to, critical, score, cond))| Choice {
                                    id: format!("c{j}"),
                                    text: t("choice"),
                                    goto: Some(target(to)),
                                    feedback: None,
                                    score,
                                    sets: vec![format!("f{j}")],
                                    when: cond.map(|c| match c {
                                        0 => Condition::Flag("f0".into()),
                                        1 => Condition::ScoreAtLeast(1),
                                        _ => Condition::NotFlag("f1".into()),
                                    }),
                                    critical: critical
                                        .then(|| Critical { why: t("why"), instead: t("instead") }),
                                    act: None,
                                })
                                .collect(),
                        })
                        .collect(),
                    endings: outcomes
                        .into_iter()
                        .enumerate()
                        .map(|(i, outcome)| Ending {
                            id: format!("e{i}"),
                            outcome,
                            summary: t("end"),
                            claims: Vec::new(),
                        })
                        .collect(),
                    pass_score,
                    requires: Vec::new(),
                }
            })
    })
}

fn check() -> impl Strategy<Value = Check> {
    prop::collection::vec((any::<bool>(), 0usize..3), 1..4).prop_flat_map(|qs| {
        let n = qs.len() as u32;
        (Just(qs), 0..=n).prop_map(|(qs, pass_mark)| Check {
            id: "c".into(),
            title: t("C"),
            pass_mark,
            questions: qs
                .into_iter()
                .enumerate()
                .map(|(i, (multiple, correct))| Question {
                    id: format!("q{i}"),
                    kind: if multiple { QuestionKind::Multiple } else { QuestionKind::Single },
                    prompt: t("q"),
                    answers: (0..3)
                        .map(|a| Answer {
                            id: format!("a{a}"),
                            text: t("a"),
                            correct: a == correct || (multiple && a == 2),
                            explain: t("x"),
                        })
                        .collect(),
                })
                .collect(),
        })
    })
}

fn module() -> impl Strategy<Value = Module> {
    (scenario(), check(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(s, c, note, sp, cp)| {
        Module {
            id: "m".into(),
            version: semver::Version::new(1, 0, 0),
            languages: vec!["en".into(), "es".into()],
            title: t("M"),
            summary: t("S"),
            minutes: 5,
            review_by: chrono::NaiveDate::from_ymd_opt(2099, 1, 1).expect("date"),
            valid_for_months: 12,
            regions: vec![],
            sources: vec![Source { id: "x".into(), title: "x".into(), url: "https://example.org".into() }],
            content_note: None,
            pass_rule: PassRule { scenarios_passed: sp, checks_passed: cp },
            steps: vec![
                Step::Page(Page { id: "p".into(), title: t("P"), blocks: vec![Block::Text(t("hello"))] }),
                Step::Scenario(Scenario { content_note: note.then(|| t("note")), ..s }),
                Step::Check(c),
            ],
        }
    })
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        4 => Just(Event::Next),
        1 => Just(Event::Back),
        6 => (0u8..4).prop_map(|c| Event::Choose(format!("c{c}"))),
        4 => (0u8..4, prop::collection::vec(0u8..4, 0..3)).prop_map(|(q, a)| Event::Answer {
            question: format!("q{q}"),
            answers: a.into_iter().map(|a| format!("a{a}")).collect()
        }),
        2 => Just(Event::AcknowledgeNote),
        1 => Just(Event::Skip),
        2 => Just(Event::RetryScenario),
        1 => Just(Event::Restart),
        1 => prop::sample::select(vec!["en", "es", "fr"]).prop_map(|l| Event::SwitchLanguage(l.into())),
    ]
}

/// The pass rule, computed independently of the engine from its visible state.
fn oracle(module: &Module, a: &Attempt) -> bool {
    module.steps.iter().all(|step| match step {
        Step::Page(_) => true,
        Step::Scenario(s) => {
            !module.pass_rule.scenarios_passed
                || (!a.skipped.contains(&s.id)
                    && a.scenarios.get(&s.id).is_some_and(|run| match &run.state {
                        RunState::Ended(e) => {
                            s.endings.iter().any(|x| &x.id == e && x.outcome == Outcome::Pass)
                                && s.pass_score.is_none_or(|p| run.score >= p)
                        }
                        _ => false,
                    }))
        }
        Step::Check(c) => {
            let correct = c
                .questions
                .iter()
                .filter(|q| {
                    let right: BTreeSet<&str> =
                        q.answers.iter().filter(|x| x.correct).map(|x| x.id.as_str()).collect();
                    a.answers.get(&c.id).and_then(|g| g.get(&q.id)).is_some_and(|given| {
                        given.iter().map(String::as_str).collect::<BTreeSet<_>>() == right
                    })
                })
                .count();
            !module.pass_rule.checks_passed || correct >= c.pass_mark as usize
        }
    })
}

fn validates(module: &Module) -> bool {
    let source = ron::ser::to_string_pretty(module, ron::ser::PrettyConfig::default()).expect("serializes");
    let loaded =
        LoadedModule { dir: ".".into(), file: "generated.ron".into(), source, module: module.clone() };
    let ctx = faro::validate::Context {
        today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        regions: None,
        terms: None,
        decode_images: true,
        pack: None,
    };
    !faro::validate::validate(&loaded, &ctx).iter().any(|d| d.is_error())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn engine_never_panics_and_outcomes_follow_the_pass_rule(
        module in module().prop_filter("module validates", validates),
        events in prop::collection::vec(event(), 0..80),
    ) {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().expect("time");
        let mut a = Attempt::new(&module, "es", now);
        for e in events {
            let before = a.clone();
            if a.apply(&module, e, now).is_err() {
                prop_assert_eq!(&a, &before, "a refused event leaves the attempt unchanged");
            }
            prop_assert!(a.step < module.steps.len());
            if let Some(finished) = &a.finished {
                prop_assert_eq!(finished.passed, oracle(&module, &a));
            }
        }
    }
}
