//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

#[path = "../../core/tests/common/mod.rs"]
mod shared;
#[allow(unused_imports)]
pub use shared::{fixture, have_tool, repo_root, shared_data, shared_dir};

/// Runs the `faultline` binary with arguments; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_faultline"))
        .args(args)
        .output()
        .expect("the faultline binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A file dropped on the app's window.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// A generated dataset of `events` events over 50 actors, 13 countries and 3 types, spread
/// over 1,500 days, with notes that name one of 977 villages: large enough that the app
/// queries it off the UI thread.
pub fn big_dataset(events: u32) -> faultline::app::LoadedDataset {
    use faultline_core::model::{ActorIndex, DateSpan, EventRow, Location, Text};
    use faultline_core::store::Store;
    let mut store = Store::new(faultline_core::model::Dataset {
        title: "synthetic".into(),
        ..Default::default()
    });
    let actors: Vec<u32> = (0..50)
        .map(|i| {
            store.intern_actor(
                &format!("Actor {i}"),
                faultline_core::model::ActorKind::ArmedGroup,
            )
        })
        .collect();
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for i in 0..events {
        let id = format!("S{i}");
        let description = format!("note {i} about village {}", i % 977);
        let country = format!("Country {}", i % 13);
        let row = EventRow {
            actor1: Some(ActorIndex(actors[i as usize % 50])),
            location: Location {
                country: Some(Text::of(&country)),
                ..Location::default()
            },
            fatalities: Some(i % 5),
            description: Text::of(&description),
            ..EventRow::new(
                Text::of(&id),
                DateSpan::Day(start + chrono::Days::new(u64::from(i % 1500))),
                Text::of(["Battles", "Protests", "Riots"][i as usize % 3]),
            )
        };
        store.push(&row);
    }
    let opened = faultline_core::io::Opened::whole(store, faultline_core::io::Format::Faultline);
    faultline::app::LoadedDataset::new(opened, None)
}

/// The app in a headless harness of `width` × `height` points, with `settings` and the
/// embedded dataset.
pub fn app(
    settings: faultline::app::Settings,
    (width, height): (f32, f32),
) -> egui_kittest::Harness<'static, faultline::ui::FaultlineApp> {
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_eframe(move |cc| {
            faultline::ui::FaultlineApp::new(settings.clone(), &[], &cc.egui_ctx)
        })
}

/// Runs frames until loads, exports and background queries have ended.
pub fn settle(harness: &mut egui_kittest::Harness<'static, faultline::ui::FaultlineApp>) {
    let started = std::time::Instant::now();
    loop {
        harness.step();
        let s = &harness.state().state;
        if s.loading.is_none() && s.exporting.is_none() && !s.is_updating() {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "settles"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    harness.run();
}
