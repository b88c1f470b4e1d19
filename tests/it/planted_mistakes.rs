//! The six mistakes an author planted that used to pass `faro validate` silently (issue 28), and
//! the syntax slips it used to explain in the parser's words: each planted in the good example
//! and run through the command line, as an author runs it.

use std::path::Path;

use crate::common::{cli::faro, copy_dir};

const MINIMAL: &str = "tests/fixtures/good/minimal";

/// `faro validate` on the good example with each `(old, new)` replaced once: (exit code, stdout).
fn validate_planted(plants: &[(&str, &str)]) -> (i32, String) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("minimal");
    copy_dir(Path::new(MINIMAL), &dir);
    let file = dir.join("module.ron");
    let mut source = std::fs::read_to_string(&file).unwrap();
    for (old, new) in plants {
        assert!(source.contains(old), "the example no longer has {old:?}");
        source = source.replacen(old, new, 1);
    }
    std::fs::write(&file, source).unwrap();
    let (code, stdout, stderr) = faro(&["validate", dir.to_str().unwrap()]);
    (code, format!("{stdout}{stderr}"))
}

fn error_line<'a>(out: &'a str, needle: &str) -> &'a str {
    out.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no finding with {needle:?} in:\n{out}"))
}

#[test]
fn the_six_planted_mistakes_are_caught() {
    let (code, out) = validate_planted(&[
        // 1. An ending no choice leads to.
        (
            r#"Ending(id: "walked-away""#,
            r#"Ending(id: "forgotten", outcome: Neutral, summary: {"en": "Nobody reads this.", "es": "Nadie lee esto."}),
                Ending(id: "walked-away""#,
        ),
        // 2. A Spanish text giving another hotline than its English one.
        (
            r#"Text({"en": "Volunteers **notice** and **report**.", "es": "Las personas voluntarias **observan** y **reportan**."})"#,
            r#"Text({"en": "Report to 1-888-373-7888.", "es": "Repórtelo al 1-800-843-5678."})"#,
        ),
        // 3. "Call 991".
        (
            r#"{"en": "Never confront a suspect.", "es": "Nunca confronte a un sospechoso."}"#,
            r#"{"en": "Never confront a suspect; in danger, call 991.", "es": "Nunca confronte a un sospechoso; en peligro, llame al 911."}"#,
        ),
        // 4. The right name under the wrong top-level domain.
        (
            r#"{"en": "Someone else speaks for them.", "es": "Otra persona habla por ella."}"#,
            r#"{"en": "Someone else speaks for them (txabusehotline.com).", "es": "Otra persona habla por ella (txabusehotline.com)."}"#,
        ),
        // 5. A text the template left.
        (
            r#""es": "Muestra cada parte del formato de módulo.""#,
            r#""es": "Un módulo breve hecho con la plantilla de Faro: reemplace cada texto por el suyo.""#,
        ),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        error_line(&out, "ending \"forgotten\"")
            .contains("error: ending \"forgotten\" in scenario \"station\" is unreachable")
    );
    let differ = error_line(&out, "different contacts in English and Spanish");
    assert!(differ.contains("error:") && differ.contains("1-800-843-5678 only in Spanish (es)"), "{differ}");
    assert!(error_line(&out, "gives 991").contains("error:"), "{out}");
    let site = error_line(&out, "txabusehotline.com");
    assert!(site.contains("error:") && site.contains("looks like Texas Abuse Hotline"), "{site}");
    let leftover = error_line(&out, "placeholder text of `faro new module`");
    assert!(leftover.contains("warning: module summary in Spanish (es)"), "{leftover}");
}

#[test]
fn a_missing_bracket_says_which_list_and_where_it_was_opened() {
    let (code, out) = validate_planted(&[(
        "                    ],\n                ),\n                Node(\n                    id: \"call\"",
        "\n                ),\n                Node(\n                    id: \"call\"",
    )]);
    assert_eq!(code, 1, "{out}");
    let line = error_line(&out, "never closed");
    assert!(
        line.contains("the list of choices opened at line 63 is never closed: add `]` before line 81"),
        "{line}"
    );
}

#[test]
fn curly_quotes_are_named() {
    let (code, out) = validate_planted(&[(r#"id: "quiz","#, "id: “quiz”,")]);
    assert_eq!(code, 1, "{out}");
    assert!(error_line(&out, "curly double quote").contains("error:"), "{out}");
}

/// A finding about a text points at the text, not at its page: the text of a page's later block
/// used to be reported at the page's id, lines above it.
#[test]
fn a_finding_about_a_text_points_at_the_text_itself() {
    let planted = r#"Text({"en": "Report to 1–888–373–7880.", "es": "Repórtelo al 1–888–373–7880."})"#;
    let (code, out) = validate_planted(&[(
        r#"Text({"en": "Volunteers **notice** and **report**.", "es": "Las personas voluntarias **observan** y **reportan**."})"#,
        planted,
    )]);
    assert_eq!(code, 1, "{out}");
    let source = std::fs::read_to_string(Path::new(MINIMAL).join("module.ron")).unwrap().replacen(
        r#"Text({"en": "Volunteers **notice** and **report**.", "es": "Las personas voluntarias **observan** y **reportan**."})"#,
        planted,
        1,
    );
    let offset = source.find(r#""Report to"#).unwrap();
    let line = source[..offset].matches('\n').count() + 1;
    let column = source[..offset].rsplit('\n').next().unwrap().chars().count() + 1;
    let finding = error_line(&out, "1-888-373-7880");
    assert!(
        finding.contains(&format!("module.ron:{line}:{column}: error:")),
        "expected {line}:{column}: {finding}"
    );
    let page_line = source[..source.find("Page(").unwrap()].matches('\n').count() + 1;
    assert!(line > page_line, "the text is below its page's first line");
}
