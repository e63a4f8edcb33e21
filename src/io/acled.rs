//! ACLED CSV exports, every vintage: columns found by header name (any case, any order,
//! optional ones missing, extra ones ignored), `ally_actor_*` or `assoc_actor_*`, `NA` for
//! missing values, and all the date spellings of [`super::dates`].

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use chrono::{Datelike, Days};

use super::dates::{parse_cell, resolve_numeric, CellDate, OrderEvidence};
use super::import::{coordinate, count, present, read_error, ImportBuilder, ProgressReader};
use super::problem::{cut, LoadError, Place, Problem};
use super::{Format, OpenOptions, Opened};
use crate::model::{ActorKind, DateSpan, StatusKind};
use crate::store::EventRow;

/// The columns an ACLED file must have (by lower-case header name).
pub const REQUIRED: [&str; 3] = ["event_date", "event_type", "actor1"];

/// Columns kept as event attributes when present.
const KEPT_ATTRIBUTES: [&str; 13] = [
    "disorder_type",
    "interaction",
    "inter1",
    "inter2",
    "tags",
    "source",
    "source_scale",
    "civilian_targeting",
    "geo_precision",
    "region",
    "iso",
    "iso3",
    "time_precision",
];

/// Column positions, found by name.
struct Columns {
    by_name: HashMap<String, usize>,
    names: Vec<String>,
}

impl Columns {
    fn new(header: &csv::ByteRecord) -> Columns {
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_ascii_lowercase()
            })
            .collect();
        let mut by_name = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            by_name.entry(n.clone()).or_insert(i);
        }
        Columns { by_name, names }
    }

    fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.by_name.get(*n).copied())
    }
}

/// ACLED's `inter` codes (numeric in older exports, words in newer ones) as actor kinds.
fn actor_kind(inter: Option<&str>) -> ActorKind {
    match inter.map(|s| s.trim().to_ascii_lowercase()) {
        Some(s) => match s.as_str() {
            "1" | "state forces" => ActorKind::GovernmentBody,
            "2" | "3" | "4" | "rebel group" | "political militia" | "identity militia" => {
                ActorKind::ArmedGroup
            }
            "5" | "6" | "7" | "rioters" | "protesters" | "civilians" => ActorKind::CivilianGroup,
            "8" | "external/other forces" => ActorKind::Organisation,
            _ => ActorKind::Unknown,
        },
        None => ActorKind::Unknown,
    }
}

/// " (the record spans lines 3–5: an unclosed quote?)" for a record over several lines.
pub fn spanned_lines(first: u64, last: u64) -> String {
    if last > first {
        format!(" (the record spans lines {first}–{last}: a quote that is never closed?)")
    } else {
        String::new()
    }
}

/// The column of a quoted field that holds lines looking like whole rows (as many commas as
/// the header) — the mark of a quote that was opened and never closed, swallowing the rows
/// after it. Only wide files are checked: in a narrow one a note with a few commas is normal.
pub fn swallowed_rows(record: &csv::ByteRecord, columns: usize) -> Option<usize> {
    if columns < 8 {
        return None;
    }
    record.iter().position(|field| {
        field.contains(&b'\n')
            && field
                .split(|&b| b == b'\n')
                .skip(1)
                .any(|line| line.iter().filter(|&&b| b == b',').count() + 1 >= columns)
    })
}

/// A row whose numeric date waits for the column's day/month order.
struct PendingDate {
    event_index: usize,
    a: u32,
    b: u32,
    year: i32,
    precision: u8,
    line: u64,
    record: u64,
    raw: String,
}

/// Applies ACLED's `time_precision`: 1 the day; 2 the week around the coded day (ACLED codes
/// the middle of the week); 3 the month.
fn with_precision(day: chrono::NaiveDate, precision: u8) -> DateSpan {
    match precision {
        2 => {
            let start = day.checked_sub_days(Days::new(3)).unwrap_or(day);
            let end = day.checked_add_days(Days::new(3)).unwrap_or(day);
            DateSpan::range(start, end).unwrap_or(DateSpan::Day(day))
        }
        3 => DateSpan::month(day.year(), day.month()).unwrap_or(DateSpan::Day(day)),
        _ => DateSpan::Day(day),
    }
}

/// Reads an ACLED CSV.
pub fn read<R: Read>(
    reader: ProgressReader<'_, R>,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header = csv.byte_headers().map_err(|e| csv_error(path, e))?.clone();
    let cols = Columns::new(&header);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| cols.find(&[c]).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(LoadError::invalid(
            path,
            Problem::new(
                Place::at(1, 1),
                format!(
                    "not an ACLED export: the header has no {} column (it has: {})",
                    missing.join(", "),
                    cut(&cols.names.join(", "), 200)
                ),
            ),
        ));
    }
    let col = |names: &[&str]| cols.find(names);
    let c_date = col(&["event_date"]);
    let c_type = col(&["event_type"]);
    let c_sub = col(&["sub_event_type"]);
    let c_actor1 = col(&["actor1"]);
    let c_actor2 = col(&["actor2"]);
    let c_assoc1 = col(&["assoc_actor_1", "ally_actor_1"]);
    let c_assoc2 = col(&["assoc_actor_2", "ally_actor_2"]);
    let c_inter1 = col(&["inter1"]);
    let c_inter2 = col(&["inter2"]);
    // The first of these that a row fills is its id.
    let c_ids: Vec<usize> = ["event_id_cnty", "data_id", "event_id_no_cnty"]
        .iter()
        .filter_map(|name| col(&[name]))
        .collect();
    let c_precision = col(&["time_precision"]);
    let c_country = col(&["country"]);
    let c_admin1 = col(&["admin1"]);
    let c_admin2 = col(&["admin2"]);
    let c_admin3 = col(&["admin3"]);
    let c_location = col(&["location"]);
    let c_lat = col(&["latitude"]);
    let c_lon = col(&["longitude"]);
    let c_fatalities = col(&["fatalities"]);
    let c_notes = col(&["notes"]);
    let c_source = col(&["source"]);
    let kept: Vec<(&str, usize)> = KEPT_ATTRIBUTES
        .iter()
        .filter_map(|name| col(&[name]).map(|i| (*name, i)))
        .collect();

    let mut builder = ImportBuilder::new(path, Format::Acled, options.strict, "ACLED");
    let mut evidence = OrderEvidence::default();
    let mut pending: Vec<PendingDate> = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut row_number: u64 = 0;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(csv_error(path, e));
                }
                // A malformed record (e.g. invalid UTF-8 is not an error here: we read bytes).
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                builder.skip(Problem::new(
                    Place {
                        line: Some(line),
                        ..Place::default()
                    },
                    format!("unreadable CSV record: {e}"),
                ))?;
                continue;
            }
        }
        row_number += 1;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let place = |field: Option<&str>| Place {
            line: Some(line),
            column: None,
            record: Some(format!("record {row_number}")),
            field: field.map(str::to_string),
        };
        let last_line = csv.position().line().saturating_sub(1).max(line);
        if record.len() != header.len() {
            // A lone empty line at the end of a file is not a record worth reporting.
            if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
                continue;
            }
            builder.skip(Problem::new(
                place(None),
                format!(
                    "the row has {} fields, the header has {}{}",
                    record.len(),
                    header.len(),
                    spanned_lines(line, last_line)
                ),
            ))?;
            continue;
        }
        if let Some(column) = swallowed_rows(&record, header.len()) {
            builder.skip(Problem::new(
                place(Some(&cols.names[column])),
                format!(
                    "a quote opened in this field is never closed: it runs over lines {line}–{last_line} and swallows what look like whole rows"
                ),
            ))?;
            continue;
        }
        let mut fields: Vec<&str> = Vec::with_capacity(header.len());
        let mut bad_utf8 = None;
        for (i, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) => fields.push(s),
                Err(_) => {
                    bad_utf8 = Some(i);
                    break;
                }
            }
        }
        if let Some(i) = bad_utf8 {
            builder.skip(
                Problem::new(place(Some(&cols.names[i])), "the cell is not valid UTF-8")
                    .with_value(&String::from_utf8_lossy(record.get(i).unwrap_or_default())),
            )?;
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|i| fields.get(i)).and_then(|s| present(s));

        let Some(event_type) = get(c_type) else {
            builder.skip(Problem::new(
                place(Some("event_type")),
                "the event type is empty",
            ))?;
            continue;
        };
        let Some(actor1_name) = get(c_actor1) else {
            builder.skip(Problem::new(place(Some("actor1")), "actor1 is empty"))?;
            continue;
        };
        let precision = match get(c_precision) {
            None => 1,
            Some(p) => match p.parse::<u8>() {
                Ok(n @ 1..=3) => n,
                _ => {
                    builder.skip(
                        Problem::new(
                            place(Some("time_precision")),
                            "time_precision must be 1, 2 or 3",
                        )
                        .with_value(p),
                    )?;
                    continue;
                }
            },
        };
        let raw_date = get(c_date).unwrap_or("");
        let cell_date = match parse_cell(raw_date) {
            Ok(d) => d,
            Err(why) => {
                builder.skip(Problem::new(place(Some("event_date")), why).with_value(raw_date))?;
                continue;
            }
        };
        let latitude = coordinate(get(c_lat), "latitude", 90.0);
        let longitude = coordinate(get(c_lon), "longitude", 180.0);
        let fatalities = count(get(c_fatalities), "fatalities");
        let (latitude, longitude, fatalities) = match (latitude, longitude, fatalities) {
            (Ok(a), Ok(b), Ok(c)) => (a, b, c),
            (Err((column, why)), _, _)
            | (_, Err((column, why)), _)
            | (_, _, Err((column, why))) => {
                let value = match column.as_str() {
                    "latitude" => get(c_lat),
                    "longitude" => get(c_lon),
                    _ => get(c_fatalities),
                };
                builder.skip(
                    Problem::new(place(Some(&column)), why).with_value(value.unwrap_or("")),
                )?;
                continue;
            }
        };

        let actor1 = builder.actor(actor1_name, actor_kind(get(c_inter1)));
        let actor2 = get(c_actor2).map(|n| builder.actor(n, actor_kind(get(c_inter2))));
        let mut associated = [Vec::new(), Vec::new()];
        for (side, c) in [c_assoc1, c_assoc2].into_iter().enumerate() {
            if let Some(list) = get(c) {
                for name in list.split(';').filter_map(present) {
                    associated[side].push(builder.actor(name, ActorKind::Unknown));
                }
            }
        }
        let [associated_actors_1, associated_actors_2] = associated;
        let id_text;
        let id = match c_ids.iter().find_map(|&c| get(Some(c))) {
            Some(id) => id,
            None => {
                id_text = format!("row-{row_number}");
                &id_text
            }
        };
        let (date, numeric) = match cell_date {
            CellDate::Known(day) => (with_precision(day, precision), None),
            CellDate::Numeric { a, b, year } => {
                evidence.observe(a, b);
                // A placeholder until the whole column is read; see `settle_dates`.
                (DateSpan::Year(year), Some((a, b, year)))
            }
        };
        let attributes: Vec<(&str, &str)> = kept
            .iter()
            .filter_map(|(name, i)| fields.get(*i).and_then(|s| present(s)).map(|v| (*name, v)))
            .collect();
        let row = EventRow {
            id,
            date,
            event_type,
            sub_event_type: get(c_sub),
            actor1: Some(actor1),
            actor2,
            associated_1: &associated_actors_1,
            associated_2: &associated_actors_2,
            place: get(c_location),
            admin: [get(c_admin1), get(c_admin2), get(c_admin3)],
            country: get(c_country),
            latitude,
            longitude,
            fatalities,
            fatalities_range: (None, None),
            description: get(c_notes).unwrap_or(""),
            status: StatusKind::Reported,
            status_by: None,
            notable: false,
            source: get(c_source),
            attributes: &attributes,
        };
        let before = builder.len();
        let added = builder.push_row(&row, place(Some("event_id_cnty")))?;
        if let (Some((a, b, year)), true) = (numeric, added) {
            pending.push(PendingDate {
                event_index: before,
                a,
                b,
                year,
                precision,
                line,
                record: row_number,
                raw: raw_date.to_string(),
            });
        }
    }
    settle_dates(&mut builder, pending, &evidence)?;
    builder.finish()
}

/// Gives all-numeric dates their day/month order, decided once for the whole column. Rows
/// whose date does not exist under that order are skipped with a problem.
fn settle_dates(
    builder: &mut ImportBuilder,
    pending: Vec<PendingDate>,
    evidence: &OrderEvidence,
) -> Result<(), LoadError> {
    if pending.is_empty() {
        return Ok(());
    }
    let order = evidence.decide();
    let mut drop = Vec::new();
    for p in pending {
        match resolve_numeric(p.a, p.b, p.year, order) {
            Ok(day) => builder.set_date(p.event_index, with_precision(day, p.precision)),
            Err(why) => {
                builder.skip(
                    Problem::new(
                        Place {
                            line: Some(p.line),
                            column: None,
                            record: Some(format!("record {}", p.record)),
                            field: Some("event_date".into()),
                        },
                        why,
                    )
                    .with_value(&p.raw),
                )?;
                drop.push(p.event_index);
            }
        }
    }
    if !drop.is_empty() {
        builder.drop_events(drop);
    }
    Ok(())
}

/// A CSV error as a located load error.
pub fn csv_error(path: &Path, e: csv::Error) -> LoadError {
    let line = e.position().map(|p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(io) => read_error(path, io),
        other => LoadError::invalid(
            path,
            Problem::new(
                Place {
                    line,
                    ..Place::default()
                },
                format!("unreadable CSV: {other:?}"),
            ),
        ),
    }
}
