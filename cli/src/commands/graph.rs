//! `graph`: the publish/subscribe topology as dot, mermaid, JSON or SVG.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use onex_codegen::export::topology::Graph;

use crate::report::load_or_report;
use crate::{CmdResult, Context};

/// `graph [--format dot|mermaid|json|svg] [--out FILE]`
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
    /// File to write (default: stdout)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Graph formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz dot
    Dot,
    /// Mermaid flowchart
    Mermaid,
    /// Nodes and edges as JSON
    Json,
    /// A self-contained SVG picture
    Svg,
}

/// Export the graph; exit 1 when the catalog does not load.
pub fn run(cx: &Context, args: &GraphArgs) -> CmdResult {
    let root = cx.root()?;
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let text = match args.format {
        GraphFormat::Dot => Graph::new(&catalog, false).to_dot(),
        GraphFormat::Mermaid => Graph::new(&catalog, false).to_mermaid(),
        GraphFormat::Svg => Graph::new(&catalog, false).to_svg(),
        GraphFormat::Json => Graph::new(&catalog, false).to_json(),
    };
    match &args.out {
        Some(path) => {
            onex_codegen::write_if_changed(path, &text)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
