//! The codec's error, on its own so that the `Topic` trait (whose payload
//! encoders return it) does not depend on the codec and the bus above it.

use std::fmt;

use crate::envelope_rules::EnvelopeError;
use crate::pii::PiiError;

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
