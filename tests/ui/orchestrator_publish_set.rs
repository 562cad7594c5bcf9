// The seed's registration orchestrator may publish registry state and
// workflow events, not node heartbeats.
use generated_example::nodes::RegistrationOrchestrator;
use generated_example::topics::OnexNodeHeartbeatPublishedV1;
use onex::{Envelope, InMemoryBus, Topic};

fn beat(bus: &InMemoryBus, event: &Envelope<<OnexNodeHeartbeatPublishedV1 as Topic>::Payload>) {
    let _ = RegistrationOrchestrator.publish(bus, OnexNodeHeartbeatPublishedV1, event);
}

fn main() {
    let _ = beat;
}
