//! Several files on the command line, read as one view: `summary A B`, `export A B`,
//! `convert A B`.

mod common;

use common::run;

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,source,notes,fatalities,timestamp\n";

/// An ACLED-style release: (id, date, deaths, timestamp) per row.
fn release(dir: &std::path::Path, name: &str, rows: &[(&str, &str, u32, u32)]) -> String {
    let mut text = HEADER.to_string();
    for (id, date, deaths, stamp) in rows {
        text += &format!("{id},{date},2024,1,Battles,Armed clash,Army,Rebels,Sudan,Khartoum,Khartoum,15.5,32.53,Radio,clash,{deaths},{stamp}\n");
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Runs `faultline export ARGS --out DIR/NAME`, which must succeed, and returns what it wrote.
fn exported(dir: &std::path::Path, name: &str, args: &[&str]) -> String {
    let out = dir.join(name);
    let mut all = vec!["export"];
    all.extend(args);
    all.extend(["--out", out.to_str().unwrap()]);
    let (code, _, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(out).unwrap()
}

/// October's release, and November's: B2 changed in between, B4 is new.
fn two_releases(dir: &std::path::Path) -> (String, String) {
    let october = release(
        dir,
        "october.csv",
        &[
            ("B1", "2024-09-03", 1, 100),
            ("B2", "2024-09-20", 2, 100),
            ("B3", "2024-10-01", 0, 100),
        ],
    );
    let november = release(
        dir,
        "november.csv",
        &[
            ("B2", "2024-09-20", 7, 200),
            ("B3", "2024-10-01", 0, 100),
            ("B4", "2024-10-15", 4, 200),
        ],
    );
    (october, november)
}

#[test]
fn summary_of_two_releases_lists_the_files_and_the_replaced_records() {
    let dir = tempfile::tempdir().unwrap();
    let (october, november) = two_releases(dir.path());
    let (code, out, err) = run(&["summary", &october, &november, "--json"]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    // B1, B2 (November's), B3 (November's: an equal timestamp goes to the later file), B4.
    assert_eq!(s["events"], 4, "{s}");
    assert_eq!(s["records"], 6, "{s}");
    assert_eq!(s["format"], "acled");
    let files = s["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], october.as_str());
    assert_eq!(files[0]["format"], "acled");
    assert_eq!(files[0]["events"], 1);
    assert_eq!(files[0]["skipped"], 0);
    assert_eq!(files[0]["replaced"], 2);
    assert_eq!(files[0]["replaced_ids"], serde_json::json!(["B2", "B3"]));
    assert_eq!(files[1]["events"], 3);
    assert_eq!(files[1]["replaced"], 0);
    // The readable summary says it too.
    let (code, table, _) = run(&["summary", &october, &november]);
    assert_eq!(code, 0);
    assert!(
        table.contains("imported    4 of 6 records; 0 skipped; 2 replaced by newer releases"),
        "{table}"
    );
    let row = table
        .lines()
        .skip_while(|l| !l.starts_with("Files"))
        .find(|l| l.starts_with("october.csv"))
        .unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells, ["october.csv", "acled", "1", "0", "2"]);
}

#[test]
fn a_bad_file_among_several_fails_naming_it_and_skipped_rows_are_reported_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let (october, _) = two_releases(dir.path());
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"format\": \"faultline\", \"version\": 2,").unwrap();
    let (code, _, err) = run(&["summary", &october, broken.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("broken.json"), "{err}");
    let partial = release(
        dir.path(),
        "partial.csv",
        &[("C1", "2024-10-02", 0, 1), ("C2", "2024-13-40", 0, 1)],
    );
    let (code, out, err) = run(&["summary", &october, &partial, "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("partial.csv:3"), "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["skipped"], 1);
    assert_eq!(s["files"][1]["skipped"], 1);
    assert_eq!(s["files"][0]["skipped"], 0);
}

#[test]
fn export_groups_the_timeline_by_file_and_convert_writes_the_merged_view() {
    let dir = tempfile::tempdir().unwrap();
    let (october, november) = two_releases(dir.path());
    let out = dir.path().join("by-file.csv");
    let (code, _, err) = run(&[
        "export",
        &october,
        &november,
        "--chart",
        "timeline",
        "--group-by",
        "source",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(&out).unwrap();
    // Kept: B1 (October's file, Sep), B2 (November's, Sep), B3 and B4 (November's, Oct).
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "bucket,label,events: november.csv,events: october.csv,events_total,fatalities_total"
    );
    assert_eq!(lines[1], "2024-09,Sep 2024,1,1,2,8");
    assert_eq!(lines[2], "2024-10,Oct 2024,2,0,2,4");
    assert_eq!(lines.len(), 3);

    let merged = dir.path().join("merged.json");
    let (code, _, err) = run(&[
        "convert",
        &october,
        &november,
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("(4 events, 2 actors)"), "{err}");
    let (code, out, err) = run(&["summary", merged.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["events"], 4);
    assert_eq!(s["format"], "faultline");
    // November's B2, with its 7 deaths.
    let (code, _, err) = run(&[
        "export",
        merged.to_str().unwrap(),
        "--chart",
        "events",
        "--out",
        dir.path().join("e.csv").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let events = std::fs::read_to_string(dir.path().join("e.csv")).unwrap();
    let b2 = events.lines().find(|l| l.starts_with("B2,")).unwrap();
    assert!(b2.contains(",7,") || b2.ends_with(",7"), "{b2}");
}

#[test]
fn summary_counts_events_of_two_datasets_that_may_be_the_same() {
    let dir = tempfile::tempdir().unwrap();
    // B1 of the ACLED release is at 15.5 N, 32.53 E on 3 September 2024; m1 is 10 km north
    // of it that day, m2 111 km.
    let (october, november) = two_releases(dir.path());
    let mine = dir.path().join("mine.json");
    let event = |id: &str, lat: f64| {
        serde_json::json!({"id": id, "date": "2024-09-03", "event_type": "Armed clash",
            "actor1": "militia", "location": {"latitude": lat, "longitude": 32.53},
            "status": {"kind": "reported"}})
    };
    let dataset = serde_json::json!({
        "format": "faultline", "version": 2, "title": "My notes",
        "actors": [{"id": "militia", "name": "Militia", "kind": "armed_group"}],
        "events": [event("m1", 15.59), event("m2", 16.5)],
    });
    std::fs::write(&mine, dataset.to_string()).unwrap();
    let (code, out, err) = run(&["summary", &october, mine.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["format"], "acled+faultline");
    assert_eq!(s["possible_matches"], 1, "{s}");
    let (_, table, _) = run(&["summary", &october, mine.to_str().unwrap()]);
    assert!(
        table.contains("possibly the same event  1 pairs"),
        "{table}"
    );
    // Two releases of one dataset: no pairs, whatever their places.
    let (_, out, _) = run(&["summary", &october, &november, "--json"]);
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["possible_matches"], 0);
}

#[test]
fn a_workspace_on_the_command_line_reads_its_files_and_draws_its_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let (_, november) = two_releases(dir.path());
    let workspace = dir.path().join("ws.json");
    let text = serde_json::json!({
        "format": "faultline", "version": 4, "title": "Khartoum, autumn",
        "includes": [{"path": "october.csv"}, {"path": "november.csv"}, {"path": "gone.csv"}],
        "annotations": [{"id": "a1", "date": "2024-09-20", "text": "Offensive begins"},
            {"id": "a2", "at": [32.53, 15.5], "text": "Bridge held"}],
        "corrections": [{"event": "B4", "field": "fatalities", "value": "9", "original": "4",
            "made": "2026-12-01T10:30:00Z"},
            {"event": "B9", "field": "fatalities", "value": "1", "made": "2026-12-01T10:31:00Z"}],
    });
    std::fs::write(&workspace, text.to_string()).unwrap();
    let ws = workspace.to_str().unwrap();
    let (code, out, err) = run(&["summary", ws, "--json"]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["title"], "Khartoum, autumn");
    assert_eq!(s["events"], 4, "the two releases, B2 and B3 replaced: {s}");
    assert_eq!(s["annotations"], 2);
    // B4's deaths are counted as corrected; B9 is in no file, said and not applied.
    assert_eq!(s["corrections"], 1);
    let table = exported(
        dir.path(),
        "deaths.csv",
        &[ws, "--chart", "compare", "--measure", "deaths"],
    );
    assert!(
        table.contains("2024-10,2024-10-01,2024-10-31,0,9,9"),
        "{table}"
    );
    let notes = s["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().ends_with("gone.csv: missing")),
        "{s}"
    );
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("correction of the deaths of event B9: no such event")),
        "{s}"
    );
    let svg = exported(dir.path(), "t.svg", &[ws, "--chart", "timeline"]);
    assert!(svg.contains("class=\"annotation\""), "drawn");
    assert!(
        svg.contains("20 Sep 2024 · Offensive begins"),
        "with its words"
    );
    // The place's annotation is on the map, not the timeline.
    assert!(!svg.contains("Bridge held"));
    let map = exported(dir.path(), "m.svg", &[ws, "--chart", "map"]);
    assert!(map.contains(">Bridge held</text>"));
    // A plain dataset has none.
    let (_, out, _) = run(&["summary", &november, "--json"]);
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["annotations"], 0);
}

#[test]
fn the_reported_figures_beside_the_counted_events_say_the_gap_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    let (code, _, err) = run(&[
        "export",
        "--chart",
        "series",
        "--counted",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // Counted by hand from assets/seed.json: events whose days lie wholly within Oct 2024.
    let seed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_root().join("assets/seed.json")).unwrap(),
    )
    .unwrap();
    let in_october = |d: &str| d.starts_with("2024-10");
    let counted = seed["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            let date = e["date"].as_str().unwrap();
            match date.split_once('/') {
                Some((a, b)) => in_october(a) && in_october(b),
                None => in_october(date),
            }
        })
        .count();
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let october = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[col("period")] == "Oct 2024")
        .expect("an October figure");
    assert_eq!(&october[col("figure")], "90");
    assert_eq!(october[col("counted")].parse::<usize>().unwrap(), counted);
    assert_eq!(
        &october[col("gap")],
        format!("reported 90, counted {counted} in Oct 2024")
    );
    // Without the overlay, no such columns.
    let (code, _, _) = run(&[
        "export",
        "--chart",
        "series",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(!std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .contains("gap"));
}

#[test]
fn export_compares_two_files_side_by_side_as_csv_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let (october, november) = two_releases(dir.path());
    let out = dir.path().join("compare.csv");
    let out_s = out.to_str().unwrap();
    let lines = |args: &[&str]| -> Vec<String> {
        let mut all = vec![
            "export", &october, &november, "--chart", "compare", "--out", out_s,
        ];
        all.extend(args);
        let (code, _, err) = run(&all);
        assert_eq!(code, 0, "{err}");
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    // October's release keeps B1 (the rest were replaced); November's has B2, B3 and B4.
    assert_eq!(
        lines(&[]),
        [
            "period,start,end,october.csv,november.csv,difference",
            "2024-09,2024-09-01,2024-09-30,1,1,0",
            "2024-10,2024-10-01,2024-10-31,0,2,2",
        ]
    );
    assert_eq!(
        lines(&[
            "--measure",
            "deaths",
            "--side",
            "november.csv",
            "--side",
            "october.csv"
        ]),
        [
            "period,start,end,november.csv,october.csv,difference",
            "2024-09,2024-09-01,2024-09-30,7,1,-6",
            "2024-10,2024-10-01,2024-10-31,4,0,-4",
        ]
    );
    // A side no group has is refused, naming the groups.
    let (code, _, err) = run(&[
        "export",
        &october,
        &november,
        "--chart",
        "compare",
        "--out",
        out_s,
        "--side",
        "march.csv",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--side \"march.csv\": no such group by file"),
        "{err}"
    );
    assert!(
        err.contains("october.csv") && err.contains("november.csv"),
        "{err}"
    );
    // One file is nothing to compare.
    let (code, _, err) = run(&["export", &october, "--chart", "compare", "--out", out_s]);
    assert_eq!(code, 2);
    assert!(err.contains("nothing to compare"), "{err}");
    // The picture says what it compares and the gap in words.
    let svg = exported(
        dir.path(),
        "compare.svg",
        &[&october, &november, "--chart", "compare"],
    );
    assert!(svg.contains("Events per month: october.csv beside november.csv"));
    assert!(svg
        .contains("In all, october.csv 1, november.csv 3 events: 2 more in november.csv (+200%)"));
}

#[test]
fn a_brief_of_two_files_sets_them_side_by_side_and_one_of_a_file_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (october, november) = two_releases(dir.path());
    let html = dir.path().join("b.html");
    let out = html.to_str().unwrap();
    let (code, _, err) = run(&["brief", &october, &november, "--out", out]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(
        text.contains("<h2>The files side by side</h2>"),
        "the heading"
    );
    assert!(
        text.contains("In all, october.csv 1, november.csv 3 events: 2 more in november.csv"),
        "the gap in words"
    );
    let (code, _, err) = run(&["brief", &october, "--out", out]);
    assert_eq!(code, 0, "{err}");
    assert!(!std::fs::read_to_string(&html)
        .unwrap()
        .contains("The files side by side"));
}
