//! `rerun-if-changed` is precise: after a build, a no-op `cargo build` of
//! `generated-example` does not re-run its build script, a change outside the
//! catalog does not either (the mistake prost-build once shipped: emitting
//! any `rerun-if` line turns off cargo's "any file in the package" default,
//! and forgetting one makes the script run every time), while touching a
//! contract or adding a file to the catalog does.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// Build `generated-example`; true when its build script ran.
fn build_ran_script() -> bool {
    let out = Command::new(env!("CARGO"))
        .args(["build", "-v", "-p", "generated-example"])
        .current_dir(workspace())
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo build failed:\n{log}");
    log.lines().any(|l| {
        l.contains("Running")
            && l.contains("generated-example-")
            && l.contains("build-script-build")
    })
}

/// Move a file's mtime forward (content unchanged).
fn touch(path: &Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() + Duration::from_secs(2))
        .unwrap();
}

struct Remove(PathBuf);
impl Drop for Remove {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn the_build_script_reruns_exactly_when_the_catalog_changes() {
    let ws = workspace();
    build_ran_script();
    assert!(!build_ran_script(), "a no-op build re-ran the generator");

    touch(&ws.join("generated-example/examples/roundtrip.rs"));
    assert!(
        !build_ran_script(),
        "a change outside the catalog re-ran the generator"
    );

    touch(&ws.join("contracts/node/ctl/heartbeat-published/v1/topic.yaml"));
    assert!(
        build_ran_script(),
        "a changed contract did not re-run the generator"
    );

    // A new file in the catalog (as a new topic folder would bring). Markdown
    // is ignored by the loader, so the catalog itself stays the same.
    let probe = ws.join("contracts/zz-rerun-probe.md");
    let _cleanup = Remove(probe.clone());
    std::fs::write(&probe, "probe\n").unwrap();
    touch(&probe);
    assert!(
        build_ran_script(),
        "a new file in the catalog did not re-run the generator"
    );
}
