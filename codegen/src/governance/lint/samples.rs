//! Sample rules: every topic has a sample, and every sample matches its
//! schema (JSON Schema and Avro by the payload model, Protobuf by its JSON
//! mapping).

use std::collections::BTreeSet;

use serde_json::Value;

use super::Linter;
use crate::diagnostic::Location;
use crate::diagnostic::json_path::{self, Step};
use crate::diagnostic::source::SourceFile;
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
                if let Err(e) = proto_sample(p, s) {
                    errors.push(e);
                }
            }
            _ => {
                let mut checker = SampleChecker::default();
                match &t.schema.payload.root_type {
                    // A root that is not a record: the sample is that value.
                    Some(ty) => {
                        checker.value(&s.value, ty, &mut Path::new("payload"), &mut errors);
                    }
                    None => checker.record(
                        &s.value,
                        &t.schema.payload.root,
                        &mut Path::new(""),
                        &mut errors,
                    ),
                }
            }
        }
        // Every problem is its own finding (a summary like "(and 1 more)"
        // hides what to fix), up to a cap that keeps a broken big sample's
        // report readable.
        const SHOWN: usize = 20;
        let total = errors.len();
        let source = (!errors.is_empty()).then(|| {
            SourceFile::from_text(s.file.clone(), std::path::PathBuf::new(), s.text.clone())
        });
        for (i, e) in errors.iter().take(SHOWN).enumerate() {
            let rest = if i + 1 == SHOWN && total > SHOWN {
                format!(
                    " ({} further problems in this sample not shown)",
                    total - SHOWN
                )
            } else {
                String::new()
            };
            let at = source
                .as_ref()
                .map_or_else(|| Location::file(s.file.clone()), |src| e.locate(src));
            l.emit(
                "sample-valid",
                Some(t),
                Some(at),
                format!("sample does not match the schema: {}{rest}", e.message),
                "correct the sample or the schema".to_owned(),
            );
        }
    }
}

/// What is wrong in a sample, and where: a path into its JSON, or a line
/// and column from serde_json.
struct Problem<'v> {
    at: Where<'v>,
    message: String,
}

enum Where<'v> {
    Path(Vec<Step<'v>>),
    LineColumn(usize, usize),
}

impl Problem<'_> {
    fn locate(&self, src: &SourceFile) -> Location {
        match &self.at {
            Where::Path(steps) => json_path::value_span(&src.text, steps).map_or_else(
                || Location::file(src.rel.clone()),
                |(offset, len)| src.location_of_offset(offset, len),
            ),
            Where::LineColumn(line, column) => {
                let end = src.location_of_byte_column(*line, *column).offset;
                let (offset, len) = json_path::scalar_ending_at(&src.text, end);
                src.location_of_offset(offset, len)
            }
        }
    }
}

/// The path to the value being checked, and how messages name it.
struct Path<'v> {
    /// What the path starts from in messages (`payload` for a sample that
    /// is not an object, else nothing: fields are named from the root).
    root: &'static str,
    steps: Vec<Step<'v>>,
}

impl<'v> Path<'v> {
    fn new(root: &'static str) -> Self {
        Path {
            root,
            steps: Vec::new(),
        }
    }

    /// `a.b[2].c`, with `then` appended as one more key.
    fn show(&self, then: Option<&str>) -> String {
        let mut out = self.root.to_owned();
        let keys = self.steps.iter().map(|s| match s {
            Step::Key(k) => Err(*k),
            Step::Index(i) => Ok(*i),
        });
        for step in keys.chain(then.map(Err)) {
            match step {
                Err(k) if out.is_empty() => out.push_str(k),
                Err(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Ok(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if out.is_empty() {
            "payload".to_owned()
        } else {
            out
        }
    }

    fn problem(&self, message: String) -> Problem<'v> {
        Problem {
            at: Where::Path(self.steps.clone()),
            message,
        }
    }
}

/// Read a sample as the payload message by Protobuf's JSON mapping, from
/// its text, so that a mismatch has serde_json's line and column.
fn proto_sample<'v>(
    p: &crate::model::payload::ProtoParse,
    s: &'v crate::model::Sample,
) -> Result<(), Problem<'v>> {
    let whole = |message: String| Problem {
        at: Where::Path(Vec::new()),
        message,
    };
    let pool = prost_reflect::DescriptorPool::from_file_descriptor_set((*p.set).clone())
        .map_err(|e| whole(format!("the schema's descriptors do not load: {e}")))?;
    let package = p.file_descriptor().map(|f| f.package()).unwrap_or_default();
    let full = if package.is_empty() {
        p.message.clone()
    } else {
        format!("{package}.{}", p.message)
    };
    let Some(desc) = pool.get_message_by_name(&full) else {
        return Err(whole(format!("message `{full}` is not in the schema")));
    };
    let mut de = serde_json::Deserializer::from_str(&s.text);
    prost_reflect::DynamicMessage::deserialize(desc, &mut de)
        .and_then(|_| de.end())
        .map_err(|e| {
            // The position goes into the location, not the message.
            let text = e.to_string();
            let at = format!(" at line {} column {}", e.line(), e.column());
            let what = text.strip_suffix(&at).unwrap_or(&text);
            Problem {
                at: Where::LineColumn(e.line(), e.column()),
                message: format!("not `{full}` in Protobuf's JSON mapping: {what}"),
            }
        })
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
    fn record<'v>(
        &mut self,
        v: &'v Value,
        rec: &'s Record,
        path: &mut Path<'v>,
        errors: &mut Vec<Problem<'v>>,
    ) {
        let Some(obj) = v.as_object() else {
            errors.push(path.problem(format!("`{}` is not an object", path.show(None))));
            return;
        };
        for f in &rec.fields {
            match obj.get_key_value(f.name.as_str()) {
                None if f.required => errors.push(path.problem(format!(
                    "required field `{}` is missing",
                    path.show(Some(&f.name))
                ))),
                None => {}
                Some((_, Value::Null)) if f.nullable || !f.required => {}
                Some((k, val)) => {
                    path.steps.push(Step::Key(k));
                    self.value(val, &f.ty, path, errors);
                    path.steps.pop();
                }
            }
        }
        if rec.closed && obj.keys().any(|k| !rec.fields.iter().any(|f| &f.name == k)) {
            let known: BTreeSet<&str> = rec.fields.iter().map(|f| f.name.as_str()).collect();
            for k in obj.keys().filter(|k| !known.contains(k.as_str())) {
                path.steps.push(Step::Key(k));
                errors.push(
                    path.problem(format!("field `{}` is not in the schema", path.show(None))),
                );
                path.steps.pop();
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

    fn value<'v>(
        &mut self,
        v: &'v Value,
        ty: &'s FieldType,
        path: &mut Path<'v>,
        errors: &mut Vec<Problem<'v>>,
    ) {
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
                        path.steps.push(Step::Index(i));
                        self.value(item, items, path, errors);
                        path.steps.pop();
                    }
                    true
                }
                None => false,
            },
            FieldType::Map { values } => match v.as_object() {
                Some(o) => {
                    for (k, item) in o {
                        path.steps.push(Step::Key(k));
                        self.value(item, values, path, errors);
                        path.steps.pop();
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
            errors.push(path.problem(format!("`{}` should be {}", path.show(None), ty.describe())));
        }
    }
}
