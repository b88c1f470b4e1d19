//! The review copy's sections: one per step (a page, a scenario, a knowledge check).

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::{Doc, Kind, labels, step_anchor};
use crate::format::{Block, CalloutKind, Check, Choice, Condition, Node, Outcome, Page, Scenario, Step};
use crate::map::{ScenarioMap, svg};
use crate::markup::escape;

impl Doc<'_> {
    /// One step, on a new printed page.
    pub(super) fn step(&mut self, index: usize, step: &Step) {
        let (kind, class) = labels::step_kind(step);
        let _ = write!(
            self.out,
            "<section class=\"step {class}\" id=\"{}\">\n<h2><span class=\"kind\">{} {} · {kind}</span> ",
            escape(&step_anchor(step.id())),
            labels::STEP,
            index + 1
        );
        self.texts_inline(step.title());
        let _ = writeln!(self.out, " <span class=\"id\">{}</span></h2>", escape(step.id()));
        self.stamp();
        self.headings();
        match step {
            Step::Page(page) => self.page(page),
            Step::Scenario(scenario) => self.scenario(scenario),
            Step::Check(check) => self.check(check),
        }
        self.out.push_str("</section>\n");
    }

    fn page(&mut self, page: &Page) {
        for block in &page.blocks {
            match block {
                Block::Text(text) => self.pair(text, Kind::Markdown),
                Block::Image(image) => self.image(image),
                Block::Callout(callout) => {
                    let (title, class) = match callout.kind {
                        CalloutKind::Tip => (labels::TIP, "tip"),
                        CalloutKind::Warning => (labels::WARNING, "warning"),
                        CalloutKind::ContentNote => (labels::CONTENT_NOTE, "content-note"),
                    };
                    let _ = write!(self.out, "<div class=\"box {class}\"><p class=\"box-title\">{title}</p>");
                    self.pair(&callout.text, Kind::Markdown);
                    self.out.push_str("</div>\n");
                }
                Block::Contact(card) => {
                    let _ = write!(
                        self.out,
                        "<div class=\"box contact\"><p class=\"box-title\">{} <span class=\"id\">{}</span></p>",
                        labels::CONTACT,
                        escape(&card.id)
                    );
                    self.pair(&card.name, Kind::Plain);
                    self.out.push_str("<table class=\"facts\">");
                    for (label, value) in [
                        (labels::REGION, Some(&card.region)),
                        (labels::PHONE, card.phone.as_ref()),
                        (labels::SMS, card.sms.as_ref()),
                        (labels::ADDRESS, card.url.as_ref()),
                    ] {
                        if let Some(value) = value {
                            let _ = write!(self.out, "<tr><th>{label}</th><td>{}</td></tr>", escape(value));
                        }
                    }
                    self.out.push_str("</table>\n");
                    if let Some(hours) = &card.hours {
                        self.labelled(labels::HOURS, hours, Kind::Plain);
                    }
                    if let Some(languages) = &card.languages {
                        self.labelled(labels::CONTACT_LANGUAGES, languages, Kind::Plain);
                    }
                    self.labelled(labels::WHEN_TO_USE, &card.when, Kind::Markdown);
                    self.out.push_str("</div>\n");
                }
                Block::Indicators(list) => {
                    self.out.push_str("<div class=\"box indicators\">");
                    self.labelled(labels::INDICATORS, &list.title, Kind::Plain);
                    self.out.push_str("<ul class=\"indicators\">");
                    for item in &list.items {
                        self.out.push_str("<li>");
                        self.pair(item, Kind::Plain);
                        self.out.push_str("</li>");
                    }
                    let _ =
                        writeln!(self.out, "</ul><p class=\"note\">{}</p></div>", labels::INDICATORS_NOTE);
                }
                Block::Sources(ids) => self.cited(ids),
            }
        }
    }

    /// A page's citations, written out from the module's sources.
    fn cited(&mut self, ids: &[String]) {
        let _ = write!(self.out, "<p class=\"label\">{}</p><ul class=\"sources\">", labels::SOURCES);
        let sources = &self.module().sources;
        for id in ids {
            match sources.iter().find(|s| &s.id == id) {
                Some(source) => {
                    let _ = write!(
                        self.out,
                        "<li>{} <span class=\"address\">({})</span></li>",
                        escape(&source.title),
                        escape(&source.url)
                    );
                }
                None => {
                    let _ = write!(
                        self.out,
                        "<li class=\"missing\">{}: {}</li>",
                        labels::UNKNOWN_SOURCE,
                        escape(id)
                    );
                }
            }
        }
        self.out.push_str("</ul>\n");
    }

    fn scenario(&mut self, scenario: &Scenario) {
        if let Some(note) = &scenario.content_note {
            self.content_note(note, labels::SCENARIO_NOTE_WHEN);
        }
        self.out.push_str("<table class=\"facts\">");
        let _ = write!(self.out, "<tr><th>{}</th><td>{}</td></tr>", labels::START, escape(&scenario.start));
        if let Some(score) = scenario.pass_score {
            let _ = write!(self.out, "<tr><th>{}</th><td>{score}</td></tr>", labels::PASS_SCORE);
        }
        if !scenario.requires.is_empty() {
            let _ = write!(
                self.out,
                "<tr><th>{}</th><td>{}</td></tr>",
                labels::REQUIRES,
                escape(&scenario.requires.join(", "))
            );
        }
        self.out.push_str("</table>\n");
        self.maps(scenario);
        let endings: HashMap<&str, Outcome> =
            scenario.endings.iter().map(|e| (e.id.as_str(), e.outcome)).collect();
        let nodes: HashSet<&str> = scenario.nodes.iter().map(|n| n.id.as_str()).collect();
        let targets = Targets { scenario: &scenario.id, endings: &endings, nodes: &nodes };
        let _ = writeln!(self.out, "<h3 class=\"part\">{}</h3>", labels::NODES);
        // The start first, then the others as the author wrote them.
        let start = scenario.nodes.iter().filter(|n| n.id == scenario.start);
        let rest = scenario.nodes.iter().filter(|n| n.id != scenario.start);
        for node in start.chain(rest) {
            self.node(node, node.id == scenario.start, &targets);
        }
        let _ = writeln!(self.out, "<h3 class=\"part\">{}</h3>", labels::ENDINGS);
        for ending in &scenario.endings {
            let _ = write!(
                self.out,
                "<article class=\"ending {}\" id=\"{}\"><h4>{} <span class=\"id\">{}</span> · {}",
                outcome_class(ending.outcome),
                escape(&targets.anchor(&ending.id)),
                labels::ENDING,
                escape(&ending.id),
                labels::outcome(ending.outcome)
            );
            if !ending.claims.is_empty() {
                let _ = write!(self.out, " · {} {}", labels::CLAIMS, escape(&ending.claims.join(", ")));
            }
            self.out.push_str("</h4>");
            self.pair(&ending.summary, Kind::Markdown);
            self.out.push_str("</article>\n");
        }
    }

    /// The scenario's map, once per side-by-side language, drawn by [`crate::map::svg`].
    fn maps(&mut self, scenario: &Scenario) {
        for lang in self.columns.side_by_side.clone() {
            let drawn = svg::to_svg(&ScenarioMap::new(scenario, &lang));
            let prefix = format!("map-{}-{}-", scenario.id, lang);
            let _ = writeln!(
                self.out,
                "<figure class=\"map\" lang=\"{}\"><figcaption>{} ({})</figcaption>{}</figure>",
                escape(&lang),
                labels::MAP,
                escape(&super::language_name(&lang)),
                inline_svg(&drawn, &escape(&prefix))
            );
        }
    }

    fn node(&mut self, node: &Node, start: bool, targets: &Targets<'_>) {
        let _ = write!(
            self.out,
            "<article class=\"node\" id=\"{}\"><h4>{} <span class=\"id\">{}</span>{}</h4>",
            escape(&targets.anchor(&node.id)),
            labels::NODE,
            escape(&node.id),
            if start { labels::START_MARK } else { "" }
        );
        self.pair(&node.text, Kind::Markdown);
        if let Some(image) = &node.image {
            self.image(image);
        }
        self.out.push_str("<ol class=\"choices\">");
        for choice in &node.choices {
            self.choice(choice, targets);
        }
        self.out.push_str("</ol></article>\n");
    }

    fn choice(&mut self, choice: &Choice, targets: &Targets<'_>) {
        let critical = if choice.critical.is_some() { " critical" } else { "" };
        let _ = write!(
            self.out,
            "<li class=\"choice{critical}\"><p class=\"choice-head\">{} <span class=\"id\">{}</span>",
            labels::CHOICE,
            escape(&choice.id)
        );
        if let Some(goto) = &choice.goto {
            let _ = write!(
                self.out,
                " · {} <a href=\"#{}\">{}</a>",
                labels::LEADS_TO,
                escape(&targets.anchor(goto)),
                targets.describe(goto)
            );
        }
        if choice.critical.is_some() {
            let _ = write!(self.out, " · <strong class=\"unsafe\">{}</strong>", labels::UNSAFE_MARK);
        }
        let _ = write!(self.out, " · {} {:+}", labels::SCORE, choice.score);
        if !choice.sets.is_empty() {
            let _ = write!(self.out, " · {} {}", labels::SETS, escape(&choice.sets.join(", ")));
        }
        if let Some(when) = &choice.when {
            let _ = write!(self.out, " · {} {}", labels::WHEN, escape(&condition(when)));
        }
        if let Some(act) = &choice.act {
            let _ = write!(self.out, " · {} {}", labels::ACT, escape(act));
        }
        self.out.push_str("</p>");
        self.pair(&choice.text, Kind::Plain);
        if let Some(feedback) = &choice.feedback {
            self.labelled(labels::FEEDBACK, feedback, Kind::Markdown);
        }
        if let Some(critical) = &choice.critical {
            let _ =
                write!(self.out, "<div class=\"box unsafe\"><p class=\"box-title\">{}</p>", labels::UNSAFE);
            self.labelled(labels::WHY_UNSAFE, &critical.why, Kind::Markdown);
            self.labelled(labels::INSTEAD, &critical.instead, Kind::Markdown);
            self.out.push_str("</div>");
        }
        self.out.push_str("</li>\n");
    }

    fn check(&mut self, check: &Check) {
        let _ = writeln!(
            self.out,
            "<p class=\"facts\">{} {} / {}</p>",
            labels::PASS_MARK,
            check.pass_mark,
            check.questions.len()
        );
        for (number, question) in check.questions.iter().enumerate() {
            let _ = write!(
                self.out,
                "<article class=\"question\"><h4>{} {} <span class=\"id\">{}</span> · {}</h4>",
                labels::QUESTION,
                number + 1,
                escape(&question.id),
                labels::question_kind(question.kind)
            );
            self.pair(&question.prompt, Kind::Markdown);
            self.out.push_str("<ol class=\"answers\">");
            for answer in &question.answers {
                let (class, mark) =
                    if answer.correct { ("correct", labels::CORRECT) } else { ("wrong", labels::INCORRECT) };
                let _ = write!(
                    self.out,
                    "<li class=\"answer {class}\"><p class=\"answer-head\"><strong>{mark}</strong> <span class=\"id\">{}</span></p>",
                    escape(&answer.id)
                );
                self.pair(&answer.text, Kind::Plain);
                self.labelled(labels::EXPLANATION, &answer.explain, Kind::Markdown);
                self.out.push_str("</li>\n");
            }
            self.out.push_str("</ol></article>\n");
        }
    }
}

/// Where choices lead in one scenario: its node and ending ids, indexed once.
struct Targets<'a> {
    scenario: &'a str,
    endings: &'a HashMap<&'a str, Outcome>,
    nodes: &'a HashSet<&'a str>,
}

impl Targets<'_> {
    /// The anchor of a node or ending of this scenario.
    fn anchor(&self, id: &str) -> String {
        format!("{}--{id}", self.scenario)
    }

    /// "node `x`" or "ending `y` (Pass)", escaped.
    fn describe(&self, id: &str) -> String {
        let id_html = format!("<span class=\"id\">{}</span>", escape(id));
        if let Some(outcome) = self.endings.get(id) {
            format!("{} {id_html} ({})", labels::ENDING_LOWER, labels::outcome(*outcome))
        } else if self.nodes.contains(id) {
            format!("{} {id_html}", labels::NODE_LOWER)
        } else {
            format!("{id_html} ({})", labels::MISSING_TARGET)
        }
    }
}

fn outcome_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Neutral => "neutral",
    }
}

/// A choice's condition in words (nesting is capped by the validator,
/// [`crate::format::limits::MAX_CONDITION_DEPTH`]).
fn condition(when: &Condition) -> String {
    let list = |conditions: &[Condition], joiner: &str| {
        let parts: Vec<String> = conditions.iter().map(condition).collect();
        format!("({})", parts.join(joiner))
    };
    match when {
        Condition::ScoreAtLeast(n) => format!("score ≥ {n}"),
        Condition::ScoreBelow(n) => format!("score < {n}"),
        Condition::Flag(flag) => format!("flag {flag}"),
        Condition::NotFlag(flag) => format!("not flag {flag}"),
        Condition::Visited(node) => format!("visited {node}"),
        Condition::All(all) => list(all, " and "),
        Condition::Any(any) => list(any, " or "),
    }
}

/// A map drawn as a standalone SVG document, ready to sit inside the HTML: without its XML
/// declaration, and with its ids (and the references to them) prefixed so that two maps in one
/// document keep their own. The map escapes every text it writes, so `id="` and `"url(#` only
/// occur in its markup.
fn inline_svg(document: &str, prefix: &str) -> String {
    let body = document.find("<svg").and_then(|at| document.get(at..)).unwrap_or(document);
    body.replace(" id=\"", &format!(" id=\"{prefix}")).replace("\"url(#", &format!("\"url(#{prefix}"))
}
