// The contracts after `shop/evt/order-shipped/v1` was deleted; code still
// uses the topic.
#[allow(dead_code)]
mod shop {
    include!("drift/removed_topic.rs");
}

use shop::topics::ShopEvtOrderShippedV1;

fn main() {
    let _ = ShopEvtOrderShippedV1;
}
