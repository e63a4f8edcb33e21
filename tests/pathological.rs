//! Hostile files, generated here into a temp dir: each ends in a clear error or a correct
//! import, never a panic or a stack overflow, and the process's peak memory stays under a
//! stated bound (measured from the kernel's accounting of the child process). The measured
//! numbers are in RELIABILITY.md.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const MB: u64 = 1 << 20;

/// What a `faultline` run did: exit code, stdout, stderr and peak resident memory.
struct Measured {
    code: i32,
    stdout: String,
    stderr: String,
    peak_bytes: u64,
}

/// Runs the binary, which reports its own peak resident memory (`VmHWM`, counted from its
/// start, not from the test process that spawned it) when `FAULTLINE_REPORT_PEAK_MEMORY` is set.
fn run_measured(args: &[&str]) -> Measured {
    let out = Command::new(env!("CARGO_BIN_EXE_faultline"))
        .args(args)
        .env("FAULTLINE_REPORT_PEAK_MEMORY", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or_else(|| {
        panic!("faultline {args:?} was killed by a signal (a crash or a stack overflow): {stderr}")
    });
    let peak_kb: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak memory: "))
        .and_then(|v| v.trim_end_matches(" kB").trim().parse().ok())
        .expect("the peak memory line");
    eprintln!(
        "faultline {}: exit {code}, peak {:.1} MB",
        args.join(" "),
        peak_kb as f64 / 1024.0
    );
    Measured {
        code,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
        peak_bytes: peak_kb * 1024,
    }
}

fn write(dir: &Path, name: &str, parts: impl IntoIterator<Item = Vec<u8>>) -> PathBuf {
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for part in parts {
        file.write_all(&part).unwrap();
    }
    file.flush().unwrap();
    path
}

fn summary(path: &Path, format: Option<&str>) -> Measured {
    let mut args = vec!["summary", path.to_str().unwrap(), "--json"];
    if let Some(f) = format {
        args.extend(["--format", f]);
    }
    run_measured(&args)
}

fn assert_clear_error(m: &Measured, file: &Path, line: Option<u64>, words: &str) {
    assert_eq!(m.code, 2, "exit code; stderr: {}", m.stderr);
    let name = file.display().to_string();
    assert!(m.stderr.starts_with("error: "), "{}", m.stderr);
    assert!(m.stderr.contains(&name), "names the file: {}", m.stderr);
    if let Some(line) = line {
        assert!(
            m.stderr.contains(&format!("{name}:{line}")),
            "says the line: {}",
            m.stderr
        );
    }
    assert!(m.stderr.contains(words), "says {words:?}: {}", m.stderr);
}

fn json(m: &Measured) -> serde_json::Value {
    assert_eq!(m.code, 0, "{}", m.stderr);
    serde_json::from_str(&m.stdout).unwrap()
}

/// The line limit, on a field four times longer than a 1 MB limit: the same code path as
/// the 200 MB field against the 64 MB default (below), at a size the suite can afford.
#[test]
fn a_field_longer_than_the_line_limit_is_refused_where_it_starts() {
    use faultline_core::io::{open, Format, OpenOptions};
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "long-field.csv",
        [b"\"".to_vec(), vec![b'x'; 4 << 20], b"\"\n".to_vec()],
    );
    for format in [Format::Acled, Format::Ucdp, Format::Gdelt] {
        let options = OpenOptions {
            format: Some(format),
            max_line_bytes: Some(1 << 20),
            ..OpenOptions::default()
        };
        let err = open(&file, &options).expect_err("refused").to_string();
        let name = file.display().to_string();
        assert!(err.starts_with(&format!("{name}:1")), "{format:?}: {err}");
        assert!(err.contains("a line longer than 1 MB"), "{format:?}: {err}");
    }
}

/// The 200 MB field against the default limit, with peak memory measured: slow, so run it
/// with `cargo test --test pathological -- --ignored` (RELIABILITY.md has its numbers).
#[test]
#[ignore]
fn a_200_mb_file_that_is_one_csv_field() {
    let dir = tempfile::tempdir().unwrap();
    let chunk = vec![b'x'; 8 << 20];
    let file = write(
        dir.path(),
        "one-field.csv",
        std::iter::once(b"\"".to_vec())
            .chain(std::iter::repeat_n(chunk, 25))
            .chain(std::iter::once(b"\"\n".to_vec())),
    );
    assert!(std::fs::metadata(&file).unwrap().len() >= 200_000_000);
    // Detected as nothing we read, from its first 64 KB.
    let m = summary(&file, None);
    assert_clear_error(&m, &file, Some(1), "not a format Faultline reads");
    assert!(m.peak_bytes < 64 * MB, "{} MB", m.peak_bytes / MB);
    // Read as each line-based format anyway: refused at the 64 MB line limit.
    for format in ["acled", "ucdp", "gdelt"] {
        let m = summary(&file, Some(format));
        assert_clear_error(&m, &file, Some(1), "a line longer than 64 MB");
        assert!(
            m.peak_bytes < 2 * 64 * MB,
            "{format}: {} MB",
            m.peak_bytes / MB
        );
    }
}

#[test]
fn a_million_empty_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "empty.csv", [vec![b'\n'; 1_000_000]]);
    let m = summary(&file, None);
    assert_clear_error(&m, &file, Some(1), "only blank lines");
    assert!(m.peak_bytes < 64 * MB);
    for format in ["acled", "ucdp", "gdelt"] {
        let m = summary(&file, Some(format));
        assert_eq!(m.code, 2, "{format}: {}", m.stderr);
        assert!(m.stderr.contains("empty.csv"), "{}", m.stderr);
        assert!(m.peak_bytes < 64 * MB);
    }
}

#[test]
fn a_json_array_nested_100000_deep() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "deep.json",
        [vec![b'['; 100_000], vec![b']'; 100_000]],
    );
    for (format, words) in [
        (None, "expected a JSON object"),
        (Some("faultline"), "expected a JSON object"),
        (Some("ucdp"), "recursion limit exceeded"),
    ] {
        let m = summary(&file, format);
        assert_clear_error(&m, &file, Some(1), words);
        assert!(
            m.peak_bytes < 64 * MB,
            "{format:?}: {} MB",
            m.peak_bytes / MB
        );
    }
    // The same depth inside a record a reader does descend into.
    let file = write(
        dir.path(),
        "deep-feature.geojson",
        [
            br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":"#.to_vec(),
            vec![b'['; 100_000],
            vec![b']'; 100_000],
            b"}]}".to_vec(),
        ],
    );
    let m = summary(&file, None);
    assert_clear_error(&m, &file, Some(1), "recursion limit exceeded");
    assert!(m.peak_bytes < 64 * MB);
}

#[test]
fn a_json_string_of_50_mb() {
    let dir = tempfile::tempdir().unwrap();
    let long = vec![b'y'; 50_000_000];
    // In a native file: a 50 MB title is odd but valid.
    let file = write(
        dir.path(),
        "long-title.json",
        [
            br#"{"format": "faultline", "version": 1, "title": ""#.to_vec(),
            long.clone(),
            b"\"}\n".to_vec(),
        ],
    );
    let m = summary(&file, None);
    let v = json(&m);
    assert_eq!(v["title"].as_str().unwrap().len(), 50_000_000);
    assert!(m.peak_bytes < 6 * 50 * MB, "{} MB", m.peak_bytes / MB);
    // In a UCDP record: read, with the record's other fields intact.
    let file = write(
        dir.path(),
        "long-source.geojson",
        [
            br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":1,"side_a":"Government of Uganda","side_b":"LRA","type_of_violence":1,"date_start":"2009-02-20","date_end":"2009-02-20","best":3,"country":"Central African Republic","source_article":""#.to_vec(),
            long,
            br#""},"geometry":null}]}"#.to_vec(),
        ],
    );
    let m = summary(&file, None);
    let v = json(&m);
    assert_eq!(v["events"], 1);
    assert_eq!(v["first_date"], "2009-02-20");
    assert!(m.peak_bytes < 6 * 50 * MB, "{} MB", m.peak_bytes / MB);
}

#[test]
fn an_acled_file_with_100000_distinct_actors() {
    let dir = tempfile::tempdir().unwrap();
    let header = b"event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2,country,admin1,location,latitude,longitude,source,notes,fatalities\n".to_vec();
    let rows = (0..100_000).map(|i| {
        format!(
            "X{i},2024-01-{:02},2024,1,Battles,Armed clash,Actor number {i},3,,0,Iraq,Baghdad,Baghdad,33.3,44.4,Source,note,{}\n",
            1 + i % 28,
            i % 3
        )
        .into_bytes()
    });
    let file = write(
        dir.path(),
        "actors.csv",
        std::iter::once(header).chain(rows),
    );
    let size = std::fs::metadata(&file).unwrap().len();
    let m = summary(&file, None);
    let v = json(&m);
    assert_eq!(v["events"], 100_000);
    assert_eq!(v["actors"], 100_000);
    assert!(
        m.peak_bytes < 16 * size + 64 * MB,
        "{} MB for a {} MB file",
        m.peak_bytes / MB,
        size / MB
    );
}

#[test]
fn a_geojson_with_a_million_empty_features() {
    let dir = tempfile::tempdir().unwrap();
    let mut features = Vec::with_capacity(3_000_000);
    for i in 0..1_000_000 {
        if i > 0 {
            features.push(b',');
        }
        features.extend_from_slice(b"{}");
    }
    let file = write(
        dir.path(),
        "empty-features.geojson",
        [
            br#"{"type":"FeatureCollection","features":["#.to_vec(),
            features,
            b"]}".to_vec(),
        ],
    );
    let m = summary(&file, None);
    assert_clear_error(&m, &file, None, "no usable ucdp record");
    assert!(m.stderr.contains("1000000 skipped"), "{}", m.stderr);
    assert!(m.peak_bytes < 64 * MB, "{} MB", m.peak_bytes / MB);
}
