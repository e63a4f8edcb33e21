"""Reads the generated ACLED file with polars, as the comparison in BENCHMARKS.md.

    python3 -m venv /tmp/polars-venv && /tmp/polars-venv/bin/pip install polars
    POLARS_MAX_THREADS=2 /tmp/polars-venv/bin/python benches/polars_read.py /tmp/acled_1m.csv

All columns are read as strings (what Faultline's importer also starts from); prints the
best of three wall-clock times and the peak resident memory.
"""
import os
import resource
import sys
import time

import polars as pl

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/acled_1m.csv"
best = None
for _ in range(3):
    t = time.perf_counter()
    df = pl.read_csv(path, infer_schema=False)
    elapsed = time.perf_counter() - t
    best = elapsed if best is None else min(best, elapsed)
    rows = df.height
    del df
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"polars {pl.__version__} read_csv: {rows} rows in {best:.2f} s (best of 3), "
      f"{pl.thread_pool_size()} threads, peak RSS {peak_mb:.0f} MB, file {os.path.getsize(path)/1e6:.0f} MB")
