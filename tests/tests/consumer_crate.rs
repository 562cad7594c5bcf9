//! The generated code in a user's crate, built by cargo as a user would:
//! a crate outside this workspace that depends on the runtime alone (no
//! `serde`, no `serde_json`: generated code reaches them through
//! `onex::__private`) and includes the golden output, checked with clippy's
//! `pedantic` and `nursery` groups on and every warning an error. A lint
//! that comes back in generated code, or a path that needs a dependency the
//! user did not add, fails this test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// Builds a crate named `name` outside the workspace whose `lib.rs`
/// includes `generated`, with clippy `pedantic` and `nursery` on and every
/// warning an error; panics with cargo's output if it fails.
fn check_crate(name: &str, generated: &Path) {
    let (ok, log) = clippy_crate(name, generated, &["protobuf", "avro"]);
    assert!(
        ok,
        "the generated code does not build cleanly in a crate without serde:\n{log}"
    );
}

/// [`check_crate`] with the runtime's `features`: (success, cargo's stderr).
fn clippy_crate(name: &str, generated: &Path, features: &[&str]) -> (bool, String) {
    let dir = onex_tests::consumer_crate(name, features, "");
    std::fs::write(
        dir.join("src/lib.rs"),
        format!(
            "//! A consuming crate.\n#![warn(missing_docs)]\ninclude!({:?});\n",
            generated.display().to_string()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--", "-W", "clippy::pedantic"])
        .args(["-W", "clippy::nursery", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", onex_tests::consumer_target())
        .env_remove("RUSTFLAGS")
        .current_dir(&dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn generated_code_builds_without_serde_and_is_clean_under_pedantic_and_nursery() {
    check_crate("consumer", &workspace().join("tests/golden/onex.rs"));
}

/// Inputs that once generated code that did not compile or warned
/// (`tests/fixtures/edge-catalog`: an integer `enum` as key, number enums,
/// a payload type named `A`, a topic named `Option`, a node named `sized`
/// subscribing to every topic), a catalog without topics, and one of
/// keyless topics only.
#[test]
fn edge_case_catalogs_build_cleanly() {
    let ws = workspace();
    for (name, catalog) in [
        ("edge", "edge-catalog"),
        ("empty", "empty-catalog"),
        ("keyless", "keyless-catalog"),
    ] {
        let generated = onex_codegen::Builder::new(ws.join("tests/fixtures").join(catalog))
            .generate()
            .unwrap();
        let file = ws.join(format!("target/consumer-crate/{name}-onex.rs"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &generated.rust).unwrap();
        check_crate(name, &file);
    }
}

/// A selection (`Builder::node`, `Builder::topics`) generates code that
/// builds on its own: the node's topics and the retry and dead-letter
/// topics a selected topic links to are all there.
#[test]
fn a_selected_part_of_the_catalog_builds_on_its_own() {
    let ws = workspace();
    let generated = onex_codegen::Builder::new(ws.join("contracts"))
        .node("registry-effect")
        .topics("validator/evt/test-run-completed/v1")
        .generate()
        .unwrap();
    let file = ws.join("target/consumer-crate/selected-onex.rs");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &generated.rust).unwrap();
    check_crate("selected", &file);
}

/// `Builder::type_attribute` and `field_attribute` put their attributes on
/// the matching types of every payload format (Avro record, typify struct
/// and string enum, prost message) and fields, and the result builds; a
/// path that matches nothing is E0803, an attribute that does not parse
/// E0802.
#[test]
fn extra_attributes_land_on_matching_types_and_fields() {
    let ws = workspace();
    let catalog = ws.join("tests/fixtures/golden-catalog");
    let generated = onex_codegen::Builder::new(&catalog)
        .type_attribute(
            "billing_evt_invoice_v1::Invoice",
            "#[doc(alias = \"bill\")]",
        )
        .type_attribute("*::OrderPlacedChannel", "#[doc(alias = \"channel\")]")
        .type_attribute(
            "shop_evt_order_shipped_v1::*",
            "#[doc(alias = \"shipped\")]",
        )
        .type_attribute("*::OrderPlaced", "#[must_use]")
        .field_attribute("*::Invoice.invoice_id", "#[doc(alias = \"id\")]")
        // A serde attribute the runtime's `serde_struct!` does not
        // read: the struct keeps serde's derive, so the alias works.
        .field_attribute("*::OrderPlacedOrder.id", "#[serde(alias = \"order_id\")]")
        .generate()
        .unwrap();
    let rust = &generated.rust;
    // Whitespace-normalised: prettyplease wraps macro bodies where it likes.
    let flat = rust.split_whitespace().collect::<Vec<_>>().join(" ");
    // A type attribute comes first in its item (after the end of the one
    // before); a field attribute right before the field.
    let on_type = |needle: &str, attr: &str| {
        let at = flat.find(needle).unwrap_or_else(|| panic!("no `{needle}`"));
        let start = flat[..at].rfind(['}', ';', '{']).map_or(0, |i| i + 1);
        assert!(
            flat[start..at].trim_start().starts_with(attr),
            "`{attr}` does not start the item `{needle}`: {}",
            &flat[start..at]
        );
    };
    let on_field = |needle: &str, attr: &str| {
        let at = flat.find(needle).unwrap_or_else(|| panic!("no `{needle}`"));
        assert!(
            flat[..at].trim_end().ends_with(attr),
            "`{attr}` not on `{needle}`"
        );
    };
    on_type("pub struct Invoice {", "#[doc(alias = \"bill\")]");
    on_type(
        "pub enum OrderPlacedChannel {",
        "#[doc(alias = \"channel\")]",
    );
    on_type("pub struct OrderShipped {", "#[doc(alias = \"shipped\")]");
    on_type("pub struct Parcel {", "#[doc(alias = \"shipped\")]");
    on_field("pub invoice_id:", "#[doc(alias = \"id\")]");
    on_type("pub struct OrderPlaced {", "#[must_use]");
    assert_eq!(rust.matches("#[doc(alias = \"bill\")]").count(), 1);
    assert!(flat.contains(
        "#[derive(Deserialize, Serialize, Clone, Debug, PartialEq)] \
         #[serde(crate = \"::onex::__private::serde\")] pub struct OrderPlacedOrder {"
    ));
    assert!(!flat.contains("serde_struct! { de ser OrderPlacedOrder"));
    assert!(flat.contains("serde_struct! { de ser Name {"));
    let file = ws.join("target/consumer-crate/attributed-onex.rs");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, rust).unwrap();
    check_crate("attributed", &file);

    let err = onex_codegen::Builder::new(&catalog)
        .type_attribute("*::NoSuchType", "#[derive(Hash)]")
        .field_attribute("*::Invoice.nope", "#[doc(hidden)]")
        .type_attribute("*::Invoice", "derive(Hash)")
        .generate()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("E0802") && err.contains("`derive(Hash)`"),
        "{err}"
    );
    let err = onex_codegen::Builder::new(&catalog)
        .type_attribute("*::NoSuchType", "#[derive(Hash)]")
        .field_attribute("*::Invoice.nope", "#[doc(hidden)]")
        .generate()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("E0803")
            && err.contains("`*::NoSuchType`")
            && err.contains("`*::Invoice.nope`"),
        "{err}"
    );
}

/// A catalog with Protobuf payloads in a crate whose `onex` lacks the
/// `protobuf` feature: the first error says which feature to enable.
#[test]
fn a_missing_runtime_feature_is_named_by_the_first_error() {
    let golden = workspace().join("tests/golden/onex.rs");
    let (ok, log) = clippy_crate("no-protobuf", &golden, &["avro"]);
    assert!(!ok, "built without the protobuf feature:\n{log}");
    let first = log
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or_default();
    assert!(
        first.contains(
            "this catalog has Protobuf payloads: enable the `protobuf` feature of `onex`"
        ),
        "first error: {first}\n{log}"
    );
}
