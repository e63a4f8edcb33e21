//! The actor graph panel: actors as nodes (colour by kind, size by connections), stated
//! relations as coloured arrows (hostile ones dashed), interactions from events as a grey
//! layer that can be switched off. Hover highlights a neighbourhood; click selects (and
//! filters every view to the actor); drag a node to move and pin it; drag the background to
//! pan; scroll to zoom; "Fit" shows everything.
//!
//! Which actors are shown and where comes from the query layer
//! ([`faultline_core::query::Engine::graph_view`], computed off the UI thread for large
//! graphs), so "Export graph…" writes exactly this graph. The panel keeps only the camera and
//! a drag in progress.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use egui::{Color32, Rect, Sense, Ui, Vec2};

use super::graph_canvas::{self, Camera, Highlight, Scene, LEGEND_MIN_CANVAS};
use super::palette::{kind_colour, relation_colour};
use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, CentralTab, GraphSettings, Selection};
use faultline_core::model::{ActorKind, RelationKind};
use faultline_core::query::explain::Subject;
use faultline_core::query::{graph_filter, EdgeKind, Filter, GraphView};

/// A node being dragged: which actor, and where it is now in layout units.
#[derive(Debug, Clone, Copy)]
struct Drag {
    actor: u32,
    at: [f32; 2],
}

/// The graph panel's own state: the camera, a drag in progress, the Find box, and what was
/// drawn last (for the tests and the legend).
#[derive(Default)]
pub struct ActorGraphPanel {
    camera: Camera,
    /// Keep fitting the view to the graph until the user pans or zooms.
    follow: bool,
    /// What the camera last followed: dataset generation, events and how many actors.
    fitted_for: Option<(u64, Filter, usize)>,
    drag: Option<Drag>,
    search: String,
    /// Actor indices of the nodes drawn last frame.
    visible: Vec<u32>,
    /// Stated-relation edges drawn last frame, by kind.
    visible_relations: HashMap<RelationKind, usize>,
    /// Interaction edges drawn last frame.
    visible_interactions: usize,
    /// Every edge drawn last frame, as (actor, actor, kind).
    visible_edges: Vec<(u32, u32, EdgeKind)>,
}

impl Panel for ActorGraphPanel {
    fn id(&self) -> &'static str {
        "actor-graph"
    }
    fn title(&self) -> &'static str {
        "Actor graph"
    }
    fn slot(&self) -> Slot {
        Slot::Main(CentralTab::Actors)
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        self.show(ui, cx.state, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl ActorGraphPanel {
    /// The actors drawn in the last frame (indices in the store).
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

    /// The zoom (screen points per layout unit), and whether the view follows the graph
    /// (fitted to it) or was moved by the user.
    pub fn zoom(&self) -> (f32, bool) {
        (self.camera.scale, self.follow)
    }

    /// Every edge drawn in the last frame, as (actor, actor, kind) with actor indices.
    pub fn visible_edges(&self) -> &[(u32, u32, EdgeKind)] {
        &self.visible_edges
    }

    fn show(&mut self, ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
        // The graph the query layer prepared for this screen (the shell prepares it, in the
        // background when it is large, whenever this tab is shown).
        let Some(spec) = &state.shown.graph else {
            ui.centered_and_justified(|ui| ui.spinner());
            return;
        };
        let view = state.dataset.engine.graph_view(&state.shown.filter, spec);
        self.toolbar(ui, state, &view, actions);
        let key = (
            state.dataset.store().generation(),
            graph_filter(&state.shown.filter),
            spec.top_n,
        );
        if self.fitted_for.as_ref() != Some(&key) {
            self.follow = true;
            self.fitted_for = Some(key);
        }
        self.canvas(ui, state, &view, actions);
    }

    /// The controls above the graph; a change becomes one [`Action::SetGraph`].
    fn toolbar(
        &mut self,
        ui: &mut Ui,
        state: &AppState,
        view: &GraphView,
        actions: &mut Vec<Action>,
    ) {
        let mut next = state.graph.clone();
        ui.horizontal_wrapped(|ui| {
            // Short sliders, so the controls wrap inside a narrow centre instead of running
            // under the side column.
            ui.spacing_mut().slider_width = 90.0;
            ui.checkbox(&mut next.interactions, "Interactions from events");
            ui.checkbox(&mut next.hide_isolated, "Hide isolated");
            let most_label = ui.label("Most connected");
            ui.add(egui::Slider::new(&mut next.max_actors, 10..=2000).logarithmic(true))
                .labelled_by(most_label.id);
            ui.checkbox(&mut next.ego, "Neighbourhood of the selected actor");
            let hops_label = ui.label("hops");
            ui.add(egui::Slider::new(&mut next.ego_hops, 1..=3))
                .labelled_by(hops_label.id);
            ui.checkbox(&mut next.communities, "Colour by community")
                .on_hover_text(
                "Colour actors by the group they are most tied to (Louvain), instead of by kind",
            );
            ui.checkbox(&mut next.lin_log, "LinLog layout")
                .on_hover_text(
                    "ForceAtlas2's LinLog mode: groups of actors tied to each other form tight, \
                 separate clumps. Off: linear attraction, a more even spread",
                );
            let min_label = ui.label("Edges with at least").on_hover_text(
                "Hide interactions that fewer events stand behind (stated relations always show)",
            );
            ui.add(
                egui::Slider::new(&mut next.min_edge_events, 1..=100)
                    .logarithmic(true)
                    .suffix(" events"),
            )
            .labelled_by(min_label.id);
            kind_menus(ui, &mut next, view);
            if ui
                .button("Fit")
                .on_hover_text("Show the whole graph, fitted to the canvas")
                .clicked()
            {
                self.follow = true;
            }
            whole_centre_toggle(ui, state, actions);
            if ui
                .button("Export graph…")
                .on_hover_text("This graph as PNG, SVG or CSV: the same actors, edges and places")
                .clicked()
            {
                actions.push(Action::Export(
                    faultline_core::export::ExportKind::NETWORK_PNG,
                ));
            }
            self.find_box(ui, state, view, actions);
        });
        if next != state.graph {
            actions.push(Action::SetGraph(Box::new(next)));
        }
    }

    /// "Find": Enter centres the view on the first actor whose name contains the text.
    fn find_box(
        &mut self,
        ui: &mut Ui,
        state: &AppState,
        view: &GraphView,
        actions: &mut Vec<Action>,
    ) {
        let store = state.dataset.store();
        let find_label = ui.label("Find");
        let find = ui
            .add(egui::TextEdit::singleline(&mut self.search).desired_width(140.0))
            .labelled_by(find_label.id);
        if find.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            let needle = self.search.trim().to_lowercase();
            let found = view.nodes.iter().find(|n| {
                store
                    .actor_name(n.node.actor)
                    .to_lowercase()
                    .contains(&needle)
            });
            if let Some(n) = found {
                self.follow = false;
                self.camera.centre = n.position;
                actions.push(Action::SelectActor(n.node.actor));
            }
        }
    }

    fn canvas(
        &mut self,
        ui: &mut Ui,
        state: &AppState,
        view: &Arc<GraphView>,
        actions: &mut Vec<Action>,
    ) {
        let store = state.dataset.store();
        // Within what is visible: a toolbar wider than the centre must not push the canvas
        // under the side column. A toolbar wrapped taller than a small window leaves nothing
        // visible, and then the canvas is empty, never of negative size.
        let area = ui.available_rect_before_wrap().intersect(ui.clip_rect());
        let size = area.size().max(Vec2::ZERO);
        let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
        if self.follow {
            let positions: Vec<[f32; 2]> = view.nodes.iter().map(|n| n.position).collect();
            if let Some(camera) = Camera::fitting(&positions, rect) {
                self.camera = camera;
            }
        }
        let moved = self
            .drag
            .and_then(|d| view.node_of(d.actor).map(|i| (i, d.at)));
        let scene = Scene::new(view, &self.camera, rect, moved);
        let pointer = response.hover_pos();
        let hovered = pointer.and_then(|p| scene.node_at(p));
        let selected = match state.selection {
            Selection::Actor(a) => view.node_of(a),
            _ => None,
        };
        let highlight = Highlight {
            hovered,
            selected,
            hovered_edge: pointer
                .filter(|_| hovered.is_none())
                .and_then(|p| scene.edge_at(p)),
            near: hovered
                .or(selected)
                .map(|f| scene.neighbourhood(f))
                .unwrap_or_default(),
        };
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
        let (interactions, relations) = graph_canvas::paint_edges(&painter, &scene, &highlight);
        let order = graph_canvas::paint_nodes(ui, &painter, rect, store, &scene, &highlight);
        self.visible = view.nodes.iter().map(|n| n.node.actor).collect();
        self.visible_interactions = interactions;
        self.visible_relations = relations;
        let actor_of = |n: u32| view.nodes[n as usize].node.actor;
        self.visible_edges = view
            .edges
            .iter()
            .map(|e| (actor_of(e.from), actor_of(e.to), e.kind))
            .collect();
        node_widgets(ui, rect, state, &scene, &order, actions, &mut self.drag);
        self.navigate(ui, rect, &response, state, &scene, hovered, actions);
        clicks_and_tooltips(&response, state, &scene, &highlight, actions);
        if rect.width() >= LEGEND_MIN_CANVAS {
            let kinds: HashSet<ActorKind> = self
                .visible
                .iter()
                .map(|&a| store.actors()[a as usize].kind)
                .collect();
            graph_canvas::paint_legend(ui, rect, &self.visible_relations, &kinds);
        }
    }

    /// Dragging a node moves it and, when let go, pins it there; dragging the background pans;
    /// scrolling zooms.
    #[allow(clippy::too_many_arguments)]
    fn navigate(
        &mut self,
        ui: &Ui,
        rect: Rect,
        response: &egui::Response,
        state: &AppState,
        scene: &Scene,
        hovered: Option<usize>,
        actions: &mut Vec<Action>,
    ) {
        if response.drag_started() {
            if let Some(i) = hovered {
                let actor = scene.view.nodes[i].node.actor;
                self.drag = Some(Drag {
                    actor,
                    at: scene.view.nodes[i].position,
                });
            }
        }
        if let Some(drag) = &mut self.drag {
            if let Some(p) = ui.input(|inp| inp.pointer.interact_pos()) {
                drag.at = self.camera.to_layout(rect, p);
            }
            if !ui.input(|inp| inp.pointer.primary_down()) {
                let id = state.dataset.store().actors()[drag.actor as usize]
                    .id
                    .clone();
                let mut next = state.graph.clone();
                next.pins.insert(id, drag.at);
                actions.push(Action::SetGraph(Box::new(next)));
                self.drag = None;
            }
            ui.ctx().request_repaint();
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
                self.camera
                    .zoom(rect, (scroll / 300.0).exp(), response.hover_pos());
            }
        }
    }
}

/// The Relations, Actor kinds and Legend menus.
fn kind_menus(ui: &mut Ui, next: &mut GraphSettings, view: &GraphView) {
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
        if view.by_community {
            for (name, colour) in view.community_legend() {
                let colour = super::palette::colour(colour);
                ui.label(egui::RichText::new(format!("• {name}")).color(colour));
            }
        } else {
            for kind in ActorKind::ALL {
                let colour = kind_colour(kind);
                ui.label(egui::RichText::new(format!("• {}", kind.label())).color(colour));
            }
        }
        ui.weak("Dashed: hostile relations. Grey: interactions in events.");
    });
}

/// Every drawn node is also a widget with the actor's name: accessible and testable.
fn node_widgets(
    ui: &Ui,
    rect: Rect,
    state: &AppState,
    scene: &Scene,
    order: &[usize],
    actions: &mut Vec<Action>,
    drag: &mut Option<Drag>,
) {
    if order.len() > 500 {
        return;
    }
    let store = state.dataset.store();
    for &i in order {
        let node = &scene.view.nodes[i];
        let actor = node.node.actor;
        let r = scene.radius[i];
        let node_rect = Rect::from_center_size(scene.pos[i], Vec2::splat(2.0 * r));
        if !rect.contains_rect(node_rect) {
            continue;
        }
        let widget = ui.interact(
            node_rect,
            ui.scope_id().with(("node", actor)),
            Sense::click_and_drag(),
        );
        let name = store.actor_name(actor).to_string();
        widget.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        if widget.clicked() {
            actions.push(Action::FocusActor(actor));
        }
        if widget.drag_started() {
            *drag = Some(Drag {
                actor,
                at: node.position,
            });
        }
    }
}

/// A click on a node selects its actor and filters to it; on a stated relation, selects it;
/// on an interaction, filters to the two actors' events. Hover shows what a node or edge is.
fn clicks_and_tooltips(
    response: &egui::Response,
    state: &AppState,
    scene: &Scene,
    highlight: &Highlight,
    actions: &mut Vec<Action>,
) {
    let store = state.dataset.store();
    let view = scene.view;
    let actor_of = |n: u32| view.nodes[n as usize].node.actor;
    if response.clicked() {
        match (highlight.hovered, highlight.hovered_edge) {
            (Some(i), _) => actions.push(Action::FocusActor(view.nodes[i].node.actor)),
            (None, Some(e)) => match view.edges[e].relation {
                Some(r) => actions.push(Action::SelectRelation(r as u32)),
                None => {
                    let mut f = state.filter.clone();
                    f.actors = [view.edges[e].from, view.edges[e].to]
                        .iter()
                        .map(|&n| store.actors()[actor_of(n) as usize].id.clone())
                        .collect();
                    actions.push(Action::SetFilter(Box::new(f)));
                }
            },
            _ => {}
        }
    }
    if response.secondary_clicked() {
        let why = match (highlight.hovered, highlight.hovered_edge) {
            (Some(i), _) => Some(Subject::ActorEvents(view.nodes[i].node.actor)),
            (None, Some(e)) => {
                let edge = &view.edges[e];
                match edge.kind {
                    EdgeKind::Interaction | EdgeKind::SameSide => Some(Subject::Edge {
                        from: actor_of(edge.from),
                        to: actor_of(edge.to),
                        same_side: edge.kind == EdgeKind::SameSide,
                    }),
                    EdgeKind::Stated(_) => None,
                }
            }
            _ => None,
        };
        if let Some(why) = why {
            actions.push(Action::Explain(Some(Box::new(why))));
        }
    }
    if let Some(i) = highlight.hovered {
        let n = &view.nodes[i].node;
        let a = &store.actors()[n.actor as usize];
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.strong(&a.name);
            ui.label(format!(
                "{} · {} events · {} relations",
                a.kind.label(),
                n.events,
                n.relations
            ));
            ui.weak("Click: show its events · drag: move and pin · right-click: why its count");
        });
    } else if let Some(e) = highlight.hovered_edge {
        let edge = &view.edges[e];
        let (a, b) = (
            store.actor_name(actor_of(edge.from)),
            store.actor_name(actor_of(edge.to)),
        );
        response
            .clone()
            .on_hover_ui_at_pointer(|ui| match edge.kind {
                EdgeKind::Stated(kind) => {
                    ui.label(format!("{a} {} {b}", kind.label()));
                    ui.weak("Click: its source and quote");
                }
                _ => {
                    ui.label(format!(
                        "{a} and {b}: {} events, {} deaths",
                        edge.events, edge.fatalities
                    ));
                    ui.weak("Click: show these events · right-click: why this number?");
                }
            });
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

/// The side column of this tab (the actor list and the statements) hidden, so the graph
/// takes the whole centre, or shown again. Remembered like every panel shown or hidden.
fn whole_centre_toggle(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let side = [super::actor_list::PANEL_ID, super::statements::PANEL_ID];
    let whole = side.iter().all(|id| !state.panels.is_shown(id));
    let (label, hint) = if whole {
        (
            "Show actor list",
            "Show the actor list and statements beside the graph again",
        )
    } else {
        ("Whole centre", "Give the graph the whole centre: hide the actor list and statements (View menu brings them back)")
    };
    if ui.button(label).on_hover_text(hint).clicked() {
        for id in side {
            actions.push(Action::ShowPanel(id.to_string(), whole));
        }
    }
}
