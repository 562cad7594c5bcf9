//! Avro schemas whose names and shapes Rust does not take as they are
//! (`tests/fixtures/avro-catalog/`) generate code that compiles without
//! warnings and round-trips: recursive records are boxed where they would
//! have no size; records and enums of one simple name in two namespaces,
//! and a nested record named `Payload`, are named after their full names;
//! enum symbols that meet in one variant name are numbered; a reference to
//! a named `fixed` is its bytes.
#![deny(warnings)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use onex::{PartitionKey, Topic, TopicVisitor};
use serde_json::Value;

mod ac {
    onex::include_contracts!("fixtures/avro-catalog");
}

use ac::payloads::{tree_met_items_v1 as items, tree_met_node_v1 as node};
use ac::topics;

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/avro-catalog")
}

#[test]
fn the_catalog_loads_clean() {
    let loaded = onex_codegen::load(&root());
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}",
        loaded
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
}

#[test]
fn every_sample_round_trips_through_json_and_avro() {
    struct Check(Value);
    impl TopicVisitor for Check {
        type Output = ();
        fn visit<T: Topic>(self) {
            let p: T::Payload = serde_json::from_value(self.0.clone())
                .unwrap_or_else(|e| panic!("{}: {e}", T::NAME));
            assert_eq!(serde_json::to_value(&p).unwrap(), self.0, "{}", T::NAME);
            let bytes = T::encode_payload(&p).unwrap_or_else(|e| panic!("{}: {e}", T::NAME));
            let back = T::decode_payload(&bytes).unwrap_or_else(|e| panic!("{}: {e}", T::NAME));
            assert_eq!(serde_json::to_value(&back).unwrap(), self.0, "{}", T::NAME);
        }
    }
    let catalog = onex_codegen::load(&root()).catalog.unwrap();
    let mut n = 0;
    for t in &catalog.topics {
        let e: ac::EnumOnexTopic = t.name.to_string().parse().unwrap();
        for s in &t.samples {
            let () = e.visit(Check(s.value.clone()));
            n += 1;
        }
    }
    assert_eq!(n, 3);
}

#[test]
fn recursive_records_are_boxed_where_they_hold_themselves() {
    let leaf = |id: &str| node::Node {
        id: id.to_owned(),
        next: None,
        children: Vec::new(),
        by_name: std::collections::BTreeMap::new(),
        up: node::Link {
            parent: None,
            weight: 0,
        },
        kind: node::Kind::FooBar2,
    };
    let mut root = leaf("root");
    root.next = Some(Box::new(leaf("next")));
    root.up.parent = Some(Box::new(leaf("parent")));
    root.children.push(leaf("child"));
    let bytes = topics::TreeMetNodeV1::encode_payload(&root).unwrap();
    let back = topics::TreeMetNodeV1::decode_payload(&bytes).unwrap();
    assert_eq!(back, root);
    assert_eq!(back.up.parent.map(|p| p.id), Some("parent".to_owned()));
    assert_eq!(topics::TreeMetNodeV1::key(&root), "root");
}

#[test]
fn colliding_names_get_distinct_rust_names_and_keep_their_wire_names() {
    let p = items::Items {
        a: items::XAItem { p: 1 },
        b: items::XBItem { q: "q".to_owned() },
        more_a: vec![items::XAItem { p: 2 }],
        status: items::XAStatus::Open,
        other_status: items::XBStatus::Off,
        payload: items::ShopV1Payload { y: 3 },
        id: Some(vec![0, 1]),
        same_id: None,
    };
    let _: &items::Payload = &p;
    assert_eq!(topics::TreeMetItemsV1::key(&p).key_string(), "OPEN");
    let kinds = [
        node::Kind::FooBar,
        node::Kind::FooBar2,
        node::Kind::Self_,
        node::Kind::Self2,
        node::Kind::Type,
        node::Kind::None,
    ];
    assert_eq!(
        kinds.map(|k| k.to_string()),
        ["FOO_BAR", "FooBar", "Self", "self", "type", "None"]
    );
    assert_eq!(
        serde_json::to_value(kinds).unwrap(),
        serde_json::json!(["FOO_BAR", "FooBar", "Self", "self", "type", "None"])
    );
}

/// An Avro logical timestamp or date key is its underlying integer, as the
/// field is (the loader accepted it; generation refused it).
#[test]
fn a_logical_timestamp_key_is_its_long() {
    let p: <topics::TreeMetTicksV1 as Topic>::Payload =
        serde_json::from_str(r#"{"at": 1700000000000, "day": 19680}"#).unwrap();
    assert_eq!(topics::TreeMetTicksV1::key(&p), 1_700_000_000_000_i64);
}
