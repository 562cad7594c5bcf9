// A node contract that names a topic with the wrong key.
#[onex::node(
    contract = "${ONEX_REPO}/tests/fixtures/drift/wrong-key/contract.yaml",
    catalog = "${ONEX_REPO}/tests/fixtures/golden-catalog",
    api = generated_example
)]
pub struct OrderMailer;

fn main() {}
