//! Checks on a parsed module: ids, scenario graphs, checks, media, translations, contacts, and the
//! numbers, addresses and terms written in its prose.

mod budget;
mod contacts_agree;
mod endings;
mod graph;
mod markdown;
mod media;
mod mentions;
pub mod policy;
mod prose;
mod runs;
mod scaffold_leftovers;
mod term_index;
mod texts;

pub use budget::{MODULE_SEARCH_BUDGET, PACK_SEARCH_BUDGET, PackBudget, SearchBudget};
pub use graph::{BestPassPath, ScenarioGraph, Target};
pub use markdown::{nesting as markdown_nesting, options as markdown_options};
pub use media::{
    CheckedImage, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, decode_image, image_decodes_on_this_thread,
    image_dimensions, read_checked_image,
};
pub use policy::{PolicyCheck, PolicyPage};
pub use texts::{
    PlacedTextVisitor, TextPlace, TextVisitor, for_each_region_text, for_each_text, visit_texts,
};

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Position, Severity};
use crate::format::limits;
use crate::format::{Block, Check, Condition, Module, Page, QuestionKind, Regions, Scenario, Step, Terms};
use crate::load::Anchor;
use crate::load::{self, LoadedModule, Locator};

/// What validation compares against: today's date and the region contact data.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub today: NaiveDate,
    /// When present, contact cards must match these exactly.
    pub regions: Option<&'a Regions>,
    /// Discouraged terms and the other contacts prose may give (`terms.ron`); none: no term
    /// checks, and only the region data's numbers are known.
    pub terms: Option<&'a Terms>,
    /// Decode every image fully (authors, packs); the app checks headers only and decodes
    /// lazily when an image is shown, so start-up stays fast.
    pub decode_images: bool,
    /// `Some` when the module is a publisher's, in a pack being built, verified or installed: its
    /// searches also draw from the pack's budget, and a scenario too complex to check fully is an
    /// error (a publisher's module must be checkable); `None` for an author's own folder, where
    /// it is a warning.
    pub pack: Option<&'a PackBudget>,
}

impl<'a> Context<'a> {
    /// How the app checks the modules it shows (bundled, a folder, an installed pack): with the
    /// region data and the bundled terms, images checked by their headers only, no pack budget.
    pub fn for_library(today: NaiveDate, regions: &'a Regions) -> Self {
        Context {
            today,
            regions: Some(regions),
            terms: crate::bundled::terms().ok(),
            decode_images: false,
            pack: None,
        }
    }

    /// How an author's own folder is checked (`faro validate`, the preview, the review copy):
    /// with the region data and `terms`, every image decoded fully, no pack budget.
    pub fn for_author(today: NaiveDate, regions: &'a Regions, terms: Option<&'a Terms>) -> Self {
        Context { today, regions: Some(regions), terms, decode_images: true, pack: None }
    }
}

/// The result of checking one module folder.
#[derive(Debug)]
pub struct Report {
    /// The module, if it parsed (it may still have validation errors).
    pub module: Option<LoadedModule>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads and validates the module in `dir`, against the bundled safety policy.
pub fn check_dir(dir: &Path, ctx: &Context<'_>) -> Report {
    match load::load_module_dir(dir) {
        Ok(loaded) => {
            let diagnostics = validate(&loaded, ctx);
            Report { module: Some(loaded), diagnostics }
        }
        Err(d) => Report { module: None, diagnostics: vec![d] },
    }
}

/// Loads and validates the module in `dir`, against the safety policy `policy` says.
pub fn check_dir_with_policy(dir: &Path, ctx: &Context<'_>, policy: &PolicyCheck<'_>) -> Report {
    match load::load_module_dir(dir) {
        Ok(loaded) => {
            let diagnostics = validate_with_policy(&loaded, ctx, policy);
            Report { module: Some(loaded), diagnostics }
        }
        Err(d) => Report { module: None, diagnostics: vec![d] },
    }
}

/// Texts whose findings are placed at the text itself; later ones keep their element's place.
const MAX_TEXTS_PLACED: usize = 4 * 1024;

/// Findings reported for one file; the rest are counted in one last line. A module built to fail
/// everywhere (thousands of broken `goto`s) must not flood the terminal, the app or a pack report,
/// and the first findings are the ones to fix first anyway.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 100;

/// All findings about a parsed module, errors and warnings, in file order: at most
/// [`MAX_DIAGNOSTICS_PER_FILE`], then one line saying how many more there are.
///
/// Every check is linear (or n log n) in the size of the file: ids are located through one index
/// of the source, scenario graphs are walked with maps and worklists, and "did you mean"
/// suggestions are bounded. A module built to be slow to validate is not.
///
/// The safety policy is the bundled one (`assets/safety-policy.ron`), and a module that uses no
/// `act` gets no policy warnings (see [`PolicyCheck::review_untagged`]).
pub fn validate(loaded: &LoadedModule, ctx: &Context<'_>) -> Vec<Diagnostic> {
    match crate::bundled::policy() {
        Ok(policy) => {
            validate_with_policy(loaded, ctx, &PolicyCheck { policy: Some(policy), review_untagged: false })
        }
        Err(broken) => {
            // Never shipped (a test parses it), but if it were, the rest is still checked.
            let check = PolicyCheck { policy: None, review_untagged: false };
            let mut out = vec![broken];
            out.extend(validate_with_policy(loaded, ctx, &check));
            out
        }
    }
}

/// [`validate`], against the safety policy `policy` says.
pub fn validate_with_policy(
    loaded: &LoadedModule,
    ctx: &Context<'_>,
    policy: &PolicyCheck<'_>,
) -> Vec<Diagnostic> {
    let loc = loaded.locator();
    let budget = SearchBudget::for_module(ctx.pack);
    let mut v = Validator {
        loaded,
        loc: &loc,
        ctx,
        found: Vec::new(),
        hidden: Hidden::default(),
        images: Default::default(),
        budget: &budget,
    };
    v.module(&loaded.module);
    let (mut found, mut hidden) = (v.found, v.hidden);
    hidden.compact(&mut found);
    policy::check(&loaded.module, &loc, policy, &budget, ctx.pack.is_some(), &mut found);
    endings::check(&loaded.module, &loc, &mut found);
    hidden.compact(&mut found);
    // Every text checks in one walk: translations, invisible characters, then the prose.
    let module = &loaded.module;
    let invisible = texts::InvisibleCheck::new(module);
    let prose = prose::ProseCheck::new(module, ctx.regions, ctx.terms);
    let contacts_agree = contacts_agree::ContactsAgree::new(module, ctx.regions);
    let leftovers = scaffold_leftovers::ScaffoldLeftovers::new();
    let mut placed = 0;
    for_each_text(module, &loc, &mut |text, what, at| {
        let at = texts::anchor(&loc, at);
        let before = found.len();
        texts::check_languages(module, text, what, at, &mut found);
        invisible.check(text, what, at, &mut found);
        markdown::check(text, what, at, &mut found);
        prose.check(text, what, at, &mut found);
        contacts_agree.check(text, what, at, &mut found);
        leftovers.check(text, what, at, &mut found);
        // A finding about a text points at the text itself, not at the element that holds it (a
        // page's seventh block was once 88 lines below its page's id). Looked up only for texts
        // with findings, and for at most a few thousand of them: past that they are not shown.
        if found.len() > before && placed < MAX_TEXTS_PLACED {
            placed += 1;
            let written = text.0.values().filter_map(|value| loc.text(at, value)).min();
            if let Some(here) = written {
                found[before..].iter_mut().for_each(|f| f.at = here);
            }
        }
        hidden.compact_when_full(&mut found);
    });
    into_diagnostics(&loaded.file, &loc, found, hidden)
}

/// A finding before it has a line and column: positions are worked out only for the findings
/// that are shown.
pub(crate) struct Found {
    pub at: Anchor,
    pub severity: Severity,
    pub message: String,
}

impl Found {
    pub(crate) fn error(at: Anchor, message: impl Into<String>) -> Self {
        Self { at, severity: Severity::Error, message: message.into() }
    }

    pub(crate) fn warning(at: Anchor, message: impl Into<String>) -> Self {
        Self { at, severity: Severity::Warning, message: message.into() }
    }
}

/// The findings past the first [`MAX_DIAGNOSTICS_PER_FILE`] in file order: only counted, and
/// where the first of them is. A module can be built to give a finding for every text (280,000
/// in 4 MiB), and keeping their messages took more memory than the module itself (issue 26,
/// item 3b), so the list of findings is cut down whenever it grows past a few thousand.
#[derive(Default)]
struct Hidden {
    errors: usize,
    warnings: usize,
    first: Option<Anchor>,
}

impl Hidden {
    /// Findings kept before the list is cut down again: cutting sorts, so not after every one.
    const COMPACT_AT: usize = 4 * 1024;

    fn compact_when_full(&mut self, found: &mut Vec<Found>) {
        if found.len() >= Self::COMPACT_AT {
            self.compact(found);
        }
    }

    /// Keeps the first [`MAX_DIAGNOSTICS_PER_FILE`] findings in file order (the sort is stable,
    /// so of findings at one place the earlier stays, as in the final sort) and counts the rest.
    fn compact(&mut self, found: &mut Vec<Found>) {
        found.sort_by_key(|f| f.at);
        for f in found.drain(found.len().min(MAX_DIAGNOSTICS_PER_FILE)..) {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            self.first = Some(self.first.map_or(f.at, |first| first.min(f.at)));
        }
    }
}

/// Sorts findings into file order, keeps the first [`MAX_DIAGNOSTICS_PER_FILE`] and sums up the
/// rest in one diagnostic (an error if any of them is).
fn into_diagnostics(
    file: &Path,
    loc: &Locator<'_>,
    mut found: Vec<Found>,
    mut hidden: Hidden,
) -> Vec<Diagnostic> {
    hidden.compact(&mut found);
    let position =
        |at: Anchor| if at == Anchor(0) { Position { line: 1, column: 1 } } else { loc.position(at) };
    let mut out: Vec<Diagnostic> =
        found.into_iter().map(|f| Diagnostic::new(file, position(f.at), f.severity, f.message)).collect();
    if let Some(first) = hidden.first {
        let Hidden { errors, warnings, .. } = hidden;
        let severity = if errors > 0 { Severity::Error } else { Severity::Warning };
        let message = format!(
            "and {} more in this file ({errors} error{}, {warnings} warning{}) not shown: fix the ones above and validate again",
            errors + warnings,
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        );
        out.push(Diagnostic::new(file, position(first), severity, message));
    }
    out
}

/// Whether `id` is a valid module id: not empty, only a-z, 0-9 and `-`.
pub fn is_valid_module_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Collects findings while walking a module.
struct Validator<'a> {
    loaded: &'a LoadedModule,
    loc: &'a Locator<'a>,
    ctx: &'a Context<'a>,
    found: Vec<Found>,
    /// Findings past those shown, counted.
    hidden: Hidden,
    /// Each image file read, and each distinct image decoded, once per validation.
    images: media::ImageChecks,
    /// What every search of this module draws from.
    budget: &'a SearchBudget<'a>,
}

impl Validator<'_> {
    fn error(&mut self, at: Anchor, message: impl Into<String>) {
        self.found.push(Found::error(at, message));
        self.hidden.compact_when_full(&mut self.found);
    }

    fn warning(&mut self, at: Anchor, message: impl Into<String>) {
        self.found.push(Found::warning(at, message));
        self.hidden.compact_when_full(&mut self.found);
    }

    /// Reports `count` above `limit` as an error at `at`; `what` names the things counted.
    fn limit(&mut self, at: Anchor, count: usize, limit: usize, what: &str) {
        if count > limit {
            self.error(
                at,
                format!("{what}: {count}, more than the limit of {limit} (docs/module-format.md, \"Limits\"); split it up"),
            );
        }
    }

    fn field(&self, after: Anchor, name: &str) -> Anchor {
        self.loc.field(after, name).unwrap_or(after)
    }

    fn module(&mut self, m: &Module) {
        let top = Anchor(0);
        let id_at = self.loc.id(top, &m.id);
        if !is_valid_module_id(&m.id) {
            self.error(id_at, format!("module id \"{}\" must use only a-z, 0-9 and -", m.id));
        }
        self.limit(self.field(top, "languages"), m.languages.len(), limits::MAX_LANGUAGES, "languages");
        self.limit(self.field(top, "sources"), m.sources.len(), limits::MAX_SOURCES, "sources");
        self.limit(self.field(top, "steps"), m.steps.len(), limits::MAX_STEPS, "steps in the module");
        if m.languages.is_empty() {
            self.error(self.field(top, "languages"), "the module offers no languages");
        }
        let mut seen = HashSet::new();
        for lang in &m.languages {
            if !seen.insert(lang) {
                self.error(self.field(top, "languages"), format!("language \"{lang}\" is listed twice"));
            }
        }
        if m.review_by < self.ctx.today {
            self.warning(
                self.field(top, "review_by"),
                format!("review_by {} has passed: review the content and set a new date", m.review_by),
            );
        }
        if m.valid_for_months == 0 {
            self.error(self.field(top, "valid_for_months"), "valid_for_months must be at least 1");
        }
        if m.sources.is_empty() {
            self.warning(self.field(top, "sources"), "no sources: cite where the facts come from");
        }
        let mut source_ids = HashSet::new();
        for s in &m.sources {
            if !source_ids.insert(s.id.as_str()) {
                self.error(self.loc.id(top, &s.id), format!("duplicate source id \"{}\"", s.id));
            }
        }
        if m.steps.is_empty() {
            self.error(self.field(top, "steps"), "the module has no steps");
        }
        let mut step_ids = HashSet::new();
        let mut after = self.field(top, "steps");
        for step in &m.steps {
            let at = self.loc.id(after, step.id());
            after = at;
            if !step_ids.insert(step.id()) {
                self.error(at, format!("duplicate step id \"{}\"", step.id()));
            }
            match step {
                Step::Page(p) => self.page(p, at, &source_ids),
                Step::Scenario(s) => self.scenario(s, at),
                Step::Check(c) => self.check(c, at),
            }
        }
    }

    fn page(&mut self, page: &Page, at: Anchor, source_ids: &HashSet<&str>) {
        let blocks_at = self.field(at, "blocks");
        self.limit(blocks_at, page.blocks.len(), limits::MAX_BLOCKS_PER_PAGE, "blocks on this page");
        let mut after = at;
        for block in &page.blocks {
            match block {
                Block::Image(image) => {
                    let here = self.loc.field_value(after, "path", &image.path).unwrap_or(after);
                    after = here;
                    self.image(&image.path, here);
                }
                Block::Sources(ids) => {
                    for id in ids {
                        if !source_ids.contains(id.as_str()) {
                            let here = self.field(after, "Sources");
                            self.error(here, format!("cited source \"{id}\" is not in the module's sources"));
                        }
                    }
                }
                Block::Contact(card) => {
                    let here = self.loc.id(after, &card.id);
                    after = here;
                    self.contact(card, here);
                }
                Block::Indicators(list) => {
                    let here = self.field(after, "items");
                    self.limit(
                        here,
                        list.items.len(),
                        limits::MAX_INDICATORS,
                        "items in this indicator list",
                    );
                }
                Block::Text(_) | Block::Callout(_) => {}
            }
        }
    }

    fn image(&mut self, path: &str, at: Anchor) {
        if let Err(problem) = self.images.check(&self.loaded.dir, path, self.ctx.decode_images) {
            self.error(at, format!("image \"{path}\": {problem}"));
        }
    }

    fn contact(&mut self, card: &crate::format::ContactCard, at: Anchor) {
        let Some(regions) = self.ctx.regions else { return };
        let Some(known) = regions.contact(&card.id) else {
            self.error(at, format!("contact \"{}\" is not in the region data (assets/regions.ron)", card.id));
            return;
        };
        let fields = [
            ("region", Some(&card.region), Some(&known.region)),
            ("phone", card.phone.as_ref(), known.phone.as_ref()),
            ("sms", card.sms.as_ref(), known.sms.as_ref()),
            ("url", card.url.as_ref(), known.url.as_ref()),
        ];
        for (name, ours, theirs) in fields {
            if ours.is_some() && ours != theirs {
                self.error(
                    at,
                    format!(
                        "contact \"{}\" has {name} {:?}, but the region data says {:?}",
                        card.id,
                        ours.map_or("", |s| s.as_str()),
                        theirs.map_or("(none)", |s| s.as_str()),
                    ),
                );
            }
        }
    }

    fn scenario(&mut self, s: &Scenario, at: Anchor) {
        let nodes_at = self.field(at, "nodes");
        self.limit(nodes_at, s.nodes.len(), limits::MAX_NODES, &format!("nodes in scenario \"{}\"", s.id));
        let endings_at = self.field(at, "endings");
        self.limit(
            endings_at,
            s.endings.len(),
            limits::MAX_ENDINGS,
            &format!("endings of scenario \"{}\"", s.id),
        );
        // Lookups by id are hash lookups: a linear search per choice would make a long scenario
        // quadratic to check.
        let node_ids: HashSet<&str> = s.nodes.iter().map(|n| n.id.as_str()).collect();
        let ending_ids: HashSet<&str> = s.endings.iter().map(|e| e.id.as_str()).collect();
        let mut suggestions_left = MAX_SUGGESTIONS_PER_SCENARIO;
        let mut ids = HashSet::new();
        let mut after = nodes_at;
        for node in &s.nodes {
            let node_at = self.loc.id(after, &node.id);
            after = node_at;
            if !ids.insert(node.id.as_str()) {
                self.error(node_at, format!("duplicate node id \"{}\" in scenario \"{}\"", node.id, s.id));
            }
            let choices_at = self.field(node_at, "choices");
            let what = format!("choices at node \"{}\"", node.id);
            self.limit(choices_at, node.choices.len(), limits::MAX_CHOICES_PER_NODE, &what);
            let mut choice_ids = HashSet::new();
            let mut choice_after = node_at;
            for choice in &node.choices {
                let choice_at = self.loc.id(choice_after, &choice.id);
                choice_after = choice_at;
                self.choice_limits(choice, choice_at);
                if !choice_ids.insert(choice.id.as_str()) {
                    self.error(
                        choice_at,
                        format!("duplicate choice id \"{}\" in node \"{}\"", choice.id, node.id),
                    );
                }
                match (&choice.goto, &choice.critical) {
                    (None, None) => self.error(
                        choice_at,
                        format!("choice \"{}\" has no goto; say which node or ending it leads to", choice.id),
                    ),
                    (Some(target), None) => {
                        if !node_ids.contains(target.as_str()) && !ending_ids.contains(target.as_str()) {
                            let here = self.loc.field_value(choice_at, "goto", target).unwrap_or(choice_at);
                            let mut msg = format!(
                                "choice \"{}\" leads to \"{target}\", which is not a node or ending",
                                choice.id
                            );
                            if suggestions_left > 0 {
                                suggestions_left -= 1;
                                let known = s
                                    .nodes
                                    .iter()
                                    .map(|n| n.id.as_str())
                                    .chain(s.endings.iter().map(|e| e.id.as_str()));
                                if let Some(best) = closest_within(target, known, self.budget) {
                                    msg.push_str(&format!(", did you mean \"{best}\"?"));
                                }
                            }
                            self.error(here, msg);
                        }
                    }
                    (Some(_), Some(_)) => self.warning(
                        choice_at,
                        format!("critical choice \"{}\" ends the run; its goto is never used", choice.id),
                    ),
                    (None, Some(_)) => {}
                }
                for cond in choice.when.iter() {
                    for visited in graph::visited_refs(cond) {
                        if !node_ids.contains(visited) {
                            self.error(
                                choice_at,
                                format!("condition names node \"{visited}\", which does not exist"),
                            );
                        }
                    }
                }
            }
            if let Some(image) = &node.image {
                let here = self.loc.field_value(node_at, "path", &image.path).unwrap_or(node_at);
                self.image(&image.path, here);
            }
        }
        let mut ending_after = endings_at;
        for ending in &s.endings {
            let ending_at = self.loc.id(ending_after, &ending.id);
            ending_after = ending_at;
            if !ids.insert(ending.id.as_str()) {
                self.error(ending_at, format!("duplicate id \"{}\" in scenario \"{}\"", ending.id, s.id));
            }
        }
        if s.endings.is_empty() {
            self.error(endings_at, format!("scenario \"{}\" has no endings", s.id));
        }
        if !node_ids.contains(s.start.as_str()) {
            let here = self.loc.field_value(at, "start", &s.start).unwrap_or(at);
            self.error(here, format!("start node \"{}\" does not exist", s.start));
            return;
        }
        let graph = ScenarioGraph::new(s);
        for finding in graph.findings(self.budget) {
            let here = match (finding.node(), finding.ending()) {
                (Some(node), _) => self.loc.id(nodes_at, node),
                (None, Some(ending)) => self.loc.id(endings_at, ending),
                (None, None) => endings_at,
            };
            let warning = match finding {
                graph::Finding::TooComplex => self.ctx.pack.is_none(),
                _ => finding.is_warning(),
            };
            if warning {
                self.warning(here, finding.message(&s.id));
            } else {
                self.error(here, finding.message(&s.id));
            }
        }
    }

    /// The caps on what one choice sets and tests.
    fn choice_limits(&mut self, choice: &crate::format::Choice, at: Anchor) {
        let what = format!("flags set by choice \"{}\"", choice.id);
        self.limit(at, choice.sets.len(), limits::MAX_FLAGS_PER_CHOICE, &what);
        if let Some(when) = &choice.when {
            let (depth, terms) = condition_size(when);
            let what = format!("nesting depth of the condition on choice \"{}\"", choice.id);
            self.limit(at, depth, limits::MAX_CONDITION_DEPTH, &what);
            let what = format!("terms in the condition on choice \"{}\"", choice.id);
            self.limit(at, terms, limits::MAX_CONDITION_TERMS, &what);
        }
    }

    fn check(&mut self, c: &Check, at: Anchor) {
        let what = format!("questions in check \"{}\"", c.id);
        self.limit(self.field(at, "questions"), c.questions.len(), limits::MAX_QUESTIONS, &what);
        if c.questions.is_empty() {
            self.error(at, format!("check \"{}\" has no questions", c.id));
        }
        if c.pass_mark as usize > c.questions.len() {
            self.error(
                self.field(at, "pass_mark"),
                format!(
                    "pass_mark {} is above the number of questions ({}): nobody could pass",
                    c.pass_mark,
                    c.questions.len()
                ),
            );
        }
        let mut ids = HashSet::new();
        let mut after = at;
        for q in &c.questions {
            let q_at = self.loc.id(after, &q.id);
            after = q_at;
            if !ids.insert(q.id.as_str()) {
                self.error(q_at, format!("duplicate question id \"{}\"", q.id));
            }
            let what = format!("answers to question \"{}\"", q.id);
            self.limit(q_at, q.answers.len(), limits::MAX_ANSWERS, &what);
            let mut answer_ids = HashSet::new();
            for a in &q.answers {
                if !answer_ids.insert(a.id.as_str()) {
                    self.error(q_at, format!("duplicate answer id \"{}\" in question \"{}\"", a.id, q.id));
                }
            }
            let correct = q.answers.iter().filter(|a| a.correct).count();
            let problem = match q.kind {
                _ if q.answers.len() < 2 => Some("needs at least two answers".to_owned()),
                QuestionKind::TrueFalse if q.answers.len() != 2 => {
                    Some("a TrueFalse question has exactly two answers".to_owned())
                }
                QuestionKind::Single | QuestionKind::TrueFalse if correct != 1 => {
                    Some(format!("must have exactly one correct answer (has {correct})"))
                }
                QuestionKind::Multiple if correct == 0 => {
                    Some("must have at least one correct answer".to_owned())
                }
                _ => None,
            };
            if let Some(problem) = problem {
                self.error(q_at, format!("question \"{}\" {problem}", q.id));
            }
        }
    }
}

/// Unknown `goto` targets per scenario that get a "did you mean": each costs a comparison with
/// every id of the scenario, so a scenario with thousands of broken targets gets no more.
const MAX_SUGGESTIONS_PER_SCENARIO: usize = 20;

/// Longest word, and candidates compared, for a suggestion: the comparison is quadratic in the
/// words' length, and a typo is found among ids of about its own length.
const MAX_SUGGESTION_LEN: usize = 64;
const MAX_SUGGESTION_CANDIDATES: usize = 2_000;

/// The candidate closest to `word`, if it is close enough to be a likely typo. Only candidates
/// within three characters of its length are compared, and at most
/// [`MAX_SUGGESTION_CANDIDATES`] of them, so the cost is bounded whatever the input.
pub(crate) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_within(word, candidates, &SearchBudget::new(u64::MAX))
}

/// [`closest`], each comparison drawing from `budget` (the product of the two lengths, what
/// the comparison costs): past the budget, no suggestion.
pub(crate) fn closest_within<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    budget: &SearchBudget<'_>,
) -> Option<&'a str> {
    let len = word.chars().count();
    if len > MAX_SUGGESTION_LEN {
        return None;
    }
    candidates
        .into_iter()
        .filter(|c| c.len().abs_diff(word.len()) <= 3 * 4 && c.chars().count().abs_diff(len) <= 3)
        .take(MAX_SUGGESTION_CANDIDATES)
        .take_while(|c| budget.take((word.len() * c.len()) as u64 + 1))
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// How deeply a condition nests, and how many terms it has in all.
fn condition_size(cond: &Condition) -> (usize, usize) {
    match cond {
        Condition::All(cs) | Condition::Any(cs) => {
            cs.iter().map(condition_size).fold((1, 1), |(depth, terms), (d, t)| (depth.max(d + 1), terms + t))
        }
        _ => (1, 1),
    }
}
