//! The catalog's envelope rules (`envelope:` in onex.yaml) and request/reply
//! links (`reply:`) as the runtime's `EnvelopeRules` and `Request`.

use heck::{ToShoutySnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::vocab::{ENVELOPE_ALWAYS, ENVELOPE_FIELDS, EventIdFlavour};
use crate::model::{Catalog, Topic};

pub(super) fn field(name: &str, rt: &TokenStream) -> TokenStream {
    let v = format_ident!("{}", name.to_upper_camel_case());
    quote! { #rt::EnvelopeField::#v }
}

fn class_const(class: &str) -> proc_macro2::Ident {
    format_ident!("CLASS_{}", class.to_shouty_snake_case())
}

/// `pub mod envelope`: the fields the catalog's records carry and, per
/// class, the rules (nothing when the catalog keeps onex's superset).
pub(super) fn rules_module(catalog: &Catalog, rt: &TokenStream) -> TokenStream {
    let Some(env) = &catalog.settings.envelope else {
        return TokenStream::new();
    };
    let fields = ENVELOPE_FIELDS
        .iter()
        .filter(|f| **f != "payload" && env.uses(f))
        .map(|f| field(f, rt));
    let id = match env.event_id {
        EventIdFlavour::UuidV4 => quote! { #rt::EventIdFlavour::UuidV4 },
        EventIdFlavour::UuidV7 => quote! { #rt::EventIdFlavour::UuidV7 },
    };
    let classes = catalog.settings.classes.keys().map(|class| {
        let name = class_const(class);
        let required = env
            .required(class)
            .into_iter()
            .filter(|f| *f != "payload")
            .map(|f| field(f, rt));
        let doc = format!("Envelope rules of `{class}` topics.");
        quote! {
            #[doc = #doc]
            pub const #name: #rt::EnvelopeRules = #rt::EnvelopeRules {
                event_id: #id,
                fields: ::core::option::Option::Some(FIELDS),
                required: &[#(#required),*],
            };
        }
    });
    quote! {
        /// The catalog's envelope (onex.yaml `envelope:`): the fields its
        /// records carry and, per class, the fields they must carry.
        pub mod envelope {
            /// The fields the catalog's records carry besides the payload.
            pub const FIELDS: &[#rt::EnvelopeField] = &[#(#fields),*];
            #(#classes)*
        }
    }
}

/// `const ENVELOPE` of a topic's `Topic` impl, when the catalog has an envelope.
pub(super) fn topic_rules(t: &Topic, catalog: &Catalog, rt: &TokenStream) -> TokenStream {
    if catalog.settings.envelope.is_none() {
        return TokenStream::new();
    }
    let name = class_const(&t.id.class);
    quote! { const ENVELOPE: #rt::EnvelopeRules = super::envelope::#name; }
}

/// `impl Request` for a request topic with a `reply:` link.
pub(super) fn request_impl(t: &Topic, catalog: &Catalog, rt: &TokenStream) -> TokenStream {
    let Some(reply) = &t.reply else {
        return TokenStream::new();
    };
    let Some(target) = catalog.topic(&reply.topic) else {
        return TokenStream::new();
    };
    let ident = format_ident!("{}", t.rust_name);
    let reply_ident = format_ident!("{}", target.rust_name);
    let correlation = if ENVELOPE_ALWAYS.contains(&reply.correlation.as_str()) {
        field("correlation_id", rt)
    } else {
        field(&reply.correlation, rt)
    };
    let doc = format!(
        "Replies to `{}` go to `{}`, matched by `{}`.",
        t.name, target.name, reply.correlation
    );
    quote! {
        #[doc = #doc]
        impl #rt::Request for #ident {
            type Reply = #reply_ident;
            const CORRELATION: #rt::EnvelopeField = #correlation;
        }
    }
}
