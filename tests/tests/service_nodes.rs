//! A node contract kept beside its service, outside the catalog root, and
//! listed by the catalog's `nodes:` (`tests/fixtures/service-nodes/`):
//! `#[onex::node]` on it works, the catalog's own generated API has the
//! node, and `Node::CONTRACT` names the file relative to the catalog root.

use std::convert::Infallible;

use onex::{Envelope, Node, Topic};

mod shop {
    onex::include_contracts!("fixtures/service-nodes/contracts");
}

#[onex::node(
    contract = "fixtures/service-nodes/services/billing/contract.yaml",
    catalog = "fixtures/service-nodes/contracts",
    api = crate::shop
)]
#[derive(Debug, Default)]
pub struct Billing {
    billed: Vec<String>,
}

impl BillingHandlers for Billing {
    type Error = Infallible;

    async fn bill_order(
        &mut self,
        event: Envelope<<shop::topics::ShopEvtOrderPlacedV1 as Topic>::Payload>,
    ) -> Result<(), Infallible> {
        self.billed.push(event.payload.order_id);
        Ok(())
    }
}

#[test]
fn a_node_beside_its_service_is_part_of_the_catalog() {
    assert_eq!(Billing::NAME, "billing");
    assert_eq!(Billing::CONTRACT, "../services/billing/contract.yaml");
    assert_eq!(
        <shop::nodes::Billing as Node>::CONTRACT,
        "../services/billing/contract.yaml"
    );
    assert!(Billing::default().billed.is_empty());
}
