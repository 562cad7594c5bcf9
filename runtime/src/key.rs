//! Partition keys: where a topic's key comes from (a payload field, an
//! envelope field, or none), what its key extractor returns, and the bytes
//! it puts on the wire (as Kafka's standard serializers write them).

use std::borrow::Cow;
use std::fmt::Display;

use crate::envelope::Envelope;
use crate::envelope_rules::{EnvelopeError, EnvelopeField};
use crate::topic::Topic;

/// Where a topic's record key comes from (`key:` in its contract).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeySource {
    /// A payload field: [`Topic::key`] extracts it.
    Payload,
    /// An envelope field (`key: { envelope: correlation_id }`): its text.
    Envelope(EnvelopeField),
    /// No key: records go out with a null key, and Kafka's partitioner
    /// (sticky, in the Java and librdkafka clients) spreads them.
    None,
}

/// The [`Topic::Key`] of a topic whose key is not a payload field (an
/// envelope key, or none): it has no bytes; [`record_key`] reads the key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NoPayloadKey;

impl PartitionKey for NoPayloadKey {
    fn key_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(&[])
    }
    fn key_string(&self) -> String {
        String::new()
    }
}

/// The record key of `event` on topic `T`, as its contract says: the
/// payload key's bytes, the envelope field's UTF-8 text, or `None` for a
/// keyless topic.
///
/// # Errors
/// An envelope key whose field the event does not set.
pub fn record_key<T: Topic, P: std::borrow::Borrow<T::Payload>>(
    event: &Envelope<P>,
) -> Result<Option<Vec<u8>>, EnvelopeError> {
    match T::KEY_SOURCE {
        KeySource::Payload => Ok(Some(
            T::key(event.payload.borrow()).key_bytes().into_owned(),
        )),
        KeySource::Envelope(f) => f
            .text(event)
            .map(|s| Some(s.as_bytes().to_vec()))
            .ok_or(EnvelopeError::Missing(f)),
        KeySource::None => Ok(None),
    }
}

/// A value that can be a Kafka record key.
pub trait PartitionKey {
    /// The key bytes: UTF-8 for text (`StringSerializer`), big-endian for
    /// integers (`IntegerSerializer` / `LongSerializer`).
    fn key_bytes(&self) -> Cow<'_, [u8]>;
    /// The key as text (envelope `partition_key`, logs).
    fn key_string(&self) -> String;
}

impl PartitionKey for &str {
    fn key_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(self.as_bytes())
    }
    fn key_string(&self) -> String {
        (*self).to_owned()
    }
}

impl PartitionKey for &[u8] {
    fn key_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(self)
    }
    fn key_string(&self) -> String {
        String::from_utf8_lossy(self).into_owned()
    }
}

macro_rules! int_key {
    ($($t:ty),*) => {$(
        impl PartitionKey for $t {
            fn key_bytes(&self) -> Cow<'_, [u8]> {
                Cow::Owned(self.to_be_bytes().to_vec())
            }
            fn key_string(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
int_key!(i32, i64, u32, u64);

/// A key whose text form is its `Display` (enum keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisplayKey<'a, T: Display>(pub &'a T);

impl<T: Display> PartitionKey for DisplayKey<'_, T> {
    fn key_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Owned(self.0.to_string().into_bytes())
    }
    fn key_string(&self) -> String {
        self.0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keys_are_utf8_and_borrowed() {
        let k = "node-1";
        assert!(matches!(k.key_bytes(), Cow::Borrowed(b"node-1")));
    }

    #[test]
    fn integer_keys_are_big_endian_like_the_java_serializers() {
        assert_eq!(1i64.key_bytes().as_ref(), &[0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!((-1i32).key_bytes().as_ref(), &[0xff, 0xff, 0xff, 0xff]);
        assert_eq!(258u32.key_string(), "258");
    }
}
