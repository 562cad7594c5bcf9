//! `new topic` / `new node`: add a topic folder or a node contract to an
//! existing catalog, filled in from its `onex.yaml` (the class's shortest
//! retention, the default partition count, a key its keying rules allow),
//! so that the catalog still checks and lints clean afterwards.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use onex_codegen::Catalog;
use onex_codegen::model::Millis;

use crate::discover::shown;
use crate::output::{Mode, Plan};
use crate::scaffold::{self, Channel, EDITOR_SCHEMAS, TopicSpec};
use crate::{CmdResult, Context};

/// `new topic|node ...`
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to add.
    #[command(subcommand)]
    pub what: New,
}

/// What `new` adds.
#[derive(Debug, Subcommand)]
pub enum New {
    /// A topic folder `<context>/<class>/<topic>/v<N>/` with topic.yaml, a JSON Schema and a sample
    Topic(NewTopic),
    /// A node contract `nodes/<name>/contract.yaml`
    Node(NewNode),
}

/// `new topic CONTEXT/CLASS/TOPIC [--version N] [--key F] [--event-class G]`
#[derive(Debug, Args)]
pub struct NewTopic {
    /// `context/class/topic`, e.g. `orders/evt/order-shipped`
    #[arg(value_name = "CONTEXT/CLASS/TOPIC")]
    pub path: String,
    /// Major version
    #[arg(long, default_value_t = 1)]
    pub version: u32,
    /// Partition key field (default: the first key of the event class)
    #[arg(long)]
    pub key: Option<String>,
    /// The `keying:` group of onex.yaml (default: the group allowing `--key`, else the one named like the context, else the only one)
    #[arg(long)]
    pub event_class: Option<String>,
    /// Owning team (default: the context)
    #[arg(long)]
    pub team: Option<String>,
}

/// `new node NAME [--type T] [--publishes TOPIC]... [--subscribes TOPIC]...`
#[derive(Debug, Args)]
pub struct NewNode {
    /// Node name, e.g. `order-service`
    pub name: String,
    /// Node type (one of onex.yaml's `node_types`; default: the first)
    #[arg(long = "type")]
    pub node_type: Option<String>,
    /// A topic it publishes (wire name); repeatable
    #[arg(long, value_name = "TOPIC")]
    pub publishes: Vec<String>,
    /// A topic it subscribes to (wire name); repeatable
    #[arg(long, value_name = "TOPIC")]
    pub subscribes: Vec<String>,
}

/// Add the topic or node.
pub fn run(cx: &Context, args: &NewArgs) -> CmdResult {
    let root = cx.root()?;
    let loaded = onex_codegen::load(&root);
    let Some(catalog) = loaded.catalog else {
        eprint!("{}", loaded.diagnostics.render_human(false));
        return Err(format!(
            "the catalog at {} has errors; fix them (`{} check`) before adding to it",
            shown(&root),
            cx.defaults.program
        ));
    };
    let with_schemas = root.join(EDITOR_SCHEMAS).is_dir();
    let (files, summary) = match &args.what {
        New::Topic(t) => topic(&root, &catalog, t, with_schemas)?,
        New::Node(n) => node(&root, &catalog, n, with_schemas)?,
    };
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| shown(p))
        .collect();
    if !existing.is_empty() {
        return Err(format!("{} already exists", existing.join(", ")));
    }
    let mut plan = Plan::new();
    for (p, t) in files {
        plan.file(p, t);
    }
    plan.sync(Mode::Write)?.print_changes();
    let after = onex_codegen::load(&root);
    if after.diagnostics.has_errors() {
        eprint!("{}", after.diagnostics.render_human(false));
        return Ok(ExitCode::FAILURE);
    }
    eprintln!("{summary}");
    Ok(ExitCode::SUCCESS)
}

type Files = Vec<(PathBuf, String)>;

fn topic(
    root: &std::path::Path,
    catalog: &Catalog,
    a: &NewTopic,
    with_schemas: bool,
) -> Result<(Files, String), String> {
    let parts: Vec<&str> = a.path.split('/').collect();
    let [context, class, name] = parts.as_slice() else {
        return Err(format!(
            "`{}`: expected CONTEXT/CLASS/TOPIC, e.g. `orders/evt/order-shipped`",
            a.path
        ));
    };
    for (what, s) in [("context", context), ("class", class), ("topic", name)] {
        scaffold::check_segment(what, s)?;
    }
    let s = &catalog.settings;
    let Some(policy) = s.classes.get(*class) else {
        let known: Vec<&str> = s.classes.keys().map(String::as_str).collect();
        return Err(format!(
            "class `{class}` is not in onex.yaml's `classes:` (known: {}); add it there first",
            known.join(", ")
        ));
    };
    let groups = || s.keying.iter();
    let (event_class, key) = match (&a.event_class, &a.key) {
        (Some(g), key) => {
            let Some(keys) = s.keying.get(g) else {
                return Err(format!(
                    "event class `{g}` is not in onex.yaml's `keying:` (known: {})",
                    groups()
                        .map(|(k, _)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            };
            let key = match key {
                Some(k) if keys.contains(k) => k.clone(),
                Some(k) => {
                    return Err(format!(
                        "event class `{g}` allows the keys {}, not `{k}`; add `{k}` to its `keys:` in onex.yaml or pick one of them",
                        keys.join(", ")
                    ));
                }
                None => keys
                    .first()
                    .cloned()
                    .ok_or_else(|| format!("event class `{g}` lists no keys in onex.yaml"))?,
            };
            (g.clone(), key)
        }
        (None, Some(k)) => {
            scaffold::check_field(k)?;
            let g = groups()
                .find(|(_, keys)| keys.contains(k))
                .map(|(g, _)| g.clone())
                .ok_or_else(|| {
                    format!(
                        "no event class in onex.yaml's `keying:` allows the key `{k}`; add it to one (or a new group) and pass `--event-class`"
                    )
                })?;
            (g, k.clone())
        }
        (None, None) if s.keying.len() == 1 || s.keying.contains_key(*context) => {
            let (g, keys) = s
                .keying
                .get_key_value(*context)
                .or_else(|| s.keying.iter().next())
                .ok_or_else(|| "onex.yaml has no `keying:` group".to_owned())?;
            let key = keys
                .first()
                .cloned()
                .ok_or_else(|| format!("event class `{g}` lists no keys in onex.yaml"))?;
            (g.clone(), key)
        }
        (None, None) => {
            let list: Vec<String> = groups()
                .map(|(g, keys)| format!("{g} ({})", keys.join(", ")))
                .collect();
            return Err(format!(
                "pass `--key FIELD` or `--event-class GROUP`; onex.yaml's keying groups: {}",
                if list.is_empty() {
                    "none (add a `keying:` group first)".to_owned()
                } else {
                    list.join(", ")
                }
            ));
        }
    };
    let retention = Millis(policy.retention_min_ms).to_string();
    let team = a.team.clone().unwrap_or_else(|| (*context).to_owned());
    let spec = TopicSpec {
        context,
        class,
        topic: name,
        event_class: &event_class,
        key: &key,
        retention: &retention,
        partitions: s.partitions.default,
        team: &team,
    };
    let folder = root
        .join(context)
        .join(class)
        .join(name)
        .join(format!("v{}", a.version));
    let files = vec![
        (
            folder.join(onex_codegen::TOPIC_FILE),
            scaffold::topic_yaml(&spec, with_schemas),
        ),
        (
            folder.join("payload.schema.json"),
            scaffold::payload_schema(&spec),
        ),
        (
            folder.join("samples").join("basic.json"),
            scaffold::sample(&spec),
        ),
    ];
    let summary = format!(
        "added topic {}/{}/{}/v{}: describe it in topic.yaml and its payload in payload.schema.json; a node publishes it with `onex new node NAME --publishes WIRE-NAME` (`onex graph` lists wire names)",
        context, class, name, a.version
    );
    Ok((files, summary))
}

fn node(
    root: &std::path::Path,
    catalog: &Catalog,
    a: &NewNode,
    with_schemas: bool,
) -> Result<(Files, String), String> {
    scaffold::check_segment("node", &a.name)?;
    if catalog.node(&a.name).is_some() {
        return Err(format!("node `{}` already exists", a.name));
    }
    let types = &catalog.settings.node_types;
    let node_type = match &a.node_type {
        Some(t) if types.contains(t) => t.clone(),
        Some(t) => {
            return Err(format!(
                "node type `{t}` is not in onex.yaml's `node_types` ({})",
                types.join(", ")
            ));
        }
        None => types
            .first()
            .cloned()
            .ok_or_else(|| "onex.yaml lists no `node_types`".to_owned())?,
    };
    let channel = |name: &String| -> Result<Channel, String> {
        let t = catalog.topic_by_name(name).ok_or_else(|| {
            let names: Vec<String> = catalog.topics.iter().map(|t| t.name.to_string()).collect();
            let near = onex_codegen::did_you_mean(name, names.iter().map(String::as_str));
            format!(
                "no topic `{name}` in the catalog{}",
                near.map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default()
            )
        })?;
        Ok(Channel {
            topic: t.name.to_string(),
            key: t.key.path.join("."),
            event_type: t.id.topic.clone(),
        })
    };
    let publishes = a
        .publishes
        .iter()
        .map(channel)
        .collect::<Result<Vec<_>, _>>()?;
    let subscribes = a
        .subscribes
        .iter()
        .map(channel)
        .collect::<Result<Vec<_>, _>>()?;
    let path = root
        .join(onex_codegen::NODES_DIR)
        .join(&a.name)
        .join(onex_codegen::NODE_FILE);
    let text = scaffold::node_contract(&a.name, &node_type, &publishes, &subscribes, with_schemas);
    let summary = format!(
        "added node {}: {} publish(es), {} subscription(s)",
        a.name,
        publishes.len(),
        subscribes.len()
    );
    Ok((vec![(path, text)], summary))
}
