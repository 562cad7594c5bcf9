//! Scale and write safety (issue 14, points 1 and 6): the synthetic catalog
//! is deterministic and clean; generation gives the same bytes whatever the
//! order of the tree; files are written atomically, only when changed, and
//! only inside the output directory. No timings are asserted here: they
//! live in BENCHMARKS.md (`cargo xtask bench`).
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use onex_cli::synth::{SynthOptions, synth};
use onex_codegen::governance::lint::lint;
use onex_codegen::model::payload::SchemaFormat;
use onex_codegen::{Builder, load, load_in_memory, write_if_changed};
use onex_tests::copy_in_order;

fn opts(topics: usize, seed: u64) -> SynthOptions {
    SynthOptions {
        topics,
        nodes: topics.div_ceil(8),
        seed,
    }
}

fn write_tree(files: &BTreeMap<String, String>, dir: &Path) {
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Every file under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let a = synth(opts(120, 7));
    let b = synth(opts(120, 7));
    assert_eq!(a, b);
    let c = synth(opts(120, 8));
    assert_ne!(a, c, "another seed gives another catalog");
}

#[test]
fn the_synthetic_catalog_is_clean_and_covers_the_format() {
    let files = synth(opts(240, 3));
    let loaded = load_in_memory(&files);
    let Some(catalog) = loaded.catalog else {
        panic!("{}", loaded.diagnostics.render_human(false));
    };
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        loaded.diagnostics.render_human(false)
    );
    let report = lint(&catalog);
    let findings: Vec<String> = report
        .findings
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(catalog.topics.len(), 240);
    let classes: std::collections::BTreeSet<&str> =
        catalog.topics.iter().map(|t| t.id.class.as_str()).collect();
    assert_eq!(classes.len(), 10, "every class: {classes:?}");
    for format in [
        SchemaFormat::JsonSchema,
        SchemaFormat::Protobuf,
        SchemaFormat::Avro,
    ] {
        assert!(
            catalog
                .topics
                .iter()
                .any(|t| t.schema.payload.format == format),
            "{format:?}"
        );
    }
    for n in &catalog.nodes {
        let channels = n.publishes.len() + n.subscribes.len();
        assert!((2..=20).contains(&channels), "{}: {channels}", n.name);
    }
    assert!(catalog.topics.iter().all(|t| t.samples.len() == 1));
}

#[test]
fn generation_does_not_depend_on_the_order_of_the_tree() {
    let files = synth(opts(60, 11));
    let src = tempfile::tempdir().unwrap();
    write_tree(&files, src.path());
    let reference = Builder::new(src.path()).generate().unwrap();
    for reverse in [false, true] {
        let copy = tempfile::tempdir().unwrap();
        copy_in_order(src.path(), copy.path(), reverse);
        let again = Builder::new(copy.path()).generate().unwrap();
        assert!(reference == again, "differs for reverse = {reverse}");
    }
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let files = synth(opts(50, 13));
    let loaded = load_in_memory(&files);
    let catalog = loaded.catalog.unwrap();
    let run = |threads: usize, format: bool| {
        let mut o = onex_codegen::Options::default();
        o.threads = threads;
        o.format = format;
        onex_codegen::generate(&catalog, &o).unwrap()
    };
    let formatted = run(1, true);
    for threads in [2, 3, 7] {
        assert!(
            formatted == run(threads, true),
            "formatted, {threads} threads"
        );
    }
    let raw = run(1, false);
    for threads in [2, 5] {
        assert!(raw == run(threads, false), "unformatted, {threads} threads");
    }
    // Unformatted is tokens on short lines: rustc finds a span's column by
    // scanning its line, so one line of megabytes made the crate compile
    // several times slower (BENCHMARKS.md, compile time).
    let longest = raw.rust.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 20_000, "a line of {longest} bytes");
    assert!(raw.rust.lines().count() > formatted.rust.lines().count() / 4);
    assert!(raw.rust.parse::<proc_macro2::TokenStream>().is_ok());
    assert_eq!(formatted.subjects_json, raw.subjects_json);
}

#[test]
fn files_are_replaced_atomically_and_only_when_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out/onex.rs");
    assert!(write_if_changed(&path, "one").unwrap());
    let first = std::fs::metadata(&path).unwrap();
    // Unchanged content: not written (same inode, same mtime).
    assert!(!write_if_changed(&path, "one").unwrap());
    let again = std::fs::metadata(&path).unwrap();
    assert_eq!(first.modified().unwrap(), again.modified().unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(first.ino(), again.ino());
        // Changed content: a new file renamed over the old one, so a reader
        // holding the old file never sees half of the new one.
        assert!(write_if_changed(&path, "two").unwrap());
        let replaced = std::fs::metadata(&path).unwrap();
        assert_ne!(first.ino(), replaced.ino());
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
    assert_eq!(
        listing(dir.path()),
        ["out/onex.rs"],
        "no temporary file left"
    );
}

#[test]
fn a_build_writes_only_its_two_files_inside_the_output_directory() {
    let files = synth(opts(40, 5));
    let work = tempfile::tempdir().unwrap();
    let catalog = work.path().join("catalog");
    write_tree(&files, &catalog);
    let before = listing(work.path());
    let out = work.path().join("out");
    Builder::new(&catalog)
        .out_dir(&out)
        .cargo_instructions(false)
        .build()
        .unwrap();
    let mut expected = before.clone();
    expected.extend(["out/onex.rs".to_owned(), "out/subjects.json".to_owned()]);
    expected.sort();
    // Besides the two files, only the emission cache, inside the output
    // directory, one entry per topic.
    let (cached, rest): (Vec<String>, Vec<String>) = listing(work.path())
        .into_iter()
        .partition(|p| p.starts_with("out/onex-parts-v2/"));
    assert_eq!(rest, expected);
    assert_eq!(cached.len(), 40, "{cached:?}");
    // The catalog is untouched.
    for (rel, text) in &files {
        assert_eq!(&std::fs::read_to_string(catalog.join(rel)).unwrap(), text);
    }
}

#[test]
fn concurrent_builds_into_one_directory_leave_one_complete_copy() {
    let files = synth(opts(30, 9));
    let work = tempfile::tempdir().unwrap();
    let catalog = work.path().join("catalog");
    write_tree(&files, &catalog);
    let out = work.path().join("out");
    let reference = work.path().join("reference");
    Builder::new(&catalog)
        .out_dir(&reference)
        .cargo_instructions(false)
        .build()
        .unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                Builder::new(&catalog)
                    .out_dir(&out)
                    .cargo_instructions(false)
                    .build()
                    .unwrap();
            });
        }
    });
    // The two files, and whole cache entries (no temporary file left).
    let (cached, rest): (Vec<String>, Vec<String>) = listing(&out)
        .into_iter()
        .partition(|p| p.starts_with("onex-parts-v2/"));
    assert_eq!(rest, ["onex.rs", "subjects.json"]);
    assert_eq!(cached.len(), 30, "{cached:?}");
    for name in ["onex.rs", "subjects.json"] {
        assert!(
            std::fs::read(out.join(name)).unwrap() == std::fs::read(reference.join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn synth_writes_only_inside_its_output_directory() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("catalog");
    let files = synth(opts(25, 1));
    let mut plan = onex_cli::output::Plan::new();
    for (rel, text) in &files {
        plan.file(out.join(rel), text.clone());
    }
    plan.sync(onex_cli::output::Mode::Write).unwrap();
    let listed: Vec<String> = listing(work.path());
    assert!(
        listed.iter().all(|p| p.starts_with("catalog/")),
        "{listed:?}"
    );
    assert_eq!(listed.len(), files.len());
    assert!(load(&out).catalog.is_some());
}

/// The generated `match` resolves exactly as the scan it replaced: the
/// first topic (in catalog order) whose template matches, then aliases.
#[test]
fn resolve_by_match_agrees_with_a_scan() {
    use generated_example::EnumOnexTopic;
    let scan = |name: &str| -> Option<(EnumOnexTopic, Option<&'static str>)> {
        if let Some(t) = EnumOnexTopic::ALL
            .iter()
            .find(|t| onex::name_matches(t.name(), name))
        {
            return Some((*t, None));
        }
        EnumOnexTopic::ALL.iter().find_map(|t| {
            t.aliases()
                .iter()
                .find(|a| **a == name)
                .map(|a| (*t, Some(*a)))
        })
    };
    let mut names: Vec<String> = Vec::new();
    for t in EnumOnexTopic::ALL {
        let n = t.name();
        names.push(n.to_owned());
        names.push(n.replace("{env}", "prod").replace("{tenant}", "omnibase"));
        names.push(n.replace("{env}", "").replace("{tenant}", "x"));
        names.push(format!("{n}.extra"));
        names.push(format!("x.{n}"));
        names.extend(t.aliases().iter().map(|a| (*a).to_owned()));
    }
    names.extend(["", ".", "..", "prod.omnibase", "nope"].map(str::to_owned));
    for name in &names {
        let got = EnumOnexTopic::resolve(name).map(|r| (r.topic, r.via_alias));
        assert_eq!(got, scan(name), "{name:?}");
    }
}

/// The emission cache changes no byte: generate, edit one contract's
/// schema and another's topic file, regenerate with the cache, and compare
/// with a cold generation of the edited catalog.
#[test]
fn regenerating_with_the_cache_equals_regenerating_cold() {
    let files = synth(opts(40, 11));
    let work = tempfile::tempdir().unwrap();
    let catalog = work.path().join("catalog");
    write_tree(&files, &catalog);
    let cache = work.path().join("cache");
    let generate = |cache: Option<&Path>| {
        Builder::new(&catalog)
            .cache_dir(cache.map(Path::to_path_buf))
            .generate()
            .unwrap()
    };
    let first = generate(Some(&cache));
    assert_eq!(first, generate(None), "a cold cache changes nothing");
    let entries = || listing(&cache.join("onex-parts-v2"));
    assert_eq!(entries().len(), 40);
    // Served from the cache: the same bytes again.
    assert_eq!(generate(Some(&cache)), first);

    // Edit one JSON Schema (a new optional property) and one topic file.
    let schema = files
        .keys()
        .find(|k| k.ends_with("payload.schema.json"))
        .unwrap();
    let path = catalog.join(schema);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen(
        "\"properties\": {",
        "\"properties\": {\"cache_probe\": {\"type\": \"string\"},",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();
    let topic = files
        .keys()
        .filter(|k| k.ends_with("topic.yaml"))
        .nth(3)
        .unwrap();
    let path = catalog.join(topic);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen("description: \"", "description: \"Edited. ", 1);
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();

    let warm = generate(Some(&cache));
    let cold = generate(None);
    assert_ne!(warm, first, "the edits change the output");
    assert!(warm.rust.contains("cache_probe") && warm.rust.contains("Edited."));
    assert!(
        warm == cold,
        "the cache changed the output of the edited catalog"
    );
    // Entries of the old versions of the two topics are gone.
    assert_eq!(entries().len(), 40);
}

/// Every kind of edit, applied one after the other to a copy of the seed
/// catalog (retry, dead-letter and reply links, three schema formats,
/// nodes): after each, regenerating with the cache gives the bytes of a
/// cold generation, and the edit shows in them.
#[test]
fn every_kind_of_edit_regenerates_with_the_cache_as_cold() {
    let work = tempfile::tempdir().unwrap();
    let catalog = work.path().join("catalog");
    copy_in_order(&onex_tests::contracts(), &catalog, false);
    let cache = work.path().join("cache");
    let generate = |cache: Option<&Path>| {
        Builder::new(&catalog)
            .cache_dir(cache.map(Path::to_path_buf))
            .generate()
            .unwrap()
    };
    let edit = |rel: &str, from: &str, to: &str| {
        let path = catalog.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replacen(from, to, 1);
        assert_ne!(edited, text, "{rel}: `{from}` not found");
        std::fs::write(&path, edited).unwrap();
    };
    let schema = "billing/evt/domain/v1/payload.schema.json";
    // (what is edited, the edit, text the output then holds)
    type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>, &'a str);
    let edits: Vec<Edit> = vec![
        (
            "a JSON Schema",
            Box::new(|| {
                edit(
                    schema,
                    "\"properties\": {",
                    "\"properties\": {\"probe_a\": {\"type\": \"string\"},",
                )
            }),
            "probe_a",
        ),
        (
            "a schema now `$ref`s a file of its own",
            Box::new(|| {
                std::fs::write(
                    catalog.join("billing/evt/domain/v1/probe.json"),
                    r#"{"type": "object", "properties": {"probe_b": {"type": "string"}}}"#,
                )
                .unwrap();
                edit(
                    schema,
                    "\"probe_a\": {\"type\": \"string\"}",
                    "\"probe_a\": {\"$ref\": \"probe.json\"}",
                );
            }),
            "probe_b",
        ),
        (
            "only the `$ref`ed file",
            Box::new(|| edit("billing/evt/domain/v1/probe.json", "probe_b", "probe_c")),
            "probe_c",
        ),
        (
            "a topic.yaml",
            Box::new(|| {
                edit(
                    "billing/evt/domain/v1/topic.yaml",
                    "description: \"",
                    "description: \"Probe d. ",
                );
                // From now on the topic's partitions come from onex.yaml.
                edit("billing/evt/domain/v1/topic.yaml", "partitions: 3\n", "");
            }),
            "Probe d.",
        ),
        (
            "the dead-letter topic another topic links to",
            Box::new(|| {
                edit(
                    "billing/dlt/domain/v1/topic.yaml",
                    "description: \"",
                    "description: \"Probe e. ",
                )
            }),
            "Probe e.",
        ),
        (
            "a node contract",
            Box::new(|| {
                edit(
                    "nodes/billing-ledger-writer/contract.yaml",
                    "to the ledger",
                    "to the ledger (probe f)",
                )
            }),
            "probe f",
        ),
        (
            "onex.yaml",
            Box::new(|| edit("onex.yaml", "default: 3", "default: 6")),
            "PARTITIONS: u32 = 6",
        ),
    ];
    let mut before = generate(Some(&cache));
    for (what, apply, shows) in &edits {
        apply();
        let warm = generate(Some(&cache));
        assert!(
            warm.rust.contains(shows),
            "{what}: `{shows}` not in the output"
        );
        assert!(
            warm == generate(None),
            "{what}: the cache changed the output"
        );
        assert_ne!(warm, before, "{what}");
        before = warm;
    }
    // A deleted topic (no node or other topic names it).
    std::fs::remove_dir_all(catalog.join("infra/evt/error-detected/v1")).unwrap();
    let warm = generate(Some(&cache));
    assert!(
        warm == generate(None),
        "a deleted topic: the cache changed the output"
    );
    assert_ne!(warm, before, "a deleted topic");
}
