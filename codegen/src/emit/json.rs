//! JSON Schema payloads through typify.

use proc_macro2::{Delimiter, Group, Punct, Spacing, TokenStream, TokenTree};
use quote::{format_ident, quote};
use serde_json::Value;

use super::{Emitted, KeyAccess, KeyTy, field_ident};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::Topic;
use crate::model::payload::Parsed;

/// Keywords typify would turn into extra types or crates (`regress` for
/// patterns, newtypes for length limits, chrono/uuid for formats). Payload
/// structs keep plain `String`s so that samples round-trip byte-for-byte;
/// the constraints stay in the schema the registry and the linter check.
const STRIPPED: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "examples",
];

fn strip(v: &Value) -> Value {
    match v {
        Value::Object(o) => {
            let required: Vec<&str> = o
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut out: serde_json::Map<String, Value> = o
                .iter()
                .filter(|(k, _)| {
                    !STRIPPED.contains(&k.as_str())
                        && !k.starts_with("x-")
                        && k.as_str() != "patternProperties"
                })
                .map(|(k, v)| {
                    // Values, not schemas: as written.
                    if matches!(k.as_str(), "default" | "const" | "enum") {
                        return (k.clone(), v.clone());
                    }
                    // Definition names are data, not keywords: keep them all.
                    if matches!(k.as_str(), "$defs" | "definitions" | "dependentSchemas") {
                        if let Value::Object(defs) = v {
                            let defs = defs.iter().map(|(name, d)| (name.clone(), strip(d)));
                            return (k.clone(), Value::Object(defs.collect()));
                        }
                    }
                    // Property names are data, not keywords: keep them all.
                    if k == "properties" {
                        if let Value::Object(props) = v {
                            let props = props.iter().map(|(p, s)| {
                                let mut s = strip(s);
                                if !required.contains(&p.as_str()) && nullable(&s) {
                                    mark_keep_null(&mut s);
                                }
                                (p.clone(), s)
                            });
                            return (k.clone(), Value::Object(props.collect()));
                        }
                    }
                    if let (true, Value::String(d)) = (k == "description", v) {
                        // Each line a doc line: no code span left open.
                        let lines: Vec<_> = d.split('\n').map(super::balance_backticks).collect();
                        return (k.clone(), Value::String(lines.join("\n")));
                    }
                    (k.clone(), strip(v))
                })
                .collect();
            // `patternProperties` as a map of the pattern's values (typify
            // would match the keys with the `regress` crate): keys stay
            // `String`s, the patterns stay in the schema for the registry
            // and the linter, as `pattern` does.
            // Of the pattern's values when they are the only keys allowed
            // (`additionalProperties: false`) and all alike, else of any
            // value (other keys are allowed).
            if let Some(Value::Object(patterns)) = o.get("patternProperties") {
                let mut schemas: Vec<Value> = Vec::new();
                for v in patterns.values().map(strip) {
                    if !schemas.contains(&v) {
                        schemas.push(v);
                    }
                }
                let closed = matches!(out.get("additionalProperties"), Some(Value::Bool(false)));
                let values = match (closed, schemas.as_slice()) {
                    (true, [one]) => one.clone(),
                    _ => Value::Object(serde_json::Map::new()),
                };
                out.insert("additionalProperties".to_owned(), values);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
        other => other.clone(),
    }
}

/// Ends the description of an optional property that may be `null`.
/// typify writes `Option<T>` for an optional property whether or not it may
/// be `null`, so absent and `null` would read alike; the mark finds the
/// field in typify's output, where [`Rewrite`] makes it
/// `Option<Option<T>>` and removes the mark.
const KEEP_NULL: &str = "onex:keep-null";

/// May this (inline) schema be `null`: `type` lists `null`, an `anyOf` or
/// `oneOf` branch is `null`, or `enum` lists it? (A `$ref` to a nullable
/// definition becomes a named type of its own, which keeps `null` apart.)
fn nullable(s: &Value) -> bool {
    let is_null_type = |t: &Value| match t {
        Value::String(t) => t == "null",
        Value::Array(ts) => ts.iter().any(|t| t == "null"),
        _ => false,
    };
    let Value::Object(o) = s else { return false };
    o.get("type").is_some_and(is_null_type)
        || ["anyOf", "oneOf"].iter().any(|k| {
            o.get(*k).and_then(Value::as_array).is_some_and(|branches| {
                branches
                    .iter()
                    .any(|b| b.get("type").is_some_and(is_null_type))
            })
        })
        || o.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(Value::is_null))
}

fn mark_keep_null(s: &mut Value) {
    if let Value::Object(o) = s {
        let text = match o.get("description").and_then(Value::as_str) {
            Some(d) => format!("{d}\n\n{KEEP_NULL}"),
            None => KEEP_NULL.to_owned(),
        };
        o.insert("description".to_owned(), Value::String(text));
    }
}

/// Does the payload schema opt into strict decoding (`"x-onex-decoding":
/// "strict"` at its root)? Otherwise consumers ignore unknown fields, so a
/// producer one minor ahead does not break them (seed 004: "consumers must
/// be forward-compatible within a major").
pub(super) fn strict_decoding(topic: &Topic) -> bool {
    match &topic.schema.payload.parsed {
        Parsed::Json(b) => b.get("x-onex-decoding").and_then(Value::as_str) == Some("strict"),
        // Only JSON Schema in a build without `protobuf` and `avro`.
        #[allow(unreachable_patterns)]
        _ => false,
    }
}

pub(super) fn emit(topic: &Topic, root_name: &str, rt_path: &str) -> Result<Emitted, Diagnostic> {
    let fail = |msg: String| {
        Diagnostic::new(Code::SchemaParse, msg)
            .at(Location::file(topic.schema.payload.file.clone()))
            .help("simplify the schema, or report it: onex hands JSON Schema to typify")
    };
    #[allow(irrefutable_let_patterns)] // without `protobuf` and `avro`
    let Parsed::Json(bundled) = &topic.schema.payload.parsed else {
        return Err(fail("internal: not a JSON Schema payload".to_owned()));
    };
    let schema: schemars08::schema::Schema =
        serde_json::from_value(strip(bundled)).map_err(|e| {
            fail(format!(
                "the schema is not a JSON Schema typify can read: {e}"
            ))
        })?;
    // typify panics on some schemas it cannot handle; turn that into a diagnostic.
    let root_name = root_name.to_owned();
    let given_name = root_name.clone();
    let key_path = topic.key.payload_path().map(<[String]>::to_vec);
    // Only typify's own calls run where a panic is expected (and reported
    // as the schema's problem); onex's code around them panics as a bug.
    let added = crate::diagnostic::panics::expected(move || {
        let mut settings = typify::TypeSpaceSettings::default();
        settings.with_derive("PartialEq".to_owned());
        // Ordered maps, as Avro's and Protobuf's: the same value encodes to
        // the same bytes in every process (a `HashMap`'s order is random).
        settings.with_map_type("::std::collections::BTreeMap");
        let mut space = typify::TypeSpace::new(&settings);
        let id = space.add_type_with_name(&schema, Some(given_name));
        (space, id)
    });
    let cannot = |e: &dyn std::fmt::Display| {
        fail(format!(
            "typify cannot generate a type for this schema: {e}"
        ))
    };
    let (space, id) = match added {
        Ok((space, Ok(id))) => (space, id),
        Ok((_, Err(e))) => return Err(cannot(&e)),
        Err(panic) => return Err(typify_panic(topic, &fail, &*panic)),
    };
    let key = match &key_path {
        Some(path) => Some(key_access(&space, &id, path).map_err(|e| cannot(&e))?),
        None => None,
    };
    // A root typify maps to a type it does not name (an array, a
    // string, a `$ref` to one) gets the payload's name as an alias.
    let ty = space.get_type(&id).map_err(|e| cannot(&e))?.ident();
    let mut tokens = match crate::diagnostic::panics::expected(|| space.to_stream()) {
        Ok(t) => t,
        Err(panic) => return Err(typify_panic(topic, &fail, &*panic)),
    };
    if ty.to_string() != root_name {
        let name = format_ident!("{}", root_name);
        tokens.extend(quote! {
            /// The payload type of this topic version.
            pub type #name = #ty;
        });
    }
    let pass = Rewrite {
        allow_unknown: !strict_decoding(topic),
        rt_path,
    };
    let tokens = pass.items(tokens);
    Ok(Emitted {
        tokens,
        key,
        record_name: None,
        message_index: 0,
    })
}

/// A typify panic as a diagnostic: typify states what it could not handle
/// in its message (its first line, without the schema it dumps after it),
/// located at the keyword when it names one.
fn typify_panic(
    topic: &Topic,
    fail: &dyn Fn(String) -> Diagnostic,
    panic: &(dyn std::any::Any + Send),
) -> Diagnostic {
    let what = crate::diagnostic::panics::message(panic);
    let first = what.lines().next().unwrap_or_default();
    let first = first
        .split_once(": {")
        .or_else(|| first.split_once(" Object("))
        .map_or(first, |(head, _)| head);
    let what: String = first.chars().take(200).collect();
    let keyword = [
        ("if/then/else", "if"),
        ("not schema", "not"),
        ("`not`", "not"),
    ]
    .into_iter()
    .find(|(word, _)| what.contains(word))
    .map(|(_, key)| key);
    let d = fail(format!("typify cannot generate a type for this schema: {what}"))
        .help("this JSON Schema construct has no Rust type in typify: express it without it (e.g. `oneOf` of objects instead of `if`/`then`, an `enum` instead of `not`), or report it");
    let text = &topic.schema.payload.text;
    // The keyword as a key (`"if":`), not a property or a word in a text.
    let at = keyword.and_then(|k| {
        let quoted = format!("\"{k}\"");
        text.match_indices(&quoted)
            .map(|(i, _)| i)
            .find(|&i| {
                text.get(i + quoted.len()..)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map(|i| (i, quoted.len()))
    });
    match at {
        Some((offset, len)) => {
            let file = crate::diagnostic::source::SourceFile::from_text(
                topic.schema.payload.file.clone(),
                std::path::PathBuf::new(),
                text.clone(),
            );
            file.attach(d, file.location_of_offset(offset, len))
        }
        None => d,
    }
}

/// Walk the key path through typify's types: the accessor expression and the
/// key type.
fn key_access(
    space: &typify::TypeSpace,
    root: &typify::TypeId,
    path: &[String],
) -> Result<KeyAccess, String> {
    let mut id = root.clone();
    let mut expr = quote! { payload };
    for seg in path {
        let ty = space.get_type(&id).map_err(|e| e.to_string())?;
        let typify::TypeDetails::Struct(s) = ty.details() else {
            return Err(format!("`{seg}`: the enclosing type is not a struct"));
        };
        // typify names properties by their Rust field (`item_id` for
        // `item-id`, `type_` for `type`): match either spelling, and use its.
        let rust = field_ident(seg).to_string();
        let Some(prop) = s
            .properties_info()
            .find(|p| p.name == seg || p.name == rust)
        else {
            return Err(format!("no property `{seg}`"));
        };
        let ident = quote::format_ident!("{}", prop.name);
        expr = quote! { #expr.#ident };
        id = prop.type_id.clone();
    }
    let mut ty = space.get_type(&id).map_err(|e| e.to_string())?;
    // An integer `enum` is a newtype over the integer (with a checked
    // `TryFrom`): the key is the integer it derefs to.
    let newtype_of = match ty.details() {
        typify::TypeDetails::Newtype(n) => Some(n.inner()),
        _ => None,
    };
    if let Some(inner_id) = newtype_of {
        let inner = space.get_type(&inner_id).map_err(|e| e.to_string())?;
        if matches!(
            inner.ident().to_string().as_str(),
            "i64" | "u64" | "i32" | "u32"
        ) {
            expr = quote! { *#expr };
            ty = inner;
        }
    }
    let name: String = ty
        .ident()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Ok(match name.as_str() {
        "String" | "::std::string::String" => KeyAccess {
            ty: KeyTy::Str,
            expr,
        },
        "i64" | "u64" | "i32" | "u32" => KeyAccess {
            ty: KeyTy::Int(format_ident!("{}", name)),
            expr,
        },
        _ => KeyAccess {
            ty: KeyTy::Display(ty.ident()),
            expr,
        },
    })
}

/// One pass over typify's output, item by item (recursing only into
/// modules: struct bodies and item attributes are all it changes, and
/// rebuilding every token of every impl cost more than typify):
/// - typify's `#[serde(deny_unknown_fields)]` (from `additionalProperties:
///   false`) is dropped unless the schema opts into strict decoding: the
///   schema stays closed for producers and the registry, while decoding
///   tolerates fields a newer minor added;
/// - struct fields keep absent apart from `[]`, `{}` and `null`, so that a
///   payload re-serialises to the JSON it was read from: an optional array
///   or map (typify: `Vec<T>` / map, `default`, skipped when empty) becomes
///   `Option<Vec<T>>` / `Option<map>`, skipped when `None`; an optional
///   property that may be `null` (marked by [`strip`]) becomes
///   `Option<Option<T>>`: absent is `None`, `null` is `Some(None)`;
/// - every [`KEEP_NULL`] mark is removed from the docs.
struct Rewrite<'a> {
    allow_unknown: bool,
    rt_path: &'a str,
}

impl Rewrite<'_> {
    fn items(&self, tokens: TokenStream) -> TokenStream {
        // Reversed, so that `pop` hands over each token: a body's stream is
        // then iterated by its last owner, without copying it.
        let mut input: Vec<TokenTree> = tokens.into_iter().collect();
        input.reverse();
        let mut out: Vec<TokenTree> = Vec::with_capacity(input.len());
        while let Some(tt) = input.pop() {
            if matches!(&tt, TokenTree::Punct(p) if p.as_char() == '#') {
                if let Some(TokenTree::Group(g)) = input.last() {
                    if g.delimiter() == Delimiter::Bracket {
                        if let Some(attr) = self.attr(g) {
                            out.extend([tt, attr]);
                        }
                        input.pop();
                        continue;
                    }
                }
            }
            // `struct Name { fields }` (typify writes no generics on
            // structs) and `mod name { items }`.
            let keyword = match &tt {
                TokenTree::Ident(k) if k == "struct" || k == "mod" => Some(k == "mod"),
                _ => None,
            };
            let body_next = matches!(input.iter().rev().nth(1), Some(TokenTree::Group(b)) if b.delimiter() == Delimiter::Brace);
            if let (Some(is_mod), true, Some(TokenTree::Ident(_))) =
                (keyword, body_next, input.last())
            {
                if let (Some(name), Some(TokenTree::Group(body))) = (input.pop(), input.pop()) {
                    let (span, stream) = (body.span(), body.stream());
                    drop(body);
                    let inner = if is_mod {
                        self.items(stream)
                    } else {
                        self.fields(stream)
                    };
                    let mut ng = Group::new(Delimiter::Brace, inner);
                    ng.set_span(span);
                    out.extend([tt, name, TokenTree::Group(ng)]);
                    continue;
                }
            }
            out.push(tt);
        }
        out.into_iter().collect()
    }

    /// An attribute's bracket group as it stays: `None` to drop it.
    fn attr(&self, g: &Group) -> Option<TokenTree> {
        let stream = g.stream();
        if let Some(doc) = unmark_doc(&stream) {
            return doc.map(|d| TokenTree::Group(Group::new(Delimiter::Bracket, d)));
        }
        if self.allow_unknown {
            let mut it = stream.into_iter();
            if let (Some(TokenTree::Ident(s)), Some(TokenTree::Group(args)), None) =
                (it.next(), it.next(), it.next())
            {
                let mut args = args.stream().into_iter();
                if s == "serde"
                    && matches!(args.next(), Some(TokenTree::Ident(d)) if d == "deny_unknown_fields")
                    && args.next().is_none()
                {
                    return None;
                }
            }
        }
        Some(TokenTree::Group(g.clone()))
    }

    /// Attributes, each `#` and its bracket group, as they stay.
    fn attrs(&self, tokens: &[TokenTree]) -> TokenStream {
        let mut out = TokenStream::new();
        for pair in tokens.chunks(2) {
            if let [hash, TokenTree::Group(g)] = pair {
                if let Some(attr) = self.attr(g) {
                    out.extend([hash.clone(), attr]);
                }
            } else {
                out.extend(pair.iter().cloned());
            }
        }
        out
    }
}

/// An attribute body `doc = "..."` whose text carries the [`KEEP_NULL`]
/// mark: `Some(None)` if nothing else is left, else the cleaned body.
/// `None` for any other attribute.
fn unmark_doc(attr: &TokenStream) -> Option<Option<TokenStream>> {
    let mut it = attr.clone().into_iter();
    let (Some(TokenTree::Ident(d)), Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(l)), None) =
        (it.next(), it.next(), it.next(), it.next())
    else {
        return None;
    };
    if d != "doc" || eq.as_char() != '=' || !l.to_string().contains(KEEP_NULL) {
        return None;
    }
    let text = syn::parse2::<syn::LitStr>(TokenTree::Literal(l).into())
        .ok()?
        .value();
    let text = text
        .strip_suffix(KEEP_NULL)
        .unwrap_or(&text)
        .trim_end_matches('\n');
    Some((!text.is_empty()).then(|| quote! { doc = #text }))
}

/// What a field of typify's needs to keep absent apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Optional {
    /// Skipped when empty (arrays, maps).
    Empty,
    /// May be `null` (the field's doc carries the mark).
    Null,
    /// Anything else: as typify wrote it.
    Other,
}

impl Rewrite<'_> {
    /// The fields of a struct body.
    fn fields(&self, body: TokenStream) -> TokenStream {
        let tokens: Vec<TokenTree> = body.into_iter().collect();
        let mut out = TokenStream::new();
        for (n, part) in split_fields(&tokens).iter().enumerate() {
            if n > 0 {
                out.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
            }
            out.extend(self.field(part));
        }
        out
    }

    fn field(&self, part: &[TokenTree]) -> TokenStream {
        // Attributes: `#` and a bracket group each.
        let mut attrs_end = 0;
        let mut kind = Optional::Other;
        while let (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g))) =
            (part.get(attrs_end), part.get(attrs_end + 1))
        {
            if p.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
                break;
            }
            if unmark_doc(&g.stream()).is_some() {
                kind = Optional::Null;
            }
            attrs_end += 2;
        }
        // `pub name :` and the type after it.
        // The first `:` after the attributes ends the name (`pub` has none).
        let Some(colon) = part
            .iter()
            .skip(attrs_end)
            .position(|tt| matches!(tt, TokenTree::Punct(p) if p.as_char() == ':'))
        else {
            return part.iter().cloned().collect();
        };
        let colon = attrs_end + colon;
        let serde_is = |tt: &TokenTree, want: &dyn Fn(&str) -> bool| -> bool {
            let TokenTree::Group(g) = tt else {
                return false;
            };
            let mut it = g.stream().into_iter();
            matches!(it.next(), Some(TokenTree::Ident(s)) if s == "serde")
                && matches!(it.next(), Some(TokenTree::Group(args)) if args.stream().into_iter().any(
                |a| matches!(a, TokenTree::Literal(l) if want(&l.to_string()))))
        };
        let attrs = part.get(..attrs_end).unwrap_or_default();
        let empty = |s: &str| s.ends_with("::is_empty\"");
        let none = |s: &str| s == "\"::std::option::Option::is_none\"";
        if attrs.iter().any(|a| serde_is(a, &empty)) {
            kind = Optional::Empty;
        } else if kind == Optional::Null && !attrs.iter().any(|a| serde_is(a, &none)) {
            kind = Optional::Other;
        }
        let attrs = self.attrs(attrs);
        let head: TokenStream = part
            .get(attrs_end..=colon)
            .unwrap_or_default()
            .iter()
            .cloned()
            .collect();
        let ty: TokenStream = part
            .get(colon + 1..)
            .unwrap_or_default()
            .iter()
            .cloned()
            .collect();
        match kind {
            Optional::Other => quote! { #attrs #head #ty },
            Optional::Empty => {
                // The `skip_serializing_if` path: `Option::is_none` instead.
                let attrs = attrs.into_iter().map(|tt| match tt {
                    TokenTree::Group(g) if serde_is(&TokenTree::Group(g.clone()), &empty) => {
                        TokenTree::Group(Group::new(g.delimiter(), replace_is_empty(g.stream())))
                    }
                    other => other,
                });
                let attrs: TokenStream = attrs.collect();
                quote! { #attrs #head ::std::option::Option<#ty> }
            }
            Optional::Null => {
                let with = format!("{}::__private::double_option", self.rt_path);
                quote! {
                    #attrs
                    #[serde(default, deserialize_with = #with)]
                    #head ::std::option::Option<#ty>
                }
            }
        }
    }
}

/// A struct body's fields: its tokens split at top-level commas (outside
/// the `<...>` of a type).
pub(super) fn split_fields(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    let mut depth = 0usize;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, tt) in tokens.iter().enumerate() {
        if let TokenTree::Punct(p) = tt {
            match p.as_char() {
                '<' => depth += 1,
                '>' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    parts.push(tokens.get(start..i).unwrap_or_default());
                    start = i + 1;
                }
                _ => {}
            }
        }
    }
    parts.push(tokens.get(start..).unwrap_or_default());
    parts
}

/// `serde(default, skip_serializing_if = "...::is_empty")` with
/// `Option::is_none` as the path.
fn replace_is_empty(attr: TokenStream) -> TokenStream {
    attr.into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => {
                let mut ng = Group::new(g.delimiter(), replace_is_empty(g.stream()));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            TokenTree::Literal(l) if l.to_string().ends_with("::is_empty\"") => TokenTree::Literal(
                proc_macro2::Literal::string("::std::option::Option::is_none"),
            ),
            other => other,
        })
        .collect()
}
