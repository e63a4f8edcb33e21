//! The decoding alone of a load of Faultline's own Parquet table, timed: the columns the load
//! reads, of the types and in the batches it reads them (`own_table_decoder`), decoded by the
//! `parquet` crate on two threads (a folder's shards, or one file's row groups, shared out in
//! turn) and kept in memory as Arrow arrays. Nothing else: no event checked, no id indexed,
//! nothing put into the store. A load cannot take less time than this on the same cores;
//! BENCHMARKS.md compares it with issue 17's targets, Faultline's load and polars in one
//! sitting.
//!
//!     cargo run --release -p faultline-core --example parquet_floor -- /tmp/acled_1m.parquet

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use arrow_array::RecordBatch;
use faultline_core::io::parquet::own_table_decoder;

/// Threads decoding, as many as the machines the targets are for have cores.
const THREADS: usize = 2;

/// The shards of `path`: its `.parquet` files in name order, or the file itself.
fn shards(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path)? {
        let file = entry?.path();
        if file.extension().is_some_and(|e| e == "parquet") {
            files.push(file);
        }
    }
    files.sort();
    Ok(files)
}

/// Decodes thread `k`'s share: every `THREADS`th shard from the `k`th, or of one shard
/// every `THREADS`th row group.
fn decode_share(shards: &[PathBuf], k: usize) -> Result<Vec<RecordBatch>, String> {
    let one_file = shards.len() == 1;
    let mine = shards
        .iter()
        .skip(if one_file { 0 } else { k })
        .step_by(if one_file { 1 } else { THREADS });
    let mut kept = Vec::new();
    for shard in mine {
        let file = std::fs::File::open(shard).map_err(|e| format!("{}: {e}", shard.display()))?;
        let mut decoder =
            own_table_decoder(file).map_err(|e| format!("{}: {e}", shard.display()))?;
        if one_file {
            let groups = decoder.metadata().num_row_groups();
            decoder = decoder.with_row_groups((k..groups).step_by(THREADS).collect());
        }
        let batches = decoder.build().map_err(|e| e.to_string())?;
        for batch in batches {
            kept.push(batch.map_err(|e| format!("{}: {e}", shard.display()))?);
        }
    }
    Ok(kept)
}

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: parquet_floor FILE.parquet|FOLDER");
        return ExitCode::FAILURE;
    };
    let shards = match shards(&path) {
        Ok(shards) if !shards.is_empty() => shards,
        Ok(_) => {
            eprintln!("error: {}: no .parquet file in it", path.display());
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let decoded: Vec<_> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..THREADS)
            .map(|k| {
                let shards = &shards;
                scope.spawn(move || decode_share(shards, k))
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|_| Err("a thread panicked".into())))
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let mut rows = 0;
    for share in &decoded {
        match share {
            Ok(batches) => rows += batches.iter().map(RecordBatch::num_rows).sum::<usize>(),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!(
        "parquet floor: {rows} rows of {} shard(s) decoded on {THREADS} threads in {seconds:.2} s",
        shards.len()
    );
    // The process ends without freeing what it decoded, as `faultline summary` does.
    std::mem::forget(decoded);
    ExitCode::SUCCESS
}
