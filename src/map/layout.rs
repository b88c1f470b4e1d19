//! Layered left-to-right layout in the style of Sugiyama: columns of boxes by distance from the
//! start, and between them columns of choice labels, so nothing is placed on anything else.
//!
//! Every arrow is a chain of slots, one per column it passes: its label in the first column of
//! labels after its node (before it, for an arrow back), a thin slot in each further column.
//! Inside a column an arrow runs level through its own slot; it bends only in the channels
//! between columns, where nothing is drawn. So no arrow runs through a box or a label, and
//! since the slots of a column are stacked without overlapping, neither boxes nor labels
//! overlap. A choice between two boxes of one column (or back to its own box) turns in the
//! label column to their right.
//!
//! Slots are ordered by the barycentre heuristic (each moves to the mean height of its
//! neighbours in the column already placed) and placed as near that height as their order
//! allows (isotonic regression, linear). A few sweeps each way cost O(slots log slots); the
//! number of thin slots is capped ([`MAX_PASSING_SLOTS`]), so a map built to be huge still lays
//! out in about linear time (its longest arrows are then drawn straight).

/// Width of a node box, in layout units (the SVG draws one unit as one pixel).
pub const NODE_WIDTH: f32 = 200.0;
/// Space between neighbouring columns, where arrows bend.
pub const CHANNEL: f32 = 36.0;
/// Space between two boxes of a column.
pub const ROW_GAP: f32 = 28.0;
/// Space between an arrow or a label and anything above or below it in its column.
const SLOT_GAP: f32 = 8.0;
/// Room between a label and the arrow drawn under it.
pub const LABEL_TRACK: f32 = 4.0;
/// Width of a column of labels that has none.
const EMPTY_LABEL_COLUMN: f32 = 24.0;
/// At most this many thin slots for long arrows; past it, arrows get their label slot only.
pub const MAX_PASSING_SLOTS: usize = 50_000;

/// One choice to lay out: its ends (node indices) and the size of its label.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EdgeInput {
    pub from: usize,
    pub to: usize,
    pub label: (f32, f32),
}

/// Where everything goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Top-left corner of each node's box, by node index.
    pub positions: Vec<(f32, f32)>,
    /// Each edge's arrow, from a side of its node to a side of its target, as a polyline.
    pub routes: Vec<Vec<(f32, f32)>>,
    /// Top-left corner of each edge's label.
    pub labels: Vec<(f32, f32)>,
    pub width: f32,
    pub height: f32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Node,
    /// A label, with its arrow under it.
    Label,
    /// An arrow passing through.
    Passing,
}

struct Item {
    rank: usize,
    kind: Slot,
    height: f32,
    /// Where the arrow runs (or a node's middle), down from the top.
    track: f32,
    width: f32,
    top: f32,
}

impl Item {
    /// Where its arrow runs (a box's middle).
    fn middle(&self) -> f32 {
        self.top + self.track
    }

    /// What its neighbours line up with: the middle of the slot. (Lining up with a label's
    /// arrow, under it, would lift every label above its arrow, column after column.)
    fn centre(&self) -> f32 {
        self.top + self.height / 2.0
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Way {
    Forward,
    Back,
    /// Between two boxes of one column, or from a box to itself: out and back in on the right.
    Turn,
}

/// Lays out nodes given each node's column (`layers`), box heights (all boxes are
/// [`NODE_WIDTH`] wide) and the edges between them.
pub fn layout(layers: &[usize], heights: &[f32], edges: &[EdgeInput]) -> Layout {
    let n = layers.len();
    let columns = layers.iter().max().map_or(0, |l| l + 1);
    let rank_count = 2 * columns + 1;
    let mut items: Vec<Item> = (0..n)
        .map(|i| {
            let height = heights.get(i).copied().unwrap_or(0.0);
            let rank = layers.get(i).map_or(0, |l| 2 * l);
            Item { rank, kind: Slot::Node, height, track: height / 2.0, width: NODE_WIDTH, top: 0.0 }
        })
        .collect();
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut chains: Vec<(Way, Vec<usize>)> = Vec::with_capacity(edges.len());
    let mut passing_budget = MAX_PASSING_SLOTS;
    for edge in edges {
        let (Some(&la), Some(&lb)) = (layers.get(edge.from), layers.get(edge.to)) else {
            chains.push((Way::Turn, Vec::new()));
            continue;
        };
        let (way, ranks): (Way, Vec<usize>) = if lb > la {
            let wanted = 2 * (lb - la) - 1;
            let kept = wanted.min(passing_budget + 1);
            (Way::Forward, (2 * la + 1..2 * lb).take(kept).collect())
        } else if lb < la {
            let wanted = 2 * (la - lb) - 1;
            let kept = wanted.min(passing_budget + 1);
            (Way::Back, (2 * lb + 1..2 * la).rev().take(kept).collect())
        } else {
            (Way::Turn, vec![2 * la + 1])
        };
        passing_budget = passing_budget.saturating_sub(ranks.len().saturating_sub(1));
        let mut chain = Vec::with_capacity(ranks.len());
        for (k, rank) in ranks.into_iter().enumerate() {
            let item = if k == 0 {
                let (w, h) = edge.label;
                Item {
                    rank,
                    kind: Slot::Label,
                    height: h + LABEL_TRACK,
                    track: h + LABEL_TRACK,
                    width: w,
                    top: 0.0,
                }
            } else {
                Item { rank, kind: Slot::Passing, height: 0.0, track: 0.0, width: 0.0, top: 0.0 }
            };
            items.push(item);
            neighbours.push(Vec::new());
            chain.push(items.len() - 1);
        }
        let mut path = vec![edge.from];
        path.extend(&chain);
        if way == Way::Turn {
            // Both ends sit in the column left of the turn.
            neighbours[chain[0]].push(edge.to);
            neighbours[edge.to].push(chain[0]);
        } else {
            path.push(edge.to);
        }
        for pair in path.windows(2) {
            if let [a, b] = *pair
                && a != b
            {
                neighbours[a].push(b);
                neighbours[b].push(a);
            }
        }
        chains.push((way, chain));
    }
    let mut ranks: Vec<Vec<usize>> = vec![Vec::new(); rank_count];
    for (i, item) in items.iter().enumerate() {
        if let Some(rank) = ranks.get_mut(item.rank) {
            rank.push(i);
        }
    }
    for rank in &ranks {
        place(&mut items, rank, None);
    }
    order_and_place(&mut items, &mut ranks, &neighbours);
    let lowest = items.iter().map(|i| i.top).fold(f32::INFINITY, f32::min);
    let lowest = if lowest.is_finite() { lowest } else { 0.0 };
    for item in &mut items {
        item.top -= lowest;
    }
    // Columns left to right: their left edges and widths.
    let mut x = Vec::with_capacity(rank_count);
    let mut width = Vec::with_capacity(rank_count);
    let mut right = 0.0f32;
    let mut next = 0.0f32;
    for (r, rank) in ranks.iter().enumerate() {
        let w = if r % 2 == 0 {
            NODE_WIDTH
        } else {
            rank.iter().map(|&i| items[i].width).fold(EMPTY_LABEL_COLUMN, f32::max)
        };
        x.push(next);
        width.push(w);
        if !rank.is_empty() {
            right = next + w;
        }
        next += w + CHANNEL;
    }
    let positions: Vec<(f32, f32)> =
        (0..n).map(|i| (x.get(items[i].rank).copied().unwrap_or(0.0), items[i].top)).collect();
    let ports = ports(&items, heights, edges, &chains);
    let mut routes = Vec::with_capacity(edges.len());
    let mut labels = Vec::with_capacity(edges.len());
    for ((edge, (way, chain)), (out, into)) in edges.iter().zip(&chains).zip(ports) {
        let from = positions.get(edge.from).copied().unwrap_or_default();
        let to = positions.get(edge.to).copied().unwrap_or_default();
        let mut route = Vec::with_capacity(2 * chain.len() + 2);
        let (start_x, end_x) = match way {
            Way::Forward => (from.0 + NODE_WIDTH, to.0),
            Way::Back => (from.0, to.0 + NODE_WIDTH),
            Way::Turn => (from.0 + NODE_WIDTH, to.0 + NODE_WIDTH),
        };
        route.push((start_x, from.1 + out));
        for (k, &i) in chain.iter().enumerate() {
            let item = &items[i];
            let (left, w) =
                (x.get(item.rank).copied().unwrap_or(0.0), width.get(item.rank).copied().unwrap_or(0.0));
            let y = item.middle();
            match way {
                Way::Forward => route.extend([(left, y), (left + w, y)]),
                Way::Back => route.extend([(left + w, y), (left, y)]),
                Way::Turn => route.push((left, y)),
            }
            if k == 0 {
                labels.push((left + (w - item.width) / 2.0, item.top));
            }
        }
        if chain.is_empty() {
            labels.push(from);
        }
        route.push((end_x, to.1 + into));
        routes.push(route);
    }
    let height = items.iter().map(|i| i.top + i.height).fold(0.0, f32::max);
    Layout { positions, routes, labels, width: right, height }
}

/// Orders each column by the barycentre of its neighbours and places it: sweeps right, then
/// left, a few times; then two sweeps that only straighten (both sides, order kept).
fn order_and_place(items: &mut [Item], ranks: &mut [Vec<usize>], neighbours: &[Vec<usize>]) {
    let count = ranks.len();
    for _ in 0..4 {
        for r in 1..count {
            sweep(items, ranks, neighbours, r, Some(r - 1), true);
        }
        for r in (0..count.saturating_sub(1)).rev() {
            sweep(items, ranks, neighbours, r, Some(r + 1), true);
        }
    }
    for _ in 0..2 {
        for r in 0..count {
            sweep(items, ranks, neighbours, r, None, false);
        }
    }
}

/// Reorders (if `reorder`) and places column `r` toward its neighbours in column `toward`
/// (`None`: in either neighbouring column, and in its own for a turn).
fn sweep(
    items: &mut [Item],
    ranks: &mut [Vec<usize>],
    neighbours: &[Vec<usize>],
    r: usize,
    toward: Option<usize>,
    reorder: bool,
) {
    let Some(rank) = ranks.get_mut(r) else { return };
    let wanted: Vec<(f32, usize)> = rank
        .iter()
        .map(|&i| {
            let (sum, k) = neighbours[i]
                .iter()
                .filter(|&&m| toward.is_none_or(|t| items[m].rank == t))
                .fold((0.0f32, 0usize), |(s, k), &m| (s + items[m].centre(), k + 1));
            // A slot with no neighbour on that side stays where it is.
            (if k == 0 { items[i].centre() } else { sum / k as f32 }, i)
        })
        .collect();
    let mut wanted = wanted;
    if reorder {
        wanted.sort_by(|a, b| a.0.total_cmp(&b.0));
        *rank = wanted.iter().map(|&(_, i)| i).collect();
    }
    let targets: Vec<f32> = wanted.iter().map(|&(y, i)| y - items[i].height / 2.0).collect();
    let order: Vec<usize> = rank.clone();
    place(items, &order, Some(&targets));
}

/// Places the slots of one column, top to bottom in `order`, without overlaps and as near their
/// `targets` (wanted tops) as that allows: least squares under order constraints, solved by pool
/// adjacent violators on the tops shifted by the room each slot needs above it. Without targets,
/// stacks them from 0.
fn place(items: &mut [Item], order: &[usize], targets: Option<&[f32]>) {
    let mut offsets = Vec::with_capacity(order.len());
    let mut offset = 0.0f32;
    let mut previous: Option<usize> = None;
    for &i in order {
        if let Some(p) = previous {
            offset += items[p].height + gap(items[p].kind, items[i].kind);
        }
        offsets.push(offset);
        previous = Some(i);
    }
    let Some(targets) = targets else {
        for (&i, &o) in order.iter().zip(&offsets) {
            items[i].top = o;
        }
        return;
    };
    // Blocks of (sum of shifted targets, count), merged while they would go up.
    let mut blocks: Vec<(f32, usize)> = Vec::with_capacity(order.len());
    for (t, o) in targets.iter().zip(&offsets) {
        blocks.push((t - o, 1));
        while blocks.len() > 1 {
            let (Some(&(s2, k2)), Some(&(s1, k1))) = (blocks.last(), blocks.get(blocks.len() - 2)) else {
                break;
            };
            if s1 / k1 as f32 <= s2 / k2 as f32 {
                break;
            }
            blocks.pop();
            blocks.pop();
            blocks.push((s1 + s2, k1 + k2));
        }
    }
    let mut slot = 0;
    for (sum, k) in blocks {
        let level = sum / k as f32;
        for _ in 0..k {
            if let (Some(&i), Some(&o)) = (order.get(slot), offsets.get(slot)) {
                items[i].top = level + o;
            }
            slot += 1;
        }
    }
}

/// Space between two neighbouring slots of a column.
fn gap(above: Slot, below: Slot) -> f32 {
    if above == Slot::Node && below == Slot::Node { ROW_GAP } else { SLOT_GAP }
}

/// Where each edge leaves its node and enters its target, as offsets down from the boxes' tops:
/// the arrows on one side of a box are spread along it in the order of where they go next, so
/// they do not cross as they leave.
fn ports(
    items: &[Item],
    heights: &[f32],
    edges: &[EdgeInput],
    chains: &[(Way, Vec<usize>)],
) -> Vec<(f32, f32)> {
    let mut ports: Vec<(f32, f32)> = Vec::with_capacity(edges.len());
    // Per node and side (0 left, 1 right): (where the arrow goes next, edge, whether it leaves).
    let mut sides: Vec<[Vec<(f32, usize, bool)>; 2]> =
        (0..heights.len()).map(|_| [Vec::new(), Vec::new()]).collect();
    for (e, (edge, (way, chain))) in edges.iter().zip(chains).enumerate() {
        let middle = |i: Option<&usize>, fallback: usize| {
            i.or(Some(&fallback)).and_then(|&i| items.get(i)).map_or(0.0, Item::middle)
        };
        let first = middle(chain.first(), edge.to);
        let last = middle(chain.last(), edge.from);
        let (out_side, in_side) = match way {
            Way::Forward => (1, 0),
            Way::Back => (0, 1),
            Way::Turn => (1, 1),
        };
        if let Some(s) = sides.get_mut(edge.from).and_then(|s| s.get_mut(out_side)) {
            s.push((first, e, true));
        }
        if let Some(s) = sides.get_mut(edge.to).and_then(|s| s.get_mut(in_side)) {
            s.push((last, e, false));
        }
        ports.push((0.0, 0.0));
    }
    for (node, node_sides) in sides.iter_mut().enumerate() {
        let height = heights.get(node).copied().unwrap_or(0.0);
        for side in node_sides.iter_mut() {
            side.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
            let count = side.len() as f32;
            for (k, &(_, e, leaves)) in side.iter().enumerate() {
                let offset = height * (k as f32 + 1.0) / (count + 1.0);
                if let Some(port) = ports.get_mut(e) {
                    if leaves { port.0 = offset } else { port.1 = offset }
                }
            }
        }
    }
    ports
}
