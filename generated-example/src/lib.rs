//! A crate that consumes the repository's contracts: `build.rs` generates the
//! typed API into `OUT_DIR`, included here. `src/generated/` holds the same
//! code checked in for reading (written by `cargo xtask gen`).
#![forbid(unsafe_code)]

include!(concat!(env!("OUT_DIR"), "/onex.rs"));

/// The heartbeat topic, checked against the catalog at compile time.
pub const HEARTBEAT: &str = onex::topic_name!("../contracts", "onex.node.heartbeat.published.v1");

pub mod registry;
