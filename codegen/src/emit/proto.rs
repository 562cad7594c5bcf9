//! Protobuf payloads through prost-build. The `.proto` is compiled by protox
//! (pure Rust), so neither the build nor its users need `protoc`.

use proc_macro2::{Delimiter, Literal, TokenStream, TokenTree};
use prost::Message as _;
use quote::{format_ident, quote};

use super::{Emitted, KeyAccess, KeyTy};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::Topic;
use crate::model::payload::Parsed;

/// `runtime` is the runtime path as written (prost-build takes strings), `rt`
/// the same as tokens.
pub(super) fn emit(topic: &Topic, runtime: &str, rt: &TokenStream) -> Result<Emitted, Diagnostic> {
    let file = &topic.schema.payload.file;
    let fail = |msg: String| {
        Diagnostic::new(Code::SchemaParse, msg)
            .at(Location::file(file.clone()))
            .help("payload .proto files are self-contained: imports other than google/protobuf/* are not resolved")
    };
    let Parsed::Protobuf(proto) = &topic.schema.payload.parsed else {
        return Err(fail("internal: not a Protobuf payload".to_owned()));
    };
    let (Some(fd), Some(message)) = (proto.file_descriptor(), proto.message_descriptor()) else {
        return Err(fail("the payload message is not in the file".to_owned()));
    };
    let fd = fd.clone();
    // The payload message's index among the file's top-level messages
    // (Confluent's Protobuf framing names the message by it).
    let index = fd
        .message_type
        .iter()
        .position(|d| d.name() == message.name())
        .unwrap_or(0);
    let package = fd.package().to_owned();
    let mut config = prost_build::Config::new();
    // Each message names itself (`prost::Name`), so that the runtime finds
    // its descriptor for the JSON mapping; well-known types come from the
    // runtime's prost-types, so a consuming crate needs no prost of its own.
    config
        .prost_path(format!("{runtime}::__private::prost"))
        // Not under `__private`: prost-build snake-cases the segments of
        // this path, which would make it `private`.
        .prost_types_path(format!("{runtime}::prost_types"))
        .enable_type_names();
    let module = prost_build::Module::from_protobuf_package_name(&package);
    // prost-build resolves field types (and whether a message can derive
    // `Eq`, `Hash`, ...) among the files it is given: the payload's imports
    // (well-known types) go along, and only the payload's module is kept.
    let own = fd.name().to_owned();
    let requests: Vec<_> = proto
        .set
        .file
        .iter()
        .filter(|f| f.name() != own)
        .map(|f| {
            (
                prost_build::Module::from_protobuf_package_name(f.package()),
                f.clone(),
            )
        })
        .chain(std::iter::once((module.clone(), fd)))
        .collect();
    // prost-build panics on some inputs it refuses (the loader checks the
    // ones known): its message becomes the diagnostic.
    let out = crate::diagnostic::panics::expected(move || config.generate(requests))
        .map_err(|panic| {
            let what = crate::diagnostic::panics::message(&*panic);
            fail(format!("prost-build cannot generate `{file}`: {what}"))
        })?
        .map_err(|e| fail(format!("prost-build cannot generate `{file}`: {e}")))?;
    let code: String = out.get(&module).cloned().unwrap_or_default();
    if code.trim().is_empty() {
        // (A payload in package `google.protobuf` is taken for the
        // well-known types, which come from prost-types.)
        return Err(fail(format!(
            "prost-build generated no code for `{file}` (package `{package}`)"
        )));
    }
    let tokens: TokenStream = code
        .parse()
        .map_err(|e| fail(format!("prost-build produced unparsable code: {e}")))?;
    // serde by Protobuf's JSON mapping for every message, from the file's
    // descriptors (with its imports), which the payload module carries.
    // Without source info (comments, spans): the JSON mapping needs none.
    let mut set = (*proto.set).clone();
    for f in &mut set.file {
        f.source_code_info = None;
    }
    let set = Literal::byte_string(&set.encode_to_vec());
    let mut tokens = with_json_impls(tokens, rt, 0);
    tokens.extend(quote! {
        /// The payload's `.proto` and its imports, compiled: its messages'
        /// JSON form follows Protobuf's JSON mapping through them.
        pub static PROTO_DESCRIPTORS: #rt::__private::ProtoDescriptors =
            #rt::__private::ProtoDescriptors::new(#set);
    });
    let key = match topic.key.payload_path() {
        Some(path) => Some(key_access(message, path).map_err(fail)?),
        None => None,
    };
    Ok(Emitted {
        tokens,
        key,
        record_name: Some(message.name().to_owned()),
        message_index: u32::try_from(index).unwrap_or(u32::MAX),
    })
}

fn key_access(msg: &prost_types::DescriptorProto, path: &[String]) -> Result<KeyAccess, String> {
    use prost_types::field_descriptor_proto::Type;
    // Nested key paths through sub-messages are Option<_> in prost: not
    // supported here (the loader already insists the key is required).
    let [field] = path else {
        return Err("nested key paths are not supported for Protobuf payloads".to_owned());
    };
    let f = msg
        .field
        .iter()
        .find(|f| f.name() == field)
        .ok_or_else(|| format!("no field `{field}`"))?;
    let ident = super::prost_field_ident(field);
    let expr = quote::quote! { payload.#ident };
    let ty = match f.r#type() {
        Type::String => KeyTy::Str,
        Type::Int64 | Type::Sint64 | Type::Sfixed64 => KeyTy::Int(format_ident!("i64")),
        Type::Uint64 | Type::Fixed64 => KeyTy::Int(format_ident!("u64")),
        Type::Int32 | Type::Sint32 | Type::Sfixed32 | Type::Enum => {
            KeyTy::Int(format_ident!("i32"))
        }
        Type::Uint32 | Type::Fixed32 => KeyTy::Int(format_ident!("u32")),
        Type::Bytes => KeyTy::Bytes,
        other => return Err(format!("a {other:?} field cannot be a key")),
    };
    Ok(KeyAccess { ty, expr })
}

/// prost-build's output with `proto_json!(Message, <path>::PROTO_DESCRIPTORS)`
/// after each message struct, at every module depth (`depth` modules below
/// the payload module).
fn with_json_impls(tokens: TokenStream, rt: &TokenStream, depth: usize) -> TokenStream {
    let input: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while let Some(tt) = input.get(i) {
        let keyword = match tt {
            TokenTree::Ident(k) if k == "struct" || k == "mod" => Some(k.to_string()),
            _ => None,
        };
        if let (Some(keyword), Some(TokenTree::Ident(name)), Some(TokenTree::Group(body))) =
            (keyword, input.get(i + 1), input.get(i + 2))
        {
            if body.delimiter() == Delimiter::Brace {
                out.extend([tt.clone(), TokenTree::Ident(name.clone())]);
                if keyword == "mod" {
                    let inner = with_json_impls(body.stream(), rt, depth + 1);
                    out.extend([TokenTree::Group(proc_macro2::Group::new(
                        Delimiter::Brace,
                        inner,
                    ))]);
                } else {
                    out.extend([TokenTree::Group(body.clone())]);
                    let up = (0..depth).map(|_| quote! { super:: });
                    out.extend(quote! {
                        #rt::__private::proto_json!(#name, self:: #(#up)* PROTO_DESCRIPTORS);
                    });
                }
                i += 3;
                continue;
            }
        }
        out.extend([tt.clone()]);
        i += 1;
    }
    out
}
