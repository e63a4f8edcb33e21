//! Malformed and hostile input files: every one ends in a located error, a partial import
//! that names the bad lines, or (for the hostile-but-valid ones, `ok_*`) a clean import —
//! never a panic.
//!
//! The small files live in `tests/fixtures/bad/`, one expectation each in the table below
//! (one `#[test]` per file, so a failure names its file). Big or generated inputs — 10 MB
//! fields, >1 MB files for progress and cancel — are written into a temporary directory.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use faultline_core::io::{open, Format, LoadError, OpenOptions, Opened};
use faultline_core::model::{Dataset, DatePrecision, Event};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// The table

/// A problem the import must report: on a line between `from` and `to` (inclusive), with a
/// message (or value) containing `contains`.
struct Want {
    from: u64,
    to: u64,
    contains: &'static str,
}

/// A problem on one line.
const fn at(line: u64, contains: &'static str) -> Want {
    Want {
        from: line,
        to: line,
        contains,
    }
}

/// A problem on any line of a range (where more than one line is a fair answer).
const fn within(from: u64, to: u64, contains: &'static str) -> Want {
    Want { from, to, contains }
}

enum Expect {
    /// The whole file is refused: exit 2, stderr `error: FILE…` naming `line` when given.
    Fatal {
        line: Option<u64>,
        contains: &'static str,
    },
    /// Some records imported, the others skipped and listed on stderr as `FILE:LINE: …`.
    Partial {
        imported: usize,
        skipped: usize,
        problems: &'static [Want],
    },
    /// Odd but valid: imports cleanly, nothing skipped, nothing on stderr.
    Clean { events: usize },
    /// Every record imported, but one or more without a place on the map: their coordinates
    /// are unusable. One note says how many and where the first is.
    Unplaced { events: usize, first: Want },
    /// A table whose columns are no format Faultline knows: exit 2, the columns named and a
    /// column map offered.
    Unknown { columns: &'static [&'static str] },
}

use Expect::{Clean, Fatal, Partial, Unknown, Unplaced};

macro_rules! fixtures {
    ($($test:ident: $file:literal => $expect:expr;)*) => {
        /// Every fixture file with its expectation.
        const FIXTURES: &[(&str, Expect)] = &[$(($file, $expect)),*];
        $(
            #[test]
            fn $test() {
                const EXPECT: Expect = $expect;
                check($file, &EXPECT);
            }
        )*
    };
}

fixtures! {
    // --- The whole file is refused.
    bad_empty: "empty.csv" => Fatal { line: Some(1), contains: "empty" };
    bad_blank_lines: "blank_lines.csv" => Fatal { line: Some(1), contains: "blank" };
    bad_acled_header_only: "acled_header_only.csv" =>
        Fatal { line: None, contains: "no usable acled record" };
    bad_acled_header_and_blank_line: "acled_header_and_blank_line.csv" =>
        Fatal { line: None, contains: "no usable acled record" };
    bad_binary_garbage: "binary_garbage.bin" => Fatal { line: Some(1), contains: "binary" };
    // Excel's "CSV" where the decimal separator is a comma: read like a comma-separated one.
    bad_acled_semicolon_delimiter: "acled_semicolon_delimiter.csv" => Clean { events: 2 };
    bad_acled_tab_delimited: "acled_tab_delimited.tsv" => Clean { events: 2 };
    bad_unknown_header: "unknown_header.csv" => Unknown { columns: &["name", "age", "city"] };
    // An ACLED export without its actor1 column is no ACLED file: offered as a table (and
    // `--format acled` names the missing column, below).
    bad_acled_missing_actor1_column: "acled_missing_actor1_column.csv" =>
        Unknown { columns: &["event_id_cnty", "event_date", "year", "time_precision",
            "event_type", "sub_event_type", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
            "inter2", "country", "admin1", "location", "latitude", "longitude", "notes",
            "fatalities", "timestamp"] };
    // Every row bad: the error lists them, the first on line 2.
    bad_acled_all_rows_bad: "acled_all_rows_bad.csv" =>
        Fatal { line: Some(2), contains: "no usable acled record" };
    bad_gdelt_all_lines_40_columns: "gdelt_all_lines_40_columns.tsv" =>
        Fatal { line: Some(1), contains: "40" };
    bad_ucdp_truncated: "ucdp_truncated.geojson" =>
        Fatal { line: Some(8), contains: "ends too early" };
    bad_ucdp_features_not_array: "ucdp_features_not_array.geojson" =>
        Fatal { line: Some(3), contains: "array" };
    bad_ucdp_no_features: "ucdp_no_features.geojson" =>
        Fatal { line: None, contains: "\"features\"" };
    bad_ucdp_empty_features: "ucdp_empty_features.geojson" =>
        Fatal { line: None, contains: "no usable ucdp record" };
    bad_ucdp_trailing_garbage: "ucdp_trailing_garbage.geojson" =>
        Fatal { line: Some(8), contains: "after the JSON" };
    // 5,000 nested arrays inside `features`: refused, without a stack overflow.
    bad_ucdp_deeply_nested: "ucdp_deeply_nested.geojson" =>
        Fatal { line: Some(1), contains: "JSON" };

    // --- ACLED rows skipped, the rest imported. Line 1 is the header.
    // Not UTF-8: read as Windows-1252, every row kept (the note is on stdout).
    bad_acled_invalid_utf8: "acled_invalid_utf8.csv" => Clean { events: 4 };
    bad_acled_nonexistent_date: "acled_nonexistent_date.csv" =>
        Partial { imported: 2, skipped: 1, problems: &[at(3, "31 Feb 2020 does not exist")] };
    bad_acled_date_words: "acled_date_words.csv" =>
        Partial { imported: 2, skipped: 1, problems: &[at(4, "'yesterday' is not a date")] };
    bad_acled_negative_fatalities: "acled_negative_fatalities.csv" =>
        Partial { imported: 2, skipped: 1, problems: &[at(4, "fatalities is negative")] };
    bad_acled_fatalities_not_a_number: "acled_fatalities_not_a_number.csv" =>
        Partial { imported: 2, skipped: 1, problems: &[at(3, "\"many\"")] };
    bad_acled_fatalities_overflow: "acled_fatalities_overflow.csv" =>
        Partial { imported: 2, skipped: 1, problems: &[at(4, "\"99999999999\"")] };
    // Unusable coordinates cost the event its place on the map, not the event.
    bad_acled_latitude_123: "acled_latitude_123.csv" =>
        Unplaced { events: 3, first: at(3, "latitude 123 is outside −90…90") };
    bad_acled_latitude_infinite: "acled_latitude_infinite.csv" =>
        Unplaced { events: 3, first: at(3, "latitude") };
    bad_acled_longitude_not_a_number: "acled_longitude_not_a_number.csv" =>
        Unplaced { events: 3, first: at(2, "longitude is not a number") };
    bad_acled_duplicate_ids: "acled_duplicate_ids.csv" =>
        Partial {
            imported: 3,
            skipped: 1,
            problems: &[at(4, "duplicate event id \"YEM1\" (first on line 2)")],
        };
    bad_acled_ragged_too_few: "acled_ragged_too_few.csv" =>
        Partial { imported: 3, skipped: 1, problems: &[at(3, "12 fields")] };
    bad_acled_ragged_too_many: "acled_ragged_too_many.csv" =>
        Partial { imported: 3, skipped: 1, problems: &[at(4, "22 fields")] };
    // actor1, event_date and event_type written as R's NA.
    bad_acled_na_required_fields: "acled_na_required_fields.csv" =>
        Partial {
            imported: 2,
            skipped: 3,
            problems: &[at(3, "actor1"), at(4, "date"), at(5, "event type")],
        };
    bad_acled_time_precision_7: "acled_time_precision_7.csv" =>
        Partial { imported: 2, skipped: 1, problems: &[at(3, "time_precision")] };
    // 31-12-19, 25-12-19 and 13-12-19 say day-first; 12-31-19 on line 4 contradicts them.
    bad_acled_ambiguous_dates_contradicting: "acled_ambiguous_dates_contradicting.csv" =>
        Partial { imported: 4, skipped: 1, problems: &[at(4, "day-month-year")] };
    // Line 5's latitude -91 costs its event the place on the map, not the event.
    bad_acled_mixed_good_and_bad: "acled_mixed_good_and_bad.csv" =>
        Partial {
            imported: 6,
            skipped: 3,
            problems: &[
                at(3, "29 Feb 2021 does not exist"),
                at(7, "\"2.5\""),
                at(9, "time_precision"),
            ],
        };
    // Record 2's notes span lines 3–5; the bad record 3 is on line 6.
    bad_acled_multiline_notes_then_bad_row: "acled_multiline_notes_then_bad_row.csv" =>
        Partial { imported: 3, skipped: 1, problems: &[at(6, "32 May 2020 does not exist")] };
    // A quote opened in record 2's notes (line 3) is never closed: the rest of the file is
    // inside it. The record is reported (naming the line the quote opens on), and the
    // records after it are read from the next line on.
    bad_acled_unterminated_quote: "acled_unterminated_quote.csv" =>
        Partial { imported: 3, skipped: 1, problems: &[at(3, "a quote opened on line 3 is never closed")] };
    bad_acled_unterminated_quote_last_column: "acled_unterminated_quote_last_column.csv" =>
        Partial { imported: 3, skipped: 1, problems: &[at(3, "a quote opened on line 3 is never closed")] };

    // --- GDELT lines skipped. There is no header: line 1 is the first event.
    bad_gdelt_40_columns_among_good: "gdelt_40_columns_among_good.tsv" =>
        Partial { imported: 4, skipped: 1, problems: &[at(3, "40 columns")] };
    // The same bad line, first: still one bad line among four good ones.
    bad_gdelt_first_line_40_columns: "gdelt_first_line_40_columns.tsv" =>
        Partial { imported: 4, skipped: 1, problems: &[at(1, "40 columns")] };
    bad_gdelt_bad_date: "gdelt_bad_date.tsv" =>
        Partial { imported: 2, skipped: 1, problems: &[at(2, "31 Feb 2016 does not exist")] };
    bad_gdelt_bad_root_code: "gdelt_bad_root_code.tsv" =>
        Partial { imported: 2, skipped: 1, problems: &[at(3, "CAMEO")] };
    bad_gdelt_invalid_utf8: "gdelt_invalid_utf8.tsv" => Clean { events: 3 };
    bad_gdelt_duplicate_ids: "gdelt_duplicate_ids.tsv" =>
        Partial { imported: 3, skipped: 1, problems: &[at(3, "duplicate event id \"564000001\"")] };
    bad_gdelt_latitude_out_of_range: "gdelt_latitude_out_of_range.tsv" =>
        Unplaced { events: 3, first: at(2, "ActionGeo_Lat 95.5 is outside −90…90") };
    // A GDELT 2.0 file (61 columns) with a 1.0 line (58 columns) on line 3.
    bad_gdelt_v2_then_v1_line: "gdelt_v2_then_v1_line.tsv" =>
        Partial { imported: 3, skipped: 1, problems: &[at(3, "58 columns")] };

    // --- UCDP records skipped. GeoJSON fixtures hold one feature per line from line 5.
    bad_ucdp_bad_date_start: "ucdp_bad_date_start.geojson" =>
        Partial { imported: 2, skipped: 1, problems: &[at(6, "30 Feb 2013 does not exist")] };
    bad_ucdp_type_of_violence_9: "ucdp_type_of_violence_9.geojson" =>
        Partial { imported: 2, skipped: 1, problems: &[at(7, "type_of_violence")] };
    bad_ucdp_date_end_before_start: "ucdp_date_end_before_start.geojson" =>
        Partial { imported: 2, skipped: 1, problems: &[at(5, "before it starts")] };
    bad_ucdp_negative_best: "ucdp_negative_best.geojson" =>
        Partial { imported: 2, skipped: 1, problems: &[at(6, "best is negative")] };
    // `42` on line 7 among the features.
    bad_ucdp_feature_not_an_object: "ucdp_feature_not_an_object.geojson" =>
        Partial { imported: 2, skipped: 1, problems: &[at(7, "expected an object")] };
    bad_ucdp_duplicate_ids: "ucdp_duplicate_ids.geojson" =>
        Partial { imported: 2, skipped: 1, problems: &[at(7, "duplicate event id \"1\"")] };
    // Pretty-printed: the bad feature opens on line 29 and its type_of_violence is on line 33
    // (it closes on line 53). The problem is located where the record or the field is.
    bad_ucdp_pretty_printed_bad_type: "ucdp_pretty_printed_bad_type.geojson" =>
        Partial { imported: 2, skipped: 1, problems: &[within(29, 33, "type_of_violence")] };
    bad_ucdp_csv_bad_rows: "ucdp_csv_bad_rows.csv" =>
        // Record 5's latitude 91 (line 6) costs it its place on the map, not the record.
        Partial {
            imported: 3,
            skipped: 2,
            problems: &[at(3, "15/03/2013"), at(5, "type_of_violence")],
        };
    bad_ucdp_csv_invalid_utf8: "ucdp_csv_invalid_utf8.csv" => Clean { events: 4 };
    bad_ucdp_csv_ragged: "ucdp_csv_ragged.csv" =>
        Partial { imported: 3, skipped: 1, problems: &[at(4, "3 fields")] };

    // --- Odd but valid.
    ok_acled_crlf: "ok_acled_crlf.csv" => Clean { events: 3 };
    ok_acled_crlf_multiline_notes: "ok_acled_crlf_multiline_notes.csv" => Clean { events: 2 };
    ok_acled_bom: "ok_acled_bom.csv" => Clean { events: 3 };
    ok_acled_upper_case_header: "ok_acled_upper_case_header.csv" => Clean { events: 3 };
    ok_acled_no_trailing_newline: "ok_acled_no_trailing_newline.csv" => Clean { events: 3 };
    ok_gdelt_crlf: "ok_gdelt_crlf.tsv" => Clean { events: 4 };
    ok_gdelt_v2: "ok_gdelt_v2.tsv" => Clean { events: 3 };
    ok_ucdp_csv: "ok_ucdp_csv.csv" => Clean { events: 2 };
    ok_ucdp_api_result: "ok_ucdp_api_result.json" => Clean { events: 2 };
    ok_ucdp_bare_array: "ok_ucdp_bare_array.json" => Clean { events: 2 };
    // A UTF-8 byte-order mark before the GeoJSON (as Windows tools write it).
    ok_ucdp_bom: "ok_ucdp_bom.geojson" => Clean { events: 2 };
}

// ---------------------------------------------------------------------------------------------
// Checking one fixture

fn bad(name: &str) -> PathBuf {
    common::fixture(&format!("bad/{name}"))
}

fn open_default(path: &Path) -> Result<Opened, LoadError> {
    open(
        path,
        &OpenOptions {
            format: None,
            strict: false,
            ..Default::default()
        },
    )
}

fn no_panic(name: &str, stderr: &str) {
    assert!(
        !stderr.contains("panicked")
            && !stderr.contains("RUST_BACKTRACE")
            && !stderr.contains("crash report"),
        "{name}: panicked: {stderr}"
    );
}

fn summary_json(name: &str, stdout: &str) -> Value {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("{name}: summary --json prints JSON ({e}): {stdout}"))
}

/// The problem lines of a partial import's warning: `  FILE:LINE: …`.
fn problem_lines<'a>(stderr: &'a str, file: &str) -> Vec<&'a str> {
    let prefix = format!("  {file}:");
    stderr.lines().filter(|l| l.starts_with(&prefix)).collect()
}

/// The line number a `  FILE:LINE: …` problem line names.
fn line_of(problem: &str, file: &str) -> Option<u64> {
    let rest = problem.trim_start().strip_prefix(file)?.strip_prefix(':')?;
    rest.split(':').next()?.parse().ok()
}

fn check(name: &str, expect: &Expect) {
    let path = bad(name);
    let file = path.to_str().unwrap();
    let (code, out, err) = common::run(&["summary", file, "--json"]);
    no_panic(name, &err);
    match expect {
        Fatal { line, contains } => {
            assert_eq!(code, 2, "{name}: exit code (stdout: {out}, stderr: {err})");
            assert!(out.is_empty(), "{name}: nothing on stdout: {out}");
            assert!(err.starts_with("error:"), "{name}: {err}");
            assert!(err.contains(file), "{name}: names the file: {err}");
            // The fragment is looked for in the message, not in the file's name.
            let message = err.replace(file, "FILE");
            assert!(
                message.contains(contains),
                "{name}: says {contains:?}: {err}"
            );
            if let Some(line) = line {
                let place = format!("{file}:{line}:");
                assert!(err.contains(&place), "{name}: says where ({place}): {err}");
            }
            // The table form fails the same way.
            let (code, _, err) = common::run(&["summary", file]);
            assert_eq!(code, 2, "{name}: exit code without --json: {err}");
            no_panic(name, &err);
            // And so does the library, with located problems.
            let e = open_default(&path).expect_err("the file is refused");
            assert!(e.is_bad_input(), "{name}: {e}");
            assert!(!e.problems().is_empty(), "{name}: {e:?}");
            if let Some(line) = line {
                assert!(
                    e.problems().iter().any(|p| p.place.line == Some(*line)),
                    "{name}: a problem on line {line}: {:?}",
                    e.problems()
                );
            }
        }
        Partial {
            imported,
            skipped,
            problems,
        } => {
            assert_eq!(code, 0, "{name}: a partial import succeeds: {err}");
            let s = summary_json(name, &out);
            assert_eq!(s["events"], *imported, "{name}: events imported ({err})");
            assert_eq!(s["skipped"], *skipped, "{name}: records skipped ({err})");
            assert_eq!(s["records"], imported + skipped, "{name}: records read");
            let header = format!("warning: {skipped} record(s) skipped:");
            assert!(err.starts_with(&header), "{name}: {header:?} in {err}");
            let listed = problem_lines(&err, file);
            assert_eq!(listed.len(), *skipped, "{name}: one line per skip: {err}");
            for want in *problems {
                let found = listed.iter().any(|l| {
                    line_of(l, file).is_some_and(|n| (want.from..=want.to).contains(&n))
                        && l.replace(file, "FILE").contains(want.contains)
                });
                assert!(
                    found,
                    "{name}: a problem on line {}..={} saying {:?}; stderr:\n{err}",
                    want.from, want.to, want.contains
                );
            }
            // The library agrees.
            let opened = open_default(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(opened.store.len(), *imported, "{name}");
            assert_eq!(opened.skipped, *skipped, "{name}");
            assert_eq!(opened.problems.len(), *skipped, "{name}");
        }
        Unknown { columns } => {
            assert_eq!(code, 2, "{name}: exit code (stdout: {out}, stderr: {err})");
            assert!(
                err.starts_with(&format!("error: {file}:1: not a format")),
                "{name}: {err}"
            );
            assert!(
                err.contains(&columns.join(", ")),
                "{name}: the columns: {err}"
            );
            assert!(
                err.contains("--map date=COLUMN"),
                "{name}: a map offered: {err}"
            );
            match open_default(&path) {
                Err(LoadError::UnknownTable { columns: found, .. }) => {
                    assert_eq!(found, *columns, "{name}")
                }
                other => panic!("{name}: expected an unknown table, got {other:?}"),
            }
        }
        Unplaced { events, first } => {
            check_unplaced(name, &path, (code, &out, &err), *events, first)
        }
        Clean { events } => {
            assert_eq!(code, 0, "{name}: imports: {err}");
            assert!(err.is_empty(), "{name}: nothing to warn about: {err}");
            let s = summary_json(name, &out);
            assert_eq!(s["events"], *events, "{name}: events");
            assert_eq!(s["skipped"], 0, "{name}: skipped");
        }
    }
}

/// Every record imported, one or more without a place on the map: one note says how many
/// and names the first's file and line.
fn check_unplaced(
    name: &str,
    path: &Path,
    (code, out, err): (i32, &str, &str),
    events: usize,
    first: &Want,
) {
    let file = path.to_str().unwrap();
    assert_eq!(code, 0, "{name}: imports: {err}");
    let s = summary_json(name, out);
    assert_eq!(s["events"], events, "{name}: every event kept ({err})");
    assert_eq!(s["skipped"], 0, "{name}: nothing skipped");
    let notes: Vec<String> = s["notes"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: notes in {out}"))
        .iter()
        .map(|n| n.as_str().unwrap().replace(file, "FILE"))
        .collect();
    let note = notes
        .iter()
        .find(|n| n.contains("kept without a place on the map"))
        .unwrap_or_else(|| panic!("{name}: a note on the unplaced events: {notes:?}"));
    assert!(
        note.starts_with("1 event kept") && note.contains(first.contains),
        "{name}: {note}"
    );
    let place = format!("FILE:{}:", first.from);
    assert!(
        note.contains(&place),
        "{name}: says where ({place}): {note}"
    );
    let opened = open_default(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let placed = (0..opened.store.len())
        .filter(|&i| opened.store.row(i).coordinates().is_some())
        .count();
    assert_eq!(placed, events - 1, "{name}: the one event has no place");
}

#[test]
fn every_fixture_on_disk_has_exactly_one_expectation() {
    let mut on_disk: Vec<String> = std::fs::read_dir(common::fixture("bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    let before = listed.len();
    listed.dedup();
    assert_eq!(before, listed.len(), "a fixture is listed twice");
    assert_eq!(on_disk, listed, "fixtures on disk vs the table");
    assert!(on_disk.len() >= 32, "{} fixtures", on_disk.len());
    for name in &on_disk {
        let size = std::fs::metadata(bad(name)).unwrap().len();
        assert!(
            size < 20 * 1024,
            "{name} is {size} bytes: generate it instead"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures that import: what they hold

fn dataset(name: &str) -> Dataset {
    open_default(&bad(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .store
        .to_dataset()
}

fn event<'a>(d: &'a Dataset, id: &str) -> &'a Event {
    d.events
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no event {id}"))
}

#[test]
fn odd_acled_files_keep_ids_and_fields() {
    // The byte-order mark must not hide the first column (event_id_cnty), upper-case names
    // are the same columns, and CRLF leaves no carriage return in a value.
    for name in [
        "ok_acled_bom.csv",
        "ok_acled_upper_case_header.csv",
        "ok_acled_crlf.csv",
        "ok_acled_no_trailing_newline.csv",
    ] {
        let d = dataset(name);
        let ids: Vec<&str> = d.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["YEM1", "YEM2", "YEM3"], "{name}");
        for e in &d.events {
            assert_eq!(e.actor1.as_deref(), Some("Militia A (Yemen)"), "{name}");
            assert_eq!(e.actor2.as_deref(), Some("Militia B (Yemen)"), "{name}");
            assert_eq!(e.date.to_iso(), "2020-05-09", "{name}");
            assert_eq!(e.location.latitude, Some(15.3547), "{name}");
            assert_eq!(e.location.longitude, Some(44.2067), "{name}");
            assert_eq!(e.fatalities, Some(1), "{name}");
            assert_eq!(
                e.description,
                format!("Event {}: a clash in Sanaa.", e.id),
                "{name}"
            );
        }
    }
    // A quoted notes field keeps its own CRLF line break.
    let d = dataset("ok_acled_crlf_multiline_notes.csv");
    assert_eq!(event(&d, "YEM1").description, "Line one.\r\nLine two.");
    assert_eq!(event(&d, "YEM2").fatalities, Some(1));
}

#[test]
fn odd_gdelt_and_ucdp_files_keep_their_fields() {
    let d = dataset("ok_gdelt_crlf.tsv");
    let e = event(&d, "564000001");
    assert_eq!(e.event_type, "Fight");
    assert_eq!(
        e.attributes.get("source_url").map(String::as_str),
        Some("http://example.org/news/564000001"),
        "no carriage return at the end of the last column"
    );
    let d = dataset("ok_gdelt_v2.tsv");
    let e = event(&d, "564000002");
    assert_eq!(
        e.location.place.as_deref(),
        Some("Hebron, Israel (general), Israel")
    );
    assert_eq!(e.location.country.as_deref(), Some("IS"));
    assert_eq!(
        (e.location.latitude, e.location.longitude),
        (Some(31.5333), Some(35.1)),
        "GDELT 2.0 coordinates come after the ADM2 column"
    );
    // (ok_ucdp_bom.geojson is checked by its table entry.)
    for name in [
        "ok_ucdp_csv.csv",
        "ok_ucdp_api_result.json",
        "ok_ucdp_bare_array.json",
    ] {
        let d = dataset(name);
        let e = event(&d, "2");
        assert_eq!(e.event_type, "State-based conflict", "{name}");
        assert_eq!(
            e.actor1.as_deref(),
            Some("Government of Central African Republic"),
            "{name}"
        );
        assert_eq!(e.actor2.as_deref(), Some("Seleka"), "{name}");
        assert_eq!(e.date.to_iso(), "2013-03-15/2013-03-17", "{name}");
        assert_eq!(
            (e.fatalities_low, e.fatalities, e.fatalities_high),
            (Some(2), Some(3), Some(5)),
            "{name}"
        );
        if name != "ok_ucdp_bare_array.json" {
            // The bare array has neither geometry nor latitude/longitude properties.
            assert_eq!(e.location.latitude, Some(4.366667), "{name}");
            assert_eq!(e.location.longitude, Some(18.583333), "{name}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Generated inputs

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,\
sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,country,admin1,\
location,latitude,longitude,notes,fatalities,timestamp";

/// One ACLED row with the header above; `notes` is written as given (quote it yourself).
fn acled_row(id: &str, date: &str, precision: u8, notes: &str) -> String {
    format!(
        "{id},{date},2020,{precision},Battles,Armed clash,Militia A (Yemen),,2,\
Militia B (Yemen),,2,Yemen,Sanaa,Sanaa,15.3547,44.2067,{notes},1,1589220519"
    )
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// An ACLED file of `rows` good rows (about 190 bytes each).
fn big_acled(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::with_capacity(rows * 200);
    text.push_str(ACLED_HEADER);
    text.push('\n');
    for i in 0..rows {
        text.push_str(&acled_row(
            &format!("YEM{i}"),
            "9-May-20",
            1,
            "On 9 May 2020 a clash",
        ));
        text.push('\n');
    }
    write(dir, "big_acled.csv", text.as_bytes())
}

/// A GDELT 1.0 line of 58 tab-separated columns.
fn gdelt_line(id: u64) -> String {
    let mut c = vec![""; 58];
    let id = id.to_string();
    c[0] = &id;
    c[1] = "20160728";
    c[2] = "201607";
    c[3] = "2016";
    c[4] = "2016.5699";
    c[5] = "ISR";
    c[6] = "ISRAEL";
    c[7] = "ISR";
    c[15] = "PSE";
    c[16] = "PALESTINIAN";
    c[17] = "PSE";
    c[25] = "1";
    c[26] = "190";
    c[27] = "190";
    c[28] = "19";
    c[29] = "4";
    c[30] = "-10.0";
    for geo in [35, 42, 49] {
        c[geo] = "4";
        c[geo + 1] = "Hebron, Israel (general), Israel";
        c[geo + 2] = "IS";
        c[geo + 3] = "IS00";
        c[geo + 4] = "31.5333";
        c[geo + 5] = "35.1";
        c[geo + 6] = "-793097";
    }
    c[56] = "20160728";
    c[57] = "http://example.org/news";
    c.join("\t")
}

fn big_gdelt(dir: &Path, lines: usize) -> PathBuf {
    let mut text = String::new();
    for i in 0..lines {
        text.push_str(&gdelt_line(564_000_000 + i as u64));
        text.push('\n');
    }
    write(dir, "big_gdelt.tsv", text.as_bytes())
}

fn ucdp_feature(id: usize) -> String {
    format!(
        r#"{{"type": "Feature", "properties": {{"id": {id}, "type_of_violence": 1, "side_a": "Government of Central African Republic", "side_b": "Seleka", "date_start": "2013-03-15T00:00:00", "date_end": "2013-03-17T00:00:00", "best": 3, "low": 2, "high": 5, "where_coordinates": "Bangui city", "country": "Central African Republic"}}, "geometry": {{"type": "Point", "coordinates": [18.583333, 4.366667]}}}}"#
    )
}

fn big_ucdp(dir: &Path, features: usize) -> PathBuf {
    let body: Vec<String> = (0..features).map(ucdp_feature).collect();
    let text = format!(
        "{{\n\"type\": \"FeatureCollection\",\n\"features\": [\n{}\n]\n}}\n",
        body.join(",\n")
    );
    write(dir, "big_ucdp.geojson", text.as_bytes())
}

const TEN_MB: usize = 10 * 1024 * 1024;

#[test]
fn a_ten_megabyte_quoted_notes_field_imports_whole() {
    let dir = tempfile::tempdir().unwrap();
    // Commas, doubled quotes and line breaks inside one quoted field.
    let unit = "a clash, then \"\"shelling\"\"\nand more; ";
    let mut notes = String::from("Start.");
    while notes.len() < TEN_MB {
        notes.push_str(unit);
    }
    notes.push_str("End.");
    let mut text = format!("{ACLED_HEADER}\n");
    text.push_str(&acled_row("YEM1", "9-May-20", 1, &format!("\"{notes}\"")));
    text.push('\n');
    text.push_str(&acled_row("YEM2", "9-May-20", 1, "short"));
    text.push('\n');
    let path = write(dir.path(), "ten_mb_notes.csv", text.as_bytes());
    let file = path.to_str().unwrap();
    let (code, out, err) = common::run(&["summary", file, "--json"]);
    no_panic("ten_mb_notes", &err);
    assert!(err.len() < 4096, "stderr is short: {} bytes", err.len());
    // A long field is a long field: under the 64 MB line limit it imports (RELIABILITY.md).
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary_json("ten_mb_notes", &out)["events"], 2, "{err}");
    let d = open_default(&path).unwrap().store.to_dataset();
    let expected = notes.replace("\"\"", "\"");
    let got = &event(&d, "YEM1").description;
    assert_eq!(got.len(), expected.len(), "the whole field is kept");
    assert!(*got == expected, "the field is read exactly");
    assert_eq!(event(&d, "YEM2").description, "short");
}

#[test]
fn a_ten_megabyte_file_of_one_unquoted_field_is_refused_briefly() {
    let dir = tempfile::tempdir().unwrap();
    // No header, no newline: one 10 MB field.
    let path = write(dir.path(), "one_field.csv", &vec![b'a'; TEN_MB]);
    let file = path.to_str().unwrap();
    let (code, out, err) = common::run(&["summary", file]);
    no_panic("one_field", &err);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.starts_with("error:") && err.contains(file), "{err}");
    assert!(err.contains(&format!("{file}:1")), "names line 1: {err}");
    assert!(
        err.len() < 2048,
        "the message quotes a little, not 10 MB: {} bytes",
        err.len()
    );

    // After an ACLED header: a one-field record of 10 MB, no newline at the end.
    let mut text = format!("{ACLED_HEADER}\n").into_bytes();
    text.extend(std::iter::repeat_n(b'b', TEN_MB));
    let path = write(dir.path(), "header_then_one_field.csv", &text);
    let file = path.to_str().unwrap();
    let (code, _, err) = common::run(&["summary", file]);
    no_panic("header_then_one_field", &err);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error:") && err.contains(file), "{err}");
    assert!(err.contains(&format!("{file}:2:")), "names line 2: {err}");
    assert!(err.len() < 2048, "{} bytes of stderr", err.len());
}

#[test]
fn a_ten_megabyte_bad_date_is_cut_short_in_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("{ACLED_HEADER}\n");
    text.push_str(&acled_row("YEM1", "9-May-20", 1, "fine"));
    text.push('\n');
    text.push_str(&acled_row("YEM2", &"9".repeat(TEN_MB), 1, "bad date"));
    text.push('\n');
    let path = write(dir.path(), "huge_date.csv", text.as_bytes());
    let file = path.to_str().unwrap();
    let (code, out, err) = common::run(&["summary", file, "--json"]);
    no_panic("huge_date", &err);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary_json("huge_date", &out)["skipped"], 1);
    assert!(err.contains(&format!("{file}:3:")), "{err}");
    assert!(err.len() < 2048, "{} bytes of stderr", err.len());
}

#[test]
fn strict_mode_fails_on_the_first_bad_record_naming_its_line() {
    let cases: &[(&str, u64, &str)] = &[
        ("acled_mixed_good_and_bad.csv", 3, "29 Feb 2021"),
        ("acled_multiline_notes_then_bad_row.csv", 6, "32 May 2020"),
        ("acled_duplicate_ids.csv", 4, "duplicate event id"),
        // Strict: an event that would lose its place is an error too.
        ("acled_latitude_123.csv", 3, "latitude 123 is outside"),
        ("gdelt_40_columns_among_good.tsv", 3, "40 columns"),
        ("ucdp_bad_date_start.geojson", 6, "30 Feb 2013"),
        ("ucdp_csv_bad_rows.csv", 3, "15/03/2013"),
    ];
    for (name, line, what) in cases {
        let path = bad(name);
        let file = path.to_str().unwrap();
        let (code, out, err) = common::run(&["summary", "--strict", file]);
        no_panic(name, &err);
        assert_eq!(code, 2, "{name}: --strict exits 2: {err}");
        assert!(out.is_empty(), "{name}: {out}");
        assert!(err.starts_with("error:"), "{name}: {err}");
        let place = format!("{file}:{line}:");
        assert!(err.contains(&place), "{name}: names {place}: {err}");
        assert!(err.contains(what), "{name}: says {what:?}: {err}");
        assert!(!err.contains("warning:"), "{name}: nothing skipped: {err}");
        let e = open(
            &path,
            &OpenOptions {
                strict: true,
                ..Default::default()
            },
        )
        .expect_err("strict refuses the file");
        assert_eq!(e.problems().len(), 1, "{name}: only the first problem: {e}");
        assert_eq!(e.problems()[0].place.line, Some(*line), "{name}: {e}");
    }
}

/// The line an editor shows for row `id`, counted in the file's text.
fn line_in_text(text: &str, id: &str) -> u64 {
    let at = text
        .find(&format!("\n{id},"))
        .expect("the row is in the text");
    text[..=at].matches('\n').count() as u64 + 1
}

#[test]
fn problems_name_the_line_an_editor_shows_after_crlf_blank_lines_and_quoted_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let strict = OpenOptions {
        strict: true,
        ..Default::default()
    };
    // Small files (one piece) and big ones (many pieces, read in parallel); plainly quoted,
    // and with a quote inside an unquoted field (read by the csv crate's rules).
    for rows in [4, 40_000] {
        for ending in ["\r\n", "\n"] {
            for stray_quote in [false, true] {
                let first_note = if stray_quote {
                    "a 12\" mortar"
                } else {
                    "a clash"
                };
                let mut text = format!("{ACLED_HEADER}{ending}");
                for i in 0..rows {
                    let note = match i {
                        0 => first_note.to_string(),
                        _ if i % 7 == 0 => format!("\"two{ending}lines\""),
                        _ => "fine".to_string(),
                    };
                    text.push_str(&acled_row(&format!("YEM{i}"), "9-May-20", 1, &note));
                    text.push_str(ending);
                    if i % 5 == 0 {
                        text.push_str(ending); // an empty line
                    }
                }
                text.push_str(&acled_row("BAD", "32 May 2020", 1, "a bad day"));
                text.push_str(ending);
                let path = write(dir.path(), "lines.csv", text.as_bytes());
                let e = open(&path, &strict).expect_err("strict refuses the bad row");
                let case = format!("{rows} rows, {ending:?}, stray quote {stray_quote}");
                assert_eq!(
                    e.problems()[0].place.line,
                    Some(line_in_text(&text, "BAD")),
                    "{case}: {e}"
                );
            }
        }
    }
}

#[test]
fn every_csv_reader_names_the_same_line_in_windows_and_mac_copies() {
    // Fixtures whose first problem is on a known line of the file with LF line ends.
    let cases: &[(&str, u64)] = &[
        ("acled_mixed_good_and_bad.csv", 3),
        ("acled_multiline_notes_then_bad_row.csv", 6),
        ("gdelt_40_columns_among_good.tsv", 3),
        ("ucdp_csv_bad_rows.csv", 3),
    ];
    let dir = tempfile::tempdir().unwrap();
    let strict = OpenOptions {
        strict: true,
        ..Default::default()
    };
    for (name, line) in cases {
        let unix = std::fs::read_to_string(bad(name)).unwrap();
        assert!(!unix.contains('\r'), "{name} has LF line ends");
        let e = open(&bad(name), &strict).expect_err("strict refuses the file");
        assert_eq!(e.problems()[0].place.line, Some(*line), "{name}: {e}");
        // The same file with CRLF line ends: the same line.
        let windows = write(dir.path(), name, unix.replace('\n', "\r\n").as_bytes());
        let e = open(&windows, &strict).expect_err("strict refuses the file");
        assert_eq!(e.problems()[0].place.line, Some(*line), "{name}, CRLF: {e}");
        // And with an empty line after the first: one line further down.
        let (first, rest) = unix.split_once('\n').unwrap();
        let spaced = format!("{first}\r\n\r\n{}", rest.replace('\n', "\r\n"));
        let spaced = write(dir.path(), name, spaced.as_bytes());
        let e = open(&spaced, &strict).expect_err("strict refuses the file");
        assert_eq!(
            e.problems()[0].place.line,
            Some(line + 1),
            "{name}, empty line: {e}"
        );
        // And with lines ending in CR alone, as Excel's "CSV (Macintosh)" writes them.
        let mac = write(dir.path(), name, unix.replace('\n', "\r").as_bytes());
        let e = open(&mac, &strict).expect_err("strict refuses the file");
        assert_eq!(e.problems()[0].place.line, Some(*line), "{name}, CR: {e}");
        let opened = open_default(&mac).unwrap_or_else(|e| panic!("{name}, CR: {e}"));
        let unix_opened = open_default(&bad(name)).unwrap();
        assert_eq!(
            opened.store.to_dataset(),
            unix_opened.store.to_dataset(),
            "{name}"
        );
        assert!(
            opened
                .notes
                .iter()
                .any(|n| n.contains("carriage return alone")),
            "{name}: {:?}",
            opened.notes
        );
    }
}

#[test]
fn forcing_the_acled_format_names_the_missing_column() {
    let path = bad("acled_missing_actor1_column.csv");
    let file = path.to_str().unwrap();
    let (code, _, err) = common::run(&["summary", "--format", "acled", file]);
    no_panic("forced acled", &err);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error:") && err.contains(file), "{err}");
    assert!(err.contains("no actor1 column"), "{err}");
}

#[test]
fn a_set_cancel_flag_stops_every_importer() {
    let flag = AtomicBool::new(true);
    for name in [
        "ok_acled_crlf.csv",
        "ok_gdelt_v2.tsv",
        "ok_ucdp_csv.csv",
        "ok_ucdp_api_result.json",
        "ucdp_bad_date_start.geojson",
    ] {
        let result = open(
            &bad(name),
            &OpenOptions {
                cancel: Some(&flag),
                ..Default::default()
            },
        );
        match result {
            Err(e @ LoadError::Cancelled { .. }) => {
                assert!(!e.is_bad_input(), "{name}: a cancel is not bad input");
                assert!(e.problems().is_empty(), "{name}");
            }
            other => panic!("{name}: expected Cancelled, got {other:?}"),
        }
    }
}

#[test]
fn cancelling_from_the_progress_callback_stops_a_big_import() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        big_acled(dir.path(), 20_000),
        big_gdelt(dir.path(), 8_000),
        big_ucdp(dir.path(), 6_000),
    ];
    for path in files {
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(size > 2 << 20, "{} is {size} bytes", path.display());
        let flag = AtomicBool::new(false);
        let calls = Mutex::new(0usize);
        let progress = |_read: u64, _total: u64| {
            *calls.lock().unwrap() += 1;
            flag.store(true, Ordering::Relaxed);
        };
        let result = open(
            &path,
            &OpenOptions {
                progress: Some(&progress),
                cancel: Some(&flag),
                ..Default::default()
            },
        );
        assert!(
            matches!(result, Err(LoadError::Cancelled { .. })),
            "{}: {:?}",
            path.display(),
            result.map(|o| o.store.len())
        );
        assert!(*calls.lock().unwrap() >= 1);
    }
}

#[test]
fn progress_is_reported_up_to_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (big_acled(dir.path(), 12_000), Format::Acled, 12_000),
        (big_gdelt(dir.path(), 4_000), Format::Gdelt, 4_000),
        (big_ucdp(dir.path(), 4_000), Format::Ucdp, 4_000),
    ];
    for (path, format, events) in files {
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(size > 1 << 20, "{} is {size} bytes", path.display());
        let calls: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());
        let progress = |read: u64, total: u64| calls.lock().unwrap().push((read, total));
        let opened = open(
            &path,
            &OpenOptions {
                progress: Some(&progress),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(opened.format, format);
        assert_eq!(opened.store.len(), events);
        let calls = calls.into_inner().unwrap();
        let name = path.display();
        assert!(calls.len() >= 2, "{name}: {calls:?}");
        for pair in calls.windows(2) {
            assert!(
                pair[0].0 <= pair[1].0,
                "{name}: read goes forward: {pair:?}"
            );
        }
        for (read, total) in &calls {
            assert_eq!(*total, size, "{name}: the total is the file size");
            assert!(read <= total, "{name}: {read} > {total}");
        }
        assert_eq!(calls.last(), Some(&(size, size)), "{name}: ends at the end");
    }
}

fn dates_file(dir: &Path, name: &str, dates: &[(&str, &str, u8)]) -> Dataset {
    let mut text = format!("{ACLED_HEADER}\n");
    for (id, date, precision) in dates {
        text.push_str(&acled_row(id, date, *precision, "x"));
        text.push('\n');
    }
    let path = write(dir, name, text.as_bytes());
    let opened = open_default(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(opened.skipped, 0, "{name}: {:?}", opened.problems);
    opened.store.to_dataset()
}

#[test]
fn numeric_dates_take_their_day_month_order_from_the_whole_column() {
    let dir = tempfile::tempdir().unwrap();
    // 13-06-19 can only be day-first, so 05-06-19 is 5 June.
    let d = dates_file(
        dir.path(),
        "day_first.csv",
        &[
            ("A", "05-06-19", 1),
            ("B", "13-06-19", 1),
            ("C", "07-06-19", 3),
        ],
    );
    assert_eq!(event(&d, "A").date.to_iso(), "2019-06-05");
    assert_eq!(event(&d, "A").date.precision(), DatePrecision::Day);
    assert_eq!(event(&d, "B").date.to_iso(), "2019-06-13");
    assert_eq!(event(&d, "C").date.to_iso(), "2019-06", "precision 3: June");

    // 06-13-19 can only be month-first, so 05-06-19 (before it in the file) is 6 May.
    let d = dates_file(
        dir.path(),
        "month_first.csv",
        &[
            ("A", "05-06-19", 1),
            ("B", "06-13-19", 1),
            ("C", "07-06-19", 2),
        ],
    );
    assert_eq!(event(&d, "A").date.to_iso(), "2019-05-06");
    assert_eq!(event(&d, "B").date.to_iso(), "2019-06-13");
    assert_eq!(
        event(&d, "C").date.to_iso(),
        "2019-07-03/2019-07-09",
        "precision 2: the week around 6 July"
    );
}

#[test]
fn a_date_refused_by_the_column_order_names_its_record_like_other_problems() {
    // Row problems read `FILE:LINE: record N, field 'x': …`; the 12-31-19 row of this file
    // is record 3 on line 4.
    let path = bad("acled_ambiguous_dates_contradicting.csv");
    let file = path.to_str().unwrap();
    let (_, _, err) = common::run(&["summary", file]);
    let expected = format!("{file}:4: record 3, field 'event_date': ");
    assert!(err.contains(&expected), "{expected:?} in:\n{err}");
}

#[test]
fn long_problem_lists_are_cut_after_twenty_with_the_full_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("{ACLED_HEADER}\n");
    text.push_str(&acled_row("GOOD", "9-May-20", 1, "fine"));
    text.push('\n');
    for i in 0..25 {
        text.push_str(&acled_row(&format!("BAD{i}"), "31-Feb-20", 1, "x"));
        text.push('\n');
    }
    let path = write(dir.path(), "twenty_five_bad.csv", text.as_bytes());
    let file = path.to_str().unwrap();
    let (code, _, err) = common::run(&["summary", file]);
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with("warning: 25 record(s) skipped:"), "{err}");
    let listed = problem_lines(&err, file);
    assert_eq!(listed.len(), 20, "{err}");
    assert_eq!(line_of(listed[0], file), Some(3), "{err}");
    assert_eq!(line_of(listed[19], file), Some(22), "{err}");
    assert!(err.trim_end().ends_with("and 5 more"), "{err}");
}

#[test]
fn more_than_a_thousand_skipped_records_are_counted_in_full() {
    // Only the first 1,000 problems are kept in memory, but the counts shown must be true.
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("{ACLED_HEADER}\n");
    text.push_str(&acled_row("GOOD", "9-May-20", 1, "fine"));
    text.push('\n');
    for i in 0..1100 {
        text.push_str(&acled_row(&format!("BAD{i}"), "31-Feb-20", 1, "x"));
        text.push('\n');
    }
    let path = write(dir.path(), "eleven_hundred_bad.csv", text.as_bytes());
    let file = path.to_str().unwrap();
    let (code, out, err) = common::run(&["summary", file, "--json"]);
    assert_eq!(code, 0, "{err}");
    let s = summary_json("eleven_hundred_bad", &out);
    assert_eq!(s["skipped"], 1100);
    assert_eq!(s["events"], 1);
    assert!(
        err.starts_with("warning: 1100 record(s) skipped:"),
        "{}",
        err.lines().next().unwrap_or("")
    );
    assert!(
        err.trim_end().ends_with("and 1080 more"),
        "{}",
        err.lines().last().unwrap_or("")
    );
}

#[test]
fn a_missing_file_is_bad_input_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing_here.csv");
    let file = path.to_str().unwrap();
    let (code, _, err) = common::run(&["summary", file]);
    no_panic("missing", &err);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error:") && err.contains(file), "{err}");
    let e = open_default(&path).expect_err("no such file");
    assert!(e.is_bad_input());
}

#[test]
fn a_directory_is_refused_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().to_str().unwrap();
    let (code, _, err) = common::run(&["summary", file]);
    no_panic("directory", &err);
    assert_eq!(code, 2, "a directory is bad input: {err}");
    assert!(err.starts_with("error:") && err.contains(file), "{err}");
}

#[test]
fn a_gdelt_file_cut_short_mid_line_keeps_its_whole_lines() {
    // A GDELT stream with a truncated last line (as a download cut short leaves it).
    let dir = tempfile::tempdir().unwrap();
    let mut f = std::fs::File::create(dir.path().join("cut.tsv")).unwrap();
    for i in 0..3 {
        writeln!(f, "{}", gdelt_line(564_100_000 + i)).unwrap();
    }
    let last = gdelt_line(564_100_003);
    f.write_all(&last.as_bytes()[..last.len() / 2]).unwrap();
    drop(f);
    let path = dir.path().join("cut.tsv");
    let file = path.to_str().unwrap();
    let (code, out, err) = common::run(&["summary", file, "--json"]);
    no_panic("cut", &err);
    assert_eq!(code, 0, "{err}");
    let s = summary_json("cut", &out);
    assert_eq!(
        (s["events"].clone(), s["skipped"].clone()),
        (3.into(), 1.into())
    );
    assert!(err.contains(&format!("{file}:4:")), "{err}");
}

/// A UCDP record whose latitude is out of range (record 5, line 6) is kept, unplaced, and the
/// note says where, beside the records that were skipped.
#[test]
fn a_ucdp_record_with_unusable_coordinates_is_kept_without_a_place() {
    let path = bad("ucdp_csv_bad_rows.csv");
    let opened = open_default(&path).unwrap();
    let unplaced: Vec<usize> = (0..opened.store.len())
        .filter(|&i| opened.store.row(i).coordinates().is_none())
        .collect();
    assert_eq!(unplaced.len(), 1, "{:?}", opened.notes);
    assert_eq!(opened.store.row(unplaced[0]).id(), "5");
    let file = path.display().to_string();
    assert!(
        opened
            .notes
            .iter()
            .any(|n| n.starts_with("1 event kept without a place")
                && n.contains(&format!("{file}:6:"))
                && n.contains("latitude 91 is outside")),
        "{:?}",
        opened.notes
    );
}
