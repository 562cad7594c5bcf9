//! On seed topics: build a payload, extract its key, wrap it in an envelope,
//! serialise it, parse it back, and resolve topics from a name and from a
//! legacy alias.
//!
//! Run with `cargo run -p generated-example --example roundtrip`.

use generated_example::payloads::onex_node_heartbeat_published_v1::HeartbeatPublished;
use generated_example::{EnumOnexTopic, topics};
use onex::{Envelope, Namespace, Topic};

type Heartbeat = topics::OnexNodeHeartbeatPublishedV1;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A payload of seed 001's heartbeat topic, and its partition key.
    let payload = HeartbeatPublished {
        node_id: "postgres-adapter-001".to_owned(),
        node_type: "EFFECT".to_owned(),
        node_version: Some("1.0.0".to_owned()),
        uptime_seconds: 3600,
        active_operations_count: Some(5),
        memory_usage_mb: Some(256.5),
        cpu_usage_percent: Some(15.2),
    };
    // The key borrows from the payload (a `&str` here): no copy.
    let key: &str = Heartbeat::key(&payload);
    println!("topic    {}", Heartbeat::NAME);
    println!("key      {} = {key:?}", Heartbeat::KEY_FIELD);
    let key = key.to_owned();
    println!(
        "subjects {} / {}",
        Heartbeat::VALUE_SUBJECT,
        Heartbeat::KEY_SUBJECT
    );

    // Wrapped in the canonical envelope, serialised and parsed back.
    let envelope = Envelope::for_topic::<Heartbeat>("onex.node.heartbeat.published", payload)
        .with_source("node/postgres-adapter")
        .with_correlation_id("5b1e0d2c-7a55-4f0e-8f3c-1a2b3c4d5e6f");
    let json = serde_json::to_string_pretty(&envelope)?;
    println!("envelope {json}");
    let back: Envelope<<Heartbeat as Topic>::Payload> = serde_json::from_str(&json)?;
    assert_eq!(back, envelope);
    assert_eq!(back.partition_key.as_deref(), Some(key.as_str()));
    println!("parsed back: identical");

    // A name with its run-time parts bound, and a legacy alias.
    let ns = Namespace::new("prod", "omnibase")?;
    let wire = ns.render(topics::OnexEvtContractCreatedV1::NAME)?;
    let t: EnumOnexTopic = wire.parse()?;
    println!(
        "resolved {wire} -> {t:?} ({} partitions, retention {} ms)",
        t.partitions(),
        t.retention_ms()
    );
    if let Some(r) = EnumOnexTopic::resolve("node.introspection") {
        println!(
            "resolved legacy alias {:?} -> {} (deprecated: use the canonical name)",
            r.via_alias.unwrap_or_default(),
            r.topic
        );
    }
    Ok(())
}
