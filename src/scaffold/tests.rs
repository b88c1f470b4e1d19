use super::*;
use crate::validate::{self, Context};

fn new_module(languages: &[&str]) -> NewModule {
    NewModule {
        id: "shelter-intake".into(),
        title: None,
        languages: languages.iter().map(|l| (*l).to_owned()).collect(),
        today: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
    }
}

/// Writes the module into a fresh folder and validates it against the bundled region data.
fn written_and_validated(module: &NewModule) -> (tempfile::TempDir, Vec<crate::diagnostic::Diagnostic>) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("shelter-intake");
    let written = module.write(&dir).unwrap();
    assert_eq!(written.len(), 2);
    let regions = crate::bundled::regions().unwrap();
    let ctx = Context {
        today: module.today,
        regions: Some(&regions),
        terms: crate::bundled::terms().ok(),
        decode_images: true,
        pack: None,
    };
    let report = validate::check_dir(&dir, &ctx);
    (temp, report.diagnostics)
}

/// Whether every finding is a warning that names a text the template left (issue 28: a module
/// published with the template's texts must not pass silently).
fn only_leftovers(diagnostics: &[crate::diagnostic::Diagnostic]) -> bool {
    diagnostics.iter().all(|d| {
        !d.is_error()
            && (d.message.contains("is still the placeholder text of `faro new module`")
                || d.message.contains("still has the mark [traducir]"))
    })
}

#[test]
fn the_bilingual_module_validates_without_an_error_and_names_every_leftover_text() {
    let (_temp, diagnostics) = written_and_validated(&new_module(&["en", "es"]));
    assert!(only_leftovers(&diagnostics), "{diagnostics:#?}");
    // The three placeholder texts (summary, page text, image description) in both languages, and
    // the Spanish title's mark.
    assert_eq!(diagnostics.len(), 2 * 3 + 1, "{diagnostics:#?}");
    assert!(
        diagnostics.iter().any(|d| d.message.starts_with("module title in Spanish (es) still has the mark")),
        "{diagnostics:#?}"
    );
}

#[test]
fn an_english_only_module_validates_without_an_error() {
    // A Spanish text in it would be a warning ("a language the module does not list").
    let (_temp, diagnostics) = written_and_validated(&new_module(&["en"]));
    assert!(only_leftovers(&diagnostics), "{diagnostics:#?}");
    assert_eq!(diagnostics.len(), 3, "the English placeholders, and no mark on the title");
}

#[test]
fn a_spanish_only_module_validates_too() {
    let (_temp, diagnostics) = written_and_validated(&new_module(&["es"]));
    assert!(only_leftovers(&diagnostics), "{diagnostics:#?}");
    assert_eq!(diagnostics.len(), 3 + 1);
}

#[test]
fn every_marker_is_filled_and_every_building_block_is_there() {
    let source = new_module(&["en", "es"]).source().unwrap();
    assert!(!source.contains('«') && !source.contains('»'), "an unfilled marker");
    for block in [
        "Text(",
        "Image(",
        "Callout(",
        "Contact(",
        "Scenario(",
        "critical: Critical(",
        "outcome: Pass",
        "outcome: Fail",
        "pass_score:",
        "kind: TrueFalse",
        "content_note:",
    ] {
        assert!(source.contains(block), "no {block}");
    }
    assert!(source.contains("id: \"shelter-intake\""));
    assert!(
        source.contains("title: {\"en\": \"Shelter intake\", \"es\": \"Shelter intake [traducir]\"}"),
        "{source}"
    );
    assert!(source.contains("review_by: \"2027-12-02\""));
    assert!(source.contains("trata de personas"));
    // Only the comment that warns against it.
    assert_eq!(source.matches("tráfico de personas").count(), 1, "the discouraged term used as text");
}

#[test]
fn the_contact_card_is_the_region_data_card() {
    let module =
        crate::load::parse_module(Path::new("module.ron"), &new_module(&["en", "es"]).source().unwrap())
            .unwrap();
    let regions = crate::bundled::regions().unwrap();
    let known = regions.contact("us-911").unwrap();
    let card = module
        .steps
        .iter()
        .filter_map(|s| match s {
            crate::format::Step::Page(p) => Some(&p.blocks),
            _ => None,
        })
        .flatten()
        .find_map(|b| match b {
            crate::format::Block::Contact(c) => Some(c),
            _ => None,
        })
        .unwrap();
    assert_eq!(card, known);
}

#[test]
fn a_given_title_is_escaped_for_ron() {
    let mut module = new_module(&["en"]);
    module.title = Some(r#"The "intake" \ desk"#.into());
    let source = module.source().unwrap();
    let parsed = crate::load::parse_module(Path::new("module.ron"), &source).unwrap();
    assert_eq!(parsed.title.get("en"), r#"The "intake" \ desk"#);
}

#[test]
fn bad_ids_and_languages_are_refused() {
    let mut module = new_module(&["en"]);
    module.id = "Shelter Intake".into();
    assert!(matches!(module.source(), Err(ScaffoldError::BadId(_))));
    assert!(
        matches!(new_module(&["en", "fr"]).source(), Err(ScaffoldError::UnknownLanguage(l)) if l == "fr")
    );
    assert!(matches!(new_module(&["en", "en"]).source(), Err(ScaffoldError::RepeatedLanguage(_))));
    assert!(matches!(new_module(&[]).source(), Err(ScaffoldError::NoLanguages)));
}

#[test]
fn a_folder_that_is_not_empty_is_left_alone() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("notes.txt"), "mine").unwrap();
    let err = new_module(&["en"]).write(temp.path()).unwrap_err();
    assert!(matches!(err, ScaffoldError::NotEmpty(_)), "{err}");
    assert!(!temp.path().join("module.ron").exists());
    // An empty folder is fine.
    let empty = temp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    new_module(&["en"]).write(&empty).unwrap();
}

#[test]
fn the_placeholder_is_a_small_png() {
    let png = placeholder_png().unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert!(png.len() < 600, "{} bytes", png.len());
}

#[test]
fn every_placeholder_mark_is_in_a_template_text() {
    for mark in PLACEHOLDER_MARKS {
        assert!(TEXTS.iter().any(|(_, en, es)| en.contains(mark) || es.contains(mark)), "{mark}");
    }
}
