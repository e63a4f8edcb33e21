//! `export --animate`: one frame per step of the events' range, as a GIF that decodes with
//! that many frames or as numbered PNGs; each frame titled with its period.

mod common;

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

#[test]
fn animate_month_writes_one_frame_per_month_of_a_real_file() {
    let Some(path) = common::shared_data(
        "animate_month_writes_one_frame_per_month_of_a_real_file",
        "acled_mideast_2020_dmy.csv",
    ) else {
        return;
    };
    // The reference: the months of the file's event dates ("9-May-20"), read with csv.
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "event_date")
        .unwrap();
    let months: BTreeSet<(i32, u32)> = reader
        .records()
        .map(|r| {
            let d = NaiveDate::parse_from_str(r.unwrap().get(column).unwrap(), "%d-%B-%y").unwrap();
            (d.year(), d.month())
        })
        .collect();
    let (first, last) = (*months.first().unwrap(), *months.last().unwrap());
    let expected = ((last.0 - first.0) * 12 + last.1 as i32 - first.1 as i32 + 1) as usize;
    assert!(expected >= 2, "{expected}");

    let dir = tempfile::tempdir().unwrap();
    let gif_path = dir.path().join("map.gif");
    let file = path.to_str().unwrap();
    let small = ["--width", "320", "--height", "280"];
    let mut args = vec![
        "export",
        file,
        "--chart",
        "map",
        "--animate",
        "month",
        "--out",
    ];
    args.push(gif_path.to_str().unwrap());
    args.extend(small);
    let (code, _, err) = common::run(&args);
    assert_eq!(code, 0, "{err}");
    let mut decoder = gif::DecodeOptions::new()
        .read_info(std::fs::File::open(&gif_path).unwrap())
        .unwrap();
    let mut frames = 0;
    while decoder.read_next_frame().unwrap().is_some() {
        frames += 1;
    }
    assert_eq!(
        frames, expected,
        "one frame per month from {first:?} to {last:?}"
    );

    // As PNG frames in a folder, named by their months; the network animates too.
    let folder = dir.path().join("frames");
    let mut args = vec![
        "export",
        file,
        "--chart",
        "actors",
        "--animate",
        "month",
        "--out",
    ];
    args.push(folder.to_str().unwrap());
    args.extend(small);
    let (code, _, err) = common::run(&args);
    assert_eq!(code, 0, "{err}");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let wanted: Vec<String> = (0..expected)
        .map(|k| {
            let m = first.1 - 1 + k as u32;
            format!(
                "{:04}-{}-{:02}.png",
                k + 1,
                first.0 + (m / 12) as i32,
                m % 12 + 1
            )
        })
        .collect();
    assert_eq!(names, wanted);

    // What does not animate says so: the event list, and an output that is neither.
    for (chart, out, why) in [
        ("events", "x.gif", "cannot be animated"),
        ("map", "x.png", "a .gif, or as PNG frames into a folder"),
    ] {
        let out = dir.path().join(out);
        let (code, _, err) = common::run(&[
            "export",
            file,
            "--chart",
            chart,
            "--animate",
            "month",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{chart}: {err}");
        assert!(err.contains(why), "{chart}: {err}");
    }
}
