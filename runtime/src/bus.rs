//! Publishing and subscribing with the contracts enforced by the compiler,
//! over any [`Transport`]: the in-memory bus (tests, examples) and Kafka
//! share the same contract logic, so node code runs unchanged on either.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use tokio::sync::Notify;

use crate::codec::Codec;
use crate::envelope::Envelope;
use crate::error::BusError;
use crate::name::Namespace;
use crate::node::{Publishes, Subscribes};
use crate::topic::Topic;
use crate::transport::{
    Consume, Delivery, IncomingRecord, OutgoingRecord, Transport, TransportError,
};
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

/// A record as it sits on an in-memory partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Key bytes; `None` for a keyless record (Kafka's null key).
    pub key: Option<Vec<u8>>,
    /// Value bytes.
    pub value: Vec<u8>,
    /// Headers.
    pub headers: Vec<(String, Vec<u8>)>,
    /// Offset within the partition.
    pub offset: u64,
}

/// A message bus whose `publish` only compiles for topics the publishing
/// node's contract declares.
pub trait Publisher: Send + Sync {
    /// Publish `event` on topic `T` for node `N`: keyed by `T`'s key
    /// extractor, with seed 000's headers, encoded in `T`'s format.
    fn publish<N, T>(
        &self,
        node: &N,
        event: &Envelope<T::Payload>,
    ) -> impl Future<Output = Result<Delivery, BusError>> + Send
    where
        N: Publishes<T>,
        T: Topic;
}

/// A bus: a [`Transport`] plus the [`Codec`] that applies the contracts.
/// [`InMemoryBus`] and `onex::kafka::KafkaBus` are its two instances.
#[derive(Clone, Debug)]
pub struct Bus<Tr> {
    transport: Tr,
    codec: Arc<Codec>,
}

impl<Tr: Transport> Bus<Tr> {
    /// A bus over `transport` with `codec`.
    pub fn with_transport(transport: Tr, codec: Codec) -> Self {
        Bus {
            transport,
            codec: Arc::new(codec),
        }
    }

    /// The same transport with another codec (schema ids, PII keys).
    pub fn with_codec(self, codec: Codec) -> Self {
        Bus {
            transport: self.transport,
            codec: Arc::new(codec),
        }
    }

    /// The codec.
    pub fn codec(&self) -> &Codec {
        &self.codec
    }

    pub(crate) fn codec_arc(&self) -> Arc<Codec> {
        Arc::clone(&self.codec)
    }

    /// The namespace topic names are bound in.
    pub fn namespace(&self) -> &Namespace {
        self.codec.namespace()
    }

    /// The transport (to send raw records, e.g. in tests).
    pub fn transport(&self) -> &Tr {
        &self.transport
    }
}

impl<Tr: Transport> Publisher for Bus<Tr> {
    fn publish<N, T>(
        &self,
        _node: &N,
        event: &Envelope<T::Payload>,
    ) -> impl Future<Output = Result<Delivery, BusError>> + Send
    where
        N: Publishes<T>,
        T: Topic,
    {
        let record = self.codec.encode::<T>(event);
        async move { Ok(self.transport.send(record?).await?) }
    }
}

/// An in-memory bus for tests and examples. Records are keyed with the
/// topic's key extractor and partitioned with Kafka's default partitioner, so
/// a key lands in the same partition number as on a real broker with the
/// same partition count.
pub type InMemoryBus = Bus<MemoryTransport>;

impl Bus<MemoryTransport> {
    /// A bus whose topic names are bound in `namespace`.
    pub fn new(namespace: Namespace) -> Self {
        Bus::with_transport(MemoryTransport::default(), Codec::new(namespace))
    }

    /// The records of one partition.
    pub fn records(&self, topic: &str, partition: u32) -> Vec<Record> {
        self.transport.records(topic, partition)
    }

    /// Records of topic `T` not yet read by node `N`'s consumer group, as
    /// (concrete topic name, record), in partition then offset order; marks
    /// them read. Compiles only when `N` subscribes to `T`.
    pub fn poll<N, T>(&self, _node: &N) -> Result<Vec<(String, Record)>, BusError>
    where
        N: Subscribes<T>,
        T: Topic,
    {
        let topic = T::name_in(self.namespace()).map_err(BusError::Name)?;
        let mut state = self.transport.lock();
        let mut out = Vec::new();
        for p in 0..T::PARTITIONS {
            let records: Vec<Record> = state
                .logs
                .get(&(topic.clone(), p))
                .cloned()
                .unwrap_or_default();
            let pos = state
                .committed
                .entry((N::CONSUMER_GROUP.to_owned(), topic.clone(), p))
                .or_insert(0);
            let start = usize::try_from(*pos).unwrap_or(usize::MAX);
            for r in records.into_iter().skip(start) {
                *pos = r.offset + 1;
                out.push((topic.clone(), r));
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Default)]
struct MemoryState {
    logs: BTreeMap<(String, u32), Vec<Record>>,
    /// Keyless records sent per topic: they go round the partitions in
    /// turn (Kafka's sticky partitioner also spreads them, by batch).
    keyless_sent: BTreeMap<String, u32>,
    /// Committed positions: (consumer group, topic, partition) → next offset.
    committed: BTreeMap<(String, String, u32), u64>,
}

/// The in-memory transport: partitions as Kafka's default partitioner,
/// committed positions per consumer group. Clones share the same log.
#[derive(Clone, Debug, Default)]
pub struct MemoryTransport {
    state: Arc<Mutex<MemoryState>>,
    arrived: Arc<Notify>,
}

impl MemoryTransport {
    fn lock(&self) -> MutexGuard<'_, MemoryState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The records of one partition.
    pub fn records(&self, topic: &str, partition: u32) -> Vec<Record> {
        self.lock()
            .logs
            .get(&(topic.to_owned(), partition))
            .cloned()
            .unwrap_or_default()
    }

    /// The committed position of `group` on a partition.
    pub fn committed(&self, group: &str, topic: &str, partition: u32) -> u64 {
        self.lock()
            .committed
            .get(&(group.to_owned(), topic.to_owned(), partition))
            .copied()
            .unwrap_or(0)
    }
}

impl Transport for MemoryTransport {
    type Consumer = MemoryConsumer;

    fn send(
        &self,
        record: OutgoingRecord,
    ) -> impl Future<Output = Result<Delivery, TransportError>> + Send {
        let delivery = {
            let mut state = self.lock();
            let partition = match &record.key {
                Some(k) => partition_for(k, record.partitions),
                None => {
                    let sent = state.keyless_sent.entry(record.topic.clone()).or_default();
                    let p = *sent % record.partitions.max(1);
                    *sent = sent.wrapping_add(1);
                    p
                }
            };
            let log = state
                .logs
                .entry((record.topic.clone(), partition))
                .or_default();
            let offset = log.len() as u64;
            log.push(Record {
                key: record.key,
                value: record.value,
                headers: record.headers,
                offset,
            });
            Delivery {
                topic: record.topic,
                partition,
                offset,
            }
        };
        self.arrived.notify_waiters();
        std::future::ready(Ok(delivery))
    }

    fn subscribe(&self, group: &str, topics: &[String]) -> Result<MemoryConsumer, TransportError> {
        Ok(MemoryConsumer {
            transport: self.clone(),
            group: group.to_owned(),
            topics: topics.to_vec(),
            fetched: BTreeMap::new(),
            deferred: BTreeMap::new(),
        })
    }
}

/// A consumer of the in-memory transport. Dropping it without committing
/// loses nothing: a new consumer of the group starts at the committed offsets.
#[derive(Debug)]
pub struct MemoryConsumer {
    transport: MemoryTransport,
    group: String,
    topics: Vec<String>,
    /// Next offset to hand out, per (topic, partition), ahead of the commits.
    fetched: BTreeMap<(String, u32), u64>,
    deferred: BTreeMap<(String, u32), SystemTime>,
}

impl MemoryConsumer {
    fn try_next(&mut self) -> Option<IncomingRecord> {
        let now = SystemTime::now();
        let state = self.transport.lock();
        for ((topic, partition), log) in &state.logs {
            if !self.topics.contains(topic) {
                continue;
            }
            let tp = (topic.clone(), *partition);
            if self.deferred.get(&tp).is_some_and(|t| *t > now) {
                continue;
            }
            let pos = self.fetched.get(&tp).copied().unwrap_or_else(|| {
                state
                    .committed
                    .get(&(self.group.clone(), topic.clone(), *partition))
                    .copied()
                    .unwrap_or(0)
            });
            let Some(r) = log.get(usize::try_from(pos).unwrap_or(usize::MAX)) else {
                continue;
            };
            self.deferred.remove(&tp);
            self.fetched.insert(tp, pos + 1);
            return Some(IncomingRecord {
                topic: topic.clone(),
                partition: *partition,
                offset: r.offset,
                key: r.key.clone(),
                value: Some(r.value.clone()),
                headers: r.headers.clone(),
            });
        }
        None
    }
}

impl Consume for MemoryConsumer {
    async fn recv(&mut self) -> Result<IncomingRecord, TransportError> {
        {
            loop {
                let arrived = Arc::clone(&self.transport.arrived);
                let notified = arrived.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if let Some(r) = self.try_next() {
                    return Ok(r);
                }
                let wake = self.deferred.values().min().copied();
                match wake.and_then(|w| w.duration_since(SystemTime::now()).ok()) {
                    Some(d) => {
                        tokio::select! {
                            () = &mut notified => {}
                            () = tokio::time::sleep(d) => {}
                        }
                    }
                    None if wake.is_some() => {}
                    None => notified.await,
                }
            }
        }
    }

    fn commit(
        &mut self,
        record: &IncomingRecord,
    ) -> impl Future<Output = Result<(), TransportError>> + Send {
        let mut state = self.transport.lock();
        let pos = state
            .committed
            .entry((self.group.clone(), record.topic.clone(), record.partition))
            .or_insert(0);
        *pos = (*pos).max(record.offset + 1);
        std::future::ready(Ok(()))
    }

    fn defer(&mut self, record: &IncomingRecord, until: SystemTime) -> Result<(), TransportError> {
        let tp = (record.topic.clone(), record.partition);
        self.fetched.insert(tp.clone(), record.offset);
        self.deferred.insert(tp, until);
        Ok(())
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
