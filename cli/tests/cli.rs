//! The `onex` binary, driven as a user drives it: help, flag errors, catalog
//! discovery, `--root` on every command that reads a catalog, and check mode.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TOPIC: &str = "node/ctl/introspection-published/v1/topic.yaml";
const DESCRIPTION: &str = "Node announces current capabilities";
const CHANGED: &str = "Node announces its current capabilities, changed by the cli test";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `onex` with no `ONEX_CATALOG` or colour from the caller's environment.
fn onex(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onex"))
        .args(args)
        .current_dir(cwd)
        .env_remove("ONEX_CATALOG")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A temp dir holding `contracts/` (a copy of this repository's catalog)
/// with one topic description changed.
fn changed_catalog() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let contracts = tmp.path().join("contracts");
    copy_dir(&repo().join("contracts"), &contracts);
    let file = contracts.join(TOPIC);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(DESCRIPTION));
    std::fs::write(&file, text.replace(DESCRIPTION, CHANGED)).unwrap();
    tmp
}

fn read_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_type().unwrap().is_dir() {
                out.extend(read_tree(&e.path()));
            } else {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn help_works_for_every_command() {
    let here = repo();
    let top = onex(&here, &["--help"]);
    assert!(top.status.success(), "{}", stderr(&top));
    for cmd in [
        "check", "lint", "gen", "graph", "docs", "breaking", "acl", "schemas", "codes",
    ] {
        assert!(stdout(&top).contains(cmd), "{cmd} missing from --help");
        let o = onex(&here, &[cmd, "--help"]);
        assert!(o.status.success(), "{cmd} --help: {}", stderr(&o));
        assert!(stdout(&o).contains("Usage: onex"), "{cmd}: {}", stdout(&o));
    }
}

#[test]
fn a_misspelt_flag_is_a_usage_error_and_writes_nothing() {
    // The defect this crate fixes: `xtask gen --chek` silently wrote instead
    // of checking.
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let o = onex(&repo(), &["gen", "--out", dir, "--chek"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--chek"), "{}", stderr(&o));
    assert!(read_tree(out.path()).is_empty());
    // Typed formats: an unknown value is a usage error naming the choices.
    let o = onex(&repo(), &["graph", "--format", "png"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("mermaid"), "{}", stderr(&o));
    // The output directory is required.
    let o = onex(&repo(), &["gen"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
}

#[test]
fn root_is_honoured_by_gen_docs_and_check() {
    let tmp = changed_catalog();
    let root = tmp.path().join("contracts");
    let root_s = root.to_str().unwrap();
    let out = tmp.path().join("out");
    // Run from this repository, whose own catalog would be found upward.
    let here = repo();

    let gen_dir = out.join("gen");
    let o = onex(
        &here,
        &["--root", root_s, "gen", "--out", gen_dir.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rust = std::fs::read_to_string(gen_dir.join("onex.rs")).unwrap();
    assert!(rust.contains(CHANGED));
    assert!(gen_dir.join("subjects.json").is_file());

    // `--root` after the command name works too.
    let docs_dir = out.join("docs");
    let o = onex(
        &here,
        &[
            "docs",
            "--out",
            docs_dir.to_str().unwrap(),
            "--root",
            root_s,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let page =
        std::fs::read_to_string(docs_dir.join("topics/onex_node_introspection_published_v1.md"))
            .unwrap();
    assert!(page.contains(CHANGED), "{page}");
    assert!(
        !docs_dir.join("README.md").exists(),
        "no lint pages unasked"
    );

    let o = onex(&here, &["check", "--root", root_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(root_s), "{}", stderr(&o));
    // Break the copied topic: check names it and exits 1.
    let file = root.join(TOPIC);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("partitions: 3", "partitions: three")).unwrap();
    let o = onex(&here, &["check", "--root", root_s]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("introspection-published"),
        "{}",
        stderr(&o)
    );
    // `$ONEX_CATALOG` is the same option.
    let o = Command::new(env!("CARGO_BIN_EXE_onex"))
        .args(["check", "--format", "json"])
        .current_dir(&here)
        .env("ONEX_CATALOG", root_s)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("introspection-published"));
}

#[test]
fn discovery_finds_the_nearest_catalog_upward() {
    let tmp = changed_catalog();
    // From a directory below the catalog: its own onex.yaml.
    let nested = tmp.path().join("contracts/node/ctl");
    let o = onex(&nested, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("contracts`: "), "{}", stderr(&o));
    // From a sibling directory: `contracts/onex.yaml` in an ancestor.
    let service = tmp.path().join("services/billing/src");
    std::fs::create_dir_all(&service).unwrap();
    let o = onex(&service, &["graph", "--format", "mermaid"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let gen_dir = tmp.path().join("gen");
    let o = onex(&service, &["gen", "--out", gen_dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rust = std::fs::read_to_string(gen_dir.join("onex.rs")).unwrap();
    assert!(
        rust.contains(CHANGED),
        "the copy, not this repository's catalog"
    );
    // `--root` at a directory whose `contracts/` holds the catalog.
    let o = onex(&repo(), &["check", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = format!("{}`", tmp.path().join("contracts").display());
    assert!(stderr(&o).contains(&shown), "{}", stderr(&o));
}

#[test]
fn no_catalog_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    if tmp
        .path()
        .ancestors()
        .any(|a| a.join("onex.yaml").is_file() || a.join("contracts/onex.yaml").is_file())
    {
        return; // a catalog above the temp dir; nothing to test here
    }
    let o = onex(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("no catalog found")
            && err.contains("contracts/onex.yaml")
            && err.contains("ONEX_CATALOG")
            && err.contains(tmp.path().to_str().unwrap()),
        "{err}"
    );
}

#[test]
fn check_mode_writes_nothing_and_fails_on_stale_files() {
    let tmp = changed_catalog();
    let root = tmp.path().join("contracts");
    let root_s = root.to_str().unwrap();
    let here = repo();

    // gen: a missing directory is stale and is not created.
    let gen_dir = tmp.path().join("gen");
    let gen_s = gen_dir.to_str().unwrap();
    let o = onex(&here, &["--root", root_s, "gen", "--out", gen_s, "--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("onex.rs (missing)"), "{}", stderr(&o));
    assert!(!gen_dir.exists());
    // Written, it is up to date; edited, it is stale and left as it is.
    assert!(
        onex(&here, &["--root", root_s, "gen", "--out", gen_s])
            .status
            .success()
    );
    let o = onex(&here, &["--root", root_s, "gen", "--out", gen_s, "--check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(gen_dir.join("onex.rs"), "// edited\n").unwrap();
    let before = read_tree(&gen_dir);
    let o = onex(&here, &["--root", root_s, "gen", "--out", gen_s, "--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("onex.rs") && stderr(&o).contains("onex gen --out"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read_tree(&gen_dir), before);

    // docs: a page of a topic that no longer exists would be deleted.
    let docs_dir = tmp.path().join("docs");
    let docs_s = docs_dir.to_str().unwrap();
    let lints_dir = tmp.path().join("lints");
    let lints_s = lints_dir.to_str().unwrap();
    let args = [
        "--root",
        root_s,
        "docs",
        "--out",
        docs_s,
        "--lints-out",
        lints_s,
    ];
    assert!(onex(&here, &args).status.success());
    assert!(lints_dir.join("README.md").is_file());
    std::fs::write(docs_dir.join("topics/gone.md"), "old\n").unwrap();
    let before = read_tree(tmp.path());
    let o = onex(&here, &[&args[..], &["--check"]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("gone.md (would be deleted)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read_tree(tmp.path()), before);
    // Written again, the page is gone and the check passes.
    assert!(onex(&here, &args).status.success());
    assert!(!docs_dir.join("topics/gone.md").exists());
    assert!(
        onex(&here, &[&args[..], &["--check"]].concat())
            .status
            .success()
    );

    // schemas: stale when edited.
    let schemas = tmp.path().join("schemas");
    let schemas_s = schemas.to_str().unwrap();
    assert!(
        onex(&here, &["schemas", "--out", schemas_s])
            .status
            .success()
    );
    let first = read_tree(&schemas).into_iter().next().unwrap().0;
    std::fs::write(&first, "{}\n").unwrap();
    let o = onex(&here, &["schemas", "--out", schemas_s, "--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "{}\n");
}

#[test]
fn graph_writes_a_file_and_codes_and_lint_list_need_no_catalog() {
    let tmp = changed_catalog();
    let root_s = tmp.path().join("contracts");
    let svg = tmp.path().join("topology.svg");
    let o = onex(
        &repo(),
        &[
            "graph",
            "--root",
            root_s.to_str().unwrap(),
            "--format",
            "svg",
            "--out",
            svg.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let empty = tempfile::tempdir().unwrap();
    for args in [
        &["codes"][..],
        &["lint", "--list"],
        &["lint", "--explain", "owner-present"],
    ] {
        let o = onex(empty.path(), args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(!stdout(&o).is_empty());
    }
    let o = onex(empty.path(), &["lint", "--explain", "owner-presnt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("owner-present"), "{}", stderr(&o));
}

/// A newcomer's first minutes: `init` in an empty folder, then `check`,
/// `lint`, `gen`, `graph`; `new topic` / `new node` keep it clean; a second
/// `init` and bad names are refused with a message.
#[test]
fn init_then_check_gen_graph_and_new() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = onex(dir, &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("onex.yaml").is_file());
    assert!(dir.join(".onex/schemas/topic.schema.json").is_file());
    let o = onex(dir, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 topics, 2 nodes, 2 edges"),
        "{}",
        stderr(&o)
    );
    let o = onex(dir, &["lint"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0 error(s), 0 warning(s)"),
        "{}",
        stderr(&o)
    );
    let o = onex(dir, &["gen", "--out", "src/generated"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rs = std::fs::read_to_string(dir.join("src/generated/onex.rs")).unwrap();
    assert!(rs.contains("orders.evt.order-placed.v1"));
    let o = onex(dir, &["graph", "--format", "svg"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = stdout(&o);
    assert!(
        svg.starts_with("<svg")
            && svg.contains(">order-service</text>")
            && svg.contains(">order-history</text>")
    );

    let o = onex(dir, &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));

    let o = onex(dir, &["new", "topic", "orders/evt/order-shipped"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The two new topics share a key; their placeholder payloads must not
    // make them look like one topic declared twice (`topic-duplicate`). The
    // one finding is that no node uses the new topic yet.
    let o = onex(dir, &["lint"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0 error(s), 1 warning(s)") && stderr(&o).contains("topic-unused"),
        "{}",
        stderr(&o)
    );
    let o = onex(
        dir,
        &[
            "new",
            "node",
            "shipping",
            "--publishes",
            "orders.evt.order-shipped.v1",
            "--subscribes",
            "orders.evt.order-placed.v1",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let contract = std::fs::read_to_string(dir.join("nodes/shipping/contract.yaml")).unwrap();
    assert!(
        contract.contains("handler: handle_order_placed"),
        "{contract}"
    );
    let o = onex(dir, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2 topics, 3 nodes, 4 edges"),
        "{}",
        stderr(&o)
    );

    let o = onex(
        dir,
        &[
            "new",
            "node",
            "late",
            "--subscribes",
            "orders.evt.order-shiped.v1",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `orders.evt.order-shipped.v1`"),
        "{}",
        stderr(&o)
    );
    let o = onex(dir, &["new", "topic", "orders/nope/x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("class `nope` is not in onex.yaml"),
        "{}",
        stderr(&o)
    );
    let o = onex(dir, &["new", "topic", "Orders/evt/x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("lowercase"), "{}", stderr(&o));
    assert!(!dir.join("nodes/late").exists() && !dir.join("Orders").exists());
}

/// Run git in `dir` with a fixed identity; it must succeed.
fn git_in(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// `breaking --against REF` when the catalog is the top of its git
/// repository (an empty pathspec used to make git fail), and only files
/// below the catalog folder are compared.
#[test]
fn breaking_against_a_ref_with_the_catalog_at_the_repository_top() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(onex(dir, &["init"]).status.success());
    let git = |args: &[&str]| git_in(dir, args);
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "catalog"]);
    let o = onex(dir, &["breaking", "--against", "HEAD"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Drop the placeholder property: a breaking change for a closed model.
    let schema = dir.join("orders/evt/order-placed/v1/payload.schema.json");
    let text = std::fs::read_to_string(&schema).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["properties"]
        .as_object_mut()
        .unwrap()
        .remove("order_placed_summary");
    v["required"] = serde_json::json!(["order_id"]);
    std::fs::write(&schema, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    std::fs::write(
        dir.join("orders/evt/order-placed/v1/samples/basic.json"),
        "{ \"order_id\": \"order-1001\" }\n",
    )
    .unwrap();
    let o = onex(dir, &["breaking", "--against", "HEAD"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("summary"), "{}", stderr(&o));
}

/// `breaking --against REF` under a `_TRANSITIVE` mode checks the working
/// schema against the topic's version at every commit after REF as well,
/// and names the commit it breaks against; the plain mode does not.
#[test]
fn breaking_transitive_checks_every_commit_since_the_ref() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(onex(dir, &["init"]).status.success());
    let git = |args: &[&str]| git_in(dir, args);
    let v1 = dir.join("orders/evt/order-placed/v1");
    let set = |max_length: u64, version: &str, mode: &str| {
        let file = v1.join("payload.schema.json");
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        v["properties"]["summary"]["maxLength"] = max_length.into();
        std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
        let topic = v1.join("topic.yaml");
        let text = std::fs::read_to_string(&topic).unwrap();
        let mut out = String::new();
        for line in text.lines() {
            let line = match line.trim_start() {
                l if l.starts_with("version:") => format!("  version: {version}"),
                l if l.starts_with("compatibility:") => format!("  compatibility: {mode}"),
                _ => line.to_owned(),
            };
            out.push_str(&line);
            out.push('\n');
        }
        std::fs::write(&topic, out).unwrap();
        std::fs::write(
            v1.join("samples/basic.json"),
            "{ \"order_id\": \"o-1\", \"summary\": \"ok\" }\n",
        )
        .unwrap();
    };
    set(5, "1.0.0", "BACKWARD_TRANSITIVE");
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "summary at most 5"]);
    // Widening is BACKWARD compatible.
    set(10, "1.0.1", "BACKWARD_TRANSITIVE");
    git(&["commit", "-qam", "summary at most 10"]);
    // 8 is fine against the ref (5) but not against the commit after it (10).
    set(8, "1.0.2", "BACKWARD_TRANSITIVE");
    let o = onex(
        dir,
        &["breaking", "--against", "HEAD~1", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report:#}");
    let f = &findings[0];
    let head = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(dir)
        .output()
        .unwrap();
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    let text = f.to_string();
    assert!(text.contains("breaking-json-max-length-decreased"), "{f:#}");
    assert!(
        text.contains(&format!("against commit {head} summary at most 10")),
        "{f:#}"
    );
    assert!(text.contains("payload.schema.json"), "{f:#}");
    // Plain BACKWARD compares with the ref only: 5 -> 8 is compatible.
    set(8, "1.0.2", "BACKWARD");
    let o = onex(dir, &["breaking", "--against", "HEAD~1"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Earlier versions count too: with the history 5, 10, 3 (the ref), a
    // working 4 widens the ref but narrows both versions before it, and is
    // reported against each of them. A limit of 0 keeps only the ref.
    set(3, "1.0.2", "BACKWARD_TRANSITIVE");
    git(&["commit", "-qam", "summary at most 3"]);
    set(4, "1.0.3", "BACKWARD_TRANSITIVE");
    let o = onex(dir, &["breaking", "--against", "HEAD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let text = report["findings"].to_string();
    assert!(text.contains("summary at most 5"), "{report:#}");
    assert!(text.contains("summary at most 10"), "{report:#}");
    assert!(!text.contains("summary at most 3"), "{report:#}");
    let o = onex(
        dir,
        &["breaking", "--against", "HEAD", "--history-limit", "0"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `breaking.protobuf_encoding: json` in onex.yaml makes a Protobuf field
/// rename a break (WIRE_JSON); `--protobuf-encoding binary` overrides it.
#[test]
fn protobuf_encoding_comes_from_onex_yaml_unless_the_flag_says() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old");
    let new = tmp.path().join("new");
    let golden = repo().join("tests/fixtures/golden-catalog");
    copy_dir(&golden, &old);
    copy_dir(&golden, &new);
    let edit = |rel: &str, from: &str, to: &str| {
        let p = new.join(rel);
        let s = std::fs::read_to_string(&p).unwrap();
        assert!(s.contains(from), "{rel}");
        std::fs::write(&p, s.replace(from, to)).unwrap();
    };
    let shipped = "shop/evt/order-shipped/v1";
    edit(
        &format!("{shipped}/payload.proto"),
        "string carrier = 2;",
        "string carrier_code = 2;",
    );
    edit(
        &format!("{shipped}/topic.yaml"),
        "version: 1.0.0",
        "version: 1.1.0",
    );
    let against = old.to_str().unwrap();
    let args = [
        "--root",
        new.to_str().unwrap(),
        "breaking",
        "--against",
        against,
    ];
    // Binary records (the default): a warning, exit 0.
    let o = onex(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let settings = new.join("onex.yaml");
    let mut s = std::fs::read_to_string(&settings).unwrap();
    s.push_str("breaking:\n  protobuf_encoding: json\n");
    std::fs::write(&settings, s).unwrap();
    let o = onex(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("breaking-proto-field-renamed"),
        "{}",
        stderr(&o)
    );
    let mut flag = args.to_vec();
    flag.extend(["--protobuf-encoding", "binary"]);
    let o = onex(tmp.path(), &flag);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Every file below `dir`, as text (lossy).
fn tree_text(dir: &Path) -> String {
    read_tree(dir)
        .into_iter()
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

/// A service keeps its node contract beside its code, outside the catalog
/// (`repo/services/billing/contract.yaml` next to `repo/contracts/`), and
/// `onex.yaml`'s `nodes:` lists it: check, lint, every graph format, docs
/// (Markdown and HTML), ACLs and the AsyncAPI export see it, and nothing
/// shows the machine's absolute path.
#[test]
fn a_node_contract_beside_its_service_is_part_of_the_catalog() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let contracts = repo.join("contracts");
    std::fs::create_dir_all(&contracts).unwrap();
    let o = onex(&contracts, &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The consumer moves out of the catalog, into its service.
    let consumer = contracts.join("nodes/order-history");
    let text = std::fs::read_to_string(consumer.join("contract.yaml")).unwrap();
    std::fs::remove_dir_all(&consumer).unwrap();
    let billing = repo.join("services/billing/contract.yaml");
    std::fs::create_dir_all(billing.parent().unwrap()).unwrap();
    std::fs::write(&billing, text.replace("order-history", "billing")).unwrap();

    // Not listed yet: the topic has no consumer.
    let o = onex(&repo, &["lint"]);
    assert!(stderr(&o).contains("unconsumed-topic"), "{}", stderr(&o));

    let settings = contracts.join("onex.yaml");
    let mut text = std::fs::read_to_string(&settings).unwrap();
    text.push_str("nodes: [\"../services/*/contract.yaml\"]\n");
    std::fs::write(&settings, text).unwrap();

    // The catalog root may be named (`check` says which it read); the
    // service's files never by their absolute path.
    let abs = repo.join("services").display().to_string();
    let ok = |args: &[&str]| {
        let o = onex(&repo, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(
            !stdout(&o).contains(&abs) && !stderr(&o).contains(&abs),
            "{args:?} shows an absolute path:\n{}{}",
            stdout(&o),
            stderr(&o)
        );
        stdout(&o) + &stderr(&o)
    };
    let out = ok(&["check"]);
    assert!(out.contains("1 topics, 2 nodes, 2 edges"), "{out}");
    let out = ok(&["lint"]);
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");
    for format in ["mermaid", "dot", "json", "svg"] {
        let out = ok(&["graph", "--format", format]);
        assert!(out.contains("billing"), "graph {format}: {out}");
    }
    let out = ok(&["acl", "--format", "json"]);
    assert!(out.contains("billing"), "{out}");
    ok(&["docs", "--out", "site"]);
    ok(&["docs", "--format", "html", "--out", "html"]);
    ok(&["asyncapi", "export", "--out", "asyncapi"]);
    for dir in ["site", "html", "asyncapi"] {
        let text = tree_text(&repo.join(dir));
        assert!(text.contains("billing"), "{dir} lacks the node");
        assert!(!text.contains(&abs), "{dir} shows an absolute path");
    }

    // Its problems are located relative to the catalog root.
    let text = std::fs::read_to_string(&billing).unwrap();
    std::fs::write(&billing, text.replace("order-placed.v1", "order-placd.v1")).unwrap();
    let o = onex(&repo, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("../services/billing/contract.yaml:"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains(&abs), "{}", stderr(&o));
}
