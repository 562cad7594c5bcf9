//! `Deserialize` and `Serialize` for payload structs through the runtime's
//! `serde_struct!` instead of serde's derives.
//! Runs on a payload module's items last, after the user's attributes.
//!
//! serde's `Deserialize` derive expands to some 470 lines per synthetic
//! payload struct and `Serialize` to 74, more than half of what rustc
//! type-checks in a generated crate (BENCHMARKS.md, "Compile time"). The
//! runtime's macro writes one map visitor and one `serialize` per struct
//! and keeps the rest in generic code. Each impl is used only where it behaves
//! as the derive would: a struct with no serde container attribute but
//! `crate`, whose fields carry nothing but docs, `rename`, bare `default`,
//! `skip_serializing_if = "Option::is_none"` and the two `deserialize_with`
//! paths generated code uses; any other struct keeps the derive (per
//! direction: a field's own `serialize_with` keeps only `Serialize`'s).

use proc_macro2::{Delimiter, Group, Ident, Literal, TokenStream, TokenTree};
use quote::quote;

use super::json::split_fields;
use super::shared::{items, map_derives};

/// `tokens` (a payload module's items) with each struct that allows it
/// implementing serde through the runtime's macros.
/// `rt` is the runtime path as tokens, `rt_path` as written.
pub(super) fn apply(tokens: TokenStream, rt: &TokenStream, rt_path: &str) -> TokenStream {
    let mut out = TokenStream::new();
    for chunk in items(tokens) {
        let mut tokens = chunk.tokens;
        // `... struct Name { fields }` (typify writes no generics on structs).
        let n = tokens.len();
        let is_struct = matches!(
            n.checked_sub(3).and_then(|i| tokens.get(i..)),
            Some([TokenTree::Ident(kw), TokenTree::Ident(_), TokenTree::Group(body)])
                if kw == "struct" && body.delimiter() == Delimiter::Brace
        );
        // The body is taken out and put back, so that its tokens are read
        // (and rewritten) without copying them.
        let body = match tokens.pop() {
            Some(TokenTree::Group(body)) if is_struct => {
                let (span, stream) = (body.span(), body.stream());
                drop(body);
                Some((span, stream.into_iter().collect::<Vec<TokenTree>>()))
            }
            other => {
                tokens.extend(other);
                None
            }
        };
        let mut calls = TokenStream::new();
        if let Some((span, mut body)) = body {
            let name = match tokens.last() {
                Some(TokenTree::Ident(name)) => Some(name.clone()),
                _ => None,
            };
            if let (Some(name), Some(fields)) = (name, fields(&body, rt_path)) {
                let de = fields.iter().all(|f| f.de.is_some());
                let ser = fields.iter().all(|f| f.ser.is_some());
                let (de, ser, serde_left) = drop_derives(&mut tokens, n - 3, de, ser);
                if !serde_left {
                    // Field `#[serde(...)]` attributes need a serde derive.
                    body = strip_serde_attrs(body);
                }
                calls = call(rt, &name, &fields, de, ser);
            }
            let mut group = Group::new(Delimiter::Brace, body.into_iter().collect());
            group.set_span(span);
            tokens.push(TokenTree::Group(group));
        }
        out.extend(tokens);
        out.extend(calls);
    }
    out
}

/// A field as the macro reads it.
pub(super) struct Field {
    ident: Ident,
    wire: String,
    /// The runtime function that finishes it when reading: `plain`,
    /// `required`, `or_default` or `double`; `None`: only the derive reads it.
    de: Option<&'static str>,
    /// The runtime module that writes it: `always` or `if_some`; `None`:
    /// only the derive writes it.
    ser: Option<&'static str>,
}

/// The fields of a struct body (as generated, attributes included), or
/// `None` when one of them needs something only serde's derive does.
pub(super) fn fields(body: &[TokenTree], rt_path: &str) -> Option<Vec<Field>> {
    let double = format!("\"{rt_path}::__private::double_option\"");
    split_fields(body)
        .into_iter()
        .filter(|part| !part.is_empty())
        .map(|part| field(part, &double))
        .collect()
}

fn field(part: &[TokenTree], double_path: &str) -> Option<Field> {
    let mut rest = part;
    let (mut rename, mut default, mut required, mut double) = (None, false, false, false);
    let (mut de_ok, mut ser) = (true, Some("always"));
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
                        "skip_serializing_if" if v == "\"::std::option::Option::is_none\"" => {
                            ser = ser.and(Some("if_some"));
                        }
                        "skip_serializing_if" | "serialize_with" => ser = None,
                        "rename" => rename = Some(string_value(&v)?),
                        "deserialize_with" if v == "\"::std::option::Option::deserialize\"" => {
                            required = true;
                        }
                        "deserialize_with" if v == double_path => double = true,
                        "deserialize_with" => de_ok = false,
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
    let de = match (double, required, default) {
        _ if !de_ok => None,
        (true, false, true) => Some("double"),
        (false, true, false) => Some("required"),
        (false, false, true) if !is_option => Some("or_default"),
        (false, false, _) => Some("plain"),
        _ => None,
    };
    // `if_some` takes an `Option`.
    let ser = ser.filter(|&k| k == "always" || is_option);
    let name = ident.to_string();
    let wire = rename.unwrap_or_else(|| name.strip_prefix("r#").unwrap_or(&name).to_owned());
    Some(Field {
        ident: ident.clone(),
        wire,
        de,
        ser,
    })
}

/// Is the type `Option<..>` (spelled as typify and onex write it)?
fn is_option(ty: &[TokenTree]) -> bool {
    let mut idents = ty
        .iter()
        .take_while(|tt| !matches!(tt, TokenTree::Punct(p) if p.as_char() == '<'))
        .filter_map(|tt| match tt {
            TokenTree::Ident(i) => Some(i),
            _ => None,
        });
    match (idents.next(), idents.next(), idents.next(), idents.next()) {
        (Some(o), None, None, None) => o == "Option",
        (Some(k), Some(m), Some(o), None) => {
            (k == "std" || k == "core") && m == "option" && o == "Option"
        }
        _ => false,
    }
}

/// The text of a plain string literal (`"..."` without escapes); `None`
/// for anything else (such a struct keeps serde's derive).
fn string_value(lit: &str) -> Option<String> {
    let inner = lit.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then(|| inner.to_owned())
}

/// Removes `Deserialize` (if `de`) and `Serialize` (if `ser`) from the
/// derives among the struct attributes in `tokens[..end]` (what comes
/// before its `struct` keyword), and `#[serde(crate = ...)]` when neither
/// derive is left. Returns what it removed (nothing when the struct has a
/// serde container attribute other than `crate`: `deny_unknown_fields`,
/// `transparent`, ...) and whether a serde derive is left.
fn drop_derives(
    tokens: &mut Vec<TokenTree>,
    end: usize,
    de: bool,
    ser: bool,
) -> (bool, bool, bool) {
    let mut end = end;
    // Visibility: `pub` or `pub(...)`.
    if let Some(TokenTree::Group(g)) = end.checked_sub(1).and_then(|i| tokens.get(i)) {
        if g.delimiter() == Delimiter::Parenthesis {
            end -= 1;
        }
    }
    if matches!(end.checked_sub(1).and_then(|i| tokens.get(i)), Some(TokenTree::Ident(p)) if p == "pub")
    {
        end -= 1;
    }
    // (index of the `#` of each derive, of the crate attribute)
    let (mut derives, mut crate_attr) = (Vec::new(), None);
    while end >= 2 {
        let (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(g))) =
            (tokens.get(end - 2), tokens.get(end - 1))
        else {
            break;
        };
        if hash.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        let mut attr = g.stream().into_iter();
        match attr.next() {
            Some(TokenTree::Ident(i)) if i == "serde" => {
                let args: Vec<TokenTree> = match attr.next() {
                    Some(TokenTree::Group(args)) => args.stream().into_iter().collect(),
                    _ => Vec::new(),
                };
                match args.as_slice() {
                    [
                        TokenTree::Ident(k),
                        TokenTree::Punct(_),
                        TokenTree::Literal(_),
                    ] if k == "crate" => {
                        crate_attr = Some(end - 2);
                    }
                    _ => return (false, false, true),
                }
            }
            Some(TokenTree::Ident(i)) if i == "derive" => derives.push(end - 1),
            _ => {}
        }
        end -= 2;
    }
    let (mut dropped_de, mut dropped_ser, mut serde_left) = (false, false, false);
    for at in derives {
        let Some(TokenTree::Group(g)) = tokens.get(at) else {
            continue;
        };
        let body = map_derives(g.stream(), |path| {
            let last = match path.last() {
                Some(TokenTree::Ident(i)) => i.to_string(),
                _ => String::new(),
            };
            let keep = match last.as_str() {
                "Deserialize" if de => {
                    dropped_de = true;
                    false
                }
                "Serialize" if ser => {
                    dropped_ser = true;
                    false
                }
                "Deserialize" | "Serialize" => {
                    serde_left = true;
                    true
                }
                _ => true,
            };
            keep.then(|| path.iter().cloned().collect())
        });
        let mut new = Group::new(Delimiter::Bracket, body);
        new.set_span(g.span());
        if let Some(slot) = tokens.get_mut(at) {
            *slot = TokenTree::Group(new);
        }
    }
    if !serde_left {
        if let Some(at) = crate_attr {
            tokens.drain(at..at + 2);
        }
    }
    (dropped_de, dropped_ser, serde_left)
}

/// A struct body without its fields' `#[serde(...)]` attributes.
fn strip_serde_attrs(body: Vec<TokenTree>) -> Vec<TokenTree> {
    let mut out = Vec::with_capacity(body.len());
    let mut tokens = body.into_iter().peekable();
    while let Some(tt) = tokens.next() {
        let serde_attr = matches!(&tt, TokenTree::Punct(p) if p.as_char() == '#')
            && matches!(tokens.peek(), Some(TokenTree::Group(g))
                if g.delimiter() == Delimiter::Bracket
                    && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(s)) if s == "serde"));
        if serde_attr {
            tokens.next();
            continue;
        }
        out.push(tt);
    }
    out
}

/// The macro call that implements what was dropped from the derives.
fn call(rt: &TokenStream, name: &Ident, fields: &[Field], de: bool, ser: bool) -> TokenStream {
    if !de && !ser {
        return TokenStream::new();
    }
    let span = proc_macro2::Span::call_site();
    let which = [(de, "de"), (ser, "ser")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, w)| Ident::new(w, span));
    // A direction left to the derive still needs a placeholder kind.
    let fields = fields.iter().enumerate().map(|(n, f)| {
        let index = Literal::usize_unsuffixed(n);
        let read = Ident::new(f.de.unwrap_or("plain"), span);
        let write = Ident::new(f.ser.unwrap_or("always"), span);
        let (ident, wire) = (&f.ident, &f.wire);
        quote! { #index #ident = #wire #read #write }
    });
    quote! {
        #rt::__private::serde_struct! { #(#which)* #name { #(#fields),* } }
    }
}
