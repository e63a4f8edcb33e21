//! Playback: the dataset's time range cut into steps (a day, week, month, quarter or year
//! each), shown one after another — each step's window of days, or everything up to it
//! ("cumulative"). A step is a date range, so every view follows it through the filter.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::buckets::BucketSize;
use crate::store::date_of;

/// How playback steps through time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlaybackSpec {
    /// The length of a step.
    pub step: BucketSize,
    /// Show everything from the first day up to the step, not just the step's window.
    pub cumulative: bool,
}

impl Default for PlaybackSpec {
    fn default() -> Self {
        PlaybackSpec {
            step: BucketSize::Month,
            cumulative: false,
        }
    }
}

/// One step: the days it shows and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// First day shown.
    pub from: NaiveDate,
    /// Last day shown.
    pub to: NaiveDate,
    /// The step's own period: "Oct 2024", "W40 2024", "2024".
    pub label: String,
    /// The same for file names: "2024-10", "2024-W40", "2024".
    pub key: String,
}

/// How many steps cover `days` (first and last day numbers).
pub fn step_count(days: (i32, i32), spec: PlaybackSpec) -> usize {
    let (first, last) = days;
    let mut start = spec.step.start_of(first);
    let mut n = 0;
    while start <= last {
        n += 1;
        start = spec.step.next(start);
    }
    n
}

/// The `index`-th step over `days`, if there is one.
pub fn step_at(days: (i32, i32), spec: PlaybackSpec, index: usize) -> Option<Step> {
    let (first, last) = days;
    let mut start = spec.step.start_of(first);
    for _ in 0..index {
        start = spec.step.next(start);
    }
    if start > last {
        return None;
    }
    let end = spec.step.next(start) - 1;
    Some(Step {
        from: date_of(if spec.cumulative { first } else { start }),
        to: date_of(end),
        label: spec.step.label(start),
        key: spec.step.key(start),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::day_number;

    fn day(text: &str) -> i32 {
        day_number(text.parse().unwrap())
    }

    #[test]
    fn months_from_the_first_to_the_last_day() {
        let days = (day("2024-08-15"), day("2024-11-21"));
        let spec = PlaybackSpec::default();
        assert_eq!(step_count(days, spec), 4);
        let labels: Vec<String> = (0..4)
            .map(|k| step_at(days, spec, k).unwrap().label)
            .collect();
        assert_eq!(labels, ["Aug 2024", "Sep 2024", "Oct 2024", "Nov 2024"]);
        let oct = step_at(days, spec, 2).unwrap();
        assert_eq!(
            (oct.from.to_string(), oct.to.to_string()),
            ("2024-10-01".into(), "2024-10-31".into())
        );
        assert_eq!(step_at(days, spec, 4), None);
    }

    #[test]
    fn cumulative_steps_start_on_the_first_day() {
        let days = (day("2024-08-15"), day("2024-11-21"));
        let spec = PlaybackSpec {
            step: BucketSize::Month,
            cumulative: true,
        };
        let oct = step_at(days, spec, 2).unwrap();
        assert_eq!(oct.from.to_string(), "2024-08-15");
        assert_eq!(oct.to.to_string(), "2024-10-31");
    }

    #[test]
    fn weeks_and_years_cut_where_the_buckets_do() {
        // 2024-10-02 is a Wednesday: the first week starts on Monday 30 September.
        let days = (day("2024-10-02"), day("2024-10-20"));
        let spec = PlaybackSpec {
            step: BucketSize::Week,
            cumulative: false,
        };
        assert_eq!(step_count(days, spec), 3);
        let first = step_at(days, spec, 0).unwrap();
        assert_eq!(first.from.to_string(), "2024-09-30");
        assert_eq!(first.to.to_string(), "2024-10-06");
        let years = PlaybackSpec {
            step: BucketSize::Year,
            cumulative: false,
        };
        assert_eq!(
            step_count((day("1991-06-01"), day("2022-01-01")), years),
            32
        );
    }
}
