//! `faro new module`, `faro map` and `faro preview` (its command line only) as an author uses them: files written, output, exit codes.

use crate::common::cli::faro;
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temporary path")
}

#[test]
fn a_new_module_validates_with_no_error_and_names_its_example_texts() {
    let temp = tempfile::tempdir().unwrap();
    for (name, languages) in [("both", "en,es"), ("english", "en")] {
        let dir = temp.path().join(name);
        let (code, stdout, stderr) =
            faro(&["new", "module", path(&dir), "--id", "shelter-intake", "--languages", languages]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(stdout.contains("module.ron") && stdout.contains("placeholder.png"), "{stdout}");
        assert!(dir.join("images/placeholder.png").is_file());
        let (code, stdout, stderr) = faro(&["validate", path(&dir)]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        // Every text still the template's is a warning naming it (issue 28).
        // Three placeholders (summary, page text, image description) per language, and the
        // Spanish title's mark.
        let expected = if languages == "en" { 3 } else { 2 * 3 + 1 };
        assert!(
            stderr.contains(&format!("0 error(s), {expected} warning(s)")),
            "{languages}: {stdout}{stderr}"
        );
        assert!(stdout.contains("is still the placeholder text of `faro new module`"), "{stdout}");
    }
    // The default is both languages, and the title comes from the id.
    let dir = temp.path().join("default");
    assert_eq!(faro(&["new", "module", path(&dir), "--id", "shelter-intake"]).0, 0);
    let source = std::fs::read_to_string(dir.join("module.ron")).unwrap();
    assert!(source.contains(r#"languages: ["en", "es"]"#), "{source}");
    assert!(
        source.contains(r#"title: {"en": "Shelter intake", "es": "Shelter intake [traducir]"}"#),
        "{source}"
    );
}

#[test]
fn a_folder_that_is_not_empty_is_never_overwritten() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("module.ron"), "mine").unwrap();
    let (code, _, stderr) = faro(&["new", "module", path(temp.path()), "--id", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists and is not empty"), "{stderr}");
    assert_eq!(std::fs::read_to_string(temp.path().join("module.ron")).unwrap(), "mine");
}

#[test]
fn new_module_usage_errors_exit_two() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("m");
    let (code, _, stderr) = faro(&["new", "module", path(&dir), "--id", "Shelter Intake"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("must use only a-z, 0-9 and -"), "{stderr}");
    let (code, _, stderr) = faro(&["new", "module", path(&dir), "--id", "x", "--languages", "en,fr"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("\"fr\""), "{stderr}");
    assert_eq!(faro(&["new", "module", path(&dir)]).0, 2, "--id is required");
    assert!(!dir.exists(), "nothing written on a usage error");
}

#[test]
fn the_dot_map_shows_nodes_choices_and_styles() {
    let (code, stdout, stderr) =
        faro(&["map", "tests/fixtures/good/minimal", "--format", "dot", "--out", "-"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    assert!(stdout.starts_with("digraph \"station\" {"), "{stdout}");
    for expected in [
        "▶ start: arrive",
        "Pass: reported",
        "Fail: walked-away",
        "shape=doubleoctagon",
        // Labels are wrapped as on the SVG (`\n` is Graphviz's line break).
        "label=\"(!) unsafe: Tell the adult you\\nknow what he is doing.\", color=red3, fontcolor=red3, style=dashed",
        "label=\"Note the details and step\\naway to call. (+1)\", style=bold",
    ] {
        assert!(stdout.contains(expected), "missing {expected}:\n{stdout}");
    }
    // Labels in Spanish on request.
    let (_, stdout, _) =
        faro(&["map", "tests/fixtures/good/minimal", "--format", "dot", "--out", "-", "--lang", "es"]);
    assert!(stdout.contains("Una niña se ve asustada"), "{stdout}");
}

#[test]
fn the_svg_map_is_xml_with_the_same_content_and_a_legend() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("map.svg");
    let (code, stdout, stderr) =
        faro(&["map", "tests/fixtures/good/minimal", "--format", "svg", "--out", path(&out)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let svg = std::fs::read_to_string(&out).unwrap();
    let mut reader = quick_xml::Reader::from_str(&svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not XML: {e}"),
        }
    }
    for expected in [
        "<svg xmlns=\"http://www.w3.org/2000/svg\"",
        "▶ start: arrive",
        "Pass: reported",
        "(!) unsafe",
        "stroke-dasharray",
        "Legend",
    ] {
        assert!(svg.contains(expected), "missing {expected}");
    }
}

#[test]
fn a_module_with_errors_is_mapped_with_a_note() {
    let (code, stdout, stderr) =
        faro(&["map", "tests/fixtures/bad/broken-graph", "--format", "dot", "--out", "-"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("3 error(s)") && stderr.contains("drawing the map anyway"), "{stderr}");
    assert!(stdout.contains("lost (unreachable)") && stdout.contains("color=grey55"), "{stdout}");
    assert!(stdout.contains("stuck (dead end)"), "{stdout}");
    // A module that does not parse has no map.
    let (code, _, stderr) =
        faro(&["map", "tests/fixtures/bad/syntax-error", "--format", "dot", "--out", "-"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("does not parse"), "{stderr}");
}

#[test]
fn several_scenarios_need_a_choice() {
    let minimal = std::fs::read_to_string("tests/fixtures/good/minimal/module.ron").unwrap();
    let (start, end) = (minimal.find("        Scenario(").unwrap(), minimal.find("        Check(").unwrap());
    let second = minimal[start..end].replacen("id: \"station\"", "id: \"station-2\"", 1);
    let source = format!("{}{second}{}", &minimal[..end], &minimal[end..]);
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("module.ron"), source).unwrap();
    std::fs::create_dir(temp.path().join("images")).unwrap();
    std::fs::copy("tests/fixtures/good/minimal/images/figure.png", temp.path().join("images/figure.png"))
        .unwrap();
    let dir = path(temp.path());
    let (code, _, stderr) = faro(&["map", dir, "--format", "dot", "--out", "-"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("choose one with --scenario: \"station\", \"station-2\""), "{stderr}");
    let (code, stdout, stderr) =
        faro(&["map", dir, "--scenario", "station-2", "--format", "dot", "--out", "-"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("digraph \"station-2\""), "{stdout}");
    let (code, _, stderr) = faro(&["map", dir, "--scenario", "nope", "--format", "dot", "--out", "-"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no scenario \"nope\""), "{stderr}");
}

#[test]
fn map_usage_errors_exit_two() {
    assert_eq!(faro(&["map", "tests/fixtures/good/minimal", "--format", "png", "--out", "-"]).0, 2);
    assert_eq!(faro(&["map", "tests/fixtures/good/minimal", "--format", "dot"]).0, 2, "--out is required");
    let (code, _, stderr) = faro(&["map", "does/not/exist", "--format", "dot", "--out", "-"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such file or folder"), "{stderr}");
}

#[test]
fn preview_of_a_path_that_is_not_a_folder_exits_two_and_says_how_to_make_one() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("module.ron");
    std::fs::write(&file, "Module()").unwrap();
    for target in [temp.path().join("missing"), file] {
        let (code, stdout, stderr) = faro(&["preview", path(&target)]);
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(stderr.contains("is not a folder") && stderr.contains("faro new module"), "{stderr}");
    }
}

#[test]
fn a_new_module_suggests_the_preview() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("intake");
    let (code, stdout, _) = faro(&["new", "module", path(&dir), "--id", "intake"]);
    assert_eq!(code, 0);
    assert!(stdout.contains(&format!("faro preview {}", path(&dir))), "{stdout}");
}

#[test]
fn preview_of_a_folder_of_modules_names_one_to_preview_instead() {
    let temp = tempfile::tempdir().unwrap();
    let (code, _, _) = faro(&["new", "module", path(&temp.path().join("intake")), "--id", "intake"]);
    assert_eq!(code, 0);
    let (code, stdout, stderr) = faro(&["preview", path(temp.path())]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("holds 1 module folder(s)") && stderr.contains("intake"), "{stderr}");
}
