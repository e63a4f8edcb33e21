//! What every importer shares: a progress-reporting, cancellable reader, and a builder that
//! interns actors, refuses duplicate ids and keeps the list of skipped records.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::problem::{LoadError, Place, Problem};
use super::{Format, OpenOptions, Opened};
use crate::model::{ActorKind, Dataset, DateSpan, Event, Source};
use crate::store::{ActorKey, Store};

/// How many row problems are kept in full; beyond that only the count grows.
pub const PROBLEMS_KEPT: usize = 1000;

/// The error an importer's reader returns when the user cancels.
const CANCELLED: &str = "faultline: load cancelled";

/// Reads through to `inner`, reporting progress and honouring a cancel flag.
pub struct ProgressReader<'o, R> {
    inner: R,
    read_bytes: u64,
    total_bytes: u64,
    next_report: u64,
    progress: Option<&'o (dyn Fn(u64, u64) + Sync)>,
    cancel: Option<&'o AtomicBool>,
    /// Refuse lines longer than this (line-based formats only).
    max_line_bytes: Option<u64>,
    /// Bytes since the last newline, and whether one was seen.
    line_bytes: u64,
    seen_newline: bool,
}

/// The longest line a CSV or TSV event file may have. Real rows are a few kilobytes; a file
/// whose "line" is longer is not an event file, and reading it whole would only use memory.
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// The error a line-based reader meets on a line longer than its limit ([`MAX_LINE_BYTES`]
/// unless [`OpenOptions::max_line_bytes`] says otherwise).
#[derive(Debug, thiserror::Error)]
#[error("a line longer than {} (from byte {start}): not a line of an event file", size_in_words(*.limit))]
pub struct LineTooLong {
    /// Where the line starts, in bytes from the start of the file.
    pub start: u64,
    /// The line's number, when known (the first line).
    pub line: Option<u64>,
    /// The limit, in bytes.
    pub limit: u64,
}

/// "64 MB", "512 KB", "100 bytes".
fn size_in_words(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Report progress about every this many bytes.
const REPORT_EVERY_BYTES: u64 = 1 << 20;

impl<'o, R: Read> ProgressReader<'o, R> {
    /// Wraps a reader of a file of `total_bytes`.
    pub fn new(inner: R, total_bytes: u64, options: &OpenOptions<'o>) -> Self {
        ProgressReader {
            inner,
            read_bytes: 0,
            total_bytes,
            next_report: 0,
            progress: options.progress,
            cancel: options.cancel,
            max_line_bytes: None,
            line_bytes: 0,
            seen_newline: false,
        }
    }

    /// Fails the read (with [`LineTooLong`]) on a line longer than `max` bytes (importers use
    /// [`MAX_LINE_BYTES`]).
    pub fn with_line_limit(mut self, max: u64) -> Self {
        self.max_line_bytes = Some(max);
        self
    }
}

impl<R> ProgressReader<'_, R> {
    /// The size of the whole input, as known when it was opened.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }
}

impl<R: Read> ProgressReader<'_, R> {
    /// Reads the whole input. Room for the size known when it was opened is taken zeroed
    /// from the allocator (pages fresh from the system come zeroed), and filled 8 MB at a
    /// time so progress and cancel keep working; `read_to_end` would zero every byte
    /// again with a memset first, a tenth of the time of opening a native file.
    pub fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        const READ_BYTES: usize = 8 << 20;
        // One byte more than expected, to see the end without a second buffer.
        let room = usize::try_from(self.total_bytes.saturating_sub(self.read_bytes))
            .unwrap_or(0)
            .saturating_add(1);
        let mut bytes = vec![0u8; room];
        let mut filled = 0;
        while filled < bytes.len() {
            let until = bytes.len().min(filled + READ_BYTES);
            match self.read(&mut bytes[filled..until]) {
                Ok(0) => {
                    bytes.truncate(filled);
                    return Ok(bytes);
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        // The input grew since it was opened.
        self.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(std::io::Error::other(CANCELLED));
        }
        let n = self.inner.read(buf)?;
        self.read_bytes += n as u64;
        if let Some(max) = self.max_line_bytes {
            let chunk = &buf[..n];
            let chunk_start = self.read_bytes - n as u64;
            // (where the long line starts, its line number when known)
            let mut too_long: Option<(u64, Option<u64>)> = None;
            match memchr::memchr(b'\n', chunk) {
                Some(first) => {
                    // The line running into this read ends at its first newline.
                    if self.line_bytes + first as u64 > max {
                        too_long = Some((
                            chunk_start - self.line_bytes,
                            (!self.seen_newline).then_some(1),
                        ));
                    }
                    // Whole lines inside one read can only be too long in a huge read.
                    if too_long.is_none() && n as u64 > max {
                        let mut from = first + 1;
                        for end in memchr::memchr_iter(b'\n', chunk).skip(1) {
                            if (end - from) as u64 > max {
                                too_long = Some((chunk_start + from as u64, None));
                                break;
                            }
                            from = end + 1;
                        }
                    }
                    self.seen_newline = true;
                    let last = memchr::memrchr(b'\n', chunk).unwrap_or(first);
                    self.line_bytes = (n - last - 1) as u64;
                }
                None => self.line_bytes += n as u64,
            }
            if too_long.is_none() && self.line_bytes > max {
                too_long = Some((
                    self.read_bytes - self.line_bytes,
                    (!self.seen_newline).then_some(1),
                ));
            }
            if let Some((start, line)) = too_long {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    LineTooLong {
                        start,
                        line,
                        limit: max,
                    },
                ));
            }
        }
        if self.read_bytes >= self.next_report || n == 0 {
            if let Some(report) = self.progress {
                report(self.read_bytes, self.total_bytes.max(self.read_bytes));
            }
            self.next_report = self.read_bytes + REPORT_EVERY_BYTES;
        }
        Ok(n)
    }
}

/// Turns an I/O error met while reading into a load error (cancelled, or unreadable).
pub fn read_error(path: &Path, err: std::io::Error) -> LoadError {
    if let Some(long) = err.get_ref().and_then(|e| e.downcast_ref::<LineTooLong>()) {
        return LoadError::invalid(
            path,
            Problem::new(
                Place {
                    line: long.line,
                    ..Place::default()
                },
                long.to_string(),
            ),
        );
    }
    if err.to_string() == CANCELLED {
        LoadError::Cancelled {
            path: path.to_path_buf(),
        }
    } else {
        LoadError::Io {
            path: path.to_path_buf(),
            source: err,
        }
    }
}

/// True when the user asked to stop.
pub fn is_cancelled(options: &OpenOptions) -> bool {
    options.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
}

/// Which row holds each id: found by a hash of the id, the id's text compared on a hit (the
/// rows hold the text), with a map for the rare ids whose hash another id already has.
#[derive(Debug, Default)]
pub struct IdIndex {
    by_hash: HashSlots,
    colliding: HashMap<Box<str>, u32>,
}

/// The first row to claim each hash: an open-addressed table (linear probing, at most half
/// full) of 8-byte slots, each holding 32 bits of a hash (mixed, never 0) beside the row that
/// claimed it. A claim reads one slot: a million ids' table is far larger than the caches,
/// so each claim is a cache miss, and one rather than two (a hash here, its row in an array
/// beside). Where to look is the top of those 32 bits, so the table grows without the ids.
/// Two ids whose hashes share the 32 bits are told apart by their text
/// ([`IdIndex::settle_hit`]), as ids whose whole hashes are equal always were: about one pair
/// in ten thousand at ten million ids.
#[derive(Debug, Default)]
struct HashSlots {
    /// A hash's 32 bits above its row ([`EMPTY_SLOT`] = free).
    slots: Vec<u64>,
    used: usize,
}

/// A free slot: no hash's 32 bits are 0 ([`HashSlots::fingerprint`]).
const EMPTY_SLOT: u64 = 0;

impl HashSlots {
    /// The 32 bits of `hash` a slot keeps: its top half, mixed so that any of its bits move
    /// them, and never 0.
    fn fingerprint(hash: u64) -> u32 {
        ((hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32).max(1)
    }

    /// Where the probe for `fingerprint` starts: its top bits, as many as the table needs.
    fn home(&self, fingerprint: u32) -> usize {
        let bits = self.slots.len().trailing_zeros();
        match bits.checked_sub(32) {
            None => (fingerprint >> (32 - bits)) as usize,
            Some(more) => (fingerprint as usize) << more,
        }
    }

    /// The row that claimed `hash`; if none has, `row` claims it.
    fn claim(&mut self, hash: u64, row: u32) -> Option<u32> {
        self.reserve(1);
        self.claim_fingerprint(Self::fingerprint(hash), row)
    }

    /// [`HashSlots::claim`] of a hash's fingerprint, in a table with room for it.
    fn claim_fingerprint(&mut self, fingerprint: u32, row: u32) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut slot = self.home(fingerprint);
        loop {
            match self.slots[slot] {
                EMPTY_SLOT => {
                    self.slots[slot] = (u64::from(fingerprint) << 32) | u64::from(row);
                    self.used += 1;
                    return None;
                }
                found if (found >> 32) as u32 == fingerprint => return Some(found as u32),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// [`HashSlots::claim`] for each `(hash, row)` of `claims` in order, `hit` told of each
    /// claim found taken (its index in `claims`, the row that took it). The slots of a few
    /// claims ahead are read first, so their cache misses overlap instead of coming one
    /// after another.
    fn claim_all(&mut self, claims: &[(u64, u32)], mut hit: impl FnMut(usize, u32)) {
        const AHEAD: usize = 8;
        self.reserve(claims.len());
        for (group, run) in claims.chunks(AHEAD).enumerate() {
            let warm = run.iter().fold(0, |acc, &(hash, _)| {
                acc ^ self.slots[self.home(Self::fingerprint(hash))]
            });
            std::hint::black_box(warm);
            for (k, &(hash, row)) in run.iter().enumerate() {
                if let Some(first) = self.claim_fingerprint(Self::fingerprint(hash), row) {
                    hit(group * AHEAD + k, first);
                }
            }
        }
    }

    /// Makes room for `more` hashes, keeping the table at most half full.
    fn reserve(&mut self, more: usize) {
        let wanted = (self.used + more).saturating_mul(2).max(16);
        if wanted <= self.slots.len() {
            return;
        }
        let size = wanted.next_power_of_two();
        let old = std::mem::replace(
            self,
            HashSlots {
                slots: crate::store::room::filled(EMPTY_SLOT, size),
                used: 0,
            },
        );
        for slot in old.slots.into_iter().filter(|&slot| slot != EMPTY_SLOT) {
            self.claim_fingerprint((slot >> 32) as u32, slot as u32);
        }
    }
}

impl IdIndex {
    /// The hash an id is found by.
    pub fn hash(id: &str) -> u64 {
        use std::hash::BuildHasher as _;
        rustc_hash::FxBuildHasher.hash_one(id)
    }

    /// The row holding `id` (whose hash is `hash`) if there is one; if not, notes that
    /// `row` holds it (`id_of(row)` is the id a row holds). One probe of the table, not a
    /// look-up then an insertion: each probe is a cache miss in the index of a million ids.
    pub fn find_or_insert<'t>(
        &mut self,
        id: &str,
        hash: u64,
        row: u32,
        id_of: impl Fn(u32) -> &'t str,
    ) -> Option<u32> {
        let first = self.claim_hash(hash, row)?;
        self.settle_hit(id, first, row, id_of)
    }

    /// The first half of [`IdIndex::find_or_insert`], for a thread that has the ids' hashes
    /// but not their rows: the row whose id has `hash`, if one has; if none, notes that
    /// `row` has it. A row found must be settled ([`IdIndex::settle_hit`]): another id may
    /// share the hash.
    pub fn claim_hash(&mut self, hash: u64, row: u32) -> Option<u32> {
        self.by_hash.claim(hash, row)
    }

    /// [`IdIndex::claim_hash`] for each `(hash, row)` of `claims` in order, faster than one by
    /// one: `hit` is told of each claim whose hash a row had (its index in `claims`, that
    /// row).
    pub fn claim_hashes(&mut self, claims: &[(u64, u32)], hit: impl FnMut(usize, u32)) {
        self.by_hash.claim_all(claims, hit);
    }

    /// The second half of [`IdIndex::find_or_insert`]: `row`'s id has the hash of row
    /// `first`'s (as [`IdIndex::claim_hash`] found). The row that first held `id`, if it is
    /// a repeat; if the ids only share their hash, notes that `row` holds `id`.
    pub fn settle_hit<'t>(
        &mut self,
        id: &str,
        first: u32,
        row: u32,
        id_of: impl Fn(u32) -> &'t str,
    ) -> Option<u32> {
        if id_of(first) == id {
            return Some(first);
        }
        if let Some(&first) = self.colliding.get(id) {
            return Some(first);
        }
        self.colliding.insert(Box::from(id), row);
        None
    }

    /// Makes room for `rows` more ids.
    pub fn reserve(&mut self, rows: usize) {
        self.by_hash.reserve(rows);
    }
}

/// Builds a store record by record.
pub struct ImportBuilder {
    path: PathBuf,
    format: Format,
    strict: bool,
    store: Store,
    /// The row of each id.
    ids: IdIndex,
    /// Line of each row, for "first on line N".
    row_lines: Vec<u64>,
    problems: Vec<Problem>,
    skipped: usize,
    /// Rows that repeat an earlier row's id, kept to be folded in (monadic ACLED exports write
    /// one row per actor): (first row, repeating row, its place). `None` when a repeated id
    /// is a duplicate to skip.
    repeats: Option<Vec<(u32, u32, Place)>>,
    notes: Vec<String>,
    /// Events kept without a place because their coordinates could not be used.
    unplaced: Unplaced,
}

/// Events kept without a place on the map because their coordinates could not be used (not
/// a number, out of range): how many, and the first, to say where.
#[derive(Debug, Default)]
pub struct Unplaced {
    count: usize,
    first: Option<Problem>,
}

impl Unplaced {
    /// Counts one event, keeping the problem when it is the first.
    pub fn add(&mut self, problem: Problem) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(problem);
        }
    }

    /// The note for the import's notes, naming the file and the first place; `None` when
    /// every coordinate was usable.
    pub fn note(&self, file: &Path) -> Option<String> {
        let first = self.first.as_ref()?;
        Some(format!(
            "{} kept without a place on the map: unusable coordinates (the first: {})",
            crate::text::plural(self.count, "event"),
            first.display_in(file)
        ))
    }
}

impl ImportBuilder {
    /// Starts a dataset read from `path` as `format`, titled after the file.
    pub fn new(path: &Path, format: Format, strict: bool, publisher: &str) -> ImportBuilder {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let meta = Dataset {
            title: file_name.clone(),
            description: Some(match format {
                Format::Table => format!("Imported from {file_name} through a column map."),
                _ => format!("Imported from {file_name} ({publisher} export)."),
            }),
            sources: vec![Source {
                id: "import".into(),
                publisher: publisher.into(),
                title: file_name,
                date: None,
                url: None,
            }],
            ..Dataset::default()
        };
        ImportBuilder {
            path: path.to_path_buf(),
            format,
            strict,
            store: Store::new(meta),
            ids: IdIndex::default(),
            row_lines: Vec::new(),
            problems: Vec::new(),
            skipped: 0,
            repeats: None,
            notes: Vec::new(),
            unplaced: Unplaced::default(),
        }
    }

    /// Keeps rows that repeat an id instead of skipping them, to fold them with
    /// [`Self::fold_repeated_ids`] (monadic ACLED exports write one row per actor).
    pub fn keep_repeated_ids(&mut self) {
        self.repeats = Some(Vec::new());
    }

    /// Adds a line to the import's notes.
    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// Folds each row that repeated an id into the row that had it first, as its second
    /// side, when the two agree on the date, the type and the place; a row that disagrees is
    /// a duplicate, skipped and reported where it is. Notes how many rows became how many
    /// events when any were folded.
    pub fn fold_repeated_ids(&mut self) -> Result<(), LoadError> {
        let Some(repeats) = self.repeats.take() else {
            return Ok(());
        };
        let rows_before = self.store.len();
        let mut pairs = Vec::new();
        let mut dropped = Vec::new();
        let mut paired = vec![false; self.store.len()];
        for (first, later, place) in repeats {
            let (a, b) = (
                self.store.row(first as usize),
                self.store.row(later as usize),
            );
            let disagreement = [
                ("date", a.date() != b.date()),
                ("event type", a.event_type() != b.event_type()),
                ("country", a.country() != b.country()),
                ("admin1", a.admin1() != b.admin1()),
                ("location", a.place() != b.place()),
                ("coordinates", a.coordinates() != b.coordinates()),
            ]
            .into_iter()
            .find(|(_, differs)| *differs)
            .map(|(what, _)| what);
            let taken = paired[first as usize];
            match disagreement {
                None if !taken => {
                    paired[first as usize] = true;
                    // The row that came first is actor 1's, as in ACLED's own files (its
                    // `interaction` code sorts the two sides, so it cannot say).
                    pairs.push((first as usize, later as usize));
                }
                found => {
                    let id = a.id().to_string();
                    let line = self.row_lines.get(first as usize).copied().unwrap_or(0);
                    let why = match found {
                        Some(what) => format!("it disagrees on the {what}"),
                        None => "the event already has both its sides".into(),
                    };
                    let message =
                        format!("duplicate event id {id:?} (first on line {line}): {why}");
                    self.skip(Problem::new(place, message).with_value(&id))?;
                    dropped.push(later as usize);
                }
            }
        }
        self.store.fold_sides(&pairs, &dropped);
        if pairs.is_empty() {
            // Every id once (or every repeat a duplicate): nothing was folded.
            return Ok(());
        }
        self.notes.push(format!(
            "monadic ACLED export: {} rows folded into {} events",
            crate::text::thousands(rows_before - dropped.len()),
            crate::text::thousands(self.store.len())
        ));
        Ok(())
    }

    /// The index of the actor with this name, creating it on first sight. Imported actors
    /// have their name as id, so the same name is always the same actor.
    pub fn actor(&mut self, name: &str, kind: ActorKind) -> u32 {
        self.store.intern_actor(name, kind)
    }

    /// Records an event kept without a place because its coordinates are unusable (`problem`
    /// says which and where). In strict mode it ends the import, as a skipped record does.
    pub fn unplace(&mut self, problem: Problem) -> Result<(), LoadError> {
        if self.strict {
            return Err(LoadError::invalid(&self.path, problem));
        }
        self.unplaced.add(problem);
        Ok(())
    }

    /// Records a skipped record. In strict mode the first problem ends the import.
    pub fn skip(&mut self, problem: Problem) -> Result<(), LoadError> {
        if self.strict {
            return Err(LoadError::invalid(&self.path, problem));
        }
        self.skipped += 1;
        if self.problems.len() < PROBLEMS_KEPT {
            self.problems.push(problem);
        }
        Ok(())
    }

    /// Refuses an id already used; `Ok(true)` when the id is new (and now taken by the row
    /// about to be added).
    fn claim_id(&mut self, id: &str, place: &Place) -> Result<bool, LoadError> {
        let hash = IdIndex::hash(id);
        let (store, row) = (&self.store, self.store.len() as u32);
        let first = self
            .ids
            .find_or_insert(id, hash, row, |r| store.events.id.get(r as usize));
        if let Some(row) = first {
            let message = match self.row_lines.get(row as usize) {
                Some(&n) if n > 0 => format!("duplicate event id {id:?} (first on line {n})"),
                _ => format!("duplicate event id {id:?}"),
            };
            self.skip(Problem::new(place.clone(), message).with_value(id))?;
            return Ok(false);
        }
        self.row_lines.push(place.line.unwrap_or(0));
        Ok(true)
    }

    /// Adds an event row unless its id was already used, which is a problem at `place`.
    /// Returns whether the row was added.
    pub fn push_row<T: AsRef<str> + Ord, A: ActorKey>(
        &mut self,
        row: &Event<T, A>,
        place: Place,
    ) -> Result<bool, LoadError> {
        if !self.claim_id(row.id.as_ref(), &place)? {
            return Ok(false);
        }
        self.store.push(row);
        Ok(true)
    }

    /// Appends the rows of a store built in parallel from the next part of the file, in
    /// order, refusing duplicate ids as [`Self::push_row`] does. `place_of(i)` places row `i`.
    /// Returns the new index of each row (`None` for a refused one).
    pub fn absorb(
        &mut self,
        piece: &Store,
        line_of: impl Fn(usize) -> u64,
        place_of: impl Fn(usize) -> Place,
    ) -> Result<Vec<Option<usize>>, LoadError> {
        let mut kept = Vec::with_capacity(piece.len());
        let mut index = Vec::with_capacity(piece.len());
        let base = self.store.len();
        for i in 0..piece.len() {
            let id = piece.events.id.get(i);
            // Claim against rows already in the store and rows kept from this piece.
            let hash = IdIndex::hash(id);
            let store = &self.store;
            // Rows already in the store, and rows of this piece kept but not yet appended;
            // a new id is noted as this row's.
            let row = (base + kept.len()) as u32;
            let seen =
                self.ids
                    .find_or_insert(id, hash, row, |r| match (r as usize).checked_sub(base) {
                        None => store.events.id.get(r as usize),
                        Some(k) => piece.events.id.get(kept[k]),
                    });
            if let (Some(row), Some(repeats)) = (seen, self.repeats.as_mut()) {
                // Kept, to be folded into the first row (monadic exports).
                repeats.push((row, (base + kept.len()) as u32, place_of(i)));
                self.row_lines.push(line_of(i));
                index.push(Some(base + kept.len()));
                kept.push(i);
                continue;
            }
            if let Some(row) = seen {
                let message = match self.row_lines.get(row as usize) {
                    Some(&n) if n > 0 => format!("duplicate event id {id:?} (first on line {n})"),
                    _ => format!("duplicate event id {id:?}"),
                };
                self.skip(Problem::new(place_of(i), message).with_value(id))?;
                index.push(None);
                continue;
            }
            self.row_lines.push(line_of(i));
            index.push(Some(base + kept.len()));
            kept.push(i);
        }
        self.store.append_rows(piece, &kept);
        Ok(index)
    }

    /// Makes room for `rows` more events with `text_bytes` bytes of descriptions.
    pub fn reserve(&mut self, rows: usize, text_bytes: usize) {
        self.store.reserve(rows, text_bytes);
        self.row_lines.reserve(rows);
        self.ids.reserve(rows);
    }

    /// Number of events so far.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// True when no event was added yet.
    pub fn is_empty(&self) -> bool {
        self.store.is_empty()
    }

    /// Sets the date of event `i` (dates settled once the whole column is read).
    pub fn set_date(&mut self, i: usize, date: DateSpan) {
        self.store.set_date(i, date);
    }

    /// Drops events by index (rows found bad once the whole column is read).
    pub fn drop_events(&mut self, mut indices: Vec<usize>) {
        indices.sort_unstable();
        indices.dedup();
        self.store
            .retain_rows(|i| indices.binary_search(&i).is_err());
        let mut row = 0;
        self.row_lines.retain(|_| {
            row += 1;
            indices.binary_search(&(row - 1)).is_err()
        });
        // Rows waiting to be folded move up past the dropped ones; a pair that lost a row
        // is no pair (a row whose first was dropped stands alone).
        if let Some(repeats) = self.repeats.as_mut() {
            let new_index = |i: u32| {
                let i = i as usize;
                match indices.binary_search(&i) {
                    Ok(_) => None,
                    Err(before) => Some((i - before) as u32),
                }
            };
            repeats.retain_mut(
                |(first, later, _)| match (new_index(*first), new_index(*later)) {
                    (Some(f), Some(l)) => {
                        (*first, *later) = (f, l);
                        true
                    }
                    _ => false,
                },
            );
        }
    }

    /// Finishes: an import with no usable record is an error listing why.
    pub fn finish(mut self) -> Result<Opened, LoadError> {
        if let Some(note) = self.unplaced.note(&self.path) {
            self.notes.push(note);
        }
        if self.store.is_empty() {
            let mut problems = self.problems;
            problems.insert(
                0,
                Problem::new(
                    Place::default(),
                    format!(
                        "no usable {} record in the file ({} skipped)",
                        self.format.name(),
                        self.skipped
                    ),
                ),
            );
            return Err(LoadError::Invalid {
                path: self.path,
                problems,
            });
        }
        Ok(Opened {
            store: self.store,
            format: self.format,
            problems: self.problems,
            figure_records: 0,
            skipped: self.skipped,
            notes: self.notes,
            workspace: None,
        })
    }
}

/// A cell's text with missing-value markers (`NA`, `N/A`, `NULL`, empty) read as absent.
pub fn present(cell: &str) -> Option<&str> {
    // Most cells start and end with a printable ASCII character, and trimming (which looks
    // for Unicode whitespace at both ends) would leave them as they are.
    let t = match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        _ => cell.trim(),
    };
    match t {
        "" | "NA" | "N/A" | "NULL" | "null" | "NaN" | "nan" => None,
        _ => Some(t),
    }
}

/// A record's latitude and longitude from their cells: both or neither. A coordinate that is
/// not a number or out of range loses the record its place, not the record: both come back
/// `None`, with what was wrong (the column, why) to count with [`ImportBuilder::unplace`].
#[allow(clippy::type_complexity)]
pub fn coordinates(
    (latitude, latitude_column): (Option<&str>, &str),
    (longitude, longitude_column): (Option<&str>, &str),
) -> (Option<f64>, Option<f64>, Option<(String, String)>) {
    match (
        coordinate(latitude, latitude_column, 90.0),
        coordinate(longitude, longitude_column, 180.0),
    ) {
        (Ok(lat), Ok(lon)) => (lat, lon, None),
        (Err(e), _) | (_, Err(e)) => (None, None, Some(e)),
    }
}

/// Reads an optional latitude/longitude pair (a decimal point or a decimal comma); errors
/// name the column and the range.
pub fn coordinate(
    text: Option<&str>,
    column: &str,
    limit: f64,
) -> Result<Option<f64>, (String, String)> {
    let Some(t) = text else { return Ok(None) };
    // A decimal comma (`31,3942`), as Excel writes numbers in much of the world.
    let decimal_point;
    let t = if t.matches(',').count() == 1 && !t.contains('.') {
        decimal_point = t.replace(',', ".");
        decimal_point.as_str()
    } else {
        t
    };
    let value: f64 = t
        .parse()
        .map_err(|_| (column.to_string(), format!("{column} is not a number")))?;
    if !value.is_finite() || value.abs() > limit {
        return Err((
            column.to_string(),
            format!("{column} {value} is outside −{limit}…{limit}"),
        ));
    }
    Ok(Some(value))
}

/// Reads an optional count of deaths: a whole number ≥ 0.
pub fn count(text: Option<&str>, column: &str) -> Result<Option<u32>, (String, String)> {
    let Some(t) = text else { return Ok(None) };
    if let Some(stripped) = t.strip_prefix('-') {
        if stripped.bytes().all(|b| b.is_ascii_digit()) && !stripped.is_empty() {
            return Err((column.to_string(), format!("{column} is negative")));
        }
    }
    // Some exports write counts as floats ("3.0").
    let t = t.strip_suffix(".0").unwrap_or(t);
    t.parse::<u32>().map(Some).map_err(|_| {
        (
            column.to_string(),
            format!("{column} is not a whole number"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn present_trims_what_trim_trims_and_reads_markers_as_absent() {
        for cell in [
            "Sanaa",
            " Sanaa",
            "Sanaa\t",
            "\u{a0}Sanaa\u{3000}",
            "NA",
            " NA ",
            "",
            " ",
            "null",
            "é",
            " é ",
            "\u{2003}",
            "N/A\r",
            "a b",
        ] {
            let trimmed = cell.trim();
            let expected = match trimmed {
                "" | "NA" | "N/A" | "NULL" | "null" | "NaN" | "nan" => None,
                _ => Some(trimmed),
            };
            assert_eq!(present(cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn ids_with_one_hash_are_told_apart_by_their_text() {
        let rows = ["a", "b", "c", "a", "c", "d", "b"];
        let mut index = IdIndex::default();
        // Every id given the same hash: all but the first go through the colliding map.
        let firsts: Vec<Option<u32>> = rows
            .iter()
            .enumerate()
            .map(|(row, id)| index.find_or_insert(id, 7, row as u32, |r| rows[r as usize]))
            .collect();
        assert_eq!(firsts, [None, None, None, Some(0), Some(2), None, Some(1)]);
        // With their own hashes, the same answers.
        let mut index = IdIndex::default();
        let firsts: Vec<Option<u32>> = rows
            .iter()
            .enumerate()
            .map(|(row, id)| {
                index.find_or_insert(id, IdIndex::hash(id), row as u32, |r| rows[r as usize])
            })
            .collect();
        assert_eq!(firsts, [None, None, None, Some(0), Some(2), None, Some(1)]);
        // Claimed on one thread, settled on another, the same answers again.
        for hash in [|_: &str| 7, IdIndex::hash] {
            let (mut claimed, mut settled) = (IdIndex::default(), IdIndex::default());
            let firsts: Vec<Option<u32>> = rows
                .iter()
                .enumerate()
                .map(|(row, id)| {
                    let first = claimed.claim_hash(hash(id), row as u32)?;
                    settled.settle_hit(id, first, row as u32, |r| rows[r as usize])
                })
                .collect();
            assert_eq!(firsts, [None, None, None, Some(0), Some(2), None, Some(1)]);
        }
    }

    /// The hash `hash * MIX` of which is `product`: the slot's mix undone, to make hashes
    /// whose fingerprints are chosen.
    fn hash_mixing_to(product: u64) -> u64 {
        const MIX: u64 = 0x9E37_79B9_7F4A_7C15;
        // The inverse of the odd MIX modulo 2^64, by Newton's steps (each doubles the bits).
        let inverse = (0..6).fold(MIX, |x, _| {
            x.wrapping_mul(2u64.wrapping_sub(MIX.wrapping_mul(x)))
        });
        assert_eq!(MIX.wrapping_mul(inverse), 1);
        product.wrapping_mul(inverse)
    }

    #[test]
    fn ids_whose_hashes_share_a_slot_are_told_apart_by_their_text() {
        // Different hashes, the same 32 bits kept in a slot; and the hash mixing to 0, kept
        // as 1, beside one mixing to 1.
        for (a, b) in [
            (hash_mixing_to(5 << 32), hash_mixing_to((5 << 32) + 77)),
            (hash_mixing_to(0), hash_mixing_to(1 << 32)),
        ] {
            assert_ne!(a, b);
            assert_eq!(HashSlots::fingerprint(a), HashSlots::fingerprint(b));
            let rows = ["x", "y", "x", "y"];
            let hashes = [a, b, a, b];
            let mut index = IdIndex::default();
            let firsts: Vec<Option<u32>> = (0..4)
                .map(|row| {
                    let id = rows[row];
                    index.find_or_insert(id, hashes[row], row as u32, |r| rows[r as usize])
                })
                .collect();
            assert_eq!(firsts, [None, None, Some(0), Some(1)]);
        }
    }

    #[test]
    fn claims_in_bulk_answer_as_claims_one_by_one_as_the_table_grows() {
        // Repeats near and far, hashes that share a slot's fingerprint (the ids' text tells
        // such ids apart, as for any shared hash), and the hash whose fingerprint would be 0.
        let hashes: Vec<u64> = (0..60_000u64)
            .map(|i| match i % 5 {
                0 => i / 5 % 700,
                1 => i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1 << 63,
                2 => hash_mixing_to(((i % 3) << 32) + i),
                _ => i.wrapping_mul(0xff51_afd7_ed55_8ccd),
            })
            .collect();
        let mut first: HashMap<u32, u32> = HashMap::new();
        let expected: Vec<Option<u32>> = hashes
            .iter()
            .enumerate()
            .map(|(row, &h)| {
                let key = HashSlots::fingerprint(h);
                match first.get(&key) {
                    Some(&row) => Some(row),
                    None => {
                        first.insert(key, row as u32);
                        None
                    }
                }
            })
            .collect();
        let mut one_by_one = IdIndex::default();
        let got: Vec<Option<u32>> = hashes
            .iter()
            .enumerate()
            .map(|(row, &h)| one_by_one.claim_hash(h, row as u32))
            .collect();
        assert_eq!(got, expected);
        // In runs of every size, the table growing between runs and within them.
        for run in [1, 7, 1_000, 60_000] {
            let mut bulk = IdIndex::default();
            let mut got = vec![None; hashes.len()];
            let claims: Vec<(u64, u32)> = (0..).zip(&hashes).map(|(row, &h)| (h, row)).collect();
            for (k, part) in claims.chunks(run).enumerate() {
                bulk.claim_hashes(part, |i, first| got[k * run + i] = Some(first));
            }
            assert_eq!(got, expected, "runs of {run}");
        }
    }

    #[test]
    fn read_all_reads_every_byte_whatever_size_was_expected() {
        let bytes: Vec<u8> = (0..20_000_000u32).map(|i| (i % 251) as u8).collect();
        // As expected, less than expected (the input shrank) and more (it grew, or its
        // size was unknown), with a part already read.
        for expected in [bytes.len() as u64, 1_000, 0, bytes.len() as u64 * 2] {
            let options = OpenOptions::default();
            let mut reader = ProgressReader::new(&bytes[..], expected, &options);
            assert_eq!(reader.read_all().unwrap(), bytes, "expected {expected}");
            let mut reader = ProgressReader::new(&bytes[..], expected, &options);
            let mut head = [0u8; 10];
            reader.read_exact(&mut head).unwrap();
            assert_eq!(
                reader.read_all().unwrap(),
                &bytes[10..],
                "expected {expected}"
            );
        }
    }

    /// Reads `text` in reads of `step` bytes through a line limit of `max`; where the first
    /// too-long line starts, if any.
    fn first_long_line(text: &[u8], step: usize, max: u64) -> Option<(u64, Option<u64>)> {
        struct Steps<'a>(&'a [u8], usize);
        impl Read for Steps<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let options = OpenOptions::default();
        let mut reader = ProgressReader::new(Steps(text, step), text.len() as u64, &options)
            .with_line_limit(max);
        let mut sink = Vec::new();
        match reader.read_to_end(&mut sink) {
            Ok(_) => None,
            Err(e) => {
                let long = e
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<LineTooLong>())
                    .unwrap();
                Some((long.start, long.line))
            }
        }
    }

    #[test]
    fn a_line_over_the_limit_is_found_wherever_the_reads_fall() {
        let ok = b"aaaa\nbbbbbbbbbb\ncc\n";
        let long = b"aaaa\nbbbbbbbbbbb\ncc\n";
        let first_long = b"bbbbbbbbbbb\ncc\n";
        for step in [1, 3, 5, 7, 64] {
            assert_eq!(first_long_line(ok, step, 10), None, "step {step}");
            assert_eq!(
                first_long_line(long, step, 10),
                Some((5, None)),
                "step {step}"
            );
            assert_eq!(
                first_long_line(first_long, step, 10),
                Some((0, Some(1))),
                "step {step}"
            );
        }
        // A last line with no newline counts too.
        assert_eq!(first_long_line(b"aa\nbbbbbbbbbbbb", 4, 10), Some((3, None)));
    }
}
