//! Reading the many date spellings found in event exports: `9-May-20`, `03 December 2020`,
//! `01-January-2015`, `31-12-19`, `2021-01-02T00:00:00Z`, `2024-11-01`, `20240115`.
//!
//! All-numeric dates such as `05-06-19` are ambiguous: the day/month order is decided for the
//! whole column ([`NumericOrder`]), never row by row.

use chrono::NaiveDate;

use crate::model::date::checked_day;

/// A date as read from one cell, before the column's day/month order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellDate {
    /// Unambiguous: ISO, or with a month name.
    Known(NaiveDate),
    /// All-numeric `a-b-year` where `a` and `b` could each be the day or the month.
    Numeric {
        /// First number.
        a: u32,
        /// Second number.
        b: u32,
        /// Four-digit year.
        year: i32,
    },
}

/// The order of day and month in an all-numeric date column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericOrder {
    /// `31-12-19`: day first (ACLED's and most of the world's order).
    DayFirst,
    /// `12-31-19`: month first.
    MonthFirst,
}

/// Collects evidence of the day/month order of a column as its cells are read.
#[derive(Debug, Default, Clone)]
pub struct OrderEvidence {
    day_first_only: u64,
    month_first_only: u64,
}

impl OrderEvidence {
    /// Notes one numeric cell: a first number above 12 can only be a day, and so on.
    pub fn observe(&mut self, a: u32, b: u32) {
        if a > 12 && b <= 12 {
            self.day_first_only += 1;
        } else if b > 12 && a <= 12 {
            self.month_first_only += 1;
        }
    }

    /// Adds the evidence of another part of the same column.
    pub fn merge(&mut self, other: &OrderEvidence) {
        self.day_first_only += other.day_first_only;
        self.month_first_only += other.month_first_only;
    }

    /// The order for the column: the one the evidence supports; day-first when nothing
    /// decides (every cell has both numbers ≤ 12) or when the evidence is split, in which
    /// case the cells that contradict it become row problems.
    pub fn decide(&self) -> NumericOrder {
        if self.month_first_only > self.day_first_only {
            NumericOrder::MonthFirst
        } else {
            NumericOrder::DayFirst
        }
    }
}

/// Resolves a numeric cell under the column's order.
pub fn resolve_numeric(
    a: u32,
    b: u32,
    year: i32,
    order: NumericOrder,
) -> Result<NaiveDate, String> {
    let (day, month) = match order {
        NumericOrder::DayFirst => (a, b),
        NumericOrder::MonthFirst => (b, a),
    };
    let order_name = match order {
        NumericOrder::DayFirst => "day-month-year",
        NumericOrder::MonthFirst => "month-day-year",
    };
    checked_day(year, month, day).map_err(|e| format!("{e} (the column reads as {order_name})"))
}

/// The month a name or its abbreviation stands for ("October", "Oct", "Oct.", "Sept").
pub(crate) fn month_from_name(name: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // Compared without case, in place (this runs for every date of a large file).
    let name = name.trim().trim_end_matches('.');
    if name.len() < 3 {
        return None;
    }
    let abbreviates = |full: &str| {
        name.len() <= 4
            && full
                .get(..name.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(name))
    };
    NAMES
        .iter()
        .position(|full| {
            full.eq_ignore_ascii_case(name)
                || abbreviates(full)
                || (name.eq_ignore_ascii_case("sept") && *full == "september")
        })
        .map(|i| i as u32 + 1)
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A two-digit year read as 1970–2069; four digits as they are.
fn year(text: &str) -> Option<i32> {
    let n = number(text)? as i32;
    match text.len() {
        2 if n >= 70 => Some(1900 + n),
        2 => Some(2000 + n),
        4 => Some(n),
        _ => None,
    }
}

/// Reads one date cell. Errors are phrases for a row problem ("'31-Feb-20': 31 Feb 2020 does
/// not exist").
pub fn parse_cell(raw: &str) -> Result<CellDate, String> {
    let text = raw.trim().trim_matches('"').trim();
    if text.is_empty() {
        return Err("the date is empty".into());
    }
    if text.len() > 64 {
        return Err(format!(
            "'{}' is not a date (a date cell holds {} bytes)",
            crate::text::cut(text, 40),
            text.len()
        ));
    }
    let fail = |why: &str| Err(format!("'{text}' {why}"));
    // Drop a time part: `2021-01-02T00:00:00Z`, `2021-01-02 00:00:00`.
    let date_part = match text.find(['T', ' ']) {
        Some(i)
            if text[..i].contains('-')
                && text.as_bytes()[..i].iter().filter(|b| **b == b'-').count() == 2
                && text[..i]
                    .split('-')
                    .next()
                    .map(|y| y.len() == 4)
                    .unwrap_or(false) =>
        {
            &text[..i]
        }
        _ => text,
    };
    // Compact GDELT-style 20240115.
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        let y = date_part[..4].parse::<i32>().unwrap_or(0);
        let m = date_part[4..6].parse::<u32>().unwrap_or(0);
        let d = date_part[6..].parse::<u32>().unwrap_or(0);
        return checked_day(y, m, d)
            .map(CellDate::Known)
            .map_err(|e| format!("'{text}': {e}"));
    }
    let mut parts = date_part
        .split(['-', '/', ' ', '.'])
        .filter(|p| !p.is_empty());
    let (Some(p0), Some(p1), Some(p2), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return fail("is not a date this importer knows (e.g. 2024-11-01, 9-May-20, 03 December 2020, 31-12-19)");
    };
    // Year first: 2024-11-01, 2024/11/01.
    if p0.len() == 4 {
        let (Some(y), Some(m), Some(d)) = (year(p0), number(p1), number(p2)) else {
            return fail("is not a date: expected YYYY-MM-DD");
        };
        return checked_day(y, m, d)
            .map(CellDate::Known)
            .map_err(|e| format!("'{text}': {e}"));
    }
    // Month name in the middle: 9-May-20, 03 December 2020, 01-January-2015.
    if let Some(m) = month_from_name(p1) {
        let (Some(d), Some(y)) = (number(p0), year(p2)) else {
            return fail("is not a date: expected day-month-year");
        };
        return checked_day(y, m, d)
            .map(CellDate::Known)
            .map_err(|e| format!("'{text}': {e}"));
    }
    // Month name first: May 9 2020.
    if let Some(m) = month_from_name(p0) {
        let (Some(d), Some(y)) = (number(p1.trim_end_matches(',')), year(p2)) else {
            return fail("is not a date: expected month day year");
        };
        return checked_day(y, m, d)
            .map(CellDate::Known)
            .map_err(|e| format!("'{text}': {e}"));
    }
    match (number(p0), number(p1), year(p2)) {
        (Some(a), Some(b), Some(y)) if p0.len() <= 2 && p1.len() <= 2 => {
            if a > 12 && b > 12 {
                return fail("is not a date: neither number can be a month");
            }
            if a == 0 || b == 0 || a > 31 || b > 31 {
                return fail("is not a date: a day or month is out of range");
            }
            Ok(CellDate::Numeric { a, b, year: y })
        }
        _ => fail("is not a date this importer knows (e.g. 2024-11-01, 9-May-20, 03 December 2020, 31-12-19)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_and_abbreviations_read_in_any_case_with_or_without_a_dot() {
        for (name, month) in [
            ("October", Some(10)),
            ("OCT.", Some(10)),
            (" oct ", Some(10)),
            ("Sept", Some(9)),
            ("SEPT.", Some(9)),
            ("sEPtember", Some(9)),
            ("Dece", Some(12)),
            ("Decem", None),
            ("Ma", None),
            ("Mai", None),
            ("Ｏct", None),
            ("", None),
        ] {
            assert_eq!(month_from_name(name), month, "{name:?}");
        }
    }

    fn known(text: &str) -> NaiveDate {
        match parse_cell(text) {
            Ok(CellDate::Known(d)) => d,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_acled_vintage_date_spelling_is_read() {
        assert_eq!(known("9-May-20"), ymd(2020, 5, 9));
        assert_eq!(known("03 December 2020"), ymd(2020, 12, 3));
        assert_eq!(known("\"03 December 2020\""), ymd(2020, 12, 3));
        assert_eq!(known("01-January-2015"), ymd(2015, 1, 1));
        assert_eq!(known("2021-01-02T00:00:00Z"), ymd(2021, 1, 2));
        assert_eq!(known("2009-02-20T00:00:00"), ymd(2009, 2, 20));
        assert_eq!(known("2024-11-01"), ymd(2024, 11, 1));
        assert_eq!(known("20160728"), ymd(2016, 7, 28));
        assert_eq!(known("15-Sept-97"), ymd(1997, 9, 15));
    }

    #[test]
    fn dates_that_do_not_exist_are_errors_not_guesses() {
        let err = parse_cell("31-Feb-20").unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
        assert!(parse_cell("29-Feb-21").is_err());
        assert!(parse_cell("29-Feb-20").is_ok(), "2020 is a leap year");
        assert!(parse_cell("yesterday").is_err());
        assert!(parse_cell("").is_err());
        assert!(parse_cell("32-13-19").is_err());
    }

    #[test]
    fn numeric_dates_wait_for_the_column_to_decide_their_order() {
        assert_eq!(
            parse_cell("05-06-19").unwrap(),
            CellDate::Numeric {
                a: 5,
                b: 6,
                year: 2019
            }
        );
        let mut ev = OrderEvidence::default();
        ev.observe(5, 6);
        assert_eq!(
            ev.decide(),
            NumericOrder::DayFirst,
            "no evidence: ACLED's day-first"
        );
        ev.observe(12, 31);
        assert_eq!(ev.decide(), NumericOrder::MonthFirst);
        assert_eq!(
            resolve_numeric(5, 6, 2019, ev.decide()).unwrap(),
            ymd(2019, 5, 6)
        );
        let mut dmy = OrderEvidence::default();
        dmy.observe(31, 12);
        dmy.observe(5, 6);
        assert_eq!(
            resolve_numeric(5, 6, 2019, dmy.decide()).unwrap(),
            ymd(2019, 6, 5)
        );
    }

    #[test]
    fn cells_that_are_not_dates_say_why() {
        let err = |t: &str| parse_cell(t).unwrap_err();
        // Longer than any date: refused by its size, before any parsing.
        assert!(err(&"1".repeat(65)).contains("holds 65 bytes"));
        assert!(!err(&"1".repeat(64)).contains("bytes"));
        // A time part is dropped after an ISO date only.
        assert_eq!(known("2021-01-02 10:00"), ymd(2021, 1, 2));
        assert!(parse_cell("9-May-20 10:00").is_err());
        // Day and month numbers: one of them must be a month, neither zero nor over 31.
        assert!(err("13-14-2020").contains("neither number can be a month"));
        assert!(matches!(
            parse_cell("13-12-2020"),
            Ok(CellDate::Numeric {
                a: 13,
                b: 12,
                year: 2020
            })
        ));
        assert!(matches!(
            parse_cell("12-13-2020"),
            Ok(CellDate::Numeric {
                a: 12,
                b: 13,
                year: 2020
            })
        ));
        for text in ["0-5-2020", "5-0-2020", "32-5-2020", "5-32-2020"] {
            assert!(err(text).contains("out of range"), "{text}");
        }
        // Three digits are never a day or a month.
        assert!(err("123-12-2020").contains("not a date this importer knows"));
        assert!(err("12-123-2020").contains("not a date this importer knows"));
    }
}
