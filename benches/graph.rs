//! The actor graph at 2,000 actors and 10,000 edges: one layout step, the steps until the
//! layout settles, the whole view laid out by the query layer, and one frame of the graph tab
//! drawing it (painting, labels placed, hit-testing).

use criterion::{criterion_group, criterion_main, Criterion};
use egui_kittest::Harness;
use faultline::app::{Action, CentralTab, LoadedDataset, Settings};
use faultline::ui::FaultlineApp;
use faultline_core::layout::ForceLayout;
use faultline_core::model::{ActorIndex, ActorKind, DateSpan, EventRow, Text};
use faultline_core::store::Store;

const ACTORS: u32 = 2_000;
const EDGES: u32 = 10_000;

/// Deterministic pairs of distinct actors.
fn pairs() -> Vec<(u32, u32)> {
    let mut s = 7u64;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    while out.len() < EDGES as usize {
        let (a, b) = (
            (next() % u64::from(ACTORS)) as u32,
            (next() % u64::from(ACTORS)) as u32,
        );
        if a != b && seen.insert((a.min(b), a.max(b))) {
            out.push((a, b));
        }
    }
    out
}

fn graph_store() -> Store {
    let mut store = Store::new(faultline_core::model::Dataset {
        title: "2,000 actors".into(),
        ..Default::default()
    });
    let actors: Vec<u32> = (0..ACTORS)
        .map(|i| store.intern_actor(&format!("Actor {i}"), ActorKind::ALL[i as usize % 10]))
        .collect();
    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for (k, (a, b)) in pairs().into_iter().enumerate() {
        let id = format!("E{k}");
        store.push(&EventRow {
            actor1: Some(ActorIndex(actors[a as usize])),
            actor2: Some(ActorIndex(actors[b as usize])),
            fatalities: Some(1),
            ..EventRow::new(Text::of(&id), DateSpan::Day(day), Text::of("Battles"))
        });
    }
    store
}

fn graph(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph_2000_actors_10000_edges");
    let edges: Vec<(u32, u32, f32)> = pairs().into_iter().map(|(a, b)| (a, b, 1.0)).collect();
    let mut layout = ForceLayout::new(ACTORS as usize, edges, 1);
    group.bench_function("layout_step", |b| b.iter(|| layout.step()));
    let weighted: Vec<(u32, u32, f64)> = pairs().into_iter().map(|(a, b)| (a, b, 1.0)).collect();
    group.bench_function("communities_louvain", |b| {
        b.iter(|| faultline_core::query::communities::louvain(ACTORS as usize, &weighted).len())
    });

    // The whole view as the query layer derives it for the panel and the exporter: the
    // 2,000 most connected actors, laid out until the layout settles (from scratch each time).
    let store = std::sync::Arc::new(graph_store());
    let spec = faultline_core::query::GraphSpec {
        top_n: ACTORS as usize,
        ..Default::default()
    };
    // How many steps the layout takes to settle (printed; the number in BENCHMARKS.md).
    {
        use faultline_core::query::graph_view;
        let rows: Vec<u32> = (0..store.len() as u32).collect();
        let full = faultline_core::query::actor_graph(&store, &rows);
        let laid = graph_view::subgraph(&full, &graph_view::members(&full, spec.top_n, None));
        let placed = graph_view::layout(&store, &laid, &spec);
        eprintln!(
            "graph: {} actors settle in {} steps, then {} more until no two overlap",
            laid.nodes.len(),
            placed.steps.0,
            placed.steps.1
        );
    }
    group.sample_size(10);
    group.bench_function("graph_view_laid_out_until_settled", |b| {
        b.iter(|| {
            let engine = faultline_core::query::Engine::new(store.clone());
            engine
                .graph_view(&faultline_core::query::Filter::default(), &spec)
                .nodes
                .len()
        })
    });
    group.sample_size(100);

    let opened =
        faultline_core::io::Opened::whole(graph_store(), faultline_core::io::Format::Faultline);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|cc| {
            let mut settings = Settings::default();
            settings.graph.max_actors = ACTORS as usize;
            FaultlineApp::new(settings, &[], &cc.egui_ctx)
        });
    harness.state_mut().state.dataset = LoadedDataset::new(opened, None);
    harness.state_mut().act(Action::SetTab(CentralTab::Actors));
    // The layout is computed in the background; frames draw the previous view meanwhile.
    while {
        harness.step();
        harness.state().state.is_updating()
    } {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // A frame paints and hit-tests all 2,000 nodes of the laid-out view.
    group.bench_function("frame_drawing_the_whole_graph", |b| {
        b.iter(|| harness.step())
    });
    group.finish();
}

criterion_group!(benches, graph);
criterion_main!(benches);
