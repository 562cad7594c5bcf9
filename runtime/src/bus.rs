//! Publishing and subscribing with the contracts enforced by the compiler,
//! and an in-memory bus that partitions like Kafka.

use std::collections::BTreeMap;
use std::fmt;

use crate::envelope::Envelope;
use crate::key::PartitionKey;
use crate::name::{NameError, Namespace};
use crate::node::{Publishes, Subscribes};
use crate::topic::Topic;

/// Kafka's murmur2 hash, as the Java client computes it
/// (`org.apache.kafka.common.utils.Utils.murmur2`).
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let len = data.len();
    // Java's `int` length wraps the same way for absurdly long keys.
    let mut h: u32 = SEED ^ (len as u32);
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let mut word = [0u8; 4];
        word.copy_from_slice(c);
        let mut k = u32::from_le_bytes(word);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    // The tail, as Java's fall-through switch on `length % 4`.
    let rest = chunks.remainder();
    for (i, b) in rest.iter().enumerate().rev() {
        h ^= u32::from(*b) << (8 * i);
    }
    if !rest.is_empty() {
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// The partition Kafka's default partitioner picks for a keyed record:
/// `toPositive(murmur2(key)) % partitions`.
pub fn partition_for(key: &[u8], partitions: u32) -> u32 {
    let positive = (murmur2(key) & 0x7fff_ffff) as u32;
    positive % partitions.max(1)
}

/// Why a bus operation failed.
#[derive(Debug)]
pub enum BusError {
    /// The topic name could not be bound in the namespace.
    Name(NameError),
    /// The event could not be encoded.
    Encode(serde_json::Error),
}

impl fmt::Display for BusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BusError::Name(e) => write!(f, "{e}"),
            BusError::Encode(e) => write!(f, "cannot encode the event: {e}"),
        }
    }
}

impl std::error::Error for BusError {}

/// A record as it sits on a partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Key bytes.
    pub key: Vec<u8>,
    /// Value bytes (the JSON envelope).
    pub value: Vec<u8>,
    /// Offset within the partition.
    pub offset: u64,
}

/// Where a published record went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The concrete topic name.
    pub topic: String,
    /// Partition.
    pub partition: u32,
    /// Offset.
    pub offset: u64,
}

/// A message bus whose `publish` only compiles for topics the publishing
/// node's contract declares.
pub trait Publisher {
    /// Publish `event` on topic `T` for node `N`.
    fn publish<N, T>(
        &mut self,
        node: &N,
        event: &Envelope<T::Payload>,
    ) -> Result<Delivery, BusError>
    where
        N: Publishes<T>,
        T: Topic;
}

/// A message bus whose `poll` only compiles for topics the polling node's
/// contract subscribes to.
pub trait Subscriber {
    /// Records of topic `T` not yet read by node `N`'s consumer group, as
    /// (concrete topic name, record).
    fn poll<N, T>(&mut self, node: &N) -> Result<Vec<(String, Record)>, BusError>
    where
        N: Subscribes<T>,
        T: Topic;
}

/// An in-memory bus for tests and examples. Records are keyed with the
/// topic's key extractor and partitioned with Kafka's default partitioner, so
/// a key lands in the same partition number as on a real broker with the
/// same partition count.
#[derive(Debug)]
pub struct InMemoryBus {
    namespace: Namespace,
    partitions: BTreeMap<(String, u32), Vec<Record>>,
    /// Read positions: (consumer group, topic, partition) → next offset.
    positions: BTreeMap<(String, String, u32), u64>,
}

impl InMemoryBus {
    /// A bus whose topic names are bound in `namespace`.
    pub fn new(namespace: Namespace) -> Self {
        InMemoryBus {
            namespace,
            partitions: BTreeMap::new(),
            positions: BTreeMap::new(),
        }
    }

    /// The records of one partition.
    pub fn records(&self, topic: &str, partition: u32) -> &[Record] {
        self.partitions
            .get(&(topic.to_owned(), partition))
            .map_or(&[], Vec::as_slice)
    }
}

impl Publisher for InMemoryBus {
    fn publish<N, T>(
        &mut self,
        _node: &N,
        event: &Envelope<T::Payload>,
    ) -> Result<Delivery, BusError>
    where
        N: Publishes<T>,
        T: Topic,
    {
        let topic = T::name_in(&self.namespace).map_err(BusError::Name)?;
        let key = T::key(&event.payload).key_bytes().into_owned();
        let partition = partition_for(&key, T::PARTITIONS);
        let value = serde_json::to_vec(event).map_err(BusError::Encode)?;
        let log = self
            .partitions
            .entry((topic.clone(), partition))
            .or_default();
        let offset = log.len() as u64;
        log.push(Record { key, value, offset });
        Ok(Delivery {
            topic,
            partition,
            offset,
        })
    }
}

impl Subscriber for InMemoryBus {
    /// Records of topic `T` not yet read by node `N`'s consumer group, in
    /// partition then offset order; compiles only when `N` subscribes to `T`.
    fn poll<N, T>(&mut self, _node: &N) -> Result<Vec<(String, Record)>, BusError>
    where
        N: Subscribes<T>,
        T: Topic,
    {
        let topic = T::name_in(&self.namespace).map_err(BusError::Name)?;
        let mut out = Vec::new();
        for p in 0..T::PARTITIONS {
            let pos = self
                .positions
                .entry((N::CONSUMER_GROUP.to_owned(), topic.clone(), p))
                .or_insert(0);
            if let Some(records) = self.partitions.get(&(topic.clone(), p)) {
                let start = usize::try_from(*pos).unwrap_or(usize::MAX);
                for r in records.iter().skip(start) {
                    out.push((topic.clone(), r.clone()));
                    *pos = r.offset + 1;
                }
            }
        }
        Ok(out)
    }
}

/// Why an incoming record could not be handled.
#[derive(Debug)]
pub enum DispatchError<E> {
    /// The topic name is not in the catalog.
    UnknownTopic(String),
    /// The topic exists but the node does not subscribe to it.
    NotSubscribed {
        /// Node name.
        node: &'static str,
        /// Topic name.
        topic: String,
    },
    /// The value is not an envelope of the topic's payload.
    Decode {
        /// Topic name.
        topic: String,
        /// The decoding error.
        error: serde_json::Error,
    },
    /// The record key differs from the key of its payload.
    KeyMismatch {
        /// Topic name.
        topic: String,
    },
    /// The handler failed.
    Handler(E),
}

impl<E: fmt::Display> fmt::Display for DispatchError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DispatchError::UnknownTopic(t) => write!(f, "`{t}` is not a topic of the catalog"),
            DispatchError::NotSubscribed { node, topic } => {
                write!(f, "node `{node}` does not subscribe to `{topic}`")
            }
            DispatchError::Decode { topic, error } => {
                write!(f, "a record of `{topic}` does not decode: {error}")
            }
            DispatchError::KeyMismatch { topic } => {
                write!(
                    f,
                    "a record of `{topic}` has a key that differs from its payload's key"
                )
            }
            DispatchError::Handler(e) => write!(f, "the handler failed: {e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for DispatchError<E> {}

/// Decode a JSON envelope of topic `T` (used by generated dispatchers).
pub fn decode<T: Topic, E>(
    topic: &str,
    value: &[u8],
) -> Result<Envelope<T::Payload>, DispatchError<E>> {
    serde_json::from_slice(value).map_err(|error| DispatchError::Decode {
        topic: topic.to_owned(),
        error,
    })
}

/// Check that a record's key is the key of its payload (used by generated
/// dispatchers; `None` skips the check).
pub fn check_key<T: Topic, E>(
    topic: &str,
    key: Option<&[u8]>,
    event: &Envelope<T::Payload>,
) -> Result<(), DispatchError<E>> {
    match key {
        Some(k) if T::key(&event.payload).key_bytes().as_ref() != k => {
            Err(DispatchError::KeyMismatch {
                topic: topic.to_owned(),
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Apache Kafka's `UtilsTest.testMurmur2` values, and Akka's checks
    /// against the same implementation.
    #[test]
    fn murmur2_matches_the_java_client() {
        let cases: &[(&str, i32)] = &[
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            (
                "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58_897_971,
            ),
            ("abc", 479_470_107),
            ("1", -1_993_445_489),
            ("12", 126_087_238),
            ("123", -267_702_483),
            ("1234", -1_614_185_708),
            ("12345", -1_188_365_604),
        ];
        for (input, expected) in cases {
            assert_eq!(murmur2(input.as_bytes()), *expected, "{input}");
        }
    }

    #[test]
    fn partitions_follow_the_default_partitioner() {
        // toPositive(-973932308) = 1173551340; 1173551340 % 3 = 0.
        assert_eq!(partition_for(b"21", 3), (1_173_551_340u32) % 3);
        for p in [1u32, 3, 6, 12] {
            assert!(partition_for(b"node-1", p) < p);
        }
    }
}
