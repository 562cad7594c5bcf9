//! One module per command; [`Command`] is the clap subcommand enum that both
//! `onex` and `cargo xtask` parse.

use clap::Subcommand;

use crate::{CmdResult, Context};

pub mod acl;
pub mod asyncapi;
pub mod breaking;
pub mod check;
pub mod codes;
pub mod docs;
pub mod r#gen;
pub mod graph;
pub mod init;
pub mod lint;
pub mod new;
pub mod provision;
pub mod schemas;
pub mod synth;

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a catalog: onex.yaml, a first topic, its producer and consumer, editor schemas
    Init(init::InitArgs),
    /// Add a topic folder or a node contract to the catalog
    New(new::NewArgs),
    /// Load the catalog and print its diagnostics; fails on errors
    Check(check::CheckArgs),
    /// Run the governance rules; fails on `deny` findings
    Lint(lint::LintArgs),
    /// Generate the Rust API (onex.rs, subjects.json) into a directory
    Gen(r#gen::GenArgs),
    /// Export the publish/subscribe topology
    Graph(graph::GraphArgs),
    /// Write the catalog docs (and the lint rule pages)
    Docs(docs::DocsArgs),
    /// Report breaking changes since a git ref or an older catalog directory
    Breaking(breaking::BreakingArgs),
    /// Print least-privilege ACLs from the node contracts
    Acl(acl::AclArgs),
    /// Export the catalog as AsyncAPI 3.0 documents, or import one
    #[command(name = "asyncapi")]
    AsyncApi(asyncapi::AsyncApiArgs),
    /// Write the JSON Schemas of the contract files
    Schemas(schemas::SchemasArgs),
    /// List the diagnostic codes (markdown table rows)
    Codes,
    /// Plan, apply or check the catalog's topics on a cluster; export broker-side schemas
    Provision(provision::ProvisionArgs),
    /// Write a deterministic synthetic catalog (benchmarks, scale tests)
    Synth(synth::SynthArgs),
}

impl Command {
    /// Run the command.
    pub fn run(self, cx: &Context) -> CmdResult {
        match self {
            Command::Init(a) => init::run(&a),
            Command::New(a) => new::run(cx, &a),
            Command::Check(a) => check::run(cx, &a),
            Command::Lint(a) => lint::run(cx, &a),
            Command::Gen(a) => r#gen::run(cx, &a),
            Command::Graph(a) => graph::run(cx, &a),
            Command::Docs(a) => docs::run(cx, &a),
            Command::Breaking(a) => breaking::run(cx, &a),
            Command::Acl(a) => acl::run(cx, &a),
            Command::Schemas(a) => schemas::run(cx, &a),
            Command::AsyncApi(a) => asyncapi::run(cx, &a),
            Command::Codes => codes::run(),
            Command::Provision(a) => provision::run(cx, &a),
            Command::Synth(a) => synth::run(&a),
        }
    }
}

/// `--out`, else the caller's default, else a usage error.
fn out_dir(
    given: Option<&std::path::Path>,
    default: Option<&std::path::Path>,
) -> Result<std::path::PathBuf, String> {
    given
        .or(default)
        .map(std::path::Path::to_path_buf)
        .ok_or_else(|| "`--out DIR` is required".to_owned())
}
