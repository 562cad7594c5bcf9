//! Avro payloads. No maintained crate turns `.avsc` into serde structs as a
//! library call, so onex emits them: one struct per record, one enum per Avro
//! enum, plain JSON field names (samples are JSON, not Avro's JSON encoding).
//!
//! Rust names are chosen for the whole schema first ([`Names`]): a named
//! type keeps its simple name unless another named type (of another
//! namespace) or the module's `Payload` alias has it; then it is named
//! after its full name (`x.a.Item` → `XAItem`), numbered if that is taken
//! too. Enum symbols that meet in one variant name are numbered likewise
//! (the wire names stay in `#[serde(rename)]`). A record field that leads
//! back to its own record by value (directly, or through a nullable union
//! and other records, not through an array or map) is boxed.

use std::collections::{BTreeMap, BTreeSet};

use apache_avro::Schema;
use apache_avro::schema::RecordSchema;
use proc_macro2::{Ident, TokenStream};
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
    let root = avro.root();
    if root.is_none() && !avro.record.is_empty() {
        return Err(fail("the payload record is not in the schema".to_owned()));
    }
    let names = Names::new(schema, root);
    let mut types = BTreeMap::new();
    names.collect(schema, &mut types);
    let items = types.into_values();
    let text = &topic.schema.payload.text;
    let schema_const = quote! {
        /// The `.avsc` this payload was generated from: the codec writes and
        /// reads the topic's Avro datums with it.
        pub const AVRO_SCHEMA: &str = #text;
    };
    // A payload that is not a record (enum, array, map, union, primitive)
    // is its schema's Rust type under the name `Payload`.
    let Some(root) = root else {
        let (ty, _) = names.rust_type(schema, None);
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
        Some(path) => Some(key_access(&names, root, path).map_err(fail)?),
        None => None,
    };
    Ok(Emitted {
        tokens: quote! { #(#items)* #schema_const },
        key,
        // The payload record keeps its own name (see `Names::new`).
        record_name: Some(root.name.name().to_owned()),
        message_index: 0,
    })
}

/// The Rust names of a schema's named types, and which records recurse.
struct Names<'s> {
    /// Records and enums: their Rust type names, by full name.
    idents: BTreeMap<String, Ident>,
    /// Named `fixed` types (plain, decimal, uuid, duration): their Rust
    /// types, for references to them by name.
    fixed: BTreeMap<String, TokenStream>,
    /// Each record's strongly connected component in the graph of fields
    /// that hold a record by value: a field into its own component is boxed.
    component: BTreeMap<String, usize>,
    /// Where each record is defined (its first occurrence).
    definitions: BTreeMap<String, &'s RecordSchema>,
}

/// A named type's definition, as met first in the schema.
enum Def<'s> {
    Record(&'s RecordSchema),
    Enum(&'s apache_avro::schema::EnumSchema),
}

impl<'s> Names<'s> {
    fn new(schema: &'s Schema, root: Option<&RecordSchema>) -> Names<'s> {
        let mut defs = BTreeMap::new();
        let mut fixed = BTreeMap::new();
        gather(schema, &mut defs, &mut fixed);
        let root_full = root.map(|r| r.name.fullname(None));
        let root_ident = root.map(|r| type_ident(r.name.name()));
        // How many named types want each simple Rust name.
        let mut wanted: BTreeMap<Ident, usize> = BTreeMap::new();
        for (full, def) in &defs {
            if Some(full) != root_full.as_ref() {
                *wanted.entry(type_ident(def.name())).or_default() += 1;
            }
        }
        // Names no other type may have: the payload record's, and the
        // `Payload` alias the module declares when the record is named
        // otherwise (or the payload is no record).
        let mut taken: BTreeSet<Ident> = BTreeSet::new();
        taken.extend(root_ident.clone());
        if root_ident.as_ref().is_none_or(|r| r != "Payload") {
            taken.insert(format_ident!("Payload"));
        }
        // A simple name wanted once and not reserved is kept.
        let unique = |id: &Ident, taken: &BTreeSet<Ident>| {
            wanted.get(id).copied() == Some(1) && !taken.contains(id)
        };
        let mut idents = BTreeMap::new();
        let mut renamed = Vec::new();
        for (full, def) in &defs {
            if Some(full) == root_full.as_ref() {
                if let Some(id) = &root_ident {
                    idents.insert(full.clone(), id.clone());
                }
                continue;
            }
            let id = type_ident(def.name());
            if unique(&id, &taken) {
                idents.insert(full.clone(), id);
            } else {
                renamed.push(full.clone());
            }
        }
        taken.extend(idents.values().cloned());
        // The others: after their full names, else numbered.
        for full in renamed {
            let id = free_ident(&type_ident(&full), &taken);
            taken.insert(id.clone());
            idents.insert(full, id);
        }
        let component = components(&defs);
        let definitions = defs
            .iter()
            .filter_map(|(full, d)| match d {
                Def::Record(r) => Some((full.clone(), *r)),
                Def::Enum(_) => None,
            })
            .collect();
        Names {
            idents,
            fixed,
            component,
            definitions,
        }
    }

    /// The Rust type of a named type referred to by full name.
    fn named(&self, full: &str) -> TokenStream {
        match (self.idents.get(full), self.fixed.get(full)) {
            (Some(id), _) => quote! { #id },
            (None, Some(ty)) => ty.clone(),
            (None, None) => quote! { ::serde_json::Value },
        }
    }

    /// The Rust type of a record's or enum's definition.
    fn ident(&self, full: &str) -> Ident {
        self.idents
            .get(full)
            .cloned()
            .unwrap_or_else(|| format_ident!("Payload"))
    }

    /// Rust type of a schema, and whether it is a nullable union. `owner`:
    /// the record whose field has this type, where a record held by value
    /// may need a box (`None` inside arrays and maps, which allocate).
    fn rust_type(&self, s: &Schema, owner: Option<&str>) -> (TokenStream, bool) {
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
            Schema::Bytes | Schema::Fixed(_) | Schema::Decimal(_) => {
                quote! { ::std::vec::Vec<u8> }
            }
            Schema::String | Schema::Uuid(_) => quote! { ::std::string::String },
            Schema::Array(a) => {
                let inner = self.rust_type(&a.items, None).0;
                quote! { ::std::vec::Vec<#inner> }
            }
            Schema::Map(m) => {
                let inner = self.rust_type(&m.types, None).0;
                quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
            }
            Schema::Record(r) => {
                let full = r.name.fullname(None);
                // A record's definition is never in a cycle of definitions;
                // a copy of it might be.
                let copy = self
                    .definitions
                    .get(&full)
                    .is_none_or(|d| !std::ptr::eq(*d, r));
                self.record_ref(&full, owner.filter(|_| copy))
            }
            Schema::Enum(e) => self.named(&e.name.fullname(None)),
            Schema::Ref { name } => self.record_ref(&name.fullname(None), owner),
            Schema::Union(u) => {
                let non_null: Vec<&Schema> = u
                    .variants()
                    .iter()
                    .filter(|v| !matches!(v, Schema::Null))
                    .collect();
                let nullable = non_null.len() < u.variants().len();
                let inner = match non_null.as_slice() {
                    [one] => self.rust_type(one, owner).0,
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

    /// A named type held by a field of `owner`: boxed when it is a record
    /// that leads back to `owner` by value (else the struct has no size).
    /// Records defined in place form a tree, so every such cycle has a
    /// reference by name in it: only references (`owner` is `None` for a
    /// definition) are boxed.
    fn record_ref(&self, full: &str, owner: Option<&str>) -> TokenStream {
        let ty = self.named(full);
        let cyclic = owner.is_some_and(|o| {
            matches!((self.component.get(o), self.component.get(full)), (Some(a), Some(b)) if a == b)
        });
        if cyclic {
            quote! { ::std::boxed::Box<#ty> }
        } else {
            ty
        }
    }

    /// Emit every record and enum once, keyed by full name (deterministic order).
    fn collect(&self, s: &Schema, out: &mut BTreeMap<String, TokenStream>) {
        match s {
            Schema::Record(r) => {
                let full = r.name.fullname(None);
                if out.contains_key(&full) {
                    return;
                }
                out.insert(full.clone(), TokenStream::new());
                let name = self.ident(&full);
                let doc = r.doc.as_deref().map(doc_attr).unwrap_or_default();
                let fields = r.fields.iter().map(|f| {
                    let ident = field_ident(&f.name);
                    let (ty, nullable) = self.rust_type(&f.schema, Some(&full));
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
                    self.collect(&f.schema, out);
                }
            }
            Schema::Enum(e) => {
                let full = e.name.fullname(None);
                if out.contains_key(&full) {
                    return;
                }
                let name = self.ident(&full);
                let doc = e.doc.as_deref().map(doc_attr).unwrap_or_default();
                let variants = variant_idents(&e.symbols);
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
            Schema::Array(a) => self.collect(&a.items, out),
            Schema::Map(m) => self.collect(&m.types, out),
            Schema::Union(u) => u.variants().iter().for_each(|v| self.collect(v, out)),
            _ => {}
        }
    }
}

impl Def<'_> {
    fn name(&self) -> &str {
        match self {
            Def::Record(r) => r.name.name(),
            Def::Enum(e) => e.name.name(),
        }
    }
}

/// Every record and enum definition by full name, and the Rust types of
/// named `fixed` types.
fn gather<'s>(
    s: &'s Schema,
    defs: &mut BTreeMap<String, Def<'s>>,
    fixed: &mut BTreeMap<String, TokenStream>,
) {
    match s {
        Schema::Record(r) => {
            let full = r.name.fullname(None);
            if defs.contains_key(&full) {
                return;
            }
            defs.insert(full, Def::Record(r));
            for f in &r.fields {
                gather(&f.schema, defs, fixed);
            }
        }
        Schema::Enum(e) => {
            defs.entry(e.name.fullname(None)).or_insert(Def::Enum(e));
        }
        Schema::Fixed(f)
        | Schema::Decimal(apache_avro::schema::DecimalSchema {
            inner: apache_avro::schema::InnerDecimalSchema::Fixed(f),
            ..
        }) => {
            fixed.insert(f.name.fullname(None), quote! { ::std::vec::Vec<u8> });
        }
        Schema::Uuid(apache_avro::schema::UuidSchema::Fixed(f)) => {
            fixed.insert(f.name.fullname(None), quote! { ::std::string::String });
        }
        Schema::Duration(f) => {
            fixed.insert(f.name.fullname(None), quote! { ::serde_json::Value });
        }
        Schema::Array(a) => gather(&a.items, defs, fixed),
        Schema::Map(m) => gather(&m.types, defs, fixed),
        Schema::Union(u) => u.variants().iter().for_each(|v| gather(v, defs, fixed)),
        _ => {}
    }
}

/// `base`, or the first of `base2`, `base3`, ... that no other type has.
fn free_ident(base: &Ident, taken: &BTreeSet<Ident>) -> Ident {
    if !taken.contains(base) {
        return base.clone();
    }
    let stem = base.to_string();
    let stem = stem.trim_end_matches('_');
    (2..)
        .map(|n| format_ident!("{stem}{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| base.clone())
}

/// An enum's variants with their symbols: UpperCamelCase, and numbered
/// where two symbols meet in one name (`FOO_BAR`, `FooBar` → `FooBar`,
/// `FooBar2`); the first keeps it.
fn variant_idents(symbols: &[String]) -> Vec<(Ident, &str)> {
    let plain: Vec<Ident> = symbols.iter().map(|s| type_ident(s)).collect();
    let mut taken: BTreeSet<Ident> = plain.iter().cloned().collect();
    let mut used: BTreeSet<Ident> = BTreeSet::new();
    plain
        .into_iter()
        .zip(symbols)
        .map(|(id, s)| {
            let id = if used.contains(&id) {
                let id = free_ident(&id, &taken);
                taken.insert(id.clone());
                id
            } else {
                id
            };
            used.insert(id.clone());
            (id, s.as_str())
        })
        .collect()
}

/// The records a schema holds by value (not through an array or a map):
/// itself if a record (or a reference to one), or a nullable union's one
/// type.
fn by_value(s: &Schema, out: &mut Vec<String>) {
    match s {
        Schema::Record(r) => out.push(r.name.fullname(None)),
        Schema::Ref { name } => out.push(name.fullname(None)),
        Schema::Union(u) => {
            let mut non_null = u.variants().iter().filter(|v| !matches!(v, Schema::Null));
            if let (Some(one), None) = (non_null.next(), non_null.next()) {
                by_value(one, out);
            }
        }
        _ => {}
    }
}

/// Strongly connected components of the records' by-value graph (Tarjan's
/// algorithm, iterative: a long chain of references does not recurse).
fn components(defs: &BTreeMap<String, Def<'_>>) -> BTreeMap<String, usize> {
    let records: Vec<(&String, &RecordSchema)> = defs
        .iter()
        .filter_map(|(full, d)| match d {
            Def::Record(r) => Some((full, *r)),
            Def::Enum(_) => None,
        })
        .collect();
    let index_of: BTreeMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, (full, _))| (full.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = records
        .iter()
        .map(|(_, r)| {
            let mut to = Vec::new();
            for f in &r.fields {
                by_value(&f.schema, &mut to);
            }
            to.iter()
                .filter_map(|full| index_of.get(full.as_str()).copied())
                .collect()
        })
        .collect();
    #[derive(Clone, Copy, Default)]
    struct Node {
        index: Option<usize>,
        low: usize,
        on_stack: bool,
        component: usize,
    }
    let mut nodes = vec![Node::default(); records.len()];
    let mut stack: Vec<usize> = Vec::new();
    let (mut next, mut count) = (0, 0);
    for start in 0..records.len() {
        if nodes.get(start).is_none_or(|n| n.index.is_some()) {
            continue;
        }
        // (node, next edge to follow)
        let mut calls: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(n) = nodes.get_mut(start) {
            *n = Node {
                index: Some(next),
                low: next,
                on_stack: true,
                component: 0,
            };
        }
        next += 1;
        stack.push(start);
        while let Some((v, edge)) = calls.last_mut() {
            let v = *v;
            if let Some(&w) = edges.get(v).and_then(|e| e.get(*edge)) {
                *edge += 1;
                let Some(wn) = nodes.get(w).copied() else {
                    continue;
                };
                match wn.index {
                    None => {
                        if let Some(n) = nodes.get_mut(w) {
                            *n = Node {
                                index: Some(next),
                                low: next,
                                on_stack: true,
                                component: 0,
                            };
                        }
                        next += 1;
                        stack.push(w);
                        calls.push((w, 0));
                    }
                    Some(wi) if wn.on_stack => {
                        if let Some(n) = nodes.get_mut(v) {
                            n.low = n.low.min(wi);
                        }
                    }
                    Some(_) => {}
                }
                continue;
            }
            calls.pop();
            let Some(vn) = nodes.get(v).copied() else {
                continue;
            };
            if let Some(&(u, _)) = calls.last()
                && let Some(n) = nodes.get_mut(u)
            {
                n.low = n.low.min(vn.low);
            }
            if Some(vn.low) == vn.index {
                while let Some(w) = stack.pop() {
                    if let Some(n) = nodes.get_mut(w) {
                        n.on_stack = false;
                        n.component = count;
                    }
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    records
        .iter()
        .zip(&nodes)
        .map(|((full, _), n)| ((*full).clone(), n.component))
        .collect()
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
    names: &Names<'_>,
    root: &RecordSchema,
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
        // Logical types keep their underlying integer (as the fields do).
        Some(Schema::Int | Schema::Date | Schema::TimeMillis) => KeyTy::Int(format_ident!("i32")),
        Some(
            Schema::Long
            | Schema::TimeMicros
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros,
        ) => KeyTy::Int(format_ident!("i64")),
        Some(Schema::Bytes) => KeyTy::Bytes,
        Some(Schema::Enum(e)) => {
            let id = names.ident(&e.name.fullname(None));
            KeyTy::Display(quote! { #id })
        }
        _ => return Err("the key field is not a string, int, long, bytes or enum".to_owned()),
    };
    Ok(KeyAccess { ty, expr })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(avsc: &str) -> (Names<'static>, &'static Schema) {
        let schema: &'static Schema = Box::leak(Box::new(Schema::parse_str(avsc).unwrap()));
        let root = match schema {
            Schema::Record(r) => Some(r),
            _ => None,
        };
        (Names::new(schema, root), schema)
    }

    #[test]
    fn same_simple_names_are_named_after_their_namespaces() {
        let (n, _) = names(
            r#"{"type":"record","name":"R","namespace":"shop","fields":[
                {"name":"a","type":{"type":"record","name":"Item","namespace":"x.a","fields":[]}},
                {"name":"b","type":{"type":"record","name":"Item","namespace":"x.b","fields":[]}},
                {"name":"c","type":{"type":"record","name":"X_A_Item","fields":[]}},
                {"name":"p","type":{"type":"enum","name":"Payload","symbols":["A"]}},
                {"name":"q","type":{"type":"record","name":"R","namespace":"other","fields":[]}}]}"#,
        );
        let got: Vec<(String, String)> = n
            .idents
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect();
        let want = [
            ("other.R", "OtherR"),
            ("shop.Payload", "ShopPayload"),
            ("shop.R", "R"),
            ("shop.X_A_Item", "XAItem"),
            ("x.a.Item", "XAItem2"),
            ("x.b.Item", "XBItem"),
        ];
        assert_eq!(
            got,
            want.map(|(a, b)| (a.to_owned(), b.to_owned())).to_vec()
        );
    }

    #[test]
    fn colliding_symbols_are_numbered() {
        let symbols = ["FOO_BAR", "FooBar", "FooBar2", "Self", "self", "x"].map(str::to_owned);
        let got: Vec<String> = variant_idents(&symbols)
            .into_iter()
            .map(|(id, _)| id.to_string())
            .collect();
        assert_eq!(got, ["FooBar", "FooBar3", "FooBar2", "Self_", "Self2", "X"]);
    }

    #[test]
    fn only_fields_that_lead_back_by_value_are_boxed() {
        let (n, schema) = names(
            r#"{"type":"record","name":"A","fields":[
                {"name":"b","type":{"type":"record","name":"B","fields":[
                    {"name":"a","type":["null","A"]},
                    {"name":"list","type":{"type":"array","items":"B"}},
                    {"name":"c","type":{"type":"record","name":"C","fields":[]}}]}},
                {"name":"me","type":["null","A"]},
                {"name":"c","type":"C"}]}"#,
        );
        let mut out = BTreeMap::new();
        n.collect(schema, &mut out);
        let text: String = out.values().map(ToString::to_string).collect();
        for want in [
            "pub b : B ,",
            "pub a : :: std :: option :: Option < :: std :: boxed :: Box < A > >",
            "pub me : :: std :: option :: Option < :: std :: boxed :: Box < A > >",
            "pub list : :: std :: vec :: Vec < B >",
            "pub c : C",
        ] {
            assert!(text.contains(want), "{want} in {text}");
        }
    }
}
