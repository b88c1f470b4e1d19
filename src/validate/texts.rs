//! Translation checks: every learner-visible text has every module language, and alt text is present.

use std::collections::HashSet;

use super::Found;
use crate::format::{
    Answer, Block, Callout, Check, Choice, ContactCard, Critical, Ending, Image, IndicatorList, Module, Node,
    Page, PassRule, Question, Region, Regions, Scenario, Source, Step, Text,
};
use crate::load::{Anchor, Locator};

/// Reports a text missing a module language (errors) or carrying an unlisted one (warnings).
pub(super) fn check_languages(
    module: &Module,
    text: &Text,
    what: &dyn Fn() -> String,
    at: Anchor,
    out: &mut Vec<Found>,
) {
    let missing = module.languages.iter().filter(|l| !text.has(l));
    let extra = text.0.keys().filter(|l| !module.languages.contains(l));
    // Descriptions are built only for a finding.
    if missing.clone().next().is_none() && extra.clone().next().is_none() {
        return;
    }
    let what = what();
    for lang in missing {
        out.push(Found::error(at, format!("{what} is missing its {} translation", language_name(lang))));
    }
    for lang in extra {
        let message = format!("{what} has text in \"{lang}\", which the module's languages do not list");
        out.push(Found::warning(at, message));
    }
}

/// Reports invisible formatting characters (see [`crate::format::invisible`]): any of them in the
/// module's title, summary and step titles, which library cards and certificates show; and the
/// bidirectional controls that reorder text anywhere else a learner reads.
pub(super) struct InvisibleCheck {
    /// The names, by address: the walk hands out these very values.
    names: HashSet<*const Text>,
}

impl InvisibleCheck {
    pub(super) fn new(module: &Module) -> Self {
        let names = [&module.title, &module.summary]
            .into_iter()
            .chain(module.steps.iter().map(Step::title))
            .map(std::ptr::from_ref)
            .collect();
        Self { names }
    }

    pub(super) fn check(&self, text: &Text, what: &dyn Fn() -> String, at: Anchor, out: &mut Vec<Found>) {
        use crate::format::invisible::{code_point, first_invisible, is_bidi_control};
        let is_name = self.names.contains(&std::ptr::from_ref(text));
        let hidden =
            |t: &String| if is_name { first_invisible(t) } else { t.chars().find(|&c| is_bidi_control(c)) };
        let Some(c) = text.0.values().find_map(hidden) else { return };
        let message = format!(
            "{} contains an invisible formatting character ({}), which can make it display differently from what it is: remove it",
            what(),
            code_point(c)
        );
        out.push(Found::error(at, message));
    }
}

/// Where a finding about a text is reported: the module's own texts at its `title` field.
pub(super) fn anchor(loc: &Locator<'_>, at: Anchor) -> Anchor {
    if at == Anchor(0) { loc.field(at, "title").unwrap_or(at) } else { at }
}

/// "Spanish (es)" for known codes, the code otherwise.
pub(super) fn language_name(code: &str) -> String {
    match code {
        "en" => "English (en)".to_owned(),
        "es" => "Spanish (es)".to_owned(),
        other => format!("\"{other}\""),
    }
}

/// Receives each text, a description of where it is (built only when asked), and its anchor.
pub type TextVisitor<'a> = dyn FnMut(&Text, &dyn Fn() -> String, Anchor) + 'a;

/// Calls `f` with every learner-visible text, a description of where it is, and an anchor.
pub fn for_each_text(module: &Module, loc: &Locator<'_>, f: &mut TextVisitor<'_>) {
    visit_texts(module, loc, &mut |text, place, at| f(text, place.what, at));
}

/// Where a text is, as [`visit_texts`] and [`for_each_region_text`] hand it out.
pub struct TextPlace<'a> {
    /// Describes where the text is (`text of choice "press" of node "disclosure"`); built only
    /// when called.
    pub what: &'a dyn Fn() -> String,
    /// The field that holds it: `title`, `summary`, `content_note`, `text`, `alt`, `caption`,
    /// `name`, `note`, `when`, `hours`, `languages`, `items`, `feedback`, `why`, `instead`,
    /// `prompt`, `explain`.
    pub field: &'static str,
    /// For a contact card's texts, the card: its name and numbers are shown with each of them.
    pub card: Option<&'a ContactCard>,
}

/// Receives each text, where it is, and its anchor.
pub type PlacedTextVisitor<'a> = dyn FnMut(&Text, &TextPlace<'_>, Anchor) + 'a;

/// Calls `f` with every learner-visible text of `module`, in file order.
///
/// This is the one walk over a module's texts (validation, the Spanish voice test, the number
/// checks all use it). Every format struct is taken apart field by field, never with `..`, so a
/// new field in the format does not compile until it is handled here: a text that is added to
/// the format cannot be missed by the checks.
pub fn visit_texts(module: &Module, loc: &Locator<'_>, f: &mut PlacedTextVisitor<'_>) {
    let Module {
        id: _,
        version: _,
        languages: _,
        title,
        summary,
        minutes: _,
        review_by: _,
        valid_for_months: _,
        regions: _,
        sources,
        content_note,
        pass_rule,
        steps,
    } = module;
    // Sources are cited as published, in their own language; the pass rule has no text.
    for Source { id: _, title: _, url: _ } in sources {}
    let PassRule { scenarios_passed: _, checks_passed: _ } = pass_rule;
    let top = Anchor(0);
    let mut emit = |text: &Text, what: &dyn Fn() -> String, field: &'static str, at: Anchor| {
        f(text, &TextPlace { what, field, card: None }, at);
    };
    emit(title, &|| "module title".to_owned(), "title", top);
    emit(summary, &|| "module summary".to_owned(), "summary", top);
    if let Some(note) = content_note {
        emit(note, &|| "module content note".to_owned(), "content_note", top);
    }
    let mut after = loc.field(top, "steps").unwrap_or(top);
    for step in steps {
        let at = loc.id(after, step.id());
        after = at;
        match step {
            Step::Page(page) => page_texts(page, loc, at, f),
            Step::Scenario(scenario) => scenario_texts(scenario, loc, at, f),
            Step::Check(check) => check_texts(check, loc, at, f),
        }
    }
}

/// The texts of the region data (`assets/regions.ron`), which the help panel shows as they are.
pub fn for_each_region_text(regions: &Regions, f: &mut dyn FnMut(&Text, &TextPlace<'_>)) {
    let Regions { regions } = regions;
    for Region { id, name, note, contacts } in regions {
        f(name, &TextPlace { what: &|| format!("name of region \"{id}\""), field: "name", card: None });
        if let Some(note) = note {
            f(note, &TextPlace { what: &|| format!("note of region \"{id}\""), field: "note", card: None });
        }
        for card in contacts {
            card_texts(card, &mut |text, field| {
                let what = || format!("{field} of contact \"{}\" in region \"{id}\"", card.id);
                f(text, &TextPlace { what: &what, field, card: Some(card) });
            });
        }
    }
}

/// A contact card's texts with their field names.
fn card_texts<'c>(card: &'c ContactCard, f: &mut dyn FnMut(&'c Text, &'static str)) {
    let ContactCard { id: _, name, region: _, phone: _, sms: _, url: _, hours, languages, when } = card;
    f(name, "name");
    f(when, "when");
    if let Some(hours) = hours {
        f(hours, "hours");
    }
    if let Some(languages) = languages {
        f(languages, "languages");
    }
}

/// An image's texts with their field names.
fn image_texts<'i>(image: &'i Image, f: &mut dyn FnMut(&'i Text, &'static str)) {
    let Image { path: _, alt, caption } = image;
    f(alt, "alt");
    if let Some(caption) = caption {
        f(caption, "caption");
    }
}

/// An image's texts, found at its `path` after `at`.
fn image_at(image: &Image, loc: &Locator<'_>, at: Anchor, f: &mut PlacedTextVisitor<'_>) {
    let here = loc.field_value(at, "path", &image.path).unwrap_or(at);
    image_texts(image, &mut |text, field| {
        let kind = if field == "alt" { "alt text" } else { "caption" };
        let what = || format!("{kind} of image \"{}\"", image.path);
        f(text, &TextPlace { what: &what, field, card: None }, here);
    });
}

fn page_texts(page: &Page, loc: &Locator<'_>, at: Anchor, f: &mut PlacedTextVisitor<'_>) {
    let Page { id, title, blocks } = page;
    f(title, &TextPlace { what: &|| format!("title of step \"{id}\""), field: "title", card: None }, at);
    for (i, block) in blocks.iter().enumerate() {
        let what = || format!("block {} of page \"{id}\"", i + 1);
        match block {
            Block::Text(text) => f(text, &TextPlace { what: &what, field: "text", card: None }, at),
            Block::Image(image) => image_at(image, loc, at, f),
            Block::Callout(Callout { kind: _, text }) => {
                f(text, &TextPlace { what: &what, field: "text", card: None }, at);
            }
            Block::Contact(card) => {
                let here = loc.id(at, &card.id);
                card_texts(card, &mut |text, field| {
                    let what = || match field {
                        "name" => format!("name of contact \"{}\"", card.id),
                        "when" => format!("\"when\" of contact \"{}\"", card.id),
                        _ => format!("details of contact \"{}\"", card.id),
                    };
                    f(text, &TextPlace { what: &what, field, card: Some(card) }, here);
                });
            }
            Block::Indicators(IndicatorList { title, items }) => {
                f(title, &TextPlace { what: &what, field: "title", card: None }, at);
                for item in items {
                    let what = || format!("indicator in {}", what());
                    f(item, &TextPlace { what: &what, field: "items", card: None }, at);
                }
            }
            Block::Sources(_) => {}
        }
    }
}

fn scenario_texts(scenario: &Scenario, loc: &Locator<'_>, at: Anchor, f: &mut PlacedTextVisitor<'_>) {
    // `requires` names acts of the safety policy: ids, not text.
    let Scenario { id, title, content_note, start: _, nodes, endings, pass_score: _, requires: _ } = scenario;
    f(title, &TextPlace { what: &|| format!("title of step \"{id}\""), field: "title", card: None }, at);
    if let Some(note) = content_note {
        let what = || format!("content note of scenario \"{id}\"");
        f(note, &TextPlace { what: &what, field: "content_note", card: None }, at);
    }
    let mut node_after = at;
    for Node { id: node, text, image, choices } in nodes {
        let n_at = loc.id(node_after, node);
        node_after = n_at;
        f(text, &TextPlace { what: &|| format!("text of node \"{node}\""), field: "text", card: None }, n_at);
        if let Some(image) = image {
            image_at(image, loc, n_at, f);
        }
        let mut c_after = n_at;
        for Choice { id: choice, text, goto: _, feedback, score: _, sets: _, when: _, critical, act: _ } in
            choices
        {
            let c_at = loc.id(c_after, choice);
            c_after = c_at;
            let of = || format!("choice \"{choice}\" of node \"{node}\"");
            let what = || format!("text of {}", of());
            f(text, &TextPlace { what: &what, field: "text", card: None }, c_at);
            if let Some(feedback) = feedback {
                let what = || format!("feedback of {}", of());
                f(feedback, &TextPlace { what: &what, field: "feedback", card: None }, c_at);
            }
            if let Some(Critical { why, instead }) = critical {
                let what = || format!("\"why\" of critical {}", of());
                f(why, &TextPlace { what: &what, field: "why", card: None }, c_at);
                let what = || format!("\"instead\" of critical {}", of());
                f(instead, &TextPlace { what: &what, field: "instead", card: None }, c_at);
            }
        }
    }
    let mut e_after = at;
    for Ending { id: ending, outcome: _, summary, claims: _ } in endings {
        let e_at = loc.id(e_after, ending);
        e_after = e_at;
        let what = || format!("summary of ending \"{ending}\"");
        f(summary, &TextPlace { what: &what, field: "summary", card: None }, e_at);
    }
}

fn check_texts(check: &Check, loc: &Locator<'_>, at: Anchor, f: &mut PlacedTextVisitor<'_>) {
    let Check { id, title, pass_mark: _, questions } = check;
    f(title, &TextPlace { what: &|| format!("title of step \"{id}\""), field: "title", card: None }, at);
    let mut q_after = at;
    for Question { id: question, kind: _, prompt, answers } in questions {
        let q_at = loc.id(q_after, question);
        q_after = q_at;
        let what = || format!("prompt of question \"{question}\"");
        f(prompt, &TextPlace { what: &what, field: "prompt", card: None }, q_at);
        for Answer { id: answer, text, correct: _, explain } in answers {
            let of = || format!("answer \"{answer}\" of question \"{question}\"");
            let what = || format!("text of {}", of());
            f(text, &TextPlace { what: &what, field: "text", card: None }, q_at);
            let what = || format!("explanation of {}", of());
            f(explain, &TextPlace { what: &what, field: "explain", card: None }, q_at);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::{LoadedModule, parse_module};

    const MINIMAL: &str = include_str!("../../tests/fixtures/good/minimal/module.ron");

    /// The good example, with an image on its first scenario node whose caption has no Spanish.
    fn with_node_image() -> LoadedModule {
        let source = MINIMAL.replacen(
            r#"id: "arrive","#,
            r#"id: "arrive", image: Image(path: "images/figure.png", alt: {"en": "A figure.", "es": "Una figura."}, caption: {"en": "Only in English."}),"#,
            1,
        );
        let module = parse_module(Path::new("module.ron"), &source).unwrap();
        LoadedModule { dir: "tests/fixtures/good/minimal".into(), file: "module.ron".into(), source, module }
    }

    /// The walk used to skip a scenario node's image caption, so a caption could miss a language
    /// or hold a wrong number unchecked.
    #[test]
    fn the_walk_visits_a_node_image_caption_and_the_validator_checks_it() {
        let loaded = with_node_image();
        let mut fields = Vec::new();
        visit_texts(&loaded.module, &loaded.locator(), &mut |_, place, _| {
            fields.push((place.field, (place.what)()));
        });
        assert!(
            fields.contains(&("caption", "caption of image \"images/figure.png\"".to_owned())),
            "{fields:?}"
        );

        let regions = crate::bundled::regions().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let ctx = super::super::Context {
            today,
            regions: Some(&regions),
            terms: None,
            decode_images: false,
            pack: None,
        };
        let messages: Vec<String> =
            super::super::validate(&loaded, &ctx).into_iter().map(|d| d.message).collect();
        assert!(
            messages.iter().any(
                |m| m == "caption of image \"images/figure.png\" is missing its Spanish (es) translation"
            ),
            "{messages:?}"
        );
    }

    /// Every text of the region data is visited, with its card.
    #[test]
    fn the_region_walk_visits_every_card_text_with_its_card() {
        let regions = crate::bundled::regions().unwrap();
        let mut cards = 0;
        let mut texts = 0;
        for_each_region_text(&regions, &mut |_, place| {
            texts += 1;
            cards += usize::from(place.field == "name" && place.card.is_some());
        });
        let all: usize = regions.regions.iter().map(|r| r.contacts.len()).sum();
        assert_eq!(cards, all);
        assert!(texts > 3 * all, "{texts} texts");
    }
}
