//! Generates the typed topic API from the repository's contracts into
//! `OUT_DIR/onex.rs`, which `src/lib.rs` includes.

fn main() {
    if let Err(e) = onex_codegen::Builder::new("../contracts").build() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
