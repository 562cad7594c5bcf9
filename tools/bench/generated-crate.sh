#!/bin/sh
# What the generated code does at run time, on a synthetic catalog: a crate
# outside the workspace includes the code `onex gen` writes for
# `onex synth --topics N --seed 1` and
# 1. reads every `samples/*.json` of every topic, deserialises it into
#    `T::Payload` (serde) and serialises it back, and prints each sample
#    that does not decode or comes back as a different JSON value (absent,
#    null, [] and {} apart), then the totals;
# 2. times `EnumOnexTopic::from_str` against a hand-written `match` over the
#    same concrete names (`{env}` = dev, `{tenant}` = acme; every topic,
#    R rounds, `std::hint::black_box`), and prints ns per lookup and the ratio.
# Release build, timed (GNU time); the crate goes to
# target/onex-bench/generated-crate-N.
# Usage (from the repository root):
#   ONEX=target/release/onex N=100 R=2000 tools/bench/generated-crate.sh
set -eu
N=${N:-100}
repo=$(pwd)
onex=$(realpath "${ONEX:-target/release/onex}")
R=${R:-2000}
w="$repo/target/onex-bench/generated-crate-$N"
rm -rf "$w"
mkdir -p "$w/src"
"$onex" synth --topics "$N" --seed 1 --out "$w/catalog" >/dev/null
"$onex" --root "$w/catalog" gen --out "$w/src/gen" >/dev/null
# The hand-written match: every wire name, concrete, to its position.
{
  echo '/// Hand-written lookup: one `match` arm per concrete wire name.'
  echo '#[inline(never)]'
  echo 'fn hand(s: &str) -> Option<usize> {'
  echo '    match s {'
  grep -o 'const NAME: &'"'"'static str = "[^"]*\.v[0-9]*"' "$w/src/gen/onex.rs" |
    sed -e 's/.*= "//' -e 's/"$//' -e 's/{env}/dev/' -e 's/{tenant}/acme/' |
    awk '{ printf "        \"%s\" => Some(%d),\n", $0, NR - 1 }'
  echo '        _ => None,'
  echo '    }'
  echo '}'
} >"$w/src/gen/hand.rs"
cp "$repo/Cargo.lock" "$w/"
cat >"$w/Cargo.toml" <<TOML
[package]
name = "generated-crate"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
onex = { path = "$repo/runtime", default-features = false, features = ["protobuf", "avro"] }
serde_json = "1"

[workspace]
TOML
cp "$repo/tools/bench/generated-crate.rs" "$w/src/main.rs"
cd "$w"
/usr/bin/time -f "release build of the generated crate: %e s wall, %U s user, %S s system, %M KB peak" \
  cargo build --release --quiet
"target/release/generated-crate" "$w/catalog" "$R"
