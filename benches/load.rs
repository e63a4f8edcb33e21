//! Loading a large ACLED file into the store, against a bare `csv::ByteRecord` scan of the
//! same file (the single-core parse limit).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
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
    group.bench_function("faultline_open_all_cores", |b| {
        b.iter(|| {
            let opened = open(&path, &OpenOptions::default()).expect("loads");
            opened.store.len()
        })
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
