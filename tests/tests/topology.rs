//! Topology export and findings on the seed catalog.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use onex_tests::copy_tree;
use std::path::{Path, PathBuf};

use onex_codegen::export::topology::Graph;
use onex_codegen::governance::lint::lint;
use onex_codegen::{Severity, load};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn catalog() -> onex_codegen::Catalog {
    load(&root().join("contracts")).catalog.unwrap()
}

#[test]
fn every_format_carries_every_edge() {
    let c = catalog();
    let g = Graph::new(&c, true);
    assert_eq!(g.edges.len(), c.edges.len());
    let dot = g.to_dot();
    assert!(dot.starts_with("digraph onex {"));
    assert!(dot.contains(
        "\"node:registry-effect\" -> \"topic:OnexNodeHeartbeatPublishedV1\" [label=\"publishes\"]"
    ));
    assert!(dot.contains("\"topic:OnexRegistryIntrospectionRequestedV1\" -> \"node:registry-effect\" [label=\"subscribes\", style=dashed]"));
    let mermaid = g.to_mermaid();
    assert!(mermaid.contains("node_registry_effect --> topic_OnexNodeHeartbeatPublishedV1"));
    assert_eq!(
        mermaid.matches("-->").count() + mermaid.matches("-.->").count(),
        c.edges.len()
    );
    let json: serde_json::Value = serde_json::from_str(&Graph::new(&c, false).to_json()).unwrap();
    assert_eq!(json["topics"].as_array().unwrap().len(), c.topics.len());
    assert_eq!(json["edges"].as_array().unwrap().len(), c.edges.len());
    let svg = g.to_svg();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>\n")
    );
    assert_eq!(svg.matches("<path ").count(), c.edges.len());
    // Every connected topic is drawn once, every node once per role it has.
    assert!(svg.matches("<g>").count() >= g.topics.len() + c.nodes.len());
}

#[test]
fn seed_003_orphans_are_reported_as_waived_findings() {
    let report = lint(&catalog());
    let unconsumed: Vec<&str> = report
        .waived
        .iter()
        .filter(|w| w.finding.rule == Some("unconsumed-topic"))
        .map(|w| w.finding.location.as_ref().unwrap().file.as_str())
        .collect();
    // Seed 003: the OnexTree intelligence topics are produced, never consumed;
    // their contracts waive the finding with that reason.
    assert!(unconsumed.contains(&"onex/evt/onextree-intelligence-requested/v1/topic.yaml"));
    assert!(unconsumed.contains(&"onex/evt/onextree-intelligence-received/v1/topic.yaml"));
    assert!(report.waived.iter().all(|w| !w.reason.is_empty()));
    // The kb request/reply pair is complete.
    assert!(
        !report
            .findings
            .iter()
            .chain(report.waived.iter().map(|w| &w.finding))
            .any(|d| d.rule == Some("qrs-unpaired"))
    );
}

#[test]
fn finding_levels_come_from_the_catalog_settings() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&root().join("tests/corpus/_base"), tmp.path());
    // A qrs request without reply, and levels: deny one rule, allow another.
    let dir = tmp.path().join("shop/qrs/price-requests/v1");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("topic.yaml"),
        "tenant: omnibase\nretention: 1h\nkey:\n  field: order_id\nschema:\n  version: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("payload.schema.json"),
        r#"{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}"#,
    )
    .unwrap();
    let settings = tmp.path().join("onex.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    let text = text.replace(
        "  cmd:\n",
        "  qrs:\n    retention: { min: 1h, max: 24h }\n    compaction: none\n  cmd:\n",
    );
    std::fs::write(
        &settings,
        text.clone() + "lints:\n  qrs-unpaired: deny\n  unconsumed-topic: allow\n",
    )
    .unwrap();
    let c = load(tmp.path()).catalog.unwrap();
    let f = lint(&c).findings;
    let qrs = f.iter().find(|d| d.rule == Some("qrs-unpaired")).unwrap();
    assert_eq!(qrs.severity, Severity::Error);
    assert_eq!(
        qrs.location.as_ref().unwrap().file,
        "shop/qrs/price-requests/v1/topic.yaml"
    );
    assert!(
        qrs.help
            .as_deref()
            .unwrap()
            .contains("shop/qrs/price-replies/v1")
    );
    assert!(!f.iter().any(|d| d.rule == Some("unconsumed-topic")));
}

/// `docs/catalog/` is what the contracts give (also `cargo xtask docs --check`).
#[test]
fn catalog_docs_are_fresh() {
    let cat = catalog();
    let report = onex_codegen::governance::lint::lint(&cat);
    let files = onex_codegen::export::docs::render(&cat, &report.findings, &report.waived).unwrap();
    let dir = root().join("docs/catalog");
    let stale: Vec<&String> = files
        .iter()
        .filter(|(name, text)| {
            std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        stale.is_empty(),
        "stale docs: {stale:?}; run `cargo xtask docs` and commit"
    );
    assert!(files.contains_key("topology.svg") && files.contains_key("topology.mmd"));
    let c = catalog();
    assert_eq!(
        files.keys().filter(|k| k.starts_with("topics/")).count(),
        c.topics.len()
    );
    assert_eq!(
        files.keys().filter(|k| k.starts_with("nodes/")).count(),
        c.nodes.len()
    );
}
