//! GDELT event exports: 1.0 (57 or 58 tab-separated columns) and 2.0 (61 columns), no
//! header. CAMEO codes become event types by their root ("19" → "Fight").

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use super::acled::csv_error;
use super::csv_records::LineEndLog;
use super::dates::{parse_cell, CellDate};
use super::import::{coordinates, present, ImportBuilder, ProgressReader};
use super::problem::{LoadError, Place, Problem};
use super::{Format, OpenOptions, Opened};
use crate::model::{ActorIndex, ActorKind, DateSpan, EventRow, Location, Text};

/// The CAMEO root event codes and their names.
pub fn cameo_root_name(root: &str) -> Option<&'static str> {
    Some(match root.trim() {
        "01" | "1" => "Make public statement",
        "02" | "2" => "Appeal",
        "03" | "3" => "Express intent to cooperate",
        "04" | "4" => "Consult",
        "05" | "5" => "Engage in diplomatic cooperation",
        "06" | "6" => "Engage in material cooperation",
        "07" | "7" => "Provide aid",
        "08" | "8" => "Yield",
        "09" | "9" => "Investigate",
        "10" => "Demand",
        "11" => "Disapprove",
        "12" => "Reject",
        "13" => "Threaten",
        "14" => "Protest",
        "15" => "Exhibit force posture",
        "16" => "Reduce relations",
        "17" => "Coerce",
        "18" => "Assault",
        "19" => "Fight",
        "20" => "Use unconventional mass violence",
        _ => return None,
    })
}

/// Where the fields are in one GDELT layout.
#[derive(Debug, Clone, Copy)]
struct Layout {
    version: &'static str,
    action_geo: usize,
    geo_has_adm2: bool,
    date_added: usize,
    source_url: Option<usize>,
}

impl Layout {
    /// The columns of the action's latitude and longitude.
    fn coordinates(&self) -> (usize, usize) {
        let geo = self.action_geo;
        if self.geo_has_adm2 {
            (geo + 5, geo + 6)
        } else {
            (geo + 4, geo + 5)
        }
    }

    fn for_columns(columns: usize) -> Option<Layout> {
        match columns {
            57 => Some(Layout {
                version: "1.0",
                action_geo: 49,
                geo_has_adm2: false,
                date_added: 56,
                source_url: None,
            }),
            58 => Some(Layout {
                version: "1.0",
                action_geo: 49,
                geo_has_adm2: false,
                date_added: 56,
                source_url: Some(57),
            }),
            61 => Some(Layout {
                version: "2.0",
                action_geo: 51,
                geo_has_adm2: true,
                date_added: 59,
                source_url: Some(60),
            }),
            _ => None,
        }
    }
}

/// GDELT actor type codes as actor kinds; a bare country code is a state.
fn actor_kind(code: &str, type_code: &str, country: &str) -> ActorKind {
    match type_code {
        "GOV" | "MIL" | "COP" | "JUD" | "LEG" | "SPY" => ActorKind::GovernmentBody,
        "REB" | "INS" | "SEP" | "UAF" => ActorKind::ArmedGroup,
        "CVL" | "REF" | "LAB" | "EDU" | "HLH" => ActorKind::CivilianGroup,
        "MED" => ActorKind::MediaOutlet,
        "IGO" => ActorKind::InternationalOrganisation,
        "NGO" | "BUS" => ActorKind::Organisation,
        "" if !country.is_empty() && code == country => ActorKind::State,
        _ => ActorKind::Unknown,
    }
}

/// Reads a GDELT event export.
pub fn read<R: Read>(
    reader: ProgressReader<'_, R>,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let mut tsv = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .quoting(false)
        .flexible(true)
        .from_reader(LineEndLog::new(reader));
    let mut builder = ImportBuilder::new(path, Format::Gdelt, options.strict, "GDELT");
    // The version the first good line fixed.
    let mut version: Option<&'static str> = None;
    let mut record = csv::ByteRecord::new();
    let mut row: u64 = 0;
    loop {
        let (read, lines) = LineEndLog::read(&mut tsv, |tsv| tsv.read_byte_record(&mut record));
        match read {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, e)),
        }
        row += 1;
        let line = lines.first;
        let place = |field: Option<&str>| Place {
            line: Some(line),
            column: None,
            record: Some(format!("record {row}")),
            field: field.map(str::to_string),
        };
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue;
        }
        let checked = line_layout(version, record.len())
            .map_err(|why| Box::new(Problem::new(place(None), why)))
            .and_then(|l| {
                // The first line with a known layout fixes the version, good or not.
                version.get_or_insert(l.version);
                checked_line(&record, l, &place).map(|c| (l, c))
            });
        match checked {
            Ok((l, mut values)) => {
                if let Some(p) = values.unplaced.take() {
                    builder.unplace(p)?;
                }
                let row_data = event_row(&record, &l, values, row, &mut builder);
                builder.push_row(&row_data, place(Some("GLOBALEVENTID")))?;
            }
            Err(problem) => builder.skip(*problem)?,
        }
    }
    builder.finish()
}

/// The layout of a line of `columns` columns, in a file whose first good line fixed
/// `version`. GDELT 1.0 files mix 57-column lines (the backfile, before SOURCEURL) and
/// 58-column lines: each line has its own layout, but not its own version.
fn line_layout(version: Option<&str>, columns: usize) -> Result<Layout, String> {
    let this_line = Layout::for_columns(columns);
    match (version, this_line) {
        (None, Some(l)) => Ok(l),
        (Some(v), Some(l)) if l.version == v => Ok(l),
        // Until a line fixes the version, a bad line is one bad line.
        (None, None) => Err(format!(
            "the line has {columns} columns; a GDELT event line has 57 or 58 (GDELT 1.0) or 61 (GDELT 2.0)"
        )),
        (Some(v), _) => {
            let expected = if v == "1.0" { "57 or 58" } else { "61" };
            Err(format!(
                "the line has {columns} columns; a GDELT {v} file has {expected}"
            ))
        }
    }
}

/// A cell as text (`None` when empty or not UTF-8).
fn cell(record: &csv::ByteRecord, i: usize) -> Option<&str> {
    record
        .get(i)
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(present)
}

/// The values of a line that must be right for it to be kept.
struct CheckedLine {
    day: chrono::NaiveDate,
    event_type: &'static str,
    latitude: Option<f64>,
    longitude: Option<f64>,
    /// Why the coordinates, present but unusable, were dropped (the line is kept).
    unplaced: Option<Problem>,
}

/// Checks a line's text, day, root code and coordinates, or says which is wrong.
fn checked_line(
    record: &csv::ByteRecord,
    l: Layout,
    place: &dyn Fn(Option<&str>) -> Place,
) -> Result<CheckedLine, Box<Problem>> {
    if std::str::from_utf8(record.as_slice()).is_err() {
        return Err(Box::new(Problem::new(
            place(None),
            "the line is not valid UTF-8",
        )));
    }
    let cell = |i: usize| cell(record, i);
    let raw_day = cell(1).unwrap_or("");
    let day = match parse_cell(raw_day) {
        Ok(CellDate::Known(d)) if raw_day.len() == 8 => d,
        Ok(_) => {
            let p = Problem::new(place(Some("SQLDATE")), "the day must be YYYYMMDD");
            return Err(Box::new(p.with_value(raw_day)));
        }
        Err(why) => {
            let p = Problem::new(place(Some("SQLDATE")), why);
            return Err(Box::new(p.with_value(raw_day)));
        }
    };
    let root = cell(28).unwrap_or("");
    let event_type = cameo_root_name(root).ok_or_else(|| {
        let p = Problem::new(
            place(Some("EventRootCode")),
            "not a CAMEO root code (01–20)",
        );
        Box::new(p.with_value(root))
    })?;
    let (lat_i, lon_i) = l.coordinates();
    let cell_problem = |(c, why): (String, String), i: usize| {
        Box::new(Problem::new(place(Some(&c)), why).with_value(cell(i).unwrap_or("")))
    };
    let (latitude, longitude, unusable) = coordinates(
        (cell(lat_i), "ActionGeo_Lat"),
        (cell(lon_i), "ActionGeo_Long"),
    );
    let unplaced = unusable.map(|(column, why)| {
        let i = if column == "ActionGeo_Lat" {
            lat_i
        } else {
            lon_i
        };
        *cell_problem((column, why), i)
    });
    Ok(CheckedLine {
        day,
        event_type,
        latitude,
        longitude,
        unplaced,
    })
}

/// The event of a checked line: its actors added to the store, its further fields kept.
fn event_row<'r>(
    record: &'r csv::ByteRecord,
    l: &Layout,
    values: CheckedLine,
    row: u64,
    builder: &mut ImportBuilder,
) -> EventRow<'r> {
    let cell = |i: usize| cell(record, i);
    let mut actor = |code_i: usize| {
        let code = cell(code_i).unwrap_or("");
        let name = cell(code_i + 1).or((!code.is_empty()).then_some(code))?;
        let country = cell(code_i + 2).unwrap_or("");
        let type1 = cell(code_i + 7).unwrap_or("");
        Some(ActorIndex(
            builder.actor(name, actor_kind(code, type1, country)),
        ))
    };
    let (actor1, actor2) = (actor(5), actor(15));
    let mut attributes = BTreeMap::new();
    for (name, i) in [
        ("actor1_code", Some(5)),
        ("actor2_code", Some(15)),
        ("is_root_event", Some(25)),
        ("event_code", Some(26)),
        ("quad_class", Some(29)),
        ("goldstein", Some(30)),
        ("num_mentions", Some(31)),
        ("num_sources", Some(32)),
        ("num_articles", Some(33)),
        ("avg_tone", Some(34)),
        ("date_added", Some(l.date_added)),
        // 1 a country, 2 a US state, 3 a US city, 4 a world city, 5 a world state: how
        // exactly the coordinates place the action (the map draws 1, 2 and 5 as approximate).
        ("action_geo_type", Some(l.action_geo)),
        ("source_url", l.source_url),
    ] {
        if let Some(v) = i.and_then(cell) {
            attributes.insert(Text::of(name), Text::of(v));
        }
    }
    attributes.insert(Text::of("gdelt_version"), Text::of(l.version));
    let event_code = cell(26).or(cell(28)).unwrap_or("");
    let id = match cell(0) {
        Some(id) => Text::of(id),
        None => Text(format!("row-{row}").into()),
    };
    let geo = l.action_geo;
    let text = |i: usize| cell(i).map(Text::of);
    EventRow {
        sub_event_type: Some(Text(format!("CAMEO {event_code}").into())),
        actor1,
        actor2,
        location: Location {
            place: text(geo + 1),
            admin1: text(geo + 3),
            admin2: if l.geo_has_adm2 { text(geo + 4) } else { None },
            admin3: None,
            country: text(geo + 2),
            latitude: values.latitude,
            longitude: values.longitude,
        },
        attributes,
        ..EventRow::new(id, DateSpan::Day(values.day), Text::of(values.event_type))
    }
}
