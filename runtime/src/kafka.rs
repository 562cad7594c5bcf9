//! The Kafka transport (feature `kafka`): rdkafka with its bundled
//! librdkafka. It only moves bytes; the contract (key, headers, encoding,
//! PII, retries, dead letters) is applied by [`Bus`] and [`NodeConsumer`],
//! exactly as on the in-memory bus.
//!
//! Producer defaults: idempotent (`enable.idempotence=true`, `acks=all`) and
//! `partitioner=murmur2_random`, the Java client's partitioner, so a key lands
//! in the partition [`partition_for`](crate::partition_for) computes.
//! Consumer defaults: no auto-commit (the node consumer commits each record
//! after its handler succeeded), `auto.offset.reset=earliest`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};

use crate::bus::Bus;
use crate::codec::Codec;
use crate::error::BusError;
use crate::name::Namespace;
use crate::transport::{
    Consume, Delivery, IncomingRecord, OutgoingRecord, Transport, TransportError,
};

/// A bus on Kafka (or any Kafka-compatible broker: Redpanda, tansu).
pub type KafkaBus = Bus<KafkaTransport>;

impl Bus<KafkaTransport> {
    /// A bus on the brokers at `bootstrap` (`host:port[,host:port]`), topic
    /// names bound in `namespace`.
    pub fn kafka(bootstrap: &str, namespace: Namespace) -> Result<Self, BusError> {
        Self::kafka_with(KafkaConfig::new(bootstrap), Codec::new(namespace))
    }

    /// A bus with explicit client settings (security, timeouts) and codec
    /// (schema ids, PII keys).
    pub fn kafka_with(config: KafkaConfig, codec: Codec) -> Result<Self, BusError> {
        Ok(Bus::with_transport(KafkaTransport::new(config)?, codec))
    }
}

/// librdkafka settings for the producer, consumers and admin client.
#[derive(Clone, Debug)]
pub struct KafkaConfig {
    /// `bootstrap.servers`.
    pub bootstrap: String,
    /// Extra librdkafka properties for every client (security, timeouts).
    pub properties: BTreeMap<String, String>,
    /// How long a send may wait for the broker's acknowledgement.
    pub send_timeout: Duration,
}

impl KafkaConfig {
    /// Defaults for `bootstrap`.
    pub fn new(bootstrap: impl Into<String>) -> Self {
        KafkaConfig {
            bootstrap: bootstrap.into(),
            properties: BTreeMap::new(),
            send_timeout: Duration::from_secs(30),
        }
    }

    /// Set a librdkafka property for every client.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.properties.insert(key.into(), value.into());
        self
    }

    fn client(&self, defaults: &[(&str, &str)]) -> ClientConfig {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &self.bootstrap);
        for (k, v) in defaults {
            c.set(*k, *v);
        }
        for (k, v) in &self.properties {
            c.set(k, v);
        }
        c
    }
}

/// The Kafka transport: one idempotent producer shared by clones, and a
/// consumer per node.
#[derive(Clone)]
pub struct KafkaTransport {
    config: Arc<KafkaConfig>,
    producer: FutureProducer,
}

impl fmt::Debug for KafkaTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KafkaTransport")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A topic to create: name, partitions, and topic configs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicSpec {
    /// Concrete name.
    pub name: String,
    /// Partition count.
    pub partitions: u32,
    /// Topic configs (`retention.ms`, `cleanup.policy`).
    pub configs: BTreeMap<String, String>,
}

impl TopicSpec {
    /// The spec of topic `T` in `namespace`, from its contract.
    pub fn of<T: crate::topic::Topic>(namespace: &Namespace) -> Result<Self, BusError> {
        let mut configs = BTreeMap::new();
        configs.insert("retention.ms".to_owned(), T::RETENTION_MS.to_string());
        configs.insert(
            "cleanup.policy".to_owned(),
            T::CLEANUP_POLICY.as_str().to_owned(),
        );
        Ok(TopicSpec {
            name: T::name_in(namespace).map_err(BusError::Name)?,
            partitions: T::PARTITIONS,
            configs,
        })
    }
}

fn map_error(e: &KafkaError, resource: &str) -> TransportError {
    use RDKafkaErrorCode as C;
    let detail = e.to_string();
    match e.rdkafka_error_code() {
        Some(C::MessageTimedOut | C::RequestTimedOut | C::OperationTimedOut) => {
            TransportError::Timeout { detail }
        }
        Some(
            C::TopicAuthorizationFailed
            | C::GroupAuthorizationFailed
            | C::ClusterAuthorizationFailed
            | C::TransactionalIdAuthorizationFailed,
        ) => TransportError::Authorization {
            resource: resource.to_owned(),
            detail,
        },
        Some(C::MessageSizeTooLarge | C::InvalidMessageSize) => TransportError::RecordTooLarge {
            topic: resource.to_owned(),
            size: None,
        },
        Some(C::UnknownTopicOrPartition | C::UnknownTopic | C::UnknownPartition) => {
            TransportError::UnknownTopic {
                topic: resource.to_owned(),
            }
        }
        Some(code) => TransportError::Broker {
            code: format!("{code:?}"),
            detail,
            retriable: matches!(
                code,
                C::LeaderNotAvailable
                    | C::NotLeaderForPartition
                    | C::BrokerTransportFailure
                    | C::AllBrokersDown
                    | C::NetworkException
                    | C::NotEnoughReplicas
                    | C::NotEnoughReplicasAfterAppend
                    | C::NotCoordinator
                    | C::CoordinatorNotAvailable
                    | C::CoordinatorLoadInProgress
                    | C::RebalanceInProgress
                    | C::IllegalGeneration
                    | C::UnknownMemberId
                    | C::AssignmentLost
                    | C::NoOffset
                    | C::QueueFull
            ),
        },
        None => TransportError::Broker {
            code: "client".to_owned(),
            detail,
            retriable: false,
        },
    }
}

/// Producer settings onex starts from ([`KafkaConfig::set`] overrides them).
pub const PRODUCER_DEFAULTS: &[(&str, &str)] = &[
    ("enable.idempotence", "true"),
    ("acks", "all"),
    ("partitioner", "murmur2_random"),
    ("linger.ms", "5"),
];

impl KafkaTransport {
    /// A transport with an idempotent murmur2 producer.
    pub fn new(config: KafkaConfig) -> Result<Self, TransportError> {
        let producer: FutureProducer = config
            .client(PRODUCER_DEFAULTS)
            .create()
            .map_err(|e| TransportError::Config(e.to_string()))?;
        Ok(KafkaTransport {
            config: Arc::new(config),
            producer,
        })
    }

    /// The partition count of `topic` on the broker.
    pub fn partitions(&self, topic: &str) -> Result<u32, TransportError> {
        let md = self
            .producer
            .client()
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .map_err(|e| map_error(&e, topic))?;
        let t = md
            .topics()
            .iter()
            .find(|t| t.name() == topic)
            .ok_or_else(|| TransportError::UnknownTopic {
                topic: topic.to_owned(),
            })?;
        if let Some(e) = t.error() {
            return Err(map_error(&KafkaError::MetadataFetch(e.into()), topic));
        }
        Ok(u32::try_from(t.partitions().len()).unwrap_or(u32::MAX))
    }

    /// Create `topics` (replication factor `replication`); topics that
    /// already exist are left as they are.
    pub async fn create_topics(
        &self,
        topics: &[TopicSpec],
        replication: i32,
    ) -> Result<(), TransportError> {
        let admin: AdminClient<DefaultClientContext> = self
            .config
            .client(&[])
            .create()
            .map_err(|e| TransportError::Config(e.to_string()))?;
        let configs: Vec<Vec<(String, String)>> = topics
            .iter()
            .map(|t| t.configs.clone().into_iter().collect())
            .collect();
        let new: Vec<NewTopic<'_>> = topics
            .iter()
            .zip(&configs)
            .map(|(t, cfg)| {
                let partitions = i32::try_from(t.partitions).unwrap_or(i32::MAX);
                cfg.iter().fold(
                    NewTopic::new(&t.name, partitions, TopicReplication::Fixed(replication)),
                    |nt, (k, v)| nt.set(k, v),
                )
            })
            .collect();
        let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
        let results = admin
            .create_topics(&new, &options)
            .await
            .map_err(|e| map_error(&e, "create topics"))?;
        for r in results {
            match r {
                Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
                Err((topic, code)) => {
                    return Err(map_error(&KafkaError::AdminOp(code), &topic));
                }
            }
        }
        Ok(())
    }
}

impl Transport for KafkaTransport {
    type Consumer = KafkaConsumer;

    async fn send(&self, record: OutgoingRecord) -> Result<Delivery, TransportError> {
        let mut headers = OwnedHeaders::new_with_capacity(record.headers.len());
        for (k, v) in &record.headers {
            headers = headers.insert(Header {
                key: k,
                value: Some(v),
            });
        }
        let mut fr: FutureRecord<'_, [u8], [u8]> = FutureRecord::to(&record.topic)
            .payload(&record.value[..])
            .headers(headers);
        if let Some(k) = &record.key {
            fr = fr.key(&k[..]);
        }
        let delivered = self
            .producer
            .send(fr, self.config.send_timeout)
            .await
            .map_err(|(e, _)| map_error(&e, &record.topic))?;
        Ok(Delivery {
            partition: u32::try_from(delivered.partition).unwrap_or_default(),
            offset: u64::try_from(delivered.offset).unwrap_or_default(),
            topic: record.topic,
        })
    }

    fn subscribe(&self, group: &str, topics: &[String]) -> Result<KafkaConsumer, TransportError> {
        let consumer: StreamConsumer = self
            .config
            .client(&[
                ("group.id", group),
                ("enable.auto.commit", "false"),
                ("enable.auto.offset.store", "false"),
                ("auto.offset.reset", "earliest"),
                ("enable.partition.eof", "false"),
                ("session.timeout.ms", "10000"),
                ("topic.metadata.refresh.interval.ms", "2000"),
            ])
            .create()
            .map_err(|e| TransportError::Config(e.to_string()))?;
        let names: Vec<&str> = topics.iter().map(String::as_str).collect();
        consumer
            .subscribe(&names)
            .map_err(|e| map_error(&e, group))?;
        Ok(KafkaConsumer {
            consumer,
            group: group.to_owned(),
            deferred: BTreeMap::new(),
        })
    }
}

/// A consumer of one node's group. Deferred partitions are paused and, when
/// due, sought back to the deferred offset and resumed.
pub struct KafkaConsumer {
    consumer: StreamConsumer,
    group: String,
    /// (topic, partition) → (offset to redeliver, not before).
    deferred: BTreeMap<(String, u32), (u64, SystemTime)>,
}

impl fmt::Debug for KafkaConsumer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KafkaConsumer")
            .field("group", &self.group)
            .field("deferred", &self.deferred)
            .finish_non_exhaustive()
    }
}

fn to_i32(p: u32) -> i32 {
    i32::try_from(p).unwrap_or(i32::MAX)
}

fn to_i64(o: u64) -> i64 {
    i64::try_from(o).unwrap_or(i64::MAX)
}

impl KafkaConsumer {
    fn resume_due(&mut self) -> Result<(), TransportError> {
        let now = SystemTime::now();
        let due: Vec<(String, u32)> = self
            .deferred
            .iter()
            .filter(|(_, (_, until))| *until <= now)
            .map(|(tp, _)| tp.clone())
            .collect();
        for (topic, partition) in due {
            let Some((offset, _)) = self.deferred.remove(&(topic.clone(), partition)) else {
                continue;
            };
            let mut tpl = TopicPartitionList::new();
            tpl.add_partition(&topic, to_i32(partition));
            // After a rebalance the partition may be another member's: it
            // redelivers the uncommitted record, so failures here are moot.
            if self.consumer.resume(&tpl).is_ok() {
                let _ = self.consumer.seek(
                    &topic,
                    to_i32(partition),
                    Offset::Offset(to_i64(offset)),
                    Duration::from_secs(10),
                );
            }
        }
        Ok(())
    }
}

impl Consume for KafkaConsumer {
    async fn recv(&mut self) -> Result<IncomingRecord, TransportError> {
        loop {
            self.resume_due()?;
            let wait = self
                .deferred
                .values()
                .map(|(_, t)| t.duration_since(SystemTime::now()).unwrap_or_default())
                .min()
                .unwrap_or(Duration::from_secs(1))
                .min(Duration::from_secs(1));
            let msg = match tokio::time::timeout(wait, self.consumer.recv()).await {
                Err(_) => continue,
                Ok(Err(e)) => return Err(map_error(&e, &self.group)),
                Ok(Ok(m)) => m,
            };
            let partition = u32::try_from(msg.partition()).unwrap_or_default();
            let topic = msg.topic().to_owned();
            // Prefetched before the pause: it comes again after the seek.
            if self.deferred.contains_key(&(topic.clone(), partition)) {
                continue;
            }
            let headers = msg
                .headers()
                .map(|h| {
                    h.iter()
                        .map(|h| {
                            (
                                h.key.to_owned(),
                                h.value.map(<[u8]>::to_vec).unwrap_or_default(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            return Ok(IncomingRecord {
                topic,
                partition,
                offset: u64::try_from(msg.offset()).unwrap_or_default(),
                key: msg.key().map(<[u8]>::to_vec),
                value: msg.payload().map(<[u8]>::to_vec),
                headers,
            });
        }
    }

    async fn commit(&mut self, record: &IncomingRecord) -> Result<(), TransportError> {
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(
            &record.topic,
            to_i32(record.partition),
            Offset::Offset(to_i64(record.offset + 1)),
        )
        .map_err(|e| map_error(&e, &record.topic))?;
        self.consumer
            .commit(&tpl, CommitMode::Sync)
            .map_err(|e| map_error(&e, &self.group))
    }

    fn defer(&mut self, record: &IncomingRecord, until: SystemTime) -> Result<(), TransportError> {
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition(&record.topic, to_i32(record.partition));
        self.consumer
            .pause(&tpl)
            .map_err(|e| map_error(&e, &record.topic))?;
        self.deferred.insert(
            (record.topic.clone(), record.partition),
            (record.offset, until),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_errors_keep_their_kind() {
        let e = |c| map_error(&KafkaError::MessageProduction(c), "t");
        assert!(matches!(
            e(RDKafkaErrorCode::MessageTimedOut),
            TransportError::Timeout { .. }
        ));
        assert!(matches!(
            e(RDKafkaErrorCode::TopicAuthorizationFailed),
            TransportError::Authorization { .. }
        ));
        assert!(matches!(
            e(RDKafkaErrorCode::MessageSizeTooLarge),
            TransportError::RecordTooLarge { .. }
        ));
        assert!(matches!(
            e(RDKafkaErrorCode::UnknownTopicOrPartition),
            TransportError::UnknownTopic { .. }
        ));
        assert!(e(RDKafkaErrorCode::LeaderNotAvailable).is_retriable());
        assert!(e(RDKafkaErrorCode::MessageTimedOut).is_retriable());
        assert!(!e(RDKafkaErrorCode::TopicAuthorizationFailed).is_retriable());
        assert!(!e(RDKafkaErrorCode::InvalidConfig).is_retriable());
    }

    #[test]
    fn producer_defaults_are_idempotent_murmur2() {
        let c = KafkaConfig::new("127.0.0.1:1").client(PRODUCER_DEFAULTS);
        assert_eq!(c.get("partitioner"), Some("murmur2_random"));
        assert_eq!(c.get("enable.idempotence"), Some("true"));
        assert_eq!(c.get("acks"), Some("all"));
        assert_eq!(c.get("bootstrap.servers"), Some("127.0.0.1:1"));
        // The user's settings win.
        let overridden = KafkaConfig::new("b:1").set("linger.ms", "0");
        assert_eq!(
            overridden.client(PRODUCER_DEFAULTS).get("linger.ms"),
            Some("0")
        );
    }
}
