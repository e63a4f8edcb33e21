//! Workbooks: a real ACLED export saved as Excel (dates as date cells, numbers as numbers,
//! behind a README sheet) reads into the same events as the CSV; problems are placed by sheet
//! and row; `--sheet` chooses; hidden, empty and broken workbooks get clear answers.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use faultline_core::io::{open, open_bytes, Format, LoadError, OpenOptions, Opened};
use faultline_core::model::Event;
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook, Worksheet};

fn load(path: &Path, options: &OpenOptions) -> Opened {
    open(path, options).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn events_by_id(opened: &Opened) -> BTreeMap<String, Event> {
    opened
        .store
        .to_dataset()
        .events
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect()
}

/// Writes a CSV row into a sheet as Excel would hold it: ISO dates as date cells, numbers
/// that read back as typed as numbers, everything else as text.
fn write_row(sheet: &mut Worksheet, row: u32, record: &csv::StringRecord, date_column: usize) {
    let date_format = CellFormat::new().set_num_format("yyyy-mm-dd");
    for (column, cell) in record.iter().enumerate() {
        let column = column as u16;
        if cell.is_empty() {
            continue;
        }
        if column as usize == date_column && row > 0 {
            let day = chrono::NaiveDate::parse_from_str(&cell[..10], "%Y-%m-%d").unwrap();
            let day = ExcelDateTime::parse_from_str(&day.to_string()).unwrap();
            sheet
                .write_datetime_with_format(row, column, &day, &date_format)
                .unwrap();
            continue;
        }
        match cell.parse::<f64>() {
            Ok(number) if number.is_finite() && number.to_string() == cell => {
                sheet.write_number(row, column, number).unwrap();
            }
            _ => {
                sheet.write_string(row, column, cell).unwrap();
            }
        }
    }
}

#[test]
fn a_real_acled_export_saved_as_excel_reads_into_the_same_events() {
    let Some(real) = common::shared_data(
        "a_real_acled_export_saved_as_excel_reads_into_the_same_events",
        "acled_myanmar_2021_explosions_iso.csv",
    ) else {
        return;
    };
    let from_csv = load(&real, &OpenOptions::default());
    assert_eq!(from_csv.store.len(), 2734);

    let mut book = Workbook::new();
    let readme = book.add_worksheet().set_name("README").unwrap();
    readme
        .write_string(0, 0, "Downloaded from the ACLED Explorer")
        .unwrap();
    let data = book.add_worksheet().set_name("Data").unwrap();
    let mut reader = csv::Reader::from_path(&real).unwrap();
    let header = reader.headers().unwrap().clone();
    let date_column = header.iter().position(|h| h == "event_date").unwrap();
    write_row(data, 0, &header, date_column);
    for (i, record) in reader.records().enumerate() {
        write_row(data, i as u32 + 1, &record.unwrap(), date_column);
    }
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("myanmar.xlsx");
    book.save(&xlsx).unwrap();

    let from_excel = load(&xlsx, &OpenOptions::default());
    assert_eq!(from_excel.format, Format::Acled);
    assert_eq!(from_excel.skipped, 0, "{:?}", from_excel.problems);
    assert_eq!(
        from_excel.notes.first().map(String::as_str),
        Some("read sheet 'Data' of 2 (--sheet reads another: 'README')")
    );
    let (expected, got) = (events_by_id(&from_csv), events_by_id(&from_excel));
    assert_eq!(got.len(), expected.len());
    for (id, event) in &expected {
        assert_eq!(got.get(id), Some(event), "event {id}");
    }
}

/// A day as year, month, day.
type Ymd = (u16, u8, u8);

/// A small ACLED-shaped workbook: a header and `rows`, each (id, date cell or text, actor).
fn small_acled_book(rows: &[(&str, Option<Ymd>, &str)], bad_text_date: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Events").unwrap();
    for (column, name) in [
        "event_id_cnty",
        "event_date",
        "event_type",
        "actor1",
        "fatalities",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    let date_format = CellFormat::new().set_num_format("dd/mm/yyyy");
    // Row 2 of the sheet is left empty on purpose: rows are numbered as the sheet numbers them.
    for (i, (id, date, actor)) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_string(row, 0, *id).unwrap();
        match date {
            Some((y, m, d)) => {
                let day = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                sheet
                    .write_datetime_with_format(row, 1, &day, &date_format)
                    .unwrap();
            }
            None if bad_text_date => {
                sheet.write_string(row, 1, "31 February 2024").unwrap();
            }
            None => {}
        }
        sheet.write_string(row, 2, "Battles").unwrap();
        sheet.write_string(row, 3, *actor).unwrap();
        sheet.write_number(row, 4, 2.0).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_bad_row_is_placed_by_sheet_and_row() {
    let bytes = small_acled_book(
        &[
            ("X1", Some((2024, 10, 4)), "Hezbollah"),
            ("X2", None, "IDF"),
            ("X3", Some((2024, 10, 6)), "IRGC"),
        ],
        true,
    );
    let opened = open_bytes(&bytes, Path::new("book.xlsx"), &OpenOptions::default()).unwrap();
    assert_eq!(opened.store.len(), 2);
    assert_eq!(opened.skipped, 1);
    let problem = &opened.problems[0];
    assert_eq!(
        problem.place.record.as_deref(),
        Some("sheet 'Events', row 4")
    );
    let line = problem.display_in(Path::new("book.xlsx"));
    assert!(
        line.starts_with("book.xlsx: sheet 'Events', row 4"),
        "{line}"
    );
    assert!(line.contains("31 February 2024"), "{line}");
    let days: Vec<String> = (0..2)
        .map(|i| opened.store.row(i).date().to_string())
        .collect();
    assert_eq!(days, ["2024-10-04", "2024-10-06"]);
    assert_eq!(opened.store.row(0).fatalities(), Some(2));

    let strict = OpenOptions {
        strict: true,
        ..OpenOptions::default()
    };
    let error = open_bytes(&bytes, Path::new("book.xlsx"), &strict).unwrap_err();
    assert!(
        error.to_string().contains("sheet 'Events', row 4"),
        "{error}"
    );
}

#[test]
fn sheet_names_the_sheet_to_read_and_a_missing_one_lists_those_there_are() {
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "nothing here")
        .unwrap();
    let events = book.add_worksheet().set_name("Incidents").unwrap();
    for (column, name) in ["Day", "Perpetrator", "Where"].iter().enumerate() {
        events.write_string(0, column as u16, *name).unwrap();
    }
    events.write_string(1, 0, "2024-10-01").unwrap();
    events.write_string(1, 1, "IRGC").unwrap();
    events.write_string(1, 2, "Tel Aviv").unwrap();
    let hidden = book.add_worksheet().set_name("Old").unwrap();
    hidden.write_string(0, 0, "event_id_cnty").unwrap();
    hidden.set_hidden(true);
    let bytes = book.save_to_buffer().unwrap();
    let path = Path::new("incidents.xlsx");

    // No known format on a visible sheet: the first that looks like a table is offered for
    // a column map, and read with one.
    match open_bytes(&bytes, path, &OpenOptions::default()) {
        Err(LoadError::UnknownTable { columns, .. }) => {
            assert_eq!(columns, ["Day", "Perpetrator", "Where"])
        }
        other => panic!("expected an unknown table, got {other:?}"),
    }
    let mapped = OpenOptions {
        column_map: Some(
            faultline_core::io::table::ColumnMap::parse("date=Day,actor1=Perpetrator,place=Where")
                .unwrap(),
        ),
        ..OpenOptions::default()
    };
    let opened = open_bytes(&bytes, path, &mapped).unwrap();
    assert_eq!(opened.store.len(), 1);
    assert_eq!(opened.store.row(0).place(), Some("Tel Aviv"));
    assert!(
        opened.notes[0].starts_with("read sheet 'Incidents' of 2 (--sheet reads another: 'Notes')"),
        "{:?}",
        opened.notes
    );

    let notes_sheet = OpenOptions {
        sheet: Some("Notes".into()),
        ..OpenOptions::default()
    };
    let error = open_bytes(&bytes, path, &notes_sheet)
        .unwrap_err()
        .to_string();
    assert!(error.contains("sheet 'Notes', row 1"), "{error}");
    let missing = OpenOptions {
        sheet: Some("Data".into()),
        ..OpenOptions::default()
    };
    let error = open_bytes(&bytes, path, &missing).unwrap_err().to_string();
    assert!(
        error.contains("no sheet named 'Data'; its sheets are 'Notes', 'Incidents', 'Old'"),
        "{error}"
    );
}

#[test]
fn broken_and_empty_workbooks_are_refused_with_a_reason() {
    let path = Path::new("broken.xlsx");
    let mut truncated = small_acled_book(&[("X1", Some((2024, 10, 4)), "IDF")], false);
    truncated.truncate(truncated.len() / 2);
    let error = open_bytes(&truncated, path, &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("broken.xlsx: cannot read this workbook"),
        "{error}"
    );

    let mut garbage = b"PK\x03\x04".to_vec();
    garbage.extend(std::iter::repeat_n(0xA5u8, 500));
    let error = open_bytes(&garbage, path, &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("cannot read this workbook"), "{error}");

    let mut empty = Workbook::new();
    empty.add_worksheet();
    let bytes = empty.save_to_buffer().unwrap();
    let error = open_bytes(&bytes, path, &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("every sheet of the workbook is empty"),
        "{error}"
    );
}

/// An OpenDocument spreadsheet, as LibreOffice saves one, with `rows` of cells given as
/// (value type, value, shown text).
fn ods(rows: &[Vec<(&str, &str, &str)>]) -> Vec<u8> {
    use std::io::Write as _;
    let mut table = String::new();
    for row in rows {
        table.push_str("<table:table-row>");
        for (kind, value, shown) in row {
            let value = match *kind {
                "string" => String::new(),
                "date" => format!(" office:date-value=\"{value}\""),
                _ => format!(" office:value=\"{value}\""),
            };
            table.push_str(&format!(
                "<table:table-cell office:value-type=\"{kind}\"{value}><text:p>{shown}</text:p></table:table-cell>"
            ));
        }
        table.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Feuille1\">{table}\
         </table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
          <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
          <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
          <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
          </manifest:manifest>",
    )
    .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_opendocument_spreadsheet_reads_like_excel() {
    let header = [
        "event_id_cnty",
        "event_date",
        "event_type",
        "actor1",
        "fatalities",
    ]
    .map(|h| ("string", "", h))
    .to_vec();
    let bytes = ods(&[
        header,
        vec![
            ("string", "", "LBN1"),
            ("date", "2024-10-04", "04/10/2024"),
            ("string", "", "Battles"),
            ("string", "", "Hezbollah"),
            ("float", "3", "3"),
        ],
        vec![
            ("string", "", "LBN2"),
            ("string", "", "5 October 2024"),
            ("string", "", "Explosions/Remote violence"),
            ("string", "", "Military Forces of Israel (2022-)"),
            ("float", "0", "0"),
        ],
    ]);
    let opened = open_bytes(&bytes, Path::new("lebanon.ods"), &OpenOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened.format, Format::Acled);
    assert_eq!(opened.store.len(), 2);
    assert_eq!(opened.store.row(0).date().to_string(), "2024-10-04");
    assert_eq!(opened.store.row(0).fatalities(), Some(3));
    assert_eq!(opened.store.row(1).date().to_string(), "2024-10-05");
    assert!(
        opened.notes.is_empty(),
        "one sheet: nothing to say, got {:?}",
        opened.notes
    );
}

#[test]
fn a_workbook_that_lies_about_its_strings_and_a_legacy_xls_are_refused_not_crashed_on() {
    // Found by the xlsx_sheet fuzzer: the Excel reader reserves room for as many strings as
    // the file declares, which aborted the process for a count in the quadrillions.
    let sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#;
    let strings = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="188888888888888888"><si><t>event_type</t></si></sst>"#;
    let book = faultline_core::robustness::xlsx_around(sheet, Some(strings));
    let error = open_bytes(&book, Path::new("liar.xlsx"), &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "its shared strings (xl/sharedStrings.xml) say there are 188888888888888888 of them in"
        ),
        "{error}"
    );

    let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    xls.resize(4096, 0);
    let error = open_bytes(&xls, Path::new("old.xls"), &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("Excel 97-2003 workbook (.xls)"), "{error}");
    assert!(error.contains("save it as .xlsx"), "{error}");
}
