//! `Deserialize` for payload structs through the runtime's
//! `deserialize_struct!` instead of serde's derive.
//! Runs on a payload module's items last, after the user's attributes.
//!
//! serde's derive expands to some 470 lines per synthetic payload struct,
//! more than half of what rustc type-checks in a generated crate
//! (BENCHMARKS.md, "Compile time"). The runtime's macro writes one map
//! visitor per struct and keeps the rest in generic code. It is used only
//! where it behaves as the derive would: a struct with no serde container
//! attribute whose fields carry nothing but docs, `rename`, bare `default`,
//! `skip_serializing_if` and the two `deserialize_with` paths generated code
//! uses; any other struct keeps serde's derive.

use proc_macro2::{Delimiter, Ident, Literal, Punct, Spacing, TokenStream, TokenTree};
use quote::quote;

use super::json::split_fields;
use super::shared::items;

/// `tokens` (a payload module's items) with each struct that allows it
/// deriving `Deserialize` through the runtime's macro.
pub(super) fn apply(tokens: TokenStream, rt_path: &str) -> TokenStream {
    let mut out = TokenStream::new();
    for chunk in items(tokens) {
        let mut tokens = chunk.tokens;
        // `... struct Name { fields }` (typify writes no generics on structs).
        let n = tokens.len();
        let lean = match n.checked_sub(3).and_then(|i| tokens.get(i..)) {
            Some(
                [
                    TokenTree::Ident(kw),
                    TokenTree::Ident(name),
                    TokenTree::Group(body),
                ],
            ) if kw == "struct" && body.delimiter() == Delimiter::Brace => {
                fields(&body.stream(), rt_path).map(|f| (name.clone(), f))
            }
            _ => None,
        };
        let call = lean.and_then(|(name, fields)| {
            let head = tokens.get_mut(..n - 3)?;
            drop_derive(head).then(|| call(rt_path, &name, &fields))
        });
        out.extend(tokens);
        out.extend(call);
    }
    out
}

/// A field as the macro reads it.
pub(super) struct Field {
    ident: Ident,
    ty: TokenStream,
    wire: String,
    /// The runtime function that finishes it: `plain`, `required`,
    /// `or_default` or `double`.
    kind: &'static str,
}

/// The fields of a struct body (as generated, attributes included), or
/// `None` when one of them needs something only serde's derive does.
pub(super) fn fields(body: &TokenStream, rt_path: &str) -> Option<Vec<Field>> {
    let tokens: Vec<TokenTree> = body.clone().into_iter().collect();
    let double = format!("\"{rt_path}::__private::double_option\"");
    split_fields(&tokens)
        .into_iter()
        .filter(|part| !part.is_empty())
        .map(|part| field(part, &double))
        .collect()
}

fn field(part: &[TokenTree], double_path: &str) -> Option<Field> {
    let mut rest = part;
    let (mut rename, mut default, mut required, mut double) = (None, false, false, false);
    while let [TokenTree::Punct(hash), TokenTree::Group(g), tail @ ..] = rest {
        if hash.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        rest = tail;
        let mut attr = g.stream().into_iter();
        let (Some(TokenTree::Ident(path)), args) = (attr.next(), attr.next()) else {
            return None;
        };
        if path != "serde" {
            continue;
        }
        let Some(TokenTree::Group(args)) = args else {
            return None;
        };
        let args: Vec<TokenTree> = args.stream().into_iter().collect();
        for arg in args.split(|tt| matches!(tt, TokenTree::Punct(p) if p.as_char() == ',')) {
            match arg {
                [] => {}
                [TokenTree::Ident(k)] if k == "default" => default = true,
                [
                    TokenTree::Ident(k),
                    TokenTree::Punct(eq),
                    TokenTree::Literal(v),
                ] if eq.as_char() == '=' => {
                    let v = v.to_string();
                    match k.to_string().as_str() {
                        "skip_serializing_if" => {}
                        "rename" => rename = Some(string_value(&v)?),
                        "deserialize_with" if v == "\"::std::option::Option::deserialize\"" => {
                            required = true;
                        }
                        "deserialize_with" if v == double_path => double = true,
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }
    // `pub name : Type`.
    let rest = match rest {
        [TokenTree::Ident(p), rest @ ..] if p == "pub" => rest,
        rest => rest,
    };
    let [TokenTree::Ident(ident), TokenTree::Punct(colon), ty @ ..] = rest else {
        return None;
    };
    if colon.as_char() != ':' || ty.is_empty() {
        return None;
    }
    let is_option = is_option(ty);
    let kind = match (double, required, default) {
        (true, false, true) => "double",
        (false, true, false) => "required",
        (false, false, true) if !is_option => "or_default",
        (false, false, _) => "plain",
        _ => return None,
    };
    let name = ident.to_string();
    let wire = rename.unwrap_or_else(|| name.strip_prefix("r#").unwrap_or(&name).to_owned());
    Some(Field {
        ident: ident.clone(),
        ty: ty.iter().cloned().collect(),
        wire,
        kind,
    })
}

/// Is the type `Option<..>` (spelled as typify and onex write it)?
fn is_option(ty: &[TokenTree]) -> bool {
    let idents: Vec<String> = ty
        .iter()
        .take_while(|tt| !matches!(tt, TokenTree::Punct(p) if p.as_char() == '<'))
        .filter_map(|tt| match tt {
            TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        })
        .collect();
    matches!(
        idents
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["Option"] | ["std", "option", "Option"] | ["core", "option", "Option"]
    )
}

/// The text of a plain string literal (`"..."` without escapes); `None`
/// for anything else (such a struct keeps serde's derive).
fn string_value(lit: &str) -> Option<String> {
    let inner = lit.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then(|| inner.to_owned())
}

/// Removes `Deserialize` from the derive among the struct attributes at
/// the end of `out` (just before its `struct` keyword). `false`, with `out`
/// unchanged, when there is no such derive or the struct has a serde
/// container attribute (`deny_unknown_fields`, `transparent`, ...) other
/// than `crate = "..."`.
pub(super) fn drop_derive(out: &mut [TokenTree]) -> bool {
    let mut end = out.len();
    // Visibility: `pub` or `pub(...)`.
    if let Some(TokenTree::Group(g)) = end.checked_sub(1).and_then(|i| out.get(i)) {
        if g.delimiter() == Delimiter::Parenthesis {
            end -= 1;
        }
    }
    if matches!(end.checked_sub(1).and_then(|i| out.get(i)), Some(TokenTree::Ident(p)) if p == "pub")
    {
        end -= 1;
    }
    let mut derive = None;
    while end >= 2 {
        let (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(g))) =
            (out.get(end - 2), out.get(end - 1))
        else {
            break;
        };
        if hash.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        let mut attr = g.stream().into_iter();
        match attr.next() {
            Some(TokenTree::Ident(i)) if i == "serde" => {
                let crate_only = matches!(attr.next(), Some(TokenTree::Group(args))
                    if matches!(args.stream().into_iter().next(), Some(TokenTree::Ident(k)) if k == "crate")
                    && args.stream().into_iter().count() == 3);
                if !crate_only {
                    return false;
                }
            }
            Some(TokenTree::Ident(i)) if i == "derive" => derive = Some(end - 1),
            _ => {}
        }
        end -= 2;
    }
    let Some(at) = derive else {
        return false;
    };
    let Some(TokenTree::Group(g)) = out.get(at) else {
        return false;
    };
    let mut attr = g.stream().into_iter();
    let (Some(d), Some(TokenTree::Group(list))) = (attr.next(), attr.next()) else {
        return false;
    };
    let paths: Vec<TokenTree> = list.stream().into_iter().collect();
    let paths: Vec<&[TokenTree]> = paths
        .split(|tt| matches!(tt, TokenTree::Punct(p) if p.as_char() == ','))
        .filter(|p| !p.is_empty())
        .collect();
    let is_de =
        |p: &&[TokenTree]| matches!(p.last(), Some(TokenTree::Ident(i)) if i == "Deserialize");
    if !paths.iter().any(is_de) {
        return false;
    }
    let mut kept = TokenStream::new();
    for p in paths.into_iter().filter(|p| !is_de(p)) {
        if !kept.is_empty() {
            kept.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
        }
        kept.extend(p.iter().cloned());
    }
    let mut group = proc_macro2::Group::new(Delimiter::Parenthesis, kept);
    group.set_span(list.span());
    let mut body = TokenStream::new();
    body.extend([d, TokenTree::Group(group)]);
    let mut new = proc_macro2::Group::new(Delimiter::Bracket, body);
    new.set_span(g.span());
    if let Some(slot) = out.get_mut(at) {
        *slot = TokenTree::Group(new);
    }
    true
}

/// The macro call that implements `Deserialize` for `name`.
pub(super) fn call(rt_path: &str, name: &Ident, fields: &[Field]) -> TokenStream {
    let rt: TokenStream = rt_path.parse().unwrap_or_else(|_| quote! { ::onex });
    let fields = fields.iter().enumerate().map(|(n, f)| {
        let index = Literal::usize_unsuffixed(n);
        let Field {
            ident,
            ty,
            wire,
            kind,
        } = f;
        let kind = Ident::new(kind, proc_macro2::Span::call_site());
        quote! { #index #ident: #ty = #wire #kind }
    });
    quote! {
        #rt::__private::deserialize_struct! { #name { #(#fields),* } }
    }
}
