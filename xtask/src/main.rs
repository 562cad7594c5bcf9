//! `cargo xtask <command>`: repository automation for onex.
//!
//! Commands:
//!   gen     [--check]                             write (or verify) the checked-in generated code
//!   graph   [--root DIR] [--format F] [--out FILE] export the topology (dot, mermaid, json, svg)
//!   docs    [--check]                             write (or verify) docs/catalog/
//!   lint    [--format human|json|sarif] [--list] [--explain ID]   governance rules
//!   breaking --against REF|DIR                    breaking changes since a git ref or directory
//!   acl     [--env ENV] [--tenant T] [--format rpk|kafka-acls|json]   least-privilege ACLs
//!   check   [--root DIR] [--format human|json]   load the catalog and print its diagnostics
//!   schemas [--check]                             write (or verify) schemas/*.schema.json
//!   codes                                         list diagnostic codes
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = args.get(1..).unwrap_or_default();
    let result = match cmd.as_str() {
        "check" => check(rest),
        "schemas" => schemas(rest),
        "gen" => gen_cmd(rest),
        "graph" => graph(rest),
        "lint" => lint(rest),
        "breaking" => breaking(rest),
        "acl" => acl(rest),
        "docs" => docs(rest),
        "codes" => {
            for c in onex_codegen::Code::ALL {
                println!("| {} | {} |", c.as_str(), c.summary());
            }
            Ok(ExitCode::SUCCESS)
        }
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

const USAGE: &str = "usage: cargo xtask <command>

commands:
  gen     [--check]                             generate into generated-example/src/generated/
                                                (--check: fail, naming stale files, when it differs)
  graph   [--root DIR] [--format dot|mermaid|json|svg] [--out FILE]
                                                the publish/subscribe topology (default: mermaid, stdout)
  docs    [--check]                             write docs/catalog/ (--check: fail when it is stale)
  lint    [--root DIR] [--format human|json|sarif] | --list | --explain ID
                                                governance rules; fails on `deny` findings
  breaking --against REF|DIR [--format human|json]
                                                breaking changes since a git ref (or an older catalog directory)
  acl     [--env ENV] [--tenant T] [--format rpk|kafka-acls|json]
                                                least-privilege ACLs from the node contracts
  check   [--root DIR] [--format human|json]   load the catalog, print diagnostics; fails on errors
  schemas [--check]                             write schemas/*.schema.json (or fail when stale)
  codes                                         list diagnostic codes (markdown table rows)";

/// The repository root (xtask lives one level below it).
fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or(manifest.clone(), Path::to_path_buf)
}

fn flag_value(args: &[String], flag: &str) -> Result<Option<String>, String> {
    match args.iter().position(|a| a == flag) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .cloned()
            .map(Some)
            .ok_or_else(|| format!("`{flag}` needs a value")),
    }
}

fn check(args: &[String]) -> Result<ExitCode, String> {
    let root = flag_value(args, "--root")?
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("contracts"));
    let format = flag_value(args, "--format")?.unwrap_or_else(|| "human".to_owned());
    let loaded = onex_codegen::load(&root);
    match format.as_str() {
        "json" => println!("{}", loaded.diagnostics.render_json()),
        "human" => {
            let color = std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stderr());
            eprint!("{}", loaded.diagnostics.render_human(color));
            if let Some(c) = &loaded.catalog {
                eprintln!(
                    "catalog `{}`: {} topics, {} nodes, {} edges",
                    root.display(),
                    c.topics.len(),
                    c.nodes.len(),
                    c.edges.len()
                );
            }
        }
        other => return Err(format!("unknown format `{other}` (human or json)")),
    }
    Ok(if loaded.diagnostics.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn schemas(args: &[String]) -> Result<ExitCode, String> {
    let check = args.iter().any(|a| a == "--check");
    let dir = repo_root().join("schemas");
    let mut stale = Vec::new();
    for (name, text) in onex_codegen::load::contract::json_schemas() {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != text {
            if check {
                stale.push(name);
            } else {
                std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                eprintln!("wrote schemas/{name}");
            }
        }
    }
    if stale.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "stale: {}\nrun `cargo xtask schemas` and commit the result",
            stale
                .iter()
                .map(|s| format!("schemas/{s}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        Ok(ExitCode::FAILURE)
    }
}

/// Where `cargo xtask gen` writes the checked-in copy.
const GENERATED_DIR: &str = "generated-example/src/generated";

fn gen_cmd(args: &[String]) -> Result<ExitCode, String> {
    let check = args.iter().any(|a| a == "--check");
    let root = repo_root();
    let started = std::time::Instant::now();
    let generated = match onex_codegen::Builder::new(root.join("contracts"))
        .cargo_instructions(false)
        .generate()
    {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let elapsed = started.elapsed();
    let dir = root.join(GENERATED_DIR);
    let mut stale = Vec::new();
    for (name, text) in generated.files() {
        let path = dir.join(name);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
                stale.push(format!("{GENERATED_DIR}/{name}"));
            }
        } else if onex_codegen::write_if_changed(&path, text).map_err(|e| e.to_string())? {
            eprintln!("wrote {GENERATED_DIR}/{name}");
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "stale generated code: {}\nthe contracts changed; run `cargo xtask gen` and commit the result",
            stale.join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }
    if check {
        eprintln!("{GENERATED_DIR} is up to date");
    } else {
        eprintln!("generated in {:.0?}", elapsed);
    }
    Ok(ExitCode::SUCCESS)
}

fn load_or_report(root: &Path) -> Option<onex_codegen::Catalog> {
    let loaded = onex_codegen::load(root);
    if loaded.catalog.is_none() {
        eprint!("{}", loaded.diagnostics.render_human(false));
    }
    loaded.catalog
}

fn graph(args: &[String]) -> Result<ExitCode, String> {
    let root = flag_value(args, "--root")?
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("contracts"));
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let format = flag_value(args, "--format")?.unwrap_or_else(|| "mermaid".to_owned());
    let text = match format.as_str() {
        "dot" => onex_codegen::export::topology::Graph::new(&catalog, true).to_dot(),
        "mermaid" => onex_codegen::export::topology::Graph::new(&catalog, true).to_mermaid(),
        "svg" => onex_codegen::export::topology::Graph::new(&catalog, true).to_svg(),
        "json" => onex_codegen::export::topology::Graph::new(&catalog, false).to_json(),
        other => {
            return Err(format!(
                "unknown format `{other}` (dot, mermaid, json, svg)"
            ));
        }
    };
    match flag_value(args, "--out")? {
        Some(path) => std::fs::write(&path, text).map_err(|e| format!("{path}: {e}"))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Where `cargo xtask docs` writes.
const DOCS_DIR: &str = "docs/catalog";

fn docs(args: &[String]) -> Result<ExitCode, String> {
    let check = args.iter().any(|a| a == "--check");
    let root = repo_root();
    let Some(catalog) = load_or_report(&root.join("contracts")) else {
        return Ok(ExitCode::FAILURE);
    };
    let report = onex_codegen::governance::lint::lint(&catalog);
    let mut files = onex_codegen::export::docs::render(&catalog, &report.findings, &report.waived)?;
    // The lint rule pages live beside the catalog docs.
    for (name, text) in onex_codegen::governance::lint::pages() {
        files.insert(format!("../lints/{name}"), text);
    }
    let dir = root.join(DOCS_DIR);
    let mut stale = Vec::new();
    for (name, text) in &files {
        let path = dir.join(name);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(name.clone());
            }
        } else {
            onex_codegen::write_if_changed(&path, text).map_err(|e| e.to_string())?;
        }
    }
    // Pages of topics or nodes that no longer exist.
    let mut extra = Vec::new();
    for sub in ["topics", "nodes"] {
        if let Ok(rd) = std::fs::read_dir(dir.join(sub)) {
            for e in rd.flatten() {
                let name = format!("{sub}/{}", e.file_name().to_string_lossy());
                if !files.contains_key(&name) {
                    extra.push((name, e.path()));
                }
            }
        }
    }
    extra.sort();
    if check {
        stale.extend(extra.into_iter().map(|(n, _)| n));
        if !stale.is_empty() {
            eprintln!(
                "stale docs in {DOCS_DIR}: {}\nrun `cargo xtask docs` and commit the result",
                stale.join(", ")
            );
            return Ok(ExitCode::FAILURE);
        }
        eprintln!("{DOCS_DIR} is up to date ({} files)", files.len());
    } else {
        for (_, path) in extra {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        eprintln!("wrote {DOCS_DIR} ({} files)", files.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn lint(args: &[String]) -> Result<ExitCode, String> {
    use onex_codegen::governance::lint::explain;
    use onex_codegen::model::rules::{LINT_RULES, rule};
    if args.iter().any(|a| a == "--list") {
        for r in LINT_RULES {
            println!(
                "{:<28} {:<5} {:<10} {}",
                r.id,
                format!("{:?}", r.default).to_lowercase(),
                format!("{:?}", r.category).to_lowercase(),
                r.summary
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(id) = flag_value(args, "--explain")? {
        return match rule(&id) {
            Some(r) => {
                print!("{}", explain(r));
                Ok(ExitCode::SUCCESS)
            }
            None => {
                let hint = onex_codegen::did_you_mean(&id, LINT_RULES.iter().map(|r| r.id))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                Err(format!(
                    "no rule `{id}`{hint} (`cargo xtask lint --list` lists them)"
                ))
            }
        };
    }
    let root = flag_value(args, "--root")?
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("contracts"));
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let report = onex_codegen::governance::lint::lint(&catalog);
    let format = flag_value(args, "--format")?.unwrap_or_else(|| "human".to_owned());
    match format.as_str() {
        "human" => print_findings(&report.findings, &report.waived, &root),
        "json" => println!("{}", serde_json_string(&report)?),
        "sarif" => {
            let prefix = root
                .strip_prefix(repo_root())
                .map(|p| format!("{}/", p.display()))
                .unwrap_or_default();
            print!(
                "{}",
                onex_codegen::governance::lint::sarif(&report, &prefix)
            );
        }
        other => return Err(format!("unknown format `{other}` (human, json or sarif)")),
    }
    let errors = report.findings.iter().filter(|f| f.is_error()).count();
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn serde_json_string<T: serde::Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string_pretty(v).map_err(|e| e.to_string())
}

fn breaking(args: &[String]) -> Result<ExitCode, String> {
    let against = flag_value(args, "--against")?
        .ok_or("`--against` is required: a git ref (`HEAD~1`, `origin/main`) or a directory")?;
    let repo = repo_root();
    let root = flag_value(args, "--root")?
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("contracts"));
    let Some(new) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let as_dir = PathBuf::from(&against);
    let old_root = if as_dir.is_dir() {
        if as_dir.join("onex.yaml").is_file() {
            as_dir
        } else {
            as_dir.join("contracts")
        }
    } else {
        let rel = root.strip_prefix(&repo).unwrap_or(Path::new("contracts"));
        onex_codegen::governance::breaking::checkout(&repo, rel, &against, tmp.path())
            .map_err(|e| e.to_string())?;
        tmp.path().to_path_buf()
    };
    let old = onex_codegen::load(&old_root);
    let Some(old) = old.catalog else {
        eprint!("{}", old.diagnostics.render_human(false));
        return Err(format!(
            "the catalog at `{against}` does not load, so there is nothing to compare with"
        ));
    };
    let report = onex_codegen::governance::breaking::compare(&old, &new);
    match flag_value(args, "--format")?.as_deref().unwrap_or("human") {
        "json" => println!("{}", serde_json_string(&report)?),
        "human" => {
            print_findings(&report.findings, &report.waived, &root);
            eprintln!(
                "compared {} topic versions against `{against}`",
                report.compared
            );
        }
        other => return Err(format!("unknown format `{other}` (human or json)")),
    }
    Ok(if report.findings.iter().any(|f| f.is_error()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn acl(args: &[String]) -> Result<ExitCode, String> {
    let root = flag_value(args, "--root")?
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("contracts"));
    let Some(catalog) = load_or_report(&root) else {
        return Ok(ExitCode::FAILURE);
    };
    let env = flag_value(args, "--env")?;
    let tenant = flag_value(args, "--tenant")?;
    let acls = onex_codegen::export::acl::acls(&catalog, env.as_deref(), tenant.as_deref())
        .map_err(|e| e.to_string())?;
    match flag_value(args, "--format")?.as_deref().unwrap_or("rpk") {
        "rpk" => print!("{}", onex_codegen::export::acl::to_rpk(&acls)),
        "kafka-acls" => print!("{}", onex_codegen::export::acl::to_kafka_acls(&acls)),
        "json" => println!("{}", serde_json_string(&acls)?),
        other => {
            return Err(format!(
                "unknown format `{other}` (rpk, kafka-acls or json)"
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Findings for people, with excerpts of the catalog files they point into,
/// then the waived ones with their reasons.
fn print_findings(
    findings: &[onex_codegen::Diagnostic],
    waived: &[onex_codegen::diagnostic::Waived],
    root: &Path,
) {
    let mut d = onex_codegen::Diagnostics::default();
    for f in findings {
        if let Some((l, Ok(text))) = f
            .location
            .as_ref()
            .map(|l| (l, std::fs::read_to_string(root.join(&l.file))))
        {
            d.add_source(&l.file, text.into());
        }
        d.push(f.clone());
    }
    let color = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    eprint!("{}", d.render_human(color));
    for w in waived {
        let at = w
            .finding
            .location
            .as_ref()
            .map(|l| l.to_string())
            .unwrap_or_default();
        eprintln!(
            "waived [{}] {at}: {} (reason: {})",
            w.finding.rule.unwrap_or_default(),
            w.finding.message,
            w.reason
        );
    }
}
