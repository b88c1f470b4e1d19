//! The map as SVG, drawn by Faro from [`super::layout`], so no Graphviz is needed.
//!
//! The same styling rules as [`super::dot`]: critical choices red, dashed and labelled
//! "(!) unsafe"; endings with a shape and an outcome word; unreachable nodes grey and labelled;
//! the best path bold. A legend under the map says so in words.

use crate::markup::escape;
use std::fmt::Write;

use super::dot::{edge_text, node_heading, outcome_name};
use super::geometry::curves;
use super::{
    BOX_PADDING, EDGE_LINE, EDGE_TEXT_SIZE, HEADING_LINE, HEADING_SIZE, LABEL_PADDING, MapEdge, MapNode,
    NodeKind, ScenarioMap, TEXT_LINE, TEXT_SIZE,
};
use crate::format::Outcome;

const MARGIN: f32 = 30.0;
/// Room above the map for the title.
const HEADER: f32 = 40.0;
const LEGEND_ROW: f32 = 22.0;
const LEGEND_ROWS: usize = 7;

const INK: &str = "#222222";
const GREY: &str = "#8a8a8a";
const RED: &str = "#b00000";

/// The map as a standalone SVG document.
pub fn to_svg(map: &ScenarioMap) -> String {
    let legend_height = LEGEND_ROWS as f32 * LEGEND_ROW + 20.0;
    let width = (map.width + 2.0 * MARGIN).max(560.0);
    let height = HEADER + map.height + MARGIN + legend_height + MARGIN;
    let mut out = String::new();
    let _ = writeln!(out, r##"<?xml version="1.0" encoding="UTF-8"?>"##);
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12" role="img">"##
    );
    let title = format!("Scenario map: {} ({})", map.title, map.scenario);
    let _ = writeln!(out, "<title>{}</title>", escape(&title));
    out.push_str(concat!(
        "<defs>\n",
        r##"<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#222222"/></marker>"##,
        "\n",
        r##"<marker id="arrow-unsafe" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#b00000"/></marker>"##,
        "\n</defs>\n",
    ));
    let _ = writeln!(out, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        out,
        r##"<text x="{MARGIN}" y="26" font-size="16" font-weight="bold" fill="{INK}">{}</text>"##,
        escape(&title)
    );
    let origin = (MARGIN, HEADER);
    out.push_str("<g class=\"edges\">\n");
    for edge in &map.edges {
        let Some(from) = map.nodes.get(edge.from) else { continue };
        draw_edge(&mut out, edge, from, origin);
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for node in &map.nodes {
        draw_node(&mut out, node, node.x + origin.0, node.y + origin.1);
    }
    out.push_str("</g>\n");
    draw_legend(&mut out, map, MARGIN, HEADER + map.height + MARGIN);
    out.push_str("</svg>\n");
    out
}

fn draw_node(out: &mut String, node: &MapNode, x: f32, y: f32) {
    let (w, h) = (node.width, node.height);
    let (fill, stroke) = if !node.reachable {
        ("#eeeeee", GREY)
    } else {
        match node.kind {
            NodeKind::Moment | NodeKind::Missing => ("#ffffff", INK),
            NodeKind::Ending(Outcome::Pass) => ("#d8f0d8", "#2e6b2e"),
            NodeKind::Ending(Outcome::Fail) => ("#f6d6d6", "#8a2a2a"),
            NodeKind::Ending(Outcome::Neutral) => ("#e6e6f0", "#44446a"),
            NodeKind::UnsafeEnd => ("#ffe0e0", RED),
        }
    };
    let stroke_width = if node.on_best_path { 3.0 } else { 1.2 };
    let dash = if matches!(node.kind, NodeKind::UnsafeEnd | NodeKind::Missing) {
        r##" stroke-dasharray="6 4""##
    } else {
        ""
    };
    let paint = format!(r##"fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"{dash}"##);
    let heading = node_heading(node);
    let _ = writeln!(out, r##"<g class="node" id="{}">"##, escape(&format!("node-{}", node.id)));
    let _ = writeln!(out, "<title>{}</title>", escape(&format!("{heading}: {}", node.label)));
    match node.kind {
        NodeKind::Moment | NodeKind::Missing => {
            let _ = writeln!(out, r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10" {paint}/>"##);
        }
        NodeKind::Ending(Outcome::Pass) => {
            // A double border, as Graphviz's doubleoctagon: the shape says "Pass" without colour.
            let _ = writeln!(out, r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" {paint}/>"##);
            let _ = writeln!(
                out,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{stroke}" stroke-width="1"/>"##,
                x + 4.0,
                y + 4.0,
                w - 8.0,
                h - 8.0
            );
        }
        NodeKind::Ending(Outcome::Fail) | NodeKind::UnsafeEnd => {
            let _ = writeln!(out, r##"<polygon points="{}" {paint}/>"##, octagon(x, y, w, h));
        }
        NodeKind::Ending(Outcome::Neutral) => {
            // Round ends, as an ellipse would have, but room for every line of text.
            let radius = (h / 2.0).min(24.0);
            let _ =
                writeln!(out, r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{radius}" {paint}/>"##);
        }
    }
    let ink = if !node.reachable {
        "#555555"
    } else if node.kind == NodeKind::UnsafeEnd {
        RED
    } else {
        INK
    };
    let center = x + w / 2.0;
    // Baselines sit a quarter of a line above each line's bottom.
    let mut baseline = y + BOX_PADDING + HEADING_LINE - HEADING_LINE / 4.0;
    let _ = write!(
        out,
        r##"<text x="{center}" y="{baseline}" text-anchor="middle" font-size="{HEADING_SIZE}" font-weight="bold" fill="{ink}">"##
    );
    for (i, line) in node.heading_lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { HEADING_LINE };
        let _ = write!(out, r##"<tspan x="{center}" dy="{dy}">{}</tspan>"##, escape(line));
    }
    out.push_str("</text>\n");
    baseline += (node.heading_lines.len() as f32 - 1.0).max(0.0) * HEADING_LINE + TEXT_LINE;
    if !node.lines.is_empty() {
        let _ = write!(
            out,
            r##"<text x="{center}" y="{baseline}" text-anchor="middle" font-size="{TEXT_SIZE}" fill="{ink}">"##
        );
        for (i, line) in node.lines.iter().enumerate() {
            let dy = if i == 0 { 0.0 } else { TEXT_LINE };
            let _ = write!(out, r##"<tspan x="{center}" dy="{dy}">{}</tspan>"##, escape(line));
        }
        out.push_str("</text>\n");
    }
    out.push_str("</g>\n");
}

fn octagon(x: f32, y: f32, w: f32, h: f32) -> String {
    let c = 14.0;
    [
        (x + c, y),
        (x + w - c, y),
        (x + w, y + c),
        (x + w, y + h - c),
        (x + w - c, y + h),
        (x + c, y + h),
        (x, y + h - c),
        (x, y + c),
    ]
    .iter()
    .map(|(px, py)| format!("{px},{py}"))
    .collect::<Vec<_>>()
    .join(" ")
}

fn draw_edge(out: &mut String, edge: &MapEdge, from: &MapNode, origin: (f32, f32)) {
    let shift = |(x, y): (f32, f32)| (x + origin.0, y + origin.1);
    let mut path = String::new();
    for (i, piece) in curves(&edge.route).iter().enumerate() {
        let [a, b, c, d] = piece.map(shift);
        if i == 0 {
            let _ = write!(path, "M{},{}", a.0, a.1);
        }
        let _ = write!(path, " C{},{} {},{} {},{}", b.0, b.1, c.0, c.1, d.0, d.1);
    }
    let (stroke, width, dash, marker) = if edge.critical {
        (RED, 1.6, r##" stroke-dasharray="7 4""##, "arrow-unsafe")
    } else if edge.on_best_path {
        (INK, 3.5, "", "arrow")
    } else if !from.reachable {
        (GREY, 1.2, "", "arrow")
    } else {
        (INK, 1.2, "", "arrow")
    };
    let _ = writeln!(
        out,
        r##"<g class="edge"><title>{}</title>"##,
        escape(&format!("{}: {}", edge.choice, edge_text(edge)))
    );
    let _ = writeln!(
        out,
        r##"<path d="{path}" fill="none" stroke="{stroke}" stroke-width="{width}"{dash} marker-end="url(#{marker})"/>"##
    );
    let ink = if edge.critical {
        RED
    } else if from.reachable {
        INK
    } else {
        "#555555"
    };
    let weight = if edge.on_best_path { r##" font-weight="bold""## } else { "" };
    let label = edge.label_box;
    let (lx, ly) = shift((label.x, label.y));
    // A white box behind the label keeps it readable (`paint-order` halos are not drawn by
    // every SVG renderer); the layout keeps arrows out of it anyway.
    let _ = writeln!(
        out,
        r##"<rect x="{lx}" y="{ly}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.85" stroke="none"/>"##,
        label.w, label.h
    );
    let center = lx + label.w / 2.0;
    let baseline = ly + LABEL_PADDING + EDGE_LINE - EDGE_LINE / 4.0;
    let _ = write!(
        out,
        r##"<text x="{center}" y="{baseline}" text-anchor="middle" font-size="{EDGE_TEXT_SIZE}" fill="{ink}"{weight}>"##
    );
    for (i, line) in edge.lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { EDGE_LINE };
        let _ = write!(out, r##"<tspan x="{center}" dy="{dy}">{}</tspan>"##, escape(line));
    }
    out.push_str("</text></g>\n");
}

fn draw_legend(out: &mut String, map: &ScenarioMap, x: f32, y: f32) {
    let best = match &map.best_path {
        Some((_, score)) => format!("bold: the best-scoring path to a Pass ending (score {score})"),
        None => "bold: the best-scoring path to a Pass ending (none: no Pass ending can be reached, or a loop adds points without end)".to_owned(),
    };
    let rows: [(&str, String); LEGEND_ROWS] = [
        ("moment", "rounded box: a moment where the learner chooses (▶ marks the start)".to_owned()),
        ("pass", format!("double border, green: a {} ending", outcome_name(Outcome::Pass))),
        ("fail", format!("octagon, red: a {} ending", outcome_name(Outcome::Fail))),
        ("neutral", format!("round ends: a {} ending", outcome_name(Outcome::Neutral))),
        ("unsafe", "red dashed arrow, \"(!) unsafe\": a critical choice; the run ends there".to_owned()),
        ("unreachable", "grey, \"(unreachable)\": no run from the start gets there".to_owned()),
        ("best", best),
    ];
    let _ = writeln!(
        out,
        r##"<g class="legend"><text x="{x}" y="{}" font-weight="bold" fill="{INK}">Legend</text>"##,
        y + 4.0
    );
    for (i, (swatch, text)) in rows.iter().enumerate() {
        let top = y + 14.0 + i as f32 * LEGEND_ROW;
        let middle = top + 7.0;
        let sample = match *swatch {
            "moment" => format!(
                r##"<rect x="{x}" y="{top}" width="34" height="14" rx="4" fill="#ffffff" stroke="{INK}"/>"##
            ),
            "pass" => format!(
                r##"<rect x="{x}" y="{top}" width="34" height="14" fill="#d8f0d8" stroke="#2e6b2e" stroke-width="3"/>"##
            ),
            "fail" => {
                format!(r##"<polygon points="{}" fill="#f6d6d6" stroke="#8a2a2a"/>"##, octagon_small(x, top))
            }
            "neutral" => format!(
                r##"<rect x="{x}" y="{top}" width="34" height="14" rx="7" fill="#e6e6f0" stroke="#44446a"/>"##
            ),
            "unsafe" => format!(
                r##"<path d="M{x},{middle} L{},{middle}" stroke="{RED}" stroke-width="1.6" stroke-dasharray="7 4" marker-end="url(#arrow-unsafe)"/>"##,
                x + 34.0
            ),
            "unreachable" => format!(
                r##"<rect x="{x}" y="{top}" width="34" height="14" rx="4" fill="#eeeeee" stroke="{GREY}"/>"##
            ),
            _ => format!(
                r##"<path d="M{x},{middle} L{},{middle}" stroke="{INK}" stroke-width="3.5" marker-end="url(#arrow)"/>"##,
                x + 34.0
            ),
        };
        let _ = writeln!(
            out,
            r##"{sample}<text x="{}" y="{}" fill="{INK}">{}</text>"##,
            x + 46.0,
            middle + 4.0,
            escape(text)
        );
    }
    out.push_str("</g>\n");
}

fn octagon_small(x: f32, y: f32) -> String {
    let points = [
        (4.0, 0.0),
        (30.0, 0.0),
        (34.0, 4.0),
        (34.0, 10.0),
        (30.0, 14.0),
        (4.0, 14.0),
        (0.0, 10.0),
        (0.0, 4.0),
    ];
    points.iter().map(|(px, py)| format!("{},{}", x + px, y + py)).collect::<Vec<_>>().join(" ")
}
