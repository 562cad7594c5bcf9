//! JSON Schema payloads through typify.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
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
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| !STRIPPED.contains(&k.as_str()) && !k.starts_with("x-"))
                .map(|(k, v)| {
                    // Property names are data, not keywords: keep them all.
                    if k == "properties" {
                        if let Value::Object(props) = v {
                            return (
                                k.clone(),
                                Value::Object(
                                    props.iter().map(|(p, s)| (p.clone(), strip(s))).collect(),
                                ),
                            );
                        }
                    }
                    (k.clone(), strip(v))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
        other => other.clone(),
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

/// Drop typify's `#[serde(deny_unknown_fields)]` (from `additionalProperties:
/// false`): the schema stays closed for producers and the registry, while
/// decoding tolerates fields a newer minor added.
fn allow_unknown_fields(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = iter.peek() {
                    let text: String = g.stream().to_string().split_whitespace().collect();
                    if g.delimiter() == Delimiter::Bracket && text == "serde(deny_unknown_fields)" {
                        iter.next();
                        continue;
                    }
                }
                out.push(TokenTree::Punct(p));
            }
            TokenTree::Group(g) => {
                let mut ng = Group::new(g.delimiter(), allow_unknown_fields(g.stream()));
                ng.set_span(g.span());
                out.push(TokenTree::Group(ng));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

pub(super) fn emit(topic: &Topic, root_name: &str) -> Result<Emitted, Diagnostic> {
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
    let result = std::panic::catch_unwind(move || {
        let mut settings = typify::TypeSpaceSettings::default();
        settings.with_derive("PartialEq".to_owned());
        let mut space = typify::TypeSpace::new(&settings);
        let id = space
            .add_type_with_name(&schema, Some(given_name))
            .map_err(|e| e.to_string())?;
        let key = match &key_path {
            Some(path) => Some(key_access(&space, &id, path)?),
            None => None,
        };
        // A root typify maps to a type it does not name (an array, a
        // string, a `$ref` to one) gets the payload's name as an alias.
        let ty = space.get_type(&id).map_err(|e| e.to_string())?.ident();
        let mut tokens = space.to_stream();
        if ty.to_string() != root_name {
            let name = format_ident!("{}", root_name);
            tokens.extend(quote! {
                /// The payload type of this topic version.
                pub type #name = #ty;
            });
        }
        Ok::<_, String>((tokens, key))
    });
    let (tokens, key) = match result {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            return Err(fail(format!(
                "typify cannot generate a type for this schema: {e}"
            )));
        }
        Err(_) => return Err(fail("typify panicked on this schema".to_owned())),
    };
    let tokens = if strict_decoding(topic) {
        tokens
    } else {
        allow_unknown_fields(tokens)
    };
    Ok(Emitted {
        tokens,
        key,
        record_name: None,
        message_index: 0,
    })
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
    let ty = space.get_type(&id).map_err(|e| e.to_string())?;
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
