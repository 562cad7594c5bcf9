//! Rules across a topic's own facts and across topics: payload fields that
//! repeat envelope fields, the same stream declared twice, latency targets
//! that contradict each other.

use std::collections::BTreeMap;

use super::Linter;
use crate::model::payload::{Field, FieldType};
use crate::model::vocab::ENVELOPE_FIELDS;
use crate::model::{Millis, Topic};

pub(super) fn run(l: &mut Linter<'_>) {
    let topics = &l.catalog.topics;
    for t in topics {
        shadows_envelope(l, t);
        sla(l, t);
    }
    duplicates(l);
}

fn shadows_envelope(l: &mut Linter<'_>, t: &Topic) {
    for f in &t.schema.payload.root.fields {
        let envelope = l.catalog.settings.envelope.as_ref();
        if ENVELOPE_FIELDS.contains(&f.name.as_str()) && envelope.is_none_or(|e| e.uses(&f.name)) {
            let at = t.spans.file.clone();
            l.emit(
                "payload-shadows-envelope",
                Some(t),
                at,
                format!(
                    "payload field `{}` of `{}` repeats the envelope field of the same name",
                    f.name, t.name
                ),
                format!(
                    "read `{}` from the envelope (`event.{}`), or rename the payload field to what it means",
                    f.name, f.name
                ),
            );
        }
    }
}

fn sla(l: &mut Linter<'_>, t: &Topic) {
    let Some(s) = &t.sla else { return };
    if let (Some(p95), Some(lag)) = (s.publish_latency_p95_ms, s.max_lag_ms)
        && p95 > lag
    {
        l.emit(
            "sla-consistent",
            Some(t),
            t.spans.at("sla"),
            format!(
                "`{}` targets a p95 publish latency of {} but an acceptable consumer lag of {}: events would be late when published",
                t.name,
                Millis(p95),
                Millis(lag)
            ),
            "make `sla.max_lag` at least `sla.publish_latency_p95`".to_owned(),
        );
    }
    if let Some(lag) = s.max_lag_ms
        && lag > t.retention_ms
    {
        l.emit(
            "sla-consistent",
            Some(t),
            t.spans.at("sla"),
            format!(
                "`{}` accepts a consumer lag of {} but keeps records {}: a consumer within its lag can lose events",
                t.name,
                Millis(lag),
                Millis(t.retention_ms)
            ),
            "make `retention` longer than `sla.max_lag`".to_owned(),
        );
    }
}

/// Field names and type trees, sorted.
type Shape = Vec<(String, String)>;

/// A payload's shape for comparison.
fn shape(fields: &[Field]) -> Shape {
    let mut v: Shape = fields
        .iter()
        .map(|f| (f.name.clone(), kind(&f.ty)))
        .collect();
    v.sort();
    v
}

/// A type as a comparable string, nested records and enums included.
fn kind(t: &FieldType) -> String {
    match t {
        FieldType::Record(r) => {
            let inner: Vec<String> = shape(&r.fields)
                .into_iter()
                .map(|(n, k)| format!("{n}:{k}"))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        FieldType::Array { items } => format!("[{}]", kind(items)),
        FieldType::Map { values } => format!("map<{}>", kind(values)),
        FieldType::Enum { values } => format!("enum({})", values.join("|")),
        other => other.describe().to_owned(),
    }
}

fn duplicates(l: &mut Linter<'_>) {
    // (key path, payload shape) → first topic with it. Dead-letter and retry
    // topics mirror their source's payload on purpose, so they are skipped.
    let mut seen: BTreeMap<(String, Shape), &Topic> = BTreeMap::new();
    let topics = &l.catalog.topics;
    let mut found = Vec::new();
    for t in topics {
        if matches!(t.id.class.as_str(), "dlt" | "rty") || t.name.to_string().ends_with(".dlq") {
            continue;
        }
        let fields = &t.schema.payload.root.fields;
        if fields.len() < 2 {
            continue; // one-field payloads say too little to call two topics the same
        }
        let key = (t.key.describe(), shape(fields));
        match seen.get(&key) {
            // Two majors of one topic may well share a payload.
            Some(first)
                if (&first.id.context, &first.id.class, &first.id.topic)
                    != (&t.id.context, &t.id.class, &t.id.topic) =>
            {
                found.push((*first, t));
            }
            Some(_) => {}
            None => {
                seen.insert(key, t);
            }
        }
    }
    for (first, t) in found {
        l.emit(
            "topic-duplicate",
            Some(t),
            t.spans.file.clone(),
            format!(
                "`{}` has the same key (`{}`) and the same payload fields as `{}`",
                t.name,
                t.key.describe(),
                first.name
            ),
            format!(
                "keep one of the two and list the other's name under `aliases:`, or make the payloads differ (`{}`)",
                first.file
            ),
        );
    }
}
