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

/// The Rust field name onex gives an Avro field (and uses for typify's
/// fields when it needs to name one): snake_case, `x_` before a leading
/// digit or an empty name, `_` after a keyword. The emitter's identifiers
/// and the loader's collision check both come from here.
pub fn rust_field_name(name: &str) -> String {
    use heck::ToSnakeCase;
    let mut s = name
        .replace('\'', "")
        .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
        .to_snake_case();
    if s.is_empty() || !s.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        s = format!("x_{s}");
    }
    if !typify::accept_as_ident(&s) {
        s.push('_');
    }
    s
}

/// The Rust name typify gives a JSON Schema property (`snake_case`) or an
/// enum value (`UpperCamelCase`), as typify 0.8's `sanitize` does: quotes
/// dropped, other non-identifier characters as word breaks, an `x`/`X`
/// prefix when it would not start an identifier, `_` after a keyword. The
/// loader uses it to find names that collide, which typify would emit as
/// duplicate fields or refuse with a panic.
pub fn typify_name(input: &str, pascal: bool) -> String {
    use heck::{ToPascalCase, ToSnakeCase};
    let to_case = |s: &str| {
        if pascal {
            s.to_pascal_case()
        } else {
            s.to_snake_case()
        }
    };
    let out = match input {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c| !unicode_ident::is_xid_continue(c), "-"),
        ),
    };
    let prefix = to_case("x");
    let out = match out.chars().next() {
        None => prefix,
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    if typify::accept_as_ident(&out) {
        out
    } else {
        format!("{out}_")
    }
}

/// The variant names typify gives a string enum's values: each value's
/// [`typify_name`]; where two meet, again with `_` and non-identifier
/// characters spelled `X`. `Err` with the values that still meet (typify
/// refuses those).
pub fn typify_variants(values: &[&str]) -> Result<Vec<String>, Vec<String>> {
    let unique = |names: &[String]| {
        let mut seen = std::collections::HashSet::new();
        names.iter().all(|n| seen.insert(n.as_str()))
    };
    let first: Vec<String> = values.iter().map(|v| typify_name(v, true)).collect();
    if unique(&first) {
        return Ok(first);
    }
    let second: Vec<String> = values
        .iter()
        .map(|v| {
            typify_name(
                &v.replace(|c| c == '_' || !unicode_ident::is_xid_continue(c), "X"),
                true,
            )
        })
        .collect();
    if unique(&second) {
        return Ok(second);
    }
    let mut count = std::collections::HashMap::new();
    for n in &second {
        *count.entry(n.as_str()).or_insert(0usize) += 1;
    }
    Err(values
        .iter()
        .zip(&second)
        .filter(|(_, n)| count.get(n.as_str()).copied().unwrap_or(0) > 1)
        .map(|(v, _)| (*v).to_owned())
        .collect())
}

#[cfg(test)]
mod typify_name_tests {
    use super::{typify_name, typify_variants};

    #[test]
    fn names_as_typify_gives_them() {
        assert_eq!(typify_name("fooBar", false), "foo_bar");
        assert_eq!(typify_name("foo_bar", false), "foo_bar");
        assert_eq!(typify_name("type", false), "type_");
        assert_eq!(typify_name("Self", false), "self_");
        assert_eq!(typify_name("1st", false), "x1st");
        assert_eq!(typify_name("", false), "x");
        assert_eq!(typify_name("a-b", true), "AB");
        assert_eq!(typify_name("", true), "X");
    }

    #[test]
    fn variants_that_meet_twice_are_refused() {
        assert_eq!(typify_variants(&["a-b", "aB"]).unwrap(), ["AXb", "AB"]);
        assert!(typify_variants(&["a-b", "a_b"]).is_err());
        assert_eq!(
            typify_variants(&["A", "a"]),
            Err(vec!["A".to_owned(), "a".to_owned()])
        );
        assert_eq!(
            typify_variants(&["", "x"]),
            Err(vec![String::new(), "x".to_owned()])
        );
        assert!(typify_variants(&["red", "green"]).is_ok());
    }
}
