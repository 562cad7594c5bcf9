//! `docs --out DIR [--lints-out DIR] [--check]`: the catalog docs (index,
//! one page per topic and node, topology pictures) and the lint rule pages.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::discover::shown;
use crate::output::{Mode, Plan};
use crate::report::load_or_report;
use crate::{CmdResult, Context};

/// `docs [--format md|html] --out DIR [--lints-out DIR] [--check]`
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Markdown pages (for repositories that render them) or a static HTML site with search
    #[arg(long, value_enum, default_value_t = DocsFormat::Md)]
    pub format: DocsFormat,
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

/// Docs formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DocsFormat {
    /// Markdown pages
    Md,
    /// A static HTML catalog (index with search and topology, a page per topic, node and context)
    Html,
}

/// Render; exit 1 when the catalog does not load or (with `--check`) a page
/// is stale.
pub fn run(cx: &Context, args: &DocsArgs) -> CmdResult {
    let html = args.format == DocsFormat::Html;
    let default_out = if html {
        cx.defaults.html_out.as_deref()
    } else {
        cx.defaults.docs_out.as_deref()
    };
    let dir = super::out_dir(args.out.as_deref(), default_out)?;
    let lints = if html {
        None
    } else {
        args.lints_out.clone().or(cx.defaults.lints_out.clone())
    };
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let report = onex_codegen::governance::lint::lint(&catalog);
    let files = if html {
        onex_codegen::export::html::render(&catalog, &report.findings, &report.waived)?
    } else {
        onex_codegen::export::docs::render(&catalog, &report.findings, &report.waived)?
    };
    let mut plan = Plan::new();
    for (name, text) in files {
        plan.file(dir.join(name), text);
    }
    plan.own(dir.join("topics")).own(dir.join("nodes"));
    if html {
        plan.own(dir.join("contexts"));
    }
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
            if html {
                rerun.push_str(" --format html");
            }
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
