//! What a dataset holds, in numbers: the `summary` command's JSON and table.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::query::Facets;
use crate::store::{date_of, Store};
use crate::text::{pad, thousands};

/// How many actors, relations and event types the readable summary lists before cutting.
const LIST_LIMIT: usize = 60;

/// Counts and date range of a dataset. The JSON keys are a contract scripts rely on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The format the data was read from (`faultline`, `acled`, `ucdp`, `gdelt`).
    pub format: String,
    /// The dataset's title.
    pub title: String,
    /// Events held.
    pub events: usize,
    /// Actors held.
    pub actors: usize,
    /// Stated relations held.
    pub relations: usize,
    /// Reported series held.
    pub series: usize,
    /// Statements held.
    pub statements: usize,
    /// Sources held.
    pub sources: usize,
    /// Records read from the input (events, plus skipped rows and records a newer release
    /// replaced, for imports).
    pub records: usize,
    /// Input records skipped because of problems.
    pub skipped: usize,
    /// Input records read as reported figures, not events (ACLED's aggregated data).
    pub figure_records: usize,
    /// Start of the earliest event date (ISO 8601), or null when there are no events.
    pub first_date: Option<NaiveDate>,
    /// End of the latest event date (ISO 8601), or null when there are no events.
    pub last_date: Option<NaiveDate>,
    /// What the reader did that the user should know (the encoding it read, rows it
    /// folded, tags it recognised), one line each.
    pub notes: Vec<String>,
    /// The files read, in order (none for the embedded dataset): each one's `path`, `name`,
    /// `format`, the `events` it gives, its `skipped` records, and how many of its events a
    /// newer release in another file `replaced` (their ids in `replaced_ids`).
    pub files: Vec<crate::store::FileLayer>,
    /// Pairs of events of different datasets (files of different formats) that may record
    /// the same happening: overlapping days, within 25 km, a kind or an actor in common.
    /// Linked, never merged; 0 for one file.
    pub possible_matches: usize,
    /// The analyst's annotations on the timeline and the map (a workspace's; 0 for a
    /// dataset).
    pub annotations: usize,
    /// The analyst's corrections of fields of the files' events that the view shows (a
    /// workspace's; the counts above are of the corrected events).
    pub corrections: usize,
}

impl Summary {
    /// Summarises a dataset read from `format`, of which `skipped` input records were dropped.
    pub fn of(store: &Store, format: &str, skipped: usize) -> Summary {
        let first_date = store.events.day_start.iter().min().map(|&d| date_of(d));
        let last_date = store.events.day_end.iter().max().map(|&d| date_of(d));
        let meta = &store.meta;
        Summary {
            format: format.to_string(),
            title: meta.title.clone(),
            events: store.len(),
            actors: meta.actors.len(),
            relations: meta.relations.len(),
            series: meta.series.len(),
            statements: meta.statements.len(),
            sources: meta.sources.len(),
            records: store.len() + skipped + store.files.iter().map(|f| f.replaced).sum::<usize>(),
            skipped,
            figure_records: 0,
            first_date,
            last_date,
            notes: Vec::new(),
            files: store.files.clone(),
            possible_matches: crate::query::matches::possible_matches(store, &Default::default())
                .pairs
                .len(),
            annotations: 0,
            corrections: 0,
        }
    }
}

/// The readable summary: counts, date range, event types, reported series, actors, relations.
pub fn render_text(summary: &Summary, store: &Store) -> String {
    let facets = Facets::of(store);
    let mut out = String::new();
    counts(&mut out, summary);
    files(&mut out, summary);
    event_types(&mut out, &facets);
    reported_series(&mut out, store);
    actors(&mut out, store, &facets);
    relations(&mut out, store);
    out
}

/// The actor with this id's name (the id when there is none).
fn name_of<'a>(store: &'a Store, id: &'a str) -> &'a str {
    store.actor_index(id).map_or(id, |i| store.actor_name(i))
}

fn counts(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "{}", s.title);
    let _ = writeln!(out, "format      {}", s.format);
    if s.figure_records > 0 {
        let _ = writeln!(
            out,
            "imported    {} of {} records as reported figures; {} skipped",
            thousands(s.figure_records),
            thousands(s.records),
            thousands(s.skipped)
        );
    } else if s.skipped > 0 || s.format != "faultline" {
        let replaced: usize = s.files.iter().map(|f| f.replaced).sum();
        let _ = writeln!(
            out,
            "imported    {} of {} records; {} skipped{}",
            thousands(s.events),
            thousands(s.records),
            thousands(s.skipped),
            if replaced > 0 {
                format!("; {} replaced by newer releases", thousands(replaced))
            } else {
                String::new()
            }
        );
    }
    for (name, n) in [
        ("events", s.events),
        ("actors", s.actors),
        ("relations", s.relations),
        ("series", s.series),
        ("statements", s.statements),
        ("sources", s.sources),
    ] {
        let _ = writeln!(out, "{name:<11} {}", thousands(n));
    }
    let dates = match (s.first_date, s.last_date) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "none".to_string(),
    };
    let _ = writeln!(out, "dates       {dates}");
    for note in &s.notes {
        let _ = writeln!(out, "note        {note}");
    }
}

/// The files of a view of several, one line each: events, skipped and replaced records.
fn files(out: &mut String, s: &Summary) {
    if s.files.len() < 2 {
        return;
    }
    if s.possible_matches > 0 {
        let _ = writeln!(
            out,
            "possibly the same event  {} pairs across datasets (within 25 km, days overlapping)",
            thousands(s.possible_matches)
        );
    }
    let width = s
        .files
        .iter()
        .map(|f| f.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let _ = writeln!(
        out,
        "\n{}  {:<8}  {:>9}  {:>8}  {:>8}",
        pad("Files", width),
        "format",
        "events",
        "skipped",
        "replaced"
    );
    for f in &s.files {
        let _ = writeln!(
            out,
            "{}  {:<8}  {:>9}  {:>8}  {:>8}",
            pad(&f.name, width),
            f.format,
            thousands(f.events),
            thousands(f.skipped),
            thousands(f.replaced)
        );
    }
}

fn event_types(out: &mut String, facets: &Facets) {
    if facets.event_types.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nEvent types");
    for (t, n) in facets.event_types.iter().take(LIST_LIMIT) {
        let _ = writeln!(out, "  {:>8}  {t}", thousands(*n));
    }
    more(out, facets.event_types.len());
}

fn reported_series(out: &mut String, store: &Store) {
    let series = &store.meta.series;
    if series.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nReported series (figures as reported, not counted events)"
    );
    for series in series {
        let _ = writeln!(
            out,
            "  {} ({}), reported by {}",
            series.name,
            series.unit,
            name_of(store, &series.reported_by)
        );
        for o in &series.observations {
            let period = o
                .period
                .map(|p| p.label())
                .unwrap_or_else(|| "undated".into());
            let _ = writeln!(out, "    {period:<16} {}", o.figure());
        }
    }
}

/// The most active actors, in a table whose name column is as wide as the longest name
/// listed (so long names never push the numbers out of their columns).
fn actors(out: &mut String, store: &Store, facets: &Facets) {
    let actors = store.actors();
    if actors.is_empty() {
        return;
    }
    let weight = |i: usize| facets.events_of(i) + facets.relations_of(i);
    let mut order: Vec<usize> = (0..actors.len()).collect();
    order.sort_by(|&a, &b| {
        weight(b)
            .cmp(&weight(a))
            .then(actors[a].name.cmp(&actors[b].name))
    });
    order.truncate(LIST_LIMIT);
    let width = order
        .iter()
        .map(|&i| actors[i].name.chars().count())
        .max()
        .unwrap_or(0)
        .max(32);
    let _ = writeln!(
        out,
        "\n{}  {:>6}  {:>9}  kind",
        pad("Actors", width + 2),
        "events",
        "relations"
    );
    for &i in &order {
        let a = &actors[i];
        let _ = writeln!(
            out,
            "  {}  {:>6}  {:>9}  {}",
            pad(&a.name, width),
            thousands(facets.events_of(i)),
            thousands(facets.relations_of(i)),
            a.kind.label()
        );
    }
    more(out, actors.len());
}

fn relations(out: &mut String, store: &Store) {
    let relations = &store.meta.relations;
    if relations.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nRelations");
    for r in relations.iter().take(LIST_LIMIT) {
        let _ = writeln!(
            out,
            "  {} — {} → {}",
            name_of(store, &r.from),
            r.kind.label(),
            name_of(store, &r.to)
        );
    }
    more(out, relations.len());
}

fn more(out: &mut String, total: usize) {
    if total > LIST_LIMIT {
        let _ = writeln!(out, "  … and {} more", thousands(total - LIST_LIMIT));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actor_table_keeps_its_columns_whatever_the_names() {
        let store = Store::from_dataset(crate::seed::seed_dataset().unwrap());
        assert!(
            store.actors().iter().any(|a| a.name.chars().count() > 32),
            "the seed has a name longer than the old 32-character column"
        );
        let text = render_text(&Summary::of(&store, "faultline", 0), &store);
        let table: Vec<Vec<char>> = text
            .lines()
            .skip_while(|l| !l.starts_with("Actors"))
            .take_while(|l| !l.is_empty())
            .map(|l| l.chars().collect())
            .collect();
        assert!(table.len() > 10, "{text}");
        // Every count ends under the last letter of its header, whatever the name's length.
        let header: String = table[0].iter().collect();
        // The header is ASCII, so its byte offsets are character offsets.
        let events_end = header.find(" events").unwrap() + " events".len();
        for row in &table[1..] {
            let line: String = row.iter().collect();
            assert!(
                row[events_end - 1].is_ascii_digit() && row[events_end] == ' ',
                "{line:?}: its events count is not under the header {header:?}"
            );
        }
    }
}
