//! The contract at run time without a broker: encodings, the Confluent wire
//! format, forward compatibility, PII in `Debug`, and the failure policy of a
//! node's consumer, on the in-memory bus (the Kafka transport shares all of
//! it; `tests/kafka.rs` runs the same flows on a broker).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use generated_example::{nodes, topics};
use onex::{
    Codec, CodecError, ConsumerOptions, DispatchError, Envelope, InMemoryBus, IncomingRecord,
    Namespace, Outcome, OutgoingRecord, SchemaType, Topic, Transport, headers, wire_unframe,
};
use serde_json::json;

type Completed = topics::ValidatorEvtTestRunCompletedV1;
type Started = topics::ValidatorEvtTestRunStartedV1;
type Asset = topics::RegistryEvtAssetRegisteredV1;
type Audit = topics::AuthAuditV1;

fn ns() -> Namespace {
    Namespace::new("test", "omnibase").unwrap()
}

fn as_incoming(r: OutgoingRecord) -> IncomingRecord {
    IncomingRecord {
        topic: r.topic,
        partition: 0,
        offset: 0,
        key: r.key,
        value: Some(r.value),
        headers: r.headers,
    }
}

fn completed(run_id: &str) -> Envelope<<Completed as Topic>::Payload> {
    let payload = serde_json::from_value(json!({
        "run_id": run_id, "suite_id": "smoke", "passed": 10, "failed": 0,
        "duration_ms": 1200, "completed_at": "2025-01-15T10:30:05Z"
    }))
    .unwrap();
    Envelope::for_topic::<Completed>("test_run_completed", payload)
}

#[test]
fn protobuf_topics_carry_the_payload_in_binary_and_the_envelope_in_a_header() {
    let codec = Codec::new(ns())
        .with_schema_id("test.omnibase.validator.evt.test-run-started.v1-value", 42);
    let payload: <Started as Topic>::Payload = serde_json::from_value(json!({
        "run_id": "run-1", "suite_id": "smoke", "trigger": "ci", "case_count": 12,
        "started_at": "2025-01-15T10:30:05Z"
    }))
    .unwrap();
    let event = Envelope::for_topic::<Started>("test_run_started", payload.clone())
        .with_correlation_id("c-1");
    let record = codec.encode::<Started>(&event).unwrap();
    // Confluent frame: magic 0, id 42, message index [0], then protobuf.
    assert_eq!(&record.value[..6], &[0, 0, 0, 0, 42, 0]);
    let (id, body) = wire_unframe(&record.value, SchemaType::Protobuf).unwrap();
    assert_eq!(id, 42);
    assert_eq!(body, prost::Message::encode_to_vec(&payload).as_slice());
    assert!(!String::from_utf8_lossy(body).contains("event_id"));
    let back = codec.decode::<Started>(&as_incoming(record)).unwrap();
    assert_eq!(back, event);
}

#[test]
fn avro_topics_round_trip_as_avro_datums() {
    let codec = Codec::new(ns());
    let payload: <Asset as Topic>::Payload = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../contracts/registry/evt/asset-registered/v1/samples/basic.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let event = Envelope::for_topic::<Asset>("asset_registered", payload.clone());
    let record = codec.encode::<Asset>(&event).unwrap();
    assert_eq!(record.value, Asset::encode_payload(&payload).unwrap());
    // Avro binary: a string is its zigzag length then its bytes, no field names.
    let text = String::from_utf8_lossy(&record.value);
    assert!(
        text.contains(&payload.asset_id) && !text.contains("asset_id"),
        "{text}"
    );
    assert!(record.headers.iter().any(|(k, _)| k == headers::ENVELOPE));
    assert_eq!(codec.decode::<Asset>(&as_incoming(record)).unwrap(), event);
}

#[test]
fn json_topics_carry_the_seed_envelope_and_seed_000_headers() {
    let codec = Codec::new(ns())
        .with_schema_id("test.omnibase.validator.evt.test-run-completed.v1-value", 7);
    let mut event = completed("run-9").with_tenant("acme");
    event.metadata = Some(
        json!({"trace_id": "t-1", "actor": "svc-validator"})
            .as_object()
            .unwrap()
            .clone(),
    );
    let record = codec.encode::<Completed>(&event).unwrap();
    assert_eq!(
        record.topic,
        "test.omnibase.validator.evt.test-run-completed.v1"
    );
    assert_eq!(record.key.as_deref(), Some(&b"run-9"[..]));
    let (id, body) = wire_unframe(&record.value, SchemaType::Json).unwrap();
    assert_eq!(id, 7);
    let env: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(env["payload"]["run_id"], json!("run-9"));
    let incoming = as_incoming(record);
    assert_eq!(incoming.header(headers::SCHEMA_VERSION), Some("1.0.0"));
    assert_eq!(incoming.header(headers::TENANT), Some("acme"));
    assert_eq!(incoming.header(headers::TRACE_ID), Some("t-1"));
    assert_eq!(incoming.header(headers::ACTOR), Some("svc-validator"));
    assert_eq!(codec.decode::<Completed>(&incoming).unwrap(), event);
}

#[test]
fn an_older_minor_consumer_reads_a_newer_producers_record() {
    // v1.1.0 of the payload added `flaky` (and the envelope a field too):
    // the 1.0.0 consumer ignores both instead of failing.
    let mut env = serde_json::to_value(completed("run-new")).unwrap();
    env["payload"]["flaky"] = json!(2);
    env["schema_version"] = json!("1.1.0");
    env["priority"] = json!("high");
    let incoming = IncomingRecord {
        topic: "test.omnibase.validator.evt.test-run-completed.v1".to_owned(),
        partition: 0,
        offset: 0,
        key: Some(b"run-new".to_vec()),
        value: Some(serde_json::to_vec(&env).unwrap()),
        headers: Vec::new(),
    };
    let decoded = Codec::new(ns()).decode::<Completed>(&incoming).unwrap();
    assert_eq!(decoded.payload.run_id, "run-new");
    assert_eq!(decoded.schema_version.as_deref(), Some("1.1.0"));
    const { assert!(!Completed::STRICT_DECODING) };
    // An unknown field of the wrong shape is still an error, of course.
    env["payload"]["passed"] = json!("ten");
    let bad = IncomingRecord {
        value: Some(serde_json::to_vec(&env).unwrap()),
        ..incoming
    };
    assert!(matches!(
        Codec::new(ns()).decode::<Completed>(&bad),
        Err(CodecError::Json(_))
    ));
}

#[test]
fn debug_of_a_payload_redacts_high_pii() {
    let payload: <Audit as Topic>::Payload = serde_json::from_value(json!({
        "tenant_id": "t-1", "user_id": "u-42", "ip": "203.0.113.77", "mfa": true,
        "client_id": "web", "device_fingerprint": "fp-9f8e7d"
    }))
    .unwrap();
    let text = format!(
        "{payload:?} {:?}",
        Envelope::for_topic::<Audit>("login", payload.clone())
    );
    assert!(
        !text.contains("203.0.113.77") && !text.contains("fp-9f8e7d"),
        "{text}"
    );
    assert!(
        text.contains(onex::REDACTED) && text.contains("u-42"),
        "{text}"
    );
    // Without keys, a field that must be encrypted is refused, never sent in clear.
    assert!(matches!(
        Codec::new(ns()).encode::<Audit>(&Envelope::for_topic::<Audit>("login", payload)),
        Err(onex::BusError::Codec(CodecError::Pii(
            onex::PiiError::NoKeyProvider { .. }
        )))
    ));
}

#[onex::node(
    contract = "fixtures/kafka/validator-dashboard/contract.yaml",
    catalog = "../contracts",
    api = generated_example
)]
#[derive(Debug, Default)]
struct Dashboard {
    seen: Vec<String>,
    failures_left: u32,
}

impl DashboardHandlers for Dashboard {
    type Error = String;
    async fn handle_completed(
        &mut self,
        event: Envelope<<Completed as Topic>::Payload>,
    ) -> Result<(), String> {
        if self.failures_left > 0 {
            self.failures_left -= 1;
            return Err("flaky dependency".to_owned());
        }
        self.seen.push(event.payload.run_id);
        Ok(())
    }
}

fn fast() -> ConsumerOptions {
    ConsumerOptions {
        retry_delays: Some(vec![Duration::from_millis(20)]),
        instance: "test".to_owned(),
    }
}

#[tokio::test]
async fn a_failing_handler_is_retried_through_the_retry_topic_and_then_succeeds() {
    let bus = InMemoryBus::new(ns());
    nodes::ValidatorRunner
        .publish(&bus, Completed::default(), &completed("run-1"))
        .await
        .unwrap();
    let mut node = Dashboard {
        failures_left: 2,
        ..Dashboard::default()
    };
    let mut consumer = bus.consumer_with(&node, fast()).unwrap();
    let rty = "test.omnibase.validator.rty.test-run-completed.v1".to_owned();
    let mut outcomes = Vec::new();
    while node.seen.is_empty() {
        outcomes.push(node.handle_next(&mut consumer).await.unwrap());
    }
    assert_eq!(
        outcomes,
        [
            Outcome::Retried {
                attempt: 1,
                topic: rty.clone()
            },
            Outcome::Retried {
                attempt: 2,
                topic: rty.clone()
            },
            Outcome::Handled
        ]
    );
    let p = onex::partition_for(b"run-1", topics::ValidatorRtyTestRunCompletedV1::PARTITIONS);
    let retries = bus.records(&rty, p);
    assert_eq!(retries.len(), 2);
    let h = |r: &onex::Record, k: &str| {
        r.headers
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| String::from_utf8(v.clone()).unwrap())
    };
    assert_eq!(h(&retries[1], headers::ATTEMPT).as_deref(), Some("2"));
    assert_eq!(
        h(&retries[0], headers::FIRST_SEEN_TS),
        h(&retries[1], headers::FIRST_SEEN_TS)
    );
    assert_eq!(
        h(&retries[1], headers::ORIGINAL_TOPIC).as_deref(),
        Some("test.omnibase.validator.evt.test-run-completed.v1")
    );
    assert_eq!(
        h(&retries[1], headers::FAILURE_REASON).as_deref(),
        Some("the handler failed: flaky dependency")
    );
}

#[tokio::test]
async fn a_retry_record_is_not_handled_before_its_next_at_and_does_not_block_others() {
    let bus = InMemoryBus::new(ns());
    nodes::ValidatorRunner
        .publish(&bus, Completed::default(), &completed("run-slow"))
        .await
        .unwrap();
    let mut node = Dashboard {
        failures_left: 1,
        ..Dashboard::default()
    };
    let options = ConsumerOptions {
        retry_delays: Some(vec![Duration::from_millis(400)]),
        instance: "test".to_owned(),
    };
    let mut consumer = bus.consumer_with(&node, options).unwrap();
    // The wall clock, as `x-next-at` is (epoch milliseconds, comparable
    // across processes): a monotonic clock disagrees when the wall clock is
    // stepped during the test (seen once in CI).
    let started = std::time::SystemTime::now();
    assert!(matches!(
        node.handle_next(&mut consumer).await.unwrap(),
        Outcome::Retried { attempt: 1, .. }
    ));
    // Another record arrives meanwhile and is handled first.
    nodes::ValidatorRunner
        .publish(&bus, Completed::default(), &completed("run-fast"))
        .await
        .unwrap();
    assert_eq!(
        node.handle_next(&mut consumer).await.unwrap(),
        Outcome::Handled
    );
    assert_eq!(
        node.handle_next(&mut consumer).await.unwrap(),
        Outcome::Handled
    );
    assert_eq!(node.seen, ["run-fast", "run-slow"]);
    assert!(started.elapsed().unwrap_or_default() >= Duration::from_millis(400));
}

#[tokio::test]
async fn undecodable_and_mis_keyed_records_go_to_the_dead_letter_topic() {
    let bus = InMemoryBus::new(ns());
    let topic = "test.omnibase.validator.evt.test-run-completed.v1".to_owned();
    let good = serde_json::to_vec(&completed("run-2")).unwrap();
    for (key, value) in [
        (&b"run-2"[..], &b"{oops"[..]),
        (b"not-run-2", &good),
        (b"run-2", &good),
    ] {
        bus.transport()
            .send(OutgoingRecord {
                topic: topic.clone(),
                key: Some(key.to_vec()),
                value: value.to_vec(),
                headers: Vec::new(),
                partitions: 1,
            })
            .await
            .unwrap();
    }
    let mut node = Dashboard::default();
    let mut consumer = bus.consumer_with(&node, fast()).unwrap();
    let dlt = "test.omnibase.validator.dlt.test-run-completed.v1".to_owned();
    assert_eq!(
        node.handle_next(&mut consumer).await.unwrap(),
        Outcome::DeadLettered {
            topic: dlt.clone(),
            class: "deserialization"
        }
    );
    assert_eq!(
        node.handle_next(&mut consumer).await.unwrap(),
        Outcome::DeadLettered {
            topic: dlt.clone(),
            class: "key-mismatch"
        }
    );
    assert_eq!(
        node.handle_next(&mut consumer).await.unwrap(),
        Outcome::Handled
    );
    assert_eq!(node.seen, ["run-2"]);
    let dead: Vec<_> = (0..topics::ValidatorDltTestRunCompletedV1::PARTITIONS)
        .flat_map(|p| bus.records(&dlt, p))
        .collect();
    assert_eq!(dead.len(), 2);
    assert!(dead.iter().any(|r| r.value == b"{oops"));
}

#[tokio::test]
async fn dispatch_errors_name_their_failure_class() {
    let e: DispatchError<String> = DispatchError::Handler("x".to_owned());
    assert_eq!(e.failure_class(), "handler");
    let e: DispatchError<String> = DispatchError::UnknownTopic("t".to_owned());
    assert_eq!(e.failure_class(), "routing");
}
