//! The runtime's errors, on their own so that the layers they cross (the
//! `Topic` trait, whose payload encoders return [`CodecError`], the codec,
//! the bus and the consumer) depend on them and not on each other.

use std::fmt;

use crate::envelope_rules::EnvelopeError;
use crate::name::NameError;
use crate::pii::PiiError;
use crate::transport::TransportError;

/// Why a value could not be encoded or decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodecError {
    /// The envelope is not valid JSON of the topic's payload.
    Json(String),
    /// The payload does not encode or decode in the topic's format.
    Payload(String),
    /// A Confluent wire-format frame is malformed or missing.
    WireFormat(String),
    /// The record has no value (a tombstone) where an event was expected.
    NoValue,
    /// A PII rule refused the record, or a field did not decrypt.
    Pii(PiiError),
    /// The event breaks the catalog's envelope rules (`envelope:`).
    Envelope(EnvelopeError),
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Json(e) => write!(f, "invalid envelope: {e}"),
            CodecError::Payload(e) => write!(f, "invalid payload: {e}"),
            CodecError::WireFormat(e) => write!(f, "invalid Confluent wire format: {e}"),
            CodecError::NoValue => write!(f, "the record has no value"),
            CodecError::Pii(e) => write!(f, "{e}"),
            CodecError::Envelope(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CodecError {}

impl From<PiiError> for CodecError {
    fn from(e: PiiError) -> Self {
        CodecError::Pii(e)
    }
}

/// Why a bus operation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum BusError {
    /// The topic name could not be bound in the namespace.
    Name(NameError),
    /// The event could not be encoded (or a PII rule refused it).
    Codec(CodecError),
    /// The broker or client failed.
    Transport(TransportError),
}

impl fmt::Display for BusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BusError::Name(e) => write!(f, "{e}"),
            BusError::Codec(e) => write!(f, "cannot encode the event: {e}"),
            BusError::Transport(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BusError {}

impl From<TransportError> for BusError {
    fn from(e: TransportError) -> Self {
        BusError::Transport(e)
    }
}

/// Why an incoming record could not be handled.
#[derive(Debug)]
pub enum DispatchError<E> {
    /// The topic name is not in the catalog.
    UnknownTopic(String),
    /// The topic exists but the node does not subscribe to it.
    NotSubscribed {
        /// Node name.
        node: &'static str,
        /// Topic name.
        topic: String,
    },
    /// The value is not an envelope of the topic's payload.
    Decode {
        /// Topic name.
        topic: String,
        /// The decoding error.
        error: CodecError,
    },
    /// The record key differs from the key of its payload.
    KeyMismatch {
        /// Topic name.
        topic: String,
    },
    /// The handler failed.
    Handler(E),
}

impl<E> DispatchError<E> {
    /// Seed 000's `x-failure-class`: `handler` for handler failures (retried
    /// by the contract's policy), else why the record cannot be handled at all.
    pub fn failure_class(&self) -> &'static str {
        match self {
            DispatchError::UnknownTopic(_) | DispatchError::NotSubscribed { .. } => "routing",
            DispatchError::Decode { .. } => "deserialization",
            DispatchError::KeyMismatch { .. } => "key-mismatch",
            DispatchError::Handler(_) => "handler",
        }
    }
}

impl<E: fmt::Display> fmt::Display for DispatchError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DispatchError::UnknownTopic(t) => write!(f, "`{t}` is not a topic of the catalog"),
            DispatchError::NotSubscribed { node, topic } => {
                write!(f, "node `{node}` does not subscribe to `{topic}`")
            }
            DispatchError::Decode { topic, error } => {
                write!(f, "a record of `{topic}` does not decode: {error}")
            }
            DispatchError::KeyMismatch { topic } => {
                write!(
                    f,
                    "a record of `{topic}` has a key that differs from its payload's key"
                )
            }
            DispatchError::Handler(e) => write!(f, "the handler failed: {e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for DispatchError<E> {}
