//! A native file large enough that its events are parsed on a thread of their own reads as
//! a small one does: the same events, and bad records anywhere in it (in the first chunk of
//! records handed over, in the middle, in the last) reported with their index, id and line.

mod common;

use std::path::Path;

use faultline_core::io::{self, LoadError, OpenOptions};

/// The line (from 1) of byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> u64 {
    1 + text[..offset].matches('\n').count() as u64
}

#[test]
fn a_large_native_file_reads_whole_and_its_bad_records_are_placed() {
    let store = common::many_events(6_000);
    let written = store.to_dataset();
    let text = io::native::to_string(&written);
    assert!(text.len() > 2 << 20, "{} bytes: large enough", text.len());
    let read = io::open_bytes(
        text.as_bytes(),
        Path::new("big.json"),
        &OpenOptions::default(),
    )
    .unwrap()
    .store
    .to_dataset();
    assert_eq!(read.events, written.events);

    // Three records spoilt: a date that is no date (unreadable), an unknown actor (readable,
    // then checked), a repeated id.
    let spoil = |text: &str, id: &str, from: &str, to: &str| -> String {
        let at = text.find(&format!("\"id\": \"{id}\"")).unwrap();
        let end = at + text[at..].find(from).unwrap();
        format!("{}{to}{}", &text[..end], &text[end + from.len()..])
    };
    let first_date = &written.events[3].date;
    let date_text = serde_json::to_string(first_date).unwrap();
    let mut bad = spoil(&text, "E3", &date_text, "\"the day after\"");
    let actor = written.events[3_000].actor1.clone().unwrap();
    bad = spoil(
        &bad,
        "E3000",
        &format!("\"actor1\": \"{actor}\""),
        "\"actor1\": \"nobody\"",
    );
    bad = spoil(&bad, "E5999", "\"id\": \"E5999\"", "\"id\": \"E10\"");
    let problems = match io::open_bytes(
        bad.as_bytes(),
        Path::new("big.json"),
        &OpenOptions::default(),
    ) {
        Err(LoadError::Invalid { problems, .. }) => problems,
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("the spoilt file read"),
    };
    assert_eq!(problems.len(), 3, "{problems:#?}");
    let record_line = |needle: &str| line_of(&bad, bad.find(needle).unwrap());
    let expected = [
        ("events[3] (id \"E3\")", record_line("\"id\": \"E3\"")),
        (
            "events[3000] (id \"E3000\")",
            record_line("\"id\": \"E3000\""),
        ),
        // The second E10: the first is event 10's own.
        (
            "events[5999] (id \"E10\")",
            line_of(&bad, bad.rfind("\"id\": \"E10\"").unwrap()),
        ),
    ];
    for (problem, (record, id_line)) in problems.iter().zip(expected) {
        assert_eq!(problem.place.record.as_deref(), Some(record), "{problem:?}");
        // Placed at the record (its opening brace, a line above its id) or at its field.
        let line = problem.place.line.unwrap();
        assert!(
            (id_line - 1..id_line + 40).contains(&line),
            "{record} on line {line}, its id on {id_line}"
        );
    }
    assert!(
        problems[1].message.contains("unknown actor \"nobody\""),
        "{}",
        problems[1].message
    );
    assert!(
        problems[2].message.contains("duplicate id \"E10\""),
        "{}",
        problems[2].message
    );
}
