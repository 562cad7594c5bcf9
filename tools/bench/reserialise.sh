#!/bin/sh
# Does every sample of a synthetic catalog survive a round trip through its
# generated payload type? A crate outside the workspace includes the code
# `onex gen` writes for `onex synth --topics N --seed 1`, reads every
# `samples/*.json` of every topic, deserialises it into `T::Payload` (serde)
# and serialises it back, and prints each sample that does not decode or
# comes back as a different JSON value (absent, null, [] and {} apart), then
# the totals. Release build; the crate goes to target/onex-bench/reserialise-N.
# Usage (from the repository root): ONEX=target/release/onex N=100 tools/bench/reserialise.sh
set -eu
N=${N:-100}
repo=$(pwd)
onex=$(realpath "${ONEX:-target/release/onex}")
w="$repo/target/onex-bench/reserialise-$N"
rm -rf "$w"
mkdir -p "$w/src"
"$onex" synth --topics "$N" --seed 1 --out "$w/catalog" >/dev/null
"$onex" --root "$w/catalog" gen --out "$w/src/gen" >/dev/null
cp "$repo/Cargo.lock" "$w/"
cat >"$w/Cargo.toml" <<TOML
[package]
name = "reserialise"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
onex = { path = "$repo/runtime", default-features = false, features = ["protobuf", "avro"] }
serde_json = "1"

[workspace]
TOML
cat >"$w/src/main.rs" <<'RS'
//! Round-trips every sample of the catalog given as the first argument.
#![allow(warnings)]
include!("gen/onex.rs");
use onex::{Topic, TopicVisitor};

struct Check(std::path::PathBuf);

impl TopicVisitor for Check {
    type Output = (usize, usize, usize);
    fn visit<T: Topic>(self) -> (usize, usize, usize) {
        let class = format!("{:?}", T::CLASS).to_lowercase();
        let dir = self.0.join(T::CONTEXT).join(class).join(T::TOPIC);
        let dir = dir.join(format!("v{}", T::MAJOR)).join("samples");
        let (mut n, mut changed, mut failed) = (0, 0, 0);
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            n += 1;
            match serde_json::from_value::<T::Payload>(v.clone()) {
                Ok(p) => {
                    let back = serde_json::to_value(&p).unwrap_or_default();
                    if back != v {
                        changed += 1;
                        println!("CHANGED {}\n  in:  {v}\n  out: {back}", T::NAME);
                    }
                }
                Err(err) => {
                    failed += 1;
                    println!("DOES NOT DECODE {}: {err}", T::NAME);
                }
            }
        }
        (n, changed, failed)
    }
}

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_default());
    let (mut n, mut changed, mut failed) = (0, 0, 0);
    for t in EnumOnexTopic::ALL {
        let (a, b, c) = t.visit(Check(root.clone()));
        n += a;
        changed += b;
        failed += c;
    }
    println!("{n} samples: {changed} come back changed, {failed} do not decode");
}
RS
cd "$w" && cargo run --release --quiet -- "$w/catalog"
