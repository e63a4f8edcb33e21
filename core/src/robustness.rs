//! The entry points the fuzz targets (`fuzz/`) drive, shared with the test that replays their
//! regression corpus (`tests/fuzz_regressions.rs`), so a crash found once is checked forever.
//!
//! Each takes arbitrary bytes, runs one reader over them and checks what must hold whatever
//! the input: no panic, and then either an error that says where, or a dataset whose parts
//! agree with each other. A broken promise panics, which is what a fuzzer reports.

use std::path::Path;

use crate::io::detect::{self, Detected};
use crate::io::{read_as, LoadError, OpenOptions, Opened};

/// The name inputs carry in messages.
const NAME: &str = "fuzz-input";

/// Format detection: never panics; a detected format is one of the readers'.
pub fn detect(data: &[u8]) {
    let head = &data[..data.len().min(detect::HEAD_BYTES)];
    if let Ok(found) = detect::detect(head) {
        // Detection is a function of the head alone.
        assert_eq!(detect::detect(head), Ok(found));
    }
    // Whatever was detected, opening it from memory never panics.
    let _ = check(
        crate::io::open_bytes(data, Path::new(NAME), &OpenOptions::default()),
        data,
    );
}

/// An ACLED CSV.
pub fn acled(data: &[u8]) {
    read(Detected::Acled, data);
}

/// A UCDP GED CSV.
pub fn ucdp_csv(data: &[u8]) {
    read(Detected::UcdpCsv, data);
}

/// UCDP GED as GeoJSON or API JSON.
pub fn ucdp_json(data: &[u8]) {
    read(Detected::UcdpJson, data);
}

/// A GDELT 1.0 or 2.0 export.
pub fn gdelt(data: &[u8]) {
    read(Detected::Gdelt, data);
}

/// The native format: when it reads, writing it and reading it back gives the same dataset.
pub fn native(data: &[u8]) {
    if let Some(opened) = read(Detected::Faultline, data) {
        let dataset = opened.store.to_dataset();
        let text = crate::io::native::to_string(&dataset);
        let again = crate::io::native::from_str(&text, Path::new(NAME))
            .unwrap_or_else(|e| panic!("a dataset that read does not read after writing: {e}"));
        assert_eq!(again, dataset, "the native round trip changed the dataset");
    }
}

/// One date cell, as every CSV importer reads it.
pub fn date_cell(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match crate::io::dates::parse_cell(text) {
        Ok(crate::io::dates::CellDate::Known(d)) => {
            // A date that parses prints as a date that parses to itself.
            let iso = d.format("%Y-%m-%d").to_string();
            if (1000..=9999).contains(&chrono::Datelike::year(&d)) {
                assert!(matches!(
                    crate::io::dates::parse_cell(&iso),
                    Ok(crate::io::dates::CellDate::Known(again)) if again == d
                ));
            }
        }
        Ok(_) => {}
        Err(message) => assert!(!message.is_empty(), "an empty error for {text:?}"),
    }
}

fn read(detected: Detected, data: &[u8]) -> Option<Opened> {
    let outcome = read_as(
        detected,
        data,
        data.len() as u64,
        Path::new(NAME),
        &OpenOptions::default(),
    );
    check(outcome, data)
}

/// What holds of any outcome.
fn check(outcome: Result<Opened, LoadError>, data: &[u8]) -> Option<Opened> {
    match outcome {
        Ok(opened) => {
            let store = &opened.store;
            assert_eq!(store.events.len(), store.len());
            for i in 0..store.len() {
                let date = store.events.date(i);
                assert!(
                    date.start() <= date.end(),
                    "row {i}: a span that ends first"
                );
            }
            for p in &opened.problems {
                assert!(
                    p.place.line.is_some() || p.place.record.is_some(),
                    "a row problem that says not where: {p:?}"
                );
            }
            Some(opened)
        }
        Err(LoadError::Invalid { problems, .. }) => {
            assert!(
                !problems.is_empty(),
                "an invalid input with no problem named"
            );
            for p in &problems {
                assert!(!p.message.is_empty(), "a problem with no message");
                if let Some(line) = p.place.line {
                    let lines = data.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                    assert!(
                        (1..=lines).contains(&line),
                        "a problem on line {line} of {lines}: {p:?}"
                    );
                }
            }
            None
        }
        Err(_) => None,
    }
}
