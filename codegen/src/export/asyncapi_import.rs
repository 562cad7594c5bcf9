//! AsyncAPI 3.0 (and 2.6) import: one document (JSON or YAML) → the files
//! of a new catalog folder (`onex.yaml`, `<context>/<class>/<topic>/v<N>/`
//! with `topic.yaml`, the payload schema and samples, `nodes/<node>/
//! contract.yaml`), plus a located diagnostic for every part that has no
//! place in a catalog. Nothing is written here; the caller writes the files
//! and loads the folder, which checks the result like any catalog.
//!
//! Mapping, the reverse of [`asyncapi`](super::asyncapi):
//!
//! - a channel is a topic: `address` the wire name, the Kafka channel
//!   binding's `partitions` and `topicConfiguration` (`retention.ms`,
//!   `cleanup.policy`) its settings; `x-onex-*` extensions restore the rest
//!   (identity, owner, SLA, PII, retry, DLT, compatibility, ...);
//! - its (first) message's payload is the schema: inline JSON Schema →
//!   `payload.schema.json`, Avro → `payload.avsc`, Protobuf →
//!   `payload.proto`; message examples become samples;
//! - the key is `x-onex-key.field`; without it, the payload field the Kafka
//!   binding's `key` schema names (`x-onex-field`), else a required
//!   `*_id`/`id`/`key` field of the payload, reported;
//! - operations are node channels (3.0 `send` → publishes, `receive` →
//!   subscribes; 2.6 `subscribe` → publishes, `publish` → subscribes, as 2.6
//!   describes the application from the client's side) of the node
//!   `x-onex-node`, else the document's `info.title`.
//!
//! Lossy (reported or normalised): a key schema file (only its name is
//! exported), several messages per channel (the first is kept), Kafka
//! topic settings other than partitions, retention and cleanup, servers,
//! security and replies. Without `x-onex-settings` the `onex.yaml` is a
//! permissive one built from what the document uses.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Map, Value, json};

use crate::diagnostic::source::SourceFile;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::Millis;

/// The result of an import.
#[derive(Debug, Default)]
pub struct Imported {
    /// Files of the new catalog folder, by path relative to it.
    pub files: BTreeMap<String, String>,
    /// What could not be mapped (warnings) or read (errors).
    pub diagnostics: Vec<Diagnostic>,
}

struct Cx<'a> {
    src: SourceFile,
    doc: &'a Value,
    diags: Vec<Diagnostic>,
    v2: bool,
    /// Naming conventions made up for foreign addresses: id → pattern.
    conventions: BTreeMap<String, String>,
}

impl Cx<'_> {
    /// The location of a JSON/YAML path: each key searched after the previous.
    fn at(&self, path: &[&str]) -> Location {
        let text: &str = &self.src.text;
        let mut from = 0;
        let mut found = None;
        for key in path {
            let candidates = [format!("\"{key}\""), format!("'{key}'"), format!("{key}:")];
            let hit = candidates
                .iter()
                .filter_map(|c| {
                    text.get(from..)?
                        .find(c.as_str())
                        .map(|i| (from + i, c.len()))
                })
                .min();
            match hit {
                Some((off, len)) => {
                    from = off + len;
                    found = Some((off, len));
                }
                None => break,
            }
        }
        match found {
            Some((off, len)) => self.src.location_of_offset(off, len),
            None => Location::file(self.src.rel.clone()),
        }
    }

    fn unmapped(&mut self, path: &[&str], what: String, help: &str) {
        let loc = self.at(path);
        self.diags.push(
            Diagnostic::new(Code::AsyncApiUnmapped, what)
                .at(loc)
                .help(help.to_owned()),
        );
    }
}

/// Follow a local `$ref` (`#/a/b`).
fn deref<'v>(doc: &'v Value, v: &'v Value) -> &'v Value {
    let mut v = v;
    for _ in 0..16 {
        let Some(ptr) = v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            return v;
        };
        match doc.pointer(ptr) {
            Some(t) => v = t,
            None => return v,
        }
    }
    v
}

/// Import the document `text` (JSON or YAML), named `file` in diagnostics.
pub fn import(file: &str, text: &str) -> Imported {
    let src = SourceFile::from_text(file, PathBuf::from(file), text);
    let doc: Value = match parse(text) {
        Ok(v) => v,
        Err(e) => {
            return Imported {
                files: BTreeMap::new(),
                diagnostics: vec![
                    Diagnostic::new(
                        Code::AsyncApiUnreadable,
                        format!("not a JSON or YAML document: {e}"),
                    )
                    .at(Location::file(file))
                    .help("pass an AsyncAPI 3.0 or 2.6 document (.json, .yaml)"),
                ],
            };
        }
    };
    let version = doc.get("asyncapi").and_then(Value::as_str).unwrap_or("");
    let v2 = version.starts_with("2.");
    if !(version.starts_with("3.") || v2) {
        let loc = Location::file(file);
        return Imported {
            files: BTreeMap::new(),
            diagnostics: vec![
                Diagnostic::new(
                    Code::AsyncApiUnreadable,
                    format!("`asyncapi: {version}` is not a version the import reads"),
                )
                .at(loc)
                .help("convert the document to AsyncAPI 3.0 (`asyncapi convert`) or 2.6"),
            ],
        };
    }
    let mut cx = Cx {
        src,
        doc: &doc,
        diags: Vec::new(),
        v2,
        conventions: BTreeMap::new(),
    };
    let out = run(&mut cx);
    Imported {
        files: out,
        diagnostics: cx.diags,
    }
}

fn parse(text: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| e.to_string());
    }
    let node = marked_yaml::parse_yaml(0, text).map_err(|e| e.to_string())?;
    Ok(yaml_to_json(&node))
}

fn yaml_to_json(n: &marked_yaml::Node) -> Value {
    use marked_yaml::Node;
    match n {
        Node::Scalar(s) => {
            let t = s.as_str();
            if let Ok(i) = t.parse::<i64>() {
                json!(i)
            } else if let Ok(f) = t.parse::<f64>().map_err(|_| ()).and_then(|f| {
                if t.contains(['.', 'e', 'E']) && !t.chars().any(char::is_alphabetic) {
                    Ok(f)
                } else {
                    Err(())
                }
            }) {
                json!(f)
            } else {
                match t {
                    "true" => json!(true),
                    "false" => json!(false),
                    "null" | "~" => Value::Null,
                    _ => json!(t),
                }
            }
        }
        Node::Sequence(s) => Value::Array(s.iter().map(yaml_to_json).collect()),
        Node::Mapping(m) => {
            let mut o = Map::new();
            for (k, v) in m.iter() {
                o.insert(k.as_str().to_owned(), yaml_to_json(v));
            }
            Value::Object(o)
        }
    }
}

struct TopicOut {
    path: String,
    address: String,
}

fn run(cx: &mut Cx<'_>) -> BTreeMap<String, String> {
    let doc = cx.doc;
    let mut files = BTreeMap::new();
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    let channels = doc
        .get("channels")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new));
    let mut topics: BTreeMap<String, TopicOut> = BTreeMap::new();
    let mut seen_paths = BTreeSet::new();
    let mut used_partitions = BTreeSet::new();
    let mut used_classes: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut used_envs = BTreeSet::new();
    let mut used_tenants = BTreeSet::new();
    for (id, ch) in channels {
        let ch = deref(cx.doc, ch);
        let address = if cx.v2 {
            id.clone()
        } else {
            match ch.get("address").and_then(Value::as_str) {
                Some(a) => a.to_owned(),
                None => {
                    cx.unmapped(
                        &["channels", id],
                        format!("channel `{id}` has no `address`; it is not imported"),
                        "give the channel its Kafka topic name as `address`",
                    );
                    continue;
                }
            }
        };
        let Some(t) = topic(cx, id, ch, &address) else {
            continue;
        };
        if !seen_paths.insert(t.0.clone()) {
            cx.unmapped(
                &["channels", id],
                format!("channel `{id}` maps to the topic folder `{}` of another channel; it is not imported", t.0),
                "give the channels distinct `x-onex-id`s or addresses",
            );
            continue;
        }
        used_partitions.insert(t.2);
        let class = t.0.split('/').nth(1).unwrap_or("evt").to_owned();
        let e = used_classes.entry(class).or_insert((u64::MAX, 0));
        e.0 = e.0.min(t.3);
        e.1 = e.1.max(t.3);
        if let Some(p) = ch.get("parameters").and_then(Value::as_object) {
            for (name, set) in [("env", &mut used_envs), ("tenant", &mut used_tenants)] {
                if let Some(vals) = p
                    .get(name)
                    .and_then(|v| v.get("enum"))
                    .and_then(Value::as_array)
                {
                    set.extend(vals.iter().filter_map(Value::as_str).map(str::to_owned));
                }
            }
        }
        for (name, text) in t.1 {
            files.insert(format!("{}/{name}", t.0), text);
        }
        topics.insert(
            id.clone(),
            TopicOut {
                path: t.0,
                address: address.clone(),
            },
        );
    }
    nodes(cx, &topics, &mut files);
    let settings = match doc.get("x-onex-settings") {
        Some(s) => settings_yaml(s),
        None => {
            let s = default_settings(
                &cx.conventions,
                &used_partitions,
                &used_classes,
                &used_envs,
                &used_tenants,
                &files,
            );
            settings_yaml(&s)
        }
    };
    files.insert("onex.yaml".to_owned(), settings);
    for key in ["servers", "security", "tags", "externalDocs"] {
        if doc.get(key).is_some() && key != "servers" {
            cx.unmapped(
                &[key],
                format!("`{key}` has no place in a catalog; it is not imported"),
                "keep it in the AsyncAPI document, or as docs next to the catalog",
            );
        }
    }
    files
}

/// One channel → (topic folder, its files, partitions, retention ms).
#[allow(clippy::type_complexity)]
fn topic<'v>(
    cx: &mut Cx<'v>,
    id: &str,
    ch: &'v Value,
    address: &str,
) -> Option<(String, Vec<(String, String)>, u64, u64)> {
    let x = |k: &str| ch.get(k);
    let segs: Vec<&str> = address.split('.').collect();
    let path = match x("x-onex-id").and_then(Value::as_str) {
        Some(p) => p.to_owned(),
        None => {
            let major = segs
                .iter()
                .rev()
                .find_map(|s| s.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()))
                .unwrap_or(1);
            let name: Vec<String> = segs
                .iter()
                .filter(|s| !s.starts_with('{') && !is_version(s))
                .map(|s| kebab(s))
                .collect();
            let topic = if name.is_empty() {
                kebab(id)
            } else {
                name.join("-")
            };
            format!("asyncapi/evt/{topic}/v{major}")
        }
    };
    let mut y = Map::new();
    y.insert("name".into(), json!(address));
    match x("x-onex-convention") {
        Some(c) => {
            y.insert("convention".into(), c.clone());
        }
        None => {
            // A foreign name: a convention of free segments that it fits
            // (`{env}` and `{tenant}` stay run-time parts).
            let mut free = 0;
            let pattern: Vec<String> = segs
                .iter()
                .map(|s| match *s {
                    "{env}" | "{tenant}" => (*s).to_owned(),
                    _ => {
                        free += 1;
                        format!("{{s{free}}}")
                    }
                })
                .collect();
            let pattern = pattern.join(".");
            let id = format!("asyncapi-{}", segs.len());
            cx.conventions.insert(id.clone(), pattern);
            y.insert("convention".into(), json!(id));
        }
    }
    copy(&mut y, "aliases", x("x-onex-aliases"));
    let message = first_message(cx, id, ch);
    let description = ch
        .get("description")
        .or_else(|| message.and_then(|m| m.get("summary")))
        .cloned();
    copy(&mut y, "description", description.as_ref());
    copy(&mut y, "semantic", x("x-onex-semantic"));
    copy(&mut y, "event_class", x("x-onex-event-class"));
    copy(&mut y, "owner", x("x-onex-owner"));
    copy(&mut y, "sla", x("x-onex-sla"));
    let kafka = ch.get("bindings").and_then(|b| b.get("kafka"));
    let conf = kafka.and_then(|k| k.get("topicConfiguration"));
    let retention_ms = conf
        .and_then(|c| c.get("retention.ms"))
        .and_then(Value::as_u64)
        .unwrap_or(7 * 86_400_000);
    let retention = x("x-onex-retention")
        .cloned()
        .unwrap_or_else(|| json!(Millis(retention_ms).to_string()));
    y.insert("retention".into(), retention);
    if let Some(p) = conf
        .and_then(|c| c.get("cleanup.policy"))
        .and_then(Value::as_array)
    {
        let mut p: Vec<&str> = p.iter().filter_map(Value::as_str).collect();
        p.sort_unstable();
        let policy = p.join(",");
        if policy != "delete" {
            y.insert("cleanup_policy".into(), json!(policy));
        }
    }
    let partitions = kafka
        .and_then(|k| k.get("partitions"))
        .and_then(Value::as_u64)
        .unwrap_or(3);
    y.insert("partitions".into(), json!(partitions));
    if let Some(conf) = conf.and_then(Value::as_object) {
        for k in conf.keys() {
            if k != "retention.ms" && k != "cleanup.policy" {
                cx.unmapped(
                    &["channels", id, "topicConfiguration", k],
                    format!("topic setting `{k}` of channel `{id}` has no place in a topic contract; it is not imported"),
                    "set it on the cluster, or propose it as a contract field",
                );
            }
        }
    }
    let mut files = Vec::new();
    let Some(message) = message else {
        cx.unmapped(
            &["channels", id],
            format!("channel `{id}` has no message; it is not imported"),
            "add the message with its payload schema",
        );
        return None;
    };
    // The payload.
    let schema_ext = message.get("x-onex-schema");
    let payload = message.get("payload").map(|p| deref(cx.doc, p)).cloned();
    let (format, schema) = match &payload {
        Some(p) if p.get("schemaFormat").is_some() => (
            p.get("schemaFormat")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            p.get("schema").cloned().unwrap_or(Value::Null),
        ),
        Some(p) => (
            message
                .get("schemaFormat")
                .and_then(Value::as_str)
                .unwrap_or("application/schema+json")
                .to_owned(),
            p.clone(),
        ),
        None => (
            "application/schema+json".to_owned(),
            json!({ "type": "object" }),
        ),
    };
    let ext_file = schema_ext
        .and_then(|s| s.get("file"))
        .and_then(Value::as_str);
    let (file, text) = if format.contains("avro") {
        (
            ext_file
                .filter(|f| f.ends_with(".avsc"))
                .unwrap_or("payload.avsc"),
            serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n",
        )
    } else if format.contains("protobuf") {
        (
            ext_file
                .filter(|f| f.ends_with(".proto"))
                .unwrap_or("payload.proto"),
            schema.as_str().unwrap_or_default().to_owned(),
        )
    } else {
        if !(format.contains("json") || format.contains("asyncapi")) {
            cx.unmapped(
                &["channels", id],
                format!("the payload of channel `{id}` is `{format}`; the import reads JSON Schema, Avro and Protobuf"),
                "convert the payload schema to one of them",
            );
            return None;
        }
        let schema = resolve_refs(cx, &schema, 0);
        (
            ext_file
                .filter(|f| f.ends_with(".json"))
                .unwrap_or("payload.schema.json"),
            serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n",
        )
    };
    files.push((file.to_owned(), text));
    // The key.
    let key_ext = message.get("x-onex-key");
    let key_field = key_ext
        .and_then(|k| k.get("field"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            message
                .get("bindings")
                .and_then(|b| b.get("kafka"))
                .and_then(|k| k.get("key"))
                .and_then(|k| k.get("x-onex-field"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .or_else(|| {
            let guess = guess_key(&schema);
            if let Some(g) = &guess {
                cx.unmapped(
                    &["channels", id],
                    format!("channel `{id}` names no key field; the import keys it by `{g}`"),
                    "check the key in the imported topic.yaml",
                );
            }
            guess
        });
    let Some(key_field) = key_field else {
        cx.unmapped(
            &["channels", id],
            format!("channel `{id}` names no key field and its payload has no `*_id` field; it is not imported"),
            "add `x-onex-key: {field: <payload field>}` to the message",
        );
        return None;
    };
    let mut key = Map::new();
    key.insert("field".into(), json!(key_field));
    if let Some(d) = message
        .get("bindings")
        .and_then(|b| b.get("kafka"))
        .and_then(|k| k.get("key"))
        .and_then(|k| k.get("description"))
    {
        key.insert("description".into(), d.clone());
    }
    if let Some(f) = key_ext.and_then(|k| k.get("schema")) {
        cx.unmapped(
            &["channels", id],
            format!("the key schema file {f} of channel `{id}` is not in the document; the key is imported without it"),
            "copy the key schema file into the topic folder and name it in `key.schema`",
        );
    }
    y.insert("key".into(), Value::Object(key));
    let mut s = Map::new();
    if file != "payload.schema.json" {
        s.insert("file".into(), json!(file));
    }
    copy(&mut s, "message", schema_ext.and_then(|e| e.get("message")));
    s.insert(
        "version".into(),
        schema_ext
            .and_then(|e| e.get("version"))
            .cloned()
            .unwrap_or_else(|| json!("1.0.0")),
    );
    s.insert(
        "compatibility".into(),
        schema_ext
            .and_then(|e| e.get("compatibility"))
            .cloned()
            .unwrap_or_else(|| json!("BACKWARD")),
    );
    y.insert("schema".into(), Value::Object(s));
    copy(&mut y, "pii", message.get("x-onex-pii"));
    copy(&mut y, "producers", x("x-onex-producers"));
    copy(&mut y, "consumers", x("x-onex-consumers"));
    copy(&mut y, "retry", x("x-onex-retry"));
    copy(&mut y, "dlt", x("x-onex-dlt"));
    if let Some(req) = message
        .get("headers")
        .map(|h| deref(cx.doc, h))
        .and_then(|h| h.get("required"))
    {
        y.insert("headers".into(), req.clone());
    }
    copy(&mut y, "deprecated", x("x-onex-deprecated"));
    copy(&mut y, "tiered_storage", x("x-onex-tiered-storage"));
    copy(&mut y, "lints", x("x-onex-lints"));
    if let Some(ex) = message.get("examples").and_then(Value::as_array) {
        for (i, e) in ex.iter().enumerate() {
            if let Some(p) = e.get("payload") {
                let name = e
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("example-{}", i + 1), kebab);
                files.push((
                    format!("samples/{name}.json"),
                    serde_json::to_string_pretty(p).unwrap_or_default() + "\n",
                ));
            }
        }
    }
    let mut text =
        String::from("# Imported from an AsyncAPI document by `onex asyncapi import`.\n");
    yaml(&Value::Object(y), 0, &mut text);
    files.push(("topic.yaml".to_owned(), text));
    Some((path, files, partitions, retention_ms))
}

fn first_message<'v>(cx: &mut Cx<'v>, id: &str, ch: &'v Value) -> Option<&'v Value> {
    let doc: &'v Value = cx.doc;
    let deref = |v: &'v Value| deref(doc, v);
    let msgs: Vec<&'v Value> = if cx.v2 {
        ["subscribe", "publish"]
            .iter()
            .filter_map(|op| ch.get(*op)?.get("message"))
            .map(deref)
            .flat_map(|m| match m.get("oneOf").and_then(Value::as_array) {
                Some(all) => all.iter().map(deref).collect(),
                None => vec![m],
            })
            .collect()
    } else {
        ch.get("messages")
            .and_then(Value::as_object)
            .map(|m| m.values().map(deref).collect())
            .unwrap_or_default()
    };
    if msgs.len() > 1 {
        let distinct: BTreeSet<String> = msgs.iter().map(|m| m.to_string()).collect();
        if distinct.len() > 1 {
            cx.unmapped(
                &["channels", id],
                format!("channel `{id}` carries {} messages; a topic has one payload, the first is imported", distinct.len()),
                "split the channel into one topic per message, or merge the payloads",
            );
        }
    }
    msgs.into_iter().next()
}

/// Inline local `$ref`s of a JSON Schema payload (the loader resolves only
/// file references).
fn resolve_refs(cx: &Cx<'_>, v: &Value, depth: u32) -> Value {
    if depth > 32 {
        return json!({});
    }
    match v {
        Value::Object(m) => {
            if m.get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| r.starts_with('#'))
            {
                let t = deref(cx.doc, v);
                if !std::ptr::eq(t, v) {
                    return resolve_refs(cx, t, depth + 1);
                }
            }
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), resolve_refs(cx, v, depth + 1)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| resolve_refs(cx, v, depth + 1)).collect()),
        other => other.clone(),
    }
}

/// `v<N>`.
fn is_version(s: &str) -> bool {
    s.strip_prefix('v')
        .is_some_and(|n| n.parse::<u32>().is_ok())
}

fn guess_key(schema: &Value) -> Option<String> {
    let props = schema.get("properties")?.as_object()?;
    let required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    props
        .keys()
        .find(|k| {
            required.contains(k.as_str()) && (k.ends_with("_id") || *k == "id" || *k == "key")
        })
        .cloned()
}

fn nodes(
    cx: &mut Cx<'_>,
    topics: &BTreeMap<String, TopicOut>,
    files: &mut BTreeMap<String, String>,
) {
    let doc = cx.doc;
    let fallback = doc
        .get("info")
        .and_then(|i| i.get("title"))
        .and_then(Value::as_str)
        .map_or_else(|| "imported".to_owned(), kebab);
    // node → (publishes, subscribes)
    let mut by_node: BTreeMap<String, (Vec<Value>, Vec<Value>)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut add = |node: String, send: bool, chan: Value| {
        if !order.contains(&node) {
            order.push(node.clone());
        }
        let e = by_node.entry(node).or_default();
        if send { e.0.push(chan) } else { e.1.push(chan) }
    };
    let key_of = |t: &TopicOut| -> String {
        files
            .get(&format!("{}/topic.yaml", t.path))
            .and_then(|y| {
                y.lines()
                    .skip_while(|l| !l.starts_with("key:"))
                    .nth(1)
                    .map(str::to_owned)
            })
            .and_then(|l| {
                l.trim()
                    .strip_prefix("field: ")
                    .map(|f| f.trim_matches('"').to_owned())
            })
            .unwrap_or_default()
    };
    if cx.v2 {
        for (id, t) in topics {
            let ch = match doc.get("channels").and_then(|c| c.get(id.as_str())) {
                Some(c) => deref(cx.doc, c),
                None => continue,
            };
            for (op, send) in [("subscribe", true), ("publish", false)] {
                if let Some(o) = ch.get(op) {
                    let mut c = Map::new();
                    c.insert("topic".into(), json!(t.address));
                    c.insert("key".into(), json!(key_of(t)));
                    c.insert(
                        "event_type".into(),
                        o.get("operationId").cloned().unwrap_or_else(|| json!(op)),
                    );
                    copy(&mut c, "description", o.get("summary"));
                    add(fallback.clone(), send, Value::Object(c));
                }
            }
        }
    } else if let Some(ops) = doc.get("operations").and_then(Value::as_object) {
        for (id, o) in ops {
            let o = deref(cx.doc, o);
            let send = match o.get("action").and_then(Value::as_str) {
                Some("send") => true,
                Some("receive") => false,
                other => {
                    cx.unmapped(
                        &["operations", id],
                        format!("operation `{id}` has action {other:?}; only `send` and `receive` map to node channels"),
                        "use `action: send` or `action: receive`",
                    );
                    continue;
                }
            };
            let chan = o
                .get("channel")
                .and_then(|c| c.get("$ref"))
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/channels/"))
                .and_then(|c| topics.get(c));
            let Some(t) = chan else {
                cx.unmapped(
                    &["operations", id],
                    format!("operation `{id}` refers to no imported channel; it is not imported"),
                    "point `channel` at a channel with an address and a message",
                );
                continue;
            };
            let node = o
                .get("x-onex-node")
                .and_then(Value::as_str)
                .map_or_else(|| fallback.clone(), str::to_owned);
            if o.get("reply").is_some() {
                cx.unmapped(
                    &["operations", id, "reply"],
                    format!("the reply of operation `{id}` is not imported"),
                    "model the reply topic as its own channel with a `send` operation",
                );
            }
            let mut c = Map::new();
            c.insert("topic".into(), json!(t.address));
            c.insert(
                "key".into(),
                o.get("x-onex-key")
                    .cloned()
                    .unwrap_or_else(|| json!(key_of(t))),
            );
            c.insert(
                "event_type".into(),
                o.get("x-onex-event-type")
                    .cloned()
                    .unwrap_or_else(|| json!(kebab(id))),
            );
            copy(&mut c, "description", o.get("summary"));
            copy(&mut c, "handler", o.get("x-onex-handler"));
            add(node, send, Value::Object(c));
        }
    }
    let meta = doc.get("x-onex-nodes").and_then(Value::as_object);
    for name in order {
        let Some((publishes, subscribes)) = by_node.remove(&name) else {
            continue;
        };
        let m = meta.and_then(|m| m.get(&name));
        let mut me = Map::new();
        me.insert("name".into(), json!(name));
        me.insert(
            "version".into(),
            m.and_then(|m| m.get("version"))
                .cloned()
                .or_else(|| doc.get("info").and_then(|i| i.get("version")).cloned())
                .unwrap_or_else(|| json!("1.0.0")),
        );
        me.insert(
            "node_type".into(),
            m.and_then(|m| m.get("node_type"))
                .cloned()
                .unwrap_or_else(|| json!("EFFECT")),
        );
        copy(&mut me, "description", m.and_then(|m| m.get("description")));
        copy(
            &mut me,
            "consumer_group",
            m.and_then(|m| m.get("consumer_group")),
        );
        let mut ec = Map::new();
        if !publishes.is_empty() {
            ec.insert("publishes".into(), Value::Array(publishes));
        }
        if !subscribes.is_empty() {
            ec.insert("subscribes".into(), Value::Array(subscribes));
        }
        let mut c = Map::new();
        c.insert("meta".into(), Value::Object(me));
        c.insert("event_channels".into(), Value::Object(ec));
        let mut text =
            String::from("# Imported from an AsyncAPI document by `onex asyncapi import`.\n");
        yaml(&Value::Object(c), 0, &mut text);
        files.insert(format!("nodes/{name}/contract.yaml"), text);
    }
}

fn default_settings(
    conventions: &BTreeMap<String, String>,
    partitions: &BTreeSet<u64>,
    classes: &BTreeMap<String, (u64, u64)>,
    envs: &BTreeSet<String>,
    tenants: &BTreeSet<String>,
    files: &BTreeMap<String, String>,
) -> Value {
    let mut allowed: BTreeSet<u64> = partitions.clone();
    allowed.insert(3);
    let mut cls = Map::new();
    for (name, (min, max)) in classes {
        cls.insert(
            name.clone(),
            json!({
                "retention": { "min": Millis(*min).to_string(), "max": Millis(*max).to_string() },
                "compaction": "optional",
                "tiered_storage": "optional",
            }),
        );
    }
    let node_types: BTreeSet<String> = files
        .iter()
        .filter(|(k, _)| k.ends_with("contract.yaml"))
        .filter_map(|(_, v)| {
            v.lines()
                .find_map(|l| l.trim().strip_prefix("node_type: "))
                .map(|t| t.trim_matches('"').to_owned())
        })
        .chain(["EFFECT".to_owned()])
        .collect();
    json!({
        "conventions": conventions,
        "default_convention": conventions.keys().next().map_or("asyncapi-1", String::as_str),
        "envs": if envs.is_empty() { vec!["dev".to_owned(), "prod".to_owned()] } else { envs.iter().cloned().collect() },
        "tenants": tenants,
        "classes": Value::Object(cls),
        "partitions": { "default": 3, "allowed": allowed },
        "keying": {},
        "node_types": node_types,
        "subject_strategy": "topic_name",
        "headers": [],
        "lints": {},
    })
}

/// `onex.yaml` from the catalog document's `x-onex-settings`.
fn settings_yaml(s: &Value) -> String {
    let mut y = Map::new();
    y.insert("version".into(), json!(1));
    let mut conventions = Map::new();
    if let Some(c) = s.get("conventions").and_then(Value::as_object) {
        for (id, p) in c {
            conventions.insert(id.clone(), json!({ "pattern": p }));
        }
    }
    y.insert(
        "naming".into(),
        json!({
            "default_convention": s.get("default_convention"),
            "conventions": Value::Object(conventions),
            "envs": s.get("envs"),
            "tenants": s.get("tenants"),
        }),
    );
    copy(&mut y, "classes", s.get("classes"));
    copy(&mut y, "partitions", s.get("partitions"));
    let mut keying = Map::new();
    if let Some(k) = s.get("keying").and_then(Value::as_object) {
        for (class, keys) in k {
            keying.insert(class.clone(), json!({ "keys": keys }));
        }
    }
    y.insert("keying".into(), Value::Object(keying));
    copy(&mut y, "node_types", s.get("node_types"));
    y.insert(
        "subjects".into(),
        json!({ "strategy": s.get("subject_strategy").cloned().unwrap_or_else(|| json!("topic_name")) }),
    );
    if s.get("headers")
        .and_then(Value::as_array)
        .is_some_and(|h| !h.is_empty())
    {
        copy(&mut y, "headers", s.get("headers"));
    }
    y.insert(
        "lints".into(),
        s.get("lints").cloned().unwrap_or_else(|| json!({})),
    );
    let mut text =
        String::from("# Imported from an AsyncAPI document by `onex asyncapi import`.\n");
    yaml(&Value::Object(y), 0, &mut text);
    text
}

fn copy(m: &mut Map<String, Value>, key: &str, v: Option<&Value>) {
    if let Some(v) = v.filter(|v| !v.is_null()) {
        m.insert(key.into(), v.clone());
    }
}

/// `CamelCase`, `snake_case` or `dotted.name` → `kebab-case`.
fn kebab(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = true;
        } else {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            prev_lower = false;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// A small block-style YAML writer: mappings and lists of mappings as
/// blocks, scalars and lists of scalars in JSON syntax (valid YAML flow).
fn yaml(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let key = if k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
                {
                    k.clone()
                } else {
                    json!(k).to_string()
                };
                match v {
                    Value::Object(inner) if !inner.is_empty() => {
                        let _ = writeln!(out, "{pad}{key}:");
                        yaml(v, indent + 2, out);
                    }
                    Value::Array(a) if a.iter().any(|e| e.is_object()) => {
                        let _ = writeln!(out, "{pad}{key}:");
                        for e in a {
                            let mut item = String::new();
                            yaml(e, indent + 4, &mut item);
                            let item = item.trim_start();
                            let _ = write!(out, "{pad}  - {item}");
                        }
                    }
                    other => {
                        let _ = writeln!(out, "{pad}{key}: {}", scalar(other));
                    }
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", scalar(other));
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s)
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
                && !matches!(
                    s.as_str(),
                    "true" | "false" | "null" | "yes" | "no" | "on" | "off"
                )
                && s.parse::<f64>().is_err() =>
        {
            s.clone()
        }
        other => other.to_string(),
    }
}
