//! The vocabulary contracts and the model share: cleanup policies,
//! compatibility modes, lint levels, PII levels, feature requirements, subject
//! strategies and partition policies. Serde and JSON Schema derives are here
//! because contract files spell these values exactly as the model does.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Whether a feature is forbidden, optional or required.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    /// Must not be used.
    None,
    /// May be used.
    Optional,
    /// Must be used.
    Required,
}

impl Requirement {
    pub(crate) fn optional() -> Self {
        Requirement::Optional
    }
}

/// Allowed partition counts (seed 001 §8: default 3, arbitrary counts forbidden).
#[derive(Clone, Debug, Deserialize, JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionPolicy {
    /// Partitions of a topic that declares none.
    pub default: u32,
    /// Every count a topic may declare.
    pub allowed: Vec<u32>,
}

impl Default for PartitionPolicy {
    fn default() -> Self {
        PartitionPolicy {
            default: 3,
            allowed: vec![3],
        }
    }
}

/// Confluent subject name strategies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectStrategy {
    /// `<topic>-value` / `<topic>-key`.
    #[default]
    TopicName,
    /// `<fully.qualified.Record>`.
    RecordName,
    /// `<topic>-<fully.qualified.Record>`.
    TopicRecordName,
}

/// A lint level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// An error.
    Deny,
    /// A warning.
    Warn,
    /// Not reported.
    Allow,
}

/// Cleanup policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
pub enum CleanupPolicy {
    /// Delete old segments.
    #[serde(rename = "delete")]
    Delete,
    /// Keep the latest record per key.
    #[serde(rename = "compact")]
    Compact,
    /// Both.
    #[serde(rename = "compact,delete")]
    CompactDelete,
}

/// Schema-registry compatibility modes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Compatibility {
    /// New schema reads data written with the previous one.
    #[default]
    Backward,
    /// ... with all previous ones.
    BackwardTransitive,
    /// Previous schema reads data written with the new one.
    Forward,
    /// ... all previous ones.
    ForwardTransitive,
    /// Both directions.
    Full,
    /// Both directions, all versions.
    FullTransitive,
    /// No check.
    None,
}

/// PII levels (seed 000).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PiiLevel {
    /// Not personal data.
    None,
    /// Personal but low risk.
    Low,
    /// Must be encrypted, never a key, never a header.
    High,
}

/// The canonical envelope's fields (seeds 001, 002 and 004), as the
/// runtime's `onex::Envelope` serialises them (a test keeps them equal).
pub const ENVELOPE_FIELDS: &[&str] = &[
    "event_id",
    "event_type",
    "source",
    "correlation_id",
    "causation_id",
    "timestamp",
    "occurred_at",
    "emitted_at",
    "tenant_id",
    "schema_version",
    "version",
    "partition_key",
    "ttl",
    "metadata",
    "payload",
];

/// The envelope fields every record carries whatever the catalog says.
pub const ENVELOPE_ALWAYS: &[&str] = &["event_id", "event_type", "payload"];

/// How a producer mints `event_id`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
pub enum EventIdFlavour {
    /// Random UUIDs (seeds 001 and 002: `"event_id": "uuid"`).
    #[serde(rename = "uuid-v4")]
    UuidV4,
    /// Time-ordered UUIDs (seed 004; the default).
    #[default]
    #[serde(rename = "uuid-v7")]
    UuidV7,
}

/// How a consumer retries a failed record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RetryMode {
    /// Through a retry topic (seed 000's `rty` class; the default).
    #[default]
    Topic,
    /// Backing off inside the consumer, without a retry topic.
    InConsumer,
}

/// How a catalog's Protobuf topics encode records, which decides which
/// Protobuf changes break (buf's WIRE vs WIRE_JSON categories).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProtobufEncoding {
    /// Binary records (the default): renames are safe.
    #[default]
    Binary,
    /// JSON-encoded records: field and enum value renames, `json_name` and
    /// the JSON mapping of types break too.
    Json,
}
