//! The broker side of `onex provision`: read the cluster through the Kafka
//! admin API into an [`Observed`], print the plan from
//! `onex_codegen::export::provision`, and carry it out.
//!
//! Why here and not in the runtime: the runtime is what services link; a
//! provisioning admin client is an operator's tool, so it lives in the CLI,
//! behind the default feature `kafka` (rdkafka with its bundled librdkafka,
//! the same build the runtime's Kafka transport uses). The diff itself is
//! pure and unit-tested in onex-codegen.
//!
//! Scale: one metadata request lists every topic; configs are described only
//! for the catalog's topics that exist, in batches of [`BATCH`] resources per
//! request, all batches in flight at once; creations, partition increases,
//! config changes and deletions go out the same way.
//!
//! Config changes use AlterConfigs (the only config-writing call rust-rdkafka
//! 0.38 offers), which replaces a topic's whole dynamic config: the request
//! therefore carries every dynamic topic config the broker reported, with
//! onex's keys changed, so nothing set by someone else is reset.

use std::collections::BTreeMap;
use std::future::Future;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use onex_codegen::Catalog;
use onex_codegen::export::acl;
use onex_codegen::export::provision::{
    self, Action, Desired, Observed, ObservedTopic, Plan, TopicSpec,
};
use rdkafka::ClientConfig;
use rdkafka::admin::{
    AdminClient, AdminOptions, AlterConfig, ConfigSource, NewPartitions, NewTopic,
    ResourceSpecifier, TopicReplication,
};
use rdkafka::client::DefaultClientContext;
use rdkafka::types::RDKafkaErrorCode;
use serde::Serialize;

use super::args::{PlanFormat, ProvisionArgs};
use crate::CmdResult;

/// Resources per admin request.
pub const BATCH: usize = 500;

type Admin = AdminClient<DefaultClientContext>;

/// The cluster as read: what the plan needs, plus the dynamic configs that
/// an AlterConfigs must carry along.
struct Read {
    observed: Observed,
    dynamic: BTreeMap<String, BTreeMap<String, String>>,
}

/// One step carried out (or failed).
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// Topic.
    pub topic: String,
    /// `create`, `add partitions`, `set configs`, `delete`.
    pub what: String,
    /// The broker's error, if it failed.
    pub error: Option<String>,
}

/// What a provisioning run found and did.
#[derive(Debug, Serialize)]
pub struct Provisioned {
    /// The cluster.
    pub bootstrap: String,
    /// The plan (before applying).
    pub plan: Plan,
    /// Counts per kind.
    pub summary: provision::Summary,
    /// What was applied (empty without `--apply`, or when a step was refused).
    pub applied: Vec<Outcome>,
    /// Wall-clock milliseconds of `read` (metadata and configs), `diff`, `apply`.
    pub timings_ms: BTreeMap<&'static str, u128>,
    /// Topics on the cluster.
    pub cluster_topics: usize,
}

impl Provisioned {
    /// Failed steps.
    pub fn failures(&self) -> impl Iterator<Item = &Outcome> {
        self.applied.iter().filter(|o| o.error.is_some())
    }

    /// The report in `args.format`.
    pub fn render(&self, args: &ProvisionArgs) -> Result<String, String> {
        if args.format == PlanFormat::Json {
            return serde_json::to_string_pretty(self)
                .map(|s| s + "\n")
                .map_err(|e| e.to_string());
        }
        let mut out = if args.check {
            self.plan.render_drift()
        } else {
            self.plan.render_human(args.allow_delete)
        };
        for o in &self.applied {
            match &o.error {
                None => out.push_str(&format!("done: {} {}\n", o.what, o.topic)),
                Some(e) => out.push_str(&format!("FAILED: {} {}: {e}\n", o.what, o.topic)),
            }
        }
        if args.apply && self.summary.refused > 0 {
            out.push_str(&format!(
                "Nothing applied: the plan has {} refused step(s); fix the contracts first.\n",
                self.summary.refused
            ));
        }
        Ok(out)
    }

    /// 1 when a step failed or was refused, or (with `--check`) on drift.
    pub fn exit_code(&self, args: &ProvisionArgs) -> ExitCode {
        let bad = self.failures().next().is_some()
            || self.summary.refused > 0
            || (args.check && !self.plan.is_empty());
        if bad {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// `onex provision` against `bootstrap`: print the report, return the exit code.
pub fn run(catalog: &Catalog, bootstrap: &str, args: &ProvisionArgs) -> CmdResult {
    let done = execute(catalog, bootstrap, args)?;
    print!("{}", done.render(args)?);
    Ok(done.exit_code(args))
}

/// Read the cluster, plan, and (with `--apply`) carry the plan out, unless
/// a step is refused. `Err` is a usage or connection error.
pub fn execute(
    catalog: &Catalog,
    bootstrap: &str,
    args: &ProvisionArgs,
) -> Result<Provisioned, String> {
    let desired = provision::desired(
        catalog,
        args.env.as_deref(),
        args.tenant.as_deref(),
        args.tiered_storage.into(),
    )
    .map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let admin = client(bootstrap, &args.client_config)?;
    let timeout = Duration::from_secs(args.timeout);
    let mut timings_ms = BTreeMap::new();
    let t0 = Instant::now();
    let read = rt.block_on(read(&admin, &desired, timeout))?;
    timings_ms.insert("read", t0.elapsed().as_millis());
    let t1 = Instant::now();
    let mut plan = provision::plan(&desired, &read.observed);
    timings_ms.insert("diff", t1.elapsed().as_millis());
    if let Ok(acls) = acl::acls(catalog, args.env.as_deref(), args.tenant.as_deref())
        && !acls.is_empty()
    {
        plan.notes.push(format!(
            "{} ACLs from the node contracts are not applied: rust-rdkafka 0.38 has no ACL admin API; \
             apply them with `onex acl{}{} --format kafka-acls` (or `--format rpk`)",
            acls.len(),
            args.env.as_deref().map(|e| format!(" --env {e}")).unwrap_or_default(),
            args.tenant.as_deref().map(|t| format!(" --tenant {t}")).unwrap_or_default(),
        ));
    }
    let summary = plan.summary();
    let mut applied = Vec::new();
    if args.apply && summary.refused == 0 && !plan.is_empty() {
        let t2 = Instant::now();
        applied = rt.block_on(apply(&admin, &desired, &plan, &read.dynamic, args, timeout));
        timings_ms.insert("apply", t2.elapsed().as_millis());
    }
    Ok(Provisioned {
        bootstrap: bootstrap.to_owned(),
        cluster_topics: read.observed.topics.len(),
        plan,
        summary,
        applied,
        timings_ms,
    })
}

fn client(bootstrap: &str, extra: &[String]) -> Result<Admin, String> {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap);
    for kv in extra {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("-X `{kv}`: expected KEY=VALUE"))?;
        cfg.set(k, v);
    }
    cfg.create()
        .map_err(|e| format!("cannot create a Kafka admin client for {bootstrap}: {e}"))
}

fn options(timeout: Duration) -> AdminOptions {
    AdminOptions::new()
        .request_timeout(Some(timeout))
        .operation_timeout(Some(timeout))
}

/// Metadata of every topic, then the configs of the catalog's topics that
/// exist, in batches.
async fn read(admin: &Admin, desired: &Desired, timeout: Duration) -> Result<Read, String> {
    let metadata = admin
        .inner()
        .fetch_metadata(None, timeout)
        .map_err(|e| format!("cannot read the cluster's topics (metadata request): {e}"))?;
    let mut observed = Observed::default();
    for t in metadata.topics() {
        if t.error().is_some() {
            continue;
        }
        let partitions = u32::try_from(t.partitions().len()).unwrap_or(u32::MAX);
        observed.topics.insert(
            t.name().to_owned(),
            ObservedTopic {
                partitions,
                configs: None,
            },
        );
    }
    let existing: Vec<&str> = desired
        .topics
        .iter()
        .map(|t| t.name.as_str())
        .filter(|n| observed.topics.contains_key(*n))
        .collect();
    let opts = options(timeout);
    let batches: Vec<Vec<ResourceSpecifier<'_>>> = existing
        .chunks(BATCH)
        .map(|chunk| chunk.iter().map(|n| ResourceSpecifier::Topic(n)).collect())
        .collect();
    // Every batch in flight at once; answers are read in order.
    let pending: Vec<_> = batches
        .iter()
        .map(|specs| admin.describe_configs(specs, &opts))
        .collect();
    let mut dynamic = BTreeMap::new();
    let mut problems = Vec::new();
    for (chunk, fut) in existing.chunks(BATCH).zip(pending) {
        match fut.await {
            Err(e) => problems.push(format!("DescribeConfigs failed: {e}")),
            Ok(results) => {
                for (name, r) in chunk.iter().zip(results) {
                    match r {
                        Err(code) => problems.push(format!("{name}: {code}")),
                        Ok(res) => {
                            let mut all = BTreeMap::new();
                            let mut dynamic_here = BTreeMap::new();
                            for e in res.entries {
                                let Some(v) = e.value else { continue };
                                if e.source == ConfigSource::DynamicTopic && !e.is_sensitive {
                                    dynamic_here.insert(e.name.clone(), v.clone());
                                }
                                all.insert(e.name, v);
                            }
                            if let Some(o) = observed.topics.get_mut(*name) {
                                o.configs = Some(all);
                            }
                            dynamic.insert((*name).to_owned(), dynamic_here);
                        }
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        let shown: Vec<_> = problems.iter().take(3).cloned().collect();
        observed.configs_unreadable = Some(format!(
            "{} topic(s) could not be described ({}{})",
            problems.len(),
            shown.join("; "),
            if problems.len() > 3 { "; ..." } else { "" }
        ));
    }
    Ok(Read { observed, dynamic })
}

/// What to do when the broker lacks the admin call.
fn hint(code: Option<RDKafkaErrorCode>) -> &'static str {
    match code {
        Some(RDKafkaErrorCode::UnsupportedFeature | RDKafkaErrorCode::UnsupportedVersion) => {
            "; this broker does not implement the admin call, make the change with its own tooling"
        }
        _ => "",
    }
}

/// A per-resource broker error code, for people.
fn describe(code: RDKafkaErrorCode) -> String {
    format!("{code} ({code:?}){}", hint(Some(code)))
}

/// A failed admin request, for people.
fn describe_err(e: &rdkafka::error::KafkaError) -> String {
    let code = match e {
        rdkafka::error::KafkaError::AdminOp(code) => Some(*code),
        other => other.rdkafka_error_code(),
    };
    format!("{e}{}", hint(code))
}

async fn collect<F>(out: &mut Vec<Outcome>, what: &str, fut: F, topics: &[String])
where
    F: Future<
        Output = rdkafka::error::KafkaResult<Vec<Result<String, (String, RDKafkaErrorCode)>>>,
    >,
{
    match fut.await {
        Err(e) => {
            for t in topics {
                out.push(Outcome {
                    topic: t.clone(),
                    what: what.to_owned(),
                    error: Some(describe_err(&e)),
                });
            }
        }
        Ok(results) => {
            for r in results {
                out.push(match r {
                    Ok(t) => Outcome {
                        topic: t,
                        what: what.to_owned(),
                        error: None,
                    },
                    Err((t, code)) => Outcome {
                        topic: t,
                        what: what.to_owned(),
                        error: Some(describe(code)),
                    },
                });
            }
        }
    }
}

/// Carry the plan out: creations, partition increases, config changes,
/// then (only with `--allow-delete`) deletions. Each kind in batches.
async fn apply(
    admin: &Admin,
    desired: &Desired,
    plan: &Plan,
    dynamic: &BTreeMap<String, BTreeMap<String, String>>,
    args: &ProvisionArgs,
    timeout: Duration,
) -> Vec<Outcome> {
    let opts = options(timeout);
    let mut out = Vec::new();
    let specs: BTreeMap<&str, &TopicSpec> = desired
        .topics
        .iter()
        .map(|t| (t.name.as_str(), t))
        .collect();

    // Creations.
    let creates: Vec<&TopicSpec> = plan
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { topic, .. } => specs.get(topic.as_str()).copied(),
            _ => None,
        })
        .collect();
    let batches: Vec<(Vec<NewTopic<'_>>, Vec<String>)> = creates
        .chunks(BATCH)
        .map(|chunk| {
            let news = chunk
                .iter()
                .map(|t| {
                    let mut n = NewTopic::new(
                        &t.name,
                        i32::try_from(t.partitions).unwrap_or(i32::MAX),
                        TopicReplication::Fixed(args.replication_factor),
                    );
                    for (k, v) in &t.configs {
                        n = n.set(k, v);
                    }
                    n
                })
                .collect();
            (news, chunk.iter().map(|t| t.name.clone()).collect())
        })
        .collect();
    let pending: Vec<_> = batches
        .iter()
        .map(|(news, names)| (admin.create_topics(news, &opts), names))
        .collect();
    for (fut, names) in pending {
        collect(&mut out, "create", fut, names).await;
    }

    // Partition increases.
    let adds: Vec<(&str, u32)> = plan
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::AddPartitions { topic, to, .. } => Some((topic.as_str(), *to)),
            _ => None,
        })
        .collect();
    for chunk in adds.chunks(BATCH) {
        let news: Vec<NewPartitions<'_>> = chunk
            .iter()
            .map(|(t, n)| NewPartitions::new(t, usize::try_from(*n).unwrap_or(usize::MAX)))
            .collect();
        let names: Vec<String> = chunk.iter().map(|(t, _)| (*t).to_owned()).collect();
        collect(
            &mut out,
            "add partitions",
            admin.create_partitions(&news, &opts),
            &names,
        )
        .await;
    }

    // Config changes: one AlterConfig per topic carrying its other dynamic
    // configs along (AlterConfigs replaces the whole set).
    let mut changes: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    for a in &plan.actions {
        if let Action::SetConfig { topic, key, to, .. } = a {
            changes
                .entry(topic.as_str())
                .or_insert_with(|| dynamic.get(topic).cloned().unwrap_or_default())
                .insert(key.clone(), to.clone());
        }
    }
    let changes: Vec<(&str, BTreeMap<String, String>)> = changes.into_iter().collect();
    for chunk in changes.chunks(BATCH) {
        let alters: Vec<AlterConfig<'_>> = chunk
            .iter()
            .map(|(t, set)| {
                let mut a = AlterConfig::new(ResourceSpecifier::Topic(t));
                for (k, v) in set {
                    a = a.set(k, v);
                }
                a
            })
            .collect();
        match admin.alter_configs(&alters, &opts).await {
            Err(e) => {
                for (t, _) in chunk {
                    out.push(Outcome {
                        topic: (*t).to_owned(),
                        what: "set configs".to_owned(),
                        error: Some(describe_err(&e)),
                    });
                }
            }
            Ok(results) => {
                for (r, (t, _)) in results.into_iter().zip(chunk) {
                    out.push(Outcome {
                        topic: (*t).to_owned(),
                        what: "set configs".to_owned(),
                        error: r.err().map(|(_, code)| describe(code)),
                    });
                }
            }
        }
    }

    // Deletions, only when asked for.
    if args.allow_delete {
        let deletes: Vec<&str> = plan
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::Delete { topic, .. } => Some(topic.as_str()),
                _ => None,
            })
            .collect();
        for chunk in deletes.chunks(BATCH) {
            let names: Vec<String> = chunk.iter().map(|t| (*t).to_owned()).collect();
            collect(
                &mut out,
                "delete",
                admin.delete_topics(chunk, &opts),
                &names,
            )
            .await;
        }
    }
    out
}
