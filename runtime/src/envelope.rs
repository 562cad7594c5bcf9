//! The canonical envelope: a superset of seed 001's (`timestamp`, a `source`
//! string), seed 002's (`causation_id`, a `source` object, `version`,
//! `metadata`) and seed 004's (UUIDv7 `event_id`, `occurred_at` and
//! `emitted_at`, `tenant_id`, `schema_version`, `partition_key`, `ttl`).
//! Every field but `event_id`, `event_type` and `payload` is optional, so each
//! seed's examples parse and serialise back unchanged.

use serde::{Deserialize, Serialize};

use crate::envelope_rules::{EnvelopeError, EnvelopeField, EnvelopeRules};
use crate::key::PartitionKey;
use crate::topic::{KeySource, Topic};

/// Who emitted an event: a name (seeds 001, 004) or a service description (seed 002).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Source {
    /// `"source": "node/postgres-adapter"`.
    Name(String),
    /// `"source": {"service": ..., "instance_id": ..., "hostname": ...}`.
    Info(SourceInfo),
}

/// Seed 002's source object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Service name.
    pub service: String,
    /// Instance id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// Host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
}

/// An event with its envelope fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<P> {
    /// Unique, dedup-able id; UUIDv7 when built by [`Envelope::new`].
    pub event_id: String,
    /// Namespaced event type (`billing.invoice.issued`).
    pub event_type: String,
    /// Emitting service or agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Ties a flow together across hops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// The event that caused this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<String>,
    /// Seed 001/002's single timestamp (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// When the fact happened (RFC 3339, producer clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<String>,
    /// When it was put on the bus (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emitted_at: Option<String>,
    /// Tenant; absent for global events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Semantic version of the payload contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// Seed 002's envelope version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Stable ordering key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// Seconds after which delivery is meaningless.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
    /// Free-form metadata (trace ids, user, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// The schema-validated body.
    pub payload: P,
}

fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

impl<P> Envelope<P> {
    /// A new envelope: UUIDv7 `event_id`, `occurred_at` and `emitted_at` now.
    pub fn new(event_type: impl Into<String>, payload: P) -> Self {
        let now = now_rfc3339();
        Envelope {
            event_id: uuid::Uuid::now_v7().to_string(),
            event_type: event_type.into(),
            source: None,
            correlation_id: None,
            causation_id: None,
            timestamp: None,
            occurred_at: Some(now.clone()),
            emitted_at: Some(now),
            tenant_id: None,
            schema_version: None,
            version: None,
            partition_key: None,
            ttl: None,
            metadata: None,
            payload,
        }
    }

    /// An envelope for a topic's payload, by the catalog's envelope rules
    /// ([`Topic::ENVELOPE`]): `event_id` of the catalog's flavour, the
    /// timestamps the envelope has (`occurred_at` and `emitted_at`, or
    /// seed 001's single `timestamp`), `schema_version` and `partition_key`
    /// from the contract where the envelope has them.
    pub fn for_topic<T: Topic<Payload = P>>(event_type: impl Into<String>, payload: P) -> Self {
        let rules = T::ENVELOPE;
        let now = now_rfc3339();
        let mut e = Envelope::new(event_type, payload);
        e.event_id = rules.event_id.mint();
        e.occurred_at = None;
        e.emitted_at = None;
        for (field, on) in [
            (
                EnvelopeField::OccurredAt,
                rules.uses(EnvelopeField::OccurredAt),
            ),
            (
                EnvelopeField::EmittedAt,
                rules.uses(EnvelopeField::EmittedAt),
            ),
            (
                EnvelopeField::Timestamp,
                rules.uses(EnvelopeField::Timestamp) && !rules.uses(EnvelopeField::OccurredAt),
            ),
        ] {
            if on {
                field.set_text(&mut e, now.clone());
            }
        }
        if rules.uses(EnvelopeField::SchemaVersion) {
            e.schema_version = Some(T::SCHEMA_VERSION.to_owned());
        }
        if rules.uses(EnvelopeField::PartitionKey) {
            e.partition_key = match T::KEY_SOURCE {
                KeySource::Payload => Some(T::key(&e.payload).key_string()),
                KeySource::Envelope(f) => f.text(&e).map(str::to_owned),
                KeySource::None => None,
            };
        }
        e
    }

    /// A reply to `request` on the request topic's reply topic: it carries
    /// the request's correlation value (the field the contract's
    /// `reply.correlation` names; the request's `event_id` when the request
    /// has none) and is caused by the request.
    pub fn reply_to<R>(
        request: &Envelope<R::Payload>,
        event_type: impl Into<String>,
        payload: P,
    ) -> Self
    where
        R: crate::topic::Request,
        R::Reply: Topic<Payload = P>,
    {
        let mut e = Envelope::for_topic::<R::Reply>(event_type, payload);
        let value = R::CORRELATION
            .text(request)
            .map_or_else(|| request.event_id.clone(), str::to_owned);
        R::CORRELATION.set_text(&mut e, value);
        if <R::Reply as Topic>::ENVELOPE.uses(EnvelopeField::CausationId) {
            e.causation_id = Some(request.event_id.clone());
        }
        e
    }

    /// Set the source.
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(Source::Name(source.into()));
        self
    }

    /// Set the tenant.
    pub fn with_tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant.into());
        self
    }

    /// Set the correlation id.
    pub fn with_correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// The same envelope around a borrowed payload (the header fields are
    /// cloned, the payload is not): what the codec serialises directly.
    pub(crate) fn borrowed(&self) -> Envelope<&P> {
        Envelope {
            event_id: self.event_id.clone(),
            event_type: self.event_type.clone(),
            source: self.source.clone(),
            correlation_id: self.correlation_id.clone(),
            causation_id: self.causation_id.clone(),
            timestamp: self.timestamp.clone(),
            occurred_at: self.occurred_at.clone(),
            emitted_at: self.emitted_at.clone(),
            tenant_id: self.tenant_id.clone(),
            schema_version: self.schema_version.clone(),
            version: self.version.clone(),
            partition_key: self.partition_key.clone(),
            ttl: self.ttl,
            metadata: self.metadata.clone(),
            payload: &self.payload,
        }
    }

    /// The same envelope around another payload.
    pub fn with_payload<Q>(self, payload: Q) -> Envelope<Q> {
        Envelope {
            event_id: self.event_id,
            event_type: self.event_type,
            source: self.source,
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            timestamp: self.timestamp,
            occurred_at: self.occurred_at,
            emitted_at: self.emitted_at,
            tenant_id: self.tenant_id,
            schema_version: self.schema_version,
            version: self.version,
            partition_key: self.partition_key,
            ttl: self.ttl,
            metadata: self.metadata,
            payload,
        }
    }

    /// Mark this event as caused by `cause`: its `causation_id` is the
    /// cause's `event_id`, and the correlation id carries over.
    pub fn caused_by<Q>(mut self, cause: &Envelope<Q>) -> Self {
        self.causation_id = Some(cause.event_id.clone());
        if self.correlation_id.is_none() {
            self.correlation_id = cause
                .correlation_id
                .clone()
                .or_else(|| Some(cause.event_id.clone()));
        }
        self
    }
}

/// The envelope rules' side that reads an envelope.
impl EnvelopeField {
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

impl EnvelopeRules {
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

/// The record key of `event` on topic `T`, as its contract says: the
/// payload key's bytes, the envelope field's UTF-8 text, or `None` for a
/// keyless topic.
///
/// # Errors
/// An envelope key whose field the event does not set.
pub fn record_key<T: Topic, P: std::borrow::Borrow<T::Payload>>(
    event: &Envelope<P>,
) -> Result<Option<Vec<u8>>, EnvelopeError> {
    match T::KEY_SOURCE {
        KeySource::Payload => Ok(Some(T::key(event.payload.borrow()).key_bytes().into_vec())),
        KeySource::Envelope(f) => f
            .text(event)
            .map(|s| Some(s.as_bytes().to_vec()))
            .ok_or(EnvelopeError::Missing(f)),
        KeySource::None => Ok(None),
    }
}
