//! Checks across topics: unique wire names, aliases and Rust names; retry,
//! dead-letter and successor topics that must exist.
use super::*;

impl Resolver<'_, '_> {
    pub(super) fn cross_topic(&mut self, partials: &mut [Partial], settings: &Settings) {
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
        let failure = &settings.failure_names;
        for (i, p) in partials.iter().enumerate() {
            // (field, wire name, where it was written, the template it was derived from)
            let mut refs: Vec<(&str, String, Location, Option<&str>)> = Vec::new();
            let written = |what, r: Option<&Located<String>>| {
                r.map(|r| (what, r.value.clone(), loc(&p.file, r), None))
            };
            let retry = p.raw.retry.as_ref();
            let dlt = p.raw.dlt.as_ref();
            refs.extend(written("retry", retry.and_then(|r| r.topic.as_ref())));
            refs.extend(written("dlt", dlt.and_then(|d| d.topic.as_ref())));
            refs.extend(written(
                "replaced_by",
                p.raw
                    .deprecated
                    .as_ref()
                    .and_then(|d| d.replaced_by.as_ref()),
            ));
            refs.extend(written("reply", p.raw.reply.as_ref().map(|r| &r.topic)));
            let source = p.topic.name.to_string();
            let in_consumer = p
                .topic
                .retry
                .as_ref()
                .is_some_and(|r| r.mode == RetryMode::InConsumer);
            if let (Some(r), Some(t)) = (retry, &failure.retry) {
                if r.topic.is_none() && !in_consumer {
                    let at = p.file.find("retry:");
                    refs.push(("retry", FailureNames::apply(t, &source), at, Some("retry")));
                }
            }
            if let (Some(d), Some(t)) = (dlt, &failure.dead_letter) {
                if d.topic.is_none() {
                    let at = p.file.find("dlt:");
                    refs.push((
                        "dlt",
                        FailureNames::apply(t, &source),
                        at,
                        Some("dead_letter"),
                    ));
                }
            }
            for (what, name, at, template) in refs {
                match find(&name) {
                    Some(id) => resolved.push((i, what, id)),
                    None => {
                        let d = match template {
                            None => Diagnostic::new(
                                Code::UnknownTopicReference,
                                format!("`{what}` names `{name}`, which is not a topic of this catalog"),
                            )
                            .maybe_help(
                                did_you_mean(&name, lookup.iter().map(|(n, _)| n.as_str()))
                                    .map(|s| format!("did you mean `{s}`?")),
                            ),
                            Some(key) => Diagnostic::new(
                                Code::UnknownTopicReference,
                                format!(
                                    "`{what}` of `{source}` is `{name}` (onex.yaml `failure.{key}`), which is not a topic of this catalog"
                                ),
                            )
                            .help(format!(
                                "add its contract (a `{}` topic with `name: \"{name}\"`), or name the topic in `{what}.topic`",
                                if what == "dlt" { "dlt" } else { "rty" }
                            )),
                        };
                        self.push(p.file.attach(d, at));
                    }
                }
            }
            if let Some(r) = &p.raw.reply {
                self.correlation_field(p, r, settings);
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
                    "reply" => {
                        let correlation = p
                            .raw
                            .reply
                            .as_ref()
                            .and_then(|r| r.correlation.as_ref())
                            .map_or_else(|| "correlation_id".to_owned(), |c| c.value.clone());
                        p.topic.reply = Some(Reply {
                            topic: id,
                            correlation,
                        });
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

    /// `reply.correlation` names an envelope field the catalog's records
    /// carry (and not one every record has anyway, which matches nothing).
    fn correlation_field(&mut self, p: &Partial, r: &contract::ReplySpec, settings: &Settings) {
        let Some(c) = &r.correlation else { return };
        let name = c.value.as_str();
        let problem = if !ENVELOPE_FIELDS.contains(&name) || name == "payload" {
            Some(format!("`{name}` is not a field of onex's envelope"))
        } else if matches!(name, "event_id" | "event_type") {
            Some(format!(
                "`{name}` differs between a request and its reply; it cannot match them"
            ))
        } else if settings.envelope.as_ref().is_some_and(|e| !e.uses(name)) {
            Some(format!(
                "`{name}` is not a field of this catalog's envelope"
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            let help = match settings.envelope.as_ref() {
                Some(e) if ENVELOPE_FIELDS.contains(&name) && !e.uses(name) => {
                    format!("add `{name}` under `envelope.fields` in onex.yaml, or match by `correlation_id`")
                }
                _ => "replies carry their request's `correlation_id`: write `correlation: correlation_id`".to_owned(),
            };
            self.push(
                p.file.attach(
                    Diagnostic::new(
                        Code::UnknownEnvelopeField,
                        format!("`reply.correlation`: {problem}"),
                    )
                    .help(help),
                    loc(&p.file, c),
                ),
            );
        }
    }

    // ------------------------------------------------------------ nodes
}
