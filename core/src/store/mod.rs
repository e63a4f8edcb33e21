//! The columnar in-memory store every view reads: one vector per event field, dates as day
//! numbers with their precision, repeated strings interned to small ids, long texts packed.
//!
//! Importers fill it row by row through [`EventRow`] (borrowed strings, no per-event
//! allocation); the native format converts to and from [`Dataset`].

pub mod columns;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

pub use columns::{Interner, ListColumn, TextColumn};

use crate::model::{
    Actor, ActorKind, Dataset, DatePrecision, DateSpan, Event, EventRef, Location, SourceRef,
    Status, StatusKind, Text,
};

/// Day number of a date: days since 1970-01-01.
pub fn day_number(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)).num_days() as i32
}

/// The date of a day number.
pub fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(i64::from(day))))
        .unwrap_or(NaiveDate::MIN)
}

/// "No value" in the integer count columns.
pub const NO_COUNT: u32 = u32::MAX;
/// "No actor" in the actor columns.
pub const NO_ACTOR: u32 = u32::MAX;

/// One event as an importer hands it over: borrowed text, actor indices.
#[derive(Debug, Clone)]
pub struct EventRow<'a> {
    /// Stable id.
    pub id: &'a str,
    /// When.
    pub date: DateSpan,
    /// Event type.
    pub event_type: &'a str,
    /// Sub-type.
    pub sub_event_type: Option<&'a str>,
    /// Index of actor 1 in [`Store::actors`].
    pub actor1: Option<u32>,
    /// Index of actor 2.
    pub actor2: Option<u32>,
    /// Indices of actors on actor 1's side.
    pub associated_1: &'a [u32],
    /// Indices of actors on actor 2's side.
    pub associated_2: &'a [u32],
    /// Place name.
    pub place: Option<&'a str>,
    /// Admin areas 1–3.
    pub admin: [Option<&'a str>; 3],
    /// Country.
    pub country: Option<&'a str>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Deaths (best estimate).
    pub fatalities: Option<u32>,
    /// Lowest and highest reported deaths.
    pub fatalities_range: (Option<u32>, Option<u32>),
    /// What happened.
    pub description: &'a str,
    /// Claimed / reported / confirmed.
    pub status: StatusKind,
    /// Index of the actor behind the status.
    pub status_by: Option<u32>,
    /// Worth annotating.
    pub notable: bool,
    /// The reporting source's name (ACLED `source`, a publisher).
    pub source: Option<&'a str>,
    /// Further fields kept from the import.
    pub attributes: &'a [(&'a str, &'a str)],
}

/// Rarely-present parts of an event, kept aside so a million imported rows pay nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventExtras {
    /// Weapons named.
    pub weapons: Vec<String>,
    /// Sources with verbatim quotes.
    pub sources: Vec<SourceRef>,
}

/// The event columns. Row `i` of every vector is event `i`.
#[derive(Debug, Clone, Default)]
pub struct EventColumns {
    /// Ids.
    pub id: TextColumn,
    /// First day (day number).
    pub day_start: Vec<i32>,
    /// Last day (day number, inclusive).
    pub day_end: Vec<i32>,
    /// How precise the date is.
    pub precision: Vec<DatePrecision>,
    /// Event type (interned).
    pub event_type: Vec<u32>,
    /// Sub-type (interned, 0 = none).
    pub sub_event_type: Vec<u32>,
    /// Actor 1 (index, [`NO_ACTOR`] = none).
    pub actor1: Vec<u32>,
    /// Actor 2 (index, [`NO_ACTOR`] = none).
    pub actor2: Vec<u32>,
    /// Actors associated with actor 1.
    pub associated_1: ListColumn,
    /// Actors associated with actor 2.
    pub associated_2: ListColumn,
    /// Place (interned).
    pub place: Vec<u32>,
    /// Admin areas 1–3 (interned).
    pub admin: [Vec<u32>; 3],
    /// Country (interned).
    pub country: Vec<u32>,
    /// Latitude (NaN = none).
    pub latitude: Vec<f64>,
    /// Longitude (NaN = none).
    pub longitude: Vec<f64>,
    /// Deaths ([`NO_COUNT`] = not reported).
    pub fatalities: Vec<u32>,
    /// Lowest deaths ([`NO_COUNT`] = none).
    pub fatalities_low: Vec<u32>,
    /// Highest deaths ([`NO_COUNT`] = none).
    pub fatalities_high: Vec<u32>,
    /// Descriptions / notes.
    pub description: TextColumn,
    /// Status kind.
    pub status: Vec<StatusKind>,
    /// Actor behind the status ([`NO_ACTOR`] = none).
    pub status_by: Vec<u32>,
    /// Notable (milestone) events.
    pub notable: Vec<bool>,
    /// Reporting source name (interned, 0 = none).
    pub source: Vec<u32>,
    /// Further fields by name, interned values (0 = absent).
    pub attributes: BTreeMap<String, Vec<u32>>,
    /// Weapons and source quotes, for the few events that have them.
    pub extras: HashMap<u32, EventExtras>,
}

impl EventColumns {
    /// Makes room for `rows` more events with `text_bytes` bytes of descriptions (so a large
    /// import does not grow its columns by repeated doubling and copying).
    pub fn reserve(&mut self, rows: usize, text_bytes: usize) {
        self.id.reserve(rows, rows * 10);
        self.day_start.reserve(rows);
        self.day_end.reserve(rows);
        self.precision.reserve(rows);
        self.event_type.reserve(rows);
        self.sub_event_type.reserve(rows);
        self.actor1.reserve(rows);
        self.actor2.reserve(rows);
        self.associated_1.reserve(rows);
        self.associated_2.reserve(rows);
        self.place.reserve(rows);
        for a in &mut self.admin {
            a.reserve(rows);
        }
        self.country.reserve(rows);
        self.latitude.reserve(rows);
        self.longitude.reserve(rows);
        self.fatalities.reserve(rows);
        self.fatalities_low.reserve(rows);
        self.fatalities_high.reserve(rows);
        self.description.reserve(rows, text_bytes);
        self.status.reserve(rows);
        self.status_by.reserve(rows);
        self.notable.reserve(rows);
        self.source.reserve(rows);
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.day_start.len()
    }

    /// True when there are no events.
    pub fn is_empty(&self) -> bool {
        self.day_start.is_empty()
    }

    /// The date of event `i` at its precision.
    pub fn date(&self, i: usize) -> DateSpan {
        let (start, end) = (date_of(self.day_start[i]), date_of(self.day_end[i]));
        match self.precision[i] {
            DatePrecision::Day => DateSpan::Day(start),
            DatePrecision::Month => DateSpan::Month {
                year: chrono::Datelike::year(&start),
                month: chrono::Datelike::month(&start),
            },
            DatePrecision::Year => DateSpan::Year(chrono::Datelike::year(&start)),
            DatePrecision::Range => DateSpan::Range { start, end },
        }
    }

    /// Keeps only the rows for which `keep(row)` is true, in order.
    pub fn retain_rows(&mut self, keep: impl Fn(usize) -> bool) {
        let n = self.len();
        let kept: Vec<usize> = (0..n).filter(|&i| keep(i)).collect();
        if kept.len() == n {
            return;
        }
        fn pick<T: Copy>(v: &[T], rows: &[usize]) -> Vec<T> {
            rows.iter().map(|&i| v[i]).collect()
        }
        let mut id = TextColumn::default();
        let mut description = TextColumn::default();
        let mut associated_1 = ListColumn::default();
        let mut associated_2 = ListColumn::default();
        for &i in &kept {
            id.push(self.id.get(i));
            description.push(self.description.get(i));
            associated_1.push(self.associated_1.get(i).iter().copied());
            associated_2.push(self.associated_2.get(i).iter().copied());
        }
        let mut extras = HashMap::new();
        for (new, &old) in kept.iter().enumerate() {
            if let Some(x) = self.extras.remove(&(old as u32)) {
                extras.insert(new as u32, x);
            }
        }
        *self = EventColumns {
            id,
            day_start: pick(&self.day_start, &kept),
            day_end: pick(&self.day_end, &kept),
            precision: pick(&self.precision, &kept),
            event_type: pick(&self.event_type, &kept),
            sub_event_type: pick(&self.sub_event_type, &kept),
            actor1: pick(&self.actor1, &kept),
            actor2: pick(&self.actor2, &kept),
            associated_1,
            associated_2,
            place: pick(&self.place, &kept),
            admin: [
                pick(&self.admin[0], &kept),
                pick(&self.admin[1], &kept),
                pick(&self.admin[2], &kept),
            ],
            country: pick(&self.country, &kept),
            latitude: pick(&self.latitude, &kept),
            longitude: pick(&self.longitude, &kept),
            fatalities: pick(&self.fatalities, &kept),
            fatalities_low: pick(&self.fatalities_low, &kept),
            fatalities_high: pick(&self.fatalities_high, &kept),
            description,
            status: pick(&self.status, &kept),
            status_by: pick(&self.status_by, &kept),
            notable: pick(&self.notable, &kept),
            source: pick(&self.source, &kept),
            attributes: self
                .attributes
                .iter()
                .map(|(k, v)| (k.clone(), pick(v, &kept)))
                .collect(),
            extras,
        };
    }
}

/// A whole dataset in columnar form: the events as columns, everything else (actors,
/// relations, series, statements, sources — small) as model records.
#[derive(Debug, Clone, Default)]
pub struct Store {
    /// Title, description, sources, actors, relations, series, statements; `events` is empty.
    pub meta: Dataset,
    /// The events.
    pub events: EventColumns,
    /// Interned strings of the categorical columns.
    pub strings: Interner,
    actor_by_id: rustc_hash::FxHashMap<String, u32>,
}

fn opt_count(v: Option<u32>) -> u32 {
    v.unwrap_or(NO_COUNT)
}

fn count_opt(v: u32) -> Option<u32> {
    (v != NO_COUNT).then_some(v)
}

fn actor_opt(v: u32) -> Option<u32> {
    (v != NO_ACTOR).then_some(v)
}

impl Store {
    /// An empty store with a title.
    pub fn new(meta: Dataset) -> Store {
        let mut store = Store {
            meta: Dataset {
                events: Vec::new(),
                ..meta
            },
            ..Store::default()
        };
        store.actor_by_id = store
            .meta
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i as u32))
            .collect();
        store
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True when there are no events.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The actors.
    pub fn actors(&self) -> &[Actor] {
        &self.meta.actors
    }

    /// The index of the actor with this id.
    pub fn actor_index(&self, id: &str) -> Option<u32> {
        self.actor_by_id.get(id).copied()
    }

    /// The index of an actor, adding it (with this name as id) on first sight.
    pub fn intern_actor(&mut self, name: &str, kind: ActorKind) -> u32 {
        if let Some(&i) = self.actor_by_id.get(name) {
            let actor = &mut self.meta.actors[i as usize];
            if actor.kind == ActorKind::Unknown {
                actor.kind = kind;
            }
            return i;
        }
        let i = self.meta.actors.len() as u32;
        self.meta.actors.push(Actor {
            id: name.to_string(),
            name: name.to_string(),
            aliases: Vec::new(),
            kind,
            country: None,
            affiliation: None,
            description: None,
            sources: Vec::new(),
        });
        self.actor_by_id.insert(name.to_string(), i);
        i
    }

    /// The display name of an actor index ("" for none).
    pub fn actor_name(&self, index: u32) -> &str {
        self.meta
            .actors
            .get(index as usize)
            .map_or("", |a| a.name.as_str())
    }

    /// Appends an event.
    pub fn push(&mut self, row: &EventRow<'_>) {
        let e = &mut self.events;
        let s = &mut self.strings;
        let n = e.len();
        e.id.push(row.id);
        e.day_start.push(day_number(row.date.start()));
        e.day_end.push(day_number(row.date.end()));
        e.precision.push(row.date.precision());
        e.event_type.push(s.intern(row.event_type));
        e.sub_event_type.push(s.intern_opt(row.sub_event_type));
        e.actor1.push(row.actor1.unwrap_or(NO_ACTOR));
        e.actor2.push(row.actor2.unwrap_or(NO_ACTOR));
        e.associated_1.push(row.associated_1.iter().copied());
        e.associated_2.push(row.associated_2.iter().copied());
        e.place.push(s.intern_opt(row.place));
        for (k, a) in row.admin.iter().enumerate() {
            e.admin[k].push(s.intern_opt(*a));
        }
        e.country.push(s.intern_opt(row.country));
        e.latitude.push(row.latitude.unwrap_or(f64::NAN));
        e.longitude.push(row.longitude.unwrap_or(f64::NAN));
        e.fatalities.push(opt_count(row.fatalities));
        e.fatalities_low.push(opt_count(row.fatalities_range.0));
        e.fatalities_high.push(opt_count(row.fatalities_range.1));
        e.description.push(row.description);
        e.status.push(row.status);
        e.status_by.push(row.status_by.unwrap_or(NO_ACTOR));
        e.notable.push(row.notable);
        e.source.push(s.intern_opt(row.source));
        for (key, value) in row.attributes {
            let column = match e.attributes.get_mut(*key) {
                Some(c) => c,
                None => e.attributes.entry(key.to_string()).or_default(),
            };
            column.resize(n, 0);
            column.push(s.intern(value));
        }
        for column in e.attributes.values_mut() {
            column.resize(n + 1, 0);
        }
    }

    /// Sets the date of event `i` (for dates settled after a whole column is read).
    pub fn set_date(&mut self, i: usize, date: DateSpan) {
        self.events.day_start[i] = day_number(date.start());
        self.events.day_end[i] = day_number(date.end());
        self.events.precision[i] = date.precision();
    }

    /// Event `i` as a model record (for details views and the native writer).
    pub fn event(&self, i: usize) -> Event {
        let e = &self.events;
        let s = &self.strings;
        let actor_id = |v: u32| actor_opt(v).map(|a| self.meta.actors[a as usize].id.clone());
        let ids = |l: &[u32]| {
            l.iter()
                .map(|&a| self.meta.actors[a as usize].id.clone())
                .collect()
        };
        let extras = e.extras.get(&(i as u32)).cloned().unwrap_or_default();
        let coordinate = |v: f64| (!v.is_nan()).then_some(v);
        Event {
            id: e.id.get(i).to_string(),
            date: e.date(i),
            event_type: s.text(e.event_type[i]).to_string(),
            sub_event_type: s.opt(e.sub_event_type[i]).map(str::to_string),
            actor1: actor_id(e.actor1[i]),
            actor2: actor_id(e.actor2[i]),
            associated_actors_1: ids(e.associated_1.get(i)),
            associated_actors_2: ids(e.associated_2.get(i)),
            location: Location {
                place: s.opt(e.place[i]).map(str::to_string),
                admin1: s.opt(e.admin[0][i]).map(str::to_string),
                admin2: s.opt(e.admin[1][i]).map(str::to_string),
                admin3: s.opt(e.admin[2][i]).map(str::to_string),
                country: s.opt(e.country[i]).map(str::to_string),
                latitude: coordinate(e.latitude[i]),
                longitude: coordinate(e.longitude[i]),
            },
            fatalities: count_opt(e.fatalities[i]),
            fatalities_low: count_opt(e.fatalities_low[i]),
            fatalities_high: count_opt(e.fatalities_high[i]),
            description: e.description.get(i).to_string(),
            weapons: extras.weapons,
            status: Status {
                kind: e.status[i],
                by: actor_id(e.status_by[i]),
            },
            notable: e.notable[i],
            sources: extras.sources,
            attributes: e
                .attributes
                .iter()
                .filter_map(|(k, v)| s.opt(v[i]).map(|t| (k.clone(), t.to_string())))
                .collect(),
        }
    }

    /// Appends a model event; actor ids that resolve to no actor are dropped (a validated
    /// dataset has none). `publisher` maps source ids to publishers, for the source column.
    pub fn push_event(&mut self, ev: Event, publisher: &HashMap<String, String>) {
        self.push_event_ref(EventRef::of(&ev), publisher);
    }

    /// Appends an event whose text is borrowed (as read from a native file); actor ids are
    /// resolved to indices, `publisher` names each source id's publisher.
    pub fn push_event_ref(&mut self, ev: EventRef<'_>, publisher: &HashMap<String, String>) {
        let actor = |id: &Option<Text<'_>>| id.as_deref().and_then(|a| self.actor_index(a));
        let list = |ids: &[Text<'_>]| -> Vec<u32> {
            ids.iter().filter_map(|a| self.actor_index(a)).collect()
        };
        let associated_1 = list(&ev.associated_actors_1);
        let associated_2 = list(&ev.associated_actors_2);
        let (actor1, actor2, status_by) =
            (actor(&ev.actor1), actor(&ev.actor2), actor(&ev.status.by));
        let attributes: Vec<(&str, &str)> =
            ev.attributes.iter().map(|(k, v)| (&**k, &**v)).collect();
        let source = ev
            .attributes
            .iter()
            .find(|(k, _)| &***k == "source")
            .map(|(_, v)| &**v)
            .or_else(|| {
                ev.sources
                    .first()
                    .and_then(|r| publisher.get(&r.source))
                    .map(String::as_str)
            });
        let row = EventRow {
            id: &ev.id,
            date: ev.date,
            event_type: &ev.event_type,
            sub_event_type: ev.sub_event_type.as_deref(),
            actor1,
            actor2,
            associated_1: &associated_1,
            associated_2: &associated_2,
            place: ev.location.place.as_deref(),
            admin: [
                ev.location.admin1.as_deref(),
                ev.location.admin2.as_deref(),
                ev.location.admin3.as_deref(),
            ],
            country: ev.location.country.as_deref(),
            latitude: ev.location.latitude,
            longitude: ev.location.longitude,
            fatalities: ev.fatalities,
            fatalities_range: (ev.fatalities_low, ev.fatalities_high),
            description: &ev.description,
            status: ev.status.kind,
            status_by,
            notable: ev.notable,
            source,
            attributes: &attributes,
        };
        self.push(&row);
        if !ev.weapons.is_empty() || !ev.sources.is_empty() {
            let i = self.len() as u32 - 1;
            self.events.extras.insert(
                i,
                EventExtras {
                    weapons: ev.weapons.iter().map(|w| w.to_string()).collect(),
                    sources: ev.sources,
                },
            );
        }
    }

    /// Appends the rows `rows` of `other` (a store built in parallel from another part of
    /// the same file), mapping its interned strings and actors onto this store's.
    pub fn append_rows(&mut self, other: &Store, rows: &[usize]) {
        let actor_map: Vec<u32> = other
            .actors()
            .iter()
            .map(|a| self.intern_actor(&a.name, a.kind))
            .collect();
        let base = self.len();
        let mut string_map: Vec<u32> = vec![u32::MAX; other.strings.len()];
        string_map[0] = 0;
        let strings = &mut self.strings;
        let mut map = |id: u32| -> u32 {
            let slot = &mut string_map[id as usize];
            if *slot == u32::MAX {
                *slot = strings.intern(other.strings.text(id));
            }
            *slot
        };
        let actor = |a: u32| {
            if a == NO_ACTOR {
                NO_ACTOR
            } else {
                actor_map[a as usize]
            }
        };
        let (e, o) = (&mut self.events, &other.events);
        for &i in rows {
            e.id.push(o.id.get(i));
            e.day_start.push(o.day_start[i]);
            e.day_end.push(o.day_end[i]);
            e.precision.push(o.precision[i]);
            e.event_type.push(map(o.event_type[i]));
            e.sub_event_type.push(map(o.sub_event_type[i]));
            e.actor1.push(actor(o.actor1[i]));
            e.actor2.push(actor(o.actor2[i]));
            e.associated_1
                .push(o.associated_1.get(i).iter().map(|&a| actor(a)));
            e.associated_2
                .push(o.associated_2.get(i).iter().map(|&a| actor(a)));
            e.place.push(map(o.place[i]));
            for k in 0..3 {
                e.admin[k].push(map(o.admin[k][i]));
            }
            e.country.push(map(o.country[i]));
            e.latitude.push(o.latitude[i]);
            e.longitude.push(o.longitude[i]);
            e.fatalities.push(o.fatalities[i]);
            e.fatalities_low.push(o.fatalities_low[i]);
            e.fatalities_high.push(o.fatalities_high[i]);
            e.description.push(o.description.get(i));
            e.status.push(o.status[i]);
            e.status_by.push(actor(o.status_by[i]));
            e.notable.push(o.notable[i]);
            e.source.push(map(o.source[i]));
        }
        for (key, column) in &o.attributes {
            let dest = e.attributes.entry(key.clone()).or_default();
            dest.resize(base, 0);
            dest.extend(rows.iter().map(|&i| map(column[i])));
        }
        let len = e.day_start.len();
        for column in e.attributes.values_mut() {
            column.resize(len, 0);
        }
        for (k, &i) in rows.iter().enumerate() {
            if let Some(x) = o.extras.get(&(i as u32)) {
                e.extras.insert((base + k) as u32, x.clone());
            }
        }
    }

    /// Builds a store from a (validated) dataset.
    pub fn from_dataset(mut dataset: Dataset) -> Store {
        let events = std::mem::take(&mut dataset.events);
        let mut store = Store::new(dataset);
        let publisher: HashMap<String, String> = store
            .meta
            .sources
            .iter()
            .map(|s| (s.id.clone(), s.publisher.clone()))
            .collect();
        for ev in events {
            store.push_event(ev, &publisher);
        }
        store
    }

    /// The whole dataset as model records (for the native writer).
    pub fn to_dataset(&self) -> Dataset {
        Dataset {
            events: (0..self.len()).map(|i| self.event(i)).collect(),
            ..self.meta.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        for text in ["1970-01-01", "2024-02-29", "1900-03-01", "2099-12-31"] {
            let d: NaiveDate = text.parse().unwrap();
            assert_eq!(date_of(day_number(d)), d);
        }
        assert_eq!(day_number("1970-01-02".parse().unwrap()), 1);
    }

    #[test]
    fn the_seed_dataset_survives_the_trip_through_columns() {
        let dataset = crate::seed::seed_dataset().unwrap();
        let store = Store::from_dataset(dataset.clone());
        assert_eq!(store.to_dataset(), dataset);
    }
}
