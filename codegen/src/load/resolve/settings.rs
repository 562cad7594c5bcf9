//! `onex.yaml`: conventions, classes, partitions, keying, lint levels (rule ids
//! checked against the registry), headers.
use super::*;

impl Resolver<'_, '_> {
    pub(super) fn settings(&mut self, file: SourceFile, raw: SettingsFile) -> Option<Settings> {
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
                        keyless: c.keyless,
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
        let envelope = raw
            .envelope
            .as_ref()
            .map(|e| self.envelope(&file, e, &classes));
        for t in [&raw.failure.dead_letter, &raw.failure.retry]
            .into_iter()
            .flatten()
        {
            if !t.value.contains("{name}") {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::InvalidName,
                            format!("`{}` does not use the source topic's `{{name}}`", t.value),
                        )
                        .help("a derived name is a template over the source topic's wire name, e.g. `\"{name}.dlq\"`"),
                        loc(&file, t),
                    ),
                );
            }
        }
        let defaults = Defaults {
            catalog: self.topic_defaults(&file, &raw.defaults.catalog),
            contexts: raw
                .defaults
                .contexts
                .iter()
                .map(|(k, v)| (k.clone(), self.topic_defaults(&file, v)))
                .collect(),
            classes: raw
                .defaults
                .classes
                .iter()
                .map(|(k, v)| (k.clone(), self.topic_defaults(&file, v)))
                .collect(),
        };
        for class in raw.defaults.classes.keys() {
            if !classes.contains_key(class) {
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::UnknownClass,
                            format!("`defaults.classes` names `{class}`, which is not a class of this catalog"),
                        )
                        .help(match did_you_mean(class, classes.keys().map(String::as_str)) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!(
                                "classes are: {}",
                                classes.keys().cloned().collect::<Vec<_>>().join(", ")
                            ),
                        }),
                        {
                            // The key under `defaults:`, not the class itself.
                            let needle = format!("{class}:");
                            let start = file.text.find("defaults:").unwrap_or(0);
                            match file.text.get(start..).and_then(|t| t.find(&needle)) {
                                Some(off) => file.location_of_offset(start + off, class.len()),
                                None => file.find("defaults:"),
                            }
                        },
                    ),
                );
            }
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
            envelope,
            failure_names: FailureNames {
                dead_letter: raw.failure.dead_letter.map(|t| t.value),
                retry: raw.failure.retry.map(|t| t.value),
            },
            defaults,
            protobuf_encoding: raw.breaking.protobuf_encoding,
        })
    }

    /// `envelope:`: field names onex's envelope has, classes the catalog has.
    fn envelope(
        &mut self,
        file: &SourceFile,
        raw: &EnvelopeSettings,
        classes: &BTreeMap<String, ClassPolicy>,
    ) -> EnvelopeDef {
        let mut fields = BTreeMap::new();
        for (name, spec) in &raw.fields {
            if !ENVELOPE_FIELDS.contains(&name.as_str()) {
                let at = file.find(&format!("{name}:"));
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::UnknownEnvelopeField,
                            format!("`{name}` is not a field of onex's envelope"),
                        )
                        .help(match did_you_mean(name, ENVELOPE_FIELDS.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!(
                                "envelope fields are: {}; domain data belongs in the payload, free-form data in `metadata`",
                                ENVELOPE_FIELDS.join(", ")
                            ),
                        }),
                        at,
                    ),
                );
                continue;
            }
            for class in &spec.required_for {
                if !classes.contains_key(&class.value) {
                    self.push(
                        file.attach(
                            Diagnostic::new(
                                Code::UnknownClass,
                                format!(
                                    "`required_for` of envelope field `{name}` names `{}`, which is not a class of this catalog",
                                    class.value
                                ),
                            )
                            .help(
                                match did_you_mean(&class.value, classes.keys().map(String::as_str)) {
                                    Some(s) => format!("did you mean `{s}`?"),
                                    None => format!(
                                        "classes are: {}",
                                        classes.keys().cloned().collect::<Vec<_>>().join(", ")
                                    ),
                                },
                            ),
                            loc(file, class),
                        ),
                    );
                }
            }
            fields.insert(
                name.clone(),
                EnvelopeFieldDef {
                    required: spec.required,
                    required_for: spec.required_for.iter().map(|c| c.value.clone()).collect(),
                    description: spec.description.clone(),
                },
            );
        }
        EnvelopeDef {
            event_id: raw.event_id,
            fields,
        }
    }

    /// A lint or breaking-change rule id named in `lints:` must exist.
    pub(super) fn check_rule_id(&mut self, file: &SourceFile, rule: &str, section: &str) {
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
                    Some(s) => format!("did you mean `{s}`? (`onex lint --list`)"),
                    None => "`onex lint --list` lists the rules".to_owned(),
                }),
                at,
            ),
        );
    }

    pub(super) fn duration(&mut self, file: &SourceFile, d: &Located<String>) -> Option<u64> {
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
}
