//! Loads the repository's catalog at build time and fails the build with
//! located diagnostics when it is invalid. (Full code generation arrives with
//! the Rust-emission stage; today the crate gets the list of topic names.)

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../contracts");
    let loaded = onex_codegen::load(&root);
    let catalog = match loaded.catalog {
        Some(c) => c,
        None => {
            eprint!("{}", loaded.diagnostics.render_human(false));
            std::process::exit(1);
        }
    };
    // Exactly the files and directories read: a changed contract or a new
    // topic folder re-runs this script; nothing else does.
    for f in &catalog.files {
        println!("cargo:rerun-if-changed={}", root.join(f).display());
    }
    for d in &catalog.dirs {
        println!("cargo:rerun-if-changed={}", root.join(d).display());
    }
    let mut out = String::from(
        "/// Every topic's wire-name template, sorted by topic identity.\npub const TOPIC_NAMES: &[&str] = &[\n",
    );
    for t in &catalog.topics {
        out.push_str(&format!("    {:?},\n", t.name.to_string()));
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    if let Err(e) = std::fs::write(out_dir.join("topic_names.rs"), out) {
        eprintln!("cannot write topic_names.rs: {e}");
        std::process::exit(1);
    }
}
