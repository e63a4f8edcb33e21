//! GDELT event exports: 1.0 (57 or 58 tab-separated columns) and 2.0 (61 columns), no
//! header. CAMEO codes become event types by their root ("19" → "Fight").

use std::io::Read;
use std::path::Path;

use super::acled::csv_error;
use super::dates::{parse_cell, CellDate};
use super::import::{coordinate, present, ImportBuilder, ProgressReader};
use super::problem::{LoadError, Place, Problem};
use super::{Format, OpenOptions, Opened};
use crate::model::{ActorIndex, ActorKind, DateSpan, EventRow, Location, Status, StatusKind, Text};

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
struct Layout {
    version: &'static str,
    action_geo: usize,
    geo_has_adm2: bool,
    date_added: usize,
    source_url: Option<usize>,
}

impl Layout {
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
        .from_reader(reader);
    let mut builder = ImportBuilder::new(path, Format::Gdelt, options.strict, "GDELT");
    let mut layout: Option<Layout> = None;
    let mut record = csv::ByteRecord::new();
    let mut row: u64 = 0;
    loop {
        match tsv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, e)),
        }
        row += 1;
        let line = record.position().map(|p| p.line()).unwrap_or(row);
        let place = |field: Option<&str>| Place {
            line: Some(line),
            column: None,
            record: Some(format!("record {row}")),
            field: field.map(str::to_string),
        };
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue;
        }
        // GDELT 1.0 files mix 57-column lines (the backfile, before SOURCEURL) and 58-column
        // lines; the first line fixes the version, each line its own layout.
        let this_line = Layout::for_columns(record.len());
        let version = match (&layout, &this_line) {
            (Some(first), _) => first.version,
            (None, Some(l)) => l.version,
            (None, None) => {
                // Until a line fixes the version, a bad line is one bad line.
                builder.skip(Problem::new(
                    place(None),
                    format!(
                        "the line has {} columns; a GDELT event line has 57 or 58 (GDELT 1.0) or 61 (GDELT 2.0)",
                        record.len()
                    ),
                ))?;
                continue;
            }
        };
        let l = match this_line {
            Some(l) if l.version == version => l,
            _ => {
                let expected = if version == "1.0" { "57 or 58" } else { "61" };
                builder.skip(Problem::new(
                    place(None),
                    format!(
                        "the line has {} columns; a GDELT {version} file has {expected}",
                        record.len()
                    ),
                ))?;
                continue;
            }
        };
        if layout.is_none() {
            layout = Layout::for_columns(record.len());
        }
        if std::str::from_utf8(record.as_slice()).is_err() {
            builder.skip(Problem::new(place(None), "the line is not valid UTF-8"))?;
            continue;
        }
        let cell = |i: usize| {
            record
                .get(i)
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(present)
        };
        let raw_day = cell(1).unwrap_or("");
        let day = match parse_cell(raw_day) {
            Ok(CellDate::Known(d)) if raw_day.len() == 8 => d,
            Ok(_) => {
                builder.skip(
                    Problem::new(place(Some("SQLDATE")), "the day must be YYYYMMDD")
                        .with_value(raw_day),
                )?;
                continue;
            }
            Err(why) => {
                builder.skip(Problem::new(place(Some("SQLDATE")), why).with_value(raw_day))?;
                continue;
            }
        };
        let root = cell(28).unwrap_or("");
        let Some(event_type) = cameo_root_name(root) else {
            builder.skip(
                Problem::new(
                    place(Some("EventRootCode")),
                    "not a CAMEO root code (01–20)",
                )
                .with_value(root),
            )?;
            continue;
        };
        let geo = l.action_geo;
        let (lat_i, lon_i) = if l.geo_has_adm2 {
            (geo + 5, geo + 6)
        } else {
            (geo + 4, geo + 5)
        };
        let latitude = coordinate(cell(lat_i), "ActionGeo_Lat", 90.0);
        let longitude = coordinate(cell(lon_i), "ActionGeo_Long", 180.0);
        let (latitude, longitude) = match (latitude, longitude) {
            (Ok(a), Ok(b)) => (a, b),
            (Err((c, why)), _) | (_, Err((c, why))) => {
                let v = if c.ends_with("Lat") {
                    cell(lat_i)
                } else {
                    cell(lon_i)
                };
                builder.skip(Problem::new(place(Some(&c)), why).with_value(v.unwrap_or("")))?;
                continue;
            }
        };
        let mut actor = |code_i: usize| {
            let code = cell(code_i).unwrap_or("");
            let name = cell(code_i + 1).or((!code.is_empty()).then_some(code))?;
            let country = cell(code_i + 2).unwrap_or("");
            let type1 = cell(code_i + 7).unwrap_or("");
            Some(builder.actor(name, actor_kind(code, type1, country)))
        };
        let actor1 = actor(5);
        let actor2 = actor(15);
        let mut attributes: Vec<(&str, &str)> = Vec::with_capacity(13);
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
            ("source_url", l.source_url),
        ] {
            if let Some(v) = i.and_then(cell) {
                attributes.push((name, v));
            }
        }
        attributes.push(("gdelt_version", l.version));
        let event_code = cell(26).unwrap_or(root);
        let sub_event_type = format!("CAMEO {event_code}");
        let id_text;
        let id = match cell(0) {
            Some(id) => id,
            None => {
                id_text = format!("row-{row}");
                &id_text
            }
        };
        let row_data = EventRow {
            id: Text::of(id),
            date: DateSpan::Day(day),
            event_type: Text::of(event_type),
            sub_event_type: Some(Text::of(&sub_event_type)),
            actor1: actor1.map(ActorIndex),
            actor2: actor2.map(ActorIndex),
            associated_actors_1: Vec::new(),
            associated_actors_2: Vec::new(),
            location: Location {
                place: cell(geo + 1).map(Text::of),
                admin1: cell(geo + 3).map(Text::of),
                admin2: if l.geo_has_adm2 { cell(geo + 4) } else { None }.map(Text::of),
                admin3: None,
                country: cell(geo + 2).map(Text::of),
                latitude,
                longitude,
            },
            fatalities: None,
            fatalities_low: None,
            fatalities_high: None,
            description: Text::default(),
            weapons: Vec::new(),
            status: Status {
                kind: StatusKind::Reported,
                by: None,
            },
            notable: false,
            sources: Vec::new(),
            attributes: attributes
                .into_iter()
                .map(|(k, v)| (Text::of(k), Text::of(v)))
                .collect(),
        };
        builder.push_row(&row_data, place(Some("GLOBALEVENTID")))?;
    }
    builder.finish()
}
