//! Opens a file or a folder of Parquet shards several times in one process and prints how
//! long each open took: the first open is what a fresh `faultline` pays, the later ones what
//! the app pays to open a file again once it has run a while. `benches/polars_read.py` prints
//! polars' times the same way, so the two compare like with like (BENCHMARKS.md). The peak
//! resident memory follows on stderr.
//!
//!     cargo run --release --example open_times -- /tmp/acled_1m.parquet 3

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use faultline_core::io::{open, OpenOptions};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: open_times PATH [TIMES]");
        return ExitCode::FAILURE;
    };
    let times = match args.next().map(|t| t.to_string_lossy().parse::<usize>()) {
        None => 3,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("error: TIMES must be a whole number above 0");
            return ExitCode::FAILURE;
        }
    };
    let mut seconds = Vec::with_capacity(times);
    let mut events = 0;
    for _ in 0..times {
        let started = Instant::now();
        let opened = match open(&path, &OpenOptions::default()) {
            Ok(opened) => opened,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        seconds.push(started.elapsed().as_secs_f64());
        events = opened.store.len();
        // Freed outside the timing, as polars' frame is in its script.
        drop(opened);
    }
    let later: Vec<String> = seconds[1..].iter().map(|s| format!("{s:.2}")).collect();
    println!(
        "faultline open: {events} events, first {:.2} s, then {} s",
        seconds[0],
        if later.is_empty() {
            "-".to_string()
        } else {
            later.join(" ")
        },
    );
    faultline::cli::report_peak_memory();
    ExitCode::SUCCESS
}
