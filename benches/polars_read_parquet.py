"""Reads a Parquet file or a folder of shards with polars, as the comparison in
BENCHMARKS.md: the best of three wall-clock times and the peak resident memory.

    POLARS_MAX_THREADS=2 /tmp/polars-venv/bin/python benches/polars_read_parquet.py /tmp/shards_10m
"""
import os
import resource
import sys
import time

import polars as pl

path = sys.argv[1]
source = os.path.join(path, "*.parquet") if os.path.isdir(path) else path
best = None
for _ in range(3):
    t = time.perf_counter()
    df = pl.read_parquet(source)
    elapsed = time.perf_counter() - t
    best = elapsed if best is None else min(best, elapsed)
    rows = df.height
    del df
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"polars {pl.__version__} read_parquet: {rows} rows in {best:.2f} s (best of 3), "
      f"{pl.thread_pool_size()} threads, peak RSS {peak_mb:.0f} MB")
