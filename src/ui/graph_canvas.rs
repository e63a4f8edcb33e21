//! Drawing a [`GraphView`] with egui's painter: the camera (layout units to screen points),
//! what the pointer is over, edges, nodes, labels that never overlap, and the legend. The
//! graph itself — who is shown, where — comes laid out from the query layer.

use std::collections::{HashMap, HashSet};

use egui::{Color32, Painter, Pos2, Rect, Shape, Stroke, Ui, Vec2};

use super::palette::{kind_colour, relation_colour};
use faultline_core::layout::graph_picture::{self, LabelCandidate, Placing};
use faultline_core::model::{ActorKind, RelationKind};
use faultline_core::query::{EdgeKind, GraphView};
use faultline_core::store::Store;

/// Width of the legend drawn at the left of the graph.
const LEGEND_WIDTH: f32 = 130.0;
/// Narrower canvases have the legend in the "Legend" menu only.
pub const LEGEND_MIN_CANVAS: f32 = 760.0;
/// At most this many labels are considered (the most connected).
const LABELS_MAX: usize = 400;
/// Zoom limits, in screen points per layout unit.
pub const SCALE_RANGE: (f32, f32) = (0.02, 400.0);

/// Where the graph is looked at from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// The layout point at the canvas's centre.
    pub centre: [f32; 2],
    /// Screen points per layout unit.
    pub scale: f32,
}

impl Default for Camera {
    fn default() -> Camera {
        Camera {
            centre: [0.0, 0.0],
            scale: 40.0,
        }
    }
}

impl Camera {
    /// A camera showing every position, leaving room for the legend (when drawn) on the left
    /// and for labels on the right.
    pub fn fitting(positions: &[[f32; 2]], rect: Rect) -> Option<Camera> {
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in positions {
            for a in 0..2 {
                lo[a] = lo[a].min(p[a]);
                hi[a] = hi[a].max(p[a]);
            }
        }
        if lo[0] > hi[0] {
            return None;
        }
        let left = if rect.width() >= LEGEND_MIN_CANVAS {
            LEGEND_WIDTH
        } else {
            20.0
        };
        let right = 110.0;
        let size = [(hi[0] - lo[0]).max(1.0), (hi[1] - lo[1]).max(1.0)];
        let scale = ((rect.width() - left - right) / size[0]).min((rect.height() - 40.0) / size[1]);
        let scale = scale.clamp(SCALE_RANGE.0, SCALE_RANGE.1);
        let shift = (left - right) / 2.0 / scale;
        Some(Camera {
            centre: [(lo[0] + hi[0]) / 2.0 - shift, (lo[1] + hi[1]) / 2.0],
            scale,
        })
    }

    /// A layout point on screen.
    pub fn to_screen(self, rect: Rect, p: [f32; 2]) -> Pos2 {
        rect.center()
            + Vec2::new(
                (p[0] - self.centre[0]) * self.scale,
                (p[1] - self.centre[1]) * self.scale,
            )
    }

    /// A screen point in layout units.
    pub fn to_layout(self, rect: Rect, p: Pos2) -> [f32; 2] {
        let d = p - rect.center();
        [
            self.centre[0] + d.x / self.scale,
            self.centre[1] + d.y / self.scale,
        ]
    }

    /// Zooms by `factor` keeping the layout point under `pointer` where it is.
    pub fn zoom(&mut self, rect: Rect, factor: f32, pointer: Option<Pos2>) {
        let before = pointer.map(|p| self.to_layout(rect, p));
        self.scale = (self.scale * factor).clamp(SCALE_RANGE.0, SCALE_RANGE.1);
        if let (Some(b), Some(p)) = (before, pointer) {
            let after = self.to_layout(rect, p);
            self.centre[0] += b[0] - after[0];
            self.centre[1] += b[1] - after[1];
        }
    }
}

/// The graph placed on screen for one frame.
pub struct Scene<'a> {
    /// The graph.
    pub view: &'a GraphView,
    /// Each node's screen position.
    pub pos: Vec<Pos2>,
    /// Each node's radius.
    pub radius: Vec<f32>,
    /// How far each edge bends (edges between the same two actors are drawn apart).
    pub bends: Vec<f32>,
    /// How much every edge arcs (dense graphs).
    pub curvature: f32,
}

impl<'a> Scene<'a> {
    /// Places `view` with `camera`; `moved` overrides one node's layout position (a drag).
    pub fn new(
        view: &'a GraphView,
        camera: &Camera,
        rect: Rect,
        moved: Option<(usize, [f32; 2])>,
    ) -> Scene<'a> {
        let pos = view
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let p = match moved {
                    Some((m, at)) if m == i => at,
                    _ => n.position,
                };
                camera.to_screen(rect, p)
            })
            .collect();
        // Zoomed out beyond the layout's fitted scale, nodes shrink so they never overlap.
        let radius = (0..view.nodes.len())
            .map(|i| view.drawn_radius(i, camera.scale))
            .collect();
        let ends: Vec<(u32, u32)> = view.edges.iter().map(|e| (e.from, e.to)).collect();
        Scene {
            view,
            pos,
            radius,
            bends: graph_picture::edge_bends(&ends),
            curvature: graph_picture::curvature(view.nodes.len(), view.edges.len()),
        }
    }

    /// Edge `i`'s curve control point, when it bends.
    fn control(&self, i: usize) -> Option<Pos2> {
        let e = &self.view.edges[i];
        let (a, b) = (self.pos[e.from as usize], self.pos[e.to as usize]);
        graph_picture::bend_control(
            [a.x, a.y],
            [b.x, b.y],
            self.bends[i],
            (graph_picture::EDGE_SPACING, self.curvature),
        )
        .map(|[x, y]| Pos2::new(x, y))
    }

    /// Edge `i` as a polyline on screen (two points when straight).
    fn edge_points(&self, i: usize) -> Vec<Pos2> {
        let e = &self.view.edges[i];
        let (a, b) = (self.pos[e.from as usize], self.pos[e.to as usize]);
        match self.control(i) {
            None => vec![a, b],
            Some(c) => graph_picture::curve_points([a.x, a.y], [c.x, c.y], [b.x, b.y], 12)
                .into_iter()
                .map(|[x, y]| Pos2::new(x, y))
                .collect(),
        }
    }

    /// The node under the pointer, if any.
    pub fn node_at(&self, p: Pos2) -> Option<usize> {
        (0..self.pos.len())
            .map(|i| (i, self.pos[i].distance(p)))
            .filter(|&(i, d)| d <= self.radius[i] + 3.0)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// The edge under the pointer, if any (the last drawn wins).
    pub fn edge_at(&self, p: Pos2) -> Option<usize> {
        (0..self.view.edges.len()).rev().find(|&i| {
            self.edge_points(i)
                .windows(2)
                .any(|w| distance_to_segment(p, w[0], w[1]) < 4.0)
        })
    }

    /// The nodes sharing an edge with `focus`, and `focus` itself.
    pub fn neighbourhood(&self, focus: usize) -> HashSet<usize> {
        self.view
            .edges
            .iter()
            .filter_map(|e| match (e.from as usize, e.to as usize) {
                (a, b) if a == focus => Some(b),
                (a, b) if b == focus => Some(a),
                _ => None,
            })
            .chain(std::iter::once(focus))
            .collect()
    }
}

/// What is highlighted: the hovered or selected node's neighbourhood (others are faded).
pub struct Highlight {
    /// The node hovered.
    pub hovered: Option<usize>,
    /// The node selected.
    pub selected: Option<usize>,
    /// The edge hovered.
    pub hovered_edge: Option<usize>,
    /// The focus node's neighbourhood; empty when nothing is in focus.
    pub near: HashSet<usize>,
}

impl Highlight {
    fn faded(&self, i: usize) -> bool {
        !self.near.is_empty() && !self.near.contains(&i)
    }

    /// The selected or hovered node: its label is always drawn.
    fn is_focus(&self, i: usize) -> bool {
        Some(i) == self.selected || Some(i) == self.hovered
    }
}

/// Draws the edges: interactions first (underneath, grey), then stated relations as coloured
/// arrows, hostile ones dashed. Returns how many of each were drawn.
pub fn paint_edges(
    painter: &Painter,
    scene: &Scene,
    highlight: &Highlight,
) -> (usize, HashMap<RelationKind, usize>) {
    let edges = &scene.view.edges;
    let mut interactions = 0;
    for (i, e) in edges
        .iter()
        .enumerate()
        .filter(|(_, e)| !matches!(e.kind, EdgeKind::Stated(_)))
    {
        interactions += 1;
        let (a, b) = (e.from as usize, e.to as usize);
        let alpha = if highlight.faded(a) || highlight.faded(b) {
            25
        } else {
            90
        };
        let width = 0.6 + (e.events as f32).ln_1p() * 0.6;
        let colour = Color32::from_rgba_unmultiplied(150, 150, 150, alpha);
        painter.add(Shape::line(
            scene.edge_points(i),
            Stroke::new(width, colour),
        ));
    }
    let mut relations: HashMap<RelationKind, usize> = HashMap::new();
    for (i, e) in edges.iter().enumerate() {
        let EdgeKind::Stated(kind) = e.kind else {
            continue;
        };
        *relations.entry(kind).or_default() += 1;
        let (a, b) = (e.from as usize, e.to as usize);
        let mut colour = relation_colour(kind);
        if highlight.faded(a) || highlight.faded(b) {
            colour = colour.gamma_multiply(0.2);
        }
        let width = if highlight.hovered_edge == Some(i) {
            3.0
        } else {
            1.6
        };
        arrow(
            painter,
            &scene.edge_points(i),
            scene.radius[b],
            kind,
            Stroke::new(width, colour),
        );
    }
    (interactions, relations)
}

/// A stated relation along `points` (a line or a curve), ending in an arrowhead at the
/// target's rim.
fn arrow(
    painter: &Painter,
    points: &[Pos2],
    target_radius: f32,
    kind: RelationKind,
    stroke: Stroke,
) {
    let (Some(&to), Some(&before)) = (points.last(), points.iter().rev().nth(1)) else {
        return;
    };
    let dir = (to - before).normalized();
    let end = to - dir * (target_radius + 2.0);
    let mut path: Vec<Pos2> = points[..points.len() - 1].to_vec();
    path.push(end);
    if kind.is_hostile() {
        painter.extend(Shape::dashed_line(&path, stroke, 6.0, 4.0));
    } else {
        painter.add(Shape::line(path, stroke));
    }
    let side = Vec2::new(-dir.y, dir.x);
    painter.add(Shape::convex_polygon(
        vec![
            end,
            end - dir * 8.0 + side * 4.0,
            end - dir * 8.0 - side * 4.0,
        ],
        stroke.color,
        Stroke::NONE,
    ));
}

/// Draws the nodes (largest first) and then the labels that fit without overlapping: the
/// selected and hovered ones always. Returns the node order drawn.
pub fn paint_nodes(
    ui: &Ui,
    painter: &Painter,
    rect: Rect,
    store: &Store,
    scene: &Scene,
    highlight: &Highlight,
) -> Vec<usize> {
    let nodes = &scene.view.nodes;
    let text_colour = ui.visuals().text_color();
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&x, &y| scene.radius[y].total_cmp(&scene.radius[x]).then(x.cmp(&y)));
    for &i in &order {
        let mut fill = super::palette::colour(scene.view.node_colour(i, store));
        if highlight.faded(i) {
            fill = fill.gamma_multiply(0.25);
        }
        let outline = if Some(i) == highlight.selected || Some(i) == highlight.hovered {
            Stroke::new(2.5, text_colour)
        } else if nodes[i].pinned {
            Stroke::new(1.5, Color32::WHITE)
        } else {
            Stroke::new(0.5, Color32::BLACK)
        };
        painter.circle(scene.pos[i], scene.radius[i], fill, outline);
    }
    // Labels by priority: the selected and hovered actors, then as the view orders them
    // (community leaders, then the most connected); faded ones not at all.
    let mut by_priority: Vec<usize> = (0..nodes.len())
        .filter(|&i| highlight.is_focus(i))
        .collect();
    by_priority.extend(
        scene
            .view
            .label_order()
            .into_iter()
            .filter(|&i| !highlight.faded(i) && !highlight.is_focus(i)),
    );
    by_priority.truncate(LABELS_MAX);
    let font = egui::FontId::proportional(12.0);
    let galleys: Vec<_> = by_priority
        .iter()
        .map(|&i| {
            let label = scene.view.labels[i].clone();
            painter.layout_no_wrap(label, font.clone(), text_colour)
        })
        .collect();
    let candidates: Vec<LabelCandidate> = by_priority
        .iter()
        .zip(&galleys)
        .map(|(&i, galley)| LabelCandidate {
            centre: [scene.pos[i].x, scene.pos[i].y],
            radius: scene.radius[i],
            size: [galley.size().x, galley.size().y],
            placing: if highlight.is_focus(i) {
                Placing::Always
            } else {
                scene.view.label_placing(i)
            },
        })
        .collect();
    let bounds = [rect.min.x, rect.min.y, rect.max.x, rect.max.y];
    let discs: Vec<([f32; 2], f32)> = (0..nodes.len())
        .map(|i| ([scene.pos[i].x, scene.pos[i].y], scene.radius[i]))
        .collect();
    for (placed, galley) in graph_picture::place_labels(&candidates, &discs, bounds)
        .into_iter()
        .zip(galleys)
    {
        if let Some([x, y, _, _]) = placed {
            painter.galley(Pos2::new(x, y), galley, text_colour);
        }
    }
    order
}

/// The legend at the left of the canvas: the relation kinds and actor kinds drawn.
pub fn paint_legend(
    ui: &Ui,
    rect: Rect,
    relations: &HashMap<RelationKind, usize>,
    kinds: &HashSet<ActorKind>,
) {
    let painter = ui.painter_at(rect);
    let font = egui::FontId::proportional(11.0);
    let mut y = rect.top() + 8.0;
    let x = rect.left() + 8.0;
    let text = ui.visuals().weak_text_color();
    let label = |y: f32, words: &str| {
        painter.text(
            Pos2::new(x + 28.0, y),
            egui::Align2::LEFT_TOP,
            words,
            font.clone(),
            text,
        );
    };
    for kind in RelationKind::ALL
        .iter()
        .filter(|k| relations.contains_key(k))
    {
        let stroke = Stroke::new(2.0, relation_colour(*kind));
        let (a, b) = (Pos2::new(x, y + 6.0), Pos2::new(x + 22.0, y + 6.0));
        if kind.is_hostile() {
            painter.extend(Shape::dashed_line(&[a, b], stroke, 5.0, 3.0));
        } else {
            painter.line_segment([a, b], stroke);
        }
        label(y, kind.label());
        y += 15.0;
    }
    y += 6.0;
    for kind in ActorKind::ALL.into_iter().filter(|k| kinds.contains(k)) {
        painter.circle_filled(Pos2::new(x + 11.0, y + 6.0), 5.0, kind_colour(kind));
        label(y, kind.label());
        y += 15.0;
    }
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(1e-6)).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}
