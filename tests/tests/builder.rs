//! `Builder::generate` is documented as writing and printing nothing; only
//! `Builder::build` prints cargo instructions. The check runs in a child
//! process (this test binary, re-run with a filter) so that its stdout can
//! be read whole.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use onex_tests::contracts;

const CHILD: &str = "ONEX_TEST_BUILDER_CHILD";

#[test]
fn generate_prints_nothing() {
    if std::env::var_os(CHILD).is_some() {
        let g = onex_codegen::Builder::new(contracts()).generate().unwrap();
        assert!(g.rust.contains("EnumOnexTopic"));
        let t = onex_codegen::Builder::new(contracts())
            .generate_tokens()
            .unwrap();
        assert!(!t.tokens.is_empty());
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["generate_prints_nothing", "--exact", "--nocapture"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains("cargo:"),
        "generate printed cargo instructions:\n{stdout}"
    );
}

#[test]
fn from_catalog_generates_the_same_code() {
    let catalog = onex_codegen::load(&contracts()).catalog.unwrap();
    let a = onex_codegen::Builder::from_catalog(contracts(), catalog)
        .generate()
        .unwrap();
    let b = onex_codegen::Builder::new(contracts()).generate().unwrap();
    assert_eq!(a, b);
}

#[test]
fn no_debug_file_is_written_from_the_environment() {
    // `emit::generate` used to write the token stream to the path in
    // `ONEX_DEBUG_TOKENS` (from inside rustc, for `include_contracts!`).
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("tokens.txt");
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["generate_prints_nothing", "--exact"])
        .env(CHILD, "1")
        .env("ONEX_DEBUG_TOKENS", &target)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!target.exists(), "a debug file was written");
}
