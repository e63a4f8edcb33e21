//! Two groups of the view side by side over time — two files (ACLED beside UCDP, last
//! month's release beside this month's), two actors, two countries — with the difference per
//! period in numbers and in words. The counts are the engine's: one time series split by the
//! grouping, so each side's numbers are the ones the timeline stacks.

use serde::{Deserialize, Serialize};

use super::aggregate::{GroupBy, Period, SeriesSpec, TimeSeries};
use super::buckets::BucketSize;
use crate::text::thousands;

/// What is counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Events.
    #[default]
    Events,
    /// Deaths (events without a reported number count as none).
    Deaths,
}

impl Measure {
    /// Both, for menus.
    pub const ALL: [Measure; 2] = [Measure::Events, Measure::Deaths];

    /// "events" or "deaths".
    pub fn label(self) -> &'static str {
        match self {
            Measure::Events => "events",
            Measure::Deaths => "deaths",
        }
    }
}

/// How many groups a comparison can choose from (the largest; the rest are folded).
pub const GROUPS_OFFERED: usize = 200;

/// What a comparison is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareSpec {
    /// Bucket width.
    pub bucket: BucketSize,
    /// What the two sides are groups of (files by default).
    pub group_by: GroupBy,
    /// Events or deaths.
    pub measure: Measure,
    /// The two groups by name; `None`: the largest group (first side) or the next (second).
    pub sides: [Option<String>; 2],
}

impl Default for CompareSpec {
    fn default() -> CompareSpec {
        CompareSpec {
            bucket: BucketSize::Month,
            group_by: GroupBy::File,
            measure: Measure::Events,
            sides: [None, None],
        }
    }
}

impl CompareSpec {
    /// The time series the comparison is read from.
    pub fn series_spec(&self) -> SeriesSpec {
        SeriesSpec {
            bucket: self.bucket,
            group_by: self.group_by,
            top_n: GROUPS_OFFERED,
        }
    }
}

/// One side: a group's name, colour and values per period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// The group ("acled_sudan.csv", "Battles").
    pub name: String,
    /// Its colour, as the timeline gives the group.
    #[serde(skip)]
    pub colour: crate::style::Rgb,
    /// Events or deaths per period.
    pub values: Vec<u64>,
}

/// Two groups side by side, period by period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Bucket width.
    pub bucket: BucketSize,
    /// What was counted.
    pub measure: Measure,
    /// What the sides are groups of.
    pub group_by: GroupBy,
    /// The periods.
    pub periods: Vec<Period>,
    /// The first and the second side.
    pub sides: [Side; 2],
    /// The groups one could compare, largest first.
    pub groups: Vec<String>,
    /// Events whose date is less precise than the bucket, in no period.
    pub unplaced: u32,
}

impl Comparison {
    /// The two sides of `series` that `spec` names (or the two largest groups); `None` when
    /// the series has fewer than two groups to compare.
    pub fn of(series: &TimeSeries, spec: &CompareSpec) -> Option<Comparison> {
        let groups: Vec<String> = series.groups.iter().map(|g| g.name.clone()).collect();
        if groups.len() < 2 {
            return None;
        }
        let find = |wanted: &Option<String>| {
            wanted
                .as_ref()
                .and_then(|w| groups.iter().position(|g| g == w))
        };
        // By default the two largest groups; files in the order they were given (a
        // file's colour rank is its place in the view).
        let mut order: Vec<usize> = (0..groups.len()).collect();
        if series.group_by == GroupBy::File {
            order.sort_by_key(|&g| series.groups[g].colour_rank.unwrap_or(usize::MAX));
        }
        let first = find(&spec.sides[0]).unwrap_or(order[0]);
        let second = find(&spec.sides[1])
            .filter(|&g| g != first)
            .or_else(|| order.iter().copied().find(|&g| g != first))
            .unwrap_or(first);
        let side = |g: usize| {
            let group = &series.groups[g];
            Side {
                name: group.name.clone(),
                colour: series.group_colour(g),
                values: match spec.measure {
                    Measure::Events => group.counts.iter().map(|&c| u64::from(c)).collect(),
                    Measure::Deaths => group.fatalities.clone(),
                },
            }
        };
        let mut sides = [side(first), side(second)];
        // Two groups the palette gives one colour (both folded, say) still look apart.
        if sides[0].colour == sides[1].colour {
            sides[1].colour = crate::style::OTHER;
            if sides[0].colour == sides[1].colour {
                sides[1].colour = crate::style::category(1);
            }
        }
        Some(Comparison {
            bucket: series.bucket,
            measure: spec.measure,
            group_by: series.group_by,
            periods: series.periods.clone(),
            sides,
            groups,
            unplaced: series.unplaced,
        })
    }

    /// "44 events dated less precisely than a month are in no period", when some are.
    pub fn unplaced_note(&self) -> Option<String> {
        (self.unplaced > 0).then(|| {
            format!(
                "{} dated less precisely than a {} {} in no period",
                crate::text::plural(self.unplaced as usize, "event"),
                self.bucket.name(),
                if self.unplaced == 1 { "is" } else { "are" }
            )
        })
    }

    /// The second side less the first in period `i`.
    pub fn difference(&self, i: usize) -> i64 {
        self.sides[1].values[i] as i64 - self.sides[0].values[i] as i64
    }

    /// Each side's total over the periods.
    pub fn totals(&self) -> [u64; 2] {
        [0, 1].map(|s| self.sides[s].values.iter().sum())
    }

    /// Period `i` in words: "acled.csv 12, ucdp.geojson 9 events in Oct 2024: 3 fewer in
    /// ucdp.geojson".
    pub fn words(&self, i: usize) -> String {
        let [a, b] = &self.sides;
        let label = self.periods.get(i).map_or("", |p| p.label.as_str());
        format!(
            "{} {}, {} {} {} in {label}: {}",
            a.name,
            thousands(a.values[i] as usize),
            b.name,
            thousands(b.values[i] as usize),
            self.measure.label(),
            gap(self.difference(i), &b.name)
        )
    }

    /// The whole span in words: "In all, acled.csv 52, ucdp.geojson 40 events: 12 fewer in
    /// ucdp.geojson (-23%)".
    pub fn summary(&self) -> String {
        let [a, b] = self.totals();
        let difference = b as i64 - a as i64;
        let share = if a > 0 && difference != 0 {
            format!(" ({:+.0}%)", difference as f64 / a as f64 * 100.0)
        } else {
            String::new()
        };
        format!(
            "In all, {} {}, {} {} {}: {}{share}",
            self.sides[0].name,
            thousands(a as usize),
            self.sides[1].name,
            thousands(b as usize),
            self.measure.label(),
            gap(difference, &self.sides[1].name)
        )
    }
}

/// "3 more in B", "3 fewer in B", "the same".
fn gap(difference: i64, second: &str) -> String {
    match difference {
        0 => "the same".to_string(),
        d if d > 0 => format!("{} more in {second}", thousands(d as usize)),
        d => format!("{} fewer in {second}", thousands(d.unsigned_abs() as usize)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::aggregate::GroupSeries;

    fn series() -> TimeSeries {
        let group = |name: &str, rank: usize, counts: Vec<u32>, fatalities: Vec<u64>| GroupSeries {
            name: name.into(),
            counts,
            fatalities,
            colour_rank: Some(rank),
        };
        let period = |key: &str, label: &str, start: i32, end: i32| Period {
            start,
            end,
            label: label.into(),
            key: key.into(),
        };
        TimeSeries {
            bucket: BucketSize::Month,
            group_by: GroupBy::File,
            periods: vec![
                period("2024-09", "Sep 2024", 19967, 19997),
                period("2024-10", "Oct 2024", 19997, 20028),
            ],
            groups: vec![
                group("acled.csv", 1, vec![12, 5], vec![30, 0]),
                group("ucdp.geojson", 2, vec![9, 5], vec![41, 2]),
                group("mine.json", 0, vec![1, 0], vec![0, 0]),
            ],
            unplaced: 0,
            reported: Vec::new(),
        }
    }

    #[test]
    fn the_sides_are_the_named_groups_or_the_two_largest() {
        // Files: the first two in the view's order.
        let c = Comparison::of(&series(), &CompareSpec::default()).unwrap();
        assert_eq!(c.sides[0].name, "mine.json");
        assert_eq!(c.sides[1].name, "acled.csv");
        // Other groups: the two largest.
        let mut ts = series();
        ts.group_by = GroupBy::Country;
        let c = Comparison::of(&ts, &CompareSpec::default()).unwrap();
        assert_eq!(c.sides[0].name, "acled.csv");
        assert_eq!(c.sides[1].name, "ucdp.geojson");
        assert_eq!(c.difference(0), -3);
        assert_eq!(c.totals(), [17, 14]);
        let spec = CompareSpec {
            sides: [Some("mine.json".into()), None],
            measure: Measure::Deaths,
            ..CompareSpec::default()
        };
        let c = Comparison::of(&ts, &spec).unwrap();
        assert_eq!(c.sides[0].name, "mine.json");
        assert_eq!(c.sides[1].name, "acled.csv", "the largest other group");
        assert_eq!(c.sides[1].values, [30, 0]);
        // A name no group has falls back to the largest.
        let spec = CompareSpec {
            sides: [Some("gone.csv".into()), Some("ucdp.geojson".into())],
            ..CompareSpec::default()
        };
        let c = Comparison::of(&ts, &spec).unwrap();
        assert_eq!(c.sides[0].name, "acled.csv");
    }

    #[test]
    fn the_gap_is_said_in_words() {
        let spec = CompareSpec {
            sides: [Some("acled.csv".into()), Some("ucdp.geojson".into())],
            ..CompareSpec::default()
        };
        let c = Comparison::of(&series(), &spec).unwrap();
        assert_eq!(
            c.words(0),
            "acled.csv 12, ucdp.geojson 9 events in Sep 2024: 3 fewer in ucdp.geojson"
        );
        assert_eq!(
            c.words(1),
            "acled.csv 5, ucdp.geojson 5 events in Oct 2024: the same"
        );
        assert_eq!(
            c.summary(),
            "In all, acled.csv 17, ucdp.geojson 14 events: 3 fewer in ucdp.geojson (-18%)"
        );
    }

    #[test]
    fn one_group_is_nothing_to_compare_and_two_are_enough() {
        let mut ts = series();
        ts.groups.truncate(2);
        assert!(Comparison::of(&ts, &CompareSpec::default()).is_some());
        ts.groups.truncate(1);
        assert!(Comparison::of(&ts, &CompareSpec::default()).is_none());
    }

    #[test]
    fn each_side_keeps_its_groups_colour_and_two_of_one_colour_are_told_apart() {
        let ts = series();
        let c = Comparison::of(&ts, &CompareSpec::default()).unwrap();
        assert_eq!(c.sides[0].colour, ts.group_colour(2), "mine.json's");
        assert_eq!(c.sides[1].colour, ts.group_colour(0), "acled.csv's");
        let mut same = series();
        for g in &mut same.groups {
            g.colour_rank = None;
        }
        let c = Comparison::of(&same, &CompareSpec::default()).unwrap();
        assert_eq!(c.sides[0].colour, same.group_colour(0));
        assert_ne!(c.sides[0].colour, c.sides[1].colour);
    }

    #[test]
    fn more_in_the_second_side_is_said_and_no_share_of_nothing_is_given() {
        let spec = CompareSpec {
            sides: [Some("ucdp.geojson".into()), Some("acled.csv".into())],
            ..CompareSpec::default()
        };
        let c = Comparison::of(&series(), &spec).unwrap();
        assert_eq!(
            c.words(0),
            "ucdp.geojson 9, acled.csv 12 events in Sep 2024: 3 more in acled.csv"
        );
        assert_eq!(
            c.summary(),
            "In all, ucdp.geojson 14, acled.csv 17 events: 3 more in acled.csv (+21%)"
        );
        // A first side of no events: the gap, but no share of nothing.
        let mut ts = series();
        ts.groups[1].counts = vec![0, 0];
        let c = Comparison::of(&ts, &spec).unwrap();
        assert_eq!(
            c.summary(),
            "In all, ucdp.geojson 0, acled.csv 17 events: 17 more in acled.csv"
        );
    }

    #[test]
    fn events_in_no_period_are_said() {
        let mut ts = series();
        let c = Comparison::of(&ts, &CompareSpec::default()).unwrap();
        assert_eq!(c.unplaced_note(), None);
        ts.unplaced = 3;
        let c = Comparison::of(&ts, &CompareSpec::default()).unwrap();
        assert_eq!(
            c.unplaced_note().as_deref(),
            Some("3 events dated less precisely than a month are in no period")
        );
        ts.unplaced = 1;
        let c = Comparison::of(&ts, &CompareSpec::default()).unwrap();
        assert_eq!(
            c.unplaced_note().as_deref(),
            Some("1 event dated less precisely than a month is in no period")
        );
    }
}
