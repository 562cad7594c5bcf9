#!/bin/sh
# Seed each fuzz target's corpus (fuzz/corpus/<target>/, not checked in)
# from the fuzz base (the corpus's `_base` and fuzz/seeds/, files that load
# clean in the harness's catalog), the repository's contracts and the
# bad-input corpus.
set -eu
cd "$(dirname "$0")/.."
seed() { # target, find expression...
    t=$1; shift
    mkdir -p "fuzz/corpus/$t"
    find tests/corpus/_base "fuzz/seeds/$t" contracts tests/corpus generated-example docs -type f "$@" 2>/dev/null | while read -r f; do
        cp "$f" "fuzz/corpus/$t/$(echo "$f" | tr '/' '_')"
    done
}
seed settings -name onex.yaml
seed topic -name topic.yaml
seed node -name contract.yaml
seed json_schema -name '*.schema.json' -path '*v[0-9]*'
seed proto -name '*.proto'
seed avro -name '*.avsc'
for t in settings topic node json_schema proto avro; do
    echo "$t: $(ls "fuzz/corpus/$t" | wc -l) seeds"
done
