//! AsyncAPI export: the seed catalog's documents are complete, reproducible,
//! checked in fresh, and accepted by AsyncAPI's own parser
//! (`tools/asyncapi/validate.js`, `@asyncapi/parser` with the Avro and
//! Protobuf schema parsers).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

use onex_codegen::export::asyncapi::{CATALOG_FILE, render};
use onex_codegen::load;
use onex_tests::{contracts, node_version, repo, skip_or_fail};
use serde_json::Value;

fn catalog() -> onex_codegen::Catalog {
    load(&contracts()).catalog.unwrap()
}

#[test]
fn catalog_document_has_every_topic_node_and_edge() {
    let c = catalog();
    let files = render(&c);
    assert_eq!(files.len(), 1 + c.nodes.len());
    let doc: Value = serde_json::from_str(&files[CATALOG_FILE]).unwrap();
    assert_eq!(doc["asyncapi"], "3.0.0");
    assert_eq!(doc["channels"].as_object().unwrap().len(), c.topics.len());
    assert_eq!(doc["operations"].as_object().unwrap().len(), c.edges.len());
    let hb = &doc["channels"]["OnexNodeHeartbeatPublishedV1"];
    assert_eq!(hb["address"], "onex.node.heartbeat.published.v1");
    assert_eq!(hb["bindings"]["kafka"]["partitions"], 3);
    assert!(hb["bindings"]["kafka"]["topicConfiguration"]["retention.ms"].is_u64());
    let ns = doc["channels"]
        .as_object()
        .unwrap()
        .values()
        .find(|ch| ch["address"].as_str().unwrap().starts_with("{env}."))
        .expect("a namespaced topic");
    assert!(ns["parameters"]["env"]["enum"].is_array());
    let msgs = doc["components"]["messages"].as_object().unwrap();
    let formats: Vec<&str> = msgs
        .values()
        .filter_map(|m| m["payload"]["schemaFormat"].as_str())
        .collect();
    assert!(formats.iter().any(|f| f.contains("avro")), "{formats:?}");
    assert!(
        formats.iter().any(|f| f.contains("protobuf")),
        "{formats:?}"
    );
    assert!(
        msgs.values()
            .all(|m| m["bindings"]["kafka"]["key"].is_object())
    );
    assert!(msgs.values().any(|m| m["x-onex-pii"].is_object()));
}

#[test]
fn export_is_deterministic_and_checked_in_fresh() {
    let c = catalog();
    let a = render(&c);
    assert_eq!(a, render(&catalog()));
    let dir = repo().join("docs/asyncapi");
    for (name, text) in &a {
        let on_disk = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            on_disk == *text,
            "docs/asyncapi/{name} is stale: run `cargo xtask asyncapi export` and commit the result"
        );
    }
}

/// Runs AsyncAPI's parser over freshly exported documents. Skipped (saying
/// so) without `node` or `tools/asyncapi/node_modules`; fails under `CI=true`.
#[test]
fn asyncapi_parser_accepts_every_exported_document() {
    const TEST: &str = "asyncapi_parser_accepts_every_exported_document";
    let tool = repo().join("tools/asyncapi");
    let Some(version) = node_version() else {
        skip_or_fail(TEST, "`node` is not on PATH", "install Node.js 20+");
        return;
    };
    if !tool.join("node_modules/@asyncapi/parser").is_dir() {
        skip_or_fail(
            TEST,
            "tools/asyncapi/node_modules is not installed",
            "`npm ci --prefix tools/asyncapi` (what .ci/run does)",
        );
        return;
    }
    let out = tempfile::tempdir().unwrap();
    for (name, text) in render(&catalog()) {
        let p = out.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let run = Command::new("node")
        .arg(tool.join("validate.js"))
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("node {version}\n{stdout}{stderr}");
    assert!(
        run.status.success(),
        "AsyncAPI's parser rejected the export:\n{stdout}{stderr}"
    );
    assert!(stdout.contains("0 error(s)"), "{stdout}");
}

fn import_to(file: &str, text: &str) -> (tempfile::TempDir, Vec<onex_codegen::Diagnostic>) {
    let imported = onex_codegen::export::asyncapi_import::import(file, text);
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &imported.files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    (dir, imported.diagnostics)
}

/// export → import → export gives the same documents, byte for byte, for
/// the catalog document and for every node document (nothing of the seed
/// catalog is lost; see the import module's doc for what would be).
#[test]
fn export_import_export_round_trip_is_stable() {
    let first = render(&catalog());
    let (dir, diags) = import_to(CATALOG_FILE, &first[CATALOG_FILE]);
    assert!(diags.is_empty(), "{diags:#?}");
    let loaded = load(dir.path());
    let again = loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
    let second = render(&again);
    for (name, text) in &first {
        assert!(second[name] == *text, "{name} changed in the round trip");
    }
    // A node document imports on its own too.
    let node = &first["nodes/registry-effect.asyncapi.json"];
    let (dir, diags) = import_to("registry-effect.asyncapi.json", node);
    assert!(diags.is_empty(), "{diags:#?}");
    let loaded = load(dir.path());
    let c = loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
    assert_eq!(c.nodes.len(), 1);
    assert_eq!(
        onex_codegen::export::asyncapi::node_document(&c, &c.nodes[0]),
        serde_json::from_str::<Value>(node).unwrap()
    );
}

#[test]
fn foreign_documents_import_with_located_diagnostics() {
    let fixtures = repo().join("tests/fixtures/asyncapi");
    let v2 = std::fs::read_to_string(fixtures.join("streetlights-2.6.yaml")).unwrap();
    let (dir, diags) = import_to("streetlights-2.6.yaml", &v2);
    let loaded = load(dir.path());
    let c = loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
    assert_eq!(c.topics.len(), 1);
    let t = &c.topics[0];
    assert_eq!(t.partitions, 6);
    assert_eq!(t.retention_ms, 604_800_000);
    assert_eq!(t.key.field(), "street_light_id");
    assert_eq!(c.nodes[0].name, "streetlights-kafka-api");
    assert_eq!(c.nodes[0].publishes.len(), 1);
    let msgs: Vec<String> = diags
        .iter()
        .map(|d| format!("{} {}", d.location.as_ref().unwrap(), d.message))
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("max.message.bytes") && m.starts_with("streetlights-2.6.yaml:16:")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("keys it by `street_light_id`")),
        "{msgs:#?}"
    );

    let v3 = std::fs::read_to_string(fixtures.join("orders-3.0.yaml")).unwrap();
    let (dir, diags) = import_to("orders-3.0.yaml", &v3);
    let loaded = load(dir.path());
    let c = loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
    assert_eq!(c.topics.len(), 1);
    assert_eq!(c.topics[0].name.to_string(), "shop.orders.created.v1");
    assert_eq!(c.nodes[0].name, "order-service");
    let msgs: Vec<String> = diags.iter().map(|d| d.message.clone()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("carries 2 messages")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("`noAddress` has no `address`")),
        "{msgs:#?}"
    );
    assert!(
        diags
            .iter()
            .all(|d| d.location.as_ref().is_some_and(|l| l.line > 1)),
        "{diags:#?}"
    );
}
