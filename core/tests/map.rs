//! The map's answers over real and hand-made files: location precision as ACLED and UCDP
//! code it, events without usable coordinates counted, events per country by name, the
//! region filter (also across the antimeridian), and the exported picture and CSV.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use faultline_core::export::map::MapExport;
use faultline_core::export::{render, Chart, ExportKind, ExportRequest, FileFormat};
use faultline_core::io::{open, open_bytes, OpenOptions};
use faultline_core::layout::map::{MapFrame, Projection};
use faultline_core::model::GeoBox;
use faultline_core::query::map::{
    map_scene, marks_holding, ColourBy, MapLayer, MapPoints, MapSpec, Mark, SceneLayer,
};
use faultline_core::query::{Engine, Filter};

/// The markers and clusters `frame` shows of `points`, as the panel draws them.
fn markers(points: &MapPoints, frame: MapFrame) -> Vec<Mark> {
    let spec = MapSpec {
        layer: MapLayer::Points,
        colour_by: ColourBy::EventType,
        frame,
    };
    match map_scene(points, &spec).layer {
        SceneLayer::Marks(marks) => marks,
        other => panic!("markers: {other:?}"),
    }
}

fn engine_of(text: &str, name: &str) -> Engine {
    let opened = open_bytes(text.as_bytes(), Path::new(name), &OpenOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    Engine::new(Arc::new(opened.store))
}

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities\n";

/// Five events: a town (precision 1), near a town (2), a region's centre (3), 0°, 0° and no
/// coordinates at all.
fn acled_precisions() -> String {
    ACLED_HEADER.to_string()
        + "A1,2024-03-01,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Khartoum,Khartoum,15.5,32.53,1,Radio,clash,3\n"
        + "A2,2024-03-02,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Khartoum,Bahri,15.64,32.52,2,Radio,clash,0\n"
        + "A3,2024-03-03,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Darfur,Darfur,13.0,24.0,3,Radio,clash,\n"
        + "A4,2024-03-04,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Kassala,Kassala,0,0,1,Radio,clash,1\n"
        + "A5,2024-03-05,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Kassala,Kassala,,,1,Radio,clash,1\n"
}

#[test]
fn acled_geo_precision_2_and_3_are_approximate_and_unusable_coordinates_are_counted() {
    let engine = engine_of(&acled_precisions(), "acled.csv");
    let points = engine.map_points(
        &Filter::default(),
        Projection::Equirectangular,
        ColourBy::EventType,
    );
    let store = engine.store();
    let placed: Vec<(&str, bool)> = points
        .rows
        .iter()
        .zip(&points.approximate)
        .map(|(&r, &a)| (store.row(r as usize).id(), a))
        .collect();
    assert_eq!(placed, vec![("A1", false), ("A2", true), ("A3", true)]);
    assert_eq!(points.without_coordinates, 2, "0°, 0° and the empty cells");
    assert_eq!(points.approximate_count(), 2);
    // The CSV says the same, event by event.
    let csv = String::from_utf8(export(&engine, &Filter::default(), FileFormat::Csv)).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,date,latitude,longitude,precision,event_type,fatalities"
    );
    assert_eq!(lines[1], "A1,2024-03-01,15.5,32.53,exact,Battles,3");
    assert_eq!(lines[2], "A2,2024-03-02,15.64,32.52,approximate,Battles,0");
    assert_eq!(lines[3], "A3,2024-03-03,13,24,approximate,Battles,");
    assert_eq!(lines.len(), 4);
}

fn export(engine: &Engine, filter: &Filter, format: FileFormat) -> Vec<u8> {
    export_with(engine, filter, format, MapExport::default())
}

fn export_with(engine: &Engine, filter: &Filter, format: FileFormat, map: MapExport) -> Vec<u8> {
    let request = ExportRequest {
        annotations: &[],
        compare: Default::default(),
        kind: ExportKind::new(Chart::Map, format),
        filter,
        spec: Default::default(),
        graph: Default::default(),
        title: None,
        size: (1200, 800),
        scale: 1,
        reported: Default::default(),
        skipped: 0,
        with_ids: false,
        map,
        animation: Default::default(),
    };
    render(engine, &request).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn ucdp_where_prec_2_to_7_is_approximate() {
    let Some(path) = common::shared_data(
        "ucdp_where_prec_2_to_7_is_approximate",
        "ucdp_ged231_car.geojson",
    ) else {
        return;
    };
    // The reference, read from the GeoJSON by hand: events with coordinates, and those whose
    // where_prec is 2–7.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let (mut placed, mut approximate) = (0, 0);
    let mut precisions = BTreeSet::new();
    for f in json["features"].as_array().unwrap() {
        let p = &f["properties"];
        let coords = &f["geometry"]["coordinates"];
        let (lon, lat) = (coords[0].as_f64(), coords[1].as_f64());
        if lon.is_some() && lat.is_some() {
            placed += 1;
            let prec = p["where_prec"].as_i64().unwrap();
            precisions.insert(prec);
            if (2..=7).contains(&prec) {
                approximate += 1;
            }
        }
    }
    assert!(
        precisions.len() >= 4,
        "the file has several precisions: {precisions:?}"
    );
    let opened = open(&path, &OpenOptions::default()).unwrap();
    let engine = Engine::new(Arc::new(opened.store));
    let points = engine.map_points(
        &Filter::default(),
        Projection::Equirectangular,
        ColourBy::EventType,
    );
    assert_eq!(points.len(), placed);
    assert_eq!(points.approximate_count(), approximate);
    assert_eq!(placed, 1848, "every event of this file has coordinates");
    assert_eq!(approximate, 634);

    // The picture: the outlines, the legend, the attribution, and marks that stand for every
    // placed event (clusters carry their counts).
    let svg = String::from_utf8(export(&engine, &Filter::default(), FileFormat::Svg)).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the map SVG parses");
    let with_class = |class: &'static str| {
        doc.descendants()
            .filter(move |n| n.attribute("class") == Some(class))
    };
    let countries: Vec<&str> = with_class("country")
        .filter_map(|n| n.attribute("data-name"))
        .collect();
    assert!(countries.contains(&"Central African Rep."), "{countries:?}");
    assert!(countries.contains(&"Cameroon"));
    assert_eq!(with_class("legend").count(), 1);
    let attribution: String = with_class("attribution").filter_map(|n| n.text()).collect();
    assert!(attribution.contains("Natural Earth"), "{attribution}");
    let counted: u32 = with_class("mark")
        .map(|n| n.attribute("data-count").unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(
        counted as usize, placed,
        "one mark per event or per cluster"
    );
    let rings = with_class("mark")
        .filter(|n| n.attribute("data-approximate") == Some("true"))
        .count();
    assert!(rings > 0, "approximate places are drawn as rings");

    // As density: the bins hold every event too.
    let density = String::from_utf8(export_with(
        &engine,
        &Filter::default(),
        FileFormat::Svg,
        MapExport {
            layer: MapLayer::Density,
            ..MapExport::default()
        },
    ))
    .unwrap();
    let doc = roxmltree::Document::parse(&density).unwrap();
    let binned: u32 = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("bin"))
        .map(|n| n.attribute("data-count").unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(binned as usize, placed);
}

#[test]
fn the_seed_is_counted_per_country_by_the_names_it_gives() {
    // By hand from assets/seed.json: Harir base (Iraq); missiles on Israel twice and Channel
    // 14 (Israel); the war in Lebanon; the drone that killed soldiers names no place.
    let store =
        faultline_core::store::Store::from_dataset(faultline_core::seed::seed_dataset().unwrap());
    let engine = Engine::new(Arc::new(store));
    let totals = engine.country_totals(&Filter::default());
    let counts: Vec<(&str, u32)> = totals
        .countries
        .iter()
        .map(|(n, e, _)| (n.as_str(), *e))
        .collect();
    assert_eq!(counts, vec![("Israel", 3), ("Iraq", 1), ("Lebanon", 1)]);
    assert_eq!(totals.unplaced, 1);
    assert!(totals.unknown_names.is_empty());
    let points = engine.map_points(
        &Filter::default(),
        Projection::Equirectangular,
        ColourBy::EventType,
    );
    assert_eq!(points.len(), 0);
    assert_eq!(points.without_coordinates, 6);
}

/// A native file with events at 179.5°E, 179.5°W, 0°E (on the equator) and 170°E.
const AROUND_THE_SEAM: &str = r#"{
  "format": "faultline",
  "version": 2,
  "title": "seam",
  "sources": [{"id": "s", "publisher": "Test", "title": "t"}],
  "actors": [{"id": "a", "name": "A", "kind": "armed_group"}],
  "events": [
    {"id": "east", "date": "2024-01-01", "event_type": "Battles", "actor1": "a",
     "location": {"country": "Fiji", "latitude": -16.5, "longitude": 179.5},
     "description": "d", "status": {"kind": "reported"}, "sources": [{"source": "s", "quote": "q"}]},
    {"id": "west", "date": "2024-01-02", "event_type": "Battles", "actor1": "a",
     "location": {"country": "Fiji", "latitude": -16.5, "longitude": -179.5},
     "description": "d", "status": {"kind": "reported"}, "sources": [{"source": "s", "quote": "q"}]},
    {"id": "gabon", "date": "2024-01-03", "event_type": "Battles", "actor1": "a",
     "location": {"country": "Gabon", "latitude": 0.0, "longitude": 9.5},
     "description": "d", "status": {"kind": "reported"}, "sources": [{"source": "s", "quote": "q"}]},
    {"id": "far", "date": "2024-01-04", "event_type": "Battles", "actor1": "a",
     "location": {"latitude": -16.5, "longitude": 170.0},
     "description": "d", "status": {"kind": "reported"}, "sources": [{"source": "s", "quote": "q"}]}
  ]
}"#;

#[test]
fn the_region_filter_selects_inside_its_box_also_across_the_antimeridian() {
    let engine = engine_of(AROUND_THE_SEAM, "seam.json");
    let ids = |filter: &Filter| -> Vec<String> {
        engine
            .rows(filter)
            .iter()
            .map(|&r| engine.store().row(r as usize).id().to_string())
            .collect()
    };
    let across = Filter {
        region: Some(GeoBox::parse("175,-20,-175,-10").unwrap()),
        ..Filter::default()
    };
    assert_eq!(ids(&across), vec!["east", "west"]);
    assert_eq!(
        across.describe(engine.store()),
        "within 20°S–10°S, 175°E–175°W"
    );
    let plain = Filter {
        region: Some(GeoBox::parse("0,-5,20,5").unwrap()),
        ..Filter::default()
    };
    assert_eq!(
        ids(&plain),
        vec!["gabon"],
        "the equator is not 'no coordinates'"
    );
    // A box inside another narrows it; one beside it does not.
    let inner = Filter {
        region: Some(GeoBox::parse("179,-17,-179,-16").unwrap()),
        ..Filter::default()
    };
    assert!(inner.narrows(&across));
    assert!(!plain.narrows(&across));
    assert!(!Filter::default().narrows(&across));
    assert_eq!(ids(&inner), vec!["east", "west"]);
    // Fiji's events are counted in Fiji (by name); the unnamed one at 170°E is at sea.
    let totals = engine.country_totals(&Filter::default());
    assert_eq!(totals.of("Fiji"), Some((2, 0)));
    assert_eq!(totals.of("Gabon"), Some((1, 0)));
    assert_eq!(totals.unplaced, 1);
    // The CSV of the map under the region holds exactly the events inside it.
    let csv = String::from_utf8(export(&engine, &across, FileFormat::Csv)).unwrap();
    let listed: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(listed, vec!["east", "west"]);
}

/// A cluster counts the selected actor's events among its own: `marks_holding` finds each
/// event in view in the marker it was clustered into, so asking for every event gives back
/// each marker's count, and asking for one actor's gives back exactly that actor's events.
#[test]
fn each_marker_holds_the_selected_actors_events_that_were_clustered_into_it() {
    // Three towns far apart; in each, twelve events a few hundred metres apart (one cluster
    // at world scale). The militia fights in two of them, four times each.
    let mut text = ACLED_HEADER.to_string();
    for (t, (lat, lon)) in [(15.5, 32.5), (4.85, 31.6), (-1.95, 30.06)]
        .iter()
        .enumerate()
    {
        for k in 0..12 {
            let actor2 = if t < 2 && k < 4 { "Militia" } else { "Rebels" };
            text += &format!(
                "E{t}-{k},2024-03-{:02},2024,1,Battles,Armed clash,Army,{actor2},Sudan,A,Town,{},{},1,Radio,clash,1\n",
                k + 1,
                lat + k as f64 * 0.001,
                lon
            );
        }
    }
    let engine = engine_of(&text, "acled.csv");
    let points = engine.map_points(
        &Filter::default(),
        Projection::Equirectangular,
        ColourBy::EventType,
    );
    let frame = MapFrame::world(Projection::Equirectangular, [900.0, 500.0]);
    let marks = &markers(&points, frame);
    assert_eq!(
        marks.iter().map(|m| m.count).collect::<Vec<_>>(),
        [12, 12, 12]
    );
    let every = marks_holding(&points, &frame, marks, |_| true);
    assert_eq!(every, [12, 12, 12]);
    let store = engine.store();
    let militia = (0..store.actors().len() as u32)
        .find(|&a| store.actor_name(a) == "Militia")
        .unwrap();
    let held = marks_holding(&points, &frame, marks, |row| {
        store.row(row).all_actors().any(|a| a == militia)
    });
    assert_eq!(held, [4, 4, 0]);
    // Zoomed far into the first town, only its events are in view: the others hold none.
    let zoomed = MapFrame::fit(
        Projection::Equirectangular,
        &GeoBox::new(32.4, 15.4, 32.6, 15.6).unwrap(),
        [900.0, 500.0],
        10.0,
    );
    let marks = &markers(&points, zoomed);
    let held: u32 = marks_holding(&points, &zoomed, marks, |row| {
        store.row(row).all_actors().any(|a| a == militia)
    })
    .iter()
    .sum();
    assert_eq!(held, 4);
}

/// Events on both sides of 180° (Fiji's islands): "Fit to data" frames them across the
/// antimeridian, every one is in view, and the countries are drawn on both sides of the seam.
#[test]
fn events_across_the_antimeridian_are_fitted_and_drawn_together() {
    let mut text = ACLED_HEADER.to_string();
    let places = [
        (-17.8, 177.4),
        (-18.1, 178.4),
        (-16.8, 179.3),
        (-16.2, -179.9),
        (-19.0, -178.5),
    ];
    for (k, (lat, lon)) in places.iter().enumerate() {
        text += &format!(
            "F{k},2024-03-0{},2024,1,Protests,Peaceful protest,Protesters,,Fiji,Central,Town,{lat},{lon},1,Radio,march,0\n",
            k + 1
        );
    }
    let engine = engine_of(&text, "acled.csv");
    let points = engine.map_points(
        &Filter::default(),
        Projection::Equirectangular,
        ColourBy::EventType,
    );
    let bounds = points.bounds().unwrap();
    assert!(bounds.crosses_antimeridian(), "{bounds:?}");
    assert!(
        (bounds.west() - 177.4).abs() < 1e-3 && (bounds.east() + 178.5).abs() < 1e-3,
        "{bounds:?}"
    );
    let frame = MapFrame::fit(Projection::Equirectangular, &bounds, [900.0, 500.0], 20.0);
    let marks = &markers(&points, frame);
    assert_eq!(
        marks.iter().map(|m| m.count).sum::<u32>(),
        5,
        "every event in view once"
    );
    for m in marks {
        assert!(
            (0.0..900.0).contains(&m.at[0]) && (0.0..500.0).contains(&m.at[1]),
            "{m:?}"
        );
    }
    // The islands' outlines on both sides of the seam, one copy of the world each.
    let (_, outlines) = faultline_core::layout::map::country_outlines(&frame);
    let turns: BTreeSet<i64> = outlines.iter().map(|o| o.turns).collect();
    assert_eq!(turns.into_iter().collect::<Vec<_>>(), [0, 1]);
    // The region filter of what the map shows holds all five.
    let view = frame.visible();
    let inside = Filter {
        region: Some(view),
        ..Filter::default()
    };
    assert_eq!(engine.rows(&inside).len(), 5, "{view:?}");
}
