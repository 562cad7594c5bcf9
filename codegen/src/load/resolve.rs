//! From raw contract files to the validated [`Catalog`]. Every check that
//! needs more than one file lives here; every problem becomes a diagnostic,
//! and checking goes on after one so that a run reports all of them.

use std::collections::BTreeMap;
use std::path::Path;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::diagnostic::source::SourceFile;
use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::contract::{self, NodeFile, SettingsFile, TopicFile};
use crate::load::reader::{self, Reader, TopicDir};
use crate::load::schema;
use crate::load::yaml::{self, Located};
use crate::model::naming::{NamePart, NameTemplate, Pattern, PatternPart};
use crate::model::payload::{Field, FieldType, Record, SchemaFormat};
use crate::model::vocab::CleanupPolicy;
use crate::model::{
    Catalog, Channel, ClassPolicy, Deprecation, Direction, Dlt, Edge, Key, Node, Owner, PiiInfo,
    Retry, Sample, Schema, Settings, Sla, Topic, TopicId, TopicSpans,
};

/// The result of loading a catalog: the model when there is no error, and
/// every diagnostic (warnings come with a model too).
#[derive(Debug)]
pub struct Loaded {
    /// The validated catalog, or `None` when any error was found.
    pub catalog: Option<Catalog>,
    /// Every problem found.
    pub diagnostics: Diagnostics,
}

/// Load and validate the catalog under `root` (the directory holding `onex.yaml`).
pub fn load(root: &Path) -> Loaded {
    let mut reader = match Reader::new(root) {
        Ok(r) => r,
        Err(d) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(d);
            return Loaded {
                catalog: None,
                diagnostics,
            };
        }
    };
    let found = reader::discover(&mut reader);
    let catalog = Resolver {
        r: &mut reader,
        broken_names: Vec::new(),
        broken_dirs: Vec::new(),
    }
    .run(found);
    let diagnostics = std::mem::take(&mut reader.diags);
    let catalog = if diagnostics.has_errors() {
        None
    } else {
        catalog
    };
    Loaded {
        catalog,
        diagnostics,
    }
}

/// Load the catalog under `root`, then the node contract at `contract`
/// (which may live outside the catalog, next to the code that implements it),
/// resolved against the catalog's topics.
pub fn load_node(root: &Path, contract: &Path) -> Result<(Catalog, Node), Diagnostics> {
    let loaded = load(root);
    let Some(catalog) = loaded.catalog else {
        return Err(loaded.diagnostics);
    };
    let mut reader = Reader::new(root).map_err(|d| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    })?;
    let mut resolver = Resolver {
        r: &mut reader,
        broken_names: Vec::new(),
        broken_dirs: Vec::new(),
    };
    let node = resolver
        .parse_file::<NodeFile>(contract)
        .map(|raw| resolver.nodes(vec![raw], &catalog.topics, &catalog.settings));
    let diagnostics = std::mem::take(&mut reader.diags);
    match node.and_then(|mut v| v.pop()) {
        Some(n) if !diagnostics.has_errors() => Ok((catalog, n)),
        _ => Err(diagnostics),
    }
}

struct Resolver<'r> {
    r: &'r mut Reader,
    /// Topics whose contracts failed: by wire name when it was computed,
    /// else by directory segment. References to them are not reported as
    /// unknown (the contract's own error is the one to fix).
    broken_names: Vec<String>,
    broken_dirs: Vec<String>,
}

/// A topic contract after its own file is checked, before cross-references.
struct Partial {
    topic: Topic,
    file: SourceFile,
    raw: TopicFile,
}

fn loc<T>(file: &SourceFile, l: &Located<T>) -> Location {
    if l.line == 0 {
        Location::file(file.rel.clone())
    } else {
        file.location(l.line, l.column)
    }
}

fn duration_ms(s: &str) -> Option<u64> {
    humantime::parse_duration(s.trim())
        .ok()
        .and_then(|d| u64::try_from(d.as_millis()).ok())
}

fn is_dir_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && syn_keyword(s).is_none()
}

fn is_camel_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && syn_keyword(s).is_none()
}

fn syn_keyword(s: &str) -> Option<&'static str> {
    const KW: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
        "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do",
        "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual",
        "yield",
    ];
    KW.iter().copied().find(|k| *k == s)
}

/// Resolve a dotted field path in a record.
fn field_at<'a>(root: &'a Record, path: &str) -> Result<&'a Field, (String, Vec<String>)> {
    let mut rec = root;
    let mut segs = path.split('.').peekable();
    while let Some(seg) = segs.next() {
        let Some(f) = rec.field(seg) else {
            return Err((
                seg.to_owned(),
                rec.fields.iter().map(|f| f.name.clone()).collect(),
            ));
        };
        if segs.peek().is_none() {
            return Ok(f);
        }
        match &f.ty {
            FieldType::Record(r) => rec = r,
            _ => return Err((segs.next().unwrap_or_default().to_owned(), Vec::new())),
        }
    }
    Err((String::new(), Vec::new()))
}

/// The first optional (or nullable) field on a dotted path, as a path prefix:
/// a key must be reachable in every record.
fn optional_on_path(root: &Record, path: &str) -> Option<String> {
    let mut rec = root;
    let mut walked = Vec::new();
    for seg in path.split('.') {
        let f = rec.field(seg)?;
        walked.push(seg);
        if !f.required || f.nullable {
            return Some(walked.join("."));
        }
        if let FieldType::Record(r) = &f.ty {
            rec = r;
        }
    }
    None
}

impl Resolver<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.r.diags.push(d);
    }

    fn run(&mut self, found: reader::Discovered) -> Option<Catalog> {
        let settings = match &found.settings {
            Some(p) => self.settings(p),
            None => {
                self.push(
                    Diagnostic::new(
                        Code::MissingSettings,
                        format!("no `{}` at the catalog root", reader::SETTINGS_FILE),
                    )
                    .at(Location::file(reader::SETTINGS_FILE))
                    .help("create `onex.yaml` with naming conventions and class policies; see docs/contract-format.md"),
                );
                None
            }
        };
        let mut partials = Vec::new();
        for dir in &found.topics {
            match self.topic(dir, settings.as_ref()) {
                Some(p) => partials.push(p),
                None => self.broken_dirs.push(dir.topic.clone()),
            }
        }
        let raw_nodes: Vec<(SourceFile, NodeFile)> = found
            .nodes
            .iter()
            .filter_map(|p| self.parse_file::<NodeFile>(p))
            .collect();
        let settings = settings?;
        self.cross_topic(&mut partials, &settings);
        let topics: Vec<Topic> = partials.iter().map(|p| p.topic.clone()).collect();
        let nodes = self.nodes(raw_nodes, &topics, &settings);
        let mut edges: Vec<Edge> = nodes
            .iter()
            .flat_map(|n| {
                n.publishes
                    .iter()
                    .map(|c| (Direction::Publishes, c))
                    .chain(n.subscribes.iter().map(|c| (Direction::Subscribes, c)))
                    .map(|(direction, c)| Edge {
                        node: n.name.clone(),
                        direction,
                        topic: c.topic.clone(),
                    })
            })
            .collect();
        edges.sort();
        let mut topics = topics;
        topics.sort_by(|a, b| a.id.cmp(&b.id));
        Some(Catalog {
            settings,
            topics,
            nodes,
            edges,
            files: self.r.files.iter().cloned().collect(),
            dirs: self.r.dirs.iter().cloned().collect(),
        })
    }

    fn parse_file<T: serde::de::DeserializeOwned + schemars::JsonSchema>(
        &mut self,
        abs: &Path,
    ) -> Option<(SourceFile, T)> {
        let file = match self.r.read(abs, false) {
            Ok(f) => f,
            Err(d) => {
                self.push(d);
                return None;
            }
        };
        match yaml::parse::<T>(&file) {
            Ok(v) => Some((file, v)),
            Err(ds) => {
                self.r.diags.extend(ds);
                None
            }
        }
    }

    // ------------------------------------------------------------ settings

    fn settings(&mut self, path: &Path) -> Option<Settings> {
        let (file, raw) = self.parse_file::<SettingsFile>(path)?;
        let before = self.r.diags.error_count();
        if raw.version.value != 1 {
            self.push(
                file.attach(
                    Diagnostic::new(
                        Code::InvalidValue,
                        format!("unsupported settings version {}", raw.version.value),
                    )
                    .help("this onex reads `version: 1`"),
                    loc(&file, &raw.version),
                ),
            );
        }
        let mut conventions = BTreeMap::new();
        for (id, c) in &raw.naming.conventions {
            match Pattern::parse(&c.pattern) {
                Ok(p) => {
                    conventions.insert(id.clone(), p);
                }
                Err(msg) => self.push(file.attach(
                    Diagnostic::new(Code::InvalidName, format!("naming convention `{id}`: {msg}"))
                        .help("a pattern is dot-separated literals and `{placeholders}`, e.g. `{env}.{tenant}.{context}.{class}.{topic}.{version}`"),
                    loc(&file, &c.pattern),
                )),
            }
        }
        let default = &raw.naming.default_convention;
        if !raw.naming.conventions.contains_key(&default.value) {
            self.push(
                file.attach(
                    Diagnostic::new(
                        Code::UnknownConvention,
                        format!("default convention `{}` is not defined", default.value),
                    )
                    .maybe_help(
                        did_you_mean(
                            &default.value,
                            raw.naming.conventions.keys().map(String::as_str),
                        )
                        .map(|s| format!("did you mean `{s}`?")),
                    ),
                    loc(&file, default),
                ),
            );
        }
        let mut classes = BTreeMap::new();
        for (name, c) in &raw.classes {
            let min = self.duration(&file, &c.retention.min);
            let max = self.duration(&file, &c.retention.max);
            if let (Some(min), Some(max)) = (min, max) {
                if min > max {
                    self.push(file.attach(
                        Diagnostic::new(
                            Code::InvalidValue,
                            format!("class `{name}`: retention min is above max"),
                        ),
                        loc(&file, &c.retention.min),
                    ));
                }
                classes.insert(
                    name.clone(),
                    ClassPolicy {
                        description: c.description.clone(),
                        retention_min_ms: min,
                        retention_max_ms: max,
                        compaction: c.compaction,
                        tiered_storage: c.tiered_storage,
                    },
                );
            }
        }
        if !raw.partitions.allowed.contains(&raw.partitions.default) {
            self.push(file.attach(
                Diagnostic::new(
                    Code::PartitionsNotAllowed,
                    format!(
                        "the default partition count {} is not in `allowed`",
                        raw.partitions.default
                    ),
                ),
                file.find("partitions:"),
            ));
        }
        for rule in raw.lints.keys() {
            self.check_rule_id(&file, rule, "lints:");
        }
        if self.r.diags.error_count() > before {
            return None;
        }
        Some(Settings {
            conventions,
            default_convention: default.value.clone(),
            envs: raw.naming.envs,
            tenants: raw.naming.tenants,
            classes,
            partitions: raw.partitions,
            keying: raw.keying.into_iter().map(|(k, v)| (k, v.keys)).collect(),
            node_types: raw.node_types,
            subject_strategy: raw.subjects.strategy,
            lints: raw.lints,
            headers: raw.headers,
        })
    }

    /// A lint or breaking-change rule id named in `lints:` must exist.
    fn check_rule_id(&mut self, file: &SourceFile, rule: &str, section: &str) {
        let known = crate::model::rules::LINT_RULES
            .iter()
            .map(|r| r.id)
            .chain(crate::model::rules::BREAKING_RULES.iter().map(|r| r.id));
        if known.clone().any(|k| k == rule) {
            return;
        }
        let needle = format!("\n  {rule}:");
        let at = match file.text.find(&needle) {
            Some(off) => file.location_of_offset(off + 3, rule.len()),
            None => file.find(section),
        };
        self.push(
            file.attach(
                Diagnostic::new(
                    Code::UnknownRule,
                    format!("`{rule}` is not a lint or breaking-change rule"),
                )
                .help(match did_you_mean(rule, known) {
                    Some(s) => format!("did you mean `{s}`? (`cargo xtask lint --list`)"),
                    None => "`cargo xtask lint --list` lists the rules".to_owned(),
                }),
                at,
            ),
        );
    }

    fn duration(&mut self, file: &SourceFile, d: &Located<String>) -> Option<u64> {
        let ms = duration_ms(&d.value);
        if ms.is_none() {
            self.push(
                file.attach(
                    Diagnostic::new(
                        Code::InvalidDuration,
                        format!("`{}` is not a duration", d.value),
                    )
                    .help("write a number and a unit: `500ms`, `30s`, `15m`, `1h`, `7d`"),
                    loc(file, d),
                ),
            );
        }
        ms
    }

    // ------------------------------------------------------------ one topic

    fn topic(&mut self, dir: &TopicDir, settings: Option<&Settings>) -> Option<Partial> {
        let path = dir.abs.join(reader::TOPIC_FILE);
        if !path.is_file() {
            let rel = self.r.rel(&dir.abs);
            self.push(
                Diagnostic::new(
                    Code::MissingTopicFile,
                    format!("`{rel}/` has no `{}`", reader::TOPIC_FILE),
                )
                .at(Location::file(rel))
                .help("every `v<N>/` directory holds a `topic.yaml` beside its schema"),
            );
            return None;
        }
        let (file, raw) = self.parse_file::<TopicFile>(&path)?;
        let settings = settings?;
        let before = self.r.diags.error_count();
        let id = TopicId {
            context: dir.context.clone(),
            class: dir.class.clone(),
            topic: dir.topic.clone(),
            major: dir.major,
        };
        let file_loc = Location::file(file.rel.clone());

        // Identity: directory names, and restatements inside the file.
        for (what, name) in [("context", &id.context), ("topic", &id.topic)] {
            if !is_dir_name(name) {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::InvalidName,
                            format!("{what} directory `{name}` is not lowercase kebab-case"),
                        )
                        .help(format!(
                            "rename the directory to `{}`",
                            name.to_lowercase().replace([' ', '.'], "-")
                        )),
                        file_loc.clone(),
                    ),
                );
            }
        }
        if !settings.classes.contains_key(&id.class) {
            self.push(
                file.attach(
                    Diagnostic::new(
                        Code::UnknownClass,
                        format!("`{}` is not a stream class of this catalog", id.class),
                    )
                    .help(
                        match did_you_mean(&id.class, settings.classes.keys().map(String::as_str)) {
                            Some(s) => format!(
                                "did you mean `{s}`? (the directory `{}/{}/` names the class)",
                                id.context, id.class
                            ),
                            None => format!(
                                "classes are: {}",
                                settings
                                    .classes
                                    .keys()
                                    .cloned()
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        },
                    ),
                    file_loc.clone(),
                ),
            );
        }
        let version_str = format!("v{}", id.major);
        for (field, value, expected) in [
            ("context", &raw.context, &id.context),
            ("class", &raw.class, &id.class),
            ("topic", &raw.topic, &id.topic),
            ("version", &raw.version, &version_str),
        ] {
            if let Some(v) = value {
                if &v.value != expected {
                    self.push(file.attach(
                        Diagnostic::new(
                            Code::IdentityMismatch,
                            format!("`{field}: {}` contradicts the path, which says `{expected}`", v.value),
                        )
                        .help(format!("the directory gives the identity; write `{field}: {expected}` or move the contract")),
                        loc(&file, v),
                    ));
                }
            }
        }

        // Name.
        let convention = raw
            .convention
            .as_ref()
            .map_or(settings.default_convention.clone(), |c| c.value.clone());
        let pattern = match settings.conventions.get(&convention) {
            Some(p) => Some(p.clone()),
            None => {
                if let Some(c) = &raw.convention {
                    self.push(
                        file.attach(
                            Diagnostic::new(
                                Code::UnknownConvention,
                                format!(
                                    "naming convention `{}` is not defined in onex.yaml",
                                    c.value
                                ),
                            )
                            .maybe_help(
                                did_you_mean(
                                    &c.value,
                                    settings.conventions.keys().map(String::as_str),
                                )
                                .map(|s| format!("did you mean `{s}`?")),
                            ),
                            loc(&file, c),
                        ),
                    );
                }
                None
            }
        };
        for (pin, allowed, code, what) in [
            (
                &raw.tenant,
                &settings.tenants,
                Code::UnknownTenant,
                "tenant",
            ),
            (&raw.env, &settings.envs, Code::UnknownEnv, "environment"),
        ] {
            if let Some(p) = pin {
                if !allowed.contains(&p.value) {
                    self.push(self.unknown_value(&file, p, allowed, code, what));
                }
            }
        }
        let name = pattern.and_then(|p| self.name(&file, &raw, &id, &p, &convention, settings));

        // Rust name.
        let rust_name = match &raw.rust_name {
            Some(n) if is_camel_ident(&n.value) => n.value.clone(),
            Some(n) => {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::InvalidName,
                            format!(
                                "`rust_name: {}` is not an UpperCamelCase Rust identifier",
                                n.value
                            ),
                        )
                        .help(format!("for example `{}`", n.value.to_upper_camel_case())),
                        loc(&file, n),
                    ),
                );
                String::new()
            }
            None => name
                .as_ref()
                .map(|n| derived_rust_name(n, settings))
                .unwrap_or_default(),
        };

        // Policies.
        let retention_ms = self.duration(&file, &raw.retention).unwrap_or(0);
        let partitions = raw
            .partitions
            .as_ref()
            .map_or(settings.partitions.default, |p| p.value);
        // Schema.
        let schema = self.schema(dir, &file, &raw);

        // Key.
        let key = schema
            .as_ref()
            .and_then(|s| self.key(&file, &raw, &s.payload.root));
        if let Some(ec) = &raw.event_class {
            if !settings.keying.contains_key(&ec.value) {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::UnknownEventClass,
                            format!("event class `{}` has no keying rule in onex.yaml", ec.value),
                        )
                        .maybe_help(
                            did_you_mean(&ec.value, settings.keying.keys().map(String::as_str))
                                .map(|s| format!("did you mean `{s}`?")),
                        ),
                        loc(&file, ec),
                    ),
                );
            }
        }

        // Samples.
        let samples = self.samples(dir, &file, &raw);

        // PII.
        let mut pii = BTreeMap::new();
        if let Some(s) = &schema {
            collect_schema_pii(&s.payload.root, "", &mut pii);
            for (path, spec) in &raw.pii {
                if let Err((missing, candidates)) = field_at(&s.payload.root, path) {
                    let help = match did_you_mean(&missing, candidates.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("fields here: {}", candidates.join(", ")),
                    };
                    self.push(file.attach(
                        Diagnostic::new(Code::PiiFieldAbsent, format!("PII annotation for `{path}`, which the payload schema does not have"))
                            .help(help),
                        file.find(&format!("{path}:")),
                    ));
                }
                pii.insert(
                    path.clone(),
                    PiiInfo {
                        level: spec.level,
                        encryption: spec.encryption.clone(),
                    },
                );
            }
        }

        // Node types.
        for nt in raw.producers.iter().chain(&raw.consumers) {
            if !settings.node_types.contains(&nt.value) {
                self.push(self.unknown_value(
                    &file,
                    nt,
                    &settings.node_types,
                    Code::UnknownNodeType,
                    "node type",
                ));
            }
        }

        for (rule, o) in &raw.lints {
            self.check_rule_id(&file, rule, "lints:");
            if crate::model::rules::rule(rule).is_some_and(|r| !r.per_contract()) {
                self.push(file.attach(
                    Diagnostic::new(Code::RuleNotPerContract, format!("`{rule}` cannot be relaxed for one topic"))
                        .help("privacy, tenant spelling, sample validity and version rules are set for the whole catalog in onex.yaml `lints:`"),
                    file.find(&format!("{rule}:")),
                ));
            }
            if o.reason.trim().is_empty() {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::InvalidValue,
                            format!("the level of `{rule}` in this contract needs a reason"),
                        )
                        .help(
                            "write why this topic differs, e.g. `reason: seed 001 canonical name`",
                        ),
                        file.find(&format!("{rule}:")),
                    ),
                );
            }
        }

        let retry = raw.retry.as_ref().map(|r| Retry {
            tiers_ms: r
                .tiers
                .iter()
                .filter_map(|t| self.duration(&file, t))
                .collect(),
            max_attempts: r.max_attempts,
            topic: None,
        });
        let sla = raw.sla.as_ref().map(|s| Sla {
            description: s.description.clone(),
            frequency_ms: s.frequency.as_ref().and_then(|d| self.duration(&file, d)),
            max_lag_ms: s.max_lag.as_ref().and_then(|d| self.duration(&file, d)),
            publish_latency_p95_ms: s
                .publish_latency_p95
                .as_ref()
                .and_then(|d| self.duration(&file, d)),
        });

        if self.r.diags.error_count() > before {
            if let Some(n) = &name {
                self.broken_names.push(n.to_string());
            }
            return None;
        }
        let (name, schema, key) = (name?, schema?, key?);
        let topic = Topic {
            id,
            file: file.rel.clone(),
            explicit_name: raw.name.is_some(),
            name,
            convention,
            aliases: raw.aliases.iter().map(|a| a.value.clone()).collect(),
            rust_name,
            description: raw.description.as_ref().map(|d| d.value.trim().to_owned()),
            semantic: raw.semantic.clone(),
            event_class: raw.event_class.as_ref().map(|e| e.value.clone()),
            owner: raw.owner.as_ref().map(|o| Owner {
                team: o.team.value.clone(),
                contact: o.contact.clone(),
                pagerduty: o.pagerduty.clone(),
            }),
            sla,
            retention_ms,
            cleanup_policy: raw
                .cleanup_policy
                .as_ref()
                .map_or(CleanupPolicy::Delete, |c| c.value),
            partitions,
            key,
            schema,
            samples,
            pii,
            producers: raw.producers.iter().map(|p| p.value.clone()).collect(),
            consumers: raw.consumers.iter().map(|p| p.value.clone()).collect(),
            retry,
            dlt: raw.dlt.as_ref().map(|d| Dlt {
                topic: None,
                policy: d.policy.clone(),
            }),
            headers: raw.headers.iter().map(|h| h.value.clone()).collect(),
            deprecated: raw.deprecated.as_ref().map(|d| Deprecation {
                reason: d.reason.clone(),
                since: d.since.clone(),
                replaced_by: None,
            }),
            tiered_storage: raw.tiered_storage,
            lint_overrides: raw
                .lints
                .iter()
                .map(|(k, v)| (k.clone(), (v.level, v.reason.clone())))
                .collect(),
            spans: TopicSpans {
                keys: key_locations(&file),
                file: Some(file_loc),
                key: Some(loc(&file, &raw.key.field)),
                name: raw.name.as_ref().map(|n| loc(&file, n)),
                retention: Some(loc(&file, &raw.retention)),
                partitions: raw.partitions.as_ref().map(|p| loc(&file, p)),
            },
        };
        Some(Partial { topic, file, raw })
    }

    fn unknown_value(
        &self,
        file: &SourceFile,
        v: &Located<String>,
        allowed: &[String],
        code: Code,
        what: &str,
    ) -> Diagnostic {
        let help = match did_you_mean(&v.value, allowed.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("known values (onex.yaml): {}", allowed.join(", ")),
        };
        file.attach(
            Diagnostic::new(code, format!("unknown {what} `{}`", v.value)).help(help),
            loc(file, v),
        )
    }

    /// The wire-name template of a topic, from an explicit name or the convention.
    fn name(
        &mut self,
        file: &SourceFile,
        raw: &TopicFile,
        id: &TopicId,
        pattern: &Pattern,
        convention: &str,
        settings: &Settings,
    ) -> Option<NameTemplate> {
        let version = format!("v{}", id.major);
        let Some(explicit) = &raw.name else {
            let mut parts = Vec::new();
            for p in &pattern.parts {
                parts.push(match p {
                    PatternPart::Literal(s) => NamePart::Literal(s.clone()),
                    PatternPart::Env => raw.env.as_ref().map_or(NamePart::Env, |e| NamePart::Literal(e.value.clone())),
                    PatternPart::Tenant => raw.tenant.as_ref().map_or(NamePart::Tenant, |t| NamePart::Literal(t.value.clone())),
                    PatternPart::Context => NamePart::Literal(id.context.clone()),
                    PatternPart::Class => NamePart::Literal(id.class.clone()),
                    PatternPart::Topic => NamePart::Literal(id.topic.clone()),
                    PatternPart::Version => NamePart::Literal(version.clone()),
                    PatternPart::Free(f) => {
                        self.push(file.attach(
                            Diagnostic::new(
                                Code::InvalidName,
                                format!("convention `{convention}` (`{}`) needs `{{{f}}}`, which the path does not give", pattern.source),
                            )
                            .help("write the wire name explicitly with `name:`"),
                            Location::file(file.rel.clone()),
                        ));
                        return None;
                    }
                });
            }
            return Some(NameTemplate { parts });
        };
        let template = match NameTemplate::parse(&explicit.value) {
            Ok(t) => t,
            Err(msg) => {
                self.push(file.attach(
                    Diagnostic::new(
                        Code::InvalidName,
                        format!("`name: {}`: {msg}", explicit.value),
                    ),
                    loc(file, explicit),
                ));
                return None;
            }
        };
        // Check the explicit name against the convention, segment by segment.
        let segs: Vec<&str> = explicit.value.split('.').collect();
        let mut fits = segs.len() == pattern.parts.len();
        let mut ok = true;
        for (p, s) in pattern.parts.iter().zip(&segs) {
            let open = s.starts_with('{');
            match p {
                PatternPart::Literal(l) => fits &= l == s,
                PatternPart::Env | PatternPart::Tenant if !open => {
                    let (allowed, code, what) = match p {
                        PatternPart::Env => (&settings.envs, Code::UnknownEnv, "environment"),
                        _ => (&settings.tenants, Code::UnknownTenant, "tenant"),
                    };
                    if !allowed.iter().any(|e| e == s) {
                        let v = Located {
                            value: (*s).to_owned(),
                            line: explicit.line,
                            column: explicit.column,
                        };
                        self.push(self.unknown_value(file, &v, allowed, code, what));
                        ok = false;
                    }
                }
                PatternPart::Context
                | PatternPart::Class
                | PatternPart::Topic
                | PatternPart::Version => {
                    let (what, expected) = match p {
                        PatternPart::Context => ("context", id.context.as_str()),
                        PatternPart::Class => ("class", id.class.as_str()),
                        PatternPart::Topic => ("topic", id.topic.as_str()),
                        _ => ("version", version.as_str()),
                    };
                    if s != &expected {
                        self.push(file.attach(
                            Diagnostic::new(
                                Code::IdentityMismatch,
                                format!("`name: {}` has {what} `{s}`, but the path says `{expected}`", explicit.value),
                            )
                            .help("the directory gives the identity; fix the name or move the contract"),
                            loc(file, explicit),
                        ));
                        ok = false;
                    }
                }
                _ => {}
            }
        }
        if !fits {
            self.push(file.attach(
                Diagnostic::new(
                    Code::ConventionMismatch,
                    format!("`name: {}` does not follow convention `{convention}` (`{}`)", explicit.value, pattern.source),
                )
                .help("set `convention:` to the convention this name follows, or rename the topic in a new version"),
                loc(file, explicit),
            ));
        }
        ok.then_some(template)
    }

    fn schema(&mut self, dir: &TopicDir, file: &SourceFile, raw: &TopicFile) -> Option<Schema> {
        let spec = raw.schema.as_ref();
        let version = match spec {
            Some(s) => match semver::Version::parse(&s.version.value) {
                Ok(v) => Some(v.to_string()),
                Err(e) => {
                    self.push(
                        file.attach(
                            Diagnostic::new(
                                Code::InvalidSemver,
                                format!("`{}` is not a semantic version: {e}", s.version.value),
                            )
                            .help("write MAJOR.MINOR.PATCH, e.g. `1.0.0`"),
                            loc(file, &s.version),
                        ),
                    );
                    None
                }
            },
            None => {
                self.push(file.attach(
                    Diagnostic::new(Code::MissingSchema, "the contract has no `schema:` section")
                        .help("add `schema: { version: 1.0.0 }` and a `payload.schema.json` beside topic.yaml"),
                    Location::file(file.rel.clone()),
                ));
                None
            }
        };
        let (schema_abs, schema_loc) = match spec.and_then(|s| s.file.as_ref()) {
            Some(f) => (dir.abs.join(&f.value), loc(file, f)),
            None => {
                let candidates: Vec<String> = [
                    "payload.schema.json",
                    "payload.json",
                    "payload.proto",
                    "payload.avsc",
                ]
                .into_iter()
                .filter(|c| dir.abs.join(c).is_file())
                .map(str::to_owned)
                .collect();
                match candidates.as_slice() {
                    [one] => (dir.abs.join(one), Location::file(file.rel.clone())),
                    [] => {
                        self.push(file.attach(
                            Diagnostic::new(Code::MissingSchema, format!("no payload schema beside `{}`", file.rel))
                                .help("add `payload.schema.json` (or `.proto`, `.avsc`) to the directory, or name the file in `schema.file`"),
                            Location::file(file.rel.clone()),
                        ));
                        return None;
                    }
                    many => {
                        self.push(
                            file.attach(
                                Diagnostic::new(
                                    Code::MissingSchema,
                                    format!(
                                        "several payload schemas beside `{}`: {}",
                                        file.rel,
                                        many.join(", ")
                                    ),
                                )
                                .help("name the one to use in `schema.file`"),
                                Location::file(file.rel.clone()),
                            ),
                        );
                        return None;
                    }
                }
            }
        };
        let schema_rel = self.r.rel(&schema_abs);
        let Some(format) = SchemaFormat::from_path(&schema_rel) else {
            self.push(
                file.attach(
                    Diagnostic::new(
                        Code::UnsupportedSchema,
                        format!("`{schema_rel}` is not a JSON Schema, Protobuf or Avro file"),
                    )
                    .help("use `.schema.json`, `.proto` or `.avsc`"),
                    schema_loc,
                ),
            );
            return None;
        };
        if let Err(escaped) = self.r.within_root(&schema_abs) {
            self.push(file.attach(
                Diagnostic::new(
                    Code::EscapesRoot,
                    format!(
                        "schema file resolves to `{}`, outside the catalog root",
                        escaped.display()
                    ),
                ),
                schema_loc,
            ));
            return None;
        }
        if !schema_abs.is_file() {
            self.push(file.attach(
                Diagnostic::new(
                    Code::MissingSchema,
                    format!("schema file `{schema_rel}` does not exist"),
                ),
                schema_loc,
            ));
            return None;
        }
        let schema_file = match self.r.read(&schema_abs, false) {
            Ok(f) => f,
            Err(d) => {
                self.push(d);
                return None;
            }
        };
        let message = spec.and_then(|s| s.message.as_ref());
        let payload = match schema::load(self.r, &schema_file, format, message, file) {
            Ok(p) => p,
            Err(ds) => {
                self.r.diags.extend(ds);
                return None;
            }
        };
        let mut key_schema = None;
        if let Some(k) = &raw.key.schema {
            let abs = dir.abs.join(&k.value);
            if !abs.is_file() || self.r.within_root(&abs).is_err() {
                self.push(file.attach(
                    Diagnostic::new(
                        Code::MissingSchema,
                        format!("key schema `{}` does not exist inside the catalog", k.value),
                    ),
                    loc(file, k),
                ));
            } else {
                match self.r.read(&abs, false) {
                    Ok(f) => key_schema = Some((f.rel.clone(), f.text.to_string())),
                    Err(d) => self.push(d),
                }
            }
        }
        Some(Schema {
            version: version?,
            compatibility: spec.map(|s| s.compatibility).unwrap_or_default(),
            message: message.map(|m| m.value.clone()),
            payload,
            key_schema,
        })
    }

    fn key(&mut self, file: &SourceFile, raw: &TopicFile, root: &Record) -> Option<Key> {
        let kf = &raw.key.field;
        let at = loc(file, kf);
        match field_at(root, &kf.value) {
            Err((missing, candidates)) => {
                let help = match did_you_mean(&missing, candidates.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if candidates.is_empty() => {
                        "nested key paths go through object fields only".to_owned()
                    }
                    None => format!("payload fields: {}", candidates.join(", ")),
                };
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::KeyFieldAbsent,
                            format!("key field `{}` is not in the payload schema", kf.value),
                        )
                        .help(help),
                        at,
                    ),
                );
                None
            }
            Ok(_) if optional_on_path(root, &kf.value).is_some() => {
                let seg = optional_on_path(root, &kf.value).unwrap_or_default();
                let what = if seg == kf.value.as_str() {
                    format!("key field `{}` is optional in the payload schema", kf.value)
                } else {
                    format!(
                        "key field `{}` lies under `{seg}`, which is optional in the payload schema",
                        kf.value
                    )
                };
                self.push(file.attach(
                    Diagnostic::new(Code::KeyFieldOptional, what)
                        .help("a record without its key cannot be partitioned: make the field required (and not nullable)"),
                    at,
                ));
                None
            }
            Ok(f) if !f.ty.is_key_like() => {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::KeyFieldNotKeyLike,
                            format!("key field `{}` is of type {}", kf.value, f.ty.describe()),
                        )
                        .help(
                            "key by a string, integer or enum field that carries domain identity",
                        ),
                        at,
                    ),
                );
                None
            }
            Ok(f) => Some(Key {
                path: kf.value.split('.').map(str::to_owned).collect(),
                ty: f.ty.clone(),
                schema_file: raw.key.schema.as_ref().map(|s| s.value.clone()),
                description: raw.key.description.clone(),
            }),
        }
    }

    fn samples(&mut self, dir: &TopicDir, file: &SourceFile, raw: &TopicFile) -> Vec<Sample> {
        let paths: Vec<(std::path::PathBuf, Location)> = match &raw.samples {
            Some(list) => list
                .iter()
                .map(|s| (dir.abs.join(&s.value), loc(file, s)))
                .collect(),
            None => {
                let sdir = dir.abs.join("samples");
                let mut v: Vec<_> = std::fs::read_dir(&sdir)
                    .map(|rd| {
                        rd.flatten()
                            .map(|e| e.path())
                            .filter(|p| p.extension().is_some_and(|x| x == "json"))
                            .collect()
                    })
                    .unwrap_or_default();
                v.sort();
                if sdir.is_dir() {
                    let rel = self.r.rel(&sdir);
                    self.r.dirs.insert(rel);
                }
                v.into_iter()
                    .map(|p| (p, Location::file(file.rel.clone())))
                    .collect()
            }
        };
        let mut out = Vec::new();
        for (abs, at) in paths {
            if let Err(escaped) = self.r.within_root(&abs) {
                self.push(file.attach(
                    Diagnostic::new(
                        Code::EscapesRoot,
                        format!(
                            "sample resolves to `{}`, outside the catalog root",
                            escaped.display()
                        ),
                    ),
                    at,
                ));
                continue;
            }
            match self.r.read(&abs, false) {
                Ok(sf) => match schema::parse_json(&sf, Code::SampleSyntax) {
                    Ok(value) => out.push(Sample {
                        file: sf.rel.clone(),
                        value,
                    }),
                    Err(d) => self.push(d),
                },
                Err(d) => self.push(d),
            }
        }
        out
    }

    // ------------------------------------------------------------ across topics

    fn cross_topic(&mut self, partials: &mut [Partial], settings: &Settings) {
        // Wire names and aliases are unique.
        let mut names: BTreeMap<String, (Location, String)> = BTreeMap::new();
        for p in partials.iter() {
            let t = &p.topic;
            let here = t
                .spans
                .name
                .clone()
                .unwrap_or_else(|| Location::file(t.file.clone()));
            let mut entries = vec![(t.name.to_string(), here.clone(), "the wire name")];
            for a in &p.raw.aliases {
                entries.push((a.value.clone(), loc(&p.file, a), "an alias"));
            }
            for (name, at, what) in entries {
                if let Some((prev, prev_what)) = names.get(&name) {
                    self.push(
                        p.file.attach(
                            Diagnostic::new(
                                Code::DuplicateWireName,
                                format!("`{name}` is already {prev_what} of another topic"),
                            )
                            .help("every wire name and alias must name exactly one topic version")
                            .related(prev.clone(), "first used here"),
                            at,
                        ),
                    );
                } else {
                    names.insert(name, (at, what.to_owned()));
                }
            }
        }
        // Rust names are unique.
        let mut rust: BTreeMap<String, &Partial> = BTreeMap::new();
        let mut collisions = Vec::new();
        for p in partials.iter() {
            if p.topic.rust_name.is_empty() {
                continue;
            }
            if let Some(prev) = rust.get(&p.topic.rust_name) {
                collisions.push((
                    prev.topic.file.clone(),
                    p.topic.id.clone(),
                    p.file.clone(),
                    p.topic.rust_name.clone(),
                    prev.topic.id.clone(),
                ));
            } else {
                rust.insert(p.topic.rust_name.clone(), p);
            }
        }
        for (prev_file, id, file, name, prev_id) in collisions {
            self.push(
                file.attach(
                    Diagnostic::new(
                        Code::RustNameCollision,
                        format!("`{id}` and `{prev_id}` both become the Rust type `{name}`"),
                    )
                    .help("set `rust_name:` in one of the two contracts")
                    .related(Location::file(prev_file), "the other contract"),
                    Location::file(file.rel.clone()),
                ),
            );
        }
        // References to other topics.
        let lookup: Vec<(String, TopicId)> = partials
            .iter()
            .map(|p| (p.topic.name.to_string(), p.topic.id.clone()))
            .collect();
        let find = |name: &str| -> Option<TopicId> {
            lookup
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| id.clone())
                .or_else(|| {
                    partials
                        .iter()
                        .find(|p| {
                            p.topic
                                .name
                                .matches_concrete(name, &settings.envs, &settings.tenants)
                        })
                        .map(|p| p.topic.id.clone())
                })
        };
        let mut resolved = Vec::new();
        for (i, p) in partials.iter().enumerate() {
            let refs = [
                ("retry", p.raw.retry.as_ref().and_then(|r| r.topic.as_ref())),
                ("dlt", p.raw.dlt.as_ref().and_then(|d| d.topic.as_ref())),
                (
                    "replaced_by",
                    p.raw
                        .deprecated
                        .as_ref()
                        .and_then(|d| d.replaced_by.as_ref()),
                ),
            ];
            for (what, r) in refs {
                let Some(r) = r else { continue };
                match find(&r.value) {
                    Some(id) => resolved.push((i, what, id)),
                    None => {
                        let d = Diagnostic::new(
                            Code::UnknownTopicReference,
                            format!(
                                "`{what}` names `{}`, which is not a topic of this catalog",
                                r.value
                            ),
                        )
                        .maybe_help(
                            did_you_mean(&r.value, lookup.iter().map(|(n, _)| n.as_str()))
                                .map(|s| format!("did you mean `{s}`?")),
                        );
                        self.push(p.file.attach(d, loc(&p.file, r)));
                    }
                }
            }
        }
        for (i, what, id) in resolved {
            if let Some(p) = partials.get_mut(i) {
                match what {
                    "retry" => {
                        if let Some(r) = &mut p.topic.retry {
                            r.topic = Some(id)
                        }
                    }
                    "dlt" => {
                        if let Some(d) = &mut p.topic.dlt {
                            d.topic = Some(id)
                        }
                    }
                    _ => {
                        if let Some(d) = &mut p.topic.deprecated {
                            d.replaced_by = Some(id)
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ nodes

    fn nodes(
        &mut self,
        raw: Vec<(SourceFile, NodeFile)>,
        topics: &[Topic],
        settings: &Settings,
    ) -> Vec<Node> {
        let mut out: Vec<Node> = Vec::new();
        let mut by_name: BTreeMap<String, Location> = BTreeMap::new();
        let mut by_rust: BTreeMap<String, (String, Location)> = BTreeMap::new();
        for (file, n) in raw {
            let name_loc = loc(&file, &n.meta.name);
            let name = n.meta.name.value.clone();
            if !is_dir_name(&name) {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::InvalidName,
                            format!("node name `{name}` is not lowercase kebab-case"),
                        )
                        .help(format!(
                            "for example `{}`",
                            name.to_snake_case().replace('_', "-")
                        )),
                        name_loc.clone(),
                    ),
                );
                continue;
            }
            if let Some(prev) = by_name.get(&name) {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::DuplicateNode,
                            format!("node `{name}` is defined twice"),
                        )
                        .help("rename one of the nodes")
                        .related(prev.clone(), "first defined here"),
                        name_loc,
                    ),
                );
                continue;
            }
            by_name.insert(name.clone(), name_loc.clone());
            let rust_name = name.to_upper_camel_case();
            if let Some((other, prev)) = by_rust.get(&rust_name) {
                self.push(file.attach(
                    Diagnostic::new(Code::RustNameCollision, format!("nodes `{name}` and `{other}` both become the Rust type `{rust_name}`"))
                        .help("rename one of the nodes")
                        .related(prev.clone(), "the other node"),
                    name_loc,
                ));
                continue;
            }
            by_rust.insert(rust_name.clone(), (name.clone(), name_loc));
            if let Err(e) = semver::Version::parse(&n.meta.version.value) {
                self.push(file.attach(
                    Diagnostic::new(
                        Code::InvalidSemver,
                        format!(
                            "node version `{}` is not semantic: {e}",
                            n.meta.version.value
                        ),
                    ),
                    loc(&file, &n.meta.version),
                ));
            }
            let node_type = n.meta.node_type.value.clone();
            let type_ok = settings.node_types.contains(&node_type);
            if !type_ok {
                self.push(self.unknown_value(
                    &file,
                    &n.meta.node_type,
                    &settings.node_types,
                    Code::UnknownNodeType,
                    "node type",
                ));
            }
            let publishes = self.channels(
                &file,
                &n.event_channels.publishes,
                Direction::Publishes,
                &node_type,
                type_ok,
                topics,
                settings,
            );
            let subscribes = self.channels(
                &file,
                &n.event_channels.subscribes,
                Direction::Subscribes,
                &node_type,
                type_ok,
                topics,
                settings,
            );
            for c in &subscribes {
                if let Some(p) = publishes.iter().find(|p| p.topic == c.topic) {
                    let mut d = Diagnostic::new(
                        Code::PublishesAndSubscribes,
                        format!("node `{name}` publishes and subscribes `{}`", c.topic),
                    )
                    .help(
                        "a node reading its own output loops; split the node or drop one direction",
                    );
                    if let Some(l) = &p.location {
                        d = d.related(l.clone(), "published here");
                    }
                    let at = c
                        .location
                        .clone()
                        .unwrap_or_else(|| Location::file(file.rel.clone()));
                    self.push(file.attach(d, at));
                }
            }
            out.push(Node {
                consumer_group: n
                    .meta
                    .consumer_group
                    .clone()
                    .unwrap_or_else(|| name.clone()),
                name,
                rust_name,
                version: n.meta.version.value.clone(),
                node_type,
                description: n.meta.description.clone(),
                file: file.rel.clone(),
                publishes,
                subscribes,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Does `name` probably mean a topic whose contract failed to load?
    fn refers_to_broken(&self, name: &str) -> bool {
        self.broken_names.iter().any(|n| n == name)
            || self.broken_dirs.iter().any(|d| {
                [d.clone(), d.replace('-', "."), d.replace('-', "_")]
                    .iter()
                    .any(|v| name.contains(v.as_str()))
            })
    }

    #[allow(clippy::too_many_arguments)]
    fn channels(
        &mut self,
        file: &SourceFile,
        raw: &[contract::Channel],
        dir: Direction,
        node_type: &str,
        type_ok: bool,
        topics: &[Topic],
        settings: &Settings,
    ) -> Vec<Channel> {
        let mut out: Vec<Channel> = Vec::new();
        let mut handlers: BTreeMap<String, Location> = BTreeMap::new();
        for c in raw {
            // Checked before the topic is resolved: it does not depend on it.
            if let Some(h) = &c.handler {
                if !is_snake_ident(&h.value) {
                    self.push(
                        file.attach(
                            Diagnostic::new(
                                Code::InvalidHandler,
                                format!(
                                    "handler `{}` is not a snake_case Rust identifier",
                                    h.value
                                ),
                            )
                            .help(format!("for example `{}`", h.value.to_snake_case())),
                            loc(file, h),
                        ),
                    );
                }
            }
            let at = loc(file, &c.topic);
            let name = c.topic.value.as_str();
            let exact = topics.iter().find(|t| {
                t.name.to_string() == name
                    || t.name
                        .matches_concrete(name, &settings.envs, &settings.tenants)
            });
            let topic = match exact {
                Some(t) => t,
                None => match topics.iter().find(|t| t.aliases.iter().any(|a| a == name)) {
                    Some(t) => {
                        self.push(
                            file.attach(
                                Diagnostic::new(
                                    Code::LegacyAliasReference,
                                    format!("`{name}` is a legacy alias of `{}`", t.name),
                                )
                                .help(format!("write `topic: {}`", t.name)),
                                at.clone(),
                            ),
                        );
                        t
                    }
                    None if self.refers_to_broken(name) => continue,
                    None => {
                        let all: Vec<String> = topics
                            .iter()
                            .map(|t| t.name.to_string())
                            .chain(topics.iter().flat_map(|t| t.aliases.clone()))
                            .collect();
                        let help = match did_you_mean(name, all.iter().map(String::as_str)) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "add a topic contract under `contracts/<context>/<class>/<topic>/v<N>/`, or fix the name".to_owned(),
                        };
                        self.push(
                            file.attach(
                                Diagnostic::new(
                                    Code::UnknownTopic,
                                    format!("topic `{name}` is not in the catalog"),
                                )
                                .help(help),
                                at,
                            ),
                        );
                        continue;
                    }
                },
            };
            if out.iter().any(|o| o.topic == topic.id) {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::DuplicateChannel,
                            format!(
                                "`{}` is listed twice under `{}`",
                                topic.name,
                                match dir {
                                    Direction::Publishes => "publishes",
                                    Direction::Subscribes => "subscribes",
                                }
                            ),
                        )
                        .help("remove the second entry"),
                        at,
                    ),
                );
                continue;
            }
            let key = topic.key.field();
            if c.key.value != key {
                let mut d = Diagnostic::new(
                    Code::ChannelKeyMismatch,
                    format!(
                        "channel key `{}` differs from the key of `{}`, which is `{key}`",
                        c.key.value, topic.name
                    ),
                )
                .help(format!(
                    "write `key: {key}` (the topic contract decides the key)"
                ));
                if let Some(k) = &topic.spans.key {
                    d = d.related(k.clone(), "the topic's key is declared here");
                }
                self.push(file.attach(d, loc(file, &c.key)));
            }
            if type_ok {
                let (allowed, code, verb) = match dir {
                    Direction::Publishes => (&topic.producers, Code::ProducerNotAllowed, "publish"),
                    Direction::Subscribes => {
                        (&topic.consumers, Code::ConsumerNotAllowed, "subscribe to")
                    }
                };
                if !allowed.is_empty() && !allowed.iter().any(|a| a == node_type) {
                    let field = match dir {
                        Direction::Publishes => "producers",
                        Direction::Subscribes => "consumers",
                    };
                    let mut d = Diagnostic::new(
                        code,
                        format!(
                            "a {node_type} node may not {verb} `{}`; expected {field}: {}",
                            topic.name,
                            allowed.join(", ")
                        ),
                    )
                    .help(format!(
                        "add {node_type} to `{field}` in {} if this is intended",
                        topic.file
                    ));
                    if let Some(f) = &topic.spans.file {
                        d = d.related(f.clone(), "the topic contract");
                    }
                    self.push(file.attach(d, at.clone()));
                }
            }
            let handler = match (&c.handler, dir) {
                (Some(h), _) => Some(h.value.clone()),
                (None, Direction::Subscribes) => {
                    Some(format!("handle_{}", topic.rust_name.to_snake_case()))
                }
                (None, Direction::Publishes) => None,
            };
            if let Some(h) = &handler {
                let hl = c.handler.as_ref().map_or(at.clone(), |h| loc(file, h));
                if let Some(prev) = handlers.get(h) {
                    self.push(
                        file.attach(
                            Diagnostic::new(
                                Code::InvalidHandler,
                                format!("handler `{h}` is used by two subscriptions"),
                            )
                            .help("give each subscription its own handler")
                            .related(prev.clone(), "first used here"),
                            hl,
                        ),
                    );
                } else {
                    handlers.insert(h.clone(), hl);
                }
            }
            out.push(Channel {
                topic: topic.id.clone(),
                key: c.key.value.clone(),
                event_type: c.event_type.value.clone(),
                description: c.description.clone(),
                handler,
                location: Some(at),
            });
        }
        out
    }
}

/// The Rust name a topic gets by default: its wire name in UpperCamelCase,
/// without the run-time (or pinned) env and tenant segments, so that
/// `{env}.omnibase.onex.evt.contract-created.v1` becomes `OnexEvtContractCreatedV1`.
fn derived_rust_name(name: &NameTemplate, settings: &Settings) -> String {
    name.parts
        .iter()
        .filter_map(|p| match p {
            NamePart::Literal(l) if !settings.envs.contains(l) && !settings.tenants.contains(l) => {
                Some(l.as_str())
            }
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("-")
        .to_upper_camel_case()
}

/// Locations of the top-level keys of a YAML file (`name:` at column 1), and
/// of `pii` entries as `pii.<field>`.
fn key_locations(file: &SourceFile) -> BTreeMap<String, Location> {
    let mut out = BTreeMap::new();
    let mut in_pii = false;
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let key = trimmed.split_once(':').map(|(k, _)| k);
        if let Some(k) = key.filter(|k| !k.starts_with([' ', '#', '-']) && !k.is_empty()) {
            out.insert(k.to_owned(), file.location_of_offset(offset, k.len()));
            in_pii = k == "pii";
        } else if in_pii {
            if let Some(k) = key
                .and_then(|k| k.strip_prefix("  "))
                .filter(|k| !k.starts_with(' '))
            {
                out.insert(
                    format!("pii.{k}"),
                    file.location_of_offset(offset + 2, k.len()),
                );
            }
        }
        offset += line.len();
    }
    out
}

fn collect_schema_pii(rec: &Record, prefix: &str, out: &mut BTreeMap<String, PiiInfo>) {
    for f in &rec.fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        if let Some(level) = f.pii {
            out.insert(
                path.clone(),
                PiiInfo {
                    level,
                    encryption: None,
                },
            );
        }
        if let FieldType::Record(r) = &f.ty {
            collect_schema_pii(r, &path, out);
        }
    }
}
