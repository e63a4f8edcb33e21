//! The map in the app (egui_kittest) and on the command line: it draws for the embedded
//! dataset and a real file, a click on a marker selects its event, a dragged box filters the
//! list and the timeline, the region chip takes the filter away, "no coordinates" is counted;
//! `export --chart map` with `--bbox` writes exactly the events inside.

mod common;

use std::collections::BTreeSet;

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use faultline::app::{Action, CentralTab, Selection, Settings};
use faultline::ui::map::MapPanel;
use faultline::ui::FaultlineApp;

fn on_the_map() -> Harness<'static, FaultlineApp> {
    let mut h = common::app(Settings::default(), (1400.0, 900.0));
    h.run();
    h.get_by_label("Map").click();
    common::settle(&mut h);
    assert_eq!(h.state().state.tab, CentralTab::Map);
    h
}

/// The map showing UCDP's Central African Republic file (1,848 events), or `None` (with the
/// skip said) when `../shared` is not there.
fn car_on_the_map(test: &str) -> Option<Harness<'static, FaultlineApp>> {
    let path = common::shared_data(test, "ucdp_ged231_car.geojson")?;
    let mut h = on_the_map();
    open(&mut h, path);
    Some(h)
}

fn open(h: &mut Harness<'static, FaultlineApp>, path: std::path::PathBuf) {
    h.state_mut().act(Action::Open(path));
    common::settle(h);
    // The camera fits the new events on the first frame after the load.
    h.run();
    common::settle(h);
}

/// The reference for a drawn region: the rows whose coordinates pass `inside`, found here by
/// walking every row.
fn rows_placed_where(
    store: &faultline_core::store::Store,
    inside: impl Fn(f64, f64) -> bool,
) -> BTreeSet<u32> {
    (0..store.len() as u32)
        .filter(|&r| {
            store
                .row(r as usize)
                .coordinates()
                .is_some_and(|(lat, lon)| inside(lat, lon))
        })
        .collect()
}

fn click_at(h: &mut Harness<'static, FaultlineApp>, at: Pos2) {
    h.hover_at(at);
    h.step();
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run();
}

fn drag(h: &mut Harness<'static, FaultlineApp>, from: Pos2, to: Pos2) {
    drag_along(h, &[from, to], Modifiers::NONE);
}

/// Presses at the first point, moves through the others in small steps with `modifiers`
/// held, and lets go at the last.
fn drag_along(h: &mut Harness<'static, FaultlineApp>, path: &[Pos2], modifiers: Modifiers) {
    let (from, to) = (path[0], path[path.len() - 1]);
    h.event(Event::ModifiersChanged(modifiers));
    h.hover_at(from);
    h.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    h.step();
    for leg in path.windows(2) {
        for k in 1..=10 {
            h.hover_at(leg[0] + (leg[1] - leg[0]) * (k as f32 / 10.0));
            h.step();
        }
    }
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.step();
    h.run();
}

#[test]
fn the_embedded_dataset_is_shaded_by_country_and_says_it_has_no_coordinates() {
    let h = on_the_map();
    // By hand from assets/seed.json: none of the six events carries coordinates.
    h.get_by_label("0 placed · 6 events have no coordinates");
    let panel = h.state().panel::<MapPanel>().unwrap();
    assert!(panel.drawn_marks().is_empty());
    let shown = h
        .state()
        .state
        .shown
        .map
        .expect("the map's view is computed");
    let scene = h
        .state()
        .state
        .dataset
        .engine
        .map_scene(&h.state().state.shown.filter, &shown);
    assert!(
        matches!(
            scene.layer,
            faultline_core::query::map::SceneLayer::Countries
        ),
        "with nothing to place, the countries the events name are shaded"
    );
}

#[test]
fn a_real_file_draws_markers_that_select_and_a_box_that_filters_every_view() {
    let Some(mut h) =
        car_on_the_map("a_real_file_draws_markers_that_select_and_a_box_that_filters_every_view")
    else {
        return;
    };
    assert_eq!(h.state().state.dataset.store().len(), 1848);
    let marks = h
        .state()
        .panel::<MapPanel>()
        .unwrap()
        .drawn_marks()
        .to_vec();
    let drawn: u32 = marks.iter().map(|m| m.count).sum();
    assert_eq!(drawn, 1848, "fitted to the data, every event is in view");
    h.get_by_label("1,848 placed · 634 approximately (rings)");

    // A click on a single event's marker selects that event.
    // An isolated one, far down the list (which shows about twenty rows at a time).
    let single = marks
        .iter()
        .filter(|m| m.count == 1 && m.row > 1000)
        .find(|m| marks.iter().all(|o| o == *m || o.at.distance(m.at) > 30.0))
        .expect("an isolated marker");
    click_at(&mut h, single.at);
    assert_eq!(h.state().state.selection, Selection::Event(single.row));
    // The event list, shown, has scrolled to it: its row is drawn (only rows in view are).
    let (date, source_place) = {
        let store = h.state().state.dataset.store();
        let e = store.row(single.row as usize);
        (e.date().label(), e.place().unwrap_or_default().to_string())
    };
    h.get_by_label("Timeline and events").click();
    common::settle(&mut h);
    // (The details column at the right shows its date too; the list's rows are left of it.)
    let list_right = h.get_by_label("Export events…").rect().left() + 700.0;
    assert!(
        h.get_all_by_label(&date)
            .any(|n| n.rect().right() < list_right),
        "the selected event's row ({date}, {source_place}) is in view"
    );
    h.get_by_label("Map").click();
    common::settle(&mut h);

    // A box dragged in "Select region" filters every view to the events inside it.
    h.get_by_label("Select region").click();
    h.run();
    let canvas = h.state().panel::<MapPanel>().unwrap().canvas().unwrap();
    let (from, to) = (
        canvas.center() - egui::vec2(150.0, 120.0),
        canvas.center() + egui::vec2(150.0, 120.0),
    );
    drag(&mut h, from, to);
    common::settle(&mut h);
    let state = &h.state().state;
    let region = state.filter.region.expect("the box became a region filter");
    // The reference: the events whose coordinates lie in the box, counted here.
    let store = state.dataset.store();
    let inside = rows_placed_where(store, |lat, lon| region.contains(lat, lon));
    assert!(
        !inside.is_empty() && inside.len() < 1848,
        "{}",
        inside.len()
    );
    let listed: BTreeSet<u32> = state
        .dataset
        .engine
        .rows(&state.shown.filter)
        .iter()
        .copied()
        .collect();
    assert_eq!(listed, inside, "the list shows the events in the box");
    let series = state
        .dataset
        .engine
        .time_series(&state.shown.filter, state.shown.spec);
    let timeline: u32 = series.totals().iter().sum();
    // Events dated over more than a month are said beside the chart, not drawn in a bar.
    assert_eq!(
        (timeline + series.unplaced) as usize,
        inside.len(),
        "the timeline counts them"
    );
    let status = format!(
        "{} of 1,848 events · filters: {}",
        faultline_core::text::thousands(inside.len()),
        region.describe()
    );
    h.get_by_label(&status);

    // The region's chip says where and takes the filter away.
    let chip = format!("{}  ×", region.describe());
    h.get_by_label(&chip).click();
    common::settle(&mut h);
    assert_eq!(h.state().state.filter.region, None);
    h.get_by_label("1,848 of 1,848 events");
}

#[test]
fn a_lasso_filters_to_what_it_encloses_and_ctrl_drag_zooms_to_a_box() {
    let Some(mut h) =
        car_on_the_map("a_lasso_filters_to_what_it_encloses_and_ctrl_drag_zooms_to_a_box")
    else {
        return;
    };
    let canvas = h.state().panel::<MapPanel>().unwrap().canvas().unwrap();
    let c = canvas.center();
    // A triangle around the middle of the country.
    h.get_by_label("Lasso").click();
    h.run();
    let triangle = [
        c + egui::vec2(-200.0, 120.0),
        c + egui::vec2(0.0, -180.0),
        c + egui::vec2(200.0, 120.0),
        c + egui::vec2(-190.0, 118.0),
    ];
    drag_along(&mut h, &triangle, Modifiers::NONE);
    common::settle(&mut h);
    let state = &h.state().state;
    let area = state
        .filter
        .area
        .clone()
        .expect("the lasso became an area filter");
    let store = state.dataset.store();
    let inside = rows_placed_where(store, |lat, lon| area.contains(lat, lon));
    let listed: BTreeSet<u32> = state
        .dataset
        .engine
        .rows(&state.shown.filter)
        .iter()
        .copied()
        .collect();
    assert!(
        !inside.is_empty() && inside.len() < 1848,
        "{}",
        inside.len()
    );
    assert_eq!(listed, inside);
    // The triangle's box holds more than the triangle: the shape, not its box, filters.
    let boxed = (0..store.len() as u32)
        .filter(|&r| {
            store
                .row(r as usize)
                .coordinates()
                .is_some_and(|(lat, lon)| area.bounds().contains(lat, lon))
        })
        .count();
    assert!(
        boxed > inside.len(),
        "{boxed} in the box, {} in the shape",
        inside.len()
    );
    h.get_by_label(&format!("{}  ×", area.describe())).click();
    common::settle(&mut h);
    assert_eq!(h.state().state.filter.area, None);

    // Ctrl+drag a box: the camera zooms to it, no filter is set.
    let before = h.state().state.map.camera.unwrap();
    drag_along(
        &mut h,
        &[c - egui::vec2(60.0, 40.0), c + egui::vec2(60.0, 40.0)],
        Modifiers::COMMAND,
    );
    common::settle(&mut h);
    let after = h.state().state.map.camera.unwrap();
    assert!(
        after.pixels_per_unit > before.pixels_per_unit * 4.0,
        "{} → {}",
        before.pixels_per_unit,
        after.pixels_per_unit
    );
    assert!(h.state().state.filter.is_empty());
}

#[test]
fn a_click_on_a_shaded_country_filters_to_it() {
    let Some(path) = common::shared_data(
        "a_click_on_a_shaded_country_filters_to_it",
        "acled_mideast_2020_dmy.csv",
    ) else {
        return;
    };
    // The reference: the file's rows whose country column says Yemen, read with the csv crate.
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let country = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "country")
        .unwrap();
    let yemen = reader
        .records()
        .filter(|r| r.as_ref().unwrap().get(country) == Some("Yemen"))
        .count();
    assert!(yemen > 100, "{yemen}");
    let mut h = on_the_map();
    open(&mut h, path);
    // Shade the countries, then point at Yemen's middle.
    let shaded = faultline::app::MapSettings {
        layer: faultline_core::query::map::MapLayer::Countries,
        ..h.state().state.map
    };
    h.state_mut().act(Action::SetMap(Box::new(shaded)));
    common::settle(&mut h);
    let camera = h.state().state.map.camera.unwrap();
    let canvas = h.state().panel::<MapPanel>().unwrap().canvas().unwrap();
    let [x, y] = camera.to_screen(47.5, 15.5);
    click_at(&mut h, canvas.min + egui::vec2(x, y));
    common::settle(&mut h);
    let state = &h.state().state;
    assert_eq!(state.filter.countries, vec!["Yemen".to_string()]);
    assert_eq!(state.dataset.engine.rows(&state.shown.filter).len(), yemen);
}

#[test]
fn filter_to_map_view_follows_the_camera_and_ends_with_its_chip() {
    let Some(mut h) =
        car_on_the_map("filter_to_map_view_follows_the_camera_and_ends_with_its_chip")
    else {
        return;
    };
    h.get_by_label("Filter to map view").click();
    common::settle(&mut h);
    let visible = h.state().state.map.camera.unwrap().visible();
    assert_eq!(h.state().state.filter.region, Some(visible));
    // Zoom in with the keyboard over the map: the region follows.
    let canvas = h.state().panel::<MapPanel>().unwrap().canvas().unwrap();
    h.hover_at(canvas.center());
    h.key_press(egui::Key::Plus);
    common::settle(&mut h);
    let closer = h.state().state.map.camera.unwrap().visible();
    assert_ne!(closer, visible);
    assert_eq!(h.state().state.filter.region, Some(closer));
    assert!(visible.encloses(&closer));
    // "Clear all" ends it.
    h.get_by_label("Clear all").click();
    common::settle(&mut h);
    assert!(!h.state().state.map.follow_view);
    assert_eq!(h.state().state.filter.region, None);
}

#[test]
fn export_map_with_bbox_writes_exactly_the_events_inside() {
    let Some(path) = common::shared_data(
        "export_map_with_bbox_writes_exactly_the_events_inside",
        "ucdp_ged231_car.geojson",
    ) else {
        return;
    };
    // The reference, from the GeoJSON itself.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let (west, south, east, north) = (18.0, 3.0, 20.0, 5.0);
    let expected: BTreeSet<String> = json["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let c = &f["geometry"]["coordinates"];
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            (west..=east).contains(&lon) && (south..=north).contains(&lat)
        })
        .map(|f| f["properties"]["id"].to_string())
        .collect();
    assert!(expected.len() > 100, "{}", expected.len());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.csv");
    let file = path.to_str().unwrap();
    let (code, _, err) = common::run(&[
        "export",
        file,
        "--chart",
        "map",
        "--bbox",
        "18,3,20,5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(&out).unwrap();
    let got: BTreeSet<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(got, expected);

    // A picture in Web Mercator with the countries shaded, at 2×.
    let png = dir.path().join("map.png");
    let (code, _, err) = common::run(&[
        "export",
        file,
        "--chart",
        "map",
        "--projection",
        "mercator",
        "--layer",
        "countries",
        "--color-by",
        "fatalities",
        "--scale",
        "2",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (2400, 1350));

    // A bad box is refused with exit 2 and says why.
    for (bbox, why) in [
        ("18,3,20", "WEST,SOUTH,EAST,NORTH"),
        ("18,6,20,5", "south 6"),
        ("-190,3,20,5", "west -190"),
    ] {
        let (code, _, err) = common::run(&[
            "export",
            file,
            "--chart",
            "map",
            "--bbox",
            bbox,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{bbox}: {err}");
        assert!(err.contains(why), "{bbox}: {err}");
    }
    // An unknown projection names the ones there are.
    let (code, _, err) = common::run(&[
        "export",
        "--chart",
        "map",
        "--projection",
        "robinson",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("equirect") && err.contains("mercator"),
        "{err}"
    );
}

/// Selecting an actor rings every marker that holds one of its events, clusters too, and a
/// cluster's tooltip says how many of its events involve the actor.
#[test]
fn the_selected_actors_events_are_ringed_in_markers_and_clusters() {
    let Some(mut h) =
        car_on_the_map("the_selected_actors_events_are_ringed_in_markers_and_clusters")
    else {
        return;
    };
    let marks = |h: &Harness<'static, FaultlineApp>| {
        h.state()
            .panel::<MapPanel>()
            .unwrap()
            .drawn_marks()
            .to_vec()
    };
    assert!(
        marks(&h).iter().all(|m| m.selected == 0),
        "nothing selected"
    );
    // An actor in some of the events, not all: Seleka.
    let (seleka, with_seleka) = {
        let store = h.state().state.dataset.store();
        let seleka = (0..store.actors().len() as u32)
            .find(|&a| store.actor_name(a) == "Seleka")
            .expect("Seleka is a side in the CAR file");
        let rows = (0..store.len())
            .filter(|&r| store.row(r).all_actors().any(|a| a == seleka))
            .count();
        (seleka, rows as u32)
    };
    assert!(with_seleka > 0 && with_seleka < 1848, "{with_seleka}");
    h.state_mut().act(Action::SelectActor(seleka));
    common::settle(&mut h);
    let drawn = marks(&h);
    assert_eq!(
        drawn.iter().map(|m| m.count).sum::<u32>(),
        1848,
        "every event is in view"
    );
    assert_eq!(
        drawn.iter().map(|m| m.selected).sum::<u32>(),
        with_seleka,
        "each of Seleka's events is counted in the marker it is drawn in"
    );
    assert!(drawn.iter().all(|m| m.selected <= m.count));
    let cluster = drawn
        .iter()
        .filter(|m| m.count > 1 && m.selected > 0)
        .max_by_key(|m| m.selected)
        .expect("a cluster holds some of Seleka's events");
    assert!(
        drawn.iter().any(|m| m.selected == 0),
        "and some markers hold none"
    );
    h.hover_at(cluster.at);
    h.run();
    let said = format!("\n{} of them involve Seleka\n", cluster.selected);
    assert!(
        h.query_all_by_label_contains(&said).next().is_some(),
        "the tooltip says {said:?}"
    );
}

/// Events on both sides of 180° (Fiji, Tonga, Samoa) open framed together; a box and a lasso
/// drawn across the antimeridian filter to exactly the events inside them.
#[test]
fn a_box_and_a_lasso_across_the_antimeridian_filter_what_they_enclose() {
    let dir = std::env::temp_dir().join(format!("faultline-antimeridian-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pacific.csv");
    let mut text = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities\n".to_string();
    // West of the seam (Fiji's main islands), on it, and east of it (Tonga, Samoa).
    let places = [
        (-17.8, 177.4),
        (-18.1, 178.4),
        (-16.8, 179.3),
        (-16.2, -179.9),
        (-19.0, -178.5),
        (-21.1, -175.2),
        (-13.8, -171.8),
    ];
    for (k, (lat, lon)) in places.iter().enumerate() {
        text += &format!(
            "P{k},2024-03-0{},2024,1,Protests,Peaceful protest,Protesters,,Fiji,Central,Town,{lat},{lon},1,Radio,march,0\n",
            k + 1
        );
    }
    std::fs::write(&path, text).unwrap();
    let mut h = on_the_map();
    open(&mut h, path);
    let marks = h
        .state()
        .panel::<MapPanel>()
        .unwrap()
        .drawn_marks()
        .to_vec();
    assert_eq!(
        marks.iter().map(|m| m.count).sum::<u32>(),
        7,
        "fitted across the seam, every event is in view once"
    );
    // Screen positions of the westernmost (177.4°E) and easternmost (171.8°W) events.
    let canvas = h.state().panel::<MapPanel>().unwrap().canvas().unwrap();
    let camera = h.state().state.map.camera.unwrap();
    let at = |lon: f64, lat: f64| {
        let [x, y] = camera.to_screen(lon, lat);
        let x = if x < 0.0 {
            x + camera.pixels_per_unit as f32
        } else {
            x
        };
        canvas.min + egui::vec2(x, y)
    };
    let (fiji, samoa, tonga) = (at(177.4, -17.8), at(-171.8, -13.8), at(-175.2, -21.1));
    assert!(fiji.x < samoa.x && canvas.contains(fiji) && canvas.contains(samoa));
    assert!(
        tonga.y - 40.0 > at(-178.5, -19.0).y,
        "room between Fiji's south and Tonga"
    );

    // A box from just west of Fiji's main island to just west of Samoa, south to just north
    // of Tonga: all but Samoa and Tonga.
    h.get_by_label("Select region").click();
    h.run();
    drag(
        &mut h,
        egui::pos2(fiji.x - 15.0, samoa.y - 40.0),
        egui::pos2(samoa.x - 15.0, tonga.y - 40.0),
    );
    common::settle(&mut h);
    let region = h.state().state.filter.region.expect("a region");
    assert!(region.crosses_antimeridian(), "{region:?}");
    let ids = |h: &Harness<'static, FaultlineApp>| -> BTreeSet<String> {
        let s = &h.state().state;
        let store = s.dataset.store();
        s.dataset
            .engine
            .rows(&s.shown.filter)
            .iter()
            .map(|&r| store.row(r as usize).id().to_string())
            .collect()
    };
    let fiji_only: BTreeSet<String> = (0..5).map(|k| format!("P{k}")).collect();
    assert_eq!(ids(&h), fiji_only);
    h.get_by_label(&format!("{}  ×", region.describe())).click();
    common::settle(&mut h);

    // A lasso round the same events, drawn across the seam: the same five.
    h.get_by_label("Lasso").click();
    h.run();
    let (left, right) = (fiji.x - 15.0, samoa.x - 15.0);
    let (top, bottom) = (samoa.y - 40.0, tonga.y - 40.0);
    let loop_ = [
        egui::pos2(left, top),
        egui::pos2(right, top),
        egui::pos2(right, bottom),
        egui::pos2(left, bottom),
        egui::pos2(left, top + 2.0),
    ];
    drag_along(&mut h, &loop_, Modifiers::NONE);
    common::settle(&mut h);
    let area = h.state().state.filter.area.clone().expect("an area");
    assert!(area.bounds().crosses_antimeridian(), "{:?}", area.bounds());
    assert_eq!(ids(&h), fiji_only);
    let _ = std::fs::remove_dir_all(&dir);
}
