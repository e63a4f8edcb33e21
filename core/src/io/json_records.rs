//! JSON files that hold an array of records, bare or under a key of a top-level object
//! (GeoJSON's `features`, UCDP's API `Result`, ACLED's API `data`), read record by record,
//! never whole into memory, each record with the line it starts on.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::problem::{LoadError, Place, Problem};

/// Where the records of a kind of JSON file are.
pub struct RecordsSpec {
    /// The keys of a top-level object that may hold the records array; the first found is
    /// read and names the records in messages (`features[3]`).
    pub keys: &'static [&'static str],
    /// What the records of a bare top-level array are called (`records[3]`).
    pub bare: &'static str,
    /// What the top level should be, for "expected …" messages.
    pub expecting: &'static str,
    /// The message for a top-level object without any of [`Self::keys`].
    pub missing: &'static str,
    /// Who the JSON is from, for "not valid UCDP JSON".
    pub publisher: &'static str,
}

/// One element of the records array.
pub struct JsonRecord {
    /// Where it is.
    pub at: RecordAt,
    /// The element: an object, kept as a map, or anything else.
    pub value: RecordValue,
}

/// Where a record is in its file.
#[derive(Debug, Clone, Copy)]
pub struct RecordAt {
    /// Its position in the array, from 0.
    pub index: usize,
    /// The line it starts on.
    pub line: u64,
    /// What the array is called (`features`, `data`, `records`).
    pub collection: &'static str,
}

impl RecordAt {
    /// The place of this record, or of one of its fields.
    pub fn place(&self, field: Option<String>) -> Place {
        Place {
            line: Some(self.line),
            column: None,
            record: Some(format!("{}[{}]", self.collection, self.index)),
            field,
        }
    }
}

/// One element of the records array: an object (kept as a map) or anything else.
pub enum RecordValue {
    /// An object.
    Object(HashMap<String, Value>),
    /// Anything that is not an object.
    Other,
}

impl<'de> serde::Deserialize<'de> for RecordValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Object(map) => RecordValue::Object(map.into_iter().collect()),
            _ => RecordValue::Other,
        })
    }
}

/// Reads the records of `reader` as `spec` says where they are, handing each to `on_record`;
/// the first error `on_record` returns stops the reading and is returned.
pub fn read_records(
    reader: impl Read,
    path: &Path,
    spec: &RecordsSpec,
    on_record: &mut dyn FnMut(JsonRecord) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    let lines = Rc::new(std::cell::RefCell::new(RecordLines {
        line: 1,
        ..RecordLines::default()
    }));
    // serde_json reads an `io::Read` a byte at a time, so the line tracker sees exactly what
    // serde has read; a buffered reader underneath keeps that fast.
    let counted = LineCounter {
        inner: std::io::BufReader::with_capacity(1 << 16, reader),
        lines: lines.clone(),
    };
    let mut de = serde_json::Deserializer::from_reader(counted);
    let mut state = State {
        spec,
        on_record,
        failure: None,
        lines,
        collection: spec.bare,
        index: 0,
    };
    let result = TopLevel { state: &mut state }.deserialize(&mut de);
    if let Some(failure) = state.failure.take() {
        return Err(failure);
    }
    if let Err(e) = result {
        if e.is_io() {
            let io: std::io::Error = e.into();
            return Err(super::import::read_error(path, io));
        }
        let message = if e.is_eof() {
            format!("the JSON ends too early ({})", strip(&e))
        } else {
            format!("not valid {} JSON: {}", spec.publisher, strip(&e))
        };
        return Err(LoadError::invalid(
            path,
            Problem::new(
                Place::at(e.line() as u64, e.column().max(1) as u64),
                message,
            ),
        ));
    }
    if let Err(e) = de.end() {
        return Err(LoadError::invalid(
            path,
            Problem::new(
                Place::at(e.line() as u64, e.column().max(1) as u64),
                format!("unexpected text after the JSON document: {}", strip(&e)),
            ),
        ));
    }
    Ok(())
}

/// serde_json's message without its " at line L column C" (the place says it).
fn strip(e: &serde_json::Error) -> String {
    let t = e.to_string();
    match t.rfind(" at line ") {
        Some(i) => t[..i].to_string(),
        None => t,
    }
}

/// Follows the JSON text as serde reads it (byte by byte) to know on which line each
/// record of the records array starts, so problems point at the record, not past it.
#[derive(Default)]
struct RecordLines {
    line: u64,
    in_string: bool,
    escaped: bool,
    /// Open containers: true for arrays.
    stack: Vec<bool>,
    /// Depth of the records array, once serde has entered it.
    records_depth: Option<usize>,
    /// Expecting a value in the records array (after `[` or `,`).
    awaiting_value: bool,
    /// Start lines of records not yet taken.
    starts: std::collections::VecDeque<u64>,
}

impl RecordLines {
    fn feed(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
        }
        if self.in_string {
            match (self.escaped, b) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.in_string = false,
                _ => {}
            }
            return;
        }
        let at_records = self.records_depth == Some(self.stack.len());
        if at_records && self.awaiting_value && !b.is_ascii_whitespace() && b != b']' {
            self.starts.push_back(self.line);
            self.awaiting_value = false;
        }
        match b {
            b'"' => self.in_string = true,
            b'[' => self.stack.push(true),
            b'{' => self.stack.push(false),
            b']' | b'}' => {
                self.stack.pop();
            }
            b',' if at_records => self.awaiting_value = true,
            _ => {}
        }
    }
}

/// Feeds every byte serde reads to a [`RecordLines`].
struct LineCounter<R> {
    inner: R,
    lines: Rc<std::cell::RefCell<RecordLines>>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.lines.borrow_mut();
        for &b in &buf[..n] {
            lines.feed(b);
        }
        Ok(n)
    }
}

struct State<'s> {
    spec: &'s RecordsSpec,
    on_record: &'s mut dyn FnMut(JsonRecord) -> Result<(), LoadError>,
    failure: Option<LoadError>,
    lines: Rc<std::cell::RefCell<RecordLines>>,
    collection: &'static str,
    index: usize,
}

impl State<'_> {
    fn record(&mut self, value: RecordValue) -> Result<(), LoadError> {
        let index = self.index;
        self.index += 1;
        let line = {
            let mut lines = self.lines.borrow_mut();
            let current = lines.line;
            lines.starts.pop_front().unwrap_or(current)
        };
        (self.on_record)(JsonRecord {
            at: RecordAt {
                index,
                line,
                collection: self.collection,
            },
            value,
        })
    }
}

struct TopLevel<'a, 's> {
    state: &'a mut State<'s>,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.state.spec.expecting)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.state.collection = self.state.spec.bare;
        Records { state: self.state }.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            let wanted = self.state.spec.keys.iter().find(|k| **k == key);
            match wanted {
                Some(name) if !found => {
                    found = true;
                    self.state.collection = *name;
                    map.next_value_seed(Records {
                        state: &mut *self.state,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !found {
            return Err(serde::de::Error::custom(self.state.spec.missing));
        }
        Ok(())
    }
}

struct Records<'a, 's> {
    state: &'a mut State<'s>,
}

impl<'de> DeserializeSeed<'de> for Records<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        {
            // serde has just read the `[` of the records array.
            let mut lines = self.state.lines.borrow_mut();
            lines.records_depth = Some(lines.stack.len());
            lines.awaiting_value = true;
        }
        while let Some(value) = seq.next_element::<RecordValue>()? {
            if let Err(failure) = self.state.record(value) {
                self.state.failure = Some(failure);
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}
