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
