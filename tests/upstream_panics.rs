//! Files that make a third-party parser panic (`tests/fixtures/upstream_panics/`): the panic
//! is caught, and the file is refused like any bad file — what the parser said, no panic
//! message, no crash report — by the CLI and by the library.

mod common;

use std::path::Path;

use faultline_core::io::{open, OpenOptions};

/// Each file, and what the parser said of it.
const PANICKING: [(&str, &str); 2] = [
    (
        "parquet_definition_levels_past_their_data.parquet",
        "offset + len out of bounds",
    ),
    (
        "parquet_dictionary_page_the_footer_forgets.parquet",
        "Decoder for dict should have been set",
    ),
];

#[test]
fn a_parquet_file_that_panics_the_parquet_crate_is_refused_without_a_crash_report() {
    for (name, said) in PANICKING {
        let path = common::repo_root()
            .join("tests/fixtures/upstream_panics")
            .join(name);
        let reports = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_faultline"))
            .args(["summary", path.to_str().unwrap()])
            .env("XDG_STATE_HOME", reports.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(out.stdout.is_empty());
        assert!(
            stderr.starts_with("error:")
                && stderr.contains(name)
                && stderr.contains(&format!(
                    "cannot read this Parquet file: the Parquet reader failed on it ({said})"
                )),
            "{stderr}"
        );
        for noise in ["panicked", "RUST_BACKTRACE", "crash report"] {
            assert!(!stderr.contains(noise), "{noise:?} in {stderr}");
        }
        let written = walk(reports.path());
        assert!(written.is_empty(), "crash reports: {written:?}");
        // The library refuses it the same way.
        let error = open(&path, &OpenOptions::default()).expect_err("refused");
        assert!(error.is_bad_input(), "{error}");
        assert!(
            error
                .to_string()
                .contains(&format!("the Parquet reader failed on it ({said})")),
            "{error}"
        );
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
