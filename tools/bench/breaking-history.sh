#!/bin/sh
# What `_TRANSITIVE` modes cost in `onex breaking --against REF`: a
# synthetic catalog of N topics (every topic FULL_TRANSITIVE) in a fresh git
# repository with K further commits, each editing one topic.yaml; then
# `breaking` against HEAD with no history, against HEAD~K with only the ref
# (K later commits) and against HEAD with all K earlier versions. Prints
# wall/user/system seconds and peak memory of each run (GNU time).
# Usage: ONEX=target/release/onex N=1000 K=20 tools/bench/breaking-history.sh
set -eu
N=${N:-1000}
K=${K:-20}
onex=$(realpath "${ONEX:-target/release/onex}")
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
"$onex" synth --topics "$N" --seed 1 --out cat >/dev/null
find cat -name topic.yaml -exec sed -i 's/compatibility: [A-Z_]*/compatibility: FULL_TRANSITIVE/' {} +
commit() { git -c user.email=bench@onex -c user.name=bench commit -q "$@"; }
git init -q
git add -A
commit -m base
for i in $(seq 1 "$K"); do
    f=$(find cat -name topic.yaml | sort | sed -n "${i}p")
    echo "# edit $i" >>"$f"
    commit -am "edit $i"
done
for args in "HEAD --history-limit 0" "HEAD~$K --history-limit 0" "HEAD"; do
    # shellcheck disable=SC2086 # word splitting wanted
    /usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB peak: --against $args" \
        "$onex" --root cat breaking --against $args >/dev/null 2>"$d/err" || true
    tail -n 1 "$d/err"
done
