//! Checks a dataset beyond what its types guarantee: unique ids, references that resolve,
//! values in range. Format-independent; readers turn each finding into a located problem.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Dataset, EventRef, SourceRef};

/// A record (and optionally a field of it) that a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    /// The collection: `events`, `actors`, …
    pub collection: &'static str,
    /// Index in the collection.
    pub index: usize,
    /// The record's id, when it has one.
    pub id: Option<String>,
    /// The field, e.g. `actor1` or `sources[0].source`.
    pub field: Option<String>,
}

impl RecordRef {
    /// `events[3] (id "ev-1")`.
    pub fn describe(&self) -> String {
        match &self.id {
            Some(id) => format!("{}[{}] (id {id:?})", self.collection, self.index),
            None => format!("{}[{}]", self.collection, self.index),
        }
    }
}

struct Checker<'d> {
    actors: FxHashSet<&'d str>,
    sources: FxHashSet<&'d str>,
    findings: Vec<(RecordRef, String)>,
}

impl<'d> Checker<'d> {
    fn at(collection: &'static str, index: usize, id: &str, field: impl Into<String>) -> RecordRef {
        RecordRef {
            collection,
            index,
            id: Some(id.to_string()),
            field: Some(field.into()),
        }
    }

    /// The checks of one event (the `i`-th of its collection).
    fn event(&mut self, i: usize, e: &EventRef<'_>) {
        let id: &str = &e.id;
        self.event_type(i, id, &e.event_type);
        for (field, actor) in [("actor1", &e.actor1), ("actor2", &e.actor2)] {
            if let Some(actor) = actor {
                self.actor(actor, || Self::at("events", i, id, field));
            }
        }
        let status_by = e.status.by.as_deref();
        self.associated(
            i,
            id,
            [&e.associated_actors_1[..], &e.associated_actors_2[..]],
            status_by,
        );
        self.coordinates(i, id, e.location.latitude, e.location.longitude);
        self.source_refs("events", i, id, &e.sources);
    }

    fn event_type(&mut self, i: usize, id: &str, event_type: &str) {
        if event_type.trim().is_empty() {
            self.findings.push((
                Self::at("events", i, id, "event_type"),
                "the event type is empty".into(),
            ));
        }
    }

    /// The actors associated with actors 1 and 2, and the actor behind the status.
    fn associated<S: AsRef<str>>(
        &mut self,
        i: usize,
        id: &str,
        lists: [&[S]; 2],
        status_by: Option<&str>,
    ) {
        for (field, list) in ["associated_actors_1", "associated_actors_2"]
            .into_iter()
            .zip(lists)
        {
            for (k, actor) in list.iter().enumerate() {
                self.actor(actor.as_ref(), || {
                    Self::at("events", i, id, format!("{field}[{k}]"))
                });
            }
        }
        if let Some(by) = status_by {
            self.actor(by, || Self::at("events", i, id, "status.by"));
        }
    }

    fn coordinates(&mut self, i: usize, id: &str, latitude: Option<f64>, longitude: Option<f64>) {
        if let Some(lat) = latitude {
            if !(-90.0..=90.0).contains(&lat) {
                self.findings.push((
                    Self::at("events", i, id, "location.latitude"),
                    format!("latitude {lat} is outside −90…90"),
                ));
            }
        }
        if let Some(lon) = longitude {
            if !(-180.0..=180.0).contains(&lon) {
                self.findings.push((
                    Self::at("events", i, id, "location.longitude"),
                    format!("longitude {lon} is outside −180…180"),
                ));
            }
        }
    }

    /// Reports `actor` when no actor has that id; `rec` names the field, made only then.
    fn actor(&mut self, actor: &str, rec: impl FnOnce() -> RecordRef) {
        if !self.actors.contains(actor) {
            self.findings.push((
                rec(),
                format!("unknown actor {actor:?} (no actor has that id)"),
            ));
        }
    }

    fn source_refs(
        &mut self,
        collection: &'static str,
        index: usize,
        id: &str,
        refs: &[SourceRef],
    ) {
        self.source_refs_at(collection, index, id, "", refs);
    }

    fn source_refs_at(
        &mut self,
        collection: &'static str,
        index: usize,
        id: &str,
        prefix: &str,
        refs: &[SourceRef],
    ) {
        for (i, r) in refs.iter().enumerate() {
            if !self.sources.contains(r.source.as_str()) {
                self.findings.push((
                    Self::at(
                        collection,
                        index,
                        id,
                        format!("{prefix}sources[{i}].source"),
                    ),
                    format!("unknown source {:?} (no source has that id)", r.source),
                ));
            }
            if r.quote.trim().is_empty() {
                self.findings.push((
                    Self::at(collection, index, id, format!("{prefix}sources[{i}].quote")),
                    "the quote is empty: every datum carries the words it rests on".into(),
                ));
            }
            if let Some(a) = &r.attributed_to {
                self.actor(a, || {
                    Self::at(
                        collection,
                        index,
                        id,
                        format!("{prefix}sources[{i}].attributed_to"),
                    )
                });
            }
        }
    }
}

fn duplicates<'d>(
    collection: &'static str,
    ids: impl Iterator<Item = &'d str>,
    findings: &mut Vec<(RecordRef, String)>,
) -> FxHashSet<&'d str> {
    let mut first_seen: FxHashMap<&str, usize> = FxHashMap::default();
    for (index, id) in ids.enumerate() {
        let rec = RecordRef {
            collection,
            index,
            id: Some(id.to_string()),
            field: Some("id".into()),
        };
        if id.trim().is_empty() {
            findings.push((rec, "the id is empty".into()));
        } else if let Some(first) = first_seen.get(id) {
            findings.push((
                rec,
                format!("duplicate id {id:?} (first used by {collection}[{first}])"),
            ));
        } else {
            first_seen.insert(id, index);
        }
    }
    first_seen.into_keys().collect()
}

/// Every problem with the dataset's references and values, in collection order.
pub fn validate(d: &Dataset) -> Vec<(RecordRef, String)> {
    validate_with(d, &[], &[])
}

/// Like [`validate`], also accepting references to the given actor and source ids: those of
/// records a reader already reported as unreadable, so one bad record is reported once.
pub fn validate_with(
    d: &Dataset,
    unreadable_actors: &[String],
    unreadable_sources: &[String],
) -> Vec<(RecordRef, String)> {
    let mut c = unique_ids(d, unreadable_actors, unreadable_sources);
    for (i, a) in d.actors.iter().enumerate() {
        if a.name.trim().is_empty() {
            c.findings.push((
                Checker::at("actors", i, &a.id, "name"),
                "the name is empty".into(),
            ));
        }
        c.source_refs("actors", i, &a.id, &a.sources);
    }
    for (i, e) in d.events.iter().enumerate() {
        c.event(i, &e.borrowed());
    }
    c.relations(d);
    c.series(d);
    c.statements(d);
    c.findings
}

/// A checker for `d` that knows its actor and source ids, having reported ids used twice in
/// any collection. Ids of records that could not be read still count as known.
fn unique_ids<'d>(
    d: &'d Dataset,
    unreadable_actors: &'d [String],
    unreadable_sources: &'d [String],
) -> Checker<'d> {
    let mut findings = Vec::new();
    let mut sources = duplicates(
        "sources",
        d.sources.iter().map(|s| s.id.as_str()),
        &mut findings,
    );
    sources.extend(unreadable_sources.iter().map(String::as_str));
    let mut actors = duplicates(
        "actors",
        d.actors.iter().map(|a| a.id.as_str()),
        &mut findings,
    );
    actors.extend(unreadable_actors.iter().map(String::as_str));
    duplicates(
        "events",
        d.events.iter().map(|e| e.id.as_str()),
        &mut findings,
    );
    duplicates(
        "relations",
        d.relations.iter().map(|r| r.id.as_str()),
        &mut findings,
    );
    duplicates(
        "series",
        d.series.iter().map(|s| s.id.as_str()),
        &mut findings,
    );
    duplicates(
        "statements",
        d.statements.iter().map(|s| s.id.as_str()),
        &mut findings,
    );
    Checker {
        actors,
        sources,
        findings,
    }
}

impl Checker<'_> {
    fn relations(&mut self, d: &Dataset) {
        for (i, r) in d.relations.iter().enumerate() {
            self.actor(&r.from, || Self::at("relations", i, &r.id, "from"));
            self.actor(&r.to, || Self::at("relations", i, &r.id, "to"));
            if r.sources.is_empty() {
                self.findings.push((
                    Self::at("relations", i, &r.id, "sources"),
                    "a relation needs at least one source".into(),
                ));
            }
            self.source_refs("relations", i, &r.id, &r.sources);
        }
    }

    fn series(&mut self, d: &Dataset) {
        for (i, s) in d.series.iter().enumerate() {
            self.actor(&s.reported_by, || {
                Self::at("series", i, &s.id, "reported_by")
            });
            if let Some(by) = &s.counted_by {
                self.actor(by, || Self::at("series", i, &s.id, "counted_by"));
            }
            for (k, o) in s.observations.iter().enumerate() {
                let at = |field: &str| {
                    Self::at("series", i, &s.id, format!("observations[{k}].{field}"))
                };
                match (o.value, &o.words) {
                    (Some(v), _) if !v.is_finite() || v < 0.0 => self.findings.push((
                        at("value"),
                        format!("value {v} is not a non-negative number"),
                    )),
                    (None, None) => self.findings.push((
                        at("value"),
                        "an observation needs a value, or the source's words for it (\"words\")"
                            .into(),
                    )),
                    (None, Some(w)) if w.trim().is_empty() => self
                        .findings
                        .push((at("words"), "the words are empty".into())),
                    _ => {}
                }
                let prefix = format!("observations[{k}].");
                self.source_refs_at("series", i, &s.id, &prefix, &o.sources);
            }
        }
    }

    fn statements(&mut self, d: &Dataset) {
        for (i, s) in d.statements.iter().enumerate() {
            self.actor(&s.speaker, || Self::at("statements", i, &s.id, "speaker"));
            for (k, a) in s.about.iter().enumerate() {
                self.actor(a, || {
                    Self::at("statements", i, &s.id, format!("about[{k}]"))
                });
            }
            match &s.quote {
                Some(q) if q.trim().is_empty() => self.findings.push((
                    Self::at("statements", i, &s.id, "quote"),
                    "the quote is empty".into(),
                )),
                None if s.sources.is_empty() => self.findings.push((
                    Self::at("statements", i, &s.id, "sources"),
                    "a statement without the speaker's own words (\"quote\") needs a source's account of them".into(),
                )),
                _ => {}
            }
            self.source_refs("statements", i, &s.id, &s.sources);
        }
    }
}

/// Checks events one at a time against a dataset's actors and sources (for readers that
/// stream events into the store rather than hold them all): the same checks as [`validate`],
/// duplicate ids excepted (the reader tracks those).
pub struct EventChecker<'d> {
    checker: Checker<'d>,
}

impl<'d> EventChecker<'d> {
    /// A checker for the events of `meta`, also accepting references to the given ids (of
    /// records already reported as unreadable).
    pub fn new(
        meta: &'d Dataset,
        unreadable_actors: &'d [String],
        unreadable_sources: &'d [String],
    ) -> EventChecker<'d> {
        let actors = meta
            .actors
            .iter()
            .map(|a| a.id.as_str())
            .chain(unreadable_actors.iter().map(String::as_str))
            .collect();
        let sources = meta
            .sources
            .iter()
            .map(|s| s.id.as_str())
            .chain(unreadable_sources.iter().map(String::as_str))
            .collect();
        EventChecker {
            checker: Checker {
                actors,
                sources,
                findings: Vec::new(),
            },
        }
    }

    /// The problems of the `i`-th event.
    pub fn check(&mut self, i: usize, e: &EventRef<'_>) -> Vec<(RecordRef, String)> {
        self.checker.event(i, e);
        std::mem::take(&mut self.checker.findings)
    }

    /// The checks of [`EventChecker::check`] for an event read as columns, a part at a time
    /// (its `i` and `id` name it in the findings); the findings so far are in
    /// [`EventChecker::take`].
    pub(crate) fn event_type(&mut self, i: usize, id: &str, event_type: &str) {
        self.checker.event_type(i, id, event_type);
    }

    /// Actor 1 or 2 (`field`) of an event read as columns.
    pub(crate) fn actor(&mut self, i: usize, id: &str, field: &'static str, actor: &str) {
        self.checker
            .actor(actor, || Checker::at("events", i, id, field));
    }

    /// The coordinates of an event read as columns.
    pub(crate) fn coordinates(&mut self, i: usize, id: &str, at: (Option<f64>, Option<f64>)) {
        self.checker.coordinates(i, id, at.0, at.1);
    }

    /// The associated actors, the status's actor and the sources of an event read as columns.
    pub(crate) fn details(
        &mut self,
        i: usize,
        id: &str,
        associated: [&[String]; 2],
        status_by: Option<&str>,
        sources: &[SourceRef],
    ) {
        self.checker.associated(i, id, associated, status_by);
        self.checker.source_refs("events", i, id, sources);
    }

    /// How many findings the part checks have made since [`EventChecker::take`].
    pub(crate) fn findings(&self) -> usize {
        self.checker.findings.len()
    }

    /// The findings of the part checks since the last call.
    pub(crate) fn take(&mut self) -> Vec<(RecordRef, String)> {
        std::mem::take(&mut self.checker.findings)
    }
}
