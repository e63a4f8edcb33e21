//! The map at a million events: placing the filtered events, re-binning a view (density at
//! world scale, markers and clusters zoomed in), the hover hit-test, a 2× PNG export, and the
//! app's frame while the map is panned and zoomed (headless, egui_kittest without a renderer).

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use egui_kittest::Harness;
use faultline::app::{CentralTab, LoadedDataset, Settings};
use faultline::ui::FaultlineApp;
use faultline_core::export::map::MapExport;
use faultline_core::export::{render, Chart, ExportKind, ExportRequest, FileFormat};
use faultline_core::io::{open, OpenOptions};
use faultline_core::layout::map::{MapFrame, Projection};
use faultline_core::query::map::{
    map_points, map_scene, mark_at, ColourBy, MapLayer, MapSpec, SceneLayer,
};
use faultline_core::query::{Engine, Filter};

mod common;

fn queries(c: &mut Criterion) {
    let Some(path) = common::bench_csv() else {
        return;
    };
    let store = Arc::new(open(&path, &OpenOptions::default()).expect("loads").store);
    let engine = Engine::new(store.clone());
    let all = Filter::default();
    let rows = engine.rows(&all);
    let mut group = c.benchmark_group("map_1m");
    group.sample_size(10);
    group.bench_function("place_every_event", |b| {
        b.iter(|| {
            map_points(
                &store,
                engine.facets(),
                &rows,
                Projection::Equirectangular,
                ColourBy::EventType,
            )
            .len()
        })
    });
    let points = engine.map_points(&all, Projection::Equirectangular, ColourBy::EventType);
    let size = [1100.0, 760.0];
    let world = MapFrame::world(Projection::Equirectangular, size);
    let mut k = 0u32;
    group.bench_function("rebin_density_world", |b| {
        b.iter(|| {
            // A camera not seen before: a slightly different zoom each time.
            k += 1;
            let frame = world.zoomed(1.0 + f64::from(k % 7) * 0.01, [550.0, 380.0]);
            // Density as "auto" chooses it over 20,000 events in view (asked for by name, so
            // the smoke run on a small file bins too).
            let spec = MapSpec {
                layer: MapLayer::Density,
                colour_by: ColourBy::EventType,
                frame,
            };
            let scene = map_scene(&points, &spec);
            assert!(matches!(scene.layer, SceneLayer::Density(_)));
            scene.visible
        })
    });
    // Zoomed on the densest place of the file until fewer than 20,000 events are in view.
    let (lat, lon) = store.row(rows[0] as usize).coordinates().expect("placed");
    let mut close = world;
    let mut spec = MapSpec {
        layer: MapLayer::Auto,
        colour_by: ColourBy::EventType,
        frame: close,
    };
    while matches!(map_scene(&points, &spec).layer, SceneLayer::Density(_)) {
        close = close.zoomed(2.0, close.to_screen(lon, lat));
        spec.frame = close;
    }
    group.bench_function("rebin_markers_zoomed_in", |b| {
        b.iter(|| {
            k += 1;
            spec.frame = close.zoomed(1.0 + f64::from(k % 7) * 0.01, [550.0, 380.0]);
            map_scene(&points, &spec).visible
        })
    });
    let scene = map_scene(&points, &spec);
    let SceneLayer::Marks(marks) = &scene.layer else {
        unreachable!("zoomed in until markers")
    };
    eprintln!(
        "zoomed in: {} events in view as {} markers",
        scene.visible,
        marks.len()
    );
    group.bench_function("hover_hit_test", |b| {
        b.iter(|| {
            k += 1;
            let p = [(k * 37 % 1100) as f32, (k * 53 % 760) as f32];
            mark_at(marks, p, 2.0)
        })
    });
    export_png_cold(&mut group, &store);
    group.finish();
}

/// A 2× PNG of the map from a new engine each time: the rows, places and bins computed.
fn export_png_cold(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    store: &Arc<faultline_core::store::Store>,
) {
    let all = Filter::default();
    group.bench_function("export_png_2x_cold", |b| {
        b.iter(|| {
            let engine = Engine::new(store.clone());
            let request = ExportRequest {
                annotations: &[],
                compare: Default::default(),
                kind: ExportKind::new(Chart::Map, FileFormat::Png),
                filter: &all,
                spec: Default::default(),
                graph: Default::default(),
                title: None,
                size: (1200, 675),
                scale: 2,
                reported: Default::default(),
                skipped: 0,
                with_ids: false,
                map: MapExport::default(),
                animation: Default::default(),
            };
            render(&engine, &request).expect("renders").len()
        })
    });
}

fn frames(c: &mut Criterion) {
    let Some(path) = common::bench_csv() else {
        return;
    };
    let opened = open(&path, &OpenOptions::default()).expect("loads");
    let dataset = LoadedDataset::new(opened, Some(path));
    let settings = Settings {
        tab: CentralTab::Map,
        ..Settings::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| FaultlineApp::new(settings.clone(), &[], &cc.egui_ctx));
    harness.state_mut().state.dataset = dataset;
    // Until the first view of the map is computed and drawn.
    for _ in 0..2000 {
        harness.step();
        let s = &harness.state().state;
        if s.shown.map.is_some() && !s.is_updating() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let centre = egui::pos2(700.0, 500.0);
    let mut group = c.benchmark_group("map_frame_1m");
    group.sample_size(30);
    group.bench_function("idle", |b| b.iter(|| harness.step()));
    // Panning: the button held, the pointer moving; every frame has a new camera (the
    // outlines are re-projected and the last bins moved with the view while the worker
    // re-bins).
    harness.hover_at(centre);
    harness.event(egui::Event::PointerButton {
        pos: centre,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.step();
    let before = harness.state().state.map.camera;
    let mut right = true;
    group.bench_function("panning", |b| {
        b.iter(|| {
            let to = centre + egui::vec2(if right { 12.0 } else { -12.0 }, 0.0);
            right = !right;
            harness.hover_at(to);
            harness.step();
        })
    });
    assert_ne!(
        harness.state().state.map.camera,
        before,
        "the drag moved the camera"
    );
    harness.event(egui::Event::PointerButton {
        pos: centre,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.step();
    let zoom_before = harness.state().state.map.camera.map(|c| c.pixels_per_unit);
    let mut zoomed = false;
    let mut closer = true;
    group.bench_function("zooming", |b| {
        b.iter(|| {
            harness.hover_at(centre);
            harness.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, if closer { 60.0 } else { -60.0 }),
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            });
            closer = !closer;
            harness.step();
            zoomed |= harness.state().state.map.camera.map(|c| c.pixels_per_unit) != zoom_before;
        })
    });
    assert!(zoomed, "the wheel zoomed");
    group.finish();
}

criterion_group!(benches, queries, frames);
criterion_main!(benches);
