//! Views of the validated model for people and other tools: topology graphs
//! (DOT, Mermaid, JSON, SVG), catalog docs, and least-privilege ACLs.

pub mod acl;
pub mod docs;
pub mod topology;
