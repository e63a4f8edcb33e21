//! Force-directed graph layout in the manner of ForceAtlas2 (Jacomy et al. 2014, the layout
//! of Gephi): repulsion weighted by degree (hubs push harder, so their leaves get room),
//! attraction along edges (linear, or logarithmic in LinLog mode, which draws communities as
//! tight, well separated clumps), gravity weighted by degree, and, with node sizes given,
//! no overlap. A Barnes–Hut quadtree approximates the repulsion of large graphs. An optional
//! group per node (a community) is a hint: nodes of a group are pulled towards its centre.
//!
//! Speed follows ForceAtlas2's adaptive rule (each node slows down where it swings back and
//! forth), under a cap that cools step by step, so every layout settles in a bounded number
//! of steps. No GUI types: positions are plain `[f32; 2]` in layout units. Deterministic: the
//! same graph and settings give the same positions, step for step.

/// Graphs with more nodes than this use the Barnes–Hut approximation for repulsion.
const EXACT_REPULSION_MAX_NODES: usize = 300;
/// Barnes–Hut accuracy: a cell this much smaller than its distance counts as one body.
const THETA: f32 = 1.0;
/// ForceAtlas2's tolerance of swinging: higher is faster and less precise.
const JITTER_TOLERANCE: f32 = 1.0;
/// A layout has settled after this many steps in a row that moved nothing visibly.
const CALM_STEPS: usize = 10;
/// Each step the cap on a node's move shrinks by this factor.
const COOLING: f32 = 0.985;

/// How a layout behaves; [`LayoutSettings::default`] is what the app uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutSettings {
    /// Attraction grows with the logarithm of distance (ForceAtlas2's LinLog mode).
    pub lin_log: bool,
    /// Repulsion strength (ForceAtlas2's scaling ratio).
    pub scaling: f32,
    /// Pull towards the centre per unit of mass, so separate components stay near.
    pub gravity: f32,
    /// Pull of a node towards its group's centre, relative to an edge's.
    pub group_pull: f32,
    /// Divide a node's attraction by its mass (ForceAtlas2's "dissuade hubs"): hubs move
    /// to the centre of their neighbours and leaves to the edge.
    pub dissuade_hubs: bool,
}

impl LayoutSettings {
    /// LinLog mode as the app uses it: logarithmic attraction that hubs feel less (so they
    /// sit among their neighbours), weak repulsion and gravity. Communities come out as tight,
    /// separate clumps (measured on the real files in `core/tests/network.rs`).
    pub fn lin_log() -> LayoutSettings {
        LayoutSettings {
            lin_log: true,
            scaling: 0.1,
            gravity: 0.2,
            group_pull: 0.1,
            dissuade_hubs: true,
        }
    }

    /// Linear attraction (ForceAtlas2's defaults): a more even spread.
    pub fn linear() -> LayoutSettings {
        LayoutSettings {
            lin_log: false,
            scaling: 2.0,
            gravity: 1.0,
            group_pull: 0.1,
            dissuade_hubs: false,
        }
    }
}

impl Default for LayoutSettings {
    fn default() -> LayoutSettings {
        LayoutSettings::lin_log()
    }
}

/// A layout in progress.
#[derive(Debug, Clone)]
pub struct ForceLayout {
    /// Node positions.
    pub positions: Vec<[f32; 2]>,
    pinned: Vec<bool>,
    /// Edges as (from, to, weight > 0).
    edges: Vec<(u32, u32, f32)>,
    /// Each node's mass: its degree + 1.
    mass: Vec<f32>,
    /// Each node's radius in layout units (0: a point).
    size: Vec<f32>,
    /// Each node's group, when groups hold together.
    groups: Option<Vec<u32>>,
    settings: LayoutSettings,
    /// The largest move allowed in a step; cools as the layout settles.
    cap: f32,
    /// ForceAtlas2's global speed.
    speed: f32,
    /// The largest move of the last step.
    last_move: f32,
    /// Steps in a row that moved nothing visibly.
    calm_steps: usize,
    force: Vec<[f32; 2]>,
    previous: Vec<[f32; 2]>,
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
        let radius = (nodes as f32).sqrt().max(1.0) * 2.0;
        let mut state = seed | 1;
        let positions = (0..nodes)
            .map(|_| {
                let r = radius * unit_random(&mut state).sqrt();
                let a = std::f32::consts::TAU * unit_random(&mut state);
                [r * a.cos(), r * a.sin()]
            })
            .collect();
        let edges: Vec<(u32, u32, f32)> = edges
            .into_iter()
            .filter(|&(a, b, w)| {
                (a as usize) < nodes && (b as usize) < nodes && a != b && w.is_finite() && w > 0.0
            })
            .collect();
        let mut mass = vec![1.0f32; nodes];
        for &(a, b, _) in &edges {
            mass[a as usize] += 1.0;
            mass[b as usize] += 1.0;
        }
        ForceLayout {
            positions,
            pinned: vec![false; nodes],
            edges,
            mass,
            size: vec![0.0; nodes],
            groups: None,
            settings: LayoutSettings::default(),
            cap: radius * 0.2,
            speed: 1.0,
            last_move: f32::MAX,
            calm_steps: 0,
            force: vec![[0.0; 2]; nodes],
            previous: vec![[0.0; 2]; nodes],
        }
    }

    /// The layout with these settings.
    pub fn with_settings(mut self, settings: LayoutSettings) -> ForceLayout {
        self.settings = settings;
        self
    }

    /// The layout keeping nodes of these sizes (radii in layout units) from overlapping.
    pub fn with_sizes(mut self, sizes: Vec<f32>) -> ForceLayout {
        self.set_sizes(sizes);
        self
    }

    /// Keeps nodes of these sizes (radii in layout units) from overlapping from now on (as
    /// in Gephi, where "prevent overlap" is switched on once the layout has its shape).
    pub fn set_sizes(&mut self, sizes: Vec<f32>) {
        if sizes.len() == self.len() {
            self.size = sizes
                .into_iter()
                .map(|r| if r.is_finite() { r.max(0.0) } else { 0.0 })
                .collect();
        }
    }

    /// The layout holding each group (say a community) together.
    pub fn with_groups(mut self, groups: Vec<u32>) -> ForceLayout {
        if groups.len() == self.len() {
            self.groups = Some(groups);
        }
        self
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

    /// True when steps no longer move anything visibly: for [`CALM_STEPS`] steps in a row,
    /// no node moved more than a thousandth of the layout's extent (or the cap on a move has
    /// cooled below that).
    pub fn is_settled(&self) -> bool {
        self.calm_steps >= CALM_STEPS || self.cap < self.extent() * 1e-3
    }

    /// The larger side of the bounding box (at least 1).
    fn extent(&self) -> f32 {
        let (lo, hi) = self.bounds();
        (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1.0)
    }

    /// The largest move of the last step, in layout units.
    pub fn last_move(&self) -> f32 {
        self.last_move
    }

    /// Warms the layout up again (after a node was dragged), so neighbours follow.
    pub fn reheat(&mut self) {
        self.cap = self.cap.max(self.extent() * 0.05);
        self.last_move = f32::MAX;
        self.calm_steps = 0;
    }

    /// One step. Returns the energy of the step: the sum of squared moves.
    pub fn step(&mut self) -> f32 {
        let n = self.len();
        if n == 0 {
            return 0.0;
        }
        std::mem::swap(&mut self.force, &mut self.previous);
        for f in &mut self.force {
            *f = [0.0; 2];
        }
        self.repulse();
        self.attract();
        self.pull_in();
        self.move_nodes()
    }

    /// Degree-weighted repulsion between every pair (or cells of far-away nodes); nodes
    /// that overlap push each other away hard.
    fn repulse(&mut self) {
        let n = self.len();
        let kr = self.settings.scaling;
        if n <= EXACT_REPULSION_MAX_NODES {
            for i in 0..n {
                for j in (i + 1)..n {
                    let [fx, fy] = self.pair_repulsion(i, j, kr);
                    self.force[i][0] += fx;
                    self.force[i][1] += fy;
                    self.force[j][0] -= fx;
                    self.force[j][1] -= fy;
                }
            }
        } else {
            let tree = QuadTree::build(&self.positions, &self.mass);
            for i in 0..n {
                let [fx, fy] = tree.repulsion(i, self, kr);
                self.force[i][0] += fx;
                self.force[i][1] += fy;
            }
        }
    }

    /// The repulsion of `j` on `i` (the opposite acts on `j`).
    fn pair_repulsion(&self, i: usize, j: usize, kr: f32) -> [f32; 2] {
        let (dx, dy) = delta(self.positions[i], self.positions[j], i, j);
        let d = (dx * dx + dy * dy).sqrt().max(1e-3);
        let masses = self.mass[i] * self.mass[j];
        let gap = d - self.size[i] - self.size[j];
        let f = if gap > 0.0 {
            kr * masses / gap
        } else {
            // Overlapping: ForceAtlas2's strong push, so sizes end apart.
            100.0 * kr * masses
        };
        [dx / d * f, dy / d * f]
    }

    /// Attraction along edges (weighted), and towards each group's centre.
    fn attract(&mut self) {
        let lin_log = self.settings.lin_log;
        for &(a, b, w) in &self.edges {
            let (a, b) = (a as usize, b as usize);
            let (dx, dy) = delta(self.positions[a], self.positions[b], a, b);
            let d = (dx * dx + dy * dy).sqrt().max(1e-3);
            let gap = (d - self.size[a] - self.size[b]).max(0.0);
            let pull = if lin_log { gap.ln_1p() } else { gap };
            let f = w * pull / d;
            let (fa, fb) = if self.settings.dissuade_hubs {
                (f / self.mass[a], f / self.mass[b])
            } else {
                (f, f)
            };
            self.force[a][0] -= dx * fa;
            self.force[a][1] -= dy * fa;
            self.force[b][0] += dx * fb;
            self.force[b][1] += dy * fb;
        }
        let Some(groups) = &self.groups else {
            return;
        };
        let count = groups.iter().max().map_or(0, |g| *g as usize + 1);
        let mut centre = vec![[0.0f32; 3]; count];
        for (i, &g) in groups.iter().enumerate() {
            let c = &mut centre[g as usize];
            c[0] += self.positions[i][0];
            c[1] += self.positions[i][1];
            c[2] += 1.0;
        }
        let k = self.settings.group_pull;
        for (i, &g) in groups.iter().enumerate() {
            let c = centre[g as usize];
            if c[2] < 2.0 {
                continue;
            }
            let (dx, dy) = (
                self.positions[i][0] - c[0] / c[2],
                self.positions[i][1] - c[1] / c[2],
            );
            let d = (dx * dx + dy * dy).sqrt().max(1e-3);
            let pull = if lin_log { d.ln_1p() } else { d };
            let f = k * self.mass[i] * pull / d;
            self.force[i][0] -= dx * f;
            self.force[i][1] -= dy * f;
        }
    }

    /// Gravity: a pull to the centre as strong as a node's mass, whatever its distance.
    fn pull_in(&mut self) {
        let kg = self.settings.gravity;
        for i in 0..self.len() {
            let [x, y] = self.positions[i];
            let d = (x * x + y * y).sqrt();
            if d > 1e-6 {
                let f = kg * self.mass[i] / d;
                self.force[i][0] -= x * f;
                self.force[i][1] -= y * f;
            }
        }
    }

    /// Moves every free node by its force at ForceAtlas2's adaptive speed, within the cap.
    fn move_nodes(&mut self) -> f32 {
        let n = self.len();
        let overlap = self.size.iter().any(|&r| r > 0.0);
        // Global swinging (the force changing direction) against traction (keeping it).
        let (mut swinging, mut traction) = (0.0f32, 0.0f32);
        for i in 0..n {
            let (f, p) = (self.force[i], self.previous[i]);
            let swing = ((f[0] - p[0]).powi(2) + (f[1] - p[1]).powi(2)).sqrt();
            let pull = ((f[0] + p[0]).powi(2) + (f[1] + p[1]).powi(2)).sqrt() / 2.0;
            swinging += self.mass[i] * swing;
            traction += self.mass[i] * pull;
        }
        if swinging > 0.0 && traction.is_finite() {
            let target = JITTER_TOLERANCE * traction / swinging;
            // Speed up at most by half each step.
            self.speed = self.speed + (target - self.speed).min(0.5 * self.speed);
        }
        let mut energy = 0.0;
        let mut largest = 0.0f32;
        for i in 0..n {
            if self.pinned[i] {
                continue;
            }
            let (f, p) = (self.force[i], self.previous[i]);
            let swing = self.mass[i] * ((f[0] - p[0]).powi(2) + (f[1] - p[1]).powi(2)).sqrt();
            let mut factor = self.speed / (1.0 + self.speed * swing.sqrt());
            if overlap {
                factor *= 0.1;
            }
            let len = (f[0] * f[0] + f[1] * f[1]).sqrt();
            if !len.is_finite() || len == 0.0 || !factor.is_finite() {
                continue;
            }
            let step = (len * factor).min(self.cap);
            let (mx, my) = (f[0] / len * step, f[1] / len * step);
            self.positions[i][0] += mx;
            self.positions[i][1] += my;
            energy += mx * mx + my * my;
            largest = largest.max(step);
        }
        self.last_move = largest;
        if largest < self.extent() * 1e-3 {
            self.calm_steps += 1;
        } else {
            self.calm_steps = 0;
        }
        self.cap *= COOLING;
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

/// A Barnes–Hut quadtree: each cell knows the mass it holds and its centre.
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
    fn build(points: &[[f32; 2]], mass: &[f32]) -> QuadTree {
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
            tree.insert(0, i, *p, (points, mass), 0);
        }
        tree
    }

    fn insert(
        &mut self,
        cell: usize,
        node: usize,
        p: [f32; 2],
        (points, mass): (&[[f32; 2]], &[f32]),
        depth: u32,
    ) {
        let c = &mut self.cells[cell];
        let (m, add) = (c.mass, mass[node]);
        c.mass_centre = [
            (c.mass_centre[0] * m + p[0] * add) / (m + add),
            (c.mass_centre[1] * m + p[1] * add) / (m + add),
        ];
        c.mass += add;
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
                self.insert(child, old, points[old], (points, mass), depth + 1);
            }
        }
        let child = self.child_for(cell, p);
        self.insert(child, node, p, (points, mass), depth + 1);
    }

    fn child_for(&self, cell: usize, p: [f32; 2]) -> usize {
        let c = &self.cells[cell];
        let q = usize::from(p[0] >= c.centre[0]) | (usize::from(p[1] >= c.centre[1]) << 1);
        c.children.map_or(cell, |ch| ch[q] as usize)
    }

    /// The repulsion on `node` of everything else: far cells as one body, near nodes one by
    /// one (with their sizes).
    fn repulsion(&self, node: usize, layout: &ForceLayout, kr: f32) -> [f32; 2] {
        let p = layout.positions[node];
        let mut force = [0.0f32; 2];
        let mut stack = vec![0usize];
        while let Some(i) = stack.pop() {
            let c = &self.cells[i];
            if c.mass == 0.0 || c.node == Some(node) && c.children.is_none() {
                continue;
            }
            let (dx, dy) = (p[0] - c.mass_centre[0], p[1] - c.mass_centre[1]);
            let d2 = (dx * dx + dy * dy).max(1e-6);
            let far = (2.0 * c.half) * (2.0 * c.half) < THETA * THETA * d2;
            match (c.children, c.node) {
                (Some(children), _) if !far => {
                    stack.extend(children.iter().map(|&x| x as usize));
                }
                (None, Some(other)) if !far || d2 < 1e-4 => {
                    // A near leaf: exactly, with sizes. (Coincident extra nodes in a deep
                    // leaf are left to the next step, when they have moved apart.)
                    let [fx, fy] = layout.pair_repulsion(node, other, kr);
                    force[0] += fx;
                    force[1] += fy;
                }
                _ => {
                    let f = kr * layout.mass[node] * c.mass / d2;
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
    fn the_layout_settles_and_its_energy_falls() {
        for settings in [LayoutSettings::lin_log(), LayoutSettings::linear()] {
            for (n, edges) in [(40, ring(40)), (800, random_graph(800, 2400))] {
                let mut layout = ForceLayout::new(n, edges, 7).with_settings(settings);
                // Energy relative to the picture's size (the layout grows as it unfolds).
                let early: f32 =
                    (0..10).map(|_| layout.step()).sum::<f32>() / layout.extent().powi(2);
                let mut steps = 10;
                while !layout.is_settled() && steps < 1000 {
                    layout.step();
                    steps += 1;
                }
                assert!(
                    layout.is_settled(),
                    "{n} nodes: not settled in {steps} steps"
                );
                let late: f32 =
                    (0..10).map(|_| layout.step()).sum::<f32>() / layout.extent().powi(2);
                assert!(
                    late < early / 300.0,
                    "{n} nodes, {settings:?}: early {early}, late {late}"
                );
            }
        }
    }

    #[test]
    fn sized_nodes_end_apart() {
        let sizes = vec![0.5; 60];
        let mut layout = ForceLayout::new(60, random_graph(60, 200), 3).with_sizes(sizes);
        for _ in 0..600 {
            layout.step();
        }
        for i in 0..60 {
            for j in (i + 1)..60 {
                let (p, q) = (layout.positions[i], layout.positions[j]);
                let d = ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt();
                assert!(d > 0.95, "{i} and {j} overlap: {d}");
            }
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
