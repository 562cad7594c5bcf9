//! Schema evolution: compare the catalog with an older version of itself
//! (placeholder until the comparison lands below).

/// A breaking-change rule.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// One line.
    pub summary: &'static str,
}

/// Every breaking-change rule.
pub const RULES: &[Rule] = &[];
