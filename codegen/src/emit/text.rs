//! Unformatted code as text rustc reads quickly.
//!
//! `TokenStream::to_string` writes a whole module on one line. rustc finds
//! a span's column by counting characters from the start of its line, so on
//! a line of megabytes every span lookup (derive expansion, debug info)
//! costs a scan: a 100-topic crate spent 16 s of 37 in macro expansion that
//! way, against 2 s for the same code formatted. This printer writes the
//! same tokens with the same spacing, but starts a new line after `;`,
//! after a `{ ... }` group and after a `,` directly inside braces or
//! brackets, so lines stay short at a fraction of prettyplease's cost.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// `tokens` as text (see the module docs), ending with a newline.
pub(super) fn write(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_stream(tokens, Delimiter::None, &mut out);
    out.push('\n');
    out
}

/// What separates the next token from the previous one.
#[derive(Clone, Copy, PartialEq)]
enum Gap {
    /// Start of a stream, or after a joint punctuation (`::`, `=>`, `'a`).
    None,
    Space,
    Line,
}

fn write_stream(tokens: TokenStream, inside: Delimiter, out: &mut String) {
    let breaks_on_comma = matches!(inside, Delimiter::Brace | Delimiter::Bracket);
    let mut gap = Gap::None;
    for tt in tokens {
        // `};` and `},` stay on one line.
        let punct = matches!(&tt, TokenTree::Punct(p) if matches!(p.as_char(), ';' | ','));
        match gap {
            Gap::None => {}
            Gap::Line if !punct => out.push('\n'),
            Gap::Space | Gap::Line => out.push(' '),
        }
        gap = match tt {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                let delimiter = g.delimiter();
                let brace = delimiter == Delimiter::Brace;
                let stream = g.stream();
                // `stream` now owns its tokens alone: iterating it copies nothing.
                drop(g);
                out.push_str(open);
                if brace && !stream.is_empty() {
                    out.push('\n');
                    write_stream(stream, Delimiter::Brace, out);
                    out.push('\n');
                } else {
                    write_stream(stream, delimiter, out);
                }
                out.push_str(close);
                if brace { Gap::Line } else { Gap::Space }
            }
            TokenTree::Punct(p) => {
                let c = p.as_char();
                out.push(c);
                if p.spacing() == Spacing::Joint {
                    Gap::None
                } else if c == ';' || (c == ',' && breaks_on_comma) {
                    Gap::Line
                } else {
                    Gap::Space
                }
            }
            TokenTree::Ident(i) => {
                out.push_str(&i.to_string());
                Gap::Space
            }
            TokenTree::Literal(l) => {
                out.push_str(&l.to_string());
                Gap::Space
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn same_tokens_on_short_lines() {
        let tokens = quote! {
            #[derive(Debug)]
            pub struct A<'a> { pub x: &'a str, pub y: Vec<u8>, }
            impl A<'_> { fn f(&self) -> u8 { let v = [1, 2]; v[0] } }
            static T: &[(&str, u8)] = &[("a", 1), ("b", 2)];
            const E: () = {};
        };
        let text = super::write(tokens.clone());
        assert_eq!(
            text,
            "# [derive (Debug)] pub struct A < 'a > {\npub x : & 'a str ,\npub y : Vec < u8 > ,\n}\n\
             impl A < '_ > {\nfn f (& self) -> u8 {\nlet v = [1 ,\n2] ;\nv [0]\n}\n}\n\
             static T : & [(& str , u8)] = & [(\"a\" , 1) ,\n(\"b\" , 2)] ;\n\
             const E : () = {} ;\n"
        );
        // The text reads back as the same tokens.
        let back: proc_macro2::TokenStream = text.parse().unwrap_or_default();
        assert_eq!(back.to_string(), tokens.to_string());
        assert!(text.lines().all(|l| l.len() < 60));
    }
}
