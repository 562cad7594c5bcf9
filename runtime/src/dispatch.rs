//! Routing an incoming record to its node's handler: decode, check the key,
//! run the handler as the cause of what it publishes, and the consume loop
//! around it. Shared by every node; generated code adds one `match` per node
//! ([`Dispatch`]).

use crate::codec::{Codec, EventContext, handling};
use crate::consumer::{NodeConsumer, Outcome};
use crate::envelope::Envelope;
use crate::error::{BusError, DispatchError};
use crate::node::Node;
use crate::topic::Topic;
use crate::transport::{IncomingRecord, Transport};

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
    let event = decode::<T, E>(codec, record)?;
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
            Err(BusError::Transport(e)) if e.is_retriable() => pause().await,
            Err(e) => return e,
        }
    }
}

/// Decode `record` as an envelope of topic `T` and check its key (used by
/// generated dispatchers).
pub fn decode<T: Topic, E>(
    codec: &Codec,
    record: &IncomingRecord,
) -> Result<Envelope<T::Payload>, DispatchError<E>> {
    let event = codec
        .decode::<T>(record)
        .map_err(|error| DispatchError::Decode {
            topic: record.topic.clone(),
            error,
        })?;
    if Codec::key_matches::<T>(record, &event) {
        Ok(event)
    } else {
        Err(DispatchError::KeyMismatch {
            topic: record.topic.clone(),
        })
    }
}

/// A short wait before retrying after a retriable broker error.
async fn pause() {
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
}
