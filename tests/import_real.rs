//! Importing the real third-party files of `../shared/data/`: every record read, nothing
//! skipped, the date range a spreadsheet shows, and chosen rows field by field.
//!
//! Expected values were read from the files independently of the importer (Python's `csv` and
//! `json` modules, by hand for the chosen rows); record counts and whole-file cross-checks are
//! recomputed here with the `csv` crate and `serde_json`, never taken from the importer.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use faultline_core::io::{open, Format, OpenOptions, Opened};
use faultline_core::model::{Dataset, DatePrecision, Event};

// ---------------------------------------------------------------------------------------------
// Helpers

/// A real file, imported: the path, what `open` returned and its events as model records.
fn import(test: &str, name: &str) -> Option<(PathBuf, Opened, Dataset)> {
    let path = common::shared_data(test, name)?;
    let opened = open(
        &path,
        &OpenOptions {
            format: None,
            strict: false,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{name} imports: {e}"));
    let dataset = opened.store.to_dataset();
    Some((path, opened, dataset))
}

/// CSV records after the header, counted with the `csv` crate (a record may span lines).
fn csv_record_count(path: &Path) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_path(path)
        .unwrap();
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while reader.read_byte_record(&mut record).unwrap() {
        n += 1;
    }
    n
}

/// The earliest start and the latest end of all event dates, as ISO days.
fn date_bounds(dataset: &Dataset) -> (String, String) {
    let first = dataset.events.iter().map(|e| e.date.start()).min().unwrap();
    let last = dataset.events.iter().map(|e| e.date.end()).max().unwrap();
    (first.to_string(), last.to_string())
}

fn event<'a>(dataset: &'a Dataset, id: &str) -> &'a Event {
    let found: Vec<&Event> = dataset.events.iter().filter(|e| e.id == id).collect();
    assert_eq!(found.len(), 1, "exactly one event has id {id}");
    found[0]
}

/// The name of the actor with this id (imported actors are named by their id, but the actor
/// must exist in the dataset).
fn actor_name<'a>(dataset: &'a Dataset, id: &str) -> &'a str {
    let actor = dataset
        .actors
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("actor {id:?} is in the dataset's actor list"));
    &actor.name
}

/// One row as the analyst sees it in a spreadsheet.
struct Row<'a> {
    id: &'a str,
    event_type: &'a str,
    actor1: Option<&'a str>,
    actor2: Option<&'a str>,
    /// Actors on actor 1's side (ACLED `assoc_actor_1` / `ally_actor_1`, split on ';').
    associated_1: &'a [&'a str],
    /// Actors on actor 2's side.
    associated_2: &'a [&'a str],
    /// `DateSpan::to_iso()`.
    date: &'a str,
    precision: DatePrecision,
    place: Option<&'a str>,
    admin1: Option<&'a str>,
    country: Option<&'a str>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    fatalities: Option<u32>,
}

fn check_row(dataset: &Dataset, row: &Row) {
    let e = event(dataset, row.id);
    let id = row.id;
    assert_eq!(e.event_type, row.event_type, "{id}: event_type");
    let name = |a: &Option<String>| a.as_deref().map(|a| actor_name(dataset, a).to_string());
    assert_eq!(
        name(&e.actor1).as_deref(),
        row.actor1,
        "{id}: actor1 ({:?})",
        e.actor1
    );
    assert_eq!(
        name(&e.actor2).as_deref(),
        row.actor2,
        "{id}: actor2 ({:?})",
        e.actor2
    );
    let names = |list: &[String]| -> Vec<String> {
        list.iter()
            .map(|a| actor_name(dataset, a).to_string())
            .collect()
    };
    assert_eq!(
        names(&e.associated_actors_1),
        row.associated_1,
        "{id}: actors associated with actor 1"
    );
    assert_eq!(
        names(&e.associated_actors_2),
        row.associated_2,
        "{id}: actors associated with actor 2"
    );
    assert_eq!(e.date.to_iso(), row.date, "{id}: date");
    assert_eq!(e.date.precision(), row.precision, "{id}: date precision");
    assert_eq!(e.location.place.as_deref(), row.place, "{id}: place");
    assert_eq!(e.location.admin1.as_deref(), row.admin1, "{id}: admin1");
    assert_eq!(e.location.country.as_deref(), row.country, "{id}: country");
    assert_eq!(e.location.latitude, row.latitude, "{id}: latitude");
    assert_eq!(e.location.longitude, row.longitude, "{id}: longitude");
    assert_eq!(e.fatalities, row.fatalities, "{id}: fatalities");
}

/// No text anywhere in the dataset is a missing-value marker (R's `NA`) or padded.
fn assert_no_na_text(dataset: &Dataset) {
    for a in &dataset.actors {
        assert!(a.id != "NA" && a.name != "NA", "an actor is named NA");
        assert!(!a.name.is_empty(), "an actor has an empty name");
    }
    for e in &dataset.events {
        let l = &e.location;
        let texts = [
            Some(e.event_type.as_str()),
            e.sub_event_type.as_deref(),
            e.actor1.as_deref(),
            e.actor2.as_deref(),
            l.place.as_deref(),
            l.admin1.as_deref(),
            l.admin2.as_deref(),
            l.admin3.as_deref(),
            l.country.as_deref(),
            Some(e.description.as_str()),
        ];
        for t in texts.into_iter().flatten().chain(
            e.associated_actors_1
                .iter()
                .chain(&e.associated_actors_2)
                .chain(e.attributes.values())
                .map(String::as_str),
        ) {
            assert_ne!(t, "NA", "{}: a field holds the text NA", e.id);
            assert_eq!(t, t.trim(), "{}: a field is not trimmed: {t:?}", e.id);
        }
    }
}

/// What every real file must satisfy: all records read, none skipped, no problem reported.
fn assert_complete(name: &str, opened: &Opened, records: usize, format: Format) {
    assert_eq!(opened.format, format, "{name}: detected format");
    assert_eq!(opened.store.len(), records, "{name}: one event per record");
    assert_eq!(opened.skipped, 0, "{name}: nothing skipped");
    assert!(
        opened.problems.is_empty(),
        "{name}: no problems, got {:?}",
        opened.problems.first()
    );
}

// ---------------------------------------------------------------------------------------------
// ACLED

/// A cell as a value: trimmed, with "" and R's "NA" read as missing.
fn cell(text: &str) -> Option<&str> {
    match text.trim() {
        "" | "NA" => None,
        t => Some(t),
    }
}

/// Reads an ACLED file with the `csv` crate, independently of the importer, and compares every
/// row's id, type, actors, place, coordinates and fatalities with the imported event, and the
/// set of all actor names with the dataset's actors.
fn cross_check_acled(path: &Path, dataset: &Dataset) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| header.iter().position(|h| h == n))
    };
    let c_id = col(&["event_id_cnty"]).expect("an event_id_cnty column");
    let c_type = col(&["event_type"]).unwrap();
    let c_a1 = col(&["actor1"]).unwrap();
    let c_a2 = col(&["actor2"]).unwrap();
    let c_as1 = col(&["assoc_actor_1", "ally_actor_1"]).unwrap();
    let c_as2 = col(&["assoc_actor_2", "ally_actor_2"]).unwrap();
    let c_loc = col(&["location"]).unwrap();
    let c_country = col(&["country"]).unwrap();
    let c_lat = col(&["latitude"]).unwrap();
    let c_lon = col(&["longitude"]).unwrap();
    let c_fat = col(&["fatalities"]).unwrap();

    let ids: BTreeSet<&str> = dataset.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), dataset.events.len(), "event ids are unique");
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut rows = 0;
    for record in reader.records() {
        let r = record.unwrap();
        rows += 1;
        // Events are kept in file order. One real row (record 242 of the Middle East file)
        // has no event_id_cnty: it still gets an id of its own.
        let e = &dataset.events[rows - 1];
        let id = match r[c_id].trim() {
            "" => e.id.as_str(),
            id => id,
        };
        assert_eq!(e.id, id, "record {rows}: id");
        assert!(!id.is_empty(), "record {rows}: an empty id");
        assert_eq!(e.event_type, r[c_type].trim(), "{id}: event_type");
        assert_eq!(e.actor1.as_deref(), cell(&r[c_a1]), "{id}: actor1");
        assert_eq!(e.actor2.as_deref(), cell(&r[c_a2]), "{id}: actor2");
        let split = |list: &str| -> Vec<String> {
            list.split(';')
                .filter_map(cell)
                .map(str::to_string)
                .collect()
        };
        let (side_1, side_2) = (split(&r[c_as1]), split(&r[c_as2]));
        assert_eq!(e.associated_actors_1, side_1, "{id}: assoc_actor_1");
        assert_eq!(e.associated_actors_2, side_2, "{id}: assoc_actor_2");
        assert_eq!(e.location.place.as_deref(), cell(&r[c_loc]), "{id}: place");
        assert_eq!(
            e.location.country.as_deref(),
            cell(&r[c_country]),
            "{id}: country"
        );
        let number = |t: &str| cell(t).map(|t| t.parse::<f64>().unwrap());
        assert_eq!(e.location.latitude, number(&r[c_lat]), "{id}: latitude");
        assert_eq!(e.location.longitude, number(&r[c_lon]), "{id}: longitude");
        let fatalities = cell(&r[c_fat]).map(|t| t.parse::<u32>().unwrap());
        assert_eq!(e.fatalities, fatalities, "{id}: fatalities");
        names.extend(
            [cell(&r[c_a1]), cell(&r[c_a2])]
                .into_iter()
                .flatten()
                .map(str::to_string)
                .chain(side_1)
                .chain(side_2),
        );
    }
    assert_eq!(rows, dataset.events.len(), "one event per row");
    let actors: BTreeSet<String> = dataset.actors.iter().map(|a| a.name.clone()).collect();
    assert_eq!(
        actors, names,
        "the dataset's actors are exactly the names in the actor columns"
    );
    for a in &dataset.actors {
        assert_eq!(a.id, a.name, "an imported actor's id is its name");
    }
}

/// (a)–(d) for one ACLED file.
fn check_acled(test: &str, name: &str, first: &str, last: &str, rows: &[Row]) {
    let Some((path, opened, dataset)) = import(test, name) else {
        return;
    };
    let records = csv_record_count(&path);
    assert_complete(name, &opened, records, Format::Acled);
    let (got_first, got_last) = date_bounds(&dataset);
    assert_eq!(
        (got_first.as_str(), got_last.as_str()),
        (first, last),
        "{name}: first and last date"
    );
    for row in rows {
        check_row(&dataset, row);
    }
    assert_no_na_text(&dataset);
    cross_check_acled(&path, &dataset);
}

#[test]
fn acled_mideast_2020_dmy() {
    // 5,071 records. Raw event_date runs 27-Apr-20 … 9-May-20, but 13 rows have
    // time_precision 3 (the whole month), among them MEX17671 (30-Apr-20) and MEX17978
    // (8-May-20): the dataset covers 1 April to 31 May 2020.
    check_acled(
        "acled_mideast_2020_dmy",
        "acled_mideast_2020_dmy.csv",
        "2020-04-01",
        "2020-05-31",
        &[
            Row {
                id: "ISR1786",
                event_type: "Protests",
                actor1: Some("Protesters (Israel)"),
                actor2: None,
                associated_1: &["Health Workers (Israel)"],
                associated_2: &[],
                date: "2020-05-09",
                precision: DatePrecision::Day,
                place: Some("Haifa"),
                admin1: Some("Haifa"),
                country: Some("Israel"),
                latitude: Some(32.8184),
                longitude: Some(34.9885),
                fatalities: Some(0),
            },
            Row {
                id: "YEM52360",
                event_type: "Battles",
                actor1: Some("Military Forces of Yemen (2016-) Supreme Political Council"),
                actor2: Some("Military Forces of Yemen (2012-)"),
                associated_1: &[],
                associated_2: &["Militia (Pro-Government)"],
                date: "2020-05-09",
                precision: DatePrecision::Day,
                place: Some("Al Madid"),
                admin1: Some("Sanaa"),
                country: Some("Yemen"),
                latitude: Some(15.6445),
                longitude: Some(44.4734),
                fatalities: Some(7),
            },
            Row {
                // time_precision 3: "30-Apr-20" means some day of April 2020.
                id: "MEX17671",
                event_type: "Violence against civilians",
                actor1: Some("Unidentified Armed Group (Mexico)"),
                actor2: Some("Civilians (Mexico)"),
                associated_1: &[],
                associated_2: &[],
                date: "2020-04",
                precision: DatePrecision::Month,
                place: Some("Culiacan Rosales"),
                admin1: Some("Sinaloa"),
                country: Some("Mexico"),
                latitude: Some(24.8088),
                longitude: Some(-107.394),
                fatalities: Some(1),
            },
        ],
    );
}

#[test]
fn acled_myanmar_2021_explosions_iso() {
    // 2,734 records, dates written `2021-01-02T00:00:00Z`. The two time_precision 3 rows
    // (March and October) and the 28 precision 2 rows are far from the ends of the year, so
    // the bounds are the raw first and last days.
    check_acled(
        "acled_myanmar_2021_explosions_iso",
        "acled_myanmar_2021_explosions_iso.csv",
        "2021-01-02",
        "2021-12-31",
        &[
            Row {
                id: "MMR10937",
                event_type: "Explosions/Remote violence",
                actor1: Some("Unidentified Armed Group (Myanmar)"),
                actor2: Some("Civilians (Myanmar)"),
                associated_1: &[],
                associated_2: &[], // both assoc_actor columns are NA
                date: "2021-01-02",
                precision: DatePrecision::Day,
                place: Some("Pang Chin"),
                admin1: Some("Shan-North"),
                country: Some("Myanmar"),
                latitude: Some(22.9605),
                longitude: Some(97.5116),
                fatalities: Some(0),
            },
            Row {
                // time_precision 3, actor2 NA.
                id: "MMR24194",
                event_type: "Explosions/Remote violence",
                actor1: Some("Unidentified Armed Group (Myanmar)"),
                actor2: None,
                associated_1: &[],
                associated_2: &[],
                date: "2021-10",
                precision: DatePrecision::Month,
                place: Some("Kani"),
                admin1: Some("Sagaing"),
                country: Some("Myanmar"),
                latitude: Some(22.4329),
                longitude: Some(94.8485),
                fatalities: Some(0),
            },
        ],
    );
}

#[test]
fn acled_burkina_1997_2020_quoted_dmy() {
    // 3,010 records, dates `"03 December 2020"`. The six time_precision 3 rows lie in
    // 2011–2019, so the bounds are the raw first and last days.
    check_acled(
        "acled_burkina_1997_2020_quoted_dmy",
        "acled_burkina_1997-2020_quoted_dmy.csv",
        "1997-02-01",
        "2020-12-03",
        &[
            Row {
                id: "BFO4217",
                event_type: "Protests",
                actor1: Some("Protesters (Burkina Faso)"),
                actor2: None,
                associated_1: &["Students (Burkina Faso)"],
                associated_2: &[],
                date: "2020-12-03",
                precision: DatePrecision::Day,
                place: Some("Ouagadougou"),
                admin1: Some("Centre"),
                country: Some("Burkina Faso"),
                latitude: Some(12.3703),
                longitude: Some(-1.5247),
                fatalities: Some(0),
            },
            Row {
                id: "BFO3862",
                event_type: "Violence against civilians",
                actor1: Some("Military Forces of Burkina Faso (2015-)"),
                actor2: Some("Civilians (Burkina Faso)"),
                associated_1: &["Police Forces of Burkina Faso (2015-) Gendarmerie"],
                associated_2: &["Prisoners (Burkina Faso)"],
                date: "2019-11",
                precision: DatePrecision::Month,
                place: Some("Djibo"),
                admin1: Some("Sahel"),
                country: Some("Burkina Faso"),
                latitude: Some(14.0875),
                longitude: Some(-1.6418),
                fatalities: Some(24),
            },
            Row {
                id: "BFO1",
                event_type: "Protests",
                actor1: Some("Protesters (Burkina Faso)"),
                actor2: Some("Police Forces of Burkina Faso (1987-2014)"),
                associated_1: &["Students (Burkina Faso)"],
                associated_2: &[],
                date: "1997-02-01",
                precision: DatePrecision::Day,
                place: Some("Ouagadougou"),
                admin1: Some("Centre"),
                country: Some("Burkina Faso"),
                latitude: Some(12.3703),
                longitude: Some(-1.5247),
                fatalities: Some(0),
            },
        ],
    );
}

#[test]
fn acled_afghanistan_2020_quoted_dmy() {
    // 496 records dated 1–21 March 2020; 51 have time_precision 2 (the week around the coded
    // day, ±3 days), among them rows on 1 March (AFG44290…) and 21 March (AFG44715): the
    // dataset covers 27 February to 24 March 2020.
    check_acled(
        "acled_afghanistan_2020_quoted_dmy",
        "acled_afghanistan_2020_quoted_dmy.csv",
        "2020-02-27",
        "2020-03-24",
        &[
            Row {
                id: "AFG44631",
                event_type: "Battles",
                actor1: Some("Taliban"),
                actor2: Some("Military Forces of Afghanistan (2014-)"),
                associated_1: &[],
                associated_2: &[],
                date: "2020-03-21",
                precision: DatePrecision::Day,
                place: Some("Dawlat Abad"),
                admin1: Some("Balkh"),
                country: Some("Afghanistan"),
                latitude: Some(36.9882),
                longitude: Some(66.8207),
                fatalities: Some(12),
            },
            Row {
                // assoc_actor_2 is "Muslim Group (Afghanistan); Teachers (Afghanistan)".
                id: "AFG44667",
                event_type: "Violence against civilians",
                actor1: Some("Unidentified Armed Group (Afghanistan)"),
                actor2: Some("Civilians (Afghanistan)"),
                associated_1: &[],
                associated_2: &["Muslim Group (Afghanistan)", "Teachers (Afghanistan)"],
                date: "2020-03-21",
                precision: DatePrecision::Day,
                place: Some("Kabul"),
                admin1: Some("Kabul"),
                country: Some("Afghanistan"),
                latitude: Some(34.5167),
                longitude: Some(69.1833),
                fatalities: Some(1),
            },
            Row {
                // time_precision 2 on "21 March 2020".
                id: "AFG44715",
                event_type: "Battles",
                actor1: Some("Taliban"),
                actor2: Some("Military Forces of Afghanistan (2014-)"),
                associated_1: &[],
                associated_2: &[],
                date: "2020-03-18/2020-03-24",
                precision: DatePrecision::Range,
                place: Some("Nahri Shahi"),
                admin1: Some("Balkh"),
                country: Some("Afghanistan"),
                latitude: Some(36.8544),
                longitude: Some(67.18),
                fatalities: Some(0),
            },
        ],
    );
}

#[test]
fn acled_africa_2016_api_pandas() {
    // 500 records; columns sorted A–Z after a leading unnamed pandas index column; allies in
    // ally_actor_1/2. Raw dates run 2016-06-17 … 2016-07-02; 27 rows have time_precision 2,
    // among them 7583RTA (2016-06-19, so from 06-16) and 8016RTA (2016-07-02, so to 07-05).
    check_acled(
        "acled_africa_2016_api_pandas",
        "acled_africa_2016_api_pandas.csv",
        "2016-06-16",
        "2016-07-05",
        &[
            Row {
                // index 0; no actor2, no ally.
                id: "8188RTA",
                event_type: "Riots/Protests",
                actor1: Some("Protesters (Zambia)"),
                actor2: None,
                associated_1: &[],
                associated_2: &[],
                date: "2016-07-02",
                precision: DatePrecision::Day,
                place: Some("Lusaka"),
                admin1: Some("Lusaka"),
                country: Some("Zambia"),
                latitude: Some(-15.4166),
                longitude: Some(28.2833),
                fatalities: Some(0),
            },
            Row {
                // ally_actor_1, time_precision 2.
                id: "8016RTA",
                event_type: "Remote violence",
                actor1: Some("Military Forces of Libya (2016-) Presidential Guard"),
                actor2: Some("Islamic State (Tripoli)"),
                associated_1: &["Misratah Communal Militia (Libya)"],
                associated_2: &[],
                date: "2016-06-29/2016-07-05",
                precision: DatePrecision::Range,
                place: Some("Sirte"),
                admin1: Some("Surt"),
                country: Some("Libya"),
                latitude: Some(31.2089),
                longitude: Some(16.5887),
                fatalities: Some(0),
            },
            Row {
                // The quoted notes span lines 284–286 of the file.
                id: "7698RTA",
                event_type: "Violence against civilians",
                actor1: Some("Unidentified Armed Group (Libya)"),
                actor2: Some("Civilians (Libya)"),
                associated_1: &[],
                associated_2: &[],
                date: "2016-06-23",
                precision: DatePrecision::Day,
                place: Some("Abu Salim"),
                admin1: Some("Tajura wa an Nawahi al Arba"),
                country: Some("Libya"),
                latitude: Some(32.85),
                longitude: Some(13.1667),
                fatalities: Some(1),
            },
        ],
    );
}

#[test]
fn acled_africa_pandas_index_column_and_multi_line_notes() {
    let test = "acled_africa_pandas_index_column_and_multi_line_notes";
    let Some((_, _, dataset)) = import(test, "acled_africa_2016_api_pandas.csv") else {
        return;
    };
    let d = &dataset;
    // The unnamed index column is neither an id nor an attribute.
    for e in &d.events {
        assert!(
            e.id.ends_with("RTA"),
            "ids come from event_id_cnty: {}",
            e.id
        );
        assert!(
            !e.attributes.contains_key(""),
            "{}: the index column is not kept",
            e.id
        );
    }
    // 7698RTA's notes hold two trailing newlines inside the quotes (lines 284–286); the
    // description is the text, and the next record (line 287) is read as its own event.
    let e = event(d, "7698RTA");
    assert!(
        e.description
            .starts_with("A boy was killed in when his car was shot at in Abu Sleem."),
        "{:?}",
        e.description
    );
    assert!(
        e.description
            .ends_with("when they were attacked by Ghneiwa\u{92}s forces, intent on freeing him."),
        "{:?}",
        e.description
    );
    // 8013RTA: notes end with one newline inside the quotes.
    assert!(event(d, "8013RTA")
        .description
        .ends_with("coastal bastion of Sirte on 1 June."));
    // The record after the multi-line one (index 282, line 287 of the file).
    let next = event(d, "7697RTA");
    assert_eq!(next.date.to_iso(), "2016-06-23");
    assert_eq!(next.location.country.as_deref(), Some("Libya"));
}

#[test]
fn acled_benin_2022_modern_r_na() {
    // 811 records from 21 July 2009 to 28 December 2022. The six time_precision 3 rows lie in
    // 2016 and 2022 but not in July 2009 or December 2022, so the bounds are the raw days.
    check_acled(
        "acled_benin_2022_modern_r_na",
        "acled_benin_2022_modern_R_na.csv",
        "2009-07-21",
        "2022-12-28",
        &[
            Row {
                // actor2, assoc_actor_2 and admin3 are NA.
                id: "BEN892",
                event_type: "Strategic developments",
                actor1: Some("Civilians (Benin)"),
                actor2: None,
                associated_1: &["Refugees/IDPs (Benin)"],
                associated_2: &[],
                date: "2022-12-28",
                precision: DatePrecision::Day,
                place: Some("Mamassi-Gourma"),
                admin1: Some("Alibori"),
                country: Some("Benin"),
                latitude: Some(12.0455),
                longitude: Some(3.1338),
                fatalities: Some(0),
            },
            Row {
                id: "BEN876",
                event_type: "Violence against civilians",
                actor1: Some("Unidentified Armed Group (Benin)"),
                actor2: Some("Civilians (Benin)"),
                associated_1: &[],
                associated_2: &[],
                date: "2022-12-27",
                precision: DatePrecision::Day,
                place: Some("Noma Tounga"),
                admin1: Some("Alibori"),
                country: Some("Benin"),
                latitude: Some(11.9065),
                longitude: Some(3.2752),
                fatalities: Some(0),
            },
            Row {
                // time_precision 3 and three associated actors over both columns.
                id: "BEN817",
                event_type: "Strategic developments",
                actor1: Some("JNIM: Group for Support of Islam and Muslims"),
                actor2: Some("Civilians (Benin)"),
                associated_1: &["Islamic State (West Africa)"],
                associated_2: &["Fulani Ethnic Group (Benin)", "Pastoralists (Benin)"],
                date: "2022-08",
                precision: DatePrecision::Month,
                place: Some("Kandi"),
                admin1: Some("Alibori"),
                country: Some("Benin"),
                latitude: Some(11.1342),
                longitude: Some(2.9386),
                fatalities: Some(0),
            },
        ],
    );
}

#[test]
fn acled_benin_na_values_are_absent_not_text() {
    let test = "acled_benin_na_values_are_absent_not_text";
    let Some((_, _, dataset)) = import(test, "acled_benin_2022_modern_R_na.csv") else {
        return;
    };
    let d = &dataset;
    let e = event(d, "BEN892");
    assert_eq!(e.actor2, None);
    assert_eq!(e.location.admin3, None);
    assert_eq!(e.location.admin2.as_deref(), Some("Karimama"));
    // civilian_targeting and tags are NA in this row: not kept as attributes.
    assert!(!e.attributes.contains_key("civilian_targeting"), "{e:?}");
    assert!(!e.attributes.contains_key("tags"), "{e:?}");
    assert_eq!(
        e.attributes.get("disorder_type").map(String::as_str),
        Some("Strategic developments")
    );
    // BEN876 has civilian_targeting set.
    let e = event(d, "BEN876");
    assert_eq!(
        e.attributes.get("civilian_targeting").map(String::as_str),
        Some("Civilian targeting")
    );
}

#[test]
fn acled_palestine_2024_modern_sample() {
    check_acled(
        "acled_palestine_2024_modern_sample",
        "acled_palestine_2024_modern_sample.csv",
        "2024-11-01",
        "2024-11-01",
        &[
            Row {
                id: "PSE62716",
                event_type: "Strategic developments",
                actor1: Some("Settlers (Israel)"),
                actor2: Some("Civilians (Palestine)"),
                associated_1: &[],
                associated_2: &[],
                date: "2024-11-01",
                precision: DatePrecision::Day,
                place: Some("Shi'b Al Batim"),
                admin1: Some("West Bank"),
                country: Some("Palestine"),
                latitude: Some(31.3942),
                longitude: Some(35.1365),
                fatalities: Some(0),
            },
            Row {
                id: "YEM93235",
                event_type: "Protests",
                actor1: Some("Protesters (Yemen)"),
                actor2: None,
                associated_1: &["Government of Yemen (2017-) Houthi"],
                associated_2: &[],
                date: "2024-11-01",
                precision: DatePrecision::Day,
                place: Some("Dawran ad Daydah"),
                admin1: Some("Dhamar"),
                country: Some("Yemen"),
                latitude: Some(14.7393),
                longitude: Some(44.2066),
                fatalities: Some(0),
            },
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// UCDP GED GeoJSON

#[test]
fn ucdp_ged231_car_geojson() {
    let test = "ucdp_ged231_car_geojson";
    let name = "ucdp_ged231_car.geojson";
    let Some((path, opened, dataset)) = import(test, name) else {
        return;
    };
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let features = json["features"].as_array().expect("features is an array");
    assert_complete(name, &opened, features.len(), Format::Ucdp);
    let d = &dataset;
    // date_start runs from 1991-08-08; date_end to 2022-12-31.
    assert_eq!(
        date_bounds(d),
        ("1991-08-08".to_string(), "2022-12-31".to_string())
    );

    // Whole-file cross-check against the JSON, read here with serde_json.
    let by_id: HashMap<&str, &Event> = d.events.iter().map(|e| (e.id.as_str(), e)).collect();
    for f in features {
        let p = &f["properties"];
        let id = p["id"].as_u64().unwrap().to_string();
        let e = by_id[id.as_str()];
        let day = |k: &str| p[k].as_str().unwrap()[..10].to_string();
        assert_eq!(e.date.start().to_string(), day("date_start"), "{id}: start");
        assert_eq!(e.date.end().to_string(), day("date_end"), "{id}: end");
        let kind = match p["type_of_violence"].as_u64().unwrap() {
            1 => "State-based conflict",
            2 => "Non-state conflict",
            3 => "One-sided violence",
            other => panic!("type_of_violence {other}"),
        };
        assert_eq!(e.event_type, kind, "{id}: event type");
        assert_eq!(e.actor1.as_deref(), p["side_a"].as_str(), "{id}: side_a");
        assert_eq!(e.actor2.as_deref(), p["side_b"].as_str(), "{id}: side_b");
        let n = |k: &str| p[k].as_u64().map(|v| v as u32);
        assert_eq!(e.fatalities, n("best"), "{id}: best");
        assert_eq!(e.fatalities_low, n("low"), "{id}: low");
        assert_eq!(e.fatalities_high, n("high"), "{id}: high");
        let xy = f["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(e.location.longitude, xy[0].as_f64(), "{id}: longitude");
        assert_eq!(e.location.latitude, xy[1].as_f64(), "{id}: latitude");
    }

    let rows = [
        Row {
            // date_prec 1, a single day.
            id: "36210",
            event_type: "State-based conflict",
            actor1: Some("Government of Uganda"),
            actor2: Some("LRA"),
            associated_1: &[],
            associated_2: &[],
            date: "2009-02-20",
            precision: DatePrecision::Day,
            place: Some("Southeast Central African Republic"),
            admin1: None, // adm_1 is ""
            country: Some("Central African Republic"),
            latitude: Some(5.399784),
            longitude: Some(26.486881),
            fatalities: Some(3),
        },
        Row {
            // date_prec 5: 7 August to 10 September 2009.
            id: "36211",
            event_type: "State-based conflict",
            actor1: Some("Government of Uganda"),
            actor2: Some("LRA"),
            associated_1: &[],
            associated_2: &[],
            date: "2009-08-07/2009-09-10",
            precision: DatePrecision::Range,
            place: Some("Southeast Central African Republic"),
            admin1: None,
            country: Some("Central African Republic"),
            latitude: Some(5.399784),
            longitude: Some(26.486881),
            fatalities: Some(4),
        },
        Row {
            // date_prec 5, 29 May – 31 December 2001; low 0, best 0, high 31.
            id: "22953",
            event_type: "One-sided violence",
            actor1: Some("Government of Central African Republic"),
            actor2: Some("Civilians"),
            associated_1: &[],
            associated_2: &[],
            date: "2001-05-29/2001-12-31",
            precision: DatePrecision::Range,
            place: Some("Bangui city"),
            admin1: Some("Bangui province"),
            country: Some("Central African Republic"),
            latitude: Some(4.366667),
            longitude: Some(18.583333),
            fatalities: Some(0),
        },
        Row {
            // date_prec 5 covering exactly the year 2000.
            id: "22775",
            event_type: "One-sided violence",
            actor1: Some("Government of Central African Republic"),
            actor2: Some("Civilians"),
            associated_1: &[],
            associated_2: &[],
            date: "2000",
            precision: DatePrecision::Year,
            place: Some("Central African Republic"),
            admin1: None,
            country: Some("Central African Republic"),
            latitude: Some(7.0),
            longitude: Some(21.0),
            fatalities: Some(6),
        },
        Row {
            // date_prec 2, 15–17 March 2003; low 8, best 13, high 50.
            id: "22937",
            event_type: "State-based conflict",
            actor1: Some("Government of Central African Republic"),
            actor2: Some("Forces of Francois Bozize"),
            associated_1: &[],
            associated_2: &[],
            date: "2003-03-15/2003-03-17",
            precision: DatePrecision::Range,
            place: Some("Bangui city"),
            admin1: Some("Bangui province"),
            country: Some("Central African Republic"),
            latitude: Some(4.366667),
            longitude: Some(18.583333),
            fatalities: Some(13),
        },
    ];
    for row in &rows {
        check_row(d, row);
    }
    let low_high = |id: &str| {
        let e = event(d, id);
        (e.fatalities_low, e.fatalities, e.fatalities_high)
    };
    assert_eq!(low_high("36211"), (Some(4), Some(4), Some(4)));
    assert_eq!(low_high("22953"), (Some(0), Some(0), Some(31)));
    assert_eq!(low_high("22937"), (Some(8), Some(13), Some(50)));
    let e = event(d, "33542");
    assert_eq!(e.location.admin1.as_deref(), Some("Haut-Mbomou province"));
    assert_eq!(e.location.admin2.as_deref(), Some("Obo region"));
    assert_eq!(e.location.place.as_deref(), Some("Obo town"));
    assert_no_na_text(d);
}

// ---------------------------------------------------------------------------------------------
// GDELT 1.0

/// CAMEO root codes and their names (CAMEO manual, chapter 2).
fn cameo_root(code: &str) -> &'static str {
    match code {
        "01" => "Make public statement",
        "02" => "Appeal",
        "03" => "Express intent to cooperate",
        "04" => "Consult",
        "05" => "Engage in diplomatic cooperation",
        "06" => "Engage in material cooperation",
        "07" => "Provide aid",
        "08" => "Yield",
        "09" => "Investigate",
        "10" => "Demand",
        "11" => "Disapprove",
        "12" => "Reject",
        "13" => "Threaten",
        "14" => "Protest",
        "15" => "Exhibit force posture",
        "16" => "Reduce relations",
        "17" => "Coerce",
        "18" => "Assault",
        "19" => "Fight",
        "20" => "Use unconventional mass violence",
        other => panic!("not a CAMEO root: {other}"),
    }
}

#[test]
fn gdelt1_events_20160728_sample() {
    let test = "gdelt1_events_20160728_sample";
    let name = "gdelt1_events_20160728_sample.tsv";
    let Some((path, opened, dataset)) = import(test, name) else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_complete(name, &opened, lines.len(), Format::Gdelt);
    let d = &dataset;
    // SQLDATE runs from 19820102 (the 57-column backfile lines) to 20160728.
    assert_eq!(
        date_bounds(d),
        ("1982-01-02".to_string(), "2016-07-28".to_string())
    );

    // The column positions, from the published column-name file when it is here.
    let names = common::shared_data(test, "gdelt1_events_column_names.csv")
        .map(|p| std::fs::read_to_string(p).unwrap());
    let position = |name: &str, fallback: usize| {
        names
            .as_deref()
            .and_then(|n| n.trim_end().split('\t').position(|c| c == name))
            .unwrap_or(fallback)
    };
    let c_root = position("eventrootcode", 28);
    let c_a1 = position("actor1name", 6);
    let c_a2 = position("actor2name", 16);
    let c_geo = position("actiongeo_fullname", 50);
    let by_id: HashMap<&str, &Event> = d.events.iter().map(|e| (e.id.as_str(), e)).collect();
    for line in &lines {
        let c: Vec<&str> = line.split('\t').collect();
        let e = by_id[c[0]];
        assert_eq!(e.event_type, cameo_root(c[c_root]), "{}: event type", c[0]);
        assert_eq!(e.date.precision(), DatePrecision::Day, "{}", c[0]);
        assert_eq!(
            e.date.start().format("%Y%m%d").to_string(),
            c[1],
            "{}",
            c[0]
        );
        let named = |t: &str| (!t.is_empty()).then(|| t.to_string());
        assert_eq!(
            e.actor1.as_deref().map(|a| actor_name(d, a).to_string()),
            named(c[c_a1]),
            "{}: actor1",
            c[0]
        );
        assert_eq!(
            e.actor2.as_deref().map(|a| actor_name(d, a).to_string()),
            named(c[c_a2]),
            "{}: actor2",
            c[0]
        );
        assert_eq!(e.location.place, named(c[c_geo]), "{}: place", c[0]);
    }

    let rows = [
        Row {
            // Line 78: root 19, Israel and Palestinians in Hebron.
            id: "564137628",
            event_type: "Fight",
            actor1: Some("ISRAEL"),
            actor2: Some("PALESTINIAN"),
            associated_1: &[],
            associated_2: &[],
            date: "2016-07-28",
            precision: DatePrecision::Day,
            place: Some("Hebron, Israel (general), Israel"),
            admin1: Some("IS00"),
            country: Some("IS"),
            latitude: Some(31.5333),
            longitude: Some(35.1),
            fatalities: None,
        },
        Row {
            // Line 189: no actor 1; the action is in Englewood, not in Chicago (actor 2's
            // place).
            id: "564159766",
            event_type: "Fight",
            actor1: None,
            actor2: Some("POLICE OFFICER"),
            associated_1: &[],
            associated_2: &[],
            date: "2016-07-28",
            precision: DatePrecision::Day,
            place: Some("Englewood, Illinois, United States"),
            admin1: Some("USIL"),
            country: Some("US"),
            latitude: Some(41.7798),
            longitude: Some(-87.6459),
            fatalities: None,
        },
        Row {
            // Line 587: a 57-column backfile line (no SOURCEURL), root 20.
            id: "1553599",
            event_type: "Use unconventional mass violence",
            actor1: Some("EL SALVADOR"),
            actor2: Some("EL SALVADOR"),
            associated_1: &[],
            associated_2: &[],
            date: "1982-01-02",
            precision: DatePrecision::Day,
            place: Some("Mozote, Departamento de Morazan, El Salvador"),
            admin1: Some("ES08"),
            country: Some("ES"),
            latitude: Some(13.9),
            longitude: Some(-88.1167),
            fatalities: None,
        },
    ];
    for row in &rows {
        check_row(d, row);
    }
    assert_eq!(
        event(d, "564137628")
            .attributes
            .get("source_url")
            .map(String::as_str),
        Some("http://voiceofvienna.org/?p=52833")
    );
    assert_eq!(
        event(d, "1553599").attributes.get("source_url"),
        None,
        "57-column lines have no SOURCEURL"
    );
}

// ---------------------------------------------------------------------------------------------
// The CLI on a real file, and the directory as a whole

#[test]
fn summary_of_the_mideast_file_is_readable_and_its_json_has_the_counts() {
    let test = "summary_of_the_mideast_file";
    let Some(path) = common::shared_data(test, "acled_mideast_2020_dmy.csv") else {
        return;
    };
    let file = path.to_str().unwrap();
    let (code, out, err) = common::run(&["summary", file]);
    assert_eq!(code, 0, "stderr: {err}");
    assert!(err.is_empty(), "a clean import warns about nothing: {err}");
    let has_line = |parts: &[&str]| out.lines().any(|l| parts.iter().all(|p| l.contains(p)));
    assert!(has_line(&["acled"]), "names the format:\n{out}");
    assert!(has_line(&["events", "5,071"]), "counts events:\n{out}");
    assert!(
        has_line(&["2020-04-01", "2020-05-31"]),
        "gives the date range:\n{out}"
    );
    // Event types with their counts (counted with Python's csv module).
    for (count, kind) in [
        ("1,671", "Protests"),
        ("1,160", "Battles"),
        ("809", "Explosions/Remote violence"),
        ("337", "Strategic developments"),
    ] {
        assert!(has_line(&[count, kind]), "{kind}: {count}\n{out}");
    }
    // The most active actor (462 rows name it as actor1, actor2 or associated actor).
    assert!(
        has_line(&["462", "Military Forces of Ukraine (2019-)"]),
        "{out}"
    );

    let (code, out, err) = common::run(&["summary", file, "--json"]);
    assert_eq!(code, 0, "stderr: {err}");
    let s: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(s["format"], "acled");
    assert_eq!(s["events"], 5071);
    assert_eq!(s["skipped"], 0);
    assert_eq!(s["records"], 5071);
    assert_eq!(s["actors"], 1510, "distinct names in the actor columns");
    assert_eq!(s["first_date"], "2020-04-01");
    assert_eq!(s["last_date"], "2020-05-31");
}

#[test]
fn the_gdelt_column_name_file_is_refused_with_a_located_message() {
    // It is the 58 column names on one line: a header, not events.
    let test = "the_gdelt_column_name_file_is_refused";
    let Some(path) = common::shared_data(test, "gdelt1_events_column_names.csv") else {
        return;
    };
    let err = open(&path, &OpenOptions::default()).expect_err("not a dataset");
    assert!(err.is_bad_input());
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(err.problems()[0].place.line, Some(1), "{err}");
    let (code, _, stderr) = common::run(&["summary", path.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.starts_with("error:"), "{stderr}");
    assert!(
        stderr.contains("gdelt1_events_column_names.csv:1"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn every_file_of_the_shared_data_directory_is_covered_here() {
    let Some(dir) = common::shared_dir("every_file_of_the_shared_data_directory") else {
        return;
    };
    let covered = [
        "README.md",
        "acled_afghanistan_2020_quoted_dmy.csv",
        "acled_africa_2016_api_pandas.csv",
        "acled_benin_2022_modern_R_na.csv",
        "acled_burkina_1997-2020_quoted_dmy.csv",
        "acled_mideast_2020_dmy.csv",
        "acled_myanmar_2021_explosions_iso.csv",
        "acled_palestine_2024_modern_sample.csv",
        "gdelt1_events_20160728_sample.tsv",
        "gdelt1_events_column_names.csv",
        "ucdp_ged231_car.geojson",
    ];
    let mut on_disk: Vec<String> = std::fs::read_dir(dir.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk, covered,
        "a new shared data file needs a test in this file"
    );
}
