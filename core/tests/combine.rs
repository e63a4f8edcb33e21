//! Several files in one view: releases of one export kept once, the newer winning; files of
//! different datasets side by side; every record remembers its file.

mod common;

use std::path::Path;

use faultline_core::io::combine::combine;
use faultline_core::io::{open, open_bytes, OpenOptions, Opened};
use faultline_core::model::Dataset;
use faultline_core::store::Store;

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,source,notes,fatalities,timestamp\n";

fn acled(name: &str, rows: &[(&str, u32, &str)]) -> Opened {
    let mut text = ACLED_HEADER.to_string();
    for (id, deaths, stamp) in rows {
        text += &format!("{id},2024-03-01,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Khartoum,Khartoum,15.5,32.53,Radio,clash,{deaths},{stamp}\n");
    }
    open_bytes(text.as_bytes(), Path::new(name), &OpenOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every event of the store as (id, deaths, file name), sorted by id.
fn events_by_id(store: &Store) -> Vec<(String, Option<u32>, String)> {
    let mut out: Vec<_> = (0..store.len())
        .map(|i| {
            let row = store.row(i);
            let file = row.file().map(|f| f.name.clone()).unwrap_or_default();
            (row.id().to_string(), row.fatalities(), file)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_newer_release_replaces_an_id_by_its_timestamp_and_the_replaced_are_listed() {
    let october = acled(
        "acled-oct.csv",
        &[("A1", 1, "100"), ("A2", 2, "100"), ("A3", 3, "300")],
    );
    // A2 changed after October's release; A3's copy here is older than October's.
    let november = acled(
        "acled-nov.csv",
        &[("A2", 20, "200"), ("A3", 30, "50"), ("A4", 4, "200")],
    );
    let combined = combine(vec![october, november]);
    let store = &combined.store;
    let owned =
        |id: &str, deaths: u32, file: &str| (id.to_string(), Some(deaths), file.to_string());
    assert_eq!(
        events_by_id(store),
        vec![
            owned("A1", 1, "acled-oct.csv"),
            owned("A2", 20, "acled-nov.csv"),
            owned("A3", 3, "acled-oct.csv"),
            owned("A4", 4, "acled-nov.csv"),
        ]
    );
    let files = &store.files;
    assert_eq!(files.len(), 2);
    assert_eq!((files[0].events, files[0].replaced), (2, 1));
    assert_eq!(files[0].replaced_ids, vec!["A2".to_string()]);
    assert_eq!((files[1].events, files[1].replaced), (2, 1));
    assert_eq!(files[1].replaced_ids, vec!["A3".to_string()]);
    assert!(
        combined
            .notes
            .iter()
            .any(|n| n.starts_with("acled-oct.csv: 1 event replaced") && n.ends_with("A2)")),
        "{:?}",
        combined.notes
    );
}

#[test]
fn without_timestamps_the_later_file_is_the_newer_release() {
    let first = acled("first.csv", &[("A1", 1, ""), ("A2", 2, "")]);
    let second = acled("second.csv", &[("A2", 9, ""), ("A3", 3, "")]);
    let store = combine(vec![first, second]).store;
    let deaths: Vec<Option<u32>> = events_by_id(&store).iter().map(|e| e.1).collect();
    assert_eq!(deaths, vec![Some(1), Some(9), Some(3)]);
    assert_eq!(store.files[0].replaced_ids, vec!["A2".to_string()]);
    assert!(store.files[1].replaced_ids.is_empty());
}

#[test]
fn a_third_release_added_to_a_combined_view_replaces_across_all_earlier_files() {
    let two = combine(vec![
        acled("r1.csv", &[("A1", 1, "1"), ("A2", 2, "1")]),
        acled("r2.csv", &[("A2", 3, "2")]),
    ]);
    let three = combine(vec![
        two,
        acled("r3.csv", &[("A1", 5, "3"), ("A2", 6, "3")]),
    ]);
    let store = &three.store;
    let names: Vec<&str> = store.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["r1.csv", "r2.csv", "r3.csv"]);
    assert_eq!(
        events_by_id(store),
        vec![
            ("A1".to_string(), Some(5), "r3.csv".to_string()),
            ("A2".to_string(), Some(6), "r3.csv".to_string()),
        ]
    );
    let replaced: Vec<usize> = store.files.iter().map(|f| f.replaced).collect();
    assert_eq!(replaced, [2, 1, 0]);
    let events: Vec<usize> = store.files.iter().map(|f| f.events).collect();
    assert_eq!(events, [0, 0, 2]);
}

fn native(name: &str, dataset: &Dataset) -> Opened {
    let text = faultline_core::io::native::to_string(dataset);
    open_bytes(text.as_bytes(), Path::new(name), &OpenOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn sources_of_one_id_that_differ_are_both_kept_and_each_file_cites_its_own() {
    let seed = faultline_core::seed::seed_dataset().unwrap();
    let mut other = seed.clone();
    other.title = "Other notes".into();
    // The same source id, another publication; one event citing it, under a new id.
    let cited = seed.events[0].sources[0].source.clone();
    let source = other.sources.iter_mut().find(|s| s.id == cited).unwrap();
    source.publisher = "Another Paper".into();
    other.events.truncate(1);
    other.events[0].id = "mine-1".into();
    other.statements.clear();
    let combined = combine(vec![
        native("seed.json", &seed),
        native("mine.json", &other),
    ]);
    let store = &combined.store;
    assert_eq!(store.len(), seed.events.len() + 1);
    assert_eq!(store.meta.title, format!("{} + Other notes", seed.title));
    // Every source of the seed once, plus the differing one under a new id.
    assert_eq!(store.meta.sources.len(), seed.sources.len() + 1);
    let renamed = format!("{cited}@mine.json");
    let theirs = store.meta.sources.iter().find(|s| s.id == renamed).unwrap();
    assert_eq!(theirs.publisher, "Another Paper");
    let mine = (0..store.len())
        .find(|&i| store.row(i).id() == "mine-1")
        .unwrap();
    assert_eq!(store.event(mine).sources[0].source, renamed);
    let seeds = (0..store.len())
        .find(|&i| store.row(i).id() == seed.events[0].id)
        .unwrap();
    assert_eq!(store.event(seeds).sources[0].source, cited);
    // Records equal in both files are kept once; a relation that cites the other paper is
    // another relation, kept under its own id.
    assert_eq!(store.meta.statements.len(), seed.statements.len());
    assert_eq!(store.meta.actors.len(), seed.actors.len());
    let citing = |r: &faultline_core::model::Relation| r.sources.iter().any(|s| s.source == cited);
    let differing = seed.relations.iter().filter(|r| citing(r)).count();
    assert!(differing > 0);
    assert_eq!(store.meta.relations.len(), seed.relations.len() + differing);
    for relation in seed.relations.iter().filter(|r| citing(r)) {
        let theirs = format!("{}@mine.json", relation.id);
        let copy = store
            .meta
            .relations
            .iter()
            .find(|r| r.id == theirs)
            .unwrap();
        assert!(copy.sources.iter().all(|s| s.source != cited));
    }
}

#[test]
fn files_of_different_formats_that_share_an_id_are_told_apart() {
    let acled_file = acled("acled.csv", &[("77", 1, "")]);
    let gdelt_like = {
        let text = "date,actor,what,id\n2024-03-02,Army,Shelling,77\n";
        let options = OpenOptions {
            column_map: Some(
                faultline_core::io::table::ColumnMap::parse(
                    "date=date,actor1=actor,type=what,id=id",
                )
                .unwrap(),
            ),
            ..OpenOptions::default()
        };
        open_bytes(text.as_bytes(), Path::new("mine.csv"), &options).unwrap()
    };
    let combined = combine(vec![acled_file, gdelt_like]);
    let ids: Vec<String> = events_by_id(&combined.store)
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(ids, ["77", "77@mine.csv"]);
    assert!(combined
        .notes
        .iter()
        .any(|n| n.starts_with("1 event shown as ID@FILE")));
}

#[test]
fn real_acled_and_ucdp_files_side_by_side_keep_every_event_and_its_file() {
    let Some(shared) = common::shared_dir("real_acled_and_ucdp_files_side_by_side") else {
        return;
    };
    let data = shared.join("data");
    let acled_path = data.join("acled_africa_2016_api_pandas.csv");
    let ucdp_path = data.join("ucdp_ged231_car.geojson");
    let a = open(&acled_path, &OpenOptions::default()).unwrap();
    let u = open(&ucdp_path, &OpenOptions::default()).unwrap();
    let (a_events, u_events) = (a.store.len(), u.store.len());
    let (a_ids, u_ids): (Vec<String>, Vec<String>) = (
        (0..a_events)
            .map(|i| a.store.row(i).id().to_string())
            .collect(),
        (0..u_events)
            .map(|i| u.store.row(i).id().to_string())
            .collect(),
    );
    let combined = combine(vec![a, u]);
    let store = &combined.store;
    assert_eq!(store.len(), a_events + u_events);
    let formats: Vec<&str> = store.files.iter().map(|f| f.format.as_str()).collect();
    assert_eq!(formats, ["acled", "ucdp"]);
    assert_eq!(store.files[0].events, a_events);
    assert_eq!(store.files[1].events, u_events);
    // Each event keeps its file, in the order given, with its own id.
    for i in 0..store.len() {
        let row = store.row(i);
        let (file, id) = (store.file_of(i), row.id());
        if i < a_events {
            assert_eq!((file, id), (0, a_ids[i].as_str()));
        } else {
            let own = &u_ids[i - a_events];
            assert_eq!(file, 1);
            assert!(id == own || id == format!("{own}@ucdp_ged231_car.geojson"));
        }
    }
}

#[test]
fn the_engine_filters_and_groups_by_file() {
    use faultline_core::query::{BucketSize, Engine, Filter, GroupBy, SeriesSpec};
    let march = acled("march.csv", &[("A1", 1, ""), ("A2", 2, ""), ("A3", 0, "")]);
    let april = {
        let text = ACLED_HEADER.to_string()
            + "B1,2024-04-02,2024,1,Protests,Peaceful protest,Protesters,,Sudan,Khartoum,Khartoum,15.5,32.53,Radio,march,0,\n"
            + "B2,2024-03-20,2024,1,Battles,Armed clash,Army,,Sudan,Khartoum,Khartoum,15.5,32.53,Radio,clash,0,\n";
        open_bytes(
            text.as_bytes(),
            Path::new("april/b.csv"),
            &OpenOptions::default(),
        )
        .unwrap()
    };
    let store = combine(vec![march, april]).store;
    let engine = Engine::new(std::sync::Arc::new(store));
    let store = engine.store();
    let only_april = Filter {
        files: vec!["april/b.csv".to_string()],
        ..Filter::default()
    };
    let rows = engine.rows(&only_april);
    let ids: Vec<&str> = rows.iter().map(|&r| store.row(r as usize).id()).collect();
    assert_eq!(ids, ["B1", "B2"]);
    assert_eq!(only_april.describe(store), "file: b.csv");
    // With another part of the filter: the file's battles only.
    let battles = Filter {
        event_types: vec!["Battles".into()],
        ..only_april.clone()
    };
    assert_eq!(engine.rows(&battles).len(), 1);
    assert!(battles.narrows(&only_april) && !only_april.narrows(&battles));
    let series = engine.time_series(
        &Filter::default(),
        SeriesSpec {
            bucket: BucketSize::Month,
            group_by: GroupBy::File,
            top_n: 8,
        },
    );
    let by_name: Vec<(&str, Vec<u32>)> = series
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.counts.clone()))
        .collect();
    // March: A1–A3 from march.csv, B2 from b.csv; April: B1.
    assert_eq!(by_name, [("march.csv", vec![3, 0]), ("b.csv", vec![1, 1])]);
    // Each file keeps its colour whatever the filter: its place among the files.
    let ranks: Vec<Option<usize>> = series.groups.iter().map(|g| g.colour_rank).collect();
    assert_eq!(ranks, [Some(0), Some(1)]);
}

/// A table of events in another vocabulary, read through a column map (format "table").
fn table(name: &str, rows: &[&str]) -> Opened {
    let text = "date,actor,what,id,lat,lon\n".to_string() + &rows.join("\n") + "\n";
    let options = OpenOptions {
        column_map: Some(
            faultline_core::io::table::ColumnMap::parse(
                "date=date,actor1=actor,type=what,id=id,lat=lat,lon=lon",
            )
            .unwrap(),
        ),
        ..OpenOptions::default()
    };
    open_bytes(text.as_bytes(), Path::new(name), &options).unwrap_or_else(|e| panic!("{e}"))
}

/// An engine over two ACLED events, A1 and A2 (15.5 N, 32.53 E, 1 March 2024), and beside
/// them a table of other events (`mine.csv`, rows as in [`table`]).
fn beside_two_acled_events(rows: &[&str]) -> faultline_core::query::Engine {
    let acled_file = acled("acled.csv", &[("A1", 1, ""), ("A2", 0, "")]);
    let mine = table("mine.csv", rows);
    faultline_core::query::Engine::new(std::sync::Arc::new(combine(vec![acled_file, mine]).store))
}

/// The ids of the events `filter` selects, sorted.
fn ids_of(
    engine: &faultline_core::query::Engine,
    filter: &faultline_core::query::Filter,
) -> Vec<String> {
    let store = engine.store();
    let mut ids: Vec<String> = engine
        .rows(filter)
        .iter()
        .map(|&r| store.row(r as usize).id().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn possibly_the_same_event_needs_overlapping_days_a_distance_and_a_kind_in_common() {
    use faultline_core::query::matches::{distance_km, MatchRules};
    // A1 and A2 (ACLED, one file) at 15.5 N, 32.53 E on 1 March 2024; mine.csv beside it.
    let engine = beside_two_acled_events(&[
        "2024-03-01,Militia,Armed clash,near,15.59,32.53",
        "2024-03-01,Militia,Armed clash,far,15.86,32.53",
        "2024-03-02,Militia,Armed clash,next-day,15.5,32.53",
        "2024-03-01,Students,Protest,protest,15.5,32.53",
        "2024-03-01,Army,Strategic development,shared-actor,15.5,32.53",
        "2024-03-01,Militia,Armed clash,unplaced,,",
    ]);
    let store = engine.store();
    let id = |r: u32| store.row(r as usize).id().to_string();
    let pairs = |rules: MatchRules| -> Vec<(String, String)> {
        engine
            .possible_matches(&rules)
            .pairs
            .iter()
            .map(|p| (id(p.first), id(p.second)))
            .collect()
    };
    // 0.09° of latitude is 10 km; 0.36° is 40 km.
    assert!((distance_km(15.5, 32.53, 15.59, 32.53) - 10.0).abs() < 0.1);
    assert!((distance_km(15.5, 32.53, 15.86, 32.53) - 40.0).abs() < 0.2);
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        pairs(MatchRules { max_km: 25.0 }),
        [
            pair("A1", "near"),
            pair("A1", "shared-actor"),
            pair("A2", "near"),
            pair("A2", "shared-actor"),
        ]
    );
    assert_eq!(
        pairs(MatchRules { max_km: 50.0 }),
        [
            pair("A1", "near"),
            pair("A1", "far"),
            pair("A1", "shared-actor"),
            pair("A2", "near"),
            pair("A2", "far"),
            pair("A2", "shared-actor"),
        ]
    );
    let matches = engine.possible_matches(&MatchRules::default());
    assert_eq!(matches.events_matched(), 4);
    let a1 = (0..store.len() as u32).find(|&r| id(r) == "A1").unwrap();
    let others: Vec<String> = matches.of(a1).iter().map(|&(r, _)| id(r)).collect();
    assert_eq!(others, ["near", "shared-actor"]);
}

#[test]
fn files_of_one_format_have_no_possible_matches() {
    let store = combine(vec![
        acled("a.csv", &[("A1", 1, "")]),
        acled("b.csv", &[("B1", 1, "")]),
    ])
    .store;
    let matches = faultline_core::query::matches::possible_matches(&store, &Default::default());
    assert!(matches.pairs.is_empty());
}

#[test]
fn real_acled_and_ucdp_events_possibly_the_same_obey_every_rule() {
    use faultline_core::query::matches::{distance_km, possible_matches, MatchRules};
    let Some(shared) = common::shared_dir("real_acled_and_ucdp_events_possibly_the_same") else {
        return;
    };
    let data = shared.join("data");
    let parts = vec![
        open(
            &data.join("acled_africa_2016_api_pandas.csv"),
            &OpenOptions::default(),
        )
        .unwrap(),
        open(
            &data.join("ucdp_ged231_car.geojson"),
            &OpenOptions::default(),
        )
        .unwrap(),
    ];
    let store = combine(parts).store;
    let rules = MatchRules { max_km: 50.0 };
    let matches = possible_matches(&store, &rules);
    // Every pair: one event of each file, days overlapping, within the distance. And every
    // CAR pair of ACLED and UCDP events that are close and overlap is checked by hand below.
    for p in &matches.pairs {
        let (a, b) = (store.row(p.first as usize), store.row(p.second as usize));
        assert_eq!(
            (
                store.file_of(p.first as usize),
                store.file_of(p.second as usize)
            ),
            (0, 1)
        );
        let ((sa, ea), (sb, eb)) = (a.days(), b.days());
        assert!(sa <= eb && sb <= ea, "{} {}", a.id(), b.id());
        let ((la, oa), (lb, ob)) = (a.coordinates().unwrap(), b.coordinates().unwrap());
        assert!(distance_km(la, oa, lb, ob) <= rules.max_km);
    }
    // A plain reference: all pairs of placed, violent ACLED events in CAR and UCDP events
    // (all violent) whose days overlap and that lie within the distance.
    let violent = ["Battles", "Remote violence", "Violence against civilians"];
    let mut expected = Vec::new();
    for i in 0..store.len() {
        let a = store.row(i);
        if store.file_of(i) != 0 || !violent.iter().any(|v| a.event_type().starts_with(v)) {
            continue;
        }
        for j in 0..store.len() {
            let b = store.row(j);
            if store.file_of(j) != 1 {
                continue;
            }
            let (Some((la, oa)), Some((lb, ob))) = (a.coordinates(), b.coordinates()) else {
                continue;
            };
            let ((sa, ea), (sb, eb)) = (a.days(), b.days());
            if sa <= eb && sb <= ea && eb - sb < 31 && distance_km(la, oa, lb, ob) <= 50.0 {
                expected.push((i as u32, j as u32));
            }
        }
    }
    let found: Vec<(u32, u32)> = matches.pairs.iter().map(|p| (p.first, p.second)).collect();
    assert_eq!(found, expected);
    // These two files share no day in Central Africa: ACLED's CAR rows run from 19 June to
    // 1 July 2016, and UCDP's only event of June–July 2016 is in Bangui on 11 June. So the
    // reference finds nothing, and neither may the matcher (no false pairs on 2,348 real
    // events); the hand-made cases above test pairs that are found.
    assert!(expected.is_empty());
}

#[test]
fn the_analysts_own_records_replace_their_layer_and_leave_the_rest_in_place() {
    use faultline_core::io::combine::with_own_records;
    use faultline_core::model::{Actor, ActorKind, DateSpan, Event, Source, SourceRef};
    let view = combine(vec![
        acled("a.csv", &[("A1", 1, ""), ("A2", 2, "")]),
        acled("b.csv", &[("B1", 3, "")]),
    ])
    .store;
    let mut event: Event = Event::new(
        "mine-1".to_string(),
        DateSpan::Day("2024-03-02".parse().unwrap()),
        "Armed clash".to_string(),
    );
    event.actor1 = Some("Army".into());
    event.sources = vec![SourceRef {
        source: "paper".into(),
        quote: "Clashes were reported".into(),
        attributed_to: None,
    }];
    let own = Dataset {
        title: "Mine".into(),
        sources: vec![Source {
            id: "paper".into(),
            publisher: "A Paper".into(),
            title: "Clashes".into(),
            date: None,
            url: None,
        }],
        actors: vec![Actor::named("Army", "Army", ActorKind::Unknown)],
        events: vec![event],
        ..Dataset::default()
    };
    // A new layer, last.
    let with = with_own_records(view.clone(), None, &own, ("faultline:yours", "your events"));
    assert_eq!(events_by_id(&with).len(), 4);
    assert_eq!(with.files.len(), 3);
    assert_eq!(
        (with.files[2].name.as_str(), with.files[2].events),
        ("your events", 1)
    );
    let mine = (0..with.len())
        .find(|&i| with.row(i).id() == "mine-1")
        .unwrap();
    assert_eq!(with.file_of(mine), 2);
    assert_eq!(with.event(mine).sources[0].quote, "Clashes were reported");
    assert_eq!(
        with.actor_index("Army"),
        view.actor_index("Army"),
        "one Army"
    );
    // Replaced by fewer records: the layer empties, the files keep their events.
    let none = with_own_records(with.clone(), Some(2), &Dataset::default(), ("", ""));
    assert_eq!(
        events_by_id(&none),
        events_by_id(&view),
        "back to the files' events"
    );
    assert_eq!(none.files[2].events, 0);
    // The files' own layers are untouched.
    assert_eq!(none.files[0], view.files[0]);
}

#[test]
fn own_records_beside_a_store_that_knows_no_files_keep_its_events() {
    use faultline_core::io::combine::with_own_records;
    let store = Store::from_dataset(faultline_core::seed::seed_dataset().unwrap());
    assert!(store.files.is_empty());
    let with = with_own_records(
        store.clone(),
        None,
        &Dataset::default(),
        ("faultline:yours", "yours"),
    );
    assert_eq!(with.len(), store.len());
    assert_eq!(with.files.len(), 2);
    let emptied = with_own_records(with.clone(), Some(1), &Dataset::default(), ("", ""));
    assert_eq!(emptied.len(), store.len(), "only the own layer's rows go");
}

#[test]
fn possibly_same_events_counted_once_leave_out_the_later_files_copies_and_say_so() {
    use faultline_core::query::Filter;
    // A1 and A2 (ACLED, one file) at 15.5 N, 32.53 E on 1 March 2024; mine.csv beside it.
    let engine = beside_two_acled_events(&[
        "2024-03-01,Militia,Armed clash,near,15.59,32.53",
        "2024-03-01,Militia,Armed clash,far,15.86,32.53",
        "2024-03-02,Militia,Armed clash,next-day,15.5,32.53",
    ]);
    let store = engine.store();
    let ids = |f: &Filter| ids_of(&engine, f);
    // Within 25 km "near" (10 km) may be A1 or A2: the ACLED file's records stand for it.
    // A1 and A2, one file's two events, both stay.
    let once = Filter {
        once_within_km: Some(25),
        ..Filter::default()
    };
    assert_eq!(ids(&once), ["A1", "A2", "far", "next-day"]);
    // Within 50 km "far" (40 km) goes too.
    let wider = Filter {
        once_within_km: Some(50),
        ..Filter::default()
    };
    assert_eq!(ids(&wider), ["A1", "A2", "next-day"]);
    assert_eq!(
        ids(&Filter::default()).len(),
        5,
        "every record without the option"
    );
    assert_eq!(
        once.describe(store),
        "possibly-same events counted once (within 25 km)"
    );
    // The month's bar counts the same rows.
    let series = engine.time_series(&once, Default::default());
    assert_eq!(series.totals().iter().sum::<u32>(), 4);
    assert!(once.narrows(&Filter::default()) && !once.narrows(&wider));
}

#[test]
fn the_analysts_marks_decide_what_counted_once_leaves_out() {
    use faultline_core::query::Filter;
    // A1 and A2 (ACLED, one file) at 15.5 N, 32.53 E on 1 March 2024; mine.csv beside it.
    let engine = beside_two_acled_events(&[
        "2024-03-01,Militia,Armed clash,near,15.59,32.53",
        "2024-03-01,Militia,Armed clash,far,15.86,32.53",
    ]);
    let store = engine.store();
    let ids = |marks: Vec<(&str, &str, bool)>| -> Vec<String> {
        let f = Filter {
            once_within_km: Some(25),
            once_marks: marks
                .into_iter()
                .map(|(a, b, s)| (a.to_string(), b.to_string(), s))
                .collect(),
            ..Filter::default()
        };
        ids_of(&engine, &f)
    };
    // Unmarked: "near" matches A1 and A2 and is left out.
    assert_eq!(ids(vec![]), ["A1", "A2", "far"]);
    // Marked different from A1 only: A2 still matches it, so it is still left out.
    assert_eq!(ids(vec![("A1", "near", false)]), ["A1", "A2", "far"]);
    // Marked different from both: counted.
    assert_eq!(
        ids(vec![("A1", "near", false), ("near", "A2", false)]),
        ["A1", "A2", "far", "near"]
    );
    // "far" (40 km, no match at 25 km) marked the same as A2: left out; and two events of
    // one file marked the same count once.
    assert_eq!(ids(vec![("A2", "far", true)]), ["A1", "A2"]);
    assert_eq!(ids(vec![("A1", "A2", true)]), ["A1", "far"]);
    let f = Filter {
        once_within_km: Some(25),
        once_marks: vec![("A1".into(), "A2".into(), true)],
        ..Filter::default()
    };
    assert_eq!(
        f.describe(store),
        "possibly-same events counted once (within 25 km and 1 pair as you marked them)"
    );
}
