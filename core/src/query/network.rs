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

/// Builds the graph of the events `rows` plus every stated relation.
pub fn actor_graph(store: &Store, rows: &[u32]) -> ActorGraph {
    let e = &store.events;
    let mut node_of_actor: Vec<u32> = vec![u32::MAX; store.actors().len()];
    let mut nodes: Vec<GraphNode> = Vec::new();
    let mut node = |actor: u32, nodes: &mut Vec<GraphNode>| -> u32 {
        let slot = &mut node_of_actor[actor as usize];
        if *slot == u32::MAX {
            *slot = nodes.len() as u32;
            nodes.push(GraphNode {
                actor,
                events: 0,
                fatalities: 0,
                relations: 0,
            });
        }
        *slot
    };
    let mut weights: rustc_hash::FxHashMap<(u32, u32, bool), (u32, u64)> =
        rustc_hash::FxHashMap::default();
    let mut side_a: Vec<u32> = Vec::new();
    let mut side_b: Vec<u32> = Vec::new();
    for &r in rows {
        let i = r as usize;
        let deaths = match e.fatalities[i] {
            NO_COUNT => 0,
            f => u64::from(f),
        };
        side_a.clear();
        side_b.clear();
        if e.actor1[i] != NO_ACTOR {
            side_a.push(node(e.actor1[i], &mut nodes));
        }
        if e.actor2[i] != NO_ACTOR {
            side_b.push(node(e.actor2[i], &mut nodes));
        }
        for &a in e.associated_1.get(i) {
            side_a.push(node(a, &mut nodes));
        }
        for &a in e.associated_2.get(i) {
            side_b.push(node(a, &mut nodes));
        }
        for &n in side_a.iter().chain(side_b.iter()) {
            nodes[n as usize].events += 1;
            nodes[n as usize].fatalities += deaths;
        }
        let mut add = |x: u32, y: u32, same_side: bool| {
            if x != y {
                let key = (x.min(y), x.max(y), same_side);
                let w = weights.entry(key).or_default();
                w.0 += 1;
                w.1 += deaths;
            }
        };
        for &a in &side_a {
            for &b in &side_b {
                add(a, b, false);
            }
        }
        for side in [&side_a, &side_b] {
            if let Some((&lead, rest)) = side.split_first() {
                for &other in rest {
                    add(lead, other, true);
                }
            }
        }
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
    for (k, rel) in store.meta.relations.iter().enumerate() {
        let (Some(a), Some(b)) = (store.actor_index(&rel.from), store.actor_index(&rel.to)) else {
            continue;
        };
        let (from, to) = (node(a, &mut nodes), node(b, &mut nodes));
        nodes[from as usize].relations += 1;
        if from != to {
            nodes[to as usize].relations += 1;
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
    ActorGraph { nodes, edges }
}
