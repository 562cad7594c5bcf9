// Selecting a node the catalog does not have fails at its name, with the
// catalog's nodes as suggestions.
mod shop {
    onex::include_contracts!("${ONEX_REPO}/tests/corpus/_base", node = "order-servise");
}

fn main() {}
