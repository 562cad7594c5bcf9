//! Nodes and what they may publish and subscribe: the compile-time half of a
//! node contract's `event_channels`.

use crate::policy::Subscription;
use crate::topic::Topic;

/// A node contract (seed 001 §13): implemented by generated node types and
/// by structs annotated with `#[onex::node]`.
pub trait Node: 'static {
    /// Node name (`registry-effect`).
    const NAME: &'static str;
    /// Node type (`EFFECT`, ...).
    const NODE_TYPE: &'static str;
    /// Node version.
    const VERSION: &'static str;
    /// Consumer group of its subscriptions.
    const CONSUMER_GROUP: &'static str;
    /// The `contract.yaml` it comes from, relative to the catalog root.
    const CONTRACT: &'static str;
    /// Its subscriptions (`event_channels.subscribes`), with each topic's
    /// failure policy: what its consumer reads.
    const SUBSCRIPTIONS: &'static [Subscription] = &[];
}

/// `N: Publishes<T>`: node `N`'s contract lists topic `T` under
/// `event_channels.publishes`. Generated per node from its contract; the
/// generated impls go through a node-specific trait whose error message names
/// the contract file to edit.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not publish `{T}`",
    label = "this topic is not in the node's `event_channels.publishes`",
    note = "add the topic under `event_channels.publishes` in the node's contract.yaml and regenerate"
)]
pub trait Publishes<T: Topic>: Node {}

/// `N: Subscribes<T>`: node `N`'s contract lists topic `T` under
/// `event_channels.subscribes`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not subscribe to `{T}`",
    label = "this topic is not in the node's `event_channels.subscribes`",
    note = "add the topic under `event_channels.subscribes` in the node's contract.yaml and regenerate"
)]
pub trait Subscribes<T: Topic>: Node {}
