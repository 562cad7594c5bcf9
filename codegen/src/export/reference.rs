//! The field reference of the contract files: one Markdown table per file
//! kind (`onex.yaml`, `topic.yaml`, node `contract.yaml`) with every field,
//! its type, whether it is required, its default and its meaning.
//!
//! Rendered from the same JSON Schemas the editors get
//! ([`crate::load::contract::json_schemas`]), which come from the serde types
//! the loader reads: a field added to the format appears here without anyone
//! remembering to document it, and the reference cannot drift from the loader.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The whole reference page (Markdown), deterministic.
#[must_use]
pub fn markdown() -> String {
    let mut out = String::from(
        "# Contract field reference\n\n\
         Generated from the JSON Schemas in this folder (which come from the types \
         onex's loader reads), by `onex schemas`; do not edit by hand. \
         `docs/contract-format.md` explains the format with examples; this page lists \
         every field.\n\n\
         Columns: *Required* — the file is refused without it; *Default* — what an \
         absent optional field means (`—`: nothing, the field is simply not set). \
         `<name>` in a path stands for any key of a map, `[]` for each item of a list.\n",
    );
    for (name, text) in crate::load::contract::json_schemas() {
        let Ok(schema) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let file = match name {
            "onex.schema.json" => "`onex.yaml` (catalog settings)",
            "topic.schema.json" => "`topic.yaml` (one topic version)",
            _ => "node `contract.yaml`",
        };
        let _ = write!(out, "\n## {file}\n\nSchema: [`{name}`]({name}).");
        if let Some(d) = schema.get("description").and_then(Value::as_str) {
            let _ = write!(out, " {}", one_line(d));
        }
        out.push_str(
            "\n\n| Field | Type | Required | Default | Meaning |\n|---|---|---|---|---|\n",
        );
        let defs = schema.get("$defs").and_then(Value::as_object);
        let mut walker = Walker {
            defs,
            rows: Vec::new(),
            expanded: BTreeMap::new(),
        };
        walker.fields(&schema, "", 0);
        for r in walker.rows {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                r.path,
                r.ty,
                if r.required { "yes" } else { "no" },
                r.default,
                cell(&r.meaning)
            );
        }
    }
    out
}

struct Row {
    path: String,
    ty: String,
    required: bool,
    default: String,
    meaning: String,
}

/// Nesting deeper than this is not expanded (the formats are shallow; the
/// bound only guards against a recursive definition).
const MAX_DEPTH: usize = 6;

/// Walks one file's schema into rows.
struct Walker<'a> {
    defs: Option<&'a Map<String, Value>>,
    rows: Vec<Row>,
    /// Definitions already expanded, by name, with the path they were
    /// expanded under: a second use (e.g. `defaults.contexts.<name>` after
    /// `defaults.catalog`) points there instead of repeating the rows.
    expanded: BTreeMap<String, String>,
}

impl<'a> Walker<'a> {
    /// Rows for every property of the object schema `s`, under `prefix`.
    fn fields(&mut self, s: &'a Value, prefix: &str, depth: usize) {
        let defs = self.defs;
        let s = deref(s, defs);
        let Some(props) = s.get("properties").and_then(Value::as_object) else {
            return;
        };
        let required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (name, prop) in props {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            let meaning = prop
                .get("description")
                .or_else(|| deref(prop, defs).get("description"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let default = match prop.get("default") {
                Some(v) if !v.is_null() && v != &Value::Array(vec![]) => format!("`{v}`"),
                _ => default_from_text(&meaning).unwrap_or_else(|| "—".to_owned()),
            };
            let mut ty = type_name(prop, defs, 0);
            if depth < MAX_DEPTH {
                if let Some(first) = self.nested(prop, &path, depth + 1) {
                    ty = format!("{ty}, fields as under `{first}`");
                }
            }
            let at = self.insert_at(&path);
            self.rows.insert(
                at,
                Row {
                    path,
                    ty,
                    required: required.contains(&name.as_str()),
                    default,
                    meaning,
                },
            );
        }
    }

    /// Where a row for `path` goes: before the rows of its own fields, which
    /// [`Self::nested`] pushed first.
    fn insert_at(&self, path: &str) -> usize {
        let inner = |r: &Row| {
            r.path
                .strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        };
        self.rows.iter().position(inner).unwrap_or(self.rows.len())
    }

    /// Rows for what is inside a property: an object's fields, a map's values
    /// (`path.<name>`), a list's items (`path[]`). Returns the path a
    /// definition was already expanded under, when it was.
    fn nested(&mut self, prop: &'a Value, path: &str, depth: usize) -> Option<String> {
        let defs = self.defs;
        let p = non_null(prop, defs);
        let (inner, inner_path) = if p.get("properties").is_some() {
            (prop, path.to_owned())
        } else if let Some(values) = p.get("additionalProperties").filter(|v| v.is_object()) {
            (values, format!("{path}.<name>"))
        } else if let Some(items) = p.get("items") {
            (items, format!("{path}[]"))
        } else {
            return None;
        };
        // Maps and lists of plain values have no rows of their own.
        non_null(inner, defs).get("properties")?;
        if let Some(name) = def_name(inner) {
            if let Some(first) = self.expanded.get(&name) {
                return Some(first.clone());
            }
            self.expanded.insert(name, inner_path.clone());
        }
        self.fields(non_null(inner, defs), &inner_path, depth);
        None
    }
}

/// The definition a schema (or the `Option` around it) refers to.
fn def_name(s: &Value) -> Option<String> {
    let direct = s.get("$ref").and_then(Value::as_str);
    let in_option = || {
        s.get("anyOf")
            .and_then(Value::as_array)?
            .iter()
            .find_map(|a| a.get("$ref").and_then(Value::as_str))
    };
    direct
        .or_else(in_option)
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .map(str::to_owned)
}

/// `s` with a `$ref` to `#/$defs/X` followed (one level; schemars emits no
/// chains).
fn deref<'a>(s: &'a Value, defs: Option<&'a Map<String, Value>>) -> &'a Value {
    s.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .and_then(|name| defs.and_then(|d| d.get(name)))
        .unwrap_or(s)
}

/// The schema an `Option<T>` wraps (`anyOf: [T, null]`), dereferenced.
fn non_null<'a>(s: &'a Value, defs: Option<&'a Map<String, Value>>) -> &'a Value {
    let s = deref(s, defs);
    if let Some(alts) = s.get("anyOf").and_then(Value::as_array) {
        if let Some(t) = alts
            .iter()
            .find(|a| a.get("type").and_then(Value::as_str) != Some("null"))
        {
            return deref(t, defs);
        }
    }
    s
}

/// A short type for the table: `string`, `integer`, `list of string`,
/// `map of string → X`, `one of: a, b`, or a definition's name.
fn type_name(s: &Value, defs: Option<&Map<String, Value>>, depth: usize) -> String {
    if depth > MAX_DEPTH {
        return "…".to_owned();
    }
    if let Some(alts) = s.get("anyOf").and_then(Value::as_array) {
        let parts: Vec<String> = alts
            .iter()
            .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
            .map(|a| type_name(a, defs, depth + 1))
            .collect();
        return parts.join(" or ");
    }
    let target = deref(s, defs);
    if let Some(alts) = target.get("oneOf").and_then(Value::as_array) {
        let consts: Vec<String> = alts
            .iter()
            .filter_map(|a| {
                a.get("const")
                    .or_else(|| a.get("enum").and_then(|e| e.get(0)))
            })
            .map(|c| match c.as_str() {
                Some(t) => format!("`{t}`"),
                None => format!("`{c}`"),
            })
            .collect();
        if consts.len() == alts.len() {
            return format!("one of {}", consts.join(", "));
        }
        let parts: Vec<String> = alts.iter().map(|a| type_name(a, defs, depth + 1)).collect();
        return parts.join(" or ");
    }
    if let Some(e) = target.get("enum").and_then(Value::as_array) {
        let vals: Vec<String> = e
            .iter()
            .map(|c| format!("`{}`", c.as_str().unwrap_or_default()))
            .collect();
        return format!("one of {}", vals.join(", "));
    }
    let types: Vec<&str> = match target.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => vec![],
    };
    let named = s
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"));
    match types.as_slice() {
        ["array"] => match target.get("items") {
            Some(items) => format!("list of {}", type_name(items, defs, depth + 1)),
            None => "list".to_owned(),
        },
        ["object"] => match (named, target.get("additionalProperties")) {
            (Some(n), _) if target.get("properties").is_some() => format!("object ({n})"),
            (_, Some(v)) if v.is_object() => {
                format!("map of string → {}", type_name(v, defs, depth + 1))
            }
            _ => "object".to_owned(),
        },
        [] => named.map_or_else(|| "any".to_owned(), str::to_owned),
        ts => ts.join(" or "),
    }
}

/// A default stated in a doc comment: "(default: X)", "Default: X." or
/// "`x` (default)".
fn default_from_text(text: &str) -> Option<String> {
    let flat = one_line(text);
    let lower = flat.to_ascii_lowercase();
    if let Some(i) = lower.find("default:") {
        let rest = flat.get(i + "default:".len()..)?.trim_start();
        // Up to the `)` closing the parenthesis the default stands in (not one
        // the default itself opens), a `;`, or the end of the sentence.
        let mut depth = 0usize;
        let mut end = rest.len();
        for (j, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = j;
                    break;
                }
                ')' => depth -= 1,
                ';' => {
                    end = j;
                    break;
                }
                '.' if rest.get(j + 1..).is_none_or(|r| r.starts_with(' ')) && depth == 0 => {
                    end = j;
                    break;
                }
                _ => {}
            }
        }
        let value = rest.get(..end)?.trim();
        return (!value.is_empty()).then(|| value.to_owned());
    }
    let i = lower.find(" (default)")?;
    let before = flat.get(..i)?;
    let start = before
        .rfind('`')
        .and_then(|close| before.get(..close)?.rfind('`'))?;
    before.get(start..).map(str::to_owned)
}

/// A doc comment on one line (rustdoc wraps them).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_read_from_the_doc_text() {
        assert_eq!(
            default_from_text("Partition count (default: the settings' partition default)."),
            Some("the settings' partition default".to_owned())
        );
        assert_eq!(
            default_from_text("`delete` (default), `compact`, or `compact,delete`."),
            Some("`delete`".to_owned())
        );
        assert_eq!(
            default_from_text(
                "Kept (`7d`). Default: onex.yaml `defaults:` (class, then catalog); one must say."
            ),
            Some("onex.yaml `defaults:` (class, then catalog)".to_owned())
        );
        assert_eq!(default_from_text("Who owns the topic."), None);
    }

    #[test]
    fn every_field_of_every_file_is_listed() {
        let page = markdown();
        // One required field and a few optional ones of each file, nested
        // and behind a map or a list.
        for row in [
            "| `key` | object (KeySpec) | no |",
            "| `key.field` |",
            "| `partitions` | integer | no | the settings' partition default |",
            "| `cleanup_policy` | one of `delete`, `compact`, `compact,delete` | no | `delete` |",
            "| `event_channels.publishes[].topic` | string | yes |",
            "| `envelope.fields.<name>.required` |",
            "| `naming.conventions.<name>.pattern` |",
        ] {
            assert!(page.contains(row), "missing {row:?} in:\n{page}");
        }
    }
}
