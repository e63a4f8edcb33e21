//! UCDP Georeferenced Event Dataset (GED): the CSV release and the GeoJSON / JSON forms
//! (a FeatureCollection whose `properties` hold the GED fields, the API's `{"Result": […]}`,
//! or a bare array of records). JSON is read record by record, never whole into memory.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use super::acled::csv_error;
use super::csv_records::LineEndLog;
use super::dates::{parse_cell, CellDate};
use super::import::{coordinates, count, present, ImportBuilder, ProgressReader};
use super::json_records::{read_records, JsonRecord, RecordValue, RecordsSpec};
use super::problem::{LoadError, Place, Problem};
use super::{Format, OpenOptions, Opened};
use crate::model::{ActorIndex, ActorKind, DateSpan, EventRow, Location, Status, StatusKind, Text};
use crate::text::cut;

/// GED fields kept as event attributes when present.
const KEPT_ATTRIBUTES: [&str; 15] = [
    "source_article",
    "source_headline",
    "source_original",
    "source_office",
    "where_description",
    "where_prec",
    "conflict_name",
    "dyad_name",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "event_clarity",
    "date_prec",
    "number_of_sources",
];

/// The words for UCDP's `type_of_violence` codes.
pub fn violence_type(code: &str) -> Option<&'static str> {
    match code.trim() {
        "1" => Some("State-based conflict"),
        "2" => Some("Non-state conflict"),
        "3" => Some("One-sided violence"),
        _ => None,
    }
}

/// Read access to one GED record's fields, whatever the container: the text of a field,
/// borrowed where the container holds it as text.
trait Fields {
    fn text(&self, name: &str) -> Option<Cow<'_, str>>;
}

impl Fields for HashMap<String, Value> {
    fn text(&self, name: &str) -> Option<Cow<'_, str>> {
        match self.get(name)? {
            Value::Null => None,
            Value::String(s) => present(s).map(Cow::Borrowed),
            Value::Number(n) => Some(Cow::Owned(n.to_string())),
            Value::Bool(b) => Some(Cow::Owned(b.to_string())),
            other => Some(Cow::Owned(other.to_string())),
        }
    }
}

/// A CSV row under its header.
struct CsvFields<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl Fields for CsvFields<'_> {
    fn text(&self, name: &str) -> Option<Cow<'_, str>> {
        let i = *self.columns.get(name)?;
        present(self.record.get(i)?).map(Cow::Borrowed)
    }
}

/// A date range at the precision it really has: a day, a whole month, a whole year, or
/// a range.
pub fn span(start: NaiveDate, end: NaiveDate) -> Result<DateSpan, String> {
    let range = DateSpan::range(start, end).map_err(|e| e.0)?;
    let whole_month = DateSpan::Month {
        year: chrono::Datelike::year(&start),
        month: chrono::Datelike::month(&start),
    };
    if whole_month.start() == start && whole_month.end() == end {
        return Ok(whole_month);
    }
    let whole_year = DateSpan::Year(chrono::Datelike::year(&start));
    if whole_year.start() == start && whole_year.end() == end {
        return Ok(whole_year);
    }
    Ok(range)
}

fn day(fields: &dyn Fields, name: &str) -> Result<NaiveDate, FieldProblem> {
    let raw = fields.text(name).unwrap_or_default().into_owned();
    match parse_cell(&raw) {
        Ok(CellDate::Known(d)) => Ok(d),
        Ok(CellDate::Numeric { .. }) => Err((
            name.into(),
            format!("'{raw}' is ambiguous: UCDP dates are YYYY-MM-DD"),
            raw,
        )),
        Err(why) => Err((name.into(), why, raw)),
    }
}

/// Adds one GED record to the store as a row, its text borrowed from the record where the
/// record holds text, or skips it saying which field is wrong. `place` places the record (and
/// a field of it).
fn push_record(
    fields: &dyn Fields,
    builder: &mut ImportBuilder,
    fallback_id: &str,
    geometry: Option<(f64, f64)>,
    place: &dyn Fn(Option<String>) -> Place,
) -> Result<(), LoadError> {
    let checked = check_record(fields, geometry);
    let (event_type, date, counts, (latitude, longitude, unusable)) = match checked {
        Ok(values) => values,
        Err((field, why, value)) => {
            return builder.skip(Problem::new(place(Some(field)), why).with_value(&value))
        }
    };
    if let Some((field, why, value)) = unusable {
        builder.unplace(Problem::new(place(Some(field)), why).with_value(&value))?;
    }
    let text = |name: &str| fields.text(name);
    let (side_a, side_b) = (text("side_a"), text("side_b"));
    let actor1 = side_a.as_deref().map(|a| builder.actor(a, side_kind(a)));
    let actor2 = side_b.as_deref().map(|b| builder.actor(b, side_kind(b)));
    let id = text("id");
    let (where_coordinates, adm_1, adm_2, country) = (
        text("where_coordinates"),
        text("adm_1"),
        text("adm_2"),
        text("country"),
    );
    let kept: Vec<(&str, Cow<'_, str>)> = KEPT_ATTRIBUTES
        .iter()
        .filter_map(|&k| text(k).map(|v| (k, v)))
        .collect();
    let row = EventRow {
        id: Text::of(id.as_deref().unwrap_or(fallback_id)),
        date,
        event_type: Text::of(event_type),
        sub_event_type: None,
        actor1: actor1.map(ActorIndex),
        actor2: actor2.map(ActorIndex),
        associated_actors_1: Vec::new(),
        associated_actors_2: Vec::new(),
        location: Location {
            place: where_coordinates.map(Text),
            admin1: adm_1.map(Text),
            admin2: adm_2.map(Text),
            admin3: None,
            country: country.map(Text),
            latitude,
            longitude,
        },
        fatalities: counts.0,
        fatalities_low: counts.1,
        fatalities_high: counts.2,
        description: Text::default(),
        weapons: Vec::new(),
        status: Status {
            kind: StatusKind::Reported,
            by: None,
        },
        notable: false,
        sources: Vec::new(),
        attributes: kept
            .iter()
            .map(|(k, v)| (Text::of(k), Text::of(v)))
            .collect(),
    };
    builder.push_row(&row, place(Some("id".into()))).map(|_| ())
}

/// The kind of a GED side, from its name.
fn side_kind(name: &str) -> ActorKind {
    if name.starts_with("Government of") {
        ActorKind::GovernmentBody
    } else if name == "Civilians" {
        ActorKind::CivilianGroup
    } else {
        ActorKind::ArmedGroup
    }
}

/// Why a record is skipped: the field, what is wrong, the value.
type FieldProblem = (String, String, String);

/// Deaths (best, low, high).
type Counts = (Option<u32>, Option<u32>, Option<u32>);

/// Latitude and longitude, both or neither, and why they were dropped when they were present
/// but unusable (the record is kept without a place).
type Coordinates = (Option<f64>, Option<f64>, Option<FieldProblem>);

/// The values of a GED record that must be right for it to be kept: event type, dates,
/// deaths, coordinates (from the fields, else from the GeoJSON point).
#[allow(clippy::type_complexity)]
fn check_record(
    fields: &dyn Fields,
    geometry: Option<(f64, f64)>,
) -> Result<(&'static str, DateSpan, Counts, Coordinates), FieldProblem> {
    let text = |name: &str| fields.text(name);
    let type_code = text("type_of_violence").unwrap_or_default();
    let event_type = violence_type(&type_code).ok_or_else(|| {
        (
            "type_of_violence".to_string(),
            "type_of_violence must be 1, 2 or 3".to_string(),
            type_code.to_string(),
        )
    })?;
    let start = day(fields, "date_start")?;
    let end = match text("date_end") {
        Some(_) => day(fields, "date_end")?,
        None => start,
    };
    let date = span(start, end).map_err(|why| {
        (
            "date_end".to_string(),
            why,
            text("date_end").unwrap_or_default().to_string(),
        )
    })?;
    if text("side_a").is_none() {
        return Err((
            "side_a".to_string(),
            "side_a is empty".to_string(),
            String::new(),
        ));
    }
    let err = |(c, w): (String, String)| {
        let v = fields.text(&c).unwrap_or_default().to_string();
        (c, w, v)
    };
    let best = count(text("best").as_deref(), "best").map_err(err)?;
    let low = count(text("low").as_deref(), "low").map_err(err)?;
    let high = count(text("high").as_deref(), "high").map_err(err)?;
    // Real GED releases hold some records with low > high; they are kept as published.
    let (latitude, longitude) = (text("latitude"), text("longitude"));
    let place = if latitude.is_none() && longitude.is_none() {
        // A GeoJSON feature's point, when the properties hold no coordinates.
        let (lat, lon) = geometry
            .map(|(lon, lat)| (lat.to_string(), lon.to_string()))
            .unzip();
        coordinates((lat.as_deref(), "latitude"), (lon.as_deref(), "longitude"))
    } else {
        coordinates(
            (latitude.as_deref(), "latitude"),
            (longitude.as_deref(), "longitude"),
        )
    };
    let (latitude, longitude, unusable) = place;
    Ok((
        event_type,
        date,
        (best, low, high),
        (latitude, longitude, unusable.map(err)),
    ))
}

/// Reads a GED CSV release.
pub fn read_csv<R: Read>(
    reader: ProgressReader<'_, R>,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(LineEndLog::new(reader));
    let (header, _) = LineEndLog::read(&mut csv, |csv| {
        csv.headers().map(|header| {
            let name = |h: &str| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
            header.iter().map(name).collect::<Vec<String>>()
        })
    });
    let header = header.map_err(|e| csv_error(path, e))?;
    for required in ["side_a", "date_start", "type_of_violence"] {
        if !header.iter().any(|h| h == required) {
            return Err(LoadError::invalid(
                path,
                Problem::new(
                    Place::at(1, 1),
                    format!(
                        "not a UCDP GED file: the header has no {required} column (it has: {})",
                        cut(&header.join(", "), 200)
                    ),
                ),
            ));
        }
    }
    // Of two columns with one name, the first is read (as the ACLED reader does).
    let mut columns: HashMap<String, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate().rev() {
        columns.insert(h.clone(), i);
    }
    let mut builder = ImportBuilder::new(path, Format::Ucdp, options.strict, "UCDP");
    let mut record = csv::StringRecord::new();
    let mut row: u64 = 0;
    loop {
        let (read, lines) = LineEndLog::read(&mut csv, |csv| csv.read_record(&mut record));
        match read {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(csv_error(path, e));
                }
                row += 1;
                builder.skip(Problem::new(
                    Place {
                        line: Some(lines.first),
                        record: Some(format!("record {row}")),
                        ..Place::default()
                    },
                    format!("unreadable CSV record: {}", csv_reason(&e)),
                ))?;
                continue;
            }
        }
        row += 1;
        let line = lines.first;
        let place = |field: Option<String>| Place {
            line: Some(line),
            column: None,
            record: Some(format!("record {row}")),
            field,
        };
        // A second header row of HXL hashtags (the Humanitarian Data Exchange's copies).
        if row == 1 && is_hxl(&record) {
            let tags: Vec<&str> = record.iter().filter(|c| !c.trim().is_empty()).collect();
            builder.note(format!(
                "line {line} holds HXL hashtags ({}), read as the columns' tags, not as a record",
                cut(&tags.join(" "), 80)
            ));
            continue;
        }
        if record.len() != header.len() {
            let last_line = lines.last;
            builder.skip(Problem::new(
                place(None),
                format!(
                    "the row has {} fields, the header has {}{}",
                    record.len(),
                    header.len(),
                    super::acled::spanned_lines(line, last_line)
                ),
            ))?;
            continue;
        }
        let fields = CsvFields {
            columns: &columns,
            record: &record,
        };
        push_record(&fields, &mut builder, &format!("row-{row}"), None, &place)?;
    }
    builder.finish()
}

/// A row of HXL hashtags: every filled cell starts with `#`, and at least one is filled.
fn is_hxl(record: &csv::StringRecord) -> bool {
    let mut filled = record
        .iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .peekable();
    filled.peek().is_some() && filled.all(|c| c.starts_with('#'))
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "a cell is not valid UTF-8".into(),
        other => format!("{other:?}"),
    }
}

/// Where GED records are in JSON: a GeoJSON FeatureCollection, the API's `Result`, or a bare
/// array.
const GED_RECORDS: RecordsSpec = RecordsSpec {
    keys: &["features", "Result", "result", "records"],
    bare: "records",
    expecting:
        "a GeoJSON FeatureCollection, a {\"Result\": [...]} object or an array of GED records",
    missing: "no \"features\" (GeoJSON) or \"Result\" (UCDP API) array of records",
    publisher: "UCDP",
};

/// Reads GED as GeoJSON or JSON.
pub fn read_json<R: Read>(
    reader: ProgressReader<'_, R>,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let mut builder = ImportBuilder::new(path, Format::Ucdp, options.strict, "UCDP");
    read_records(reader, path, &GED_RECORDS, &mut |record| {
        ged_record(&mut builder, record)
    })?;
    builder.finish()
}

/// Takes one record: a GeoJSON Feature or a flat GED object.
fn ged_record(builder: &mut ImportBuilder, record: JsonRecord) -> Result<(), LoadError> {
    let at = record.at;
    let place = |field: Option<String>| at.place(field);
    let (fields, geometry) = match record.value {
        RecordValue::Object(mut map) => {
            let geometry = map.remove("geometry").as_ref().and_then(point);
            match map.remove("properties") {
                Some(Value::Object(props)) => (props.into_iter().collect(), geometry),
                Some(_) => {
                    return builder.skip(Problem::new(
                        place(Some("properties".into())),
                        "properties must be an object",
                    ))
                }
                None => (map, geometry),
            }
        }
        RecordValue::Other => {
            return builder.skip(Problem::new(
                place(None),
                "expected an object (a GeoJSON Feature or a GED record)",
            ))
        }
    };
    let fields: HashMap<String, Value> = fields;
    if fields.is_empty() {
        return builder.skip(Problem::new(place(None), "the record has no fields"));
    }
    push_record(
        &fields,
        builder,
        &format!("{}-{}", at.collection, at.index),
        geometry,
        &place,
    )
}

fn point(geometry: &Value) -> Option<(f64, f64)> {
    let coords = geometry.get("coordinates")?.as_array()?;
    Some((coords.first()?.as_f64()?, coords.get(1)?.as_f64()?))
}
