#!/bin/sh
# Fuzz every target in turn, one libFuzzer process at a time, at nice 19,
# until each has RUNS executions (default 1,000,000), in chunks of at most
# CHUNK seconds (default 600) that resume from the saved corpus
# (fuzz/corpus/<target>/; seed it first with fuzz/seed.sh). Logs:
# fuzz/logs/<target>.<chunk>.log; a summary line per chunk and per target
# goes to stdout and fuzz/logs/summary.txt. Crashes, timeouts and OOMs are
# written to fuzz/artifacts/<target>/ and stop that target.
# Needs nightly and cargo-fuzz. TARGETS="topic node" limits the targets.
# Built once (-O --debug-assertions, no sanitizer: the workspace forbids
# `unsafe`, and panics, hangs and memory blow-ups need none); the binaries
# then run without cargo. Each chunk's user+sys CPU seconds are logged too
# (the machine is shared, so wall-clock exec/s understate the harness).
set -u
cd "$(dirname "$0")"
nice -n 19 cargo +nightly fuzz build -O --debug-assertions -s none || exit 1
bin=target/x86_64-unknown-linux-gnu/release
runs=${RUNS:-1000000}
chunk=${CHUNK:-600}
mkdir -p logs
stat() { # name, log
    grep -a -h "^stat::$1:" "$2" | tail -n 1 | awk '{print $2}'
}
for t in ${TARGETS:-settings topic node json_schema proto avro}; do
    done_runs=0 secs=0 new=0 rss=0 n=0 rc=0 cpu_total=0
    while [ "$done_runs" -lt "$runs" ]; do
        n=$((n + 1))
        log="logs/$t.$n.log"
        start=$(date +%s)
        mkdir -p "corpus/$t" "artifacts/$t"
        /usr/bin/time -f 'cpu_seconds: %U %S' nice -n 19 "$bin/$t" "corpus/$t" \
            -artifact_prefix="artifacts/$t/" -runs=$((runs - done_runs)) \
            -max_total_time="$chunk" -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 > "$log" 2>&1
        rc=$?
        secs=$((secs + $(date +%s) - start))
        x=$(stat number_of_executed_units "$log")
        u=$(stat new_units_added "$log")
        r=$(stat peak_rss_mb "$log")
        done_runs=$((done_runs + ${x:-0}))
        new=$((new + ${u:-0}))
        [ "${r:-0}" -gt "$rss" ] && rss=$r
        cpu=$(grep -a '^cpu_seconds:' "$log" | awk '{print $2 + $3}')
        cpu_total=$(echo "$cpu_total ${cpu:-0}" | awk '{print $1 + $2}')
        echo "$t chunk $n: exit $rc, ${x:-0} runs at $(stat average_exec_per_sec "$log")/s wall, $cpu CPU s, ${u:-0} new units, peak RSS ${r:-?} MB" | tee -a logs/summary.txt
        # A crash, a build failure or a chunk that ran nothing ends the target.
        [ "$rc" -ne 0 ] || [ "${x:-0}" -eq 0 ] && break
    done
    echo "$t total: exit $rc, $done_runs runs in $secs s ($((done_runs / (secs > 0 ? secs : 1)))/s incl. start-up; $cpu_total CPU s, $(echo "$done_runs $cpu_total" | awk '{printf "%d", ($2 > 0 ? $1 / $2 : 0)}')/CPU s), $new new units, peak RSS $rss MB, corpus $(ls "corpus/$t" | wc -l)" | tee -a logs/summary.txt
done
