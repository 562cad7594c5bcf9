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

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Location, Waived};
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

impl Cmp<'_> {
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

/// Compare `new` (the working catalog) against `old` (the catalog at a ref).
pub fn compare(old: &Catalog, new: &Catalog) -> BreakingReport {
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
        let mut c = Cmp {
            report: BreakingReport::default(),
            settings: &new.settings,
            new: n,
            old: o,
        };
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
            schema_changes = schema(&mut c, mode);
        }
        version_bump(&mut c, schema_changes);
        report.findings.extend(c.report.findings);
        report.waived.extend(c.report.waived);
    }
    report
}

fn contract(c: &mut Cmp<'_>) {
    let (n, o) = (c.new, c.old);
    let file = n
        .spans
        .file
        .clone()
        .unwrap_or_else(|| Location::file(n.file.clone()));
    if n.key.path != o.key.path {
        let at = n.spans.key.clone().unwrap_or(file.clone());
        c.emit(
            "breaking-key-changed",
            at,
            format!(
                "the key changed from `{}` to `{}`",
                o.key.field(),
                n.key.field()
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

/// The schema compatibility engine's findings for this topic pair, as
/// located diagnostics; returns how many break the mode (hazards, reported
/// at their own level, do not count). Transitive modes are checked against
/// the one older version given.
fn schema(c: &mut Cmp<'_>, mode: Compatibility) -> usize {
    let (n, o) = (&c.new.schema.payload, &c.old.schema.payload);
    let findings = compat::check(n.format, &o.parsed, &n.parsed, mode);
    let mut breaking = 0;
    for f in findings {
        if !f.hazard && !f.breaks(mode) {
            continue;
        }
        let Some(rule) = crate::model::rules::rule(&f.registry_id()) else {
            continue;
        };
        let (at, related) = finding_at(c, &f);
        let what = if f.hazard {
            "a hazard, not breaking by itself".to_owned()
        } else {
            let dirs: Vec<&str> = f
                .directions
                .iter()
                .map(|d| match d {
                    compat::Direction::Backward => "BACKWARD",
                    compat::Direction::Forward => "FORWARD",
                })
                .collect();
            format!("breaks {}", dirs.join(" and "))
        };
        let path = if f.path.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", f.path)
        };
        let before = c.report.findings.len() + c.report.waived.len();
        c.emit(
            rule.id,
            at,
            format!("{}{path} ({what})", f.message),
            related,
        );
        if !f.hazard {
            breaking += c.report.findings.len() + c.report.waived.len() - before;
        }
    }
    breaking
}

/// Where a finding points: its anchor in the new schema, or for something
/// only the old schema has, the new file with the old place as related.
fn finding_at(c: &Cmp<'_>, f: &compat::Finding) -> (Location, Option<Location>) {
    let file = Location::file(c.new.schema.payload.file.clone());
    let Some(anchor) = &f.anchor else {
        return (file, None);
    };
    let find = |text: &str, file: &str| {
        [
            format!("\"{anchor}\""),
            format!(" {anchor} ="),
            format!(" {anchor};"),
            anchor.clone(),
        ]
        .iter()
        .map(|needle| locate(file, text, needle))
        .find(|l| l.line > 0 && l.len > 0)
    };
    match f.side {
        compat::Side::New => (
            find(&c.new.schema.payload.text, &c.new.schema.payload.file).unwrap_or(file),
            None,
        ),
        compat::Side::Old => (
            file,
            find(&c.old.schema.payload.text, &c.old.schema.payload.file),
        ),
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
