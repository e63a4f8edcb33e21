//! ACLED's API answers: `{"status": 200, "success": true, "count": …, "data": [ … ]}`, or the
//! bare `data` array a script saved, each event an object of the same fields as the CSV
//! export, every value a string (numbers and nulls accepted too).
//!
//! The events are written as CSV in memory (see [`super::csv_image`]) and read by the ACLED CSV
//! reader, so both forms are read by one set of rules; problems are then placed by the JSON
//! line and the event's index (`data[17]`).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use serde_json::Value;

use super::csv_image::CsvImage;
use super::json_records::{read_records, RecordAt, RecordValue, RecordsSpec};
use super::{Format, LoadError, OpenOptions, Opened, Place, Problem};

const ACLED_RECORDS: RecordsSpec = RecordsSpec {
    keys: &["data"],
    bare: "records",
    expecting: "an ACLED API response ({\"data\": [...]}) or an array of ACLED events",
    missing: "no \"data\" array of events (an ACLED API response has one; an API error answers without it)",
    publisher: "ACLED",
};

/// The events' columns in the order they were first met, and the rows.
#[derive(Default)]
struct Table {
    columns: Vec<String>,
    by_name: HashMap<String, usize>,
    rows: Vec<(RecordAt, Vec<String>)>,
}

impl Table {
    fn column(&mut self, name: &str) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        self.columns.push(name.to_string());
        self.by_name
            .insert(name.to_string(), self.columns.len() - 1);
        self.columns.len() - 1
    }
}

/// A JSON value as a CSV cell: strings as they are, numbers as written, null as empty.
fn cell(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Reads an ACLED API response or a bare array of ACLED events.
pub fn read<R: Read>(reader: R, path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    let mut table = Table::default();
    let mut not_objects: Vec<Problem> = Vec::new();
    read_records(reader, path, &ACLED_RECORDS, &mut |record| {
        if super::import::is_cancelled(options) {
            return Err(LoadError::Cancelled {
                path: path.to_path_buf(),
            });
        }
        match record.value {
            RecordValue::Object(map) => {
                let mut cells = Vec::new();
                for (key, value) in map {
                    let column = table.column(&key);
                    if cells.len() <= column {
                        cells.resize(column + 1, String::new());
                    }
                    cells[column] = cell(value);
                }
                table.rows.push((record.at, cells));
                Ok(())
            }
            RecordValue::Other => {
                let problem =
                    Problem::new(record.at.place(None), "expected an object (an ACLED event)");
                if options.strict {
                    return Err(LoadError::invalid(path, problem));
                }
                not_objects.push(problem);
                Ok(())
            }
        }
    })?;
    if table.rows.is_empty() && not_objects.is_empty() {
        return Err(LoadError::invalid(
            path,
            Problem::new(Place::at(1, 1), "the response holds no events"),
        ));
    }
    let first = table.rows.first().map(|(at, _)| *at);
    let mut image: CsvImage<Option<RecordAt>> = CsvImage::new();
    image.push_row(None, &table.columns);
    let width = table.columns.len();
    for (at, mut cells) in std::mem::take(&mut table.rows) {
        cells.resize(width, String::new());
        image.push_row(Some(at), &cells);
    }
    let relocate = |place: &mut Place| {
        let Some(line) = place.line else { return };
        // The header stands for the first event (its keys are the columns).
        match image.origin(line).flatten().or(first) {
            Some(at) => {
                place.line = Some(at.line);
                place.column = None;
                place.record = Some(format!("{}[{}]", at.collection, at.index));
            }
            None => place.line = None,
        }
    };
    let as_acled = OpenOptions {
        format: Some(Format::Acled),
        ..options.clone()
    };
    let mut opened = match super::open_text_bytes(&image.csv, path, &as_acled) {
        Ok(opened) => opened,
        Err(LoadError::Invalid { path, mut problems }) => {
            problems.iter_mut().for_each(|p| relocate(&mut p.place));
            return Err(LoadError::Invalid { path, problems });
        }
        Err(other) => return Err(other),
    };
    opened
        .problems
        .iter_mut()
        .for_each(|p| relocate(&mut p.place));
    opened.skipped += not_objects.len();
    opened.problems.extend(not_objects);
    opened.problems.sort_by_key(|p| p.place.line);
    opened.problems.truncate(super::import::PROBLEMS_KEPT);
    Ok(opened)
}
