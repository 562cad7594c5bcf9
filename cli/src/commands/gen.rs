//! `gen --out DIR [--check] [--topics GLOB] [--node NAME]`: generate the
//! Rust API (or part of it) into a directory, or check that it is up to
//! date there.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::discover::shown;
use crate::output::{Mode, Plan};
use crate::{CmdResult, Context};

/// `gen --out DIR [--check]`
#[derive(Debug, Args)]
pub struct GenArgs {
    /// Directory to write onex.rs and subjects.json into
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing; fail, naming the stale files, when the directory differs
    #[arg(long)]
    pub check: bool,
    /// Keep each topic's generated code in DIR between runs, so that after
    /// one contract changed only that topic is generated again (the output
    /// is the same)
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Generate only the topics matching GLOB (a wire name such as
    /// `{env}.acme.billing.*` or a contract path such as `billing/evt/*/v1`),
    /// with the retry, dead-letter and reply topics they link to; repeatable
    #[arg(long = "topics", value_name = "GLOB")]
    pub topics: Vec<String>,
    /// Generate only node NAME and the topics it publishes and subscribes
    /// to; repeatable
    #[arg(long = "node", value_name = "NAME")]
    pub nodes: Vec<String>,
}

/// Generate; exit 1 on catalog errors or (with `--check`) stale files.
pub fn run(cx: &Context, args: &GenArgs) -> CmdResult {
    let dir = super::out_dir(args.out.as_deref(), cx.defaults.gen_out.as_deref())?;
    let root = cx.root()?;
    let started = std::time::Instant::now();
    let mut builder = onex_codegen::Builder::new(&root);
    builder
        .cargo_instructions(false)
        .cache_dir(args.cache.clone());
    for glob in &args.topics {
        builder.topics(glob.clone());
    }
    for node in &args.nodes {
        builder.node(node.clone());
    }
    let generated = match builder.generate() {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let elapsed = started.elapsed();
    let mut plan = Plan::new();
    for (name, text) in generated.files() {
        plan.file(dir.join(name), text.to_owned());
    }
    let mode = Mode::from_check(args.check);
    let synced = plan.sync(mode)?;
    synced.print_changes();
    if !synced.stale.is_empty() {
        let rerun = match &args.out {
            Some(d) => format!("{} gen --out {}", cx.defaults.program, d.display()),
            None => format!("{} gen", cx.defaults.program),
        };
        eprintln!(
            "stale generated code: {}\nthe contracts changed; run `{rerun}` and commit the result",
            synced.stale.join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }
    match mode {
        Mode::Check => eprintln!("{} is up to date", shown(&dir)),
        Mode::Write => eprintln!("generated in {elapsed:.0?}"),
    }
    Ok(ExitCode::SUCCESS)
}
