//! Avro payloads. No maintained crate turns `.avsc` into serde structs as a
//! library call, so onex emits them: one struct per record, one enum per Avro
//! enum, plain JSON field names (samples are JSON, not Avro's JSON encoding).

use std::collections::BTreeMap;

use apache_avro::Schema;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::{Emitted, KeyAccess, KeyTy, doc_attr, field_ident, type_ident};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::Topic;
use crate::model::payload::Parsed;

pub(super) fn emit(topic: &Topic) -> Result<Emitted, Diagnostic> {
    let file = &topic.schema.payload.file;
    let fail = |msg: String| {
        Diagnostic::new(Code::SchemaParse, msg)
            .at(Location::file(file.clone()))
            .help("onex emits Avro records, enums, arrays, maps and nullable unions")
    };
    let Parsed::Avro(avro) = &topic.schema.payload.parsed else {
        return Err(fail("internal: not an Avro payload".to_owned()));
    };
    let schema: &Schema = &avro.schema;
    let mut types = BTreeMap::new();
    collect(schema, &mut types);
    let items = types.into_values();
    let text = &topic.schema.payload.text;
    let schema_const = quote! {
        /// The `.avsc` this payload was generated from: the codec writes and
        /// reads the topic's Avro datums with it.
        pub const AVRO_SCHEMA: &str = #text;
    };
    // A payload that is not a record (enum, array, map, union, primitive)
    // is its schema's Rust type under the name `Payload`.
    let Some(root) = avro.root() else {
        if !avro.record.is_empty() {
            return Err(fail("the payload record is not in the schema".to_owned()));
        }
        let (ty, _) = rust_type(schema);
        return Ok(Emitted {
            tokens: quote! {
                #(#items)*
                #schema_const
                /// The payload type of this topic version.
                pub type Payload = #ty;
            },
            key: None,
            record_name: None,
            message_index: 0,
        });
    };
    let key = match topic.key.payload_path() {
        Some(path) => Some(key_access(root, path).map_err(fail)?),
        None => None,
    };
    Ok(Emitted {
        tokens: quote! { #(#items)* #schema_const },
        key,
        record_name: Some(root.name.name().to_owned()),
        message_index: 0,
    })
}

/// Rust type of a schema, and whether it is a nullable union.
fn rust_type(s: &Schema) -> (TokenStream, bool) {
    let t = match s {
        Schema::Null => quote! { () },
        Schema::Boolean => quote! { bool },
        Schema::Int | Schema::Date | Schema::TimeMillis => quote! { i32 },
        Schema::Long
        | Schema::TimeMicros
        | Schema::TimestampMillis
        | Schema::TimestampMicros
        | Schema::LocalTimestampMillis
        | Schema::LocalTimestampMicros => quote! { i64 },
        Schema::Float => quote! { f32 },
        Schema::Double => quote! { f64 },
        Schema::Bytes | Schema::Fixed(_) | Schema::Decimal(_) => quote! { ::std::vec::Vec<u8> },
        Schema::String | Schema::Uuid(_) => quote! { ::std::string::String },
        Schema::Array(a) => {
            let inner = rust_type(&a.items).0;
            quote! { ::std::vec::Vec<#inner> }
        }
        Schema::Map(m) => {
            let inner = rust_type(&m.types).0;
            quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
        }
        Schema::Record(r) => {
            let id = type_ident(r.name.name());
            quote! { #id }
        }
        Schema::Enum(e) => {
            let id = type_ident(e.name.name());
            quote! { #id }
        }
        Schema::Ref { name } => {
            let id = type_ident(name.name());
            quote! { #id }
        }
        Schema::Union(u) => {
            let non_null: Vec<&Schema> = u
                .variants()
                .iter()
                .filter(|v| !matches!(v, Schema::Null))
                .collect();
            let nullable = non_null.len() < u.variants().len();
            let inner = match non_null.as_slice() {
                [one] => rust_type(one).0,
                _ => quote! { ::serde_json::Value },
            };
            return if nullable {
                (quote! { ::std::option::Option<#inner> }, true)
            } else {
                (inner, false)
            };
        }
        _ => quote! { ::serde_json::Value },
    };
    (t, false)
}

/// Emit every named type once, keyed by full name (deterministic order).
fn collect(s: &Schema, out: &mut BTreeMap<String, TokenStream>) {
    match s {
        Schema::Record(r) => {
            let full = r.name.fullname(None);
            if out.contains_key(&full) {
                return;
            }
            out.insert(full.clone(), TokenStream::new());
            let name = type_ident(r.name.name());
            let doc = r.doc.as_deref().map(doc_attr).unwrap_or_default();
            let fields = r.fields.iter().map(|f| {
                let ident = field_ident(&f.name);
                let (ty, nullable) = rust_type(&f.schema);
                let rename = (ident != f.name).then(|| {
                    let n = &f.name;
                    quote! { #[serde(rename = #n)] }
                });
                let default = match &f.default {
                    Some(Value::Null) if nullable => {
                        quote! { #[serde(default, skip_serializing_if = "::std::option::Option::is_none")] }
                    }
                    Some(v) if is_type_default(v) => quote! { #[serde(default)] },
                    _ => TokenStream::new(),
                };
                let fdoc = f.doc.as_deref().map(doc_attr).unwrap_or_default();
                quote! {
                    #fdoc
                    #rename
                    #default
                    pub #ident: #ty,
                }
            });
            let item = quote! {
                #doc
                #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub struct #name {
                    #(#fields)*
                }
            };
            out.insert(full, item);
            for f in &r.fields {
                collect(&f.schema, out);
            }
        }
        Schema::Enum(e) => {
            let full = e.name.fullname(None);
            if out.contains_key(&full) {
                return;
            }
            let name = type_ident(e.name.name());
            let doc = e.doc.as_deref().map(doc_attr).unwrap_or_default();
            let variants: Vec<_> = e
                .symbols
                .iter()
                .map(|s| (type_ident(s), s.clone()))
                .collect();
            let decl = variants
                .iter()
                .map(|(v, s)| quote! { #[serde(rename = #s)] #v, });
            let show = variants.iter().map(|(v, s)| quote! { #name::#v => #s, });
            out.insert(
                full,
                quote! {
                    #doc
                    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
                    pub enum #name { #(#decl)* }
                    impl ::std::fmt::Display for #name {
                        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str(match self { #(#show)* })
                        }
                    }
                },
            );
        }
        Schema::Array(a) => collect(&a.items, out),
        Schema::Map(m) => collect(&m.types, out),
        Schema::Union(u) => u.variants().iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

fn is_type_default(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

fn key_access(
    root: &apache_avro::schema::RecordSchema,
    path: &[String],
) -> Result<KeyAccess, String> {
    let mut rec = root;
    let mut expr = quote! { payload };
    let mut last: Option<&Schema> = None;
    for (i, seg) in path.iter().enumerate() {
        let f = rec
            .fields
            .iter()
            .find(|f| &f.name == seg)
            .ok_or_else(|| format!("no field `{seg}`"))?;
        let ident = field_ident(seg);
        expr = quote! { #expr.#ident };
        if i + 1 < path.len() {
            match &f.schema {
                Schema::Record(r) => rec = r,
                _ => return Err(format!("`{seg}` is not a record")),
            }
        }
        last = Some(&f.schema);
    }
    let ty = match last {
        Some(Schema::String | Schema::Uuid(_)) => KeyTy::Str,
        Some(Schema::Int) => KeyTy::Int(format_ident!("i32")),
        Some(Schema::Long) => KeyTy::Int(format_ident!("i64")),
        Some(Schema::Bytes) => KeyTy::Bytes,
        Some(Schema::Enum(e)) => {
            let id = type_ident(e.name.name());
            KeyTy::Display(quote! { #id })
        }
        _ => return Err("the key field is not a string, int, long, bytes or enum".to_owned()),
    };
    Ok(KeyAccess { ty, expr })
}
