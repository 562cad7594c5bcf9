//! The golden output compiles warning-free and works: nested, integer and
//! enum keys; hyphenated and keyword field names; root and cross-file `$ref`s;
//! Protobuf and Avro payloads.
#![deny(warnings)]
#![forbid(unsafe_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod golden {
    include!("../golden/onex.rs");
}

use golden::{EnumOnexTopic, topics};
use onex::{PartitionKey, Topic, TopicVisitor};

#[test]
fn every_golden_sample_round_trips_and_yields_its_key() {
    struct Check(serde_json::Value);
    impl TopicVisitor for Check {
        type Output = String;
        fn visit<T: Topic>(self) -> String {
            let p: T::Payload = serde_json::from_value(self.0.clone()).unwrap();
            assert_eq!(serde_json::to_value(&p).unwrap(), self.0, "{}", T::NAME);
            T::key(&p).key_string()
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/golden-catalog");
    let catalog = onex_codegen::load(&root).catalog.unwrap();
    let mut keys = Vec::new();
    for t in &catalog.topics {
        let e: EnumOnexTopic = t.name.to_string().parse().unwrap();
        for s in &t.samples {
            keys.push(e.visit(Check(s.value.clone())));
        }
    }
    assert_eq!(
        keys,
        [
            "EU",
            "42",
            "i-9",
            "0194a5c1-3f24-7b7a-bc59-5f23d81f5b1a",
            "o-1"
        ]
    );
}

#[test]
fn key_types_follow_the_schema() {
    let cancel: <topics::ShopCmdCancelOrderV1 as Topic>::Payload =
        serde_json::from_str(r#"{"order_number": 7}"#).unwrap();
    let k: i64 = topics::ShopCmdCancelOrderV1::key(&cancel);
    assert_eq!(k.key_bytes().as_ref(), &7i64.to_be_bytes());
    assert_eq!(
        topics::ShopEvtOrderShippedV1::CLEANUP_POLICY,
        onex::CleanupPolicy::CompactDelete
    );
    assert_eq!(topics::BillingEvtInvoiceV1::PARTITIONS, 6);
    assert_eq!(
        topics::BillingEvtInvoiceV1::NAME,
        "{env}.acme.billing.evt.invoice.v1"
    );
    assert_eq!(
        EnumOnexTopic::resolve("shop.order_placed")
            .unwrap()
            .via_alias,
        Some("shop.order_placed")
    );
}
