//! `synth --topics N --nodes M --seed S --out DIR`: write a deterministic
//! synthetic catalog (see [`crate::synth`]) for benchmarks and scale tests.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::CmdResult;
use crate::discover::shown;
use crate::output::{Mode, Plan};
use crate::synth::{SynthOptions, synth};

/// `synth --topics N [--nodes M] [--seed S] --out DIR`
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Topic versions to generate
    #[arg(long, default_value_t = 100)]
    pub topics: usize,
    /// Node contracts (default: one per eight topics, so that every topic
    /// gets a publisher and a subscriber within 20 channels a node)
    #[arg(long)]
    pub nodes: Option<usize>,
    /// PRNG seed: the same seed gives the same bytes
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Directory to write the catalog into (onex.yaml at its top)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Write the catalog; files already equal are left alone.
pub fn run(args: &SynthArgs) -> CmdResult {
    let opts = SynthOptions {
        topics: args.topics,
        nodes: args.nodes.unwrap_or(args.topics.div_ceil(8)).max(1),
        seed: args.seed,
    };
    let mut plan = Plan::new();
    for (rel, text) in synth(opts) {
        plan.file(args.out.join(rel), text);
    }
    let synced = plan.sync(Mode::Write)?;
    eprintln!(
        "synthetic catalog in {}: {} topics, {} nodes, seed {} ({} of {} files written)",
        shown(&args.out),
        opts.topics,
        opts.nodes,
        opts.seed,
        synced.written.len(),
        plan.len()
    );
    Ok(ExitCode::SUCCESS)
}
