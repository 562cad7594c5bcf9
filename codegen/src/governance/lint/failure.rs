//! Failure-handling rules: retry tiers need a retry topic and a dead-letter
//! topic.

use super::Linter;
use crate::model::vocab::RetryMode;
use crate::model::{Catalog, Topic};

pub(super) fn failure(l: &mut Linter<'_>, t: &Topic) {
    let Some(retry) = &t.retry else { return };
    if retry.tiers_ms.is_empty() {
        return;
    }
    let c = l.catalog;
    let rty_ok = retry
        .topic
        .as_ref()
        .and_then(|id| c.topic(id))
        .is_some_and(|r| r.id.class == "rty");
    let dlt_ok = t
        .dlt
        .as_ref()
        .and_then(|d| d.topic.as_ref())
        .and_then(|id| c.topic(id))
        .is_some_and(|d| d.id.class == "dlt" || d.name.to_string().ends_with(".dlq"));
    if !rty_ok && retry.mode == RetryMode::Topic {
        l.emit(
            "retry-implies-rty-dlt",
            Some(t),
            t.spans.at("retry"),
            format!("`{}` declares retry tiers but no `rty` retry topic", t.name),
            with_class(
                c,
                "rty",
                format!(
                    "add `{}/rty/{}/v{}` and name it in `retry.topic`",
                    t.id.context, t.id.topic, t.id.major
                ),
            ),
        );
    }
    if !dlt_ok {
        l.emit(
            "retry-implies-rty-dlt",
            Some(t),
            t.spans.at("retry"),
            format!("`{}` declares retry tiers but no dead-letter topic", t.name),
            with_class(
                c,
                "dlt",
                format!(
                    "add `{}/dlt/{}/v{}` (or a `.dlq` topic) and name it in `dlt.topic`",
                    t.id.context, t.id.topic, t.id.major
                ),
            ),
        );
    }
}

/// A hint that adds a topic of `class`, first asking for the class itself
/// when `onex.yaml` does not define it (never propose what cannot load).
fn with_class(c: &Catalog, class: &str, hint: String) -> String {
    if c.settings.classes.contains_key(class) {
        hint
    } else {
        format!(
            "onex.yaml defines no `{class}` class: add it under `classes:` (with its retention range), then {hint}"
        )
    }
}
