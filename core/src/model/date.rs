//! Dates with an honest precision.
//!
//! A conflict event is rarely known to the minute: sources say "on 4 October", "in
//! November", "since early November". [`DateSpan`] keeps exactly what was said — a day, a
//! month, a year or a range of days — so nothing downstream has to invent a day.
//!
//! The textual form (used by the native format) is ISO 8601: `2024-10-04`, `2024-10`,
//! `2024`, or an interval `2024-11-01/2024-11-10`.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How precisely a [`DateSpan`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// A single calendar day.
    Day,
    /// A range of days (e.g. "early November 2024", or an ACLED week).
    Range,
    /// A calendar month.
    Month,
    /// A calendar year.
    Year,
}

impl DatePrecision {
    /// Lower-case English word, for tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Range => "range",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

/// A date as precisely as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateSpan {
    /// One day.
    Day(NaiveDate),
    /// A whole calendar month (`month` is 1–12).
    Month {
        /// Calendar year.
        year: i32,
        /// Month, 1–12.
        month: u32,
    },
    /// A whole calendar year.
    Year(i32),
    /// An inclusive range of days; `start <= end` always holds.
    Range {
        /// First day of the range.
        start: NaiveDate,
        /// Last day of the range (inclusive).
        end: NaiveDate,
    },
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DateError(pub String);

const MONTH_ABBR: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Short English month name ("Jan" … "Dec") for a month number 1–12.
pub fn month_abbr(month: u32) -> &'static str {
    MONTH_ABBR
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("???")
}

/// Number of days in a month of a year (handles leap years).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    match (
        NaiveDate::from_ymd_opt(ny, nm, 1),
        NaiveDate::from_ymd_opt(year, month, 1),
    ) {
        (Some(next), Some(first)) => (next - first).num_days() as u32,
        _ => 0,
    }
}

/// Builds a day, or says precisely why it does not exist ("31 February 2020 does not exist").
pub fn checked_day(year: i32, month: u32, day: u32) -> Result<NaiveDate, DateError> {
    if !(1..=12).contains(&month) {
        return Err(DateError(format!("month {month} is not between 1 and 12")));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        DateError(format!(
            "{day} {} {year} does not exist ({} {year} has {} days)",
            month_abbr(month),
            month_abbr(month),
            days_in_month(year, month)
        ))
    })
}

impl DateSpan {
    /// A range; errors when it ends before it starts. A one-day range becomes a [`DateSpan::Day`].
    pub fn range(start: NaiveDate, end: NaiveDate) -> Result<DateSpan, DateError> {
        if end < start {
            return Err(DateError(format!(
                "the range ends ({end}) before it starts ({start})"
            )));
        }
        if end == start {
            return Ok(DateSpan::Day(start));
        }
        Ok(DateSpan::Range { start, end })
    }

    /// A month; errors when `month` is not 1–12.
    pub fn month(year: i32, month: u32) -> Result<DateSpan, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError(format!("month {month} is not between 1 and 12")));
        }
        Ok(DateSpan::Month { year, month })
    }

    /// The precision of this date.
    pub fn precision(&self) -> DatePrecision {
        match self {
            DateSpan::Day(_) => DatePrecision::Day,
            DateSpan::Month { .. } => DatePrecision::Month,
            DateSpan::Year(_) => DatePrecision::Year,
            DateSpan::Range { .. } => DatePrecision::Range,
        }
    }

    /// First day covered.
    pub fn start(&self) -> NaiveDate {
        match *self {
            DateSpan::Day(d) => d,
            DateSpan::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
            }
            DateSpan::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN),
            DateSpan::Range { start, .. } => start,
        }
    }

    /// Last day covered (inclusive).
    pub fn end(&self) -> NaiveDate {
        match *self {
            DateSpan::Day(d) => d,
            DateSpan::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, days_in_month(year, month))
                    .unwrap_or(NaiveDate::MAX)
            }
            DateSpan::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX),
            DateSpan::Range { end, .. } => end,
        }
    }

    /// ISO 8601 text: `2024-10-04`, `2024-10`, `2024` or `2024-11-01/2024-11-10`.
    pub fn to_iso(&self) -> String {
        self.to_string()
    }

    /// Human text at the date's precision: "4 Oct 2024", "Oct 2024", "2024",
    /// "early Nov 2024", "1–7 Oct 2024", "28 Sep – 3 Oct 2024".
    pub fn label(&self) -> String {
        match *self {
            DateSpan::Day(d) => format!("{} {} {}", d.day(), month_abbr(d.month()), d.year()),
            DateSpan::Month { year, month } => format!("{} {year}", month_abbr(month)),
            DateSpan::Year(y) => y.to_string(),
            DateSpan::Range { start, end } => range_label(start, end),
        }
    }
}

fn range_label(start: NaiveDate, end: NaiveDate) -> String {
    let (sy, sm, sd) = (start.year(), start.month(), start.day());
    let (ey, em, ed) = (end.year(), end.month(), end.day());
    if sy == ey && sm == em {
        let last = days_in_month(sy, sm);
        let part = match (sd, ed) {
            (1, e) if e == last => Some(""),
            (1, 10) => Some("early "),
            (11, 20) => Some("mid "),
            (21, e) if e == last => Some("late "),
            _ => None,
        };
        if let Some(part) = part {
            return format!("{part}{} {sy}", month_abbr(sm));
        }
        return format!("{sd}–{ed} {} {sy}", month_abbr(sm));
    }
    if sy == ey && sd == 1 && sm == 1 && em == 12 && ed == 31 {
        return sy.to_string();
    }
    if sy == ey {
        return format!("{sd} {} – {ed} {} {sy}", month_abbr(sm), month_abbr(em));
    }
    format!(
        "{sd} {} {sy} – {ed} {} {ey}",
        month_abbr(sm),
        month_abbr(em)
    )
}

impl fmt::Display for DateSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DateSpan::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            DateSpan::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            DateSpan::Year(y) => write!(f, "{y:04}"),
            DateSpan::Range { start, end } => {
                write!(f, "{}/{}", start.format("%Y-%m-%d"), end.format("%Y-%m-%d"))
            }
        }
    }
}

fn parse_number(text: &str, what: &str, whole: &str) -> Result<i64, DateError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 9 {
        return Err(DateError(format!(
            "'{whole}' is not a date: the {what} '{text}' is not a number (expected YYYY-MM-DD, YYYY-MM, YYYY or START/END)"
        )));
    }
    text.parse::<i64>()
        .map_err(|_| DateError(format!("'{whole}': bad {what} '{text}'")))
}

fn parse_single(text: &str, whole: &str) -> Result<DateSpan, DateError> {
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [y] => {
            let year = parse_number(y, "year", whole)?;
            if y.len() != 4 {
                return Err(DateError(format!(
                    "'{whole}' is not a date: the year must have four digits"
                )));
            }
            Ok(DateSpan::Year(year as i32))
        }
        [y, m] => {
            let year = parse_number(y, "year", whole)? as i32;
            let month = parse_number(m, "month", whole)? as u32;
            if y.len() != 4 || m.len() != 2 {
                return Err(DateError(format!(
                    "'{whole}' is not a date: write a month as YYYY-MM"
                )));
            }
            DateSpan::month(year, month).map_err(|e| DateError(format!("'{whole}': {e}")))
        }
        [y, m, d] => {
            let year = parse_number(y, "year", whole)? as i32;
            let month = parse_number(m, "month", whole)? as u32;
            let day = parse_number(d, "day", whole)? as u32;
            if y.len() != 4 || m.len() != 2 || d.len() != 2 {
                return Err(DateError(format!(
                    "'{whole}' is not a date: write a day as YYYY-MM-DD"
                )));
            }
            checked_day(year, month, day)
                .map(DateSpan::Day)
                .map_err(|e| DateError(format!("'{whole}': {e}")))
        }
        _ => Err(DateError(format!(
            "'{whole}' is not a date (expected YYYY-MM-DD, YYYY-MM, YYYY or START/END)"
        ))),
    }
}

impl FromStr for DateSpan {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        if let Some((a, b)) = text.split_once('/') {
            let start = parse_single(a, text)?.start();
            let end = parse_single(b, text)?.end();
            return DateSpan::range(start, end).map_err(|e| DateError(format!("'{text}': {e}")));
        }
        parse_single(text, text)
    }
}

impl Serialize for DateSpan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateSpan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn iso_text_round_trips_for_every_precision() {
        for text in ["2024-10-04", "2024-10", "2024", "2024-11-01/2024-11-10"] {
            let date: DateSpan = text.parse().unwrap();
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn month_covers_its_whole_month_including_leap_february() {
        let feb: DateSpan = "2024-02".parse().unwrap();
        assert_eq!(feb.start(), day(2024, 2, 1));
        assert_eq!(feb.end(), day(2024, 2, 29));
        assert_eq!(feb.precision(), DatePrecision::Month);
    }

    #[test]
    fn impossible_days_are_rejected_with_a_reason() {
        let err = "2023-02-29".parse::<DateSpan>().unwrap_err();
        assert!(err.0.contains("does not exist"), "{err}");
        assert!("2024-13".parse::<DateSpan>().is_err());
        assert!("24-10-04".parse::<DateSpan>().is_err());
        assert!("yesterday".parse::<DateSpan>().is_err());
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_an_error() {
        let err = "2024-11-10/2024-11-01".parse::<DateSpan>().unwrap_err();
        assert!(err.0.contains("before it starts"), "{err}");
    }

    #[test]
    fn labels_say_what_is_known_and_no_more() {
        let label = |t: &str| t.parse::<DateSpan>().unwrap().label();
        assert_eq!(label("2024-10-04"), "4 Oct 2024");
        assert_eq!(label("2024-10"), "Oct 2024");
        assert_eq!(label("2024-11-01/2024-11-10"), "early Nov 2024");
        assert_eq!(label("2024-11-21/2024-11-30"), "late Nov 2024");
        assert_eq!(label("2024-10-07/2024-10-13"), "7–13 Oct 2024");
        assert_eq!(label("2024-09-30/2024-10-06"), "30 Sep – 6 Oct 2024");
    }

    #[test]
    fn precisions_have_their_words() {
        let words: Vec<&str> = [
            DatePrecision::Day,
            DatePrecision::Range,
            DatePrecision::Month,
            DatePrecision::Year,
        ]
        .iter()
        .map(|p| p.as_str())
        .collect();
        assert_eq!(words, ["day", "range", "month", "year"]);
    }

    #[test]
    fn a_range_is_a_year_only_when_it_runs_from_1_january_to_31_december() {
        let label = |t: &str| t.parse::<DateSpan>().unwrap().label();
        assert_eq!(label("2024-01-01/2024-12-31"), "2024");
        assert_eq!(label("2024-01-02/2024-12-31"), "2 Jan – 31 Dec 2024");
        assert_eq!(label("2024-01-01/2024-12-30"), "1 Jan – 30 Dec 2024");
        assert_eq!(label("2024-02-01/2024-12-31"), "1 Feb – 31 Dec 2024");
        assert_eq!(label("2024-01-01/2024-11-30"), "1 Jan – 30 Nov 2024");
    }

    #[test]
    fn an_empty_part_of_a_date_is_not_a_number() {
        for text in ["2024-", "2024--05", "-05"] {
            let err = text.parse::<DateSpan>().unwrap_err().to_string();
            assert!(err.contains("is not a number"), "{text}: {err}");
        }
    }
}
