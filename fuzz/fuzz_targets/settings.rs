//! Fuzz target: the fuzzer's bytes as `onex.yaml` (see `onex_fuzz::run`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| onex_fuzz::run(onex_fuzz::Target::Settings, data));
