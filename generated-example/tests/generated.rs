//! The generated API against the contracts it came from.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use generated_example::{EnumOnexTopic, SUBJECTS, topics};
use onex::{Namespace, PartitionKey, SubjectKind, Topic, TopicVisitor};

fn catalog() -> onex_codegen::Catalog {
    let loaded = onex_codegen::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts"));
    loaded.catalog.expect("the repository's catalog loads")
}

/// Every sample of every topic: JSON → payload struct → JSON, unchanged;
/// and the key extractor returns the sample's key field.
#[test]
fn every_sample_round_trips_through_its_payload_type() {
    struct RoundTrip<'a>(&'a onex_codegen::Topic);
    impl TopicVisitor for RoundTrip<'_> {
        type Output = usize;
        fn visit<T: Topic>(self) -> usize {
            assert!(!self.0.samples.is_empty(), "{} has no sample", T::NAME);
            for s in &self.0.samples {
                let payload: T::Payload = serde_json::from_value(s.value.clone())
                    .unwrap_or_else(|e| panic!("{}: {e}", s.file));
                let back = serde_json::to_value(&payload).unwrap();
                assert_eq!(back, s.value, "{} changed in the round trip", s.file);
                let mut field = &s.value;
                for seg in T::KEY_FIELD.split('.') {
                    field = &field[seg];
                }
                let expected = match field {
                    serde_json::Value::String(v) => v.clone(),
                    other => other.to_string(),
                };
                assert_eq!(T::key(&payload).key_string(), expected, "{}: key", s.file);
            }
            self.0.samples.len()
        }
    }
    let c = catalog();
    let mut checked = 0;
    for t in &c.topics {
        let topic: EnumOnexTopic = t.name.to_string().parse().unwrap();
        checked += topic.visit(RoundTrip(t));
    }
    assert!(checked >= c.topics.len());
}

#[test]
fn the_enum_has_one_variant_per_topic_version_with_its_facts() {
    let c = catalog();
    assert_eq!(EnumOnexTopic::ALL.len(), c.topics.len());
    assert_eq!(EnumOnexTopic::COUNT, c.topics.len());
    for t in &c.topics {
        let e: EnumOnexTopic = t.name.to_string().parse().unwrap();
        assert_eq!(e.name(), t.name.to_string());
        assert_eq!(e.partitions(), t.partitions);
        assert_eq!(e.retention_ms(), t.retention_ms);
        assert_eq!(e.key_field(), t.key.field());
        assert_eq!(e.major(), t.id.major);
        assert_eq!(e.class().as_str(), t.id.class);
        assert_eq!(e.to_string(), t.name.to_string());
    }
}

#[test]
fn names_resolve_from_templates_concrete_names_and_aliases() {
    let hb = EnumOnexTopic::resolve("onex.node.heartbeat.published.v1").unwrap();
    assert_eq!(hb.topic, topics::OnexNodeHeartbeatPublishedV1::ENUM);
    assert!(!hb.is_deprecated_alias());
    let legacy = EnumOnexTopic::resolve("node.heartbeat").unwrap();
    assert_eq!(legacy.topic, hb.topic);
    assert_eq!(legacy.via_alias, Some("node.heartbeat"));
    let concrete: EnumOnexTopic = "prod.omnibase.onex.evt.contract-created.v1"
        .parse()
        .unwrap();
    assert_eq!(concrete, topics::OnexEvtContractCreatedV1::ENUM);
    assert!(
        "prod.omnabase.onex.evt.contract-created.v1"
            .parse::<EnumOnexTopic>()
            .is_err()
    );
    // serde uses the name.
    let json = serde_json::to_string(&concrete).unwrap();
    assert_eq!(json, "\"{env}.omnibase.onex.evt.contract-created.v1\"");
    assert_eq!(
        serde_json::from_str::<EnumOnexTopic>("\"node.introspection\"").unwrap(),
        topics::OnexNodeIntrospectionPublishedV1::ENUM
    );
}

#[test]
fn topic_types_carry_the_contract_facts() {
    type Hb = topics::OnexNodeHeartbeatPublishedV1;
    assert_eq!(Hb::NAME, "onex.node.heartbeat.published.v1");
    assert_eq!(Hb::PARTITIONS, 3);
    assert_eq!(Hb::RETENTION_MS, 3_600_000);
    assert_eq!(Hb::KEY_FIELD, "node_id");
    assert_eq!(Hb::VALUE_SUBJECT, "onex.node.heartbeat.published.v1-value");
    assert_eq!(Hb::KEY_SUBJECT, "onex.node.heartbeat.published.v1-key");
    assert_eq!(Hb::ALIASES, &["node.heartbeat"]);
    type Cc = topics::OnexEvtContractCreatedV1;
    let ns = Namespace::new("prod", "omnibase").unwrap();
    assert_eq!(
        Cc::name_in(&ns).unwrap(),
        "prod.omnibase.onex.evt.contract-created.v1"
    );
    assert_eq!(
        ns.render(Cc::VALUE_SUBJECT).unwrap(),
        "prod.omnibase.onex.evt.contract-created.v1-value"
    );
}

#[test]
fn every_topic_has_a_value_and_a_key_subject() {
    for t in EnumOnexTopic::ALL {
        for kind in [SubjectKind::Value, SubjectKind::Key] {
            assert_eq!(
                SUBJECTS
                    .iter()
                    .filter(|s| s.topic == t.name() && s.kind == kind)
                    .count(),
                1,
                "{t} {kind:?}"
            );
        }
    }
    let exported: serde_json::Value =
        serde_json::from_str(include_str!("../src/generated/subjects.json")).unwrap();
    assert_eq!(exported.as_object().unwrap().len(), SUBJECTS.len());
}

/// build.rs output and the checked-in copy are the same bytes.
#[test]
fn build_output_matches_the_checked_in_copy() {
    let built = include_str!(concat!(env!("OUT_DIR"), "/onex.rs"));
    let checked_in = include_str!("../src/generated/onex.rs");
    assert!(
        built == checked_in,
        "src/generated/onex.rs is stale: run `cargo xtask gen`"
    );
}
