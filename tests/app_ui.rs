//! The desktop app driven headless with egui_kittest: what a user sees and clicks.

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use egui_kittest::Harness;
use faultline::app::{Action, Settings};
use faultline::ui::FaultlineApp;
use faultline_core::export::{Chart, FileFormat};

fn app_harness() -> Harness<'static, FaultlineApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| FaultlineApp::new(Settings::default(), &[], &cc.egui_ctx))
}

/// Steps the app until the background load has ended.
fn wait_for_load(harness: &mut Harness<'static, FaultlineApp>) {
    let started = Instant::now();
    while harness.state().state.loading.is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the load did not end"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run();
}

/// The accessible label of the October 2024 bar. The seed has three events in October 2024
/// (assets/seed.json): Iran's missile attack on Israel (month precision), the 4 October drone
/// attack, and Israeli Channel 14's call against al-Sistani (month precision).
const OCTOBER_BAR: &str = "Oct 2024: 3 events";

fn visible_rows(harness: &Harness<'static, FaultlineApp>) -> usize {
    let s = &harness.state().state;
    s.dataset.engine.rows(&s.filter).len()
}

#[test]
fn the_seed_dataset_chart_and_rows_are_there_at_start() {
    let mut harness = app_harness();
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.dataset.store().len(), 6);
    assert!(state.window_title().contains("Shafaq News"));
    // The chart's October 2024 bar, the reported series in the legend, rows of the list.
    harness.get_by_role_and_label(Role::Button, OCTOBER_BAR);
    harness.get_by_label_contains("Drone launches from Iraq toward Israel (reported by Maariv)");
    harness.get_by_label("Israeli Channel 14");
    harness.get_by_label("17 Oct 2023");
    harness.get_by_label("6 of 6 events");
}

#[test]
fn clicking_the_october_2024_bar_narrows_the_list_to_october() {
    let mut harness = app_harness();
    harness.run();
    assert!(
        harness.query_by_label("Apr 2024").is_some(),
        "an April row at start"
    );
    let bar = OCTOBER_BAR;
    harness.get_by_role_and_label(Role::Button, bar).click();
    harness.run();
    let filter = harness.state().state.filter.clone();
    assert_eq!(filter.from, NaiveDate::from_ymd_opt(2024, 10, 1));
    assert_eq!(filter.to, NaiveDate::from_ymd_opt(2024, 10, 31));
    assert!(
        harness.query_by_label("Apr 2024").is_none(),
        "April rows are gone"
    );
    assert!(harness.query_by_label("4 Oct 2024").is_some());
    assert_eq!(visible_rows(&harness), 3);
    harness.get_by_label("3 of 6 events · filters: 2024-10-01 to 2024-10-31");
    // "Reset dates" brings every row back.
    harness.get_by_label("Reset dates").click();
    harness.run();
    assert_eq!(visible_rows(&harness), 6);
}

#[test]
fn typing_in_the_search_box_filters_the_list() {
    let mut harness = app_harness();
    harness.run();
    let search = harness.get_by_role_and_label(Role::TextInput, "Search");
    search.click();
    search.type_text("sistani");
    harness.run();
    assert_eq!(harness.state().state.filter.text, "sistani");
    assert_eq!(visible_rows(&harness), 1);
    assert!(harness.query_by_label("Israeli Channel 14").is_some());
    assert!(harness.query_by_label("17 Oct 2023").is_none());
}

#[test]
fn selecting_a_row_shows_its_source_quote_in_the_details() {
    let mut harness = app_harness();
    harness.run();
    harness.get_by_label("17 Oct 2023").click();
    harness.run();
    let s = &harness.state().state;
    let faultline::app::Selection::Event(row) = s.selection else {
        panic!("a click on the row selects it: {:?}", s.selection);
    };
    assert_eq!(
        s.dataset.store().row(row as usize).id(),
        "ev-2023-10-17-harir"
    );
    harness.get_by_label("Weapons:");
    assert!(harness.get_all_by_label_contains("Qasef-2K drone").count() >= 2);
    harness.get_by_label_contains("conducted its first operation onOctober 17, 2023");
}

#[test]
fn opening_a_malformed_file_shows_the_error_and_keeps_the_rows() {
    let mut harness = app_harness();
    harness.run();
    let bad = common::fixture("native_bad/truncated.json");
    harness.state_mut().act(Action::Open(bad));
    wait_for_load(&mut harness);
    let state = &harness.state().state;
    assert_eq!(state.dataset.store().len(), 6, "the seed dataset is kept");
    assert!(state.messages.iter().any(|m| m.is_error));
    harness.get_by_label_contains("Could not open");
    harness.get_by_label_contains("truncated.json:6:");
    harness.get_by_label("17 Oct 2023");
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.state().state.messages.is_empty());
}

#[test]
fn dropping_the_acled_middle_east_file_shows_5071_events() {
    let Some(path) = common::shared_data("dropping_the_acled_file", "acled_mideast_2020_dmy.csv")
    else {
        return;
    };
    let mut harness = app_harness();
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(common::Dropped(path.clone())));
    harness.step();
    assert!(
        harness.state().state.loading.is_some(),
        "the drop starts a load"
    );
    wait_for_load(&mut harness);
    let state = &harness.state().state;
    assert_eq!(state.dataset.store().len(), 5071);
    assert_eq!(state.recent.first(), Some(&path));
    assert!(state
        .window_title()
        .starts_with("acled_mideast_2020_dmy.csv"));
    harness.get_by_label("5,071 of 5,071 events");
}

#[test]
fn arrow_keys_move_the_selection_and_headers_sort() {
    let mut harness = app_harness();
    harness.run();
    harness.get_by_label("Deaths").click();
    harness.run();
    let sort = harness.state().state.sort;
    assert_eq!(sort.column, faultline_core::query::SortColumn::Fatalities);
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    let first = harness.state().state.selection;
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    let second = harness.state().state.selection;
    let s = &harness.state().state;
    let rows = s.dataset.engine.sorted_rows(&s.filter, s.sort);
    assert_eq!(first, faultline::app::Selection::Event(rows[0]));
    assert_eq!(second, faultline::app::Selection::Event(rows[1]));
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(
        harness.state().state.selection,
        faultline::app::Selection::None
    );
}

#[test]
fn an_actor_link_in_the_details_filters_every_view_to_that_actor() {
    let mut harness = app_harness();
    harness.run();
    harness.get_by_label("Apr 2024").click();
    harness.run();
    // The details panel names the actors of the April 2024 event as links.
    assert!(matches!(
        harness.state().state.selection,
        faultline::app::Selection::Event(_)
    ));
    harness.get_by_role_and_label(Role::Link, "Iran").click();
    harness.run();
    let s = &harness.state().state;
    assert_eq!(s.filter.actors, vec!["iran".to_string()]);
    assert_eq!(visible_rows(&harness), 2);
    // Its chip removes the filter again.
    harness.get_by_label_contains("Iran  ×").click();
    harness.run();
    assert!(harness.state().state.filter.actors.is_empty());
}

#[test]
fn settings_survive_a_restart() {
    let mut harness = app_harness();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, OCTOBER_BAR)
        .click();
    harness.run();
    let saved = harness.state().state.settings();
    let json = serde_json::to_string(&saved).unwrap();
    let restored: Settings = serde_json::from_str(&json).unwrap();
    let again = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| FaultlineApp::new(restored, &[], &cc.egui_ctx));
    assert_eq!(again.state().state.filter, saved.filter);
    assert_eq!(again.state().state.spec, saved.spec);
}

/// A store too large to re-query while drawing: 250,000 synthetic events.

#[test]
fn a_large_dataset_is_requeried_off_the_ui_thread() {
    let mut harness = app_harness();
    harness.state_mut().state.dataset = common::big_dataset(250_000);
    harness.run_steps(2);
    assert!(!harness.state().state.is_updating());
    harness.state_mut().state.filter.text = "village 1".into();
    harness.step();
    // The frame is drawn with the previous results while a worker computes the new ones.
    assert!(harness.state().state.is_updating());
    assert!(harness.state().state.preparing.is_some());
    // Typing on while it works: the newest request is computed next, nothing is lost.
    harness.state_mut().state.filter.text = "village 12".into();
    let started = Instant::now();
    while harness.state().state.is_updating() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the query ended"
        );
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    let s = &harness.state().state;
    assert_eq!(s.shown.filter.text, "village 12");
    let shown = s.dataset.engine.rows(&s.shown.filter).len();
    // "village 12", "village 120"–"129" and "village 12x" of 977 cycles: counted independently.
    let expected = (0..250_000u32)
        .filter(|i| format!("note {i} about village {}", i % 977).contains("village 12"))
        .count();
    assert_eq!(shown, expected);
}

fn open_actors_tab(harness: &mut Harness<'static, FaultlineApp>) {
    harness.get_by_label("Actors and relations").click();
    harness.run();
    assert_eq!(
        harness.state().state.tab,
        faultline::app::CentralTab::Actors
    );
}

fn actor_index(harness: &Harness<'static, FaultlineApp>, name: &str) -> u32 {
    let store = harness.state().state.dataset.store();
    (0..store.actors().len() as u32)
        .find(|&i| store.actor_name(i) == name)
        .unwrap()
}

#[test]
fn selecting_an_actor_in_the_list_filters_the_events_to_it() {
    let mut harness = app_harness();
    harness.run();
    open_actors_tab(&mut harness);
    // The list row (a label) and the graph node (a button) both carry the name.
    harness.get_by_role_and_label(Role::Label, "Iran").click();
    harness.run();
    let s = &harness.state().state;
    assert_eq!(s.filter.actors, vec!["iran".to_string()]);
    assert_eq!(
        s.selection,
        faultline::app::Selection::Actor(actor_index(&harness, "Iran"))
    );
    assert_eq!(visible_rows(&harness), 2, "Iran's two missile events");
    // Back on the events tab the list shows only those.
    harness.get_by_label("Timeline and events").click();
    harness.run();
    assert!(harness.query_by_label("17 Oct 2023").is_none());
    assert_eq!(harness.get_all_by_label("Apr 2024").count(), 1);
}

#[test]
fn clicking_a_node_in_the_graph_selects_that_actor() {
    let mut harness = app_harness();
    harness.run();
    open_actors_tab(&mut harness);
    harness.run_steps(5);
    harness
        .get_by_role_and_label(Role::Button, "Islamic Resistance in Iraq")
        .click();
    harness.run();
    let iri = actor_index(&harness, "Islamic Resistance in Iraq");
    assert_eq!(
        harness.state().state.selection,
        faultline::app::Selection::Actor(iri)
    );
}

#[test]
fn the_ego_slider_hides_actors_more_than_k_hops_away() {
    let mut harness = app_harness();
    harness.run();
    open_actors_tab(&mut harness);
    let all = harness
        .state()
        .panel::<faultline::ui::actor_graph::ActorGraphPanel>()
        .unwrap()
        .visible_actors()
        .len();
    let mibh = actor_index(&harness, "MIBH");
    harness.state_mut().act(Action::SelectActor(mibh));
    harness
        .get_by_label("Neighbourhood of the selected actor")
        .click();
    harness.run();
    let one_hop: Vec<u32> = harness
        .state()
        .panel::<faultline::ui::actor_graph::ActorGraphPanel>()
        .unwrap()
        .visible_actors()
        .to_vec();
    assert!(one_hop.contains(&mibh));
    assert!(one_hop.len() < all, "{} of {all}", one_hop.len());
    // Every actor shown is MIBH or shares an edge with it.
    let store = harness.state().state.dataset.store();
    let mibh_id = &store.actors()[mibh as usize].id;
    for &a in &one_hop {
        let id = &store.actors()[a as usize].id;
        let related =
            store.meta.relations.iter().any(|r| {
                (&r.from == mibh_id && &r.to == id) || (&r.to == mibh_id && &r.from == id)
            });
        assert!(
            a == mibh || related,
            "{} is not next to MIBH",
            store.actor_name(a)
        );
    }
    let mut settings = harness.state().state.graph.clone();
    settings.ego_hops = 2;
    harness
        .state_mut()
        .act(Action::SetGraph(Box::new(settings)));
    harness.run();
    let two_hops = harness
        .state()
        .panel::<faultline::ui::actor_graph::ActorGraphPanel>()
        .unwrap()
        .visible_actors()
        .len();
    assert!(two_hops > one_hop.len(), "{two_hops} > {}", one_hop.len());
}

#[test]
fn toggling_a_relation_kind_hides_those_edges() {
    use faultline_core::model::RelationKind;
    let mut harness = app_harness();
    harness.run();
    open_actors_tab(&mut harness);
    let before = harness
        .state()
        .panel::<faultline::ui::actor_graph::ActorGraphPanel>()
        .unwrap()
        .visible_relations(RelationKind::MemberOf);
    assert!(before > 0);
    harness
        .get_by_role_and_label(Role::Button, "Relations")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::CheckBox, "member of")
        .click();
    harness.run();
    assert!(harness
        .state()
        .state
        .graph
        .hidden_relations
        .contains(&RelationKind::MemberOf));
    assert_eq!(
        harness
            .state()
            .panel::<faultline::ui::actor_graph::ActorGraphPanel>()
            .unwrap()
            .visible_relations(RelationKind::MemberOf),
        0
    );
    assert!(
        harness
            .state()
            .panel::<faultline::ui::actor_graph::ActorGraphPanel>()
            .unwrap()
            .visible_relations(RelationKind::Backs)
            > 0
    );
}

#[test]
fn an_export_from_the_app_equals_the_cli_export_with_the_same_settings() {
    use faultline::app::ExportSettings;
    use faultline_core::export::ExportKind;
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness();
    harness.run();
    // The chart's own button opens the Export window; the title is typed there.
    harness.get_by_label("Export chart…").click();
    harness.run();
    harness.get_by_label("SVG (vector)").click();
    harness.run();
    let title = harness.get_by_role_and_label(Role::TextInput, "Title");
    title.click();
    title.type_text("Drones over Iraq");
    harness.run();
    let chosen = harness
        .state()
        .state
        .export
        .clone()
        .expect("the Export window is open");
    assert_eq!(chosen.kind, ExportKind::TIMELINE_SVG);
    assert_eq!(chosen.title, "Drones over Iraq");
    for (settings, name, extra) in [
        (chosen.clone(), "t.svg", vec!["--title", "Drones over Iraq"]),
        (
            ExportSettings {
                kind: ExportKind::TIMELINE_PNG,
                scale: 2,
                ..chosen.clone()
            },
            "t.png",
            vec!["--title", "Drones over Iraq", "--scale", "2"],
        ),
        (
            ExportSettings::new(ExportKind::NETWORK_SVG),
            "a.svg",
            vec![],
        ),
        (ExportSettings::new(ExportKind::EVENTS_CSV), "e.csv", vec![]),
        (
            ExportSettings::new(ExportKind::new(Chart::Reported, FileFormat::Png)),
            "r.png",
            vec![],
        ),
        (
            ExportSettings::new(ExportKind::new(Chart::Reported, FileFormat::Csv)),
            "r.csv",
            vec![],
        ),
        (
            ExportSettings::new(ExportKind::new(Chart::Map, FileFormat::Svg)),
            "m.svg",
            vec![],
        ),
        (
            ExportSettings {
                size: (320, 280),
                ..ExportSettings::new(ExportKind::new(Chart::Map, FileFormat::Gif))
            },
            "m.gif",
            vec!["--width", "320", "--height", "280", "--animate", "month"],
        ),
        (
            ExportSettings::new(ExportKind::new(Chart::Brief, FileFormat::Html)),
            "b.html",
            vec![],
        ),
        (
            ExportSettings::new(ExportKind::new(Chart::Brief, FileFormat::Pdf)),
            "b.pdf",
            vec![],
        ),
    ] {
        let from_app = dir.path().join(format!("app-{name}"));
        let from_cli = dir.path().join(format!("cli-{name}"));
        harness.state_mut().act(Action::ExportTo(
            Box::new(settings.clone()),
            from_app.clone(),
        ));
        let outcome = harness
            .state()
            .state
            .exporting
            .as_ref()
            .unwrap()
            .wait(std::time::Duration::from_secs(60));
        assert!(matches!(outcome, Some(Ok(()))), "{name}: {outcome:?}");
        let chart = match settings.kind.chart {
            Chart::Reported => "series",
            Chart::Timeline => "timeline",
            Chart::Network => "actors",
            Chart::Map => "map",
            Chart::Compare => "compare",
            Chart::Events => "events",
            Chart::Brief => "brief",
        };
        let mut args = if chart == "brief" {
            vec!["brief", "--out", from_cli.to_str().unwrap()]
        } else {
            vec![
                "export",
                "--chart",
                chart,
                "--out",
                from_cli.to_str().unwrap(),
            ]
        };
        args.extend(extra);
        let (code, _, err) = common::run(&args);
        assert_eq!(code, 0, "{err}");
        // svg2pdf's font subsets are not byte-for-byte the same from run to run, so PDFs are
        // compared by their text, page by page (poppler's pdftotext).
        let content = |path: &std::path::Path| -> Vec<u8> {
            if name.ends_with(".pdf") {
                if !common::have_tool("an_export_from_the_app_equals_the_cli_export", "pdftotext") {
                    return Vec::new();
                }
                let out = std::process::Command::new("pdftotext")
                    .args(["-layout", path.to_str().unwrap(), "-"])
                    .output()
                    .expect("pdftotext (poppler-utils) is installed");
                assert!(out.status.success() && !out.stdout.is_empty());
                out.stdout
            } else {
                std::fs::read(path).unwrap()
            }
        };
        assert_eq!(
            content(&from_app),
            content(&from_cli),
            "{name}: the app and the CLI wrote different files"
        );
        harness.state_mut().state.exporting = None;
    }
    // A failed export says so and writes nothing.
    let nowhere = dir.path().join("no/such/dir/x.svg");
    harness
        .state_mut()
        .act(Action::ExportTo(Box::new(chosen), nowhere.clone()));
    for _ in 0..200 {
        harness.step();
        if harness.state().state.exporting.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run();
    harness.get_by_label_contains("nothing was written");
    assert!(!nowhere.exists());
}

/// Sets a filter that the tests below expect to survive whatever goes wrong.
fn with_filter(
    harness: &mut Harness<'static, FaultlineApp>,
) -> (String, faultline_core::query::Filter) {
    harness
        .state_mut()
        .act(Action::SetFilter(Box::new(faultline_core::query::Filter {
            text: "drone".into(),
            ..Default::default()
        })));
    harness.run();
    let state = &harness.state().state;
    (state.dataset.title().to_string(), state.filter.clone())
}

/// Starts a load of `name` in the background with `read` standing in for the file readers.
fn start_load(
    harness: &mut Harness<'static, FaultlineApp>,
    name: &str,
    read: impl FnOnce(
            &std::path::Path,
            &faultline_core::io::OpenOptions,
        ) -> Result<faultline::app::LoadedDataset, faultline_core::io::LoadError>
        + Send
        + 'static,
) {
    let ctx = harness.ctx.clone();
    harness.state_mut().state.loading = Some(faultline::app::loader::Loading::start_with(
        PathBuf::from(name),
        std::sync::Arc::new(move || ctx.request_repaint()),
        read,
    ));
}

#[test]
fn a_reader_that_panics_keeps_the_open_dataset_and_its_filter() {
    let mut harness = app_harness();
    harness.run();
    let (title, filter) = with_filter(&mut harness);
    start_load(&mut harness, "crashing.csv", |_, _| {
        panic!("a bug in a reader")
    });
    wait_for_load(&mut harness);
    harness.get_by_label_contains("the reader crashed (a bug in a reader)");
    let state = &harness.state().state;
    assert_eq!(state.dataset.title(), title);
    assert_eq!(state.filter, filter);
}

#[test]
fn a_cancelled_load_keeps_the_open_dataset_and_its_filter() {
    let mut harness = app_harness();
    harness.run();
    let (title, filter) = with_filter(&mut harness);
    // A reader that runs until it is told to stop, as a long import does.
    start_load(&mut harness, "endless.csv", |path, options| loop {
        if options
            .cancel
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
        {
            return Err(faultline_core::io::LoadError::Cancelled {
                path: path.to_path_buf(),
            });
        }
        std::thread::sleep(Duration::from_millis(5));
    });
    harness.step();
    harness.get_by_label("Cancel").click();
    wait_for_load(&mut harness);
    harness.get_by_label_contains("was cancelled; the open dataset is unchanged");
    let state = &harness.state().state;
    assert_eq!(state.dataset.title(), title);
    assert_eq!(state.filter, filter);
}

#[test]
fn a_panic_while_drawing_becomes_a_message_with_a_crash_report_and_the_work_is_kept() {
    let reports = tempfile::tempdir().unwrap();
    faultline::crash::set_report_dir(reports.path().to_path_buf());
    faultline::crash::install_hook();
    let app = FaultlineApp::new(Settings::default(), &[], &egui::Context::default());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut FaultlineApp| {
                app.frame_guarded(ui, |app, ui| {
                    if app.state.filter.text == "trigger a bug" {
                        panic!("a bug in a view");
                    }
                    app.frame(ui);
                })
            },
            app,
        );
    harness.run();
    let title = harness.state().state.dataset.title().to_string();
    harness.state_mut().state.filter.text = "trigger a bug".into();
    harness.run_steps(5);
    harness.get_by_label_contains("hit a bug and recovered");
    let state = &harness.state().state;
    assert_eq!(state.dataset.title(), title);
    assert_eq!(state.filter.text, "trigger a bug");
    let bug: Vec<_> = state
        .messages
        .iter()
        .filter(|m| m.title.contains("hit a bug and recovered"))
        .collect();
    assert_eq!(bug.len(), 1, "one message, however many frames panicked");
    assert_eq!(bug[0].details[0], "a bug in a view");
    let report_line = bug[0]
        .details
        .iter()
        .find(|d| d.starts_with("A crash report was written to "))
        .expect("the message says where the report is");
    let report = PathBuf::from(report_line.trim_start_matches("A crash report was written to "));
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("panic: a bug in a view"), "{text}");
    assert!(
        text.contains("tests/app_ui.rs"),
        "the report says where: {text}"
    );
    // Once the cause is gone, the app draws normally again, the message still there.
    harness.state_mut().state.filter.text.clear();
    harness.run();
    harness.get_by_label_contains("hit a bug and recovered");
    harness.get_by_label("Timeline and events");
}

/// Answers the Save dialog with a file in `dir` under the proposed name, and notes the name.
struct SaveInto {
    dir: PathBuf,
    proposed: Arc<std::sync::Mutex<Vec<String>>>,
}

impl faultline::app::dialogs::FileDialogs for SaveInto {
    fn pick_dataset(&mut self) -> Option<PathBuf> {
        None
    }
    fn save_export(&mut self, default_name: &str, _extension: &str) -> Option<PathBuf> {
        self.proposed.lock().unwrap().push(default_name.to_string());
        Some(self.dir.join(default_name))
    }
}

#[test]
fn saving_a_png_from_the_export_window_writes_it_under_a_name_that_says_what_and_when() {
    let dir = tempfile::tempdir().unwrap();
    let proposed = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut harness = app_harness();
    harness.state_mut().runtime.dialogs = Box::new(SaveInto {
        dir: dir.path().to_path_buf(),
        proposed: proposed.clone(),
    });
    harness.run();
    harness.get_by_label("Export").click();
    harness.run();
    harness.get_by_label("Timeline…  (Ctrl+E)").click();
    harness.run();
    harness.get_by_label("2×").click();
    harness.run();
    harness.get_by_label("Save…").click();
    // One frame: the export then runs in the background (a spinner shows meanwhile).
    harness.step();
    let name = proposed
        .lock()
        .unwrap()
        .first()
        .cloned()
        .expect("the Save dialog was asked");
    assert_eq!(
        name,
        "drone-launches-from-iraq-toward-israel-by-month-2024-11-21.png"
    );
    let outcome = harness
        .state()
        .state
        .exporting
        .as_ref()
        .expect("the export runs in the background")
        .wait(Duration::from_secs(60));
    assert!(matches!(outcome, Some(Ok(()))), "{outcome:?}");
    let bytes = std::fs::read(dir.path().join(&name)).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    // 2× of the default 1200×675: the IHDR chunk holds the size.
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (2400, 1350));
    assert!(harness.state().state.export.is_none(), "the window closed");
}

#[test]
fn a_told_statement_shows_the_sources_words_never_quoted_under_the_speaker() {
    let mut harness = app_harness();
    harness.run();
    open_actors_tab(&mut harness);
    // The actor list's row comes first (the statements below name speakers too).
    harness
        .get_all_by_role_and_label(Role::Label, "Israel")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(
        harness.state().state.selection,
        faultline::app::Selection::Actor(actor_index(&harness, "Israel"))
    );
    let account = "Israel has accused Iraq of enabling Iran to strike Israel throughits airspace in April and October when hundreds of Iranian missiles hit Israel.";
    // In the statements panel and in the details, each time as the source's words.
    let told = harness
        .get_all_by_label("In the words of Shafaq News, not the speaker's:")
        .count();
    assert!(told >= 2, "{told}");
    assert_eq!(
        harness.get_all_by_label(account).count(),
        told,
        "the account, as is"
    );
    assert_eq!(
        harness.query_all_by_label(&format!("“{account}”")).count(),
        0,
        "never in quotation marks under Israel's name"
    );
    // A quoted statement keeps its quotation marks.
    let saar = actor_index(&harness, "Gideon Sa'ar");
    harness.state_mut().act(Action::SelectActor(saar));
    harness.run();
    assert!(harness.get_all_by_label("“swiftly”").count() >= 1);
}

#[test]
fn the_iri_details_name_its_three_weapons() {
    let mut harness = app_harness();
    harness.run();
    open_actors_tab(&mut harness);
    harness
        .get_all_by_role_and_label(Role::Label, "Islamic Resistance in Iraq")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert!(harness
        .query_by_label("drones, Arqab cruise missiles, Sarem short-range smart missile")
        .is_some());
}

/// A store with one event on each of `days` (day numbers from `first`, every `step` days).
fn dated_dataset(first: &str, count: u32, step: u64) -> faultline::app::LoadedDataset {
    use faultline_core::model::{DateSpan, EventRow, Text};
    let mut store = faultline_core::store::Store::new(faultline_core::model::Dataset {
        title: "dated".into(),
        ..Default::default()
    });
    let start: NaiveDate = first.parse().unwrap();
    for i in 0..count {
        let id = format!("D{i}");
        store.push(&EventRow::new(
            Text::of(&id),
            DateSpan::Day(start + chrono::Days::new(u64::from(i) * step)),
            Text::of("Battles"),
        ));
    }
    let opened = faultline_core::io::Opened::whole(store, faultline_core::io::Format::Faultline);
    faultline::app::LoadedDataset::new(opened, None)
}

/// The timeline's date labels after a frame, each checked against egui_plot's rule for
/// drawing one: more than 60 points of room, and at least the label's own width.
fn drawn_axis_labels(harness: &mut Harness<'static, FaultlineApp>) -> Vec<String> {
    harness.run();
    let axis = harness
        .state()
        .panel::<faultline::ui::timeline::TimelinePanel>()
        .unwrap()
        .axis_labels();
    let ctx = harness.ctx.clone();
    let font = egui::TextStyle::Body.resolve(&ctx.global_style());
    let widest = axis
        .labels
        .iter()
        .map(|(_, label)| {
            ctx.fonts_mut(|f| {
                f.layout_no_wrap(label.clone(), font.clone(), egui::Color32::WHITE)
                    .size()
                    .x
            })
        })
        .fold(0.0f32, f32::max);
    assert!(
        axis.spacing_points > 60.0 && axis.spacing_points >= f64::from(widest),
        "labels {:?} have {} points of room for {} points of text",
        axis.labels,
        axis.spacing_points,
        widest
    );
    axis.labels.into_iter().map(|(_, l)| l).collect()
}

#[test]
fn fifteen_years_by_month_have_dates_under_the_bars() {
    let mut harness = app_harness();
    // One event a month, January 2004 to December 2018.
    harness.state_mut().state.dataset = dated_dataset("2004-01-15", 180, 30);
    harness
        .state_mut()
        .act(Action::SetBucket(faultline_core::query::BucketSize::Month));
    let labels = drawn_axis_labels(&mut harness);
    assert!(labels.len() >= 4, "{labels:?}");
    assert!(
        labels
            .iter()
            .all(|l| l.parse::<i32>().is_ok_and(|y| (2004..=2019).contains(&y))),
        "{labels:?}"
    );
}

#[test]
fn a_thousand_days_by_day_have_dates_under_the_bars() {
    let mut harness = app_harness();
    harness.state_mut().state.dataset = dated_dataset("2021-06-03", 1000, 1);
    harness
        .state_mut()
        .act(Action::SetBucket(faultline_core::query::BucketSize::Day));
    let labels = drawn_axis_labels(&mut harness);
    assert!(labels.len() >= 4, "{labels:?}");
    // Month or year boundaries, in order.
    assert!(labels.iter().any(|l| l.contains("2022")), "{labels:?}");
}
