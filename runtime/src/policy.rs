//! What a contract says about failures and personal data, as constants the
//! generated `Topic` impls fill in and the transports obey at run time.

/// A topic's retry policy (seed 000 "Failure Handling").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    /// Delay before each retry, in order (`rty-1m`, `rty-15m`, `rty-2h`).
    pub tiers_ms: &'static [u64],
    /// Attempts before dead-lettering, if the contract caps them.
    pub max_attempts: Option<u32>,
    /// The retry topic (name template); `None`: back off inside the
    /// consumer, holding the partition.
    pub topic: Option<&'static str>,
    /// The retry topic's partition count.
    pub topic_partitions: u32,
}

impl RetryPolicy {
    /// How many retries follow the first failure: one per tier, capped by
    /// `max_attempts` (seed 002: "retry 3 times", then the DLQ).
    pub fn retries(&self) -> u32 {
        let tiers = u32::try_from(self.tiers_ms.len()).unwrap_or(u32::MAX);
        self.max_attempts.map_or(tiers, |m| m.min(tiers))
    }
}

/// A topic's dead-letter topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DeadLetter {
    /// Name template (`{env}.omnibase.validator.dlt.test-run-completed.v1`, `billing.domain.v1.dlq`).
    pub topic: &'static str,
    /// Its partition count.
    pub partitions: u32,
}

/// PII level of a payload field (seed 000 "Security and Privacy").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PiiLevel {
    /// Not personal data.
    None,
    /// Personal, low risk.
    Low,
    /// Must be encrypted, never a key, never a header; redacted in `Debug`.
    High,
}

impl PiiLevel {
    /// As written in contracts and the `x-pii-level` header.
    pub const fn as_str(&self) -> &'static str {
        match self {
            PiiLevel::None => "none",
            PiiLevel::Low => "low",
            PiiLevel::High => "high",
        }
    }
}

/// One classified payload field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PiiField {
    /// Field path in the payload (dotted for nested fields).
    pub path: &'static str,
    /// Level.
    pub level: PiiLevel,
    /// The contract's `encryption:` (e.g. `kms-envelope`): the transport
    /// encrypts the field through its [`KeyProvider`](crate::KeyProvider).
    pub encryption: Option<&'static str>,
}

/// One subscription of a node: the topic and the failure policy that
/// applies to its records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Subscription {
    /// Name template of the subscribed topic.
    pub topic: &'static str,
    /// Its retry policy.
    pub retry: Option<RetryPolicy>,
    /// Its dead-letter topic.
    pub dead_letter: Option<DeadLetter>,
}
