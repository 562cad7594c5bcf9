//! Catalog documentation (`docs/catalog/`), rendered with askama from the
//! validated catalog: an index with the topology picture, a page per topic
//! (facts, payload fields with PII levels, sample, producers, consumers) and a
//! page per node.

use std::collections::BTreeMap;

use askama::Template;
use heck::ToSnakeCase;

use crate::diagnostic::{Diagnostic, Waived};
use crate::export::topology::Graph;
use crate::model::payload::{FieldType, Record, SchemaFormat};
use crate::model::vocab::CleanupPolicy;
use crate::model::{Catalog, Direction, Millis, Topic};

/// Markdown table cells: no pipes or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn topic_page(t: &Topic) -> String {
    format!("{}.md", t.rust_name.to_snake_case())
}

struct TopicRow {
    name: String,
    page: String,
    class: String,
    key: String,
    partitions: u32,
    retention: String,
    owner: String,
    producers: String,
    consumers: String,
}

struct NodeRow {
    name: String,
    page: String,
    node_type: String,
    publishes: usize,
    subscribes: usize,
}

struct FindingRow {
    code: String,
    message: String,
    file: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "index.md", escape = "none")]
struct IndexPage {
    /// The catalog's envelope fields (empty: onex's superset envelope).
    envelope: Vec<EnvelopeRow>,
    event_id: String,
    topic_count: usize,
    node_count: usize,
    edge_count: usize,
    mermaid: String,
    topics: Vec<TopicRow>,
    nodes: Vec<NodeRow>,
    findings: Vec<FindingRow>,
    waived: Vec<FindingRow>,
}

struct EnvelopeRow {
    name: String,
    required: String,
    description: String,
}

struct FieldRow {
    path: String,
    ty: String,
    required: &'static str,
    pii: String,
    description: String,
}

#[derive(Template)]
#[template(path = "topic.md", escape = "none")]
struct TopicPage {
    name: String,
    description: String,
    identity: String,
    rust_name: String,
    class: String,
    semantic: String,
    owner: String,
    sla: String,
    retention: String,
    cleanup: &'static str,
    partitions: u32,
    key: String,
    key_why: String,
    schema_file: String,
    schema_format: &'static str,
    schema_version: String,
    compatibility: String,
    value_subject: String,
    /// `None`: a keyless topic, no key subject.
    key_subject: Option<String>,
    aliases: String,
    deprecated: String,
    contract: String,
    /// `reply:`: the reply topic and its correlation field ("" when none).
    reply: String,
    /// Required envelope fields, when the catalog defines its envelope.
    envelope: String,
    fields: Vec<FieldRow>,
    producers: Vec<String>,
    consumers: Vec<String>,
    sample_file: String,
    sample: String,
}

struct ChannelRow {
    topic: String,
    page: String,
    key: String,
    event_type: String,
    handler: String,
    description: String,
}

#[derive(Template)]
#[template(path = "node.md", escape = "none")]
struct NodePage {
    name: String,
    description: String,
    node_type: String,
    version: String,
    group: String,
    rust_name: String,
    contract: String,
    publishes: Vec<ChannelRow>,
    subscribes: Vec<ChannelRow>,
}

pub(crate) fn type_name(t: &FieldType) -> String {
    match t {
        FieldType::String { format: Some(f) } => format!("string ({f})"),
        FieldType::Enum { values } => format!("enum: {}", values.join(", ")),
        FieldType::Array { items } => format!("array of {}", type_name(items)),
        FieldType::Map { values } => format!("map of {}", type_name(values)),
        other => other.describe().to_owned(),
    }
}

fn fields(t: &Topic, rec: &Record, prefix: &str, out: &mut Vec<FieldRow>) {
    for f in &rec.fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        let pii = t.pii.get(&path).map(|p| {
            let level = format!("{:?}", p.level).to_lowercase();
            match &p.encryption {
                Some(e) => format!("{level} ({e})"),
                None => level,
            }
        });
        out.push(FieldRow {
            path: path.clone(),
            ty: cell(&type_name(&f.ty)),
            required: if f.required { "yes" } else { "no" },
            pii: pii.unwrap_or_else(|| "—".to_owned()),
            description: cell(f.description.as_deref().unwrap_or("")),
        });
        if let FieldType::Record(r) = &f.ty {
            fields(t, r, &path, out);
        }
    }
}

pub(crate) fn names(catalog: &Catalog, t: &Topic, dir: Direction) -> Vec<String> {
    catalog
        .edges
        .iter()
        .filter(|e| e.topic == t.id && e.direction == dir)
        .map(|e| e.node.clone())
        .collect()
}

/// Every file of `docs/catalog/`, by path relative to it.
pub fn render(
    catalog: &Catalog,
    findings: &[Diagnostic],
    waived: &[Waived],
) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    let picture = Graph::new(catalog, false);
    let full = Graph::new(catalog, false);
    files.insert("topology.svg".to_owned(), picture.to_svg());
    files.insert("topology.mmd".to_owned(), picture.to_mermaid());
    files.insert("topology.dot".to_owned(), picture.to_dot());
    files.insert("topology.json".to_owned(), full.to_json());

    let join = |v: &[String]| {
        if v.is_empty() {
            "—".to_owned()
        } else {
            v.join(", ")
        }
    };
    let row = |d: &Diagnostic, reason: &str| FindingRow {
        code: d.rule.unwrap_or_default().to_owned(),
        message: cell(&d.message),
        file: d
            .location
            .as_ref()
            .map(|l| l.file.clone())
            .unwrap_or_default(),
        reason: cell(reason),
    };
    let env = catalog.settings.envelope.as_ref();
    let index = IndexPage {
        envelope: env
            .map(|e| {
                let mut rows = vec![
                    EnvelopeRow {
                        name: "event_id".to_owned(),
                        required: "always".to_owned(),
                        description: String::new(),
                    },
                    EnvelopeRow {
                        name: "event_type".to_owned(),
                        required: "always".to_owned(),
                        description: String::new(),
                    },
                ];
                rows.extend(e.fields.iter().map(|(name, f)| EnvelopeRow {
                    name: name.clone(),
                    required: if f.required {
                        "always".to_owned()
                    } else if f.required_for.is_empty() {
                        "no".to_owned()
                    } else {
                        format!("for {}", f.required_for.join(", "))
                    },
                    description: cell(f.description.as_deref().unwrap_or_default()),
                }));
                rows
            })
            .unwrap_or_default(),
        event_id: env
            .map(|e| match e.event_id {
                crate::model::vocab::EventIdFlavour::UuidV4 => "UUIDv4",
                crate::model::vocab::EventIdFlavour::UuidV7 => "UUIDv7",
            })
            .unwrap_or_default()
            .to_owned(),
        topic_count: catalog.topics.len(),
        node_count: catalog.nodes.len(),
        edge_count: catalog.edges.len(),
        mermaid: picture.to_mermaid(),
        topics: catalog
            .topics
            .iter()
            .map(|t| TopicRow {
                name: t.name.to_string(),
                page: topic_page(t),
                class: t.id.class.clone(),
                key: t.key.describe(),
                partitions: t.partitions,
                retention: Millis(t.retention_ms).to_string(),
                owner: t.owner.as_ref().map_or("—".to_owned(), |o| cell(&o.team)),
                producers: join(&names(catalog, t, Direction::Publishes)),
                consumers: join(&names(catalog, t, Direction::Subscribes)),
            })
            .collect(),
        nodes: catalog
            .nodes
            .iter()
            .map(|n| NodeRow {
                name: n.name.clone(),
                page: format!("{}.md", n.name),
                node_type: n.node_type.clone(),
                publishes: n.publishes.len(),
                subscribes: n.subscribes.len(),
            })
            .collect(),
        findings: findings.iter().map(|d| row(d, "")).collect(),
        waived: waived.iter().map(|w| row(&w.finding, &w.reason)).collect(),
    };
    files.insert(
        "index.md".to_owned(),
        index.render().map_err(|e| e.to_string())?,
    );

    for t in &catalog.topics {
        let mut rows = Vec::new();
        // A payload that is not a record is one value: one row for it.
        if let Some(ty) = &t.schema.payload.root_type {
            rows.push(FieldRow {
                path: "(payload)".to_owned(),
                ty: cell(&type_name(ty)),
                required: "yes",
                pii: "—".to_owned(),
                description: String::new(),
            });
        }
        fields(t, &t.schema.payload.root, "", &mut rows);
        let topic = t.name.to_string();
        let subjects = t.subjects(catalog.settings.subject_strategy);
        let (value_subject, key_subject) = (subjects.value, subjects.key);
        let sla = sla_text(t);
        let page = TopicPage {
            name: topic.clone(),
            description: t.description.clone().unwrap_or_default(),
            identity: t.id.to_string(),
            rust_name: t.rust_name.clone(),
            class: t.id.class.clone(),
            semantic: t.semantic.clone().unwrap_or_else(|| "—".to_owned()),
            owner: t.owner.as_ref().map_or("—".to_owned(), |o| {
                cell(&format!(
                    "{}{}",
                    o.team,
                    o.contact
                        .as_deref()
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default()
                ))
            }),
            sla: sla
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "—".to_owned()),
            retention: Millis(t.retention_ms).to_string(),
            cleanup: match t.cleanup_policy {
                CleanupPolicy::Delete => "delete",
                CleanupPolicy::Compact => "compact",
                CleanupPolicy::CompactDelete => "compact,delete",
            },
            partitions: t.partitions,
            key: t.key.describe(),
            key_why: t
                .key
                .description
                .as_deref()
                .map(|d| format!(" ({})", cell(d)))
                .unwrap_or_default(),
            schema_file: t.schema.payload.file.clone(),
            schema_format: match t.schema.payload.format {
                SchemaFormat::JsonSchema => "JSON Schema",
                SchemaFormat::Protobuf => "Protobuf",
                SchemaFormat::Avro => "Avro",
            },
            schema_version: t.schema.version.clone(),
            compatibility: format!("{:?}", t.schema.compatibility).to_uppercase(),
            value_subject,
            key_subject,
            aliases: if t.aliases.is_empty() {
                "—".to_owned()
            } else {
                t.aliases
                    .iter()
                    .map(|a| format!("`{a}` (deprecated)"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            deprecated: t
                .deprecated
                .as_ref()
                .map_or("no".to_owned(), |d| cell(&d.reason)),
            contract: t.file.clone(),
            reply: t
                .reply
                .as_ref()
                .and_then(|r| {
                    let to = catalog.topic(&r.topic)?;
                    Some(format!(
                        "[`{}`]({}), matched by `{}`",
                        to.name,
                        topic_page(to),
                        r.correlation
                    ))
                })
                .unwrap_or_default(),
            envelope: catalog
                .settings
                .envelope
                .as_ref()
                .map(|e| {
                    e.required(&t.id.class)
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            fields: rows,
            producers: names(catalog, t, Direction::Publishes),
            consumers: names(catalog, t, Direction::Subscribes),
            sample_file: t
                .samples
                .first()
                .map(|s| s.file.clone())
                .unwrap_or_default(),
            sample: t
                .samples
                .first()
                .and_then(|s| serde_json::to_string_pretty(&s.value).ok())
                .unwrap_or_default(),
        };
        files.insert(
            format!("topics/{}", topic_page(t)),
            page.render().map_err(|e| e.to_string())?,
        );
    }

    for n in &catalog.nodes {
        let rows = |chans: &[crate::model::Channel]| -> Vec<ChannelRow> {
            chans
                .iter()
                .filter_map(|c| {
                    let t = catalog.topic(&c.topic)?;
                    Some(ChannelRow {
                        topic: t.name.to_string(),
                        page: topic_page(t),
                        key: c.key.clone(),
                        event_type: cell(&c.event_type),
                        handler: c.handler.clone().unwrap_or_default(),
                        description: cell(c.description.as_deref().unwrap_or("")),
                    })
                })
                .collect()
        };
        let page = NodePage {
            name: n.name.clone(),
            description: n.description.clone().unwrap_or_default(),
            node_type: n.node_type.clone(),
            version: n.version.clone(),
            group: n.consumer_group.clone(),
            rust_name: n.rust_name.clone(),
            contract: n.file.clone(),
            publishes: rows(&n.publishes),
            subscribes: rows(&n.subscribes),
        };
        files.insert(
            format!("nodes/{}.md", n.name),
            page.render().map_err(|e| e.to_string())?,
        );
    }
    Ok(files)
}

/// A topic's SLA in one line (`best effort, every 30s, max lag 1m`).
pub(crate) fn sla_text(t: &Topic) -> Option<String> {
    t.sla.as_ref().map(|s| {
        let mut parts = Vec::new();
        if let Some(d) = &s.description {
            parts.push(d.clone());
        }
        if let Some(f) = s.frequency_ms {
            parts.push(format!("every {}", Millis(f)));
        }
        if let Some(l) = s.max_lag_ms {
            parts.push(format!("max lag {}", Millis(l)));
        }
        if let Some(l) = s.publish_latency_p95_ms {
            parts.push(format!("p95 publish latency {}", Millis(l)));
        }
        parts.join(", ")
    })
}
