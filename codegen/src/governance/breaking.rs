//! Schema evolution: compare the catalog with an older version of itself (a
//! git ref or a directory). Within a major topic version every change must be
//! compatible under the topic's compatibility mode, per schema format, and the
//! topic contract itself may not change its key, shrink its partitions,
//! change its cleanup policy or rename without an alias. A breaking change is
//! an error that names the field and says to create `v<N+1>`.
//!
//! JSON Schema follows the content-model semantics of Confluent Schema
//! Registry: a reader with an *open* model (no `additionalProperties: false`)
//! accepts any extra property, so the writer's old records may already hold a
//! property with any type; adding a typed property to an open model is
//! therefore incompatible, and adding an optional property is compatible only
//! where the old model is closed. Messages say so.

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Location, Severity, Waived};
use crate::model::payload::{FieldType, Parsed, Record, SchemaFormat};
use crate::model::vocab::{Compatibility, LintLevel};
use crate::model::{Catalog, Topic};

/// The result of a comparison.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BreakingReport {
    /// Breaking changes (errors).
    pub findings: Vec<Diagnostic>,
    /// Breaking changes waived by the contract, with the reason.
    pub waived: Vec<Waived>,
    /// Topic versions compared.
    pub compared: usize,
}

/// Where, in a schema or contract text, a name first appears.
fn locate(file: &str, text: &str, needle: &str) -> Location {
    match text.find(needle) {
        Some(off) => {
            let before = text.get(..off).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Location {
                file: file.to_owned(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
                offset: off,
                len: needle.len(),
            }
        }
        None => Location::file(file),
    }
}

struct Cmp<'a> {
    report: BreakingReport,
    new: &'a Topic,
    old: &'a Topic,
}

impl Cmp<'_> {
    fn emit(
        &mut self,
        rule: &'static str,
        at: Location,
        message: String,
        related: Option<Location>,
    ) {
        let next = self.new.id.major + 1;
        let mut d = Diagnostic::new(Code::Breaking, format!("{message} in `{}`", self.new.name)).at(at).help(format!(
            "a breaking change needs a new major version: copy the contract to `{}/{}/{}/v{next}/` and change it there (seed 000), or waive `{rule}` in this contract with a reason",
            self.new.id.context, self.new.id.class, self.new.id.topic
        ));
        d.rule = Some(rule);
        d.severity = Severity::Error;
        if let Some(r) = related {
            d = d.related(r, "before");
        }
        match self.new.lint_overrides.get(rule) {
            Some((LintLevel::Allow, reason)) => self.report.waived.push(Waived {
                finding: d,
                reason: reason.clone(),
            }),
            Some((LintLevel::Warn, _)) => {
                d.severity = Severity::Warning;
                self.report.findings.push(d);
            }
            _ => self.report.findings.push(d),
        }
    }

    fn schema_at(&self, needle: &str) -> Location {
        locate(
            &self.new.schema.payload.file,
            &self.new.schema.payload.text,
            needle,
        )
    }

    fn old_schema_at(&self, needle: &str) -> Location {
        locate(
            &self.old.schema.payload.file,
            &self.old.schema.payload.text,
            needle,
        )
    }
}

/// Compare `new` (the working catalog) against `old` (the catalog at a ref).
pub fn compare(old: &Catalog, new: &Catalog) -> BreakingReport {
    let mut report = BreakingReport::default();
    for o in &old.topics {
        let Some(n) = new.topic(&o.id) else {
            let mut d = Diagnostic::new(Code::Breaking, format!("topic version `{}` ({}) was removed", o.name, o.id))
                .at(Location::file(o.file.clone()))
                .help("consumers still read it: deprecate it first (`deprecated:` with `replaced_by`) and delete it after the backlog drains (seed 000)");
            d.rule = Some("breaking-topic-removed");
            report.findings.push(d);
            continue;
        };
        report.compared += 1;
        let mut c = Cmp {
            report: BreakingReport::default(),
            new: n,
            old: o,
        };
        contract(&mut c);
        let mode = n.schema.compatibility;
        let mut schema_changes = 0usize;
        if n.schema.payload.format != o.schema.payload.format {
            let at = Location::file(n.schema.payload.file.clone());
            c.emit(
                "breaking-format-changed",
                at,
                format!(
                    "the payload format changed from {:?} to {:?}",
                    o.schema.payload.format, n.schema.payload.format
                ),
                None,
            );
        } else if mode != Compatibility::None {
            let before = c.report.findings.len() + c.report.waived.len();
            match n.schema.payload.format {
                SchemaFormat::JsonSchema => {
                    let (backward, forward) = directions(mode);
                    if backward {
                        json_rw(
                            &mut c,
                            &n.schema.payload.root,
                            &o.schema.payload.root,
                            "",
                            true,
                        );
                    }
                    if forward {
                        json_rw(
                            &mut c,
                            &o.schema.payload.root,
                            &n.schema.payload.root,
                            "",
                            false,
                        );
                    }
                }
                SchemaFormat::Protobuf => proto(&mut c),
                SchemaFormat::Avro => avro(&mut c, mode),
            }
            schema_changes = c.report.findings.len() + c.report.waived.len() - before;
        }
        version_bump(&mut c, schema_changes);
        report.findings.extend(c.report.findings);
        report.waived.extend(c.report.waived);
    }
    report
}

/// (check new-reads-old, check old-reads-new) for a mode. Transitive modes
/// are checked against the one older version given.
fn directions(mode: Compatibility) -> (bool, bool) {
    match mode {
        Compatibility::Backward | Compatibility::BackwardTransitive => (true, false),
        Compatibility::Forward | Compatibility::ForwardTransitive => (false, true),
        Compatibility::Full | Compatibility::FullTransitive => (true, true),
        Compatibility::None => (false, false),
    }
}

fn contract(c: &mut Cmp<'_>) {
    let (n, o) = (c.new, c.old);
    let file = n
        .spans
        .file
        .clone()
        .unwrap_or_else(|| Location::file(n.file.clone()));
    if n.key.path != o.key.path {
        let at = n.spans.key.clone().unwrap_or(file.clone());
        c.emit(
            "breaking-key-changed",
            at,
            format!(
                "the key changed from `{}` to `{}`",
                o.key.field(),
                n.key.field()
            ),
            None,
        );
    }
    if n.partitions < o.partitions {
        let at = n.spans.partitions.clone().unwrap_or(file.clone());
        c.emit(
            "breaking-partitions-decreased",
            at,
            format!(
                "partitions went down from {} to {}",
                o.partitions, n.partitions
            ),
            None,
        );
    }
    if n.cleanup_policy != o.cleanup_policy {
        let at = n.spans.at("cleanup_policy").unwrap_or(file.clone());
        c.emit(
            "breaking-cleanup-policy-changed",
            at,
            format!(
                "the cleanup policy changed from {:?} to {:?}",
                o.cleanup_policy, n.cleanup_policy
            ),
            None,
        );
    }
    let old_name = o.name.to_string();
    if n.name != o.name && !n.aliases.contains(&old_name) {
        let at = n.spans.name.clone().unwrap_or(file);
        c.emit(
            "breaking-name-changed",
            at,
            format!("the wire name changed from `{old_name}` without keeping it in `aliases:`"),
            None,
        );
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn type_accepts(reader: &FieldType, writer: &FieldType) -> bool {
    match (reader, writer) {
        (FieldType::Any, _) => true,
        (FieldType::Number, FieldType::Integer) => true,
        (FieldType::String { .. }, FieldType::String { .. }) => true,
        (FieldType::Enum { .. }, FieldType::Enum { .. }) => true,
        (FieldType::Array { items: r }, FieldType::Array { items: w }) => type_accepts(r, w),
        (FieldType::Map { values: r }, FieldType::Map { values: w }) => type_accepts(r, w),
        (FieldType::Record(_), FieldType::Record(_)) => true,
        (r, w) => std::mem::discriminant(r) == std::mem::discriminant(w),
    }
}

/// Can `reader` read records written with `writer`? `backward` says which
/// way round the topic's versions are (new reads old, or old reads new), for
/// the wording.
fn json_rw(c: &mut Cmp<'_>, reader: &Record, writer: &Record, path: &str, backward: bool) {
    let (role_r, role_w) = if backward {
        ("the new schema", "old records")
    } else {
        ("consumers on the old schema", "new records")
    };
    let at = |c: &Cmp<'_>, name: &str| {
        let needle = format!("\"{name}\"");
        let here = c.schema_at(&needle);
        if here.line > 1 {
            here
        } else {
            Location::file(c.new.schema.payload.file.clone())
        }
    };
    for f in &reader.fields {
        let p = join(path, &f.name);
        match writer.field(&f.name) {
            None if f.required => {
                let (loc, rel) = if backward {
                    (at(c, &f.name), None)
                } else {
                    (
                        Location::file(c.new.schema.payload.file.clone()),
                        Some(c.old_schema_at(&format!("\"{}\"", f.name))),
                    )
                };
                let what = if backward {
                    format!("required field `{p}` was added: {role_w} do not have it")
                } else {
                    format!("required field `{p}` was removed: {role_r} still require it")
                };
                let rule = if backward {
                    "breaking-json-field-added"
                } else {
                    "breaking-json-field-removed"
                };
                c.emit(rule, loc, what, rel);
            }
            None if !writer.closed => {
                let loc = if backward {
                    at(c, &f.name)
                } else {
                    Location::file(c.new.schema.payload.file.clone())
                };
                let what = if backward {
                    format!(
                        "optional field `{p}` was added to an open content model: the old schema allows any extra property, so old records may already hold `{}` with another type (Confluent's PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL); adding an optional property is compatible only where the model is closed (`additionalProperties: false`)",
                        f.name
                    )
                } else {
                    format!(
                        "field `{p}` was removed while the new schema is open: new records may carry `{}` with any type, which consumers on the old schema read as typed",
                        f.name
                    )
                };
                let rule = if backward {
                    "breaking-json-field-added"
                } else {
                    "breaking-json-field-removed"
                };
                c.emit(rule, loc, what, None);
            }
            None => {}
            Some(w) => {
                if f.required && !w.required {
                    c.emit(
                        "breaking-json-required",
                        at(c, &f.name),
                        format!("field `{p}` became required: {role_w} may lack it"),
                        None,
                    );
                }
                if !type_accepts(&f.ty, &w.ty) || (w.nullable && !f.nullable) {
                    let narrow = if w.nullable && !f.nullable {
                        " (null is no longer allowed)".to_owned()
                    } else {
                        String::new()
                    };
                    c.emit("breaking-json-type-changed", at(c, &f.name), format!("the type of `{p}` changed from {} to {}{narrow}: {role_r} cannot read {role_w}", w.ty.describe(), f.ty.describe()), None);
                }
                if let (FieldType::Enum { values: rv }, FieldType::Enum { values: wv }) =
                    (&f.ty, &w.ty)
                {
                    let missing: Vec<&String> = wv.iter().filter(|v| !rv.contains(v)).collect();
                    if !missing.is_empty() {
                        let list = missing
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        c.emit(
                            "breaking-json-enum-narrowed",
                            at(c, &f.name),
                            format!("enum `{p}` lost {list}: {role_w} may hold them"),
                            None,
                        );
                    }
                }
                if let (FieldType::Record(r), FieldType::Record(w)) = (&f.ty, &w.ty) {
                    json_rw(c, r, w, &p, backward);
                }
            }
        }
    }
    if reader.closed {
        for w in &writer.fields {
            if reader.field(&w.name).is_none() {
                let p = join(path, &w.name);
                let (loc, rel) = if backward {
                    (
                        Location::file(c.new.schema.payload.file.clone()),
                        Some(c.old_schema_at(&format!("\"{}\"", w.name))),
                    )
                } else {
                    (at(c, &w.name), None)
                };
                let what = if backward {
                    format!(
                        "field `{p}` was removed from a closed content model (`additionalProperties: false`): old records still carry it and the new schema rejects them"
                    )
                } else {
                    format!(
                        "field `{p}` was added while consumers on the old schema reject unknown properties (`additionalProperties: false`)"
                    )
                };
                let rule = if backward {
                    "breaking-json-field-removed"
                } else {
                    "breaking-json-field-added"
                };
                c.emit(rule, loc, what, rel);
            }
        }
        if !writer.closed {
            let loc = at(c, "additionalProperties");
            let scope = if path.is_empty() {
                "the payload".to_owned()
            } else {
                format!("`{path}`")
            };
            c.emit("breaking-json-model-closed", loc, format!("the content model of {scope} was closed: {role_w} may hold properties the schema now rejects"), None);
        }
    }
}

fn proto(c: &mut Cmp<'_>) {
    use prost_types::field_descriptor_proto::Type;
    // The descriptors the loader compiled (types resolved, so an enum field
    // reads as an enum, not as the default scalar).
    let fd = |t: &Topic| match &t.schema.payload.parsed {
        Parsed::Protobuf(p) => p.file_descriptor().cloned(),
        _ => None,
    };
    let (Some(nf), Some(of)) = (fd(c.new), fd(c.old)) else {
        return;
    };
    for om in &of.message_type {
        let Some(nm) = nf.message_type.iter().find(|m| m.name() == om.name()) else {
            let at = Location::file(c.new.schema.payload.file.clone());
            let rel = c.old_schema_at(&format!("message {}", om.name()));
            c.emit(
                "breaking-proto-field-removed",
                at,
                format!("message `{}` was removed", om.name()),
                Some(rel),
            );
            continue;
        };
        let reserved_num = |n: i32| {
            nm.reserved_range
                .iter()
                .any(|r| r.start() <= n && n < r.end())
        };
        for of_ in &om.field {
            match nm.field.iter().find(|f| f.number() == of_.number()) {
                None => {
                    if !(reserved_num(of_.number())
                        && nm.reserved_name.iter().any(|r| r == of_.name()))
                    {
                        let at = c.schema_at(&format!("message {}", nm.name()));
                        let rel = c.old_schema_at(&format!(" {} = {}", of_.name(), of_.number()));
                        c.emit(
                            "breaking-proto-field-removed",
                            at,
                            format!("field `{}.{}` (number {}) was removed without `reserved {}; reserved \"{}\";`", om.name(), of_.name(), of_.number(), of_.number(), of_.name()),
                            Some(rel),
                        );
                    }
                }
                Some(nf_) => {
                    let at = c.schema_at(&format!(" {} = {}", nf_.name(), nf_.number()));
                    if nf_.name() != of_.name() {
                        c.emit(
                            "breaking-proto-number-reused",
                            at.clone(),
                            format!(
                                "field number {} of `{}` was `{}` and is now `{}`",
                                of_.number(),
                                om.name(),
                                of_.name(),
                                nf_.name()
                            ),
                            None,
                        );
                    }
                    let wire = |t: Type| match t {
                        Type::Int32
                        | Type::Int64
                        | Type::Uint32
                        | Type::Uint64
                        | Type::Bool
                        | Type::Enum => 0,
                        Type::Sint32 | Type::Sint64 => 1,
                        Type::Fixed32 | Type::Sfixed32 | Type::Float => 2,
                        Type::Fixed64 | Type::Sfixed64 | Type::Double => 3,
                        Type::String | Type::Bytes => 4,
                        Type::Message | Type::Group => 5,
                    };
                    let same = of_.r#type() == nf_.r#type()
                        && of_.type_name() == nf_.type_name()
                        && of_.label() == nf_.label();
                    if !same
                        && (wire(of_.r#type()) != wire(nf_.r#type()) || of_.label() != nf_.label())
                    {
                        c.emit(
                            "breaking-proto-type-changed",
                            at,
                            format!(
                                "field `{}.{}` changed type from {:?} to {:?}",
                                om.name(),
                                nf_.name(),
                                of_.r#type(),
                                nf_.r#type()
                            ),
                            None,
                        );
                    }
                }
            }
        }
    }
}

fn avro(c: &mut Cmp<'_>, mode: Compatibility) {
    use apache_avro::Schema;
    use apache_avro::schema_compatibility::SchemaCompatibility;
    let (Parsed::Avro(n), Parsed::Avro(o)) =
        (&c.new.schema.payload.parsed, &c.old.schema.payload.parsed)
    else {
        return;
    };
    let (n, o): (&Schema, &Schema) = (&n.schema, &o.schema);
    let (backward, forward) = directions(mode);
    let checks = [(backward, o, n, true), (forward, n, o, false)];
    for (on, writer, reader, is_backward) in checks {
        if !on {
            continue;
        }
        if let Err(e) = SchemaCompatibility::can_read(writer, reader) {
            // Name the field where we can: a reader field without a default
            // that the writer lacks.
            let (rf, wf) = (&c.new.schema.payload.root, &c.old.schema.payload.root);
            let (reader_rec, writer_rec) = if is_backward { (rf, wf) } else { (wf, rf) };
            let missing = reader_rec
                .fields
                .iter()
                .find(|f| f.required && writer_rec.field(&f.name).is_none());
            let (at, msg, rel) = match missing {
                Some(f) if is_backward => (
                    c.schema_at(&format!("\"{}\"", f.name)),
                    format!(
                        "field `{}` was added without a default: old records do not have it",
                        f.name
                    ),
                    None,
                ),
                Some(f) => (
                    Location::file(c.new.schema.payload.file.clone()),
                    format!(
                        "required field `{}` (no default) was removed: consumers on the old schema cannot read new records",
                        f.name
                    ),
                    Some(c.old_schema_at(&format!("\"{}\"", f.name))),
                ),
                None => (
                    Location::file(c.new.schema.payload.file.clone()),
                    format!(
                        "the Avro schemas are incompatible ({}): {e}",
                        if is_backward {
                            "new reads old"
                        } else {
                            "old reads new"
                        }
                    ),
                    None,
                ),
            };
            c.emit("breaking-avro-incompatible", at, msg, rel);
        }
    }
}

fn version_bump(c: &mut Cmp<'_>, breaking: usize) {
    let (Ok(nv), Ok(ov)) = (
        semver::Version::parse(&c.new.schema.version),
        semver::Version::parse(&c.old.schema.version),
    ) else {
        return;
    };
    let at = c
        .new
        .spans
        .at("schema")
        .unwrap_or_else(|| Location::file(c.new.file.clone()));
    let changed = c.new.schema.payload.text != c.old.schema.payload.text;
    let names = |r: &Record| {
        r.fields
            .iter()
            .map(|f| f.name.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let additive = names(&c.new.schema.payload.root) != names(&c.old.schema.payload.root);
    if nv < ov {
        c.emit(
            "breaking-schema-version",
            at,
            format!("schema.version went down from {ov} to {nv}"),
            None,
        );
    } else if changed && breaking == 0 {
        let ok = if additive {
            nv.major == ov.major && nv.minor > ov.minor
        } else {
            nv > ov
        };
        if !ok {
            let want = if additive {
                format!("{}.{}.0", ov.major, ov.minor + 1)
            } else {
                format!("{}.{}.{}", ov.major, ov.minor, ov.patch + 1)
            };
            let kind = if additive {
                "fields were added or removed compatibly: bump the minor"
            } else {
                "the schema changed: bump at least the patch"
            };
            c.emit(
                "breaking-schema-version",
                at,
                format!("schema.version is {nv} but {kind} (e.g. {want})"),
                None,
            );
        }
    }
}
