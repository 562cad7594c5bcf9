//! The schema compatibility engine: is a new payload schema compatible with
//! older ones under a registry compatibility mode?
//!
//! Pure functions over the one parse the loader made of each schema
//! ([`Parsed`]); nothing here reads files or parses schema text. Each format
//! answers one question, *can a reader with schema R read every record a
//! writer with schema W wrote?*, and names each reason it cannot with a rule
//! id of the pair suite's vocabulary (`tests/evolution/rules.yaml`), as seen
//! from the old schema to the new one:
//!
//! - BACKWARD: the new schema reads records written with the old one;
//! - FORWARD: the old schema reads records written with the new one;
//! - FULL: both; NONE: nothing is checked;
//! - `_TRANSITIVE`: the same against every earlier version
//!   ([`check_history`]).
//!
//! The registry id of a rule (the one `onex.yaml` `lints:` and contracts
//! name) is the suite id with a `breaking-` prefix ([`Finding::registry_id`]).

pub mod avro;
pub mod json;
pub mod proto;

use serde::Serialize;

use crate::model::payload::{Parsed, SchemaFormat};
use crate::model::vocab::Compatibility;

/// Which way round records travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Direction {
    /// The new schema reads records written with the old one.
    Backward,
    /// The old schema reads records written with the new one.
    Forward,
}

impl Direction {
    /// (reader, writer) wording for messages.
    pub fn roles(self) -> (&'static str, &'static str) {
        match self {
            Direction::Backward => ("the new schema", "old records"),
            Direction::Forward => ("consumers on the old schema", "new records"),
        }
    }
}

/// Which schema a finding's anchor is found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The older schema (something removed).
    Old,
    /// The newer schema.
    New,
}

/// One reason two schema versions are incompatible (or a hazard).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Rule id of the suite vocabulary (`json-max-length-decreased`).
    pub rule: &'static str,
    /// The directions it breaks (empty for a hazard).
    pub directions: Vec<Direction>,
    /// A hazard: reported, never breaking.
    pub hazard: bool,
    /// Why, in terms of old and new records.
    pub message: String,
    /// Where: a JSON pointer into the schema (JSON Schema) or a field path
    /// (`Order.amount`, Protobuf and Avro).
    pub path: String,
    /// A name or keyword to find in the schema text (`"maxLength"`, a field
    /// name), for a located diagnostic.
    pub anchor: Option<String>,
    /// Which schema holds the anchor.
    pub side: Side,
}

impl Finding {
    /// The id in the rule registry (`breaking-json-max-length-decreased`).
    pub fn registry_id(&self) -> String {
        format!("breaking-{}", self.rule)
    }

    /// Does this finding make `mode` fail?
    pub fn breaks(&self, mode: Compatibility) -> bool {
        let (b, f) = directions(mode);
        !self.hazard
            && self.directions.iter().any(|d| match d {
                Direction::Backward => b,
                Direction::Forward => f,
            })
    }
}

/// What else to consider.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Protobuf: records are JSON-encoded (buf's WIRE_JSON view): renames,
    /// `json_name` and the JSON mapping of types matter.
    pub wire_json: bool,
}

/// (new reads old, old reads new) for a mode.
pub fn directions(mode: Compatibility) -> (bool, bool) {
    match mode {
        Compatibility::Backward | Compatibility::BackwardTransitive => (true, false),
        Compatibility::Forward | Compatibility::ForwardTransitive => (false, true),
        Compatibility::Full | Compatibility::FullTransitive => (true, true),
        Compatibility::None => (false, false),
    }
}

/// Is the mode one of the `_TRANSITIVE` ones?
pub fn transitive(mode: Compatibility) -> bool {
    matches!(
        mode,
        Compatibility::BackwardTransitive
            | Compatibility::ForwardTransitive
            | Compatibility::FullTransitive
    )
}

/// Compare `new` with the one `old` version under `mode` (a `_TRANSITIVE`
/// mode checks this one pair, as its plain mode).
pub fn check(
    format: SchemaFormat,
    old: &Parsed,
    new: &Parsed,
    mode: Compatibility,
) -> Vec<Finding> {
    check_with(format, old, new, mode, Options::default())
}

/// [`check`] with options.
pub fn check_with(
    format: SchemaFormat,
    old: &Parsed,
    new: &Parsed,
    mode: Compatibility,
    opts: Options,
) -> Vec<Finding> {
    let (b, f) = directions(mode);
    let mut out = Vec::new();
    for (on, dir) in [(b, Direction::Backward), (f, Direction::Forward)] {
        if !on {
            continue;
        }
        match (format, old, new) {
            (SchemaFormat::JsonSchema, Parsed::Json(o), Parsed::Json(n)) => {
                out.extend(json::compare(o, n, dir));
            }
            (SchemaFormat::Protobuf, Parsed::Protobuf(o), Parsed::Protobuf(n)) => {
                out.extend(proto::compare(o, n, dir, opts));
            }
            (SchemaFormat::Avro, Parsed::Avro(o), Parsed::Avro(n)) => {
                out.extend(avro::compare(o, n, dir));
            }
            _ => {}
        }
    }
    merge(out)
}

/// Compare `new` with a history (oldest first): the last version for plain
/// modes, every one for `_TRANSITIVE` modes; findings are merged.
pub fn check_history(
    format: SchemaFormat,
    old_versions: &[&Parsed],
    new: &Parsed,
    mode: Compatibility,
) -> Vec<Finding> {
    check_history_with(format, old_versions, new, mode, Options::default())
}

/// [`check_history`] with options.
pub fn check_history_with(
    format: SchemaFormat,
    old_versions: &[&Parsed],
    new: &Parsed,
    mode: Compatibility,
    opts: Options,
) -> Vec<Finding> {
    let against: &[&Parsed] = if transitive(mode) {
        old_versions
    } else {
        match old_versions.split_last() {
            Some((last, _)) => std::slice::from_ref(last),
            None => &[],
        }
    };
    let mut out = Vec::new();
    for old in against {
        out.extend(check_with(format, old, new, mode, opts));
    }
    merge(out)
}

/// One finding per (rule, path), with the union of their directions.
fn merge(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for f in findings {
        if let Some(have) = out
            .iter_mut()
            .find(|h| h.rule == f.rule && h.path == f.path)
        {
            for d in f.directions {
                if !have.directions.contains(&d) {
                    have.directions.push(d);
                }
            }
            have.directions.sort();
        } else {
            out.push(f);
        }
    }
    out
}

/// Collects findings for one direction.
pub(crate) struct Sink {
    pub(crate) dir: Direction,
    pub(crate) out: Vec<Finding>,
}

impl Sink {
    pub(crate) fn new(dir: Direction) -> Sink {
        Sink {
            dir,
            out: Vec::new(),
        }
    }

    /// A breaking finding in this direction.
    pub(crate) fn brk(
        &mut self,
        rule: &'static str,
        path: &str,
        anchor: Option<&str>,
        side: Side,
        message: String,
    ) {
        self.out.push(Finding {
            rule,
            directions: vec![self.dir],
            hazard: false,
            message,
            path: path.to_owned(),
            anchor: anchor.map(str::to_owned),
            side,
        });
    }

    /// A hazard (never breaking).
    pub(crate) fn hazard(
        &mut self,
        rule: &'static str,
        path: &str,
        anchor: Option<&str>,
        side: Side,
        message: String,
    ) {
        self.out.push(Finding {
            rule,
            directions: Vec::new(),
            hazard: true,
            message,
            path: path.to_owned(),
            anchor: anchor.map(str::to_owned),
            side,
        });
    }

    /// Pick the rule by direction: `backward` names the change when the
    /// new schema is the reader, `forward` when the old one is.
    pub(crate) fn by_dir(&self, backward: &'static str, forward: &'static str) -> &'static str {
        match self.dir {
            Direction::Backward => backward,
            Direction::Forward => forward,
        }
    }

    /// The side the reader's schema is (new for BACKWARD).
    pub(crate) fn reader_side(&self) -> Side {
        match self.dir {
            Direction::Backward => Side::New,
            Direction::Forward => Side::Old,
        }
    }

    /// The side the writer's schema is.
    pub(crate) fn writer_side(&self) -> Side {
        match self.dir {
            Direction::Backward => Side::Old,
            Direction::Forward => Side::New,
        }
    }
}
