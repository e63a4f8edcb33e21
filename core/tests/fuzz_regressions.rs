//! Replays the fuzzers' regression corpus: every input that once crashed a reader (kept in
//! `tests/fuzz_regressions/<target>/`), and every hostile fixture, goes through the same
//! entry points the fuzz targets drive (`faultline_core::robustness`), which check that nothing
//! panics and that errors say where.

use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 7] = [
    ("detect", faultline_core::robustness::detect),
    ("acled", faultline_core::robustness::acled),
    ("ucdp_csv", faultline_core::robustness::ucdp_csv),
    ("ucdp_json", faultline_core::robustness::ucdp_json),
    ("gdelt", faultline_core::robustness::gdelt),
    ("native", faultline_core::robustness::native),
    ("date_cell", faultline_core::robustness::date_cell),
];

fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_saved_crash_input_now_reads_without_panicking() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut replayed = 0;
    for (name, target) in TARGETS {
        for file in files_in(&root.join(name)) {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name}: {} still fails", file.display());
            replayed += 1;
        }
    }
    println!("replayed {replayed} saved crash inputs");
}

#[test]
fn every_hostile_fixture_goes_through_every_reader() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let files: Vec<_> = files_in(&fixtures.join("bad"))
        .into_iter()
        .chain(files_in(&fixtures.join("native_bad")))
        .collect();
    assert!(files.len() > 80, "{} fixtures", files.len());
    for file in &files {
        let data = std::fs::read(file).unwrap();
        for (name, target) in TARGETS {
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name} on {}", file.display());
        }
    }
}
