//! Arrow IPC: a Feather v2 file or an IPC stream, opened as a shard of one and read as any
//! Parquet table is.
//!
//! The Arrow reader trusts the lengths and offsets a file states: it slices a message's body
//! by its buffers' offsets, unwraps lengths that may be negative, and allocates what a
//! message says its body or a compressed buffer holds. Each of these is a panic or an
//! aborted process on a bad file (found by fuzzing), so every frame is checked against the
//! file before the reader sees it ([`check_frames`]).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::{ipc_error, Batches, OpenedShard};
use crate::io::untrusted::catch_parser_panic;
use crate::io::LoadError;

/// How an Arrow IPC file (Feather v2) starts.
const FILE_MAGIC: &[u8] = b"ARROW1";
/// How an Arrow IPC stream starts: a message's continuation marker.
const CONTINUATION: [u8; 4] = [0xFF; 4];
/// How a stream ends: the continuation marker and a zero length.
const END_OF_STREAM: [u8; 8] = [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];
/// The most a compressed buffer may say it holds, uncompressed.
const MAX_BUFFER_BYTES: i64 = 4 << 30;
/// The most a compressed buffer may grow by, uncompressed (zstd reaches some thousands on
/// runs of one value; this leaves a wide margin).
const MAX_COMPRESSION_RATIO: i64 = 100_000;

/// True when `head` starts like an Arrow IPC file (Feather v2) or stream.
pub fn is_arrow_ipc(head: &[u8]) -> bool {
    head.starts_with(FILE_MAGIC) || head.starts_with(&CONTINUATION)
}

/// True when `head` starts like a Feather v1 file (before Arrow IPC), which is not read.
pub fn is_feather_v1(head: &[u8]) -> bool {
    head.starts_with(b"FEA1")
}

/// An Arrow IPC file or stream (`head` is its start), as a shard of one.
pub(super) fn opened<R: Read + Seek + Send + 'static>(
    mut input: R,
    head: &[u8],
    path: &Path,
) -> Result<OpenedShard, LoadError> {
    let file_format = head.starts_with(FILE_MAGIC);
    check_frames(&mut input, file_format).map_err(|why| ipc_error(path, why))?;
    input.rewind().map_err(|e| ipc_error(path, e))?;
    let failed = |e: arrow_schema::ArrowError| ipc_error(path, e);
    catch_parser_panic(|| {
        let (schema, batches): (_, Batches) = if file_format {
            let reader = arrow_ipc::reader::FileReader::try_new(input, None).map_err(failed)?;
            (reader.schema(), Box::new(reader))
        } else {
            let reader = arrow_ipc::reader::StreamReader::try_new(input, None).map_err(failed)?;
            (reader.schema(), Box::new(reader))
        };
        Ok(OpenedShard {
            schema,
            dataset: None,
            batches,
            error: ipc_error,
            parquet: false,
        })
    })
    .map_err(|why| ipc_error(path, format!("the Arrow reader failed on it ({why})")))?
}

/// Checks every message frame of an IPC file (through its footer's blocks) or stream (one
/// message after another) against the file: lengths not negative, frames and bodies inside
/// the file, buffers inside their body, compressed buffers of a believable size; and a
/// stream's end-of-stream marker (a stream cut between two messages would otherwise read as
/// a shorter table).
fn check_frames<R: Read + Seek>(input: &mut R, file_format: bool) -> Result<(), String> {
    let size = input.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
    let size = i64::try_from(size).map_err(|_| "it is too large".to_string())?;
    if file_format {
        check_file(input, size)
    } else {
        check_stream(input, size)
    }
}

fn read_at<R: Read + Seek>(input: &mut R, at: i64, len: usize) -> Result<Vec<u8>, String> {
    let mut bytes = vec![0; len];
    let at = u64::try_from(at).map_err(|_| "a negative offset".to_string())?;
    input
        .seek(SeekFrom::Start(at))
        .and_then(|_| input.read_exact(&mut bytes))
        .map_err(|_| format!("it ends before byte {}", at + len as u64))?;
    Ok(bytes)
}

/// A file: its footer's blocks, each a message and its body.
fn check_file<R: Read + Seek>(input: &mut R, size: i64) -> Result<(), String> {
    let tail = read_at(input, size - 10, 10).map_err(|_| "it is too short".to_string())?;
    if &tail[4..] != FILE_MAGIC {
        return Err("it does not end with ARROW1: it was cut short".into());
    }
    let footer_len = i64::from(i32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    let footer_start = size - 10 - footer_len;
    if footer_len <= 0 || footer_start < 8 {
        return Err(format!(
            "its footer's length ({footer_len} bytes) does not fit the file"
        ));
    }
    let footer = read_at(input, footer_start, footer_len as usize)?;
    let footer = arrow_ipc::root_as_footer(&footer)
        .map_err(|e| format!("its footer cannot be read: {e}"))?;
    let layouts = footer
        .schema()
        .map(Layouts::of)
        .transpose()?
        .unwrap_or_default();
    let blocks = footer.dictionaries().into_iter().flatten();
    for block in blocks.chain(footer.recordBatches().into_iter().flatten()) {
        let (offset, meta, body) = (
            block.offset(),
            i64::from(block.metaDataLength()),
            block.bodyLength(),
        );
        let end = offset
            .checked_add(meta)
            .and_then(|e| e.checked_add(body))
            .filter(|&end| offset >= 8 && meta >= 8 && body >= 0 && end <= footer_start);
        if end.is_none() {
            return Err(format!(
                "a block at byte {offset} ({meta} bytes of metadata, {body} of data) does not fit the file"
            ));
        }
        let frame = read_at(input, offset, meta as usize)?;
        let message = if frame[..4] == CONTINUATION {
            &frame[8..]
        } else {
            &frame[4..]
        };
        check_message(input, message, offset + meta, body, &layouts)?;
    }
    Ok(())
}

/// A stream: one message after another, to the end-of-stream marker.
fn check_stream<R: Read + Seek>(input: &mut R, size: i64) -> Result<(), String> {
    let ends_whole = size >= 8 && read_at(input, size - 8, 8)? == END_OF_STREAM;
    if !ends_whole {
        return Err(
            "the stream does not end with its end-of-stream marker: it was cut short (or written before Arrow 0.15)"
                .into(),
        );
    }
    let mut at = 0i64;
    let mut layouts = Layouts::default();
    loop {
        let mut prefix = read_at(input, at, 4)?;
        at += 4;
        if prefix == CONTINUATION {
            prefix = read_at(input, at, 4)?;
            at += 4;
        }
        let len = i64::from(i32::from_le_bytes([
            prefix[0], prefix[1], prefix[2], prefix[3],
        ]));
        if len == 0 {
            return Ok(());
        }
        if len < 0 || at.checked_add(len).is_none_or(|end| end > size) {
            return Err(format!(
                "a message at byte {at} says it is {len} bytes long, past the end"
            ));
        }
        let bytes = read_at(input, at, len as usize)?;
        let message = arrow_ipc::root_as_message(&bytes)
            .map_err(|e| format!("the message at byte {at} cannot be read: {e}"))?;
        if let Some(schema) = message.header_as_schema() {
            layouts = Layouts::of(schema)?;
        }
        let body = message.bodyLength();
        at += len;
        if body < 0 || at.checked_add(body).is_none_or(|end| end > size) {
            return Err(format!(
                "the message at byte {at} says its data is {body} bytes, past the end"
            ));
        }
        check_message(input, &bytes, at, body, &layouts)?;
        at += body;
    }
}

/// One message (its flatbuffer `bytes`) whose body of `body` bytes starts at byte
/// `body_start`: its buffers inside the body, and, compressed, of a believable size; and
/// where `layouts` knows its columns' buffers, each a whole number of its values.
fn check_message<R: Read + Seek>(
    input: &mut R,
    bytes: &[u8],
    body_start: i64,
    body: i64,
    layouts: &Layouts,
) -> Result<(), String> {
    let message = arrow_ipc::root_as_message(bytes)
        .map_err(|e| format!("a message at byte {body_start} cannot be read: {e}"))?;
    let (batch, widths) = match (
        message.header_as_record_batch(),
        message.header_as_dictionary_batch(),
    ) {
        (Some(batch), _) => (batch, layouts.batch.as_deref()),
        (None, Some(dictionary)) => match dictionary.data() {
            Some(batch) => (batch, layouts.dictionary(dictionary.id())),
            None => return Ok(()),
        },
        (None, None) => return Ok(()),
    };
    let count = batch.buffers().map_or(0, |b| b.len());
    if let Some(widths) = widths.filter(|w| w.len() != count) {
        return Err(format!(
            "the message whose data starts at byte {body_start} has {count} buffers where its columns have {}",
            widths.len()
        ));
    }
    let compressed = batch.compression().is_some();
    for (k, buffer) in batch.buffers().into_iter().flatten().enumerate() {
        let (offset, length) = (buffer.offset(), buffer.length());
        let inside =
            offset >= 0 && length >= 0 && offset.checked_add(length).is_some_and(|end| end <= body);
        if !inside {
            return Err(format!(
                "a buffer of the message whose data starts at byte {body_start} ({length} bytes at {offset}) lies outside its {body} bytes"
            ));
        }
        if compressed && length >= 8 {
            let prefix = read_at(input, body_start + offset, 8)?;
            let stated = i64::from_le_bytes(prefix.try_into().unwrap_or_default());
            let believable = stated
                <= MAX_BUFFER_BYTES.min(
                    length
                        .saturating_mul(MAX_COMPRESSION_RATIO)
                        .saturating_add(1 << 20),
                );
            if !believable {
                return Err(format!(
                    "a compressed buffer of {length} bytes at byte {} says it holds {stated} bytes",
                    body_start + offset
                ));
            }
        }
        let width = widths.and_then(|w| w.get(k)).copied().unwrap_or(0);
        if width > 1 {
            let values_bytes = if compressed && length >= 8 {
                let prefix = read_at(input, body_start + offset, 8)?;
                match i64::from_le_bytes(prefix.try_into().unwrap_or_default()) {
                    -1 => length - 8,
                    stated => stated,
                }
            } else {
                length
            };
            if values_bytes % width != 0 {
                return Err(format!(
                    "a buffer of {values_bytes} bytes at byte {} holds values of {width} bytes each: not a whole number of them",
                    body_start + offset
                ));
            }
        }
    }
    Ok(())
}

/// The bytes of one value of each buffer of the columns of a schema's record batches and
/// dictionaries (0: a validity bitmap or bytes of any length), for the columns whose layout
/// is known here: flat columns of numbers, dates, times, text and dictionaries of them. A
/// batch with any other column is not checked by width.
#[derive(Default)]
struct Layouts {
    /// A record batch's buffers.
    batch: Option<Vec<i64>>,
    /// Each dictionary's buffers, by its id.
    dictionaries: Vec<(i64, Option<Vec<i64>>)>,
}

impl Layouts {
    /// The layouts of a schema's batches; an error for a column of a union (which no table
    /// of events has, and whose buffers the Arrow reader slices unchecked).
    fn of(schema: arrow_ipc::Schema<'_>) -> Result<Layouts, String> {
        let Ok(arrow) = arrow_ipc::convert::try_fb_to_schema(schema) else {
            return Ok(Layouts::default());
        };
        let union = |t: &arrow_schema::DataType| matches!(t, arrow_schema::DataType::Union(..));
        if let Some(field) = arrow
            .flattened_fields()
            .into_iter()
            .find(|f| union(f.data_type()))
        {
            return Err(format!(
                "its column {:?} holds a union of types, which Faultline cannot read",
                field.name()
            ));
        }
        let fb_fields = schema.fields().into_iter().flatten();
        let mut batch = Some(Vec::new());
        let mut dictionaries = Vec::new();
        for (fb_field, field) in fb_fields.zip(arrow.fields()) {
            let layout = buffer_widths(field.data_type());
            match (&mut batch, layout) {
                (Some(widths), Some(more)) => widths.extend(more),
                _ => batch = None,
            }
            if let (Some(encoding), arrow_schema::DataType::Dictionary(_, values)) =
                (fb_field.dictionary(), field.data_type())
            {
                dictionaries.push((encoding.id(), buffer_widths(values)));
            }
        }
        Ok(Layouts {
            batch,
            dictionaries,
        })
    }

    fn dictionary(&self, id: i64) -> Option<&[i64]> {
        self.dictionaries
            .iter()
            .find(|(known, _)| *known == id)
            .and_then(|(_, widths)| widths.as_deref())
    }
}

/// The width of a value of each buffer of a flat column of `data_type` (validity first), or
/// `None` for a type whose layout is not known here.
fn buffer_widths(data_type: &arrow_schema::DataType) -> Option<Vec<i64>> {
    use arrow_schema::{DataType as T, IntervalUnit};
    let fixed = |width: i64| Some(vec![0, width]);
    match data_type {
        T::Boolean => fixed(0),
        T::Int8 | T::UInt8 => fixed(1),
        T::Int16 | T::UInt16 | T::Float16 => fixed(2),
        T::Int32 | T::UInt32 | T::Float32 | T::Date32 | T::Time32(_) | T::Decimal32(..) => fixed(4),
        T::Interval(IntervalUnit::YearMonth) => fixed(4),
        T::Int64
        | T::UInt64
        | T::Float64
        | T::Date64
        | T::Time64(_)
        | T::Timestamp(..)
        | T::Duration(_)
        | T::Decimal64(..)
        | T::Interval(IntervalUnit::DayTime) => fixed(8),
        T::Decimal128(..) | T::Interval(IntervalUnit::MonthDayNano) => fixed(16),
        T::Decimal256(..) => fixed(32),
        T::Utf8 | T::Binary => Some(vec![0, 4, 0]),
        T::LargeUtf8 | T::LargeBinary => Some(vec![0, 8, 0]),
        T::Dictionary(key, _) => buffer_widths(key),
        _ => None,
    }
}
