//! One topic contract on its own: identity from the path, wire name, storage,
//! schema, key, samples and PII, before any cross-topic reference.
use super::*;

impl Resolver<'_, '_> {
    pub(super) fn topic(&mut self, dir: &TopicDir, settings: Option<&Settings>) -> Option<Partial> {
        let path = dir.abs.join(reader::TOPIC_FILE);
        if self.r.kind(&path) == reader::Found::Missing {
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
        let (file, raw, keys) =
            self.parse_file_keyed::<TopicFile>(&path, &["pii", "lints", "key"])?;
        let key_at = |k: &str| {
            keys.get(k)
                .cloned()
                .unwrap_or_else(|| Location::file(file.rel.clone()))
        };
        let settings = settings?;
        let before = self.r.diags.error_count();
        let id = TopicId {
            context: dir.context.clone(),
            class: dir.class.clone(),
            topic: dir.topic.clone(),
            major: dir.major,
        };
        let file_loc = Location::file(file.rel.clone());

        self.identity(&file, &raw, &id, settings);
        self.aliases(&file, &raw);
        let (convention, name) = self.wire_name(&file, &raw, &id, settings);
        let rust_name = self.rust_name(&file, &raw, name.as_ref(), settings);
        let storage = self.storage(&file, &raw, &id, settings, &file_loc);
        let schema = self.schema(dir, &file, &raw);
        self.event_class(&file, &raw, settings);
        let samples = self.samples(dir, &file, &raw);
        let pii = self.pii(&file, &raw, schema.as_ref(), &key_at);
        self.node_types(&file, &raw, settings);
        self.contract_lints(&file, &raw, &key_at);
        let retry = self.retry(&file, &raw);
        // Key (a keyless topic must not be compacted, so after the policy).
        let key = schema.as_ref().and_then(|s| {
            let cx = super::key::KeyContext {
                payload: &s.payload,
                class: &id.class,
                cleanup: storage.cleanup_policy,
                cleanup_at: raw.cleanup_policy.as_ref().map(|c| loc(&file, c)),
                file_loc: &file_loc,
                key_at: keys.get("key").cloned(),
            };
            self.key(&file, &raw, &cx, settings)
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
            owner: storage.owner,
            sla: storage.sla,
            retention_ms: storage.retention_ms,
            cleanup_policy: storage.cleanup_policy,
            partitions: storage.partitions,
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
            reply: None,
            headers: storage.headers,
            deprecated: raw.deprecated.as_ref().map(|d| Deprecation {
                reason: d.reason.clone(),
                since: d.since.clone(),
                replaced_by: None,
            }),
            tiered_storage: storage.tiered_storage,
            lint_overrides: raw
                .lints
                .iter()
                .map(|(k, v)| (k.clone(), (v.level, v.reason.clone())))
                .collect(),
            spans: TopicSpans {
                keys,
                file: Some(file_loc),
                key: raw
                    .key
                    .as_ref()
                    .and_then(|k| k.field.as_ref().or(k.envelope.as_ref()))
                    .map(|k| loc(&file, k)),
                name: raw.name.as_ref().map(|n| loc(&file, n)),
                retention: storage.retention_at,
                partitions: storage.partitions_at,
            },
        };
        Some(Partial { topic, file, raw })
    }

    pub(super) fn unknown_value(
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
    pub(super) fn name(
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
        // Check the explicit name against the convention. First its shape
        // (segment count and fixed text): a name of another shape follows
        // another convention, and comparing its segments by position would
        // blame the path for what `convention:` should say.
        let segs: Vec<&str> = explicit.value.split('.').collect();
        let shape = |p: &Pattern| {
            segs.len() == p.parts.len()
                && p.parts.iter().zip(&segs).all(|(part, s)| match part {
                    PatternPart::Literal(l) => l == s,
                    _ => true,
                })
        };
        let identity = |p: &Pattern| {
            p.parts.iter().zip(&segs).all(|(part, s)| match part {
                PatternPart::Context => *s == id.context,
                PatternPart::Class => *s == id.class,
                PatternPart::Topic => *s == id.topic,
                PatternPart::Version => *s == version,
                _ => true,
            })
        };
        if !shape(pattern) {
            let other = settings
                .conventions
                .iter()
                .filter(|(_, p)| shape(p))
                .min_by_key(|(_, p)| !identity(p));
            let help = match other {
                Some((c, p)) if identity(p) => format!(
                    "this name follows convention `{c}` (`{}`): write `convention: {c}`",
                    p.source
                ),
                Some((c, p)) => format!(
                    "its shape is convention `{c}` (`{}`), but context, class, topic or version differ from the path `{id}`; write `convention: {c}` and fix the name, or move the contract",
                    p.source
                ),
                None => "set `convention:` to the convention this name follows (add it to onex.yaml's `naming.conventions` if none does), or rename the topic in a new version".to_owned(),
            };
            self.push(
                file.attach(
                    Diagnostic::new(
                        Code::ConventionMismatch,
                        format!(
                            "`name: {}` does not follow convention `{convention}` (`{}`)",
                            explicit.value, pattern.source
                        ),
                    )
                    .help(help),
                    loc(file, explicit),
                ),
            );
            // A warning: the explicit name stands as written.
            return Some(template);
        }
        let mut ok = true;
        for (p, s) in pattern.parts.iter().zip(&segs) {
            let open = s.starts_with('{');
            match p {
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
                            .help(format!("the folders give the identity (`{id}`); write `{expected}` in the name, or move the contract to the folder the name says")),
                            loc(file, explicit),
                        ));
                        ok = false;
                    }
                }
                _ => {}
            }
        }
        ok.then_some(template)
    }

    pub(super) fn schema(
        &mut self,
        dir: &TopicDir,
        file: &SourceFile,
        raw: &TopicFile,
    ) -> Option<Schema> {
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
                .filter(|c| self.r.kind(&dir.abs.join(c)) != reader::Found::Missing)
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
                        self.r.rel(&escaped)
                    ),
                ),
                schema_loc,
            ));
            return None;
        }
        if self.r.kind(&schema_abs) == reader::Found::Missing {
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
        if let Some(k) = raw.key.as_ref().and_then(|k| k.schema.as_ref()) {
            let abs = dir.abs.join(&k.value);
            if self.r.kind(&abs) == reader::Found::Missing || self.r.within_root(&abs).is_err() {
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

    pub(super) fn samples(
        &mut self,
        dir: &TopicDir,
        file: &SourceFile,
        raw: &TopicFile,
    ) -> Vec<Sample> {
        let paths: Vec<(std::path::PathBuf, Location)> = match &raw.samples {
            Some(list) => list
                .iter()
                .map(|s| (dir.abs.join(&s.value), loc(file, s)))
                .collect(),
            None => {
                let sdir = dir.abs.join("samples");
                let mut v: Vec<_> = self
                    .r
                    .list(&sdir)
                    .into_iter()
                    .map(|(_, p)| p)
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect();
                v.sort();
                if self.r.kind(&sdir) == reader::Found::Dir {
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
                            self.r.rel(&escaped)
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
                        text: sf.text.clone(),
                    }),
                    Err(d) => self.push(d),
                },
                Err(d) => self.push(d),
            }
        }
        out
    }

    // ------------------------------------------------------------ across topics
}

/// The Rust name a topic gets by default: its wire name in UpperCamelCase,
/// without the run-time (or pinned) env and tenant segments, so that
/// `{env}.omnibase.onex.evt.contract-created.v1` becomes `OnexEvtContractCreatedV1`.
pub(super) fn derived_rust_name(name: &NameTemplate, settings: &Settings) -> String {
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

pub(super) fn collect_schema_pii(rec: &Record, prefix: &str, out: &mut BTreeMap<String, PiiInfo>) {
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

/// Why an alias cannot be a Kafka topic name, if it cannot (blank, too
/// long, or characters outside `[A-Za-z0-9._-]` such as markup).
fn alias_problem(alias: &str) -> Option<String> {
    if alias.trim().is_empty() {
        return Some("is blank".to_owned());
    }
    if alias.len() > 249 {
        return Some(format!(
            "is {} bytes long; Kafka allows at most 249",
            alias.len()
        ));
    }
    if alias == "." || alias == ".." {
        return Some(format!("`{alias}` is not a valid Kafka topic name"));
    }
    // Placeholders of the naming pattern (`{env}`, `{tenant}`) may stand
    // for segments, as in a templated wire name.
    let mut rest = alias;
    let mut bad = None;
    while let Some(c) = rest.chars().next() {
        if c == '{' {
            if let Some(end) = rest.find('}') {
                let inner = rest.get(1..end).unwrap_or_default();
                if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    rest = rest.get(end + 1..).unwrap_or_default();
                    continue;
                }
            }
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
            bad = Some(c);
            break;
        }
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    let bad = bad?;
    let shown: String = alias.chars().take(80).collect();
    let more = if alias.chars().count() > 80 {
        "..."
    } else {
        ""
    };
    Some(format!(
        "`{}{more}` contains {bad:?}, which a Kafka topic name may not",
        shown.escape_debug()
    ))
}

fn owner(o: &contract::Owner) -> Owner {
    Owner {
        team: o.team.value.clone(),
        contact: o.contact.clone(),
        pagerduty: o.pagerduty.clone(),
    }
}

impl Resolver<'_, '_> {
    pub(super) fn sla(&mut self, file: &SourceFile, s: &contract::Sla) -> Sla {
        Sla {
            description: s.description.clone(),
            frequency_ms: s.frequency.as_ref().and_then(|d| self.duration(file, d)),
            max_lag_ms: s.max_lag.as_ref().and_then(|d| self.duration(file, d)),
            publish_latency_p95_ms: s
                .publish_latency_p95
                .as_ref()
                .and_then(|d| self.duration(file, d)),
        }
    }

    /// One scope of `defaults:` in onex.yaml.
    pub(super) fn topic_defaults(
        &mut self,
        file: &SourceFile,
        raw: &contract::TopicDefaults,
    ) -> crate::model::TopicDefaults {
        crate::model::TopicDefaults {
            owner: raw.owner.as_ref().map(owner),
            sla: raw.sla.as_ref().map(|s| self.sla(file, s)),
            retention: raw
                .retention
                .as_ref()
                .and_then(|r| Some((self.duration(file, r)?, loc(file, r)))),
            cleanup_policy: raw.cleanup_policy.as_ref().map(|c| c.value),
            partitions: raw.partitions.as_ref().map(|p| (p.value, loc(file, p))),
            tiered_storage: raw.tiered_storage,
            headers: raw
                .headers
                .as_ref()
                .map(|h| h.iter().map(|h| h.value.clone()).collect()),
        }
    }
}

/// What a topic inherits or sets about storage, ownership and service.
struct Storage {
    retention_ms: u64,
    retention_at: Option<Location>,
    partitions: u32,
    partitions_at: Option<Location>,
    cleanup_policy: CleanupPolicy,
    tiered_storage: Option<bool>,
    owner: Option<Owner>,
    sla: Option<Sla>,
    headers: Vec<String>,
}

/// The steps of [`Resolver::topic`]: each checks one part of the contract
/// (reporting what is wrong) and returns what that part gives.
impl Resolver<'_, '_> {
    /// Identity: directory names, the class, and restatements inside the file.
    fn identity(&mut self, file: &SourceFile, raw: &TopicFile, id: &TopicId, settings: &Settings) {
        let file_loc = Location::file(file.rel.clone());
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
                        loc(file, v),
                    ));
                }
            }
        }
    }

    /// Aliases: legacy wire names, so they obey Kafka's topic name rules.
    fn aliases(&mut self, file: &SourceFile, raw: &TopicFile) {
        for a in &raw.aliases {
            if let Some(problem) = alias_problem(&a.value) {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::InvalidName,
                            format!("alias {problem}"),
                        )
                        .help("an alias is an old wire name such as `node.introspection`: 1 to 249 of ASCII letters, digits, `.`, `_` and `-` (and placeholders such as `{env}`); remove the entry if there is none"),
                        loc(file, a),
                    ),
                );
            }
        }
    }

    /// The naming convention and the wire-name template.
    fn wire_name(
        &mut self,
        file: &SourceFile,
        raw: &TopicFile,
        id: &TopicId,
        settings: &Settings,
    ) -> (String, Option<NameTemplate>) {
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
                            loc(file, c),
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
                    self.push(self.unknown_value(file, p, allowed, code, what));
                }
            }
        }
        let name = pattern.and_then(|p| self.name(file, raw, id, &p, &convention, settings));

        (convention, name)
    }

    /// The Rust type name: the contract's `rust_name`, else from the wire name.
    fn rust_name(
        &mut self,
        file: &SourceFile,
        raw: &TopicFile,
        name: Option<&NameTemplate>,
        settings: &Settings,
    ) -> String {
        match &raw.rust_name {
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
                        .help({
                            // A suggestion that is itself valid (`Self` is not).
                            let camel = n.value.to_upper_camel_case();
                            let derived = name.map(|w| derived_rust_name(w, settings));
                            match [Some(camel), derived]
                                .into_iter()
                                .flatten()
                                .find(|c| is_camel_ident(c) && *c != n.value)
                            {
                                Some(c) => format!("for example `{c}`"),
                                None => "an UpperCamelCase identifier that is not a Rust keyword, e.g. `OrderPlacedV1`".to_owned(),
                            }
                        }),
                        loc(file, n),
                    ),
                );
                String::new()
            }
            None => {
                let derived = name
                    .as_ref()
                    .map(|n| derived_rust_name(n, settings))
                    .unwrap_or_default();
                if name.is_some() && !is_camel_ident(&derived) {
                    self.push(
                        file.attach(
                            Diagnostic::new(
                                Code::InvalidName,
                                format!(
                                    "the Rust name derived from the wire name, `{derived}`, is not a Rust type name"
                                ),
                            )
                            .help(if derived.is_empty() {
                                "set `rust_name:` in this topic.yaml: the wire name has no segment to derive one from besides `{env}` and `{tenant}`".to_owned()
                            } else {
                                format!(
                                    "set `rust_name:` in this topic.yaml, e.g. `rust_name: T{derived}` (a type name starts with a letter and is not a keyword)"
                                )
                            }),
                            Location::file(file.rel.clone()),
                        ),
                    );
                    return String::new();
                }
                derived
            }
        }
    }

    /// Storage, ownership and service levels: the contract's own, else
    /// onex.yaml `defaults:` (class, then context, then catalog).
    fn storage(
        &mut self,
        file: &SourceFile,
        raw: &TopicFile,
        id: &TopicId,
        settings: &Settings,
        file_loc: &Location,
    ) -> Storage {
        let (retention_ms, retention_at) = match &raw.retention {
            Some(r) => (self.duration(file, r).unwrap_or(0), Some(loc(file, r))),
            None => match settings
                .defaults
                .pick(&id.context, &id.class, |d| d.retention.clone())
            {
                Some((ms, at)) => (ms, Some(at)),
                None => {
                    self.push(file.attach(
                        Diagnostic::new(
                            Code::InvalidValue,
                            "missing field `retention`: the contract sets none and onex.yaml `defaults:` gives none for it".to_owned(),
                        )
                        .help(format!(
                            "add `retention:` (e.g. `7d`), or a default under `defaults.classes.{}` in onex.yaml",
                            id.class
                        )),
                        file_loc.clone(),
                    ));
                    (0, None)
                }
            },
        };
        let (partitions, partitions_at) = match &raw.partitions {
            Some(p) => (p.value, Some(loc(file, p))),
            None => settings
                .defaults
                .pick(&id.context, &id.class, |d| d.partitions.clone())
                .map_or((settings.partitions.default, None), |(n, at)| (n, Some(at))),
        };
        let defaults = &settings.defaults;
        let inherit = |get: &dyn Fn(&crate::model::TopicDefaults) -> bool| {
            defaults.pick(&id.context, &id.class, |d| get(d).then_some(d))
        };
        let sla = match &raw.sla {
            Some(s) => Some(self.sla(file, s)),
            None => inherit(&|d| d.sla.is_some()).and_then(|d| d.sla.clone()),
        };
        let owner = match &raw.owner {
            Some(o) => Some(owner(o)),
            None => inherit(&|d| d.owner.is_some()).and_then(|d| d.owner.clone()),
        };
        let cleanup_policy =
            raw.cleanup_policy.as_ref().map(|c| c.value).or_else(|| {
                inherit(&|d| d.cleanup_policy.is_some()).and_then(|d| d.cleanup_policy)
            });
        let tiered_storage = raw
            .tiered_storage
            .or_else(|| inherit(&|d| d.tiered_storage.is_some()).and_then(|d| d.tiered_storage));
        let headers: Vec<String> = if raw.headers.is_empty() {
            inherit(&|d| d.headers.is_some())
                .and_then(|d| d.headers.clone())
                .unwrap_or_default()
        } else {
            raw.headers.iter().map(|h| h.value.clone()).collect()
        };

        Storage {
            retention_ms,
            retention_at,
            partitions,
            partitions_at,
            cleanup_policy: cleanup_policy.unwrap_or(CleanupPolicy::Delete),
            tiered_storage,
            owner,
            sla,
            headers,
        }
    }

    /// `event_class` names a keying rule of onex.yaml.
    fn event_class(&mut self, file: &SourceFile, raw: &TopicFile, settings: &Settings) {
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
                        loc(file, ec),
                    ),
                );
            }
        }
    }

    /// PII: the schema's own annotations and the contract's `pii:`, whose
    /// paths must be payload fields.
    fn pii(
        &mut self,
        file: &SourceFile,
        raw: &TopicFile,
        schema: Option<&Schema>,
        key_at: &dyn Fn(&str) -> Location,
    ) -> BTreeMap<String, PiiInfo> {
        let mut pii = BTreeMap::new();
        if let Some(s) = schema {
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
                        key_at(&format!("pii.{path}")),
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

        pii
    }

    /// Producer and consumer node types are ones onex.yaml knows.
    fn node_types(&mut self, file: &SourceFile, raw: &TopicFile, settings: &Settings) {
        for nt in raw.producers.iter().chain(&raw.consumers) {
            if !settings.node_types.contains(&nt.value) {
                self.push(self.unknown_value(
                    file,
                    nt,
                    &settings.node_types,
                    Code::UnknownNodeType,
                    "node type",
                ));
            }
        }
    }

    /// Per-contract lint levels: known, per-contract rules, with a reason.
    fn contract_lints(
        &mut self,
        file: &SourceFile,
        raw: &TopicFile,
        key_at: &dyn Fn(&str) -> Location,
    ) {
        for (rule, o) in &raw.lints {
            self.check_rule_id(file, rule, "lints:");
            if crate::model::rules::rule(rule).is_some_and(|r| !r.per_contract()) {
                self.push(file.attach(
                    Diagnostic::new(Code::RuleNotPerContract, format!("`{rule}` cannot be relaxed for one topic"))
                        .help("privacy, tenant spelling, sample validity and version rules are set for the whole catalog in onex.yaml `lints:`"),
                    key_at(&format!("lints.{rule}")),
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
                        key_at(&format!("lints.{rule}")),
                    ),
                );
            }
        }
    }

    /// The retry policy (`retry:`).
    fn retry(&mut self, file: &SourceFile, raw: &TopicFile) -> Option<Retry> {
        raw.retry.as_ref().map(|r| {
            let mode = r.mode.as_ref().map_or(RetryMode::Topic, |m| m.value);
            if let (RetryMode::InConsumer, Some(t)) = (mode, &r.topic) {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::InvalidValue,
                            "`retry.mode: in-consumer` backs off inside the consumer, yet `retry.topic` names a retry topic".to_owned(),
                        )
                        .help("remove `retry.topic`, or remove `mode: in-consumer` to retry through the topic"),
                        loc(file, t),
                    ),
                );
            }
            Retry {
                tiers_ms: r
                    .tiers
                    .iter()
                    .filter_map(|t| self.duration(file, t))
                    .collect(),
                max_attempts: r.max_attempts,
                mode,
                topic: None,
            }
        })
    }
}
