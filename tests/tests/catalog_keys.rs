//! Payloads whose root is not a record and keys that are not payload
//! fields, end to end (`tests/fixtures/key-catalog/`): JSON Schema enum,
//! array, `oneOf` and `$ref` roots and Avro enum, array and union roots load,
//! lint clean and generate usable types; request/reply topics keyed by the
//! envelope's `correlation_id` and keyless metrics go through the codec and
//! a node's consumer on the in-memory bus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use onex::{
    BusError, Codec, CodecError, Envelope, EnvelopeError, EnvelopeField, IncomingRecord, KeySource,
    Namespace, Outcome, Topic, TopicVisitor,
};
use serde_json::{Value, json};

mod kc {
    onex::include_contracts!("fixtures/key-catalog");
}

use kc::topics;

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/key-catalog")
}

fn ns() -> Namespace {
    Namespace::new("dev", "acme").unwrap()
}

#[test]
fn the_catalog_loads_and_lints_clean() {
    let loaded = onex_codegen::load(&root());
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}",
        loaded
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
    let catalog = loaded.catalog.unwrap();
    let findings = onex_codegen::governance::lint::lint(&catalog).findings;
    assert!(
        findings.is_empty(),
        "{:?}",
        findings.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
    let roots: Vec<(String, &str)> = catalog
        .topics
        .iter()
        .map(|t| {
            let root = t
                .schema
                .payload
                .root_type
                .as_ref()
                .map_or("record", onex_codegen::model::payload::FieldType::describe);
            (t.name.to_string(), root)
        })
        .collect();
    assert_eq!(
        roots,
        [
            ("probe.met.color.v1".to_owned(), "enum"),
            ("probe.met.ident.v1".to_owned(), "string"),
            ("probe.met.label.v1".to_owned(), "string"),
            ("probe.met.latencies.v1".to_owned(), "array"),
            ("probe.met.reading.v1".to_owned(), "untyped value"),
            ("probe.met.samples.v1".to_owned(), "array"),
            ("probe.met.status.v1".to_owned(), "enum"),
            ("probe.qrs.ping-requests.v1".to_owned(), "record"),
            ("probe.qrs.pong-replies.v1".to_owned(), "record"),
        ]
    );
}

#[test]
fn every_sample_decodes_into_its_generated_type_and_back() {
    struct Check(Value);
    impl TopicVisitor for Check {
        type Output = ();
        fn visit<T: Topic>(self) {
            let p: T::Payload = serde_json::from_value(self.0.clone())
                .unwrap_or_else(|e| panic!("{}: {e}", T::NAME));
            // Avro and Protobuf go through their binary encodings too.
            let back = T::decode_payload(&T::encode_payload(&p).unwrap()).unwrap();
            assert_eq!(serde_json::to_value(&back).unwrap(), self.0, "{}", T::NAME);
        }
    }
    let catalog = onex_codegen::load(&root()).catalog.unwrap();
    let mut n = 0;
    for t in &catalog.topics {
        let e: kc::EnumOnexTopic = t.name.to_string().parse().unwrap();
        for s in &t.samples {
            let () = e.visit(Check(s.value.clone()));
            n += 1;
        }
    }
    assert_eq!(n, 12);
}

#[test]
fn generated_root_types_are_the_schemas_types() {
    // typify: an enum for a string enum root; a Vec for an array root.
    let s: <topics::ProbeMetStatusV1 as Topic>::Payload = serde_json::from_str("\"down\"").unwrap();
    assert_eq!(serde_json::to_string(&s).unwrap(), "\"down\"");
    // (an array root is an alias of `Vec<i64>`)
    let v: Vec<i64> =
        serde_json::from_str::<<topics::ProbeMetSamplesV1 as Topic>::Payload>("[4]").unwrap();
    assert_eq!(v, [4]);
    // Avro: the schema's own Rust types under `Payload`.
    let c: <topics::ProbeMetColorV1 as Topic>::Payload = serde_json::from_str("\"RED\"").unwrap();
    assert_eq!(c.to_string(), "RED");
    let l: <topics::ProbeMetLatenciesV1 as Topic>::Payload = vec![1, 2];
    let label: <topics::ProbeMetLabelV1 as Topic>::Payload = None;
    assert_eq!((l.len(), label), (2, None::<String>));
    assert!(
        serde_json::from_str::<<topics::ProbeMetStatusV1 as Topic>::Payload>("\"sideways\"")
            .is_err()
    );
}

#[test]
fn key_sources_are_the_contracts() {
    assert_eq!(
        topics::ProbeQrsPingRequestsV1::KEY_SOURCE,
        KeySource::Envelope(EnvelopeField::CorrelationId)
    );
    assert_eq!(topics::ProbeQrsPingRequestsV1::KEY_FIELD, "correlation_id");
    assert_eq!(topics::ProbeMetStatusV1::KEY_SOURCE, KeySource::None);
    assert_eq!(topics::ProbeMetStatusV1::KEY_FIELD, "");
}

fn ping(target: &str) -> Envelope<<topics::ProbeQrsPingRequestsV1 as Topic>::Payload> {
    Envelope::for_topic::<topics::ProbeQrsPingRequestsV1>(
        "ping",
        serde_json::from_value(json!({ "target": target, "deadline_ms": null })).unwrap(),
    )
}

fn incoming(out: onex::OutgoingRecord) -> IncomingRecord {
    IncomingRecord {
        topic: out.topic,
        partition: 0,
        offset: 0,
        key: out.key,
        value: Some(out.value),
        headers: out.headers,
    }
}

#[test]
fn an_envelope_key_is_the_fields_text_and_is_required_to_send() {
    type Ping = topics::ProbeQrsPingRequestsV1;
    let codec = Codec::new(ns());
    // No correlation_id: the producer refuses (qrs requires it, and it is the key).
    match codec.encode::<Ping>(&ping("db-1")) {
        Err(BusError::Codec(CodecError::Envelope(EnvelopeError::Missing(f)))) => {
            assert_eq!(f, EnvelopeField::CorrelationId);
        }
        other => panic!("{other:?}"),
    }
    let event = ping("db-1").with_correlation_id("conv-1");
    let out = codec.encode::<Ping>(&event).unwrap();
    assert_eq!(out.key.as_deref(), Some(&b"conv-1"[..]));
    assert_eq!(
        onex::record_key::<Ping, _>(&event).unwrap(),
        Some(b"conv-1".to_vec())
    );
    // The consumer checks the key against the envelope field.
    let back = codec.decode::<Ping>(&incoming(out.clone())).unwrap();
    assert!(Codec::key_matches::<Ping>(&incoming(out.clone()), &back));
    let mut forged = incoming(out);
    forged.key = Some(b"conv-2".to_vec());
    assert!(!Codec::key_matches::<Ping>(&forged, &back));
}

#[test]
fn a_keyless_topic_sends_a_null_key() {
    type Status = topics::ProbeMetStatusV1;
    let codec = Codec::new(ns());
    let event = Envelope::for_topic::<Status>("status", serde_json::from_str("\"up\"").unwrap());
    let out = codec.encode::<Status>(&event).unwrap();
    assert_eq!(out.key, None);
    let wire: Value = serde_json::from_slice(&out.value).unwrap();
    assert_eq!(wire["payload"], "up");
    let back = codec.decode::<Status>(&incoming(out)).unwrap();
    assert_eq!(serde_json::to_value(back.payload).unwrap(), "up");
}

/// A keyless topic has a value subject only, in every place subjects are
/// listed: the generated `SUBJECTS` and `KEY_SUBJECT`, `subjects.json`, the
/// AsyncAPI export and both docs; keyed topics list both.
#[test]
fn a_keyless_topic_has_no_key_subject_anywhere() {
    type Status = topics::ProbeMetStatusV1;
    assert_eq!(Status::KEY_SUBJECT, "");
    let kinds = |topic: &str| -> Vec<onex::SubjectKind> {
        kc::SUBJECTS
            .iter()
            .filter(|s| s.topic == topic)
            .map(|s| s.kind)
            .collect()
    };
    assert_eq!(kinds(Status::NAME), [onex::SubjectKind::Value]);
    assert_eq!(
        kinds(topics::ProbeQrsPingRequestsV1::NAME),
        [onex::SubjectKind::Value, onex::SubjectKind::Key]
    );

    let catalog = onex_codegen::load(&root()).catalog.unwrap();
    let generated = onex_codegen::generate(&catalog, &onex_codegen::Options::default()).unwrap();
    let subjects: Value = serde_json::from_str(&generated.subjects_json).unwrap();
    let entries = |topic: &str, kind: &str| {
        subjects
            .as_object()
            .unwrap()
            .values()
            .filter(|v| v["topic"] == topic && v["kind"] == kind)
            .count()
    };
    assert_eq!(entries(Status::NAME, "value"), 1);
    assert_eq!(entries(Status::NAME, "key"), 0);
    assert_eq!(entries(topics::ProbeQrsPingRequestsV1::NAME, "key"), 1);

    let asyncapi = onex_codegen::export::asyncapi::catalog_document(&catalog);
    // Every message's `x-onex-schema.subjects`, wherever it sits.
    fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Object(m) => {
                if let Some(s) = m.get("x-onex-schema").and_then(|x| x.get("subjects")) {
                    out.push(s);
                }
                m.values().for_each(|x| collect(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    let mut channel_subjects = Vec::new();
    collect(&asyncapi, &mut channel_subjects);
    assert!(!channel_subjects.is_empty());
    assert!(channel_subjects.iter().all(|s| s.get("value").is_some()));
    assert!(channel_subjects.iter().any(|s| s.get("key").is_none()));
    assert!(channel_subjects.iter().any(|s| s.get("key").is_some()));

    let md = onex_codegen::export::docs::render(&catalog, &[], &[]).unwrap();
    let html = onex_codegen::export::html::render(&catalog, &[], &[]).unwrap();
    for (docs, what) in [(&md, "md"), (&html, "html")] {
        let page = docs
            .iter()
            .find(|(path, text)| path.contains("status") && text.contains(Status::NAME))
            .map(|(_, text)| text)
            .unwrap_or_else(|| panic!("{what}: no page for {}", Status::NAME));
        assert!(page.contains("keyless: no key subject"), "{what}: {page}");
        assert!(!page.contains(&format!("{}-key", Status::NAME)), "{what}");
    }
}

/// On the in-memory bus, keyless records keep their null key and go round
/// the partitions (a keyed record always lands on its key's partition).
#[tokio::test]
async fn keyless_records_keep_a_null_key_and_spread_over_partitions() {
    type Status = topics::ProbeMetStatusV1;
    let bus = onex::InMemoryBus::new(ns());
    let n = Status::PARTITIONS * 2;
    for _ in 0..n {
        let event =
            Envelope::for_topic::<Status>("status", serde_json::from_str("\"up\"").unwrap());
        kc::nodes::Prober
            .publish(&bus, topics::ProbeMetStatusV1, &event)
            .await
            .unwrap();
    }
    let name = Status::name_in(&ns()).unwrap();
    let per_partition: Vec<Vec<onex::Record>> = (0..Status::PARTITIONS)
        .map(|p| bus.records(&name, p))
        .collect();
    assert!(
        per_partition.iter().all(|r| r.len() == 2),
        "{per_partition:?}"
    );
    assert!(per_partition.iter().flatten().all(|r| r.key.is_none()));
    // The consumer sees the null key too.
    let mut consumer = bus.consumer(&Responder::default()).unwrap();
    let delivered = consumer.next().await.unwrap();
    assert_eq!(delivered.record.key, None);
}

#[onex::node(
    contract = "fixtures/key-catalog/nodes/responder/contract.yaml",
    catalog = "fixtures/key-catalog",
    api = crate::kc
)]
#[derive(Debug, Default)]
struct Responder {
    pings: Vec<(String, String)>,
    statuses: Vec<String>,
}

impl ResponderHandlers for Responder {
    type Error = String;
    async fn on_ping(
        &mut self,
        event: Envelope<<topics::ProbeQrsPingRequestsV1 as Topic>::Payload>,
    ) -> Result<(), String> {
        let conv = event.correlation_id.clone().unwrap_or_default();
        self.pings.push((conv, event.payload.target));
        Ok(())
    }
    async fn on_status(
        &mut self,
        event: Envelope<<topics::ProbeMetStatusV1 as Topic>::Payload>,
    ) -> Result<(), String> {
        self.statuses.push(
            serde_json::to_value(event.payload)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned(),
        );
        Ok(())
    }
}

#[tokio::test]
async fn a_compiled_consumer_handles_envelope_keyed_and_keyless_records() {
    let bus = onex::InMemoryBus::new(ns());
    kc::nodes::Prober
        .publish(
            &bus,
            topics::ProbeQrsPingRequestsV1,
            &ping("db-1").with_correlation_id("conv-9"),
        )
        .await
        .unwrap();
    kc::nodes::Prober
        .publish(
            &bus,
            topics::ProbeMetStatusV1,
            &Envelope::for_topic::<topics::ProbeMetStatusV1>(
                "status",
                serde_json::from_str("\"down\"").unwrap(),
            ),
        )
        .await
        .unwrap();
    let mut node = Responder::default();
    let mut consumer = bus.consumer(&node).unwrap();
    let mut outcomes = Vec::new();
    while node.pings.len() + node.statuses.len() < 2 {
        outcomes.push(node.handle_next(&mut consumer).await.unwrap());
    }
    assert_eq!(outcomes, [Outcome::Handled, Outcome::Handled]);
    assert_eq!(node.pings, [("conv-9".to_owned(), "db-1".to_owned())]);
    assert_eq!(node.statuses, ["down"]);
}

#[test]
fn the_breaking_check_reads_non_record_roots_and_key_sources() {
    let old = onex_codegen::load(&root()).catalog.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    onex_tests::copy_tree(&root(), tmp.path());
    let edit = |rel: &str, from: &str, to: &str| {
        let p = tmp.path().join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel}");
        std::fs::write(p, text.replace(from, to)).unwrap();
    };
    // A JSON enum root and an Avro enum root lose a value; the request
    // topic moves its key from the envelope into the payload.
    edit(
        "probe/met/status/v1/payload.schema.json",
        r#"["up", "down"]"#,
        r#"["up"]"#,
    );
    edit(
        "probe/met/color/v1/payload.avsc",
        r#"["RED", "GREEN"]"#,
        r#"["RED"]"#,
    );
    edit("probe/met/color/v1/samples/basic.json", "GREEN", "RED");
    edit(
        "probe/qrs/ping-requests/v1/topic.yaml",
        "  envelope: correlation_id",
        "  field: target",
    );
    for node in ["prober", "responder"] {
        let rel = format!("nodes/{node}/contract.yaml");
        let p = tmp.path().join(&rel);
        let text = std::fs::read_to_string(&p).unwrap();
        let text = text.replacen(
            "- topic: probe.qrs.ping-requests.v1\n      key: correlation_id",
            "- topic: probe.qrs.ping-requests.v1\n      key: target",
            1,
        );
        std::fs::write(p, text).unwrap();
    }
    let loaded = onex_codegen::load(tmp.path());
    let new = loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
    let report = onex_codegen::governance::breaking::compare(&old, &new);
    let by_file = |file: &str| -> Vec<&str> {
        report
            .findings
            .iter()
            .filter(|d| {
                d.location
                    .as_ref()
                    .is_some_and(|l| l.file.starts_with(file))
            })
            .filter_map(|d| d.rule)
            .collect()
    };
    assert!(!by_file("probe/met/status/").is_empty(), "{report:?}");
    assert!(!by_file("probe/met/color/").is_empty(), "{report:?}");
    assert_eq!(
        by_file("probe/qrs/ping-requests/"),
        ["breaking-key-changed"]
    );
    let moved = report
        .findings
        .iter()
        .find(|d| d.rule == Some("breaking-key-changed"))
        .unwrap();
    assert_eq!(
        moved.message,
        "the key changed from `envelope correlation_id` to `target` in `probe.qrs.ping-requests.v1`"
    );
}

/// Optional arrays and maps are `Option<_>` and an optional property that
/// may be `null` is `Option<Option<_>>`, so that absent, `[]`, `{}` and
/// `null` read as different values (and write back as they were read).
#[test]
fn absent_empty_and_null_are_different_values() {
    use kc::payloads::probe_qrs_ping_requests_v1::Ping;
    let read = |v: Value| serde_json::from_value::<Ping>(v).unwrap();
    let absent = read(json!({ "target": "a", "deadline_ms": 1 }));
    let empty =
        read(json!({ "target": "a", "hops": [], "labels": {}, "note": null, "deadline_ms": null }));
    assert_eq!(absent.hops, None);
    assert_eq!(empty.hops, Some(vec![]));
    assert_eq!(absent.labels, None);
    assert_eq!(empty.labels.as_ref().map(|m| m.len()), Some(0));
    assert_eq!(absent.note, None);
    assert_eq!(empty.note, Some(None));
    // Required and nullable: `Option<_>`, and absent is an error.
    assert_eq!(absent.deadline_ms, Some(1));
    assert_eq!(empty.deadline_ms, None);
    assert!(serde_json::from_value::<Ping>(json!({ "target": "a" })).is_err());
    // The field's own description survives the rewrite.
    let ty = std::any::type_name_of_val(&absent.note);
    assert!(
        ty.contains("Option<core::option::Option<alloc::string::String>>"),
        "{ty}"
    );
}

/// Protobuf payloads read and write Protobuf's JSON mapping (enum names,
/// 64-bit integers as strings, `Timestamp` as RFC 3339, `bytes` as base64,
/// either spelling of a field name), with well-known types from
/// `onex::prost_types`; unknown fields are ignored.
#[test]
fn protobuf_payloads_follow_the_json_mapping() {
    use kc::payloads::probe_qrs_pong_replies_v1::{Pong, pong};
    let pong = Pong {
        target: "db-1".into(),
        health: pong::Health::Ok as i32,
        path: vec![pong::Hop {
            node: "edge".into(),
            delay_ns: 1 << 40,
        }],
        answered_at: Some(onex::prost_types::Timestamp {
            seconds: 0,
            nanos: 0,
        }),
        detail: Some(pong::Detail::Error("late".into())),
        ..Pong::default()
    };
    let json = serde_json::to_value(&pong).unwrap();
    assert_eq!(
        json,
        json!({
            "target": "db-1",
            "health": "HEALTH_OK",
            "path": [{ "node": "edge", "delay_ns": "1099511627776" }],
            "answered_at": "1970-01-01T00:00:00Z",
            "error": "late"
        })
    );
    let read: Pong = serde_json::from_value(json!({
        "target": "db-1",
        "health": "HEALTH_OK",
        "path": [{ "node": "edge", "delayNs": 1_099_511_627_776_i64 }],
        "answeredAt": "1970-01-01T00:00:00Z",
        "error": "late",
        "added_in_a_later_minor": true
    }))
    .unwrap();
    assert_eq!(read, pong);
    // An enum value a later minor added reads as the default (as unknown
    // fields are ignored); a value of the wrong type is an error.
    let newer: Pong = serde_json::from_value(json!({ "health": "HEALTH_NEW" })).unwrap();
    assert_eq!(newer.health, 0);
    assert!(serde_json::from_value::<Pong>(json!({ "rtt_ms": "soon" })).is_err());
}

/// JSON Schema maps are ordered (as Avro's), so that equal payloads
/// encode to equal bytes whatever the process (a `HashMap` iterates in a
/// random order): written keys come out sorted. (Protobuf maps stay
/// prost's `HashMap`: prost-derive's code for `btree_map` names `::prost`
/// itself, which a crate without a prost dependency cannot build.)
#[test]
fn maps_are_ordered_so_encodings_are_reproducible() {
    use kc::payloads::probe_qrs_ping_requests_v1::Ping;
    let keys: Vec<String> = ["m", "b", "z", "a", "q", "c"].map(String::from).to_vec();
    let ping: Ping = serde_json::from_value(json!({
        "target": "a", "deadline_ms": 1,
        "labels": keys.iter().map(|k| (k.clone(), json!(1))).collect::<serde_json::Map<_, _>>()
    }))
    .unwrap();
    let labels: &std::collections::BTreeMap<String, i64> = ping.labels.as_ref().unwrap();
    assert_eq!(
        labels.keys().collect::<Vec<_>>(),
        ["a", "b", "c", "m", "q", "z"]
    );
    let text = serde_json::to_string(&ping).unwrap();
    assert!(
        text.contains(r#""labels":{"a":1,"b":1,"c":1,"m":1,"q":1,"z":1}"#),
        "{text}"
    );
}
