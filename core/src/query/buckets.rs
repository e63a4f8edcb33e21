//! Time buckets — day, ISO week, month, quarter, year — and where an event belongs.
//!
//! Placement rule: an event goes in the bucket that holds the middle of its date span, if
//! its span is no longer than that bucket. Otherwise it is *unplaced* at that resolution:
//! a month-precision event has no day in a daily view, and is counted apart ("dated less
//! precisely than the bucket") instead of on a made-up day. ACLED's week-precision events
//! (±3 days around the coded day) land on the coded day's week, month, …

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::store::{date_of, day_number};

/// The width of a time bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BucketSize {
    /// One day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    #[default]
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    Year,
}

impl BucketSize {
    /// Every size, finest first.
    pub const ALL: [BucketSize; 5] = [
        BucketSize::Day,
        BucketSize::Week,
        BucketSize::Month,
        BucketSize::Quarter,
        BucketSize::Year,
    ];

    /// Lower-case word ("month").
    pub fn name(self) -> &'static str {
        match self {
            BucketSize::Day => "day",
            BucketSize::Week => "week",
            BucketSize::Month => "month",
            BucketSize::Quarter => "quarter",
            BucketSize::Year => "year",
        }
    }

    /// The first day (day number) of the bucket holding `day`.
    pub fn start_of(self, day: i32) -> i32 {
        let date = date_of(day);
        let first = match self {
            BucketSize::Day => return day,
            BucketSize::Week => {
                return day - date.weekday().num_days_from_monday() as i32;
            }
            BucketSize::Month => NaiveDate::from_ymd_opt(date.year(), date.month(), 1),
            BucketSize::Quarter => {
                NaiveDate::from_ymd_opt(date.year(), (date.month() - 1) / 3 * 3 + 1, 1)
            }
            BucketSize::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1),
        };
        first.map_or(day, day_number)
    }

    /// The first day of the bucket after the one starting at `start`.
    pub fn next(self, start: i32) -> i32 {
        let date = date_of(start);
        let months = match self {
            BucketSize::Day => return start + 1,
            BucketSize::Week => return start + 7,
            BucketSize::Month => 1,
            BucketSize::Quarter => 3,
            BucketSize::Year => 12,
        };
        date.checked_add_months(chrono::Months::new(months))
            .map_or(start + 1, day_number)
    }

    /// Where an event spanning `start..=end` (day numbers) goes: the start of its bucket,
    /// or `None` when its span is longer than the bucket (see the module docs).
    pub fn place(self, start: i32, end: i32) -> Option<i32> {
        let mid = start + (end - start) / 2;
        let bucket = self.start_of(mid);
        let length = self.next(bucket) - bucket;
        (end - start < length).then_some(bucket)
    }

    /// How a bucket is labelled on an axis: "4 Oct 2024", "W40 2024", "Oct 2024",
    /// "Q4 2024", "2024".
    pub fn label(self, start: i32) -> String {
        let d = date_of(start);
        match self {
            BucketSize::Day => format!(
                "{} {} {}",
                d.day(),
                crate::model::date::month_abbr(d.month()),
                d.year()
            ),
            BucketSize::Week => {
                let w = d.iso_week();
                format!("W{:02} {}", w.week(), w.year())
            }
            BucketSize::Month => {
                format!("{} {}", crate::model::date::month_abbr(d.month()), d.year())
            }
            BucketSize::Quarter => format!("Q{} {}", (d.month() - 1) / 3 + 1, d.year()),
            BucketSize::Year => d.year().to_string(),
        }
    }

    /// A bucket's key for CSV and JSON: "2024-10-04", "2024-W40", "2024-10", "2024-Q4",
    /// "2024".
    pub fn key(self, start: i32) -> String {
        let d = date_of(start);
        match self {
            BucketSize::Day => d.format("%Y-%m-%d").to_string(),
            BucketSize::Week => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            BucketSize::Month => format!("{}-{:02}", d.year(), d.month()),
            BucketSize::Quarter => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            BucketSize::Year => d.year().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> i32 {
        day_number(text.parse().unwrap())
    }

    #[test]
    fn iso_weeks_start_on_monday_and_cross_years() {
        // 1 Jan 2021 is a Friday in ISO week 53 of 2020, which starts on 28 Dec 2020.
        let start = BucketSize::Week.start_of(day("2021-01-01"));
        assert_eq!(start, day("2020-12-28"));
        assert_eq!(BucketSize::Week.key(start), "2020-W53");
        assert_eq!(BucketSize::Week.next(start), day("2021-01-04"));
    }

    #[test]
    fn months_quarters_and_years_handle_leap_days() {
        assert_eq!(
            BucketSize::Month.start_of(day("2024-02-29")),
            day("2024-02-01")
        );
        assert_eq!(BucketSize::Month.next(day("2024-02-01")), day("2024-03-01"));
        assert_eq!(
            BucketSize::Quarter.start_of(day("2024-05-31")),
            day("2024-04-01")
        );
        assert_eq!(BucketSize::Quarter.key(day("2024-04-01")), "2024-Q2");
        assert_eq!(BucketSize::Year.next(day("2024-01-01")), day("2025-01-01"));
        assert_eq!(BucketSize::Month.label(day("2024-08-01")), "Aug 2024");
    }

    #[test]
    fn imprecise_dates_are_never_placed_on_a_made_up_day() {
        let (s, e) = (day("2024-10-01"), day("2024-10-31"));
        assert_eq!(BucketSize::Day.place(s, e), None);
        assert_eq!(BucketSize::Week.place(s, e), None);
        assert_eq!(BucketSize::Month.place(s, e), Some(day("2024-10-01")));
        assert_eq!(BucketSize::Year.place(s, e), Some(day("2024-01-01")));
        // A whole leap year fits its year, not a quarter.
        let (s, e) = (day("2024-01-01"), day("2024-12-31"));
        assert_eq!(BucketSize::Quarter.place(s, e), None);
        assert_eq!(BucketSize::Year.place(s, e), Some(s));
        // A day fits everywhere.
        let d = day("2024-10-04");
        assert_eq!(BucketSize::Day.place(d, d), Some(d));
    }
}
