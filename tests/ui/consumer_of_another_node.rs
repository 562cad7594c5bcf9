// A node's consumer is typed by its node: the registration orchestrator's
// handlers cannot drive the registry effect node's consumer.
use generated_example::nodes::{RegistrationOrchestratorHandlers, RegistryEffect};
use onex::InMemoryBus;

async fn drive<H: RegistrationOrchestratorHandlers>(handlers: &mut H, bus: &InMemoryBus) {
    if let Ok(mut consumer) = bus.consumer(&RegistryEffect) {
        let _ = handlers.handle_next(&mut consumer).await;
    }
}

fn main() {
    let _ = drive::<Never>;
}

enum Never {}

impl RegistrationOrchestratorHandlers for Never {
    type Error = String;
    async fn handle_introspection_event(
        &mut self,
        _event: onex::Envelope<<generated_example::topics::OnexNodeIntrospectionPublishedV1 as onex::Topic>::Payload>,
    ) -> Result<(), String> {
        Ok(())
    }
}
