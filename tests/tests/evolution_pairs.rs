//! The schema-evolution pair suite (`tests/evolution/`, issue 11): old/new
//! schema pairs and short version histories for JSON Schema, Protobuf and
//! Avro, each with the expected verdict per compatibility mode and the rule
//! ids that make it so (see `tests/evolution/README.md`).
//!
//! `pair_files_are_well_formed` checks the data itself: every rule id exists
//! in `rules.yaml` and breaks the mode it is listed under, FULL is BACKWARD
//! plus FORWARD, every pair names a source, schemas parse. It runs today.
//!
//! `engine_agrees_with_every_pair` runs the compatibility engine
//! (`onex_codegen::governance::compat`) on every pair and history, per mode
//! and (Protobuf) per encoding, and requires the exact rule-id sets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use onex_codegen::governance::compat;
use onex_codegen::model::payload::{AvroParse, Parsed, ProtoParse, SchemaFormat};
use onex_codegen::model::vocab::Compatibility;
use serde::Deserialize;

const FORMATS: [&str; 3] = ["json", "proto", "avro"];
const PAIR_MODES: [&str; 3] = ["BACKWARD", "FORWARD", "FULL"];
const HISTORY_MODES: [&str; 6] = [
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rules: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    id: String,
    format: String,
    breaks: Vec<String>,
    #[serde(default)]
    breaks_wire_json: Option<Vec<String>>,
    #[serde(default)]
    hazard: bool,
    summary: String,
    why: String,
    page: String,
}

/// `compatible`, or `{breaking: [rule-id, ...]}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Verdict {
    Word(String),
    Breaking { breaking: Vec<String> },
}

impl Verdict {
    /// The rule ids that break this mode (empty when compatible), or an error.
    fn rules(&self) -> Result<BTreeSet<String>, String> {
        match self {
            Verdict::Word(w) if w == "compatible" => Ok(BTreeSet::new()),
            Verdict::Word(w) => Err(format!("unknown verdict `{w}`")),
            Verdict::Breaking { breaking } if breaking.is_empty() => {
                Err("`breaking` with no rule id (write `compatible`)".into())
            }
            Verdict::Breaking { breaking } => Ok(breaking.iter().cloned().collect()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Divergence {
    registry: String,
    registry_expect: BTreeMap<String, Verdict>,
    why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    description: String,
    /// Protobuf: the payload message.
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    old: Option<String>,
    #[serde(default)]
    new: Option<String>,
    /// A history, oldest first; the last one is the version being checked.
    #[serde(default)]
    versions: Option<Vec<String>>,
    /// Further files the schemas reference (cross-file `$ref`), by name.
    #[serde(default)]
    old_files: BTreeMap<String, String>,
    #[serde(default)]
    new_files: BTreeMap<String, String>,
    expect: BTreeMap<String, Verdict>,
    /// Protobuf: verdicts when records are JSON-encoded (buf's WIRE_JSON view).
    #[serde(default)]
    expect_wire_json: Option<BTreeMap<String, Verdict>>,
    #[serde(default)]
    hazards: Vec<String>,
    source: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    divergence: Option<Divergence>,
}

impl Pair {
    /// Schemas oldest first (two for an old/new pair).
    fn versions(&self) -> Vec<&str> {
        match (&self.versions, &self.old, &self.new) {
            (Some(v), _, _) => v.iter().map(String::as_str).collect(),
            (None, Some(o), Some(n)) => vec![o.as_str(), n.as_str()],
            _ => Vec::new(),
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("evolution")
}

fn load_rules() -> BTreeMap<String, Rule> {
    let text = std::fs::read_to_string(root().join("rules.yaml")).unwrap();
    let file: RulesFile =
        marked_yaml::from_yaml(0, &text).unwrap_or_else(|e| panic!("rules.yaml: {e}"));
    let mut by_id = BTreeMap::new();
    for r in file.rules {
        let id = r.id.clone();
        assert!(
            by_id.insert(id.clone(), r).is_none(),
            "rules.yaml: `{id}` twice"
        );
    }
    by_id
}

/// Every pair file as (format, file name, parsed pair), in file-name order.
fn load_pairs() -> Vec<(&'static str, String, Result<Pair, String>)> {
    let mut out = Vec::new();
    for format in FORMATS {
        let mut names: Vec<String> = std::fs::read_dir(root().join(format))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(root().join(format).join(&name)).unwrap();
            let pair = marked_yaml::from_yaml::<Pair>(0, &text).map_err(|e| e.to_string());
            out.push((format, name, pair));
        }
    }
    out
}

fn rule_format(format: &str) -> &'static str {
    match format {
        "json" => "json-schema",
        "proto" => "protobuf",
        _ => "avro",
    }
}

/// Checks one set of expectations (`expect` or `expect_wire_json`).
fn check_expect(
    what: &str,
    expect: &BTreeMap<String, Verdict>,
    modes: &[&str],
    format: &str,
    wire_json: bool,
    rules: &BTreeMap<String, Rule>,
    used: &mut BTreeSet<String>,
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut sets: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for mode in expect.keys() {
        if mode != "NONE" && !modes.contains(&mode.as_str()) {
            errors.push(format!("{what}: unexpected mode `{mode}`"));
        }
    }
    if let Some(v) = expect.get("NONE") {
        match v.rules() {
            Ok(r) if r.is_empty() => {}
            _ => errors.push(format!("{what}: NONE is always compatible")),
        }
    }
    for &mode in modes {
        let Some(v) = expect.get(mode) else {
            errors.push(format!("{what}: no verdict for {mode}"));
            continue;
        };
        let ids = match v.rules() {
            Ok(ids) => ids,
            Err(e) => {
                errors.push(format!("{what}: {mode}: {e}"));
                continue;
            }
        };
        let base = mode.trim_end_matches("_TRANSITIVE");
        for id in &ids {
            used.insert(id.clone());
            let Some(rule) = rules.get(id) else {
                errors.push(format!("{what}: {mode}: unknown rule id `{id}`"));
                continue;
            };
            if rule.format != rule_format(format) {
                errors.push(format!("{what}: {mode}: `{id}` is a {} rule", rule.format));
            }
            let breaks = match (&rule.breaks_wire_json, wire_json) {
                (Some(b), true) => b,
                _ => &rule.breaks,
            };
            if !breaks.iter().any(|b| b == base) {
                errors.push(format!(
                    "{what}: {mode}: `{id}` does not break {base} (rules.yaml: {breaks:?})"
                ));
            }
        }
        sets.insert(mode, ids);
    }
    for (full, back, fwd) in [
        ("FULL", "BACKWARD", "FORWARD"),
        (
            "FULL_TRANSITIVE",
            "BACKWARD_TRANSITIVE",
            "FORWARD_TRANSITIVE",
        ),
    ] {
        if let (Some(f), Some(b), Some(w)) = (sets.get(full), sets.get(back), sets.get(fwd)) {
            let union: BTreeSet<String> = b.union(w).cloned().collect();
            if *f != union {
                errors.push(format!(
                    "{what}: {full} must list {back} + {fwd}: {union:?}"
                ));
            }
        }
    }
    errors
}

fn check_schema_text(
    format: &str,
    what: &str,
    text: &str,
    message: Option<&str>,
) -> Option<String> {
    match format {
        "proto" => {
            let message = message?;
            let decl = format!("message {message} {{");
            if !text.contains("syntax = \"proto") || !text.contains(&decl) {
                return Some(format!("{what}: not a .proto declaring `{decl}`"));
            }
            None
        }
        _ => serde_json::from_str::<serde_json::Value>(text)
            .err()
            .map(|e| format!("{what}: not JSON: {e}")),
    }
}

#[test]
fn pair_files_are_well_formed() {
    let rules = load_rules();
    let mut errors = Vec::new();
    for (id, r) in &rules {
        if r.summary.is_empty() || r.why.is_empty() || !r.page.starts_with("https://") {
            errors.push(format!(
                "rules.yaml: `{id}` needs a summary, a why and a page"
            ));
        }
        if !FORMATS.iter().any(|f| id.starts_with(&format!("{f}-"))) {
            errors.push(format!("rules.yaml: `{id}` does not start with its format"));
        }
        if r.hazard && !r.breaks.is_empty() {
            errors.push(format!("rules.yaml: `{id}`: a hazard rule breaks no mode"));
        }
        if !r.hazard && r.breaks.is_empty() && r.breaks_wire_json.is_none() {
            errors.push(format!(
                "rules.yaml: `{id}` breaks nothing: mark it as a hazard"
            ));
        }
        for b in r.breaks.iter().chain(r.breaks_wire_json.iter().flatten()) {
            if !["BACKWARD", "FORWARD", "FULL"].contains(&b.as_str()) {
                errors.push(format!("rules.yaml: `{id}`: unknown mode `{b}`"));
            }
        }
    }
    let table = std::fs::read_to_string(root().join("RULES.md")).unwrap();
    for id in rules.keys() {
        if !table.contains(&format!("`{id}`")) {
            errors.push(format!("RULES.md: no row for `{id}`"));
        }
    }
    let mut used = BTreeSet::new();
    let mut counts: BTreeMap<&str, [usize; 2]> = BTreeMap::new();
    let mut mode_counts: BTreeMap<(&str, String), [usize; 2]> = BTreeMap::new();
    let mut transitive_backward = 0;
    let mut numbers: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let pairs = load_pairs();
    for (format, name, pair) in &pairs {
        let what = format!("{format}/{name}");
        let Some((number, slug)) = name.strip_suffix(".yaml").and_then(|n| n.split_once('-'))
        else {
            errors.push(format!("{what}: name it NNNN-slug.yaml"));
            continue;
        };
        if number.len() != 4
            || !number.bytes().all(|b| b.is_ascii_digit())
            || slug.is_empty()
            || !numbers.entry(format).or_default().insert(number.to_owned())
        {
            errors.push(format!(
                "{what}: name it NNNN-slug.yaml with a number of its own"
            ));
        }
        let pair = match pair {
            Ok(p) => p,
            Err(e) => {
                errors.push(format!("{what}: {e}"));
                continue;
            }
        };
        if pair.description.trim().is_empty() {
            errors.push(format!("{what}: empty description"));
        }
        if !pair.source.contains("https://") {
            errors.push(format!("{what}: the source must name a page"));
        }
        let history = pair.versions.is_some();
        let versions = pair.versions();
        if history && (pair.old.is_some() || pair.new.is_some()) {
            errors.push(format!("{what}: give either old/new or versions"));
        }
        if versions.len() < 2 || (history && versions.len() < 3) {
            errors.push(format!(
                "{what}: needs old and new, or at least three versions"
            ));
        }
        if (*format == "proto") != pair.message.is_some() {
            errors.push(format!(
                "{what}: `message` names the payload of Protobuf pairs only"
            ));
        }
        for (i, text) in versions.iter().enumerate() {
            let label = format!("{what}: version {}", i + 1);
            if let Some(e) = check_schema_text(format, &label, text, pair.message.as_deref()) {
                errors.push(e);
            }
        }
        for (side, files) in [
            ("old_files", &pair.old_files),
            ("new_files", &pair.new_files),
        ] {
            for (file, text) in files {
                if let Some(e) =
                    check_schema_text(format, &format!("{what}: {side}.{file}"), text, None)
                {
                    errors.push(e);
                }
            }
        }
        let modes: &[&str] = if history { &HISTORY_MODES } else { &PAIR_MODES };
        errors.extend(check_expect(
            &what,
            &pair.expect,
            modes,
            format,
            false,
            &rules,
            &mut used,
        ));
        if let Some(wj) = &pair.expect_wire_json {
            if *format != "proto" {
                errors.push(format!("{what}: expect_wire_json is for Protobuf pairs"));
            }
            let label = format!("{what} (expect_wire_json)");
            errors.extend(check_expect(
                &label, wj, modes, format, true, &rules, &mut used,
            ));
        }
        for h in &pair.hazards {
            used.insert(h.clone());
            if !rules
                .get(h)
                .is_some_and(|r| r.hazard && r.format == rule_format(format))
            {
                errors.push(format!(
                    "{what}: hazard `{h}` is not a {format} hazard rule"
                ));
            }
        }
        if let Some(d) = &pair.divergence {
            if d.registry.is_empty() || d.why.is_empty() || d.registry_expect.is_empty() {
                errors.push(format!(
                    "{what}: a divergence names the registry, its verdicts and why"
                ));
            }
            for (mode, v) in &d.registry_expect {
                if let Err(e) = v.rules() {
                    errors.push(format!("{what}: divergence {mode}: {e}"));
                }
            }
        }
        if let Some(n) = &pair.note
            && n.trim().is_empty()
        {
            errors.push(format!("{what}: empty note"));
        }
        let c = counts.entry(format).or_default();
        c[usize::from(history)] += 1;
        for (mode, v) in &pair.expect {
            let breaking = v.rules().is_ok_and(|r| !r.is_empty());
            mode_counts.entry((format, mode.clone())).or_default()[usize::from(breaking)] += 1;
        }
        let verdict = |m: &str| pair.expect.get(m).and_then(|v| v.rules().ok());
        if let (Some(b), Some(bt)) = (verdict("BACKWARD"), verdict("BACKWARD_TRANSITIVE"))
            && b.is_empty()
            && !bt.is_empty()
        {
            transitive_backward += 1;
        }
    }
    let unused: Vec<&String> = rules.keys().filter(|id| !used.contains(*id)).collect();
    println!("evolution pairs (pairs + histories) per format:");
    for (format, [p, h]) in &counts {
        println!("  {format:5} {p:4} + {h}");
    }
    println!("verdicts per format and mode (compatible / breaking):");
    for ((format, mode), [ok, brk]) in &mode_counts {
        println!("  {format:5} {mode:20} {ok:4} / {brk}");
    }
    println!("rule ids no pair uses yet: {unused:?}");
    assert!(
        errors.is_empty(),
        "{} problem(s):\n{}",
        errors.len(),
        errors.join("\n")
    );
    let total: usize = counts.values().map(|[p, h]| p + h).sum();
    assert!(
        total >= 200,
        "the suite must keep at least 200 pairs, has {total}"
    );
    assert!(
        transitive_backward >= 10,
        "at least 10 histories must pass BACKWARD and fail BACKWARD_TRANSITIVE, found {transitive_backward}"
    );
}

/// The payload schema text of one version as the loader would hand it to
/// the engine: JSON Schema with every `$ref` inlined (cycles become `{}`),
/// Protobuf compiled by protox, Avro parsed by apache-avro.
fn parse(
    format: &str,
    text: &str,
    files: &BTreeMap<String, String>,
    message: Option<&str>,
) -> Parsed {
    match format {
        "json" => {
            let root: serde_json::Value = serde_json::from_str(text).unwrap();
            let mut docs: BTreeMap<String, serde_json::Value> = files
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::from_str(v).unwrap()))
                .collect();
            docs.insert(String::new(), root.clone());
            Parsed::Json(bundle(&docs, "", &root, &mut Vec::new()))
        }
        "proto" => {
            struct Mem(String);
            impl protox::file::FileResolver for Mem {
                fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
                    if name == "payload.proto" {
                        protox::file::File::from_source(name, &self.0)
                    } else {
                        Err(protox::Error::file_not_found(name))
                    }
                }
            }
            let mut chain = protox::file::ChainFileResolver::new();
            chain.add(Mem(text.to_owned()));
            chain.add(protox::file::GoogleFileResolver::new());
            let mut compiler = protox::Compiler::with_file_resolver(chain);
            compiler.include_imports(true);
            compiler
                .open_file("payload.proto")
                .unwrap_or_else(|e| panic!("{e}"));
            Parsed::Protobuf(ProtoParse {
                set: std::sync::Arc::new(compiler.file_descriptor_set()),
                file: "payload.proto".to_owned(),
                message: message.unwrap().to_owned(),
            })
        }
        _ => {
            let schema = apache_avro::Schema::parse_str(text).unwrap_or_else(|e| panic!("{e}"));
            let record = match &schema {
                apache_avro::Schema::Record(r) => r.name.fullname(None),
                _ => String::new(),
            };
            Parsed::Avro(AvroParse {
                schema: std::sync::Arc::new(schema),
                record,
            })
        }
    }
}

/// `v` with `$ref`s replaced by their targets, as the loader bundles.
fn bundle(
    docs: &BTreeMap<String, serde_json::Value>,
    doc: &str,
    v: &serde_json::Value,
    stack: &mut Vec<String>,
) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(obj) => {
            if let Some(Value::String(r)) = obj.get("$ref") {
                let (file, pointer) = r.split_once('#').unwrap_or((r.as_str(), ""));
                let target_doc = if file.is_empty() {
                    doc.to_owned()
                } else {
                    file.trim_start_matches("./").to_owned()
                };
                let key = format!("{target_doc}#{pointer}");
                let target = docs
                    .get(&target_doc)
                    .and_then(|d| d.pointer(pointer))
                    .unwrap_or_else(|| panic!("unresolved $ref {r}"));
                if stack.contains(&key) {
                    return Value::Object(serde_json::Map::new());
                }
                stack.push(key);
                let mut out = bundle(docs, &target_doc, target, stack);
                stack.pop();
                if let Value::Object(o) = &mut out {
                    for (k, val) in obj {
                        if k != "$ref" {
                            o.insert(k.clone(), bundle(docs, doc, val, stack));
                        }
                    }
                }
                return out;
            }
            let mut out = serde_json::Map::new();
            for (k, val) in obj {
                if k == "$defs" || k == "definitions" {
                    continue;
                }
                out.insert(k.clone(), bundle(docs, doc, val, stack));
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|i| bundle(docs, doc, i, stack)).collect())
        }
        other => other.clone(),
    }
}

fn mode_of(mode: &str) -> Compatibility {
    match mode {
        "BACKWARD" => Compatibility::Backward,
        "BACKWARD_TRANSITIVE" => Compatibility::BackwardTransitive,
        "FORWARD" => Compatibility::Forward,
        "FORWARD_TRANSITIVE" => Compatibility::ForwardTransitive,
        "FULL" => Compatibility::Full,
        "FULL_TRANSITIVE" => Compatibility::FullTransitive,
        _ => Compatibility::None,
    }
}

fn schema_format(format: &str) -> SchemaFormat {
    match format {
        "json" => SchemaFormat::JsonSchema,
        "proto" => SchemaFormat::Protobuf,
        _ => SchemaFormat::Avro,
    }
}

/// The verdict the engine gives for `versions` (oldest first; the last is
/// checked) under `mode`: the rule ids it reports as breaking (hazards never
/// count), through the public API `compat::check_history_with`.
fn engine_verdict(
    format: &str,
    pair: &Pair,
    versions: &[&str],
    mode: &str,
    wire_json: bool,
) -> Option<BTreeSet<String>> {
    let message = pair.message.as_deref();
    let new_files = if pair.new_files.is_empty() {
        &pair.old_files
    } else {
        &pair.new_files
    };
    let (last, earlier) = versions.split_last()?;
    let olds: Vec<Parsed> = earlier
        .iter()
        .map(|t| parse(format, t, &pair.old_files, message))
        .collect();
    let new = parse(format, last, new_files, message);
    let refs: Vec<&Parsed> = olds.iter().collect();
    let mode = mode_of(mode);
    let findings = compat::check_history_with(
        schema_format(format),
        &refs,
        &new,
        mode,
        compat::Options { wire_json },
    );
    Some(
        findings
            .iter()
            .filter(|f| f.breaks(mode))
            .map(|f| f.rule.to_owned())
            .collect(),
    )
}

#[test]
fn engine_agrees_with_every_pair() {
    let mut failures = Vec::new();
    let mut per_format: BTreeMap<&str, [usize; 2]> = BTreeMap::new();
    for (format, name, pair) in load_pairs() {
        let pair = pair.unwrap_or_else(|e| panic!("{format}/{name}: {e}"));
        let versions = pair.versions();
        let mut profiles = vec![(false, &pair.expect)];
        if let Some(wj) = &pair.expect_wire_json {
            profiles.push((true, wj));
        }
        let mut ok = true;
        for (wire_json, expect) in profiles {
            for (mode, verdict) in expect {
                let want = verdict.rules().unwrap();
                let got = engine_verdict(format, &pair, &versions, mode, wire_json)
                    .unwrap_or_else(|| panic!("{format}/{name}: no versions"));
                if got != want {
                    ok = false;
                    let profile = if wire_json { " (JSON encoding)" } else { "" };
                    failures.push(format!(
                        "{format}/{name}: {mode}{profile}: expected {want:?}, engine says {got:?} — {}",
                        pair.description
                    ));
                }
            }
        }
        per_format.entry(format).or_default()[usize::from(!ok)] += 1;
    }
    println!("pairs agreeing with the engine per format (agree / disagree):");
    for (format, [agree, disagree]) in &per_format {
        println!("  {format:5} {agree:4} / {disagree}");
    }
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every rule id of the suite is in the rule registry, prefixed with
/// `breaking-`, so `onex.yaml` and contracts can set its level.
#[test]
fn every_suite_rule_is_registered() {
    let missing: Vec<String> = load_rules()
        .keys()
        .filter(|id| onex_codegen::model::rules::rule(&format!("breaking-{id}")).is_none())
        .cloned()
        .collect();
    assert!(missing.is_empty(), "not in BREAKING_RULES: {missing:?}");
}

/// Every finding the engine gives on the suite, hazards included, is
/// located by its own anchor in the schema text (`breaking` reports it at
/// that file and line), not only by an enclosing name or the first line.
#[test]
fn every_finding_is_located_by_its_anchor() {
    let mut unlocated = BTreeSet::new();
    let mut checked = 0usize;
    for (format, name, pair) in load_pairs() {
        let pair = pair.unwrap_or_else(|e| panic!("{format}/{name}: {e}"));
        let versions = pair.versions();
        let Some((last, earlier)) = versions.split_last() else {
            continue;
        };
        let new_files = if pair.new_files.is_empty() {
            &pair.old_files
        } else {
            &pair.new_files
        };
        let new = parse(format, last, new_files, pair.message.as_deref());
        for wire_json in [false, true] {
            for text in earlier {
                let old = parse(format, text, &pair.old_files, pair.message.as_deref());
                let findings = compat::check_with(
                    schema_format(format),
                    &old,
                    &new,
                    Compatibility::Full,
                    compat::Options { wire_json },
                );
                for f in findings {
                    checked += 1;
                    let ((at, _), exact) = onex_codegen::governance::breaking::finding_location(
                        "new", last, "old", text, &f,
                    );
                    assert!(at.line > 0);
                    if !exact {
                        unlocated
                            .insert(format!("{} ({format}/{name}, path `{}`)", f.rule, f.path));
                    }
                }
            }
        }
    }
    println!("findings checked: {checked}");
    assert!(
        unlocated.is_empty(),
        "{} finding(s) without a located anchor:\n{}",
        unlocated.len(),
        unlocated.into_iter().collect::<Vec<_>>().join("\n")
    );
}
