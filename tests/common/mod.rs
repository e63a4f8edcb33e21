//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` beside the checkout, where the real third-party files and the seed article
/// live. `None` (after printing a skip line) when it is absent.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
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

/// The path of a fixture under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Runs the `faultline` binary with arguments; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_faultline"))
        .args(args)
        .output()
        .expect("the faultline binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A file dropped on the app's window.
#[cfg(feature = "gui")]
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

#[cfg(feature = "gui")]
impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}
