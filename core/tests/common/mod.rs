//! Helpers shared by the core's integration tests and (through `#[path]`) the app's.
#![allow(dead_code)]

use std::path::PathBuf;

/// The top of the repository: the app package's folder, or the core crate's parent (this file
/// is compiled into both packages' tests).
pub fn repo_root() -> PathBuf {
    let package = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    match package.parent() {
        Some(top) if package.ends_with("core") => top.to_path_buf(),
        _ => package,
    }
}

/// Says a test is skipped for want of `what`: in CI (the `CI` environment variable set) that
/// is a failure naming what is missing; elsewhere a line on the real standard error, which
/// `cargo test` shows even for tests that pass (it hides only what tests print through
/// `print!`), so a skip is never silent.
fn missing(test: &str, what: &str) {
    let message = format!("SKIP {test}: {what}");
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false") {
        panic!("{message}; CI must run every test (put ../shared beside the checkout)");
    }
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// `../shared` beside the checkout, where the real third-party files and the seed article
/// live. `None` (after a visible skip line; a failure in CI) when it is absent.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        missing(
            test,
            &format!(
                "{} is absent (it holds the seed article and real data files)",
                dir.display()
            ),
        );
        None
    }
}

/// Whether the command-line tool `tool` (e.g. poppler's `pdftotext`) can be run; when it
/// cannot, a visible skip line (a failure in CI, which installs it).
pub fn have_tool(test: &str, tool: &str) -> bool {
    let runs = std::process::Command::new(tool).arg("-v").output().is_ok();
    if !runs {
        missing(
            test,
            &format!("{tool} is not installed (sudo apt-get install -y poppler-utils)"),
        );
    }
    runs
}

/// A file of `../shared/data/`, or `None` after a visible skip line (a failure in CI) when it
/// is absent.
pub fn shared_data(test: &str, name: &str) -> Option<PathBuf> {
    let path = shared_dir(test)?.join("data").join(name);
    if path.is_file() {
        Some(path)
    } else {
        missing(test, &format!("{} is absent", path.display()));
        None
    }
}

/// The path of a fixture under `tests/fixtures/` (at the top of the repository).
pub fn fixture(rel: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(rel)
}

/// `n` ACLED-style events read from CSV made here: actors (some with associated actors),
/// places, coordinates (some missing), deaths, sources and notes with quotes, all varied.
pub fn many_events(n: u32) -> faultline_core::store::Store {
    let mut text = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,actor2,country,admin1,location,latitude,longitude,source,notes,fatalities\n".to_string();
    for i in 0..n {
        let associated = match i % 4 {
            0 => "Militia A; Militia B",
            1 => "Militia C",
            _ => "",
        };
        let (lat, lon) = if i % 13 == 0 {
            (String::new(), String::new())
        } else {
            (
                format!("{}", 12.0 + f64::from(i % 50) / 10.0),
                format!("{}", 24.0 + f64::from(i % 40) / 10.0),
            )
        };
        text += &format!(
            "E{i},2024-{:02}-{:02},2024,{},Battles,Armed clash,Army {},{associated},Rebels {},Sudan,Darfur,Town {},{lat},{lon},Radio {},\"Clash {i}, \"\"quoted\"\"\",{}\n",
            1 + i % 12,
            1 + i % 28,
            1 + i % 3,
            i % 7,
            i % 11,
            i % 97,
            i % 5,
            i % 5
        );
    }
    faultline_core::io::open_bytes(
        text.as_bytes(),
        std::path::Path::new("many.csv"),
        &faultline_core::io::OpenOptions::default(),
    )
    .expect("the made-up events read")
    .store
}
