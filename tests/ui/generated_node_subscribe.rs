// The seed's database adapter persists orchestrator and reducer events; it
// does not subscribe to node heartbeats.
use generated_example::nodes::DatabaseAdapterEffect;
use generated_example::topics::OnexNodeHeartbeatPublishedV1;
use onex::{InMemoryBus, Namespace};

fn main() {
    let bus = InMemoryBus::new(Namespace::new("dev", "omninode_bridge").unwrap());
    let _ = DatabaseAdapterEffect.poll(&bus, OnexNodeHeartbeatPublishedV1);
}
