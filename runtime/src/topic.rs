//! The `Topic` trait and the enums its constants use.

use crate::envelope_rules::{EnvelopeField, EnvelopeRules};
use crate::error::CodecError;
use crate::key::PartitionKey;
use crate::name::{NameError, Namespace};
use crate::policy::{DeadLetter, PiiField, RetryPolicy, Subscription};

/// A stream class (seed 000). Catalogs may define classes beyond the ten of
/// the seed; those are `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TopicClass {
    /// Immutable domain facts.
    Evt,
    /// Intent to change state.
    Cmd,
    /// Request/reply.
    Qrs,
    /// Control plane.
    Ctl,
    /// Dead letters.
    Dlt,
    /// Retry queues.
    Rty,
    /// Change data capture.
    Cdc,
    /// Metrics.
    Met,
    /// Audit.
    Aud,
    /// Logs.
    Log,
    /// A class of the catalog beyond seed 000's ten.
    Other(&'static str),
}

impl TopicClass {
    /// The class as written in names (`evt`).
    pub const fn as_str(&self) -> &'static str {
        match self {
            TopicClass::Evt => "evt",
            TopicClass::Cmd => "cmd",
            TopicClass::Qrs => "qrs",
            TopicClass::Ctl => "ctl",
            TopicClass::Dlt => "dlt",
            TopicClass::Rty => "rty",
            TopicClass::Cdc => "cdc",
            TopicClass::Met => "met",
            TopicClass::Aud => "aud",
            TopicClass::Log => "log",
            TopicClass::Other(s) => s,
        }
    }
}

impl std::fmt::Display for TopicClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Kafka's `cleanup.policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CleanupPolicy {
    /// `delete`.
    Delete,
    /// `compact`.
    Compact,
    /// `compact,delete`.
    CompactDelete,
}

impl CleanupPolicy {
    /// The value of `cleanup.policy`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            CleanupPolicy::Delete => "delete",
            CleanupPolicy::Compact => "compact",
            CleanupPolicy::CompactDelete => "compact,delete",
        }
    }

    /// Is log compaction on?
    pub const fn is_compacted(&self) -> bool {
        !matches!(self, CleanupPolicy::Delete)
    }
}

/// Schema-registry compatibility mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Compatibility {
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
    None,
}

impl Compatibility {
    /// The registry's name for the mode (`BACKWARD`).
    pub const fn as_str(&self) -> &'static str {
        match self {
            Compatibility::Backward => "BACKWARD",
            Compatibility::BackwardTransitive => "BACKWARD_TRANSITIVE",
            Compatibility::Forward => "FORWARD",
            Compatibility::ForwardTransitive => "FORWARD_TRANSITIVE",
            Compatibility::Full => "FULL",
            Compatibility::FullTransitive => "FULL_TRANSITIVE",
            Compatibility::None => "NONE",
        }
    }
}

/// Schema-registry schema type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemaType {
    /// JSON Schema.
    Json,
    /// Protocol Buffers.
    Protobuf,
    /// Apache Avro.
    Avro,
}

impl SchemaType {
    /// The registry's `schemaType` (`JSON`, `PROTOBUF`, `AVRO`).
    pub const fn as_str(&self) -> &'static str {
        match self {
            SchemaType::Json => "JSON",
            SchemaType::Protobuf => "PROTOBUF",
            SchemaType::Avro => "AVRO",
        }
    }
}

/// Which half of a record a subject describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    /// The record value.
    Value,
    /// The record key.
    Key,
}

/// One schema-registry subject of the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Subject {
    /// Subject name; may hold `{env}`/`{tenant}` (bind with [`Namespace::render`]).
    pub subject: &'static str,
    /// The topic's name template.
    pub topic: &'static str,
    /// Value or key.
    pub kind: SubjectKind,
    /// Schema type.
    pub schema_type: SchemaType,
    /// Compatibility mode to configure.
    pub compatibility: Compatibility,
}

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

/// A topic version, with every fact of its contract. Implemented by
/// generated code, one type per `<context>/<class>/<topic>/v<N>` contract.
pub trait Topic: 'static {
    /// Wire name, or name template with `{env}` / `{tenant}` to bind at run time.
    const NAME: &'static str;
    /// Bounded context.
    const CONTEXT: &'static str;
    /// Stream class.
    const CLASS: TopicClass;
    /// Topic segment of the contract path.
    const TOPIC: &'static str;
    /// Major version (the `v<N>` directory).
    const MAJOR: u32;
    /// Partition count.
    const PARTITIONS: u32;
    /// `retention.ms`.
    const RETENTION_MS: u64;
    /// `cleanup.policy`.
    const CLEANUP_POLICY: CleanupPolicy;
    /// Payload field the key comes from (dotted for nested fields); the
    /// envelope field for an envelope key; empty for a keyless topic.
    const KEY_FIELD: &'static str;
    /// Value subject (template like [`Topic::NAME`]).
    const VALUE_SUBJECT: &'static str;
    /// Key subject (template like [`Topic::NAME`]); empty for a keyless
    /// topic.
    const KEY_SUBJECT: &'static str;
    /// Value schema type.
    const SCHEMA_TYPE: SchemaType;
    /// Semantic version of the payload schema.
    const SCHEMA_VERSION: &'static str;
    /// Compatibility mode.
    const COMPATIBILITY: Compatibility;
    /// Owning team.
    const OWNER: Option<&'static str>;
    /// Legacy names that resolve to this topic.
    const ALIASES: &'static [&'static str];
    /// Deprecated topic version?
    const DEPRECATED: bool;
    /// Retry policy of the contract (`retry:`).
    const RETRY: Option<RetryPolicy> = None;
    /// Dead-letter topic of the contract (`dlt:`).
    const DEAD_LETTER: Option<DeadLetter> = None;
    /// PII classification of payload fields (`pii:`).
    const PII: &'static [PiiField] = &[];
    /// Protobuf: index of the payload message among its file's top-level
    /// messages (written in Confluent wire-format frames).
    const MESSAGE_INDEX: u32 = 0;
    /// Reject unknown payload fields when decoding? Off by default: seed 004
    /// wants consumers forward-compatible within a major.
    const STRICT_DECODING: bool = false;
    /// The catalog's envelope rules for this topic (onex.yaml `envelope:`).
    const ENVELOPE: EnvelopeRules = EnvelopeRules::SUPERSET;
    /// Where the record key comes from; [`Topic::key`] serves
    /// [`KeySource::Payload`] only (use [`crate::record_key`] for any).
    const KEY_SOURCE: KeySource = KeySource::Payload;

    /// The payload struct.
    type Payload: serde::Serialize
        + serde::de::DeserializeOwned
        + Clone
        + std::fmt::Debug
        + Send
        + Sync
        + 'static;
    /// The partition key, borrowed from the payload where it can be.
    type Key<'a>: PartitionKey;

    /// The partition key of a payload.
    fn key(payload: &Self::Payload) -> Self::Key<'_>;

    /// The wire name in a namespace.
    fn name_in(ns: &Namespace) -> Result<String, NameError> {
        ns.render(Self::NAME)
    }

    /// The payload alone in the topic's binary format (Protobuf, Avro).
    /// JSON topics carry the whole envelope as JSON and do not call this;
    /// the default writes JSON.
    fn encode_payload(payload: &Self::Payload) -> Result<Vec<u8>, CodecError> {
        serde_json::to_vec(payload).map_err(|e| CodecError::Payload(e.to_string()))
    }

    /// The inverse of [`Topic::encode_payload`].
    fn decode_payload(bytes: &[u8]) -> Result<Self::Payload, CodecError> {
        serde_json::from_slice(bytes).map_err(|e| CodecError::Payload(e.to_string()))
    }
}

/// A request topic of a request/reply pair (`reply:` in its contract).
pub trait Request: Topic {
    /// The topic its replies go to.
    type Reply: Topic;
    /// The envelope field a reply copies from its request.
    const CORRELATION: EnvelopeField;
}

/// Generic code over every topic type: `EnumOnexTopic::visit` calls
/// [`TopicVisitor::visit`] with the topic's type, turning a run-time topic
/// into a compile-time one (decode a payload, check a sample, dispatch).
pub trait TopicVisitor {
    /// What a visit returns.
    type Output;
    /// Called with the topic's type.
    fn visit<T: Topic>(self) -> Self::Output;
}

/// Every constant of a [`Topic`] but its policies, as one value: generated
/// `EnumOnexTopic` keeps a table of them, one row per topic, and its
/// accessors read the row (instead of one `match` over every topic per
/// accessor). Field names are the accessors'.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
#[allow(missing_docs)]
pub struct Facts {
    pub name: &'static str,
    pub context: &'static str,
    pub class: TopicClass,
    pub topic: &'static str,
    pub major: u32,
    pub partitions: u32,
    pub retention_ms: u64,
    pub cleanup_policy: CleanupPolicy,
    pub key_field: &'static str,
    pub value_subject: &'static str,
    pub key_subject: &'static str,
    pub schema_type: SchemaType,
    pub schema_version: &'static str,
    pub compatibility: Compatibility,
    pub owner: Option<&'static str>,
    pub aliases: &'static [&'static str],
    pub is_deprecated: bool,
}

impl Facts {
    /// The facts of `T`.
    #[must_use]
    pub const fn of<T: Topic>() -> Self {
        Facts {
            name: T::NAME,
            context: T::CONTEXT,
            class: T::CLASS,
            topic: T::TOPIC,
            major: T::MAJOR,
            partitions: T::PARTITIONS,
            retention_ms: T::RETENTION_MS,
            cleanup_policy: T::CLEANUP_POLICY,
            key_field: T::KEY_FIELD,
            value_subject: T::VALUE_SUBJECT,
            key_subject: T::KEY_SUBJECT,
            schema_type: T::SCHEMA_TYPE,
            schema_version: T::SCHEMA_VERSION,
            compatibility: T::COMPATIBILITY,
            owner: T::OWNER,
            aliases: T::ALIASES,
            is_deprecated: T::DEPRECATED,
        }
    }
}

/// The value subject of `T` (generated `SUBJECTS` is a table of these and
/// of [`key_subject_of`]).
#[doc(hidden)]
#[must_use]
pub const fn value_subject_of<T: Topic>() -> Subject {
    Subject {
        subject: T::VALUE_SUBJECT,
        topic: T::NAME,
        kind: SubjectKind::Value,
        schema_type: T::SCHEMA_TYPE,
        compatibility: T::COMPATIBILITY,
    }
}

/// The key subject of `T`; the key's schema type is the contract's, not a
/// constant of `T`. Not listed for keyless topics.
#[doc(hidden)]
#[must_use]
pub const fn key_subject_of<T: Topic>(key_schema_type: SchemaType) -> Subject {
    Subject {
        subject: T::KEY_SUBJECT,
        topic: T::NAME,
        kind: SubjectKind::Key,
        schema_type: key_schema_type,
        compatibility: T::COMPATIBILITY,
    }
}

impl Subscription {
    /// The subscription of topic `T`, with `T`'s contract policies.
    pub const fn of<T: Topic>() -> Self {
        Subscription {
            topic: T::NAME,
            retry: T::RETRY,
            dead_letter: T::DEAD_LETTER,
        }
    }
}
