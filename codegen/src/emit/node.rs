//! Node contracts as Rust: `Publishes<T>` / `Subscribes<T>` facts, a handler
//! trait with one method per subscription, and a dispatcher. Used for every
//! node of the catalog (`nodes::*`) and by `#[onex::node]` on a user's struct.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::doc_attr;
use crate::model::{Catalog, Channel, Node};

/// Where generated items find the rest of the generated API and the runtime.
#[derive(Clone, Debug)]
pub struct NodePaths {
    /// Path to the module holding `topics` and `EnumOnexTopic` (`super`, `crate`).
    pub api: TokenStream,
    /// Runtime path (`::onex`).
    pub runtime: TokenStream,
}

fn topic_path(catalog: &Catalog, c: &Channel) -> Option<(Ident, String)> {
    catalog
        .topic(&c.topic)
        .map(|t| (format_ident!("{}", t.rust_name), t.name.to_string()))
}

/// The traits generated per node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeTrait {
    /// `<Struct>Publishes<T>`.
    Publishes,
    /// `<Struct>Subscribes<T>`.
    Subscribes,
    /// `<Struct>Handlers`.
    Handlers,
}

/// The name of a node's trait: the struct's own spelling plus a suffix
/// (`HTTPGateway` → `HTTPGatewayHandlers`). The generator and
/// `#[onex::node]` both call this, so the two can never disagree.
pub fn node_trait(self_ty: &Ident, which: NodeTrait) -> Ident {
    let suffix = match which {
        NodeTrait::Publishes => "Publishes",
        NodeTrait::Subscribes => "Subscribes",
        NodeTrait::Handlers => "Handlers",
    };
    format_ident!("{}{suffix}", self_ty.to_string().trim_start_matches("r#"))
}

/// Everything for node `node` implemented on type `self_ty`; `define` also
/// declares `self_ty` as a unit struct.
pub fn node_items(
    catalog: &Catalog,
    node: &Node,
    self_ty: &Ident,
    define: bool,
    paths: &NodePaths,
) -> TokenStream {
    let NodePaths { api, runtime: rt } = paths;
    let name = &node.name;
    let node_type = &node.node_type;
    let version = &node.version;
    let group = &node.consumer_group;
    let contract = &node.file;
    let pub_trait = node_trait(self_ty, NodeTrait::Publishes);
    let sub_trait = node_trait(self_ty, NodeTrait::Subscribes);
    let handlers = node_trait(self_ty, NodeTrait::Handlers);

    let list = |chans: &[Channel]| -> String {
        if chans.is_empty() {
            return "nothing".to_owned();
        }
        chans
            .iter()
            .filter_map(|c| catalog.topic(&c.topic).map(|t| format!("`{}`", t.name)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let publishes_list = list(&node.publishes);
    let subscribes_list = list(&node.subscribes);

    let struct_def = define.then(|| {
        let mut text = node.description.clone().unwrap_or_else(|| format!("Node `{name}`."));
        text.push_str(&format!(
            "\n\n- Node type: {node_type}, version {version}, consumer group `{group}`\n- Contract: `{contract}`\n- Publishes: {publishes_list}\n- Subscribes: {subscribes_list}"
        ));
        let docs = doc_attr(&text);
        quote! {
            #docs
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct #self_ty;
        }
    });

    let pub_impls = node
        .publishes
        .iter()
        .filter_map(|c| topic_path(catalog, c))
        .map(|(t, _)| {
            quote! { impl #pub_trait<#api::topics::#t> for #self_ty {} }
        });
    let sub_impls = node
        .subscribes
        .iter()
        .filter_map(|c| topic_path(catalog, c))
        .map(|(t, _)| {
            quote! { impl #sub_trait<#api::topics::#t> for #self_ty {} }
        });

    // `on_unimplemented` strings are format strings: braces from names are escaped.
    let esc = |s: String| s.replace('{', "{{").replace('}', "}}");
    // Where to add a topic: the first entry of the list (a line number), or
    // the file when the list is empty.
    let at = |chans: &[Channel]| {
        chans
            .iter()
            .find_map(|c| c.location.as_ref())
            .map_or_else(|| contract.clone(), |l| format!("{}:{}", l.file, l.line))
    };
    let (publishes_at, subscribes_at) = (esc(at(&node.publishes)), esc(at(&node.subscribes)));
    let (name_e, contract_e) = (esc(name.clone()), esc(contract.clone()));
    let (publishes_e, subscribes_e) = (esc(publishes_list.clone()), esc(subscribes_list.clone()));
    let pub_msg = format!(
        "node `{name_e}` does not publish `{{T}}`: it is not in `event_channels.publishes` of `{publishes_at}`"
    );
    let pub_label = format!("not in the `publishes:` list of `{name_e}`");
    let pub_note = format!(
        "`{name_e}` publishes {publishes_e}; to publish this topic, add its wire name (the `Wire name:` in the topic type's docs) under `event_channels.publishes` at `{publishes_at}`, with the topic's key, then rebuild"
    );
    let sub_msg = format!(
        "node `{name_e}` does not subscribe to `{{T}}`: it is not in `event_channels.subscribes` of `{subscribes_at}`"
    );
    let sub_label = format!("not in the `subscribes:` list of `{name_e}`");
    let sub_note = format!(
        "`{name_e}` subscribes to {subscribes_e}; to consume this topic, add its wire name (the `Wire name:` in the topic type's docs) under `event_channels.subscribes` at `{subscribes_at}`, with a `handler`, then rebuild"
    );

    let methods: Vec<_> = node
        .subscribes
        .iter()
        .filter_map(|c| {
            let t = catalog.topic(&c.topic)?;
            let handler = format_ident!("{}", c.handler.clone()?);
            let topic_ty = format_ident!("{}", t.rust_name);
            let docs = doc_attr(&format!(
                "Handles `{}`{}.",
                t.name,
                c.description
                    .as_deref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ));
            Some((handler, topic_ty, docs))
        })
        .collect();
    let decls = methods.iter().map(|(h, t, docs)| {
        quote! {
            #docs
            fn #h(&mut self, event: #rt::Envelope<<#api::topics::#t as #rt::Topic>::Payload>) -> impl ::core::future::Future<Output = ::core::result::Result<(), Self::Error>> + ::core::marker::Send;
        }
    });
    let arms = methods.iter().map(|(h, t, _)| {
        quote! {
            ::core::option::Option::Some(#api::EnumOnexTopic::#t) => #rt::__private::handle::<#api::topics::#t, _, _, _, _>(codec, record, handlers, H::#h).await,
        }
    });
    let subscriptions = node
        .subscribes
        .iter()
        .filter_map(|c| topic_path(catalog, c))
        .map(|(t, _)| quote! { #rt::Subscription::of::<#api::topics::#t>() });
    // A node without subscriptions dispatches nothing.
    let unused = methods
        .is_empty()
        .then(|| quote! { let _ = (handlers, codec); });
    let handlers_msg = format!("`{{Self}}` does not handle the subscriptions of node `{name_e}`");
    let subs = esc(node
        .subscribes
        .iter()
        .filter_map(|c| {
            Some(format!(
                "`{}` → `fn {}`",
                catalog.topic(&c.topic)?.name,
                c.handler.as_deref()?
            ))
        })
        .collect::<Vec<_>>()
        .join(", "));
    let handlers_note = format!(
        "implement `{handlers}` for it: one method per `event_channels.subscribes` entry of `{contract_e}`: {subs}"
    );
    let handlers_doc = doc_attr(&format!(
        "Handlers of node `{name}`: one method per subscription of `{contract}`, each taking the typed envelope."
    ));
    let publish_doc = doc_attr(&format!(
        "Publish `event` on `topic` (a topic type, e.g. `topics::X`, which also fixes the payload type). Compiles only for the topics of `event_channels.publishes` in `{contract}`: {publishes_list}.\n\n# Errors\n\nThe bus's: encoding, envelope rules, transport."
    ));
    let poll_doc = doc_attr(&format!(
        "Records of `topic` not yet read by this node's consumer group. Compiles only for the topics of `event_channels.subscribes` in `{contract}`: {subscribes_list}.\n\n# Errors\n\nThe bus's."
    ));
    let pub_doc = doc_attr(&format!(
        "Topics node `{name}` may publish: {publishes_list}."
    ));
    let sub_doc = doc_attr(&format!(
        "Topics node `{name}` may subscribe to: {subscribes_list}."
    ));

    quote! {
        #struct_def

        impl #rt::Node for #self_ty {
            const NAME: &'static str = #name;
            const NODE_TYPE: &'static str = #node_type;
            const VERSION: &'static str = #version;
            const CONSUMER_GROUP: &'static str = #group;
            const CONTRACT: &'static str = #contract;
            const SUBSCRIPTIONS: &'static [#rt::Subscription] = &[#(#subscriptions),*];
        }

        #pub_doc
        #[diagnostic::on_unimplemented(message = #pub_msg, label = #pub_label, note = #pub_note)]
        pub trait #pub_trait<T> {}
        #(#pub_impls)*
        // A second impl, so that a node with a single topic still gets the
        // message above instead of a type mismatch from inference.
        #[doc(hidden)]
        #[diagnostic::do_not_recommend]
        impl #pub_trait<#rt::__private::Unlisted> for #self_ty {}
        impl<T: #rt::Topic> #rt::Publishes<T> for #self_ty where Self: #pub_trait<T> {}

        #sub_doc
        #[diagnostic::on_unimplemented(message = #sub_msg, label = #sub_label, note = #sub_note)]
        pub trait #sub_trait<T> {}
        #(#sub_impls)*
        #[doc(hidden)]
        #[diagnostic::do_not_recommend]
        impl #sub_trait<#rt::__private::Unlisted> for #self_ty {}
        impl<T: #rt::Topic> #rt::Subscribes<T> for #self_ty where Self: #sub_trait<T> {}

        impl #self_ty {
            #publish_doc
            pub async fn publish<T, B>(&self, bus: &B, _topic: T, event: &#rt::Envelope<T::Payload>) -> ::core::result::Result<#rt::Delivery, #rt::BusError>
            where
                Self: #pub_trait<T>,
                T: #rt::Topic,
                B: #rt::Publisher,
            {
                bus.publish::<Self, T>(self, event).await
            }

            #poll_doc
            pub fn poll<T>(&self, bus: &#rt::InMemoryBus, _topic: T) -> ::core::result::Result<::std::vec::Vec<(::std::string::String, #rt::Record)>, #rt::BusError>
            where
                Self: #sub_trait<T>,
                T: #rt::Topic,
            {
                bus.poll::<Self, T>(self)
            }
        }

        #handlers_doc
        #[diagnostic::on_unimplemented(message = #handlers_msg, note = #handlers_note)]
        pub trait #handlers: ::core::marker::Send {
            /// What a handler returns on failure (its text becomes `x-failure-reason`).
            type Error: ::core::fmt::Display + ::core::marker::Send;
            #(#decls)*

            /// Route an incoming record to its handler: decoded with `codec`
            /// (format, wire format, PII), key checked, and run as the cause of
            /// what the handler publishes. Unknown topics, topics this node does
            /// not subscribe to, undecodable values and keys that differ from
            /// the payload's are typed errors.
            fn dispatch<'a>(&'a mut self, codec: &'a #rt::Codec, record: &'a #rt::IncomingRecord) -> impl ::core::future::Future<Output = ::core::result::Result<(), #rt::DispatchError<Self::Error>>> + ::core::marker::Send + 'a
            where
                Self: ::core::marker::Sized,
            {
                <#self_ty as #rt::Dispatch<Self>>::dispatch(self, codec, record)
            }

            /// Take the next record from `consumer` (this node's: `bus.consumer(&node)`),
            /// hand it to its handler, and settle it: commit on success, else
            /// retry or dead-letter by the topic's contract.
            fn handle_next<'a, Tr: #rt::Transport>(&'a mut self, consumer: &'a mut #rt::NodeConsumer<Tr, #self_ty>) -> impl ::core::future::Future<Output = ::core::result::Result<#rt::Outcome, #rt::BusError>> + ::core::marker::Send + 'a
            where
                Self: ::core::marker::Sized,
            {
                #rt::__private::handle_next(self, consumer)
            }

            /// [`handle_next`](Self::handle_next) until the transport fails
            /// for good; retriable broker errors are waited out.
            fn run<'a, Tr: #rt::Transport>(&'a mut self, consumer: &'a mut #rt::NodeConsumer<Tr, #self_ty>) -> impl ::core::future::Future<Output = #rt::BusError> + ::core::marker::Send + 'a
            where
                Self: ::core::marker::Sized,
            {
                #rt::__private::run(self, consumer)
            }
        }

        impl<H: #handlers> #rt::Dispatch<H> for #self_ty {
            type Error = H::Error;

            async fn dispatch(handlers: &mut H, codec: &#rt::Codec, record: &#rt::IncomingRecord) -> ::core::result::Result<(), #rt::DispatchError<H::Error>> {
                #unused
                match #api::EnumOnexTopic::resolve(&record.topic).map(|r| r.topic) {
                    #(#arms)*
                    // Unreachable when the node subscribes to every topic.
                    #[allow(unreachable_patterns)]
                    ::core::option::Option::Some(_) => ::core::result::Result::Err(#rt::DispatchError::NotSubscribed {
                        node: #name,
                        topic: record.topic.clone(),
                    }),
                    ::core::option::Option::None => ::core::result::Result::Err(#rt::DispatchError::UnknownTopic(record.topic.clone())),
                }
            }
        }
    }
}
