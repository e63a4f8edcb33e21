//! Replays the fuzzers' regression corpus: every input that once crashed a reader (kept in
//! `tests/fuzz_regressions/<target>/`), and every hostile fixture, goes through the same
//! entry points the fuzz targets drive (`faultline_core::robustness`), which check that nothing
//! panics and that errors say where.

use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 14] = [
    ("detect", faultline_core::robustness::detect),
    ("acled", faultline_core::robustness::acled),
    ("csv_pieces", faultline_core::robustness::csv_pieces),
    ("ucdp_csv", faultline_core::robustness::ucdp_csv),
    ("ucdp_json", faultline_core::robustness::ucdp_json),
    ("gdelt", faultline_core::robustness::gdelt),
    ("native", faultline_core::robustness::native),
    ("date_cell", faultline_core::robustness::date_cell),
    ("workbook", faultline_core::robustness::workbook),
    ("xlsx_sheet", faultline_core::robustness::xlsx_sheet),
    ("table", faultline_core::robustness::table),
    ("acled_json", faultline_core::robustness::acled_json),
    ("parquet", faultline_core::robustness::parquet),
    ("arrow_ipc", faultline_core::robustness::arrow_ipc),
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

/// Panics anywhere in this test binary so far, even those a reader caught (a reader catches
/// a third-party parser's panic and reports a bad file, but the fuzzer, like this count, sees
/// every panic: a caught panic is still a crash to fix).
fn panics_so_far() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
    PANICS.load(Ordering::SeqCst)
}

#[test]
fn every_saved_crash_input_now_reads_without_panicking() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut replayed = 0;
    for (name, target) in TARGETS {
        for file in files_in(&root.join(name)) {
            let data = std::fs::read(&file).unwrap();
            let before = panics_so_far();
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name}: {} still fails", file.display());
            assert_eq!(
                panics_so_far(),
                before,
                "{name}: {} panics inside a reader (caught, but a crash to the fuzzer)",
                file.display()
            );
            replayed += 1;
        }
    }
    println!("replayed {replayed} saved inputs");
}

#[test]
fn every_folder_of_saved_inputs_is_a_target_and_every_target_has_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let known: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                known.contains(&name.as_str()),
                "{}: no fuzz target is called {name:?} (targets: {known:?})",
                path.display()
            );
        }
    }
    // The fuzz crate's targets are these, no more, no fewer.
    let manifest = std::fs::read_to_string(root.join("../../../fuzz/Cargo.toml")).unwrap();
    let mut in_fuzz: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|n| *n != "faultline-fuzz")
        .collect();
    in_fuzz.sort_unstable();
    let mut ours = known.clone();
    ours.sort_unstable();
    assert_eq!(
        in_fuzz, ours,
        "fuzz/Cargo.toml and this test name the same targets"
    );
    for name in known {
        let saved = files_in(&root.join(name)).len();
        assert!(
            saved >= 1,
            "{name}: no saved input in {}",
            root.join(name).display()
        );
    }
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
            let before = panics_so_far();
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name} on {}", file.display());
            assert_eq!(
                panics_so_far(),
                before,
                "{name} panics inside on {}",
                file.display()
            );
        }
    }
}

#[test]
fn the_fuzzers_workbook_is_one_excel_reads() {
    // The xlsx_sheet target wraps its input in this workbook: were the wrapping wrong, the
    // fuzzer would only ever meet the same refusal.
    let sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>event_date</t></is></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>actor1</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>2024-10-01</t></is></c><c r="B2" t="inlineStr"><is><t>Battles</t></is></c><c r="C2" t="inlineStr"><is><t>IDF</t></is></c></row></sheetData></worksheet>"#;
    let strings = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>event_type</t></si></sst>"#;
    let book = faultline_core::robustness::xlsx_around(sheet, Some(strings));
    let opened = faultline_core::io::open_bytes(
        &book,
        Path::new("skeleton.xlsx"),
        &faultline_core::io::OpenOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened.store.len(), 1);
    assert_eq!(opened.store.row(0).event_type(), "Battles");
}
