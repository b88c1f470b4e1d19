//! Endings no run can reach: the map greys them "(unreachable)", and an ending nobody reads is
//! feedback (often the one that says what to do) that no learner will ever see.
//!
//! Conditions are ignored, as in [`super::graph`]: they only remove edges, so an ending
//! unreachable without them is unreachable with them.

use super::Found;
use super::graph::{ScenarioGraph, Target};
use crate::format::{Module, Scenario, Step};
use crate::load::{Anchor, Locator};

/// Reports, as errors, the endings of each scenario that no choice from a reachable node leads to.
pub(super) fn check(module: &Module, loc: &Locator<'_>, out: &mut Vec<Found>) {
    let mut after = loc.field(Anchor(0), "steps").unwrap_or(Anchor(0));
    for step in &module.steps {
        let at = loc.id(after, step.id());
        after = at;
        if let Step::Scenario(scenario) = step {
            let endings_at = loc.field(at, "endings").unwrap_or(at);
            for ending in unreachable_endings(scenario) {
                out.push(Found::error(
                    loc.id(endings_at, ending),
                    format!(
                        "ending \"{ending}\" in scenario \"{}\" is unreachable: no choice leads to it from the start (the map greys it); add a choice that leads to it, or remove it",
                        scenario.id
                    ),
                ));
            }
        }
    }
}

/// The ids of the endings no run from the start reaches, in file order. Nothing when the start
/// node is missing or a choice leads to an unknown id: those are reported on their own, and the
/// endings they cut off would only repeat them.
pub(super) fn unreachable_endings(scenario: &Scenario) -> Vec<&str> {
    if !scenario.nodes.iter().any(|n| n.id == scenario.start) {
        return Vec::new();
    }
    // A choice leading nowhere is reported with a did-you-mean; the ending it was meant for
    // would only echo it.
    let ids: std::collections::HashSet<&str> = scenario
        .nodes
        .iter()
        .map(|n| n.id.as_str())
        .chain(scenario.endings.iter().map(|e| e.id.as_str()))
        .collect();
    let leads_nowhere = scenario
        .nodes
        .iter()
        .flat_map(|n| &n.choices)
        .any(|c| c.critical.is_none() && c.goto.as_deref().is_some_and(|g| !ids.contains(g)));
    if leads_nowhere {
        return Vec::new();
    }
    let graph = ScenarioGraph::new(scenario);
    let mut reached = vec![false; scenario.endings.len()];
    for (node_index, (node, reachable)) in scenario.nodes.iter().zip(graph.reachable()).enumerate() {
        if !reachable {
            continue;
        }
        for choice_index in 0..node.choices.len() {
            if let Some(Target::Ending(e)) = graph.target(node_index, choice_index)
                && let Some(r) = reached.get_mut(e)
            {
                *r = true;
            }
        }
    }
    scenario.endings.iter().zip(reached).filter(|(_, r)| !r).map(|(e, _)| e.id.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Choice, Ending, Node, Outcome, Text};

    fn choice(id: &str, goto: &str) -> Choice {
        crate::load::ron_options()
            .from_str(&format!(r#"(id: "{id}", text: {{"en": "x"}}, goto: "{goto}")"#))
            .unwrap()
    }

    fn scenario(nodes: &[(&str, &[(&str, &str)])], endings: &[&str]) -> Scenario {
        Scenario {
            id: "s".into(),
            title: Text::default(),
            content_note: None,
            start: nodes[0].0.into(),
            nodes: nodes
                .iter()
                .map(|(id, choices)| Node {
                    id: (*id).into(),
                    text: Text::default(),
                    image: None,
                    choices: choices.iter().map(|(c, g)| choice(c, g)).collect(),
                })
                .collect(),
            endings: endings
                .iter()
                .map(|id| Ending {
                    id: (*id).into(),
                    outcome: Outcome::Pass,
                    summary: Text::default(),
                    claims: vec![],
                })
                .collect(),
            pass_score: None,
            requires: vec![],
        }
    }

    #[test]
    fn an_ending_led_to_only_from_an_unreachable_node_is_unreachable() {
        let s = scenario(
            &[("start", &[("a", "done")]), ("orphan", &[("b", "lost")])],
            &["done", "lost", "never"],
        );
        assert_eq!(unreachable_endings(&s), vec!["lost", "never"]);
    }

    #[test]
    fn a_choice_leading_to_an_unknown_id_reports_no_ending() {
        let s = scenario(&[("start", &[("a", "done"), ("b", "dnoe")])], &["done", "other"]);
        assert!(unreachable_endings(&s).is_empty());
    }

    #[test]
    fn a_missing_start_reports_no_ending() {
        let mut s = scenario(&[("start", &[("a", "done")])], &["done", "other"]);
        s.start = "nowhere".into();
        assert!(unreachable_endings(&s).is_empty());
    }
}
