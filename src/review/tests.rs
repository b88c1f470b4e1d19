use super::*;
use crate::format::{Step, Text};

fn module_with(languages: &[&str]) -> Module {
    let mut module = crate::load::parse_module(
        std::path::Path::new("module.ron"),
        &std::fs::read_to_string("modules/01-what-is-trafficking/module.ron").unwrap(),
    )
    .unwrap();
    module.languages = languages.iter().map(|l| (*l).to_owned()).collect();
    module
}

#[test]
fn english_and_spanish_go_side_by_side_and_other_languages_after() {
    let columns = Columns::of(&module_with(&["fr", "es", "en", "ht"]));
    assert_eq!(columns.side_by_side, ["en", "es"]);
    assert_eq!(columns.after, ["fr", "ht"]);
    let columns = Columns::of(&module_with(&["en"]));
    assert_eq!((columns.side_by_side.as_slice(), columns.after.len()), (&["en".to_owned()][..], 0));
}

#[test]
fn page_margins_keep_only_characters_safe_in_css_and_html() {
    let mut module = module_with(&["en", "es"]);
    module.id = "a\"b;}</style>".to_owned();
    let css = page_margins(&module, "ab\"cd");
    assert!(css.contains("content: \"ab") && !css.contains("</style>"), "{css}");
    assert!(css.contains("SHA-256 abcd\""), "{css}");
}

#[test]
fn a_missing_translation_is_said_not_filled_in_from_english() {
    let loaded =
        crate::load::load_module_dir(std::path::Path::new("modules/01-what-is-trafficking")).unwrap();
    let mut doc = Doc::new(&loaded, "00");
    doc.pair(&Text::from_pairs([("en", "Only English")]), Kind::Plain);
    assert!(
        doc.out
            .contains("<div class=\"cell\" lang=\"es\" dir=\"auto\" data-lang=\"es\"><p class=\"missing\">")
    );
}

#[test]
fn an_image_that_cannot_be_read_shows_its_description_and_why() {
    // The module of the bundled folder, read as if from a folder without its images.
    let mut loaded =
        crate::load::load_module_dir(std::path::Path::new("modules/01-what-is-trafficking")).unwrap();
    let empty = tempfile::tempdir().unwrap();
    loaded.dir = empty.path().to_owned();
    let html = review_html(&loaded, "00", &[]);
    assert!(!html.contains("<img"), "nothing to embed");
    assert!(html.contains("<p class=\"box missing-image\"><strong>Image not shown · Imagen no mostrada:</strong> images/smuggling-vs-trafficking.png: file not found</p>"), "{html}");
    let Some(Step::Page(page)) = loaded.module.steps.iter().find(|s| matches!(s, Step::Page(p) if p.blocks.iter().any(|b| matches!(b, crate::format::Block::Image(_))))) else { panic!() };
    let Some(crate::format::Block::Image(image)) =
        page.blocks.iter().find(|b| matches!(b, crate::format::Block::Image(_)))
    else {
        panic!()
    };
    assert!(html.contains(&escape(image.alt.get("es"))));
}

#[test]
fn the_validators_warnings_are_listed_by_file_name_and_escaped() {
    let loaded =
        crate::load::load_module_dir(std::path::Path::new("modules/01-what-is-trafficking")).unwrap();
    let html = review_html(&loaded, "00", &[]);
    assert!(html.contains(labels::NO_FINDINGS));
    // The copy ends with a place for the reviewer's decision, under the same stamp.
    let sign_off = &html[html.find(labels::SIGN_OFF).unwrap()..];
    let stamp = format!("what-is-trafficking · version {} · content SHA-256 00", loaded.module.version);
    assert!(sign_off.contains(&stamp));
    assert!(labels::SIGN_OFF_FIELDS.iter().all(|f| sign_off.contains(f)));
    let warning = Diagnostic::warning(
        "/home/author-folder-xyz/module.ron",
        crate::diagnostic::Position { line: 3, column: 7 },
        "a <b> warning",
    );
    let html = review_html(&loaded, "00", &[warning]);
    assert!(html.contains("<li>module.ron:3:7: warning: a &lt;b&gt; warning</li>"), "{html}");
    assert!(!html.contains("author-folder-xyz") && !html.contains(labels::NO_FINDINGS));
}

#[test]
fn an_image_shown_many_times_is_read_once_and_the_copy_stays_within_its_budget() {
    let loaded =
        crate::load::load_module_dir(std::path::Path::new("modules/01-what-is-trafficking")).unwrap();
    let image = crate::format::Image {
        path: "images/smuggling-vs-trafficking.png".to_owned(),
        alt: Text::from_pairs([("en", "A diagram"), ("es", "Un diagrama")]),
        caption: None,
    };
    let mut doc = Doc::new(&loaded, "00");
    let before = crate::validate::image_decodes_on_this_thread();
    doc.image(&image);
    let one = doc.out.matches("<img src=\"data:image/png;base64,").count();
    let size = doc.out.len();
    // Room for one more copy of the image.
    doc.image_budget = MAX_EMBEDDED_IMAGE_BYTES - doc.image_budget;
    for _ in 0..4 {
        doc.image(&image);
    }
    assert_eq!(crate::validate::image_decodes_on_this_thread() - before, 2, "header and pixels, once");
    assert_eq!(one, 1);
    // The budget allowed two copies in all: the other three say why they are not there.
    assert_eq!(doc.out.matches("<img src=\"data:image/png;base64,").count(), 2);
    assert_eq!(doc.out.matches(labels::IMAGE_BUDGET_USED).count(), 3);
    assert!(doc.out.len() < size * 3);
    assert!(doc.out.matches("Un diagrama").count() >= 5, "every description is there");
}
