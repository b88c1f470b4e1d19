//! Translation checks: every learner-visible text has every module language, and alt text is present.

use std::collections::HashSet;

use super::Found;
use crate::format::{Block, Module, Step, Text};
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
    let top = Anchor(0);
    f(&module.title, &|| "module title".to_owned(), top);
    f(&module.summary, &|| "module summary".to_owned(), top);
    if let Some(note) = &module.content_note {
        f(note, &|| "module content note".to_owned(), top);
    }
    let mut after = loc.field(top, "steps").unwrap_or(top);
    for step in &module.steps {
        let at = loc.id(after, step.id());
        after = at;
        let sid = step.id();
        f(step.title(), &|| format!("title of step \"{sid}\""), at);
        match step {
            Step::Page(page) => {
                for (i, block) in page.blocks.iter().enumerate() {
                    let what = || format!("block {} of page \"{sid}\"", i + 1);
                    match block {
                        Block::Text(t) => f(t, &what, at),
                        Block::Image(img) => {
                            let here = loc.field_value(at, "path", &img.path).unwrap_or(at);
                            f(&img.alt, &|| format!("alt text of image \"{}\"", img.path), here);
                            if let Some(c) = &img.caption {
                                f(c, &|| format!("caption of image \"{}\"", img.path), here);
                            }
                        }
                        Block::Callout(c) => f(&c.text, &what, at),
                        Block::Contact(card) => {
                            let here = loc.id(at, &card.id);
                            let what = || format!("contact \"{}\"", card.id);
                            f(&card.name, &|| format!("name of {}", what()), here);
                            f(&card.when, &|| format!("\"when\" of {}", what()), here);
                            for t in [&card.hours, &card.languages].into_iter().flatten() {
                                f(t, &|| format!("details of {}", what()), here);
                            }
                        }
                        Block::Indicators(list) => {
                            f(&list.title, &what, at);
                            for item in &list.items {
                                f(item, &|| format!("indicator in {}", what()), at);
                            }
                        }
                        Block::Sources(_) => {}
                    }
                }
            }
            Step::Scenario(s) => {
                if let Some(note) = &s.content_note {
                    f(note, &|| format!("content note of scenario \"{sid}\""), at);
                }
                let mut node_after = at;
                for node in &s.nodes {
                    let n_at = loc.id(node_after, &node.id);
                    node_after = n_at;
                    f(&node.text, &|| format!("text of node \"{}\"", node.id), n_at);
                    if let Some(img) = &node.image {
                        f(&img.alt, &|| format!("alt text of image \"{}\"", img.path), n_at);
                    }
                    let mut c_after = n_at;
                    for choice in &node.choices {
                        let c_at = loc.id(c_after, &choice.id);
                        c_after = c_at;
                        let what = || format!("choice \"{}\" of node \"{}\"", choice.id, node.id);
                        f(&choice.text, &|| format!("text of {}", what()), c_at);
                        if let Some(fb) = &choice.feedback {
                            f(fb, &|| format!("feedback of {}", what()), c_at);
                        }
                        if let Some(c) = &choice.critical {
                            f(&c.why, &|| format!("\"why\" of critical {}", what()), c_at);
                            f(&c.instead, &|| format!("\"instead\" of critical {}", what()), c_at);
                        }
                    }
                }
                let mut e_after = at;
                for ending in &s.endings {
                    let e_at = loc.id(e_after, &ending.id);
                    e_after = e_at;
                    f(&ending.summary, &|| format!("summary of ending \"{}\"", ending.id), e_at);
                }
            }
            Step::Check(c) => {
                let mut q_after = at;
                for q in &c.questions {
                    let q_at = loc.id(q_after, &q.id);
                    q_after = q_at;
                    f(&q.prompt, &|| format!("prompt of question \"{}\"", q.id), q_at);
                    for a in &q.answers {
                        let what = || format!("answer \"{}\" of question \"{}\"", a.id, q.id);
                        f(&a.text, &|| format!("text of {}", what()), q_at);
                        f(&a.explain, &|| format!("explanation of {}", what()), q_at);
                    }
                }
            }
        }
    }
}
