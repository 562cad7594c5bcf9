//! The rule registry: every lint and breaking-change rule with its stable
//! id, category, default level and page. Settings and contracts name rules
//! by id, so the loader validates ids against this table; governance
//! implements the rules.

use serde::Serialize;

use crate::model::vocab::LintLevel;

/// What a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Topic names.
    Naming,
    /// Retention, compaction, tiered storage.
    Storage,
    /// Partition counts and keys.
    Keys,
    /// Owners, descriptions, SLAs.
    Ownership,
    /// Personal data.
    Privacy,
    /// Who publishes and subscribes.
    Topology,
    /// Retry and dead letters.
    Failure,
    /// Deprecation and versions.
    Lifecycle,
    /// Sample payloads.
    Samples,
    /// Message headers.
    Headers,
    /// Schema and contract evolution (`breaking`).
    Evolution,
}

/// A lint rule.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Rule {
    /// Stable id (`retention-class-bounds`).
    pub id: &'static str,
    /// Category.
    pub category: Category,
    /// Level unless the settings or a contract say otherwise.
    pub default: LintLevel,
    /// One line.
    pub summary: &'static str,
    /// The rule's page: why, what it checks, how to fix (Markdown).
    pub explain: &'static str,
}

macro_rules! rules {
    ($( $id:literal, $cat:ident, $lvl:ident, $summary:literal, $explain:literal; )*) => {
        /// Every lint rule.
        pub const LINT_RULES: &[Rule] = &[ $( Rule { id: $id, category: Category::$cat, default: LintLevel::$lvl, summary: $summary, explain: $explain }, )* ];
    };
}

rules! {
    "name-convention", Naming, Warn, "an explicit wire name fits one of the catalog's naming conventions",
    "Seed 000 asks CI to enforce the namespace pattern. A topic whose `name:` is written out must still fit one of the conventions of `onex.yaml` (`naming.conventions`), segment by segment; a free-form name escapes every rule that reads names.\n\nFix: rename the topic in a new major version, or add the convention the name follows to `onex.yaml`.";
    "name-kebab-segments", Naming, Warn, "name segments are lowercase kebab-case",
    "Seed 000: context and topic segments are lowercase kebab (`test-run-completed`). Underscores, capitals and dots inside a segment make names inconsistent and wildcards (`prod.*.onex.evt.*.*`) unreliable. Known tenants are exempt (they are configured in `onex.yaml`).\n\nFix: rename the segment in a new major version; for an established name (seed 001's `registration_failed`), allow the rule in that contract with a reason.";
    "name-version-suffix", Naming, Deny, "the wire name carries its major version (`v<N>`)",
    "Seed 001 §9: names without a version suffix are legacy; every topic version is addressable by name. The name must contain the segment `v<N>` of its directory.\n\nFix: put `{version}` in the naming convention or `v<N>` in the explicit name; keep the old name as an `aliases:` entry.";
    "name-runtime-env", Naming, Warn, "the environment is bound at run time, not written into the name",
    "Seed 000's `<env>` part differs per deployment; a contract that pins `env:` or writes `prod.` into its name cannot be deployed to another environment.\n\nFix: keep `{env}` open and bind it with `onex::Namespace`.";
    "tenant-near-miss", Naming, Deny, "no segment is a near miss of a known tenant (`omnabase`)",
    "Seed 000's example set carries the typo `prod.omnabase...`, flagged as 'fix before provisioning'. Any name or alias segment within a typo of a known tenant (and not one itself) is reported with a did-you-mean.\n\nFix: spell the tenant as in `naming.tenants`.";
    "context-near-miss", Naming, Warn, "no context is a near miss of another context",
    "Two contexts one typo apart (`registy` and `registry`) split one bounded context into two namespaces, ACL patterns and owners.\n\nFix: move the topic under the intended context directory.";
    "retention-class-bounds", Storage, Deny, "retention lies within the class's bounds",
    "Seed 000's retention matrix: `evt` 7-30 days (critical ledgers 90), `cmd` 3 days, `qrs` 24 hours, `ctl` 48 hours, `rty` 7 days, `dlt` 30-90 days... The bounds per class are in `onex.yaml` (`classes.<class>.retention`).\n\nFix: change `retention:`, or the class of the topic.";
    "compaction-class", Storage, Deny, "compaction is used only where the class allows it, and where it requires it",
    "Seed 000: `cmd`, `qrs`, `rty`, `dlt` and `log` are never compacted; `evt`, `ctl`, `cdc`, `met` and `aud` may be. `classes.<class>.compaction` says `none`, `optional` or `required`.\n\nFix: set `cleanup_policy:` accordingly.";
    "tiered-storage-class", Storage, Deny, "tiered storage is on where the class requires it and off where it forbids it",
    "Seed 000: 'Tiered storage enabled for `evt`, `aud`, and critical `ctl` streams.' `classes.<class>.tiered_storage` says `none`, `optional` or `required`.\n\nFix: set `tiered_storage: true` (or remove it).";
    "partitions-allowed", Keys, Deny, "the partition count is in the allowed set",
    "Seed 001 §8: default 3 partitions; 'arbitrary partition counts are forbidden'. `partitions.allowed` in `onex.yaml` lists the counts.\n\nFix: use an allowed count, or extend the list with a documented reason.";
    "key-domain-meaning", Keys, Deny, "the key carries domain identity, not a per-event id",
    "Seed 000: 'Keys carry domain identity. No random keys.' Keying by `event_id`, `message_id` or another per-event id spreads an aggregate's events over all partitions and loses their order.\n\nFix: key by the aggregate id (`order_id`, `node_id`, `workflow_id`).";
    "event-class-declared", Keys, Warn, "the topic declares its event class, so the keying rules apply",
    "Seed 001 §5 locks keys by event class. A topic without `event_class:` escapes that check.\n\nFix: add `event_class:` naming a key of `keying:` in `onex.yaml`.";
    "keying-rule", Keys, Deny, "the key is one the event class's keying rule allows",
    "Seed 001 §5: node lifecycle events are keyed by `node_id`, registry workflows by `workflow_id`, infrastructure signals by `service_name`, trace correlation by `correlation_id`; 'arbitrary or per-topic keying is forbidden'.\n\nFix: key by the class's field, or choose the right event class.";
    "owner-present", Ownership, Deny, "the topic names its owning team",
    "Seed 000: 'Every topic has an owner, SLA, retention, schema subject, and deprecation plan'; CI enforces the owner label.\n\nFix: add `owner: { team: ... }`.";
    "description-present", Ownership, Warn, "the topic says what it carries",
    "Seed 001 gives every topic a Meaning; the generated docs and Rust docs are built from it.\n\nFix: add `description:`.";
    "sla-present", Ownership, Warn, "the topic states its service levels",
    "Seed 000: each topic is an API surface 'with versioned schemas and explicit SLAs'.\n\nFix: add `sla:` (frequency, max lag, publish latency, or a description).";
    "pii-high-encrypted", Privacy, Deny, "every `high` PII field declares its encryption",
    "Seed 000: 'High PII requires envelope encryption with KMS'; seed 004: 'no PII unless encrypted fields are declared'.\n\nFix: add `encryption:` to the field's `pii:` entry.";
    "pii-high-not-key", Privacy, Deny, "a `high` PII field is never the partition key",
    "Keys are stored and logged in clear by brokers, tools and consumers; seed 000 keeps PII 'in value only'.\n\nFix: key by a non-personal id.";
    "pii-not-in-headers", Privacy, Deny, "no header carries a `high` PII field",
    "Seed 000: 'PII in value only, scoped encryption, redacted headers'. A header named after a `high` PII field (`x-client-ip` for `client_ip`) leaks it.\n\nFix: drop the header; keep the field in the encrypted value.";
    "qrs-unpaired", Topology, Warn, "a `qrs` request topic has its reply topic",
    "Seed 000: 'Request and reply topics paired per context.' A `<x>-requests` topic of class `qrs` needs `<x>-replies` (or `-responses`) in the same context and major version.\n\nFix: add the reply topic's contract.";
    "unconsumed-topic", Topology, Warn, "a published topic has a subscriber",
    "Seed 003 lists orphaned topics, 'produced but not consumed'. Either a consumer's node contract is missing, or the topic is dead weight.\n\nFix: add the consumer's `event_channels.subscribes`, or retire the topic.";
    "unproduced-topic", Topology, Warn, "a subscribed topic has a publisher",
    "A node waits on a topic no node contract publishes: a missing producer (seed 003's 'missing implementations') or a stale subscription.\n\nFix: add the producer's `event_channels.publishes`, or drop the subscription.";
    "retry-implies-rty-dlt", Failure, Deny, "declared retry tiers come with retry and dead-letter topics of the right classes",
    "Seed 000: retry tiers (`rty-1m`, `rty-15m`, `rty-2h`) go through a `rty` topic, and after N attempts to a `dlt` topic; seeds 002 and 004 name dead letters `<topic>.dlq`. A topic with `retry.tiers` must name `retry.topic` (class `rty`) and `dlt.topic` (class `dlt`, or a `.dlq` name). Their retention is checked by `retention-class-bounds`.\n\nFix: add the `rty` and `dlt` topic contracts and reference them.";
    "deprecated-published", Lifecycle, Warn, "no node still publishes a deprecated topic",
    "Seed 000's deprecation checklist: 'zero lag, no producers'. A deprecated topic that a node contract still publishes cannot drain.\n\nFix: move the producer to `replaced_by`.";
    "deprecated-replacement", Lifecycle, Warn, "a deprecated topic names its replacement",
    "Consumers must know where to migrate (seed 000: 'consumers must dual read until cutover').\n\nFix: add `deprecated.replaced_by`.";
    "schema-major-matches-topic", Lifecycle, Deny, "the payload schema's major version is the topic's major version",
    "Seed 000: 'Breaking changes create new topic version vN+1'; backward-compatible changes bump the schema's minor. So topic `v2` carries schema `2.x.y`.\n\nFix: create the `v<N+1>` directory for a breaking change, or correct `schema.version`.";
    "samples-present", Samples, Warn, "the topic has at least one sample payload",
    "Seed 000 lists 'sample payloads' in every contract; samples are validated, round-tripped by the generated types, and shown in the docs.\n\nFix: add `samples/<name>.json`.";
    "sample-valid", Samples, Deny, "every sample payload is valid against the topic's schema",
    "A sample that does not match the schema documents a payload that cannot be produced.\n\nFix: correct the sample or the schema.";
    "topic-unused", Topology, Warn, "some node contract publishes or subscribes to the topic",
    "A topic that no node contract publishes or subscribes to is either planned, retired, or used by code onex cannot see: its ACLs, lag alerts and docs have no owner to check against.\n\nFix: add the producing and consuming nodes' contracts (`event_channels`), list where node contracts live in `onex.yaml`, or retire the topic. A catalog that keeps topics ahead of their nodes can allow the rule in `onex.yaml` with a comment.";
    "payload-shadows-envelope", Keys, Warn, "no top-level payload field repeats an envelope field",
    "The envelope (seeds 001, 002, 004) already carries `event_id`, `event_type`, `correlation_id`, `causation_id`, the timestamps, `tenant_id`, `schema_version`, `partition_key`, `ttl`, `source`, `version` and `metadata`. A payload field of the same name is a second copy that drifts from the first, and readers cannot tell which one is meant.\n\nFix: drop the field from the payload and read it from the envelope, or rename it to what it really is (`order_created_at`).";
    "topic-duplicate", Lifecycle, Warn, "no two topics carry the same payload fields under the same key",
    "Two topic versions with the same key and the same payload fields (names and types) are one stream declared twice, or two topics for one purpose: producers split between them and consumers see half the events.\n\nFix: keep one topic and move the other's name to its `aliases:`, or make the difference explicit in the payloads.";
    "sla-consistent", Ownership, Warn, "a topic's latency targets do not contradict each other",
    "A p95 publish latency target longer than the acceptable consumer lag (`sla.max_lag`) cannot be met: events are already late when published. An acceptable lag longer than the retention means consumers may lose events they are still allowed to be behind on.\n\nFix: align `sla.publish_latency_p95`, `sla.max_lag` and `retention`.";
    "header-allowed", Headers, Warn, "required headers come from the known set",
    "Seed 000 fixes the header vocabulary: `x-schema-version`, `x-correlation-id`, `x-trace-id`, `x-actor`, `x-tenant`, `x-scope`, `x-origin`, `x-encryption-scheme`, `x-pii-level`, the signature, failure and request/reply headers. Extend it with `headers:` in `onex.yaml`.\n\nFix: use a known header, or add it to the catalog's list.";
}

/// Seed 000's header names. The runtime's `onex::headers::ALL` holds the
/// same list (a test in `tests/` keeps them equal).
pub const KNOWN_HEADERS: &[&str] = &[
    "x-schema-version",
    "x-correlation-id",
    "x-trace-id",
    "x-actor",
    "x-tenant",
    "x-scope",
    "x-origin",
    "x-encryption-scheme",
    "x-pii-level",
    "x-sig-alg",
    "x-sig",
    "x-payload-sha256",
    "x-failure-class",
    "x-failure-reason",
    "x-attempt",
    "x-first-seen-ts",
    "x-last-seen-ts",
    "x-next-at",
    "x-region",
    "reply-to",
    "timeout-ms",
    "actor",
    "scope",
    // onex's own, set by the runtime's Kafka adapter (envelope, retries, DLT).
    "x-causation-id",
    "x-event-type",
    "x-envelope",
    "x-original-topic",
    "x-original-partition",
    "x-original-offset",
    "x-dlq-metadata",
];

/// Rules a single topic contract may not relax: privacy, tenant spelling,
/// sample validity and version discipline are catalog-wide decisions.
pub const CATALOG_ONLY: &[&str] = &[
    "pii-high-encrypted",
    "pii-high-not-key",
    "pii-not-in-headers",
    "tenant-near-miss",
    "sample-valid",
    "schema-major-matches-topic",
];

impl Rule {
    /// May a topic contract set this rule's level (`lints:` in topic.yaml)?
    pub fn per_contract(&self) -> bool {
        !CATALOG_ONLY.contains(&self.id)
    }
}

/// The rule (lint or breaking) with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.id == id)
}

/// Every rule: lints, then breaking-change rules.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    LINT_RULES.iter().chain(BREAKING_RULES)
}

/// Every breaking-change rule (`breaking --against`); deny unless a topic
/// contract waives it with a reason.
pub const BREAKING_RULES: &[Rule] = &[
    Rule {
        id: "breaking-topic-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a topic version was removed",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-key-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the partition key changed",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-partitions-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the partition count went down",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-cleanup-policy-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the cleanup policy changed",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-name-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the wire name changed without keeping the old name as an alias",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-payload-format-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the payload changed its schema format (JSON Schema, Protobuf, Avro)",
        explain: "Checked by `breaking --against REF`: records written in one format cannot be read with a schema of another.\n\nFix: create the `v<N+1>` directory for the new format.",
    },
    Rule {
        id: "breaking-schema-version",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`schema.version` does not match the change (minor for additive, patch for the rest)",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    // Schema compatibility (`governance::compat`); ids are the pair
    // suite's (`tests/evolution/rules.yaml`) with a `breaking-` prefix.
    Rule {
        id: "breaking-json-type-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the accepted JSON types changed so that neither side's types contain the other's",
        explain: "An old record of a type the new schema dropped is rejected by the new reader, and a new record of a type the old schema lacks is rejected by the old reader.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-type-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the new schema accepts a strict subset of the old JSON types (number to integer, [string, null] to string, a oneOf/anyOf branch's type list shrunk)",
        explain: "An old record of a dropped type (a null, a 1.5) is rejected by the new reader; every new record is still an old type.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-type-widened",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the new schema accepts a strict superset of the old JSON types (integer to number, string to [string, null])",
        explain: "A new record of the added type (a 1.5, a null) is rejected by an old reader; old records stay valid.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-sum-branch-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "anyOf/oneOf gained a subschema that no old subschema covers",
        explain: "A new record matching only the added branch is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-sum-branch-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "anyOf/oneOf lost a subschema that no new subschema covers",
        explain: "An old record that matched only the removed branch is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-product-subschema-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "allOf gained a subschema (one more constraint every record must meet)",
        explain: "An old record that does not meet the added conjunct is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-product-subschema-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "allOf lost a subschema (one constraint fewer)",
        explain: "A new record that violates the dropped conjunct is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-combined-criterion-relaxed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the combining keyword became more permissive over the same subschemas (allOf or oneOf to anyOf)",
        explain: "A new record matching several branches (anyOf) or only some conjuncts is rejected by the old allOf/oneOf reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-combined-criterion-tightened",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the combining keyword became stricter over the same subschemas (anyOf to oneOf or allOf)",
        explain: "An old record that matched one anyOf branch (or several) fails the new oneOf/allOf.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-combined-criterion-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "oneOf and allOf swapped over the same (several) subschemas",
        explain: "AllOf accepts records in every branch, oneOf records in exactly one: neither contains the other, so old records fail the new reader and new records fail the old.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-not-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a `not` constraint was added",
        explain: "An old record that matches the negated subschema is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-not-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a `not` constraint was removed",
        explain: "A new record that matches the formerly negated subschema is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-not-excludes-more",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the subschema under `not` was widened, so the schema excludes more records",
        explain: "An old record in the newly excluded set is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-not-excludes-less",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the subschema under `not` was narrowed, so the schema excludes fewer records",
        explain: "A new record in the no-longer-excluded set is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-property-added-open-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property with a constraining schema was added where the old object was open (additionalProperties absent or true, no patternProperties)",
        explain: "The old schema let that name carry any value, so an old record may hold a value the new property schema rejects.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/",
    },
    Rule {
        id: "breaking-json-property-removed-open-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property was removed and the new object is open",
        explain: "A new record may carry any value under the removed name, which the old reader (still constraining it) rejects.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/",
    },
    Rule {
        id: "breaking-json-property-added-closed-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property was added where the old object was closed (additionalProperties false)",
        explain: "A new record carrying the property is rejected by the old reader, which allows no undeclared names.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/",
    },
    Rule {
        id: "breaking-json-property-removed-closed-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property was removed and the new object is closed (additionalProperties false)",
        explain: "An old record carrying the property is rejected by the new reader, which now forbids that name.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/",
    },
    Rule {
        id: "breaking-json-required-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property is required by the new schema and was not by the old one (newly declared or existing)",
        explain: "An old record without that property is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-required-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property required by the old schema is no longer required (or no longer declared)",
        explain: "A new record without that property is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-additional-properties-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "undeclared properties are constrained more (true or absent to a schema or false; a schema to false)",
        explain: "An old record with an undeclared property the new rule forbids is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/",
    },
    Rule {
        id: "breaking-json-additional-properties-widened",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "undeclared properties are constrained less (false to a schema or true; a schema to true or absent)",
        explain: "A new record with an undeclared property the old rule forbids is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/",
    },
    Rule {
        id: "breaking-json-enum-value-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "an enum lost a value",
        explain: "An old record holding the removed value is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-enum-value-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "an enum gained a value",
        explain: "A new record holding the added value is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-enum-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "an `enum` restriction was added",
        explain: "An old record holding a value outside the new list is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-enum-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "an `enum` restriction was removed",
        explain: "A new record holding a value outside the old list is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-const-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a `const` restriction was added",
        explain: "An old record holding another value is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-const",
    },
    Rule {
        id: "breaking-json-const-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a `const` restriction was removed",
        explain: "A new record holding another value is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-const",
    },
    Rule {
        id: "breaking-json-const-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the `const` value changed",
        explain: "Old records hold the old constant, which the new reader rejects, and the other way round.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-max-length-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxLength` was added",
        explain: "An old string outside the new `maxLength` bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxlength",
    },
    Rule {
        id: "breaking-json-max-length-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxLength` was removed",
        explain: "A new string outside the old `maxLength` bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxlength",
    },
    Rule {
        id: "breaking-json-max-length-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxLength` was tightened (decreased)",
        explain: "An old string between the old and the new `maxLength` is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxlength",
    },
    Rule {
        id: "breaking-json-max-length-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxLength` was relaxed (increased)",
        explain: "A new string between the old and the new `maxLength` is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxlength",
    },
    Rule {
        id: "breaking-json-min-length-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minLength` was added",
        explain: "An old string outside the new `minLength` bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minlength",
    },
    Rule {
        id: "breaking-json-min-length-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minLength` was removed",
        explain: "A new string outside the old `minLength` bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minlength",
    },
    Rule {
        id: "breaking-json-min-length-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minLength` was tightened (increased)",
        explain: "An old string between the old and the new `minLength` is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minlength",
    },
    Rule {
        id: "breaking-json-min-length-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minLength` was relaxed (decreased)",
        explain: "A new string between the old and the new `minLength` is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minlength",
    },
    Rule {
        id: "breaking-json-pattern-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`pattern` was added",
        explain: "An old string not matching the pattern is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-pattern",
    },
    Rule {
        id: "breaking-json-pattern-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`pattern` was removed",
        explain: "A new string not matching the old pattern is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-pattern",
    },
    Rule {
        id: "breaking-json-pattern-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`pattern` changed to another regular expression",
        explain: "Regular-expression containment is not decided: the registry treats any change as breaking both ways (an old string may miss the new pattern, a new string the old).\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-format-changed",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "`format` was added, removed or changed",
        explain: "`format` is an annotation unless a validator opts into format assertion (2020-12 §7.2; draft-07 §7.2 leaves it optional): registries do not judge it, but readers that assert formats may reject records.\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-format",
    },
    Rule {
        id: "breaking-json-maximum-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maximum` was added",
        explain: "An old number beyond the new `maximum` is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maximum",
    },
    Rule {
        id: "breaking-json-maximum-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maximum` was removed",
        explain: "A new number beyond the old `maximum` is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maximum",
    },
    Rule {
        id: "breaking-json-maximum-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maximum` was tightened (decreased)",
        explain: "An old number between the old and the new bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maximum",
    },
    Rule {
        id: "breaking-json-maximum-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maximum` was relaxed (increased)",
        explain: "A new number between the old and the new bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maximum",
    },
    Rule {
        id: "breaking-json-exclusive-maximum-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`exclusiveMaximum` was added",
        explain: "An old number beyond the new `exclusiveMaximum` is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-exclusivemaximum",
    },
    Rule {
        id: "breaking-json-exclusive-maximum-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`exclusiveMaximum` was removed",
        explain: "A new number beyond the old `exclusiveMaximum` is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-exclusivemaximum",
    },
    Rule {
        id: "breaking-json-exclusive-maximum-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`exclusiveMaximum` was tightened (decreased)",
        explain: "An old number between the old and the new bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-exclusivemaximum",
    },
    Rule {
        id: "breaking-json-exclusive-maximum-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`exclusiveMaximum` was relaxed (increased)",
        explain: "A new number between the old and the new bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-exclusivemaximum",
    },
    Rule {
        id: "breaking-json-minimum-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minimum` was added",
        explain: "An old number beyond the new `minimum` is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minimum",
    },
    Rule {
        id: "breaking-json-minimum-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minimum` was removed",
        explain: "A new number beyond the old `minimum` is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minimum",
    },
    Rule {
        id: "breaking-json-minimum-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minimum` was tightened (increased)",
        explain: "An old number between the old and the new bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minimum",
    },
    Rule {
        id: "breaking-json-minimum-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minimum` was relaxed (decreased)",
        explain: "A new number between the old and the new bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minimum",
    },
    Rule {
        id: "breaking-json-exclusive-minimum-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`exclusiveMinimum` was added",
        explain: "An old number beyond the new `exclusiveMinimum` is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-exclusiveminimum",
    },
    Rule {
        id: "breaking-json-exclusive-minimum-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`exclusiveMinimum` was removed",
        explain: "A new number beyond the old `exclusiveMinimum` is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-exclusiveminimum",
    },
    Rule {
        id: "breaking-json-exclusive-minimum-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`exclusiveMinimum` was tightened (increased)",
        explain: "An old number between the old and the new bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-exclusiveminimum",
    },
    Rule {
        id: "breaking-json-exclusive-minimum-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`exclusiveMinimum` was relaxed (decreased)",
        explain: "A new number between the old and the new bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-exclusiveminimum",
    },
    Rule {
        id: "breaking-json-multiple-of-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`multipleOf` was added",
        explain: "An old number that is not a multiple is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-multipleof",
    },
    Rule {
        id: "breaking-json-multiple-of-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`multipleOf` was removed",
        explain: "A new number that is not a multiple of the old divisor is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-multipleof",
    },
    Rule {
        id: "breaking-json-multiple-of-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the new `multipleOf` is a multiple of the old one (2 to 4)",
        explain: "An old record such as 2 (a multiple of 2, not of 4) is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-multiple-of-widened",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the old `multipleOf` is a multiple of the new one (4 to 2)",
        explain: "A new record such as 2 is rejected by the old reader, which wants multiples of 4.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-multiple-of-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`multipleOf` changed to a value that neither divides nor is divided by the old one",
        explain: "An old multiple of the old divisor may not be one of the new (and the other way round).\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-max-items-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxItems` was added",
        explain: "An old array outside the new `maxItems` bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxitems",
    },
    Rule {
        id: "breaking-json-max-items-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxItems` was removed",
        explain: "A new array outside the old `maxItems` bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxitems",
    },
    Rule {
        id: "breaking-json-max-items-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxItems` was tightened (decreased)",
        explain: "An old array whose length lies between the bounds is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxitems",
    },
    Rule {
        id: "breaking-json-max-items-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxItems` was relaxed (increased)",
        explain: "A new array whose length lies between the bounds is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxitems",
    },
    Rule {
        id: "breaking-json-min-items-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minItems` was added",
        explain: "An old array outside the new `minItems` bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minitems",
    },
    Rule {
        id: "breaking-json-min-items-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minItems` was removed",
        explain: "A new array outside the old `minItems` bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minitems",
    },
    Rule {
        id: "breaking-json-min-items-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minItems` was tightened (increased)",
        explain: "An old array whose length lies between the bounds is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minitems",
    },
    Rule {
        id: "breaking-json-min-items-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minItems` was relaxed (decreased)",
        explain: "A new array whose length lies between the bounds is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minitems",
    },
    Rule {
        id: "breaking-json-unique-items-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`uniqueItems: true` was added",
        explain: "An old array with duplicates is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-uniqueitems",
    },
    Rule {
        id: "breaking-json-unique-items-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`uniqueItems: true` was removed",
        explain: "A new array with duplicates is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-uniqueitems",
    },
    Rule {
        id: "breaking-json-items-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "an `items` schema was added to an array that had none",
        explain: "An old array holding an item the new `items` schema rejects is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-items",
    },
    Rule {
        id: "breaking-json-items-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the `items` schema was removed",
        explain: "A new array holding an item the old `items` schema rejects is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-items",
    },
    Rule {
        id: "breaking-json-tuple-item-added-open-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a positional item (draft-07 `items` array / 2020-12 `prefixItems`) was added where further items were unconstrained",
        explain: "An old array may hold any value at that position, which the new positional schema may reject.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-tuple-item-removed-open-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a positional item was removed and further items are unconstrained",
        explain: "A new array may hold any value at that position, which the old positional schema may reject.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-tuple-item-added-closed-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a positional item was added where further items were forbidden (`additionalItems: false` / `items: false`)",
        explain: "A new array one item longer is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-tuple-item-removed-closed-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a positional item was removed and further items are forbidden",
        explain: "An old array that has that item is now too long for the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-additional-items-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "items after the positional ones are constrained more (`additionalItems` / 2020-12 `items` next to `prefixItems`)",
        explain: "An old array with a trailing item the new rule rejects is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-additional-items-widened",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "items after the positional ones are constrained less",
        explain: "A new array with a trailing item the old rule rejects is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-max-properties-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxProperties` was added",
        explain: "An old object outside the new `maxProperties` bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxproperties",
    },
    Rule {
        id: "breaking-json-max-properties-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxProperties` was removed",
        explain: "A new object outside the old `maxProperties` bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxproperties",
    },
    Rule {
        id: "breaking-json-max-properties-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxProperties` was tightened (decreased)",
        explain: "An old object whose property count lies between the bounds is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxproperties",
    },
    Rule {
        id: "breaking-json-max-properties-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxProperties` was relaxed (increased)",
        explain: "A new object whose property count lies between the bounds is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxproperties",
    },
    Rule {
        id: "breaking-json-min-properties-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minProperties` was added",
        explain: "An old object outside the new `minProperties` bound is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minproperties",
    },
    Rule {
        id: "breaking-json-min-properties-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minProperties` was removed",
        explain: "A new object outside the old `minProperties` bound is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minproperties",
    },
    Rule {
        id: "breaking-json-min-properties-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minProperties` was tightened (increased)",
        explain: "An old object whose property count lies between the bounds is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minproperties",
    },
    Rule {
        id: "breaking-json-min-properties-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minProperties` was relaxed (decreased)",
        explain: "A new object whose property count lies between the bounds is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-minproperties",
    },
    Rule {
        id: "breaking-json-dependent-required-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property dependency was added (draft-07 `dependencies` with an array, 2020-12 `dependentRequired`)",
        explain: "An old record with the trigger property but without the dependants is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-dependentrequired",
    },
    Rule {
        id: "breaking-json-dependent-required-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property dependency was removed",
        explain: "A new record with the trigger property but without the old dependants is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-dependentrequired",
    },
    Rule {
        id: "breaking-json-dependent-required-extended",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property dependency now requires more properties",
        explain: "An old record with the trigger and only the old dependants is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-dependent-required-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a property dependency now requires fewer properties",
        explain: "A new record with the trigger and only the remaining dependants is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html#json-schema-compatibility-rules",
    },
    Rule {
        id: "breaking-json-dependent-schema-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a schema dependency was added (draft-07 `dependencies` with a schema, 2020-12 `dependentSchemas`)",
        explain: "An old record with the trigger property that does not meet the dependent schema is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-dependentschemas",
    },
    Rule {
        id: "breaking-json-dependent-schema-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a schema dependency was removed",
        explain: "A new record with the trigger property that does not meet the old dependent schema is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-dependentschemas",
    },
    Rule {
        id: "breaking-json-conditional-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "an `if`/`then`/`else` conditional was added (or one the old schema's other keywords did not already imply)",
        explain: "An old record that meets `if` but not `then` (or fails `if` and not `else`) is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-if",
    },
    Rule {
        id: "breaking-json-conditional-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "an `if`/`then`/`else` conditional was removed",
        explain: "A new record that the old `then`/`else` branch rejects is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-if",
    },
    Rule {
        id: "breaking-json-conditional-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the `if` schema of a conditional changed, and the branches of one side are not implied by the other's",
        explain: "Records are sorted into `then` and `else` differently on each side, so a record valid for the writer may fail the reader's branch; the direction that fails depends on the branches.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-if",
    },
    Rule {
        id: "breaking-json-contains-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`contains` was added (or `minContains` went from 0 to at least 1)",
        explain: "An old array with no item matching the `contains` schema (an empty one, for instance) is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-contains",
    },
    Rule {
        id: "breaking-json-contains-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`contains` was removed",
        explain: "A new array with no matching item is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-contains",
    },
    Rule {
        id: "breaking-json-contains-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the `contains` schema accepts less: an item matching the old one need not match the new one",
        explain: "An old array whose only matching items fail the new `contains` schema is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-contains",
    },
    Rule {
        id: "breaking-json-contains-widened",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the `contains` schema accepts more",
        explain: "A new array whose only matching items fail the old `contains` schema is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-contains",
    },
    Rule {
        id: "breaking-json-min-contains-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minContains` went up (absent counts as 1)",
        explain: "An old array with fewer matching items than the new minimum is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-mincontains",
    },
    Rule {
        id: "breaking-json-min-contains-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`minContains` went down (absent counts as 1)",
        explain: "A new array with fewer matching items than the old minimum is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-mincontains",
    },
    Rule {
        id: "breaking-json-max-contains-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxContains` was added",
        explain: "An old array with more matching items than the new maximum is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxcontains",
    },
    Rule {
        id: "breaking-json-max-contains-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxContains` was removed",
        explain: "A new array with more matching items than the old maximum is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxcontains",
    },
    Rule {
        id: "breaking-json-max-contains-decreased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxContains` went down",
        explain: "An old array with more matching items than the new maximum is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxcontains",
    },
    Rule {
        id: "breaking-json-max-contains-increased",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`maxContains` went up",
        explain: "A new array with more matching items than the old maximum is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-validation#name-maxcontains",
    },
    Rule {
        id: "breaking-json-property-names-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`propertyNames` was added to an object whose writer may use other names",
        explain: "An old record with a property name the new `propertyNames` schema rejects is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-propertynames",
    },
    Rule {
        id: "breaking-json-property-names-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`propertyNames` was removed",
        explain: "A new record with a property name the old `propertyNames` schema rejects is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-propertynames",
    },
    Rule {
        id: "breaking-json-property-names-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the `propertyNames` schema accepts fewer names",
        explain: "An old record with a name only the old schema allowed is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-propertynames",
    },
    Rule {
        id: "breaking-json-property-names-widened",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the `propertyNames` schema accepts more names",
        explain: "A new record with a name only the new schema allows is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-propertynames",
    },
    Rule {
        id: "breaking-json-unevaluated-properties-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`unevaluatedProperties` was added, set to false, or given a schema stricter than before",
        explain: "An old record with a property no `properties`/`patternProperties` (after `allOf`) declares, or one the new schema rejects, is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-unevaluatedproperties",
    },
    Rule {
        id: "breaking-json-unevaluated-properties-widened",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`unevaluatedProperties` was removed, or relaxed from false to a schema or true",
        explain: "A new record with an undeclared property is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-unevaluatedproperties",
    },
    Rule {
        id: "breaking-json-unevaluated-items-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`unevaluatedItems` was added, set to false, or given a stricter schema",
        explain: "An old array with items beyond the positional ones that the new schema rejects is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-unevaluateditems",
    },
    Rule {
        id: "breaking-json-unevaluated-items-widened",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`unevaluatedItems` was removed, or relaxed",
        explain: "A new array with items beyond the positional ones is rejected by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-unevaluateditems",
    },
    Rule {
        id: "breaking-json-pattern-property-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a `patternProperties` pattern was added to an object whose old content model left those names open",
        explain: "An old record with a property of that name holding a value the new pattern schema rejects is rejected by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-patternproperties",
    },
    Rule {
        id: "breaking-json-pattern-property-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a `patternProperties` pattern was removed and the new content model leaves those names open",
        explain: "A new record with a property of that name holding any value is rejected by the old reader's pattern schema.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-patternproperties",
    },
    Rule {
        id: "breaking-json-pattern-property-removed-closed-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a `patternProperties` pattern was removed (or narrowed) from a closed object, and no new pattern covers the old names",
        explain: "An old record with a property named like the old pattern is rejected by the new closed reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-patternproperties",
    },
    Rule {
        id: "breaking-json-pattern-property-added-closed-model",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a `patternProperties` pattern was added (or widened) where the old object was closed",
        explain: "A new record with a property named like the new pattern is rejected by the old closed reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://json-schema.org/draft/2020-12/json-schema-core#name-patternproperties",
    },
    Rule {
        id: "breaking-proto-field-type-incompatible",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a field kept its number but its type moved to another wire-compatibility group (e.g. int32 to sint32, string to int64, scalar to message, map to message)",
        explain: "The old bytes under that number decode as garbage or fail under the new type, and new bytes fail the old reader.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://protobuf.dev/programming-guides/proto3/#updating",
    },
    Rule {
        id: "breaking-proto-field-message-type-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a message-typed field now refers to a message with another full name (another message, a well-known type swapped for another, a nested type moved)",
        explain: "Registries and buf compare message types by name: records of the old message type are not assumed to be records of the new one.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-field-number-reused",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a field number that identified one field in the old schema identifies a differently named field of an incompatible type in the new one",
        explain: "Old records carry the old field's bytes under that number; the new reader decodes them as the new field (and the other way round).\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://protobuf.dev/programming-guides/proto3/#updating",
    },
    Rule {
        id: "breaking-proto-field-renamed",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a field kept its number and type but changed its name",
        explain: "Binary records carry numbers, not names, so binary readers are unaffected; the JSON mapping uses the name, so JSON records of one side carry a key the other side does not know.\n\nBreaks: no binary mode; with JSON-encoded records: BACKWARD, FORWARD (FULL when either).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-field-json-name-changed",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a field's `json_name` changed",
        explain: "Binary records are unaffected; JSON records use the json_name as key, so each side's JSON carries a key the other does not know.\n\nBreaks: no binary mode; with JSON-encoded records: BACKWARD, FORWARD (FULL when either).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-enum-value-renamed",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "an enum value kept its number but changed its name",
        explain: "Binary records carry the number; the JSON mapping writes the value name, which the other side does not know.\n\nBreaks: no binary mode; with JSON-encoded records: BACKWARD, FORWARD (FULL when either).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-field-type-json-incompatible",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a field changed between wire-compatible types whose JSON mapping differs (int32/uint32 vs int64/uint64 vs bool, enum vs integer, string vs bytes)",
        explain: "Binary records decode; JSON records do not (64-bit integers are JSON strings, enums are names, bytes are base64).\n\nBreaks: no binary mode; with JSON-encoded records: BACKWARD, FORWARD (FULL when either).\n\nSee https://protobuf.dev/programming-guides/json/",
    },
    Rule {
        id: "breaking-proto-enum-integer-interchanged",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a field changed between an enum and an integer type of the int32/int64/uint32/uint64 group",
        explain: "Wire compatible (the language guide lists enum with int32/uint32/int64/uint64), but an integer outside the enum's values is kept as an unknown enum value; buf's WIRE category flags it because it cannot check values.\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://protobuf.dev/programming-guides/proto3/#updating",
    },
    Rule {
        id: "breaking-proto-bytes-to-string",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a bytes field became a string field",
        explain: "Compatible only while every old value is valid UTF-8, which no schema can guarantee; buf flags bytes to string (not string to bytes).\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-cardinality-changed-numeric",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a numeric, bool or enum field changed between singular and repeated",
        explain: "Repeated numeric fields are packed by default; a singular reader does not parse the packed record, and a repeated reader of singular data changes meaning.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://protobuf.dev/programming-guides/proto3/#updating",
    },
    Rule {
        id: "breaking-proto-cardinality-changed-length-delimited",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a string, bytes or message field changed between singular and repeated",
        explain: "The language guide makes these wire compatible (a singular reader keeps the last value or merges messages); buf's WIRE category still flags it, and the JSON mapping (value vs array) breaks.\n\nBreaks: no binary mode; with JSON-encoded records: BACKWARD, FORWARD (FULL when either).\n\nSee https://protobuf.dev/programming-guides/proto3/#updating",
    },
    Rule {
        id: "breaking-proto-required-field-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a proto2 `required` field was added",
        explain: "An old record lacks it, so the new reader fails; registries and buf treat required-ness as fixed in both directions.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-protobuf.html",
    },
    Rule {
        id: "breaking-proto-required-field-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a proto2 `required` field was removed",
        explain: "A new record may lack it, so the old reader fails; registries and buf treat required-ness as fixed in both directions.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-protobuf.html",
    },
    Rule {
        id: "breaking-proto-field-required-to-optional",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a proto2 `required` field became `optional`",
        explain: "Old readers reject a new record that omits it (a missing required field fails the parse); new readers take every old record.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://protobuf.dev/programming-guides/proto2/#updating",
    },
    Rule {
        id: "breaking-proto-field-optional-to-required",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a proto2 `optional` field became `required`",
        explain: "New readers reject an old record that omitted it; old readers take every new record.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://protobuf.dev/programming-guides/proto2/#updating",
    },
    Rule {
        id: "breaking-proto-fields-joined-oneof",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "fields that were independent (top-level fields, or members of different oneofs) are now members of one oneof",
        explain: "An old record that set several of them is read by the new reader with only one kept (the last on the wire), silently dropping data.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-protobuf.html",
    },
    Rule {
        id: "breaking-proto-fields-left-oneof",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "members of one oneof are now independent fields (or members of different oneofs)",
        explain: "A new record may set several of them; the old reader keeps only one.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-protobuf.html",
    },
    Rule {
        id: "breaking-proto-oneof-member-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a member of a oneof that still exists was removed",
        explain: "An old record that set the removed member reads as if the oneof were unset.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-protobuf.html",
    },
    Rule {
        id: "breaking-proto-oneof-member-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a member was added to an existing oneof",
        explain: "A new record that sets the added member reads, to the old reader, as if the oneof were unset.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-protobuf.html",
    },
    Rule {
        id: "breaking-proto-field-removed-number-not-reserved",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a field was deleted without reserving its number (and name)",
        explain: "Not breaking by itself (unknown fields are skipped), but nothing stops a later version from reusing the number with another type; buf's WIRE and WIRE_JSON categories reject it.\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-enum-value-removed-number-not-reserved",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "an enum value was deleted without reserving its number",
        explain: "Old records keep the number as an unknown value; a later version may reuse it with another meaning; buf's WIRE and WIRE_JSON categories reject it.\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-reserved-removed",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a reserved number or name was un-reserved",
        explain: "The reservation guarded against reuse of a deleted field's number; buf's WIRE and WIRE_JSON categories reject deleting it.\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-field-number-changed",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a field kept its name and type but moved to another number",
        explain: "To the binary format this is a removal plus an addition: old records' values are not seen by the new reader (silently empty), new ones not by the old; the registry accepts both halves, buf rejects the deletion of the unreserved number.\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://protobuf.dev/programming-guides/proto3/#updating",
    },
    Rule {
        id: "breaking-proto-field-oneof-membership-changed",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a field moved into, out of, or between oneofs",
        explain: "Buf's FIELD_SAME_ONEOF (in WIRE and WIRE_JSON) rejects any such move; whether readers lose data is judged by proto-fields-joined-oneof / proto-fields-left-oneof.\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-field-default-changed",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "a proto2 field's `default` changed",
        explain: "Records that omit the field read as the old default on one side and the new default on the other; buf's FIELD_SAME_DEFAULT (WIRE, WIRE_JSON) rejects it, the registry does not look.\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-proto-package-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the file's package changed",
        explain: "Every message's full name changes; registries and buf treat the types as different.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://buf.build/docs/breaking/rules/",
    },
    Rule {
        id: "breaking-avro-field-added-without-default",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the new record has a field the old one lacks, and it has no default",
        explain: "An old record has no value for it and the new reader has no default to fill in.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-field-removed-without-default",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the old record has a field, without default, that the new record lacks",
        explain: "A new record has no value for it and the old reader has no default to fill in.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-type-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a value's type changed to one that is not promotable in either direction (int to string, record to map, ...)",
        explain: "Neither reader can resolve the other side's writer type.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-type-promoted",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a value's type was widened along a promotion (int to long/float/double, long to float/double, float to double)",
        explain: "The new reader promotes old values, but an old reader cannot narrow a new long/float/double value.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-type-demoted",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a value's type was narrowed against a promotion (long to int, double to float, ...)",
        explain: "The new reader cannot narrow an old long/double value; the old reader can promote new values.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-union-branch-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a union lost a branch (including union to a single type) that no remaining branch can read",
        explain: "An old record written with the removed branch cannot be resolved by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-union-branch-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a union gained a branch (including a single type to a union) that no old branch can read",
        explain: "A new record written with the added branch cannot be resolved by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-enum-symbol-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "an enum lost a symbol and the new enum has no `default`",
        explain: "An old record holding the removed symbol cannot be resolved by the new reader.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-enum-symbol-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "an enum gained a symbol and the old enum has no `default`",
        explain: "A new record holding the added symbol cannot be resolved by the old reader.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-name-changed-no-alias",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a record, enum or fixed changed its name and the new schema lists no alias for the old name",
        explain: "The new reader matches named types by (unqualified) name or its aliases; the old writer's name is neither.\n\nBreaks: BACKWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#aliases",
    },
    Rule {
        id: "breaking-avro-name-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a record, enum or fixed changed its name",
        explain: "Aliases only help the reader: the old reader does not know the new writer's name.\n\nBreaks: FORWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#aliases",
    },
    Rule {
        id: "breaking-avro-fixed-size-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a fixed type changed its size",
        explain: "Fixed values are read as exactly `size` bytes; the other size misreads the record.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#schema-resolution",
    },
    Rule {
        id: "breaking-avro-decimal-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a decimal logical type changed its scale or precision",
        explain: "The spec: two decimal schemas match only if scale and precision match; an unscaled 1234 means 12.34 at scale 2 and 1.234 at scale 3.\n\nBreaks: BACKWARD, FORWARD (FULL when either).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#logical-types",
    },
    Rule {
        id: "breaking-avro-logical-type-changed",
        category: Category::Evolution,
        default: LintLevel::Warn,
        summary: "the logical type on the same underlying type changed (timestamp-millis to timestamp-micros, ...)",
        explain: "Readers fall back to the underlying type, so records resolve, but the same number now means another instant or quantity.\n\nBreaks: no mode (a hazard, reported as a warning).\n\nSee https://avro.apache.org/docs/1.12.0/specification/#logical-types",
    },
];

/// The page of a rule, as `cargo xtask lint --explain` prints it.
pub fn explain(rule: &Rule) -> String {
    format!(
        "# `{}`\n\n{}\n\n- Category: {:?}\n- Default level: {:?}\n- Level per topic contract: {}\n\n{}\n",
        rule.id,
        rule.summary,
        rule.category,
        rule.default,
        if rule.per_contract() {
            "yes, with a reason"
        } else {
            "no (only in `onex.yaml`)"
        },
        rule.explain
    )
}
