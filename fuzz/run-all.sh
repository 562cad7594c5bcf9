#!/bin/sh
# Run every fuzz target in turn, one process each (-jobs=1), for SECS
# seconds each (default 300); logs in fuzz/logs/<target>.log. Seed first
# with fuzz/seed.sh. Needs nightly and cargo-fuzz.
set -u
cd "$(dirname "$0")"
secs=${1:-300}
mkdir -p logs
for t in ${TARGETS:-settings topic node json_schema proto avro}; do
    cargo +nightly fuzz run -O --debug-assertions "$t" -- \
        -jobs=1 -max_total_time="$secs" -rss_limit_mb=4096 -timeout=20 \
        -print_final_stats=1 > "logs/$t.log" 2>&1
    rc=$?
    # With -jobs=1 libFuzzer's worker writes fuzz-0.log; keep it per target.
    [ -f fuzz-0.log ] && mv fuzz-0.log "logs/$t.worker.log"
    echo "$t: exit $rc $(grep -a -h -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "logs/$t.log" "logs/$t.worker.log" 2>/dev/null | tr '\n' ' ')"
done
