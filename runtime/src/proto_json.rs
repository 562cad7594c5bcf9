//! Protobuf payloads as JSON, by Protobuf's JSON mapping (enum values by
//! name, 64-bit integers as strings, `bytes` as base64, well-known types
//! such as `Timestamp` as their JSON forms, `oneof`s flattened), the form
//! samples are written in and `onex lint` checks them by. prost's structs
//! know none of it, so generated code implements serde for each message
//! with [`proto_json!`](crate::__onex_proto_json): the message goes through
//! prost-reflect's `DynamicMessage`, described by the payload's compiled
//! `.proto` ([`ProtoDescriptors`]). The Kafka wire form stays prost's binary
//! encoding; this is for JSON views, samples and tests.

use std::sync::OnceLock;

use prost_reflect::{
    DescriptorPool, DeserializeOptions, DynamicMessage, MessageDescriptor, SerializeOptions,
};
use serde::de::Error as _;
use serde::ser::Error as _;

/// A payload's `.proto` and its imports, compiled: an encoded
/// `FileDescriptorSet` in generated code, decoded on first use.
#[derive(Debug)]
pub struct ProtoDescriptors {
    bytes: &'static [u8],
    pool: OnceLock<Result<DescriptorPool, String>>,
}

impl ProtoDescriptors {
    /// Descriptors from an encoded `FileDescriptorSet`.
    #[must_use]
    pub const fn new(bytes: &'static [u8]) -> Self {
        Self {
            bytes,
            pool: OnceLock::new(),
        }
    }

    fn message(&self, name: &str) -> Result<MessageDescriptor, String> {
        let pool = self
            .pool
            .get_or_init(|| DescriptorPool::decode(self.bytes).map_err(|e| e.to_string()));
        let pool = pool.as_ref().map_err(Clone::clone)?;
        pool.get_message_by_name(name)
            .ok_or_else(|| format!("message `{name}` is not in the payload's descriptors"))
    }
}

/// Writes `message` by Protobuf's JSON mapping: fields by their `.proto`
/// names (as the catalog's samples and JSON Schema payloads spell them),
/// fields at their default value left out (proto3 cannot tell them from
/// absent ones).
///
/// # Errors
/// When the serializer fails (the descriptors are generated with the
/// message, so they always describe it).
pub fn proto_json_serialize<M, S>(
    message: &M,
    descriptors: &ProtoDescriptors,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    M: prost::Message + prost::Name,
    S: serde::Serializer,
{
    let desc = descriptors
        .message(&M::full_name())
        .map_err(S::Error::custom)?;
    let dynamic = DynamicMessage::decode(desc, message.encode_to_vec().as_slice())
        .map_err(S::Error::custom)?;
    dynamic.serialize_with_options(
        serializer,
        &SerializeOptions::new().use_proto_field_name(true),
    )
}

/// Reads a message by Protobuf's JSON mapping (either spelling of a field
/// name; unknown fields ignored, so a producer one minor ahead does not
/// break a reader).
///
/// # Errors
/// When the JSON is not such a message.
pub fn proto_json_deserialize<'de, M, D>(
    descriptors: &ProtoDescriptors,
    deserializer: D,
) -> Result<M, D::Error>
where
    M: prost::Message + prost::Name + Default,
    D: serde::Deserializer<'de>,
{
    let desc = descriptors
        .message(&M::full_name())
        .map_err(D::Error::custom)?;
    let options = DeserializeOptions::new().deny_unknown_fields(false);
    let dynamic = DynamicMessage::deserialize_with_options(desc, deserializer, &options)?;
    dynamic.transcode_to::<M>().map_err(D::Error::custom)
}

/// `Serialize` and `Deserialize` for a generated Protobuf message, by
/// Protobuf's JSON mapping: `proto_json!(Message, path::to::DESCRIPTORS)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __onex_proto_json {
    ($message:ident, $descriptors:path) => {
        impl $crate::__private::serde::Serialize for $message {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::proto_json_serialize(self, &$descriptors, serializer)
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $message {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::proto_json_deserialize(&$descriptors, deserializer)
            }
        }
    };
}
