//! Naming rules: the conventions in `onex.yaml`, kebab-case segments, no
//! fixed environment, the version suffix, tenant and context near-misses.

use std::collections::{BTreeMap, BTreeSet};

use super::Linter;
use crate::diagnostic::suggest::did_you_mean;
use crate::model::Topic;
use crate::model::naming::{NamePart, PatternPart};

/// For each word, the other words one edit away (insertion, deletion,
/// substitution or adjacent transposition), in order. Words one edit apart
/// share a variant with at most one character deleted, so only words that
/// share one are compared: near-linear in the total length, where comparing
/// every pair is quadratic in the number of contexts.
pub(super) fn one_edit_neighbours<'a>(
    words: &BTreeSet<&'a str>,
) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
    let mut by_variant: std::collections::HashMap<String, Vec<&'a str>> =
        std::collections::HashMap::new();
    for &w in words {
        // Long names are no typo of each other worth a hint, and each has
        // as many variants as characters.
        if w.len() > crate::diagnostic::suggest::MAX_SUGGEST_LEN {
            continue;
        }
        let mut variants: BTreeSet<String> = BTreeSet::new();
        variants.insert(w.to_owned());
        for (i, c) in w.char_indices() {
            let mut v = String::with_capacity(w.len());
            v.push_str(w.get(..i).unwrap_or_default());
            v.push_str(w.get(i + c.len_utf8()..).unwrap_or_default());
            variants.insert(v);
        }
        for v in variants {
            by_variant.entry(v).or_default().push(w);
        }
    }
    let mut out: BTreeMap<&'a str, BTreeSet<&'a str>> = BTreeMap::new();
    for group in by_variant.values() {
        for (i, &a) in group.iter().enumerate() {
            for &b in group.iter().skip(i + 1) {
                if a != b && strsim::osa_distance(a, b) == 1 {
                    out.entry(a).or_default().insert(b);
                    out.entry(b).or_default().insert(a);
                }
            }
        }
    }
    out
}

pub(super) fn naming(l: &mut Linter<'_>, t: &Topic, contexts: &BTreeMap<&str, BTreeSet<&str>>) {
    let s = &l.catalog.settings;
    let name = t.name.to_string();
    let name_at = t.spans.name.clone().or_else(|| t.spans.file.clone());
    let segs: Vec<&str> = name.split('.').collect();
    if t.explicit_name {
        let fits = s.conventions.values().any(|p| {
            p.parts.len() == segs.len()
                && p.parts.iter().zip(&segs).all(|(part, seg)| match part {
                    PatternPart::Literal(lit) => lit == seg,
                    PatternPart::Class => *seg == t.id.class,
                    PatternPart::Context => *seg == t.id.context,
                    PatternPart::Topic => *seg == t.id.topic,
                    PatternPart::Version => *seg == format!("v{}", t.id.major),
                    _ => true,
                })
        });
        if !fits {
            l.emit(
                "name-convention",
                Some(t),
                name_at.clone(),
                format!("`{name}` fits none of the naming conventions"),
                format!(
                    "conventions: {}",
                    s.conventions
                        .values()
                        .map(|p| format!("`{}`", p.source))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    for p in &t.name.parts {
        if let NamePart::Literal(seg) = p {
            let version_like = seg.starts_with('v')
                && seg
                    .get(1..)
                    .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit()));
            let kebab = seg
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !kebab && !version_like && !s.tenants.contains(seg) {
                l.emit(
                    "name-kebab-segments",
                    Some(t),
                    name_at.clone(),
                    format!("segment `{seg}` of `{name}` is not lowercase kebab-case"),
                    format!("write `{}`", seg.to_lowercase().replace('_', "-")),
                );
            }
            if s.envs.contains(seg) {
                l.emit(
                    "name-runtime-env",
                    Some(t),
                    name_at.clone(),
                    format!("`{name}` fixes the environment `{seg}`"),
                    "keep `{env}` in the name and bind it with `onex::Namespace`".to_owned(),
                );
            }
        }
    }
    let version = format!("v{}", t.id.major);
    if !segs.contains(&version.as_str()) {
        l.emit(
            "name-version-suffix",
            Some(t),
            name_at.clone(),
            format!("`{name}` does not carry its version `{version}`"),
            "add the version segment; keep the old name as an alias".to_owned(),
        );
    }
    for candidate in segs
        .iter()
        .copied()
        .chain(t.aliases.iter().flat_map(|a| a.split('.')))
    {
        if s.tenants.iter().any(|k| k == candidate) {
            continue;
        }
        if let Some(tenant) = did_you_mean(candidate, s.tenants.iter().map(String::as_str)) {
            if strsim::damerau_levenshtein(candidate, tenant) <= 2 {
                l.emit(
                    "tenant-near-miss",
                    Some(t),
                    name_at.clone(),
                    format!("`{candidate}` in `{name}` looks like the tenant `{tenant}`"),
                    format!("did you mean `{tenant}`?"),
                );
            }
        }
    }
    let near = contexts.get(t.id.context.as_str());
    for other in near.into_iter().flatten() {
        if t.id.context.len() > 3 {
            l.emit(
                "context-near-miss",
                Some(t),
                t.spans.file.clone(),
                format!(
                    "context `{}` is one letter away from context `{other}`",
                    t.id.context
                ),
                format!("did you mean `{other}`?"),
            );
        }
    }
}
