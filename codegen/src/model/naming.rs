//! Naming conventions: patterns such as `{env}.{tenant}.{context}.{class}.{topic}.{version}`
//! and the wire-name templates they give a topic. `{env}` and `{tenant}` stay
//! open until run time unless a contract pins them; everything else is bound
//! at generation time.

use std::fmt;

use serde::Serialize;

/// One dot-separated part of a naming pattern.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatternPart {
    /// A fixed text.
    Literal(String),
    /// `{env}`: bound at run time.
    Env,
    /// `{tenant}`: bound at run time.
    Tenant,
    /// `{context}` from the path.
    Context,
    /// `{class}` from the path.
    Class,
    /// `{topic}` from the path.
    Topic,
    /// `{version}`: `v<major>` from the path.
    Version,
    /// Any other placeholder: one free segment of an explicit name.
    Free(String),
}

/// A parsed naming pattern.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pattern {
    /// The pattern as written.
    pub source: String,
    /// Its parts.
    pub parts: Vec<PatternPart>,
}

impl Pattern {
    /// Parse a pattern; the error says what is malformed.
    pub fn parse(source: &str) -> Result<Pattern, String> {
        let mut parts = Vec::new();
        for seg in source.split('.') {
            parts.push(parse_part(seg)?);
        }
        Ok(Pattern {
            source: source.to_owned(),
            parts,
        })
    }
}

fn parse_part(seg: &str) -> Result<PatternPart, String> {
    if seg.is_empty() {
        return Err("empty segment (two dots in a row, or a dot at an end)".to_owned());
    }
    if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        return Ok(match inner {
            "env" => PatternPart::Env,
            "tenant" => PatternPart::Tenant,
            "context" => PatternPart::Context,
            "class" => PatternPart::Class,
            "topic" => PatternPart::Topic,
            "version" => PatternPart::Version,
            other if is_segment(other) && !other.is_empty() => PatternPart::Free(other.to_owned()),
            other => return Err(format!("`{{{other}}}` is not a placeholder name")),
        });
    }
    if seg.contains(['{', '}']) {
        return Err(format!(
            "`{seg}` mixes text and a placeholder; a placeholder must be a whole segment"
        ));
    }
    if !is_segment(seg) {
        return Err(format!(
            "`{seg}` has characters Kafka topic names cannot hold (allowed: a-z A-Z 0-9 _ -)"
        ));
    }
    Ok(PatternPart::Literal(seg.to_owned()))
}

/// Characters allowed in one segment of a Kafka topic name (without `.`).
pub fn is_segment(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// One part of a wire-name template.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NamePart {
    /// Fixed text (may itself contain no dots).
    Literal(String),
    /// Bound to the environment at run time.
    Env,
    /// Bound to the tenant at run time.
    Tenant,
}

/// A topic's wire name, with its run-time parts open.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NameTemplate {
    /// Dot-separated parts.
    pub parts: Vec<NamePart>,
}

impl NameTemplate {
    /// Parse an explicit name: literal segments plus `{env}` / `{tenant}`.
    pub fn parse(name: &str) -> Result<NameTemplate, String> {
        if name.len() > 249 {
            return Err(format!(
                "the name is {} characters; Kafka allows at most 249",
                name.len()
            ));
        }
        let mut parts = Vec::new();
        for seg in name.split('.') {
            parts.push(match parse_part(seg)? {
                PatternPart::Literal(s) => NamePart::Literal(s),
                PatternPart::Env => NamePart::Env,
                PatternPart::Tenant => NamePart::Tenant,
                _ => {
                    return Err(format!(
                        "`{seg}`: only {{env}} and {{tenant}} may stay open in a wire name"
                    ));
                }
            });
        }
        Ok(NameTemplate { parts })
    }

    /// True when the name needs no run-time binding.
    pub fn is_static(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, NamePart::Literal(_)))
    }

    /// Does a concrete name (e.g. `prod.omnibase.onex.evt.x.v1`) instantiate
    /// this template with an allowed env and a known tenant?
    pub fn matches_concrete(&self, name: &str, envs: &[String], tenants: &[String]) -> bool {
        let segs: Vec<&str> = name.split('.').collect();
        segs.len() == self.parts.len()
            && self.parts.iter().zip(&segs).all(|(p, s)| match p {
                NamePart::Literal(l) => l == s,
                NamePart::Env => envs.iter().any(|e| e == s),
                NamePart::Tenant => tenants.iter().any(|t| t == s),
            })
    }
}

impl fmt::Display for NameTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match p {
                NamePart::Literal(s) => f.write_str(s)?,
                NamePart::Env => f.write_str("{env}")?,
                NamePart::Tenant => f.write_str("{tenant}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_000_namespace() {
        let p = Pattern::parse("{env}.{tenant}.{context}.{class}.{topic}.{version}").unwrap();
        assert_eq!(p.parts.len(), 6);
        assert_eq!(p.parts[0], PatternPart::Env);
        assert_eq!(p.parts[5], PatternPart::Version);
    }

    #[test]
    fn rejects_mixed_segments() {
        assert!(Pattern::parse("onex.v{version}").is_err());
        assert!(Pattern::parse("onex..x").is_err());
        assert!(Pattern::parse("on ex.x").is_err());
    }

    #[test]
    fn template_round_trips_and_matches() {
        let t = NameTemplate::parse("{env}.omnibase.onex.evt.contract-created.v1").unwrap();
        assert_eq!(t.to_string(), "{env}.omnibase.onex.evt.contract-created.v1");
        assert!(!t.is_static());
        let envs = vec!["prod".to_owned()];
        assert!(t.matches_concrete("prod.omnibase.onex.evt.contract-created.v1", &envs, &[]));
        assert!(!t.matches_concrete("dev.omnibase.onex.evt.contract-created.v1", &envs, &[]));
        assert!(NameTemplate::parse("a.{domain}.b").is_err());
    }
}
