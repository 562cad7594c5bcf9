//! File-system side of loading: a deterministic walk of the catalog tree
//! (sorted entries, symlink loops and escapes detected) and a reader that
//! records every file it reads.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::source::{MAX_FILE_BYTES, SourceFile, too_large};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::source::{FileSource, Kind};

/// Reads files under one catalog root, through its [`FileSource`], and
/// remembers what it read.
pub(crate) struct Reader<'s> {
    src: &'s dyn FileSource,
    root: PathBuf,
    canon_root: PathBuf,
    /// Files outside the root that may be read (node contracts named by
    /// the caller or by `onex.yaml`'s `nodes:`), canonical.
    outside: BTreeSet<PathBuf>,
    /// Canonical paths of directories met so far (walked, or resolved by
    /// [`Reader::resolve`]), by the path they were reached through: a plain
    /// entry of one of them resolves with one `lstat` instead of a
    /// `realpath` walk up the whole path.
    canon_dirs: RefCell<HashMap<PathBuf, PathBuf>>,
    /// What [`Reader::resolve`] found per path (`Err`: nothing there, in a
    /// real directory, with the OS's error code): a topic's files are asked
    /// about several times (probed, checked to lie inside the root, then
    /// read), and each ask would otherwise cost an `lstat`.
    resolved: RefCell<HashMap<PathBuf, Resolved>>,
    pub(crate) files: BTreeSet<String>,
    pub(crate) dirs: BTreeSet<String>,
    pub(crate) diags: Diagnostics,
    /// Files read since the last [`Reader::release_sources`].
    recent: Vec<String>,
    /// Files some diagnostic points into, from the first `scanned`
    /// diagnostics.
    pointed: std::collections::HashSet<String>,
    scanned: usize,
}

impl std::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("root", &self.root).finish()
    }
}

/// A path's canonical form and kind, or the OS error code of a missing
/// last component.
type Resolved = Result<(PathBuf, Kind), i32>;

/// What [`Reader::kind`] found at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// Nothing (or a dangling symlink).
    Missing,
    /// A regular file inside the root.
    File,
    /// A directory inside the root.
    Dir,
    /// Something that is not a file or directory, or that resolves outside
    /// the root: reading it reports why.
    Other,
}

impl<'s> Reader<'s> {
    pub(crate) fn new(src: &'s dyn FileSource) -> Result<Reader<'s>, Diagnostic> {
        let root = src.root().to_path_buf();
        let canon_root = src
            .canonicalize(&root)
            .and_then(|c| match src.kind(&c)? {
                Kind::Dir => Ok(c),
                _ => Err(std::io::Error::other("not a directory")),
            })
            .map_err(|e| {
                Diagnostic::new(
                    Code::Unreadable,
                    format!("cannot open the catalog root `{}`: {e}", root.display()),
                )
                .help("pass the directory that holds `onex.yaml` (usually `contracts/`)")
            })?;
        let canon_dirs = HashMap::from([(root.clone(), canon_root.clone())]);
        Ok(Reader {
            src,
            root,
            canon_root,
            outside: BTreeSet::new(),
            canon_dirs: RefCell::new(canon_dirs),
            resolved: RefCell::new(HashMap::new()),
            files: BTreeSet::new(),
            dirs: BTreeSet::new(),
            diags: Diagnostics::default(),
            recent: Vec::new(),
            pointed: std::collections::HashSet::new(),
            scanned: 0,
        })
    }

    /// A reader for another thread: the same source, root and known
    /// directories; what it reads is recorded on its own until
    /// [`Reader::merge`].
    pub(crate) fn fork(&self) -> Reader<'s> {
        Reader {
            src: self.src,
            root: self.root.clone(),
            canon_root: self.canon_root.clone(),
            outside: self.outside.clone(),
            canon_dirs: RefCell::new(self.canon_dirs.borrow().clone()),
            resolved: RefCell::new(self.resolved.borrow().clone()),
            files: BTreeSet::new(),
            dirs: BTreeSet::new(),
            diags: Diagnostics::default(),
            recent: Vec::new(),
            pointed: std::collections::HashSet::new(),
            scanned: 0,
        }
    }

    /// Drop the texts of the files read since the last call that no
    /// diagnostic points into, except `keep`'s: a topic's schema and
    /// samples are checked when the topic is, so their texts are needed for
    /// excerpts only if that produced a diagnostic (the catalog's texts are
    /// otherwise all held until the end of the load).
    pub(crate) fn release_sources(&mut self, keep: &str) {
        for d in self.diags.iter().skip(self.scanned) {
            let files = d
                .location
                .iter()
                .chain(d.related.iter().map(|r| &r.location));
            self.pointed.extend(files.map(|l| l.file.clone()));
        }
        self.scanned = self.diags.len();
        for rel in std::mem::take(&mut self.recent) {
            if rel != keep && !self.pointed.contains(&rel) {
                self.diags.remove_source(&rel);
            }
        }
    }

    /// Take over what a [`Reader::fork`] read and reported, after what
    /// this one did.
    pub(crate) fn merge(&mut self, other: Reader<'s>) {
        self.files.extend(other.files);
        self.dirs.extend(other.dirs);
        self.diags.append(other.diags);
    }

    /// Let `file` be read even when it lies outside the root.
    pub(crate) fn allow_outside(&mut self, file: &Path) {
        if let Ok(canon) = self.src.canonicalize(file) {
            self.outside.insert(canon);
        }
    }

    /// Where the files come from.
    pub(crate) fn source(&self) -> &'s dyn FileSource {
        self.src
    }

    /// The catalog root with every symlink resolved.
    pub(crate) fn canon_root(&self) -> &Path {
        &self.canon_root
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
            // Outside the root (a node contract kept beside its service):
            // relative to the root through `..`, so messages and
            // `Node::CONTRACT` never carry a machine's absolute path.
            Err(_) => {
                relative_from(&self.canon_root, abs).unwrap_or_else(|| abs.display().to_string())
            }
        }
    }

    /// What is at `abs`, following symlinks; `Other` for anything that is
    /// not a regular file or directory inside the root.
    pub(crate) fn kind(&self, abs: &Path) -> Found {
        let Ok((canon, kind)) = self.resolve(abs) else {
            if matches!(self.resolved.borrow().get(abs), Some(Err(_))) {
                return Found::Missing;
            }
            return match self.src.symlink_kind(abs) {
                Ok(_) => Found::Other,
                Err(_) => Found::Missing,
            };
        };
        if !canon.starts_with(&self.canon_root) {
            return Found::Other;
        }
        match kind {
            Kind::File(_) => Found::File,
            Kind::Dir => Found::Dir,
            _ => Found::Other,
        }
    }

    /// `abs` with every symlink resolved, and its kind (following
    /// symlinks). From the nearest directory of `abs` whose canonical path
    /// is known (the walk records every directory), the rest is resolved
    /// one `lstat` per component, `..` taken physically; a symlink on the
    /// way, or no known directory, goes through
    /// [`FileSource::canonicalize`] (a `realpath` walk of the whole path).
    fn resolve(&self, abs: &Path) -> std::io::Result<(PathBuf, Kind)> {
        if let Some(known) = self.resolved.borrow().get(abs) {
            return known.clone().map_err(std::io::Error::from_raw_os_error);
        }
        let (canon, kind) = match self.resolve_known(abs) {
            Some(Ok(ck)) => ck,
            Some(Err(e)) => {
                // Only a missing last component in a real directory.
                if let Some(code) = e.raw_os_error() {
                    self.resolved
                        .borrow_mut()
                        .insert(abs.to_path_buf(), Err(code));
                }
                return Err(e);
            }
            None => {
                let canon = self.src.canonicalize(abs)?;
                let kind = self.src.kind(&canon)?;
                (canon, kind)
            }
        };
        if kind == Kind::Dir {
            self.remember_dir(abs, &canon);
        }
        self.resolved
            .borrow_mut()
            .insert(abs.to_path_buf(), Ok((canon.clone(), kind)));
        Ok((canon, kind))
    }

    /// [`Reader::resolve`] without symlinks: `None` when it meets one, an
    /// error other than a missing last component, or no known directory.
    fn resolve_known(&self, abs: &Path) -> Option<std::io::Result<(PathBuf, Kind)>> {
        let dirs = self.canon_dirs.borrow();
        let (base, mut cur) = abs
            .ancestors()
            .find_map(|a| dirs.get(a).map(|c| (a, c.clone())))?;
        drop(dirs);
        let mut kind = Kind::Dir;
        let mut rest = abs.strip_prefix(base).ok()?.components().peekable();
        while let Some(c) = rest.next() {
            if kind != Kind::Dir {
                return None;
            }
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    cur.pop();
                }
                Component::Normal(name) => {
                    cur.push(name);
                    kind = match self.src.symlink_kind(&cur) {
                        Ok(Kind::Symlink) => return None,
                        // Nothing there, in a real directory: missing,
                        // as `realpath` would find too.
                        Err(e)
                            if e.kind() == std::io::ErrorKind::NotFound
                                && rest.peek().is_none() =>
                        {
                            return Some(Err(e));
                        }
                        Err(_) => return None,
                        Ok(k) => k,
                    };
                }
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        Some(Ok((cur, kind)))
    }

    /// Record the canonical path of a directory reached as `abs`.
    fn remember_dir(&self, abs: &Path, canon: &Path) {
        self.canon_dirs
            .borrow_mut()
            .entry(abs.to_path_buf())
            .or_insert_with(|| canon.to_path_buf());
    }

    /// The names and paths in a directory, unsorted; empty when it cannot
    /// be listed.
    pub(crate) fn list(&self, abs: &Path) -> Vec<(std::ffi::OsString, PathBuf)> {
        if self.kind(abs) != Found::Dir {
            return Vec::new();
        }
        self.src.read_dir(abs).unwrap_or_default()
    }

    /// Read a file; on success it is recorded for `rerun-if-changed` and
    /// kept for rendering diagnostics. Only a regular file that resolves
    /// inside the root is opened; its kind is checked before it is opened.
    pub(crate) fn read(&mut self, abs: &Path, allow_empty: bool) -> Result<SourceFile, Diagnostic> {
        let rel = self.rel(abs);
        let at = || Location::file(rel.clone());
        let (canon, kind) = self.resolve(abs).map_err(|e| {
            let d = match self.src.symlink_kind(abs) {
                Ok(Kind::Symlink) if e.raw_os_error() == Some(40) => Diagnostic::new(
                    Code::SymlinkLoop,
                    format!("`{rel}` is a symlink that loops"),
                )
                .help("replace the symlink by the file it should point to"),
                Ok(Kind::Symlink) => Diagnostic::new(
                    Code::Unreadable,
                    format!("`{rel}` is a dangling symlink: {e}"),
                )
                .help("remove the symlink or restore its target"),
                _ => Diagnostic::new(Code::Unreadable, format!("cannot read `{rel}`: {e}")),
            };
            d.at(at())
        })?;
        if !canon.starts_with(&self.canon_root) && !self.outside.contains(&canon) {
            return Err(Diagnostic::new(
                Code::EscapesRoot,
                format!(
                    "`{rel}` resolves to `{}`, outside the catalog root",
                    self.rel(&canon)
                ),
            )
            .at(at())
            .help("copy the file into the catalog instead of linking out of it"));
        }
        match kind {
            Kind::File(len) if len > MAX_FILE_BYTES => return Err(too_large(&rel, len)),
            Kind::File(_) => {}
            Kind::Dir => {
                return Err(Diagnostic::new(
                    Code::NotAFile,
                    format!("`{rel}` is a directory where a file is expected"),
                )
                .at(at())
                .help("rename the directory; this name is reserved for a file"));
            }
            Kind::Symlink | Kind::Special(_) => {
                let what = match kind {
                    Kind::Special(w) => w,
                    _ => "a symlink",
                };
                return Err(Diagnostic::new(
                    Code::NotAFile,
                    format!("`{rel}` is {what}, not a regular file; it is not read"),
                )
                .at(at())
                .help("replace it by a regular file"));
            }
        }
        self.files.insert(rel.clone());
        let bytes = self.src.read(&canon, MAX_FILE_BYTES + 1).map_err(|e| {
            Diagnostic::new(Code::Unreadable, format!("cannot read `{rel}`: {e}")).at(at())
        })?;
        let file = SourceFile::from_bytes(&rel, abs, bytes, allow_empty)?;
        self.diags.add_source(&rel, file.text.clone());
        self.recent.push(rel);
        Ok(file)
    }

    /// `Ok(path)` when `path` lies inside the root (following symlinks),
    /// `Err(resolved)` when it escapes.
    pub(crate) fn within_root(&self, path: &Path) -> Result<PathBuf, PathBuf> {
        let resolved = self
            .resolve(path)
            .map_or_else(|_| normalize(path), |(canon, _)| canon);
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
/// `path` relative to the directory `base` (both absolute), with `..` for
/// the part of `base` they do not share; `None` across drives or roots.
fn relative_from(base: &Path, path: &Path) -> Option<String> {
    let path = normalize(path);
    let (b, p): (Vec<_>, Vec<_>) = (base.components().collect(), path.components().collect());
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return None;
    }
    let ups = b.len().saturating_sub(common);
    let rest = p
        .get(common..)
        .unwrap_or_default()
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let parts: Vec<String> = std::iter::repeat_n("..".to_owned(), ups)
        .chain(rest)
        .collect();
    Some(parts.join("/"))
}

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
    /// `onex.yaml`, when it was read before the walk (`None` inside: it
    /// did not parse; reported).
    pub(crate) parsed_settings: Option<
        Option<(
            crate::diagnostic::source::SourceFile,
            crate::load::contract::SettingsFile,
        )>,
    >,
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

/// Walk the catalog tree in sorted order; the top folders in `reserved`
/// hold node contracts (`onex.yaml`'s `nodes:`) and are not topic contexts.
pub(crate) fn discover(reader: &mut Reader, reserved: &[&str]) -> Discovered {
    let mut found = Discovered::default();
    let root = reader.root().to_path_buf();
    let mut ancestors = vec![reader.canon_root.clone()];
    for e in entries(reader, &root, &ancestors) {
        if e.is_dir && (e.name.starts_with('_') || reserved.contains(&e.name.as_str())) {
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
    let rd = match reader.src.read_dir(dir) {
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
    for (file_name, abs) in rd {
        match file_name.into_string() {
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
    // The directory's own canonical path: a plain (non-link) entry's is
    // this joined with its name, with no walk up the whole path per entry.
    let dir_canon = ancestors.last().cloned();
    let mut out = Vec::new();
    for (name, abs) in raw {
        let rel = reader.rel(&abs);
        let own = reader.src.symlink_kind(&abs);
        let is_link = matches!(own, Ok(Kind::Symlink));
        let plain = match (&own, &dir_canon) {
            (Ok(k), Some(d)) if !is_link => Some((d.join(&name), *k)),
            _ => None,
        };
        let (canon, kind) = match plain {
            Some(p) => p,
            None => match reader
                .src
                .canonicalize(&abs)
                .and_then(|c| reader.src.kind(&c).map(|k| (c, k)))
            {
                Ok(ck) => ck,
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
            },
        };
        if is_link && !(canon.starts_with(&reader.canon_root)) {
            reader.diags.push(
                Diagnostic::new(
                    Code::EscapesRoot,
                    format!(
                        "`{rel}` is a symlink to `{}`, outside the catalog root",
                        reader.rel(&canon)
                    ),
                )
                .at(Location::file(rel))
                .help("copy the files into the catalog instead of linking out of it"),
            );
            continue;
        }
        let is_dir = kind == Kind::Dir;
        if is_dir {
            reader.remember_dir(&abs, &canon);
        }
        // Only a symlink can lead back to a directory being walked.
        if is_dir && is_link && ancestors.contains(&canon) {
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

/// How deep folders under `nodes/` may nest: grouping nodes by team or
/// domain needs a few levels, not hundreds.
pub(crate) const MAX_NODE_DEPTH: usize = 32;

fn walk_nodes(
    reader: &mut Reader,
    dir: &Entry,
    ancestors: &mut Vec<PathBuf>,
    found: &mut Discovered,
) {
    walk_nodes_at(reader, dir, ancestors, found, 1);
}

fn walk_nodes_at(
    reader: &mut Reader,
    dir: &Entry,
    ancestors: &mut Vec<PathBuf>,
    found: &mut Discovered,
    depth: usize,
) {
    if depth > MAX_NODE_DEPTH {
        let rel = reader.rel(&dir.abs);
        reader.diags.push(
            Diagnostic::new(
                Code::TooDeep,
                format!("`{rel}` lies more than {MAX_NODE_DEPTH} folders deep under `nodes/`; it is not searched"),
            )
            .at(Location::file(rel))
            .help("keep node contracts at most a few folders below `nodes/`"),
        );
        return;
    }
    for e in entries(reader, &dir.abs, ancestors) {
        if e.is_dir && e.name == NODE_FILE {
            let rel = reader.rel(&e.abs);
            reader.diags.push(
                Diagnostic::new(
                    Code::NotAFile,
                    format!("`{rel}` is a directory where a node contract file is expected"),
                )
                .at(Location::file(rel))
                .help("`contract.yaml` under `nodes/` must be a file; rename the directory"),
            );
        } else if e.is_dir {
            ancestors.push(e.canon.clone());
            walk_nodes_at(reader, &e, ancestors, found, depth + 1);
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
