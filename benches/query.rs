//! The query engine at a million events: a filter change with re-aggregation by month, and
//! the interaction network.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use faultline_core::io::{open, OpenOptions};
use faultline_core::query::{actor_graph, Engine, Filter, SeriesSpec};

mod common;

/// The free-text filter at 1M events: each note folded as it is tested (`filter_rows`), and
/// as the app runs it, the notes folded once (in the background after the load) and searched
/// in one pass per needle.
fn free_text(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    store: &faultline_core::store::Store,
) {
    group.sample_size(10);
    group.bench_function("free_text_filter_rows", |b| {
        b.iter(|| {
            let f = Filter {
                text: "village".into(),
                ..Filter::default()
            };
            faultline_core::query::filter_rows(store, &f).len()
        })
    });
    let folded = faultline_core::query::search::FoldedText::of_notes(store);
    for needle in ["village", "killed", "al shabaab", "Goma", "xyzzy"] {
        let f = Filter {
            text: needle.into(),
            ..Filter::default()
        };
        group.bench_function(format!("free_text_filter_rows_folded/{needle}"), |b| {
            b.iter(|| {
                faultline_core::query::filter_rows_searching(store, Some(&folded), &f, None).len()
            })
        });
    }
    group.bench_function("fold_the_notes", |b| {
        b.iter(|| faultline_core::query::search::FoldedText::of_notes(store).len())
    });
}

fn queries(c: &mut Criterion) {
    let Some(path) = common::bench_csv() else {
        return;
    };
    let store = Arc::new(open(&path, &OpenOptions::default()).expect("loads").store);
    let countries: Vec<String> = {
        // The first two countries to appear in the file.
        let mut seen: Vec<String> = Vec::new();
        for i in 0..store.len().min(5000) {
            if let Some(c) = store.row(i).country() {
                if !seen.iter().any(|s| s == c) {
                    seen.push(c.to_string());
                }
            }
        }
        seen.truncate(2);
        seen
    };
    let filters: Vec<Filter> = countries
        .iter()
        .map(|c| Filter {
            countries: vec![c.clone()],
            ..Filter::default()
        })
        .collect();
    let mut group = c.benchmark_group("query_1m");
    group.sample_size(20);
    let mut k = 0usize;
    group.bench_function("filter_change_then_month_counts", |b| {
        b.iter(|| {
            // A new engine each time (no cache) and alternating filters: all computed afresh.
            k += 1;
            let engine = Engine::new(store.clone());
            let ts = engine.time_series(&filters[k % filters.len()], SeriesSpec::default());
            ts.periods.len()
        })
    });
    let engine = Engine::new(store.clone());
    engine.time_series(&filters[0], SeriesSpec::default());
    group.bench_function("same_filter_again_cached", |b| {
        b.iter(|| {
            engine
                .time_series(&filters[0], SeriesSpec::default())
                .periods
                .len()
        })
    });
    free_text(&mut group, &store);
    group.sample_size(20);
    let all: Vec<u32> = (0..store.len() as u32).collect();
    group.bench_function("interaction_network_all_events", |b| {
        b.iter(|| actor_graph(&store, &all).edges.len())
    });
    group.bench_function("unfiltered_month_counts", |b| {
        b.iter(|| {
            faultline_core::query::time_series(&store, &all, SeriesSpec::default(), None, None)
                .periods
                .len()
        })
    });
    // The command palette's list: every actor, event type, country and place of the file.
    let facets = faultline_core::query::Facets::of(&store);
    let mut names: Vec<String> = facets
        .actors
        .iter()
        .map(|&(a, _)| store.actor_name(a).to_string())
        .collect();
    for facet in [&facets.event_types, &facets.countries, &facets.locations] {
        names.extend(facet.iter().map(|(n, _)| n.clone()));
    }
    eprintln!("palette: {} names", names.len());
    let typed = ["a", "al", "al s", "al sh", "al shab", "al shabab"];
    group.bench_function("palette_rank_every_name", |b| {
        b.iter(|| {
            k += 1;
            faultline_core::query::palette::rank(typed[k % typed.len()], &names, 12).len()
        })
    });
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
