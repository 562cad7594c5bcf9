//! Nodes and what they may publish and subscribe: the compile-time half of a
//! node contract's `event_channels`.

use crate::bus::{BusError, DispatchError};
use crate::codec::{Codec, EventContext, handling};
use crate::consumer::{NodeConsumer, Outcome};
use crate::envelope::Envelope;
use crate::policy::Subscription;
use crate::topic::Topic;
use crate::transport::{IncomingRecord, Transport};

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

/// Routing of incoming records to the handlers `H` of node `Self`:
/// generated per node for every type implementing its handler trait (the
/// node type is `Self`, so the impl is allowed in the crate that includes
/// the generated code). The loop around it, [`handle_next`] and [`run`], is
/// shared by every node instead of generated per node.
pub trait Dispatch<H>: Node {
    /// The handlers' error.
    type Error: core::fmt::Display + Send;

    /// Decode `record` with `codec` (format, wire format, PII), check its
    /// key, and run its handler as the cause of what the handler publishes.
    /// Unknown topics, topics the node does not subscribe to, undecodable
    /// values and keys that differ from the payload's are typed errors.
    fn dispatch<'a>(
        handlers: &'a mut H,
        codec: &'a Codec,
        record: &'a IncomingRecord,
    ) -> impl Future<Output = Result<(), DispatchError<Self::Error>>> + Send + 'a;
}

/// One dispatch arm: decode `record` as topic `T`, check its key, and run
/// `handler` (a handler method of `handlers`) on the envelope as the cause
/// of what it publishes.
///
/// # Errors
///
/// Decoding and key errors, and the handler's own.
pub async fn handle<'a, T, H, E, F, G>(
    codec: &Codec,
    record: &IncomingRecord,
    handlers: &'a mut H,
    handler: G,
) -> Result<(), DispatchError<E>>
where
    T: Topic,
    G: FnOnce(&'a mut H, Envelope<T::Payload>) -> F,
    F: Future<Output = Result<(), E>>,
{
    let event = crate::bus::decode::<T, E>(codec, record)?;
    let cause = EventContext::of(&event);
    handling(cause, handler(handlers, event))
        .await
        .map_err(DispatchError::Handler)
}

/// Take the next record from `consumer` (node `N`'s), hand it to its
/// handler in `handlers`, and settle it: commit on success, else retry or
/// dead-letter by the topic's contract.
///
/// # Errors
///
/// The transport's.
pub async fn handle_next<Tr: Transport, N: Dispatch<H>, H: Send>(
    handlers: &mut H,
    consumer: &mut NodeConsumer<Tr, N>,
) -> Result<Outcome, BusError> {
    let delivered = consumer.next().await?;
    let codec = consumer.codec();
    let result = N::dispatch(handlers, &codec, &delivered.record).await;
    consumer.settle(delivered, result).await
}

/// [`handle_next`] until the transport fails for good (the error it
/// returns); retriable broker errors are waited out.
pub async fn run<Tr: Transport, N: Dispatch<H>, H: Send>(
    handlers: &mut H,
    consumer: &mut NodeConsumer<Tr, N>,
) -> BusError {
    loop {
        match handle_next(handlers, consumer).await {
            Ok(_) => {}
            Err(BusError::Transport(e)) if e.is_retriable() => crate::__private::pause().await,
            Err(e) => return e,
        }
    }
}
