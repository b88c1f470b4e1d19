//! Exploring the runs a learner can actually make through a scenario, conditions included.
//!
//! The graph checks ignore `when` conditions, which is sound for reachability but not for a
//! question like "can a Pass ending be reached with too low a score?": content guards exactly
//! those paths with `ScoreAtLeast` or flags. So this walks run states (node, score, the flags
//! and visited nodes that some condition reads) breadth first, as the engine would play them.
//! The number of states is capped, so a hostile scenario costs a bounded amount of work; past the
//! cap the search gives up and reports nothing rather than guess.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::format::{Condition, Outcome, Scenario};

/// Run states explored before the search gives up.
pub const MAX_RUN_STATES: usize = 20_000;

/// Choices looked at before the search gives up: a node with thousands of choices must not turn
/// the state cap into millions of condition checks.
pub const MAX_CHOICES_CONSIDERED: usize = 200_000;

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

impl Bits {
    /// `None` when more names are read than a state can track (the search then stays silent).
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

    pub(super) fn holds(&self, cond: &Condition, score: i64, set: u64) -> bool {
        match cond {
            Condition::ScoreAtLeast(n) => score >= i64::from(*n),
            Condition::ScoreBelow(n) => score < i64::from(*n),
            Condition::Flag(f) => set & self.flag(f) != 0,
            Condition::NotFlag(f) => set & self.flag(f) == 0,
            Condition::Visited(n) => set & self.visited(n) != 0,
            Condition::All(cs) => cs.iter().all(|c| self.holds(c, score, set)),
            Condition::Any(cs) => cs.iter().any(|c| self.holds(c, score, set)),
        }
    }
}

/// Whether some condition of the scenario reads the score: if none does, runs that differ only
/// in score offer the same choices, and a search that needs no score can merge them.
pub(super) fn reads_score(s: &Scenario) -> bool {
    let mut stack: Vec<&Condition> =
        s.nodes.iter().flat_map(|n| &n.choices).filter_map(|c| c.when.as_ref()).collect();
    while let Some(cond) = stack.pop() {
        match cond {
            Condition::ScoreAtLeast(_) | Condition::ScoreBelow(_) => return true,
            Condition::All(cs) | Condition::Any(cs) => stack.extend(cs),
            Condition::Flag(_) | Condition::NotFlag(_) | Condition::Visited(_) => {}
        }
    }
    false
}

/// The shortest run (in choices) that ends at a Pass ending with a score below `pass_score`,
/// if there is one and the search finds it within `MAX_RUN_STATES` states.
pub fn low_score_pass(s: &Scenario) -> Option<LowScorePass> {
    let needed = s.pass_score?;
    let bits = Bits::of(s)?;
    let node_index: HashMap<&str, usize> =
        s.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let pass_endings: HashSet<&str> =
        s.endings.iter().filter(|e| e.outcome == Outcome::Pass).map(|e| e.id.as_str()).collect();
    let start = *node_index.get(s.start.as_str())?;

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

    let mut considered = 0usize;
    while let Some(here) = queue.pop_front() {
        let (node, score, set) = states[here];
        let Some(n) = s.nodes.get(node) else { continue };
        considered += n.choices.len();
        if considered > MAX_CHOICES_CONSIDERED {
            return None;
        }
        for choice in &n.choices {
            if choice.critical.is_some() || !choice.when.as_ref().is_none_or(|w| bits.holds(w, score, set)) {
                continue;
            }
            let Some(target) = choice.goto.as_deref() else { continue };
            let score = score.saturating_add(i64::from(choice.score));
            let set = choice.sets.iter().fold(set, |acc, f| acc | bits.flag(f));
            if let Some(&next) = node_index.get(target) {
                let state = (next, score, set | bits.visited(target));
                if seen.insert(state) {
                    if states.len() >= MAX_RUN_STATES {
                        return None;
                    }
                    states.push(state);
                    came_from.push(Some((here, choice.id.as_str())));
                    queue.push_back(states.len() - 1);
                }
            } else if pass_endings.contains(target) && score < i64::from(needed) {
                let mut path = path_to(&came_from, here);
                path.push(choice.id.clone());
                let guard = i64::from(needed) - i64::from(choice.score);
                return Some(LowScorePass { ending: target.to_owned(), score, needed, guard, path });
            }
        }
    }
    None
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
        let found = low_score_pass(&s).expect("meh then finish scores 1 < 3");
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
        assert_eq!(low_score_pass(&s), None);
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
        assert_eq!(low_score_pass(&s), None, "the only way to the pass sets the flag and scores 3");
    }

    #[test]
    fn a_node_with_a_huge_fan_of_choices_stops_at_the_work_cap() {
        // 300,000 choices at the start, each scoring differently: more than the work cap allows.
        let fan = (0..300_000).map(|i| choice(&format!("c{i}"), "b", i)).collect();
        let s = scenario(vec![("a", fan), ("b", vec![choice("finish", "pass", 0)])], Some(i32::MAX));
        assert_eq!(low_score_pass(&s), None);
        // Under the cap the same shape is searched and the low path found.
        let fan = (0..1_000).map(|i| choice(&format!("c{i}"), "b", i)).collect();
        let s = scenario(vec![("a", fan), ("b", vec![choice("finish", "pass", 0)])], Some(10));
        assert_eq!(low_score_pass(&s).map(|low| low.path), Some(vec!["c0".to_owned(), "finish".to_owned()]));
    }

    #[test]
    fn without_pass_score_nothing_is_reported() {
        let s = scenario(vec![("a", vec![choice("finish", "pass", 0)])], None);
        assert_eq!(low_score_pass(&s), None);
    }

    #[test]
    fn a_scoring_loop_stops_at_the_state_cap() {
        // Each lap adds a point, so states never repeat; the search must stop, not run forever.
        let s = scenario(
            vec![("a", vec![choice("lap", "a", 1)]), ("b", vec![choice("finish", "pass", 0)])],
            Some(1),
        );
        assert_eq!(low_score_pass(&s), None);
    }
}
