//! Where a scenario's nodes, choices and endings are written, so policy findings and the policy
//! page point at the line a reviewer fixes.

use crate::format::{Module, Scenario, Step};
use crate::load::{Anchor, Locator};

/// The anchors of one scenario, in the order of its nodes, choices and endings.
pub(crate) struct ScenarioPlaces {
    pub at: Anchor,
    /// For each node: its own anchor and one per choice.
    pub nodes: Vec<(Anchor, Vec<Anchor>)>,
    pub endings: Vec<Anchor>,
}

impl ScenarioPlaces {
    /// The anchor of choice `choice` of node `node`, or the scenario's.
    pub fn choice(&self, node: usize, choice: usize) -> Anchor {
        self.nodes.get(node).and_then(|(_, choices)| choices.get(choice)).copied().unwrap_or(self.at)
    }

    /// The anchor of ending `ending`, or the scenario's.
    pub fn ending(&self, ending: usize) -> Anchor {
        self.endings.get(ending).copied().unwrap_or(self.at)
    }
}

/// Each scenario of `module` with its places, in step order (one pass, as the validator does:
/// "the first `id:` after the parent's place").
pub(crate) fn scenarios<'m>(module: &'m Module, loc: &Locator<'_>) -> Vec<(&'m Scenario, ScenarioPlaces)> {
    let top = Anchor(0);
    let mut after = loc.field(top, "steps").unwrap_or(top);
    let mut out = Vec::new();
    for step in &module.steps {
        let at = loc.id(after, step.id());
        after = at;
        let Step::Scenario(s) = step else { continue };
        let mut node_after = loc.field(at, "nodes").unwrap_or(at);
        let nodes = s
            .nodes
            .iter()
            .map(|node| {
                let node_at = loc.id(node_after, &node.id);
                node_after = node_at;
                let mut choice_after = node_at;
                let choices = node
                    .choices
                    .iter()
                    .map(|c| {
                        choice_after = loc.id(choice_after, &c.id);
                        choice_after
                    })
                    .collect();
                (node_at, choices)
            })
            .collect();
        let mut ending_after = loc.field(at, "endings").unwrap_or(at);
        let endings = s
            .endings
            .iter()
            .map(|e| {
                ending_after = loc.id(ending_after, &e.id);
                ending_after
            })
            .collect();
        out.push((s, ScenarioPlaces { at, nodes, endings }));
    }
    out
}
