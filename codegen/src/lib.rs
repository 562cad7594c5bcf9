//! onex-codegen: load Kafka topic contracts into one validated [`Catalog`],
//! report every problem with a located [`Diagnostic`], and (in later stages)
//! generate Rust, graphs and docs from it.
//!
//! ```no_run
//! let loaded = onex_codegen::load(std::path::Path::new("contracts"));
//! eprint!("{}", loaded.diagnostics.render_human(false));
//! let catalog = loaded.catalog.expect("no errors");
//! println!("{} topics", catalog.topics.len());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Diagnostics travel on the error path only (once per bad file), so their size
// does not matter; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod acl;
pub mod breaking;
mod build;
pub mod catalog;
pub mod contract;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod lint;
mod load;
pub mod naming;
pub mod payload;
mod resolve;
pub mod source;
mod suggest;
pub mod topology;
pub mod yaml;

pub use build::{BuildError, Builder, compile, write_if_changed};
pub use catalog::{Catalog, Topic, TopicId};
pub use diagnostic::{Code, Diagnostic, Diagnostics, Location, Severity};
pub use emit::{Generated, Options, generate};
pub use load::{NODE_FILE, NODES_DIR, SETTINGS_FILE, TOPIC_FILE};
pub use resolve::{Loaded, load, load_node};
pub use suggest::did_you_mean;
