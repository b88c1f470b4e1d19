//! Scenario graph analysis: reachability, dead ends, cycles with no way out, reachable outcomes.
//!
//! Conditions (`when`) are ignored here: they can only remove edges, so a node unreachable
//! without them is unreachable with them, and a score bound without them is an upper bound.

use std::collections::{HashMap, HashSet, VecDeque};

use super::budget::{MODULE_SEARCH_BUDGET, SearchBudget};
use super::runs::TooComplex;
use crate::format::{Condition, Outcome, Scenario};

/// Where a choice leads, resolved: an index into the scenario's nodes or endings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Node(usize),
    Ending(usize),
}

/// One non-critical choice with a known target.
#[derive(Clone, Copy, Debug)]
struct Edge {
    target: Target,
    score: i32,
    /// Index of the choice in its node.
    choice: usize,
}

/// A scenario as an index-based graph of non-critical choices.
pub struct ScenarioGraph<'a> {
    scenario: &'a Scenario,
    /// For each node, its edges; critical choices leave the graph.
    edges: Vec<Vec<Edge>>,
    start: Option<usize>,
}

/// The best-scoring way from the start to a Pass ending (conditions ignored, so an upper bound).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BestPassPath {
    pub score: i64,
    /// Index of the Pass ending in `scenario.endings`.
    pub ending: usize,
    /// (node index, choice index in that node), from the start.
    pub choices: Vec<(usize, usize)>,
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
    /// A search ran out of the module's budget before this scenario was checked fully: an
    /// error in a publisher's pack (it must be checkable), a warning in an author's folder.
    TooComplex,
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
            Finding::TooComplex => format!(
                "scenario \"{scenario}\" is too complex to check fully: simplify the scenario \
                 (fewer choices that loop back, fewer flags and nodes read by conditions, or fewer \
                 distinct scores), or split the module; the checks of its runs stopped at the \
                 budget every module has for them"
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
                    .enumerate()
                    .filter(|(_, c)| c.critical.is_none())
                    .filter_map(|(choice, c)| {
                        let goto = c.goto.as_deref()?;
                        let target = node_index
                            .get(goto)
                            .map(|&i| Target::Node(i))
                            .or_else(|| ending_index.get(goto).map(|&i| Target::Ending(i)))?;
                        Some(Edge { target, score: c.score, choice })
                    })
                    .collect()
            })
            .collect();
        let start = node_index.get(scenario.start.as_str()).copied();
        Self { scenario, edges, start }
    }

    /// Where the choice at `node`, `choice` leads, if it is not critical and its target exists.
    pub fn target(&self, node: usize, choice: usize) -> Option<Target> {
        self.edges.get(node)?.iter().find(|e| e.choice == choice).map(|e| e.target)
    }

    /// For each node, the fewest choices from the start to it; `None` if it is unreachable.
    pub fn distances(&self) -> Vec<Option<usize>> {
        let mut distance = vec![None; self.edges.len()];
        let Some(start) = self.start else { return distance };
        let mut queue = VecDeque::from([start]);
        if let Some(d) = distance.get_mut(start) {
            *d = Some(0);
        }
        while let Some(n) = queue.pop_front() {
            let next = distance.get(n).copied().flatten().map_or(0, |d| d + 1);
            for edge in self.edges.get(n).into_iter().flatten() {
                if let Target::Node(m) = edge.target
                    && let Some(d) = distance.get_mut(m)
                    && d.is_none()
                {
                    *d = Some(next);
                    queue.push_back(m);
                }
            }
        }
        distance
    }

    /// Nodes reachable from the start.
    pub fn reachable(&self) -> Vec<bool> {
        self.distances().iter().map(Option::is_some).collect()
    }

    /// Nodes from which some ending can be reached: a worklist over reverse edges, from the
    /// nodes with a choice that ends the run (each edge is looked at once).
    fn can_finish(&self) -> Vec<bool> {
        let n = self.edges.len();
        let mut leads_here: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut done = vec![false; n];
        let mut work = Vec::new();
        for (from, edges) in self.edges.iter().enumerate() {
            for edge in edges {
                match edge.target {
                    Target::Ending(_) if !done[from] => {
                        done[from] = true;
                        work.push(from);
                    }
                    Target::Ending(_) => {}
                    Target::Node(to) => leads_here[to].push(from),
                }
            }
        }
        while let Some(node) = work.pop() {
            for &from in &leads_here[node] {
                if !done[from] {
                    done[from] = true;
                    work.push(from);
                }
            }
        }
        done
    }

    /// Outcomes of the endings reachable from the start without a critical choice.
    pub fn reachable_outcomes(&self) -> HashSet<Outcome> {
        self.outcomes_from(&self.reachable())
    }

    /// Outcomes of the endings that the `reachable` nodes lead to.
    fn outcomes_from(&self, reachable: &[bool]) -> HashSet<Outcome> {
        self.edges
            .iter()
            .enumerate()
            .filter(|(n, _)| reachable.get(*n).copied().unwrap_or(false))
            .flat_map(|(_, e)| e.iter())
            .filter_map(|e| match e.target {
                Target::Ending(i) => self.scenario.endings.get(i).map(|e| e.outcome),
                Target::Node(_) => None,
            })
            .collect()
    }

    /// The best score with which a Pass ending can be reached: `Some(None)` if none can be,
    /// `None` if there is no bound (a cycle that adds points is reachable) or the search ran out
    /// of budget.
    #[cfg(test)]
    fn best_pass_score(&self) -> Option<Option<i64>> {
        self.best_pass(&SearchBudget::new(MODULE_SEARCH_BUDGET)).ok()?.map(|best| best.map(|b| b.score))
    }

    /// The best-scoring path from the start to a Pass ending; `None` if no Pass ending can be
    /// reached, or the score has no bound (see [`Self::best_pass`]).
    pub fn best_pass_path(&self) -> Option<BestPassPath> {
        self.best_pass(&SearchBudget::new(MODULE_SEARCH_BUDGET)).ok().flatten().flatten()
    }

    /// The best path to a Pass ending: `Some(None)` if none can be reached, `None` if there is
    /// no bound (a cycle that adds points is reachable); [`TooComplex`] if the module's budget
    /// ran out first.
    ///
    /// Longest paths over the strongly connected components in topological order: linear on the
    /// acyclic parts, which is all of a chain or a tree. Inside a cycle, points can only be kept
    /// or lost when no choice of the cycle adds any, and a priority queue finds the best in
    /// O(e log n); a cycle with a choice that adds points needs Bellman-Ford (real cycles, "try
    /// again" loops, are a few nodes). Every relaxation draws a step from the module's budget. Each node remembers the choice that last improved it, so the path can be read
    /// back from the ending.
    fn best_pass(&self, budget: &SearchBudget<'_>) -> Result<Option<Option<BestPassPath>>, TooComplex> {
        let Some(start) = self.start else { return Ok(None) };
        let n = self.edges.len();
        let successors: Vec<Vec<usize>> = self
            .edges
            .iter()
            .map(|edges| {
                edges
                    .iter()
                    .filter_map(|e| match e.target {
                        Target::Node(m) => Some(m),
                        Target::Ending(_) => None,
                    })
                    .collect()
            })
            .collect();
        let components = strongly_connected(&successors);
        let mut component_of = vec![0usize; n];
        for (c, members) in components.iter().enumerate() {
            for &node in members {
                component_of[node] = c;
            }
        }
        let edge_count: usize = self.edges.iter().map(Vec::len).sum();
        if !budget.take((n + edge_count) as u64) {
            return Err(TooComplex);
        }
        let mut best: Vec<Option<i64>> = vec![None; n];
        // The (node, choice) that gave each node its best score.
        let mut came_from: Vec<Option<(usize, usize)>> = vec![None; n];
        best[start] = Some(0);
        for (c, members) in components.iter().enumerate() {
            if members.iter().all(|&m| best[m].is_none()) {
                continue;
            }
            let component_of = &component_of;
            let internal = move |from: usize| {
                self.edges[from].iter().filter_map(move |e| match e.target {
                    Target::Node(to) if component_of[to] == c => Some((to, i64::from(e.score), e.choice)),
                    _ => None,
                })
            };
            let gains = members.iter().any(|&m| internal(m).any(|(_, score, _)| score > 0));
            if gains {
                // Bellman-Ford inside the component: a change in round |members| is a cycle
                // that adds points, so the score has no bound.
                for round in 0..=members.len() {
                    let mut changed = false;
                    for &from in members {
                        let Some(base) = best[from] else { continue };
                        for (to, score, choice) in internal(from) {
                            if !budget.take(1) {
                                return Err(TooComplex);
                            }
                            if best[to].is_none_or(|b| base + score > b) {
                                best[to] = Some(base + score);
                                came_from[to] = Some((from, choice));
                                changed = true;
                            }
                        }
                    }
                    if !changed {
                        break;
                    }
                    if round == members.len() {
                        return Ok(None);
                    }
                }
            } else if members.len() > 1 {
                // Every choice inside keeps or loses points: Dijkstra, best first.
                let mut queue: std::collections::BinaryHeap<(i64, usize)> =
                    members.iter().filter_map(|&m| best[m].map(|b| (b, m))).collect();
                while let Some((value, from)) = queue.pop() {
                    if best[from] != Some(value) {
                        continue;
                    }
                    for (to, score, choice) in internal(from) {
                        if !budget.take(1) {
                            return Err(TooComplex);
                        }
                        if best[to].is_none_or(|b| value + score > b) {
                            best[to] = Some(value + score);
                            came_from[to] = Some((from, choice));
                            queue.push((value + score, to));
                        }
                    }
                }
            }
            // Then out of the component, to later ones.
            for &from in members {
                let Some(base) = best[from] else { continue };
                for edge in &self.edges[from] {
                    if let Target::Node(to) = edge.target
                        && component_of[to] != c
                    {
                        let candidate = base + i64::from(edge.score);
                        if best[to].is_none_or(|b| candidate > b) {
                            best[to] = Some(candidate);
                            came_from[to] = Some((from, edge.choice));
                        }
                    }
                }
            }
        }
        let best_at_pass = self
            .edges
            .iter()
            .enumerate()
            .flat_map(|(from, edges)| edges.iter().map(move |e| (from, *e)))
            .filter_map(|(from, edge)| match edge.target {
                Target::Ending(i)
                    if self.scenario.endings.get(i).is_some_and(|e| e.outcome == Outcome::Pass) =>
                {
                    best[from].map(|b| (b + i64::from(edge.score), from, edge.choice, i))
                }
                _ => None,
            })
            // The first of equal scores, in file order, so the answer does not change run to run.
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
        let Some((score, last_node, last_choice, ending)) = best_at_pass else { return Ok(Some(None)) };
        // Improvements are strict, so following `came_from` never loops; the bound is a guard.
        let mut choices = vec![(last_node, last_choice)];
        let mut at = last_node;
        while at != start && choices.len() <= n {
            let Some(step) = came_from[at] else { break };
            choices.push(step);
            at = step.0;
        }
        choices.reverse();
        Ok(Some(Some(BestPassPath { score, ending, choices })))
    }

    /// Every structural problem, node findings in node order; the searches draw from `budget`,
    /// and a scenario they could not finish gets [`Finding::TooComplex`].
    pub fn findings(&self, budget: &SearchBudget<'_>) -> Vec<Finding> {
        // Reachability and the way out are one linear pass each over the edges.
        let edge_count: usize = self.edges.iter().map(Vec::len).sum();
        if !budget.take(2 * (self.edges.len() + edge_count) as u64) {
            return vec![Finding::TooComplex];
        }
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
        if self.start.is_some() && !self.outcomes_from(&reachable).contains(&Outcome::Pass) {
            out.push(Finding::NoPassReachable);
            return out;
        }
        let Some(needed) = self.scenario.pass_score else { return out };
        match self.best_pass(budget) {
            Err(TooComplex) => out.push(Finding::TooComplex),
            Ok(Some(Some(best))) if best.score < i64::from(needed) => {
                out.push(Finding::PassScoreUnreachable { best: best.score, needed });
            }
            Ok(_) => match super::runs::low_score_pass(self.scenario, budget) {
                Ok(Some(low)) => out.push(Finding::LowScorePass(low)),
                Ok(None) => {}
                Err(TooComplex) => out.push(Finding::TooComplex),
            },
        }
        out
    }
}

/// The strongly connected components of a graph given as successor lists, in topological order:
/// every edge between two components goes from an earlier one to a later one. Tarjan's
/// algorithm, with an explicit stack so that a long chain cannot overflow the call stack.
fn strongly_connected(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = successors.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // The depth-first walk: (node, how many of its successors have been looked at).
        let mut walk: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = walk.last_mut() {
            let node = top.0;
            if index[node] == UNSEEN {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = successors[node].get(top.1) {
                top.1 += 1;
                if index[next] == UNSEEN {
                    walk.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            walk.pop();
            if let Some(&(parent, _)) = walk.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    // Tarjan finishes a component after every component it leads to.
    components.reverse();
    components
}

/// Node ids named by `Visited` anywhere in a condition.
pub fn visited_refs(cond: &Condition) -> Vec<&str> {
    match cond {
        Condition::Visited(n) => vec![n.as_str()],
        Condition::All(cs) | Condition::Any(cs) => cs.iter().flat_map(visited_refs).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::runs::test_scenarios::{choice, text};
    use super::*;
    use crate::format::{Ending, Node};

    /// Nodes as (id, [(goto, score)]); the first is the start; endings "pass" and "fail".
    fn scenario(nodes: &[(&str, &[(&str, i32)])], pass_score: Option<i32>) -> Scenario {
        Scenario {
            id: "s".into(),
            title: text(),
            content_note: None,
            start: nodes[0].0.into(),
            nodes: nodes
                .iter()
                .map(|(id, choices)| Node {
                    id: (*id).into(),
                    text: text(),
                    image: None,
                    choices: choices
                        .iter()
                        .map(|(goto, score)| choice(&format!("to-{goto}"), goto, *score))
                        .collect(),
                })
                .collect(),
            endings: vec![
                Ending { id: "pass".into(), outcome: Outcome::Pass, summary: text(), claims: Vec::new() },
                Ending { id: "fail".into(), outcome: Outcome::Fail, summary: text(), claims: Vec::new() },
            ],
            pass_score,
            requires: Vec::new(),
        }
    }

    fn best(s: &Scenario) -> Option<Option<i64>> {
        ScenarioGraph::new(s).best_pass_score()
    }

    #[test]
    fn best_score_takes_the_best_branch() {
        let s = scenario(
            &[("a", &[("b", 1), ("c", 5)]), ("b", &[("pass", 2)]), ("c", &[("pass", 0), ("fail", 9)])],
            Some(6),
        );
        assert_eq!(best(&s), Some(Some(5)));
        assert!(
            ScenarioGraph::new(&s)
                .findings(&SearchBudget::new(MODULE_SEARCH_BUDGET))
                .contains(&Finding::PassScoreUnreachable { best: 5, needed: 6 })
        );
    }

    #[test]
    fn best_path_names_the_choices_that_reach_the_best_score() {
        let s = scenario(
            &[("a", &[("b", 1), ("c", 5)]), ("b", &[("pass", 2)]), ("c", &[("pass", 0), ("fail", 9)])],
            None,
        );
        let path = ScenarioGraph::new(&s).best_pass_path().unwrap();
        assert_eq!(path, BestPassPath { score: 5, ending: 0, choices: vec![(0, 1), (2, 0)] });
        // Through a loop that loses points, the path leaves the loop at once.
        let s = scenario(&[("a", &[("b", 0), ("pass", 1)]), ("b", &[("a", -1), ("pass", 2)])], None);
        let path = ScenarioGraph::new(&s).best_pass_path().unwrap();
        assert_eq!((path.score, path.choices), (2, vec![(0, 0), (1, 1)]));
        // No Pass ending reachable, or no bound: no path.
        let s = scenario(&[("a", &[("fail", 1)])], None);
        assert_eq!(ScenarioGraph::new(&s).best_pass_path(), None);
        let s = scenario(&[("a", &[("a", 1), ("pass", 0)])], None);
        assert_eq!(ScenarioGraph::new(&s).best_pass_path(), None);
    }

    #[test]
    fn distances_count_choices_from_the_start() {
        let s = scenario(
            &[("a", &[("b", 0), ("c", 0)]), ("b", &[("c", 0)]), ("c", &[("pass", 0)]), ("x", &[])],
            None,
        );
        assert_eq!(ScenarioGraph::new(&s).distances(), vec![Some(0), Some(1), Some(1), None]);
    }

    #[test]
    fn a_loop_that_keeps_or_loses_points_bounds_the_score() {
        // a ⇄ b loses a point per round; the best is to leave b at once.
        let s = scenario(&[("a", &[("b", 0), ("pass", 1)]), ("b", &[("a", -1), ("pass", 2)])], Some(3));
        assert_eq!(best(&s), Some(Some(2)));
        // A loop with a choice that adds points, but no round that gains any: still bounded.
        let s = scenario(&[("a", &[("b", 2)]), ("b", &[("a", -3), ("pass", 0)])], Some(3));
        assert_eq!(best(&s), Some(Some(2)));
        assert!(
            ScenarioGraph::new(&s)
                .findings(&SearchBudget::new(MODULE_SEARCH_BUDGET))
                .contains(&Finding::PassScoreUnreachable { best: 2, needed: 3 })
        );
    }

    #[test]
    fn a_loop_that_gains_points_has_no_bound() {
        let s = scenario(&[("a", &[("b", 1)]), ("b", &[("a", 0), ("pass", 0)])], Some(100));
        assert_eq!(best(&s), None);
        let s = scenario(&[("a", &[("a", 1), ("pass", 0)])], Some(100));
        assert_eq!(best(&s), None);
        // Unreachable, it does not count.
        let s = scenario(&[("a", &[("pass", 1)]), ("x", &[("y", 1)]), ("y", &[("x", 1)])], Some(2));
        assert_eq!(best(&s), Some(Some(1)));
    }

    #[test]
    fn components_come_in_topological_order() {
        // 0 → 1 ⇄ 2 → 3, and 4 alone.
        let successors = vec![vec![1], vec![2], vec![1, 3], vec![], vec![]];
        let components = strongly_connected(&successors);
        let position = |node: usize| components.iter().position(|c| c.contains(&node)).unwrap();
        assert_eq!(components.len(), 4);
        assert_eq!(position(1), position(2));
        assert!(position(0) < position(1) && position(2) < position(3));
    }

    #[test]
    fn a_long_chain_is_checked_without_deep_recursion() {
        let ids: Vec<String> = (0..50_000).map(|i| format!("n{i}")).collect();
        let mut nodes: Vec<(&str, Vec<(&str, i32)>)> =
            ids.windows(2).map(|w| (w[0].as_str(), vec![(w[1].as_str(), 1)])).collect();
        nodes.push((ids.last().unwrap(), vec![("pass", 1)]));
        let nodes: Vec<(&str, &[(&str, i32)])> = nodes.iter().map(|(id, c)| (*id, c.as_slice())).collect();
        let s = scenario(&nodes, Some(50_001));
        let graph = ScenarioGraph::new(&s);
        assert_eq!(graph.best_pass_score(), Some(Some(50_000)));
        assert_eq!(graph.best_pass_path().map(|p| p.choices.len()), Some(50_000));
        assert!(graph.can_finish().iter().all(|&f| f));
        assert_eq!(
            graph.findings(&SearchBudget::new(MODULE_SEARCH_BUDGET)),
            vec![Finding::PassScoreUnreachable { best: 50_000, needed: 50_001 }]
        );
    }
}
