//! A node of our own, built from the seed's registry-effect contract
//! (`contracts/nodes/registry-effect/contract.yaml`): `#[onex::node]` makes
//! the struct that node, and the compiler checks that it handles every
//! subscription and publishes only what the contract lists.

use std::convert::Infallible;

use onex::{Envelope, Topic};

use crate::topics;

/// Announces this process's capabilities and answers re-broadcast requests.
#[onex::node(
    contract = "../contracts/nodes/registry-effect/contract.yaml",
    catalog = "../contracts"
)]
#[derive(Debug, Default)]
pub struct RegistryEffectNode {
    /// Requests received, by request id.
    pub requests_seen: Vec<String>,
}

impl RegistryEffectNodeHandlers for RegistryEffectNode {
    type Error = Infallible;

    async fn handle_introspection_request(
        &mut self,
        event: Envelope<<topics::OnexRegistryIntrospectionRequestedV1 as Topic>::Payload>,
    ) -> Result<(), Infallible> {
        self.requests_seen.push(event.payload.request_id);
        Ok(())
    }
}
