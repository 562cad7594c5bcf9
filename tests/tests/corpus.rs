//! The bad-input corpus: every folder of `tests/corpus/` (but `_base`) is a
//! copy of `_base` with some files replaced (`files/`), removed (`remove`) or
//! made by the test (`setup`), and the diagnostics it must produce (`expect`).
//! Each expected code must appear at its file and line, and loading must not
//! panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use onex_tests::copy_tree;
use std::path::{Path, PathBuf};

use onex_codegen::{Diagnostic, load};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    #[serde(default)]
    setup: Option<String>,
    #[serde(default)]
    remove: Vec<String>,
    expect: Vec<Expect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    file: String,
    line: u32,
    #[serde(default)]
    column: Option<u32>,
    /// A substring the help line must contain (e.g. a did-you-mean).
    #[serde(default)]
    help: Option<String>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Build the case's catalog in a fresh temporary directory.
fn materialize(case_dir: &Path, case: &Case) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("contracts");
    std::fs::create_dir_all(&root).unwrap();
    copy_tree(&corpus_dir().join("_base"), &root);
    let files = case_dir.join("files");
    if files.is_dir() {
        copy_tree(&files, &root);
    }
    for r in &case.remove {
        std::fs::remove_file(root.join(r)).unwrap();
    }
    match case.setup.as_deref() {
        None => {}
        Some("symlink_loop") => {
            std::os::unix::fs::symlink("..", root.join("shop/evt/cycle")).unwrap();
        }
        Some("symlink_self") => {
            std::os::unix::fs::symlink("self", root.join("shop/self")).unwrap();
        }
        Some("oversized") => {
            // 5 MiB of valid JSON: only the size is wrong.
            let big = format!(
                "{{\"type\": \"object\", \"description\": \"{}\"}}",
                "x".repeat(5 * 1024 * 1024)
            );
            std::fs::write(
                root.join("shop/evt/order-placed/v1/payload.schema.json"),
                big,
            )
            .unwrap();
        }
        Some(other) => panic!("unknown setup `{other}`"),
    }
    tmp
}

fn describe(diags: &[&Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            let at = d
                .location
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default();
            format!(
                "  {} {at} {} (help: {})",
                d.code,
                d.message,
                d.help.as_deref().unwrap_or("-")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn cases() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir() && e.file_name() != "_base")
        .map(|e| (e.file_name().into_string().unwrap(), e.path()))
        .collect();
    v.sort();
    v
}

#[test]
fn the_base_catalog_is_clean() {
    let loaded = load(&corpus_dir().join("_base"));
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        loaded.diagnostics.render_human(false)
    );
    let catalog = loaded.catalog.unwrap();
    assert_eq!(catalog.topics.len(), 2);
    assert_eq!(catalog.nodes.len(), 2);
}

#[test]
fn every_case_reports_its_code_at_its_place() {
    let all = cases();
    assert!(
        all.len() >= 30,
        "the corpus must keep at least 30 cases, has {}",
        all.len()
    );
    let mut failures = Vec::new();
    for (name, dir) in &all {
        let text = std::fs::read_to_string(dir.join("case.yaml")).unwrap();
        let case: Case =
            marked_yaml::from_yaml(0, &text).unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
        let tmp = materialize(dir, &case);
        let root = tmp.path().join("contracts");
        let loaded = std::panic::catch_unwind(|| load(&root));
        let Ok(loaded) = loaded else {
            failures.push(format!("{name}: the loader panicked"));
            continue;
        };
        let diags = loaded.diagnostics.sorted();
        if std::env::var_os("ONEX_CORPUS_PRINT").is_some() {
            println!("== {name}: {}\n{}", case.description, describe(&diags));
        }
        if case.expect.is_empty() {
            failures.push(format!("{name}: no expectations\n{}", describe(&diags)));
        }
        for e in &case.expect {
            let hit = diags.iter().any(|d| {
                let Some(l) = &d.location else { return false };
                d.code.as_str() == e.code
                    && l.file == e.file
                    && l.line == e.line
                    && e.column.is_none_or(|c| c == l.column)
                    && e.help
                        .as_ref()
                        .is_none_or(|h| d.help.as_deref().is_some_and(|dh| dh.contains(h.as_str())))
            });
            if !hit {
                failures.push(format!(
                    "{name}: expected {} at {}:{}{} — got:\n{}",
                    e.code,
                    e.file,
                    e.line,
                    e.help
                        .as_ref()
                        .map(|h| format!(" with help containing `{h}`"))
                        .unwrap_or_default(),
                    describe(&diags)
                ));
            }
        }
        // An error case yields no catalog; a warning-only case still does.
        let expects_error = case.expect.iter().any(|e| e.code.starts_with('E'));
        if expects_error == loaded.catalog.is_some() {
            failures.push(format!(
                "{name}: catalog presence does not match the expected severity"
            ));
        }
        // Every diagnostic is located and renders.
        for d in &diags {
            if d.location.is_none() {
                failures.push(format!("{name}: {} has no location", d.code));
            }
        }
        let _ = loaded.diagnostics.render_human(false);
        let _ = loaded.diagnostics.render_json();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
