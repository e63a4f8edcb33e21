//! The two readers of a piece of CSV agree on real exports: wherever a file is quoted the
//! plain way, `simd-csv` gives the csv crate's cells, and both give the lines an editor
//! shows. Random pieces are compared in the module's own tests.

mod common;

use faultline_core::io::csv_records::PieceRecords;

#[test]
fn real_exports_read_alike_by_simd_csv_and_the_csv_crate() {
    let test = "real_exports_read_alike_by_simd_csv_and_the_csv_crate";
    let Some(shared) = common::shared_dir(test) else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(shared.join("data"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "csv" || e == "tsv"))
        .collect();
    files.sort();
    let mut plain = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let delimiter = if path.extension().is_some_and(|e| e == "tsv") {
            b'\t'
        } else {
            b','
        };
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(fast) = PieceRecords::plain(&bytes, delimiter) else {
            eprintln!("{name}: not plainly quoted, read by the csv crate alone");
            continue;
        };
        let fast = fast.read_all();
        let careful = PieceRecords::odd(&bytes, delimiter).read_all();
        assert_eq!(fast.len(), careful.len(), "{name}");
        for (a, b) in fast.iter().zip(&careful) {
            assert_eq!(a, b, "{name}");
        }
        assert!(fast.len() > 1, "{name}: records were read");
        plain.push(name);
    }
    // Every ACLED export there is plainly quoted, whichever tool wrote it.
    let acled = files
        .iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("acled_")
        })
        .count();
    let plain_acled = plain.iter().filter(|n| n.starts_with("acled_")).count();
    assert_eq!(plain_acled, acled, "plain: {plain:?}");
    assert!(acled >= 5, "{acled} ACLED exports in {}", shared.display());
}
