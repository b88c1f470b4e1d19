//! Where each arrow of a map runs, in layout units: shared by the SVG writer and the app's map
//! widget, so both draw the same map.

use super::layout::{NODE_HEIGHT, NODE_WIDTH};
use super::{MapEdge, ScenarioMap};

/// One arrow as a cubic Bézier curve (start, two control points, end) and where its label goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curve {
    pub points: [(f32, f32); 4],
    pub label_at: (f32, f32),
}

/// How far below the lowest box the arrows that go back may loop.
pub const BACK_ARROW_ROOM: f32 = 70.0;

/// The curve of every edge of `map`, by edge index. Forward arrows go from the right side of a
/// box to the left side of its target; arrows back (or within a column) loop under the boxes;
/// a choice that stays on its node loops over it.
pub fn curves(map: &ScenarioMap) -> Vec<Curve> {
    let ports = ports(map);
    map.edges
        .iter()
        .zip(ports)
        .map(|(edge, port)| {
            let (Some(from), Some(to)) = (map.nodes.get(edge.from), map.nodes.get(edge.to)) else {
                return Curve { points: [(0.0, 0.0); 4], label_at: (0.0, 0.0) };
            };
            let (fx, fy, tx, ty) = (from.x, from.y, to.x, to.y);
            if to.layer > from.layer {
                let (x1, y1, x2, y2) = (fx + NODE_WIDTH, fy + port.0, tx, ty + port.1);
                let bend = (x2 - x1) / 2.0;
                Curve {
                    points: [(x1, y1), (x1 + bend, y1), (x2 - bend, y2), (x2, y2)],
                    label_at: ((x1 + x2) / 2.0, (y1 + y2) / 2.0 - 6.0),
                }
            } else if edge.from == edge.to {
                let (x1, y1) = (fx + NODE_WIDTH - 30.0, fy);
                Curve {
                    points: [(x1, y1), (x1 - 10.0, y1 - 40.0), (x1 + 40.0, y1 - 40.0), (x1 + 20.0, y1)],
                    label_at: (x1 + 10.0, y1 - 36.0),
                }
            } else {
                let (x1, y1, x2, y2) =
                    (fx + NODE_WIDTH / 2.0, fy + NODE_HEIGHT, tx + NODE_WIDTH / 2.0, ty + NODE_HEIGHT);
                let low = y1.max(y2) + 50.0;
                Curve {
                    points: [(x1, y1), (x1, low), (x2, low), (x2, y2)],
                    label_at: ((x1 + x2) / 2.0, low - 4.0),
                }
            }
        })
        .collect()
}

/// For each edge, where it leaves its node's right side and enters its target's left side, as
/// offsets from the boxes' tops: arrows that leave one node (or reach one) are spread along the
/// side in the order of the other ends, so parallel choices and their labels do not overlap.
fn ports(map: &ScenarioMap) -> Vec<(f32, f32)> {
    let mut ports = vec![(NODE_HEIGHT / 2.0, NODE_HEIGHT / 2.0); map.edges.len()];
    let forward = |e: &MapEdge| match (map.nodes.get(e.from), map.nodes.get(e.to)) {
        (Some(from), Some(to)) if to.layer > from.layer => Some((from.y, to.y)),
        _ => None,
    };
    let mut leaving: Vec<Vec<(f32, usize)>> = vec![Vec::new(); map.nodes.len()];
    let mut arriving: Vec<Vec<(f32, usize)>> = vec![Vec::new(); map.nodes.len()];
    for (i, edge) in map.edges.iter().enumerate() {
        let Some((from_y, to_y)) = forward(edge) else { continue };
        if let Some(list) = leaving.get_mut(edge.from) {
            list.push((to_y, i));
        }
        if let Some(list) = arriving.get_mut(edge.to) {
            list.push((from_y, i));
        }
    }
    for (lists, is_source) in [(&mut leaving, true), (&mut arriving, false)] {
        for list in lists.iter_mut() {
            list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let count = list.len() as f32;
            for (k, &(_, edge)) in list.iter().enumerate() {
                let offset = NODE_HEIGHT * (k as f32 + 1.0) / (count + 1.0);
                if let Some(port) = ports.get_mut(edge) {
                    if is_source { port.0 = offset } else { port.1 = offset }
                }
            }
        }
    }
    ports
}

/// An axis-aligned box in layout units: its top-left corner and size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    /// Whether the insides of two boxes overlap (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w - TOUCH
            && other.x < self.x + self.w - TOUCH
            && self.y < other.y + other.h - TOUCH
            && other.y < self.y + self.h - TOUCH
    }

    /// Whether the straight segment `p`–`q` passes through the inside of the box (Liang–Barsky
    /// clipping against the box shrunk by a hair, so an arrow that ends on a side does not count).
    pub fn crossed_by(&self, p: (f32, f32), q: (f32, f32)) -> bool {
        let (x0, y0, x1, y1) =
            (self.x + TOUCH, self.y + TOUCH, self.x + self.w - TOUCH, self.y + self.h - TOUCH);
        if x0 >= x1 || y0 >= y1 {
            return false;
        }
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        let (mut enter, mut leave) = (0.0f32, 1.0f32);
        for (step, room) in [(-dx, p.0 - x0), (dx, x1 - p.0), (-dy, p.1 - y0), (dy, y1 - p.1)] {
            if step == 0.0 {
                if room < 0.0 {
                    return false;
                }
            } else {
                let t = room / step;
                if step < 0.0 {
                    enter = enter.max(t);
                } else {
                    leave = leave.min(t);
                }
            }
        }
        enter < leave
    }
}

/// How far two shapes may touch without counting as overlapping, in layout units.
const TOUCH: f32 = 0.5;

/// A flaw in a drawn map, by index into its nodes and edges.
#[derive(Clone, Debug, PartialEq)]
pub enum Violation {
    /// Two node boxes overlap.
    BoxOnBox(usize, usize),
    /// Two choice labels overlap.
    LabelOnLabel(usize, usize),
    /// A choice label (edge) covers part of a node box.
    LabelOnBox(usize, usize),
    /// An arrow (edge) runs through a node box that is neither of its ends.
    ArrowThroughBox(usize, usize),
}

/// What is drawn, as plain shapes: enough to check a map's geometry whoever laid it out.
pub struct Shapes<'a> {
    pub boxes: &'a [Rect],
    /// Each edge's ends (indices into `boxes`), its arrow as a polyline, and its label's box.
    pub edges: &'a [(usize, usize)],
    pub arrows: &'a [Vec<(f32, f32)>],
    pub labels: &'a [Rect],
}

/// Every overlap of boxes and labels and every arrow through a box. Quadratic in the map's
/// size: it is a check for tests and reviews, not part of drawing.
pub fn violations(shapes: &Shapes) -> Vec<Violation> {
    let mut found = Vec::new();
    for (i, a) in shapes.boxes.iter().enumerate() {
        for (j, b) in shapes.boxes.iter().enumerate().skip(i + 1) {
            if a.overlaps(b) {
                found.push(Violation::BoxOnBox(i, j));
            }
        }
    }
    for (e, label) in shapes.labels.iter().enumerate() {
        for (f, other) in shapes.labels.iter().enumerate().skip(e + 1) {
            if label.overlaps(other) {
                found.push(Violation::LabelOnLabel(e, f));
            }
        }
        for (n, b) in shapes.boxes.iter().enumerate() {
            if label.overlaps(b) {
                found.push(Violation::LabelOnBox(e, n));
            }
        }
    }
    for (e, (arrow, &(from, to))) in shapes.arrows.iter().zip(shapes.edges).enumerate() {
        for (n, b) in shapes.boxes.iter().enumerate() {
            if n == from || n == to {
                continue;
            }
            if arrow.windows(2).any(|w| matches!(w, [p, q] if b.crossed_by(*p, *q))) {
                found.push(Violation::ArrowThroughBox(e, n));
            }
        }
    }
    found
}
