//! Schema-registry subjects: the generated `SUBJECTS` table and the
//! `subjects.json` export (subject → schema type, schema, compatibility),
//! ready for registration.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Value, json};

use crate::model::payload::{FieldType, SchemaFormat};
use crate::model::{Catalog, Topic};

pub(super) fn table(catalog: &Catalog, rt: &TokenStream) -> TokenStream {
    // Each row comes from the topic type's constants (the same subject
    // names, schema type and compatibility); only the key's schema type is
    // not one of them. A keyless topic has no key subject.
    let rows = catalog.topics.iter().flat_map(|t| {
        let ident = quote::format_ident!("{}", t.rust_name);
        let value = quote! { v::<topics::#ident>() };
        let key = t.subjects(catalog.settings.subject_strategy).key.map(|_| {
            let kt = match key_format(t) {
                SchemaFormat::JsonSchema => quote! { Json },
                SchemaFormat::Protobuf => quote! { Protobuf },
                SchemaFormat::Avro => quote! { Avro },
            };
            quote! { k::<topics::#ident>(K::#kt) }
        });
        std::iter::once(value).chain(key)
    });
    let rows: Vec<TokenStream> = rows.collect();
    // Only what the rows name: nothing without topics, no key helpers
    // when every topic is keyless.
    let keyed = catalog
        .topics
        .iter()
        .any(|t| t.subjects(catalog.settings.subject_strategy).key.is_some());
    let table = if rows.is_empty() {
        quote! { &[] }
    } else if keyed {
        quote! {{
            use #rt::SchemaType as K;
            use #rt::__private::{key_subject_of as k, value_subject_of as v};
            &[#(#rows),*]
        }}
    } else {
        quote! {{
            use #rt::__private::value_subject_of as v;
            &[#(#rows),*]
        }}
    };
    quote! {
        /// Every schema-registry subject of the catalog (value, and key
        /// unless the topic is keyless, per topic version). Names may hold
        /// `{env}`/`{tenant}`: bind them with the runtime's `Namespace::render`.
        #[allow(dead_code)]
        pub const SUBJECTS: &[#rt::Subject] = #table;
    }
}

/// Key schemas: the contract's `key.schema` file when there is one, else the
/// key field's type as a primitive schema. Avro topics get Avro keys; JSON
/// and Protobuf topics get JSON Schema keys (Kafka keys are not Protobuf
/// messages in practice).
fn key_format(t: &Topic) -> SchemaFormat {
    match (&t.schema.key_schema, t.schema.payload.format) {
        (Some((file, _)), _) => SchemaFormat::from_path(file).unwrap_or(SchemaFormat::JsonSchema),
        (None, SchemaFormat::Avro) => SchemaFormat::Avro,
        (None, _) => SchemaFormat::JsonSchema,
    }
}

fn key_schema(t: &Topic) -> String {
    if let Some((_, text)) = &t.schema.key_schema {
        return text.clone();
    }
    let avro = t.schema.payload.format == SchemaFormat::Avro;
    let (json_type, avro_type) = match &t.key.ty {
        FieldType::Integer => ("integer", "long"),
        FieldType::Bytes => ("string", "bytes"),
        _ => ("string", "string"),
    };
    if avro {
        Value::String(avro_type.to_owned()).to_string()
    } else {
        json!({ "type": json_type }).to_string()
    }
}

pub(super) fn json(catalog: &Catalog) -> String {
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    for t in &catalog.topics {
        let subjects = t.subjects(catalog.settings.subject_strategy);
        let compat = serde_json::to_value(t.schema.compatibility).unwrap_or(Value::Null);
        out.insert(
            subjects.value,
            json!({
                "topic": t.name.to_string(),
                "kind": "value",
                "schemaType": t.schema.payload.format.registry_type(),
                "compatibility": compat,
                "schema": t.schema.payload.text,
            }),
        );
        if let Some(key) = subjects.key {
            out.insert(
                key,
                json!({
                    "topic": t.name.to_string(),
                    "kind": "key",
                    "schemaType": key_format(t).registry_type(),
                    "compatibility": compat,
                    "schema": key_schema(t),
                }),
            );
        }
    }
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}
