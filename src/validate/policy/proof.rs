//! The proof over runs (rules 5–7): every run the engine can play through a scenario, conditions
//! included, is explored breadth first with the bounded run search's state (node, score, the
//! flags and visited nodes conditions read), plus what the policy needs to know about the run:
//! whether a disqualifying act was performed, which required acts were, and which claimed flags
//! were set. Breadth first, so the run printed for a finding is a shortest one.
//!
//! One budget covers the whole module, not each scenario: a hostile module of hundreds of
//! scenarios, each near the limits, costs no more than one. Past the budget the proof says it is
//! incomplete (a warning); the findings made before are real runs, never guesses.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet, VecDeque};

use super::places::ScenarioPlaces;
use crate::format::{ActClass, Condition, Outcome, Scenario};
use crate::validate::Found;
use crate::validate::runs::{Bits, reads_score};

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

/// What is left of the module's budget.
pub(super) struct Budget {
    work: Work,
    exhausted: bool,
}

impl Budget {
    pub(super) fn new() -> Self {
        Self { work: Work::default(), exhausted: false }
    }

    pub(super) fn work(&self) -> Work {
        self.work
    }

    /// Takes `n` choices to look at; false (and exhausted from then on) when there are not enough.
    fn take_choices(&mut self, n: usize) -> bool {
        match self.work.choices.checked_add(n) {
            Some(total) if total <= MAX_POLICY_CHOICES_CONSIDERED && !self.exhausted => {
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
        if self.exhausted || self.work.states >= MAX_POLICY_RUN_STATES {
            self.exhausted = true;
            return false;
        }
        self.work.states += 1;
        true
    }
}

/// A non-critical choice with a known target, with what taking it adds to a run state.
struct Edge<'s> {
    choice: usize,
    when: Option<&'s Condition>,
    target: Target,
    score: i64,
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

/// The first (shortest) run found breaking each rule: (node, choice) pairs from the start.
type Runs = HashMap<Broken, Vec<(usize, usize)>>;

/// Plays the runs of `s` and reports the rules they break, within the module's budget.
pub(super) fn prove(
    s: &Scenario,
    places: &ScenarioPlaces,
    classes: Option<&HashMap<&str, ActClass>>,
    budget: &mut Budget,
    out: &mut Vec<Found>,
) {
    let is_disqualifying = |act: Option<&String>| {
        act.and_then(|a| classes?.get(a.as_str())).is_some_and(|c| *c == ActClass::Disqualifying)
    };
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
    let has_pass = s.endings.iter().any(|e| e.outcome == Outcome::Pass);
    let disqualifying: HashSet<(usize, usize)> = s
        .nodes
        .iter()
        .enumerate()
        .flat_map(|(n, node)| node.choices.iter().enumerate().map(move |(c, choice)| ((n, c), choice)))
        .filter(|(_, choice)| is_disqualifying(choice.act.as_ref()))
        .map(|(step, _)| step)
        .collect();
    if claimed.is_empty() && !(has_pass && (!disqualifying.is_empty() || !required.is_empty())) {
        return; // nothing to prove: no work spent
    }
    budget.work.searched += 1;
    let incomplete = |budget: &mut Budget, out: &mut Vec<Found>, why: &str| {
        budget.work.incomplete += 1;
        out.push(Found::warning(
            places.at,
            format!(
                "scenario \"{}\": the safety proof is incomplete: {why}, so not every run was played; \
                 the rules hold only for the runs explored (findings above are real runs). \
                 Simplify the scenario's conditions or split it",
                s.id
            ),
        ));
    };
    if budget.exhausted {
        return incomplete(budget, out, BUDGET_GONE);
    }
    let Some(bits) = Bits::of(s) else {
        return incomplete(budget, out, "its conditions read more than 64 flags and nodes");
    };
    if 1 + required.len() + claimed.len() > 128 {
        return incomplete(budget, out, "it requires and claims more than 127 acts and flags");
    }
    let watch = Watch { required, claimed, disqualifying };
    let node_index: HashMap<&str, usize> =
        s.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let ending_index: HashMap<&str, usize> =
        s.endings.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let Some(&start) = node_index.get(s.start.as_str()) else { return };
    let edges: Vec<Vec<Edge<'_>>> = s
        .nodes
        .iter()
        .map(|node| {
            node.choices
                .iter()
                .enumerate()
                .filter(|(_, c)| c.critical.is_none())
                .filter_map(|(i, c)| {
                    let goto = c.goto.as_deref()?;
                    let target = match (node_index.get(goto), ending_index.get(goto)) {
                        (Some(&n), _) => Target::Node(n, bits.visited(goto)),
                        (None, Some(&e)) => Target::Ending(e),
                        (None, None) => return None,
                    };
                    let mut marks = if is_disqualifying(c.act.as_ref()) { Watch::DISQUALIFIED } else { 0 };
                    for (r, act) in watch.required.iter().enumerate() {
                        if c.act.as_deref() == Some(*act) {
                            marks |= watch.required_bit(r);
                        }
                    }
                    for (f, flag) in watch.claimed.iter().enumerate() {
                        if c.sets.iter().any(|x| x == flag) {
                            marks |= watch.claimed_bit(f);
                        }
                    }
                    let sets = c.sets.iter().fold(0, |acc, f| acc | bits.flag(f));
                    Some(Edge {
                        choice: i,
                        when: c.when.as_ref(),
                        target,
                        score: i64::from(c.score),
                        sets,
                        marks,
                    })
                })
                .collect()
        })
        .collect();
    let keep_score = reads_score(s);

    // Each state: (node, score, condition bits, policy bits); `came_from[i]` is (previous state,
    // node, choice) of the choice that led there.
    type State = (usize, i64, u64, u128);
    let mut states: Vec<State> = Vec::new();
    let mut came_from: Vec<Option<(usize, usize, usize)>> = Vec::new();
    let mut seen: HashSet<State> = HashSet::new();
    let first: State = (start, 0, bits.visited(&s.start), 0);
    if !budget.take_state() {
        return incomplete(budget, out, BUDGET_GONE);
    }
    states.push(first);
    came_from.push(None);
    seen.insert(first);
    let mut queue = VecDeque::from([0usize]);
    let mut broken: Runs = HashMap::new();
    let mut order: Vec<Broken> = Vec::new();
    while let Some(here) = queue.pop_front() {
        let Some(&(node, score, set, marks)) = states.get(here) else { continue };
        let Some(node_edges) = edges.get(node) else { continue };
        let offered = s.nodes.get(node).map_or(0, |n| n.choices.len());
        if !budget.take_choices(offered) {
            report(s, places, &watch, &broken, &order, out);
            return incomplete(budget, out, BUDGET_GONE);
        }
        for edge in node_edges {
            if !edge.when.is_none_or(|w| bits.holds(w, score, set)) {
                continue;
            }
            let score = if keep_score { score.saturating_add(edge.score) } else { 0 };
            let set = set | edge.sets;
            let marks = marks | edge.marks;
            match edge.target {
                Target::Node(next, visited) => {
                    let state = (next, score, set | visited, marks);
                    if seen.contains(&state) {
                        continue;
                    }
                    if !budget.take_state() {
                        report(s, places, &watch, &broken, &order, out);
                        return incomplete(budget, out, BUDGET_GONE);
                    }
                    seen.insert(state);
                    states.push(state);
                    came_from.push(Some((here, node, edge.choice)));
                    queue.push_back(states.len() - 1);
                }
                Target::Ending(e) => {
                    for rule in broken_rules(s, &watch, e, marks) {
                        if let Entry::Vacant(slot) = broken.entry(rule) {
                            let mut path = path_to(&came_from, here);
                            path.push((node, edge.choice));
                            slot.insert(path);
                            order.push(rule);
                        }
                    }
                }
            }
        }
    }
    report(s, places, &watch, &broken, &order, out);
}

const BUDGET_GONE: &str = "the module's run budget ran out (100,000 run states and 1,000,000 choices looked at, \
     for all its scenarios together)";

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
    broken: &Runs,
    order: &[Broken],
    out: &mut Vec<Found>,
) {
    let choice = |(n, c): (usize, usize)| s.nodes.get(n).and_then(|node| node.choices.get(c));
    let ending_id = |e: usize| s.endings.get(e).map_or("", |x| x.id.as_str());
    for rule in order {
        let Some(path) = broken.get(rule) else { continue };
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
