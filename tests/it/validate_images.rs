//! Each image decoded once per validation (issue 26, item 2): thousands of `Image` blocks that
//! point to one file (or to copies of it) cost one decode, not one per reference. The decodes
//! are counted, not timed.

use crate::common;

use std::path::Path;

use faro::validate::{self, Context, image_decodes_on_this_thread};

const PAGES: usize = 20;

/// The minimal module with `PAGES` more pages of 200 images each, every one pointing to
/// `images/figure.png` or, on odd pages, to its copy `images/copy.png`.
fn many_references(dir: &Path) -> usize {
    common::copy_dir(Path::new("tests/fixtures/good/minimal"), dir);
    std::fs::copy(dir.join("images/figure.png"), dir.join("images/copy.png")).unwrap();
    let per_page = faro::format::limits::MAX_BLOCKS_PER_PAGE;
    let pages: String = (0..PAGES)
        .map(|p| {
            let file = if p % 2 == 0 { "figure" } else { "copy" };
            let image = format!(
                r#"Image(path: "images/{file}.png", alt: {{"en": "Three circles.", "es": "Tres círculos."}}),"#
            );
            format!(
                r#"Page(id: "more-{p}", title: {{"en": "More {p}", "es": "Más {p}"}}, blocks: [{}]),"#,
                image.repeat(per_page)
            )
        })
        .collect();
    let file = dir.join("module.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("        Scenario(").unwrap();
    std::fs::write(&file, format!("{}{pages}\n{}", &text[..at], &text[at..])).unwrap();
    PAGES * per_page + 1
}

#[test]
fn thousands_of_references_to_one_image_decode_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("many");
    let references = many_references(&module);
    assert!(references > 4_000);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    for decode_images in [true, false] {
        let ctx = Context { today, regions: None, terms: None, decode_images, pack: None };
        let before = image_decodes_on_this_thread();
        let report = validate::check_dir(&module, &ctx);
        let decodes = image_decodes_on_this_thread() - before;
        assert!(!report.has_errors(), "{:?}", report.diagnostics.first());
        // One header read, and with `decode_images` one decode of the pixels: the copy has the
        // same content, so it is not decoded again.
        assert_eq!(decodes, if decode_images { 2 } else { 1 }, "{references} references");
    }
}

#[test]
fn a_damaged_image_is_reported_at_every_reference() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("many");
    many_references(&module);
    std::fs::write(module.join("images/copy.png"), b"not an image").unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let ctx = Context { today, regions: None, terms: None, decode_images: true, pack: None };
    let report = validate::check_dir(&module, &ctx);
    let damaged =
        report.diagnostics.iter().filter(|d| d.message.contains("image \"images/copy.png\"")).count();
    assert!(damaged >= 99, "{damaged}: {:?}", report.diagnostics.first());
}

/// A FIFO named like an image once made `faro validate` wait forever for a writer (issue 26,
/// item 3d); it is refused as not a regular file.
#[cfg(unix)]
#[test]
fn a_fifo_named_like_an_image_is_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("fifo");
    common::copy_dir(Path::new("tests/fixtures/good/minimal"), &module);
    let figure = module.join("images/figure.png");
    std::fs::remove_file(&figure).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&figure).status().unwrap();
    assert!(made.success());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let ctx = Context { today, regions: None, terms: None, decode_images: true, pack: None };
    let report = validate::check_dir(&module, &ctx);
    assert!(
        report.diagnostics.iter().any(|d| d.is_error() && d.message.contains("not a regular file")),
        "{:?}",
        report.diagnostics
    );
}
