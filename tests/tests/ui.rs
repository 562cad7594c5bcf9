//! Compile-fail suite: wrong wiring and contract drift do not compile, and
//! the messages name the node, the topic and the contract to change.
//! Expected output is in `tests/ui/*.stderr`; after a deliberate change,
//! regenerate with `TRYBUILD=overwrite cargo test -p onex-tests --test ui`
//! and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
