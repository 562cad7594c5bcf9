//! The HTML catalog in a real browser: Debian's chromium driven by
//! playwright-core (`tools/browser/catalog.js`) opens the generated index,
//! searches, follows a result to its topic page and on to its producer,
//! filters the topology, and fails on any console or page error. It saves
//! `docs/img/catalog.png` and `docs/img/topology.png` (the README's
//! pictures). Skipped, saying why, without node, the installed tool or
//! chromium; under `CI=true` it must run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use onex_codegen::governance::lint::lint;
use onex_tests::{contracts, node_version, repo, skip_or_fail};

#[test]
fn html_catalog_search_links_and_filter_work_in_chromium() {
    const TEST: &str = "html_catalog_search_links_and_filter_work_in_chromium";
    let tool = repo().join("tools/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if node_version().is_none() {
        skip_or_fail(TEST, "`node` is not on PATH", "install Node.js 20+");
        return;
    }
    if !tool.join("node_modules/playwright-core").is_dir() {
        skip_or_fail(
            TEST,
            "tools/browser/node_modules is not installed",
            "`npm ci --prefix tools/browser` (what .ci/run does)",
        );
        return;
    }
    if !Path::new(&chromium).exists() {
        skip_or_fail(
            TEST,
            &format!("no chromium at {chromium}"),
            "`apt-get install chromium` (what .ci/run does) or set CHROMIUM",
        );
        return;
    }
    let catalog = onex_codegen::load(&contracts()).catalog.unwrap();
    let report = lint(&catalog);
    let files =
        onex_codegen::export::html::render(&catalog, &report.findings, &report.waived).unwrap();
    let out = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = out.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let img = repo().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    let run = Command::new("node")
        .arg(tool.join("catalog.js"))
        .arg(out.path())
        .arg(img.join("catalog.png"))
        .arg(img.join("topology.png"))
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}{stderr}");
    assert!(
        run.status.success() && stdout.contains("browser test passed"),
        "the browser test failed:\n{stdout}{stderr}"
    );
}
