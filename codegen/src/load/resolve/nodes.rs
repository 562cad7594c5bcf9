//! Node contracts: channels matched to topics, keys and handlers checked,
//! publish/subscribe edges. Channels find their topics through a
//! [`TopicIndex`] (hash lookups), so a catalog of thousands of topics and
//! nodes resolves in linear time rather than channels × topics.
use std::collections::{BTreeSet, HashMap};

use super::*;
use crate::model::KeySource;

/// Wire names and aliases → position in the topic list. A concrete name
/// (`prod.omnibase.ctx.evt.x.v1`) is looked up by rewriting its run-time
/// segments into the placeholders of each distinct open-name shape of the
/// catalog (usually one), never by scanning the topics.
pub(super) struct TopicIndex<'t> {
    topics: &'t [Topic],
    by_name: HashMap<String, usize>,
    by_alias: HashMap<&'t str, usize>,
    /// Distinct shapes of open names: segment count and open positions.
    shapes: Vec<(usize, Vec<(usize, bool)>)>,
}

impl<'t> TopicIndex<'t> {
    pub(super) fn new(topics: &'t [Topic]) -> Self {
        let mut by_name = HashMap::with_capacity(topics.len());
        let mut by_alias = HashMap::new();
        let mut shapes = BTreeSet::new();
        for (i, t) in topics.iter().enumerate() {
            by_name.entry(t.name.to_string()).or_insert(i);
            for a in &t.aliases {
                by_alias.entry(a.as_str()).or_insert(i);
            }
            let open: Vec<(usize, bool)> = t
                .name
                .parts
                .iter()
                .enumerate()
                .filter_map(|(p, part)| match part {
                    NamePart::Env => Some((p, true)),
                    NamePart::Tenant => Some((p, false)),
                    NamePart::Literal(_) => None,
                })
                .collect();
            if !open.is_empty() {
                shapes.insert((t.name.parts.len(), open));
            }
        }
        TopicIndex {
            topics,
            by_name,
            by_alias,
            shapes: shapes.into_iter().collect(),
        }
    }

    /// The first topic (in catalog order) whose wire name is `name`, or
    /// whose template `name` instantiates with a known env and tenant.
    fn by_name(&self, name: &str, settings: &Settings) -> Option<&'t Topic> {
        let mut best = self.by_name.get(name).copied();
        let segs: Vec<&str> = name.split('.').collect();
        for (len, open) in &self.shapes {
            if *len != segs.len() {
                continue;
            }
            let mut candidate: Vec<&str> = segs.clone();
            let fits = open.iter().all(|&(p, env)| {
                let known = if env {
                    &settings.envs
                } else {
                    &settings.tenants
                };
                match candidate.get_mut(p) {
                    Some(seg) if known.iter().any(|k| k == seg) => {
                        *seg = if env { "{env}" } else { "{tenant}" };
                        true
                    }
                    _ => false,
                }
            });
            if !fits {
                continue;
            }
            if let Some(&i) = self.by_name.get(&candidate.join(".")) {
                let matches = self.topics.get(i).is_some_and(|t| {
                    t.name
                        .matches_concrete(name, &settings.envs, &settings.tenants)
                });
                if matches && best.is_none_or(|b| i < b) {
                    best = Some(i);
                }
            }
        }
        best.and_then(|i| self.topics.get(i))
    }

    /// The first topic (in catalog order) with the legacy alias `name`.
    fn by_alias(&self, name: &str) -> Option<&'t Topic> {
        self.by_alias.get(name).and_then(|&i| self.topics.get(i))
    }
}

/// The methods the generated `<Node>Handlers` trait provides itself; a
/// handler of one of these names would be declared twice.
const PROVIDED_HANDLER_METHODS: [&str; 3] = ["dispatch", "handle_next", "run"];

impl Resolver<'_, '_> {
    pub(super) fn nodes(
        &mut self,
        raw: Vec<(SourceFile, NodeFile)>,
        topics: &[Topic],
        settings: &Settings,
    ) -> Vec<Node> {
        let index = TopicIndex::new(topics);
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
            let snake = name.to_snake_case();
            let reserved = [rust_name.as_str(), snake.as_str()]
                .into_iter()
                .find_map(syn_keyword);
            if reserved.is_some() || name.starts_with(|c: char| c.is_ascii_digit()) {
                let why = match reserved {
                    Some(kw) => format!(
                        "its Rust names (`{rust_name}`, `{snake}`) include the reserved word `{kw}`"
                    ),
                    None => "a Rust name cannot start with a digit".to_owned(),
                };
                self.push(
                    file.attach(
                        Diagnostic::new(
                            Code::InvalidName,
                            format!("node name `{name}` cannot name generated Rust code: {why}"),
                        )
                        .help(format!(
                            "choose a more specific name, for example `{name}-node` or `my-{name}`"
                        )),
                        name_loc,
                    ),
                );
                continue;
            }
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
                &index,
                settings,
            );
            let subscribes = self.channels(
                &file,
                &n.event_channels.subscribes,
                Direction::Subscribes,
                &node_type,
                type_ok,
                &index,
                settings,
            );
            for c in &subscribes {
                if let Some(p) = publishes.iter().find(|p| p.topic == c.topic) {
                    // The wire name, as the contract writes it (not the folder path).
                    let wire = topics
                        .iter()
                        .find(|t| t.id == c.topic)
                        .map_or_else(|| c.topic.to_string(), |t| t.name.to_string());
                    let mut d = Diagnostic::new(
                        Code::PublishesAndSubscribes,
                        format!(
                            "node `{name}` publishes and subscribes `{wire}` ({})",
                            c.topic
                        ),
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
    pub(super) fn refers_to_broken(&self, name: &str) -> bool {
        self.broken_names.iter().any(|n| n == name)
            || self.broken_dirs.iter().any(|d| {
                [d.clone(), d.replace('-', "."), d.replace('-', "_")]
                    .iter()
                    .any(|v| name.contains(v.as_str()))
            })
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn channels(
        &mut self,
        file: &SourceFile,
        raw: &[contract::Channel],
        dir: Direction,
        node_type: &str,
        type_ok: bool,
        index: &TopicIndex<'_>,
        settings: &Settings,
    ) -> Vec<Channel> {
        let topics = index.topics;
        let mut out: Vec<Channel> = Vec::new();
        let mut seen: std::collections::BTreeSet<TopicId> = std::collections::BTreeSet::new();
        let mut handlers: BTreeMap<String, Location> = BTreeMap::new();
        for c in raw {
            // Checked before the topic is resolved: it does not depend on it.
            if let Some(h) = &c.handler {
                if PROVIDED_HANDLER_METHODS.contains(&h.value.as_str()) {
                    self.push(file.attach(
                        Diagnostic::new(
                            Code::InvalidHandler,
                            format!(
                                "handler `{}` is a method every node's `Handlers` trait already has",
                                h.value
                            ),
                        )
                        .help(format!("name it after what it handles, for example `on_{}`", h.value)),
                        loc(file, h),
                    ));
                } else if !is_snake_ident(&h.value) {
                    let snake = h.value.to_snake_case();
                    let (what, help) = if let Some(kw) = syn_keyword(&h.value) {
                        (
                            format!("handler `{}` is the Rust keyword `{kw}`", h.value),
                            format!("prefix it, for example `on_{}`", kw.to_lowercase()),
                        )
                    } else if is_snake_ident(&snake) {
                        (
                            format!("handler `{}` is not a snake_case Rust identifier", h.value),
                            format!("for example `{snake}`"),
                        )
                    } else {
                        (
                            format!("handler `{}` is not a snake_case Rust identifier", h.value),
                            "use lowercase ASCII letters, digits and `_`, starting with a letter, for example `on_order_placed`".to_owned(),
                        )
                    };
                    self.push(file.attach(
                        Diagnostic::new(Code::InvalidHandler, what).help(help),
                        loc(file, h),
                    ));
                }
            }
            let at = loc(file, &c.topic);
            let name = c.topic.value.as_str();
            let topic = match index.by_name(name, settings) {
                Some(t) => t,
                None => match index.by_alias(name) {
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
            if !seen.insert(topic.id.clone()) {
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
            let written = c.key.as_ref().map_or("", |k| k.value.as_str());
            if written != key {
                let (message, help) = match (&c.key, topic.key.source) {
                    (Some(k), KeySource::None) => (
                        format!("channel key `{}`, but `{}` is keyless", k.value, topic.name),
                        "remove `key:` (the topic contract decides the key)".to_owned(),
                    ),
                    (None, _) => (
                        format!(
                            "the channel names no key; `{}` is keyed by `{key}`",
                            topic.name
                        ),
                        format!("write `key: {key}` (the topic contract decides the key)"),
                    ),
                    (Some(k), _) => (
                        format!(
                            "channel key `{}` differs from the key of `{}`, which is `{key}`",
                            k.value, topic.name
                        ),
                        format!("write `key: {key}` (the topic contract decides the key)"),
                    ),
                };
                let mut d = Diagnostic::new(Code::ChannelKeyMismatch, message).help(help);
                if let Some(k) = &topic.spans.key {
                    d = d.related(k.clone(), "the topic's key is declared here");
                }
                let at = c
                    .key
                    .as_ref()
                    .map_or_else(|| loc(file, &c.topic), |k| loc(file, k));
                self.push(file.attach(d, at));
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
                key: c.key.as_ref().map(|k| k.value.clone()).unwrap_or_default(),
                event_type: c.event_type.value.clone(),
                description: c.description.clone(),
                handler,
                location: Some(at),
            });
        }
        out
    }
}
