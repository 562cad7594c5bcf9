//! Provisioning at scale (figures go to BENCHMARKS.md by hand, never into a
//! test): writes a synthetic catalog of N topics (default 5,000) to a
//! temporary directory, then against the broker: plan + apply (every topic
//! created), a second plan (must be empty), and `--check`, printing the
//! wall-clock time of each and of its cluster read.
//!
//! `cargo run --release -p onex-cli --example provision_bench -- HOST:PORT [N]`
//!
//! Use a broker you can throw away: it creates N topics under
//! `bench.omnibase.` (tansu in memory: `tansu broker --storage-engine memory://tansu/`).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use clap::Parser as _;

type Error = Box<dyn std::error::Error>;

const SETTINGS: &str = r#"version: 1
naming:
  default_convention: namespace
  conventions:
    namespace:
      pattern: "{env}.{tenant}.{context}.{class}.{topic}.{version}"
  envs: [bench]
  tenants: [omnibase]
classes:
  evt:
    retention: { min: 1d, max: 90d }
    compaction: optional
    tiered_storage: optional
partitions:
  default: 3
  allowed: [1, 3, 6, 12]
keying:
  aggregate:
    keys: [entity_id]
node_types: [EFFECT]
"#;

const PAYLOAD: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": { "entity_id": { "type": "string" }, "n": { "type": "integer" } },
  "required": ["entity_id"]
}
"#;

fn synth(root: &Path, n: usize) -> Result<(), Error> {
    std::fs::write(root.join("onex.yaml"), SETTINGS)?;
    for i in 0..n {
        // 50 contexts of n/50 topics: namespaces as a real catalog has them.
        let dir = root.join(format!("ctx{:02}/evt/topic-{i:05}/v1", i % 50));
        std::fs::create_dir_all(&dir)?;
        let mut t = String::new();
        writeln!(t, "description: synthetic topic {i}")?;
        writeln!(t, "event_class: aggregate")?;
        writeln!(t, "owner: {{ team: bench }}")?;
        writeln!(t, "retention: {}d", 1 + i % 30)?;
        writeln!(
            t,
            "partitions: {}",
            3usize.pow(u32::try_from(i % 3)?).min(6)
        )?;
        writeln!(t, "key: {{ field: entity_id }}")?;
        writeln!(t, "schema: {{ version: 1.0.0 }}")?;
        std::fs::write(dir.join("topic.yaml"), t)?;
        std::fs::write(dir.join("payload.schema.json"), PAYLOAD)?;
    }
    Ok(())
}

fn step(root: &Path, bootstrap: &str, extra: &[&str]) -> Result<(), Error> {
    let mut argv = vec![
        "onex".to_owned(),
        "--root".to_owned(),
        root.display().to_string(),
        "provision".to_owned(),
        "--bootstrap".to_owned(),
        bootstrap.to_owned(),
        "--env".to_owned(),
        "bench".to_owned(),
        "--tenant".to_owned(),
        "omnibase".to_owned(),
    ];
    argv.extend(extra.iter().map(|s| (*s).to_owned()));
    let cli = onex_cli::Cli::try_parse_from(&argv)?;
    let onex_cli::Command::Provision(args) = cli.command else {
        return Err("not a provision command".into());
    };
    let t = Instant::now();
    let loaded = onex_codegen::load(root);
    let catalog = loaded.catalog.ok_or_else(|| {
        format!(
            "synthetic catalog does not load:\n{}",
            loaded.diagnostics.render_human(false)
        )
    })?;
    let load = t.elapsed();
    let t = Instant::now();
    let done = onex_cli::provision::execute(&catalog, bootstrap, &args)?;
    let total = t.elapsed();
    let failures = done.failures().count();
    println!(
        "provision {:<16} catalog load {:>6.2} s | cluster topics {:>5} | read {:>6} ms | diff {:>4} ms | apply {:>6} ms | total {:>6.2} s | plan: {} create, {} change, {} delete | failures {}",
        extra.join(" "),
        load.as_secs_f64(),
        done.cluster_topics,
        done.timings_ms.get("read").copied().unwrap_or_default(),
        done.timings_ms.get("diff").copied().unwrap_or_default(),
        done.timings_ms.get("apply").copied().unwrap_or_default(),
        total.as_secs_f64(),
        done.summary.create,
        done.summary.change,
        done.summary.delete,
        failures,
    );
    if let Some(f) = done.failures().next() {
        println!("first failure: {} {}: {:?}", f.what, f.topic, f.error);
    }
    Ok(())
}

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let bootstrap = args.next().ok_or("usage: provision_bench HOST:PORT [N]")?;
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(5000);
    let dir = tempfile::tempdir()?;
    synth(dir.path(), n)?;
    println!("synthetic catalog: {n} topics in {}", dir.path().display());
    step(dir.path(), &bootstrap, &["--apply"])?;
    step(dir.path(), &bootstrap, &[])?;
    step(dir.path(), &bootstrap, &["--check"])?;
    Ok(())
}
