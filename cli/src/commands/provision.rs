//! `provision`: put the catalog's topics on a cluster (plan, `--apply`,
//! `--check` for drift) and export schemas for broker-side validation
//! (`provision schemas --out DIR`).
//!
//! The diff is pure and lives in `onex_codegen::export::provision`; the
//! broker I/O is [`crate::provision`], compiled with the default feature
//! `kafka` (rdkafka's admin client with its bundled librdkafka, built by
//! cmake). Without it (`cargo install --path cli --no-default-features`)
//! `provision schemas` still works and the broker commands say how to get
//! them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use onex_codegen::export::broker_schema;
use onex_codegen::export::provision::TieredStorage;

use crate::output::{Mode, Plan};
use crate::report::load_or_report;
use crate::{CmdResult, Context};

/// `provision --bootstrap HOST:PORT [--env E --tenant T] [--apply [--allow-delete]] [--check]`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ProvisionArgs {
    /// What else to do
    #[command(subcommand)]
    pub action: Option<ProvisionAction>,
    /// The cluster to provision
    #[arg(long, value_name = "HOST:PORT")]
    pub bootstrap: Option<String>,
    /// Environment to fill into topic name templates
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    /// Tenant to fill into topic name templates
    #[arg(long, value_name = "TENANT")]
    pub tenant: Option<String>,
    /// Carry the plan out (creations, partition increases, config changes)
    #[arg(long, conflicts_with = "check")]
    pub apply: bool,
    /// With --apply: also delete the topics under a catalog namespace that the catalog does not have
    #[arg(long, requires = "apply")]
    pub allow_delete: bool,
    /// Change nothing; exit 1 listing every difference between the cluster and the catalog
    #[arg(long)]
    pub check: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
    /// Manage tiered storage with this broker family's configs (default: not managed)
    #[arg(long, value_enum, default_value_t = Tiered::Off)]
    pub tiered_storage: Tiered,
    /// Replication factor of new topics (-1: the broker's default)
    #[arg(long, default_value_t = -1, allow_negative_numbers = true, value_name = "N")]
    pub replication_factor: i32,
    /// A librdkafka client setting (repeatable), e.g. -X security.protocol=SASL_SSL
    #[arg(short = 'X', value_name = "KEY=VALUE")]
    pub client_config: Vec<String>,
    /// Seconds to wait for each admin request
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub timeout: u64,
}

/// `provision` subcommands.
#[derive(Debug, Subcommand)]
pub enum ProvisionAction {
    /// Write tansu's schema files (`<topic>.json`) for `--schema-registry file://DIR`
    Schemas(SchemasArgs),
}

/// `provision schemas --out DIR [--check] [--env E --tenant T]`
#[derive(Debug, Args)]
pub struct SchemasArgs {
    /// Directory to write `<topic>.json` into
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write nothing; fail, naming the stale files, when the directory differs
    #[arg(long)]
    pub check: bool,
    /// Environment to fill into topic name templates
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    /// Tenant to fill into topic name templates
    #[arg(long, value_name = "TENANT")]
    pub tenant: Option<String>,
}

/// Plan output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// One line per action
    Human,
    /// The plan (and what was applied) as JSON
    Json,
}

/// Tiered storage flavours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Tiered {
    /// Not managed
    Off,
    /// Apache Kafka 3.6+: remote.storage.enable
    Kafka,
    /// Redpanda: redpanda.remote.write / redpanda.remote.read
    Redpanda,
}

impl From<Tiered> for TieredStorage {
    fn from(t: Tiered) -> Self {
        match t {
            Tiered::Off => TieredStorage::Off,
            Tiered::Kafka => TieredStorage::Kafka,
            Tiered::Redpanda => TieredStorage::Redpanda,
        }
    }
}

/// Plan, apply or check; or export schemas.
pub fn run(cx: &Context, args: &ProvisionArgs) -> CmdResult {
    if let Some(ProvisionAction::Schemas(s)) = &args.action {
        return schemas(cx, s);
    }
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let bootstrap = args
        .bootstrap
        .as_deref()
        .ok_or("`--bootstrap HOST:PORT` is required (the cluster to plan against)")?;
    broker(&catalog, bootstrap, args)
}

#[cfg(feature = "kafka")]
fn broker(catalog: &onex_codegen::Catalog, bootstrap: &str, args: &ProvisionArgs) -> CmdResult {
    crate::provision::run(catalog, bootstrap, args)
}

#[cfg(not(feature = "kafka"))]
fn broker(_: &onex_codegen::Catalog, _: &str, _: &ProvisionArgs) -> CmdResult {
    Err(
        "this onex was built without the `kafka` feature, so it cannot talk to a broker; \
         reinstall with it (`cargo install --path cli`, needs cmake) or use `provision schemas`"
            .to_owned(),
    )
}

fn schemas(cx: &Context, args: &SchemasArgs) -> CmdResult {
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let export =
        broker_schema::tansu_schemas(&catalog, args.env.as_deref(), args.tenant.as_deref())
            .map_err(|e| e.to_string())?;
    let mut plan = Plan::new();
    for f in &export.files {
        plan.file(args.out.join(&f.file), f.content.clone());
    }
    for (topic, why) in &export.skipped {
        eprintln!("skipped {topic}: {why}");
    }
    let synced = plan.sync(Mode::from_check(args.check))?;
    synced.print_changes();
    if synced.stale.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "stale: {}\nrun the same command without --check",
        synced.stale.join(", ")
    );
    Ok(ExitCode::FAILURE)
}
