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

/// `../shared` beside the checkout, where the real third-party files and the seed article
/// live. `None` (after printing a skip line) when it is absent.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "SKIP {test}: ../shared is absent (it holds the seed article and real data files)"
        );
        None
    }
}

/// A file of `../shared/data/`, or `None` with a skip line when it is absent.
pub fn shared_data(test: &str, name: &str) -> Option<PathBuf> {
    let path = shared_dir(test)?.join("data").join(name);
    if path.is_file() {
        Some(path)
    } else {
        println!("SKIP {test}: {} is absent", path.display());
        None
    }
}

/// The path of a fixture under `tests/fixtures/` (at the top of the repository).
pub fn fixture(rel: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(rel)
}
