//! The generated code in a user's crate, built by cargo as a user would:
//! a crate outside this workspace that depends on the runtime alone (no
//! `serde`, no `serde_json`: generated code reaches them through
//! `onex::__private`) and includes the golden output, checked with clippy's
//! `pedantic` and `nursery` groups on and every warning an error. A lint
//! that comes back in generated code, or a path that needs a dependency the
//! user did not add, fails this test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

#[test]
fn generated_code_builds_without_serde_and_is_clean_under_pedantic_and_nursery() {
    let ws = workspace();
    // Under target/ so that the runtime's dependencies stay built between
    // runs; a target directory of its own, since this test runs while
    // cargo may hold the workspace's.
    let dir = ws.join("target/consumer-crate");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let runtime = ws.join("runtime");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
onex = {{ path = {runtime:?}, default-features = false, features = ["protobuf", "avro"] }}

[workspace]
"#,
            runtime = runtime.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let golden = ws.join("tests/golden/onex.rs");
    std::fs::write(
        dir.join("src/lib.rs"),
        format!(
            "//! A consuming crate.\n#![warn(missing_docs)]\ninclude!({:?});\n",
            golden.display().to_string()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--", "-W", "clippy::pedantic"])
        .args(["-W", "clippy::nursery", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .current_dir(&dir)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the generated code does not build cleanly in a crate without serde:\n{log}"
    );
}
