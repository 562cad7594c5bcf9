//! Partition keys: what a topic's key extractor returns, and the bytes it
//! puts on the wire (as Kafka's standard serializers write them). Producing
//! the bytes allocates nothing for text, bytes, integer and enum keys: a key
//! is computed for every record sent and checked for every record received.
//! Where a key comes from is `onex::KeySource` (beside `Topic`).

use std::fmt::{self, Display, Write as _};
use std::ops::Deref;

/// The `Topic::Key` of a topic whose key is not a payload field (an
/// envelope key, or none): it has no bytes; `onex::record_key` reads the key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NoPayloadKey;

impl PartitionKey for NoPayloadKey {
    fn key_bytes(&self) -> KeyBytes<'_> {
        KeyBytes::borrowed(&[])
    }
    fn key_string(&self) -> String {
        String::new()
    }
}

/// A value that can be a Kafka record key.
pub trait PartitionKey {
    /// The key bytes: UTF-8 for text (`StringSerializer`), big-endian for
    /// integers (`IntegerSerializer` / `LongSerializer`).
    fn key_bytes(&self) -> KeyBytes<'_>;
    /// The key as text (envelope `partition_key`, logs).
    fn key_string(&self) -> String;
}

/// Longest key text kept inline by [`KeyBytes`]; longer `Display` keys
/// are written to the heap.
const INLINE: usize = 64;

/// The bytes of a key: borrowed from the payload (text, bytes), or held
/// inline (integers, and the text of enum keys up to 64 bytes).
#[derive(Clone)]
pub struct KeyBytes<'a>(Repr<'a>);

#[derive(Clone)]
enum Repr<'a> {
    Borrowed(&'a [u8]),
    Inline { buf: [u8; INLINE], len: usize },
    Owned(Vec<u8>),
}

impl<'a> KeyBytes<'a> {
    /// Bytes borrowed from the key.
    pub const fn borrowed(bytes: &'a [u8]) -> Self {
        KeyBytes(Repr::Borrowed(bytes))
    }

    /// The text `Display` writes for `value`, inline when it fits.
    pub fn display(value: &impl Display) -> Self {
        let mut w = InlineWriter {
            buf: [0; INLINE],
            len: 0,
            spill: None,
        };
        // `InlineWriter` never fails; a failing `Display` leaves what it wrote.
        let _ = write!(w, "{value}");
        match w.spill {
            Some(s) => KeyBytes(Repr::Owned(s.into_bytes())),
            None => KeyBytes(Repr::Inline {
                buf: w.buf,
                len: w.len,
            }),
        }
    }

    /// The bytes as a slice.
    pub fn as_slice(&self) -> &[u8] {
        match &self.0 {
            Repr::Borrowed(b) => b,
            Repr::Inline { buf, len } => buf.get(..*len).unwrap_or(buf),
            Repr::Owned(v) => v,
        }
    }

    /// Did producing these bytes allocate? (Only a `Display` key longer
    /// than 64 bytes does.)
    pub fn is_heap(&self) -> bool {
        matches!(self.0, Repr::Owned(_))
    }

    /// The bytes as an owned vector (for a record that outlives the payload).
    pub fn into_vec(self) -> Vec<u8> {
        match self.0 {
            Repr::Owned(v) => v,
            _ => self.as_slice().to_vec(),
        }
    }
}

impl Deref for KeyBytes<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for KeyBytes<'_> {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl PartialEq for KeyBytes<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for KeyBytes<'_> {}

impl fmt::Debug for KeyBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("KeyBytes").field(&self.as_slice()).finish()
    }
}

/// Writes into a fixed buffer, moving to a `String` once it overflows.
struct InlineWriter {
    buf: [u8; INLINE],
    len: usize,
    spill: Option<String>,
}

impl fmt::Write for InlineWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if let Some(spill) = &mut self.spill {
            spill.push_str(s);
            return Ok(());
        }
        let end = self.len + s.len();
        match self.buf.get_mut(self.len..end) {
            Some(slot) => {
                slot.copy_from_slice(s.as_bytes());
                self.len = end;
            }
            None => {
                let mut spill = String::with_capacity(end);
                spill.push_str(&String::from_utf8_lossy(
                    self.buf.get(..self.len).unwrap_or(&[]),
                ));
                spill.push_str(s);
                self.spill = Some(spill);
            }
        }
        Ok(())
    }
}

impl PartitionKey for &str {
    fn key_bytes(&self) -> KeyBytes<'_> {
        KeyBytes::borrowed(self.as_bytes())
    }
    fn key_string(&self) -> String {
        (*self).to_owned()
    }
}

impl PartitionKey for &[u8] {
    fn key_bytes(&self) -> KeyBytes<'_> {
        KeyBytes::borrowed(self)
    }
    fn key_string(&self) -> String {
        String::from_utf8_lossy(self).into_owned()
    }
}

macro_rules! int_key {
    ($($t:ty),*) => {$(
        impl PartitionKey for $t {
            fn key_bytes(&self) -> KeyBytes<'_> {
                let be = self.to_be_bytes();
                let mut buf = [0; INLINE];
                let len = be.len();
                if let Some(slot) = buf.get_mut(..len) {
                    slot.copy_from_slice(&be);
                }
                KeyBytes(Repr::Inline { buf, len })
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
    fn key_bytes(&self) -> KeyBytes<'_> {
        KeyBytes::display(self.0)
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
        let b = k.key_bytes();
        assert_eq!(&*b, b"node-1");
        assert!(matches!(b.0, Repr::Borrowed(_)));
    }

    #[test]
    fn integer_keys_are_big_endian_like_the_java_serializers() {
        assert_eq!(1i64.key_bytes().as_ref(), &[0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!((-1i32).key_bytes().as_ref(), &[0xff, 0xff, 0xff, 0xff]);
        assert_eq!(258u32.key_string(), "258");
        assert!(!u64::MAX.key_bytes().is_heap());
    }

    /// Writes its text in pieces, as derived `Display`s of composite values do.
    struct Pieces(&'static [&'static str]);
    impl Display for Pieces {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.iter().try_for_each(|p| f.write_str(p))
        }
    }

    #[test]
    fn display_keys_are_inline_up_to_64_bytes_then_on_the_heap() {
        let short = Pieces(&["EU", "-", "west"]);
        let key = DisplayKey(&short);
        let b = key.key_bytes();
        assert_eq!(&*b, b"EU-west");
        assert!(!b.is_heap());
        let exact = "x".repeat(INLINE);
        assert!(!DisplayKey(&exact).key_bytes().is_heap());
        // A piece that crosses the end of the buffer keeps everything before it.
        let long = Pieces(&[
            "0123456789012345678901234567890123456789012345678901234567890",
            "abcdef",
            "-tail",
        ]);
        let key = DisplayKey(&long);
        let b = key.key_bytes();
        assert!(b.is_heap());
        assert_eq!(b.into_vec(), long.to_string().into_bytes());
    }
}
