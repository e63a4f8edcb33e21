//! The CLI contract over native files: `summary`, `summary --json`, `convert`, exit codes.

mod common;

use common::{fixture, run};
use serde_json::Value;

fn summary_json(args: &[&str]) -> Value {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "stderr: {err}");
    serde_json::from_str(&out).expect("summary --json prints one JSON object")
}

#[test]
fn summary_json_describes_the_embedded_dataset_with_the_contract_keys() {
    let s = summary_json(&["summary", "--json"]);
    for key in [
        "format",
        "events",
        "actors",
        "relations",
        "series",
        "statements",
        "sources",
        "first_date",
        "last_date",
        "skipped",
    ] {
        assert!(s.get(key).is_some(), "missing key {key} in {s}");
    }
    assert_eq!(s["format"], "faultline");
    assert_eq!(s["skipped"], 0);
    // Counted by hand in assets/seed.json (and stated in the README).
    assert_eq!(s["events"], 6, "{s}");
    assert_eq!(s["actors"], 43, "{s}");
    assert_eq!(s["relations"], 48, "{s}");
    assert_eq!(s["statements"], 31, "{s}");
    assert_eq!(s["series"], 5, "{s}");
    assert_eq!(s["sources"], 1, "{s}");
    assert_eq!(s["records"], 6, "{s}");
    assert_eq!(s["first_date"], "2023-10-17");
}

#[test]
fn summary_table_lists_actors_relations_and_the_reported_series() {
    let (code, out, err) = run(&["summary"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Islamic Resistance in Iraq"), "{out}");
    assert!(out.contains("Relations"), "{out}");
    assert!(out.contains("member of"), "{out}");
    assert!(out.contains("reported by Maariv"), "{out}");
}

#[test]
fn convert_then_summary_gives_the_same_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.json");
    let out_str = out.to_str().unwrap();
    let (code, _, err) = run(&["convert", "--out", out_str]);
    assert_eq!(code, 0, "{err}");
    let mut original = summary_json(&["summary", "--json"]);
    let mut converted = summary_json(&["summary", out_str, "--json"]);
    // The embedded dataset is read from no file; the converted one from x.json.
    assert_eq!(original["files"], serde_json::json!([]));
    assert_eq!(converted["files"][0]["name"], "x.json");
    assert_eq!(converted["files"][0]["events"], 6);
    original["files"].take();
    converted["files"].take();
    assert_eq!(original, converted);
}

#[test]
fn convert_of_converted_output_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    assert_eq!(run(&["convert", "--out", a.to_str().unwrap()]).0, 0);
    assert_eq!(
        run(&["convert", a.to_str().unwrap(), "--out", b.to_str().unwrap()]).0,
        0
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn convert_of_bad_input_leaves_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("keep.json");
    std::fs::write(&out, "precious").unwrap();
    let bad = fixture("native_bad/truncated.json");
    let (code, _, err) = run(&[
        "convert",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
}

#[test]
fn convert_into_a_missing_directory_fails_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("no/such/dir/x.json");
    let (code, _, err) = run(&["convert", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.starts_with("error:"), "{err}");
}

#[test]
fn a_missing_input_file_is_bad_input() {
    let (code, _, err) = run(&["summary", "/definitely/not/here.json"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: /definitely/not/here.json"), "{err}");
}

/// Each malformed native file: exit 2, `error:`, the file name, the line, what is wrong.
#[test]
fn every_malformed_native_file_exits_2_with_a_located_message() {
    let cases: &[(&str, &str, &str)] = &[
        ("truncated.json", ":6:", "ends too early"),
        ("wrong_version.json", ":1:", "unsupported version 5"),
        ("wrong_format_name.json", ":1:", "expected \"faultline\""),
        (
            "missing_format.json",
            "field 'format'",
            "missing \"format\"",
        ),
        ("dangling_actor.json", ":5:", "unknown actor \"ghost\""),
        ("dangling_source.json", ":5:", "unknown source \"nowhere\""),
        ("bad_date.json", ":5:", "30 Feb 2023 does not exist"),
        ("range_ends_before_start.json", ":5:", "before it starts"),
        ("duplicate_id.json", ":5:", "duplicate id \"a\""),
        ("wrong_types.json", ":4:", "invalid type: integer `17`"),
        ("missing_required_field.json", ":5:", "missing field `date`"),
        ("unknown_enum_value.json", ":4:", "unknown variant `planet`"),
        ("unknown_field.json", ":4:", "unknown field `colour`"),
        ("not_an_object.json", ":1:", "expected a JSON object"),
        ("empty.json", ":1:", "the file is empty"),
        ("events_not_array.json", ":1:", "must be an array"),
        (
            "latitude_out_of_range.json",
            ":5:",
            "latitude 123 is outside",
        ),
        (
            "negative_series_value.json",
            ":5:",
            "not a non-negative number",
        ),
        ("missing_comma.json", ":1:", "expected `,` or `}`"),
        ("invalid_utf8.json", ":1:", "invalid UTF-8"),
        (
            "several_problems.json",
            ":6:",
            "unknown variant `befriends`",
        ),
    ];
    let dir = fixture("native_bad");
    let on_disk = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(on_disk, cases.len(), "every fixture has an expectation");
    for (name, place, what) in cases {
        let path = dir.join(name);
        let (code, out, err) = run(&["summary", path.to_str().unwrap()]);
        assert_eq!(code, 2, "{name}: exit code (stderr: {err})");
        assert!(out.is_empty(), "{name}: nothing on stdout");
        assert!(err.starts_with("error:"), "{name}: {err}");
        assert!(err.contains(name), "{name}: names the file: {err}");
        assert!(err.contains(place), "{name}: says where ({place}): {err}");
        assert!(err.contains(what), "{name}: says what ({what}): {err}");
    }
}

#[test]
fn several_problems_are_all_listed() {
    let path = fixture("native_bad/several_problems.json");
    let (_, _, err) = run(&["summary", path.to_str().unwrap()]);
    assert!(err.contains("2 problems"), "{err}");
    assert!(err.contains("unknown actor \"b\""), "{err}");
    assert!(err.contains("befriends"), "{err}");
}

#[test]
fn no_arguments_and_unknown_flags_never_panic() {
    for args in [
        vec!["summary", "--bogus"],
        vec!["convert"],
        vec!["summary", "a", "b"],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `faultline summary | head -1`: the pipe closes before everything is written.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_faultline"))
        .arg("summary")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("crash report"), "{err}");
}
