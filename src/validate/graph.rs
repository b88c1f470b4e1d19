//! Scenario graph analysis: reachability, dead ends, cycles with no way out, reachable outcomes.
//!
//! Conditions (`when`) are ignored here: they can only remove edges, so a node unreachable
//! without them is unreachable with them, and a score bound without them is an upper bound.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::format::{Condition, Outcome, Scenario};

/// Where a choice leads, resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Target {
    Node(usize),
    Ending(usize),
}

/// A scenario as an index-based graph of non-critical choices.
pub struct ScenarioGraph<'a> {
    scenario: &'a Scenario,
    /// For each node, its (target, score) edges; critical choices leave the graph.
    edges: Vec<Vec<(Target, i32)>>,
    start: Option<usize>,
}

/// One problem found in a scenario graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    Unreachable(String),
    DeadEnd(String),
    NoWayOut(String),
    NoPassReachable,
    PassScoreUnreachable {
        best: i64,
        needed: i32,
    },
    /// A Pass ending a learner can reach without meeting `pass_score` (a warning: the engine
    /// then says "not passed", but the author most likely meant another ending for that path).
    LowScorePass(super::runs::LowScorePass),
}

impl Finding {
    /// The node this finding is about, if any.
    pub fn node(&self) -> Option<&str> {
        match self {
            Finding::Unreachable(n) | Finding::DeadEnd(n) | Finding::NoWayOut(n) => Some(n),
            _ => None,
        }
    }

    /// The ending this finding is about, if any.
    pub fn ending(&self) -> Option<&str> {
        match self {
            Finding::LowScorePass(low) => Some(&low.ending),
            _ => None,
        }
    }

    /// Whether the module still works as written (a warning) rather than being broken (an error).
    pub fn is_warning(&self) -> bool {
        matches!(self, Finding::LowScorePass(_))
    }

    /// A message naming the node and saying what to fix.
    pub fn message(&self, scenario: &str) -> String {
        match self {
            Finding::Unreachable(n) => {
                format!(
                    "node \"{n}\" in scenario \"{scenario}\" is unreachable: no choice leads to it from the start"
                )
            }
            Finding::DeadEnd(n) => {
                format!(
                    "node \"{n}\" in scenario \"{scenario}\" is a dead end: it has no choices and is not an ending"
                )
            }
            Finding::NoWayOut(n) => format!(
                "node \"{n}\" in scenario \"{scenario}\" has no way out: no path from it reaches an ending (a cycle?)"
            ),
            Finding::NoPassReachable => {
                format!(
                    "scenario \"{scenario}\": no path from the start reaches a Pass ending without a critical choice"
                )
            }
            Finding::PassScoreUnreachable { best, needed } => format!(
                "scenario \"{scenario}\": pass_score {needed} is above the best score any path to a Pass ending can reach ({best})"
            ),
            Finding::LowScorePass(low) => format!(
                "scenario \"{scenario}\": Pass ending \"{}\" can be reached with score {}, below pass_score {}, by the choices {}; \
                 the learner would read a passing ending but not pass: give that path its own ending, \
                 or guard the last choice with ScoreAtLeast({})",
                low.ending,
                low.score,
                low.needed,
                low.path.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(" → "),
                low.guard,
            ),
        }
    }
}

impl<'a> ScenarioGraph<'a> {
    /// Builds the graph; unknown targets are dropped (the validator reports them separately).
    pub fn new(scenario: &'a Scenario) -> Self {
        let node_index: HashMap<&str, usize> =
            scenario.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
        let ending_index: HashMap<&str, usize> =
            scenario.endings.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
        let edges = scenario
            .nodes
            .iter()
            .map(|node| {
                node.choices
                    .iter()
                    .filter(|c| c.critical.is_none())
                    .filter_map(|c| {
                        let goto = c.goto.as_deref()?;
                        let target = node_index
                            .get(goto)
                            .map(|&i| Target::Node(i))
                            .or_else(|| ending_index.get(goto).map(|&i| Target::Ending(i)))?;
                        Some((target, c.score))
                    })
                    .collect()
            })
            .collect();
        let start = node_index.get(scenario.start.as_str()).copied();
        Self { scenario, edges, start }
    }

    /// Nodes reachable from the start.
    fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.edges.len()];
        let Some(start) = self.start else { return seen };
        let mut queue = VecDeque::from([start]);
        if let Some(s) = seen.get_mut(start) {
            *s = true;
        }
        while let Some(n) = queue.pop_front() {
            for (target, _) in self.edges.get(n).into_iter().flatten() {
                if let Target::Node(m) = *target
                    && let Some(flag) = seen.get_mut(m)
                    && !*flag
                {
                    *flag = true;
                    queue.push_back(m);
                }
            }
        }
        seen
    }

    /// Nodes from which some ending can be reached.
    fn can_finish(&self) -> Vec<bool> {
        let mut done = vec![false; self.edges.len()];
        loop {
            let mut changed = false;
            for (n, edges) in self.edges.iter().enumerate() {
                if done.get(n).copied().unwrap_or(true) {
                    continue;
                }
                let finishes = edges.iter().any(|(t, _)| match *t {
                    Target::Ending(_) => true,
                    Target::Node(m) => done.get(m).copied().unwrap_or(false),
                });
                if finishes && let Some(flag) = done.get_mut(n) {
                    *flag = true;
                    changed = true;
                }
            }
            if !changed {
                return done;
            }
        }
    }

    /// Outcomes of the endings reachable from the start without a critical choice.
    pub fn reachable_outcomes(&self) -> HashSet<Outcome> {
        let reachable = self.reachable();
        self.edges
            .iter()
            .enumerate()
            .filter(|(n, _)| reachable.get(*n).copied().unwrap_or(false))
            .flat_map(|(_, e)| e.iter())
            .filter_map(|(t, _)| match *t {
                Target::Ending(i) => self.scenario.endings.get(i).map(|e| e.outcome),
                Target::Node(_) => None,
            })
            .collect()
    }

    /// The best score with which a Pass ending can be reached; `None` if unbounded or unreachable.
    fn best_pass_score(&self) -> Option<Option<i64>> {
        let n = self.edges.len();
        let start = self.start?;
        let mut best: Vec<Option<i64>> = vec![None; n];
        *best.get_mut(start)? = Some(0);
        // Bellman-Ford for the longest path: a relaxation in round n means a positive cycle.
        for round in 0..=n {
            let mut changed = false;
            for (from, edges) in self.edges.iter().enumerate() {
                let Some(base) = best.get(from).copied().flatten() else { continue };
                for (target, score) in edges {
                    if let Target::Node(to) = *target {
                        let candidate = base + i64::from(*score);
                        if let Some(slot) = best.get_mut(to)
                            && slot.is_none_or(|b| candidate > b)
                        {
                            *slot = Some(candidate);
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
            if round == n {
                return None;
            }
        }
        let pass = self.edges.iter().enumerate().flat_map(|(from, edges)| {
            edges.iter().filter_map(move |(t, score)| match *t {
                Target::Ending(i) => Some((from, i, *score)),
                Target::Node(_) => None,
            })
        });
        let best_at_pass = pass
            .filter(|(_, i, _)| self.scenario.endings.get(*i).is_some_and(|e| e.outcome == Outcome::Pass))
            .filter_map(|(from, _, score)| best.get(from).copied().flatten().map(|b| b + i64::from(score)))
            .max();
        Some(best_at_pass)
    }

    /// Every structural problem, node findings in node order.
    pub fn findings(&self) -> Vec<Finding> {
        let reachable = self.reachable();
        let can_finish = self.can_finish();
        let mut out = Vec::new();
        for (i, node) in self.scenario.nodes.iter().enumerate() {
            let has_choices = !node.choices.is_empty();
            if !reachable.get(i).copied().unwrap_or(false) {
                out.push(Finding::Unreachable(node.id.clone()));
            }
            if !has_choices {
                out.push(Finding::DeadEnd(node.id.clone()));
            } else if !can_finish.get(i).copied().unwrap_or(false)
                && reachable.get(i).copied().unwrap_or(false)
            {
                out.push(Finding::NoWayOut(node.id.clone()));
            }
        }
        if self.start.is_some() && !self.reachable_outcomes().contains(&Outcome::Pass) {
            out.push(Finding::NoPassReachable);
        } else if let (Some(needed), Some(Some(best))) = (self.scenario.pass_score, self.best_pass_score())
            && best < i64::from(needed)
        {
            out.push(Finding::PassScoreUnreachable { best, needed });
        } else if let Some(low) = super::runs::low_score_pass(self.scenario) {
            out.push(Finding::LowScorePass(low));
        }
        out
    }
}

/// Node ids named by `Visited` anywhere in a condition.
pub fn visited_refs(cond: &Condition) -> Vec<&str> {
    match cond {
        Condition::Visited(n) => vec![n.as_str()],
        Condition::All(cs) | Condition::Any(cs) => cs.iter().flat_map(visited_refs).collect(),
        _ => Vec::new(),
    }
}
