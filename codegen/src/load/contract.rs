//! The three contract file formats, exactly as written on disk. These types
//! are the source of the published JSON Schemas (`schemas/*.schema.json`),
//! so the documentation below is what editors show on hover.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::load::yaml::Located;
use crate::model::vocab::{
    CleanupPolicy, Compatibility, EventIdFlavour, LintLevel, PartitionPolicy, PiiLevel,
    ProtobufEncoding, Requirement, RetryMode, SubjectStrategy,
};

/// Catalog settings: `contracts/onex.yaml`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "onex catalog settings (onex.yaml)")]
pub struct SettingsFile {
    /// Format version of this file. Only `1` exists.
    pub version: Located<u32>,
    /// Naming conventions and the values their run-time parts may take.
    pub naming: NamingSettings,
    /// Policy per stream class (seed 000's retention and compaction matrix).
    /// The keys are the allowed classes.
    pub classes: BTreeMap<String, ClassPolicy>,
    /// Allowed partition counts.
    #[serde(default)]
    pub partitions: PartitionPolicy,
    /// Keying rules by event class (seed 001 §5): a topic that declares an
    /// `event_class` must be keyed by one of that class's keys.
    #[serde(default)]
    pub keying: BTreeMap<String, KeyingRule>,
    /// Node types a node contract's `meta.node_type` may take.
    #[serde(default = "default_node_types")]
    pub node_types: Vec<String>,
    /// Schema-registry subject naming.
    #[serde(default)]
    pub subjects: SubjectSettings,
    /// Lint levels by rule id (`deny`, `warn`, `allow`).
    #[serde(default)]
    pub lints: BTreeMap<String, LintLevel>,
    /// Header names allowed beyond seed 000's (rule `header-allowed`).
    #[serde(default)]
    pub headers: Vec<String>,
    /// The catalog's event envelope: which fields records carry, which are
    /// required (always or per class), how `event_id` is minted. Without it
    /// records use onex's superset envelope (seeds 001, 002 and 004 merged)
    /// with only `event_id`, `event_type` and `payload` required.
    #[serde(default)]
    pub envelope: Option<EnvelopeSettings>,
    /// Names of dead-letter and retry topics derived from their source topic.
    #[serde(default)]
    pub failure: FailureSettings,
    /// How `onex breaking` judges changes.
    #[serde(default)]
    pub breaking: BreakingSettings,
    /// Topic fields inherited by contracts that do not set them: from the
    /// whole catalog, then a context, then a class (the most specific wins;
    /// the topic's own value wins over all).
    #[serde(default)]
    pub defaults: DefaultsSettings,
    /// Where node contracts live besides `nodes/` (which is always read):
    /// glob patterns relative to this file's folder, e.g.
    /// `services/*/contract.yaml` or `../services/*/contract.yaml`. The
    /// last part is the file name, written out; `*`, `?`, `[...]` and
    /// `{a,b}` match within one folder name, `**` any folders (at most 32
    /// deep). Files outside the catalog root may be named; symlinks are
    /// followed only into the catalog root. A folder inside the root that a
    /// glob starts with holds node contracts, not topics.
    #[serde(default)]
    pub nodes: Vec<Located<String>>,
}

/// Settings of the breaking-change check.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakingSettings {
    /// How Protobuf records are encoded on the catalog's topics: `binary`
    /// (default; buf's WIRE view) or `json` (WIRE_JSON: renames break too).
    /// `onex breaking --protobuf-encoding` overrides it.
    #[serde(default)]
    pub protobuf_encoding: ProtobufEncoding,
}

/// Inherited topic fields, by scope.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultsSettings {
    /// For every topic of the catalog.
    #[serde(default)]
    pub catalog: TopicDefaults,
    /// For the topics of a context (by context directory name).
    #[serde(default)]
    pub contexts: BTreeMap<String, TopicDefaults>,
    /// For the topics of a class (a key of `classes`).
    #[serde(default)]
    pub classes: BTreeMap<String, TopicDefaults>,
}

/// The topic fields a scope may set for its topics.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicDefaults {
    /// Who owns the topics.
    #[serde(default)]
    pub owner: Option<Owner>,
    /// Service levels.
    #[serde(default)]
    pub sla: Option<Sla>,
    /// Retention (`1h`, `7d`, ...).
    #[serde(default)]
    pub retention: Option<Located<String>>,
    /// `delete`, `compact`, or `compact,delete`.
    #[serde(default)]
    pub cleanup_policy: Option<Located<CleanupPolicy>>,
    /// Partition count.
    #[serde(default)]
    pub partitions: Option<Located<u32>>,
    /// Tiered storage on.
    #[serde(default)]
    pub tiered_storage: Option<bool>,
    /// Headers producers must set.
    #[serde(default)]
    pub headers: Option<Vec<Located<String>>>,
}

/// The catalog's envelope.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSettings {
    /// How producers mint `event_id`: `uuid-v7` (default; seed 004) or
    /// `uuid-v4` (seeds 001 and 002).
    #[serde(default)]
    pub event_id: EventIdFlavour,
    /// The fields records carry besides `event_id`, `event_type` and
    /// `payload` (always present): any of `source`, `correlation_id`,
    /// `causation_id`, `timestamp`, `occurred_at`, `emitted_at`, `tenant_id`,
    /// `schema_version`, `version`, `partition_key`, `ttl`, `metadata`.
    #[serde(default)]
    pub fields: BTreeMap<String, EnvelopeFieldSpec>,
}

/// One envelope field.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeFieldSpec {
    /// Required on every record (producers refuse to send, consumers to
    /// accept, a record without it).
    #[serde(default)]
    pub required: bool,
    /// Required on the records of these classes only, e.g. `[qrs]` for
    /// `correlation_id`.
    #[serde(default)]
    pub required_for: Vec<Located<String>>,
    /// What the field carries.
    #[serde(default)]
    pub description: Option<String>,
}

/// Name templates over a source topic's wire name, written `{name}`.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FailureSettings {
    /// The dead-letter topic of a topic whose `dlt:` names no `topic`, e.g.
    /// `"{name}.dlq"` (seeds 002 and 004). It must be a topic of the catalog.
    #[serde(default)]
    pub dead_letter: Option<Located<String>>,
    /// The retry topic of a topic whose `retry:` names no `topic` (and does
    /// not retry in the consumer), e.g. `"{name}.retry"`.
    #[serde(default)]
    pub retry: Option<Located<String>>,
}

fn default_node_types() -> Vec<String> {
    ["EFFECT", "COMPUTE", "REDUCER", "ORCHESTRATOR"]
        .map(str::to_owned)
        .to_vec()
}

/// Naming conventions.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamingSettings {
    /// The convention a topic uses when it names none.
    pub default_convention: Located<String>,
    /// Conventions by id. A pattern is a dot-separated list of segments; a
    /// segment is a literal or a placeholder. `{env}` and `{tenant}` are bound
    /// at run time (unless the topic pins them); `{context}`, `{class}`,
    /// `{topic}` and `{version}` (`v<N>`) come from the contract's path; any
    /// other placeholder (e.g. `{domain}`) matches one segment of an explicit
    /// `name`.
    pub conventions: BTreeMap<String, Convention>,
    /// Environments `{env}` may be bound to (seed 000: dev, stage, prod, sand, test).
    pub envs: Vec<String>,
    /// Known tenants `{tenant}` may be bound to or a topic may pin.
    pub tenants: Vec<String>,
}

/// One naming convention.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Convention {
    /// The pattern, e.g. `{env}.{tenant}.{context}.{class}.{topic}.{version}`.
    pub pattern: Located<String>,
    /// What the convention is for and where it comes from.
    #[serde(default)]
    pub description: Option<String>,
}

/// Policy of one stream class.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassPolicy {
    /// What the class carries.
    #[serde(default)]
    pub description: Option<String>,
    /// Allowed retention, inclusive (durations such as `1h`, `7d`).
    pub retention: RetentionBounds,
    /// Whether log compaction is forbidden, optional or required.
    pub compaction: Requirement,
    /// Whether tiered storage is forbidden, optional or required.
    #[serde(default = "Requirement::optional")]
    pub tiered_storage: Requirement,
    /// Topics of this class may omit `key:`: their records go out without a
    /// key (Kafka's sticky partitioner spreads them), e.g. metrics and logs
    /// where no two records need an order. Default `false`: every topic of
    /// the class names its key. A compacted topic always needs a key.
    #[serde(default)]
    pub keyless: bool,
}

/// Inclusive retention bounds.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionBounds {
    /// Shortest allowed retention.
    pub min: Located<String>,
    /// Longest allowed retention.
    pub max: Located<String>,
}

/// A keying rule: which key fields an event class may use.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyingRule {
    /// What the event class covers.
    #[serde(default)]
    pub description: Option<String>,
    /// The key fields this class may be keyed by.
    pub keys: Vec<String>,
}

/// Schema-registry subject naming.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectSettings {
    /// `topic_name` (`<topic>-value`, the default), `record_name` or `topic_record_name`.
    #[serde(default)]
    pub strategy: SubjectStrategy,
}

/// A topic contract: `contracts/<context>/<class>/<topic>/v<N>/topic.yaml`.
/// Context, class, topic and major version come from the path; fields that
/// restate them must agree with it.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "onex topic contract (topic.yaml)")]
pub struct TopicFile {
    /// Restates the context; must match the path.
    #[serde(default)]
    pub context: Option<Located<String>>,
    /// Restates the stream class; must match the path.
    #[serde(default)]
    pub class: Option<Located<String>>,
    /// Restates the topic segment; must match the path.
    #[serde(default)]
    pub topic: Option<Located<String>>,
    /// Restates the major version (`v1`); must match the path.
    #[serde(default)]
    pub version: Option<Located<String>>,
    /// The wire name, when it is not what the convention gives. May contain
    /// `{env}` and `{tenant}`, bound at run time.
    #[serde(default)]
    pub name: Option<Located<String>>,
    /// Naming convention id (default: the settings' `default_convention`).
    #[serde(default)]
    pub convention: Option<Located<String>>,
    /// Pins `{tenant}` to one known tenant.
    #[serde(default)]
    pub tenant: Option<Located<String>>,
    /// Pins `{env}` to one environment.
    #[serde(default)]
    pub env: Option<Located<String>>,
    /// The Rust type name, when the derived one collides or reads badly.
    #[serde(default)]
    pub rust_name: Option<Located<String>>,
    /// Legacy names that still resolve to this topic (seed 001 §9); using one warns.
    #[serde(default)]
    pub aliases: Vec<Located<String>>,
    /// What the topic carries (seed 001's "Meaning").
    #[serde(default)]
    pub description: Option<Located<String>>,
    /// How to read the stream (seed 001's "Semantic"), e.g. `Last-write-wins snapshot`.
    #[serde(default)]
    pub semantic: Option<String>,
    /// Event class for the keying rules (a key of the settings' `keying`).
    #[serde(default)]
    pub event_class: Option<Located<String>>,
    /// Who owns the topic.
    #[serde(default)]
    pub owner: Option<Owner>,
    /// Service levels.
    #[serde(default)]
    pub sla: Option<Sla>,
    /// How long records are kept (`1h`, `7d`, ...). Default: onex.yaml
    /// `defaults:` (class, then context, then catalog); one of them must say.
    #[serde(default)]
    pub retention: Option<Located<String>>,
    /// `delete` (default), `compact`, or `compact,delete`.
    #[serde(default)]
    pub cleanup_policy: Option<Located<CleanupPolicy>>,
    /// Partition count (default: the settings' partition default).
    #[serde(default)]
    pub partitions: Option<Located<u32>>,
    /// The partition key: a payload field (`key: { field: order_id }`) or
    /// an envelope field (`key: { envelope: correlation_id }`). Omitted:
    /// records without a key, where onex.yaml's class says `keyless: true`.
    #[serde(default)]
    pub key: Option<KeySpec>,
    /// The payload schema.
    #[serde(default)]
    pub schema: Option<SchemaSpec>,
    /// Sample payload files, relative to this directory (default: `samples/*.json`).
    #[serde(default)]
    pub samples: Option<Vec<Located<String>>>,
    /// PII classification by field path (seed 000: `none`, `low`, `high`).
    #[serde(default)]
    pub pii: BTreeMap<String, PiiSpec>,
    /// Node types expected to publish this topic (seed 001 §13 rule 4).
    #[serde(default)]
    pub producers: Vec<Located<String>>,
    /// Node types expected to subscribe (empty: any).
    #[serde(default)]
    pub consumers: Vec<Located<String>>,
    /// Retry tiers.
    #[serde(default)]
    pub retry: Option<RetryPolicy>,
    /// Dead-letter policy.
    #[serde(default)]
    pub dlt: Option<DltPolicy>,
    /// For a request topic: the topic its replies go to, and the envelope
    /// field that matches a reply to its request.
    #[serde(default)]
    pub reply: Option<ReplySpec>,
    /// Headers producers must set (seed 000).
    #[serde(default)]
    pub headers: Vec<Located<String>>,
    /// Deprecation.
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// Tiered storage on (required by some classes, e.g. `evt` and `aud` in seed 000).
    #[serde(default)]
    pub tiered_storage: Option<bool>,
    /// Per-contract lint levels and waivers of breaking-change findings, by
    /// rule id, each with the reason (reported with the findings).
    #[serde(default)]
    pub lints: BTreeMap<String, LintOverride>,
}

/// A per-contract lint level, with why.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LintOverride {
    /// `deny`, `warn` or `allow` (`allow` waives the rule for this contract).
    pub level: LintLevel,
    /// Why this contract differs from the catalog's level.
    pub reason: String,
}

/// Ownership.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// Owning team.
    pub team: Located<String>,
    /// Contact (email, channel).
    #[serde(default)]
    pub contact: Option<String>,
    /// On-call rotation.
    #[serde(default)]
    pub pagerduty: Option<String>,
}

/// Service levels.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    /// Free text, e.g. `best effort`.
    #[serde(default)]
    pub description: Option<String>,
    /// Expected publish frequency, e.g. `30s`.
    #[serde(default)]
    pub frequency: Option<Located<String>>,
    /// Acceptable consumer lag, e.g. `30s`.
    #[serde(default)]
    pub max_lag: Option<Located<String>>,
    /// p95 publish latency target, e.g. `50ms`.
    #[serde(default)]
    pub publish_latency_p95: Option<Located<String>>,
}

/// The partition key: exactly one of `field` and `envelope`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    /// Payload field the key is taken from; nested fields with dots
    /// (`node.id`). Must be a required field of the payload record.
    #[serde(default)]
    pub field: Option<Located<String>>,
    /// Envelope field the key is taken from (`correlation_id`, `tenant_id`,
    /// ...): a text field of the catalog's envelope, required for the
    /// topic's class. Seed 002 matches requests and replies this way.
    #[serde(default)]
    pub envelope: Option<Located<String>>,
    /// Optional key schema file (for the `<topic>-key` subject).
    #[serde(default)]
    pub schema: Option<Located<String>>,
    /// Why this key (ordering it preserves).
    #[serde(default)]
    pub description: Option<String>,
}

/// The payload schema.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaSpec {
    /// Schema file relative to this directory (`.schema.json`/`.json`, `.proto`,
    /// `.avsc`). Default: the one `payload.*` file beside `topic.yaml`.
    #[serde(default)]
    pub file: Option<Located<String>>,
    /// Protobuf message or Avro record that is the payload (default: the
    /// first message, or the top record).
    #[serde(default)]
    pub message: Option<Located<String>>,
    /// Semantic version of the payload schema.
    pub version: Located<String>,
    /// Schema-registry compatibility mode (default `BACKWARD`).
    #[serde(default)]
    pub compatibility: Compatibility,
}

/// PII classification of a field.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PiiSpec {
    /// `none`, `low` or `high`.
    pub level: PiiLevel,
    /// Encryption scheme for the field (required for `high` by the lints), e.g. `kms-envelope`.
    #[serde(default)]
    pub encryption: Option<String>,
}

/// Retry tiers (seed 000: `rty-1m`, `rty-15m`, `rty-2h`).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicy {
    /// Backoff per tier, e.g. `[1m, 15m, 2h]`.
    pub tiers: Vec<Located<String>>,
    /// Attempts before dead-lettering.
    #[serde(default)]
    pub max_attempts: Option<u32>,
    /// `topic` (default): failed records go to a retry topic;
    /// `in-consumer`: the consumer backs off in place, no retry topic.
    #[serde(default)]
    pub mode: Option<Located<RetryMode>>,
    /// The retry topic, by wire name (default: the catalog's
    /// `failure.retry` template).
    #[serde(default)]
    pub topic: Option<Located<String>>,
}

/// The reply side of a request/reply pair.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplySpec {
    /// The reply topic, by wire name.
    pub topic: Located<String>,
    /// The envelope field a reply copies from its request so the requester
    /// can match them (default `correlation_id`).
    #[serde(default)]
    pub correlation: Option<Located<String>>,
}

/// Dead-letter policy.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DltPolicy {
    /// The dead-letter topic, by wire name (default: the catalog's
    /// `failure.dead_letter` template).
    #[serde(default)]
    pub topic: Option<Located<String>>,
    /// Triage policy, free text.
    #[serde(default)]
    pub policy: Option<String>,
}

/// Deprecation of a topic version.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// Why.
    pub reason: String,
    /// Since when (date or version).
    #[serde(default)]
    pub since: Option<String>,
    /// The topic to move to, by wire name.
    #[serde(default)]
    pub replaced_by: Option<Located<String>>,
}

/// A node contract: `contract.yaml` as in seed 001 §13.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "onex node contract (contract.yaml)")]
pub struct NodeFile {
    /// The node's identity.
    pub meta: NodeMeta,
    /// Topics the node publishes and subscribes (top level, not under `meta`).
    #[serde(default)]
    pub event_channels: EventChannels,
}

/// Node identity.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeMeta {
    /// Node name, lowercase kebab (`registry-effect`).
    pub name: Located<String>,
    /// Node version (semver).
    pub version: Located<String>,
    /// Node type (`EFFECT`, `COMPUTE`, `REDUCER`, `ORCHESTRATOR`).
    pub node_type: Located<String>,
    /// What the node does.
    #[serde(default)]
    pub description: Option<String>,
    /// Consumer group for its subscriptions (default: the node name).
    #[serde(default)]
    pub consumer_group: Option<String>,
}

/// Publish and subscribe lists.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventChannels {
    /// Topics this node publishes to.
    #[serde(default)]
    pub publishes: Vec<Channel>,
    /// Topics this node subscribes to.
    #[serde(default)]
    pub subscribes: Vec<Channel>,
}

/// One event channel.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// Full topic name (or a legacy alias, which warns).
    pub topic: Located<String>,
    /// Kafka message key field; must be the topic's key (its payload field,
    /// or its envelope field for `key: { envelope: ... }`). Omitted only
    /// for a keyless topic.
    #[serde(default)]
    pub key: Option<Located<String>>,
    /// Logical event category.
    pub event_type: Located<String>,
    /// Human-readable purpose.
    #[serde(default)]
    pub description: Option<String>,
    /// Handler method name for a subscription (snake_case).
    #[serde(default)]
    pub handler: Option<Located<String>>,
}

/// The JSON Schemas of the three file kinds, as `(file name, schema)`.
pub fn json_schemas() -> Vec<(&'static str, String)> {
    let render = |s: schemars::Schema| serde_json::to_string_pretty(&s).unwrap_or_default() + "\n";
    vec![
        (
            "onex.schema.json",
            render(schemars::schema_for!(SettingsFile)),
        ),
        (
            "topic.schema.json",
            render(schemars::schema_for!(TopicFile)),
        ),
        ("node.schema.json", render(schemars::schema_for!(NodeFile))),
    ]
}
