//! Every translatable text of a module, named by a path of ids (its PO `msgctxt`), with what it
//! is (for the translator) and where it is written in the file.

use std::collections::{HashMap, VecDeque};

use crate::format::{
    Answer, Block, Callout, CalloutKind, Check, Choice, ContactCard, Critical, Ending, Image, IndicatorList,
    Module, Node, Page, PassRule, Question, Scenario, Source, Step, Text,
};
use crate::load::MapLiteral;

/// One text to translate.
#[derive(Clone, Debug)]
pub struct Translatable<'m> {
    /// Its id path: `module:<id>/scenario:<id>/node:<id>/choice:<id>/feedback`. Stable while the
    /// ids are: blocks of a page, which have no ids, are numbered (`block:3`).
    pub context: String,
    /// What the text is, for the translator: "Choice (what the learner can do)".
    pub kind: String,
    pub text: &'m Text,
}

/// The texts of `module` in the order a learner meets them (the module's own texts first).
///
/// Every format struct is taken apart field by field, never with `..`, so a text added to the
/// format does not compile until it is handed out here too.
pub fn translatable_texts(module: &Module) -> Vec<Translatable<'_>> {
    let Module {
        id,
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
    let mut out = Walk { texts: Vec::new(), seen: HashMap::new() };
    let top = format!("module:{id}");
    out.push(&top, "title", "Module title (library card, certificate)", title);
    out.push(&top, "summary", "Module summary (library card)", summary);
    if let Some(note) = content_note {
        out.push(&top, "content_note", "Content note, shown before the module starts", note);
    }
    for step in steps {
        match step {
            Step::Page(page) => page_texts(&mut out, &top, page),
            Step::Scenario(scenario) => scenario_texts(&mut out, &top, scenario),
            Step::Check(check) => check_texts(&mut out, &top, check),
        }
    }
    out.texts
}

struct Walk<'m> {
    texts: Vec<Translatable<'m>>,
    /// How often each path was handed out: a repeated id (an error the validator reports) gets
    /// `#2`, `#3` so every path stays unique.
    seen: HashMap<String, usize>,
}

impl<'m> Walk<'m> {
    fn push(&mut self, parent: &str, field: &str, kind: impl Into<String>, text: &'m Text) {
        let mut context = format!("{parent}/{field}");
        let count = self.seen.entry(context.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            context = format!("{context}#{count}");
        }
        self.texts.push(Translatable { context, kind: kind.into(), text });
    }

    fn image(&mut self, parent: &str, image: &'m Image) {
        let Image { path, alt, caption } = image;
        let here = format!("{parent}/image");
        self.push(
            &here,
            "alt",
            format!("Alt text of image {path}: describes it for people who cannot see it"),
            alt,
        );
        if let Some(caption) = caption {
            self.push(&here, "caption", format!("Caption of image {path}"), caption);
        }
    }
}

fn page_texts<'m>(out: &mut Walk<'m>, top: &str, page: &'m Page) {
    let Page { id, title, blocks } = page;
    let here = format!("{top}/page:{id}");
    out.push(&here, "title", format!("Title of page \"{id}\""), title);
    for (i, block) in blocks.iter().enumerate() {
        let n = i + 1;
        let block_path = format!("{here}/block:{n}");
        match block {
            Block::Text(text) => {
                out.push(&block_path, "text", format!("Text of page \"{id}\" (Markdown), block {n}"), text)
            }
            Block::Image(image) => out.image(&block_path, image),
            Block::Callout(Callout { kind, text }) => {
                let kind = match kind {
                    CalloutKind::Tip => "Tip",
                    CalloutKind::Warning => "Warning",
                    CalloutKind::ContentNote => "Content note",
                };
                out.push(
                    &block_path,
                    "text",
                    format!("{kind} box on page \"{id}\" (Markdown), block {n}"),
                    text,
                );
            }
            Block::Contact(card) => {
                let ContactCard {
                    id: card_id,
                    name,
                    region: _,
                    phone: _,
                    sms: _,
                    url: _,
                    hours,
                    languages,
                    when,
                } = card;
                let card_path = format!("{block_path}/contact:{card_id}");
                let of =
                    format!("contact card \"{card_id}\" (keep numbers and addresses exactly as they are)");
                out.push(&card_path, "name", format!("Name of {of}"), name);
                out.push(&card_path, "when", format!("When to use {of}"), when);
                if let Some(hours) = hours {
                    out.push(&card_path, "hours", format!("Hours of {of}"), hours);
                }
                if let Some(languages) = languages {
                    out.push(&card_path, "languages", format!("Languages spoken at {of}"), languages);
                }
            }
            Block::Indicators(IndicatorList { title, items }) => {
                out.push(
                    &block_path,
                    "title",
                    format!("Title of a list of indicators on page \"{id}\""),
                    title,
                );
                for (k, item) in items.iter().enumerate() {
                    let kind = format!("Indicator {} of the list in block {n} of page \"{id}\"", k + 1);
                    out.push(&block_path, &format!("item:{}", k + 1), kind, item);
                }
            }
            Block::Sources(_) => {}
        }
    }
}

fn scenario_texts<'m>(out: &mut Walk<'m>, top: &str, scenario: &'m Scenario) {
    // `requires` names acts of the safety policy: ids, not text.
    let Scenario { id, title, content_note, start: _, nodes, endings, pass_score: _, requires: _ } = scenario;
    let here = format!("{top}/scenario:{id}");
    out.push(&here, "title", format!("Title of scenario \"{id}\""), title);
    if let Some(note) = content_note {
        out.push(&here, "content_note", format!("Content note shown before scenario \"{id}\""), note);
    }
    for Node { id: node, text, image, choices } in nodes {
        let node_path = format!("{here}/node:{node}");
        out.push(&node_path, "text", format!("What happens at node \"{node}\" of scenario \"{id}\""), text);
        if let Some(image) = image {
            out.image(&node_path, image);
        }
        for Choice { id: choice, text, goto: _, feedback, score: _, sets: _, when: _, critical, act: _ } in
            choices
        {
            let choice_path = format!("{node_path}/choice:{choice}");
            let of = format!("choice \"{choice}\" at node \"{node}\"");
            out.push(&choice_path, "text", format!("Choice the learner can make: {of}"), text);
            if let Some(feedback) = feedback {
                out.push(&choice_path, "feedback", format!("Feedback after {of}"), feedback);
            }
            if let Some(Critical { why, instead }) = critical {
                out.push(&choice_path, "why", format!("Why {of} is unsafe"), why);
                out.push(&choice_path, "instead", format!("What to do instead of unsafe {of}"), instead);
            }
        }
    }
    for Ending { id: ending, outcome, summary, claims: _ } in endings {
        let kind = format!("Summary of ending \"{ending}\" ({outcome:?}) of scenario \"{id}\"");
        out.push(&format!("{here}/ending:{ending}"), "summary", kind, summary);
    }
}

fn check_texts<'m>(out: &mut Walk<'m>, top: &str, check: &'m Check) {
    let Check { id, title, pass_mark: _, questions } = check;
    let here = format!("{top}/check:{id}");
    out.push(&here, "title", format!("Title of knowledge check \"{id}\""), title);
    for Question { id: question, kind: _, prompt, answers } in questions {
        let question_path = format!("{here}/question:{question}");
        out.push(&question_path, "prompt", format!("Question \"{question}\" of check \"{id}\""), prompt);
        for Answer { id: answer, text, correct, explain } in answers {
            let answer_path = format!("{question_path}/answer:{answer}");
            let right = if *correct { "correct" } else { "wrong" };
            out.push(
                &answer_path,
                "text",
                format!("Answer \"{answer}\" ({right}) to question \"{question}\""),
                text,
            );
            let kind = format!("Why answer \"{answer}\" to question \"{question}\" is {right}");
            out.push(&answer_path, "explain", kind, explain);
        }
    }
}

/// For each text (in the order of `texts`), the index of the map literal in `maps` that holds it,
/// matched by content: serde reads maps in file order, but fields may be written in any order, so
/// each text takes the first unclaimed map with exactly its languages and strings. Two texts with
/// identical content may swap places; the caller checks the result by parsing it again. `None`
/// when a text has no matching map (a map written in a way the scanner does not take apart).
pub fn place_texts(texts: &[Translatable<'_>], maps: &[MapLiteral]) -> Option<Vec<usize>> {
    let mut by_content: HashMap<Vec<(&str, &str)>, VecDeque<usize>> = HashMap::new();
    for (i, map) in maps.iter().enumerate().filter(|(_, m)| m.regular) {
        // A key written twice keeps its last value, as when the map is parsed.
        let content: std::collections::BTreeMap<&str, &str> =
            map.entries.iter().map(|e| (e.key.as_str(), e.value.as_str())).collect();
        by_content.entry(content.into_iter().collect()).or_default().push_back(i);
    }
    texts
        .iter()
        .map(|t| {
            let content: Vec<(&str, &str)> = t.text.0.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            by_content.get_mut(&content)?.pop_front()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{map_literals, parse_module};

    const MINIMAL: &str = include_str!("../../tests/fixtures/good/minimal/module.ron");

    #[test]
    fn paths_are_made_of_ids_and_unique() {
        let module = parse_module(std::path::Path::new("module.ron"), MINIMAL).unwrap();
        let texts = translatable_texts(&module);
        let contexts: Vec<&str> = texts.iter().map(|t| t.context.as_str()).collect();
        let unique: std::collections::HashSet<&&str> = contexts.iter().collect();
        assert_eq!(unique.len(), contexts.len(), "{contexts:?}");
        assert!(contexts.iter().all(|c| c.starts_with(&format!("module:{}/", module.id))));
        assert!(contexts.iter().any(|c| c.contains("/node:arrive/text")), "{contexts:?}");
        assert!(contexts.iter().any(|c| c.contains("/choice:") && c.ends_with("/feedback")), "{contexts:?}");
    }

    #[test]
    fn every_text_of_every_bundled_module_finds_its_place_in_the_file() {
        for dir in crate::load::module_dirs(std::path::Path::new("modules")).unwrap() {
            let loaded = crate::load::load_module_dir(&dir).unwrap();
            let texts = translatable_texts(&loaded.module);
            let maps = map_literals(&loaded.source);
            let places = place_texts(&texts, &maps).unwrap_or_else(|| panic!("{}", dir.display()));
            assert_eq!(places.len(), texts.len());
            // Every map is a text, and each is claimed once.
            let mut claimed = places.clone();
            claimed.sort_unstable();
            claimed.dedup();
            assert_eq!(claimed.len(), maps.len(), "{}", dir.display());
        }
    }
}
