//! Helpers shared by the workspace tests in `tests/tests/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A crate outside the workspace, `target/consumer-crate/<name>`: its
/// `Cargo.toml` (the runtime with `features`, without its defaults, plus
/// the `extra` dependency lines) and the workspace's `Cargo.lock` written,
/// `src/` created. Every such crate builds into
/// [`consumer_target`], so the runtime's dependencies stay built between
/// runs, apart from the workspace's target directory (which cargo may hold
/// while the tests run).
pub fn consumer_crate(name: &str, features: &[&str], extra: &str) -> PathBuf {
    let ws = repo().canonicalize().unwrap();
    let dir = ws.join("target/consumer-crate").join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
onex = {{ path = {runtime:?}, default-features = false, features = {features:?} }}
{extra}
[workspace]
"#,
            runtime = ws.join("runtime").display().to_string(),
        ),
    )
    .unwrap();
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

/// The target directory of every [`consumer_crate`].
pub fn consumer_target() -> PathBuf {
    repo()
        .canonicalize()
        .unwrap()
        .join("target/consumer-crate/target")
}

/// The repository's catalog.
pub fn contracts() -> PathBuf {
    repo().join("contracts")
}

/// Copy a directory tree, creating entries in sorted order (or reversed,
/// to give `read_dir` another order on the copy).
pub fn copy_in_order(from: &Path, to: &Path, reverse: bool) {
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    if reverse {
        entries.reverse();
    }
    for e in entries {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_in_order(&e.path(), &target, reverse);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Copy a directory tree.
pub fn copy_tree(from: &Path, to: &Path) {
    copy_in_order(from, to, false);
}

/// Whether this run is CI (`CI=true`), where tests that need an external
/// tool (node, chromium) must run instead of being skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A test that needs an external tool cannot run: outside CI say so clearly
/// (on stderr, which `cargo test -- --nocapture` shows, and stdout) and
/// return; under `CI=true` fail.
pub fn skip_or_fail(test: &str, why: &str, how: &str) {
    let msg = format!("SKIPPED {test}: {why}; to run it: {how}");
    assert!(!in_ci(), "{msg} (CI=true: this test must run in CI)");
    eprintln!("{msg}");
    println!("{msg}");
}

/// `node` on PATH, and its version.
pub fn node_version() -> Option<String> {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
}
