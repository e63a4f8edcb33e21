//! What the screen shows is what a file holds: the exported network has exactly the actors and
//! edges drawn, a group keeps its colour on screen and in pictures whatever the filter, and a
//! new dataset never shows an earlier one's actors.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use egui_kittest::Harness;
use faultline::app::{Action, CentralTab, ExportSettings, GraphSettings, LoadedDataset, Settings};
use faultline::ui::actor_graph::ActorGraphPanel;
use faultline::ui::actor_list::ActorList;
use faultline::ui::timeline::TimelinePanel;
use faultline::ui::FaultlineApp;
use faultline_core::export::ExportKind;
use faultline_core::model::{ActorIndex, ActorKind, DateSpan, EventRow, Text};
use faultline_core::query::{EdgeKind, Filter, GroupBy};
use faultline_core::store::Store;

fn harness() -> Harness<'static, FaultlineApp> {
    common::app(Settings::default(), (1600.0, 1000.0))
}

use common::settle;

/// Exports what the app shows to `path`, through the Export window's path in the app.
fn export_from_app(harness: &mut Harness<'static, FaultlineApp>, kind: ExportKind, path: &Path) {
    harness.state_mut().act(Action::Export(kind));
    let settings = ExportSettings::new(kind);
    harness
        .state_mut()
        .act(Action::ExportTo(Box::new(settings), path.to_path_buf()));
    settle(harness);
    assert!(path.is_file(), "{} written", path.display());
}

/// 300 actors of several kinds in a ring with chords: a network too large to show whole.
fn ring_dataset() -> LoadedDataset {
    let mut store = Store::new(faultline_core::model::Dataset {
        title: "ring".into(),
        ..Default::default()
    });
    let kinds = [
        ActorKind::ArmedGroup,
        ActorKind::State,
        ActorKind::ArmedGroup,
        ActorKind::Person,
        ActorKind::GovernmentBody,
        ActorKind::ArmedGroup,
        ActorKind::CivilianGroup,
    ];
    let actors: Vec<u32> = (0..300)
        .map(|i| store.intern_actor(&format!("Actor {i:03}"), kinds[i % kinds.len()]))
        .collect();
    let day = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    let mut k = 0;
    for i in 0..300usize {
        // Each actor meets its neighbour on the ring, and every fifth one the actor ten
        // further on; the low numbers meet more often, so they are the most connected.
        let mut partners = vec![(i + 1) % 300];
        if i % 5 == 0 {
            partners.push((i + 10) % 300);
        }
        for p in partners {
            for _ in 0..(1 + (300 - i) / 60) {
                let id = format!("E{k}");
                k += 1;
                store.push(&EventRow {
                    actor1: Some(ActorIndex(actors[i])),
                    actor2: Some(ActorIndex(actors[p])),
                    ..EventRow::new(Text::of(&id), DateSpan::Day(day), Text::of("Battles"))
                });
            }
        }
    }
    let opened = faultline_core::io::Opened::whole(store, faultline_core::io::Format::Faultline);
    LoadedDataset::new(opened, None)
}

fn edge_kind_name(kind: EdgeKind) -> String {
    match kind {
        EdgeKind::Interaction => "interaction".into(),
        EdgeKind::SameSide => "same side".into(),
        EdgeKind::Stated(k) => k.label().into(),
    }
}

#[test]
fn the_exported_network_holds_exactly_the_actors_and_edges_on_screen() {
    let mut harness = harness();
    harness.state_mut().state.dataset = ring_dataset();
    harness.state_mut().act(Action::SetTab(CentralTab::Actors));
    let settings = GraphSettings {
        max_actors: 100,
        ego: true,
        ego_hops: 2,
        hidden_actor_kinds: vec![ActorKind::CivilianGroup],
        ..GraphSettings::default()
    };
    harness
        .state_mut()
        .act(Action::SetGraph(Box::new(settings)));
    let centre = {
        let store = harness.state().state.dataset.store();
        (0..store.actors().len() as u32)
            .find(|&a| store.actor_name(a) == "Actor 010")
            .unwrap()
    };
    harness.state_mut().act(Action::SelectActor(centre));
    settle(&mut harness);

    let app = harness.state();
    let store = app.state.dataset.store();
    let panel = app.panel::<ActorGraphPanel>().unwrap();
    let name = |a: u32| store.actor_name(a).to_string();
    let on_screen: BTreeSet<String> = panel.visible_actors().iter().map(|&a| name(a)).collect();
    let edges_on_screen: BTreeSet<(String, String, String)> = panel
        .visible_edges()
        .iter()
        .map(|&(a, b, kind)| (name(a), name(b), edge_kind_name(kind)))
        .collect();
    // The settings bite: a neighbourhood of two hops, no civilians, fewer than 100 actors.
    assert!(on_screen.contains("Actor 010"));
    assert!(
        on_screen.len() > 5 && on_screen.len() < 100,
        "{on_screen:?}"
    );
    assert!(!edges_on_screen.is_empty());
    for a in panel.visible_actors() {
        assert_ne!(store.actors()[*a as usize].kind, ActorKind::CivilianGroup);
    }

    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("network.svg");
    let csv_path = dir.path().join("network.csv");
    export_from_app(&mut harness, ExportKind::NETWORK_SVG, &svg_path);
    export_from_app(&mut harness, ExportKind::NETWORK_CSV, &csv_path);

    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let in_svg: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("actor"))
        .map(|n| n.attribute("data-actor").unwrap().to_string())
        .collect();
    let edges_in_svg: BTreeSet<(String, String, String)> = doc
        .descendants()
        .filter(|n| matches!(n.attribute("class"), Some("interaction" | "relation")))
        .map(|n| {
            let kind = n.attribute("data-kind").unwrap_or("interaction");
            (
                n.attribute("data-from").unwrap().to_string(),
                n.attribute("data-to").unwrap().to_string(),
                kind.to_string(),
            )
        })
        .collect();
    assert_eq!(in_svg, on_screen, "the SVG has the actors on screen");
    assert_eq!(edges_in_svg, edges_on_screen, "and the edges");

    let mut csv = csv::Reader::from_path(&csv_path).unwrap();
    let mut in_csv = BTreeSet::new();
    let mut edges_in_csv = BTreeSet::new();
    for row in csv.records() {
        let row = row.unwrap();
        if &row[2] == "actor" {
            in_csv.insert(row[0].to_string());
        } else {
            edges_in_csv.insert((row[0].to_string(), row[1].to_string(), row[2].to_string()));
        }
    }
    assert_eq!(in_csv, on_screen, "the CSV lists the actors on screen");
    assert_eq!(edges_in_csv, edges_on_screen, "and the edges");
}

fn png_has_colour(png: &[u8], colour: egui::Color32) -> bool {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(step)
        .any(|p| p[0] == colour.r() && p[1] == colour.g() && p[2] == colour.b())
}

#[test]
fn a_group_keeps_its_colour_on_screen_and_in_pictures_when_a_filter_reorders_the_groups() {
    let mut harness = harness();
    harness
        .state_mut()
        .act(Action::SetGroupBy(GroupBy::EventType));
    settle(&mut harness);
    let colour_of = |harness: &Harness<'static, FaultlineApp>, group: &str| {
        let panel = harness.state().panel::<TimelinePanel>().unwrap();
        let drawn = panel.drawn_groups();
        let at = drawn.iter().position(|(n, _)| n == group).unwrap();
        (at, drawn[at].1)
    };
    let (rank_before, battles) = colour_of(&harness, "Battles");
    assert!(
        rank_before > 0,
        "Battles is not the first group of the whole dataset"
    );

    // Only Lebanon: Battles becomes the first (and only) group in view.
    let lebanon = Filter {
        countries: vec!["Lebanon".into()],
        ..Filter::default()
    };
    harness
        .state_mut()
        .act(Action::SetFilter(Box::new(lebanon)));
    settle(&mut harness);
    let (rank_after, battles_after) = colour_of(&harness, "Battles");
    assert_eq!(rank_after, 0, "the filter reordered the groups");
    assert_eq!(battles_after, battles, "the same colour on screen");
    assert_ne!(
        battles,
        faultline::ui::palette::category(0),
        "not the colour of whatever group comes first"
    );

    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("timeline.svg");
    let png_path = dir.path().join("timeline.png");
    export_from_app(&mut harness, ExportKind::TIMELINE_SVG, &svg_path);
    export_from_app(&mut harness, ExportKind::TIMELINE_PNG, &png_path);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let bar = doc
        .descendants()
        .find(|n| n.attribute("data-group") == Some("Battles"))
        .expect("a Battles bar");
    let hex = format!("#{:02X}{:02X}{:02X}", battles.r(), battles.g(), battles.b());
    assert_eq!(bar.attribute("fill"), Some(hex.as_str()));
    let png = std::fs::read(&png_path).unwrap();
    assert!(png_has_colour(&png, battles), "the PNG has {hex}");
    let first = faultline::ui::palette::category(0);
    assert!(
        !png_has_colour(&png, first),
        "and not the first category's colour"
    );
}

/// An ACLED file whose actors all start with `prefix`.
fn acled_file(dir: &Path, prefix: &str) -> std::path::PathBuf {
    let mut text = String::from(
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,country,admin1,location,latitude,longitude,notes,fatalities\n",
    );
    for i in 0..12 {
        text.push_str(&format!(
            "{prefix}{i},2020-05-{:02},2020,1,Battles,Armed clash,{prefix} Army {},,1,{prefix} Militia {},,3,Yemen,Sanaa,Sanaa,15.35,44.2,note,1\n",
            i + 1,
            i % 4,
            i % 3
        ));
    }
    let path = dir.join(format!("{prefix}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn three_datasets_in_a_row_never_show_an_earlier_datasets_actors() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness();
    harness.state_mut().act(Action::SetTab(CentralTab::Actors));
    settle(&mut harness);
    for prefix in ["Alpha", "Bravo", "Charlie"] {
        let path = acled_file(dir.path(), prefix);
        harness.state_mut().act(Action::Open(path));
        settle(&mut harness);
        let app = harness.state();
        let store = app.state.dataset.store();
        assert!(store.actor_index(&format!("{prefix} Army 0")).is_some());
        let graph = app.panel::<ActorGraphPanel>().unwrap();
        let list = app.panel::<ActorList>().unwrap();
        let graph_names: Vec<&str> = graph
            .visible_actors()
            .iter()
            .map(|&a| store.actor_name(a))
            .collect();
        let list_names: Vec<&str> = list
            .rows()
            .iter()
            .map(|&a| store.actor_name(a as u32))
            .collect();
        assert_eq!(
            graph_names.len(),
            7,
            "{prefix}: 4 armies and 3 militias drawn"
        );
        assert_eq!(list_names.len(), 7, "{prefix}: and listed");
        for name in graph_names.iter().chain(&list_names) {
            assert!(name.starts_with(prefix), "{prefix}: shows {name:?}");
        }
    }
}
