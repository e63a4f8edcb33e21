//! Frame CPU time of the app with a million events loaded (headless, egui_kittest without a
//! renderer: the cost of building the UI and the queries it asks for, not of the GPU).

use criterion::{criterion_group, criterion_main, Criterion};
use egui_kittest::Harness;
use faultline::app::{LoadedDataset, Settings};
use faultline::ui::FaultlineApp;
use faultline_core::io::{open, OpenOptions};
use faultline_core::query::Filter;

mod common;

fn frames(c: &mut Criterion) {
    let Some(path) = common::bench_csv() else {
        return;
    };
    let opened = open(&path, &OpenOptions::default()).expect("loads");
    let countries: Vec<String> = (0..opened.store.len().min(20_000))
        .filter_map(|i| opened.store.row(i).country().map(str::to_string))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .take(40)
        .collect();
    let dataset = LoadedDataset::new(opened, Some(path));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| FaultlineApp::new(Settings::default(), &[], &cc.egui_ctx));
    harness.state_mut().state.dataset = dataset;
    harness.run_steps(3);

    let mut group = c.benchmark_group("frame_1m");
    group.sample_size(30);
    group.bench_function("idle", |b| b.iter(|| harness.step()));
    let table = egui::pos2(700.0, 700.0);
    let mut down = true;
    group.bench_function("scrolling_the_event_list", |b| {
        b.iter(|| {
            harness.hover_at(table);
            harness.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, if down { -400.0 } else { 400.0 }),
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            });
            down = !down;
            harness.step();
        })
    });
    let mut k = 0usize;
    group.bench_function("filter_change_by_country", |b| {
        b.iter(|| {
            k += 1;
            // A filter not seen before (country × minimum deaths), so nothing is cached.
            harness.state_mut().state.filter = Filter {
                countries: vec![countries[k % countries.len()].clone()],
                min_fatalities: Some((k / countries.len()) as u32 % 50),
                ..Filter::default()
            };
            harness.step();
        })
    });
    let words = [
        "village", "killed", "protest", "clash", "drone", "police", "market",
    ];
    group.bench_function("filter_change_free_text", |b| {
        b.iter(|| {
            k += 1;
            harness.state_mut().state.filter = Filter {
                text: format!("{} ", words[k % words.len()]).repeat(1 + k / words.len() % 2),
                ..Filter::default()
            };
            harness.step();
        })
    });
    // The same changes, timed until their result is on screen: the query runs on the worker
    // thread and frames keep coming; the clock stops at the first frame that shows it.
    for (name, text) in [
        ("filter_change_by_country_until_shown", false),
        ("filter_change_free_text_until_shown", true),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = std::time::Duration::ZERO;
                for _ in 0..iters {
                    k += 1;
                    let filter = if text {
                        Filter {
                            text: format!("{} {k}", words[k % words.len()]),
                            ..Filter::default()
                        }
                    } else {
                        Filter {
                            countries: vec![countries[k % countries.len()].clone()],
                            min_fatalities: Some((k / countries.len()) as u32 % 50),
                            ..Filter::default()
                        }
                    };
                    let started = std::time::Instant::now();
                    harness.state_mut().state.filter = filter;
                    harness.step();
                    while harness.state().state.is_updating() {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                        harness.step();
                    }
                    total += started.elapsed();
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
