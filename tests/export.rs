//! `faultline export`: the chart data as CSV, the charts as SVG, and failures that change
//! nothing.

mod common;

use common::run;

fn export(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn the_timeline_csv_has_the_reported_drone_series_6_31_90() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.csv");
    let (code, _, err) = export(&[
        "--chart",
        "timeline",
        "--bucket",
        "month",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let header = reader.headers().unwrap().clone();
    let drones = header
        .iter()
        .position(|h| h.contains("Drone launches from Iraq toward Israel") && h.contains("Maariv"))
        .expect("a column for the reported series, naming its reporter");
    let events = header.iter().position(|h| h == "events_total").unwrap();
    let mut seen = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        if ["2024-08", "2024-09", "2024-10"].contains(&&row[0]) {
            seen.push((row[0].to_string(), row[drones].to_string()));
            // Counted events are a different column, never the reported figures.
            assert_ne!(row[events].to_string(), row[drones].to_string());
        }
    }
    assert_eq!(
        seen,
        vec![
            ("2024-08".to_string(), "6".to_string()),
            ("2024-09".to_string(), "31".to_string()),
            ("2024-10".to_string(), "90".to_string())
        ]
    );
}

#[test]
fn the_timeline_svg_has_title_source_labels_and_proportional_bars() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.svg");
    let (code, _, err) = export(&[
        "--chart",
        "timeline",
        "--out",
        out.to_str().unwrap(),
        "--title",
        "Drone launches & attacks",
        "--from",
        "2024-06-01",
        "--to",
        "2024-11-30",
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains(&"Drone launches & attacks"), "{texts:?}");
    assert!(texts
        .iter()
        .any(|t| t.starts_with("Source: Shafaq News, 21 Nov 2024")));
    assert!(texts.iter().any(|t| t.contains("reported by Maariv")));
    for label in ["Aug 2024", "Sep 2024", "Oct 2024"] {
        assert!(texts.contains(&label), "bucket label {label}");
    }
    // Bars: height proportional to the count they draw.
    let bars: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("bar"))
        .map(|n| {
            (
                n.attribute("data-count").unwrap().parse().unwrap(),
                n.attribute("height").unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert!(bars.len() >= 2, "{bars:?}");
    let per_event = bars[0].1 / bars[0].0;
    for (count, height) in &bars {
        assert!((height / count - per_event).abs() < 0.05, "{bars:?}");
    }
    // Reported figures are marks of their own, with their values.
    let reported: Vec<f64> = doc
        .descendants()
        .filter(|n| n.attribute("data-series") == Some("drone-launches-iraq-israel-monthly"))
        .map(|n| n.attribute("data-value").unwrap().parse().unwrap())
        .collect();
    assert_eq!(reported, vec![6.0, 31.0, 90.0]);
}

#[test]
fn the_actor_network_exports_as_svg_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("a.svg");
    let csv_out = dir.path().join("a.csv");
    assert_eq!(
        export(&["--chart", "actors", "--out", svg.to_str().unwrap()]).0,
        0
    );
    assert_eq!(
        export(&["--chart", "actors", "--out", csv_out.to_str().unwrap()]).0,
        0
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let actors = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("actor"))
        .count();
    assert!(actors >= 30, "{actors}");
    let edges = std::fs::read_to_string(&csv_out).unwrap();
    assert!(
        edges.contains("MIBH,Islamic Resistance in Iraq,facade of,"),
        "{edges}"
    );
}

#[test]
fn filters_narrow_the_exported_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("iran.csv");
    let (code, _, err) = export(&[
        "--chart",
        "timeline",
        "--actor",
        "Iran",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let total: u32 = reader
        .records()
        .map(|r| r.unwrap()[2].parse::<u32>().unwrap())
        .sum();
    assert_eq!(total, 2, "Iran's two events of 2024");
}

#[test]
fn bad_requests_exit_2_and_unwritable_places_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.svg");
    assert_eq!(
        export(&["--chart", "pie", "--out", out.to_str().unwrap()]).0,
        2
    );
    let (code, _, err) = export(&["--chart", "timeline", "--out", "x.gif"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error:"), "{err}");
    let (code, _, err) = export(&[
        "--chart",
        "timeline",
        "--actor",
        "Atlantis",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Atlantis"), "{err}");
    // An existing file in a place that cannot be written stays as it was.
    let keep = dir.path().join("keep.svg");
    std::fs::write(&keep, "precious").unwrap();
    let missing = dir.path().join("no/such/dir/t.svg");
    let (code, _, err) = export(&["--chart", "timeline", "--out", missing.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "precious");
    // A device is never written over or replaced (the writer every export uses).
    let full = std::path::Path::new("/dev/full");
    if full.exists() {
        let err = faultline::io::atomic::write_atomic(full, b"<svg/>").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::metadata(full).unwrap().file_type();
        assert!(kind.is_char_device(), "/dev/full is still the device");
    }
}
