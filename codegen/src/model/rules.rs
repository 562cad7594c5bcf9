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
        id: "breaking-format-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the payload's schema format changed (JSON Schema, Protobuf, Avro)",
        explain: "Records already on the topic are encoded in the old format; a consumer built on the new schema cannot decode them, nor an old consumer the new ones.\n\nFix: keep the format within a major version; put the new format in the `v<N+1>` directory.",
    },
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
        id: "breaking-json-field-added",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a JSON Schema property was added that old records cannot satisfy",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-json-field-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a JSON Schema property was removed where the reading model is closed",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-json-required",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a JSON Schema property became required",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-json-type-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a JSON Schema property's type was narrowed or changed",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-json-enum-narrowed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "JSON Schema enum values were removed (or added, for FORWARD)",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-json-model-closed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a JSON Schema content model was closed",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-proto-field-removed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a Protobuf field was removed without reserving its number and name",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-proto-number-reused",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a Protobuf field number now names another field",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-proto-type-changed",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "a Protobuf field's type changed",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-avro-incompatible",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "the Avro schemas cannot read each other's data",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
    Rule {
        id: "breaking-schema-version",
        category: Category::Evolution,
        default: LintLevel::Deny,
        summary: "`schema.version` does not match the change (minor for additive, patch for the rest)",
        explain: "Checked by `breaking --against REF`: within a major topic version every change must be compatible under the topic's compatibility mode.\n\nFix: make the change compatible, or create the `v<N+1>` directory for it.",
    },
];
