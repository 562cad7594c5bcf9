//! Message header names from seed 000 ("Headers", "Security and Privacy",
//! "Failure Handling", request/reply) so that code never spells them by hand.

/// Payload schema version.
pub const SCHEMA_VERSION: &str = "x-schema-version";
/// Correlation id of a flow.
pub const CORRELATION_ID: &str = "x-correlation-id";
/// Trace id (OpenTelemetry).
pub const TRACE_ID: &str = "x-trace-id";
/// Acting principal.
pub const ACTOR: &str = "x-actor";
/// Tenant.
pub const TENANT: &str = "x-tenant";
/// Authorised scope.
pub const SCOPE: &str = "x-scope";
/// Originating service.
pub const ORIGIN: &str = "x-origin";
/// Envelope encryption scheme.
pub const ENCRYPTION_SCHEME: &str = "x-encryption-scheme";
/// Highest PII level in the payload.
pub const PII_LEVEL: &str = "x-pii-level";
/// Signature algorithm.
pub const SIG_ALG: &str = "x-sig-alg";
/// Detached signature.
pub const SIG: &str = "x-sig";
/// SHA-256 of the payload.
pub const PAYLOAD_SHA256: &str = "x-payload-sha256";
/// Failure class (retry/DLT).
pub const FAILURE_CLASS: &str = "x-failure-class";
/// Failure reason (retry/DLT).
pub const FAILURE_REASON: &str = "x-failure-reason";
/// Attempt number (retry/DLT).
pub const ATTEMPT: &str = "x-attempt";
/// First failure time.
pub const FIRST_SEEN_TS: &str = "x-first-seen-ts";
/// Last failure time.
pub const LAST_SEEN_TS: &str = "x-last-seen-ts";
/// When a delayed retry is due.
pub const NEXT_AT: &str = "x-next-at";
/// Region (multi-region replication).
pub const REGION: &str = "x-region";
/// The event that caused this one (onex: the envelope's `causation_id`).
pub const CAUSATION_ID: &str = "x-causation-id";
/// The envelope's `event_type` (onex).
pub const EVENT_TYPE: &str = "x-event-type";
/// Protobuf and Avro topics: the envelope without its payload, as JSON (onex).
pub const ENVELOPE: &str = "x-envelope";
/// Retry and dead-letter records: the topic the record was first read from (onex).
pub const ORIGINAL_TOPIC: &str = "x-original-topic";
/// Retry and dead-letter records: its partition there (onex).
pub const ORIGINAL_PARTITION: &str = "x-original-partition";
/// Retry and dead-letter records: its offset there (onex).
pub const ORIGINAL_OFFSET: &str = "x-original-offset";
/// Dead-letter records: seed 002's DLQ metadata, as JSON (onex).
pub const DLQ_METADATA: &str = "x-dlq-metadata";
/// Request/reply: where to reply.
pub const REPLY_TO: &str = "reply-to";
/// Request/reply: timeout.
pub const TIMEOUT_MS: &str = "timeout-ms";

/// Request/reply: acting principal (seed 000 writes the `qrs` headers
/// without the `x-` prefix).
pub const QRS_ACTOR: &str = "actor";
/// Request/reply: authorised scope (unprefixed, as seed 000's `qrs` headers).
pub const QRS_SCOPE: &str = "scope";

/// Every header above.
pub const ALL: &[&str] = &[
    SCHEMA_VERSION,
    CORRELATION_ID,
    TRACE_ID,
    ACTOR,
    TENANT,
    SCOPE,
    ORIGIN,
    ENCRYPTION_SCHEME,
    PII_LEVEL,
    SIG_ALG,
    SIG,
    PAYLOAD_SHA256,
    FAILURE_CLASS,
    FAILURE_REASON,
    ATTEMPT,
    FIRST_SEEN_TS,
    LAST_SEEN_TS,
    NEXT_AT,
    REGION,
    REPLY_TO,
    TIMEOUT_MS,
    QRS_ACTOR,
    QRS_SCOPE,
    CAUSATION_ID,
    EVENT_TYPE,
    ENVELOPE,
    ORIGINAL_TOPIC,
    ORIGINAL_PARTITION,
    ORIGINAL_OFFSET,
    DLQ_METADATA,
];

#[cfg(test)]
mod tests {
    #[test]
    fn header_names_are_unique_lowercase_kebab() {
        let mut seen = std::collections::BTreeSet::new();
        for h in super::ALL {
            assert!(seen.insert(*h), "{h} twice");
            assert!(
                h.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{h}"
            );
        }
    }
}
