//! Topology rules: every topic has a producer and a consumer; request topics
//! have a reply topic.

use std::collections::BTreeMap;

use super::Linter;
use crate::model::{Direction, TopicId};

pub(super) fn topology(l: &mut Linter<'_>) {
    let c = l.catalog;
    let mut producers: BTreeMap<&TopicId, Vec<&str>> = BTreeMap::new();
    let mut consumers: BTreeMap<&TopicId, Vec<&str>> = BTreeMap::new();
    for e in &c.edges {
        let map = match e.direction {
            Direction::Publishes => &mut producers,
            Direction::Subscribes => &mut consumers,
        };
        map.entry(&e.topic).or_default().push(&e.node);
    }
    for t in &c.topics {
        match (producers.get(&t.id), consumers.get(&t.id)) {
            (Some(p), None) => l.emit(
                "unconsumed-topic",
                Some(t),
                t.spans.file.clone(),
                format!(
                    "`{}` is published by {} but no node subscribes to it",
                    t.name,
                    p.join(", ")
                ),
                "add a subscriber's node contract, or retire the topic".to_owned(),
            ),
            (None, Some(s)) => l.emit(
                "unproduced-topic",
                Some(t),
                t.spans.file.clone(),
                format!(
                    "`{}` is subscribed to by {} but no node publishes it",
                    t.name,
                    s.join(", ")
                ),
                "add the producer's node contract (`event_channels.publishes`)".to_owned(),
            ),
            (None, None) => l.emit(
                "topic-unused",
                Some(t),
                t.spans.file.clone(),
                format!(
                    "no node contract publishes or subscribes to `{}`",
                    t.name
                ),
                "add the producing and consuming nodes' contracts (`event_channels`), or retire the topic".to_owned(),
            ),
            _ => {}
        }
        if t.id.class != "qrs" || t.reply.is_some() {
            continue;
        }
        let Some(stem) = ["-requests", "-request"]
            .iter()
            .find_map(|s| t.id.topic.strip_suffix(s))
        else {
            continue;
        };
        let paired = c.topics.iter().any(|o| {
            o.id.context == t.id.context
                && o.id.class == "qrs"
                && o.id.major == t.id.major
                && ["-replies", "-reply", "-responses", "-response"]
                    .iter()
                    .any(|s| o.id.topic.strip_suffix(s) == Some(stem))
        });
        if !paired {
            l.emit("qrs-unpaired", Some(t), t.spans.file.clone(), format!("request topic `{}` has no reply topic", t.name),
                format!("add `{}/qrs/{stem}-replies/v{}` and link it with `reply: {{ topic: ... }}` (seed 000: request and reply topics are paired)", t.id.context, t.id.major));
        }
    }
}
