//! Filters: a plain value (serde, so the app can persist it) that selects events, and says
//! in one line of words what it selects.

use chrono::NaiveDate;
use memchr::memmem::Finder;
use serde::{Deserialize, Serialize};

use crate::model::geo::is_usable;
use crate::model::{GeoArea, GeoBox, StatusKind};
use crate::query::search::{self, contains_ignore_case, FoldedText};
use crate::store::{day_number, Store, NO_ACTOR, NO_COUNT};

/// Which actor column an actor filter looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    /// Actor 1, actor 2 or an associated actor.
    #[default]
    Any,
    /// Actor 1 only.
    Actor1,
    /// Actor 2 only.
    Actor2,
    /// Associated actors only.
    Associated,
}

/// A selection of events. Every part is optional; set parts combine with AND, and the values
/// listed within one part combine with OR.
///
/// Dates: an event is in `from..=to` when the middle of its date span is in the range and
/// its span is no longer than the range — so a month-precision event is in its month but
/// not in any single day of it, and a drill-down into a chart bucket selects exactly the
/// events drawn in that bucket (see [`super::buckets`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// First day of the date range.
    pub from: Option<NaiveDate>,
    /// Last day of the date range (inclusive).
    pub to: Option<NaiveDate>,
    /// Actor ids.
    pub actors: Vec<String>,
    /// Which actor column `actors` applies to.
    pub actor_role: ActorRole,
    /// Event types.
    pub event_types: Vec<String>,
    /// Event sub-types.
    pub sub_event_types: Vec<String>,
    /// Countries.
    pub countries: Vec<String>,
    /// First-level admin areas.
    pub admin1: Vec<String>,
    /// Places (locations).
    pub locations: Vec<String>,
    /// Words to find, case-insensitively, in the description, the place, or an actor's name or
    /// alias.
    pub text: String,
    /// Reporting sources.
    pub sources: Vec<String>,
    /// Only events with at least this many deaths.
    pub min_fatalities: Option<u32>,
    /// Claimed / reported / confirmed.
    pub statuses: Vec<StatusKind>,
    /// Only these events, by id: the rows behind a number ("why this number?").
    pub events: Vec<String>,
    /// Only events whose coordinates lie in this box (the map's region).
    pub region: Option<GeoBox>,
    /// Only events whose coordinates lie in this drawn area (the map's lasso).
    pub area: Option<GeoArea>,
    /// Only events from these files of the view, by path ([`crate::store::FileLayer::path`]).
    pub files: Vec<String>,
    /// Count possibly-same events (events of different datasets, days overlapping, within
    /// this many km, of one kind or sharing an actor) once: an event that may be the same as
    /// one of an earlier file is left out ([`super::matches::repeated_rows`]).
    pub once_within_km: Option<u16>,
    /// With [`Filter::once_within_km`]: pairs of events (by id) the analyst marked as the same
    /// happening (the later file's is left out too) or as different ones (neither is left
    /// out for the other).
    pub once_marks: Vec<(String, String, bool)>,
}

fn subset<T: PartialEq>(narrow: &[T], wide: &[T]) -> bool {
    wide.is_empty() || (!narrow.is_empty() && narrow.iter().all(|x| wide.contains(x)))
}

impl Filter {
    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self == &Filter::default()
    }

    /// True when every event this filter selects is also selected by `wider`, so the
    /// result can be computed from `wider`'s rows instead of the whole store.
    pub fn narrows(&self, wider: &Filter) -> bool {
        let from_ok = match (self.from, wider.from) {
            (_, None) => true,
            (Some(a), Some(b)) => a >= b,
            (None, Some(_)) => false,
        };
        let to_ok = match (self.to, wider.to) {
            (_, None) => true,
            (Some(a), Some(b)) => a <= b,
            (None, Some(_)) => false,
        };
        // A range inside the wider one also bounds span lengths at least as tightly.
        from_ok
            && to_ok
            && (wider.actors.is_empty()
                || (self.actor_role == wider.actor_role && subset(&self.actors, &wider.actors)))
            && subset(&self.event_types, &wider.event_types)
            && subset(&self.sub_event_types, &wider.sub_event_types)
            && subset(&self.countries, &wider.countries)
            && subset(&self.admin1, &wider.admin1)
            && subset(&self.locations, &wider.locations)
            && subset(&self.sources, &wider.sources)
            && subset(&self.files, &wider.files)
            && (wider.once_within_km.is_none()
                || (self.once_within_km == wider.once_within_km
                    && self.once_marks == wider.once_marks))
            && subset(&self.statuses, &wider.statuses)
            && subset(&self.events, &wider.events)
            && match (&self.region, &wider.region) {
                (_, None) => true,
                (Some(narrow), Some(wide)) => wide.encloses(narrow),
                (None, Some(_)) => false,
            }
            && (wider.area.is_none() || self.area == wider.area)
            && self.min_fatalities.unwrap_or(0) >= wider.min_fatalities.unwrap_or(0)
            && self
                .text
                .to_lowercase()
                .contains(wider.text.to_lowercase().trim())
    }

    /// One line of words for captions and the status bar, e.g.
    /// "Iraq · 2024-08-01 to 2024-11-21 · Explosions/Remote violence".
    pub fn describe(&self, store: &Store) -> String {
        let mut parts: Vec<String> = Vec::new();
        let list = |v: &[String]| v.join(", ");
        if !self.countries.is_empty() {
            parts.push(list(&self.countries));
        }
        if !self.admin1.is_empty() {
            parts.push(list(&self.admin1));
        }
        if !self.locations.is_empty() {
            parts.push(list(&self.locations));
        }
        match (self.from, self.to) {
            (Some(a), Some(b)) => parts.push(format!("{a} to {b}")),
            (Some(a), None) => parts.push(format!("from {a}")),
            (None, Some(b)) => parts.push(format!("until {b}")),
            (None, None) => {}
        }
        if !self.event_types.is_empty() {
            parts.push(list(&self.event_types));
        }
        if !self.sub_event_types.is_empty() {
            parts.push(list(&self.sub_event_types));
        }
        if !self.actors.is_empty() {
            let names: Vec<&str> = self
                .actors
                .iter()
                .map(|id| {
                    store
                        .actor_index(id)
                        .map_or(id.as_str(), |i| store.actor_name(i))
                })
                .collect();
            let role = match self.actor_role {
                ActorRole::Any => "",
                ActorRole::Actor1 => " (as actor 1)",
                ActorRole::Actor2 => " (as actor 2)",
                ActorRole::Associated => " (associated)",
            };
            parts.push(format!("{}{role}", names.join(", ")));
        }
        if !self.text.trim().is_empty() {
            parts.push(format!("“{}”", self.text.trim()));
        }
        if !self.sources.is_empty() {
            parts.push(format!("source: {}", list(&self.sources)));
        }
        if let Some(km) = self.once_within_km {
            let marked = if self.once_marks.is_empty() {
                String::new()
            } else {
                let pairs = crate::text::plural(self.once_marks.len(), "pair");
                format!(" and {pairs} as you marked them")
            };
            parts.push(format!(
                "possibly-same events counted once (within {km} km{marked})"
            ));
        }
        if !self.files.is_empty() {
            let names: Vec<&str> = self
                .files
                .iter()
                .map(|path| {
                    store
                        .files
                        .iter()
                        .find(|f| &f.path == path)
                        .map_or(path.as_str(), |f| f.name.as_str())
                })
                .collect();
            parts.push(format!("file: {}", names.join(", ")));
        }
        if let Some(n) = self.min_fatalities {
            parts.push(format!("≥ {n} deaths"));
        }
        if !self.statuses.is_empty() {
            let s: Vec<&str> = self.statuses.iter().map(|s| s.label()).collect();
            parts.push(s.join(", "));
        }
        if let Some(region) = &self.region {
            parts.push(region.describe());
        }
        if let Some(area) = &self.area {
            parts.push(area.describe());
        }
        if !self.events.is_empty() {
            parts.push(format!(
                "{} chosen event{}",
                self.events.len(),
                if self.events.len() == 1 { "" } else { "s" }
            ));
        }
        if parts.is_empty() {
            "all events".to_string()
        } else {
            parts.join(" · ")
        }
    }
}

/// The rows left out when possibly-same events within `km` are counted once, with the
/// analyst's marks: a pair marked the same leaves out its later file's event (or the later
/// row, in one file); a pair marked different keeps both, unless another match leaves one out.
fn counted_once(
    store: &Store,
    km: u16,
    marks: &[(String, String, bool)],
) -> std::sync::Arc<Vec<bool>> {
    use super::matches::{possible_matches, repeated_rows, MatchRules};
    let rules = MatchRules {
        max_km: f64::from(km),
    };
    let repeated = repeated_rows(store, &rules);
    if marks.is_empty() {
        return repeated;
    }
    let wanted: rustc_hash::FxHashSet<&str> = marks
        .iter()
        .flat_map(|(a, b, _)| [a.as_str(), b.as_str()])
        .collect();
    let row_of: rustc_hash::FxHashMap<&str, usize> = (0..store.len())
        .filter(|&r| wanted.contains(store.row(r).id()))
        .map(|r| (store.row(r).id(), r))
        .collect();
    let later = |a: usize, b: usize| {
        if (store.file_of(a), a) < (store.file_of(b), b) {
            b
        } else {
            a
        }
    };
    let mut rows = (*repeated).clone();
    let different: Vec<(usize, usize)> = marks
        .iter()
        .filter(|m| !m.2)
        .filter_map(|(a, b, _)| Some((*row_of.get(a.as_str())?, *row_of.get(b.as_str())?)))
        .collect();
    if !different.is_empty() {
        // Left out again only by a match the analyst did not mark different.
        for &(a, b) in &different {
            rows[later(a, b)] = false;
        }
        for p in possible_matches(store, &rules).pairs {
            let (a, b) = (p.first as usize, p.second as usize);
            let marked = different.contains(&(a, b)) || different.contains(&(b, a));
            if !marked && store.file_of(a) < store.file_of(b) {
                rows[b] = true;
            }
        }
    }
    for (a, b, same) in marks {
        if let (true, Some(&a), Some(&b)) = (*same, row_of.get(a.as_str()), row_of.get(b.as_str()))
        {
            rows[later(a, b)] = true;
        }
    }
    std::sync::Arc::new(rows)
}

/// A filter resolved against one store: id sets instead of strings, ready to test rows.
pub struct CompiledFilter<'s> {
    store: &'s Store,
    day_range: Option<(i32, i32)>,
    actors: Option<Vec<bool>>,
    role: ActorRole,
    event_types: Option<Vec<bool>>,
    sub_event_types: Option<Vec<bool>>,
    countries: Option<Vec<bool>>,
    admin1: Option<Vec<bool>>,
    locations: Option<Vec<bool>>,
    sources: Option<Vec<bool>>,
    /// The files chosen, by index in the store's files.
    files: Option<Vec<bool>>,
    /// The rows left out as repeats of a possibly-same event counted once.
    repeated: Option<std::sync::Arc<Vec<bool>>>,
    min_fatalities: Option<u32>,
    statuses: Option<Vec<StatusKind>>,
    text: Option<TextMatch<'s>>,
    /// The rows of [`Filter::events`], ascending.
    events: Option<Vec<u32>>,
    region: Option<GeoBox>,
    area: Option<GeoArea>,
}

struct TextMatch<'s> {
    needle: String,
    /// The needle's substring search.
    finder: Finder<'static>,
    /// Interned strings (places) that contain the text.
    string_hits: Vec<bool>,
    /// Actors whose name or one of whose aliases contains the text.
    actor_hits: Vec<bool>,
    /// The notes folded to lower case, when the engine has them (else each note is folded
    /// as it is tested).
    folded: Option<&'s FoldedText>,
    /// The rows whose text matches (their note, place or an actor), found column by column
    /// when most rows are to be tested ([`CompiledFilter::scan_notes`]).
    row_hits: Option<Vec<bool>>,
}

/// `row(k)` for each `k` in `0..count` that `keep(k)` accepts, in order, tested in `parts`
/// parts at once. Without a branch per row (each row is written, and kept by moving on), so
/// a column whose values come in no order costs no mispredictions.
pub fn select_rows(
    count: usize,
    parts: usize,
    row: impl Fn(usize) -> u32 + Sync,
    keep: impl Fn(usize) -> bool + Sync,
) -> Vec<u32> {
    let select = |from: usize, to: usize| -> Vec<u32> {
        let mut rows = vec![0u32; to - from + 1];
        let mut kept = 0;
        for k in from..to {
            rows[kept] = row(k);
            kept += usize::from(keep(k));
        }
        rows.truncate(kept);
        rows.shrink_to_fit();
        rows
    };
    let parts = parts.clamp(1, count.max(1));
    if parts == 1 {
        return select(0, count);
    }
    let per_part = count.div_ceil(parts);
    let select = &select;
    let found: Vec<Vec<u32>> = std::thread::scope(|scope| {
        let running: Vec<_> = (1..parts)
            .map(|k| {
                let (from, to) = ((k * per_part).min(count), ((k + 1) * per_part).min(count));
                scope.spawn(move || select(from, to))
            })
            .collect();
        let mut found = vec![select(0, per_part.min(count))];
        for part in running {
            found.push(
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        found
    });
    found.concat()
}

impl<'s> CompiledFilter<'s> {
    /// Resolves `filter` against `store`. Names that the store never saw select nothing.
    pub fn new(filter: &Filter, store: &'s Store) -> CompiledFilter<'s> {
        CompiledFilter::searching(filter, store, None)
    }

    /// Like [`Self::new`], with the store's notes folded to lower case for the free text
    /// (`folded` must be [`FoldedText::of_notes`] of the same store).
    pub fn searching(
        filter: &Filter,
        store: &'s Store,
        folded: Option<&'s FoldedText>,
    ) -> CompiledFilter<'s> {
        let strings = store.strings.len();
        let set = |names: &[String]| -> Option<Vec<bool>> {
            if names.is_empty() {
                return None;
            }
            let mut v = vec![false; strings];
            for n in names {
                if let Some(id) = store.strings.get(n) {
                    v[id as usize] = true;
                }
            }
            Some(v)
        };
        let actors = (!filter.actors.is_empty()).then(|| {
            let mut v = vec![false; store.actors().len()];
            for id in &filter.actors {
                if let Some(i) = store.actor_index(id) {
                    v[i as usize] = true;
                }
            }
            v
        });
        let day_range = match (filter.from, filter.to) {
            (None, None) => None,
            (a, b) => Some((
                a.map_or(i32::MIN, day_number),
                b.map_or(i32::MAX, day_number),
            )),
        };
        let needle = filter.text.trim().to_lowercase();
        let text = (!needle.is_empty()).then(|| TextMatch {
            string_hits: (0..strings as u32)
                .map(|id| contains_ignore_case(store.strings.text(id), &needle))
                .collect(),
            actor_hits: store
                .actors()
                .iter()
                .map(|a| {
                    contains_ignore_case(&a.name, &needle)
                        || a.aliases.iter().any(|x| contains_ignore_case(x, &needle))
                })
                .collect(),
            finder: Finder::new(needle.as_bytes()).into_owned(),
            needle,
            folded: folded.filter(|f| f.len() == store.events.description.len()),
            row_hits: None,
        });
        CompiledFilter {
            store,
            day_range,
            actors,
            role: filter.actor_role,
            event_types: set(&filter.event_types),
            sub_event_types: set(&filter.sub_event_types),
            countries: set(&filter.countries),
            admin1: set(&filter.admin1),
            locations: set(&filter.locations),
            sources: set(&filter.sources),
            repeated: filter
                .once_within_km
                .map(|km| counted_once(store, km, &filter.once_marks)),
            files: (!filter.files.is_empty()).then(|| {
                store
                    .files
                    .iter()
                    .map(|f| filter.files.contains(&f.path))
                    .collect()
            }),
            min_fatalities: filter.min_fatalities,
            statuses: (!filter.statuses.is_empty()).then(|| filter.statuses.clone()),
            text,
            region: filter.region,
            area: filter.area.clone(),
            events: (!filter.events.is_empty()).then(|| {
                let wanted: rustc_hash::FxHashSet<&str> =
                    filter.events.iter().map(String::as_str).collect();
                (0..store.len() as u32)
                    .filter(|&r| wanted.contains(store.row(r as usize).id()))
                    .collect()
            }),
        }
    }

    /// Finds the rows whose text matches, for a filter about to test most rows: the notes in
    /// one pass over the folded notes, then the places and actors column by column (each
    /// column skipped when no place or actor matches at all). A no-op without free text or
    /// folded notes.
    pub fn scan_notes(&mut self) {
        let e = &self.store.events;
        let Some(t) = &mut self.text else { return };
        let (None, Some(folded)) = (&t.row_hits, t.folded) else {
            return;
        };
        let mut hits = folded.containing(&t.finder);
        if t.string_hits.contains(&true) {
            for (hit, &place) in hits.iter_mut().zip(&e.place.0) {
                *hit |= t.string_hits[place as usize];
            }
        }
        if t.actor_hits.contains(&true) {
            let actor_hits = &t.actor_hits;
            let actor_hit = |a: u32| a != NO_ACTOR && actor_hits[a as usize];
            let parts = search::parts_for(hits.len(), 1 << 18);
            search::in_parts(&mut hits, parts, |first, part| {
                for (k, hit) in part.iter_mut().enumerate() {
                    let i = first + k;
                    *hit = *hit
                        || actor_hit(e.actor1[i])
                        || actor_hit(e.actor2[i])
                        || e.associated_1.get(i).iter().any(|&a| actor_hit(a))
                        || e.associated_2.get(i).iter().any(|&a| actor_hit(a));
                }
            });
        }
        t.row_hits = Some(hits);
    }

    /// The rows passing one cheap part of the filter (the chosen events, a set of
    /// categories, or the dates), found with a tight loop over a single column (on one core:
    /// measured, a second thread costs more than it saves); `None` when no such part is
    /// set. Every selected row is among them, and a set of categories or events is then
    /// taken out of the filter: [`Self::matches`] need not test it again.
    pub fn take_candidates(&mut self) -> Option<Vec<u32>> {
        if let Some(rows) = self.events.take() {
            return Some(rows);
        }
        let e = &self.store.events;
        let sets: [(&mut Option<Vec<bool>>, &[u32]); 7] = [
            (&mut self.event_types, &e.event_type),
            (&mut self.countries, &e.country),
            (&mut self.sub_event_types, &e.sub_event_type),
            (&mut self.admin1, &e.admin1),
            (&mut self.locations, &e.place),
            (&mut self.sources, &e.source),
            (&mut self.files, &e.file),
        ];
        for (set, column) in sets {
            if let Some(set) = set.take() {
                return Some(select_rows(
                    column.len(),
                    1,
                    |i| i as u32,
                    |i| set.get(column[i] as usize).copied().unwrap_or(false),
                ));
            }
        }
        // The dates stay in the filter: a row whose middle day is in the range may still be
        // too vaguely dated for it, which `matches` decides.
        let (from, to) = self.day_range?;
        Some(select_rows(
            e.day_start.len(),
            1,
            |i| i as u32,
            |i| {
                let (s, end) = (e.day_start[i], e.day_end[i]);
                let mid = s + (end - s) / 2;
                mid >= from && mid <= to
            },
        ))
    }

    /// True when event `i` is selected.
    pub fn matches(&self, i: usize) -> bool {
        let e = &self.store.events;
        if let Some(rows) = &self.events {
            if rows.binary_search(&(i as u32)).is_err() {
                return false;
            }
        }
        if self.repeated.as_ref().is_some_and(|r| r[i]) {
            return false;
        }
        if let Some((from, to)) = self.day_range {
            let (start, end) = (e.day_start[i], e.day_end[i]);
            let mid = start + (end - start) / 2;
            if mid < from || mid > to {
                return false;
            }
            if from != i32::MIN && to != i32::MAX && (end - start) > (to - from) {
                return false;
            }
        }
        let in_set = |set: &Option<Vec<bool>>, id: u32| {
            set.as_ref()
                .is_none_or(|s| s.get(id as usize).copied().unwrap_or(false))
        };
        if !in_set(&self.event_types, e.event_type[i])
            || !in_set(&self.sub_event_types, e.sub_event_type[i])
            || !in_set(&self.countries, e.country[i])
            || !in_set(&self.admin1, e.admin1[i])
            || !in_set(&self.locations, e.place[i])
            || !in_set(&self.sources, e.source[i])
            || !in_set(&self.files, e.file[i])
        {
            return false;
        }
        if let Some(region) = &self.region {
            let (lat, lon) = (e.latitude[i], e.longitude[i]);
            if !is_usable(lat, lon) || !region.contains(lat, lon) {
                return false;
            }
        }
        if let Some(area) = &self.area {
            let (lat, lon) = (e.latitude[i], e.longitude[i]);
            if !is_usable(lat, lon) || !area.contains(lat, lon) {
                return false;
            }
        }
        if let Some(min) = self.min_fatalities {
            let f = e.fatalities[i];
            if f == NO_COUNT || f < min {
                return false;
            }
        }
        if let Some(statuses) = &self.statuses {
            if !statuses.contains(&e.status[i]) {
                return false;
            }
        }
        if let Some(actors) = &self.actors {
            let hit = |a: u32| a != NO_ACTOR && actors[a as usize];
            let associated = || {
                e.associated_1.get(i).iter().any(|&a| hit(a))
                    || e.associated_2.get(i).iter().any(|&a| hit(a))
            };
            let ok = match self.role {
                ActorRole::Any => hit(e.actor1[i]) || hit(e.actor2[i]) || associated(),
                ActorRole::Actor1 => hit(e.actor1[i]),
                ActorRole::Actor2 => hit(e.actor2[i]),
                ActorRole::Associated => associated(),
            };
            if !ok {
                return false;
            }
        }
        if let Some(t) = &self.text {
            let actor_hit = |a: u32| a != NO_ACTOR && t.actor_hits[a as usize];
            let hit = match &t.row_hits {
                Some(hits) => hits[i],
                None => {
                    t.string_hits[e.place[i] as usize]
                        || actor_hit(e.actor1[i])
                        || actor_hit(e.actor2[i])
                        || e.associated_1.get(i).iter().any(|&a| actor_hit(a))
                        || e.associated_2.get(i).iter().any(|&a| actor_hit(a))
                        || match t.folded {
                            Some(folded) => folded.contains(i, &t.finder),
                            None => contains_ignore_case(e.description.get(i), &t.needle),
                        }
                }
            };
            if !hit {
                return false;
            }
        }
        true
    }
}
