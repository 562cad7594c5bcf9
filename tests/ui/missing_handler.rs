// A struct becomes the registry-effect node but does not implement the
// handler of its subscription.
#[onex::node(
    contract = "${ONEX_REPO}/contracts/nodes/registry-effect/contract.yaml",
    catalog = "${ONEX_REPO}/contracts",
    api = generated_example
)]
pub struct Announcer;

fn main() {}
