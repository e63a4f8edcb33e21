//! The monkey test: seeded random actions over the whole app — clicks on real widgets found
//! by their accessible names (buttons, checkboxes, tabs, menu items, list rows, chart bars,
//! graph nodes; text typed into fields), clicks, drags, scrolls and keys at random places,
//! shortcuts, files dropped on the window and picked in the Open dialog (good and bad
//! fixtures), exports through the Save dialog — and a phase on a generated dataset of 250,000
//! events, where every query runs on the worker thread. After every action, once the app has
//! settled, it checks that nothing panicked and that:
//! - the views show the filter that was asked for;
//! - the event list holds exactly the events a reference filter keeps — one written here,
//!   apart from the engine's (so it catches predicate bugs as well as cache bugs);
//! - the status bar says that count, and the month bars plus the events too vague for a
//!   month add up to it;
//! - the selection points at something that exists;
//! - at most four messages are shown;
//! - a failed load keeps the open dataset and its filter;
//! - the open dataset's reported series are the ones it was opened with.
//!
//! `cargo test` runs 1,000 actions for each of three seeds. `FAULTLINE_MONKEY_ACTIONS` and
//! `FAULTLINE_MONKEY_SEED` change the run (one seed when set); a failure prints the seed and
//! the step to replay it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::{by, NodeT, Queryable as _};
use egui_kittest::Harness;
use faultline::app::dialogs::FileDialogs;
use faultline::app::{Action, Selection, Settings};
use faultline::ui::FaultlineApp;
use faultline_core::query::{ActorRole, BucketSize, Filter, GroupBy, SeriesSpec};
use faultline_core::store::Store;
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
        (self.next() % n.max(1) as u64) as usize
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
    let root = common::repo_root();
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

const WORDS: [&str; 16] = [
    "iraq",
    "drone",
    "x",
    "2024",
    "'\"<&",
    "Ω",
    " ",
    "ISRAEL",
    "village 1",
    "village 12",
    "note 7",
    "actor 3",
    "country",
    "a",
    "e",
    "battle",
];
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
        0..=44 => act_on_widget(harness, rng),
        45..=54 => {
            let pos = rng.pos();
            harness.hover_at(pos);
            press(harness, pos, PointerButton::Primary, true);
            harness.step();
            press(harness, pos, PointerButton::Primary, false);
            harness.step();
            format!("click at {pos:?}")
        }
        55..=57 => {
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
        58..=60 => {
            let pos = rng.pos();
            harness.hover_at(pos);
            press(harness, pos, PointerButton::Secondary, true);
            harness.step();
            press(harness, pos, PointerButton::Secondary, false);
            harness.step();
            format!("right click at {pos:?}")
        }
        61..=66 => {
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
        67..=72 => {
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
        73..=80 => {
            let key = KEYS[rng.below(KEYS.len())];
            harness.key_press(key);
            harness.step();
            format!("key {key:?}")
        }
        81..=84 => {
            let key = [Key::F, Key::E, Key::O][rng.below(3)];
            harness.key_press_modifiers(Modifiers::COMMAND, key);
            harness.step();
            format!("Ctrl+{key:?}")
        }
        85..=89 => {
            let word = WORDS[rng.below(WORDS.len())];
            harness.event(Event::Text(word.to_string()));
            harness.step();
            format!("type {word:?}")
        }
        90..=94 => {
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

/// The roles of widgets a user acts on.
const ACTIONABLE: [Role; 10] = [
    Role::Button,
    Role::CheckBox,
    Role::RadioButton,
    Role::Tab,
    Role::MenuItem,
    Role::ComboBox,
    Role::Link,
    Role::TextInput,
    Role::Label,
    Role::SpinButton,
];

/// Clicks a widget found by its accessible name (typing into it when it is a text field).
fn act_on_widget(harness: &mut Harness<'_, FaultlineApp>, rng: &mut Rng) -> String {
    let found: Vec<(String, Role, egui::Rect)> = harness
        .query_all(by().predicate(|n| {
            ACTIONABLE.contains(&n.role()) && n.label().is_some_and(|l| !l.is_empty())
        }))
        .map(|n| {
            let node = n.accesskit_node();
            (node.label().unwrap_or_default(), node.role(), n.rect())
        })
        .filter(|(_, _, rect)| rect.is_positive() && rect.max.y < SIZE.1 && rect.min.y >= 0.0)
        .collect();
    // A third of the time, a checkbox: the filter lists' entries are checkboxes, and among
    // all the widgets on screen they would be reached too rarely to combine into filters.
    let boxes: Vec<_> = found
        .iter()
        .filter(|(_, role, _)| *role == Role::CheckBox)
        .cloned()
        .collect();
    let pool = if rng.below(3) == 0 && !boxes.is_empty() {
        &boxes
    } else {
        &found
    };
    let Some((label, role, rect)) = pool.get(rng.below(pool.len())).cloned() else {
        harness.step();
        return "no widget to act on".into();
    };
    let at = rect.center();
    harness.hover_at(at);
    press(harness, at, PointerButton::Primary, true);
    harness.step();
    press(harness, at, PointerButton::Primary, false);
    harness.step();
    if role == Role::TextInput {
        let word = WORDS[rng.below(WORDS.len())];
        harness.event(Event::Text(word.to_string()));
        harness.step();
        harness.key_press([Key::Enter, Key::Tab, Key::Escape][rng.below(3)]);
        harness.step();
        return format!("type {word:?} into {role:?} {label:?}");
    }
    format!("click {role:?} {label:?}")
}

/// Steps until loads, exports and re-queries in flight have ended. Playback that the
/// monkey started is paused first: a playing view moves on by design and never settles (the
/// step it shows is then checked like any other filter).
fn settle(harness: &mut Harness<'_, FaultlineApp>) {
    if harness.state().state.playback.playing {
        harness
            .state_mut()
            .act(Action::Playback(faultline::app::PlaybackAction::Pause));
        harness.step();
    }
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

/// Day number of a date, counted here (not with the store's own function).
fn day(date: NaiveDate) -> i64 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

/// The reference filter: the rules of `Filter`'s documentation, written out plainly over
/// the typed row view, apart from the engine's compiled filter.
/// True when counting possibly-same events once within `km` leaves event `i` out: it may be
/// the same as an event of an earlier file (a pair the analyst did not mark different), or
/// the analyst marked it the same as an earlier one. The pairs are the core's; which member
/// is left out, and what the marks do, is decided here.
fn later_copy(store: &Store, f: &Filter, km: u16, i: usize) -> bool {
    let rules = faultline_core::query::matches::MatchRules {
        max_km: f64::from(km),
    };
    let id = |r: usize| store.row(r).id();
    let marked = |a: &str, b: &str, same: bool| {
        f.once_marks
            .iter()
            .any(|(x, y, s)| *s == same && ((x == a && y == b) || (x == b && y == a)))
    };
    let earlier = |a: usize, b: usize| (store.file_of(a), a) < (store.file_of(b), b);
    let pairs = faultline_core::query::matches::possible_matches(store, &rules).pairs;
    let matched = pairs.iter().any(|p| {
        let (a, b) = (p.first as usize, p.second as usize);
        let (first, second) = if earlier(a, b) { (a, b) } else { (b, a) };
        second == i
            && store.file_of(first) < store.file_of(second)
            && !marked(id(first), id(second), false)
    });
    matched
        || (!f.once_marks.is_empty()
            && (0..store.len())
                .any(|other| other != i && earlier(other, i) && marked(id(other), id(i), true)))
}

fn keeps(store: &Store, f: &Filter, chosen: &std::collections::HashSet<&str>, i: usize) -> bool {
    let e = store.row(i);
    // "N chosen events" (the rows behind a number): by id.
    if !f.events.is_empty() && !chosen.contains(e.id()) {
        return false;
    }
    let (start, end) = e.days();
    let (start, end) = (i64::from(start), i64::from(end));
    if f.from.is_some() || f.to.is_some() {
        let lo = f.from.map_or(i64::MIN, day);
        let hi = f.to.map_or(i64::MAX, day);
        let middle = start + (end - start) / 2;
        if middle < lo || middle > hi {
            return false;
        }
        // With both ends set, an event longer than the range is not in it.
        if f.from.is_some() && f.to.is_some() && end - start > hi - lo {
            return false;
        }
    }
    let listed = |list: &[String], value: Option<&str>| {
        list.is_empty() || list.iter().any(|x| x == value.unwrap_or(""))
    };
    if !listed(&f.event_types, Some(e.event_type()))
        || !listed(&f.sub_event_types, e.sub_event_type())
        || !listed(&f.countries, e.country())
        || !listed(&f.admin1, e.admin1())
        || !listed(&f.locations, e.place())
        || !listed(&f.sources, e.source())
        || !listed(&f.files, e.file().map(|file| file.path.as_str()))
    {
        return false;
    }
    if f.once_within_km
        .is_some_and(|km| later_copy(store, f, km, i))
    {
        return false;
    }
    if f.min_fatalities
        .is_some_and(|min| e.fatalities().is_none_or(|n| n < min))
    {
        return false;
    }
    if !f.statuses.is_empty() && !f.statuses.contains(&e.status()) {
        return false;
    }
    let id = |a: u32| store.actors()[a as usize].id.as_str();
    if !f.actors.is_empty() {
        let wanted = |a: &u32| f.actors.iter().any(|x| x == id(*a));
        let associated = || e.associated_1().iter().chain(e.associated_2()).any(wanted);
        let ok = match f.actor_role {
            ActorRole::Any => e.actor1().iter().chain(&e.actor2()).any(wanted) || associated(),
            ActorRole::Actor1 => e.actor1().iter().any(wanted),
            ActorRole::Actor2 => e.actor2().iter().any(wanted),
            ActorRole::Associated => associated(),
        };
        if !ok {
            return false;
        }
    }
    let needle = f.text.trim().to_lowercase();
    if !needle.is_empty() {
        let has = |text: &str| text.to_lowercase().contains(&needle);
        let named = e.all_actors().any(|a| has(store.actor_name(a)));
        if !(named || has(e.place().unwrap_or("")) || has(e.description())) {
            return false;
        }
    }
    // The map's box and drawn area: only events with real coordinates (0°, 0° means none).
    let place = e
        .coordinates()
        .filter(|&(lat, lon)| (lat, lon) != (0.0, 0.0));
    if let Some(b) = &f.region {
        let Some((lat, lon)) = place else {
            return false;
        };
        let lon_in = if b.west() <= b.east() {
            b.west() <= lon && lon <= b.east()
        } else {
            lon >= b.west() || lon <= b.east()
        };
        if !(lon_in && b.south() <= lat && lat <= b.north()) {
            return false;
        }
    }
    if let Some(area) = &f.area {
        let Some((lat, lon)) = place else {
            return false;
        };
        if winding_number(area.points(), area.unrolled(lon), lat) == 0 {
            return false;
        }
    }
    true
}

/// How many times the closed polygon winds around the point (0: outside), the reference
/// for the engine's even-odd test (they agree for the simple shapes a lasso draws).
fn winding_number(polygon: &[[f64; 2]], x: f64, y: f64) -> i32 {
    let mut winding = 0;
    for k in 0..polygon.len() {
        let [x1, y1] = polygon[k];
        let [x2, y2] = polygon[(k + 1) % polygon.len()];
        let side = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
        if y1 <= y && y2 > y && side > 0.0 {
            winding += 1;
        } else if y1 > y && y2 <= y && side < 0.0 {
            winding -= 1;
        }
    }
    winding
}

/// What is checked after every action (see the module's documentation).
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
    assert!(
        state.messages.len() <= 4,
        "{} messages",
        state.messages.len()
    );
    assert_eq!(
        state.shown.filter, state.filter,
        "the views show the filter asked for"
    );
    let store = state.dataset.store();
    let valid = match state.selection {
        Selection::None => true,
        Selection::Event(r) => (r as usize) < store.len(),
        Selection::Actor(a) => (a as usize) < store.actors().len(),
        Selection::Relation(r) => (r as usize) < store.meta.relations.len(),
    };
    assert!(valid, "the selection {:?} exists", state.selection);
    let filter = &state.shown.filter;
    let chosen = filter.events.iter().map(String::as_str).collect();
    let expected = (0..store.len())
        .filter(|&i| keeps(store, filter, &chosen, i))
        .count();
    let engine = &state.dataset.engine;
    let listed = engine.sorted_rows(filter, state.shown.sort).len();
    assert_eq!(
        listed, expected,
        "rows in the list vs events the reference filter keeps ({filter:?})"
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

/// What a run saw, for its closing line and the coverage it asserts.
#[derive(Default)]
struct Seen {
    loads: usize,
    failed_loads: usize,
    filters: std::collections::HashSet<String>,
    worker_queries: usize,
    exports: usize,
}

/// Runs `actions` actions with `seed`: the first part on the embedded dataset and the
/// files it opens, the last fifth on a generated 250,000-event dataset.
fn run(seed: u64, actions: usize) -> Seen {
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
    let seed_series = faultline_core::seed::seed_dataset().unwrap().series;
    let mut series = harness.state().state.dataset.store().meta.series.clone();
    assert_eq!(series, seed_series);
    let mut seen = Seen::default();
    let big_from = actions - actions / 5;
    let mut big: Option<std::sync::Arc<faultline_core::query::Engine>> = None;
    for step in 0..actions {
        // The last fifth runs on a generated 250,000-event dataset (put back when a load
        // replaced it), so that queries run on the worker.
        let on_big = big
            .as_ref()
            .is_some_and(|e| std::sync::Arc::ptr_eq(e, &harness.state().state.dataset.engine));
        if step >= big_from && !on_big {
            let engine = big.get_or_insert_with(|| common::big_dataset(250_000).engine);
            harness.state_mut().state.dataset =
                faultline::app::LoadedDataset::of_engine(engine.clone());
            harness.state_mut().state.filter = Filter::default();
            harness.state_mut().state.selection = Selection::None;
            series = Vec::new();
            settle(&mut harness);
        }
        let before = {
            let s = &harness.state().state;
            (
                s.dataset.store().generation(),
                s.filter.clone(),
                s.messages.clone(),
            )
        };
        let jobs = faultline::app::query_worker::jobs_started();
        let what = act(&mut harness, &mut rng, &fixtures);
        settle(&mut harness);
        seen.worker_queries += faultline::app::query_worker::jobs_started() - jobs;
        let state = &harness.state().state;
        let generation = state.dataset.store().generation();
        if generation != before.0 {
            seen.loads += 1;
            series = state.dataset.store().meta.series.clone();
            if state.dataset.path.is_none() {
                assert_eq!(series, seed_series, "the embedded dataset, reopened");
            }
        }
        let failed = state
            .messages
            .iter()
            .any(|m| m.title.starts_with("Could not open") && !before.2.contains(m));
        if failed {
            seen.failed_loads += 1;
            assert_eq!(
                generation, before.0,
                "step {step} ({what}): a failed load kept the dataset"
            );
            if what.starts_with("drop") {
                assert_eq!(
                    state.filter, before.1,
                    "step {step} ({what}): and the filter"
                );
            }
        }
        seen.filters
            .insert(serde_json::to_string(&state.shown.filter).unwrap());
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_invariants(&harness, &series)
        }));
        if let Err(e) = checked {
            panic!(
                "step {step} ({what}) broke an invariant; replay with FAULTLINE_MONKEY_SEED={seed} FAULTLINE_MONKEY_ACTIONS={actions}: {}",
                e.downcast_ref::<String>().cloned().unwrap_or_default()
            );
        }
    }
    seen.exports = std::fs::read_dir(out_dir.path()).unwrap().count();
    eprintln!(
        "monkey: {actions} actions with seed {seed}: {} datasets opened ({} loads failed), {} distinct filters, {} queries on the worker, {} files exported; every invariant held",
        seen.loads,
        seen.failed_loads,
        seen.filters.len(),
        seen.worker_queries,
        seen.exports
    );
    seen
}

fn actions() -> usize {
    std::env::var("FAULTLINE_MONKEY_ACTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

#[test]
fn random_actions_break_nothing() {
    let seeds: Vec<u64> = match std::env::var("FAULTLINE_MONKEY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        Some(seed) => vec![seed],
        None => vec![20_241_121, 7, 1_234_567],
    };
    let actions = actions();
    let mut filters = std::collections::HashSet::new();
    let mut worker_queries = 0;
    let mut loads = 0;
    for seed in seeds {
        let seen = run(seed, actions);
        filters.extend(seen.filters);
        worker_queries += seen.worker_queries;
        loads += seen.loads;
    }
    eprintln!("monkey: {} distinct filters in all", filters.len());
    if actions >= 1000 {
        // The monkey got around: it opened files, reached many filters and the worker.
        assert!(loads > 10, "{loads} datasets opened");
        assert!(filters.len() >= 200, "{} distinct filters", filters.len());
        assert!(worker_queries > 0, "the worker path was never taken");
    }
}
