//! `onex`: the command line (see `onex --help`).
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    onex_cli::main()
}
