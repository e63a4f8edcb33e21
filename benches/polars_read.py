"""Reads a file with polars, as the comparisons in BENCHMARKS.md: a CSV file (every column
as a string, what Faultline's importer also starts from), or a Parquet file or a folder of
Parquet shards.

    python3 -m venv /tmp/polars-venv && /tmp/polars-venv/bin/pip install polars
    POLARS_MAX_THREADS=2 /tmp/polars-venv/bin/python benches/polars_read.py /tmp/acled_1m.csv
    POLARS_MAX_THREADS=2 /tmp/polars-venv/bin/python benches/polars_read.py /tmp/shards_10m

Prints the first of three reads in the process (what a fresh process pays, like a fresh
`faultline`: `cargo run --release --example open_times -- PATH` prints Faultline's the same
way), the best of the two after it (polars' allocator keeps the memory of the read before,
so these skip the operating system's first touches of it), and the peak resident memory.
"""
import os
import resource
import sys
import time

import polars as pl

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/acled_1m.csv"
if os.path.isdir(path):
    how, read = "read_parquet", lambda: pl.read_parquet(os.path.join(path, "*.parquet"))
elif path.endswith(".parquet"):
    how, read = "read_parquet", lambda: pl.read_parquet(path)
else:
    how, read = "read_csv", lambda: pl.read_csv(path, infer_schema=False)
times = []
for _ in range(3):
    t = time.perf_counter()
    df = read()
    times.append(time.perf_counter() - t)
    rows = df.height
    del df
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"polars {pl.__version__} {how}: {rows} rows, first read {times[0]:.2f} s, "
      f"best of the two after {min(times[1:]):.2f} s, {pl.thread_pool_size()} threads, "
      f"peak RSS {peak_mb:.0f} MB")
