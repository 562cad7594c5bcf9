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
}
