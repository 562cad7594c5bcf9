//! The static topology of a catalog: which node publishes and subscribes to
//! which topic, exported as DOT, Mermaid, JSON and SVG (laid out here, in
//! pure Rust: no graphviz install). Its findings (orphaned topics, unpaired
//! `qrs` requests) are lint rules, in `lint`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

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
    /// publisher or subscriber are left out (pictures stay readable).
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

    /// Graphviz DOT.
    pub fn to_dot(&self) -> String {
        let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut out = String::from(
            "digraph onex {\n  rankdir=LR;\n  node [fontname=\"monospace\", fontsize=10];\n",
        );
        for n in &self.nodes {
            let _ = writeln!(
                out,
                "  {} [label={}, shape=box, style=rounded];",
                q(&n.id),
                q(&format!("{}\\n{}", n.name, n.node_type))
            );
        }
        for t in &self.topics {
            let _ = writeln!(out, "  {} [label={}, shape=cds];", q(&t.id), q(&t.name));
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

    /// Mermaid flowchart.
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
        out
    }

    /// JSON (`nodes`, `topics`, `edges`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// SVG: publishers on the left, topics in the middle, subscribers on the
    /// right, rows ordered to keep edges short (barycentre ordering).
    pub fn to_svg(&self) -> String {
        const ROW: f64 = 30.0;
        const BOX: f64 = 22.0;
        const CHAR: f64 = 7.2;
        const TOP: f64 = 50.0;
        const GAP: f64 = 90.0;
        let publishers: BTreeSet<&str> = self
            .edges
            .iter()
            .filter(|e| e.kind == Direction::Publishes)
            .map(|e| e.from.as_str())
            .collect();
        let subscribers: BTreeSet<&str> = self
            .edges
            .iter()
            .filter(|e| e.kind == Direction::Subscribes)
            .map(|e| e.to.as_str())
            .collect();
        let left: Vec<&str> = publishers.into_iter().collect();
        // Topics ordered by the mean row of their publishers, then by name.
        let mut mid: Vec<(f64, &str)> = self
            .topics
            .iter()
            .map(|t| {
                let rows: Vec<f64> = self
                    .edges
                    .iter()
                    .filter(|e| e.to == t.id)
                    .filter_map(|e| left.iter().position(|l| *l == e.from))
                    .map(|p| p as f64)
                    .collect();
                let mean = if rows.is_empty() {
                    f64::MAX
                } else {
                    rows.iter().sum::<f64>() / rows.len() as f64
                };
                (mean, t.id.as_str())
            })
            .collect();
        mid.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        let mid: Vec<&str> = mid.into_iter().map(|(_, id)| id).collect();
        let mut right: Vec<(f64, &str)> = subscribers
            .into_iter()
            .map(|n| {
                let rows: Vec<f64> = self
                    .edges
                    .iter()
                    .filter(|e| e.to == n)
                    .filter_map(|e| mid.iter().position(|m| *m == e.from))
                    .map(|p| p as f64)
                    .collect();
                (rows.iter().sum::<f64>() / rows.len().max(1) as f64, n)
            })
            .collect();
        right.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        let right: Vec<&str> = right.into_iter().map(|(_, id)| id).collect();

        let width_of = |ids: &[&str]| {
            ids.iter()
                .map(|i| self.label(i).chars().count())
                .max()
                .unwrap_or(8) as f64
                * CHAR
                + 16.0
        };
        let (wl, wm, wr) = (width_of(&left), width_of(&mid), width_of(&right));
        let (xl, xm) = (10.0, 10.0 + wl + GAP);
        let xr = xm + wm + GAP;
        let rows = left.len().max(mid.len()).max(right.len()) as f64;
        let height = TOP + rows * ROW + 20.0;
        let width = xr + wr + 10.0;
        let y = |i: usize| TOP + i as f64 * ROW;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"monospace\" font-size=\"12\">"
        );
        out.push_str("  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (x, title) in [(xl, "publishers"), (xm, "topics"), (xr, "subscribers")] {
            let _ = writeln!(
                out,
                "  <text x=\"{x:.1}\" y=\"24\" font-weight=\"bold\">{title}</text>"
            );
        }
        let pos = |ids: &[&str], id: &str| ids.iter().position(|i| *i == id);
        for e in &self.edges {
            let (x1, y1, x2, y2) = match e.kind {
                Direction::Publishes => match (pos(&left, &e.from), pos(&mid, &e.to)) {
                    (Some(a), Some(b)) => (xl + wl, y(a), xm, y(b)),
                    _ => continue,
                },
                Direction::Subscribes => match (pos(&mid, &e.from), pos(&right, &e.to)) {
                    (Some(a), Some(b)) => (xm + wm, y(a), xr, y(b)),
                    _ => continue,
                },
            };
            let (y1, y2) = (y1 + BOX / 2.0, y2 + BOX / 2.0);
            let cx = (x1 + x2) / 2.0;
            let dash = if e.kind == Direction::Subscribes {
                " stroke-dasharray=\"4 3\""
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  <path d=\"M{x1:.1},{y1:.1} C{cx:.1},{y1:.1} {cx:.1},{y2:.1} {x2:.1},{y2:.1}\" fill=\"none\" stroke=\"#607d8b\"{dash}/>"
            );
        }
        let boxes = |out: &mut String, ids: &[&str], x: f64, w: f64, fill: &str| {
            for (i, id) in ids.iter().enumerate() {
                let label = xml(&self.label(id));
                let _ = writeln!(
                    out,
                    "  <g><title>{label}</title><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{BOX}\" rx=\"5\" fill=\"{fill}\" stroke=\"#37474f\"/><text x=\"{:.1}\" y=\"{:.1}\">{label}</text></g>",
                    y(i),
                    x + 8.0,
                    y(i) + 15.0
                );
            }
        };
        boxes(&mut out, &left, xl, wl, "#e3f2fd");
        boxes(&mut out, &mid, xm, wm, "#fff8e1");
        boxes(&mut out, &right, xr, wr, "#e8f5e9");
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
