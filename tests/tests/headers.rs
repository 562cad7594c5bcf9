//! One header vocabulary: the lint rule `header-allowed` and the runtime's
//! `onex::headers` must list the same names (they drifted once: 23 vs 21).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

#[test]
fn lint_and_runtime_know_the_same_headers() {
    let lint: BTreeSet<&str> = onex_codegen::model::rules::KNOWN_HEADERS
        .iter()
        .copied()
        .collect();
    let runtime: BTreeSet<&str> = onex::headers::ALL.iter().copied().collect();
    assert_eq!(
        lint.len(),
        onex_codegen::model::rules::KNOWN_HEADERS.len(),
        "duplicates in the lint list"
    );
    assert_eq!(
        runtime.len(),
        onex::headers::ALL.len(),
        "duplicates in the runtime list"
    );
    let only_lint: Vec<_> = lint.difference(&runtime).collect();
    let only_runtime: Vec<_> = runtime.difference(&lint).collect();
    assert!(
        only_lint.is_empty() && only_runtime.is_empty(),
        "only in lint: {only_lint:?}; only in runtime: {only_runtime:?}"
    );
}

/// The lint `payload-shadows-envelope` knows the envelope's fields as the
/// runtime's `Envelope` serialises them.
#[test]
fn lint_knows_the_runtime_envelope_fields() {
    let mut e = onex::Envelope::new("t.x", serde_json::json!({}));
    e.source = Some(onex::Source::Name("s".to_owned()));
    e.correlation_id = Some("c".to_owned());
    e.causation_id = Some("c".to_owned());
    e.timestamp = Some("t".to_owned());
    e.occurred_at = Some("t".to_owned());
    e.emitted_at = Some("t".to_owned());
    e.tenant_id = Some("t".to_owned());
    e.schema_version = Some("1.0.0".to_owned());
    e.version = Some("1".to_owned());
    e.partition_key = Some("k".to_owned());
    e.ttl = Some(1);
    e.metadata = Some(serde_json::Map::new());
    let value = serde_json::to_value(&e).unwrap();
    let runtime: BTreeSet<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let lint: BTreeSet<&str> = onex_codegen::model::vocab::ENVELOPE_FIELDS
        .iter()
        .copied()
        .collect();
    assert_eq!(runtime, lint);
}
