//! Proc macros for onex. Thin: parsing and error placement only; the catalog
//! is loaded and checked by `onex-codegen`.
#![forbid(unsafe_code)]

mod cache;

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
    expand(&expand_path(&args.root.value()), &args)
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
///
/// Part of a large catalog, as `Builder::node` / `Builder::topics` select it
/// for a build script: `include_contracts!("../contracts", node =
/// "billing-service", topics = ["billing/evt/*/v1"])` (`node`/`nodes` and
/// `topics`, each one string or a list; the linked retry, dead-letter and
/// reply topics come along). A node or glob that matches nothing fails to
/// compile (E0801).
#[proc_macro]
pub fn include_contracts(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input as IncludeArgs);
    expand_include(&expand_path(&args.root.value()), &args)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `include_contracts!`'s input: the catalog path, then optional
/// `node = ..`/`nodes = ..` and `topics = ..`, each a string or a list.
struct IncludeArgs {
    root: LitStr,
    selection: onex_codegen::model::Selection,
    /// Each selected name or glob with its literal, to place an E0801.
    literals: Vec<LitStr>,
}

impl Parse for IncludeArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let root: LitStr = input.parse()?;
        let mut selection = onex_codegen::model::Selection::default();
        let mut literals = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let values: Vec<LitStr> = if input.peek(syn::token::Bracket) {
                let list;
                syn::bracketed!(list in input);
                list.parse_terminated(|p| p.parse::<LitStr>(), Token![,])?
                    .into_iter()
                    .collect()
            } else {
                vec![input.parse()?]
            };
            if values.is_empty() {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "`{key} = []` selects nothing: name at least one, or leave `{key}` out to include the whole catalog"
                    ),
                ));
            }
            let target = match key.to_string().as_str() {
                "node" | "nodes" => &mut selection.nodes,
                "topics" => &mut selection.topics,
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown argument `{other}`: expected `node = \"name\"`, `nodes = [..]` or `topics = [\"glob\", ..]`"
                        ),
                    ));
                }
            };
            target.extend(values.iter().map(LitStr::value));
            literals.extend(values);
        }
        Ok(IncludeArgs {
            root,
            selection,
            literals,
        })
    }
}

fn expand_include(
    root: &std::path::Path,
    args: &IncludeArgs,
) -> syn::Result<proc_macro2::TokenStream> {
    let lit = &args.root;
    let loaded = load_catalog(root, lit)?;
    let selected;
    let catalog = if args.selection.is_all() {
        &*loaded
    } else {
        selected = (*loaded).clone().select(&args.selection).map_err(|d| {
            // At the first literal a diagnostic names, else at the path.
            let text = d.render_human(false);
            let at = args
                .literals
                .iter()
                .find(|l| text.contains(&format!("`{}`", l.value())))
                .unwrap_or(lit);
            syn::Error::new(
                at.span(),
                format!("onex cannot select from `{}`:\n{text}", root.display()),
            )
        })?;
        &selected
    };
    let generated = onex_codegen::generate_tokens(catalog, &onex_codegen::Options::default())
        .map_err(|d| {
            syn::Error::new(
                lit.span(),
                format!(
                    "onex cannot generate code for `{}`:\n{}",
                    root.display(),
                    d.render_human(false)
                ),
            )
        })?;
    let code = generated.tokens;
    // Every file of the catalog, selected or not: a change anywhere may
    // change what the selection holds.
    let tracked = tracked_files(root, &loaded);
    Ok(quote! {
        #tracked
        #code
    })
}

/// Load a catalog, or a compile error at `lit` carrying its diagnostics.
fn load_catalog(
    root: &std::path::Path,
    lit: &LitStr,
) -> syn::Result<std::sync::Arc<onex_codegen::Catalog>> {
    cache::catalog(root).map_err(|d| {
        syn::Error::new(
            lit.span(),
            format!(
                "the contracts at `{}` have {} error(s):\n{}",
                root.display(),
                d.error_count(),
                d.render_human(false)
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

/// A path argument: `${VAR}` at the start is replaced by the environment
/// variable (e.g. one set in `.cargo/config.toml` `[env]`); relative paths
/// are relative to the crate's `Cargo.toml`.
fn expand_path(raw: &str) -> std::path::PathBuf {
    let manifest =
        std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let expanded = match raw.strip_prefix("${").and_then(|r| r.split_once('}')) {
        Some((var, rest)) => match std::env::var(var) {
            Ok(v) => format!("{v}{rest}"),
            Err(_) => raw.to_owned(),
        },
        None => raw.to_owned(),
    };
    manifest.join(expanded)
}

/// The catalog a macro without an explicit path uses: `$ONEX_CATALOG`
/// (relative to the crate's `Cargo.toml`), else the nearest `contracts/`
/// holding an `onex.yaml`, looking upwards from the crate.
fn default_catalog() -> Option<std::path::PathBuf> {
    let manifest = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").ok()?);
    if let Ok(p) = std::env::var("ONEX_CATALOG") {
        return Some(expand_path(&p));
    }
    manifest
        .ancestors()
        .map(|a| a.join("contracts"))
        .find(|c| c.join(onex_codegen::SETTINGS_FILE).is_file())
}

/// `onex::topic!("onex.node.heartbeat.published.v1")`: the topic's generated
/// type (`crate::topics::OnexNodeHeartbeatPublishedV1`), resolved at compile
/// time. Wire names (templates or concrete) and legacy aliases are accepted;
/// an unknown name fails on the literal with a "did you mean". The catalog is
/// `$ONEX_CATALOG` or the nearest `contracts/` above the crate; the generated
/// code must be included at the crate root.
#[proc_macro]
pub fn topic(input: TokenStream) -> TokenStream {
    let name = syn::parse_macro_input!(input as LitStr);
    let Some(root) = default_catalog() else {
        return syn::Error::new(
            name.span(),
            "no catalog found: set ONEX_CATALOG or put a `contracts/onex.yaml` above the crate",
        )
        .into_compile_error()
        .into();
    };
    let args = Args {
        root: LitStr::new(&root.display().to_string(), name.span()),
        name,
    };
    resolve_topic(&root, &args)
        .map(|(topic, catalog)| {
            let ident = quote::format_ident!("{}", topic.rust_name);
            // A type cannot carry items, so the files are tracked through a
            // const argument: `Tracked<{ ...include_bytes!... }>` is the identity.
            let files = catalog
                .files
                .iter()
                .map(|f| root.join(f).display().to_string());
            quote! {
                <crate::topics::#ident as ::onex::__private::Tracked<{
                    #( let _: &[u8] = include_bytes!(#files); )*
                    0
                }>>::Itself
            }
        })
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `#[onex::node(contract = "...", catalog = "...", api = crate)]` on a
/// struct: makes it the node of that `contract.yaml` — `onex::Node`,
/// `Publishes<T>` / `Subscribes<T>` for exactly the contract's topics, and a
/// `<Struct>Handlers` trait with one method per subscription — and makes the
/// compiler check that the struct implements every handler. `contract` and
/// `catalog` are relative to the crate's `Cargo.toml` (`catalog` defaults as
/// for `topic!`); `api` is the path of the included generated code (default
/// `crate`). Editing the contract or the catalog rebuilds the crate.
#[proc_macro_attribute]
pub fn node(attr: TokenStream, item: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(attr as NodeArgs);
    let item = syn::parse_macro_input!(item as syn::ItemStruct);
    expand_node(args, item)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

struct NodeArgs {
    contract: LitStr,
    catalog: Option<LitStr>,
    api: Option<syn::Path>,
    span: Span,
}

impl Parse for NodeArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let span = input.span();
        let mut contract = None;
        let mut catalog = None;
        let mut api = None;
        while !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "contract" => contract = Some(input.parse()?),
                "catalog" => catalog = Some(input.parse()?),
                "api" => api = Some(input.parse()?),
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown argument `{other}`; expected `contract`, `catalog` or `api`"
                        ),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let contract = contract.ok_or_else(|| {
            syn::Error::new(span, "missing `contract = \"path/to/contract.yaml\"`")
        })?;
        Ok(NodeArgs {
            contract,
            catalog,
            api,
            span,
        })
    }
}

fn expand_node(args: NodeArgs, item: syn::ItemStruct) -> syn::Result<proc_macro2::TokenStream> {
    let root = match &args.catalog {
        Some(c) => expand_path(&c.value()),
        None => default_catalog().ok_or_else(|| {
            syn::Error::new(
                args.span,
                "no catalog found: pass `catalog = \"...\"` or set ONEX_CATALOG",
            )
        })?,
    };
    let contract = expand_path(&args.contract.value());
    let catalog = load_catalog(&root, &args.contract)?;
    let node = onex_codegen::load_node_against(&root, &catalog, &contract).map_err(|d| {
        syn::Error::new(
            args.contract.span(),
            format!(
                "the node contract `{}` has {} error(s):\n{}",
                args.contract.value(),
                d.error_count(),
                d.render_human(false)
            ),
        )
    })?;
    let api = match &args.api {
        Some(p) => quote! { #p },
        None => quote! { crate },
    };
    let paths = onex_codegen::emit::node::NodePaths {
        api,
        runtime: quote! { ::onex },
    };
    let ident = &item.ident;
    let items = onex_codegen::emit::node::node_items(&catalog, &node, ident, false, &paths);
    let handlers =
        onex_codegen::emit::node::node_trait(ident, onex_codegen::emit::node::NodeTrait::Handlers);
    let check = (!node.subscribes.is_empty()).then(|| {
        quote::quote_spanned! { ident.span() =>
            const _: () = {
                fn __onex_requires_handlers<T: #handlers>() {}
                fn __onex_check() {
                    __onex_requires_handlers::<#ident>();
                }
            };
        }
    });
    let mut tracked = tracked_files(&root, &catalog);
    let contract_abs = contract.display().to_string();
    tracked.extend(quote! { const _: &[u8] = include_bytes!(#contract_abs); });
    Ok(quote! {
        #item
        #tracked
        #items
        #check
    })
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

/// Resolve `args.name` in the catalog at `root`: the topic and the catalog.
fn resolve_topic(
    root: &std::path::Path,
    args: &Args,
) -> syn::Result<(onex_codegen::Topic, std::sync::Arc<onex_codegen::Catalog>)> {
    let catalog = load_catalog(root, &args.root)?;
    let wanted = args.name.value();
    let topic = catalog
        .topic_by_name(&wanted)
        .or_else(|| catalog.topics.iter().find(|t| t.aliases.contains(&wanted)))
        .cloned();
    match topic {
        Some(t) => Ok((t, catalog)),
        None => {
            let names: Vec<String> = catalog.topics.iter().map(|t| t.name.to_string()).collect();
            let hint = onex_codegen::did_you_mean(&wanted, names.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    "; the catalog's topics are listed by `cargo xtask check`".to_owned()
                });
            Err(syn::Error::new(
                args.name.span(),
                format!(
                    "`{wanted}` is not a topic of the catalog `{}`{hint}",
                    root.display()
                ),
            ))
        }
    }
}

fn expand(root: &std::path::Path, args: &Args) -> syn::Result<proc_macro2::TokenStream> {
    let (topic, catalog) = resolve_topic(root, args)?;
    let tracked = tracked_files(root, &catalog);
    let lit = LitStr::new(&topic.name.to_string(), Span::call_site());
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
