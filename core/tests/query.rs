//! The query engine on small hand-made datasets where the answer is known, and on the seed.

use std::sync::Arc;

use chrono::NaiveDate;
use faultline_core::io::native;
use faultline_core::model::StatusKind;
use faultline_core::query::{
    actor_graph, ActorRole, BucketSize, EdgeKind, Engine, Filter, GroupBy, SeriesSpec, Sort,
    SortColumn,
};
use faultline_core::store::Store;

fn d(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// Seven events with known dates, actors, places and deaths.
fn small_store() -> Store {
    let text = r#"{"format":"faultline","version":1,"title":"small",
      "sources":[{"id":"s","publisher":"Wire","title":"T"}],
      "actors":[
        {"id":"a","name":"Alpha Brigade","kind":"armed_group"},
        {"id":"b","name":"Bravo Forces","kind":"government_body"},
        {"id":"c","name":"Charlie Militia","kind":"armed_group"},
        {"id":"civ","name":"Civilians (Northland)","kind":"civilian_group"}],
      "relations":[{"id":"r1","from":"c","to":"a","kind":"backs","sources":[{"source":"s","quote":"q"}]}],
      "series":[{"id":"rep","name":"Launches","unit":"launches","reported_by":"b",
        "observations":[{"period":"2024-02","value":10,"sources":[]},{"period":"2024-03","value":4,"qualifier":"about","sources":[]},{"period":"2024","value":99,"sources":[]}]}],
      "events":[
        {"id":"e1","date":"2024-02-28","event_type":"Battles","sub_event_type":"Armed clash","actor1":"a","actor2":"b","location":{"place":"Northtown","admin1":"North","country":"Northland"},"fatalities":3,"description":"Clashes at the bridge","status":{"kind":"reported"},"attributes":{"source":"Wire"}},
        {"id":"e2","date":"2024-02-29","event_type":"Battles","sub_event_type":"Armed clash","actor1":"b","actor2":"a","associated_actors_2":["c"],"location":{"place":"Northtown","admin1":"North","country":"Northland"},"fatalities":0,"description":"Leap-day shelling","status":{"kind":"claimed","by":"b"}},
        {"id":"e3","date":"2024-03","event_type":"Explosions/Remote violence","sub_event_type":"Air/drone strike","actor1":"b","actor2":"civ","location":{"country":"Southland"},"fatalities":7,"description":"Drone strikes during March","status":{"kind":"confirmed"},"attributes":{"source":"Herald"}},
        {"id":"e4","date":"2024-03-04","event_type":"Protests","actor1":"civ","location":{"place":"Southport","country":"Southland"},"description":"A march","status":{"kind":"reported"},"attributes":{"source":"Herald"}},
        {"id":"e5","date":"2024-03-10","event_type":"Battles","actor1":"c","actor2":"b","location":{"place":"Northtown","country":"Northland"},"fatalities":12,"description":"Night raid","status":{"kind":"reported"}},
        {"id":"e6","date":"2024","event_type":"Battles","actor1":"a","location":{"country":"Northland"},"description":"Sporadic fighting through the year","status":{"kind":"reported"}},
        {"id":"e7","date":"2024-03-03/2024-03-09","event_type":"Protests","actor1":"civ","location":{"country":"Southland"},"description":"Week of protests","status":{"kind":"reported"}}
      ]}"#;
    let dataset = native::from_str(text, std::path::Path::new("small.json")).unwrap();
    Store::from_dataset(dataset)
}

fn ids(engine: &Engine, filter: &Filter) -> Vec<String> {
    engine
        .rows(filter)
        .iter()
        .map(|&r| engine.store().row(r as usize).id().to_string())
        .collect()
}

fn engine() -> Engine {
    Engine::new(Arc::new(small_store()))
}

#[test]
fn an_empty_filter_selects_everything() {
    assert_eq!(ids(&engine(), &Filter::default()).len(), 7);
}

#[test]
fn date_ranges_select_by_the_middle_of_the_span_and_never_a_made_up_day() {
    let e = engine();
    let march = Filter {
        from: Some(d("2024-03-01")),
        to: Some(d("2024-03-31")),
        ..Filter::default()
    };
    assert_eq!(ids(&e, &march), ["e3", "e4", "e5", "e7"]);
    let one_day = Filter {
        from: Some(d("2024-03-04")),
        to: Some(d("2024-03-04")),
        ..Filter::default()
    };
    // e3 (all of March) and e7 (a week) have no single day.
    assert_eq!(ids(&e, &one_day), ["e4"]);
    let open_ended = Filter {
        from: Some(d("2024-03-01")),
        ..Filter::default()
    };
    assert_eq!(ids(&e, &open_ended), ["e3", "e4", "e5", "e6", "e7"]);
    let leap = Filter {
        from: Some(d("2024-02-29")),
        to: Some(d("2024-02-29")),
        ..Filter::default()
    };
    assert_eq!(ids(&e, &leap), ["e2"]);
}

#[test]
fn actor_filters_respect_the_role() {
    let e = engine();
    let c = |role| Filter {
        actors: vec!["c".into()],
        actor_role: role,
        ..Filter::default()
    };
    assert_eq!(ids(&e, &c(ActorRole::Any)), ["e2", "e5"]);
    assert_eq!(ids(&e, &c(ActorRole::Actor1)), ["e5"]);
    assert_eq!(ids(&e, &c(ActorRole::Actor2)), Vec::<String>::new());
    assert_eq!(ids(&e, &c(ActorRole::Associated)), ["e2"]);
}

#[test]
fn type_place_source_fatality_and_status_filters_combine_with_and() {
    let e = engine();
    let f = Filter {
        event_types: vec!["Battles".into()],
        countries: vec!["Northland".into()],
        min_fatalities: Some(3),
        ..Filter::default()
    };
    assert_eq!(ids(&e, &f), ["e1", "e5"]);
    let f = Filter {
        sub_event_types: vec!["Air/drone strike".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&e, &f), ["e3"]);
    let f = Filter {
        admin1: vec!["North".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&e, &f), ["e1", "e2"]);
    let f = Filter {
        locations: vec!["Southport".into(), "Northtown".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&e, &f), ["e1", "e2", "e4", "e5"]);
    let f = Filter {
        sources: vec!["Herald".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&e, &f), ["e3", "e4"]);
    let f = Filter {
        statuses: vec![StatusKind::Claimed, StatusKind::Confirmed],
        ..Filter::default()
    };
    assert_eq!(ids(&e, &f), ["e2", "e3"]);
    let f = Filter {
        countries: vec!["Atlantis".into()],
        ..Filter::default()
    };
    assert!(ids(&e, &f).is_empty(), "an unknown name selects nothing");
}

#[test]
fn free_text_is_case_insensitive_over_notes_places_and_actor_names() {
    let e = engine();
    let text = |t: &str| Filter {
        text: t.into(),
        ..Filter::default()
    };
    assert_eq!(ids(&e, &text("BRIDGE")), ["e1"]);
    assert_eq!(ids(&e, &text("southport")), ["e4"]);
    assert_eq!(ids(&e, &text("charlie")), ["e2", "e5"]);
    assert_eq!(ids(&e, &text("  night ")), ["e5"]);
}

#[test]
fn a_filter_describes_itself_in_one_line() {
    let store = small_store();
    let f = Filter {
        countries: vec!["Northland".into()],
        from: Some(d("2024-02-01")),
        to: Some(d("2024-03-31")),
        event_types: vec!["Battles".into()],
        actors: vec!["a".into()],
        ..Filter::default()
    };
    assert_eq!(
        f.describe(&store),
        "Northland · 2024-02-01 to 2024-03-31 · Battles · Alpha Brigade"
    );
    assert_eq!(Filter::default().describe(&store), "all events");
    let json = serde_json::to_string(&f).unwrap();
    assert_eq!(serde_json::from_str::<Filter>(&json).unwrap(), f);
}

#[test]
fn monthly_counts_have_zeros_for_empty_months_and_keep_reported_figures_apart() {
    let e = engine();
    let spec = SeriesSpec {
        bucket: BucketSize::Month,
        ..SeriesSpec::default()
    };
    let f = Filter {
        from: Some(d("2024-01-01")),
        to: Some(d("2024-04-30")),
        ..Filter::default()
    };
    let ts = e.time_series(&f, spec);
    let keys: Vec<&str> = ts.periods.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["2024-01", "2024-02", "2024-03", "2024-04"]);
    assert_eq!(ts.totals(), [0, 2, 4, 0]);
    assert_eq!(ts.groups[0].fatalities, [0, 3, 19, 0]);
    // e6 (2024, year precision) is outside a 4-month filter, so it is not counted at all.
    assert_eq!(ts.unplaced, 0);
    let rep = &ts.reported[0];
    assert_eq!(rep.reported_by, "Bravo Forces");
    let values: Vec<Option<f64>> = rep.values.iter().map(|v| v.map(|x| x.0)).collect();
    assert_eq!(values, [None, Some(10.0), Some(4.0), None]);
    assert_eq!(rep.unaligned, ["2024: 99"]);
}

#[test]
fn daily_and_weekly_views_count_imprecise_events_apart() {
    let e = engine();
    let all = Filter::default();
    let daily = e.time_series(
        &all,
        SeriesSpec {
            bucket: BucketSize::Day,
            ..SeriesSpec::default()
        },
    );
    // e3 (March), e6 (2024) and e7 (a 7-day range) have no day.
    assert_eq!(daily.unplaced, 3);
    assert_eq!(daily.totals().iter().sum::<u32>(), 4);
    assert_eq!(daily.periods.first().unwrap().key, "2024-02-28");
    assert_eq!(daily.periods.last().unwrap().key, "2024-03-10");
    assert_eq!(daily.periods.len(), 12, "every day, empty ones included");
    let weekly = e.time_series(
        &all,
        SeriesSpec {
            bucket: BucketSize::Week,
            ..SeriesSpec::default()
        },
    );
    // 28 and 29 Feb 2024 are in ISO week 9 (26 Feb – 3 Mar); 4 Mar starts week 10, and the
    // 3–9 March range is centred on 6 March, also week 10; 10 March is a Sunday: week 10.
    let keys: Vec<&str> = weekly.periods.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["2024-W09", "2024-W10"]);
    assert_eq!(weekly.totals(), [2, 3]);
    assert_eq!(weekly.unplaced, 2);
    let yearly = e.time_series(
        &all,
        SeriesSpec {
            bucket: BucketSize::Year,
            ..SeriesSpec::default()
        },
    );
    assert_eq!(yearly.totals(), [7]);
    assert_eq!(yearly.unplaced, 0);
    let quarterly = e.time_series(
        &all,
        SeriesSpec {
            bucket: BucketSize::Quarter,
            ..SeriesSpec::default()
        },
    );
    assert_eq!(quarterly.totals(), [6]);
    assert_eq!(quarterly.unplaced, 1, "a whole year fits no quarter");
}

#[test]
fn grouping_keeps_the_top_n_and_folds_the_rest_into_other() {
    let e = engine();
    let ts = e.time_series(
        &Filter::default(),
        SeriesSpec {
            bucket: BucketSize::Year,
            group_by: GroupBy::EventType,
            top_n: 1,
        },
    );
    let names: Vec<&str> = ts.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Battles", "Other"]);
    assert_eq!(ts.groups[0].counts, [4]);
    assert_eq!(ts.groups[1].counts, [3]);
    let by_actor = e.time_series(
        &Filter::default(),
        SeriesSpec {
            bucket: BucketSize::Year,
            group_by: GroupBy::Actor,
            top_n: 10,
        },
    );
    let total: u32 = by_actor.groups.iter().map(|g| g.counts[0]).sum();
    assert_eq!(total, 7, "groups partition the events");
}

#[test]
fn the_interaction_network_weights_pairs_by_events_and_deaths() {
    let e = engine();
    let g = e.actor_graph(&Filter::default());
    let store = e.store();
    let node = |id: &str| g.node_of(store.actor_index(id).unwrap()).unwrap() as u32;
    let (a, b, c) = (node("a"), node("b"), node("c"));
    let edge = |x: u32, y: u32, kind: EdgeKind| {
        g.edges
            .iter()
            .find(|e| e.kind == kind && ((e.from, e.to) == (x, y) || (e.from, e.to) == (y, x)))
    };
    let ab = edge(a, b, EdgeKind::Interaction).expect("a met b");
    assert_eq!((ab.events, ab.fatalities), (2, 3));
    // c is associated with a on actor 2's side of e2, so it met b there, and in e5.
    let cb = edge(c, b, EdgeKind::Interaction).expect("c met b");
    assert_eq!((cb.events, cb.fatalities), (2, 12));
    assert!(edge(a, c, EdgeKind::SameSide).is_some());
    let stated = g
        .edges
        .iter()
        .find(|e| matches!(e.kind, EdgeKind::Stated(_)))
        .expect("the stated relation");
    assert_eq!((stated.from, stated.to), (c, a));
    assert_eq!(g.nodes[a as usize].events, 3, "e1, e2 and e6");
}

#[test]
fn the_same_filter_is_answered_from_the_cache_and_a_narrower_one_from_the_last_rows() {
    let e = engine();
    let wide = Filter {
        event_types: vec!["Battles".into()],
        ..Filter::default()
    };
    e.rows(&wide);
    e.rows(&wide);
    e.time_series(&wide, SeriesSpec::default());
    assert_eq!(e.row_computations(), 1);
    let narrow = Filter {
        min_fatalities: Some(5),
        ..wide.clone()
    };
    assert!(narrow.narrows(&wide));
    assert!(!wide.narrows(&narrow));
    assert_eq!(ids(&e, &narrow), ["e5"]);
    assert_eq!(e.row_computations(), 2);
}

#[test]
fn the_event_list_sorts_by_any_column() {
    let e = engine();
    let rows = e.sorted_rows(
        &Filter::default(),
        Sort {
            column: SortColumn::Fatalities,
            descending: true,
        },
    );
    let first = rows[0] as usize;
    assert_eq!(e.store().row(first).id(), "e5");
    let by_date = e.sorted_rows(
        &Filter::default(),
        Sort {
            column: SortColumn::Date,
            descending: false,
        },
    );
    assert_eq!(e.store().row(by_date[0] as usize).id(), "e6");
}

#[test]
fn the_engine_can_be_shared_with_a_worker_thread() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
    let e = Arc::new(engine());
    let worker = {
        let e = e.clone();
        std::thread::spawn(move || e.rows(&Filter::default()).len())
    };
    assert_eq!(worker.join().unwrap(), 7);
}

#[test]
fn the_seed_month_view_of_the_drone_series_is_6_31_90() {
    let store = Store::from_dataset(faultline_core::seed::seed_dataset().unwrap());
    let e = Engine::new(Arc::new(store));
    let ts = e.time_series(&Filter::default(), SeriesSpec::default());
    let drones = ts
        .reported
        .iter()
        .find(|r| r.id == "drone-launches-iraq-israel-monthly")
        .unwrap();
    let at = |key: &str| {
        let p = ts.periods.iter().position(|p| p.key == key).unwrap();
        drones.values[p].map(|v| v.0)
    };
    assert_eq!(
        (at("2024-08"), at("2024-09"), at("2024-10")),
        (Some(6.0), Some(31.0), Some(90.0))
    );
    assert_eq!(drones.reported_by, "Maariv");
    // Reported figures are not counted events.
    let oct = ts.periods.iter().position(|p| p.key == "2024-10").unwrap();
    assert!(ts.totals()[oct] < 90);
}

#[test]
fn an_imprecise_event_crossing_a_bucket_boundary_goes_where_its_middle_day_is_or_nowhere() {
    // The rule (query::buckets): an event spanning start..=end goes in the bucket of its
    // middle day when the span is shorter than that bucket, else in no bucket at all.
    let text = r#"{"format":"faultline","version":1,"title":"ranges",
      "events":[
        {"id":"r1","date":"2024-03-28/2024-04-03","event_type":"Battles","status":{"kind":"reported"}},
        {"id":"r2","date":"2024-03-30/2024-04-05","event_type":"Battles","status":{"kind":"reported"}},
        {"id":"r3","date":"2024-03-01/2024-04-30","event_type":"Battles","status":{"kind":"reported"}}
      ]}"#;
    let dataset = native::from_str(text, std::path::Path::new("ranges.json")).unwrap();
    let e = Engine::new(Arc::new(Store::from_dataset(dataset)));
    let series = |bucket| {
        let ts = e.time_series(
            &Filter::default(),
            SeriesSpec {
                bucket,
                ..SeriesSpec::default()
            },
        );
        let placed: Vec<(String, u32)> = ts
            .periods
            .iter()
            .map(|p| p.key.clone())
            .zip(ts.totals())
            .filter(|(_, n)| *n > 0)
            .collect();
        (placed, ts.unplaced)
    };
    // Months: r1's middle is 31 March, r2's is 2 April; r3 (61 days) fits no month.
    assert_eq!(
        series(BucketSize::Month),
        (vec![("2024-03".into(), 1), ("2024-04".into(), 1)], 1)
    );
    // Weeks: r1 and r2 last 7 days, so they fit a week: r1's middle (Sunday 31 March) is in
    // ISO week 13, r2's (Tuesday 2 April) in week 14.
    assert_eq!(
        series(BucketSize::Week),
        (vec![("2024-W13".into(), 1), ("2024-W14".into(), 1)], 1)
    );
    // Quarters: r1 and r3 have their middle on 31 March (first quarter), r2 on 2 April.
    assert_eq!(
        series(BucketSize::Quarter),
        (vec![("2024-Q1".into(), 2), ("2024-Q2".into(), 1)], 0)
    );
    // Days: no range is a day.
    assert_eq!(series(BucketSize::Day), (vec![], 3));
}

#[test]
fn an_exported_chart_of_fifteen_years_by_month_has_dates_under_its_bars() {
    use faultline_core::model::{DateSpan, EventRow, Text};
    let mut store = faultline_core::store::Store::new(faultline_core::model::Dataset::default());
    let start = chrono::NaiveDate::from_ymd_opt(2004, 1, 15).unwrap();
    for i in 0..180u64 {
        let id = format!("D{i}");
        store.push(&EventRow::new(
            Text::of(&id),
            DateSpan::Day(start + chrono::Days::new(i * 30)),
            Text::of("Battles"),
        ));
    }
    let rows: Vec<u32> = (0..store.len() as u32).collect();
    let spec = faultline_core::query::SeriesSpec {
        bucket: faultline_core::query::BucketSize::Month,
        group_by: faultline_core::query::GroupBy::None,
        top_n: 8,
    };
    let ts = faultline_core::query::time_series(&store, &rows, spec, None, None);
    let filter = faultline_core::query::Filter::default();
    let chart = faultline_core::export::timeline::TimelineChart::new(&store, &filter, &ts);
    let svg = faultline_core::export::svg::timeline_svg(&chart);
    let labels: Vec<&str> = svg
        .lines()
        .filter(|l| l.contains("class=\"bucket-label\""))
        .filter_map(|l| l.split('>').nth(1)?.split('<').next())
        .collect();
    assert!(labels.len() >= 5, "{labels:?}");
    assert!(
        labels
            .iter()
            .all(|l| l.parse::<i32>().is_ok_and(|y| (2004..=2019).contains(&y))),
        "{labels:?}"
    );
}

#[test]
fn a_prepared_view_is_all_cache_and_an_unprepared_one_is_not() {
    use faultline_core::query::{GraphSpec, View};
    let engine = engine();
    let view = View {
        filter: Filter {
            event_types: vec!["Battles".into()],
            ..Filter::default()
        },
        spec: SeriesSpec {
            bucket: BucketSize::Week,
            group_by: GroupBy::Actor,
            top_n: 3,
        },
        sort: Sort::default(),
        graph: Some(GraphSpec::default()),
        map: Some(faultline_core::query::map::MapSpec {
            layer: Default::default(),
            colour_by: Default::default(),
            frame: faultline_core::layout::map::MapFrame::world(Default::default(), [800.0, 400.0]),
        }),
        compare: Some(SeriesSpec {
            group_by: GroupBy::Country,
            ..SeriesSpec::default()
        }),
    };
    // The tooltips' series: the same buckets, split by event type, six types at most.
    assert_eq!(
        view.type_spec(),
        SeriesSpec {
            bucket: BucketSize::Week,
            group_by: GroupBy::EventType,
            top_n: 6,
        }
    );
    assert!(!engine.is_prepared(&view));
    // Each part alone is not the whole view.
    engine.sorted_rows(&view.filter, view.sort);
    engine.time_series(&view.filter, view.spec);
    assert!(
        !engine.is_prepared(&view),
        "the tooltips' series and the graph are missing"
    );
    engine.time_series(&view.filter, view.type_spec());
    assert!(!engine.is_prepared(&view), "the graph is missing");
    engine.graph_view(&view.filter, view.graph.as_ref().unwrap());
    assert!(!engine.is_prepared(&view), "the map is missing");
    engine.map_scene(&view.filter, view.map.as_ref().unwrap());
    engine.country_totals(&view.filter);
    assert!(
        !engine.is_prepared(&view),
        "the comparison's series is missing"
    );
    engine.prepare(&view);
    assert!(engine.is_prepared(&view));
    let without_graph = View {
        graph: None,
        ..view.clone()
    };
    assert!(engine.is_prepared(&without_graph));
    // Another sort, another bucket, another graph: not prepared.
    let resorted = View {
        sort: Sort {
            descending: !view.sort.descending,
            ..view.sort
        },
        ..view.clone()
    };
    assert!(!engine.is_prepared(&resorted));
    let rebucketed = View {
        spec: SeriesSpec {
            bucket: BucketSize::Month,
            ..view.spec
        },
        ..view.clone()
    };
    assert!(!engine.is_prepared(&rebucketed));
    let regraphed = View {
        graph: Some(GraphSpec {
            top_n: 2,
            ..GraphSpec::default()
        }),
        ..view.clone()
    };
    assert!(!engine.is_prepared(&regraphed));
}

#[test]
fn the_graph_view_shows_the_most_connected_actors_and_is_laid_out_once() {
    use faultline_core::query::GraphSpec;
    let engine = engine();
    let spec = GraphSpec {
        top_n: 2,
        ..GraphSpec::default()
    };
    let view = engine.graph_view(&Filter::default(), &spec);
    assert_eq!(view.nodes.len(), 2, "the two most connected actors");
    assert_eq!(engine.layout_computations(), 1);
    // The same again, or the same events under an actor filter (the graph ignores it):
    // answered from the cache.
    let again = engine.graph_view(&Filter::default(), &spec);
    assert!(Arc::ptr_eq(&view, &again));
    let by_actor = Filter {
        actors: vec!["a".into()],
        ..Filter::default()
    };
    engine.graph_view(&by_actor, &spec);
    assert_eq!(engine.layout_computations(), 1);
    let wider = GraphSpec {
        top_n: 3,
        ..GraphSpec::default()
    };
    assert_eq!(engine.graph_view(&Filter::default(), &wider).nodes.len(), 3);
    assert_eq!(engine.layout_computations(), 2);
}

#[test]
fn buckets_have_names_and_follow_each_other() {
    let names: Vec<&str> = BucketSize::ALL.iter().map(|b| b.name()).collect();
    assert_eq!(names, ["day", "week", "month", "quarter", "year"]);
    let day = |t: &str| faultline_core::store::day_number(d(t));
    let start = day("2024-01-31");
    assert_eq!(BucketSize::Day.next(start), day("2024-02-01"));
    assert_eq!(BucketSize::Week.next(day("2024-01-29")), day("2024-02-05"));
    assert_eq!(BucketSize::Month.next(day("2024-01-01")), day("2024-02-01"));
    assert_eq!(
        BucketSize::Quarter.next(day("2024-10-01")),
        day("2025-01-01")
    );
    assert_eq!(BucketSize::Year.next(day("2024-01-01")), day("2025-01-01"));
}

#[test]
fn facets_count_events_relations_and_statements_per_actor_and_rank_values() {
    let engine = engine();
    let store = engine.store().clone();
    let facets = engine.facets();
    let index = |id: &str| store.actor_index(id).unwrap() as usize;
    // Counted by hand from small_store: Alpha Brigade is in e1, e2, e6; the relation r1
    // joins Charlie Militia and Alpha Brigade; nobody speaks.
    assert_eq!(facets.events_of(index("a")), 3);
    assert_eq!(facets.relations_of(index("a")), 1);
    assert_eq!(facets.relations_of(index("c")), 1);
    assert_eq!(facets.relations_of(index("b")), 0);
    assert_eq!(facets.statements_of(index("a")), 0);
    // Battles is the commonest type (e1, e2, e5, e6): rank 0.
    assert_eq!(facets.rank(GroupBy::EventType, "Battles", &store), Some(0));
    assert_eq!(facets.rank(GroupBy::EventType, "Protests", &store), Some(1));
    assert_eq!(
        facets.rank(GroupBy::EventType, "No such type", &store),
        None
    );
    // Actors by their events: Bravo Forces (4) first.
    assert_eq!(facets.rank(GroupBy::Actor, "Bravo Forces", &store), Some(0));
    assert_eq!(facets.rank(GroupBy::Actor, "Nobody", &store), None);
}

#[test]
fn emptiness_and_narrowing_of_filters() {
    assert!(Filter::default().is_empty());
    let battles = Filter {
        event_types: vec!["Battles".into()],
        ..Filter::default()
    };
    assert!(!battles.is_empty());
    let alpha = Filter {
        actors: vec!["a".into()],
        ..battles.clone()
    };
    // An actor filter narrows a filter without one, not the other way round.
    assert!(alpha.narrows(&battles));
    assert!(!battles.narrows(&alpha));
    // Another role is not narrower.
    let alpha_as_actor2 = Filter {
        actor_role: ActorRole::Actor2,
        ..alpha.clone()
    };
    assert!(!alpha_as_actor2.narrows(&alpha));
    assert!(alpha.narrows(&alpha));
}

#[test]
fn an_answer_counts_its_events_in_words() {
    use faultline_core::query::explain::{explain, Subject};
    let engine = engine();
    let spec = SeriesSpec::default();
    let series = engine.time_series(&Filter::default(), spec);
    let month = |key: &str| series.periods.iter().position(|p| p.key == key).unwrap();
    let why = |period| {
        let subject = Subject::Bucket {
            spec,
            period,
            group: Some(0),
        };
        explain(&engine, &Filter::default(), &subject).unwrap()
    };
    // Not grouped: the bar is the only group, named by its period alone.
    assert_eq!(why(month("2024-02")).what, "2 events in Feb 2024");
    // March: e3 (dated to the month), e4, e5 and the week of protests e7.
    assert_eq!(why(month("2024-03")).what, "4 events in Mar 2024");
    let by_type = SeriesSpec {
        group_by: GroupBy::EventType,
        ..spec
    };
    let subject = Subject::Bucket {
        spec: by_type,
        period: month("2024-03"),
        group: Some(0),
    };
    let typed = explain(&engine, &Filter::default(), &subject).unwrap();
    assert_eq!(typed.what, "1 event of event type Battles in Mar 2024");
    // A source's count: the events it reported (e3 and e4 cite the Herald).
    let herald = Subject::Entry {
        list: faultline_core::query::explain::EntryList::Source,
        value: "Herald".into(),
    };
    let why = explain(&engine, &Filter::default(), &herald).unwrap();
    let store = engine.store();
    let ids: Vec<&str> = why
        .rows
        .iter()
        .map(|&r| store.row(r as usize).id())
        .collect();
    assert_eq!(ids, ["e3", "e4"]);
}

#[test]
fn a_one_day_range_never_holds_an_event_known_only_to_its_month() {
    let engine = engine();
    // e3 is dated March 2024: the middle of its span is 16 March.
    let day = Filter {
        from: Some(d("2024-03-16")),
        to: Some(d("2024-03-16")),
        ..Filter::default()
    };
    assert!(!ids(&engine, &day).contains(&"e3".to_string()));
    let month = Filter {
        from: Some(d("2024-03-01")),
        to: Some(d("2024-03-31")),
        ..Filter::default()
    };
    assert!(ids(&engine, &month).contains(&"e3".to_string()));
    // A range that starts or ends anywhere holds it by its middle alone.
    let from_only = Filter {
        from: Some(d("2024-03-16")),
        ..Filter::default()
    };
    assert!(ids(&engine, &from_only).contains(&"e3".to_string()));
}

#[test]
fn lists_of_different_kinds_combine_with_and() {
    let engine = engine();
    // Every battle is in Northland: none in Southland.
    let f = Filter {
        event_types: vec!["Battles".into()],
        countries: vec!["Southland".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&engine, &f), Vec::<String>::new());
    let f = Filter {
        event_types: vec!["Protests".into()],
        countries: vec!["Southland".into()],
        ..Filter::default()
    };
    assert_eq!(ids(&engine, &f), ["e4", "e7"]);
    // Every list is checked, whichever one picks the candidates: a type, then a place, a
    // first-level area, a source.
    for f in [
        Filter {
            event_types: vec!["Battles".into()],
            locations: vec!["Southport".into()],
            ..Filter::default()
        },
        Filter {
            event_types: vec!["Battles".into()],
            admin1: vec!["South".into()],
            ..Filter::default()
        },
        Filter {
            event_types: vec!["Battles".into()],
            sources: vec!["Herald".into()],
            ..Filter::default()
        },
        Filter {
            event_types: vec!["Battles".into()],
            sub_event_types: vec!["Air/drone strike".into()],
            ..Filter::default()
        },
    ] {
        assert_eq!(ids(&engine, &f), Vec::<String>::new(), "{f:?}");
    }
}

#[test]
fn the_graph_counts_each_actors_events_deaths_and_relations() {
    use faultline_core::query::network::graph_rows;
    let engine = engine();
    let store = engine.store().clone();
    let all = engine.rows(&Filter::default());
    let graph = actor_graph(&store, &all);
    let facets = engine.facets();
    let rows = graph_rows(&store, &all);
    for node in &graph.nodes {
        let a = node.actor as usize;
        assert_eq!(
            node.events as usize,
            facets.events_of(a),
            "{}",
            store.actor_name(node.actor)
        );
        assert_eq!(node.relations as usize, facets.relations_of(a));
        assert_eq!(
            rows.actors.get(&node.actor).map_or(0, Vec::len),
            facets.events_of(a)
        );
    }
    // By hand: Bravo Forces is in e1 (3 deaths), e2 (0), e3 (7) and e5 (12).
    let bravo = graph
        .nodes
        .iter()
        .find(|n| store.actor_name(n.actor) == "Bravo Forces")
        .unwrap();
    assert_eq!(bravo.fatalities, 22);
    // Edges heaviest first.
    assert!(graph
        .edges
        .windows(2)
        .all(|w| w[0].events >= w[1].events || matches!(w[1].kind, EdgeKind::Stated(_))));
}

#[test]
fn the_most_connected_actors_count_relations_thrice() {
    use faultline_core::query::graph_view::members;
    let engine = engine();
    let store = engine.store().clone();
    let graph = actor_graph(&store, &engine.rows(&Filter::default()));
    let names = |m: Vec<usize>| -> Vec<String> {
        let mut v: Vec<String> = m
            .iter()
            .map(|&i| store.actor_name(graph.nodes[i].actor).to_string())
            .collect();
        v.sort();
        v
    };
    // Events + 3 × relations: Alpha 3 + 3, Charlie 2 + 3, Bravo 4, Civilians 3.
    assert_eq!(
        names(members(&graph, 2, None)),
        ["Alpha Brigade", "Charlie Militia"]
    );
    // The focus joins them when it is not among them.
    let civ = store.actor_index("civ");
    assert_eq!(
        names(members(&graph, 2, civ)),
        ["Alpha Brigade", "Charlie Militia", "Civilians (Northland)"]
    );
}

#[test]
fn the_graph_view_keeps_an_isolated_focus_and_counts_degrees() {
    use faultline_core::query::GraphSpec;
    let engine = engine();
    let store = engine.store().clone();
    // Only the protests: Civilians alone, with no edge.
    let protests = Filter {
        event_types: vec!["Protests".into()],
        ..Filter::default()
    };
    let spec = GraphSpec {
        hide_isolated: true,
        interactions: true,
        hidden_relations: faultline_core::model::RelationKind::ALL.to_vec(),
        focus: Some("civ".into()),
        ..GraphSpec::default()
    };
    let view = engine.graph_view(&protests, &spec);
    let shown: Vec<&str> = view
        .nodes
        .iter()
        .map(|n| store.actor_name(n.node.actor))
        .collect();
    assert!(shown.contains(&"Civilians (Northland)"), "{shown:?}");
    // Every node's degree is its number of shown edges.
    let all = engine.graph_view(&Filter::default(), &GraphSpec::default());
    for (i, node) in all.nodes.iter().enumerate() {
        let degree = all
            .edges
            .iter()
            .filter(|e| e.from as usize == i || e.to as usize == i)
            .count();
        assert_eq!(node.degree as usize, degree);
    }
    assert!(all.nodes.iter().any(|n| n.degree > 1));
}

#[test]
fn linked_actors_are_laid_out_nearer_each_other_than_the_average_pair() {
    use faultline_core::query::GraphSpec;
    let store = Store::from_dataset(faultline_core::seed::seed_dataset().unwrap());
    let engine = Engine::new(Arc::new(store));
    let view = engine.graph_view(&Filter::default(), &GraphSpec::default());
    let dist = |a: usize, b: usize| {
        let (p, q) = (view.nodes[a].position, view.nodes[b].position);
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
    };
    let linked: Vec<f32> = view
        .edges
        .iter()
        .map(|e| dist(e.from as usize, e.to as usize))
        .collect();
    let n = view.nodes.len();
    let mut all = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            all.push(dist(a, b));
        }
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    assert!(
        mean(&linked) < 0.8 * mean(&all),
        "{} vs {}",
        mean(&linked),
        mean(&all)
    );
}

/// The engine's free-text filter (notes folded once, searched as one buffer, or note by note
/// when a narrower filter leaves few rows) selects exactly what the plain scan selects, on
/// 20,000 notes of hostile text: mixed case, accents, Cyrillic, Arabic, letters whose lower
/// case is longer (İ) or ASCII (the Kelvin sign), empty notes, and needles that would match
/// only across two notes.
#[test]
fn the_folded_search_selects_what_the_plain_scan_selects() {
    let pieces = [
        "Clash near SARAQIB",
        "",
        "Frappe aérienne à Goma — ÉGLISE touchée",
        "Удар по селу Марьинка",
        "قصف على مدينة حلب",
        "İstanbul protest",
        "5 \u{212A} north",
        "VILLAGE",
        "vil",
        "lage",
        "ΣΊΣΥΦΟΣ and ß",
        "\"quoted\", with; separators",
    ];
    let mut csv = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,source,notes,fatalities\n".to_string();
    let mut state = 7u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for i in 0..20_000 {
        let note: Vec<&str> = (0..next() % 3)
            .map(|_| pieces[next() % pieces.len()])
            .collect();
        let note = note.join(" ").replace('"', "\"\"");
        csv += &format!(
            "E{i},2024-03-01,2024,1,Battles,Armed clash,Army,Rebels,Sudan,Khartoum,Town,15.5,32.5,Radio,\"{note}\",1\n"
        );
    }
    let opened = faultline_core::io::open_bytes(
        csv.as_bytes(),
        std::path::Path::new("hostile.csv"),
        &faultline_core::io::OpenOptions::default(),
    )
    .unwrap();
    let store = Arc::new(opened.store);
    let engine = Engine::new(store.clone());
    engine.prepare_search();
    let text = |t: &str| Filter {
        text: t.into(),
        ..Filter::default()
    };
    // Typed one letter at a time, so later filters narrow earlier ones (the note-by-note
    // path), and a few on their own (the whole-buffer path).
    for word in [
        "village",
        "ÉGLISE",
        "марьинка",
        "حلب",
        "i̇stanbul",
        "k",
        "σίσυφος",
        "villagevil",
    ] {
        let mut typed = String::new();
        for ch in word.chars() {
            typed.push(ch);
            let plain = faultline_core::query::filter_rows(&store, &text(&typed));
            assert_eq!(*engine.rows(&text(&typed)), plain, "{typed:?}");
        }
    }
    for needle in ["a", "saraqib", "\"quoted\"", "église", "ß", "lage vil"] {
        let plain = faultline_core::query::filter_rows(&store, &text(needle));
        let fresh = Engine::new(store.clone());
        assert_eq!(*fresh.rows(&text(needle)), plain, "{needle:?}");
    }
    // The answers are not trivially empty or full.
    let some = faultline_core::query::filter_rows(&store, &text("village")).len();
    assert!(some > 1000 && some < 19_000, "{some}");
}
