"""Makes the sharded Parquet benchmark of BENCHMARKS.md: a Faultline table (one written by
`faultline convert`) repeated to ROWS rows, each copy's ids given a suffix so they stay
unique, written as SHARDS Parquet files (LZ4_RAW, as Faultline writes; row groups of
131,072 rows) with the original's metadata, so Faultline reads the folder as one dataset of
its own. CODEC (optional, default lz4) is any pyarrow codec: zstd gives the shards of the
benchmarks before 2026-12-01's fifth round.

    /tmp/polars-venv/bin/pip install polars pyarrow
    target/release/faultline convert /tmp/acled_1m.csv --out /tmp/acled_1m.parquet
    /tmp/polars-venv/bin/python benches/make_shards.py /tmp/acled_1m.parquet /tmp/shards_10m 10000000 8 [CODEC]
"""
import os
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

source, out, rows, shards = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
codec = sys.argv[5] if len(sys.argv) > 5 else "lz4"
table = pq.read_table(source)
metadata = pq.read_metadata(source).metadata
os.makedirs(out, exist_ok=True)
per_shard = -(-rows // shards)
made = 0
copy = 0
for k in range(shards):
    parts, have = [], 0
    want = min(per_shard, rows - made)
    while have < want:
        start = (made + have) % table.num_rows
        take = min(want - have, table.num_rows - start)
        part = table.slice(start, take)
        copy = (made + have) // table.num_rows
        ids = pc.binary_join_element_wise(part.column("id"), pa.scalar(f"#{copy}"), "")
        parts.append(part.set_column(0, "id", ids))
        have += take
    shard = pa.concat_tables(parts)
    shard = shard.replace_schema_metadata(metadata)
    pq.write_table(shard, os.path.join(out, f"part-{k:02}.parquet"),
                   compression=codec, row_group_size=131072)
    made += want
    print(f"part-{k:02}.parquet: {shard.num_rows} rows")
