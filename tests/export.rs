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
    let (code, _, err) = export(&["--chart", "timeline", "--out", "x.bmp"]);
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
    // A failed export leaves the file it was to replace exactly as it was.
    let keep = dir.path().join("keep.svg");
    std::fs::write(&keep, "precious").unwrap();
    let (code, _, err) = export(&[
        "--chart",
        "timeline",
        "--actor",
        "Atlantis",
        "--out",
        keep.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "precious");
    let (code, _, err) = export(&[
        "--chart",
        "timeline",
        "--width",
        "16384",
        "--height",
        "16384",
        "--scale",
        "4",
        "--out",
        keep.with_extension("png").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "too large to draw: {err}");
    assert!(!keep.with_extension("png").exists(), "nothing half-written");
    // A place that cannot be written is a failure to write (exit 1), and leaves nothing.
    let missing = dir.path().join("no/such/dir/t.svg");
    let (code, _, err) = export(&["--chart", "timeline", "--out", missing.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert!(!dir.path().join("no").exists());
    // A device is never written over or replaced (the writer every export uses).
    let full = std::path::Path::new("/dev/full");
    if full.exists() {
        let err = faultline_core::io::atomic::write_atomic(full, b"<svg/>").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::metadata(full).unwrap().file_type();
        assert!(kind.is_char_device(), "/dev/full is still the device");
    }
}

/// Decodes a PNG: (width, height, RGBA rows).
fn decode_png(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

/// Pixels darker than light grey in rows `rows` (the picture is on white).
fn dark_pixels(width: u32, pixels: &[u8], rows: std::ops::Range<u32>) -> usize {
    let stride = width as usize * 4;
    rows.flat_map(|y| pixels[y as usize * stride..(y as usize + 1) * stride].chunks(4))
        .filter(|p| u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]) < 3 * 140)
        .count()
}

#[test]
fn png_exports_have_the_exact_size_for_each_scale_and_show_the_title() {
    let dir = tempfile::tempdir().unwrap();
    for scale in [1u32, 2, 4] {
        let out = dir.path().join(format!("t{scale}.png"));
        let (code, _, err) = export(&[
            "--chart",
            "timeline",
            "--width",
            "640",
            "--height",
            "360",
            "--scale",
            &scale.to_string(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        let (w, h, pixels) = decode_png(&out);
        assert_eq!((w, h), (640 * scale, 360 * scale));
        // Not blank: the luminance varies.
        let lum: Vec<f64> = pixels
            .chunks(4)
            .map(|p| f64::from(p[0]) + f64::from(p[1]) + f64::from(p[2]))
            .collect();
        let mean = lum.iter().sum::<f64>() / lum.len() as f64;
        let variance = lum.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / lum.len() as f64;
        assert!(variance > 100.0, "scale {scale}: variance {variance}");
        // The title band (its baseline is 44 px down) holds dark text.
        assert!(dark_pixels(w, &pixels, 20 * scale..48 * scale) > 200 * scale as usize);
    }
    // The title is the one asked for: a longer one darkens more of its band, and nothing
    // else changes.
    let short = dir.path().join("short.png");
    let long = dir.path().join("long.png");
    for (path, title) in [
        (&short, "Drones"),
        (&long, "Drone launches from Iraq, by month"),
    ] {
        let (code, _, err) = export(&[
            "--chart",
            "timeline",
            "--title",
            title,
            "--out",
            path.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
    }
    let (w, _, a) = decode_png(&short);
    let (_, _, b) = decode_png(&long);
    assert!(dark_pixels(w, &b, 20..48) > 2 * dark_pixels(w, &a, 20..48));
    let stride = w as usize * 4;
    assert_eq!(a[60 * stride..], b[60 * stride..], "below the title");
}

#[test]
fn the_actor_network_exports_as_png_with_a_legend() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.png");
    let svg = dir.path().join("a.svg");
    for path in [&out, &svg] {
        let (code, _, err) = export(&["--chart", "actors", "--out", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
    }
    let (w, h, _) = decode_png(&out);
    assert_eq!((w, h), (1200, 675));
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let legend: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("legend"))
        .flat_map(|g| g.descendants().filter_map(|n| n.text()))
        .collect();
    for entry in [
        "Relations (as stated)",
        "facade of",
        "attacks",
        "Actors",
        "armed group",
    ] {
        assert!(legend.contains(&entry), "{entry} in {legend:?}");
    }
}

#[test]
fn the_filtered_event_list_exports_as_csv_and_as_a_native_file_that_opens() {
    let dir = tempfile::tempdir().unwrap();
    let csv_out = dir.path().join("events.csv");
    let json_out = dir.path().join("events.json");
    for path in [&csv_out, &json_out] {
        let (code, _, err) = export(&[
            "--chart",
            "events",
            "--from",
            "2024-01-01",
            "--out",
            path.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
    }
    let dataset = faultline_core::seed::seed_dataset().unwrap();
    let expected: Vec<&str> = dataset
        .events
        .iter()
        .filter(|e| e.date.end() >= chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap())
        .map(|e| e.id.as_str())
        .collect();
    assert!(!expected.is_empty() && expected.len() < dataset.events.len());
    let mut reader = csv::Reader::from_path(&csv_out).unwrap();
    assert_eq!(&reader.headers().unwrap()[0], "id");
    let mut ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    ids.sort();
    let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(ids, want);
    let reopened = faultline_core::io::native::load(&json_out).expect("the export opens");
    let mut ids: Vec<String> = reopened.events.iter().map(|e| e.id.clone()).collect();
    ids.sort();
    assert_eq!(ids, want);
    assert_eq!(reopened.actors, dataset.actors);
    // A picture of the event list is not a thing.
    let (code, _, err) = export(&["--chart", "events", "--out", "e.png"]);
    assert_eq!(code, 2);
    assert!(err.contains(".csv, .json"), "{err}");
}

#[test]
fn exporting_to_dev_full_fails_clearly() {
    let full = std::path::Path::new("/dev/full");
    if !full.exists() {
        eprintln!("skipped: this system has no /dev/full");
        return;
    }
    // The extension picks the format, so reach the device through a link named .png.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("chart.png");
    std::os::unix::fs::symlink(full, &link).unwrap();
    let (code, _, err) = export(&["--chart", "timeline", "--out", link.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("chart.png") && err.contains("cannot write"),
        "{err}"
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn too_large_pictures_are_refused_before_drawing() {
    let (code, _, err) = export(&[
        "--chart", "timeline", "--width", "16000", "--height", "16000", "--scale", "4", "--out",
        "big.png",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("too large"), "{err}");
}

/// The seed's actor network exported as SVG into `dir/name` with the extra flags; its text.
fn network_svg(dir: &std::path::Path, extra: &[&str], name: &str) -> String {
    let out = dir.join(name);
    let mut args = vec!["--chart", "actors", "--out", out.to_str().unwrap()];
    args.extend(extra);
    let (code, _, err) = export(&args);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn the_network_can_be_coloured_by_community() {
    let dir = tempfile::tempdir().unwrap();
    let svg = |extra: &[&str], name: &str| network_svg(dir.path(), extra, name);
    let by_kind = svg(&[], "kinds.svg");
    let by_community = svg(&["--communities"], "communities.svg");
    let fills = |text: &str| -> Vec<String> {
        let doc = roxmltree::Document::parse(text).unwrap();
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("actor"))
            .map(|n| n.attribute("fill").unwrap().to_string())
            .collect()
    };
    let (kinds, communities) = (fills(&by_kind), fills(&by_community));
    assert_eq!(kinds.len(), communities.len(), "the same actors");
    assert_ne!(kinds, communities, "coloured otherwise");
    let distinct: std::collections::BTreeSet<&String> = communities.iter().collect();
    assert!(distinct.len() >= 2, "{distinct:?}");
    assert!(by_community.contains(">Communities</text>"));
    assert!(!by_kind.contains(">Communities</text>"));
    // Each legend entry is named after its actor with the most events ("Israel (+9)").
    assert!(
        by_community.contains(">Israel (+"),
        "Israel leads a community"
    );
}

#[test]
fn the_network_flags_thin_its_edges_and_choose_its_layout() {
    let dir = tempfile::tempdir().unwrap();
    let svg = |extra: &[&str], name: &str| network_svg(dir.path(), extra, name);
    // (class, events behind it, from, to) of every edge; each actor's place.
    let edges = |text: &str| -> Vec<(String, String, String)> {
        let doc = roxmltree::Document::parse(text).unwrap();
        doc.descendants()
            .filter(|n| matches!(n.attribute("class"), Some("interaction" | "relation")))
            .map(|n| {
                (
                    n.attribute("class").unwrap().to_string(),
                    n.attribute("data-from").unwrap().to_string(),
                    n.attribute("data-to").unwrap().to_string(),
                )
            })
            .collect()
    };
    let places = |text: &str| -> Vec<(String, String)> {
        let doc = roxmltree::Document::parse(text).unwrap();
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("actor"))
            .map(|n| {
                (
                    n.attribute("cx").unwrap().to_string(),
                    n.attribute("cy").unwrap().to_string(),
                )
            })
            .collect()
    };
    let all = svg(&[], "all.svg");
    let strong = svg(&["--min-edge-events", "2"], "strong.svg");
    let linear = svg(&["--linear-layout"], "linear.svg");
    let (all_edges, strong_edges) = (edges(&all), edges(&strong));
    let interactions = |e: &[(String, String, String)]| {
        e.iter()
            .filter(|(class, _, _)| class == "interaction")
            .count()
    };
    // Of the seed's six events, only Iran against Israel happens twice (April and October
    // 2024 missiles); every other pair once. At least 2 events leaves that interaction
    // alone, and every stated relation stays.
    assert!(interactions(&all_edges) > 1);
    let kept: Vec<_> = strong_edges
        .iter()
        .filter(|(class, _, _)| class == "interaction")
        .map(|(_, from, to)| {
            let mut pair = [from.as_str(), to.as_str()];
            pair.sort();
            pair.join(" – ")
        })
        .collect();
    assert_eq!(kept, ["Iran – Israel"]);
    let relations = |e: &[(String, String, String)]| {
        e.iter()
            .filter(|(class, _, _)| class == "relation")
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(relations(&all_edges), relations(&strong_edges));
    // Linear attraction: the same actors elsewhere.
    assert_eq!(places(&all).len(), places(&linear).len());
    assert_ne!(places(&all), places(&linear));
    // A bad number is refused with the flag's name.
    let (code, _, err) = export(&[
        "--chart",
        "actors",
        "--min-edge-events",
        "x",
        "--out",
        "x.svg",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--min-edge-events"), "{err}");
}
