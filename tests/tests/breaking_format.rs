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
