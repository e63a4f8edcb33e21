//! The app's controls, driven as a user drives them (by label, with the pointer and the
//! keyboard): every filter-panel control sets the part of the filter it names; the graph's
//! drag, zoom, Fit and Find; the keyboard shortcuts; Open recent; and settings kept through
//! eframe's own save and restore. Expected values come from `assets/seed.json`, read here.

mod common;

use std::path::PathBuf;

use chrono::NaiveDate;
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use faultline::app::dialogs::FileDialogs;
use faultline::app::{Action, CentralTab, Selection, Settings};
use faultline::ui::actor_graph::ActorGraphPanel;
use faultline::ui::FaultlineApp;
use faultline_core::model::StatusKind;
use faultline_core::query::ActorRole;

fn harness() -> Harness<'static, FaultlineApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|cc| FaultlineApp::new(Settings::default(), &[], &cc.egui_ctx));
    h.run();
    h
}

/// The seed's events as JSON values, to count by hand.
fn seed_events() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(common::repo_root().join("assets/seed.json")).unwrap();
    let seed: serde_json::Value = serde_json::from_str(&text).unwrap();
    seed["events"].as_array().unwrap().clone()
}

/// Steps the app until the background load has ended.
fn wait_for_load(h: &mut Harness<'static, FaultlineApp>) {
    let started = std::time::Instant::now();
    while h.state().state.loading.is_some() {
        assert!(started.elapsed().as_secs() < 60, "the load ends");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run();
}

fn rows(h: &Harness<'static, FaultlineApp>) -> usize {
    let s = &h.state().state;
    s.dataset.engine.rows(&s.filter).len()
}

#[test]
fn every_filter_panel_control_sets_the_part_of_the_filter_it_names() {
    let events = seed_events();
    let mut h = harness();

    // An event type's checkbox, then its chip.
    let battles = events
        .iter()
        .filter(|e| e["event_type"] == "Battles")
        .count();
    h.get_by_label(&format!("Battles  ({battles})")).click();
    h.run();
    assert_eq!(h.state().state.filter.event_types, ["Battles"]);
    assert_eq!(rows(&h), battles);
    h.get_by_label("Battles  ×").click();
    h.run();
    assert!(
        h.state().state.filter.event_types.is_empty(),
        "the chip removes it"
    );

    // A country from its searchable list.
    let in_iraq = events
        .iter()
        .filter(|e| e["location"]["country"] == "Iraq")
        .count();
    h.get_by_label(&format!("Iraq  ({in_iraq})")).click();
    h.run();
    assert_eq!(h.state().state.filter.countries, ["Iraq"]);
    assert_eq!(rows(&h), in_iraq);
    h.get_by_label("Clear all").click();
    h.run();
    assert!(h.state().state.filter.is_empty());

    // The actor role.
    h.get_by_label("actor 2").click();
    h.run();
    assert_eq!(h.state().state.filter.actor_role, ActorRole::Actor2);

    // Dates typed in the From field (taken when the field loses focus).
    let from = h.get_by_role_and_label(Role::TextInput, "From");
    from.focus();
    from.type_text("2024-10-01");
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(
        h.state().state.filter.from,
        NaiveDate::from_ymd_opt(2024, 10, 1)
    );
    let from_october = events
        .iter()
        .filter(|e| e["date"].as_str().unwrap() >= "2024-10")
        .count();
    assert_eq!(
        rows(&h),
        from_october,
        "{from_october} events from October 2024"
    );

    // Status and deaths.
    h.get_by_label("Status and deaths").click();
    h.run();
    h.get_by_label("claimed").click();
    h.run();
    assert_eq!(h.state().state.filter.statuses, [StatusKind::Claimed]);
    h.get_by_role_and_label(Role::CheckBox, "At least").click();
    h.run();
    assert_eq!(h.state().state.filter.min_fatalities, Some(1));
    h.get_by_label("Clear all").click();
    h.run();
    assert!(h.state().state.filter.is_empty());
}

#[test]
fn a_filter_lists_search_narrows_it_says_when_nothing_matches_and_clears() {
    let events = seed_events();
    let in_iraq = events
        .iter()
        .filter(|e| e["location"]["country"] == "Iraq")
        .count();
    let iraq = format!("Iraq  ({in_iraq})");
    let mut h = harness();
    let search = |h: &Harness<'static, FaultlineApp>| {
        h.get_by_role_and_label(Role::TextInput, "Search countries")
            .focus();
    };
    search(&h);
    h.get_by_role_and_label(Role::TextInput, "Search countries")
        .type_text("zz");
    h.run();
    assert!(h.query_by_label(&iraq).is_none(), "no country has “zz”");
    assert!(h.query_by_label_contains("Nothing matches “zz”").is_some());
    h.get_by_label("Clear search").click();
    h.run();
    assert!(h.query_by_label(&iraq).is_some(), "every entry is back");

    search(&h);
    h.get_by_role_and_label(Role::TextInput, "Search countries")
        .type_text("raq");
    h.run();
    assert!(h.query_by_label(&iraq).is_some(), "“raq” keeps Iraq");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label_contains("Nothing matches").is_none());
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Search countries")
            .value()
            .unwrap_or_default(),
        "",
        "Escape clears the search"
    );
}

/// Presses and releases the primary button along a path, as a drag.
fn drag(h: &mut Harness<'static, FaultlineApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.step();
    for k in 1..=10 {
        let p = from + (to - from) * (k as f32 / 10.0);
        h.hover_at(p);
        h.step();
    }
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.step();
    h.run();
}

#[test]
fn the_graph_drags_and_pins_zooms_fits_and_finds() {
    let mut h = harness();
    h.get_by_label("Actors and relations").click();
    h.run();
    assert_eq!(h.state().state.tab, CentralTab::Actors);
    let panel = |h: &Harness<'static, FaultlineApp>| {
        let (zoom, follow) = h.state().panel::<ActorGraphPanel>().unwrap().zoom();
        (zoom, follow)
    };
    let (fitted, follows) = panel(&h);
    assert!(follows, "the view starts fitted to the graph");

    // Drag a node: it is pinned where it was let go.
    let node = h
        .get_by_role_and_label(Role::Button, "Hezbollah")
        .rect()
        .center();
    drag(&mut h, node, node + egui::vec2(60.0, 40.0));
    let pins = &h.state().state.graph.pins;
    assert!(pins.contains_key("hezbollah"), "pinned: {pins:?}");

    // Scroll to zoom: the view no longer follows the graph; Fit brings it back.
    let canvas = h
        .get_by_role_and_label(Role::Button, "Israel")
        .rect()
        .center();
    h.hover_at(canvas + egui::vec2(5.0, 30.0));
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 200.0),
        modifiers: Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    h.run();
    let (zoomed, follows) = panel(&h);
    assert!(!follows, "the user moved the view");
    assert!(
        zoomed > fitted,
        "scrolling up zooms in: {fitted} → {zoomed}"
    );
    h.get_by_label("Fit").click();
    h.run();
    assert!(panel(&h).1, "Fit follows the graph again");

    // Find: the name typed and Enter select that actor.
    let find = h.get_by_role_and_label(Role::TextInput, "Find");
    find.focus();
    find.type_text("kataeb");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let store = h.state().state.dataset.store();
    let kss = store.actor_index("kss").unwrap();
    assert!(store.actor_name(kss).starts_with("Kataeb"));
    assert_eq!(h.state().state.selection, Selection::Actor(kss));
}

#[test]
fn the_graph_takes_the_whole_centre_hides_weak_edges_and_switches_layout() {
    let mut h = harness();
    h.get_by_label("Actors and relations").click();
    h.run();
    // Where the side column starts: the statements' heading.
    let side_column_x = |h: &Harness<'static, FaultlineApp>| {
        h.query_by_label_contains("Statements (")
            .map(|n| n.rect().min.x)
    };
    let side_x = side_column_x(&h).expect("the statements sit beside the graph");

    // Whole centre: the actor list and statements go, and the graph's nodes spread wider.
    let spread = |h: &Harness<'static, FaultlineApp>| {
        let xs: Vec<f32> = h
            .query_all_by_role(Role::Button)
            .filter(|n| {
                let store = h.state().state.dataset.store();
                n.accesskit_node().label().is_some_and(|l| {
                    (0..store.actors().len() as u32).any(|a| store.actor_name(a) == l)
                })
            })
            .map(|n| n.rect().center().x)
            .collect();
        xs.iter().cloned().fold(f32::MIN, f32::max) - xs.iter().cloned().fold(f32::MAX, f32::min)
    };
    let before = spread(&h);
    h.get_by_label("Whole centre").click();
    h.run();
    h.run();
    assert!(!h.state().state.panels.is_shown("actors"));
    assert!(!h.state().state.panels.is_shown("statements"));
    assert!(side_column_x(&h).is_none(), "the side column is gone");
    let after = spread(&h);
    assert!(
        after > before * 1.2,
        "the graph spreads wider: {before} → {after}"
    );
    h.get_by_label("Show actor list").click();
    h.run();
    assert!(h.state().state.panels.is_shown("actors"));
    assert_eq!(
        side_column_x(&h),
        Some(side_x),
        "and it comes back where it was"
    );

    // Edges with at least N events: interactions behind fewer events are no longer drawn.
    let panel_interactions = |h: &Harness<'static, FaultlineApp>| {
        h.state()
            .panel::<ActorGraphPanel>()
            .unwrap()
            .visible_interactions()
    };
    let all = panel_interactions(&h);
    let mut settings = h.state().state.graph.clone();
    settings.min_edge_events = 2;
    h.state_mut().act(Action::SetGraph(Box::new(settings)));
    common::settle(&mut h);
    let strong = panel_interactions(&h);
    let view = {
        let s = &h.state().state;
        s.dataset
            .engine
            .graph_view(&s.shown.filter, s.shown.graph.as_ref().unwrap())
    };
    assert!(view
        .edges
        .iter()
        .all(|e| matches!(e.kind, faultline_core::query::EdgeKind::Stated(_)) || e.events >= 2));
    assert!(strong < all, "{all} → {strong}");

    // LinLog off: another layout of the same actors.
    let positions = |h: &Harness<'static, FaultlineApp>| {
        let s = &h.state().state;
        let v = s
            .dataset
            .engine
            .graph_view(&s.shown.filter, s.shown.graph.as_ref().unwrap());
        v.nodes.iter().map(|n| n.position).collect::<Vec<_>>()
    };
    let lin_log = positions(&h);
    h.get_by_label("LinLog layout").click();
    common::settle(&mut h);
    assert!(!h.state().state.graph.lin_log);
    let linear = positions(&h);
    assert_eq!(lin_log.len(), linear.len());
    assert_ne!(lin_log, linear);
}

/// Dialogs that answer with a file to open and remember they were asked.
struct Answers {
    open: Option<PathBuf>,
    asked: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl FileDialogs for Answers {
    fn pick_dataset(&mut self) -> Option<PathBuf> {
        self.asked
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.open.clone()
    }
    fn save_export(&mut self, _name: &str, _extension: &str) -> Option<PathBuf> {
        None
    }
}

/// Dialogs that answer the folder picker with a folder.
struct FolderAnswer(PathBuf);

impl FileDialogs for FolderAnswer {
    fn pick_dataset(&mut self) -> Option<PathBuf> {
        None
    }
    fn pick_folder(&mut self) -> Option<PathBuf> {
        Some(self.0.clone())
    }
    fn save_export(&mut self, _name: &str, _extension: &str) -> Option<PathBuf> {
        None
    }
}

#[test]
fn events_exported_as_parquet_reopen_as_a_folder_of_shards_from_the_file_menu() {
    let mut h = harness();
    // Two shards: the October 2024 events, and the rest, each exported from the app.
    let dir = tempfile::tempdir().unwrap();
    let export = |h: &mut Harness<'static, FaultlineApp>, name: &str| {
        let kind = faultline_core::export::ExportKind::EVENTS_PARQUET;
        let settings = faultline::app::ExportSettings::new(kind);
        let path = dir.path().join(name);
        h.state_mut()
            .act(Action::ExportTo(Box::new(settings), path.clone()));
        common::settle(h);
        assert!(path.is_file(), "{name} written");
    };
    let october = faultline_core::query::Filter {
        from: NaiveDate::from_ymd_opt(2024, 10, 1),
        to: NaiveDate::from_ymd_opt(2024, 10, 31),
        ..Default::default()
    };
    let in_october = h.state().state.dataset.engine.rows(&october).len();
    let all = h.state().state.dataset.store().len();
    assert!(in_october > 0 && in_october < all);
    h.state_mut()
        .act(Action::SetFilter(Box::new(october.clone())));
    common::settle(&mut h);
    export(&mut h, "part-1.parquet");
    let mut rest: Vec<u32> = (0..all as u32).collect();
    let chosen = h.state().state.dataset.engine.rows(&october);
    rest.retain(|r| !chosen.contains(r));
    let store = h.state().state.dataset.store();
    let rest_filter = faultline_core::query::Filter {
        events: rest
            .iter()
            .map(|&r| store.row(r as usize).id().to_string())
            .collect(),
        ..Default::default()
    };
    h.state_mut().act(Action::SetFilter(Box::new(rest_filter)));
    common::settle(&mut h);
    export(&mut h, "part-2.parquet");

    // File → Open folder of Parquet shards…: the two shards are the whole dataset again.
    h.state_mut().runtime.dialogs = Box::new(FolderAnswer(dir.path().to_path_buf()));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open folder of Parquet shards…").click();
    // The load starts at once and repaints as it goes: step until it ends.
    h.step();
    wait_for_load(&mut h);
    let state = &h.state().state;
    assert_eq!(state.dataset.path.as_deref(), Some(dir.path()));
    assert_eq!(state.dataset.store().len(), all);
    let ids = |store: &faultline_core::store::Store| {
        let mut ids: Vec<String> = (0..store.len())
            .map(|i| store.row(i).id().to_string())
            .collect();
        ids.sort();
        ids
    };
    let seed =
        faultline_core::store::Store::from_dataset(faultline_core::seed::seed_dataset().unwrap());
    assert_eq!(ids(state.dataset.store()), ids(&seed));
    assert_eq!(
        state.dataset.store().meta.series,
        seed.meta.series,
        "the reported figures too"
    );
}

#[test]
fn ctrl_o_opens_the_dialog_ctrl_e_the_export_window_and_ctrl_f_the_search_box() {
    let mut h = harness();
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let example = common::repo_root().join("docs/example.json");
    h.state_mut().runtime.dialogs = Box::new(Answers {
        open: Some(example.clone()),
        asked: asked.clone(),
    });
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    assert_eq!(asked.load(std::sync::atomic::Ordering::Relaxed), 1);
    wait_for_load(&mut h);
    assert_eq!(
        h.state().state.dataset.path,
        Some(example),
        "the file picked opened"
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    let export = h
        .state()
        .state
        .export
        .clone()
        .expect("the Export window is open");
    assert_eq!(
        export.kind,
        faultline_core::export::ExportKind::TIMELINE_PNG
    );

    h.state_mut().act(Action::SetExport(None));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    assert!(
        h.get_by_role_and_label(Role::TextInput, "Search")
            .is_focused(),
        "Ctrl+F puts the cursor in the search box"
    );
    assert!(!h.state().state.focus_search, "and the request is done");
}

#[test]
fn open_recent_opens_the_file_chosen() {
    let example = common::repo_root().join("docs/example.json");
    let settings = Settings {
        recent: vec![example.clone()],
        ..Settings::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| FaultlineApp::new(settings, &[], &cc.egui_ctx));
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open recent").hover();
    h.run();
    h.get_by_label(&example.display().to_string()).click();
    h.step();
    wait_for_load(&mut h);
    assert_eq!(h.state().state.dataset.path, Some(example));
}

/// eframe's key-value storage, kept in memory.
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn settings_go_through_eframes_save_and_restore() {
    let mut h = harness();
    h.state_mut().act(Action::SetBucket(
        faultline_core::query::BucketSize::Quarter,
    ));
    h.state_mut()
        .act(Action::ShowPanel("details".into(), false));
    h.state_mut()
        .act(Action::SetTheme(faultline::app::ThemeChoice::Dark));
    let mut graph = h.state().state.graph.clone();
    graph.max_actors = 120;
    graph.pins.insert("iri".into(), [1.5, -2.0]);
    h.state_mut().act(Action::SetGraph(Box::new(graph)));
    h.run();
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);

    // eframe lends the app its storage for the creation context's lifetime.
    let saved: &'static MemoryStorage = Box::leak(Box::new(storage));
    let again = Harness::builder().build_eframe(move |cc| {
        cc.storage = Some(saved);
        FaultlineApp::from_creation_context(cc, &[])
    });
    let restored = &again.state().state;
    assert_eq!(
        restored.spec.bucket,
        faultline_core::query::BucketSize::Quarter
    );
    assert!(!restored.panels.is_shown("details"));
    assert!(restored.panels.is_shown("filters"));
    assert_eq!(restored.theme, faultline::app::ThemeChoice::Dark);
    assert_eq!(restored.graph.max_actors, 120);
    assert_eq!(restored.graph.pins.get("iri"), Some(&[1.5, -2.0]));
}

#[test]
fn settings_saved_by_the_previous_release_still_load() {
    // As the release before the panel registry wrote them: three named panels.
    let old = r#"{"recent":["/data/a.csv"],"filter":{"text":"drone"},
        "spec":{"bucket":"week","group_by":"event_type","top_n":8},"theme":"Light",
        "panels":{"filters":false,"details":true,"timeline":true},"tab":"Actors",
        "graph":{"interactions":false,"max_actors":90,"ego":true,"ego_hops":2}}"#;
    let mut storage = MemoryStorage::default();
    eframe::Storage::set_string(&mut storage, "faultline-settings", old.to_string());
    let storage: &'static MemoryStorage = Box::leak(Box::new(storage));
    let h = Harness::builder().build_eframe(move |cc| {
        cc.storage = Some(storage);
        FaultlineApp::from_creation_context(cc, &[])
    });
    let s = &h.state().state;
    assert_eq!(s.recent, [PathBuf::from("/data/a.csv")]);
    assert_eq!(s.filter.text, "drone");
    assert_eq!(s.spec.bucket, faultline_core::query::BucketSize::Week);
    assert!(!s.panels.is_shown("filters"));
    assert!(s.panels.is_shown("timeline"));
    assert_eq!(s.tab, CentralTab::Actors);
    assert!(!s.graph.interactions);
    assert_eq!(
        (s.graph.max_actors, s.graph.ego, s.graph.ego_hops),
        (90, true, 2)
    );
}

#[test]
fn a_table_faultline_does_not_know_is_mapped_in_a_window_and_the_map_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("incidents.csv");
    std::fs::write(
        &table,
        "When;Who;What;Y;X;Dead;Remarks\n2024-03-01;Group A;Clash;12.5;40.1;3;first\n2024-04-01;Group B;Shelling;12.6;40.2;;second\n2024-03-05;;Protest;;;0;third\n",
    )
    .unwrap();
    let mut h = harness();
    h.state_mut().act(Action::Open(table.clone()));
    wait_for_load(&mut h);
    let draft = h
        .state()
        .state
        .mapping
        .clone()
        .expect("the mapping window opens");
    assert_eq!(draft.columns.len(), 7);
    assert_eq!(draft.preview.len(), 3, "the first rows are shown");
    h.get_by_label("Read a table of events");
    // The first guess has the date, the actors, the place, the deaths and the notes; the type
    // column's name is not a usual one, so it is chosen by hand.
    assert_eq!(
        draft.map.columns.get("date").map(String::as_str),
        Some("When")
    );
    assert!(!draft.map.columns.contains_key("type"));
    h.get_by_label("the event type").click();
    h.run();
    // The column, offered in the list that opened (the preview's header is a label).
    h.get_by_role_and_label(Role::Button, "What").click();
    h.run();
    let map = h.state().state.mapping.clone().unwrap().map;
    assert_eq!(map.columns.get("type").map(String::as_str), Some("What"));
    h.get_by_label("Import").click();
    // The load runs in the background: step until it ends (a fixed number of frames would
    // depend on the machine's load).
    h.step();
    wait_for_load(&mut h);
    let store = h.state().state.dataset.store();
    assert_eq!(store.len(), 3);
    assert_eq!(store.row(0).event_type(), "Clash");
    assert!(h.state().state.mapping.is_none(), "the window closed");
    assert_eq!(
        h.state().state.column_maps.len(),
        1,
        "the map is remembered"
    );

    // The same header again: read at once, no window.
    let again = dir.path().join("more-incidents.csv");
    std::fs::write(
        &again,
        "When;Who;What;Y;X;Dead;Remarks\n2024-05-01;Group C;Clash;1;2;0;x\n",
    )
    .unwrap();
    h.state_mut().act(Action::Open(again));
    wait_for_load(&mut h);
    assert!(h.state().state.mapping.is_none());
    let store = h.state().state.dataset.store();
    assert_eq!((store.len(), store.row(0).event_type()), (1, "Clash"));
}

/// A window made small (or a side column dragged wide) leaves each tab a little space, or
/// none: every tab still draws, with no panic caught and reported. The monkey found the graph
/// canvas asking for a negative height under a toolbar wrapped taller than the window.
#[test]
fn every_tab_draws_in_a_window_too_small_for_it() {
    let mut h = harness();
    for tab in [
        CentralTab::Events,
        CentralTab::Actors,
        CentralTab::Reported,
        CentralTab::Map,
    ] {
        h.state_mut().state.tab = tab;
        for size in [
            [1600.0, 1000.0],
            [640.0, 420.0],
            [360.0, 240.0],
            [160.0, 120.0],
        ] {
            h.set_size(egui::vec2(size[0], size[1]));
            for _ in 0..6 {
                h.step();
            }
            let messages = &h.state().state.messages;
            assert!(
                messages.iter().all(|m| !m.title.contains("hit a bug")),
                "{tab:?} at {size:?}: {:?}",
                messages
                    .iter()
                    .map(|m| (&m.title, &m.details))
                    .collect::<Vec<_>>()
            );
        }
    }
}
