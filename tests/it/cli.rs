//! `faro validate` as a module author uses it: output lines, JSON, exit codes.

use crate::common::cli::faro;

#[test]
fn good_module_exits_zero() {
    let (code, stdout, stderr) = faro(&["validate", "tests/fixtures/good/minimal"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("1 module(s) checked: 0 error(s), 0 warning(s)"), "{stderr}");
}

#[test]
fn truncated_module_exits_one_with_a_located_error() {
    let (code, stdout, _) = faro(&["validate", "tests/fixtures/bad/truncated"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with(
            "tests/fixtures/bad/truncated/module.ron:60:22: error: Node( opened at line 60 is never closed"
        ),
        "{stdout}"
    );
}

#[test]
fn several_paths_are_all_checked() {
    let (code, stdout, stderr) = faro(&[
        "validate",
        "tests/fixtures/good/minimal",
        "tests/fixtures/bad/broken-graph",
        "tests/fixtures/bad/wrong-type",
    ]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(stderr.contains("3 module(s) checked: 4 error(s)"), "{stderr}");
}

#[test]
fn json_output_carries_the_same_diagnostics() {
    let (code, stdout, _) = faro(&["validate", "--json", "tests/fixtures/bad/unknown-field"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(v["errors"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(63), Some(21)));
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "unknown field \"chioces\" in Node, did you mean \"choices\"?");
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(faro(&["validate", "--no-such-flag"]).0, 2);
    let (code, _, stderr) = faro(&["validate", "does/not/exist"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("does/not/exist: no such file or folder"), "{stderr}");
}

/// A folder holding a copy of the good example as `minimal/`, and `terms` as its `terms.ron`.
fn modules_with_terms(terms: &str) -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("temp dir");
    let module = root.path().join("minimal");
    std::fs::create_dir_all(module.join("images")).expect("mkdir");
    for file in ["module.ron", "images/figure.png"] {
        std::fs::copy(std::path::Path::new("tests/fixtures/good/minimal").join(file), module.join(file))
            .expect("copy");
    }
    std::fs::write(root.path().join("terms.ron"), terms).expect("write terms.ron");
    root
}

#[test]
fn a_terms_list_beside_the_modules_replaces_the_bundled_one() {
    let terms = r#"Terms(discouraged: [Discouraged(lang: "en", term: "suspect", instead: "person", why: "we name behaviour, not people")])"#;
    let root = modules_with_terms(terms);
    let folder = root.path().to_str().expect("utf-8 path");
    let module = root.path().join("minimal");
    // The folder of modules, and one module folder in it, both find the list.
    for path in [folder, module.to_str().expect("utf-8 path")] {
        let (code, stdout, stderr) = faro(&["validate", path]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(
            stdout.contains(
                "warning: block 3 of page \"intro\" uses \"suspect\" (English (en)): write \"person\" instead"
            ),
            "{stdout}"
        );
        assert!(stderr.contains("0 error(s), 1 warning(s)"), "{stderr}");
    }
}

#[test]
fn a_broken_terms_list_is_an_error_and_the_modules_are_still_checked() {
    let root = modules_with_terms(r#"Terms(discouraged: [], unknown: [])"#);
    let (code, stdout, stderr) = faro(&["validate", root.path().to_str().expect("utf-8 path")]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("terms.ron:1:"), "{stdout}");
    assert!(stdout.contains("unknown field"), "{stdout}");
    assert!(stderr.contains("1 module(s) checked: 1 error(s)"), "{stderr}");

    let huge = format!("Terms(discouraged: []) // {}", "x".repeat(300 * 1024));
    let root = modules_with_terms(&huge);
    let (code, stdout, _) = faro(&["validate", root.path().to_str().expect("utf-8 path")]);
    assert_eq!(code, 1);
    assert!(stdout.contains("larger than"), "{stdout}");
}
