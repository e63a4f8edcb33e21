//! "Possibly the same event": events of different datasets in one view (files of different
//! formats, such as an ACLED export and a UCDP file) that may record the same happening —
//! their dates overlap at their precision, they lie within a distance the user sets, and
//! their types are of one kind or they share an actor. They are linked and counted, never
//! merged: each record stays as its source wrote it.

use crate::model::geo::is_usable;
use crate::store::Store;

/// When two events of different datasets are taken to be possibly the same.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchRules {
    /// At most this far apart, in kilometres (great-circle distance).
    pub max_km: f64,
}

impl Default for MatchRules {
    fn default() -> MatchRules {
        MatchRules { max_km: 25.0 }
    }
}

/// Spans longer than this many days are too vague to match anything.
const LONGEST_SPAN_DAYS: i32 = 31;

/// One pair of events that may be the same happening.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PossibleMatch {
    /// The event of the file given first.
    pub first: u32,
    /// The event of the file given later.
    pub second: u32,
    /// How far apart they are, in kilometres.
    pub km: f64,
}

/// The possible matches of a view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matches {
    /// Every pair, ordered by the first event, then the second.
    pub pairs: Vec<PossibleMatch>,
    /// The pairs' indices ordered by their second event, so the pairs of one event are
    /// found without a scan (the details ask every frame).
    by_second: Vec<u32>,
}

impl Matches {
    /// The matches of these pairs (in any order).
    pub fn new(mut pairs: Vec<PossibleMatch>) -> Matches {
        pairs.sort_by_key(|p| (p.first, p.second));
        let mut by_second: Vec<u32> = (0..pairs.len() as u32).collect();
        by_second.sort_by_key(|&k| (pairs[k as usize].second, pairs[k as usize].first));
        Matches { pairs, by_second }
    }

    /// The pairs event `row` belongs to, and the other event of each, in the pairs' order.
    pub fn of(&self, row: u32) -> Vec<(u32, f64)> {
        let from = self.pairs.partition_point(|p| p.first < row);
        let as_first = self.pairs[from..].iter().take_while(|p| p.first == row);
        let at = self
            .by_second
            .partition_point(|&k| self.pairs[k as usize].second < row);
        let as_second = self.by_second[at..]
            .iter()
            .map(|&k| &self.pairs[k as usize])
            .take_while(|p| p.second == row);
        let mut found: Vec<&PossibleMatch> = as_first.chain(as_second).collect();
        found.sort_by_key(|p| (p.first, p.second));
        found
            .into_iter()
            .map(|p| {
                if p.first == row {
                    (p.second, p.km)
                } else {
                    (p.first, p.km)
                }
            })
            .collect()
    }

    /// How many events have at least one possible match.
    pub fn events_matched(&self) -> usize {
        let mut rows: Vec<u32> = self
            .pairs
            .iter()
            .flat_map(|p| [p.first, p.second])
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows.len()
    }
}

/// Great-circle distance in kilometres between two points (haversine, mean Earth radius).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// What kind of happening an event type names, across the datasets' vocabularies: armed
/// violence (ACLED's battles, explosions and violence against civilians; UCDP's three
/// types of violence), or demonstrations (protests, riots). `None` for anything else.
fn kind_of(event_type: &str) -> Option<u8> {
    let t = event_type.to_lowercase();
    const VIOLENCE: [&str; 9] = [
        "battle",
        "explosion",
        "remote violence",
        "violence against civilians",
        "state-based",
        "non-state",
        "one-sided",
        "armed clash",
        "attack",
    ];
    const DEMONSTRATION: [&str; 3] = ["protest", "riot", "demonstrat"];
    if VIOLENCE.iter().any(|w| t.contains(w)) {
        Some(1)
    } else if DEMONSTRATION.iter().any(|w| t.contains(w)) {
        Some(2)
    } else {
        None
    }
}

/// True when two events' types are of one kind, or equal, or they share an actor by name.
fn compatible(store: &Store, a: usize, b: usize) -> bool {
    let (x, y) = (store.row(a), store.row(b));
    let (tx, ty) = (x.event_type(), y.event_type());
    if tx.eq_ignore_ascii_case(ty) {
        return true;
    }
    if let (Some(kx), Some(ky)) = (kind_of(tx), kind_of(ty)) {
        if kx == ky {
            return true;
        }
    }
    let names = |v: &crate::store::EventView| -> Vec<String> {
        v.all_actors()
            .map(|i| store.actor_name(i).to_lowercase())
            .collect()
    };
    let nx = names(&x);
    names(&y).iter().any(|n| nx.contains(n))
}

/// Every pair of events from files of different formats that may be the same happening.
/// Events without usable coordinates, or dated more vaguely than a month, match nothing.
pub fn possible_matches(store: &Store, rules: &MatchRules) -> Matches {
    let formats: Vec<&str> = store.files.iter().map(|f| f.format.as_str()).collect();
    if formats.iter().all(|f| *f == formats[0]) {
        return Matches::default();
    }
    // The placed, precisely enough dated events of each format, by first day.
    let mut by_format: Vec<(&str, Vec<Candidate>)> = Vec::new();
    for i in 0..store.len() {
        let row = store.row(i);
        let (start, end) = row.days();
        let Some((lat, lon)) = row.coordinates() else {
            continue;
        };
        if !is_usable(lat, lon) || end - start >= LONGEST_SPAN_DAYS {
            continue;
        }
        let format = formats.get(store.file_of(i)).copied().unwrap_or("");
        let candidate = Candidate {
            start,
            end,
            row: i,
            lat,
            lon,
        };
        match by_format.iter_mut().find(|(f, _)| *f == format) {
            Some((_, list)) => list.push(candidate),
            None => by_format.push((format, vec![candidate])),
        }
    }
    for (_, list) in &mut by_format {
        list.sort_unstable_by_key(|c| (c.start, c.row));
    }
    let mut pairs = Vec::new();
    for (k, (_, one)) in by_format.iter().enumerate() {
        for (_, other) in &by_format[k + 1..] {
            // Each overlapping pair once: found from the one that starts first (from `one`
            // when both start on the same day).
            sweep(one, other, false, rules, store, &mut pairs);
            sweep(other, one, true, rules, store, &mut pairs);
        }
    }
    Matches::new(pairs)
}

/// An event that can match: its days, row and place.
#[derive(Clone, Copy)]
struct Candidate {
    start: i32,
    end: i32,
    row: usize,
    lat: f64,
    lon: f64,
}

/// The pairs of an event of `from` and an event of `into` that starts on its first day or
/// later (strictly later when `strict`) but no later than its last, within the distance and
/// compatible.
fn sweep(
    from: &[Candidate],
    into: &[Candidate],
    strict: bool,
    rules: &MatchRules,
    store: &Store,
    pairs: &mut Vec<PossibleMatch>,
) {
    // A degree of latitude is never less than 110.5 km: a cheap bound before the distance.
    let max_degrees = rules.max_km / 110.5;
    for a in from {
        let first = into.partition_point(|b| b.start < a.start || (strict && b.start == a.start));
        for b in into[first..].iter().take_while(|b| b.start <= a.end) {
            if (a.lat - b.lat).abs() > max_degrees {
                continue;
            }
            let km = distance_km(a.lat, a.lon, b.lat, b.lon);
            if km <= rules.max_km && compatible(store, a.row, b.row) {
                let (x, y) = if (store.file_of(a.row), a.row) <= (store.file_of(b.row), b.row) {
                    (a.row, b.row)
                } else {
                    (b.row, a.row)
                };
                pairs.push(PossibleMatch {
                    first: x as u32,
                    second: y as u32,
                    km,
                });
            }
        }
    }
}

/// The events to leave out when possibly-same events are counted once: every event that may
/// be the same as an event of a file given earlier ([`possible_matches`] under `rules`) is
/// left out, so the earlier file's record stands for it. Two events of one file are never
/// taken for one. `true` for a row left out. Cached for the last store and rules asked (the
/// store's generation tells stores apart), as every filter with the option asks for it.
pub fn repeated_rows(store: &Store, rules: &MatchRules) -> std::sync::Arc<Vec<bool>> {
    use std::sync::{Arc, Mutex};
    type Cached = Option<(u64, u64, Arc<Vec<bool>>)>;
    static LAST: Mutex<Cached> = Mutex::new(None);
    let key = (store.generation(), rules.max_km.to_bits());
    if let Ok(last) = LAST.lock() {
        if let Some((g, km, rows)) = last.as_ref() {
            if (*g, *km) == key {
                return rows.clone();
            }
        }
    }
    let mut repeated = vec![false; store.len()];
    for p in possible_matches(store, rules).pairs {
        // A pair's first event is of the earlier file (pairs never join one file's events).
        if store.file_of(p.first as usize) < store.file_of(p.second as usize) {
            repeated[p.second as usize] = true;
        }
    }
    let rows = Arc::new(repeated);
    if let Ok(mut last) = LAST.lock() {
        *last = Some((key.0, key.1, rows.clone()));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{Format, Opened};
    use crate::model::{Dataset, DateSpan, Event};

    /// A file of events `(id, date, latitude, longitude)`, all battles, read as `format`.
    fn file(name: &str, format: Format, events: &[(&str, &str, f64, f64)]) -> Opened {
        let events = events
            .iter()
            .map(|&(id, date, lat, lon)| {
                let mut e: Event = Event::new(
                    id.to_string(),
                    date.parse::<DateSpan>().unwrap(),
                    "Battles".to_string(),
                );
                e.location.latitude = Some(lat);
                e.location.longitude = Some(lon);
                e
            })
            .collect();
        let mut opened = Opened::native(Dataset {
            events,
            ..Dataset::default()
        });
        opened.format = format;
        opened.as_file(std::path::Path::new(name))
    }

    #[test]
    fn distances_east_and_west_count_and_vague_dates_match_nothing() {
        // London to Paris, as the haversine with the mean radius gives it.
        assert!((distance_km(51.5074, -0.1278, 48.8566, 2.3522) - 343.557).abs() < 0.01);
        assert!((distance_km(0.0, 0.0, 0.0, 1.0) - 111.195).abs() < 0.01);
        let view = crate::io::combine::combine(vec![
            file("a.csv", Format::Acled, &[("A", "2024-03-01", 15.5, 32.53)]),
            file(
                "b.geojson",
                Format::Ucdp,
                &[
                    // 0.1° east at 15.5° N: 10.7 km.
                    ("east", "2024-03-01", 15.5, 32.63),
                    // 0.3° east: 32 km.
                    ("far-east", "2024-03-01", 15.5, 32.83),
                    ("year", "2024", 15.5, 32.53),
                    ("quarter", "2024-01-01/2024-03-31", 15.5, 32.53),
                    ("month", "2024-03", 15.5, 32.53),
                ],
            ),
        ]);
        let store = &view.store;
        let matches = possible_matches(store, &MatchRules::default());
        let found: Vec<(&str, f64)> = matches
            .pairs
            .iter()
            .map(|p| (store.row(p.second as usize).id(), p.km))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "east");
        assert!((found[0].1 - 10.72).abs() < 0.01, "{found:?}");
        assert_eq!(found[1].0, "month", "a month is not too vague");
    }

    #[test]
    fn the_pairs_of_an_event_are_those_a_plain_scan_finds_in_the_same_order() {
        let pair = |first: u32, second: u32| PossibleMatch {
            first,
            second,
            km: f64::from(first * 100 + second),
        };
        // Row 5 is the first of some pairs and the second of others.
        let pairs = vec![
            pair(5, 9),
            pair(1, 5),
            pair(5, 7),
            pair(3, 5),
            pair(2, 8),
            pair(8, 9),
            pair(0, 2),
        ];
        let matches = Matches::new(pairs.clone());
        let mut sorted = pairs;
        sorted.sort_by_key(|p| (p.first, p.second));
        for row in 0..11 {
            let scan: Vec<(u32, f64)> = sorted
                .iter()
                .filter(|p| p.first == row || p.second == row)
                .map(|p| {
                    let other = if p.first == row { p.second } else { p.first };
                    (other, p.km)
                })
                .collect();
            assert_eq!(matches.of(row), scan, "row {row}");
        }
        assert_eq!(matches.of(5).len(), 4);
        assert_eq!(matches.events_matched(), 8);
    }
}
