//! Loading a large ACLED file into the store, against a bare `csv::ByteRecord` scan of the
//! same file and the scan the loader's pieces make (`simd-csv` behind the plain-quoting
//! check, cells checked as UTF-8): the single-core parse limits; then the same events
//! reopened from a native file.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use faultline_core::io::csv_records::PieceRecords;
use faultline_core::io::{open, OpenOptions};

mod common;

fn load(c: &mut Criterion) {
    let Some(path) = common::bench_csv() else {
        return;
    };
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mut group = c.benchmark_group("load_1m");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("csv_byterecord_scan_1_thread", |b| {
        b.iter(|| {
            let mut reader = csv::Reader::from_path(&path).expect("readable");
            let mut record = csv::ByteRecord::new();
            let mut n = 0u64;
            while reader.read_byte_record(&mut record).expect("valid CSV") {
                n += 1;
            }
            n
        })
    });
    group.bench_function("piece_records_scan_1_thread", |b| {
        b.iter(|| {
            let bytes = std::fs::read(&path).expect("readable");
            let mut records = PieceRecords::new(&bytes, b',');
            let mut n = 0u64;
            while let Some(read) = records.read_next() {
                read.expect("valid CSV");
                n += 1;
            }
            n
        })
    });
    group.bench_function("faultline_open_all_cores", |b| {
        b.iter(|| {
            let opened = open(&path, &OpenOptions::default()).expect("loads");
            opened.store.len()
        })
    });
    group.finish();
    native(c, &path);
}

/// Reopening the same events from a native file (written here by `convert`'s writer), in
/// bytes of JSON per second: issue 17's target is 300 MB/s.
fn native(c: &mut Criterion, csv: &std::path::Path) {
    let opened = open(csv, &OpenOptions::default()).expect("loads");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("events.json");
    faultline_core::io::native::save(&path, &opened.store.to_dataset()).expect("written");
    drop(opened);
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mut group = c.benchmark_group("load_native");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    // The store is dropped outside the timing: what is measured is reading.
    group.bench_function("faultline_open_native", |b| {
        b.iter_with_large_drop(|| open(&path, &OpenOptions::default()).expect("loads"))
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
