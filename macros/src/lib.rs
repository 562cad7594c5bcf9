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
    let loaded = onex_codegen::load(root);
    let Some(catalog) = loaded.catalog else {
        let first = loaded
            .diagnostics
            .sorted()
            .first()
            .map(|d| d.to_string())
            .unwrap_or_default();
        return Err(syn::Error::new(
            args.root.span(),
            format!(
                "the catalog at `{}` has {} error(s); run `cargo xtask check`. First:\n{first}",
                root.display(),
                loaded.diagnostics.error_count()
            ),
        ));
    };
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
    // Track every catalog file so that cargo rebuilds when one changes.
    let tracked = catalog.files.iter().map(|f| {
        let abs = root.join(f).display().to_string();
        quote! { const _: &[u8] = include_bytes!(#abs); }
    });
    let lit = LitStr::new(&name, Span::call_site());
    Ok(quote! {{
        #(#tracked)*
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
