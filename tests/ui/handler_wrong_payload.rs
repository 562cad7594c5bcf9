// The introspection-request handler is written for the heartbeat payload.
use std::convert::Infallible;

use generated_example::registry::RegistryEffectNodeHandlers;
use generated_example::topics::OnexNodeHeartbeatPublishedV1;
use onex::{Envelope, Topic};

struct Mine;

impl RegistryEffectNodeHandlers for Mine {
    type Error = Infallible;
    async fn handle_introspection_request(
        &mut self,
        _event: Envelope<<OnexNodeHeartbeatPublishedV1 as Topic>::Payload>,
    ) -> Result<(), Infallible> {
        Ok(())
    }
}

fn main() {}
