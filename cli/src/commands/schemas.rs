//! `schemas --out DIR [--check]`: the JSON Schemas of the contract files
//! (`onex.yaml`, `topic.yaml`, node contracts), for editors and CI, and
//! `README.md` beside them: the field reference rendered from them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::output::{Mode, Plan};
use crate::{CmdResult, Context};

/// `schemas --out DIR [--check]`
#[derive(Debug, Args)]
pub struct SchemasArgs {
    /// Directory to write the *.schema.json files and their README.md (field reference) into
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing; fail, naming the stale files, when the directory differs
    #[arg(long)]
    pub check: bool,
}

/// Write or check; exit 1 when (with `--check`) a schema is stale.
pub fn run(cx: &Context, args: &SchemasArgs) -> CmdResult {
    let dir = super::out_dir(args.out.as_deref(), cx.defaults.schemas_out.as_deref())?;
    let mut plan = Plan::new();
    for (name, text) in onex_codegen::load::contract::json_schemas() {
        plan.file(dir.join(name), text);
    }
    plan.file(
        dir.join("README.md"),
        onex_codegen::export::reference::markdown(),
    );
    let synced = plan.sync(Mode::from_check(args.check))?;
    synced.print_changes();
    if synced.stale.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let rerun = match &args.out {
        Some(d) => format!("{} schemas --out {}", cx.defaults.program, d.display()),
        None => format!("{} schemas", cx.defaults.program),
    };
    eprintln!(
        "stale: {}\nrun `{rerun}` and commit the result",
        synced.stale.join(", ")
    );
    Ok(ExitCode::FAILURE)
}
