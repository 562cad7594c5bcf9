//! A node's consumer: its group, exactly its subscribed topics, commit after
//! the handler succeeded (at-least-once, seed 004), and the contract's
//! failure policy (seed 000 retry tiers with `x-next-at`, then the dead-letter
//! topic with the full envelope and seed 002's DLQ metadata). A record that
//! cannot be decoded goes to the dead-letter topic at once: it never crashes
//! the consumer and never blocks its partition.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::bus::Bus;
use crate::codec::Codec;
use crate::error::{BusError, DispatchError};
use crate::headers;
use crate::node::Node;
use crate::policy::Subscription;
use crate::transport::{Consume, IncomingRecord, OutgoingRecord, Transport};

/// How a node's consumer runs.
#[derive(Clone, Debug)]
pub struct ConsumerOptions {
    /// Replace the contract's retry delays (tests, local runs); the last
    /// delay repeats when there are fewer than tiers.
    pub retry_delays: Option<Vec<Duration>>,
    /// This instance's id in DLQ metadata (`consumer_instance`).
    pub instance: String,
}

impl Default for ConsumerOptions {
    fn default() -> Self {
        ConsumerOptions {
            retry_delays: None,
            instance: format!("pid-{}", std::process::id()),
        }
    }
}

/// What happened to a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The handler succeeded; the record is committed.
    Handled,
    /// The handler failed; the record went to the retry topic.
    Retried {
        /// Failed attempts so far.
        attempt: u32,
        /// The retry topic.
        topic: String,
    },
    /// The handler failed; the record will be redelivered in place later.
    Deferred {
        /// Failed attempts so far.
        attempt: u32,
    },
    /// The record went to the dead-letter topic.
    DeadLettered {
        /// The dead-letter topic.
        topic: String,
        /// `x-failure-class`.
        class: &'static str,
    },
    /// The record cannot be handled and the contract names no dead-letter
    /// topic: it is committed and skipped (the reason says why).
    Skipped {
        /// Why.
        reason: String,
    },
    /// A retry record not yet due was put back until its `x-next-at`.
    NotDue,
}

/// A record handed to the handler, with where it came from.
#[derive(Clone, Debug)]
pub struct Delivered {
    /// The record as the handler sees it: a retried record carries its
    /// original topic.
    pub record: IncomingRecord,
    /// The record as it was read (retry topic, partition, offset).
    pub source: IncomingRecord,
    /// Failed attempts before this one.
    pub attempt: u32,
}

/// The consumer of node `N`; see the module docs. Typed by its node, so
/// only that node's handlers can drive it.
pub struct NodeConsumer<Tr: Transport, N> {
    bus: Bus<Tr>,
    inner: Tr::Consumer,
    node: &'static str,
    group: &'static str,
    /// Concrete subscribed topic → its subscription.
    subs: BTreeMap<String, Subscription>,
    /// Concrete retry topics this consumer reads.
    retry_topics: Vec<String>,
    options: ConsumerOptions,
    /// In-place retries: (topic, partition, offset) → failed attempts.
    in_place: BTreeMap<(String, u32, u64), u32>,
    node_type: PhantomData<fn() -> N>,
}

impl<Tr: Transport, N> fmt::Debug for NodeConsumer<Tr, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodeConsumer")
            .field("node", &self.node)
            .field("group", &self.group)
            .field("subscriptions", &self.subs.keys().collect::<Vec<_>>())
            .field("retry_topics", &self.retry_topics)
            .finish_non_exhaustive()
    }
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

// Here rather than in `bus.rs`, so that the bus does not depend on its
// consumers.
impl<Tr: Transport> Bus<Tr> {
    /// Node `N`'s consumer: its consumer group, exactly its subscribed topics
    /// (and their retry topics), commits after each handled record.
    pub fn consumer<N: Node>(&self, node: &N) -> Result<NodeConsumer<Tr, N>, BusError> {
        self.consumer_with(node, ConsumerOptions::default())
    }

    /// [`Bus::consumer`] with options (retry delays, instance id).
    pub fn consumer_with<N: Node>(
        &self,
        _node: &N,
        options: ConsumerOptions,
    ) -> Result<NodeConsumer<Tr, N>, BusError> {
        NodeConsumer::open(self.clone(), options)
    }
}

impl<Tr: Transport, N: Node> NodeConsumer<Tr, N> {
    pub(crate) fn open(bus: Bus<Tr>, options: ConsumerOptions) -> Result<Self, BusError> {
        let ns = bus.namespace().clone();
        let mut subs = BTreeMap::new();
        let mut retry_topics = Vec::new();
        for s in N::SUBSCRIPTIONS {
            subs.insert(ns.render(s.topic).map_err(BusError::Name)?, *s);
            if let Some(t) = s.retry.and_then(|r| r.topic) {
                let t = ns.render(t).map_err(BusError::Name)?;
                if !retry_topics.contains(&t) {
                    retry_topics.push(t);
                }
            }
        }
        let mut topics: Vec<String> = subs.keys().cloned().collect();
        topics.extend(retry_topics.iter().cloned());
        let inner = bus.transport().subscribe(N::CONSUMER_GROUP, &topics)?;
        Ok(NodeConsumer {
            bus,
            inner,
            node: N::NAME,
            group: N::CONSUMER_GROUP,
            subs,
            retry_topics,
            options,
            in_place: BTreeMap::new(),
            node_type: PhantomData,
        })
    }

    /// The codec records are decoded with.
    pub fn codec(&self) -> Arc<Codec> {
        self.bus.codec_arc()
    }

    /// The concrete topics this consumer reads (subscriptions, then retry topics).
    pub fn topics(&self) -> Vec<String> {
        let mut t: Vec<String> = self.subs.keys().cloned().collect();
        t.extend(self.retry_topics.iter().cloned());
        t
    }

    /// The next record due for its handler. Retry records not yet due are
    /// put back on their partition until their `x-next-at`.
    pub async fn next(&mut self) -> Result<Delivered, BusError> {
        loop {
            let source = self.inner.recv().await?;
            if !self.retry_topics.contains(&source.topic) {
                let attempt = self
                    .in_place
                    .get(&(source.topic.clone(), source.partition, source.offset))
                    .copied()
                    .unwrap_or(0);
                return Ok(Delivered {
                    record: source.clone(),
                    source,
                    attempt,
                });
            }
            if let Some(due) = source
                .header(headers::NEXT_AT)
                .and_then(|t| humantime::parse_rfc3339_weak(t).ok())
            {
                if due > SystemTime::now() {
                    self.inner.defer(&source, due)?;
                    continue;
                }
            }
            let mut record = source.clone();
            if let Some(t) = source.header(headers::ORIGINAL_TOPIC) {
                record.topic = t.to_owned();
            }
            let attempt = source
                .header(headers::ATTEMPT)
                .and_then(|a| a.parse().ok())
                .unwrap_or(1);
            return Ok(Delivered {
                record,
                source,
                attempt,
            });
        }
    }

    fn delay(&self, sub: &Subscription, failures: u32) -> Duration {
        let i = usize::try_from(failures.saturating_sub(1)).unwrap_or(usize::MAX);
        if let Some(d) = &self.options.retry_delays {
            return d.get(i).or(d.last()).copied().unwrap_or_default();
        }
        let tiers = sub.retry.map(|r| r.tiers_ms).unwrap_or_default();
        Duration::from_millis(tiers.get(i).or(tiers.last()).copied().unwrap_or(1000))
    }

    /// Settle a delivered record by its handler's result: commit on success;
    /// on failure retry or dead-letter by the contract, then commit.
    pub async fn settle<E: fmt::Display>(
        &mut self,
        delivered: Delivered,
        result: Result<(), DispatchError<E>>,
    ) -> Result<Outcome, BusError> {
        let Delivered {
            record,
            source,
            attempt,
        } = delivered;
        let place = (source.topic.clone(), source.partition, source.offset);
        let error = match result {
            Ok(()) => {
                self.in_place.remove(&place);
                self.inner.commit(&source).await?;
                return Ok(Outcome::Handled);
            }
            Err(e) => e,
        };
        let class = error.failure_class();
        let reason: String = error.to_string().chars().take(1000).collect();
        let failures = attempt + 1;
        let sub = self.subs.get(&record.topic).copied();
        let now = SystemTime::now();
        if let (DispatchError::Handler(_), Some(sub)) = (&error, sub) {
            match sub.retry {
                Some(retry) if failures <= retry.retries() => {
                    let due = now + self.delay(&sub, failures);
                    if let Some(template) = retry.topic {
                        let topic = self
                            .bus
                            .namespace()
                            .render(template)
                            .map_err(BusError::Name)?;
                        let headers = self.failure_headers(
                            &record,
                            &source,
                            failures,
                            class,
                            &reason,
                            Some(due),
                        );
                        self.bus
                            .transport()
                            .send(OutgoingRecord {
                                topic: topic.clone(),
                                key: record.key.clone(),
                                value: record.value.clone().unwrap_or_default(),
                                headers,
                                partitions: retry.topic_partitions,
                            })
                            .await?;
                        self.inner.commit(&source).await?;
                        return Ok(Outcome::Retried {
                            attempt: failures,
                            topic,
                        });
                    }
                    self.in_place.insert(place, failures);
                    self.inner.defer(&source, due)?;
                    return Ok(Outcome::Deferred { attempt: failures });
                }
                _ if sub.dead_letter.is_none() => {
                    // No dead-letter topic: at-least-once means trying again,
                    // backing off up to a minute.
                    let secs = 1u64 << failures.min(6);
                    self.in_place.insert(place, failures);
                    self.inner.defer(&source, now + Duration::from_secs(secs))?;
                    return Ok(Outcome::Deferred { attempt: failures });
                }
                _ => {}
            }
        }
        self.in_place.remove(&place);
        let outcome = match sub.and_then(|s| s.dead_letter) {
            Some(dlt) => {
                let topic = self
                    .bus
                    .namespace()
                    .render(dlt.topic)
                    .map_err(BusError::Name)?;
                let mut headers =
                    self.failure_headers(&record, &source, failures, class, &reason, None);
                let meta = self.dlq_metadata(&record, &source, failures, class, &reason, now);
                headers.push((
                    headers::DLQ_METADATA.to_owned(),
                    meta.to_string().into_bytes(),
                ));
                let value = with_dlq_metadata(record.value.as_deref().unwrap_or_default(), &meta);
                self.bus
                    .transport()
                    .send(OutgoingRecord {
                        topic: topic.clone(),
                        key: record.key.clone(),
                        value,
                        headers,
                        partitions: dlt.partitions,
                    })
                    .await?;
                Outcome::DeadLettered { topic, class }
            }
            None => Outcome::Skipped { reason },
        };
        self.inner.commit(&source).await?;
        Ok(outcome)
    }

    fn failure_headers(
        &self,
        record: &IncomingRecord,
        source: &IncomingRecord,
        failures: u32,
        class: &str,
        reason: &str,
        next_at: Option<SystemTime>,
    ) -> Vec<(String, Vec<u8>)> {
        let now = rfc3339(SystemTime::now());
        let ours = [
            headers::ATTEMPT,
            headers::FIRST_SEEN_TS,
            headers::LAST_SEEN_TS,
            headers::FAILURE_CLASS,
            headers::FAILURE_REASON,
            headers::NEXT_AT,
            headers::ORIGINAL_TOPIC,
            headers::ORIGINAL_PARTITION,
            headers::ORIGINAL_OFFSET,
        ];
        let first_seen = source
            .header(headers::FIRST_SEEN_TS)
            .map_or_else(|| now.clone(), str::to_owned);
        let original_partition = source
            .header(headers::ORIGINAL_PARTITION)
            .map_or_else(|| source.partition.to_string(), str::to_owned);
        let original_offset = source
            .header(headers::ORIGINAL_OFFSET)
            .map_or_else(|| source.offset.to_string(), str::to_owned);
        let mut out: Vec<(String, Vec<u8>)> = source
            .headers
            .iter()
            .filter(|(k, _)| !ours.contains(&k.as_str()))
            .cloned()
            .collect();
        let mut put = |k: &str, v: String| out.push((k.to_owned(), v.into_bytes()));
        put(headers::ATTEMPT, failures.to_string());
        put(headers::FIRST_SEEN_TS, first_seen);
        put(headers::LAST_SEEN_TS, now);
        put(headers::FAILURE_CLASS, class.to_owned());
        put(headers::FAILURE_REASON, reason.to_owned());
        if let Some(t) = next_at {
            put(headers::NEXT_AT, rfc3339(t));
        }
        put(headers::ORIGINAL_TOPIC, record.topic.clone());
        put(headers::ORIGINAL_PARTITION, original_partition);
        put(headers::ORIGINAL_OFFSET, original_offset);
        out
    }

    fn dlq_metadata(
        &self,
        record: &IncomingRecord,
        source: &IncomingRecord,
        failures: u32,
        class: &str,
        reason: &str,
        now: SystemTime,
    ) -> Value {
        let num = |h: &str, own: u64| {
            source
                .header(h)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(own)
        };
        serde_json::json!({
            "original_topic": record.topic,
            "original_partition": num(headers::ORIGINAL_PARTITION, u64::from(source.partition)),
            "original_offset": num(headers::ORIGINAL_OFFSET, source.offset),
            "error_type": class,
            "error_message": reason,
            "retry_count": failures.saturating_sub(1),
            "failed_at": rfc3339(now),
            "failed_at_ms": u64::try_from(now_ms()).unwrap_or(u64::MAX),
            "consumer_group": self.group,
            "consumer_instance": self.options.instance,
            "node": self.node,
        })
    }
}

/// The dead-letter value: the full original envelope, with the DLQ metadata
/// under `metadata.dlq` when the value is a JSON envelope (a Confluent frame
/// is kept); other values go unchanged (the metadata is in a header).
fn with_dlq_metadata(value: &[u8], meta: &Value) -> Vec<u8> {
    let (frame, body) = match value.first() {
        Some(0) if value.len() >= 5 => value.split_at(5),
        _ => (&[][..], value),
    };
    let Ok(Value::Object(mut env)) = serde_json::from_slice::<Value>(body) else {
        return value.to_vec();
    };
    if !env.contains_key("payload") {
        return value.to_vec();
    }
    let metadata = env
        .entry("metadata")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    if let Value::Object(m) = metadata {
        m.insert("dlq".to_owned(), meta.clone());
    }
    let mut out = frame.to_vec();
    match serde_json::to_vec(&Value::Object(env)) {
        Ok(bytes) => out.extend(bytes),
        Err(_) => return value.to_vec(),
    }
    out
}
