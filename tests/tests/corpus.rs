//! The bad-input corpus: every folder of `tests/corpus/` (but `_base`) is a
//! copy of `_base` with some files replaced (`files/`), removed (`remove`) or
//! made by the test (`setup`), and the diagnostics it must produce (`expect`).
//! Each expected code must appear at its file and line, and loading must not
//! panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use onex_tests::copy_tree;
use std::path::{Path, PathBuf};

use onex_codegen::{Diagnostic, MemorySource, load, load_from};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    #[serde(default)]
    setup: Option<String>,
    #[serde(default)]
    remove: Vec<String>,
    expect: Vec<Expect>,
    /// Lint findings the (loadable) catalog must produce: `code` is the
    /// rule id (for hostile inputs that load but that lint must survive).
    #[serde(default)]
    lint: Vec<Expect>,
    /// A hostile input that is valid: it must load with no diagnostic.
    #[serde(default)]
    valid: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    file: String,
    line: u32,
    #[serde(default)]
    column: Option<u32>,
    /// A substring the help line must contain (e.g. a did-you-mean).
    #[serde(default)]
    help: Option<String>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A case's catalog: in memory when it can be (no temp dir), on disk when
/// its setup needs the file system (symlinks, FIFOs).
enum Built {
    Memory(MemorySource),
    Disk(tempfile::TempDir),
}

impl Built {
    fn load(&self) -> onex_codegen::Loaded {
        match self {
            Built::Memory(m) => load_from(m),
            Built::Disk(tmp) => load(&tmp.path().join("contracts")),
        }
    }
}

/// Setups that need a real file system.
const DISK_SETUPS: &[&str] = &[
    "symlink_loop",
    "symlink_self",
    "symlink_topic_outside",
    "fifo_settings",
    "fifo_topic",
    "fifo_sample",
    "fifo_node",
    "fifo_ref",
    "fifo_glob_node",
    "symlink_glob_escape",
];

/// Build the case's catalog.
fn materialize(case_dir: &Path, case: &Case) -> Built {
    // `outside/` holds files beside the catalog root (`../` of it): disk only.
    let outside = case_dir.join("outside");
    let on_disk = outside.is_dir()
        || case
            .setup
            .as_deref()
            .is_some_and(|s| DISK_SETUPS.contains(&s));
    if !on_disk {
        let mut m = MemorySource::from_dir(&corpus_dir().join("_base")).unwrap();
        let files = case_dir.join("files");
        if files.is_dir() {
            let over = MemorySource::from_dir(&files).unwrap();
            overlay(&mut m, &over, &files, "");
        }
        for r in &case.remove {
            m.remove(r);
        }
        if let Some(setup) = case.setup.as_deref() {
            for (rel, bytes) in generated(setup) {
                match bytes {
                    Some(b) => m.file(&rel, b),
                    None => m.dir(&rel),
                };
            }
        }
        return Built::Memory(m);
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("contracts");
    std::fs::create_dir_all(&root).unwrap();
    copy_tree(&corpus_dir().join("_base"), &root);
    let files = case_dir.join("files");
    if files.is_dir() {
        copy_tree(&files, &root);
    }
    if outside.is_dir() {
        copy_tree(&outside, tmp.path());
    }
    for r in &case.remove {
        std::fs::remove_file(root.join(r)).unwrap();
    }
    let fifo = |rel: &str| {
        let p = root.join(rel);
        let _ = std::fs::remove_file(&p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let ok = std::process::Command::new("mkfifo")
            .arg(&p)
            .status()
            .unwrap()
            .success();
        assert!(ok, "mkfifo {rel}");
    };
    match case.setup.as_deref() {
        Some("symlink_loop") => {
            std::os::unix::fs::symlink("..", root.join("shop/evt/cycle")).unwrap();
        }
        Some("symlink_self") => {
            std::os::unix::fs::symlink("self", root.join("shop/self")).unwrap();
        }
        Some("symlink_topic_outside") => {
            let outside = tmp.path().join("secret.yaml");
            std::fs::write(&outside, "secret: do-not-show\n").unwrap();
            let topic = root.join("shop/evt/order-shipped/v1/topic.yaml");
            std::fs::remove_file(&topic).unwrap();
            std::os::unix::fs::symlink(&outside, &topic).unwrap();
        }
        Some("fifo_settings") => fifo("onex.yaml"),
        Some("fifo_topic") => fifo("shop/evt/order-shipped/v1/topic.yaml"),
        Some("fifo_sample") => fifo("shop/evt/order-shipped/v1/samples/basic.json"),
        Some("fifo_node") => fifo("nodes/shipping/contract.yaml"),
        Some("fifo_ref") => fifo("_shared/id.schema.json"),
        Some("fifo_glob_node") => fifo("services/billing/contract.yaml"),
        Some("symlink_glob_escape") => {
            // A contract file and a service folder inside the root, and a
            // contract file beside it, each linking to files elsewhere.
            let secret = tmp.path().join("secret.yaml");
            std::fs::write(&secret, "secret: do-not-show\n").unwrap();
            let other = tmp.path().join("other/billing");
            std::fs::create_dir_all(&other).unwrap();
            std::fs::write(other.join("contract.yaml"), "secret: do-not-show\n").unwrap();
            for dir in ["contracts/services/billing", "elsewhere/real"] {
                let dir = tmp.path().join(dir);
                std::fs::create_dir_all(&dir).unwrap();
                std::os::unix::fs::symlink(&secret, dir.join("contract.yaml")).unwrap();
            }
            std::os::unix::fs::symlink(&other, root.join("services/linked")).unwrap();
        }
        None => {}
        other => panic!("unknown setup `{other:?}`"),
    }
    Built::Disk(tmp)
}

fn overlay(m: &mut MemorySource, over: &MemorySource, base: &Path, rel: &str) {
    use onex_codegen::FileSource;
    let dir = if rel.is_empty() {
        base.to_path_buf()
    } else {
        base.join(rel)
    };
    for (name, path) in over.read_dir(&dir).unwrap() {
        let name = name.into_string().unwrap();
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        match over.kind(&path).unwrap() {
            onex_codegen::load::Kind::Dir => {
                m.dir(&child);
                overlay(m, over, base, &child);
            }
            _ => {
                m.file(&child, over.read(&path, u64::MAX).unwrap());
            }
        }
    }
}

/// Files a setup generates in memory (`None`: a directory); the big
/// hostile inputs are made here rather than checked in.
fn generated(setup: &str) -> Vec<(String, Option<Vec<u8>>)> {
    let file = |p: &str, t: String| (p.to_owned(), Some(t.into_bytes()));
    match setup {
        "oversized" => {
            // 5 MiB of valid JSON: only the size is wrong.
            let big = format!(
                "{{\"type\": \"object\", \"description\": \"{}\"}}",
                "x".repeat(5 * 1024 * 1024)
            );
            vec![file("shop/evt/order-placed/v1/payload.schema.json", big)]
        }
        "contract_dir" => vec![("nodes/billing/contract.yaml".to_owned(), None)],
        "deep_nodes" => {
            // 800 folders under `nodes/`, a contract at the bottom.
            let path = vec!["d"; 800].join("/");
            vec![file(
                &format!("nodes/{path}/contract.yaml"),
                std::fs::read_to_string(corpus_dir().join("_base/nodes/shipping/contract.yaml"))
                    .unwrap(),
            )]
        }
        "long_line_comma" => {
            // A minified one-line sample with a trailing comma: the error's
            // column is past 65,535 (the human renderer used to panic).
            let text = format!(
                "{{\"order_id\":\"o-1\",\"carrier\":\"{}\",}}",
                "u".repeat(70_000)
            );
            vec![file("shop/evt/order-shipped/v1/samples/basic.json", text)]
        }
        "unknown_fields_4k" => {
            let mut text = base("shop/evt/order-shipped/v1/topic.yaml");
            for i in 0..4000 {
                text.push_str(&format!("x_unknown_{i}: 1\n"));
            }
            vec![file("shop/evt/order-shipped/v1/topic.yaml", text)]
        }
        "duplicate_channels_4k" => {
            let mut text = base("nodes/order-service/contract.yaml");
            for _ in 0..4000 {
                text.push_str(
                    "    - topic: \"{env}.omnibase.shop.evt.order-placed.v1\"\n      key: order_id\n      event_type: order_placed\n",
                );
            }
            vec![file("nodes/order-service/contract.yaml", text)]
        }
        "long_topic_name_128k" | "long_topic_name_1m" => {
            let n = if setup.ends_with("1m") {
                1 << 20
            } else {
                128 << 10
            };
            let text = base("nodes/shipping/contract.yaml").replace(
                "\"{env}.omnibase.shop.evt.order-placed.v1\"",
                &format!("\"{{env}}.omnibase.shop.evt.{}.v1\"", "o".repeat(n)),
            );
            vec![file("nodes/shipping/contract.yaml", text)]
        }
        "deep_sample" | "deep_schema" | "deep_yaml" => {
            // 100,000 levels of nesting: refused at the parser's recursion
            // limit, located, never a stack overflow.
            let n = 100_000;
            match setup {
                "deep_sample" => vec![file(
                    "shop/evt/order-shipped/v1/samples/basic.json",
                    format!("{}{}", "[".repeat(n), "]".repeat(n)),
                )],
                "deep_schema" => vec![file(
                    "shop/evt/order-shipped/v1/payload.schema.json",
                    format!(
                        "{{\"type\": \"object\", \"properties\": {{\"order_id\": {{\"type\": \"string\"}}, \"carrier\": {{\"type\": \"string\"}}, \"x\": {}1{}}}, \"required\": [\"order_id\", \"carrier\"]}}",
                        "{\"a\": ".repeat(n),
                        "}".repeat(n)
                    ),
                )],
                _ => {
                    let mut text = base("shop/evt/order-shipped/v1/topic.yaml");
                    text.push_str(&format!("x: {}{}\n", "[".repeat(n), "]".repeat(n)));
                    vec![file("shop/evt/order-shipped/v1/topic.yaml", text)]
                }
            }
        }
        "ref_work" => {
            // Few references (300) to one large definition (5,000
            // properties): within the expansion count, past the work bound.
            let refs: Vec<String> = (0..300)
                .map(|i| format!("    \"r{i}\": {{ \"$ref\": \"#/$defs/Big\" }},\n"))
                .collect();
            let props: Vec<String> = (0..5_000)
                .map(|i| format!("\"p{i}\": {{ \"type\": \"string\" }}"))
                .collect();
            let text = format!(
                "{{\n  \"type\": \"object\",\n  \"properties\": {{\n    \"order_id\": {{ \"type\": \"string\" }},\n    \"carrier\": {{ \"type\": \"string\" }},\n{}    \"last\": {{ \"type\": \"string\" }}\n  }},\n  \"required\": [\"order_id\", \"carrier\"],\n  \"$defs\": {{ \"Big\": {{ \"type\": \"object\", \"properties\": {{ {} }} }} }}\n}}\n",
                refs.concat(),
                props.join(", ")
            );
            vec![file("shop/evt/order-shipped/v1/payload.schema.json", text)]
        }
        "enum_100k" => {
            // A 100,000-value enum and a sample of 25,000 items, every
            // other one not in it.
            let values: Vec<String> = (0..100_000).map(|i| format!("\"v{i:05}\"")).collect();
            let schema = format!(
                "{{\"type\": \"object\", \"properties\": {{\"order_id\": {{\"type\": \"string\"}}, \"carrier\": {{\"type\": \"string\"}}, \"tags\": {{\"type\": \"array\", \"items\": {{\"type\": \"string\", \"enum\": [{}]}}}}}}, \"required\": [\"order_id\", \"carrier\"]}}",
                values.join(",")
            );
            let items: Vec<String> = (0..25_000)
                .map(|i| {
                    if i % 2 == 0 {
                        "\"nope\"".to_owned()
                    } else {
                        format!("\"v{:05}\"", (i * 7) % 100_000)
                    }
                })
                .collect();
            let sample = format!(
                "{{\"order_id\": \"o-1\", \"carrier\": \"ups\", \"tags\": [{}]}}",
                items.join(",")
            );
            vec![
                file("shop/evt/order-shipped/v1/payload.schema.json", schema),
                file("shop/evt/order-shipped/v1/samples/basic.json", sample),
            ]
        }
        "ref_fanout" => {
            // Each definition refers twice to the next, 24 levels: 2^24
            // expansions if nothing bounds the total.
            let mut defs = Vec::new();
            for i in 0..24 {
                defs.push(format!(
                    "\"d{i}\": {{ \"type\": \"object\", \"properties\": {{ \"a\": {{ \"$ref\": \"#/$defs/d{n}\" }}, \"b\": {{ \"$ref\": \"#/$defs/d{n}\" }} }} }}",
                    n = i + 1
                ));
            }
            defs.push("\"d24\": { \"type\": \"string\" }".to_owned());
            let text = format!(
                "{{\n  \"type\": \"object\",\n  \"properties\": {{\n    \"order_id\": {{ \"type\": \"string\" }},\n    \"carrier\": {{ \"$ref\": \"#/$defs/d0\" }}\n  }},\n  \"required\": [\"order_id\", \"carrier\"],\n  \"$defs\": {{\n    {}\n  }}\n}}\n",
                defs.join(",\n    ")
            );
            vec![file("shop/evt/order-shipped/v1/payload.schema.json", text)]
        }
        other => panic!("unknown setup `{other}`"),
    }
}

/// A file of `_base`.
fn base(rel: &str) -> String {
    std::fs::read_to_string(corpus_dir().join("_base").join(rel)).unwrap()
}

/// Does `d` (whose code or rule id is `code`) meet the expectation?
fn matches(d: &Diagnostic, e: &Expect, code: &str) -> bool {
    let Some(l) = &d.location else { return false };
    code == e.code
        && l.file == e.file
        && l.line == e.line
        && e.column.is_none_or(|c| c == l.column)
        && e.help
            .as_ref()
            .is_none_or(|h| d.help.as_deref().is_some_and(|dh| dh.contains(h.as_str())))
}

fn describe(diags: &[&Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            let at = d
                .location
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default();
            format!(
                "  {} {at} {} (help: {})",
                d.code,
                d.message,
                d.help.as_deref().unwrap_or("-")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn cases() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir() && e.file_name() != "_base")
        .map(|e| (e.file_name().into_string().unwrap(), e.path()))
        .collect();
    v.sort();
    v
}

#[test]
fn the_base_catalog_is_clean() {
    let loaded = load(&corpus_dir().join("_base"));
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        loaded.diagnostics.render_human(false)
    );
    let catalog = loaded.catalog.unwrap();
    assert_eq!(catalog.topics.len(), 2);
    assert_eq!(catalog.nodes.len(), 2);
}

#[test]
fn every_case_reports_its_code_at_its_place() {
    let all = cases();
    assert!(
        all.len() >= 30,
        "the corpus must keep at least 30 cases, has {}",
        all.len()
    );
    let mut failures = Vec::new();
    for (name, dir) in &all {
        let text = std::fs::read_to_string(dir.join("case.yaml")).unwrap();
        let case: Case =
            marked_yaml::from_yaml(0, &text).unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
        let built = materialize(dir, &case);
        let started = std::time::Instant::now();
        let loaded = std::panic::catch_unwind(|| built.load());
        let Ok(loaded) = loaded else {
            failures.push(format!("{name}: the loader panicked"));
            continue;
        };
        let load_time = started.elapsed();
        let diags = loaded.diagnostics.sorted();
        if std::env::var_os("ONEX_CORPUS_PRINT").is_some() {
            println!("== {name}: {}\n{}", case.description, describe(&diags));
        }
        if case.valid && (!diags.is_empty() || loaded.catalog.is_none()) {
            failures.push(format!("{name}: valid, but:\n{}", describe(&diags)));
        }
        if case.expect.is_empty() && case.lint.is_empty() && !case.valid {
            failures.push(format!("{name}: no expectations\n{}", describe(&diags)));
        }
        if !case.lint.is_empty() {
            match &loaded.catalog {
                Some(catalog) => {
                    let report = onex_codegen::governance::lint::lint(catalog);
                    let findings: Vec<&Diagnostic> = report.findings.iter().collect();
                    for e in &case.lint {
                        if !findings
                            .iter()
                            .any(|d| matches(d, e, d.rule.unwrap_or_default()))
                        {
                            failures.push(format!(
                                "{name}: expected lint `{}` at {}:{} — got:\n{}",
                                e.code,
                                e.file,
                                e.line,
                                describe(&findings)
                            ));
                        }
                    }
                }
                None => failures.push(format!(
                    "{name}: lint expectations, but the catalog did not load:\n{}",
                    describe(&diags)
                )),
            }
        }
        for e in &case.expect {
            let hit = diags.iter().any(|d| matches(d, e, d.code.as_str()));
            if !hit {
                failures.push(format!(
                    "{name}: expected {} at {}:{}{} — got:\n{}",
                    e.code,
                    e.file,
                    e.line,
                    e.help
                        .as_ref()
                        .map(|h| format!(" with help containing `{h}`"))
                        .unwrap_or_default(),
                    describe(&diags)
                ));
            }
        }
        // An error case yields no catalog; a warning-only case still does.
        let expects_error = case.expect.iter().any(|e| e.code.starts_with('E'));
        if expects_error == loaded.catalog.is_some() {
            failures.push(format!(
                "{name}: catalog presence does not match the expected severity"
            ));
        }
        // Every diagnostic is located and renders.
        for d in &diags {
            if d.location.is_none() {
                failures.push(format!("{name}: {} has no location", d.code));
            }
        }
        let _ = loaded.diagnostics.render_human(false);
        let _ = loaded.diagnostics.render_json();
        // Timings are printed (`--nocapture`), never asserted.
        println!(
            "{name}: load {load_time:?}, load + render {:?}",
            started.elapsed()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Writes every case's catalog to `$ONEX_CORPUS_OUT/<case>/` (FIFOs and
/// symlinks included), for timing the release CLI on the hostile inputs:
/// `tests/corpus-timings.sh` runs this, then `onex check` and `onex lint`
/// on each case (see FUZZING.md, "Hostile inputs").
#[test]
#[ignore = "writes the corpus to $ONEX_CORPUS_OUT; run by tests/corpus-timings.sh"]
fn write_cases_to_disk() {
    use onex_codegen::FileSource;
    let Some(out) = std::env::var_os("ONEX_CORPUS_OUT") else {
        panic!("set ONEX_CORPUS_OUT to an empty directory");
    };
    let out = PathBuf::from(out);
    fn walk(m: &MemorySource, dir: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for (name, path) in m.read_dir(dir).unwrap() {
            match m.kind(&path).unwrap() {
                onex_codegen::load::Kind::Dir => walk(m, &path, &to.join(&name)),
                _ => std::fs::write(to.join(&name), m.read(&path, u64::MAX).unwrap()).unwrap(),
            }
        }
    }
    for (name, dir) in cases() {
        let text = std::fs::read_to_string(dir.join("case.yaml")).unwrap();
        let case: Case = marked_yaml::from_yaml(0, &text).unwrap();
        let to = out.join(&name);
        let _ = std::fs::remove_dir_all(&to);
        match materialize(&dir, &case) {
            Built::Memory(m) => walk(&m, m.root(), &to),
            Built::Disk(tmp) => {
                // `cp -a` keeps FIFOs and symlinks as they are (the
                // outside target of `symlink_topic_outside` included).
                let ok = std::process::Command::new("cp")
                    .arg("-a")
                    .arg(tmp.path())
                    .arg(&to)
                    .status()
                    .unwrap()
                    .success();
                assert!(ok, "cp -a {name}");
                // The catalog is `contracts/` inside; keep the tree, but
                // mark the root for the script.
                std::fs::write(to.join("ROOT"), "contracts\n").unwrap();
                // Symlinks into the temp dir (an outside target) now
                // point into the copy.
                fn repoint(dir: &Path, from: &Path, to: &Path) {
                    for e in std::fs::read_dir(dir).unwrap() {
                        let p = e.unwrap().path();
                        let meta = std::fs::symlink_metadata(&p).unwrap();
                        if meta.file_type().is_symlink() {
                            let target = std::fs::read_link(&p).unwrap();
                            if let Ok(rest) = target.strip_prefix(from) {
                                std::fs::remove_file(&p).unwrap();
                                std::os::unix::fs::symlink(to.join(rest), &p).unwrap();
                            }
                        } else if meta.is_dir() {
                            repoint(&p, from, to);
                        }
                    }
                }
                repoint(&to, tmp.path(), &to);
            }
        }
    }
}
