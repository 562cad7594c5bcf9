// Our registry-effect node publishes a registry state topic that its
// contract does not list.
use generated_example::registry::RegistryEffectNode;
use generated_example::topics::OnexRegistryNodeRegisteredV1;
use onex::{Envelope, InMemoryBus, Topic};

fn announce(bus: &InMemoryBus, event: &Envelope<<OnexRegistryNodeRegisteredV1 as Topic>::Payload>) {
    let node = RegistryEffectNode::default();
    let _ = node.publish(bus, OnexRegistryNodeRegisteredV1, event);
}

fn main() {
    let _ = announce;
}
