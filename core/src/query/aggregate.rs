//! Counts and fatality sums over time, optionally split by a grouping, with the reported
//! series aligned to the same buckets but kept apart.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
    /// The file of the view the event came from.
    File,
}

impl GroupBy {
    /// Every grouping.
    pub const ALL: [GroupBy; 7] = [
        GroupBy::None,
        GroupBy::EventType,
        GroupBy::SubEventType,
        GroupBy::Actor,
        GroupBy::Country,
        GroupBy::Source,
        GroupBy::File,
    ];

    /// The groupings the timeline offers to stack its bars by: the file among them when the
    /// view holds several files.
    pub fn stackings(store: &Store) -> Vec<GroupBy> {
        let mut out = vec![
            GroupBy::None,
            GroupBy::EventType,
            GroupBy::Actor,
            GroupBy::Country,
        ];
        if store.files.len() > 1 {
            out.push(GroupBy::File);
        }
        out
    }

    /// Words for menus ("event type").
    pub fn label(self) -> &'static str {
        match self {
            GroupBy::None => "none",
            GroupBy::EventType => "event type",
            GroupBy::SubEventType => "sub-type",
            GroupBy::Actor => "actor",
            GroupBy::Country => "country",
            GroupBy::Source => "source",
            GroupBy::File => "file",
        }
    }
}

/// An annotation placed on a time axis: the periods it covers and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedAnnotation {
    /// The first period it touches.
    pub first: usize,
    /// The last period it touches.
    pub last: usize,
    /// What the analyst wrote.
    pub text: String,
    /// Its date in words ("4 Oct 2024").
    pub date: String,
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
    /// The group's colour: its value's rank among the whole dataset's values of the column
    /// (so a filter never changes a group's colour); `None` for "Other" and ungrouped counts.
    /// The screen and the pictures both read it.
    pub colour_rank: Option<usize>,
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
    /// Per period, the index (in the series) of the observation drawn there.
    pub observations: Vec<Option<usize>>,
    /// Per period, the observation's own period when it covers only part of the bucket
    /// ("1–21 Nov 2024" in November), so that the figure is never read as the bucket's.
    pub spans: Vec<Option<String>>,
    /// Observations that fit no single period at this bucket size (or have no period),
    /// as "label: value".
    pub unaligned: Vec<String>,
}

/// Events (and reported figures) over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeSeries {
    /// Bucket width.
    pub bucket: BucketSize,
    /// What the counts are split by.
    pub group_by: GroupBy,
    /// The periods, consecutive, empty ones included.
    pub periods: Vec<Period>,
    /// Counted events, one series per group (largest first, "Other" last).
    pub groups: Vec<GroupSeries>,
    /// Events whose date is less precise than the bucket, so not drawn in any.
    pub unplaced: u32,
    /// Reported series, aligned.
    pub reported: Vec<AlignedReport>,
}

/// Above this many drawn figures, reported values are not written beside their marks (they
/// would overprint each other); the tooltip and the details panel still give each.
pub const LABELLED_FIGURES_MAX: usize = 36;

impl TimeSeries {
    /// The reported series drawn on the chart: counts, not rates ("launches per day" is on
    /// another scale and stays in words), each with at least one figure in a period.
    pub fn charted_reports(&self) -> impl Iterator<Item = &AlignedReport> {
        self.reported
            .iter()
            .filter(|r| !r.unit.contains("per ") && r.values.iter().any(Option::is_some))
    }

    /// Whether the charted figures are few enough to write each value beside its mark.
    pub fn labels_reported_values(&self) -> bool {
        let figures: usize = self
            .charted_reports()
            .map(|r| r.values.iter().flatten().count())
            .sum();
        figures <= LABELLED_FIGURES_MAX
    }

    /// The colour of group `g`: by its rank in the dataset (see [`GroupSeries::colour_rank`]),
    /// one colour when nothing is grouped, grey for "Other". The one rule for the screen and
    /// the pictures.
    pub fn group_colour(&self, g: usize) -> crate::style::Rgb {
        match (
            self.group_by,
            self.groups.get(g).and_then(|g| g.colour_rank),
        ) {
            (GroupBy::None, _) => crate::style::EVENTS,
            (_, Some(rank)) => crate::style::category(rank),
            (_, None) => crate::style::OTHER,
        }
    }

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

    /// Where each annotation falls on this series' axis: the first and last period its days
    /// touch (clipped to the axis), with its text; annotations wholly off the axis are left
    /// out. The one rule for the screen and the pictures.
    pub fn place_annotations(
        &self,
        annotations: &[crate::model::Annotation],
    ) -> Vec<PlacedAnnotation> {
        let (Some(first), Some(last)) = (self.periods.first(), self.periods.last()) else {
            return Vec::new();
        };
        annotations
            .iter()
            .filter_map(|a| {
                let date = a.date.as_ref()?;
                let start = crate::store::day_number(date.start());
                let end = crate::store::day_number(date.end());
                if end < first.start || start >= last.end {
                    return None;
                }
                let from = self.period_of(start.max(first.start))?;
                let to = self.period_of(end.min(last.end - 1))?;
                Some(PlacedAnnotation {
                    first: from,
                    last: to,
                    text: a.text.clone(),
                    date: date.label(),
                })
            })
            .collect()
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
        GroupBy::File => e.file[i],
    }
}

fn group_name(store: &Store, group_by: GroupBy, key: u32) -> String {
    let name = match group_by {
        GroupBy::None => "Events",
        GroupBy::Actor if key == NO_ACTOR => "(no actor)",
        GroupBy::Actor => store.actor_name(key),
        GroupBy::File => store
            .files
            .get(key as usize)
            .map_or("(no file)", |f| f.name.as_str()),
        _ if key == 0 => "(none)",
        _ => store.strings.text(key),
    };
    name.to_string()
}

/// Every bucket between two days, and for each day its bucket: placing an event becomes two
/// array reads instead of calendar arithmetic.
struct DayBuckets {
    first_day: i32,
    bucket_of_day: Vec<u32>,
    starts: Vec<i32>,
    lengths: Vec<i32>,
}

/// Spans longer than this (in days) are placed with calendar arithmetic instead of a table.
const TABLE_DAYS_LIMIT: i32 = 400_000;

impl DayBuckets {
    fn new(bucket: BucketSize, first: i32, last: i32) -> Option<DayBuckets> {
        if last < first || last - first > TABLE_DAYS_LIMIT {
            return None;
        }
        let mut start = bucket.start_of(first);
        let mut table = DayBuckets {
            first_day: start,
            bucket_of_day: Vec::with_capacity((last - start + 1) as usize),
            starts: Vec::new(),
            lengths: Vec::new(),
        };
        while start <= last {
            let next = bucket.next(start);
            let b = table.starts.len() as u32;
            table.starts.push(start);
            table.lengths.push(next - start);
            table
                .bucket_of_day
                .extend(std::iter::repeat_n(b, (next - start) as usize));
            start = next;
        }
        Some(table)
    }

    /// The bucket index of an event spanning `start..=end`, as [`BucketSize::place`] decides.
    fn place(&self, start: i32, end: i32) -> Option<usize> {
        let mid = start + (end - start) / 2;
        let b = *self
            .bucket_of_day
            .get(usize::try_from(mid - self.first_day).ok()?)? as usize;
        (end - start < self.lengths[b]).then_some(b)
    }
}

/// Places events in buckets: through the day table when the span allows, else by calendar.
struct Placer<'a> {
    store: &'a Store,
    bucket: BucketSize,
    table: Option<DayBuckets>,
}

impl<'a> Placer<'a> {
    /// A placer for the days `rows` span (and `range`, when the axis is fixed).
    fn new(
        store: &'a Store,
        rows: &[u32],
        bucket: BucketSize,
        range: Option<(i32, i32)>,
    ) -> Placer<'a> {
        let e = &store.events;
        let (mut first, mut last) = (i32::MAX, i32::MIN);
        for &r in rows {
            first = first.min(e.day_start[r as usize]);
            last = last.max(e.day_end[r as usize]);
        }
        if let Some((a, b)) = range {
            first = first.min(a);
            last = last.max(b);
        }
        Placer {
            store,
            bucket,
            table: DayBuckets::new(bucket, first, last),
        }
    }

    /// The first day of the bucket event `i` fits in, if its span fits one.
    fn place(&self, i: usize) -> Option<i32> {
        let e = &self.store.events;
        match &self.table {
            Some(t) => t.place(e.day_start[i], e.day_end[i]).map(|b| t.starts[b]),
            None => self.bucket.place(e.day_start[i], e.day_end[i]),
        }
    }

    /// A function from event to period index for consecutive `periods`: two array reads per
    /// event through the table when the periods are table buckets.
    fn period_index<'p>(&'p self, periods: &'p [Period]) -> impl Fn(usize) -> Option<usize> + 'p {
        let offset = self.table.as_ref().and_then(|t| {
            let first_period = periods.first()?.start;
            t.starts.iter().position(|&s| s == first_period)
        });
        let e = &self.store.events;
        move |i| match (&self.table, offset) {
            (Some(t), Some(offset)) => t
                .place(e.day_start[i], e.day_end[i])
                .and_then(|b| b.checked_sub(offset))
                .filter(|&p| p < periods.len()),
            _ => self.place(i).and_then(|b| period_of_start(periods, b)),
        }
    }
}

/// The period starting on `day`, if any.
fn period_of_start(periods: &[Period], day: i32) -> Option<usize> {
    let i = periods.partition_point(|p| p.start < day);
    (i < periods.len() && periods[i].start == day).then_some(i)
}

/// The group values of one grouping as dense slots (actors' "none" gets a slot of its own).
struct GroupSlots {
    group_by: GroupBy,
    count: usize,
}

impl GroupSlots {
    fn new(store: &Store, group_by: GroupBy) -> GroupSlots {
        let count = match group_by {
            GroupBy::None => 1,
            GroupBy::Actor => store.actors().len() + 1,
            GroupBy::File => store.files.len().max(1),
            _ => store.strings.len(),
        };
        GroupSlots { group_by, count }
    }

    fn slot_of_key(&self, key: u32) -> usize {
        if self.group_by == GroupBy::Actor && key == NO_ACTOR {
            self.count - 1
        } else {
            key as usize
        }
    }

    fn key_of_slot(&self, slot: usize) -> u32 {
        if self.group_by == GroupBy::Actor && slot == self.count - 1 {
            NO_ACTOR
        } else {
            slot as u32
        }
    }
}

/// Pass 1: placed events per group slot, the events placed nowhere, and the first and last
/// bucket used.
/// What one pass over the rows finds before the periods are known: events per group slot,
/// how many could not be placed, the first and last buckets, and (through the day table)
/// each row's bucket, so the counting pass does not place it again.
struct Census {
    totals: Vec<u64>,
    unplaced: u32,
    span: (i32, i32),
    /// Each row's bucket in the placer's day table (`u32::MAX`: not placed); `None` without
    /// a table.
    table_buckets: Option<Vec<u32>>,
}

fn census(store: &Store, rows: &[u32], placer: &Placer, slots: &GroupSlots) -> Census {
    let mut totals = vec![0u64; slots.count];
    let mut unplaced = 0u32;
    let (mut lo, mut hi) = (i32::MAX, i32::MIN);
    let e = &store.events;
    let mut table_buckets = placer
        .table
        .as_ref()
        .map(|_| Vec::with_capacity(rows.len()));
    for &r in rows {
        let i = r as usize;
        let placed = match (&placer.table, &mut table_buckets) {
            (Some(t), Some(buckets)) => {
                let b = t.place(e.day_start[i], e.day_end[i]);
                buckets.push(b.map_or(u32::MAX, |b| b as u32));
                b.map(|b| t.starts[b])
            }
            _ => placer.place(i),
        };
        match placed {
            Some(b) => {
                if slots.count > 1 {
                    totals[slots.slot_of_key(group_key(store, slots.group_by, i))] += 1;
                } else {
                    totals[0] += 1;
                }
                lo = lo.min(b);
                hi = hi.max(b);
            }
            None => unplaced += 1,
        }
    }
    Census {
        totals,
        unplaced,
        span: (lo, hi),
        table_buckets,
    }
}

/// A reported observation placed by the same rule as events.
struct ReportPoint {
    series: usize,
    /// The observation's index in its series.
    observation: usize,
    bucket: Option<i32>,
    /// The number to draw; `None` for a figure given only in words.
    value: Option<f64>,
    qualifier: Qualifier,
    /// The figure as shown ("about 5", "hundreds").
    figure: String,
    /// The observation's period in words.
    label: String,
    /// Its first and last day numbers.
    days: Option<(i32, i32)>,
}

fn report_points(store: &Store, bucket: BucketSize) -> Vec<ReportPoint> {
    let mut points = Vec::new();
    for (s, series) in store.meta.series.iter().enumerate() {
        for (observation, o) in series.observations.iter().enumerate() {
            let label = o
                .period
                .map_or_else(|| "undated".to_string(), |p| p.label());
            let days = o
                .period
                .map(|p| (day_number(p.start()), day_number(p.end())));
            points.push(ReportPoint {
                series: s,
                observation,
                bucket: days.and_then(|(first, last)| bucket.place(first, last)),
                value: o.plotted(),
                qualifier: o.qualifier,
                figure: o.figure(),
                label,
                days,
            });
        }
    }
    points
}

/// Every bucket from the one starting `lo` to the one starting `hi`, empty ones included.
fn periods_between(bucket: BucketSize, lo: i32, hi: i32) -> Vec<Period> {
    let mut periods = Vec::new();
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
    periods
}

/// The groups drawn: the `top_n` largest (then "Other"), each with its colour rank, and the
/// group of every slot.
fn top_groups(
    store: &Store,
    spec: SeriesSpec,
    slots: &GroupSlots,
    totals: &[u64],
    periods: usize,
    facets: Option<&super::Facets>,
) -> (Vec<GroupSeries>, Vec<u32>) {
    let mut order: Vec<(u32, u64)> = totals
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(slot, &n)| (slots.key_of_slot(slot), n))
        .collect();
    let name = |key: u32| group_name(store, spec.group_by, key);
    order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name(a.0).cmp(&name(b.0))));
    let folded = order.len() > spec.top_n.max(1);
    order.truncate(spec.top_n.max(1));
    let empty = |name: String, colour_rank: Option<usize>| GroupSeries {
        name,
        counts: vec![0; periods],
        fatalities: vec![0; periods],
        colour_rank,
    };
    let mut groups: Vec<GroupSeries> = order
        .iter()
        .map(|&(k, _)| {
            let name = name(k);
            let rank = facets.and_then(|f| f.rank(spec.group_by, &name, store));
            empty(name, rank)
        })
        .collect();
    if folded || groups.is_empty() {
        let other = if folded {
            "Other".to_string()
        } else {
            group_name(store, GroupBy::None, 0)
        };
        groups.push(empty(other, None));
    }
    let mut group_of_slot = vec![(groups.len() - 1) as u32; slots.count];
    for (g, &(k, _)) in order.iter().enumerate() {
        group_of_slot[slots.slot_of_key(k)] = g as u32;
    }
    (groups, group_of_slot)
}

/// The reported series on the periods; observations that fit none are kept in words.
fn align_reports(
    store: &Store,
    points: Vec<ReportPoint>,
    periods: &[Period],
) -> Vec<AlignedReport> {
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
            observations: vec![None; periods.len()],
            spans: vec![None; periods.len()],
            unaligned: Vec::new(),
        })
        .collect();
    // Several observations of one series in one period (weeks in a month) are not one
    // figure: none of them is drawn there, all are kept in words.
    let mut placed: HashMap<(usize, usize), Vec<ReportPoint>> = HashMap::new();
    for point in points {
        let period = point.bucket.and_then(|b| period_of_start(periods, b));
        match (period, point.value) {
            (Some(p), Some(_)) => placed.entry((point.series, p)).or_default().push(point),
            (None, _) if point.bucket.is_some() => {} // outside a fixed range
            // Undated, across buckets, or in words only: said, not drawn.
            _ => reported[point.series]
                .unaligned
                .push(format!("{}: {}", point.label, point.figure)),
        }
    }
    let mut placed: Vec<_> = placed.into_iter().collect();
    placed.sort_by_key(|((s, p), _)| (*s, *p));
    for ((s, p), observations) in placed {
        match observations.as_slice() {
            [one] => {
                reported[s].values[p] = one.value.map(|v| (v, one.qualifier));
                reported[s].observations[p] = Some(one.observation);
                let period = &periods[p];
                let whole = one.days == Some((period.start, period.end - 1));
                reported[s].spans[p] = (!whole).then(|| one.label.clone());
            }
            several => reported[s]
                .unaligned
                .extend(several.iter().map(|o| format!("{}: {}", o.label, o.figure))),
        }
    }
    reported
}

/// Counts the events `rows` of `store` over time, with the reported series aligned.
/// `range` (day numbers, inclusive) fixes the axis; without it the axis spans the placed
/// events and the reported observations. With the dataset's `facets`, each group gets its
/// colour rank.
pub fn time_series(
    store: &Store,
    rows: &[u32],
    spec: SeriesSpec,
    range: Option<(i32, i32)>,
    facets: Option<&super::Facets>,
) -> TimeSeries {
    let mut counting = Counting::new(store, rows, spec, range, facets);

    // Pass 2: count.
    let e = &store.events;
    let mut groups = std::mem::take(&mut counting.groups);
    let one_group = counting.slots.count == 1;
    for (&r, period) in rows.iter().zip(counting.period_of_rows(rows)) {
        let i = r as usize;
        let Some(p) = period else {
            continue; // unplaced, or outside a fixed range
        };
        let g = if one_group {
            counting.group_of_slot[0] as usize
        } else {
            let slot = counting
                .slots
                .slot_of_key(group_key(store, spec.group_by, i));
            counting.group_of_slot[slot] as usize
        };
        groups[g].counts[p] += 1;
        let f = e.fatalities[i];
        if f != NO_COUNT {
            groups[g].fatalities[p] += u64::from(f);
        }
    }
    TimeSeries {
        bucket: spec.bucket,
        group_by: spec.group_by,
        reported: align_reports(store, counting.points, &counting.periods),
        periods: counting.periods,
        groups,
        unplaced: counting.unplaced,
    }
}

/// The rows among `rows` that [`time_series`] (with the same arguments) counts in period
/// `period` of group `group` (of every group when `None`): the events behind one bar.
pub fn rows_behind(
    store: &Store,
    rows: &[u32],
    spec: SeriesSpec,
    range: Option<(i32, i32)>,
    (period, group): (usize, Option<usize>),
) -> Vec<u32> {
    // Colour ranks (the facets) do not decide which group a row is in.
    let counting = Counting::new(store, rows, spec, range, None);
    let period_of = counting.placer.period_index(&counting.periods);
    rows.iter()
        .copied()
        .filter(|&r| {
            let i = r as usize;
            period_of(i) == Some(period)
                && group.is_none_or(|g| {
                    let slot = counting
                        .slots
                        .slot_of_key(group_key(store, spec.group_by, i));
                    counting.group_of_slot[slot] as usize == g
                })
        })
        .collect()
}

/// The rows behind every bar at once: `[group][period]`, each ascending — one pass over
/// `rows` (for CSV exports with the ids behind each number).
pub fn rows_by_bar(
    store: &Store,
    rows: &[u32],
    spec: SeriesSpec,
    range: Option<(i32, i32)>,
) -> Vec<Vec<Vec<u32>>> {
    let counting = Counting::new(store, rows, spec, range, None);
    let mut cells = vec![vec![Vec::new(); counting.periods.len()]; counting.groups.len()];
    let period_of = counting.placer.period_index(&counting.periods);
    for &r in rows {
        let i = r as usize;
        if let Some(p) = period_of(i) {
            let slot = counting
                .slots
                .slot_of_key(group_key(store, spec.group_by, i));
            cells[counting.group_of_slot[slot] as usize][p].push(r);
        }
    }
    cells
}

/// Everything counting needs before it counts: where events go (the placer and the
/// periods) and which group each value belongs to. [`time_series`] counts with it and
/// [`rows_behind`] selects with it, so a bar and the rows behind it cannot disagree.
struct Counting<'a> {
    placer: Placer<'a>,
    slots: GroupSlots,
    periods: Vec<Period>,
    groups: Vec<GroupSeries>,
    group_of_slot: Vec<u32>,
    points: Vec<ReportPoint>,
    unplaced: u32,
    table_buckets: Option<Vec<u32>>,
}

impl<'a> Counting<'a> {
    fn new(
        store: &'a Store,
        rows: &[u32],
        spec: SeriesSpec,
        range: Option<(i32, i32)>,
        facets: Option<&super::Facets>,
    ) -> Counting<'a> {
        let bucket = spec.bucket;
        let placer = Placer::new(store, rows, bucket, range);
        let slots = GroupSlots::new(store, spec.group_by);
        let Census {
            totals,
            unplaced,
            span: (mut lo, mut hi),
            table_buckets,
        } = census(store, rows, &placer, &slots);
        let points = report_points(store, bucket);
        let (lo, hi) = match range {
            Some((a, b)) => (bucket.start_of(a), bucket.start_of(b)),
            None => {
                for b in points.iter().filter_map(|p| p.bucket) {
                    lo = lo.min(b);
                    hi = hi.max(b);
                }
                (lo, hi)
            }
        };
        let periods = periods_between(bucket, lo, hi);
        let (groups, group_of_slot) =
            top_groups(store, spec, &slots, &totals, periods.len(), facets);
        Counting {
            placer,
            slots,
            periods,
            groups,
            group_of_slot,
            points,
            unplaced,
            table_buckets,
        }
    }

    /// Each row's period (by its place in `rows`): the census's table bucket when there is
    /// one, else placed again.
    fn period_of_rows<'r>(&'r self, rows: &'r [u32]) -> impl Iterator<Item = Option<usize>> + 'r {
        let period_of = self.placer.period_index(&self.periods);
        let offset = self.placer.table.as_ref().and_then(|t| {
            let first_period = self.periods.first()?.start;
            t.starts.iter().position(|&s| s == first_period)
        });
        let periods = self.periods.len();
        rows.iter()
            .enumerate()
            .map(move |(k, &r)| match (&self.table_buckets, offset) {
                (Some(buckets), Some(offset)) => (buckets[k] as usize)
                    .checked_sub(offset)
                    .filter(|&p| p < periods),
                _ => period_of(r as usize),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_table_places_every_span_as_the_calendar_does() {
        let first = day_number(chrono::NaiveDate::from_ymd_opt(2019, 12, 1).unwrap());
        let last = first + 800;
        for bucket in BucketSize::ALL {
            let table = DayBuckets::new(bucket, first, last).unwrap();
            for start in (first..last).step_by(3) {
                for len in [0, 1, 2, 6, 27, 28, 30, 31, 89, 92, 364, 365] {
                    let end = start + len;
                    if end > last {
                        continue;
                    }
                    let by_table = table.place(start, end).map(|b| table.starts[b]);
                    assert_eq!(
                        by_table,
                        bucket.place(start, end),
                        "{bucket:?} {start} {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn groupings_have_their_words() {
        let words: Vec<&str> = [
            GroupBy::None,
            GroupBy::EventType,
            GroupBy::SubEventType,
            GroupBy::Actor,
            GroupBy::Country,
            GroupBy::Source,
        ]
        .iter()
        .map(|g| g.label())
        .collect();
        assert_eq!(
            words,
            [
                "none",
                "event type",
                "sub-type",
                "actor",
                "country",
                "source"
            ]
        );
    }

    #[test]
    fn a_day_falls_in_the_period_that_holds_it() {
        let spec = SeriesSpec {
            bucket: BucketSize::Month,
            ..SeriesSpec::default()
        };
        let first = day_number(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        let last = day_number(chrono::NaiveDate::from_ymd_opt(2024, 3, 31).unwrap());
        let store = Store::new(crate::model::Dataset::default());
        let ts = time_series(&store, &[], spec, Some((first, last)), None);
        assert_eq!(ts.periods.len(), 3);
        assert_eq!(ts.period_of(first), Some(0));
        assert_eq!(ts.period_of(first + 30), Some(0), "31 January");
        assert_eq!(ts.period_of(first + 31), Some(1), "1 February");
        assert_eq!(ts.period_of(last), Some(2));
        assert_eq!(ts.period_of(first - 1), None);
        assert_eq!(ts.period_of(last + 1), None);
    }

    #[test]
    fn reported_values_are_written_beside_their_marks_only_when_few() {
        let series_of = |months: u32| crate::model::ReportedSeries {
            id: "s".into(),
            name: "S".into(),
            unit: "attacks".into(),
            reported_by: "r".into(),
            counted_by: None,
            description: None,
            observations: (0..months)
                .map(|m| crate::model::Observation {
                    period: Some(
                        format!("{}-{:02}", 2020 + m / 12, m % 12 + 1)
                            .parse()
                            .unwrap(),
                    ),
                    value: Some(f64::from(m)),
                    words: None,
                    qualifier: Qualifier::Exact,
                    note: None,
                    sources: Vec::new(),
                })
                .collect(),
        };
        for (months, labelled) in [(3, true), (36, true), (37, false)] {
            let store = Store::new(crate::model::Dataset {
                series: vec![series_of(months)],
                ..Default::default()
            });
            let ts = time_series(&store, &[], SeriesSpec::default(), None, None);
            assert_eq!(ts.labels_reported_values(), labelled, "{months} figures");
        }
    }

    #[test]
    fn groups_are_named_by_their_values_and_missing_ones_said_so() {
        let mut with = crate::model::Event::new(
            "e1".to_string(),
            "2024-01-05".parse().unwrap(),
            "Battles".to_string(),
        );
        with.actor1 = Some("a".to_string());
        with.location.country = Some("Northland".to_string());
        let without = crate::model::Event::new(
            "e2".to_string(),
            "2024-01-06".parse().unwrap(),
            "Protests".to_string(),
        );
        let store = Store::from_dataset(crate::model::Dataset {
            actors: vec![crate::model::Actor::named(
                "a",
                "Alpha Brigade",
                crate::model::ActorKind::ArmedGroup,
            )],
            events: vec![with, without],
            ..Default::default()
        });
        let names = |group_by: GroupBy| {
            let spec = SeriesSpec {
                group_by,
                ..SeriesSpec::default()
            };
            let mut names: Vec<String> = time_series(&store, &[0, 1], spec, None, None)
                .groups
                .into_iter()
                .map(|g| g.name)
                .collect();
            names.sort();
            names
        };
        assert_eq!(names(GroupBy::Actor), ["(no actor)", "Alpha Brigade"]);
        assert_eq!(names(GroupBy::Country), ["(none)", "Northland"]);
        assert_eq!(names(GroupBy::EventType), ["Battles", "Protests"]);
        assert_eq!(names(GroupBy::None), ["Events"]);
    }

    #[test]
    fn a_figure_for_part_of_a_period_is_named_by_its_own_days() {
        let store = Store::from_dataset(crate::seed::seed_dataset().unwrap());
        let ts = time_series(&store, &[], SeriesSpec::default(), None, None);
        let report = |id: &str| ts.reported.iter().find(|r| r.id == id).unwrap();
        let monthly = report("drone-launches-iraq-israel-monthly");
        let november = report("drone-attacks-iraq-israel-since-early-november");
        let month = |key: &str| ts.periods.iter().position(|p| p.key == key).unwrap();
        // Whole months are the bucket itself: no span of their own.
        assert_eq!(
            monthly.values[month("2024-10")],
            Some((90.0, Qualifier::Exact))
        );
        assert_eq!(monthly.spans[month("2024-10")], None);
        assert_eq!(monthly.observations[month("2024-10")], Some(2));
        // 1–21 November is not November.
        assert_eq!(
            november.values[month("2024-11")],
            Some((65.0, Qualifier::Exact))
        );
        assert_eq!(
            november.spans[month("2024-11")].as_deref(),
            Some("1–21 Nov 2024")
        );
    }

    #[test]
    fn a_fixed_axis_counts_only_what_falls_on_it() {
        let events = ["2024-01-10", "2024-02-10", "2024-03-10", "2024-04-10"]
            .iter()
            .enumerate()
            .map(|(i, d)| {
                crate::model::Event::new(format!("e{i}"), d.parse().unwrap(), "Battles".to_string())
            })
            .collect();
        let store = Store::from_dataset(crate::model::Dataset {
            events,
            ..Default::default()
        });
        let first = day_number(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        let last = day_number(chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        for bucket in [BucketSize::Day, BucketSize::Month] {
            let spec = SeriesSpec {
                bucket,
                ..SeriesSpec::default()
            };
            let ts = time_series(&store, &[0, 1, 2, 3], spec, Some((first, last)), None);
            assert_eq!(ts.totals().iter().sum::<u32>(), 2, "{bucket:?}");
            assert_eq!(ts.periods.last().unwrap().end, last + 1);
        }
    }
}
