//! Exporting at a million events: the month timeline as a 2× PNG (aggregation on a cold
//! engine, the SVG, rasterising, PNG encoding), and the same as SVG and CSV.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use faultline_core::export::{render, ExportKind, ExportRequest};
use faultline_core::io::{open, OpenOptions};
use faultline_core::query::{Engine, Filter, SeriesSpec};

mod common;

fn exports(c: &mut Criterion) {
    let Some(path) = common::bench_csv() else {
        return;
    };
    let store = Arc::new(open(&path, &OpenOptions::default()).expect("loads").store);
    let filter = Filter::default();
    let mut group = c.benchmark_group("export_1m");
    group.sample_size(10);
    for (name, kind, scale) in [
        ("timeline_month_png_2x", ExportKind::TIMELINE_PNG, 2),
        ("timeline_month_png_4x", ExportKind::TIMELINE_PNG, 4),
        ("timeline_month_svg", ExportKind::TIMELINE_SVG, 1),
        ("timeline_month_csv", ExportKind::TIMELINE_CSV, 1),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                // A new engine each time: the month counts are computed, not cached.
                let engine = Engine::new(store.clone());
                let request = ExportRequest {
                    annotations: &[],
                    compare: Default::default(),
                    kind,
                    filter: &filter,
                    spec: SeriesSpec::default(),
                    graph: Default::default(),
                    reported: Default::default(),
                    skipped: 0,
                    with_ids: false,
                    title: None,
                    size: (1200, 675),
                    scale,
                    map: Default::default(),
                    animation: Default::default(),
                };
                render(&engine, &request).expect("renders").len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, exports);
criterion_main!(benches);
