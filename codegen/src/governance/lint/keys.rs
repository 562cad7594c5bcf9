//! Partitioning rules: allowed partition counts, keys that carry domain
//! identity, the keying rule of the topic's event class.

use super::Linter;
use crate::model::{KeySource, Topic};

const PER_EVENT_KEYS: &[&str] = &[
    "event_id",
    "message_id",
    "eventid",
    "uuid",
    "id",
    "nonce",
    "random",
];

pub(super) fn keys(l: &mut Linter<'_>, t: &Topic) {
    let s = &l.catalog.settings;
    if !s.partitions.allowed.contains(&t.partitions) {
        let allowed: Vec<String> = s.partitions.allowed.iter().map(u32::to_string).collect();
        l.emit(
            "partitions-allowed",
            Some(t),
            t.spans.partitions.clone(),
            format!("{} partitions is not an allowed count", t.partitions),
            format!(
                "use one of {} (`partitions.allowed` in onex.yaml)",
                allowed.join(", ")
            ),
        );
    }
    let field = t.key.field();
    let last = t.key.path.last().map(String::as_str).unwrap_or_default();
    // An envelope key is judged like a payload field of its name
    // (`event_id` is per event, `correlation_id` is not); keyless topics
    // have nothing to judge here.
    if PER_EVENT_KEYS.contains(&last) {
        l.emit(
            "key-domain-meaning",
            Some(t),
            t.spans.key.clone(),
            format!("key `{field}` is a per-event id, not domain identity"),
            "key by the aggregate id whose events must stay in order".to_owned(),
        );
    }
    match &t.event_class {
        None => l.emit(
            "event-class-declared",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` declares no `event_class`", t.name),
            format!(
                "add `event_class:` (one of: {})",
                s.keying.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        ),
        Some(ec) => {
            if let Some(keys) = s.keying.get(ec) {
                // A keying rule names fields; an envelope key matches by
                // its field name (seed 001 §5 keys trace correlation by
                // `correlation_id`); a keyless topic matches none.
                if !keys.contains(&field) || t.key.source == KeySource::None {
                    let allowed = keys
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(" or ");
                    l.emit(
                        "keying-rule",
                        Some(t),
                        t.spans.key.clone().or_else(|| t.spans.file.clone()),
                        match t.key.source {
                            KeySource::None => {
                                format!("event class `{ec}` is keyed by {allowed}, but the topic is keyless")
                            }
                            _ => format!("event class `{ec}` is keyed by {allowed}, not `{field}`"),
                        },
                        "key by the class's field, or pick the right event class".to_owned(),
                    );
                }
            }
        }
    }
}
