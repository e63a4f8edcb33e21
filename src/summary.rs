//! What a dataset holds, in numbers: the `summary` command's JSON and table.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Dataset;

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
    /// Records read from the input (events plus skipped rows, for imports).
    pub records: usize,
    /// Input records skipped because of problems.
    pub skipped: usize,
    /// Start of the earliest event date (ISO 8601), or null when there are no events.
    pub first_date: Option<NaiveDate>,
    /// End of the latest event date (ISO 8601), or null when there are no events.
    pub last_date: Option<NaiveDate>,
}

impl Summary {
    /// Summarises a dataset read from `format`, of which `skipped` input records were dropped.
    pub fn of(dataset: &Dataset, format: &str, skipped: usize) -> Summary {
        let first_date = dataset.events.iter().map(|e| e.date.start()).min();
        let last_date = dataset.events.iter().map(|e| e.date.end()).max();
        Summary {
            format: format.to_string(),
            title: dataset.title.clone(),
            events: dataset.events.len(),
            actors: dataset.actors.len(),
            relations: dataset.relations.len(),
            series: dataset.series.len(),
            statements: dataset.statements.len(),
            sources: dataset.sources.len(),
            records: dataset.events.len() + skipped,
            skipped,
            first_date,
            last_date,
        }
    }
}

/// Thousands separators for counts ("5,071").
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The readable summary: counts, date range, event types, actors, relations, series.
pub fn render_text(summary: &Summary, dataset: &Dataset) -> String {
    let mut out = String::new();
    let s = summary;
    let _ = writeln!(out, "{}", s.title);
    let _ = writeln!(out, "format      {}", s.format);
    if s.skipped > 0 || s.format != "faultline" {
        let _ = writeln!(
            out,
            "imported    {} of {} records; {} skipped",
            thousands(s.events),
            thousands(s.records),
            thousands(s.skipped)
        );
    }
    let dates = match (s.first_date, s.last_date) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "none".to_string(),
    };
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
    let _ = writeln!(out, "dates       {dates}");

    let names: HashMap<&str, &str> = dataset
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let name_of = |id: &str| names.get(id).copied().unwrap_or(id).to_string();

    let mut types: HashMap<&str, usize> = HashMap::new();
    let mut actor_events: HashMap<&str, usize> = HashMap::new();
    for e in &dataset.events {
        *types.entry(e.event_type.as_str()).or_default() += 1;
        for a in e
            .actor1
            .iter()
            .chain(&e.actor2)
            .chain(&e.associated_actors_1)
            .chain(&e.associated_actors_2)
        {
            *actor_events.entry(a.as_str()).or_default() += 1;
        }
    }
    let mut types: Vec<_> = types.into_iter().collect();
    types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if !types.is_empty() {
        let _ = writeln!(out, "\nEvent types");
        for (t, n) in types.iter().take(LIST_LIMIT) {
            let _ = writeln!(out, "  {:>8}  {t}", thousands(*n));
        }
        more(&mut out, types.len());
    }

    if !dataset.series.is_empty() {
        let _ = writeln!(
            out,
            "\nReported series (figures as reported, not counted events)"
        );
        for series in &dataset.series {
            let _ = writeln!(
                out,
                "  {} ({}), reported by {}",
                series.name,
                series.unit,
                name_of(&series.reported_by)
            );
            for o in &series.observations {
                let period = o
                    .period
                    .map(|p| p.label())
                    .unwrap_or_else(|| "undated".into());
                let _ = writeln!(out, "    {period:<16} {}{}", o.qualifier.prefix(), o.value);
            }
        }
    }

    if !dataset.actors.is_empty() {
        let mut actors: Vec<_> = dataset.actors.iter().collect();
        actors.sort_by(|a, b| {
            let ea = actor_events.get(a.id.as_str()).unwrap_or(&0);
            let eb = actor_events.get(b.id.as_str()).unwrap_or(&0);
            eb.cmp(ea).then(a.name.cmp(&b.name))
        });
        let _ = writeln!(out, "\nActors (events)");
        for a in actors.iter().take(LIST_LIMIT) {
            let n = actor_events.get(a.id.as_str()).unwrap_or(&0);
            let _ = writeln!(
                out,
                "  {:>8}  {} [{}]",
                thousands(*n),
                a.name,
                a.kind.label()
            );
        }
        more(&mut out, actors.len());
    }

    if !dataset.relations.is_empty() {
        let _ = writeln!(out, "\nRelations");
        for r in dataset.relations.iter().take(LIST_LIMIT) {
            let _ = writeln!(
                out,
                "  {} — {} → {}",
                name_of(&r.from),
                r.kind.label(),
                name_of(&r.to)
            );
        }
        more(&mut out, dataset.relations.len());
    }
    out
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
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5071), "5,071");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
