//! `codes`: the diagnostic codes, as markdown table rows.

use std::process::ExitCode;

use crate::CmdResult;

/// Print `| code | summary |` for every diagnostic code.
pub fn run() -> CmdResult {
    for c in onex_codegen::Code::ALL {
        println!("| {} | {} |", c.as_str(), c.summary());
    }
    Ok(ExitCode::SUCCESS)
}
