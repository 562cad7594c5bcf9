//! File-system side of loading: a deterministic walk of the catalog tree
//! (sorted entries, symlink loops and escapes detected) and a reader that
//! records every file it reads.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::source::SourceFile;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};

/// Reads files under one catalog root and remembers what it read.
#[derive(Debug)]
pub(crate) struct Reader {
    root: PathBuf,
    canon_root: PathBuf,
    pub(crate) files: BTreeSet<String>,
    pub(crate) dirs: BTreeSet<String>,
    pub(crate) diags: Diagnostics,
}

impl Reader {
    pub(crate) fn new(root: &Path) -> Result<Reader, Diagnostic> {
        let canon_root = root.canonicalize().map_err(|e| {
            Diagnostic::new(
                Code::Unreadable,
                format!("cannot open the catalog root `{}`: {e}", root.display()),
            )
            .help("pass the directory that holds `onex.yaml` (usually `contracts/`)")
        })?;
        Ok(Reader {
            root: std::path::absolute(root).unwrap_or_else(|_| canon_root.clone()),
            canon_root,
            files: BTreeSet::new(),
            dirs: BTreeSet::new(),
            diags: Diagnostics::default(),
        })
    }

    /// The catalog root as given (absolute).
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// A path relative to the root, `/`-separated.
    pub(crate) fn rel(&self, abs: &Path) -> String {
        let stripped = abs
            .strip_prefix(&self.root)
            .or_else(|_| abs.strip_prefix(&self.canon_root));
        match stripped {
            Ok(p) => p
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => abs.display().to_string(),
        }
    }

    /// Read a file; on success it is recorded for `rerun-if-changed` and
    /// kept for rendering diagnostics.
    pub(crate) fn read(&mut self, abs: &Path, allow_empty: bool) -> Result<SourceFile, Diagnostic> {
        let rel = self.rel(abs);
        self.files.insert(rel.clone());
        let file = SourceFile::read(&rel, abs, allow_empty)?;
        self.diags.add_source(&rel, file.text.clone());
        Ok(file)
    }

    /// `Ok(path)` when `path` lies inside the root (following symlinks),
    /// `Err(resolved)` when it escapes.
    pub(crate) fn within_root(&self, path: &Path) -> Result<PathBuf, PathBuf> {
        let resolved = path.canonicalize().unwrap_or_else(|_| normalize(path));
        if resolved.starts_with(&self.canon_root) || resolved.starts_with(&self.root) {
            Ok(resolved)
        } else {
            Err(resolved)
        }
    }

    fn warn_unexpected(&mut self, abs: &Path, what: &str, help: &str) {
        let rel = self.rel(abs);
        self.diags.push(
            Diagnostic::new(
                Code::UnexpectedPath,
                format!("`{rel}`: {what}; it is ignored"),
            )
            .at(Location::file(rel))
            .help(help),
        );
    }
}

/// Lexical normalisation for paths that do not exist (so cannot be canonicalised).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A `<context>/<class>/<topic>/v<N>` directory found by the walk.
#[derive(Clone, Debug)]
pub(crate) struct TopicDir {
    pub(crate) context: String,
    pub(crate) class: String,
    pub(crate) topic: String,
    pub(crate) major: u32,
    pub(crate) abs: PathBuf,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    pub(crate) settings: Option<PathBuf>,
    pub(crate) topics: Vec<TopicDir>,
    pub(crate) nodes: Vec<PathBuf>,
}

/// The catalog settings file name.
pub const SETTINGS_FILE: &str = "onex.yaml";
/// The topic contract file name.
pub const TOPIC_FILE: &str = "topic.yaml";
/// The node contract file name.
pub const NODE_FILE: &str = "contract.yaml";
/// The directory holding node contracts.
pub const NODES_DIR: &str = "nodes";

/// One directory entry after following symlinks.
struct Entry {
    name: String,
    abs: PathBuf,
    is_dir: bool,
    canon: PathBuf,
}

/// Walk the catalog tree in sorted order.
pub(crate) fn discover(reader: &mut Reader) -> Discovered {
    let mut found = Discovered::default();
    let root = reader.root().to_path_buf();
    let mut ancestors = vec![reader.canon_root.clone()];
    for e in entries(reader, &root, &ancestors) {
        if e.is_dir && e.name.starts_with('_') {
            // `_shared/` and the like: schemas reached only through `$ref`.
            continue;
        }
        if e.is_dir {
            ancestors.push(e.canon.clone());
            if e.name == NODES_DIR {
                walk_nodes(reader, &e, &mut ancestors, &mut found);
            } else {
                walk_context(reader, &e, &mut ancestors, &mut found);
            }
            ancestors.pop();
        } else if e.name == SETTINGS_FILE {
            found.settings = Some(e.abs);
        } else if !ignorable(&e.name) {
            reader.warn_unexpected(
                &e.abs,
                "a file at the catalog root other than `onex.yaml`",
                "topic contracts live in `<context>/<class>/<topic>/v<N>/topic.yaml`",
            );
        }
    }
    found
}

fn ignorable(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".txt") || name == "LICENSE"
}

/// Sorted entries of `dir`, with hidden entries skipped and symlink
/// problems reported.
fn entries(reader: &mut Reader, dir: &Path, ancestors: &[PathBuf]) -> Vec<Entry> {
    let rel_dir = reader.rel(dir);
    reader.dirs.insert(rel_dir.clone());
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            reader.diags.push(
                Diagnostic::new(Code::Unreadable, format!("cannot list `{rel_dir}`: {e}"))
                    .at(Location::file(rel_dir)),
            );
            return Vec::new();
        }
    };
    let mut raw: Vec<(String, PathBuf)> = Vec::new();
    for ent in rd.flatten() {
        let abs = ent.path();
        match ent.file_name().into_string() {
            Ok(name) if name.starts_with('.') => {}
            Ok(name) => raw.push((name, abs)),
            Err(os) => {
                let rel = reader.rel(&abs);
                reader.diags.push(
                    Diagnostic::new(
                        Code::InvalidName,
                        format!("`{}` is not a UTF-8 file name", os.to_string_lossy()),
                    )
                    .at(Location::file(rel))
                    .help("rename it with ASCII letters, digits, `-` and `_`"),
                );
            }
        }
    }
    raw.sort();
    let mut out = Vec::new();
    for (name, abs) in raw {
        let rel = reader.rel(&abs);
        let is_link = std::fs::symlink_metadata(&abs)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        let canon = match abs.canonicalize() {
            Ok(c) => c,
            Err(e) => {
                let looped = e.raw_os_error() == Some(40); // ELOOP
                let d = if is_link && looped {
                    Diagnostic::new(
                        Code::SymlinkLoop,
                        format!("`{rel}` is a symlink that loops"),
                    )
                    .help("replace the symlink by the files it should point to")
                } else if is_link {
                    Diagnostic::new(
                        Code::Unreadable,
                        format!("`{rel}` is a dangling symlink: {e}"),
                    )
                    .help("remove the symlink or restore its target")
                } else {
                    Diagnostic::new(Code::Unreadable, format!("cannot read `{rel}`: {e}"))
                };
                reader.diags.push(d.at(Location::file(rel)));
                continue;
            }
        };
        if is_link && !(canon.starts_with(&reader.canon_root)) {
            reader.diags.push(
                Diagnostic::new(
                    Code::EscapesRoot,
                    format!(
                        "`{rel}` is a symlink to `{}`, outside the catalog root",
                        canon.display()
                    ),
                )
                .at(Location::file(rel))
                .help("copy the files into the catalog instead of linking out of it"),
            );
            continue;
        }
        let is_dir = canon.is_dir();
        if is_dir && ancestors.contains(&canon) {
            reader.diags.push(
                Diagnostic::new(
                    Code::SymlinkLoop,
                    format!(
                        "`{rel}` links back to `{}`, a directory that contains it",
                        reader.rel(&canon)
                    ),
                )
                .at(Location::file(rel))
                .help("remove the symlink; a catalog tree must not contain cycles"),
            );
            continue;
        }
        out.push(Entry {
            name,
            abs,
            is_dir,
            canon,
        });
    }
    out
}

fn walk_nodes(
    reader: &mut Reader,
    dir: &Entry,
    ancestors: &mut Vec<PathBuf>,
    found: &mut Discovered,
) {
    for e in entries(reader, &dir.abs, ancestors) {
        if e.is_dir {
            ancestors.push(e.canon.clone());
            walk_nodes(reader, &e, ancestors, found);
            ancestors.pop();
        } else if e.name == NODE_FILE {
            found.nodes.push(e.abs);
        } else if !ignorable(&e.name) {
            reader.warn_unexpected(
                &e.abs,
                "a file under `nodes/` that is not a `contract.yaml`",
                "node contracts are named `contract.yaml`",
            );
        }
    }
}

fn walk_context(
    reader: &mut Reader,
    ctx: &Entry,
    ancestors: &mut Vec<PathBuf>,
    found: &mut Discovered,
) {
    for class in entries(reader, &ctx.abs, ancestors) {
        if !class.is_dir {
            if !ignorable(&class.name) {
                reader.warn_unexpected(
                    &class.abs,
                    "a file directly under a context",
                    "expected `<class>/` directories here",
                );
            }
            continue;
        }
        ancestors.push(class.canon.clone());
        for topic in entries(reader, &class.abs, ancestors) {
            if !topic.is_dir {
                if !ignorable(&topic.name) {
                    reader.warn_unexpected(
                        &topic.abs,
                        "a file directly under a class",
                        "expected `<topic>/` directories here",
                    );
                }
                continue;
            }
            ancestors.push(topic.canon.clone());
            for version in entries(reader, &topic.abs, ancestors) {
                if !version.is_dir {
                    if !ignorable(&version.name) {
                        reader.warn_unexpected(
                            &version.abs,
                            "a file directly under a topic",
                            "expected `v<N>/` directories here",
                        );
                    }
                    continue;
                }
                match parse_major(&version.name) {
                    Some(major) => {
                        // The version directory's own files are listed by resolve.
                        reader.dirs.insert(reader.rel(&version.abs));
                        found.topics.push(TopicDir {
                            context: ctx.name.clone(),
                            class: class.name.clone(),
                            topic: topic.name.clone(),
                            major,
                            abs: version.abs,
                        });
                    }
                    None => {
                        let rel = reader.rel(&version.abs);
                        reader.diags.push(
                            Diagnostic::new(
                                Code::BadVersionDir,
                                format!("`{rel}`: `{}` is not a major version directory", version.name),
                            )
                            .at(Location::file(rel))
                            .help("name it `v1`, `v2`, ... (a breaking change gets a new `v<N+1>` directory)"),
                        );
                    }
                }
            }
            ancestors.pop();
        }
        ancestors.pop();
    }
}

/// `v1` → 1; `v0`, `v01`, `V1`, `1` → None.
fn parse_major(name: &str) -> Option<u32> {
    let digits = name.strip_prefix('v')?;
    if digits.starts_with('0') || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::parse_major;

    #[test]
    fn major_versions() {
        assert_eq!(parse_major("v1"), Some(1));
        assert_eq!(parse_major("v12"), Some(12));
        for bad in ["v0", "v01", "V1", "1", "v", "v1.0", "v-1"] {
            assert_eq!(parse_major(bad), None, "{bad}");
        }
    }
}
