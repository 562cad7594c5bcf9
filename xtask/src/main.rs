//! `cargo xtask <command>`: repository automation for onex, a thin user of
//! `onex_cli` (the same commands, flags and exit codes as the `onex` binary)
//! with this repository's defaults filled in: the catalog `contracts/`,
//! `gen` into `generated-example/src/generated/`, `docs` into `docs/catalog/`
//! with the lint rule pages in `docs/lints/`, `schemas` into `schemas/`,
//! `asyncapi export` into `docs/asyncapi/`, `docs --format html` into
//! `docs/html/`. Plus `bench`, the scale benchmarks (issue 14), which only
//! this repository needs.
#![forbid(unsafe_code)]

mod bench;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `cargo xtask [--root DIR] <command> ...`
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Repository automation for onex: the `onex` commands with this repository's paths as defaults",
    after_help = "Defaults: --root contracts/ (or $ONEX_CATALOG), gen --out generated-example/src/generated, docs --out docs/catalog --lints-out docs/lints, schemas --out schemas, asyncapi export --out docs/asyncapi, docs --format html --out docs/html."
)]
struct Xtask {
    #[command(flatten)]
    catalog: onex_cli::CatalogArgs,
    #[command(subcommand)]
    command: XCommand,
}

#[derive(Debug, Subcommand)]
enum XCommand {
    #[command(flatten)]
    Onex(onex_cli::Command),
    /// Scale benchmarks on synthetic catalogs: a table of every stage
    Bench(bench::BenchArgs),
    /// One benchmark stage, in a process of its own (for its peak memory)
    #[command(hide = true)]
    BenchStage(bench::StageArgs),
}

fn main() -> ExitCode {
    let args = Xtask::parse();
    let repo = repo_root();
    let command = match args.command {
        XCommand::Onex(c) => c,
        XCommand::Bench(b) => return bench::run(&b, &repo),
        XCommand::BenchStage(s) => return bench::stage(&s),
    };
    let defaults = onex_cli::Defaults {
        program: "cargo xtask".to_owned(),
        catalog: Some(repo.join("contracts")),
        gen_out: Some(repo.join("generated-example/src/generated")),
        docs_out: Some(repo.join("docs/catalog")),
        lints_out: Some(repo.join("docs/lints")),
        schemas_out: Some(repo.join("schemas")),
        asyncapi_out: Some(repo.join("docs/asyncapi")),
        html_out: Some(repo.join("docs/html")),
    };
    onex_cli::run(args.catalog, command, defaults)
}

/// The repository root (xtask lives one level below it).
fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or(manifest.clone(), Path::to_path_buf)
}
