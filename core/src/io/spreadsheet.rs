//! Workbooks: Excel (`.xlsx`, `.xlsm`, `.xlsb`) and OpenDocument (`.ods`) files, as ACLED,
//! UCDP and the humanitarian data portals offer them. Legacy `.xls` files are recognised and
//! refused with the way out (see [`open_book`]).
//!
//! A sheet is turned into CSV in memory, one line per non-empty row, and read by the CSV
//! readers like any other file: detection, column maps, encodings of nothing (cells are
//! already text). Excel dates become `YYYY-MM-DD`; whole numbers lose their `.0`. Problems
//! are then placed by sheet and row (`sheet 'Data', row 12`) instead of by CSV line.
//!
//! Which sheet: the one `--sheet` names, else the first visible worksheet whose columns are a
//! format Faultline knows, else the first that looks like a table (for a column map), else
//! the first with any cells.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataRef, Reader, Sheets};

use super::csv_image::CsvImage;
use super::untrusted::catch_parser_panic;
use super::{detect, LoadError, OpenOptions, Opened, Place, Problem};

/// True when `head` starts like a workbook: a ZIP archive (`.xlsx`, `.xlsb`, `.ods`) or an
/// OLE compound file (`.xls`).
pub fn is_workbook(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// One sheet as CSV, with the sheet row (from 1) each CSV line came from.
struct SheetText {
    name: String,
    image: CsvImage<u32>,
}

impl SheetText {
    fn new(name: &str) -> SheetText {
        SheetText {
            name: name.to_string(),
            image: CsvImage::new(),
        }
    }

    /// Appends one row of cells; empty rows are left out.
    fn push_row(&mut self, row: u32, cells: &[String]) {
        if cells.iter().any(|c| !c.is_empty()) {
            self.image.push_row(row, cells);
        }
    }

    fn is_empty(&self) -> bool {
        self.image.is_empty()
    }

    /// The place of a problem the CSV reader found, as sheet and row.
    fn relocate(&self, place: &mut Place) {
        let Some(line) = place.line else { return };
        place.record = Some(match self.image.origin(line) {
            Some(row) => format!("sheet '{}', row {row}", self.name),
            None => format!("sheet '{}'", self.name),
        });
        place.line = None;
        place.column = None;
    }
}

/// Opens a workbook held in `bytes` and reads one of its sheets as [`super::open_bytes`] reads
/// CSV.
pub fn open(bytes: Vec<u8>, path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    let not_readable = |why: String| {
        LoadError::invalid(
            path,
            Problem::new(
                Place::default(),
                format!("cannot read this workbook (Excel or OpenDocument): {why}"),
            ),
        )
    };
    let chosen = catch_parser_panic(|| choose_sheet(bytes, path, options))
        .map_err(|why| not_readable(format!("the workbook reader failed on it ({why})")))?;
    let (sheet, names) = chosen.map_err(|e| match e {
        SheetError::Unreadable(why) => not_readable(why),
        SheetError::Load(e) => e,
    })?;
    let csv_path = path.to_path_buf();
    let result = super::open_text_bytes(&sheet.image.csv, &csv_path, options);
    let mut opened = match result {
        Ok(opened) => opened,
        Err(LoadError::Invalid { path, mut problems }) => {
            for problem in &mut problems {
                sheet.relocate(&mut problem.place);
            }
            return Err(LoadError::Invalid { path, problems });
        }
        Err(other) => return Err(other),
    };
    for problem in &mut opened.problems {
        sheet.relocate(&mut problem.place);
    }
    if names.len() > 1 {
        let others: Vec<String> = names
            .iter()
            .filter(|n| **n != sheet.name)
            .map(|n| format!("'{n}'"))
            .collect();
        opened.notes.insert(
            0,
            format!(
                "read sheet '{}' of {} (--sheet reads another: {})",
                sheet.name,
                names.len(),
                others.join(", ")
            ),
        );
    }
    Ok(opened)
}

enum SheetError {
    Unreadable(String),
    Load(LoadError),
}

/// The sheet to read, as CSV, and the names of the workbook's worksheets.
fn choose_sheet(
    bytes: Vec<u8>,
    path: &Path,
    options: &OpenOptions,
) -> Result<(SheetText, Vec<String>), SheetError> {
    let mut book = open_book(bytes).map_err(SheetError::Unreadable)?;
    let names: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .filter(|s| options.sheet.is_some() || s.visible == calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    if let Some(wanted) = &options.sheet {
        if !names.contains(wanted) {
            let listed: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
            return Err(SheetError::Load(LoadError::invalid(
                path,
                Problem::new(
                    Place::default(),
                    format!(
                        "no sheet named '{wanted}'; its sheets are {}",
                        listed.join(", ")
                    ),
                ),
            )));
        }
        let sheet = sheet_text(&mut book, wanted).map_err(SheetError::Unreadable)?;
        return Ok((sheet, names));
    }
    // A sheet that looks like a table (a header and rows) is the one to map; any sheet with
    // cells is the last resort, so that the refusal names its first line.
    let mut first_table = None;
    let mut first_with_cells = None;
    for name in &names {
        let sheet = sheet_text(&mut book, name).map_err(SheetError::Unreadable)?;
        if sheet.is_empty() {
            continue;
        }
        let csv = &sheet.image.csv;
        let head = &csv[..csv.len().min(detect::HEAD_BYTES)];
        if options.column_map.is_none() && detect::detect(head).is_ok() {
            return Ok((sheet, names));
        }
        if first_table.is_none() && super::table::preview(head).is_some() {
            first_table = Some(sheet);
            if options.column_map.is_some() {
                break;
            }
        } else if first_with_cells.is_none() {
            first_with_cells = Some(sheet);
        }
    }
    match first_table.or(first_with_cells) {
        Some(sheet) => Ok((sheet, names)),
        None => Err(SheetError::Load(LoadError::invalid(
            path,
            Problem::new(
                Place::default(),
                if names.is_empty() {
                    "the workbook has no worksheet".to_string()
                } else {
                    "every sheet of the workbook is empty".to_string()
                },
            ),
        ))),
    }
}

/// Opens a workbook with the reader its first bytes call for, so that a broken file's error
/// is that reader's ("invalid zip archive", "worksheet not found"), not a list of guesses.
fn open_book(bytes: Vec<u8>) -> Result<Sheets<Cursor<Vec<u8>>>, String> {
    use calamine::{open_workbook_from_rs, Ods, Xlsb, Xlsx};
    let book = Cursor::new(bytes);
    if !book.get_ref().starts_with(b"PK") {
        // The legacy binary reader trusts the sizes written in the file (a sheet's declared
        // dimensions are allocated before a cell is read), so a hostile .xls could abort the
        // app; these files are refused with the way out.
        return Err(
            "this is an Excel 97-2003 workbook (.xls), which Faultline does not read; \
             save it as .xlsx (Excel workbook) or as CSV and open that"
                .into(),
        );
    }
    check_shared_strings(book.get_ref())?;
    if book.get_ref().get(30..38) == Some(b"mimetype") {
        return open_workbook_from_rs::<Ods<_>, _>(book)
            .map(Sheets::Ods)
            .map_err(|e| e.to_string());
    }
    match open_workbook_from_rs::<Xlsx<_>, _>(book.clone()) {
        Ok(xlsx) => Ok(Sheets::Xlsx(xlsx)),
        Err(xlsx_error) => open_workbook_from_rs::<Xlsb<_>, _>(book)
            .map(Sheets::Xlsb)
            .map_err(|_| xlsx_error.to_string()),
    }
}

/// The most shared strings a workbook may declare: the Excel reader reserves room for as many
/// as the file says it holds, before reading one, so a lying count would exhaust memory and
/// abort the process where no error can be returned.
const MAX_SHARED_STRINGS: u64 = 50_000_000;
/// The largest shared-strings part read (they are held in memory).
const MAX_SHARED_STRINGS_BYTES: u64 = 4 << 30;

/// Refuses a workbook whose shared-strings part declares more strings than it could hold
/// (each takes at least five bytes, `<si/>`) or more than [`MAX_SHARED_STRINGS`], or is larger
/// than [`MAX_SHARED_STRINGS_BYTES`]. Every part named like one is checked, whatever its
/// folder or case, since the reader finds it that way.
fn check_shared_strings(bytes: &[u8]) -> Result<(), String> {
    use std::io::Read as _;
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // Not a ZIP archive the readers could open either: they say why.
        return Ok(());
    };
    for i in 0..archive.len() {
        let Ok(mut part) = archive.by_index(i) else {
            continue;
        };
        let Ok(part_name) = part.name().map(|n| n.into_owned()) else {
            continue;
        };
        if !part_name
            .replace('\\', "/")
            .to_ascii_lowercase()
            .ends_with("sharedstrings.xml")
        {
            continue;
        }
        let mut declared = 0u64;
        let mut size = 0u64;
        let mut chunk = vec![0u8; 1 << 16];
        // The end of the previous chunk, so that an attribute across two chunks is found.
        let mut carry: Vec<u8> = Vec::new();
        loop {
            let read = part.read(&mut chunk).map_err(|e| e.to_string())?;
            if read == 0 {
                break;
            }
            size += read as u64;
            if size > MAX_SHARED_STRINGS_BYTES {
                return Err(format!(
                    "its shared strings ({part_name}) are larger than {} GB",
                    MAX_SHARED_STRINGS_BYTES >> 30
                ));
            }
            carry.extend_from_slice(&chunk[..read]);
            declared = declared.max(largest_unique_count(&carry));
            let keep = carry.len().saturating_sub(64);
            carry.drain(..keep);
        }
        if declared > MAX_SHARED_STRINGS || declared > size / 5 {
            return Err(format!(
                "its shared strings ({part_name}) say there are {declared} of them in {size} bytes"
            ));
        }
    }
    Ok(())
}

/// The largest `uniqueCount="N"` in `text` (0 when there is none; `u64::MAX` for a number
/// too long to hold).
fn largest_unique_count(text: &[u8]) -> u64 {
    const KEY: &[u8] = b"uniqueCount";
    let mut largest = 0;
    let mut from = 0;
    while let Some(at) = text[from..].windows(KEY.len()).position(|w| w == KEY) {
        let rest = &text[from + at + KEY.len()..];
        from += at + KEY.len();
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")) else {
            continue;
        };
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let value = std::str::from_utf8(&rest[..digits])
            .ok()
            .and_then(|d| d.parse::<u64>().ok())
            .unwrap_or(if digits > 0 { u64::MAX } else { 0 });
        largest = largest.max(value);
    }
    largest
}

/// One sheet as CSV. Excel sheets are streamed cell by cell (a sheet with one cell in its
/// last row and column must not allocate a million rows of empty cells); the others are read
/// whole (their readers cap repeated rows and columns).
fn sheet_text(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str) -> Result<SheetText, String> {
    let mut sheet = SheetText::new(name);
    match book {
        Sheets::Xlsx(xlsx) => {
            let mut cells = xlsx
                .worksheet_cells_reader(name)
                .map_err(|e| e.to_string())?;
            let mut stream = RowStream::default();
            while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
                let (row, column) = cell.get_position();
                stream.cell(&mut sheet, row, column, data_ref_text(cell.get_value()))?;
            }
            stream.finish(&mut sheet);
        }
        Sheets::Xlsb(xlsb) => {
            let mut cells = xlsb
                .worksheet_cells_reader(name)
                .map_err(|e| e.to_string())?;
            let mut stream = RowStream::default();
            while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
                let (row, column) = cell.get_position();
                stream.cell(&mut sheet, row, column, data_ref_text(cell.get_value()))?;
            }
            stream.finish(&mut sheet);
        }
        other => {
            let range = other.worksheet_range(name).map_err(|e| e.to_string())?;
            let Some((first_row, first_column)) = range.start() else {
                return Ok(sheet);
            };
            // Columns before the range's first are empty; keep them so a column's position
            // does not depend on the sheet's margins.
            let pad = first_column as usize;
            let mut cells = Vec::new();
            for (i, row) in range.rows().enumerate() {
                cells.clear();
                cells.resize(pad, String::new());
                cells.extend(row.iter().map(data_text));
                sheet.push_row(first_row + i as u32 + 1, &cells);
            }
        }
    }
    Ok(sheet)
}

/// Gathers streamed cells into rows.
#[derive(Default)]
struct RowStream {
    row: Option<u32>,
    cells: Vec<String>,
}

/// The widest row a streamed sheet may have: Excel's own limit (column XFD).
const MAX_COLUMNS: u32 = 16_384;

impl RowStream {
    fn cell(
        &mut self,
        sheet: &mut SheetText,
        row: u32,
        column: u32,
        text: String,
    ) -> Result<(), String> {
        if column >= MAX_COLUMNS {
            return Err(format!(
                "row {}: a cell in column {} (Excel stops at {MAX_COLUMNS})",
                row + 1,
                column + 1
            ));
        }
        match self.row {
            Some(current) if current == row => {}
            Some(current) if row < current => {
                return Err(format!(
                    "row {} comes after row {} (a worksheet lists its rows in order)",
                    row + 1,
                    current + 1
                ))
            }
            _ => {
                self.finish(sheet);
                self.row = Some(row);
            }
        }
        let column = column as usize;
        if self.cells.len() <= column {
            self.cells.resize(column + 1, String::new());
        }
        self.cells[column] = text;
        Ok(())
    }

    fn finish(&mut self, sheet: &mut SheetText) {
        if let Some(row) = self.row.take() {
            sheet.push_row(row + 1, &self.cells);
        }
        self.cells.clear();
    }
}

fn data_text(value: &Data) -> String {
    match value {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => date_text(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

fn data_ref_text(value: &DataRef) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => date_text(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A number as a person would type it: `2024`, not `2024.0`; `33.3152` as it is.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// An Excel date: `2024-10-05`, or `2024-10-05T13:45:00` when it has a time of day. A
/// duration stays a number of days.
fn date_text(value: &calamine::ExcelDateTime) -> String {
    if !value.is_datetime() {
        return number_text(value.as_f64());
    }
    let (year, month, day, hour, minute, second, _) = value.to_ymd_hms_milli();
    if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(number_text(2024.0), "2024");
        assert_eq!(number_text(33.3152), "33.3152");
        assert_eq!(number_text(-0.5), "-0.5");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }

    #[test]
    fn excel_dates_read_as_iso_days() {
        let day =
            calamine::ExcelDateTime::new(45_569.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&day), "2024-10-04");
        let noon =
            calamine::ExcelDateTime::new(45_569.5, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&noon), "2024-10-04T12:00:00");
    }

    #[test]
    fn empty_rows_are_left_out_and_problems_placed_by_row() {
        let mut sheet = SheetText::new("S");
        sheet.push_row(3, &["a".into(), "two\nlines".into()]);
        sheet.push_row(4, &[String::new(), String::new()]);
        sheet.push_row(5, &["x".into()]);
        assert_eq!(
            String::from_utf8_lossy(&sheet.image.csv),
            "a,\"two\nlines\"\nx\n"
        );
        let mut place = Place::at(3, 7);
        sheet.relocate(&mut place);
        assert_eq!(place.record.as_deref(), Some("sheet 'S', row 5"));
        assert_eq!(place.line, None);
    }

    #[test]
    fn a_declared_count_of_shared_strings_is_found_wherever_it_is_written() {
        assert_eq!(
            largest_unique_count(b"<sst count=\"9\" uniqueCount=\"7\">"),
            7
        );
        assert_eq!(largest_unique_count(b"<x:sst uniqueCount = '12'/>"), 12);
        assert_eq!(
            largest_unique_count(b"uniqueCount=\"99999999999999999999999\""),
            u64::MAX
        );
        assert_eq!(largest_unique_count(b"uniqueCount"), 0);
        assert_eq!(largest_unique_count(b"<si><t>uniqueCount</t></si>"), 0);
    }

    #[test]
    fn rows_out_of_order_are_refused() {
        let mut sheet = SheetText::new("S");
        let mut stream = RowStream::default();
        stream.cell(&mut sheet, 4, 0, "a".into()).unwrap();
        assert!(stream.cell(&mut sheet, 2, 0, "b".into()).is_err());
        assert!(stream.cell(&mut sheet, 4, MAX_COLUMNS, "c".into()).is_err());
    }
}
