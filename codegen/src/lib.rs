//! onex-codegen: load Kafka topic contracts into one validated [`Catalog`],
//! report every problem with a located [`Diagnostic`], and generate Rust,
//! graphs, docs, lints and breaking-change reports from it.
//!
//! The layers, each depending only on those before it:
//!
//! ```text
//! diagnostic        codes, locations, rendering; source text positions
//!   ← model         the validated Catalog and its vocabulary (no I/O)
//!   ← load          files → model: discovery, YAML, schemas, resolution
//!   ← governance    lints and breaking-change rules over the model
//!   ← emit          Rust code from the model
//!   ← export        graphs, docs, ACLs from the model
//!   ← build         Builder: load + emit + write, for build.rs
//! ```
//!
//! ```no_run
//! let loaded = onex_codegen::load(std::path::Path::new("contracts"));
//! eprint!("{}", loaded.diagnostics.render_human(false));
//! let catalog = loaded.catalog.expect("no errors");
//! println!("{} topics", catalog.topics.len());
//! ```
//!
//! Features (all on by default): `governance` (lints, breaking-change
//! check), `export` (graphs, docs, ACLs; pulls in askama), `format`
//! (prettyplease-formatted output; pulls in syn 3). A build script or proc
//! macro needs none of them: `default-features = false` keeps the cold
//! build of a consuming crate to load + emit.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Diagnostics travel on the error path only (once per bad file), so their size
// does not matter; boxing them would only add noise.
#![allow(clippy::result_large_err)]

mod build;
pub mod diagnostic;
pub mod emit;
#[cfg(feature = "export")]
pub mod export;
#[cfg(feature = "governance")]
pub mod governance;
pub mod load;
pub mod model;

pub use build::{BuildError, Builder, compile, write_if_changed};
pub use diagnostic::panics::quiet_expected_panics;
pub use diagnostic::suggest::did_you_mean;
pub use diagnostic::{Code, Diagnostic, Diagnostics, Location, Severity};
pub use emit::{Generated, GeneratedTokens, Options, generate, generate_tokens};
pub use load::{
    DiskSource, FileSource, Loaded, MemorySource, NODE_FILE, NODES_DIR, SETTINGS_FILE, TOPIC_FILE,
    load, load_from, load_in_memory, load_node, load_node_against,
};
pub use model::{Catalog, Topic, TopicId};
