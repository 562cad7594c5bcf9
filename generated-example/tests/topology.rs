//! Nodes end to end on the in-memory bus: the seed's registry service asks
//! for introspection, our `RegistryEffectNode` (built from the seed's
//! registry-effect contract) receives and handles it, and its announcement
//! reaches the seed's registration orchestrator.
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
    DispatchError, Envelope, InMemoryBus, Namespace, Node, Publisher, Subscriber, Topic,
    partition_for,
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

#[test]
fn a_request_travels_from_the_registry_to_the_effect_node() {
    let mut bus = bus();
    let delivery = bus
        .publish::<nodes::RegistryService, Requested>(&nodes::RegistryService, &request("req-1"))
        .unwrap();
    assert_eq!(delivery.topic, "onex.registry.introspection.requested.v1");
    // Kafka's default partitioner: murmur2 of the key, modulo 3 partitions.
    assert_eq!(
        delivery.partition,
        partition_for(b"req-1", Requested::PARTITIONS)
    );

    let mut node = RegistryEffectNode::default();
    for (topic, record) in node.poll(&mut bus, Requested::default()).unwrap() {
        node.dispatch(&topic, Some(&record.key), &record.value)
            .unwrap();
    }
    assert_eq!(node.requests_seen, ["req-1"]);
    // The consumer group has read it: nothing new on the next poll.
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

#[test]
fn the_announcement_reaches_the_orchestrator() {
    #[derive(Default)]
    struct Orchestrator(Vec<String>);
    impl RegistrationOrchestratorHandlers for Orchestrator {
        type Error = String;
        fn handle_introspection_event(
            &mut self,
            event: Envelope<<Announced as Topic>::Payload>,
        ) -> Result<(), String> {
            self.0.push(event.payload.node_id);
            Ok(())
        }
    }
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../contracts/node/ctl/introspection-published/v1/samples/basic.json"
    ))
    .unwrap();
    let payload: <Announced as Topic>::Payload = serde_json::from_str(&sample).unwrap();
    let mut bus = bus();
    let me = RegistryEffectNode::default();
    bus.publish::<RegistryEffectNode, Announced>(
        &me,
        &Envelope::for_topic::<Announced>("introspection", payload),
    )
    .unwrap();
    let mut orch = Orchestrator::default();
    for (topic, record) in bus
        .poll::<nodes::RegistrationOrchestrator, Announced>(&nodes::RegistrationOrchestrator)
        .unwrap()
    {
        orch.dispatch(&topic, Some(&record.key), &record.value)
            .unwrap();
    }
    assert_eq!(orch.0, ["postgres-adapter-001"]);
}

#[test]
fn dispatch_reports_typed_errors() {
    let mut node = RegistryEffectNode::default();
    let value = serde_json::to_vec(&request("req-2")).unwrap();
    let topic = "onex.registry.introspection.requested.v1";
    assert!(matches!(
        node.dispatch("no.such.topic.v1", None, &value),
        Err(DispatchError::UnknownTopic(_))
    ));
    assert!(matches!(
        node.dispatch("onex.node.heartbeat.published.v1", None, &value),
        Err(DispatchError::NotSubscribed {
            node: "registry-effect",
            ..
        })
    ));
    assert!(matches!(
        node.dispatch(topic, None, b"{not json"),
        Err(DispatchError::Decode { .. })
    ));
    assert!(matches!(
        node.dispatch(topic, Some(b"req-other"), &value),
        Err(DispatchError::KeyMismatch { .. })
    ));
    // A legacy alias still routes.
    node.dispatch("node.request_introspection", Some(b"req-2"), &value)
        .unwrap();
    assert_eq!(node.requests_seen, ["req-2"]);
}
