//! The repository's own catalog: it loads clean, holds what the seeds
//! specify, and loads identically whatever the directory order.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use onex_tests::{contracts, copy_in_order};
use std::path::Path;

use onex_codegen::model::Direction;
use onex_codegen::model::payload::SchemaFormat;
use onex_codegen::{Catalog, load};

fn catalog() -> Catalog {
    let loaded = load(&contracts());
    assert!(
        !loaded.diagnostics.has_errors(),
        "{}",
        loaded.diagnostics.render_human(false)
    );
    loaded.catalog.unwrap()
}

const DAY: u64 = 24 * 3600 * 1000;
const HOUR: u64 = 3600 * 1000;

#[test]
fn the_seed_catalog_loads_without_diagnostics() {
    let loaded = load(&contracts());
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        loaded.diagnostics.render_human(false)
    );
    let c = loaded.catalog.unwrap();
    assert!(c.topics.len() >= 45, "{} topics", c.topics.len());
    assert!(c.nodes.len() >= 6, "{} nodes", c.nodes.len());
}

/// Seed 001 §10: the 12 ONEX topics with their keys and retention, 3 partitions each.
#[test]
fn the_twelve_onex_topics_match_seed_001() {
    let c = catalog();
    let table: &[(&str, &str, u64)] = &[
        ("onex.node.introspection.published.v1", "node_id", DAY),
        ("onex.node.heartbeat.published.v1", "node_id", HOUR),
        ("onex.node.shutdown.announced.v1", "node_id", DAY),
        (
            "onex.registry.introspection.requested.v1",
            "request_id",
            HOUR,
        ),
        ("onex.registry.node.registered.v1", "node_id", 7 * DAY),
        (
            "onex.registry.node.registration_failed.v1",
            "node_id",
            7 * DAY,
        ),
        ("onex.registry.node.deregistered.v1", "node_id", 7 * DAY),
        ("onex.registry.workflow.started.v1", "workflow_id", 7 * DAY),
        (
            "onex.registry.workflow.completed.v1",
            "workflow_id",
            30 * DAY,
        ),
        ("onex.registry.workflow.failed.v1", "workflow_id", 30 * DAY),
        (
            "onex.infra.circuit_breaker.state_changed.v1",
            "service_name",
            7 * DAY,
        ),
        ("onex.infra.error.detected.v1", "correlation_id", 7 * DAY),
    ];
    for (name, key, retention) in table {
        let t = c
            .topic_by_name(name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(t.key.field(), *key, "{name}");
        assert_eq!(t.retention_ms, *retention, "{name}");
        assert_eq!(t.partitions, 3, "{name}");
        assert!(!t.samples.is_empty(), "{name} has no sample");
    }
    // Seed 001 §9 legacy names resolve as aliases.
    for (alias, name) in [
        ("node.introspection", "onex.node.introspection.published.v1"),
        ("node.heartbeat", "onex.node.heartbeat.published.v1"),
        (
            "node.request_introspection",
            "onex.registry.introspection.requested.v1",
        ),
    ] {
        let t = c.topic_by_name(name).unwrap();
        assert!(t.aliases.iter().any(|a| a == alias), "{alias}");
    }
}

/// Seed 000's concrete example set, with `omnibase` spelled right.
#[test]
fn seed_000_example_set_is_present_under_its_namespace() {
    let c = catalog();
    for name in [
        "prod.omnibase.onex.evt.contract-created.v1",
        "prod.omnibase.onex.evt.contract-updated.v1",
        "prod.omnibase.onex.cmd.generate-node.v1",
        "prod.omnibase.validator.evt.test-run-started.v1",
        "prod.omnibase.validator.evt.test-run-completed.v1",
        "prod.omnibase.validator.cmd.run-suite.v1",
        "prod.omnibase.registry.evt.asset-registered.v1",
        "prod.omnibase.registry.cmd.register-asset.v1",
        "prod.omnibase.prism.evt.policy-updated.v1",
        "prod.omnibase.intelcrawler.evt.crawl-finding.v1",
        "prod.omnibase.gateway.aud.request.v1",
        "prod.omnibase.security.met.pii-redaction.v1",
        "prod.omnibase.kb.qrs.search-requests.v1",
        "prod.omnibase.kb.qrs.search-replies.v1",
    ] {
        assert!(c.topic_by_name(name).is_some(), "{name}");
    }
    assert!(
        c.topic_by_name("prod.omnabase.validator.evt.test-run-completed.v1")
            .is_none()
    );
}

#[test]
fn the_seed_001_node_contracts_resolve() {
    let c = catalog();
    let effect = c.node("registry-effect").unwrap();
    assert_eq!(effect.node_type, "EFFECT");
    assert_eq!(effect.publishes.len(), 3);
    assert_eq!(
        effect.subscribes[0].handler.as_deref(),
        Some("handle_introspection_request")
    );
    let orch = c.node("registration-orchestrator").unwrap();
    assert_eq!(orch.publishes.len(), 5);
    assert_eq!(orch.subscribes.len(), 1);
    let edges = c
        .edges
        .iter()
        .filter(|e| e.node == "registration-orchestrator")
        .count();
    assert_eq!(edges, 6);
    assert!(
        c.edges
            .iter()
            .any(|e| e.node == "registry-effect" && e.direction == Direction::Subscribes)
    );
}

#[test]
fn all_three_schema_formats_are_in_the_catalog() {
    let c = catalog();
    for f in [
        SchemaFormat::JsonSchema,
        SchemaFormat::Protobuf,
        SchemaFormat::Avro,
    ] {
        assert!(
            c.topics.iter().any(|t| t.schema.payload.format == f),
            "{f:?}"
        );
    }
}

/// The same catalog whatever order the directories were created in (and so
/// whatever order `read_dir` returns them in).
#[test]
fn loading_is_deterministic() {
    let reference = serde_json::to_string(&catalog()).unwrap();
    assert_eq!(reference, serde_json::to_string(&catalog()).unwrap());
    for reverse in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        copy_in_order(&contracts(), tmp.path(), reverse);
        let loaded = load(tmp.path());
        let copy = serde_json::to_string(&loaded.catalog.unwrap()).unwrap();
        assert_eq!(reference, copy, "reverse = {reverse}");
    }
}

/// `schemas/*.schema.json` and their field reference `schemas/README.md` are
/// generated from the Rust types; they must be fresh.
#[test]
fn published_json_schemas_are_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let reference = ("README.md", onex_codegen::export::reference::markdown());
    for (name, text) in onex_codegen::load::contract::json_schemas()
        .into_iter()
        .chain([reference])
    {
        let on_disk = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            on_disk == text,
            "schemas/{name} is stale: run `cargo xtask schemas` and commit it"
        );
    }
}

/// Every contract file in the repository names its JSON Schema for editors.
#[test]
fn contract_files_point_editors_at_their_schema() {
    let c = catalog();
    for t in &c.topics {
        let text = std::fs::read_to_string(contracts().join(&t.file)).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema="),
            "{}",
            t.file
        );
        let rel = text
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("# yaml-language-server: $schema=");
        let target = contracts().join(&t.file).parent().unwrap().join(rel);
        assert!(target.is_file(), "{} points at missing {}", t.file, rel);
    }
    for n in &c.nodes {
        let text = std::fs::read_to_string(contracts().join(&n.file)).unwrap();
        let first = text.lines().next().unwrap();
        let rel = first.trim_start_matches("# yaml-language-server: $schema=");
        assert!(
            contracts()
                .join(&n.file)
                .parent()
                .unwrap()
                .join(rel)
                .is_file(),
            "{}",
            n.file
        );
    }
}

/// Every diagnostic code is documented in docs/contract-format.md.
#[test]
fn every_code_is_documented() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/contract-format.md"),
    )
    .unwrap();
    for c in onex_codegen::Code::ALL {
        let row = format!("| {} | {} |", c.as_str(), c.summary());
        assert!(
            doc.contains(&row),
            "docs/contract-format.md lacks `{row}` (run `cargo xtask codes`)"
        );
    }
}

/// YAML → JSON for schema validation: plain (unquoted) scalars become
/// numbers, booleans or null where they read as such; quoted ones stay text.
fn to_json(node: &marked_yaml::Node) -> serde_json::Value {
    use marked_yaml::Node;
    match node {
        Node::Mapping(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| (k.as_str().to_owned(), to_json(v)))
                .collect(),
        ),
        Node::Sequence(s) => serde_json::Value::Array(s.iter().map(to_json).collect()),
        Node::Scalar(s) => {
            let text = s.as_str();
            if s.may_coerce() {
                if let Ok(i) = text.parse::<i64>() {
                    return i.into();
                }
                if let Ok(f) = text.parse::<f64>() {
                    return f.into();
                }
                match text {
                    "true" => return true.into(),
                    "false" => return false.into(),
                    "null" | "~" => return serde_json::Value::Null,
                    _ => {}
                }
            }
            text.into()
        }
    }
}

/// The published JSON Schemas accept every contract of the repository, so
/// editors using them do not flag valid files.
#[test]
fn every_contract_validates_against_its_published_schema() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let validator = |name: &str| {
        let s: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(schemas.join(name)).unwrap()).unwrap();
        jsonschema::validator_for(&s).unwrap()
    };
    let (settings, topic, node) = (
        validator("onex.schema.json"),
        validator("topic.schema.json"),
        validator("node.schema.json"),
    );
    let c = catalog();
    let mut files = vec![("onex.yaml".to_owned(), &settings)];
    files.extend(c.topics.iter().map(|t| (t.file.clone(), &topic)));
    files.extend(c.nodes.iter().map(|n| (n.file.clone(), &node)));
    let mut failures = Vec::new();
    for (file, v) in &files {
        let text = std::fs::read_to_string(contracts().join(file)).unwrap();
        let doc = to_json(&marked_yaml::parse_yaml(0, &text).unwrap());
        for e in v.iter_errors(&doc) {
            failures.push(format!("{file}: {e} at {}", e.instance_path));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // ... and reject what the loader rejects.
    let bad = to_json(
        &marked_yaml::parse_yaml(0, "retention: 7d\nkey:\n  field: x\ndescripton: typo\n").unwrap(),
    );
    assert!(!topic.is_valid(&bad));
}

/// `defaults:` in onex.yaml: a topic inherits what it does not set, the
/// class's default over the context's over the catalog's.
#[test]
fn topics_inherit_defaults_class_over_context_over_catalog() {
    let dir = tempfile::tempdir().unwrap();
    onex_tests::copy_tree(
        &onex_tests::repo().join("tests/fixtures/envelope-catalogs/seed-004"),
        dir.path(),
    );
    let settings = dir.path().join("onex.yaml");
    let mut text = std::fs::read_to_string(&settings).unwrap();
    text.push_str(
        "defaults:\n  catalog:\n    owner: { team: platform }\n    retention: 8d\n    headers: [x-trace-id]\n  contexts:\n    registry:\n      owner: { team: registry-team }\n      retention: 20d\n  classes:\n    evt:\n      retention: 14d\n      partitions: 3\n",
    );
    std::fs::write(&settings, text).unwrap();
    let evt = dir
        .path()
        .join("registry/evt/node-registered/v1/topic.yaml");
    let qrs = dir
        .path()
        .join("registry/qrs/node-lookup-replies/v1/topic.yaml");
    for f in [&evt, &qrs] {
        let t = std::fs::read_to_string(f).unwrap();
        let t: String = t
            .lines()
            .filter(|l| {
                !l.starts_with("retention:")
                    && !l.starts_with("owner:")
                    && !l.starts_with("  team:")
            })
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(f, t).unwrap();
    }
    let loaded = load(dir.path());
    let c = loaded
        .catalog
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    let topic = |id: &str| c.topics.iter().find(|t| t.id.to_string() == id).unwrap();
    let e = topic("registry/evt/node-registered/v1");
    assert_eq!(e.retention_ms, 14 * 86_400_000, "class beats context");
    assert_eq!(
        e.owner.as_ref().unwrap().team,
        "registry-team",
        "context beats catalog"
    );
    assert_eq!(e.headers, ["x-trace-id"], "catalog default");
    let q = topic("registry/qrs/node-lookup-replies/v1");
    assert_eq!(q.retention_ms, 20 * 86_400_000, "context default");
    // The topic's own value beats every default.
    let r = topic("registry/qrs/node-lookup-requests/v1");
    assert_eq!(r.retention_ms, 3_600_000);
    assert_eq!(r.owner.as_ref().unwrap().team, "registry");
    // An inherited retention is reported where it was written (onex.yaml).
    assert_eq!(
        e.spans.retention.as_ref().map(|l| l.file.as_str()),
        Some("onex.yaml")
    );

    // Without any default, a contract without retention is an error at it.
    let text = std::fs::read_to_string(&settings).unwrap();
    let text = text
        .replace("    retention: 8d\n", "")
        .replace("      retention: 20d\n", "");
    std::fs::write(&settings, text).unwrap();
    let loaded = load(dir.path());
    assert!(loaded.catalog.is_none());
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("retention"))
        .unwrap();
    assert_eq!(
        d.location.as_ref().map(|l| l.file.as_str()),
        Some("registry/qrs/node-lookup-replies/v1/topic.yaml")
    );
    assert!(d.help.as_deref().unwrap().contains("defaults.classes.qrs"));
}

/// A missing field is underlined as missing, not as a value of the wrong
/// type (E0203's summary): there is no value.
#[test]
fn a_missing_field_is_labelled_missing() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/_base");
    let mut src = onex_codegen::MemorySource::from_dir(&base).unwrap();
    let node = std::fs::read_to_string(base.join("nodes/shipping/contract.yaml")).unwrap();
    src.file(
        "nodes/shipping/contract.yaml",
        node.replace("  version: 1.0.0\n", ""),
    );
    let out = onex_codegen::load_from(&src)
        .diagnostics
        .render_human(false);
    assert!(out.contains("E0203"), "{out}");
    assert!(out.contains("missing field `version`"), "{out}");
    assert!(!out.contains("wrong type"), "{out}");
}

/// `Catalog::select` (behind `Builder::topics`/`node` and `onex gen
/// --topics/--node`): globs over wire names or contract paths, a node's
/// channels, the topics they link to, only the named nodes; what matches
/// nothing is E0801 with a suggestion.
#[test]
fn a_selection_keeps_its_topics_their_links_and_its_nodes() {
    use onex_codegen::model::Selection;
    let ids = |c: &Catalog| -> Vec<String> { c.topics.iter().map(|t| t.id.to_string()).collect() };
    let mut s = Selection::default();
    s.topics.push("validator/evt/test-run-c*/v1".to_owned());
    let picked = catalog().select(&s).unwrap();
    assert_eq!(
        ids(&picked),
        [
            "validator/dlt/test-run-completed/v1",
            "validator/evt/test-run-completed/v1",
            "validator/rty/test-run-completed/v1"
        ]
    );
    assert!(picked.nodes.is_empty() && picked.edges.is_empty());

    // A wire-name glob, and a node with exactly its channels' topics.
    let mut s = Selection::default();
    s.topics
        .push("{env}.omnibase.onex.evt.contract-*".to_owned());
    s.nodes.push("registry-effect".to_owned());
    let full = catalog();
    let node = full
        .nodes
        .iter()
        .find(|n| n.name == "registry-effect")
        .unwrap();
    let mut expected: Vec<String> = node
        .publishes
        .iter()
        .chain(&node.subscribes)
        .map(|c| c.topic.to_string())
        .chain(
            full.topics
                .iter()
                .filter(|t| {
                    t.name
                        .to_string()
                        .starts_with("{env}.omnibase.onex.evt.contract-")
                })
                .map(|t| t.id.to_string()),
        )
        .collect();
    expected.sort();
    expected.dedup();
    let picked = full.clone().select(&s).unwrap();
    assert!(expected.len() > node.publishes.len() + node.subscribes.len());
    assert_eq!(ids(&picked), expected);
    let nodes: Vec<&str> = picked.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(nodes, ["registry-effect"]);
    assert!(picked.edges.iter().all(|e| e.node == "registry-effect"));

    // Nothing matched: one error per glob and per node, with a hint.
    let mut s = Selection::default();
    s.topics.push("nothing/*".to_owned());
    s.nodes.push("registry-efect".to_owned());
    let errors = catalog().select(&s).unwrap_err();
    let text: Vec<String> = errors.iter().map(|d| format!("{d} {:?}", d.help)).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(errors.iter().all(|d| d.code.as_str() == "E0801"));
    assert!(
        text.iter()
            .any(|t| t.contains("`nothing/*` matches no topic"))
    );
    assert!(
        text.iter()
            .any(|t| t.contains("did you mean `registry-effect`"))
    );
}
