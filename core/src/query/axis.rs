//! Date labels for a time axis at any range and bucket: every period when there is room,
//! else calendar boundaries far enough apart — month starts, quarters, years, decades — so
//! that an axis always has dates under it, on screen and in exported pictures alike.

use chrono::Datelike;

use super::aggregate::Period;
use super::buckets::BucketSize;
use crate::store::date_of;

/// One labelled place on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// The index of the period the label sits under.
    pub period: usize,
    /// The label ("Oct 2024", "2024").
    pub label: String,
}

/// Which periods get a label.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Level {
    /// Every `n`-th period, with the period's own label.
    Every(usize),
    /// The period holding the first day of every `n`-th month (January, then every n).
    Months(u32),
    /// The period holding 1 January of every year divisible by `n`.
    Years(i32),
}

fn bucket_days(bucket: BucketSize) -> f64 {
    match bucket {
        BucketSize::Day => 1.0,
        BucketSize::Week => 7.0,
        BucketSize::Month => 30.44,
        BucketSize::Quarter => 91.31,
        BucketSize::Year => 365.25,
    }
}

impl Level {
    /// How many periods apart its labels are, roughly.
    fn spacing(self, bucket: BucketSize) -> f64 {
        match self {
            Level::Every(n) => n as f64,
            Level::Months(n) => f64::from(n) * 30.44 / bucket_days(bucket),
            Level::Years(n) => f64::from(n) * 365.25 / bucket_days(bucket),
        }
    }

    /// Whether its boundaries fall on the bucket's own boundaries or within its periods
    /// evenly: every month under days and weeks, every month-multiple under months, only
    /// quarter-multiples under quarters (every second month would label quarters
    /// irregularly), no month under years.
    fn fits(self, bucket: BucketSize) -> bool {
        match (self, bucket) {
            (Level::Months(_), BucketSize::Year) => false,
            (Level::Months(n), BucketSize::Quarter) => n.is_multiple_of(3),
            _ => true,
        }
    }
}

const LEVELS: [Level; 18] = [
    Level::Every(1),
    Level::Every(2),
    Level::Months(1),
    Level::Every(4),
    Level::Months(3),
    Level::Months(6),
    Level::Years(1),
    Level::Years(2),
    Level::Years(5),
    Level::Years(10),
    Level::Years(20),
    Level::Years(50),
    Level::Years(100),
    Level::Years(200),
    Level::Years(500),
    Level::Years(1000),
    Level::Years(2000),
    Level::Years(5000),
];

/// The labels of an axis of `periods` (of `bucket` width), each period `period_width` wide,
/// where a label of `n` characters needs `room(n)` of the same unit (its width and the space
/// around it). The finest level whose labels have that room wins. Never empty when there are
/// periods: when no level fits, the first period is labelled.
pub fn date_ticks(
    periods: &[Period],
    bucket: BucketSize,
    period_width: f64,
    room: &dyn Fn(usize) -> f64,
) -> Vec<Tick> {
    if periods.is_empty() {
        return Vec::new();
    }
    let longest_period_label = periods.iter().map(|p| p.label.chars().count()).max();
    let chars = |level: Level| match level {
        Level::Every(_) => longest_period_label.unwrap_or(8),
        Level::Months(_) => 8,
        Level::Years(_) => 4,
    };
    let level = LEVELS
        .iter()
        .copied()
        .filter(|&l| {
            let gap = l.spacing(bucket).max(1.0) * period_width;
            l.fits(bucket) && gap >= room(chars(l))
        })
        // The closest labels that fit; between levels as close (every fourth quarter, or each
        // year), the calendar's.
        .min_by_key(|l| {
            let hundredths = (l.spacing(bucket) * 100.0).round() as i64;
            (hundredths / 2, matches!(l, Level::Every(_)))
        })
        .unwrap_or(Level::Years(10_000));
    let ticks = ticks_at(periods, level);
    if ticks.is_empty() {
        // A range shorter than the level's step: its first period says where it is.
        return vec![Tick {
            period: 0,
            label: periods[0].label.clone(),
        }];
    }
    ticks
}

fn ticks_at(periods: &[Period], level: Level) -> Vec<Tick> {
    match level {
        Level::Every(n) => periods
            .iter()
            .enumerate()
            .filter(|(i, _)| i % n == 0)
            .map(|(i, p)| Tick {
                period: i,
                label: p.label.clone(),
            })
            .collect(),
        Level::Months(n) => boundaries(periods, |day| {
            let d = date_of(day);
            (d.day() == 1 && (d.month() - 1).is_multiple_of(n)).then(|| {
                if n >= 3 && d.month() == 1 {
                    d.year().to_string()
                } else {
                    format!("{} {}", crate::model::date::month_abbr(d.month()), d.year())
                }
            })
        }),
        Level::Years(n) => boundaries(periods, |day| {
            let d = date_of(day);
            (d.ordinal() == 1 && d.year().rem_euclid(n) == 0).then(|| d.year().to_string())
        }),
    }
}

/// A tick under each period that holds a day `label_of` labels, with that label.
fn boundaries(periods: &[Period], label_of: impl Fn(i32) -> Option<String>) -> Vec<Tick> {
    let mut ticks = Vec::new();
    for (i, p) in periods.iter().enumerate() {
        // Walk the period's days only as far as its first boundary; periods longer than a
        // year are not buckets.
        if let Some(label) = (p.start..p.end).find_map(&label_of) {
            ticks.push(Tick { period: i, label });
        }
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::day_number;

    fn day(date: chrono::NaiveDate) -> i32 {
        day_number(date)
    }

    fn room(chars: usize) -> f64 {
        chars as f64 * 8.0 + 40.0
    }

    fn periods(bucket: BucketSize, from: &str, count: usize) -> Vec<Period> {
        let mut start = bucket.start_of(day(from.parse().unwrap()));
        (0..count)
            .map(|_| {
                let end = bucket.next(start);
                let p = Period {
                    start,
                    end,
                    label: bucket.label(start),
                    key: bucket.key(start),
                };
                start = end;
                p
            })
            .collect()
    }

    #[test]
    fn fifteen_years_of_months_are_labelled_by_year() {
        let ps = periods(BucketSize::Month, "2004-01-01", 192);
        // 600 px for 192 bars, labels of 8 px a character and 40 px around: a month label
        // needs 104 px (34 months), a year label 72 px (24 months).
        let ticks = date_ticks(&ps, BucketSize::Month, 600.0 / 192.0, &room);
        let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            ["2004", "2006", "2008", "2010", "2012", "2014", "2016", "2018"]
        );
        assert_eq!(ticks[1].period, 24);
    }

    #[test]
    fn a_thousand_days_are_labelled_by_half_year() {
        let ps = periods(BucketSize::Day, "2022-03-15", 1000);
        // 900 px for 1,000 days: a month label needs 104 px, 116 days.
        let ticks = date_ticks(&ps, BucketSize::Day, 0.9, &room);
        let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Jul 2022", "2023", "Jul 2023", "2024", "Jul 2024"]);
        assert_eq!(date_of(ps[ticks[0].period].start).to_string(), "2022-07-01");
    }

    #[test]
    fn when_there_is_room_every_period_has_its_label() {
        let ps = periods(BucketSize::Month, "2024-08-01", 4);
        let labels: Vec<String> = date_ticks(&ps, BucketSize::Month, 200.0, &room)
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(labels, ["Aug 2024", "Sep 2024", "Oct 2024", "Nov 2024"]);
    }

    fn labels(ticks: &[Tick]) -> Vec<&str> {
        ticks.iter().map(|t| t.label.as_str()).collect()
    }

    #[test]
    fn weeks_are_labelled_by_month_or_quarter_and_quarters_by_half_year_or_year() {
        // 104 weeks in 520 px (5 px a week): a month label (104 px) needs 21 weeks, so
        // quarters (13 weeks) are too close and half-years (26 weeks) are taken.
        let weeks = periods(BucketSize::Week, "2023-01-02", 104);
        let ticks = date_ticks(&weeks, BucketSize::Week, 5.0, &room);
        assert_eq!(labels(&ticks), ["Jul 2023", "2024", "Jul 2024"]);
        // Each label stands under the week that holds its first day.
        for t in &ticks {
            let p = &weeks[t.period];
            let first = (p.start..p.end)
                .map(date_of)
                .find(|d| d.day() == 1)
                .unwrap();
            assert!(matches!(first.month(), 1 | 7), "{t:?}");
        }
        // With 10 px a week, quarters fit.
        let ticks = date_ticks(&weeks, BucketSize::Week, 10.0, &room);
        assert_eq!(
            labels(&ticks),
            ["Apr 2023", "Jul 2023", "Oct 2023", "2024", "Apr 2024", "Jul 2024", "Oct 2024"]
        );
        // 40 quarters, 12 px each: a label needs 104 px, 9 quarters: every second year.
        let quarters = periods(BucketSize::Quarter, "2010-01-01", 40);
        let ticks = date_ticks(&quarters, BucketSize::Quarter, 12.0, &room);
        assert_eq!(labels(&ticks), ["2010", "2012", "2014", "2016", "2018"]);
        // 55 px a quarter: half-years, never every second month.
        let ticks = date_ticks(&quarters[..8], BucketSize::Quarter, 55.0, &room);
        assert_eq!(labels(&ticks), ["2010", "Jul 2010", "2011", "Jul 2011"]);
        // Years are labelled by years, however wide.
        let years = periods(BucketSize::Year, "1990-01-01", 30);
        let ticks = date_ticks(&years, BucketSize::Year, 8.0, &room);
        assert_eq!(labels(&ticks), ["1990", "2000", "2010"]);
        let ticks = date_ticks(&years[..3], BucketSize::Year, 200.0, &room);
        assert_eq!(labels(&ticks), ["1990", "1991", "1992"]);
    }

    #[test]
    fn a_short_range_in_a_narrow_chart_still_says_where_it_is() {
        let ps = periods(BucketSize::Week, "2024-10-07", 3);
        let ticks = date_ticks(&ps, BucketSize::Week, 0.1, &room);
        assert_eq!(ticks.len(), 1);
        assert_eq!(ticks[0].label, ps[0].label);
        assert!(date_ticks(&[], BucketSize::Week, 1.0, &room).is_empty());
    }

    #[test]
    fn every_nth_period_is_labelled_from_the_first() {
        let ps = periods(BucketSize::Day, "2024-03-01", 10);
        let at: Vec<usize> = ticks_at(&ps, Level::Every(3))
            .iter()
            .map(|t| t.period)
            .collect();
        assert_eq!(at, [0, 3, 6, 9]);
    }
}
