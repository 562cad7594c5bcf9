// A catalog whose node contract drifted from its topic (wrong key) does not
// generate code at all.
mod shop {
    onex::include_contracts!("${ONEX_REPO}/tests/fixtures/drift/wrong-key-catalog");
}

fn main() {}
