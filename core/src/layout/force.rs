//! Force-directed graph layout (Fruchterman–Reingold, with a Barnes–Hut quadtree for the
//! repulsion of large graphs). No GUI types: positions are plain `[f32; 2]` in layout units.
//! Deterministic: the same graph gives the same positions, step for step.

/// Graphs with more nodes than this use the Barnes–Hut approximation for repulsion.
const EXACT_REPULSION_MAX_NODES: usize = 300;
/// Pull towards the centre, so that separate components stay close together (real event
/// networks are many small components: without it they drift apart and the view shrinks).
const GRAVITY: f32 = 0.5;
/// Barnes–Hut accuracy: a cell this much smaller than its distance counts as one body.
const THETA: f32 = 0.8;

/// A layout in progress.
#[derive(Debug, Clone)]
pub struct ForceLayout {
    /// Node positions.
    pub positions: Vec<[f32; 2]>,
    pinned: Vec<bool>,
    /// Edges as (from, to, weight ≥ 0).
    edges: Vec<(u32, u32, f32)>,
    /// Ideal edge length.
    k: f32,
    /// Largest move allowed in a step; cools down as the layout settles.
    temperature: f32,
    displacement: Vec<[f32; 2]>,
}

/// A deterministic pseudo-random stream (xorshift64*) for the starting positions.
fn unit_random(state: &mut u64) -> f32 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    let x = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
    (x >> 40) as f32 / (1u64 << 24) as f32
}

impl ForceLayout {
    /// Starts a layout of `nodes` nodes; positions are spread deterministically by `seed`.
    pub fn new(nodes: usize, edges: Vec<(u32, u32, f32)>, seed: u64) -> ForceLayout {
        let k = 1.0;
        let radius = k * (nodes as f32).sqrt().max(1.0);
        let mut state = seed | 1;
        let positions = (0..nodes)
            .map(|_| {
                let r = radius * unit_random(&mut state).sqrt();
                let a = std::f32::consts::TAU * unit_random(&mut state);
                [r * a.cos(), r * a.sin()]
            })
            .collect();
        let edges = edges
            .into_iter()
            .filter(|&(a, b, w)| {
                (a as usize) < nodes && (b as usize) < nodes && a != b && w.is_finite() && w > 0.0
            })
            .collect();
        ForceLayout {
            positions,
            pinned: vec![false; nodes],
            edges,
            k,
            temperature: radius * 0.1,
            displacement: vec![[0.0; 2]; nodes],
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// True when there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Fixes node `i` at `position` (it no longer moves).
    pub fn pin(&mut self, i: usize, position: [f32; 2]) {
        if i < self.len() && position.iter().all(|v| v.is_finite()) {
            self.positions[i] = position;
            self.pinned[i] = true;
        }
    }

    /// Lets node `i` move again.
    pub fn unpin(&mut self, i: usize) {
        if i < self.len() {
            self.pinned[i] = false;
        }
    }

    /// Whether node `i` is pinned.
    pub fn is_pinned(&self, i: usize) -> bool {
        self.pinned.get(i).copied().unwrap_or(false)
    }

    /// True when steps no longer move anything visibly.
    pub fn is_settled(&self) -> bool {
        self.temperature < 0.002 * self.k
    }

    /// Warms the layout up again (after a node was dragged), so neighbours follow.
    pub fn reheat(&mut self) {
        self.temperature = self.temperature.max(self.k * 0.5);
    }

    /// One step. Returns the energy of the step: the sum of squared moves.
    pub fn step(&mut self) -> f32 {
        let n = self.len();
        if n == 0 {
            return 0.0;
        }
        let k = self.k;
        // Repulsion a little stronger than Fruchterman–Reingold's k², so labels have room.
        let k2 = 2.0 * k * k;
        for d in &mut self.displacement {
            *d = [0.0; 2];
        }
        // Repulsion between every pair (or cells of far-away nodes).
        if n <= EXACT_REPULSION_MAX_NODES {
            for i in 0..n {
                for j in (i + 1)..n {
                    let (dx, dy) = delta(self.positions[i], self.positions[j], i, j);
                    let d2 = (dx * dx + dy * dy).max(1e-4);
                    let f = k2 / d2;
                    self.displacement[i][0] += dx * f;
                    self.displacement[i][1] += dy * f;
                    self.displacement[j][0] -= dx * f;
                    self.displacement[j][1] -= dy * f;
                }
            }
        } else {
            let tree = QuadTree::build(&self.positions);
            for i in 0..n {
                let [fx, fy] = tree.repulsion(i, self.positions[i], k2);
                self.displacement[i][0] += fx;
                self.displacement[i][1] += fy;
            }
        }
        // Attraction along edges, and a weak pull to the centre so parts do not drift apart.
        for &(a, b, w) in &self.edges {
            let (a, b) = (a as usize, b as usize);
            let (dx, dy) = delta(self.positions[a], self.positions[b], a, b);
            let d = (dx * dx + dy * dy).sqrt().max(1e-3);
            let f = d / k * w.clamp(0.2, 1.5);
            self.displacement[a][0] -= dx * f;
            self.displacement[a][1] -= dy * f;
            self.displacement[b][0] += dx * f;
            self.displacement[b][1] += dy * f;
        }
        for i in 0..n {
            let p = self.positions[i];
            self.displacement[i][0] -= p[0] * GRAVITY;
            self.displacement[i][1] -= p[1] * GRAVITY;
        }
        // Move, limited by the temperature.
        let mut energy = 0.0;
        for i in 0..n {
            if self.pinned[i] {
                continue;
            }
            let [dx, dy] = self.displacement[i];
            let len = (dx * dx + dy * dy).sqrt();
            if !len.is_finite() || len == 0.0 {
                continue;
            }
            let step = len.min(self.temperature);
            let (mx, my) = (dx / len * step, dy / len * step);
            self.positions[i][0] += mx;
            self.positions[i][1] += my;
            energy += mx * mx + my * my;
        }
        self.temperature *= 0.985;
        energy
    }

    /// The bounding box of all nodes: (min, max).
    pub fn bounds(&self) -> ([f32; 2], [f32; 2]) {
        let mut lo = [f32::MAX; 2];
        let mut hi = [f32::MIN; 2];
        for p in &self.positions {
            for a in 0..2 {
                lo[a] = lo[a].min(p[a]);
                hi[a] = hi[a].max(p[a]);
            }
        }
        if self.positions.is_empty() {
            ([-1.0, -1.0], [1.0, 1.0])
        } else {
            (lo, hi)
        }
    }
}

/// The vector from `b` to `a`; two nodes on the same spot are pushed apart in a fixed,
/// index-dependent direction (so the layout stays deterministic and never divides by 0).
fn delta(a: [f32; 2], b: [f32; 2], i: usize, j: usize) -> (f32, f32) {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    if dx.abs() + dy.abs() > 1e-6 {
        return (dx, dy);
    }
    let angle = ((i * 7919 + j * 104_729) % 360) as f32 * std::f32::consts::PI / 180.0;
    (angle.cos() * 1e-2, angle.sin() * 1e-2)
}

/// A Barnes–Hut quadtree: each cell knows how many nodes it holds and their centre.
struct QuadTree {
    cells: Vec<Cell>,
}

struct Cell {
    centre: [f32; 2],
    half: f32,
    mass: f32,
    mass_centre: [f32; 2],
    /// Children (4) or, for a leaf, the node it holds.
    children: Option<[u32; 4]>,
    node: Option<usize>,
}

impl QuadTree {
    fn build(points: &[[f32; 2]]) -> QuadTree {
        let mut lo = [f32::MAX; 2];
        let mut hi = [f32::MIN; 2];
        for p in points {
            for a in 0..2 {
                lo[a] = lo[a].min(p[a]);
                hi[a] = hi[a].max(p[a]);
            }
        }
        let half = ((hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0).max(1e-3) * 1.01;
        let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        let mut tree = QuadTree {
            cells: vec![Cell {
                centre,
                half,
                mass: 0.0,
                mass_centre: [0.0; 2],
                children: None,
                node: None,
            }],
        };
        for (i, p) in points.iter().enumerate() {
            tree.insert(0, i, *p, points, 0);
        }
        tree
    }

    fn insert(&mut self, cell: usize, node: usize, p: [f32; 2], points: &[[f32; 2]], depth: u32) {
        let c = &mut self.cells[cell];
        let m = c.mass;
        c.mass_centre = [
            (c.mass_centre[0] * m + p[0]) / (m + 1.0),
            (c.mass_centre[1] * m + p[1]) / (m + 1.0),
        ];
        c.mass += 1.0;
        if c.children.is_none() && c.node.is_none() && m == 0.0 {
            c.node = Some(node);
            return;
        }
        // Coincident points at great depth share a leaf rather than splitting forever.
        if depth > 40 {
            return;
        }
        if c.children.is_none() {
            let (centre, half) = (c.centre, c.half / 2.0);
            let first = self.cells.len() as u32;
            for q in 0..4 {
                let dx = if q & 1 == 0 { -half } else { half };
                let dy = if q & 2 == 0 { -half } else { half };
                self.cells.push(Cell {
                    centre: [centre[0] + dx, centre[1] + dy],
                    half,
                    mass: 0.0,
                    mass_centre: [0.0; 2],
                    children: None,
                    node: None,
                });
            }
            self.cells[cell].children = Some([first, first + 1, first + 2, first + 3]);
            if let Some(old) = self.cells[cell].node.take() {
                let child = self.child_for(cell, points[old]);
                self.insert(child, old, points[old], points, depth + 1);
            }
        }
        let child = self.child_for(cell, p);
        self.insert(child, node, p, points, depth + 1);
    }

    fn child_for(&self, cell: usize, p: [f32; 2]) -> usize {
        let c = &self.cells[cell];
        let q = usize::from(p[0] >= c.centre[0]) | (usize::from(p[1] >= c.centre[1]) << 1);
        c.children.map_or(cell, |ch| ch[q] as usize)
    }

    fn repulsion(&self, node: usize, p: [f32; 2], k2: f32) -> [f32; 2] {
        let mut force = [0.0f32; 2];
        let mut stack = vec![0usize];
        while let Some(i) = stack.pop() {
            let c = &self.cells[i];
            if c.mass == 0.0 || c.node == Some(node) && c.children.is_none() {
                continue;
            }
            let (dx, dy) = (p[0] - c.mass_centre[0], p[1] - c.mass_centre[1]);
            let d2 = (dx * dx + dy * dy).max(1e-4);
            let far = (2.0 * c.half) * (2.0 * c.half) < THETA * THETA * d2;
            match c.children {
                Some(children) if !far => stack.extend(children.iter().map(|&x| x as usize)),
                _ => {
                    let f = k2 * c.mass / d2;
                    force[0] += dx * f;
                    force[1] += dy * f;
                }
            }
        }
        force
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(n: u32) -> Vec<(u32, u32, f32)> {
        (0..n).map(|i| (i, (i + 1) % n, 1.0)).collect()
    }

    fn random_graph(n: u32, m: u32) -> Vec<(u32, u32, f32)> {
        let mut s = 42u64;
        (0..m)
            .map(|_| {
                let a = (unit_random(&mut s) * n as f32) as u32 % n;
                let b = (unit_random(&mut s) * n as f32) as u32 % n;
                (a, b, 1.0 + unit_random(&mut s))
            })
            .collect()
    }

    #[test]
    fn positions_stay_finite_even_for_stacked_nodes_and_bad_weights() {
        let mut edges = ring(50);
        edges.push((0, 1, f32::NAN));
        edges.push((2, 3, -1.0));
        edges.push((4, 999, 1.0));
        let mut layout = ForceLayout::new(50, edges, 1);
        for p in layout.positions.iter_mut().take(10) {
            *p = [0.0, 0.0];
        }
        for _ in 0..200 {
            layout.step();
        }
        assert!(layout.positions.iter().flatten().all(|v| v.is_finite()));
        let big = ForceLayout::new(1000, random_graph(1000, 3000), 2);
        let mut big = big;
        for _ in 0..30 {
            big.step();
        }
        assert!(big.positions.iter().flatten().all(|v| v.is_finite()));
    }

    #[test]
    fn energy_falls_as_the_layout_settles() {
        for (n, edges) in [(40, ring(40)), (800, random_graph(800, 2400))] {
            let mut layout = ForceLayout::new(n, edges, 7);
            let early: f32 = (0..10).map(|_| layout.step()).sum();
            for _ in 0..100 {
                layout.step();
            }
            let late: f32 = (0..10).map(|_| layout.step()).sum();
            assert!(late < early / 10.0, "{n} nodes: early {early}, late {late}");
        }
    }

    #[test]
    fn the_same_graph_gives_the_same_layout() {
        let run = || {
            let mut l = ForceLayout::new(500, random_graph(500, 1500), 3);
            for _ in 0..50 {
                l.step();
            }
            l.positions
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn pinned_nodes_stay_put() {
        let mut layout = ForceLayout::new(30, ring(30), 5);
        layout.pin(3, [10.0, -4.0]);
        for _ in 0..100 {
            layout.step();
        }
        assert_eq!(layout.positions[3], [10.0, -4.0]);
        assert!(layout.is_pinned(3));
        layout.unpin(3);
        layout.reheat();
        layout.step();
        assert_ne!(layout.positions[3], [10.0, -4.0]);
    }

    #[test]
    fn connected_nodes_end_closer_than_unconnected_ones() {
        let mut layout = ForceLayout::new(40, ring(40), 11);
        for _ in 0..300 {
            layout.step();
        }
        let dist = |a: usize, b: usize| {
            let (p, q) = (layout.positions[a], layout.positions[b]);
            ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
        };
        assert!(
            dist(0, 1) < dist(0, 20),
            "{} vs {}",
            dist(0, 1),
            dist(0, 20)
        );
    }
}
