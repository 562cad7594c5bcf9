//! What a catalog's `envelope:` setting says about its records: which
//! fields they carry, which are required (always or for a class), and how
//! `event_id` is minted. The generated code gives each topic its rules
//! ([`Topic::ENVELOPE`](crate::Topic::ENVELOPE)); producers refuse to send,
//! and consumers to accept, a record that breaks them.

use std::fmt;

use crate::envelope::Envelope;

/// A field of the canonical [`Envelope`].
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

    /// Is the field set in `e`? (`event_id` and `event_type` when not empty.)
    pub fn is_set<P>(self, e: &Envelope<P>) -> bool {
        match self {
            EnvelopeField::EventId => !e.event_id.is_empty(),
            EnvelopeField::EventType => !e.event_type.is_empty(),
            EnvelopeField::Source => e.source.is_some(),
            EnvelopeField::CorrelationId => e.correlation_id.is_some(),
            EnvelopeField::CausationId => e.causation_id.is_some(),
            EnvelopeField::Timestamp => e.timestamp.is_some(),
            EnvelopeField::OccurredAt => e.occurred_at.is_some(),
            EnvelopeField::EmittedAt => e.emitted_at.is_some(),
            EnvelopeField::TenantId => e.tenant_id.is_some(),
            EnvelopeField::SchemaVersion => e.schema_version.is_some(),
            EnvelopeField::Version => e.version.is_some(),
            EnvelopeField::PartitionKey => e.partition_key.is_some(),
            EnvelopeField::Ttl => e.ttl.is_some(),
            EnvelopeField::Metadata => e.metadata.is_some(),
        }
    }

    /// The value of a text field (`correlation_id`, `tenant_id`, ...).
    pub fn text<P>(self, e: &Envelope<P>) -> Option<&str> {
        match self {
            EnvelopeField::EventId => Some(&e.event_id),
            EnvelopeField::EventType => Some(&e.event_type),
            EnvelopeField::CorrelationId => e.correlation_id.as_deref(),
            EnvelopeField::CausationId => e.causation_id.as_deref(),
            EnvelopeField::Timestamp => e.timestamp.as_deref(),
            EnvelopeField::OccurredAt => e.occurred_at.as_deref(),
            EnvelopeField::EmittedAt => e.emitted_at.as_deref(),
            EnvelopeField::TenantId => e.tenant_id.as_deref(),
            EnvelopeField::SchemaVersion => e.schema_version.as_deref(),
            EnvelopeField::Version => e.version.as_deref(),
            EnvelopeField::PartitionKey => e.partition_key.as_deref(),
            EnvelopeField::Source | EnvelopeField::Ttl | EnvelopeField::Metadata => None,
        }
    }

    /// Set a text field (a no-op for `source`, `ttl` and `metadata`).
    pub fn set_text<P>(self, e: &mut Envelope<P>, value: String) {
        let slot = match self {
            EnvelopeField::EventId => {
                e.event_id = value;
                return;
            }
            EnvelopeField::EventType => {
                e.event_type = value;
                return;
            }
            EnvelopeField::CorrelationId => &mut e.correlation_id,
            EnvelopeField::CausationId => &mut e.causation_id,
            EnvelopeField::Timestamp => &mut e.timestamp,
            EnvelopeField::OccurredAt => &mut e.occurred_at,
            EnvelopeField::EmittedAt => &mut e.emitted_at,
            EnvelopeField::TenantId => &mut e.tenant_id,
            EnvelopeField::SchemaVersion => &mut e.schema_version,
            EnvelopeField::Version => &mut e.version,
            EnvelopeField::PartitionKey => &mut e.partition_key,
            EnvelopeField::Source | EnvelopeField::Ttl | EnvelopeField::Metadata => return,
        };
        *slot = Some(value);
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
    /// The fields records carry; `None`: every field of [`Envelope`].
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

    /// Check an event about to be sent: every required field set, no field
    /// the catalog's envelope does not have.
    ///
    /// # Errors
    /// The first field that breaks the rules.
    pub fn check_outgoing<P>(&self, e: &Envelope<P>) -> Result<(), EnvelopeError> {
        self.check_incoming(e)?;
        match EnvelopeField::ALL
            .into_iter()
            .find(|f| f.is_set(e) && !self.uses(*f))
        {
            Some(f) => Err(EnvelopeError::NotInEnvelope(f)),
            None => Ok(()),
        }
    }

    /// Check an event received: every required field set (fields the
    /// catalog does not name are ignored, as unknown fields are).
    ///
    /// # Errors
    /// The first required field that is missing.
    pub fn check_incoming<P>(&self, e: &Envelope<P>) -> Result<(), EnvelopeError> {
        match self.required.iter().find(|f| !f.is_set(e)) {
            Some(f) => Err(EnvelopeError::Missing(*f)),
            None => Ok(()),
        }
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
