//! Counts and fatality sums over time, optionally split by a grouping, with the reported
//! series aligned to the same buckets but kept apart.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::buckets::BucketSize;
use crate::model::Qualifier;
use crate::store::{day_number, Store, NO_ACTOR, NO_COUNT};

/// What to split counts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One series of all events.
    #[default]
    None,
    /// Event type.
    EventType,
    /// Event sub-type.
    SubEventType,
    /// Actor 1.
    Actor,
    /// Country.
    Country,
    /// Reporting source.
    Source,
}

impl GroupBy {
    /// Every grouping.
    pub const ALL: [GroupBy; 6] = [
        GroupBy::None,
        GroupBy::EventType,
        GroupBy::SubEventType,
        GroupBy::Actor,
        GroupBy::Country,
        GroupBy::Source,
    ];

    /// Words for menus ("event type").
    pub fn label(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::EventType => "event type",
            GroupBy::SubEventType => "sub-type",
            GroupBy::Actor => "actor",
            GroupBy::Country => "country",
            GroupBy::Source => "source",
        }
    }
}

/// What a time series is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SeriesSpec {
    /// Bucket width.
    pub bucket: BucketSize,
    /// Grouping.
    pub group_by: GroupBy,
    /// How many groups to keep before folding the rest into "Other".
    pub top_n: usize,
}

impl Default for SeriesSpec {
    fn default() -> Self {
        SeriesSpec {
            bucket: BucketSize::Month,
            group_by: GroupBy::None,
            top_n: 8,
        }
    }
}

/// One bucket on the time axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// First day (day number).
    pub start: i32,
    /// First day of the next bucket (day number).
    pub end: i32,
    /// Axis label ("Aug 2024").
    pub label: String,
    /// Key for CSV/JSON ("2024-08").
    pub key: String,
}

/// Counted events of one group, per period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSeries {
    /// Group name ("Battles", "Other", or "Events" without grouping).
    pub name: String,
    /// Events per period.
    pub counts: Vec<u32>,
    /// Deaths per period (events without a reported number count as 0).
    pub fatalities: Vec<u64>,
}

/// A reported series aligned to the periods: never summed with counted events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignedReport {
    /// The series' id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Unit of the values.
    pub unit: String,
    /// Name of the actor who reported it.
    pub reported_by: String,
    /// Value and qualifier per period, where an observation fits that period.
    pub values: Vec<Option<(f64, Qualifier)>>,
    /// Observations that fit no single period at this bucket size (or have no period),
    /// as "label: value".
    pub unaligned: Vec<String>,
}

/// Events (and reported figures) over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeSeries {
    /// Bucket width.
    pub bucket: BucketSize,
    /// The periods, consecutive, empty ones included.
    pub periods: Vec<Period>,
    /// Counted events, one series per group (largest first, "Other" last).
    pub groups: Vec<GroupSeries>,
    /// Events whose date is less precise than the bucket, so not drawn in any.
    pub unplaced: u32,
    /// Reported series, aligned.
    pub reported: Vec<AlignedReport>,
}

impl TimeSeries {
    /// Total counted events per period, over all groups.
    pub fn totals(&self) -> Vec<u32> {
        let mut t = vec![0; self.periods.len()];
        for g in &self.groups {
            for (i, c) in g.counts.iter().enumerate() {
                t[i] += c;
            }
        }
        t
    }

    /// The index of the period containing a day number.
    pub fn period_of(&self, day: i32) -> Option<usize> {
        let i = self.periods.partition_point(|p| p.end <= day);
        (i < self.periods.len() && self.periods[i].start <= day).then_some(i)
    }
}

fn group_key(store: &Store, group_by: GroupBy, i: usize) -> u32 {
    let e = &store.events;
    match group_by {
        GroupBy::None => 0,
        GroupBy::EventType => e.event_type[i],
        GroupBy::SubEventType => e.sub_event_type[i],
        GroupBy::Actor => e.actor1[i],
        GroupBy::Country => e.country[i],
        GroupBy::Source => e.source[i],
    }
}

fn group_name(store: &Store, group_by: GroupBy, key: u32) -> String {
    let name = match group_by {
        GroupBy::None => "Events",
        GroupBy::Actor if key == NO_ACTOR => "(no actor)",
        GroupBy::Actor => store.actor_name(key),
        _ if key == 0 => "(none)",
        _ => store.strings.text(key),
    };
    name.to_string()
}

/// Counts the events `rows` of `store` over time, with the reported series aligned.
/// `range` (day numbers, inclusive) fixes the axis; without it the axis spans the placed
/// events and the reported observations.
pub fn time_series(
    store: &Store,
    rows: &[u32],
    spec: SeriesSpec,
    range: Option<(i32, i32)>,
) -> TimeSeries {
    let bucket = spec.bucket;
    let e = &store.events;
    // Place every row once.
    let mut placed: Vec<(i32, u32, u32)> = Vec::with_capacity(rows.len());
    let mut unplaced = 0u32;
    let mut group_totals: HashMap<u32, u64> = HashMap::new();
    for &r in rows {
        let i = r as usize;
        match bucket.place(e.day_start[i], e.day_end[i]) {
            Some(b) => {
                let key = group_key(store, spec.group_by, i);
                *group_totals.entry(key).or_default() += 1;
                placed.push((b, key, r));
            }
            None => unplaced += 1,
        }
    }
    // Reported observations, placed by the same rule.
    let mut report_points: Vec<(usize, Option<i32>, f64, Qualifier, String)> = Vec::new();
    for (s, series) in store.meta.series.iter().enumerate() {
        for o in &series.observations {
            let label = o
                .period
                .map_or_else(|| "undated".to_string(), |p| p.label());
            let b = o
                .period
                .and_then(|p| bucket.place(day_number(p.start()), day_number(p.end())));
            report_points.push((s, b, o.value, o.qualifier, label));
        }
    }
    let (lo, hi) = match range {
        Some((a, b)) => (bucket.start_of(a), bucket.start_of(b)),
        None => {
            let days = placed
                .iter()
                .map(|p| p.0)
                .chain(report_points.iter().filter_map(|p| p.1));
            let (mut lo, mut hi) = (i32::MAX, i32::MIN);
            for d in days {
                lo = lo.min(d);
                hi = hi.max(d);
            }
            (lo, hi)
        }
    };
    let mut periods = Vec::new();
    if lo <= hi {
        let mut start = lo;
        while start <= hi {
            let end = bucket.next(start);
            periods.push(Period {
                start,
                end,
                label: bucket.label(start),
                key: bucket.key(start),
            });
            start = end;
        }
    }
    let index_of = |b: i32| -> Option<usize> {
        let i = periods.partition_point(|p| p.start < b);
        (i < periods.len() && periods[i].start == b).then_some(i)
    };

    // Keep the top N groups; fold the rest into "Other".
    let mut order: Vec<(u32, u64)> = group_totals.into_iter().collect();
    order.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| {
            group_name(store, spec.group_by, a.0).cmp(&group_name(store, spec.group_by, b.0))
        })
    });
    let top_n = spec.top_n.max(1);
    let folded = order.len() > top_n;
    let kept: Vec<u32> = order
        .iter()
        .take(if folded { top_n } else { order.len() })
        .map(|g| g.0)
        .collect();
    let slot_of: HashMap<u32, usize> = kept.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut groups: Vec<GroupSeries> = kept
        .iter()
        .map(|&k| GroupSeries {
            name: group_name(store, spec.group_by, k),
            counts: vec![0; periods.len()],
            fatalities: vec![0; periods.len()],
        })
        .collect();
    if folded {
        groups.push(GroupSeries {
            name: "Other".into(),
            counts: vec![0; periods.len()],
            fatalities: vec![0; periods.len()],
        });
    }
    if groups.is_empty() {
        groups.push(GroupSeries {
            name: group_name(store, GroupBy::None, 0),
            counts: vec![0; periods.len()],
            fatalities: vec![0; periods.len()],
        });
    }
    let other = groups.len() - 1;
    for (b, key, r) in placed {
        let Some(p) = index_of(b) else {
            continue; // outside a fixed range
        };
        let g = slot_of.get(&key).copied().unwrap_or(other);
        groups[g].counts[p] += 1;
        let f = e.fatalities[r as usize];
        if f != NO_COUNT {
            groups[g].fatalities[p] += u64::from(f);
        }
    }

    let mut reported: Vec<AlignedReport> = store
        .meta
        .series
        .iter()
        .map(|s| AlignedReport {
            id: s.id.clone(),
            name: s.name.clone(),
            unit: s.unit.clone(),
            reported_by: store
                .actor_index(&s.reported_by)
                .map_or(s.reported_by.clone(), |i| store.actor_name(i).to_string()),
            values: vec![None; periods.len()],
            unaligned: Vec::new(),
        })
        .collect();
    for (s, b, value, qualifier, label) in report_points {
        match b.and_then(index_of) {
            Some(p) => reported[s].values[p] = Some((value, qualifier)),
            None if b.is_some() => {} // outside a fixed range
            None => reported[s]
                .unaligned
                .push(format!("{label}: {}{value}", qualifier.prefix())),
        }
    }
    TimeSeries {
        bucket,
        periods,
        groups,
        unplaced,
        reported,
    }
}
