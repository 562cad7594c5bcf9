//! `onex provision`'s flags (`args`, always built) and its broker side
//! (`broker`: the Kafka admin client, with the default feature `kafka`).

pub mod args;
#[cfg(feature = "kafka")]
pub mod broker;
#[cfg(feature = "kafka")]
pub use broker::*;
