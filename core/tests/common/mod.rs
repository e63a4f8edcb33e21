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
