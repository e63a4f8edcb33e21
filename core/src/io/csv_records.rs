//! The records of one piece of a CSV file (a run of whole records, cut by the block reader),
//! each with its cells as text and the lines it spans.
//!
//! A piece quoted the plain way — a quote only opens a field at its start or closes it
//! before a delimiter or a line end, every quoted field is closed, lines end in LF or CRLF —
//! is read by `simd-csv`, which finds the delimiters with vector instructions (about 2.5
//! times the csv crate's speed on an ACLED export). Any other piece is read by the csv
//! crate, whose rules for odd files are the ones Faultline follows: a quote inside an
//! unquoted field is text (`12" mortar`), text after a closing quote joins the field, a lone
//! CR ends a line, and a quote never closed runs to the end. `simd-csv` reads those
//! differently, so they never reach it; a test checks that both readers give the same cells
//! and lines on every plain piece.
//!
//! Lines are numbered from the bytes, as an editor numbers them: the csv crate's own count
//! lags a line after a CRLF and counts the empty lines before a record after it.
//! [`LineEndLog`] does this for any reader the csv crate reads from, so the UCDP, GDELT
//! and aggregated-data readers name the same lines.

/// Where a record is in its piece: its first and last line (1-based within the piece).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lines {
    pub first: u64,
    pub last: u64,
}

/// A record the reader could not read: where, in which field when one is to blame, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub line: u64,
    pub field: Option<usize>,
    pub why: String,
}

/// The records of one piece, read one at a time; the last one read is kept, for its cells.
pub enum PieceRecords<'b> {
    Plain(PlainRecords<'b>),
    Odd(OddRecords<'b>),
}

impl<'b> PieceRecords<'b> {
    /// The records of `bytes`, which starts at a record's start and holds whole records.
    pub fn new(bytes: &'b [u8], delimiter: u8) -> PieceRecords<'b> {
        PieceRecords::plain(bytes, delimiter).unwrap_or_else(|| PieceRecords::odd(bytes, delimiter))
    }

    /// The records of a plain piece, read by `simd-csv`; `None` for any other.
    pub fn plain(bytes: &'b [u8], delimiter: u8) -> Option<PieceRecords<'b>> {
        let line_ends = plain_quoting(bytes, delimiter)?;
        Some(PieceRecords::Plain(PlainRecords::new(
            bytes, delimiter, line_ends,
        )))
    }

    /// The records of any piece, read by the csv crate.
    pub fn odd(bytes: &'b [u8], delimiter: u8) -> PieceRecords<'b> {
        PieceRecords::Odd(OddRecords::new(bytes, delimiter))
    }

    /// Reads the next record; `None` at the end of the piece.
    pub fn read_next(&mut self) -> Option<Result<Lines, Unreadable>> {
        match self {
            PieceRecords::Plain(records) => records.read_next(),
            PieceRecords::Odd(records) => records.read_next(),
        }
    }

    /// The number of cells of the record read last.
    pub fn width(&self) -> usize {
        match self {
            PieceRecords::Plain(records) => records.record.len(),
            PieceRecords::Odd(records) => records.record.len(),
        }
    }

    /// Cell `column` of the record read last.
    pub fn get(&self, column: usize) -> Option<&str> {
        match self {
            PieceRecords::Plain(records) => records.get(column),
            PieceRecords::Odd(records) => records.record.get(column),
        }
    }

    /// The cells of the record read last.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.width()).filter_map(|column| self.get(column))
    }

    /// Every record left, with its lines and its cells copied out (for comparing readers).
    /// A lone empty line, which one reader may give as a record of one empty cell and the
    /// other pass over, is left out.
    pub fn read_all(mut self) -> Vec<Result<(Lines, Vec<String>), Unreadable>> {
        let mut all = Vec::new();
        while let Some(read) = self.read_next() {
            match read {
                Ok(_) if self.width() == 1 && self.get(0) == Some("") => {}
                Ok(lines) => all.push(Ok((lines, self.cells().map(str::to_string).collect()))),
                Err(unreadable) => all.push(Err(unreadable)),
            }
        }
        all
    }
}

/// A plain piece, read by `simd-csv`.
pub struct PlainRecords<'b> {
    reader: simd_csv::TotalReader<'b>,
    record: simd_csv::ByteRecord,
    /// The bytes of `record` as text (checked once for the whole record).
    text: String,
    /// The piece's line ends, as the quoting check found them.
    line_ends: LineEnds,
}

impl<'b> PlainRecords<'b> {
    fn new(bytes: &'b [u8], delimiter: u8, line_ends: LineEnds) -> PlainRecords<'b> {
        let reader = simd_csv::TotalReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .from_bytes(bytes);
        PlainRecords {
            reader,
            record: simd_csv::ByteRecord::new(),
            text: String::new(),
            line_ends,
        }
    }

    fn read_next(&mut self) -> Option<Result<Lines, Unreadable>> {
        let before = self.reader.position();
        if !self.reader.read_byte_record(&mut self.record) {
            return None;
        }
        let lines = self.line_ends.lines(before..self.reader.position());
        self.text.clear();
        // The record's bytes are its cells run together (with some quotes and delimiters
        // between them): valid text there, with every cell ending on a character's
        // boundary, is valid text in every cell.
        if let Ok(text) = std::str::from_utf8(self.record.as_slice()) {
            let ends = (0..self.record.len()).filter_map(|column| self.span(column));
            if ends.into_iter().all(|span| text.is_char_boundary(span.end)) {
                self.text.push_str(text);
                return Some(Ok(lines));
            }
        }
        // The first cell that is not UTF-8, as the csv crate names it.
        let field = (0..self.record.len()).find(|&column| {
            self.record
                .get(column)
                .is_some_and(|cell| std::str::from_utf8(cell).is_err())
        });
        self.record.clear();
        Some(Err(Unreadable {
            line: lines.first,
            field,
            why: "the cell is not valid UTF-8".to_string(),
        }))
    }

    /// Where cell `column` lies in the record's bytes.
    fn span(&self, column: usize) -> Option<std::ops::Range<usize>> {
        let cell = self.record.get(column)?;
        let start = cell.as_ptr() as usize - self.record.as_slice().as_ptr() as usize;
        Some(start..start + cell.len())
    }

    fn get(&self, column: usize) -> Option<&str> {
        self.text.get(self.span(column)?)
    }
}

/// Any other piece, read by the csv crate.
pub struct OddRecords<'b> {
    reader: csv::Reader<LineEndLog<&'b [u8]>>,
    record: csv::StringRecord,
}

impl<'b> OddRecords<'b> {
    fn new(bytes: &'b [u8], delimiter: u8) -> OddRecords<'b> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(LineEndLog::new(bytes));
        OddRecords {
            reader,
            record: csv::StringRecord::new(),
        }
    }

    fn read_next(&mut self) -> Option<Result<Lines, Unreadable>> {
        let (read, lines) = LineEndLog::read(&mut self.reader, |r| r.read_record(&mut self.record));
        match read {
            Ok(false) => None,
            Ok(true) => Some(Ok(lines)),
            Err(e) => {
                let line = lines.first;
                let (field, why) = match e.kind() {
                    csv::ErrorKind::Utf8 { err, .. } => {
                        (Some(err.field()), "the cell is not valid UTF-8".to_string())
                    }
                    other => (None, format!("unreadable CSV record: {other:?}")),
                };
                Some(Err(Unreadable { line, field, why }))
            }
        }
    }
}

/// A reader that notes where its line ends (LF and CR) are, so that the lines of the
/// records the csv crate reads through it are numbered as an editor numbers them: the csv
/// crate's own count lags a line after a CRLF, and counts the empty lines before a record
/// after it.
pub struct LineEndLog<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    line_ends: LineEnds,
}

impl<R: std::io::Read> LineEndLog<R> {
    pub fn new(inner: R) -> LineEndLog<R> {
        LineEndLog {
            inner,
            offset: 0,
            line_ends: LineEnds::default(),
        }
    }

    /// Runs `read` (one record, or the header) on `reader` and numbers the lines of what it
    /// read.
    pub fn read<T>(
        reader: &mut csv::Reader<LineEndLog<R>>,
        read: impl FnOnce(&mut csv::Reader<LineEndLog<R>>) -> T,
    ) -> (T, Lines) {
        let before = reader.position().byte();
        let out = read(reader);
        let after = reader.position().byte();
        (out, reader.get_mut().line_ends.lines(before..after))
    }
}

impl<R: std::io::Read> std::io::Read for LineEndLog<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for i in memchr::memchr2_iter(b'\n', b'\r', &buf[..n]) {
            self.line_ends.note(self.offset + i as u64, buf[i] == b'\n');
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// The line ends (LF and CR) of a text, in order, taken as the records that hold them are
/// numbered.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LineEnds {
    /// Line ends not yet behind a record: where, and whether a newline (else a CR).
    ends: std::collections::VecDeque<(u64, bool)>,
    /// Newlines behind the records numbered so far.
    newlines: u64,
}

impl LineEnds {
    fn note(&mut self, at: u64, newline: bool) {
        self.ends.push_back((at, newline));
    }

    /// The lines of the record that took bytes `read` (from the reader's position before
    /// it to its position after): the line ends it starts with (empty lines, the LF of a
    /// CRLF) are passed over, as the readers pass over them.
    fn lines(&mut self, read: std::ops::Range<u64>) -> Lines {
        let mut start = read.start;
        while let Some(&(at, newline)) = self.ends.front() {
            if at > start || start >= read.end {
                break;
            }
            self.ends.pop_front();
            self.newlines += u64::from(newline);
            start = start.max(at + 1);
        }
        let first = self.newlines + 1;
        let mut inside = 0;
        while let Some(&(at, newline)) = self.ends.front() {
            if at >= read.end {
                break;
            }
            self.ends.pop_front();
            if newline {
                self.newlines += 1;
                // The newline that ends the record is not inside it.
                inside += u64::from(at + 1 < read.end);
            }
        }
        Lines {
            first,
            last: first + inside,
        }
    }
}

/// Whether the lines of a text that starts with `head` end in a carriage return alone, as
/// Excel's "CSV (Macintosh)" writes them: a CR, and no newline at all.
pub fn lines_end_in_cr_alone(head: &[u8]) -> bool {
    memchr::memchr(b'\n', head).is_none() && memchr::memchr(b'\r', head).is_some()
}

/// A reader that hands on a text whose lines end in CR alone with newlines instead, so that
/// the readers (which cut blocks and count lines at newlines) read it as any other file.
pub struct CrAsNewline<R> {
    inner: R,
}

impl<R> CrAsNewline<R> {
    pub fn new(inner: R) -> CrAsNewline<R> {
        CrAsNewline { inner }
    }
}

impl<R: std::io::Read> std::io::Read for CrAsNewline<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        cr_as_newline(&mut buf[..n]);
        Ok(n)
    }
}

/// Turns every CR of `bytes` into a newline.
pub fn cr_as_newline(bytes: &mut [u8]) {
    for byte in bytes.iter_mut().filter(|b| **b == b'\r') {
        *byte = b'\n';
    }
}

/// Whether `bytes` is quoted the plain way, where `simd-csv` reads what the csv crate
/// reads: a quote opens a field only at its start and closes it only before a delimiter, a
/// line end or the end of the piece; two quotes inside a quoted field are one; every quoted
/// field is closed; a CR outside quotes is part of a CRLF; no byte-order mark at the start
/// (`simd-csv` would drop it); an ASCII delimiter; and a newline at the end (`simd-csv`
/// 0.13 keeps the opening quote of a last record's quoted field that holds a line break
/// when no newline follows it). Gives the piece's line ends when it is.
fn plain_quoting(bytes: &[u8], delimiter: u8) -> Option<LineEnds> {
    if !delimiter.is_ascii() || matches!(delimiter, b'"' | b'\r' | b'\n') {
        return None;
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") || !bytes.ends_with(b"\n") {
        return None;
    }
    let mut line_ends = LineEnds::default();
    let mut quoted = false;
    // The second quote of an escaped pair, passed over.
    let mut escaped_at = None;
    for i in memchr::memchr3_iter(b'"', b'\r', b'\n', bytes) {
        if escaped_at == Some(i) {
            continue;
        }
        let next = bytes.get(i + 1).copied();
        match bytes[i] {
            b'\n' => line_ends.note(i as u64, true),
            b'\r' => {
                if !quoted && next != Some(b'\n') {
                    return None;
                }
                line_ends.note(i as u64, false);
            }
            _ if quoted => match next {
                Some(b'"') => escaped_at = Some(i + 1),
                None | Some(b'\n') => quoted = false,
                Some(b'\r') if bytes.get(i + 2) == Some(&b'\n') => quoted = false,
                Some(d) if d == delimiter => quoted = false,
                _ => return None,
            },
            _ if i == 0 || bytes[i - 1] == b'\n' || bytes[i - 1] == delimiter => quoted = true,
            _ => return None,
        }
    }
    (!quoted).then_some(line_ends)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = Result<(Lines, Vec<String>), Unreadable>;

    fn both(bytes: &[u8], delimiter: u8) -> (Vec<Read>, Vec<Read>) {
        let plain = PieceRecords::plain(bytes, delimiter).expect("a plain piece");
        let odd = PieceRecords::odd(bytes, delimiter);
        (plain.read_all(), odd.read_all())
    }

    #[test]
    fn odd_quoting_is_not_plain() {
        for odd in [
            &b"a,12\" mortar\n"[..],
            b"a,\"b\"c\n",
            b"a,\"never closed\n",
            b"a\rb\n",
            b"a,b\r",
            b"\xEF\xBB\xBFa,b\n",
            b"a, \"b\"\n",
            b"a,b",
        ] {
            let quoting = plain_quoting(odd, b',');
            assert_eq!(quoting, None, "{:?}", String::from_utf8_lossy(odd));
        }
        for plain in [
            &b"a,\"b, \"\"c\"\"\nd\"\r\ne,f\n"[..],
            b"\"a\"\n",
            b"a,\"\"\n\n\nb,c\n",
            b"x,\"cr\rinside\"\n",
        ] {
            let quoting = plain_quoting(plain, b',');
            assert!(quoting.is_some(), "{:?}", String::from_utf8_lossy(plain));
        }
    }

    #[test]
    fn plain_pieces_read_alike_by_both_readers() {
        let (plain, odd) = both(
            "id,note\n1,\"a \"\"b\"\", c\nd\"\r\n\n2,é\n3,\"\"\n".as_bytes(),
            b',',
        );
        assert_eq!(plain, odd);
        assert_eq!(plain.len(), 4);
        let Ok((lines, cells)) = &plain[1] else {
            panic!("{plain:?}")
        };
        assert_eq!(*lines, Lines { first: 2, last: 3 });
        assert_eq!(cells, &["1", "a \"b\", c\nd"]);
        let Ok((lines, _)) = &plain[2] else {
            panic!("{plain:?}")
        };
        assert_eq!(lines.first, 5, "after an empty line");
    }

    #[test]
    fn a_cell_that_is_not_utf8_is_named_by_both_readers() {
        let (plain, odd) = both(b"a,b,c\n1,\"x\xFFy\",3\n4,5,6\n", b',');
        assert_eq!(plain, odd);
        assert_eq!(
            plain[1],
            Err(Unreadable {
                line: 2,
                field: Some(1),
                why: "the cell is not valid UTF-8".into()
            })
        );
        assert_eq!(plain.len(), 3, "the records after it are read");
        // Two cells that are not UTF-8 but whose bytes, run together, are (D7 98 is "ט").
        let (plain, odd) = both(b"a,\"x\xD7\",\x98\n", b',');
        assert_eq!(plain, odd);
        assert!(
            matches!(plain[0], Err(Unreadable { field: Some(1), .. })),
            "{plain:?}"
        );
    }

    /// Random pieces over the bytes that matter to quoting: wherever the plain check lets
    /// one through, simd-csv gives exactly the csv crate's cells and lines.
    #[test]
    fn every_plain_piece_reads_as_the_csv_crate_reads_it() {
        let alphabet: [&[u8]; 12] = [
            b"a",
            b"\"",
            b",",
            b"\n",
            b"\r\n",
            b"\r",
            b" ",
            "é".as_bytes(),
            b"\xFF",
            b";",
            // The halves of "é": a cell may end inside a character.
            b"\xC3",
            b"\xA9",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut plain_seen = 0;
        for _ in 0..40_000 {
            let len = (next() % 24) as usize;
            let mut bytes = Vec::new();
            for _ in 0..len {
                bytes.extend_from_slice(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            // Pieces end at a record's end (only a file's last piece may not).
            bytes.push(b'\n');
            for delimiter in [b',', b';'] {
                if plain_quoting(&bytes, delimiter).is_some() {
                    plain_seen += 1;
                    let (plain, odd) = both(&bytes, delimiter);
                    assert_eq!(plain, odd, "{:?}", String::from_utf8_lossy(&bytes));
                }
            }
        }
        assert!(plain_seen > 10_000, "only {plain_seen} plain pieces");
    }
}
