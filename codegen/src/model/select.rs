//! Generating part of a catalog: the topics a service uses out of an
//! organisation's thousands, so that its crate compiles only those.
//! Selected topics bring the topics they link to (retry, dead-letter and
//! reply topics), since their generated code names them.

use std::collections::BTreeSet;

use globset::{Glob, GlobSetBuilder};

use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::catalog::{Catalog, TopicId};

/// Which topics and nodes to generate. Empty: the whole catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Selection {
    /// Globs over topic wire names (`{env}.acme.billing.*`) or contract
    /// paths (`billing/evt/*/v1`); `*` matches any run of characters,
    /// braces are literal.
    pub topics: Vec<String>,
    /// Node names: each node, and every topic it publishes or subscribes.
    pub nodes: Vec<String>,
}

impl Selection {
    /// Everything (no selection).
    pub fn is_all(&self) -> bool {
        self.topics.is_empty() && self.nodes.is_empty()
    }
}

impl Catalog {
    /// The part of the catalog `selection` names: the matching topics, the
    /// selected nodes with their channels' topics, and, transitively, the
    /// retry, dead-letter and reply topics they link to. Only the selected
    /// nodes are kept. A glob or node name that matches nothing is E0801.
    ///
    /// # Errors
    ///
    /// Every glob that is malformed or matches no topic, and every unknown
    /// node name.
    pub fn select(self, selection: &Selection) -> Result<Catalog, Diagnostics> {
        if selection.is_all() {
            return Ok(self);
        }
        let mut diags = Diagnostics::default();
        let mut wanted: BTreeSet<TopicId> = BTreeSet::new();
        for pattern in &selection.topics {
            // Braces are literal: wire names hold `{env}` and `{tenant}`.
            let escaped = pattern.replace('{', "\\{").replace('}', "\\}");
            let set = match Glob::new(&escaped).and_then(|g| {
                let mut b = GlobSetBuilder::new();
                b.add(g);
                b.build()
            }) {
                Ok(set) => set,
                Err(e) => {
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownSelection,
                            format!("the topic glob `{pattern}` is malformed: {e}"),
                        )
                        .help("`*` matches any run of characters, `?` one, `[ab]` a set"),
                    );
                    continue;
                }
            };
            let hits: Vec<TopicId> = self
                .topics
                .iter()
                .filter(|t| set.is_match(t.name.to_string()) || set.is_match(t.id.to_string()))
                .map(|t| t.id.clone())
                .collect();
            if hits.is_empty() {
                let names: Vec<String> = self.topics.iter().map(|t| t.name.to_string()).collect();
                let hint = did_you_mean(pattern, names.iter().map(String::as_str)).map_or_else(
                    || "globs match a topic's wire name (`{env}.acme.billing.evt.invoice.v1`) or its contract path (`billing/evt/invoice/v1`)".to_owned(),
                    |s| format!("did you mean `{s}`?"),
                );
                diags.push(
                    Diagnostic::new(
                        Code::UnknownSelection,
                        format!("the topic glob `{pattern}` matches no topic of the catalog"),
                    )
                    .help(hint),
                );
            }
            wanted.extend(hits);
        }
        for name in &selection.nodes {
            match self.nodes.iter().find(|n| &n.name == name) {
                Some(n) => wanted.extend(
                    n.publishes
                        .iter()
                        .chain(&n.subscribes)
                        .map(|c| c.topic.clone()),
                ),
                None => diags.push(
                    Diagnostic::new(
                        Code::UnknownSelection,
                        format!("`{name}` is not a node of the catalog"),
                    )
                    .maybe_help(
                        did_you_mean(name, self.nodes.iter().map(|n| n.name.as_str()))
                            .map(|s| format!("did you mean `{s}`?")),
                    ),
                ),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        // Linked topics, until nothing new is added.
        let mut frontier: Vec<TopicId> = wanted.iter().cloned().collect();
        while let Some(id) = frontier.pop() {
            let Some(t) = self.topic(&id) else { continue };
            let links = [
                t.retry.as_ref().and_then(|r| r.topic.clone()),
                t.dlt.as_ref().and_then(|d| d.topic.clone()),
                t.reply.as_ref().map(|r| r.topic.clone()),
            ];
            for link in links.into_iter().flatten() {
                if wanted.insert(link.clone()) {
                    frontier.push(link);
                }
            }
        }
        let mut out = self;
        out.topics.retain(|t| wanted.contains(&t.id));
        out.nodes.retain(|n| selection.nodes.contains(&n.name));
        out.edges
            .retain(|e| wanted.contains(&e.topic) && selection.nodes.contains(&e.node));
        Ok(out)
    }
}
