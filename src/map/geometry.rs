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
