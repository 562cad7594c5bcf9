//! The one level resolver of governance: a finding of a rule is reported at
//! the rule's default level, unless `lints:` in `onex.yaml` says otherwise,
//! unless the topic contract's `lints:` does (with a reason, and only for
//! rules a contract may relax). `allow` in a contract is a waiver: the
//! finding is kept, with its reason, apart from the findings.

use crate::diagnostic::{Diagnostic, Severity, Waived};
use crate::model::rules::Rule;
use crate::model::vocab::LintLevel;
use crate::model::{Settings, Topic};

/// The effective level of `rule` for `topic` (or catalog-wide), and the
/// contract's reason when the contract set it.
pub fn level(
    rule: &Rule,
    settings: &Settings,
    topic: Option<&Topic>,
) -> (LintLevel, Option<String>) {
    let mut level = settings.lints.get(rule.id).copied().unwrap_or(rule.default);
    let mut reason = None;
    if let Some((l, why)) = topic
        .and_then(|t| t.lint_overrides.get(rule.id))
        .filter(|_| rule.per_contract())
    {
        level = *l;
        reason = Some(why.clone());
    }
    (level, reason)
}

/// File `d` (a finding of `rule`) at its effective level: into `findings`
/// as an error or a warning, into `waived` when a contract allows it with a
/// reason, nowhere when the catalog allows it.
pub fn record(
    findings: &mut Vec<Diagnostic>,
    waived: &mut Vec<Waived>,
    rule: &'static Rule,
    mut d: Diagnostic,
    settings: &Settings,
    topic: Option<&Topic>,
) {
    d.rule = Some(rule.id);
    let (level, reason) = level(rule, settings, topic);
    match level {
        LintLevel::Allow => {
            if let Some(reason) = reason {
                waived.push(Waived { finding: d, reason });
            }
        }
        LintLevel::Warn => {
            d.severity = Severity::Warning;
            findings.push(d);
        }
        LintLevel::Deny => {
            d.severity = Severity::Error;
            findings.push(d);
        }
    }
}
