//! Privacy rules (seed 003): high PII is encrypted, never the key, never a
//! header.

use super::Linter;
use crate::model::Topic;
use crate::model::vocab::PiiLevel;

pub(super) fn privacy(l: &mut Linter<'_>, t: &Topic) {
    // Only a payload key can be a payload field's PII.
    let key = t.key.payload_path().map(|p| p.join("."));
    for (path, info) in &t.pii {
        if info.level != PiiLevel::High {
            continue;
        }
        let at = t
            .spans
            .keys
            .get(&format!("pii.{path}"))
            .cloned()
            .or_else(|| t.spans.at("pii"));
        if info.encryption.is_none() {
            l.emit(
                "pii-high-encrypted",
                Some(t),
                at.clone(),
                format!("`{path}` is high PII without declared encryption"),
                format!("add `encryption:` under `pii.{path}` (e.g. `kms-envelope`)"),
            );
        }
        if key.as_ref() == Some(path) {
            l.emit(
                "pii-high-not-key",
                Some(t),
                t.spans.key.clone(),
                format!("the key `{path}` is high PII"),
                "key by a non-personal id".to_owned(),
            );
        }
        let bare = path.rsplit('.').next().unwrap_or(path).replace('_', "-");
        for h in &t.headers {
            if h.trim_start_matches("x-") == bare {
                l.emit(
                    "pii-not-in-headers",
                    Some(t),
                    t.spans.at("headers"),
                    format!("header `{h}` carries the high PII field `{path}`"),
                    "drop the header; PII travels only in the encrypted value".to_owned(),
                );
            }
        }
    }
}
