//! The static topology of a catalog: which node publishes and subscribes to
//! which topic, exported as DOT, Mermaid, JSON and SVG (laid out here, in
//! pure Rust by [`layered`]: no graphviz install). Its findings (orphaned topics, unpaired
//! `qrs` requests) are lint rules, in `lint`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::export::layout::{Spacing, layered};
use crate::model::{Catalog, Direction, TopicId};

/// A node of the picture.
#[derive(Clone, Debug, Serialize)]
pub struct GraphNode {
    /// Stable id (`node:registry-effect`).
    pub id: String,
    /// Node name.
    pub name: String,
    /// Node type.
    pub node_type: String,
}

/// A topic of the picture.
#[derive(Clone, Debug, Serialize)]
pub struct GraphTopic {
    /// Stable id (`topic:OnexNodeHeartbeatPublishedV1`).
    pub id: String,
    /// Wire name (template).
    pub name: String,
    /// Stream class.
    pub class: String,
    /// Partition key field.
    pub key: String,
    /// Partitions.
    pub partitions: u32,
    /// Bounded context.
    pub context: String,
    /// No node publishes or subscribes to it.
    pub orphan: bool,
}

/// A publish (node → topic) or subscribe (topic → node) edge.
#[derive(Clone, Debug, Serialize)]
pub struct GraphEdge {
    /// Source id.
    pub from: String,
    /// Target id.
    pub to: String,
    /// `publishes` or `subscribes`.
    pub kind: Direction,
}

/// The topology, ready to export.
#[derive(Clone, Debug, Serialize)]
pub struct Graph {
    /// Nodes, by name.
    pub nodes: Vec<GraphNode>,
    /// Topics, by name; `connected_only` graphs leave out topics no node uses.
    pub topics: Vec<GraphTopic>,
    /// Edges, sorted.
    pub edges: Vec<GraphEdge>,
}

fn topic_id(catalog: &Catalog, id: &TopicId) -> String {
    catalog.topic(id).map_or_else(
        || format!("topic:{id}"),
        |t| format!("topic:{}", t.rust_name),
    )
}

impl Graph {
    /// The graph of a catalog; with `connected_only`, topics without any
    /// publisher or subscriber are left out (by default every export shows
    /// them, styled as orphans).
    pub fn new(catalog: &Catalog, connected_only: bool) -> Graph {
        let used: BTreeSet<&TopicId> = catalog.edges.iter().map(|e| &e.topic).collect();
        let nodes = catalog
            .nodes
            .iter()
            .map(|n| GraphNode {
                id: format!("node:{}", n.name),
                name: n.name.clone(),
                node_type: n.node_type.clone(),
            })
            .collect();
        let mut topics: Vec<GraphTopic> = catalog
            .topics
            .iter()
            .filter(|t| !connected_only || used.contains(&t.id))
            .map(|t| GraphTopic {
                id: format!("topic:{}", t.rust_name),
                name: t.name.to_string(),
                class: t.id.class.clone(),
                key: t.key.field(),
                partitions: t.partitions,
                context: t.id.context.clone(),
                orphan: !used.contains(&t.id),
            })
            .collect();
        topics.sort_by(|a, b| a.name.cmp(&b.name));
        let edges = catalog
            .edges
            .iter()
            .map(|e| {
                let node = format!("node:{}", e.node);
                let topic = topic_id(catalog, &e.topic);
                match e.direction {
                    Direction::Publishes => GraphEdge {
                        from: node,
                        to: topic,
                        kind: e.direction,
                    },
                    Direction::Subscribes => GraphEdge {
                        from: topic,
                        to: node,
                        kind: e.direction,
                    },
                }
            })
            .collect();
        Graph {
            nodes,
            topics,
            edges,
        }
    }

    fn label(&self, id: &str) -> String {
        if let Some(n) = self.nodes.iter().find(|n| n.id == id) {
            return n.name.clone();
        }
        self.topics
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_owned(), |t| t.name.clone())
    }

    /// Graphviz DOT. Labels are quoted strings whose line break is the
    /// DOT escape `\n` (one backslash), so graphviz shows two lines; orphan
    /// topics are dashed and grey.
    pub fn to_dot(&self) -> String {
        let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let q = |s: &str| format!("\"{}\"", esc(s));
        let mut out = String::from(
            "digraph onex {\n  rankdir=LR;\n  node [fontname=\"monospace\", fontsize=10];\n",
        );
        for n in &self.nodes {
            let _ = writeln!(
                out,
                "  {} [label=\"{}\\n{}\", shape=box, style=rounded];",
                q(&n.id),
                esc(&n.name),
                esc(&n.node_type)
            );
        }
        for t in &self.topics {
            let style = if t.orphan {
                ", style=dashed, color=gray50, fontcolor=gray40"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {} [label={}, shape=cds{style}];",
                q(&t.id),
                q(&t.name)
            );
        }
        for e in &self.edges {
            let style = match e.kind {
                Direction::Publishes => "",
                Direction::Subscribes => ", style=dashed",
            };
            let _ = writeln!(
                out,
                "  {} -> {} [label={}{style}];",
                q(&e.from),
                q(&e.to),
                q(kind_str(e.kind))
            );
        }
        out.push_str("}\n");
        out
    }

    /// Mermaid flowchart; orphan topics carry the `orphan` class.
    pub fn to_mermaid(&self) -> String {
        let id = |s: &str| s.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        let label = |s: &str| s.replace('"', "#quot;");
        let mut out = String::from("flowchart LR\n");
        for n in &self.nodes {
            let _ = writeln!(
                out,
                "  {}[\"{}<br/><i>{}</i>\"]",
                id(&n.id),
                label(&n.name),
                label(&n.node_type)
            );
        }
        for t in &self.topics {
            let _ = writeln!(out, "  {}([\"{}\"])", id(&t.id), label(&t.name));
        }
        for e in &self.edges {
            let arrow = match e.kind {
                Direction::Publishes => "-->",
                Direction::Subscribes => "-.->",
            };
            let _ = writeln!(out, "  {} {arrow} {}", id(&e.from), id(&e.to));
        }
        let orphans: Vec<String> = self
            .topics
            .iter()
            .filter(|t| t.orphan)
            .map(|t| id(&t.id))
            .collect();
        if !orphans.is_empty() {
            out.push_str(
                "  classDef orphan stroke-dasharray: 4 3, color:#78909c, stroke:#b0bec5;\n",
            );
            let _ = writeln!(out, "  class {} orphan", orphans.join(","));
        }
        out
    }

    /// JSON (`nodes`, `topics`, `edges`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// SVG: a layered left-to-right layout ([`layered`]) in which every
    /// edge can be followed: publishers before their topics, subscribers
    /// after, long edges routed between the boxes, crossings minimised.
    /// Every topic is shown; orphans are dashed and grey. Every box and edge
    /// carries `data-tags` (`ctx:<context>`, `node:<name>`) for the HTML
    /// catalog's filter.
    pub fn to_svg(&self) -> String {
        const BOX: f64 = 22.0;
        const CHAR: f64 = 7.2;
        let mut ids: Vec<&str> = Vec::new();
        let mut widths = Vec::new();
        let mut min_rank = Vec::new();
        for n in &self.nodes {
            ids.push(&n.id);
            widths.push(n.name.chars().count() as f64 * CHAR + 16.0);
            min_rank.push(0);
        }
        for t in &self.topics {
            ids.push(&t.id);
            widths.push(t.name.chars().count() as f64 * CHAR + 24.0);
            min_rank.push(1);
        }
        let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let edges: Vec<(usize, usize)> = self
            .edges
            .iter()
            .filter_map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?)))
            .collect();
        let l = layered(
            &widths,
            &min_rank,
            &edges,
            Spacing {
                box_h: BOX,
                gap_y: 8.0,
                gap_x: 70.0,
                margin: 12.0,
            },
        );
        // Filter tags: a topic belongs to its context and to every node
        // using it; a node to itself and to the contexts of its topics.
        let mut tags: Vec<BTreeSet<String>> = vec![BTreeSet::new(); ids.len()];
        let nn = self.nodes.len();
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(t) = tags.get_mut(i) {
                t.insert(format!("node:{}", n.name));
            }
        }
        for (i, t) in self.topics.iter().enumerate() {
            if let Some(tg) = tags.get_mut(nn + i) {
                tg.insert(format!("ctx:{}", t.context));
            }
        }
        for &(a, b) in &edges {
            let (node, topic) = if a < nn { (a, b) } else { (b, a) };
            let (Some(n), Some(t)) = (
                self.nodes.get(node),
                self.topics.get(topic.wrapping_sub(nn)),
            ) else {
                continue;
            };
            let (nname, ctx) = (format!("node:{}", n.name), format!("ctx:{}", t.context));
            if let Some(tg) = tags.get_mut(topic) {
                tg.insert(nname);
            }
            if let Some(tg) = tags.get_mut(node) {
                tg.insert(ctx);
            }
        }
        let tag = |i: usize| {
            tags.get(i)
                .map(|t| t.iter().cloned().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let (width, height) = (l.width.ceil(), l.height.ceil());
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" class=\"onex-topology\" font-family=\"monospace\" font-size=\"12\">"
        );
        // Styles by class, once, instead of attributes on every element (a
        // third of a big picture's bytes). Scoped under `.onex-topology`
        // because the HTML catalog inlines the SVG into its page.
        out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><polygon points=\"0,0 10,5 0,10\" fill=\"#607d8b\"/></marker><style>");
        out.push_str(".onex-topology path{fill:none;stroke:#546e7a;marker-end:url(#arrow)}.onex-topology path.sub{stroke:#8d6e63;stroke-dasharray:5 3}");
        out.push_str(".onex-topology .node rect{fill:#e3f2fd;stroke:#37474f}.onex-topology .topic rect{fill:#fff8e1;stroke:#8d6e63}");
        out.push_str(".onex-topology .orphan rect{fill:#fafafa;stroke:#b0bec5;stroke-dasharray:4 3}.onex-topology .orphan text{fill:#78909c}");
        out.push_str("</style></defs>\n");
        out.push_str("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (k, (&(a, b), e)) in edges.iter().zip(self.edges.iter()).enumerate() {
            let Some(route) = l.routes.get(k).filter(|r| r.len() >= 2) else {
                continue;
            };
            // Relative, whole-pixel path commands keep big pictures small.
            let mut d = String::new();
            let mut at = (0i64, 0i64);
            for (j, p) in route.iter().enumerate() {
                let p = (p.0.round() as i64, p.1.round() as i64);
                if j == 0 {
                    let _ = write!(d, "M{},{}", p.0, p.1);
                } else {
                    let (dx, dy) = (p.0 - at.0, p.1 - at.1);
                    // A kink of a few pixels is drawn straight; the pen
                    // keeps its height, so later segments make up for it.
                    if dy.abs() <= 3 {
                        let _ = write!(d, "h{dx}");
                        at = (p.0, at.1);
                        continue;
                    } else {
                        let half = dx / 2;
                        let _ = write!(d, "c{half},0 {half},{dy} {dx},{dy}");
                    }
                }
                at = p;
            }
            let class = if e.kind == Direction::Subscribes {
                " class=\"sub\""
            } else {
                ""
            };
            let mut t: BTreeSet<String> = BTreeSet::new();
            for i in [a, b] {
                t.extend(
                    tags.get(i)
                        .into_iter()
                        .flatten()
                        .filter(|s| s.starts_with("ctx:") == (i >= nn))
                        .cloned(),
                );
            }
            let t: Vec<String> = t.into_iter().collect();
            let _ = writeln!(
                out,
                "<path{class} data-tags=\"{}\" d=\"{d}\"><title>{} {} {}</title></path>",
                xml(&t.join(" ")),
                xml(&self.label(&e.from)),
                kind_str(e.kind),
                xml(&self.label(&e.to))
            );
        }
        for (i, id) in ids.iter().enumerate() {
            let (Some(&(x, y)), Some(&w)) = (l.pos.get(i), widths.get(i)) else {
                continue;
            };
            let label = xml(&self.label(id));
            let top = y - BOX / 2.0;
            let (rx, class) = if i < nn {
                (4, "node")
            } else if self.topics.get(i - nn).is_some_and(|t| t.orphan) {
                (11, "topic orphan")
            } else {
                (11, "topic")
            };
            // Whole pixels: sub-pixel positions are invisible and cost bytes.
            let _ = writeln!(
                out,
                "<g class=\"{class}\" data-tags=\"{}\"><rect x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{BOX}\" rx=\"{rx}\"/><text x=\"{:.0}\" y=\"{:.0}\">{label}</text></g>",
                xml(&tag(i)),
                x,
                top,
                w,
                x + if i < nn { 8.0 } else { 12.0 },
                y + 4.0
            );
        }
        out.push_str("</svg>\n");
        out
    }
}

fn kind_str(k: Direction) -> &'static str {
    match k {
        Direction::Publishes => "publishes",
        Direction::Subscribes => "subscribes",
    }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
