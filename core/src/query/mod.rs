//! The query layer: filters, time buckets, aggregations, actor networks and the row order
//! of the event list, over a [`Store`], with results cached so views can ask every frame.

pub mod aggregate;
pub mod axis;
pub mod buckets;
pub mod communities;
pub mod compare;
pub mod explain;
pub mod facets;
pub mod filter;
pub mod graph_view;
pub mod map;
pub mod matches;
pub mod network;
pub mod palette;
pub mod playback;
pub mod reported;
pub mod search;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

pub use aggregate::{time_series, GroupBy, GroupSeries, Period, SeriesSpec, TimeSeries};
pub use axis::{date_ticks, Tick};
pub use buckets::BucketSize;
pub use facets::{Facet, Facets};
pub use filter::{ActorRole, CompiledFilter, Filter};
pub use graph_view::{GraphSpec, GraphView, ViewNode};
pub use network::{actor_graph, ActorGraph, EdgeKind};

use crate::store::{Store, NO_ACTOR, NO_COUNT};

/// The rows (event indices, ascending) a filter selects.
pub fn filter_rows(store: &Store, filter: &Filter) -> Vec<u32> {
    filter_rows_within(store, filter, None)
}

/// Like [`filter_rows`], testing only `within` (ascending rows of a wider filter) if given.
pub fn filter_rows_within(store: &Store, filter: &Filter, within: Option<&[u32]>) -> Vec<u32> {
    filter_rows_searching(store, None, filter, within)
}

/// Like [`filter_rows_within`], searching the free text in `folded` (the store's notes
/// folded to lower case, [`search::FoldedText::of_notes`]): one pass over all of them when most
/// rows are tested, note by note when few are.
pub fn filter_rows_searching(
    store: &Store,
    folded: Option<&search::FoldedText>,
    filter: &Filter,
    within: Option<&[u32]>,
) -> Vec<u32> {
    if filter.is_empty() {
        return match within {
            Some(rows) => rows.to_vec(),
            None => (0..store.len() as u32).collect(),
        };
    }
    let mut compiled = CompiledFilter::searching(filter, store, folded);
    let candidates = match within {
        Some(rows) => Some(rows.to_vec()),
        // Narrow with one column first, then test the few rows left in full.
        None => compiled.take_candidates(),
    };
    // Past one row in 32 a pass over every note costs less than a search in each.
    let tested = candidates.as_ref().map_or(store.len(), Vec::len);
    if tested > store.len() / 32 {
        compiled.scan_notes();
    }
    // Tested on every core, in parts of at least 128k rows.
    let parts = search::parts_for(tested, 1 << 17);
    let compiled = &compiled;
    match candidates {
        Some(rows) => filter::select_rows(
            rows.len(),
            parts,
            |k| rows[k],
            |k| compiled.matches(rows[k] as usize),
        ),
        None => filter::select_rows(store.len(), parts, |k| k as u32, |k| compiled.matches(k)),
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

/// Everything one screen shows: the filter, the chart settings, the list order and, when the
/// actor graph is on screen, what it shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// The filter.
    pub filter: Filter,
    /// Timeline settings.
    pub spec: SeriesSpec,
    /// Event list order.
    pub sort: Sort,
    /// The actor graph's settings, when it is shown.
    pub graph: Option<GraphSpec>,
    /// The map's layer and camera, when it is shown.
    pub map: Option<map::MapSpec>,
    /// The series the comparison reads, when it is shown.
    pub compare: Option<SeriesSpec>,
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
/// How many graph layouts and graph views are kept.
const GRAPH_CACHE_LIMIT: usize = 4;
/// How many placed point sets, map views and country counts are kept.
const MAP_CACHE_LIMIT: usize = 3;

/// What placing the events depends on.
type MapPointsKey = (Filter, crate::layout::map::Projection, map::ColourBy);

fn remember<T>(cache: &mut Vec<T>, entry: T, limit: usize) {
    if cache.len() >= limit {
        cache.remove(0);
    }
    cache.push(entry);
}

/// A laid-out graph: the members' subgraph, their positions and which are pinned.
struct LaidOut {
    graph: ActorGraph,
    positions: Vec<[f32; 2]>,
    pinned: Vec<bool>,
    /// The scale at which the nodes do not overlap.
    scale: f32,
    total_actors: usize,
}

/// What a layout depends on: the events (filter), who is laid out, the pins and the mode
/// (LinLog or linear).
type LayoutKey = (
    Filter,
    Vec<usize>,
    std::collections::BTreeMap<String, [f32; 2]>,
    bool,
);

#[derive(Default)]
struct Cache {
    rows: Vec<(Filter, Arc<Vec<u32>>)>,
    sorted: Vec<(Filter, Sort, Arc<Vec<u32>>)>,
    series: HashMap<(Filter, SeriesSpec), Arc<TimeSeries>>,
    graph: Option<(Filter, Arc<ActorGraph>)>,
    layouts: Vec<(LayoutKey, Arc<LaidOut>)>,
    graph_views: Vec<(Filter, GraphSpec, Arc<GraphView>)>,
    map_points: Vec<(MapPointsKey, Arc<map::MapPoints>)>,
    map_scenes: Vec<(Filter, map::MapSpec, Arc<map::MapScene>)>,
    country_totals: Vec<(Filter, Arc<map::CountryTotals>)>,
    matches: Option<(matches::MatchRules, Arc<matches::Matches>)>,
    /// How many times rows were computed from scratch or from a wider filter (for tests).
    row_computations: usize,
    /// How many graph layouts were computed (for tests).
    layout_computations: usize,
}

/// Answers queries over one store, caching the answers. `Send + Sync`: a worker thread can
/// compute while the UI draws.
pub struct Engine {
    store: Arc<Store>,
    cache: Mutex<Cache>,
    facets: std::sync::OnceLock<Facets>,
    /// The notes folded to lower case for the free-text filter, made on first use (or ahead,
    /// in the background: [`Engine::prepare_search`]).
    folded_notes: std::sync::OnceLock<search::FoldedText>,
}

/// How many time series to keep before the cache starts over.
const SERIES_CACHE_LIMIT: usize = 32;

/// The days a time series' axis spans: the filter's dates when it has both ends (else the
/// data's, decided by the series).
fn axis_range(filter: &Filter) -> Option<(i32, i32)> {
    match (filter.from, filter.to) {
        (Some(a), Some(b)) => Some((crate::store::day_number(a), crate::store::day_number(b))),
        _ => None,
    }
}

/// The events the actor graph is drawn from: the filter without its actors (an actor filter
/// selects actors in the graph, it does not shrink the graph to them).
pub fn graph_filter(filter: &Filter) -> Filter {
    Filter {
        actors: Vec::new(),
        ..filter.clone()
    }
}

impl Engine {
    /// An engine over a store.
    pub fn new(store: Arc<Store>) -> Engine {
        Engine {
            store,
            cache: Mutex::new(Cache::default()),
            facets: std::sync::OnceLock::new(),
            folded_notes: std::sync::OnceLock::new(),
        }
    }

    /// The events of different datasets in the view that may record the same happening
    /// (cached for the last rules asked).
    pub fn possible_matches(&self, rules: &matches::MatchRules) -> Arc<matches::Matches> {
        if let Some((r, m)) = &self.cache().matches {
            if r == rules {
                return m.clone();
            }
        }
        let found = Arc::new(matches::possible_matches(&self.store, rules));
        self.cache().matches = Some((*rules, found.clone()));
        found
    }

    /// The store.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The notes folded to lower case for the free-text filter (made on first use: about
    /// 0.2 s and the notes' size again in memory at a million events).
    pub fn folded_notes(&self) -> &search::FoldedText {
        self.folded_notes
            .get_or_init(|| search::FoldedText::of_notes(&self.store))
    }

    /// Makes what the free-text filter needs ahead of its first use (the app calls it on a
    /// background thread after a load, so the first search is as fast as the next).
    pub fn prepare_search(&self) {
        self.folded_notes();
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
        let folded = (!filter.text.trim().is_empty()).then(|| self.folded_notes());
        let rows = Arc::new(filter_rows_searching(
            &self.store,
            folded,
            filter,
            previous.as_deref().map(Vec::as_slice),
        ));
        let mut cache = self.cache();
        cache.row_computations += 1;
        remember(
            &mut cache.rows,
            (filter.clone(), rows.clone()),
            ROWS_CACHE_LIMIT,
        );
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
            ROWS_CACHE_LIMIT,
        );
        sorted
    }

    /// Computes everything a screen showing `view` asks for, so that drawing it is only
    /// cache look-ups. Meant for a worker thread when the store is large.
    pub fn prepare(&self, view: &View) {
        self.sorted_rows(&view.filter, view.sort);
        self.time_series(&view.filter, view.spec);
        self.time_series(&view.filter, view.type_spec());
        if let Some(graph) = &view.graph {
            self.graph_view(&view.filter, graph);
        }
        if let Some(spec) = &view.map {
            self.map_scene(&view.filter, spec);
            self.country_totals(&view.filter);
        }
        if let Some(spec) = view.compare {
            self.time_series(&view.filter, spec);
        }
    }

    /// True when everything `view` asks for is cached.
    pub fn is_prepared(&self, view: &View) -> bool {
        let cache = self.cache();
        let graph_ready = match &view.graph {
            None => true,
            Some(spec) => cache
                .graph_views
                .iter()
                .any(|(f, s, _)| *f == graph_filter(&view.filter) && s == spec),
        };
        let map_ready = view.map.as_ref().is_none_or(|spec| {
            cache
                .map_scenes
                .iter()
                .any(|(f, s, _)| *f == view.filter && s == spec)
                && cache.country_totals.iter().any(|(f, _)| *f == view.filter)
        });
        let compare_ready = view
            .compare
            .is_none_or(|spec| cache.series.contains_key(&(view.filter.clone(), spec)));
        graph_ready
            && map_ready
            && compare_ready
            && cache
                .sorted
                .iter()
                .any(|(f, s, _)| *f == view.filter && *s == view.sort)
            && cache.series.contains_key(&(view.filter.clone(), view.spec))
            && cache
                .series
                .contains_key(&(view.filter.clone(), view.type_spec()))
    }

    /// The filtered events placed on the map, in `projection`, coloured by `colour_by`.
    pub fn map_points(
        &self,
        filter: &Filter,
        projection: crate::layout::map::Projection,
        colour_by: map::ColourBy,
    ) -> Arc<map::MapPoints> {
        let key = (filter.clone(), projection, colour_by);
        if let Some((_, p)) = self.cache().map_points.iter().find(|(k, _)| *k == key) {
            return p.clone();
        }
        let rows = self.rows(filter);
        let points = Arc::new(map::map_points(
            &self.store,
            self.facets(),
            &rows,
            projection,
            colour_by,
        ));
        remember(
            &mut self.cache().map_points,
            (key, points.clone()),
            MAP_CACHE_LIMIT,
        );
        points
    }

    /// What one view of the map shows of the filtered events.
    pub fn map_scene(&self, filter: &Filter, spec: &map::MapSpec) -> Arc<map::MapScene> {
        if let Some((_, _, s)) = self
            .cache()
            .map_scenes
            .iter()
            .find(|(f, s, _)| f == filter && s == spec)
        {
            return s.clone();
        }
        let points = self.map_points(filter, spec.frame.projection, spec.colour_by);
        let scene = Arc::new(map::map_scene(&points, spec));
        remember(
            &mut self.cache().map_scenes,
            (filter.clone(), *spec, scene.clone()),
            MAP_CACHE_LIMIT,
        );
        scene
    }

    /// The filtered events per country.
    pub fn country_totals(&self, filter: &Filter) -> Arc<map::CountryTotals> {
        if let Some((_, t)) = self
            .cache()
            .country_totals
            .iter()
            .find(|(f, _)| f == filter)
        {
            return t.clone();
        }
        let rows = self.rows(filter);
        let totals = Arc::new(map::country_totals(&self.store, &rows));
        remember(
            &mut self.cache().country_totals,
            (filter.clone(), totals.clone()),
            MAP_CACHE_LIMIT,
        );
        totals
    }

    /// Events over time for a filter. The axis spans the filter's dates when it has both
    /// ends, else the data. Each group carries its colour rank (see [`GroupSeries`]).
    pub fn time_series(&self, filter: &Filter, spec: SeriesSpec) -> Arc<TimeSeries> {
        let range = axis_range(filter);
        let key = (filter.clone(), spec);
        if let Some(ts) = self.cache().series.get(&key) {
            return ts.clone();
        }
        let rows = self.rows(filter);
        // Colour ranks need the dataset's facets (counted once, at load); ungrouped counts
        // have no groups to rank.
        let facets = (spec.group_by != GroupBy::None).then(|| self.facets());
        let ts = Arc::new(time_series(&self.store, &rows, spec, range, facets));
        let mut cache = self.cache();
        if cache.series.len() >= SERIES_CACHE_LIMIT {
            cache.series.clear();
        }
        cache.series.insert(key, ts.clone());
        ts
    }

    /// The events behind one bar of [`Self::time_series`]: period `period`, group `group`
    /// (every group when `None`).
    pub fn rows_behind(
        &self,
        filter: &Filter,
        spec: SeriesSpec,
        period: usize,
        group: Option<usize>,
    ) -> Vec<u32> {
        let range = axis_range(filter);
        let rows = self.rows(filter);
        aggregate::rows_behind(&self.store, &rows, spec, range, (period, group))
    }

    /// The events behind every bar of [`Self::time_series`], `[group][period]`.
    pub fn rows_by_bar(&self, filter: &Filter, spec: SeriesSpec) -> Vec<Vec<Vec<u32>>> {
        let rows = self.rows(filter);
        aggregate::rows_by_bar(&self.store, &rows, spec, axis_range(filter))
    }

    /// The actor graph of a filter's events plus the stated relations (every actor).
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

    /// The actor graph as shown for `filter` under `spec`: the same for the panel and the
    /// exported picture. The layout is cached apart from what is visible, so selecting an
    /// actor already shown, or hiding a kind, does not lay the graph out again.
    pub fn graph_view(&self, filter: &Filter, spec: &GraphSpec) -> Arc<GraphView> {
        let filter = graph_filter(filter);
        if let Some((_, _, v)) = self
            .cache()
            .graph_views
            .iter()
            .find(|(f, s, _)| *f == filter && s == spec)
        {
            return v.clone();
        }
        let full = self.actor_graph(&filter);
        let focus = spec
            .focus
            .as_deref()
            .and_then(|id| self.store.actor_index(id));
        let members = graph_view::members(&full, spec.top_n, focus);
        let laid = self.layout(&filter, &full, members, spec);
        let view = Arc::new(graph_view::graph_view(
            &self.store,
            &laid.graph,
            &laid.positions,
            &laid.pinned,
            laid.scale,
            laid.total_actors,
            spec,
        ));
        remember(
            &mut self.cache().graph_views,
            (filter, spec.clone(), view.clone()),
            GRAPH_CACHE_LIMIT,
        );
        view
    }

    fn layout(
        &self,
        filter: &Filter,
        full: &ActorGraph,
        members: Vec<usize>,
        spec: &GraphSpec,
    ) -> Arc<LaidOut> {
        let key = (filter.clone(), members, spec.pins.clone(), spec.lin_log);
        if let Some((_, laid)) = self.cache().layouts.iter().find(|(k, _)| *k == key) {
            return laid.clone();
        }
        let graph = graph_view::subgraph(full, &key.1);
        let placed = graph_view::layout(&self.store, &graph, spec);
        let laid = Arc::new(LaidOut {
            graph,
            positions: placed.positions,
            pinned: placed.pinned,
            scale: placed.scale,
            total_actors: full.nodes.len(),
        });
        let mut cache = self.cache();
        cache.layout_computations += 1;
        remember(&mut cache.layouts, (key, laid.clone()), GRAPH_CACHE_LIMIT);
        laid
    }

    /// How many row sets were computed (cache misses), for tests of the cache.
    pub fn row_computations(&self) -> usize {
        self.cache().row_computations
    }

    /// How many graph layouts were computed (cache misses), for tests of the cache.
    pub fn layout_computations(&self) -> usize {
        self.cache().layout_computations
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Split into parts and tested at once, the rows are the ones a single pass finds, in
    /// the same order, however many parts (more parts than rows included).
    #[test]
    fn rows_tested_in_parts_are_the_rows_of_one_pass() {
        let store = Store::from_dataset(crate::seed::seed_dataset().expect("the embedded dataset"));
        for filter in [
            Filter {
                text: "drone".into(),
                ..Filter::default()
            },
            Filter {
                countries: vec!["Israel".into()],
                ..Filter::default()
            },
        ] {
            let compiled = CompiledFilter::new(&filter, &store);
            let select = |parts: usize| {
                filter::select_rows(store.len(), parts, |k| k as u32, |k| compiled.matches(k))
            };
            let one = select(1);
            assert!(!one.is_empty() && one.len() < store.len(), "{filter:?}");
            for parts in 2..=store.len() + 2 {
                assert_eq!(select(parts), one, "{parts} parts");
            }
            let odd: Vec<u32> = (0..store.len() as u32).filter(|r| r % 2 == 1).collect();
            let within = filter::select_rows(
                odd.len(),
                3,
                |k| odd[k],
                |k| compiled.matches(odd[k] as usize),
            );
            let expected: Vec<u32> = one.iter().copied().filter(|r| r % 2 == 1).collect();
            assert_eq!(within, expected);
        }
    }
}
