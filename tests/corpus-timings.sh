#!/bin/sh
# Times the release CLI on every case of tests/corpus (the hostile inputs
# included): `onex check` and `onex lint` (human output, as a user sees it)
# and `onex check --format json`. Prints one line per case, slowest last.
# Usage: tests/corpus-timings.sh [OUT_DIR]   (from the repository root)
set -eu
out=${1:-/tmp/onex-corpus}
rm -rf "$out" && mkdir -p "$out"
export CARGO_INCREMENTAL=0
cargo build --release -q -p onex-cli
ONEX_CORPUS_OUT="$out" cargo test -q -p onex-tests --test corpus -- --ignored write_cases_to_disk >/dev/null
onex=${CARGO_TARGET_DIR:-$(pwd)/target}/release/onex
secs() { # command...: wall seconds, with exit code
    s=$(date +%s.%N)
    timeout 60 "$@" >/dev/null 2>&1 && rc=0 || rc=$?
    e=$(date +%s.%N)
    printf '%.3f(%s)' "$(echo "$e - $s" | bc)" "$rc"
}
printf '%-32s %-12s %-12s %-12s\n' case check check-json lint
for d in "$out"/*/; do
    name=$(basename "$d")
    root=$d
    [ -f "$d/ROOT" ] && root=$d/$(cat "$d/ROOT")
    printf '%-32s %-12s %-12s %-12s\n' "$name" \
        "$(secs "$onex" check --root "$root")" \
        "$(secs "$onex" check --format json --root "$root")" \
        "$(secs "$onex" lint --root "$root")"
done
