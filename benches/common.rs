//! What the benchmarks share: the generated 1M-row file and a store loaded from it.

use std::path::PathBuf;

/// The generated ACLED file: `FAULTLINE_BENCH_CSV`, or `/tmp/acled_1m.csv`. `None` (with a
/// line saying how to make it) when it does not exist.
pub fn bench_csv() -> Option<PathBuf> {
    let path = std::env::var_os("FAULTLINE_BENCH_CSV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/acled_1m.csv"));
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "SKIP: {} is missing; make it with\n  cargo run --release --example gen_acled -- --rows 1000000 --out {}",
            path.display(),
            path.display()
        );
        None
    }
}
