//! Builds a large ACLED-format CSV for benchmarks by resampling the real rows of
//! `../shared/data/acled_*.csv` (deterministically: the same arguments give the same file).
//! Dates are shifted across 2016–2024 and ids renumbered; every other field is a real
//! field of a real row. Generated files are for benchmarks only — never commit them.
//!
//!     cargo run --release --example gen_acled -- --rows 1000000 --out /tmp/acled_1m.csv

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};
use faultline_core::io::dates::{parse_cell, CellDate};

/// The columns written, in a current-export order.
const COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// A small deterministic generator (xorshift64*), so runs are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn load_rows(data: &Path) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(data)
        .expect("../shared/data is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("acled_") && n.ends_with(".csv"))
        })
        .collect();
    files.sort();
    for path in files {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(&path)
            .expect("readable CSV");
        let header: Vec<String> = reader
            .headers()
            .expect("a header")
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let index: HashMap<&str, usize> = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.as_str(), i))
            .collect();
        for record in reader.records().flatten() {
            let row: Vec<String> = COLUMNS
                .iter()
                .map(|c| {
                    let c = match *c {
                        "assoc_actor_1" if !index.contains_key(c) => "ally_actor_1",
                        "assoc_actor_2" if !index.contains_key(c) => "ally_actor_2",
                        other => other,
                    };
                    let v = index.get(c).and_then(|&i| record.get(i)).unwrap_or("");
                    if v == "NA" {
                        String::new()
                    } else {
                        v.to_string()
                    }
                })
                .collect();
            // Only rows whose date reads unambiguously are resampled.
            if matches!(parse_cell(&row[1]), Ok(CellDate::Known(_))) {
                rows.push(row);
            }
        }
    }
    rows
}

fn main() {
    let mut rows_wanted: usize = 100_000;
    let mut out = PathBuf::from("/tmp/acled_100k.csv");
    let mut data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let mut seed: u64 = 2024;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rows" => rows_wanted = args.next().and_then(|v| v.parse().ok()).expect("--rows N"),
            "--out" => out = PathBuf::from(args.next().expect("--out FILE")),
            "--data" => data = PathBuf::from(args.next().expect("--data DIR")),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let source = load_rows(&data);
    assert!(
        !source.is_empty(),
        "no ACLED rows found in {}",
        data.display()
    );
    let mut rng = Rng(seed.max(1));
    let first = NaiveDate::from_ymd_opt(2016, 1, 1).expect("a date");
    let span_days = 9 * 365;
    let file = std::fs::File::create(&out).expect("the output can be created");
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    writer.write_record(COLUMNS).expect("write");
    let mut row = vec![String::new(); COLUMNS.len()];
    for n in 0..rows_wanted {
        let pick = &source[rng.below(source.len())];
        row.clone_from_slice(pick);
        let day = first + Days::new(rng.below(span_days) as u64);
        row[0] = format!("GEN{}", n + 1);
        row[1] = day.format("%d %B %Y").to_string();
        row[2] = day.year().to_string();
        writer.write_record(&row).expect("write");
    }
    writer.flush().expect("flush");
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote {} rows ({:.0} MB) to {} from {} real rows",
        rows_wanted,
        size as f64 / 1e6,
        out.display(),
        source.len()
    );
    let _ = std::io::stderr().flush();
}
