//! onex-cli: the `onex` command line over [`onex_codegen`], and the library
//! that this repository's `cargo xtask` uses for the same commands.
//!
//! Every command finds its catalog the same way ([`discover::catalog_root`]):
//! `--root DIR`, else `$ONEX_CATALOG`, else the nearest `onex.yaml` (or
//! `contracts/onex.yaml`) in the current directory or above it. Exit codes:
//! 0 ok, 1 findings or errors in the catalog, 2 usage or I/O errors.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod commands;
pub mod discover;
pub mod git;
pub mod output;
pub mod provision;
mod report;
pub mod scaffold;
pub mod synth;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser};

pub use commands::Command;

/// `onex [--root DIR] <command> ...`
#[derive(Debug, Parser)]
#[command(
    name = "onex",
    version,
    about = "Check, lint, generate, graph, document and compare a Kafka topic catalog",
    after_help = "The catalog: --root DIR, else $ONEX_CATALOG, else the nearest onex.yaml (or contracts/onex.yaml) in the current directory or above it.\nExit codes: 0 ok, 1 findings or errors in the catalog, 2 usage or I/O errors."
)]
pub struct Cli {
    /// Where the catalog is.
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The catalog option every command accepts (before or after its name).
#[derive(Clone, Debug, Default, Args)]
pub struct CatalogArgs {
    /// The catalog directory (holding onex.yaml); default: the nearest onex.yaml upward
    #[arg(long, global = true, env = "ONEX_CATALOG", value_name = "DIR")]
    pub root: Option<PathBuf>,
}

/// What a caller fills in when a flag is not given: the `onex` binary has
/// none of these (its output flags are required); `cargo xtask` points them
/// into this repository.
#[derive(Clone, Debug)]
pub struct Defaults {
    /// How the user runs the tool, for "run `...`" hints (`onex`, `cargo xtask`).
    pub program: String,
    /// The catalog when neither `--root` nor `$ONEX_CATALOG` is given
    /// (instead of searching upward).
    pub catalog: Option<PathBuf>,
    /// `gen --out`.
    pub gen_out: Option<PathBuf>,
    /// `docs --out`.
    pub docs_out: Option<PathBuf>,
    /// `docs --lints-out`.
    pub lints_out: Option<PathBuf>,
    /// `schemas --out`.
    pub schemas_out: Option<PathBuf>,
    /// `asyncapi export --out`.
    pub asyncapi_out: Option<PathBuf>,
    /// `docs --format html --out`.
    pub html_out: Option<PathBuf>,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            program: "onex".to_owned(),
            catalog: None,
            gen_out: None,
            docs_out: None,
            lints_out: None,
            schemas_out: None,
            asyncapi_out: None,
            html_out: None,
        }
    }
}

/// A command's context: the catalog option and the caller's defaults.
#[derive(Clone, Debug)]
pub struct Context {
    /// `--root` / `$ONEX_CATALOG`.
    pub catalog: CatalogArgs,
    /// The caller's defaults.
    pub defaults: Defaults,
}

impl Context {
    /// The catalog directory (see [`discover::catalog_root`]).
    pub fn root(&self) -> Result<PathBuf, String> {
        discover::catalog_root(
            self.catalog.root.as_deref(),
            self.defaults.catalog.as_deref(),
        )
    }
}

/// A command's result: `Ok` carries exit code 0 or 1; `Err` is a usage or
/// I/O error, printed as `error: ...` with exit code 2.
pub type CmdResult = Result<ExitCode, String>;

/// Run one command and turn its result into the process exit code.
pub fn run(catalog: CatalogArgs, command: Command, defaults: Defaults) -> ExitCode {
    let cx = Context { catalog, defaults };
    match command.run(&cx) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// The `onex` binary's clap command: [`Cli`] with the output directories
/// required (the binary has no defaults for them).
pub fn cli_command() -> clap::Command {
    Cli::command()
        .mut_subcommand("gen", |c| c.mut_arg("out", |a| a.required(true)))
        .mut_subcommand("docs", |c| c.mut_arg("out", |a| a.required(true)))
        .mut_subcommand("schemas", |c| c.mut_arg("out", |a| a.required(true)))
        .mut_subcommand("asyncapi", |c| {
            c.mut_subcommand("export", |c| c.mut_arg("out", |a| a.required(true)))
        })
}

/// The `onex` binary: parse the process arguments and run (clap exits with
/// code 2 on a usage error, 0 on `--help`).
pub fn main() -> ExitCode {
    // typify's panics on schemas it cannot handle become diagnostics; their
    // raw report would only repeat them.
    onex_codegen::quiet_expected_panics();
    let matches = cli_command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    run(cli.catalog, cli.command, Defaults::default())
}
