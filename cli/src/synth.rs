//! A synthetic catalog in the contract format, for measuring onex at scale
//! (issue 14): `onex synth --topics N --nodes M --seed S`. Every topic class,
//! JSON Schema with ~10% Protobuf and ~8% Avro payloads, nesting, enums,
//! maps, nullable and optional fields, one sample per topic that validates,
//! and node contracts of 2–20 channels so that every topic has a publisher
//! and a subscriber. The output is a pure function of the options (a seeded
//! PRNG, ordered maps, no clock, no environment): the same seed gives the
//! same bytes, which the benchmarks and the determinism tests rely on.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct SynthOptions {
    /// Topic versions.
    pub topics: usize,
    /// Node contracts.
    pub nodes: usize,
    /// PRNG seed.
    pub seed: u64,
}

const CONTEXTS: &[&str] = &[
    "billing",
    "catalog",
    "shipping",
    "identity",
    "payments",
    "search",
    "inventory",
    "pricing",
    "support",
    "analytics",
    "messaging",
    "calendar",
    "ledger",
    "compliance",
    "fleet",
    "telemetry",
    "loyalty",
    "warehouse",
    "campaigns",
    "onboarding",
];

const NOUNS: &[&str] = &[
    "order", "invoice", "account", "customer", "parcel", "product", "payment", "refund", "session",
    "ticket", "device", "route", "quote", "voucher", "contract", "asset", "report", "policy",
    "member", "shipment",
];

const VERBS: &[&str] = &[
    "created", "updated", "deleted", "approved", "rejected", "shipped", "settled", "expired",
    "assigned", "archived", "opened", "closed", "renewed", "flagged", "scored",
];

const WORDS: &[&str] = &[
    "amount", "label", "status", "note", "count", "score", "origin", "target", "channel", "region",
    "weight", "price", "quantity", "reason", "title", "summary", "level", "owner", "source",
    "category", "priority", "currency", "locale", "rank", "ratio", "window", "limit", "tier",
    "attempt", "phase",
];

const SYMBOLS: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
];

/// (class, share in per mille, retention, cleanup policy, tiered storage).
const CLASSES: &[(&str, u32, &str, &str, bool)] = &[
    ("evt", 380, "30d", "delete", true),
    ("cmd", 150, "1d", "delete", false),
    ("qrs", 100, "12h", "delete", false),
    ("ctl", 60, "24h", "delete", false),
    ("cdc", 80, "7d", "compact,delete", false),
    ("met", 70, "7d", "delete", false),
    ("aud", 60, "180d", "delete", true),
    ("log", 50, "3d", "delete", false),
    ("rty", 25, "7d", "delete", false),
    ("dlt", 25, "30d", "delete", false),
];

const ENVS: &[&str] = &["dev", "stage", "prod"];
const TENANTS: &[&str] = &["northwind", "globex"];
const NODE_TYPES: &[&str] = &["EFFECT", "COMPUTE", "REDUCER", "ORCHESTRATOR"];
const MAX_CHANNELS: usize = 20;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Proto,
    Avro,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Str,
    Int,
}

/// A payload field, in a form every format can render.
struct Field {
    name: String,
    ty: Ty,
    required: bool,
}

enum Ty {
    Str,
    Int,
    Num,
    Bool,
    DateTime,
    Enum(Vec<&'static str>),
    StrList,
    /// String → integer map.
    Map,
    /// A string that may be `null` (JSON Schema, Avro union; Protobuf: string).
    Nullable,
    Nested(Vec<Field>),
}

struct SynthTopic {
    context: &'static str,
    class: &'static str,
    topic: String,
    major: u32,
    format: Format,
    key: String,
    fields: Vec<Field>,
    description: String,
    verb: &'static str,
}

impl SynthTopic {
    fn dir(&self) -> String {
        format!(
            "{}/{}/{}/v{}",
            self.context, self.class, self.topic, self.major
        )
    }

    fn template(&self) -> String {
        format!(
            "{{env}}.{{tenant}}.{}.{}.{}.v{}",
            self.context, self.class, self.topic, self.major
        )
    }

    fn type_name(&self) -> String {
        camel(&format!("{}-v{}", self.topic, self.major))
    }
}

/// The catalog as `(path relative to the catalog root, contents)`, sorted.
pub fn synth(opts: SynthOptions) -> BTreeMap<String, String> {
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let mut files = BTreeMap::new();
    let topics = topics(&mut rng, opts.topics);
    let mut keys: Vec<&str> = topics.iter().map(|t| t.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    files.insert("onex.yaml".to_owned(), settings(&keys));
    for t in &topics {
        let dir = t.dir();
        files.insert(format!("{dir}/topic.yaml"), topic_yaml(t));
        let (file, text) = match t.format {
            Format::Json => ("payload.schema.json", json_schema(t)),
            Format::Proto => ("payload.proto", proto(t)),
            Format::Avro => ("payload.avsc", avro(t)),
        };
        files.insert(format!("{dir}/{file}"), text);
        let sample = sample(&mut rng, t);
        files.insert(format!("{dir}/samples/basic.json"), pretty(&sample));
    }
    for (name, text) in nodes(&mut rng, &topics, opts.nodes) {
        files.insert(format!("nodes/{name}/contract.yaml"), text);
    }
    files
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    // `items` is never empty here: every list above is a non-empty constant.
    let i = rng.usize(..items.len().max(1));
    items.get(i).unwrap_or_else(unreachable_empty)
}

#[cold]
fn unreachable_empty<T>() -> T {
    // Only reachable if a constant list above were emptied.
    #[allow(clippy::panic)]
    {
        panic!("synth: empty word list")
    }
}

fn camel(s: &str) -> String {
    s.split(['-', '_', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn topics(rng: &mut fastrand::Rng, n: usize) -> Vec<SynthTopic> {
    let mut out = Vec::with_capacity(n);
    let mut i = 0usize;
    while out.len() < n {
        i += 1;
        let mut roll = rng.u32(..1000);
        let mut class = CLASSES.first().map_or("evt", |c| c.0);
        for c in CLASSES {
            if roll < c.1 {
                class = c.0;
                break;
            }
            roll -= c.1;
        }
        let context = *pick(rng, CONTEXTS);
        let noun = *pick(rng, NOUNS);
        let verb = *pick(rng, VERBS);
        // A request/reply pair shares its stem (rule `qrs-unpaired`).
        let stems: Vec<String> = if class == "qrs" {
            if out.len() + 2 > n {
                continue;
            }
            vec![
                format!("{noun}-lookup-{i}-requests"),
                format!("{noun}-lookup-{i}-replies"),
            ]
        } else {
            vec![format!("{noun}-{verb}-{i}")]
        };
        // ~5% of the other topics also have a v2 next to their v1.
        let majors: &[u32] = if class != "qrs" && rng.u32(..100) < 5 && out.len() + 2 <= n {
            &[1, 2]
        } else {
            &[1]
        };
        for topic in stems {
            for &major in majors {
                let format = match rng.u32(..100) {
                    0..10 => Format::Proto,
                    10..18 => Format::Avro,
                    _ => Format::Json,
                };
                let key_kind = if format != Format::Proto && rng.u32(..10) == 0 {
                    KeyKind::Int
                } else {
                    KeyKind::Str
                };
                let key = match key_kind {
                    KeyKind::Str => format!("{noun}_id"),
                    KeyKind::Int => "shard_number".to_owned(),
                };
                let fields = fields(rng, format, &key, key_kind);
                out.push(SynthTopic {
                    context,
                    class,
                    description: format!("Synthetic {class} topic: {noun} {verb} ({context})"),
                    topic: topic.clone(),
                    major,
                    format,
                    key,
                    fields,
                    verb,
                });
            }
        }
    }
    out
}

fn field_name(rng: &mut fastrand::Rng, used: &mut Vec<String>) -> String {
    loop {
        let name = format!("{}_{}", pick(rng, WORDS), pick(rng, WORDS));
        let name = if used.contains(&name) {
            format!("{name}_{}", used.len())
        } else {
            name
        };
        if !used.contains(&name) {
            used.push(name.clone());
            return name;
        }
    }
}

/// 5–40 top-level fields (the key first), nesting up to two levels.
fn fields(rng: &mut fastrand::Rng, format: Format, key: &str, kind: KeyKind) -> Vec<Field> {
    let mut used = vec![key.to_owned()];
    let mut out = vec![Field {
        name: key.to_owned(),
        ty: match kind {
            KeyKind::Str => Ty::Str,
            KeyKind::Int => Ty::Int,
        },
        required: true,
    }];
    let count = 4 + rng.usize(..36);
    for _ in 0..count {
        let name = field_name(rng, &mut used);
        out.push(Field {
            ty: ty(rng, format, 0),
            name,
            required: format == Format::Proto || rng.u32(..100) < 60,
        });
    }
    out
}

fn ty(rng: &mut fastrand::Rng, format: Format, depth: u32) -> Ty {
    match rng.u32(..100) {
        0..30 => Ty::Str,
        30..45 => Ty::Int,
        45..52 => Ty::Num,
        52..60 => Ty::Bool,
        60..67 if format != Format::Proto => Ty::DateTime,
        60..67 => Ty::Str,
        67..75 => {
            let n = 2 + rng.usize(..5);
            let start = rng.usize(..SYMBOLS.len());
            Ty::Enum(
                (0..n)
                    .filter_map(|i| SYMBOLS.get((start + i) % SYMBOLS.len()).copied())
                    .collect(),
            )
        }
        75..82 => Ty::StrList,
        82..88 => Ty::Map,
        88..93 if format != Format::Proto => Ty::Nullable,
        _ if depth < 2 => {
            let mut used = Vec::new();
            let n = 2 + rng.usize(..5);
            Ty::Nested(
                (0..n)
                    .map(|_| {
                        let name = field_name(rng, &mut used);
                        Field {
                            ty: ty(rng, format, depth + 1),
                            name,
                            required: format == Format::Proto || rng.bool(),
                        }
                    })
                    .collect(),
            )
        }
        _ => Ty::Str,
    }
}

fn settings(keys: &[&str]) -> String {
    let mut s = String::from(
        "# A synthetic catalog generated by `onex synth` (issue 14); do not edit.\nversion: 1\n\nnaming:\n  default_convention: namespace\n  conventions:\n    namespace:\n      pattern: \"{env}.{tenant}.{context}.{class}.{topic}.{version}\"\n      description: Five-tier namespace; env and tenant bound at run time.\n",
    );
    let _ = writeln!(s, "  envs: [{}]", ENVS.join(", "));
    let _ = writeln!(s, "  tenants: [{}]", TENANTS.join(", "));
    s.push_str(
        "\nclasses:
  evt: { description: Immutable domain facts, retention: { min: 7d, max: 90d }, compaction: optional, tiered_storage: required }
  cmd: { description: Intent to change state, retention: { min: 1h, max: 3d }, compaction: none, tiered_storage: none }
  qrs: { description: Request and reply, retention: { min: 1h, max: 24h }, compaction: none, tiered_storage: none }
  ctl: { description: Control plane, retention: { min: 1h, max: 48h }, compaction: optional, tiered_storage: optional }
  rty: { description: Retry queues, retention: { min: 7d, max: 7d }, compaction: none, tiered_storage: none }
  dlt: { description: Dead letters, retention: { min: 30d, max: 90d }, compaction: none, tiered_storage: optional }
  cdc: { description: Change data capture, retention: { min: 7d, max: 14d }, compaction: optional, tiered_storage: optional }
  met: { description: Metrics, retention: { min: 7d, max: 7d }, compaction: optional, tiered_storage: none }
  aud: { description: Audit, retention: { min: 90d, max: 365d }, compaction: optional, tiered_storage: required }
  log: { description: Structured logs, retention: { min: 3d, max: 7d }, compaction: none, tiered_storage: none }

partitions:
  default: 3
  allowed: [1, 3, 6, 12]

keying:
  entity:
    description: Domain entities keep their events in order
",
    );
    let _ = writeln!(s, "    keys: [{}]", keys.join(", "));
    s.push_str("\nsubjects:\n  strategy: topic_name\n");
    s
}

fn topic_yaml(t: &SynthTopic) -> String {
    let (_, _, retention, cleanup, tiered) = CLASSES
        .iter()
        .find(|c| c.0 == t.class)
        .copied()
        .unwrap_or(("evt", 0, "30d", "delete", true));
    let mut s = String::new();
    let _ = writeln!(s, "description: \"{}\"", t.description);
    s.push_str("event_class: entity\n");
    let _ = writeln!(
        s,
        "owner:\n  team: {}\n  contact: {}@example.com",
        t.context, t.context
    );
    let _ = writeln!(s, "retention: {retention}");
    if cleanup != "delete" {
        let _ = writeln!(s, "cleanup_policy: \"{cleanup}\"");
    }
    s.push_str("partitions: 3\n");
    let _ = writeln!(s, "key:\n  field: {}", t.key);
    s.push_str("schema:\n");
    match t.format {
        Format::Json => {}
        Format::Proto => {
            let _ = writeln!(s, "  file: payload.proto\n  message: {}", t.type_name());
        }
        Format::Avro => s.push_str("  file: payload.avsc\n"),
    }
    let _ = writeln!(s, "  version: {}.0.0\n  compatibility: BACKWARD", t.major);
    s.push_str("sla:\n  description: synthetic\n  publish_latency_p95: 50ms\n");
    if tiered {
        s.push_str("tiered_storage: true\n");
    }
    s
}

fn json_type(f: &Ty) -> Value {
    match f {
        Ty::Str => json!({ "type": "string" }),
        Ty::Int => json!({ "type": "integer" }),
        Ty::Num => json!({ "type": "number" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::DateTime => json!({ "type": "string", "format": "date-time" }),
        Ty::Enum(v) => json!({ "type": "string", "enum": v }),
        Ty::StrList => json!({ "type": "array", "items": { "type": "string" } }),
        Ty::Map => json!({ "type": "object", "additionalProperties": { "type": "integer" } }),
        Ty::Nullable => json!({ "type": ["string", "null"] }),
        Ty::Nested(fields) => json_object(fields),
    }
}

fn json_object(fields: &[Field]) -> Value {
    let mut props = Map::new();
    for f in fields {
        props.insert(f.name.clone(), json_type(&f.ty));
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    json!({ "type": "object", "properties": props, "required": required })
}

fn json_schema(t: &SynthTopic) -> String {
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert("title".into(), json!(t.type_name()));
    root.insert("description".into(), json!(t.description));
    if let Value::Object(o) = json_object(&t.fields) {
        root.extend(o);
    }
    root.insert("additionalProperties".into(), json!(false));
    pretty(&Value::Object(root))
}

fn proto(t: &SynthTopic) -> String {
    let name = t.type_name();
    let mut out = format!(
        "syntax = \"proto3\";\n\npackage synth.{}.v{};\n\n",
        t.context.replace('-', "_"),
        t.major
    );
    let mut extra = String::new();
    let body = proto_message(&name, &t.fields, &mut extra);
    let _ = writeln!(out, "// {}\n{body}", t.description);
    out.push_str(&extra);
    out
}

fn proto_message(name: &str, fields: &[Field], extra: &mut String) -> String {
    let mut s = format!("message {name} {{\n");
    for (i, f) in fields.iter().enumerate() {
        let n = i + 1;
        let ty = match &f.ty {
            Ty::Str | Ty::DateTime | Ty::Nullable => "string".to_owned(),
            Ty::Int => "int32".to_owned(),
            Ty::Num => "double".to_owned(),
            Ty::Bool => "bool".to_owned(),
            Ty::Enum(symbols) => {
                let en = format!("{name}{}", camel(&f.name));
                let prefix = upper_snake(&en);
                let _ = writeln!(extra, "enum {en} {{\n  {prefix}_UNSPECIFIED = 0;");
                for (j, sym) in symbols.iter().enumerate() {
                    let _ = writeln!(extra, "  {prefix}_{} = {};", sym.to_uppercase(), j + 1);
                }
                extra.push_str("}\n\n");
                en
            }
            Ty::StrList => "repeated string".to_owned(),
            Ty::Map => "map<string, int32>".to_owned(),
            Ty::Nested(inner) => {
                let mn = format!("{name}{}", camel(&f.name));
                let text = proto_message(&mn, inner, extra);
                extra.push_str(&text);
                extra.push('\n');
                mn
            }
        };
        let _ = writeln!(s, "  {ty} {} = {n};", f.name);
    }
    s.push_str("}\n");
    s
}

fn upper_snake(camel_name: &str) -> String {
    let mut s = String::new();
    for (i, c) in camel_name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(c.to_ascii_uppercase());
    }
    s
}

fn avro(t: &SynthTopic) -> String {
    let name = t.type_name();
    let mut rec = avro_record(&name, &t.fields);
    if let Value::Object(o) = &mut rec {
        o.insert(
            "namespace".into(),
            json!(format!("synth.{}.v{}", t.context, t.major)),
        );
        o.insert("doc".into(), json!(t.description));
    }
    pretty(&rec)
}

fn avro_record(name: &str, fields: &[Field]) -> Value {
    let fields: Vec<Value> = fields
        .iter()
        .map(|f| {
            let ty = match &f.ty {
                Ty::Str | Ty::DateTime => json!("string"),
                Ty::Int => json!("long"),
                Ty::Num => json!("double"),
                Ty::Bool => json!("boolean"),
                Ty::Enum(symbols) => json!({
                    "type": "enum",
                    "name": format!("{name}{}", camel(&f.name)),
                    "symbols": symbols,
                }),
                Ty::StrList => json!({ "type": "array", "items": "string" }),
                Ty::Map => json!({ "type": "map", "values": "long" }),
                Ty::Nullable => json!(["null", "string"]),
                Ty::Nested(inner) => avro_record(&format!("{name}{}", camel(&f.name)), inner),
            };
            let mut field = json!({ "name": f.name, "type": ty });
            if let (Value::Object(o), Ty::Nullable) = (&mut field, &f.ty) {
                o.insert("default".into(), Value::Null);
            }
            field
        })
        .collect();
    json!({ "type": "record", "name": name, "fields": fields })
}

fn sample(rng: &mut fastrand::Rng, t: &SynthTopic) -> Value {
    sample_object(rng, t.format, &t.fields, &t.type_name())
}

fn sample_object(rng: &mut fastrand::Rng, format: Format, fields: &[Field], path: &str) -> Value {
    let mut o = Map::new();
    for f in fields {
        // Optional fields: sometimes absent, sometimes empty or null.
        let value = if !f.required && format == Format::Json && rng.u32(..100) < 30 {
            match f.ty {
                Ty::StrList => Some(json!([])),
                Ty::Map => Some(json!({})),
                Ty::Nullable => Some(Value::Null),
                _ => None,
            }
        } else {
            Some(sample_value(rng, format, f, path))
        };
        if let Some(v) = value {
            o.insert(f.name.clone(), v);
        }
    }
    Value::Object(o)
}

fn sample_value(rng: &mut fastrand::Rng, format: Format, f: &Field, path: &str) -> Value {
    match &f.ty {
        Ty::Str => json!(format!(
            "{}-{}",
            f.name.replace('_', "-"),
            rng.u32(..10_000)
        )),
        Ty::Int => json!(rng.u32(..100_000)),
        Ty::Num => json!(f64::from(rng.u32(..100_000)) / 100.0),
        Ty::Bool => json!(rng.bool()),
        Ty::DateTime => json!(format!(
            "2026-{:02}-{:02}T{:02}:{:02}:00Z",
            1 + rng.u32(..12),
            1 + rng.u32(..28),
            rng.u32(..24),
            rng.u32(..60)
        )),
        Ty::Enum(symbols) => {
            let sym = *pick(rng, symbols);
            if format == Format::Proto {
                json!(format!(
                    "{}_{}",
                    upper_snake(&format!("{path}{}", camel(&f.name))),
                    sym.to_uppercase()
                ))
            } else {
                json!(sym)
            }
        }
        Ty::StrList => {
            let n = rng.usize(..4);
            Value::Array((0..n).map(|i| json!(format!("item-{i}"))).collect())
        }
        Ty::Map => {
            let n = 1 + rng.usize(..3);
            let mut m = Map::new();
            for i in 0..n {
                m.insert(format!("k{i}"), json!(rng.u32(..1000)));
            }
            Value::Object(m)
        }
        Ty::Nullable => json!(format!("maybe-{}", rng.u32(..100))),
        Ty::Nested(inner) => {
            sample_object(rng, format, inner, &format!("{path}{}", camel(&f.name)))
        }
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Node contracts: every topic gets a publisher and a different subscriber
/// while capacity lasts (at most 20 channels a node), and every node gets
/// at least two channels.
fn nodes(rng: &mut fastrand::Rng, topics: &[SynthTopic], count: usize) -> Vec<(String, String)> {
    let count = count.max(1);
    let mut pubs: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut subs: Vec<Vec<usize>> = vec![Vec::new(); count];
    let load = |p: &[Vec<usize>], s: &[Vec<usize>], n: usize| {
        p.get(n).map_or(0, Vec::len) + s.get(n).map_or(0, Vec::len)
    };
    // A node with room, probing from a random start; `None` when all are full.
    let room = |rng: &mut fastrand::Rng, p: &[Vec<usize>], s: &[Vec<usize>], not: usize| {
        let start = rng.usize(..count);
        (0..count)
            .map(|i| (start + i) % count)
            .find(|&n| n != not && load(p, s, n) < MAX_CHANNELS)
    };
    for i in 0..topics.len() {
        let Some(p) = room(rng, &pubs, &subs, usize::MAX) else {
            break;
        };
        if let Some(v) = pubs.get_mut(p) {
            v.push(i);
        }
        let Some(s) = room(rng, &pubs, &subs, p) else {
            break;
        };
        if let Some(v) = subs.get_mut(s) {
            v.push(i);
        }
    }
    // Nodes left with fewer than two channels subscribe to more topics.
    for n in 0..count {
        while load(&pubs, &subs, n) < 2 && !topics.is_empty() {
            let t = rng.usize(..topics.len());
            let taken = pubs.get(n).is_some_and(|v| v.contains(&t))
                || subs.get(n).is_some_and(|v| v.contains(&t));
            if !taken {
                if let Some(v) = subs.get_mut(n) {
                    v.push(t);
                }
            }
            if topics.len() < 3 {
                break;
            }
        }
    }
    let width = count.to_string().len();
    (0..count)
        .map(|n| {
            let context = CONTEXTS.get(n % CONTEXTS.len()).copied().unwrap_or("core");
            let name = format!("{context}-worker-{n:0width$}");
            let node_type = NODE_TYPES.get(n % NODE_TYPES.len()).copied().unwrap_or("EFFECT");
            let mut s = format!(
                "meta:\n  name: {name}\n  version: 1.0.0\n  node_type: {node_type}\n  description: Synthetic node {n}\n\nevent_channels:\n"
            );
            for (label, list) in [("publishes", &pubs), ("subscribes", &subs)] {
                let list = list.get(n).map_or(&[][..], Vec::as_slice);
                if list.is_empty() {
                    let _ = writeln!(s, "  {label}: []");
                    continue;
                }
                let _ = writeln!(s, "  {label}:");
                for &i in list {
                    let Some(t) = topics.get(i) else { continue };
                    // Half the references are concrete names, as services write them.
                    let name = if rng.bool() {
                        t.template()
                    } else {
                        let env: &str = pick::<&str>(rng, ENVS);
                        let tenant: &str = pick::<&str>(rng, TENANTS);
                        t.template()
                            .replacen("{env}", env, 1)
                            .replacen("{tenant}", tenant, 1)
                    };
                    let _ = writeln!(
                        s,
                        "    - topic: \"{name}\"\n      key: {}\n      event_type: {}",
                        t.key, t.verb
                    );
                }
            }
            (name, s)
        })
        .collect()
}
