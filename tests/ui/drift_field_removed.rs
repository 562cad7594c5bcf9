// The contracts after `carrier` was removed from the order-shipped payload;
// code still reads it.
#[allow(dead_code)]
mod shop {
    include!("drift/removed_field.rs");
}

use onex::Topic;
use shop::topics::ShopEvtOrderShippedV1;

fn carrier(p: &<ShopEvtOrderShippedV1 as Topic>::Payload) -> &str {
    &p.carrier
}

fn main() {
    let _ = carrier;
}
