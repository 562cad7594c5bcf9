//! `breaking --against REF|DIR`: breaking changes since a git ref (read with
//! git plumbing, see [`crate::git`]) or an older catalog directory.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::commands::lint::sarif_prefix;
use crate::report::{exit, json, load_or_report, print_findings};
use crate::{CmdResult, Context};

/// `breaking --against REF|DIR [--format human|json|sarif]`
#[derive(Debug, Args)]
pub struct BreakingArgs {
    /// A git ref (`HEAD~1`, `origin/main`) or a directory holding the older catalog
    #[arg(long, value_name = "REF|DIR")]
    pub against: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = BreakingFormat::Human)]
    pub format: BreakingFormat,
}

/// Breaking report formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum BreakingFormat {
    /// Findings with source excerpts on stderr
    Human,
    /// The report as JSON on stdout
    Json,
    /// SARIF 2.1.0 on stdout, for code-scanning UIs (paths relative to the current directory)
    Sarif,
}

/// Compare; exit 1 on breaking changes, 2 when the older catalog cannot be read.
pub fn run(cx: &Context, args: &BreakingArgs) -> CmdResult {
    let against = &args.against;
    let root = cx.root()?;
    let Some(new) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let as_dir = PathBuf::from(against);
    let old_root = if as_dir.is_dir() {
        if as_dir.join(onex_codegen::SETTINGS_FILE).is_file() {
            as_dir
        } else {
            as_dir.join("contracts")
        }
    } else {
        let (repo, rel) = in_repo(&root)?;
        crate::git::checkout(&repo, &rel, against, tmp.path()).map_err(|e| e.to_string())?;
        tmp.path().to_path_buf()
    };
    let old = onex_codegen::load(&old_root);
    let Some(old) = old.catalog else {
        eprint!("{}", old.diagnostics.render_human(false));
        return Err(format!(
            "the catalog at `{against}` does not load, so there is nothing to compare with"
        ));
    };
    let report = onex_codegen::governance::breaking::compare(&old, &new);
    match args.format {
        BreakingFormat::Json => println!("{}", json(&report)?),
        BreakingFormat::Sarif => print!(
            "{}",
            onex_codegen::governance::sarif::to_sarif(
                &report.findings,
                &report.waived,
                &sarif_prefix(&root)
            )
        ),
        BreakingFormat::Human => {
            print_findings(&report.findings, &report.waived, &root);
            eprintln!(
                "compared {} topic versions against `{against}`",
                report.compared
            );
        }
    }
    Ok(exit(report.findings.iter().any(|f| f.is_error())))
}

/// The git work tree holding the catalog, and the catalog's path inside it.
fn in_repo(root: &Path) -> Result<(PathBuf, PathBuf), String> {
    let abs = std::path::absolute(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let canon = abs.canonicalize().unwrap_or(abs);
    let repo = crate::git::toplevel(&canon).ok_or_else(|| {
        format!(
            "`{}` is not in a git work tree, so `--against` must be a directory",
            root.display()
        )
    })?;
    let repo = repo.canonicalize().unwrap_or(repo);
    let rel = canon
        .strip_prefix(&repo)
        .map(Path::to_path_buf)
        .map_err(|_| format!("`{}` is not inside `{}`", canon.display(), repo.display()))?;
    Ok((repo, rel))
}
