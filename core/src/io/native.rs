//! The native format: one JSON object, `{"format": "faultline", "version": 1, …}` — see
//! `docs/FORMAT.md`. Reading reports every problem it can find with its line and column, not
//! just the first.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde::Serialize;
use serde_json::value::RawValue;

use super::import::IdIndex;
use super::problem::{LoadError, Place, Problem};
use super::validate::{validate_with, EventChecker, RecordRef};
use crate::model::{
    Dataset, Event, EventRef, Workspace, CORRECTIONS_VERSION, FORMAT_NAME, FORMAT_VERSION,
    FORMAT_VERSIONS_READ, WORKSPACE_VERSION,
};
use crate::store::Store;

/// Maps byte offsets of a text to 1-based line and column numbers. The lines are found
/// when the first place is asked for: a file without problems never pays for them.
#[derive(Default)]
pub struct LineIndex {
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl LineIndex {
    /// An index of the line starts of the text its places will be asked of.
    pub fn new() -> LineIndex {
        LineIndex::default()
    }

    /// 1-based (line, column) of a byte offset of `text` (always the same text); the column
    /// counts characters.
    pub fn place(&self, text: &str, offset: usize) -> (u64, u64) {
        let line_starts = self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr_newlines(text.as_bytes()));
            starts
        });
        let line = line_starts.partition_point(|&s| s <= offset).max(1);
        let start = line_starts[line - 1];
        let column = text
            .get(start..offset.min(text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line as u64, column as u64 + 1)
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)
}

/// Where each record of a parsed file started, so later checks can point at it: its index
/// in the file and the byte where it starts (turned into a line and column only for a
/// problem: counting the columns of every record of a file written on one line would take
/// time in the square of its length).
type RecordStart = (usize, usize);

#[derive(Default)]
struct RecordPlaces {
    /// Per collection, for each record that parsed: its index in the file and its start.
    by_collection: BTreeMap<&'static str, Vec<RecordStart>>,
    /// Per collection, the ids of records that did not parse.
    unreadable_ids: BTreeMap<&'static str, Vec<String>>,
}

impl RecordPlaces {
    fn place(&self, record: &RecordRef, index: &LineIndex, text: &str) -> Place {
        let found = self
            .by_collection
            .get(record.collection)
            .and_then(|v| v.get(record.index))
            .copied();
        let (line, column) = found.map(|(_, at)| index.place(text, at)).unzip();
        // Report the record's index in the file, not among the records that parsed.
        let in_file = RecordRef {
            index: found.map(|(i, _)| i).unwrap_or(record.index),
            ..record.clone()
        };
        Place {
            line,
            column,
            record: Some(in_file.describe()),
            field: record.field.clone(),
        }
    }
}

const COLLECTIONS: [&str; 6] = [
    "sources",
    "actors",
    "events",
    "relations",
    "series",
    "statements",
];
/// The keys of a workspace: what the analyst added beside the records (see
/// [`crate::model::Workspace`]).
const WORKSPACE_KEYS: [&str; 6] = [
    "includes",
    "annotations",
    "notes",
    "marks",
    "corrections",
    "view",
];
const TOP_LEVEL_KEYS: [&str; 10] = [
    "format",
    "version",
    "title",
    "description",
    "sources",
    "actors",
    "events",
    "relations",
    "series",
    "statements",
];

/// Reads a native file.
pub fn load(path: &Path) -> Result<Dataset, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    from_bytes(&bytes, path)
}

/// Reads a native dataset from bytes; `path` only names the input in messages.
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Dataset, LoadError> {
    from_str(utf8(bytes, path)?, path)
}

/// The bytes as text, or where they stop being UTF-8.
fn utf8<'b>(bytes: &'b [u8], path: &Path) -> Result<&'b str, LoadError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            // The valid prefix is UTF-8 by construction.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = LineIndex::new().place(prefix, prefix.len());
            Err(LoadError::invalid(
                path,
                Problem::new(
                    Place::at(line, column),
                    format!("invalid UTF-8 (byte offset {})", e.valid_up_to()),
                ),
            ))
        }
    }
}

/// Reads a native dataset from text; `path` only names the input in messages.
pub fn from_str(text: &str, path: &Path) -> Result<Dataset, LoadError> {
    let mut events: Vec<Event> = Vec::new();
    let (meta, _) = read_native(text, path, &mut events)?;
    Ok(Dataset { events, ..meta })
}

/// Reads a native dataset from text straight into a columnar store: each event goes into the
/// columns as soon as it is read and checked, so the events are never all held as records.
pub fn store_from_str(text: &str, path: &Path) -> Result<Store, LoadError> {
    store_and_workspace_from_str(text, path).map(|(store, _)| store)
}

/// Reads a native file into a store, with what it holds as a workspace (its includes,
/// annotations, notes and view; empty for an ordinary dataset).
pub fn store_and_workspace_from_str(
    text: &str,
    path: &Path,
) -> Result<(Store, Workspace), LoadError> {
    let mut sink = StoreSink {
        store: Store::default(),
    };
    let (_, workspace) = read_native(text, path, &mut sink)?;
    Ok((sink.store, workspace))
}

/// Reads a native file into a store always as [`read_native_whole`] does, never walking it:
/// for the fuzz target that checks both ways read the same.
pub(crate) fn store_read_whole(text: &str, path: &Path) -> Result<Store, LoadError> {
    let mut sink = StoreSink {
        store: Store::default(),
    };
    read_native_whole(text, path, &mut sink).map(|_| sink.store)
}

/// Reads a native file's bytes into a store and its workspace parts (see
/// [`store_and_workspace_from_str`]).
pub fn store_and_workspace_from_bytes(
    bytes: &[u8],
    path: &Path,
) -> Result<(Store, Workspace), LoadError> {
    store_and_workspace_from_str(utf8(bytes, path)?, path)
}

/// Reads a native dataset from bytes straight into a columnar store (see [`store_from_str`]).
pub fn store_from_bytes(bytes: &[u8], path: &Path) -> Result<Store, LoadError> {
    store_from_str(utf8(bytes, path)?, path)
}

/// Where a native file's events go as they are read and checked.
trait EventSink {
    /// Called with everything but the events before the first event (again if reading
    /// starts over: what was pushed before is dropped). Reading a file as it is walked
    /// gives only the sources and actors here, and the rest to [`EventSink::finish`].
    fn start(&mut self, meta: &Dataset);
    /// Called with everything but the events after the last event, when reading a file as
    /// it is walked.
    fn finish(&mut self, meta: &Dataset);
    /// The next event (its index is the number of events pushed before it); given back
    /// when the sink only read it, to be dropped where it was made.
    fn push<'t>(&mut self, event: EventRef<'t>) -> Option<EventRef<'t>>;
    /// The id of the `index`-th event pushed.
    fn id(&self, index: usize) -> &str;
}

impl EventSink for Vec<Event> {
    fn start(&mut self, _meta: &Dataset) {
        self.clear();
    }
    fn finish(&mut self, _meta: &Dataset) {}
    fn push<'t>(&mut self, event: EventRef<'t>) -> Option<EventRef<'t>> {
        Vec::push(self, event.into_event());
        None
    }
    fn id(&self, index: usize) -> &str {
        &self[index].id
    }
}

struct StoreSink {
    store: Store,
}

impl EventSink for StoreSink {
    fn start(&mut self, meta: &Dataset) {
        self.store = Store::new(meta.clone());
    }
    fn finish(&mut self, meta: &Dataset) {
        self.store.meta = Dataset {
            events: Vec::new(),
            ..meta.clone()
        };
    }
    fn push<'t>(&mut self, event: EventRef<'t>) -> Option<EventRef<'t>> {
        self.store.push(&event);
        Some(event)
    }
    fn id(&self, index: usize) -> &str {
        self.store.events.id.get(index)
    }
}

/// The top-level object's entries in file order, duplicates included.
struct TopEntries<'t>(Vec<(String, &'t RawValue)>);

impl<'de: 't, 't> serde::Deserialize<'de> for TopEntries<'t> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = TopEntries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<TopEntries<'de>, M::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(TopEntries(entries))
            }
        }
        d.deserialize_map(Entries)
    }
}

/// The top-level object of a native file, each value kept as raw JSON, with what places a
/// value in the text.
struct TopLevel<'t> {
    text: &'t str,
    index: LineIndex,
    /// Each entry's value as raw JSON text (a part of `text`).
    values: BTreeMap<String, &'t str>,
}

impl<'t> TopLevel<'t> {
    /// Reads the top-level object, or says where the JSON is broken.
    fn parse(text: &'t str, path: &Path) -> Result<TopLevel<'t>, LoadError> {
        let entries: TopEntries = serde_json::from_str(text).map_err(|e| {
            let message = if e.is_eof() {
                format!("the JSON ends too early ({})", strip_position(&e))
            } else if e.is_data() {
                "expected a JSON object {\"format\": \"faultline\", \"version\": 1, …} at the top level"
                    .to_string()
            } else {
                format!("not valid JSON: {}", strip_position(&e))
            };
            LoadError::invalid(
                path,
                Problem::new(
                    Place::at(e.line() as u64, e.column().max(1) as u64),
                    message,
                ),
            )
        })?;
        let mut top = TopLevel {
            text,
            index: LineIndex::new(),
            values: BTreeMap::new(),
        };
        for (key, value) in entries.0 {
            let value = value.get();
            if top.values.contains_key(&key) {
                // A second "events" would silently replace the first: refuse it.
                top.values.insert(key.clone(), value);
                return Err(LoadError::invalid(
                    path,
                    Problem::new(top.place(&key), format!("duplicate top-level key {key:?}")),
                ));
            }
            top.values.insert(key, value);
        }
        Ok(top)
    }

    /// The place of a top-level field (its value's line and column when it is there).
    fn place(&self, field: &str) -> Place {
        let (line, column) = self
            .values
            .get(field)
            .map(|raw| {
                let offset = raw.as_ptr() as usize - self.text.as_ptr() as usize;
                self.index.place(self.text, offset)
            })
            .unzip();
        Place {
            line,
            column,
            record: None,
            field: Some(field.to_string()),
        }
    }

    /// A top-level field read as `T`: `None` when absent, `Some(Err(()))` when of another type.
    fn get<T: serde::de::DeserializeOwned>(&self, field: &str) -> Option<Result<T, ()>> {
        self.values
            .get(field)
            .map(|r| serde_json::from_str::<T>(r).map_err(|_| ()))
    }

    /// The header: `"format": "faultline"` and a version this build reads. Nothing else is
    /// worth reading without them.
    fn check_header(&self, path: &Path) -> Result<(), LoadError> {
        let fail = |field: &str, message: String| {
            Err(LoadError::invalid(
                path,
                Problem::new(self.place(field), message),
            ))
        };
        match self.get::<String>("format") {
            Some(Ok(f)) if f == FORMAT_NAME => {}
            Some(Ok(other)) => {
                return fail(
                    "format",
                    format!("format is {other:?}, expected \"{FORMAT_NAME}\""),
                )
            }
            Some(Err(())) | None => {
                return fail(
                    "format",
                    format!("missing \"format\": \"{FORMAT_NAME}\" (is this a Faultline file?)"),
                )
            }
        }
        let readable: Vec<String> = FORMAT_VERSIONS_READ.iter().map(u32::to_string).collect();
        match self.get::<u64>("version") {
            Some(Ok(v)) if FORMAT_VERSIONS_READ.iter().any(|r| u64::from(*r) == v) => Ok(()),
            Some(Ok(v)) => fail(
                "version",
                format!(
                    "unsupported version {v}: this build of Faultline reads versions {}",
                    crate::text::and_list(&readable)
                ),
            ),
            Some(Err(())) | None => fail(
                "version",
                format!(
                    "\"version\" must be a whole number ({})",
                    crate::text::or_list(&readable)
                ),
            ),
        }
    }

    /// True when the file's version has the workspace keys.
    fn is_workspace_version(&self) -> bool {
        matches!(self.get::<u64>("version"), Some(Ok(v)) if v >= u64::from(WORKSPACE_VERSION))
    }

    /// The workspace keys, each read whole, with a located problem for one that is not what
    /// docs/FORMAT.md says.
    fn workspace(&self, problems: &mut Vec<Problem>) -> Workspace {
        let mut workspace = Workspace::default();
        for key in WORKSPACE_KEYS {
            let Some(raw) = self.values.get(key) else {
                continue;
            };
            let read = match key {
                "includes" => serde_json::from_str(raw).map(|v| workspace.includes = v),
                "annotations" => serde_json::from_str(raw).map(|v| workspace.annotations = v),
                "notes" => serde_json::from_str(raw).map(|v| workspace.notes = v),
                "marks" => serde_json::from_str(raw).map(|v| workspace.marks = v),
                "corrections" => serde_json::from_str(raw).map(|v| workspace.corrections = v),
                _ => serde_json::from_str(raw).map(|v| workspace.view = Some(v)),
            };
            if let Err(e) = read {
                problems.push(Problem::new(
                    self.place(key),
                    format!("\"{key}\": {}", strip_position(&e)),
                ));
            }
        }
        for problem in workspace.annotations.iter().filter_map(|a| a.problem()) {
            problems.push(Problem::new(self.place("annotations"), problem));
        }
        let version = self.get::<u64>("version").and_then(Result::ok);
        if workspace.needs_corrections_version() && version < Some(u64::from(CORRECTIONS_VERSION)) {
            let key = if workspace.corrections.is_empty() {
                "annotations"
            } else {
                "corrections"
            };
            problems.push(Problem::new(
                self.place(key),
                format!(
                    "corrections and annotations of a place need \"version\": {CORRECTIONS_VERSION}"
                ),
            ));
        }
        workspace
    }

    /// The title and description, with a problem for unknown keys and misread fields.
    fn title_and_description(&self, problems: &mut Vec<Problem>) -> (String, Option<String>) {
        for key in self.values.keys() {
            let workspace_key = WORKSPACE_KEYS.contains(&key.as_str());
            if workspace_key && !self.is_workspace_version() {
                problems.push(Problem::new(
                    self.place(key),
                    format!(
                        "{key:?} is a workspace key: it needs \"version\": {WORKSPACE_VERSION}"
                    ),
                ));
            } else if !TOP_LEVEL_KEYS.contains(&key.as_str()) && !workspace_key {
                problems.push(Problem::new(
                    self.place(key),
                    format!("unknown top-level key {key:?}"),
                ));
            }
        }
        let title = match self.get::<String>("title") {
            Some(Ok(t)) => t,
            Some(Err(())) => {
                problems.push(Problem::new(
                    self.place("title"),
                    "\"title\" must be a string",
                ));
                String::new()
            }
            None => {
                problems.push(Problem::new(
                    self.place("title"),
                    "missing required field \"title\"",
                ));
                String::new()
            }
        };
        let description = match self.get::<Option<String>>("description") {
            Some(Ok(d)) => d,
            Some(Err(())) => {
                problems.push(Problem::new(
                    self.place("description"),
                    "\"description\" must be a string",
                ));
                None
            }
            None => None,
        };
        (title, description)
    }
}

/// Reads a native file: walking it entry by entry when it is laid out as Faultline writes
/// it (the events after the sources and actors they refer to), else whole.
fn read_native(
    text: &str,
    path: &Path,
    sink: &mut dyn EventSink,
) -> Result<(Dataset, Workspace), LoadError> {
    match read_native_walking(text, path, sink) {
        Some(read) => read,
        None => read_native_whole(text, path, sink),
    }
}

/// Reads the top level whole (every value's extent found first), then the collections,
/// then the events. Says exactly where a broken file breaks.
fn read_native_whole(
    text: &str,
    path: &Path,
    sink: &mut dyn EventSink,
) -> Result<(Dataset, Workspace), LoadError> {
    let top = TopLevel::parse(text, path)?;
    top.check_header(path)?;
    let mut problems = Vec::new();
    let mut places = RecordPlaces::default();
    let mut reader = CollectionReader::over(&top, &mut problems, &mut places);
    let (meta, workspace, unreadable) = read_meta(&top, &mut reader, None);
    sink.start(&meta);
    let checker = EventChecker::new(&meta, &unreadable.actors, &unreadable.sources);
    if let Some(&events) = top.values.get("events") {
        let (found, end) = read_events(&mut reader, events, checker, sink);
        reader.not_records_unless("events", events, end == Some(events.len()));
        problems.extend(found);
    }
    in_file_order(path, problems).map(|()| (meta, workspace))
}

/// Reads a file laid out as Faultline writes it without finding the extent of the events
/// first (a tenth of the time of a large file): the entries before `"events"` (which must
/// hold the header, the sources and the actors), then the events (parsed on a second
/// thread while this one checks and keeps them), then the entries after. `None` when the
/// file is laid out otherwise or breaks anywhere: [`read_native_whole`] then reads it and
/// says what is wrong (the sink starts again).
fn read_native_walking(
    text: &str,
    path: &Path,
    sink: &mut dyn EventSink,
) -> Option<Result<(Dataset, Workspace), LoadError>> {
    let mut walk = TopWalker::new(text);
    let mut top = TopLevel {
        text,
        index: LineIndex::new(),
        values: BTreeMap::new(),
    };
    loop {
        let key = walk.next_key().ok()??;
        if key == "events" {
            break;
        }
        let value = walk.value().ok()?;
        if top.values.insert(key, value).is_some() {
            return None;
        }
    }
    let early = ["format", "version", "sources", "actors"];
    if !early.iter().all(|k| top.values.contains_key(*k)) || top.check_header(path).is_err() {
        return None;
    }
    let mut problems = Vec::new();
    let mut places = RecordPlaces::default();
    let mut reader = CollectionReader::over(&top, &mut problems, &mut places);
    let (sources, actors) = (reader.read("sources"), reader.read("actors"));
    let unreadable = reader.unreadable();
    let referred = Dataset {
        sources,
        actors,
        ..Dataset::default()
    };
    sink.start(&referred);
    let checker = EventChecker::new(&referred, &unreadable.actors, &unreadable.sources);
    let (found, end) = read_events(&mut reader, walk.rest(), checker, sink);
    let events = walk.take(end?);
    let mut later = BTreeMap::new();
    while let Some(key) = walk.next_key().ok()? {
        let value = walk.value().ok()?;
        if later.insert(key, value).is_some() {
            return None;
        }
    }
    if later.insert("events".to_string(), events).is_some() {
        return None;
    }
    for (key, value) in later {
        if top.values.insert(key, value).is_some() {
            return None;
        }
    }
    let mut reader = CollectionReader::over(&top, &mut problems, &mut places);
    let (meta, workspace, _) = read_meta(&top, &mut reader, Some(referred));
    sink.finish(&meta);
    problems.extend(found);
    Some(in_file_order(path, problems).map(|()| (meta, workspace)))
}

/// The ids of actors and sources whose records could not be read: references to them are
/// not reported again.
struct Unreadable {
    actors: Vec<String>,
    sources: Vec<String>,
}

/// Everything but the events, from the whole top level: the title, the workspace, the
/// collections (the sources and actors of `read_before` when they were read already), and
/// the problems of their references, placed.
fn read_meta(
    top: &TopLevel,
    reader: &mut CollectionReader,
    read_before: Option<Dataset>,
) -> (Dataset, Workspace, Unreadable) {
    let (title, description) = top.title_and_description(reader.problems);
    let workspace = top.workspace(reader.problems);
    let (sources, actors) = match read_before {
        Some(d) => (d.sources, d.actors),
        None => (reader.read("sources"), reader.read("actors")),
    };
    let meta = Dataset {
        title,
        description,
        sources,
        actors,
        events: Vec::new(),
        relations: reader.read("relations"),
        series: reader.read("series"),
        statements: reader.read("statements"),
    };
    debug_assert!(COLLECTIONS.iter().all(|c| TOP_LEVEL_KEYS.contains(c)));
    let unreadable = reader.unreadable();
    for (record, message) in validate_with(&meta, &unreadable.actors, &unreadable.sources) {
        let place = reader.places.place(&record, reader.index, reader.text);
        reader.problems.push(Problem::new(place, message));
    }
    (meta, workspace, unreadable)
}

/// Nothing, or the problems in file order, so the list reads top to bottom.
fn in_file_order(path: &Path, mut problems: Vec<Problem>) -> Result<(), LoadError> {
    if problems.is_empty() {
        return Ok(());
    }
    problems.sort_by_key(|p| (p.place.line, p.place.column));
    Err(LoadError::Invalid {
        path: path.to_path_buf(),
        problems,
    })
}

/// Walks a top-level object one entry at a time, so the events can be read before the
/// extent of every value is known.
struct TopWalker<'t> {
    text: &'t str,
    at: usize,
    started: bool,
}

impl<'t> TopWalker<'t> {
    fn new(text: &'t str) -> TopWalker<'t> {
        TopWalker {
            text,
            at: 0,
            started: false,
        }
    }

    fn skip_space(&mut self) {
        while matches!(
            self.text.as_bytes().get(self.at),
            Some(b' ' | b'\t' | b'\n' | b'\r')
        ) {
            self.at += 1;
        }
    }

    /// Steps over `byte` (after any space), or fails.
    fn expect(&mut self, byte: u8) -> Result<(), ()> {
        self.skip_space();
        if self.text.as_bytes().get(self.at) != Some(&byte) {
            return Err(());
        }
        self.at += 1;
        Ok(())
    }

    /// The next entry's key, the walk then at its value; `None` at the end of the object
    /// (which must be the end of the text). `Err` when the text is not such an object.
    fn next_key(&mut self) -> Result<Option<String>, ()> {
        if !self.started {
            self.started = true;
            self.expect(b'{')?;
            if self.expect(b'}').is_ok() {
                return self.end();
            }
        } else if self.expect(b'}').is_ok() {
            return self.end();
        } else {
            self.expect(b',')?;
        }
        self.skip_space();
        let mut keys = serde_json::Deserializer::from_str(self.rest()).into_iter::<String>();
        let key = keys.next().ok_or(())?.map_err(|_| ())?;
        self.at += keys.byte_offset();
        self.expect(b':')?;
        self.skip_space();
        Ok(Some(key))
    }

    fn end(&mut self) -> Result<Option<String>, ()> {
        self.skip_space();
        if self.at == self.text.len() {
            Ok(None)
        } else {
            Err(())
        }
    }

    /// The value the walk is at, as raw JSON text.
    fn value(&mut self) -> Result<&'t str, ()> {
        let rest = self.rest();
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<&RawValue>();
        values.next().ok_or(())?.map_err(|_| ())?;
        Ok(self.take(values.byte_offset()))
    }

    /// The text from where the walk is.
    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    /// The next `length` bytes, stepped over.
    fn take(&mut self, length: usize) -> &'t str {
        let taken = &self.text[self.at..self.at + length];
        self.at += length;
        taken
    }
}

/// The events, one at a time: read, checked (ids unique and not empty, references resolve,
/// values in range), handed to the sink. Returns the problems found, placed.
/// `events` is the text from the start of the events array; returns the problems and where
/// the array ends (`None` when it is not an array of records).
fn read_events<'t>(
    reader: &mut CollectionReader<'_, 't>,
    events: &'t str,
    mut checker: EventChecker,
    sink: &mut dyn EventSink,
) -> (Vec<Problem>, Option<usize>) {
    let mut ids = IdIndex::default();
    // The index in the file of each event read (rows skip records that did not parse).
    let mut in_file_of_row: Vec<u32> = Vec::new();
    let mut pushed = 0usize;
    let mut found = Vec::new();
    let (index, text) = (reader.index, reader.text);
    let end = reader.read_each_from(
        "events",
        events,
        |event: EventRef<'_>, in_file: usize, start: usize| {
            let id: &str = &event.id;
            let place = |field: Option<String>, record: RecordRef| {
                let (line, column) = index.place(text, start);
                Place {
                    line: Some(line),
                    column: Some(column),
                    record: Some(
                        RecordRef {
                            index: in_file,
                            ..record
                        }
                        .describe(),
                    ),
                    field,
                }
            };
            let id_record = || RecordRef {
                collection: "events",
                index: pushed,
                id: Some(id.to_string()),
                field: Some("id".into()),
            };
            if id.trim().is_empty() {
                found.push(Problem::new(
                    place(Some("id".into()), id_record()),
                    "the id is empty",
                ));
            } else if let Some(first) =
                ids.find_or_insert(id, IdIndex::hash(id), pushed as u32, |row| {
                    sink.id(row as usize)
                })
            {
                let first = in_file_of_row[first as usize];
                found.push(Problem::new(
                    place(Some("id".into()), id_record()),
                    format!("duplicate id {id:?} (first used by events[{first}])"),
                ));
            }
            for (record, message) in checker.check(pushed, &event) {
                found.push(Problem::new(place(record.field.clone(), record), message));
            }
            in_file_of_row.push(in_file as u32);
            pushed += 1;
            sink.push(event)
        },
    );
    (found, end)
}

struct CollectionReader<'a, 't> {
    top: &'a BTreeMap<String, &'t str>,
    text: &'t str,
    index: &'a LineIndex,
    problems: &'a mut Vec<Problem>,
    places: &'a mut RecordPlaces,
}

impl<'a, 't> CollectionReader<'a, 't> {
    /// A reader of the collections of `top`, reporting into `problems` and `places`.
    fn over(
        top: &'a TopLevel<'t>,
        problems: &'a mut Vec<Problem>,
        places: &'a mut RecordPlaces,
    ) -> CollectionReader<'a, 't> {
        CollectionReader {
            top: &top.values,
            text: top.text,
            index: &top.index,
            problems,
            places,
        }
    }

    /// Where a part of the text starts, in bytes.
    fn offset(&self, part: &str) -> usize {
        part.as_ptr() as usize - self.text.as_ptr() as usize
    }

    fn offset_place(&self, part: &str) -> (u64, u64) {
        self.index.place(self.text, self.offset(part))
    }

    /// Reads one collection, record by record, so one bad record does not hide the others.
    fn read<T: DeserializeOwned + Send>(&mut self, name: &'static str) -> Vec<T> {
        let mut out = Vec::new();
        let mut starts = Vec::new();
        self.read_each(name, |value, i, start| {
            out.push(value);
            starts.push((i, start));
            None
        });
        self.places.by_collection.insert(name, starts);
        out
    }

    /// Reads one collection record by record, handing each record that parses to `take` with
    /// its index in the file and where it starts; the others become problems. A large
    /// collection is split into records and parsed on a thread of its own while this one
    /// takes what it parsed.
    ///
    /// `take` may hand a record back once it is done with it: the record is then dropped on
    /// the thread that parsed it. Memory freed by the thread that allocated it spares the
    /// allocator a lock that both threads would otherwise contend for on every record.
    fn read_each<T: Deserialize<'t> + Send>(
        &mut self,
        name: &'static str,
        take: impl FnMut(T, usize, usize) -> Option<T>,
    ) {
        if let Some(&raw) = self.top.get(name) {
            let end = self.read_each_from(name, raw, take);
            self.not_records_unless(name, raw, end == Some(raw.len()));
        }
    }

    /// A problem at collection `name` (whose value is `raw`) unless it is an array of
    /// records.
    fn not_records_unless(&mut self, name: &str, raw: &str, records: bool) {
        if !records {
            let (line, column) = self.offset_place(raw);
            self.problems.push(Problem::new(
                Place {
                    line: Some(line),
                    column: Some(column),
                    record: None,
                    field: Some(name.to_string()),
                },
                format!("\"{name}\" must be an array of records"),
            ));
        }
    }

    /// The ids of the actors and sources read so far whose records could not be read.
    fn unreadable(&self) -> Unreadable {
        let ids = |c: &str| {
            self.places
                .unreadable_ids
                .get(c)
                .cloned()
                .unwrap_or_default()
        };
        Unreadable {
            actors: ids("actors"),
            sources: ids("sources"),
        }
    }

    /// Reads the records of collection `name` from `raw`, the text from the start of its
    /// array, as [`CollectionReader::read_each`] does; returns where the array ends (`None`
    /// when it is not an array of records).
    fn read_each_from<T: Deserialize<'t> + Send>(
        &mut self,
        name: &'static str,
        raw: &'t str,
        mut take: impl FnMut(T, usize, usize) -> Option<T>,
    ) -> Option<usize> {
        if raw.len() < PARALLEL_COLLECTION_BYTES {
            let mut i = 0;
            for_each_record(raw, |record, parsed: Option<T>| {
                drop(self.take_or_report(name, i, record, parsed, &mut take));
                i += 1;
            })
        } else {
            std::thread::scope(|scope| {
                let (send, chunks) = std::sync::mpsc::sync_channel(4);
                // Unbounded, so handing records back never waits on the parser.
                let (give_back, handed_back) = std::sync::mpsc::channel::<Vec<T>>();
                let parser = scope.spawn(move || {
                    let mut chunk = Vec::with_capacity(RECORDS_PER_CHUNK);
                    let mut receiver_gone = false;
                    let end = for_each_record(raw, |record, parsed: Option<T>| {
                        chunk.push((record, parsed));
                        if chunk.len() == RECORDS_PER_CHUNK && !receiver_gone {
                            handed_back.try_iter().for_each(drop);
                            let full = std::mem::replace(
                                &mut chunk,
                                Vec::with_capacity(RECORDS_PER_CHUNK),
                            );
                            receiver_gone = send.send(full).is_err();
                        }
                    });
                    let _ = send.send(chunk);
                    end
                });
                let mut i = 0;
                for chunk in chunks {
                    let mut done = Vec::with_capacity(chunk.len());
                    for (record, parsed) in chunk {
                        done.extend(self.take_or_report(name, i, record, parsed, &mut take));
                        i += 1;
                    }
                    // Once the parser has finished, what is handed back is dropped here.
                    let _ = give_back.send(done);
                }
                parser
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))
            })
        }
    }

    /// Hands record `i` of collection `name` to `take` if it parsed; if not, reads it again
    /// tracking the path to the field that is wrong (which costs on every field, so only a
    /// record that failed pays it) and reports it. Returns what `take` handed back.
    fn take_or_report<T: Deserialize<'t>>(
        &mut self,
        name: &'static str,
        i: usize,
        record: &'t str,
        parsed: Option<T>,
        take: &mut impl FnMut(T, usize, usize) -> Option<T>,
    ) -> Option<T> {
        let start = self.offset(record);
        if let Some(value) = parsed {
            return take(value, i, start);
        }
        let mut de = serde_json::Deserializer::from_str(record);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(value) => take(value, i, start),
            Err(err) => {
                let path = err.path().to_string();
                let inner = err.into_inner();
                let start = self.index.place(self.text, start);
                let (line, column) = if inner.line() <= 1 {
                    (start.0, start.1 + inner.column() as u64 - 1)
                } else {
                    (start.0 + inner.line() as u64 - 1, inner.column() as u64)
                };
                let id = serde_json::from_str::<IdOnly>(record)
                    .ok()
                    .and_then(|r| r.id);
                if let Some(id) = &id {
                    self.places
                        .unreadable_ids
                        .entry(name)
                        .or_default()
                        .push(id.clone());
                }
                let record_name = match id {
                    Some(id) => format!("{name}[{i}] (id {id:?})"),
                    None => format!("{name}[{i}]"),
                };
                self.problems.push(Problem::new(
                    Place {
                        line: Some(line),
                        column: Some(column),
                        record: Some(record_name),
                        field: (path != ".").then_some(path),
                    },
                    strip_position(&inner),
                ));
                None
            }
        }
    }
}

/// A collection at least this large (in bytes of JSON) is parsed on a thread of its own.
const PARALLEL_COLLECTION_BYTES: usize = 1 << 20;
/// Records handed over at a time by that thread.
const RECORDS_PER_CHUNK: usize = 1024;

/// Hands each record of the JSON array at the start of `raw` to `each`: the record's text,
/// and the record parsed as `T` (or `None` when it is not one). Returns where the array ends
/// in `raw`, or `None` when it is not an array of records (the records before the break
/// were handed over).
///
/// Each record is parsed straight from the array's text, so the text is read once; only a
/// record that is not a `T` is read again, as raw JSON, to find where it ends.
fn for_each_record<'t, T: Deserialize<'t>>(
    raw: &'t str,
    mut each: impl FnMut(&'t str, Option<T>),
) -> Option<usize> {
    let bytes = raw.as_bytes();
    let after_space = |mut i: usize| {
        // JSON's whitespace (not form feed, which `is_ascii_whitespace` would take).
        while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    };
    let closes_at = |i: usize| (bytes.get(i) == Some(&b']')).then_some(i + 1);
    let mut i = after_space(0);
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    i = after_space(i + 1);
    if bytes.get(i) == Some(&b']') {
        return closes_at(i);
    }
    loop {
        let rest = &raw[i..];
        let mut records = serde_json::Deserializer::from_str(rest).into_iter::<T>();
        let (parsed, length) = match records.next() {
            Some(Ok(record)) => (Some(record), records.byte_offset()),
            _ => {
                let mut whole = serde_json::Deserializer::from_str(rest).into_iter::<&RawValue>();
                match whole.next() {
                    Some(Ok(_)) => (None, whole.byte_offset()),
                    _ => return None,
                }
            }
        };
        each(&rest[..length], parsed);
        i = after_space(i + length);
        match bytes.get(i) {
            Some(b',') => i = after_space(i + 1),
            _ => return closes_at(i),
        }
    }
}

#[derive(serde::Deserialize)]
struct IdOnly {
    id: Option<String>,
}

/// serde_json appends " at line L column C" to its messages; we place problems ourselves.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[derive(Serialize)]
struct NativeFile<'a> {
    format: &'static str,
    version: u32,
    #[serde(flatten)]
    dataset: &'a Dataset,
    #[serde(flatten)]
    workspace: &'a Workspace,
}

/// The native JSON text of a dataset (pretty-printed, ending in a newline).
pub fn to_string(dataset: &Dataset) -> String {
    workspace_to_string(dataset, &Workspace::default())
}

/// The native JSON text of a workspace: its own records (the events the analyst added, with
/// their actors and sources), then its includes, annotations, notes and view.
pub fn workspace_to_string(dataset: &Dataset, workspace: &Workspace) -> String {
    let file = NativeFile {
        format: FORMAT_NAME,
        version: if workspace.is_empty() {
            FORMAT_VERSION
        } else if workspace.needs_corrections_version() {
            CORRECTIONS_VERSION
        } else {
            WORKSPACE_VERSION
        },
        dataset,
        workspace,
    };
    // Serialising plain data to a String cannot fail: no maps with non-string keys.
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes a dataset in the native format, atomically (temp file + rename).
pub fn save(path: &Path, dataset: &Dataset) -> std::io::Result<()> {
    super::atomic::write_atomic(path, to_string(dataset).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_reader_and_the_record_reader_agree_on_good_and_bad_files() {
        let root = &Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = vec![
            root.join("assets/seed.json"),
            root.join("docs/example.json"),
        ];
        let mut bad: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/native_bad"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        bad.sort();
        assert!(bad.len() >= 20);
        files.extend(bad);
        let mut good = 0;
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let records = from_str(&text, file);
            let store = store_from_str(&text, file);
            match (records, store) {
                (Ok(dataset), Ok(store)) => {
                    assert_eq!(store.to_dataset(), dataset, "{}", file.display());
                    good += 1;
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", file.display()),
                (a, b) => panic!("{}: {:?} vs {:?}", file.display(), a.is_ok(), b.is_ok()),
            }
        }
        assert_eq!(good, 2);
    }

    fn load_text(text: &str) -> Result<Dataset, LoadError> {
        from_str(text, Path::new("t.json"))
    }

    #[test]
    fn an_unknown_version_is_named_in_the_error() {
        let err = load_text(r#"{"format":"faultline","version":7,"title":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("unsupported version 7"), "{err}");
        assert!(err.to_string().starts_with("t.json:1:"), "{err}");
    }

    #[test]
    fn every_bad_record_is_reported_with_its_line() {
        let text = "{\"format\":\"faultline\",\"version\":1,\"title\":\"x\",\n\"actors\":[\n{\"id\":\"a\",\"name\":\"A\",\"kind\":\"state\"},\n{\"id\":\"b\",\"name\":\"B\",\"kind\":\"planet\"},\n{\"id\":\"c\",\"name\":5,\"kind\":\"state\"}]}";
        let err = load_text(text).unwrap_err();
        let problems = err.problems();
        assert_eq!(problems.len(), 2, "{err}");
        assert_eq!(problems[0].place.line, Some(4));
        assert_eq!(problems[0].place.field.as_deref(), Some("kind"));
        assert_eq!(problems[1].place.line, Some(5));
        assert!(problems[1]
            .place
            .record
            .as_deref()
            .unwrap()
            .contains("\"c\""));
    }

    /// A file written on one line (as `jq -c` writes it): every problem is on line 1, at
    /// the column (in characters) where its event starts, or where its bad value is.
    #[test]
    fn problems_in_a_file_on_one_line_are_placed_by_column() {
        let head = "{\"format\":\"faultline\",\"version\":1,\"title\":\"é\",\"actors\":[{\"id\":\"a\",\"name\":\"A\",\"kind\":\"state\"}],\"events\":[";
        let good =
            "{\"id\":\"e1\",\"date\":\"2024-01-02\",\"event_type\":\"Battles\",\"actor1\":\"a\",\"status\":{\"kind\":\"reported\"}},";
        let ghost = "{\"id\":\"e2\",\"date\":\"2024-01-03\",\"event_type\":\"Battles\",\"actor1\":\"ghost\",\"status\":{\"kind\":\"reported\"}},";
        let bad_date =
            "{\"id\":\"e3\",\"date\":\"2024-02-30\",\"event_type\":\"Battles\",\"actor1\":\"a\",\"status\":{\"kind\":\"reported\"}}";
        let text = format!("{head}{good}{ghost}{bad_date}]}}");
        let err = load_text(&text).unwrap_err();
        let problems = err.problems();
        assert_eq!(problems.len(), 2, "{err}");
        let column_of = |part: &str| text[..text.find(part).unwrap()].chars().count() as u64 + 1;
        // The unknown actor: placed at its event's start.
        let ghost_at = problems
            .iter()
            .find(|p| p.message.contains("ghost"))
            .unwrap();
        assert_eq!(ghost_at.place.line, Some(1));
        assert_eq!(ghost_at.place.column, Some(column_of(ghost)), "{err}");
        // The date that does not exist: inside its event, past its start.
        let date_at = problems
            .iter()
            .find(|p| p.message.contains("30 Feb"))
            .unwrap();
        assert_eq!(date_at.place.line, Some(1));
        assert!(date_at.place.column.unwrap() > column_of(bad_date), "{err}");
    }

    #[test]
    fn walking_a_file_reads_what_reading_it_whole_reads() {
        let root = &Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut add = |name: &str, text: String| texts.push((name.to_string(), text));
        let seed = std::fs::read_to_string(root.join("assets/seed.json")).unwrap();
        add("seed", seed.clone());
        add(
            "example",
            std::fs::read_to_string(root.join("docs/example.json")).unwrap(),
        );
        let mut bad: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/native_bad"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        bad.sort();
        for file in bad {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            add(&name, std::fs::read_to_string(&file).unwrap_or_default());
        }
        // Variants of the seed around its events: keys before and after them repeated,
        // the collections the events need only after them, a broken or unknown entry after
        // them, workspace keys after them, and a file that stops inside them.
        let events_key = seed.find("\"events\"").unwrap();
        let (before, after) = seed.split_at(events_key);
        let last_brace = seed.rfind('}').unwrap();
        let with_after = |entry: &str| format!("{}, {entry}\n}}", &seed[..last_brace].trim_end());
        add("events twice", with_after("\"events\": []"));
        add("title twice", with_after("\"title\": \"again\""));
        add("unknown key after", with_after("\"colour\": 1"));
        add(
            "bad relations after",
            with_after("\"relationz\": 1, \"series\": 5"),
        );
        add(
            "workspace after",
            with_after("\"notes\": [{\"id\": \"n1\", \"text\": \"x\"}]"),
        );
        add(
            "cut in the events",
            seed[..events_key + (seed.len() - events_key) / 2].to_string(),
        );
        add("garbage after", format!("{seed} x"));
        let actors_at = before.find("\"actors\"").unwrap();
        let actors_end = before.rfind(',').unwrap();
        add(
            "actors after events",
            format!(
                "{}{}, {}\n}}",
                &before[..actors_at],
                &after[..after.rfind('}').unwrap()].trim_end(),
                &before[actors_at..actors_end]
            ),
        );
        let mut walked = 0;
        for (name, text) in &texts {
            let path = Path::new("f.json");
            let mut whole_sink = StoreSink {
                store: Store::default(),
            };
            let whole = read_native_whole(text, path, &mut whole_sink);
            let mut sink = StoreSink {
                store: Store::default(),
            };
            let walking = read_native_walking(text, path, &mut sink);
            walked += usize::from(walking.is_some());
            let read = walking.unwrap_or_else(|| read_native_whole(text, path, &mut sink));
            match (read, whole) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{name}");
                    assert_eq!(
                        sink.store.to_dataset(),
                        whole_sink.store.to_dataset(),
                        "{name}"
                    );
                }
                (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{name}"),
                (a, b) => panic!("{name}: {:?} vs {:?}", a.is_ok(), b.is_ok()),
            }
        }
        assert!(walked >= 10, "the walk reads most files: {walked}");
    }

    #[test]
    fn each_record_of_an_array_is_handed_over_with_its_own_text() {
        // Each record's text, and its id when it parsed as a record.
        type Seen = Vec<(String, Option<Option<String>>)>;
        let records = |json: &str| -> (bool, Seen) {
            let raw: &RawValue = serde_json::from_str(json).unwrap();
            let mut seen = Vec::new();
            let end = for_each_record(raw.get(), |text, parsed: Option<IdOnly>| {
                seen.push((text.to_string(), parsed.map(|r| r.id)));
            });
            (end == Some(raw.get().len()), seen)
        };
        let id = |s: &str| Some(Some(s.to_string()));
        assert_eq!(records("[]"), (true, vec![]));
        assert_eq!(records("[ \r\n\t ]"), (true, vec![]));
        let (whole, seen) = records(
            "[\n  {\"id\": \"a\"} ,\t2,\r\n[1, {\"id\": \"x\"}],\"s\",null,{\"id\":\"b\"}\n]",
        );
        assert!(whole);
        assert_eq!(
            seen,
            vec![
                ("{\"id\": \"a\"}".to_string(), id("a")),
                ("2".to_string(), None),
                ("[1, {\"id\": \"x\"}]".to_string(), None),
                ("\"s\"".to_string(), None),
                ("null".to_string(), None),
                ("{\"id\":\"b\"}".to_string(), id("b")),
            ]
        );
        // A record whose field has the wrong type is not one, and is handed over whole.
        let (whole, seen) = records("[{\"id\": [\"a\", {\"b\": \"]\"}]}, {\"id\": \"c\"}]");
        assert!(whole);
        assert_eq!(
            seen[0],
            ("{\"id\": [\"a\", {\"b\": \"]\"}]}".to_string(), None)
        );
        assert_eq!(seen[1], ("{\"id\": \"c\"}".to_string(), id("c")));
        // Not an array at all.
        assert_eq!(records("{\"id\": \"a\"}"), (false, vec![]));
        assert_eq!(records("\"events\""), (false, vec![]));
    }

    #[test]
    fn truncated_json_says_it_ends_too_early() {
        let err = load_text("{\"format\":\"faultline\",\"version\":1,").unwrap_err();
        assert!(err.to_string().contains("ends too early"), "{err}");
    }

    #[test]
    fn save_then_load_gives_the_same_dataset() {
        let text = r#"{"format":"faultline","version":1,"title":"t",
            "sources":[{"id":"s","publisher":"P","title":"T","date":"2024-11-21"}],
            "actors":[{"id":"a","name":"A","kind":"armed_group"}],
            "events":[{"id":"e","date":"2024-11-01/2024-11-10","event_type":"Battles",
              "actor1":"a","location":{"latitude":36.19123456789,"longitude":44.0091},
              "status":{"kind":"claimed","by":"a"},
              "sources":[{"source":"s","quote":"q"}]}]}"#;
        let first = load_text(text).unwrap();
        let second = load_text(&to_string(&first)).unwrap();
        assert_eq!(first, second);
        assert_eq!(to_string(&first), to_string(&second));
    }
}

#[cfg(test)]
mod record_index_tests {
    use super::*;

    #[test]
    fn findings_after_an_unreadable_record_name_the_record_as_it_is_in_the_file() {
        let text = "{\"format\":\"faultline\",\"version\":1,\"title\":\"x\",\n\"actors\":[\n{\"id\":\"a\",\"name\":\"A\",\"kind\":\"planet\"},\n{\"id\":\"b\",\"name\":\"\",\"kind\":\"state\"}],\n\"relations\":[{\"id\":\"r\",\"from\":\"a\",\"to\":\"b\",\"kind\":\"backs\",\"sources\":[]}]}";
        let err = from_str(text, Path::new("t.json")).unwrap_err();
        let records: Vec<_> = err
            .problems()
            .iter()
            .filter_map(|p| p.place.record.clone())
            .collect();
        assert!(
            records.contains(&"actors[1] (id \"b\")".to_string()),
            "{err}"
        );
        assert!(
            !err.to_string().contains("unknown actor \"a\""),
            "a record that did not parse is reported once: {err}"
        );
    }
}
