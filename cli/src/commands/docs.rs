//! `docs --out DIR [--lints-out DIR] [--check]`: the catalog docs (index,
//! one page per topic and node, topology pictures) and the lint rule pages.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::discover::shown;
use crate::output::{Mode, Plan};
use crate::report::load_or_report;
use crate::{CmdResult, Context};

/// `docs --out DIR [--lints-out DIR] [--check]`
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Directory for the catalog docs (its topics/ and nodes/ are owned: stale pages are deleted)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Directory for the lint rule pages (not written when absent)
    #[arg(long, value_name = "DIR")]
    pub lints_out: Option<PathBuf>,
    /// Write nothing; fail, naming the stale files, when the docs differ
    #[arg(long)]
    pub check: bool,
}

/// Render; exit 1 when the catalog does not load or (with `--check`) a page
/// is stale.
pub fn run(cx: &Context, args: &DocsArgs) -> CmdResult {
    let dir = super::out_dir(args.out.as_deref(), cx.defaults.docs_out.as_deref())?;
    let lints = args.lints_out.clone().or(cx.defaults.lints_out.clone());
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let report = onex_codegen::governance::lint::lint(&catalog);
    let files = onex_codegen::export::docs::render(&catalog, &report.findings, &report.waived)?;
    let mut plan = Plan::new();
    for (name, text) in files {
        plan.file(dir.join(name), text);
    }
    plan.own(dir.join("topics")).own(dir.join("nodes"));
    if let Some(lints) = &lints {
        for (name, text) in onex_codegen::governance::lint::pages() {
            plan.file(lints.join(name), text);
        }
    }
    let mode = Mode::from_check(args.check);
    let synced = plan.sync(mode)?;
    let n = plan.len();
    match mode {
        Mode::Check if !synced.stale.is_empty() => {
            let mut rerun = format!("{} docs", cx.defaults.program);
            if let Some(d) = &args.out {
                rerun.push_str(&format!(" --out {}", d.display()));
            }
            if let Some(d) = &args.lints_out {
                rerun.push_str(&format!(" --lints-out {}", d.display()));
            }
            eprintln!(
                "stale docs in {}: {}\nrun `{rerun}` and commit the result",
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
