//! `init [DIR]`: start a catalog — `onex.yaml`, a first topic, the node that
//! publishes it and one that consumes it, and the editor schemas — that
//! `check`, `lint`, `gen` and `graph` accept as it is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::CmdResult;
use crate::discover::shown;
use crate::output::{Mode, Plan};
use crate::scaffold::{self, Channel, EDITOR_SCHEMAS, TopicSpec};

/// `init [DIR] [--context C] [--topic T] [--key F] [--producer N] [--consumer N]`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory of the new catalog (created if missing; default: the current directory)
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The first bounded context
    #[arg(long, default_value = "orders")]
    pub context: String,
    /// The first topic (an event, class `evt`)
    #[arg(long, default_value = "order-placed")]
    pub topic: String,
    /// Its partition key field
    #[arg(long, default_value = "order_id")]
    pub key: String,
    /// The node that publishes it
    #[arg(long, default_value = "order-service")]
    pub producer: String,
    /// The node that consumes it
    #[arg(long, default_value = "order-history")]
    pub consumer: String,
}

/// Write the new catalog; refuse when `DIR` already has an `onex.yaml`.
pub fn run(args: &InitArgs) -> CmdResult {
    for (what, s) in [
        ("context", &args.context),
        ("topic", &args.topic),
        ("producer", &args.producer),
        ("consumer", &args.consumer),
    ] {
        scaffold::check_segment(what, s)?;
    }
    scaffold::check_field(&args.key)?;
    if args.producer == args.consumer {
        return Err("`--producer` and `--consumer` must name two different nodes".to_owned());
    }
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let settings = dir.join(onex_codegen::SETTINGS_FILE);
    if settings.exists() {
        return Err(format!(
            "{} already exists; `init` starts a new catalog (use `onex new topic` / `onex new node` to add to it)",
            shown(&settings)
        ));
    }
    let plan = plan(&dir, args);
    let existing: Vec<String> = plan
        .0
        .iter()
        .filter(|p| p.exists())
        .map(|p| shown(p))
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "would overwrite {}; run `init` in an empty directory",
            existing.join(", ")
        ));
    }
    let synced = plan.1.sync(Mode::Write)?;
    synced.print_changes();
    let at = if dir == Path::new(".") {
        String::new()
    } else {
        format!(" --root {}", shown(&dir))
    };
    eprintln!(
        "\nnext: `onex{at} check`, `onex{at} lint`, `onex{at} gen --out src/generated`, `onex{at} graph --format svg`"
    );
    Ok(ExitCode::SUCCESS)
}

fn plan(dir: &Path, a: &InitArgs) -> (Vec<PathBuf>, Plan) {
    let spec = TopicSpec {
        context: &a.context,
        class: "evt",
        topic: &a.topic,
        event_class: &a.context,
        key: &a.key,
        retention: "7d",
        partitions: 3,
        team: &a.context,
    };
    let folder = dir
        .join(&a.context)
        .join(spec.class)
        .join(&a.topic)
        .join("v1");
    let chan = Channel {
        topic: format!("{}.evt.{}.v1", a.context, a.topic),
        key: a.key.clone(),
        event_type: a.topic.clone(),
    };
    let nodes = dir.join(onex_codegen::NODES_DIR);
    let mut files: Vec<(PathBuf, String)> = vec![
        (
            dir.join(onex_codegen::SETTINGS_FILE),
            scaffold::settings(&a.context, &a.key),
        ),
        (
            folder.join(onex_codegen::TOPIC_FILE),
            scaffold::topic_yaml(&spec, true),
        ),
        (
            folder.join("payload.schema.json"),
            scaffold::payload_schema(&spec),
        ),
        (
            folder.join("samples").join("basic.json"),
            scaffold::sample(&spec),
        ),
        (
            nodes.join(&a.producer).join(onex_codegen::NODE_FILE),
            scaffold::node_contract(
                &a.producer,
                "EFFECT",
                std::slice::from_ref(&chan),
                &[],
                true,
            ),
        ),
        (
            nodes.join(&a.consumer).join(onex_codegen::NODE_FILE),
            scaffold::node_contract(&a.consumer, "REDUCER", &[], &[chan], true),
        ),
    ];
    let schemas = dir.join(EDITOR_SCHEMAS);
    for (name, text) in onex_codegen::load::contract::json_schemas() {
        files.push((schemas.join(name), text));
    }
    let mut plan = Plan::new();
    let mut paths = Vec::new();
    for (p, t) in files {
        paths.push(p.clone());
        plan.file(p, t);
    }
    (paths, plan)
}
