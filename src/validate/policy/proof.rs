//! The proof over runs (rules 5–7): every run the engine can play through a scenario, conditions
//! included, is explored breadth first with the bounded run search's state (node, score, the
//! flags and visited nodes conditions read), plus what the policy needs to know about the run:
//! whether a disqualifying act was performed, which required acts were, and which claimed flags
//! were set. Breadth first, so the run printed for a finding is a shortest one.
//!
//! One budget covers the whole module, not each scenario: a hostile module of hundreds of
//! scenarios, each near the limits, costs no more than one. The proof has caps of its own and
//! also draws from the module's [`SearchBudget`], which the validator's other searches share.
//! Past either the proof says it is incomplete (a warning for an author, an error in a pack); the
//! findings made before are real runs, never guesses.

use std::collections::{HashMap, HashSet, VecDeque};

use super::places::ScenarioPlaces;
use crate::format::{ActClass, Outcome, Scenario};
use crate::validate::Found;
use crate::validate::budget::{STATE_COST, SearchBudget};
use crate::validate::runs::{Bits, Cond, ScoreKeeping};

/// Run states explored, for all the scenarios of one module together.
pub const MAX_POLICY_RUN_STATES: usize = 100_000;

/// Choices looked at, for all the scenarios of one module together: a node with thousands of
/// choices must not turn the state budget into millions of condition checks.
pub const MAX_POLICY_CHOICES_CONSIDERED: usize = 1_000_000;

/// What the proof of one module cost: tests hold it to the budget.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Run states explored.
    pub states: usize,
    /// Choices looked at.
    pub choices: usize,
    /// Scenarios with something to prove whose runs were searched, fully or not.
    pub searched: usize,
    /// Scenarios whose proof is incomplete (each got a warning).
    pub incomplete: usize,
}

/// What is left of the proof's caps, and the module's budget it also draws from.
pub(super) struct Budget<'b> {
    work: Work,
    exhausted: bool,
    module: &'b SearchBudget<'b>,
    /// An incomplete proof is an error (a publisher's module), not a warning.
    must_complete: bool,
}

impl<'b> Budget<'b> {
    pub(super) fn new(module: &'b SearchBudget<'b>, must_complete: bool) -> Self {
        Self { work: Work::default(), exhausted: false, module, must_complete }
    }

    pub(super) fn work(&self) -> Work {
        self.work
    }

    /// Takes `n` choices to look at; false (and exhausted from then on) when there are not enough.
    fn take_choices(&mut self, n: usize, steps: u64) -> bool {
        match self.work.choices.checked_add(n) {
            Some(total)
                if total <= MAX_POLICY_CHOICES_CONSIDERED && !self.exhausted && self.module.take(steps) =>
            {
                self.work.choices = total;
                true
            }
            _ => {
                self.exhausted = true;
                false
            }
        }
    }

    /// Takes one run state; false (and exhausted from then on) when there is none left.
    fn take_state(&mut self) -> bool {
        if self.exhausted || self.work.states >= MAX_POLICY_RUN_STATES || !self.module.take(STATE_COST) {
            self.exhausted = true;
            return false;
        }
        self.work.states += 1;
        true
    }
}

/// A non-critical choice with a known target, with what taking it adds to a run state.
struct Edge {
    choice: usize,
    when: Option<Cond>,
    target: Target,
    score: i32,
    /// Condition bits it sets (flags that conditions read).
    sets: u64,
    /// Policy bits it sets (see [`Watch`]).
    marks: u128,
}

#[derive(Clone, Copy)]
enum Target {
    /// Node index and the condition bit of visiting it.
    Node(usize, u64),
    Ending(usize),
}

/// The policy bits of a run state: bit 0 a disqualifying act was performed, then one bit per
/// required act, then one per claimed flag.
struct Watch<'s> {
    required: Vec<&'s str>,
    claimed: Vec<&'s str>,
    /// The (node, choice) pairs that perform a disqualifying act.
    disqualifying: HashSet<(usize, usize)>,
}

impl Watch<'_> {
    const DISQUALIFIED: u128 = 1;

    fn required_bit(&self, i: usize) -> u128 {
        1 << (1 + i)
    }

    fn claimed_bit(&self, i: usize) -> u128 {
        1 << (1 + self.required.len() + i)
    }
}

/// A rule broken by a run, keyed so each is reported once (with the first, shortest, run).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Broken {
    /// A Pass ending reached after a disqualifying act.
    Disqualified(usize),
    /// A Pass ending reached without required act `.1`.
    Missing(usize, usize),
    /// Ending `.0` reached without claimed flag `.1` set.
    FalseClaim(usize, usize),
}

/// A run: (node, choice) pairs from the start.
type Run = Vec<(usize, usize)>;

/// Plays the runs of `s` and reports the rules they break, within the module's budget.
pub(super) fn prove(
    s: &Scenario,
    places: &ScenarioPlaces,
    classes: Option<&HashMap<&str, ActClass>>,
    budget: &mut Budget,
    out: &mut Vec<Found>,
) {
    let Some(watch) = Watch::of(s, classes) else { return }; // nothing to prove: no work spent
    budget.work.searched += 1;
    let why = if budget.exhausted || budget.module.exhausted() {
        Some(budget_gone())
    } else if 1 + watch.required.len() + watch.claimed.len() > 128 {
        Some("it requires and claims more than 127 acts and flags".to_owned())
    } else {
        match Bits::of(s) {
            Some(bits) => search(s, &bits, &watch, budget).and_then(|(runs, complete)| {
                report(s, places, &watch, &runs, out);
                (!complete).then(budget_gone)
            }),
            None => Some("its conditions read more than 64 flags and nodes".to_owned()),
        }
    };
    if let Some(why) = why {
        budget.work.incomplete += 1;
        let found = if budget.must_complete { Found::error } else { Found::warning };
        out.push(found(
            places.at,
            format!(
                "scenario \"{}\": the safety proof is incomplete: {why}, so not every run was played; \
                 the rules hold only for the runs explored (findings above are real runs). \
                 Simplify the scenario's conditions or split it",
                s.id
            ),
        ));
    }
}

impl<'s> Watch<'s> {
    /// What there is to prove about `s`: `None` when nothing (no disqualifying act with a Pass
    /// ending to reach, no required act, no claim), so most scenarios cost no search.
    fn of(s: &'s Scenario, classes: Option<&HashMap<&str, ActClass>>) -> Option<Self> {
        let class_of = |act: &str| classes.and_then(|c| c.get(act)).copied();
        let set_somewhere: HashSet<&str> =
            s.nodes.iter().flat_map(|n| &n.choices).flat_map(|c| &c.sets).map(String::as_str).collect();
        let mut required: Vec<&str> = s.requires.iter().map(String::as_str).collect();
        required.sort_unstable();
        required.dedup();
        // A claimed flag nobody sets is already an error of its own (see `claimed_flags_exist`).
        let mut claimed: Vec<&str> = s
            .endings
            .iter()
            .flat_map(|e| &e.claims)
            .map(String::as_str)
            .filter(|f| set_somewhere.contains(f))
            .collect();
        claimed.sort_unstable();
        claimed.dedup();
        let disqualifying: HashSet<(usize, usize)> = s
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(n, node)| node.choices.iter().enumerate().map(move |(c, choice)| ((n, c), choice)))
            .filter(|(_, choice)| choice.act.as_deref().and_then(class_of) == Some(ActClass::Disqualifying))
            .map(|(step, _)| step)
            .collect();
        let has_pass = s.endings.iter().any(|e| e.outcome == Outcome::Pass);
        let to_prove =
            !claimed.is_empty() || (has_pass && !(disqualifying.is_empty() && required.is_empty()));
        to_prove.then_some(Self { required, claimed, disqualifying })
    }

    /// The policy bits choice `c` (number `i` of node `n`) adds to a run.
    fn marks(&self, n: usize, i: usize, c: &crate::format::Choice) -> u128 {
        let mut marks = if self.disqualifying.contains(&(n, i)) { Self::DISQUALIFIED } else { 0 };
        for (r, act) in self.required.iter().enumerate() {
            if c.act.as_deref() == Some(*act) {
                marks |= self.required_bit(r);
            }
        }
        for (f, flag) in self.claimed.iter().enumerate() {
            if c.sets.iter().any(|x| x == flag) {
                marks |= self.claimed_bit(f);
            }
        }
        marks
    }
}

/// For each node, its non-critical choices with a known target, resolved once.
fn edges(s: &Scenario, bits: &Bits, watch: &Watch<'_>) -> Vec<Vec<Edge>> {
    let node_index: HashMap<&str, usize> =
        s.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let ending_index: HashMap<&str, usize> =
        s.endings.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let resolve = |n: usize, i: usize, c: &crate::format::Choice| {
        let goto = c.goto.as_deref()?;
        let target = match (node_index.get(goto), ending_index.get(goto)) {
            (Some(&to), _) => Target::Node(to, bits.visited(goto)),
            (None, Some(&e)) => Target::Ending(e),
            (None, None) => return None,
        };
        let sets = c.sets.iter().fold(0, |acc, f| acc | bits.flag(f));
        let marks = watch.marks(n, i, c);
        let when = c.when.as_ref().map(|w| bits.compile(w));
        Some(Edge { choice: i, when, target, score: c.score, sets, marks })
    };
    s.nodes
        .iter()
        .enumerate()
        .map(|(n, node)| {
            let choices = node.choices.iter().enumerate().filter(|(_, c)| c.critical.is_none());
            choices.filter_map(|(i, c)| resolve(n, i, c)).collect()
        })
        .collect()
}

/// Breadth first over run states (node, score, condition bits, policy bits), within the budget:
/// the first, shortest, run breaking each rule, in the order found, and whether every run was
/// played. `None` when the start node does not exist (reported by the graph checks).
fn search(
    s: &Scenario,
    bits: &Bits,
    watch: &Watch<'_>,
    budget: &mut Budget,
) -> Option<(Vec<(Broken, Run)>, bool)> {
    type State = (usize, i64, u64, u128);
    let start = s.nodes.iter().position(|n| n.id == s.start)?;
    let edges = edges(s, bits, watch);
    // Runs that differ only in score offer the same choices when no condition reads it, and
    // when no choice loses points, scores above every threshold all behave alike.
    let keeping = ScoreKeeping::of(s, None);
    let cost: Vec<u64> = edges
        .iter()
        .map(|e| e.iter().map(|e| 1 + e.when.as_ref().map_or(0, Cond::cost)).sum::<u64>())
        .collect();
    let mut states: Vec<State> = Vec::new();
    // For each state, (previous state, node, choice) of the choice that led there.
    let mut came_from: Vec<Option<(usize, usize, usize)>> = Vec::new();
    let mut seen: HashSet<State> = HashSet::new();
    let mut found: Vec<(Broken, Run)> = Vec::new();
    let mut known: HashSet<Broken> = HashSet::new();
    if !budget.take_state() {
        return Some((found, false));
    }
    let first: State = (start, 0, bits.visited(&s.start), 0);
    states.push(first);
    came_from.push(None);
    seen.insert(first);
    let mut queue = VecDeque::from([0usize]);
    while let Some(here) = queue.pop_front() {
        let Some(&(node, score, set, marks)) = states.get(here) else { continue };
        let Some(node_edges) = edges.get(node) else { continue };
        let steps = cost.get(node).copied().unwrap_or(0);
        if !budget.take_choices(s.nodes.get(node).map_or(0, |n| n.choices.len()), steps) {
            return Some((found, false));
        }
        for edge in node_edges.iter().filter(|e| e.when.as_ref().is_none_or(|w| w.holds(score, set))) {
            let score = keeping.add(score, edge.score);
            let (set, marks) = (set | edge.sets, marks | edge.marks);
            match edge.target {
                Target::Node(next, visited) => {
                    let state = (next, score, set | visited, marks);
                    if seen.contains(&state) {
                        continue;
                    }
                    if !budget.take_state() {
                        return Some((found, false));
                    }
                    seen.insert(state);
                    states.push(state);
                    came_from.push(Some((here, node, edge.choice)));
                    queue.push_back(states.len() - 1);
                }
                Target::Ending(e) => {
                    for rule in broken_rules(s, watch, e, marks) {
                        if known.insert(rule) {
                            let mut run = path_to(&came_from, here);
                            run.push((node, edge.choice));
                            found.push((rule, run));
                        }
                    }
                }
            }
        }
    }
    Some((found, true))
}

/// Why a scenario past the module's budget is not proven.
fn budget_gone() -> String {
    format!(
        "it is too complex to check fully: the module's run budget ran out ({MAX_POLICY_RUN_STATES} run states and \
         {MAX_POLICY_CHOICES_CONSIDERED} choices looked at for the proof, {} steps for all the searches of the \
         module, for all its scenarios together)",
        crate::validate::budget::MODULE_SEARCH_BUDGET
    )
}

/// The rules a run breaks when it reaches ending `e` with policy bits `marks`.
fn broken_rules(s: &Scenario, watch: &Watch<'_>, e: usize, marks: u128) -> Vec<Broken> {
    let Some(ending) = s.endings.get(e) else { return Vec::new() };
    let mut rules = Vec::new();
    if ending.outcome == Outcome::Pass {
        if marks & Watch::DISQUALIFIED != 0 {
            rules.push(Broken::Disqualified(e));
        }
        for r in 0..watch.required.len() {
            if marks & watch.required_bit(r) == 0 {
                rules.push(Broken::Missing(e, r));
            }
        }
    }
    for flag in &ending.claims {
        if let Some(f) = watch.claimed.iter().position(|c| c == flag)
            && marks & watch.claimed_bit(f) == 0
        {
            rules.push(Broken::FalseClaim(e, f));
        }
    }
    rules
}

/// The (node, choice) pairs from the start to state `at`.
fn path_to(came_from: &[Option<(usize, usize, usize)>], mut at: usize) -> Vec<(usize, usize)> {
    let mut path = Vec::new();
    while let Some((from, node, choice)) = came_from.get(at).copied().flatten() {
        path.push((node, choice));
        at = from;
    }
    path.reverse();
    path
}

/// Turns the broken rules into findings, in the order their runs were found (shortest first).
fn report(
    s: &Scenario,
    places: &ScenarioPlaces,
    watch: &Watch<'_>,
    runs: &[(Broken, Run)],
    out: &mut Vec<Found>,
) {
    let choice = |(n, c): (usize, usize)| s.nodes.get(n).and_then(|node| node.choices.get(c));
    let ending_id = |e: usize| s.endings.get(e).map_or("", |x| x.id.as_str());
    for (rule, path) in runs {
        let run = path
            .iter()
            .filter_map(|&step| choice(step))
            .map(|c| format!("\"{}\"", c.id))
            .collect::<Vec<_>>()
            .join(" → ");
        let found = match *rule {
            Broken::Disqualified(e) => {
                // The first disqualifying act of the run is where its grading goes wrong.
                let first = path.iter().copied().find(|step| watch.disqualifying.contains(step));
                let (at, what) = match first.and_then(|step| Some((step, choice(step)?))) {
                    Some(((n, c), ch)) => (
                        places.choice(n, c),
                        format!(
                            "choice \"{}\" (act \"{}\", Disqualifying)",
                            ch.id,
                            ch.act.as_deref().unwrap_or("")
                        ),
                    ),
                    None => (places.ending(e), "a disqualifying act".to_owned()),
                };
                Found::error(
                    at,
                    format!(
                        "scenario \"{}\": Pass ending \"{}\" can be reached after {what}, by the choices {run}; \
                         a disqualifying act may be repaired but never passed: lead such runs to a Fail or Neutral ending",
                        s.id,
                        ending_id(e)
                    ),
                )
            }
            Broken::Missing(e, r) => Found::error(
                places.ending(e),
                format!(
                    "scenario \"{}\": Pass ending \"{}\" can be reached without the act \"{}\", which the scenario requires, \
                     by the choices {run}",
                    s.id,
                    ending_id(e),
                    watch.required.get(r).copied().unwrap_or("")
                ),
            ),
            Broken::FalseClaim(e, f) => Found::error(
                places.ending(e),
                format!(
                    "ending \"{}\" claims \"{}\", but the choices {run} reach it without setting it: \
                     its text would tell the learner they did something they did not",
                    ending_id(e),
                    watch.claimed.get(f).copied().unwrap_or("")
                ),
            ),
        };
        out.push(found);
    }
}
