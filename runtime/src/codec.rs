//! Records from envelopes and back, as the contract says: the key from the
//! topic's key extractor, seed 000's headers from the envelope, the payload
//! in the topic's format, PII fields sealed, and the Confluent wire format
//! (magic byte 0, 4-byte big-endian schema id) when schema ids are known.
//!
//! JSON topics carry the whole envelope as the value (the shape seeds 001,
//! 002 and 004 show). Protobuf and Avro topics carry the payload alone in
//! its binary encoding, so registry-aware deserializers read it, and the
//! envelope fields travel as JSON in the `x-envelope` header.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use serde_json::Value;

use crate::envelope::{Envelope, record_key};
use crate::envelope_rules::EnvelopeField;
use crate::error::{BusError, CodecError};
use crate::headers;
use crate::name::Namespace;
use crate::pii::{self, KeyProvider, PiiError};
use crate::policy::PiiLevel;
use crate::topic::{KeySource, SchemaType, Topic};
use crate::transport::{IncomingRecord, OutgoingRecord};

/// The event being handled, whose ids the events it causes inherit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventContext {
    /// `event_id` of the handled event: the causation id of what it causes.
    pub event_id: String,
    /// Its correlation id.
    pub correlation_id: Option<String>,
    /// Its trace id.
    pub trace_id: Option<String>,
}

impl EventContext {
    /// The context of a handled envelope.
    pub fn of<P>(event: &Envelope<P>) -> Self {
        EventContext {
            event_id: event.event_id.clone(),
            correlation_id: event.correlation_id.clone(),
            trace_id: event
                .metadata
                .as_ref()
                .and_then(|m| m.get("trace_id"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        }
    }
}

tokio::task_local! {
    static CAUSE: EventContext;
}

/// Run `f` as the handling of `ctx`'s event: events published inside get its
/// correlation id and its event id as causation id, unless they set their own.
/// Generated dispatchers wrap every handler call in it.
pub async fn handling<F: Future>(ctx: EventContext, f: F) -> F::Output {
    CAUSE.scope(ctx, f).await
}

fn current_cause() -> Option<EventContext> {
    CAUSE.try_with(Clone::clone).ok()
}

/// What a bus needs to turn envelopes into records: the namespace that binds
/// `{env}`/`{tenant}`, registry schema ids, and the PII key provider.
#[derive(Clone, Debug)]
pub struct Codec {
    namespace: Namespace,
    schema_ids: BTreeMap<String, u32>,
    keys: Option<Arc<dyn KeyProvider>>,
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Frame `bytes` in the Confluent wire format. Protobuf frames also carry
/// the message-index path (zigzag varints): `[0]`, the file's first
/// message, is the single byte 0; another top-level message `[i]` is
/// written as count 1, then `i`.
pub fn wire_frame(
    schema_id: u32,
    schema_type: SchemaType,
    message_index: u32,
    bytes: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 8);
    out.push(0);
    out.extend_from_slice(&schema_id.to_be_bytes());
    if schema_type == SchemaType::Protobuf {
        if message_index == 0 {
            out.push(0);
        } else {
            write_varint(&mut out, 2); // zigzag(1)
            write_varint(&mut out, u64::from(message_index) << 1);
        }
    }
    out.extend_from_slice(bytes);
    out
}

fn read_varint(bytes: &[u8]) -> Result<(u64, &[u8]), CodecError> {
    let mut v: u64 = 0;
    for (i, b) in bytes.iter().enumerate().take(10) {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok((v, bytes.get(i + 1..).unwrap_or_default()));
        }
    }
    Err(CodecError::WireFormat("truncated varint".to_owned()))
}

/// Split a Confluent frame into (schema id, body); Protobuf message indexes
/// are skipped.
pub fn wire_unframe(value: &[u8], schema_type: SchemaType) -> Result<(u32, &[u8]), CodecError> {
    let (head, rest) = value
        .split_first_chunk::<5>()
        .ok_or_else(|| CodecError::WireFormat("shorter than 5 bytes".to_owned()))?;
    let [magic, id @ ..] = *head;
    if magic != 0 {
        return Err(CodecError::WireFormat(format!(
            "magic byte is {magic}, not 0"
        )));
    }
    let id = u32::from_be_bytes(id);
    if schema_type != SchemaType::Protobuf {
        return Ok((id, rest));
    }
    let (count, mut rest) = read_varint(rest)?;
    // Zigzag-encoded count; 0 means the single index [0].
    let count = (count >> 1) ^ (count & 1).wrapping_neg();
    for _ in 0..count {
        rest = read_varint(rest)?.1;
    }
    Ok((id, rest))
}

impl Codec {
    /// A codec binding names in `namespace`, without schema ids or keys.
    pub fn new(namespace: Namespace) -> Self {
        Codec {
            namespace,
            schema_ids: BTreeMap::new(),
            keys: None,
        }
    }

    /// Frame values of `subject` (bound, e.g. `prod.omnibase.onex.evt.contract-created.v1-value`)
    /// in the Confluent wire format with registry id `id`.
    pub fn with_schema_id(mut self, subject: impl Into<String>, id: u32) -> Self {
        self.schema_ids.insert(subject.into(), id);
        self
    }

    /// Seal and open PII fields with `keys`.
    pub fn with_keys(mut self, keys: impl KeyProvider + 'static) -> Self {
        self.keys = Some(Arc::new(keys));
        self
    }

    /// The namespace.
    pub fn namespace(&self) -> &Namespace {
        &self.namespace
    }

    fn schema_id<T: Topic>(&self) -> Option<u32> {
        let subject = self.namespace.render(T::VALUE_SUBJECT).ok()?;
        self.schema_ids.get(&subject).copied()
    }

    /// The record for `event` on topic `T`.
    pub fn encode<T: Topic>(
        &self,
        event: &Envelope<T::Payload>,
    ) -> Result<OutgoingRecord, BusError> {
        let topic = T::name_in(&self.namespace).map_err(BusError::Name)?;
        let json = |e: serde_json::Error| BusError::Codec(CodecError::Json(e.to_string()));
        let cause = current_cause();
        let mut env = event.borrowed();
        fill_envelope::<T, _>(&mut env, cause.as_ref());
        T::ENVELOPE
            .check_outgoing(&env)
            .map_err(|e| BusError::Codec(CodecError::Envelope(e)))?;
        // After filling: an envelope key may be a field the codec fills.
        let key = record_key::<T, _>(&env).map_err(|e| BusError::Codec(CodecError::Envelope(e)))?;
        // The common case — a JSON topic with no `high` PII and nothing to
        // seal — needs no JSON tree: the typed envelope is serialised once,
        // straight to bytes (the tree path below cost ~8 us a record).
        if T::SCHEMA_TYPE == SchemaType::Json
            && T::PII
                .iter()
                .all(|f| f.level < PiiLevel::High && f.encryption.is_none())
        {
            return self.encode_plain_json::<T>(&env, cause, topic, key);
        }
        let mut env = serde_json::to_value(&env).map_err(json)?;
        let Value::Object(fields) = &mut env else {
            return Err(BusError::Codec(CodecError::Json(
                "the envelope is not an object".to_owned(),
            )));
        };
        let text = |k: &str| fields.get(k).and_then(Value::as_str).map(str::to_owned);
        let meta = |k: &str| {
            fields
                .get("metadata")
                .and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let mut hdrs: Vec<(String, Vec<u8>)> = Vec::new();
        let mut put = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                hdrs.push((name.to_owned(), v.into_bytes()));
            }
        };
        put(headers::SCHEMA_VERSION, text("schema_version"));
        put(headers::CORRELATION_ID, text("correlation_id"));
        put(headers::CAUSATION_ID, text("causation_id"));
        put(
            headers::TRACE_ID,
            meta("trace_id").or_else(|| cause.as_ref().and_then(|c| c.trace_id.clone())),
        );
        put(
            headers::TENANT,
            text("tenant_id").or_else(|| Some(self.namespace.tenant().to_owned())),
        );
        put(headers::ACTOR, meta("actor"));
        put(
            headers::ORIGIN,
            match fields.get("source") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Object(o)) => {
                    o.get("service").and_then(Value::as_str).map(str::to_owned)
                }
                _ => None,
            },
        );
        put(headers::EVENT_TYPE, text("event_type"));
        if let Some(level) = T::PII.iter().map(|f| f.level).max() {
            if level > PiiLevel::None {
                put(headers::PII_LEVEL, Some(level.as_str().to_owned()));
            }
        }
        let payload = fields
            .get_mut("payload")
            .ok_or_else(|| BusError::Codec(CodecError::Json("no payload".to_owned())))?;
        let payload_key = match T::KEY_SOURCE {
            KeySource::Payload => T::KEY_FIELD,
            _ => "",
        };
        pii::check_key_and_headers(
            T::PII,
            payload_key,
            payload,
            key.as_deref().unwrap_or_default(),
            &hdrs,
        )
        .map_err(|e| BusError::Codec(e.into()))?;
        let event_id = event.event_id.clone();
        let body = match T::SCHEMA_TYPE {
            SchemaType::Json => {
                let sealed = pii::seal_fields(T::PII, &event_id, payload, self.keys.as_deref())
                    .map_err(|e| BusError::Codec(e.into()))?;
                if sealed {
                    if let Some(k) = &self.keys {
                        hdrs.push((
                            headers::ENCRYPTION_SCHEME.to_owned(),
                            k.scheme().as_bytes().to_vec(),
                        ));
                    }
                }
                serde_json::to_vec(&env).map_err(json)?
            }
            other => {
                if let Some(f) = T::PII.iter().find(|f| f.encryption.is_some()) {
                    return Err(BusError::Codec(CodecError::Pii(PiiError::Unsupported {
                        field: f.path.to_owned(),
                        format: other.as_str(),
                    })));
                }
                fields.remove("payload");
                hdrs.push((
                    headers::ENVELOPE.to_owned(),
                    serde_json::to_vec(&env).map_err(json)?,
                ));
                T::encode_payload(&event.payload).map_err(BusError::Codec)?
            }
        };
        let value = match self.schema_id::<T>() {
            Some(id) => wire_frame(id, T::SCHEMA_TYPE, T::MESSAGE_INDEX, &body),
            None => body,
        };
        Ok(OutgoingRecord {
            topic,
            key,
            value,
            headers: hdrs,
            partitions: T::PARTITIONS,
        })
    }

    /// [`Codec::encode`] for a JSON topic with nothing to seal or check: the
    /// same headers and the same JSON document (field order aside), built
    /// from the typed envelope without a `serde_json::Value` in between.
    fn encode_plain_json<T: Topic>(
        &self,
        env: &Envelope<&T::Payload>,
        cause: Option<EventContext>,
        topic: String,
        key: Option<Vec<u8>>,
    ) -> Result<OutgoingRecord, BusError> {
        let meta = |k: &str| {
            env.metadata
                .as_ref()
                .and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let mut hdrs: Vec<(String, Vec<u8>)> = Vec::with_capacity(10);
        let mut put = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                hdrs.push((name.to_owned(), v.into_bytes()));
            }
        };
        put(headers::SCHEMA_VERSION, env.schema_version.clone());
        put(headers::CORRELATION_ID, env.correlation_id.clone());
        put(headers::CAUSATION_ID, env.causation_id.clone());
        put(
            headers::TRACE_ID,
            meta("trace_id").or_else(|| cause.as_ref().and_then(|c| c.trace_id.clone())),
        );
        put(
            headers::TENANT,
            env.tenant_id
                .clone()
                .or_else(|| Some(self.namespace.tenant().to_owned())),
        );
        put(headers::ACTOR, meta("actor"));
        put(
            headers::ORIGIN,
            match &env.source {
                Some(crate::envelope::Source::Name(s)) => Some(s.clone()),
                Some(crate::envelope::Source::Info(i)) => Some(i.service.clone()),
                None => None,
            },
        );
        put(headers::EVENT_TYPE, Some(env.event_type.clone()));
        if let Some(level) = T::PII.iter().map(|f| f.level).max() {
            if level > PiiLevel::None {
                put(headers::PII_LEVEL, Some(level.as_str().to_owned()));
            }
        }
        let body = serde_json::to_vec(&env)
            .map_err(|e| BusError::Codec(CodecError::Json(e.to_string())))?;
        let value = match self.schema_id::<T>() {
            Some(id) => wire_frame(id, T::SCHEMA_TYPE, T::MESSAGE_INDEX, &body),
            None => body,
        };
        Ok(OutgoingRecord {
            topic,
            key,
            value,
            headers: hdrs,
            partitions: T::PARTITIONS,
        })
    }

    /// The envelope of topic `T` in `record`. Unknown payload fields are
    /// ignored unless the topic decodes strictly; sealed PII fields are opened.
    pub fn decode<T: Topic>(
        &self,
        record: &IncomingRecord,
    ) -> Result<Envelope<T::Payload>, CodecError> {
        let value = record.value.as_deref().ok_or(CodecError::NoValue)?;
        let framed = self.schema_id::<T>().is_some()
            || (T::SCHEMA_TYPE == SchemaType::Json && value.first() == Some(&0));
        let body = if framed {
            wire_unframe(value, T::SCHEMA_TYPE)?.1
        } else {
            value
        };
        let json = |e: serde_json::Error| CodecError::Json(e.to_string());
        match T::SCHEMA_TYPE {
            SchemaType::Json => {
                let mut env: Value = serde_json::from_slice(body).map_err(json)?;
                let event_id = env
                    .get("event_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                if let Some(p) = env.get_mut("payload") {
                    pii::open_fields(T::PII, &event_id, p, self.keys.as_deref())?;
                }
                let env: Envelope<T::Payload> = serde_json::from_value(env).map_err(json)?;
                T::ENVELOPE
                    .check_incoming(&env)
                    .map_err(CodecError::Envelope)?;
                Ok(env)
            }
            _ => {
                let payload = T::decode_payload(body)?;
                let mut env = match record.header(headers::ENVELOPE) {
                    Some(h) => serde_json::from_str::<Value>(h).map_err(json)?,
                    // A record from a producer that is not onex: a minimal envelope.
                    None => serde_json::json!({
                        "event_id": format!("{}/{}/{}", record.topic, record.partition, record.offset),
                        "event_type": T::TOPIC,
                    }),
                };
                if let Value::Object(m) = &mut env {
                    m.insert("payload".into(), Value::Null);
                }
                let shell: Envelope<Option<()>> = serde_json::from_value(env).map_err(json)?;
                T::ENVELOPE
                    .check_incoming(&shell)
                    .map_err(CodecError::Envelope)?;
                Ok(shell.with_payload(payload))
            }
        }
    }

    /// Does the record's key equal the key of the decoded event (its
    /// payload field or envelope field)? A record without a key, and any
    /// record of a keyless topic, matches.
    pub fn key_matches<T: Topic>(record: &IncomingRecord, event: &Envelope<T::Payload>) -> bool {
        match (&record.key, record_key::<T, _>(event)) {
            (None, _) | (_, Ok(None)) => true,
            (Some(k), Ok(Some(expected))) => expected == *k,
            (Some(_), Err(_)) => false,
        }
    }
}

/// What the codec fills in before sending, where the topic's envelope has
/// the field and the producer left it empty: the correlation and causation
/// ids of the event being handled, and the contract's schema version.
fn fill_envelope<T: Topic, P>(env: &mut Envelope<P>, cause: Option<&EventContext>) {
    let rules = T::ENVELOPE;
    if let Some(c) = cause {
        if env.correlation_id.is_none() && rules.uses(EnvelopeField::CorrelationId) {
            env.correlation_id = Some(
                c.correlation_id
                    .clone()
                    .unwrap_or_else(|| c.event_id.clone()),
            );
        }
        if env.causation_id.is_none() && rules.uses(EnvelopeField::CausationId) {
            env.causation_id = Some(c.event_id.clone());
        }
    }
    if env.schema_version.is_none() && rules.uses(EnvelopeField::SchemaVersion) {
        env.schema_version = Some(T::SCHEMA_VERSION.to_owned());
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn wire_format_round_trips_with_protobuf_indexes() {
        let framed = wire_frame(258, SchemaType::Json, 0, b"{}");
        assert_eq!(framed, [0, 0, 0, 1, 2, b'{', b'}']);
        assert_eq!(
            wire_unframe(&framed, SchemaType::Json).unwrap(),
            (258, &b"{}"[..])
        );
        let framed = wire_frame(7, SchemaType::Protobuf, 0, &[8, 1]);
        assert_eq!(framed, [0, 0, 0, 0, 7, 0, 8, 1]);
        assert_eq!(
            wire_unframe(&framed, SchemaType::Protobuf).unwrap(),
            (7, &[8u8, 1][..])
        );
        // The second message: count 1 (zigzag 2), index 1 (zigzag 2).
        let second = wire_frame(7, SchemaType::Protobuf, 1, &[8, 1]);
        assert_eq!(second, [0, 0, 0, 0, 7, 2, 2, 8, 1]);
        assert_eq!(
            wire_unframe(&second, SchemaType::Protobuf).unwrap().1,
            &[8u8, 1][..]
        );
        // Indexes [1, 2] written in full: count 2 (zigzag 4), then 1 and 2 (zigzag 2, 4).
        let explicit = [0, 0, 0, 0, 7, 4, 2, 4, 8, 1];
        assert_eq!(
            wire_unframe(&explicit, SchemaType::Protobuf).unwrap().1,
            &[8u8, 1][..]
        );
        assert!(wire_unframe(&[1, 0, 0, 0, 1], SchemaType::Json).is_err());
        assert!(wire_unframe(&[0, 0], SchemaType::Json).is_err());
    }
}
