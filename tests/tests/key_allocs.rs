//! Key extraction allocates nothing (issue 14): the key extractor and the
//! key's wire bytes, for text, nested, integer and enum keys, counted with a
//! counting allocator over the golden catalog's samples. One test in this
//! binary, so that no other test allocates while it counts. The counts are
//! printed (`--nocapture`; BENCHMARKS.md); zero is the behaviour asserted.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use onex::{PartitionKey, Topic, TopicVisitor};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

mod golden {
    include!("../golden/onex.rs");
}

/// Extractions per topic.
const CALLS: usize = 100_000;

/// Per topic: its name, its key type, and the allocations (and bytes) of
/// `CALLS` extractions of the key's bytes from one decoded sample.
struct Count(serde_json::Value);

impl TopicVisitor for Count {
    type Output = (&'static str, &'static str, usize, usize);
    fn visit<T: Topic>(self) -> Self::Output {
        let payload: T::Payload = serde_json::from_value(self.0).unwrap();
        let region = Region::new(GLOBAL);
        let mut len = 0;
        for _ in 0..CALLS {
            let key = T::key(black_box(&payload));
            len += black_box(key.key_bytes()).len();
        }
        let stats = region.change();
        assert!(len > 0, "{}: empty keys", T::NAME);
        (
            T::NAME,
            std::any::type_name::<T::Key<'_>>(),
            stats.allocations + stats.reallocations,
            stats.bytes_allocated,
        )
    }
}

#[test]
fn key_extraction_allocates_nothing_for_text_nested_integer_and_enum_keys() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/golden-catalog");
    let catalog = onex_codegen::load(&root).catalog.unwrap();
    let mut rows = Vec::new();
    for t in &catalog.topics {
        let e: golden::EnumOnexTopic = t.name.to_string().parse().unwrap();
        let sample = t.samples.first().unwrap();
        rows.push(e.visit(Count(sample.value.clone())));
    }
    for (name, ty, allocs, bytes) in &rows {
        println!("{name}: key {ty}: {allocs} allocations ({bytes} bytes) in {CALLS} extractions");
    }
    // Every kind the golden catalog has: text, nested text, integer, enum.
    let kinds: Vec<&str> = rows.iter().map(|r| r.1).collect();
    assert!(kinds.iter().any(|k| k.contains("DisplayKey")), "{kinds:?}");
    assert!(kinds.contains(&"i64"), "{kinds:?}");
    assert!(kinds.contains(&"&str"), "{kinds:?}");
    assert!(
        rows.iter().all(|r| r.2 == 0),
        "key extraction allocated: {rows:?}"
    );
}
