//! The scenario map: a scenario as a laid-out graph, for `faro map` and the author preview.
//!
//! [`ScenarioMap::new`] turns a [`Scenario`] and its [`ScenarioGraph`] analysis into nodes and
//! edges with positions; [`dot`] and [`svg`] write it out. Nothing here draws on a screen, so
//! every part is tested without a window.
//!
//! A critical choice ends the run, so it leads nowhere in the scenario. Each node with critical
//! choices gets one marker node, "(!) unsafe: run ends", one column to its right, and its critical
//! choices are edges to that marker: the map shows where a run can end badly without inventing a
//! target, and one marker per node keeps those edges short.

pub mod dot;
pub mod geometry;
mod label;
pub mod layout;
pub mod svg;

use std::collections::HashMap;

use crate::format::{Outcome, Scenario};
use crate::validate::{ScenarioGraph, Target};

pub use geometry::Rect;
pub use label::{short_label, text_width, wrap, wrap_to_width};

/// What a map node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A scenario node, where the learner chooses.
    Moment,
    /// An ending, with its outcome.
    Ending(Outcome),
    /// Where a node's critical choices lead: the run ends there.
    UnsafeEnd,
    /// A `goto` target that is neither a node nor an ending (the module does not validate).
    Missing,
}

/// One box on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapNode {
    /// The node or ending id; for a marker, `unsafe:<node id>`.
    pub id: String,
    /// A short label taken from the node's text (or the ending's summary).
    pub label: String,
    pub kind: NodeKind,
    /// Whether a run from the start can get here without a critical choice (or, for a marker,
    /// whether its node can be reached).
    pub reachable: bool,
    /// Whether the node is the scenario's start.
    pub start: bool,
    /// A scenario node with no choices: a run stops there with no ending (an error).
    pub dead_end: bool,
    /// Whether the best-scoring path to a Pass ending goes through it.
    pub on_best_path: bool,
    /// Column, counted from the start (0); unreachable nodes are in the last column.
    pub layer: usize,
    /// Top-left corner, in the abstract units of [`layout`].
    pub x: f32,
    pub y: f32,
    /// Size of the box: [`layout::NODE_WIDTH`] wide, as tall as its wrapped text.
    pub width: f32,
    pub height: f32,
    /// [`dot::node_heading`] wrapped to the box, drawn in bold at [`HEADING_SIZE`].
    pub heading_lines: Vec<String>,
    /// The label wrapped to the box, drawn at [`TEXT_SIZE`].
    pub lines: Vec<String>,
}

/// One choice on the map, from `from` to `to` (indices into [`ScenarioMap::nodes`]).
#[derive(Clone, Debug, PartialEq)]
pub struct MapEdge {
    pub from: usize,
    pub to: usize,
    /// The choice id.
    pub choice: String,
    /// A short label from the choice text.
    pub label: String,
    /// A critical (unsafe) choice: it ends the run.
    pub critical: bool,
    /// Points the choice adds to the score.
    pub score: i32,
    /// Whether the choice is offered only when a condition holds.
    pub conditional: bool,
    pub on_best_path: bool,
    /// [`dot::edge_text`] wrapped, drawn at [`EDGE_TEXT_SIZE`] in [`MapEdge::label_box`].
    pub lines: Vec<String>,
    /// Where the label goes, clear of every box and every other label.
    pub label_box: Rect,
    /// The arrow as a polyline from a side of its node to a side of its target: it bends only
    /// between columns, so drawing each bend as a curve keeps it clear of the boxes.
    pub route: Vec<(f32, f32)>,
}

/// A scenario laid out as a graph.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioMap {
    pub scenario: String,
    pub title: String,
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
    /// The choice ids of the best-scoring path to a Pass ending, from the start, and its score;
    /// `None` when no Pass ending can be reached or the score has no bound (a loop adds points).
    pub best_path: Option<(Vec<String>, i64)>,
    /// Width and height of the laid-out map, in layout units.
    pub width: f32,
    pub height: f32,
}

/// Longest node label, in characters, before it is cut with "…": a box recalls its moment's
/// first paragraph, it does not repeat it.
pub const NODE_LABEL_CHARS: usize = 120;
/// Longest choice label, in characters: longer than any choice of the bundled modules, so a
/// choice is shown whole, wrapped; only text built to be huge is cut.
pub const EDGE_LABEL_CHARS: usize = 600;
/// What marks an unsafe (critical) choice and where it ends, in the SVG, DOT and the app
/// (which says it in the UI language). Plain ASCII, because it must draw everywhere: the app's
/// only font (egui's Ubuntu Light) has no "⚠".
pub const UNSAFE_MARKER: &str = "(!) unsafe";
/// Bold text is about this much wider than regular text.
pub const BOLD_WIDTH: f32 = 1.1;
/// Font sizes and line heights of a box's heading and text, and of a choice label.
pub const HEADING_SIZE: f32 = 12.0;
pub const HEADING_LINE: f32 = 15.0;
pub const TEXT_SIZE: f32 = 11.0;
pub const TEXT_LINE: f32 = 14.0;
pub const EDGE_TEXT_SIZE: f32 = 10.0;
pub const EDGE_LINE: f32 = 12.5;
/// Room between a box's border and its text.
pub const BOX_PADDING: f32 = 9.0;
/// Room around a label's text inside its box.
pub const LABEL_PADDING: f32 = 3.0;
/// Widest line of a choice label.
pub const EDGE_LABEL_WIDTH: f32 = 170.0;

impl ScenarioMap {
    /// The map of `scenario`, with labels in `lang` (falling back as [`crate::format::Text::get`] does).
    pub fn new(scenario: &Scenario, lang: &str) -> Self {
        let graph = ScenarioGraph::new(scenario);
        let distances = graph.distances();
        let mut nodes: Vec<MapNode> = Vec::new();
        let node = |id: String, label: String, kind, reachable, start| MapNode {
            id,
            label,
            kind,
            reachable,
            start,
            dead_end: false,
            on_best_path: false,
            layer: 0,
            x: 0.0,
            y: 0.0,
            width: layout::NODE_WIDTH,
            height: 0.0,
            heading_lines: Vec::new(),
            lines: Vec::new(),
        };
        for (i, n) in scenario.nodes.iter().enumerate() {
            let reachable = distances.get(i).copied().flatten().is_some();
            let label = short_label(n.text.get(lang), NODE_LABEL_CHARS);
            let mut moment = node(n.id.clone(), label, NodeKind::Moment, reachable, n.id == scenario.start);
            moment.dead_end = n.choices.is_empty();
            nodes.push(moment);
        }
        let first_ending = nodes.len();
        for e in &scenario.endings {
            let label = short_label(e.summary.get(lang), NODE_LABEL_CHARS);
            nodes.push(node(e.id.clone(), label, NodeKind::Ending(e.outcome), false, false));
        }
        // Layers: a node's distance from the start; an ending or marker one column right of the
        // nearest reachable node that leads to it.
        let mut layer: Vec<Option<usize>> = distances.clone();
        layer.resize(nodes.len(), None);
        let mut edges: Vec<MapEdge> = Vec::new();
        // (node index, choice index) → edge index, to mark the best path without a search.
        let mut edge_of: HashMap<(usize, usize), usize> = HashMap::new();
        let mut missing: HashMap<&str, usize> = HashMap::new();
        for (from, n) in scenario.nodes.iter().enumerate() {
            let from_layer = distances.get(from).copied().flatten();
            let mut marker = None;
            for (c, choice) in n.choices.iter().enumerate() {
                let to = if choice.critical.is_some() {
                    *marker.get_or_insert_with(|| {
                        nodes.push(node(
                            format!("unsafe:{}", n.id),
                            "the run ends here".to_owned(),
                            NodeKind::UnsafeEnd,
                            from_layer.is_some(),
                            false,
                        ));
                        layer.push(from_layer.map(|l| l + 1));
                        nodes.len() - 1
                    })
                } else {
                    match graph.target(from, c) {
                        Some(Target::Node(i)) => i,
                        Some(Target::Ending(i)) => first_ending + i,
                        None => {
                            let Some(goto) = choice.goto.as_deref() else { continue };
                            *missing.entry(goto).or_insert_with(|| {
                                nodes.push(node(
                                    goto.to_owned(),
                                    format!("missing: no node or ending \"{goto}\""),
                                    NodeKind::Missing,
                                    false,
                                    false,
                                ));
                                layer.push(None);
                                nodes.len() - 1
                            })
                        }
                    }
                };
                if to >= first_ending
                    && let Some(l) = from_layer
                    && let (Some(slot), Some(target)) = (layer.get_mut(to), nodes.get_mut(to))
                {
                    *slot = Some(slot.map_or(l + 1, |old| old.min(l + 1)));
                    target.reachable = true;
                }
                edge_of.insert((from, c), edges.len());
                edges.push(MapEdge {
                    from,
                    to,
                    choice: choice.id.clone(),
                    label: short_label(choice.text.get(lang), EDGE_LABEL_CHARS),
                    critical: choice.critical.is_some(),
                    score: choice.score,
                    conditional: choice.when.is_some(),
                    on_best_path: false,
                    lines: Vec::new(),
                    label_box: Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 },
                    route: Vec::new(),
                });
            }
        }
        let best_path = graph.best_pass_path().map(|path| {
            let mut ids = Vec::new();
            for step in &path.choices {
                let Some(edge) = edge_of.get(step).and_then(|&e| edges.get_mut(e)) else { continue };
                edge.on_best_path = true;
                ids.push(edge.choice.clone());
                for end in [edge.from, edge.to] {
                    if let Some(n) = nodes.get_mut(end) {
                        n.on_best_path = true;
                    }
                }
            }
            (ids, path.score)
        });
        let last = layer.iter().flatten().max().map_or(0, |l| l + 1);
        let layers: Vec<usize> = layer.iter().map(|l| l.unwrap_or(last)).collect();
        let inner = layout::NODE_WIDTH - 2.0 * BOX_PADDING;
        for node in &mut nodes {
            node.heading_lines = wrap_to_width(&dot::node_heading(node), inner, HEADING_SIZE * BOLD_WIDTH);
            node.lines = wrap_to_width(&node.label, inner, TEXT_SIZE);
            node.height = 2.0 * BOX_PADDING
                + node.heading_lines.len() as f32 * HEADING_LINE
                + node.lines.len() as f32 * TEXT_LINE;
        }
        let mut inputs = Vec::with_capacity(edges.len());
        for edge in &mut edges {
            // A label on the best path is bold.
            let size = if edge.on_best_path { EDGE_TEXT_SIZE * BOLD_WIDTH } else { EDGE_TEXT_SIZE };
            edge.lines = wrap_to_width(&dot::edge_text(edge), EDGE_LABEL_WIDTH, size);
            let widest = edge.lines.iter().map(|l| text_width(l, size)).fold(0.0, f32::max);
            let size =
                (widest + 2.0 * LABEL_PADDING, edge.lines.len() as f32 * EDGE_LINE + 2.0 * LABEL_PADDING);
            inputs.push(layout::EdgeInput { from: edge.from, to: edge.to, label: size });
        }
        let heights: Vec<f32> = nodes.iter().map(|n| n.height).collect();
        let placed = layout::layout(&layers, &heights, &inputs);
        for ((n, l), (x, y)) in nodes.iter_mut().zip(&layers).zip(&placed.positions) {
            n.layer = *l;
            n.x = *x;
            n.y = *y;
        }
        for ((edge, route), (input, (x, y))) in
            edges.iter_mut().zip(placed.routes).zip(inputs.iter().zip(placed.labels))
        {
            edge.route = route;
            edge.label_box = Rect { x, y, w: input.label.0, h: input.label.1 };
        }
        Self {
            scenario: scenario.id.clone(),
            title: scenario.title.get(lang).to_owned(),
            nodes,
            edges,
            best_path,
            width: placed.width,
            height: placed.height,
        }
    }

    /// The node with this id (a marker's id is `unsafe:<node id>`).
    pub fn node(&self, id: &str) -> Option<&MapNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Every overlap and every arrow through a box ([`geometry::violations`]); none on a map
    /// laid out by [`ScenarioMap::new`].
    pub fn violations(&self) -> Vec<geometry::Violation> {
        let boxes: Vec<Rect> =
            self.nodes.iter().map(|n| Rect { x: n.x, y: n.y, w: n.width, h: n.height }).collect();
        let ends: Vec<(usize, usize)> = self.edges.iter().map(|e| (e.from, e.to)).collect();
        let arrows: Vec<Vec<(f32, f32)>> = self.edges.iter().map(|e| e.route.clone()).collect();
        let labels: Vec<Rect> = self.edges.iter().map(|e| e.label_box).collect();
        geometry::violations(&geometry::Shapes {
            boxes: &boxes,
            edges: &ends,
            arrows: &arrows,
            labels: &labels,
        })
    }
}

#[cfg(test)]
mod tests;
