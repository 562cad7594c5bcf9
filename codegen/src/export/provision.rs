//! Provisioning plans: the topics a catalog wants on a cluster (desired
//! state, from the contracts and the class policy) compared with what a
//! cluster has (observed state), as a list of actions like terraform's plan.
//!
//! This module is pure: no broker, no I/O. The CLI (`onex provision`, crate
//! `onex-cli`, feature `kafka`) reads the cluster through the Kafka admin API
//! into an [`Observed`], asks [`plan`] what to do, prints it and carries it
//! out. Keeping the diff here means it is unit-tested without a broker, and
//! the rules that protect a cluster live in one place:
//!
//! - only configs onex owns ([`OWNED_CONFIGS`], plus tiered storage when
//!   asked) are compared; broker defaults and configs set by others are
//!   never reported or re-applied, so a second run plans nothing;
//! - a topic is a deletion candidate only when it lies under a catalog
//!   namespace (`<env>.<tenant>.<context>.<class>.` of a seed-000 name the
//!   catalog uses) and the catalog no longer has it; topics with written-out
//!   names are never candidates, internal topics (`__*`) neither;
//! - a partition decrease is refused with its reason (Kafka cannot remove
//!   partitions), never applied.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::naming::{NamePart, PatternPart};
use crate::model::vocab::{CleanupPolicy, Requirement};
use crate::model::{Catalog, Topic, TopicId};

/// The topic configs onex owns (always compared).
pub const OWNED_CONFIGS: [&str; 2] = ["retention.ms", "cleanup.policy"];

/// How tiered storage is switched on, per broker family.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TieredStorage {
    /// Not managed: the plan neither sets nor compares it.
    #[default]
    Off,
    /// Apache Kafka 3.6+ (KIP-405): `remote.storage.enable=true`.
    Kafka,
    /// Redpanda: `redpanda.remote.write=true`, `redpanda.remote.read=true`.
    Redpanda,
}

impl TieredStorage {
    fn configs(self) -> &'static [&'static str] {
        match self {
            TieredStorage::Off => &[],
            TieredStorage::Kafka => &["remote.storage.enable"],
            TieredStorage::Redpanda => &["redpanda.remote.write", "redpanda.remote.read"],
        }
    }
}

/// One topic as the catalog wants it on the cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TopicSpec {
    /// Concrete wire name.
    pub name: String,
    /// The contract it comes from.
    pub id: TopicId,
    /// Partition count.
    pub partitions: u32,
    /// The configs onex owns, with their values.
    pub configs: BTreeMap<String, String>,
}

/// Everything the catalog wants for one env/tenant.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Desired {
    /// Topics, sorted by name.
    pub topics: Vec<TopicSpec>,
    /// Catalog namespaces (`<env>.<tenant>.<context>.<class>.`): unknown
    /// topics under them are deletion candidates.
    pub namespaces: BTreeSet<String>,
    /// The config keys compared (owned + tiered storage).
    pub owned: Vec<String>,
    /// Topics whose contract or class wants tiered storage while it is not
    /// managed ([`TieredStorage::Off`]).
    pub tiered_unmanaged: usize,
}

/// Why the desired state could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionError(pub String);

impl std::fmt::Display for ProvisionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProvisionError {}

/// A topic's concrete name for `env`/`tenant`.
pub fn concrete_name(
    t: &Topic,
    env: Option<&str>,
    tenant: Option<&str>,
) -> Result<String, ProvisionError> {
    let mut out = Vec::with_capacity(t.name.parts.len());
    for p in &t.name.parts {
        out.push(match p {
            NamePart::Literal(s) => s.as_str(),
            NamePart::Env => env.ok_or_else(|| {
                ProvisionError(format!(
                    "`{}` has a run-time `{{env}}`: pass the environment (`--env prod`)",
                    t.name
                ))
            })?,
            NamePart::Tenant => tenant.ok_or_else(|| {
                ProvisionError(format!(
                    "`{}` has a run-time `{{tenant}}`: pass the tenant (`--tenant omnibase`)",
                    t.name
                ))
            })?,
        });
    }
    Ok(out.join("."))
}

fn check_segment(what: &str, v: Option<&str>) -> Result<(), ProvisionError> {
    if let Some(v) = v
        && (v.is_empty() || !crate::model::naming::is_segment(v))
    {
        return Err(ProvisionError(format!(
            "{what} `{v}` is not one topic-name segment (allowed: a-z A-Z 0-9 _ -)"
        )));
    }
    Ok(())
}

/// The seed-000 namespace prefix of a topic, when its convention starts with
/// `{env}.{tenant}.{context}.{class}.` and its name is not written out.
fn namespace(catalog: &Catalog, t: &Topic, concrete: &str) -> Option<String> {
    if t.explicit_name {
        return None;
    }
    let pattern = catalog.settings.conventions.get(&t.convention)?;
    let head = [
        PatternPart::Env,
        PatternPart::Tenant,
        PatternPart::Context,
        PatternPart::Class,
    ];
    if pattern.parts.len() <= head.len() || pattern.parts.get(..head.len())? != head {
        return None;
    }
    let segs: Vec<&str> = concrete.split('.').collect();
    Some(format!("{}.", segs.get(..head.len())?.join(".")))
}

fn cleanup(p: CleanupPolicy) -> &'static str {
    match p {
        CleanupPolicy::Delete => "delete",
        CleanupPolicy::Compact => "compact",
        CleanupPolicy::CompactDelete => "compact,delete",
    }
}

/// The desired state of every topic of the catalog for `env`/`tenant`.
pub fn desired(
    catalog: &Catalog,
    env: Option<&str>,
    tenant: Option<&str>,
    tiered: TieredStorage,
) -> Result<Desired, ProvisionError> {
    check_segment("env", env)?;
    check_segment("tenant", tenant)?;
    let mut out = Desired {
        owned: OWNED_CONFIGS
            .iter()
            .chain(tiered.configs())
            .map(|s| (*s).to_owned())
            .collect(),
        ..Desired::default()
    };
    for t in &catalog.topics {
        let name = concrete_name(t, env, tenant)?;
        let mut configs = BTreeMap::new();
        configs.insert("retention.ms".to_owned(), t.retention_ms.to_string());
        configs.insert(
            "cleanup.policy".to_owned(),
            cleanup(t.cleanup_policy).to_owned(),
        );
        let class_tiered = catalog
            .settings
            .classes
            .get(&t.id.class)
            .is_some_and(|c| c.tiered_storage == Requirement::Required);
        if t.tiered_storage.unwrap_or(class_tiered) {
            if tiered == TieredStorage::Off {
                out.tiered_unmanaged += 1;
            }
            for k in tiered.configs() {
                configs.insert((*k).to_owned(), "true".to_owned());
            }
        }
        if let Some(ns) = namespace(catalog, t, &name) {
            out.namespaces.insert(ns);
        }
        out.topics.push(TopicSpec {
            name,
            id: t.id.clone(),
            partitions: t.partitions,
            configs,
        });
    }
    out.topics.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(w) = out.topics.windows(2).find(|w| match w {
        [a, b] => a.name == b.name,
        _ => false,
    }) && let [a, b] = w
    {
        return Err(ProvisionError(format!(
            "`{}` and `{}` both have the wire name `{}` here",
            a.id, b.id, a.name
        )));
    }
    Ok(out)
}

/// One topic as the cluster has it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ObservedTopic {
    /// Partition count.
    pub partitions: u32,
    /// Its configs (the broker's view, any source), or `None` when they
    /// could not be read (then configs are not compared).
    pub configs: Option<BTreeMap<String, String>>,
}

/// The cluster's topics (names to state).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Observed {
    /// Every topic the cluster listed; configs are needed only for topics
    /// the catalog wants.
    pub topics: BTreeMap<String, ObservedTopic>,
    /// Why configs could not be read, when they could not.
    pub configs_unreadable: Option<String>,
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The topic is missing: create it.
    Create {
        /// Topic.
        topic: String,
        /// Partitions.
        partitions: u32,
        /// Configs.
        configs: BTreeMap<String, String>,
    },
    /// An owned config differs (or is unset on the broker).
    SetConfig {
        /// Topic.
        topic: String,
        /// Config key.
        key: String,
        /// The broker's value (`None`: not set).
        from: Option<String>,
        /// The contract's value.
        to: String,
    },
    /// More partitions in the contract than on the broker.
    AddPartitions {
        /// Topic.
        topic: String,
        /// Broker.
        from: u32,
        /// Contract.
        to: u32,
    },
    /// Fewer partitions in the contract: never applied.
    RefusePartitionDecrease {
        /// Topic.
        topic: String,
        /// Broker.
        from: u32,
        /// Contract.
        to: u32,
        /// Why.
        reason: String,
    },
    /// A topic under a catalog namespace that the catalog does not have.
    Delete {
        /// Topic.
        topic: String,
        /// The namespace it is under.
        namespace: String,
    },
}

impl Action {
    /// The topic the action is about.
    pub fn topic(&self) -> &str {
        match self {
            Action::Create { topic, .. }
            | Action::SetConfig { topic, .. }
            | Action::AddPartitions { topic, .. }
            | Action::RefusePartitionDecrease { topic, .. }
            | Action::Delete { topic, .. } => topic,
        }
    }
}

/// What it takes to bring the cluster to the catalog.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Plan {
    /// Steps, in the order they are applied (by topic, then kind).
    pub actions: Vec<Action>,
    /// What could not be compared, and why.
    pub notes: Vec<String>,
}

/// Counts per kind of action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Topics to create.
    pub create: usize,
    /// Config changes.
    pub change: usize,
    /// Partition increases.
    pub add_partitions: usize,
    /// Refused partition decreases.
    pub refused: usize,
    /// Deletion candidates.
    pub delete: usize,
}

const DECREASE_REASON: &str = "Kafka cannot remove partitions from a topic; keep the broker's count in the contract, or move to a new major version (v<N+1>) with the new count";

/// Compare the catalog's topics with the cluster's.
pub fn plan(desired: &Desired, observed: &Observed) -> Plan {
    let mut p = Plan::default();
    if let Some(why) = &observed.configs_unreadable {
        p.notes.push(format!("topic configs not compared: {why}"));
    }
    if desired.tiered_unmanaged > 0 {
        p.notes.push(format!(
            "{} topic(s) want tiered storage; not managed (pass --tiered-storage kafka|redpanda where the broker has it)",
            desired.tiered_unmanaged
        ));
    }
    let wanted: BTreeSet<&str> = desired.topics.iter().map(|t| t.name.as_str()).collect();
    for t in &desired.topics {
        let Some(o) = observed.topics.get(&t.name) else {
            p.actions.push(Action::Create {
                topic: t.name.clone(),
                partitions: t.partitions,
                configs: t.configs.clone(),
            });
            continue;
        };
        if t.partitions > o.partitions {
            p.actions.push(Action::AddPartitions {
                topic: t.name.clone(),
                from: o.partitions,
                to: t.partitions,
            });
        } else if t.partitions < o.partitions {
            p.actions.push(Action::RefusePartitionDecrease {
                topic: t.name.clone(),
                from: o.partitions,
                to: t.partitions,
                reason: DECREASE_REASON.to_owned(),
            });
        }
        if let Some(have) = &o.configs {
            for (k, v) in &t.configs {
                let cur = have.get(k);
                if cur != Some(v) {
                    p.actions.push(Action::SetConfig {
                        topic: t.name.clone(),
                        key: k.clone(),
                        from: cur.cloned(),
                        to: v.clone(),
                    });
                }
            }
        }
    }
    for name in observed.topics.keys() {
        if wanted.contains(name.as_str()) || name.starts_with("__") {
            continue;
        }
        if let Some(ns) = desired
            .namespaces
            .iter()
            .find(|ns| name.starts_with(ns.as_str()))
        {
            p.actions.push(Action::Delete {
                topic: name.clone(),
                namespace: ns.clone(),
            });
        }
    }
    p.actions
        .sort_by(|a, b| a.topic().cmp(b.topic()).then(rank(a).cmp(&rank(b))));
    p
}

fn rank(a: &Action) -> u8 {
    match a {
        Action::Create { .. } => 0,
        Action::RefusePartitionDecrease { .. } => 1,
        Action::AddPartitions { .. } => 2,
        Action::SetConfig { .. } => 3,
        Action::Delete { .. } => 4,
    }
}

impl Plan {
    /// Nothing to do.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Counts per kind.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for a in &self.actions {
            match a {
                Action::Create { .. } => s.create += 1,
                Action::SetConfig { .. } => s.change += 1,
                Action::AddPartitions { .. } => s.add_partitions += 1,
                Action::RefusePartitionDecrease { .. } => s.refused += 1,
                Action::Delete { .. } => s.delete += 1,
            }
        }
        s
    }

    /// The plan for people, one line per action, then a summary line.
    /// `allow_delete` only changes how deletions are described.
    pub fn render_human(&self, allow_delete: bool) -> String {
        let mut out = String::new();
        for a in &self.actions {
            let _ = writeln!(out, "{}", line(a, allow_delete));
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        let s = self.summary();
        if self.actions.is_empty() {
            out.push_str("No changes: the cluster matches the catalog.\n");
        } else {
            let _ = writeln!(
                out,
                "Plan: {} to create, {} config changes, {} partition increases, {} to delete{}, {} refused.",
                s.create,
                s.change,
                s.add_partitions,
                s.delete,
                if allow_delete || s.delete == 0 {
                    ""
                } else {
                    " (only with --allow-delete)"
                },
                s.refused
            );
        }
        out
    }

    /// The drift report for people (`--check`): what differs, one line each.
    pub fn render_drift(&self) -> String {
        let mut out = String::new();
        for a in &self.actions {
            let _ = writeln!(out, "{}", drift_line(a));
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        if self.actions.is_empty() {
            out.push_str("No drift: the cluster matches the catalog.\n");
        } else {
            let _ = writeln!(
                out,
                "Drift: {} difference(s) between the cluster and the catalog.",
                self.actions.len()
            );
        }
        out
    }
}

fn configs_text(c: &BTreeMap<String, String>) -> String {
    c.iter()
        .map(|(k, v)| format!(" {k}={v}"))
        .collect::<String>()
}

fn line(a: &Action, allow_delete: bool) -> String {
    match a {
        Action::Create {
            topic,
            partitions,
            configs,
        } => format!(
            "+ create     {topic}  partitions={partitions}{}",
            configs_text(configs)
        ),
        Action::SetConfig {
            topic,
            key,
            from,
            to,
        } => format!(
            "~ config     {topic}  {key}: {} -> {to}",
            from.as_deref().unwrap_or("(not set)")
        ),
        Action::AddPartitions { topic, from, to } => {
            format!("~ partitions {topic}  {from} -> {to}")
        }
        Action::RefusePartitionDecrease {
            topic,
            from,
            to,
            reason,
        } => format!("! refused    {topic}  partitions {from} -> {to}: {reason}"),
        Action::Delete { topic, namespace } => format!(
            "- delete     {topic}  (under {namespace}, not in the catalog{})",
            if allow_delete {
                ""
            } else {
                "; applied only with --allow-delete"
            }
        ),
    }
}

fn drift_line(a: &Action) -> String {
    match a {
        Action::Create { topic, .. } => {
            format!("missing      {topic}  (in the catalog, not on the cluster)")
        }
        Action::SetConfig {
            topic,
            key,
            from,
            to,
        } => format!(
            "config       {topic}  {key}: cluster {}, catalog {to}",
            from.as_deref().unwrap_or("(not set)")
        ),
        Action::AddPartitions { topic, from, to }
        | Action::RefusePartitionDecrease {
            topic, from, to, ..
        } => format!("partitions   {topic}  cluster {from}, catalog {to}"),
        Action::Delete { topic, namespace } => {
            format!("unknown      {topic}  (under {namespace}, not in the catalog)")
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn spec(name: &str, partitions: u32, retention: &str) -> TopicSpec {
        TopicSpec {
            name: name.to_owned(),
            id: TopicId {
                context: "c".into(),
                class: "evt".into(),
                topic: "t".into(),
                major: 1,
            },
            partitions,
            configs: [
                ("retention.ms".to_owned(), retention.to_owned()),
                ("cleanup.policy".to_owned(), "delete".to_owned()),
            ]
            .into(),
        }
    }

    /// Name, partitions, configs (`None`: unread).
    type Row<'a> = (&'a str, u32, Option<&'a [(&'a str, &'a str)]>);

    fn observed(list: &[Row<'_>]) -> Observed {
        Observed {
            topics: list
                .iter()
                .map(|(n, p, c)| {
                    (
                        (*n).to_owned(),
                        ObservedTopic {
                            partitions: *p,
                            configs: c.map(|c| {
                                c.iter()
                                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                                    .collect()
                            }),
                        },
                    )
                })
                .collect(),
            configs_unreadable: None,
        }
    }

    fn desired_of(topics: Vec<TopicSpec>) -> Desired {
        Desired {
            topics,
            namespaces: ["p.t.c.evt.".to_owned()].into(),
            owned: OWNED_CONFIGS.iter().map(|s| (*s).to_owned()).collect(),
            tiered_unmanaged: 0,
        }
    }

    #[test]
    fn equal_state_plans_nothing_and_ignores_other_configs() {
        let d = desired_of(vec![spec("p.t.c.evt.a.v1", 3, "100")]);
        let o = observed(&[
            (
                "p.t.c.evt.a.v1",
                3,
                Some(&[
                    ("retention.ms", "100"),
                    ("cleanup.policy", "delete"),
                    ("segment.bytes", "1"),
                ]),
            ),
            ("other.topic", 1, None),
            ("__consumer_offsets", 50, None),
        ]);
        let p = plan(&d, &o);
        assert!(p.is_empty(), "{p:?}");
        assert!(p.render_human(false).contains("No changes"));
    }

    #[test]
    fn every_kind_of_difference() {
        let d = desired_of(vec![
            spec("p.t.c.evt.a.v1", 3, "100"),
            spec("p.t.c.evt.b.v1", 6, "100"),
            spec("p.t.c.evt.c.v1", 1, "100"),
            spec("x.fixed.v1", 3, "100"),
        ]);
        let o = observed(&[
            (
                "p.t.c.evt.a.v1",
                3,
                Some(&[("retention.ms", "200"), ("cleanup.policy", "delete")]),
            ),
            (
                "p.t.c.evt.b.v1",
                3,
                Some(&[("retention.ms", "100"), ("cleanup.policy", "delete")]),
            ),
            (
                "p.t.c.evt.c.v1",
                3,
                Some(&[("retention.ms", "100"), ("cleanup.policy", "delete")]),
            ),
            ("p.t.c.evt.gone.v1", 3, None),
            ("p.t.c.cmd.unrelated.v1", 3, None),
        ]);
        let p = plan(&d, &o);
        assert_eq!(
            p.summary(),
            Summary {
                create: 1,
                change: 1,
                add_partitions: 1,
                refused: 1,
                delete: 1
            }
        );
        let text = p.render_human(false);
        assert!(text.contains("retention.ms: 200 -> 100"), "{text}");
        assert!(text.contains("Kafka cannot remove partitions"), "{text}");
        assert!(text.contains("applied only with --allow-delete"), "{text}");
        assert!(!text.contains("unrelated"), "{text}");
        let drift = p.render_drift();
        assert!(drift.contains("missing      x.fixed.v1"), "{drift}");
        assert!(drift.contains("unknown      p.t.c.evt.gone.v1"), "{drift}");
    }

    #[test]
    fn unset_config_is_a_change_and_unreadable_configs_are_a_note() {
        let d = desired_of(vec![spec("p.t.c.evt.a.v1", 3, "100")]);
        let o = observed(&[("p.t.c.evt.a.v1", 3, Some(&[("cleanup.policy", "delete")]))]);
        let p = plan(&d, &o);
        assert_eq!(p.actions.len(), 1);
        assert!(p.render_human(false).contains("(not set) -> 100"));
        let mut o = observed(&[("p.t.c.evt.a.v1", 3, None)]);
        o.configs_unreadable = Some("DescribeConfigs is not supported".into());
        let p = plan(&d, &o);
        assert!(p.is_empty());
        assert!(p.render_human(false).contains("not compared"));
    }
}
