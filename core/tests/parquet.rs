//! Parquet in and out: Faultline's own table round-trips a real file exactly; tables written
//! by the `parquet` crate directly, as other tools write them (dictionary-encoded and plain
//! strings, Timestamp dates, YYYYMMDD integers, doubles, nulls), read as the same file's CSV
//! or TSV does; a folder of shards reads as one dataset; a bad shard or a bad row is named.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder, StringDictionaryBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch, TimestampMicrosecondArray};
use arrow_schema::{Field, Schema};
use chrono::NaiveDate;
use faultline_core::io::{self, LoadError, OpenOptions};
use faultline_core::model::Dataset;

fn open(path: &Path) -> Result<io::Opened, LoadError> {
    io::open(path, &OpenOptions::default())
}

fn dataset(path: &Path) -> Dataset {
    open(path).unwrap().store.to_dataset()
}

/// The data of two imports of the same records from files of different names: the same
/// events and actors (the title and the import source name the file).
fn assert_same_data(a: &Dataset, b: &Dataset) {
    assert_eq!(a.actors, b.actors);
    assert_eq!(a.events.len(), b.events.len());
    for (x, y) in a.events.iter().zip(&b.events) {
        assert_eq!(x, y);
    }
    assert_eq!(a.relations, b.relations);
    assert_eq!(a.series, b.series);
}

/// The schema of a table of `columns`, every column nullable.
fn schema_of(columns: &[(&str, ArrayRef)]) -> Schema {
    Schema::new(
        columns
            .iter()
            .map(|(name, array)| Field::new(*name, array.data_type().clone(), true))
            .collect::<Vec<_>>(),
    )
}

/// Writes `columns` as a Parquet file, in batches of `batch` rows.
fn write_table(path: &Path, columns: Vec<(&str, ArrayRef)>) {
    let schema = Arc::new(schema_of(&columns));
    let batch = RecordBatch::try_new(
        schema.clone(),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap();
    // Several batches and row groups, as real writers make them.
    let mut at = 0;
    while at < batch.num_rows() {
        let len = 700.min(batch.num_rows() - at);
        writer.write(&batch.slice(at, len)).unwrap();
        writer.flush().unwrap();
        at += len;
    }
    writer.close().unwrap();
}

/// A CSV file's header and rows.
fn csv_rows(path: &Path, delimiter: u8, header: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(header)
        .flexible(true)
        .quoting(delimiter != b'\t')
        .from_path(path)
        .unwrap();
    let names = if header {
        reader.headers().unwrap().iter().map(String::from).collect()
    } else {
        Vec::new()
    };
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (names, rows)
}

fn text_column(rows: &[Vec<String>], k: usize) -> ArrayRef {
    let mut b = StringBuilder::new();
    for row in rows {
        match row.get(k).map(String::as_str) {
            None | Some("") => b.append_null(),
            Some(v) => b.append_value(v),
        }
    }
    Arc::new(b.finish())
}

fn dictionary_column(rows: &[Vec<String>], k: usize) -> ArrayRef {
    let mut b = StringDictionaryBuilder::<Int32Type>::new();
    for row in rows {
        match row.get(k).map(String::as_str) {
            None | Some("") => b.append_null(),
            Some(v) => {
                b.append(v).unwrap();
            }
        }
    }
    Arc::new(b.finish())
}

fn int_column(rows: &[Vec<String>], k: usize) -> ArrayRef {
    let mut b = Int64Builder::new();
    for row in rows {
        b.append_option(row.get(k).and_then(|v| v.parse().ok()));
    }
    Arc::new(b.finish())
}

fn float_column(rows: &[Vec<String>], k: usize) -> ArrayRef {
    let mut b = Float64Builder::new();
    for row in rows {
        b.append_option(row.get(k).and_then(|v| v.parse().ok()));
    }
    Arc::new(b.finish())
}

/// ACLED's `event_date` ("21 March 2020") as BigQuery writes a TIMESTAMP: microseconds,
/// adjusted to UTC, at midnight.
fn timestamp_column(rows: &[Vec<String>], k: usize) -> ArrayRef {
    let micros: Vec<Option<i64>> = rows
        .iter()
        .map(|row| {
            let date = NaiveDate::parse_from_str(&row[k], "%d %B %Y").ok()?;
            Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros())
        })
        .collect();
    assert!(micros.iter().all(Option::is_some), "every date parses");
    Arc::new(TimestampMicrosecondArray::from(micros).with_timezone("UTC"))
}

/// ACLED's `event_date` as polars and pandas write a date in a time zone: the instant of
/// midnight there, `east` minutes east of UTC (a zone with no daylight saving time), so that
/// in UTC it is the evening of the day before.
fn zoned_timestamp_column(rows: &[Vec<String>], k: usize, zone: &str, east: i64) -> ArrayRef {
    let micros: Vec<Option<i64>> = rows
        .iter()
        .map(|row| {
            let date = NaiveDate::parse_from_str(&row[k], "%d %B %Y").ok()?;
            let midnight = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros();
            Some(midnight - east * 60 * 1_000_000)
        })
        .collect();
    Arc::new(TimestampMicrosecondArray::from(micros).with_timezone(zone))
}

/// An ACLED export's rows as another tool writes them: dates as timestamps, counts as
/// integers, coordinates as doubles, some text dictionary-encoded, empty cells null.
fn acled_columns<'n>(names: &'n [String], rows: &[Vec<String>]) -> Vec<(&'n str, ArrayRef)> {
    names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let column = match name.as_str() {
                "event_date" => timestamp_column(rows, k),
                "fatalities" | "year" | "timestamp" | "data_id" | "iso" | "event_id_no_cnty"
                | "time_precision" | "inter1" | "inter2" | "interaction" | "geo_precision" => {
                    int_column(rows, k)
                }
                "latitude" | "longitude" => float_column(rows, k),
                "event_type" | "sub_event_type" | "country" | "region" | "admin1" => {
                    dictionary_column(rows, k)
                }
                _ => text_column(rows, k),
            };
            (name.as_str(), column)
        })
        .collect()
}

const ACLED: &str = "acled_afghanistan_2020_quoted_dmy.csv";

#[test]
fn a_real_file_round_trips_through_faultlines_parquet() {
    for name in [
        ACLED,
        "ucdp_ged231_car.geojson",
        "acled_mideast_2020_dmy.csv",
    ] {
        let Some(path) = common::shared_data("a_real_file_round_trips_through_parquet", name)
        else {
            continue;
        };
        let from_source = dataset(&path);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("events.parquet");
        io::parquet::save(&out, &from_source).unwrap();
        let opened = open(&out).unwrap();
        assert_eq!(opened.format, io::Format::Faultline);
        assert_eq!(opened.store.to_dataset(), from_source, "{name}");
    }
}

/// Written a batch at a time from the store (as `convert` and the export do), the file is
/// byte for byte the one written from the whole dataset as records, for every event or a
/// chosen few; and it reopens as those events.
#[test]
fn the_store_writes_the_same_parquet_as_the_records() {
    // 10,000 events (more than one batch of 8,192), with actors, places, deaths and notes.
    let store = common::many_events(10_000);
    let all: Vec<u32> = (0..store.len() as u32).collect();
    let every_third: Vec<u32> = all.iter().copied().filter(|r| r % 3 == 0).collect();
    assert!(all.len() > 8192, "more than one batch: {}", all.len());
    for rows in [&all, &every_third] {
        let from_store = io::parquet::store_to_bytes(&store, rows).unwrap();
        let records = faultline_core::export::events::events_dataset(&store, rows);
        assert!(
            from_store == io::parquet::to_bytes(&records).unwrap(),
            "{} rows",
            rows.len()
        );
        let reopened = io::open_bytes(
            &from_store,
            Path::new("events.parquet"),
            &OpenOptions::default(),
        )
        .unwrap()
        .store;
        assert_eq!(reopened.to_dataset().events, records.events);
    }
}

#[test]
fn a_table_written_by_another_tool_reads_as_its_csv_does() {
    let Some(path) = common::shared_data("a_table_written_by_another_tool", ACLED) else {
        return;
    };
    let (names, rows) = csv_rows(&path, b',', true);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("acled.parquet");
    write_table(&out, acled_columns(&names, &rows));
    let opened = open(&out).unwrap();
    assert_eq!(opened.format, io::Format::Acled);
    assert_eq!(opened.store.len(), rows.len());
    assert_same_data(&opened.store.to_dataset(), &dataset(&path));
}

/// Dates kept as instants in a time zone (polars' `Datetime(time_zone="Asia/Kabul")`, a
/// pandas column of local times) are that zone's days, in Parquet and in Arrow IPC alike: the
/// zone is in the Arrow schema beside the Parquet types, which say only "adjusted to UTC".
#[test]
fn timestamps_in_a_time_zone_are_that_zones_days() {
    let Some(path) = common::shared_data("timestamps_in_a_time_zone", ACLED) else {
        return;
    };
    let (names, rows) = csv_rows(&path, b',', true);
    let k = names.iter().position(|n| n == "event_date").unwrap();
    let from_csv = dataset(&path);
    let dir = tempfile::tempdir().unwrap();
    // Kabul is 4 h 30 east of UTC all year: each of its midnights is the day before in UTC.
    for zone in ["Asia/Kabul", "+04:30"] {
        let mut columns = acled_columns(&names, &rows);
        columns[k].1 = zoned_timestamp_column(&rows, k, zone, 270);
        let parquet = dir.path().join("zoned.parquet");
        write_table(&parquet, columns.clone());
        let feather = dir.path().join("zoned.feather");
        write_ipc(&feather, columns, false);
        for file in [&parquet, &feather] {
            let opened = open(file).unwrap();
            assert_eq!(opened.store.len(), rows.len(), "{zone}");
            assert_same_data(&opened.store.to_dataset(), &from_csv);
        }
    }

    // A zone no database knows: its days cannot be told, so the file is refused, naming the
    // file, the column and the zone.
    let mut columns = acled_columns(&names, &rows);
    columns[k].1 = zoned_timestamp_column(&rows, k, "Mars/Olympus_Mons", 0);
    let parquet = dir.path().join("mars.parquet");
    write_table(&parquet, columns.clone());
    let feather = dir.path().join("mars.feather");
    write_ipc(&feather, columns, false);
    for file in [&parquet, &feather] {
        let error = open(file).unwrap_err().to_string();
        for named in [
            file.file_name().unwrap().to_str().unwrap(),
            "event_date",
            "\"Mars/Olympus_Mons\"",
        ] {
            assert!(error.contains(named), "{named} not in: {error}");
        }
    }
}

/// An Arrow schema beside the Parquet types that does not fit them (a writer's bug, or a
/// hostile file) is passed over: the columns are read as their Parquet types say.
#[test]
fn an_arrow_schema_that_does_not_fit_the_parquet_types_is_passed_over() {
    let Some(path) = common::shared_data("an_arrow_schema_that_does_not_fit", ACLED) else {
        return;
    };
    let (names, rows) = csv_rows(&path, b',', true);
    let columns = acled_columns(&names, &rows);
    let schema = schema_of(&columns);
    // The Arrow schema claims every column is a list of booleans, and one more column.
    let claimed = Schema::new(
        names
            .iter()
            .chain([&"more".to_string()])
            .map(|name| {
                let item = Field::new("item", arrow_schema::DataType::Boolean, true);
                Field::new(name, arrow_schema::DataType::List(Arc::new(item)), true)
            })
            .collect::<Vec<_>>(),
    );
    let properties = parquet::file::properties::WriterProperties::builder()
        .set_key_value_metadata(Some(vec![parquet::file::metadata::KeyValue::new(
            "ARROW:schema".to_string(),
            parquet::arrow::encode_arrow_schema(&claimed),
        )]))
        .build();
    let batch = RecordBatch::try_new(
        Arc::new(schema.clone()),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("claims.parquet");
    let options = parquet::arrow::arrow_writer::ArrowWriterOptions::new()
        .with_properties(properties)
        .with_skip_arrow_metadata(true);
    let file = std::fs::File::create(&out).unwrap();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new_with_options(file, Arc::new(schema), options).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let opened = open(&out).unwrap();
    assert_eq!(opened.store.len(), rows.len());
    assert_same_data(&opened.store.to_dataset(), &dataset(&path));
}

#[test]
fn gdelt_with_yyyymmdd_integers_reads_as_its_tsv_does() {
    let (Some(names_path), Some(tsv)) = (
        common::shared_data("gdelt_parquet", "gdelt1_events_column_names.csv"),
        common::shared_data("gdelt_parquet", "gdelt1_events_20160728_sample.tsv"),
    ) else {
        return;
    };
    let names: Vec<String> = std::fs::read_to_string(&names_path)
        .unwrap()
        .trim()
        .split('\t')
        .map(|n| n.to_ascii_uppercase())
        .collect();
    assert_eq!(names.len(), 58);
    let (_, rows) = csv_rows(&tsv, b'\t', false);
    let columns: Vec<(&str, ArrayRef)> = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let column = match name.as_str() {
                // SQLDATE as BigQuery has it: an integer YYYYMMDD.
                "GLOBALEVENTID" | "DAY" | "MONTHYEAR" | "YEAR" | "DATEADDED" => {
                    int_column(&rows, k)
                }
                _ => text_column(&rows, k),
            };
            (name.as_str(), column)
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gdelt.parquet");
    write_table(&out, columns);
    let opened = open(&out).unwrap();
    assert_eq!(opened.format, io::Format::Gdelt);
    assert_same_data(&opened.store.to_dataset(), &dataset(&tsv));
}

/// The rows of the ACLED file as shards `a.parquet`, `b.parquet`, `c.parquet` in `dir`.
fn shard_folder(dir: &Path) -> Option<(PathBuf, usize)> {
    let path = common::shared_data("a_folder_of_shards", ACLED)?;
    let (names, rows) = csv_rows(&path, b',', true);
    let third = rows.len() / 3;
    for (name, part) in [
        ("a", &rows[..third]),
        ("b", &rows[third..2 * third]),
        ("c", &rows[2 * third..]),
    ] {
        write_table(
            &dir.join(format!("{name}.parquet")),
            acled_columns(&names, part),
        );
    }
    Some((path, third))
}

#[test]
fn a_folder_of_shards_is_one_dataset_and_a_bad_shard_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let Some((csv, _)) = shard_folder(dir.path()) else {
        return;
    };
    // Not a shard: another kind of file beside them is left alone.
    std::fs::write(dir.path().join("README.txt"), "shards of ACLED").unwrap();
    let opened = open(dir.path()).unwrap();
    assert_same_data(&opened.store.to_dataset(), &dataset(&csv));
    assert!(
        opened
            .notes
            .iter()
            .any(|n| n == "read 3 Parquet shards as one dataset"),
        "{:?}",
        opened.notes
    );

    // A shard that is no Parquet: the load fails and names it.
    std::fs::write(dir.path().join("d.parquet"), b"PAR1 but nothing more").unwrap();
    let error = open(dir.path()).unwrap_err().to_string();
    assert!(error.contains("d.parquet"), "{error}");
    std::fs::remove_file(dir.path().join("d.parquet")).unwrap();

    // A shard with other columns.
    write_table(
        &dir.path().join("d.parquet"),
        vec![("something", text_column(&[vec!["x".into()]], 0))],
    );
    let error = open(dir.path()).unwrap_err().to_string();
    assert!(error.contains("d.parquet"), "{error}");
    assert!(error.contains("columns differ"), "{error}");

    // An empty folder says what it wanted.
    let empty = tempfile::tempdir().unwrap();
    let error = open(empty.path()).unwrap_err().to_string();
    assert!(error.contains("no .parquet files"), "{error}");
}

/// A dataset read in partition order, not the file's: its events and actors in id order.
fn sorted_by_id(mut dataset: Dataset) -> Dataset {
    dataset.events.sort_by(|a, b| a.id.cmp(&b.id));
    dataset.actors.sort_by(|a, b| a.id.cmp(&b.id));
    dataset
}

/// Asserts that the load says the `columns` came from the shards' folders.
fn assert_noted_from_folders(opened: &io::Opened, columns: &str) {
    assert!(
        opened
            .notes
            .iter()
            .any(|n| n.contains(columns) && n.contains("folders")),
        "{:?}",
        opened.notes
    );
}

/// A folder in Hive-style partitions, as Spark's `partitionBy`, DuckDB's `PARTITION_BY` and
/// polars write it: a folder per value (`event_type=Battles/year=2020/part-0.parquet`), the
/// partition columns only in the folders' names, escaped (`/` as `%2F`), with the writers'
/// bookkeeping beside the shards. It reads as the same events, the columns back from the
/// folders; a shard outside the partition folders is named.
#[test]
fn a_folder_of_hive_partitions_is_one_dataset_with_their_columns() {
    let Some(path) = common::shared_data("a_folder_of_hive_partitions", ACLED) else {
        return;
    };
    let (names, rows) = csv_rows(&path, b',', true);
    let column = |name: &str| names.iter().position(|n| n == name).unwrap();
    let (event_type, year) = (column("event_type"), column("year"));
    let kept: Vec<String> = names
        .iter()
        .filter(|n| !matches!(n.as_str(), "event_type" | "year"))
        .cloned()
        .collect();
    let mut parts: std::collections::BTreeMap<(String, String), Vec<Vec<String>>> =
        Default::default();
    for row in &rows {
        let key = (row[event_type].clone(), row[year].clone());
        let cells = (0..names.len())
            .filter(|&k| k != event_type && k != year)
            .map(|k| row[k].clone())
            .collect();
        parts.entry(key).or_default().push(cells);
    }
    assert!(
        parts.keys().any(|(t, _)| t.contains('/')),
        "a value to escape"
    );
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    for ((kind, year), part) in &parts {
        let folder = root
            .join(format!("event_type={}", kind.replace('/', "%2F")))
            .join(format!("year={year}"));
        std::fs::create_dir_all(&folder).unwrap();
        write_table(&folder.join("part-0.parquet"), acled_columns(&kept, part));
        std::fs::write(folder.join(".part-0.parquet.crc"), b"crc").unwrap();
    }
    std::fs::write(root.join("_SUCCESS"), b"").unwrap();
    // A folder that is no partition is not entered.
    std::fs::create_dir_all(root.join("old")).unwrap();
    std::fs::write(root.join("old/part-0.parquet"), b"an older copy").unwrap();
    std::fs::create_dir_all(root.join("_temporary/0")).unwrap();
    std::fs::write(root.join("_temporary/0/part-9.parquet"), b"half written").unwrap();

    let opened = open(&root).unwrap();
    assert_eq!(opened.format, io::Format::Acled);
    assert_noted_from_folders(&opened, "event_type, year");
    let read = sorted_by_id(opened.store.to_dataset());
    let from_csv = sorted_by_id(dataset(&path));
    assert_eq!(read.events.len(), rows.len());
    assert_same_data(&read, &from_csv);

    // A shard beside the partition folders has no values for their columns.
    let stray = root.join("stray.parquet");
    write_table(
        &stray,
        acled_columns(&kept, &parts.values().next().unwrap()[..1]),
    );
    let error = open(&root).unwrap_err().to_string();
    assert!(error.contains("stray.parquet"), "{error}");
    assert!(error.contains("partition columns"), "{error}");
}

/// Writes `dataset` as Faultline's table as DuckDB leaves it when it rewrites one: no
/// metadata, and without the columns `dropped` (those a `PARTITION_BY` puts in folder names).
fn write_bare_table(out: &Path, dataset: &Dataset, dropped: &[&str]) {
    let bytes = bytes::Bytes::from(io::parquet::to_bytes(dataset).unwrap());
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(bytes)
        .unwrap()
        .build()
        .unwrap();
    let mut writer = None;
    for batch in reader {
        let batch = batch.unwrap();
        let kept: Vec<usize> = (0..batch.num_columns())
            .filter(|&k| !dropped.contains(&batch.schema().field(k).name().as_str()))
            .collect();
        let batch = batch.project(&kept).unwrap();
        let schema = Arc::new(Schema::new(batch.schema().fields().clone()));
        let batch = RecordBatch::try_new(schema.clone(), batch.columns().to_vec()).unwrap();
        writer
            .get_or_insert_with(|| {
                let file = std::fs::File::create(out).unwrap();
                parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap()
            })
            .write(&batch)
            .unwrap();
    }
    writer.unwrap().close().unwrap();
}

/// Faultline's own table split by DuckDB into Hive-style partitions by province (`admin1`,
/// escaped as DuckDB escapes it, a missing one as `__HIVE_DEFAULT_PARTITION__`) and by the
/// notable flag (a column of booleans): the same events as the table whole, each column back
/// from the folders in its type.
#[test]
fn faultlines_table_in_hive_partitions_reads_as_the_whole_table() {
    let Some(path) = common::shared_data("faultlines_table_in_hive_partitions", ACLED) else {
        return;
    };
    let mut source = dataset(&path);
    // Some events notable, so both of the flag's folders are there.
    for event in source.events.iter_mut().step_by(5) {
        event.notable = true;
    }
    // One event without a province, and one whose province must be escaped.
    source.events[1].location.admin1 = None;
    source.events[2].location.admin1 = Some("Kabul / Kābul = 100%".into());
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.parquet");
    write_bare_table(&whole, &source, &[]);
    let root = dir.path().join("split");
    let mut parts: std::collections::BTreeMap<(Option<String>, bool), Vec<_>> = Default::default();
    for event in &source.events {
        parts
            .entry((event.location.admin1.clone(), event.notable))
            .or_default()
            .push(event.clone());
    }
    assert!(parts.len() > 2, "{:?}", parts.keys());
    for ((admin1, notable), events) in parts {
        let admin1 = admin1.map_or("__HIVE_DEFAULT_PARTITION__".to_string(), |a| {
            a.replace('%', "%25")
                .replace('/', "%2F")
                .replace('=', "%3D")
                .replace(' ', "%20")
        });
        let folder = root
            .join(format!("admin1={admin1}"))
            .join(format!("notable={notable}"));
        std::fs::create_dir_all(&folder).unwrap();
        let part = Dataset {
            events,
            ..source.clone()
        };
        write_bare_table(
            &folder.join("data_0.parquet"),
            &part,
            &["admin1", "notable"],
        );
    }
    let opened = open(&root).unwrap();
    assert_eq!(opened.format, io::Format::Faultline);
    assert_noted_from_folders(&opened, "admin1, notable");
    let split = sorted_by_id(opened.store.to_dataset());
    let whole = sorted_by_id(open(&whole).unwrap().store.to_dataset());
    assert_eq!(split.events.len(), source.events.len());
    assert!(split.events.iter().any(|e| e.notable));
    assert_same_data(&split, &whole);
}

#[test]
fn a_bad_row_is_placed_by_shard_and_row() {
    let Some(path) = common::shared_data("a_bad_row_is_placed", ACLED) else {
        return;
    };
    let (names, mut rows) = csv_rows(&path, b',', true);
    let date = names.iter().position(|n| n == "event_date").unwrap();
    let third = rows.len() / 3;
    // The fifth row of the second shard has a date no one can read.
    rows[third + 4][date] = "the day after".into();
    let dir = tempfile::tempdir().unwrap();
    for (name, part) in [("a", &rows[..third]), ("b", &rows[third..])] {
        let columns: Vec<(&str, ArrayRef)> = names
            .iter()
            .enumerate()
            .map(|(k, n)| (n.as_str(), text_column(part, k)))
            .collect();
        write_table(&dir.path().join(format!("{name}.parquet")), columns);
    }
    let opened = open(dir.path()).unwrap();
    assert_eq!(opened.skipped, 1);
    assert_eq!(opened.store.len(), rows.len() - 1);
    let place = &opened.problems[0].place;
    assert_eq!(
        place.record.as_deref(),
        Some("b.parquet, row 5"),
        "{place:?}"
    );
}

/// Writes `columns` as an Arrow IPC file (Feather v2, lz4 as pyarrow writes it by default)
/// or, with `stream`, an IPC stream compressed with zstd; in batches of 100 rows.
fn write_ipc(path: &Path, columns: Vec<(&str, ArrayRef)>, stream: bool) {
    let file = std::fs::File::create(path).unwrap();
    write_ipc_to(file, columns, stream, true);
}

/// [`write_ipc`] into `out`; without `finish`, a stream has no end-of-stream marker.
fn write_ipc_to(
    out: impl std::io::Write,
    columns: Vec<(&str, ArrayRef)>,
    stream: bool,
    finish: bool,
) {
    use arrow_ipc::writer::{FileWriter, IpcWriteOptions, StreamWriter};
    use arrow_ipc::CompressionType;
    let schema = schema_of(&columns);
    let batch = RecordBatch::try_new(
        Arc::new(schema.clone()),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap();
    let codec = if stream {
        CompressionType::ZSTD
    } else {
        CompressionType::LZ4_FRAME
    };
    let options = IpcWriteOptions::default()
        .try_with_compression(Some(codec))
        .unwrap();
    let slices = (0..batch.num_rows())
        .step_by(100)
        .map(|at| batch.slice(at, 100.min(batch.num_rows() - at)));
    if stream {
        let mut writer = StreamWriter::try_new_with_options(out, &schema, options).unwrap();
        for slice in slices {
            writer.write(&slice).unwrap();
        }
        if finish {
            writer.finish().unwrap();
        } else {
            writer.flush().unwrap();
        }
    } else {
        let mut writer = FileWriter::try_new_with_options(out, &schema, options).unwrap();
        for slice in slices {
            writer.write(&slice).unwrap();
        }
        writer.finish().unwrap();
    }
}

#[test]
fn an_arrow_ipc_file_or_stream_reads_as_its_csv_does() {
    let Some(path) = common::shared_data("an_arrow_ipc_file", ACLED) else {
        return;
    };
    let (names, rows) = csv_rows(&path, b',', true);
    let dir = tempfile::tempdir().unwrap();
    let from_csv = dataset(&path);
    for (name, stream) in [("events.feather", false), ("events.arrows", true)] {
        let out = dir.path().join(name);
        write_ipc(&out, acled_columns(&names, &rows), stream);
        let opened = open(&out).unwrap();
        assert_eq!(opened.format, io::Format::Acled, "{name}");
        assert_same_data(&opened.store.to_dataset(), &from_csv);
        // The same bytes held in memory.
        let bytes = std::fs::read(&out).unwrap();
        let in_memory = io::open_bytes(&bytes, &out, &OpenOptions::default()).unwrap();
        assert_eq!(in_memory.store.len(), from_csv.events.len(), "{name}");

        // Cut short (in the middle, or a stream without its end marker, as a writer that
        // stopped between two batches leaves it), it is named and nothing is half-loaded.
        let mut unfinished = Vec::new();
        write_ipc_to(&mut unfinished, acled_columns(&names, &rows), stream, false);
        let cuts = [bytes[..bytes.len() / 2].to_vec(), unfinished];
        for short in cuts.iter().take(if stream { 2 } else { 1 }) {
            let cut = dir.path().join(format!("cut-{name}"));
            std::fs::write(&cut, short).unwrap();
            match open(&cut) {
                Err(LoadError::Invalid { path, problems }) => {
                    assert_eq!(path, cut);
                    assert!(!problems.is_empty());
                }
                Err(other) => panic!("{name} cut short: {other}"),
                Ok(opened) => panic!("{name} cut short read {} events", opened.store.len()),
            }
        }
    }
}

#[test]
fn a_feather_v1_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.feather");
    std::fs::write(&old, b"FEA1\0\0\0\0 and the rest of an old file FEA1").unwrap();
    let error = open(&old).unwrap_err().to_string();
    assert!(error.contains("old.feather"), "{error}");
    assert!(error.contains("Feather v1"), "{error}");
    assert!(error.contains("Feather v2"), "{error}");
}

#[test]
fn a_table_of_a_few_rows_reads_whether_parquet_or_arrow_ipc() {
    // Shorter than the block the format is detected from: the whole table is read then.
    let names: Vec<String> = [
        "event_id_cnty",
        "event_date",
        "event_type",
        "actor1",
        "country",
        "location",
        "latitude",
        "longitude",
        "fatalities",
        "notes",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = (1..=3)
        .map(|i| {
            [
                format!("MADE{i}"),
                format!("2024-10-0{i}"),
                "Battles".into(),
                "Made-up group".into(),
                "Nowhere".into(),
                format!("Town {i}"),
                "10.5".into(),
                "20.5".into(),
                i.to_string(),
                format!("A made-up event, number {i}"),
            ]
            .to_vec()
        })
        .collect();
    let columns = || -> Vec<(&str, ArrayRef)> {
        names
            .iter()
            .enumerate()
            .map(|(k, n)| (n.as_str(), text_column(&rows, k)))
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let (parquet, feather, stream) = (
        dir.path().join("few.parquet"),
        dir.path().join("few.feather"),
        dir.path().join("few.arrows"),
    );
    write_table(&parquet, columns());
    write_ipc(&feather, columns(), false);
    write_ipc(&stream, columns(), true);
    for path in [&parquet, &feather, &stream] {
        let opened = open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(opened.format, io::Format::Acled, "{}", path.display());
        assert_eq!(opened.store.len(), 3, "{}", path.display());
        assert_eq!(opened.store.row(2).id(), "MADE3");
    }
}
