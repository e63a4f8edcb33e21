//! The timeline as a stand-alone chart: title, subtitle (what was filtered), counted events
//! as bars, reported figures as marked points, a legend and a source line.

use crate::query::{Filter, TimeSeries};
use crate::store::Store;

use super::csv_field;

/// Everything a timeline picture shows, decided once for every output format.
#[derive(Debug, Clone)]
pub struct TimelineChart<'a> {
    /// The data.
    pub series: &'a TimeSeries,
    /// Title (editable by the user).
    pub title: String,
    /// The filter in words.
    pub subtitle: String,
    /// "Source: …" line.
    pub source_line: String,
    /// Size in CSS pixels (the PNG scale multiplies it).
    pub width: u32,
    /// Height in CSS pixels.
    pub height: u32,
    /// The analyst's annotations on the axis.
    pub annotations: Vec<crate::query::aggregate::PlacedAnnotation>,
}

impl<'a> TimelineChart<'a> {
    /// A chart of `series` for `filter` over `store`, with a default title and source line.
    pub fn new(store: &Store, filter: &Filter, series: &'a TimeSeries) -> TimelineChart<'a> {
        TimelineChart {
            series,
            title: default_title(store, series),
            subtitle: format!(
                "{} · events per {}",
                filter.describe(store),
                series.bucket.name()
            ),
            source_line: source_line(store, series),
            width: 1200,
            height: 675,
            annotations: Vec::new(),
        }
    }
}

/// "Events by month" or, when the dataset has a reported series, its name by bucket.
pub fn default_title(store: &Store, series: &TimeSeries) -> String {
    let reported = series
        .reported
        .iter()
        .find(|r| r.values.iter().any(Option::is_some));
    match reported {
        Some(r) => format!("{} by {}", r.name, series.bucket.name()),
        None => format!("{}: events by {}", store.meta.title, series.bucket.name()),
    }
}

/// "Source: Shafaq News, 21 Nov 2024; figures reported by Maariv".
pub fn source_line(store: &Store, series: &TimeSeries) -> String {
    let mut parts: Vec<String> = store
        .meta
        .sources
        .iter()
        .map(|s| match s.date {
            Some(d) => format!("{}, {}", s.publisher, d.label()),
            None => format!("{} ({})", s.publisher, s.title),
        })
        .collect();
    let mut reporters: Vec<&str> = Vec::new();
    for r in series.charted_reports() {
        if !reporters.contains(&r.reported_by.as_str()) {
            reporters.push(&r.reported_by);
        }
    }
    if !reporters.is_empty() {
        parts.push(format!("figures reported by {}", reporters.join(", ")));
    }
    if parts.is_empty() {
        "Source: the dataset's own records".to_string()
    } else {
        format!("Source: {}", parts.join("; "))
    }
}

/// The chart's data as CSV: one row per bucket; a column per group of counted events, the
/// totals, and each reported series in its own column (never summed with the counts).
pub fn timeline_csv(series: &TimeSeries, ids: Option<(&Store, &[Vec<Vec<u32>>])>) -> String {
    let mut header = vec!["bucket".to_string(), "label".to_string()];
    if series.groups.len() > 1 {
        for g in &series.groups {
            header.push(csv_field(&format!("events: {}", g.name)));
        }
    }
    // The ids behind each count: one column per group (space-separated event ids).
    if ids.is_some() {
        for g in &series.groups {
            header.push(csv_field(&format!("ids: {}", g.name)));
        }
    }
    header.push("events_total".into());
    header.push("fatalities_total".into());
    for r in &series.reported {
        header.push(csv_field(&format!(
            "reported: {} ({}, reported by {})",
            r.name, r.unit, r.reported_by
        )));
    }
    let mut out = header.join(",");
    out.push('\n');
    let totals = series.totals();
    for (i, p) in series.periods.iter().enumerate() {
        let mut row = vec![csv_field(&p.key), csv_field(&p.label)];
        if series.groups.len() > 1 {
            for g in &series.groups {
                row.push(g.counts[i].to_string());
            }
        }
        if let Some((store, cells)) = ids {
            for group in cells {
                let list: Vec<&str> = group[i]
                    .iter()
                    .map(|&r| store.row(r as usize).id())
                    .collect();
                row.push(csv_field(&list.join(" ")));
            }
        }
        row.push(totals[i].to_string());
        let deaths: u64 = series.groups.iter().map(|g| g.fatalities[i]).sum();
        row.push(deaths.to_string());
        for r in &series.reported {
            row.push(r.values[i].map(|(v, _)| v.to_string()).unwrap_or_default());
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}
