//! The flags of `onex provision`, apart from the command that runs them so
//! that the broker side (`broker`, feature `kafka`) can read them
//! without importing the command layer above it.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use onex_codegen::export::provision::TieredStorage;

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
