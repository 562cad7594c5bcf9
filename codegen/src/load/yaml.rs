//! YAML documents with positions. marked-yaml keeps the line and column of
//! every node (serde_yaml cannot), so diagnostics can point at the offending
//! key or value; [`Located`] carries those positions into the typed model.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::diagnostic::source::SourceFile;
use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic};

/// A value with the 1-based line and column where it was written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line (0 when the value was not read from a file).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl<T> Located<T> {
    /// A value with no position (defaults, tests).
    pub fn unlocated(value: T) -> Self {
        Located {
            value,
            line: 0,
            column: 0,
        }
    }
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

// marked-yaml's `Spanned` only lends its value out, hence `Clone`.
impl<'de, T: Deserialize<'de> + Clone> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = marked_yaml::Spanned::<T>::deserialize(d)?;
        let (line, column) = spanned
            .span()
            .start()
            .map_or((0, 0), |m| (m.line(), m.column()));
        Ok(Located {
            value: (*spanned).clone(),
            line,
            column,
        })
    }
}

// The JSON Schema of a located value is the schema of the value.
impl<T: JsonSchema> JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// Parse one YAML document of `file` into `T`, or explain why not. Every
/// unknown field of the document is reported (serde alone stops at the
/// first): the document is first checked against `T`'s JSON Schema.
pub fn parse<T: DeserializeOwned + JsonSchema>(file: &SourceFile) -> Result<T, Vec<Diagnostic>> {
    parse_node(file).map(|(v, _)| v)
}

/// Where the keys of a document's top-level mapping are written, by name,
/// and the keys of the mappings under some of them as `<key>.<name>`
/// (`pii.email`): `(line, column, length of the key)`, 1-based.
pub type KeySpans = std::collections::BTreeMap<String, (usize, usize, usize)>;

/// [`parse`], and the positions of the top-level keys and of the keys of
/// the mappings under `nested` (from the parser's spans, not the text).
pub fn parse_with_keys<T: DeserializeOwned + JsonSchema>(
    file: &SourceFile,
    nested: &[&str],
) -> Result<(T, KeySpans), Vec<Diagnostic>> {
    let (v, node) = parse_node(file)?;
    let mut keys = KeySpans::new();
    let at = |k: &marked_yaml::types::MarkedScalarNode| {
        k.span()
            .start()
            .map(|m| (m.line(), m.column(), k.as_str().len()))
    };
    if let Some(top) = node.as_mapping() {
        for (k, child) in top.iter() {
            if let Some(pos) = at(k) {
                keys.insert(k.as_str().to_owned(), pos);
            }
            let Some(inner) = child.as_mapping().filter(|_| nested.contains(&k.as_str())) else {
                continue;
            };
            for (ik, _) in inner.iter() {
                if let Some(pos) = at(ik) {
                    keys.insert(format!("{}.{}", k.as_str(), ik.as_str()), pos);
                }
            }
        }
    }
    Ok((v, keys))
}

fn parse_node<T: DeserializeOwned + JsonSchema>(
    file: &SourceFile,
) -> Result<(T, marked_yaml::Node), Vec<Diagnostic>> {
    if let Some(d) = second_document(file) {
        return Err(vec![d]);
    }
    let options = marked_yaml::LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .toplevel_mapping();
    let node = match marked_yaml::parse_yaml_with_options(0, &*file.text, options) {
        Ok(node) => node,
        Err(e) => return Err(vec![load_error(file, e)]),
    };
    let schema = schema_of::<T>();
    let schema = &*schema;
    let mut unknown = Vec::new();
    unknown_fields(file, &node, schema, schema, "", &mut unknown);
    match marked_yaml::from_node::<T>(&node) {
        Ok(v) if unknown.is_empty() => Ok((v, node)),
        Ok(_) => Err(unknown),
        Err(e) => {
            let d = from_node_error(file, e);
            // serde's first problem is usually among ours already.
            let seen = unknown
                .iter()
                .any(|u| u.code == d.code && u.location == d.location)
                || (d.code == Code::UnknownField && !unknown.is_empty());
            if !seen {
                unknown.push(d);
            }
            Err(unknown)
        }
    }
}

/// A `---` (or `...` followed by more content) after the first document:
/// a contract file holds one YAML document, and the parser would read only
/// the first and drop the rest silently.
fn second_document(file: &SourceFile) -> Option<Diagnostic> {
    let mut content = false;
    let mut ended = false;
    for (i, line) in file.text.lines().enumerate() {
        let t = line.trim_end();
        let marker = t == "---" || t.starts_with("--- ") || t.starts_with("---\t");
        if marker && content || (ended && !t.is_empty() && !t.starts_with('#') && t != "...") {
            return Some(file.attach(
                Diagnostic::new(
                    Code::YamlSyntax,
                    format!("`{}` holds a second YAML document; a contract file holds one", file.rel),
                )
                .help("remove the `---` line and merge the documents, or move the second into its own file"),
                file.location(i + 1, 1),
            ));
        }
        if t == "..." && content {
            ended = true;
        }
        if !marker && !t.is_empty() && !t.trim_start().starts_with('#') && t != "..." {
            content = true;
        }
    }
    None
}

/// `T`'s JSON Schema as a value, generated once per type (hundreds of files
/// of three kinds are parsed per load).
fn schema_of<T: JsonSchema>() -> std::sync::Arc<serde_json::Value> {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<BTreeMap<&'static str, Arc<serde_json::Value>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut map = match cache.lock() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    map.entry(std::any::type_name::<T>())
        .or_insert_with(|| {
            Arc::new(serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default())
        })
        .clone()
}

/// Follow `$ref` and `Option`'s `anyOf: [T, null]` to the schema that
/// describes a mapping.
fn object_schema<'s>(
    root: &'s serde_json::Value,
    s: &'s serde_json::Value,
) -> Option<&'s serde_json::Value> {
    if let Some(r) = s.get("$ref").and_then(|r| r.as_str()) {
        let pointer = r.strip_prefix('#')?;
        return object_schema(root, root.pointer(pointer)?);
    }
    if let Some(any) = s
        .get("anyOf")
        .or_else(|| s.get("oneOf"))
        .and_then(|a| a.as_array())
    {
        return any.iter().find_map(|v| object_schema(root, v));
    }
    s.get("properties")
        .or_else(|| s.get("additionalProperties"))
        .map(|_| s)
}

fn unknown_fields(
    file: &SourceFile,
    node: &marked_yaml::Node,
    root: &serde_json::Value,
    schema: &serde_json::Value,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    match node {
        marked_yaml::Node::Mapping(map) => {
            let Some(s) = object_schema(root, schema) else {
                return;
            };
            let props = s.get("properties").and_then(|p| p.as_object());
            let extra = s.get("additionalProperties");
            for (k, v) in map.iter() {
                let key = k.as_str();
                let child_path = if path.is_empty() {
                    key.to_owned()
                } else {
                    format!("{path}.{key}")
                };
                match (props.and_then(|p| p.get(key)), extra) {
                    (Some(sub), _) => unknown_fields(file, v, root, sub, &child_path, out),
                    (None, Some(serde_json::Value::Bool(false))) => {
                        let expected: Vec<&str> = props
                            .map(|p| p.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        let help = match did_you_mean(key, expected.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("expected one of: {}", expected.join(", ")),
                        };
                        let loc = k.span().start().map_or_else(
                            || crate::diagnostic::Location::file(file.rel.clone()),
                            |m| file.location(m.line(), m.column()),
                        );
                        out.push(
                            file.attach(
                                Diagnostic::new(
                                    Code::UnknownField,
                                    format!("unknown field `{key}` at `{child_path}`"),
                                )
                                .help(help),
                                loc,
                            ),
                        );
                    }
                    (None, Some(sub @ serde_json::Value::Object(_))) => {
                        unknown_fields(file, v, root, sub, &child_path, out)
                    }
                    _ => {}
                }
            }
        }
        marked_yaml::Node::Sequence(seq) => {
            let items = schema
                .get("items")
                .or_else(|| object_schema(root, schema).and_then(|s| s.get("items")));
            if let Some(items) = items {
                for (i, v) in seq.iter().enumerate() {
                    unknown_fields(file, v, root, items, &format!("{path}[{i}]"), out);
                }
            } else if let Some(any) = schema.get("anyOf").and_then(|a| a.as_array()) {
                if let Some(items) = any.iter().find_map(|v| v.get("items")) {
                    for (i, v) in seq.iter().enumerate() {
                        unknown_fields(file, v, root, items, &format!("{path}[{i}]"), out);
                    }
                }
            }
        }
        marked_yaml::Node::Scalar(scalar) => {
            if let Some(d) = scalar_problem(file, scalar, root, schema, path) {
                out.push(d);
            }
        }
    }
}

/// Schemas a value may match: `$ref`s followed, `anyOf`/`oneOf` flattened.
fn alternatives<'s>(
    root: &'s serde_json::Value,
    s: &'s serde_json::Value,
    out: &mut Vec<&'s serde_json::Value>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    if let Some(r) = s.get("$ref").and_then(|r| r.as_str()) {
        if let Some(target) = r.strip_prefix('#').and_then(|p| root.pointer(p)) {
            alternatives(root, target, out, depth + 1);
        }
        return;
    }
    match s
        .get("anyOf")
        .or_else(|| s.get("oneOf"))
        .and_then(|a| a.as_array())
    {
        Some(any) => any
            .iter()
            .for_each(|v| alternatives(root, v, out, depth + 1)),
        None => out.push(s),
    }
}

/// A plain scalar that cannot be what the schema asks for: a wrong kind
/// (text for a number) or a value outside an enumeration, with a did-you-mean.
/// Found here so that every such value of a file is reported, not only the
/// first one serde meets.
fn scalar_problem(
    file: &SourceFile,
    scalar: &marked_yaml::types::MarkedScalarNode,
    root: &serde_json::Value,
    schema: &serde_json::Value,
    path: &str,
) -> Option<Diagnostic> {
    let mut alts = Vec::new();
    alternatives(root, schema, &mut alts, 0);
    if alts.is_empty() {
        return None;
    }
    let text = scalar.as_str();
    let plain = scalar.may_coerce();
    let mut consts = Vec::new();
    let mut kinds = Vec::new();
    for a in &alts {
        if let Some(c) = a.get("const").and_then(|c| c.as_str()) {
            consts.push(c);
            continue;
        }
        if let Some(e) = a.get("enum").and_then(|e| e.as_array()) {
            consts.extend(e.iter().filter_map(|v| v.as_str()));
            continue;
        }
        match a.get("type") {
            Some(serde_json::Value::String(t)) => kinds.push(t.as_str()),
            Some(serde_json::Value::Array(ts)) => {
                kinds.extend(ts.iter().filter_map(|t| t.as_str()))
            }
            // No type constraint: anything goes.
            _ => return None,
        }
    }
    if consts.contains(&text) {
        return None;
    }
    let accepts = kinds.iter().any(|k| match *k {
        "string" => true,
        "integer" => plain && text.parse::<i64>().is_ok(),
        "number" => plain && text.parse::<f64>().is_ok(),
        "boolean" => plain && matches!(text, "true" | "false"),
        "null" => plain && matches!(text, "null" | "~" | ""),
        // Objects and arrays never match a scalar; serde reports those.
        _ => false,
    });
    if accepts {
        return None;
    }
    let at = scalar.span().start().map_or_else(
        || crate::diagnostic::Location::file(file.rel.clone()),
        |m| file.location(m.line(), m.column()),
    );
    let d = if !consts.is_empty() && kinds.iter().all(|k| *k == "null") {
        let help = match did_you_mean(text, consts.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("expected one of: {}", consts.join(", ")),
        };
        Diagnostic::new(
            Code::InvalidValue,
            format!("`{text}` is not a valid value at `{path}`"),
        )
        .help(help)
    } else if kinds.contains(&"integer") {
        Diagnostic::new(
            Code::InvalidValue,
            format!("expected an integer at `{path}`, found `{text}`"),
        )
        .help("write a whole number without quotes or units")
    } else if kinds.contains(&"number") {
        Diagnostic::new(
            Code::InvalidValue,
            format!("expected a number at `{path}`, found `{text}`"),
        )
        .help("write a number without quotes or units")
    } else if kinds.contains(&"boolean") {
        Diagnostic::new(
            Code::InvalidValue,
            format!("expected `true` or `false` at `{path}`, found `{text}`"),
        )
    } else {
        return None;
    };
    Some(file.attach(d, at))
}

fn load_error(file: &SourceFile, e: marked_yaml::LoadError) -> Diagnostic {
    use marked_yaml::LoadError as L;
    let (code, marker, message, help) = match &e {
        L::TopLevelMustBeMapping(m) | L::TopLevelMustBeSequence(m) => (
            Code::YamlSyntax,
            Some(*m),
            "the document must be a mapping of fields".to_owned(),
            Some("write `field: value` lines at the top level".to_owned()),
        ),
        L::UnexpectedAnchor(m) => (
            Code::YamlSyntax,
            Some(*m),
            "YAML anchors and aliases are not supported in contracts".to_owned(),
            Some("write the value out; contracts are read by people first".to_owned()),
        ),
        L::MappingKeyMustBeScalar(m) => (
            Code::YamlSyntax,
            Some(*m),
            "mapping keys must be plain strings".to_owned(),
            None,
        ),
        L::UnexpectedTag(m) => (
            Code::YamlSyntax,
            Some(*m),
            "YAML tags (`!tag`) are not supported in contracts".to_owned(),
            None,
        ),
        L::ScanError(m, scan) => (
            Code::YamlSyntax,
            Some(*m),
            format!("invalid YAML: {}", scan.info()),
            Some(if scan.info().contains("recursion limit") {
                crate::diagnostic::NESTING_HINT.to_owned()
            } else {
                scan_hint(file.line_text(m.line()).unwrap_or_default())
            }),
        ),
        L::DuplicateKey(inner) => {
            let d = Diagnostic::new(
                Code::DuplicateKey,
                format!("key `{}` appears twice in one mapping", inner.key.as_str()),
            )
            .help("remove one of the two entries");
            let here = inner
                .key
                .span()
                .start()
                .map(|m| file.location(m.line(), m.column()));
            let prev = inner
                .prev_key
                .span()
                .start()
                .map(|m| file.location(m.line(), m.column()));
            let mut d = match here {
                Some(loc) => file.attach(d, loc),
                None => d,
            };
            if let Some(prev) = prev {
                d = d.related(prev, "first defined here");
            }
            return d;
        }
    };
    let d = Diagnostic::new(code, message);
    let d = match help {
        Some(h) => d.help(h),
        None => d,
    };
    match marker {
        Some(m) => file.attach(d, file.location(m.line(), m.column())),
        None => d.at(crate::diagnostic::Location::file(file.rel.clone())),
    }
}

fn from_node_error(file: &SourceFile, e: marked_yaml::FromNodeError) -> Diagnostic {
    use marked_yaml::Error as E;
    let path = e.path().map(str::to_owned);
    let loc = e
        .start_mark()
        .map(|m| file.location(m.line(), m.column()))
        .unwrap_or_else(|| crate::diagnostic::Location::file(file.rel.clone()));
    let at = path
        .as_deref()
        .map(|p| format!(" at `{p}`"))
        .unwrap_or_default();
    let d = match e.into_inner() {
        E::UnknownFieldError(field, expected, _) => {
            let help = match did_you_mean(&field, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if expected.is_empty() => "this mapping takes no fields".to_owned(),
                None => format!("expected one of: {}", expected.join(", ")),
            };
            Diagnostic::new(Code::UnknownField, format!("unknown field `{field}`{at}")).help(help)
        }
        E::NotBoolean(_) => Diagnostic::new(
            Code::InvalidValue,
            format!("expected `true` or `false`{at}"),
        ),
        E::IntegerParseFailure(err, _) => Diagnostic::new(
            Code::InvalidValue,
            format!("expected an integer{at}: {err}"),
        )
        .help("write a whole number without quotes or units"),
        E::FloatParseFailure(err, _) => {
            Diagnostic::new(Code::InvalidValue, format!("expected a number{at}: {err}"))
                .help("write a number without quotes or units")
        }
        E::Other(msg, _) => {
            let d = Diagnostic::new(Code::InvalidValue, format!("{msg}{at}"));
            // serde says "missing field `x`": the label must not say the
            // value has the wrong type when there is no value.
            if msg.starts_with("missing field") {
                d.label(msg).help(
                    "add the field; the JSON Schemas from `onex schemas --out DIR` list every field (editors use them)",
                )
            } else {
                d
            }
        }
    };
    file.attach(d, loc)
}

/// A hint for the commonest YAML slips in contracts.
fn scan_hint(line: &str) -> String {
    let value = line.split_once(": ").map(|(_, v)| v.trim_start());
    match value {
        Some(v) if v.starts_with('{') && !v.trim_end().ends_with('}') => format!(
            "a value that starts with `{{` is read as a YAML mapping; quote it: \"{}\"",
            v.trim_end()
        ),
        Some(v) if v.contains(": ") => format!(
            "the value contains `: `, which YAML reads as a new key; quote it: \"{}\"",
            v.trim_end()
        ),
        _ => "check indentation, quoting and `:` separators on this line".to_owned(),
    }
}
