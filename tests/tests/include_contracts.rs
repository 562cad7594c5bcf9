//! The proc-macro path: `onex::include_contracts!` expands a catalog's whole
//! generated API in place (here the corpus base catalog).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod shop {
    onex::include_contracts!("corpus/_base");
}

/// One node's part of the catalog: the topic it publishes, nothing else.
mod order_service {
    onex::include_contracts!("corpus/_base", node = "order-service");
}

/// Topics by contract path; no node comes along.
mod shipped_only {
    onex::include_contracts!("corpus/_base", topics = ["shop/evt/order-shipped/*"],);
}

use onex::Topic;
use shop::{EnumOnexTopic, topics};

#[test]
fn the_macro_generates_the_catalog() {
    assert_eq!(EnumOnexTopic::ALL.len(), 2);
    type Placed = topics::ShopEvtOrderPlacedV1;
    assert_eq!(Placed::NAME, "{env}.omnibase.shop.evt.order-placed.v1");
    let payload: <Placed as Topic>::Payload =
        serde_json::from_str(r#"{"order_id": "o-1", "customer": {"id": "c-1"}, "total_cents": 5}"#)
            .unwrap();
    assert_eq!(Placed::key(&payload), "o-1");
    assert_eq!(shop::SUBJECTS.len(), 4);
}

#[test]
fn a_selection_generates_only_its_part() {
    use order_service::EnumOnexTopic as Selected;
    assert_eq!(Selected::ALL.len(), 1);
    assert_eq!(
        order_service::topics::ShopEvtOrderPlacedV1::NAME,
        "{env}.omnibase.shop.evt.order-placed.v1"
    );
    assert_eq!(
        <order_service::nodes::OrderService as onex::Node>::NAME,
        "order-service"
    );
    assert_eq!(order_service::SUBJECTS.len(), 2);

    assert_eq!(shipped_only::EnumOnexTopic::ALL.len(), 1);
    assert_eq!(
        shipped_only::topics::ShopEvtOrderShippedV1::NAME,
        "{env}.omnibase.shop.evt.order-shipped.v1"
    );
}
