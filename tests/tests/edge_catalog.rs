//! `tests/fixtures/edge-catalog` at run time: an integer `enum` key is the
//! integer, number enums, `patternProperties` and a payload type named `A`
//! round-trip, and a
//! topic whose Rust name is `Option` keeps its facts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod edge {
    onex::include_contracts!("fixtures/edge-catalog");
}

use onex::{PartitionKey, Topic};
use serde_json::json;

#[test]
fn an_integer_enum_key_and_odd_names_work() {
    type T = edge::topics::Option;
    let sample = json!({"level": 2, "ratio": 1.5, "meta": {"source": "api"}, "labels": {"x-team": "ops"}, "detail": {"note": "raised"}});
    let p: <T as Topic>::Payload = serde_json::from_value(sample.clone()).unwrap();
    assert_eq!(T::key(&p), 2);
    assert_eq!(T::key(&p).key_string(), "2");
    assert_eq!(serde_json::to_value(&p).unwrap(), sample);
    // The enum's members only.
    assert!(
        serde_json::from_value::<<T as Topic>::Payload>(
            json!({"level": 4, "detail": {"note": "x"}})
        )
        .is_err()
    );
    assert_eq!(T::OWNER, Some("orders"));
    assert_eq!(<edge::nodes::Sized as onex::Node>::NAME, "sized");
}
