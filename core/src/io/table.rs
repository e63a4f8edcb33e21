//! Any event table: a CSV or TSV (or a sheet, through [`super::spreadsheet`]) whose columns
//! Faultline does not know, read through a [`ColumnMap`] that says which column holds the
//! date, the actors, the type, the place and the rest. The table is then read by the ACLED
//! reader with its columns renamed, so dates in any of the spellings it knows, problems
//! located by line and column, and every other column kept as an attribute.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The fields a column map can fill, with the ACLED column each stands for.
pub const FIELDS: [(&str, &str, &str); 14] = [
    ("date", "event_date", "the date (required)"),
    ("actor1", "actor1", "the main actor"),
    ("actor2", "actor2", "the actor acted upon"),
    ("type", "event_type", "the event type"),
    ("subtype", "sub_event_type", "the event sub-type"),
    ("country", "country", "the country"),
    ("admin1", "admin1", "the province or region"),
    ("place", "location", "the place"),
    ("lat", "latitude", "the latitude in degrees"),
    ("lon", "longitude", "the longitude in degrees"),
    ("fatalities", "fatalities", "the deaths"),
    ("notes", "notes", "the description"),
    ("id", "event_id_cnty", "the event's id"),
    ("source", "source", "the reporting source"),
];

/// Which column of a table holds which field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ColumnMap {
    /// Field name (see [`FIELDS`]) → column name, as in the table's header.
    pub columns: BTreeMap<String, String>,
}

impl ColumnMap {
    /// Parses `date=Date of event,actor1=Perpetrator,lat=Y` (the `--map` flag).
    pub fn parse(text: &str) -> Result<ColumnMap, String> {
        let mut columns = BTreeMap::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((field, column)) = part.split_once('=') else {
                return Err(format!("{part:?} is not FIELD=COLUMN"));
            };
            let field = field.trim().to_ascii_lowercase();
            if !FIELDS.iter().any(|(f, _, _)| *f == field) {
                let known: Vec<&str> = FIELDS.iter().map(|(f, _, _)| *f).collect();
                return Err(format!(
                    "{field:?} is not a field (the fields are {})",
                    known.join(", ")
                ));
            }
            columns.insert(field, column.trim().to_string());
        }
        let map = ColumnMap { columns };
        map.check()?;
        Ok(map)
    }

    /// A map needs a date and something that says what or who: an actor, a type or a place.
    pub fn check(&self) -> Result<(), String> {
        if !self.columns.contains_key("date") {
            return Err("the map needs date=COLUMN".into());
        }
        let enough = ["actor1", "actor2", "type", "place", "country", "lat"]
            .iter()
            .any(|f| self.columns.contains_key(*f));
        if !enough {
            return Err(
                "the map needs, beside the date, an actor, a type or a place (actor1=, type=, place=, country= or lat= and lon=)"
                    .into(),
            );
        }
        if self.columns.contains_key("lat") != self.columns.contains_key("lon") {
            return Err("lat= and lon= go together".into());
        }
        Ok(())
    }

    /// The header with mapped columns renamed to the names the reader knows, or which mapped
    /// column the header does not have. Columns are matched ignoring case and spaces around.
    pub fn rename(&self, header: &[String]) -> Result<Vec<String>, String> {
        let key = |s: &str| s.trim().to_lowercase();
        let mut names: Vec<String> = header.to_vec();
        for (field, column) in &self.columns {
            let Some(i) = header.iter().position(|h| key(h) == key(column)) else {
                return Err(format!(
                    "{field}={column}: the table has no column {column:?} (it has: {})",
                    header.join(", ")
                ));
            };
            let target = FIELDS
                .iter()
                .find(|(f, _, _)| f == field)
                .map_or(field.as_str(), |(_, acled, _)| *acled);
            names[i] = target.to_string();
        }
        // An unmapped column that happens to carry a name the reader knows keeps its own
        // name, marked, so that only mapped columns are read as fields.
        let mapped: Vec<usize> = self
            .columns
            .values()
            .filter_map(|c| header.iter().position(|h| key(h) == key(c)))
            .collect();
        for (i, name) in names.iter_mut().enumerate() {
            let known = FIELDS.iter().any(|(_, acled, _)| key(name) == *acled)
                || [
                    "inter1",
                    "inter2",
                    "assoc_actor_1",
                    "assoc_actor_2",
                    "time_precision",
                ]
                .contains(&key(name).as_str());
            if known && !mapped.contains(&i) {
                *name = format!("{} (column)", header[i].trim());
            }
        }
        Ok(names)
    }

    /// A first guess from the column names (for the app's mapping window to start from):
    /// each field takes the first column whose name is one of the usual names for it.
    pub fn guess(columns: &[String]) -> ColumnMap {
        const USUAL: [(&str, &[&str]); 14] = [
            (
                "date",
                &["date", "event_date", "day", "when", "date_start", "time"],
            ),
            (
                "actor1",
                &[
                    "actor1",
                    "actor",
                    "actor_1",
                    "perpetrator",
                    "who",
                    "side_a",
                    "party",
                ],
            ),
            (
                "actor2",
                &["actor2", "actor_2", "target", "victim", "side_b"],
            ),
            ("type", &["type", "event_type", "category", "event", "kind"]),
            ("subtype", &["subtype", "sub_event_type", "sub_type"]),
            ("country", &["country", "nation"]),
            (
                "admin1",
                &["admin1", "province", "region", "state", "governorate"],
            ),
            (
                "place",
                &["place", "location", "city", "town", "village", "site"],
            ),
            ("lat", &["lat", "latitude", "y"]),
            ("lon", &["lon", "lng", "long", "longitude", "x"]),
            (
                "fatalities",
                &["fatalities", "deaths", "killed", "dead", "casualties"],
            ),
            (
                "notes",
                &[
                    "notes",
                    "description",
                    "remarks",
                    "summary",
                    "details",
                    "text",
                ],
            ),
            ("id", &["id", "event_id", "identifier"]),
            ("source", &["source", "sources", "publisher"]),
        ];
        let key = |s: &str| s.trim().to_lowercase().replace([' ', '-'], "_");
        let mut map = ColumnMap::default();
        let mut taken: Vec<usize> = Vec::new();
        for (field, names) in USUAL {
            let found = columns
                .iter()
                .enumerate()
                .find(|(i, c)| !taken.contains(i) && names.contains(&key(c).as_str()));
            if let Some((i, column)) = found {
                taken.push(i);
                map.columns.insert(field.to_string(), column.clone());
            }
        }
        if map.columns.contains_key("lat") != map.columns.contains_key("lon") {
            map.columns.remove("lat");
            map.columns.remove("lon");
        }
        map
    }

    /// The map in the `--map` flag's spelling.
    pub fn describe(&self) -> String {
        self.columns
            .iter()
            .map(|(f, c)| format!("{f}={c}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The delimiters a CSV file may use: comma, tab, semicolon, bar.
pub const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// The columns of a CSV header line, split on the delimiter that gives the most columns
/// (comma, tab, semicolon or bar), with that delimiter.
pub fn split_header(line: &str) -> (Vec<String>, u8) {
    let mut best = (vec![line.trim().to_string()], b',');
    for delimiter in DELIMITERS {
        let fields: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .and_then(Result::ok)
            .map(|r| r.iter().map(|f| f.trim().to_string()).collect())
            .unwrap_or_default();
        if fields.len() > best.0.len() {
            best = (fields, delimiter);
        }
    }
    best
}

/// A head that looks like a table (a header of two or more columns, not JSON): its columns
/// and its first rows, for the message that offers a column map.
pub fn preview(head: &[u8]) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with(['{', '[']) || head.iter().take(8192).any(|&b| b == 0) {
        return None;
    }
    let first_line = text.lines().next()?;
    let (columns, delimiter) = split_header(first_line);
    if columns.len() < 2 {
        return None;
    }
    let rows = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .records()
        .take(5)
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    Some((columns, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_is_parsed_checked_and_applied_to_a_header() {
        let map = ColumnMap::parse("date=When, actor1=Who,lat=Y,lon=X").unwrap();
        let header: Vec<String> = ["When", "who", "Y", "X", "country", "Remarks"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            map.rename(&header).unwrap(),
            [
                "event_date",
                "actor1",
                "latitude",
                "longitude",
                "country (column)",
                "Remarks"
            ]
        );
        assert!(ColumnMap::parse("actor1=Who")
            .unwrap_err()
            .contains("date="));
        assert!(ColumnMap::parse("date=When")
            .unwrap_err()
            .contains("an actor"));
        assert!(ColumnMap::parse("date=When,who=Who")
            .unwrap_err()
            .contains("not a field"));
        assert!(ColumnMap::parse("date=When,lat=Y,type=T")
            .unwrap_err()
            .contains("lon"));
        let missing = ColumnMap::parse("date=Day,type=T").unwrap();
        assert!(missing
            .rename(&header)
            .unwrap_err()
            .contains("no column \"Day\""));
    }

    #[test]
    fn a_first_guess_takes_the_usual_names() {
        let columns: Vec<String> = [
            "Event ID",
            "Date",
            "Perpetrator",
            "Category",
            "Lat",
            "Remarks",
            "Y2",
        ]
        .map(String::from)
        .to_vec();
        let map = ColumnMap::guess(&columns);
        assert_eq!(map.columns.get("date").map(String::as_str), Some("Date"));
        assert_eq!(
            map.columns.get("actor1").map(String::as_str),
            Some("Perpetrator")
        );
        assert_eq!(
            map.columns.get("type").map(String::as_str),
            Some("Category")
        );
        assert_eq!(
            map.columns.get("notes").map(String::as_str),
            Some("Remarks")
        );
        assert!(
            !map.columns.contains_key("lat"),
            "a latitude without a longitude is dropped"
        );
        assert!(map.check().is_ok());
    }

    #[test]
    fn a_header_is_split_on_the_delimiter_it_uses() {
        assert_eq!(split_header("a;b;c").1, b';');
        assert_eq!(split_header("a\tb\tc").0, ["a", "b", "c"]);
        assert_eq!(split_header("\"x, y\",z").0, ["x, y", "z"]);
    }
}
