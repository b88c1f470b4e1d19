//! `faro translate export` / `import` as a translator's round trip: PO files that gettext's own
//! `msgfmt --check` accepts, translations written into module.ron in place, fuzzy entries when
//! the English changes, and bad PO files refused with file:line and nothing written.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::cli::faro;
use crate::common::copy_dir;

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temporary path")
}

/// A copy of a module folder (from `modules/` or `tests/fixtures/`) in a temporary folder.
fn module_copy(temp: &tempfile::TempDir, from: &str) -> PathBuf {
    let dir = temp.path().join(Path::new(from).file_name().unwrap());
    copy_dir(Path::new(from), &dir);
    dir
}

/// Runs `msgfmt --check` on a PO file: `None` (with a note) when gettext is not installed.
fn msgfmt_check(po: &Path) -> Option<(bool, String)> {
    match Command::new("msgfmt").args(["--check", "-o", "/dev/null"]).arg(po).output() {
        Ok(out) => Some((out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())),
        Err(_) => {
            eprintln!("SKIPPED msgfmt --check: msgfmt is not installed (Debian package gettext)");
            None
        }
    }
}

fn assert_msgfmt_accepts(po: &Path) {
    if let Some((ok, stderr)) = msgfmt_check(po) {
        assert!(ok, "msgfmt --check refused {}:\n{stderr}", po.display());
        assert!(!stderr.contains("warning"), "msgfmt --check warned on {}:\n{stderr}", po.display());
    }
}

/// Fills every empty msgstr but the header's with a French-looking translation holding the
/// characters PO and RON escape, numbered so each text gets its own.
fn fill_translations(po: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut in_header = true;
    for line in po.lines() {
        if line.starts_with("msgctxt") {
            in_header = false;
        }
        if line == "msgstr \"\"" && !in_header {
            n += 1;
            out.push_str(&format!("msgstr \"Traduction {n} : l'été, « \\\"citée\\\" », a\\\\b\\tfin\"\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn expected_translation(n: usize) -> String {
    format!("Traduction {n} : l'été, « \"citée\" », a\\b\tfin")
}

fn load(dir: &Path) -> faro::load::LoadedModule {
    faro::load::load_module_dir(dir).unwrap()
}

#[test]
fn round_trip_export_translate_import_gives_a_valid_module_in_a_third_language() {
    let temp = tempfile::tempdir().unwrap();
    let dir = module_copy(&temp, "modules/04-responding-safely");
    let original = std::fs::read_to_string(dir.join("module.ron")).unwrap();
    let po = temp.path().join("fr.po");

    let (code, stdout, stderr) =
        faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&po)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let total = faro::translate::translatable_texts(&load(&dir).module).len();
    assert!(
        stderr.contains(&format!("0 translated, 0 fuzzy, {total} untranslated (of {total} texts)")),
        "{stderr}"
    );
    assert_msgfmt_accepts(&po);
    let exported = std::fs::read_to_string(&po).unwrap();
    assert!(exported.contains("\"Language: fr\\n\""), "{exported}");
    assert!(
        exported.contains(
            "msgctxt \"module:responding-safely/scenario:evening-meal/node:disclosure/choice:press/why\""
        ),
        "the paths are made of ids"
    );
    assert!(
        exported.contains(
            "#. Module \"Responding safely\": Why choice \"press\" at node \"disclosure\" is unsafe"
        )
    );
    assert!(
        exported.contains(&format!("#: {}/module.ron:9\n", dir.display())),
        "a reference to the file and line"
    );

    std::fs::write(&po, fill_translations(&exported)).unwrap();
    assert_msgfmt_accepts(&po);
    // Translators' tools rewrap long strings over several lines (Poedit, Weblate and msgcat at
    // 79 columns); msgcat at 40 shows the import reads them joined.
    match Command::new("msgcat").args(["--width=40", "-o"]).arg(&po).arg(&po).status() {
        Ok(status) => assert!(status.success()),
        Err(_) => eprintln!("SKIPPED msgcat rewrapping: msgcat is not installed (Debian package gettext)"),
    }
    let (code, stdout, stderr) = faro(&["translate", "import", path(&dir), path(&po)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains(&format!("{total} translated, 0 fuzzy, 0 untranslated")), "{stderr}");
    assert!(stderr.contains("added it to the module's languages"), "{stderr}");

    let loaded = load(&dir);
    assert_eq!(loaded.module.languages, ["en", "es", "fr"]);
    for (i, text) in faro::translate::translatable_texts(&loaded.module).iter().enumerate() {
        assert_eq!(text.text.0.get("fr"), Some(&expected_translation(i + 1)), "{}", text.context);
        assert!(text.text.has("es"), "{}: Spanish kept", text.context);
    }
    let (code, stdout, stderr) = faro(&["validate", path(&dir)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("0 error(s), 0 warning(s)"), "{stdout}{stderr}");

    // The author's file is kept: every original line is still there, in order, with the
    // translations added beside the Spanish.
    let edited = std::fs::read_to_string(dir.join("module.ron")).unwrap();
    let mut edited_lines = edited.lines();
    for line in original.lines() {
        let kept =
            edited_lines.any(|l| l == line || l.starts_with(line.trim_end_matches(['}', ')', ',', ']'])));
        assert!(kept, "line lost or reordered: {line}");
    }
    assert!(edited.starts_with("// Module 04: Responding safely."));

    // Exported again, every text is translated and msgfmt still accepts the file.
    let again = temp.path().join("fr-again.po");
    let (code, _, stderr) = faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&again)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(&format!("{total} translated, 0 fuzzy, 0 untranslated")), "{stderr}");
    assert_msgfmt_accepts(&again);
}

#[test]
fn every_bundled_module_exports_po_files_msgfmt_accepts() {
    let temp = tempfile::tempdir().unwrap();
    for dir in faro::load::module_dirs(Path::new("modules")).unwrap() {
        // Spanish: every text has a translation, many of several lines, all exported as msgstr.
        let po = temp.path().join("es.po");
        let (code, _, stderr) =
            faro(&["translate", "export", path(&dir), "--lang", "es", "--out", path(&po)]);
        assert_eq!(code, 0, "{}: {stderr}", dir.display());
        assert!(stderr.contains(" 0 fuzzy, 0 untranslated"), "{}: {stderr}", dir.display());
        assert_msgfmt_accepts(&po);
        // Read back, each entry's msgid and msgstr are the module's English and Spanish.
        let loaded = load(&dir);
        let texts = faro::translate::translatable_texts(&loaded.module);
        let entries = faro::translate::po::parse(&std::fs::read_to_string(&po).unwrap()).unwrap();
        assert_eq!(entries.len(), texts.len() + 1, "{}", dir.display());
        for (entry, text) in entries[1..].iter().zip(&texts) {
            assert_eq!(entry.msgctxt.as_deref(), Some(text.context.as_str()));
            assert_eq!(entry.msgid, text.text.get("en"));
            assert_eq!(entry.msgstr, text.text.get("es"));
        }
    }
}

#[test]
fn hostile_characters_survive_the_round_trip_and_msgfmt_accepts_the_file() {
    let temp = tempfile::tempdir().unwrap();
    let dir = module_copy(&temp, "tests/fixtures/good/minimal");
    let file = dir.join("module.ron");
    let hostile = r#"Say \"stop\"\\\tnow\n\n#~ msgid \"x\"\nmsgstr \"injected\""#;
    let source = std::fs::read_to_string(&file)
        .unwrap()
        .replace(r#""en": "Welcome""#, &format!(r#""en": "{hostile}""#));
    std::fs::write(&file, source).unwrap();
    let english = load(&dir).module.steps[0].title().get("en").to_owned();
    assert!(english.contains('\n') && english.contains('"') && english.contains('\t'));

    let po = temp.path().join("ht.po");
    assert_eq!(faro(&["translate", "export", path(&dir), "--lang", "ht", "--out", path(&po)]).0, 0);
    assert_msgfmt_accepts(&po);
    let entries = faro::translate::po::parse(&std::fs::read_to_string(&po).unwrap()).unwrap();
    let title =
        entries.iter().find(|e| e.msgctxt.as_deref() == Some("module:minimal-example/page:intro/title"));
    assert_eq!(title.map(|e| e.msgid.as_str()), Some(english.as_str()));
    assert_eq!(entries.iter().filter(|e| e.msgstr == "injected").count(), 0);
}

#[test]
fn a_translation_whose_english_changed_becomes_fuzzy() {
    let temp = tempfile::tempdir().unwrap();
    let dir = module_copy(&temp, "tests/fixtures/good/minimal");
    let po = temp.path().join("fr.po");
    assert_eq!(faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&po)]).0, 0);
    let filled = fill_translations(&std::fs::read_to_string(&po).unwrap());
    std::fs::write(&po, &filled).unwrap();
    let (code, _, stderr) = faro(&["translate", "import", path(&dir), path(&po)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.join(".faro-translations.ron").is_file());
    let title_context = "module:minimal-example/page:intro/title";
    let french_title = || {
        let module = load(&dir).module;
        module.steps[0].title().0.get("fr").cloned()
    };
    let before = french_title();

    // The author rewrites the English of the page title.
    let file = dir.join("module.ron");
    let source = std::fs::read_to_string(&file)
        .unwrap()
        .replace(r#""en": "Welcome""#, r#""en": "Welcome, volunteer""#);
    std::fs::write(&file, source).unwrap();

    let again = temp.path().join("fr-again.po");
    let (code, _, stderr) = faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&again)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(" 1 fuzzy, 0 untranslated"), "{stderr}");
    assert!(stderr.contains(&format!("fuzzy: {title_context}: the English changed")), "{stderr}");
    let text = std::fs::read_to_string(&again).unwrap();
    let entry = format!(
        "#, fuzzy\n#| msgid \"Welcome\"\nmsgctxt \"{title_context}\"\nmsgid \"Welcome, volunteer\"\nmsgstr "
    );
    assert!(text.contains(&entry), "{text}");
    assert_msgfmt_accepts(&again);

    // The old file (made from the old English) is not imported for that text, and says so.
    let changed = filled.replace("Traduction 4 ", "Nouvelle traduction 4 ");
    assert!(changed != filled);
    std::fs::write(&po, changed).unwrap();
    let (code, _, stderr) = faro(&["translate", "import", path(&dir), path(&po)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("fuzzy: {title_context}: the English changed since this file was exported")),
        "{stderr}"
    );
    assert_eq!(french_title(), before);

    // The translator reviews the fuzzy entry (drops the flag, edits msgstr): imported, and no
    // longer fuzzy on the next export.
    let reviewed = text.replace(&entry, &entry.replace("#, fuzzy\n#| msgid \"Welcome\"\n", "")).replace(
        &format!(
            "msgid \"Welcome, volunteer\"\nmsgstr \"{}\"",
            faro::translate::po::escape(&before.clone().unwrap())
        ),
        "msgid \"Welcome, volunteer\"\nmsgstr \"Bienvenue, bénévole\"",
    );
    std::fs::write(&again, reviewed).unwrap();
    let (code, _, stderr) = faro(&["translate", "import", path(&dir), path(&again)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(french_title().as_deref(), Some("Bienvenue, bénévole"));
    let (code, _, stderr) = faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&again)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(" 0 fuzzy, 0 untranslated"), "{stderr}");
}

/// Each bad PO file: refused with exit 1, `file:line` and the message, and neither module.ron nor
/// the translation record touched.
#[test]
fn bad_po_files_are_refused_with_their_line_and_nothing_is_written() {
    let temp = tempfile::tempdir().unwrap();
    let dir = module_copy(&temp, "tests/fixtures/good/minimal");
    let other = module_copy(&temp, "modules/01-what-is-trafficking");
    let po = temp.path().join("fr.po");
    assert_eq!(faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&po)]).0, 0);
    let good = fill_translations(&std::fs::read_to_string(&po).unwrap());
    let other_po = temp.path().join("other.po");
    assert_eq!(faro(&["translate", "export", path(&other), "--lang", "fr", "--out", path(&other_po)]).0, 0);
    let other_text = fill_translations(&std::fs::read_to_string(&other_po).unwrap());

    let line_of = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let title_ctxt = "msgctxt \"module:minimal-example/page:intro/title\"";
    let unknown = good.replace(title_ctxt, "msgctxt \"module:minimal-example/page:nowhere/title\"");
    let first_entry_start = good.find("\n\n#.").unwrap();
    let duplicated = format!(
        "{good}\n{}",
        &good[first_entry_start + 2
            ..good[first_entry_start + 2..].find("\n\n").unwrap() + first_entry_start + 2]
    );
    let plural = good.replacen(
        "\"Language: fr\\n\"\n",
        "\"Language: fr\\n\"\n\"Plural-Forms: nplurals=two; plural=(n > 1);\\n\"\n",
        1,
    );
    let syntax = good.replacen("msgid \"Welcome\"", "msgid \"Welcome", 1);
    let other_module_header = other_text.clone();
    let other_module_entries =
        good.replace("module:minimal-example/page:intro/title", "module:what-is-trafficking/title");
    let wrong_charset = good.replacen("charset=UTF-8", "charset=ISO-8859-1", 1);
    let plural_entry = good.replacen(
        "msgid \"Welcome\"\nmsgstr",
        "msgid \"Welcome\"\nmsgid_plural \"Welcomes\"\nmsgstr[0] \"a\"\nmsgstr[1] \"b\"\n#",
        1,
    );
    let cases: Vec<(&str, String, usize, &str)> = vec![
        (
            "unknown id",
            unknown.clone(),
            line_of(&unknown, "page:nowhere"),
            "the module has no text \"module:minimal-example/page:nowhere/title\"",
        ),
        ("duplicate", duplicated.clone(), duplicated.lines().count() - 2, "a second entry for"),
        ("plural header", plural.clone(), line_of(&plural, "Plural-Forms"), "broken Plural-Forms header"),
        ("syntax", syntax.clone(), line_of(&syntax, "msgid \"Welcome"), "the string is not closed"),
        (
            "other module (header)",
            other_module_header.clone(),
            line_of(&other_module_header, "X-Faro-Module"),
            "holds the texts of module \"what-is-trafficking\", not of \"minimal-example\"",
        ),
        (
            "other module (entry)",
            other_module_entries.clone(),
            line_of(&other_module_entries, "module:what-is-trafficking/title"),
            "is a text of module \"what-is-trafficking\"",
        ),
        ("charset", wrong_charset.clone(), line_of(&wrong_charset, "charset="), "Faro reads UTF-8 only"),
        ("plural entry", plural_entry.clone(), line_of(&plural_entry, title_ctxt), "no plural forms"),
    ];
    let module_before = std::fs::read(dir.join("module.ron")).unwrap();
    for (name, text, line, message) in cases {
        let bad = temp.path().join(format!("{}.po", name.replace(' ', "-")));
        std::fs::write(&bad, &text).unwrap();
        let (code, stdout, stderr) = faro(&["translate", "import", path(&dir), path(&bad)]);
        assert_eq!(code, 1, "{name}: {stdout}{stderr}");
        let located = format!("{}:{line}:", bad.display());
        assert!(stderr.contains(&located), "{name}: expected {located} in:\n{stderr}");
        assert!(stderr.contains(message), "{name}: expected {message:?} in:\n{stderr}");
        assert!(stderr.contains("nothing was written"), "{name}: {stderr}");
        assert_eq!(
            std::fs::read(dir.join("module.ron")).unwrap(),
            module_before,
            "{name}: module.ron changed"
        );
        assert!(!dir.join(".faro-translations.ron").exists(), "{name}: the record was written");
    }

    // A file larger than the cap is refused before it is parsed.
    let huge = temp.path().join("huge.po");
    let padding = format!("# {}\n", "x".repeat(1023));
    std::fs::write(&huge, padding.repeat(16 * 1024 + 1)).unwrap();
    let (code, _, stderr) = faro(&["translate", "import", path(&dir), path(&huge)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("larger than the 16 MiB limit"), "{stderr}");
    assert_eq!(std::fs::read(dir.join("module.ron")).unwrap(), module_before);

    // English is the source, not a target; a made-up code is a usage error.
    for lang in ["en", "french!", ""] {
        let (code, _, stderr) =
            faro(&["translate", "export", path(&dir), "--lang", lang, "--out", path(&po)]);
        assert_eq!(code, 2, "{lang}: {stderr}");
    }
}

/// A translation that would break the module (the French module title giving a near miss of the
/// Texas Abuse Hotline's address) is refused with the validator's error, and nothing is written.
#[test]
fn an_import_that_would_make_the_module_invalid_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let dir = module_copy(&temp, "modules/04-responding-safely");
    let po = temp.path().join("fr.po");
    assert_eq!(faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&po)]).0, 0);
    let filled = fill_translations(&std::fs::read_to_string(&po).unwrap());
    // Every translation given, but one gives a wrong address.
    let broken = filled.replacen("msgstr \"Traduction 1 :", "msgstr \"Voir txabusehotline.com :", 1);
    std::fs::write(&po, &broken).unwrap();
    let before = std::fs::read(dir.join("module.ron")).unwrap();
    let (code, stdout, stderr) = faro(&["translate", "import", path(&dir), path(&po)]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("1 new error(s)") && stderr.contains("nothing was written"), "{stderr}");
    assert!(stderr.contains("module.ron:9:19: error: module title gives txabusehotline.com"), "{stderr}");
    assert_eq!(std::fs::read(dir.join("module.ron")).unwrap(), before);
}

/// Runs a gettext tool; `false` (with a note) when it is not installed.
fn gettext_tool(program: &str, args: &[&str]) -> bool {
    match Command::new(program).args(args).output() {
        Ok(out) => {
            assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            true
        }
        Err(_) => {
            eprintln!("SKIPPED: {program} is not installed (Debian package gettext)");
            false
        }
    }
}

/// A choice renamed after the translation: gettext's `msgmerge` carries its translation over as
/// fuzzy (with its old `#| msgctxt` and `#| msgid`), Faro does not import it until it
/// is reviewed (`msgattrib --clear-fuzzy` stands in for the translator), then does.
#[test]
fn translations_carried_over_by_msgmerge_are_imported_once_reviewed() {
    let temp = tempfile::tempdir().unwrap();
    let dir = module_copy(&temp, "tests/fixtures/good/minimal");
    let old = temp.path().join("old.fr.po");
    assert_eq!(faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&old)]).0, 0);
    std::fs::write(&old, fill_translations(&std::fs::read_to_string(&old).unwrap())).unwrap();
    assert_eq!(faro(&["translate", "import", path(&dir), path(&old)]).0, 0);

    let file = dir.join("module.ron");
    let source = std::fs::read_to_string(&file).unwrap();
    let renamed = source
        .replacen(r#"id: "note","#, r#"id: "take-notes","#, 1)
        .replace(r#"goto: "note""#, r#"goto: "take-notes""#);
    assert_ne!(renamed, source);
    std::fs::write(&file, renamed).unwrap();
    let (code, stdout, _) = faro(&["validate", path(&dir)]);
    assert_eq!(code, 0, "{stdout}");

    let fresh = temp.path().join("fresh.fr.po");
    let merged = temp.path().join("merged.fr.po");
    assert_eq!(faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&fresh)]).0, 0);
    if !gettext_tool("msgmerge", &["--quiet", "--previous", path(&old), path(&fresh), "-o", path(&merged)]) {
        return;
    }
    let choice = "module:minimal-example/scenario:station/node:arrive/choice:take-notes";
    let (code, _, stderr) = faro(&["translate", "import", path(&dir), path(&merged)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(&format!("fuzzy: {choice}/text: marked fuzzy")), "{stderr}");
    let french = |dir: &Path| {
        let module = load(dir).module;
        let texts = faro::translate::translatable_texts(&module);
        let text = texts.iter().find(|t| t.context == format!("{choice}/text")).unwrap();
        text.text.0.get("fr").cloned()
    };
    // The French of the renamed choice was already in the module (the rename kept the text).
    let before = french(&dir);
    assert!(before.is_some());

    // The translator reviews: the fuzzy marks go, with a new translation for the choice.
    let reviewed = temp.path().join("reviewed.fr.po");
    if !gettext_tool(
        "msgattrib",
        &["--clear-fuzzy", "--clear-previous", path(&merged), "-o", path(&reviewed)],
    ) {
        return;
    }
    let text = std::fs::read_to_string(&reviewed).unwrap();
    let entry_at = text.find(&format!("{choice}/text\"")).unwrap();
    let msgstr_at = entry_at + text[entry_at..].find("\nmsgstr ").unwrap() + 1;
    let end = msgstr_at + text[msgstr_at..].find("\n\n").unwrap();
    let edited = format!("{}msgstr \"Noter les détails\"{}", &text[..msgstr_at], &text[end..]);
    std::fs::write(&reviewed, edited).unwrap();
    let (code, _, stderr) = faro(&["translate", "import", path(&dir), path(&reviewed)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(" 0 fuzzy, 0 untranslated"), "{stderr}");
    assert_eq!(french(&dir).as_deref(), Some("Noter les détails"));
}

/// A module that lists French but lacks it in every text has more errors than the validator
/// lists (it counts the rest): an import that translates half of them is taken, since it adds no
/// error, and the module has fewer errors after it.
#[test]
fn an_import_into_a_module_with_more_errors_than_listed_is_judged_by_their_number() {
    let temp = tempfile::tempdir().unwrap();
    let dir = module_copy(&temp, "modules/04-responding-safely");
    let po = temp.path().join("fr.po");
    assert_eq!(faro(&["translate", "export", path(&dir), "--lang", "fr", "--out", path(&po)]).0, 0);
    let file = dir.join("module.ron");
    let source = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        source.replacen(r#"languages: ["en", "es"]"#, r#"languages: ["en", "es", "fr"]"#, 1),
    )
    .unwrap();
    let (code, stdout, stderr) = faro(&["validate", path(&dir)]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("more in this file"),
        "the validator counts past the ones it lists: {stdout}{stderr}"
    );

    // Half the texts translated.
    let filled = fill_translations(&std::fs::read_to_string(&po).unwrap());
    let mut entry = 0;
    let mut half = String::new();
    for line in filled.lines() {
        entry += usize::from(line.starts_with("msgctxt"));
        let untranslate = entry % 2 == 1 && line.starts_with("msgstr \"Traduction");
        half.push_str(if untranslate { "msgstr \"\"" } else { line });
        half.push('\n');
    }
    std::fs::write(&po, half).unwrap();
    let (code, _, stderr) = faro(&["translate", "import", path(&dir), path(&po)]);
    assert_eq!(code, 0, "{stderr}");
    let total = faro::translate::translatable_texts(&load(&dir).module).len();
    let translated =
        faro::translate::translatable_texts(&load(&dir).module).iter().filter(|t| t.text.has("fr")).count();
    assert!(translated > total / 3 && translated < total, "{translated} of {total}");
}
