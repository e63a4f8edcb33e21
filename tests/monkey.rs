//! The monkey test: 10,000 seeded random actions over the whole app — clicks, double and
//! right clicks anywhere, drags, scrolls, keys, typing, files dropped on the window and picked
//! in the Open dialog (good and bad fixtures), exports through the Save dialog — checking
//! after every action that nothing panicked and that the views agree:
//! - the event list holds exactly the events the filter keeps (counted afresh by a full scan,
//!   not through the engine's cache or its narrowing of the previous result);
//! - the status bar says that count;
//! - the month bars plus the events too vague for a month add up to that count;
//! - the open dataset's reported series are the ones it was opened with.
//!
//! `FAULTLINE_MONKEY_ACTIONS` and `FAULTLINE_MONKEY_SEED` change the run (defaults 10000 and
//! 20241121); a failure prints the seed and the step to replay it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable as _;
use egui_kittest::Harness;
use faultline::app::dialogs::FileDialogs;
use faultline::app::Settings;
use faultline::ui::FaultlineApp;
use faultline_core::query::{filter_rows, BucketSize, GroupBy, SeriesSpec};
use faultline_core::text::thousands;

mod common;

const SIZE: (f32, f32) = (1280.0, 800.0);

/// A small deterministic generator (xorshift64*): the run is the same for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pos(&mut self) -> Pos2 {
        Pos2::new(
            (self.next() % SIZE.0 as u64) as f32,
            (self.next() % SIZE.1 as u64) as f32,
        )
    }
}

/// Answers the Open dialog with a fixture and the Save dialog with a temp file (or cancels).
struct ScriptedDialogs {
    fixtures: Vec<PathBuf>,
    out_dir: PathBuf,
    next: u64,
}

impl FileDialogs for ScriptedDialogs {
    fn pick_dataset(&mut self) -> Option<PathBuf> {
        self.next = self.next.wrapping_mul(6364136223846793005).wrapping_add(1);
        if self.next >> 60 == 0 {
            return None;
        }
        Some(self.fixtures[(self.next >> 33) as usize % self.fixtures.len()].clone())
    }
    fn save_export(&mut self, default_name: &str, _extension: &str) -> Option<PathBuf> {
        Some(self.out_dir.join(default_name))
    }
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("docs/example.json")];
    for dir in ["tests/fixtures/bad", "tests/fixtures/native_bad"] {
        let mut in_dir: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        in_dir.sort();
        files.extend(in_dir);
    }
    files
}

const WORDS: [&str; 8] = ["iraq", "drone", "x", "2024", "'\"<&", "Ω", " ", "ISRAEL"];
const KEYS: [Key; 10] = [
    Key::ArrowDown,
    Key::ArrowUp,
    Key::Escape,
    Key::Enter,
    Key::Tab,
    Key::Space,
    Key::Backspace,
    Key::PageDown,
    Key::Home,
    Key::Delete,
];

fn press(harness: &Harness<'_, FaultlineApp>, pos: Pos2, button: PointerButton, down: bool) {
    harness.event(Event::PointerButton {
        pos,
        button,
        pressed: down,
        modifiers: Modifiers::NONE,
    });
}

/// One random action; returns what it was, for the failure message.
fn act(harness: &mut Harness<'_, FaultlineApp>, rng: &mut Rng, fixtures: &[PathBuf]) -> String {
    let roll = rng.below(100);
    match roll {
        0..=33 => {
            let pos = rng.pos();
            harness.hover_at(pos);
            press(harness, pos, PointerButton::Primary, true);
            harness.step();
            press(harness, pos, PointerButton::Primary, false);
            harness.step();
            format!("click at {pos:?}")
        }
        34..=38 => {
            let pos = rng.pos();
            harness.hover_at(pos);
            for _ in 0..2 {
                press(harness, pos, PointerButton::Primary, true);
                harness.step();
                press(harness, pos, PointerButton::Primary, false);
                harness.step();
            }
            format!("double click at {pos:?}")
        }
        39..=42 => {
            let pos = rng.pos();
            harness.hover_at(pos);
            press(harness, pos, PointerButton::Secondary, true);
            harness.step();
            press(harness, pos, PointerButton::Secondary, false);
            harness.step();
            format!("right click at {pos:?}")
        }
        43..=52 => {
            let (from, to) = (rng.pos(), rng.pos());
            harness.hover_at(from);
            press(harness, from, PointerButton::Primary, true);
            harness.step();
            for k in 1..=4 {
                harness.hover_at(from + (to - from) * (k as f32 / 4.0));
                harness.step();
            }
            press(harness, to, PointerButton::Primary, false);
            harness.step();
            format!("drag {from:?} to {to:?}")
        }
        53..=60 => {
            let pos = rng.pos();
            let delta = egui::vec2(
                (rng.below(200) as f32 - 100.0) * 0.5,
                rng.below(400) as f32 - 200.0,
            );
            harness.hover_at(pos);
            harness.event(Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: if rng.below(4) == 0 {
                    Modifiers::COMMAND
                } else {
                    Modifiers::NONE
                },
            });
            harness.step();
            format!("scroll {delta:?} at {pos:?}")
        }
        61..=72 => {
            let key = KEYS[rng.below(KEYS.len())];
            harness.key_press(key);
            harness.step();
            format!("key {key:?}")
        }
        73..=77 => {
            let key = [Key::F, Key::E, Key::O][rng.below(3)];
            harness.key_press_modifiers(Modifiers::COMMAND, key);
            harness.step();
            format!("Ctrl+{key:?}")
        }
        78..=85 => {
            let word = WORDS[rng.below(WORDS.len())];
            harness.event(Event::Text(word.to_string()));
            harness.step();
            format!("type {word:?}")
        }
        86..=91 => {
            let file = &fixtures[rng.below(fixtures.len())];
            harness
                .input_mut()
                .dropped_files
                .push(std::sync::Arc::new(common::Dropped(file.clone())));
            harness.step();
            format!("drop {}", file.display())
        }
        _ => {
            harness.step();
            "wait a frame".to_string()
        }
    }
}

/// Steps until loads, exports and re-queries in flight have ended.
fn settle(harness: &mut Harness<'_, FaultlineApp>) {
    let started = Instant::now();
    loop {
        let state = &harness.state().state;
        let busy = state.loading.is_some()
            || state.exporting.is_some()
            || state.is_updating()
            || state.preparing.is_some();
        if !busy {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "a load, export or query did not end"
        );
        std::thread::sleep(Duration::from_millis(2));
        harness.step();
    }
    harness.step();
}

fn check_invariants(
    harness: &Harness<'_, FaultlineApp>,
    opened_series: &[faultline_core::model::ReportedSeries],
) {
    let state = &harness.state().state;
    for m in &state.messages {
        assert!(
            !m.title.contains("hit a bug") && !m.title.contains("crashed"),
            "a panic: {} {:?}",
            m.title,
            m.details
        );
        assert!(
            !m.details.iter().any(|d| d.contains("crashed")),
            "a panic: {:?}",
            m.details
        );
    }
    let store = state.dataset.store();
    let filter = &state.shown.filter;
    let expected = filter_rows(store, filter).len();
    let engine = &state.dataset.engine;
    let listed = engine.sorted_rows(filter, state.shown.sort).len();
    assert_eq!(
        listed, expected,
        "rows in the list vs events the filter keeps"
    );
    let months = engine.time_series(
        filter,
        SeriesSpec {
            bucket: BucketSize::Month,
            group_by: GroupBy::None,
            ..SeriesSpec::default()
        },
    );
    let in_bars: u64 = months.totals().iter().map(|&n| u64::from(n)).sum();
    assert_eq!(
        in_bars + months.unplaced as u64,
        expected as u64,
        "month bars (+ events too vague for a month) vs the filtered count"
    );
    let status = format!(
        "{} of {} events",
        thousands(expected),
        thousands(store.len())
    );
    assert!(
        harness.query_by_label_contains(&status).is_some(),
        "the status bar says {status:?}"
    );
    assert_eq!(
        store.meta.series, opened_series,
        "the reported series changed"
    );
}

#[test]
fn ten_thousand_random_actions_break_nothing() {
    let actions: usize = std::env::var("FAULTLINE_MONKEY_ACTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::var("FAULTLINE_MONKEY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_241_121);
    let fixtures = fixtures();
    let out_dir = tempfile::tempdir().unwrap();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(SIZE.0, SIZE.1))
        .build_eframe(|cc| FaultlineApp::new(Settings::default(), &[], &cc.egui_ctx));
    harness.state_mut().runtime.dialogs = Box::new(ScriptedDialogs {
        fixtures: fixtures.clone(),
        out_dir: out_dir.path().to_path_buf(),
        next: seed,
    });
    harness.step();
    let mut rng = Rng(seed | 1);
    let mut opened = harness.state().state.dataset.path.clone();
    let mut series = harness.state().state.dataset.store().meta.series.clone();
    let seed_series = faultline_core::seed::seed_dataset().unwrap().series;
    assert_eq!(series, seed_series);
    let mut loads = 0;
    let mut filters_seen = std::collections::HashSet::new();
    for step in 0..actions {
        let what = act(&mut harness, &mut rng, &fixtures);
        settle(&mut harness);
        let state = &harness.state().state;
        if state.dataset.path != opened || (state.dataset.path.is_none() && opened.is_some()) {
            loads += 1;
            opened = state.dataset.path.clone();
            series = state.dataset.store().meta.series.clone();
            if opened.is_none() {
                assert_eq!(series, seed_series, "the embedded dataset, reopened");
            }
        }
        filters_seen.insert(serde_json::to_string(&state.shown.filter).unwrap());
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_invariants(&harness, &series)
        }));
        if let Err(e) = checked {
            panic!(
                "step {step} ({what}) broke an invariant; replay with FAULTLINE_MONKEY_SEED={seed} FAULTLINE_MONKEY_ACTIONS={}: {}",
                step + 1,
                e.downcast_ref::<String>().cloned().unwrap_or_default()
            );
        }
    }
    let exports = std::fs::read_dir(out_dir.path()).unwrap().count();
    println!(
        "{actions} actions with seed {seed}: {loads} datasets opened, {} distinct filters, {exports} files exported; every invariant held",
        filters_seen.len()
    );
    if actions >= 1000 {
        // The monkey got around: it opened files and changed the filters.
        assert!(loads > 10, "{loads} datasets opened");
        assert!(filters_seen.len() > 10, "{} filters", filters_seen.len());
    }
}
