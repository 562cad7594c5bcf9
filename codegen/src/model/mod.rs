//! The validated model: one [`Catalog`] that every backend reads, and the
//! vocabulary it is written in. This layer does no I/O and depends only on
//! [`crate::diagnostic`]; everything in it has been checked by the loader,
//! so backends never re-validate.

pub mod catalog;
pub mod duration;
pub mod naming;
pub mod payload;
pub mod rules;
pub mod select;
pub mod subjects;
pub mod vocab;

pub use catalog::*;
pub use duration::Millis;
pub use select::Selection;
pub use subjects::Subjects;
