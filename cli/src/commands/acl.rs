//! `acl`: least-privilege Kafka ACLs from the node contracts.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use onex_codegen::export::acl;

use crate::report::{json, load_or_report};
use crate::{CmdResult, Context};

/// `acl [--env ENV] [--tenant T] [--format rpk|kafka-acls|json]`
#[derive(Debug, Args)]
pub struct AclArgs {
    /// Environment to fill into topic name templates
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    /// Tenant to fill into topic name templates
    #[arg(long, value_name = "TENANT")]
    pub tenant: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = AclFormat::Rpk)]
    pub format: AclFormat,
}

/// ACL formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum AclFormat {
    /// `rpk security acl create` commands
    Rpk,
    /// `kafka-acls.sh` commands
    KafkaAcls,
    /// The ACLs as JSON
    Json,
}

/// Print the ACLs; exit 1 when the catalog does not load.
pub fn run(cx: &Context, args: &AclArgs) -> CmdResult {
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let acls = acl::acls(&catalog, args.env.as_deref(), args.tenant.as_deref())
        .map_err(|e| e.to_string())?;
    match args.format {
        AclFormat::Rpk => print!("{}", acl::to_rpk(&acls)),
        AclFormat::KafkaAcls => print!("{}", acl::to_kafka_acls(&acls)),
        AclFormat::Json => println!("{}", json(&acls)?),
    }
    Ok(ExitCode::SUCCESS)
}
