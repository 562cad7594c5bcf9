//! `lint`: the governance rules (`--list`, `--explain ID`, or run them).

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use onex_codegen::governance::lint::{explain, lint, sarif};
use onex_codegen::model::rules::{LINT_RULES, rule};

use crate::report::{exit, json, load_or_report, print_findings};
use crate::{CmdResult, Context};

/// `lint [--format human|json|sarif] | --list | --explain ID`
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// List the rules (id, default level, category, summary)
    #[arg(long, conflicts_with = "explain")]
    pub list: bool,
    /// Print the page of one rule
    #[arg(long, value_name = "ID")]
    pub explain: Option<String>,
}

/// Lint output formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LintFormat {
    /// Findings with source excerpts on stderr
    Human,
    /// The report as JSON on stdout
    Json,
    /// SARIF 2.1.0 on stdout, paths relative to the git work tree
    Sarif,
}

/// List, explain or lint; exit 1 on `deny` findings.
pub fn run(cx: &Context, args: &LintArgs) -> CmdResult {
    if args.list {
        for r in LINT_RULES {
            println!(
                "{:<28} {:<5} {:<10} {}",
                r.id,
                format!("{:?}", r.default).to_lowercase(),
                format!("{:?}", r.category).to_lowercase(),
                r.summary
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(id) = &args.explain {
        return match rule(id) {
            Some(r) => {
                print!("{}", explain(r));
                Ok(ExitCode::SUCCESS)
            }
            None => {
                let hint = onex_codegen::did_you_mean(id, LINT_RULES.iter().map(|r| r.id))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                Err(format!(
                    "no rule `{id}`{hint} (`{} lint --list` lists them)",
                    cx.defaults.program
                ))
            }
        };
    }
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let report = lint(&catalog);
    match args.format {
        LintFormat::Human => print_findings(&report.findings, &report.waived, &root),
        LintFormat::Json => println!("{}", json(&report)?),
        LintFormat::Sarif => {
            let prefix = sarif_prefix(&root);
            print!("{}", sarif(&report, &prefix));
        }
    }
    Ok(exit(report.findings.iter().any(|f| f.is_error())))
}

/// The catalog root relative to the repository (the git work tree when there
/// is one, else the current directory), as SARIF result paths start.
pub(crate) fn sarif_prefix(root: &std::path::Path) -> String {
    let abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let base = crate::git::toplevel(&abs)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let canon = abs.canonicalize().unwrap_or(abs);
    let base = base.canonicalize().unwrap_or(base);
    canon
        .strip_prefix(&base)
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| format!("{}/", p.display()))
        .unwrap_or_default()
}
