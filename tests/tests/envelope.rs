//! The canonical envelope parses every envelope example of the seeds and
//! writes each back unchanged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use onex::{Envelope, Source};
use serde_json::Value;

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/envelopes");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_seed_envelope_round_trips() {
    let all = fixtures();
    assert_eq!(all.len(), 5);
    for (name, text) in all {
        let original: Value = serde_json::from_str(&text).unwrap();
        let env: Envelope<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let back = serde_json::to_value(&env).unwrap();
        assert_eq!(original, back, "{name}");
    }
}

#[test]
fn seed_002_source_object_and_seed_004_fields_are_typed() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/envelopes/seed-002-base.json"),
    )
    .unwrap();
    let env: Envelope<Value> = serde_json::from_str(&text).unwrap();
    match env.source.unwrap() {
        Source::Info(i) => assert_eq!(i.service, "archon-intelligence"),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.causation_id.as_deref(), Some("uuid-v4"));
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/envelopes/seed-004-billing-invoice-issued.json"),
    )
    .unwrap();
    let env: Envelope<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(env.tenant_id.as_deref(), Some("tenant-123"));
    assert_eq!(env.partition_key.as_deref(), Some("tenant-123"));
    assert_eq!(env.schema_version.as_deref(), Some("1.2.0"));
}

#[test]
fn new_envelopes_get_a_uuid_v7_and_timestamps() {
    let a = Envelope::new("x.y.z", 1u8);
    let b = Envelope::new("x.y.z", 2u8).caused_by(&a);
    let id = uuid::Uuid::parse_str(&a.event_id).unwrap();
    assert_eq!(id.get_version_num(), 7);
    assert!(a.occurred_at.is_some() && a.emitted_at.is_some());
    assert_eq!(b.causation_id.as_deref(), Some(a.event_id.as_str()));
    assert_eq!(b.correlation_id.as_deref(), Some(a.event_id.as_str()));
    // UUIDv7 ids sort by creation time.
    assert!(a.event_id < b.event_id);
}
