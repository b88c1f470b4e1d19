//! One learner's attempt at one module, as a pure state machine.
//!
//! The UI, the CLI and the tests drive the same machine with [`Event`]s. It is serializable so
//! that progress is saved after every step and resumed exactly (step, node, answers).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::format::{Choice, Condition, Lang, Module, Outcome, Scenario, Step};

/// Something the learner does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// Go to the next step (or finish, on the last one).
    Next,
    /// Go to the previous step.
    Back,
    /// Make a choice in the current scenario node.
    Choose(String),
    /// Answer a question of the current check (answer ids); an answer is final.
    Answer { question: String, answers: Vec<String> },
    /// Read the current scenario's content note and start it.
    AcknowledgeNote,
    /// Read the module's content note, shown when the module is opened (see
    /// [`Attempt::present_module_note`]).
    ReadModuleNote,
    /// Skip the current step (only a scenario with a content note); it then counts as not passed.
    Skip,
    /// Start the current scenario again from its first node.
    RetryScenario,
    /// Start the whole module again.
    Restart,
    /// Show the module in another language; the learner stays where they are.
    SwitchLanguage(Lang),
}

/// Why an event was refused; the attempt is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("the attempt is finished; restart to try again")]
    Finished,
    #[error("this is the first step")]
    AtStart,
    #[error("finish this step first")]
    StepIncomplete,
    #[error("this step is not a scenario")]
    NotAScenario,
    #[error("this step is not a knowledge check")]
    NotACheck,
    #[error("read the content note first")]
    NoteNotAcknowledged,
    #[error("read the module's content note first")]
    ModuleNoteUnread,
    #[error("this scenario run has ended")]
    RunOver,
    #[error("no choice \"{0}\" is offered here")]
    NoSuchChoice(String),
    #[error("no question \"{0}\" in this check")]
    NoSuchQuestion(String),
    #[error("question \"{0}\" is already answered")]
    AlreadyAnswered(String),
    #[error("not a valid answer to this question")]
    InvalidAnswer,
    #[error("only a scenario with a content note can be skipped")]
    CannotSkip,
    #[error("the module is not written in \"{0}\"")]
    NoSuchLanguage(String),
    #[error("the module has no steps")]
    Empty,
}

/// Where a scenario run stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunState {
    /// At `ScenarioRun::node`, waiting for a choice.
    InProgress,
    /// Reached an ending.
    Ended(String),
    /// Made a critical (unsafe) choice at a node.
    Critical { node: String, choice: String },
}

/// The state of one scenario step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioRun {
    /// Current node (the last node, once the run is over).
    pub node: String,
    pub score: i32,
    pub flags: BTreeSet<String>,
    pub visited: BTreeSet<String>,
    pub state: RunState,
    /// The last choice made, whose feedback the learner sees.
    pub last_choice: Option<(String, String)>,
    /// Every (node, choice) of this run, in order; older progress files have none.
    #[serde(default)]
    pub path: Vec<(String, String)>,
    /// How many runs were started (1 for the first).
    pub runs: u32,
    /// The content note was read (or there is none).
    pub note_acknowledged: bool,
}

impl ScenarioRun {
    fn new(s: &Scenario) -> Self {
        Self {
            node: s.start.clone(),
            score: 0,
            flags: BTreeSet::new(),
            visited: BTreeSet::from([s.start.clone()]),
            state: RunState::InProgress,
            last_choice: None,
            path: Vec::new(),
            runs: 1,
            note_acknowledged: s.content_note.is_none(),
        }
    }

    /// Whether this run passes the scenario.
    pub fn passed(&self, s: &Scenario) -> bool {
        match &self.state {
            RunState::Ended(id) => {
                s.ending(id).is_some_and(|e| e.outcome == Outcome::Pass)
                    && s.pass_score.is_none_or(|min| self.score >= min)
            }
            _ => false,
        }
    }

    /// When the run reached a Pass ending without the scenario's `pass_score`, how far it fell
    /// short and which choices cost points, so the player never shows a pass text alone.
    pub fn shortfall<'s>(&self, s: &'s Scenario) -> Option<Shortfall<'s>> {
        let RunState::Ended(id) = &self.state else { return None };
        let needed = s.pass_score?;
        if s.ending(id)?.outcome != Outcome::Pass || self.score >= needed {
            return None;
        }
        // Replay the run so that each node's offer is judged as the learner saw it.
        let mut replay = ScenarioRun::new(s);
        let mut missed = Vec::new();
        for (node_id, choice_id) in &self.path {
            let Some(node) = s.node(node_id) else { break };
            let Some(chosen) = node.choice(choice_id) else { break };
            let better = node
                .choices
                .iter()
                .filter(|c| c.critical.is_none() && c.when.as_ref().is_none_or(|w| replay.holds(w)))
                .max_by_key(|c| c.score)
                .filter(|best| best.score > chosen.score);
            if let Some(better) = better {
                missed.push(Missed { chosen, better });
            }
            replay.follow(s, chosen);
        }
        Some(Shortfall { score: self.score, needed, missed })
    }

    /// Takes a non-critical choice: its score and flags, then where it leads.
    fn follow(&mut self, s: &Scenario, choice: &Choice) {
        self.score = self.score.saturating_add(choice.score);
        self.flags.extend(choice.sets.iter().cloned());
        match choice.goto.as_deref() {
            Some(target) if s.node(target).is_some() => {
                self.node = target.to_owned();
                self.visited.insert(target.to_owned());
            }
            Some(target) if s.ending(target).is_some() => self.state = RunState::Ended(target.to_owned()),
            // A module that validated never gets here; an invalid target ends the run as neutral
            // rather than leaving the learner stuck.
            _ => self.state = RunState::Ended(String::new()),
        }
    }

    /// Whether a condition holds in this run.
    pub fn holds(&self, cond: &Condition) -> bool {
        match cond {
            Condition::ScoreAtLeast(n) => self.score >= *n,
            Condition::ScoreBelow(n) => self.score < *n,
            Condition::Flag(f) => self.flags.contains(f),
            Condition::NotFlag(f) => !self.flags.contains(f),
            Condition::Visited(n) => self.visited.contains(n),
            Condition::All(cs) => cs.iter().all(|c| self.holds(c)),
            Condition::Any(cs) => cs.iter().any(|c| self.holds(c)),
        }
    }
}

/// A run that reached a Pass ending with too low a score (see [`ScenarioRun::shortfall`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Shortfall<'s> {
    pub score: i32,
    pub needed: i32,
    /// The choices that scored less than another choice offered at the same node.
    pub missed: Vec<Missed<'s>>,
}

/// A choice that cost points, and the best-scoring choice offered in its place.
#[derive(Clone, Debug, PartialEq)]
pub struct Missed<'s> {
    pub chosen: &'s Choice,
    pub better: &'s Choice,
}

/// One scenario choice, as logged for records and coordinator analytics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceLogEntry {
    pub step: String,
    pub node: String,
    pub choice: String,
    pub critical: bool,
    pub at: DateTime<Utc>,
}

/// The end of an attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finished {
    pub at: DateTime<Utc>,
    pub passed: bool,
}

/// A learner's attempt at a module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub module_id: String,
    pub module_version: semver::Version,
    pub lang: Lang,
    pub started: DateTime<Utc>,
    /// Index of the current step.
    pub step: usize,
    /// Scenario state by step id (created when the step is first shown).
    pub scenarios: BTreeMap<String, ScenarioRun>,
    /// Check answers by step id, then question id.
    pub answers: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Steps skipped after their content note.
    pub skipped: BTreeSet<String>,
    /// Every choice made, in order, across runs.
    pub log: Vec<ChoiceLogEntry>,
    pub finished: Option<Finished>,
    /// The module's content note is on screen: nothing moves until it is read. It is shown each
    /// time the module is opened, so it is not saved.
    #[serde(skip)]
    pub module_note_pending: bool,
}

impl Attempt {
    /// A new attempt at the first step.
    pub fn new(module: &Module, lang: &str, now: DateTime<Utc>) -> Self {
        let lang = if module.languages.iter().any(|l| l == lang) {
            lang.to_owned()
        } else {
            module.languages.first().cloned().unwrap_or_else(|| lang.to_owned())
        };
        let mut attempt = Self {
            module_id: module.id.clone(),
            module_version: module.version.clone(),
            lang,
            started: now,
            step: 0,
            scenarios: BTreeMap::new(),
            answers: BTreeMap::new(),
            skipped: BTreeSet::new(),
            log: Vec::new(),
            finished: None,
            module_note_pending: false,
        };
        attempt.enter_step(module);
        attempt
    }

    /// The current step of `module`.
    pub fn current_step<'m>(&self, module: &'m Module) -> Option<&'m Step> {
        module.steps.get(self.step)
    }

    /// Puts the module's content note, if it has one, in front of everything else: the learner
    /// reads it ([`Event::ReadModuleNote`]) before any step moves. The app does this each time it
    /// opens a module.
    pub fn present_module_note(&mut self, module: &Module) {
        self.module_note_pending = module.content_note.is_some();
    }

    /// The run of the current step, if it is a scenario.
    pub fn current_run<'a>(&'a self, module: &'a Module) -> Option<(&'a Scenario, &'a ScenarioRun)> {
        match self.current_step(module)? {
            Step::Scenario(s) => Some((s, self.scenarios.get(&s.id)?)),
            _ => None,
        }
    }

    /// Applies an event; on error the attempt is unchanged.
    pub fn apply(&mut self, module: &Module, event: Event, now: DateTime<Utc>) -> Result<(), EventError> {
        if module.steps.is_empty() {
            return Err(EventError::Empty);
        }
        match event {
            Event::SwitchLanguage(lang) => {
                if !module.languages.contains(&lang) {
                    return Err(EventError::NoSuchLanguage(lang));
                }
                self.lang = lang;
                Ok(())
            }
            Event::Restart => {
                let lang = self.lang.clone();
                let note_pending = self.module_note_pending;
                *self = Attempt::new(module, &lang, now);
                self.module_note_pending = note_pending;
                Ok(())
            }
            Event::ReadModuleNote => {
                self.module_note_pending = false;
                Ok(())
            }
            _ if self.module_note_pending => Err(EventError::ModuleNoteUnread),
            _ if self.finished.is_some() => Err(EventError::Finished),
            Event::Next => self.next(module, now),
            Event::Back => {
                if self.step == 0 {
                    return Err(EventError::AtStart);
                }
                self.step -= 1;
                self.enter_step(module);
                Ok(())
            }
            Event::Choose(choice) => self.choose(module, &choice, now),
            Event::Answer { question, answers } => self.answer(module, &question, answers),
            Event::AcknowledgeNote => {
                let run = self.run_mut(module)?;
                run.note_acknowledged = true;
                let id = module.steps.get(self.step).map(|s| s.id().to_owned()).unwrap_or_default();
                self.skipped.remove(&id);
                Ok(())
            }
            Event::Skip => {
                let Some(Step::Scenario(s)) = module.steps.get(self.step) else {
                    return Err(EventError::CannotSkip);
                };
                if s.content_note.is_none() {
                    return Err(EventError::CannotSkip);
                }
                self.skipped.insert(s.id.clone());
                self.advance(module, now);
                Ok(())
            }
            Event::RetryScenario => {
                let Some(Step::Scenario(s)) = module.steps.get(self.step) else {
                    return Err(EventError::NotAScenario);
                };
                let runs = self.scenarios.get(&s.id).map_or(0, |r| r.runs);
                let mut fresh = ScenarioRun::new(s);
                fresh.runs = runs + 1;
                fresh.note_acknowledged = true;
                self.scenarios.insert(s.id.clone(), fresh);
                Ok(())
            }
        }
    }

    /// Moves to `step` (and, in a scenario, to `node`) for the author preview: a run there starts
    /// fresh at that node with its content note read, as if the learner had walked to it. Returns
    /// `false`, leaving the attempt unchanged, when the step or node does not exist.
    pub fn jump(&mut self, module: &Module, step: usize, node: Option<&str>) -> bool {
        let Some(target) = module.steps.get(step) else { return false };
        if let (Step::Scenario(s), Some(node)) = (target, node)
            && s.node(node).is_none()
        {
            return false;
        }
        self.finished = None;
        self.module_note_pending = false;
        self.step = step;
        if let Step::Scenario(s) = target {
            let mut run = ScenarioRun::new(s);
            if let Some(node) = node {
                run.node = node.to_owned();
                run.visited.insert(node.to_owned());
                run.note_acknowledged = true;
            }
            self.scenarios.insert(s.id.clone(), run);
        }
        true
    }

    /// Whether the current step allows moving on.
    pub fn can_advance(&self, module: &Module) -> bool {
        match module.steps.get(self.step) {
            Some(Step::Page(_)) => true,
            Some(Step::Scenario(s)) => {
                self.scenarios.get(&s.id).is_some_and(|r| matches!(r.state, RunState::Ended(_)))
            }
            Some(Step::Check(c)) => {
                let given = self.answers.get(&c.id);
                c.questions.iter().all(|q| given.is_some_and(|a| a.contains_key(&q.id)))
            }
            None => false,
        }
    }

    fn next(&mut self, module: &Module, now: DateTime<Utc>) -> Result<(), EventError> {
        if !self.can_advance(module) {
            return Err(EventError::StepIncomplete);
        }
        self.advance(module, now);
        Ok(())
    }

    fn advance(&mut self, module: &Module, now: DateTime<Utc>) {
        if self.step + 1 >= module.steps.len() {
            self.finished = Some(Finished { at: now, passed: self.passes(module) });
        } else {
            self.step += 1;
            self.enter_step(module);
        }
    }

    fn enter_step(&mut self, module: &Module) {
        if let Some(Step::Scenario(s)) = module.steps.get(self.step) {
            self.scenarios.entry(s.id.clone()).or_insert_with(|| ScenarioRun::new(s));
        }
    }

    fn run_mut(&mut self, module: &Module) -> Result<&mut ScenarioRun, EventError> {
        let Some(Step::Scenario(s)) = module.steps.get(self.step) else {
            return Err(EventError::NotAScenario);
        };
        Ok(self.scenarios.entry(s.id.clone()).or_insert_with(|| ScenarioRun::new(s)))
    }

    /// Choices offered at the current node, in order (conditions applied).
    pub fn offered_choices<'m>(&self, module: &'m Module) -> Vec<&'m crate::format::Choice> {
        let Some(Step::Scenario(s)) = module.steps.get(self.step) else { return Vec::new() };
        let Some(run) = self.scenarios.get(&s.id) else { return Vec::new() };
        if run.state != RunState::InProgress {
            return Vec::new();
        }
        let Some(node) = s.node(&run.node) else { return Vec::new() };
        node.choices.iter().filter(|c| c.when.as_ref().is_none_or(|w| run.holds(w))).collect()
    }

    fn choose(&mut self, module: &Module, choice_id: &str, now: DateTime<Utc>) -> Result<(), EventError> {
        let Some(Step::Scenario(s)) = module.steps.get(self.step) else {
            return Err(EventError::NotAScenario);
        };
        let offered = self.offered_choices(module);
        let run = self.run_mut(module)?;
        if !run.note_acknowledged {
            return Err(EventError::NoteNotAcknowledged);
        }
        if run.state != RunState::InProgress {
            return Err(EventError::RunOver);
        }
        let Some(choice) = offered.into_iter().find(|c| c.id == choice_id) else {
            return Err(EventError::NoSuchChoice(choice_id.to_owned()));
        };
        let node = run.node.clone();
        run.last_choice = Some((node.clone(), choice.id.clone()));
        run.path.push((node.clone(), choice.id.clone()));
        if choice.critical.is_some() {
            run.state = RunState::Critical { node: node.clone(), choice: choice.id.clone() };
        } else {
            run.follow(s, choice);
        }
        self.log.push(ChoiceLogEntry {
            step: s.id.clone(),
            node,
            choice: choice.id.clone(),
            critical: choice.critical.is_some(),
            at: now,
        });
        Ok(())
    }

    fn answer(&mut self, module: &Module, question: &str, answers: Vec<String>) -> Result<(), EventError> {
        let Some(Step::Check(c)) = module.steps.get(self.step) else {
            return Err(EventError::NotACheck);
        };
        let Some(q) = c.questions.iter().find(|q| q.id == question) else {
            return Err(EventError::NoSuchQuestion(question.to_owned()));
        };
        if self.answers.get(&c.id).is_some_and(|g| g.contains_key(question)) {
            return Err(EventError::AlreadyAnswered(question.to_owned()));
        }
        let known = answers.iter().all(|a| q.answers.iter().any(|x| &x.id == a));
        let count_ok = match q.kind {
            crate::format::QuestionKind::Multiple => !answers.is_empty(),
            _ => answers.len() == 1,
        };
        if !known || !count_ok {
            return Err(EventError::InvalidAnswer);
        }
        self.answers.entry(c.id.clone()).or_default().insert(question.to_owned(), answers);
        Ok(())
    }

    /// Correct answers and question count for a check step.
    pub fn check_score(&self, check: &crate::format::Check) -> (u32, u32) {
        let given = self.answers.get(&check.id);
        let correct = check
            .questions
            .iter()
            .filter(|q| given.and_then(|g| g.get(&q.id)).is_some_and(|a| q.is_correct(a)))
            .count();
        (u32::try_from(correct).unwrap_or(u32::MAX), u32::try_from(check.questions.len()).unwrap_or(u32::MAX))
    }

    /// Whether the attempt, as it stands, meets the module's pass rule.
    pub fn passes(&self, module: &Module) -> bool {
        self.review(module).is_empty()
    }

    /// The steps that keep the attempt from passing: what the learner should review.
    pub fn review(&self, module: &Module) -> Vec<String> {
        let rule = &module.pass_rule;
        module
            .steps
            .iter()
            .filter(|step| match step {
                Step::Page(_) => false,
                Step::Scenario(s) => {
                    rule.scenarios_passed
                        && (self.skipped.contains(&s.id)
                            || !self.scenarios.get(&s.id).is_some_and(|r| r.passed(s)))
                }
                Step::Check(c) => rule.checks_passed && self.check_score(c).0 < c.pass_mark,
            })
            .map(|s| s.id().to_owned())
            .collect()
    }

    /// Critical choices made in this attempt.
    pub fn critical_count(&self) -> usize {
        self.log.iter().filter(|e| e.critical).count()
    }
}
