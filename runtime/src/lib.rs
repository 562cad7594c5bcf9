//! `onex`: what code generated from onex contracts, and its users, depend on.
//!
//! This first release carries the run-time half of topic naming: a
//! [`Namespace`] binds the `{env}` and `{tenant}` parts of a topic's name
//! template (seed 000's `<env>.<tenant>.<context>.<class>.<topic>.<v>`), and
//! [`headers`] names the message headers of seed 000.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;

pub mod headers;

pub use onex_macros::topic_name;

/// The run-time parts of a topic name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Namespace {
    env: String,
    tenant: String,
}

/// Why a namespace or a name could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    /// An env or tenant value that cannot be a topic-name segment.
    InvalidSegment {
        /// Which part (`env` or `tenant`).
        part: &'static str,
        /// The value.
        value: String,
    },
    /// A template with a placeholder other than `{env}` and `{tenant}`.
    UnknownPlaceholder(String),
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::InvalidSegment { part, value } => write!(
                f,
                "{part} `{value}` cannot be part of a topic name (use a-z, 0-9, `-` and `_`, not empty, no dots)"
            ),
            NameError::UnknownPlaceholder(p) => {
                write!(
                    f,
                    "`{p}` is not a run-time placeholder (only {{env}} and {{tenant}})"
                )
            }
        }
    }
}

impl std::error::Error for NameError {}

fn check_segment(part: &'static str, value: &str) -> Result<(), NameError> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(NameError::InvalidSegment {
            part,
            value: value.to_owned(),
        })
    }
}

impl Namespace {
    /// A namespace; `env` and `tenant` must be valid topic-name segments.
    pub fn new(env: impl Into<String>, tenant: impl Into<String>) -> Result<Self, NameError> {
        let (env, tenant) = (env.into(), tenant.into());
        check_segment("env", &env)?;
        check_segment("tenant", &tenant)?;
        Ok(Namespace { env, tenant })
    }

    /// The environment.
    pub fn env(&self) -> &str {
        &self.env
    }

    /// The tenant.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// Bind a name template (`{env}.{tenant}.onex.evt.contract-created.v1`).
    /// Templates without placeholders come back unchanged.
    pub fn render(&self, template: &str) -> Result<String, NameError> {
        let mut out = String::with_capacity(template.len() + 16);
        for (i, seg) in template.split('.').enumerate() {
            if i > 0 {
                out.push('.');
            }
            match seg {
                "{env}" => out.push_str(&self.env),
                "{tenant}" => out.push_str(&self.tenant),
                s if s.starts_with('{') => return Err(NameError::UnknownPlaceholder(s.to_owned())),
                s => out.push_str(s),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_env_and_tenant() {
        let ns = Namespace::new("prod", "omnibase").unwrap();
        assert_eq!(
            ns.render("{env}.{tenant}.onex.evt.contract-created.v1")
                .unwrap(),
            "prod.omnibase.onex.evt.contract-created.v1"
        );
        assert_eq!(
            ns.render("onex.node.heartbeat.published.v1").unwrap(),
            "onex.node.heartbeat.published.v1"
        );
    }

    #[test]
    fn refuses_segments_that_would_change_the_name_shape() {
        assert!(Namespace::new("prod.eu", "omnibase").is_err());
        assert!(Namespace::new("", "omnibase").is_err());
        assert!(Namespace::new("prod", "omni base").is_err());
        let ns = Namespace::new("dev", "acme").unwrap();
        assert_eq!(
            ns.render("{env}.{region}.x"),
            Err(NameError::UnknownPlaceholder("{region}".to_owned()))
        );
    }
}
