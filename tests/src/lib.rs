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
