//! Faultline's own Parquet table, read back a batch of columns at a time: whatever its row
//! groups (so whatever dictionaries the columns come in), in shards, or written before the
//! attributes had columns of their own, it reads as the events written; a repeated id or a
//! bad value is placed by shard and row.

mod common;

use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray as _;
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use faultline_core::io::{self, LoadError, OpenOptions, Problem};
use faultline_core::model::Dataset;
use faultline_core::store::Store;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;

fn reopen(bytes: &[u8], name: &str) -> Result<io::Opened, LoadError> {
    io::open_bytes(bytes, Path::new(name), &OpenOptions::default())
}

fn all_rows(store: &Store) -> Vec<u32> {
    (0..store.len() as u32).collect()
}

/// The events and actors of two datasets are the same.
fn assert_same_events(read: &Dataset, written: &Dataset) {
    assert_eq!(read.actors, written.actors);
    assert_eq!(read.events.len(), written.events.len());
    for (a, b) in read.events.iter().zip(&written.events) {
        assert_eq!(a, b);
    }
}

/// A Faultline table rewritten by the `parquet` crate: `change` applied to its columns, the
/// same metadata, row groups of `group_rows` rows, uncompressed.
fn rewrite(
    bytes: &[u8],
    group_rows: usize,
    change: impl FnOnce(&mut Vec<(Field, ArrayRef)>),
) -> Vec<u8> {
    rewrite_with(bytes, group_rows, Compression::UNCOMPRESSED, true, change)
}

/// [`rewrite`], compressed with `codec`, the key-value metadata kept or not (as DuckDB,
/// polars and Spark do not when they rewrite a file).
fn rewrite_with(
    bytes: &[u8],
    group_rows: usize,
    codec: Compression,
    keep_metadata: bool,
    change: impl FnOnce(&mut Vec<(Field, ArrayRef)>),
) -> Vec<u8> {
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::copy_from_slice(bytes)).unwrap();
    let metadata = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .cloned();
    let schema = reader.schema().clone();
    // One batch of every row (a batch can span row groups).
    let batches: Vec<RecordBatch> = reader
        .with_batch_size(1 << 20)
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(batches.len(), 1);
    let whole = &batches[0];
    let mut columns: Vec<(Field, ArrayRef)> = schema
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .zip(whole.columns().iter().cloned())
        .collect();
    change(&mut columns);
    let schema = Arc::new(Schema::new(
        columns.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(
        schema.clone(),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap();
    let properties = parquet::file::properties::WriterProperties::builder()
        .set_key_value_metadata(metadata.filter(|_| keep_metadata))
        .set_max_row_group_row_count(Some(group_rows))
        .set_compression(codec)
        .build();
    let mut out = Vec::new();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(&mut out, schema, Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    out
}

/// Column `name` of `columns`.
fn column<'c>(columns: &'c mut [(Field, ArrayRef)], name: &str) -> &'c mut ArrayRef {
    &mut columns
        .iter_mut()
        .find(|(f, _)| f.name() == name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .1
}

/// A value put into one row of a column.
enum Value {
    Text(&'static str),
    Number(f64),
    Count(i64),
}

/// `array` with row `row` (from 0) set to `value`.
fn with_value(array: &ArrayRef, row: usize, value: &Value) -> ArrayRef {
    match value {
        Value::Text(text) => {
            let column = array.as_string::<i32>();
            let mut values: Vec<Option<&str>> = column.iter().collect();
            values[row] = Some(text);
            Arc::new(StringArray::from(values))
        }
        Value::Number(x) => {
            let column = array.as_primitive::<arrow_array::types::Float64Type>();
            let mut values: Vec<Option<f64>> = column.iter().collect();
            values[row] = Some(*x);
            Arc::new(Float64Array::from(values))
        }
        Value::Count(n) => {
            let column = array.as_primitive::<arrow_array::types::Int64Type>();
            let mut values: Vec<Option<i64>> = column.iter().collect();
            values[row] = Some(*n);
            Arc::new(Int64Array::from(values))
        }
    }
}

/// The problems of a load that failed on them.
fn problems(result: Result<io::Opened, LoadError>) -> Vec<Problem> {
    match result {
        Err(LoadError::Invalid { problems, .. }) => problems,
        Err(other) => panic!("not a located problem: {other}"),
        Ok(_) => panic!("the bad table read"),
    }
}

#[test]
fn any_row_groups_and_a_file_from_before_attribute_columns_read_as_written() {
    // More rows than a batch read (16,384), so later batches reuse a dictionary or meet a
    // new one.
    let store = common::many_events(40_000);
    let written = store.to_dataset();
    let bytes = io::parquet::store_to_bytes(&store, &all_rows(&store)).unwrap();
    let read = reopen(&bytes, "events.parquet").unwrap();
    assert_eq!(read.format, io::Format::Faultline);
    assert_same_events(&read.store.to_dataset(), &written);

    // Row groups of 997 rows: each column chunk has a dictionary of its own, and a batch
    // spans many of them.
    let regrouped = rewrite(&bytes, 997, |_| {});
    assert_same_events(
        &reopen(&regrouped, "events.parquet")
            .unwrap()
            .store
            .to_dataset(),
        &written,
    );

    // Before attributes had columns, they were in the details' JSON.
    let older = rewrite(&bytes, 4096, |columns| {
        let attributes: Vec<(String, ArrayRef)> = columns
            .iter()
            .filter_map(|(f, a)| {
                let name = f.name().strip_prefix(io::parquet::ATTRIBUTE_PREFIX)?;
                Some((name.to_string(), a.clone()))
            })
            .collect();
        assert!(
            attributes.len() >= 2,
            "{} attribute columns",
            attributes.len()
        );
        columns.retain(|(f, _)| !f.name().starts_with(io::parquet::ATTRIBUTE_PREFIX));
        let details = column(columns, "details");
        let old: Vec<Option<String>> = details
            .as_string::<i32>()
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let mut object: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(text.unwrap_or("{}")).unwrap();
                let fields: serde_json::Map<String, serde_json::Value> = attributes
                    .iter()
                    .filter(|(_, a)| !a.is_null(i))
                    .map(|(name, a)| (name.clone(), a.as_string::<i32>().value(i).into()))
                    .collect();
                object.insert("attributes".into(), fields.into());
                Some(serde_json::Value::Object(object).to_string())
            })
            .collect();
        *details = Arc::new(StringArray::from(old));
    });
    assert_same_events(
        &reopen(&older, "events.parquet").unwrap().store.to_dataset(),
        &written,
    );
}

#[test]
fn the_table_is_written_with_lz4_and_reads_back_whatever_codec_it_was_given_since() {
    let store = common::many_events(20_000);
    let written = store.to_dataset();
    let bytes = io::parquet::store_to_bytes(&store, &all_rows(&store)).unwrap();
    // Every column chunk LZ4_RAW (the standard LZ4 of Parquet): the quickest to reopen.
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::copy_from_slice(&bytes)).unwrap();
    let codecs: Vec<Compression> = reader
        .metadata()
        .row_groups()
        .iter()
        .flat_map(|group| group.columns().iter().map(|c| c.compression()))
        .collect();
    assert!(!codecs.is_empty());
    assert!(
        codecs.iter().all(|&c| c == Compression::LZ4_RAW),
        "{codecs:?}"
    );
    // Files written before (zstd), or re-encoded by another tool, read as written.
    for codec in [
        Compression::ZSTD(Default::default()),
        Compression::SNAPPY,
        Compression::GZIP(Default::default()),
        Compression::UNCOMPRESSED,
    ] {
        let recoded = rewrite_with(&bytes, 4096, codec, true, |_| {});
        let read = reopen(&recoded, "events.parquet").unwrap();
        assert_eq!(read.format, io::Format::Faultline, "{codec:?}");
        assert_same_events(&read.store.to_dataset(), &written);
    }
}

#[test]
fn a_faultline_table_whose_metadata_a_tool_dropped_reads_as_its_events() {
    // The seed (statuses, sources with quotes, associated actors) and many ACLED events.
    let seed = Store::from_dataset(faultline_core::seed::seed_dataset().unwrap());
    // What the two hold between them: quoted sources, statuses' actors, associated actors.
    let (mut quotes, mut statuses, mut associates) = (0, 0, 0);
    for store in [seed, common::many_events(20_000)] {
        let written = store.to_dataset();
        let bytes = io::parquet::store_to_bytes(&store, &all_rows(&store)).unwrap();
        let bare = rewrite_with(&bytes, 4096, Compression::SNAPPY, false, |_| {});
        let opened = reopen(&bare, "filtered.parquet").unwrap();
        assert_eq!(opened.format, io::Format::Faultline);
        assert!(
            opened
                .notes
                .iter()
                .any(|n| n.contains("without its faultline.dataset metadata")),
            "{:?}",
            opened.notes
        );
        let read = opened.store.to_dataset();
        assert_eq!(read.title, "filtered");
        assert_eq!(read.events.len(), written.events.len());
        for (a, b) in read.events.iter().zip(&written.events) {
            assert_eq!(a, b);
        }
        // The actors the events name, by id, with the name the actor columns give them.
        let mut named = std::collections::BTreeMap::new();
        for e in &written.events {
            let listed = [&e.actor1, &e.actor2].into_iter().flatten();
            for id in listed {
                let actor = written.actors.iter().find(|a| &a.id == id).unwrap();
                named.insert(id.clone(), actor.name.clone());
            }
            let associated = e.associated_actors_1.iter().chain(&e.associated_actors_2);
            for id in associated.chain(&e.status.by) {
                named.entry(id.clone()).or_insert_with(|| id.clone());
            }
        }
        let got: std::collections::BTreeMap<String, String> = read
            .actors
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect();
        assert_eq!(got, named);
        assert!(read
            .actors
            .iter()
            .all(|a| a.kind == faultline_core::model::ActorKind::Unknown));
        // The sources the events quote, known by their ids.
        let quoted: std::collections::BTreeSet<&str> = written
            .events
            .iter()
            .flat_map(|e| e.sources.iter().map(|s| s.source.as_str()))
            .collect();
        let known: std::collections::BTreeSet<&str> =
            read.sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(known, quoted);
        quotes += quoted.len();
        statuses += written
            .events
            .iter()
            .filter(|e| e.status.by.is_some())
            .count();
        associates += written
            .events
            .iter()
            .filter(|e| !e.associated_actors_1.is_empty())
            .count();
    }
    assert!(quotes > 0 && statuses > 0 && associates > 0);
}

#[test]
fn shards_of_a_faultline_table_read_as_one_and_a_repeated_id_is_placed() {
    let store = common::many_events(3_000);
    let dir = tempfile::tempdir().unwrap();
    let rows = all_rows(&store);
    for (name, part) in [("a", &rows[..1_000]), ("b", &rows[1_000..])] {
        let bytes = io::parquet::store_to_bytes(&store, part).unwrap();
        std::fs::write(dir.path().join(format!("{name}.parquet")), bytes).unwrap();
    }
    let read = io::open(dir.path(), &OpenOptions::default()).unwrap();
    assert_same_events(&read.store.to_dataset(), &store.to_dataset());
    assert!(read
        .notes
        .iter()
        .any(|n| n == "read 2 Parquet shards as one dataset"));

    // A third shard repeats the event of a.parquet's sixth row.
    let again = io::parquet::store_to_bytes(&store, &[5]).unwrap();
    std::fs::write(dir.path().join("c.parquet"), again).unwrap();
    let found = problems(io::open(dir.path(), &OpenOptions::default()));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].place.record.as_deref(), Some("c.parquet, row 1"));
    assert_eq!(found[0].place.field.as_deref(), Some("id"));
    assert_eq!(
        found[0].message,
        format!(
            "duplicate id {:?} (first used by a.parquet, row 6)",
            store.row(5).id()
        )
    );
}

#[test]
fn a_bad_value_in_a_faultline_table_is_placed_by_row() {
    let store = common::many_events(50);
    let bytes = io::parquet::store_to_bytes(&store, &all_rows(&store)).unwrap();
    for (name, row, value, field, words) in [
        (
            "status",
            2,
            Value::Text("rumoured"),
            "status",
            "\"rumoured\" is not a status",
        ),
        (
            "date_precision",
            3,
            Value::Text("month"),
            "date_precision",
            "are not one month",
        ),
        (
            "actor1_id",
            1,
            Value::Text("nobody"),
            "actor1",
            "unknown actor \"nobody\"",
        ),
        (
            "latitude",
            4,
            Value::Number(91.0),
            "location.latitude",
            "latitude 91 is outside",
        ),
        (
            "fatalities",
            5,
            Value::Count(-1),
            "fatalities",
            "-1 is not a count of deaths",
        ),
        (
            "details",
            6,
            Value::Text("{not json"),
            "details",
            "not the JSON of an event's details",
        ),
        ("id", 7, Value::Text(" "), "id", "the id is empty"),
    ] {
        let bad = rewrite(&bytes, 20, |columns| {
            let changed = with_value(column(columns, name), row, &value);
            *column(columns, name) = changed;
        });
        let found = problems(reopen(&bad, "events.parquet"));
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        let place = format!("events.parquet, row {}", row + 1);
        assert_eq!(
            found[0].place.record.as_deref(),
            Some(place.as_str()),
            "{name}"
        );
        assert_eq!(found[0].place.field.as_deref(), Some(field), "{name}");
        assert!(
            found[0].message.contains(words),
            "{name}: {}",
            found[0].message
        );
    }
}

#[test]
fn problems_in_a_faultline_table_are_reported_in_row_order() {
    let store = common::many_events(50);
    let bytes = io::parquet::store_to_bytes(&store, &all_rows(&store)).unwrap();
    // The coordinates are checked before the actors, row after row; the report still reads
    // top to bottom.
    let bad = rewrite(&bytes, 50, |columns| {
        let latitude = with_value(column(columns, "latitude"), 8, &Value::Number(-95.0));
        *column(columns, "latitude") = latitude;
        let actor = with_value(column(columns, "actor2_id"), 4, &Value::Text("nobody"));
        *column(columns, "actor2_id") = actor;
    });
    let found = problems(reopen(&bad, "events.parquet"));
    let rows: Vec<Option<&str>> = found.iter().map(|p| p.place.record.as_deref()).collect();
    assert_eq!(
        rows,
        [Some("events.parquet, row 5"), Some("events.parquet, row 9")],
        "{found:?}"
    );
}

#[test]
fn details_repeated_from_row_to_row_read_and_are_checked_on_every_row() {
    let store = common::many_events(50);
    let written = store.to_dataset();
    let (known, other) = (&written.actors[0].id, &written.actors[1].id);
    let known_details = format!(r#"{{"associated_actors_1":[{known:?}],"status_by":{other:?}}}"#);
    let unknown_details = r#"{"associated_actors_2":["nobody"]}"#;
    let details = |row: usize| -> &str {
        match row {
            3 | 17 | 40 => unknown_details,
            _ if row.is_multiple_of(2) => &known_details,
            _ => "{}",
        }
    };
    // Row groups of 7 rows: the same text comes again within a batch and across batches.
    let with_details = |columns: &mut Vec<(Field, ArrayRef)>, rows: usize| {
        let texts: Vec<&str> = (0..rows).map(details).collect();
        *column(columns, "details") = Arc::new(StringArray::from(texts));
    };
    let bytes = io::parquet::store_to_bytes(&store, &all_rows(&store)).unwrap();
    let bad = rewrite(&bytes, 7, |columns| with_details(columns, 50));
    // The unknown actor is reported on each of its rows, though the text is the same.
    let found = problems(reopen(&bad, "events.parquet"));
    let rows: Vec<Option<&str>> = found.iter().map(|p| p.place.record.as_deref()).collect();
    assert_eq!(
        rows,
        [
            Some("events.parquet, row 4"),
            Some("events.parquet, row 18"),
            Some("events.parquet, row 41")
        ],
        "{found:?}"
    );
    assert!(found
        .iter()
        .all(|p| p.message.contains("unknown actor \"nobody\"")));
    // Without them, every row with the repeated text has its actors.
    let good = rewrite(&bytes, 7, |columns| {
        with_details(columns, 50);
        let fixed: Vec<&str> = (0..50)
            .map(|row| match details(row) {
                text if text == unknown_details => "{}",
                text => text,
            })
            .collect();
        *column(columns, "details") = Arc::new(StringArray::from(fixed));
    });
    let read = reopen(&good, "events.parquet").unwrap().store.to_dataset();
    for (row, event) in read.events.iter().enumerate() {
        let has = row.is_multiple_of(2) && ![3, 17, 40].contains(&row);
        let expected: Vec<&str> = if has { vec![known.as_str()] } else { vec![] };
        assert_eq!(event.associated_actors_1, expected, "row {row}");
        let by = event.status.by.as_deref();
        assert_eq!(by, has.then_some(other.as_str()), "row {row}");
    }
}

#[test]
fn row_groups_decoded_on_two_threads_read_in_order_and_their_problems_are_placed() {
    // Groups of 7 rows: the two decoding threads take every other group, and the store's
    // thread reads them in turn.
    let store = common::many_events(200);
    let bytes = io::parquet::store_to_bytes(&store, &all_rows(&store)).unwrap();
    let grouped = rewrite_with(&bytes, 7, Compression::LZ4_RAW, true, |_| {});
    let read = reopen(&grouped, "events.parquet").unwrap();
    assert_same_events(&read.store.to_dataset(), &store.to_dataset());

    // Ids repeated within one thread's groups (rows 10 and 151: groups 1 and 21) and across
    // the two threads' (rows 3 and 162: groups 0 and 23); bad latitudes in a group of each
    // thread (rows 70 and 120: groups 10 and 17).
    let bad = rewrite(&bytes, 7, |columns| {
        for (row, id) in [
            (10, "twice-a"),
            (151, "twice-a"),
            (3, "twice-b"),
            (162, "twice-b"),
        ] {
            let changed = with_value(column(columns, "id"), row, &Value::Text(id));
            *column(columns, "id") = changed;
        }
        for (row, latitude) in [(70, -95.0), (120, 95.0)] {
            let changed = with_value(column(columns, "latitude"), row, &Value::Number(latitude));
            *column(columns, "latitude") = changed;
        }
    });
    let found = problems(reopen(&bad, "events.parquet"));
    let placed: Vec<(Option<&str>, &str)> = found
        .iter()
        .map(|p| (p.place.record.as_deref(), p.message.as_str()))
        .collect();
    assert_eq!(placed.len(), 4, "{placed:?}");
    let rows: Vec<Option<&str>> = placed.iter().map(|(row, _)| *row).collect();
    assert_eq!(
        rows,
        [
            Some("events.parquet, row 71"),
            Some("events.parquet, row 121"),
            Some("events.parquet, row 152"),
            Some("events.parquet, row 163"),
        ]
    );
    assert_eq!(
        placed[2].1,
        "duplicate id \"twice-a\" (first used by events.parquet, row 11)"
    );
    assert_eq!(
        placed[3].1,
        "duplicate id \"twice-b\" (first used by events.parquet, row 4)"
    );
}

#[test]
fn a_shard_broken_in_a_later_row_group_is_named_and_nothing_is_kept() {
    let store = common::many_events(300);
    let rows = all_rows(&store);
    let dir = tempfile::tempdir().unwrap();
    for (name, part) in [
        ("a", &rows[..100]),
        ("b", &rows[100..200]),
        ("c", &rows[200..]),
    ] {
        let bytes = io::parquet::store_to_bytes(&store, part).unwrap();
        let grouped = rewrite_with(&bytes, 9, Compression::LZ4_RAW, true, |_| {});
        std::fs::write(dir.path().join(format!("{name}.parquet")), grouped).unwrap();
    }
    let read = io::open(dir.path(), &OpenOptions::default()).unwrap();
    assert_same_events(&read.store.to_dataset(), &store.to_dataset());

    // Bytes of b.parquet's column chunks zeroed past its middle (its footer, at the end, still
    // reads): a later row group no longer decodes.
    let broken = dir.path().join("b.parquet");
    let mut bytes = std::fs::read(&broken).unwrap();
    let middle = bytes.len() * 3 / 5;
    bytes[middle..middle + 256].fill(0);
    std::fs::write(&broken, &bytes).unwrap();
    let error = io::open(dir.path(), &OpenOptions::default())
        .map(|opened| opened.store.len())
        .unwrap_err()
        .to_string();
    assert!(error.contains("b.parquet"), "{error}");
    // Cut short: its footer gone.
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
    let error = io::open(dir.path(), &OpenOptions::default())
        .map(|opened| opened.store.len())
        .unwrap_err()
        .to_string();
    assert!(error.contains("b.parquet"), "{error}");
}
