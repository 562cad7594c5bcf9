//! Proc macros for onex. Thin: parsing and error placement only; the catalog
//! is loaded and checked by `onex-codegen`.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token};

/// `topic_name!("contracts", "onex.node.heartbeat.published.v1")`: the
/// topic's canonical name template as a `&'static str`, checked at compile
/// time against the catalog at `contracts` (relative to the crate's
/// `Cargo.toml`). An unknown name fails to compile with a did-you-mean; a
/// legacy alias resolves to the canonical name. Editing any contract file
/// rebuilds the caller.
#[proc_macro]
pub fn topic_name(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    expand(
        &std::path::Path::new(&manifest).join(args.root.value()),
        &args,
    )
    .unwrap_or_else(syn::Error::into_compile_error)
    .into()
}

/// `include_contracts!("../contracts")`: the whole generated API of a
/// catalog (payload types, topic types, `EnumOnexTopic`, `SUBJECTS`), expanded
/// in place at compile time: the build.rs path without a build script. The
/// path is relative to the crate's `Cargo.toml`; editing any contract file
/// rebuilds the crate (a new contract folder needs a `cargo clean -p` or a
/// touched contract, as proc macros cannot watch directories on stable Rust).
/// Invalid contracts fail to compile with their diagnostics.
#[proc_macro]
pub fn include_contracts(input: TokenStream) -> TokenStream {
    let root = syn::parse_macro_input!(input as LitStr);
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    expand_include(&std::path::Path::new(&manifest).join(root.value()), &root)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn expand_include(root: &std::path::Path, lit: &LitStr) -> syn::Result<proc_macro2::TokenStream> {
    let catalog = load_catalog(root, lit)?;
    let generated =
        onex_codegen::generate(&catalog, &onex_codegen::Options::default()).map_err(|d| {
            syn::Error::new(
                lit.span(),
                format!(
                    "onex cannot generate code for `{}`:\n{}",
                    root.display(),
                    d.render_human(false)
                ),
            )
        })?;
    let code: proc_macro2::TokenStream = generated.rust.parse().map_err(|e| {
        syn::Error::new(
            lit.span(),
            format!("internal: generated code does not tokenize: {e}"),
        )
    })?;
    let tracked = tracked_files(root, &catalog);
    Ok(quote! {
        #tracked
        #code
    })
}

/// Load a catalog, or a compile error at `lit` carrying its diagnostics.
fn load_catalog(root: &std::path::Path, lit: &LitStr) -> syn::Result<onex_codegen::Catalog> {
    let loaded = onex_codegen::load(root);
    loaded.catalog.ok_or_else(|| {
        syn::Error::new(
            lit.span(),
            format!(
                "the contracts at `{}` have {} error(s):\n{}",
                root.display(),
                loaded.diagnostics.error_count(),
                loaded.diagnostics.render_human(false)
            ),
        )
    })
}

/// `const _: &[u8] = include_bytes!(...)` for every file the catalog was
/// built from, so that cargo rebuilds when one changes.
fn tracked_files(
    root: &std::path::Path,
    catalog: &onex_codegen::Catalog,
) -> proc_macro2::TokenStream {
    let files = catalog.files.iter().map(|f| {
        let abs = root.join(f).display().to_string();
        quote! { const _: &[u8] = include_bytes!(#abs); }
    });
    quote! { #(#files)* }
}

struct Args {
    root: LitStr,
    name: LitStr,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let root = input.parse()?;
        input.parse::<Token![,]>()?;
        let name = input.parse()?;
        let _ = input.parse::<Option<Token![,]>>()?;
        Ok(Args { root, name })
    }
}

fn expand(root: &std::path::Path, args: &Args) -> syn::Result<proc_macro2::TokenStream> {
    let catalog = load_catalog(root, &args.root)?;
    let wanted = args.name.value();
    let topic = catalog
        .topic_by_name(&wanted)
        .or_else(|| catalog.topics.iter().find(|t| t.aliases.contains(&wanted)));
    let Some(topic) = topic else {
        let names: Vec<String> = catalog.topics.iter().map(|t| t.name.to_string()).collect();
        let hint = onex_codegen::did_you_mean(&wanted, names.iter().map(String::as_str))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(syn::Error::new(
            args.name.span(),
            format!("`{wanted}` is not a topic of the catalog{hint}"),
        ));
    };
    let name = topic.name.to_string();
    let tracked = tracked_files(root, &catalog);
    let lit = LitStr::new(&name, Span::call_site());
    Ok(quote! {{
        #tracked
        #lit
    }})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(name: &str) -> Args {
        Args {
            root: LitStr::new("contracts", Span::call_site()),
            name: LitStr::new(name, Span::call_site()),
        }
    }

    fn root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts")
    }

    #[test]
    fn resolves_names_and_aliases() {
        let out = expand(&root(), &args("node.heartbeat"))
            .unwrap()
            .to_string();
        assert!(
            out.contains("\"onex.node.heartbeat.published.v1\""),
            "{out}"
        );
        assert!(out.contains("include_bytes"), "{out}");
    }

    #[test]
    fn unknown_names_get_a_did_you_mean() {
        let err = expand(&root(), &args("onex.node.heartbeat.publish.v1")).unwrap_err();
        assert!(
            err.to_string()
                .contains("did you mean `onex.node.heartbeat.published.v1`?"),
            "{err}"
        );
    }
}
