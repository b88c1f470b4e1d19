//! The shapes of a laid-out map, in layout units, shared by the SVG writer and the app's map
//! widget so both draw the same map, and the check that nothing overlaps ([`violations`]).

/// An arrow's route as drawn: one cubic Bézier curve (start, two control points, end) per
/// piece of its polyline. A piece that bends keeps level tangents at both ends, so the curve
/// stays between the piece's ends in x, inside the channel between columns where it bends.
pub fn curves(route: &[(f32, f32)]) -> Vec<[(f32, f32); 4]> {
    route
        .windows(2)
        .filter_map(|pair| match *pair {
            [(x1, y1), (x2, y2)] => {
                let middle = (x1 + x2) / 2.0;
                Some([(x1, y1), (middle, y1), (middle, y2), (x2, y2)])
            }
            _ => None,
        })
        .collect()
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
