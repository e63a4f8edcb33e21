//! "Why this number?" answers with exactly the rows the number counts: for every bar (and
//! every part of a stacked bar) of every bucket width and grouping, for the filter lists'
//! counts, the actors' counts and the network's edges — and the filter it offers selects
//! exactly those rows.

use std::sync::Arc;

use faultline_core::model::{Actor, ActorKind, Dataset, DateSpan, Event, Source, SourceRef};
use faultline_core::query::explain::{explain, EntryList, Subject};
use faultline_core::query::{
    actor_graph, BucketSize, EdgeKind, Engine, Filter, GroupBy, SeriesSpec,
};
use faultline_core::store::Store;

/// A deterministic pseudo-random dataset: 1,500 events over two years at mixed precision
/// (days, months, week-long ranges, a few whole years), 12 actors on two sides with
/// associated actors, 5 event types, 4 countries.
fn generated() -> Store {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let actors: Vec<Actor> = (0..12)
        .map(|i| {
            Actor::named(
                &format!("a{i}"),
                &format!("Actor {i}"),
                ActorKind::ArmedGroup,
            )
        })
        .collect();
    let types = ["Battles", "Protests", "Riots", "Explosions", "Strategic"];
    let countries = ["North", "South", "East", "West"];
    let events = (0..1500)
        .map(|i| {
            let day =
                chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Days::new(next(700));
            let date: DateSpan = match next(10) {
                0..=5 => day.to_string().parse().unwrap(),
                6 | 7 => day.format("%Y-%m").to_string().parse().unwrap(),
                8 => format!("{day}/{}", day + chrono::Days::new(6))
                    .parse()
                    .unwrap(),
                _ => day.format("%Y").to_string().parse().unwrap(),
            };
            let mut e = Event::new(
                format!("e{i}"),
                date,
                types[next(types.len() as u64) as usize].to_string(),
            );
            let a = next(12);
            let b = (a + 1 + next(11)) % 12;
            e.actor1 = Some(format!("a{a}"));
            if next(4) > 0 {
                e.actor2 = Some(format!("a{b}"));
            }
            if next(5) == 0 {
                let c = (a + 6) % 12;
                if c != b {
                    e.associated_actors_1 = vec![format!("a{c}")];
                }
            }
            e.location.country = Some(countries[next(4) as usize].to_string());
            e.location.place = Some(format!("Town {}", next(9)));
            e.fatalities = Some(next(5) as u32);
            e.sources = vec![SourceRef {
                source: "s".into(),
                quote: format!("words of event {i}"),
                attributed_to: None,
            }];
            e
        })
        .collect();
    Store::from_dataset(Dataset {
        title: "generated".into(),
        sources: vec![Source {
            id: "s".into(),
            publisher: "Wire".into(),
            title: "T".into(),
            date: None,
            url: None,
        }],
        actors,
        events,
        ..Default::default()
    })
}

fn ids(engine: &Engine, rows: &[u32]) -> Vec<String> {
    rows.iter()
        .map(|&r| engine.store().row(r as usize).id().to_string())
        .collect()
}

#[test]
fn every_bar_and_every_part_of_a_stacked_bar_answers_with_exactly_its_rows() {
    let engine = Engine::new(Arc::new(generated()));
    let filters = [
        Filter::default(),
        Filter {
            event_types: vec!["Battles".into(), "Riots".into()],
            ..Filter::default()
        },
        Filter {
            from: Some("2023-03-01".parse().unwrap()),
            to: Some("2024-02-29".parse().unwrap()),
            countries: vec!["North".into()],
            ..Filter::default()
        },
    ];
    let mut bars = 0;
    for (f, filter) in filters.iter().enumerate() {
        for bucket in [
            BucketSize::Day,
            BucketSize::Week,
            BucketSize::Month,
            BucketSize::Quarter,
            BucketSize::Year,
        ] {
            // Days only for the narrowest filter: each bar recounts the whole selection.
            if bucket == BucketSize::Day && f != 2 {
                continue;
            }
            for group_by in [
                GroupBy::None,
                GroupBy::EventType,
                GroupBy::Actor,
                GroupBy::Country,
            ] {
                // Three groups and "Other": the folded rest must answer too.
                let spec = SeriesSpec {
                    bucket,
                    group_by,
                    top_n: 3,
                };
                let series = engine.time_series(filter, spec);
                let totals = series.totals();
                for (period, &total) in totals.iter().enumerate() {
                    for (g, group) in series.groups.iter().enumerate() {
                        let subject = Subject::Bucket {
                            spec,
                            period,
                            group: Some(g),
                        };
                        let why = explain(&engine, filter, &subject).unwrap();
                        assert_eq!(
                            why.rows.len() as u32,
                            group.counts[period],
                            "{bucket:?} {group_by:?} {} {}",
                            series.periods[period].label,
                            group.name
                        );
                        if group.counts[period] > 0 {
                            bars += 1;
                            // The offered filter shows exactly these rows.
                            assert_eq!(
                                ids(&engine, &engine.rows(&why.show)),
                                ids(&engine, &why.rows)
                            );
                        }
                    }
                    let whole = Subject::Bucket {
                        spec,
                        period,
                        group: None,
                    };
                    let why = explain(&engine, filter, &whole).unwrap();
                    assert_eq!(why.rows.len() as u32, total);
                    assert_eq!(why.number, total.to_string());
                }
            }
        }
    }
    assert!(bars > 1000, "{bars} bars checked");
}

#[test]
fn list_counts_and_actor_counts_answer_with_their_rows_over_the_whole_dataset() {
    let engine = Engine::new(Arc::new(generated()));
    let store = engine.store().clone();
    let facets = engine.facets();
    // Whatever the filter on screen, the lists count over the whole dataset.
    let on_screen = Filter {
        event_types: vec!["Riots".into()],
        ..Filter::default()
    };
    for (list, facet) in [
        (EntryList::EventType, &facets.event_types),
        (EntryList::Country, &facets.countries),
        (EntryList::Place, &facets.locations),
    ] {
        for (value, count) in facet.iter() {
            let subject = Subject::Entry {
                list,
                value: value.clone(),
            };
            let why = explain(&engine, &on_screen, &subject).unwrap();
            assert_eq!(why.rows.len(), *count, "{list:?} {value}");
            assert!(why.among.contains("whole dataset"));
        }
    }
    for a in 0..store.actors().len() {
        let why = explain(&engine, &on_screen, &Subject::ActorEvents(a as u32)).unwrap();
        assert_eq!(why.rows.len(), facets.events_of(a), "actor {a}");
        // By hand: the events naming the actor in any role.
        let by_hand = (0..store.len())
            .filter(|&i| store.row(i).all_actors().any(|x| x == a as u32))
            .count();
        assert_eq!(why.rows.len(), by_hand);
    }
}

#[test]
fn an_edges_weight_answers_with_the_events_it_weighs() {
    let engine = Engine::new(Arc::new(generated()));
    let filter = Filter {
        countries: vec!["South".into(), "East".into()],
        ..Filter::default()
    };
    let rows = engine.rows(&filter);
    let graph = actor_graph(engine.store(), &rows);
    let mut edges = 0;
    for edge in &graph.edges {
        let same_side = match edge.kind {
            EdgeKind::Interaction => false,
            EdgeKind::SameSide => true,
            _ => continue,
        };
        let (from, to) = (
            graph.nodes[edge.from as usize].actor,
            graph.nodes[edge.to as usize].actor,
        );
        let why = explain(
            &engine,
            &filter,
            &Subject::Edge {
                from,
                to,
                same_side,
            },
        )
        .unwrap();
        assert_eq!(why.rows.len() as u32, edge.events);
        assert!(why.rows.iter().all(|r| rows.contains(r)));
        edges += 1;
    }
    assert!(edges > 20, "{edges} edges");
}

#[test]
fn a_reported_figure_answers_with_who_said_it_who_counted_it_and_the_words() {
    let store = Store::from_dataset(faultline_core::seed::seed_dataset().unwrap());
    let engine = Engine::new(Arc::new(store));
    let subject = Subject::Figure {
        series: "drone-launches-iraq-israel-monthly".into(),
        index: 2,
    };
    let why = explain(&engine, &Filter::default(), &subject).unwrap();
    let figure = why.figure.expect("a figure's account");
    assert_eq!(figure.figure, "90 drone attacks");
    assert_eq!(figure.period, "Oct 2024");
    assert_eq!(figure.reported_by, "Maariv");
    assert_eq!(figure.counted_by.as_deref(), Some("Israel"));
    assert_eq!(figure.quotes.len(), 1);
    assert_eq!(figure.quotes[0].0, "Shafaq News, 21 Nov 2024");
    assert!(figure.quotes[0].1.contains("90 in October"));
    assert!(
        why.rows.is_empty(),
        "a reported figure is not counted events"
    );
    let unknown = Subject::Figure {
        series: "nope".into(),
        index: 0,
    };
    assert!(explain(&engine, &Filter::default(), &unknown).is_none());
}

#[test]
fn the_rows_of_every_bar_at_once_are_the_rows_of_each_bar() {
    let engine = Engine::new(Arc::new(generated()));
    let filter = Filter {
        countries: vec!["West".into()],
        ..Filter::default()
    };
    let spec = SeriesSpec {
        bucket: BucketSize::Quarter,
        group_by: GroupBy::Actor,
        top_n: 4,
    };
    let series = engine.time_series(&filter, spec);
    let cells = engine.rows_by_bar(&filter, spec);
    assert_eq!(cells.len(), series.groups.len());
    let mut total = 0;
    for (g, group) in series.groups.iter().enumerate() {
        assert_eq!(cells[g].len(), series.periods.len());
        for (p, rows) in cells[g].iter().enumerate() {
            assert_eq!(rows.len() as u32, group.counts[p]);
            assert_eq!(*rows, engine.rows_behind(&filter, spec, p, Some(g)));
            total += rows.len();
        }
    }
    assert!(total > 100, "{total}");
}
