//! Events appended a batch of columns at a time, for readers of columnar files (Parquet):
//! the reader turns each column into the store's form once per batch (texts coded against a
//! dictionary are interned once per distinct value, not once per row) and the store extends
//! its columns, instead of taking one event record at a time through [`Store::push`].

use super::columns::{Column as _, Interned};
use super::{EventExtras, Store, NO_ACTOR};
use crate::model::{DatePrecision, SourceRef, StatusKind};

/// "No value" in a batch's attribute columns (an attribute the row does not have).
pub(crate) const NO_VALUE: u32 = u32::MAX;

/// The rarely-filled parts of one row of a batch.
#[derive(Debug, Default)]
pub(crate) struct RowDetails {
    /// Actors associated with actor 1 (store indices).
    pub associated_1: Vec<u32>,
    /// Actors associated with actor 2 (store indices).
    pub associated_2: Vec<u32>,
    /// The actor behind the status (store index or [`NO_ACTOR`]).
    pub status_by: u32,
    /// Weapons named.
    pub weapons: Vec<String>,
    /// Sources with verbatim quotes.
    pub sources: Vec<SourceRef>,
}

/// Events as columns, every one as long as `ids`, already in the store's terms: interned
/// string ids (0 = absent), actor indices ([`NO_ACTOR`] = none), day numbers, counts
/// ([`NO_COUNT`](super::NO_COUNT) = none), coordinates (NaN = none). `details` are in row
/// order.
#[derive(Debug, Default)]
pub(crate) struct EventBatch<'a> {
    pub ids: Vec<&'a str>,
    pub day_start: Vec<i32>,
    pub day_end: Vec<i32>,
    pub precision: Vec<DatePrecision>,
    pub event_type: Vec<u32>,
    pub sub_event_type: Vec<u32>,
    pub actor1: Vec<u32>,
    pub actor2: Vec<u32>,
    pub place: Vec<u32>,
    pub admin1: Vec<u32>,
    pub admin2: Vec<u32>,
    pub admin3: Vec<u32>,
    pub country: Vec<u32>,
    pub latitude: Vec<f64>,
    pub longitude: Vec<f64>,
    pub fatalities: Vec<u32>,
    pub fatalities_low: Vec<u32>,
    pub fatalities_high: Vec<u32>,
    pub description: BatchTexts<'a>,
    pub status: Vec<StatusKind>,
    pub notable: Vec<bool>,
    /// Further fields by name: interned values, [`NO_VALUE`] where a row lacks the field.
    pub attributes: Vec<(String, Vec<u32>)>,
    /// The rows that have associated actors, a status's actor, weapons or sources.
    pub details: Vec<(usize, RowDetails)>,
}

/// A batch's texts: one by one, or an Arrow array the store keeps as it is.
#[derive(Debug)]
pub(crate) enum BatchTexts<'a> {
    Rows(Vec<&'a str>),
    Arrow(arrow_array::StringArray),
}

impl Default for BatchTexts<'_> {
    fn default() -> Self {
        BatchTexts::Rows(Vec::new())
    }
}

impl EventBatch<'_> {
    /// The attribute column `name`, added (every row without it) on first use.
    pub(crate) fn attribute_mut(&mut self, name: &str) -> &mut Vec<u32> {
        let rows = self.ids.len();
        let k = match self.attributes.iter().position(|(n, _)| n == name) {
            Some(k) => k,
            None => {
                self.attributes
                    .push((name.to_string(), vec![NO_VALUE; rows]));
                self.attributes.len() - 1
            }
        };
        &mut self.attributes[k].1
    }
}

impl Store {
    /// The interned ids of `texts` (`None` and empty text are 0), in order: a dictionary's
    /// values, interned once for all the rows that point at them.
    pub(crate) fn intern_all<'t>(
        &mut self,
        texts: impl IntoIterator<Item = Option<&'t str>>,
    ) -> Vec<u32> {
        texts
            .into_iter()
            .map(|t| self.strings.intern_opt(t))
            .collect()
    }

    /// Appends a batch of events given as columns. The source column follows the rule of
    /// [`Store::push`]: the `source` attribute, else `source_url`, else the publisher of the
    /// first source cited.
    pub(crate) fn append_batch(&mut self, batch: EventBatch<'_>) {
        let base = self.len();
        let rows = batch.ids.len();
        let attribute = |name: &str| {
            batch
                .attributes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_slice())
        };
        let (by_source, by_url) = (attribute("source"), attribute("source_url"));
        let mut source: Vec<u32> = (0..rows)
            .map(|i| {
                [by_source, by_url]
                    .into_iter()
                    .flatten()
                    .map(|column| column[i])
                    .find(|&v| v != NO_VALUE)
                    .unwrap_or(NO_VALUE)
            })
            .collect();
        for (row, details) in &batch.details {
            if source[*row] == NO_VALUE {
                if let Some(cited) = details.sources.first() {
                    let publisher = self.publisher_of.get(&cited.source).cloned();
                    source[*row] = self.strings.intern_opt(publisher.as_deref());
                }
            }
        }
        let e = &mut self.events;
        e.reserve_rows(rows);
        for id in &batch.ids {
            e.id.push(id);
        }
        e.day_start.extend_from_slice(&batch.day_start);
        e.day_end.extend_from_slice(&batch.day_end);
        e.precision.extend_from_slice(&batch.precision);
        e.event_type.extend_from_slice(&batch.event_type);
        e.sub_event_type.extend_from_slice(&batch.sub_event_type);
        e.actor1.extend_from_slice(&batch.actor1);
        e.actor2.extend_from_slice(&batch.actor2);
        e.place.extend_from_slice(&batch.place);
        e.admin1.extend_from_slice(&batch.admin1);
        e.admin2.extend_from_slice(&batch.admin2);
        e.admin3.extend_from_slice(&batch.admin3);
        e.country.extend_from_slice(&batch.country);
        e.latitude.extend_from_slice(&batch.latitude);
        e.longitude.extend_from_slice(&batch.longitude);
        e.fatalities.extend_from_slice(&batch.fatalities);
        e.fatalities_low.extend_from_slice(&batch.fatalities_low);
        e.fatalities_high.extend_from_slice(&batch.fatalities_high);
        match batch.description {
            BatchTexts::Rows(texts) => texts.iter().for_each(|text| e.description.push(text)),
            BatchTexts::Arrow(array) => e.description.adopt(array),
        }
        e.status.extend_from_slice(&batch.status);
        e.notable.extend_from_slice(&batch.notable);
        e.source
            .extend(source.iter().map(|&s| if s == NO_VALUE { 0 } else { s }));
        e.file.resize(base + rows, 0);
        let mut details = batch.details.into_iter().peekable();
        let mut status_by = vec![NO_ACTOR; rows];
        for (i, by) in status_by.iter_mut().enumerate() {
            match details.next_if(|(row, _)| *row == i) {
                Some((_, d)) => {
                    e.associated_1.push(d.associated_1);
                    e.associated_2.push(d.associated_2);
                    *by = d.status_by;
                    if !d.weapons.is_empty() || !d.sources.is_empty() {
                        let extras = EventExtras {
                            weapons: d.weapons,
                            sources: d.sources,
                        };
                        e.extras.insert((base + i) as u32, extras);
                    }
                }
                None => {
                    e.associated_1.push([]);
                    e.associated_2.push([]);
                }
            }
        }
        e.status_by.extend_from_slice(&status_by);
        // A new attribute's column gets the room the others have (made for the whole load).
        let room = e.day_start.capacity();
        for (name, values) in batch.attributes {
            let column = e.attributes.entry(name).or_insert_with(|| {
                let mut column = Interned::default();
                column.reserve_rows(room);
                column
            });
            column.resize(base, 0);
            column.extend(values.iter().map(|&v| if v == NO_VALUE { 0 } else { v }));
        }
        for column in e.attributes.values_mut() {
            column.resize(base + rows, 0);
        }
    }
}

/// The attributes of events pushed one at a time, for readers whose attributes are a fixed
/// set of columns (a CSV file's): one column of interned values per name, filled alongside
/// [`Store::push`] of events that carry no attributes, and put into the store at the end.
/// Nothing is built per row (a map per event cost a tenth of reading a large CSV file).
#[derive(Debug, Default)]
pub(crate) struct AttributeColumns {
    names: Vec<String>,
    values: Vec<Vec<u32>>,
}

impl AttributeColumns {
    /// Columns for `names`, with the column of each name in order, for
    /// [`AttributeColumns::push_row`]. A name given twice is one column (its last filled
    /// cell wins, as when a record's attributes are collected into a map).
    pub(crate) fn new<'n>(
        names: impl IntoIterator<Item = &'n str>,
    ) -> (AttributeColumns, Vec<usize>) {
        let mut columns = AttributeColumns::default();
        let mut slots = Vec::new();
        for name in names {
            let slot = match columns.names.iter().position(|n| n == name) {
                Some(slot) => slot,
                None => {
                    columns.names.push(name.to_string());
                    columns.values.push(Vec::new());
                    columns.names.len() - 1
                }
            };
            slots.push(slot);
        }
        (columns, slots)
    }

    /// Adds one row: `cells` gives each filled cell's column (as [`AttributeColumns::new`]
    /// numbered them)
    /// and text, interned in `store`.
    pub(crate) fn push_row<'t>(
        &mut self,
        store: &mut Store,
        cells: impl IntoIterator<Item = (usize, &'t str)>,
    ) {
        for column in &mut self.values {
            column.push(0);
        }
        for (slot, text) in cells {
            if let Some(cell) = self.values.get_mut(slot).and_then(|c| c.last_mut()) {
                *cell = store.strings.intern(text);
            }
        }
    }

    /// Puts the columns that have a value into `store`, whose events are the rows pushed
    /// (with no attributes of their own). The source column follows the rule of
    /// [`Store::push`]: an event without a cited source takes its `source` attribute, else
    /// its `source_url`.
    pub(crate) fn install(self, store: &mut Store) {
        let e = &mut store.events;
        let rows = e.len();
        let column = |name: &str| {
            let k = self.names.iter().position(|n| n == name)?;
            Some(&self.values[k])
        };
        for values in [column("source"), column("source_url")]
            .into_iter()
            .flatten()
        {
            for (row, source) in e.source.0.iter_mut().enumerate().take(rows) {
                if *source == 0 {
                    *source = values.get(row).copied().unwrap_or(0);
                }
            }
        }
        for (name, mut values) in self.names.into_iter().zip(self.values) {
            if values.iter().all(|&v| v == 0) {
                continue;
            }
            values.resize(rows, 0);
            let existing = e.attributes.entry(name).or_default();
            existing.0.resize(rows, 0);
            for (cell, value) in existing.0.iter_mut().zip(values) {
                if value != 0 {
                    *cell = value;
                }
            }
        }
    }
}
