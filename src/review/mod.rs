//! The review copy: a module as one self-contained HTML file for the people who sign content off
//! (a lawyer, a survivor advisor, a child-protection lead), who read documents, not RON.
//!
//! Everything a learner can meet is written out, English and Spanish side by side: every page
//! block, every scenario node with all its choices, feedback, unsafe explanations and endings,
//! every check question with its answers (the correct ones marked) and explanations, the content
//! notes, and the scenario maps ([`crate::map::svg`]) inline. Images are embedded as `data:` URIs
//! after the validator's own checks ([`crate::validate::read_checked_image`]); the file loads
//! nothing from anywhere. The module's id, version and content fingerprint (the SHA-256 that
//! completion records carry, [`crate::records::content_hash`]) are printed on every page.
//!
//! Every text from the module goes through the one escape function, [`crate::markup::escape`].

mod labels;
mod markdown;
mod steps;

use std::collections::HashMap;
use std::fmt::Write;
use std::rc::Rc;

use crate::diagnostic::Diagnostic;
use crate::format::{Image, Lang, Module, Text};
use crate::load::LoadedModule;
use crate::markup::escape;

pub use markdown::to_html as markdown_to_html;

/// Most image data one copy holds (as written, in base64). A module may show one 8 MiB image
/// 40,000 times; its copy must not be 400 GB. Images past the budget show their description and a
/// note instead. The bundled modules use well under 1 MiB each.
pub const MAX_EMBEDDED_IMAGE_BYTES: usize = 64 * 1024 * 1024;

/// The style sheet, written into the file (print first: this is read on paper).
const STYLE: &str = include_str!("review.css");

/// The review copy of `loaded`, whose folder's content fingerprint is `fingerprint`; `findings`
/// are the validator's warnings about it (a module with errors gets no review copy), listed on
/// the first page so that a reviewer sees what is still open.
pub fn review_html(loaded: &LoadedModule, fingerprint: &str, findings: &[Diagnostic]) -> String {
    let mut doc = Doc::new(loaded, fingerprint);
    doc.cover(findings);
    for (index, step) in loaded.module.steps.iter().enumerate() {
        doc.step(index, step);
    }
    doc.finish()
}

/// The languages of a module as the review copy lays them out: English and Spanish (or the first
/// two) side by side, any others after them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    pub side_by_side: Vec<Lang>,
    pub after: Vec<Lang>,
}

impl Columns {
    /// English first, then Spanish, then the module's other languages in its order.
    pub fn of(module: &Module) -> Self {
        let mut ordered: Vec<Lang> = ["en", "es"]
            .into_iter()
            .filter(|l| module.languages.iter().any(|m| m == l))
            .map(str::to_owned)
            .collect();
        let others: Vec<Lang> = module.languages.iter().filter(|l| !ordered.contains(l)).cloned().collect();
        ordered.extend(others);
        let after = ordered.split_off(ordered.len().min(2));
        Columns { side_by_side: ordered, after }
    }
}

/// How a text is written: Markdown (long texts) or plain (titles, choices, answers).
#[derive(Clone, Copy)]
enum Kind {
    Markdown,
    Plain,
}

/// The document being written.
struct Doc<'a> {
    out: String,
    loaded: &'a LoadedModule,
    columns: Columns,
    /// The content fingerprint (SHA-256 of the module folder, hex).
    fingerprint: String,
    /// "id · version · fingerprint", escaped, for every step heading.
    stamp: String,
    /// Each image path the module shows, read once: its `data:` URI or why it cannot be shown.
    images: HashMap<String, Result<Rc<str>, String>>,
    /// Image bytes the copy may still hold ([`MAX_EMBEDDED_IMAGE_BYTES`]).
    image_budget: usize,
}

impl<'a> Doc<'a> {
    fn new(loaded: &'a LoadedModule, fingerprint: &str) -> Self {
        let module = &loaded.module;
        let columns = Columns::of(module);
        let stamp =
            escape(&format!("{} · version {} · content SHA-256 {fingerprint}", module.id, module.version));
        let mut out = String::with_capacity(loaded.source.len() * 3);
        let first = columns.side_by_side.first().map_or("en", String::as_str);
        let title = columns.side_by_side.iter().map(|l| module.title.get(l)).collect::<Vec<_>>().join(" / ");
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{} — review copy {} {}</title>\n<style>\n{STYLE}{}</style>\n</head>\n<body>\n",
            escape(first),
            escape(&title),
            escape(&module.id),
            escape(&module.version.to_string()),
            page_margins(module, fingerprint),
        );
        Doc {
            out,
            loaded,
            columns,
            fingerprint: fingerprint.to_owned(),
            stamp,
            images: HashMap::new(),
            image_budget: MAX_EMBEDDED_IMAGE_BYTES,
        }
    }

    fn module(&self) -> &'a Module {
        &self.loaded.module
    }

    /// The first page: what the module is, its fingerprint, how to read the copy, its content
    /// note, its sources and its steps.
    fn cover(&mut self, findings: &[Diagnostic]) {
        let module = self.module();
        self.out.push_str("<section class=\"cover\">\n<p class=\"kind\">");
        self.out.push_str(labels::REVIEW_COPY);
        self.out.push_str("</p>\n<h1>");
        self.texts_inline(&module.title);
        self.out.push_str("</h1>\n");
        self.stamp();
        self.out.push_str("<table class=\"facts\">\n");
        let version = module.version.to_string();
        let fingerprint = self.fingerprint.clone();
        let languages = module.languages.join(", ");
        let regions = module.regions.join(", ");
        let minutes = module.minutes.to_string();
        let review_by = module.review_by.to_string();
        let valid = module.valid_for_months.to_string();
        let rule = match (module.pass_rule.scenarios_passed, module.pass_rule.checks_passed) {
            (true, true) => labels::PASS_BOTH,
            (true, false) => labels::PASS_SCENARIOS,
            (false, true) => labels::PASS_CHECKS,
            (false, false) => labels::PASS_NONE,
        };
        for (label, value) in [
            (labels::MODULE_ID, module.id.as_str()),
            (labels::VERSION, version.as_str()),
            (labels::FINGERPRINT, fingerprint.as_str()),
            (labels::LANGUAGES, languages.as_str()),
            (labels::REGIONS, regions.as_str()),
            (labels::MINUTES, minutes.as_str()),
            (labels::REVIEW_BY, review_by.as_str()),
            (labels::VALID_FOR, valid.as_str()),
            (labels::PASS_RULE, rule),
            (labels::WRITTEN_BY, concat!("faro ", env!("CARGO_PKG_VERSION"))),
        ] {
            let _ = writeln!(self.out, "<tr><th>{label}</th><td>{}</td></tr>", escape(value));
        }
        self.out.push_str("</table>\n");
        self.findings(findings);
        self.out.push_str(labels::HOW_TO_READ);
        self.headings();
        self.labelled(labels::SUMMARY, &module.summary, Kind::Markdown);
        if let Some(note) = &module.content_note {
            self.content_note(note, labels::MODULE_NOTE_WHEN);
        }
        self.sources();
        self.contents();
        self.out.push_str("</section>\n");
    }

    /// What the validator still says about the module (warnings), or that it says nothing.
    fn findings(&mut self, findings: &[Diagnostic]) {
        if findings.is_empty() {
            let _ = writeln!(self.out, "<p class=\"findings\">{}</p>", labels::NO_FINDINGS);
            return;
        }
        let _ = write!(
            self.out,
            "<div class=\"box findings\"><p class=\"box-title\">{}</p><ul>",
            labels::FINDINGS
        );
        for finding in findings {
            // Named by the file alone: where the author's folder was is no reviewer's business.
            let file = finding.file.file_name().map(std::path::PathBuf::from).unwrap_or_default();
            let shown = Diagnostic { file, ..finding.clone() };
            let _ = write!(self.out, "<li>{}</li>", escape(&shown.to_string()));
        }
        self.out.push_str("</ul></div>\n");
    }

    /// The module's steps, each a link to its section.
    fn contents(&mut self) {
        let _ =
            write!(self.out, "<h2 class=\"contents\">{}</h2>\n<ol class=\"contents\">\n", labels::CONTENTS);
        for step in &self.module().steps {
            let (kind, _) = labels::step_kind(step);
            let _ = write!(self.out, "<li><a href=\"#{}\">{kind}: ", escape(&step_anchor(step.id())));
            self.texts_inline(step.title());
            self.out.push_str("</a></li>\n");
        }
        self.out.push_str("</ol>\n");
    }

    /// Every source the module cites, with its address written out.
    fn sources(&mut self) {
        let module = self.module();
        if module.sources.is_empty() {
            return;
        }
        let _ = write!(self.out, "<h2>{}</h2>\n<ul class=\"sources\">\n", labels::SOURCES);
        for source in &module.sources {
            let _ = writeln!(
                self.out,
                "<li><span class=\"id\">{}</span> {} <span class=\"address\">({})</span></li>",
                escape(&source.id),
                escape(&source.title),
                escape(&source.url)
            );
        }
        self.out.push_str("</ul>\n");
    }

    /// The line naming the module, its version and its fingerprint, under every step heading.
    fn stamp(&mut self) {
        let _ = writeln!(self.out, "<p class=\"stamp\">{}</p>", self.stamp);
    }

    /// The language names over the columns.
    fn headings(&mut self) {
        self.out.push_str("<div class=\"pair heads\" aria-hidden=\"true\">");
        for lang in &self.columns.side_by_side {
            let _ = write!(self.out, "<div>{}</div>", escape(&language_name(lang)));
        }
        self.out.push_str("</div>\n");
    }

    /// The titles of `text` in the side-by-side languages, joined with " / ", for a heading.
    fn texts_inline(&mut self, text: &Text) {
        let mut first = true;
        for lang in self.columns.side_by_side.iter().chain(&self.columns.after) {
            if !first {
                self.out.push_str(" <span class=\"slash\">/</span> ");
            }
            first = false;
            let _ = write!(self.out, "<span lang=\"{}\">{}</span>", escape(lang), escape(text.get(lang)));
        }
    }

    /// `text` with a label above it, in every language.
    fn labelled(&mut self, label: &str, text: &Text, kind: Kind) {
        let _ = writeln!(self.out, "<p class=\"label\">{label}</p>");
        self.pair(text, kind);
    }

    /// `text` in every language: side by side, then the others one under the other.
    fn pair(&mut self, text: &Text, kind: Kind) {
        let columns = self.columns.side_by_side.len().max(1);
        let _ = write!(self.out, "<div class=\"pair cols-{columns}\">");
        for lang in self.columns.side_by_side.clone() {
            self.cell(text, &lang, kind);
        }
        self.out.push_str("</div>\n");
        for lang in self.columns.after.clone() {
            self.out.push_str("<div class=\"pair cols-1 after\">");
            self.cell(text, &lang, kind);
            self.out.push_str("</div>\n");
        }
    }

    fn cell(&mut self, text: &Text, lang: &str, kind: Kind) {
        let _ = write!(
            self.out,
            "<div class=\"cell\" lang=\"{0}\" dir=\"auto\" data-lang=\"{0}\">",
            escape(lang)
        );
        match (text.0.get(lang).filter(|s| !s.trim().is_empty()), kind) {
            (None, _) => {
                let _ = write!(self.out, "<p class=\"missing\">{}</p>", labels::MISSING_TRANSLATION);
            }
            (Some(s), Kind::Markdown) => self.out.push_str(&markdown::to_html(s)),
            (Some(s), Kind::Plain) => {
                let _ = write!(self.out, "<p>{}</p>", escape(s));
            }
        }
        self.out.push_str("</div>");
    }

    /// A content note, in a box that cannot be missed, with when the learner sees it.
    fn content_note(&mut self, note: &Text, when: &str) {
        let _ = write!(
            self.out,
            "<div class=\"box content-note\"><p class=\"box-title\">{}</p><p class=\"when\">{when}</p>",
            labels::CONTENT_NOTE
        );
        self.pair(note, Kind::Markdown);
        self.out.push_str("</div>\n");
    }

    /// An image embedded from the module folder, or its description and why it is not shown.
    fn image(&mut self, image: &Image) {
        self.out.push_str("<figure class=\"image\">");
        let alt: Vec<&str> = self.columns.side_by_side.iter().map(|l| image.alt.get(l)).collect();
        match self.data_uri(&image.path) {
            Ok(uri) => {
                let _ = write!(self.out, "<img src=\"{uri}\" alt=\"{}\">", escape(&alt.join(" / ")));
            }
            Err(why) => {
                let _ = write!(
                    self.out,
                    "<p class=\"box missing-image\"><strong>{}</strong> {}: {}</p>",
                    labels::IMAGE_NOT_SHOWN,
                    escape(&image.path),
                    escape(&why)
                );
            }
        }
        let _ = write!(self.out, "<figcaption><p class=\"file\">{}</p>", escape(&image.path));
        self.labelled(labels::IMAGE_DESCRIPTION, &image.alt, Kind::Plain);
        if let Some(caption) = &image.caption {
            self.labelled(labels::CAPTION, caption, Kind::Plain);
        }
        self.out.push_str("</figcaption></figure>\n");
    }

    /// The image at `path` as a `data:` URI, read and checked once per path however often the
    /// module shows it, and charged to the copy's image budget each time it is written.
    fn data_uri(&mut self, path: &str) -> Result<Rc<str>, String> {
        let dir = &self.loaded.dir;
        let uri = self
            .images
            .entry(path.to_owned())
            .or_insert_with(|| {
                crate::validate::read_checked_image(dir, path).map(|checked| {
                    let encoded = data_encoding::BASE64.encode(&checked.bytes);
                    Rc::from(format!("data:{};base64,{encoded}", checked.mime))
                })
            })
            .clone()?;
        if uri.len() > self.image_budget {
            return Err(format!(
                "{} (the copy holds at most {} MiB of images)",
                labels::IMAGE_BUDGET_USED,
                MAX_EMBEDDED_IMAGE_BYTES / (1024 * 1024)
            ));
        }
        self.image_budget -= uri.len();
        Ok(uri)
    }

    fn finish(mut self) -> String {
        let _ = writeln!(self.out, "<p class=\"end\">{}</p>", labels::END);
        // A place for the reviewer's decision, naming what was reviewed.
        let _ =
            write!(self.out, "<div class=\"box sign-off\"><p class=\"box-title\">{}</p>", labels::SIGN_OFF);
        self.stamp();
        self.out.push_str("<table class=\"facts sign-off\">");
        for field in labels::SIGN_OFF_FIELDS {
            let _ = write!(self.out, "<tr><th>{field}</th><td></td></tr>");
        }
        self.out.push_str("</table></div>\n");
        self.out.push_str("</body>\n</html>\n");
        self.out
    }
}

/// The anchor of a step's section.
fn step_anchor(id: &str) -> String {
    format!("step-{id}")
}

/// A language's own name, for the column headings.
fn language_name(lang: &str) -> String {
    match lang {
        "en" => "English".to_owned(),
        "es" => "Español".to_owned(),
        "fr" => "Français".to_owned(),
        "ht" => "Kreyòl ayisyen".to_owned(),
        other => other.to_owned(),
    }
}

/// The printed pages' margins: the module, its version and fingerprint at the top of every page,
/// the page number at the bottom. CSS strings are not HTML: only characters that need no escaping
/// in either are kept (an id is `a-z0-9-`, a version `0-9A-Za-z.+-`, a fingerprint hex).
fn page_margins(module: &Module, fingerprint: &str) -> String {
    let safe = |s: &str| -> String {
        s.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-')).collect()
    };
    format!(
        "@page {{\n  @top-left {{ content: \"{} {}\"; }}\n  @top-right {{ content: \"SHA-256 {}\"; }}\n  \
         @bottom-right {{ content: counter(page) \" / \" counter(pages); }}\n}}\n",
        safe(&module.id),
        safe(&module.version.to_string()),
        safe(fingerprint)
    )
}

#[cfg(test)]
mod tests;
