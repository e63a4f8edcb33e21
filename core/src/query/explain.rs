//! "Why this number?": any count on screen answers with the rows behind it, the filter that
//! made it in words, the sources' own words, and a filter that shows exactly those rows; a
//! reported figure answers with who said it, who counted it, and the quote.

use super::{network, Engine, Filter, SeriesSpec};
use crate::text::{plural, thousands};

/// A number on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// A bar of the timeline: period `period` of the series for the filter and `spec`, group
    /// `group` (the whole bar when `None`).
    Bucket {
        /// The timeline's settings.
        spec: SeriesSpec,
        /// The period's index.
        period: usize,
        /// The group's index (a stacked bar's part).
        group: Option<usize>,
    },
    /// The count beside an entry of the filters panel (over the whole dataset).
    Entry {
        /// Which list: "event type", "country", "place" or "source".
        list: EntryList,
        /// The entry.
        value: String,
    },
    /// An actor's event count (any role, the whole dataset).
    ActorEvents(u32),
    /// An interaction edge of the actor graph, under the filter: two actor indices.
    Edge {
        /// One actor.
        from: u32,
        /// The other.
        to: u32,
        /// Same side (lead and associated actor) rather than opposite sides.
        same_side: bool,
    },
    /// A reported figure: series id and the observation's index in the series.
    Figure {
        /// The series.
        series: String,
        /// The observation.
        index: usize,
    },
}

/// The lists of the filters panel that show counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryList {
    /// Event types.
    EventType,
    /// Countries.
    Country,
    /// Places.
    Place,
    /// Sources.
    Source,
}

/// A reported figure's account of itself.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureWhy {
    /// The figure as written ("90", "~5", "hundreds") and its unit.
    pub figure: String,
    /// Its period in words.
    pub period: String,
    /// Who reported it.
    pub reported_by: String,
    /// Who the reporter says counted it.
    pub counted_by: Option<String>,
    /// Where it was quoted, and the source's words.
    pub quotes: Vec<(String, String)>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The number, as shown.
    pub number: String,
    /// What it counts, in words ("events of type Battles in Sep 2024").
    pub what: String,
    /// Which events it is counted among: the filter in words, or the whole dataset.
    pub among: String,
    /// The rows behind it (empty for a reported figure), ascending.
    pub rows: Vec<u32>,
    /// A filter that selects exactly `rows`.
    pub show: Filter,
    /// For a reported figure: its account.
    pub figure: Option<FigureWhy>,
}

/// A filter selecting exactly the events `rows`.
fn exactly(engine: &Engine, rows: &[u32]) -> Filter {
    let store = engine.store();
    Filter {
        events: rows
            .iter()
            .map(|&r| store.row(r as usize).id().to_string())
            .collect(),
        ..Filter::default()
    }
}

/// Why `subject` shows the number it shows, for the events `filter` selects.
pub fn explain(engine: &Engine, filter: &Filter, subject: &Subject) -> Option<Explanation> {
    let store = engine.store();
    let under = if filter.is_empty() {
        "every event of the dataset".to_string()
    } else {
        format!(
            "the events that pass the filter: {}",
            filter.describe(store)
        )
    };
    let whole =
        "every event of the dataset (the lists count over the whole dataset, whatever the filter)"
            .to_string();
    let (what, among, rows) = match subject {
        Subject::Bucket {
            spec,
            period,
            group,
        } => {
            let series = engine.time_series(filter, *spec);
            let label = &series.periods.get(*period)?.label;
            let rows = engine.rows_behind(filter, *spec, *period, *group);
            let what = match group {
                Some(g) if series.groups.len() > 1 => format!(
                    "of {} {} in {label}",
                    spec.group_by.label(),
                    series.groups.get(*g)?.name
                ),
                _ => format!("in {label}"),
            };
            (what, under, rows)
        }
        Subject::Entry { list, value } => {
            let f = match list {
                EntryList::EventType => Filter {
                    event_types: vec![value.clone()],
                    ..Filter::default()
                },
                EntryList::Country => Filter {
                    countries: vec![value.clone()],
                    ..Filter::default()
                },
                EntryList::Place => Filter {
                    locations: vec![value.clone()],
                    ..Filter::default()
                },
                EntryList::Source => Filter {
                    sources: vec![value.clone()],
                    ..Filter::default()
                },
            };
            let rows = engine.rows(&f).to_vec();
            (format!("with {}", f.describe(store)), whole, rows)
        }
        Subject::ActorEvents(actor) => {
            let id = &store.actors().get(*actor as usize)?.id;
            let f = Filter {
                actors: vec![id.clone()],
                ..Filter::default()
            };
            let rows = engine.rows(&f).to_vec();
            let what = format!(
                "that {} takes part in (as actor 1, actor 2 or associated)",
                store.actor_name(*actor)
            );
            (what, whole, rows)
        }
        Subject::Edge {
            from,
            to,
            same_side,
        } => {
            // The graph is drawn from the filter without its actors.
            let drawn_from = super::graph_filter(filter);
            let rows =
                network::rows_of_edge(store, &engine.rows(&drawn_from), *from, *to, *same_side);
            let under = if drawn_from.is_empty() {
                "every event of the dataset".to_string()
            } else {
                format!(
                    "the events the graph is drawn from: {}",
                    drawn_from.describe(store)
                )
            };
            let (a, b) = (store.actor_name(*from), store.actor_name(*to));
            let what = if *same_side {
                format!("where {a} and {b} are on the same side")
            } else {
                format!("between {a} and {b} (on opposite sides)")
            };
            (what, under, rows)
        }
        Subject::Figure { series, index } => return explain_figure(engine, series, *index),
    };
    Some(Explanation {
        number: thousands(rows.len()),
        what: format!("{} {what}", plural(rows.len(), "event")),
        among,
        show: exactly(engine, &rows),
        rows,
        figure: None,
    })
}

/// A reported figure's account: never rows, the source's words.
fn explain_figure(engine: &Engine, series: &str, index: usize) -> Option<Explanation> {
    let store = engine.store();
    let s = store.meta.series.iter().find(|s| s.id == series)?;
    let o = s.observations.get(index)?;
    let name = |id: &str| {
        store
            .actor_index(id)
            .map_or(id.to_string(), |i| store.actor_name(i).to_string())
    };
    let figure = match (o.value, o.words.as_deref()) {
        (Some(v), _) => match o.qualifier {
            crate::model::Qualifier::Exact => format!("{v}"),
            crate::model::Qualifier::About => format!("about {v}"),
            crate::model::Qualifier::AtLeast => format!("at least {v}"),
            crate::model::Qualifier::AtMost => format!("at most {v}"),
        },
        (None, Some(words)) => words.to_string(),
        (None, None) => "no figure".to_string(),
    };
    let quotes = o
        .sources
        .iter()
        .map(|r| {
            let source = store.meta.sources.iter().find(|x| x.id == r.source);
            let place = source.map_or(r.source.clone(), |x| match x.date {
                Some(d) => format!("{}, {}", x.publisher, d.label()),
                None => x.publisher.clone(),
            });
            (place, r.quote.clone())
        })
        .collect();
    let period = o.period.map_or("undated".to_string(), |p| p.label());
    Some(Explanation {
        number: figure.clone(),
        what: format!("{figure} {} ({period}): {}", s.unit, s.name),
        among: "a figure a source reported, not events this dataset counts".into(),
        rows: Vec::new(),
        show: Filter::default(),
        figure: Some(FigureWhy {
            figure: format!("{figure} {}", s.unit),
            period,
            reported_by: name(&s.reported_by),
            counted_by: s.counted_by.as_deref().map(name),
            quotes,
        }),
    })
}
