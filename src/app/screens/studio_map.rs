//! The scenario map widget of the author preview. Layout, wrapped text and arrows come from the
//! core ([`crate::map`]); this only draws them, at the scale the author chose or fitted to the
//! window. Every box is a widget with a label that says what colour and line style say (start,
//! ending and outcome, unsafe, unreachable, best path), so nothing is told by colour alone; a
//! moment is a button that previews it.

use egui::{Color32, Pos2, Rect, Stroke, Vec2};

use crate::app::strings::studio::StudioStrings;
use crate::app::theme::{Accent, Theme, accent};
use crate::app::widgets::speech;
use crate::format::Outcome;
use crate::map::{self, MapNode, NodeKind, ScenarioMap, geometry};
use crate::preview::Place;

/// Room around the map, in layout units.
const MARGIN: f32 = 24.0;
/// The smallest and largest scale; the smallest lets "Fit" show a very large map whole.
pub const MIN_SCALE: f32 = 0.1;
pub const MAX_SCALE: f32 = 4.0;
/// One step of "Zoom in" or "Zoom out".
const STEP: f32 = 1.25;
/// Text is never drawn smaller than this share of its size to fit a box: past it, it is clipped.
const SMALLEST_TEXT: f32 = 0.6;

/// How the map is scaled: fitted to the window (at most its natural size), or as the author chose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zoom {
    Fit,
    Scale(f32),
}

/// What the author asked of the map's scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ZoomChange {
    In,
    Out,
    Fit,
    /// By a factor (Ctrl + mouse wheel, a pinch), about the pointer: where it is over the map's
    /// visible part, from its top-left corner.
    By(f32, [f32; 2]),
}

/// The map's scale and scroll, kept while the preview is open.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    pub zoom: Zoom,
    /// The scale the map was last drawn at, which "Zoom in" starts from when fitted.
    pub shown: f32,
    /// The scroll offset and the size of the visible part when last drawn.
    offset: [f32; 2],
    visible: [f32; 2],
    /// The scroll offset to apply in the next frame, so a zoom keeps the point under the
    /// pointer (or the middle of the view) where it was.
    scroll_to: Option<[f32; 2]>,
}

impl Default for MapView {
    fn default() -> Self {
        Self { zoom: Zoom::Fit, shown: 1.0, offset: [0.0; 2], visible: [0.0; 2], scroll_to: None }
    }
}

impl MapView {
    /// Applies `change` to the scale last shown.
    pub fn apply(&mut self, change: ZoomChange) {
        let middle = [self.visible[0] / 2.0, self.visible[1] / 2.0];
        let (scale, about) = match change {
            ZoomChange::Fit => {
                self.zoom = Zoom::Fit;
                self.scroll_to = Some([0.0, 0.0]);
                return;
            }
            ZoomChange::In => (self.shown * STEP, middle),
            ZoomChange::Out => (self.shown / STEP, middle),
            ZoomChange::By(factor, at) if factor.is_finite() && factor > 0.0 => (self.shown * factor, at),
            ZoomChange::By(..) => return,
        };
        let scale = scale.clamp(MIN_SCALE, MAX_SCALE);
        // The map (margins included) grows by the same factor, so the point at `about` stays put
        // when the offset grows with it.
        // A zoom spread over frames (egui smooths the wheel) starts from the offset still to come.
        let factor = scale / self.shown.max(MIN_SCALE);
        let offset = self.scroll_to.unwrap_or(self.offset);
        let keep = |axis: usize| ((offset[axis] + about[axis]) * factor - about[axis]).max(0.0);
        self.scroll_to = Some([keep(0), keep(1)]);
        self.zoom = Zoom::Scale(scale);
    }
}

/// The map keys: Ctrl+= (or Ctrl++) and Ctrl+- zoom, Ctrl+0 fits. Read before the app's own
/// text-size keys, which they replace while the map is shown.
pub fn keyboard(input: &mut egui::InputState) -> Option<ZoomChange> {
    use egui::{Key, KeyboardShortcut, Modifiers};
    let shortcut = |key| KeyboardShortcut::new(Modifiers::COMMAND, key);
    if input.consume_shortcut(&shortcut(Key::Plus)) || input.consume_shortcut(&shortcut(Key::Equals)) {
        Some(ZoomChange::In)
    } else if input.consume_shortcut(&shortcut(Key::Minus)) {
        Some(ZoomChange::Out)
    } else if input.consume_shortcut(&shortcut(Key::Num0)) {
        Some(ZoomChange::Fit)
    } else {
        None
    }
}

/// What the author did on the map.
#[derive(Default)]
pub struct MapResponse {
    /// A moment pressed, to preview.
    pub go_to: Option<Place>,
    pub zoom: Option<ZoomChange>,
}

/// Draws `map` (of the scenario `scenario_id`) in a scroll area at `view`'s scale, and records
/// the scale drawn in `view.shown`.
pub fn ui(
    ui: &mut egui::Ui,
    map: &ScenarioMap,
    scenario_id: &str,
    view: &mut MapView,
    s: &StudioStrings,
    theme: Theme,
) -> MapResponse {
    let mut response = MapResponse::default();
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
    ui.horizontal(|ui| {
        if ui.button(s.map_zoom_out).clicked() {
            response.zoom = Some(ZoomChange::Out);
        }
        if ui.button(s.map_zoom_in).clicked() {
            response.zoom = Some(ZoomChange::In);
        }
        if ui.button(s.map_fit).clicked() {
            response.zoom = Some(ZoomChange::Fit);
        }
        let percent = (view.shown * 100.0).round().to_string();
        ui.label(s.map_zoom_level.replace("{percent}", &percent));
    });
    ui.separator();
    let natural = Vec2::new(map.width + 2.0 * MARGIN, map.height + 2.0 * MARGIN);
    let room = ui.available_rect_before_wrap();
    let scale = match view.zoom {
        // Room for the scroll bars' width, so a fitted map needs none.
        Zoom::Fit => {
            ((room.width() - 12.0) / natural.x).min((room.height() - 12.0) / natural.y).clamp(MIN_SCALE, 1.0)
        }
        Zoom::Scale(scale) => scale,
    };
    // The map is drawn at a new scale for one frame before it scrolls: until then the scroll
    // area still has the old size and would hold the offset to it.
    let same_size = (view.shown - scale).abs() <= f32::EPSILON;
    view.shown = scale;
    let wheel = ui.input(|i| i.zoom_delta());
    if wheel != 1.0
        && let Some(pointer) = ui.input(|i| i.pointer.hover_pos()).filter(|p| room.contains(*p))
    {
        let at = pointer - room.min;
        response.zoom = Some(ZoomChange::By(wheel, [at.x, at.y]));
    }
    let mut area = egui::ScrollArea::both().auto_shrink([false, false]);
    if !same_size && view.scroll_to.is_some() {
        ui.ctx().request_repaint();
    } else if let Some([x, y]) = view.scroll_to.take() {
        area = area.scroll_offset(Vec2::new(x, y));
    }
    let shown = area.show(ui, |ui| {
        let (rect, _) = ui.allocate_exact_size(natural * scale, egui::Sense::hover());
        let origin = rect.min + Vec2::splat(MARGIN * scale);
        let at = |(x, y): (f32, f32)| origin + Vec2::new(x, y) * scale;
        let painter = ui.painter_at(rect);
        let pen = Pens {
            ink: ui.visuals().text_color(),
            weak: ui.visuals().weak_text_color(),
            bad: accent(theme, Accent::Bad),
            paper: ui.visuals().extreme_bg_color,
        };
        for edge in &map.edges {
            draw_edge(&painter, map, edge, &pen, scale, &at, s);
        }
        let choices = choices_texts(map, s);
        for (index, node) in map.nodes.iter().enumerate() {
            let node_rect =
                Rect::from_min_size(at((node.x, node.y)), Vec2::new(node.width, node.height) * scale);
            let text = node_text(node, s);
            let moment = node.kind == NodeKind::Moment;
            let sense = if moment { egui::Sense::click() } else { egui::Sense::hover() };
            let widget = ui.interact(node_rect, ui.scope_id().with(("map-node", index)), sense);
            let kind = if moment { egui::Role::Button } else { egui::Role::Label };
            widget.widget_info(|| egui::WidgetInfo::labeled(kind, true, &text));
            let colour = if node.reachable { pen.ink } else { pen.weak };
            let fill = node_fill(node, theme, ui.visuals());
            let stroke = if widget.has_focus() {
                ui.visuals().selection.stroke
            } else if node.on_best_path {
                Stroke::new(3.0, pen.ink)
            } else if widget.hovered() && moment {
                Stroke::new(2.0, pen.ink)
            } else {
                Stroke::new(1.0, pen.weak)
            };
            let radius = if moment { 4.0 } else { 12.0 };
            painter.rect(node_rect, radius * scale, fill, stroke, egui::StrokeKind::Inside);
            let heading = text.lines().next().unwrap_or_default();
            let inner = node_rect.shrink(map::BOX_PADDING * scale);
            // The heading in the app's words (its marks make it longer than the layout's): in the
            // room the layout gave the heading, wrapped if that fits, else on one smaller line;
            // the text under it keeps its size.
            let room = node.heading_lines.len() as f32 * map::HEADING_LINE * scale;
            let (top, below) = inner.split_top_bottom_at_y(inner.top() + room);
            let wrapped = map::wrap_to_width(
                heading,
                node.width - 2.0 * map::BOX_PADDING,
                map::HEADING_SIZE * map::BOLD_WIDTH,
            );
            let heading_lines =
                if wrapped.len() <= node.heading_lines.len() { wrapped } else { vec![heading.to_owned()] };
            let heading_lines: Vec<Line> = heading_lines
                .into_iter()
                .map(|text| Line { text, size: map::HEADING_SIZE, advance: map::HEADING_LINE })
                .collect();
            draw_text(&painter, &heading_lines, top, scale, colour);
            if node.kind != NodeKind::UnsafeEnd {
                let lines: Vec<Line> = node
                    .lines
                    .iter()
                    .map(|l| Line { text: l.clone(), size: map::TEXT_SIZE, advance: map::TEXT_LINE })
                    .collect();
                draw_text(&painter, &lines, below, scale, colour);
            }
            if moment {
                // The arrows are drawn, not widgets: a screen reader hears them with the box.
                let choices = choices.get(index).map_or("", String::as_str);
                if node.start {
                    speech::landing(ui, &widget, Some(&speech::joined([context.as_str(), choices])));
                } else {
                    speech::describe(ui, &widget, choices);
                }
                if widget.clicked() {
                    response.go_to = Some(Place::node(scenario_id, &node.id));
                }
            }
        }
    });
    let offset = shown.state.clamped_offset();
    view.offset = [offset.x, offset.y];
    view.visible = [shown.inner_rect.width(), shown.inner_rect.height()];
    response
}

/// The colours of the map in the current theme.
struct Pens {
    ink: Color32,
    weak: Color32,
    bad: Color32,
    paper: Color32,
}

/// An arrow along its route, with its label (the unsafe marker in the UI language) in its box.
fn draw_edge(
    painter: &egui::Painter,
    map: &ScenarioMap,
    edge: &map::MapEdge,
    pen: &Pens,
    scale: f32,
    at: &impl Fn((f32, f32)) -> Pos2,
    s: &StudioStrings,
) {
    let reachable = map.nodes.get(edge.from).is_some_and(|n| n.reachable);
    let (colour, width) = if edge.critical {
        (pen.bad, 1.6)
    } else if edge.on_best_path {
        (pen.ink, 3.5)
    } else if reachable {
        (pen.ink, 1.2)
    } else {
        (pen.weak, 1.2)
    };
    let stroke = Stroke::new(width * scale.max(0.5), colour);
    let mut last = None;
    for piece in geometry::curves(&edge.route) {
        let points = piece.map(at);
        let bezier =
            egui::epaint::CubicBezierShape::from_points_stroke(points, false, Color32::TRANSPARENT, stroke);
        if edge.critical {
            // Dashed as well as red: a critical choice must not be told by colour alone.
            let flat: Vec<Pos2> = bezier.flatten(Some(0.5));
            painter.extend(egui::Shape::dashed_line(&flat, stroke, 7.0 * scale, 4.0 * scale));
        } else {
            painter.add(bezier);
        }
        last = Some(points);
    }
    if let Some([_, _, before, tip]) = last {
        arrow_head(painter, before, tip, colour, scale);
    }
    let label = edge.label_box;
    let label_rect = Rect::from_min_size(at((label.x, label.y)), Vec2::new(label.w, label.h) * scale);
    painter.rect_filled(label_rect, 2.0 * scale, pen.paper.gamma_multiply(0.9));
    let size = if edge.on_best_path { map::EDGE_TEXT_SIZE * map::BOLD_WIDTH } else { map::EDGE_TEXT_SIZE };
    let text = map::dot::edge_text_marked(edge, s.map_unsafe_choice);
    // The layout's own lines, unless the marker is in another language: then wrapped again to
    // the label's width (a hair wider, for rounding).
    let wrapped = if text == map::dot::edge_text(edge) {
        edge.lines.clone()
    } else {
        map::wrap_to_width(&text, label.w - 2.0 * map::LABEL_PADDING + 0.5, size)
    };
    let lines: Vec<Line> = wrapped
        .into_iter()
        .map(|text| Line { text, size: map::EDGE_TEXT_SIZE, advance: map::EDGE_LINE })
        .collect();
    draw_text(painter, &lines, label_rect.shrink(map::LABEL_PADDING * scale), scale, colour);
}

/// One line of a box or label: its text, font size and line height in layout units.
struct Line {
    text: String,
    size: f32,
    advance: f32,
}

/// Lines of text centred in `inner`, one under the other at the layout's line heights, made
/// smaller (down to [`SMALLEST_TEXT`]) if the app's font or its longer headings need more room
/// than the layout's estimate gave; past that they are clipped to the box.
fn draw_text(painter: &egui::Painter, lines: &[Line], inner: Rect, scale: f32, colour: Color32) {
    let lay_out = |shrink: f32| -> Vec<std::sync::Arc<egui::Galley>> {
        lines
            .iter()
            .map(|line| {
                let font = egui::FontId::proportional((line.size * scale * shrink).max(1.0));
                painter.layout_no_wrap(line.text.clone(), font, colour)
            })
            .collect()
    };
    let mut galleys = lay_out(1.0);
    let widest = galleys.iter().map(|g| g.size().x).fold(0.0, f32::max);
    let tall: f32 = lines.iter().map(|l| l.advance * scale).sum();
    let shrink = (inner.width() / widest.max(1.0)).min(inner.height() / tall.max(1.0)).min(1.0);
    let shrink = shrink.max(SMALLEST_TEXT);
    if shrink < 1.0 {
        galleys = lay_out(shrink);
    }
    let clipped = painter.with_clip_rect(inner.expand(2.0 * scale).intersect(painter.clip_rect()));
    let mut y = inner.top();
    for (galley, line) in galleys.into_iter().zip(lines) {
        let advance = line.advance * scale * shrink;
        // Centred on its line, as the SVG's baselines are.
        let x = inner.center().x - galley.size().x / 2.0;
        let top = y + (advance - galley.size().y) / 2.0;
        clipped.galley(Pos2::new(x, top), galley, colour);
        y += advance;
    }
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
fn arrow_head(painter: &egui::Painter, from: Pos2, tip: Pos2, colour: Color32, scale: f32) {
    let direction = (tip - from).normalized();
    if !direction.is_finite() {
        return;
    }
    let back = tip - direction * 9.0 * scale.max(0.5);
    let side = direction.rot90() * 4.5 * scale.max(0.5);
    painter.add(egui::Shape::convex_polygon(vec![tip, back + side, back - side], colour, Stroke::NONE));
}
