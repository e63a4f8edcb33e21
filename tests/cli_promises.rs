mod common;

// What the README promises of the command line, checked through the real binary: the
// timeline CSV's groups, the filters, every bucket width, exports and conversions of
// imported files, `--format`, `--strict`, the "imported N of M" line, and detection that
// never looks at the file name.
//
// Every expected number comes from `assets/seed.json` read here with serde_json (a plain
// reference computation below), or from the CSV text these tests write, read by hand.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Months, NaiveDate};
use common::{fixture, repo_root, run};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// The reference: the seed's events, read with serde_json

/// One event of `assets/seed.json`, as the reference needs it.
#[derive(Debug, Clone)]
struct SeedEvent {
    id: String,
    start: NaiveDate,
    end: NaiveDate,
    event_type: String,
    country: Option<String>,
    /// Actor 1's name.
    actor1: Option<String>,
    fatalities: u64,
    /// What free text is looked for in: the description, the place and the names of the
    /// event's actors (1, 2 and associated).
    text: Vec<String>,
}

/// The first and last day of a native date: a day, a month, a year, or a range of those.
fn span(text: &str) -> (NaiveDate, NaiveDate) {
    if let Some((a, b)) = text.split_once('/') {
        return (span(a).0, span(b).1);
    }
    let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let year: i32 = text[..4].parse().unwrap();
    match text.len() {
        4 => (ymd(year, 1, 1), ymd(year, 12, 31)),
        7 => {
            let first = ymd(year, text[5..7].parse().unwrap(), 1);
            (first, first + Months::new(1) - chrono::Days::new(1))
        }
        10 => {
            let day: NaiveDate = text.parse().unwrap();
            (day, day)
        }
        _ => panic!("not a native date: {text:?}"),
    }
}

fn seed_json() -> Value {
    let text = std::fs::read_to_string(repo_root().join("assets/seed.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn seed_events() -> Vec<SeedEvent> {
    let seed = seed_json();
    let names: HashMap<&str, &str> = seed["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["name"].as_str().unwrap()))
        .collect();
    let name = |id: &Value| names[id.as_str().unwrap()].to_string();
    let events: Vec<SeedEvent> = seed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let (start, end) = span(e["date"].as_str().unwrap());
            let mut text = vec![e["description"].as_str().unwrap_or("").to_string()];
            if let Some(place) = e["location"]["place"].as_str() {
                text.push(place.to_string());
            }
            for key in ["actor1", "actor2"] {
                if !e[key].is_null() {
                    text.push(name(&e[key]));
                }
            }
            for key in ["associated_actors_1", "associated_actors_2"] {
                for a in e[key].as_array().into_iter().flatten() {
                    text.push(name(a));
                }
            }
            SeedEvent {
                id: e["id"].as_str().unwrap().to_string(),
                start,
                end,
                event_type: e["event_type"].as_str().unwrap().to_string(),
                country: e["location"]["country"].as_str().map(str::to_string),
                actor1: (!e["actor1"].is_null()).then(|| name(&e["actor1"])),
                fatalities: e["fatalities"].as_u64().unwrap_or(0),
                text,
            }
        })
        .collect();
    // The README's count: the reference reads what the binary embeds.
    assert_eq!(events.len(), 6);
    events
}

/// The timeline's bucket widths, and the rule: an event is in the bucket that holds its
/// whole date span, and in none when its span is longer than one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

const BUCKETS: [Bucket; 5] = [
    Bucket::Day,
    Bucket::Week,
    Bucket::Month,
    Bucket::Quarter,
    Bucket::Year,
];

impl Bucket {
    fn arg(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
            Bucket::Quarter => "quarter",
            Bucket::Year => "year",
        }
    }

    /// The first day of the bucket holding `d`.
    fn start(self, d: NaiveDate) -> NaiveDate {
        let ymd = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        match self {
            Bucket::Day => d,
            Bucket::Week => d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday())),
            Bucket::Month => ymd(d.year(), d.month()),
            Bucket::Quarter => ymd(d.year(), (d.month() - 1) / 3 * 3 + 1),
            Bucket::Year => ymd(d.year(), 1),
        }
    }

    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => start + chrono::Days::new(1),
            Bucket::Week => start + chrono::Days::new(7),
            Bucket::Month => start + Months::new(1),
            Bucket::Quarter => start + Months::new(3),
            Bucket::Year => start + Months::new(12),
        }
    }

    /// The bucket's key: "2024-10-04", "2024-W40", "2024-10", "2024-Q4", "2024".
    fn key(self, start: NaiveDate) -> String {
        match self {
            Bucket::Day => start.format("%Y-%m-%d").to_string(),
            Bucket::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Bucket::Month => start.format("%Y-%m").to_string(),
            Bucket::Quarter => format!("{}-Q{}", start.year(), (start.month() - 1) / 3 + 1),
            Bucket::Year => start.year().to_string(),
        }
    }

    /// The key of the bucket a span is counted in, if it fits in one.
    fn place(self, start: NaiveDate, end: NaiveDate) -> Option<String> {
        (self.start(start) == self.start(end)).then(|| self.key(self.start(start)))
    }

    /// Every bucket key from 2020 to 2029, in order.
    fn all_keys(self) -> Vec<String> {
        let mut keys = Vec::new();
        let mut s = self.start(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        while s.year() < 2030 {
            keys.push(self.key(s));
            s = self.next(s);
        }
        keys
    }
}

// ---------------------------------------------------------------------------------------------
// Running exports and reading their CSV

/// A CSV file: its header and rows.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let mut reader = csv::Reader::from_path(path).unwrap();
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        Table { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {:?}", self.header))
    }

    fn column(&self, name: &str) -> Vec<&str> {
        let c = self.col(name);
        self.rows.iter().map(|r| r[c].as_str()).collect()
    }

    /// A numeric column by the bucket key of each row (the first column).
    fn by_bucket(&self, name: &str) -> BTreeMap<String, u64> {
        let c = self.col(name);
        self.rows
            .iter()
            .map(|r| (r[0].clone(), r[c].parse::<u64>().unwrap()))
            .collect()
    }

    fn total(&self, name: &str) -> u64 {
        self.by_bucket(name).values().sum()
    }

    /// The names of the per-group columns ("events: NAME" → NAME).
    fn groups(&self) -> BTreeSet<String> {
        self.header
            .iter()
            .filter_map(|h| h.strip_prefix("events: "))
            .map(String::from)
            .collect()
    }
}

/// `faultline export [FILE] --chart CHART --out DIR/NAME ARGS…`: exit 0, the file's path.
fn export(dir: &Path, file: Option<&Path>, chart: &str, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut all = vec!["export".to_string()];
    all.extend(file.map(|f| f.to_str().unwrap().to_string()));
    for a in ["--chart", chart, "--out", out.to_str().unwrap()] {
        all.push(a.to_string());
    }
    all.extend(args.iter().map(|a| a.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let (code, _, err) = run(&all);
    assert_eq!(code, 0, "{all:?}: {err}");
    assert!(out.is_file(), "{all:?} wrote {}", out.display());
    out
}

fn timeline(file: Option<&Path>, args: &[&str]) -> Table {
    let dir = tempfile::tempdir().unwrap();
    Table::read(&export(dir.path(), file, "timeline", "t.csv", args))
}

/// The ids of the events `--chart events` exports with these flags.
fn exported_ids(file: Option<&Path>, args: &[&str]) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let table = Table::read(&export(dir.path(), file, "events", "e.csv", args));
    table.column("id").into_iter().map(String::from).collect()
}

fn summary_json(file: &Path) -> Value {
    let (code, out, err) = run(&["summary", file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{}: {err}", file.display());
    serde_json::from_str(&out).unwrap()
}

/// The dataset a file holds, read by the library as the binary reads it.
fn dataset(path: &Path) -> faultline_core::model::Dataset {
    faultline_core::io::open(path, &faultline_core::io::OpenOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .store
        .to_dataset()
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The text with every run of whitespace made one space.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Small import files, read by hand

/// An ACLED export: four events over two countries, with associated actors, the three time
/// precisions and columns kept as attributes (`inter1`, `inter2`, `interaction`, `source`,
/// `time_precision`). Lines: header 1, SYR1 2, SYR2 3, IRQ1 4, IRQ2 5.
const ACLED: &str = "\
event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,country,admin1,location,latitude,longitude,source,notes,fatalities
SYR1,12 March 2024,2024,1,Battles,Armed clash,Group A (Syria),Ally X (Syria); Ally Y (Syria),2,Group B (Syria),,3,23,Syria,Idlib,Saraqib,35.8623,36.8064,Local Monitor,\"Clash near Saraqib, both sides shelling.\",3
SYR2,2024-03-20,2024,2,Explosions/Remote violence,Air/drone strike,Air Force of Z,,8,Civilians (Syria),Aid Workers (Syria),7,87,Syria,Aleppo,Aleppo,36.2021,37.1343,Wire,Strike on a market.,5
IRQ1,2024-04-05,2024,3,Protests,Peaceful protest,Protesters (Iraq),,6,,,,60,Iraq,Baghdad,Baghdad,33.3406,44.4009,Wire,Protest in the capital.,0
IRQ2,2024-04-28,2024,1,Battles,Armed clash,Group A (Syria),,2,Military Forces of Iraq,,1,12,Iraq,Nineveh,Sinjar,36.3209,41.8754,Local Monitor,Clash at Sinjar.,1
";

/// The ACLED file with a fifth row (line 4) whose fatalities are not a number.
fn acled_with_bad_row() -> String {
    let mut lines: Vec<&str> = ACLED.lines().collect();
    lines.insert(
        3,
        "SYR3,2024-03-22,2024,1,Battles,Armed clash,Group A (Syria),,2,Group B (Syria),,3,23,Syria,Idlib,Saraqib,35.8623,36.8064,Wire,Bad row.,many",
    );
    lines.join("\n") + "\n"
}

/// A UCDP GED CSV: a day, a whole month, a whole year and a range; best, low and high all
/// different where they can be; kept attributes (`conflict_name`, `dyad_name`, `deaths_a`,
/// `deaths_b`, `date_prec`).
const UCDP: &str = "\
id,year,type_of_violence,conflict_name,dyad_name,side_a,side_b,date_prec,date_start,date_end,best,high,low,where_coordinates,adm_1,country,latitude,longitude,deaths_a,deaths_b
101,2013,1,CAR: Government,Government of CAR - Seleka,Government of Central African Republic,Seleka,1,2013-03-15,2013-03-15,3,5,2,Bangui city,Bangui province,Central African Republic,4.366667,18.583333,1,2
102,2013,2,Seleka - Anti-balaka,Seleka - Anti-balaka,Seleka,Anti-balaka,4,2013-06-01,2013-06-30,10,14,8,Bossangoa town,Ouham prefecture,Central African Republic,6.4926,17.4552,6,4
103,2013,3,Seleka - Civilians,Seleka - Civilians,Seleka,Civilians,5,2013-01-01,2013-12-31,7,7,7,Central African Republic,,Central African Republic,,,7,0
104,2013,1,CAR: Government,Government of CAR - Seleka,Government of Central African Republic,Seleka,2,2013-03-15,2013-03-17,0,4,0,Bangui city,Bangui province,Central African Republic,4.366667,18.583333,0,0
";

/// A GDELT 2.0 line (61 tab-separated columns) with the given cells set.
fn gdelt_line(cells: &[(usize, &str)]) -> String {
    let mut line = vec![""; 61];
    for &(i, v) in cells {
        line[i] = v;
    }
    line.join("\t")
}

/// Two GDELT 2.0 events: a fight (root code 19) in Gaza and a protest (14) in Washington.
fn gdelt() -> String {
    let fight = gdelt_line(&[
        (0, "900000001"),
        (1, "20240115"),
        (2, "202401"),
        (3, "2024"),
        (4, "2024.0384"),
        (5, "ISR"),
        (6, "ISRAEL"),
        (7, "ISR"),
        (15, "PSE"),
        (16, "PALESTINIAN"),
        (17, "PSE"),
        (25, "1"),
        (26, "190"),
        (27, "190"),
        (28, "19"),
        (29, "4"),
        (30, "-10.0"),
        (31, "12"),
        (32, "3"),
        (33, "10"),
        (34, "-4.25"),
        (51, "4"),
        (52, "Gaza City, Gaza, Palestine"),
        (53, "GZ"),
        (54, "GZ00"),
        (56, "31.5"),
        (57, "34.4667"),
        (59, "20240115120000"),
        (60, "https://example.org/news/fight"),
    ]);
    let protest = gdelt_line(&[
        (0, "900000002"),
        (1, "20240116"),
        (2, "202401"),
        (3, "2024"),
        (4, "2024.0411"),
        (5, "USA"),
        (6, "UNITED STATES"),
        (7, "USA"),
        (25, "0"),
        (26, "141"),
        (27, "141"),
        (28, "14"),
        (29, "3"),
        (30, "-6.5"),
        (31, "4"),
        (32, "2"),
        (33, "4"),
        (34, "-1.5"),
        (51, "3"),
        (52, "Washington, District of Columbia, United States"),
        (53, "US"),
        (54, "USDC"),
        (56, "38.8951"),
        (57, "-77.0364"),
        (59, "20240116090000"),
        (60, "https://example.org/news/protest"),
    ]);
    format!("{fight}\n{protest}\n")
}

// ---------------------------------------------------------------------------------------------
// The timeline CSV: groups

#[test]
fn the_timeline_csv_grouped_by_type_has_a_column_per_type_with_its_counts() {
    let events = seed_events();
    let table = timeline(None, &["--group-by", "type"]);
    let types: BTreeSet<String> = events.iter().map(|e| e.event_type.clone()).collect();
    assert_eq!(types.len(), 3, "the seed has three event types");
    assert_eq!(
        table.groups(),
        types,
        "one column per type: {:?}",
        table.header
    );
    let mut placed = 0;
    for t in &types {
        let counts = table.by_bucket(&format!("events: {t}"));
        let mut want: BTreeMap<String, u64> = BTreeMap::new();
        for e in events.iter().filter(|e| &e.event_type == t) {
            *want
                .entry(Bucket::Month.place(e.start, e.end).unwrap())
                .or_default() += 1;
        }
        for (key, n) in &counts {
            assert_eq!(*n, want.get(key).copied().unwrap_or(0), "{t} in {key}");
        }
        assert!(
            want.keys().all(|k| counts.contains_key(k)),
            "{t}: {want:?} in {counts:?}"
        );
        placed += counts.values().sum::<u64>();
    }
    assert_eq!(
        placed, 6,
        "every seed event is in one month and one type column"
    );
    // Counted by hand: October 2024 holds two explosions (the missiles, the drone) and the
    // Channel 14 photo.
    let oct = table.rows.iter().find(|r| r[0] == "2024-10").unwrap();
    assert_eq!(oct[table.col("events: Explosions/Remote violence")], "2");
    assert_eq!(oct[table.col("events: Strategic developments")], "1");
    assert_eq!(oct[table.col("events: Battles")], "0");
    // The group columns add up to the total of each bucket.
    for r in &table.rows {
        let sum: u64 = types
            .iter()
            .map(|t| {
                r[table.col(&format!("events: {t}"))]
                    .parse::<u64>()
                    .unwrap()
            })
            .sum();
        assert_eq!(
            sum.to_string(),
            r[table.col("events_total")],
            "bucket {}",
            r[0]
        );
    }
}

#[test]
fn the_timeline_csv_grouped_by_actor_has_a_column_per_actor_with_its_counts() {
    let events = seed_events();
    let table = timeline(None, &["--group-by", "actor"]);
    let named: BTreeSet<String> = events.iter().filter_map(|e| e.actor1.clone()).collect();
    // Iran, the Islamic Resistance in Iraq, Israel, Israeli Channel 14; and the drone attack
    // of 4 Oct 2024 has no actor 1.
    assert_eq!(named.len(), 4, "{named:?}");
    let groups = table.groups();
    assert!(
        named.is_subset(&groups),
        "a column per actor 1: {:?}",
        table.header
    );
    let others: Vec<&String> = groups.difference(&named).collect();
    assert_eq!(
        others.len(),
        1,
        "and one for the events with no actor 1: {:?}",
        table.header
    );
    let mut want: BTreeMap<(String, String), u64> = BTreeMap::new();
    for e in &events {
        let group = e.actor1.clone().unwrap_or_else(|| others[0].clone());
        let key = Bucket::Month.place(e.start, e.end).unwrap();
        *want.entry((group, key)).or_default() += 1;
    }
    for g in &groups {
        for (key, n) in table.by_bucket(&format!("events: {g}")) {
            let expected = want.get(&(g.clone(), key.clone())).copied().unwrap_or(0);
            assert_eq!(n, expected, "{g} in {key}");
        }
    }
    // By hand: Iran's missiles, April and October 2024.
    let iran = table.by_bucket("events: Iran");
    assert_eq!((iran["2024-04"], iran["2024-10"]), (1, 1));
    assert_eq!(iran.values().sum::<u64>(), 2);
    assert_eq!(table.total("events_total"), 6);
}

// ---------------------------------------------------------------------------------------------
// Filters

/// The filters' flags and which seed events they select.
type Case = (&'static [&'static str], fn(&SeedEvent) -> bool);

fn has_text(e: &SeedEvent, words: &str) -> bool {
    let needle = words.to_lowercase();
    e.text.iter().any(|t| t.to_lowercase().contains(&needle))
}

const FILTERS: [Case; 11] = [
    (&["--type", "Battles"], |e| e.event_type == "Battles"),
    (&["--type", "Explosions/Remote violence"], |e| {
        e.event_type == "Explosions/Remote violence"
    }),
    (
        &["--type", "Battles", "--type", "Strategic developments"],
        |e| e.event_type == "Battles" || e.event_type == "Strategic developments",
    ),
    (&["--country", "Israel"], |e| {
        e.country.as_deref() == Some("Israel")
    }),
    (&["--country", "Iraq"], |e| {
        e.country.as_deref() == Some("Iraq")
    }),
    (&["--country", "Iraq", "--country", "Lebanon"], |e| {
        matches!(e.country.as_deref(), Some("Iraq" | "Lebanon"))
    }),
    (
        &[
            "--country",
            "Israel",
            "--type",
            "Explosions/Remote violence",
        ],
        |e| e.country.as_deref() == Some("Israel") && e.event_type == "Explosions/Remote violence",
    ),
    (&["--text", "drone"], |e| has_text(e, "drone")),
    (&["--text", "DRONE"], |e| has_text(e, "drone")),
    // Only in an actor's name (the description says "The IRI").
    (&["--text", "islamic resistance"], |e| {
        has_text(e, "islamic resistance")
    }),
    (&["--text", "Hezbollah", "--country", "Lebanon"], |e| {
        has_text(e, "hezbollah") && e.country.as_deref() == Some("Lebanon")
    }),
];

#[test]
fn type_country_and_text_filters_select_exactly_their_events() {
    let events = seed_events();
    for (args, selects) in FILTERS {
        let want: BTreeSet<String> = events
            .iter()
            .filter(|e| selects(e))
            .map(|e| e.id.clone())
            .collect();
        assert!(
            !want.is_empty() && want.len() < events.len(),
            "{args:?}: the case narrows the seed ({want:?})"
        );
        assert_eq!(exported_ids(None, args), want, "{args:?}: the event list");
        // The timeline counts the same events (all are placed by month), and their deaths.
        let table = timeline(None, args);
        assert_eq!(
            table.total("events_total"),
            want.len() as u64,
            "{args:?}: the timeline's total"
        );
        let deaths: u64 = events
            .iter()
            .filter(|e| selects(e))
            .map(|e| e.fatalities)
            .sum();
        assert_eq!(table.total("fatalities_total"), deaths, "{args:?}: deaths");
    }
    // By hand: three events in Israel, one Battles, two mentioning drones.
    assert_eq!(exported_ids(None, &["--country", "Israel"]).len(), 3);
    assert_eq!(exported_ids(None, &["--type", "Battles"]).len(), 1);
    assert_eq!(
        exported_ids(None, &["--text", "drone"]),
        BTreeSet::from([
            "ev-2023-10-17-harir".to_string(),
            "ev-2024-10-04-drone-soldiers-killed".to_string()
        ])
    );
}

#[test]
fn a_filter_that_matches_nothing_exports_no_events() {
    assert!(exported_ids(None, &["--type", "No such type"]).is_empty());
    assert!(exported_ids(None, &["--country", "Atlantis"]).is_empty());
    assert!(exported_ids(None, &["--text", "zzzz-not-there"]).is_empty());
    assert_eq!(
        timeline(None, &["--country", "Atlantis"]).total("events_total"),
        0
    );
}

// ---------------------------------------------------------------------------------------------
// Buckets

#[test]
fn every_bucket_width_has_its_keys_and_counts_and_leaves_out_less_precise_events() {
    let events = seed_events();
    for bucket in BUCKETS {
        let table = timeline(None, &["--bucket", bucket.arg()]);
        let keys: Vec<&str> = table.column("bucket");
        assert!(!keys.is_empty(), "{bucket:?}");
        // Consecutive buckets, empty ones included, in the key format of the width.
        let all = bucket.all_keys();
        let first = all
            .iter()
            .position(|k| k == keys[0])
            .unwrap_or_else(|| panic!("{bucket:?}: {:?} is not a {bucket:?} key", keys[0]));
        assert_eq!(
            keys,
            all[first..first + keys.len()]
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            "{bucket:?}: consecutive keys"
        );
        // Each event in the bucket that holds its whole date; none for the others.
        let mut want: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for e in &events {
            if let Some(key) = bucket.place(e.start, e.end) {
                let w = want.entry(key).or_default();
                w.0 += 1;
                w.1 += e.fatalities;
            }
        }
        let counts = table.by_bucket("events_total");
        let deaths = table.by_bucket("fatalities_total");
        for (key, (n, dead)) in &want {
            assert_eq!(counts.get(key), Some(n), "{bucket:?}: events in {key}");
            assert_eq!(deaths.get(key), Some(dead), "{bucket:?}: deaths in {key}");
        }
        let placed: u64 = want.values().map(|w| w.0).sum();
        assert_eq!(
            table.total("events_total"),
            placed,
            "{bucket:?}: only the events that fit a bucket are counted"
        );
    }
}

#[test]
fn buckets_counted_by_hand_from_the_seed() {
    // Two events are dated to the day (17 Oct 2023, 4 Oct 2024), four to the month.
    let expect: [(Bucket, &[(&str, u64)]); 5] = [
        (Bucket::Day, &[("2023-10-17", 1), ("2024-10-04", 1)]),
        (Bucket::Week, &[("2023-W42", 1), ("2024-W40", 1)]),
        (
            Bucket::Month,
            &[
                ("2023-10", 1),
                ("2024-04", 1),
                ("2024-09", 1),
                ("2024-10", 3),
            ],
        ),
        (
            Bucket::Quarter,
            &[
                ("2023-Q4", 1),
                ("2024-Q2", 1),
                ("2024-Q3", 1),
                ("2024-Q4", 3),
            ],
        ),
        (Bucket::Year, &[("2023", 1), ("2024", 5)]),
    ];
    for (bucket, buckets) in expect {
        let counts = timeline(None, &["--bucket", bucket.arg()]).by_bucket("events_total");
        let nonzero: Vec<(&str, u64)> = counts
            .iter()
            .filter(|(_, &n)| n > 0)
            .map(|(k, &n)| (k.as_str(), n))
            .collect();
        assert_eq!(nonzero, buckets, "{bucket:?}");
    }
    // A month-precision event is in no day: October 2024's days hold only the drone attack.
    let days = timeline(None, &["--bucket", "day"]).by_bucket("events_total");
    let october: u64 = days
        .iter()
        .filter(|(k, _)| k.starts_with("2024-10-"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(october, 1);
    assert_eq!(days.get("2024-10-04"), Some(&1));
    assert!(
        !days.contains_key("2024-10"),
        "no month key in a daily view"
    );
}

#[test]
fn events_dated_less_precisely_than_the_bucket_are_counted_apart_in_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    for (bucket, apart) in [("day", 4), ("week", 4), ("month", 0)] {
        let svg = export(
            dir.path(),
            None,
            "timeline",
            &format!("{bucket}.svg"),
            &["--bucket", bucket],
        );
        let text = std::fs::read_to_string(svg).unwrap();
        let note = format!("{apart} events dated less precisely than a {bucket}");
        if apart > 0 {
            assert!(text.contains(&note), "{bucket}: {note:?}");
        } else {
            assert!(!text.contains("dated less precisely"), "{bucket}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Exports of an imported file

#[test]
fn export_reads_an_acled_file_given_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "acled.csv", ACLED);
    let file = Some(file.as_path());
    // By month: SYR1 and SYR2 (its week is 17–23 March) in March, IRQ1 (the month) and IRQ2
    // in April; deaths 3 + 5 and 0 + 1.
    let t = timeline(file, &[]);
    assert_eq!(
        t.by_bucket("events_total"),
        BTreeMap::from([("2024-03".into(), 2), ("2024-04".into(), 2)])
    );
    assert_eq!(
        t.by_bucket("fatalities_total"),
        BTreeMap::from([("2024-03".into(), 8), ("2024-04".into(), 1)])
    );
    // By actor 1.
    let t = timeline(file, &["--group-by", "actor"]);
    assert_eq!(
        t.groups(),
        BTreeSet::from([
            "Group A (Syria)".to_string(),
            "Air Force of Z".to_string(),
            "Protesters (Iraq)".to_string()
        ])
    );
    assert_eq!(
        t.by_bucket("events: Group A (Syria)"),
        BTreeMap::from([("2024-03".into(), 1), ("2024-04".into(), 1)])
    );
    assert_eq!(
        t.by_bucket("events: Protesters (Iraq)"),
        BTreeMap::from([("2024-03".into(), 0), ("2024-04".into(), 1)])
    );
    // By week and type: IRQ1 (a month) is in no week; SYR2's week is the one of its coded
    // day, Wednesday 20 March (W12).
    let t = timeline(file, &["--bucket", "week", "--group-by", "type"]);
    assert_eq!(
        t.column("bucket"),
        ["2024-W11", "2024-W12", "2024-W13", "2024-W14", "2024-W15", "2024-W16", "2024-W17"]
    );
    assert_eq!(t.total("events_total"), 3);
    let battles = t.by_bucket("events: Battles");
    assert_eq!((battles["2024-W11"], battles["2024-W17"]), (1, 1));
    assert_eq!(
        t.by_bucket("events: Explosions/Remote violence")["2024-W12"],
        1
    );
    // By day: only the two events coded to the day (SYR1, IRQ2).
    let t = timeline(file, &["--bucket", "day"]);
    let days: Vec<(String, u64)> = t
        .by_bucket("events_total")
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        days,
        [("2024-03-12".to_string(), 1), ("2024-04-28".to_string(), 1)]
    );
    // Filters.
    let ids = |args: &[&str]| -> Vec<String> { exported_ids(file, args).into_iter().collect() };
    assert_eq!(ids(&["--country", "Iraq"]), ["IRQ1", "IRQ2"]);
    assert_eq!(ids(&["--type", "Battles"]), ["IRQ2", "SYR1"]);
    assert_eq!(ids(&["--text", "sinjar"]), ["IRQ2"]);
    assert_eq!(
        ids(&["--text", "ally y"]),
        ["SYR1"],
        "associated actors' names"
    );
    assert_eq!(ids(&["--actor", "Group A (Syria)"]), ["IRQ2", "SYR1"]);
}

#[test]
fn export_of_an_acled_file_writes_its_events_and_its_actor_network() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "acled.csv", ACLED);
    // The event list as a native file: the same events as the import.
    let json = export(dir.path(), Some(&file), "events", "events.json", &[]);
    assert_eq!(summary_json(&json)["format"], "faultline");
    let imported = dataset(&file);
    assert_eq!(dataset(&json).events, imported.events);
    // The actor network: an interaction edge per pair of actors 1 and 2, with its events and
    // deaths.
    let network = export(dir.path(), Some(&file), "actors", "actors.csv", &[]);
    let table = Table::read(&network);
    let edge = |a: &str, b: &str| {
        table.rows.iter().find(|r| {
            r[table.col("kind")] == "interaction"
                && ((r[0] == a && r[1] == b) || (r[0] == b && r[1] == a))
        })
    };
    for (a, b, events, deaths) in [
        ("Group A (Syria)", "Group B (Syria)", "1", "3"),
        ("Air Force of Z", "Civilians (Syria)", "1", "5"),
        ("Group A (Syria)", "Military Forces of Iraq", "1", "1"),
    ] {
        let row = edge(a, b).unwrap_or_else(|| panic!("{a} – {b} in {:?}", table.rows));
        assert_eq!(row[table.col("events")], events, "{a} – {b}");
        assert_eq!(row[table.col("fatalities")], deaths, "{a} – {b}");
    }
    assert!(edge("Protesters (Iraq)", "Group B (Syria)").is_none());
    let actors: BTreeSet<&str> = table
        .rows
        .iter()
        .filter(|r| r[table.col("kind")] == "actor")
        .map(|r| r[0].as_str())
        .collect();
    for name in [
        "Group A (Syria)",
        "Group B (Syria)",
        "Air Force of Z",
        "Civilians (Syria)",
        "Protesters (Iraq)",
        "Military Forces of Iraq",
    ] {
        assert!(actors.contains(name), "{name} in {actors:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// convert: imports round-trip through the native format

/// Converts `input` and returns the converted file's path and its JSON.
fn convert(dir: &Path, input: &Path, extra: &[&str]) -> (PathBuf, Value) {
    let out = dir.join(format!(
        "{}.converted.json",
        input.file_name().unwrap().to_str().unwrap()
    ));
    let mut args = vec![
        "convert",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{args:?}: {err}");
    let json = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    (out, json)
}

/// The converted file's event with this id.
fn event<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no event {id}"))
}

#[test]
fn convert_of_an_acled_import_keeps_every_event_with_its_attributes_and_allies() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "acled.csv", ACLED);
    let (out, json) = convert(dir.path(), &input, &[]);
    // Read back, it is the same dataset as the import.
    let original = dataset(&input);
    let converted = dataset(&out);
    assert_eq!(converted, original);
    assert_eq!(converted.events.len(), 4);
    assert_eq!(summary_json(&out)["format"], "faultline");
    // What the CSV says, in the converted file.
    let syr1 = event(&json, "SYR1");
    assert_eq!(syr1["date"], "2024-03-12");
    assert_eq!(syr1["event_type"], "Battles");
    assert_eq!(syr1["sub_event_type"], "Armed clash");
    assert_eq!(syr1["actor1"], "Group A (Syria)");
    assert_eq!(syr1["actor2"], "Group B (Syria)");
    assert_eq!(
        syr1["associated_actors_1"],
        serde_json::json!(["Ally X (Syria)", "Ally Y (Syria)"])
    );
    assert_eq!(syr1["fatalities"], 3);
    assert_eq!(
        syr1["description"],
        "Clash near Saraqib, both sides shelling."
    );
    assert_eq!(syr1["location"]["place"], "Saraqib");
    assert_eq!(syr1["location"]["admin1"], "Idlib");
    assert_eq!(syr1["location"]["country"], "Syria");
    assert_eq!(syr1["location"]["latitude"], 35.8623);
    assert_eq!(syr1["location"]["longitude"], 36.8064);
    for (key, value) in [
        ("inter1", "2"),
        ("inter2", "3"),
        ("interaction", "23"),
        ("source", "Local Monitor"),
        ("time_precision", "1"),
    ] {
        assert_eq!(syr1["attributes"][key], value, "SYR1 attribute {key}");
    }
    let syr2 = event(&json, "SYR2");
    assert_eq!(
        syr2["date"], "2024-03-17/2024-03-23",
        "the week around the day"
    );
    assert_eq!(
        syr2["associated_actors_2"],
        serde_json::json!(["Aid Workers (Syria)"])
    );
    assert_eq!(syr2["attributes"]["time_precision"], "2");
    assert_eq!(syr2["attributes"]["source"], "Wire");
    let irq1 = event(&json, "IRQ1");
    assert_eq!(irq1["date"], "2024-04", "the month");
    assert!(irq1["actor2"].is_null());
    assert_eq!(irq1["fatalities"], 0);
    assert_eq!(irq1["attributes"]["interaction"], "60");
    // The actors are there, allies included.
    let actors: BTreeSet<&str> = json["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    for name in ["Ally X (Syria)", "Ally Y (Syria)", "Aid Workers (Syria)"] {
        assert!(actors.contains(name), "{name} in {actors:?}");
    }
}

#[test]
fn convert_of_a_ucdp_csv_import_keeps_low_and_high_and_the_date_precision() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "ged.csv", UCDP);
    assert_eq!(summary_json(&input)["format"], "ucdp");
    let (out, json) = convert(dir.path(), &input, &[]);
    let converted = dataset(&out);
    assert_eq!(converted, dataset(&input));
    assert_eq!(converted.events.len(), 4);
    // (id, date, type, best, low, high) from the CSV.
    for (id, date, event_type, best, low, high) in [
        ("101", "2013-03-15", "State-based conflict", 3, 2, 5),
        ("102", "2013-06", "Non-state conflict", 10, 8, 14),
        ("103", "2013", "One-sided violence", 7, 7, 7),
        (
            "104",
            "2013-03-15/2013-03-17",
            "State-based conflict",
            0,
            0,
            4,
        ),
    ] {
        let e = event(&json, id);
        assert_eq!(e["date"], date, "{id}");
        assert_eq!(e["event_type"], event_type, "{id}");
        assert_eq!(e["fatalities"], best, "{id}: best");
        assert_eq!(e["fatalities_low"], low, "{id}: low");
        assert_eq!(e["fatalities_high"], high, "{id}: high");
    }
    let e = event(&json, "101");
    assert_eq!(e["actor1"], "Government of Central African Republic");
    assert_eq!(e["actor2"], "Seleka");
    assert_eq!(e["location"]["place"], "Bangui city");
    assert_eq!(e["location"]["admin1"], "Bangui province");
    assert_eq!(e["location"]["latitude"], 4.366667);
    for (key, value) in [
        ("conflict_name", "CAR: Government"),
        ("dyad_name", "Government of CAR - Seleka"),
        ("deaths_a", "1"),
        ("deaths_b", "2"),
        ("date_prec", "1"),
    ] {
        assert_eq!(e["attributes"][key], value, "101 attribute {key}");
    }
    let e = event(&json, "103");
    assert!(e["location"]["latitude"].is_null(), "no coordinates: none");
}

#[test]
fn convert_of_a_gdelt_import_keeps_the_cameo_codes_goldstein_mentions_and_url() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "events.export.CSV", &gdelt());
    assert_eq!(summary_json(&input)["format"], "gdelt");
    let (out, json) = convert(dir.path(), &input, &[]);
    let converted = dataset(&out);
    assert_eq!(converted, dataset(&input));
    assert_eq!(converted.events.len(), 2);
    let fight = event(&json, "900000001");
    assert_eq!(fight["date"], "2024-01-15");
    assert_eq!(fight["event_type"], "Fight");
    assert_eq!(fight["sub_event_type"], "CAMEO 190");
    assert_eq!(fight["actor1"], "ISRAEL");
    assert_eq!(fight["actor2"], "PALESTINIAN");
    assert_eq!(fight["location"]["place"], "Gaza City, Gaza, Palestine");
    assert_eq!(fight["location"]["latitude"], 31.5);
    assert_eq!(fight["location"]["longitude"], 34.4667);
    for (key, value) in [
        ("goldstein", "-10.0"),
        ("num_mentions", "12"),
        ("num_sources", "3"),
        ("num_articles", "10"),
        ("avg_tone", "-4.25"),
        ("event_code", "190"),
        ("quad_class", "4"),
        ("source_url", "https://example.org/news/fight"),
        ("date_added", "20240115120000"),
        ("gdelt_version", "2.0"),
        // Column 52 of the line (index 51): ActionGeo_Type, 4 = a world city.
        ("action_geo_type", "4"),
    ] {
        assert_eq!(fight["attributes"][key], value, "attribute {key}");
    }
    let protest = event(&json, "900000002");
    assert_eq!(protest["event_type"], "Protest");
    assert_eq!(protest["sub_event_type"], "CAMEO 141");
    assert!(protest["actor2"].is_null());
    assert_eq!(protest["attributes"]["goldstein"], "-6.5");
    assert_eq!(
        protest["attributes"]["source_url"],
        "https://example.org/news/protest"
    );
    // A GDELT 1.0 file (58 columns, CRLF) round-trips too.
    let v1 = fixture("bad/ok_gdelt_crlf.tsv");
    let (out, json) = convert(dir.path(), &v1, &[]);
    assert_eq!(dataset(&out), dataset(&v1));
    assert_eq!(
        event(&json, "564000001")["attributes"]["gdelt_version"],
        "1.0"
    );
    assert_eq!(
        event(&json, "564000001")["attributes"]["source_url"],
        "http://example.org/news/564000001"
    );
}

// ---------------------------------------------------------------------------------------------
// --format and --strict

#[test]
fn convert_with_format_acled_reads_the_file_as_acled_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "export.txt", ACLED);
    let (out, _) = convert(dir.path(), &input, &["--format", "acled"]);
    assert_eq!(dataset(&out).events.len(), 4);
    assert_eq!(dataset(&out), dataset(&input));
    // A native file forced to be read as ACLED is not ACLED: bad input, nothing written.
    let seed = repo_root().join("assets/seed.json");
    let forced = dir.path().join("forced.json");
    let (code, _, err) = run(&[
        "convert",
        seed.to_str().unwrap(),
        "--format",
        "acled",
        "--out",
        forced.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error:"), "{err}");
    assert!(err.contains("seed.json"), "names the file: {err}");
    assert!(!forced.exists());
    // And the ACLED file forced to be UCDP is refused the same way.
    let (code, _, err) = run(&[
        "convert",
        input.to_str().unwrap(),
        "--format",
        "ucdp",
        "--out",
        forced.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("export.txt"), "{err}");
    assert!(!forced.exists());
}

#[test]
fn convert_strict_fails_on_a_bad_row_naming_the_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "mixed.csv", &acled_with_bad_row());
    let out = dir.path().join("out.json");
    let (code, _, err) = run(&[
        "convert",
        input.to_str().unwrap(),
        "--strict",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error:"), "{err}");
    assert!(
        err.contains("mixed.csv:4"),
        "names the file and line 4: {err}"
    );
    assert!(err.contains("fatalities"), "names the column: {err}");
    assert!(!out.exists(), "no output file");
    // An existing output is left as it was.
    std::fs::write(&out, "precious").unwrap();
    let (code, _, _) = run(&[
        "convert",
        input.to_str().unwrap(),
        "--strict",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    // Without --strict the bad row is skipped and listed, the others converted.
    let (code, _, err) = run(&[
        "convert",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("mixed.csv:4"), "{err}");
    let ids: Vec<String> = dataset(&out).events.into_iter().map(|e| e.id).collect();
    assert_eq!(ids, ["SYR1", "SYR2", "IRQ1", "IRQ2"]);
}

// ---------------------------------------------------------------------------------------------
// The summary of an import with bad rows

#[test]
fn the_summary_says_how_many_records_were_imported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "mixed.csv", &acled_with_bad_row());
    let (code, out, err) = run(&["summary", input.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        words(&out).contains("imported 4 of 5 records; 1 skipped"),
        "{out}"
    );
    assert!(
        err.contains("mixed.csv:4"),
        "the skipped row is listed: {err}"
    );
    // The README's own example, with thousands separators: 5,000 rows, 2 of them bad.
    let good = ACLED.lines().nth(4).unwrap();
    let mut text = ACLED.lines().next().unwrap().to_string() + "\n";
    for i in 0..5000 {
        let row = good.replacen("IRQ2", &format!("R{i}"), 1);
        let row = if i == 100 || i == 4000 {
            row.replace(",Clash at Sinjar.,1", ",Clash at Sinjar.,many") // deaths not a number
        } else if i == 2000 {
            // A latitude out of range costs the event its place on the map, not the event.
            row.replace(",36.3209,", ",123,")
        } else {
            row
        };
        text.push_str(&row);
        text.push('\n');
    }
    let big = write(dir.path(), "big.csv", &text);
    let (code, out, err) = run(&["summary", big.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        words(&out).contains("imported 4,998 of 5,000 records; 2 skipped"),
        "{out}"
    );
    assert!(err.contains("big.csv:102"), "{err}");
    assert!(err.contains("big.csv:4002"), "{err}");
    assert!(!err.contains("big.csv:2002"), "{err}");
    assert!(
        out.contains("1 event kept without a place on the map")
            && out.contains("big.csv:2002")
            && out.contains("latitude 123 is outside"),
        "{out}"
    );
    let s = summary_json(&big);
    assert_eq!(
        (&s["events"], &s["records"], &s["skipped"]),
        (&4998.into(), &5000.into(), &2.into())
    );
}

// ---------------------------------------------------------------------------------------------
// Detection never uses the file name

#[test]
fn acled_content_is_read_as_acled_whatever_the_file_is_called() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "acled.csv",
        "acled.json",
        "acled.tsv",
        "acled.geojson",
        "acled",
    ] {
        let path = write(dir.path(), name, ACLED);
        let s = summary_json(&path);
        assert_eq!(s["format"], "acled", "{name}");
        assert_eq!(s["events"], 4, "{name}");
    }
}

#[test]
fn other_content_is_read_as_what_it_is_whatever_the_file_is_called() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(repo_root().join("assets/seed.json")).unwrap();
    let gdelt = gdelt();
    for (name, content, format, events) in [
        ("seed.csv", seed.as_str(), "faultline", 6),
        ("seed", seed.as_str(), "faultline", 6),
        ("ged.json", UCDP, "ucdp", 4),
        ("ged.tsv", UCDP, "ucdp", 4),
        ("events.csv", gdelt.as_str(), "gdelt", 2),
        ("events.geojson", gdelt.as_str(), "gdelt", 2),
    ] {
        let path = write(dir.path(), name, content);
        let s = summary_json(&path);
        assert_eq!(s["format"], format, "{name}");
        assert_eq!(s["events"], events, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// The reported figures' chart

/// `(series id, first day, last day, value)` of every dated number of the seed's series in
/// `unit`, read from `assets/seed.json`.
fn seed_figures(unit: &str) -> Vec<(String, NaiveDate, NaiveDate, f64)> {
    let seed = seed_json();
    let mut out = Vec::new();
    for s in seed["series"].as_array().unwrap() {
        if s["unit"] != unit {
            continue;
        }
        for o in s["observations"].as_array().unwrap() {
            if let (Some(period), Some(value)) = (o["period"].as_str(), o["value"].as_f64()) {
                let (a, b) = span(period);
                out.push((s["name"].as_str().unwrap().to_string(), a, b, value));
            }
        }
    }
    out.sort_by_key(|f| f.1);
    out
}

#[test]
fn the_series_chart_exports_each_reported_figure_over_its_days() {
    let dir = tempfile::tempdir().unwrap();
    let table = Table::read(&export(dir.path(), None, "series", "s.csv", &[]));
    let got: Vec<(String, NaiveDate, NaiveDate, f64)> = table
        .rows
        .iter()
        .map(|r| {
            (
                r[table.col("series")].clone(),
                r[table.col("first_day")].parse().unwrap(),
                r[table.col("last_day")].parse().unwrap(),
                r[table.col("value")].parse().unwrap(),
            )
        })
        .collect();
    // The headline unit: the one with the most dated numbers.
    assert_eq!(got, seed_figures("drone attacks"));
    assert!(table.column("unit").iter().all(|u| *u == "drone attacks"));
    assert!(table.column("reported_by").iter().all(|u| *u == "Maariv"));
    assert!(table.column("counted_by").iter().all(|u| *u == "Israel"));
    // Every figure carries the source's words that hold it.
    for (quote, figure) in table.column("quote").iter().zip(table.column("figure")) {
        let digits = figure.trim_start_matches(['~', '≥', '≤', ' ']);
        let named = match digits {
            "6" => "six",
            other => other,
        };
        assert!(quote.contains(named), "{figure}: {quote}");
    }

    // One series by id, as a picture of the exact size asked for.
    let png = export(
        dir.path(),
        None,
        "series",
        "s.png",
        &[
            "--series",
            "daily-launches-iraq-israel",
            "--width",
            "800",
            "--height",
            "500",
        ],
    );
    let info = png::Decoder::new(std::fs::File::open(&png).unwrap())
        .read_info()
        .unwrap()
        .info()
        .clone();
    assert_eq!((info.width, info.height), (800, 500));
    let svg = |args: &[&str]| {
        std::fs::read_to_string(export(dir.path(), None, "series", "s.svg", args)).unwrap()
    };
    let about = svg(&["--series", "daily-launches-iraq-israel"]);
    assert!(
        about.contains(r#"data-figure="~5""#),
        "an 'about' figure keeps its ~"
    );
    assert!(!about.contains("counted<"), "no overlay unless asked for");
    // The overlay counts the filtered events wholly within each month: the only battle is
    // the war dated September 2024.
    let counted = svg(&[
        "--series",
        "drone-launches-iraq-israel-monthly",
        "--counted",
        "--type",
        "Battles",
    ]);
    let marks: Vec<&str> = counted
        .split("text-anchor=\"middle\">")
        .skip(1)
        .map(|rest| &rest[..rest.find('<').unwrap()])
        .filter(|t| t.ends_with(" counted"))
        .collect();
    assert_eq!(marks, ["0 counted", "1 counted", "0 counted"]);
}

#[test]
fn a_series_chart_that_cannot_be_made_says_why_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.png");
    let out = out.to_str().unwrap();
    let (code, _, err) = run(&[
        "export", "--chart", "series", "--series", "nope", "--out", out,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no reported series with id \"nope\""), "{err}");
    assert!(
        err.contains("drone-launches-iraq-israel-monthly"),
        "lists the ids: {err}"
    );
    let (code, _, err) = run(&[
        "export",
        "--chart",
        "series",
        "--series",
        "iri-attacks-us-forces",
        "--series",
        "daily-launches-iraq-israel",
        "--out",
        out,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("different units"), "{err}");
    let acled = write(
        dir.path(),
        "a.csv",
        "event_id_cnty,event_date,event_type,actor1,country\nX1,2024-01-02,Battles,Army,Yemen\n",
    );
    let (code, _, err) = run(&[
        "export",
        acled.to_str().unwrap(),
        "--chart",
        "series",
        "--out",
        out,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no reported figures"), "{err}");
    assert!(!Path::new(out).exists(), "nothing written");
}

#[test]
fn with_ids_the_timeline_csv_names_the_events_behind_each_count() {
    let events = seed_events();
    for bucket in ["month", "week", "quarter"] {
        let table = timeline(
            None,
            &["--group-by", "type", "--with-ids", "--bucket", bucket],
        );
        let b = match bucket {
            "month" => Bucket::Month,
            "week" => Bucket::Week,
            _ => Bucket::Quarter,
        };
        let mut seen = BTreeSet::new();
        // The groups with ids; with one group only, its count is the total.
        let groups: Vec<String> = table
            .header
            .iter()
            .filter_map(|h| h.strip_prefix("ids: "))
            .map(String::from)
            .collect();
        assert!(!groups.is_empty(), "{bucket}: {:?}", table.header);
        for t in groups.iter().cloned() {
            let ids = table.col(&format!("ids: {t}"));
            let counts = if groups.len() == 1 {
                table.col("events_total")
            } else {
                table.col(&format!("events: {t}"))
            };
            for r in &table.rows {
                let listed: BTreeSet<String> =
                    r[ids].split_whitespace().map(String::from).collect();
                assert_eq!(listed.len().to_string(), r[counts], "{bucket} {t} {}", r[0]);
                // By the reference: the events of this type placed in this bucket.
                let want: BTreeSet<String> = events
                    .iter()
                    .filter(|e| {
                        e.event_type == t && b.place(e.start, e.end).as_deref() == Some(&r[0])
                    })
                    .map(|e| e.id.clone())
                    .collect();
                assert_eq!(listed, want, "{bucket} {t} {}", r[0]);
                seen.extend(listed);
            }
        }
        // Every event placed at this bucket width (by the reference) is behind one count.
        let placed = events
            .iter()
            .filter(|e| b.place(e.start, e.end).is_some())
            .count();
        assert_eq!(seen.len(), placed, "{bucket}");
        assert!(placed >= 2);
    }
    // Without the flag, no ids.
    let plain = timeline(None, &["--group-by", "type"]);
    assert!(plain.header.iter().all(|h| !h.starts_with("ids")));
}

#[test]
fn with_ids_the_network_csv_names_the_events_behind_each_edge_and_actor() {
    let dir = tempfile::tempdir().unwrap();
    let table = Table::read(&export(
        dir.path(),
        None,
        "actors",
        "a.csv",
        &["--with-ids"],
    ));
    let events = seed_events();
    let mut interactions = 0;
    for r in &table.rows {
        let kind = &r[table.col("kind")];
        let ids: Vec<&str> = r[table.col("ids")].split_whitespace().collect();
        if kind == "interaction" || kind == "same side" || kind == "actor" {
            assert_eq!(ids.len().to_string(), r[table.col("events")], "{r:?}");
            assert!(ids.iter().all(|id| events.iter().any(|e| e.id == *id)));
            interactions += usize::from(kind == "interaction");
        } else {
            // A stated relation names itself: one relation id of the seed.
            let relations = seed_json()["relations"].as_array().unwrap().clone();
            assert_eq!(ids.len(), 1, "{r:?}");
            assert!(relations.iter().any(|x| x["id"] == ids[0]), "{r:?}");
        }
    }
    assert!(interactions >= 3, "{interactions}");
}
