//! Generated `Debug` that never prints `high` PII (seed 000: PII stays in the
//! value, and logs must not carry it). The payload's root struct loses its
//! derived `Debug` and gets one that prints every field but those classified
//! `high`, which show as a fixed marker. A nested path redacts its top-level
//! field: coarser, never leakier.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;

use crate::model::Topic;
use crate::model::vocab::PiiLevel;

/// `tokens` with the root struct `root`'s `Debug` redacting `high` fields.
/// Unchanged when the topic has no `high` field or the struct does not
/// derive `Debug` (prost's `Message` brings its own).
pub(super) fn redact_debug(
    tokens: TokenStream,
    root: &str,
    topic: &Topic,
    rt: &TokenStream,
) -> TokenStream {
    let high: BTreeSet<String> = topic
        .pii
        .iter()
        .filter(|(_, info)| info.level == PiiLevel::High)
        .filter_map(|(path, _)| path.split('.').next())
        .map(|seg| super::field_ident(seg).to_string())
        .collect();
    if high.is_empty() {
        return tokens;
    }
    let Ok(mut file) = syn::parse2::<syn::File>(tokens.clone()) else {
        return tokens;
    };
    let mut extra = TokenStream::new();
    for item in &mut file.items {
        let syn::Item::Struct(s) = item else {
            continue;
        };
        if s.ident != root {
            continue;
        }
        let mut derived_debug = false;
        for attr in &mut s.attrs {
            if !attr.path().is_ident("derive") {
                continue;
            }
            let Ok(paths) =
                attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            let kept: Vec<&syn::Path> = paths
                .iter()
                .filter(|p| {
                    let is_debug = p.segments.last().is_some_and(|s| s.ident == "Debug");
                    derived_debug |= is_debug;
                    !is_debug
                })
                .collect();
            *attr = syn::parse_quote! { #[derive(#(#kept),*)] };
        }
        if !derived_debug {
            return tokens;
        }
        let name = s.ident.to_string();
        let ident = &s.ident;
        let fields = s.fields.iter().filter_map(|f| {
            let id = f.ident.as_ref()?;
            let label = id.to_string();
            let label = label.strip_prefix("r#").unwrap_or(&label).to_owned();
            Some(if high.contains(&label) {
                quote! { .field(#label, &#rt::__private::Redacted) }
            } else {
                quote! { .field(#label, &self.#id) }
            })
        });
        extra = quote! {
            /// `high` PII fields print as a marker (onex: PII never reaches logs).
            impl ::core::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(#name)#(#fields)*.finish()
                }
            }
        };
    }
    quote! { #file #extra }
}
