//! The validated model: one `Catalog` that every backend reads. Nothing here
//! is raw input; every reference is resolved and every invariant that
//! `resolve` checks holds.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::diagnostic::Location;
use crate::model::naming::{NameTemplate, Pattern};
use crate::model::payload::{FieldType, PayloadSchema};
use crate::model::vocab::{
    CleanupPolicy, Compatibility, ENVELOPE_ALWAYS, ENVELOPE_FIELDS, EventIdFlavour, LintLevel,
    PartitionPolicy, PiiLevel, ProtobufEncoding, Requirement, RetryMode, SubjectStrategy,
};

/// Identity of a topic version, from its path `<context>/<class>/<topic>/v<major>`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub struct TopicId {
    /// Bounded context.
    pub context: String,
    /// Stream class.
    pub class: String,
    /// Topic segment.
    pub topic: String,
    /// Major version.
    pub major: u32,
}

impl fmt::Display for TopicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/v{}",
            self.context, self.class, self.topic, self.major
        )
    }
}

/// Resolved catalog settings.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Settings {
    /// Conventions by id.
    pub conventions: BTreeMap<String, Pattern>,
    /// Default convention id.
    pub default_convention: String,
    /// Allowed environments.
    pub envs: Vec<String>,
    /// Known tenants.
    pub tenants: Vec<String>,
    /// Policy per class; the keys are the allowed classes.
    pub classes: BTreeMap<String, ClassPolicy>,
    /// Partition policy.
    pub partitions: PartitionPolicy,
    /// Allowed keys per event class.
    pub keying: BTreeMap<String, Vec<String>>,
    /// Allowed node types.
    pub node_types: Vec<String>,
    /// Subject naming strategy.
    pub subject_strategy: SubjectStrategy,
    /// Lint levels by rule id.
    pub lints: BTreeMap<String, LintLevel>,
    /// Extra allowed header names.
    pub headers: Vec<String>,
    /// The catalog's envelope (`envelope:`); `None` is onex's superset
    /// envelope with only `event_id`, `event_type` and `payload` required.
    pub envelope: Option<EnvelopeDef>,
    /// Name templates of dead-letter and retry topics over their source
    /// topic's wire name (`failure:`).
    pub failure_names: FailureNames,
    /// Inherited topic fields (`defaults:`).
    pub defaults: Defaults,
    /// How Protobuf records are encoded (`breaking.protobuf_encoding`).
    pub protobuf_encoding: ProtobufEncoding,
}

/// Topic fields inherited from onex.yaml, by scope.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct Defaults {
    /// For every topic.
    pub catalog: TopicDefaults,
    /// By context.
    pub contexts: BTreeMap<String, TopicDefaults>,
    /// By class.
    pub classes: BTreeMap<String, TopicDefaults>,
}

impl Defaults {
    /// The most specific default for a topic of `context` and `class`:
    /// the class's, then the context's, then the catalog's.
    pub fn pick<'d, T>(
        &'d self,
        context: &str,
        class: &str,
        get: impl Fn(&'d TopicDefaults) -> Option<T>,
    ) -> Option<T> {
        self.classes
            .get(class)
            .and_then(&get)
            .or_else(|| self.contexts.get(context).and_then(&get))
            .or_else(|| get(&self.catalog))
    }
}

/// The topic fields one scope sets, with where each was written.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct TopicDefaults {
    /// Owner.
    pub owner: Option<Owner>,
    /// SLA.
    pub sla: Option<Sla>,
    /// Retention, ms, and where it was written.
    pub retention: Option<(u64, Location)>,
    /// Cleanup policy.
    pub cleanup_policy: Option<CleanupPolicy>,
    /// Partitions, and where they were written.
    pub partitions: Option<(u32, Location)>,
    /// Tiered storage.
    pub tiered_storage: Option<bool>,
    /// Required headers.
    pub headers: Option<Vec<String>>,
}

/// A catalog's envelope: the fields its records carry and when each is
/// required (seeds 001, 002 and 004 each define one).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct EnvelopeDef {
    /// How `event_id` is minted.
    pub event_id: EventIdFlavour,
    /// Fields besides `event_id`, `event_type` and `payload`, by name.
    pub fields: BTreeMap<String, EnvelopeFieldDef>,
}

/// One envelope field of a catalog.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct EnvelopeFieldDef {
    /// Required on every record.
    pub required: bool,
    /// Required on the records of these classes.
    pub required_for: Vec<String>,
    /// What it carries.
    pub description: Option<String>,
}

impl EnvelopeDef {
    /// Does this envelope carry `field`?
    pub fn uses(&self, field: &str) -> bool {
        ENVELOPE_ALWAYS.contains(&field) || self.fields.contains_key(field)
    }

    /// The fields a record of `class` must carry, in the canonical order.
    pub fn required(&self, class: &str) -> Vec<&'static str> {
        ENVELOPE_FIELDS
            .iter()
            .copied()
            .filter(|f| {
                ENVELOPE_ALWAYS.contains(f)
                    || self
                        .fields
                        .get(*f)
                        .is_some_and(|d| d.required || d.required_for.iter().any(|c| c == class))
            })
            .collect()
    }
}

/// Name templates for topics derived from a source topic. `{name}` stands
/// for the source's wire name (with its run-time placeholders).
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct FailureNames {
    /// The dead-letter topic of a topic whose `dlt:` names none.
    pub dead_letter: Option<String>,
    /// The retry topic of a topic whose `retry:` (mode `topic`) names none.
    pub retry: Option<String>,
}

impl FailureNames {
    /// `template` with `{name}` replaced by `source`.
    pub fn apply(template: &str, source: &str) -> String {
        template.replace("{name}", source)
    }
}

/// Resolved class policy.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct ClassPolicy {
    /// Description.
    pub description: Option<String>,
    /// Shortest retention, ms.
    pub retention_min_ms: u64,
    /// Longest retention, ms.
    pub retention_max_ms: u64,
    /// Compaction.
    pub compaction: Requirement,
    /// Tiered storage.
    pub tiered_storage: Requirement,
    /// Topics of this class may omit `key:` (records without a key).
    pub keyless: bool,
}

/// Where a topic's record key comes from (`key:` in its contract).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    /// A payload field (`key: { field: order.id }`).
    Payload,
    /// An envelope field (`key: { envelope: correlation_id }`).
    Envelope,
    /// No key (`key:` omitted where the class allows it): records go out
    /// with a null key and Kafka's partitioner spreads them.
    None,
}

/// The partition key of a topic.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Key {
    /// Where the key comes from.
    pub source: KeySource,
    /// Field path in the payload (`["node_id"]`, `["node", "id"]`); for an
    /// envelope key the envelope field (`["correlation_id"]`); empty when keyless.
    pub path: Vec<String>,
    /// Its type.
    pub ty: FieldType,
    /// Optional key schema file.
    pub schema_file: Option<String>,

    /// Why this key.
    pub description: Option<String>,
}

impl Key {
    /// The dotted field path (the envelope field's name for an envelope
    /// key; empty when keyless).
    pub fn field(&self) -> String {
        self.path.join(".")
    }

    /// The payload field path, when the key is a payload field.
    pub fn payload_path(&self) -> Option<&[String]> {
        (self.source == KeySource::Payload).then_some(self.path.as_slice())
    }

    /// The key as a reader would write it: `order.id`, `envelope
    /// correlation_id`, or `none (keyless)`.
    pub fn describe(&self) -> String {
        match self.source {
            KeySource::Payload => self.field(),
            KeySource::Envelope => format!("envelope {}", self.field()),
            KeySource::None => "none (keyless)".to_owned(),
        }
    }
}

/// Ownership.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Owner {
    /// Team.
    pub team: String,
    /// Contact.
    pub contact: Option<String>,
    /// On-call rotation.
    pub pagerduty: Option<String>,
}

/// Service levels.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct Sla {
    /// Free text.
    pub description: Option<String>,
    /// Publish frequency, ms.
    pub frequency_ms: Option<u64>,
    /// Acceptable lag, ms.
    pub max_lag_ms: Option<u64>,
    /// p95 publish latency target, ms.
    pub publish_latency_p95_ms: Option<u64>,
}

/// The payload schema with its version and compatibility mode.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Schema {
    /// Semantic version.
    pub version: String,
    /// Compatibility mode.
    pub compatibility: Compatibility,
    /// Protobuf message / Avro record chosen as the payload.
    pub message: Option<String>,
    /// The parsed schema.
    pub payload: PayloadSchema,
    /// The key schema file (relative to the root) and its text, when the
    /// contract declares one.
    pub key_schema: Option<(String, String)>,
}

/// A sample payload.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Sample {
    /// File, relative to the catalog root.
    pub file: String,
    /// The JSON value.
    pub value: serde_json::Value,
    /// The file's text (shared with the loader), to locate what lint finds
    /// wrong in it.
    #[serde(skip)]
    pub text: std::sync::Arc<str>,
}

/// Retry policy.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Retry {
    /// Backoff per tier, ms.
    pub tiers_ms: Vec<u64>,
    /// Attempts before dead-lettering.
    pub max_attempts: Option<u32>,
    /// Through a retry topic or inside the consumer.
    pub mode: RetryMode,
    /// The retry topic.
    pub topic: Option<TopicId>,
}

/// The reply side of a request topic.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Reply {
    /// The reply topic.
    pub topic: TopicId,
    /// The envelope field that matches a reply to its request.
    pub correlation: String,
}

/// Dead-letter policy.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Dlt {
    /// The dead-letter topic.
    pub topic: Option<TopicId>,
    /// Triage policy.
    pub policy: Option<String>,
}

/// Deprecation.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Deprecation {
    /// Why.
    pub reason: String,
    /// Since.
    pub since: Option<String>,
    /// Successor.
    pub replaced_by: Option<TopicId>,
}

/// Where the important parts of a topic contract were written (for lints and
/// later diagnostics; not part of the model's identity).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct TopicSpans {
    /// The `topic.yaml` file.
    pub file: Option<Location>,
    /// `key.field` or `key.envelope` (`None` when keyless).
    pub key: Option<Location>,
    /// `name`, if explicit.
    pub name: Option<Location>,
    /// `retention`.
    pub retention: Option<Location>,
    /// `partitions`.
    pub partitions: Option<Location>,
    /// Every top-level key of the file, and `pii` entries as `pii.<field>`.
    pub keys: BTreeMap<String, Location>,
}

impl TopicSpans {
    /// Where `key` was written, else the file.
    pub fn at(&self, key: &str) -> Option<Location> {
        self.keys.get(key).cloned().or_else(|| self.file.clone())
    }
}

/// One topic version.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Topic {
    /// Identity from the path.
    pub id: TopicId,
    /// The `topic.yaml`, relative to the catalog root.
    pub file: String,
    /// Wire name template.
    pub name: NameTemplate,
    /// Naming convention used.
    pub convention: String,
    /// True when the name was written explicitly.
    pub explicit_name: bool,
    /// Legacy aliases.
    pub aliases: Vec<String>,
    /// Rust type name (UpperCamelCase).
    pub rust_name: String,
    /// What the topic carries.
    pub description: Option<String>,
    /// How to read it.
    pub semantic: Option<String>,
    /// Event class (keying rules).
    pub event_class: Option<String>,
    /// Owner.
    pub owner: Option<Owner>,
    /// SLA.
    pub sla: Option<Sla>,
    /// Retention, ms.
    pub retention_ms: u64,
    /// Cleanup policy.
    pub cleanup_policy: CleanupPolicy,
    /// Partitions.
    pub partitions: u32,
    /// Partition key.
    pub key: Key,
    /// Payload schema.
    pub schema: Schema,
    /// Sample payloads.
    pub samples: Vec<Sample>,
    /// PII level by field path (contract annotations merged with schema ones).
    pub pii: BTreeMap<String, PiiInfo>,
    /// Expected producer node types.
    pub producers: Vec<String>,
    /// Expected consumer node types (empty: any).
    pub consumers: Vec<String>,
    /// Retry policy.
    pub retry: Option<Retry>,
    /// Dead-letter policy.
    pub dlt: Option<Dlt>,
    /// For a request topic: where its replies go.
    pub reply: Option<Reply>,
    /// Required headers.
    pub headers: Vec<String>,
    /// Deprecation.
    pub deprecated: Option<Deprecation>,
    /// Tiered storage on.
    pub tiered_storage: Option<bool>,
    /// Per-contract lint levels: rule id → (level, reason).
    pub lint_overrides: BTreeMap<String, (LintLevel, String)>,
    /// Source positions.
    #[serde(skip)]
    pub spans: TopicSpans,
}

/// PII classification of one field.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct PiiInfo {
    /// Level.
    pub level: PiiLevel,
    /// Declared encryption.
    pub encryption: Option<String>,
}

/// Publish or subscribe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The node writes the topic.
    Publishes,
    /// The node reads the topic.
    Subscribes,
}

/// One resolved event channel of a node.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Channel {
    /// The topic.
    pub topic: TopicId,
    /// Key field (equal to the topic's).
    pub key: String,
    /// Logical event category.
    pub event_type: String,
    /// Purpose.
    pub description: Option<String>,
    /// Handler method (subscriptions; derived when the contract names none).
    pub handler: Option<String>,
    /// Where the channel's `topic:` was written.
    #[serde(skip)]
    pub location: Option<Location>,
}

/// One node contract.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Node {
    /// Name (kebab).
    pub name: String,
    /// Rust type name.
    pub rust_name: String,
    /// Version.
    pub version: String,
    /// Node type.
    pub node_type: String,
    /// Description.
    pub description: Option<String>,
    /// Consumer group.
    pub consumer_group: String,
    /// The `contract.yaml`, relative to the catalog root.
    pub file: String,
    /// Published topics.
    pub publishes: Vec<Channel>,
    /// Subscribed topics.
    pub subscribes: Vec<Channel>,
}

/// A topology edge.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub struct Edge {
    /// Node name.
    pub node: String,
    /// Direction.
    pub direction: Direction,
    /// Topic.
    pub topic: TopicId,
}

/// The validated catalog.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Catalog {
    /// Settings.
    pub settings: Settings,
    /// Topics, sorted by id.
    pub topics: Vec<Topic>,
    /// Nodes, sorted by name.
    pub nodes: Vec<Node>,
    /// Publish/subscribe edges, sorted.
    pub edges: Vec<Edge>,
    /// Every file read, relative to the root, sorted (for `rerun-if-changed`).
    pub files: Vec<String>,
    /// Every directory walked, relative to the root, sorted (a new topic
    /// folder changes one of them).
    pub dirs: Vec<String>,
}

impl Catalog {
    /// Look a topic up by id.
    pub fn topic(&self, id: &TopicId) -> Option<&Topic> {
        self.topics
            .binary_search_by(|t| t.id.cmp(id))
            .ok()
            .and_then(|i| self.topics.get(i))
    }

    /// Look a topic up by wire name (template or concrete) or alias.
    pub fn topic_by_name(&self, name: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| {
            t.name.to_string() == name
                || t.name
                    .matches_concrete(name, &self.settings.envs, &self.settings.tenants)
        })
    }

    /// Look a node up by name.
    pub fn node(&self, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.name == name)
    }
}
