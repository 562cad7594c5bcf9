//! Tidy checks over `codegen/src` and `runtime/src`: the layers the README
//! draws are the layers the code has, and every module says what it is for.
//!
//! Layers, lowest first: `diagnostic` ← `model` ← `load` ← {`governance`,
//! `emit`, `export`} ← `build` ← `lib`. A module may use its own layer and
//! the layers below; the three backends do not use each other.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    onex_tests::repo().join("codegen/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The layer of a top-level module, and its rank.
fn layer(top: &str) -> Option<(&'static str, u8)> {
    Some(match top {
        "diagnostic" => ("diagnostic", 0),
        "model" => ("model", 1),
        "load" => ("load", 2),
        "governance" => ("governance", 3),
        "emit" => ("emit", 3),
        "export" => ("export", 3),
        "build" => ("build", 4),
        "lib" => ("lib", 5),
        _ => return None,
    })
}

/// Every `crate::<module>` a file names (in `use` lines and paths).
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let before = text.get(..i).and_then(|s| s.chars().last());
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `onex_codegen::` etc.
        }
        let rest = text.get(i + "crate::".len()..).unwrap_or("");
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

#[test]
fn codegen_layers_have_no_back_edges() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut problems = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        let Some((from, rank)) = layer(&top) else {
            problems.push(format!("{}: not in any layer", rel.display()));
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap();
        for name in crate_refs(&text) {
            let Some((to, to_rank)) = layer(&name) else {
                // Items re-exported at the crate root are only for users.
                problems.push(format!(
                    "{}: uses `crate::{name}` (use the module path, not a root re-export)",
                    rel.display()
                ));
                continue;
            };
            if to_rank > rank || (to_rank == rank && to != from) {
                problems.push(format!("{}: {from} uses {to}", rel.display()));
            }
        }
    }
    assert!(problems.is_empty(), "layering:\n{}", problems.join("\n"));
}

/// The runtime's modules form no cycle (issue 8): errors and the `Topic`
/// trait at the bottom, then codec, bus, consumer, dispatch. Doc links and
/// `$crate::` paths in macros are not imports.
#[test]
fn runtime_modules_form_no_cycle() {
    let root = onex_tests::repo().join("runtime/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let module = |f: &Path| {
        f.strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned()
    };
    let modules: BTreeSet<String> = files.iter().map(|f| module(f)).collect();
    let mut edges = std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    for f in &files {
        let from = module(f);
        if from == "lib" {
            continue;
        }
        let code: String = std::fs::read_to_string(f)
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(|l| l.replace("$crate::", "") + "\n")
            .collect();
        let mut to = BTreeSet::new();
        for name in crate_refs(&code) {
            if modules.contains(&name) {
                to.insert(name);
            } else if name != "__private" {
                // (`__private` is generated code's path; macros' tests use it.)
                problems.push(format!(
                    "{from}: uses `crate::{name}` (use the module path, not a root re-export)"
                ));
            }
        }
        edges.insert(from, to);
    }
    // Depth-first search; a module met again while still on the path closes
    // a cycle.
    fn visit(
        m: &str,
        edges: &std::collections::BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        problems: &mut Vec<String>,
    ) {
        if let Some(i) = path.iter().position(|p| p == m) {
            problems.push(format!("cycle: {} -> {m}", path[i..].join(" -> ")));
            return;
        }
        if !done.insert(m.to_owned()) {
            return;
        }
        path.push(m.to_owned());
        for next in edges.get(m).into_iter().flatten() {
            visit(next, edges, path, done, problems);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for m in edges.keys() {
        visit(m, &edges, &mut Vec::new(), &mut done, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "runtime modules:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_module_says_what_it_is_for() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    rust_files(&onex_tests::repo().join("runtime/src"), &mut files);
    rust_files(&onex_tests::repo().join("macros/src"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(missing.is_empty(), "no `//!` module doc: {missing:?}");
}

/// Payload schemas are parsed once, by the loader (issue 11): no code
/// outside `load/` calls a schema parser (protox, apache-avro, JSON text
/// into a value). The few JSON reads elsewhere parse other documents and
/// are listed with what they read.
#[test]
fn schemas_are_parsed_only_by_the_loader() {
    let allowed = [
        // the emission cache's own index file
        ("emit/cache.rs", "serde_json::from_slice"),
        // the editor schemas onex itself generates, for the field reference
        ("export/reference.rs", "serde_json::from_str"),
        // an AsyncAPI document given to `asyncapi import`
        ("export/asyncapi_import.rs", "serde_json::from_str"),
        // one escaped object key of a sample, decoded to compare it
        ("diagnostic/json_path.rs", "serde_json::from_str"),
    ];
    let parsers = [
        "protox::",
        "protox_parse::",
        "Schema::parse",
        "parse_str(",
        "serde_json::from_str",
        "serde_json::from_slice",
        "serde_json::from_reader",
    ];
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut found = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("load/") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        // Unit tests may parse whatever they like.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        for p in parsers {
            if text.contains(p) && !allowed.contains(&(rel.as_str(), p)) {
                found.push(format!("{rel}: {p}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "schema parsing outside load/ (read the model's `parsed` instead): {found:?}"
    );
}
