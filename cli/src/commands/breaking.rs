//! `breaking --against REF|DIR`: breaking changes since a git ref (read with
//! git plumbing, see [`crate::git`]) or an older catalog directory. Under a
//! `_TRANSITIVE` mode a topic is also checked against its version at every
//! earlier commit that changed the catalog (the ref's history) and every
//! commit after the ref up to HEAD.

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
    /// How Protobuf records are encoded on the topic: `binary` (buf's WIRE
    /// view) or `json` (WIRE_JSON: field and enum value renames, `json_name`
    /// and the JSON mapping of types break too). Default: onex.yaml
    /// `breaking.protobuf_encoding`, else `binary`
    #[arg(long, value_enum)]
    pub protobuf_encoding: Option<ProtobufEncoding>,
    /// Under `_TRANSITIVE` modes, compare with at most this many earlier
    /// versions of the catalog from the ref's history (the most recent
    /// ones; default: all of them, as a schema registry keeps every version)
    #[arg(long, value_name = "N")]
    pub history_limit: Option<usize>,
}

/// The Protobuf encoding checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProtobufEncoding {
    /// Binary records (buf's WIRE category)
    Binary,
    /// JSON-encoded records (buf's WIRE_JSON category)
    Json,
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
    let as_dir = PathBuf::from(against);
    let mut repo_rel = None;
    let old = if as_dir.is_dir() {
        if as_dir.join(onex_codegen::SETTINGS_FILE).is_file() {
            onex_codegen::load(&as_dir)
        } else {
            onex_codegen::load(&as_dir.join("contracts"))
        }
    } else {
        let (repo, rel) = in_repo(&root)?;
        let source = crate::git::read(&repo, &rel, against).map_err(|e| e.to_string())?;
        repo_rel = Some((repo, rel));
        onex_codegen::load_from(&source)
    };
    let Some(old) = old.catalog else {
        eprint!("{}", old.diagnostics.render_human(false));
        return Err(format!(
            "the catalog at `{against}` does not load, so there is nothing to compare with"
        ));
    };
    // `_TRANSITIVE` modes also check the earlier versions (the ref's
    // history) and every later commit up to HEAD.
    let transitive = new
        .topics
        .iter()
        .any(|t| onex_codegen::governance::compat::transitive(t.schema.compatibility));
    let mut history = Vec::new();
    if let (true, Some((repo, rel))) = (transitive, &repo_rel) {
        for (commit, label) in crate::git::history(repo, rel, against, args.history_limit)
            .map_err(|e| e.to_string())?
        {
            let source = crate::git::read(repo, rel, &commit).map_err(|e| e.to_string())?;
            match onex_codegen::load_from(&source).catalog {
                Some(mut c) => {
                    // Keep only payloads not seen yet (at the ref or an
                    // earlier commit): the same schema gives the same
                    // findings, and most commits change a few topics.
                    c.topics.retain(|t| {
                        let parsed = &t.schema.payload.parsed;
                        old.topic(&t.id)
                            .is_none_or(|o| o.schema.payload.parsed != *parsed)
                            && !history.iter().any(
                                |(_, h): &(String, onex_codegen::model::Catalog)| {
                                    h.topic(&t.id)
                                        .is_some_and(|ht| ht.schema.payload.parsed == *parsed)
                                },
                            )
                    });
                    history.push((format!("commit {label}"), c));
                }
                None => eprintln!(
                    "note: the catalog at commit {label} does not load; transitive checks skip it"
                ),
            }
        }
    }
    let opts = onex_codegen::governance::breaking::Options {
        protobuf_json: match args.protobuf_encoding {
            Some(e) => e == ProtobufEncoding::Json,
            None => {
                new.settings.protobuf_encoding == onex_codegen::model::vocab::ProtobufEncoding::Json
            }
        },
        against: Some(format!("`{against}`")),
        history: history.iter().map(|(l, c)| (l.clone(), c)).collect(),
    };
    let report = onex_codegen::governance::breaking::compare_with(&old, &new, &opts);
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
