//! Ownership rules: every topic has an owner, a description and an SLA.

use super::Linter;
use crate::model::Topic;

pub(super) fn ownership(l: &mut Linter<'_>, t: &Topic) {
    if t.owner.is_none() {
        l.emit(
            "owner-present",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` has no owner", t.name),
            "add `owner: { team: ... }`".to_owned(),
        );
    }
    if t.description.as_deref().is_none_or(|d| d.trim().is_empty()) {
        l.emit(
            "description-present",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` has no description", t.name),
            "add `description:`".to_owned(),
        );
    }
    if t.sla.is_none() {
        l.emit(
            "sla-present",
            Some(t),
            t.spans.file.clone(),
            format!("`{}` states no SLA", t.name),
            "add `sla:`".to_owned(),
        );
    }
}
