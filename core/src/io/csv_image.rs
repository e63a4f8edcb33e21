//! CSV written in memory from records that are not CSV (a workbook's sheet, a JSON array of
//! objects), so that the CSV readers read them, with where each CSV line came from, so that
//! their problems can be placed in the original (`sheet 'Data', row 12`, `data[3]`).

/// CSV text and the origin of each of its lines.
pub struct CsvImage<O> {
    /// The CSV text.
    pub csv: Vec<u8>,
    /// `origins[i]` is where CSV line `i + 1` came from.
    origins: Vec<O>,
}

impl<O: Copy> CsvImage<O> {
    /// No lines yet.
    pub fn new() -> CsvImage<O> {
        CsvImage {
            csv: Vec::new(),
            origins: Vec::new(),
        }
    }

    /// Appends one record, its cells quoted where CSV needs it.
    pub fn push_row<S: AsRef<str>>(&mut self, origin: O, cells: &[S]) {
        let mut lines = 1;
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.csv.push(b',');
            }
            lines += push_cell(&mut self.csv, cell.as_ref());
        }
        self.csv.push(b'\n');
        self.origins.extend(std::iter::repeat_n(origin, lines));
    }

    /// Where CSV line `line` (from 1) came from.
    pub fn origin(&self, line: u64) -> Option<O> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.origins.get(index).copied()
    }

    /// True before the first record.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }
}

impl<O: Copy> Default for CsvImage<O> {
    fn default() -> Self {
        CsvImage::new()
    }
}

/// Appends one CSV cell, quoted where CSV needs it; returns how many line breaks it holds (a
/// cell with line breaks spans several CSV lines, all from one record).
pub fn push_cell(csv: &mut Vec<u8>, cell: &str) -> usize {
    if cell.contains([',', '"', '\n', '\r']) {
        csv.push(b'"');
        csv.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
        csv.push(b'"');
        cell.bytes().filter(|b| *b == b'\n').count()
    } else {
        csv.extend_from_slice(cell.as_bytes());
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_with_commas_quotes_and_line_breaks_stay_one_field_and_one_origin() {
        let mut image = CsvImage::new();
        image.push_row(3, &["a,b", "say \"no\"", "two\nlines"]);
        image.push_row(5, &["x"]);
        assert_eq!(
            String::from_utf8_lossy(&image.csv),
            "\"a,b\",\"say \"\"no\"\"\",\"two\nlines\"\nx\n"
        );
        assert_eq!(
            (1..=4).map(|l| image.origin(l)).collect::<Vec<_>>(),
            [Some(3), Some(3), Some(5), None]
        );
        assert_eq!(image.origin(0), None);
    }
}
