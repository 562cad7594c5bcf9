//! `asyncapi export --out DIR [--check]`: AsyncAPI 3.0 documents of the
//! catalog (one for the catalog, one per node); `asyncapi import FILE --out
//! DIR`: a new catalog folder from an AsyncAPI 3.0 or 2.6 document.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::discover::shown;
use crate::output::{Mode, Plan};
use crate::report::load_or_report;
use crate::{CmdResult, Context};

/// `asyncapi <export|import>`
#[derive(Debug, Args)]
pub struct AsyncApiArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: AsyncApiAction,
}

/// AsyncAPI actions.
#[derive(Debug, Subcommand)]
pub enum AsyncApiAction {
    /// Write AsyncAPI 3.0 documents: catalog.asyncapi.json and nodes/<node>.asyncapi.json
    Export(ExportArgs),
    /// Turn an AsyncAPI 3.0 or 2.6 document into a new catalog folder (then checks it)
    Import(ImportArgs),
}

/// `asyncapi import FILE --out DIR`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The AsyncAPI document (JSON or YAML)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The new catalog folder (must be empty or absent)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `asyncapi export --out DIR [--check]`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Directory for the documents (its nodes/ is owned: stale documents are deleted)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing; fail, naming the stale files, when the documents differ
    #[arg(long)]
    pub check: bool,
}

/// Run an AsyncAPI action.
pub fn run(cx: &Context, args: &AsyncApiArgs) -> CmdResult {
    match &args.action {
        AsyncApiAction::Export(a) => export(cx, a),
        AsyncApiAction::Import(a) => import(a),
    }
}

fn import(args: &ImportArgs) -> CmdResult {
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    if args.out.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(format!(
            "{} is not empty; import into a new folder",
            args.out.display()
        ));
    }
    let shown_file = args.file.display().to_string();
    let imported = onex_codegen::export::asyncapi_import::import(&shown_file, &text);
    let mut diags = onex_codegen::Diagnostics::default();
    diags.add_source(&shown_file, text.into());
    let failed = imported.diagnostics.iter().any(|d| d.is_error());
    for d in imported.diagnostics {
        diags.push(d);
    }
    eprint!("{}", diags.render_human(false));
    if failed {
        return Ok(ExitCode::FAILURE);
    }
    for (name, text) in &imported.files {
        let p = args.out.join(name);
        onex_codegen::write_if_changed(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    eprintln!(
        "wrote {} ({} files); checking it",
        shown(&args.out),
        imported.files.len()
    );
    match load_or_report(&args.out) {
        Some(c) => {
            eprintln!(
                "{}: {} topics, {} nodes",
                shown(&args.out),
                c.topics.len(),
                c.nodes.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        None => Ok(ExitCode::FAILURE),
    }
}

fn export(cx: &Context, args: &ExportArgs) -> CmdResult {
    let dir = super::out_dir(args.out.as_deref(), cx.defaults.asyncapi_out.as_deref())?;
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let mut plan = Plan::new();
    for (name, text) in onex_codegen::export::asyncapi::render(&catalog) {
        plan.file(dir.join(name), text);
    }
    plan.own(dir.join("nodes"));
    let mode = Mode::from_check(args.check);
    let synced = plan.sync(mode)?;
    let n = plan.len();
    match mode {
        Mode::Check if !synced.stale.is_empty() => {
            let mut rerun = format!("{} asyncapi export", cx.defaults.program);
            if let Some(d) = &args.out {
                rerun.push_str(&format!(" --out {}", d.display()));
            }
            eprintln!(
                "stale AsyncAPI documents in {}: {}\nrun `{rerun}` and commit the result",
                shown(&dir),
                synced.stale.join(", ")
            );
            Ok(ExitCode::FAILURE)
        }
        Mode::Check => {
            eprintln!("{} is up to date ({n} files)", shown(&dir));
            Ok(ExitCode::SUCCESS)
        }
        Mode::Write => {
            for p in &synced.removed {
                eprintln!("removed {}", shown(p));
            }
            eprintln!("wrote {} ({n} files)", shown(&dir));
            Ok(ExitCode::SUCCESS)
        }
    }
}
