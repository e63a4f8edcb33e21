//! The embedded seed dataset: every quote is the article's own words, and the headline
//! series is what Maariv reported.

mod common;

use faultline_core::model::{DateSpan, Qualifier};
use faultline_core::seed::seed_dataset;

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_quote_in_the_seed_dataset_is_verbatim_from_the_article() {
    let Some(shared) = common::shared_dir("every_quote_in_the_seed_dataset_is_verbatim") else {
        return;
    };
    let article = std::fs::read_to_string(shared.join("seed/000_2f6602b0745822a4.txt"))
        .expect("the seed article is readable");
    let article = normalise(&article);
    let d = seed_dataset().expect("the embedded dataset is valid");

    let mut quotes: Vec<(String, &str)> = Vec::new();
    fn refs<'a>(
        quotes: &mut Vec<(String, &'a str)>,
        what: String,
        sources: &'a [faultline_core::model::SourceRef],
    ) {
        for s in sources {
            quotes.push((what.clone(), s.quote.as_str()));
        }
    }
    for a in &d.actors {
        refs(&mut quotes, format!("actor {}", a.id), &a.sources);
    }
    for e in &d.events {
        refs(&mut quotes, format!("event {}", e.id), &e.sources);
    }
    for r in &d.relations {
        refs(&mut quotes, format!("relation {}", r.id), &r.sources);
    }
    for s in &d.series {
        for o in &s.observations {
            refs(&mut quotes, format!("series {}", s.id), &o.sources);
        }
    }
    for s in &d.statements {
        refs(&mut quotes, format!("statement {}", s.id), &s.sources);
    }
    for s in &d.statements {
        if let Some(q) = &s.quote {
            quotes.push((format!("statement {} (its words)", s.id), q));
        }
    }
    for a in &d.actors {
        for w in &a.weapons {
            quotes.push((
                format!("actor {} (a weapon)", a.id),
                w.split(' ').next().unwrap(),
            ));
        }
    }
    assert!(
        quotes.len() > 50,
        "the dataset cites the article throughout"
    );
    let missing: Vec<_> = quotes
        .iter()
        .filter(|(_, q)| !article.contains(&normalise(q)))
        .collect();
    assert!(
        missing.is_empty(),
        "quotes not in the article: {missing:#?}"
    );
}

#[test]
fn every_record_of_the_seed_dataset_cites_a_source() {
    let d = seed_dataset().expect("valid");
    assert!(d.actors.iter().all(|a| !a.sources.is_empty()));
    assert!(d.events.iter().all(|e| !e.sources.is_empty()));
    assert!(d.relations.iter().all(|r| !r.sources.is_empty()));
    assert!(d.statements.iter().all(|s| !s.sources.is_empty()));
    assert!(d
        .series
        .iter()
        .flat_map(|s| &s.observations)
        .all(|o| !o.sources.is_empty()));
}

#[test]
fn the_drone_series_is_6_31_90_reported_by_maariv() {
    let d = seed_dataset().expect("valid");
    let series = d
        .series
        .iter()
        .find(|s| s.name.to_lowercase().contains("drone") && s.observations.len() >= 3)
        .expect("a monthly drone series");
    let maariv = d
        .actors
        .iter()
        .find(|a| a.id == series.reported_by)
        .expect("the reporter is an actor");
    assert_eq!(maariv.name, "Maariv");
    let month = |m: u32| DateSpan::month(2024, m).unwrap();
    let values: Vec<(DateSpan, f64)> = series
        .observations
        .iter()
        .filter_map(|o| Some((o.period?, o.value?)))
        .collect();
    assert_eq!(
        values,
        vec![(month(8), 6.0), (month(9), 31.0), (month(10), 90.0)]
    );
    assert!(series
        .observations
        .iter()
        .all(|o| o.qualifier == Qualifier::Exact));
}

#[test]
fn the_seed_dataset_never_places_a_month_on_a_made_up_day() {
    let d = seed_dataset().expect("valid");
    // The article dates the Channel 14 publication only as "Last October".
    let sistani = d
        .events
        .iter()
        .find(|e| e.description.contains("Sistani"))
        .expect("the al-Sistani photo event");
    assert_eq!(sistani.date, DateSpan::month(2024, 10).unwrap());
    let first = d
        .events
        .iter()
        .find(|e| e.weapons.iter().any(|w| w.contains("Qasef")))
        .expect("the first IRI operation, with a Qasef-2K drone");
    assert_eq!(first.date.to_iso(), "2023-10-17");
}

// ---------------------------------------------------------------------------------------------
// The audit of the seed against its article, point by point

fn article() -> Option<String> {
    let shared = common::shared_dir("the seed audit")?;
    Some(
        std::fs::read_to_string(shared.join("seed/000_2f6602b0745822a4.txt"))
            .expect("the seed article is readable"),
    )
}

/// The stretches of `text` inside quotation marks, in order. Marks are paired as they come:
/// an opening curly mark opens, a closing one closes, a straight one does the other of what
/// the last did (the article mixes them: "strong diplomatic reactions”).
fn quoted_spans(text: &str) -> Vec<String> {
    let mut spans = Vec::new();
    let mut open: Option<String> = None;
    for c in text.chars() {
        match (c, open.as_mut()) {
            ('“', None) | ('"', None) => open = Some(String::new()),
            ('”', Some(_)) | ('"', Some(_)) => spans.push(open.take().unwrap()),
            ('“', Some(span)) => span.clear(),
            (c, Some(span)) => span.push(c),
            (_, None) => {}
        }
    }
    spans
}

#[test]
fn the_quotation_marks_of_the_article_pair_up() {
    let Some(article) = article() else { return };
    let spans = quoted_spans(&article);
    // Every span is short speech, not a run from one quotation to the next.
    assert_eq!(spans.len(), 29, "{spans:#?}");
    assert!(spans.iter().all(|s| s.len() < 700), "{spans:#?}");
    assert!(spans.iter().any(|s| s == "swiftly"));
    assert!(spans.iter().any(|s| s == "strong diplomatic reactions"));
}

#[test]
fn every_statement_quote_lies_inside_quotation_marks_in_the_article() {
    let Some(article) = article() else { return };
    let spans: Vec<String> = quoted_spans(&article)
        .iter()
        .map(|s| normalise(s))
        .collect();
    let d = seed_dataset().expect("valid");
    let outside: Vec<(&str, &str)> = d
        .statements
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.quote.as_deref()?)))
        .filter(|(_, q)| !spans.iter().any(|span| span.contains(&normalise(q))))
        .collect();
    assert!(
        outside.is_empty(),
        "quotes outside quotation marks: {outside:#?}"
    );
    // The narrated ones keep the article's account in their source, with no quote.
    for id in [
        "st-israel-airspace-accusation",
        "st-us-military-officials-daily-drones",
        "st-us-security-official-five-daily",
        "st-maariv-contingency-plans",
        "st-al-yasiri-trump-shift",
        "st-al-sudani-x-message",
        "st-al-araji-airspace",
    ] {
        let s = d.statements.iter().find(|s| s.id == id).expect(id);
        assert_eq!(s.quote, None, "{id}");
        assert!(!s.sources[0].quote.is_empty(), "{id}");
    }
    let quote_of = |id: &str| {
        d.statements
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.quote.clone())
    };
    assert_eq!(quote_of("st-saar-act-swiftly").as_deref(), Some("swiftly"));
    assert_eq!(
        quote_of("st-israeli-security-forces-operational-nuisance").as_deref(),
        Some("operational nuisance")
    );
    assert_eq!(
        quote_of("st-al-jazaeri-diplomatic-reactions").as_deref(),
        Some("strong diplomatic reactions")
    );
}

#[test]
fn hundreds_of_attacks_stays_a_word_and_is_never_plotted() {
    let d = seed_dataset().expect("valid");
    let series = d
        .series
        .iter()
        .find(|s| s.id == "iri-attacks-us-forces")
        .expect("the attacks on US forces");
    let o = &series.observations[0];
    assert_eq!(o.value, None);
    assert_eq!(o.words.as_deref(), Some("hundreds"));
    assert_eq!(o.figure(), "hundreds");
    // No number anywhere in the dataset says 200.
    let text = faultline_core::io::native::to_string(&d);
    assert!(!text.contains("200"), "a 200 is left");
    // The chart draws nothing for it and says it in words.
    let store = faultline_core::store::Store::from_dataset(d);
    let all: Vec<u32> = (0..store.len() as u32).collect();
    for bucket in faultline_core::query::BucketSize::ALL {
        let ts = faultline_core::query::time_series(
            &store,
            &all,
            faultline_core::query::SeriesSpec {
                bucket,
                group_by: faultline_core::query::GroupBy::None,
                top_n: 8,
            },
            None,
            None,
        );
        let report = ts
            .reported
            .iter()
            .find(|r| r.id == "iri-attacks-us-forces")
            .unwrap();
        assert!(report.values.iter().all(Option::is_none), "{bucket:?}");
        assert!(
            report.unaligned.iter().any(|u| u.ends_with(": hundreds")),
            "{bucket:?}"
        );
    }
}

#[test]
fn the_iranian_missile_strikes_do_not_put_iraq_on_irans_side() {
    let d = seed_dataset().expect("valid");
    let strikes: Vec<_> = d
        .events
        .iter()
        .filter(|e| e.id.contains("iranian-missiles"))
        .collect();
    assert_eq!(strikes.len(), 2);
    for e in strikes {
        assert!(e.associated_actors_1.is_empty(), "{}", e.id);
        assert!(e.associated_actors_2.is_empty(), "{}", e.id);
        // The article states the strikes; only the airspace is Israel's accusation.
        assert_eq!(e.status.by.as_deref(), Some("shafaq-news"), "{}", e.id);
        assert!(
            e.sources.iter().all(|s| s.attributed_to.is_none()),
            "{}",
            e.id
        );
    }
    let accusation = d
        .relations
        .iter()
        .find(|r| r.id == "rel-israel-accuses-iraq")
        .unwrap();
    assert_eq!(
        accusation.sources[0].attributed_to.as_deref(),
        Some("israel")
    );
}

#[test]
fn the_iri_relations_carry_no_dates_the_article_does_not_give() {
    let d = seed_dataset().expect("valid");
    let first_operation = chrono::NaiveDate::from_ymd_opt(2023, 10, 17).unwrap();
    let article_date = chrono::NaiveDate::from_ymd_opt(2024, 11, 21).unwrap();
    for id in ["rel-iri-attacks-israel", "rel-iri-attacks-us-forces"] {
        let r = d.relations.iter().find(|r| r.id == id).expect(id);
        if let Some(p) = r.period {
            assert!(p.start() >= first_operation, "{id} starts {}", p.start());
            assert!(p.end() < article_date, "{id} runs to the article's date");
        }
    }
}

#[test]
fn saar_s_letter_and_the_answer_to_it_are_dated_november_2024() {
    let d = seed_dataset().expect("valid");
    let november = DateSpan::month(2024, 11).unwrap();
    for id in [
        "st-saar-un-letter",
        "st-saar-act-swiftly",
        "st-saar-self-defense",
        "st-saar-iraqi-government-responsible",
        "st-al-sudani-pretext-for-aggression",
    ] {
        let s = d.statements.iter().find(|s| s.id == id).expect(id);
        assert_eq!(s.date, Some(november), "{id}");
    }
    let letter = d
        .relations
        .iter()
        .find(|r| r.id == "rel-israel-appeals-to-unsc")
        .unwrap();
    assert_eq!(letter.period, Some(november));
}

#[test]
fn the_iri_has_the_three_weapons_the_article_names() {
    let d = seed_dataset().expect("valid");
    let iri = d.actors.iter().find(|a| a.id == "iri").unwrap();
    assert_eq!(
        iri.weapons,
        [
            "drones",
            "Arqab cruise missiles",
            "Sarem short-range smart missile"
        ]
    );
    assert!(iri
        .sources
        .iter()
        .any(|s| s.quote.contains("Arqab cruise missiles")));
}

#[test]
fn kataib_hezbollah_is_found_by_its_usual_name() {
    let d = seed_dataset().expect("valid");
    let brigades = d
        .actors
        .iter()
        .find(|a| a.id == "hezbollah-brigades")
        .unwrap();
    assert!(brigades.aliases.iter().any(|a| a == "Kataib Hezbollah"));
    // The free-text filter finds an actor's events by an alias too.
    let mut small = faultline_core::model::Dataset {
        actors: vec![brigades.clone()],
        ..faultline_core::model::Dataset::default()
    };
    let mut event = d.events[0].clone();
    event.actor1 = Some("hezbollah-brigades".into());
    event.actor2 = None;
    event.associated_actors_1.clear();
    event.associated_actors_2.clear();
    event.status.by = None;
    event.sources.clear();
    small.events.push(event);
    let store = faultline_core::store::Store::from_dataset(small);
    let filter = faultline_core::query::Filter {
        text: "kataib hezbollah".into(),
        ..faultline_core::query::Filter::default()
    };
    assert_eq!(faultline_core::query::filter_rows(&store, &filter).len(), 1);
}

#[test]
fn the_attack_of_4_october_2024_is_announced_by_israel_not_confirmed() {
    let d = seed_dataset().expect("valid");
    let attack = d
        .events
        .iter()
        .find(|e| e.id == "ev-2024-10-04-drone-soldiers-killed")
        .unwrap();
    assert_eq!(
        attack.status.kind,
        faultline_core::model::StatusKind::Reported
    );
    assert_eq!(attack.status.by.as_deref(), Some("israel"));
}
