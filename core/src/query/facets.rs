//! The option lists of the filters panel and the per-actor counts of the actor list: counted
//! once per dataset (on the loader's thread), never per frame.

use super::GroupBy;
use crate::store::{Interned, Store};

/// Values of one column with how many events have each, most frequent first.
pub type Facet = Vec<(String, usize)>;

/// The option lists of the filters panel, counted once per dataset (never per frame).
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// Event types.
    pub event_types: Facet,
    /// Sub-types.
    pub sub_event_types: Facet,
    /// Countries.
    pub countries: Facet,
    /// Places.
    pub locations: Facet,
    /// Reporting sources.
    pub sources: Facet,
    /// Actor indices with their event counts, most active first.
    pub actors: Vec<(u32, usize)>,
    /// The same actors as (id, events), for the filters panel's list.
    pub actor_ids: Facet,
    /// Rows of the events the dataset marks as notable (timeline annotations).
    pub notable: Vec<u32>,
    /// Events per actor (by actor index).
    pub actor_events: Vec<usize>,
    /// Stated relations per actor.
    pub actor_relations: Vec<usize>,
    /// The first and last day (day numbers) any event covers, if there are events.
    pub days: Option<(i32, i32)>,
    /// Statements per actor.
    pub actor_statements: Vec<usize>,
}

fn facet(store: &Store, column: &Interned) -> Facet {
    // Interned ids are small and dense: a count per id, no hashing of a million rows.
    let mut counts = vec![0usize; store.strings.len()];
    for &id in column.iter() {
        if let Some(n) = counts.get_mut(id as usize) {
            *n += 1;
        }
    }
    let mut v: Facet = counts
        .into_iter()
        .enumerate()
        .skip(1) // id 0: no value
        .filter(|&(_, n)| n > 0)
        .map(|(id, n)| (store.strings.text(id as u32).to_string(), n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

impl Facets {
    /// Events of actor `i`.
    pub fn events_of(&self, i: usize) -> usize {
        self.actor_events.get(i).copied().unwrap_or(0)
    }

    /// Stated relations of actor `i`.
    pub fn relations_of(&self, i: usize) -> usize {
        self.actor_relations.get(i).copied().unwrap_or(0)
    }

    /// Statements of actor `i`.
    pub fn statements_of(&self, i: usize) -> usize {
        self.actor_statements.get(i).copied().unwrap_or(0)
    }

    /// The rank of a group's value among the dataset's values of its column, most frequent
    /// first: what decides the group's colour, whatever the filter.
    pub fn rank(&self, group_by: GroupBy, name: &str, store: &Store) -> Option<usize> {
        let list = match group_by {
            GroupBy::None => return None,
            GroupBy::EventType => &self.event_types,
            GroupBy::SubEventType => &self.sub_event_types,
            GroupBy::Country => &self.countries,
            GroupBy::Source => &self.sources,
            GroupBy::File => return store.files.iter().position(|f| f.name == name),
            GroupBy::Actor => {
                return self
                    .actors
                    .iter()
                    .position(|&(a, _)| store.actor_name(a) == name)
            }
        };
        list.iter().position(|(v, _)| v == name)
    }

    /// Counts every option of a store.
    pub fn of(store: &Store) -> Facets {
        let e = &store.events;
        // Each time an event names an actor (as EventView::all_actors gives them), counted a
        // column at a time.
        let mut actor_events = vec![0usize; store.actors().len()];
        let named = [e.actor1.as_slice(), e.actor2.as_slice()];
        let associated = [e.associated_1.all_items(), e.associated_2.all_items()];
        for &a in named.into_iter().chain(associated).flatten() {
            if let Some(n) = actor_events.get_mut(a as usize) {
                *n += 1;
            }
        }
        let mut actor_relations = vec![0usize; store.actors().len()];
        for r in &store.meta.relations {
            for id in [&r.from, &r.to] {
                if let Some(i) = store.actor_index(id) {
                    actor_relations[i as usize] += 1;
                }
            }
        }
        let mut actor_statements = vec![0usize; store.actors().len()];
        for s in &store.meta.statements {
            if let Some(i) = store.actor_index(&s.speaker) {
                actor_statements[i as usize] += 1;
            }
        }
        let mut actors: Vec<(u32, usize)> = actor_events
            .iter()
            .copied()
            .enumerate()
            .map(|(i, n)| (i as u32, n))
            .collect();
        actors.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| store.actor_name(a.0).cmp(store.actor_name(b.0)))
        });
        Facets {
            event_types: facet(store, &e.event_type),
            sub_event_types: facet(store, &e.sub_event_type),
            countries: facet(store, &e.country),
            locations: facet(store, &e.place),
            sources: facet(store, &e.source),
            actor_ids: actors
                .iter()
                .map(|&(a, n)| (store.actors()[a as usize].id.clone(), n))
                .collect(),
            actors,
            notable: (0..store.len() as u32)
                .filter(|&i| e.notable[i as usize])
                .collect(),
            actor_events,
            actor_relations,
            actor_statements,
            days: e
                .day_start
                .iter()
                .min()
                .copied()
                .zip(e.day_end.iter().max().copied()),
        }
    }
}
