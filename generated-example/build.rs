//! Generates the typed topic API from the repository's contracts into
//! `OUT_DIR/onex.rs`, which `src/lib.rs` includes.

fn main() {
    // Formatted: a test compares it with the checked-in `src/generated/onex.rs`.
    if let Err(e) = onex_codegen::Builder::new("../contracts")
        .format(true)
        .build()
    {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
