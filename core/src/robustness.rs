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

/// A piece of CSV behind any of four delimiters (the first byte chooses): wherever it is
/// quoted the plain way, `simd-csv` gives the csv crate's records, cells and lines.
pub fn csv_pieces(data: &[u8]) {
    use crate::io::csv_records::PieceRecords;
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let delimiter = [b',', b';', b'\t', b'|'][usize::from(choice % 4)];
    if let Some(plain) = PieceRecords::plain(bytes, delimiter) {
        let careful = PieceRecords::odd(bytes, delimiter).read_all();
        assert_eq!(
            plain.read_all(),
            careful,
            "simd-csv and the csv crate differ"
        );
    }
}

/// A UCDP GED CSV.
pub fn ucdp_csv(data: &[u8]) {
    read(Detected::UcdpCsv, data);
}

/// UCDP GED as GeoJSON or API JSON.
pub fn ucdp_json(data: &[u8]) {
    read(Detected::UcdpJson, data);
}

/// An ACLED API response or bare array of events.
pub fn acled_json(data: &[u8]) {
    read(Detected::AcledJson, data);
}

/// A GDELT 1.0 or 2.0 export.
pub fn gdelt(data: &[u8]) {
    read(Detected::Gdelt, data);
}

/// The native format: walking the file reads what reading it whole reads; when it reads,
/// writing it and reading it back gives the same dataset.
pub fn native(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let path = Path::new(NAME);
        let walked = crate::io::native::store_from_str(text, path);
        let whole = crate::io::native::store_read_whole(text, path);
        match (walked, whole) {
            (Ok(a), Ok(b)) => assert_eq!(a.to_dataset(), b.to_dataset(), "walked and whole differ"),
            (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}")),
            (a, b) => panic!("walked: {:?}, whole: {:?}", a.is_ok(), b.is_ok()),
        }
    }
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

/// A Parquet file: whatever the bytes, opening them never panics, and what reads holds
/// together; a table Faultline wrote reads back the same after writing it again.
pub fn parquet(data: &[u8]) {
    let opened = check(
        crate::io::parquet::open_bytes(data, Path::new(NAME), &OpenOptions::default()),
        data,
    );
    if let Some(opened) = opened.filter(|o| o.format == crate::io::Format::Faultline) {
        let dataset = opened.store.to_dataset();
        let bytes = crate::io::parquet::to_bytes(&dataset).expect("a dataset that read writes");
        let again =
            crate::io::parquet::open_bytes(&bytes, Path::new(NAME), &OpenOptions::default())
                .expect("what Faultline writes, it reads");
        assert_eq!(again.store.to_dataset(), dataset);
    }
}

/// An Arrow IPC file (Feather v2) or stream: whatever the bytes, opening them never panics,
/// and what reads holds together.
pub fn arrow_ipc(data: &[u8]) {
    let _ = check(
        crate::io::parquet::open_bytes(data, Path::new(NAME), &OpenOptions::default()),
        data,
    );
}

/// A workbook: whatever the bytes, opening them as Excel or OpenDocument never panics, and
/// what reads holds together.
pub fn workbook(data: &[u8]) {
    let _ = check(
        crate::io::spreadsheet::open(data.to_vec(), Path::new(NAME), &OpenOptions::default()),
        data,
    );
}

/// A worksheet's XML (and, after a zero byte, its shared strings) inside an otherwise
/// well-formed `.xlsx`, so that the fuzzer spends its time in the sheet reader rather than on
/// the ZIP container.
pub fn xlsx_sheet(data: &[u8]) {
    let (sheet, strings) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    workbook(&xlsx_around(sheet, strings));
}

/// The smallest `.xlsx` Excel opens, holding one sheet with this XML.
pub fn xlsx_around(sheet: &[u8], shared_strings: Option<&[u8]>) -> Vec<u8> {
    use std::io::Write as _;
    let strings_type = r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#;
    let strings_rel = r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#;
    let with_strings = shared_strings.is_some();
    let parts: [(&str, String); 4] = [
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{}</Types>"#,
                if with_strings { strings_type } else { "" }
            ),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{}</Relationships>"#,
                if with_strings { strings_rel } else { "" }
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, bytes: &[u8]| {
        // Writing into memory cannot fail.
        let _ = zip.start_file(name, stored);
        let _ = zip.write_all(bytes);
    };
    for (name, text) in &parts {
        add(name, text.as_bytes());
    }
    add("xl/worksheets/sheet1.xml", sheet);
    if let Some(strings) = shared_strings {
        add("xl/sharedStrings.xml", strings);
    }
    zip.finish()
        .map(std::io::Cursor::into_inner)
        .unwrap_or_default()
}

/// Any table through a column map: the first columns of whatever header the bytes have are
/// mapped, in order, to the date, the actors, the type and the other fields.
pub fn table(data: &[u8]) {
    let head = &data[..data.len().min(detect::HEAD_BYTES)];
    let Some((columns, _)) = crate::io::table::preview(head) else {
        return;
    };
    let mut map = crate::io::table::ColumnMap::default();
    for ((field, _, _), column) in crate::io::table::FIELDS.iter().zip(&columns) {
        if !map
            .columns
            .values()
            .any(|c| c.trim().eq_ignore_ascii_case(column.trim()))
        {
            map.columns.insert(field.to_string(), column.clone());
        }
    }
    if map.columns.contains_key("lat") != map.columns.contains_key("lon") {
        map.columns.remove("lat");
        map.columns.remove("lon");
    }
    if map.check().is_err() {
        return;
    }
    let options = OpenOptions {
        column_map: Some(map),
        ..OpenOptions::default()
    };
    let _ = check(crate::io::open_bytes(data, Path::new(NAME), &options), data);
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
