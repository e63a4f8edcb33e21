//! Reading Faultline's own flat table, a batch of columns at a time.
//!
//! The shards are decoded on two threads of their own, each taking every other row group,
//! while this one puts each batch into the store as columns ([`EventBatch`]), the groups in
//! the load's order. Text columns with few distinct values (types, places, actors,
//! attributes) are read as Arrow dictionaries, and each dictionary value is interned once:
//! the Parquet reader hands every batch of a column chunk the same dictionary, so most
//! batches intern nothing. The events are checked like a native file's: unique ids, known
//! actors and sources, coordinates in range; a value no event can hold (a date that is no
//! date, an unknown status) stops the load, placed by shard and row.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;

use arrow_array::cast::AsArray as _;
use arrow_array::types::{Date32Type, Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, DictionaryArray, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::ParquetMetaDataReader;

use super::{
    check_chunks, date_of, reader_panicked, schema, shard_error, shard_name, span_of, Details,
    Shard, ATTRIBUTE_PREFIX, DATASET_KEY,
};
use crate::io::import::{is_cancelled, IdIndex};
use crate::io::untrusted::catch_parser_panic;
use crate::io::validate::{EventChecker, RecordRef};
use crate::io::{LoadError, OpenOptions, Opened, Place, Problem};
use crate::model::{Actor, ActorKind, Dataset, DatePrecision, Source, StatusKind};
use crate::store::bulk::{BatchTexts, EventBatch, RowDetails, NO_VALUE};
use crate::store::Store;

/// The most rows room is made for ahead of reading (more grow the columns as they come).
const MAX_RESERVED_ROWS: usize = 1 << 24;

/// Rows per batch read: enough that a batch's fixed costs are small, few enough that the
/// reader's buffers for a batch's notes grow little (each growth copies them to new memory):
/// 16,384 rows reopened 1M events in 0.37–0.38 s here, 32,768 in 0.39–0.42 s, 8,192 in
/// 0.37–0.40 s and 131,072 in 0.43–0.44 s.
const READ_BATCH_ROWS: usize = 16_384;

/// The text columns read as dictionaries (besides the attributes).
const CODED: [&str; 11] = [
    "date_precision",
    "event_type",
    "sub_event_type",
    "actor1_id",
    "actor2_id",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "place",
    "status",
];

/// The columns no event field comes from (the actors' names are for other tools).
const NOT_READ: [&str; 2] = ["actor1", "actor2"];

/// The names of the death columns, as the counts are kept: deaths, lowest, highest.
const DEATH_COLUMNS: [&str; 3] = ["fatalities", "fatalities_low", "fatalities_high"];

/// A row's place in messages: `part-3.parquet, row 12`.
fn row_place(shard: &Path, row: u64) -> String {
    format!("{}, row {row}", shard_name(shard))
}

/// A problem with a field of a row.
fn row_problem(shard: &Path, row: u64, field: Option<String>, why: String) -> Problem {
    Problem::new(
        Place {
            record: Some(row_place(shard, row)),
            field,
            ..Place::default()
        },
        why,
    )
}

/// Reads the shards of a table Faultline wrote: the events from the columns, the rest from
/// the first shard's metadata; checked like a native file.
pub(super) fn read_own(
    files: &[Shard],
    meta: String,
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let rest = crate::io::native::from_str(&meta, path).map_err(|e| match e {
        LoadError::Invalid { problems, .. } => LoadError::Invalid {
            path: path.to_path_buf(),
            problems: problems
                .into_iter()
                .map(|mut p| {
                    p.place.record = Some(format!(
                        "the {DATASET_KEY} metadata{}",
                        p.place.record.map(|r| format!(", {r}")).unwrap_or_default()
                    ));
                    p
                })
                .collect(),
        },
        other => other,
    })?;
    let total_bytes: u64 = files.iter().map(Shard::len).sum();
    let mut reader = OwnReader::new(&rest);
    reader.make_room(footer_rows(files));
    std::thread::scope(|scope| {
        let decoders: Vec<_> = (0..DECODERS)
            .map(|decoder| {
                let (send, decoded) = mpsc::sync_channel(AHEAD_BATCHES);
                scope.spawn(move || decode_groups(files, decoder, &send));
                decoded
            })
            .collect();
        // The decoder of the row group read next; the bytes of the shards before the current
        // one, the current one's index, and the rows read of it.
        let mut next = 0;
        let (mut bytes_before, mut current, mut rows_before) = (0u64, None, 0u64);
        loop {
            let Decoded {
                shard,
                batch,
                ids,
                shard_rows,
            } = match decoders[next].recv() {
                Ok(Ok(Decoding::Batch(decoded))) => decoded,
                Ok(Ok(Decoding::GroupEnd)) => {
                    next = (next + 1) % DECODERS;
                    continue;
                }
                Ok(Err(e)) => return Err(e),
                // The decoder whose group comes next has none left: nor has the load.
                Err(_) => break,
            };
            if is_cancelled(options) {
                return Err(LoadError::Cancelled {
                    path: path.to_path_buf(),
                });
            }
            let file = &files[shard];
            if current != Some(shard) {
                bytes_before += current.map_or(0, |k: usize| files[k].len());
                current = Some(shard);
                rows_before = 0;
                reader.start_shard(file.path(), shard_rows);
            }
            reader.read_batch(&batch, ids, file.path(), rows_before)?;
            rows_before += batch.num_rows() as u64;
            if let Some(progress) = options.progress {
                // The footer's count of rows is the file's word: never past the shard.
                let done = (rows_before as f64 / shard_rows.max(1) as f64).min(1.0);
                progress(
                    bytes_before + (done * file.len() as f64) as u64,
                    total_bytes,
                );
            }
        }
        Ok(())
    })?;
    if !reader.problems.is_empty() {
        // In row order, whichever check found them.
        reader.problems.sort_by_key(|(row, _)| *row);
        return Err(LoadError::Invalid {
            path: path.to_path_buf(),
            problems: reader.problems.into_iter().map(|(_, p)| p).collect(),
        });
    }
    let mut opened = Opened::whole(reader.store, crate::io::Format::Faultline);
    if files.len() > 1 {
        opened.notes.push(format!(
            "read {} Parquet shards as one dataset",
            files.len()
        ));
    }
    Ok(opened)
}

/// Threads decoding the shards: each decodes every other row group of the load, so that
/// the one whose group the store's thread is not reading decodes its next group meanwhile.
/// Decoding (decompressing, and first touches of the notes' new memory) is most of a load's
/// work: with one decoding thread, the store's thread waited on it about a third of the time
/// at ten million events.
const DECODERS: usize = 2;

/// Batches a decoding thread may have ready before the store's thread takes them: enough
/// that a thread whose group is not being read keeps working meanwhile. Eight (a whole group
/// of 131,072 rows) reopened 1M events in the same time, for 30 MB more memory.
const AHEAD_BATCHES: usize = 3;

/// What a decoding thread sends: a batch of the row group it decodes, or that group's end.
enum Decoding {
    Batch(Decoded),
    GroupEnd,
}

/// A batch as a decoding thread sends it: its shard (an index in the load's), the ids it
/// found, and the rows the shard's footer counts.
struct Decoded {
    shard: usize,
    batch: RecordBatch,
    ids: IdChecks,
    shard_rows: u64,
}

/// The ids of a batch as the decoding thread found them: the rows (of the batch) whose id
/// is empty, and each other row's id hashed, with its row in the batch. The store's thread
/// counts those rows from the load's first and claims the hashes in order
/// ([`IdIndex::claim_hashes`]), and looks at the ids' text only where a hash was claimed
/// before: a hash can be shared.
#[derive(Default)]
struct IdChecks {
    empty: Vec<u32>,
    claims: Vec<(u64, u32)>,
}

/// The [`IdChecks`] of `batch`.
fn hash_batch_ids(batch: &RecordBatch) -> IdChecks {
    let mut checks = IdChecks::default();
    let Some(ids) = batch
        .column_by_name("id")
        .and_then(|c| c.as_string_opt::<i32>())
    else {
        return checks; // the batch is refused for it
    };
    checks.claims.reserve(ids.len());
    for i in 0..ids.len() as u32 {
        let id = cell(ids, i as usize).unwrap_or_default();
        if id.trim().is_empty() {
            checks.empty.push(i);
        } else {
            checks.claims.push((IdIndex::hash(id), i));
        }
    }
    checks
}

/// Decodes every [`DECODERS`]th row group of the load (its shards' groups counted in order),
/// from the `decoder`th on, into `send`: each group's batches, then [`Decoding::GroupEnd`].
/// Stops at the first failure, which it sends, or when the receiver is gone. Every decoder
/// opens every shard, so a shard that cannot be opened is reported by whichever decoder the
/// store's thread waits on when it comes to that shard.
fn decode_groups(
    files: &[Shard],
    decoder: usize,
    send: &mpsc::SyncSender<Result<Decoding, LoadError>>,
) {
    let fail = |e| {
        let _ = send.send(Err(e));
    };
    // The load's row groups before the shard's.
    let mut groups_before = 0;
    for (k, shard) in files.iter().enumerate() {
        let opened = match OpenedShard::open(shard, read_by_load) {
            Ok(opened) => opened,
            Err(e) => return fail(e),
        };
        let mine = (0..opened.groups()).filter(|g| (groups_before + g) % DECODERS == decoder);
        for g in mine {
            let mut batches = match opened.batches(shard.path(), Some(g)) {
                Ok(batches) => batches,
                Err(e) => return fail(e),
            };
            loop {
                let batch = match batches.next_batch(shard.path()) {
                    Ok(Some(batch)) => batch,
                    Ok(None) => break,
                    Err(e) => return fail(e),
                };
                let decoded = Decoded {
                    shard: k,
                    ids: hash_batch_ids(&batch),
                    batch,
                    shard_rows: opened.rows(),
                };
                if send.send(Ok(Decoding::Batch(decoded))).is_err() {
                    return;
                }
            }
            if send.send(Ok(Decoding::GroupEnd)).is_err() {
                return;
            }
        }
        groups_before += opened.groups();
    }
}

/// The rows the shards' footers count in all, to make room for the whole load at once: a
/// folder's columns and id index then never grow by copying (at ten million events the id
/// index was rebuilt three times). A footer that cannot be read counts nothing here; reading
/// its shard says what is wrong with it.
fn footer_rows(files: &[Shard]) -> u64 {
    fn rows_of<R: parquet::file::reader::ChunkReader>(input: &R) -> u64 {
        catch_parser_panic(|| ParquetMetaDataReader::new().parse_and_finish(input))
            .ok()
            .and_then(Result::ok)
            .map_or(0, |meta| meta.file_metadata().num_rows().max(0) as u64)
    }
    files
        .iter()
        .map(|shard| match shard {
            Shard::File(path) => std::fs::File::open(path).map_or(0, |file| rows_of(&file)),
            Shard::Memory(_, bytes) => rows_of(bytes),
        })
        .fold(0, u64::saturating_add)
}

/// The next batch of a shard's reader, `None` at its end; what is wrong said as the shard's
/// error, a panic inside the `parquet` crate included.
fn next_batch(
    batches: &mut ParquetRecordBatchReader,
    shard: &Path,
) -> Result<Option<RecordBatch>, LoadError> {
    match catch_parser_panic(|| batches.next()) {
        Err(why) => Err(reader_panicked(shard, why)),
        Ok(None) => Ok(None),
        Ok(Some(batch)) => batch.map(Some).map_err(|e| shard_error(shard, e)),
    }
}

/// The batches of a shard of Faultline's table (of one row group, or of all), with the
/// columns its Hive-style partition folders hold instead of its file (`country=Iraq/…`, as
/// DuckDB's `PARTITION_BY` leaves a table it split), with their values.
struct OwnShard {
    batches: ParquetRecordBatchReader,
    partitions: Vec<PartitionColumn>,
}

/// A column a shard's partition folders hold: its name, value (`None` for an empty one) and
/// the type the table's column is read as.
#[derive(Clone)]
struct PartitionColumn {
    name: String,
    value: Option<String>,
    data_type: DataType,
}

impl PartitionColumn {
    /// The columns of Faultline's table (or attributes) among `partitions`; others are not
    /// read.
    fn of(partitions: Vec<(String, String)>) -> Vec<PartitionColumn> {
        let table = schema();
        partitions
            .into_iter()
            .filter_map(|(name, value)| {
                let data_type = if is_coded(&name) {
                    coded_type()
                } else {
                    table.field_with_name(&name).ok()?.data_type().clone()
                };
                let value = (!value.is_empty()).then_some(value);
                Some(PartitionColumn {
                    name,
                    value,
                    data_type,
                })
            })
            .collect()
    }
}

impl OwnShard {
    /// The next batch, with the partition columns it lacks; `None` at the shard's end.
    fn next_batch(&mut self, shard: &Path) -> Result<Option<RecordBatch>, LoadError> {
        let Some(batch) = next_batch(&mut self.batches, shard)? else {
            return Ok(None);
        };
        if self.partitions.is_empty() {
            return Ok(Some(batch));
        }
        with_partition_columns(batch, &self.partitions)
            .map(Some)
            .map_err(|e| shard_error(shard, e))
    }
}

/// `batch` with a column for each of `partitions` it lacks, every row holding the
/// partition's value, of the type the table's column has (coded text as a dictionary, dates,
/// numbers).
fn with_partition_columns(
    batch: RecordBatch,
    partitions: &[PartitionColumn],
) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let (mut fields, mut columns): (Vec<_>, Vec<_>) = batch
        .schema()
        .fields()
        .iter()
        .cloned()
        .zip(batch.columns().iter().cloned())
        .unzip();
    for partition in partitions {
        if batch.column_by_name(&partition.name).is_some() {
            continue;
        }
        let text = StringArray::from(vec![partition.value.as_deref(); batch.num_rows()]);
        columns.push(arrow_cast::cast(&text, &partition.data_type)?);
        let field = Field::new(&partition.name, partition.data_type.clone(), true);
        fields.push(Arc::new(field));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
}

/// True for the columns a load reads: all but the actors' names (the actors are the
/// metadata's).
fn read_by_load(name: &str) -> bool {
    !NOT_READ.contains(&name)
}

/// Opens a shard of Faultline's table to read the columns `read` says yes to, the coded ones
/// as dictionaries: its columns checked, its row groups read in turn.
fn open_own_columns(shard: &Shard, read: fn(&str) -> bool) -> Result<OwnShard, LoadError> {
    OpenedShard::open(shard, read)?.batches(shard.path(), None)
}

/// How to read a shard of Faultline's table, once its footer is read: the columns to read,
/// of the types to read them as.
struct OwnPlan {
    hinted: ArrowReaderMetadata,
    projection: ProjectionMask,
    /// The rows the footer counts.
    rows: u64,
}

impl OwnPlan {
    /// The plan for reading the columns of `input` that `read` says yes to; the columns of
    /// Faultline's table it lacks must be among `partitions`.
    fn of<T: parquet::file::reader::ChunkReader>(
        input: &T,
        read: fn(&str) -> bool,
        partitions: &[&str],
    ) -> Result<OwnPlan, String> {
        let plain = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
        let found = ArrowReaderMetadata::load(input, plain.clone()).map_err(|e| e.to_string())?;
        check_chunks(found.metadata()).map_err(|e| e.to_string())?;
        check_columns(found.schema(), partitions)?;
        let hinted = ArrowReaderMetadata::try_new(
            found.metadata().clone(),
            plain.with_schema(Arc::new(dictionary_hint(found.schema()))),
        )
        .map_err(|e| e.to_string())?;
        let rows = hinted.metadata().file_metadata().num_rows().max(0) as u64;
        let wanted = found
            .schema()
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| read(f.name()))
            .map(|(k, _)| k);
        let projection = ProjectionMask::roots(hinted.parquet_schema(), wanted);
        Ok(OwnPlan {
            hinted,
            projection,
            rows,
        })
    }

    /// A reader of `input` by this plan, not yet built.
    fn builder<T: parquet::file::reader::ChunkReader + 'static>(
        &self,
        input: T,
    ) -> ParquetRecordBatchReaderBuilder<T> {
        ParquetRecordBatchReaderBuilder::new_with_metadata(input, self.hinted.clone())
            .with_projection(self.projection.clone())
            .with_batch_size(READ_BATCH_ROWS)
    }
}

/// A shard of Faultline's table, its footer read and its columns checked: its row groups can
/// be decoded, all in turn or one at a time.
struct OpenedShard {
    input: ShardInput,
    plan: OwnPlan,
    partitions: Vec<PartitionColumn>,
}

/// A shard's bytes: its file, or the bytes held in memory.
enum ShardInput {
    File(std::fs::File),
    Memory(bytes::Bytes),
}

impl OpenedShard {
    /// Opens `shard` to read the columns `read` says yes to.
    fn open(shard: &Shard, read: fn(&str) -> bool) -> Result<OpenedShard, LoadError> {
        let partitions = shard.partitions();
        let keys: Vec<&str> = partitions.iter().map(|(key, _)| key.as_str()).collect();
        let path = shard.path();
        let input = match shard {
            Shard::File(path) => {
                ShardInput::File(std::fs::File::open(path).map_err(|source| LoadError::Io {
                    path: path.clone(),
                    source,
                })?)
            }
            Shard::Memory(_, bytes) => ShardInput::Memory(bytes.clone()),
        };
        let plan = catch_parser_panic(|| match &input {
            ShardInput::File(file) => OwnPlan::of(file, read, &keys),
            ShardInput::Memory(bytes) => OwnPlan::of(bytes, read, &keys),
        })
        .map_err(|why| reader_panicked(path, why))?
        .map_err(|e| shard_error(path, e))?;
        Ok(OpenedShard {
            input,
            plan,
            partitions: PartitionColumn::of(partitions),
        })
    }

    /// Its row groups.
    fn groups(&self) -> usize {
        self.plan.hinted.metadata().num_row_groups()
    }

    /// The rows its footer counts.
    fn rows(&self) -> u64 {
        self.plan.rows
    }

    /// The batches of row group `group`, or of every group in turn (`None`), of the shard at
    /// `path`.
    fn batches(&self, path: &Path, group: Option<usize>) -> Result<OwnShard, LoadError> {
        fn build<T: parquet::file::reader::ChunkReader + 'static>(
            plan: &OwnPlan,
            input: T,
            group: Option<usize>,
        ) -> Result<ParquetRecordBatchReader, String> {
            let builder = plan.builder(input);
            let builder = match group {
                Some(group) => builder.with_row_groups(vec![group]),
                None => builder,
            };
            builder.build().map_err(|e| e.to_string())
        }
        let batches = catch_parser_panic(|| match &self.input {
            ShardInput::File(file) => build(
                &self.plan,
                file.try_clone().map_err(|e| e.to_string())?,
                group,
            ),
            ShardInput::Memory(bytes) => build(&self.plan, bytes.clone(), group),
        })
        .map_err(|why| reader_panicked(path, why))?
        .map_err(|e| shard_error(path, e))?;
        Ok(OwnShard {
            batches,
            partitions: self.partitions.clone(),
        })
    }
}

/// The decoder a load of Faultline's own table runs on `input` (the columns the load reads, of
/// the types and in the batches it reads them), not yet built, so that the decoding alone can
/// be measured (`core/examples/parquet_floor.rs`); an error if `input` is not such a table.
pub fn own_table_decoder<T: parquet::file::reader::ChunkReader + 'static>(
    input: T,
) -> Result<ParquetRecordBatchReaderBuilder<T>, String> {
    catch_parser_panic(|| OwnPlan::of(&input, read_by_load, &[]).map(|plan| plan.builder(input)))
        .map_err(|why| format!("the Parquet reader failed ({why})"))?
}

/// True when a table has the columns of Faultline's flat table, of their types, but for
/// those its partition folders hold (`partitions`).
pub(super) fn is_faultline_table(found: &Schema, partitions: &[&str]) -> bool {
    check_columns(found, partitions).is_ok()
}

/// Reads the shards of Faultline's table whose `faultline.dataset` metadata is gone (DuckDB,
/// polars and Spark keep no key-value metadata when they rewrite a file, say to filter it):
/// the events as the columns hold them, checked as always, with the actors named by the
/// actor columns (of unknown kind) and the sources the events quote known by their ids. The
/// dataset's title, relations, series and statements were in the metadata only.
pub(super) fn read_own_bare(
    files: &[Shard],
    path: &Path,
    options: &OpenOptions,
) -> Result<Opened, LoadError> {
    let rest = named_in_columns(files, path)?;
    let meta = crate::io::native::to_string(&rest);
    let mut opened = read_own(files, meta, path, options)?;
    opened.notes.push(format!(
        "read as Faultline's table without its {DATASET_KEY} metadata (a tool that rewrote \
         the file dropped it): {} actors named from the actor columns, their kinds unknown; \
         the dataset's title, sources, relations, series and statements are not in the file",
        rest.actors.len()
    ));
    Ok(opened)
}

/// The columns that name actors and sources.
const NAMING: [&str; 5] = ["actor1_id", "actor1", "actor2_id", "actor2", "details"];

/// A dataset of the actors (ids with the names beside them in the actor columns, or the ids
/// alone) and sources (ids) the shards' events name, titled after `path`.
fn named_in_columns(files: &[Shard], path: &Path) -> Result<Dataset, LoadError> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut sources: BTreeSet<String> = BTreeSet::new();
    for shard in files {
        let mut opened = open_own_columns(shard, |name| NAMING.contains(&name))?;
        while let Some(batch) = opened.next_batch(shard.path())? {
            for (id, name) in [("actor1_id", "actor1"), ("actor2_id", "actor2")] {
                let ids = column_texts(&batch, id);
                let named = batch
                    .column_by_name(name)
                    .and_then(|c| c.as_string_opt::<i32>());
                for i in 0..batch.num_rows() {
                    let Some(id) = ids(i).filter(|id| !id.trim().is_empty()) else {
                        continue;
                    };
                    let name = named.and_then(|n| cell(n, i)).filter(|n| !n.is_empty());
                    if !names.contains_key(id) {
                        names.insert(id.to_string(), name.unwrap_or(id).to_string());
                    }
                }
            }
            let Some(details) = batch
                .column_by_name("details")
                .and_then(|c| c.as_string_opt::<i32>())
            else {
                continue;
            };
            // Unreadable details are the events pass's to report, with their row.
            for text in details.iter().flatten() {
                let Ok(details) = serde_json::from_str::<Details>(text) else {
                    continue;
                };
                let associated = details.associated_actors_1.iter();
                let named = associated
                    .chain(&details.associated_actors_2)
                    .chain(&details.status_by);
                for id in named.filter(|id| !id.trim().is_empty()) {
                    names.entry(id.clone()).or_insert_with(|| id.clone());
                }
                sources.extend(details.sources.into_iter().map(|s| s.source));
            }
        }
    }
    let title = path.file_stem().map_or_else(
        || "Parquet table".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    Ok(Dataset {
        title,
        actors: names
            .iter()
            .map(|(id, name)| Actor::named(id, name, ActorKind::Unknown))
            .collect(),
        sources: sources
            .into_iter()
            .map(|id| Source {
                title: id.clone(),
                id,
                publisher: String::new(),
                date: None,
                url: None,
            })
            .collect(),
        ..Dataset::default()
    })
}

/// Refuses a table without the flat table's columns, of their types.
fn check_columns(found: &Schema, partitions: &[&str]) -> Result<(), String> {
    for field in schema().fields() {
        let has = found.field_with_name(field.name()).ok();
        if has.is_none() && partitions.contains(&field.name().as_str()) {
            continue;
        }
        if has.map(|f| f.data_type()) != Some(field.data_type()) {
            return Err(format!(
                "its column {} is missing or not {} (a Faultline table was expected, as its metadata says)",
                field.name(),
                field.data_type()
            ));
        }
    }
    Ok(())
}

/// The file's columns with the coded ones (and the attributes) asked for as dictionaries.
fn dictionary_hint(found: &Schema) -> Schema {
    let fields = found.fields().iter().map(|f| {
        if is_coded(f.name()) && f.data_type() == &DataType::Utf8 {
            Arc::new(Field::new(f.name(), coded_type(), f.is_nullable()))
        } else {
            f.clone()
        }
    });
    Schema::new(fields.collect::<Vec<_>>())
}

/// True for a text column read as a dictionary (the attributes among them).
fn is_coded(name: &str) -> bool {
    CODED.contains(&name) || name.starts_with(ATTRIBUTE_PREFIX)
}

/// The type a coded column is read as.
fn coded_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// "No value" for a row of a coded column.
const NULL: u32 = u32::MAX;
/// A value a coded column's field cannot take (an unknown actor, status or precision).
const UNKNOWN: u32 = u32::MAX - 1;

/// A column's dictionary as last seen, with each of its values in the store's terms.
struct Dictionary {
    values: ArrayRef,
    codes: Vec<u32>,
}

/// What a coded column's values become in the store.
#[derive(Clone, Copy)]
enum Coding {
    /// Interned text.
    Text,
    /// An actor's index ([`UNKNOWN`] when no actor has the id).
    Actor,
    /// A date precision's index in [`PRECISIONS`].
    Precision,
    /// A status's index in [`STATUSES`].
    Status,
}

const PRECISIONS: [DatePrecision; 4] = [
    DatePrecision::Day,
    DatePrecision::Month,
    DatePrecision::Year,
    DatePrecision::Range,
];

const STATUSES: [StatusKind; 3] = [
    StatusKind::Claimed,
    StatusKind::Reported,
    StatusKind::Confirmed,
];

/// The events read so far, the state that spans batches, and the problems found.
struct OwnReader<'m> {
    store: Store,
    checker: EventChecker<'m>,
    /// The load's ids, by their hashes ([`IdChecks`]).
    ids: IdIndex,
    /// The store row each shard's rows start at, with the shard.
    shard_starts: Vec<(usize, &'m Path)>,
    /// Each coded column's dictionary, by column name.
    dictionaries: rustc_hash::FxHashMap<String, Dictionary>,
    /// Details met before that name only known actors, by their text: the same text is not
    /// parsed and checked again (associated actors repeat from row to row).
    known_details: rustc_hash::FxHashMap<String, KnownDetails>,
    /// The rows of the current shard before the batch being read.
    rows_before: u64,
    /// The problems found, each with the store row it is about (to report them in order).
    problems: Vec<(usize, Problem)>,
}

/// The most distinct details remembered ([`OwnReader::known_details`]): a few megabytes.
const MAX_KNOWN_DETAILS: usize = 1 << 16;

/// A row's details that name only known actors (no weapons, sources or attributes), in the
/// store's terms.
struct KnownDetails {
    associated_1: Vec<u32>,
    associated_2: Vec<u32>,
    status_by: u32,
}

impl KnownDetails {
    fn of(row: &RowDetails) -> KnownDetails {
        KnownDetails {
            associated_1: row.associated_1.clone(),
            associated_2: row.associated_2.clone(),
            status_by: row.status_by,
        }
    }

    fn row(&self) -> RowDetails {
        RowDetails {
            associated_1: self.associated_1.clone(),
            associated_2: self.associated_2.clone(),
            status_by: self.status_by,
            ..RowDetails::default()
        }
    }
}

/// The typed columns of a batch that are not coded.
struct Plain<'b> {
    id: &'b StringArray,
    description: &'b StringArray,
    start: &'b arrow_array::Date32Array,
    end: &'b arrow_array::Date32Array,
    latitude: &'b arrow_array::Float64Array,
    longitude: &'b arrow_array::Float64Array,
    details: &'b StringArray,
    deaths: [&'b arrow_array::Int64Array; 3],
    notable: &'b arrow_array::BooleanArray,
}

fn plain_columns(batch: &RecordBatch) -> Option<Plain<'_>> {
    let column = |name: &str| batch.column_by_name(name);
    let text = |name: &str| column(name)?.as_string_opt::<i32>();
    let count = |name: &str| column(name)?.as_primitive_opt::<Int64Type>();
    let [deaths, low, high] = DEATH_COLUMNS;
    Some(Plain {
        id: text("id")?,
        description: text("description")?,
        start: column("date_start")?.as_primitive_opt::<Date32Type>()?,
        end: column("date_end")?.as_primitive_opt::<Date32Type>()?,
        latitude: column("latitude")?.as_primitive_opt::<Float64Type>()?,
        longitude: column("longitude")?.as_primitive_opt::<Float64Type>()?,
        details: text("details")?,
        deaths: [count(deaths)?, count(low)?, count(high)?],
        notable: column("notable")?.as_boolean_opt()?,
    })
}

/// A text cell, `None` when null.
fn cell(c: &StringArray, i: usize) -> Option<&str> {
    (!c.is_null(i)).then(|| c.value(i))
}

impl<'m> OwnReader<'m> {
    /// A reader of the events of `meta` (the dataset the table's metadata gives), none read yet.
    fn new(meta: &'m Dataset) -> OwnReader<'m> {
        OwnReader {
            store: Store::new(meta.clone()),
            checker: EventChecker::new(meta, &[], &[]),
            ids: IdIndex::default(),
            shard_starts: Vec::new(),
            dictionaries: rustc_hash::FxHashMap::default(),
            known_details: rustc_hash::FxHashMap::default(),
            rows_before: 0,
            problems: Vec::new(),
        }
    }

    /// Notes where a shard's rows start, and makes room for its `rows` rows so the columns
    /// do not grow by copying (the notes are not copied: the store keeps the batches' arrays).
    /// The count is the file's word, so the room made is bounded by [`MAX_RESERVED_ROWS`].
    fn start_shard(&mut self, shard: &'m Path, rows: u64) {
        self.shard_starts.push((self.store.len(), shard));
        self.make_room(rows);
    }

    /// Makes room for `rows` more rows, as many as [`MAX_RESERVED_ROWS`] at the most (the
    /// count is the files' word). Room already made is not made again.
    fn make_room(&mut self, rows: u64) {
        let rows = usize::try_from(rows).unwrap_or(0).min(MAX_RESERVED_ROWS);
        self.store.reserve(rows, 0);
        self.ids.reserve(rows);
    }

    /// The shard and row (from 1) of store row `row`.
    fn place_of(&self, row: usize) -> (&'m Path, u64) {
        let k = self
            .shard_starts
            .partition_point(|&(start, _)| start <= row)
            - 1;
        let (start, shard) = self.shard_starts[k];
        (shard, (row - start + 1) as u64)
    }

    /// Coded column `name` of the batch in the store's terms per `coding`, one code per
    /// row, `null` for a row without a value.
    fn coded(
        &mut self,
        batch: &RecordBatch,
        name: &str,
        coding: Coding,
        null: u32,
        shard: &Path,
    ) -> Result<Vec<u32>, LoadError> {
        let column: &DictionaryArray<Int32Type> = batch
            .column_by_name(name)
            .and_then(|c| c.as_dictionary_opt::<Int32Type>())
            .ok_or_else(|| shard_error(shard, format!("its column {name} could not be read")))?;
        let values = column.values();
        let fresh = self
            .dictionaries
            .get(name)
            .is_none_or(|known| !Arc::ptr_eq(&known.values, values));
        if fresh {
            let texts = values
                .as_string_opt::<i32>()
                .ok_or_else(|| shard_error(shard, format!("its column {name} is not text")))?;
            let codes = self.codes_of(texts, coding);
            let dictionary = Dictionary {
                values: values.clone(),
                codes,
            };
            self.dictionaries.insert(name.to_string(), dictionary);
        }
        let codes = self.dictionaries[name].codes.as_slice();
        let keys = column.keys();
        // The raw keys are mapped a run of rows with values at a time (a loop the compiler
        // makes fast); a key under a null row is never looked up, whatever it holds.
        let raw = keys.values();
        let mut out = vec![null; raw.len()];
        let mut first_bad = None;
        let mut map_rows = |start: usize, end: usize| {
            let pairs = out[start..end].iter_mut().zip(&raw[start..end]);
            for (k, (code, &key)) in pairs.enumerate() {
                match codes.get(key as u32 as usize) {
                    Some(&known) => *code = known,
                    None => {
                        first_bad.get_or_insert(start + k);
                    }
                }
            }
        };
        match keys.nulls().filter(|nulls| nulls.null_count() > 0) {
            None => map_rows(0, raw.len()),
            Some(nulls) => nulls
                .valid_slices()
                .for_each(|(start, end)| map_rows(start, end)),
        }
        if let Some(i) = first_bad {
            let key = raw[i];
            let row = self.rows_before + i as u64 + 1;
            let why = format!(
                "its value is number {key} of the column's dictionary, which has {}",
                codes.len()
            );
            return Err(LoadError::invalid(
                shard,
                row_problem(shard, row, Some(name.to_string()), why),
            ));
        }
        Ok(out)
    }

    /// A dictionary's values in the store's terms.
    fn codes_of(&mut self, texts: &StringArray, coding: Coding) -> Vec<u32> {
        let position = |found: Option<usize>| found.map_or(UNKNOWN, |k| k as u32);
        let values = (0..texts.len()).map(|k| cell(texts, k));
        match coding {
            Coding::Text => self.store.intern_all(values),
            Coding::Actor => values
                .map(|v| {
                    v.and_then(|id| self.store.actor_index(id))
                        .unwrap_or(UNKNOWN)
                })
                .collect(),
            Coding::Precision => values
                .map(|v| position(PRECISIONS.iter().position(|p| Some(p.as_str()) == v)))
                .collect(),
            Coding::Status => values
                .map(|v| position(STATUSES.iter().position(|s| Some(s.label()) == v)))
                .collect(),
        }
    }

    /// Puts a batch of shard `shard` (whose rows before it number `rows_before`) into the
    /// store, checked.
    fn read_batch(
        &mut self,
        batch: &RecordBatch,
        ids: IdChecks,
        shard: &'m Path,
        rows_before: u64,
    ) -> Result<(), LoadError> {
        self.rows_before = rows_before;
        let plain = plain_columns(batch)
            .ok_or_else(|| shard_error(shard, "its columns are not those of a Faultline table"))?;
        // Interned text, the empty text (interned first, as 0) where there is none.
        let text = |this: &mut Self, name| this.coded(batch, name, Coding::Text, 0, shard);
        let rows = batch.num_rows();
        let row_of = |i: usize| rows_before + i as u64 + 1;
        let fail = |i: usize, field: &str, why: String| {
            LoadError::invalid(
                shard,
                row_problem(shard, row_of(i), Some(field.to_string()), why),
            )
        };
        let mut events = EventBatch {
            ids: (0..rows)
                .map(|i| cell(plain.id, i).unwrap_or_default())
                .collect(),
            description: BatchTexts::Arrow(plain.description.clone()),
            event_type: text(self, "event_type")?,
            sub_event_type: text(self, "sub_event_type")?,
            place: text(self, "place")?,
            admin1: text(self, "admin1")?,
            admin2: text(self, "admin2")?,
            admin3: text(self, "admin3")?,
            country: text(self, "country")?,
            notable: (0..rows).map(|i| plain.notable.value(i)).collect(),
            ..EventBatch::default()
        };
        self.read_dates(batch, &plain, &mut events, shard, &fail)?;
        let status = self.coded(batch, "status", Coding::Status, NULL, shard)?;
        let labels = column_texts(batch, "status");
        for (i, &code) in status.iter().enumerate() {
            let Some(&kind) = STATUSES.get(code as usize) else {
                let label = labels(i).unwrap_or_default();
                return Err(fail(i, "status", format!("{label:?} is not a status")));
            };
            events.status.push(kind);
        }
        for (k, (column, name)) in plain.deaths.iter().zip(DEATH_COLUMNS).enumerate() {
            let mut counts = Vec::with_capacity(rows);
            for i in 0..rows {
                counts.push(if column.is_null(i) {
                    crate::store::NO_COUNT
                } else {
                    let n = column.value(i);
                    u32::try_from(n)
                        .map_err(|_| fail(i, name, format!("{n} is not a count of deaths")))?
                });
            }
            match k {
                0 => events.fatalities = counts,
                1 => events.fatalities_low = counts,
                _ => events.fatalities_high = counts,
            }
        }
        let coordinate =
            |c: &arrow_array::Float64Array, i: usize| (!c.is_null(i)).then(|| c.value(i));
        for i in 0..rows {
            let at = (
                coordinate(plain.latitude, i),
                coordinate(plain.longitude, i),
            );
            self.checker.coordinates(i, events.ids[i], at);
            events.latitude.push(at.0.unwrap_or(f64::NAN));
            events.longitude.push(at.1.unwrap_or(f64::NAN));
            self.checker.event_type(
                i,
                events.ids[i],
                self.store.strings.text(events.event_type[i]),
            );
        }
        self.read_actors(batch, &mut events, shard)?;
        self.read_attributes(batch, &mut events, shard)?;
        self.read_details(&plain, &mut events, &fail)?;
        self.note_findings(shard, rows_before);
        let base = self.store.len();
        self.store.append_batch(events);
        self.check_ids(base, ids);
        Ok(())
    }

    /// The dates of a batch: first and last day, and their precision, which must agree.
    fn read_dates(
        &mut self,
        batch: &RecordBatch,
        plain: &Plain<'_>,
        events: &mut EventBatch<'_>,
        shard: &Path,
        fail: &dyn Fn(usize, &str, String) -> LoadError,
    ) -> Result<(), LoadError> {
        let precision = self.coded(batch, "date_precision", Coding::Precision, NULL, shard)?;
        let names = column_texts(batch, "date_precision");
        let days_range = crate::store::day_number(chrono::NaiveDate::MIN)
            ..=crate::store::day_number(chrono::NaiveDate::MAX);
        for (i, &code) in precision.iter().enumerate() {
            let day = |column: &arrow_array::Date32Array, field: &str| {
                if column.is_null(i) {
                    return Err(fail(i, field, "no date".into()));
                }
                let days = column.value(i);
                date_of(days)
                    .map(|date| (days, date))
                    .ok_or_else(|| fail(i, field, format!("{days} is no date")))
            };
            let kind = PRECISIONS.get(code as usize);
            let (start, end) = (plain.start.value(i), plain.end.value(i));
            // The common case, a day's date, without the calendar.
            let one_day = kind == Some(&DatePrecision::Day)
                && start == end
                && plain.start.is_valid(i)
                && plain.end.is_valid(i)
                && days_range.contains(&start);
            if !one_day {
                let (_, first) = day(plain.start, "date_start")?;
                let (_, last) = day(plain.end, "date_end")?;
                let name = names(i).unwrap_or_default();
                span_of(first, last, name).map_err(|why| fail(i, "date_precision", why))?;
            }
            events.day_start.push(start);
            events.day_end.push(end);
            // A precision `span_of` accepted is one of the four.
            events
                .precision
                .push(kind.copied().unwrap_or(DatePrecision::Day));
        }
        Ok(())
    }

    /// Actors 1 and 2 by their index, unknown ids reported.
    fn read_actors(
        &mut self,
        batch: &RecordBatch,
        events: &mut EventBatch<'_>,
        shard: &Path,
    ) -> Result<(), LoadError> {
        for (name, field) in [("actor1_id", "actor1"), ("actor2_id", "actor2")] {
            let codes = self.coded(batch, name, Coding::Actor, NULL, shard)?;
            let ids = column_texts(batch, name);
            let mut indices = Vec::with_capacity(codes.len());
            for (i, &code) in codes.iter().enumerate() {
                if code == UNKNOWN {
                    let actor = ids(i).unwrap_or_default();
                    self.checker.actor(i, events.ids[i], field, actor);
                }
                indices.push(if code == NULL || code == UNKNOWN {
                    crate::store::NO_ACTOR
                } else {
                    code
                });
            }
            match field {
                "actor1" => events.actor1 = indices,
                _ => events.actor2 = indices,
            }
        }
        Ok(())
    }

    /// The attribute columns (`attr_…`), interned.
    fn read_attributes(
        &mut self,
        batch: &RecordBatch,
        events: &mut EventBatch<'_>,
        shard: &Path,
    ) -> Result<(), LoadError> {
        let schema = batch.schema();
        for field in schema.fields() {
            if let Some(name) = field.name().strip_prefix(ATTRIBUTE_PREFIX) {
                let codes = self.coded(batch, field.name(), Coding::Text, NO_VALUE, shard)?;
                events.attributes.push((name.to_string(), codes));
            }
        }
        Ok(())
    }

    /// The rows' details (associated actors, the status's actor, weapons, sources, and in
    /// older files the attributes), checked.
    fn read_details(
        &mut self,
        plain: &Plain<'_>,
        events: &mut EventBatch<'_>,
        fail: &dyn Fn(usize, &str, String) -> LoadError,
    ) -> Result<(), LoadError> {
        for i in 0..events.ids.len() {
            let text = cell(plain.details, i).unwrap_or_default();
            if text.is_empty() || text == "{}" {
                continue;
            }
            if let Some(known) = self.known_details.get(text) {
                events.details.push((i, known.row()));
                continue;
            }
            let details: Details = serde_json::from_str(text).map_err(|e| {
                fail(
                    i,
                    "details",
                    format!("not the JSON of an event's details: {e}"),
                )
            })?;
            let findings_before = self.checker.findings();
            let id = events.ids[i];
            self.checker.details(
                i,
                id,
                [&details.associated_actors_1, &details.associated_actors_2],
                details.status_by.as_deref(),
                &details.sources,
            );
            let store = &self.store;
            let indices = |list: &[String]| -> Vec<u32> {
                list.iter().filter_map(|a| store.actor_index(a)).collect()
            };
            let row = RowDetails {
                associated_1: indices(&details.associated_actors_1),
                associated_2: indices(&details.associated_actors_2),
                status_by: details
                    .status_by
                    .as_deref()
                    .and_then(|a| store.actor_index(a))
                    .unwrap_or(crate::store::NO_ACTOR),
                weapons: details.weapons,
                sources: details.sources,
            };
            let only_actors =
                row.weapons.is_empty() && row.sources.is_empty() && details.attributes.is_empty();
            if only_actors
                && self.checker.findings() == findings_before
                && self.known_details.len() < MAX_KNOWN_DETAILS
            {
                self.known_details
                    .insert(text.to_string(), KnownDetails::of(&row));
            }
            for (name, value) in &details.attributes {
                let value = self.store.intern_all([Some(value.as_str())])[0];
                events.attribute_mut(name)[i] = value;
            }
            events.details.push((i, row));
        }
        Ok(())
    }

    /// The checker's findings for the batch (rows counted from `rows_before`), as problems.
    fn note_findings(&mut self, shard: &Path, rows_before: u64) {
        let base = self.store.len();
        for (record, message) in self.checker.take() {
            let RecordRef { index, field, .. } = record;
            let row = rows_before + index as u64 + 1;
            let problem = row_problem(shard, row, field, message);
            self.problems.push((base + index, problem));
        }
    }

    /// Reports the empty and repeated ids of the batch appended at store row `base`, from
    /// what the decoding thread found (`checks`).
    fn check_ids(&mut self, base: usize, mut checks: IdChecks) {
        for &i in &checks.empty {
            let row = base + i as usize;
            let (shard, place) = self.place_of(row);
            let problem = row_problem(shard, place, Some("id".into()), "the id is empty".into());
            self.problems.push((row, problem));
        }
        // Rows counted from the load's first.
        let load_start = self.shard_starts.first().map_or(0, |&(start, _)| start);
        let batch_start = (base - load_start) as u32;
        for (_, row) in &mut checks.claims {
            *row += batch_start;
        }
        let mut hits = Vec::new();
        self.ids.claim_hashes(&checks.claims, |k, first| {
            hits.push((checks.claims[k].1, first));
        });
        for (load_row, first) in hits {
            let row = load_start + load_row as usize;
            let store = &self.store;
            let id = store.row(row).id();
            let id_of = |r: u32| store.row(load_start + r as usize).id();
            let Some(first) = self.ids.settle_hit(id, first, load_row, id_of) else {
                continue;
            };
            let (shard, place) = self.place_of(row);
            let (first_shard, first_place) = self.place_of(load_start + first as usize);
            let why = format!(
                "duplicate id {id:?} (first used by {})",
                row_place(first_shard, first_place)
            );
            let problem = row_problem(shard, place, Some("id".into()), why);
            self.problems.push((row, problem));
        }
    }
}

/// The text of row `i` of a coded column, for messages (`None` when null or unreadable).
fn column_texts<'b>(batch: &'b RecordBatch, name: &str) -> impl Fn(usize) -> Option<&'b str> {
    let column = batch
        .column_by_name(name)
        .and_then(|c| c.as_dictionary_opt::<Int32Type>());
    move |i| {
        let column = column?;
        if column.keys().is_null(i) {
            return None;
        }
        let texts = column.values().as_string_opt::<i32>()?;
        let k = usize::try_from(column.keys().value(i)).ok()?;
        (k < texts.len()).then(|| texts.value(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_footers_count_the_shards_rows_and_a_broken_or_missing_one_counts_nothing() {
        let store = Store::from_dataset(crate::seed::seed_dataset().unwrap());
        let rows: Vec<u32> = (0..store.len() as u32).collect();
        let bytes = bytes::Bytes::from(super::super::store_to_bytes(&store, &rows).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let on_disk = dir.path().join("a.parquet");
        std::fs::write(&on_disk, &bytes).unwrap();
        let shards = [
            Shard::File(on_disk),
            Shard::Memory("b.parquet".into(), bytes.clone()),
            Shard::Memory("cut.parquet".into(), bytes.slice(..bytes.len() - 3)),
            Shard::File(dir.path().join("missing.parquet")),
        ];
        assert!(!store.is_empty());
        assert_eq!(footer_rows(&shards), 2 * store.len() as u64);
    }

    fn coded_batch(keys: Vec<Option<i32>>, values: &[&str]) -> RecordBatch {
        let keys = arrow_array::Int32Array::from(keys);
        let values: ArrayRef = Arc::new(StringArray::from(values.to_vec()));
        let column = DictionaryArray::<Int32Type>::try_new(keys, values).unwrap();
        RecordBatch::try_from_iter([("place", Arc::new(column) as ArrayRef)]).unwrap()
    }

    #[test]
    fn coded_columns_read_their_nulls_and_values_alike_with_or_without_nulls() {
        let meta = Dataset::default();
        let mut reader = OwnReader::new(&meta);
        let shard = Path::new("a.parquet");
        let values = ["", "Kyiv", "Kharkiv"];
        let plain = coded_batch(vec![Some(1), Some(2), Some(0), Some(1)], &values);
        let codes = reader
            .coded(&plain, "place", Coding::Text, NULL, shard)
            .unwrap();
        let text = |reader: &OwnReader<'_>, c: u32| reader.store.strings.text(c).to_string();
        let names: Vec<String> = codes.iter().map(|&c| text(&reader, c)).collect();
        assert_eq!(names, ["Kyiv", "Kharkiv", "", "Kyiv"]);
        // Null rows take the code asked for, whatever key the array holds under them.
        let with_nulls = coded_batch(vec![Some(2), None, Some(1), None], &values);
        let codes = reader
            .coded(&with_nulls, "place", Coding::Text, 7, shard)
            .unwrap();
        assert_eq!(codes[1], 7);
        assert_eq!(codes[3], 7);
        assert_eq!(text(&reader, codes[0]), "Kharkiv");
        assert_eq!(text(&reader, codes[2]), "Kyiv");
    }

    #[test]
    fn a_key_under_a_null_row_is_not_read_even_past_the_dictionary() {
        let meta = Dataset::default();
        let mut reader = OwnReader::new(&meta);
        // Arrow checks only the keys of rows that have a value: 5 is past ["x", "y"].
        let keys = arrow_array::Int32Array::new(
            vec![0, 5, 1].into(),
            Some(vec![true, false, true].into()),
        );
        let values: ArrayRef = Arc::new(StringArray::from(vec!["x", "y"]));
        let column = DictionaryArray::<Int32Type>::try_new(keys, values).unwrap();
        let batch = RecordBatch::try_from_iter([("place", Arc::new(column) as ArrayRef)]).unwrap();
        let shard = Path::new("a.parquet");
        let codes = reader
            .coded(&batch, "place", Coding::Text, NULL, shard)
            .unwrap();
        let text = |c: u32| reader.store.strings.text(c).to_string();
        assert_eq!(codes[1], NULL);
        assert_eq!((text(codes[0]), text(codes[2])), ("x".into(), "y".into()));
    }

    #[test]
    fn a_key_past_the_dictionary_in_a_row_with_a_value_is_named_with_its_row() {
        let meta = Dataset::default();
        let shard = Path::new("a.parquet");
        let values: ArrayRef = Arc::new(StringArray::from(vec!["x", "y"]));
        // Arrow's checked constructor refuses such keys; a decoder that skips its checks
        // could still hand them over, so the reader checks them itself.
        let column = |keys: arrow_array::Int32Array| {
            // SAFETY: the array is only read through `coded`, which looks up no key it has
            // not checked against the dictionary's length.
            let column =
                unsafe { DictionaryArray::<Int32Type>::new_unchecked(keys, values.clone()) };
            RecordBatch::try_from_iter([("place", Arc::new(column) as ArrayRef)]).unwrap()
        };
        for (keys, valid, bad_row, bad_key) in [
            (vec![0, 7, 1], None, 2, 7),
            (
                vec![0, 9, 1, -3],
                Some(vec![true, false, true, true]),
                4,
                -3,
            ),
            (vec![9, 1, 2], Some(vec![false, true, true]), 3, 2),
        ] {
            let mut reader = OwnReader::new(&meta);
            let keys = arrow_array::Int32Array::new(keys.into(), valid.map(|v| v.into()));
            let error = reader
                .coded(&column(keys), "place", Coding::Text, NULL, shard)
                .unwrap_err()
                .to_string();
            let said =
                format!("its value is number {bad_key} of the column's dictionary, which has 2");
            assert!(error.contains(&said), "{error}");
            assert!(error.contains(&format!("row {bad_row}")), "{error}");
        }
    }
}
