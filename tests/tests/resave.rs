//! Every sample of a synthetic catalog (`onex synth`: JSON Schema with
//! optional arrays, maps and nullable fields, Protobuf with enums and nested
//! messages, Avro) decodes into its generated payload type and re-serialises
//! to the JSON value it was read from: absent, `null`, `[]` and `{}` kept
//! apart; a Protobuf sample may only lose fields at their proto3 default,
//! which Protobuf's JSON mapping leaves out. The program is
//! `tools/bench/generated-crate.rs`, built in a crate outside the workspace
//! (as `tools/bench/generated-crate.sh` does at larger sizes).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use onex_cli::synth::{SynthOptions, synth};

#[test]
fn every_synthetic_sample_re_serialises_unchanged() {
    let ws = onex_tests::repo();
    // Beside the other consuming crates, sharing their target directory.
    let dir = onex_tests::consumer_crate("resave", &["protobuf", "avro"], "serde_json = \"1\"\n");
    let _ = std::fs::remove_dir_all(dir.join("catalog"));
    let _ = std::fs::remove_dir_all(dir.join("src/gen"));
    let catalog = dir.join("catalog");
    let topics = 60;
    for (rel, text) in synth(SynthOptions {
        topics,
        nodes: topics / 8,
        seed: 5,
    }) {
        let p = catalog.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let generated = onex_codegen::Builder::new(&catalog).generate().unwrap();
    std::fs::create_dir_all(dir.join("src/gen")).unwrap();
    std::fs::write(dir.join("src/gen/onex.rs"), &generated.rust).unwrap();
    std::fs::write(
        dir.join("src/gen/hand.rs"),
        "fn hand(_: &str) -> Option<usize> { None }\n",
    )
    .unwrap();
    std::fs::copy(
        ws.join("tools/bench/generated-crate.rs"),
        dir.join("src/main.rs"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--"])
        .arg(&catalog)
        .arg("0")
        .env("CARGO_TARGET_DIR", onex_tests::consumer_target())
        .env_remove("RUSTFLAGS")
        .current_dir(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with(&format!(
            "{topics} samples: 0 come back changed, 0 do not decode"
        )),
        "{stdout}"
    );
}
