//! The shared harness of the fuzz targets: a small valid catalog (the
//! corpus's `_base`) held in memory, one of whose files is replaced by the
//! fuzzer's bytes, then driven through everything a build or `onex check`
//! / `onex lint` runs: the loader and resolver, both diagnostic renderers,
//! the linter and the emitter. No disk I/O per execution.
//!
//! Any panic, hang or runaway allocation is a finding; diagnostics are the
//! expected outcome for bad input and are only checked to be located.

use onex_codegen::{MemorySource, load_from};

/// Which file of the catalog the fuzzer's bytes become.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// `onex.yaml`.
    Settings,
    /// A `topic.yaml` (JSON Schema payload).
    Topic,
    /// A node's `contract.yaml`.
    Node,
    /// A `payload.schema.json`.
    JsonSchema,
    /// A `payload.proto` (the topic names it).
    Proto,
    /// A `payload.avsc` (the topic names it).
    Avro,
}

macro_rules! base {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../tests/corpus/_base/", $path)) as &[u8])),*]
    };
}

/// One topic and one node of `tests/corpus/_base`: the smallest catalog that
/// still goes through every stage (settings, a topic with a schema and a
/// sample, a node that publishes it). Half the corpus's `_base`, so half the
/// parsing per execution; the corpus seeds were written against these files.
const BASE: &[(&str, &[u8])] = base![
    "onex.yaml",
    "nodes/order-service/contract.yaml",
    "shop/evt/order-placed/v1/payload.schema.json",
    "shop/evt/order-placed/v1/topic.yaml",
    "shop/evt/order-placed/v1/samples/basic.json",
];

const TOPIC: &str = "shop/evt/order-placed/v1";

impl Target {
    /// The target of that name (the fuzz target's file name).
    pub fn from_name(name: &str) -> Option<Target> {
        Some(match name {
            "settings" => Target::Settings,
            "topic" => Target::Topic,
            "node" => Target::Node,
            "json_schema" => Target::JsonSchema,
            "proto" => Target::Proto,
            "avro" => Target::Avro,
            _ => return None,
        })
    }
}

/// Emission options for the fuzzer: one thread (spawning a worker per core
/// for a one-topic catalog costs more than the emission).
pub fn options() -> onex_codegen::Options {
    let mut options = onex_codegen::Options::default();
    options.threads = 1;
    options
}

/// The base `topic.yaml` with its schema in `file`.
fn topic_naming(file: &str) -> String {
    let base = BASE
        .iter()
        .find(|(p, _)| p.ends_with("/topic.yaml"))
        .map_or(&b""[..], |(_, b)| b);
    String::from_utf8_lossy(base)
        .replace("version: 1.0.0", &format!("file: {file}\n  version: 1.0.0"))
}

/// The catalog for one execution.
pub fn catalog(target: Target, data: &[u8]) -> MemorySource {
    let mut m = MemorySource::new();
    for (path, bytes) in BASE {
        m.file(path, *bytes);
    }
    match target {
        Target::Settings => {
            m.file("onex.yaml", data);
        }
        Target::Topic => {
            m.file(&format!("{TOPIC}/topic.yaml"), data);
        }
        Target::Node => {
            m.file("nodes/order-service/contract.yaml", data);
        }
        Target::JsonSchema => {
            m.file(&format!("{TOPIC}/payload.schema.json"), data);
        }
        Target::Proto => {
            m.remove(&format!("{TOPIC}/payload.schema.json"));
            m.file(
                &format!("{TOPIC}/topic.yaml"),
                topic_naming("payload.proto"),
            );
            m.file(&format!("{TOPIC}/payload.proto"), data);
        }
        Target::Avro => {
            m.remove(&format!("{TOPIC}/payload.schema.json"));
            m.file(&format!("{TOPIC}/topic.yaml"), topic_naming("payload.avsc"));
            m.file(&format!("{TOPIC}/payload.avsc"), data);
        }
    }
    m
}

/// One execution: load, render, lint, emit.
pub fn run(target: Target, data: &[u8]) {
    let source = catalog(target, data);
    let loaded = load_from(&source);
    let _ = loaded.diagnostics.render_human(false);
    let _ = loaded.diagnostics.render_json();
    let Some(catalog) = loaded.catalog else {
        // An error is the expected outcome; it must say where.
        assert!(loaded.diagnostics.has_errors(), "no catalog and no error");
        for d in loaded.diagnostics.iter() {
            assert!(d.location.is_some(), "unlocated diagnostic: {d}");
        }
        return;
    };
    let report = onex_codegen::governance::lint::lint(&catalog);
    let _ = report;
    let _ = onex_codegen::generate_tokens(&catalog, &options());
}
