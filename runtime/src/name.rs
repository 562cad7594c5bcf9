//! Topic names: templates with run-time parts, and the namespace that binds them.

use std::fmt;

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

/// Does the concrete `name` instantiate `template`? `{env}` and `{tenant}`
/// match any one non-empty segment; everything else must be equal.
pub fn name_matches(template: &str, name: &str) -> bool {
    let mut t = template.split('.');
    let mut n = name.split('.');
    loop {
        match (t.next(), n.next()) {
            (None, None) => return true,
            (Some("{env}" | "{tenant}"), Some(seg)) if !seg.is_empty() => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
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
    fn matches_concrete_names() {
        let t = "{env}.{tenant}.onex.evt.contract-created.v1";
        assert!(name_matches(
            t,
            "prod.omnibase.onex.evt.contract-created.v1"
        ));
        assert!(!name_matches(
            t,
            "prod.omnibase.onex.evt.contract-created.v2"
        ));
        assert!(!name_matches(t, "prod..onex.evt.contract-created.v1"));
        assert!(name_matches(
            "onex.node.heartbeat.published.v1",
            "onex.node.heartbeat.published.v1"
        ));
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
