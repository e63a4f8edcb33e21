//! Every row accounted for: real files from `../shared/data` re-encoded, reshaped and
//! re-tagged by the tests read into the same events as the originals — Windows-1252 and
//! UTF-16 copies, a monadic copy of a dyadic ACLED export, an HXL-tagged copy — and a
//! monadic file whose id repeats with a different date is reported as a duplicate.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use faultline_core::io::{open, OpenOptions, Opened};
use faultline_core::model::Event;

fn load(path: &Path) -> Opened {
    open(path, &OpenOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The events of an import by id, with actors named (imported actor ids are their names).
fn events_by_id(opened: &Opened) -> BTreeMap<String, Event> {
    opened
        .store
        .to_dataset()
        .events
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect()
}

/// Characters a Windows-1252 file cannot hold become `?` (a few real rows carry stray C1
/// control characters from an earlier mis-decoding).
fn windows_1252_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut buf = [0u8; 4];
            let (_, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            if unmappable {
                '?'
            } else {
                c
            }
        })
        .collect()
}

#[test]
fn a_real_file_saved_as_windows_1252_or_utf_16_reads_into_the_same_events() {
    let Some(real) = common::shared_data(
        "a_real_file_saved_as_windows_1252_or_utf_16_reads_into_the_same_events",
        "acled_africa_2016_api_pandas.csv",
    ) else {
        return;
    };
    let text = windows_1252_safe(&std::fs::read_to_string(&real).unwrap());
    assert!(text.contains("Séléka"), "the file has accented names");
    let dir = tempfile::tempdir().unwrap();
    let utf8 = dir.path().join("utf8.csv");
    std::fs::write(&utf8, &text).unwrap();
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    let legacy = dir.path().join("cp1252.csv");
    std::fs::write(&legacy, &cp1252).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let wide = dir.path().join("utf16.csv");
    std::fs::write(&wide, &utf16).unwrap();

    let original = load(&utf8);
    assert_eq!(original.skipped, 0);
    assert!(original.notes.is_empty(), "{:?}", original.notes);
    let expected = events_by_id(&original);
    for (path, encoding) in [(&legacy, "windows-1252"), (&wide, "UTF-16LE")] {
        let opened = load(path);
        assert_eq!(
            opened.skipped, 0,
            "{encoding}: no row skipped for its encoding"
        );
        assert_eq!(
            events_by_id(&opened),
            expected,
            "{encoding}: the same events"
        );
        if encoding == "windows-1252" {
            assert!(
                opened.notes.iter().any(|n| n.contains(encoding)),
                "{encoding}: says how it was read: {:?}",
                opened.notes
            );
        }
    }
    // `--encoding` reads the legacy copy as the user says.
    let forced = open(
        &legacy,
        &OpenOptions {
            encoding: faultline_core::io::encoding::for_label("latin1"),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    assert_eq!(events_by_id(&forced), expected);
}

/// A monadic copy of a dyadic ACLED file: one row per actor, no actor 2 columns.
fn monadic_copy(dyadic: &Path, out: &Path) -> usize {
    let mut reader = csv::Reader::from_path(dyadic).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (actor1, assoc1, inter1) = (col("actor1"), col("assoc_actor_1"), col("inter1"));
    let (actor2, assoc2, inter2) = (col("actor2"), col("assoc_actor_2"), col("inter2"));
    let dropped = [actor2, assoc2, inter2];
    let keep = |row: &[String]| -> Vec<String> {
        row.iter()
            .enumerate()
            .filter(|(i, _)| !dropped.contains(i))
            .map(|(_, v)| v.clone())
            .collect()
    };
    let mut writer = csv::Writer::from_path(out).unwrap();
    writer.write_record(keep(&header)).unwrap();
    let mut rows = 0;
    for record in reader.records() {
        let row: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        writer.write_record(keep(&row)).unwrap();
        rows += 1;
        let other = row[actor2].trim();
        if !other.is_empty() && other != "NA" {
            let mut side = row.clone();
            side[actor1] = row[actor2].clone();
            side[assoc1] = row[assoc2].clone();
            side[inter1] = row[inter2].clone();
            writer.write_record(keep(&side)).unwrap();
            rows += 1;
        }
    }
    writer.flush().unwrap();
    rows
}

#[test]
fn a_monadic_export_folds_into_the_events_of_its_dyadic_original_actor_for_actor() {
    for name in [
        "acled_palestine_2024_modern_sample.csv",
        "acled_benin_2022_modern_R_na.csv",
    ] {
        let Some(real) = common::shared_data(
            "a_monadic_export_folds_into_the_events_of_its_dyadic_original_actor_for_actor",
            name,
        ) else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let monadic = dir.path().join("monadic.csv");
        let rows = monadic_copy(&real, &monadic);
        let dyadic = load(&real);
        let folded = load(&monadic);
        assert_eq!(
            folded.skipped, 0,
            "{name}: nothing skipped: {:?}",
            folded.problems
        );
        let (want, got) = (events_by_id(&dyadic), events_by_id(&folded));
        assert_eq!(got.len(), want.len(), "{name}: the same number of events");
        assert!(
            rows > got.len(),
            "{name}: the copy has more rows than events"
        );
        for (id, event) in &want {
            let other = &got[id];
            assert_eq!(other.actor1, event.actor1, "{name} {id}: actor 1");
            assert_eq!(other.actor2, event.actor2, "{name} {id}: actor 2");
            assert_eq!(
                other.associated_actors_1, event.associated_actors_1,
                "{name} {id}: actor 1's side"
            );
            assert_eq!(
                other.associated_actors_2, event.associated_actors_2,
                "{name} {id}: actor 2's side"
            );
            // A one-sided event's `inter2` is ACLED's "0" (no actor) in a dyadic file; a
            // monadic file has no column to say it.
            let (mut a, mut b) = (other.clone(), event.clone());
            if b.actor2.is_none() {
                a.attributes.remove("inter2");
                b.attributes.remove("inter2");
            }
            assert_eq!(a, b, "{name} {id}: every other field");
        }
        assert!(
            folded.notes.iter().any(|n| n.contains(&format!(
                "monadic ACLED export: {} rows folded into {} events",
                faultline_core::text::thousands(rows),
                faultline_core::text::thousands(got.len())
            ))),
            "{name}: {:?}",
            folded.notes
        );
    }
}

#[test]
fn a_monadic_row_that_repeats_an_id_with_another_date_is_a_located_duplicate() {
    let text = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,interaction,country,admin1,location,latitude,longitude,notes,fatalities\n\
KEN1,2023-05-01,2023,1,Battles,Armed clash,Police Forces of Kenya (2013-),,1,12,Kenya,Nairobi,Nairobi,-1.28,36.82,a clash,1\n\
KEN1,2023-05-01,2023,1,Battles,Armed clash,Unidentified Armed Group (Kenya),,2,12,Kenya,Nairobi,Nairobi,-1.28,36.82,a clash,1\n\
KEN2,2023-05-02,2023,1,Protests,Peaceful protest,Protesters (Kenya),,6,60,Kenya,Nairobi,Nairobi,-1.28,36.82,a march,0\n\
KEN2,2023-06-02,2023,1,Protests,Peaceful protest,Protesters (Kenya),,6,60,Kenya,Nairobi,Nairobi,-1.28,36.82,a march,0\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("monadic.csv");
    std::fs::write(&path, text).unwrap();
    let opened = load(&path);
    let events = events_by_id(&opened);
    assert_eq!(events.len(), 2);
    let ken1 = &events["KEN1"];
    assert_eq!(
        ken1.actor1.as_deref(),
        Some("Police Forces of Kenya (2013-)")
    );
    assert_eq!(
        ken1.actor2.as_deref(),
        Some("Unidentified Armed Group (Kenya)")
    );
    assert_eq!(opened.skipped, 1);
    let problem = &opened.problems[0];
    assert_eq!(problem.place.line, Some(5), "{problem:?}");
    let message = &problem.message;
    assert!(
        message.contains("duplicate event id \"KEN2\" (first on line 4)")
            && message.contains("date"),
        "{message}"
    );
}

#[test]
fn an_hxl_tagged_copy_reads_as_its_original_and_says_so() {
    let Some(real) = common::shared_data(
        "an_hxl_tagged_copy_reads_as_its_original_and_says_so",
        "acled_palestine_2024_modern_sample.csv",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&real).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    let tags: Vec<&str> = header
        .split(',')
        .map(|h| match h {
            "event_date" => "#date+occurred",
            "country" => "#country+name",
            "admin1" => "#adm1+name",
            "fatalities" => "#affected+killed",
            _ => "",
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let tagged = dir.path().join("hdx.csv");
    std::fs::write(&tagged, format!("{header}\n{}\n{rest}", tags.join(","))).unwrap();
    let original = load(&real);
    let copy = load(&tagged);
    assert_eq!(
        copy.skipped, 0,
        "the tag row is not a broken record: {:?}",
        copy.problems
    );
    assert_eq!(events_by_id(&copy), events_by_id(&original));
    assert!(
        copy.notes
            .iter()
            .any(|n| n.contains("HXL") && n.contains("#country+name")),
        "{:?}",
        copy.notes
    );
}

#[test]
fn the_command_line_reads_a_workbook_and_sheet_chooses_its_sheet() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let first = book.add_worksheet().set_name("2023").unwrap();
    let second_rows = [
        ["event_id_cnty", "event_date", "event_type", "actor1"],
        ["A1", "2024-10-01", "Battles", "Hezbollah"],
        ["A2", "2024-10-02", "Riots", "Rioters (Lebanon)"],
    ];
    for (row, cells) in second_rows.iter().take(2).enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            first
                .write_string(row as u32, column as u16, *cell)
                .unwrap();
        }
    }
    let second = book.add_worksheet().set_name("2024").unwrap();
    for (row, cells) in second_rows.iter().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            second
                .write_string(row as u32, column as u16, *cell)
                .unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.xlsx");
    book.save(&path).unwrap();
    let file = path.to_str().unwrap();

    let (code, out, err) = common::run(&["summary", file, "--json"]);
    assert_eq!(code, 0, "{err}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["events"], 1);
    assert_eq!(
        summary["notes"][0],
        "read sheet '2023' of 2 (--sheet reads another: '2024')"
    );

    let (code, out, err) = common::run(&["summary", file, "--sheet", "2024", "--json"]);
    assert_eq!(code, 0, "{err}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["events"], 2);

    let (code, _, err) = common::run(&["summary", file, "--sheet", "2025"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no sheet named '2025'; its sheets are '2023', '2024'"),
        "{err}"
    );
}

#[test]
fn a_real_file_saved_by_a_european_excel_with_semicolons_and_decimal_commas_reads_the_same() {
    let Some(real) = common::shared_data(
        "a_real_file_saved_by_a_european_excel_with_semicolons_and_decimal_commas_reads_the_same",
        "acled_benin_2022_modern_R_na.csv",
    ) else {
        return;
    };
    let mut reader = csv::Reader::from_path(&real).unwrap();
    let header = reader.headers().unwrap().clone();
    let is_coordinate: Vec<bool> = header
        .iter()
        .map(|h| h == "latitude" || h == "longitude")
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    let mut decimal_commas = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let cells: Vec<String> = record
            .iter()
            .zip(&is_coordinate)
            .map(|(cell, coordinate)| {
                if *coordinate && cell.contains('.') {
                    decimal_commas += 1;
                    cell.replace('.', ",")
                } else {
                    cell.to_string()
                }
            })
            .collect();
        writer.write_record(&cells).unwrap();
    }
    assert!(
        decimal_commas > 1000,
        "{decimal_commas} coordinates rewritten"
    );
    let dir = tempfile::tempdir().unwrap();
    let european = dir.path().join("benin;.csv");
    std::fs::write(&european, writer.into_inner().unwrap()).unwrap();

    let original = load(&real);
    let copy = load(&european);
    assert_eq!(copy.format, faultline_core::io::Format::Acled);
    assert_eq!(copy.skipped, original.skipped, "{:?}", copy.problems);
    assert_eq!(events_by_id(&copy), events_by_id(&original));
}

#[test]
fn acled_aggregated_data_is_summarised_as_reported_figures_and_groups_limits_the_series() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("month-country.csv");
    std::fs::write(
        &path,
        "Country,Month,Year,Events,Fatalities\n\
         Lebanon,September,2024,905,1200\n\
         Lebanon,October,2024,1410,1900\n\
         Iraq,October,2024,55,3\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let (code, out, err) = common::run(&["summary", file, "--json"]);
    assert_eq!(code, 0, "{err}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["format"], "acled");
    assert_eq!(summary["events"], 0);
    assert_eq!(summary["series"], 4);
    assert_eq!(summary["records"], 3);
    assert_eq!(summary["figure_records"], 3);

    let (code, out, err) = common::run(&["summary", file, "--groups", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("imported    3 of 3 records as reported figures; 0 skipped"),
        "{out}"
    );
    assert!(
        out.contains("Events: Lebanon (events), reported by ACLED"),
        "{out}"
    );
    assert!(!out.contains("Iraq"), "{out}");
    assert!(
        out.contains("the other group is not loaded (--groups N loads more)"),
        "{out}"
    );
}
