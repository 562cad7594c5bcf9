//! `check`: load the catalog and print its diagnostics.

use clap::{Args, ValueEnum};

use crate::report::{color, exit};
use crate::{CmdResult, Context};

/// `check [--format human|json]`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

/// How `check` prints.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with source excerpts on stderr, then a summary
    Human,
    /// The diagnostics as JSON on stdout
    Json,
}

/// Load and report; exit 1 when the catalog has errors.
pub fn run(cx: &Context, args: &CheckArgs) -> CmdResult {
    let root = cx.root()?;
    let loaded = onex_codegen::load(&root);
    match args.format {
        CheckFormat::Json => println!("{}", loaded.diagnostics.render_json()),
        CheckFormat::Human => {
            eprint!("{}", loaded.diagnostics.render_human(color()));
            if let Some(c) = &loaded.catalog {
                eprintln!(
                    "catalog `{}`: {} topics, {} nodes, {} edges",
                    root.display(),
                    c.topics.len(),
                    c.nodes.len(),
                    c.edges.len()
                );
            }
        }
    }
    Ok(exit(loaded.diagnostics.has_errors()))
}
