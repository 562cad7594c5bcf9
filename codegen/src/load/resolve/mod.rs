//! From raw contract files to the validated [`Catalog`]. Every check that
//! needs more than one file lives here; every problem becomes a diagnostic,
//! and checking goes on after one so that a run reports all of them.

use std::collections::BTreeMap;
use std::path::Path;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::diagnostic::source::SourceFile;
use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::contract::{self, EnvelopeSettings, NodeFile, SettingsFile, TopicFile};
use crate::load::reader::{self, Reader, TopicDir};
use crate::load::schema;
use crate::load::source::{DiskSource, FileSource, MemorySource};
use crate::load::yaml::{self, Located};
use crate::model::naming::{NamePart, NameTemplate, Pattern, PatternPart};
use crate::model::payload::{Field, FieldType, Record, SchemaFormat};
use crate::model::vocab::{CleanupPolicy, ENVELOPE_FIELDS, RetryMode};
use crate::model::{
    Catalog, Channel, ClassPolicy, Defaults, Deprecation, Direction, Dlt, Edge, EnvelopeDef,
    EnvelopeFieldDef, FailureNames, Key, Node, Owner, PiiInfo, Reply, Retry, Sample, Schema,
    Settings, Sla, Topic, TopicId, TopicSpans,
};

/// The result of loading a catalog: the model when there is no error, and
/// every diagnostic (warnings come with a model too).
#[derive(Debug)]
pub struct Loaded {
    /// The validated catalog, or `None` when any error was found.
    pub catalog: Option<Catalog>,
    /// Every problem found.
    pub diagnostics: Diagnostics,
}

/// Load and validate the catalog under `root` (the directory holding `onex.yaml`).
pub fn load(root: &Path) -> Loaded {
    load_from(&DiskSource::new(root))
}

/// Load and validate a catalog given as files in memory: `/`-separated
/// paths relative to the catalog root, and their contents.
pub fn load_in_memory<P: AsRef<str>, B: AsRef<[u8]>>(
    files: impl IntoIterator<Item = (P, B)>,
) -> Loaded {
    let mut src = MemorySource::new();
    for (p, b) in files {
        src.file(p.as_ref(), b.as_ref());
    }
    load_from(&src)
}

/// Load and validate the catalog that `source` holds (a directory on disk,
/// files in memory, a git tree, editor buffers ...).
pub fn load_from(source: &dyn FileSource) -> Loaded {
    let mut reader = match Reader::new(source) {
        Ok(r) => r,
        Err(d) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(d);
            return Loaded {
                catalog: None,
                diagnostics,
            };
        }
    };
    let found = crate::load::globs::discover(&mut reader);
    let catalog = Resolver {
        r: &mut reader,
        broken_names: Vec::new(),
        broken_dirs: Vec::new(),
    }
    .run(found);
    let mut diagnostics = std::mem::take(&mut reader.diags);
    diagnostics.keep_used_sources();
    let catalog = if diagnostics.has_errors() {
        None
    } else {
        catalog
    };
    Loaded {
        catalog,
        diagnostics,
    }
}

/// Load the catalog under `root`, then the node contract at `contract`
/// (which may live outside the catalog, next to the code that implements it),
/// resolved against the catalog's topics.
pub fn load_node(root: &Path, contract: &Path) -> Result<(Catalog, Node), Diagnostics> {
    let loaded = load(root);
    let Some(catalog) = loaded.catalog else {
        return Err(loaded.diagnostics);
    };
    let node = load_node_against(root, &catalog, contract)?;
    Ok((catalog, node))
}

/// Resolve the node contract at `contract` against a catalog already loaded
/// from `root` (what the proc macros do with their cached catalog).
pub fn load_node_against(
    root: &Path,
    catalog: &Catalog,
    contract: &Path,
) -> Result<Node, Diagnostics> {
    let source = DiskSource::new(root);
    let mut reader = Reader::new(&source).map_err(|d| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    })?;
    // The node contract may live outside the catalog root, next to the
    // code that implements it: the caller named it, so it may be read.
    // Resolved, so that its path relative to the (resolved) root goes
    // through the fewest `..` (`Node::CONTRACT`, diagnostics).
    let contract = std::path::absolute(contract).unwrap_or_else(|_| contract.to_path_buf());
    let contract = source.canonicalize(&contract).unwrap_or(contract);
    reader.allow_outside(&contract);
    let mut resolver = Resolver {
        r: &mut reader,
        broken_names: Vec::new(),
        broken_dirs: Vec::new(),
    };
    let node = resolver
        .parse_file::<NodeFile>(&contract)
        .map(|raw| resolver.nodes(vec![raw], &catalog.topics, &catalog.settings));
    let diagnostics = std::mem::take(&mut reader.diags);
    match node.and_then(|mut v| v.pop()) {
        Some(n) if !diagnostics.has_errors() => Ok(n),
        _ => Err(diagnostics),
    }
}

struct Resolver<'r, 's> {
    r: &'r mut Reader<'s>,
    /// Topics whose contracts failed: by wire name when it was computed,
    /// else by directory segment. References to them are not reported as
    /// unknown (the contract's own error is the one to fix).
    broken_names: Vec<String>,
    broken_dirs: Vec<String>,
}

/// A topic contract after its own file is checked, before cross-references.
struct Partial {
    topic: Topic,
    file: SourceFile,
    raw: TopicFile,
}

fn loc<T>(file: &SourceFile, l: &Located<T>) -> Location {
    if l.line == 0 {
        Location::file(file.rel.clone())
    } else {
        file.location(l.line, l.column)
    }
}

fn duration_ms(s: &str) -> Option<u64> {
    humantime::parse_duration(s.trim())
        .ok()
        .and_then(|d| u64::try_from(d.as_millis()).ok())
}

fn is_dir_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && syn_keyword(s).is_none()
}

fn is_camel_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && syn_keyword(s).is_none()
}

fn syn_keyword(s: &str) -> Option<&'static str> {
    const KW: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
        "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do",
        "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual",
        "yield",
    ];
    KW.iter().copied().find(|k| *k == s)
}

/// Resolve a dotted field path in a record.
fn field_at<'a>(root: &'a Record, path: &str) -> Result<&'a Field, (String, Vec<String>)> {
    let mut rec = root;
    let mut segs = path.split('.').peekable();
    while let Some(seg) = segs.next() {
        let Some(f) = rec.field(seg) else {
            return Err((
                seg.to_owned(),
                rec.fields.iter().map(|f| f.name.clone()).collect(),
            ));
        };
        if segs.peek().is_none() {
            return Ok(f);
        }
        match &f.ty {
            FieldType::Record(r) => rec = r,
            _ => return Err((segs.next().unwrap_or_default().to_owned(), Vec::new())),
        }
    }
    Err((String::new(), Vec::new()))
}

/// The first optional (or nullable) field on a dotted path, as a path prefix:
/// a key must be reachable in every record.
fn optional_on_path(root: &Record, path: &str) -> Option<String> {
    let mut rec = root;
    let mut walked = Vec::new();
    for seg in path.split('.') {
        let f = rec.field(seg)?;
        walked.push(seg);
        if !f.required || f.nullable {
            return Some(walked.join("."));
        }
        if let FieldType::Record(r) = &f.ty {
            rec = r;
        }
    }
    None
}

mod key;
mod nodes;
mod refs;
mod settings;
mod topic;

impl Resolver<'_, '_> {
    fn push(&mut self, d: Diagnostic) {
        self.r.diags.push(d);
    }

    fn run(&mut self, mut found: reader::Discovered) -> Option<Catalog> {
        let parsed = match (found.parsed_settings.take(), &found.settings) {
            (Some(parsed), _) => Some(parsed),
            (None, Some(p)) => Some(self.parse_file::<SettingsFile>(p)),
            (None, None) => None,
        };
        let settings = match parsed {
            Some(parsed) => parsed.and_then(|(file, raw)| self.settings(file, raw)),
            None => {
                self.push(
                    Diagnostic::new(
                        Code::MissingSettings,
                        format!("no `{}` at the catalog root", reader::SETTINGS_FILE),
                    )
                    .at(Location::file(reader::SETTINGS_FILE))
                    .help("create `onex.yaml` with naming conventions and class policies (`onex init` writes a starting one)"),
                );
                None
            }
        };
        let mut partials = self.topics(&found.topics, settings.as_ref());
        let raw_nodes: Vec<(SourceFile, NodeFile)> = found
            .nodes
            .iter()
            .filter_map(|p| self.parse_file::<NodeFile>(p))
            .collect();
        let settings = settings?;
        self.cross_topic(&mut partials, &settings);
        let topics: Vec<Topic> = partials.into_iter().map(|p| p.topic).collect();
        let nodes = self.nodes(raw_nodes, &topics, &settings);
        let mut edges: Vec<Edge> = nodes
            .iter()
            .flat_map(|n| {
                n.publishes
                    .iter()
                    .map(|c| (Direction::Publishes, c))
                    .chain(n.subscribes.iter().map(|c| (Direction::Subscribes, c)))
                    .map(|(direction, c)| Edge {
                        node: n.name.clone(),
                        direction,
                        topic: c.topic.clone(),
                    })
            })
            .collect();
        edges.sort();
        let mut topics = topics;
        topics.sort_by(|a, b| a.id.cmp(&b.id));
        Some(Catalog {
            settings,
            topics,
            nodes,
            edges,
            files: self.r.files.iter().cloned().collect(),
            dirs: self.r.dirs.iter().cloned().collect(),
        })
    }

    /// Every topic contract on its own, on one thread per core for large
    /// catalogs: each thread takes a contiguous run of topics with a reader
    /// of its own, and their results, files and diagnostics are merged in
    /// catalog order, so the outcome is the same as on one thread.
    fn topics(&mut self, dirs: &[TopicDir], settings: Option<&Settings>) -> Vec<Partial> {
        /// Below this many topics per thread, a thread costs more than it saves.
        const MIN_PER_THREAD: usize = 64;
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .min(dirs.len() / MIN_PER_THREAD)
            .max(1);
        if threads == 1 {
            return self.topics_here(dirs, settings);
        }
        let chunk = dirs.len().div_ceil(threads);
        let results: Vec<_> = std::thread::scope(|s| {
            let workers: Vec<_> = dirs
                .chunks(chunk)
                .map(|run| {
                    let mut reader = self.r.fork();
                    s.spawn(move || {
                        let mut resolver = Resolver {
                            r: &mut reader,
                            broken_names: Vec::new(),
                            broken_dirs: Vec::new(),
                        };
                        let partials = resolver.topics_here(run, settings);
                        let broken = (resolver.broken_names, resolver.broken_dirs);
                        (partials, broken, reader)
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let mut partials = Vec::with_capacity(dirs.len());
        for (p, (names, dirs), reader) in results {
            partials.extend(p);
            self.broken_names.extend(names);
            self.broken_dirs.extend(dirs);
            self.r.merge(reader);
        }
        partials
    }

    fn topics_here(&mut self, dirs: &[TopicDir], settings: Option<&Settings>) -> Vec<Partial> {
        let mut partials = Vec::new();
        for dir in dirs {
            let p = self.topic(dir, settings);
            let topic_file = self.r.rel(&dir.abs.join(reader::TOPIC_FILE));
            self.r.release_sources(&topic_file);
            match p {
                Some(p) => partials.push(p),
                None => self.broken_dirs.push(dir.topic.clone()),
            }
        }
        partials
    }

    fn parse_file<T: serde::de::DeserializeOwned + schemars::JsonSchema>(
        &mut self,
        abs: &Path,
    ) -> Option<(SourceFile, T)> {
        let file = match self.r.read(abs, false) {
            Ok(f) => f,
            Err(d) => {
                self.push(d);
                return None;
            }
        };
        match yaml::parse::<T>(&file) {
            Ok(v) => Some((file, v)),
            Err(ds) => {
                self.r.diags.extend(ds);
                None
            }
        }
    }

    /// [`Resolver::parse_file`], with where the document's keys are
    /// written (top-level, and under `nested` as `<key>.<name>`).
    fn parse_file_keyed<T: serde::de::DeserializeOwned + schemars::JsonSchema>(
        &mut self,
        abs: &Path,
        nested: &[&str],
    ) -> Option<(SourceFile, T, BTreeMap<String, Location>)> {
        let file = match self.r.read(abs, false) {
            Ok(f) => f,
            Err(d) => {
                self.push(d);
                return None;
            }
        };
        match yaml::parse_with_keys::<T>(&file, nested) {
            Ok((v, spans)) => {
                let keys = spans
                    .into_iter()
                    .map(|(k, (line, column, len))| {
                        let at = file.location_len(line, column, len);
                        (k, at)
                    })
                    .collect();
                Some((file, v, keys))
            }
            Err(ds) => {
                self.r.diags.extend(ds);
                None
            }
        }
    }

    // ------------------------------------------------------------ settings
}
