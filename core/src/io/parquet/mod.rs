//! Parquet: a file, or a folder of shards read as one dataset (BigQuery, DuckDB and Spark
//! write folders of them), and Faultline's own flat table of events.
//!
//! **Reading.** A file Faultline wrote (its key-value metadata holds [`DATASET_KEY`]) is read
//! column by column into events, with the sources, actors, relations, reported series and
//! statements from that metadata, and checked like a native file. Any other table is streamed
//! one record batch at a time as CSV text into the CSV readers, as a workbook's sheet is:
//! ACLED, UCDP and GDELT column names are recognised, other tables go through a column map.
//! Dates stored as `Date32`, `Date64` or `Timestamp` (BigQuery's TIMESTAMP) become
//! `YYYY-MM-DD`, an instant the day it was in its time zone (the Arrow schema a writer keeps
//! beside the Parquet types names it: polars and pandas keep local times so); integers stay
//! digits (GDELT's `SQLDATE` YYYYMMDD); dictionary-encoded and large strings are read as
//! text; nulls are empty cells. Problems are placed by shard and
//! row (`part-3.parquet, row 12`). The whole table is never held: one batch at a time.
//!
//! An Arrow IPC file (Feather v2) or stream is read as any Parquet table is: its batches
//! streamed as CSV text. A stream must end with its end-of-stream marker.
//!
//! A folder is read as one dataset: its `*.parquet` files in name order, which must have the
//! same columns. A shard that cannot be read fails the whole load, naming the shard; nothing
//! is kept half-loaded.
//!
//! **Writing** ([`save`], [`to_bytes`]): the events as one flat table that polars, DuckDB and
//! Spark read as is (`docs/FORMAT.md`, "Parquet"), LZ4-compressed; the rest of the dataset
//! as native JSON in the key-value metadata.

mod ipc;
mod own;

pub use ipc::{is_arrow_ipc, is_feather_v1};
pub use own::own_table_decoder;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
};
use arrow_array::cast::AsArray as _;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use chrono::{Datelike, NaiveDate};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};

use super::{LoadError, OpenOptions, Opened, Place, Problem};
use crate::io::untrusted::catch_parser_panic;
use crate::model::{Dataset, DateSpan, Event, SourceRef};
use crate::store::Store;

/// The key-value metadata entry that holds the rest of a dataset Faultline wrote.
pub const DATASET_KEY: &str = "faultline.dataset";

/// Rows per record batch, read or written.
const BATCH_ROWS: usize = 8192;

/// True when `head` starts like a Parquet file.
pub fn is_parquet(head: &[u8]) -> bool {
    head.starts_with(b"PAR1")
}

/// One Parquet or Arrow IPC file: on disk, or in memory (named by a path in messages).
#[derive(Clone)]
enum Shard {
    File(PathBuf),
    Memory(PathBuf, bytes::Bytes),
}

impl Shard {
    fn path(&self) -> &Path {
        match self {
            Shard::File(p) | Shard::Memory(p, _) => p,
        }
    }

    fn len(&self) -> u64 {
        match self {
            Shard::File(p) => p.metadata().map(|m| m.len()).unwrap_or(0),
            Shard::Memory(_, b) => b.len() as u64,
        }
    }

    /// The partition columns and values its folders give ([`partition_values`]); none for
    /// one held in memory.
    fn partitions(&self) -> Vec<(String, String)> {
        match self {
            Shard::File(path) => partition_values(path),
            Shard::Memory(..) => Vec::new(),
        }
    }
}

/// Record batches as a reader yields them.
type Batches = Box<dyn Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>> + Send>;

/// A shard opened: its columns, the dataset metadata if Faultline wrote it, its batches.
struct OpenedShard {
    schema: arrow_schema::SchemaRef,
    dataset: Option<String>,
    batches: Batches,
    /// How to say what is wrong with it ([`shard_error`] or [`ipc_error`]).
    error: fn(&Path, String) -> LoadError,
    /// Parquet, not Arrow IPC.
    parquet: bool,
}

impl OpenedShard {
    /// Its columns' names, in order.
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }
}

/// Opens a shard for reading in batches of [`BATCH_ROWS`] rows (an Arrow IPC file in the
/// batches it was written in).
fn open_shard(shard: &Shard) -> Result<OpenedShard, LoadError> {
    let opened = open_shard_as_written(shard)?;
    if let Some((column, zone)) = unknown_time_zone(&opened.schema) {
        let why = format!(
            "its column {column} holds times in the time zone {zone:?}, which is not a time zone Faultline knows (a name of the IANA time zone database such as \"Asia/Baghdad\", or an offset such as \"+03:00\")"
        );
        return Err((opened.error)(shard.path(), why));
    }
    Ok(opened)
}

/// The first column whose timestamps are in a time zone that is not known (an IANA name or
/// an offset), with that zone: their days could not be told.
fn unknown_time_zone(schema: &arrow_schema::Schema) -> Option<(&str, &str)> {
    schema
        .fields()
        .iter()
        .find_map(|field| match field.data_type() {
            DataType::Timestamp(_, Some(zone))
                if zone.parse::<arrow_array::timezone::Tz>().is_err() =>
            {
                Some((field.name().as_str(), zone.as_ref()))
            }
            _ => None,
        })
}

/// [`open_shard`] before its columns are checked.
fn open_shard_as_written(shard: &Shard) -> Result<OpenedShard, LoadError> {
    match shard {
        Shard::File(path) => {
            let mut file = File::open(path).map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })?;
            let mut head = [0u8; 6];
            let read = file.read(&mut head).unwrap_or(0);
            use std::io::Seek as _;
            file.rewind().map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })?;
            if ipc::is_arrow_ipc(&head[..read]) {
                ipc::opened(std::io::BufReader::new(file), &head[..read], path)
            } else {
                opened_shard(file, path)
            }
        }
        Shard::Memory(path, bytes) if ipc::is_arrow_ipc(bytes) => {
            ipc::opened(std::io::Cursor::new(bytes.clone()), bytes, path)
        }
        Shard::Memory(path, bytes) => opened_shard(bytes.clone(), path),
    }
}

fn opened_shard<T: parquet::file::reader::ChunkReader + 'static>(
    input: T,
    path: &Path,
) -> Result<OpenedShard, LoadError> {
    use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
    catch_parser_panic(|| {
        // The Arrow schema a writer stored beside the Parquet types names the time zone of
        // its timestamps (polars and pandas keep "Asia/Baghdad" there; the Parquet types say
        // only "adjusted to UTC"). One that does not fit the Parquet types is passed over.
        let metadata =
            ArrowReaderMetadata::load(&input, ArrowReaderOptions::new()).or_else(|_| {
                let types_only = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
                ArrowReaderMetadata::load(&input, types_only)
            })?;
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(input, metadata);
        check_chunks(builder.metadata())?;
        let schema = builder.schema().clone();
        let dataset = dataset_metadata(&builder);
        let batches = builder.with_batch_size(BATCH_ROWS).build()?;
        Ok::<_, parquet::errors::ParquetError>(OpenedShard {
            schema,
            dataset,
            batches: Box::new(batches),
            error: shard_error,
            parquet: true,
        })
    })
    .map_err(|why| reader_panicked(path, why))?
    .map_err(|e| shard_error(path, e))
}

/// Refuses column chunks whose place in the file is negative: the Parquet reader asserts on
/// them (found by fuzzing), and an assertion is no way to say a file is bad.
fn check_chunks(
    metadata: &parquet::file::metadata::ParquetMetaData,
) -> Result<(), parquet::errors::ParquetError> {
    for (g, group) in metadata.row_groups().iter().enumerate() {
        for chunk in group.columns() {
            let start = chunk
                .dictionary_page_offset()
                .unwrap_or(chunk.data_page_offset());
            if start < 0 || chunk.compressed_size() < 0 {
                return Err(parquet::errors::ParquetError::General(format!(
                    "row group {g}: column {} has a negative offset or size",
                    chunk.column_path()
                )));
            }
        }
    }
    Ok(())
}

/// How deep in a folder shards are looked for: Hive-style partitions nest a folder per
/// partition column.
const MAX_FOLDER_DEPTH: usize = 16;

/// The Parquet files `path` names: itself, or the `*.parquet` files of a folder and of its
/// Hive-style partition folders (`country=Iraq/part-0.parquet`, as Spark, DuckDB and polars
/// write them), in path order. Other folders (a `backup/` beside the shards) are not
/// entered; hidden entries and the bookkeeping Spark and Hadoop leave beside the shards
/// (`_SUCCESS`, `_temporary/`, `.part-0.parquet.crc`) are passed over.
fn shards(path: &Path) -> Result<Vec<Shard>, LoadError> {
    if !path.is_dir() {
        return Ok(vec![Shard::File(path.to_path_buf())]);
    }
    let passed_over = |entry: &walkdir::DirEntry| {
        let name = entry.file_name().to_string_lossy();
        let partition = name.split_once('=').is_some_and(|(key, _)| !key.is_empty());
        name.starts_with('.') || name.starts_with('_') || (entry.file_type().is_dir() && !partition)
    };
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(path)
        .max_depth(MAX_FOLDER_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !passed_over(entry));
    for entry in walk {
        let entry = entry.map_err(|e| LoadError::Io {
            path: e.path().unwrap_or(path).to_path_buf(),
            source: e.into(),
        })?;
        let file = entry.path();
        if file.is_file()
            && file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
        {
            files.push(Shard::File(entry.into_path()));
        }
    }
    if files.is_empty() {
        return Err(LoadError::invalid(
            path,
            Problem::new(
                Place::default(),
                "this folder holds no .parquet files (Faultline reads a folder as the Parquet shards of one dataset)",
            ),
        ));
    }
    Ok(files)
}

/// The Hive-style partition folders a shard lies in, outermost first: `country=Iraq` and
/// `year=2024` for `…/country=Iraq/year=2024/part-0.parquet`.
fn partition_folders(shard: &Path) -> Vec<&str> {
    let mut folders: Vec<&str> = shard
        .parent()
        .into_iter()
        .flat_map(Path::ancestors)
        .map_while(|folder| {
            let name = folder.file_name()?.to_str()?;
            let (key, _) = name.split_once('=')?;
            (!key.is_empty()).then_some(name)
        })
        .collect();
    folders.reverse();
    folders
}

/// A shard's partition columns and values as its folders give them (`country=Iraq`): Spark
/// and DuckDB escape characters such as `/` and `=` (`%2F`), and write a missing value as
/// `__HIVE_DEFAULT_PARTITION__`, read as an empty cell.
fn partition_values(shard: &Path) -> Vec<(String, String)> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    };
    partition_folders(shard)
        .into_iter()
        .filter_map(|folder| folder.split_once('='))
        .map(|(key, value)| {
            let value = match value {
                "__HIVE_DEFAULT_PARTITION__" => String::new(),
                _ => decode(value),
            };
            (decode(key), value)
        })
        .collect()
}

/// The name a shard is called by in messages: its file name, after the partition folders it
/// lies in (`country=Iraq/part-0.parquet`).
fn shard_name(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut name = partition_folders(path).join("/");
    if !name.is_empty() {
        name.push('/');
    }
    name + &file
}

/// A located error about a shard: the shard's path and what is wrong.
fn shard_error(shard: &Path, why: impl std::fmt::Display) -> LoadError {
    table_error(shard, "Parquet", why)
}

/// A shard the `parquet` crate panicked on (the panic caught: `why` is what it said).
fn reader_panicked(shard: &Path, why: String) -> LoadError {
    shard_error(shard, format!("the Parquet reader failed on it ({why})"))
}

/// A located error about an Arrow IPC file.
fn ipc_error(path: &Path, why: impl std::fmt::Display) -> LoadError {
    table_error(path, "Arrow IPC (Feather)", why)
}

/// A located error about a columnar file of `kind`.
fn table_error(shard: &Path, kind: &str, why: impl std::fmt::Display) -> LoadError {
    LoadError::invalid(
        shard,
        Problem::new(
            Place::default(),
            format!("cannot read this {kind} file: {why}"),
        ),
    )
}

/// Opens a Parquet file, or a folder of Parquet shards, as one dataset.
pub fn open(path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    read_shards(shards(path)?, path, options)
}

/// Opens a Parquet file held in memory; `path` only names it in messages.
pub fn open_bytes(bytes: &[u8], path: &Path, options: &OpenOptions) -> Result<Opened, LoadError> {
    let shard = Shard::Memory(path.to_path_buf(), bytes::Bytes::copy_from_slice(bytes));
    read_shards(vec![shard], path, options)
}

fn read_shards(
    shards: Vec<Shard>,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let first = open_shard(&shards[0])?;
    let partitions = shards[0].partitions();
    let keys: Vec<&str> = partitions.iter().map(|(k, _)| k.as_str()).collect();
    let mut opened = match first.dataset {
        Some(meta) => own::read_own(&shards, meta, path, options)?,
        None if first.parquet && own::is_faultline_table(&first.schema, &keys) => {
            own::read_own_bare(&shards, path, options)?
        }
        None => return read_table(shards, first, path, options),
    };
    // Faultline's table: the columns of its own the files lack came from the folders.
    let from_folders: Vec<String> = keys
        .iter()
        .filter(|key| first.schema.field_with_name(key).is_err())
        .map(|key| key.to_string())
        .collect();
    opened.notes.extend(partition_note(&from_folders));
    Ok(opened)
}

/// What a load says of the columns it took from the shards' folders (Hive-style partitions).
fn partition_note(from_folders: &[String]) -> Option<String> {
    let (first, more) = (from_folders.first()?, from_folders.len() > 1);
    Some(format!(
        "{} {} {} from the shards' folders (Hive-style partitions, {first}=…)",
        if more { "the columns" } else { "the column" },
        from_folders.join(", "),
        if more { "come" } else { "comes" },
    ))
}

/// The dataset metadata of a file Faultline wrote.
fn dataset_metadata<T: parquet::file::reader::ChunkReader>(
    builder: &ParquetRecordBatchReaderBuilder<T>,
) -> Option<String> {
    builder
        .metadata()
        .file_metadata()
        .key_value_metadata()?
        .iter()
        .find(|kv| kv.key == DATASET_KEY)
        .and_then(|kv| kv.value.clone())
}

// ---------------------------------------------------------------------------------------
// Any table: streamed as CSV into the CSV readers.

/// Where each CSV line came from: (shard, row in the shard from 1).
type Origins = Arc<Mutex<Vec<(u32, u64)>>>;

/// The shards' rows as CSV text, made one batch at a time ([`PipelinedText`] runs it).
struct CsvStream {
    files: Vec<Shard>,
    next_shard: usize,
    batches: Option<Batches>,
    /// How to say what is wrong with the current shard.
    error: fn(&Path, String) -> LoadError,
    /// The first shard's column names: every shard must have them.
    columns: Vec<String>,
    /// GDELT's tables are written as its tab-separated, headerless export.
    gdelt: bool,
    /// The first shard's partition columns (Hive-style folders): every shard must have them.
    partitions: Vec<String>,
    /// Those partition columns the shards lack, added after theirs: their names, and the
    /// current shard's values.
    added: Vec<String>,
    added_values: Vec<String>,
    shard_row: u64,
    text: Vec<u8>,
    origins: Origins,
    /// The located error that stopped the stream (the CSV reader sees only an I/O error).
    failure: Arc<Mutex<Option<LoadError>>>,
}

impl CsvStream {
    fn new(files: Vec<Shard>, first: OpenedShard) -> CsvStream {
        let columns = first.column_names();
        let gdelt = columns
            .first()
            .is_some_and(|c| c.eq_ignore_ascii_case("GLOBALEVENTID"))
            && matches!(columns.len(), 57 | 58 | 61);
        let partitions = if gdelt {
            Vec::new()
        } else {
            files[0].partitions()
        };
        let added = partitions
            .iter()
            .map(|(key, _)| key)
            .filter(|key| !columns.iter().any(|c| c.eq_ignore_ascii_case(key)))
            .cloned()
            .collect();
        let mut stream = CsvStream {
            files,
            next_shard: 1,
            batches: Some(first.batches),
            error: first.error,
            columns,
            gdelt,
            partitions: partitions.into_iter().map(|(key, _)| key).collect(),
            added,
            added_values: Vec::new(),
            shard_row: 0,
            text: Vec::new(),
            origins: Arc::new(Mutex::new(Vec::new())),
            failure: Arc::new(Mutex::new(None)),
        };
        if let Ok(values) = stream.partition_values(0) {
            stream.added_values = values;
        }
        if !stream.gdelt {
            let header: Vec<String> = stream
                .columns
                .iter()
                .chain(&stream.added)
                .cloned()
                .collect();
            stream.push_line(header.iter().map(String::as_str), (0, 0));
        }
        stream
    }

    /// The values of the added partition columns for shard `k`, which must lie in folders of
    /// the same partition columns as the first.
    fn partition_values(&self, k: usize) -> Result<Vec<String>, LoadError> {
        let shard = &self.files[k];
        if self.gdelt {
            return Ok(Vec::new());
        }
        let values = shard.partitions();
        if !values.iter().map(|(key, _)| key).eq(&self.partitions) {
            let keys = |keys: Vec<&String>| match keys.len() {
                0 => "none".to_string(),
                _ => keys
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let why = format!(
                "this shard's folders give the partition columns {}, those of {} give {}: every shard of a folder must lie in folders of the same partition columns",
                keys(values.iter().map(|(key, _)| key).collect()),
                shard_name(self.files[0].path()),
                keys(self.partitions.iter().collect()),
            );
            return Err(LoadError::invalid(
                shard.path(),
                Problem::new(Place::default(), why),
            ));
        }
        Ok(values
            .into_iter()
            .filter(|(key, _)| self.added.contains(key))
            .map(|(_, value)| value)
            .collect())
    }

    fn push_line<'c>(&mut self, cells: impl Iterator<Item = &'c str>, origin: (u32, u64)) {
        let separator = if self.gdelt { b'\t' } else { b',' };
        let mut lines = 1;
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                self.text.push(separator);
            }
            if self.gdelt {
                // GDELT's export has no quoting: a tab or line break inside a cell would
                // split it.
                for b in cell.bytes() {
                    self.text.push(if matches!(b, b'\t' | b'\n' | b'\r') {
                        b' '
                    } else {
                        b
                    });
                }
            } else {
                lines += super::csv_image::push_cell(&mut self.text, cell);
            }
        }
        self.text.push(b'\n');
        if let Ok(mut origins) = self.origins.lock() {
            origins.extend(std::iter::repeat_n(origin, lines));
        }
    }

    /// The next batch of the current shard, or of the next one; `None` at the end.
    fn next_batch(&mut self) -> Result<Option<RecordBatch>, LoadError> {
        loop {
            let shard = self.next_shard - 1;
            if let Some(batches) = &mut self.batches {
                let next = catch_parser_panic(|| batches.next()).map_err(|why| {
                    let why = format!("the reader failed on it ({why})");
                    (self.error)(self.files[shard].path(), why)
                })?;
                match next {
                    Some(Ok(batch)) => return Ok(Some(batch)),
                    Some(Err(e)) => {
                        return Err((self.error)(self.files[shard].path(), e.to_string()))
                    }
                    None => self.batches = None,
                }
            }
            let Some(shard) = self.files.get(self.next_shard).cloned() else {
                return Ok(None);
            };
            let opened = open_shard(&shard)?;
            let columns = opened.column_names();
            if columns != self.columns {
                return Err(LoadError::invalid(
                    shard.path(),
                    Problem::new(
                        Place::default(),
                        format!(
                            "this shard's columns differ from those of {}: every shard of a folder must have the same columns",
                            shard_name(self.files[0].path())
                        ),
                    ),
                ));
            }
            self.added_values = self.partition_values(self.next_shard)?;
            self.batches = Some(opened.batches);
            self.error = opened.error;
            self.next_shard += 1;
            self.shard_row = 0;
        }
    }

    /// Turns the next batch into CSV lines; false at the end.
    fn fill(&mut self) -> Result<bool, LoadError> {
        let Some(batch) = self.next_batch()? else {
            return Ok(false);
        };
        let shard = (self.next_shard - 1) as u32;
        let columns: Vec<ArrayRef> = batch
            .columns()
            .iter()
            .map(|c| {
                as_text_column(c)
                    .map_err(|e| (self.error)(self.files[shard as usize].path(), e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let cells: Vec<Cells> = columns
            .iter()
            .map(|c| {
                if let Some(text) = c.as_string_opt::<i32>() {
                    return Ok(Cells::Text(text));
                }
                if let Some(text) = c.as_string_opt::<i64>() {
                    return Ok(Cells::LargeText(text));
                }
                let options = arrow_cast::display::FormatOptions::default().with_null("");
                arrow_cast::display::ArrayFormatter::try_new(c.as_ref(), &options)
                    .map(Cells::Shown)
                    .map_err(|e| (self.error)(self.files[shard as usize].path(), e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let mut shown = vec![String::new(); cells.len()];
        let added = self.added_values.clone();
        for row in 0..batch.num_rows() {
            self.shard_row += 1;
            for (text, cells) in shown.iter_mut().zip(&cells) {
                if let Cells::Shown(f) = cells {
                    text.clear();
                    use std::fmt::Write as _;
                    let _ = write!(text, "{}", f.value(row));
                }
            }
            let line = cells
                .iter()
                .zip(&shown)
                .map(|(cells, shown)| cells.text(row, shown))
                .chain(added.iter().map(String::as_str));
            self.push_line(line, (shard, self.shard_row));
        }
        Ok(true)
    }
}

/// A batch's column as CSV cells: text as it is, anything else as Arrow shows it.
enum Cells<'a> {
    Text(&'a arrow_array::StringArray),
    LargeText(&'a arrow_array::LargeStringArray),
    Shown(arrow_cast::display::ArrayFormatter<'a>),
}

impl Cells<'_> {
    /// Row `row`'s cell ("" for null); `shown` is where a [`Cells::Shown`] cell was written.
    fn text<'s>(&'s self, row: usize, shown: &'s str) -> &'s str {
        match self {
            Cells::Text(c) if c.is_valid(row) => c.value(row),
            Cells::LargeText(c) if c.is_valid(row) => c.value(row),
            Cells::Text(_) | Cells::LargeText(_) => "",
            Cells::Shown(_) => shown,
        }
    }
}

/// What the thread making the CSV text hands over.
enum Chunk {
    /// More text.
    Text(Vec<u8>),
    /// The end of the table.
    End,
}

/// The CSV text of the shards, made on a thread of its own a batch at a time while the CSV
/// reader parses what was made before.
struct PipelinedText {
    chunks: std::sync::mpsc::Receiver<Chunk>,
    current: Vec<u8>,
    at: usize,
    /// The end was handed over: every read from now on reads nothing.
    ended: bool,
    failure: Arc<Mutex<Option<LoadError>>>,
}

impl PipelinedText {
    fn new(mut stream: CsvStream) -> PipelinedText {
        let failure = stream.failure.clone();
        let (send, chunks) = std::sync::mpsc::sync_channel(2);
        std::thread::spawn(move || loop {
            if !stream.text.is_empty() {
                let text = std::mem::take(&mut stream.text);
                if send.send(Chunk::Text(text)).is_err() {
                    return; // the reader stopped
                }
            }
            match stream.fill() {
                Ok(true) => {}
                Ok(false) => {
                    let _ = send.send(Chunk::End);
                    return;
                }
                Err(e) => {
                    if let Ok(mut failure) = stream.failure.lock() {
                        *failure = Some(e);
                    }
                    return;
                }
            }
        });
        PipelinedText {
            chunks,
            current: Vec::new(),
            at: 0,
            ended: false,
            failure,
        }
    }
}

impl Read for PipelinedText {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at >= self.current.len() {
            if self.ended {
                return Ok(0);
            }
            match self.chunks.recv() {
                Ok(Chunk::Text(text)) => {
                    self.current = text;
                    self.at = 0;
                }
                Ok(Chunk::End) => {
                    self.ended = true;
                    return Ok(0);
                }
                Err(_) => {
                    // The thread stopped without reaching the end: a located failure, or a
                    // panic (never a shorter table).
                    let failure = self.failure.lock().ok();
                    let message = failure
                        .as_ref()
                        .and_then(|f| f.as_ref().map(LoadError::to_string))
                        .unwrap_or_else(|| "the table reader stopped unexpectedly".into());
                    return Err(std::io::Error::other(message));
                }
            }
        }
        let n = out.len().min(self.current.len() - self.at);
        out[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A column as one whose values print as the CSV readers want them: dates and timestamps as
/// days, dictionaries as their values.
fn as_text_column(column: &ArrayRef) -> Result<ArrayRef, arrow_schema::ArrowError> {
    match column.data_type() {
        // An instant in a time zone (UTC, an offset or a named zone): its day there.
        DataType::Timestamp(..) | DataType::Date64 => {
            arrow_cast::cast(column.as_ref(), &DataType::Date32)
        }
        DataType::Dictionary(_, value) => {
            let values = arrow_cast::cast(column.as_ref(), value.as_ref())?;
            as_text_column(&values)
        }
        _ => Ok(column.clone()),
    }
}

/// Reads any table through the CSV readers, one batch at a time.
fn read_table(
    files: Vec<Shard>,
    first: OpenedShard,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let total: u64 = files.iter().map(Shard::len).sum();
    let names: Vec<String> = files.iter().map(|f| shard_name(f.path())).collect();
    let stream = CsvStream::new(files, first);
    let from_folders = stream.added.clone();
    let origins = stream.origins.clone();
    let failure = stream.failure.clone();
    let mut stream = PipelinedText::new(stream);
    let relocate = |place: &mut Place| {
        let Some(line) = place.line else { return };
        let origin = usize::try_from(line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|i| origins.lock().ok()?.get(i).copied());
        place.record = Some(match origin {
            Some((_, 0)) => "the column names".to_string(),
            Some((shard, row)) => format!("{}, row {row}", names[shard as usize]),
            None => names[0].clone(),
        });
        place.line = None;
        place.column = None;
    };
    let mut head = Vec::with_capacity(super::detect::HEAD_BYTES);
    (&mut stream)
        .take(super::detect::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|_| stream_failure(&failure, path))?;
    // CSV text is usually larger than the compressed file: progress counts about three bytes
    // of text per byte of file.
    let result = super::open_text(head, stream, total.saturating_mul(3), path, options);
    if let Some(e) = failure.lock().ok().and_then(|mut f| f.take()) {
        return Err(e);
    }
    match result {
        Ok(mut opened) => {
            for problem in &mut opened.problems {
                relocate(&mut problem.place);
            }
            if names.len() > 1 {
                opened.notes.insert(
                    0,
                    format!("read {} Parquet shards as one dataset", names.len()),
                );
            }
            if let Some(note) = partition_note(&from_folders) {
                opened.notes.insert(usize::from(names.len() > 1), note);
            }
            Ok(opened)
        }
        Err(LoadError::Invalid { path, mut problems }) => {
            for problem in &mut problems {
                relocate(&mut problem.place);
            }
            Err(LoadError::Invalid { path, problems })
        }
        Err(other) => Err(other),
    }
}

fn stream_failure(failure: &Arc<Mutex<Option<LoadError>>>, path: &Path) -> LoadError {
    failure
        .lock()
        .ok()
        .and_then(|mut f| f.take())
        .unwrap_or_else(|| shard_error(path, "it could not be read"))
}

// ---------------------------------------------------------------------------------------
// Faultline's own table.

/// An event's fields that are not flat columns, as in the native format. (Attributes have
/// columns of their own; files written before they did keep them here.)
#[derive(Debug, Default, Serialize, Deserialize)]
struct Details {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    associated_actors_1: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    associated_actors_2: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    weapons: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status_by: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<SourceRef>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<String, String>,
}

/// The prefix of the columns that hold an event's further fields (its attributes):
/// `attr_source`, `attr_iso`, … (the fields' names follow it as they are).
pub const ATTRIBUTE_PREFIX: &str = "attr_";

/// Rows per row group written: readers (this one, polars, DuckDB) read row groups in
/// parallel, and a smaller group is a smaller step of the progress bar.
const ROW_GROUP_ROWS: usize = 131_072;

impl Details {
    fn is_empty(&self) -> bool {
        self.associated_actors_1.is_empty()
            && self.associated_actors_2.is_empty()
            && self.weapons.is_empty()
            && self.status_by.is_none()
            && self.sources.is_empty()
            && self.attributes.is_empty()
    }
}

/// The flat table's columns with one for each attribute in `attributes`, in order.
fn schema_with(attributes: &[String]) -> Schema {
    let flat = schema();
    let fields = flat
        .fields()
        .iter()
        .cloned()
        .chain(attributes.iter().map(|name| {
            Arc::new(Field::new(
                format!("{ATTRIBUTE_PREFIX}{name}"),
                DataType::Utf8,
                true,
            ))
        }));
    Schema::new(fields.collect::<Vec<_>>())
}

/// The flat table's columns, in order (without the attributes' columns).
fn schema() -> Schema {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Schema::new(vec![
        text("id", false),
        Field::new("date_start", DataType::Date32, false),
        Field::new("date_end", DataType::Date32, false),
        text("date_precision", false),
        text("event_type", false),
        text("sub_event_type", true),
        text("actor1", true),
        text("actor1_id", true),
        text("actor2", true),
        text("actor2_id", true),
        text("country", true),
        text("admin1", true),
        text("admin2", true),
        text("admin3", true),
        text("place", true),
        Field::new("latitude", DataType::Float64, true),
        Field::new("longitude", DataType::Float64, true),
        Field::new("fatalities", DataType::Int64, true),
        Field::new("fatalities_low", DataType::Int64, true),
        Field::new("fatalities_high", DataType::Int64, true),
        text("description", false),
        text("status", false),
        Field::new("notable", DataType::Boolean, false),
        text("details", true),
    ])
}

/// Days since 1970-01-01, as `Date32` counts them.
fn days(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
}

fn date_of(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(days.into()))
}

/// A date's first and last day and its precision's name.
fn span_parts(span: &DateSpan) -> (NaiveDate, NaiveDate, &'static str) {
    (span.start(), span.end(), span.precision().as_str())
}

/// A date from its first and last day and its precision's name, if they agree.
fn span_of(start: NaiveDate, end: NaiveDate, precision: &str) -> Result<DateSpan, String> {
    let span = match precision {
        "day" => DateSpan::Day(start),
        "month" => DateSpan::Month {
            year: start.year(),
            month: start.month(),
        },
        "year" => DateSpan::Year(start.year()),
        "range" if start <= end => DateSpan::Range { start, end },
        "range" => return Err(format!("date_end {end} is before date_start {start}")),
        other => {
            return Err(format!(
                "date_precision {other:?} is not day, month, year or range"
            ))
        }
    };
    if (span.start(), span.end()) != (start, end) {
        return Err(format!(
            "date_start {start} and date_end {end} are not one {precision}"
        ));
    }
    Ok(span)
}

/// The dataset as Parquet bytes: the events as the flat table, the rest in the metadata.
pub fn to_bytes(dataset: &Dataset) -> Result<Vec<u8>, String> {
    let rest = Dataset {
        events: Vec::new(),
        ..dataset.clone()
    };
    let attributes: std::collections::BTreeSet<&String> = dataset
        .events
        .iter()
        .flat_map(|e| e.attributes.keys())
        .collect();
    write_table(
        &rest,
        attributes.into_iter().cloned().collect(),
        dataset
            .events
            .chunks(BATCH_ROWS)
            .map(std::borrow::Cow::Borrowed),
    )
}

/// The events at `rows` of `store` as Parquet bytes, the rest of its dataset in the
/// metadata: the same bytes as [`to_bytes`] of those events, written a batch at a time from
/// the store's columns, so the events are never all held as records (a million of them
/// would take gigabytes).
pub fn store_to_bytes(store: &Store, rows: &[u32]) -> Result<Vec<u8>, String> {
    write_table(
        &store.meta,
        store.attribute_names_in(rows),
        rows.chunks(BATCH_ROWS).map(|chunk| {
            std::borrow::Cow::Owned(chunk.iter().map(|&r| store.event(r as usize)).collect())
        }),
    )
}

/// Writes the flat table from `batches` of events, with a column for each of `attributes`
/// and `rest` (a dataset whose events are not read) in the metadata.
fn write_table<'e>(
    rest: &Dataset,
    attributes: Vec<String>,
    batches: impl Iterator<Item = std::borrow::Cow<'e, [Event]>>,
) -> Result<Vec<u8>, String> {
    let rest = Dataset {
        events: Vec::new(),
        ..rest.clone()
    };
    let meta = super::native::to_string(&rest);
    let schema = Arc::new(schema_with(&attributes));
    let properties = WriterProperties::builder()
        // LZ4 (Parquet's LZ4_RAW): 1M events reopen in 0.32–0.34 s against zstd's 0.40–0.42 s
        // (the notes' pages decompress several times faster), in a file half as large again
        // (149 MB against 97 MB). BENCHMARKS.md, "Parquet".
        .set_compression(parquet::basic::Compression::LZ4_RAW)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_key_value_metadata(Some(vec![parquet::file::metadata::KeyValue::new(
            DATASET_KEY.to_string(),
            meta,
        )]))
        .build();
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, schema.clone(), Some(properties))
        .map_err(|e| e.to_string())?;
    let names: BTreeMap<&str, &str> = rest
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    for chunk in batches {
        let batch =
            batch_of(&chunk, &names, &attributes, schema.clone()).map_err(|e| e.to_string())?;
        writer.write(&batch).map_err(|e| e.to_string())?;
    }
    writer.close().map_err(|e| e.to_string())?;
    Ok(out)
}

/// Writes the dataset as Parquet, atomically.
pub fn save(path: &Path, dataset: &Dataset) -> std::io::Result<()> {
    let bytes = to_bytes(dataset).map_err(std::io::Error::other)?;
    super::atomic::write_atomic(path, &bytes)
}

/// Writes every event of `store` as Parquet, atomically, a batch at a time
/// ([`store_to_bytes`]).
pub fn save_store(path: &Path, store: &Store) -> std::io::Result<()> {
    let rows: Vec<u32> = (0..store.len() as u32).collect();
    let bytes = store_to_bytes(store, &rows).map_err(std::io::Error::other)?;
    super::atomic::write_atomic(path, &bytes)
}

fn batch_of(
    events: &[Event],
    names: &BTreeMap<&str, &str>,
    attributes: &[String],
    schema: Arc<Schema>,
) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let n = events.len();
    let text = || StringBuilder::with_capacity(n, n * 16);
    let (mut id, mut precision, mut event_type, mut sub_type) = (text(), text(), text(), text());
    let (mut actor1, mut actor1_id, mut actor2, mut actor2_id) = (text(), text(), text(), text());
    let (mut country, mut admin1, mut admin2, mut admin3, mut place) =
        (text(), text(), text(), text(), text());
    let (mut description, mut status, mut details) = (text(), text(), text());
    let (mut start, mut end) = (
        Date32Builder::with_capacity(n),
        Date32Builder::with_capacity(n),
    );
    let (mut lat, mut lon) = (
        Float64Builder::with_capacity(n),
        Float64Builder::with_capacity(n),
    );
    let mut deaths = [
        Int64Builder::with_capacity(n),
        Int64Builder::with_capacity(n),
        Int64Builder::with_capacity(n),
    ];
    let mut notable = BooleanBuilder::with_capacity(n);
    for e in events {
        id.append_value(&e.id);
        let (first, last, name) = span_parts(&e.date);
        start.append_value(days(first));
        end.append_value(days(last));
        precision.append_value(name);
        event_type.append_value(&e.event_type);
        sub_type.append_option(e.sub_event_type.as_deref());
        for (actor, (by_name, by_id)) in [
            (&e.actor1, (&mut actor1, &mut actor1_id)),
            (&e.actor2, (&mut actor2, &mut actor2_id)),
        ] {
            by_name.append_option(actor.as_deref().map(|a| names.get(a).copied().unwrap_or(a)));
            by_id.append_option(actor.as_deref());
        }
        let l = &e.location;
        country.append_option(l.country.as_deref());
        admin1.append_option(l.admin1.as_deref());
        admin2.append_option(l.admin2.as_deref());
        admin3.append_option(l.admin3.as_deref());
        place.append_option(l.place.as_deref());
        lat.append_option(l.latitude);
        lon.append_option(l.longitude);
        for (column, value) in
            deaths
                .iter_mut()
                .zip([e.fatalities, e.fatalities_low, e.fatalities_high])
        {
            column.append_option(value.map(i64::from));
        }
        description.append_value(&e.description);
        status.append_value(e.status.kind.label());
        notable.append_value(e.notable);
        details.append_option(details_json(e));
    }
    let [mut fatalities, mut low, mut high] = deaths;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(start.finish()),
        Arc::new(end.finish()),
        Arc::new(precision.finish()),
        Arc::new(event_type.finish()),
        Arc::new(sub_type.finish()),
        Arc::new(actor1.finish()),
        Arc::new(actor1_id.finish()),
        Arc::new(actor2.finish()),
        Arc::new(actor2_id.finish()),
        Arc::new(country.finish()),
        Arc::new(admin1.finish()),
        Arc::new(admin2.finish()),
        Arc::new(admin3.finish()),
        Arc::new(place.finish()),
        Arc::new(lat.finish()),
        Arc::new(lon.finish()),
        Arc::new(fatalities.finish()),
        Arc::new(low.finish()),
        Arc::new(high.finish()),
        Arc::new(description.finish()),
        Arc::new(status.finish()),
        Arc::new(notable.finish()),
        Arc::new(details.finish()),
    ];
    let columns = columns
        .into_iter()
        .chain(attributes.iter().map(|name| attribute_column(events, name)))
        .collect();
    RecordBatch::try_new(schema, columns)
}

/// The JSON of an event's fields that have no column of their own; `None` when it has none.
fn details_json(e: &Event) -> Option<String> {
    let rest = Details {
        associated_actors_1: e.associated_actors_1.clone(),
        associated_actors_2: e.associated_actors_2.clone(),
        weapons: e.weapons.clone(),
        status_by: e.status.by.clone(),
        sources: e.sources.clone(),
        attributes: BTreeMap::new(),
    };
    (!rest.is_empty()).then(|| serde_json::to_string(&rest).unwrap_or_default())
}

/// The column of attribute `name`: each event's value, null where it has none.
fn attribute_column(events: &[Event], name: &str) -> ArrayRef {
    let values: arrow_array::StringArray = events
        .iter()
        .map(|e| e.attributes.get(name).map(String::as_str))
        .collect();
    Arc::new(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_folders_give_columns_and_values_unescaped() {
        let shard = Path::new("/data/export=1/events/country=C%C3%B4te d%27Ivoire/kind=A%2FB%3DC/year=__HIVE_DEFAULT_PARTITION__/part-0.parquet");
        assert_eq!(
            partition_values(shard),
            [
                ("country", "Côte d'Ivoire"),
                ("kind", "A/B=C"),
                ("year", ""),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert_eq!(
            shard_name(shard),
            "country=C%C3%B4te d%27Ivoire/kind=A%2FB%3DC/year=__HIVE_DEFAULT_PARTITION__/part-0.parquet"
        );
        // Not partitions: a folder without `=`, or with nothing before it.
        for plain in [
            "/data/a/part-0.parquet",
            "/data/=x/part-0.parquet",
            "part-0.parquet",
        ] {
            assert!(partition_values(Path::new(plain)).is_empty(), "{plain}");
            assert_eq!(shard_name(Path::new(plain)), "part-0.parquet");
        }
    }

    #[test]
    fn the_seed_round_trips_through_parquet() {
        let seed = crate::seed::seed_dataset().unwrap();
        let bytes = to_bytes(&seed).unwrap();
        assert!(is_parquet(&bytes));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seed.parquet");
        std::fs::write(&path, &bytes).unwrap();
        let opened = open(&path, &OpenOptions::default()).unwrap();
        assert_eq!(
            opened.store.to_dataset(),
            Store::from_dataset(seed).to_dataset()
        );
    }

    #[test]
    fn dates_of_every_precision_survive() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        for span in [
            DateSpan::Day(d(2024, 2, 29)),
            DateSpan::Month {
                year: 2024,
                month: 12,
            },
            DateSpan::Year(1997),
            DateSpan::Range {
                start: d(2024, 11, 1),
                end: d(2024, 11, 21),
            },
        ] {
            let (start, end, name) = span_parts(&span);
            assert_eq!(span_of(start, end, name).unwrap(), span);
        }
        assert!(span_of(d(2024, 1, 2), d(2024, 1, 31), "month").is_err());
        assert!(span_of(d(2024, 1, 5), d(2024, 1, 1), "range").is_err());
        assert!(span_of(d(2024, 1, 5), d(2024, 1, 5), "week").is_err());
    }
}
