//! What a dataset holds, in numbers: the `summary` command's JSON and table.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::store::{date_of, Store, NO_ACTOR};

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
            records: store.len() + skipped,
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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The readable summary: counts, date range, event types, actors, relations, series.
pub fn render_text(summary: &Summary, store: &Store) -> String {
    let dataset = &store.meta;
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

    let events = &store.events;
    let mut type_counts: HashMap<u32, usize> = HashMap::new();
    for &t in events.event_type.iter() {
        *type_counts.entry(t).or_default() += 1;
    }
    let types: HashMap<&str, usize> = type_counts
        .into_iter()
        .map(|(t, n)| (store.strings.text(t), n))
        .collect();
    let mut events_by_actor = vec![0usize; dataset.actors.len()];
    for i in 0..store.len() {
        let sides = [events.actor1[i], events.actor2[i]];
        let associated = events
            .associated_1
            .get(i)
            .iter()
            .chain(events.associated_2.get(i));
        for a in sides.iter().chain(associated) {
            if *a != NO_ACTOR {
                events_by_actor[*a as usize] += 1;
            }
        }
    }
    let mut relations_by_actor: HashMap<&str, usize> = HashMap::new();
    for r in &dataset.relations {
        *relations_by_actor.entry(r.from.as_str()).or_default() += 1;
        *relations_by_actor.entry(r.to.as_str()).or_default() += 1;
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
        let mut order: Vec<usize> = (0..dataset.actors.len()).collect();
        let relations_of = |i: usize| {
            relations_by_actor
                .get(dataset.actors[i].id.as_str())
                .copied()
                .unwrap_or(0)
        };
        order.sort_by(|&a, &b| {
            (events_by_actor[b] + relations_of(b))
                .cmp(&(events_by_actor[a] + relations_of(a)))
                .then(dataset.actors[a].name.cmp(&dataset.actors[b].name))
        });
        let _ = writeln!(out, "\nActors                            events  relations");
        for &i in order.iter().take(LIST_LIMIT) {
            let a = &dataset.actors[i];
            let _ = writeln!(
                out,
                "  {:<32} {:>6}  {:>9}  {}",
                a.name,
                thousands(events_by_actor[i]),
                thousands(relations_of(i)),
                a.kind.label()
            );
        }
        more(&mut out, order.len());
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
