//! JSON Schema (stub).
use serde_json::Value;

use super::{Direction, Finding};

/// Findings for one direction (BACKWARD: new reads old).
pub fn compare(_old: &Value, _new: &Value, _dir: Direction) -> Vec<Finding> {
    Vec::new()
}
