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
    // Every connected topic is drawn once, every node once.
    assert_eq!(
        svg.matches("<g class=").count(),
        g.topics.len() + c.nodes.len()
    );
}

/// Every topic, orphans included (styled as such), is in every picture.
#[test]
fn orphan_topics_are_drawn_in_every_format() {
    let c = catalog();
    let g = Graph::new(&c, false);
    assert_eq!(g.topics.len(), c.topics.len());
    let orphans: Vec<_> = g.topics.iter().filter(|t| t.orphan).collect();
    assert!(!orphans.is_empty(), "the seed catalog has unused topics");
    let (dot, mermaid, svg) = (g.to_dot(), g.to_mermaid(), g.to_svg());
    for t in &orphans {
        assert!(dot.contains(&format!("\"{}\" [label=", t.id)), "{}", t.id);
        assert!(mermaid.contains(&t.id.replace(':', "_")), "{}", t.id);
    }
    assert!(dot.contains("style=dashed, color=gray50"));
    assert!(mermaid.contains("classDef orphan"));
    assert_eq!(svg.matches("class=\"topic orphan\"").count(), orphans.len());
}

/// DOT labels hold the DOT newline escape (one backslash), never an escaped
/// backslash that graphviz would print as a literal `\n`.
#[test]
fn dot_labels_break_lines_for_graphviz() {
    let dot = Graph::new(&catalog(), false).to_dot();
    assert!(dot.contains("[label=\"registry-effect\\nEFFECT\", shape=box"));
    assert!(!dot.contains("\\\\n"));
    // With graphviz installed, the rendered SVG has two text lines and no `\n`.
    let Ok(child) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("graphviz `dot` not installed: rendered-label check skipped");
        return;
    };
    use std::io::Write as _;
    child
        .stdin
        .as_ref()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(!svg.contains("\\n"), "graphviz shows a literal \\n");
    assert!(svg.contains(">registry&#45;effect</text>") && svg.contains(">EFFECT</text>"));
}

/// The layered layout on the seed catalog, and on a synthetic catalog of
/// 1,000 nodes: the time and size are printed (a target, not asserted:
/// under 1 s and 2 MB).
#[test]
fn layered_layout_scales_and_reduces_crossings() {
    use onex_codegen::export::layout::{Spacing, layered};
    use onex_codegen::export::topology::{GraphEdge, GraphNode, GraphTopic};
    use onex_codegen::model::Direction;
    let sp = Spacing {
        box_h: 22.0,
        gap_y: 8.0,
        gap_x: 70.0,
        margin: 12.0,
    };
    // Seed: fewer crossings than the order the nodes came in.
    let g = Graph::new(&catalog(), false);
    let svg = g.to_svg();
    println!("seed catalog: {} bytes of SVG", svg.len());
    // Synthetic, two shapes of 400 services and 600 topics (1,000 boxes):
    // `tiered`, services in 8 tiers whose topics are read by the next two
    // tiers with 5% feedback to earlier ones (how event systems are built),
    // and `random`, producers and consumers drawn at random (deep cycles:
    // the worst case for a layered picture).
    for shape in ["tiered", "random"] {
        let nodes: Vec<GraphNode> = (0..400)
            .map(|i| GraphNode {
                id: format!("node:svc-{i:03}"),
                name: format!("svc-{i:03}"),
                node_type: "EFFECT".into(),
            })
            .collect();
        let mut topics = Vec::new();
        let mut edges = Vec::new();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut rnd = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        for t in 0..600u64 {
            let id = format!("topic:T{t}");
            topics.push(GraphTopic {
                id: id.clone(),
                name: format!("dev.tenant.ctx{}.evt.topic-{t}.v1", t % 12),
                class: "evt".into(),
                key: "id".into(),
                partitions: 3,
                context: format!("ctx{}", t % 12),
                orphan: t % 50 == 0,
            });
            if t % 50 == 0 {
                continue;
            }
            let producer = if shape == "tiered" {
                (t * 400 / 600 + rnd(10)) % 400
            } else {
                rnd(400)
            };
            edges.push(GraphEdge {
                from: format!("node:svc-{producer:03}"),
                to: id.clone(),
                kind: Direction::Publishes,
            });
            for _ in 0..=rnd(3) {
                let consumer = if shape == "random" {
                    rnd(400)
                } else if rnd(20) == 0 {
                    producer.saturating_sub(rnd(50))
                } else {
                    ((producer / 50 + 1 + rnd(2)) * 50 + rnd(50)) % 400
                };
                edges.push(GraphEdge {
                    from: id.clone(),
                    to: format!("node:svc-{consumer:03}"),
                    kind: Direction::Subscribes,
                });
            }
        }
        let big = Graph {
            nodes,
            topics,
            edges,
        };
        let start = std::time::Instant::now();
        let svg = big.to_svg();
        let took = start.elapsed();
        println!(
            "synthetic {shape} 1,000-node catalog ({} edges): SVG in {took:?}, {} bytes (target: < 1 s, < 2 MB)",
            big.edges.len(),
            svg.len()
        );
        assert!(svg.ends_with("</svg>\n"));
        if let Ok(dir) = std::env::var("ONEX_SYNTHETIC_SVG") {
            std::fs::write(format!("{dir}/{shape}.svg"), &svg).unwrap();
        }
    }
    // Crossings: the sweeps never end worse than where they started.
    let widths = vec![100.0; 6];
    let l = layered(&widths, &[0, 0, 0, 1, 1, 1], &[(0, 5), (1, 4), (2, 3)], sp);
    assert_eq!(l.crossings, 0, "three parallel edges need no crossing");
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
