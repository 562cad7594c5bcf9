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

/// Builds a crate named `name` outside the workspace whose `lib.rs`
/// includes `generated`, with clippy `pedantic` and `nursery` on and every
/// warning an error; panics with cargo's output if it fails.
fn check_crate(name: &str, generated: &Path) {
    let ws = workspace();
    // Under target/ so that the runtime's dependencies stay built between
    // runs (one target directory for every such crate); a target directory
    // of its own, since this test runs while cargo may hold the workspace's.
    let base = ws.join("target/consumer-crate");
    let dir = base.join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let runtime = ws.join("runtime");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "{name}"
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
    std::fs::write(
        dir.join("src/lib.rs"),
        format!(
            "//! A consuming crate.\n#![warn(missing_docs)]\ninclude!({:?});\n",
            generated.display().to_string()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--", "-W", "clippy::pedantic"])
        .args(["-W", "clippy::nursery", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", base.join("target"))
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

#[test]
fn generated_code_builds_without_serde_and_is_clean_under_pedantic_and_nursery() {
    check_crate("consumer", &workspace().join("tests/golden/onex.rs"));
}

/// A selection (`Builder::node`, `Builder::topics`) generates code that
/// builds on its own: the node's topics and the retry and dead-letter
/// topics a selected topic links to are all there.
#[test]
fn a_selected_part_of_the_catalog_builds_on_its_own() {
    let ws = workspace();
    let generated = onex_codegen::Builder::new(ws.join("contracts"))
        .node("registry-effect")
        .topics("validator/evt/test-run-completed/v1")
        .generate()
        .unwrap();
    let file = ws.join("target/consumer-crate/selected-onex.rs");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &generated.rust).unwrap();
    check_crate("selected", &file);
}
