//! The actor graph as a view: which actors and edges are shown, and where. Derived here, once,
//! from a [`GraphSpec`] (the user's settings as a plain value), so the panel and the exported
//! picture are the same graph by construction.
//!
//! Three steps, each a plain function: the members (the most connected actors, plus the one in
//! focus), their layout (deterministic, with the user's pins), and what is visible (hidden
//! kinds, the focus actor's neighbourhood, isolated actors).

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::network::{ActorGraph, EdgeKind, GraphEdge, GraphNode};
use crate::layout::{ForceLayout, LayoutSettings};
use crate::model::{ActorKind, RelationKind};
use crate::store::Store;

/// The seed of every graph layout: the same data and settings give the same picture.
pub const LAYOUT_SEED: u64 = 2024;

/// At most this many layout steps for the shape (the real files in `../shared/data` settle
/// in 140–240), then at most [`OVERLAP_MAX_STEPS`] more for nodes to stop overlapping.
const LAYOUT_MAX_STEPS: usize = 1000;

/// What the actor graph shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GraphSpec {
    /// Show at most this many actors: the most connected ones (events + 3 × stated relations).
    pub top_n: usize,
    /// An actor (id) always shown even when it is not among the most connected: the selected one.
    pub focus: Option<String>,
    /// Show only the focus actor's neighbourhood, this many hops deep (1–3).
    pub hops: Option<u8>,
    /// Relation kinds not drawn.
    pub hidden_relations: Vec<RelationKind>,
    /// Actor kinds not drawn.
    pub hidden_actor_kinds: Vec<ActorKind>,
    /// Hide actors with no visible edge (the focus actor stays).
    pub hide_isolated: bool,
    /// Draw the interactions derived from events.
    pub interactions: bool,
    /// Actors (by id) the user placed, and where, in layout units.
    pub pins: BTreeMap<String, [f32; 2]>,
    /// Colour actors by their community instead of their kind.
    pub communities: bool,
    /// Lay out in LinLog mode (communities as tight, separate clumps) rather than linear.
    pub lin_log: bool,
    /// Draw an interaction only when it stands for at least this many events (stated
    /// relations are always drawn).
    pub min_edge_events: u32,
}

impl Default for GraphSpec {
    fn default() -> GraphSpec {
        GraphSpec {
            top_n: 60,
            focus: None,
            hops: None,
            hidden_relations: Vec::new(),
            hidden_actor_kinds: Vec::new(),
            hide_isolated: false,
            interactions: true,
            pins: BTreeMap::new(),
            communities: false,
            lin_log: true,
            min_edge_events: 1,
        }
    }
}

/// An actor as the graph shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ViewNode {
    /// The actor's counts in the filtered events.
    #[serde(flatten)]
    pub node: GraphNode,
    /// Visible edges touching it.
    pub degree: u32,
    /// Where, in layout units.
    pub position: [f32; 2],
    /// Placed by the user.
    pub pinned: bool,
}

/// The actor graph as shown: visible actors with their places, and the visible edges between
/// them (`from` and `to` index [`GraphView::nodes`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GraphView {
    /// The actors shown.
    pub nodes: Vec<ViewNode>,
    /// The edges shown: interactions, same-side, then stated relations.
    pub edges: Vec<GraphEdge>,
    /// How many actors were laid out (the most connected ones and the focus).
    pub laid_out: usize,
    /// How many actors the filtered events and the stated relations involve in all.
    pub total_actors: usize,
    /// Each shown actor's community (0 the largest) among the edges shown, weighted by their
    /// events (a stated relation weighs one); see [`super::communities`].
    pub communities: Vec<u32>,
    /// Each community's name: its actor with the most events.
    pub community_names: Vec<String>,
    /// Actors are coloured by community, not by kind.
    pub by_community: bool,
    /// The scale (picture points per layout unit) at which nodes drawn at their full radius
    /// do not overlap; drawn at a smaller scale, radii shrink in proportion.
    #[serde(skip)]
    pub fitted_scale: f32,
    /// Each shown actor's label: its name, shortened when long, never the same as another's
    /// (see [`crate::layout::graph_picture::short_labels`]). The full name is on hover.
    #[serde(skip)]
    pub labels: Vec<String>,
    /// Whether each shown actor leads its community (of two or more): its label may cover
    /// nodes, so a tight clump still says what it is.
    #[serde(skip)]
    pub leads: Vec<bool>,
}

impl GraphView {
    /// The order labels are placed in: community leaders, then the most connected actors
    /// (by visible edges, then events).
    pub fn label_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        order.sort_by_key(|&i| {
            let n = &self.nodes[i];
            (
                !self.leads[i],
                std::cmp::Reverse(n.degree),
                std::cmp::Reverse(n.node.events),
                i,
            )
        });
        order
    }

    /// How label `i` keeps clear: a community leader's may cover nodes.
    pub fn label_placing(&self, i: usize) -> crate::layout::graph_picture::Placing {
        if self.leads[i] {
            crate::layout::graph_picture::Placing::OverNodes
        } else {
            crate::layout::graph_picture::Placing::Clear
        }
    }

    /// How large node `i` is drawn at `scale` (picture points per layout unit): its full
    /// radius at the fitted scale or larger, shrunk in proportion below it (never under 2).
    pub fn drawn_radius(&self, i: usize, scale: f32) -> f32 {
        let n = &self.nodes[i];
        let full = crate::layout::graph_picture::node_radius(n.degree, n.node.events);
        let shrink = if self.fitted_scale > 0.0 {
            (scale / self.fitted_scale).clamp(0.0, 1.0)
        } else {
            1.0
        };
        (full * shrink).max(2.0)
    }

    /// The colour of shown actor `i`: its community's (the seven largest communities get
    /// colours, the rest grey) or its kind's.
    pub fn node_colour(&self, i: usize, store: &Store) -> crate::style::Rgb {
        if self.by_community {
            return crate::style::community(self.communities.get(i).copied().unwrap_or(u32::MAX));
        }
        let actor = self.nodes[i].node.actor as usize;
        crate::style::actor_kind_colour(store.actors()[actor].kind)
    }

    /// The legend of the communities: each coloured one's name and size, then the rest
    /// counted together.
    pub fn community_legend(&self) -> Vec<(String, crate::style::Rgb)> {
        let mut sizes = vec![0usize; self.community_names.len()];
        for &c in &self.communities {
            sizes[c as usize] += 1;
        }
        let mut out: Vec<(String, crate::style::Rgb)> = sizes
            .iter()
            .enumerate()
            .take(crate::style::COMMUNITIES_COLOURED)
            .map(|(c, n)| {
                // Short enough for a legend column.
                let name = crate::text::cut(&self.community_names[c], 22);
                let text = if *n == 1 {
                    name.to_string()
                } else {
                    format!("{name} (+{})", n - 1)
                };
                (text, crate::style::community(c as u32))
            })
            .collect();
        let rest: usize = sizes.iter().skip(crate::style::COMMUNITIES_COLOURED).sum();
        if rest > 0 {
            out.push((
                format!("{} actors in smaller communities", rest),
                crate::style::OTHER,
            ));
        }
        out
    }

    /// The node index of an actor index, if it is shown.
    pub fn node_of(&self, actor: u32) -> Option<usize> {
        self.nodes.iter().position(|n| n.node.actor == actor)
    }
}

/// The actors laid out: the `top_n` most connected nodes of `graph` (node indices, ascending),
/// plus the focus actor's node when it is not among them.
pub fn members(graph: &ActorGraph, top_n: usize, focus: Option<u32>) -> Vec<usize> {
    let mut rank: Vec<usize> = (0..graph.nodes.len()).collect();
    let limit = top_n.max(1);
    if rank.len() > limit {
        rank.sort_by_key(|&i| {
            let n = &graph.nodes[i];
            (std::cmp::Reverse(n.events + 3 * n.relations), i)
        });
        rank.truncate(limit);
        if let Some(f) = focus.and_then(|a| graph.node_of(a)) {
            if !rank.contains(&f) {
                rank.push(f);
            }
        }
        rank.sort_unstable();
    }
    rank
}

/// The part of a graph on the given nodes, renumbered in their order.
pub fn subgraph(graph: &ActorGraph, members: &[usize]) -> ActorGraph {
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
            .map(|e| GraphEdge {
                from: index[e.from as usize],
                to: index[e.to as usize],
                ..e.clone()
            })
            .collect(),
    }
}

/// The pull of an edge in the layout: stated relations a fixed amount, interactions more the
/// more events they stand for.
fn edge_weight(e: &GraphEdge) -> f32 {
    match e.kind {
        EdgeKind::Stated(_) => 1.5,
        _ => (1.0 + e.events as f32).ln().max(0.3),
    }
}

/// Where each node of `graph` goes: a deterministic ForceAtlas2-style layout (LinLog unless
/// `spec.lin_log` is off), its communities held together, run until it settles, with the
/// pinned actors held where the user put them; then run again keeping nodes from
/// overlapping when drawn at [`node_radius`] in a picture of [`REFERENCE_PICTURE`]'s size.
///
/// [`node_radius`]: crate::layout::graph_picture::node_radius
pub fn layout(store: &Store, graph: &ActorGraph, spec: &GraphSpec) -> Placement {
    let edges: Vec<(u32, u32, f32)> = graph
        .edges
        .iter()
        .map(|e| (e.from, e.to, edge_weight(e)))
        .collect();
    let mut degree = vec![0u32; graph.nodes.len()];
    for e in &graph.edges {
        degree[e.from as usize] += 1;
        degree[e.to as usize] += 1;
    }
    let weighted: Vec<(u32, u32, f64)> = graph
        .edges
        .iter()
        .map(|e| (e.from, e.to, f64::from(e.events.max(1))))
        .collect();
    let communities = super::communities::louvain(graph.nodes.len(), &weighted);
    let settings = if spec.lin_log {
        LayoutSettings::lin_log()
    } else {
        LayoutSettings::linear()
    };
    let mut layout = ForceLayout::new(graph.nodes.len(), edges, LAYOUT_SEED)
        .with_settings(settings)
        .with_groups(communities);
    let mut pinned = vec![false; graph.nodes.len()];
    for (i, node) in graph.nodes.iter().enumerate() {
        let id = &store.actors()[node.actor as usize].id;
        if let Some(p) = spec.pins.get(id) {
            layout.pin(i, *p);
            pinned[i] = true;
        }
    }
    let mut steps = 0;
    while !layout.is_settled() && steps < LAYOUT_MAX_STEPS {
        layout.step();
        steps += 1;
    }
    let shape_steps = steps;
    // Then no overlap, for nodes as large as they are drawn in a picture of the usual size.
    let (lo, hi) = layout.bounds();
    let scale = (REFERENCE_PICTURE[0] / (hi[0] - lo[0]).max(1e-3))
        .min(REFERENCE_PICTURE[1] / (hi[1] - lo[1]).max(1e-3));
    let sizes = graph
        .nodes
        .iter()
        .zip(&degree)
        .map(|(n, &d)| (crate::layout::graph_picture::node_radius(d, n.events) + 2.0) / scale)
        .collect();
    layout.set_sizes(sizes);
    layout.reheat();
    while !layout.is_settled() && steps < LAYOUT_MAX_STEPS + OVERLAP_MAX_STEPS {
        layout.step();
        steps += 1;
    }
    Placement {
        positions: layout.positions,
        pinned,
        scale,
        steps: (shape_steps, steps - shape_steps),
    }
}

/// Where a graph's nodes went ([`layout`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Each node's position, in layout units.
    pub positions: Vec<[f32; 2]>,
    /// Whether each node is pinned.
    pub pinned: Vec<bool>,
    /// The scale (points per layout unit) at which nodes drawn at their radius do not
    /// overlap.
    pub scale: f32,
    /// Steps taken until the shape settled, then until no node overlapped.
    pub steps: (usize, usize),
}

/// The picture (width, height in points) the layout's sizes are fitted to: nodes drawn at
/// their radius in a picture this large do not overlap.
const REFERENCE_PICTURE: [f32; 2] = [900.0, 650.0];

/// At most this many steps after "no overlap" is switched on.
const OVERLAP_MAX_STEPS: usize = 300;

/// Which nodes and edges of a laid-out graph the spec shows: (node shown?, edge indices).
fn visible_parts(store: &Store, graph: &ActorGraph, spec: &GraphSpec) -> (Vec<bool>, Vec<usize>) {
    let mut node_ok: Vec<bool> = graph
        .nodes
        .iter()
        .map(|n| {
            !spec
                .hidden_actor_kinds
                .contains(&store.actors()[n.actor as usize].kind)
        })
        .collect();
    let edge_ok = |e: &GraphEdge| match e.kind {
        EdgeKind::Stated(k) => !spec.hidden_relations.contains(&k),
        EdgeKind::Interaction | EdgeKind::SameSide => {
            spec.interactions && e.events >= spec.min_edge_events
        }
    };
    let mut edges: Vec<usize> = (0..graph.edges.len())
        .filter(|&i| {
            let e = &graph.edges[i];
            edge_ok(e) && node_ok[e.from as usize] && node_ok[e.to as usize]
        })
        .collect();
    let focus = spec
        .focus
        .as_deref()
        .and_then(|id| store.actor_index(id))
        .and_then(|a| graph.node_of(a));
    if let (Some(hops), Some(centre)) = (spec.hops, focus) {
        let depth = hop_depths(graph, &edges, centre, hops.clamp(1, 3));
        for (i, ok) in node_ok.iter_mut().enumerate() {
            *ok = *ok && depth[i].is_some();
        }
        edges.retain(|&i| {
            let e = &graph.edges[i];
            node_ok[e.from as usize] && node_ok[e.to as usize]
        });
    }
    if spec.hide_isolated {
        let mut touched = vec![false; graph.nodes.len()];
        for &i in &edges {
            touched[graph.edges[i].from as usize] = true;
            touched[graph.edges[i].to as usize] = true;
        }
        for (i, ok) in node_ok.iter_mut().enumerate() {
            *ok = *ok && (touched[i] || Some(i) == focus);
        }
    }
    (node_ok, edges)
}

/// How many hops each node is from `centre` over `edges` (at most `max_hops`; `None` beyond).
fn hop_depths(graph: &ActorGraph, edges: &[usize], centre: usize, max_hops: u8) -> Vec<Option<u8>> {
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    for &i in edges {
        let e = &graph.edges[i];
        neighbours[e.from as usize].push(e.to as usize);
        neighbours[e.to as usize].push(e.from as usize);
    }
    let mut depth = vec![None; graph.nodes.len()];
    depth[centre] = Some(0);
    let mut queue = VecDeque::from([centre]);
    while let Some(n) = queue.pop_front() {
        let d = depth[n].unwrap_or(0);
        if d >= max_hops {
            continue;
        }
        for &m in &neighbours[n] {
            if depth[m].is_none() {
                depth[m] = Some(d + 1);
                queue.push_back(m);
            }
        }
    }
    depth
}

/// The view of a laid-out graph (`members` of the filter's graph, at `positions`) under `spec`.
pub fn graph_view(
    store: &Store,
    laid_out: &ActorGraph,
    positions: &[[f32; 2]],
    pinned: &[bool],
    fitted_scale: f32,
    total_actors: usize,
    spec: &GraphSpec,
) -> GraphView {
    let (node_ok, edge_list) = visible_parts(store, laid_out, spec);
    let mut index = vec![u32::MAX; laid_out.nodes.len()];
    let mut nodes = Vec::new();
    for (i, node) in laid_out.nodes.iter().enumerate() {
        if node_ok[i] {
            index[i] = nodes.len() as u32;
            nodes.push(ViewNode {
                node: node.clone(),
                degree: 0,
                position: positions[i],
                pinned: pinned[i],
            });
        }
    }
    let edges: Vec<GraphEdge> = edge_list
        .iter()
        .map(|&i| {
            let e = &laid_out.edges[i];
            GraphEdge {
                from: index[e.from as usize],
                to: index[e.to as usize],
                ..e.clone()
            }
        })
        .collect();
    for e in &edges {
        nodes[e.from as usize].degree += 1;
        nodes[e.to as usize].degree += 1;
    }
    let weighted: Vec<(u32, u32, f64)> = edges
        .iter()
        .map(|e| (e.from, e.to, f64::from(e.events.max(1))))
        .collect();
    let communities = super::communities::louvain(nodes.len(), &weighted);
    let leaders = community_leaders(&nodes, &communities);
    let community_names = community_names(store, &nodes, &leaders);
    let mut leads = vec![false; nodes.len()];
    for &i in leaders.iter().flatten() {
        // A community of one is no clump to name.
        if communities.iter().filter(|&&c| c == communities[i]).count() > 1 {
            leads[i] = true;
        }
    }
    let names: Vec<&str> = nodes
        .iter()
        .map(|n| store.actor_name(n.node.actor))
        .collect();
    let labels = crate::layout::graph_picture::short_labels(&names);
    GraphView {
        nodes,
        edges,
        laid_out: laid_out.nodes.len(),
        total_actors,
        communities,
        community_names,
        by_community: spec.communities,
        fitted_scale,
        labels,
        leads,
    }
}

/// Each community's name: the actor in it with the most events (ties: the first shown).
fn community_names(store: &Store, nodes: &[ViewNode], leaders: &[Option<usize>]) -> Vec<String> {
    leaders
        .iter()
        .map(|b| {
            b.map_or_else(String::new, |i| {
                store.actor_name(nodes[i].node.actor).to_string()
            })
        })
        .collect()
}

/// Each community's leading actor (node index): the one with the most events (ties: the
/// first shown).
fn community_leaders(nodes: &[ViewNode], communities: &[u32]) -> Vec<Option<usize>> {
    let count = communities.iter().max().map_or(0, |m| *m as usize + 1);
    let mut best: Vec<Option<usize>> = vec![None; count];
    for (i, &c) in communities.iter().enumerate() {
        let slot = &mut best[c as usize];
        if slot.is_none_or(|b| nodes[i].node.events > nodes[b].node.events) {
            *slot = Some(i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::actor_graph;

    fn seed() -> Store {
        Store::from_dataset(crate::seed::seed_dataset().unwrap())
    }

    fn view(store: &Store, spec: &GraphSpec) -> GraphView {
        let rows: Vec<u32> = (0..store.len() as u32).collect();
        let full = actor_graph(store, &rows);
        let focus = spec.focus.as_deref().and_then(|id| store.actor_index(id));
        let laid = subgraph(&full, &members(&full, spec.top_n, focus));
        let placed = layout(store, &laid, spec);
        graph_view(
            store,
            &laid,
            &placed.positions,
            &placed.pinned,
            placed.scale,
            full.nodes.len(),
            spec,
        )
    }

    #[test]
    fn the_most_connected_actors_are_shown_and_the_focus_joins_them() {
        let store = seed();
        let all = view(
            &store,
            &GraphSpec {
                top_n: 1000,
                ..GraphSpec::default()
            },
        );
        assert_eq!(all.nodes.len(), all.total_actors);
        let few = view(
            &store,
            &GraphSpec {
                top_n: 5,
                ..GraphSpec::default()
            },
        );
        assert_eq!(few.nodes.len(), 5);
        // The least connected actor, in focus, joins the five.
        let quiet = all
            .nodes
            .iter()
            .min_by_key(|n| {
                (
                    n.node.events + 3 * n.node.relations,
                    std::cmp::Reverse(n.node.actor),
                )
            })
            .unwrap();
        let id = store.actors()[quiet.node.actor as usize].id.clone();
        let with_focus = view(
            &store,
            &GraphSpec {
                top_n: 5,
                focus: Some(id),
                ..GraphSpec::default()
            },
        );
        assert_eq!(with_focus.nodes.len(), 6);
        assert!(with_focus.node_of(quiet.node.actor).is_some());
    }

    #[test]
    fn a_neighbourhood_holds_only_actors_within_its_hops() {
        let store = seed();
        let focus = "iri".to_string();
        assert!(store.actor_index(&focus).is_some(), "the seed has the IRI");
        let spec = GraphSpec {
            top_n: 1000,
            focus: Some(focus.clone()),
            hops: Some(1),
            ..GraphSpec::default()
        };
        let one = view(&store, &spec);
        let centre = one.node_of(store.actor_index(&focus).unwrap()).unwrap();
        // Every shown actor but the centre shares a shown edge with the centre.
        for i in 0..one.nodes.len() {
            if i != centre {
                assert!(
                    one.edges
                        .iter()
                        .any(|e| (e.from as usize, e.to as usize) == (i, centre)
                            || (e.to as usize, e.from as usize) == (i, centre)),
                    "{} is one hop from the IRI",
                    store.actor_name(one.nodes[i].node.actor)
                );
            }
        }
        let two = view(
            &store,
            &GraphSpec {
                hops: Some(2),
                ..spec
            },
        );
        assert!(two.nodes.len() > one.nodes.len());
    }

    #[test]
    fn hidden_kinds_and_pins_are_honoured_and_the_view_is_deterministic() {
        let store = seed();
        let pinned_id = store.actors()[0].id.clone();
        let spec = GraphSpec {
            hidden_actor_kinds: vec![ActorKind::Person],
            hidden_relations: vec![RelationKind::MemberOf],
            pins: BTreeMap::from([(pinned_id.clone(), [3.0, -2.0])]),
            ..GraphSpec::default()
        };
        let a = view(&store, &spec);
        assert!(a
            .nodes
            .iter()
            .all(|n| store.actors()[n.node.actor as usize].kind != ActorKind::Person));
        assert!(a
            .edges
            .iter()
            .all(|e| e.kind != EdgeKind::Stated(RelationKind::MemberOf)));
        if let Some(i) = a.node_of(0) {
            assert_eq!(a.nodes[i].position, [3.0, -2.0]);
            assert!(a.nodes[i].pinned);
        }
        assert_eq!(
            view(&store, &spec),
            a,
            "the same data and spec give the same view"
        );
    }
}
