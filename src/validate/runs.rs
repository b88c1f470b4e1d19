//! Exploring the runs a learner can actually make through a scenario, conditions included.
//!
//! The graph checks ignore `when` conditions, which is sound for reachability but not for a
//! question like "can a Pass ending be reached with too low a score?": content guards exactly
//! those paths with `ScoreAtLeast` or flags. So this walks run states (node, score, the flags
//! and visited nodes that some condition reads) breadth first, as the engine would play them.
//! The search draws from the module's [`SearchBudget`]; past it, it says so ([`TooComplex`]),
//! never guesses.
//!
//! Conditions are compiled once per scenario: flags and visited nodes become bits of a `u64`, and
//! the leaves of each `All` (or `Any`) fold into two masks and a score range, so a 64-term `All`
//! of `NotFlag`s is one mask test, however deeply it was nested.

use std::collections::{HashMap, HashSet, VecDeque};

use super::budget::{STATE_COST, SearchBudget};
use crate::format::{Condition, Outcome, Scenario};

/// A search that ran out of the module's budget before it was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooComplex;

/// A way to reach a Pass ending with a score below the scenario's `pass_score`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LowScorePass {
    pub ending: String,
    pub score: i64,
    pub needed: i32,
    /// The `ScoreAtLeast` that, on the last choice, would close this path (conditions are
    /// checked before the choice's own score is added).
    pub guard: i64,
    /// Choice ids from the start, in order.
    pub path: Vec<String>,
}

/// Which bit of a run state stands for a flag or a visited node; only names some condition
/// reads are tracked, since the rest cannot change which choices are offered. The safety
/// policy's proof (`policy/proof.rs`) plays runs with the same bits.
pub(super) struct Bits {
    flags: HashMap<String, u32>,
    visited: HashMap<String, u32>,
}

/// A condition compiled against a scenario's [`Bits`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Cond {
    /// Every bit of `set` is set, none of `clear` is, and `at_least <= score < below`.
    All {
        set: u64,
        clear: u64,
        at_least: i64,
        below: i64,
    },
    /// Some bit of `set` is set, or some bit of `clear` is not, or `score >= at_least`, or
    /// `score < below`.
    Any {
        set: u64,
        clear: u64,
        at_least: i64,
        below: i64,
    },
    /// Nested `All`/`Any` that do not fold into masks (an `Any` inside an `All`, …).
    AllOf(Vec<Cond>),
    AnyOf(Vec<Cond>),
}

impl Cond {
    const TRUE: Cond = Cond::All { set: 0, clear: 0, at_least: i64::MIN, below: i64::MAX };
    const FALSE: Cond = Cond::Any { set: 0, clear: 0, at_least: i64::MAX, below: i64::MIN };

    fn leaf(set: u64, clear: u64, at_least: i64, below: i64) -> Self {
        Cond::All { set, clear, at_least, below }
    }

    pub(super) fn holds(&self, score: i64, bits: u64) -> bool {
        match self {
            Cond::All { set, clear, at_least, below } => {
                bits & set == *set && bits & clear == 0 && *at_least <= score && score < *below
            }
            Cond::Any { set, clear, at_least, below } => {
                bits & set != 0 || !bits & clear != 0 || score >= *at_least || score < *below
            }
            Cond::AllOf(cs) => cs.iter().all(|c| c.holds(score, bits)),
            Cond::AnyOf(cs) => cs.iter().any(|c| c.holds(score, bits)),
        }
    }

    /// Steps one evaluation costs at most: one per mask test.
    pub(super) fn cost(&self) -> u64 {
        match self {
            Cond::All { .. } | Cond::Any { .. } => 1,
            Cond::AllOf(cs) | Cond::AnyOf(cs) => cs.iter().map(Cond::cost).sum::<u64>().max(1),
        }
    }
}

impl Bits {
    /// `None` when more names are read than a state can track (the searches then say the
    /// scenario is too complex to check fully).
    pub(super) fn of(s: &Scenario) -> Option<Self> {
        let mut bits = Self { flags: HashMap::new(), visited: HashMap::new() };
        let mut next = 0u32;
        let mut stack: Vec<&Condition> =
            s.nodes.iter().flat_map(|n| &n.choices).filter_map(|c| c.when.as_ref()).collect();
        while let Some(cond) = stack.pop() {
            let (map, name) = match cond {
                Condition::Flag(f) | Condition::NotFlag(f) => (&mut bits.flags, f),
                Condition::Visited(n) => (&mut bits.visited, n),
                Condition::All(cs) | Condition::Any(cs) => {
                    stack.extend(cs);
                    continue;
                }
                Condition::ScoreAtLeast(_) | Condition::ScoreBelow(_) => continue,
            };
            if !map.contains_key(name) {
                if next == u64::BITS {
                    return None;
                }
                map.insert(name.clone(), next);
                next += 1;
            }
        }
        Some(bits)
    }

    pub(super) fn flag(&self, name: &str) -> u64 {
        self.flags.get(name).map_or(0, |b| 1 << b)
    }

    pub(super) fn visited(&self, node: &str) -> u64 {
        self.visited.get(node).map_or(0, |b| 1 << b)
    }

    /// `cond` as masks over these bits. Leaves of an `All` fold into one `All` of masks (and
    /// nested `All`s into it), leaves of an `Any` into one `Any`; only a change between the two
    /// keeps a level. Depth is what the parser allowed, and the validator caps it lower.
    pub(super) fn compile(&self, cond: &Condition) -> Cond {
        match cond {
            Condition::All(cs) => {
                let (mut set, mut clear, mut at_least, mut below) = (0u64, 0u64, i64::MIN, i64::MAX);
                let mut rest = Vec::new();
                for c in cs {
                    match self.compile(c) {
                        Cond::All { set: s, clear: c, at_least: a, below: b } => {
                            set |= s;
                            clear |= c;
                            at_least = at_least.max(a);
                            below = below.min(b);
                        }
                        other => rest.push(other),
                    }
                }
                let masks = Cond::All { set, clear, at_least, below };
                if rest.is_empty() {
                    return masks;
                }
                if masks != Cond::TRUE {
                    rest.insert(0, masks);
                }
                if rest.len() == 1 { rest.remove(0) } else { Cond::AllOf(rest) }
            }
            Condition::Any(cs) => {
                let (mut set, mut clear, mut at_least, mut below) = (0u64, 0u64, i64::MAX, i64::MIN);
                let mut rest = Vec::new();
                for c in cs {
                    match self.compile(c) {
                        Cond::Any { set: s, clear: c, at_least: a, below: b } => {
                            set |= s;
                            clear |= c;
                            at_least = at_least.min(a);
                            below = below.max(b);
                        }
                        other => rest.push(other),
                    }
                }
                let masks = Cond::Any { set, clear, at_least, below };
                if rest.is_empty() {
                    return masks;
                }
                if masks != Cond::FALSE {
                    rest.insert(0, masks);
                }
                if rest.len() == 1 { rest.remove(0) } else { Cond::AnyOf(rest) }
            }
            // A leaf is an `All` of one term; an `All` of one leaf also folds into an `Any`.
            Condition::Flag(f) => Cond::leaf(self.flag(f), 0, i64::MIN, i64::MAX),
            Condition::NotFlag(f) => Cond::leaf(0, self.flag(f), i64::MIN, i64::MAX),
            Condition::Visited(n) => Cond::leaf(self.visited(n), 0, i64::MIN, i64::MAX),
            Condition::ScoreAtLeast(n) => Cond::leaf(0, 0, i64::from(*n), i64::MAX),
            Condition::ScoreBelow(n) => Cond::leaf(0, 0, i64::MIN, i64::from(*n)),
        }
    }
}

/// How the score of a run state is kept: exactly, merged away (no condition reads it and nothing
/// needs it), or capped where no condition and no `pass_score` can tell higher scores apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScoreKeeping {
    Exact,
    Merged,
    /// Every choice keeps or adds points, so a score at or above this stays there: all higher
    /// scores behave alike and are kept as this one (a "try again" loop that adds points ends).
    CappedAt(i64),
}

impl ScoreKeeping {
    /// For a search that needs the score only as conditions read it, plus `needed` if given.
    pub(super) fn of(s: &Scenario, needed: Option<i32>) -> Self {
        let mut stack: Vec<&Condition> =
            s.nodes.iter().flat_map(|n| &n.choices).filter_map(|c| c.when.as_ref()).collect();
        let mut top: Option<i64> = needed.map(i64::from);
        while let Some(cond) = stack.pop() {
            match cond {
                Condition::ScoreAtLeast(n) | Condition::ScoreBelow(n) => {
                    top = Some(top.map_or(i64::from(*n), |t| t.max(i64::from(*n))));
                }
                Condition::All(cs) | Condition::Any(cs) => stack.extend(cs),
                Condition::Flag(_) | Condition::NotFlag(_) | Condition::Visited(_) => {}
            }
        }
        let Some(top) = top else { return Self::Merged };
        if s.nodes.iter().flat_map(|n| &n.choices).all(|c| c.score >= 0) {
            Self::CappedAt(top.max(0))
        } else {
            Self::Exact
        }
    }

    /// The score kept after adding `points` to `score`.
    pub(super) fn add(self, score: i64, points: i32) -> i64 {
        match self {
            Self::Exact => score.saturating_add(i64::from(points)),
            Self::Merged => 0,
            Self::CappedAt(cap) => score.saturating_add(i64::from(points)).min(cap),
        }
    }
}

/// A choice resolved for the search: the choice, its compiled condition and what evaluating it
/// costs, the node it leads to (`None`: an ending), and the condition bits it sets.
type CompiledChoice<'s> = (&'s crate::format::Choice, Option<Cond>, u64, Option<usize>, u64);

/// The shortest run (in choices) that ends at a Pass ending with a score below `pass_score`, if
/// there is one; [`TooComplex`] when the module's budget ran out first, or the scenario's
/// conditions read more than 64 flags and nodes.
pub fn low_score_pass(s: &Scenario, budget: &SearchBudget<'_>) -> Result<Option<LowScorePass>, TooComplex> {
    let Some(needed) = s.pass_score else { return Ok(None) };
    let bits = Bits::of(s).ok_or(TooComplex)?;
    let node_index: HashMap<&str, usize> =
        s.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let pass_endings: HashSet<&str> =
        s.endings.iter().filter(|e| e.outcome == Outcome::Pass).map(|e| e.id.as_str()).collect();
    let Some(&start) = node_index.get(s.start.as_str()) else { return Ok(None) };
    let keeping = ScoreKeeping::of(s, Some(needed));
    // Each choice compiled once: (choice, condition, its cost, target node, flags it sets).
    let compiled: Vec<Vec<CompiledChoice<'_>>> = s
        .nodes
        .iter()
        .map(|n| {
            n.choices
                .iter()
                .filter(|c| c.critical.is_none() && c.goto.is_some())
                .map(|c| {
                    let when = c.when.as_ref().map(|w| bits.compile(w));
                    let cost = 1 + when.as_ref().map_or(0, Cond::cost);
                    let target = c.goto.as_deref().and_then(|g| node_index.get(g).copied());
                    let sets = c.sets.iter().fold(0, |acc, f| acc | bits.flag(f));
                    (c, when, cost, target, sets)
                })
                .collect()
        })
        .collect();

    // Each state: (node, score, tracked bits); `came_from[i]` is (previous state, choice id).
    let mut states: Vec<(usize, i64, u64)> = vec![(start, 0, bits.visited(&s.start))];
    let mut came_from: Vec<Option<(usize, &str)>> = vec![None];
    let mut seen: HashSet<(usize, i64, u64)> = states.iter().copied().collect();
    let mut queue = VecDeque::from([0usize]);
    let path_to = |came_from: &[Option<(usize, &str)>], mut at: usize| {
        let mut path = Vec::new();
        while let Some((from, choice)) = came_from.get(at).copied().flatten() {
            path.push(choice.to_owned());
            at = from;
        }
        path.reverse();
        path
    };
    if !budget.take(STATE_COST) {
        return Err(TooComplex);
    }
    while let Some(here) = queue.pop_front() {
        let (node, score, set) = states[here];
        let Some(choices) = compiled.get(node) else { continue };
        for (choice, when, cost, target, sets) in choices {
            if !budget.take(*cost) {
                return Err(TooComplex);
            }
            if !when.as_ref().is_none_or(|w| w.holds(score, set)) {
                continue;
            }
            let Some(goto) = choice.goto.as_deref() else { continue };
            let set = set | sets;
            if let Some(next) = *target {
                let state = (next, keeping.add(score, choice.score), set | bits.visited(goto));
                if !seen.contains(&state) {
                    if !budget.take(STATE_COST) {
                        return Err(TooComplex);
                    }
                    seen.insert(state);
                    states.push(state);
                    came_from.push(Some((here, choice.id.as_str())));
                    queue.push_back(states.len() - 1);
                }
            } else {
                // Exact here: a capped score is at least `needed`, so never below it.
                let score = keeping.add(score, choice.score);
                if pass_endings.contains(goto) && score < i64::from(needed) {
                    let mut path = path_to(&came_from, here);
                    path.push(choice.id.clone());
                    let guard = i64::from(needed) - i64::from(choice.score);
                    return Ok(Some(LowScorePass { ending: goto.to_owned(), score, needed, guard, path }));
                }
            }
        }
    }
    Ok(None)
}

/// Small scenarios for the validator's unit tests.
#[cfg(test)]
pub(super) mod test_scenarios {
    use crate::format::{Choice, Text};

    pub fn text() -> Text {
        Text::from_pairs([("en", "x")])
    }

    /// A plain choice `id` to `goto` worth `score`.
    pub fn choice(id: &str, goto: &str, score: i32) -> Choice {
        Choice {
            id: id.into(),
            text: text(),
            goto: Some(goto.into()),
            feedback: None,
            score,
            sets: Vec::new(),
            when: None,
            critical: None,
            act: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_scenarios::{choice, text};
    use super::*;
    use crate::format::{Choice, Ending, Node};

    fn scenario(nodes: Vec<(&str, Vec<Choice>)>, pass_score: Option<i32>) -> Scenario {
        Scenario {
            id: "s".into(),
            title: text(),
            content_note: None,
            start: nodes[0].0.into(),
            nodes: nodes
                .into_iter()
                .map(|(id, choices)| Node { id: id.into(), text: text(), image: None, choices })
                .collect(),
            endings: vec![
                Ending { id: "pass".into(), outcome: Outcome::Pass, summary: text(), claims: Vec::new() },
                Ending { id: "fail".into(), outcome: Outcome::Fail, summary: text(), claims: Vec::new() },
            ],
            pass_score,
            requires: Vec::new(),
        }
    }

    #[test]
    fn finds_the_shortest_low_scoring_path_to_a_pass() {
        let s = scenario(
            vec![
                ("a", vec![choice("good", "b", 2), choice("meh", "b", 0)]),
                ("b", vec![choice("finish", "pass", 1), choice("quit", "fail", 0)]),
            ],
            Some(3),
        );
        let found =
            low_score_pass(&s, &SearchBudget::new(1_000_000)).unwrap().expect("meh then finish scores 1 < 3");
        assert_eq!(found.ending, "pass");
        assert_eq!(found.score, 1);
        assert_eq!(found.path, ["meh", "finish"]);
        assert_eq!(found.guard, 2, "finish adds 1 after its condition is checked");
    }

    #[test]
    fn a_score_guard_on_the_passing_choice_closes_the_gap() {
        let mut guarded = choice("finish", "pass", 1);
        guarded.when = Some(Condition::ScoreAtLeast(2));
        let s = scenario(
            vec![
                ("a", vec![choice("good", "b", 2), choice("meh", "b", 0)]),
                ("b", vec![guarded, choice("quit", "fail", 0)]),
            ],
            Some(3),
        );
        assert_eq!(low_score_pass(&s, &SearchBudget::new(1_000_000)), Ok(None));
    }

    #[test]
    fn flags_gate_choices_as_in_the_engine() {
        let mut sets_flag = choice("careful", "b", 3);
        sets_flag.sets = vec!["noted".into()];
        let mut only_if_noted = choice("finish", "pass", 0);
        only_if_noted.when = Some(Condition::Flag("noted".into()));
        let s = scenario(
            vec![
                ("a", vec![sets_flag, choice("rush", "b", 0)]),
                ("b", vec![only_if_noted, choice("quit", "fail", 0)]),
            ],
            Some(3),
        );
        assert_eq!(
            low_score_pass(&s, &SearchBudget::new(1_000_000)),
            Ok(None),
            "the only way to the pass sets the flag and scores 3"
        );
    }

    #[test]
    fn a_node_with_a_huge_fan_of_choices_stops_at_the_budget() {
        // 300,000 choices at the start, each scoring differently: more than the budget allows.
        let fan = (0..300_000).map(|i| choice(&format!("c{i}"), "b", i)).collect();
        let s = scenario(vec![("a", fan), ("b", vec![choice("finish", "pass", 0)])], Some(i32::MAX));
        let budget = SearchBudget::new(100_000);
        assert_eq!(low_score_pass(&s, &budget), Err(TooComplex));
        assert!(budget.exhausted());
        // Under the budget the same shape is searched and the low path found.
        let fan = (0..1_000).map(|i| choice(&format!("c{i}"), "b", i)).collect();
        let s = scenario(vec![("a", fan), ("b", vec![choice("finish", "pass", 0)])], Some(10));
        let found = low_score_pass(&s, &budget_of_a_module()).unwrap().map(|low| low.path);
        assert_eq!(found, Some(vec!["c0".to_owned(), "finish".to_owned()]));
    }

    fn budget_of_a_module() -> SearchBudget<'static> {
        SearchBudget::new(crate::validate::budget::MODULE_SEARCH_BUDGET)
    }

    #[test]
    fn a_64_term_all_of_not_flags_compiles_to_one_mask_test() {
        let not_flags: Vec<Condition> = (0..63).map(|i| Condition::NotFlag(format!("g{i}"))).collect();
        let mut looping = choice("lap", "a", 1);
        looping.when = Some(Condition::All(vec![Condition::All(not_flags)]));
        let s = scenario(vec![("a", vec![looping])], Some(1));
        let bits = Bits::of(&s).unwrap();
        let compiled = bits.compile(s.nodes[0].choices[0].when.as_ref().unwrap());
        assert!(
            matches!(compiled, Cond::All { set: 0, clear, .. } if clear.count_ones() == 63),
            "{compiled:?}"
        );
        assert_eq!(compiled.cost(), 1);
        assert!(compiled.holds(0, 0));
        assert!(!compiled.holds(0, bits.flag("g5")));
    }

    /// The engine's reading of a condition (`progress::attempt`), on names.
    fn engine_holds(cond: &Condition, score: i64, flags: &[&str]) -> bool {
        match cond {
            Condition::ScoreAtLeast(n) => score >= i64::from(*n),
            Condition::ScoreBelow(n) => score < i64::from(*n),
            Condition::Flag(f) => flags.contains(&f.as_str()),
            Condition::NotFlag(f) => !flags.contains(&f.as_str()),
            Condition::Visited(_) => false,
            Condition::All(cs) => cs.iter().all(|c| engine_holds(c, score, flags)),
            Condition::Any(cs) => cs.iter().any(|c| engine_holds(c, score, flags)),
        }
    }

    #[test]
    fn compiled_conditions_agree_with_the_engine() {
        let f = |n: &str| Condition::Flag(n.into());
        let nf = |n: &str| Condition::NotFlag(n.into());
        let cases = vec![
            Condition::Any(vec![f("a"), Condition::All(vec![nf("b"), Condition::ScoreAtLeast(2)])]),
            Condition::All(vec![Condition::Any(vec![f("a"), f("b")]), Condition::ScoreBelow(3)]),
            Condition::Any(vec![nf("a"), Condition::ScoreBelow(1), Condition::ScoreAtLeast(5)]),
            Condition::All(vec![]),
            Condition::Any(vec![]),
            Condition::All(vec![Condition::Any(vec![Condition::All(vec![f("a"), f("b")])]), nf("c")]),
        ];
        for cond in cases {
            let mut c = choice("x", "pass", 0);
            c.when = Some(cond.clone());
            let s = scenario(vec![("a", vec![c])], None);
            let bits = Bits::of(&s).unwrap();
            let compiled = bits.compile(&cond);
            for set in 0..8u64 {
                let flags: Vec<&str> = ["a", "b", "c"]
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| set & (1 << i) != 0)
                    .map(|(_, n)| n)
                    .collect();
                let bits_set = flags.iter().fold(0, |acc, f| acc | bits.flag(f));
                for score in -1..7 {
                    let expected = engine_holds(&cond, score, &flags);
                    assert_eq!(
                        compiled.holds(score, bits_set),
                        expected,
                        "{cond:?} at {score} with {flags:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn without_pass_score_nothing_is_reported() {
        let s = scenario(vec![("a", vec![choice("finish", "pass", 0)])], None);
        assert_eq!(low_score_pass(&s, &SearchBudget::new(1_000_000)), Ok(None));
    }

    #[test]
    fn a_scoring_loop_ends_once_the_score_can_no_longer_matter() {
        // Each lap adds a point: past pass_score more points change nothing, so the states end.
        let s = scenario(
            vec![("a", vec![choice("lap", "a", 1)]), ("b", vec![choice("finish", "pass", 0)])],
            Some(1),
        );
        assert_eq!(low_score_pass(&s, &SearchBudget::new(1_000_000)), Ok(None));
    }
}
