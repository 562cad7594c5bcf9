//! Header rules: only seed 000's headers and the ones `onex.yaml` adds.

use super::Linter;
use crate::diagnostic::suggest::did_you_mean;
use crate::model::Topic;
use crate::model::rules::KNOWN_HEADERS;

pub(super) fn headers(l: &mut Linter<'_>, t: &Topic) {
    let extra = &l.catalog.settings.headers;
    for h in &t.headers {
        if !KNOWN_HEADERS.contains(&h.as_str()) && !extra.contains(h) {
            let hint = did_you_mean(h, KNOWN_HEADERS.iter().copied())
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            l.emit(
                "header-allowed",
                Some(t),
                t.spans.at("headers"),
                format!("header `{h}` is not in the known set"),
                format!(
                    "{hint}known headers are seed 000's; add others under `headers:` in onex.yaml"
                ),
            );
        }
    }
}
