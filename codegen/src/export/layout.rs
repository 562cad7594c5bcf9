//! A layered (Sugiyama-style) left-to-right layout for the topology picture:
//! cycles broken by reversing DFS back edges, ranks by longest path (sources
//! pulled next to their successors), long edges split by dummy vertices,
//! crossings reduced by barycentre sweeps that keep the best order seen
//! (counted exactly, by inversions), rows placed near their neighbours.
//!
//! Why not a crate: `rust-sugiyama` (the maintained pure-Rust candidate)
//! iterates `HashMap`s, so its output is not reproducible run to run, which a
//! checked-in picture needs, and it returns no positions for the dummy
//! vertices, so long edges cannot be routed around boxes; `layout-rs`
//! renders its own SVG with no hook for the catalog's styling and filter
//! tags. This module is deterministic by construction (vectors and indices
//! only) and small enough to read.

// Every index below is a vertex id (< the vectors' length, all sized here)
// or a position within its layer: the invariants are local to this module.
#![allow(clippy::indexing_slicing)]

/// Where everything goes.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// Per input vertex: left x and centre y.
    pub pos: Vec<(f64, f64)>,
    /// Per input edge: the points of its route, from the source's right side
    /// to the target's left side (through its dummy vertices); empty for
    /// self loops.
    pub routes: Vec<Vec<(f64, f64)>>,
    /// Rank (column) of every input vertex.
    pub rank: Vec<usize>,
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// Edge crossings between adjacent columns in the final order.
    pub crossings: usize,
}

/// Spacing of the picture.
#[derive(Clone, Copy, Debug)]
pub struct Spacing {
    /// Height of a box.
    pub box_h: f64,
    /// Vertical gap between boxes.
    pub gap_y: f64,
    /// Horizontal gap between columns.
    pub gap_x: f64,
    /// Margin around everything.
    pub margin: f64,
}

const SWEEPS: usize = 16;

/// Lay out `widths.len()` vertices with `edges` (source, target);
/// `min_rank` gives each vertex its lowest column. Connected components are
/// laid out one by one and stacked (the largest first, unconnected vertices
/// last), so that no component leaves gaps in another.
pub fn layered(
    widths: &[f64],
    min_rank: &[usize],
    edges: &[(usize, usize)],
    sp: Spacing,
) -> Layout {
    let n = widths.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut v: usize) -> usize {
        while p[v] != v {
            p[v] = p[p[v]];
            v = p[v];
        }
        v
    }
    for &(a, b) in edges {
        if a < n && b < n {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of = vec![usize::MAX; n];
    let mut singles = Vec::new();
    let degree = {
        let mut d = vec![0usize; n];
        for &(a, b) in edges {
            if a < n && b < n {
                d[a] += 1;
                d[b] += 1;
            }
        }
        d
    };
    let mut root_group = vec![usize::MAX; n];
    for v in 0..n {
        if degree[v] == 0 {
            singles.push(v);
            continue;
        }
        let r = find(&mut parent, v);
        if root_group[r] == usize::MAX {
            root_group[r] = groups.len();
            groups.push(Vec::new());
        }
        group_of[v] = root_group[r];
        groups[root_group[r]].push(v);
    }
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    for (g, vs) in groups.iter().enumerate() {
        for &v in vs {
            group_of[v] = g;
        }
    }
    if !singles.is_empty() {
        for &v in &singles {
            group_of[v] = groups.len();
        }
        groups.push(singles);
    }
    let mut out = Layout {
        pos: vec![(0.0, 0.0); n],
        routes: vec![Vec::new(); edges.len()],
        rank: vec![0; n],
        ..Layout::default()
    };
    let mut top = 0.0;
    for (g, vs) in groups.iter().enumerate() {
        let mut local = vec![usize::MAX; n];
        for (i, &v) in vs.iter().enumerate() {
            local[v] = i;
        }
        let w: Vec<f64> = vs.iter().map(|v| widths[*v]).collect();
        let m: Vec<usize> = vs
            .iter()
            .map(|v| min_rank.get(*v).copied().unwrap_or(0))
            .collect();
        let idx: Vec<usize> = edges
            .iter()
            .enumerate()
            .filter(|(_, (a, b))| *a < n && *b < n && group_of[*a] == g)
            .map(|(i, _)| i)
            .collect();
        let e: Vec<(usize, usize)> = idx
            .iter()
            .map(|&i| (local[edges[i].0], local[edges[i].1]))
            .collect();
        let l = layered_component(&w, &m, &e, sp);
        let dy = if g == 0 {
            0.0
        } else {
            top - sp.margin + sp.gap_y * 2.0
        };
        for (i, &v) in vs.iter().enumerate() {
            out.pos[v] = (l.pos[i].0, l.pos[i].1 + dy);
            out.rank[v] = l.rank[i];
        }
        for (k, &i) in idx.iter().enumerate() {
            out.routes[i] = l.routes[k].iter().map(|&(x, y)| (x, y + dy)).collect();
        }
        out.crossings += l.crossings;
        out.width = out.width.max(l.width);
        top = l.height + dy;
    }
    out.height = top;
    out
}

fn layered_component(
    widths: &[f64],
    min_rank: &[usize],
    edges: &[(usize, usize)],
    sp: Spacing,
) -> Layout {
    let n = widths.len();
    if n == 0 {
        return Layout::default();
    }
    // 1. Break cycles with Eades, Lin and Smyth's greedy heuristic: sinks go
    //    to the back of a vertex order, sources to the front, otherwise the
    //    vertex with the most out- over in-edges; an edge pointing backwards
    //    in that order is reversed. On graphs with many cycles it reverses far
    //    fewer edges than a DFS, so the picture has far fewer columns (a
    //    1,000-box catalog went from ~300 columns to a few dozen).
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut inn: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && a < n && b < n {
            out[a].push(b);
            inn[b].push(a);
        }
    }
    let mut outdeg: Vec<usize> = out.iter().map(Vec::len).collect();
    let mut indeg: Vec<usize> = inn.iter().map(Vec::len).collect();
    let mut removed = vec![false; n];
    let (mut front, mut back) = (Vec::with_capacity(n), Vec::new());
    let mut sinks: Vec<usize> = (0..n).rev().filter(|v| outdeg[*v] == 0).collect();
    let mut sources: Vec<usize> = (0..n).rev().filter(|v| indeg[*v] == 0).collect();
    let mut left = n;
    while left > 0 {
        let (v, to_front) = if let Some(v) = sinks.pop() {
            (v, false)
        } else if let Some(v) = sources.pop() {
            (v, true)
        } else {
            let Some(v) = (0..n)
                .filter(|v| !removed[*v])
                .max_by_key(|v| (outdeg[*v] as i64 - indeg[*v] as i64, std::cmp::Reverse(*v)))
            else {
                break;
            };
            (v, true)
        };
        if removed[v] {
            continue;
        }
        removed[v] = true;
        left -= 1;
        if to_front {
            front.push(v);
        } else {
            back.push(v);
        }
        for &w in &out[v] {
            if !removed[w] {
                indeg[w] -= 1;
                if indeg[w] == 0 {
                    sources.push(w);
                }
            }
        }
        for &u in &inn[v] {
            if !removed[u] {
                outdeg[u] -= 1;
                if outdeg[u] == 0 {
                    sinks.push(u);
                }
            }
        }
    }
    let mut place = vec![0usize; n];
    for (k, &v) in front.iter().chain(back.iter().rev()).enumerate() {
        place[v] = k;
    }
    let reversed: Vec<bool> = edges
        .iter()
        .map(|&(a, b)| a < n && b < n && place[a] > place[b])
        .collect();
    let dag: Vec<(usize, usize, usize)> = edges
        .iter()
        .enumerate()
        .filter(|(_, (a, b))| a != b && *a < n && *b < n)
        .map(|(i, &(a, b))| if reversed[i] { (b, a, i) } else { (a, b, i) })
        .collect();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in &dag {
        succ[a].push(b);
        pred[b].push(a);
    }
    // 2. Ranks: longest path in topological order.
    let mut indeg: Vec<usize> = pred.iter().map(Vec::len).collect();
    let mut order: Vec<usize> = (0..n).filter(|v| indeg[*v] == 0).collect();
    let mut head = 0;
    while let Some(&v) = order.get(head) {
        head += 1;
        for &w in &succ[v] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                order.push(w);
            }
        }
    }
    let mut rank: Vec<usize> = min_rank
        .iter()
        .copied()
        .chain(std::iter::repeat(0))
        .take(n)
        .collect();
    for &v in &order {
        for &w in &succ[v] {
            rank[w] = rank[w].max(rank[v] + 1);
        }
    }
    // Shorten edges (a local version of network simplex): a vertex moves
    // within the ranks its edges allow, towards the side with more edges;
    // sources end right before their nearest successor.
    for _ in 0..4 {
        for &v in order.iter().rev() {
            let lo = pred[v]
                .iter()
                .map(|u| rank[*u] + 1)
                .max()
                .unwrap_or(0)
                .max(min_rank.get(v).copied().unwrap_or(0));
            let hi = succ[v]
                .iter()
                .map(|w| rank[*w])
                .min()
                .map(|m| m.saturating_sub(1));
            let Some(hi) = hi.filter(|h| *h >= lo) else {
                continue;
            };
            if pred[v].len() <= succ[v].len() {
                rank[v] = hi;
            } else if pred[v].len() > succ[v].len() {
                rank[v] = lo;
            }
        }
    }
    // 3. Dummy vertices for edges longer than one rank.
    let mut vrank = rank.clone();
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
    let mut adj_down: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, i) in &dag {
        let mut chain = vec![a];
        let mut prev = a;
        for r in rank[a] + 1..rank[b] {
            let d = vrank.len();
            vrank.push(r);
            adj_down.push(Vec::new());
            adj_down[prev].push(d);
            chain.push(d);
            prev = d;
        }
        adj_down[prev].push(b);
        chain.push(b);
        chains[i] = chain;
    }
    let total = vrank.len();
    let mut adj_up: Vec<Vec<usize>> = vec![Vec::new(); total];
    for (v, ws) in adj_down.iter().enumerate() {
        for &w in ws {
            adj_up[w].push(v);
        }
    }
    let ranks = vrank.iter().max().map_or(1, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    // Initial order: DFS from the sources, so connected vertices start close.
    let mut seen = vec![false; total];
    for s in (0..total).filter(|v| adj_up[*v].is_empty()) {
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            layers[vrank[v]].push(v);
            for &w in adj_down[v].iter().rev() {
                if !seen[w] {
                    stack.push(w);
                }
            }
        }
    }
    for v in 0..total {
        if !seen[v] {
            layers[vrank[v]].push(v);
        }
    }
    // 4. Barycentre sweeps, keeping the best order.
    let mut pos = vec![0usize; total];
    let index = |layers: &[Vec<usize>], pos: &mut [usize]| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    index(&layers, &mut pos);
    let mut best = layers.clone();
    let mut best_cross = crossings(&layers, &adj_down, &pos);
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..ranks).collect()
        } else {
            (0..ranks.saturating_sub(1)).rev().collect()
        };
        for r in range {
            let nb = if down { &adj_up } else { &adj_down };
            let mut keyed: Vec<(f64, usize, usize)> = layers[r]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let ns = &nb[v];
                    let key = if ns.is_empty() {
                        i as f64
                    } else {
                        ns.iter().map(|w| pos[*w] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (key, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[r] = keyed.into_iter().map(|(_, _, v)| v).collect();
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i;
            }
        }
        let c = crossings(&layers, &adj_down, &pos);
        if c < best_cross {
            best_cross = c;
            best = layers.clone();
        }
    }
    let layers = best;
    index(&layers, &mut pos);
    // 5. Coordinates: columns by rank, rows pulled towards neighbours.
    let w = |v: usize| widths.get(v).copied().unwrap_or(0.0);
    let h = |v: usize| if v < n { sp.box_h } else { 2.0 };
    let mut col_x = vec![sp.margin; ranks];
    let mut col_w = vec![0.0f64; ranks];
    for (r, l) in layers.iter().enumerate() {
        col_w[r] = l.iter().map(|v| w(*v)).fold(0.0, f64::max);
    }
    for r in 1..ranks {
        col_x[r] = col_x[r - 1] + col_w[r - 1] + sp.gap_x;
    }
    let mut y = vec![0.0f64; total];
    for l in &layers {
        let mut at = 0.0;
        for &v in l {
            y[v] = at + h(v) / 2.0;
            at += h(v) + sp.gap_y;
        }
    }
    for pass in 0..8 {
        let nb = if pass % 2 == 0 { &adj_up } else { &adj_down };
        for l in &layers {
            let want: Vec<f64> = l
                .iter()
                .map(|&v| {
                    // Dummies look both ways, so long edges run straight.
                    let both: Vec<usize>;
                    let ns = if v >= n {
                        both = adj_up[v].iter().chain(&adj_down[v]).copied().collect();
                        &both
                    } else {
                        &nb[v]
                    };
                    if ns.is_empty() {
                        y[v]
                    } else {
                        ns.iter().map(|u| y[*u]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            // Place in order, no closer than the spacing, then shift the
            // whole layer so it is centred on what its vertices want.
            let mut placed = Vec::with_capacity(l.len());
            let mut prev: Option<(f64, f64)> = None;
            for (&v, &target) in l.iter().zip(&want) {
                let lo = prev.map_or(f64::MIN, |(py, ph)| py + ph / 2.0 + sp.gap_y + h(v) / 2.0);
                let yv = target.max(lo);
                placed.push(yv);
                prev = Some((yv, h(v)));
            }
            let shift = if placed.is_empty() {
                0.0
            } else {
                placed.iter().zip(&want).map(|(p, t)| t - p).sum::<f64>() / placed.len() as f64
            };
            for (&v, p) in l.iter().zip(placed) {
                y[v] = p + shift;
            }
        }
    }
    // Long edges straight where the rows allow: all dummies of a chain move
    // to one height (the target's, else the source's, else one of their own)
    // when it fits between each dummy's neighbours in its column. A straight
    // edge is easier to follow and its path is one `h` command, not a
    // curve per column (what kept big pictures over 2 MB).
    for chain in &chains {
        let ds: Vec<usize> = chain.iter().copied().filter(|&v| v >= n).collect();
        if ds.len() < 2 {
            continue;
        }
        let ends = [chain.last(), chain.first()];
        let candidates: Vec<f64> = ends
            .iter()
            .flatten()
            .map(|&&v| y[v])
            .chain(ds.iter().map(|&d| y[d]))
            .collect();
        let fits = |c: f64, y: &[f64]| {
            ds.iter().all(|&d| {
                let l = &layers[vrank[d]];
                let i = pos[d];
                let lo = i
                    .checked_sub(1)
                    .and_then(|p| l.get(p))
                    .map_or(f64::MIN, |&p| y[p] + h(p) / 2.0 + sp.gap_y + h(d) / 2.0);
                let hi = l
                    .get(i + 1)
                    .map_or(f64::MAX, |&q| y[q] - h(q) / 2.0 - sp.gap_y - h(d) / 2.0);
                c >= lo && c <= hi
            })
        };
        if let Some(&c) = candidates.iter().find(|&&c| fits(c, &y)) {
            for &d in &ds {
                y[d] = c;
            }
        }
    }
    let min_y = (0..total)
        .map(|v| y[v] - h(v) / 2.0)
        .fold(f64::MAX, f64::min);
    for v in y.iter_mut() {
        *v += sp.margin - min_y;
    }
    let height = (0..total).map(|v| y[v] + h(v) / 2.0).fold(0.0, f64::max) + sp.margin;
    let width = col_x[ranks - 1] + col_w[ranks - 1] + sp.margin;
    let x = |v: usize| col_x[vrank[v]];
    let mut routes = vec![Vec::new(); edges.len()];
    for (i, chain) in chains.iter().enumerate() {
        if chain.is_empty() {
            continue;
        }
        let mut pts = Vec::new();
        for (k, &v) in chain.iter().enumerate() {
            if v >= n {
                // A dummy: cross its column horizontally.
                pts.push((x(v), y[v]));
                pts.push((x(v) + col_w[vrank[v]], y[v]));
            } else if k == 0 {
                pts.push((x(v) + w(v), y[v]));
            } else {
                pts.push((x(v), y[v]));
            }
        }
        if reversed[i] {
            // Drawn from the real source: its right side to the target's left.
            let (a, b) = (chain[0], chain[chain.len() - 1]);
            pts.reverse();
            if let Some(first) = pts.first_mut() {
                *first = (x(b) + w(b), y[b]);
            }
            if let Some(last) = pts.last_mut() {
                *last = (x(a), y[a]);
            }
        }
        // Straight runs through dummies need only their ends.
        let mut kept: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
        for (k, &p) in pts.iter().enumerate() {
            let same = |q: Option<&(f64, f64)>| q.is_some_and(|q| (q.1 - p.1).abs() < 0.5);
            if k > 0 && same(kept.last()) && same(pts.get(k + 1)) {
                continue;
            }
            kept.push(p);
        }
        routes[i] = kept;
    }
    Layout {
        pos: (0..n).map(|v| (x(v), y[v])).collect(),
        routes,
        rank: rank.clone(),
        width,
        height,
        crossings: best_cross,
    }
}

/// Crossings between adjacent layers: inversions of target positions when
/// edges are sorted by source position (a Fenwick tree, O(E log V)).
fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0;
    for pair in layers.windows(2) {
        let (Some(upper), Some(lower)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        let mut es: Vec<(usize, usize)> = upper
            .iter()
            .flat_map(|&v| down[v].iter().map(move |&w| (pos[v], pos[w])))
            .collect();
        es.sort_unstable();
        let size = lower.len() + 1;
        let mut tree = vec![0usize; size + 1];
        for (seen, &(_, t)) in es.iter().enumerate() {
            // Count earlier edges whose target is after t.
            let mut i = t + 1;
            let mut le = 0;
            while i > 0 {
                le += tree[i];
                i -= i & i.wrapping_neg();
            }
            total += seen - le;
            let mut i = t + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}
