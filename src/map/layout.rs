//! Layered left-to-right layout: columns by distance from the start, rows ordered so that
//! fewer arrows cross.
//!
//! Rows are ordered by the barycentre heuristic (each node moves to the mean row of its
//! neighbours in the columns already ordered), one sweep left to right, one back, one more left
//! to right. Each sweep costs O(edges + nodes log nodes), so a map of any size lays out in about
//! linear time; the result is not optimal, only tidier than file order.

/// Width of a node box, in layout units (the SVG draws one unit as one pixel).
pub const NODE_WIDTH: f32 = 190.0;
/// Height of a node box.
pub const NODE_HEIGHT: f32 = 84.0;
/// Space between columns, where arrows and their labels go.
pub const COLUMN_GAP: f32 = 150.0;
/// Space between rows.
pub const ROW_GAP: f32 = 40.0;

/// Where each node goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Top-left corner of each node's box, by node index.
    pub positions: Vec<(f32, f32)>,
    /// Node indices of each column, top to bottom.
    pub columns: Vec<Vec<usize>>,
    pub width: f32,
    pub height: f32,
}

/// Lays out nodes given each node's column (`layers`) and the edges between them.
pub fn layout(layers: &[usize], edges: &[(usize, usize)]) -> Layout {
    let n = layers.len();
    let column_count = layers.iter().max().map_or(0, |l| l + 1);
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); column_count];
    for (node, &layer) in layers.iter().enumerate() {
        if let Some(column) = columns.get_mut(layer) {
            column.push(node);
        }
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && a < n && b < n {
            neighbours[a].push(b);
            neighbours[b].push(a);
        }
    }
    let mut row = vec![0usize; n];
    for column in &columns {
        for (i, &node) in column.iter().enumerate() {
            row[node] = i;
        }
    }
    let ascending: Vec<usize> = (1..column_count).collect();
    let descending: Vec<usize> = (0..column_count.saturating_sub(1)).rev().collect();
    for (sweep, from_left) in [(&ascending, true), (&descending, false), (&ascending, true)] {
        for &c in sweep {
            let Some(column) = columns.get_mut(c) else { continue };
            let key = |node: usize| {
                let sides = neighbours[node].iter().filter(|&&m| {
                    if from_left { layers[m] < layers[node] } else { layers[m] > layers[node] }
                });
                let (sum, count) = sides.fold((0usize, 0usize), |(s, k), &m| (s + row[m], k + 1));
                // A node with no neighbour on that side keeps its place.
                if count == 0 { row[node] as f64 } else { sum as f64 / count as f64 }
            };
            let mut keyed: Vec<(f64, usize)> = column.iter().map(|&node| (key(node), node)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            *column = keyed.into_iter().map(|(_, node)| node).collect();
            for (i, &node) in column.iter().enumerate() {
                row[node] = i;
            }
        }
    }
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let mut positions = vec![(0.0, 0.0); n];
    for (c, column) in columns.iter().enumerate() {
        // Shorter columns are centred on the tallest.
        let offset = (tallest - column.len()) as f32 / 2.0;
        for (i, &node) in column.iter().enumerate() {
            positions[node] =
                (c as f32 * (NODE_WIDTH + COLUMN_GAP), (i as f32 + offset) * (NODE_HEIGHT + ROW_GAP));
        }
    }
    let span = |count: usize, size: f32, gap: f32| {
        if count == 0 { 0.0 } else { count as f32 * size + (count - 1) as f32 * gap }
    };
    Layout {
        positions,
        width: span(column_count, NODE_WIDTH, COLUMN_GAP),
        height: span(tallest, NODE_HEIGHT, ROW_GAP),
        columns,
    }
}

/// How many pairs of edges between neighbouring columns cross; tests use it to check that
/// ordering helps.
#[cfg(test)]
pub(crate) fn crossings(layout: &Layout, layers: &[usize], edges: &[(usize, usize)]) -> usize {
    let mut row = vec![0usize; layers.len()];
    for column in &layout.columns {
        for (i, &node) in column.iter().enumerate() {
            row[node] = i;
        }
    }
    let spans: Vec<(usize, usize, usize)> = edges
        .iter()
        .filter_map(|&(a, b)| {
            let (a, b) = if layers[a] <= layers[b] { (a, b) } else { (b, a) };
            (layers[b] == layers[a] + 1).then_some((layers[a], row[a], row[b]))
        })
        .collect();
    let mut count = 0;
    for (i, x) in spans.iter().enumerate() {
        for y in &spans[i + 1..] {
            if x.0 == y.0 && ((x.1 < y.1 && x.2 > y.2) || (x.1 > y.1 && x.2 < y.2)) {
                count += 1;
            }
        }
    }
    count
}
