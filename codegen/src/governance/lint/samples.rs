//! Sample rules: every topic has a sample, and every sample matches its
//! schema (JSON Schema and Avro by the payload model, Protobuf by its JSON
//! mapping).

use std::collections::BTreeSet;

use serde_json::Value;

use super::Linter;
use crate::diagnostic::Location;
use crate::model::Topic;
use crate::model::payload::{FieldType, Record};

pub(super) fn samples(l: &mut Linter<'_>, t: &Topic) {
    if t.samples.is_empty() {
        l.emit(
            "samples-present",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` has no sample payload", t.name),
            "add `samples/<name>.json` beside topic.yaml".to_owned(),
        );
    }
    for s in &t.samples {
        let mut errors = Vec::new();
        match &t.schema.payload.parsed {
            // Protobuf samples are read by Protobuf's JSON mapping (nested
            // messages, well-known types, oneofs, enums by name).
            crate::model::payload::Parsed::Protobuf(p) => {
                if let Err(e) = proto_sample(p, &s.value) {
                    errors.push(e);
                }
            }
            _ => match &t.schema.payload.root_type {
                // A root that is not a record: the sample is that value.
                Some(ty) => SampleChecker::default().value(&s.value, ty, "payload", &mut errors),
                None => SampleChecker::default().record(
                    &s.value,
                    &t.schema.payload.root,
                    "",
                    &mut errors,
                ),
            },
        }
        // Every problem is its own finding (a summary like "(and 1 more)"
        // hides what to fix), up to a cap that keeps a broken big sample's
        // report readable.
        const SHOWN: usize = 20;
        let total = errors.len();
        for (i, e) in errors.iter().take(SHOWN).enumerate() {
            let rest = if i + 1 == SHOWN && total > SHOWN {
                format!(
                    " ({} further problems in this sample not shown)",
                    total - SHOWN
                )
            } else {
                String::new()
            };
            l.emit(
                "sample-valid",
                Some(t),
                Some(Location::file(s.file.clone())),
                format!("sample does not match the schema: {e}{rest}"),
                "correct the sample or the schema".to_owned(),
            );
        }
    }
}

/// Read a sample as the payload message by Protobuf's JSON mapping.
fn proto_sample(p: &crate::model::payload::ProtoParse, v: &Value) -> Result<(), String> {
    let pool = prost_reflect::DescriptorPool::from_file_descriptor_set((*p.set).clone())
        .map_err(|e| format!("the schema's descriptors do not load: {e}"))?;
    let package = p.file_descriptor().map(|f| f.package()).unwrap_or_default();
    let full = if package.is_empty() {
        p.message.clone()
    } else {
        format!("{package}.{}", p.message)
    };
    let Some(desc) = pool.get_message_by_name(&full) else {
        return Err(format!("message `{full}` is not in the schema"));
    };
    prost_reflect::DynamicMessage::deserialize(desc, v.clone())
        .map(|_| ())
        .map_err(|e| format!("not `{full}` in Protobuf's JSON mapping: {e}"))
}

/// Checks a sample against the payload model in time linear in the sample
/// and the schema: the value set of each enum is built once (on first use)
/// and shared by every value checked against it.
#[derive(Debug, Default)]
struct SampleChecker<'s> {
    /// Enum value sets by the address of their value list.
    enums: std::collections::HashMap<*const String, std::collections::HashSet<&'s str>>,
}

impl<'s> SampleChecker<'s> {
    fn record(&mut self, v: &Value, rec: &'s Record, path: &str, errors: &mut Vec<String>) {
        let Some(obj) = v.as_object() else {
            errors.push(format!(
                "`{}` is not an object",
                if path.is_empty() { "payload" } else { path }
            ));
            return;
        };
        for f in &rec.fields {
            let p = if path.is_empty() {
                f.name.clone()
            } else {
                format!("{path}.{}", f.name)
            };
            match obj.get(&f.name) {
                None if f.required => errors.push(format!("required field `{p}` is missing")),
                None => {}
                Some(Value::Null) if f.nullable || !f.required => {}
                Some(val) => self.value(val, &f.ty, &p, errors),
            }
        }
        if rec.closed && obj.keys().any(|k| !rec.fields.iter().any(|f| &f.name == k)) {
            let known: BTreeSet<&str> = rec.fields.iter().map(|f| f.name.as_str()).collect();
            for k in obj.keys().filter(|k| !known.contains(k.as_str())) {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                errors.push(format!("field `{p}` is not in the schema"));
            }
        }
    }

    fn is_member(&mut self, values: &'s [String], s: &str) -> bool {
        // Short lists are searched; long ones get a set, built once.
        if values.len() <= 16 {
            return values.iter().any(|v| v == s);
        }
        self.enums
            .entry(values.as_ptr())
            .or_insert_with(|| values.iter().map(String::as_str).collect())
            .contains(s)
    }

    fn value(&mut self, v: &Value, ty: &'s FieldType, path: &str, errors: &mut Vec<String>) {
        let ok = match ty {
            FieldType::String { .. } | FieldType::Bytes => v.is_string(),
            FieldType::Integer => v.is_i64() || v.is_u64(),
            FieldType::Number => v.is_number(),
            FieldType::Boolean => v.is_boolean(),
            FieldType::Enum { values } => match v {
                Value::String(s) => self.is_member(values, s),
                // Other enum values compare by their JSON text.
                other => self.is_member(values, &other.to_string()),
            },
            FieldType::Array { items } => match v.as_array() {
                Some(a) => {
                    for (i, item) in a.iter().enumerate() {
                        self.value(item, items, &format!("{path}[{i}]"), errors);
                    }
                    true
                }
                None => false,
            },
            FieldType::Map { values } => match v.as_object() {
                Some(o) => {
                    for (k, item) in o {
                        self.value(item, values, &format!("{path}.{k}"), errors);
                    }
                    true
                }
                None => false,
            },
            FieldType::Record(r) => {
                self.record(v, r, path, errors);
                true
            }
            FieldType::Any => true,
        };
        if !ok {
            errors.push(format!("`{path}` should be {}", ty.describe()));
        }
    }
}
