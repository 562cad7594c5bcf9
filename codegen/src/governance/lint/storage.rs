//! Storage rules: retention within the class's bounds, compaction and
//! tiered storage as the class requires.

use super::Linter;
use crate::model::Topic;
use crate::model::vocab::{CleanupPolicy, Requirement};

pub(super) fn storage(l: &mut Linter<'_>, t: &Topic) {
    let Some(class) = l.catalog.settings.classes.get(&t.id.class) else {
        return;
    };
    let human = |ms: u64| crate::model::Millis(ms);
    if t.retention_ms < class.retention_min_ms || t.retention_ms > class.retention_max_ms {
        l.emit(
            "retention-class-bounds",
            Some(t),
            t.spans.retention.clone(),
            format!(
                "retention {} is outside `{}`'s bounds {}..{}",
                human(t.retention_ms),
                t.id.class,
                human(class.retention_min_ms),
                human(class.retention_max_ms)
            ),
            format!(
                "choose a retention between {} and {}",
                human(class.retention_min_ms),
                human(class.retention_max_ms)
            ),
        );
    }
    let compacted = t.cleanup_policy != CleanupPolicy::Delete;
    match (class.compaction, compacted) {
        (Requirement::None, true) => l.emit(
            "compaction-class",
            Some(t),
            t.spans.at("cleanup_policy"),
            format!("class `{}` is never compacted", t.id.class),
            "set `cleanup_policy: delete`".to_owned(),
        ),
        (Requirement::Required, false) => l.emit(
            "compaction-class",
            Some(t),
            t.spans.at("cleanup_policy"),
            format!("class `{}` requires compaction", t.id.class),
            "set `cleanup_policy: compact` (or `compact,delete`)".to_owned(),
        ),
        _ => {}
    }
    let tiered = t.tiered_storage.unwrap_or(false);
    match (class.tiered_storage, tiered) {
        (Requirement::Required, false) => l.emit(
            "tiered-storage-class",
            Some(t),
            t.spans.at("tiered_storage"),
            format!("class `{}` requires tiered storage", t.id.class),
            "add `tiered_storage: true`".to_owned(),
        ),
        (Requirement::None, true) => l.emit(
            "tiered-storage-class",
            Some(t),
            t.spans.at("tiered_storage"),
            format!("class `{}` does not use tiered storage", t.id.class),
            "remove `tiered_storage: true`".to_owned(),
        ),
        _ => {}
    }
}
