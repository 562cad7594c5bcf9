// Our registry-effect node polls heartbeats, which its contract does not
// subscribe to.
use generated_example::registry::RegistryEffectNode;
use generated_example::topics::OnexNodeHeartbeatPublishedV1;
use onex::{InMemoryBus, Namespace};

fn main() {
    let bus = InMemoryBus::new(Namespace::new("dev", "omnibase").unwrap());
    let node = RegistryEffectNode::default();
    let _ = node.poll(&bus, OnexNodeHeartbeatPublishedV1);
}
