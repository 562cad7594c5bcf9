//! Protobuf (stub).
use super::{Direction, Finding, Options};
use crate::model::payload::ProtoParse;

/// Findings for one direction (BACKWARD: new reads old).
pub fn compare(
    _old: &ProtoParse,
    _new: &ProtoParse,
    _dir: Direction,
    _opts: Options,
) -> Vec<Finding> {
    Vec::new()
}
