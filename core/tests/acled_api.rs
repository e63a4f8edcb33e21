//! ACLED's API answers in JSON: a real export turned into an API response (every value a
//! string, as the API sends them) and into a bare `data` array reads into the same events as
//! the CSV; a bad event is placed by its index and line; an API error is explained.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use faultline_core::io::{open, open_bytes, Format, OpenOptions, Opened};
use faultline_core::model::Event;

fn events_by_id(opened: &Opened) -> BTreeMap<String, Event> {
    opened
        .store
        .to_dataset()
        .events
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect()
}

/// The rows of a CSV file as JSON objects of strings, as ACLED's API sends events.
fn as_api_events(csv_path: &Path) -> Vec<serde_json::Value> {
    let mut reader = csv::Reader::from_path(csv_path).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let object: serde_json::Map<String, serde_json::Value> = header
                .iter()
                .zip(record.iter())
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
                .collect();
            serde_json::Value::Object(object)
        })
        .collect()
}

#[test]
fn a_real_export_as_an_api_response_or_a_bare_array_reads_into_the_same_events() {
    for name in [
        "acled_palestine_2024_modern_sample.csv",
        "acled_mideast_2020_dmy.csv",
    ] {
        let Some(real) = common::shared_data(
            "a_real_export_as_an_api_response_or_a_bare_array_reads_into_the_same_events",
            name,
        ) else {
            return;
        };
        let from_csv = open(&real, &OpenOptions::default()).unwrap();
        let events = as_api_events(&real);
        assert_eq!(events.len(), from_csv.store.len());
        let response = serde_json::json!({
            "status": 200,
            "success": true,
            "last_update": 12,
            "count": events.len(),
            "messages": [],
            "data": events,
            "filename": "ACLED Data_2024-11-08",
        });
        let dir = tempfile::tempdir().unwrap();
        let api = dir.path().join("acled.json");
        std::fs::write(&api, serde_json::to_string_pretty(&response).unwrap()).unwrap();
        let bare = dir.path().join("data.json");
        std::fs::write(&bare, serde_json::to_string(&response["data"]).unwrap()).unwrap();

        for path in [&api, &bare] {
            let opened = open(path, &OpenOptions::default()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(opened.format, Format::Acled, "{}", path.display());
            assert_eq!(opened.skipped, from_csv.skipped, "{:?}", opened.problems);
            assert_eq!(events_by_id(&opened), events_by_id(&from_csv), "{name}");
        }
    }
}

fn event(id: &str, date: &str, actor: &str) -> serde_json::Value {
    serde_json::json!({
        "event_id_cnty": id,
        "event_date": date,
        "year": "2024",
        "time_precision": "1",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": actor,
        "inter1": "State forces",
        "actor2": "",
        "inter2": "",
        "interaction": "State forces only",
        "country": "Lebanon",
        "admin1": "South",
        "location": "Tyre",
        "latitude": 33.2705,
        "longitude": "35.2038",
        "fatalities": 2,
        "notes": "An \"air strike\",\nreported over two lines.",
    })
}

#[test]
fn a_bad_event_is_placed_by_its_index_and_line_and_the_others_are_read() {
    let text = serde_json::to_string_pretty(&serde_json::json!({
        "status": 200,
        "data": [
            event("LBN1", "2024-10-01", "Military Forces of Israel (2022-)"),
            "not an event",
            event("LBN2", "2024-02-30", "Military Forces of Israel (2022-)"),
            event("LBN3", "2024-10-03", "Hezbollah"),
        ],
    }))
    .unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u64;
    let path = Path::new("api.json");
    let opened = open_bytes(text.as_bytes(), path, &OpenOptions::default()).unwrap();
    assert_eq!(opened.store.len(), 2);
    assert_eq!(opened.skipped, 2);
    let shown: Vec<String> = opened.problems.iter().map(|p| p.display_in(path)).collect();
    // The string record starts on its own line; the bad event on the line of its `{`, the
    // next one.
    assert_eq!(
        shown[0],
        format!(
            "api.json:{}: data[1]: expected an object (an ACLED event)",
            line_of("not an event") + 1
        )
    );
    assert!(
        shown[1].starts_with(&format!(
            "api.json:{}: data[2], field 'event_date': ",
            line_of("not an event") + 2
        )),
        "{shown:?}"
    );
    assert!(shown[1].contains("30 Feb 2024"), "{shown:?}");
    // Text labels of the newer exports make state forces a government body; numbers and
    // strings read alike.
    let row = opened.store.row(0);
    assert_eq!(row.coordinates(), Some((33.2705, 35.2038)));
    assert_eq!(row.fatalities(), Some(2));
    assert!(row.description().contains("\"air strike\",\nreported"));

    let strict = OpenOptions {
        strict: true,
        ..OpenOptions::default()
    };
    let error = open_bytes(text.as_bytes(), path, &strict)
        .unwrap_err()
        .to_string();
    assert!(error.contains("data[1]: expected an object"), "{error}");
}

#[test]
fn an_api_error_or_an_empty_answer_says_so() {
    let path = Path::new("api.json");
    let error = open_bytes(
        br#"{"status": 403, "success": false, "error": [{"status": 403, "message": "Access denied", "event_id_cnty": null}]}"#,
        path,
        &OpenOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("no \"data\" array of events"), "{error}");
    let error = open_bytes(
        br#"{"status": 200, "count": 0, "data": [], "event_id_cnty": 0}"#,
        path,
        &OpenOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("the response holds no events"), "{error}");
    // A bare array of something else is no ACLED file.
    let forced = OpenOptions {
        format: Some(Format::Acled),
        ..OpenOptions::default()
    };
    let error = open_bytes(br#"[{"when": "2024-10-01"}]"#, path, &forced)
        .unwrap_err()
        .to_string();
    assert!(error.contains("not an ACLED export"), "{error}");
    assert!(error.contains("records[0]"), "{error}");
}
