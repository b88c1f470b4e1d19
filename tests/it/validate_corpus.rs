//! The bad-input corpus: each broken module gets exactly the expected diagnostics, at the right
//! place, and never a panic. Good modules validate clean.

use std::path::{Path, PathBuf};

use faro::diagnostic::Diagnostic;
use faro::validate::{Context, check_dir};

fn regions() -> faro::format::Regions {
    faro::load::parse_regions(Path::new("assets/regions.ron"), faro::bundled::REGIONS)
        .expect("bundled regions parse")
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date")
}

fn diagnostics(dir: &Path) -> Vec<String> {
    let regions = regions();
    let ctx = Context {
        today: today(),
        regions: Some(&regions),
        terms: faro::bundled::terms().ok(),
        decode_images: true,
        pack: None,
    };
    check_dir(dir, &ctx).diagnostics.iter().map(Diagnostic::to_string).collect()
}

fn bad(name: &str) -> Vec<String> {
    diagnostics(&PathBuf::from("tests/fixtures/bad").join(name))
}

#[track_caller]
fn assert_exactly(name: &str, expected: &[&str]) {
    let got = bad(name);
    let expected: Vec<String> =
        expected.iter().map(|e| format!("tests/fixtures/bad/{name}/module.ron:{e}")).collect();
    assert_eq!(got, expected, "diagnostics for {name}");
}

#[test]
fn good_example_validates_clean() {
    assert_eq!(diagnostics(Path::new("tests/fixtures/good/minimal")), Vec::<String>::new());
}

#[test]
fn truncated_module_points_at_the_end() {
    assert_exactly(
        "truncated",
        &[
            "60:22: error: Node( opened at line 60 is never closed: add `)` to close it (the parser says: unexpected end of file: the module is incomplete (a bracket or parenthesis is not closed))",
        ],
    );
}

#[test]
fn syntax_and_type_errors_are_located() {
    assert_exactly(
        "syntax-error",
        &[
            "12:15: error: a comma is missing at the end of line 12: add `,` after what is written there (the parser says: expected comma)",
        ],
    );
    assert_exactly("wrong-type", &["12:13: error: expected integer"]);
}

#[test]
fn unknown_field_suggests_the_right_one() {
    assert_exactly(
        "unknown-field",
        &["63:21: error: unknown field \"chioces\" in Node, did you mean \"choices\"?"],
    );
}

#[test]
fn unreachable_node_and_dead_end_are_named() {
    assert_exactly(
        "broken-graph",
        &[
            "101:25: error: node \"lost\" in scenario \"station\" is unreachable: no choice leads to it from the start",
            "106:25: error: node \"stuck\" in scenario \"station\" is a dead end: it has no choices and is not an ending",
            "113:28: error: ending \"walked-away\" in scenario \"station\" is unreachable: no choice leads to it from the start (the map greys it); add a choice that leads to it, or remove it",
        ],
    );
}

#[test]
fn missing_target_suggests_the_closest_id() {
    assert_exactly(
        "missing-target",
        &[
            "96:35: error: choice \"nobody\" leads to \"walked-awya\", which is not a node or ending, did you mean \"walked-away\"?",
        ],
    );
}

#[test]
fn image_paths_must_stay_inside_the_module() {
    assert_exactly(
        "traversal-path",
        &[
            "35:27: error: image \"../../good/minimal/images/figure.png\": the path leaves the module folder (\"..\" is not allowed)",
        ],
    );
    assert_exactly(
        "absolute-path",
        &[
            "35:27: error: image \"/etc/hostname\": absolute paths are not allowed; use a path inside the module folder",
        ],
    );
}

#[test]
fn bad_images_are_reported() {
    assert_exactly("missing-image", &["35:27: error: image \"images/nope.png\": file not found"]);
    assert_exactly(
        "huge-image",
        &[
            "35:27: error: image \"images/figure.png\": 30000×30000 pixels is too large; the limit is 4096×4096",
        ],
    );
    let undecodable = bad("undecodable-image");
    assert_eq!(undecodable.len(), 1);
    assert!(
        undecodable[0].starts_with(
            "tests/fixtures/bad/undecodable-image/module.ron:35:27: error: image \"images/figure.png\": not a readable PNG or JPEG image"
        ),
        "{undecodable:?}"
    );
}

#[test]
fn missing_translation_names_the_text_and_language() {
    assert_exactly(
        "missing-translation",
        &["56:27: error: title of step \"station\" is missing its Spanish (es) translation"],
    );
}

#[test]
fn impossible_passes_are_errors() {
    assert_exactly(
        "pass-mark-too-high",
        &["110:13: error: pass_mark 3 is above the number of questions (1): nobody could pass"],
    );
    assert_exactly(
        "pass-unreachable",
        &[
            "101:13: error: scenario \"station\": no path from the start reaches a Pass ending without a critical choice",
        ],
    );
}

#[test]
fn duplicate_ids_and_wrong_numbers_are_errors() {
    assert_exactly("duplicate-ids", &["108:17: error: duplicate step id \"intro\""]);
    assert_exactly(
        "wrong-contact-number",
        &["40:25: error: contact \"us-911\" has phone \"991\", but the region data says \"911\""],
    );
}

/// A temporary module folder holding `text` as its module file and the good example's image.
fn temp_module(text: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("images")).expect("images dir");
    std::fs::copy("tests/fixtures/good/minimal/images/figure.png", dir.path().join("images/figure.png"))
        .expect("copy image");
    std::fs::write(dir.path().join("module.ron"), text).expect("write module");
    dir
}

fn minimal() -> String {
    std::fs::read_to_string("tests/fixtures/good/minimal/module.ron").expect("read example")
}

fn only_message(dir: &Path) -> String {
    let d = diagnostics(dir);
    assert_eq!(d.len(), 1, "{d:?}");
    let file = dir.join("module.ron");
    d[0].strip_prefix(&format!("{}", file.display())).unwrap_or(&d[0]).to_owned()
}

#[test]
fn huge_file_is_refused_before_parsing() {
    let mut text = minimal();
    text.push_str(&format!("// {}\n", "x".repeat(5 * 1024 * 1024)));
    let dir = temp_module(text.as_bytes());
    assert_eq!(
        only_message(dir.path()),
        ": error: file is larger than the 4 MiB limit; split it or remove embedded data"
    );
}

#[test]
fn invalid_utf8_is_located() {
    let mut bytes = b"Module(\n  id: \"x".to_vec();
    bytes.push(0xff);
    let dir = temp_module(&bytes);
    assert_eq!(only_message(dir.path()), ":2:9: error: file is not valid UTF-8 text; save it as UTF-8");
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    // Conditions are the one recursive type in the format: All([All([...])]) 10,000 deep.
    let deep = format!("when: {}Flag(\"noted\"){},", "All([".repeat(10_000), "])".repeat(10_000));
    let text = minimal().replace("when: Flag(\"noted\"),", &deep);
    let dir = temp_module(text.as_bytes());
    let message = only_message(dir.path());
    assert!(
        message.ends_with("error: nesting is too deep; modules never need more than a few dozen levels"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_module_is_refused() {
    let dir = temp_module(minimal().replace("images/figure.png", "images/link.png").as_bytes());
    std::os::unix::fs::symlink("/etc/hostname", dir.path().join("images/link.png")).expect("symlink");
    assert_eq!(
        only_message(dir.path()),
        ":35:27: error: image \"images/link.png\": the path leads outside the module folder through a symbolic link"
    );
}

#[test]
fn a_cycle_with_no_way_out_is_named() {
    // "call" loops back to "arrive" only, so neither can reach an ending.
    let text = minimal()
        .replace("goto: \"reported\"", "goto: \"arrive\"")
        .replace("goto: \"walked-away\"", "goto: \"call\"");
    let dir = temp_module(text.as_bytes());
    let d: Vec<String> = diagnostics(dir.path())
        .iter()
        .map(|l| l.split("module.ron").nth(1).unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        d,
        [
            ":61:25: error: node \"arrive\" in scenario \"station\" has no way out: no path from it reaches an ending (a cycle?)",
            ":83:25: error: node \"call\" in scenario \"station\" has no way out: no path from it reaches an ending (a cycle?)",
            ":101:13: error: scenario \"station\": no path from the start reaches a Pass ending without a critical choice",
            ":102:28: error: ending \"reported\" in scenario \"station\" is unreachable: no choice leads to it from the start (the map greys it); add a choice that leads to it, or remove it",
            ":103:28: error: ending \"walked-away\" in scenario \"station\" is unreachable: no choice leads to it from the start (the map greys it); add a choice that leads to it, or remove it",
        ]
    );
}

/// S9 (issue 13): a Pass ending that a run can reach below pass_score is a warning that names one
/// such path and the guard that would close it (flags and conditions are played as the engine does).
#[test]
fn a_pass_ending_reachable_below_pass_score_is_a_warning_naming_a_path() {
    assert_exactly(
        "low-score-pass",
        &[
            "108:28: warning: scenario \"station\": Pass ending \"reported\" can be reached with score 1, below pass_score 2, by the choices \"wave\" → \"hotline\"; the learner would read a passing ending but not pass: give that path its own ending, or guard the last choice with ScoreAtLeast(1)",
        ],
    );
}

#[test]
fn pass_score_above_the_best_path_is_an_error() {
    let dir = temp_module(minimal().replace("pass_score: 2,", "pass_score: 3,").as_bytes());
    assert_eq!(
        only_message(dir.path()),
        ":101:13: error: scenario \"station\": pass_score 3 is above the best score any path to a Pass ending can reach (2)"
    );
}

#[test]
fn past_review_date_and_missing_sources_are_warnings() {
    let text = minimal().replace("review_by: \"2099-01-01\"", "review_by: \"2020-01-01\"");
    let dir = temp_module(text.as_bytes());
    assert_eq!(
        only_message(dir.path()),
        ":13:5: warning: review_by 2020-01-01 has passed: review the content and set a new date"
    );
}

/// Issue 17: a title that would display differently from what it is, or text that a bidirectional
/// control reorders, is an error; a joiner inside an emoji in body text is not.
#[test]
fn invisible_formatting_characters_in_titles_and_bidi_controls_in_text_are_errors() {
    let spoofed_title =
        minimal().replace("\"en\": \"A minimal example\"", "\"en\": \"A minimal\u{200B} example\"");
    assert_eq!(
        only_message(temp_module(spoofed_title.as_bytes()).path()),
        ":7:19: error: module title contains an invisible formatting character (U+200B ZERO WIDTH SPACE), which can make it display differently from what it is: remove it"
    );

    let reordered = minimal().replace("An adult answers for her.", "An adult \u{202E}answers for her.");
    let message = only_message(temp_module(reordered.as_bytes()).path());
    assert!(
        message.contains("text of node \"arrive\" contains an invisible formatting character (U+202E RIGHT-TO-LEFT OVERRIDE)"),
        "{message}"
    );

    let emoji = minimal().replace("An adult answers for her.", "An adult answers for her. 👩\u{200D}👧");
    assert_eq!(diagnostics(temp_module(emoji.as_bytes()).path()), Vec::<String>::new());
}

#[test]
fn a_wrong_hotline_number_in_prose_is_an_error_naming_the_right_one() {
    assert_exactly(
        "wrong-number-in-prose",
        &[
            "35:27: error: block 1 of page \"intro\" gives 1-888-373-7880, which looks like National Human Trafficking Hotline (United States) 1-888-373-7888 but is not it: check it, a wrong number or address sends people to a stranger",
            "35:27: warning: block 1 of page \"intro\" uses \"tráfico de personas\" (Spanish (es)): write \"trata de personas\" instead; \"tráfico de personas\" is ambiguous: trafficking is \"trata de personas\", smuggling of migrants is \"tráfico ilícito de migrantes\"",
        ],
    );
}
