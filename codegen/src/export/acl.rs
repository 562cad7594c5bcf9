//! Least-privilege ACLs from node contracts: each node's principal may write
//! the topics it publishes, read (and describe) the topics it subscribes to,
//! and read its consumer group; nothing else. Where a node uses every topic
//! under a seed-000 namespace prefix (`<env>.<tenant>.<context>.<class>.`),
//! the grant is that prefix, as seed 000's ACLs-by-namespace suggest; it
//! never covers a topic outside the node's contract.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::naming::NamePart;
use crate::model::{Catalog, Direction, Topic};

/// A Kafka ACL operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    /// Produce.
    Write,
    /// Consume (topics) or join (groups).
    Read,
    /// Read metadata.
    Describe,
}

/// What an ACL is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resource {
    /// A topic.
    Topic,
    /// A consumer group.
    Group,
}

/// How the resource name matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pattern {
    /// Exactly this name.
    Literal,
    /// Every name starting with it.
    Prefixed,
}

/// One allow rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Acl {
    /// `User:<node>`.
    pub principal: String,
    /// Topic or group.
    pub resource: Resource,
    /// Literal or prefixed.
    pub pattern: Pattern,
    /// Resource name or prefix.
    pub name: String,
    /// Operation.
    pub operation: Operation,
}

/// Why ACLs could not be derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclError(pub String);

impl std::fmt::Display for AclError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn render(t: &Topic, env: Option<&str>, tenant: Option<&str>) -> Result<String, AclError> {
    let mut out = Vec::new();
    for p in &t.name.parts {
        out.push(match p {
            NamePart::Literal(s) => s.clone(),
            NamePart::Env => env
                .ok_or_else(|| {
                    AclError(format!(
                        "`{}` has a run-time `{{env}}`: pass the environment (`--env prod`)",
                        t.name
                    ))
                })?
                .to_owned(),
            NamePart::Tenant => tenant
                .ok_or_else(|| {
                    AclError(format!(
                        "`{}` has a run-time `{{tenant}}`: pass the tenant (`--tenant omnibase`)",
                        t.name
                    ))
                })?
                .to_owned(),
        });
    }
    Ok(out.join("."))
}

/// The namespace prefix (`<env>.<tenant>.<context>.<class>.`) of a topic that
/// follows seed 000's convention, once bound.
fn namespace_prefix(catalog: &Catalog, t: &Topic, concrete: &str) -> Option<String> {
    let pattern = catalog.settings.conventions.get(&t.convention)?;
    use crate::model::naming::PatternPart as P;
    let shape = [
        P::Env,
        P::Tenant,
        P::Context,
        P::Class,
        P::Topic,
        P::Version,
    ];
    if t.explicit_name || pattern.parts != shape {
        return None;
    }
    let segs: Vec<&str> = concrete.split('.').collect();
    Some(format!("{}.", segs.get(..4)?.join(".")))
}

/// The ACLs of every node of the catalog, sorted, for one environment and
/// tenant (needed when names keep `{env}` / `{tenant}` open).
pub fn acls(
    catalog: &Catalog,
    env: Option<&str>,
    tenant: Option<&str>,
) -> Result<Vec<Acl>, AclError> {
    // An environment or tenant the catalog does not list would yield ACLs
    // for topics that can never exist: refuse it, naming the known ones.
    for (given, known, what, flag) in [
        (env, &catalog.settings.envs, "environment", "--env"),
        (tenant, &catalog.settings.tenants, "tenant", "--tenant"),
    ] {
        if let Some(g) = given.filter(|g| !known.iter().any(|k| k == g)) {
            let near =
                crate::diagnostic::suggest::did_you_mean(g, known.iter().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
            return Err(AclError(format!(
                "`{flag} {g}`: unknown {what}; {near}onex.yaml lists: {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    // Concrete names and namespace prefixes of every topic.
    // Topics no node uses need no binding: their errors only block prefixes.
    let used: BTreeSet<_> = catalog.edges.iter().map(|e| &e.topic).collect();
    let mut names = BTreeMap::new();
    let mut by_prefix: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unbound = false;
    for t in &catalog.topics {
        let n = match render(t, env, tenant) {
            Ok(n) => n,
            Err(e) if used.contains(&t.id) => return Err(e),
            Err(_) => {
                unbound = true;
                continue;
            }
        };
        if let Some(p) = namespace_prefix(catalog, t, &n) {
            by_prefix.entry(p).or_default().insert(n.clone());
        }
        names.insert(t.id.clone(), n);
    }
    if unbound {
        // A prefix might then cover a topic we could not name: grant literals only.
        by_prefix.clear();
    }
    let mut out = BTreeSet::new();
    for node in &catalog.nodes {
        let principal = format!("User:{}", node.name);
        for (dir, ops) in [
            (
                Direction::Publishes,
                &[Operation::Write, Operation::Describe][..],
            ),
            (
                Direction::Subscribes,
                &[Operation::Read, Operation::Describe][..],
            ),
        ] {
            let mine: BTreeSet<String> = catalog
                .edges
                .iter()
                .filter(|e| e.node == node.name && e.direction == dir)
                .filter_map(|e| names.get(&e.topic).cloned())
                .collect();
            let mut covered = BTreeSet::new();
            for (prefix, all) in &by_prefix {
                if all.len() > 1 && all.is_subset(&mine) {
                    for op in ops {
                        out.insert(Acl {
                            principal: principal.clone(),
                            resource: Resource::Topic,
                            pattern: Pattern::Prefixed,
                            name: prefix.clone(),
                            operation: *op,
                        });
                    }
                    covered.extend(all.iter().cloned());
                }
            }
            for name in mine.difference(&covered) {
                for op in ops {
                    out.insert(Acl {
                        principal: principal.clone(),
                        resource: Resource::Topic,
                        pattern: Pattern::Literal,
                        name: name.clone(),
                        operation: *op,
                    });
                }
            }
        }
        if !node.subscribes.is_empty() {
            out.insert(Acl {
                principal,
                resource: Resource::Group,
                pattern: Pattern::Literal,
                name: node.consumer_group.clone(),
                operation: Operation::Read,
            });
        }
    }
    Ok(out.into_iter().collect())
}

/// The resource flag and pattern suffix both CLIs use.
fn flags(a: &Acl) -> (&'static str, &'static str) {
    let res = match a.resource {
        Resource::Topic => "--topic",
        Resource::Group => "--group",
    };
    let pattern = match a.pattern {
        Pattern::Literal => "",
        Pattern::Prefixed => " --resource-pattern-type prefixed",
    };
    (res, pattern)
}

/// `rpk acl create` commands.
pub fn to_rpk(acls: &[Acl]) -> String {
    acls.iter()
        .map(|a| {
            let (res, pattern) = flags(a);
            let op = format!("{:?}", a.operation).to_lowercase();
            format!(
                "rpk acl create --allow-principal '{}' --operation {op} {res} '{}'{pattern}\n",
                a.principal, a.name
            )
        })
        .collect()
}

/// `kafka-acls` commands (`$BOOTSTRAP` is the broker list).
pub fn to_kafka_acls(acls: &[Acl]) -> String {
    acls.iter()
        .map(|a| {
            let (res, pattern) = flags(a);
            format!(
                "kafka-acls --bootstrap-server \"$BOOTSTRAP\" --add --allow-principal '{}' --operation {:?} {res} '{}'{pattern}\n",
                a.principal, a.operation, a.name
            )
        })
        .collect()
}
