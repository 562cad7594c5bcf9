// Generic code goes through the bus trait; the missing `Publishes` is
// reported there too.
use generated_example::nodes::RegistryService;
use generated_example::topics::OnexNodeHeartbeatPublishedV1;
use onex::{Envelope, InMemoryBus, Publisher, Topic};

fn beat(bus: &InMemoryBus, event: &Envelope<<OnexNodeHeartbeatPublishedV1 as Topic>::Payload>) {
    let _ = bus.publish::<RegistryService, OnexNodeHeartbeatPublishedV1>(&RegistryService, event);
}

fn main() {
    let _ = beat;
}
