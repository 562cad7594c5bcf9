//! Governance lints. Passing fixture: the seed catalog, clean at its levels.
//! Failing fixtures: a deliberately bad copy of it, made here by one edit per
//! rule, which must trip every rule. The SARIF output validates against the
//! SARIF 2.1.0 schema.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use onex_tests::{copy_tree, repo};
use std::collections::BTreeSet;
use std::path::PathBuf;

use onex_codegen::governance::lint::{lint, sarif};
use onex_codegen::model::rules::LINT_RULES as RULES;
use onex_codegen::{Severity, load};

#[test]
fn rules_have_ids_levels_and_pages() {
    assert!(RULES.len() >= 25, "{} rules", RULES.len());
    let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), RULES.len(), "duplicate rule ids");
    for r in RULES {
        assert!(
            r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            r.id
        );
        assert!(
            r.explain.len() > 80 && r.explain.contains("Fix"),
            "{} needs a page with a fix",
            r.id
        );
        let page = onex_codegen::governance::lint::explain(r);
        assert!(page.starts_with(&format!("# `{}`", r.id)));
    }
}

#[test]
fn the_seed_catalog_is_clean() {
    let c = load(&repo().join("contracts")).catalog.unwrap();
    let report = lint(&c);
    let text: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert!(report.findings.is_empty(), "{}", text.join("\n"));
    // Its exceptions are waivers with reasons, and they are reported.
    assert!(!report.waived.is_empty());
    assert!(report.waived.iter().all(|w| !w.reason.is_empty()));
}

struct Bad {
    root: tempfile::TempDir,
}

impl Bad {
    fn file(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }
    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let p = self.file(rel);
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let new = f(text.clone());
        assert_ne!(new, text, "edit of {rel} changed nothing");
        std::fs::write(p, new).unwrap();
    }
    fn append(&self, rel: &str, more: &str) {
        self.edit(rel, |t| t.trim_end().to_owned() + "\n" + more);
    }
    fn drop_block(&self, rel: &str, key: &str) {
        // Remove a top-level key and its indented lines.
        self.edit(rel, |t| {
            let mut out = String::new();
            let mut skipping = false;
            for line in t.lines() {
                if line.starts_with(&format!("{key}:")) {
                    skipping = true;
                    continue;
                }
                if skipping && (line.starts_with(' ') || line.is_empty()) {
                    continue;
                }
                skipping = false;
                out.push_str(line);
                out.push('\n');
            }
            out
        });
    }
}

/// One edit per rule (the comments name the rule it trips).
fn bad_copy() -> Bad {
    let bad = Bad {
        root: tempfile::tempdir().unwrap(),
    };
    copy_tree(&repo().join("contracts"), bad.root.path());
    let t = |ctx: &str| format!("{ctx}/topic.yaml");
    // name-convention, name-version-suffix, description-present, retry-implies-rty-dlt
    bad.append(&t("prism/evt/policy-updated/v1"), "name: \"{env}.omnibase.prism.evt.policy-updated\"\nretry:\n  tiers: [1m]\n  max_attempts: 3\n");
    bad.drop_block(&t("prism/evt/policy-updated/v1"), "description");
    // name-kebab-segments
    bad.drop_block(&t("infra/evt/circuit-breaker-state-changed/v1"), "lints");
    // name-runtime-env, tenant-near-miss, owner-present
    bad.append(
        &t("intelcrawler/evt/crawl-finding/v1"),
        "env: prod\naliases: [\"prod.omnabase.intelcrawler.evt.crawl-finding.v1\"]\n",
    );
    bad.drop_block(&t("intelcrawler/evt/crawl-finding/v1"), "owner");
    // context-near-miss
    copy_tree(&bad.file("registry/cmd/register-asset"), &{
        let d = bad.file("registy/cmd/register-asset");
        std::fs::create_dir_all(&d).unwrap();
        d
    });
    // retention-class-bounds, pii-high-encrypted, pii-not-in-headers, header-allowed
    bad.edit(&t("gateway/aud/request/v1"), |s| {
        s.replace("retention: 90d", "retention: 30d")
            .replace("    encryption: kms-envelope\n", "")
            .replace("headers: [x-actor,", "headers: [x-client-ip, x-actor,")
    });
    // compaction-class
    bad.append(&t("onex/cmd/generate-node/v1"), "cleanup_policy: compact\n");
    // tiered-storage-class, event-class-declared, samples-present
    bad.append(
        &t("security/met/pii-redaction/v1"),
        "tiered_storage: true\n",
    );
    bad.edit(&t("security/met/pii-redaction/v1"), |s| {
        s.replace("event_class: infrastructure\n", "")
    });
    std::fs::remove_dir_all(bad.file("security/met/pii-redaction/v1/samples")).unwrap();
    // partitions-allowed, key-domain-meaning, keying-rule
    bad.edit(&t("onex/evt/contract-updated/v1"), |s| {
        s.replace("partitions: 3", "partitions: 5")
            .replace("field: contract_id", "field: event_id")
    });
    bad.edit("onex/evt/contract-updated/v1/payload.schema.json", |s| {
        s.replace(
            "\"properties\": {",
            "\"properties\": {\n    \"event_id\": { \"type\": \"string\" },",
        )
        .replace("\"required\": [", "\"required\": [\n    \"event_id\",")
    });
    bad.edit("onex/evt/contract-updated/v1/samples/basic.json", |s| {
        s.replacen('{', "{\n  \"event_id\": \"e-1\",", 1)
    });
    // sla-present, schema-major-matches-topic
    bad.drop_block(&t("onex/evt/contract-created/v1"), "sla");
    bad.edit(&t("onex/evt/contract-created/v1"), |s| {
        s.replace("version: 1.0.0", "version: 2.0.0")
    });
    // pii-high-not-key
    bad.edit(&t("auth/aud/audit/v1"), |s| {
        s.replace(
            "pii:\n",
            "pii:\n  tenant_id:\n    level: high\n    encryption: kms-envelope\n",
        )
    });
    // qrs-unpaired
    std::fs::remove_dir_all(bad.file("kb/qrs/search-replies")).unwrap();
    // unconsumed-topic, unproduced-topic
    bad.drop_block(&t("billing/dlt/domain/v1"), "lints");
    bad.drop_block(&t("validator/cmd/run-suite/v1"), "lints");
    // deprecated-published, deprecated-replacement
    bad.append(
        &t("node/ctl/heartbeat-published/v1"),
        "deprecated:\n  reason: replaced by liveness probes\n",
    );
    // payload-shadows-envelope, topic-unused, topic-duplicate: the seed
    // catalog allows them in `onex.yaml` (see there); the bad copy does not.
    bad.edit("onex.yaml", |s| {
        let start = s.find("lints:").unwrap();
        format!("{}lints: {{}}\n", &s[..start])
    });
    // sla-consistent
    bad.edit(&t("node/ctl/heartbeat-published/v1"), |s| {
        s.replace("max_lag: 30s", "max_lag: 30s\n  publish_latency_p95: 1m")
    });
    // sample-valid
    bad.edit("kb/qrs/search-requests/v1/samples/basic.json", |s| {
        s.replace("\"limit\": 10", "\"limit\": \"ten\"")
    });
    bad
}

#[test]
fn a_bad_copy_of_the_seed_catalog_trips_every_rule() {
    let bad = bad_copy();
    let loaded = load(bad.root.path());
    assert!(
        !loaded.diagnostics.has_errors(),
        "the bad copy must still load:\n{}",
        loaded.diagnostics.render_human(false)
    );
    let report = lint(&loaded.catalog.unwrap());
    let tripped: BTreeSet<&str> = report.findings.iter().filter_map(|d| d.rule).collect();
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !tripped.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules not tripped: {missing:?}");
    // Every finding is located and errors follow the default levels.
    assert!(report.findings.iter().all(|d| d.location.is_some()));
    let retention = report
        .findings
        .iter()
        .find(|d| d.rule == Some("retention-class-bounds"))
        .unwrap();
    assert_eq!(retention.severity, Severity::Error);
    let loc = retention.location.as_ref().unwrap();
    assert_eq!(loc.file, "gateway/aud/request/v1/topic.yaml");
    assert!(retention.message.contains("30d") && retention.message.contains("90d"));
    let near = report
        .findings
        .iter()
        .find(|d| d.rule == Some("tenant-near-miss"))
        .unwrap();
    assert_eq!(near.help.as_deref(), Some("did you mean `omnibase`?"));
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let bad = bad_copy();
    let report = lint(&load(bad.root.path()).catalog.unwrap());
    let doc: serde_json::Value = serde_json::from_str(&sarif(&report, "contracts/")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/sarif/sarif-2.1.0-rtm.5.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), report.findings.len() + report.waived.len());
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "retention-class-bounds")
        .unwrap();
    assert_eq!(r["level"], "error");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "contracts/gateway/aud/request/v1/topic.yaml"
    );
    assert!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            > 1
    );
}

#[test]
fn catalog_levels_override_rule_defaults() {
    let bad = bad_copy();
    bad.edit("onex.yaml", |s| {
        s.replace(
            "lints: {}",
            "lints:\n  retention-class-bounds: allow\n  description-present: deny",
        )
    });
    let report = lint(&load(bad.root.path()).catalog.unwrap());
    assert!(
        !report
            .findings
            .iter()
            .any(|d| d.rule == Some("retention-class-bounds"))
    );
    let d = report
        .findings
        .iter()
        .find(|d| d.rule == Some("description-present"))
        .unwrap();
    assert_eq!(d.severity, Severity::Error);
}

/// A catalog in memory: the corpus base with `order-shipped` as Protobuf
/// (nested message, `Timestamp`, `oneof`, enum, a field called `required`)
/// and the given sample.
fn proto_catalog(sample: &str) -> onex_codegen::Catalog {
    let base = repo().join("tests/corpus/_base");
    let mut m = onex_codegen::MemorySource::from_dir(&base).unwrap();
    let dir = "shop/evt/order-shipped/v1";
    m.remove(&format!("{dir}/payload.schema.json"));
    m.file(
        &format!("{dir}/payload.proto"),
        r#"syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
message Shipped {
  message Address { string city = 1; }
  enum Speed { SPEED_UNSPECIFIED = 0; SPEED_FAST = 1; }
  string order_id = 1;
  string carrier = 2;
  Address to = 3;
  google.protobuf.Timestamp at = 4;
  oneof tracking { string code = 5; int64 number = 6; }
  Speed speed = 7;
  bool required = 8;
  repeated Address stops = 9;
}
"#,
    );
    m.file(
        &format!("{dir}/topic.yaml"),
        std::fs::read_to_string(base.join(dir).join("topic.yaml"))
            .unwrap()
            .replace(
                "schema:\n  version: 1.0.0",
                "schema:\n  version: 1.0.0\n  message: Shipped",
            ),
    );
    m.file(&format!("{dir}/samples/basic.json"), sample);
    let loaded = onex_codegen::load_from(&m);
    loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)))
}

fn sample_findings(c: &onex_codegen::Catalog) -> Vec<String> {
    lint(c)
        .findings
        .iter()
        .filter(|f| f.rule == Some("sample-valid"))
        .map(ToString::to_string)
        .collect()
}

#[test]
fn protobuf_samples_are_read_by_the_json_mapping() {
    let ok = proto_catalog(
        r#"{ "orderId": "o-1", "carrier": "ups", "to": { "city": "Oslo" },
             "at": "2024-05-01T12:00:00Z", "code": "1Z", "speed": "SPEED_FAST",
             "required": true, "stops": [{ "city": "Bergen" }] }"#,
    );
    assert_eq!(sample_findings(&ok), Vec::<String>::new());
    for bad in [
        r#"{ "order_id": "o-1", "to": 3 }"#,
        r#"{ "order_id": "o-1", "at": "yesterday" }"#,
        r#"{ "order_id": "o-1", "code": "1Z", "number": 4 }"#,
        r#"{ "order_id": "o-1", "speed": "SPEED_SLOW" }"#,
        r#"{ "order_id": "o-1", "no_such_field": 1 }"#,
    ] {
        let c = proto_catalog(bad);
        assert_eq!(sample_findings(&c).len(), 1, "{bad}");
    }
}

/// Each problem of a sample is its own finding (no "(and 1 more)"), and a
/// retry hint never proposes a class the catalog does not define.
#[test]
fn every_sample_problem_is_shown_and_hints_fit_the_catalog() {
    let base = repo().join("tests/corpus/_base");
    let mut m = onex_codegen::MemorySource::from_dir(&base).unwrap();
    let dir = "shop/evt/order-placed/v1";
    m.file(
        &format!("{dir}/samples/basic.json"),
        r#"{ "order_id": 7, "customer": { "id": "c-1" }, "total_cents": "twelve" }"#,
    );
    m.file(
        &format!("{dir}/topic.yaml"),
        std::fs::read_to_string(base.join(dir).join("topic.yaml")).unwrap()
            + "retry:\n  tiers: [1m]\n  max_attempts: 3\n",
    );
    let loaded = onex_codegen::load_from(&m);
    let c = loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
    let samples = sample_findings(&c);
    assert_eq!(samples.len(), 2, "{samples:#?}");
    assert!(
        samples.iter().any(|f| f.contains("order_id")),
        "{samples:#?}"
    );
    assert!(
        samples.iter().any(|f| f.contains("total_cents")),
        "{samples:#?}"
    );
    assert!(samples.iter().all(|f| !f.contains("more)")), "{samples:#?}");
    let retry: Vec<String> = lint(&c)
        .findings
        .iter()
        .filter(|f| f.rule == Some("retry-implies-rty-dlt"))
        .filter_map(|f| f.help.clone())
        .collect();
    assert_eq!(retry.len(), 2, "{retry:#?}");
    for (class, help) in ["rty", "dlt"].iter().zip(&retry) {
        assert!(
            help.starts_with(&format!(
                "onex.yaml defines no `{class}` class: add it under `classes:`"
            )),
            "{help}"
        );
    }
}

/// Findings of one rule, as messages.
fn rule_messages(c: &onex_codegen::Catalog, rule: &str) -> Vec<String> {
    lint(c)
        .findings
        .iter()
        .filter(|f| f.rule == Some(rule))
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn a_reply_link_pairs_a_request_and_in_consumer_retry_needs_no_retry_topic() {
    let bad = Bad {
        root: tempfile::tempdir().unwrap(),
    };
    copy_tree(
        &repo().join("tests/fixtures/envelope-catalogs/seed-002"),
        bad.root.path(),
    );
    // A reply topic whose name does not follow `-requests`/`-replies`: the
    // `reply:` link is what pairs it.
    std::fs::rename(
        bad.file("registry/qrs/node-lookup-replies"),
        bad.file("registry/qrs/node-lookup-answers"),
    )
    .unwrap();
    for f in [
        "registry/qrs/node-lookup-requests/v1/topic.yaml",
        "nodes/requester/contract.yaml",
        "nodes/registry/contract.yaml",
    ] {
        bad.edit(f, |s| {
            s.replace("node-lookup-replies", "node-lookup-answers")
        });
    }
    let c = load(bad.root.path()).catalog.unwrap();
    assert!(rule_messages(&c, "qrs-unpaired").is_empty());
    bad.drop_block("registry/qrs/node-lookup-requests/v1/topic.yaml", "reply");
    let c = load(bad.root.path()).catalog.unwrap();
    assert_eq!(rule_messages(&c, "qrs-unpaired").len(), 1);

    // Retry tiers through a topic want a retry topic and a DLT; in the
    // consumer, only the DLT.
    let evt = "registry/evt/node-registered/v1/topic.yaml";
    bad.append(evt, "retry:\n  tiers: [1s, 5s]\n");
    let c = load(bad.root.path()).catalog.unwrap();
    let both = rule_messages(&c, "retry-implies-rty-dlt");
    assert_eq!(both.len(), 2, "{both:?}");
    bad.append(evt, "  mode: in-consumer\n");
    let c = load(bad.root.path()).catalog.unwrap();
    let m = rule_messages(&c, "retry-implies-rty-dlt");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].contains("dead-letter"), "{m:?}");
}

#[test]
fn a_dead_letter_topic_is_derived_from_the_source_name() {
    let bad = Bad {
        root: tempfile::tempdir().unwrap(),
    };
    copy_tree(
        &repo().join("tests/fixtures/envelope-catalogs/seed-004"),
        bad.root.path(),
    );
    bad.append("onex.yaml", "failure:\n  dead_letter: \"{name}.dlq\"\n");
    // Seeds 002 and 004: `billing.domain.v1` and its `billing.domain.v1.dlq`.
    bad.edit("onex.yaml", |s| {
        s.replace(
            "classes:\n",
            "classes:\n  dlt:\n    retention: { min: 30d, max: 90d }\n    compaction: none\n",
        )
        .replace(
            "      pattern: \"{context}.{class}.{topic}.{version}\"\n",
            "      pattern: \"{context}.{class}.{topic}.{version}\"\n    fabric:\n      pattern: \"{context}.{topic}.{version}\"\n    fabric-dlq:\n      pattern: \"{context}.{topic}.{version}.dlq\"\n",
        )
    });
    let src = "registry/evt/node-registered/v1";
    let dlq = "registry/dlt/node-registered/v1";
    copy_tree(&bad.file(src), &{
        let d = bad.file(dlq);
        std::fs::create_dir_all(&d).unwrap();
        d
    });
    bad.edit(&format!("{dlq}/topic.yaml"), |s| {
        s.replace("retention: 7d", "retention: 30d")
            .replace("tiered_storage: false\n", "")
            + "convention: fabric-dlq\n"
    });
    bad.append(
        &format!("{src}/topic.yaml"),
        "convention: fabric\ndlt:\n  policy: triage daily\n",
    );
    for node in [
        "nodes/requester/contract.yaml",
        "nodes/registry/contract.yaml",
    ] {
        bad.edit(node, |s| {
            s.replace(
                "registry.evt.node-registered.v1",
                "registry.node-registered.v1",
            )
        });
    }
    let loaded = load(bad.root.path());
    let c = loaded
        .catalog
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    let t = c.topics.iter().find(|t| t.id.to_string() == src).unwrap();
    let target = t.dlt.as_ref().and_then(|d| d.topic.as_ref()).unwrap();
    assert_eq!(target.to_string(), dlq);
}
