//! The least work any load of an ACLED CSV export into an interned store must do, timed: the
//! file (already read into memory, not timed) cut in two at a record's end, and each half read
//! on its own core by the loader's record reader (`PieceRecords`), each coded cell of a record
//! (23 in a current export) interned and its id kept, and the notes kept. Nothing else: no
//! date, number or id checked, no actor split, no join of the halves (each keeps its own table
//! of texts). Issue 17 sets a target for `faultline summary FILE` against polars' `read_csv`;
//! BENCHMARKS.md compares this floor with that target in one sitting.
//!
//!     cargo run --release -p faultline-core --example csv_floor -- /tmp/acled_1m.csv

use std::process::ExitCode;
use std::time::Instant;

use faultline_core::io::csv_records::PieceRecords;
use faultline_core::store::{Interner, PackedText};

/// The columns of an ACLED export not counted as coded: every other one is (23 in a current
/// export, the actors and the attributes among them). The loader interns the timestamp too.
const NOT_CODED: [&str; 8] = [
    "event_id_cnty",
    "event_date",
    "year",
    "latitude",
    "longitude",
    "notes",
    "fatalities",
    "timestamp",
];

/// What one core keeps of its half.
struct Half {
    rows: usize,
    ids: Vec<Vec<u32>>,
    notes: PackedText,
    texts: Interner,
}

fn read_half(bytes: &[u8], coded: &[usize], notes: usize) -> Half {
    let mut half = Half {
        rows: 0,
        ids: vec![Vec::new(); coded.len()],
        notes: PackedText::default(),
        texts: Interner::default(),
    };
    let mut records = PieceRecords::new(bytes, b',');
    while let Some(read) = records.read_next() {
        if read.is_err() {
            continue;
        }
        for (ids, &column) in half.ids.iter_mut().zip(coded) {
            ids.push(half.texts.intern(records.get(column).unwrap_or("")));
        }
        half.notes.push(records.get(notes).unwrap_or(""));
        half.rows += 1;
    }
    half
}

/// Where the record holding byte `at` ends (past its newline), quotes counted from the start.
fn record_end_after(bytes: &[u8], at: usize) -> usize {
    let mut quoted = bytes[..at].iter().filter(|&&b| b == b'"').count() % 2 == 1;
    for (k, &b) in bytes[at..].iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return at + k + 1,
            _ => {}
        }
    }
    bytes.len()
}

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: csv_floor FILE.csv");
        return ExitCode::FAILURE;
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("error: {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    let header_end = record_end_after(&bytes, 0);
    let header: Vec<&str> = std::str::from_utf8(&bytes[..header_end])
        .unwrap_or("")
        .trim_end()
        .split(',')
        .collect();
    let Some(notes) = header.iter().position(|h| *h == "notes") else {
        eprintln!("error: not an ACLED export (no notes column)");
        return ExitCode::FAILURE;
    };
    let coded: Vec<usize> = (0..header.len())
        .filter(|&k| !NOT_CODED.contains(&header[k]))
        .collect();
    let started = Instant::now();
    let body = &bytes[header_end..];
    let middle = record_end_after(body, body.len() / 2);
    let (first, second) = body.split_at(middle);
    let halves = std::thread::scope(|scope| {
        let other = scope.spawn(|| read_half(second, &coded, notes));
        let mine = read_half(first, &coded, notes);
        [mine, other.join().expect("the second half read")]
    });
    let seconds = started.elapsed().as_secs_f64();
    let rows: usize = halves.iter().map(|h| h.rows).sum();
    let texts: usize = halves.iter().map(|h| h.texts.len()).sum();
    let notes: usize = halves.iter().map(|h| h.notes.text_bytes()).sum();
    println!(
        "csv floor: {rows} records, {} coded cells interned ({texts} distinct texts in the two \
         tables), {notes} bytes of notes kept, in {seconds:.2} s",
        rows * coded.len()
    );
    // The process ends without freeing what it read, as `faultline summary` does.
    std::mem::forget(halves);
    std::mem::forget(bytes);
    ExitCode::SUCCESS
}
