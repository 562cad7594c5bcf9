//! SARIF 2.1.0 output for lint and breaking-change findings, so that code
//! scanning shows them on the contract lines. Rule metadata comes from the
//! one registry (`model::rules`); waived findings are in-source suppressions
//! with their reason.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity, Waived};
use crate::model::rules::{Rule, all, explain};
use crate::model::vocab::LintLevel;

/// The report as SARIF 2.1.0, for code-scanning UIs. `uri_prefix` is the
/// catalog root relative to the repository (`contracts/`), so that results
/// point at repository files.
pub fn to_sarif(findings: &[Diagnostic], waived: &[Waived], uri_prefix: &str) -> String {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    // Every rule of the registry (lint and breaking), so that one SARIF
    // consumer config covers both reports.
    let registry: Vec<&'static Rule> = all().collect();
    let rules: Vec<Value> = registry
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.explain },
                "help": { "text": r.explain, "markdown": explain(r) },
                "defaultConfiguration": { "level": match r.default {
                    LintLevel::Deny => "error",
                    LintLevel::Warn => "warning",
                    LintLevel::Allow => "none",
                } },
                "properties": { "category": r.category },
            })
        })
        .collect();
    let result = |d: &Diagnostic, suppression: Option<&str>| {
        let rule_id = d.rule.unwrap_or("onex");
        let mut r = serde_json::json!({
            "ruleId": rule_id,
            "ruleIndex": registry.iter().position(|x| x.id == rule_id).unwrap_or(0),
            "level": level(d.severity),
            "message": { "text": match &d.help {
                Some(h) => format!("{} ({h})", d.message),
                None => d.message.clone(),
            } },
        });
        if let Some(l) = &d.location {
            if let Some(o) = r.as_object_mut() {
                o.insert("locations".to_owned(), serde_json::json!([{
                "physicalLocation": {
                    "artifactLocation": { "uri": format!("{uri_prefix}{}", l.file), "uriBaseId": "%SRCROOT%" },
                    "region": { "startLine": l.line.max(1), "startColumn": l.column.max(1) },
                }
            }]));
            }
        }
        if let Some(reason) = suppression {
            if let Some(o) = r.as_object_mut() {
                o.insert(
                    "suppressions".to_owned(),
                    serde_json::json!([{ "kind": "inSource", "justification": reason }]),
                );
            }
        }
        r
    };
    let mut results: Vec<Value> = findings.iter().map(|d| result(d, None)).collect();
    results.extend(waived.iter().map(|w| result(&w.finding, Some(&w.reason))));
    let doc = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "onex",
                "informationUri": "https://example.invalid/onex",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "file:///" } },
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
