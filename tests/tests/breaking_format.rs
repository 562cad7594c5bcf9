//! A payload that changes schema format within a major version is reported
//! under its own rule (it was reported as `breaking-json-type-changed`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use onex_codegen::governance::breaking::compare;
use onex_codegen::load;
use onex_tests::copy_tree;
use std::path::Path;

#[test]
fn a_format_change_has_its_own_rule() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/golden-catalog");
    let old = load(&golden).catalog.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&golden, tmp.path());
    let dir = tmp.path().join("shop/cmd/cancel-order/v1");
    std::fs::remove_file(dir.join("payload.schema.json")).unwrap();
    std::fs::write(
        dir.join("payload.avsc"),
        r#"{"type": "record", "name": "CancelOrder", "fields": [
  {"name": "order_number", "type": "long"},
  {"name": "reason", "type": ["null", "string"], "default": null}
]}"#,
    )
    .unwrap();
    let loaded = load(tmp.path());
    let new = loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
    let report = compare(&old, &new);
    let rules: Vec<&str> = report.findings.iter().filter_map(|d| d.rule).collect();
    assert!(
        rules.contains(&"breaking-payload-format-changed"),
        "{rules:?}"
    );
    assert!(!rules.contains(&"breaking-json-type-changed"), "{rules:?}");
}

/// Breaking findings have SARIF too (one writer for lint and breaking), and
/// it validates against the SARIF 2.1.0 schema.
#[test]
fn breaking_findings_as_sarif_validate() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/golden-catalog");
    let old = load(&golden).catalog.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&golden, tmp.path());
    std::fs::remove_dir_all(tmp.path().join("shop/evt/item-renamed")).unwrap();
    let new = load(tmp.path()).catalog.unwrap();
    let report = compare(&old, &new);
    assert!(!report.findings.is_empty());
    let text = onex_codegen::governance::sarif::to_sarif(&report.findings, &report.waived, "c/");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            onex_tests::repo().join("tests/fixtures/sarif/sarif-2.1.0-rtm.5.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "breaking-topic-removed"),
        "{results:?}"
    );
}

/// `lints:` in `onex.yaml` sets the level of `breaking-topic-removed` too
/// (it used to be reported as an error whatever the settings said).
#[test]
fn a_removed_topic_follows_the_catalog_level() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/golden-catalog");
    let old = load(&golden).catalog.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&golden, tmp.path());
    std::fs::remove_dir_all(tmp.path().join("shop/evt/item-renamed")).unwrap();
    let settings = tmp.path().join("onex.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(
        !text.contains("lints:"),
        "the fixture gained a lints: section"
    );
    std::fs::write(
        &settings,
        format!("{text}\nlints:\n  breaking-topic-removed: warn\n"),
    )
    .unwrap();
    let loaded = load(tmp.path());
    let new = loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
    let report = compare(&old, &new);
    let d = report
        .findings
        .iter()
        .find(|d| d.rule == Some("breaking-topic-removed"))
        .unwrap();
    assert_eq!(d.severity, onex_codegen::Severity::Warning);
}
