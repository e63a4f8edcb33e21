//! The filtered event list as CSV (one row per event, one column per field) or as a native
//! Faultline file holding only those events.

use crate::model::Dataset;
use crate::store::Store;

use super::csv_field;

/// The CSV header, in column order.
pub const EVENTS_CSV_HEADER: [&str; 19] = [
    "id",
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "associated_actors",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "fatalities",
    "status",
    "sources",
    "description",
];

/// The events at `rows` (store row indices, in the order given) as CSV.
pub fn events_csv(store: &Store, rows: &[u32]) -> String {
    let mut out = EVENTS_CSV_HEADER.join(",");
    out.push('\n');
    let name = |id: &Option<String>| {
        id.as_deref()
            .map(|id| {
                store
                    .actor_index(id)
                    .map_or(id, |a| store.actor_name(a))
                    .to_string()
            })
            .unwrap_or_default()
    };
    for &row in rows {
        let e = store.event(row as usize);
        let associated: Vec<String> = e
            .associated_actors_1
            .iter()
            .chain(&e.associated_actors_2)
            .map(|a| name(&Some(a.clone())))
            .collect();
        let mut sources: Vec<&str> = Vec::new();
        for s in &e.sources {
            if !sources.contains(&s.source.as_str()) {
                sources.push(&s.source);
            }
        }
        let fields = [
            e.id.clone(),
            e.date.to_iso(),
            e.date.start().to_string(),
            e.date.end().to_string(),
            e.date.precision().as_str().to_string(),
            e.event_type.clone(),
            e.sub_event_type.clone().unwrap_or_default(),
            name(&e.actor1),
            name(&e.actor2),
            associated.join("; "),
            e.location.country.clone().unwrap_or_default(),
            e.location.admin1.clone().unwrap_or_default(),
            e.location.place.clone().unwrap_or_default(),
            e.location
                .latitude
                .map(|v| v.to_string())
                .unwrap_or_default(),
            e.location
                .longitude
                .map(|v| v.to_string())
                .unwrap_or_default(),
            e.fatalities.map(|v| v.to_string()).unwrap_or_default(),
            e.status.kind.label().to_string(),
            sources.join("; "),
            e.description.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// A native Faultline file with the dataset's actors, sources, relations, series and
/// statements, and only the events at `rows`: it opens in Faultline like any other file.
pub fn events_native(store: &Store, rows: &[u32]) -> String {
    crate::io::native::to_string(&events_dataset(store, rows))
}

/// The dataset with only the events of `rows` (its sources, actors, relations, series and
/// statements whole).
pub fn events_dataset(store: &Store, rows: &[u32]) -> Dataset {
    Dataset {
        events: rows.iter().map(|&r| store.event(r as usize)).collect(),
        ..store.meta.clone()
    }
}
