//! The scenario map widget of the author preview. Layout and arrows come from the core
//! ([`crate::map`], [`crate::map::geometry`]); this only draws them. Every box is a widget with a
//! label that says what colour and line style say (start, ending and outcome, unsafe, unreachable,
//! best path), so nothing is told by colour alone; a moment is a button that previews it.

use egui::{Color32, Pos2, Rect, Stroke, Vec2};

use crate::app::strings::studio::StudioStrings;
use crate::app::theme::{Accent, Theme, accent};
use crate::app::widgets::speech;
use crate::format::Outcome;
use crate::map::layout::{NODE_HEIGHT, NODE_WIDTH};
use crate::map::{MapNode, NodeKind, ScenarioMap, geometry};
use crate::preview::Place;

const MARGIN: f32 = 24.0;

/// Draws `map` (of the scenario `scenario_id`) in a scroll area; returns the moment clicked, to
/// preview it.
pub fn ui(
    ui: &mut egui::Ui,
    map: &ScenarioMap,
    scenario_id: &str,
    s: &StudioStrings,
    theme: Theme,
) -> Option<Place> {
    let mut clicked = None;
    let title = s.map_title.replace("{title}", &map.title);
    let best = match &map.best_path {
        Some((_, points)) => s.map_best_score.replace("{points}", &points.to_string()),
        None => s.map_no_best_path.to_owned(),
    };
    ui.heading(&title);
    ui.label(s.map_help);
    ui.label(&best);
    // The focus lands on the start moment, which carries what the map is, for a screen reader.
    let context = speech::joined([title.as_str(), s.map_help, best.as_str()]);
    ui.separator();
    egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
        let size = Vec2::new(map.width + 2.0 * MARGIN, map.height + geometry::BACK_ARROW_ROOM + 2.0 * MARGIN);
        let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
        let origin = rect.min + Vec2::splat(MARGIN);
        let at = |(x, y): (f32, f32)| origin + Vec2::new(x, y);
        let ink = ui.visuals().text_color();
        let weak = ui.visuals().weak_text_color();
        let bad = accent(theme, Accent::Bad);
        let painter = ui.painter_at(rect);
        for (edge, curve) in map.edges.iter().zip(geometry::curves(map)) {
            let reachable = map.nodes.get(edge.from).is_some_and(|n| n.reachable);
            let (colour, width) = if edge.critical {
                (bad, 1.6)
            } else if edge.on_best_path {
                (ink, 3.5)
            } else if reachable {
                (ink, 1.2)
            } else {
                (weak, 1.2)
            };
            let points = curve.points.map(at);
            let bezier = egui::epaint::CubicBezierShape::from_points_stroke(
                points,
                false,
                Color32::TRANSPARENT,
                Stroke::new(width, colour),
            );
            if edge.critical {
                // Dashed as well as red: a critical choice must not be told by colour alone.
                let flat: Vec<Pos2> = bezier.flatten(Some(0.5));
                painter.extend(egui::Shape::dashed_line(&flat, Stroke::new(width, colour), 7.0, 4.0));
            } else {
                painter.add(bezier);
            }
            arrow_head(&painter, points[2], points[3], colour);
            let mut text = crate::map::short_label(&edge.label, 40);
            if edge.critical {
                text = format!("(!) {text}");
            }
            let font = egui::FontId::proportional(11.0);
            let galley = painter.layout(text, font, colour, 150.0);
            let label_rect = Rect::from_center_size(at(curve.label_at), galley.size());
            painter.rect_filled(
                label_rect.expand(2.0),
                2.0,
                ui.visuals().extreme_bg_color.gamma_multiply(0.9),
            );
            painter.galley(label_rect.min, galley, colour);
        }
        let choices = choices_texts(map, s);
        for (index, node) in map.nodes.iter().enumerate() {
            let node_rect = Rect::from_min_size(at((node.x, node.y)), Vec2::new(NODE_WIDTH, NODE_HEIGHT));
            let text = node_text(node, s);
            let colour = if node.reachable { ink } else { weak };
            let rich = egui::RichText::new(text).size(11.5).color(colour);
            let fill = node_fill(node, theme, ui.visuals());
            let stroke = if node.on_best_path { Stroke::new(3.0, ink) } else { Stroke::new(1.0, weak) };
            match node.kind {
                NodeKind::Moment => {
                    let button = egui::Button::new(rich).wrap().fill(fill).stroke(stroke).corner_radius(4.0);
                    let response = ui.put(node_rect, button);
                    // The arrows are drawn, not widgets: a screen reader hears them with the box.
                    let choices = choices.get(index).map_or("", String::as_str);
                    if node.start {
                        speech::landing(ui, &response, Some(&speech::joined([context.as_str(), choices])));
                    } else {
                        speech::describe(ui, &response, choices);
                    }
                    if response.clicked() {
                        clicked = Some(Place::node(scenario_id, &node.id));
                    }
                }
                _ => {
                    ui.painter().rect(node_rect, 12.0, fill, stroke, egui::StrokeKind::Inside);
                    // A label of its own layout: `ui.put` would justify the wrapped lines.
                    let inside = egui::UiBuilder::new()
                        .max_rect(node_rect.shrink(8.0))
                        .layout(egui::Layout::top_down(egui::Align::Center));
                    ui.scope_builder(inside, |ui| ui.add(egui::Label::new(rich).wrap()));
                }
            }
        }
    });
    clicked
}

/// What a box says: its kind and id, its state in words, then its text.
fn node_text(node: &MapNode, s: &StudioStrings) -> String {
    let heading = match node.kind {
        NodeKind::Moment => node.id.clone(),
        NodeKind::Ending(Outcome::Pass) => format!("{}: {}", s.map_pass_ending, node.id),
        NodeKind::Ending(Outcome::Fail) => format!("{}: {}", s.map_fail_ending, node.id),
        NodeKind::Ending(Outcome::Neutral) => format!("{}: {}", s.map_other_ending, node.id),
        NodeKind::UnsafeEnd => s.map_unsafe_end.to_owned(),
        NodeKind::Missing => format!("{}: {}", s.map_missing, node.id),
    };
    let mut marks = Vec::new();
    if node.start {
        marks.push(s.map_start);
    }
    if node.on_best_path {
        marks.push(s.map_best_path);
    }
    if node.dead_end {
        marks.push(s.map_dead_end);
    }
    if !node.reachable && node.kind != NodeKind::UnsafeEnd {
        marks.push(s.map_unreachable);
    }
    let marks = if marks.is_empty() { String::new() } else { format!(" ({})", marks.join(", ")) };
    // The label is already cut short by the core (`map::NODE_LABEL_CHARS`).
    let body = if node.kind == NodeKind::UnsafeEnd { String::new() } else { format!("\n{}", node.label) };
    format!("{heading}{marks}{body}")
}

/// For each node, the choices leaving it, in words: "text → target", unsafe ones marked. One pass
/// over the edges, so a large map costs no more per frame than its size.
fn choices_texts(map: &ScenarioMap, s: &StudioStrings) -> Vec<String> {
    let mut texts = vec![String::new(); map.nodes.len()];
    for e in &map.edges {
        let target = map.nodes.get(e.to).map_or("?", |n| n.id.as_str());
        let target = if e.critical { s.map_unsafe_end } else { target };
        if let Some(text) = texts.get_mut(e.from) {
            if !text.is_empty() {
                text.push_str("; ");
            }
            text.push_str(&format!("{} → {target}", e.label));
        }
    }
    texts
}

/// A box's fill: endings tinted by outcome, unsafe ends by danger, unreachable boxes faint.
fn node_fill(node: &MapNode, theme: Theme, visuals: &egui::Visuals) -> Color32 {
    let base = visuals.extreme_bg_color;
    let tint = |c: Color32| base.lerp_to_gamma(c, 0.18);
    match node.kind {
        _ if !node.reachable => visuals.faint_bg_color,
        NodeKind::Ending(Outcome::Pass) => tint(accent(theme, Accent::Good)),
        NodeKind::Ending(Outcome::Fail) | NodeKind::UnsafeEnd | NodeKind::Missing => {
            tint(accent(theme, Accent::Bad))
        }
        NodeKind::Ending(Outcome::Neutral) => tint(accent(theme, Accent::Note)),
        NodeKind::Moment => base,
    }
}

/// A filled triangle at `tip`, pointing away from `from`.
fn arrow_head(painter: &egui::Painter, from: Pos2, tip: Pos2, colour: Color32) {
    let direction = (tip - from).normalized();
    if !direction.is_finite() {
        return;
    }
    let back = tip - direction * 9.0;
    let side = direction.rot90() * 4.5;
    painter.add(egui::Shape::convex_polygon(vec![tip, back + side, back - side], colour, Stroke::NONE));
}
