//! Rust emission: everything a consuming crate gets from the catalog, as one
//! file (formatted by prettyplease for checked-in copies, token text for
//! build.rs). Reads only the validated [`Catalog`]; each payload format goes
//! through its own generator (typify, prost-build, onex's Avro emitter) and
//! the rest is emitted here. Topics are emitted in parallel (they depend on
//! nothing but the catalog) and each part is formatted on its own, since
//! formatting the whole file at 10,000 topics cost more than generating it.

mod attrs;
#[cfg(feature = "avro")]
mod avro;
mod cache;
mod envelope;
mod json;
mod lean_serde;
pub mod node;
mod pii;
#[cfg(feature = "protobuf")]
mod proto;
mod shared;
mod subjects;
mod text;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::payload::SchemaFormat;
use crate::model::vocab::{CleanupPolicy, Compatibility};
use crate::model::{Catalog, KeySource, Topic};

/// How to emit.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Path of the runtime crate in generated code (`::onex`); set it when a
    /// facade crate re-exports the runtime.
    pub runtime_path: String,
    /// Format the code with prettyplease (needs the `format` feature; the
    /// default when it is built). Unformatted code is what rustc reads
    /// anyway, at a fraction of the cost: `Builder::build` writes
    /// it unless asked to format; checked-in copies are formatted.
    pub format: bool,
    /// Worker threads for emission (0: one per core). The output does not
    /// depend on it.
    pub threads: usize,
    /// Where to keep each topic's rendered parts between runs (see
    /// `emit/cache.rs`); `None`: no cache. The output does not depend on it.
    pub cache_dir: Option<std::path::PathBuf>,
    /// Attributes put on generated payload types: (path glob, attribute),
    /// e.g. `("billing_evt_invoice_v1::Invoice", "#[derive(Hash)]")`; see
    /// `Builder::type_attribute`. A path that matches no type is E0803.
    pub type_attributes: Vec<(String, String)>,
    /// Attributes put on fields of generated payload structs: (path glob
    /// `<module>::<Type>.<field>`, attribute); see `Builder::field_attribute`.
    pub field_attributes: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime_path: "::onex".to_owned(),
            format: cfg!(feature = "format"),
            threads: 0,
            cache_dir: None,
            type_attributes: Vec::new(),
            field_attributes: Vec::new(),
        }
    }
}

/// E0803 for every attribute path no topic's payload matched.
fn check_attributes_matched(
    attributes: &attrs::Attributes,
    matched: &std::collections::BTreeSet<usize>,
) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    for path in attributes.unmatched(matched) {
        diags.push(
            Diagnostic::new(
                Code::UnmatchedAttribute,
                format!("the attribute path `{path}` matches no generated payload type or field"),
            )
            .help("paths are `<payload module>::<Type>` (or `...::<Type>.<field>`), as in `payloads::billing_evt_invoice_v1::Invoice` of the generated code, without `payloads::`; `*` matches any run of characters"),
        );
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

/// The generated files, by file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// `onex.rs`: the Rust code, formatted.
    pub rust: String,
    /// `subjects.json`: subject → schema type, schema, compatibility.
    pub subjects_json: String,
}

impl Generated {
    /// The files as `(name, contents)`, in a fixed order.
    pub fn files(&self) -> [(&'static str, &str); 2] {
        [
            ("onex.rs", &self.rust),
            ("subjects.json", &self.subjects_json),
        ]
    }
}

/// What a payload generator hands back.
struct Emitted {
    tokens: TokenStream,
    /// How to read a payload key (`None`: the key is not a payload field).
    key: Option<KeyAccess>,
    /// The payload's record or message name when the format names it
    /// (Protobuf, Avro): the Rust type is named after it.
    record_name: Option<String>,
    /// Protobuf: index of the payload message among the file's top-level
    /// messages (the Confluent wire format's message-index path).
    message_index: u32,
}

/// How to read the key out of a payload.
struct KeyAccess {
    ty: KeyTy,
    /// Expression reaching the field from `payload`.
    expr: TokenStream,
}

enum KeyTy {
    /// `String` field, borrowed as `&str`.
    Str,
    /// Integer field, by value.
    Int(proc_macro2::Ident),
    /// `Vec<u8>` field, borrowed as `&[u8]` (Avro `bytes` keys).
    #[cfg_attr(not(feature = "avro"), allow(dead_code))]
    Bytes,
    /// Enum field (path relative to the payload module), keyed by its text.
    Display(TokenStream),
}

/// A `#[doc = ...]` attribute. Lines are trimmed so that nothing in a
/// contract's prose becomes an indented (and so doc-tested) code block.
fn doc_attr(text: &str) -> TokenStream {
    let cleaned: Vec<String> = text
        .lines()
        .map(|l| format!(" {}", balance_backticks(l.trim())))
        .collect();
    let docs = cleaned.iter().map(|l| quote! { #[doc = #l] });
    quote! { #(#docs)* }
}

/// A line for a doc comment: an odd number of backticks (a contract's
/// description quoting one) would open a code span that never closes
/// (`clippy::doc_markdown` in a user's crate), so the last one is escaped.
fn balance_backticks(text: &str) -> std::borrow::Cow<'_, str> {
    let unescaped: Vec<usize> = text
        .match_indices('`')
        .map(|(i, _)| i)
        .filter(|&i| !text.get(..i).is_some_and(|t| t.ends_with('\\')))
        .collect();
    match unescaped.last() {
        Some(&last) if unescaped.len() % 2 == 1 => {
            let (head, tail) = text.split_at(last);
            std::borrow::Cow::Owned(format!("{head}\\{tail}"))
        }
        _ => std::borrow::Cow::Borrowed(text),
    }
}

/// A field identifier the way typify writes it (snake_case, `_` suffix for keywords).
fn field_ident(name: &str) -> proc_macro2::Ident {
    format_ident!("{}", crate::model::naming::rust_field_name(name))
}

/// A field identifier the way prost writes it (`r#` for keywords).
#[cfg(feature = "protobuf")]
fn prost_field_ident(name: &str) -> proc_macro2::Ident {
    let s = name.to_snake_case();
    if typify::accept_as_ident(&s) {
        format_ident!("{}", s)
    } else {
        format_ident!("r#{}", s)
    }
}

/// An UpperCamelCase type identifier.
#[cfg(feature = "avro")]
fn type_ident(name: &str) -> proc_macro2::Ident {
    let mut s = name.to_upper_camel_case();
    if s.is_empty() || !s.starts_with(|c: char| c.is_alphabetic()) {
        s = format!("X{s}");
    }
    if !typify::accept_as_ident(&s) {
        s.push('_');
    }
    format_ident!("{}", s)
}

use crate::model::Millis;

/// An unsuffixed integer literal with `_` between groups of three digits
/// (`604_800_000`): readable, and what `clippy::unreadable_literal` asks of
/// code in a user's crate.
fn int_lit(n: impl Into<u128>) -> TokenStream {
    let digits = n.into().to_string();
    let mut grouped = String::with_capacity(digits.len() * 4 / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 && digits.len() > 4 {
            grouped.push('_');
        }
        grouped.push(c);
    }
    // Digits and underscores always lex as one integer literal.
    grouped.parse().unwrap_or_default()
}

/// The generated code as tokens (what `include_contracts!` expands to, with
/// no text round trip) and the subjects export.
#[derive(Clone, Debug)]
pub struct GeneratedTokens {
    /// The Rust items, unformatted.
    pub tokens: TokenStream,
    /// `subjects.json`.
    pub subjects_json: String,
}

/// Where generation spent its time, stage by stage (`cargo xtask bench`).
#[derive(Clone, Debug, Default)]
pub struct Profile {
    /// `(stage, time)`, in the order the stages first ran.
    pub stages: Vec<(&'static str, std::time::Duration)>,
}

impl Profile {
    fn add(&mut self, stage: &'static str, d: std::time::Duration) {
        match self.stages.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, t)) => *t += d,
            None => self.stages.push((stage, d)),
        }
    }

    fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let started = std::time::Instant::now();
        let out = f();
        self.add(stage, started.elapsed());
        out
    }
}

/// [`generate`], with the time of each stage.
pub fn generate_profiled(
    catalog: &Catalog,
    options: &Options,
) -> Result<(Generated, Profile), Diagnostics> {
    let mut prof = Profile::default();
    let g = generate_with(catalog, options, &mut prof)?;
    Ok((g, prof))
}

/// Generate the Rust code and the subjects export for a catalog. The code
/// is formatted with prettyplease when `options.format` is set (the default
/// when the `format` feature is built); otherwise it is token text on one
/// line (what rustc reads anyway, at a fraction of the cost).
pub fn generate(catalog: &Catalog, options: &Options) -> Result<Generated, Diagnostics> {
    generate_with(catalog, options, &mut Profile::default())
}

fn generate_with(
    catalog: &Catalog,
    options: &Options,
    prof: &mut Profile,
) -> Result<Generated, Diagnostics> {
    emit_text(catalog, options, prof)
}

/// Generate the Rust code as tokens, and the subjects export. Writes
/// nothing and prints nothing.
pub fn generate_tokens(
    catalog: &Catalog,
    options: &Options,
) -> Result<GeneratedTokens, Diagnostics> {
    let (raw, parts) = emit_all(catalog, options, &mut Profile::default())?;
    #[cfg(feature = "format")]
    parse_checked(raw.tokens.clone(), &parts)?;
    #[cfg(not(feature = "format"))]
    let _ = parts;
    Ok(raw)
}

/// Parse the whole file; when it does not parse, name the part that does
/// not (a bug in onex or in a generator), before rustc sees it.
#[cfg(feature = "format")]
fn parse_checked(file: TokenStream, parts: &[TokenStream]) -> Result<syn3::File, Diagnostics> {
    syn3::parse2::<syn3::File>(file).map_err(|e| {
        let culprit = parts.iter().find_map(|item| {
            syn3::parse2::<syn3::File>(item.clone())
                .err()
                .map(|e| (item.to_string(), e))
        });
        let detail = match culprit {
            Some((text, e)) => {
                format!("{e} in `{}...`", text.chars().take(300).collect::<String>())
            }
            None => e.to_string(),
        };
        let mut d = Diagnostics::default();
        d.push(Diagnostic::new(
            Code::SchemaParse,
            format!("internal: generated code does not parse: {detail}"),
        ));
        d
    })
}

/// Every item of the generated file, and its parts (payload modules and
/// topic items) for error reports.
/// The runtime path as tokens.
fn runtime_tokens(options: &Options) -> Result<TokenStream, Diagnostics> {
    options.runtime_path.parse().map_err(|_| {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::new(
            Code::InvalidName,
            format!("`{}` is not a Rust path", options.runtime_path),
        ));
        d
    })
}

/// What one topic version contributes: its payload module and its item in
/// `topics`.
struct TopicParts {
    payload_mod: TokenStream,
    topic_item: TokenStream,
    /// Indices of the extra attributes whose paths matched here.
    matched: Vec<usize>,
}

/// One topic version's parts. Depends on nothing but the topic and the
/// (read-only) catalog, so topics are emitted in parallel.
fn emit_topic(
    t: &Topic,
    catalog: &Catalog,
    options: &Options,
    attributes: &attrs::Attributes,
    rt: &TokenStream,
    prof: &mut Profile,
) -> Result<TopicParts, Diagnostic> {
    let module = format_ident!("{}", t.rust_name.to_snake_case());
    let root_name = json_root_name(t);
    let emitted = match t.schema.payload.format {
        SchemaFormat::JsonSchema => prof.time("json (typify)", || {
            json::emit(t, &root_name, &options.runtime_path)
        }),
        #[cfg(feature = "protobuf")]
        SchemaFormat::Protobuf => prof.time("proto (prost-build)", || {
            proto::emit(t, &options.runtime_path, rt)
        }),
        #[cfg(feature = "avro")]
        SchemaFormat::Avro => prof.time("avro", || avro::emit(t)),
        // The loader refuses these formats in such a build; a catalog
        // built by hand still gets a diagnostic, not a panic.
        #[cfg(not(all(feature = "protobuf", feature = "avro")))]
        other => Err(Diagnostic::new(
            Code::UnsupportedSchema,
            format!(
                "topic `{}`: this build of onex-codegen cannot generate {other:?} payloads (features `protobuf`, `avro`)",
                t.name
            ),
        )),
    }?;
    let payload_name = emitted
        .record_name
        .as_ref()
        .map_or(root_name.clone(), |rust| rust.to_upper_camel_case());
    let payload_ident = format_ident!("{}", payload_name);
    let alias = (payload_name != "Payload").then(|| {
        quote! {
            /// The payload type of this topic version.
            pub type Payload = #payload_ident;
        }
    });
    let mod_doc = doc_attr(&format!(
        "Payload of `{}` ({} `{}`, schema version {}).",
        t.name,
        match t.schema.payload.format {
            SchemaFormat::JsonSchema => "JSON Schema",
            SchemaFormat::Protobuf => "Protobuf",
            SchemaFormat::Avro => "Avro",
        },
        t.schema.payload.file,
        t.schema.version
    ));
    let tokens = match t.schema.payload.format {
        SchemaFormat::JsonSchema => prof.time("shared helpers", || {
            shared::share_typify_helpers(emitted.tokens, rt)
        }),
        SchemaFormat::Protobuf | SchemaFormat::Avro => emitted.tokens,
    };
    let tokens = pii::redact_debug(tokens, &payload_name, t, rt);
    let tokens = prof.time("serde paths", || {
        shared::route_serde(tokens, rt, &options.runtime_path)
    });
    let mut matched = std::collections::BTreeSet::new();
    let tokens = prof.time("user attributes", || {
        attributes.apply(tokens, &module.to_string(), &mut matched)
    });
    // After the user's attributes: a serde attribute the macro does not
    // handle keeps serde's derive.
    let tokens = &match t.schema.payload.format {
        SchemaFormat::JsonSchema | SchemaFormat::Avro => prof.time("serde_struct", || {
            lean_serde::apply(tokens, rt, &options.runtime_path)
        }),
        SchemaFormat::Protobuf => tokens,
    };
    let started = std::time::Instant::now();
    let payload_mod = quote! {
        #mod_doc
        pub mod #module {
            use #rt::__private::derive::*;
            #tokens
            #alias
        }
    };
    let topic_item = topic_type(
        t,
        emitted.message_index,
        &module,
        emitted.key.as_ref(),
        catalog,
        rt,
    );
    prof.add("topic items", started.elapsed());
    Ok(TopicParts {
        payload_mod,
        topic_item,
        matched: matched.into_iter().collect(),
    })
}

/// Each node's items in the `nodes` module, one node at a time.
fn node_streams<'a>(
    catalog: &'a Catalog,
    rt: &TokenStream,
) -> impl Iterator<Item = TokenStream> + 'a {
    let paths = node::NodePaths {
        api: quote! { super },
        runtime: rt.clone(),
    };
    catalog.nodes.iter().map(move |n| {
        let ident = format_ident!("{}", n.rust_name);
        node::node_items(catalog, n, &ident, true, &paths)
    })
}

/// Everything around the per-topic parts: the module headers, the nodes
/// (unless `with_nodes` is false), the enum and the subjects. Emitting
/// text passes no parts and no nodes, and splices their text into the
/// empty modules afterwards: the nodes' tokens alone took 320 MB at
/// 10,000 topics, their text a tenth of it.
fn skeleton(
    catalog: &Catalog,
    rt: &TokenStream,
    payload_mods: &[TokenStream],
    topic_items: &[TokenStream],
    with_nodes: bool,
) -> TokenStream {
    let enum_tokens = topic_enum(catalog, rt);
    let node_items = node_streams(catalog, rt).take(if with_nodes { usize::MAX } else { 0 });
    let subjects = subjects::table(catalog, rt);
    let envelope = envelope::rules_module(catalog, rt);
    // One clear error if the runtime lacks a format's feature.
    let uses = |f: SchemaFormat| catalog.topics.iter().any(|t| t.schema.payload.format == f);
    let require_protobuf =
        uses(SchemaFormat::Protobuf).then(|| quote! { #rt::__private::require_protobuf!(); });
    let require_avro =
        uses(SchemaFormat::Avro).then(|| quote! { #rt::__private::require_avro!(); });
    quote! {
        #require_protobuf
        #require_avro
        /// Payload types, one module per topic version, generated from the
        /// topics' schemas (typify for JSON Schema, prost-build for Protobuf,
        /// onex for Avro).
        // Third-party generators' code (typify, prost): onex does not
        // control its style, so no lint beyond rustc's defaults applies.
        #[allow(missing_docs, unused_imports, dead_code)]
        #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
        pub mod payloads {
            #(#payload_mods)*
        }

        /// One type per topic version, implementing the runtime's `Topic` trait.
        #[allow(dead_code)]
        pub mod topics {
            #(#topic_items)*
        }

        /// One type per node contract, with the topics it may publish and
        /// subscribe to as trait impls, and its handler trait.
        #[allow(dead_code)]
        pub mod nodes {
            #(#node_items)*
        }

        #envelope

        #enum_tokens

        #subjects
    }
}

/// One line: regenerating depends on how the file was made (`onex gen`, this
/// repository's `cargo xtask gen`, or a build script / `include_contracts!`,
/// which a plain rebuild reruns).
const HEADER: &str = "@generated by onex-codegen. Do not edit: change the contracts and regenerate (`onex gen --out DIR` for a checked-in copy, `cargo xtask gen` in the onex repository; build.rs output and `include_contracts!` are regenerated by `cargo build`).";

/// Every item of the generated file as one token stream (the proc macro's
/// path), and its parts (payload modules and topic items) for error reports.
fn emit_all(
    catalog: &Catalog,
    options: &Options,
    prof: &mut Profile,
) -> Result<(GeneratedTokens, Vec<TokenStream>), Diagnostics> {
    let rt = runtime_tokens(options)?;
    let attributes = attrs::Attributes::new(&options.type_attributes, &options.field_attributes)?;
    let mut diags = Diagnostics::default();
    let mut payload_mods = Vec::new();
    let mut topic_items = Vec::new();
    let mut matched = std::collections::BTreeSet::new();
    for t in &catalog.topics {
        match emit_topic(t, catalog, options, &attributes, &rt, prof) {
            Ok(p) => {
                payload_mods.push(p.payload_mod);
                topic_items.push(p.topic_item);
                matched.extend(p.matched);
            }
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    check_attributes_matched(&attributes, &matched)?;
    let started = std::time::Instant::now();
    let file = skeleton(catalog, &rt, &payload_mods, &topic_items, true);
    let subjects_json = subjects::json(catalog);
    prof.add("enum, nodes, subjects", started.elapsed());
    let parts = payload_mods.into_iter().chain(topic_items).collect();
    Ok((
        GeneratedTokens {
            tokens: file,
            subjects_json,
        },
        parts,
    ))
}

/// One topic's parts as text: formatted as they would be inside their
/// module of the whole file, or as token text.
/// With its cache key, when there is a cache.
type TopicText = Result<(cache::Parts, Option<String>), Diagnostic>;

/// The generated file as text, built in parallel: each worker emits a
/// contiguous run of topics and renders their parts (formats them, when
/// asked); the skeleton is rendered once and the parts spliced into its
/// empty `payloads` and `topics` modules in catalog order. The bytes are
/// the same for any number of threads, and (formatted) the same as
/// formatting the whole file at once, since prettyplease lays out each item
/// of a module on its own.
fn emit_text(
    catalog: &Catalog,
    options: &Options,
    prof: &mut Profile,
) -> Result<Generated, Diagnostics> {
    let rt = runtime_tokens(options)?;
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        n => n,
    }
    .clamp(1, catalog.topics.len().max(1));
    let chunk = catalog.topics.len().div_ceil(threads).max(1);
    // Checked here; each worker compiles its own (token streams are not
    // `Sync`).
    let attributes = attrs::Attributes::new(&options.type_attributes, &options.field_attributes)?;
    let cache = options.cache_dir.as_deref().map(cache::Cache::new);
    let cache = cache.as_ref();
    let keys = prof.time("cache keys (wall)", || {
        cache.map_or_else(Vec::new, |c| c.keys(catalog, options, threads))
    });
    let started = std::time::Instant::now();
    let results: Vec<(Vec<TopicText>, Profile)> = std::thread::scope(|s| {
        let workers: Vec<_> = catalog
            .topics
            .chunks(chunk)
            .zip(keys.chunks(chunk).map(Some).chain(std::iter::repeat(None)))
            .map(|(topics, keys)| {
                s.spawn(move || {
                    let mut prof = Profile::default();
                    let attributes =
                        attrs::Attributes::new(&options.type_attributes, &options.field_attributes)
                            .unwrap_or_default();
                    let attributes = &attributes;
                    let out = match runtime_tokens(options) {
                        Ok(rt) => topics
                            .iter()
                            .enumerate()
                            .map(|(i, t)| {
                                let key = cache.zip(keys.and_then(|k| k.get(i)).cloned());
                                if let Some(hit) = key.as_ref().and_then(|(c, k)| c.get(k)) {
                                    return Ok((hit, key.map(|(_, k)| k)));
                                }
                                let p =
                                    emit_topic(t, catalog, options, attributes, &rt, &mut prof)?;
                                let (m, i) = prof.time("render", || {
                                    (
                                        render_item(p.payload_mod, options.format),
                                        render_item(p.topic_item, options.format),
                                    )
                                });
                                let parts = (m?, i?, p.matched);
                                if let Some((c, k)) = &key {
                                    c.put(k, &parts);
                                }
                                Ok((parts, key.map(|(_, k)| k)))
                            })
                            .collect(),
                        Err(_) => Vec::new(),
                    };
                    (out, prof)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| (Vec::new(), Profile::default()))
            })
            .collect()
    });
    prof.add("topics (parallel, wall)", started.elapsed());
    let mut diags = Diagnostics::default();
    let mut payload_text = String::new();
    let mut topic_text = String::new();
    let mut done = 0usize;
    let mut used = std::collections::HashSet::new();
    let mut matched = std::collections::BTreeSet::new();
    for (out, p) in results {
        for (stage, d) in p.stages {
            prof.add(stage, d);
        }
        for r in out {
            if done >= catalog.topics.len() {
                break;
            }
            done += 1;
            match r {
                Ok(((m, i, hit), key)) => {
                    matched.extend(hit);
                    payload_text.push_str(&m);
                    topic_text.push_str(&i);
                    used.extend(key);
                }
                Err(d) => diags.push(d),
            }
        }
    }
    if done != catalog.topics.len() && !diags.has_errors() {
        diags.push(Diagnostic::new(
            Code::SchemaParse,
            "internal: a generation worker failed".to_owned(),
        ));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    check_attributes_matched(&attributes, &matched)?;
    if let Some(c) = cache {
        prof.time("cache", || c.prune(&used));
    }
    let started = std::time::Instant::now();
    let file = skeleton(catalog, &rt, &[], &[], false);
    let subjects_json = subjects::json(catalog);
    prof.add("enum, nodes, subjects", started.elapsed());
    let node_text = prof.time("nodes render", || {
        node_streams(catalog, &rt)
            .map(|n| render_item(n, options.format))
            .collect::<Result<String, Diagnostic>>()
    });
    let node_text = node_text.map_err(|d| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    })?;
    let body = prof
        .time("skeleton render", || {
            if options.format {
                format_file(file)
            } else {
                Ok(text::write(file))
            }
        })
        .map_err(|d| {
            let mut ds = Diagnostics::default();
            ds.push(d);
            ds
        })?;
    // The parts are spliced into the empty modules with one copy: the
    // output is the largest thing generation holds (170 MB at 10,000 topics).
    // (empty module, its head, its tail) in `body`.
    // Both printers write an empty module as `{}` and break the line after it.
    let modules = [
        ("pub mod payloads {}\n", "pub mod payloads {\n", "}\n"),
        ("pub mod topics {}\n", "pub mod topics {\n", "}\n"),
        ("pub mod nodes {}\n", "pub mod nodes {\n", "}\n"),
    ];
    let mut rust = String::with_capacity(
        HEADER.len() + body.len() + payload_text.len() + topic_text.len() + node_text.len() + 24,
    );
    rust.push_str("// ");
    rust.push_str(HEADER);
    rust.push_str("\n\n");
    let mut rest = body.as_str();
    for ((empty, head, tail), text) in
        modules
            .into_iter()
            .zip([payload_text, topic_text, node_text])
    {
        // (An empty module stays `{}`, as formatting the whole file writes it.)
        if let Some((before, after)) = rest.split_once(empty).filter(|_| !text.is_empty()) {
            rust.push_str(before);
            rust.push_str(head);
            rust.push_str(&text);
            rust.push_str(tail);
            rest = after;
        }
    }
    rust.push_str(rest);
    Ok(Generated {
        rust,
        subjects_json,
    })
}

/// An item of the `payloads` or `topics` module as text: formatted as
/// prettyplease lays it out inside a module (four spaces in), or as tokens.
fn render_item(item: TokenStream, format: bool) -> Result<String, Diagnostic> {
    if !format {
        return Ok(text::write(item));
    }
    let text = format_file(quote! { mod m { #item } })?;
    // `mod m {` ... `}`: keep what is between.
    let inner = text
        .strip_prefix("mod m {\n")
        .and_then(|t| t.strip_suffix("}\n"))
        .unwrap_or_default();
    Ok(inner.to_owned())
}

/// Format a file with prettyplease (when the `format` feature is built);
/// a part that does not parse is an internal error naming it.
#[cfg(feature = "format")]
fn format_file(tokens: TokenStream) -> Result<String, Diagnostic> {
    let snippet = || tokens.to_string().chars().take(300).collect::<String>();
    match syn3::parse2::<syn3::File>(tokens.clone()) {
        Ok(f) => Ok(prettyplease::unparse(&f)),
        Err(e) => Err(Diagnostic::new(
            Code::SchemaParse,
            format!(
                "internal: generated code does not parse: {e} in `{}...`",
                snippet()
            ),
        )),
    }
}

#[cfg(not(feature = "format"))]
fn format_file(tokens: TokenStream) -> Result<String, Diagnostic> {
    Ok(text::write(tokens))
}

/// The Rust name of a JSON Schema payload's root type: its `title`, else `Payload`.
fn json_root_name(t: &Topic) -> String {
    t.schema
        .payload
        .root
        .name
        .as_deref()
        .map(|n| n.to_upper_camel_case())
        .filter(|n| typify::accept_as_ident(n) && n.starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or_else(|| "Payload".to_owned())
}

fn class_tokens(class: &str, rt: &TokenStream) -> TokenStream {
    let known = [
        "evt", "cmd", "qrs", "ctl", "dlt", "rty", "cdc", "met", "aud", "log",
    ];
    if known.contains(&class) {
        let v = format_ident!("{}", class.to_upper_camel_case());
        quote! { #rt::TopicClass::#v }
    } else {
        quote! { #rt::TopicClass::Other(#class) }
    }
}

fn cleanup_tokens(c: CleanupPolicy, rt: &TokenStream) -> TokenStream {
    match c {
        CleanupPolicy::Delete => quote! { #rt::CleanupPolicy::Delete },
        CleanupPolicy::Compact => quote! { #rt::CleanupPolicy::Compact },
        CleanupPolicy::CompactDelete => quote! { #rt::CleanupPolicy::CompactDelete },
    }
}

fn compat_tokens(c: Compatibility, rt: &TokenStream) -> TokenStream {
    let v = format_ident!(
        "{}",
        match c {
            Compatibility::Backward => "Backward",
            Compatibility::BackwardTransitive => "BackwardTransitive",
            Compatibility::Forward => "Forward",
            Compatibility::ForwardTransitive => "ForwardTransitive",
            Compatibility::Full => "Full",
            Compatibility::FullTransitive => "FullTransitive",
            Compatibility::None => "None",
        }
    );
    quote! { #rt::Compatibility::#v }
}

fn schema_type_tokens(f: SchemaFormat, rt: &TokenStream) -> TokenStream {
    match f {
        SchemaFormat::JsonSchema => quote! { #rt::SchemaType::Json },
        SchemaFormat::Protobuf => quote! { #rt::SchemaType::Protobuf },
        SchemaFormat::Avro => quote! { #rt::SchemaType::Avro },
    }
}

fn topic_docs(t: &Topic) -> String {
    let mut lines = Vec::new();
    lines.push(
        t.description
            .clone()
            .unwrap_or_else(|| format!("Topic `{}`.", t.name)),
    );
    lines.push(String::new());
    lines.push(format!("- Wire name: `{}`", t.name));
    if let Some(s) = &t.semantic {
        lines.push(format!("- Semantic: {s}"));
    }
    if let Some(o) = &t.owner {
        let contact = o
            .contact
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        lines.push(format!("- Owner: {}{contact}", o.team));
    }
    if let Some(sla) = &t.sla {
        let mut parts = Vec::new();
        if let Some(d) = &sla.description {
            parts.push(d.clone());
        }
        if let Some(f) = sla.frequency_ms {
            parts.push(format!("every {}", Millis(f)));
        }
        if let Some(l) = sla.max_lag_ms {
            parts.push(format!("max lag {}", Millis(l)));
        }
        if let Some(l) = sla.publish_latency_p95_ms {
            parts.push(format!("p95 publish latency {}", Millis(l)));
        }
        if !parts.is_empty() {
            lines.push(format!("- SLA: {}", parts.join(", ")));
        }
    }
    lines.push(format!(
        "- Retention: {} (`cleanup.policy={}`), {} partitions",
        Millis(t.retention_ms),
        match t.cleanup_policy {
            CleanupPolicy::Delete => "delete",
            CleanupPolicy::Compact => "compact",
            CleanupPolicy::CompactDelete => "compact,delete",
        },
        t.partitions
    ));
    let why = t
        .key
        .description
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    lines.push(match t.key.source {
        KeySource::Payload => format!("- Key: `{}`{why}", t.key.field()),
        KeySource::Envelope => format!("- Key: envelope `{}`{why}", t.key.field()),
        KeySource::None => "- Key: none (keyless; Kafka's partitioner spreads records)".to_owned(),
    });
    lines.push(format!(
        "- Schema: `{}`, version {}, {:?} compatibility",
        t.schema.payload.file, t.schema.version, t.schema.compatibility
    ));
    if !t.aliases.is_empty() {
        lines.push(format!(
            "- Legacy aliases: {}",
            t.aliases
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(d) = &t.deprecated {
        lines.push(format!("- Deprecated: {}", d.reason));
    }
    lines.push(format!("- Contract: `{}`", t.file));
    lines.join("\n")
}

/// How items of the generated `topics` module name the file's root (where
/// `payloads` and `EnumOnexTopic` stand): its parent module.
fn topics_parent() -> TokenStream {
    quote! { super }
}

fn topic_type(
    t: &Topic,
    message_index: u32,
    module: &proc_macro2::Ident,
    key: Option<&KeyAccess>,
    catalog: &Catalog,
    rt: &TokenStream,
) -> TokenStream {
    let parent = topics_parent();
    let ident = format_ident!("{}", t.rust_name);
    let docs = doc_attr(&topic_docs(t));
    let name = t.name.to_string();
    let context = &t.id.context;
    let class = class_tokens(&t.id.class, rt);
    let topic = &t.id.topic;
    let major = int_lit(t.id.major);
    let partitions = int_lit(t.partitions);
    let retention = int_lit(t.retention_ms);
    let cleanup = cleanup_tokens(t.cleanup_policy, rt);
    let key_field = t.key.field();
    let subjects = t.subjects(catalog.settings.subject_strategy);
    let value_subject = subjects.value;
    // Empty for a keyless topic, as `KEY_FIELD` is.
    let key_subject = subjects.key.unwrap_or_default();
    let schema_type = schema_type_tokens(t.schema.payload.format, rt);
    let schema_version = &t.schema.version;
    let compat = compat_tokens(t.schema.compatibility, rt);
    let owner = match &t.owner {
        Some(o) => {
            let team = &o.team;
            quote! { ::core::option::Option::Some(#team) }
        }
        None => quote! { ::core::option::Option::None },
    };
    let aliases = &t.aliases;
    let deprecated = t.deprecated.is_some();
    let mut policies = runtime_policies(t, catalog, rt);
    policies.extend(envelope::topic_rules(t, catalog, rt));
    let request = envelope::request_impl(t, catalog, rt);
    if message_index > 0 {
        policies.extend(quote! { const MESSAGE_INDEX: u32 = #message_index; });
    }
    let (key_ty, key_expr, key_param) = match key {
        Some(key) => {
            let expr = &key.expr;
            let (ty, e) = match &key.ty {
                KeyTy::Str => (quote! { &'a str }, quote! { #expr.as_str() }),
                KeyTy::Int(i) => (quote! { #i }, quote! { #expr }),
                KeyTy::Bytes => (quote! { &'a [u8] }, quote! { #expr.as_slice() }),
                KeyTy::Display(path) => (
                    quote! { #rt::DisplayKey<'a, #parent::payloads::#module::#path> },
                    quote! { #rt::DisplayKey(&#expr) },
                ),
            };
            (ty, e, quote! { payload })
        }
        // An envelope key or none: the codec reads `KEY_SOURCE`.
        None => {
            let source = match t.key.source {
                KeySource::Envelope => {
                    let f = envelope::field(&t.key.field(), rt);
                    quote! { #rt::KeySource::Envelope(#f) }
                }
                _ => quote! { #rt::KeySource::None },
            };
            policies.extend(quote! { const KEY_SOURCE: #rt::KeySource = #source; });
            (
                quote! { #rt::NoPayloadKey },
                quote! { #rt::NoPayloadKey },
                quote! { _ },
            )
        }
    };
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct #ident;

        impl #rt::Topic for #ident {
            const NAME: &'static str = #name;
            const CONTEXT: &'static str = #context;
            const CLASS: #rt::TopicClass = #class;
            const TOPIC: &'static str = #topic;
            const MAJOR: u32 = #major;
            const PARTITIONS: u32 = #partitions;
            const RETENTION_MS: u64 = #retention;
            const CLEANUP_POLICY: #rt::CleanupPolicy = #cleanup;
            const KEY_FIELD: &'static str = #key_field;
            const VALUE_SUBJECT: &'static str = #value_subject;
            const KEY_SUBJECT: &'static str = #key_subject;
            const SCHEMA_TYPE: #rt::SchemaType = #schema_type;
            const SCHEMA_VERSION: &'static str = #schema_version;
            const COMPATIBILITY: #rt::Compatibility = #compat;
            const OWNER: ::core::option::Option<&'static str> = #owner;
            const ALIASES: &'static [&'static str] = &[#(#aliases),*];
            const DEPRECATED: bool = #deprecated;
            #policies
            type Payload = #parent::payloads::#module::Payload;
            type Key<'a> = #key_ty;
            fn key(#key_param: &Self::Payload) -> Self::Key<'_> {
                #key_expr
            }
        }

        impl #ident {
            /// This topic in [`EnumOnexTopic`](super::EnumOnexTopic).
            pub const ENUM: #parent::EnumOnexTopic = #parent::EnumOnexTopic::#ident;
        }

        #request
    }
}

/// What the transports obey at run time: the retry policy, the dead-letter
/// topic, the PII classification, and for binary formats the payload codec.
fn runtime_policies(t: &Topic, catalog: &Catalog, rt: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(r) = &t.retry {
        let tiers = r.tiers_ms.iter().map(|&ms| int_lit(ms));
        let max = match r.max_attempts {
            Some(m) => quote! { ::core::option::Option::Some(#m) },
            None => quote! { ::core::option::Option::None },
        };
        let target = r.topic.as_ref().and_then(|id| catalog.topic(id));
        let (topic, partitions) = match target {
            Some(rt_topic) => {
                let name = rt_topic.name.to_string();
                (
                    quote! { ::core::option::Option::Some(#name) },
                    rt_topic.partitions,
                )
            }
            None => (quote! { ::core::option::Option::None }, t.partitions),
        };
        out.extend(quote! {
            const RETRY: ::core::option::Option<#rt::RetryPolicy> = ::core::option::Option::Some(#rt::RetryPolicy {
                tiers_ms: &[#(#tiers),*],
                max_attempts: #max,
                topic: #topic,
                topic_partitions: #partitions,
            });
        });
    }
    if let Some(d) = t
        .dlt
        .as_ref()
        .and_then(|d| d.topic.as_ref())
        .and_then(|id| catalog.topic(id))
    {
        let name = d.name.to_string();
        let partitions = d.partitions;
        out.extend(quote! {
            const DEAD_LETTER: ::core::option::Option<#rt::DeadLetter> = ::core::option::Option::Some(#rt::DeadLetter {
                topic: #name,
                partitions: #partitions,
            });
        });
    }
    if !t.pii.is_empty() {
        let fields = t.pii.iter().map(|(path, info)| {
            let level = match info.level {
                crate::model::vocab::PiiLevel::None => quote! { #rt::PiiLevel::None },
                crate::model::vocab::PiiLevel::Low => quote! { #rt::PiiLevel::Low },
                crate::model::vocab::PiiLevel::High => quote! { #rt::PiiLevel::High },
            };
            let enc = match &info.encryption {
                Some(e) => quote! { ::core::option::Option::Some(#e) },
                None => quote! { ::core::option::Option::None },
            };
            quote! { #rt::PiiField { path: #path, level: #level, encryption: #enc } }
        });
        out.extend(quote! {
            const PII: &'static [#rt::PiiField] = &[#(#fields),*];
        });
    }
    match t.schema.payload.format {
        SchemaFormat::JsonSchema => {
            if json::strict_decoding(t) {
                out.extend(quote! { const STRICT_DECODING: bool = true; });
            }
        }
        SchemaFormat::Protobuf => out.extend(quote! {
            fn encode_payload(payload: &Self::Payload) -> ::core::result::Result<::std::vec::Vec<u8>, #rt::CodecError> {
                ::core::result::Result::Ok(#rt::__private::prost::Message::encode_to_vec(payload))
            }
            fn decode_payload(bytes: &[u8]) -> ::core::result::Result<Self::Payload, #rt::CodecError> {
                <Self::Payload as #rt::__private::prost::Message>::decode(bytes)
                    .map_err(|e| #rt::CodecError::Payload(e.to_string()))
            }
        }),
        SchemaFormat::Avro => {
            // The schema text is written once, in the payload module.
            let module = format_ident!("{}", t.rust_name.to_snake_case());
            let parent = topics_parent();
            let schema = quote! { #parent::payloads::#module::AVRO_SCHEMA };
            out.extend(quote! {
                fn encode_payload(payload: &Self::Payload) -> ::core::result::Result<::std::vec::Vec<u8>, #rt::CodecError> {
                    #rt::__private::avro_encode(#schema, payload)
                }
                fn decode_payload(bytes: &[u8]) -> ::core::result::Result<Self::Payload, #rt::CodecError> {
                    #rt::__private::avro_decode(#schema, bytes)
                }
            });
        }
    }
    out
}

fn topic_enum(catalog: &Catalog, rt: &TokenStream) -> TokenStream {
    let idents: Vec<_> = catalog
        .topics
        .iter()
        .map(|t| format_ident!("{}", t.rust_name))
        .collect();
    // A catalog without topics has an empty enum: `visit` and `resolve`
    // then have nothing to do, and the table import nothing to name.
    let empty = idents.is_empty();
    let empty_allow = empty.then(|| {
        quote! { #[allow(unused_variables, unreachable_code, clippy::needless_pass_by_value, clippy::missing_const_for_fn)] }
    });
    let facts = if empty {
        quote! { &[] }
    } else {
        quote! {{
            use #rt::__private::Facts as F;
            &[#(F::of::<topics::#idents>()),*]
        }}
    };
    let variant_docs = catalog.topics.iter().map(|t| {
        doc_attr(&format!(
            "`{}`: {}",
            t.name,
            t.description.as_deref().unwrap_or("(no description)")
        ))
    });
    // One accessor per fact, each reading the topic's row of `FACTS`
    // (built from the topic types' constants), not a `match` per accessor.
    let accessor = |fname: &str, ty: TokenStream, doc: &str| {
        let f = format_ident!("{}", fname);
        quote! {
            #[doc = #doc]
            #[must_use]
            pub const fn #f(self) -> #ty {
                self.facts().#f
            }
        }
    };
    let str_ty = quote! { &'static str };
    let accessors = [
        accessor("name", str_ty.clone(), " Wire name or name template."),
        accessor("context", str_ty.clone(), " Bounded context."),
        accessor("class", quote! { #rt::TopicClass }, " Stream class."),
        accessor("topic", str_ty.clone(), " Topic segment."),
        accessor("major", quote! { u32 }, " Major version."),
        accessor("partitions", quote! { u32 }, " Partition count."),
        accessor("retention_ms", quote! { u64 }, " `retention.ms`."),
        accessor(
            "cleanup_policy",
            quote! { #rt::CleanupPolicy },
            " `cleanup.policy`.",
        ),
        accessor("key_field", str_ty.clone(), " Payload field of the key."),
        accessor("value_subject", str_ty.clone(), " Value subject."),
        accessor("key_subject", str_ty.clone(), " Key subject."),
        accessor(
            "schema_type",
            quote! { #rt::SchemaType },
            " Value schema type.",
        ),
        accessor("schema_version", str_ty, " Payload schema version."),
        accessor(
            "compatibility",
            quote! { #rt::Compatibility },
            " Compatibility mode.",
        ),
        accessor(
            "owner",
            quote! { ::core::option::Option<&'static str> },
            " Owning team.",
        ),
        accessor(
            "aliases",
            quote! { &'static [&'static str] },
            " Legacy aliases.",
        ),
        accessor(
            "is_deprecated",
            quote! { bool },
            " Deprecated topic version?",
        ),
    ];
    let count = idents.len();
    let lookup = lookup_tokens(catalog, rt);
    let aliases = alias_tokens(catalog, rt);
    quote! {
        /// Every topic version of the catalog.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[allow(dead_code)]
        pub enum EnumOnexTopic {
            #( #variant_docs #idents, )*
        }

        #[allow(dead_code)]
        impl EnumOnexTopic {
            /// Every topic version, in catalog order.
            pub const ALL: &'static [Self] = &[#(Self::#idents),*];
            /// Number of topic versions.
            pub const COUNT: usize = #count;

            /// Every topic's facts, in variant order (a variant's value is its index).
            const FACTS: &'static [#rt::__private::Facts] = #facts;

            /// This topic's facts.
            // The index is in range: variants are numbered 0.. in the order of `FACTS`.
            #[allow(clippy::indexing_slicing)]
            const fn facts(self) -> &'static #rt::__private::Facts {
                &Self::FACTS[self as usize]
            }

            #(#accessors)*

            /// Call `visitor` with this topic's type (see the runtime's `TopicVisitor`).
            #[must_use]
            #empty_allow
            pub fn visit<V: #rt::TopicVisitor>(self, visitor: V) -> V::Output {
                match self { #(Self::#idents => visitor.visit::<topics::#idents>(),)* }
            }

            /// Resolve a wire name (template, or concrete with env and tenant
            /// bound) or a legacy alias. An alias resolves, and the result says
            /// so: legacy names are deprecated (seed 001 §9).
            #[must_use]
            #empty_allow
            pub fn resolve(name: &str) -> ::core::option::Option<#rt::Resolved<Self>> {
                if let ::core::option::Option::Some(t) = Self::lookup(name) {
                    return ::core::option::Option::Some(#rt::Resolved::canonical(t));
                }
                #aliases
            }

            /// The topic whose wire name (template or concrete) is `name`:
            /// a `match` on its literal segments, no scan.
            #[allow(clippy::too_many_lines, clippy::match_same_arms)]
            #empty_allow
            fn lookup(name: &str) -> ::core::option::Option<Self> {
                #lookup
            }
        }

        impl ::core::str::FromStr for EnumOnexTopic {
            type Err = #rt::UnknownTopic;
            /// Accepts wire names and legacy aliases; use [`EnumOnexTopic::resolve`]
            /// to learn whether an alias was used.
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::resolve(s).map(|r| r.topic).ok_or_else(|| #rt::UnknownTopic::new(s))
            }
        }

        impl ::core::fmt::Display for EnumOnexTopic {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl #rt::__private::serde::Serialize for EnumOnexTopic {
            fn serialize<S: #rt::__private::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> #rt::__private::serde::Deserialize<'de> for EnumOnexTopic {
            fn deserialize<D: #rt::__private::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as #rt::__private::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(<D::Error as #rt::__private::serde::de::Error>::custom)
            }
        }
    }
}

/// `EnumOnexTopic::lookup`'s body: topics grouped by how many leading
/// segments of their wire name are bound at run time (`{env}.{tenant}.` is
/// two, a static name none); per group one `match` on the rest of the name.
/// Names with an open segment after a literal one (rare) are matched by
/// `name_matches` over that group alone. When groups overlap, the topic
/// first in catalog order wins, as a scan would.
fn lookup_tokens(catalog: &Catalog, rt: &TokenStream) -> TokenStream {
    use crate::model::naming::NamePart;
    let mut groups: std::collections::BTreeMap<usize, Vec<(String, proc_macro2::Ident)>> =
        std::collections::BTreeMap::new();
    let mut scanned = Vec::new();
    for t in &catalog.topics {
        let ident = format_ident!("{}", t.rust_name);
        let open = t
            .name
            .parts
            .iter()
            .take_while(|p| !matches!(p, NamePart::Literal(_)))
            .count();
        let rest: Vec<&str> = t
            .name
            .parts
            .iter()
            .skip(open)
            .map(|p| match p {
                NamePart::Literal(l) => Some(l.as_str()),
                NamePart::Env | NamePart::Tenant => None,
            })
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default();
        if rest.is_empty() {
            scanned.push(ident);
        } else {
            groups
                .entry(open)
                .or_default()
                .push((rest.join("."), ident));
        }
    }
    let mut parts = Vec::new();
    for (open, arms) in groups {
        // First on the length, then on the text: rustc tries a string
        // `match`'s arms one by one, so this keeps each lookup to the few
        // names of its length (BENCHMARKS.md: `from_str`).
        let mut seen = std::collections::BTreeSet::new();
        let mut by_len: std::collections::BTreeMap<usize, Vec<TokenStream>> =
            std::collections::BTreeMap::new();
        for (lit, ident) in &arms {
            if seen.insert(lit.clone()) {
                by_len
                    .entry(lit.len())
                    .or_default()
                    .push(quote! { #lit => Some(Self::#ident), });
            }
        }
        let subject = if open == 0 {
            quote! { name }
        } else {
            quote! { rest }
        };
        let lens = by_len.into_iter().map(|(len, arms)| {
            let len = proc_macro2::Literal::usize_unsuffixed(len);
            quote! { #len => match #subject { #(#arms)* _ => None }, }
        });
        let hit = quote! { match #subject.len() { #(#lens)* _ => None } };
        parts.push(if open == 0 {
            hit
        } else {
            quote! { #rt::__private::strip_segments(name, #open).and_then(|rest| #hit) }
        });
    }
    if !scanned.is_empty() {
        parts.push(quote! {
            [#(Self::#scanned),*].into_iter().find(|t| #rt::name_matches(t.name(), name))
        });
    }
    match parts.as_slice() {
        [] => quote! { let _ = name; None },
        [one] => one.clone(),
        [first, more @ .., last] => quote! {
            let found = #first;
            #(let found = #rt::__private::first_of(found, #more);)*
            #rt::__private::first_of(found, #last)
        },
    }
}

/// The alias arm of `EnumOnexTopic::resolve`: one `match`, the first topic
/// (in catalog order) declaring an alias wins.
fn alias_tokens(catalog: &Catalog, rt: &TokenStream) -> TokenStream {
    let mut seen = std::collections::BTreeSet::new();
    let arms = catalog.topics.iter().flat_map(|t| {
        let ident = format_ident!("{}", t.rust_name);
        t.aliases
            .iter()
            .filter(|a| seen.insert(a.as_str()))
            .map(move |a| quote! { #a => Some(#rt::Resolved::alias(Self::#ident, #a)), })
            .collect::<Vec<_>>()
    });
    let arms: Vec<TokenStream> = arms.collect();
    if arms.is_empty() {
        return quote! { None };
    }
    quote! {
        match name {
            #(#arms)*
            _ => None,
        }
    }
}
