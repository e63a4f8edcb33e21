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
        quotes.push((format!("statement {} (its words)", s.id), &s.quote));
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
        .filter_map(|o| o.period.map(|p| (p, o.value)))
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
