//! `onex`: what code generated from onex contracts, and its users, depend on.
//!
//! * [`Topic`]: every contract fact of a topic as constants, its payload and
//!   key types, and its key extractor. Generated code implements it once per
//!   topic version.
//! * [`Namespace`]: binds the run-time parts (`{env}`, `{tenant}`) of a
//!   topic name template (seed 000's `<env>.<tenant>.<context>.<class>.<topic>.<v>`).
//! * [`Envelope`]: the canonical event envelope (seeds 001, 002 and 004).
//! * [`headers`]: seed 000's header names.
//! * [`Bus`] over a [`Transport`]: node-bound, compile-time checked
//!   publishing ([`Publisher`]) and a node's consumer ([`NodeConsumer`]) with
//!   the contract applied (key, headers, encoding, PII, retries, dead
//!   letters). [`InMemoryBus`] for tests; `kafka::KafkaBus` with the `kafka`
//!   feature.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "pii")]
mod aes_keys;
#[cfg(feature = "avro")]
mod avro;
mod bus;
mod codec;
mod consumer;
mod dispatch;
mod envelope;
mod envelope_rules;
mod error;
mod features;
pub mod headers;
#[cfg(feature = "kafka")]
pub mod kafka;
mod key;
mod name;
mod node;
mod pii;
mod policy;
#[cfg(feature = "protobuf")]
mod proto_json;
mod resolve;
mod string_enum;
mod struct_de;
mod topic;
mod transport;

#[cfg(feature = "pii")]
pub use aes_keys::AesGcmKeys;
pub use bus::{
    Bus, InMemoryBus, MemoryConsumer, MemoryTransport, Publisher, Record, murmur2, partition_for,
};
pub use codec::{Codec, EventContext, handling, wire_frame, wire_unframe};
pub use consumer::{ConsumerOptions, Delivered, NodeConsumer, Outcome};
pub use dispatch::{Dispatch, decode};
pub use envelope::{Envelope, Source, SourceInfo, record_key};
pub use envelope_rules::{EnvelopeError, EnvelopeField, EnvelopeRules, EventIdFlavour};
pub use error::{BusError, CodecError, DispatchError};
pub use key::{DisplayKey, KeyBytes, NoPayloadKey, PartitionKey};
pub use name::{NameError, Namespace, name_matches};
pub use node::{Node, Publishes, Subscribes};
#[cfg(feature = "macros")]
pub use onex_macros::{include_contracts, node, topic, topic_name};
pub use pii::{ENCRYPTED_MARKER, KeyProvider, PiiError, REDACTED, Sealed};
pub use policy::{DeadLetter, PiiField, PiiLevel, RetryPolicy, Subscription};
pub use resolve::{Resolved, UnknownTopic};
pub use topic::{
    CleanupPolicy, Compatibility, KeySource, Request, SchemaType, Subject, SubjectKind, Topic,
    TopicClass, TopicVisitor,
};
pub use transport::{Consume, Delivery, IncomingRecord, OutgoingRecord, Transport, TransportError};

/// Protobuf's well-known types (`Timestamp`, `Duration`, `Any`, ...) as
/// generated Protobuf payloads use them, so that a crate can build such a
/// payload without a prost-types dependency of its own.
#[cfg(feature = "protobuf")]
pub use prost_reflect::prost_types;

/// Re-exports for generated code; not a stable API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "avro")]
    pub use crate::avro::{avro_decode, avro_encode};
    pub use crate::dispatch::{handle, handle_next, run};
    pub use crate::{
        __onex_require_avro as require_avro, __onex_require_protobuf as require_protobuf,
    };

    /// Prints as [`REDACTED`](crate::REDACTED) in generated `Debug` impls.
    #[derive(Clone, Copy)]
    pub struct Redacted;

    impl core::fmt::Debug for Redacted {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str(crate::REDACTED)
        }
    }

    #[cfg(feature = "protobuf")]
    pub use crate::__onex_proto_json as proto_json;
    #[cfg(feature = "protobuf")]
    pub use crate::proto_json::{ProtoDescriptors, proto_json_deserialize, proto_json_serialize};
    #[cfg(feature = "protobuf")]
    pub use prost;
    pub use serde;
    pub use serde_json;

    /// The conversion error of generated payload types, shared by every
    /// payload module (each one's `error` is this module) instead of a copy
    /// of typify's per schema.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation of a payload type.
        pub struct ConversionError(std::borrow::Cow<'static, str>);

        impl std::error::Error for ConversionError {}

        impl core::fmt::Display for ConversionError {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(&self.0, f)
            }
        }

        impl core::fmt::Debug for ConversionError {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }

        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }

    /// Reads a present field that may be `null` as `Some(None)`; with
    /// serde's `default` an absent one is `None`, so generated payloads
    /// keep absent and `null` apart (`Option<Option<T>>`).
    ///
    /// # Errors
    /// When the value is neither `null` nor a `T`.
    pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: serde::Deserialize<'de>,
        D: serde::Deserializer<'de>,
    {
        <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
    }

    pub use crate::__onex_serde_struct as serde_struct;
    pub use crate::__onex_string_enum as string_enum;

    /// What `serde_struct!` expands to calls.
    pub mod struct_de {
        pub use crate::struct_de::*;
    }
    pub use crate::string_enum::deserialize_unit_enum;
    pub use crate::topic::{Facts, key_subject_of, value_subject_of};

    /// Serde's derive macros (and traits) for generated payload modules,
    /// which glob-import them: a payload type of the same name wins, and
    /// `#[derive(Serialize)]` stays short.
    pub mod derive {
        pub use serde::{Deserialize, Serialize};
    }

    /// `name` without its first `count` dot-separated segments, each of
    /// which must be non-empty (the run-time `{env}`/`{tenant}` segments of
    /// a wire name); `None` when it has no more segments than that. Lets
    /// generated `EnumOnexTopic::resolve` match the literal rest of a name
    /// with one `match` instead of scanning every topic.
    #[must_use]
    #[inline]
    pub fn strip_segments(name: &str, count: usize) -> Option<&str> {
        // Bytes, not `split_once('.')`: its char searcher cost as much as
        // the `match` after it (BENCHMARKS.md: `from_str`). `.` is ASCII,
        // so the rest starts on a char boundary.
        let bytes = name.as_bytes();
        let mut start = 0;
        for _ in 0..count {
            let dot = bytes.get(start..)?.iter().position(|&b| b == b'.')?;
            if dot == 0 {
                return None;
            }
            start += dot + 1;
        }
        name.get(start..)
    }

    /// The smaller of two optional matches (the topic first in catalog order).
    #[must_use]
    pub fn first_of<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
        match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Never a topic: generated node traits get a second impl for it so that
    /// rustc reports a missing `Publishes`/`Subscribes` with onex's message
    /// even for nodes with a single topic.
    #[derive(Debug)]
    pub struct Unlisted;

    /// The identity on types, with a const argument that `onex::topic!`
    /// uses to make cargo track the catalog's files from a type position.
    pub trait Tracked<const N: usize> {
        /// `Self`.
        type Itself: ?Sized;
    }

    impl<T: ?Sized, const N: usize> Tracked<N> for T {
        type Itself = T;
    }
}

#[cfg(test)]
mod strip_segments_tests {
    use super::__private::strip_segments;

    #[test]
    fn strips_non_empty_segments_only() {
        assert_eq!(
            strip_segments("dev.acme.shop.evt.x.v1", 2),
            Some("shop.evt.x.v1")
        );
        assert_eq!(strip_segments("dév.ünï.rest", 2), Some("rest"));
        assert_eq!(strip_segments("dev.acme.", 2), Some(""));
        assert_eq!(strip_segments("dev.x", 0), Some("dev.x"));
        assert_eq!(strip_segments(".acme.x", 1), None);
        assert_eq!(strip_segments("dev..x", 2), None);
        assert_eq!(strip_segments("dev", 1), None);
        assert_eq!(strip_segments("dev.acme", 2), None);
    }
}
