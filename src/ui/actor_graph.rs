//! The actor graph: actors as nodes (colour by kind, size by connections), stated relations
//! as coloured arrows (hostile ones dashed), interactions from events as a grey layer that
//! can be switched off. Hover highlights a neighbourhood; click selects (and filters every
//! view to the actor); drag a node to move and pin it; drag the background to pan; scroll to
//! zoom; "Fit" shows everything. The layout (`faultline_core::layout`) runs a few steps per frame
//! until it settles.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2};

pub use super::palette::{kind_colour, relation_colour};
use crate::app::{Action, AppState, Selection};
use faultline_core::layout::ForceLayout;
use faultline_core::model::{ActorKind, RelationKind};
use faultline_core::query::{ActorGraph, EdgeKind, Filter};

/// Width of the legend drawn at the left of the graph.
const LEGEND_WIDTH: f32 = 130.0;
/// Narrower canvases have the legend in the "Legend" menu only.
const LEGEND_MIN_CANVAS: f32 = 760.0;

/// Where the graph is looked at from.
#[derive(Debug, Clone, Copy)]
struct Camera {
    centre: [f32; 2],
    /// Screen points per layout unit.
    scale: f32,
}

/// The graph panel's own state: the layout and the camera (heavy, so not in `AppState`).
pub struct GraphView {
    key: Option<(usize, Filter, usize, Option<u32>)>,
    graph: Arc<ActorGraph>,
    layout: ForceLayout,
    camera: Camera,
    fitted: bool,
    /// Keep fitting the view while the layout settles, until the user pans or zooms.
    follow: bool,
    dragging: Option<usize>,
    search: String,
    /// Actor indices of the nodes drawn last frame (for tests and the list).
    visible: Vec<u32>,
    /// Stated-relation edges drawn last frame, by kind.
    visible_relations: HashMap<RelationKind, usize>,
    /// Interaction edges drawn last frame.
    visible_interactions: usize,
}

impl Default for GraphView {
    fn default() -> Self {
        GraphView {
            key: None,
            graph: Arc::new(ActorGraph::default()),
            layout: ForceLayout::new(0, Vec::new(), 1),
            camera: Camera {
                centre: [0.0, 0.0],
                scale: 40.0,
            },
            fitted: false,
            follow: true,
            dragging: None,
            search: String::new(),
            visible: Vec::new(),
            visible_relations: HashMap::new(),
            visible_interactions: 0,
        }
    }
}

/// The events whose interactions the graph shows: the active filter without its actors (so
/// that selecting an actor does not shrink the graph to it).
fn graph_filter(state: &AppState) -> Filter {
    Filter {
        actors: Vec::new(),
        ..state.shown.filter.clone()
    }
}

impl GraphView {
    /// Names of the actors drawn in the last frame.
    pub fn visible_actors(&self) -> &[u32] {
        &self.visible
    }

    /// How many stated relations of a kind were drawn in the last frame.
    pub fn visible_relations(&self, kind: RelationKind) -> usize {
        self.visible_relations.get(&kind).copied().unwrap_or(0)
    }

    /// How many interaction edges were drawn in the last frame.
    pub fn visible_interactions(&self) -> usize {
        self.visible_interactions
    }

    fn refresh(&mut self, state: &AppState) {
        let store = state.dataset.store();
        let filter = graph_filter(state);
        let full = state.dataset.engine.actor_graph(&filter);
        // The selected actor joins the most connected ones if it is not among them.
        let limit = state.graph.max_actors.max(1);
        let selected = match state.selection {
            Selection::Actor(a) => full.node_of(a).map(|_| a),
            _ => None,
        };
        let members = most_connected(&full, limit);
        let extra = selected.filter(|a| !members.iter().any(|&i| full.nodes[i].actor == *a));
        let key = (
            Arc::as_ptr(state.dataset.engine.store()) as usize,
            filter.clone(),
            limit,
            extra,
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let mut members = members;
        if let Some(i) = extra.and_then(|a| full.node_of(a)) {
            members.push(i);
        }
        let graph = Arc::new(subgraph(&full, &members));
        let edges: Vec<(u32, u32, f32)> = graph
            .edges
            .iter()
            .map(|e| {
                let w = match e.kind {
                    EdgeKind::Stated(_) => 1.5,
                    _ => (1.0 + e.events as f32).ln().max(0.3),
                };
                (e.from, e.to, w)
            })
            .collect();
        let mut layout = ForceLayout::new(graph.nodes.len(), edges, 2024);
        for (i, node) in graph.nodes.iter().enumerate() {
            let id = &store.actors()[node.actor as usize].id;
            if let Some(p) = state.graph.pins.get(id) {
                layout.pin(i, *p);
            }
        }
        // Settle most of the way before the first frame of a small graph.
        if graph.nodes.len() <= 300 {
            for _ in 0..400 {
                layout.step();
            }
        }
        self.graph = graph;
        self.layout = layout;
        self.key = Some(key);
        self.fitted = false;
        self.follow = true;
    }

    /// Which nodes and edges pass the settings: (visible nodes, visible edge indices).
    fn visible_parts(&self, state: &AppState) -> (Vec<bool>, Vec<usize>) {
        let store = state.dataset.store();
        let g = &self.graph;
        let settings = &state.graph;
        let mut node_ok: Vec<bool> = g
            .nodes
            .iter()
            .map(|n| {
                !settings
                    .hidden_actor_kinds
                    .contains(&store.actors()[n.actor as usize].kind)
            })
            .collect();
        let edge_ok = |e: &faultline_core::query::network::GraphEdge| match e.kind {
            EdgeKind::Stated(k) => !settings.hidden_relations.contains(&k),
            EdgeKind::Interaction | EdgeKind::SameSide => settings.interactions,
        };
        let mut edges: Vec<usize> = g
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| edge_ok(e) && node_ok[e.from as usize] && node_ok[e.to as usize])
            .map(|(i, _)| i)
            .collect();
        // The selected actor's neighbourhood, `ego_hops` edges deep.
        let selected_node = match state.selection {
            Selection::Actor(a) => g.node_of(a),
            _ => None,
        };
        if let (true, Some(centre)) = (settings.ego, selected_node) {
            let mut adjacency: HashMap<usize, Vec<usize>> = HashMap::new();
            for &i in &edges {
                let e = &g.edges[i];
                adjacency
                    .entry(e.from as usize)
                    .or_default()
                    .push(e.to as usize);
                adjacency
                    .entry(e.to as usize)
                    .or_default()
                    .push(e.from as usize);
            }
            let mut depth: HashMap<usize, u8> = HashMap::from([(centre, 0)]);
            let mut queue = VecDeque::from([centre]);
            while let Some(n) = queue.pop_front() {
                let d = depth[&n];
                if d >= settings.ego_hops.clamp(1, 3) {
                    continue;
                }
                for &m in adjacency.get(&n).into_iter().flatten() {
                    if let std::collections::hash_map::Entry::Vacant(slot) = depth.entry(m) {
                        slot.insert(d + 1);
                        queue.push_back(m);
                    }
                }
            }
            for (i, ok) in node_ok.iter_mut().enumerate() {
                *ok = *ok && depth.contains_key(&i);
            }
            edges.retain(|&i| {
                let e = &g.edges[i];
                node_ok[e.from as usize] && node_ok[e.to as usize]
            });
        }
        if settings.hide_isolated {
            let mut touched = vec![false; g.nodes.len()];
            for &i in &edges {
                touched[g.edges[i].from as usize] = true;
                touched[g.edges[i].to as usize] = true;
            }
            for (i, ok) in node_ok.iter_mut().enumerate() {
                *ok = *ok && (touched[i] || Some(i) == selected_node);
            }
        }
        (node_ok, edges)
    }

    fn fit(&mut self, rect: Rect, visible: &[bool]) {
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for (i, p) in self.layout.positions.iter().enumerate() {
            if visible.get(i).copied().unwrap_or(false) {
                for a in 0..2 {
                    lo[a] = lo[a].min(p[a]);
                    hi[a] = hi[a].max(p[a]);
                }
            }
        }
        if lo[0] > hi[0] {
            return;
        }
        // Leave room for the legend on the left (when drawn) and for labels on the right.
        let left = if rect.width() >= LEGEND_MIN_CANVAS {
            LEGEND_WIDTH
        } else {
            20.0
        };
        let right = 110.0;
        let size = [(hi[0] - lo[0]).max(1.0), (hi[1] - lo[1]).max(1.0)];
        let scale = ((rect.width() - left - right) / size[0]).min((rect.height() - 40.0) / size[1]);
        let scale = scale.clamp(2.0, 400.0);
        let shift = (left - right) / 2.0 / scale;
        self.camera = Camera {
            centre: [(lo[0] + hi[0]) / 2.0 - shift, (lo[1] + hi[1]) / 2.0],
            scale,
        };
        self.fitted = true;
    }

    fn to_screen(&self, rect: Rect, p: [f32; 2]) -> Pos2 {
        rect.center()
            + Vec2::new(
                (p[0] - self.camera.centre[0]) * self.camera.scale,
                (p[1] - self.camera.centre[1]) * self.camera.scale,
            )
    }

    fn to_layout(&self, rect: Rect, p: Pos2) -> [f32; 2] {
        let d = p - rect.center();
        [
            self.camera.centre[0] + d.x / self.camera.scale,
            self.camera.centre[1] + d.y / self.camera.scale,
        ]
    }

    /// Draws the controls and the graph.
    pub fn ui(&mut self, ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
        self.refresh(state);
        let store = state.dataset.store();
        let settings = &state.graph;
        let mut next = settings.clone();
        let mut fit_now = false;
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut next.interactions, "Interactions from events");
            ui.checkbox(&mut next.hide_isolated, "Hide isolated");
            let most_label = ui.label("Most connected");
            ui.add(egui::Slider::new(&mut next.max_actors, 10..=2000).logarithmic(true))
                .labelled_by(most_label.id);
            ui.checkbox(&mut next.ego, "Neighbourhood of the selected actor");
            let hops_label = ui.label("hops");
            ui.add(egui::Slider::new(&mut next.ego_hops, 1..=3))
                .labelled_by(hops_label.id);
            ui.menu_button("Relations", |ui| {
                show_toggles(ui, &RelationKind::ALL, &mut next.hidden_relations, |k| {
                    (k.label(), relation_colour(k))
                });
            });
            ui.menu_button("Actor kinds", |ui| {
                show_toggles(ui, &ActorKind::ALL, &mut next.hidden_actor_kinds, |k| {
                    (k.label(), kind_colour(k))
                });
            });
            ui.menu_button("Legend", |ui| {
                for kind in RelationKind::ALL {
                    ui.label(egui::RichText::new(kind.label()).color(relation_colour(kind)));
                }
                ui.separator();
                for kind in ActorKind::ALL {
                    ui.label(
                        egui::RichText::new(format!("• {}", kind.label())).color(kind_colour(kind)),
                    );
                }
                ui.weak("Dashed: hostile relations. Grey: interactions in events.");
            });
            if ui.button("Fit").clicked() {
                fit_now = true;
            }
            if ui
                .button("Export graph…")
                .on_hover_text("The network as PNG, SVG or CSV")
                .clicked()
            {
                actions.push(Action::Export(
                    faultline_core::export::ExportKind::NETWORK_PNG,
                ));
            }
            let find_label = ui.label("Find");
            let find = ui
                .add(egui::TextEdit::singleline(&mut self.search).desired_width(140.0))
                .labelled_by(find_label.id);
            if find.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let needle = self.search.trim().to_lowercase();
                let found = self
                    .graph
                    .nodes
                    .iter()
                    .enumerate()
                    .find(|(_, n)| store.actor_name(n.actor).to_lowercase().contains(&needle));
                if let Some((i, n)) = found {
                    self.follow = false;
                    self.camera.centre = self.layout.positions[i];
                    actions.push(Action::SelectActor(n.actor));
                }
            }
        });
        if next != *settings {
            actions.push(Action::SetGraph(Box::new(next)));
        }

        let area = ui.available_rect_before_wrap();
        let (rect, response) = ui.allocate_exact_size(area.size(), Sense::click_and_drag());
        let (visible, edges) = self.visible_parts(state);
        if fit_now {
            self.follow = true;
        }
        if !self.fitted || self.follow {
            self.fit(rect, &visible);
        }
        // A few layout steps per frame until it settles (bounded in time).
        if !self.layout.is_settled() {
            let started = std::time::Instant::now();
            while !self.layout.is_settled() && started.elapsed().as_millis() < 6 {
                self.layout.step();
            }
            ui.ctx().request_repaint();
        }

        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
        let g = self.graph.clone();
        let pos: Vec<Pos2> = self
            .layout
            .positions
            .iter()
            .map(|&p| self.to_screen(rect, p))
            .collect();
        let degree = {
            let mut d = vec![0u32; g.nodes.len()];
            for &i in &edges {
                d[g.edges[i].from as usize] += 1;
                d[g.edges[i].to as usize] += 1;
            }
            d
        };
        // Never larger than a third of the ideal edge length on screen, so neighbours do not
        // cover each other when the view is zoomed out.
        let max_radius = (0.33 * self.camera.scale).max(3.0);
        let radius = |i: usize| {
            (3.5 + 1.2
                * (degree[i] as f32 + g.nodes[i].events as f32 * 0.1)
                    .sqrt()
                    .min(10.0))
            .min(max_radius)
        };

        // What the pointer is over.
        let pointer = response.hover_pos();
        let hovered_node = pointer.and_then(|p| {
            (0..g.nodes.len())
                .filter(|&i| visible[i])
                .map(|i| (i, pos[i].distance(p)))
                .filter(|&(i, d)| d <= radius(i) + 3.0)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        });
        let selected_node = match state.selection {
            Selection::Actor(a) => g.node_of(a),
            _ => None,
        };
        let focus = hovered_node.or(selected_node);
        let neighbours: HashSet<usize> = focus
            .map(|f| {
                edges
                    .iter()
                    .filter_map(|&i| {
                        let e = &g.edges[i];
                        match (e.from as usize, e.to as usize) {
                            (a, b) if a == f => Some(b),
                            (a, b) if b == f => Some(a),
                            _ => None,
                        }
                    })
                    .chain(std::iter::once(f))
                    .collect()
            })
            .unwrap_or_default();
        let faded = |i: usize| focus.is_some() && !neighbours.contains(&i);

        // Edges: interactions first (underneath), then stated relations with arrowheads.
        self.visible_relations.clear();
        self.visible_interactions = 0;
        let mut hovered_edge = None;
        for &i in &edges {
            let e = &g.edges[i];
            let (a, b) = (e.from as usize, e.to as usize);
            let dim = faded(a) || faded(b);
            if let (Some(p), None) = (pointer, hovered_node) {
                if distance_to_segment(p, pos[a], pos[b]) < 4.0 {
                    hovered_edge = Some(i);
                }
            }
            match e.kind {
                EdgeKind::Interaction | EdgeKind::SameSide => {
                    self.visible_interactions += 1;
                    let alpha = if dim { 25 } else { 90 };
                    let width = 0.6 + (e.events as f32).ln_1p() * 0.6;
                    let colour = Color32::from_rgba_unmultiplied(150, 150, 150, alpha);
                    painter.line_segment([pos[a], pos[b]], Stroke::new(width, colour));
                }
                EdgeKind::Stated(_) => {}
            }
        }
        for &i in &edges {
            let e = &g.edges[i];
            let EdgeKind::Stated(kind) = e.kind else {
                continue;
            };
            *self.visible_relations.entry(kind).or_default() += 1;
            let (a, b) = (e.from as usize, e.to as usize);
            let mut colour = relation_colour(kind);
            if faded(a) || faded(b) {
                colour = colour.gamma_multiply(0.2);
            }
            let width = if hovered_edge == Some(i) { 3.0 } else { 1.6 };
            let stroke = Stroke::new(width, colour);
            let (from, to) = (pos[a], pos[b]);
            let dir = (to - from).normalized();
            let end = to - dir * (radius(b) + 2.0);
            if kind.is_hostile() {
                painter.extend(Shape::dashed_line(&[from, end], stroke, 6.0, 4.0));
            } else {
                painter.line_segment([from, end], stroke);
            }
            let side = Vec2::new(-dir.y, dir.x);
            painter.add(Shape::convex_polygon(
                vec![
                    end,
                    end - dir * 8.0 + side * 4.0,
                    end - dir * 8.0 - side * 4.0,
                ],
                colour,
                Stroke::NONE,
            ));
        }

        // Nodes, then labels that do not overlap.
        self.visible.clear();
        let text_colour = ui.visuals().text_color();
        let mut order: Vec<usize> = (0..g.nodes.len()).filter(|&i| visible[i]).collect();
        order.sort_by(|&x, &y| radius(y).total_cmp(&radius(x)).then(x.cmp(&y)));
        for &i in &order {
            let actor = &store.actors()[g.nodes[i].actor as usize];
            self.visible.push(g.nodes[i].actor);
            let mut fill = kind_colour(actor.kind);
            if faded(i) {
                fill = fill.gamma_multiply(0.25);
            }
            let outline = if Some(i) == selected_node || Some(i) == hovered_node {
                Stroke::new(2.5, text_colour)
            } else if self.layout.is_pinned(i) {
                Stroke::new(1.5, Color32::WHITE)
            } else {
                Stroke::new(0.5, Color32::BLACK)
            };
            painter.circle(pos[i], radius(i), fill, outline);
        }
        let mut placed: Vec<Rect> = Vec::new();
        let font = egui::FontId::proportional(12.0);
        for &i in order.iter().take(400) {
            if faded(i) && Some(i) != hovered_node {
                continue;
            }
            let name = store.actor_name(g.nodes[i].actor);
            let galley = painter.layout_no_wrap(name.to_string(), font.clone(), text_colour);
            let at = pos[i] + Vec2::new(radius(i) + 3.0, -galley.size().y / 2.0);
            let label_rect = Rect::from_min_size(at, galley.size());
            let important = Some(i) == selected_node || Some(i) == hovered_node;
            if !important
                && (placed.iter().any(|r| r.intersects(label_rect))
                    || !rect.contains_rect(label_rect))
            {
                continue;
            }
            placed.push(label_rect);
            painter.galley(at, galley, text_colour);
        }
        // Every drawn node is also a widget with the actor's name: accessible and testable.
        if order.len() <= 500 {
            for &i in &order {
                let actor = g.nodes[i].actor;
                let r = radius(i);
                let node_rect = Rect::from_center_size(pos[i], Vec2::splat(2.0 * r));
                if !rect.contains_rect(node_rect) {
                    continue;
                }
                let node = ui.interact(
                    node_rect,
                    ui.scope_id().with(("node", actor)),
                    Sense::click_and_drag(),
                );
                let name = store.actor_name(actor).to_string();
                node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                if node.clicked() {
                    actions.push(Action::FocusActor(actor));
                }
                if node.drag_started() {
                    self.dragging = Some(i);
                }
            }
        }

        // Dragging a node moves and pins it; dragging elsewhere pans.
        if response.drag_started() {
            self.dragging = hovered_node;
        }
        if let Some(i) = self.dragging {
            let dragging_now = ui.input(|inp| inp.pointer.primary_down());
            if let Some(p) = ui.input(|inp| inp.pointer.interact_pos()) {
                let at = self.to_layout(rect, p);
                self.layout.pin(i, at);
                self.layout.reheat();
            }
            if !dragging_now {
                let id = store.actors()[g.nodes[i].actor as usize].id.clone();
                let mut next = state.graph.clone();
                next.pins.insert(id, self.layout.positions[i]);
                actions.push(Action::SetGraph(Box::new(next)));
                self.dragging = None;
            }
        } else if response.dragged() {
            self.follow = false;
            let d = response.drag_delta();
            self.camera.centre[0] -= d.x / self.camera.scale;
            self.camera.centre[1] -= d.y / self.camera.scale;
        }
        if response.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0 {
                self.follow = false;
                let before = pointer.map(|p| self.to_layout(rect, p));
                self.camera.scale = (self.camera.scale * (scroll / 300.0).exp()).clamp(2.0, 400.0);
                if let (Some(b), Some(p)) = (before, pointer) {
                    let after = self.to_layout(rect, p);
                    self.camera.centre[0] += b[0] - after[0];
                    self.camera.centre[1] += b[1] - after[1];
                }
            }
        }
        if response.clicked() {
            match (hovered_node, hovered_edge) {
                (Some(i), _) => actions.push(Action::FocusActor(g.nodes[i].actor)),
                (None, Some(e)) => {
                    if let Some(r) = g.edges[e].relation {
                        actions.push(Action::SelectRelation(r as u32));
                    } else {
                        let (a, b) = (
                            g.nodes[g.edges[e].from as usize].actor,
                            g.nodes[g.edges[e].to as usize].actor,
                        );
                        let mut f = state.filter.clone();
                        f.actors = vec![
                            store.actors()[a as usize].id.clone(),
                            store.actors()[b as usize].id.clone(),
                        ];
                        actions.push(Action::SetFilter(Box::new(f)));
                    }
                }
                _ => {}
            }
        }
        // Tooltips.
        if let Some(i) = hovered_node {
            let n = &g.nodes[i];
            let a = &store.actors()[n.actor as usize];
            response.clone().on_hover_ui_at_pointer(|ui| {
                ui.strong(&a.name);
                ui.label(format!(
                    "{} · {} events · {} relations",
                    a.kind.label(),
                    n.events,
                    n.relations
                ));
                ui.weak("Click: show its events · drag: move and pin");
            });
        } else if let Some(e) = hovered_edge {
            let edge = &g.edges[e];
            let (a, b) = (
                store.actor_name(g.nodes[edge.from as usize].actor),
                store.actor_name(g.nodes[edge.to as usize].actor),
            );
            response
                .clone()
                .on_hover_ui_at_pointer(|ui| match edge.kind {
                    EdgeKind::Stated(kind) => {
                        ui.label(format!("{a} — {} → {b}", kind.label()));
                        ui.weak("Click: its source and quote");
                    }
                    _ => {
                        ui.label(format!(
                            "{a} and {b}: {} events, {} deaths",
                            edge.events, edge.fatalities
                        ));
                        ui.weak("Click: show these events");
                    }
                });
        }
        let kinds: HashSet<ActorKind> = self
            .visible
            .iter()
            .map(|&a| store.actors()[a as usize].kind)
            .collect();
        if rect.width() >= LEGEND_MIN_CANVAS {
            legend(ui, rect, &self.visible_relations, &kinds);
        }
    }
}

fn legend(
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
        let colour = relation_colour(*kind);
        let stroke = Stroke::new(2.0, colour);
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

/// One coloured checkbox per kind; unticking one adds it to `hidden`.
fn show_toggles<K: Copy + PartialEq>(
    ui: &mut Ui,
    all: &[K],
    hidden: &mut Vec<K>,
    look: impl Fn(K) -> (&'static str, Color32),
) {
    for &kind in all {
        let (label, colour) = look(kind);
        let mut on = !hidden.contains(&kind);
        if ui
            .checkbox(&mut on, egui::RichText::new(label).color(colour))
            .changed()
        {
            if on {
                hidden.retain(|k| *k != kind);
            } else {
                hidden.push(kind);
            }
        }
    }
}

/// The `limit` nodes with the most events and relations (all of them when fewer).
fn most_connected(graph: &ActorGraph, limit: usize) -> Vec<usize> {
    let mut rank: Vec<usize> = (0..graph.nodes.len()).collect();
    if rank.len() > limit {
        rank.sort_by_key(|&i| {
            let n = &graph.nodes[i];
            (std::cmp::Reverse(n.events + 3 * n.relations), i)
        });
        rank.truncate(limit);
        rank.sort_unstable();
    }
    rank
}

/// The part of a graph on the given nodes, renumbered in their order.
fn subgraph(graph: &ActorGraph, members: &[usize]) -> ActorGraph {
    let mut index = vec![u32::MAX; graph.nodes.len()];
    for (new, &old) in members.iter().enumerate() {
        index[old] = new as u32;
    }
    ActorGraph {
        nodes: members.iter().map(|&i| graph.nodes[i].clone()).collect(),
        edges: graph
            .edges
            .iter()
            .filter(|e| index[e.from as usize] != u32::MAX && index[e.to as usize] != u32::MAX)
            .map(|e| faultline_core::query::network::GraphEdge {
                from: index[e.from as usize],
                to: index[e.to as usize],
                ..e.clone()
            })
            .collect(),
    }
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(1e-6)).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}
