//! Schema evolution: before/after pairs for JSON Schema, Protobuf, Avro and
//! the topic contract, and `--against` on a temporary git repository
//! (including a shallow clone).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use onex_tests::copy_tree;
use std::path::{Path, PathBuf};
use std::process::Command;

use onex_cli::git::read;
use onex_codegen::governance::breaking::{BreakingReport, compare};
use onex_codegen::load;

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/golden-catalog")
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let before = std::fs::read_to_string(&p).unwrap();
    let after = f(before.clone());
    assert_ne!(before, after, "edit of {rel} changed nothing");
    std::fs::write(p, after).unwrap();
}

/// Compare the golden catalog with a copy changed by `change`.
fn after(change: impl FnOnce(&Path)) -> BreakingReport {
    let old = load(&golden()).catalog.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&golden(), tmp.path());
    change(tmp.path());
    let loaded = load(tmp.path());
    let new = loaded
        .catalog
        .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
    compare(&old, &new)
}

fn rules(r: &BreakingReport) -> Vec<&'static str> {
    r.findings.iter().filter_map(|d| d.rule).collect()
}

const PLACED: &str = "shop/evt/order-placed/v1";
const CANCEL: &str = "shop/cmd/cancel-order/v1";
const SHIPPED: &str = "shop/evt/order-shipped/v1";
const INVOICE: &str = "billing/evt/invoice/v1";

#[test]
fn unchanged_catalogs_are_compatible() {
    let r = after(|_| {});
    assert!(r.findings.is_empty(), "{:?}", rules(&r));
    assert_eq!(r.compared, 5);
}

#[test]
fn json_removing_a_field_from_a_closed_model_breaks() {
    let r = after(|root| {
        edit(root, &format!("{PLACED}/payload.schema.json"), |s| {
            s.replace("    \"channel\": { \"type\": \"string\", \"enum\": [\"web\", \"store\", \"phone\"] },\n", "")
                .replace("\"order\", \"channel\",", "\"order\",")
        });
    });
    assert_eq!(rules(&r), ["breaking-json-property-removed-closed-model"]);
    let d = &r.findings[0];
    assert!(
        d.message.contains("`channel`") && d.message.contains("closed content model"),
        "{}",
        d.message
    );
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("shop/evt/order-placed/v2/")
    );
    assert_eq!(
        d.related[0].location.file,
        format!("{PLACED}/payload.schema.json")
    );
    assert_eq!(d.related[0].location.line, 15);
}

#[test]
fn json_adding_an_optional_field_depends_on_the_content_model() {
    // Open model (no additionalProperties: false): incompatible, and said why.
    let open = after(|root| {
        edit(root, &format!("{CANCEL}/payload.schema.json"), |s| {
            s.replace(
                "\"reason\": { \"type\": \"string\" }",
                "\"reason\": { \"type\": \"string\" },\n    \"refund\": { \"type\": \"boolean\" }",
            )
        });
        edit(root, &format!("{CANCEL}/topic.yaml"), |s| {
            s.replace("version: 1.0.0", "version: 1.1.0")
        });
    });
    assert_eq!(rules(&open), ["breaking-json-property-added-open-model"]);
    assert!(open.findings[0].message.contains("open content model"));
    assert_eq!(open.findings[0].location.as_ref().unwrap().line, 6);
    // Closed model, with the minor bump: compatible.
    let closed = after(|root| {
        edit(root, &format!("{PLACED}/payload.schema.json"), |s| {
            s.replace("\"note\": { \"type\": [\"string\", \"null\"] }", "\"note\": { \"type\": [\"string\", \"null\"] },\n    \"gift\": { \"type\": \"boolean\" }")
        });
        edit(root, &format!("{PLACED}/topic.yaml"), |s| {
            s.replace("version: 1.2.0", "version: 1.3.0")
        });
    });
    assert!(closed.findings.is_empty(), "{:?}", rules(&closed));
    // ... and without the bump, the version is the finding.
    let unbumped = after(|root| {
        edit(root, &format!("{PLACED}/payload.schema.json"), |s| {
            s.replace("\"note\": { \"type\": [\"string\", \"null\"] }", "\"note\": { \"type\": [\"string\", \"null\"] },\n    \"gift\": { \"type\": \"boolean\" }")
        });
    });
    assert_eq!(rules(&unbumped), ["breaking-schema-version"]);
    assert!(unbumped.findings[0].message.contains("1.3.0"));
    // Its hint fixes the number; it does not ask for a new major version.
    let help = unbumped.findings[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("write `version: 1.3.0`"), "{help}");
    assert!(!help.contains("new major version:"), "{help}");
}

#[test]
fn json_narrowing_types_enums_and_models_breaks() {
    let r = after(|root| {
        edit(root, &format!("{PLACED}/payload.schema.json"), |s| {
            s.replace("[\"web\", \"store\", \"phone\"]", "[\"web\", \"store\"]")
                .replace("\"type\": [\"string\", \"null\"]", "\"type\": \"string\"")
        });
        edit(root, &format!("{CANCEL}/payload.schema.json"), |s| {
            s.replace(
                "\"required\": [\"order_number\"]",
                "\"required\": [\"order_number\", \"reason\"],\n  \"additionalProperties\": false",
            )
        });
    });
    let mut got = rules(&r);
    got.sort();
    assert_eq!(
        got,
        [
            "breaking-json-additional-properties-narrowed",
            "breaking-json-enum-value-removed",
            "breaking-json-required-added",
            "breaking-json-type-narrowed"
        ]
    );
}

#[test]
fn protobuf_field_removal_needs_reserved() {
    let removed = after(|root| {
        edit(root, &format!("{SHIPPED}/payload.proto"), |s| {
            s.replace("  // Carrier code.\n  string carrier = 2;\n", "")
        })
    });
    // Deleting a field is wire compatible (registry, language guide); not
    // reserving its number is a hazard (a warning), and the schema changed
    // compatibly, so the schema version must go up.
    assert_eq!(
        rules(&removed),
        [
            "breaking-proto-field-removed-number-not-reserved",
            "breaking-schema-version"
        ]
    );
    let d = &removed.findings[0];
    assert_eq!(d.severity, onex_codegen::Severity::Warning);
    assert!(
        d.message.contains("`OrderShipped.carrier`") && d.message.contains("reserved 2;"),
        "{}",
        d.message
    );
    assert_eq!(d.related[0].location.line, 13);
    let reserved = after(|root| {
        edit(root, &format!("{SHIPPED}/payload.proto"), |s| {
            s.replace(
                "  // Carrier code.\n  string carrier = 2;\n",
                "  reserved 2;\n  reserved \"carrier\";\n",
            )
        });
        edit(root, &format!("{SHIPPED}/topic.yaml"), |s| {
            s.replace("version: 1.0.0", "version: 1.1.0")
        });
    });
    assert!(reserved.findings.is_empty(), "{:?}", rules(&reserved));
    let reused = after(|root| {
        edit(root, &format!("{SHIPPED}/payload.proto"), |s| {
            s.replace("string carrier = 2;", "int64 courier_id = 2;")
        })
    });
    let mut got = rules(&reused);
    got.sort();
    assert_eq!(got, ["breaking-proto-field-number-reused"]);
}

#[test]
fn avro_rules_follow_the_compatibility_mode() {
    // BACKWARD (default): a new field without a default cannot read old data.
    let added = after(|root| {
        edit(root, &format!("{INVOICE}/payload.avsc"), |s| {
            s.replace("{ \"name\": \"invoice_id\", \"type\": \"string\", \"doc\": \"Invoice id.\" },", "{ \"name\": \"invoice_id\", \"type\": \"string\", \"doc\": \"Invoice id.\" },\n    { \"name\": \"due\", \"type\": \"string\" },")
        })
    });
    assert_eq!(rules(&added), ["breaking-avro-field-added-without-default"]);
    assert!(
        added.findings[0].message.contains("`due`")
            && added.findings[0].message.contains("without a `default`"),
        "{}",
        added.findings[0].message
    );
    // FULL: removing a field without a default breaks old readers.
    let removed = after(|root| {
        edit(root, &format!("{INVOICE}/topic.yaml"), |s| {
            s.replace(
                "  version: 2.0.0",
                "  version: 2.0.0\n  compatibility: FULL",
            )
        });
        edit(root, &format!("{INVOICE}/payload.avsc"), |s| {
            s.replace("    { \"name\": \"invoice_id\", \"type\": \"string\", \"doc\": \"Invoice id.\" },\n", "")
        });
    });
    assert!(
        rules(&removed).contains(&"breaking-avro-field-removed-without-default"),
        "{:?}",
        rules(&removed)
    );
    let d = removed
        .findings
        .iter()
        .find(|d| d.rule == Some("breaking-avro-field-removed-without-default"))
        .unwrap();
    assert!(d.message.contains("`invoice_id`"), "{}", d.message);
    assert_eq!(d.related[0].location.line, 7);
}

#[test]
fn the_topic_contract_itself_is_checked() {
    let r = after(|root| {
        edit(root, &format!("{PLACED}/topic.yaml"), |s| {
            s.replace("field: order.id", "field: channel")
        });
        edit(root, "nodes/checkout/contract.yaml", |s| {
            s.replace("key: order.id", "key: channel")
        });
        edit(root, &format!("{INVOICE}/topic.yaml"), |s| {
            s.replace("partitions: 6", "partitions: 3")
        });
        edit(root, &format!("{SHIPPED}/topic.yaml"), |s| {
            s.replace("cleanup_policy: compact,delete", "cleanup_policy: delete")
        });
        edit(root, &format!("{CANCEL}/topic.yaml"), |s| {
            s.replace("tenant: omnibase", "tenant: acme")
        });
        edit(root, "nodes/checkout/contract.yaml", |s| {
            s.replace(
                "{env}.omnibase.shop.cmd.cancel-order.v1",
                "{env}.acme.shop.cmd.cancel-order.v1",
            )
        });
    });
    let mut got = rules(&r);
    got.sort();
    assert_eq!(
        got,
        [
            "breaking-cleanup-policy-changed",
            "breaking-key-changed",
            "breaking-name-changed",
            "breaking-partitions-decreased"
        ]
    );
}

#[test]
fn a_contract_can_waive_a_finding_with_a_reason() {
    let r = after(|root| {
        edit(root, &format!("{CANCEL}/payload.schema.json"), |s| {
            s.replace(
                "\"required\": [\"order_number\"]",
                "\"required\": [\"order_number\", \"reason\"]",
            )
        });
        edit(root, &format!("{CANCEL}/topic.yaml"), |s| {
            s + "lints:\n  breaking-json-required-added:\n    level: allow\n    reason: no producer ever omitted it\n"
        });
    });
    assert!(r.findings.is_empty(), "{:?}", rules(&r));
    assert_eq!(r.waived.len(), 1);
    assert_eq!(r.waived[0].reason, "no producer ever omitted it");
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=onex",
            "-c",
            "user.email=onex@example.invalid",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Removed required fields in all three formats, committed; `HEAD~1` is the
/// catalog before.
fn repo_with_removals() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let contracts = repo.path().join("contracts");
    std::fs::create_dir_all(&contracts).unwrap();
    copy_tree(&golden(), &contracts);
    edit(&contracts, &format!("{INVOICE}/topic.yaml"), |s| {
        s.replace(
            "  version: 2.0.0",
            "  version: 2.0.0\n  compatibility: FULL",
        )
    });
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "before"]);
    edit(&contracts, &format!("{PLACED}/payload.schema.json"), |s| {
        s.replace(
            "    \"customer_email\": { \"type\": \"string\", \"x-pii\": \"high\" },\n",
            "",
        )
        .replace("\"customer_email\", ", "")
    });
    edit(&contracts, &format!("{PLACED}/topic.yaml"), |s| {
        s.replace(
            "pii:\n  customer_email:\n    level: high\n    encryption: kms-envelope\n",
            "",
        )
    });
    edit(&contracts, &format!("{SHIPPED}/payload.proto"), |s| {
        s.replace("  // Carrier code.\n  string carrier = 2;\n", "")
    });
    edit(&contracts, &format!("{SHIPPED}/samples/basic.json"), |s| {
        s.replace("\"carrier\": \"ups\", ", "")
    });
    edit(&contracts, &format!("{INVOICE}/payload.avsc"), |s| {
        s.replace(
            "    { \"name\": \"invoice_id\", \"type\": \"string\", \"doc\": \"Invoice id.\" },\n",
            "",
        )
    });
    edit(&contracts, &format!("{INVOICE}/samples/basic.json"), |s| {
        s.replace("\"invoice_id\": \"inv-1\", ", "")
    });
    git(
        repo.path(),
        &["commit", "-q", "-am", "remove required fields"],
    );
    repo
}

#[test]
fn against_head_1_reports_a_removed_required_field_in_each_format() {
    let repo = repo_with_removals();
    let before = read(repo.path(), Path::new("contracts"), "HEAD~1").unwrap();
    let old = onex_codegen::load_from(&before).catalog.unwrap();
    let new = load(&repo.path().join("contracts")).catalog.unwrap();
    let r = compare(&old, &new);
    let located: Vec<(String, &str, u32)> = r
        .findings
        .iter()
        .map(|d| {
            (
                d.location.as_ref().unwrap().file.clone(),
                d.rule.unwrap(),
                d.related.first().map_or(0, |x| x.location.line),
            )
        })
        .collect();
    assert!(
        located.contains(&(
            format!("{PLACED}/payload.schema.json"),
            "breaking-json-property-removed-closed-model",
            16
        )),
        "{located:?}"
    );
    assert!(
        located.contains(&(
            format!("{SHIPPED}/payload.proto"),
            "breaking-proto-field-removed-number-not-reserved",
            13
        )),
        "{located:?}"
    );
    assert!(
        located.contains(&(
            format!("{INVOICE}/payload.avsc"),
            "breaking-avro-field-removed-without-default",
            7
        )),
        "{located:?}"
    );
    // Each names its field.
    for field in ["customer_email", "carrier", "invoice_id"] {
        assert!(
            r.findings.iter().any(|d| d.message.contains(field)),
            "{field}"
        );
    }
}

#[test]
fn against_works_in_a_shallow_clone_and_explains_missing_history() {
    let repo = repo_with_removals();
    let url = format!("file://{}", repo.path().display());
    for (depth, ok) in [("1", false), ("2", true)] {
        let clone = tempfile::tempdir().unwrap();
        let out = Command::new("git")
            .args(["clone", "-q", "--depth", depth, &url])
            .arg(clone.path().join("c"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let res = read(&clone.path().join("c"), Path::new("contracts"), "HEAD~1");
        match (ok, res) {
            (true, Ok(source)) => assert!(onex_codegen::load_from(&source).catalog.is_some()),
            (false, Err(e)) => assert!(
                e.to_string().contains("shallow clone")
                    && e.to_string().contains("git fetch --deepen=1"),
                "{e}"
            ),
            (ok, res) => panic!("depth {depth}: expected ok={ok}, got {res:?}"),
        }
    }
}

#[test]
fn levels_for_breaking_rules_in_onex_yaml_take_effect() {
    // A required property added to an open model: two BACKWARD reasons.
    let change = |root: &Path| {
        edit(root, &format!("{CANCEL}/payload.schema.json"), |s| {
            s.replace(
                "\"required\": [\"order_number\"]",
                "\"required\": [\"order_number\", \"reason\"]",
            )
        });
    };
    let denied = after(change);
    assert!(
        denied
            .findings
            .iter()
            .any(|d| d.rule == Some("breaking-json-required-added")
                && d.severity == onex_codegen::Severity::Error),
        "{:?}",
        rules(&denied)
    );
    let warned = after(|root| {
        change(root);
        edit(root, "onex.yaml", |s| {
            s.replace("lints: {}", "") + "lints:\n  breaking-json-required-added: warn\n"
        });
    });
    let d = warned
        .findings
        .iter()
        .find(|d| d.rule == Some("breaking-json-required-added"))
        .unwrap_or_else(|| panic!("{:?}", rules(&warned)));
    assert_eq!(d.severity, onex_codegen::Severity::Warning);
    let allowed = after(|root| {
        change(root);
        edit(root, "onex.yaml", |s| {
            s.replace("lints: {}", "") + "lints:\n  breaking-json-required-added: allow\n"
        });
    });
    assert!(
        !rules(&allowed).contains(&"breaking-json-required-added"),
        "{:?}",
        rules(&allowed)
    );
}

/// Under record-name subjects a new `v2` folder whose Avro record keeps its
/// full name shares `v1`'s subject, so a `_TRANSITIVE` mode checks it
/// against `v1` (and names it); under topic-name subjects the two are
/// unrelated.
#[test]
fn transitive_mode_checks_earlier_major_folders_sharing_a_record_subject() {
    let run = |strategy: &str| {
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&golden(), tmp.path());
        let settings = tmp.path().join("onex.yaml");
        let text = std::fs::read_to_string(&settings).unwrap();
        std::fs::write(
            &settings,
            format!("{text}\nsubjects:\n  strategy: {strategy}\n"),
        )
        .unwrap();
        let old = load(tmp.path()).catalog.unwrap();
        let v1 = tmp.path().join(INVOICE);
        let v2 = tmp.path().join("billing/evt/invoice/v2");
        std::fs::create_dir_all(&v2).unwrap();
        copy_tree(&v1, &v2);
        edit(tmp.path(), "billing/evt/invoice/v2/topic.yaml", |t| {
            format!("{t}  compatibility: BACKWARD_TRANSITIVE\n")
        });
        edit(tmp.path(), "billing/evt/invoice/v2/payload.avsc", |t| {
            t.replace(
                r#"{ "name": "invoice_id", "type": "string", "doc": "Invoice id." },"#,
                r#"{ "name": "invoice_id", "type": "string", "doc": "Invoice id." }, { "name": "due", "type": "long" },"#,
            )
        });
        let loaded = load(tmp.path());
        let new = loaded
            .catalog
            .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render_human(false)));
        onex_codegen::governance::breaking::compare_with(
            &old,
            &new,
            &onex_codegen::governance::breaking::Options::default(),
        )
    };
    let r = run("record_name");
    assert_eq!(rules(&r), ["breaking-avro-field-added-without-default"]);
    let message = &r.findings[0].message;
    assert!(
        message.contains("against v1 (subject `billing.v1.Invoice`)"),
        "{message}"
    );
    let r = run("topic_name");
    assert!(r.findings.is_empty(), "{:?}", rules(&r));
}

/// A field renamed under the same number: a warning for binary records
/// (WIRE, the default), a break when records are JSON (WIRE_JSON,
/// `--protobuf-encoding json`).
#[test]
fn protobuf_rename_breaks_only_json_encoded_records() {
    let old = load(&golden()).catalog.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&golden(), tmp.path());
    edit(tmp.path(), &format!("{SHIPPED}/payload.proto"), |s| {
        s.replace("string carrier = 2;", "string carrier_code = 2;")
    });
    edit(tmp.path(), &format!("{SHIPPED}/topic.yaml"), |s| {
        s.replace("version: 1.0.0", "version: 1.1.0")
    });
    let new = load(tmp.path()).catalog.unwrap();
    let run = |protobuf_json| {
        onex_codegen::governance::breaking::compare_with(
            &old,
            &new,
            &onex_codegen::governance::breaking::Options {
                protobuf_json,
                ..Default::default()
            },
        )
    };
    let wire = run(false);
    assert_eq!(rules(&wire), ["breaking-proto-field-renamed"]);
    assert_eq!(wire.findings[0].severity, onex_codegen::Severity::Warning);
    let json = run(true);
    assert_eq!(rules(&json), ["breaking-proto-field-renamed"]);
    assert!(json.findings[0].is_error(), "{:?}", json.findings[0]);
    assert!(
        json.findings[0].message.contains("breaks BACKWARD"),
        "{}",
        json.findings[0].message
    );
}
