#!/bin/sh
# The runtime's `serde_struct!` (what generated payload structs use instead
# of serde's derives) against the derives, at run time: serde_json decode
# and encode of one 30-field object, in a release build of a crate outside
# the workspace (target/onex-bench/serde-struct). Prints ns per call.
# Usage (from the repository root): ROUNDS=300000 tools/bench/serde-struct.sh
set -eu
repo=$(pwd)
w="$repo/target/onex-bench/serde-struct"
mkdir -p "$w/src"
cp "$repo/tools/bench/serde-struct.rs" "$w/src/main.rs"
cp "$repo/Cargo.lock" "$w/"
cat >"$w/Cargo.toml" <<TOML
[package]
name = "serde-struct-bench"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
onex = { path = "$repo/runtime", default-features = false }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
TOML
cd "$w"
env -u CARGO_TARGET_DIR cargo build --release --quiet
"$w/target/release/serde-struct-bench" "${ROUNDS:-300000}"
