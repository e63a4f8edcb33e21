//! The columnar in-memory store every view reads: one vector per event field, dates as day
//! numbers with their precision, repeated strings interned to small ids, long texts packed.
//!
//! The columns are private to the core. Outside it, an event is read through the typed row
//! view [`EventView`] (options, not sentinel values) or as a whole [`Event`] record. Every
//! form of an event ([`Event`], [`EventRef`](crate::model::EventRef) as read from a native
//! file, [`EventRow`](crate::model::EventRow) from an importer) goes in through one function,
//! [`Store::push`].

pub(crate) mod bulk;
pub mod columns;
mod correct;
pub(crate) mod room;
mod view;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;

pub(crate) use columns::{Actors, Column, Interned, Remap};
pub use columns::{Interner, ListColumn, PackedText, TextColumn};
pub use view::EventView;

use crate::model::{
    Actor, ActorIndex, ActorKind, Dataset, DatePrecision, DateSpan, Event, Location, SourceRef,
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

/// "No value" in the integer count columns (core-internal; the row view gives `Option`s).
pub(crate) const NO_COUNT: u32 = u32::MAX;
/// "No actor" in the actor columns (core-internal; the row view gives `Option`s).
pub(crate) const NO_ACTOR: u32 = u32::MAX;

/// Rarely-present parts of an event, kept aside so a million imported rows pay nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventExtras {
    /// Weapons named.
    pub weapons: Vec<String>,
    /// Sources with verbatim quotes.
    pub sources: Vec<SourceRef>,
}

/// Declares the event columns once; reserving, keeping rows and appending another store's
/// rows follow from the list (each column type knows how, through [`Column`]).
macro_rules! event_columns {
    ($($(#[doc = $doc:literal])* $name:ident: $ty:ty,)*) => {
        /// The event columns. Row `i` of every column is event `i`.
        #[derive(Debug, Clone, Default)]
        pub(crate) struct EventColumns {
            $($(#[doc = $doc])* pub(crate) $name: $ty,)*
            /// Further fields by name, interned values (0 = absent).
            pub(crate) attributes: BTreeMap<String, Interned>,
            /// Weapons and source quotes, for the few events that have them.
            pub(crate) extras: HashMap<u32, EventExtras>,
        }

        impl EventColumns {
            fn reserve_rows(&mut self, rows: usize) {
                $(Column::reserve_rows(&mut self.$name, rows);)*
            }

            fn pick_rows(&self, rows: &[usize]) -> EventColumns {
                EventColumns {
                    $($name: Column::pick(&self.$name, rows),)*
                    attributes: self
                        .attributes
                        .iter()
                        .map(|(k, v)| (k.clone(), v.pick(rows)))
                        .collect(),
                    extras: rows
                        .iter()
                        .enumerate()
                        .filter_map(|(new, &old)| {
                            self.extras.get(&(old as u32)).map(|x| (new as u32, x.clone()))
                        })
                        .collect(),
                }
            }

            fn append_columns(&mut self, other: &EventColumns, rows: &[usize], remap: &Remap) {
                $(Column::append_mapped(&mut self.$name, &other.$name, rows, remap);)*
            }
        }
    };
}

event_columns! {
    /// Ids.
    id: TextColumn,
    /// First day (day number).
    day_start: Vec<i32>,
    /// Last day (day number, inclusive).
    day_end: Vec<i32>,
    /// How precise the date is.
    precision: Vec<DatePrecision>,
    /// Event type.
    event_type: Interned,
    /// Sub-type.
    sub_event_type: Interned,
    /// Actor 1.
    actor1: Actors,
    /// Actor 2.
    actor2: Actors,
    /// Actors associated with actor 1.
    associated_1: ListColumn,
    /// Actors associated with actor 2.
    associated_2: ListColumn,
    /// Place.
    place: Interned,
    /// First-level administrative area.
    admin1: Interned,
    /// Second-level administrative area.
    admin2: Interned,
    /// Third-level administrative area.
    admin3: Interned,
    /// Country.
    country: Interned,
    /// Latitude (NaN = none).
    latitude: Vec<f64>,
    /// Longitude (NaN = none).
    longitude: Vec<f64>,
    /// Deaths ([`NO_COUNT`] = not reported).
    fatalities: Vec<u32>,
    /// Lowest deaths ([`NO_COUNT`] = none).
    fatalities_low: Vec<u32>,
    /// Highest deaths ([`NO_COUNT`] = none).
    fatalities_high: Vec<u32>,
    /// Descriptions / notes.
    description: TextColumn,
    /// Status kind.
    status: Vec<StatusKind>,
    /// Actor behind the status.
    status_by: Actors,
    /// Notable (milestone) events.
    notable: Vec<bool>,
    /// Reporting source name.
    source: Interned,
    /// Which of the store's files ([`Store::files`]) the event came from.
    file: Vec<u32>,
}

impl EventColumns {
    /// Number of events.
    pub(crate) fn len(&self) -> usize {
        self.day_start.len()
    }

    /// The date of event `i` at its precision.
    pub(crate) fn date(&self, i: usize) -> DateSpan {
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
}

/// How an event names an actor, resolved to the actor's index in the store it goes into.
pub trait ActorKey {
    /// The actor's index in `store`, if it has one.
    fn index_in(&self, store: &Store) -> Option<u32>;
}

impl ActorKey for ActorIndex {
    fn index_in(&self, store: &Store) -> Option<u32> {
        ((self.0 as usize) < store.actors().len()).then_some(self.0)
    }
}

impl ActorKey for String {
    fn index_in(&self, store: &Store) -> Option<u32> {
        store.actor_index(self)
    }
}

impl ActorKey for Text<'_> {
    fn index_in(&self, store: &Store) -> Option<u32> {
        store.actor_index(self)
    }
}

/// Identifies a store's contents for caches: every store made gets a new one, so a cache keyed
/// on it never confuses two datasets (a freed store's address can come back; this cannot).
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    NEXT_GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// A file whose events are in a store: several files can be read into one view, each a
/// layer the events remember ([`EventView::file`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileLayer {
    /// The path as the user gave it.
    pub path: String,
    /// Its file name, as views show it.
    pub name: String,
    /// The format it was read as (`acled`, `ucdp`, …).
    pub format: String,
    /// Events it gives the view (its events less those a newer release replaced).
    pub events: usize,
    /// Its records skipped because of problems.
    pub skipped: usize,
    /// How many of its events a newer release of the same id, in another file, replaced.
    pub replaced: usize,
    /// The ids of those events.
    pub replaced_ids: Vec<String>,
}

impl FileLayer {
    /// The layer of a file read on its own: all its events, none replaced.
    pub fn whole(path: &str, format: &str, events: usize, skipped: usize) -> FileLayer {
        let name = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
        FileLayer {
            path: path.to_string(),
            name,
            format: format.to_string(),
            events,
            skipped,
            replaced: 0,
            replaced_ids: Vec::new(),
        }
    }
}

/// A whole dataset in columnar form: the events as columns, everything else (actors,
/// relations, series, statements, sources — small) as model records.
#[derive(Debug)]
pub struct Store {
    /// Title, description, sources, actors, relations, series, statements; `events` is empty.
    pub meta: Dataset,
    /// The files the events came from, in the order they were given (none for a store built
    /// in memory; one for a file read on its own).
    pub files: Vec<FileLayer>,
    pub(crate) events: EventColumns,
    pub(crate) strings: Interner,
    actor_by_id: rustc_hash::FxHashMap<String, u32>,
    /// Publisher per source id, for the source column of events that cite sources.
    publisher_of: HashMap<String, String>,
    generation: u64,
}

impl Default for Store {
    fn default() -> Store {
        Store::new(Dataset::default())
    }
}

impl Clone for Store {
    /// A copy, with a generation of its own (it may go on to differ from the original).
    fn clone(&self) -> Store {
        Store {
            meta: self.meta.clone(),
            files: self.files.clone(),
            events: self.events.clone(),
            strings: self.strings.clone(),
            actor_by_id: self.actor_by_id.clone(),
            publisher_of: self.publisher_of.clone(),
            generation: next_generation(),
        }
    }
}

fn text<T: AsRef<str>>(t: &Option<T>) -> Option<&str> {
    t.as_ref().map(AsRef::as_ref)
}

fn opt_count(v: Option<u32>) -> u32 {
    v.unwrap_or(NO_COUNT)
}

impl Store {
    /// An empty store for a dataset's actors, sources and other records (its events, if any,
    /// are not added: push them).
    pub fn new(meta: Dataset) -> Store {
        let meta = Dataset {
            events: Vec::new(),
            ..meta
        };
        let actor_by_id = meta
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i as u32))
            .collect();
        let publisher_of = meta
            .sources
            .iter()
            .map(|s| (s.id.clone(), s.publisher.clone()))
            .collect();
        Store {
            meta,
            files: Vec::new(),
            events: EventColumns::default(),
            strings: Interner::default(),
            actor_by_id,
            publisher_of,
            generation: next_generation(),
        }
    }

    /// This store's generation: unique to it among the stores of this process, so caches can
    /// key on it.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Gives the store a new generation: its contents changed in place.
    pub(crate) fn renew_generation(&mut self) {
        self.generation = next_generation();
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True when there are no events.
    pub fn is_empty(&self) -> bool {
        self.events.len() == 0
    }

    /// Event `i`, read through typed accessors. Panics if `i` is out of range, like indexing.
    pub fn row(&self, i: usize) -> EventView<'_> {
        assert!(i < self.len(), "event {i} of {}", self.len());
        EventView::new(self, i)
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
        match self.actor_by_id.get(name) {
            // The common case, without building an actor.
            Some(&i)
                if kind == ActorKind::Unknown
                    || self.meta.actors[i as usize].kind != ActorKind::Unknown =>
            {
                i
            }
            _ => self.merge_actor(&Actor::named(name, name, kind)),
        }
    }

    /// The index of the actor with `actor`'s id, adding a copy of it on first sight; a known
    /// kind replaces an unknown one (parts of one import may each know different things).
    fn merge_actor(&mut self, actor: &Actor) -> u32 {
        if let Some(&i) = self.actor_by_id.get(&actor.id) {
            let known = &mut self.meta.actors[i as usize];
            if known.kind == ActorKind::Unknown {
                known.kind = actor.kind;
            }
            return i;
        }
        let i = self.meta.actors.len() as u32;
        self.meta.actors.push(actor.clone());
        self.actor_by_id.insert(actor.id.clone(), i);
        i
    }

    /// The display name of an actor index ("" for none).
    pub fn actor_name(&self, index: u32) -> &str {
        self.meta
            .actors
            .get(index as usize)
            .map_or("", |a| a.name.as_str())
    }

    /// Makes room for `rows` more events with `text_bytes` bytes of descriptions (so a large
    /// import does not grow its columns by repeated doubling and copying).
    pub fn reserve(&mut self, rows: usize, text_bytes: usize) {
        self.events.reserve_rows(rows);
        self.events.id.reserve(0, rows * 10);
        self.events.description.reserve(0, text_bytes);
    }

    /// Appends an event in any of its forms. Actors that resolve to no actor of the store are
    /// dropped (a validated dataset has none). The source column is the `source` attribute
    /// (ACLED), else the `source_url` attribute (GDELT), else the publisher of the first
    /// source the event cites.
    pub fn push<T: AsRef<str> + Ord, A: ActorKey>(&mut self, ev: &Event<T, A>) {
        let actor = |a: &Option<A>| a.as_ref().and_then(|a| a.index_in(self));
        let list = |l: &[A]| -> Vec<u32> { l.iter().filter_map(|a| a.index_in(self)).collect() };
        let (actor1, actor2, status_by) =
            (actor(&ev.actor1), actor(&ev.actor2), actor(&ev.status.by));
        let (associated_1, associated_2) =
            (list(&ev.associated_actors_1), list(&ev.associated_actors_2));
        let attribute = |name: &str| {
            ev.attributes
                .iter()
                .find(|(k, _)| k.as_ref() == name)
                .map(|(_, v)| v.as_ref())
        };
        let source = attribute("source")
            .or_else(|| attribute("source_url"))
            .or_else(|| {
                let cited = &ev.sources.first()?.source;
                self.publisher_of.get(cited).map(String::as_str)
            });
        let (e, s) = (&mut self.events, &mut self.strings);
        let n = e.len();
        e.id.push(ev.id.as_ref());
        e.day_start.push(day_number(ev.date.start()));
        e.day_end.push(day_number(ev.date.end()));
        e.precision.push(ev.date.precision());
        e.event_type.push(s.intern(ev.event_type.as_ref()));
        e.sub_event_type
            .push(s.intern_opt(text(&ev.sub_event_type)));
        e.actor1.push(actor1.unwrap_or(NO_ACTOR));
        e.actor2.push(actor2.unwrap_or(NO_ACTOR));
        e.associated_1.push(associated_1);
        e.associated_2.push(associated_2);
        let at = &ev.location;
        e.place.push(s.intern_opt(text(&at.place)));
        e.admin1.push(s.intern_opt(text(&at.admin1)));
        e.admin2.push(s.intern_opt(text(&at.admin2)));
        e.admin3.push(s.intern_opt(text(&at.admin3)));
        e.country.push(s.intern_opt(text(&at.country)));
        e.latitude.push(at.latitude.unwrap_or(f64::NAN));
        e.longitude.push(at.longitude.unwrap_or(f64::NAN));
        e.fatalities.push(opt_count(ev.fatalities));
        e.fatalities_low.push(opt_count(ev.fatalities_low));
        e.fatalities_high.push(opt_count(ev.fatalities_high));
        e.description.push(ev.description.as_ref());
        e.status.push(ev.status.kind);
        e.status_by.push(status_by.unwrap_or(NO_ACTOR));
        e.notable.push(ev.notable);
        e.source.push(s.intern_opt(source));
        e.file.push(0);
        for (key, value) in &ev.attributes {
            let column = match e.attributes.get_mut(key.as_ref()) {
                Some(c) => c,
                None => e.attributes.entry(key.as_ref().to_string()).or_default(),
            };
            column.resize(n, 0);
            column.push(s.intern(value.as_ref()));
        }
        for column in e.attributes.values_mut() {
            column.resize(n + 1, 0);
        }
        if !ev.weapons.is_empty() || !ev.sources.is_empty() {
            let extras = EventExtras {
                weapons: ev.weapons.iter().map(|w| w.as_ref().to_string()).collect(),
                sources: ev.sources.clone(),
            };
            e.extras.insert(n as u32, extras);
        }
    }

    /// The index in [`Store::files`] of the file event `i` came from.
    pub fn file_of(&self, i: usize) -> usize {
        self.events.file[i] as usize
    }

    /// Moves the events from row `base` on to the files `offset` places further (their
    /// files come after `offset` others in a combined store).
    pub(crate) fn offset_files(&mut self, base: usize, offset: u32) {
        for file in &mut self.events.file[base..] {
            *file += offset;
        }
    }

    /// Points the citations of the events from row `base` on at their sources' new ids.
    pub(crate) fn rename_cited_sources(&mut self, base: usize, renamed: &HashMap<String, String>) {
        if renamed.is_empty() {
            return;
        }
        for (&row, extras) in &mut self.events.extras {
            if row as usize >= base {
                for cited in &mut extras.sources {
                    crate::io::combine::rename_ref(cited, renamed);
                }
            }
        }
    }

    /// Gives the events from row `base` on whose id an event of another file holds (in
    /// `seen`: id → file) the id `ID@FILE`, and records their ids; returns how many it renamed.
    pub(crate) fn tell_ids_apart(&mut self, base: usize, seen: &mut HashMap<String, u32>) -> usize {
        let names: Vec<&str> = self.files.iter().map(|f| f.name.as_str()).collect();
        let e = &mut self.events;
        let clashes: Vec<usize> = (base..e.len())
            .filter(|&i| {
                let file = e.file[i];
                match seen.get(e.id.get(i)) {
                    Some(&other) => other != file,
                    None => {
                        seen.insert(e.id.get(i).to_string(), file);
                        false
                    }
                }
            })
            .collect();
        if clashes.is_empty() {
            return 0;
        }
        let mut ids = TextColumn::default();
        ids.reserve(e.len(), e.id.text_bytes() + clashes.len() * 16);
        let mut next = clashes.iter().peekable();
        for i in 0..e.len() {
            if next.peek() == Some(&&i) {
                next.next();
                let name = names.get(e.file[i] as usize).copied().unwrap_or("");
                ids.push(&format!("{}@{name}", e.id.get(i)));
            } else {
                ids.push(e.id.get(i));
            }
        }
        e.id = ids;
        clashes.len()
    }

    /// Sets the date of event `i` (for dates settled after a whole column is read).
    pub fn set_date(&mut self, i: usize, date: DateSpan) {
        self.events.day_start[i] = day_number(date.start());
        self.events.day_end[i] = day_number(date.end());
        self.events.precision[i] = date.precision();
    }

    /// Keeps only the events for which `keep(row)` is true, in order.
    pub fn retain_rows(&mut self, keep: impl Fn(usize) -> bool) {
        let kept: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        if kept.len() < self.len() {
            self.events = self.events.pick_rows(&kept);
        }
    }

    /// Folds pairs of rows that are two sides of one event (as a monadic ACLED export
    /// writes them: one row per actor) into one row each, and removes the rows in `drop`.
    /// For each `(first, second)`, the row `first` keeps its actor 1 and associated actors
    /// and takes `second`'s as actor 2 and its associated actors (with `second`'s `inter1`
    /// attribute as `inter2`); `second` is removed. The rows' other fields are the caller's
    /// to have compared.
    pub fn fold_sides(&mut self, pairs: &[(usize, usize)], drop: &[usize]) {
        if pairs.is_empty() && drop.is_empty() {
            return;
        }
        let e = &mut self.events;
        // The row whose actor becomes each folded row's actor 2.
        let mut second_of: Vec<Option<usize>> = vec![None; e.len()];
        let mut dropped = vec![false; e.len()];
        for &(first, second) in pairs {
            second_of[first] = Some(second);
            dropped[second] = true;
        }
        for &row in drop {
            dropped[row] = true;
        }
        let inter1 = e.attributes.get("inter1").cloned();
        let mut associated_2 = ListColumn::default();
        for (row, second) in second_of.iter().enumerate() {
            let Some(second) = *second else {
                associated_2.push(e.associated_2.get(row).iter().copied());
                continue;
            };
            e.actor2[row] = e.actor1[second];
            associated_2.push(e.associated_1.get(second).iter().copied());
            if let Some(inter1) = &inter1 {
                let inter2 = e.attributes.entry("inter2".to_string()).or_default();
                inter2.resize(inter1.len(), 0);
                inter2[row] = inter1[second];
            }
        }
        e.associated_2 = associated_2;
        self.retain_rows(|i| !dropped[i]);
    }

    /// Event `i` as a model record (for details views and the native writer).
    pub fn event(&self, i: usize) -> Event {
        let e = &self.events;
        let s = &self.strings;
        let actor_id = |v: u32| (v != NO_ACTOR).then(|| self.meta.actors[v as usize].id.clone());
        let ids = |l: &[u32]| {
            l.iter()
                .map(|&a| self.meta.actors[a as usize].id.clone())
                .collect()
        };
        let text = |id: u32| s.opt(id).map(str::to_string);
        let count = |v: u32| (v != NO_COUNT).then_some(v);
        let coordinate = |v: f64| (!v.is_nan()).then_some(v);
        let extras = e.extras.get(&(i as u32)).cloned().unwrap_or_default();
        Event {
            id: e.id.get(i).to_string(),
            date: e.date(i),
            event_type: s.text(e.event_type[i]).to_string(),
            sub_event_type: text(e.sub_event_type[i]),
            actor1: actor_id(e.actor1[i]),
            actor2: actor_id(e.actor2[i]),
            associated_actors_1: ids(e.associated_1.get(i)),
            associated_actors_2: ids(e.associated_2.get(i)),
            location: Location {
                place: text(e.place[i]),
                admin1: text(e.admin1[i]),
                admin2: text(e.admin2[i]),
                admin3: text(e.admin3[i]),
                country: text(e.country[i]),
                latitude: coordinate(e.latitude[i]),
                longitude: coordinate(e.longitude[i]),
            },
            fatalities: count(e.fatalities[i]),
            fatalities_low: count(e.fatalities_low[i]),
            fatalities_high: count(e.fatalities_high[i]),
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

    /// The names of the attributes (further fields) that any of the events at `rows` has, in
    /// name order.
    pub fn attribute_names_in(&self, rows: &[u32]) -> Vec<String> {
        self.events
            .attributes
            .iter()
            .filter(|(_, values)| rows.iter().any(|&r| values[r as usize] != 0))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Appends the rows `rows` of `other` (a store built in parallel from another part of
    /// the same file), mapping its interned strings and actors onto this store's.
    pub fn append_rows(&mut self, other: &Store, rows: &[usize]) {
        let actors = other.actors().iter().map(|a| self.merge_actor(a)).collect();
        let strings = (0..other.strings.len() as u32)
            .map(|id| self.strings.intern(other.strings.text(id)))
            .collect();
        let remap = Remap { strings, actors };
        let base = self.len();
        let (e, o) = (&mut self.events, &other.events);
        e.append_columns(o, rows, &remap);
        for (key, column) in &o.attributes {
            let dest = e.attributes.entry(key.clone()).or_default();
            dest.resize(base, 0);
            dest.append_mapped(column, rows, &remap);
        }
        let len = e.len();
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
        for ev in &events {
            store.push(ev);
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

    #[test]
    fn every_store_has_a_generation_of_its_own_even_a_copy() {
        let a = Store::default();
        let b = Store::default();
        let c = a.clone();
        assert_ne!(a.generation(), b.generation());
        assert_ne!(a.generation(), c.generation());
    }

    #[test]
    fn kept_and_appended_rows_carry_every_column() {
        let dataset = crate::seed::seed_dataset().unwrap();
        let store = Store::from_dataset(dataset.clone());
        let mut kept = store.clone();
        kept.retain_rows(|i| i % 2 == 1);
        let odd: Vec<Event> = (1..store.len())
            .step_by(2)
            .map(|i| store.event(i))
            .collect();
        assert_eq!(
            (0..kept.len()).map(|i| kept.event(i)).collect::<Vec<_>>(),
            odd
        );
        let mut joined = Store::new(dataset.clone());
        joined.append_rows(&store, &[2, 0]);
        assert_eq!(joined.event(0), store.event(2));
        assert_eq!(joined.event(1), store.event(0));
    }
}
