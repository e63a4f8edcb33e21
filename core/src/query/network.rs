//! Actor networks: who meets whom in the events (weighted by events and deaths), and what
//! relations the dataset states — one graph with typed edges.

use serde::Serialize;

use crate::model::RelationKind;
use crate::store::{Store, NO_ACTOR, NO_COUNT};

/// What an edge stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EdgeKind {
    /// Actor 1 and actor 2 (with their associated actors) met in events.
    Interaction,
    /// An actor and its associated actor were on the same side of events.
    SameSide,
    /// A relation the dataset states (index into `Store::meta.relations`).
    Stated(RelationKind),
}

/// An actor in the graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphNode {
    /// Index of the actor in the store.
    pub actor: u32,
    /// Events (in the filtered set) the actor takes part in.
    pub events: u32,
    /// Deaths in those events.
    pub fatalities: u64,
    /// Stated relations touching the actor.
    pub relations: u32,
}

/// An edge between two nodes (indices into [`ActorGraph::nodes`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphEdge {
    /// From (for interactions: the lower node index).
    pub from: u32,
    /// To.
    pub to: u32,
    /// What the edge stands for.
    pub kind: EdgeKind,
    /// Events behind an interaction or same-side edge (0 for stated relations).
    pub events: u32,
    /// Deaths in those events.
    pub fatalities: u64,
    /// For stated relations: the index in `Store::meta.relations`.
    pub relation: Option<usize>,
}

/// Actors and their edges.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ActorGraph {
    /// Nodes, in order of first appearance.
    pub nodes: Vec<GraphNode>,
    /// Edges: interactions, same-side, then stated relations.
    pub edges: Vec<GraphEdge>,
}

impl ActorGraph {
    /// The node index of an actor index, if it is in the graph.
    pub fn node_of(&self, actor: u32) -> Option<usize> {
        self.nodes.iter().position(|n| n.actor == actor)
    }
}

/// The nodes of a graph being built, one per actor met, in order of first appearance.
struct NodeIndex {
    node_of_actor: Vec<u32>,
    nodes: Vec<GraphNode>,
}

impl NodeIndex {
    fn new(actors: usize) -> NodeIndex {
        NodeIndex {
            node_of_actor: vec![u32::MAX; actors],
            nodes: Vec::new(),
        }
    }

    /// The node of an actor, added on first sight.
    #[inline]
    fn node(&mut self, actor: u32) -> u32 {
        let slot = &mut self.node_of_actor[actor as usize];
        if *slot == u32::MAX {
            *slot = self.nodes.len() as u32;
            self.nodes.push(GraphNode {
                actor,
                events: 0,
                fatalities: 0,
                relations: 0,
            });
        }
        *slot
    }
}

/// Builds the graph of the events `rows` plus every stated relation.
pub fn actor_graph(store: &Store, rows: &[u32]) -> ActorGraph {
    let mut index = NodeIndex::new(store.actors().len());
    let mut edges = interaction_edges(store, rows, &mut index);
    stated_edges(store, &mut index, &mut edges);
    ActorGraph {
        nodes: index.nodes,
        edges,
    }
}

/// The two sides of event `i`, as actor indices: actor 1 and its associated actors, actor 2
/// and its associated actors (lead actor first).
fn sides(store: &Store, i: usize, side_a: &mut Vec<u32>, side_b: &mut Vec<u32>) {
    let e = &store.events;
    side_a.clear();
    side_b.clear();
    if e.actor1[i] != NO_ACTOR {
        side_a.push(e.actor1[i]);
    }
    if e.actor2[i] != NO_ACTOR {
        side_b.push(e.actor2[i]);
    }
    side_a.extend_from_slice(e.associated_1.get(i));
    side_b.extend_from_slice(e.associated_2.get(i));
}

/// The pairs an event links, given its two sides: each actor of one side with each of the
/// other (`same_side` false), and each side's lead actor with the rest of its side (`true`);
/// an actor is never paired with itself.
fn pairs(side_a: &[u32], side_b: &[u32], mut f: impl FnMut(u32, u32, bool)) {
    for &a in side_a {
        for &b in side_b {
            if a != b {
                f(a, b, false);
            }
        }
    }
    for side in [side_a, side_b] {
        if let Some((&lead, rest)) = side.split_first() {
            for &other in rest {
                if lead != other {
                    f(lead, other, true);
                }
            }
        }
    }
}

/// The events behind the numbers of the actor graph of the events `rows`.
#[derive(Debug, Default)]
pub struct GraphRows {
    /// Each interaction edge's events, keyed `(lower actor, higher actor, same side)`.
    pub edges: rustc_hash::FxHashMap<(u32, u32, bool), Vec<u32>>,
    /// Each actor's events (any side).
    pub actors: rustc_hash::FxHashMap<u32, Vec<u32>>,
}

/// The events behind every edge and actor count of the graph of the events `rows` — one
/// pass, by the rules the graph weighs with.
pub fn graph_rows(store: &Store, rows: &[u32]) -> GraphRows {
    let mut out = GraphRows::default();
    let (mut side_a, mut side_b) = (Vec::new(), Vec::new());
    for &r in rows {
        sides(store, r as usize, &mut side_a, &mut side_b);
        for &a in side_a.iter().chain(side_b.iter()) {
            let list = out.actors.entry(a).or_default();
            if list.last() != Some(&r) {
                list.push(r);
            }
        }
        pairs(&side_a, &side_b, |x, y, same_side| {
            let list = out
                .edges
                .entry((x.min(y), x.max(y), same_side))
                .or_default();
            if list.last() != Some(&r) {
                list.push(r);
            }
        });
    }
    out
}

/// The events among `rows` that an interaction edge between actors `x` and `y` counts: on
/// opposite sides (`same_side` false), or one the lead of a side the other is associated
/// with (`same_side` true) — as [`actor_graph`] weighs its edges.
pub fn rows_of_edge(store: &Store, rows: &[u32], x: u32, y: u32, same_side: bool) -> Vec<u32> {
    let key = (x.min(y), x.max(y), same_side);
    let (mut side_a, mut side_b) = (Vec::new(), Vec::new());
    rows.iter()
        .copied()
        .filter(|&r| {
            sides(store, r as usize, &mut side_a, &mut side_b);
            let mut hit = false;
            pairs(&side_a, &side_b, |a, b, same| {
                hit |= (a.min(b), a.max(b), same) == key
            });
            hit
        })
        .collect()
}

/// The interactions of the events: actor 1's side against actor 2's, and each side's lead
/// actor with its associated actors, weighted by events and deaths. Heaviest first.
fn interaction_edges(store: &Store, rows: &[u32], index: &mut NodeIndex) -> Vec<GraphEdge> {
    let e = &store.events;
    let mut weights: rustc_hash::FxHashMap<(u32, u32, bool), (u32, u64)> =
        rustc_hash::FxHashMap::default();
    let (mut side_a, mut side_b) = (Vec::new(), Vec::new());
    for &r in rows {
        let i = r as usize;
        let deaths = match e.fatalities[i] {
            NO_COUNT => 0,
            f => u64::from(f),
        };
        sides(store, i, &mut side_a, &mut side_b);
        for n in side_a.iter_mut().chain(side_b.iter_mut()) {
            *n = index.node(*n);
        }
        for &n in side_a.iter().chain(side_b.iter()) {
            index.nodes[n as usize].events += 1;
            index.nodes[n as usize].fatalities += deaths;
        }
        pairs(&side_a, &side_b, |x, y, same_side| {
            let w = weights.entry((x.min(y), x.max(y), same_side)).or_default();
            w.0 += 1;
            w.1 += deaths;
        });
    }
    let mut edges: Vec<GraphEdge> = weights
        .into_iter()
        .map(|((from, to, same_side), (events, fatalities))| GraphEdge {
            from,
            to,
            kind: if same_side {
                EdgeKind::SameSide
            } else {
                EdgeKind::Interaction
            },
            events,
            fatalities,
            relation: None,
        })
        .collect();
    // Deterministic order: heaviest first, then by node.
    edges.sort_by(|a, b| {
        b.events
            .cmp(&a.events)
            .then(a.from.cmp(&b.from))
            .then(a.to.cmp(&b.to))
            .then((a.kind == EdgeKind::SameSide).cmp(&(b.kind == EdgeKind::SameSide)))
    });
    edges
}

/// Every relation the dataset states, as an edge (its actors join the graph).
fn stated_edges(store: &Store, index: &mut NodeIndex, edges: &mut Vec<GraphEdge>) {
    for (k, rel) in store.meta.relations.iter().enumerate() {
        let (Some(a), Some(b)) = (store.actor_index(&rel.from), store.actor_index(&rel.to)) else {
            continue;
        };
        let (from, to) = (index.node(a), index.node(b));
        index.nodes[from as usize].relations += 1;
        if from != to {
            index.nodes[to as usize].relations += 1;
        }
        edges.push(GraphEdge {
            from,
            to,
            kind: EdgeKind::Stated(rel.kind),
            events: 0,
            fatalities: 0,
            relation: Some(k),
        });
    }
}
