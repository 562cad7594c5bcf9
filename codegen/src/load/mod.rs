//! Files → model: discover a catalog's files under its root, parse each one
//! once (YAML contracts, JSON Schema, Protobuf, Avro, samples), resolve every
//! cross-reference and check every invariant, and hand back a validated
//! [`crate::model::Catalog`] or every problem found, located.

pub mod contract;
mod globs;
pub(crate) mod reader;
mod resolve;
pub(crate) mod schema;
pub mod source;
pub mod yaml;

pub use reader::{NODE_FILE, NODES_DIR, SETTINGS_FILE, TOPIC_FILE};
pub use resolve::{Loaded, load, load_from, load_in_memory, load_node, load_node_against};
pub use source::{DiskSource, FileSource, Kind, MemorySource};
