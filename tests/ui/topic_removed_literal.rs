// Code names a topic that the contracts no longer have.
fn main() {
    let _ = onex::topic_name!("${ONEX_REPO}/tests/fixtures/golden-catalog", "{env}.omnibase.shop.evt.order-returned.v1");
}
