//! Governance over the validated model: the lints (seed rules for names,
//! storage, keys, ownership, privacy, topology, failure handling, lifecycle,
//! samples, headers), the schema compatibility engine and the
//! breaking-change check against an older catalog.
//! Rule ids, categories and default levels live in [`crate::model::rules`].

pub mod breaking;
pub mod compat;
pub mod levels;
pub mod lint;
pub mod sarif;
