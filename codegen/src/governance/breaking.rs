//! Schema evolution: compare the catalog with an older version of itself (a
//! git ref or a directory). Within a major topic version every change must be
//! compatible under the topic's compatibility mode, per schema format, and the
//! topic contract itself may not change its key, shrink its partitions,
//! change its cleanup policy or rename without an alias. A breaking change is
//! an error that names the field and says to create `v<N+1>`.
//!
//! Schema compatibility comes from [`crate::governance::compat`] (JSON
//! Schema as a subset check with registry change kinds, Protobuf on the
//! compiled descriptors, Avro by the specification's schema resolution);
//! each finding becomes a located diagnostic under its registry id
//! (`breaking-<suite id>`), at the level the rule's default, `onex.yaml`
//! `lints:` and the contract's `lints:` give it.
//!
//! A topic under a `_TRANSITIVE` mode is also checked against every earlier
//! version of its payload the caller hands in ([`Options::history`], e.g.
//! each commit between the ref and HEAD) and, when the catalog names value
//! subjects by record (`RecordName`), against the earlier `v<N>` folders of the
//! same topic whose record has the same name: the registry keeps those
//! versions under one subject. Such findings name the versions they break
//! against.

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Location, Severity, Waived};
use crate::governance::compat;
use crate::model::payload::Record;
use crate::model::vocab::Compatibility;
use crate::model::{Catalog, Topic};

/// The result of a comparison.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BreakingReport {
    /// Breaking changes (errors).
    pub findings: Vec<Diagnostic>,
    /// Breaking changes waived by the contract, with the reason.
    pub waived: Vec<Waived>,
    /// Topic versions compared.
    pub compared: usize,
}

/// Where, in a schema or contract text, a name first appears.
fn locate(file: &str, text: &str, needle: &str) -> Location {
    match text.find(needle) {
        Some(off) => {
            let before = text.get(..off).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Location {
                file: file.to_owned(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
                offset: off,
                len: needle.len(),
            }
        }
        None => Location::file(file),
    }
}

struct Cmp<'a> {
    report: BreakingReport,
    settings: &'a crate::model::Settings,
    new: &'a Topic,
    old: &'a Topic,
}

impl<'a> Cmp<'a> {
    fn new(settings: &'a crate::model::Settings, new: &'a Topic, old: &'a Topic) -> Cmp<'a> {
        Cmp {
            report: BreakingReport::default(),
            settings,
            new,
            old,
        }
    }

    fn emit(
        &mut self,
        rule: &'static str,
        at: Location,
        message: String,
        related: Option<Location>,
    ) {
        let next = self.new.id.major + 1;
        let help = format!(
            "a breaking change needs a new major version: copy the contract to `{}/{}/{}/v{next}/` and change it there (seed 000), or waive `{rule}` in this contract with a reason",
            self.new.id.context, self.new.id.class, self.new.id.topic
        );
        self.emit_help(rule, at, message, related, help);
    }

    /// [`Cmp::emit`] with its own hint, for findings that are not breaks
    /// (a version number to fix must not be told to start a new major).
    fn emit_help(
        &mut self,
        rule: &'static str,
        at: Location,
        message: String,
        related: Option<Location>,
        help: String,
    ) {
        let mut d = Diagnostic::new(Code::Breaking, format!("{message} in `{}`", self.new.name))
            .at(at)
            .help(help);
        if let Some(r) = related {
            d = d.related(r, "before");
        }
        let Some(rule) = crate::model::rules::rule(rule) else {
            return;
        };
        super::levels::record(
            &mut self.report.findings,
            &mut self.report.waived,
            rule,
            d,
            self.settings,
            Some(self.new),
        );
    }
}

/// How to compare (the defaults: binary Protobuf, no history).
#[derive(Clone, Debug, Default)]
pub struct Options<'a> {
    /// Protobuf records are JSON-encoded (buf's WIRE_JSON view): field and
    /// enum value renames, `json_name` and the JSON mapping of types break.
    pub protobuf_json: bool,
    /// What `old` is, named in findings against several versions (`HEAD~3`).
    pub against: Option<String>,
    /// Earlier versions of the catalog for `_TRANSITIVE` modes (each commit
    /// after `old`), oldest first, each with the name findings give it.
    pub history: Vec<(String, &'a Catalog)>,
}

/// Compare `new` (the working catalog) against `old` (the catalog at a ref).
pub fn compare(old: &Catalog, new: &Catalog) -> BreakingReport {
    compare_with(old, new, &Options::default())
}

/// [`compare`] with options: the Protobuf encoding, and the earlier versions
/// `_TRANSITIVE` modes check against.
pub fn compare_with(old: &Catalog, new: &Catalog, opts: &Options<'_>) -> BreakingReport {
    let mut report = BreakingReport::default();
    for o in &old.topics {
        let Some(n) = new.topic(&o.id) else {
            let d = Diagnostic::new(Code::Breaking, format!("topic version `{}` ({}) was removed", o.name, o.id))
                .at(Location::file(o.file.clone()))
                .help("consumers still read it: deprecate it first (`deprecated:` with `replaced_by`) and delete it after the backlog drains (seed 000)");
            if let Some(rule) = crate::model::rules::rule("breaking-topic-removed") {
                super::levels::record(
                    &mut report.findings,
                    &mut report.waived,
                    rule,
                    d,
                    &new.settings,
                    None,
                );
            }
            continue;
        };
        report.compared += 1;
        let mut c = Cmp::new(&new.settings, n, o);
        contract(&mut c);
        let mode = n.schema.compatibility;
        let mut schema_changes = 0usize;
        if n.schema.payload.format != o.schema.payload.format {
            let at = Location::file(n.schema.payload.file.clone());
            c.emit(
                "breaking-payload-format-changed",
                at,
                format!(
                    "the payload format changed from {:?} to {:?}",
                    o.schema.payload.format, n.schema.payload.format
                ),
                None,
            );
        } else if mode != Compatibility::None {
            let against = opts
                .against
                .clone()
                .unwrap_or_else(|| "the older catalog".into());
            let mut versions = vec![(against, o)];
            versions.extend(earlier(new, opts, n));
            schema_changes = schema(&mut c, mode, &versions, opts);
        }
        version_bump(&mut c, schema_changes);
        report.findings.extend(c.report.findings);
        report.waived.extend(c.report.waived);
    }
    // Topics the older catalog lacks still have their history.
    for n in &new.topics {
        let mode = n.schema.compatibility;
        if old.topic(&n.id).is_some() || !compat::transitive(mode) {
            continue;
        }
        let versions = earlier(new, opts, n);
        let Some((_, first)) = versions.first() else {
            continue;
        };
        report.compared += 1;
        let mut c = Cmp::new(&new.settings, n, first);
        schema(&mut c, mode, &versions, opts);
        report.findings.extend(c.report.findings);
        report.waived.extend(c.report.waived);
    }
    report
}

/// The earlier versions of `n` a `_TRANSITIVE` mode checks besides the one
/// at the ref: the topic in each history catalog, then earlier `v<N>`
/// folders sharing its value subject (record-name subjects only). Versions
/// with another payload format are left to the format rule.
fn earlier<'a>(new: &'a Catalog, opts: &Options<'a>, n: &Topic) -> Vec<(String, &'a Topic)> {
    if !compat::transitive(n.schema.compatibility) {
        return Vec::new();
    }
    let same = |t: &Topic| t.schema.payload.format == n.schema.payload.format;
    let mut out: Vec<(String, &'a Topic)> = opts
        .history
        .iter()
        .filter_map(|(label, cat)| cat.topic(&n.id).map(|t| (label.clone(), t)))
        .filter(|(_, t)| same(t))
        .collect();
    // Earlier major versions registered under the same value subject (a
    // `record_name` strategy names it after the record, not the topic).
    let strategy = new.settings.subject_strategy;
    let subject = n.subjects(strategy).value;
    for t in &new.topics {
        let lineage = t.id.context == n.id.context
            && t.id.class == n.id.class
            && t.id.topic == n.id.topic
            && t.id.major < n.id.major;
        if lineage && same(t) && t.subjects(strategy).value == subject {
            out.push((format!("v{} (subject `{subject}`)", t.id.major), t));
        }
    }
    out
}

fn contract(c: &mut Cmp<'_>) {
    let (n, o) = (c.new, c.old);
    let file = n
        .spans
        .file
        .clone()
        .unwrap_or_else(|| Location::file(n.file.clone()));
    if (n.key.source, &n.key.path) != (o.key.source, &o.key.path) {
        let at = n.spans.key.clone().unwrap_or(file.clone());
        c.emit(
            "breaking-key-changed",
            at,
            format!(
                "the key changed from `{}` to `{}`",
                o.key.describe(),
                n.key.describe()
            ),
            None,
        );
    }
    if n.partitions < o.partitions {
        let at = n.spans.partitions.clone().unwrap_or(file.clone());
        c.emit(
            "breaking-partitions-decreased",
            at,
            format!(
                "partitions went down from {} to {}",
                o.partitions, n.partitions
            ),
            None,
        );
    }
    if n.cleanup_policy != o.cleanup_policy {
        let at = n.spans.at("cleanup_policy").unwrap_or(file.clone());
        c.emit(
            "breaking-cleanup-policy-changed",
            at,
            format!(
                "the cleanup policy changed from {:?} to {:?}",
                o.cleanup_policy, n.cleanup_policy
            ),
            None,
        );
    }
    let old_name = o.name.to_string();
    if n.name != o.name && !n.aliases.contains(&old_name) {
        let at = n.spans.name.clone().unwrap_or(file);
        c.emit(
            "breaking-name-changed",
            at,
            format!("the wire name changed from `{old_name}` without keeping it in `aliases:`"),
            None,
        );
    }
}

/// The schema compatibility engine's findings for this topic against each
/// earlier version (the first is the one at the ref; more only under a
/// `_TRANSITIVE` mode), as located diagnostics; returns how many break the
/// mode (hazards, reported at their own level, do not count). A finding seen
/// against several versions is reported once, naming them when there is more
/// than the ref to name.
fn schema(
    c: &mut Cmp<'_>,
    mode: Compatibility,
    versions: &[(String, &Topic)],
    opts: &Options<'_>,
) -> usize {
    let n = &c.new.schema.payload;
    let engine = compat::Options {
        wire_json: opts.protobuf_json,
    };
    // (finding, the version it was first seen against, every version's name)
    let mut found: Vec<(compat::Finding, &Topic, Vec<String>)> = Vec::new();
    let mut seen_texts: Vec<&str> = Vec::new();
    for (label, old) in versions {
        let o = &old.schema.payload;
        if seen_texts.contains(&&*o.text) {
            continue;
        }
        seen_texts.push(&o.text);
        for f in compat::check_with(n.format, &o.parsed, &n.parsed, mode, engine) {
            match found
                .iter_mut()
                .find(|(g, _, _)| g.rule == f.rule && g.path == f.path)
            {
                Some((g, _, labels)) => {
                    for d in &f.directions {
                        if !g.directions.contains(d) {
                            g.directions.push(*d);
                        }
                    }
                    labels.push(label.clone());
                }
                None => found.push((f, old, vec![label.clone()])),
            }
        }
    }
    // Under a `_TRANSITIVE` mode say which versions a finding breaks against.
    let name_versions = compat::transitive(mode);
    let mut breaking = 0;
    for (f, old, labels) in found {
        if !f.hazard && !f.breaks(mode) {
            continue;
        }
        let Some(rule) = crate::model::rules::rule(&f.registry_id()) else {
            continue;
        };
        let (at, related) = finding_at(c, old, &f);
        let what = if f.hazard {
            "a hazard, not breaking by itself".to_owned()
        } else {
            let mut dirs: Vec<&str> = f
                .directions
                .iter()
                .map(|d| match d {
                    compat::Direction::Backward => "BACKWARD",
                    compat::Direction::Forward => "FORWARD",
                })
                .collect();
            dirs.sort_unstable();
            format!("breaks {}", dirs.join(" and "))
        };
        let path = if f.path.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", f.path)
        };
        let against = if name_versions {
            format!("; against {}", labels.join(", "))
        } else {
            String::new()
        };
        let before = c.report.findings.len() + c.report.waived.len();
        let first = c.report.findings.len();
        c.emit(
            rule.id,
            at,
            format!("{}{path} ({what}{against})", f.message),
            related,
        );
        // A rule that is only a hazard for binary Protobuf (default `warn`)
        // breaks JSON-encoded records: an error unless a level was chosen.
        let chosen =
            c.settings.lints.contains_key(rule.id) || c.new.lint_overrides.contains_key(rule.id);
        if !f.hazard && !chosen {
            for d in c.report.findings.iter_mut().skip(first) {
                d.severity = Severity::Error;
            }
        }
        if !f.hazard {
            breaking += c.report.findings.len() + c.report.waived.len() - before;
        }
    }
    breaking
}

/// Where a finding points: its anchor in the new schema, or for something
/// only the old schema has, the new file with the old place as related.
fn finding_at(c: &Cmp<'_>, old: &Topic, f: &compat::Finding) -> (Location, Option<Location>) {
    let (n, o) = (&c.new.schema.payload, &old.schema.payload);
    finding_location(&n.file, &n.text, &o.file, &o.text, f).0
}

/// Where a finding points, as (location in the new schema, related
/// location in the old one), and whether the finding's own anchor was found
/// (`false`: the nearest enclosing name on its path, or the file's first
/// line). Every finding gets a file and a line.
pub fn finding_location(
    new_file: &str,
    new_text: &str,
    old_file: &str,
    old_text: &str,
    f: &compat::Finding,
) -> ((Location, Option<Location>), bool) {
    let find = |text: &str, file: &str, name: &str| {
        [
            format!("\"{name}\""),
            format!(" {name} ="),
            format!(" {name};"),
            name.to_owned(),
        ]
        .iter()
        .map(|needle| locate(file, text, needle))
        .find(|l| l.line > 0 && l.len > 0)
    };
    // Path segments, innermost first (`/properties/a~1b` or `Order.amount`).
    let segments: Vec<String> = if f.path.starts_with('/') {
        f.path
            .split('/')
            .rev()
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .filter(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
            .collect()
    } else {
        f.path.rsplit('.').map(str::to_owned).collect()
    };
    let enclosing = |text: &str, file: &str, skip: usize| {
        segments
            .iter()
            .skip(skip)
            .find_map(|s| find(text, file, s))
            .unwrap_or_else(|| Location::file(file))
    };
    let exact = |text: &str, file: &str| f.anchor.as_deref().and_then(|a| find(text, file, a));
    match f.side {
        compat::Side::New => match exact(new_text, new_file) {
            Some(at) => ((at, None), true),
            None => ((enclosing(new_text, new_file, 0), None), false),
        },
        compat::Side::Old => {
            // The removed thing is in the old schema; its parent in the new.
            let at = enclosing(new_text, new_file, 1);
            match exact(old_text, old_file) {
                Some(before) => ((at, Some(before)), true),
                None => ((at, Some(enclosing(old_text, old_file, 0))), false),
            }
        }
    }
}

fn version_bump(c: &mut Cmp<'_>, breaking: usize) {
    let (Ok(nv), Ok(ov)) = (
        semver::Version::parse(&c.new.schema.version),
        semver::Version::parse(&c.old.schema.version),
    ) else {
        return;
    };
    let at = c
        .new
        .spans
        .at("schema")
        .unwrap_or_else(|| Location::file(c.new.file.clone()));
    let changed = c.new.schema.payload.text != c.old.schema.payload.text;
    let names = |r: &Record| {
        r.fields
            .iter()
            .map(|f| f.name.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let additive = names(&c.new.schema.payload.root) != names(&c.old.schema.payload.root);
    if nv < ov {
        c.emit_help(
            "breaking-schema-version",
            at,
            format!("schema.version went down from {ov} to {nv}"),
            None,
            format!("versions only go up: write a version above {ov} in `schema.version`"),
        );
    } else if changed && breaking == 0 {
        let ok = if additive {
            nv.major == ov.major && nv.minor > ov.minor
        } else {
            nv > ov
        };
        if !ok {
            let want = if additive {
                format!("{}.{}.0", ov.major, ov.minor + 1)
            } else {
                format!("{}.{}.{}", ov.major, ov.minor, ov.patch + 1)
            };
            let kind = if additive {
                "fields were added or removed compatibly: bump the minor"
            } else {
                "the schema changed: bump at least the patch"
            };
            c.emit_help(
                "breaking-schema-version",
                at,
                format!("schema.version is {nv} but {kind} (e.g. {want})"),
                None,
                format!(
                    "the change itself is compatible, so no new major version is needed: write `version: {want}` under `schema:` (seed 000: compatible additions bump the minor, fixes the patch)"
                ),
            );
        }
    }
}
