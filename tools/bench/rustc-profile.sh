#!/bin/sh
# Where rustc spends its time in the crate at DIR, by query and by item
# (self time): one `cargo +nightly rustc` of it with `-Z self-profile`,
# read by tools/bench/rustc-profile.rs (the `analyzeme` crate) built in a
# crate outside the workspace (target/onex-bench/rustc-profile). Needs a
# nightly toolchain; the trace takes GBs at 1,000 topics.
# Usage (from the repository root), e.g. on the crate the `compile` stage
# writes (ITEMS: how many items to list, default 40):
#   tools/bench/rustc-profile.sh target/onex-bench/synth-100-seed1-crate
set -eu
repo=$(pwd)
crate=$(cd "$1" && pwd)
w="$repo/target/onex-bench/rustc-profile"
mkdir -p "$w/src"
cp "$repo/tools/bench/rustc-profile.rs" "$w/src/main.rs"
cat >"$w/Cargo.toml" <<TOML
[package]
name = "rustc-profile"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
analyzeme = "12.0.3"

[workspace]
TOML
(cd "$w" && env -u CARGO_TARGET_DIR cargo build --release --quiet)
trace="$w/trace"
rm -rf "$trace" && mkdir -p "$trace"
cd "$crate"
env -u CARGO_TARGET_DIR CARGO_INCREMENTAL=0 cargo +nightly build --quiet
touch src/lib.rs
env -u CARGO_TARGET_DIR CARGO_INCREMENTAL=0 cargo +nightly rustc --quiet -- \
  -Z self-profile="$trace" -Z self-profile-events=default,args
"$w/target/release/rustc-profile" "$(ls "$trace"/*.mm_profdata | sed 's/\.mm_profdata$//')" "${ITEMS:-40}"
