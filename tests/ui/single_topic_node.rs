// The registry service publishes exactly one topic. Publishing another must
// still produce onex's message, not a type mismatch from inference picking
// the only impl.
use generated_example::nodes::RegistryService;
use generated_example::topics::OnexRegistryWorkflowStartedV1;
use onex::{Envelope, InMemoryBus, Topic};

fn start(bus: &InMemoryBus, event: &Envelope<<OnexRegistryWorkflowStartedV1 as Topic>::Payload>) {
    let _ = RegistryService.publish(bus, OnexRegistryWorkflowStartedV1, event);
}

fn main() {
    let _ = start;
}
