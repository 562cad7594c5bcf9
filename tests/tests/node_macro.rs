//! `#[onex::node]` on a struct whose name is not plain UpperCamelCase: the
//! handler trait it asks for is the one the generator emits
//! (`<Struct>Handlers`, the struct's own spelling). Before, the macro wanted
//! `HTTPGatewayHandlers` while the generator named it `HttpGatewayHandlers`,
//! so this file did not compile.
#![allow(clippy::upper_case_acronyms)]

use std::convert::Infallible;

use onex::{Envelope, Topic};

#[onex::node(
    contract = "../contracts/nodes/registry-effect/contract.yaml",
    catalog = "../contracts",
    api = generated_example
)]
#[derive(Debug, Default)]
pub struct HTTPGateway {
    seen: Vec<String>,
}

impl HTTPGatewayHandlers for HTTPGateway {
    type Error = Infallible;

    async fn handle_introspection_request(
        &mut self,
        event: Envelope<
            <generated_example::topics::OnexRegistryIntrospectionRequestedV1 as Topic>::Payload,
        >,
    ) -> Result<(), Infallible> {
        self.seen.push(event.payload.request_id);
        Ok(())
    }
}

#[test]
fn an_acronym_named_node_gets_its_own_handler_trait() {
    let node = HTTPGateway::default();
    assert_eq!(<HTTPGateway as onex::Node>::NAME, "registry-effect");
    assert!(node.seen.is_empty());
}
