//! Governance lints: the seeds' rules for names, retention, partitions,
//! ownership, keys, PII, request/reply pairing, retry and dead letters,
//! lifecycle, samples and headers. Each rule has a stable id, a category, a
//! default level and a page (`cargo xtask lint --explain ID`). Levels come
//! from the rule, then `lints:` in `onex.yaml`, then `lints:` in a topic
//! contract (with a reason; `allow` there is a reported waiver).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::catalog::{Catalog, Direction, Topic, TopicId};
use crate::contract::{CleanupPolicy, LintLevel, PiiLevel, Requirement};
use crate::diagnostic::{Code, Diagnostic, Location, Severity};
use crate::naming::{NamePart, PatternPart};
use crate::payload::{FieldType, Record};
use crate::suggest::did_you_mean;

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
        pub const RULES: &[Rule] = &[ $( Rule { id: $id, category: Category::$cat, default: LintLevel::$lvl, summary: $summary, explain: $explain }, )* ];
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

/// Seed 000's header names (the same list as the runtime's `onex::headers`).
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

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

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

/// The rule pages (`docs/lints/`): an index and one page per rule.
pub fn pages() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut index = String::from(
        "# Lint rules\n\nGenerated by `cargo xtask docs` from the rule table in `codegen/src/lint.rs`; `cargo xtask lint --explain ID` prints a page. Levels: the default below, then `lints:` in `onex.yaml`, then `lints:` (with a reason) in a topic contract.\n\n| Rule | Category | Default | Checks |\n|---|---|---|---|\n",
    );
    for r in RULES {
        index.push_str(&format!(
            "| [`{}`]({}.md) | {:?} | {:?} | {} |\n",
            r.id,
            r.id,
            r.category,
            r.default,
            r.summary.replace('|', "\\|")
        ));
        out.insert(format!("{}.md", r.id), explain(r));
    }
    out.insert("README.md".to_owned(), index);
    out
}

/// A finding silenced by a contract, with its reason.
#[derive(Clone, Debug, Serialize)]
pub struct Waived {
    /// The finding.
    pub finding: Diagnostic,
    /// Why the contract allows it.
    pub reason: String,
}

/// The result of linting a catalog.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LintReport {
    /// Findings at their effective level (warnings and errors).
    pub findings: Vec<Diagnostic>,
    /// Findings a contract waived (`lints: { rule: { level: allow, reason } }`).
    pub waived: Vec<Waived>,
}

struct Linter<'c> {
    catalog: &'c Catalog,
    report: LintReport,
}

impl Linter<'_> {
    fn emit(
        &mut self,
        rule_id: &'static str,
        topic: Option<&Topic>,
        at: Option<Location>,
        message: String,
        help: String,
    ) {
        let Some(rule) = rule(rule_id) else { return };
        let mut level = self
            .catalog
            .settings
            .lints
            .get(rule_id)
            .copied()
            .unwrap_or(rule.default);
        let mut waiver = None;
        if let Some((l, reason)) = topic
            .and_then(|t| t.lint_overrides.get(rule_id))
            .filter(|_| rule.per_contract())
        {
            level = *l;
            waiver = Some(reason.clone());
        }
        let at = at.or_else(|| topic.and_then(|t| t.spans.file.clone()));
        let mut d = Diagnostic::new(Code::Lint, message).help(help);
        d.rule = Some(rule.id);
        if let Some(at) = at {
            d = d.at(at);
        }
        match level {
            LintLevel::Allow => {
                if let Some(reason) = waiver {
                    self.report.waived.push(Waived { finding: d, reason });
                }
            }
            LintLevel::Warn => {
                d.severity = Severity::Warning;
                self.report.findings.push(d);
            }
            LintLevel::Deny => {
                d.severity = Severity::Error;
                self.report.findings.push(d);
            }
        }
    }
}

/// Run every rule over a catalog.
pub fn lint(catalog: &Catalog) -> LintReport {
    let mut l = Linter {
        catalog,
        report: LintReport::default(),
    };
    let contexts: BTreeSet<&str> = catalog
        .topics
        .iter()
        .map(|t| t.id.context.as_str())
        .collect();
    for t in &catalog.topics {
        naming(&mut l, t, &contexts);
        storage(&mut l, t);
        keys(&mut l, t);
        ownership(&mut l, t);
        privacy(&mut l, t);
        failure(&mut l, t);
        lifecycle(&mut l, t);
        samples(&mut l, t);
        headers(&mut l, t);
    }
    topology(&mut l);
    l.report
        .findings
        .sort_by(|a, b| (a.location.as_ref(), a.rule).cmp(&(b.location.as_ref(), b.rule)));
    l.report
}

fn naming(l: &mut Linter<'_>, t: &Topic, contexts: &BTreeSet<&str>) {
    let s = &l.catalog.settings;
    let name = t.name.to_string();
    let name_at = t.spans.name.clone().or_else(|| t.spans.file.clone());
    let segs: Vec<&str> = name.split('.').collect();
    if t.explicit_name {
        let fits = s.conventions.values().any(|p| {
            p.parts.len() == segs.len()
                && p.parts.iter().zip(&segs).all(|(part, seg)| match part {
                    PatternPart::Literal(lit) => lit == seg,
                    PatternPart::Class => *seg == t.id.class,
                    PatternPart::Context => *seg == t.id.context,
                    PatternPart::Topic => *seg == t.id.topic,
                    PatternPart::Version => *seg == format!("v{}", t.id.major),
                    _ => true,
                })
        });
        if !fits {
            l.emit(
                "name-convention",
                Some(t),
                name_at.clone(),
                format!("`{name}` fits none of the naming conventions"),
                format!(
                    "conventions: {}",
                    s.conventions
                        .values()
                        .map(|p| format!("`{}`", p.source))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    for p in &t.name.parts {
        if let NamePart::Literal(seg) = p {
            let version_like = seg.starts_with('v')
                && seg
                    .get(1..)
                    .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit()));
            let kebab = seg
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !kebab && !version_like && !s.tenants.contains(seg) {
                l.emit(
                    "name-kebab-segments",
                    Some(t),
                    name_at.clone(),
                    format!("segment `{seg}` of `{name}` is not lowercase kebab-case"),
                    format!("write `{}`", seg.to_lowercase().replace('_', "-")),
                );
            }
            if s.envs.contains(seg) {
                l.emit(
                    "name-runtime-env",
                    Some(t),
                    name_at.clone(),
                    format!("`{name}` fixes the environment `{seg}`"),
                    "keep `{env}` in the name and bind it with `onex::Namespace`".to_owned(),
                );
            }
        }
    }
    let version = format!("v{}", t.id.major);
    if !segs.contains(&version.as_str()) {
        l.emit(
            "name-version-suffix",
            Some(t),
            name_at.clone(),
            format!("`{name}` does not carry its version `{version}`"),
            "add the version segment; keep the old name as an alias".to_owned(),
        );
    }
    for candidate in segs
        .iter()
        .copied()
        .chain(t.aliases.iter().flat_map(|a| a.split('.')))
    {
        if s.tenants.iter().any(|k| k == candidate) {
            continue;
        }
        if let Some(tenant) = did_you_mean(candidate, s.tenants.iter().map(String::as_str)) {
            if strsim::damerau_levenshtein(candidate, tenant) <= 2 {
                l.emit(
                    "tenant-near-miss",
                    Some(t),
                    name_at.clone(),
                    format!("`{candidate}` in `{name}` looks like the tenant `{tenant}`"),
                    format!("did you mean `{tenant}`?"),
                );
            }
        }
    }
    for other in contexts {
        if *other != t.id.context
            && strsim::damerau_levenshtein(other, &t.id.context) == 1
            && t.id.context.len() > 3
        {
            l.emit(
                "context-near-miss",
                Some(t),
                t.spans.file.clone(),
                format!(
                    "context `{}` is one letter away from context `{other}`",
                    t.id.context
                ),
                format!("did you mean `{other}`?"),
            );
        }
    }
}

fn storage(l: &mut Linter<'_>, t: &Topic) {
    let Some(class) = l.catalog.settings.classes.get(&t.id.class) else {
        return;
    };
    let human = |ms: u64| crate::docs::human_ms(ms);
    if t.retention_ms < class.retention_min_ms || t.retention_ms > class.retention_max_ms {
        l.emit(
            "retention-class-bounds",
            Some(t),
            t.spans.retention.clone(),
            format!(
                "retention {} is outside `{}`'s bounds {}..{}",
                human(t.retention_ms),
                t.id.class,
                human(class.retention_min_ms),
                human(class.retention_max_ms)
            ),
            format!(
                "choose a retention between {} and {}",
                human(class.retention_min_ms),
                human(class.retention_max_ms)
            ),
        );
    }
    let compacted = t.cleanup_policy != CleanupPolicy::Delete;
    match (class.compaction, compacted) {
        (Requirement::None, true) => l.emit(
            "compaction-class",
            Some(t),
            t.spans.at("cleanup_policy"),
            format!("class `{}` is never compacted", t.id.class),
            "set `cleanup_policy: delete`".to_owned(),
        ),
        (Requirement::Required, false) => l.emit(
            "compaction-class",
            Some(t),
            t.spans.at("cleanup_policy"),
            format!("class `{}` requires compaction", t.id.class),
            "set `cleanup_policy: compact` (or `compact,delete`)".to_owned(),
        ),
        _ => {}
    }
    let tiered = t.tiered_storage.unwrap_or(false);
    match (class.tiered_storage, tiered) {
        (Requirement::Required, false) => l.emit(
            "tiered-storage-class",
            Some(t),
            t.spans.at("tiered_storage"),
            format!("class `{}` requires tiered storage", t.id.class),
            "add `tiered_storage: true`".to_owned(),
        ),
        (Requirement::None, true) => l.emit(
            "tiered-storage-class",
            Some(t),
            t.spans.at("tiered_storage"),
            format!("class `{}` does not use tiered storage", t.id.class),
            "remove `tiered_storage: true`".to_owned(),
        ),
        _ => {}
    }
}

const PER_EVENT_KEYS: &[&str] = &[
    "event_id",
    "message_id",
    "eventid",
    "uuid",
    "id",
    "nonce",
    "random",
];

fn keys(l: &mut Linter<'_>, t: &Topic) {
    let s = &l.catalog.settings;
    if !s.partitions.allowed.contains(&t.partitions) {
        let allowed: Vec<String> = s.partitions.allowed.iter().map(u32::to_string).collect();
        l.emit(
            "partitions-allowed",
            Some(t),
            t.spans.partitions.clone(),
            format!("{} partitions is not an allowed count", t.partitions),
            format!(
                "use one of {} (`partitions.allowed` in onex.yaml)",
                allowed.join(", ")
            ),
        );
    }
    let field = t.key.field();
    let last = t.key.path.last().map(String::as_str).unwrap_or_default();
    if PER_EVENT_KEYS.contains(&last) {
        l.emit(
            "key-domain-meaning",
            Some(t),
            t.spans.key.clone(),
            format!("key `{field}` is a per-event id, not domain identity"),
            "key by the aggregate id whose events must stay in order".to_owned(),
        );
    }
    match &t.event_class {
        None => l.emit(
            "event-class-declared",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` declares no `event_class`", t.name),
            format!(
                "add `event_class:` (one of: {})",
                s.keying.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        ),
        Some(ec) => {
            if let Some(keys) = s.keying.get(ec) {
                if !keys.contains(&field) {
                    l.emit(
                        "keying-rule",
                        Some(t),
                        t.spans.key.clone(),
                        format!(
                            "event class `{ec}` is keyed by {}, not `{field}`",
                            keys.iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(" or ")
                        ),
                        "key by the class's field, or pick the right event class".to_owned(),
                    );
                }
            }
        }
    }
}

fn ownership(l: &mut Linter<'_>, t: &Topic) {
    if t.owner.is_none() {
        l.emit(
            "owner-present",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` has no owner", t.name),
            "add `owner: { team: ... }`".to_owned(),
        );
    }
    if t.description.as_deref().is_none_or(|d| d.trim().is_empty()) {
        l.emit(
            "description-present",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` has no description", t.name),
            "add `description:`".to_owned(),
        );
    }
    if t.sla.is_none() {
        l.emit(
            "sla-present",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` states no SLA", t.name),
            "add `sla:`".to_owned(),
        );
    }
}

fn privacy(l: &mut Linter<'_>, t: &Topic) {
    let key = t.key.field();
    for (path, info) in &t.pii {
        if info.level != PiiLevel::High {
            continue;
        }
        let at = t
            .spans
            .keys
            .get(&format!("pii.{path}"))
            .cloned()
            .or_else(|| t.spans.at("pii"));
        if info.encryption.is_none() {
            l.emit(
                "pii-high-encrypted",
                Some(t),
                at.clone(),
                format!("`{path}` is high PII without declared encryption"),
                format!("add `encryption:` under `pii.{path}` (e.g. `kms-envelope`)"),
            );
        }
        if *path == key {
            l.emit(
                "pii-high-not-key",
                Some(t),
                t.spans.key.clone(),
                format!("the key `{key}` is high PII"),
                "key by a non-personal id".to_owned(),
            );
        }
        let bare = path.rsplit('.').next().unwrap_or(path).replace('_', "-");
        for h in &t.headers {
            if h.trim_start_matches("x-") == bare {
                l.emit(
                    "pii-not-in-headers",
                    Some(t),
                    t.spans.at("headers"),
                    format!("header `{h}` carries the high PII field `{path}`"),
                    "drop the header; PII travels only in the encrypted value".to_owned(),
                );
            }
        }
    }
}

fn failure(l: &mut Linter<'_>, t: &Topic) {
    let Some(retry) = &t.retry else { return };
    if retry.tiers_ms.is_empty() {
        return;
    }
    let c = l.catalog;
    let rty_ok = retry
        .topic
        .as_ref()
        .and_then(|id| c.topic(id))
        .is_some_and(|r| r.id.class == "rty");
    let dlt_ok = t
        .dlt
        .as_ref()
        .and_then(|d| d.topic.as_ref())
        .and_then(|id| c.topic(id))
        .is_some_and(|d| d.id.class == "dlt" || d.name.to_string().ends_with(".dlq"));
    if !rty_ok {
        l.emit(
            "retry-implies-rty-dlt",
            Some(t),
            t.spans.at("retry"),
            format!("`{}` declares retry tiers but no `rty` retry topic", t.name),
            format!(
                "add `{}/rty/{}/v{}` and name it in `retry.topic`",
                t.id.context, t.id.topic, t.id.major
            ),
        );
    }
    if !dlt_ok {
        l.emit(
            "retry-implies-rty-dlt",
            Some(t),
            t.spans.at("retry"),
            format!("`{}` declares retry tiers but no dead-letter topic", t.name),
            format!(
                "add `{}/dlt/{}/v{}` (or a `.dlq` topic) and name it in `dlt.topic`",
                t.id.context, t.id.topic, t.id.major
            ),
        );
    }
}

fn lifecycle(l: &mut Linter<'_>, t: &Topic) {
    if let Some(d) = &t.deprecated {
        if d.replaced_by.is_none() {
            l.emit(
                "deprecated-replacement",
                Some(t),
                t.spans.at("deprecated"),
                format!("deprecated `{}` names no replacement", t.name),
                "add `deprecated.replaced_by`".to_owned(),
            );
        }
        for e in l
            .catalog
            .edges
            .iter()
            .filter(|e| e.topic == t.id && e.direction == Direction::Publishes)
        {
            let at = l
                .catalog
                .node(&e.node)
                .map(|n| Location::file(n.file.clone()));
            l.emit(
                "deprecated-published",
                Some(t),
                at,
                format!("node `{}` still publishes deprecated `{}`", e.node, t.name),
                "publish the replacement instead".to_owned(),
            );
        }
    }
    let major = t.schema.version.split('.').next().unwrap_or_default();
    if major != t.id.major.to_string() {
        l.emit(
            "schema-major-matches-topic",
            Some(t),
            t.spans.at("schema"),
            format!(
                "schema version {} does not belong to topic version v{}",
                t.schema.version, t.id.major
            ),
            format!(
                "topic v{} carries schema {}.x.y; a breaking change gets a new `v{}` directory",
                t.id.major,
                t.id.major,
                t.id.major + 1
            ),
        );
    }
}

fn samples(l: &mut Linter<'_>, t: &Topic) {
    if t.samples.is_empty() {
        l.emit(
            "samples-present",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` has no sample payload", t.name),
            "add `samples/<name>.json` beside topic.yaml".to_owned(),
        );
    }
    for s in &t.samples {
        let mut errors = Vec::new();
        check_record(&s.value, &t.schema.payload.root, "", &mut errors);
        if let Some(first) = errors.first() {
            let more = if errors.len() > 1 {
                format!(" (and {} more)", errors.len() - 1)
            } else {
                String::new()
            };
            l.emit(
                "sample-valid",
                Some(t),
                Some(Location::file(s.file.clone())),
                format!("sample does not match the schema: {first}{more}"),
                "correct the sample or the schema".to_owned(),
            );
        }
    }
}

fn check_record(v: &Value, rec: &Record, path: &str, errors: &mut Vec<String>) {
    let Some(obj) = v.as_object() else {
        errors.push(format!(
            "`{}` is not an object",
            if path.is_empty() { "payload" } else { path }
        ));
        return;
    };
    for f in &rec.fields {
        let p = if path.is_empty() {
            f.name.clone()
        } else {
            format!("{path}.{}", f.name)
        };
        match obj.get(&f.name) {
            None if f.required => errors.push(format!("required field `{p}` is missing")),
            None => {}
            Some(Value::Null) if f.nullable || !f.required => {}
            Some(val) => check_value(val, &f.ty, &p, errors),
        }
    }
    if rec.closed {
        let known: BTreeSet<&str> = rec.fields.iter().map(|f| f.name.as_str()).collect();
        for k in obj.keys().filter(|k| !known.contains(k.as_str())) {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            errors.push(format!("field `{p}` is not in the schema"));
        }
    }
}

fn check_value(v: &Value, ty: &FieldType, path: &str, errors: &mut Vec<String>) {
    let ok = match ty {
        FieldType::String { .. } | FieldType::Bytes => v.is_string(),
        FieldType::Integer => v.is_i64() || v.is_u64(),
        FieldType::Number => v.is_number(),
        FieldType::Boolean => v.is_boolean(),
        FieldType::Enum { values } => match v {
            Value::String(s) => values.contains(s),
            other => values.contains(&other.to_string()),
        },
        FieldType::Array { items } => match v.as_array() {
            Some(a) => {
                for (i, item) in a.iter().enumerate() {
                    check_value(item, items, &format!("{path}[{i}]"), errors);
                }
                true
            }
            None => false,
        },
        FieldType::Map { values } => match v.as_object() {
            Some(o) => {
                for (k, item) in o {
                    check_value(item, values, &format!("{path}.{k}"), errors);
                }
                true
            }
            None => false,
        },
        FieldType::Record(r) => {
            check_record(v, r, path, errors);
            true
        }
        FieldType::Any => true,
    };
    if !ok {
        errors.push(format!("`{path}` should be {}", ty.describe()));
    }
}

fn headers(l: &mut Linter<'_>, t: &Topic) {
    let extra = &l.catalog.settings.headers;
    for h in &t.headers {
        if !KNOWN_HEADERS.contains(&h.as_str()) && !extra.contains(h) {
            let hint = did_you_mean(h, KNOWN_HEADERS.iter().copied())
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            l.emit(
                "header-allowed",
                Some(t),
                t.spans.at("headers"),
                format!("header `{h}` is not in the known set"),
                format!(
                    "{hint}known headers are seed 000's; add others under `headers:` in onex.yaml"
                ),
            );
        }
    }
}

fn topology(l: &mut Linter<'_>) {
    let c = l.catalog;
    let mut producers: BTreeMap<&TopicId, Vec<&str>> = BTreeMap::new();
    let mut consumers: BTreeMap<&TopicId, Vec<&str>> = BTreeMap::new();
    for e in &c.edges {
        let map = match e.direction {
            Direction::Publishes => &mut producers,
            Direction::Subscribes => &mut consumers,
        };
        map.entry(&e.topic).or_default().push(&e.node);
    }
    for t in &c.topics {
        match (producers.get(&t.id), consumers.get(&t.id)) {
            (Some(p), None) => l.emit(
                "unconsumed-topic",
                Some(t),
                t.spans.file.clone(),
                format!(
                    "`{}` is published by {} but no node subscribes to it",
                    t.name,
                    p.join(", ")
                ),
                "add a subscriber's node contract, or retire the topic".to_owned(),
            ),
            (None, Some(s)) => l.emit(
                "unproduced-topic",
                Some(t),
                t.spans.file.clone(),
                format!(
                    "`{}` is subscribed to by {} but no node publishes it",
                    t.name,
                    s.join(", ")
                ),
                "add the producer's node contract (`event_channels.publishes`)".to_owned(),
            ),
            _ => {}
        }
        if t.id.class != "qrs" {
            continue;
        }
        let Some(stem) = ["-requests", "-request"]
            .iter()
            .find_map(|s| t.id.topic.strip_suffix(s))
        else {
            continue;
        };
        let paired = c.topics.iter().any(|o| {
            o.id.context == t.id.context
                && o.id.class == "qrs"
                && o.id.major == t.id.major
                && ["-replies", "-reply", "-responses", "-response"]
                    .iter()
                    .any(|s| o.id.topic.strip_suffix(s) == Some(stem))
        });
        if !paired {
            l.emit("qrs-unpaired", Some(t), t.spans.file.clone(), format!("request topic `{}` has no reply topic", t.name),
                format!("add `{}/qrs/{stem}-replies/v{}` (seed 000: request and reply topics are paired)", t.id.context, t.id.major));
        }
    }
}

/// The report as SARIF 2.1.0, for code-scanning UIs. `uri_prefix` is the
/// catalog root relative to the repository (`contracts/`), so that results
/// point at repository files.
pub fn sarif(report: &LintReport, uri_prefix: &str) -> String {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.explain },
                "help": { "text": r.explain, "markdown": explain(r) },
                "defaultConfiguration": { "level": match r.default {
                    LintLevel::Deny => "error",
                    LintLevel::Warn => "warning",
                    LintLevel::Allow => "none",
                } },
                "properties": { "category": r.category },
            })
        })
        .collect();
    let result = |d: &Diagnostic, suppression: Option<&str>| {
        let rule_id = d.rule.unwrap_or("onex");
        let mut r = serde_json::json!({
            "ruleId": rule_id,
            "ruleIndex": RULES.iter().position(|x| x.id == rule_id).unwrap_or(0),
            "level": level(d.severity),
            "message": { "text": match &d.help {
                Some(h) => format!("{} ({h})", d.message),
                None => d.message.clone(),
            } },
        });
        if let Some(l) = &d.location {
            if let Some(o) = r.as_object_mut() {
                o.insert("locations".to_owned(), serde_json::json!([{
                "physicalLocation": {
                    "artifactLocation": { "uri": format!("{uri_prefix}{}", l.file), "uriBaseId": "%SRCROOT%" },
                    "region": { "startLine": l.line.max(1), "startColumn": l.column.max(1) },
                }
            }]));
            }
        }
        if let Some(reason) = suppression {
            if let Some(o) = r.as_object_mut() {
                o.insert(
                    "suppressions".to_owned(),
                    serde_json::json!([{ "kind": "inSource", "justification": reason }]),
                );
            }
        }
        r
    };
    let mut results: Vec<Value> = report.findings.iter().map(|d| result(d, None)).collect();
    results.extend(
        report
            .waived
            .iter()
            .map(|w| result(&w.finding, Some(&w.reason))),
    );
    let doc = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "onex",
                "informationUri": "https://example.invalid/onex",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "file:///" } },
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
