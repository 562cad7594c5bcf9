//! Resolving topic names at run time.

use std::fmt;

/// The result of resolving a name: the topic, and the legacy alias used, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Resolved<T> {
    /// The topic.
    pub topic: T,
    /// `Some(alias)` when the name was a legacy alias (seed 001 §9:
    /// accepted, but deprecated; migrate to the canonical name).
    pub via_alias: Option<&'static str>,
}

impl<T> Resolved<T> {
    /// Resolved by its canonical name.
    pub fn canonical(topic: T) -> Self {
        Resolved {
            topic,
            via_alias: None,
        }
    }

    /// Resolved through a legacy alias.
    pub fn alias(topic: T, alias: &'static str) -> Self {
        Resolved {
            topic,
            via_alias: Some(alias),
        }
    }

    /// Was a deprecated legacy alias used?
    pub fn is_deprecated_alias(&self) -> bool {
        self.via_alias.is_some()
    }
}

/// A name that is no topic of the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownTopic(String);

impl UnknownTopic {
    /// For `name`.
    pub fn new(name: &str) -> Self {
        UnknownTopic(name.to_owned())
    }

    /// The name that did not resolve.
    pub fn name(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a topic of the catalog", self.0)
    }
}

impl std::error::Error for UnknownTopic {}
