#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 600) on one core, then prints a
# line per target: executions, time, and any crash saved under artifacts/<target>/.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Usage: fuzz/run-all.sh [SECONDS] [TARGET...]
set -u
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(detect acled ucdp_csv ucdp_json gdelt native date_cell workbook xlsx_sheet table acled_json parquet)
fi
mkdir -p logs
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=3072 -timeout=20 \
        -print_final_stats=1 >"logs/$t.log" 2>&1
    status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' | tail -1)
    took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "logs/$t.log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1)
    crashes=$(ls "artifacts/$t" 2>/dev/null | wc -l)
    echo "$t: status $status, ${runs:-?} executions in ${took:-?} s, $crashes artifact(s)"
done
