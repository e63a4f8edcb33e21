//! The reported-figures chart: the figures somebody reported, each drawn over exactly the
//! days its period covers ("Aug 2024", "1–21 Nov 2024"), with how exact it is, who counted,
//! who reported and where it was quoted. Never mixed with counted events.
//!
//! One chart holds the series of one unit (figures in "drone attacks" and in "launches per
//! day" are not on one scale). By default the headline unit: the unit of the first series
//! with the most dated numbers.

use crate::model::{Qualifier, ReportedSeries};
use crate::store::{day_number, Store};

/// The chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedChart {
    /// The unit every figure is in ("drone attacks").
    pub unit: String,
    /// The series drawn, in the dataset's order.
    pub series: Vec<ChartSeries>,
    /// Every dated figure, in time order.
    pub figures: Vec<Figure>,
    /// Figures with no period, in words ("6 (undated)").
    pub undated: Vec<String>,
    /// First day of the axis (day number).
    pub first_day: i32,
    /// The day after the last day of the axis.
    pub end_day: i32,
    /// The counted events overlaid, when asked for.
    pub counted: Option<CountedOverlay>,
}

impl ReportedChart {
    /// The gap between figure `i` and the dataset's count over its days, in words:
    /// "reported 90, counted 3 in Oct 2024". `None` without the counted overlay.
    pub fn gap_words(&self, i: usize) -> Option<String> {
        let figure = self.figures.get(i)?;
        let counted = self.counted.as_ref()?.per_figure.get(i)?;
        Some(format!(
            "reported {}, counted {counted} in {}",
            figure.text, figure.period
        ))
    }
}

/// The dataset's own events counted over each figure's days, drawn beside the figures and
/// never mixed with them.
#[derive(Debug, Clone, PartialEq)]
pub struct CountedOverlay {
    /// For each figure, how many of the filtered events lie wholly within its days (see
    /// [`count_within`]).
    pub per_figure: Vec<u32>,
    /// What was counted, for the legend ("Events in this dataset (type: Drone attack),
    /// counted over each figure's days").
    pub caption: String,
}

/// Which reported chart: the series (empty for the headline unit's) and whether the counted
/// events are overlaid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportedSpec {
    /// Series ids, all of one unit; empty for every series of the headline unit.
    pub series: Vec<String>,
    /// Overlay the filtered events counted over each figure's days.
    pub counted: bool,
}

/// One series as the chart names it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSeries {
    /// Its id in the dataset.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Who reported the figures (a name).
    pub reported_by: String,
    /// Who the reporter says counted them (a name), if it says.
    pub counted_by: Option<String>,
    /// Where the figures were quoted: the sources' publishers and dates ("Shafaq News,
    /// 21 Nov 2024").
    pub quoted_in: Vec<String>,
}

impl ChartSeries {
    /// "Drone launches from Iraq toward Israel: counted by Israel, reported by Maariv,
    /// quoted by Shafaq News, 21 Nov 2024".
    pub fn caption(&self) -> String {
        let mut parts = Vec::new();
        if let Some(by) = &self.counted_by {
            parts.push(format!("counted by {by}"));
        }
        parts.push(format!("reported by {}", self.reported_by));
        if !self.quoted_in.is_empty() {
            parts.push(format!("quoted by {}", self.quoted_in.join("; ")));
        }
        format!("{}: {}", self.name, parts.join(", "))
    }
}

/// One figure, over the days its period covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Index into [`ReportedChart::series`].
    pub series: usize,
    /// The observation's index in its series (in the dataset).
    pub observation: usize,
    /// First day (day number).
    pub first_day: i32,
    /// The day after the last day.
    pub end_day: i32,
    /// The number, when the source gives one.
    pub value: Option<f64>,
    /// How exact it is.
    pub qualifier: Qualifier,
    /// The figure as written on the chart: "6", "~5", "≥ 200", "hundreds".
    pub text: String,
    /// The period in words ("Aug 2024", "1–21 Nov 2024").
    pub period: String,
    /// The source's words for it.
    pub quote: String,
    /// A note on reading it, when the dataset gives one.
    pub note: Option<String>,
}

/// The figure as written on a chart: exact numbers plain, "~" for about, "≥"/"≤" for bounds,
/// words as the source's words.
fn figure_text(value: Option<f64>, qualifier: Qualifier, words: Option<&str>) -> String {
    match value {
        Some(v) => match qualifier {
            Qualifier::Exact => format!("{v}"),
            Qualifier::About => format!("~{v}"),
            Qualifier::AtLeast => format!("≥ {v}"),
            Qualifier::AtMost => format!("≤ {v}"),
        },
        None => words.unwrap_or("no figure").to_string(),
    }
}

/// The units of the dataset's series, in order of first appearance.
pub fn units(store: &Store) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    for s in &store.meta.series {
        if !units.contains(&s.unit) {
            units.push(s.unit.clone());
        }
    }
    units
}

/// The unit a chart of the dataset's reported figures shows first: the one whose series have
/// the most dated numbers (the first such on a tie). `None` when no series has a dated
/// number.
pub fn headline_unit(store: &Store) -> Option<String> {
    let dated_numbers = |s: &ReportedSeries| {
        s.observations
            .iter()
            .filter(|o| o.value.is_some() && o.period.is_some())
            .count()
    };
    let mut best: Option<(String, usize)> = None;
    for unit in units(store) {
        let n: usize = store
            .meta
            .series
            .iter()
            .filter(|s| s.unit == unit)
            .map(dated_numbers)
            .sum();
        if n > 0 && best.as_ref().is_none_or(|(_, m)| n > *m) {
            best = Some((unit, n));
        }
    }
    best.map(|(unit, _)| unit)
}

/// Why a chart cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportedError {
    /// The dataset has no reported figures.
    #[error("the dataset has no reported figures")]
    NoFigures,
    /// An asked-for series does not exist.
    #[error("no reported series with id {0:?} (the dataset has: {1})")]
    UnknownSeries(String, String),
    /// The asked-for series are in different units.
    #[error("{0} are in different units ({1}): one chart holds one unit")]
    MixedUnits(String, String),
}

/// The chart of the series `ids` (all in one unit), or of every series of the headline unit
/// when `ids` is empty.
pub fn reported_chart(store: &Store, ids: &[String]) -> Result<ReportedChart, ReportedError> {
    let all = &store.meta.series;
    let chosen: Vec<&ReportedSeries> = if ids.is_empty() {
        let unit = headline_unit(store)
            .or_else(|| all.first().map(|s| s.unit.clone()))
            .ok_or(ReportedError::NoFigures)?;
        all.iter().filter(|s| s.unit == unit).collect()
    } else {
        let mut chosen = Vec::new();
        for id in ids {
            let s = all.iter().find(|s| &s.id == id).ok_or_else(|| {
                let known: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
                ReportedError::UnknownSeries(id.clone(), known.join(", "))
            })?;
            chosen.push(s);
        }
        let mut units: Vec<&str> = chosen.iter().map(|s| s.unit.as_str()).collect();
        units.dedup();
        if units.len() > 1 {
            return Err(ReportedError::MixedUnits(ids.join(", "), units.join(", ")));
        }
        chosen
    };
    let name_of = |id: &str| {
        store
            .actor_index(id)
            .map_or(id.to_string(), |i| store.actor_name(i).to_string())
    };
    let source_name = |id: &str| {
        store
            .meta
            .sources
            .iter()
            .find(|s| s.id == id)
            .map_or(id.to_string(), |s| match s.date {
                Some(d) => format!("{}, {}", s.publisher, d.label()),
                None => s.publisher.clone(),
            })
    };
    let mut series = Vec::new();
    let mut figures = Vec::new();
    let mut undated = Vec::new();
    for (k, s) in chosen.iter().enumerate() {
        let mut quoted_in: Vec<String> = Vec::new();
        for (observation, o) in s.observations.iter().enumerate() {
            for r in &o.sources {
                let name = source_name(&r.source);
                if !quoted_in.contains(&name) {
                    quoted_in.push(name);
                }
            }
            let text = figure_text(o.value, o.qualifier, o.words.as_deref());
            let Some(period) = o.period else {
                undated.push(format!("{}: {text} (undated)", s.name));
                continue;
            };
            figures.push(Figure {
                series: k,
                observation,
                first_day: day_number(period.start()),
                end_day: day_number(period.end()) + 1,
                value: o.value,
                qualifier: o.qualifier,
                text,
                period: period.label(),
                quote: o
                    .sources
                    .first()
                    .map(|r| r.quote.clone())
                    .unwrap_or_default(),
                note: o.note.clone(),
            });
        }
        series.push(ChartSeries {
            id: s.id.clone(),
            name: s.name.clone(),
            reported_by: name_of(&s.reported_by),
            counted_by: s.counted_by.as_deref().map(name_of),
            quoted_in,
        });
    }
    figures.sort_by_key(|f| (f.first_day, f.end_day, f.series));
    let first_day = figures.iter().map(|f| f.first_day).min().unwrap_or(0);
    let end_day = figures.iter().map(|f| f.end_day).max().unwrap_or(1);
    Ok(ReportedChart {
        unit: chosen
            .first()
            .map(|s| s.unit.clone())
            .ok_or(ReportedError::NoFigures)?,
        series,
        figures,
        undated,
        first_day,
        end_day,
        counted: None,
    })
}

/// For each figure of `chart`, how many of the events `rows` lie wholly within its days. An
/// event dated only to a month is counted in a figure for that month (or a longer period
/// holding it), never in one for part of the month: a count never claims more precision than
/// the dates it counts.
pub fn count_within(store: &Store, rows: &[u32], chart: &ReportedChart) -> Vec<u32> {
    let (d0, d1) = (chart.first_day, chart.end_day);
    let span = usize::try_from(d1 - d0).unwrap_or(0);
    // Events of one day: a histogram and its running sum, so each figure is two look-ups.
    let mut by_day = vec![0u32; span + 1];
    // Events over several days: counted per distinct span (months, years: few of them).
    let mut longer: std::collections::HashMap<(i32, i32), u32> = Default::default();
    for &row in rows {
        let (a, b) = store.row(row as usize).days();
        if b < d0 || a >= d1 {
            continue;
        }
        if a == b {
            by_day[(a - d0) as usize + 1] += 1;
        } else {
            *longer.entry((a, b)).or_default() += 1;
        }
    }
    for k in 1..by_day.len() {
        by_day[k] += by_day[k - 1];
    }
    let upto = |day: i32| by_day[usize::try_from(day - d0).unwrap_or(0).min(span)];
    chart
        .figures
        .iter()
        .map(|f| {
            let exact = upto(f.end_day) - upto(f.first_day);
            let wider: u32 = longer
                .iter()
                .filter(|((a, b), _)| *a >= f.first_day && *b < f.end_day)
                .map(|(_, n)| n)
                .sum();
            exact + wider
        })
        .collect()
}

/// The chart `spec` asks for, with the events `rows` counted over its figures' days when the
/// spec overlays them.
pub fn reported_chart_for(
    store: &Store,
    spec: &ReportedSpec,
    filter: &super::Filter,
    rows: impl FnOnce() -> std::sync::Arc<Vec<u32>>,
) -> Result<ReportedChart, ReportedError> {
    let mut chart = reported_chart(store, &spec.series)?;
    if spec.counted {
        let which = if filter.is_empty() {
            String::new()
        } else {
            format!(" ({})", filter.describe(store))
        };
        chart.counted = Some(CountedOverlay {
            per_figure: count_within(store, &rows(), &chart),
            caption: format!(
                "Events in this dataset{which}, counted over each figure's days (not reported figures)"
            ),
        });
    }
    Ok(chart)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;

    fn seed() -> Store {
        Store::from_dataset(crate::seed::seed_dataset().expect("the seed reads"))
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_seed_opens_on_maarivs_drone_figures() {
        let store = seed();
        assert_eq!(headline_unit(&store).as_deref(), Some("drone attacks"));
        let chart = reported_chart(&store, &[]).unwrap();
        let shown: Vec<(&str, &str)> = chart
            .figures
            .iter()
            .map(|f| (f.period.as_str(), f.text.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("Aug 2024", "6"),
                ("Sep 2024", "31"),
                ("Oct 2024", "90"),
                ("1–21 Nov 2024", "65")
            ]
        );
        assert_eq!(chart.series.len(), 2);
        assert_eq!(
            chart.series[0].caption(),
            "Drone launches from Iraq toward Israel: counted by Israel, reported by Maariv, \
             quoted by Shafaq News, 21 Nov 2024"
        );
        assert!(chart.figures[2].quote.contains("90 in October"));
        assert_eq!(chart.undated, Vec::<String>::new());
        assert!(chart.counted.is_none());
    }

    #[test]
    fn words_and_undated_figures_are_kept_in_words() {
        let store = seed();
        let chart = reported_chart(
            &store,
            &ids(&["iri-attacks-us-forces", "mibh-claimed-attacks-israel"]),
        )
        .unwrap();
        assert_eq!(chart.unit, "attacks");
        assert_eq!(chart.figures.len(), 1);
        assert_eq!(chart.figures[0].value, None);
        assert_eq!(chart.figures[0].text, "hundreds");
        assert_eq!(chart.figures[0].period, "17 Oct 2023 – 21 Nov 2024");
        assert_eq!(
            chart.undated,
            ["Attacks on Israel claimed by MIBH: 6 (undated)"]
        );
        let about = reported_chart(&store, &ids(&["daily-launches-iraq-israel"])).unwrap();
        assert_eq!(about.figures[0].text, "~5");
    }

    #[test]
    fn a_chart_holds_one_unit_of_known_series() {
        let store = seed();
        let mixed = ids(&["iri-attacks-us-forces", "daily-launches-iraq-israel"]);
        assert!(matches!(
            reported_chart(&store, &mixed),
            Err(ReportedError::MixedUnits(..))
        ));
        let err = reported_chart(&store, &ids(&["nope"])).unwrap_err();
        assert!(err
            .to_string()
            .contains("drone-launches-iraq-israel-monthly"));
        let empty = Store::new(crate::model::Dataset::default());
        assert_eq!(reported_chart(&empty, &[]), Err(ReportedError::NoFigures));
        assert_eq!(headline_unit(&empty), None);
    }

    #[test]
    fn counted_events_lie_wholly_within_a_figures_days() {
        let store = seed();
        let all: Vec<u32> = (0..store.len() as u32).collect();
        // Sep: the war, dated to the month; Oct: two month-dated events and one on 4 Oct.
        let chart = reported_chart(&store, &[]).unwrap();
        assert_eq!(count_within(&store, &all, &chart), [0, 1, 3, 0]);
        // Only the rows asked for are counted.
        let october_day: Vec<u32> = all
            .iter()
            .copied()
            .filter(|&r| store.row(r as usize).days().0 == store.row(r as usize).days().1)
            .collect();
        assert_eq!(count_within(&store, &october_day, &chart), [0, 0, 1, 0]);
        // A figure over 13 months holds every event of the dataset.
        let long = reported_chart(&store, &ids(&["iri-attacks-us-forces"])).unwrap();
        assert_eq!(count_within(&store, &all, &long), [6]);
    }

    #[test]
    fn an_event_dated_to_a_month_is_not_counted_in_part_of_it() {
        let mut store = seed();
        let late_november = "2024-11".parse::<DateSpan>().unwrap();
        store.set_date(0, late_november);
        let chart = reported_chart(&store, &[]).unwrap();
        let all: Vec<u32> = (0..store.len() as u32).collect();
        // "Nov 2024" does not lie within 1–21 Nov.
        assert_eq!(count_within(&store, &all, &chart)[3], 0);
        store.set_date(0, "2024-11-21".parse().unwrap());
        assert_eq!(count_within(&store, &all, &chart)[3], 1);
        store.set_date(0, "2024-11-22".parse().unwrap());
        assert_eq!(count_within(&store, &all, &chart)[3], 0);
        // A span that runs one day past October is not within October.
        let october = count_within(&store, &all, &chart)[2];
        store.set_date(0, "2024-10-25/2024-11-01".parse().unwrap());
        assert_eq!(count_within(&store, &all, &chart)[2], october);
        store.set_date(0, "2024-10-25/2024-10-31".parse().unwrap());
        assert_eq!(count_within(&store, &all, &chart)[2], october + 1);
    }

    #[test]
    fn the_headline_unit_has_the_most_dated_numbers_the_first_on_a_tie() {
        let series = |id: &str, unit: &str, periods: &[Option<&str>]| ReportedSeries {
            id: id.into(),
            name: id.into(),
            unit: unit.into(),
            reported_by: "r".into(),
            counted_by: None,
            description: None,
            observations: periods
                .iter()
                .map(|p| crate::model::Observation {
                    period: p.map(|p| p.parse().unwrap()),
                    value: Some(1.0),
                    words: None,
                    qualifier: Qualifier::Exact,
                    note: None,
                    sources: Vec::new(),
                })
                .collect(),
        };
        let store_of = |all: Vec<ReportedSeries>| {
            Store::new(crate::model::Dataset {
                series: all,
                ..Default::default()
            })
        };
        // Undated numbers only: nothing to chart on a time axis.
        let undated = store_of(vec![series("u", "attacks", &[None, None])]);
        assert_eq!(headline_unit(&undated), None);
        // A tie: the first unit.
        let tie = store_of(vec![
            series("a", "attacks", &[Some("2024-01")]),
            series("b", "launches", &[Some("2024-02")]),
        ]);
        assert_eq!(headline_unit(&tie).as_deref(), Some("attacks"));
        // More dated numbers win, wherever they are.
        let more = store_of(vec![
            series("a", "attacks", &[Some("2024-01"), None]),
            series("b", "launches", &[Some("2024-02"), Some("2024-03")]),
        ]);
        assert_eq!(headline_unit(&more).as_deref(), Some("launches"));
    }
}
