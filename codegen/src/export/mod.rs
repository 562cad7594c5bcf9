//! Views of the validated model for people and other tools: topology graphs
//! (DOT, Mermaid, JSON, SVG), catalog docs, least-privilege ACLs, and
//! AsyncAPI 3.0 documents, provisioning plans and broker-side schemas.

pub mod acl;
pub mod asyncapi;
pub mod asyncapi_import;
pub mod broker_schema;
pub mod docs;
pub mod html;
pub mod layout;
pub mod provision;
pub mod reference;
pub mod topology;
