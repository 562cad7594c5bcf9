//! Reading payload schema files (JSON Schema with `$ref`s, Protobuf, Avro)
//! into the model's [`PayloadSchema`]; every problem located in its file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::source::SourceFile;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::load::reader::Reader;
use crate::load::yaml::Located;
use std::rc::Rc;
#[cfg(any(feature = "protobuf", feature = "avro"))]
use std::sync::Arc;

#[cfg(feature = "protobuf")]
use crate::model::payload::ProtoParse;
#[cfg(feature = "avro")]
use crate::model::payload::{AvroParse, find_avro_record};
use crate::model::payload::{Field, FieldType, Parsed, PayloadSchema, Record, SchemaFormat};
use crate::model::vocab::PiiLevel;

/// Parse the schema file `abs` of the given format.
pub(crate) fn load(
    reader: &mut Reader<'_>,
    file: &SourceFile,
    format: SchemaFormat,
    message: Option<&Located<String>>,
    topic_file: &SourceFile,
) -> Result<PayloadSchema, Vec<Diagnostic>> {
    match format {
        SchemaFormat::JsonSchema => json_schema(reader, file),
        #[cfg(feature = "protobuf")]
        SchemaFormat::Protobuf => protobuf(file, message, topic_file),
        #[cfg(feature = "avro")]
        SchemaFormat::Avro => avro(file, message, topic_file),
        #[cfg(not(all(feature = "protobuf", feature = "avro")))]
        other => {
            let _ = (message, topic_file);
            Err(vec![not_built(file, other)])
        }
    }
}

/// A payload format whose parser this build of onex-codegen left out
/// (features `protobuf`, `avro`: a JSON-only crate need not build them).
#[cfg(not(all(feature = "protobuf", feature = "avro")))]
fn not_built(file: &SourceFile, format: SchemaFormat) -> Diagnostic {
    let (name, feature) = match format {
        SchemaFormat::Protobuf => ("Protobuf", "protobuf"),
        SchemaFormat::Avro => ("Avro", "avro"),
        SchemaFormat::JsonSchema => ("JSON Schema", "default"),
    };
    file.attach(
        Diagnostic::new(
            Code::UnsupportedSchema,
            format!(
                "`{}` is a {name} schema, and this build of onex-codegen has no {name} support",
                file.rel
            ),
        )
        .help(format!(
            "turn on the `{feature}` feature of the `onex` runtime (it turns on onex-codegen's for the macros), and of `onex-codegen` in `[build-dependencies]`"
        )),
        file.location(1, 1),
    )
}

// ---------------------------------------------------------------- JSON Schema

/// JSON text parsed with serde_json, in one pass; syntax errors and
/// duplicate object keys (which serde_json would resolve silently, keeping
/// the last) located.
pub(crate) fn parse_json(file: &SourceFile, code: Code) -> Result<Value, Diagnostic> {
    match serde_json::from_str::<UniqueKeys>(&file.text) {
        Ok(UniqueKeys(value)) => Ok(value),
        Err(e) => {
            let loc = file.location_of_byte_column(e.line(), e.column());
            let msg = e.to_string();
            if let Some(dup) = msg.strip_prefix(DUPLICATE) {
                let dup = dup.split(" at line ").next().unwrap_or(dup);
                return Err(file.attach(
                    Diagnostic::new(
                        Code::DuplicateKey,
                        format!("`{}`: duplicate key {dup}", file.rel),
                    )
                    .help("a JSON object names each key once; remove or rename one of them"),
                    loc,
                ));
            }
            let help = if msg.contains("recursion limit") {
                crate::diagnostic::NESTING_HINT
            } else {
                "fix the JSON at this position (JSON allows no trailing commas or comments)"
            };
            Err(file.attach(
                Diagnostic::new(code, format!("invalid JSON in `{}`: {e}", file.rel)).help(help),
                loc,
            ))
        }
    }
}

/// How a duplicate key error starts (told apart from syntax errors by it).
const DUPLICATE: &str = "onex: duplicate key ";

/// A JSON value that refuses an object repeating a key (the error carries
/// serde_json's position, just after the repeated key).
struct UniqueKeys(Value);

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(UniqueKeys(Value::Bool(b)))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(UniqueKeys(Value::from(n)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(UniqueKeys(Value::from(n)))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(UniqueKeys(
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        ))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(UniqueKeys(Value::String(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(UniqueKeys(Value::String(s)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(UniqueKeys(Value::Null))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(UniqueKeys(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(UniqueKeys(Value::Array(items)))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if out.contains_key(&k) {
                return Err(serde::de::Error::custom(format_args!(
                    "{DUPLICATE}`{}` in one object",
                    k.chars().take(80).collect::<String>()
                )));
            }
            let UniqueKeys(v) = map.next_value()?;
            out.insert(k, v);
        }
        Ok(UniqueKeys(Value::Object(out)))
    }
}

struct JsonWalker<'r, 's> {
    reader: &'r mut Reader<'s>,
    /// Loaded documents; shared, so that following a `$ref` does not copy
    /// the subtree it points at.
    docs: BTreeMap<PathBuf, (SourceFile, Rc<Value>)>,
    /// The `$ref`s being expanded, with the depth each was entered at.
    stack: Vec<(String, usize)>,
    diags: Vec<Diagnostic>,
    files: Vec<String>,
    /// `$ref` expansions left before the schema is refused as too large.
    budget: usize,
    /// Schema nodes that may still be visited inside `$ref` expansions
    /// (in one pass); bounds the total work when few references expand
    /// large definitions.
    work: usize,
    /// The limit was reported (once per schema).
    reported: bool,
    /// Name collisions reported, by message: a definition reached through
    /// several `$ref`s is walked more than once.
    collisions: std::collections::HashSet<String>,
}

const MAX_DEPTH: usize = 64;

/// A schema name in a message: in backticks, the empty name as `""`.
fn shown(name: &str) -> String {
    if name.is_empty() {
        "`\"\"`".to_owned()
    } else {
        format!("`{name}`")
    }
}

/// How many `$ref`s one payload schema may expand, in total (reading the
/// types and bundling each count). Depth alone does not bound the work: a
/// definition that refers twice to the next, 20 levels deep, expands a
/// million times.
pub(crate) const MAX_REF_EXPANSIONS: usize = 20_000;

/// How many schema nodes one pass over a payload schema may visit inside
/// `$ref` expansions: a few references to a large definition are as much
/// work as many references to a small one.
pub(crate) const MAX_REF_WORK: usize = 1_000_000;

fn json_schema(
    reader: &mut Reader<'_>,
    file: &SourceFile,
) -> Result<PayloadSchema, Vec<Diagnostic>> {
    let value = parse_json(file, Code::SchemaParse).map_err(|d| vec![d])?;
    if !value.is_object() {
        return Err(vec![file.attach(
            Diagnostic::new(Code::SchemaParse, "a JSON Schema must be an object"),
            Location::file(file.rel.clone()),
        )]);
    }
    let mut w = JsonWalker {
        reader,
        docs: BTreeMap::new(),
        stack: Vec::new(),
        diags: Vec::new(),
        files: vec![file.rel.clone()],
        budget: MAX_REF_EXPANSIONS,
        work: MAX_REF_WORK,
        reported: false,
        collisions: std::collections::HashSet::new(),
    };
    let value = Rc::new(value);
    w.docs
        .insert(file.abs.clone(), (file.clone(), Rc::clone(&value)));
    let ty = w.ty(&file.abs, &value, 0);
    if !w.diags.is_empty() {
        return Err(w.diags);
    }
    w.budget = MAX_REF_EXPANSIONS;
    w.work = MAX_REF_WORK;
    let bundled = w.bundle(&file.abs, &value, 0);
    if !w.diags.is_empty() {
        return Err(w.diags);
    }
    // Any root type is a payload: typify makes newtypes, enums and aliases
    // for roots that are not objects; they only have no fields to key by.
    let title = || {
        value
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (root, root_type) = match ty {
        FieldType::Record(r) => (r, None),
        other => (
            Record {
                name: title(),
                fields: Vec::new(),
                closed: false,
            },
            Some(other),
        ),
    };
    let mut files = w.files;
    files.sort();
    files.dedup();
    Ok(PayloadSchema {
        format: SchemaFormat::JsonSchema,
        file: file.rel.clone(),
        root,
        root_type,
        files,
        text: file.text.clone(),
        parsed: Parsed::Json(bundled),
    })
}

impl JsonWalker<'_, '_> {
    /// Count one node visited inside a `$ref` expansion; false when the
    /// pass has used up [`MAX_REF_WORK`].
    fn work(&mut self) -> bool {
        if self.stack.is_empty() {
            return true;
        }
        match self.work.checked_sub(1) {
            Some(w) => {
                self.work = w;
                true
            }
            None => false,
        }
    }

    /// After expanding `reference`: report (once) when the expansion used
    /// up the work limit.
    fn check_work(&mut self, doc: &Path, reference: &str) {
        if self.work == 0 && !self.reported {
            self.reported = true;
            let d = self.ref_error(
                doc,
                reference,
                Code::RefExpansion,
                format!(
                    "expanding `$ref: {reference}` visits more than {MAX_REF_WORK} schema nodes for one payload schema"
                ),
                "a large definition referred to many times multiplies: refer to it from fewer places, or split the payload into smaller types",
            );
            self.diags.push(d);
        }
    }

    fn ty(&mut self, doc: &Path, v: &Value, depth: usize) -> FieldType {
        if depth > MAX_DEPTH || !self.work() {
            return FieldType::Any;
        }
        let Some(obj) = v.as_object() else {
            return FieldType::Any;
        };
        if let Some(Value::String(r)) = obj.get("$ref") {
            return self.follow_ref(doc, r, depth);
        }
        if let Some(Value::Array(all)) = obj.get("allOf") {
            let mut merged = Record {
                name: None,
                fields: Vec::new(),
                closed: false,
            };
            // The object's own properties beside `allOf` count too (typify
            // merges them all into one struct). A property in several parts
            // is one field: required if any part requires it, nullable only
            // if every part allows `null`.
            let own = obj
                .contains_key("properties")
                .then(|| self.object(doc, obj, depth));
            let parts = all
                .iter()
                .map(|part| self.ty(doc, part, depth + 1))
                .collect::<Vec<_>>();
            let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
            for r in own.into_iter().chain(parts) {
                let FieldType::Record(r) = r else { continue };
                if merged.name.is_none() {
                    merged.name = r.name;
                }
                merged.closed |= r.closed;
                for f in r.fields {
                    match at.get(&f.name).and_then(|&i| merged.fields.get_mut(i)) {
                        Some(m) => {
                            m.required |= f.required;
                            m.nullable &= f.nullable;
                        }
                        None => {
                            at.insert(f.name.clone(), merged.fields.len());
                            merged.fields.push(f);
                        }
                    }
                }
            }
            self.check_field_names(doc, &merged.fields);
            return FieldType::Record(merged);
        }
        if let Some(Value::Array(vals)) = obj.get("enum") {
            self.check_enum_names(doc, vals);
            return FieldType::Enum {
                values: vals
                    .iter()
                    .map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect(),
            };
        }
        let ty = match obj.get("type") {
            Some(Value::String(t)) => Some(t.as_str()),
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
            _ if obj.contains_key("properties") => Some("object"),
            _ => None,
        };
        match ty {
            Some("string") => FieldType::String {
                format: obj.get("format").and_then(Value::as_str).map(str::to_owned),
            },
            Some("integer") => FieldType::Integer,
            Some("number") => FieldType::Number,
            Some("boolean") => FieldType::Boolean,
            Some("array") => FieldType::Array {
                items: Box::new(
                    obj.get("items")
                        .map_or(FieldType::Any, |i| self.ty(doc, i, depth + 1)),
                ),
            },
            Some("object") => self.object(doc, obj, depth),
            _ => FieldType::Any,
        }
    }

    fn object(
        &mut self,
        doc: &Path,
        obj: &serde_json::Map<String, Value>,
        depth: usize,
    ) -> FieldType {
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let closed = matches!(obj.get("additionalProperties"), Some(Value::Bool(false)))
            || matches!(obj.get("unevaluatedProperties"), Some(Value::Bool(false)));
        let Some(props) = obj.get("properties").and_then(Value::as_object) else {
            // Keys by pattern: a map, as generated (`emit/json.rs` `strip`):
            // of the pattern's values when they are the only keys allowed
            // and all alike, else of anything.
            if let Some(Value::Object(patterns)) = obj.get("patternProperties") {
                let mut schemas: Vec<&Value> = Vec::new();
                for v in patterns.values() {
                    if !schemas.contains(&v) {
                        schemas.push(v);
                    }
                }
                let values = match (closed, schemas.as_slice()) {
                    (true, [one]) => self.ty(doc, one, depth + 1),
                    _ => FieldType::Any,
                };
                return FieldType::Map {
                    values: Box::new(values),
                };
            }
            if let Some(ap @ Value::Object(_)) = obj.get("additionalProperties") {
                return FieldType::Map {
                    values: Box::new(self.ty(doc, ap, depth + 1)),
                };
            }
            return FieldType::Record(Record {
                name: obj.get("title").and_then(Value::as_str).map(str::to_owned),
                fields: Vec::new(),
                closed,
            });
        };
        let mut fields = Vec::new();
        for (name, schema) in props {
            let nullable = match schema.get("type") {
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
                _ => false,
            };
            fields.push(Field {
                name: name.clone(),
                ty: self.ty(doc, schema, depth + 1),
                required: required.contains(&name.as_str()),
                nullable,
                description: schema
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                pii: match schema.get("x-pii").and_then(Value::as_str) {
                    Some("none") => Some(PiiLevel::None),
                    Some("low") => Some(PiiLevel::Low),
                    Some("high") => Some(PiiLevel::High),
                    _ => None,
                },
            });
        }
        self.check_field_names(doc, &fields);
        FieldType::Record(Record {
            name: obj.get("title").and_then(Value::as_str).map(str::to_owned),
            fields,
            closed,
        })
    }

    /// Two properties whose Rust field names meet (`fooBar` and `foo_bar`,
    /// `self` and `Self`): typify would write the field twice.
    fn check_field_names(&mut self, doc: &Path, fields: &[Field]) {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for f in fields {
            let rust = crate::model::naming::typify_name(&f.name, false);
            match seen.get(&rust) {
                Some(first) => {
                    let msg = format!(
                        "properties {} and {} both become the Rust field `{rust}`",
                        shown(first),
                        shown(&f.name)
                    );
                    self.collision(
                        doc,
                        &f.name,
                        msg,
                        "rename one of them: Rust field names are the property names in snake_case, with `_` after a keyword",
                    );
                }
                None => {
                    seen.insert(rust, &f.name);
                }
            }
        }
    }

    /// A string `enum` whose values meet as Rust variant names (`A` and
    /// `a`, `a-b` and `a_b`, `""` and `x`): typify cannot name them apart.
    fn check_enum_names(&mut self, doc: &Path, vals: &[Value]) {
        // typify names the string values of a string enum (`null` beside
        // them makes it optional); other enums are not named by value.
        let strings: Vec<&str> = vals.iter().filter_map(Value::as_str).collect();
        if strings.len() != vals.iter().filter(|v| !v.is_null()).count() {
            return;
        }
        if let Err(meeting) = crate::model::naming::typify_variants(&strings) {
            let names: Vec<String> = meeting.iter().map(|v| shown(v)).collect();
            let msg = format!(
                "enum values {} become the same Rust variant name",
                names.join(", ")
            );
            let first = meeting.first().cloned().unwrap_or_default();
            self.collision(
                doc,
                &first,
                msg,
                "Rust variant names are the values in UpperCamelCase, without punctuation (an empty value is `X`): make the values differ in letters or digits",
            );
        }
    }

    fn collision(&mut self, doc: &Path, name: &str, msg: String, help: &str) {
        // A few show the problem; each costs a search of the document.
        const SHOWN: usize = 20;
        if self.collisions.len() < SHOWN && self.collisions.insert(msg.clone()) {
            let d = self.ref_error(doc, name, Code::SchemaNameCollision, msg, help);
            self.diags.push(d);
        }
    }

    /// Resolve `reference` (relative to `doc`) to its document and value,
    /// loading the document on first use; `None` after reporting why not.
    fn resolve_ref(
        &mut self,
        doc: &Path,
        reference: &str,
    ) -> Option<(PathBuf, String, Rc<Value>, String)> {
        let (file_part, pointer) = match reference.split_once('#') {
            Some((f, p)) => (f, p),
            None => (reference, ""),
        };
        let target =
            if file_part.is_empty() {
                doc.to_path_buf()
            } else if file_part.contains("://") {
                let d = self.ref_error(doc, reference, Code::UnresolvedRef, format!(
                "`$ref: {reference}` points at a URL; onex resolves only files inside the catalog"
            ), "copy the referenced schema into the catalog and refer to it by relative path");
                self.diags.push(d);
                return None;
            } else {
                let base = doc.parent().unwrap_or(Path::new("."));
                match self.reader.within_root(&base.join(file_part)) {
                    Ok(p) => p,
                    Err(escaped) => {
                        let d = self.ref_error(doc, reference, Code::EscapesRoot, format!(
                        "`$ref: {reference}` resolves to `{}`, outside the catalog root",
                        self.reader.rel(&escaped)
                    ), "keep shared schemas inside the catalog (for example `contracts/_shared/`)");
                        self.diags.push(d);
                        return None;
                    }
                }
            };
        let key = format!("{}#{pointer}", target.display());
        if !self.docs.contains_key(&target) {
            let rel = self.reader.rel(&target);
            let loaded = self
                .reader
                .read(&target, false)
                .map_err(|d| vec![d])
                .and_then(|f| {
                    parse_json(&f, Code::SchemaParse)
                        .map(|v| (f, v))
                        .map_err(|d| vec![d])
                });
            match loaded {
                Ok((f, v)) => {
                    self.files.push(rel);
                    self.docs.insert(target.clone(), (f, Rc::new(v)));
                }
                Err(ds) => {
                    let d = self.ref_error(
                        doc,
                        reference,
                        Code::UnresolvedRef,
                        format!("`$ref: {reference}` cannot be loaded"),
                        "check the path; it is relative to the schema file",
                    );
                    self.diags.push(d);
                    self.diags
                        .extend(ds.into_iter().filter(|d| d.code != Code::Unreadable));
                    return None;
                }
            }
        }
        let Some(root) = self
            .docs
            .get(&target)
            .map(|(_, v)| Rc::clone(v))
            .filter(|v| v.pointer(pointer).is_some())
        else {
            let d = self.ref_error(
                doc,
                reference,
                Code::UnresolvedRef,
                format!(
                    "`$ref: {reference}`: `#{pointer}` does not exist in the referenced document"
                ),
                "a local reference looks like `#/$defs/Name`",
            );
            self.diags.push(d);
            return None;
        };
        Some((target, key, root, pointer.to_owned()))
    }

    /// Count one `$ref` expansion; false (after one located report) when
    /// the schema has used up its budget.
    fn spend(&mut self, doc: &Path, reference: &str) -> bool {
        match self.budget {
            0 => false,
            1 => {
                self.budget = 0;
                self.reported = true;
                let d = self.ref_error(
                    doc,
                    reference,
                    Code::RefExpansion,
                    format!(
                        "expanding `$ref: {reference}` goes past {MAX_REF_EXPANSIONS} `$ref` expansions for one payload schema"
                    ),
                    "definitions that refer several times to the next multiply: refer to a shared object once, or flatten the chain",
                );
                self.diags.push(d);
                false
            }
            _ => {
                self.budget -= 1;
                true
            }
        }
    }

    /// Whether `key` is being expanded: `Some(true)` for a cycle of bare
    /// aliases (`A` is `$ref B`, `B` is `$ref A`), which defines no type,
    /// `Some(false)` for a recursive type (the cycle passes through a
    /// property, an item or a map value), `None` when it is not.
    fn cycle(&self, key: &str, depth: usize) -> Option<bool> {
        let at = self.stack.iter().position(|(k, _)| k == key)?;
        let mut expect = depth;
        for (_, d) in self.stack.iter().skip(at).rev() {
            if *d + 1 != expect {
                return Some(false);
            }
            expect = *d;
        }
        Some(true)
    }

    fn alias_cycle(&mut self, doc: &Path, reference: &str, key: &str) {
        let at = self.stack.iter().position(|(k, _)| k == key).unwrap_or(0);
        let path: Vec<String> = self
            .stack
            .iter()
            .skip(at)
            .map(|(k, _)| k.rsplit(['/', '#']).next().unwrap_or(k).to_owned())
            .chain(std::iter::once(
                key.rsplit(['/', '#']).next().unwrap_or(key).to_owned(),
            ))
            .collect();
        let d = self.ref_error(
            doc,
            reference,
            Code::UnresolvedRef,
            format!(
                "`$ref: {reference}` closes a cycle of bare references ({}) that defines no type",
                path.join(" → ")
            ),
            "a recursive type must pass through a property, `items` or `additionalProperties`; point one of the references at a real schema",
        );
        self.diags.push(d);
    }

    fn follow_ref(&mut self, doc: &Path, reference: &str, depth: usize) -> FieldType {
        if !self.spend(doc, reference) {
            return FieldType::Any;
        }
        let Some((target, key, root, pointer)) = self.resolve_ref(doc, reference) else {
            return FieldType::Any;
        };
        let Some(sub) = root.pointer(&pointer) else {
            return FieldType::Any;
        };
        match self.cycle(&key, depth + 1) {
            Some(true) => {
                self.alias_cycle(doc, reference, &key);
                return FieldType::Any;
            }
            Some(false) => return FieldType::Any, // recursive type: stop here
            None => {}
        }
        self.stack.push((key, depth + 1));
        let ty = self.ty(&target, sub, depth + 1);
        self.stack.pop();
        self.check_work(doc, reference);
        ty
    }

    /// A copy of `v` with every `$ref` replaced by what it points at.
    fn bundle(&mut self, doc: &Path, v: &Value, depth: usize) -> Value {
        if depth > MAX_DEPTH || !self.work() {
            return Value::Object(serde_json::Map::new());
        }
        match v {
            Value::Object(obj) => {
                if let Some(Value::String(r)) = obj.get("$ref") {
                    if !self.spend(doc, r) {
                        return Value::Object(serde_json::Map::new());
                    }
                    let Some((target, key, root, pointer)) = self.resolve_ref(doc, r) else {
                        return Value::Object(serde_json::Map::new());
                    };
                    let Some(sub) = root.pointer(&pointer) else {
                        return Value::Object(serde_json::Map::new());
                    };
                    if self.stack.iter().any(|(k, _)| *k == key) {
                        return Value::Object(serde_json::Map::new());
                    }
                    self.stack.push((key, depth));
                    let mut out = self.bundle(&target, sub, depth + 1);
                    self.stack.pop();
                    self.check_work(doc, r);
                    // Keywords beside `$ref` (a description, say) are kept.
                    if let Value::Object(o) = &mut out {
                        for (k, val) in obj {
                            if k != "$ref" {
                                let b = self.bundle(doc, val, depth + 1);
                                o.insert(k.clone(), b);
                            }
                        }
                    }
                    return out;
                }
                let mut out = serde_json::Map::new();
                for (k, val) in obj {
                    // Definitions are inlined where used; keep them out of the copy.
                    if k == "$defs" || k == "definitions" {
                        continue;
                    }
                    out.insert(k.clone(), self.bundle(doc, val, depth + 1));
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.bundle(doc, i, depth + 1))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn ref_error(
        &self,
        doc: &Path,
        reference: &str,
        code: Code,
        msg: String,
        help: &str,
    ) -> Diagnostic {
        let d = Diagnostic::new(code, msg).help(help);
        match self.docs.get(doc) {
            Some((f, _)) => {
                let needle = serde_json::to_string(reference).unwrap_or_default();
                let loc = f.find(&needle);
                f.attach(d, loc)
            }
            None => d,
        }
    }
}

// ---------------------------------------------------------------- Protobuf

#[cfg(feature = "protobuf")]
/// Serves the payload `.proto` from memory; Google's well-known types come
/// from protox's own copy, so no `protoc` and no include path is needed.
struct MemoryResolver {
    name: String,
    text: String,
}

#[cfg(feature = "protobuf")]
impl protox::file::FileResolver for MemoryResolver {
    fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
        if name == self.name {
            protox::file::File::from_source(name, &self.text)
        } else {
            Err(protox::Error::file_not_found(name))
        }
    }
}

#[cfg(feature = "protobuf")]
/// One protox (or prost-reflect) error as a diagnostic: located at its
/// last label (protox puts what was found after what it conflicts with,
/// e.g. the field after the reserved range), the other labels as related
/// locations.
fn proto_diagnostic(file: &SourceFile, e: &dyn miette::Diagnostic) -> Diagnostic {
    let labels: Vec<miette::LabeledSpan> = e.labels().map(|l| l.collect()).unwrap_or_default();
    let at = |l: &miette::LabeledSpan| file.location_of_offset(l.offset(), l.len());
    let loc = labels
        .last()
        .map_or_else(|| Location::file(file.rel.clone()), at);
    let text = e.to_string();
    let help = if text.contains("not found") {
        "payload .proto files are self-contained: imports other than google/protobuf/* are not resolved; define the types in this file"
    } else if text.contains("reserved") {
        "a reserved number or name belonged to a deleted field and must not be reused (old data would be misread): give the field an unreserved number and name, or, if it was never released, remove it from `reserved`"
    } else {
        "fix the Protobuf here; the file is compiled as proto2/proto3 source"
    };
    let mut d = Diagnostic::new(
        Code::SchemaParse,
        format!("invalid Protobuf in `{}`: {text}", file.rel),
    )
    .help(help);
    if let Some((_, before)) = labels.split_last() {
        for l in before {
            d = d.related(at(l), l.label().unwrap_or("related").to_owned());
        }
    }
    file.attach(d, loc)
}

#[cfg(feature = "protobuf")]
/// Compile a `.proto` once with protox: syntax, unresolved types and
/// imports are reported here, at load, located in the file.
fn compile_proto(file: &SourceFile) -> Result<prost_types::FileDescriptorSet, Vec<Diagnostic>> {
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel).to_owned();
    let mut chain = protox::file::ChainFileResolver::new();
    chain.add(MemoryResolver {
        name: name.clone(),
        text: file.text.to_string(),
    });
    chain.add(protox::file::GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(chain);
    compiler.include_source_info(true).include_imports(true);
    compiler.open_file(&name).map_err(|e| {
        // protox reports the first error, the others as related ones:
        // every one becomes a diagnostic.
        let mut out = vec![proto_diagnostic(file, &e)];
        if let Some(more) = miette::Diagnostic::related(&e) {
            out.extend(more.take(100).map(|r| proto_diagnostic(file, r)));
        }
        out
    })?;
    let set = compiler.file_descriptor_set();
    let reused = reserved_names_in_use(file, &set, &name);
    if !reused.is_empty() {
        return Err(reused);
    }
    Ok(set)
}

#[cfg(feature = "protobuf")]
/// Fields and enum values that use a name their message or enum reserves
/// (`reserved "old_name";`), which protox accepts: located at the name.
fn reserved_names_in_use(
    file: &SourceFile,
    set: &prost_types::FileDescriptorSet,
    name: &str,
) -> Vec<Diagnostic> {
    use prost_types::{DescriptorProto, EnumDescriptorProto};
    /// Reports (what, item name, owner name, descriptor path).
    type Report<'r> = dyn FnMut(&str, &str, &str, &[i32]) + 'r;
    let Some(fd) = set.file.iter().find(|f| f.name() == name) else {
        return Vec::new();
    };
    // Source spans by descriptor path (see descriptor.proto's SourceCodeInfo).
    let spans: BTreeMap<&[i32], &[i32]> = fd
        .source_code_info
        .iter()
        .flat_map(|i| &i.location)
        .map(|l| (l.path.as_slice(), l.span.as_slice()))
        .collect();
    let mut out = Vec::new();
    let mut report = |what: &str, item: &str, owner: &str, path: &[i32]| {
        let loc = match spans.get(path) {
            Some([line, col, ..]) => file.location(
                usize::try_from(*line).unwrap_or(0) + 1,
                usize::try_from(*col).unwrap_or(0) + 1,
            ),
            _ => file.find(item),
        };
        let loc = Location {
            len: item.len().min(file.text.len().saturating_sub(loc.offset)),
            ..loc
        };
        out.push(file.attach(
            Diagnostic::new(
                Code::SchemaParse,
                format!("{what} `{item}` uses a name that `{owner}` reserves"),
            )
            .help("a reserved name belonged to a deleted field and must not be reused (JSON and text formats would misread old data): rename this one, or, if the old one was never released, remove it from `reserved`"),
            loc,
        ));
    };
    fn enums(e: &EnumDescriptorProto, path: &[i32], report: &mut Report<'_>) {
        for (i, v) in e.value.iter().enumerate() {
            if e.reserved_name.iter().any(|r| r == v.name()) {
                let mut p = path.to_vec();
                p.extend([2, i32::try_from(i).unwrap_or(i32::MAX), 1]);
                report("enum value", v.name(), e.name(), &p);
            }
        }
    }
    fn messages(m: &DescriptorProto, path: &[i32], depth: usize, report: &mut Report<'_>) {
        if depth > MAX_DEPTH {
            return;
        }
        let idx = |i: usize| i32::try_from(i).unwrap_or(i32::MAX);
        for (i, f) in m.field.iter().enumerate() {
            if m.reserved_name.iter().any(|r| r == f.name()) {
                let mut p = path.to_vec();
                p.extend([2, idx(i), 1]);
                report("field", f.name(), m.name(), &p);
            }
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            let mut p = path.to_vec();
            p.extend([3, idx(i)]);
            messages(n, &p, depth + 1, report);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            let mut p = path.to_vec();
            p.extend([4, idx(i)]);
            enums(e, &p, report);
        }
    }
    for (i, m) in fd.message_type.iter().enumerate() {
        messages(
            m,
            &[4, i32::try_from(i).unwrap_or(i32::MAX)],
            0,
            &mut report,
        );
    }
    for (i, e) in fd.enum_type.iter().enumerate() {
        enums(e, &[5, i32::try_from(i).unwrap_or(i32::MAX)], &mut report);
    }
    out
}

#[cfg(feature = "protobuf")]
fn protobuf(
    file: &SourceFile,
    message: Option<&Located<String>>,
    topic_file: &SourceFile,
) -> Result<PayloadSchema, Vec<Diagnostic>> {
    use prost_types::field_descriptor_proto::{Label, Type};
    let set = compile_proto(file)?;
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel).to_owned();
    // Every message and enum of the set (imports included), by fully
    // qualified name with a leading dot, as field `type_name`s spell them.
    let mut messages = BTreeMap::new();
    let mut enums: BTreeMap<String, Vec<String>> = BTreeMap::new();
    fn collect<'a>(
        prefix: &str,
        msgs: &'a [prost_types::DescriptorProto],
        out: &mut BTreeMap<String, &'a prost_types::DescriptorProto>,
        enums: &mut BTreeMap<String, Vec<String>>,
    ) {
        for m in msgs {
            let full = format!("{prefix}.{}", m.name());
            for e in &m.enum_type {
                enums.insert(
                    format!("{full}.{}", e.name()),
                    e.value.iter().map(|v| v.name().to_owned()).collect(),
                );
            }
            collect(&full, &m.nested_type, out, enums);
            out.insert(full, m);
        }
    }
    for fd in &set.file {
        let pkg = if fd.package().is_empty() {
            String::new()
        } else {
            format!(".{}", fd.package())
        };
        for e in &fd.enum_type {
            enums.insert(
                format!("{pkg}.{}", e.name()),
                e.value.iter().map(|v| v.name().to_owned()).collect(),
            );
        }
        collect(&pkg, &fd.message_type, &mut messages, &mut enums);
    }
    let Some(fd) = set.file.iter().find(|f| f.name() == name) else {
        return Err(vec![file.attach(
            Diagnostic::new(
                Code::SchemaParse,
                format!("`{}` compiled to no descriptor", file.rel),
            ),
            Location::file(file.rel.clone()),
        )]);
    };
    let pkg = if fd.package().is_empty() {
        String::new()
    } else {
        format!(".{}", fd.package())
    };
    let collisions = enum_variant_collisions(fd, file);
    if !collisions.is_empty() {
        return Err(collisions);
    }
    let proto3 = fd.syntax() == "proto3";
    let chosen = match message {
        Some(m) => fd
            .message_type
            .iter()
            .find(|d| d.name() == m.value.as_str())
            .or_else(|| messages.get(&format!("{pkg}.{}", m.value)).copied()),
        None => fd.message_type.first(),
    };
    let Some(root_msg) = chosen else {
        let d = match message {
            Some(m) => {
                let names: Vec<&str> = fd.message_type.iter().map(|d| d.name()).collect();
                let d = Diagnostic::new(
                    Code::SchemaRecordNotFound,
                    format!("message `{}` is not defined in `{}`", m.value, file.rel),
                )
                .maybe_help(
                    crate::diagnostic::suggest::did_you_mean(&m.value, names.iter().copied())
                        .map(|s| format!("did you mean `{s}`?")),
                );
                topic_file.attach(d, topic_file.location(m.line, m.column))
            }
            None => file.attach(
                Diagnostic::new(
                    Code::SchemaRecordNotFound,
                    format!("`{}` defines no message", file.rel),
                ),
                Location::file(file.rel.clone()),
            ),
        };
        return Err(vec![d]);
    };
    struct Ctx<'a> {
        messages: &'a BTreeMap<String, &'a prost_types::DescriptorProto>,
        enums: &'a BTreeMap<String, Vec<String>>,
        proto3: bool,
        /// Fields still to expand: a message used by two fields of another,
        /// and so on down, would otherwise cost 2^depth.
        work: std::cell::Cell<usize>,
    }
    /// The model of message `m`; `path` holds the full names of the
    /// messages being expanded above it: a field back into one of them
    /// (`google.protobuf.Value`, a tree node) is not expanded again.
    fn record<'m>(
        m: &'m prost_types::DescriptorProto,
        cx: &Ctx<'m>,
        path: &mut Vec<&'m str>,
    ) -> Record {
        let fields = m
            .field
            .iter()
            .map(|f| {
                cx.work.set(cx.work.get().saturating_sub(1));
                let repeated = f.label() == Label::Repeated;
                let base = match f.r#type() {
                    Type::String => FieldType::String { format: None },
                    Type::Bytes => FieldType::Bytes,
                    Type::Bool => FieldType::Boolean,
                    Type::Double | Type::Float => FieldType::Number,
                    Type::Enum => {
                        // Each enum field holds its values: they count as work.
                        let values = cx.enums.get(f.type_name()).cloned().unwrap_or_default();
                        cx.work.set(cx.work.get().saturating_sub(values.len()));
                        FieldType::Enum { values }
                    }
                    Type::Message | Type::Group => match cx.messages.get(f.type_name()) {
                        Some(sub)
                            if path.len() < MAX_DEPTH
                                && cx.work.get() > 0
                                && !path.contains(&f.type_name()) =>
                        {
                            path.push(f.type_name());
                            let r = record(sub, cx, path);
                            path.pop();
                            FieldType::Record(r)
                        }
                        _ => FieldType::Any,
                    },
                    _ => FieldType::Integer,
                };
                let is_message = matches!(base, FieldType::Record(_) | FieldType::Any);
                let ty = if repeated {
                    FieldType::Array {
                        items: Box::new(base),
                    }
                } else {
                    base
                };
                let required = match f.label() {
                    Label::Required => true,
                    Label::Repeated => false,
                    // A member of a `oneof` may be unset (prost: an `Option` of the oneof).
                    Label::Optional => {
                        cx.proto3 && !f.proto3_optional() && !is_message && f.oneof_index.is_none()
                    }
                };
                Field {
                    name: f.name().to_owned(),
                    ty,
                    required,
                    nullable: false,
                    description: None,
                    pii: None,
                }
            })
            .collect();
        Record {
            name: Some(m.name().to_owned()),
            fields,
            closed: true,
        }
    }
    let cx = Ctx {
        messages: &messages,
        enums: &enums,
        proto3,
        work: std::cell::Cell::new(MAX_REF_WORK),
    };
    let root_name = format!("{pkg}.{}", root_msg.name());
    let root = record(root_msg, &cx, &mut vec![root_name.as_str()]);
    if cx.work.get() == 0 {
        return Err(vec![file.attach(
            Diagnostic::new(
                Code::RefExpansion,
                format!(
                    "message `{}` expands to more than {MAX_REF_WORK} fields (messages used by several fields of each other, level after level)",
                    root_msg.name()
                ),
            )
            .help("use fewer message-typed fields per level, or split the payload into messages that do not all nest in each other"),
            file.find(&format!("message {}", root_msg.name())),
        )]);
    }
    let message_name = root_msg.name().to_owned();
    Ok(PayloadSchema {
        format: SchemaFormat::Protobuf,
        file: file.rel.clone(),
        root,
        root_type: None,
        files: vec![file.rel.clone()],
        text: file.text.clone(),
        parsed: Parsed::Protobuf(ProtoParse {
            set: Arc::new(set),
            file: name,
            message: message_name,
        }),
    })
}

/// Enum values that prost-build would turn into one Rust variant (it strips
/// the enum's name from each value, `COLOR_RED` of `Color` becoming `Red`,
/// and refuses two that meet, such as `COLOR_RED` and `RED`), at any
/// nesting depth of the payload's file.
#[cfg(feature = "protobuf")]
fn enum_variant_collisions(
    fd: &prost_types::FileDescriptorProto,
    file: &SourceFile,
) -> Vec<Diagnostic> {
    use heck::ToUpperCamelCase;
    fn enums<'a>(
        msgs: &'a [prost_types::DescriptorProto],
        out: &mut Vec<&'a prost_types::EnumDescriptorProto>,
    ) {
        for m in msgs {
            out.extend(&m.enum_type);
            enums(&m.nested_type, out);
        }
    }
    let mut all: Vec<&prost_types::EnumDescriptorProto> = fd.enum_type.iter().collect();
    enums(&fd.message_type, &mut all);
    let mut out = Vec::new();
    for e in all {
        let prefix = e.name().to_upper_camel_case();
        let mut numbers = std::collections::HashSet::new();
        let mut names: BTreeMap<String, &str> = BTreeMap::new();
        for v in &e.value {
            // Aliases (`allow_alias`) share a number and are skipped, as prost does.
            if !numbers.insert(v.number()) {
                continue;
            }
            let camel = v.name().to_upper_camel_case();
            let variant = match camel.strip_prefix(&prefix) {
                Some(rest) if rest.starts_with(|c: char| c.is_uppercase()) => rest.to_owned(),
                _ => camel,
            };
            if let Some(first) = names.get(&variant) {
                // A few show the problem; each costs a search of the file.
                if out.len() >= 20 {
                    return out;
                }
                out.push(file.attach(
                    Diagnostic::new(
                        Code::SchemaNameCollision,
                        format!(
                            "enum `{}`: values `{first}` and `{}` both become the Rust variant `{variant}`",
                            e.name(),
                            v.name()
                        ),
                    )
                    .help(format!(
                        "prost-build drops the enum's name from its values (`{}_X` becomes `X`): rename one of them",
                        heck::ToShoutySnakeCase::to_shouty_snake_case(e.name())
                    )),
                    find_word(file, v.name()),
                ));
            } else {
                names.insert(variant, v.name());
            }
        }
    }
    out
}

/// The first occurrence of `word` in the file as a whole word (not inside
/// `CHANNEL_WEB` when looking for `WEB`), else the file.
#[cfg(feature = "protobuf")]
fn find_word(file: &SourceFile, word: &str) -> Location {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let text = &file.text;
    text.match_indices(word)
        .find(|(i, _)| {
            let before = text.get(..*i).and_then(|t| t.chars().next_back());
            let after = text.get(i + word.len()..).and_then(|t| t.chars().next());
            !before.is_some_and(ident) && !after.is_some_and(ident)
        })
        .map_or_else(
            || Location::file(file.rel.clone()),
            |(i, _)| file.location_of_offset(i, word.len()),
        )
}

// ---------------------------------------------------------------- Avro

#[cfg(feature = "avro")]
/// Where in the `.avsc` an Avro error is (apache-avro reports names, not
/// positions: the name is looked up as a JSON string in the text), and a
/// hint for it.
fn avro_error_at(file: &SourceFile, e: &apache_avro::Error) -> (Location, String) {
    use apache_avro::error::Details;
    // The `nth` occurrence of `"name"` (0: the first), else the first.
    let quoted = |name: &str, nth: usize| -> Option<Location> {
        let needle = format!("\"{name}\"");
        let mut found = file.text.match_indices(needle.as_str()).map(|(i, _)| i);
        let first = found.next()?;
        let at = if nth == 0 {
            first
        } else {
            found.nth(nth - 1).unwrap_or(first)
        };
        Some(file.location_of_offset(at, needle.len()))
    };
    let names = "names are letters, digits and `_`, not starting with a digit (Avro's `[A-Za-z_][A-Za-z0-9_]*`)";
    let (at, help) = match e.details() {
        Details::FieldName(n) => (quoted(n, 0), names.to_owned()),
        Details::EnumSymbolName(n) => (quoted(n, 0), names.to_owned()),
        Details::InvalidSchemaName(n, _) => (
            quoted(n.rsplit('.').next().unwrap_or(n), 0).or_else(|| quoted(n, 0)),
            names.to_owned(),
        ),
        Details::InvalidNamespace(n, _) => (
            quoted(n, 0),
            "a namespace is dot-separated names, e.g. `com.example.shop`".to_owned(),
        ),
        Details::FieldNameDuplicate(n) => (
            quoted(n, 1),
            format!("rename or remove the second field `{n}`: field names are unique in a record"),
        ),
        Details::EnumSymbolDuplicate(n) => (
            quoted(n, 1),
            format!("remove the second symbol `{n}`: enum symbols are unique"),
        ),
        Details::ParsePrimitive(n) | Details::InvalidSchemaRecord(n) => (
            quoted(n, 0),
            "use a primitive type (`null`, `boolean`, `int`, `long`, `float`, `double`, `bytes`, `string`) or the name of a record, enum or fixed defined before this use".to_owned(),
        ),
        Details::ParsePrimitiveSimilar(n, similar) => {
            (quoted(n, 0), format!("did you mean `{similar}`?"))
        }
        Details::SchemaResolutionError(n) => (
            quoted(n.name(), 0).or_else(|| quoted(&n.fullname(None), 0)),
            "define the named type (record, enum or fixed) before it is used, or fix the name's spelling".to_owned(),
        ),
        Details::NameCollision(n) => (
            quoted(n.rsplit('.').next().unwrap_or(n), 1),
            "named types are unique in a schema: rename one, or refer to the first by name".to_owned(),
        ),
        Details::AmbiguousSchemaDefinition(n) => (
            quoted(n.name(), 1),
            "named types are unique in a schema: rename one, or refer to the first by name".to_owned(),
        ),
        Details::GetDefaultRecordField(field, _, ty, _) => (
            quoted(field, 0).map(|l| {
                // The field's `default`, if it follows the name.
                let rest = file.text.get(l.offset..).unwrap_or_default();
                match rest.find("\"default\"") {
                    Some(i) => file.location_of_offset(l.offset + i, "\"default\"".len()),
                    None => l,
                }
            }),
            format!("give `{field}` a default of its own type `{ty}` (for a union, of the union's first type), or remove the default"),
        ),
        _ => (
            None,
            "fix the schema by the Avro specification (https://avro.apache.org/docs/current/specification/)".to_owned(),
        ),
    };
    // Unlocated by name: the error is about the whole document.
    let at = at.unwrap_or_else(|| file.location(1, 1));
    (at, help)
}

/// Fields of one Avro record that become one Rust field (`fooBar` and
/// `foo_bar`, `self` and `Self`), each located at the later field's name.
/// Walks the `.avsc` as JSON (already parsed, so no deeper than
/// serde_json's nesting limit), where every record is an object with
/// `"type": "record"` and `"fields"`.
#[cfg(feature = "avro")]
fn avro_field_collisions<'v>(
    file: &SourceFile,
    v: &'v Value,
    path: &mut Vec<crate::diagnostic::json_path::Step<'v>>,
    out: &mut Vec<Diagnostic>,
) {
    use crate::diagnostic::json_path::{Step, value_span};
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                avro_field_collisions(file, item, path, out);
                path.pop();
            }
        }
        Value::Object(o) => {
            let is_record =
                matches!(o.get("type"), Some(Value::String(t)) if t == "record" || t == "error");
            let fields = match o.get("fields") {
                Some(Value::Array(fields)) if is_record => fields.as_slice(),
                _ => &[],
            };
            let record = o.get("name").and_then(Value::as_str).unwrap_or("?");
            // Rust name → the Avro name that has it first.
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for (i, f) in fields.iter().enumerate() {
                let Some(name) = f.get("name").and_then(Value::as_str) else {
                    continue;
                };
                let rust = crate::model::naming::rust_field_name(name);
                match seen.get(&rust) {
                    Some(first) if *first != name => {
                        let mut at = path.clone();
                        at.extend([Step::Key("fields"), Step::Index(i), Step::Key("name")]);
                        let loc = value_span(&file.text, &at).map_or_else(
                            || file.location(1, 1),
                            |(o, n)| file.location_of_offset(o, n),
                        );
                        out.push(file.attach(
                            Diagnostic::new(
                                Code::SchemaNameCollision,
                                format!(
                                    "fields `{first}` and `{name}` of record `{record}` are both the Rust field `{rust}`"
                                ),
                            )
                            .help(format!(
                                "rename `{name}` or `{first}`: Rust fields are snake_case (a keyword gets a trailing `_`), so names that differ only in case, `_` or a keyword's spelling meet; a renamed field still reads old data if it lists its old name in `\"aliases\"`"
                            )),
                            loc,
                        ));
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(rust, name);
                    }
                }
            }
            // Where schemas nest: a field's or a wrapper's `type`, an
            // array's `items`, a map's `values`.
            for key in ["type", "items", "values"] {
                if let Some(child @ (Value::Object(_) | Value::Array(_))) = o.get(key) {
                    path.push(Step::Key(key));
                    avro_field_collisions(file, child, path, out);
                    path.pop();
                }
            }
            if !fields.is_empty() {
                path.push(Step::Key("fields"));
                for (i, f) in fields.iter().enumerate() {
                    path.push(Step::Index(i));
                    avro_field_collisions(file, f, path, out);
                    path.pop();
                }
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(feature = "avro")]
fn avro(
    file: &SourceFile,
    message: Option<&Located<String>>,
    topic_file: &SourceFile,
) -> Result<PayloadSchema, Vec<Diagnostic>> {
    use apache_avro::Schema;
    // serde_json first: it locates syntax errors, apache-avro does not.
    let json = parse_json(file, Code::SchemaParse).map_err(|d| vec![d])?;
    let schema = Schema::parse_str(&file.text).map_err(|e| {
        let (loc, help) = avro_error_at(file, &e);
        vec![
            file.attach(
                Diagnostic::new(
                    Code::SchemaParse,
                    format!("invalid Avro schema in `{}`: {e}", file.rel),
                )
                .help(help),
                loc,
            ),
        ]
    })?;
    let mut collisions = Vec::new();
    avro_field_collisions(file, &json, &mut Vec::new(), &mut collisions);
    if !collisions.is_empty() {
        return Err(collisions);
    }
    let chosen = match (message, &schema) {
        (Some(m), s) => find_avro_record(s, &m.value),
        (None, Schema::Record(r)) => Some(r),
        // Not a record at the top: that schema is the payload.
        (None, _) => None,
    };
    if let (Some(m), None) = (message, chosen) {
        let mut names = Vec::new();
        collect_record_names(&schema, &mut names);
        return Err(vec![
            topic_file.attach(
                Diagnostic::new(
                    Code::SchemaRecordNotFound,
                    format!("record `{}` is not defined in `{}`", m.value, file.rel),
                )
                .help(
                    match crate::diagnostic::suggest::did_you_mean(
                        &m.value,
                        names.iter().map(String::as_str),
                    ) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("records: {}", names.join(", ")),
                    },
                ),
                topic_file.location(m.line, m.column),
            ),
        ]);
    }
    fn collect_record_names(s: &Schema, out: &mut Vec<String>) {
        match s {
            Schema::Record(r) => {
                out.push(r.name.name().to_owned());
                r.fields
                    .iter()
                    .for_each(|f| collect_record_names(&f.schema, out));
            }
            Schema::Array(a) => collect_record_names(&a.items, out),
            Schema::Map(m) => collect_record_names(&m.types, out),
            Schema::Union(u) => u
                .variants()
                .iter()
                .for_each(|v| collect_record_names(v, out)),
            _ => {}
        }
    }
    fn ty(s: &Schema, depth: usize) -> (FieldType, bool) {
        let t = match s {
            Schema::Boolean => FieldType::Boolean,
            Schema::Int | Schema::Long => FieldType::Integer,
            Schema::Float | Schema::Double => FieldType::Number,
            Schema::Bytes | Schema::Fixed(_) => FieldType::Bytes,
            Schema::String => FieldType::String { format: None },
            Schema::Uuid(_) => FieldType::String {
                format: Some("uuid".to_owned()),
            },
            Schema::TimestampMillis | Schema::TimestampMicros => FieldType::String {
                format: Some("date-time".to_owned()),
            },
            Schema::Date => FieldType::String {
                format: Some("date".to_owned()),
            },
            Schema::Enum(e) => FieldType::Enum {
                values: e.symbols.clone(),
            },
            Schema::Array(a) => FieldType::Array {
                items: Box::new(ty(&a.items, depth + 1).0),
            },
            Schema::Map(m) => FieldType::Map {
                values: Box::new(ty(&m.types, depth + 1).0),
            },
            Schema::Record(r) if depth < MAX_DEPTH => FieldType::Record(rec(r, depth + 1)),
            Schema::Union(u) => {
                let non_null: Vec<&Schema> = u
                    .variants()
                    .iter()
                    .filter(|v| !matches!(v, Schema::Null))
                    .collect();
                let nullable = non_null.len() < u.variants().len();
                return match non_null.as_slice() {
                    [one] => (ty(one, depth + 1).0, nullable),
                    _ => (FieldType::Any, nullable),
                };
            }
            _ => FieldType::Any,
        };
        (t, false)
    }
    fn rec(r: &apache_avro::schema::RecordSchema, depth: usize) -> Record {
        Record {
            name: Some(r.name.fullname(None)),
            fields: r
                .fields
                .iter()
                .map(|f| {
                    let (t, nullable) = ty(&f.schema, depth);
                    Field {
                        name: f.name.clone(),
                        ty: t,
                        required: f.default.is_none() && !nullable,
                        nullable,
                        description: f.doc.clone(),
                        pii: match f.custom_attributes.get("pii").and_then(|v| v.as_str()) {
                            Some("none") => Some(PiiLevel::None),
                            Some("low") => Some(PiiLevel::Low),
                            Some("high") => Some(PiiLevel::High),
                            _ => None,
                        },
                    }
                })
                .collect(),
            closed: true,
        }
    }
    let (root, root_type, record) = match chosen {
        Some(r) => (rec(r, 0), None, r.name.fullname(None)),
        None => {
            // No name: the generated type is `Payload` (an alias of the
            // schema's Rust type, which keeps its own name).
            let record = Record {
                name: None,
                fields: Vec::new(),
                closed: true,
            };
            (record, Some(ty(&schema, 0).0), String::new())
        }
    };
    Ok(PayloadSchema {
        format: SchemaFormat::Avro,
        file: file.rel.clone(),
        root,
        root_type,
        files: vec![file.rel.clone()],
        text: file.text.clone(),
        parsed: Parsed::Avro(AvroParse {
            record,
            schema: Arc::new(schema.clone()),
        }),
    })
}
