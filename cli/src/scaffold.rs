//! The text of the files `init` and `new` write: a catalog's `onex.yaml`, a
//! topic folder (`topic.yaml`, a JSON Schema payload, a sample) and a node
//! contract. Pure functions of names, so the commands stay about files and
//! the templates can be tested (every one of them must load and lint clean).

use std::fmt::Write as _;

/// Where `init` puts the editor schemas, relative to the catalog root
/// (hidden, so the loader skips it).
pub const EDITOR_SCHEMAS: &str = ".onex/schemas";

/// A name usable as a context, class, topic or node segment: lowercase
/// ASCII letters, digits and `-`, starting with a letter.
pub fn check_segment(what: &str, s: &str) -> Result<(), String> {
    let ok = s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} `{s}` must be lowercase letters, digits and `-`, starting with a letter (e.g. `order-placed`)"
        ))
    }
}

/// A payload field name usable as a key: a snake_case identifier.
pub fn check_field(s: &str) -> Result<(), String> {
    let ok = s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "key field `{s}` must be a snake_case name (e.g. `order_id`)"
        ))
    }
}

/// The `# yaml-language-server` line for a file `depth` folders below the
/// root, when the editor schemas are there.
pub fn schema_comment(depth: usize, kind: &str, with_schemas: bool) -> String {
    if !with_schemas {
        return String::new();
    }
    let up = "../".repeat(depth);
    format!("# yaml-language-server: $schema={up}{EDITOR_SCHEMAS}/{kind}.schema.json\n")
}

/// `onex.yaml` of a new catalog whose first context keys its topics by
/// `key` (the keying group is named after the context).
pub fn settings(context: &str, key: &str) -> String {
    format!(
        r#"{comment}#
# Catalog settings: how topics are named, which classes they may use (and
# the retention each allows), partition counts and partition keys. Every
# topic folder (<context>/<class>/<topic>/v<N>/topic.yaml) and node contract
# (nodes/<node>/contract.yaml) is checked against this file.
version: 1

naming:
  default_convention: plain
  conventions:
    plain:
      pattern: "{{context}}.{{class}}.{{topic}}.{{version}}"
      description: <context>.<class>.<topic>.v<N>, e.g. {context}.evt.order-placed.v1
  # Environments and tenants a name may be bound to at run time, for
  # patterns that use {{env}} or {{tenant}}.
  envs: [dev, prod]
  tenants: []

# The classes a topic may belong to, and the retention each allows.
classes:
  evt:
    description: Immutable domain facts
    retention: {{ min: 7d, max: 90d }}
    compaction: optional
    tiered_storage: optional
  cmd:
    description: Intent to change state
    retention: {{ min: 1h, max: 3d }}
    compaction: none
    tiered_storage: none
  dlt:
    description: Dead letters for triage
    retention: {{ min: 30d, max: 90d }}
    compaction: none
    tiered_storage: optional

partitions:
  default: 3
  allowed: [1, 3, 6, 12]

# Which fields may key a topic, per event class (a topic's `event_class`).
keying:
  {context}:
    description: {context} events, keyed by the aggregate they are about
    keys: [{key}]

node_types: [EFFECT, COMPUTE, REDUCER, ORCHESTRATOR]
"#,
        comment = schema_comment(0, "onex", true).trim_end(),
    )
}

/// What a new topic folder says.
#[derive(Debug, Clone)]
pub struct TopicSpec<'a> {
    /// Bounded context (first folder).
    pub context: &'a str,
    /// Class (second folder).
    pub class: &'a str,
    /// Topic (third folder).
    pub topic: &'a str,
    /// The `keying:` group.
    pub event_class: &'a str,
    /// The key field.
    pub key: &'a str,
    /// Retention, as `onex.yaml` writes durations (`7d`).
    pub retention: &'a str,
    /// Partitions.
    pub partitions: u32,
    /// Owning team.
    pub team: &'a str,
}

/// `topic.yaml` of a new topic (four folders below the root).
pub fn topic_yaml(t: &TopicSpec<'_>, with_schemas: bool) -> String {
    let mut s = schema_comment(4, "topic", with_schemas);
    let _ = write!(
        s,
        r#"description: "{title}: say what happened, for whom, and when it is published"
event_class: {event_class}
owner:
  team: {team}
  contact: {team}@example.com
sla:
  publish_latency_p95: 100ms
retention: {retention}
partitions: {partitions}
key:
  field: {key}
schema:
  version: 1.0.0
  compatibility: BACKWARD
"#,
        title = sentence(t.topic),
        event_class = t.event_class,
        team = t.team,
        retention = t.retention,
        partitions = t.partitions,
        key = t.key,
    );
    s
}

/// `payload.schema.json` of a new topic: the key and a placeholder field
/// (the envelope already carries ids and timestamps), both required, nothing else allowed (a closed model, so adding a field later
/// is a reviewed change).
pub fn payload_schema(t: &TopicSpec<'_>) -> String {
    let title = heck::AsUpperCamelCase(t.topic).to_string();
    let placeholder = placeholder(t);
    let value = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": sentence(t.topic),
        "type": "object",
        "properties": {
            t.key: { "type": "string", "description": "The partition key." },
            placeholder.as_str(): { "type": "string", "description": "Replace with the event's own fields." },
        },
        "required": [t.key, placeholder],
        "additionalProperties": false,
    });
    pretty(&value)
}

/// `samples/basic.json` of a new topic, valid against [`payload_schema`].
pub fn sample(t: &TopicSpec<'_>) -> String {
    let value = serde_json::json!({
        t.key: format!("{}-1001", t.key.trim_end_matches("_id").replace('_', "-")),
        placeholder(t): format!("a sample {}", sentence(t.topic).to_lowercase()),
    });
    pretty(&value)
}

/// The placeholder field of a new topic's payload, named after the topic:
/// with one name for all, two new topics with one key would have the same
/// payload, and lint clean only once their real fields replace it
/// (`topic-duplicate`).
fn placeholder(t: &TopicSpec<'_>) -> String {
    format!("{}_summary", heck::AsSnakeCase(t.topic))
}

/// One channel of a new node contract.
#[derive(Debug, Clone)]
pub struct Channel {
    /// The topic's wire name.
    pub topic: String,
    /// Its key field path (`order_id`, `order.id`).
    pub key: String,
    /// `event_type`: the topic segment.
    pub event_type: String,
}

/// A node contract at `nodes/<name>/contract.yaml` (two folders below the
/// root).
pub fn node_contract(
    name: &str,
    node_type: &str,
    publishes: &[Channel],
    subscribes: &[Channel],
    with_schemas: bool,
) -> String {
    let mut s = schema_comment(2, "node", with_schemas);
    let _ = write!(
        s,
        "meta:\n  name: {name}\n  version: 0.1.0\n  node_type: {node_type}\n"
    );
    if publishes.is_empty() && subscribes.is_empty() {
        s.push_str("event_channels: {}\n");
        return s;
    }
    s.push_str("event_channels:\n");
    for (list, chans) in [("publishes", publishes), ("subscribes", subscribes)] {
        if chans.is_empty() {
            continue;
        }
        let _ = writeln!(s, "  {list}:");
        for c in chans {
            let _ = write!(
                s,
                "    - topic: {}\n      key: {}\n      event_type: {}\n      description: \"{} {}\"\n",
                c.topic,
                c.key,
                c.event_type,
                if list == "publishes" {
                    "Publishes"
                } else {
                    "Handles"
                },
                c.event_type.replace('-', " "),
            );
            if list == "subscribes" {
                let _ = writeln!(
                    s,
                    "      handler: handle_{}",
                    heck::AsSnakeCase(&c.event_type)
                );
            }
        }
    }
    s
}

/// `order-placed` → `Order placed`.
fn sentence(segment: &str) -> String {
    let words = segment.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
