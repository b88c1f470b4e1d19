//! The map as Graphviz DOT, for reviews with the tools people already use (`dot -Tpng`).
//!
//! Styling never relies on colour alone: critical choices are red, dashed and labelled
//! "(!) unsafe"; endings have a shape per outcome and say "Pass", "Fail" or "Neutral";
//! unreachable nodes are grey and say "(unreachable)"; the best path is bold.

use std::fmt::Write;

use super::{MapEdge, MapNode, NodeKind, ScenarioMap};
use crate::format::Outcome;

/// The map as a DOT digraph, laid out left to right.
pub fn to_dot(map: &ScenarioMap) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&map.scenario));
    let _ = writeln!(out, "  label={};", quote(&format!("{} ({})", map.title, map.scenario)));
    out.push_str("  labelloc=t;\n  rankdir=LR;\n");
    out.push_str("  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n");
    out.push_str("  edge [fontname=\"sans-serif\"];\n");
    for (i, node) in map.nodes.iter().enumerate() {
        let _ = writeln!(out, "  n{i} [{}];", node_attributes(node));
    }
    for edge in &map.edges {
        let _ = writeln!(out, "  n{} -> n{} [{}];", edge.from, edge.to, edge_attributes(edge));
    }
    out.push_str("}\n");
    out
}

/// The words that say what a node is, beside its colour and shape.
pub fn node_heading(node: &MapNode) -> String {
    let mut heading = match node.kind {
        NodeKind::Moment if node.start => format!("▶ start: {}", node.id),
        NodeKind::Moment => node.id.clone(),
        NodeKind::Ending(outcome) => format!("{}: {}", outcome_name(outcome), node.id),
        NodeKind::UnsafeEnd => super::UNSAFE_MARKER.to_owned(),
        NodeKind::Missing => "✖ missing".to_owned(),
    };
    if !node.reachable && node.kind != NodeKind::Missing {
        heading.push_str(" (unreachable)");
    }
    if node.dead_end {
        heading.push_str(" (dead end)");
    }
    heading
}

/// "Pass", "Fail" or "Neutral".
pub fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "Pass",
        Outcome::Fail => "Fail",
        Outcome::Neutral => "Neutral",
    }
}

/// The label of a choice: "(!) unsafe: " for a critical one, its score and condition after.
pub fn edge_text(edge: &MapEdge) -> String {
    edge_text_marked(edge, super::UNSAFE_MARKER)
}

/// [`edge_text`] with `marker` (the app's, in the UI language) before a critical choice.
pub fn edge_text_marked(edge: &MapEdge, marker: &str) -> String {
    let mut text = if edge.critical { format!("{marker}: {}", edge.label) } else { edge.label.clone() };
    if edge.score != 0 {
        let _ = write!(text, " ({:+})", edge.score);
    }
    if edge.conditional {
        text.push_str(" [if…]");
    }
    text
}

fn node_attributes(node: &MapNode) -> String {
    let (shape, fill) = match node.kind {
        NodeKind::Moment => ("box", "#ffffff"),
        NodeKind::Ending(Outcome::Pass) => ("doubleoctagon", "#d8f0d8"),
        NodeKind::Ending(Outcome::Fail) => ("octagon", "#f6d6d6"),
        NodeKind::Ending(Outcome::Neutral) => ("ellipse", "#e6e6f0"),
        NodeKind::UnsafeEnd => ("octagon", "#ffe0e0"),
        NodeKind::Missing => ("box", "#ffffff"),
    };
    let mut style = vec!["filled"];
    if node.kind == NodeKind::Moment {
        style.push("rounded");
    }
    if matches!(node.kind, NodeKind::UnsafeEnd | NodeKind::Missing) {
        style.push("dashed");
    }
    if node.on_best_path {
        style.push("bold");
    }
    // Wrapped as on the SVG (Graphviz does not wrap), so boxes stay narrow.
    let label = format!("{}\n{}", node.heading_lines.join("\n"), node.lines.join("\n"));
    let fill = if node.reachable { fill } else { "#eeeeee" };
    let mut attributes = format!(
        "shape={shape}, style={}, fillcolor=\"{fill}\", label={}",
        quote(&style.join(",")),
        quote(&label)
    );
    if !node.reachable {
        attributes.push_str(", color=grey55, fontcolor=grey40");
    } else if node.kind == NodeKind::UnsafeEnd {
        attributes.push_str(", color=red3, fontcolor=red3");
    }
    if node.on_best_path {
        attributes.push_str(", penwidth=3");
    }
    attributes
}

fn edge_attributes(edge: &MapEdge) -> String {
    let mut attributes = format!("label={}", quote(&edge.lines.join("\n")));
    if edge.critical {
        attributes.push_str(", color=red3, fontcolor=red3, style=dashed");
    } else if edge.on_best_path {
        attributes.push_str(", style=bold, penwidth=3");
    }
    attributes
}

/// A DOT double-quoted string. Backslashes are doubled so that an author's `\N` or `\l` is text
/// rather than a Graphviz escape; a newline becomes `\n`, which Graphviz draws as a line break.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
