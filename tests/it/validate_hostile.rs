//! Modules built to be slow to check (issue 17): long chains with ids written as raw or escaped
//! strings, a thousand broken targets, shapes far beyond any real module. Each is checked
//! correctly, with findings at the right line, at most 100 findings per file, and every
//! structural limit named when it is exceeded. How the time grows with the size of the file is
//! measured by `cargo bench` (docs/performance.md), not here.

use crate::common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::hostile_modules::{self as hostile, IdStyle};
use faro::diagnostic::{Diagnostic, Severity};
use faro::format::limits;
use faro::load::LoadedModule;
use faro::validate::{self, Context, MAX_DIAGNOSTICS_PER_FILE};

const FILE: &str = "hostile/module.ron";

fn validate_text(source: &str) -> Vec<Diagnostic> {
    validate_text_in(source, None)
}

/// The same, as a module of a pack drawing from `pack` (as verify and install check it).
fn validate_text_in(source: &str, pack: Option<&validate::PackBudget>) -> Vec<Diagnostic> {
    let module = faro::load::parse_module(Path::new(FILE), source).expect("the generated module parses");
    let loaded = LoadedModule {
        dir: PathBuf::from("hostile"),
        file: PathBuf::from(FILE),
        source: source.to_owned(),
        module,
    };
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    validate::validate(&loaded, &Context { today, regions: None, terms: None, decode_images: false, pack })
}

/// Line and column (in characters) where `needle` first starts in `source`.
fn line_col(source: &str, needle: &str) -> (usize, usize) {
    line_col_at(source, source.find(needle).unwrap_or_else(|| panic!("{needle:?} is in the source")))
}

/// Line and column (in characters) of byte `at` in `source`.
fn line_col_at(source: &str, at: usize) -> (usize, usize) {
    let before = &source[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

#[test]
fn chains_up_to_the_file_cap_validate_clean_however_ids_are_written() {
    for style in [IdStyle::Plain, IdStyle::Raw, IdStyle::RawHashes, IdStyle::Escaped] {
        let text = hostile::chains_of_size(3_900_000, limits::MAX_NODES, style);
        assert!(
            text.len() > 3_000_000 && text.len() as u64 <= faro::load::MAX_MODULE_FILE_BYTES,
            "{}",
            text.len()
        );
        let diagnostics = validate_text(&text);
        assert!(diagnostics.is_empty(), "{style:?}: {:?}", diagnostics.first());
    }
}

#[test]
fn findings_in_a_large_module_point_at_the_line_where_the_id_is_written() {
    // Two megabytes of valid chains with escaped ids, then two small scenarios: in "last", node 1
    // leads nowhere; in "dup", node 2 repeats the id of node 1.
    let mut steps: Vec<String> = (0..16)
        .map(|k| {
            hostile::chain(
                &format!("s{k}"),
                limits::MAX_NODES,
                IdStyle::Escaped,
                &hostile::next_in(limits::MAX_NODES),
            )
        })
        .collect();
    let next = hostile::next_in(3);
    steps.push(hostile::chain("last", 3, IdStyle::Escaped, &|i| {
        if i == 1 { "missing1".to_owned() } else { next(i) }
    }));
    steps.push(hostile::chain("dup", 3, IdStyle::Escaped, &next).replacen(
        "Node(id: \"n2\"",
        "Node(id: \"n\\u{31}\"",
        1,
    ));
    let text = hostile::module(&steps);
    assert!(text.len() > 2_000_000);
    let diagnostics = validate_text(&text);

    let goto = diagnostics
        .iter()
        .find(|d| d.message.contains("\"missing1\""))
        .unwrap_or_else(|| panic!("the broken goto is reported: {diagnostics:#?}"));
    // Written `goto: "missing\u{31}"`, in the scenario "last".
    let last = text.find("id: \"last\"").unwrap();
    let at = last + text[last..].find("\"missing\\u{31}\"").unwrap();
    assert_eq!((goto.line, goto.column), line_col_at(&text, at), "{goto}");

    // Reported where the second "n1" is written, not the first.
    let duplicate = diagnostics
        .iter()
        .find(|d| d.message.contains("duplicate node id"))
        .unwrap_or_else(|| panic!("the duplicate is reported: {diagnostics:#?}"));
    let dup = text.find("id: \"dup\"").unwrap();
    let first = dup + text[dup..].find("Node(id: \"n\\u{31}\"").unwrap();
    let second = first + 1 + text[first + 1..].find("Node(id: \"n\\u{31}\"").unwrap() + "Node(id: ".len();
    assert_eq!((duplicate.line, duplicate.column), line_col_at(&text, second), "{duplicate}");
}

#[test]
fn a_thousand_broken_targets_give_a_hundred_findings_and_a_count_of_the_rest() {
    let text =
        hostile::module(&[hostile::chain("s", limits::MAX_NODES, IdStyle::Raw, &|i| format!("gone-{i}"))]);
    let diagnostics = validate_text(&text);
    assert_eq!(diagnostics.len(), MAX_DIAGNOSTICS_PER_FILE + 1);
    let (shown, summary) = diagnostics.split_at(MAX_DIAGNOSTICS_PER_FILE);
    assert!(shown.windows(2).all(|w| (w[0].line, w[0].column) <= (w[1].line, w[1].column)), "file order");
    let first_goto =
        shown.iter().find(|d| d.message.contains("\"gone-0\"")).expect("the first broken goto is shown");
    assert_eq!(line_col(&text, "r\"gone-0\""), (first_goto.line, first_goto.column), "{first_goto}");
    let summary = &summary[0];
    assert_eq!(summary.severity, Severity::Error);
    // A thousand broken targets and 999 nodes nobody can reach, at least.
    let more: usize = summary
        .message
        .strip_prefix("and ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count: {summary}"));
    assert!(more + MAX_DIAGNOSTICS_PER_FILE >= 1_999, "{summary}");
    assert!(summary.message.contains("not shown"), "{summary}");
}

#[test]
fn shapes_beyond_the_limits_are_refused_with_the_limit_named() {
    let pages: Vec<String> = (0..300).map(|i| hostile::page(&format!("p{i}"), 1)).collect();
    let cases: Vec<(&str, String, String)> = vec![
        (
            "a chain of 28,000 nodes",
            hostile::module(&[hostile::chain("s", 28_000, IdStyle::Plain, &hostile::next_in(28_000))]),
            format!("more than {} nodes in one scenario, the limit", limits::MAX_NODES),
        ),
        (
            "5,000 choices at one node",
            hostile::module(&[hostile::fan(5_000)]),
            format!("more than {} choices at one node, the limit", limits::MAX_CHOICES_PER_NODE),
        ),
        (
            "a condition 12 deep",
            hostile::module(&[hostile::guarded(&hostile::nested_all(12))]),
            format!(
                "nesting depth of the condition on choice \"go\": 12, more than the limit of {}",
                limits::MAX_CONDITION_DEPTH
            ),
        ),
        (
            "a condition of 1,000 flags",
            hostile::module(&[hostile::guarded(&hostile::wide_any(1_000))]),
            format!("more than {} terms in one condition, the limit", limits::MAX_CONDITION_TERMS),
        ),
        (
            "300 steps",
            hostile::module(&pages),
            format!("more than {} steps in the module, the limit", limits::MAX_STEPS),
        ),
        (
            "500 blocks on a page",
            hostile::module(&[hostile::page("p", 500)]),
            format!("more than {} blocks on one page, the limit", limits::MAX_BLOCKS_PER_PAGE),
        ),
        (
            "5,000 questions",
            hostile::module(&[hostile::check(5_000)]),
            format!("more than {} questions in one check, the limit", limits::MAX_QUESTIONS),
        ),
    ];
    for (what, text, expected) in cases {
        // Lists over their limit are refused while the file is read; the rest by the validator.
        let diagnostics = match faro::load::parse_module(Path::new(FILE), &text) {
            Err(refused) => vec![refused],
            Ok(_) => validate_text(&text),
        };
        let found = diagnostics.iter().find(|d| d.message.contains(&expected));
        let found = found.unwrap_or_else(|| panic!("{what}: no {expected:?} in {diagnostics:#?}"));
        assert_eq!(found.severity, Severity::Error, "{what}");
        assert!(found.line > 0, "{what}: the finding has a place in the file: {found}");
    }
    // Just at the limits, the same shapes are fine.
    for text in [
        hostile::module(&[hostile::fan(limits::MAX_CHOICES_PER_NODE)]),
        hostile::module(&[hostile::guarded(&hostile::nested_all(limits::MAX_CONDITION_DEPTH))]),
    ] {
        let limit_errors: Vec<_> =
            validate_text(&text).into_iter().filter(|d| d.message.contains("more than the limit")).collect();
        assert!(limit_errors.is_empty(), "{limit_errors:?}");
    }
}

#[test]
fn limits_are_far_above_every_bundled_module() {
    use faro::format::{Block, Condition, Step};
    fn depth(c: &Condition) -> usize {
        match c {
            Condition::All(cs) | Condition::Any(cs) => 1 + cs.iter().map(depth).max().unwrap_or(0),
            _ => 1,
        }
    }
    let dirs = faro::load::module_dirs(Path::new("modules")).unwrap();
    assert!(dirs.len() >= 7);
    for dir in dirs {
        let m = faro::load::load_module_dir(&dir).unwrap().module;
        let scenarios =
            || m.steps.iter().filter_map(|s| if let Step::Scenario(s) = s { Some(s) } else { None });
        let choices = || scenarios().flat_map(|s| &s.nodes).flat_map(|n| &n.choices);
        let blocks =
            m.steps.iter().filter_map(|s| if let Step::Page(p) = s { Some(p.blocks.len()) } else { None });
        let indicators = m
            .steps
            .iter()
            .filter_map(|s| if let Step::Page(p) = s { Some(p) } else { None })
            .flat_map(|p| &p.blocks)
            .filter_map(|b| if let Block::Indicators(l) = b { Some(l.items.len()) } else { None });
        let checks = || m.steps.iter().filter_map(|s| if let Step::Check(c) = s { Some(c) } else { None });
        let measured = [
            ("steps", m.steps.len(), limits::MAX_STEPS),
            ("sources", m.sources.len(), limits::MAX_SOURCES),
            ("blocks", blocks.max().unwrap_or(0), limits::MAX_BLOCKS_PER_PAGE),
            ("indicators", indicators.max().unwrap_or(0), limits::MAX_INDICATORS),
            ("nodes", scenarios().map(|s| s.nodes.len()).max().unwrap_or(0), limits::MAX_NODES),
            ("endings", scenarios().map(|s| s.endings.len()).max().unwrap_or(0), limits::MAX_ENDINGS),
            (
                "choices",
                scenarios().flat_map(|s| &s.nodes).map(|n| n.choices.len()).max().unwrap_or(0),
                limits::MAX_CHOICES_PER_NODE,
            ),
            ("flags", choices().map(|c| c.sets.len()).max().unwrap_or(0), limits::MAX_FLAGS_PER_CHOICE),
            (
                "condition depth",
                choices().filter_map(|c| c.when.as_ref()).map(depth).max().unwrap_or(0),
                limits::MAX_CONDITION_DEPTH,
            ),
            ("questions", checks().map(|c| c.questions.len()).max().unwrap_or(0), limits::MAX_QUESTIONS),
            (
                "answers",
                checks().flat_map(|c| &c.questions).map(|q| q.answers.len()).max().unwrap_or(0),
                limits::MAX_ANSWERS,
            ),
        ];
        for (what, used, limit) in measured {
            assert!(used * 4 <= limit, "{}: {what} {used} is more than a quarter of the limit {limit}", m.id);
        }
    }
}

/// Issue 26, item 1: 197 one-node scenarios whose 20 looping choices carry a 64-term `when` once
/// took three minutes, each scenario capped on its own. One budget for the whole module stops
/// the searches, and says so: a warning for an author, an error for a publisher's pack.
#[test]
fn the_run_bomb_is_too_complex_to_check_a_warning_for_an_author_an_error_in_a_pack() {
    let text = hostile::run_bomb(197);
    assert!(
        text.len() > 3_500_000 && text.len() as u64 <= faro::load::MAX_MODULE_FILE_BYTES,
        "{}",
        text.len()
    );
    let too_complex =
        |d: &&Diagnostic| d.message.contains("is too complex to check fully: simplify the scenario");
    let local = validate_text(&text);
    assert!(local.iter().filter(too_complex).count() > 10, "{local:#?}");
    assert!(local.iter().filter(too_complex).all(|d| d.severity == Severity::Warning));
    assert!(!local.iter().any(Diagnostic::is_error), "{:#?}", local.iter().find(|d| d.is_error()));
    let pack = validate::PackBudget::default();
    let published = validate_text_in(&text, Some(&pack));
    assert!(published.iter().filter(too_complex).count() > 10);
    assert!(published.iter().filter(too_complex).all(|d| d.severity == Severity::Error));
    // The module took no more than its own budget from the pack, and used nearly all of it.
    let used = validate::PACK_SEARCH_BUDGET - pack.left();
    assert!(used <= validate::MODULE_SEARCH_BUDGET && used > validate::MODULE_SEARCH_BUDGET / 2, "{used}");
}

/// A scenario whose looping choice adds points until `pass_score` ("try again, and learn") is
/// checked fully: past the highest score any condition or `pass_score` reads, more points change
/// nothing, so the search ends; it is not "too complex".
#[test]
fn a_loop_that_adds_points_is_checked_fully() {
    let scenario = r#"        Scenario(
            id: "again",
            title: {"en": "Again"},
            start: "a",
            pass_score: 50,
            nodes: [Node(id: "a", text: {"en": "A"}, choices: [
                Choice(id: "lap", text: {"en": "Again"}, goto: "a", score: 1),
                Choice(id: "lap2", text: {"en": "Again"}, goto: "a", score: 2, when: ScoreBelow(40)),
                Choice(id: "done", text: {"en": "Done"}, goto: "pass", when: ScoreAtLeast(50)),
            ])],
            endings: [Ending(id: "pass", outcome: Pass, summary: {"en": "Done"})],
        )"#;
    let pack = validate::PackBudget::default();
    let found = validate_text_in(&hostile::module(&[scenario.to_owned()]), Some(&pack));
    assert!(!found.iter().any(Diagnostic::is_error), "{found:#?}");
}
