//! ACLED CSV exports, every vintage: columns found by header name (any case, any order,
//! optional ones missing, extra ones ignored), `ally_actor_*` or `assoc_actor_*`, `NA` for
//! missing values, and all the date spellings of [`super::dates`].

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

use chrono::{Datelike, Days};

use super::csv_records::{Lines, PieceRecords};
use super::dates::{parse_cell, resolve_numeric, CellDate, OrderEvidence};
use super::import::{coordinates, count, present, read_error, ImportBuilder, ProgressReader};
use super::problem::{LoadError, Place, Problem};
use super::{Format, OpenOptions, Opened};
use crate::model::{ActorIndex, ActorKind, DateSpan, EventRow, Location, Status, StatusKind, Text};
use crate::store::bulk::AttributeColumns;
use crate::text::cut;

/// The columns an ACLED file must have (by lower-case header name).
pub const REQUIRED: [&str; 3] = ["event_date", "event_type", "actor1"];

/// Columns kept as event attributes when present.
const KEPT_ATTRIBUTES: [&str; 14] = [
    "disorder_type",
    "interaction",
    "inter1",
    "inter2",
    "tags",
    "source",
    "source_scale",
    "civilian_targeting",
    "geo_precision",
    "region",
    "iso",
    "iso3",
    "time_precision",
    // When the record last changed (Unix seconds): of two releases of one event, the newer.
    "timestamp",
];

/// Column positions, found by name.
struct Columns {
    by_name: HashMap<String, usize>,
    names: Vec<String>,
}

impl Columns {
    fn new(header: &[String]) -> Columns {
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                h.trim()
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_ascii_lowercase()
            })
            .collect();
        let mut by_name = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            by_name.entry(n.clone()).or_insert(i);
        }
        Columns { by_name, names }
    }

    fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.by_name.get(*n).copied())
    }
}

/// ACLED's `inter` codes (numeric in older exports, words in newer ones) as actor kinds.
fn actor_kind(inter: Option<&str>) -> ActorKind {
    const KINDS: [(&str, ActorKind); 16] = [
        ("1", ActorKind::GovernmentBody),
        ("state forces", ActorKind::GovernmentBody),
        ("2", ActorKind::ArmedGroup),
        ("3", ActorKind::ArmedGroup),
        ("4", ActorKind::ArmedGroup),
        ("rebel group", ActorKind::ArmedGroup),
        ("political militia", ActorKind::ArmedGroup),
        ("identity militia", ActorKind::ArmedGroup),
        ("5", ActorKind::CivilianGroup),
        ("6", ActorKind::CivilianGroup),
        ("7", ActorKind::CivilianGroup),
        ("rioters", ActorKind::CivilianGroup),
        ("protesters", ActorKind::CivilianGroup),
        ("civilians", ActorKind::CivilianGroup),
        ("8", ActorKind::Organisation),
        ("external/other forces", ActorKind::Organisation),
    ];
    let Some(inter) = inter.map(str::trim) else {
        return ActorKind::Unknown;
    };
    // Compared without case, in place: this runs for both actors of every row.
    KINDS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(inter))
        .map_or(ActorKind::Unknown, |&(_, kind)| kind)
}

/// " (the record spans lines 3–5: an unclosed quote?)" for a record over several lines.
pub fn spanned_lines(first: u64, last: u64) -> String {
    if last > first {
        format!(" (the record spans lines {first}–{last}: a quote that is never closed?)")
    } else {
        String::new()
    }
}

/// The column of a quoted field that holds lines looking like whole rows (as many commas as
/// the header) — the mark of a quote that was opened and never closed, swallowing the rows
/// after it. Only wide files are checked: in a narrow one a note with a few commas is normal.
pub fn swallowed_rows<'f>(
    mut fields: impl Iterator<Item = &'f [u8]>,
    columns: usize,
) -> Option<usize> {
    if columns < 8 {
        return None;
    }
    fields.position(|field| {
        field.contains(&b'\n')
            && field
                .split(|&b| b == b'\n')
                .skip(1)
                .any(|line| line.iter().filter(|&&b| b == b',').count() + 1 >= columns)
    })
}

/// A row whose numeric date waits for the column's day/month order.
struct PendingDate {
    event_index: usize,
    a: u32,
    b: u32,
    year: i32,
    precision: u8,
    line: u64,
    record: u64,
    raw: String,
}

/// Applies ACLED's `time_precision`: 1 the day; 2 the week around the coded day (ACLED codes
/// the middle of the week); 3 the month.
fn with_precision(day: chrono::NaiveDate, precision: u8) -> DateSpan {
    match precision {
        2 => {
            let start = day.checked_sub_days(Days::new(3)).unwrap_or(day);
            let end = day.checked_add_days(Days::new(3)).unwrap_or(day);
            DateSpan::range(start, end).unwrap_or(DateSpan::Day(day))
        }
        3 => DateSpan::month(day.year(), day.month()).unwrap_or(DateSpan::Day(day)),
        _ => DateSpan::Day(day),
    }
}

/// Column positions of the fields the importer reads.
struct Layout {
    width: usize,
    names: Vec<String>,
    date: Option<usize>,
    event_type: Option<usize>,
    sub_event_type: Option<usize>,
    actor1: Option<usize>,
    actor2: Option<usize>,
    assoc1: Option<usize>,
    assoc2: Option<usize>,
    inter1: Option<usize>,
    inter2: Option<usize>,
    /// The first of these that a row fills is its id.
    ids: Vec<usize>,
    precision: Option<usize>,
    country: Option<usize>,
    admin: [Option<usize>; 3],
    location: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    fatalities: Option<usize>,
    notes: Option<usize>,
    kept: Vec<(String, usize)>,
    /// The field delimiter (a comma for ACLED; a mapped table may use tabs or semicolons).
    delimiter: u8,
    /// A table read through a column map: no type means "Event", no actor is allowed, and
    /// every other column is kept.
    generic: bool,
}

impl Layout {
    fn new(cols: &Columns, header: &[String], delimiter: u8, generic: bool) -> Layout {
        let col = |names: &[&str]| cols.find(names);
        // A table keeps every column that is not a field it was mapped to, under its own
        // name; an ACLED export keeps the columns ACLED documents.
        let kept: Vec<(String, usize)> = if generic {
            let fields: Vec<&str> = super::table::FIELDS
                .iter()
                .map(|(_, acled, _)| *acled)
                .collect();
            cols.names
                .iter()
                .enumerate()
                .filter(|(_, n)| !fields.contains(&n.as_str()))
                .map(|(i, _)| (header[i].trim().to_string(), i))
                .collect()
        } else {
            KEPT_ATTRIBUTES
                .iter()
                .filter_map(|name| col(&[name]).map(|i| (name.to_string(), i)))
                .collect()
        };
        Layout {
            delimiter,
            generic,
            width: cols.names.len(),
            names: cols.names.clone(),
            date: col(&["event_date"]),
            event_type: col(&["event_type"]),
            sub_event_type: col(&["sub_event_type"]),
            actor1: col(&["actor1"]),
            actor2: col(&["actor2"]),
            assoc1: col(&["assoc_actor_1", "ally_actor_1"]),
            assoc2: col(&["assoc_actor_2", "ally_actor_2"]),
            inter1: col(&["inter1"]),
            inter2: col(&["inter2"]),
            ids: ["event_id_cnty", "data_id", "event_id_no_cnty"]
                .iter()
                .filter_map(|name| col(&[name]))
                .collect(),
            precision: col(&["time_precision"]),
            country: col(&["country"]),
            admin: [col(&["admin1"]), col(&["admin2"]), col(&["admin3"])],
            location: col(&["location"]),
            latitude: col(&["latitude"]),
            longitude: col(&["longitude"]),
            fatalities: col(&["fatalities"]),
            notes: col(&["notes"]),
            kept,
        }
    }
}

/// What one part of the file gave: its rows in a store of their own, and its problems.
#[derive(Default)]
struct Piece {
    store: crate::store::Store,
    /// Line and record number (within the piece) of each row of `store`.
    row_places: Vec<(u64, u64)>,
    /// Problems, with the record number within the piece.
    problems: Vec<(u64, Problem)>,
    /// Rows kept without their unusable coordinates, with the record number within the piece.
    unplaced: Vec<(u64, Problem)>,
    pending: Vec<PendingDate>,
    evidence: OrderEvidence,
    /// The rows' attributes, put into `store` when the piece is parsed.
    attributes: AttributeColumns,
    records: u64,
    /// Lines the piece spans (newlines in it).
    lines: u64,
    cancelled: bool,
}

/// Parses one part of the file that starts at a record boundary. Lines and records are
/// numbered from 1 within the part; the caller adds the offsets.
fn parse_piece(
    bytes: &[u8],
    layout: &Layout,
    strict: bool,
    cancel: Option<&std::sync::atomic::AtomicBool>,
) -> Piece {
    let (attributes, slots) =
        AttributeColumns::new(layout.kept.iter().map(|(name, _)| name.as_str()));
    let mut piece = Piece {
        lines: memchr::memchr_iter(b'\n', bytes).count() as u64,
        attributes,
        ..Piece::default()
    };
    // Room for a row per line and for notes filling half the piece (an ACLED export's are
    // about 45 % of its bytes), so the columns do not grow by copying as rows come.
    piece
        .store
        .reserve(piece.lines as usize + 1, bytes.len() / 2);
    let mut records = PieceRecords::new(bytes, layout.delimiter);
    loop {
        if strict && !piece.problems.is_empty() {
            break;
        }
        if piece.records.is_multiple_of(4096)
            && cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
        {
            piece.cancelled = true;
            break;
        }
        let read = records.read_next();
        let record_number = piece.records + 1;
        let lines = match read {
            None => break,
            Some(Ok(lines)) => lines,
            Some(Err(unreadable)) => {
                piece.records += 1;
                let field = unreadable.field.and_then(|i| layout.names.get(i)).cloned();
                let place = Place {
                    line: Some(unreadable.line),
                    column: None,
                    record: None,
                    field,
                };
                let problem = Problem::new(place, unreadable.why);
                piece.problems.push((record_number, problem));
                continue;
            }
        };
        // A lone empty line (e.g. at the end of the file) is not a record.
        if records.width() == 1 && records.get(0).is_some_and(str::is_empty) {
            continue;
        }
        piece.records += 1;
        let line = lines.first;
        let place = |field: Option<&str>| Place {
            line: Some(line),
            column: None,
            record: None,
            field: field.map(str::to_string),
        };
        if let Some((field, why)) = misshapen(&records, layout, lines) {
            piece
                .problems
                .push((record_number, Problem::new(place(field), why)));
            continue;
        }
        match checked_row(&records, layout, place) {
            Ok(mut values) => {
                if let Some(p) = values.unplaced.take() {
                    piece.unplaced.push((record_number, p));
                }
                let at = (line, record_number);
                add_row(&mut piece, &records, layout, &slots, values, at)
            }
            Err(p) => piece.problems.push((record_number, *p)),
        }
    }
    std::mem::take(&mut piece.attributes).install(&mut piece.store);
    piece
}

/// What is wrong with the shape of a record on lines `line`–`last_line`, and in which field
/// when one is to blame: another number of fields than the header, or a quote never closed
/// that swallows what look like whole rows.
fn misshapen<'l>(
    record: &PieceRecords<'_>,
    layout: &'l Layout,
    lines: Lines,
) -> Option<(Option<&'l str>, String)> {
    let Lines { first, last } = lines;
    if record.width() != layout.width {
        let why = format!(
            "the row has {} fields, the header has {}{}",
            record.width(),
            layout.width,
            spanned_lines(first, last)
        );
        return Some((None, why));
    }
    if last > first {
        let column = swallowed_rows(record.cells().map(str::as_bytes), layout.width)?;
        let why = format!(
            "a quote opened in this field is never closed: it runs over lines {first}–{last} and swallows what look like whole rows"
        );
        return Some((Some(&layout.names[column]), why));
    }
    None
}

/// The values of a row that must be right for it to be kept.
struct CheckedRow<'r> {
    event_type: &'r str,
    actor1: Option<&'r str>,
    precision: u8,
    raw_date: &'r str,
    date: CellDate,
    latitude: Option<f64>,
    longitude: Option<f64>,
    /// Why the coordinates, present but unusable, were dropped (the row is kept).
    unplaced: Option<Problem>,
    fatalities: Option<u32>,
}

/// Checks a row's required and numeric cells, or says which is wrong.
fn checked_row<'r>(
    record: &'r PieceRecords<'_>,
    layout: &Layout,
    place: impl Fn(Option<&str>) -> Place,
) -> Result<CheckedRow<'r>, Box<Problem>> {
    let get = |c: Option<usize>| c.and_then(|i| record.get(i)).and_then(present);
    let problem = |field: &str, message: String, value: Option<&str>| {
        let p = Problem::new(place(Some(field)), message);
        Box::new(match value {
            Some(v) => p.with_value(v),
            None => p,
        })
    };
    let event_type = match get(layout.event_type) {
        Some(t) => t,
        // A mapped table without a type column: every row is an event.
        None if layout.generic && layout.event_type.is_none() => "Event",
        None => {
            return Err(problem(
                "event_type",
                "the event type is empty".into(),
                None,
            ))
        }
    };
    let actor1 = get(layout.actor1);
    if actor1.is_none() && !layout.generic {
        return Err(problem("actor1", "actor1 is empty".into(), None));
    }
    let precision = match get(layout.precision) {
        None => 1,
        Some(p) => match p.parse::<u8>() {
            Ok(n @ 1..=3) => n,
            _ => {
                let why = "time_precision must be 1, 2 or 3".into();
                return Err(problem("time_precision", why, Some(p)));
            }
        },
    };
    let raw_date = get(layout.date).unwrap_or("");
    let date = parse_cell(raw_date).map_err(|why| problem("event_date", why, Some(raw_date)))?;
    let cell_problem = |(column, why): (String, String), c: Option<usize>| {
        problem(&column, why, Some(get(c).unwrap_or("")))
    };
    let (latitude, longitude, unusable) = coordinates(
        (get(layout.latitude), "latitude"),
        (get(layout.longitude), "longitude"),
    );
    let unplaced = unusable.map(|(column, why)| {
        let cell = if column == "latitude" {
            layout.latitude
        } else {
            layout.longitude
        };
        *cell_problem((column, why), cell)
    });
    let fatalities = count(get(layout.fatalities), "fatalities")
        .map_err(|e| cell_problem(e, layout.fatalities))?;
    Ok(CheckedRow {
        event_type,
        actor1,
        precision,
        raw_date,
        date,
        latitude,
        longitude,
        unplaced,
        fatalities,
    })
}

/// Adds a checked row to the piece's store: its actors, attributes and, for a day/month
/// order not yet known, a date to settle once the whole column is read.
fn add_row(
    piece: &mut Piece,
    record: &PieceRecords<'_>,
    layout: &Layout,
    attribute_slots: &[usize],
    row: CheckedRow,
    (line, record_number): (u64, u64),
) {
    let get = |c: Option<usize>| c.and_then(|i| record.get(i)).and_then(present);
    let store = &mut piece.store;
    let actor1 = row
        .actor1
        .map(|name| store.intern_actor(name, actor_kind(get(layout.inter1))));
    let actor2 = get(layout.actor2).map(|n| store.intern_actor(n, actor_kind(get(layout.inter2))));
    let mut associated = [Vec::new(), Vec::new()];
    for (side, c) in [layout.assoc1, layout.assoc2].into_iter().enumerate() {
        if let Some(list) = get(c) {
            for name in list.split(';').filter_map(present) {
                associated[side].push(ActorIndex(store.intern_actor(name, ActorKind::Unknown)));
            }
        }
    }
    let [associated_actors_1, associated_actors_2] = associated;
    let id = layout.ids.iter().find_map(|&c| get(Some(c)));
    let (date, numeric) = match row.date {
        CellDate::Known(day) => (with_precision(day, row.precision), None),
        CellDate::Numeric { a, b, year } => {
            piece.evidence.observe(a, b);
            // A placeholder until the whole column is read; see `settle_dates`.
            (DateSpan::Year(year), Some((a, b, year)))
        }
    };
    let cells = layout.kept.iter().zip(attribute_slots);
    piece.attributes.push_row(
        store,
        cells.filter_map(|((_, i), &slot)| Some((slot, record.get(*i).and_then(present)?))),
    );
    let text = |c: Option<usize>| get(c).map(Text::of);
    let event = EventRow {
        // Numbered once the pieces are joined when the file has no ids; see `read`.
        id: Text::of(id.unwrap_or("")),
        date,
        event_type: Text::of(row.event_type),
        sub_event_type: text(layout.sub_event_type),
        actor1: actor1.map(ActorIndex),
        actor2: actor2.map(ActorIndex),
        associated_actors_1,
        associated_actors_2,
        location: Location {
            place: text(layout.location),
            admin1: text(layout.admin[0]),
            admin2: text(layout.admin[1]),
            admin3: text(layout.admin[2]),
            country: text(layout.country),
            latitude: row.latitude,
            longitude: row.longitude,
        },
        fatalities: row.fatalities,
        fatalities_low: None,
        fatalities_high: None,
        description: Text::of(get(layout.notes).unwrap_or("")),
        weapons: Vec::new(),
        status: Status {
            kind: StatusKind::Reported,
            by: None,
        },
        notable: false,
        sources: Vec::new(),
        // Put into the store as columns; see `AttributeColumns`.
        attributes: BTreeMap::new(),
    };
    if let Some((a, b, year)) = numeric {
        piece.pending.push(PendingDate {
            event_index: store.len(),
            a,
            b,
            year,
            precision: row.precision,
            line,
            record: record_number,
            raw: row.raw_date.to_string(),
        });
    }
    store.push(&event);
    piece.row_places.push((line, record_number));
}

/// Bytes read per block; each block is split among the cores at record boundaries. Two
/// blocks are in memory at a time (one parsing, the next being read, with the pieces of the
/// one before being joined): 8 MB keeps the pipeline full without raising peak memory
/// (32 MB blocks added about 110 MB at 1M rows).
const BLOCK_BYTES: usize = 8 << 20;
/// Below this, a block is parsed on the calling thread.
const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// Finds where records end in `bytes` (which starts at a record's start), seeing quotes as
/// the CSV reader does: a quote opens a quoted field only at a field's start (the record's
/// start, or just after a delimiter in `delimiters`); inside a quoted field two quotes are
/// one quote and a single quote closes the field; anywhere else a quote is text (`12"`).
/// Calls `record_end` with the index of each newline outside quoted fields until it says
/// stop; when the scan reaches the end, returns where a quoted field still open there opens.
fn scan_record_ends(
    bytes: &[u8],
    delimiters: &[u8],
    mut record_end: impl FnMut(usize) -> ControlFlow<()>,
) -> Option<usize> {
    let mut quoted_since: Option<usize> = None;
    let mut escaped_quote_at = None;
    for i in memchr::memchr2_iter(b'"', b'\n', bytes) {
        if bytes[i] == b'\n' {
            if quoted_since.is_none() && record_end(i).is_break() {
                return None;
            }
        } else if quoted_since.is_some() {
            if escaped_quote_at == Some(i) {
                continue;
            }
            if bytes.get(i + 1) == Some(&b'"') {
                escaped_quote_at = Some(i + 1);
            } else {
                quoted_since = None;
            }
        } else if i == 0
            || matches!(bytes[i - 1], b'\n' | b'\r')
            || delimiters.contains(&bytes[i - 1])
        {
            quoted_since = Some(i);
        }
    }
    quoted_since
}

/// Where records end in `bytes` (which starts at a record boundary): the end of the last
/// complete record, cut points near each of `targets` (byte offsets), all just after a
/// newline outside quoted fields, and — when `bytes` ends inside a quoted field — where
/// that field opens.
fn record_boundaries(
    bytes: &[u8],
    delimiter: u8,
    targets: &[usize],
) -> (Vec<usize>, usize, Option<usize>) {
    let mut last = 0;
    let mut cuts = Vec::with_capacity(targets.len());
    let mut next_target = targets.iter().copied().peekable();
    let open_quote = scan_record_ends(bytes, &[delimiter], |i| {
        last = i + 1;
        while next_target.peek().is_some_and(|&t| t <= i) {
            next_target.next();
            if cuts.last() != Some(&last) {
                cuts.push(last);
            }
        }
        ControlFlow::Continue(())
    });
    cuts.retain(|&c| c < last);
    (cuts, last, open_quote)
}

/// The end of the first record of `bytes` (just after its newline), if it is complete; a
/// field starts after any of `delimiters`.
fn first_record_end(bytes: &[u8], delimiters: &[u8]) -> Option<usize> {
    let mut end = None;
    scan_record_ends(bytes, delimiters, |i| {
        end = Some(i + 1);
        ControlFlow::Break(())
    });
    end
}

/// Reads an ACLED CSV: block by block, each block parsed on all cores and joined in order,
/// so ids, record numbers and lines are those of the file.
pub fn read<R: Read>(
    reader: ProgressReader<'_, R>,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let split = Split {
        pieces: std::thread::available_parallelism().map_or(1, |n| n.get()),
        block_bytes: BLOCK_BYTES,
        parallel_min_bytes: PARALLEL_MIN_BYTES,
    };
    read_in_pieces(reader, path, options, split)
}

/// How a file is cut up to be parsed.
#[derive(Clone, Copy)]
struct Split {
    /// Pieces per block, each parsed on a thread of its own.
    pieces: usize,
    /// Bytes read per block.
    block_bytes: usize,
    /// A block smaller than this is parsed as one piece.
    parallel_min_bytes: usize,
}

/// [`read`] with a given way of cutting the file up.
///
/// A pipeline: while the pieces of one block are parsed on their threads, this thread joins
/// the pieces of the block before (in file order) and reads the next block, so reading,
/// splitting, parsing and joining overlap.
fn read_in_pieces<R: Read>(
    mut reader: ProgressReader<'_, R>,
    path: &Path,
    options: &OpenOptions,
    split: Split,
) -> Result<Opened, LoadError> {
    let mut block: Vec<u8> = Vec::new();
    let total_bytes = reader.total_bytes();
    // Appends up to `want` bytes; true at the end of the file.
    let mut fill = |block: &mut Vec<u8>, want: usize| -> Result<bool, LoadError> {
        let read = (&mut reader)
            .take(want as u64)
            .read_to_end(block)
            .map_err(|e| read_error(path, e))?;
        Ok(read < want)
    };
    let map = options.column_map.as_ref();
    let (layout, header_lines, mut eof, notes) = read_header(&mut block, &mut fill, path, map)?;
    let builder = import_builder(path, options, &layout, notes);
    let mut joined = Joined {
        builder,
        evidence: OrderEvidence::default(),
        pending: Vec::new(),
        next_line: 1 + header_lines,
        records_before: 0,
        reserved: false,
    };
    let cancelled = || LoadError::Cancelled {
        path: path.to_path_buf(),
    };
    std::thread::scope(|scope| -> Result<(), LoadError> {
        // The block whose pieces are being parsed, and whether it is the file's last.
        let mut in_flight: Option<(PiecesInFlight<'_>, bool)> = None;
        // A buffer given back by a block that was parsed, to read the next one into.
        let mut spare: Option<Vec<u8>> = None;
        loop {
            if !eof {
                let want = split.block_bytes.saturating_sub(block.len()).max(1 << 16);
                eof = fill(&mut block, want)?;
            }
            if super::import::is_cancelled(options) {
                return Err(cancelled());
            }
            if eof && block.is_empty() {
                break;
            }
            let Some(plan) = plan_block(&block, eof, layout.delimiter, split) else {
                continue; // one record longer than the block (a huge field): read on
            };
            // The records parse on their threads; what follows them starts the next block.
            let mut next = spare.take().unwrap_or_default();
            next.clear();
            // A block's room, or the file's size when it is smaller.
            let file_bytes = usize::try_from(total_bytes).unwrap_or(usize::MAX);
            next.reserve(split.block_bytes.min(file_bytes.saturating_add(1)));
            next.extend_from_slice(&block[plan.end..]);
            block.truncate(plan.end);
            let parsing = std::mem::replace(&mut block, next);
            let pieces = PiecesInFlight::spawn(scope, parsing, &plan.bounds, &layout, options);
            if let Some((before, last)) = in_flight.replace((pieces, eof)) {
                let (parsed, buffer) = before.join();
                spare = buffer;
                joined.absorb_all(parsed, last, total_bytes, cancelled)?;
            }
            if let Some(quote) = plan.runaway_quote {
                // The last block: joined before the record after it is skipped.
                if let Some((pieces, last)) = in_flight.take() {
                    joined.absorb_all(pieces.join().0, last, total_bytes, cancelled)?;
                }
                joined.skip_runaway_record(&mut block, quote - plan.end)?;
            }
            if eof && block.is_empty() {
                break;
            }
        }
        if let Some((pieces, last)) = in_flight {
            joined.absorb_all(pieces.join().0, last, total_bytes, cancelled)?;
        }
        Ok(())
    })?;
    let Joined {
        mut builder,
        evidence,
        pending,
        ..
    } = joined;
    settle_dates(&mut builder, pending, &evidence)?;
    builder.fold_repeated_ids()?;
    builder.finish()
}

/// The builder for an ACLED file, or a table read through a column map, with the notes the
/// header gave.
fn import_builder(
    path: &Path,
    options: &OpenOptions,
    layout: &Layout,
    notes: Vec<String>,
) -> ImportBuilder {
    let mut builder = match options.column_map.as_ref() {
        Some(map) => {
            let mut b = ImportBuilder::new(path, Format::Table, options.strict, "the table");
            b.note(format!(
                "read as a table with the column map {}",
                map.describe()
            ));
            b
        }
        None => ImportBuilder::new(path, Format::Acled, options.strict, "ACLED"),
    };
    for note in notes {
        builder.note(note);
    }
    // A monadic export (one row per actor, no actor 2 columns) repeats each two-sided
    // event's id: its rows are folded into one event instead of refused as duplicates.
    if layout.actor2.is_none() && !layout.generic {
        builder.keep_repeated_ids();
    }
    builder
}

/// Reads the header (the first record) into `block` and finds the columns, or says which
/// required column is missing. A second header row of HXL hashtags (as the Humanitarian
/// Data Exchange's copies have) is read as the columns' tags, not as a record. Returns the
/// layout, the lines these rows span, whether the file has ended, and notes; the rows'
/// bytes are removed from `block`.
fn read_header(
    block: &mut Vec<u8>,
    fill: &mut impl FnMut(&mut Vec<u8>, usize) -> Result<bool, LoadError>,
    path: &Path,
    map: Option<&super::table::ColumnMap>,
) -> Result<(Layout, u64, bool, Vec<String>), LoadError> {
    let mut eof;
    let header_end = loop {
        eof = fill(block, 1 << 16)?;
        // The delimiter is not known before the header is read: a field may start after any.
        match first_record_end(block, &super::table::DELIMITERS) {
            Some(end) => break end,
            None if eof => break block.len(),
            None => {}
        }
    };
    let first_line = String::from_utf8_lossy(&block[..header_end]);
    // Commas, or the semicolons, tabs or bars of other exports: whichever splits the header
    // into the most columns.
    let (header, delimiter) = super::table::split_header(first_line.trim_end_matches(['\r', '\n']));
    let names = match map {
        Some(map) => map
            .rename(&header)
            .map_err(|why| LoadError::invalid(path, Problem::new(Place::at(1, 1), why)))?,
        None => header.clone(),
    };
    let cols = Columns::new(&names);
    let required: &[&str] = if map.is_some() {
        &["event_date"]
    } else {
        &REQUIRED
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| cols.find(&[c]).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(LoadError::invalid(
            path,
            Problem::new(
                Place::at(1, 1),
                format!(
                    "not an ACLED export: the header has no {} column (it has: {})",
                    missing.join(", "),
                    cut(&cols.names.join(", "), 200)
                ),
            ),
        ));
    }
    let mut header_end = header_end;
    let mut notes = Vec::new();
    if let Some(tags) = hxl_row(&block[header_end..], delimiter) {
        notes.push(format!(
            "line 2 holds HXL hashtags ({}), read as the columns' tags, not as a record",
            cut(&tags.join(" "), 80)
        ));
        header_end += first_record_end(&block[header_end..], &[delimiter]).unwrap_or(0);
    }
    let lines = memchr::memchr_iter(b'\n', &block[..header_end]).count() as u64;
    block.drain(..header_end);
    let layout = Layout::new(&cols, &header, delimiter, map.is_some());
    Ok((layout, lines, eof, notes))
}

/// The tags of an HXL hashtag row (`#date`, `#country+name`, …) at the start of `bytes`:
/// every filled cell starts with `#`, and at least one is filled.
fn hxl_row(bytes: &[u8], delimiter: u8) -> Option<Vec<String>> {
    let end = first_record_end(bytes, &[delimiter])?;
    let record = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(&bytes[..end])
        .byte_records()
        .next()?
        .ok()?;
    let cells: Vec<String> = record
        .iter()
        .map(|c| String::from_utf8_lossy(c).trim().to_string())
        .collect();
    let filled: Vec<String> = cells.into_iter().filter(|c| !c.is_empty()).collect();
    (!filled.is_empty() && filled.iter().all(|c| c.starts_with('#'))).then_some(filled)
}

/// Where a block's complete records end, and how they are cut into pieces.
struct BlockPlan {
    /// Where the complete records end.
    end: usize,
    /// Each piece's range of bytes, in file order.
    bounds: Vec<(usize, usize)>,
    /// At the end of the file, a quote that is never closed: where it opens (the record it
    /// is in starts at `end`).
    runaway_quote: Option<usize>,
}

/// Cuts the complete records at the start of `block` into pieces (one per thread when the
/// block is large), or `None` when not even one record is complete (a long record: read
/// on). At the end of the file, a record whose quote never closes is left out: it is
/// reported.
fn plan_block(block: &[u8], eof: bool, delimiter: u8, split: Split) -> Option<BlockPlan> {
    let pieces = if block.len() >= split.parallel_min_bytes {
        split.pieces.max(1)
    } else {
        1
    };
    let targets: Vec<usize> = (1..pieces).map(|k| block.len() * k / pieces).collect();
    let (mut cuts, last, open_quote) = record_boundaries(block, delimiter, &targets);
    let (end, runaway_quote) = match (eof, open_quote) {
        (true, Some(quote)) => (last, Some(quote)),
        (true, None) => (block.len(), None),
        (false, _) if last == 0 => return None,
        (false, _) => (last, None),
    };
    cuts.retain(|&c| c < end);
    let bounds: Vec<(usize, usize)> = if end == 0 {
        Vec::new()
    } else {
        std::iter::once(0)
            .chain(cuts.iter().copied())
            .zip(cuts.iter().copied().chain(std::iter::once(end)))
            .collect()
    };
    Some(BlockPlan {
        end,
        bounds,
        runaway_quote,
    })
}

/// The pieces of one block, each being parsed on a thread of its own.
struct PiecesInFlight<'scope> {
    block: std::sync::Arc<Vec<u8>>,
    threads: Vec<std::thread::ScopedJoinHandle<'scope, (Piece, usize)>>,
}

impl<'scope> PiecesInFlight<'scope> {
    /// Starts parsing each range of `block` in `bounds` on a thread of its own.
    fn spawn<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        block: Vec<u8>,
        bounds: &[(usize, usize)],
        layout: &'env Layout,
        options: &'env OpenOptions,
    ) -> PiecesInFlight<'scope> {
        let block = std::sync::Arc::new(block);
        let threads = bounds
            .iter()
            .map(|&(a, b)| {
                let block = std::sync::Arc::clone(&block);
                scope.spawn(move || {
                    let piece = parse_piece(&block[a..b], layout, options.strict, options.cancel);
                    (piece, b - a)
                })
            })
            .collect();
        PiecesInFlight { block, threads }
    }

    /// Waits for the pieces: each with its length in bytes, in file order, and the block's
    /// buffer, free again for the next block.
    fn join(self) -> (Vec<(Piece, usize)>, Option<Vec<u8>>) {
        let pieces = self
            .threads
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        (pieces, std::sync::Arc::try_unwrap(self.block).ok())
    }
}

/// The pieces joined so far, in file order.
struct Joined {
    builder: ImportBuilder,
    evidence: OrderEvidence,
    pending: Vec<PendingDate>,
    /// The line the next piece starts on.
    next_line: u64,
    /// Records in the pieces joined so far.
    records_before: u64,
    reserved: bool,
}

impl Joined {
    /// Makes room for the whole file, judging from a piece of `piece_bytes` bytes.
    fn reserve(&mut self, piece: &Piece, piece_bytes: usize, total_bytes: u64) {
        let per_byte = |n: usize| n as f64 / piece_bytes.max(1) as f64;
        let rest = total_bytes as f64 * 1.02;
        self.builder.reserve(
            (per_byte(piece.store.len()) * rest) as usize,
            (per_byte(piece.store.events.description.text_bytes()) * rest) as usize,
        );
        self.reserved = true;
    }

    /// At the end of the file, the record at the start of `block` opens a quote (at byte
    /// `quote`) that never closes: it is reported with the line where the quote opens and
    /// how many lines it swallows, and reading goes on from the next line, where the text
    /// is whole again.
    fn skip_runaway_record(&mut self, block: &mut Vec<u8>, quote: usize) -> Result<(), LoadError> {
        let opening_line =
            self.next_line + memchr::memchr_iter(b'\n', &block[..quote]).count() as u64;
        let to_end = memchr::memchr_iter(b'\n', &block[quote..]).count() as u64;
        let last_line = opening_line + to_end.saturating_sub(u64::from(block.ends_with(b"\n")));
        self.records_before += 1;
        let problem = Problem::new(
            Place {
                line: Some(opening_line),
                column: None,
                record: Some(format!("record {}", self.records_before)),
                field: None,
            },
            format!(
                "a quote opened on line {opening_line} is never closed: it runs to the end of the file (lines {opening_line}–{last_line}); this record is skipped and reading goes on from line {}",
                opening_line + 1
            ),
        );
        self.builder.skip(problem)?;
        // Resume after the line the quote opened on.
        let resume = memchr::memchr(b'\n', &block[quote..]).map_or(block.len(), |n| quote + n + 1);
        self.next_line += memchr::memchr_iter(b'\n', &block[..resume]).count() as u64;
        block.drain(..resume);
        Ok(())
    }

    /// Appends a block's pieces in order; the columns are sized for the whole file from the
    /// first piece of a block that is not the file's last.
    fn absorb_all(
        &mut self,
        pieces: Vec<(Piece, usize)>,
        last_block: bool,
        total_bytes: u64,
        cancelled: impl Fn() -> LoadError,
    ) -> Result<(), LoadError> {
        for (piece, piece_bytes) in pieces {
            if piece.cancelled {
                return Err(cancelled());
            }
            if !self.reserved && !last_block {
                self.reserve(&piece, piece_bytes, total_bytes);
            }
            self.absorb(piece)?;
        }
        Ok(())
    }

    /// Appends a piece's rows and problems, placed in the whole file.
    fn absorb(&mut self, mut piece: Piece) -> Result<(), LoadError> {
        let (line0, rec0) = (self.next_line - 1, self.records_before);
        let numbered = number_rows(&piece, rec0);
        let store = numbered.as_ref().unwrap_or(&piece.store);
        // Problems and rows interleave in file order; problems of this piece come first in
        // strict mode (it stops at its first one).
        for (rec, mut problem) in piece.problems.drain(..) {
            problem.place.line = problem.place.line.map(|l| l + line0);
            problem.place.record = Some(format!("record {}", rec0 + rec));
            self.builder.skip(problem)?;
        }
        for (rec, mut problem) in piece.unplaced.drain(..) {
            problem.place.line = problem.place.line.map(|l| l + line0);
            problem.place.record = Some(format!("record {}", rec0 + rec));
            self.builder.unplace(problem)?;
        }
        let places = &piece.row_places;
        let index = self.builder.absorb(
            store,
            |i| places[i].0 + line0,
            |i| Place {
                line: Some(places[i].0 + line0),
                column: None,
                record: Some(format!("record {}", rec0 + places[i].1)),
                field: Some("event_id_cnty".into()),
            },
        )?;
        self.evidence.merge(&piece.evidence);
        for mut p in piece.pending {
            if let Some(global) = index[p.event_index] {
                p.event_index = global;
                p.line += line0;
                p.record += rec0;
                self.pending.push(p);
            }
        }
        self.next_line += piece.lines;
        self.records_before += piece.records;
        Ok(())
    }
}

/// The piece's rows with the rows that have no id numbered by their record in the file
/// ("row-17"); `None` when every row has an id.
fn number_rows(piece: &Piece, records_before: u64) -> Option<crate::store::Store> {
    let ids = &piece.store.events.id;
    if (0..piece.store.len()).all(|i| !ids.get(i).is_empty()) {
        return None;
    }
    let mut renamed = crate::store::Store::new(crate::model::Dataset::default());
    let rows: Vec<usize> = (0..piece.store.len()).collect();
    renamed.append_rows(&piece.store, &rows);
    let mut ids = crate::store::TextColumn::default();
    for (i, &(_, rec)) in piece.row_places.iter().enumerate() {
        match renamed.events.id.get(i) {
            "" => ids.push(&format!("row-{}", records_before + rec)),
            id => ids.push(id),
        }
    }
    renamed.events.id = ids;
    Some(renamed)
}

/// Gives all-numeric dates their day/month order, decided once for the whole column. Rows
/// whose date does not exist under that order are skipped with a problem.
fn settle_dates(
    builder: &mut ImportBuilder,
    pending: Vec<PendingDate>,
    evidence: &OrderEvidence,
) -> Result<(), LoadError> {
    if pending.is_empty() {
        return Ok(());
    }
    let order = evidence.decide();
    let mut drop = Vec::new();
    for p in pending {
        match resolve_numeric(p.a, p.b, p.year, order) {
            Ok(day) => builder.set_date(p.event_index, with_precision(day, p.precision)),
            Err(why) => {
                builder.skip(
                    Problem::new(
                        Place {
                            line: Some(p.line),
                            column: None,
                            record: Some(format!("record {}", p.record)),
                            field: Some("event_date".into()),
                        },
                        why,
                    )
                    .with_value(&p.raw),
                )?;
                drop.push(p.event_index);
            }
        }
    }
    if !drop.is_empty() {
        builder.drop_events(drop);
    }
    Ok(())
}

/// A CSV error as a located load error.
pub fn csv_error(path: &Path, e: csv::Error) -> LoadError {
    let line = e.position().map(|p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(io) => read_error(path, io),
        other => LoadError::invalid(
            path,
            Problem::new(
                Place {
                    line,
                    ..Place::default()
                },
                format!("unreadable CSV: {other:?}"),
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn inter_codes_read_as_numbers_or_words_in_any_case() {
        for (inter, kind) in [
            (Some("1"), ActorKind::GovernmentBody),
            (Some(" State forces "), ActorKind::GovernmentBody),
            (Some("3"), ActorKind::ArmedGroup),
            (Some("IDENTITY MILITIA"), ActorKind::ArmedGroup),
            (Some("7"), ActorKind::CivilianGroup),
            (Some("Protesters"), ActorKind::CivilianGroup),
            (Some("External/Other forces"), ActorKind::Organisation),
            (Some("9"), ActorKind::Unknown),
            (Some("state"), ActorKind::Unknown),
            (Some(""), ActorKind::Unknown),
            (None, ActorKind::Unknown),
        ] {
            assert_eq!(actor_kind(inter), kind, "{inter:?}");
        }
    }

    /// A file over the parallel threshold with the awkward cases spread across its pieces:
    /// duplicate ids far apart, rows without an id, bad rows, multi-line notes, and
    /// all-numeric dates whose day/month order is only decided by a row near the end.
    fn awkward_csv() -> String {
        let mut text = String::from(
            "event_id_cnty,event_date,event_type,actor1,actor2,assoc_actor_1,country,location,fatalities,notes\n",
        );
        let rows = 30_000;
        for i in 0..rows {
            let id = match i {
                _ if i % 997 == 0 => String::new(),
                _ if i == rows - 5 => "E10".to_string(),
                _ => format!("E{i}"),
            };
            let date = match i {
                _ if i == rows - 2 => "06-13-19".to_string(),
                _ if i % 3 == 0 => format!("0{}-0{}-19", 1 + i % 9, 1 + (i / 7) % 9),
                _ => format!("{:02} May 2020", 1 + i % 28),
            };
            let fatalities = if i % 1013 == 0 {
                "-1".to_string()
            } else {
                (i % 7).to_string()
            };
            let notes = if i % 11 == 0 {
                format!("\"Line one of {i},\nline two, with \"\"quotes\"\"\"")
            } else {
                format!("Note {i}")
            };
            let _ = writeln!(
                text,
                "{id},{date},Battles,Actor {},Actor {},Ally {}; Ally {},Country {},Place {},{fatalities},{notes}",
                i % 50,
                i % 31,
                i % 5,
                i % 6,
                i % 4,
                i % 90
            );
        }
        text
    }

    fn read_bytes(bytes: &[u8], split: Split) -> Result<Opened, LoadError> {
        let options = OpenOptions::default();
        let reader = ProgressReader::new(bytes, bytes.len() as u64, &options);
        read_in_pieces(reader, Path::new("awkward.csv"), &options, split)
    }

    fn pieces(pieces: usize) -> Split {
        Split {
            pieces,
            block_bytes: BLOCK_BYTES,
            parallel_min_bytes: PARALLEL_MIN_BYTES,
        }
    }

    #[test]
    fn reading_in_parallel_pieces_gives_exactly_what_one_piece_gives() {
        let text = awkward_csv();
        assert!(
            text.len() > PARALLEL_MIN_BYTES,
            "the file is split into pieces"
        );
        let one = read_bytes(text.as_bytes(), pieces(1)).unwrap();
        let show = |o: &Opened| -> Vec<String> {
            o.problems
                .iter()
                .map(|p| p.display_in(Path::new("f")))
                .collect()
        };
        for threads in [2, 3, 7] {
            let many = read_bytes(text.as_bytes(), pieces(threads)).unwrap();
            assert_eq!(
                many.store.to_dataset(),
                one.store.to_dataset(),
                "{threads} pieces"
            );
            assert_eq!(many.skipped, one.skipped);
            assert_eq!(show(&many), show(&one), "{threads} pieces");
        }
        // Small blocks: many blocks in the pipeline, records (some of several lines) cut
        // across block ends, each block's pieces joined while the next ones parse.
        for (pieces, block_bytes) in [(1, 64 << 10), (2, 64 << 10), (3, 200 << 10)] {
            let split = Split {
                pieces,
                block_bytes,
                parallel_min_bytes: 16 << 10,
            };
            let blocks = read_bytes(text.as_bytes(), split).unwrap();
            let what = format!("{pieces} pieces of blocks of {block_bytes} bytes");
            assert_eq!(blocks.store.to_dataset(), one.store.to_dataset(), "{what}");
            assert_eq!(show(&blocks), show(&one), "{what}");
        }
        // The file's own facts, whatever the pieces.
        let ids: Vec<&str> = (0..one.store.len())
            .map(|i| one.store.events.id.get(i))
            .collect();
        assert!(
            ids.contains(&"row-998"),
            "a row without an id is named by its record"
        );
        assert!(one
            .problems
            .iter()
            .any(|p| p.message.contains("duplicate event id \"E10\"")));
        // 06-13-19, near the end, decides month-first for the whole column: E3's 04-01-19
        // is 1 April, not 4 January.
        let e3 = ids.iter().position(|id| *id == "E3").unwrap();
        assert_eq!(one.store.event(e3).date.to_iso(), "2019-04-01");
    }

    /// A file where quotes also stand inside unquoted fields (`12" mortar`, `O"Neil`), as
    /// the CSV reader takes them: literally. Only a quote at a field's start opens a quoted
    /// field, so such quotes must not make the splitter think a record runs on.
    fn stray_quotes_csv() -> String {
        let mut text = String::from(
            "event_id_cnty,event_date,event_type,actor1,country,location,fatalities,notes\n",
        );
        for i in 0..20_000 {
            let place = if i % 7 == 0 {
                format!("O\"Neil {i}")
            } else {
                format!("Place {i}")
            };
            let notes = match i % 5 {
                0 => format!("A 12\" mortar hit house {i}"),
                1 => format!("\"Two lines,\nwith \"\"quoted\"\" words {i}\""),
                2 => format!("\"closed early\" then more {i}"),
                _ => format!("Note {i}"),
            };
            let _ = writeln!(
                text,
                "S{i},2020-05-0{},Battles,Actor {},Country {},{place},{},{notes}",
                1 + i % 9,
                i % 40,
                i % 3,
                i % 4
            );
        }
        text
    }

    #[test]
    fn quotes_inside_unquoted_fields_are_text_wherever_the_file_is_cut() {
        let text = stray_quotes_csv();
        // What the CSV reader alone makes of the file: the truth to match.
        let expected: Vec<(String, String)> = csv::ReaderBuilder::new()
            .from_reader(text.as_bytes())
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_string(), r[7].to_string())
            })
            .collect();
        assert_eq!(expected.len(), 20_000);
        assert_eq!(expected[0].1, "A 12\" mortar hit house 0");
        assert_eq!(expected[2].1, "closed early then more 2");
        let splits = [
            pieces(1),
            pieces(2),
            Split {
                pieces: 1,
                block_bytes: 64 << 10,
                parallel_min_bytes: 16 << 10,
            },
            Split {
                pieces: 3,
                block_bytes: 200 << 10,
                parallel_min_bytes: 16 << 10,
            },
        ];
        for split in splits {
            let opened = read_bytes(text.as_bytes(), split).unwrap();
            let what = format!(
                "{} pieces of blocks of {} bytes",
                split.pieces, split.block_bytes
            );
            assert!(
                opened.problems.is_empty(),
                "{what}: {:?}",
                opened.problems.first().map(|p| &p.message)
            );
            let read: Vec<(String, String)> = (0..opened.store.len())
                .map(|i| {
                    let e = opened.store.event(i);
                    (e.id.clone(), e.description.clone())
                })
                .collect();
            assert_eq!(read.len(), expected.len(), "{what}");
            assert!(
                read == expected,
                "{what}: the notes differ from the CSV reader's"
            );
        }
    }
}
