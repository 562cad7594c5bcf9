//! Lifecycle rules: deprecations name a replacement and are not published
//! any more; a schema's major version belongs to its topic version.

use super::Linter;
use crate::diagnostic::Location;
use crate::model::{Direction, Topic};

pub(super) fn lifecycle(l: &mut Linter<'_>, t: &Topic) {
    if let Some(d) = &t.deprecated {
        if d.replaced_by.is_none() {
            l.emit(
                "deprecated-replacement",
                Some(t),
                t.spans.at("deprecated"),
                format!("deprecated `{}` names no replacement", t.name),
                "add `deprecated.replaced_by`".to_owned(),
            );
        }
        for e in l
            .catalog
            .edges
            .iter()
            .filter(|e| e.topic == t.id && e.direction == Direction::Publishes)
        {
            let at = l
                .catalog
                .node(&e.node)
                .map(|n| Location::file(n.file.clone()));
            l.emit(
                "deprecated-published",
                Some(t),
                at,
                format!("node `{}` still publishes deprecated `{}`", e.node, t.name),
                "publish the replacement instead".to_owned(),
            );
        }
    }
    let major = t.schema.version.split('.').next().unwrap_or_default();
    if major != t.id.major.to_string() {
        l.emit(
            "schema-major-matches-topic",
            Some(t),
            t.spans.at("schema"),
            format!(
                "schema version {} does not belong to topic version v{}",
                t.schema.version, t.id.major
            ),
            format!(
                "topic v{} carries schema {}.x.y; a breaking change gets a new `v{}` directory",
                t.id.major,
                t.id.major,
                t.id.major + 1
            ),
        );
    }
}
