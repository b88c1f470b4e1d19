//! The policy page (`faro validate --policy`): per act, every choice in every module that
//! performs it, with its grading, so a reviewer sees the grading of the whole course on one page.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use super::places;
use crate::format::{ActClass, SafetyPolicy};
use crate::load::LoadedModule;

/// Choices listed under one act (or among the unknown acts); the rest are counted. A page is read
/// by a person: a pack with thousands of tagged choices must not print thousands of lines.
pub const MAX_PAGE_CHOICES_PER_ACT: usize = 200;

/// The grading of a course, act by act.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyPage {
    /// Where the policy came from (`assets/safety-policy.ron`, or a file beside the modules).
    pub policy: String,
    pub acts: Vec<PageAct>,
    /// Choices naming an act the policy does not list.
    pub unknown: Vec<PageChoice>,
    /// Critical choices, in all the modules, that name no act.
    pub untagged_critical: usize,
    /// Choices scoring below 0, in all the modules, that name no act.
    pub untagged_negative: usize,
    /// Modules added to the page.
    pub modules: usize,
}

/// One act and the choices that perform it.
#[derive(Clone, Debug, Serialize)]
pub struct PageAct {
    pub id: String,
    pub class: ActClass,
    /// The English name (the Spanish one is in the policy file).
    pub name: String,
    pub facts: String,
    pub choices: Vec<PageChoice>,
    /// Choices past [`MAX_PAGE_CHOICES_PER_ACT`], counted but not listed.
    pub more: usize,
    /// Scenarios that require the act, as `module: scenario`.
    pub required_by: Vec<String>,
}

/// One choice that performs an act, where it is written, and how it is graded.
#[derive(Clone, Debug, Serialize)]
pub struct PageChoice {
    pub module: String,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub scenario: String,
    pub node: String,
    pub choice: String,
    /// The act it names (useful among the unknown acts).
    pub act: String,
    pub critical: bool,
    pub score: i32,
    /// Whether its grading follows the act's class (false for an unknown act).
    pub agrees: bool,
}

impl PolicyPage {
    /// An empty page for `policy`, named `source` in the heading.
    pub fn new(policy: &SafetyPolicy, source: impl Into<String>) -> Self {
        let acts = policy
            .acts
            .iter()
            .map(|a| PageAct {
                id: a.id.clone(),
                class: a.class,
                name: a.name.get("en").to_owned(),
                facts: a.facts.clone(),
                choices: Vec::new(),
                more: 0,
                required_by: Vec::new(),
            })
            .collect();
        Self {
            policy: source.into(),
            acts,
            unknown: Vec::new(),
            untagged_critical: 0,
            untagged_negative: 0,
            modules: 0,
        }
    }

    /// Adds the choices of one module (cost linear in its size).
    pub fn add(&mut self, loaded: &LoadedModule) {
        self.modules += 1;
        let index: std::collections::HashMap<String, usize> =
            self.acts.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        let loc = loaded.locator();
        let module = &loaded.module;
        for (s, places) in places::scenarios(module, &loc) {
            for act in &s.requires {
                if let Some(&i) = index.get(act)
                    && let Some(entry) = self.acts.get_mut(i)
                {
                    entry.required_by.push(format!("{}: {}", module.id, s.id));
                }
            }
            for (n, node) in s.nodes.iter().enumerate() {
                for (c, choice) in node.choices.iter().enumerate() {
                    let Some(act) = &choice.act else {
                        if choice.critical.is_some() {
                            self.untagged_critical += 1;
                        } else if choice.score < 0 {
                            self.untagged_negative += 1;
                        }
                        continue;
                    };
                    let position = loc.position(places.choice(n, c));
                    let class = index.get(act).and_then(|&i| self.acts.get(i)).map(|a| a.class);
                    let entry = PageChoice {
                        module: module.id.clone(),
                        file: loaded.file.clone(),
                        line: position.line,
                        column: position.column,
                        scenario: s.id.clone(),
                        node: node.id.clone(),
                        choice: choice.id.clone(),
                        act: act.clone(),
                        critical: choice.critical.is_some(),
                        score: choice.score,
                        agrees: class.is_some_and(|k| k.allows(choice.critical.is_some(), choice.score)),
                    };
                    let list = match index.get(act).and_then(|&i| self.acts.get_mut(i)) {
                        Some(a) if a.choices.len() >= MAX_PAGE_CHOICES_PER_ACT => {
                            a.more += 1;
                            continue;
                        }
                        Some(a) => &mut a.choices,
                        None if self.unknown.len() >= MAX_PAGE_CHOICES_PER_ACT => continue,
                        None => &mut self.unknown,
                    };
                    list.push(entry);
                }
            }
        }
    }
}

impl fmt::Display for PageChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grading = if self.critical { "critical".to_owned() } else { format!("score {}", self.score) };
        write!(
            f,
            "{}:{}:{}  {} › {} › {}  {grading}",
            self.file.display(),
            self.line,
            self.column,
            self.scenario,
            self.node,
            self.choice
        )?;
        if !self.agrees {
            write!(f, "  ✗ does not follow its class")?;
        }
        Ok(())
    }
}

impl fmt::Display for PolicyPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let performed: usize = self.acts.iter().map(|a| a.choices.len() + a.more).sum();
        writeln!(
            f,
            "Safety policy {}: {} acts; {performed} choice(s) in {} module(s) perform one",
            self.policy,
            self.acts.len(),
            self.modules
        )?;
        for class in ActClass::ALL {
            writeln!(f)?;
            writeln!(f, "{}: {}", class.name(), class.rule())?;
            if !self.acts.iter().any(|a| a.class == class) {
                writeln!(f, "  (the policy lists no act of this class)")?;
            }
            for act in self.acts.iter().filter(|a| a.class == class) {
                writeln!(f, "  {} ({}): {}", act.id, act.facts, act.name)?;
                if act.choices.is_empty() {
                    writeln!(f, "    (no choice performs it)")?;
                }
                for choice in &act.choices {
                    writeln!(f, "    {choice}")?;
                }
                if act.more > 0 {
                    writeln!(f, "    … and {} more", act.more)?;
                }
                if !act.required_by.is_empty() {
                    writeln!(f, "    required by: {}", act.required_by.join(", "))?;
                }
            }
        }
        if !self.unknown.is_empty() {
            writeln!(f)?;
            writeln!(f, "Acts the policy does not list:")?;
            for choice in &self.unknown {
                writeln!(f, "  \"{}\": {choice}", choice.act)?;
            }
        }
        writeln!(f)?;
        writeln!(
            f,
            "Untagged: {} critical choice(s) and {} choice(s) scoring below 0 name no act",
            self.untagged_critical, self.untagged_negative
        )
    }
}
