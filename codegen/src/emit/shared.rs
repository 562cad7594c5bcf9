//! What payload modules share instead of repeating: the payload generators'
//! output is rewritten so that each module carries only its own types.
//! `serde`/`serde_json` paths go through the runtime (`onex::__private`, with
//! `#[serde(crate = ...)]` on every derive), so a consuming crate needs no
//! serde dependency of its own; typify's per-schema `error` module becomes a
//! re-export of the runtime's; its `Display`/`FromStr`/`TryFrom` impls of
//! unit enums become one `string_enum!` call of the runtime.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, TokenStream, TokenTree};
use quote::quote;

/// `tokens` with every `::serde` and `::serde_json` path (also inside
/// string literals of serde attributes) rooted at `rt::__private`, and
/// `#[serde(crate = "rt::__private::serde")]` after each derive of
/// `Serialize` or `Deserialize`.
pub(super) fn route_serde(tokens: TokenStream, rt: &TokenStream, rt_path: &str) -> TokenStream {
    let private = format!("{rt_path}::__private::");
    let crate_attr = {
        let path = format!("{private}serde");
        quote! { #[serde(crate = #path)] }
    };
    rewrite(tokens, rt, &private, &crate_attr)
}

fn rewrite(
    tokens: TokenStream,
    rt: &TokenStream,
    private: &str,
    crate_attr: &TokenStream,
) -> TokenStream {
    // Reversed, so that `pop` hands over each token: a group's stream is
    // then iterated by its last owner, without copying it.
    let mut input: Vec<TokenTree> = tokens.into_iter().collect();
    input.reverse();
    let mut out: Vec<TokenTree> = Vec::with_capacity(input.len());
    while let Some(tt) = input.pop() {
        // `#[derive(..Serialize..)]`: the attribute, then serde's `crate`.
        if matches!(&tt, TokenTree::Punct(p) if p.as_char() == '#')
            && matches!(input.last(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket)
        {
            if let Some(TokenTree::Group(g)) = input.pop() {
                let span = g.span();
                let stream = g.stream();
                drop(g);
                let derives_serde = is_serde_derive(&stream);
                let attr = if derives_serde {
                    short_derives(stream)
                } else {
                    rewrite(stream, rt, private, crate_attr)
                };
                out.push(tt);
                let mut ng = Group::new(Delimiter::Bracket, attr);
                ng.set_span(span);
                out.push(TokenTree::Group(ng));
                if derives_serde {
                    out.extend(crate_attr.clone());
                }
                continue;
            }
        }
        // A leading `::serde` / `::serde_json`, not `Foo::serde`: a `::`
        // continues a path only after a path segment (an identifier that is
        // not a keyword or a lifetime's name); after `>`, `->`, `=>`, `as`,
        // `impl`, `&'a` and the like it starts one (typify writes no
        // `Type<..>::serde`).
        let leading = || match out.as_slice() {
            [.., TokenTree::Punct(q), TokenTree::Ident(_)] if q.as_char() == '\'' => true,
            [.., TokenTree::Ident(i)] => {
                let i = i.to_string();
                !matches!(i.as_str(), "self" | "Self" | "super" | "crate")
                    && !typify::accept_as_ident(&i)
            }
            _ => true,
        };
        let serde_path = matches!(&tt, TokenTree::Punct(a) if a.as_char() == ':' && a.spacing() == Spacing::Joint)
            && matches!(input.last(), Some(TokenTree::Punct(b)) if b.as_char() == ':')
            && matches!(input.iter().rev().nth(1), Some(TokenTree::Ident(id)) if id == "serde" || id == "serde_json")
            && leading();
        if serde_path {
            if let (Some(b), Some(TokenTree::Ident(id))) = (input.pop(), input.pop()) {
                out.extend(rt.clone());
                out.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
                out.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
                out.push(TokenTree::Ident(Ident::new("__private", id.span())));
                out.push(tt);
                out.push(b);
                out.push(TokenTree::Ident(id));
                continue;
            }
        }
        match tt {
            TokenTree::Group(g) => {
                let (delimiter, span, stream) = (g.delimiter(), g.span(), g.stream());
                drop(g);
                let mut ng = Group::new(delimiter, rewrite(stream, rt, private, crate_attr));
                ng.set_span(span);
                out.push(TokenTree::Group(ng));
            }
            TokenTree::Literal(l) => out.push(TokenTree::Literal(rewrite_literal(&l, private))),
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// `"::serde_json::Map::is_empty"` (a path in a serde attribute) rooted at
/// the runtime; any other literal unchanged.
fn rewrite_literal(l: &Literal, private: &str) -> Literal {
    let text = l.to_string();
    for krate in ["serde_json::", "serde::"] {
        if let Some(rest) = text.strip_prefix(&format!("\"::{krate}")) {
            if let Some(path) = rest.strip_suffix('"') {
                let mut nl = Literal::string(&format!("{private}{krate}{path}"));
                nl.set_span(l.span());
                return nl;
            }
        }
    }
    l.clone()
}

/// `derive(::serde::Serialize, Clone)` as `derive(Serialize, Clone)`: the
/// payload module glob-imports serde's derives from the runtime.
fn short_derives(attr: TokenStream) -> TokenStream {
    map_derives(attr, |path| {
        // The last segment of serde's derives; any other path as it was.
        Some(match path.last() {
            Some(TokenTree::Ident(i)) if i == "Serialize" || i == "Deserialize" => quote! { #i },
            _ => path.iter().cloned().collect(),
        })
    })
}

/// An attribute body `derive(A, b::B, ...)` with each path replaced by
/// what `f` gives for it (`None` drops it), spans kept; an empty stream
/// for anything but a `derive(...)`.
pub(super) fn map_derives(
    attr: TokenStream,
    mut f: impl FnMut(&[TokenTree]) -> Option<TokenStream>,
) -> TokenStream {
    let mut it = attr.into_iter();
    let (Some(d), Some(TokenTree::Group(g))) = (it.next(), it.next()) else {
        return TokenStream::new();
    };
    let paths = g.stream().into_iter().collect::<Vec<_>>();
    let paths = paths
        .split(|tt| matches!(tt, TokenTree::Punct(p) if p.as_char() == ','))
        .filter(|p| !p.is_empty())
        .filter_map(&mut f);
    let mut ng = Group::new(Delimiter::Parenthesis, quote! { #(#paths),* });
    ng.set_span(g.span());
    let mut out = TokenStream::new();
    out.extend([d, TokenTree::Group(ng)]);
    out
}

/// Is this attribute body `derive(...)` naming `Serialize` or `Deserialize`?
fn is_serde_derive(attr: &TokenStream) -> bool {
    let mut it = attr.clone().into_iter();
    let (Some(TokenTree::Ident(d)), Some(TokenTree::Group(g))) = (it.next(), it.next()) else {
        return false;
    };
    d == "derive"
        && g.stream()
            .into_iter()
            .any(|tt| matches!(tt, TokenTree::Ident(i) if i == "Serialize" || i == "Deserialize"))
}

/// typify's output with its `error` module replaced by the runtime's, and
/// each enum of unit variants (with typify's derives and its `Display`,
/// `FromStr` and `TryFrom` impls) by one `string_enum!` call. Only the
/// items that may change are parsed (enums, and impls of those three
/// traits); every other item is passed on as typify's tokens, unparsed:
/// parsing and re-printing all of typify's output cost more than typify.
pub(super) fn share_typify_helpers(tokens: TokenStream, rt: &TokenStream) -> TokenStream {
    let chunks = items(tokens);
    // Unit enums by name, with their docs and (variant, attrs, wire text).
    let unit_enums: Vec<(usize, UnitEnum)> = chunks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ItemKind::Enum)
        .filter_map(|(i, c)| {
            let e = syn::parse2::<syn::ItemEnum>(c.tokens.iter().cloned().collect()).ok()?;
            Some((i, unit_enum(&e)?))
        })
        .collect();
    let is_unit = |name: &syn::Ident| unit_enums.iter().any(|(_, u)| u.ident == *name);
    // The impls typify writes per unit enum, by chunk, with their type.
    let string_impls: Vec<(usize, syn::Ident)> = chunks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ItemKind::StringImpl)
        .filter_map(|(i, c)| Some((i, string_impl_of(&c.tokens).filter(|t| is_unit(t))?)))
        .collect();
    // typify writes the four impls together; an enum with any other set
    // stays as typify wrote it.
    let shared = |name: &syn::Ident| string_impls.iter().filter(|(_, n)| n == name).count() == 4;
    let mut out = quote! { pub use #rt::__private::error; };
    for (i, chunk) in chunks.into_iter().enumerate() {
        if chunk.kind == ItemKind::ErrorMod {
            continue;
        }
        if string_impls.iter().any(|(j, n)| *j == i && shared(n)) {
            continue;
        }
        match unit_enums.iter().find(|(j, _)| *j == i) {
            Some((_, u)) if shared(&u.ident) => out.extend(u.call(rt)),
            _ => out.extend(chunk.tokens),
        }
    }
    out
}

/// What a top-level item of typify's output is, as far as
/// [`share_typify_helpers`] cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ItemKind {
    /// `enum`.
    Enum,
    /// `impl` of `Display`, `FromStr` or `TryFrom`.
    StringImpl,
    /// `mod error { ... }`.
    ErrorMod,
    /// Anything else.
    Other,
}

/// One top-level item's tokens.
pub(super) struct Chunk {
    kind: ItemKind,
    pub(super) tokens: Vec<TokenTree>,
}

/// `tokens` split into top-level items without parsing them: an item ends
/// after its first top-level `{ ... }` group or `;` (typify's items are
/// structs, enums, impls, modules, type aliases and uses). Concatenated,
/// the chunks are `tokens` again.
pub(super) fn items(tokens: TokenStream) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    for tt in tokens {
        let ends = match &tt {
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        current.push(tt);
        if ends {
            let tokens = std::mem::take(&mut current);
            out.push(Chunk {
                kind: kind_of(&tokens),
                tokens,
            });
        }
    }
    if !current.is_empty() {
        out.push(Chunk {
            kind: ItemKind::Other,
            tokens: current,
        });
    }
    out
}

/// The kind of an item from its head: the idents outside attributes before
/// its body.
fn kind_of(tokens: &[TokenTree]) -> ItemKind {
    let mut head = tokens.iter().filter_map(|tt| match tt {
        TokenTree::Ident(i) => Some(i.to_string()),
        _ => None,
    });
    // Attributes are `#` + a bracket group: no idents at this level.
    let Some(first) = head.find(|i| i != "pub" && i != "crate") else {
        return ItemKind::Other;
    };
    match first.as_str() {
        "enum" => ItemKind::Enum,
        "mod" if head.next().as_deref() == Some("error") => ItemKind::ErrorMod,
        "impl" if head.any(|i| matches!(i.as_str(), "Display" | "FromStr" | "TryFrom")) => {
            ItemKind::StringImpl
        }
        _ => ItemKind::Other,
    }
}

/// An enum of unit variants as typify writes it.
struct UnitEnum {
    docs: Vec<syn::Attribute>,
    vis: syn::Visibility,
    ident: syn::Ident,
    /// (variant, its doc attributes, wire text)
    variants: Vec<(syn::Ident, Vec<syn::Attribute>, String)>,
}

impl UnitEnum {
    fn call(&self, rt: &TokenStream) -> TokenStream {
        let UnitEnum {
            docs, vis, ident, ..
        } = self;
        let variants = self
            .variants
            .iter()
            .map(|(v, attrs, text)| quote! { #(#attrs)* #v = #text });
        quote! {
            #rt::__private::string_enum! {
                #(#docs)*
                #vis enum #ident { #(#variants),* }
            }
        }
    }
}

/// The derives typify gives an enum of unit variants.
const UNIT_ENUM_DERIVES: [&str; 10] = [
    "Clone",
    "Copy",
    "Debug",
    "Deserialize",
    "Eq",
    "Hash",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Serialize",
];

/// The enum, when its variants are all units (no discriminants, attributes
/// only docs and `serde(rename)`) and it has exactly typify's derives and
/// no other attribute but docs.
fn unit_enum(e: &syn::ItemEnum) -> Option<UnitEnum> {
    if !e.generics.params.is_empty() || e.variants.is_empty() {
        return None;
    }
    let mut docs = Vec::new();
    let mut derives = Vec::new();
    for attr in &e.attrs {
        if attr.path().is_ident("doc") {
            docs.push(attr.clone());
        } else if attr.path().is_ident("derive") {
            attr.parse_nested_meta(|m| {
                if let Some(last) = m.path.segments.last() {
                    derives.push(last.ident.to_string());
                }
                Ok(())
            })
            .ok()?;
        } else {
            return None;
        }
    }
    derives.sort();
    if derives != UNIT_ENUM_DERIVES {
        return None;
    }
    let variants = e
        .variants
        .iter()
        .map(|v| {
            if !matches!(v.fields, syn::Fields::Unit) || v.discriminant.is_some() {
                return None;
            }
            let mut text = v.ident.to_string();
            let mut vdocs = Vec::new();
            for attr in &v.attrs {
                if attr.path().is_ident("doc") {
                    vdocs.push(attr.clone());
                } else if attr.path().is_ident("serde") {
                    let mut renamed = None;
                    attr.parse_nested_meta(|m| {
                        if m.path.is_ident("rename") {
                            let lit: syn::LitStr = m.value()?.parse()?;
                            renamed = Some(lit.value());
                            Ok(())
                        } else {
                            Err(m.error("not a rename"))
                        }
                    })
                    .ok()?;
                    text = renamed?;
                } else {
                    return None;
                }
            }
            Some((v.ident.clone(), vdocs, text))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(UnitEnum {
        docs,
        vis: e.vis.clone(),
        ident: e.ident.clone(),
        variants,
    })
}

/// The type of an `impl Display`, `FromStr` or `TryFrom<..>` block (the
/// ones typify writes per unit enum), read from its head without parsing
/// the body: the last identifier of the path after `for`, when the body
/// follows it directly (no generics on the type, no `where`).
fn string_impl_of(tokens: &[TokenTree]) -> Option<syn::Ident> {
    let head = tokens
        .iter()
        .take_while(|tt| !matches!(tt, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace));
    let mut after_for = head.skip_while(|tt| !matches!(tt, TokenTree::Ident(i) if i == "for"));
    after_for.next()?;
    let mut last = None;
    for tt in after_for {
        match tt {
            TokenTree::Ident(i) => last = Some(i.clone()),
            TokenTree::Punct(p) if p.as_char() == ':' => {}
            _ => return None,
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::route_serde;
    use quote::quote;

    fn routed(tokens: proc_macro2::TokenStream) -> String {
        route_serde(tokens, &quote! { ::rt }, "::rt").to_string()
    }

    #[test]
    fn leading_serde_paths_go_through_the_runtime() {
        let out = routed(quote! {
            impl<'de> ::serde::Deserialize<'de> for X {}
            fn d() -> ::serde_json::Value { <E as ::serde::de::Error>::custom(1) }
            fn f<'a>(v: &'a ::serde_json::Value) {}
            fn g() { match x { A => ::serde_json::Value::Null } }
        });
        assert_eq!(out.matches("__private :: serde").count(), 5, "{out}");
    }

    #[test]
    fn a_path_segment_named_serde_stays() {
        let out = routed(quote! { use self::serde::X; type T = Foo::serde::Y; });
        assert!(!out.contains("__private"), "{out}");
    }
}
