//! What a catalog's `envelope:` setting says about its records: which
//! fields they carry, which are required (always or for a class), and how
//! `event_id` is minted. The generated code gives each topic its rules
//! ([`Topic::ENVELOPE`](crate::Topic::ENVELOPE)); producers refuse to send,
//! and consumers to accept, a record that breaks them. The checks that read
//! an envelope are in `envelope.rs`, so that these rules stay a leaf the
//! envelope and the topic both use.

use std::fmt;

/// A field of the canonical [`Envelope`](crate::Envelope).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EnvelopeField {
    /// `event_id`.
    EventId,
    /// `event_type`.
    EventType,
    /// `source`.
    Source,
    /// `correlation_id`.
    CorrelationId,
    /// `causation_id`.
    CausationId,
    /// `timestamp`.
    Timestamp,
    /// `occurred_at`.
    OccurredAt,
    /// `emitted_at`.
    EmittedAt,
    /// `tenant_id`.
    TenantId,
    /// `schema_version`.
    SchemaVersion,
    /// `version`.
    Version,
    /// `partition_key`.
    PartitionKey,
    /// `ttl`.
    Ttl,
    /// `metadata`.
    Metadata,
}

impl EnvelopeField {
    /// Every field but the payload, in the order the envelope serialises them.
    pub const ALL: [EnvelopeField; 14] = [
        EnvelopeField::EventId,
        EnvelopeField::EventType,
        EnvelopeField::Source,
        EnvelopeField::CorrelationId,
        EnvelopeField::CausationId,
        EnvelopeField::Timestamp,
        EnvelopeField::OccurredAt,
        EnvelopeField::EmittedAt,
        EnvelopeField::TenantId,
        EnvelopeField::SchemaVersion,
        EnvelopeField::Version,
        EnvelopeField::PartitionKey,
        EnvelopeField::Ttl,
        EnvelopeField::Metadata,
    ];

    /// The field's name on the wire.
    pub const fn name(self) -> &'static str {
        match self {
            EnvelopeField::EventId => "event_id",
            EnvelopeField::EventType => "event_type",
            EnvelopeField::Source => "source",
            EnvelopeField::CorrelationId => "correlation_id",
            EnvelopeField::CausationId => "causation_id",
            EnvelopeField::Timestamp => "timestamp",
            EnvelopeField::OccurredAt => "occurred_at",
            EnvelopeField::EmittedAt => "emitted_at",
            EnvelopeField::TenantId => "tenant_id",
            EnvelopeField::SchemaVersion => "schema_version",
            EnvelopeField::Version => "version",
            EnvelopeField::PartitionKey => "partition_key",
            EnvelopeField::Ttl => "ttl",
            EnvelopeField::Metadata => "metadata",
        }
    }
}

impl fmt::Display for EnvelopeField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a producer mints `event_id`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventIdFlavour {
    /// Random UUIDs (seeds 001 and 002).
    UuidV4,
    /// Time-ordered UUIDs (seed 004; the default).
    #[default]
    UuidV7,
}

impl EventIdFlavour {
    /// A new id of this flavour.
    pub fn mint(self) -> String {
        match self {
            EventIdFlavour::UuidV4 => uuid::Uuid::new_v4().to_string(),
            EventIdFlavour::UuidV7 => uuid::Uuid::now_v7().to_string(),
        }
    }
}

/// The envelope rules of one topic: the catalog's envelope with the fields
/// its class requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnvelopeRules {
    /// How `event_id` is minted.
    pub event_id: EventIdFlavour,
    /// The fields records carry; `None`: every field of [`Envelope`](crate::Envelope).
    pub fields: Option<&'static [EnvelopeField]>,
    /// The fields a record must carry.
    pub required: &'static [EnvelopeField],
}

impl EnvelopeRules {
    /// onex's superset envelope: every field, only `event_id` and
    /// `event_type` (and the payload) required; what a catalog without
    /// `envelope:` uses.
    pub const SUPERSET: EnvelopeRules = EnvelopeRules {
        event_id: EventIdFlavour::UuidV7,
        fields: None,
        required: &[EnvelopeField::EventId, EnvelopeField::EventType],
    };

    /// Does the envelope carry `field`?
    pub fn uses(&self, field: EnvelopeField) -> bool {
        self.fields.is_none_or(|f| f.contains(&field))
    }
}

impl Default for EnvelopeRules {
    fn default() -> Self {
        EnvelopeRules::SUPERSET
    }
}

/// An event that breaks its topic's envelope rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// A field the catalog requires for this topic is not set.
    Missing(EnvelopeField),
    /// A field is set that the catalog's envelope does not have.
    NotInEnvelope(EnvelopeField),
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvelopeError::Missing(x) => write!(
                f,
                "envelope field `{x}` is required by the catalog (onex.yaml `envelope:`) but not set"
            ),
            EnvelopeError::NotInEnvelope(x) => write!(
                f,
                "envelope field `{x}` is set but is not part of the catalog's envelope (onex.yaml `envelope:`)"
            ),
        }
    }
}

impl std::error::Error for EnvelopeError {}
