//! Partition keys: what a topic's key extractor returns, and the bytes it
//! puts on the wire (as Kafka's standard serializers write them). Where a
//! key comes from is `onex::KeySource` (beside `Topic`).

use std::borrow::Cow;
use std::fmt::Display;

/// The `Topic::Key` of a topic whose key is not a payload field (an
/// envelope key, or none): it has no bytes; `onex::record_key` reads the key.
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
