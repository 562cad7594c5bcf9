//! Helpers shared by the workspace tests in `tests/tests/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
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
