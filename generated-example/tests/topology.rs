//! Nodes end to end on the in-memory bus: the seed's registry service asks
//! for introspection, our `RegistryEffectNode` (built from the seed's
//! registry-effect contract) receives and handles it, and its announcement
//! reaches the seed's registration orchestrator through its consumer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use generated_example::nodes::{self, RegistrationOrchestratorHandlers};
use generated_example::registry::{RegistryEffectNode, RegistryEffectNodeHandlers};
use generated_example::{payloads, topics};
use onex::{
    DispatchError, Envelope, InMemoryBus, IncomingRecord, Namespace, Node, Outcome, Publisher,
    Topic, partition_for,
};

type Requested = topics::OnexRegistryIntrospectionRequestedV1;
type Announced = topics::OnexNodeIntrospectionPublishedV1;

fn bus() -> InMemoryBus {
    InMemoryBus::new(Namespace::new("prod", "omnibase").unwrap())
}

fn request(id: &str) -> Envelope<<Requested as Topic>::Payload> {
    let payload = payloads::onex_registry_introspection_requested_v1::IntrospectionRequested {
        request_id: id.to_owned(),
        reason: "registry_startup".to_owned(),
        target_node_ids: None,
        target_node_types: None,
    };
    Envelope::for_topic::<Requested>("onex.registry.introspection.requested", payload)
}

fn incoming(topic: &str, key: Option<&[u8]>, value: &[u8]) -> IncomingRecord {
    IncomingRecord {
        topic: topic.to_owned(),
        partition: 0,
        offset: 0,
        key: key.map(<[u8]>::to_vec),
        value: Some(value.to_vec()),
        headers: Vec::new(),
    }
}

#[tokio::test]
async fn a_request_travels_from_the_registry_to_the_effect_node() {
    let bus = bus();
    let delivery = bus
        .publish::<nodes::RegistryService, Requested>(&nodes::RegistryService, &request("req-1"))
        .await
        .unwrap();
    assert_eq!(delivery.topic, "onex.registry.introspection.requested.v1");
    // Kafka's default partitioner: murmur2 of the key, modulo 3 partitions.
    assert_eq!(
        delivery.partition,
        partition_for(b"req-1", Requested::PARTITIONS)
    );

    let mut node = RegistryEffectNode::default();
    let mut consumer = bus.consumer(&node).unwrap();
    assert_eq!(
        consumer.topics(),
        ["onex.registry.introspection.requested.v1"]
    );
    assert_eq!(
        node.handle_next(&mut consumer).await.unwrap(),
        Outcome::Handled
    );
    assert_eq!(node.requests_seen, ["req-1"]);
    // Committed: the consumer group's position moved past it.
    assert_eq!(
        bus.transport().committed(
            RegistryEffectNode::CONSUMER_GROUP,
            "onex.registry.introspection.requested.v1",
            delivery.partition
        ),
        1
    );
    assert!(
        bus.poll::<RegistryEffectNode, Requested>(&node)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        <RegistryEffectNode as Node>::CONTRACT,
        "nodes/registry-effect/contract.yaml"
    );
}

#[derive(Default)]
struct Orchestrator(Vec<String>);

impl RegistrationOrchestratorHandlers for Orchestrator {
    type Error = String;
    async fn handle_introspection_event(
        &mut self,
        event: Envelope<<Announced as Topic>::Payload>,
    ) -> Result<(), String> {
        self.0.push(event.payload.node_id);
        Ok(())
    }
}

#[tokio::test]
async fn the_announcement_reaches_the_orchestrator() {
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../contracts/node/ctl/introspection-published/v1/samples/basic.json"
    ))
    .unwrap();
    let payload: <Announced as Topic>::Payload = serde_json::from_str(&sample).unwrap();
    let bus = bus();
    let me = RegistryEffectNode::default();
    me.publish(
        &bus,
        Announced::default(),
        &Envelope::for_topic::<Announced>("introspection", payload),
    )
    .await
    .unwrap();
    let mut orch = Orchestrator::default();
    let mut consumer = bus.consumer(&nodes::RegistrationOrchestrator).unwrap();
    orch.handle_next(&mut consumer).await.unwrap();
    assert_eq!(orch.0, ["postgres-adapter-001"]);
}

#[tokio::test]
async fn dispatch_reports_typed_errors() {
    let bus = bus();
    let codec = bus.codec();
    let mut node = RegistryEffectNode::default();
    let value = serde_json::to_vec(&request("req-2")).unwrap();
    let topic = "onex.registry.introspection.requested.v1";
    assert!(matches!(
        node.dispatch(codec, &incoming("no.such.topic.v1", None, &value))
            .await,
        Err(DispatchError::UnknownTopic(_))
    ));
    assert!(matches!(
        node.dispatch(
            codec,
            &incoming("onex.node.heartbeat.published.v1", None, &value)
        )
        .await,
        Err(DispatchError::NotSubscribed {
            node: "registry-effect",
            ..
        })
    ));
    assert!(matches!(
        node.dispatch(codec, &incoming(topic, None, b"{not json"))
            .await,
        Err(DispatchError::Decode { .. })
    ));
    assert!(matches!(
        node.dispatch(codec, &incoming(topic, Some(b"req-other"), &value))
            .await,
        Err(DispatchError::KeyMismatch { .. })
    ));
    // A legacy alias still routes.
    node.dispatch(
        codec,
        &incoming("node.request_introspection", Some(b"req-2"), &value),
    )
    .await
    .unwrap();
    assert_eq!(node.requests_seen, ["req-2"]);
}
