//! Attributes a user adds to generated payload types and their fields
//! (`Builder::type_attribute` / `field_attribute`, after prost-build's), for
//! every payload format alike: the payload module's items are matched by
//! path, `<payload module>::<Type>` (nested modules included, e.g.
//! `billing_evt_invoice_v1::Invoice`) and `<payload module>::<Type>.<field>`,
//! with `*` globs, and the attribute is put on the item (or field).

use std::collections::BTreeSet;

use globset::{Glob, GlobMatcher};
use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;

use super::shared::items;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

/// The options' attributes, checked: (path glob, attribute tokens).
#[derive(Default)]
pub(super) struct Attributes {
    types: Vec<(GlobMatcher, TokenStream)>,
    fields: Vec<(GlobMatcher, TokenStream)>,
}

impl Attributes {
    /// Compile `types` and `fields` (path, attribute text) pairs; a bad glob
    /// or an attribute that does not parse is E0802.
    pub(super) fn new(
        types: &[(String, String)],
        fields: &[(String, String)],
    ) -> Result<Self, Diagnostics> {
        let mut diags = Diagnostics::default();
        let mut compile = |pairs: &[(String, String)], what: &str| {
            pairs
                .iter()
                .filter_map(|(path, attr)| {
                    let glob = Glob::new(path).map(|g| g.compile_matcher());
                    // Attribute text (not a schema): tokens, then outer attributes.
                    let tokens = attr
                        .parse::<TokenStream>()
                        .ok()
                        .and_then(|t| syn::parse::Parser::parse2(syn::Attribute::parse_outer, t).ok())
                        .filter(|a| !a.is_empty())
                        .map(|a| quote! { #(#a)* });
                    match (glob, tokens) {
                        (Ok(g), Some(t)) => Some((g, t)),
                        (Err(e), _) => {
                            diags.push(
                                Diagnostic::new(
                                    Code::BadAttribute,
                                    format!("the {what} path `{path}` is malformed: {e}"),
                                )
                                .help("paths look like `billing_evt_invoice_v1::Invoice` (a field: `...::Invoice.memo`); `*` matches any run of characters"),
                            );
                            None
                        }
                        (_, None) => {
                            diags.push(
                                Diagnostic::new(
                                    Code::BadAttribute,
                                    format!("`{attr}` (for `{path}`) is not an outer attribute"),
                                )
                                .help("write it as in source, e.g. `#[derive(Hash)]` or `#[serde(rename_all = \"camelCase\")]`"),
                            );
                            None
                        }
                    }
                })
                .collect::<Vec<_>>()
        };
        let attrs = Attributes {
            types: compile(types, "type attribute"),
            fields: compile(fields, "field attribute"),
        };
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(attrs)
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.types.is_empty() && self.fields.is_empty()
    }

    /// `tokens` (a payload module's items) with the attributes whose paths
    /// match put on; the indices of the matching type attributes, then of
    /// the field attributes offset by the number of type attributes, go
    /// into `matched`.
    pub(super) fn apply(
        &self,
        tokens: TokenStream,
        module: &str,
        matched: &mut BTreeSet<usize>,
    ) -> TokenStream {
        if self.is_empty() {
            return tokens;
        }
        let mut out = TokenStream::new();
        for chunk in items(tokens) {
            out.extend(self.item(chunk.tokens, module, matched));
        }
        out
    }

    fn item(
        &self,
        tokens: Vec<TokenTree>,
        module: &str,
        matched: &mut BTreeSet<usize>,
    ) -> TokenStream {
        let Some((keyword, name)) = head(&tokens) else {
            return tokens.into_iter().collect();
        };
        let path = format!("{module}::{name}");
        match keyword.as_str() {
            // A nested module (prost-build's nested messages): its items.
            "mod" => tokens
                .into_iter()
                .map(|tt| match tt {
                    TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                        let inner = self.apply(g.stream(), &path, matched);
                        TokenTree::Group(Group::new(Delimiter::Brace, inner))
                    }
                    other => other,
                })
                .collect(),
            // `string_enum! { enum X { .. } }`: the attribute goes inside.
            "macro" => {
                let attrs = self.type_attrs(&path, matched);
                tokens
                    .into_iter()
                    .map(|tt| match tt {
                        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                            let mut inner = attrs.clone();
                            inner.extend(g.stream());
                            TokenTree::Group(Group::new(Delimiter::Brace, inner))
                        }
                        other => other,
                    })
                    .collect()
            }
            _ => {
                let mut out = self.type_attrs(&path, matched);
                let stream: TokenStream = tokens.into_iter().collect();
                if keyword == "struct" && !self.fields.is_empty() {
                    out.extend(self.field_attrs(stream, &path, matched));
                } else {
                    out.extend(stream);
                }
                out
            }
        }
    }

    fn type_attrs(&self, path: &str, matched: &mut BTreeSet<usize>) -> TokenStream {
        let mut out = TokenStream::new();
        for (i, (glob, attr)) in self.types.iter().enumerate() {
            if glob.is_match(path) {
                matched.insert(i);
                out.extend(attr.clone());
            }
        }
        out
    }

    fn field_attrs(
        &self,
        stream: TokenStream,
        path: &str,
        matched: &mut BTreeSet<usize>,
    ) -> TokenStream {
        let Ok(mut item) = syn::parse2::<syn::ItemStruct>(stream.clone()) else {
            return stream;
        };
        let mut changed = false;
        for field in &mut item.fields {
            let Some(ident) = &field.ident else { continue };
            let name = ident.to_string();
            let field_path = format!("{path}.{}", name.trim_start_matches("r#"));
            for (i, (glob, attr)) in self.fields.iter().enumerate() {
                if glob.is_match(&field_path) {
                    matched.insert(self.types.len() + i);
                    if let Ok(parsed) =
                        syn::parse::Parser::parse2(syn::Attribute::parse_outer, attr.clone())
                    {
                        field.attrs.extend(parsed);
                        changed = true;
                    }
                }
            }
        }
        if changed {
            quote! { #item }
        } else {
            stream
        }
    }

    /// The paths (type attributes first, then field attributes) whose
    /// index is not in `matched`.
    pub(super) fn unmatched(&self, matched: &BTreeSet<usize>) -> Vec<String> {
        self.types
            .iter()
            .chain(&self.fields)
            .enumerate()
            .filter(|(i, _)| !matched.contains(i))
            .map(|(_, (g, _))| g.glob().glob().to_owned())
            .collect()
    }
}

/// The item's keyword (`struct`, `enum`, `mod`, or `macro` for a
/// `name! { enum X .. }` call) and name; `None` for impls and the rest.
fn head(tokens: &[TokenTree]) -> Option<(String, String)> {
    let mut it = tokens.iter();
    while let Some(tt) = it.next() {
        // Attributes and visibility groups are skipped.
        let TokenTree::Ident(i) = tt else { continue };
        let word = i.to_string();
        match word.as_str() {
            "pub" | "crate" => {}
            "type" | "use" | "impl" | "const" | "static" | "fn" | "trait" => return None,
            "struct" | "enum" | "mod" => {
                let Some(TokenTree::Ident(name)) = it.next() else {
                    return None;
                };
                return Some((word, name.to_string()));
            }
            // A macro call: `path::to::name! { [attrs] vis enum X { .. } }`.
            _ => return macro_enum(tokens),
        }
    }
    None
}

/// The enum a `name! { [attrs] vis enum X { .. } }` call declares.
fn macro_enum(tokens: &[TokenTree]) -> Option<(String, String)> {
    let is_call = tokens
        .iter()
        .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '!'));
    let group = tokens.iter().find_map(|t| match t {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(g),
        _ => None,
    })?;
    if !is_call {
        return None;
    }
    let mut inner = group.stream().into_iter();
    while let Some(t) = inner.next() {
        if matches!(&t, TokenTree::Ident(k) if k == "enum") {
            return match inner.next() {
                Some(TokenTree::Ident(name)) => Some(("macro".to_owned(), name.to_string())),
                _ => None,
            };
        }
    }
    None
}
