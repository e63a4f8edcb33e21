//! ACLED's aggregated data becomes reported series (reported by ACLED), never events: the
//! weekly-admin CSV with its sub-event types added up into event types, the largest groups
//! kept and the others named; the month-country workbook of the Humanitarian Data Exchange;
//! a bad row placed by line; and the timeline never draws several weeks as one month.

use std::path::Path;

use faultline_core::io::{open_bytes, Format, OpenOptions};
use faultline_core::model::DateSpan;
use faultline_core::query::{time_series, BucketSize, GroupBy, SeriesSpec};

const WEEKLY: &str = "\
WEEK,REGION,COUNTRY,ADMIN1,DISORDER_TYPE,EVENT_TYPE,SUB_EVENT_TYPE,EVENTS,FATALITIES,POPULATION_EXPOSURE,CENTROID_LATITUDE,CENTROID_LONGITUDE
05-October-2024,Middle East,Lebanon,South,Political violence,Explosions/Remote violence,Air/drone strike,40,55,120000,33.27,35.2
05-October-2024,Middle East,Lebanon,South,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,25,4,90000,33.27,35.2
05-October-2024,Middle East,Lebanon,South,Political violence,Battles,Armed clash,6,10,,33.27,35.2
12-October-2024,Middle East,Lebanon,South,Political violence,Explosions/Remote violence,Air/drone strike,38,61,110000,33.27,35.2
05-October-2024,Middle East,Lebanon,Beirut,Political violence,Explosions/Remote violence,Air/drone strike,9,30,500000,33.89,35.5
05-October-2024,Middle East,Israel,Northern,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,12,1,,32.9,35.3
12-October-2024,Middle East,Israel,Northern,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,many,0,,32.9,35.3
";

fn open(text: &str, groups: Option<usize>) -> faultline_core::io::Opened {
    let options = OpenOptions {
        series_groups: groups,
        ..OpenOptions::default()
    };
    open_bytes(text.as_bytes(), Path::new("aggregated.csv"), &options)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn day(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

#[test]
fn weekly_admin_counts_become_reported_series_by_country_admin1_and_event_type() {
    let opened = open(WEEKLY, None);
    assert_eq!(opened.format, Format::Acled);
    assert_eq!(opened.store.len(), 0, "figures are never events");
    // The bad row ("many" events) is placed and skipped.
    assert_eq!(opened.skipped, 1);
    assert_eq!(opened.problems[0].place.line, Some(8));
    assert_eq!(opened.problems[0].place.field.as_deref(), Some("events"));
    let series = &opened.store.meta.series;
    // Four groups, each with an events and a fatalities series, the largest first.
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Events: Lebanon · South · Explosions/Remote violence",
            "Fatalities: Lebanon · South · Explosions/Remote violence",
            "Events: Israel · Northern · Explosions/Remote violence",
            "Fatalities: Israel · Northern · Explosions/Remote violence",
            "Events: Lebanon · Beirut · Explosions/Remote violence",
            "Fatalities: Lebanon · Beirut · Explosions/Remote violence",
            "Events: Lebanon · South · Battles",
            "Fatalities: Lebanon · South · Battles",
        ]
    );
    assert!(series.iter().all(|s| s.reported_by == "acled"));
    let south = &series[0];
    assert_eq!(south.unit, "events");
    // The week of 5 October: two sub-event types added up (40 + 25), Saturday to Friday.
    let first = &south.observations[0];
    assert_eq!(first.value, Some(65.0));
    assert_eq!(
        first.period,
        Some(DateSpan::Range {
            start: day("2024-10-05"),
            end: day("2024-10-11")
        })
    );
    assert_eq!(
        first.note.as_deref(),
        Some("the sum of 2 rows (sub-event types)")
    );
    // The rows it rests on, word for word.
    let quote = &first.sources[0].quote;
    assert!(quote.contains("Air/drone strike,40,55,120000"), "{quote}");
    assert!(
        quote.contains("Shelling/artillery/missile attack,25,4,90000"),
        "{quote}"
    );
    assert_eq!(south.observations[1].value, Some(38.0));
    assert_eq!(series[1].observations[0].value, Some(59.0));
    assert!(opened.notes.iter().any(|n| n
        == "ACLED aggregated data (weekly counts by country · admin1 · event type): 6 rows read as 8 reported series"));
}

#[test]
fn a_windows_file_with_an_empty_line_places_the_bad_row_on_its_own_line() {
    let lines: Vec<&str> = WEEKLY.lines().collect();
    // CRLF line ends, and an empty line after the third: the bad row moves to line 9.
    let mut text = lines[..3].join("\r\n") + "\r\n\r\n";
    text += &(lines[3..].join("\r\n") + "\r\n");
    let windows = open(&text, None);
    assert_eq!(windows.skipped, 1);
    assert_eq!(windows.problems[0].place.line, Some(9));
    // Everything else reads as in the file with LF line ends.
    let unix = open(WEEKLY, None);
    assert_eq!(windows.store.meta.series, unix.store.meta.series);
}

#[test]
fn only_the_largest_groups_are_kept_and_the_note_says_how_many_were_left_out() {
    let opened = open(WEEKLY, Some(1));
    assert_eq!(opened.store.meta.series.len(), 2);
    let note = opened.notes.last().unwrap();
    assert_eq!(
        note,
        "ACLED aggregated data (weekly counts by country · admin1 · event type): 6 rows read as 2 reported series for the 1 largest of 4 groups (79% of the events); the other 3 groups are not loaded (--groups N loads more)"
    );
}

#[test]
fn the_month_country_workbook_of_hdx_reads_as_monthly_series() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Data").unwrap();
    let rows = [
        ("Lebanon", "August", 2024.0, 310.0),
        ("Lebanon", "September", 2024.0, 905.0),
        ("Lebanon", "October", 2024.0, 1410.0),
        ("Iraq", "October", 2024.0, 55.0),
    ];
    for (c, name) in ["Country", "Month", "Year", "Events"].iter().enumerate() {
        sheet.write_string(0, c as u16, *name).unwrap();
    }
    for (r, (country, month, year, events)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *country).unwrap();
        sheet.write_string(r, 1, *month).unwrap();
        sheet.write_number(r, 2, *year).unwrap();
        sheet.write_number(r, 3, *events).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let opened = open_bytes(
        &bytes,
        Path::new("lebanon-month.xlsx"),
        &OpenOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let series = &opened.store.meta.series;
    assert_eq!(series.len(), 2, "events only: the file has no fatalities");
    assert_eq!(series[0].name, "Events: Lebanon");
    let values: Vec<(String, f64)> = series[0]
        .observations
        .iter()
        .map(|o| (o.period.unwrap().to_iso(), o.value.unwrap()))
        .collect();
    assert_eq!(
        values,
        [
            ("2024-08".to_string(), 310.0),
            ("2024-09".to_string(), 905.0),
            ("2024-10".to_string(), 1410.0)
        ]
    );
    assert_eq!(
        series[0].observations[0].sources[0].quote,
        "Lebanon,August,2024,310"
    );

    // On a monthly timeline each figure sits in its month, reported by ACLED.
    let all: Vec<u32> = Vec::new();
    let ts = time_series(
        &opened.store,
        &all,
        SeriesSpec {
            bucket: BucketSize::Month,
            group_by: GroupBy::None,
            top_n: 8,
        },
        None,
        None,
    );
    let lebanon = &ts.reported[0];
    assert_eq!(lebanon.reported_by, "ACLED");
    let drawn: Vec<f64> = lebanon.values.iter().flatten().map(|(v, _)| *v).collect();
    assert_eq!(drawn, [310.0, 905.0, 1410.0]);
}

#[test]
fn weeks_are_never_drawn_as_the_month_they_fall_in() {
    let opened = open(WEEKLY, None);
    let ts = time_series(
        &opened.store,
        &[],
        SeriesSpec {
            bucket: BucketSize::Month,
            group_by: GroupBy::None,
            top_n: 8,
        },
        None,
        None,
    );
    // Lebanon · South has two weeks in October: neither is October's figure.
    let south = &ts.reported[0];
    assert!(
        south.values.iter().all(Option::is_none),
        "{:?}",
        south.values
    );
    assert_eq!(south.unaligned.len(), 2);
    // Lebanon · Beirut has one week in October: drawn there, labelled with its own week.
    let beirut = &ts.reported[4];
    assert_eq!(beirut.unaligned.len(), 0);
    let october = beirut.values.iter().position(Option::is_some).unwrap();
    assert_eq!(beirut.values[october].map(|v| v.0), Some(9.0));
    let span = beirut.spans[october].as_deref().unwrap();
    assert_eq!(
        span,
        DateSpan::Range {
            start: day("2024-10-05"),
            end: day("2024-10-11")
        }
        .label()
    );
}
