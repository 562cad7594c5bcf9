//! The static HTML catalog (`onex docs --format html`), rendered with askama
//! from `templates/html/`: an index with client-side search (an inline
//! script over an embedded JSON index: no server, no CDN) and the topology
//! picture with a per-context / per-node filter; a page per topic (facts,
//! versions and their compatibility, payload fields with PII levels, key,
//! subjects, producers, consumers, lint findings, sample), per node and per
//! context, linked to each other.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use heck::ToSnakeCase;
use serde_json::json;

use crate::diagnostic::{Diagnostic, Waived};
use crate::export::docs::{names, sla_text, type_name};
use crate::export::topology::Graph;
use crate::model::payload::{FieldType, Record, SchemaFormat};
use crate::model::vocab::{CleanupPolicy, PiiLevel};
use crate::model::{Catalog, Direction, Millis, Topic};

/// The stylesheet every page links.
const STYLE: &str = include_str!("../../templates/html/style.css");

fn page(t: &Topic) -> String {
    format!("{}.html", t.rust_name.to_snake_case())
}

struct TopicRow {
    name: String,
    page: String,
    class: String,
    key: String,
    partitions: u32,
    retention: String,
    owner: String,
    producers: Vec<String>,
    consumers: Vec<String>,
}

struct NodeRow {
    name: String,
    node_type: String,
    publishes: usize,
    subscribes: usize,
}

struct ContextRow {
    name: String,
    topics: usize,
}

#[derive(Template)]
#[template(path = "html/index.html")]
struct IndexPage {
    up: &'static str,
    topic_count: usize,
    node_count: usize,
    edge_count: usize,
    contexts: Vec<ContextRow>,
    topics: Vec<TopicRow>,
    nodes: Vec<NodeRow>,
    svg: String,
    index_json: String,
}

struct FieldRow {
    path: String,
    ty: String,
    required: &'static str,
    pii: String,
    pii_class: &'static str,
    description: String,
}

struct VersionRow {
    major: u32,
    page: String,
    name: String,
    schema_version: String,
    compatibility: String,
    current: bool,
}

struct FindingRow {
    code: String,
    message: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "html/topic.html")]
struct TopicPage {
    up: &'static str,
    name: String,
    description: String,
    identity: String,
    rust_name: String,
    context: String,
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
    value_subject: String,
    /// `None`: a keyless topic, no key subject.
    key_subject: Option<String>,
    aliases: String,
    deprecated: String,
    contract: String,
    versions: Vec<VersionRow>,
    fields: Vec<FieldRow>,
    producers: Vec<String>,
    consumers: Vec<String>,
    findings: Vec<FindingRow>,
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
#[template(path = "html/node.html")]
struct NodePage {
    up: &'static str,
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

#[derive(Template)]
#[template(path = "html/context.html")]
struct ContextPage {
    up: &'static str,
    name: String,
    topics: Vec<TopicRow>,
    nodes: Vec<String>,
}

fn fields(t: &Topic, rec: &Record, prefix: &str, out: &mut Vec<FieldRow>) {
    for f in &rec.fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        let info = t.pii.get(&path);
        let (pii, pii_class) = match info {
            Some(p) => {
                let (level, class) = match p.level {
                    PiiLevel::None => ("none", "none"),
                    PiiLevel::Low => ("low", "low"),
                    PiiLevel::High => ("high", "high"),
                };
                match &p.encryption {
                    Some(e) => (format!("{level} ({e})"), class),
                    None => (level.to_owned(), class),
                }
            }
            None => ("—".to_owned(), "none"),
        };
        out.push(FieldRow {
            path: path.clone(),
            ty: type_name(&f.ty),
            required: if f.required { "yes" } else { "no" },
            pii,
            pii_class,
            description: f.description.clone().unwrap_or_default(),
        });
        if let FieldType::Record(r) = &f.ty {
            fields(t, r, &path, out);
        }
    }
}

fn owner(t: &Topic) -> String {
    t.owner.as_ref().map_or("—".to_owned(), |o| o.team.clone())
}

fn row(catalog: &Catalog, t: &Topic) -> TopicRow {
    TopicRow {
        name: t.name.to_string(),
        page: page(t),
        class: t.id.class.clone(),
        key: t.key.describe(),
        partitions: t.partitions,
        retention: Millis(t.retention_ms).to_string(),
        owner: owner(t),
        producers: names(catalog, t, Direction::Publishes),
        consumers: names(catalog, t, Direction::Subscribes),
    }
}

/// The topic directory a contract file lives in (`ctx/class/topic/v1/`).
fn topic_dir(t: &Topic) -> &str {
    t.file.strip_suffix("topic.yaml").unwrap_or(&t.file)
}

/// Every file of the HTML catalog, by path relative to its directory.
pub fn render(
    catalog: &Catalog,
    findings: &[Diagnostic],
    waived: &[Waived],
) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    files.insert("style.css".to_owned(), STYLE.to_owned());
    let graph = Graph::new(catalog, false);
    let svg = graph.to_svg();

    let mut contexts: BTreeMap<&str, Vec<&Topic>> = BTreeMap::new();
    for t in &catalog.topics {
        contexts.entry(t.id.context.as_str()).or_default().push(t);
    }

    // The search index: topics (name, owner, fields, description), nodes,
    // owners and contexts.
    let mut index = Vec::new();
    for t in &catalog.topics {
        let mut rows = Vec::new();
        fields(t, &t.schema.payload.root, "", &mut rows);
        let field_names: Vec<&str> = rows.iter().map(|r| r.path.as_str()).collect();
        index.push(json!({
            "kind": "topic",
            "name": t.name.to_string(),
            "url": format!("topics/{}", page(t)),
            "text": format!(
                "{} {} {} key:{} {} {} {}",
                t.id,
                t.rust_name,
                owner(t),
                t.key.field(),
                field_names.join(" "),
                t.description.as_deref().unwrap_or(""),
                t.aliases.join(" ")
            ),
        }));
    }
    for n in &catalog.nodes {
        index.push(json!({
            "kind": "node",
            "name": n.name,
            "url": format!("nodes/{}.html", n.name),
            "text": format!("{} {}", n.node_type, n.description.as_deref().unwrap_or("")),
        }));
    }
    let owners: BTreeSet<String> = catalog
        .topics
        .iter()
        .filter_map(|t| t.owner.as_ref().map(|o| o.team.clone()))
        .collect();
    for o in &owners {
        let owned: Vec<String> = catalog
            .topics
            .iter()
            .filter(|t| t.owner.as_ref().is_some_and(|x| &x.team == o))
            .map(|t| t.name.to_string())
            .collect();
        let ctx = catalog
            .topics
            .iter()
            .find(|t| t.owner.as_ref().is_some_and(|x| &x.team == o))
            .map_or("", |t| t.id.context.as_str());
        index.push(json!({
            "kind": "owner",
            "name": o,
            "url": format!("contexts/{ctx}.html"),
            "text": owned.join(" "),
        }));
    }
    for c in contexts.keys() {
        index.push(json!({
            "kind": "context",
            "name": c,
            "url": format!("contexts/{c}.html"),
            "text": "",
        }));
    }
    // `</script>` cannot appear inside the embedded JSON.
    let index_json = serde_json::to_string(&index)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");

    let idx = IndexPage {
        up: "",
        topic_count: catalog.topics.len(),
        node_count: catalog.nodes.len(),
        edge_count: catalog.edges.len(),
        contexts: contexts
            .iter()
            .map(|(c, ts)| ContextRow {
                name: (*c).to_owned(),
                topics: ts.len(),
            })
            .collect(),
        topics: catalog.topics.iter().map(|t| row(catalog, t)).collect(),
        nodes: catalog
            .nodes
            .iter()
            .map(|n| NodeRow {
                name: n.name.clone(),
                node_type: n.node_type.clone(),
                publishes: n.publishes.len(),
                subscribes: n.subscribes.len(),
            })
            .collect(),
        svg,
        index_json,
    };
    files.insert(
        "index.html".to_owned(),
        idx.render().map_err(|e| e.to_string())?,
    );

    for t in &catalog.topics {
        let mut rows = Vec::new();
        // A payload that is not a record is one value: one row for it.
        if let Some(ty) = &t.schema.payload.root_type {
            rows.push(FieldRow {
                path: "(payload)".to_owned(),
                ty: type_name(ty),
                required: "yes",
                pii: "—".to_owned(),
                pii_class: "none",
                description: String::new(),
            });
        }
        fields(t, &t.schema.payload.root, "", &mut rows);
        let topic = t.name.to_string();
        let subjects = t.subjects(catalog.settings.subject_strategy);
        let (value_subject, key_subject) = (subjects.value, subjects.key);
        let sla = sla_text(t);
        let versions = catalog
            .topics
            .iter()
            .filter(|o| {
                o.id.context == t.id.context && o.id.class == t.id.class && o.id.topic == t.id.topic
            })
            .map(|o| VersionRow {
                major: o.id.major,
                page: page(o),
                name: o.name.to_string(),
                schema_version: o.schema.version.clone(),
                compatibility: crate::export::asyncapi::compatibility(o.schema.compatibility),
                current: o.id == t.id,
            })
            .collect();
        let dir = topic_dir(t);
        let mine = |d: &Diagnostic| {
            d.location
                .as_ref()
                .is_some_and(|l| l.file.starts_with(dir) || l.file == t.file)
        };
        let mut topic_findings: Vec<FindingRow> = findings
            .iter()
            .filter(|d| mine(d))
            .map(|d| FindingRow {
                code: d.rule.unwrap_or(d.code.as_str()).to_owned(),
                message: d.message.clone(),
                reason: String::new(),
            })
            .collect();
        topic_findings.extend(
            waived
                .iter()
                .filter(|w| mine(&w.finding))
                .map(|w| FindingRow {
                    code: w.finding.rule.unwrap_or(w.finding.code.as_str()).to_owned(),
                    message: w.finding.message.clone(),
                    reason: w.reason.clone(),
                }),
        );
        let p = TopicPage {
            up: "../",
            name: topic.clone(),
            description: t.description.clone().unwrap_or_default(),
            identity: t.id.to_string(),
            rust_name: t.rust_name.clone(),
            context: t.id.context.clone(),
            class: t.id.class.clone(),
            semantic: t.semantic.clone().unwrap_or_else(|| "—".to_owned()),
            owner: t.owner.as_ref().map_or("—".to_owned(), |o| {
                format!(
                    "{}{}",
                    o.team,
                    o.contact
                        .as_deref()
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default()
                )
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
                .map(|d| format!(" ({d})"))
                .unwrap_or_default(),
            schema_file: t.schema.payload.file.clone(),
            schema_format: match t.schema.payload.format {
                SchemaFormat::JsonSchema => "JSON Schema",
                SchemaFormat::Protobuf => "Protobuf",
                SchemaFormat::Avro => "Avro",
            },
            value_subject,
            key_subject,
            aliases: if t.aliases.is_empty() {
                "—".to_owned()
            } else {
                t.aliases
                    .iter()
                    .map(|a| format!("{a} (deprecated)"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            deprecated: t
                .deprecated
                .as_ref()
                .map_or("no".to_owned(), |d| d.reason.clone()),
            contract: t.file.clone(),
            versions,
            fields: rows,
            producers: names(catalog, t, Direction::Publishes),
            consumers: names(catalog, t, Direction::Subscribes),
            findings: topic_findings,
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
            format!("topics/{}", page(t)),
            p.render().map_err(|e| e.to_string())?,
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
                        page: page(t),
                        key: c.key.clone(),
                        event_type: c.event_type.clone(),
                        handler: c.handler.clone().unwrap_or_default(),
                        description: c.description.clone().unwrap_or_default(),
                    })
                })
                .collect()
        };
        let p = NodePage {
            up: "../",
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
            format!("nodes/{}.html", n.name),
            p.render().map_err(|e| e.to_string())?,
        );
    }

    for (c, ts) in &contexts {
        let ids: BTreeSet<_> = ts.iter().map(|t| &t.id).collect();
        let nodes: BTreeSet<String> = catalog
            .edges
            .iter()
            .filter(|e| ids.contains(&e.topic))
            .map(|e| e.node.clone())
            .collect();
        let p = ContextPage {
            up: "../",
            name: (*c).to_owned(),
            topics: ts.iter().map(|t| row(catalog, t)).collect(),
            nodes: nodes.into_iter().collect(),
        };
        files.insert(
            format!("contexts/{c}.html"),
            p.render().map_err(|e| e.to_string())?,
        );
    }
    Ok(files)
}
