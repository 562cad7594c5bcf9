//! The byte-level half of a bus: moving records to and from a broker.
//!
//! Everything a contract says about a record (key, envelope, headers,
//! encoding, PII, retries and dead letters) is applied once, above this
//! layer, by [`Bus`](crate::Bus) and [`NodeConsumer`](crate::NodeConsumer).
//! A transport only sends bytes and hands back what it received, so the
//! in-memory bus and Kafka behave the same by construction.

use std::fmt;
use std::future::Future;
use std::time::SystemTime;

/// Why a transport operation failed. Broker failures keep their kind so
/// callers can tell a retriable timeout from a permanent authorization error.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportError {
    /// The broker did not answer in time (message timeout, request timeout).
    Timeout {
        /// What timed out.
        detail: String,
    },
    /// The principal may not write the topic or read the topic or group.
    Authorization {
        /// Topic or group refused.
        resource: String,
        /// The broker's message.
        detail: String,
    },
    /// The record exceeds the broker's or producer's size limit.
    RecordTooLarge {
        /// Topic.
        topic: String,
        /// Record size in bytes, when known.
        size: Option<usize>,
    },
    /// The topic does not exist on the broker (create it from the contracts).
    UnknownTopic {
        /// Topic.
        topic: String,
    },
    /// Any other broker or client error.
    Broker {
        /// The client's error code name.
        code: String,
        /// The message.
        detail: String,
        /// Whether retrying may succeed.
        retriable: bool,
    },
    /// The transport's configuration was refused.
    Config(String),
    /// The transport was shut down.
    Closed,
}

impl TransportError {
    /// Whether retrying the same operation may succeed.
    pub fn is_retriable(&self) -> bool {
        match self {
            TransportError::Timeout { .. } => true,
            TransportError::Broker { retriable, .. } => *retriable,
            _ => false,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Timeout { detail } => write!(f, "broker timeout: {detail}"),
            TransportError::Authorization { resource, detail } => write!(
                f,
                "not authorized for `{resource}`: {detail} (grant the ACLs from `cargo xtask acl`)"
            ),
            TransportError::RecordTooLarge { topic, size } => match size {
                Some(s) => write!(f, "a record of {s} bytes is too large for `{topic}`"),
                None => write!(f, "a record is too large for `{topic}`"),
            },
            TransportError::UnknownTopic { topic } => write!(
                f,
                "topic `{topic}` does not exist on the broker (create the catalog's topics first)"
            ),
            TransportError::Broker {
                code,
                detail,
                retriable,
            } => write!(
                f,
                "broker error {code}: {detail}{}",
                if *retriable { " (retriable)" } else { "" }
            ),
            TransportError::Config(e) => write!(f, "invalid transport configuration: {e}"),
            TransportError::Closed => write!(f, "the transport is closed"),
        }
    }
}

impl std::error::Error for TransportError {}

/// A record to send: the topic's concrete name, key, value and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingRecord {
    /// Concrete topic name.
    pub topic: String,
    /// Key bytes (`None` for unkeyed records).
    pub key: Option<Vec<u8>>,
    /// Value bytes.
    pub value: Vec<u8>,
    /// Headers, in order.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The topic's partition count from its contract. A broker knows its
    /// own; the in-memory transport partitions by it.
    pub partitions: u32,
}

/// A record as a consumer received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingRecord {
    /// Concrete topic name.
    pub topic: String,
    /// Partition.
    pub partition: u32,
    /// Offset within the partition.
    pub offset: u64,
    /// Key bytes.
    pub key: Option<Vec<u8>>,
    /// Value bytes (`None` for a tombstone).
    pub value: Option<Vec<u8>>,
    /// Headers, in order.
    pub headers: Vec<(String, Vec<u8>)>,
}

impl IncomingRecord {
    /// The last value of header `name`, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
    }
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

/// Sending records and opening consumers: what a broker client provides.
/// Implemented by [`MemoryTransport`](crate::MemoryTransport) and, with the
/// `kafka` feature, `onex::kafka::KafkaTransport`.
pub trait Transport: Clone + Send + Sync + 'static {
    /// The consumer this transport opens.
    type Consumer: Consume;

    /// Send one record; resolves when the broker acknowledged it.
    fn send(
        &self,
        record: OutgoingRecord,
    ) -> impl Future<Output = Result<Delivery, TransportError>> + Send;

    /// A consumer of `topics` in consumer group `group`, starting at the
    /// group's committed offsets (the earliest offset for a new group).
    fn subscribe(&self, group: &str, topics: &[String]) -> Result<Self::Consumer, TransportError>;
}

/// A consumer in a group: records come in partition order; a record is
/// committed only when [`Consume::commit`] is called for it.
pub trait Consume: Send {
    /// The next record. Waits until one is available.
    fn recv(&mut self) -> impl Future<Output = Result<IncomingRecord, TransportError>> + Send;

    /// Commit `record`: the group's position on its partition moves past it.
    fn commit(
        &mut self,
        record: &IncomingRecord,
    ) -> impl Future<Output = Result<(), TransportError>> + Send;

    /// Deliver `record` again, and nothing after it on its partition, not
    /// before `until`. Other partitions keep flowing (Kafka: pause and seek).
    fn defer(&mut self, record: &IncomingRecord, until: SystemTime) -> Result<(), TransportError>;
}
