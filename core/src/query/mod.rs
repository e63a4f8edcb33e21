//! The query layer: filters, time buckets, aggregations, actor networks and the row order
//! of the event list, over a [`Store`], with results cached so views can ask every frame.

pub mod aggregate;
pub mod buckets;
pub mod facets;
pub mod filter;
pub mod network;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

pub use aggregate::{time_series, GroupBy, SeriesSpec, TimeSeries};
pub use buckets::BucketSize;
pub use facets::{Facet, Facets};
pub use filter::{ActorRole, CompiledFilter, Filter};
pub use network::{actor_graph, ActorGraph, EdgeKind};

use crate::store::{Store, NO_ACTOR, NO_COUNT};

/// The rows (event indices, ascending) a filter selects.
pub fn filter_rows(store: &Store, filter: &Filter) -> Vec<u32> {
    filter_rows_within(store, filter, None)
}

/// Like [`filter_rows`], testing only `within` (ascending rows of a wider filter) if given.
pub fn filter_rows_within(store: &Store, filter: &Filter, within: Option<&[u32]>) -> Vec<u32> {
    if filter.is_empty() {
        return match within {
            Some(rows) => rows.to_vec(),
            None => (0..store.len() as u32).collect(),
        };
    }
    let compiled = CompiledFilter::new(filter, store);
    match within {
        Some(rows) => rows
            .iter()
            .copied()
            .filter(|&r| compiled.matches(r as usize))
            .collect(),
        None => match compiled.candidates() {
            // Narrow with one column first, then test the few rows left in full.
            Some(mut rows) => {
                rows.retain(|&r| compiled.matches(r as usize));
                rows
            }
            None => (0..store.len() as u32)
                .filter(|&r| compiled.matches(r as usize))
                .collect(),
        },
    }
}

/// A column of the event list to sort by.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    /// File order.
    #[default]
    Original,
    /// Date (start, then end).
    Date,
    /// Event type, then sub-type.
    Type,
    /// Actor 1's name.
    Actor1,
    /// Actor 2's name.
    Actor2,
    /// Country, then place.
    Location,
    /// Deaths (unknown last).
    Fatalities,
    /// Reporting source.
    Source,
}

/// The order of the event list.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Sort {
    /// The column.
    pub column: SortColumn,
    /// Largest first.
    pub descending: bool,
}

/// Sorts rows for the event list (stable: ties keep file order).
pub fn sort_rows(store: &Store, rows: &mut [u32], sort: Sort) {
    let e = &store.events;
    let s = &store.strings;
    let actor = |a: u32| {
        if a == NO_ACTOR {
            ""
        } else {
            store.actor_name(a)
        }
    };
    match sort.column {
        SortColumn::Original => {}
        SortColumn::Date => rows.sort_by_key(|&r| (e.day_start[r as usize], e.day_end[r as usize])),
        SortColumn::Type => rows.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            s.text(e.event_type[a])
                .cmp(s.text(e.event_type[b]))
                .then_with(|| s.text(e.sub_event_type[a]).cmp(s.text(e.sub_event_type[b])))
        }),
        SortColumn::Actor1 => {
            rows.sort_by(|&a, &b| actor(e.actor1[a as usize]).cmp(actor(e.actor1[b as usize])))
        }
        SortColumn::Actor2 => {
            rows.sort_by(|&a, &b| actor(e.actor2[a as usize]).cmp(actor(e.actor2[b as usize])))
        }
        SortColumn::Location => rows.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            s.text(e.country[a])
                .cmp(s.text(e.country[b]))
                .then_with(|| s.text(e.place[a]).cmp(s.text(e.place[b])))
        }),
        SortColumn::Fatalities => {
            // Unknown counts go last in either direction.
            let descending = sort.descending;
            rows.sort_by_key(|&r| match e.fatalities[r as usize] {
                NO_COUNT => (1, 0),
                f if descending => (0, u32::MAX - f),
                f => (0, f),
            });
            return;
        }
        SortColumn::Source => rows.sort_by(|&a, &b| {
            s.text(e.source[a as usize])
                .cmp(s.text(e.source[b as usize]))
        }),
    }
    if sort.descending {
        rows.reverse();
    }
}

/// Everything one screen shows: the filter, the chart settings and the list order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct View {
    /// The filter.
    pub filter: Filter,
    /// Timeline settings.
    pub spec: SeriesSpec,
    /// Event list order.
    pub sort: Sort,
}

impl View {
    /// The series behind the timeline's tooltips: the same buckets, split by event type.
    pub fn type_spec(&self) -> SeriesSpec {
        SeriesSpec {
            group_by: GroupBy::EventType,
            top_n: 6,
            ..self.spec
        }
    }
}

/// How many row sets and sorted lists are kept (the one on screen, the one being computed,
/// and recent ones to go back to).
const ROWS_CACHE_LIMIT: usize = 8;

fn remember<T>(cache: &mut Vec<T>, entry: T) {
    if cache.len() >= ROWS_CACHE_LIMIT {
        cache.remove(0);
    }
    cache.push(entry);
}

#[derive(Default)]
struct Cache {
    rows: Vec<(Filter, Arc<Vec<u32>>)>,
    sorted: Vec<(Filter, Sort, Arc<Vec<u32>>)>,
    series: HashMap<(Filter, SeriesSpec), Arc<TimeSeries>>,
    graph: Option<(Filter, Arc<ActorGraph>)>,
    /// How many times rows were computed from scratch or from a wider filter (for tests).
    row_computations: usize,
}

/// Answers queries over one store, caching the answers. `Send + Sync`: a worker thread can
/// compute while the UI draws.
pub struct Engine {
    store: Arc<Store>,
    cache: Mutex<Cache>,
    facets: std::sync::OnceLock<Facets>,
}

/// How many time series to keep before the cache starts over.
const SERIES_CACHE_LIMIT: usize = 32;

impl Engine {
    /// An engine over a store.
    pub fn new(store: Arc<Store>) -> Engine {
        Engine {
            store,
            cache: Mutex::new(Cache::default()),
            facets: std::sync::OnceLock::new(),
        }
    }

    /// The store.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The option lists and per-actor counts, counted on first use.
    pub fn facets(&self) -> &Facets {
        self.facets.get_or_init(|| Facets::of(&self.store))
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A panic while holding the lock leaves at worst a stale cache entry; keep going.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The rows a filter selects, ascending. The same filter again is answered from the
    /// cache; a narrower filter is computed from the previous rows only.
    pub fn rows(&self, filter: &Filter) -> Arc<Vec<u32>> {
        let previous = {
            let cache = self.cache();
            if let Some((_, rows)) = cache.rows.iter().find(|(f, _)| f == filter) {
                return rows.clone();
            }
            // The smallest cached set this filter narrows.
            cache
                .rows
                .iter()
                .filter(|(f, _)| filter.narrows(f))
                .min_by_key(|(_, rows)| rows.len())
                .map(|(_, rows)| rows.clone())
        };
        let rows = Arc::new(filter_rows_within(
            &self.store,
            filter,
            previous.as_deref().map(Vec::as_slice),
        ));
        let mut cache = self.cache();
        cache.row_computations += 1;
        remember(&mut cache.rows, (filter.clone(), rows.clone()));
        rows
    }

    /// The rows in list order.
    pub fn sorted_rows(&self, filter: &Filter, sort: Sort) -> Arc<Vec<u32>> {
        if let Some((_, _, rows)) = self
            .cache()
            .sorted
            .iter()
            .find(|(f, s, _)| f == filter && *s == sort)
        {
            return rows.clone();
        }
        let rows = self.rows(filter);
        let sorted = if sort.column == SortColumn::Original && !sort.descending {
            rows
        } else {
            let mut v = rows.as_ref().clone();
            sort_rows(&self.store, &mut v, sort);
            Arc::new(v)
        };
        remember(
            &mut self.cache().sorted,
            (filter.clone(), sort, sorted.clone()),
        );
        sorted
    }

    /// Computes everything a screen showing `view` asks for, so that drawing it is only
    /// cache look-ups. Meant for a worker thread when the store is large.
    pub fn prepare(&self, view: &View) {
        self.sorted_rows(&view.filter, view.sort);
        self.time_series(&view.filter, view.spec);
        self.time_series(&view.filter, view.type_spec());
    }

    /// True when everything `view` asks for is cached.
    pub fn is_prepared(&self, view: &View) -> bool {
        let cache = self.cache();
        cache
            .sorted
            .iter()
            .any(|(f, s, _)| *f == view.filter && *s == view.sort)
            && cache.series.contains_key(&(view.filter.clone(), view.spec))
            && cache
                .series
                .contains_key(&(view.filter.clone(), view.type_spec()))
    }

    /// Events over time for a filter. The axis spans the filter's dates when it has both
    /// ends, else the data.
    pub fn time_series(&self, filter: &Filter, spec: SeriesSpec) -> Arc<TimeSeries> {
        let range = match (filter.from, filter.to) {
            (Some(a), Some(b)) => Some((crate::store::day_number(a), crate::store::day_number(b))),
            _ => None,
        };
        let key = (filter.clone(), spec);
        if let Some(ts) = self.cache().series.get(&key) {
            return ts.clone();
        }
        let rows = self.rows(filter);
        let ts = Arc::new(time_series(&self.store, &rows, spec, range));
        let mut cache = self.cache();
        if cache.series.len() >= SERIES_CACHE_LIMIT {
            cache.series.clear();
        }
        cache.series.insert(key, ts.clone());
        ts
    }

    /// The actor graph of a filter's events plus the stated relations.
    pub fn actor_graph(&self, filter: &Filter) -> Arc<ActorGraph> {
        if let Some((f, g)) = &self.cache().graph {
            if f == filter {
                return g.clone();
            }
        }
        let rows = self.rows(filter);
        let graph = Arc::new(actor_graph(&self.store, &rows));
        self.cache().graph = Some((filter.clone(), graph.clone()));
        graph
    }

    /// How many row sets were computed (cache misses), for tests of the cache.
    pub fn row_computations(&self) -> usize {
        self.cache().row_computations
    }
}
