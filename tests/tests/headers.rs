//! One header vocabulary: the lint rule `header-allowed` and the runtime's
//! `onex::headers` must list the same names (they drifted once: 23 vs 21).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

#[test]
fn lint_and_runtime_know_the_same_headers() {
    let lint: BTreeSet<&str> = onex_codegen::model::rules::KNOWN_HEADERS
        .iter()
        .copied()
        .collect();
    let runtime: BTreeSet<&str> = onex::headers::ALL.iter().copied().collect();
    assert_eq!(
        lint.len(),
        onex_codegen::model::rules::KNOWN_HEADERS.len(),
        "duplicates in the lint list"
    );
    assert_eq!(
        runtime.len(),
        onex::headers::ALL.len(),
        "duplicates in the runtime list"
    );
    let only_lint: Vec<_> = lint.difference(&runtime).collect();
    let only_runtime: Vec<_> = runtime.difference(&lint).collect();
    assert!(
        only_lint.is_empty() && only_runtime.is_empty(),
        "only in lint: {only_lint:?}; only in runtime: {only_runtime:?}"
    );
}
