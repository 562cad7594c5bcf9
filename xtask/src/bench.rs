//! `cargo xtask bench [--quick] [--sizes 100,1000,10000]`: the scale
//! benchmarks of issue 14, side by side in one table. For each size a
//! synthetic catalog is written (`onex synth`, fixed seed) under
//! `target/onex-bench/`, and each stage runs in a child process of its own
//! so that its peak memory (`VmHWM`) is its own. Figures are printed, never
//! asserted: BENCHMARKS.md records them with the machine they came from.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::{Value, json};

/// `bench [--quick] [--sizes N,N,...] [--seed S]`
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// 100 topics only, every stage: CI's smoke run (keeps the suite working)
    #[arg(long)]
    pub quick: bool,
    /// Catalog sizes in topics (default 100,1000,10000; with --quick 100)
    #[arg(long, value_delimiter = ',')]
    pub sizes: Vec<usize>,
    /// Seed of the synthetic catalogs
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also time a debug `cargo build` of a crate holding the generated
    /// code (minutes and GBs at 1,000 topics; needs `/usr/bin/time`)
    #[arg(long)]
    pub compile: bool,
}

/// `bench-stage --stage S --dir DIR` (internal).
#[derive(Debug, Args)]
pub struct StageArgs {
    /// parse | load | gen-raw | gen | typify | prost | svg | incr | compile
    #[arg(long)]
    pub stage: String,
    /// The catalog
    #[arg(long)]
    pub dir: PathBuf,
}

const STAGES: &[&str] = &[
    "parse", "load", "gen-raw", "gen", "typify", "prost", "svg", "incr",
];

/// Run every stage at every size and print the table.
pub fn run(args: &BenchArgs, repo: &Path) -> ExitCode {
    let sizes = if !args.sizes.is_empty() {
        args.sizes.clone()
    } else if args.quick {
        vec![100]
    } else {
        vec![100, 1000, 10_000]
    };
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("bench: cannot find this executable: {e}");
            return ExitCode::from(2);
        }
    };
    let base = repo.join("target/onex-bench");
    let mut rows = Vec::new();
    for &n in &sizes {
        let dir = base.join(format!("synth-{n}-seed{}", args.seed));
        let nodes = n.div_ceil(8).max(1);
        let started = Instant::now();
        let files = onex_cli::synth::synth(onex_cli::synth::SynthOptions {
            topics: n,
            nodes,
            seed: args.seed,
        });
        let mut plan = onex_cli::output::Plan::new();
        for (rel, text) in files {
            plan.file(dir.join(rel), text);
        }
        if let Err(e) = plan.sync(onex_cli::output::Mode::Write) {
            eprintln!("bench: cannot write the catalog: {e}");
            return ExitCode::from(2);
        }
        eprintln!(
            "{n} topics, {nodes} nodes: catalog ({} files) in {:.0?}",
            plan.len(),
            started.elapsed()
        );
        let mut results = serde_json::Map::new();
        let compile = args.compile.then_some("compile");
        for stage in STAGES.iter().copied().chain(compile) {
            // The ~1,000-box topology is measured at 1,000 topics only.
            if stage == "svg" && n != 1000 && !args.quick {
                continue;
            }
            let out = Command::new(&exe)
                .args(["bench-stage", "--stage", stage, "--dir"])
                .arg(&dir)
                .output();
            match out {
                Ok(o) if o.status.success() => {
                    let text = String::from_utf8_lossy(&o.stdout);
                    match serde_json::from_str::<Value>(text.trim()) {
                        Ok(v) => {
                            eprintln!("  {stage}: {v}");
                            results.insert(stage.to_owned(), v);
                        }
                        Err(e) => eprintln!("  {stage}: unreadable result ({e}): {text}"),
                    }
                }
                Ok(o) => eprintln!(
                    "  {stage}: failed ({}): {}",
                    o.status,
                    String::from_utf8_lossy(&o.stderr)
                ),
                Err(e) => eprintln!("  {stage}: cannot run: {e}"),
            }
        }
        rows.push((n, results));
    }
    print_table(&rows);
    ExitCode::SUCCESS
}

fn ms(v: &Value, stage: &str) -> Option<f64> {
    v.get(stage)?.get("ms")?.as_f64()
}

fn mb(v: &Value, stage: &str) -> Option<f64> {
    v.get(stage)?.get("hwm_kb")?.as_f64().map(|k| k / 1024.0)
}

fn cell(x: Option<f64>, unit: &str) -> String {
    match x {
        Some(x) if unit == "ms" && x >= 1000.0 => format!("{:.2} s", x / 1000.0),
        Some(x) => format!("{x:.0} {unit}"),
        None => "–".to_owned(),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "–".to_owned(),
    }
}

fn print_table(rows: &[(usize, serde_json::Map<String, Value>)]) {
    println!(
        "| topics | parse floor | load+resolve | load/floor | full generation, build.rs (unformatted) | formatted | typify alone | gen/typify | protox+prost-build alone | peak memory (load / gen / formatted) | onex.rs | lines/topic |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (n, r) in rows {
        let v = Value::Object(r.clone());
        let gen_ms = ms(&v, "gen-raw");
        let lines = v.pointer("/gen/lines").and_then(Value::as_f64);
        let bytes = v.pointer("/gen/bytes").and_then(Value::as_f64);
        println!(
            "| {n} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} | {} lines, {:.1} MB | {} |",
            cell(ms(&v, "parse"), "ms"),
            cell(ms(&v, "load"), "ms"),
            ratio(ms(&v, "load"), ms(&v, "parse")),
            cell(gen_ms, "ms"),
            cell(ms(&v, "gen"), "ms"),
            cell(ms(&v, "typify"), "ms"),
            ratio(gen_ms, ms(&v, "typify")),
            cell(ms(&v, "prost"), "ms"),
            cell(mb(&v, "load"), "MB"),
            cell(mb(&v, "gen-raw"), "MB"),
            cell(mb(&v, "gen"), "MB"),
            lines.map_or("–".to_owned(), |l| format!("{l:.0}")),
            bytes.unwrap_or(0.0) / 1e6,
            lines.map_or("–".to_owned(), |l| format!("{:.0}", l / *n as f64)),
        );
    }
    println!();
    println!("Generation by stage (ms, summed over topics):");
    for (n, r) in rows {
        if let Some(Value::Object(stages)) = r.get("gen").and_then(|g| g.get("stages")) {
            let parts: Vec<String> = stages
                .iter()
                .map(|(k, v)| format!("{k} {:.0}", v.as_f64().unwrap_or(0.0)))
                .collect();
            println!(
                "- {n} topics: load {:.0}, {}",
                r.get("gen")
                    .and_then(|g| g.get("load_ms"))
                    .and_then(Value::as_f64)
                    .unwrap_or(0.0),
                parts.join(", ")
            );
        }
        if let Some(incr) = r.get("incr") {
            let stages: Vec<String> = incr
                .get("stages")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{k} {:.0}", v.as_f64().unwrap_or(0.0)))
                .collect();
            println!(
                "- {n} topics: one JSON Schema edited, regenerated with the cache in {} (load {}, then {}; filling the cache cold took {})",
                cell(incr.get("ms").and_then(Value::as_f64), "ms"),
                cell(incr.get("load_ms").and_then(Value::as_f64), "ms"),
                stages.join(", "),
                cell(incr.get("cold_fill_ms").and_then(Value::as_f64), "ms"),
            );
        }
        if let Some(c) = r.get("compile") {
            println!(
                "- {n} topics: debug build of the generated crate {} wall ({:.0} s user+sys), peak {}",
                cell(c.get("ms").and_then(Value::as_f64), "ms"),
                c.get("cpu_s").and_then(Value::as_f64).unwrap_or(0.0),
                cell(
                    c.get("hwm_kb").and_then(Value::as_f64).map(|k| k / 1024.0),
                    "MB"
                ),
            );
        }
        if let Some(svg) = r.get("svg") {
            println!(
                "- {n} topics: topology SVG of {} boxes in {}, {:.2} MB, {}",
                svg.get("boxes").and_then(Value::as_u64).unwrap_or(0),
                cell(svg.get("ms").and_then(Value::as_f64), "ms"),
                svg.get("bytes").and_then(Value::as_f64).unwrap_or(0.0) / 1e6,
                svg.get("size").and_then(Value::as_str).unwrap_or("")
            );
        }
    }
}

/// Peak resident memory of this process, from `/proc/self/status` (Linux).
fn hwm_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                files_under(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

fn ext(p: &Path) -> &str {
    p.extension().and_then(|e| e.to_str()).unwrap_or("")
}

/// Run one stage and print its result as one JSON line.
pub fn stage(args: &StageArgs) -> ExitCode {
    let mut files = Vec::new();
    files_under(&args.dir, &mut files);
    let started = Instant::now();
    let extra = match args.stage.as_str() {
        "parse" => parse_floor(&files),
        "load" => {
            let l = onex_codegen::load(&args.dir);
            json!({ "topics": l.catalog.as_ref().map_or(0, |c| c.topics.len()), "errors": l.diagnostics.has_errors() })
        }
        "gen" | "gen-raw" => {
            let l = onex_codegen::load(&args.dir);
            let load_ms = started.elapsed();
            let Some(c) = l.catalog else {
                eprintln!("{}", l.diagnostics.render_human(false));
                return ExitCode::FAILURE;
            };
            let mut options = onex_codegen::Options::default();
            // `gen-raw`: what build.rs writes; `gen`: the formatted copy.
            options.format = args.stage == "gen";
            match onex_codegen::emit::generate_profiled(&c, &options) {
                Ok((g, prof)) => {
                    let stages: serde_json::Map<String, Value> = prof
                        .stages
                        .iter()
                        .map(|(s, d)| ((*s).to_owned(), json!(millis(*d))))
                        .collect();
                    json!({
                        "load_ms": millis(load_ms),
                        "stages": stages,
                        "lines": g.rust.lines().count(),
                        "bytes": g.rust.len(),
                    })
                }
                Err(d) => {
                    eprintln!("{}", d.render_human(false));
                    return ExitCode::FAILURE;
                }
            }
        }
        "incr" => match incremental(&args.dir, &files) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        },
        "typify" => typify_alone(&files),
        "prost" => prost_alone(&files),
        "svg" => {
            let l = onex_codegen::load(&args.dir);
            let Some(c) = l.catalog else {
                return ExitCode::FAILURE;
            };
            let started = Instant::now();
            let svg = onex_codegen::export::topology::Graph::new(&c, false).to_svg();
            let size = svg
                .split_once("viewBox=\"")
                .and_then(|(_, r)| r.split_once('"'))
                .map(|(v, _)| v.to_owned())
                .unwrap_or_default();
            let out = json!({
                "ms": millis(started.elapsed()),
                "hwm_kb": hwm_kb(),
                "bytes": svg.len(),
                "boxes": c.topics.len() + c.nodes.len(),
                "size": format!("viewBox {size}"),
            });
            println!("{out}");
            return ExitCode::SUCCESS;
        }
        "compile" => match compile_crate(&args.dir) {
            Ok(v) => {
                println!("{v}");
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                eprintln!("compile: {e}");
                return ExitCode::FAILURE;
            }
        },
        other => {
            eprintln!("unknown stage `{other}`");
            return ExitCode::from(2);
        }
    };
    let mut out = json!({ "ms": millis(started.elapsed()), "hwm_kb": hwm_kb() });
    if let (Value::Object(o), Value::Object(e)) = (&mut out, extra) {
        o.extend(e);
    }
    println!("{out}");
    ExitCode::SUCCESS
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Read every file and parse it with the parser its kind needs (YAML with
/// positions, JSON, `.proto` syntax, `.avsc` as JSON): the least any loader
/// must do.
fn parse_floor(files: &[PathBuf]) -> Value {
    let mut ok = 0usize;
    for (i, f) in files.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let parsed = match ext(f) {
            "yaml" => marked_yaml::parse_yaml(i, &text).is_ok(),
            "json" | "avsc" => serde_json::from_str::<Value>(&text).is_ok(),
            "proto" => protox_parse::parse(&f.to_string_lossy(), &text).is_ok(),
            _ => false,
        };
        ok += usize::from(parsed);
    }
    json!({ "files": files.len(), "parsed": ok })
}

/// typify on every JSON Schema payload, one type space per schema (as onex does).
fn typify_alone(files: &[PathBuf]) -> Value {
    let mut lines = 0usize;
    let mut schemas = 0usize;
    for f in files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with(".schema.json"))
    {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let Ok(schema) = serde_json::from_str::<schemars08::schema::Schema>(&text) else {
            continue;
        };
        let mut settings = typify::TypeSpaceSettings::default();
        settings.with_derive("PartialEq".to_owned());
        let mut space = typify::TypeSpace::new(&settings);
        if space
            .add_type_with_name(&schema, Some("Payload".to_owned()))
            .is_ok()
        {
            lines += space.to_stream().to_string().len();
            schemas += 1;
        }
    }
    json!({ "schemas": schemas, "chars": lines })
}

/// protox (compile) and prost-build (generate) on every `.proto` payload.
fn prost_alone(files: &[PathBuf]) -> Value {
    let mut n = 0usize;
    let mut compile = Duration::ZERO;
    for f in files.iter().filter(|f| ext(f) == "proto") {
        let (Some(dir), Some(name)) = (f.parent(), f.file_name()) else {
            continue;
        };
        let started = Instant::now();
        let Ok(set) = protox::compile([name], [dir]) else {
            continue;
        };
        compile += started.elapsed();
        let Some(fd) = set.file.into_iter().last() else {
            continue;
        };
        let module = prost_build::Module::from_protobuf_package_name(fd.package());
        if prost_build::Config::new()
            .generate(vec![(module, fd)])
            .is_ok()
        {
            n += 1;
        }
    }
    json!({ "files": n, "protox_ms": millis(compile) })
}

/// One-contract incremental regeneration: build.rs's generation with a
/// cold emission cache, then one JSON Schema edited (a property added) and
/// generated again with the warm cache; the file is restored afterwards.
/// `ms` is the warm run (load + emission), checked equal to a cold run of
/// the edited catalog.
fn incremental(dir: &Path, files: &[PathBuf]) -> Result<Value, String> {
    let cache = dir.with_extension("cache");
    let _ = std::fs::remove_dir_all(&cache);
    let mut options = onex_codegen::Options::default();
    options.format = false;
    options.cache_dir = Some(cache.clone());
    let run = |options: &onex_codegen::Options| {
        let started = Instant::now();
        let l = onex_codegen::load(dir);
        let load_ms = millis(started.elapsed());
        let c = l.catalog.ok_or_else(|| l.diagnostics.render_human(false))?;
        let (g, prof) = onex_codegen::emit::generate_profiled(&c, options)
            .map_err(|d| d.render_human(false))?;
        let stages: serde_json::Map<String, Value> = prof
            .stages
            .iter()
            .map(|(s, d)| ((*s).to_owned(), json!(millis(*d))))
            .collect();
        Ok::<_, String>((g, millis(started.elapsed()), load_ms, stages))
    };
    let (_, cold_ms, _, _) = run(&options)?;
    let schemas: Vec<&PathBuf> = files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with(".schema.json"))
        .collect();
    let target = schemas
        .get(schemas.len() / 2)
        .ok_or("no JSON Schema in the catalog")?;
    let original = std::fs::read_to_string(target).map_err(|e| e.to_string())?;
    let edited = original.replacen(
        "\"properties\": {",
        "\"properties\": {\"bench_probe\": {\"type\": \"string\"},",
        1,
    );
    std::fs::write(target, &edited).map_err(|e| e.to_string())?;
    let warm = run(&options);
    let mut no_cache = options.clone();
    no_cache.cache_dir = None;
    let cold = run(&no_cache);
    std::fs::write(target, &original).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&cache);
    let (warm, warm_ms, load_ms, stages) = warm?;
    let (cold, ..) = cold?;
    if warm != cold || !warm.rust.contains("bench_probe") {
        return Err("incremental: the cached output differs from a cold run".to_owned());
    }
    Ok(json!({
        "ms": warm_ms,
        "load_ms": load_ms,
        "cold_fill_ms": cold_ms,
        "stages": stages,
        "hwm_kb": hwm_kb(),
    }))
}

/// The `compile` stage: a crate next to the catalog that depends on the
/// runtime alone (with the `protobuf` and `avro` features the synthetic
/// catalog's payloads need: without them the build fails, after type
/// checking everything else) and includes the generated code (unformatted, as build.rs
/// writes it); its dependencies are built first, then its own debug build
/// is timed by `/usr/bin/time` with no compiler cache and no incremental
/// state, as a user's first build of the crate would be.
fn compile_crate(catalog: &Path) -> Result<Value, String> {
    let l = onex_codegen::load(catalog);
    let c = l.catalog.ok_or("the catalog does not load")?;
    let mut options = onex_codegen::Options::default();
    options.format = false;
    let g = onex_codegen::emit::generate(&c, &options).map_err(|d| d.render_human(false))?;
    let name = catalog
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = catalog.with_file_name(format!("{name}-crate"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let io = |e: std::io::Error| e.to_string();
    std::fs::create_dir_all(dir.join("src")).map_err(io)?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"onex-compile-bench\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nonex = {{ path = {:?}, default-features = false, features = [\"protobuf\", \"avro\"] }}\n\n[workspace]\n",
            repo.join("runtime").display().to_string()
        ),
    )
    .map_err(io)?;
    std::fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(io)?;
    let lib = dir.join("src/lib.rs");
    std::fs::write(&lib, "//! Dependencies only.\n").map_err(io)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let deps = Command::new(&cargo)
        .args(["build", "--quiet"])
        .current_dir(&dir)
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .map_err(io)?;
    if !deps.success() {
        return Err("building the runtime failed".to_owned());
    }
    std::fs::write(dir.join("src/onex.rs"), &g.rust).map_err(io)?;
    std::fs::write(&lib, "//! The generated code.\ninclude!(\"onex.rs\");\n").map_err(io)?;
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .args([&cargo, "build", "--quiet"])
        .current_dir(&dir)
        .env_remove("CARGO_TARGET_DIR")
        .env("RUSTC_WRAPPER", "")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("/usr/bin/time: {e}"))?;
    let report = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("the generated crate does not build:\n{report}"));
    }
    let field = |label: &str| {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|v| v.trim().to_owned())
    };
    let secs = |label: &str| field(label).and_then(|v| v.parse::<f64>().ok());
    // `h:mm:ss` or `m:ss.ss`.
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):").map(|v| {
        v.split(':')
            .filter_map(|p| p.parse::<f64>().ok())
            .fold(0.0, |acc, p| acc * 60.0 + p)
    });
    Ok(json!({
        "ms": wall.map(|w| w * 1000.0),
        "cpu_s": secs("User time (seconds):").unwrap_or(0.0) + secs("System time (seconds):").unwrap_or(0.0),
        "hwm_kb": field("Maximum resident set size (kbytes):").and_then(|v| v.parse::<f64>().ok()),
        "lines": g.rust.lines().count(),
    }))
}
