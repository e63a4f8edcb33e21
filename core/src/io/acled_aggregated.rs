//! ACLED's aggregated data: counts of events and fatalities per week (or month, or year) and
//! per country, admin1 and event type, as ACLED publishes them (the weekly-admin file, the
//! month-country and year-country files on the Humanitarian Data Exchange).
//!
//! These are figures ACLED reports, not events: they become reported series (reported by
//! ACLED), never events. One series of events and one of fatalities per group of country,
//! admin1 and event type (the columns the file has); a group's sub-event types are added up
//! into its event type, as ACLED's own counts are (each event has one sub-event type). Only
//! the largest groups are kept ([`DEFAULT_GROUPS`], `--groups N`); the notes say what was
//! left out. Population figures are not read (ACLED: "do not sum these values").

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use chrono::Datelike;

use super::csv_records::LineEndLog;
use super::dates::{parse_cell, resolve_numeric, CellDate, OrderEvidence};
use super::import::{count, present, PROBLEMS_KEPT};
use super::{Format, LoadError, OpenOptions, Opened, Place, Problem};
use crate::model::{
    Actor, ActorKind, Dataset, DateSpan, Observation, Qualifier, ReportedSeries, Source, SourceRef,
};
use crate::store::Store;
use crate::text::thousands;

/// How many groups become series unless `--groups` says otherwise.
pub const DEFAULT_GROUPS: usize = 6;

/// A column name as compared: lower case, without spaces or underscores (`Admin 1`, `ADMIN1`
/// and `admin_1` are one column).
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// True for the header of an aggregated file: a count (`events` or `fatalities`), a
/// `country` and a period (`week`, `month` or `year`), and no `event_date` (event files have
/// one).
pub fn is_aggregated(header: &[String]) -> bool {
    let keys: Vec<String> = header.iter().map(|h| key(h)).collect();
    let has = |name: &str| keys.iter().any(|k| k == name);
    (has("events") || has("fatalities"))
        && has("country")
        && (has("week") || has("month") || has("year"))
        && !has("eventdate")
}

/// Where the columns are.
struct Columns {
    week: Option<usize>,
    month: Option<usize>,
    year: Option<usize>,
    /// The columns that name a group, in order: country, admin1, event type.
    group: Vec<(usize, &'static str)>,
    events: Option<usize>,
    fatalities: Option<usize>,
}

impl Columns {
    fn new(header: &[String]) -> Columns {
        let find = |name: &str| header.iter().position(|h| key(h) == name);
        let group = [
            ("country", "country"),
            ("admin1", "admin1"),
            ("eventtype", "event type"),
        ]
        .into_iter()
        .filter_map(|(k, label)| find(k).map(|i| (i, label)))
        .collect();
        Columns {
            week: find("week"),
            month: find("month"),
            year: find("year"),
            group,
            events: find("events"),
            fatalities: find("fatalities"),
        }
    }

    /// "country · admin1 · event type".
    fn grouping(&self) -> String {
        let labels: Vec<&str> = self.group.iter().map(|(_, l)| *l).collect();
        labels.join(" · ")
    }

    /// "weekly", "monthly" or "yearly".
    fn cadence(&self) -> &'static str {
        if self.week.is_some() {
            "weekly"
        } else if self.month.is_some() {
            "monthly"
        } else {
            "yearly"
        }
    }
}

/// A row read, before its period is settled.
struct Row {
    line: u64,
    /// The row's text as in the file.
    text: String,
    group: Vec<String>,
    period: PendingPeriod,
    events: Option<u32>,
    fatalities: Option<u32>,
}

enum PendingPeriod {
    Known(DateSpan),
    /// A week whose start is an all-numeric date, waiting for the column's day/month order.
    NumericWeek {
        a: u32,
        b: u32,
        year: i32,
    },
}

/// The figures of one group in one period: the sums of its rows, and which rows.
#[derive(Default)]
struct Cell {
    events: Option<u64>,
    fatalities: Option<u64>,
    rows: Vec<usize>,
}

fn add(total: &mut Option<u64>, value: Option<u32>) {
    if let Some(v) = value {
        *total = Some(total.unwrap_or(0) + u64::from(v));
    }
}

/// Reads an aggregated file (CSV with any delimiter, or a sheet turned into CSV).
pub fn read<R: Read>(
    mut reader: R,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| super::import::read_error(path, e))?;
    let text = String::from_utf8_lossy(&bytes);
    let first_line = text.lines().next().unwrap_or("");
    let (header, delimiter) = super::table::split_header(first_line);
    let columns = Columns::new(&header);
    let mut problems: Vec<Problem> = Vec::new();
    let mut skipped = 0usize;
    let mut notes = Vec::new();
    let mut skip = |problem: Problem| -> Result<(), LoadError> {
        if options.strict {
            return Err(LoadError::invalid(path, problem));
        }
        skipped += 1;
        if problems.len() < PROBLEMS_KEPT {
            problems.push(problem);
        }
        Ok(())
    };
    let mut evidence = OrderEvidence::default();
    let mut rows: Vec<Row> = Vec::new();
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(LineEndLog::new(text.as_bytes()));
    let mut record = csv::StringRecord::new();
    // Read the header now, so that the parser's position is each record's start.
    LineEndLog::read(&mut csv, |csv| csv.headers().map(|_| ()))
        .0
        .map_err(|e| super::acled::csv_error(path, e))?;
    let mut starts: Vec<usize> = Vec::new();
    loop {
        if super::import::is_cancelled(options) {
            return Err(LoadError::Cancelled {
                path: path.to_path_buf(),
            });
        }
        let start = csv.position().byte() as usize;
        let (read, lines) = LineEndLog::read(&mut csv, |csv| csv.read_record(&mut record));
        let line = lines.first;
        match read {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                skip(Problem::new(
                    Place::at(line, 1),
                    format!("unreadable CSV record: {e}"),
                ))?;
                continue;
            }
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.is_empty()
            && starts.is_empty()
            && record.iter().all(|c| c.is_empty() || c.starts_with('#'))
        {
            notes.push("line 2 holds HXL hashtags, read as the columns' tags, not as a row".into());
            continue;
        }
        starts.push(start);
        match read_row(&record, &columns, line, &mut evidence) {
            Ok(mut row) => {
                row.text = row_text(&text, start);
                rows.push(row);
            }
            Err((field, why, value)) => {
                let place = Place {
                    line: Some(line),
                    column: None,
                    record: None,
                    field: Some(field),
                };
                skip(Problem::new(place, why).with_value(&value))?;
            }
        }
    }
    let order = evidence.decide();
    // Settle numeric week starts under the column's order; group the figures.
    let mut group_index: HashMap<Vec<String>, usize> = HashMap::new();
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut cells: HashMap<(usize, DateSpan), Cell> = HashMap::new();
    for (r, row) in rows.iter().enumerate() {
        let period = match row.period {
            PendingPeriod::Known(span) => span,
            PendingPeriod::NumericWeek { a, b, year } => {
                match resolve_numeric(a, b, year, order).map(week) {
                    Ok(span) => span,
                    Err(why) => {
                        let place = Place {
                            line: Some(row.line),
                            column: None,
                            record: None,
                            field: Some(header[columns.week.unwrap_or(0)].clone()),
                        };
                        skip(Problem::new(place, why))?;
                        continue;
                    }
                }
            }
        };
        let g = *group_index.entry(row.group.clone()).or_insert_with(|| {
            groups.push(row.group.clone());
            groups.len() - 1
        });
        let cell = cells.entry((g, period)).or_default();
        add(&mut cell.events, row.events);
        add(&mut cell.fatalities, row.fatalities);
        cell.rows.push(r);
    }
    if rows.is_empty() && skipped == 0 {
        return Err(LoadError::invalid(
            path,
            Problem::new(Place::at(1, 1), "the file has a header but no rows"),
        ));
    }
    // Rank the groups by events (by fatalities when there are no event counts).
    let mut totals = vec![0u64; groups.len()];
    for ((g, _), cell) in &cells {
        totals[*g] += cell.events.or(cell.fatalities).unwrap_or(0);
    }
    let mut ranked: Vec<usize> = (0..groups.len()).collect();
    ranked.sort_by(|a, b| {
        totals[*b]
            .cmp(&totals[*a])
            .then(groups[*a].cmp(&groups[*b]))
    });
    let kept = options.series_groups.unwrap_or(DEFAULT_GROUPS).max(1);
    let all: u64 = totals.iter().sum();
    let kept_total: u64 = ranked.iter().take(kept).map(|g| totals[*g]).sum();
    ranked.truncate(kept);

    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut series = Vec::new();
    for (rank, &g) in ranked.iter().enumerate() {
        let mut by_period: Vec<(&DateSpan, &Cell)> = cells
            .iter()
            .filter(|((cg, _), _)| *cg == g)
            .map(|((_, p), c)| (p, c))
            .collect();
        by_period.sort_by_key(|(p, _)| (p.start(), p.end()));
        for (measure, unit, pick) in [
            (
                "Events",
                "events",
                columns
                    .events
                    .map(|_| (|c: &Cell| c.events) as fn(&Cell) -> Option<u64>),
            ),
            (
                "Fatalities",
                "fatalities",
                columns
                    .fatalities
                    .map(|_| (|c: &Cell| c.fatalities) as fn(&Cell) -> Option<u64>),
            ),
        ] {
            let Some(pick) = pick else { continue };
            let observations = by_period
                .iter()
                .filter_map(|(period, cell)| {
                    let value = pick(cell)?;
                    let quote: Vec<&str> =
                        cell.rows.iter().map(|r| rows[*r].text.as_str()).collect();
                    Some(Observation {
                        period: Some(**period),
                        value: Some(value as f64),
                        words: None,
                        qualifier: Qualifier::Exact,
                        note: (cell.rows.len() > 1).then(|| {
                            format!("the sum of {} rows (sub-event types)", cell.rows.len())
                        }),
                        sources: vec![SourceRef {
                            source: "import".into(),
                            quote: quote.join("\n"),
                            attributed_to: None,
                        }],
                    })
                })
                .collect();
            let name = groups[g]
                .iter()
                .filter(|part| !part.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" · ");
            series.push(ReportedSeries {
                id: format!("acled-{unit}-{}", rank + 1),
                name: format!("{measure}: {name}"),
                unit: unit.into(),
                reported_by: "acled".into(),
                counted_by: None,
                description: Some(format!(
                    "{} {unit} ACLED recorded in {name}, as published in its aggregated data",
                    columns.cadence()
                )),
                observations,
            });
        }
    }
    let grouping = columns.grouping();
    let share = |n: u64| (n * 100 + all / 2).checked_div(all).unwrap_or(100);
    notes.push(if groups.len() > ranked.len() {
        format!(
            "ACLED aggregated data ({} counts by {grouping}): {} rows read as {} reported series for the {} largest of {} groups ({}% of the {}); {} not loaded (--groups N loads more)",
            columns.cadence(),
            thousands(rows.len()),
            series.len(),
            ranked.len(),
            thousands(groups.len()),
            share(kept_total),
            if columns.events.is_some() { "events" } else { "fatalities" },
            match groups.len() - ranked.len() {
                1 => "the other group is".to_string(),
                n => format!("the other {} groups are", thousands(n)),
            },
        )
    } else {
        format!(
            "ACLED aggregated data ({} counts by {grouping}): {} rows read as {} reported series",
            columns.cadence(),
            thousands(rows.len()),
            series.len(),
        )
    });
    let dataset = Dataset {
        title: file_name.clone(),
        description: Some(format!(
            "ACLED's aggregated data read from {file_name}: {} counts of events and fatalities by {grouping}, as ACLED published them. Reported figures, not events.",
            columns.cadence()
        )),
        sources: vec![Source {
            id: "import".into(),
            publisher: "ACLED".into(),
            title: file_name,
            date: None,
            url: None,
        }],
        actors: vec![Actor {
            aliases: vec!["Armed Conflict Location & Event Data".into()],
            ..Actor::named("acled", "ACLED", ActorKind::Organisation)
        }],
        series,
        ..Dataset::default()
    };
    Ok(Opened {
        store: Store::from_dataset(dataset),
        format: Format::Acled,
        problems,
        skipped,
        figure_records: rows.len(),
        notes,
        workspace: None,
    })
}

/// A week from its first day (ACLED's weeks run Saturday to Friday).
fn week(first: chrono::NaiveDate) -> DateSpan {
    DateSpan::Range {
        start: first,
        end: first + chrono::Days::new(6),
    }
}

/// The text of the record that starts at byte `start`, without its line end.
fn row_text(text: &str, start: usize) -> String {
    // The reader's position may still be before the line ends that precede the row.
    let rest = text[start.min(text.len())..].trim_start_matches(['\r', '\n']);
    let end = rest.find('\n').unwrap_or(rest.len());
    rest[..end].trim_end_matches('\r').to_string()
}

type RowProblem = (String, String, String);

/// Reads one row's group, period and figures.
fn read_row(
    record: &csv::StringRecord,
    columns: &Columns,
    line: u64,
    evidence: &mut OrderEvidence,
) -> Result<Row, RowProblem> {
    let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).and_then(present);
    let period = period(record, columns, evidence)?;
    let figure = |i: Option<usize>, name: &str| {
        count(cell(i), name)
            .map_err(|(field, why)| (field, why, cell(i).unwrap_or_default().to_string()))
    };
    let events = figure(columns.events, "events")?;
    let fatalities = figure(columns.fatalities, "fatalities")?;
    let group = columns
        .group
        .iter()
        .map(|(i, _)| record.get(*i).unwrap_or("").trim().to_string())
        .collect();
    Ok(Row {
        line,
        text: String::new(),
        group,
        period,
        events,
        fatalities,
    })
}

/// The period of a row: its week, its month (a name or number, with the year column, or a
/// date), or its year.
fn period(
    record: &csv::StringRecord,
    columns: &Columns,
    evidence: &mut OrderEvidence,
) -> Result<PendingPeriod, RowProblem> {
    let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).and_then(present);
    let problem =
        |field: &str, why: String, value: &str| (field.to_string(), why, value.to_string());
    if let Some(text) = cell(columns.week) {
        return match parse_cell(text) {
            Ok(CellDate::Known(day)) => Ok(PendingPeriod::Known(week(day))),
            Ok(CellDate::Numeric { a, b, year }) => {
                evidence.observe(a, b);
                Ok(PendingPeriod::NumericWeek { a, b, year })
            }
            Err(why) => Err(problem("week", why, text)),
        };
    }
    let year = cell(columns.year);
    if let Some(text) = cell(columns.month) {
        let month_number = text
            .parse::<u32>()
            .ok()
            .or_else(|| super::dates::month_from_name(text));
        if let (Some(m), Some(y)) = (month_number, year) {
            let y: i32 = y
                .parse()
                .map_err(|_| problem("year", "the year is not a number".into(), y))?;
            return DateSpan::month(y, m)
                .map(PendingPeriod::Known)
                .map_err(|e| problem("month", e.0, text));
        }
        // A month written as a date ("2024-10-01", "Oct 2024" is not one).
        if let Ok(CellDate::Known(day)) = parse_cell(text) {
            return DateSpan::month(day.year(), day.month())
                .map(PendingPeriod::Known)
                .map_err(|e| problem("month", e.0, text));
        }
        if let Some((y, m)) = text.split_once('-') {
            if let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u32>()) {
                return DateSpan::month(y, m)
                    .map(PendingPeriod::Known)
                    .map_err(|e| problem("month", e.0, text));
            }
        }
        return Err(problem(
            "month",
            format!("'{text}' is not a month (a name or number with the year column, or YYYY-MM)"),
            text,
        ));
    }
    match year {
        Some(text) => text
            .parse::<i32>()
            .map(|y| PendingPeriod::Known(DateSpan::Year(y)))
            .map_err(|_| problem("year", format!("'{text}' is not a year"), text)),
        None => Err(problem(
            "week",
            "the row has no week, month or year".into(),
            "",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregated_headers_are_told_from_event_headers() {
        let header = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        assert!(is_aggregated(&header(
            "WEEK,REGION,COUNTRY,ADMIN1,EVENT_TYPE,SUB_EVENT_TYPE,EVENTS,FATALITIES"
        )));
        assert!(is_aggregated(&header(
            "Country,Admin1,ISO3,Admin1 Pcode,Month,Year,Events"
        )));
        assert!(is_aggregated(&header("Country,Year,Fatalities")));
        assert!(!is_aggregated(&header(
            "event_id_cnty,event_date,year,event_type,actor1,country,fatalities"
        )));
        assert!(!is_aggregated(&header("country,year,population")));
    }

    #[test]
    fn months_are_read_by_name_number_or_date() {
        use crate::io::dates::month_from_name;
        assert_eq!(month_from_name("October"), Some(10));
        assert_eq!(month_from_name("oct"), Some(10));
        assert_eq!(month_from_name("Ma"), None);
    }
}
