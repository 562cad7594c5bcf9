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
