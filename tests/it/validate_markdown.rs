//! Markdown nested beyond the caps (issue 26, item 0): 4,000 `>` in a 4 KB text once passed
//! every check and aborted the app when the page was opened. `faro validate` now refuses such a
//! text, at the line and column of the text itself.

use crate::common;

use std::path::Path;

const MINIMAL: &str = "tests/fixtures/good/minimal";
const PLACE: &str = r#"Text({"en": "Volunteers **notice** and **report**.", "es": "Las personas voluntarias **observan** y **reportan**."}),"#;

/// Validates the minimal module with its first text block's English replaced by `english`.
fn validate_with_text(english: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("minimal");
    common::copy_dir(Path::new(MINIMAL), &module);
    let source = std::fs::read_to_string(module.join("module.ron")).unwrap();
    assert!(source.contains(PLACE));
    let block = format!(
        r#"Text({{"en": "{english}", "es": "Las personas voluntarias **observan** y **reportan**."}}),"#
    );
    std::fs::write(module.join("module.ron"), source.replacen(PLACE, &block, 1)).unwrap();
    let (code, out, err) = common::cli::faro(&["validate", module.to_str().unwrap()]);
    (code, format!("{out}{err}"))
}

/// Where the text is written (its English, the first of its languages): `module.ron:<line>:<col>`.
fn text_location() -> String {
    let source = std::fs::read_to_string(Path::new(MINIMAL).join("module.ron")).unwrap();
    let at = source.find(PLACE).unwrap() + r#"Text({"en": "#.len();
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
    format!("module.ron:{line}:{col}")
}

#[test]
fn four_thousand_nested_quotes_or_lists_are_refused_where_the_text_is() {
    let quotes = format!("{} deep", ">".repeat(4_000));
    let lists = format!("{}deep", "- ".repeat(4_000));
    let emphasis = format!("{}deep{}", "*".repeat(100), "*".repeat(100));
    for (text, kind) in
        [(&quotes, "quotes and lists"), (&lists, "quotes and lists"), (&emphasis, "emphasis and links")]
    {
        let (code, said) = validate_with_text(text);
        assert_eq!(code, 1, "{said}");
        let line = said.lines().find(|l| l.contains("nests")).unwrap_or_else(|| panic!("{said}"));
        assert!(line.contains(&text_location()), "{line}");
        assert!(line.contains(&format!("block 1 of page \"intro\" (\"en\") nests {kind}")), "{line}");
        assert!(line.contains("more than the limit of 16"), "{line}");
    }
}

#[test]
fn nesting_up_to_the_cap_is_fine() {
    let text =
        format!("{}deep, and ***strongly*** so", "> ".repeat(faro::format::limits::MAX_MARKDOWN_BLOCK_DEPTH));
    let (code, said) = validate_with_text(&text);
    assert!(!said.contains("nests"), "{said}");
    assert_eq!(code, 0, "{said}");
}
